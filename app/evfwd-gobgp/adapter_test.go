// adapter_test.go: the adapter's origination bookkeeping (update,
// queueFullFrom) and its events-ring state machine, without gobgpd or a ring
// (no cgo ring call, no gRPC: a.rg and a.bc stay nil).
package main

import (
	"fmt"
	"sort"
	"testing"
)

func testAdapter(t *testing.T) (*adapter, *[]string) {
	var logs []string
	opt := &options{gobgpd: "127.0.0.1:1", ring: "/evfwd-test", batch: 10, origin: originSet()}
	a := newAdapter(opt, func(f string, args ...interface{}) { logs = append(logs, fmt.Sprintf(f, args...)) })
	return a, &logs
}

func rt2For(vni uint32, m string, seq uint32) *evpnRoute {
	return &evpnRoute{Type: 2, RD: fmt.Sprintf("10.0.0.1:%d", vni), MAC: hw(m), Labels: []uint32{vni},
		NextHop: v4("192.0.2.1"), Encap: 8, HasMobility: seq > 0, Seq: seq,
		Owner: fmt.Sprintf("mac:%d:%s", vni, m)}
}

// pendingOf: the queue as "+key" / "-key" in order.
func pendingOf(a *adapter) []string {
	var out []string
	for _, k := range a.order {
		op, ok := a.pending[k]
		if !ok {
			continue
		}
		if op.withdraw {
			out = append(out, "-"+k)
		} else {
			out = append(out, "+"+k)
		}
	}
	if len(out) != len(a.pending) {
		out = append(out, fmt.Sprintf("(order has %d of %d pending)", len(out), len(a.pending)))
	}
	return out
}

func clearPending(a *adapter) {
	a.pending = map[string]pendingOp{}
	a.order = nil
}

func checkPending(t *testing.T, what string, a *adapter, want ...string) {
	t.Helper()
	got := pendingOf(a)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: pending %v, want %v", what, got, want)
	}
}

func checkAdvertised(t *testing.T, what string, a *adapter, want ...*evpnRoute) {
	t.Helper()
	if len(a.advertised) != len(want) {
		t.Errorf("%s: %d advertised, want %d", what, len(a.advertised), len(want))
	}
	owners := map[string]map[string]bool{}
	for _, w := range want {
		g := a.advertised[w.key()]
		if g == nil || g.fingerprint() != w.fingerprint() {
			t.Errorf("%s: advertised %v, want %s", what, g, w.fingerprint())
		}
		if owners[w.Owner] == nil {
			owners[w.Owner] = map[string]bool{}
		}
		owners[w.Owner][w.key()] = true
	}
	for o, ks := range a.byOwner {
		for k := range ks {
			if !owners[o][k] {
				t.Errorf("%s: byOwner[%s] holds %s", what, o, k)
			}
		}
	}
	for o, ks := range owners {
		for k := range ks {
			if !a.byOwner[o][k] {
				t.Errorf("%s: byOwner[%s] lacks %s", what, o, k)
			}
		}
	}
}

