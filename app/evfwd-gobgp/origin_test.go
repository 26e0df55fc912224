// origin_test.go: evfwd's local state (events-ring records) -> the model ->
// the routes evfwd-gobgp originates, and their toPath -> decodePath round trip.
package main

import (
	"fmt"
	"net"
	"reflect"
	"sort"
	"strings"
	"testing"

	api "github.com/osrg/gobgp/api"
	"google.golang.org/protobuf/proto"
)

// refusedESI: type 4 with a last octet other than 0, which GoBGP 3.10 peers refuse.
var refusedESI = [10]byte{0x04, 192, 0, 2, 1, 0, 0, 0, 7, 0x07}

func evNodeRec(vtep4, vtep6 string) record {
	r := record{Type: evNode}
	if vtep4 != "" {
		r.VtepAF, r.Vtep = afIPv4, addr16(vtep4)
	}
	if vtep6 != "" {
		r.IPAF, r.IP = afIPv6, addr16(vtep6)
	}
	return r
}

func evBDRec(vni, evi uint32) record { return record{Type: evBD, VNI: vni, EVI: evi} }

func evESBDRec(esi [10]byte, vni uint32, df bool) record {
	r := record{Type: evESBD, ESI: esi, VNI: vni}
	if df {
		r.Flags = flagDF
	}
	return r
}

func evESRec(typ uint8, esi [10]byte, flags, alg uint8, pref uint16) record {
	return record{Type: typ, ESI: esi, Flags: flags, DFAlg: alg, DFPref: pref}
}

func evMACRec(typ uint8, vni uint32, m string, seq uint32, esi [10]byte, flags uint8, attach uint16) record {
	return record{Type: typ, VNI: vni, MAC: mac6(m), Seq: seq, ESI: esi, Flags: flags, Attach: attach}
}

// originRecords: the local state of one evfwd, as its events ring tells it.
func originRecords() []record {
	return []record{
		evNodeRec("192.0.2.1", "2001:db8::1"),
		evBDRec(10100, 100), evBDRec(10200, 200), evBDRec(10300, 300), // EVI != VNI
		// esiT1: single-active, modulo, in 10100 and 10200
		evESBDRec(esiT1, 10100, true), evESBDRec(esiT1, 10200, false),
		evESRec(evESUp, esiT1, flagSingleActive, dfTypeModulo, 0),
		// esiT0 (type 0: any last octet): preference 300 with Don't-Preempt,
		// in 10200, 10300 and 10999 (no such MAC-VRF: ignored)
		evESBDRec(esiT0, 10200, false), evESBDRec(esiT0, 10300, true), evESBDRec(esiT0, 10999, false),
		evESRec(evESUp, esiT0, flagDontPreempt, 2, 300),
		// esiT3: HRW in 10100
		evESBDRec(esiT3, 10100, false), evESRec(evESUp, esiT3, 0, 1, 0),
		// esiT5: modulo with Don't-Preempt in 10300
		evESBDRec(esiT5, 10300, false), evESRec(evESUp, esiT5, flagDontPreempt, dfTypeModulo, 0),
		// refused by GoBGP peers
		evESBDRec(refusedESI, 10100, false), evESRec(evESUp, refusedESI, 0, dfTypeModulo, 0),
		// esiT2: up then down; esiT4: never up
		evESBDRec(esiT2, 10100, false), evESRec(evESUp, esiT2, 0, 2, 5), evESRec(evESDown, esiT2, 0, 0, 0),
		evESBDRec(esiT4, 10200, false),
		// MACs
		evMACRec(evMacLearned, 10100, "02:00:00:00:00:01", 0, [10]byte{}, 0, 1),
		evMACRec(evMacFrozen, 10100, "02:00:00:00:00:01", 0, [10]byte{}, 0, 1),
		evMACRec(evMacLearned, 10100, "02:00:00:00:00:02", 0, esiT1, 0, 2),
		evMACRec(evMacLearned, 10200, "02:00:00:00:00:03", 1, [10]byte{}, 0, 1),
		evMACRec(evMacMoved, 10200, "02:00:00:00:00:03", 4, [10]byte{}, 0, 3),
		evMACRec(evMacLearned, 10300, "02:00:00:00:00:04", 0, [10]byte{}, flagSticky, 1), // static
		evMACRec(evMacLearned, 10100, "02:00:00:00:00:05", 0, [10]byte{}, 0, 1),
		evMACRec(evMacAged, 10100, "02:00:00:00:00:05", 0, [10]byte{}, 0, 1),
		evMACRec(evMacLearned, 10100, "02:00:00:00:00:06", 0, [10]byte{}, 0, 1),
		evMACRec(evMacMoved, 10100, "02:00:00:00:00:06", 2, [10]byte{}, 0, attachNone), // now remote
		evMACRec(evMacLearned, 10100, "02:00:00:00:00:07", 0, refusedESI, 0, 4),
		evMACRec(evMacLearned, 10999, "02:00:00:00:00:08", 0, [10]byte{}, 0, 1), // no MAC-VRF
		{Type: evDFChange, ESI: esiT1, VNI: 10200, Flags: flagDF},
	}
}

