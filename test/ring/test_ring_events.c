/* test_ring_events.c: CUnit tests of the events ring (evfwd -> control plane,
 * lib/ring/ring_ctl.c event_sink) for the event types test_ring_ctl.c does
 * not cover: MAC_AGED, MAC_FROZEN, MAC_UNFROZEN, ES_UP, ES_DOWN, DF_CHANGE.
 * Each case brings a fresh runtime up (test/unit/evf_test_env.c, net_ring
 * ports) with the ring in plain memory (evf_ring_init_mem), drives segments
 * through the control loop (evf_ctl_poll_once, port admin state), routes
 * through the routes ring (evf_ring_poll), MACs through evf_fdb_learn and
 * evf_fdb_age with a synthetic evf_now_sec, and reads every event back with
 * evf_ring_consume. Each record is checked field by field against
 * doc/ring-abi.md section 2 "Event records": seal, type, flags, vni, mac,
 * seq, esi, attach, df_alg, df_pref, zero op/address/reserved fields, ts_ns,
 * consecutive ev_seq, and its evfwd-ctl watch text. The events ring is sized
 * so that it never fills (its full behaviour is not tested here). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_es_dp.h"
#include "evf_events.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_rcu.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "evf_test_env.h"

#define NODE_MAC "02:00:00:00:00:01"
#define NH_MAC   "02:00:00:00:00:fe"
#define ESI_P    "00:e5:00:00:00:00:00:00:00:01"   /* es-pref on acc1 */
#define ESI_H    "00:e5:00:00:00:00:00:00:00:02"   /* es-hrw on acc2 */
#define ESI_M    "00:e5:00:00:00:00:00:00:00:03"   /* es-mod on acc3 */
#define PEER_M   "198.18.0.21"   /* a peer on es-mod, higher address than ours */
#define PEER_P   "198.18.0.22"   /* a peer on es-pref */
#define VR       "198.18.0.51"   /* a remote VTEP of RT2 routes */
#define NONE     0xffffu
#define EV_MAX   256

static const char cfg_yaml[] =
	"node:\n"
	"  vtep-ipv4: 198.18.0.1\n"
	"  mac: " NODE_MAC "\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_e0, role: network, next-hop-mac: " NH_MAC ",\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_e1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc1, device: net_ring_e2, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc2, device: net_ring_e3, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc3, device: net_ring_e4, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: blue\n"
	"    vni: 100\n"
	"    mac-aging: 60\n"
	"    mac-duplication: {num-moves: 3, monitoring-window: 180, hold-down: 60}\n"
	"    attachments: [{port: acc0, vlan: untagged}, {port: acc1, vlan: 10},\n"
	"                  {port: acc2, vlan: 10}, {port: acc3, vlan: 10}]\n"
	"  - name: red\n"
	"    vni: 200\n"
	"    evi: 201\n"
	"    mac-aging: 60\n"
	"    attachments: [{port: acc1, vlan: 20}, {port: acc2, vlan: 20}, {port: acc3, vlan: 20}]\n"
	"ethernet-segments:\n"
	"  - {name: es-pref, esi: " ESI_P ", interface: acc1, df-timer: 0,\n"
	"     df-election: {algorithm: preference, preference: 300, dont-preempt: true}}\n"
	"  - {name: es-hrw, esi: " ESI_H ", interface: acc2, df-timer: 0,\n"
	"     df-election: {algorithm: hrw}}\n"
	"  - {name: es-mod, esi: " ESI_M ", interface: acc3, df-timer: 0}\n";

static struct evf_cfg_ring rcfg;
static void *mem;
static struct evf_ring_hdr *H;
static uint16_t blue, red;
static uint64_t next_ev_seq;     /* ev_seq the next events record must carry */
static uint64_t consumed;        /* events records read since the ring was set up */
static uint64_t events0;         /* evf_event_count() when the ring was set up */
static uint64_t ts0;             /* CLOCK_MONOTONIC ns when the ring was set up */

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- what an event record must hold ---- */

struct want {
	uint8_t type;
	uint8_t flags;
	uint32_t vni;
	const char *mac;        /* NULL: all zero */
	uint32_t seq;
	const char *esi;        /* NULL: all zero */
	uint16_t attach;
	uint8_t df_alg;
	uint16_t df_pref;
	const char *text;       /* evf_ring_format_event (evfwd-ctl watch) */
};

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

