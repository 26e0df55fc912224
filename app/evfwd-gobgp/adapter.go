// adapter.go: evfwd-gobgp's main loop, the one goroutine that owns all state.
//
//	evfwd ring          evfwd-gobgp (this loop)                gobgpd
//	events  ------->  model of local state --> originated paths ---> AddPathStream
//	routes  <-------  intake (resync, refs)  <-- best EVPN paths <--- WatchEvent
//
// Start, and every re-attachment to a (restarted) evfwd: open the ring, take
// a new producer epoch; evfwd opens a resync of the routes ring and dumps its
// local state on the events ring. Once the dump is in and gobgpd is connected:
// the originated paths are reconciled with what gobgpd holds from an earlier
// instance, and the watch of the EVPN table starts; its first batch (the whole
// table) is written between SYNC-BEGIN and SYNC-END, then changes as they come.
// gobgpd lost: SYNC-BEGIN (evfwd holds the routes for its hold time),
// reconnect with backoff, then the same reconciliation and resync. evfwd gone
// or replaced: every originated path is withdrawn until it is back.
package main

import (
	"bytes"
	"context"
	"net"
	"sort"
	"strings"
	"time"

	api "github.com/osrg/gobgp/api"
)

type pendingOp struct {
	route    *evpnRoute
	withdraw bool
}

type sendResult struct {
	n       int
	err     error         // transport: gobgpd is gone
	refused map[int]error // by index into sent
	sent    []pendingOp
}

// gobgpd 3.10 takes a MAC route only with a mobility sequence above every
// other PE's for that MAC, whatever the ESI: the route of a MAC an ES peer
// also advertises (MAC sync, same sequence) is refused until the peer's is
// gone. Such routes wait (deferred) and are sent again when a route for the
// MAC changes, and every few seconds.
const mobilityRefusal = "invalid MAC mobility sequence number"

type adapter struct {
	opt  *options
	logf func(string, ...interface{})
	st   *stats

	// evfwd
	rg          *ring
	epoch       uint64 // our producer epoch: the dump we wait for answers it
	dumpEpoch   uint64
	dumping     bool
	dumpModel   *model
	dumpSeq     uint64 // ev_seq the dump reflects
	synced      bool   // the model holds a complete dump
	lastSeq     uint64
	m           *model
	in          *intake
	org         *originator
	nextRingTry time.Time

	// gobgpd
	bc          *bgpClient
	bgpCancel   context.CancelFunc
	watchCh     chan []*api.Path
	watchErr    chan error
	watching    bool
	initPending bool
	backoff     time.Duration
	nextBGPTry  time.Time
	reconciled  bool

	// origination: what gobgpd holds from us (after what is queued is sent)
	advertised   map[string]*evpnRoute
	byOwner      map[string]map[string]bool
	pending      map[string]pendingOp
	order        []string
	urgent       bool
	sending      bool
	sendDone     chan sendResult
	firstPending time.Time
	deferred     map[string]*evpnRoute // refused by gobgpd for now, by key
	lastRetry    time.Time
}

func newAdapter(opt *options, logf func(string, ...interface{})) *adapter {
	a := &adapter{opt: opt, logf: logf, st: newStats(), m: newModel(),
		in: newIntake(logf), advertised: map[string]*evpnRoute{},
		byOwner: map[string]map[string]bool{}, pending: map[string]pendingOp{},
		deferred: map[string]*evpnRoute{},
		sendDone: make(chan sendResult, 1), backoff: 100 * time.Millisecond}
	a.org = &originator{set: opt.origin, warnOnce: map[string]bool{}, logf: logf,
		refused: map[string]uint64{}}
	return a
}

// ---- evfwd side ----

func (a *adapter) attachRing(now time.Time) {
	if a.rg != nil || now.Before(a.nextRingTry) {
		return
	}
	a.nextRingTry = now.Add(time.Second)
	rg, err := openRing(a.opt.ring)
	if err != nil {
		a.st.ringErrors++
		if a.st.lastRingErr != err.Error() {
			a.logf("ring: %v (retrying every second)", err)
			a.st.lastRingErr = err.Error()
		}
		return
	}
	a.rg = rg
	a.st.lastRingErr = ""
	a.st.ringAttaches++
	a.synced, a.dumping, a.lastSeq = false, false, 0
	a.epoch = rg.newEpoch()
	a.dumpEpoch = a.epoch
	a.logf("ring: attached to %s (evfwd pid %d), epoch %#x: waiting for evfwd's state",
		a.opt.ring, rg.evfwdPid(), a.epoch)
}