func originSet() originSettings {
	return originSettings{routerID: "10.0.0.1", asn: 65000, dfElection: true, arpND: true,
		rd: map[uint32]string{10300: "65000:300"},
		rt: map[uint32][]string{10300: {"65000:3000", "10.0.0.9:3"}}}
}

func testOriginator(set originSettings, logs *[]string) *originator {
	return &originator{set: set, warnOnce: map[string]bool{}, refused: map[string]uint64{},
		logf: func(f string, a ...interface{}) { *logs = append(*logs, fmt.Sprintf(f, a...)) }}
}

func buildModel(recs []record) *model {
	m := newModel()
	for i := range recs {
		m.apply(&recs[i])
	}
	return m
}

// expectedOrigin: every route of originRecords with originSet, written out.
func expectedOrigin(nh net.IP) []*evpnRoute {
	rt100, rt200 := []string{"65000:10100"}, []string{"65000:10200"}
	rt300 := []string{"10.0.0.9:3", "65000:3000"} // the override, sorted
	rt3 := func(vni uint32, rd string, rts []string) *evpnRoute {
		return &evpnRoute{Type: 3, RD: rd, IP: nh, NextHop: nh, RTs: rts, Encap: 8, HasPMSI: true,
			PMSIType: 6, PMSILabel: vni, PMSIID: nh, Owner: fmt.Sprintf("bd:%d", vni)}
	}
	rt2 := func(vni uint32, rd string, rts []string, m string, esi [10]byte) *evpnRoute {
		return &evpnRoute{Type: 2, RD: rd, ESI: esi, MAC: hw(m), Labels: []uint32{vni}, NextHop: nh,
			RTs: rts, Encap: 8, Owner: fmt.Sprintf("mac:%d:%s", vni, m)}
	}
	rt4 := func(esi [10]byte, df dfElection) *evpnRoute {
		return &evpnRoute{Type: 4, RD: "10.0.0.1:0", ESI: esi, IP: nh, NextHop: nh, Encap: 8,
			ESImport: net.HardwareAddr(esi[1:7]), DF: df, Owner: "es:" + esiText(esi)}
	}
	perES := func(esi [10]byte, rts []string, sa bool) *evpnRoute {
		return &evpnRoute{Type: 1, RD: "10.0.0.1:0", ESI: esi, ETag: maxET, Labels: []uint32{0},
			NextHop: nh, RTs: rts, Encap: 8, HasESILabel: true, SingleActive: sa, Owner: "es:" + esiText(esi)}
	}
	perEVI := func(esi [10]byte, vni uint32, rd string, rts []string) *evpnRoute {
		return &evpnRoute{Type: 1, RD: rd, ESI: esi, Labels: []uint32{vni}, NextHop: nh, RTs: rts,
			Encap: 8, Owner: "es:" + esiText(esi)}
	}
	mob := func(r *evpnRoute, seq uint32, sticky bool) *evpnRoute {
		r.HasMobility, r.Seq, r.Sticky = true, seq, sticky
		return r
	}
	return []*evpnRoute{
		rt3(10100, "10.0.0.1:100", rt100), rt3(10200, "10.0.0.1:200", rt200), rt3(10300, "65000:300", rt300),
		rt2(10100, "10.0.0.1:100", rt100, "02:00:00:00:00:01", [10]byte{}),
		rt2(10100, "10.0.0.1:100", rt100, "02:00:00:00:00:02", esiT1),
		mob(rt2(10200, "10.0.0.1:200", rt200, "02:00:00:00:00:03", [10]byte{}), 4, false),
		mob(rt2(10300, "65000:300", rt300, "02:00:00:00:00:04", [10]byte{}), 0, true),
		rt4(esiT1, dfElection{}),
		perES(esiT1, []string{"65000:10100", "65000:10200"}, true),
		perEVI(esiT1, 10100, "10.0.0.1:100", rt100), perEVI(esiT1, 10200, "10.0.0.1:200", rt200),
		rt4(esiT0, dfElection{Present: true, Alg: 2, Bitmap: dfBitmapDP, Pref: 300}),
		perES(esiT0, []string{"10.0.0.9:3", "65000:10200", "65000:3000"}, false),
		perEVI(esiT0, 10200, "10.0.0.1:200", rt200), perEVI(esiT0, 10300, "65000:300", rt300),
		rt4(esiT3, dfElection{Present: true, Alg: 1}),
		perES(esiT3, rt100, false), perEVI(esiT3, 10100, "10.0.0.1:100", rt100),
		rt4(esiT5, dfElection{Present: true, Alg: 0, Bitmap: dfBitmapDP}),
		perES(esiT5, rt300, false), perEVI(esiT5, 10300, "65000:300", rt300),
	}
}