func TestAdapterUpdate(t *testing.T) {
	a, _ := testAdapter(t)
	r1 := rt2For(10100, "02:00:00:00:00:01", 0)
	r2 := rt2For(10100, "02:00:00:00:00:02", 0)
	seg := expectedOrigin(v4("192.0.2.1"))[7:11] // esiT1: RT4, RT1 per-ES, RT1 per-EVI x2
	owner := seg[0].Owner

	a.update(r1.Owner, []*evpnRoute{r1})
	a.update(owner, seg)
	checkPending(t, "first", a, "+"+r1.key(), "+"+seg[0].key(), "+"+seg[1].key(), "+"+seg[2].key(), "+"+seg[3].key())
	checkAdvertised(t, "first", a, r1, seg[0], seg[1], seg[2], seg[3])
	if a.firstPending.IsZero() {
		t.Error("firstPending not set")
	}

	// unchanged: nothing queued
	clearPending(a)
	a.update(r1.Owner, []*evpnRoute{rt2For(10100, "02:00:00:00:00:01", 0)})
	a.update(owner, seg)
	checkPending(t, "unchanged", a)

	// a changed route is queued again, under the same key
	r1b := rt2For(10100, "02:00:00:00:00:01", 3)
	a.update(r1.Owner, []*evpnRoute{r1b})
	checkPending(t, "changed", a, "+"+r1.key())
	checkAdvertised(t, "changed", a, r1b, seg[0], seg[1], seg[2], seg[3])

	// the segment loses a MAC-VRF: its per-EVI route is withdrawn
	a.update(owner, seg[:3])
	checkPending(t, "per-EVI gone", a, "+"+r1.key(), "-"+seg[3].key())
	checkAdvertised(t, "per-EVI gone", a, r1b, seg[0], seg[1], seg[2])
	if op := a.pending[seg[3].key()]; op.route.fingerprint() != seg[3].fingerprint() {
		t.Errorf("withdrawal carries %s", op.route.fingerprint())
	}

	// aged before it was sent: the add becomes a withdrawal, queued once
	a.update(r1.Owner, nil)
	checkPending(t, "aged", a, "-"+r1.key(), "-"+seg[3].key())
	// and back: the withdrawal becomes an add again
	a.update(r1.Owner, []*evpnRoute{r1b})
	checkPending(t, "back", a, "+"+r1.key(), "-"+seg[3].key())

	// segment down: every route of the owner withdrawn, other owners untouched
	clearPending(a)
	a.update(r2.Owner, []*evpnRoute{r2})
	a.update(owner, nil)
	// (withdrawn in the order of their keys)
	checkPending(t, "segment down", a, "+"+r2.key(), "-"+seg[1].key(), "-"+seg[2].key(), "-"+seg[0].key())
	checkAdvertised(t, "segment down", a, r1b, r2)
	if len(a.byOwner[owner]) != 0 {
		t.Errorf("byOwner of the segment: %v", a.byOwner[owner])
	}
}

func TestAdapterQueueFullFrom(t *testing.T) {
	a, _ := testAdapter(t)
	same := rt2For(10100, "02:00:00:00:00:01", 0)
	old := rt2For(10100, "02:00:00:00:00:02", 0)
	changed := rt2For(10100, "02:00:00:00:00:02", 5)
	stale := rt2For(10100, "02:00:00:00:00:03", 0)
	added := rt2For(10200, "02:00:00:00:00:04", 0)
	have := map[string]*evpnRoute{same.key(): same, old.key(): old, stale.key(): stale}
	want := map[string]*evpnRoute{same.key(): rt2For(10100, "02:00:00:00:00:01", 0),
		changed.key(): changed, added.key(): added}
	a.queueFullFrom(have, want)
	got := pendingOf(a)
	sort.Strings(got)
	exp := []string{"+" + added.key(), "+" + changed.key(), "-" + stale.key()}
	sort.Strings(exp)
	if fmt.Sprint(got) != fmt.Sprint(exp) {
		t.Errorf("pending %v, want %v", got, exp)
	}
	if op := a.pending[changed.key()]; op.route.Seq != 5 {
		t.Errorf("changed route queued as %s", op.route.fingerprint())
	}
	checkAdvertised(t, "full", a, same, changed, added)

	// queueFull from what is advertised: nothing to do; then to nothing: all withdrawn
	clearPending(a)
	a.queueFull(want)
	checkPending(t, "again", a)
	a.queueFull(map[string]*evpnRoute{})
	got = pendingOf(a)
	if len(got) != 3 || len(a.advertised) != 0 || len(a.byOwner) != 0 {
		t.Errorf("withdraw all: pending %v, advertised %d, owners %d", got, len(a.advertised), len(a.byOwner))
	}
	for _, p := range got {
		if p[0] != '-' {
			t.Errorf("withdraw all: %s", p)
		}
	}
}

