// macip_test.go: MAC/IP bindings (ring ABI minor 2) both ways: MACIP events
// -> RT2 MAC+IP routes with the ARP/ND extended community (RFC 9047), their
// withdrawal, dumps and a restarted adapter; received RT2 MAC+IP routes with
// and without the community -> routes-ring records; malformed communities.
package main

import (
	"fmt"
	"net"
	"sort"
	"strings"
	"testing"

	api "github.com/osrg/gobgp/api"
	"github.com/osrg/gobgp/pkg/packet/bgp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// gwMAC: the anycast gateway MAC of the IRB (own addresses, no local MAC).
const gwMAC = "00:00:5e:00:01:01"

func evMACIPRec(typ uint8, vni uint32, m, ip string, esi [10]byte, flags uint8) record {
	r := record{Type: typ, VNI: vni, MAC: mac6(m), ESI: esi, Flags: flags, Attach: 1}
	if ip != "" {
		r.IP = addr16(ip)
		r.IPAF = afIPv4
		if net.ParseIP(ip).To4() == nil {
			r.IPAF = afIPv6
		}
	}
	return r
}

// macipRecords: bindings on top of originRecords (EVI 100 for 10100, 200
// for 10200; MAC 01 seq 0, MAC 02 on esiT1, MAC 03 seq 4, MAC 07 on the
// refused ESI).
func macipRecords() []record {
	return []record{
		evMACIPRec(evMacIPLearned, 10100, "02:00:00:00:00:01", "198.18.10.1", [10]byte{}, 0),
		evMACIPRec(evMacIPLearned, 10100, "02:00:00:00:00:01", "2001:db8:10::1", [10]byte{}, flagNDRouter),
		evMACIPRec(evMacIPLearned, 10100, "02:00:00:00:00:02", "198.18.10.2", esiT1, 0),
		evMACIPRec(evMacIPLearned, 10200, "02:00:00:00:00:03", "2001:db8:20::3", [10]byte{}, 0),
		// own IRB addresses: the gateway MAC is no local MAC
		// (an IPv4 binding's router flag is not advertised: RFC 9047 3.1)
		evMACIPRec(evMacIPLearned, 10100, gwMAC, "198.18.10.254", [10]byte{}, flagSticky|flagNDRouter),
		evMACIPRec(evMacIPLearned, 10100, gwMAC, "2001:db8:10::fe", [10]byte{}, flagSticky|flagNDRouter),
		// not advertised: refused ESI, no MAC-VRF, aged, bad address family
		evMACIPRec(evMacIPLearned, 10100, "02:00:00:00:00:07", "198.18.10.7", refusedESI, 0),
		evMACIPRec(evMacIPLearned, 10999, "02:00:00:00:00:08", "198.18.99.8", [10]byte{}, 0),
		evMACIPRec(evMacIPLearned, 10100, "02:00:00:00:00:05", "198.18.10.5", [10]byte{}, 0),
		evMACIPRec(evMacIPAged, 10100, "02:00:00:00:00:05", "198.18.10.5", [10]byte{}, 0),
		{Type: evMacIPLearned, VNI: 10100, MAC: mac6("02:00:00:00:00:09"), IPAF: 5, Attach: 1},
		{Type: evMacIPLearned, VNI: 10100, MAC: mac6("02:00:00:00:00:09"), IPAF: afIPv4,
			IP: [16]byte{198, 18, 0, 9, 1}, Attach: 1}, // IPv4 with bytes 4..15 set
	}
}

// expectedMACIP: the MAC+IP routes of macipRecords, written out.
func expectedMACIP(nh net.IP) []*evpnRoute {
	rt := func(vni uint32, m, ip string, esi [10]byte) *evpnRoute {
		return &evpnRoute{Type: 2, RD: fmt.Sprintf("10.0.0.1:%d", vni-10000), ESI: esi, MAC: hw(m),
			IP: net.ParseIP(ip), Labels: []uint32{vni}, NextHop: nh,
			RTs: []string{fmt.Sprintf("65000:%d", vni)}, Encap: 8, Owner: fmt.Sprintf("mac:%d:%s", vni, m)}
	}
	v4only := func(r *evpnRoute) *evpnRoute { r.IP = r.IP.To4(); return r }
	r1 := v4only(rt(10100, "02:00:00:00:00:01", "198.18.10.1", [10]byte{}))
	r1r := rt(10100, "02:00:00:00:00:01", "2001:db8:10::1", [10]byte{})
	r1r.HasARPND, r1r.NDFlags = true, arpNDRouter|arpNDOverride
	r2 := v4only(rt(10100, "02:00:00:00:00:02", "198.18.10.2", esiT1))
	r3 := rt(10200, "02:00:00:00:00:03", "2001:db8:20::3", [10]byte{})
	r3.HasMobility, r3.Seq = true, 4 // the MAC's sequence
	gw4 := v4only(rt(10100, gwMAC, "198.18.10.254", [10]byte{}))
	gw4.HasMobility, gw4.Sticky = true, true
	gw6 := rt(10100, gwMAC, "2001:db8:10::fe", [10]byte{})
	gw6.HasMobility, gw6.Sticky = true, true
	gw6.HasARPND, gw6.NDFlags = true, arpNDRouter|arpNDOverride|arpNDImmutable
	return []*evpnRoute{r1, r1r, r2, r3, gw4, gw6}
}

func TestOriginMACIP(t *testing.T) {
	var logs []string
	o := testOriginator(originSet(), &logs)
	m := buildModel(append(originRecords(), macipRecords()...))
	got := o.all(m)
	want := append(expectedOrigin(v4("192.0.2.1")), expectedMACIP(v4("192.0.2.1"))...)
	checkOrigin(t, "MAC+IP", got, want)
	// the refused segment, its MAC and its binding
	if o.refused["esi-refused-by-gobgp-peers"] != 3 {
		t.Errorf("refused %v", o.refused)
	}
	var arpWarn int
	for _, l := range logs {
		if strings.Contains(l, "ARP/ND") && strings.Contains(l, "unknown evpn subtype: 8") {
			arpWarn++
		}
	}
	if arpWarn != 1 {
		t.Errorf("%d ARP/ND warnings, want 1: %q", arpWarn, logs)
	}

	// routesOf a MAC gives its MAC route and its MAC+IP routes
	rs := o.routesOf(m, change{kind: 'm', mac: macKey{10100, mac6("02:00:00:00:00:01")}})
	if len(rs) != 3 || rs[0].IP != nil || !rs[1].IP.Equal(v4("198.18.10.1")) || !rs[2].IP.Equal(v6("2001:db8:10::1")) {
		t.Errorf("routesOf MAC 01: %v", rs)
	}
	rs = o.routesOf(m, change{kind: 'm', mac: macKey{10100, mac6(gwMAC)}})
	if len(rs) != 2 {
		t.Errorf("routesOf the gateway MAC: %v", rs)
	}

	// --arp-nd-community=false: no community, counted per router route
	set := originSet()
	set.arpND = false
	logs = nil
	o = testOriginator(set, &logs)
	want = append(expectedOrigin(v4("192.0.2.1")), expectedMACIP(v4("192.0.2.1"))...)
	for _, r := range want {
		r.HasARPND, r.NDFlags = false, 0
	}
	checkOrigin(t, "arp-nd-community=false", o.all(m), want)
	if o.refused["arp-nd-router-left-out"] != 2 {
		t.Errorf("arp-nd-router-left-out %d, want 2", o.refused["arp-nd-router-left-out"])
	}

	// the bad events are ignored by the model and flagged for the counter
	bad := 0
	for _, r := range macipRecords() {
		if badMACIP(&r) {
			bad++
		}
	}
	if bad != 2 {
		t.Errorf("%d bad MACIP events, want 2", bad)
	}
	if ips := m.macips[macKey{10100, mac6("02:00:00:00:00:09")}]; len(ips) != 0 {
		t.Errorf("bindings of bad events: %v", ips)
	}
	if ips := m.macips[macKey{10100, mac6("02:00:00:00:00:05")}]; ips != nil {
		t.Errorf("aged binding left: %v", ips)
	}
}

// arpNDOf: the ARP/ND communities of a GoBGP path, as their 8 octets on
// the wire (GoBGP's own encoder: what gobgpd sends to its peers).
func arpNDOf(t *testing.T, p *api.Path) [][]byte {
	t.Helper()
	var out [][]byte
	for _, a := range p.Pattrs {
		m, err := a.UnmarshalNew()
		if err != nil {
			t.Fatal(err)
		}
		ec, ok := m.(*api.ExtendedCommunitiesAttribute)
		if !ok {
			continue
		}
		for _, c := range ec.Communities {
			cm, err := c.UnmarshalNew()
			if err != nil {
				t.Fatal(err)
			}
			u, ok := cm.(*api.UnknownExtended)
			if !ok || u.Type != 6 || len(u.Value) == 0 || u.Value[0] != 8 {
				continue
			}
			b, err := bgp.NewUnknownExtended(bgp.ExtendedCommunityAttrType(u.Type), u.Value).Serialize()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
	}
	return out
}

// The community of each originated MAC+IP route, decoded back octet by
// octet and field by field, and through decodePath.
func TestOriginMACIPCommunity(t *testing.T) {
	for _, w := range expectedMACIP(v4("192.0.2.1")) {
		p, err := w.toPath()
		if err != nil {
			t.Fatalf("toPath %s: %v", w.fingerprint(), err)
		}
		nlri := &api.EVPNMACIPAdvertisementRoute{}
		if err := p.Nlri.UnmarshalTo(nlri); err != nil {
			t.Fatal(err)
		}
		if nlri.IpAddress != w.IP.String() || nlri.MacAddress != w.MAC.String() ||
			len(nlri.Labels) != 1 || nlri.Labels[0] != w.Labels[0] {
			t.Errorf("%s: NLRI %v", w.key(), nlri)
		}
		wire := arpNDOf(t, p)
		if !w.HasARPND {
			if len(wire) != 0 {
				t.Errorf("%s: ARP/ND community %x without the router flag", w.key(), wire)
			}
			continue
		}
		if len(wire) != 1 || len(wire[0]) != 8 {
			t.Fatalf("%s: ARP/ND communities %x", w.key(), wire)
		}
		b := wire[0]
		if b[0] != 0x06 || b[1] != 0x08 {
			t.Errorf("%s: type %#x sub-type %#x, want 0x06 0x08", w.key(), b[0], b[1])
		}
		flags := b[2]
		if flags&0x01 == 0 || flags&0x02 == 0 {
			t.Errorf("%s: flags %#x: R (bit 7) and O (bit 6) must be set", w.key(), flags)
		}
		if immutable := flags&0x08 != 0; immutable != w.Sticky {
			t.Errorf("%s: flags %#x: I (bit 4) %v for an own address %v", w.key(), flags, immutable, w.Sticky)
		}
		if flags&^0x0b != 0 || string(b[3:]) != "\x00\x00\x00\x00\x00" {
			t.Errorf("%s: reserved bits or octets set: %x", w.key(), b)
		}
		// GoBGP 3.10 itself cannot parse it: its peers treat the route as withdrawn
		if _, err := bgp.ParseExtended(b); err == nil || !strings.Contains(err.Error(), "unknown evpn subtype: 8") {
			t.Errorf("GoBGP parses the ARP/ND community (%v): update doc/fabric.md and the warning", err)
		}
		// back through the API protobuf, as a restarted evfwd-gobgp reads it from gobgpd
		raw, _ := proto.Marshal(p)
		p2 := &api.Path{}
		if err := proto.Unmarshal(raw, p2); err != nil {
			t.Fatal(err)
		}
		d, err := decodePath(p2)
		if err != nil {
			t.Fatal(err)
		}
		if !d.HasARPND || d.NDFlags != w.NDFlags || d.BadARPND != "" || len(d.Unknown) != 0 ||
			!d.IP.Equal(w.IP) || d.fingerprint() != w.fingerprint() {
			t.Errorf("decoded back: %s (ARP/ND %v %#x %q), want %s", d.fingerprint(), d.HasARPND,
				d.NDFlags, d.BadARPND, w.fingerprint())
		}
	}
}

// withReconciled: an adapter that believes gobgpd is connected and
// reconciled, so that dumps queue their differences (no gRPC call is made).
func withReconciled(a *adapter) {
	a.bc = &bgpClient{}
	a.reconciled = true
}

func dumpInto(a *adapter, epochSeq uint64, recs []record) {
	a.event(&record{Type: evDumpBegin, Epoch: a.dumpEpoch, EvSeq: epochSeq})
	for i := range recs {
		r := recs[i]
		r.Flags |= flagDump
		a.event(&r)
	}
	a.event(&record{Type: evDumpEnd, Epoch: a.dumpEpoch})
}

// TestAdapterMACIP: MAC+IP routes through the adapter's event paths: a dump,
// live MACIP_LEARNED and MACIP_AGED, a MAC moving (its MAC+IP routes follow
// its sequence), a new dump replacing the set, and a restarted adapter that
// finds its routes in gobgpd unchanged.
func TestAdapterMACIP(t *testing.T) {
	a, _ := testAdapter(t)
	withReconciled(a)
	dump := append(originRecords(), macipRecords()...)
	dumpInto(a, 100, dump)
	if !a.synced || a.st.badMACIP != 2 {
		t.Fatalf("after the dump: synced %v, bad MACIP events %d", a.synced, a.st.badMACIP)
	}
	all := append(expectedOrigin(v4("192.0.2.1")), expectedMACIP(v4("192.0.2.1"))...)
	checkAdvertised(t, "dump", a, all...)
	if len(a.pending) != len(all) {
		t.Errorf("dump: %d pending, want %d", len(a.pending), len(all))
	}
	clearPending(a)
	if st := a.st.snapshot(a); st.Model.Bindings != 6+2 || st.Origin.ByType["rt2-mac-ip"] != 6 ||
		st.Ring.BadMACIP != 2 {
		t.Errorf("status: %d bindings, by type %v, bad %d", st.Model.Bindings, st.Origin.ByType, st.Ring.BadMACIP)
	}

	// live: a new IPv6 binding with R on MAC 02 (segment esiT1)
	learned := evMACIPRec(evMacIPLearned, 10100, "02:00:00:00:00:02", "2001:db8:10::2", esiT1, flagNDRouter)
	learned.EvSeq = 101
	a.event(&learned)
	r6 := &evpnRoute{Type: 2, RD: "10.0.0.1:100", ESI: esiT1, MAC: hw("02:00:00:00:00:02"),
		IP: v6("2001:db8:10::2"), Labels: []uint32{10100}, NextHop: v4("192.0.2.1"),
		RTs: []string{"65000:10100"}, Encap: 8, Owner: "mac:10100:02:00:00:00:00:02",
		HasARPND: true, NDFlags: arpNDRouter | arpNDOverride}
	checkPending(t, "MACIP learned", a, "+"+r6.key())
	checkRoute(t, "MACIP learned", a.pending[r6.key()].route, r6)

	// the router flag goes: the route is re-advertised without the community
	clearPending(a)
	learned.Flags, learned.EvSeq = 0, 102
	a.event(&learned)
	r6b := *r6
	r6b.HasARPND, r6b.NDFlags = false, 0
	checkPending(t, "R cleared", a, "+"+r6.key())
	checkRoute(t, "R cleared", a.pending[r6.key()].route, &r6b)

	// aged: withdrawn, the MAC route and the other binding of MAC 02 stay
	clearPending(a)
	aged := evMACIPRec(evMacIPAged, 10100, "02:00:00:00:00:02", "2001:db8:10::2", esiT1, 0)
	aged.EvSeq = 103
	a.event(&aged)
	checkPending(t, "MACIP aged", a, "-"+r6.key())
	checkAdvertised(t, "MACIP aged", a, all...)

	// MAC 01 moves (sequence 6): its MAC route and both MAC+IP routes follow
	clearPending(a)
	mv := evMACRec(evMacMoved, 10100, "02:00:00:00:00:01", 6, [10]byte{}, 0, 2)
	mv.EvSeq = 104
	a.event(&mv)
	if len(a.pending) != 3 {
		t.Errorf("MAC moved: pending %v", pendingOf(a))
	}
	for _, op := range a.pending {
		if op.withdraw || !op.route.HasMobility || op.route.Seq != 6 {
			t.Errorf("MAC moved: %s", op.route.fingerprint())
		}
	}

	// a new dump: the binding 198.18.10.1 is gone, 2001:db8:20::3 became a
	// router's; everything else unchanged and not sent again
	clearPending(a)
	var dump2 []record
	for _, r := range append(originRecords(), macipRecords()...) {
		if r.Type == evMacIPLearned && r.IPAF == afIPv4 && r.IP == addr16("198.18.10.1") {
			continue
		}
		if r.Type == evMacIPLearned && r.IP == addr16("2001:db8:20::3") {
			r.Flags |= flagNDRouter
		}
		dump2 = append(dump2, r)
	}
	a.dumpEpoch = 2
	dumpInto(a, 200, dump2)
	want2 := expectedOrigin(v4("192.0.2.1"))
	var gone, changed *evpnRoute
	for _, r := range expectedMACIP(v4("192.0.2.1")) {
		switch {
		case r.IP.Equal(v4("198.18.10.1")):
			gone = r
			continue
		case r.IP.Equal(v6("2001:db8:20::3")):
			r.HasARPND, r.NDFlags = true, arpNDRouter|arpNDOverride
			changed = r
		}
		want2 = append(want2, r)
	}
	// MAC 01 is at sequence 0 again in the dump: its MAC route and its
	// remaining MAC+IP route are sent again
	mac01 := &evpnRoute{Type: 2, RD: "10.0.0.1:100", MAC: hw("02:00:00:00:00:01")}
	mac01v6 := &evpnRoute{Type: 2, RD: "10.0.0.1:100", MAC: hw("02:00:00:00:00:01"), IP: v6("2001:db8:10::1")}
	got := pendingOf(a)
	sort.Strings(got)
	exp := []string{"-" + gone.key(), "+" + changed.key(), "+" + mac01.key(), "+" + mac01v6.key()}
	sort.Strings(exp)
	if fmt.Sprint(got) != fmt.Sprint(exp) {
		t.Errorf("second dump: pending %v, want %v", got, exp)
	}
	checkAdvertised(t, "second dump", a, want2...)

	// a restarted adapter: gobgpd holds our paths (as local paths); the
	// reconciliation finds every MAC+IP route unchanged, community included
	b, _ := testAdapter(t)
	withReconciled(b)
	have := map[string]*evpnRoute{}
	for _, r := range a.advertised {
		p, err := r.toPath()
		if err != nil {
			t.Fatal(err)
		}
		d, err := decodePath(p)
		if err != nil || !b.org.ours(a.m, d) {
			t.Fatalf("local path %s: %v, ours %v", r.key(), err, d != nil && b.org.ours(a.m, d))
		}
		have[d.key()] = d
	}
	b.advertised = have
	b.dumpEpoch = 9
	dumpInto(b, 300, dump2)
	checkPending(t, "restarted", b)
	checkAdvertised(t, "restarted", b, want2...)
}

// ---- intake ----

func macipPath(t *testing.T, m, ip string, vni uint32, comms ...*anypb.Any) *api.Path {
	nlri := &api.EVPNMACIPAdvertisementRoute{Rd: rdIP(t, "192.0.2.2", 100), Esi: apiESI([10]byte{}),
		MacAddress: m, IpAddress: ip, Labels: []uint32{vni}}
	cs := append([]*anypb.Any{rt2(t, 65000, vni), encapVXLAN(t)}, comms...)
	return path(t, nlri, ecAttr(t, cs...), mpReach(t, anyOf(t, nlri), "192.0.2.2"))
}

// arpNDEC: the ARP/ND community as GoBGP's API carries it (value: sub-type
// and six octets).
func arpNDEC(t testing.TB, value ...byte) *anypb.Any {
	return anyOf(t, &api.UnknownExtended{Type: 6, Value: value})
}

func TestIntakeMACIP(t *testing.T) {
	vtep2 := addr16("192.0.2.2")
	rec := func(m, ip string, vni uint32, flags uint8) record {
		r := record{Type: recRT2, VNI: vni, MAC: mac6(m), VtepAF: afIPv4, Vtep: vtep2, Flags: flags}
		if ip != "" {
			setAddr(net.ParseIP(ip), &r.IPAF, &r.IP)
		}
		return r
	}
	cases := []struct {
		name string
		p    *api.Path
		want record
	}{
		{"IPv4, no community", macipPath(t, "02:00:00:00:01:01", "198.18.20.1", 10100),
			rec("02:00:00:00:01:01", "198.18.20.1", 10100, 0)},
		{"IPv4, R", macipPath(t, "02:00:00:00:01:02", "198.18.20.2", 10100, arpNDEC(t, 8, 0x01, 0, 0, 0, 0, 0)),
			rec("02:00:00:00:01:02", "198.18.20.2", 10100, flagNDRouter)},
		{"IPv6, R and O", macipPath(t, "02:00:00:00:01:03", "2001:db8:20::3", 10200, arpNDEC(t, 8, 0x03, 0, 0, 0, 0, 0)),
			rec("02:00:00:00:01:03", "2001:db8:20::3", 10200, flagNDRouter)},
		{"IPv6, O only", macipPath(t, "02:00:00:00:01:04", "2001:db8:20::4", 10200, arpNDEC(t, 8, 0x02, 0, 0, 0, 0, 0)),
			rec("02:00:00:00:01:04", "2001:db8:20::4", 10200, 0)},
		{"IPv6, no community", macipPath(t, "02:00:00:00:01:05", "2001:db8:20::5", 10200),
			rec("02:00:00:00:01:05", "2001:db8:20::5", 10200, 0)},
		{"IPv6, R, I and unknown bits, reserved octets set (ignored)",
			macipPath(t, "02:00:00:00:01:06", "2001:db8:20::6", 10200, arpNDEC(t, 8, 0xf9, 1, 2, 3, 4, 5)),
			rec("02:00:00:00:01:06", "2001:db8:20::6", 10200, flagNDRouter)},
		{"MAC only, with R (no IP: nothing to flag)",
			macipPath(t, "02:00:00:00:01:07", "", 10100, arpNDEC(t, 8, 0x01, 0, 0, 0, 0, 0)),
			rec("02:00:00:00:01:07", "", 10100, 0)},
		{"MAC only, as before", macipPath(t, "02:00:00:00:01:08", "", 10100),
			rec("02:00:00:00:01:08", "", 10100, 0)},
		{"the same community twice", macipPath(t, "02:00:00:00:01:09", "2001:db8:20::9", 10200,
			arpNDEC(t, 8, 0x01, 0, 0, 0, 0, 0), arpNDEC(t, 8, 0x01, 0, 0, 0, 0, 0)),
			rec("02:00:00:00:01:09", "2001:db8:20::9", 10200, flagNDRouter)},
	}
	var logs []string
	in := testIntake(&logs)
	for _, c := range cases {
		r, err := decodePath(c.p)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		out := in.apply(r)
		if len(out) != 1 {
			t.Errorf("%s: %d records", c.name, len(out))
			continue
		}
		checkRecord(t, c.name, out[0], c.want)
		// and its withdrawal (a withdrawn path carries the NLRI)
		wp := proto.Clone(c.p).(*api.Path)
		wp.IsWithdraw = true
		wr, _ := decodePath(wp)
		out = in.apply(wr)
		w := c.want
		w.Op = opWithdraw
		if len(out) != 1 {
			t.Errorf("%s withdrawn: %d records", c.name, len(out))
			continue
		}
		checkRecord(t, c.name+" withdrawn", out[0], w)
	}
	if len(in.skips) != 0 || len(in.evf) != 0 {
		t.Errorf("skips %v, %d routes left", in.skips, len(in.evf))
	}

	// our own MAC+IP routes are not fed back (local path, or our next hop)
	own := macipPath(t, "02:00:00:00:01:0a", "2001:db8:20::a", 10200, arpNDEC(t, 8, 1, 0, 0, 0, 0, 0))
	own.NeighborIp = ""
	r, _ := decodePath(own)
	if out := in.apply(r); len(out) != 0 || in.skips[skipOwn] != 1 {
		t.Errorf("own route: %v, skips %v", out, in.skips)
	}
}

// Malformed ARP/ND communities: counted under bad-arp-nd-community (logged
// once), the route not used; one that was in evfwd is withdrawn; nothing panics.
func TestIntakeMACIPMalformed(t *testing.T) {
	var logs []string
	in := testIntake(&logs)
	good := macipPath(t, "02:00:00:00:02:01", "2001:db8:20::21", 10200, arpNDEC(t, 8, 1, 0, 0, 0, 0, 0))
	r, _ := decodePath(good)
	if out := in.apply(r); len(out) != 1 || out[0].Flags != flagNDRouter {
		t.Fatalf("good route: %v", out)
	}
	bad := []*api.Path{
		// the same route, now with a short community: treated as withdrawn
		macipPath(t, "02:00:00:00:02:01", "2001:db8:20::21", 10200, arpNDEC(t, 8, 1)),
		macipPath(t, "02:00:00:00:02:02", "198.18.20.22", 10100, arpNDEC(t, 8, 1, 0, 0, 0, 0, 0, 0, 0)),
		macipPath(t, "02:00:00:00:02:03", "2001:db8:20::23", 10200, arpNDEC(t, 8)),
		macipPath(t, "02:00:00:00:02:04", "2001:db8:20::24", 10200,
			arpNDEC(t, 8, 1, 0, 0, 0, 0, 0), arpNDEC(t, 8, 0, 0, 0, 0, 0, 0)),
	}
	for i, p := range bad {
		r, err := decodePath(p)
		if err != nil {
			t.Fatalf("bad %d: decodePath: %v", i, err)
		}
		if r.BadARPND == "" {
			t.Errorf("bad %d: not recognised as malformed", i)
		}
		out := in.apply(r)
		if i == 0 {
			if len(out) != 1 || out[0].Op != opWithdraw || out[0].IP != addr16("2001:db8:20::21") {
				t.Errorf("bad %d: the route in evfwd is not withdrawn: %v", i, out)
			}
		} else if len(out) != 0 {
			t.Errorf("bad %d: %v written", i, out)
		}
	}
	if in.skips[skipBadARPND] != 4 || len(in.evf) != 0 {
		t.Errorf("skips %v, %d routes left", in.skips, len(in.evf))
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "bad-arp-nd-community") {
		t.Errorf("logs %q", logs)
	}
	// an EVPN community without even a sub-type is only unknown
	r, err := decodePath(macipPath(t, "02:00:00:00:02:05", "198.18.20.25", 10100, arpNDEC(t)))
	if err != nil || r.BadARPND != "" || len(r.Unknown) != 1 {
		t.Errorf("empty EVPN community: %v %v", r, err)
	}
}