func checkOrigin(t *testing.T, what string, got map[string]*evpnRoute, want []*evpnRoute) {
	t.Helper()
	seen := map[string]bool{}
	for _, w := range want {
		k := w.key()
		seen[k] = true
		g := got[k]
		if g == nil {
			t.Errorf("%s: missing %s", what, w.fingerprint())
			continue
		}
		checkRoute(t, what+" "+k, g, w)
	}
	for k, g := range got {
		if !seen[k] {
			t.Errorf("%s: unexpected %s (owner %s)", what, g.fingerprint(), g.Owner)
		}
	}
}

func TestOriginAll(t *testing.T) {
	var logs []string
	o := testOriginator(originSet(), &logs)
	m := buildModel(originRecords())
	got := o.all(m)
	checkOrigin(t, "all", got, expectedOrigin(v4("192.0.2.1")))
	if len(got) != 21 {
		t.Errorf("%d routes, want 21", len(got))
	}
	if want := map[string]uint64{"esi-refused-by-gobgp-peers": 2}; !reflect.DeepEqual(o.refused, want) {
		t.Errorf("refused %v, want %v (the refused segment and its MAC)", o.refused, want)
	}
	// one warning for the refused ESI, one per segment sending DF Election
	var esiWarn, dfWarn int
	for _, l := range logs {
		switch {
		case strings.Contains(l, esiText(refusedESI)) && strings.Contains(l, "last octet"):
			esiWarn++
		case strings.Contains(l, "DF Election"):
			dfWarn++
		default:
			t.Errorf("log %q", l)
		}
	}
	if esiWarn != 1 || dfWarn != 3 {
		t.Errorf("%d ESI and %d DF warnings, want 1 and 3: %v", esiWarn, dfWarn, logs)
	}
	// the same again: same routes, warnings not repeated, refusals counted again
	logs = nil
	checkOrigin(t, "all again", o.all(m), expectedOrigin(v4("192.0.2.1")))
	if len(logs) != 0 || o.refused["esi-refused-by-gobgp-peers"] != 4 {
		t.Errorf("second pass: logs %v, refused %v", logs, o.refused)
	}

	// routesOf: one owner at a time gives the same routes
	byOwner := map[string]*evpnRoute{}
	for _, c := range []change{{kind: 'b', vni: 10100}, {kind: 'b', vni: 10200}, {kind: 'b', vni: 10300},
		{kind: 's', esi: esiT0}, {kind: 's', esi: esiT1}, {kind: 's', esi: esiT3}, {kind: 's', esi: esiT5},
		{kind: 's', esi: esiT2}, {kind: 's', esi: esiT4}, {kind: 's', esi: refusedESI},
		{kind: 'm', mac: macKey{10100, mac6("02:00:00:00:00:01")}}, {kind: 'm', mac: macKey{10100, mac6("02:00:00:00:00:02")}},
		{kind: 'm', mac: macKey{10200, mac6("02:00:00:00:00:03")}}, {kind: 'm', mac: macKey{10300, mac6("02:00:00:00:00:04")}},
		{kind: 'm', mac: macKey{10100, mac6("02:00:00:00:00:05")}}, {kind: 'm', mac: macKey{10100, mac6("02:00:00:00:00:06")}},
		{kind: 'm', mac: macKey{10100, mac6("02:00:00:00:00:07")}}, {kind: 'm', mac: macKey{10999, mac6("02:00:00:00:00:08")}},
		{kind: 'b', vni: 10999}, {}} {
		for _, r := range o.routesOf(m, c) {
			byOwner[r.key()] = r
		}
	}
	checkOrigin(t, "routesOf", byOwner, expectedOrigin(v4("192.0.2.1")))
}

