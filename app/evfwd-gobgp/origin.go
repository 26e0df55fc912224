// origin.go: what evfwd-gobgp originates for its evfwd, as a full EVPN PE
// (RFC 7432, RFC 8365), computed from evfwd's local state alone (the events
// ring: dumps and live events):
//   - RT3 IMET with a PMSI ingress-replication tunnel, per MAC-VRF;
//   - RT2 per local MAC (ESI when on a segment, MAC mobility sequence, sticky
//     for static MACs);
//   - RT2 MAC+IP per local MAC/IP binding and own IRB address (ring ABI
//     minor 2): the MAC route's RD, RTs, label and next hop, the binding's
//     ESI, the IP in the NLRI, the MAC's mobility sequence (sticky for own
//     addresses and static MACs), and for a router's address the ARP/ND
//     extended community (RFC 9047) with R;
//   - per local segment while it is up: RT4 (ES-import RT, DF Election when
//     the algorithm is not the default), RT1 per-ES (ESI label, single-active
//     flag, the RTs of every MAC-VRF on the segment) and RT1 per-EVI for each
//     of its MAC-VRFs.
//
// RD = router-id:EVI and RT = AS:VNI unless overridden per VNI; segment
// routes use RD router-id:0.
package main

import (
	"fmt"
	"net"
	"sort"
)

type macKey struct {
	vni uint32
	mac [6]byte
}

type localMAC struct {
	seq    uint32
	esi    [10]byte
	sticky bool
}

// ipKey: an address as the events ring carries it.
type ipKey struct {
	af uint8
	ip [16]byte
}

// localMACIP: a local MAC/IP binding (or one of our own addresses).
type localMACIP struct {
	esi    [10]byte
	router bool // RFC 9047 R: the address is a router's
	sticky bool // one of our own (IRB) addresses
}

type segment struct {
	esi          [10]byte
	up           bool
	alg          uint8
	pref         uint16
	dp           bool
	singleActive bool
	vnis         map[uint32]bool
	df           map[uint32]bool // our DF state per VNI (for the status only)
}

// model: evfwd's local state as the events ring tells it.
type model struct {
	vtep4, vtep6 net.IP
	bds          map[uint32]uint32 // VNI -> EVI
	segs         map[[10]byte]*segment
	macs         map[macKey]localMAC
	macips       map[macKey]map[ipKey]localMACIP // bindings by their MAC
}

func newModel() *model {
	return &model{bds: map[uint32]uint32{}, segs: map[[10]byte]*segment{},
		macs: map[macKey]localMAC{}, macips: map[macKey]map[ipKey]localMACIP{}}
}

func (m *model) seg(esi [10]byte) *segment {
	s := m.segs[esi]
	if s == nil {
		s = &segment{esi: esi, vnis: map[uint32]bool{}, df: map[uint32]bool{}}
		m.segs[esi] = s
	}
	return s
}

// originSettings: the BGP side, from gobgpd and the command line.
type originSettings struct {
	routerID    string
	asn         uint32
	rd          map[uint32]string   // per VNI override
	rt          map[uint32][]string // per VNI override
	nextHop     net.IP              // override of evfwd's VTEP
	allowAnyESI bool                // advertise ESIs GoBGP peers refuse
	dfElection  bool                // send the DF Election community for non-default algorithms (default)
	arpND       bool                // send the ARP/ND community on routers' MAC+IP routes (default)
}

// originator derives routes from the model.
type originator struct {
	set      originSettings
	warnOnce map[string]bool
	logf     func(string, ...interface{})
	refused  map[string]uint64 // segments (and their routes) not advertised, by reason
}

func (o *originator) warn(key, format string, args ...interface{}) {
	if !o.warnOnce[key] {
		o.warnOnce[key] = true
		o.logf(format, args...)
	}
}

func (o *originator) nextHop(m *model) net.IP {
	switch {
	case o.set.nextHop != nil:
		return o.set.nextHop
	case m.vtep4 != nil:
		return m.vtep4
	default:
		return m.vtep6
	}
}

// rd: the MAC-VRF's RD, or "" when none can be derived: router-id:EVI is a
// type-1 RD, whose number is 16 bits, so an EVI above 65535 needs --rd.
func (o *originator) rd(vni, evi uint32) string {
	if rd, ok := o.set.rd[vni]; ok {
		return rd
	}
	if evi > 0xffff {
		o.refused["rd-evi-above-65535"]++
		o.warn(fmt.Sprintf("rd %d", vni), "origin: MAC-VRF VNI %d: EVI %d does not fit an RD"+
			" router-id:EVI (1..65535): its routes are not advertised; give --rd %d=RD", vni,
			evi, vni)
		return ""
	}
	return fmt.Sprintf("%s:%d", o.set.routerID, evi)
}

