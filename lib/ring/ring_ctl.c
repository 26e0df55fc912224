/* ring_ctl.c: evfwd's side of the control ring (control thread; created on
 * the main thread at start-up). See evf_ring.h and doc/ring-abi.md. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "evf_common.h"
#include "evf_es.h"
#include "evf_events.h"
#include "evf_ring.h"
#include "evf_route.h"

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)
#define MAX_BATCH 4096
/* Events waiting for room in the events ring (a slow control plane): held in
 * order, written as the consumer frees slots; only past this are they lost. */
#define EVENT_BACKLOG 65536

struct evf_ring_counters evf_ring_counters;

static struct {
	bool on;
	bool external;             /* memory given by evf_ring_init_mem */
	char name[128];
	struct evf_ring_hdr *hdr;
	size_t size;
	uint32_t batch;
	uint64_t hold_tsc;
	/* copy of what we wrote, to detect a damaged header */
	struct evf_ring_desc desc[2];
	uint64_t total_size;
	/* producer tracking */
	uint64_t epoch;            /* producer epoch last seen */
	bool have_epoch;
	uint8_t gen;               /* generation owning new routes; 0 = none yet */
	bool syncing;              /* between SYNC-BEGIN and SYNC-END */
	uint64_t hold_deadline;    /* tsc: sweep if no SYNC-END by then, 0 = off */
	uint64_t producer_timeout_tsc; /* 0: off */
	uint64_t last_alive_tsc;   /* last record or heartbeat seen */
	uint64_t last_prod_hb_ns;  /* prod_heartbeat_ns as last read */
	bool producer_silent;      /* timed out, not heard from since */
	uint64_t next_stats;       /* tsc of the next stats refresh when idle */
	struct evf_ring_rec buf[MAX_BATCH];
	uint32_t backlog_head, backlog_len;     /* FIFO of events not yet written */
	struct evf_ring_rec backlog[EVENT_BACKLOG];
} R;

static unsigned int ring_poll(uint64_t now);

static const char *const reject_names[EVF_RING_REJ_MAX] = {
#define EVF_RING_REJ_NAME(e, n) [EVF_RING_REJ_ ## e] = n,
	EVF_RING_REJECTS(EVF_RING_REJ_NAME)
#undef EVF_RING_REJ_NAME
};

const char *
evf_ring_reject_name(int r)
{
	return r >= 0 && r < EVF_RING_REJ_MAX ? reject_names[r] : "?";
}

