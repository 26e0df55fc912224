// intake.go: routes received from BGP -> records of evfwd's routes ring.
//
// Every route is checked before it is written; one that evfwd cannot use is
// counted under a named reason and logged once per reason (with the route),
// never dropped silently. Several BGP routes may carry the same evfwd route
// (e.g. one PE advertising a MAC under two RDs): the evfwd route is added
// with the first and withdrawn with the last.
package main

import (
	"fmt"
	"net"
)

// Why a received route does not reach evfwd.
const (
	skipOwn         = "own-route"    // originated by us (the local gobgpd or our next hop)
	skipDecode      = "undecodable"  // the protobuf does not decode
	skipType5       = "route-type-5" // IP prefix routes: not used until the L3 gateway
	skipType        = "unknown-route-type"
	skipNoNextHop   = "no-next-hop"
	skipNotVXLAN    = "not-vxlan" // an encapsulation other than VXLAN (MPLS, ...)
	skipNoVNI       = "no-vni"
	skipVNIRange    = "vni-out-of-range"
	skipVNINotLocal = "vni-not-local" // no MAC-VRF of evfwd has this VNI
	skipPMSI        = "pmsi-not-ingress-replication"
	skipESI         = "bad-esi"      // zero or all-ones ESI where a segment is needed
	skipESNotLocal  = "es-not-local" // RT4 of a segment we are not on (RFC 7432 7.6)
	skipNotIP       = "bad-address"
	skipBadARPND    = "bad-arp-nd-community" // an RT2 whose ARP/ND community does not decode
)

// intake turns decoded routes into ring records and remembers what it wrote.
type intake struct {
	ownNextHops map[string]bool // our VTEP addresses
	localVNIs   map[uint32]bool // VNIs of evfwd's MAC-VRFs (nil: not known yet, accept all)
	localESIs   map[[10]byte]bool
	// BGP key -> evfwd key it produced, evfwd key -> record and BGP keys holding it
	bgp    map[string]string
	evf    map[string]*evfEntry
	skips  map[string]uint64
	logged map[string]bool
	logf   func(format string, args ...interface{})
}

type evfEntry struct {
	rec  record
	refs map[string]bool
}

func newIntake(logf func(string, ...interface{})) *intake {
	return &intake{ownNextHops: map[string]bool{}, bgp: map[string]string{},
		evf: map[string]*evfEntry{}, skips: map[string]uint64{}, logged: map[string]bool{},
		localESIs: map[[10]byte]bool{}, logf: logf}
}

// reset forgets what was written (before a full resync of the routes ring).
func (in *intake) reset() {
	in.bgp = map[string]string{}
	in.evf = map[string]*evfEntry{}
}

func (in *intake) skip(reason string, r *evpnRoute, detail string) {
	in.skips[reason]++
	if !in.logged[reason] && in.logf != nil {
		in.logged[reason] = true
		what := "path"
		if r != nil {
			what = r.key()
			if r.NextHop != nil {
				what += " next-hop " + r.NextHop.String()
			}
		}
		in.logf("intake: %s: %s %s (logged once per reason; counted in the status)", reason,
			what, detail)
	}
}

func setAddr(ip net.IP, af *uint8, b *[16]byte) bool {
	if v4 := ip.To4(); v4 != nil {
		*af = afIPv4
		copy(b[:], v4)
		return true
	}
	if v6 := ip.To16(); v6 != nil {
		*af = afIPv6
		copy(b[:], v6)
		return true
	}
	return false
}

func (in *intake) vniOK(vni uint32, r *evpnRoute) bool {
	if vni == 0 {
		in.skip(skipNoVNI, r, "")
		return false
	}
	if vni > 0xffffff {
		in.skip(skipVNIRange, r, fmt.Sprintf("VNI %d", vni))
		return false
	}
	if in.localVNIs != nil && !in.localVNIs[vni] {
		in.skip(skipVNINotLocal, r, fmt.Sprintf("VNI %d", vni))
		return false
	}
	return true
}

