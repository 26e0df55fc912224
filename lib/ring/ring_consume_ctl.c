/* ring_consume_ctl.c: evfwd as consumer of the routes ring (the BGP
 * adapter's, with epochs, resyncs and the hold time) and of the manual ring
 * (operator tools: routes owned as manual, never swept), and the control-loop
 * poller that also drives the events ring (control thread).
 *
 * The consumer indices are evfwd's own (struct ring_state); the object only
 * gets a copy. A producer index out of range is skipped over, never used to
 * read outside the ring. */
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "evf_common.h"
#include "evf_route.h"
#include "ring_private.h"

#define R evf_ring_st

/* Generations 1..254 own new routes; 255 marks "older than any of them".
 * Before numbers are reused, every ring route is relabelled 255, so a route
 * never looks as young as a new generation it was not re-sent in. */
#define GEN_OLD 255

static uint8_t
next_gen(uint8_t g)
{
	if (g + 1 < GEN_OLD)
		return (uint8_t)(g + 1);
	evf_route_regen(GEN_OLD);
	return 1;
}

/* A new producer (or one that asks for a resync): new routes get a new
 * generation; older ring routes stay until SYNC-END or the hold time. */
static void
begin_resync(uint64_t now)
{
	R.gen = next_gen(R.gen);
	R.hold_deadline = now + R.hold_tsc;
	if (R.hold_deadline == 0)
		R.hold_deadline = 1;
}

static void
sweep(void)
{
	uint32_t n = evf_route_sweep(R.gen);

	evf_ring_counters.swept += n;
	R.hold_deadline = 0;
	R.syncing = false;
	if (n)
		EVF_LOG(INFO, "control ring: resync withdrew %u stale route(s)", n);
}

/* CLOCK_MONOTONIC now, from the TSC and one clock_gettime per batch
 * (a system call per record costs 4-5% of the apply rate). */
static uint64_t batch_mono_ns, batch_tsc;

static uint64_t
batch_now_ns(void)
{
	return batch_mono_ns + (rte_rdtsc() - batch_tsc) * 1000000000ull / rte_get_tsc_hz();
}

/* A SYNC-BEGIN, SYNC-END or HEARTBEAT record of the routes ring. */
static void
handle_control(const struct evf_ring_rec *rec, uint64_t now)
{
	enum evf_ring_reject why;

	if (evf_ring_check_control(rec, &why) < 0) {
		evf_ring_counters.rejected[why]++;
		return;
	}
	switch (rec->type) {
	case EVF_REC_SYNC_BEGIN:
		evf_ring_counters.syncs_begun++;
		begin_resync(now);
		R.syncing = true;
		break;
	case EVF_REC_SYNC_END:
		evf_ring_counters.syncs_ended++;
		if (R.syncing || R.hold_deadline)
			sweep();
		break;
	default:
		evf_ring_counters.heartbeats++;
		break;
	}
}

/* One record; returns whether a route was applied. */
static bool
handle(unsigned int ring, const struct evf_ring_rec *rec, uint64_t idx, uint64_t now)
{
	struct evf_route r;
	bool manual = ring == EVF_RING_MANUAL;
	enum evf_ring_reject why;
	int rej;

	if (!evf_ring_rec_intact(rec, idx)) {
		evf_ring_counters.rejected[EVF_RING_REJ_TORN]++;
		return false;
	}
	switch (rec->type) {
	case EVF_REC_SYNC_BEGIN:
	case EVF_REC_SYNC_END:
	case EVF_REC_HEARTBEAT:
		if (!manual) {
			handle_control(rec, now);
			return false;
		}
		/* fall through: the manual ring carries routes only */
	default:
		evf_ring_counters.rejected[EVF_RING_REJ_BAD_TYPE]++;
		return false;
	case EVF_REC_RT1:
	case EVF_REC_RT2:
	case EVF_REC_RT3:
	case EVF_REC_RT4:
		break;
	}
	if (evf_ring_decode_route(rec, &r, &why) < 0) {
		evf_ring_counters.rejected[why]++;
		return false;
	}
	r.gen = manual ? 0 : R.gen;
	rej = evf_route_apply(&r);
	if (rec->ts_ns)
		evf_ring_record_latency(rec->ts_ns, batch_now_ns());
	if (rej == EVF_RR_OK)
		return true;
	evf_ring_counters.rejected[EVF_RING_REJ_ROUTE]++;
	return false;
}

/* A producer that neither writes nor updates its heartbeat for
 * producer-timeout is gone: its routes are held for hold-time, then swept,
 * unless it comes back and resyncs. */
static void
producer_liveness(struct evf_ring_idx *ix, bool records, uint64_t now)
{
	uint64_t hb = atomic_load_explicit(&ix->prod_heartbeat_ns, memory_order_relaxed);

	if (records || hb != R.last_prod_hb_ns || R.last_alive_tsc == 0) {
		R.last_prod_hb_ns = hb;
		R.last_alive_tsc = now;
		R.producer_silent = false;
		return;
	}
	if (R.producer_timeout_tsc == 0 || R.producer_silent ||
	    now - R.last_alive_tsc < R.producer_timeout_tsc)
		return;
	R.producer_silent = true;
	evf_ring_counters.producer_timeouts++;
	EVF_LOG(WARNING, "control ring: producer silent for %lu s: its routes are withdrawn"
		" after hold-time unless it resyncs",
		(unsigned long)(R.producer_timeout_tsc / rte_get_tsc_hz()));
	begin_resync(now);
}

