// intake_test.go: received routes -> routes-ring records: the exact record of
// every route type, every skip reason counted, reference counting across
// BGP routes, changes and own routes.
package main

import (
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"
)

// testIntake: evfwd has MAC-VRFs 10100 and 10200, segments esiT1 and esiT4,
// VTEPs 192.0.2.1 and 2001:db8::1.
func testIntake(logs *[]string) *intake {
	in := newIntake(func(f string, a ...interface{}) { *logs = append(*logs, fmt.Sprintf(f, a...)) })
	in.localVNIs = map[uint32]bool{10100: true, 10200: true}
	in.localESIs = map[[10]byte]bool{esiT1: true, esiT4: true}
	in.ownNextHops = map[string]bool{"192.0.2.1": true, "2001:db8::1": true}
	return in
}

var peerNH = v4("192.0.2.2")

func peerRT1(esi [10]byte, etag, label uint32) *evpnRoute {
	return &evpnRoute{Type: 1, RD: "192.0.2.2:0", ESI: esi, ETag: etag, Labels: []uint32{label},
		NextHop: peerNH, Encap: tunnelVXLAN, Neighbor: "192.0.2.254"}
}

func peerRT2(rd string, vni uint32, m string, ip net.IP) *evpnRoute {
	return &evpnRoute{Type: 2, RD: rd, MAC: hw(m), IP: ip, Labels: []uint32{vni}, NextHop: peerNH,
		Encap: tunnelVXLAN, Neighbor: "192.0.2.254"}
}

func peerRT3(vni uint32, orig net.IP) *evpnRoute {
	return &evpnRoute{Type: 3, RD: "192.0.2.2:100", IP: orig, NextHop: peerNH, Encap: tunnelVXLAN,
		HasPMSI: true, PMSIType: pmsiIngressReplication, PMSILabel: vni, Neighbor: "192.0.2.254"}
}

func peerRT4(esi [10]byte, orig net.IP) *evpnRoute {
	return &evpnRoute{Type: 4, RD: "192.0.2.2:0", ESI: esi, IP: orig, NextHop: peerNH,
		Encap: tunnelVXLAN, ESImport: esImport(esi), Neighbor: "192.0.2.254"}
}

func with(r *evpnRoute, f func(r *evpnRoute)) *evpnRoute {
	c := *r
	f(&c)
	return &c
}