#define FIELD(name, got, exp) do {                                             \
		unsigned long g_ = (unsigned long)(got), e_ = (unsigned long)(exp); \
		if (g_ != e_)                                                  \
			fprintf(stderr, "\n    line %d: %s: %s %lu (%#lx), expected %lu (%#lx)", \
				line, w->text, name, g_, g_, e_, e_);          \
		CU_ASSERT_EQUAL(g_, e_);                                       \
	} while (0)

/* Every field of r (a record read at ring index idx) against w. */
static void
check_rec(const struct evf_ring_rec *r, uint64_t idx, const struct want *w, int line)
{
	uint8_t mac[6] = { 0 };
	struct evf_esi esi;
	char text[256];
	uint64_t now = mono_ns();

	memset(&esi, 0, sizeof(esi));
	if (w->mac != NULL) {
		struct rte_ether_addr m = evft_mac(w->mac);
		memcpy(mac, m.addr_bytes, 6);
	}
	if (w->esi != NULL)
		CU_ASSERT_FATAL(evf_esi_parse(w->esi, &esi) == 0);
	if (!evf_ring_rec_intact(r, idx))
		fprintf(stderr, "\n    line %d: %s: record at index %lu fails its seal", line, w->text,
			(unsigned long)idx);
	CU_ASSERT(evf_ring_rec_intact(r, idx));
	FIELD("type", r->type, w->type);
	FIELD("op", r->op, 0);
	FIELD("flags", r->flags, w->flags);
	FIELD("vtep_af", r->vtep_af, 0);
	FIELD("ip_af", r->ip_af, 0);
	FIELD("df_alg", r->df_alg, w->df_alg);
	FIELD("df_pref", r->df_pref, w->df_pref);
	FIELD("vni", r->vni, w->vni);
	FIELD("seq", r->seq, w->seq);
	FIELD("attach", r->attach, w->attach);
	FIELD("reserved0", r->reserved0, 0);
	FIELD("reserved1", r->reserved1, 0);
	if (memcmp(r->esi, esi.b, sizeof(r->esi)) != 0)
		fprintf(stderr, "\n    line %d: %s: esi differs", line, w->text);
	CU_ASSERT_EQUAL(memcmp(r->esi, esi.b, sizeof(r->esi)), 0);
	if (memcmp(r->mac, mac, 6) != 0)
		fprintf(stderr, "\n    line %d: %s: mac differs", line, w->text);
	CU_ASSERT_EQUAL(memcmp(r->mac, mac, 6), 0);
	CU_ASSERT(all_zero(r->vtep, sizeof(r->vtep)));
	CU_ASSERT(all_zero(r->ip, sizeof(r->ip)));
	CU_ASSERT(all_zero(r->reserved2, sizeof(r->reserved2)));
	/* evfwd's CLOCK_MONOTONIC when written: since the ring was set up, not later than now */
	if (r->ts_ns < ts0 || r->ts_ns > now)
		fprintf(stderr, "\n    line %d: %s: ts_ns %lu outside [%lu, %lu]", line, w->text,
			(unsigned long)r->ts_ns, (unsigned long)ts0, (unsigned long)now);
	CU_ASSERT(r->ts_ns >= ts0 && r->ts_ns <= now);
	evf_ring_format_event(r, text, sizeof(text));
	if (strcmp(text, w->text) != 0)
		fprintf(stderr, "\n    line %d: text '%s', expected '%s'", line, text, w->text);
	CU_ASSERT_STRING_EQUAL(text, w->text);
}

/* ---- fixture ---- */

static int
suite_clean(void)
{
	evft_down();
	free(mem);
	mem = NULL;
	return 0;
}

static bool
segment_settled(const char *esi_s)
{
	struct evf_esi x;
	struct evf_es_df_view v;
	int id;

	if (evf_esi_parse(esi_s, &x) != 0 || (id = evf_es_find(&x)) < 0)
		return false;
	evf_es_df_view((uint16_t)id, &v);
	return evf_ess[id].local_up && v.self_candidate && !v.activating && !v.timer_running;
}

static bool
all_settled(void)
{
	return segment_settled(ESI_P) && segment_settled(ESI_H) && segment_settled(ESI_M);
}