// evfwd gone or replaced: nothing of ours may stay in BGP.
func (a *adapter) detachRing(why string) {
	a.logf("ring: %s: withdrawing every originated route until evfwd is back", why)
	a.rg.close()
	a.rg = nil
	a.synced, a.dumping = false, false
	a.m = newModel()
	a.queueFull(map[string]*evpnRoute{})
	a.urgent = true
	a.stopWatch() // the next attachment starts from the whole table again
	a.in.reset()
	a.nextRingTry = time.Time{}
}

func (a *adapter) pollRing() {
	if a.rg == nil {
		return
	}
	for i := 0; i < 64; i++ { // at most 64 x 256 events per tick
		recs, err := a.rg.consume()
		if a.shrunk() {
			return
		}
		if err != nil {
			a.st.eventErrors++
			a.requestDump("events ring indices out of range")
			return
		}
		for j := range recs {
			a.event(&recs[j])
		}
		if len(recs) == 0 {
			return
		}
	}
}

func (a *adapter) requestDump(why string) {
	if a.dumping || a.rg == nil {
		return
	}
	a.st.dumpRequests++
	a.logf("ring: %s: asking evfwd for its whole state again", why)
	a.dumpEpoch = a.rg.requestDump()
	a.synced = false
}

func (a *adapter) event(r *record) {
	a.st.events++
	if r.Type == 0 {
		a.st.damagedEvents++
		a.requestDump("a damaged events record")
		return
	}
	switch {
	case r.Type == evDumpBegin:
		if r.Epoch == a.dumpEpoch {
			a.dumping = true
			a.dumpModel = newModel()
			a.dumpSeq = r.EvSeq
		}
		return
	case r.Type == evDumpEnd:
		if a.dumping && r.Epoch == a.dumpEpoch {
			a.dumping = false
			a.m = a.dumpModel
			a.dumpModel = nil
			a.lastSeq = a.dumpSeq
			a.synced = true
			a.st.dumps++
			a.modelKnown()
			a.logf("ring: evfwd's state: %d MAC-VRF(s), %d segment(s), %d local MAC(s),"+
				" %d MAC(s) with IP bindings", len(a.m.bds), len(a.m.segs), len(a.m.macs),
				len(a.m.macips))
			if a.bc != nil {
				a.reconcile(a.advertisedCopy())
			}
		}
		return
	case r.Flags&flagDump != 0:
		if a.dumping {
			a.checkMACIP(r)
			a.dumpModel.apply(r)
		}
		return
	}
	if !a.synced {
		return // superseded by the dump we wait for
	}
	if r.EvSeq <= a.lastSeq {
		return // already in the dump
	}
	if r.EvSeq != a.lastSeq+1 {
		a.st.eventGaps++
		a.requestDump("events lost (a gap in event numbers)")
		return
	}
	a.lastSeq = r.EvSeq
	a.checkMACIP(r)
	c := a.m.apply(r)
	switch {
	case c.owner == "*":
		a.modelKnown()
		a.reconcile(a.advertisedCopy())
	case c.owner != "":
		rs := a.org.routesOf(a.m, c)
		if c.kind == 's' {
			a.urgent = true // mass withdrawal and DF hand-over: at once
			if r.Type == evESUp || r.Type == evESDown {
				a.logf("origin: segment %s %s: %d route(s) to advertise", esiText(r.ESI),
					map[bool]string{true: "up", false: "down"}[r.Type == evESUp], len(rs))
			}
		}
		a.update(c.owner, rs)
	}
}

// checkMACIP counts (and logs once) a MACIP event without a usable address.
func (a *adapter) checkMACIP(r *record) {
	if badMACIP(r) {
		a.st.badMACIP++
		a.org.warn("bad macip", "ring: a MAC/IP binding event (type %d) with address family %d:"+
			" ignored (counted as bad_macip_events; logged once)", r.Type, r.IPAF)
	}
}

// The model is complete: what the intake needs from it.
func (a *adapter) modelKnown() {
	a.in.localVNIs = map[uint32]bool{}
	for v := range a.m.bds {
		a.in.localVNIs[v] = true
	}
	a.in.localESIs = map[[10]byte]bool{}
	for e := range a.m.segs {
		a.in.localESIs[e] = true
	}
	a.in.ownNextHops = map[string]bool{}
	for _, ip := range []net.IP{a.m.vtep4, a.m.vtep6} {
		if ip != nil {
			a.in.ownNextHops[ip.String()] = true
		}
	}
	if nh := a.opt.origin.nextHop; nh != nil {
		a.in.ownNextHops[nh.String()] = true
	}
}