func TestIntakeToRecord(t *testing.T) {
	vtep2 := addr16("192.0.2.2")
	cases := []struct {
		name string
		r    *evpnRoute
		want record
	}{
		{"RT1 per-ES all-active", with(peerRT1(esiT1, maxET, 0), func(r *evpnRoute) { r.HasESILabel = true }),
			record{Type: recRT1, Flags: flagPerES, ESI: esiT1, VtepAF: afIPv4, Vtep: vtep2}},
		{"RT1 per-ES single-active", with(peerRT1(esiT1, maxET, 0), func(r *evpnRoute) {
			r.HasESILabel, r.SingleActive = true, true
		}), record{Type: recRT1, Flags: flagPerES | flagSingleActive, ESI: esiT1, VtepAF: afIPv4, Vtep: vtep2}},
		{"RT1 per-ES of a segment evfwd is not on", peerRT1(esiT5, maxET, 0),
			record{Type: recRT1, Flags: flagPerES, ESI: esiT5, VtepAF: afIPv4, Vtep: vtep2}},
		{"RT1 per-ES withdrawal", with(peerRT1(esiT2, maxET, 0), func(r *evpnRoute) { r.Withdraw = true }),
			record{Type: recRT1, Op: opWithdraw, Flags: flagPerES, ESI: esiT2, VtepAF: afIPv4, Vtep: vtep2}},
		{"RT1 per-EVI, VNI in the label", peerRT1(esiT0, 0, 10100),
			record{Type: recRT1, VNI: 10100, ESI: esiT0, VtepAF: afIPv4, Vtep: vtep2}},
		{"RT1 per-EVI, VLAN-aware bundle: VNI in the Ethernet tag", peerRT1(esiT3, 10200, 0),
			record{Type: recRT1, VNI: 10200, ESI: esiT3, VtepAF: afIPv4, Vtep: vtep2}},
		{"RT1 per-EVI without encapsulation community, IPv6 next hop", with(peerRT1(esiT1, 0, 10100), func(r *evpnRoute) {
			r.Encap, r.NextHop = 0, v6("2001:db8::2")
		}), record{Type: recRT1, VNI: 10100, ESI: esiT1, VtepAF: afIPv6, Vtep: addr16("2001:db8::2")}},
		{"RT2 MAC+IPv4, sticky, seq 3, on a segment, IPv6 next hop",
			with(peerRT2("192.0.2.2:100", 10100, "02:00:00:00:00:01", v4("10.1.1.1")), func(r *evpnRoute) {
				r.ESI, r.HasMobility, r.Seq, r.Sticky, r.NextHop = esiT0, true, 3, true, v6("2001:db8::2")
			}),
			record{Type: recRT2, Flags: flagSticky, VNI: 10100, Seq: 3, ESI: esiT0,
				MAC: mac6("02:00:00:00:00:01"), VtepAF: afIPv6, Vtep: addr16("2001:db8::2"),
				IPAF: afIPv4, IP: addr16("10.1.1.1")}},
		{"RT2 MAC+IPv6", peerRT2("192.0.2.2:100", 10200, "02:00:00:00:00:02", v6("2001:db8:1::2")),
			record{Type: recRT2, VNI: 10200, MAC: mac6("02:00:00:00:00:02"), VtepAF: afIPv4, Vtep: vtep2,
				IPAF: afIPv6, IP: addr16("2001:db8:1::2")}},
		{"RT2 MAC only, two labels (the first is the L2 VNI)",
			with(peerRT2("192.0.2.2:100", 10200, "02:00:00:00:00:03", nil), func(r *evpnRoute) {
				r.Labels = []uint32{10200, 50000}
				r.RouterMAC, r.DefaultGW = hw("02:aa:00:00:00:01"), true
			}),
			record{Type: recRT2, VNI: 10200, MAC: mac6("02:00:00:00:00:03"), VtepAF: afIPv4, Vtep: vtep2}},
		{"RT2 withdrawal", with(peerRT2("192.0.2.2:100", 10100, "02:00:00:00:00:04", nil), func(r *evpnRoute) {
			r.Withdraw = true
		}), record{Type: recRT2, Op: opWithdraw, VNI: 10100, MAC: mac6("02:00:00:00:00:04"), VtepAF: afIPv4, Vtep: vtep2}},
		{"RT3 ingress replication: VTEP is the tunnel id",
			with(peerRT3(10100, v4("192.0.2.4")), func(r *evpnRoute) { r.PMSIID = v4("192.0.2.3") }),
			record{Type: recRT3, VNI: 10100, VtepAF: afIPv4, Vtep: addr16("192.0.2.3")}},
		{"RT3 tunnel id 0.0.0.0: VTEP is the originator",
			with(peerRT3(10100, v4("192.0.2.4")), func(r *evpnRoute) { r.PMSIID = v4("0.0.0.0") }),
			record{Type: recRT3, VNI: 10100, VtepAF: afIPv4, Vtep: addr16("192.0.2.4")}},
		{"RT3 without PMSI: VNI in the Ethernet tag",
			with(peerRT3(0, v4("192.0.2.4")), func(r *evpnRoute) { r.HasPMSI, r.PMSIType, r.ETag = false, 0, 10200 }),
			record{Type: recRT3, VNI: 10200, VtepAF: afIPv4, Vtep: addr16("192.0.2.4")}},
		{"RT3 IPv6 originator and tunnel id",
			with(peerRT3(10200, v6("2001:db8::4")), func(r *evpnRoute) { r.PMSIID = v6("2001:db8::4") }),
			record{Type: recRT3, VNI: 10200, VtepAF: afIPv6, Vtep: addr16("2001:db8::4")}},
		{"RT4 DF preference with Don't-Preempt",
			with(peerRT4(esiT1, v4("192.0.2.4")), func(r *evpnRoute) {
				r.DF = dfElection{Present: true, Alg: 2, Bitmap: dfBitmapDP, Pref: 500}
			}),
			record{Type: recRT4, Flags: flagDontPreempt, ESI: esiT1, DFAlg: 2, DFPref: 500,
				VtepAF: afIPv4, Vtep: addr16("192.0.2.4")}},
		{"RT4 DF HRW, other bitmap bits",
			with(peerRT4(esiT4, v4("192.0.2.4")), func(r *evpnRoute) {
				r.DF = dfElection{Present: true, Alg: 1, Bitmap: 0x8000 | 0x4000}
			}),
			record{Type: recRT4, ESI: esiT4, DFAlg: 1, VtepAF: afIPv4, Vtep: addr16("192.0.2.4")}},
		{"RT4 without DF Election (modulo)", peerRT4(esiT1, v6("2001:db8::4")),
			record{Type: recRT4, ESI: esiT1, VtepAF: afIPv6, Vtep: addr16("2001:db8::4")}},
		{"RT4 withdrawal", with(peerRT4(esiT1, v4("192.0.2.4")), func(r *evpnRoute) { r.Withdraw = true }),
			record{Type: recRT4, Op: opWithdraw, ESI: esiT1, VtepAF: afIPv4, Vtep: addr16("192.0.2.4")}},
	}
	for _, c := range cases {
		var logs []string
		in := testIntake(&logs)
		rec, ok := in.toRecord(c.r)
		if !ok {
			t.Errorf("%s: skipped (%v, %v)", c.name, in.skips, logs)
			continue
		}
		checkRecord(t, c.name, rec, c.want)
		if len(in.skips) != 0 || len(logs) != 0 {
			t.Errorf("%s: skips %v, logs %v", c.name, in.skips, logs)
		}
	}

	// before evfwd's MAC-VRFs are known, every VNI is taken
	in := newIntake(nil)
	rec, ok := in.toRecord(peerRT2("192.0.2.2:1", 4242, "02:00:00:00:00:05", nil))
	if !ok || rec.VNI != 4242 {
		t.Errorf("VNIs not known yet: %v %+v %v", ok, rec, in.skips)
	}
}