func TestOriginVariants(t *testing.T) {
	recs := originRecords()

	// --df-election=false: no DF Election community, counted per segment
	var logs []string
	set := originSet()
	set.dfElection = false
	o := testOriginator(set, &logs)
	want := expectedOrigin(v4("192.0.2.1"))
	for _, r := range want {
		r.DF = dfElection{}
	}
	checkOrigin(t, "df-election=false", o.all(buildModel(recs)), want)
	if o.refused["df-election-left-out"] != 3 {
		t.Errorf("df-election-left-out %d, want 3", o.refused["df-election-left-out"])
	}

	// --allow-any-esi: the refused segment and its MAC are advertised
	set = originSet()
	set.allowAnyESI = true
	o = testOriginator(set, &logs)
	got := o.all(buildModel(recs))
	if len(got) != 21+4 || len(o.refused) != 0 {
		t.Errorf("allow-any-esi: %d routes (want 25), refused %v", len(got), o.refused)
	}
	for _, k := range []string{
		"4|10.0.0.1:0|04c00002010000000707|192.0.2.1",
		fmt.Sprintf("1|10.0.0.1:0|%x|%d", refusedESI, uint32(maxET)),
		fmt.Sprintf("1|10.0.0.1:100|%x|0", refusedESI),
		"2|10.0.0.1:100|0|02:00:00:00:00:07|-",
	} {
		if got[k] == nil {
			t.Errorf("allow-any-esi: no %s", k)
		}
	}

	// --next-hop overrides evfwd's VTEP everywhere
	set = originSet()
	set.nextHop = v4("198.51.100.1")
	o = testOriginator(set, &logs)
	checkOrigin(t, "next-hop override", o.all(buildModel(recs)), expectedOrigin(v4("198.51.100.1")))

	// an IPv6-only evfwd
	recs6 := append([]record{}, recs...)
	recs6[0] = evNodeRec("", "2001:db8::1")
	o = testOriginator(originSet(), &logs)
	checkOrigin(t, "IPv6 VTEP", o.all(buildModel(recs6)), expectedOrigin(v6("2001:db8::1")))

	// no VTEP yet: nothing
	o = testOriginator(originSet(), &logs)
	if got := o.all(buildModel(recs[1:])); len(got) != 0 {
		t.Errorf("no VTEP: %d routes", len(got))
	}

	// no MAC-VRF: a segment with no usable VNI still has its RT4 and RT1 per-ES
	o = testOriginator(originSet(), &logs)
	got = o.all(buildModel([]record{evNodeRec("192.0.2.1", ""), evESBDRec(esiT1, 10100, false),
		evESRec(evESUp, esiT1, 0, 0, 0)}))
	es := got[fmt.Sprintf("1|10.0.0.1:0|%x|%d", esiT1, uint32(maxET))]
	if len(got) != 2 || got["4|10.0.0.1:0|01aabbccddee01000100|192.0.2.1"] == nil || es == nil || es.RTs != nil {
		t.Errorf("segment without MAC-VRF: %v", got)
	}
}

func TestOriginOurs(t *testing.T) {
	var logs []string
	o := testOriginator(originSet(), &logs)
	m := buildModel(originRecords())
	cases := []struct {
		r    evpnRoute
		want bool
	}{
		{evpnRoute{RD: "10.0.0.1:100", NextHop: v4("192.0.2.9")}, true},  // our router id
		{evpnRoute{RD: "10.0.0.1:0"}, true},                              // segment RD
		{evpnRoute{RD: "65000:300", NextHop: v4("192.0.2.9")}, true},     // per-VNI RD
		{evpnRoute{RD: "192.0.2.9:100", NextHop: v4("192.0.2.1")}, true}, // our next hop
		{evpnRoute{RD: "10.0.0.10:100", NextHop: v4("192.0.2.9")}, false},
		{evpnRoute{RD: "10.0.0.1", NextHop: v4("192.0.2.9")}, false},
		{evpnRoute{RD: "192.0.2.9:100"}, false},
	}
	for _, c := range cases {
		r := c.r
		if got := o.ours(m, &r); got != c.want {
			t.Errorf("ours(RD %s, next hop %v) = %v", c.r.RD, c.r.NextHop, got)
		}
	}
}