bool
evf_ring_enabled(void)
{
	return R.on;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- events ring (producer) ---- */

static uint8_t
event_rec_type(uint8_t t)
{
	switch (t) {
	case EVF_EV_MAC_LEARNED: return EVF_REC_EV_MAC_LEARNED;
	case EVF_EV_MAC_AGED: return EVF_REC_EV_MAC_AGED;
	case EVF_EV_MAC_MOVED: return EVF_REC_EV_MAC_MOVED;
	case EVF_EV_MAC_FROZEN: return EVF_REC_EV_MAC_FROZEN;
	case EVF_EV_MAC_UNFROZEN: return EVF_REC_EV_MAC_UNFROZEN;
	case EVF_EV_ES_UP: return EVF_REC_EV_ES_UP;
	case EVF_EV_ES_DOWN: return EVF_REC_EV_ES_DOWN;
	case EVF_EV_DF_CHANGE: return EVF_REC_EV_DF_CHANGE;
	default: return 0; /* not for the control plane */
	}
}

/* A record slot from evfwd's own copy of the layout: nothing the other
 * process writes in the header can make evfwd read or write elsewhere. */
static struct evf_ring_rec *
slot_of(unsigned int ring, uint64_t idx)
{
	return (struct evf_ring_rec *)((uint8_t *)R.hdr + R.desc[ring].offset) +
		(idx & (R.desc[ring].count - 1));
}

/* Write one event record if the events ring has room. */
static bool
event_write(const struct evf_ring_rec *rec)
{
	struct evf_ring_idx *ix = &R.hdr->idx[EVF_RING_EVENTS];
	uint64_t p, c;

	p = atomic_load_explicit(&ix->prod_idx, memory_order_relaxed);
	c = atomic_load_explicit(&ix->cons_idx, memory_order_acquire);
	if (p - c >= R.desc[EVF_RING_EVENTS].count) /* full (or a consumer gone wrong) */
		return false;
	memcpy(slot_of(EVF_RING_EVENTS, p), rec, sizeof(*rec));
	evf_ring_rec_seal(slot_of(EVF_RING_EVENTS, p), p);
	atomic_store_explicit(&ix->prod_idx, p + 1, memory_order_release);
	evf_ring_counters.events_out++;
	return true;
}

/* Move held events into the ring, oldest first, while it has room. */
static unsigned int
event_backlog_flush(void)
{
	unsigned int n = 0;

	while (R.backlog_len > 0 && event_write(&R.backlog[R.backlog_head])) {
		R.backlog_head = (R.backlog_head + 1) % EVENT_BACKLOG;
		R.backlog_len--;
		n++;
	}
	evf_ring_counters.events_backlog = R.backlog_len;
	return n;
}

static bool
event_sink(const struct evf_event *ev)
{
	struct evf_ring_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.type = event_rec_type(ev->type);
	if (rec.type == 0)
		return true;
	rec.vni = ev->vni;
	rec.seq = ev->mob_seq;
	memcpy(rec.esi, ev->esi.b, sizeof(rec.esi));
	memcpy(rec.mac, ev->mac.addr_bytes, sizeof(rec.mac));
	rec.attach = ev->attach;
	rec.df_alg = ev->df_alg;
	rec.df_pref = ev->pref;
	if (ev->type == EVF_EV_DF_CHANGE && ev->flag)
		rec.flags = EVF_REC_F_DF;
	if (ev->type == EVF_EV_ES_UP && ev->flag)
		rec.flags = EVF_REC_F_DONT_PREEMPT;
	rec.ts_ns = mono_ns();
	rec.ev_seq = ev->seq;
	/* In order: nothing overtakes events already held. */
	if (R.backlog_len > 0)
		event_backlog_flush();
	if (R.backlog_len == 0 && event_write(&rec))
		return true;
	if (R.backlog_len == EVENT_BACKLOG) {
		evf_ring_counters.events_lost++;
		return false;
	}
	R.backlog[(R.backlog_head + R.backlog_len) % EVENT_BACKLOG] = rec;
	R.backlog_len++;
	evf_ring_counters.events_backlog = R.backlog_len;
	if (R.backlog_len > evf_ring_counters.events_backlog_max)
		evf_ring_counters.events_backlog_max = R.backlog_len;
	return true;
}

/* ---- set-up ---- */

size_t
evf_ring_mem_size(const struct evf_cfg_ring *cfg)
{
	return EVF_RING_HDR_SIZE + ((size_t)cfg->records + cfg->event_records) * EVF_RING_REC_SIZE;
}

/* Lay out the header in mem and start serving it. */
static void
ring_start(const struct evf_cfg_ring *cfg, struct evf_ring_hdr *h, size_t size)
{
	memset(h, 0, EVF_RING_HDR_SIZE);
	h->abi_version = EVF_RING_ABI_VERSION;
	h->header_size = EVF_RING_HDR_SIZE;
	h->record_size = EVF_RING_REC_SIZE;
	h->nb_rings = 2;
	h->total_size = size;
	h->evfwd_pid = (uint64_t)getpid();
	h->ring[EVF_RING_ROUTES].offset = EVF_RING_HDR_SIZE;
	h->ring[EVF_RING_ROUTES].count = cfg->records;
	h->ring[EVF_RING_EVENTS].offset = EVF_RING_HDR_SIZE + (uint64_t)cfg->records * EVF_RING_REC_SIZE;
	h->ring[EVF_RING_EVENTS].count = cfg->event_records;
	/* The magic last: a producer that sees it sees a complete header. */
	atomic_thread_fence(memory_order_release);
	__atomic_store_n(&h->magic, EVF_RING_MAGIC, __ATOMIC_RELEASE);

	R.on = true;
	R.hdr = h;
	R.size = size;
	R.batch = cfg->batch > MAX_BATCH ? MAX_BATCH : (cfg->batch ? cfg->batch : 256);
	R.hold_tsc = rte_get_tsc_hz() * cfg->hold_time;
	R.producer_timeout_tsc = rte_get_tsc_hz() * (uint64_t)cfg->producer_timeout;
	R.desc[0] = h->ring[0];
	R.desc[1] = h->ring[1];
	R.total_size = size;
	memset(&evf_ring_counters, 0, sizeof(evf_ring_counters));
	evf_event_set_sink(event_sink);
}

int
evf_ring_init_mem(const struct evf_cfg_ring *cfg, void *mem, char *err, size_t errlen)
{
	memset(&R, 0, sizeof(R));
	if (mem == NULL || cfg->records == 0 || (cfg->records & (cfg->records - 1)) ||
	    cfg->event_records == 0 || (cfg->event_records & (cfg->event_records - 1)))
		ERR("control-ring: bad memory or ring sizes");
	ring_start(cfg, mem, evf_ring_mem_size(cfg));
	R.external = true;
	return 0;
}

int
evf_ring_init(const struct evf_cfg_ring *cfg, char *err, size_t errlen)
{
	size_t size = evf_ring_mem_size(cfg);
	struct evf_ring_hdr *h;
	int fd;

	memset(&R, 0, sizeof(R));
	if (!cfg->enabled)
		return 0;
	snprintf(R.name, sizeof(R.name), "%s", cfg->name);
	/* A stale object from an earlier run is replaced: the layout may differ. */
	shm_unlink(R.name);
	fd = shm_open(R.name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0)
		ERR("control-ring: cannot create shared memory %s: %s", R.name, strerror(errno));
	if (fchmod(fd, 0600) < 0 || ftruncate(fd, (off_t)size) < 0) {
		int e = errno;
		close(fd);
		shm_unlink(R.name);
		ERR("control-ring: cannot size %s to %zu bytes: %s", R.name, size, strerror(e));
	}
	h = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (h == MAP_FAILED) {
		shm_unlink(R.name);
		ERR("control-ring: cannot map %s: %s", R.name, strerror(errno));
	}
	ring_start(cfg, h, size);
	return 0;
}

void
evf_ring_fini(void)
{
	if (!R.on)
		return;
	evf_event_set_sink(NULL);
	if (!R.external) {
		munmap(R.hdr, R.size);
		shm_unlink(R.name);
	}
	R.on = false;
}

/* ---- routes ring (consumer) ---- */

static bool
header_intact(void)
{
	const struct evf_ring_hdr *h = R.hdr;

	return __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) == EVF_RING_MAGIC &&
		h->abi_version == EVF_RING_ABI_VERSION && h->header_size == EVF_RING_HDR_SIZE &&
		h->record_size == EVF_RING_REC_SIZE && h->nb_rings == 2 &&
		h->total_size == R.total_size &&
		memcmp(h->ring, R.desc, sizeof(R.desc)) == 0;
}

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