// shrunk detaches from an object another process truncated: what was just
// read from it was zeros (the ring client's SIGBUS guard), and evfwd serves a
// new object under the same name.
func (a *adapter) shrunk() bool {
	if a.rg == nil || !a.rg.shrunk() {
		return false
	}
	a.st.ringShrunk++
	a.detachRing("the ring object was shrunk by another process")
	return true
}

// writeRoutes puts records on the routes ring, waiting while it is full.
func (a *adapter) writeRoutes(recs []record) {
	if len(recs) > 0 && a.shrunk() {
		return
	}
	for i := range recs {
		for waits := 0; a.rg.produce(&recs[i]) != nil; waits++ {
			a.st.ringFullWaits++
			if waits%5000 == 4999 && a.rg.stale() {
				a.detachRing("evfwd is gone while the routes ring is full")
				return
			}
			time.Sleep(20 * time.Microsecond)
		}
		a.st.records++
	}
}

func (a *adapter) control(t uint8) {
	a.writeRoutes([]record{{Type: t}})
}

// ---- gobgpd side ----

func (a *adapter) connectBGP(ctx context.Context, now time.Time) {
	if a.bc != nil || now.Before(a.nextBGPTry) {
		return
	}
	bc, err := dialBGP(ctx, a.opt.gobgpd)
	if err != nil {
		a.st.bgpErrors++
		if a.st.lastBGPErr != err.Error() {
			a.logf("bgp: %v (retrying, backoff up to 5 s)", err)
			a.st.lastBGPErr = err.Error()
		}
		a.nextBGPTry = now.Add(a.backoff)
		if a.backoff *= 2; a.backoff > 5*time.Second {
			a.backoff = 5 * time.Second
		}
		return
	}
	a.bc = bc
	a.backoff = 100 * time.Millisecond
	a.st.lastBGPErr = ""
	a.st.bgpConnects++
	if a.opt.origin.routerID == "" {
		a.org.set.routerID = bc.routerID
	}
	if a.opt.origin.asn == 0 {
		a.org.set.asn = bc.asn
	}
	a.reconciled = false
	a.logf("bgp: connected to gobgpd %s (router id %s, AS %d)", a.opt.gobgpd, bc.routerID, bc.asn)
}

func (a *adapter) lostBGP(err error) {
	a.logf("bgp: %v: reconnecting; evfwd keeps its routes for its hold time", err)
	a.st.bgpErrors++
	a.stopWatch()
	if a.bc != nil {
		a.bc.close()
		a.bc = nil
	}
	if a.rg != nil && a.synced {
		a.control(recSyncBegin) // the hold timer runs from now
	}
	a.nextBGPTry = time.Now().Add(a.backoff)
	a.reconciled = false
}

func (a *adapter) startWatch(ctx context.Context) {
	if a.watching || a.bc == nil || a.rg == nil || !a.synced || !a.reconciled {
		return
	}
	wctx, cancel := context.WithCancel(ctx)
	a.bgpCancel = cancel
	a.watchCh = make(chan []*api.Path, 64)
	a.watchErr = make(chan error, 1)
	a.watching = true
	a.initPending = true
	go a.bc.watch(wctx, a.watchCh, a.watchErr)
}

func (a *adapter) stopWatch() {
	if a.bgpCancel != nil {
		a.bgpCancel()
		a.bgpCancel = nil
	}
	a.watching = false
	a.watchCh, a.watchErr = nil, nil
}