func TestModelApply(t *testing.T) {
	m := newModel()
	step := func(r record, want change) {
		t.Helper()
		if got := m.apply(&r); !reflect.DeepEqual(got, want) {
			t.Errorf("apply(type %d) = %+v, want %+v", r.Type, got, want)
		}
	}
	step(evNodeRec("192.0.2.1", "2001:db8::1"), change{owner: "*"})
	if !m.vtep4.Equal(v4("192.0.2.1")) || len(m.vtep4) != 4 || !m.vtep6.Equal(v6("2001:db8::1")) {
		t.Errorf("node: %v %v", m.vtep4, m.vtep6)
	}
	step(evBDRec(10100, 100), change{owner: "bd:10100", kind: 'b', vni: 10100})
	step(evESBDRec(esiT1, 10100, true), change{owner: "es:" + esiText(esiT1), kind: 's', esi: esiT1})
	step(evESRec(evESUp, esiT1, flagSingleActive|flagDontPreempt, 2, 7), change{owner: "es:" + esiText(esiT1), kind: 's', esi: esiT1})
	s := m.segs[esiT1]
	if !s.up || !s.singleActive || !s.dp || s.alg != 2 || s.pref != 7 || !s.vnis[10100] || !s.df[10100] {
		t.Errorf("segment up: %+v", s)
	}
	step(record{Type: evDFChange, ESI: esiT1, VNI: 10100}, change{})
	if s.df[10100] {
		t.Error("DF change not applied")
	}
	step(evESRec(evESDown, esiT1, 0, 0, 0), change{owner: "es:" + esiText(esiT1), kind: 's', esi: esiT1})
	if s.up || s.singleActive {
		t.Errorf("segment down: %+v", s)
	}
	k := macKey{10100, mac6("02:00:00:00:00:01")}
	mc := change{owner: "mac:10100:02:00:00:00:00:01", kind: 'm', mac: k}
	step(evMACRec(evMacLearned, 10100, "02:00:00:00:00:01", 3, esiT1, flagSticky, 1), mc)
	if lm := m.macs[k]; lm.seq != 3 || lm.esi != esiT1 || !lm.sticky {
		t.Errorf("MAC: %+v", lm)
	}
	step(evMACRec(evMacFrozen, 10100, "02:00:00:00:00:01", 0, [10]byte{}, 0, 1), change{})
	step(evMACRec(evMacUnfrozen, 10100, "02:00:00:00:00:01", 0, [10]byte{}, 0, 1), change{})
	step(evMACRec(evMacMoved, 10100, "02:00:00:00:00:01", 4, [10]byte{}, 0, 2), mc)
	if lm := m.macs[k]; lm.seq != 4 || lm.sticky || !isZeroESI(lm.esi) {
		t.Errorf("MAC moved: %+v", lm)
	}
	step(evMACRec(evMacMoved, 10100, "02:00:00:00:00:01", 5, [10]byte{}, 0, attachNone), mc)
	if _, ok := m.macs[k]; ok {
		t.Error("MAC moved away still local")
	}
	step(evMACRec(evMacLearned, 10100, "02:00:00:00:00:01", 0, [10]byte{}, 0, 1), mc)
	step(evMACRec(evMacAged, 10100, "02:00:00:00:00:01", 0, [10]byte{}, 0, 1), mc)
	if len(m.macs) != 0 {
		t.Error("MAC aged still local")
	}
	step(record{Type: recRT2}, change{})
}