/* Log-linear histogram: 8 sub-buckets per power of two (12.5% resolution). */
static unsigned int
latency_bucket(uint64_t d)
{
	unsigned int octave;

	if (d < EVF_RING_LAT_SUB)
		return (unsigned int)d;
	octave = 63u - (unsigned int)__builtin_clzll(d); /* >= 3 */
	return (octave - 2u) * EVF_RING_LAT_SUB + (unsigned int)((d >> (octave - 3u)) & 7u);
}

/* Exclusive upper bound in ns of a bucket. */
static uint64_t
latency_bucket_top(unsigned int b)
{
	unsigned int octave = b / EVF_RING_LAT_SUB, sub = b % EVF_RING_LAT_SUB;

	if (octave == 0)
		return b + 1;
	return (uint64_t)(EVF_RING_LAT_SUB + sub + 1) << (octave - 1);
}

static void
record_latency(uint64_t ts_ns, uint64_t now_ns)
{
	unsigned int b;

	if (ts_ns == 0 || now_ns < ts_ns)
		return;
	b = latency_bucket(now_ns - ts_ns);
	if (b >= EVF_RING_LAT_BUCKETS)
		b = EVF_RING_LAT_BUCKETS - 1;
	evf_ring_counters.lat_hist[b]++;
	evf_ring_counters.lat_count++;
}

uint64_t
evf_ring_latency_pct(double pct)
{
	uint64_t want = (uint64_t)((double)evf_ring_counters.lat_count * pct / 100.0), seen = 0;

	for (unsigned int b = 0; b < EVF_RING_LAT_BUCKETS; b++) {
		seen += evf_ring_counters.lat_hist[b];
		if (seen >= want && seen > 0)
			return latency_bucket_top(b);
	}
	return 0;
}

/* CLOCK_MONOTONIC now, from the TSC and one clock_gettime per batch
 * (a system call per record costs 4-5% of the apply rate). */
static uint64_t batch_mono_ns, batch_tsc;

static uint64_t
batch_now_ns(void)
{
	return batch_mono_ns + (rte_rdtsc() - batch_tsc) * 1000000000ull / rte_get_tsc_hz();
}