func (o *originator) rts(vni uint32) []string {
	if rt, ok := o.set.rt[vni]; ok {
		// sorted, as a route decoded from gobgpd has them (fingerprint)
		rt = append([]string(nil), rt...)
		sort.Strings(rt)
		return rt
	}
	return []string{fmt.Sprintf("%d:%d", o.set.asn, vni)}
}

func (o *originator) base(m *model, typ uint8, rd string) *evpnRoute {
	return &evpnRoute{Type: typ, RD: rd, NextHop: o.nextHop(m), Encap: tunnelVXLAN}
}

// bdRoutes: the RT3 of one MAC-VRF.
func (o *originator) bdRoutes(m *model, vni uint32) []*evpnRoute {
	evi, ok := m.bds[vni]
	nh := o.nextHop(m)
	if !ok || nh == nil {
		return nil
	}
	rd := o.rd(vni, evi)
	if rd == "" {
		return nil
	}
	r := o.base(m, 3, rd)
	r.Owner = ownerBD(vni)
	r.IP = nh
	r.RTs = o.rts(vni)
	r.HasPMSI = true
	r.PMSIType = pmsiIngressReplication
	r.PMSILabel = vni
	r.PMSIID = nh
	return []*evpnRoute{r}
}

// macRoutes: the RT2 routes of one local MAC: the MAC route, and a MAC+IP
// route per binding of the MAC (RFC 7432 7.2, 15: with the MAC's sequence).
func (o *originator) macRoutes(m *model, k macKey) []*evpnRoute {
	lm, ok := m.macs[k]
	ips := m.macips[k]
	evi, bdok := m.bds[k.vni]
	if (!ok && len(ips) == 0) || !bdok || o.nextHop(m) == nil {
		return nil
	}
	rd := o.rd(k.vni, evi)
	if rd == "" {
		return nil
	}
	rt2 := func(esi [10]byte, seq uint32, sticky bool) *evpnRoute {
		r := o.base(m, 2, rd)
		r.Owner = ownerMAC(k)
		r.MAC = net.HardwareAddr(append([]byte(nil), k.mac[:]...))
		r.ESI = esi
		r.Labels = []uint32{k.vni}
		r.RTs = o.rts(k.vni)
		if seq > 0 || sticky {
			r.HasMobility = true
			r.Seq = seq
			r.Sticky = sticky
		}
		return r
	}
	var out []*evpnRoute
	if ok && (isZeroESI(lm.esi) || o.esiUsable(lm.esi)) {
		out = append(out, rt2(lm.esi, lm.seq, lm.sticky))
	}
	keys := make([]ipKey, 0, len(ips))
	for ik := range ips {
		keys = append(keys, ik)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].af != keys[j].af {
			return keys[i].af < keys[j].af
		}
		return string(keys[i].ip[:]) < string(keys[j].ip[:])
	})
	for _, ik := range keys {
		b := ips[ik]
		if !isZeroESI(b.esi) && !o.esiUsable(b.esi) {
			continue
		}
		r := rt2(b.esi, lm.seq, b.sticky || (ok && lm.sticky))
		r.IP = addrOf(ik.af, ik.ip)
		// The R flag is an IPv6 ND matter (RFC 9047 3.1: ignored for ARP), and
		// GoBGP 3.10 peers drop a route with the community: IPv4 bindings go
		// without it.
		if b.router && ik.af == afIPv6 {
			if o.set.arpND {
				r.HasARPND = true
				r.NDFlags = arpNDRouter | arpNDOverride
				if b.sticky {
					r.NDFlags |= arpNDImmutable
				}
				o.warn("arp-nd", "origin: MAC+IP routes of routers' addresses carry the ARP/ND"+
					" extended community (RFC 9047, R flag; first: %s): GoBGP 3.10 peers treat"+
					" a route carrying it as withdrawn (\"unknown evpn subtype: 8\"), so they"+
					" do not learn these bindings and flood NS for them; --arp-nd-community=false"+
					" advertises them without it (remote PEs then answer NS for them without R)",
					r.IP)
			} else {
				o.refused["arp-nd-router-left-out"]++
			}
		}
		out = append(out, r)
	}
	return out
}