static bool
es_down(const char *esi_s)
{
	struct evf_esi x;
	int id;

	return evf_esi_parse(esi_s, &x) == 0 && (id = evf_es_find(&x)) >= 0 && !evf_ess[id].local_up;
}

static bool
p_down(void)
{
	return es_down(ESI_P);
}

/* Run the control loop (real clock) until cond() holds, at most 3 s. */
static bool
poll_until(bool (*cond)(void))
{
	uint64_t hz = rte_get_tsc_hz(), end = rte_rdtsc() + 3 * hz;

	while (!cond()) {
		if (rte_rdtsc() > end)
			return false;
		evf_ctl_poll_once();
		rte_delay_us_block(50);
	}
	return true;
}

/* A fresh runtime, the ring set up before any segment is up, then the
 * control loop until every segment is up and elected. */
static void
fresh(void)
{
	char err[256] = "";

	if (evft_is_up())
		evft_down();
	CU_ASSERT_EQUAL_FATAL(evft_up(cfg_yaml), 0);
	free(mem);
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.enabled = true;
	snprintf(rcfg.name, sizeof(rcfg.name), "/evft-events");
	rcfg.records = 64;
	rcfg.event_records = EV_MAX;
	rcfg.hold_time = 30;
	rcfg.batch = 64;
	mem = aligned_alloc(4096, evf_ring_mem_size(&rcfg));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	memset(mem, 0x5a, evf_ring_mem_size(&rcfg));
	if (evf_ring_init_mem(&rcfg, mem, err, sizeof(err)) != 0)
		fprintf(stderr, "\n    evf_ring_init_mem: %s", err);
	H = mem;
	CU_ASSERT_FATAL(evf_ring_enabled());
	events0 = evf_event_count();
	next_ev_seq = events0 + 1;
	consumed = 0;
	ts0 = mono_ns();
	blue = evft_bd("blue");
	red = evft_bd("red");
	CU_ASSERT_FATAL(blue != EVF_INVALID_ID && red != EVF_INVALID_ID);
	if (!poll_until(all_settled))
		fprintf(stderr, "\n    the local segments did not come up");
	CU_ASSERT_FATAL(all_settled());
}

/* Read everything on the events ring: each record intact at its index, with
 * the next ev_seq; every event evfwd emitted is on the ring. */
static int
take(struct evf_ring_rec *out, uint64_t *first)
{
	int n = evf_ring_consume(H, EVF_RING_EVENTS, out, EV_MAX, first);

	CU_ASSERT_FATAL(n >= 0);
	for (int i = 0; i < n; i++) {
		if (out[i].ev_seq != next_ev_seq)
			fprintf(stderr, "\n    event at index %lu: ev_seq %lu, expected %lu",
				(unsigned long)(*first + (uint64_t)i), (unsigned long)out[i].ev_seq,
				(unsigned long)next_ev_seq);
		CU_ASSERT_EQUAL(out[i].ev_seq, next_ev_seq);
		next_ev_seq++;
	}
	consumed += (uint64_t)n;
	CU_ASSERT_EQUAL(consumed, evf_event_count() - events0);
	CU_ASSERT_EQUAL(evf_ring_counters.events_out, consumed);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx),
			atomic_load(&H->idx[EVF_RING_EVENTS].cons_idx));
	return n;
}

/* Read the ring and expect exactly these records, in this order. */
static void
expect_seq(const struct want *w, int nw, int line)
{
	struct evf_ring_rec out[EV_MAX];
	uint64_t first;
	int n = take(out, &first);

	if (n != nw) {
		char text[256];

		fprintf(stderr, "\n    line %d: %d event(s) on the ring, expected %d:", line, n, nw);
		for (int i = 0; i < n; i++) {
			evf_ring_format_event(&out[i], text, sizeof(text));
			fprintf(stderr, "\n      %s", text);
		}
	}
	CU_ASSERT_EQUAL_FATAL(n, nw);
	for (int i = 0; i < n; i++)
		check_rec(&out[i], first + (uint64_t)i, &w[i], line);
}

#define EXPECT_SEQ(...) do {                                                   \
		const struct want w_[] = { __VA_ARGS__ };                      \
		expect_seq(w_, (int)RTE_DIM(w_), __LINE__);                    \
	} while (0)
#define EXPECT_NONE() expect_seq(NULL, 0, __LINE__)