// TestOriginRoundTrip: everything origin.go produces survives toPath, the
// wire format and decodePath with the same key and fingerprint.
func TestOriginRoundTrip(t *testing.T) {
	var logs []string
	var routes []*evpnRoute
	for _, v := range []struct {
		node record
		set  func(*originSettings)
	}{
		{evNodeRec("192.0.2.1", ""), func(*originSettings) {}},
		{evNodeRec("", "2001:db8::1"), func(*originSettings) {}},
		{evNodeRec("192.0.2.1", ""), func(s *originSettings) { s.allowAnyESI = true }},
		{evNodeRec("192.0.2.1", ""), func(s *originSettings) {
			// RDs of the three types, RTs of the three kinds
			s.rd = map[uint32]string{10100: "192.0.2.77:65535", 10200: "4200000000:65535", 10300: "65535:4294967295"}
			s.rt = map[uint32][]string{10100: {"4200000000:1", "192.0.2.77:100"}, 10200: {"65000:4294967295"}}
			s.asn = 4200000001
		}},
	} {
		set := originSet()
		v.set(&set)
		recs := originRecords()
		recs[0] = v.node
		for _, r := range testOriginator(set, &logs).all(buildModel(recs)) {
			routes = append(routes, r)
		}
	}
	types := map[uint8]int{}
	for _, r := range routes {
		for _, withdraw := range []bool{false, true} {
			c := *r
			c.Withdraw = withdraw
			p, err := c.toPath()
			if err != nil {
				t.Errorf("toPath %s: %v", c.fingerprint(), err)
				continue
			}
			if !proto.Equal(p.Family, &api.Family{Afi: api.Family_AFI_L2VPN, Safi: api.Family_SAFI_EVPN}) ||
				p.IsWithdraw != withdraw {
				t.Errorf("toPath %s: family %v withdraw %v", c.fingerprint(), p.Family, p.IsWithdraw)
			}
			b, err := proto.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			p2 := &api.Path{}
			if err := proto.Unmarshal(b, p2); err != nil {
				t.Fatal(err)
			}
			d, err := decodePath(p2)
			if err != nil {
				t.Errorf("decodePath(toPath(%s)): %v", c.fingerprint(), err)
				continue
			}
			if d.fingerprint() != c.fingerprint() || d.key() != c.key() || d.Withdraw != withdraw ||
				!d.Local || len(d.Unknown) != 0 {
				t.Errorf("round trip:\n got %s (withdraw %v, local %v, unknown %v)\nwant %s",
					d.fingerprint(), d.Withdraw, d.Local, d.Unknown, c.fingerprint())
			}
		}
		types[r.Type]++
	}
	if types[1] == 0 || types[2] == 0 || types[3] == 0 || types[4] == 0 {
		t.Errorf("route types covered: %v", types)
	}
	var keys []string
	for _, r := range routes {
		keys = append(keys, r.key())
	}
	sort.Strings(keys)
	t.Logf("%d routes round-tripped", len(keys))

	// toPath refuses what it cannot encode
	for _, r := range []evpnRoute{
		{Type: 5, RD: "10.0.0.1:1"},
		{Type: 0, RD: "10.0.0.1:1"},
		{Type: 3, RD: "10.0.0.1:70000", IP: v4("192.0.2.1"), NextHop: v4("192.0.2.1")},
		{Type: 3, RD: "10.0.0.1:1", IP: v4("192.0.2.1"), NextHop: v4("192.0.2.1"), RTs: []string{"x:1"}},
	} {
		if _, err := r.toPath(); err == nil {
			t.Errorf("toPath(%s) accepted", r.fingerprint())
		}
	}
}

// A MAC-VRF whose EVI does not fit router-id:EVI (a type-1 RD holds 16 bits)
// advertises nothing without --rd; with --rd VNI=RD it does.
func TestOriginEVIAbove65535(t *testing.T) {
	esi := [10]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	recs := []record{evNodeRec("198.18.0.1", ""), evBDRec(70000, 70000),
		evESBDRec(esi, 70000, true), evESRec(evESUp, esi, 0, 0, 0),
		evMACRec(evMacLearned, 70000, "02:00:00:00:00:01", 0, [10]byte{}, 0, 1)}
	m := buildModel(recs)
	var logs []string
	o := testOriginator(originSet(), &logs)
	got := o.all(m)
	for k, r := range got {
		if r.Type != 4 && !(r.Type == 1 && r.ETag == maxET) {
			t.Errorf("route %s advertised with EVI 70000 and no --rd", k)
		}
	}
	if len(got) != 2 || o.refused["rd-evi-above-65535"] == 0 || len(logs) != 1 {
		t.Errorf("got %d routes, refused %v, logs %q", len(got), o.refused, logs)
	}
	set := originSet()
	set.rd[70000] = "65000:70000"
	o = testOriginator(set, &logs)
	got = o.all(m)
	if len(got) != 5 {
		t.Errorf("with --rd: %d routes, want RT3, RT2, RT4, RT1 per-ES and per-EVI", len(got))
	}
	for _, r := range got {
		if (r.Type == 2 || r.Type == 3 || (r.Type == 1 && r.ETag != maxET)) && r.RD != "65000:70000" {
			t.Errorf("%s: RD %s", r.key(), r.RD)
		}
	}
}