// paths: one batch of best-path changes (the first: the whole table).
func (a *adapter) paths(ps []*api.Path) {
	if a.rg == nil {
		return
	}
	var recs []record
	if a.initPending {
		a.initPending = false
		a.in.reset()
		recs = append(recs, record{Type: recSyncBegin})
		a.st.resyncs++
		a.logf("bgp: resync of evfwd's routes from %d EVPN path(s)", len(ps))
	}
	for _, p := range ps {
		a.st.paths++
		r, err := decodePath(p)
		if err != nil {
			if err != errNotEVPN {
				a.in.skip(skipDecode, nil, err.Error())
			}
			continue
		}
		out := a.in.apply(r)
		if r.Type == 2 && len(a.deferred) > 0 {
			a.retryDeferred(r.MAC)
		}
		if !a.initPending && r.Type == 1 && r.ETag == maxET && len(out) > 0 {
			// a PE joins or leaves a segment: rare, and what a failover is about
			a.logf("intake: PE %s %s segment %s", ipText(r.NextHop),
				map[bool]string{true: "leaves", false: "joins"}[r.Withdraw], esiText(r.ESI))
		}
		recs = append(recs, out...)
	}
	if len(recs) > 0 && recs[0].Type == recSyncBegin {
		recs = append(recs, record{Type: recSyncEnd})
	}
	a.writeRoutes(recs)
}

// ---- origination ----

func (a *adapter) advertisedCopy() map[string]*evpnRoute {
	c := make(map[string]*evpnRoute, len(a.advertised))
	for k, v := range a.advertised {
		c[k] = v
	}
	return c
}

func (a *adapter) queue(r *evpnRoute, withdraw bool) {
	k := r.key()
	if _, ok := a.pending[k]; !ok {
		a.order = append(a.order, k)
	}
	if len(a.pending) == 0 {
		a.firstPending = time.Now()
	}
	a.pending[k] = pendingOp{route: r, withdraw: withdraw}
}

func (a *adapter) setOwner(r *evpnRoute) {
	if a.byOwner[r.Owner] == nil {
		a.byOwner[r.Owner] = map[string]bool{}
	}
	a.byOwner[r.Owner][r.key()] = true
}

// update: the routes of one owner are now rs.
func (a *adapter) update(owner string, rs []*evpnRoute) {
	keep := map[string]bool{}
	for _, r := range rs {
		k := r.key()
		keep[k] = true
		if old := a.advertised[k]; old == nil || old.fingerprint() != r.fingerprint() {
			a.queue(r, false)
			a.advertised[k] = r
		}
		a.setOwner(r)
	}
	gone := make([]string, 0, len(a.byOwner[owner]))
	for k := range a.byOwner[owner] {
		gone = append(gone, k)
	}
	sort.Strings(gone) // withdrawals in a stable order (run to run, and in tests)
	for _, k := range gone {
		if !keep[k] {
			delete(a.deferred, k)
			if old := a.advertised[k]; old != nil {
				a.queue(old, true)
				delete(a.advertised, k)
			}
			delete(a.byOwner[owner], k)
		}
	}
}

// queueFull: make gobgpd hold exactly want, given it holds have.
func (a *adapter) queueFullFrom(have, want map[string]*evpnRoute) {
	for k, r := range want {
		if h := have[k]; h == nil || h.fingerprint() != r.fingerprint() {
			a.queue(r, false)
		}
	}
	for k, h := range have {
		if want[k] == nil {
			a.queue(h, true)
		}
	}
	a.advertised = want
	a.byOwner = map[string]map[string]bool{}
	for _, r := range want {
		a.setOwner(r)
	}
}

func (a *adapter) queueFull(want map[string]*evpnRoute) {
	a.queueFullFrom(a.advertised, want)
}

// reconcile: everything the model asks for against what gobgpd holds. When
// gobgpd was (re)connected, what it holds is read from it: paths an earlier
// instance left are withdrawn unless still wanted.
func (a *adapter) reconcile(have map[string]*evpnRoute) {
	if a.bc == nil || !a.synced {
		return
	}
	if !a.reconciled {
		ps, err := a.bc.localPaths(context.Background())
		if err != nil {
			a.lostBGP(err)
			return
		}
		have = map[string]*evpnRoute{}
		for _, p := range ps {
			r, err := decodePath(p)
			if err == nil && a.org.ours(a.m, r) {
				have[r.key()] = r
			}
		}
		a.pending = map[string]pendingOp{}
		a.order = nil
		a.reconciled = true
		a.logf("bgp: gobgpd holds %d path(s) of ours", len(have))
	}
	a.queueFullFrom(have, a.org.all(a.m))
	a.urgent = true
}