static void
handle(const struct evf_ring_rec *rec, uint64_t idx, uint64_t now)
{
	struct evf_route r;
	int rej;

	evf_ring_counters.records++;
	if (!evf_ring_rec_intact(rec, idx)) {
		evf_ring_counters.rejected[EVF_RING_REJ_TORN]++;
		return;
	}
	switch (rec->type) {
	case EVF_REC_SYNC_BEGIN:
	case EVF_REC_SYNC_END:
	case EVF_REC_HEARTBEAT:
		rej = evf_ring_check_control(rec);
		if (rej != EVF_RING_OK) {
			evf_ring_counters.rejected[rej]++;
			return;
		}
		break;
	default:
		break;
	}
	switch (rec->type) {
	case EVF_REC_SYNC_BEGIN:
		evf_ring_counters.syncs_begun++;
		begin_resync(now);
		R.syncing = true;
		return;
	case EVF_REC_SYNC_END:
		evf_ring_counters.syncs_ended++;
		if (R.syncing || R.hold_deadline)
			sweep();
		return;
	case EVF_REC_HEARTBEAT:
		evf_ring_counters.heartbeats++;
		return;
	case EVF_REC_RT1:
	case EVF_REC_RT2:
	case EVF_REC_RT3:
	case EVF_REC_RT4:
		break;
	default:
		evf_ring_counters.rejected[EVF_RING_REJ_BAD_TYPE]++;
		return;
	}
	rej = evf_ring_decode_route(rec, &r);
	if (rej != EVF_RING_OK) {
		evf_ring_counters.rejected[rej]++;
		return;
	}
	r.gen = R.gen;
	if (evf_route_apply(&r) == EVF_RR_OK)
		evf_ring_counters.applied++;
	else
		evf_ring_counters.rejected[EVF_RING_REJ_ROUTE]++;
	if (rec->ts_ns)
		record_latency(rec->ts_ns, batch_now_ns());
}

static void
publish_stats(void)
{
	struct evf_ring_stats *s = evf_ring_stats(R.hdr);
	const struct evf_ring_counters *c = &evf_ring_counters;

	s->records = c->records;
	s->applied = c->applied;
	for (int i = 0; i < EVF_RING_REJ_MAX && i < (int)EVF_RING_STATS_REJECTS; i++) {
		s->rejected[i] = c->rejected[i];
		if (s->rejected_names[i][0] == '\0')
			snprintf(s->rejected_names[i], sizeof(s->rejected_names[i]), "%s",
				 reject_names[i]);
	}
	s->epochs = c->epochs;
	s->syncs_begun = c->syncs_begun;
	s->syncs_ended = c->syncs_ended;
	s->hold_expired = c->hold_expired;
	s->swept = c->swept;
	s->heartbeats = c->heartbeats;
	s->bad_header = c->bad_header;
	s->bad_index = c->bad_index;
	s->events_out = c->events_out;
	s->events_lost = c->events_lost;
	s->lat_p50_ns = evf_ring_latency_pct(50);
	s->lat_p99_ns = evf_ring_latency_pct(99);
	s->generation = R.gen;
	s->syncing = R.syncing || R.hold_deadline;
	s->handled_idx = atomic_load_explicit(&R.hdr->idx[EVF_RING_ROUTES].cons_idx,
		memory_order_relaxed); /* published after the batch below it was handled */
	s->producer_timeouts = c->producer_timeouts;
	s->updated_ns = mono_ns();
}