/* Record constructors (doc/ring-abi.md "Event records"). */
#define MAC_EV(t, v, m, s, e, a, txt) \
	{ .type = (t), .vni = (v), .mac = (m), .seq = (s), .esi = (e), .attach = (a), .text = (txt) }
#define ES_UP(e, alg, pref, fl, txt) \
	{ .type = EVF_REC_EV_ES_UP, .flags = (fl), .esi = (e), .attach = NONE, .df_alg = (alg), \
	  .df_pref = (pref), .text = (txt) }
#define ES_DOWN(e, alg, pref, txt) \
	{ .type = EVF_REC_EV_ES_DOWN, .esi = (e), .attach = NONE, .df_alg = (alg), \
	  .df_pref = (pref), .text = (txt) }
#define DF_CH(e, v, df, txt) \
	{ .type = EVF_REC_EV_DF_CHANGE, .flags = (df) ? EVF_REC_F_DF : 0, .vni = (v), .esi = (e), \
	  .attach = NONE, .text = (txt) }

/* ---- drivers ---- */

static enum evf_learn_result
learn(uint16_t bd, const char *port, uint16_t vlan, const char *mac)
{
	struct evf_learn_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.mac = evft_mac(mac);
	ev.bd = bd;
	ev.attach = evft_attach(port, vlan);
	return evf_fdb_learn(&ev);
}

/* One route through the routes ring (doc/routes.md syntax), applied. */
static void
push(const char *text)
{
	struct evf_route r;
	struct evf_ring_rec rec;
	char err[256];
	uint64_t applied = evf_ring_counters.applied;

	if (evf_route_parse_line(text, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "test bug: '%s': %s\n", text, err);
		abort();
	}
	evf_ring_encode_route(&r, &rec);
	CU_ASSERT_EQUAL_FATAL(evf_ring_produce(H, EVF_RING_ROUTES, &rec), 0);
	CU_ASSERT_EQUAL(evf_ring_poll(rte_rdtsc()), 1);
	evf_rcu_drain();
	if (evf_ring_counters.applied != applied + 1)
		fprintf(stderr, "\n    '%s' was not applied", text);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, applied + 1);
}

static bool
is_df(const char *port, uint16_t vlan)
{
	const struct evf_attach *a = &evf_attachs[evft_attach(port, vlan)];

	return evf_es_is_df(&evf_ess[a->es], &evf_esevis[a->esevi]);
}

static void
set_admin(const char *port, bool up)
{
	struct evf_port *p = evf_port_by_name(port);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	__atomic_store_n(&p->admin_up, up ? 1 : 0, __ATOMIC_RELAXED);
}

static const struct evf_fdb_entry *
fdb(uint16_t bd, const char *mac)
{
	struct rte_ether_addr m = evft_mac(mac);

	return evf_fdb_find(bd, &m);
}

/* ---- segments: ES_UP, DF_CHANGE at start ---- */

/* Each segment coming up: one ES_UP with the DF parameters it advertises
 * (preference 300 with Don't-Preempt; hrw and modulo with the default
 * preference 32767), then, alone on its segment, DF for both its MAC-VRFs. */