/* The routes producer's epoch: a new one opens a resync and gets a dump of
 * our local state on the events ring. */
static void
check_epoch(struct evf_ring_idx *ix, uint64_t now)
{
	uint64_t epoch = atomic_load_explicit(&ix->prod_epoch, memory_order_acquire);

	if (R.have_epoch && epoch == R.epoch)
		return;
	if (R.have_epoch || epoch != 0) {
		evf_ring_counters.epochs++;
		begin_resync(now);
		evf_ring_dump_request(epoch);
	}
	R.epoch = epoch;
	R.have_epoch = true;
	if (R.gen == 0)
		R.gen = 1;
	atomic_store_explicit(&ix->cons_epoch, epoch, memory_order_release);
}

/* Copy out and handle one batch of a routes-carrying ring (0 or 2). */
static unsigned int
consume(unsigned int ring, uint64_t now)
{
	struct evf_ring_idx *ix = &R.hdr->idx[ring];
	uint64_t prod, cons = R.cons[ring], count = R.desc[ring].count;
	unsigned int n, applied = 0;

	prod = atomic_load_explicit(&ix->prod_idx, memory_order_acquire);
	if (unlikely(R.lost)) /* that read found the object shrunk (ring_guard_ctl.c) */
		return 0;
	if (ring == EVF_RING_ROUTES) {
		/* The producer index before the epoch: a new producer changes the
		 * epoch before it writes, so records we are about to read are never
		 * taken for the previous producer's. */
		check_epoch(ix, now);
		producer_liveness(ix, prod != cons, now);
	}
	if (prod - cons > count) {
		/* A broken producer: skip to its index (and, for the adapter's
		 * ring, expect a resync). */
		evf_ring_counters.bad_index++;
		R.cons[ring] = prod;
		atomic_store_explicit(&ix->cons_idx, prod, memory_order_release);
		if (ring == EVF_RING_ROUTES && R.hold_deadline == 0)
			begin_resync(now);
		return 1;
	}
	n = (unsigned int)RTE_MIN(prod - cons, (uint64_t)R.batch);
	for (unsigned int i = 0; i < n; i++)
		memcpy(&R.buf[i], evf_ring_slot_of(ring, cons + i), sizeof(R.buf[i]));
	if (unlikely(R.lost)) /* zeros, not records: nothing is handled */
		return 0;
	/* Copied out: the producer may reuse the slots while we apply. */
	R.cons[ring] = cons + n;
	atomic_store_explicit(&ix->cons_idx, cons + n, memory_order_release);
	batch_mono_ns = evf_ring_mono_ns();
	batch_tsc = rte_rdtsc();
	for (unsigned int i = 0; i < n; i++)
		applied += handle(ring, &R.buf[i], cons + i, now);
	if (ring == EVF_RING_MANUAL) {
		evf_ring_counters.manual_records += n;
		evf_ring_counters.manual_applied += applied;
		evf_ring_counters.manual_rejected += n - applied;
		return n;
	}
	evf_ring_counters.records += n;
	evf_ring_counters.applied += applied;
	/* Hold time over: sweep, but only once every record already queued is
	 * handled (a re-sent table and its SYNC-END may be waiting in the ring). */
	if (R.hold_deadline && now >= R.hold_deadline && cons + n == prod) {
		evf_ring_counters.hold_expired++;
		sweep();
	}
	return n;
}

/* A consumer of the events ring that stores a new epoch asks for a dump. */
static void
check_dump_request(void)
{
	uint64_t e = atomic_load_explicit(&R.hdr->idx[EVF_RING_EVENTS].cons_epoch,
		memory_order_acquire);

	if (e != R.ev_cons_epoch) {
		R.ev_cons_epoch = e;
		evf_ring_dump_request(e);
	}
}

unsigned int
evf_ring_poll(uint64_t now)
{
	unsigned int n = 0;

	if (!R.on)
		return 0;
	evf_ring_check_size(now);
	if (unlikely(R.lost)) {
		/* The object was shrunk under evfwd: serve a new one. */
		evf_ring_replace(now);
		if (R.lost)
			return 0;
	}
	if (evf_ring_header_intact()) {
		n += consume(EVF_RING_ROUTES, now);
		if (!R.lost)
			n += consume(EVF_RING_MANUAL, now);
		if (!R.lost)
			check_dump_request();
		n += evf_ring_events_flush();
	} else if (!R.lost) {
		/* Keep forwarding on the last good state; nothing is read. */
		evf_ring_counters.bad_header++;
	}
	if (n || now >= R.next_stats) {
		evf_ring_publish_stats();
		R.next_stats = now + rte_get_tsc_hz() / 10;
	}
	return n;
}