unsigned int
evf_ring_poll(uint64_t now)
{
	unsigned int n = ring_poll(now);

	if (R.on && R.backlog_len > 0 && header_intact())
		n += event_backlog_flush();

	if (R.on && (n || now >= R.next_stats)) {
		publish_stats();
		R.next_stats = now + rte_get_tsc_hz() / 10;
	}
	return n;
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

static unsigned int
ring_poll(uint64_t now)
{
	struct evf_ring_hdr *h = R.hdr;
	struct evf_ring_idx *ix;
	uint64_t epoch, prod, cons, count;
	unsigned int n;

	if (!R.on)
		return 0;
	if (!header_intact()) {
		/* Keep forwarding on the last good state; nothing is read. */
		evf_ring_counters.bad_header++;
		return 0;
	}
	ix = &h->idx[EVF_RING_ROUTES];
	count = R.desc[EVF_RING_ROUTES].count;
	/* The producer index before the epoch: a new producer changes the epoch
	 * before it writes, so records we are about to read are never taken for
	 * the previous producer's. */
	cons = atomic_load_explicit(&ix->cons_idx, memory_order_relaxed);
	prod = atomic_load_explicit(&ix->prod_idx, memory_order_acquire);
	epoch = atomic_load_explicit(&ix->prod_epoch, memory_order_acquire);
	if (!R.have_epoch || epoch != R.epoch) {
		if (R.have_epoch || epoch != 0) {
			evf_ring_counters.epochs++;
			begin_resync(now);
		}
		R.epoch = epoch;
		R.have_epoch = true;
		if (R.gen == 0)
			R.gen = 1;
		atomic_store_explicit(&ix->cons_epoch, epoch, memory_order_release);
	}
	producer_liveness(ix, prod != cons, now);
	if (prod - cons > count) {
		/* A broken producer: skip to its index and expect a resync. */
		evf_ring_counters.bad_index++;
		atomic_store_explicit(&ix->cons_idx, prod, memory_order_release);
		if (R.hold_deadline == 0)
			begin_resync(now);
		return 1;
	}
	n = (unsigned int)RTE_MIN(prod - cons, (uint64_t)R.batch);
	for (unsigned int i = 0; i < n; i++)
		memcpy(&R.buf[i], slot_of(EVF_RING_ROUTES, cons + i), sizeof(R.buf[i]));
	/* Copied out: the producer may reuse the slots while we apply. */
	atomic_store_explicit(&ix->cons_idx, cons + n, memory_order_release);
	batch_mono_ns = mono_ns();
	batch_tsc = rte_rdtsc();
	for (unsigned int i = 0; i < n; i++)
		handle(&R.buf[i], cons + i, now);
	/* Hold time over: sweep, but only once every record already queued is
	 * handled (a re-sent table and its SYNC-END may be waiting in the ring). */
	if (R.hold_deadline && now >= R.hold_deadline && cons + n == prod) {
		evf_ring_counters.hold_expired++;
		sweep();
	}
	return n;
}

void
evf_ring_print_status(FILE *out)
{
	const struct evf_ring_counters *c = &evf_ring_counters;

	if (!R.on) {
		fprintf(out, "Control ring: not configured (control-ring section).\n");
		return;
	}
	for (unsigned int r = 0; r < 2; r++) {
		const struct evf_ring_idx *ix = &R.hdr->idx[r];
		uint64_t p = atomic_load(&ix->prod_idx), cn = atomic_load(&ix->cons_idx);

		fprintf(out, "Ring %s %s: %u records, producer %lu, consumer %lu, queued %lu, epoch %lu\n",
			R.name, r == EVF_RING_ROUTES ? "routes" : "events", R.desc[r].count,
			(unsigned long)p, (unsigned long)cn, (unsigned long)(p - cn),
			(unsigned long)atomic_load(&ix->prod_epoch));
	}
	fprintf(out, "Routes: %lu records, %lu applied; generation %u%s%s\n",
		(unsigned long)c->records, (unsigned long)c->applied, R.gen,
		R.syncing ? ", resync in progress" : "",
		R.hold_deadline ? ", hold timer running" : "");
	fprintf(out, "Rejected:");
	for (int i = 0; i < EVF_RING_REJ_MAX; i++)
		fprintf(out, " %s %lu", reject_names[i], (unsigned long)c->rejected[i]);
	fprintf(out, "\nProducer: %lu epoch change(s), %lu sync begin, %lu sync end, %lu hold"
		" expiries, %lu swept, %lu heartbeats, %lu timeout(s), damaged header seen %lu,"
		" bad indices %lu\n",
		(unsigned long)c->epochs, (unsigned long)c->syncs_begun, (unsigned long)c->syncs_ended,
		(unsigned long)c->hold_expired, (unsigned long)c->swept, (unsigned long)c->heartbeats,
		(unsigned long)c->producer_timeouts, (unsigned long)c->bad_header,
		(unsigned long)c->bad_index);
	fprintf(out, "Events: %lu written, %lu waiting for room (most %lu), %lu lost (ring and"
		" backlog of %u full)\n", (unsigned long)c->events_out,
		(unsigned long)c->events_backlog, (unsigned long)c->events_backlog_max,
		(unsigned long)c->events_lost, EVENT_BACKLOG);
	if (c->lat_count)
		fprintf(out, "Apply latency: p50 < %lu ns, p99 < %lu ns (%lu samples)\n",
			(unsigned long)evf_ring_latency_pct(50), (unsigned long)evf_ring_latency_pct(99),
			(unsigned long)c->lat_count);
}