static void
test_segments_up(void)
{
	static const struct {
		const char *esi;
		struct want up, df_blue, df_red;
	} seg[] = {
		{ ESI_P, ES_UP(ESI_P, 2, 300, EVF_REC_F_DONT_PREEMPT,
			       "es-up esi " ESI_P " df-alg preference pref 300 dont-preempt"),
		  DF_CH(ESI_P, 100, 1, "df-change esi " ESI_P " vni 100 df"),
		  DF_CH(ESI_P, 200, 1, "df-change esi " ESI_P " vni 200 df") },
		{ ESI_H, ES_UP(ESI_H, 1, 32767, 0, "es-up esi " ESI_H " df-alg hrw pref 32767"),
		  DF_CH(ESI_H, 100, 1, "df-change esi " ESI_H " vni 100 df"),
		  DF_CH(ESI_H, 200, 1, "df-change esi " ESI_H " vni 200 df") },
		{ ESI_M, ES_UP(ESI_M, 0, 32767, 0, "es-up esi " ESI_M " df-alg modulo pref 32767"),
		  DF_CH(ESI_M, 100, 1, "df-change esi " ESI_M " vni 100 df"),
		  DF_CH(ESI_M, 200, 1, "df-change esi " ESI_M " vni 200 df") },
	};
	struct evf_ring_rec out[EV_MAX];
	uint64_t first;
	int n;

	fresh();
	n = take(out, &first);
	if (n != 9)
		fprintf(stderr, "\n    %d events at start, expected 9 (3 es-up, 6 df-change)", n);
	CU_ASSERT_EQUAL_FATAL(n, 9);
	for (size_t s = 0; s < RTE_DIM(seg); s++) {
		struct evf_esi e;
		int at[3] = { -1, -1, -1 }, cnt[3] = { 0, 0, 0 };

		CU_ASSERT_FATAL(evf_esi_parse(seg[s].esi, &e) == 0);
		/* the segments come up in any order; each one's records: ES_UP, then DF */
		for (int i = 0; i < n; i++) {
			int k;

			if (memcmp(out[i].esi, e.b, 10) != 0)
				continue;
			k = out[i].type == EVF_REC_EV_ES_UP ? 0 : out[i].vni == 100 ? 1 : 2;
			at[k] = i;
			cnt[k]++;
		}
		for (int k = 0; k < 3; k++) {
			if (cnt[k] != 1)
				fprintf(stderr, "\n    segment %s: %d record(s) of kind %d, expected 1",
					seg[s].esi, cnt[k], k);
			CU_ASSERT_EQUAL_FATAL(cnt[k], 1);
		}
		check_rec(&out[at[0]], first + (uint64_t)at[0], &seg[s].up, __LINE__);
		check_rec(&out[at[1]], first + (uint64_t)at[1], &seg[s].df_blue, __LINE__);
		check_rec(&out[at[2]], first + (uint64_t)at[2], &seg[s].df_red, __LINE__);
		CU_ASSERT(at[0] < at[1] && at[0] < at[2]);
	}
	CU_ASSERT(is_df("acc1", 10) && is_df("acc2", 20) && is_df("acc3", 20));
}

/* ---- DF_CHANGE from a peer's RT4 ---- */

/* fresh(), the start-up events read (test_segments_up checks them). */
static void
fresh_drained(void)
{
	struct evf_ring_rec out[EV_MAX];
	uint64_t first;

	fresh();
	CU_ASSERT_EQUAL_FATAL(take(out, &first), 9);
}

/* A peer joins es-mod (modulo, candidates 198.18.0.1 < 198.18.0.21): blue
 * (EVI 100, 100 mod 2 = 0) stays ours, red (EVI 201, 201 mod 2 = 1) goes to
 * the peer: one non-DF DF_CHANGE for VNI 200 once the DF timer (0 s) ran,
 * none before. The peer leaves: DF again at once. */
static void
test_df_change(void)
{
	fresh_drained();
	push("rt4 add esi " ESI_M " vtep " PEER_M);
	EXPECT_NONE();                       /* the DF timer has not run yet */
	CU_ASSERT(is_df("acc3", 20));
	evf_es_poll(rte_rdtsc());
	EXPECT_SEQ(DF_CH(ESI_M, 200, 0, "df-change esi " ESI_M " vni 200 non-df"));
	CU_ASSERT(is_df("acc3", 10));
	CU_ASSERT_FALSE(is_df("acc3", 20));
	push("rt4 del esi " ESI_M " vtep " PEER_M);
	EXPECT_SEQ(DF_CH(ESI_M, 200, 1, "df-change esi " ESI_M " vni 200 df"));
	CU_ASSERT(is_df("acc3", 20));
	evf_es_poll(rte_rdtsc());
	EXPECT_NONE();
}

/* ---- ES_DOWN, ES_UP again ---- */

#define HP "02:00:00:e5:01:01"   /* a host behind es-pref (blue, acc1.10) */

/* es-pref's port stopped: ES_DOWN with the last DF parameters (flags 0), its
 * two MAC-VRFs non-DF, then the MACs learned on it flushed (MAC_AGED with the
 * attachment and the segment). A peer with preference 100 and Don't-Preempt
 * takes the DF role meanwhile; the port started again: ES_UP advertising the
 * DF's preference 100 with Don't-Preempt clear (RFC 9785 non-revertive), no
 * DF_CHANGE (still not DF). The peer leaves: DF for both at once, then ES_UP
 * with our own preference 300 and Don't-Preempt again. */