// flush hands the queued paths to the sender (one batch in flight).
func (a *adapter) flush(ctx context.Context, force bool) {
	if a.sending || a.bc == nil || !a.reconciled || len(a.pending) == 0 {
		return
	}
	if !force && !a.urgent && time.Since(a.firstPending) < a.opt.batchDelay {
		return
	}
	paths := make([]*api.Path, 0, len(a.pending))
	sent := make([]pendingOp, 0, len(a.pending))
	for _, k := range a.order {
		op, ok := a.pending[k]
		if !ok {
			continue
		}
		r := *op.route
		r.Withdraw = op.withdraw
		p, err := r.toPath()
		if err != nil {
			a.st.originErrors++
			a.logf("origin: %s: %v (not sent)", k, err)
			continue
		}
		if op.withdraw {
			a.st.withdrawn++
		} else {
			a.st.advertisedPaths++
		}
		paths = append(paths, p)
		sent = append(sent, op)
	}
	a.pending = map[string]pendingOp{}
	a.order = nil
	a.urgent = false
	a.sending = true
	bc := a.bc
	go func() {
		refused, err := bc.send(ctx, paths, a.opt.batch)
		a.sendDone <- sendResult{n: len(paths), err: err, refused: refused, sent: sent}
	}()
}

// sendDone: gobgpd refused some paths; they are not in its table.
func (a *adapter) sendResults(res sendResult) {
	for i, err := range res.refused {
		op := res.sent[i]
		k := op.route.key()
		if op.withdraw {
			continue // nothing of it in gobgpd either way
		}
		if a.advertised[k] == op.route {
			delete(a.advertised, k)
		}
		if strings.Contains(err.Error(), mobilityRefusal) && op.route.Type == 2 {
			if a.deferred[k] == nil {
				a.st.deferred++
			}
			a.deferred[k] = op.route
			continue
		}
		a.st.refused++
		a.org.warn("refused "+err.Error(), "origin: gobgpd refused %s: %v (counted; logged"+
			" once per reason)", k, err)
	}
}

// retryDeferred: send again the routes gobgpd refused for now (mac: only
// those of that MAC; nil: all), if still wanted.
func (a *adapter) retryDeferred(mac net.HardwareAddr) {
	for k, r := range a.deferred {
		if mac != nil && !bytes.Equal(r.MAC, mac) {
			continue
		}
		delete(a.deferred, k)
		if a.byOwner[r.Owner][k] && a.advertised[k] == nil {
			a.queue(r, false)
			a.advertised[k] = r
			a.st.retried++
		}
	}
}

// withdrawAll: on a clean exit, nothing of ours stays in BGP.
func (a *adapter) withdrawAll(ctx context.Context) {
	if a.bc == nil {
		return
	}
	if a.sending {
		select {
		case <-a.sendDone:
		case <-time.After(10 * time.Second):
		}
		a.sending = false
	}
	a.pending = map[string]pendingOp{}
	a.order = nil
	for _, r := range a.advertised {
		a.queue(r, true)
	}
	a.advertised = map[string]*evpnRoute{}
	a.reconciled = true
	a.flush(ctx, true)
	if a.sending {
		select {
		case res := <-a.sendDone:
			if res.err != nil {
				a.logf("bgp: withdrawing on exit: %v", res.err)
			}
		case <-time.After(10 * time.Second):
			a.logf("bgp: withdrawing on exit: gobgpd did not answer in 10 s")
		}
	}
}

// run is the main loop; it returns when ctx ends.
func (a *adapter) run(ctx context.Context) {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	var lastSecond time.Time
	for {
		select {
		case <-ctx.Done():
			a.withdrawAll(context.Background())
			a.stopWatch()
			a.st.write(a)
			if a.rg != nil {
				a.rg.close()
			}
			return
		case ps := <-a.watchCh:
			a.paths(ps)
		case err := <-a.watchErr:
			a.lostBGP(err)
		case res := <-a.sendDone:
			a.sending = false
			a.sendResults(res)
			if res.err != nil {
				a.lostBGP(res.err)
			} else {
				a.st.sends++
			}
		case now := <-tick.C:
			a.attachRing(now)
			a.connectBGP(ctx, now)
			if a.bc != nil && !a.reconciled && a.synced {
				a.reconcile(nil)
			}
			a.startWatch(ctx)
			a.pollRing()
			if len(a.deferred) > 0 && now.Sub(a.lastRetry) >= 5*time.Second {
				a.lastRetry = now
				a.retryDeferred(nil)
			}
			a.flush(ctx, false)
			if now.Sub(lastSecond) >= a.opt.heartbeat {
				lastSecond = now
				if a.rg != nil {
					a.rg.heartbeat()
					if a.rg.stale() {
						a.detachRing("evfwd is gone or was restarted")
					}
				}
				a.st.write(a)
			}
		}
	}
}