// TestAdapterEvents: a dump of evfwd's state, then live events, as
// adapter.event sees them (no ring: dump requests are only counted).
func TestAdapterEvents(t *testing.T) {
	a, logs := testAdapter(t)
	dump := originRecords()
	a.event(&record{Type: evMacLearned, EvSeq: 1, VNI: 10100, MAC: mac6("02:00:00:00:00:09"), Attach: 1})
	if len(a.m.macs) != 0 || a.st.events != 1 {
		t.Errorf("event before any dump applied: %d MACs", len(a.m.macs))
	}
	a.event(&record{Type: evDumpBegin, Epoch: 7, EvSeq: 100}) // another epoch's dump
	if a.dumping {
		t.Error("dump of another epoch taken")
	}
	a.event(&record{Type: evDumpBegin, Epoch: a.dumpEpoch, EvSeq: 100})
	if !a.dumping {
		t.Fatal("dump not started")
	}
	for i := range dump {
		r := dump[i]
		r.Flags |= flagDump
		a.event(&r)
	}
	if len(a.m.bds) != 0 || a.synced {
		t.Error("dump applied before its end")
	}
	a.event(&record{Type: evDumpEnd, Epoch: a.dumpEpoch})
	if !a.synced || a.dumping || a.lastSeq != 100 || a.st.dumps != 1 {
		t.Fatalf("after the dump: synced %v dumping %v lastSeq %d", a.synced, a.dumping, a.lastSeq)
	}
	if len(a.m.bds) != 3 || len(a.m.segs) != 7 || len(a.m.macs) != 6 {
		t.Errorf("model: %d MAC-VRFs, %d segments, %d MACs", len(a.m.bds), len(a.m.segs), len(a.m.macs))
	}
	// the intake knows evfwd's VNIs, segments and VTEPs now
	if !a.in.localVNIs[10100] || !a.in.localVNIs[10300] || len(a.in.localVNIs) != 3 ||
		!a.in.localESIs[esiT1] || len(a.in.localESIs) != 7 ||
		!a.in.ownNextHops["192.0.2.1"] || !a.in.ownNextHops["2001:db8::1"] || len(a.in.ownNextHops) != 2 {
		t.Errorf("intake: VNIs %v, ESIs %d, own %v", a.in.localVNIs, len(a.in.localESIs), a.in.ownNextHops)
	}
	// no gobgpd: nothing queued yet (reconcile waits for it)
	checkPending(t, "after dump", a)

	// live events: already in the dump, in order, a gap
	m9 := macKey{10100, mac6("02:00:00:00:00:09")}
	a.event(&record{Type: evMacLearned, EvSeq: 100, VNI: 10100, MAC: m9.mac, Attach: 1})
	if _, ok := a.m.macs[m9]; ok {
		t.Error("event already in the dump applied")
	}
	a.event(&record{Type: evMacLearned, EvSeq: 101, VNI: 10100, MAC: m9.mac, Attach: 1, Seq: 2})
	r9 := rt2For(10100, "02:00:00:00:00:09", 2)
	r9.RD, r9.RTs = "10.0.0.1:100", []string{"65000:10100"} // EVI 100
	checkPending(t, "MAC learned", a, "+"+r9.key())
	checkAdvertised(t, "MAC learned", a, r9)
	if a.urgent {
		t.Error("a MAC is not urgent")
	}
	a.event(&record{Type: evESDown, EvSeq: 102, ESI: esiT1})
	if !a.urgent || a.m.segs[esiT1].up {
		t.Error("segment down: not urgent")
	}
	a.event(&record{Type: evMacAged, EvSeq: 104, VNI: 10100, MAC: m9.mac})
	if a.st.eventGaps != 1 || a.lastSeq != 102 {
		t.Errorf("gap: %d gaps, lastSeq %d", a.st.eventGaps, a.lastSeq)
	}
	a.event(&record{})
	if a.st.damagedEvents != 1 {
		t.Error("damaged event not counted")
	}
	a.event(&record{Type: evMacAged, EvSeq: 103, VNI: 10100, MAC: m9.mac})
	checkPending(t, "MAC aged", a, "-"+r9.key())
	// our VTEP changes: the intake's own next hops follow
	a.event(&record{Type: evNode, EvSeq: 104, VtepAF: afIPv4, Vtep: addr16("192.0.2.50")})
	if !a.in.ownNextHops["192.0.2.50"] || a.in.ownNextHops["192.0.2.1"] {
		t.Errorf("own next hops after a VTEP change: %v", a.in.ownNextHops)
	}
	if a.st.events != 11+uint64(len(dump)) {
		t.Errorf("%d events counted", a.st.events)
	}
	_ = logs
}