func (o *originator) esiUsable(esi [10]byte) bool {
	if o.set.allowAnyESI || esiGoBGPSafe(esi) {
		return true
	}
	o.refused["esi-refused-by-gobgp-peers"]++
	o.warn("esi "+esiText(esi), "origin: ESI %s is of type %d with a last octet other than"+
		" 0x00 (RFC 7432 section 5 reserves it): GoBGP 3.10 peers that receive it disable"+
		" EVPN on the whole session, so nothing carrying it is advertised"+
		" (--allow-any-esi if every BGP peer accepts it)", esiText(esi), esi[0])
	return false
}

// segRoutes: RT4, RT1 per-ES and RT1 per-EVI of one local segment while it is up.
func (o *originator) segRoutes(m *model, esi [10]byte) []*evpnRoute {
	s := m.segs[esi]
	nh := o.nextHop(m)
	if s == nil || !s.up || nh == nil || !o.esiUsable(esi) {
		return nil
	}
	segRD := fmt.Sprintf("%s:0", o.set.routerID)
	vnis := make([]uint32, 0, len(s.vnis))
	for v := range s.vnis {
		if _, ok := m.bds[v]; ok {
			vnis = append(vnis, v)
		}
	}
	sort.Slice(vnis, func(i, j int) bool { return vnis[i] < vnis[j] })

	es := o.base(m, 4, segRD)
	es.ESI = esi
	es.IP = nh
	es.ESImport = esImport(esi)
	if s.alg != dfTypeModulo || s.dp {
		if o.set.dfElection {
			es.DF = dfElection{Present: true, Alg: s.alg, Pref: s.pref}
			if s.dp {
				es.DF.Bitmap |= dfBitmapDP
			}
			o.warn("df "+esiText(esi), "origin: the RT4 of segment %s carries the DF"+
				" Election community (algorithm %d): GoBGP 3.10 peers treat a route carrying"+
				" it as withdrawn (\"unknown evpn subtype: 6\"), so they do not see this PE"+
				" on the segment; with GoBGP peers use modulo, or --df-election=false to"+
				" leave the community out (peers then elect with modulo, RFC 8584 2.2)",
				esiText(esi), s.alg)
		} else {
			o.refused["df-election-left-out"]++
		}
	}
	perES := o.base(m, 1, segRD)
	perES.ESI = esi
	perES.ETag = maxET
	perES.Labels = []uint32{0}
	perES.HasESILabel = true
	perES.SingleActive = s.singleActive
	rtset := map[string]bool{}
	for _, v := range vnis {
		for _, rt := range o.rts(v) {
			rtset[rt] = true
		}
	}
	for rt := range rtset {
		perES.RTs = append(perES.RTs, rt)
	}
	sort.Strings(perES.RTs)
	out := []*evpnRoute{es, perES}
	es.Owner = ownerSeg(esi)
	perES.Owner = es.Owner
	for _, v := range vnis {
		rd := o.rd(v, m.bds[v])
		if rd == "" {
			continue
		}
		evi := o.base(m, 1, rd)
		evi.ESI = esi
		evi.Labels = []uint32{v}
		evi.RTs = o.rts(v)
		evi.Owner = es.Owner
		out = append(out, evi)
	}
	return out
}

// routesOf: the routes of one owner after a change.
func (o *originator) routesOf(m *model, c change) []*evpnRoute {
	switch c.kind {
	case 'b':
		return o.bdRoutes(m, c.vni)
	case 's':
		return o.segRoutes(m, c.esi)
	case 'm':
		return o.macRoutes(m, c.mac)
	}
	return nil
}

// all: every route the model asks for, by key.
func (o *originator) all(m *model) map[string]*evpnRoute {
	want := map[string]*evpnRoute{}
	add := func(rs []*evpnRoute) {
		for _, r := range rs {
			want[r.key()] = r
		}
	}
	for vni := range m.bds {
		add(o.bdRoutes(m, vni))
	}
	for esi := range m.segs {
		add(o.segRoutes(m, esi))
	}
	for k := range m.macs {
		add(o.macRoutes(m, k))
	}
	for k := range m.macips {
		if _, done := m.macs[k]; !done {
			add(o.macRoutes(m, k)) // bindings of a MAC that is not a local MAC (own addresses)
		}
	}
	return want
}

// ours: is an originated path (found in gobgpd) one of evfwd-gobgp's? Its RD
// names our router id, or its next hop is our VTEP.
func (o *originator) ours(m *model, r *evpnRoute) bool {
	nh := o.nextHop(m)
	if nh != nil && r.NextHop != nil && r.NextHop.Equal(nh) {
		return true
	}
	for _, rd := range o.set.rd {
		if rd == r.RD {
			return true
		}
	}
	return len(r.RD) > len(o.set.routerID) && r.RD[:len(o.set.routerID)+1] == o.set.routerID+":"
}