// toRecord: the ring record of a received route, or "" and the reason it is skipped.
func (in *intake) toRecord(r *evpnRoute) (record, bool) {
	var rec record
	if r.Local || (r.NextHop != nil && in.ownNextHops[r.NextHop.String()]) {
		in.skips[skipOwn]++
		return rec, false
	}
	switch r.Type {
	case 1, 2, 3, 4:
	case 5:
		in.skip(skipType5, r, "")
		return rec, false
	default:
		in.skip(skipType, r, "")
		return rec, false
	}
	if r.Encap != 0 && r.Encap != tunnelVXLAN {
		in.skip(skipNotVXLAN, r, fmt.Sprintf("tunnel type %d", r.Encap))
		return rec, false
	}
	vtep := r.NextHop
	if r.Type == 3 || r.Type == 4 {
		vtep = r.IP // the originator (RT3: the PMSI tunnel endpoint when given)
		if r.Type == 3 && r.PMSIID != nil && !r.PMSIID.IsUnspecified() {
			vtep = r.PMSIID
		}
	}
	if vtep == nil {
		in.skip(skipNoNextHop, r, "")
		return rec, false
	}
	if !setAddr(vtep, &rec.VtepAF, &rec.Vtep) {
		in.skip(skipNotIP, r, vtep.String())
		return rec, false
	}
	if r.Withdraw {
		rec.Op = opWithdraw
	}
	switch r.Type {
	case 1:
		rec.Type = recRT1
		if isZeroESI(r.ESI) || r.ESI == [10]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff} {
			in.skip(skipESI, r, esiText(r.ESI))
			return rec, false
		}
		rec.ESI = r.ESI
		if r.ETag == maxET {
			rec.Flags = flagPerES
			if r.SingleActive {
				rec.Flags |= flagSingleActive
			}
		} else {
			// per-EVI A-D: the label is the VNI (RFC 8365 5.1.4); a VLAN-aware
			// bundle names it in the Ethernet tag instead
			vni := r.Labels[0]
			if vni == 0 {
				vni = r.ETag
			}
			if !in.vniOK(vni, r) {
				return rec, false
			}
			rec.VNI = vni
		}
	case 2:
		rec.Type = recRT2
		var vni uint32
		if len(r.Labels) > 0 {
			vni = r.Labels[0]
		}
		if !in.vniOK(vni, r) {
			return rec, false
		}
		rec.VNI = vni
		copy(rec.MAC[:], r.MAC)
		rec.ESI = r.ESI
		rec.Seq = r.Seq
		if r.Sticky {
			rec.Flags |= flagSticky
		}
		if r.BadARPND != "" {
			in.skip(skipBadARPND, r, r.BadARPND)
			return rec, false
		}
		if r.IP != nil {
			setAddr(r.IP, &rec.IPAF, &rec.IP)
			// RFC 9047: the R flag of the ARP/ND community (evfwd uses it
			// for ND; meaningless without an IP)
			if r.HasARPND && r.NDFlags&arpNDRouter != 0 {
				rec.Flags |= flagNDRouter
			}
		}
	case 3:
		rec.Type = recRT3
		var vni uint32
		switch {
		case r.HasPMSI && r.PMSIType != pmsiIngressReplication:
			in.skip(skipPMSI, r, fmt.Sprintf("tunnel type %d", r.PMSIType))
			return rec, false
		case r.HasPMSI:
			vni = r.PMSILabel
		default:
			vni = r.ETag
		}
		if !in.vniOK(vni, r) {
			return rec, false
		}
		rec.VNI = vni
	case 4:
		rec.Type = recRT4
		if isZeroESI(r.ESI) {
			in.skip(skipESI, r, esiText(r.ESI))
			return rec, false
		}
		if !in.localESIs[r.ESI] {
			in.skip(skipESNotLocal, r, esiText(r.ESI))
			return rec, false
		}
		rec.ESI = r.ESI
		if r.DF.Present {
			rec.DFAlg = r.DF.Alg
			rec.DFPref = r.DF.Pref
			if r.DF.Bitmap&dfBitmapDP != 0 {
				rec.Flags |= flagDontPreempt
			}
		}
	}
	return rec, true
}

// evfKey: what identifies a route inside evfwd (lib/route).
func evfKey(rec *record) string {
	switch rec.Type {
	case recRT1:
		return fmt.Sprintf("1|%x|%d|%d|%x", rec.ESI, rec.Flags&flagPerES, rec.VNI, rec.Vtep)
	case recRT2:
		return fmt.Sprintf("2|%d|%x|%x|%d|%x", rec.VNI, rec.MAC, rec.Vtep, rec.IPAF, rec.IP)
	case recRT3:
		return fmt.Sprintf("3|%d|%x", rec.VNI, rec.Vtep)
	default:
		return fmt.Sprintf("4|%x|%x", rec.ESI, rec.Vtep)
	}
}

// apply: the ring records one received BGP route (add, change or
// withdrawal) turns into, in order.
func (in *intake) apply(r *evpnRoute) []record {
	var out []record
	bkey := r.key()
	old, had := in.bgp[bkey]
	release := func(ek string) {
		e := in.evf[ek]
		if e == nil {
			return
		}
		delete(e.refs, bkey)
		if len(e.refs) == 0 {
			w := e.rec
			w.Op = opWithdraw
			out = append(out, w)
			delete(in.evf, ek)
		}
	}
	if r.Withdraw {
		if had {
			release(old)
			delete(in.bgp, bkey)
		}
		return out
	}
	rec, ok := in.toRecord(r)
	if !ok {
		if had { // a route that changed into something evfwd cannot use
			release(old)
			delete(in.bgp, bkey)
		}
		return out
	}
	ek := evfKey(&rec)
	if had && old != ek {
		release(old)
	}
	e := in.evf[ek]
	if e == nil {
		e = &evfEntry{refs: map[string]bool{}}
		in.evf[ek] = e
	}
	e.refs[bkey] = true
	e.rec = rec
	in.bgp[bkey] = ek
	out = append(out, rec)
	return out
}