static void
test_es_down_up(void)
{
	uint32_t t;

	fresh_drained();
	t = evf_clock_sec();
	CU_ASSERT_EQUAL(learn(blue, "acc1", 10, HP), EVF_LEARN_NEW);
	EXPECT_SEQ(MAC_EV(EVF_REC_EV_MAC_LEARNED, 100, HP, 0, ESI_P, evft_attach("acc1", 10),
			  "mac-learned vni 100 mac " HP " seq 0 esi " ESI_P));

	set_admin("acc1", false);
	CU_ASSERT_FATAL(poll_until(p_down));
	EXPECT_SEQ(ES_DOWN(ESI_P, 2, 300, "es-down esi " ESI_P),
		   DF_CH(ESI_P, 100, 0, "df-change esi " ESI_P " vni 100 non-df"),
		   DF_CH(ESI_P, 200, 0, "df-change esi " ESI_P " vni 200 non-df"),
		   MAC_EV(EVF_REC_EV_MAC_AGED, 100, HP, 0, ESI_P, evft_attach("acc1", 10),
			  "mac-aged vni 100 mac " HP " seq 0 esi " ESI_P));
	CU_ASSERT_PTR_NULL(fdb(blue, HP));
	CU_ASSERT(evf_clock_sec() - t < 60);  /* flushed, not aged */

	push("rt4 add esi " ESI_P " vtep " PEER_P " df-alg preference pref 100 dont-preempt");
	evf_es_poll(rte_rdtsc());
	EXPECT_NONE();                       /* we are no candidate: nothing changes for us */

	set_admin("acc1", true);
	CU_ASSERT_FATAL(poll_until(all_settled));
	EXPECT_SEQ(ES_UP(ESI_P, 2, 100, 0, "es-up esi " ESI_P " df-alg preference pref 100"));
	CU_ASSERT_FALSE(is_df("acc1", 10));
	CU_ASSERT_FALSE(is_df("acc1", 20));

	/* the peer leaves: DF at once, and, DF again, its own preference with
	 * Don't-Preempt advertised again (RFC 9785 4.2, doc/multihoming.md) */
	push("rt4 del esi " ESI_P " vtep " PEER_P);
	EXPECT_SEQ(DF_CH(ESI_P, 100, 1, "df-change esi " ESI_P " vni 100 df"),
		   DF_CH(ESI_P, 200, 1, "df-change esi " ESI_P " vni 200 df"),
		   ES_UP(ESI_P, 2, 300, EVF_REC_F_DONT_PREEMPT,
			 "es-up esi " ESI_P " df-alg preference pref 300 dont-preempt"));
	CU_ASSERT(is_df("acc1", 10) && is_df("acc1", 20));
}

/* ---- MAC_AGED ---- */

#define MX "02:00:00:e5:02:01"   /* blue, acc0 (no segment) */
#define MY "02:00:00:e5:02:02"   /* red, acc3.20 (es-mod) */
#define MZ "02:00:00:e5:02:03"   /* blue, remote (RT2 seq 4), then acc2.10 (es-hrw) */

/* Local MACs aged out (mac-aging 60): one MAC_AGED each with the attachment
 * it was on, its segment and its sequence (5 for the MAC taken over from a
 * remote RT2 of sequence 4); nothing at 59 s. */