func TestIntakeSkips(t *testing.T) {
	rt2p := peerRT2("192.0.2.2:100", 10100, "02:00:00:00:00:01", nil)
	cases := []struct {
		name   string
		r      *evpnRoute
		reason string
	}{
		{"originated by the local gobgpd", with(rt2p, func(r *evpnRoute) { r.Local, r.Neighbor = true, "" }), skipOwn},
		{"our IPv4 next hop", with(rt2p, func(r *evpnRoute) { r.NextHop = v4("192.0.2.1") }), skipOwn},
		{"our IPv6 next hop", with(rt2p, func(r *evpnRoute) { r.NextHop = v6("2001:db8::1") }), skipOwn},
		{"RT3 with our next hop", with(peerRT3(10100, v4("192.0.2.4")), func(r *evpnRoute) { r.NextHop = v4("192.0.2.1") }), skipOwn},
		{"RT5", &evpnRoute{Type: 5, RD: "192.0.2.2:5000", NextHop: peerNH}, skipType5},
		{"route type 0", with(rt2p, func(r *evpnRoute) { r.Type = 0 }), skipType},
		{"route type 6", with(rt2p, func(r *evpnRoute) { r.Type = 6 }), skipType},
		{"MPLS encapsulation", with(rt2p, func(r *evpnRoute) { r.Encap = 10 }), skipNotVXLAN},
		{"NVGRE encapsulation on RT3", with(peerRT3(10100, v4("192.0.2.4")), func(r *evpnRoute) { r.Encap = 9 }), skipNotVXLAN},
		{"RT2 without next hop", with(rt2p, func(r *evpnRoute) { r.NextHop = nil }), skipNoNextHop},
		{"RT1 without next hop", with(peerRT1(esiT1, maxET, 0), func(r *evpnRoute) { r.NextHop = nil }), skipNoNextHop},
		{"RT3 without originator", peerRT3(10100, nil), skipNoNextHop},
		{"RT4 without originator", peerRT4(esiT1, nil), skipNoNextHop},
		{"next hop of 3 octets", with(rt2p, func(r *evpnRoute) { r.NextHop = net.IP{1, 2, 3} }), skipNotIP},
		{"RT2 label 0", with(rt2p, func(r *evpnRoute) { r.Labels = []uint32{0} }), skipNoVNI},
		{"RT2 without label", with(rt2p, func(r *evpnRoute) { r.Labels = nil }), skipNoVNI},
		{"RT1 per-EVI label and tag 0", peerRT1(esiT1, 0, 0), skipNoVNI},
		{"RT3 PMSI label 0", peerRT3(0, v4("192.0.2.4")), skipNoVNI},
		{"RT3 without PMSI, tag 0", with(peerRT3(0, v4("192.0.2.4")), func(r *evpnRoute) { r.HasPMSI, r.PMSIType = false, 0 }), skipNoVNI},
		{"RT2 VNI 2^24", with(rt2p, func(r *evpnRoute) { r.Labels = []uint32{1 << 24} }), skipVNIRange},
		{"RT3 VNI 2^32-1", peerRT3(0xffffffff, v4("192.0.2.4")), skipVNIRange},
		{"RT2 VNI evfwd does not have", with(rt2p, func(r *evpnRoute) { r.Labels = []uint32{10999} }), skipVNINotLocal},
		{"RT1 per-EVI VNI evfwd does not have", peerRT1(esiT1, 0, 10999), skipVNINotLocal},
		{"RT3 VNI evfwd does not have", peerRT3(10999, v4("192.0.2.4")), skipVNINotLocal},
		{"RT3 PIM-SSM tree", with(peerRT3(10100, v4("192.0.2.4")), func(r *evpnRoute) { r.PMSIType = 3 }), skipPMSI},
		{"RT3 no tunnel info", with(peerRT3(10100, v4("192.0.2.4")), func(r *evpnRoute) { r.PMSIType = 0 }), skipPMSI},
		{"RT1 per-ES zero ESI", peerRT1([10]byte{}, maxET, 0), skipESI},
		{"RT1 per-EVI zero ESI", peerRT1([10]byte{}, 0, 10100), skipESI},
		{"RT1 all-ones ESI", peerRT1(esiFF, maxET, 0), skipESI},
		{"RT4 zero ESI", peerRT4([10]byte{}, v4("192.0.2.4")), skipESI},
		{"RT4 of a segment evfwd is not on", peerRT4(esiT5, v4("192.0.2.4")), skipESNotLocal},
	}
	var logs []string
	in := testIntake(&logs)
	want := map[string]uint64{}
	for round := 0; round < 2; round++ {
		for _, c := range cases {
			before := in.skips[c.reason]
			if rec, ok := in.toRecord(c.r); ok {
				t.Errorf("%s: not skipped: %+v", c.name, rec)
				continue
			}
			if in.skips[c.reason] != before+1 {
				t.Errorf("%s: %s counted %d -> %d", c.name, c.reason, before, in.skips[c.reason])
			}
			// apply: nothing written, nothing remembered
			if out := in.apply(c.r); len(out) != 0 {
				t.Errorf("%s: apply wrote %+v", c.name, out)
			}
			want[c.reason] += 2
		}
	}
	if !reflect.DeepEqual(in.skips, want) {
		t.Errorf("skips %v, want %v", in.skips, want)
	}
	if len(in.bgp) != 0 || len(in.evf) != 0 {
		t.Errorf("skipped routes remembered: %v %v", in.bgp, in.evf)
	}
	// every reason the intake itself gives (undecodable is counted by adapter.paths)
	for _, reason := range []string{skipOwn, skipType5, skipType, skipNoNextHop, skipNotVXLAN, skipNoVNI,
		skipVNIRange, skipVNINotLocal, skipPMSI, skipESI, skipESNotLocal, skipNotIP} {
		if in.skips[reason] == 0 {
			t.Errorf("reason %s never produced", reason)
		}
	}
	// logged once per reason; own routes are not logged
	seen := map[string]int{}
	for _, l := range logs {
		f := strings.Fields(l)
		if len(f) < 2 || f[0] != "intake:" {
			t.Errorf("log %q", l)
			continue
		}
		seen[strings.TrimSuffix(f[1], ":")]++
	}
	for reason := range want {
		n := 1
		if reason == skipOwn {
			n = 0
		}
		if seen[reason] != n {
			t.Errorf("reason %s logged %d times, want %d (%v)", reason, seen[reason], n, logs)
		}
	}
	if !strings.Contains(strings.Join(logs, "\n"), "vni-not-local: 2|192.0.2.2:100|0|02:00:00:00:00:01|- next-hop 192.0.2.2 VNI 10999") {
		t.Errorf("the vni-not-local log names the route, its next hop and VNI: %v", logs)
	}
	// skip() from elsewhere (adapter.paths: undecodable paths) is counted and logged the same way
	in.skip(skipDecode, nil, "NLRI: x")
	in.skip(skipDecode, nil, "NLRI: y")
	if in.skips[skipDecode] != 2 || seen[skipDecode] != 0 || !strings.Contains(logs[len(logs)-1], "undecodable: path NLRI: x") {
		t.Errorf("undecodable: %v %v", in.skips, logs[len(logs)-1])
	}
}