static void
test_mac_aged(void)
{
	struct evf_ring_rec out[EV_MAX];
	uint64_t first;
	uint32_t t;
	int n, seen = 0;
	const struct want aged[] = {
		MAC_EV(EVF_REC_EV_MAC_AGED, 100, MX, 0, NULL, evft_attach("acc0", 0),
		       "mac-aged vni 100 mac " MX " seq 0"),
		MAC_EV(EVF_REC_EV_MAC_AGED, 200, MY, 0, ESI_M, evft_attach("acc3", 20),
		       "mac-aged vni 200 mac " MY " seq 0 esi " ESI_M),
		MAC_EV(EVF_REC_EV_MAC_AGED, 100, MZ, 5, ESI_H, evft_attach("acc2", 10),
		       "mac-aged vni 100 mac " MZ " seq 5 esi " ESI_H),
	};

	fresh_drained();
	t = evf_clock_sec() + 100000;
	evf_now_sec = t;
	push("rt2 add vni 100 mac " MZ " vtep " VR " seq 4");
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, MX), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn(red, "acc3", 20, MY), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn(blue, "acc2", 10, MZ), EVF_LEARN_MOVED);
	EXPECT_SEQ(MAC_EV(EVF_REC_EV_MAC_LEARNED, 100, MX, 0, NULL, evft_attach("acc0", 0),
			  "mac-learned vni 100 mac " MX " seq 0"),
		   MAC_EV(EVF_REC_EV_MAC_LEARNED, 200, MY, 0, ESI_M, evft_attach("acc3", 20),
			  "mac-learned vni 200 mac " MY " seq 0 esi " ESI_M),
		   MAC_EV(EVF_REC_EV_MAC_MOVED, 100, MZ, 5, ESI_H, evft_attach("acc2", 10),
			  "mac-moved vni 100 mac " MZ " seq 5 esi " ESI_H));

	evf_now_sec = t + 59;
	evf_fdb_age(t + 59, evf_fdb.capacity);
	EXPECT_NONE();
	evf_now_sec = t + 60;
	evf_fdb_age(t + 60, evf_fdb.capacity);
	/* aging walks the table in index order: find each MAC's record */
	n = take(out, &first);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	for (size_t k = 0; k < RTE_DIM(aged); k++) {
		struct rte_ether_addr m = evft_mac(aged[k].mac);

		for (int i = 0; i < n; i++) {
			if (memcmp(out[i].mac, m.addr_bytes, 6) == 0) {
				check_rec(&out[i], first + (uint64_t)i, &aged[k], __LINE__);
				seen++;
			}
		}
	}
	CU_ASSERT_EQUAL(seen, 3);
	CU_ASSERT_PTR_NULL(fdb(blue, MX));
	CU_ASSERT_PTR_NULL(fdb(red, MY));
	/* MZ falls back to its remote route (no event of its own) */
	CU_ASSERT_PTR_NOT_NULL_FATAL(fdb(blue, MZ));
	CU_ASSERT_EQUAL(fdb(blue, MZ)->origin, EVF_FDB_EVPN);
	evf_fdb_age(t + 200, evf_fdb.capacity);
	EXPECT_NONE();
}

/* ---- MAC_FROZEN, MAC_UNFROZEN ---- */

#define MF "02:00:00:e5:03:01"   /* frozen on a local attachment */
#define MR "02:00:00:e5:03:02"   /* frozen behind a remote VTEP */

/* num-moves 3 within 180 s freezes (blue), hold-down 60 s. Three local moves
 * acc0 -> acc1.10 -> acc0 -> acc2.10: MAC_MOVED each, then MAC_FROZEN with the
 * attachment it is frozen on and its segment. Learning elsewhere while frozen:
 * nothing. At the hold-down: MAC_UNFROZEN (attach none), not a second earlier. */
static void
test_mac_frozen_local(void)
{
	const uint16_t a0 = evft_attach("acc0", 0), a1 = evft_attach("acc1", 10),
		a2 = evft_attach("acc2", 10);
	uint32_t t;

	fresh_drained();
	t = evf_clock_sec() + 200000;
	evf_now_sec = t;
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, MF), EVF_LEARN_NEW);
	evf_now_sec = t + 1;
	CU_ASSERT_EQUAL(learn(blue, "acc1", 10, MF), EVF_LEARN_MOVED);
	evf_now_sec = t + 2;
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, MF), EVF_LEARN_MOVED);
	EXPECT_SEQ(MAC_EV(EVF_REC_EV_MAC_LEARNED, 100, MF, 0, NULL, a0,
			  "mac-learned vni 100 mac " MF " seq 0"),
		   MAC_EV(EVF_REC_EV_MAC_MOVED, 100, MF, 0, ESI_P, a1,
			  "mac-moved vni 100 mac " MF " seq 0 esi " ESI_P),
		   MAC_EV(EVF_REC_EV_MAC_MOVED, 100, MF, 0, NULL, a0,
			  "mac-moved vni 100 mac " MF " seq 0"));
	CU_ASSERT_EQUAL(fdb(blue, MF)->frozen, 0);
	evf_now_sec = t + 3;
	CU_ASSERT_EQUAL(learn(blue, "acc2", 10, MF), EVF_LEARN_MOVED);
	EXPECT_SEQ(MAC_EV(EVF_REC_EV_MAC_MOVED, 100, MF, 0, ESI_H, a2,
			  "mac-moved vni 100 mac " MF " seq 0 esi " ESI_H),
		   MAC_EV(EVF_REC_EV_MAC_FROZEN, 100, MF, 0, ESI_H, a2,
			  "mac-frozen vni 100 mac " MF " seq 0 esi " ESI_H));
	CU_ASSERT_EQUAL(fdb(blue, MF)->frozen, 1);

	evf_now_sec = t + 10;
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, MF), EVF_LEARN_IGNORED);
	evf_now_sec = t + 3 + 59;
	evf_fdb_age(t + 3 + 59, evf_fdb.capacity);
	EXPECT_NONE();
	CU_ASSERT_EQUAL(fdb(blue, MF)->frozen, 1);
	evf_now_sec = t + 3 + 60;
	evf_fdb_age(t + 3 + 60, evf_fdb.capacity);
	EXPECT_SEQ(MAC_EV(EVF_REC_EV_MAC_UNFROZEN, 100, MF, 0, ESI_H, NONE,
			  "mac-unfrozen vni 100 mac " MF " seq 0 esi " ESI_H));
	CU_ASSERT_EQUAL(fdb(blue, MF)->frozen, 0);
}