func TestIntakeApply(t *testing.T) {
	var logs []string
	in := testIntake(&logs)
	mac1 := "02:00:00:00:00:01"
	rec := func(nh string, seq uint32, op uint8) record {
		return record{Type: recRT2, Op: op, VNI: 10100, Seq: seq, MAC: mac6(mac1), VtepAF: afIPv4, Vtep: addr16(nh)}
	}
	a := peerRT2("192.0.2.2:100", 10100, mac1, nil)
	b := with(a, func(r *evpnRoute) { r.RD = "192.0.2.2:200" })
	withdraw := func(r *evpnRoute) *evpnRoute { return with(r, func(r *evpnRoute) { r.Withdraw = true }) }
	step := func(what string, r *evpnRoute, want ...record) {
		t.Helper()
		got := in.apply(r)
		if len(got) != len(want) {
			t.Errorf("%s: %d records %+v, want %d %+v", what, len(got), got, len(want), want)
			return
		}
		for i := range got {
			checkRecord(t, fmt.Sprintf("%s [%d]", what, i), got[i], want[i])
		}
	}
	state := func(what string, bgp, evf int) {
		t.Helper()
		if len(in.bgp) != bgp || len(in.evf) != evf {
			t.Errorf("%s: %d BGP routes -> %d evfwd routes, want %d -> %d", what, len(in.bgp), len(in.evf), bgp, evf)
		}
	}

	step("withdrawal of a route never seen", withdraw(a))
	step("add under RD 100", a, rec("192.0.2.2", 0, opAdd))
	// a BGP route sent again, or a second BGP route carrying the same evfwd
	// route, writes the same record again (evfwd applies it as an upsert)
	step("the same route again", a, rec("192.0.2.2", 0, opAdd))
	step("the same evfwd route under RD 200", b, rec("192.0.2.2", 0, opAdd))
	state("two RDs", 2, 1)
	if e := in.evf[evfKey(&[]record{rec("192.0.2.2", 0, opAdd)}[0])]; e == nil || len(e.refs) != 2 {
		t.Errorf("refs: %+v", e)
	}
	step("withdrawal under RD 100", withdraw(a))
	state("one RD left", 1, 1)
	step("withdrawal under RD 200: the last", withdraw(b), rec("192.0.2.2", 0, opWithdraw))
	state("none", 0, 0)
	step("withdrawal again", withdraw(b))

	// a changed next hop withdraws the old evfwd route first
	step("add", a, rec("192.0.2.2", 0, opAdd))
	moved := with(a, func(r *evpnRoute) { r.NextHop = v4("192.0.2.3") })
	step("next hop changed", moved, rec("192.0.2.2", 0, opWithdraw), rec("192.0.2.3", 0, opAdd))
	state("moved", 1, 1)
	seq4 := with(moved, func(r *evpnRoute) { r.HasMobility, r.Seq = true, 4 })
	step("sequence number changed: rewritten", seq4, rec("192.0.2.3", 4, opAdd))
	step("changed into a VNI evfwd does not have", with(seq4, func(r *evpnRoute) { r.Labels = []uint32{10999} }),
		rec("192.0.2.3", 4, opWithdraw))
	state("unusable", 0, 0)
	step("its withdrawal", withdraw(seq4))

	// a route evfwd has that turns out to be ours (our next hop) is withdrawn
	step("add", a, rec("192.0.2.2", 0, opAdd))
	step("now with our next hop", with(a, func(r *evpnRoute) { r.NextHop = v4("192.0.2.1") }), rec("192.0.2.2", 0, opWithdraw))
	state("own", 0, 0)

	// two RDs, two versions: the newer is written, withdrawn with the last
	step("RD 100 seq 1", with(a, func(r *evpnRoute) { r.Seq = 1 }), rec("192.0.2.2", 1, opAdd))
	step("RD 200 seq 2", with(b, func(r *evpnRoute) { r.Seq = 2 }), rec("192.0.2.2", 2, opAdd))
	step("RD 100 withdrawn", withdraw(a))
	step("RD 200 withdrawn", withdraw(b), rec("192.0.2.2", 2, opWithdraw))
	state("none", 0, 0)

	// RT1 per-ES split over two RDs (RFC 7432 8.2): one evfwd route
	es1 := with(peerRT1(esiT1, maxET, 0), func(r *evpnRoute) { r.HasESILabel = true })
	es2 := with(es1, func(r *evpnRoute) { r.RD = "192.0.2.2:1" })
	esRec := record{Type: recRT1, Flags: flagPerES, ESI: esiT1, VtepAF: afIPv4, Vtep: addr16("192.0.2.2")}
	esW := esRec
	esW.Op = opWithdraw
	step("per-ES RD 0", es1, esRec)
	step("per-ES RD 1", es2, esRec)
	step("per-ES RD 0 withdrawn", withdraw(es1))
	step("per-ES RD 1 withdrawn", withdraw(es2), esW)

	// RT3 and RT4 from two PEs: separate evfwd routes
	r3a := with(peerRT3(10100, v4("192.0.2.4")), func(r *evpnRoute) {})
	r3b := with(r3a, func(r *evpnRoute) { r.RD, r.IP, r.NextHop = "192.0.2.5:100", v4("192.0.2.5"), v4("192.0.2.5") })
	step("RT3 PE 4", r3a, record{Type: recRT3, VNI: 10100, VtepAF: afIPv4, Vtep: addr16("192.0.2.4")})
	step("RT3 PE 5", r3b, record{Type: recRT3, VNI: 10100, VtepAF: afIPv4, Vtep: addr16("192.0.2.5")})
	r4 := peerRT4(esiT1, v4("192.0.2.4"))
	step("RT4", r4, record{Type: recRT4, ESI: esiT1, VtepAF: afIPv4, Vtep: addr16("192.0.2.4")})
	step("RT4 now with DF preference", with(r4, func(r *evpnRoute) { r.DF = dfElection{Present: true, Alg: 2, Pref: 7} }),
		record{Type: recRT4, ESI: esiT1, DFAlg: 2, DFPref: 7, VtepAF: afIPv4, Vtep: addr16("192.0.2.4")})
	state("RT3 x2, RT4", 3, 3)

	// reset (before a resync): everything is written again
	in.reset()
	state("reset", 0, 0)
	step("after reset", r3a, record{Type: recRT3, VNI: 10100, VtepAF: afIPv4, Vtep: addr16("192.0.2.4")})
}