/* The third move takes the MAC away to a remote VTEP (RT2 seq 3): MAC_MOVED
 * (attach none, the segment it left), then MAC_FROZEN behind the remote VTEP
 * (attach none, no segment, the route's sequence). Released at the hold-down:
 * MAC_UNFROZEN. */
static void
test_mac_frozen_remote(void)
{
	const uint16_t a1 = evft_attach("acc1", 10);
	uint32_t t;

	fresh_drained();
	t = evf_clock_sec() + 300000;
	evf_now_sec = t;
	CU_ASSERT_EQUAL(learn(blue, "acc1", 10, MR), EVF_LEARN_NEW);
	push("rt2 add vni 100 mac " MR " vtep " VR " seq 1");              /* move 1 */
	evf_now_sec = t + 1;
	CU_ASSERT_EQUAL(learn(blue, "acc1", 10, MR), EVF_LEARN_MOVED);     /* move 2 */
	EXPECT_SEQ(MAC_EV(EVF_REC_EV_MAC_LEARNED, 100, MR, 0, ESI_P, a1,
			  "mac-learned vni 100 mac " MR " seq 0 esi " ESI_P),
		   MAC_EV(EVF_REC_EV_MAC_MOVED, 100, MR, 1, ESI_P, NONE,
			  "mac-moved vni 100 mac " MR " seq 1 esi " ESI_P " (now remote)"),
		   MAC_EV(EVF_REC_EV_MAC_MOVED, 100, MR, 2, ESI_P, a1,
			  "mac-moved vni 100 mac " MR " seq 2 esi " ESI_P));
	evf_now_sec = t + 2;
	push("rt2 add vni 100 mac " MR " vtep " VR " seq 3");              /* move 3 */
	EXPECT_SEQ(MAC_EV(EVF_REC_EV_MAC_MOVED, 100, MR, 3, ESI_P, NONE,
			  "mac-moved vni 100 mac " MR " seq 3 esi " ESI_P " (now remote)"),
		   MAC_EV(EVF_REC_EV_MAC_FROZEN, 100, MR, 3, NULL, NONE,
			  "mac-frozen vni 100 mac " MR " seq 3"));
	CU_ASSERT_EQUAL(fdb(blue, MR)->frozen, 1);
	CU_ASSERT_EQUAL(fdb(blue, MR)->origin, EVF_FDB_EVPN);

	evf_now_sec = t + 2 + 60;
	evf_fdb_age(t + 2 + 60, evf_fdb.capacity);
	EXPECT_SEQ(MAC_EV(EVF_REC_EV_MAC_UNFROZEN, 100, MR, 3, NULL, NONE,
			  "mac-unfrozen vni 100 mac " MR " seq 3"));
	CU_ASSERT_EQUAL(fdb(blue, MR)->frozen, 0);
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "segments_up", test_segments_up },
		{ "df_change", test_df_change },
		{ "es_down_up", test_es_down_up },
		{ "mac_aged", test_mac_aged },
		{ "mac_frozen_local", test_mac_frozen_local },
		{ "mac_frozen_remote", test_mac_frozen_remote },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("ring-events", cases, RTE_DIM(cases), NULL, suite_clean);
}
