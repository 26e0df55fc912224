/* test_ring_dump.c: CUnit tests of control ring ABI version 2 on evfwd's side
 * (lib/ring/ring_events_ctl.c, ring_consume_ctl.c and the dump sources
 * bd_dump_ctl.c, es_dump_ctl.c, fdb_dump_ctl.c, node_dump in vtep_ctl.c).
 * Each case brings a fresh runtime up (test/unit/evf_test_env.c, net_ring
 * ports) with the ring in plain memory (evf_ring_init_mem, a guard zone after
 * it), brings the local segments up with the control loop
 * (evf_ctl_poll_once), drives the ring with evf_ring_poll, MACs through
 * evf_fdb_learn / evf_fdb_age and static-macs, and reads the events ring with
 * evf_ring_consume. Every record read is checked for its seal at its index;
 * live records carry consecutive ev_seq numbers (nothing lost or reordered).
 *
 * - dump_events_epoch: a dump asked for through the events ring's cons_epoch:
 *   DUMP_BEGIN, NODE, one BD per MAC-VRF (an EVI != VNI), ES_UP per local
 *   segment (single-active; preference 300 with Don't-Preempt), ES_BD per
 *   (segment, MAC-VRF) with the DF flag (one non-DF), MAC_LEARNED per local
 *   MAC (learned on segment and plain attachments, one with sequence 5
 *   taken over from a remote RT2, 2 static ones sticky, one of them on a
 *   segment), DUMP_END; every field of every record and its text. The same
 *   epoch again (also as a routes-ring epoch, and after 0) dumps nothing; a
 *   new epoch dumps the same state again; after a segment went down, ES_DOWN
 *   and non-DF ES_BD records, its learned MACs gone, its static MAC kept.
 * - dump_routes_epoch: a new routes-ring prod_epoch asks for a dump (its
 *   value in DUMP_BEGIN/END and the stats block); 0 and the same value do
 *   not; a client's new epoch (same value in both places) dumps once, in
 *   whichever order evfwd sees the two stores.
 * - dump_order: events queued (ring full) before the request are written
 *   before DUMP_BEGIN; events emitted after it (before and during a dump
 *   paced by a 64-record ring: MACs learned, aged, moved) after DUMP_END;
 *   records written after the aging never name an aged MAC; a consumer that
 *   applies everything in ring order ends on the FDB's local MAC set (starting
 *   over at DUMP_BEGIN or merging, from the start or from DUMP_BEGIN, and when
 *   it skips live events numbered up to DUMP_BEGIN's ev_seq as evfwd-gobgp
 *   does).
 * - dump_paced: 1,100 learned MACs + 2 static through a 64-record events
 *   ring: one full ring per poll until DUMP_END, every MAC exactly once and
 *   field by field, events_lost 0, counters and stats block.
 * - manual_ring: ring 2 routes are manual (generation 0): two routes-ring
 *   resyncs sweep the ring's routes and leave them; a manual withdrawal
 *   removes them; SYNC-BEGIN/SYNC-END/HEARTBEAT there are bad-type without
 *   effect (an open resync of ring 0 is not ended); torn and stale records
 *   rejected; the manual counters and manual_handled_idx in the stats block,
 *   the routes ring's counters untouched; a producer index out of range is
 *   skipped (bad_index) without a resync.
 * - own_indices: a consumer index written backwards (or ahead) into the
 *   routes and manual rings' index blocks replays nothing and is
 *   republished; garbage in the events ring's cons_idx (ahead of prod, far
 *   behind) means no room: nothing written anywhere, live events and a
 *   requested dump wait, and resume in order once it is sane again. */
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
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_test_env.h"

#define NODE_MAC "02:00:00:00:00:01"
#define NH_MAC   "02:00:00:00:00:fe"
#define V4       "198.18.0.1"
#define V6       "2001:db8::1"
#define ESI_SA   "00:d5:00:00:00:00:00:00:00:01"   /* es-sa, single-active, acc1 */
#define ESI_P    "00:d5:00:00:00:00:00:00:00:02"   /* es-pref, preference 300 DP, acc2 */
#define PEER_SA  "198.18.0.21"   /* a peer on es-sa: DF for red (EVI 201) */
#define VR       "198.18.0.51"   /* a remote VTEP of RT2 routes */
#define S1       "02:00:00:d0:5a:01"   /* static, blue, acc0 untagged */
#define S2       "02:00:00:d0:5a:02"   /* static, red, acc2.20 (es-pref) */
#define NONE     0xffffu
#define GUARD    4096
#define LOG_MAX  (1u << 16)

static const char cfg_yaml[] =
	"node:\n"
	"  vtep-ipv4: " V4 "\n"
	"  vtep-ipv6: " V6 "\n"
	"  mac: " NODE_MAC "\n"
	"  fdb-capacity: 32768\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_d0, role: network, next-hop-mac: " NH_MAC ",\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_d1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc1, device: net_ring_d2, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc2, device: net_ring_d3, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: blue\n"
	"    vni: 100\n"
	"    mac-aging: 60\n"
	"    attachments: [{port: acc0, vlan: untagged}, {port: acc1, vlan: 10},\n"
	"                  {port: acc2, vlan: 10}]\n"
	"    static-macs: [{mac: " S1 ", port: acc0, vlan: untagged}]\n"
	"  - name: red\n"
	"    vni: 200\n"
	"    evi: 201\n"
	"    attachments: [{port: acc0, vlan: 20}, {port: acc1, vlan: 20}, {port: acc2, vlan: 20}]\n"
	"    static-macs: [{mac: " S2 ", port: acc2, vlan: 20}]\n"
	"ethernet-segments:\n"
	"  - {name: es-sa, esi: " ESI_SA ", mode: single-active, interface: acc1, df-timer: 0}\n"
	"  - {name: es-pref, esi: " ESI_P ", interface: acc2, df-timer: 0,\n"
	"     df-election: {algorithm: preference, preference: 300, dont-preempt: true}}\n";

static struct evf_cfg_ring rcfg;
static uint8_t *mem;
static size_t memsz;
static struct evf_ring_hdr *H;
static uint64_t T, HZ;
static uint16_t blue, red;
static uint64_t ts0;             /* CLOCK_MONOTONIC ns when the ring was set up */
static uint64_t next_ev_seq;     /* ev_seq the next live record must carry */

/* Every events record read since the ring was set up, in ring order. */
struct logrec {
	struct evf_ring_rec r;
	uint64_t idx;
};
static struct logrec *logv;
static unsigned int nlog;

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- fixture ---- */

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
	return segment_settled(ESI_SA) && segment_settled(ESI_P);
}

static bool
p_down(void)
{
	struct evf_esi x;
	int id;

	return evf_esi_parse(ESI_P, &x) == 0 && (id = evf_es_find(&x)) >= 0 && !evf_ess[id].local_up;
}

/* Run the control loop (real clock) until cond() holds, at most 3 s. */
static bool
poll_until(bool (*cond)(void))
{
	uint64_t end = rte_rdtsc() + 3 * rte_get_tsc_hz();

	while (!cond()) {
		if (rte_rdtsc() > end)
			return false;
		evf_ctl_poll_once();
		rte_delay_us_block(50);
	}
	return true;
}

/* Records the events ring holds between the producer and consumer index. */
static uint64_t
queued(void)
{
	return atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx) -
		atomic_load(&H->idx[EVF_RING_EVENTS].cons_idx);
}

static bool guard_intact(void);
static unsigned int take_all(void);

/* A fresh runtime; the ring (routes and manual rings of `routes` records,
 * events ring of `events`) set up before the segments come up; the control
 * loop until both are up and elected; their start-up events read. */
static void
fresh(uint32_t routes, uint32_t events, uint32_t hold)
{
	char err[256] = "";

	if (evft_is_up())
		evft_down();
	CU_ASSERT_EQUAL_FATAL(evft_up(cfg_yaml), 0);
	free(mem);
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.enabled = true;
	snprintf(rcfg.name, sizeof(rcfg.name), "/evft-dump");
	rcfg.records = routes;
	rcfg.event_records = events;
	rcfg.hold_time = hold;
	rcfg.batch = 256;
	memsz = evf_ring_mem_size(&rcfg);
	mem = aligned_alloc(4096, memsz + GUARD);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	memset(mem, 0x5a, memsz + GUARD);
	if (evf_ring_init_mem(&rcfg, mem, err, sizeof(err)) != 0)
		fprintf(stderr, "\n    evf_ring_init_mem: %s", err);
	H = (struct evf_ring_hdr *)mem;
	CU_ASSERT_FATAL(evf_ring_enabled());
	HZ = rte_get_tsc_hz();
	T = rte_rdtsc();
	ts0 = mono_ns();
	next_ev_seq = evf_event_count() + 1;
	if (logv == NULL)
		logv = malloc(sizeof(*logv) * LOG_MAX);
	CU_ASSERT_PTR_NOT_NULL_FATAL(logv);
	nlog = 0;
	blue = evft_bd("blue");
	red = evft_bd("red");
	CU_ASSERT_FATAL(blue != EVF_INVALID_ID && red != EVF_INVALID_ID);
	if (!poll_until(all_settled))
		fprintf(stderr, "\n    the local segments did not come up");
	CU_ASSERT_FATAL(all_settled());
	/* 2 x (ES_UP, DF_CHANGE blue, DF_CHANGE red) */
	CU_ASSERT_EQUAL(take_all(), 6);
	CU_ASSERT_EQUAL(evf_ring_counters.dumps, 0);
}

static int
suite_clean(void)
{
	evft_down();
	free(mem);
	mem = NULL;
	free(logv);
	logv = NULL;
	return 0;
}

static bool
guard_intact(void)
{
	for (size_t i = 0; i < GUARD; i++)
		if (mem[memsz + i] != 0x5a)
			return false;
	return true;
}

/* One control-loop iteration of the ring poller at T, then RCU reclaim. */
static unsigned int
poll_ring(void)
{
	unsigned int n = evf_ring_poll(T);

	evf_rcu_drain();
	return n;
}

/* Read everything the events ring holds into the log: each record intact at
 * its index; live records (no DUMP flag) numbered without a gap; dump
 * records between the markers numbered 0. Returns how many. */
static unsigned int
take_all(void)
{
	unsigned int total = 0;
	struct evf_ring_rec out[256];
	uint64_t first;
	int n;

	do {
		n = evf_ring_consume(H, EVF_RING_EVENTS, out, 256, &first);
		CU_ASSERT_FATAL(n >= 0);
		for (int i = 0; i < n; i++) {
			const struct evf_ring_rec *r = &out[i];
			uint64_t idx = first + (uint64_t)i;

			if (!evf_ring_rec_intact(r, idx))
				fprintf(stderr, "\n    events record %lu fails its seal", (unsigned long)idx);
			CU_ASSERT(evf_ring_rec_intact(r, idx));
			if (!(r->flags & EVF_REC_F_DUMP)) {
				if (r->ev_seq != next_ev_seq)
					fprintf(stderr, "\n    live event at %lu: ev_seq %lu, expected %lu",
						(unsigned long)idx, (unsigned long)r->ev_seq,
						(unsigned long)next_ev_seq);
				CU_ASSERT_EQUAL(r->ev_seq, next_ev_seq);
				next_ev_seq = r->ev_seq + 1;
			} else if (r->type != EVF_REC_EV_DUMP_BEGIN && r->type != EVF_REC_EV_DUMP_END) {
				CU_ASSERT_EQUAL(r->ev_seq, 0);
			}
			CU_ASSERT_FATAL(nlog < LOG_MAX);
			logv[nlog].r = *r;
			logv[nlog].idx = idx;
			nlog++;
		}
		total += (unsigned int)n;
	} while (n > 0);
	CU_ASSERT_EQUAL(queued(), 0);
	return total;
}

/* ---- expected records ---- */

struct want {
	uint8_t type;
	uint8_t flags;
	uint32_t vni;
	uint32_t evi;
	char mac[EVF_MAC_STRLEN];   /* "": all zero */
	uint32_t seq;
	char esi[EVF_ESI_STRLEN];   /* "": all zero */
	uint16_t attach;
	uint8_t df_alg;
	uint16_t df_pref;
	char vtep4[EVF_IP_STRLEN];  /* NODE: "" none */
	char ip6[EVF_IP_STRLEN];
	uint64_t ev_seq;
	uint64_t epoch;
	char text[192];             /* evf_ring_format_event (evfwd-ctl watch) */
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

#define BYTES(name, got, exp, n) do {                                          \
		if (memcmp((got), (exp), (n)) != 0)                            \
			fprintf(stderr, "\n    line %d: %s: %s differs", line, w->text, name); \
		CU_ASSERT_EQUAL(memcmp((got), (exp), (n)), 0);                 \
	} while (0)

/* Every field of r (read at ring index idx) against w. */
static void
check_rec(const struct evf_ring_rec *r, uint64_t idx, const struct want *w, int line)
{
	uint8_t mac[6] = { 0 }, v4[16] = { 0 }, v6[16] = { 0 };
	struct evf_esi esi;
	char text[256];
	uint64_t now = mono_ns();

	memset(&esi, 0, sizeof(esi));
	if (w->mac[0]) {
		struct rte_ether_addr m = evft_mac(w->mac);
		memcpy(mac, m.addr_bytes, 6);
	}
	if (w->esi[0])
		CU_ASSERT_FATAL(evf_esi_parse(w->esi, &esi) == 0);
	if (w->vtep4[0]) {
		struct evf_ip a = evft_ip(w->vtep4);
		memcpy(v4, &a.v4, 4);
	}
	if (w->ip6[0]) {
		struct evf_ip a = evft_ip(w->ip6);
		memcpy(v6, a.v6, 16);
	}
	if (!evf_ring_rec_intact(r, idx))
		fprintf(stderr, "\n    line %d: %s: record at index %lu fails its seal", line, w->text,
			(unsigned long)idx);
	CU_ASSERT(evf_ring_rec_intact(r, idx));
	FIELD("type", r->type, w->type);
	FIELD("op", r->op, 0);
	FIELD("flags", r->flags, w->flags);
	FIELD("vtep_af", r->vtep_af, w->vtep4[0] ? EVF_REC_AF_IPV4 : EVF_REC_AF_NONE);
	FIELD("ip_af", r->ip_af, w->ip6[0] ? EVF_REC_AF_IPV6 : EVF_REC_AF_NONE);
	FIELD("df_alg", r->df_alg, w->df_alg);
	FIELD("df_pref", r->df_pref, w->df_pref);
	FIELD("vni", r->vni, w->vni);
	FIELD("seq", r->seq, w->seq);
	FIELD("attach", r->attach, w->attach);
	FIELD("reserved0", r->reserved0, 0);
	FIELD("reserved1", r->reserved1, 0);
	FIELD("ev_seq", r->ev_seq, w->ev_seq);
	FIELD("evi", r->evi, w->evi);
	FIELD("reserved3", r->reserved3, 0);
	FIELD("epoch", r->epoch, w->epoch);
	BYTES("esi", r->esi, esi.b, 10);
	BYTES("mac", r->mac, mac, 6);
	BYTES("vtep", r->vtep, v4, 16);
	BYTES("ip", r->ip, v6, 16);
	CU_ASSERT(all_zero(r->reserved2, sizeof(r->reserved2)));
	if (r->ts_ns < ts0 || r->ts_ns > now)
		fprintf(stderr, "\n    line %d: %s: ts_ns %lu outside [%lu, %lu]", line, w->text,
			(unsigned long)r->ts_ns, (unsigned long)ts0, (unsigned long)now);
	CU_ASSERT(r->ts_ns >= ts0 && r->ts_ns <= now);
	evf_ring_format_event(r, text, sizeof(text));
	if (strcmp(text, w->text) != 0)
		fprintf(stderr, "\n    line %d: text '%s', expected '%s'", line, text, w->text);
	CU_ASSERT_STRING_EQUAL(text, w->text);
}

static struct want
w_marker(uint8_t type, uint64_t epoch, uint64_t last_event)
{
	struct want w;

	memset(&w, 0, sizeof(w));
	w.type = type;
	w.flags = EVF_REC_F_DUMP;
	w.attach = NONE;
	w.epoch = epoch;
	w.ev_seq = last_event;
	snprintf(w.text, sizeof(w.text), "%s epoch %#lx last-event %lu",
		 type == EVF_REC_EV_DUMP_BEGIN ? "dump-begin" : "dump-end",
		 (unsigned long)epoch, (unsigned long)last_event);
	return w;
}

static struct want
w_node(void)
{
	struct want w;

	memset(&w, 0, sizeof(w));
	w.type = EVF_REC_EV_NODE;
	w.flags = EVF_REC_F_DUMP;
	w.attach = NONE;
	snprintf(w.vtep4, sizeof(w.vtep4), V4);
	snprintf(w.ip6, sizeof(w.ip6), V6);
	snprintf(w.text, sizeof(w.text), "node vtep-ipv4 " V4 " vtep-ipv6 " V6 " (dump)");
	return w;
}

static struct want
w_bd(uint32_t vni, uint32_t evi)
{
	struct want w;

	memset(&w, 0, sizeof(w));
	w.type = EVF_REC_EV_BD;
	w.flags = EVF_REC_F_DUMP;
	w.vni = vni;
	w.evi = evi;
	w.attach = NONE;
	snprintf(w.text, sizeof(w.text), "mac-vrf vni %u evi %u (dump)", vni, evi);
	return w;
}

static struct want
w_es(bool up, const char *esi, bool single_active, uint8_t alg, uint16_t pref, bool dp)
{
	static const char *const algs[] = { "modulo", "hrw", "preference" };
	struct want w;

	memset(&w, 0, sizeof(w));
	w.type = up ? EVF_REC_EV_ES_UP : EVF_REC_EV_ES_DOWN;
	w.flags = EVF_REC_F_DUMP | (single_active ? EVF_REC_F_SINGLE_ACTIVE : 0) |
		(up && dp ? EVF_REC_F_DONT_PREEMPT : 0);
	snprintf(w.esi, sizeof(w.esi), "%s", esi);
	w.attach = NONE;
	w.df_alg = alg;
	w.df_pref = pref;
	if (up)
		snprintf(w.text, sizeof(w.text), "es-up esi %s df-alg %s pref %u%s%s (dump)", esi,
			 algs[alg], pref, dp ? " dont-preempt" : "",
			 single_active ? " single-active" : "");
	else
		snprintf(w.text, sizeof(w.text), "es-down esi %s%s (dump)", esi,
			 single_active ? " single-active" : "");
	return w;
}

static struct want
w_esbd(const char *esi, uint32_t vni, bool df)
{
	struct want w;

	memset(&w, 0, sizeof(w));
	w.type = EVF_REC_EV_ES_BD;
	w.flags = EVF_REC_F_DUMP | (df ? EVF_REC_F_DF : 0);
	snprintf(w.esi, sizeof(w.esi), "%s", esi);
	w.vni = vni;
	w.attach = NONE;
	snprintf(w.text, sizeof(w.text), "es-mac-vrf esi %s vni %u %s (dump)", esi, vni,
		 df ? "df" : "non-df");
	return w;
}

/* A local MAC in a dump (dump) or as a live MAC_LEARNED. */
static struct want
w_mac(bool dump, uint32_t vni, const char *mac, uint32_t seq, const char *esi, uint16_t attach,
      bool sticky)
{
	struct want w;

	memset(&w, 0, sizeof(w));
	w.type = EVF_REC_EV_MAC_LEARNED;
	w.flags = (dump ? EVF_REC_F_DUMP : 0) | (sticky ? EVF_REC_F_STICKY : 0);
	w.vni = vni;
	snprintf(w.mac, sizeof(w.mac), "%s", mac);
	w.seq = seq;
	snprintf(w.esi, sizeof(w.esi), "%s", esi ? esi : "");
	w.attach = attach;
	snprintf(w.text, sizeof(w.text), "mac-learned vni %u mac %s seq %u%s%s%s%s", vni, mac, seq,
		 esi ? " esi " : "", esi ? esi : "", sticky ? " sticky" : "", dump ? " (dump)" : "");
	return w;
}

/* What a dump of a local FDB entry must say: computed from the entry and
 * its attachment's segment (not from the entry's own segment field). */
static struct want
w_mac_of(const struct evf_fdb_entry *e)
{
	uint16_t a = evf_dest_target(e->dest);
	uint16_t es = evf_attachs[a].es;
	char mac[EVF_MAC_STRLEN], esi[EVF_ESI_STRLEN];

	evf_mac_fmt(&e->key.mac, mac, sizeof(mac));
	if (es != EVF_INVALID_ID)
		evf_esi_fmt(&evf_ess[es].esi, esi, sizeof(esi));
	return w_mac(true, evf_bds[e->key.bd].vni, mac, e->seq, es != EVF_INVALID_ID ? esi : NULL,
		     a, e->origin == EVF_FDB_STATIC);
}

static bool
is_local(const struct evf_fdb_entry *e)
{
	return e != NULL && evf_dest_kind(e->dest) == EVF_DEST_ATTACH &&
		(e->origin == EVF_FDB_LEARNED || e->origin == EVF_FDB_STATIC);
}

/* Every local MAC of the FDB as dump records; returns how many. */
static unsigned int
fdb_local_wants(struct want *out, unsigned int max)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		const struct evf_fdb_entry *e = evf_fdb_entry_at(i);

		if (!is_local(e))
			continue;
		CU_ASSERT_FATAL(n < max);
		out[n++] = w_mac_of(e);
	}
	return n;
}

/* The want of a dump record (matched by type, vni, mac, esi) in ws, or -1. */
static int
match(const struct evf_ring_rec *r, const struct want *ws, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct rte_ether_addr m = { .addr_bytes = { 0 } };
		struct evf_esi e;

		memset(&e, 0, sizeof(e));
		if (ws[i].mac[0])
			m = evft_mac(ws[i].mac);
		if (ws[i].esi[0] && evf_esi_parse(ws[i].esi, &e) != 0)
			continue;
		if (ws[i].type == r->type && ws[i].vni == r->vni &&
		    memcmp(m.addr_bytes, r->mac, 6) == 0 &&
		    (r->type == EVF_REC_EV_MAC_LEARNED || memcmp(e.b, r->esi, 10) == 0))
			return (int)i;
	}
	return -1;
}

struct dump_want {
	uint64_t epoch;
	uint64_t begin_last, end_last;   /* ev_seq of DUMP_BEGIN and DUMP_END */
	const struct want *es;           /* local segments, in configuration order */
	unsigned int nes;
	const struct want *esbd;         /* any order */
	unsigned int nesbd;
	const struct want *macs;         /* any order */
	unsigned int nmacs;
};

/* The dump at log[from..]: BEGIN, NODE, BD blue, BD red, the segments, their
 * MAC-VRFs, the MACs (each exactly once), END, every field. Returns the log
 * position after DUMP_END. */
static unsigned int
check_dump(unsigned int from, const struct dump_want *x, int line)
{
	unsigned int n = 5 + x->nes + x->nesbd + x->nmacs, p = from;
	struct want w;
	int seen[4096];

	CU_ASSERT_FATAL(x->nesbd + x->nmacs <= RTE_DIM(seen));
	if (nlog - from < n) {
		fprintf(stderr, "\n    line %d: %u records of the dump read, expected %u", line,
			nlog - from, n);
		for (unsigned int i = from; i < nlog; i++) {
			char t[256];

			evf_ring_format_event(&logv[i].r, t, sizeof(t));
			fprintf(stderr, "\n      %s", t);
		}
	}
	CU_ASSERT_FATAL(nlog - from >= n);
	w = w_marker(EVF_REC_EV_DUMP_BEGIN, x->epoch, x->begin_last);
	check_rec(&logv[p].r, logv[p].idx, &w, line);
	p++;
	w = w_node();
	check_rec(&logv[p].r, logv[p].idx, &w, line);
	p++;
	w = w_bd(100, 100);
	check_rec(&logv[p].r, logv[p].idx, &w, line);
	p++;
	w = w_bd(200, 201);
	check_rec(&logv[p].r, logv[p].idx, &w, line);
	p++;
	for (unsigned int i = 0; i < x->nes; i++, p++)
		check_rec(&logv[p].r, logv[p].idx, &x->es[i], line);
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < x->nesbd; i++, p++) {
		int k = match(&logv[p].r, x->esbd, x->nesbd);
		char t[256];

		evf_ring_format_event(&logv[p].r, t, sizeof(t));
		if (k < 0 || seen[k]++)
			fprintf(stderr, "\n    line %d: unexpected or repeated '%s'", line, t);
		CU_ASSERT_FATAL(k >= 0);
		check_rec(&logv[p].r, logv[p].idx, &x->esbd[k], line);
	}
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < x->nmacs; i++, p++) {
		int k = match(&logv[p].r, x->macs, x->nmacs);
		char t[256];

		evf_ring_format_event(&logv[p].r, t, sizeof(t));
		if (k < 0 || seen[k]++)
			fprintf(stderr, "\n    line %d: unexpected or repeated '%s'", line, t);
		CU_ASSERT_FATAL(k >= 0);
		check_rec(&logv[p].r, logv[p].idx, &x->macs[k], line);
	}
	w = w_marker(EVF_REC_EV_DUMP_END, x->epoch, x->end_last);
	check_rec(&logv[p].r, logv[p].idx, &w, line);
	p++;
	return p;
}

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

static struct rte_ether_addr
nmac(uint8_t kind, uint32_t i)
{
	struct rte_ether_addr m = { .addr_bytes = { 0x02, 0x00, kind, (uint8_t)(i >> 16),
						    (uint8_t)(i >> 8), (uint8_t)i } };
	return m;
}

static enum evf_learn_result
learn_n(uint16_t bd, const char *port, uint16_t vlan, uint8_t kind, uint32_t i)
{
	struct evf_learn_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.mac = nmac(kind, i);
	ev.bd = bd;
	ev.attach = evft_attach(port, vlan);
	return evf_fdb_learn(&ev);
}

static struct evf_route
route(const char *text)
{
	struct evf_route r;
	char err[256];

	if (evf_route_parse_line(text, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "test bug: '%s': %s\n", text, err);
		abort();
	}
	return r;
}

/* Queue one route (doc/routes.md syntax) on ring 0 (routes) or 2 (manual). */
static void
push_on(unsigned int ring, const char *text)
{
	struct evf_route r = route(text);
	struct evf_ring_rec rec;

	evf_ring_encode_route(&r, &rec);
	CU_ASSERT_EQUAL_FATAL(evf_ring_produce(H, ring, &rec), 0);
}

static void
push_ctl_on(unsigned int ring, uint8_t type)
{
	struct evf_ring_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.type = type;
	CU_ASSERT_EQUAL_FATAL(evf_ring_produce(H, ring, &rec), 0);
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

static void
ask_dump(uint64_t epoch)
{
	atomic_store(&H->idx[EVF_RING_EVENTS].cons_epoch, epoch);
}

static void
new_prod_epoch(uint64_t epoch)
{
	atomic_store(&H->idx[EVF_RING_ROUTES].prod_epoch, epoch);
}

/* Poll and read until the events ring stays empty (at most 100000 polls). */
static void
settle(void)
{
	for (int i = 0; i < 100000; i++) {
		unsigned int n = poll_ring();

		if (take_all() == 0 && n == 0 && evf_ring_counters.events_backlog == 0)
			return;
	}
	CU_FAIL("the events ring never settled");
}

/* ==== 1. a dump asked for through the events ring's cons_epoch ==== */

#define L1 "02:00:00:d0:00:01"   /* blue, acc0 untagged */
#define L2 "02:00:00:d0:00:02"   /* blue, acc1.10 (es-sa) */
#define L3 "02:00:00:d0:00:03"   /* red, acc2.20 (es-pref) */
#define L4 "02:00:00:d0:00:04"   /* red, acc0.20 */
#define L5 "02:00:00:d0:00:05"   /* red, acc1.20 (es-sa) */
#define MZ "02:00:00:d0:00:0a"   /* blue, remote (RT2 seq 4), then acc2.10 (es-pref): seq 5 */

/* The state of dump_events_epoch: a peer on es-sa (so that red is non-DF
 * there), 6 learned MACs, and the 2 static ones. */
static void
build_state(void)
{
	uint64_t applied = evf_ring_counters.applied;

	push_on(EVF_RING_ROUTES, "rt4 add esi " ESI_SA " vtep " PEER_SA);
	push_on(EVF_RING_ROUTES, "rt2 add vni 100 mac " MZ " vtep " VR " seq 4");
	CU_ASSERT_EQUAL(poll_ring(), 2);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, applied + 2);
	evf_es_poll(rte_rdtsc());   /* the DF timer (0 s): red goes to the peer */
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, L1), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn(blue, "acc1", 10, L2), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn(red, "acc2", 20, L3), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn(red, "acc0", 20, L4), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn(red, "acc1", 20, L5), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn(blue, "acc2", 10, MZ), EVF_LEARN_MOVED);
	/* DF_CHANGE red non-DF on es-sa, 5 MAC_LEARNED, MAC_MOVED */
	CU_ASSERT_EQUAL(take_all(), 7);
	CU_ASSERT_EQUAL(fdb(blue, MZ)->seq, 5);
}

static void
test_dump_events_epoch(void)
{
	fresh(64, 256, 30);
	build_state();
	{
		const uint16_t a0 = evft_attach("acc0", 0), a0r = evft_attach("acc0", 20),
			a1 = evft_attach("acc1", 10), a1r = evft_attach("acc1", 20),
			a2 = evft_attach("acc2", 10), a2r = evft_attach("acc2", 20);
		const struct want es[] = {
			w_es(true, ESI_SA, true, 0, 32767, false),
			w_es(true, ESI_P, false, 2, 300, true),
		};
		const struct want esbd[] = {
			w_esbd(ESI_SA, 100, true), w_esbd(ESI_SA, 200, false),
			w_esbd(ESI_P, 100, true), w_esbd(ESI_P, 200, true),
		};
		const struct want macs[] = {
			w_mac(true, 100, L1, 0, NULL, a0, false),
			w_mac(true, 100, L2, 0, ESI_SA, a1, false),
			w_mac(true, 200, L3, 0, ESI_P, a2r, false),
			w_mac(true, 200, L4, 0, NULL, a0r, false),
			w_mac(true, 200, L5, 0, ESI_SA, a1r, false),
			w_mac(true, 100, MZ, 5, ESI_P, a2, false),
			w_mac(true, 100, S1, 0, NULL, a0, true),
			w_mac(true, 200, S2, 0, ESI_P, a2r, true),    /* static on a segment: its ESI */
		};
		struct dump_want x = { .es = es, .nes = 2, .esbd = esbd, .nesbd = 4, .macs = macs,
			.nmacs = RTE_DIM(macs) };
		const unsigned int total = 5 + 2 + 4 + RTE_DIM(macs);
		const struct evf_ring_stats *s;
		unsigned int at, at2;
		uint64_t out0, last;

		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 0);
		last = evf_event_count();
		CU_ASSERT_EQUAL(next_ev_seq, last + 1);      /* every event emitted was read */
		out0 = evf_ring_counters.events_out;

		/* nothing asked: no dump */
		CU_ASSERT_EQUAL(poll_ring(), 0);
		CU_ASSERT_EQUAL(take_all(), 0);

		/* the events consumer stores a new epoch: the whole dump in one poll */
		ask_dump(0x1e1);
		at = nlog;
		CU_ASSERT_EQUAL(poll_ring(), total);
		CU_ASSERT_EQUAL(take_all(), total);
		x.epoch = 0x1e1;
		x.begin_last = x.end_last = last;
		at2 = check_dump(at, &x, __LINE__);
		CU_ASSERT_EQUAL(at2, nlog);
		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 1);
		CU_ASSERT_EQUAL(evf_ring_counters.dump_records, total - 2);
		CU_ASSERT_EQUAL(evf_ring_counters.events_out, out0 + total);
		CU_ASSERT_EQUAL(evf_ring_counters.events_lost, 0);
		s = evf_ring_stats(H);
		CU_ASSERT_EQUAL(s->dumps, 1);
		CU_ASSERT_EQUAL(s->dump_records, total - 2);
		CU_ASSERT_EQUAL(s->dump_epoch, 0x1e1);
		CU_ASSERT_EQUAL(s->events_out, out0 + total);
		CU_ASSERT_EQUAL(s->events_lost, 0);
		CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_EVENTS].cons_epoch), 0x1e1); /* left alone */

		/* the same epoch: no second dump, however often polled */
		for (int i = 0; i < 5; i++)
			poll_ring();
		CU_ASSERT_EQUAL(take_all(), 0);
		/* 0 is no request; the same value back is no new one */
		ask_dump(0);
		poll_ring();
		ask_dump(0x1e1);
		poll_ring();
		CU_ASSERT_EQUAL(take_all(), 0);
		/* the same value as a routes-ring epoch: a new producer (a resync), no dump */
		new_prod_epoch(0x1e1);
		poll_ring();
		CU_ASSERT_EQUAL(evf_ring_counters.epochs, 1);
		CU_ASSERT_EQUAL(take_all(), 0);
		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 1);
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dumps, 1);

		/* a new epoch: the same state dumped again, in full */
		ask_dump(0x1e2);
		at = nlog;
		CU_ASSERT_EQUAL(poll_ring(), total);
		CU_ASSERT_EQUAL(take_all(), total);
		x.epoch = 0x1e2;
		CU_ASSERT_EQUAL(check_dump(at, &x, __LINE__), nlog);
		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 2);
		CU_ASSERT_EQUAL(evf_ring_counters.dump_records, 2 * (total - 2));
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dump_epoch, 0x1e2);
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dumps, 2);

		/* es-pref's port stops: ES_DOWN (its last DF parameters), both its
		 * MAC-VRFs non-DF, its learned MACs gone (MZ back to its remote route),
		 * its static MAC kept */
		set_admin("acc2", false);
		CU_ASSERT_FATAL(poll_until(p_down));
		/* ES_DOWN, 2 DF_CHANGE, MAC_AGED L3 and MZ */
		CU_ASSERT_EQUAL(take_all(), 5);
		CU_ASSERT_PTR_NULL(fdb(red, L3));
		CU_ASSERT_EQUAL(fdb(blue, MZ)->origin, EVF_FDB_EVPN);
		{
			const struct want es3[] = {
				w_es(true, ESI_SA, true, 0, 32767, false),
				w_es(false, ESI_P, false, 2, 300, false),
			};
			const struct want esbd3[] = {
				w_esbd(ESI_SA, 100, true), w_esbd(ESI_SA, 200, false),
				w_esbd(ESI_P, 100, false), w_esbd(ESI_P, 200, false),
			};
			const struct want macs3[] = {
				w_mac(true, 100, L1, 0, NULL, a0, false),
				w_mac(true, 100, L2, 0, ESI_SA, a1, false),
				w_mac(true, 200, L4, 0, NULL, a0r, false),
				w_mac(true, 200, L5, 0, ESI_SA, a1r, false),
				w_mac(true, 100, S1, 0, NULL, a0, true),
				w_mac(true, 200, S2, 0, ESI_P, a2r, true),
			};
			struct dump_want x3 = { .epoch = 0x1e3, .es = es3, .nes = 2, .esbd = esbd3,
				.nesbd = 4, .macs = macs3, .nmacs = RTE_DIM(macs3) };

			x3.begin_last = x3.end_last = evf_event_count();
			ask_dump(0x1e3);
			at = nlog;
			CU_ASSERT_EQUAL(poll_ring(), 5 + 2 + 4 + RTE_DIM(macs3));
			CU_ASSERT_EQUAL(take_all(), 5 + 2 + 4 + RTE_DIM(macs3));
			CU_ASSERT_EQUAL(check_dump(at, &x3, __LINE__), nlog);
		}
		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 3);
		CU_ASSERT_EQUAL(evf_ring_counters.events_lost, 0);
		CU_ASSERT(guard_intact());
	}
}

/* ==== 2. a dump asked for by a new routes-ring producer epoch ==== */

static void
test_dump_routes_epoch(void)
{
	fresh(64, 256, 30);
	{
		const struct want es[] = {
			w_es(true, ESI_SA, true, 0, 32767, false),
			w_es(true, ESI_P, false, 2, 300, true),
		};
		const struct want esbd[] = {
			w_esbd(ESI_SA, 100, true), w_esbd(ESI_SA, 200, true),
			w_esbd(ESI_P, 100, true), w_esbd(ESI_P, 200, true),
		};
		const struct want macs[] = {
			w_mac(true, 100, L1, 0, NULL, evft_attach("acc0", 0), false),
			w_mac(true, 200, L3, 0, ESI_P, evft_attach("acc2", 20), false),
			w_mac(true, 100, S1, 0, NULL, evft_attach("acc0", 0), true),
			w_mac(true, 200, S2, 0, ESI_P, evft_attach("acc2", 20), true),
		};
		struct dump_want x = { .es = es, .nes = 2, .esbd = esbd, .nesbd = 4, .macs = macs,
			.nmacs = RTE_DIM(macs) };
		const unsigned int total = 5 + 2 + 4 + RTE_DIM(macs);
		unsigned int at;

		CU_ASSERT_EQUAL(learn(blue, "acc0", 0, L1), EVF_LEARN_NEW);
		CU_ASSERT_EQUAL(learn(red, "acc2", 20, L3), EVF_LEARN_NEW);
		CU_ASSERT_EQUAL(take_all(), 2);
		poll_ring();            /* the routes ring seen at epoch 0: no producer yet, no dump */
		CU_ASSERT_EQUAL(take_all(), 0);
		CU_ASSERT_EQUAL(evf_ring_counters.epochs, 0);

		/* a producer starts with an epoch of its own (the events consumer asks nothing) */
		new_prod_epoch(0xab01);
		x.epoch = 0xab01;
		x.begin_last = x.end_last = evf_event_count();
		at = nlog;
		CU_ASSERT_EQUAL(poll_ring(), total);
		CU_ASSERT_EQUAL(take_all(), total);
		CU_ASSERT_EQUAL(check_dump(at, &x, __LINE__), nlog);
		CU_ASSERT_EQUAL(evf_ring_counters.epochs, 1);
		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 1);
		CU_ASSERT_EQUAL(evf_ring_counters.dump_records, total - 2);
		CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_ROUTES].cons_epoch), 0xab01);
		CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_EVENTS].cons_epoch), 0);
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dump_epoch, 0xab01);
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dumps, 1);
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dump_records, total - 2);
		CU_ASSERT(evf_ring_stats(H)->syncing);   /* and a resync opened */

		/* the events consumer then stores that same epoch: nothing more */
		ask_dump(0xab01);
		poll_ring();
		CU_ASSERT_EQUAL(take_all(), 0);
		/* epoch 0 (a new producer without one): a resync, no dump */
		new_prod_epoch(0);
		poll_ring();
		CU_ASSERT_EQUAL(evf_ring_counters.epochs, 2);
		CU_ASSERT_EQUAL(take_all(), 0);
		/* the dumped value again: a new producer, but that epoch was answered */
		new_prod_epoch(0xab01);
		poll_ring();
		CU_ASSERT_EQUAL(evf_ring_counters.epochs, 3);
		CU_ASSERT_EQUAL(take_all(), 0);
		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 1);

		/* a producer that is also the events consumer (evfwd-gobgp) stores
		 * both epochs: the events epoch, then the producer's,
		 * both seen in one poll: one dump */
		ask_dump(0xab03);
		new_prod_epoch(0xab03);
		x.epoch = 0xab03;
		at = nlog;
		CU_ASSERT_EQUAL(poll_ring(), total);
		CU_ASSERT_EQUAL(take_all(), total);
		CU_ASSERT_EQUAL(check_dump(at, &x, __LINE__), nlog);
		poll_ring();
		CU_ASSERT_EQUAL(take_all(), 0);
		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 2);
		CU_ASSERT_EQUAL(evf_ring_counters.epochs, 4);
		/* ... or seen in two polls (evfwd between the two stores): one dump */
		ask_dump(0xab05);
		x.epoch = 0xab05;
		at = nlog;
		CU_ASSERT_EQUAL(poll_ring(), total);
		CU_ASSERT_EQUAL(take_all(), total);
		CU_ASSERT_EQUAL(check_dump(at, &x, __LINE__), nlog);
		new_prod_epoch(0xab05);
		poll_ring();
		CU_ASSERT_EQUAL(take_all(), 0);
		CU_ASSERT_EQUAL(evf_ring_counters.epochs, 5);
		CU_ASSERT_EQUAL(evf_ring_counters.dumps, 3);
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dumps, 3);
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dump_epoch, 0xab05);
		CU_ASSERT_EQUAL(evf_ring_counters.dump_records, 3 * (total - 2));
		CU_ASSERT_EQUAL(evf_ring_counters.events_lost, 0);
	}
}

/* ==== 3. ordering against live events, and the consumer's end state ==== */

/* A control plane's view of our local MACs, built from the events ring. */
struct cmac {
	uint32_t vni;
	uint8_t mac[6];
	uint16_t attach;
	uint32_t seq;
	uint8_t esi[10];
	bool sticky;
};
#define CMAX 4096
static struct cmac model[CMAX];
static unsigned int nmodel;

static int
model_find(uint32_t vni, const uint8_t *mac)
{
	for (unsigned int i = 0; i < nmodel; i++)
		if (model[i].vni == vni && memcmp(model[i].mac, mac, 6) == 0)
			return (int)i;
	return -1;
}

static void
model_set(const struct evf_ring_rec *r)
{
	int k = model_find(r->vni, r->mac);

	if (k < 0) {
		CU_ASSERT_FATAL(nmodel < CMAX);
		k = (int)nmodel++;
	}
	model[k].vni = r->vni;
	memcpy(model[k].mac, r->mac, 6);
	model[k].attach = r->attach;
	model[k].seq = r->seq;
	memcpy(model[k].esi, r->esi, 10);
	model[k].sticky = r->flags & EVF_REC_F_STICKY;
}

static void
model_del(const struct evf_ring_rec *r)
{
	int k = model_find(r->vni, r->mac);

	if (k >= 0)
		model[k] = model[--nmodel];
}

/* Apply log[from..] in order; a dump replaces the whole view when reset;
 * with skip_dumped, live events numbered up to DUMP_BEGIN's ev_seq are taken
 * as already in the dump and skipped (what evfwd-gobgp does). */
static void
model_apply(unsigned int from, bool reset_on_dump, bool skip_dumped)
{
	uint64_t dumped = 0;

	for (unsigned int i = from; i < nlog; i++) {
		const struct evf_ring_rec *r = &logv[i].r;

		if (skip_dumped && !(r->flags & EVF_REC_F_DUMP) && r->ev_seq <= dumped)
			continue;
		switch (r->type) {
		case EVF_REC_EV_DUMP_BEGIN:
			if (reset_on_dump)
				nmodel = 0;
			dumped = r->ev_seq;
			break;
		case EVF_REC_EV_MAC_LEARNED:
			model_set(r);
			break;
		case EVF_REC_EV_MAC_MOVED:
			if (r->attach != NONE)
				model_set(r);
			else
				model_del(r);
			break;
		case EVF_REC_EV_MAC_AGED:
			model_del(r);
			break;
		default:
			break;
		}
	}
}

/* The view equals the FDB's local MACs (attachment, sequence, segment of
 * the attachment, static = sticky). */
static void
model_matches_fdb(int line)
{
	unsigned int n = 0, bad = 0;

	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		const struct evf_fdb_entry *e = evf_fdb_entry_at(i);
		uint16_t a, es;
		int k;

		if (!is_local(e))
			continue;
		n++;
		a = evf_dest_target(e->dest);
		es = evf_attachs[a].es;
		k = model_find(evf_bds[e->key.bd].vni, e->key.mac.addr_bytes);
		if (k < 0 || model[k].attach != a || model[k].seq != e->seq ||
		    model[k].sticky != (e->origin == EVF_FDB_STATIC) ||
		    memcmp(model[k].esi, es != EVF_INVALID_ID ? evf_ess[es].esi.b :
			   (const uint8_t[10]){ 0 }, 10) != 0) {
			char m[EVF_MAC_STRLEN];

			if (bad++ < 5)
				fprintf(stderr, "\n    line %d: FDB MAC %s (vni %u) %s in the consumer's view",
					line, evf_mac_fmt(&e->key.mac, m, sizeof(m)),
					evf_bds[e->key.bd].vni, k < 0 ? "missing" : "different");
		}
	}
	if (n != nmodel)
		fprintf(stderr, "\n    line %d: %u local MACs in the FDB, %u in the consumer's view",
			line, n, nmodel);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(n, nmodel);
}

#define K_A 0xa1   /* blue acc0, learned at t: aged during the dump */
#define K_B 0xb1   /* red acc2.20 (es-pref), learned at t+50 */
#define K_C 0xc1   /* red acc0.20: the events that fill the ring before the request */
#define K_D 0xd1   /* blue acc1.10: learned after the request, before DUMP_BEGIN */
#define K_E 0xe1   /* red acc1.20: learned during the dump */

static void
test_dump_order(void)
{
	unsigned int begin = 0, end = 0, aged_at = 0, polls = 0, before_req, nA = 200, nB = 200;
	uint64_t last_c, prod, begin_last = 0;
	bool have_begin = false, have_end = false;
	uint32_t t;

	fresh(64, 64, 30);
	t = evf_clock_sec() + 100000;
	evf_now_sec = t;
	for (uint32_t i = 0; i < nA; i++) {
		CU_ASSERT_EQUAL(learn_n(blue, "acc0", 0, K_A, i), EVF_LEARN_NEW);
		if (i % 32 == 31)
			take_all();
	}
	evf_now_sec = t + 50;
	for (uint32_t i = 0; i < nB; i++) {
		CU_ASSERT_EQUAL(learn_n(red, "acc2", 20, K_B, i), EVF_LEARN_NEW);
		if (i % 32 == 31)
			take_all();
	}
	take_all();
	/* 70 events with nobody reading: 64 in the ring, 6 waiting */
	for (uint32_t i = 0; i < 70; i++)
		CU_ASSERT_EQUAL(learn_n(red, "acc0", 20, K_C, i), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(queued(), 64);
	CU_ASSERT_EQUAL(evf_ring_counters.events_backlog, 6);
	last_c = evf_event_count();
	prod = atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx);

	/* the request: nothing can be written yet */
	ask_dump(0xd0d0);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx), prod);
	CU_ASSERT_EQUAL(evf_ring_counters.dumps, 1);
	/* events after the request, before the dump could begin */
	CU_ASSERT_EQUAL(learn_n(blue, "acc1", 10, K_D, 0), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn_n(blue, "acc1", 10, K_D, 1), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(evf_ring_counters.events_backlog, 8);
	before_req = nlog;

	/* the consumer reads as evfwd writes; midway through the dump MACs
	 * age, are learned and move */
	for (;;) {
		unsigned int n0 = nlog;

		CU_ASSERT_FATAL(polls < 10000);
		take_all();
		if (have_end && evf_ring_counters.events_backlog == 0)
			break;
		poll_ring();
		polls++;
		take_all();
		for (unsigned int i = n0; i < nlog; i++) {
			if (logv[i].r.type == EVF_REC_EV_DUMP_BEGIN) {
				CU_ASSERT_FALSE(have_begin);
				have_begin = true;
				begin = i;
			} else if (logv[i].r.type == EVF_REC_EV_DUMP_END) {
				CU_ASSERT_FALSE(have_end);
				have_end = true;
				end = i;
			}
		}
		if (polls == 1) {
			CU_ASSERT_FATAL(have_begin && !have_end);
			begin_last = evf_event_count();
			aged_at = nlog;
			evf_now_sec = t + 61;
			CU_ASSERT_EQUAL(evf_fdb_age(t + 61, evf_fdb.capacity), nA);
			for (uint32_t i = 0; i < 5; i++)
				CU_ASSERT_EQUAL(learn_n(red, "acc1", 20, K_E, i), EVF_LEARN_NEW);
			/* a red MAC moves from es-pref to es-sa */
			{
				struct evf_learn_ev ev;

				memset(&ev, 0, sizeof(ev));
				ev.mac = nmac(K_B, 7);
				ev.bd = red;
				ev.attach = evft_attach("acc1", 20);
				CU_ASSERT_EQUAL(evf_fdb_learn(&ev), EVF_LEARN_MOVED);
			}
			CU_ASSERT_EQUAL(evf_ring_counters.events_backlog, 2 + nA + 5 + 1);
		}
	}
	CU_ASSERT_FATAL(have_begin && have_end);
	CU_ASSERT(polls > 3);          /* paced by the 64-record ring */
	CU_ASSERT_EQUAL(evf_ring_counters.events_lost, 0);

	/* before DUMP_BEGIN: the 70 events queued before the request (64 in the
	 * ring, 6 held), in order, and nothing else */
	CU_ASSERT_EQUAL(begin, before_req + 70);
	for (unsigned int i = before_req; i < begin; i++) {
		CU_ASSERT_FALSE(logv[i].r.flags & EVF_REC_F_DUMP);
		CU_ASSERT_EQUAL(logv[i].r.type, EVF_REC_EV_MAC_LEARNED);
		CU_ASSERT_EQUAL(logv[i].r.mac[2], K_C);
		CU_ASSERT_EQUAL(logv[i].r.ev_seq, last_c - 69 + (i - before_req));
	}
	CU_ASSERT_EQUAL(evf_ring_counters.events_out, logv[nlog - 1].idx + 1);
	/* DUMP_BEGIN's last event: the last one emitted when the dump began (the
	 * two learned after the request are in the state it dumps) */
	CU_ASSERT_EQUAL(begin_last, last_c + 2);
	CU_ASSERT_EQUAL(logv[begin].r.ev_seq, last_c + 2);
	{
		struct want w = w_marker(EVF_REC_EV_DUMP_BEGIN, 0xd0d0, last_c + 2);

		check_rec(&logv[begin].r, logv[begin].idx, &w, __LINE__);
		/* DUMP_END carries the same last event as DUMP_BEGIN (the events
		 * emitted during the dump follow it) */
		w = w_marker(EVF_REC_EV_DUMP_END, 0xd0d0, last_c + 2);
		check_rec(&logv[end].r, logv[end].idx, &w, __LINE__);
	}
	/* the dumped MACs no live event touched since: field by field */
	for (unsigned int i = begin + 1; i < end; i++) {
		const struct evf_ring_rec *r = &logv[i].r;
		struct rte_ether_addr m;
		struct want w;

		if (r->type != EVF_REC_EV_MAC_LEARNED || r->mac[2] == K_A || r->mac[2] == K_E ||
		    (r->mac[2] == K_B && r->mac[5] == 7))
			continue;
		memcpy(m.addr_bytes, r->mac, 6);
		CU_ASSERT_FATAL(is_local(evf_fdb_find(r->vni == 100 ? blue : red, &m)));
		w = w_mac_of(evf_fdb_find(r->vni == 100 ? blue : red, &m));
		check_rec(r, logv[i].idx, &w, __LINE__);
	}
	/* between the markers: dump records only; after DUMP_END: live events
	 * only, starting with the two learned after the request */
	for (unsigned int i = begin; i <= end; i++) {
		CU_ASSERT(logv[i].r.flags & EVF_REC_F_DUMP);
		if (i >= aged_at && logv[i].r.type == EVF_REC_EV_MAC_LEARNED &&
		    logv[i].r.mac[2] == K_A) {
			CU_FAIL("an aged MAC dumped after it aged");
			break;
		}
	}
	for (unsigned int i = end + 1; i < nlog; i++)
		CU_ASSERT_FALSE(logv[i].r.flags & EVF_REC_F_DUMP);
	CU_ASSERT_EQUAL_FATAL(nlog - end - 1, 2 + nA + 5 + 1);
	CU_ASSERT_EQUAL(logv[end + 1].r.ev_seq, last_c + 1);
	CU_ASSERT_EQUAL(logv[end + 1].r.mac[2], K_D);
	CU_ASSERT_EQUAL(logv[end + 2].r.mac[2], K_D);
	for (unsigned int i = end + 3; i < end + 3 + nA; i++) {
		CU_ASSERT_EQUAL(logv[i].r.type, EVF_REC_EV_MAC_AGED);
		CU_ASSERT_EQUAL(logv[i].r.mac[2], K_A);
	}
	for (unsigned int i = end + 3 + nA; i < end + 3 + nA + 5; i++) {
		CU_ASSERT_EQUAL(logv[i].r.type, EVF_REC_EV_MAC_LEARNED);
		CU_ASSERT_EQUAL(logv[i].r.mac[2], K_E);
	}
	CU_ASSERT_EQUAL(logv[nlog - 1].r.type, EVF_REC_EV_MAC_MOVED);
	/* every MAC that was local throughout is in the dump exactly once */
	{
		unsigned int cnt_a = 0, cnt_b = 0, cnt_c = 0, cnt_d = 0, cnt_s = 0, cnt_mac = 0;
		struct rte_ether_addr s1 = evft_mac(S1), s2 = evft_mac(S2);

		for (unsigned int i = begin; i <= end; i++) {
			const struct evf_ring_rec *r = &logv[i].r;

			if (r->type != EVF_REC_EV_MAC_LEARNED)
				continue;
			cnt_mac++;
			cnt_a += r->mac[2] == K_A;
			cnt_b += r->mac[2] == K_B;
			cnt_c += r->mac[2] == K_C;
			cnt_d += r->mac[2] == K_D;
			cnt_s += !memcmp(r->mac, s1.addr_bytes, 6) || !memcmp(r->mac, s2.addr_bytes, 6);
		}
		/* some aged MACs were dumped before they aged (their MAC_AGED
		 * follows DUMP_END), the others not at all */
		CU_ASSERT(cnt_a > 0 && cnt_a < nA);
		CU_ASSERT_EQUAL(cnt_b, nB);
		CU_ASSERT_EQUAL(cnt_c, 70);
		CU_ASSERT_EQUAL(cnt_d, 2);
		CU_ASSERT_EQUAL(cnt_s, 2);
		CU_ASSERT_EQUAL(evf_ring_counters.dump_records, (uint64_t)(end - begin - 1));
		CU_ASSERT_EQUAL(end - begin - 1, 1 + 2 + 2 + 4 + cnt_mac);
	}
	/* a consumer that applied the ring in order holds our local MACs now,
	 * whether it starts over at DUMP_BEGIN or merges the dump in */
	nmodel = 0;
	model_apply(0, true, false);
	model_matches_fdb(__LINE__);
	nmodel = 0;
	model_apply(0, false, false);
	model_matches_fdb(__LINE__);
	/* a consumer that joins at the dump (reads from DUMP_BEGIN on) too, also
	 * when it skips the live events DUMP_BEGIN's ev_seq says are dumped */
	nmodel = 0;
	model_apply(begin, true, false);
	model_matches_fdb(__LINE__);
	nmodel = 0;
	model_apply(begin, true, true);
	model_matches_fdb(__LINE__);
	CU_ASSERT(guard_intact());
}

/* ==== 4. a dump of many MACs through a small events ring ==== */

#define NPACE 1100

static void
test_dump_paced(void)
{
	static struct want ws[NPACE + 16];
	const unsigned int content = 1 + 2 + 2 + 4 + NPACE + 2, total = content + 2;
	unsigned int nw, polls = 0, at, written = 0, short_steps = 0;
	uint64_t out0, last;
	bool ended = false;

	fresh(64, 64, 30);
	/* 1,100 MACs over every attachment, read as they come */
	for (uint32_t i = 0; i < NPACE; i++) {
		static const struct { const char *port; uint16_t vlan; bool red; } at6[] = {
			{ "acc0", 0, false }, { "acc1", 10, false }, { "acc2", 10, false },
			{ "acc0", 20, true }, { "acc1", 20, true }, { "acc2", 20, true },
		};
		const unsigned int k = i % 6;

		CU_ASSERT_EQUAL(learn_n(at6[k].red ? red : blue, at6[k].port, at6[k].vlan, 0x77, i),
				EVF_LEARN_NEW);
		if (i % 32 == 31)
			take_all();
	}
	take_all();
	CU_ASSERT_EQUAL(evf_fdb_count(), NPACE + 2);
	nw = fdb_local_wants(ws, RTE_DIM(ws));
	CU_ASSERT_EQUAL_FATAL(nw, NPACE + 2);
	out0 = evf_ring_counters.events_out;
	last = evf_event_count();

	ask_dump(0x9ace);
	at = nlog;
	while (!ended) {
		unsigned int n0 = nlog, n;

		CU_ASSERT_FATAL(polls < 1000);
		n = poll_ring();
		polls++;
		CU_ASSERT(n <= 64);
		CU_ASSERT_EQUAL(queued(), n);
		take_all();
		written += nlog - n0;
		CU_ASSERT_EQUAL(nlog - n0, n);
		ended = nlog > n0 && logv[nlog - 1].r.type == EVF_REC_EV_DUMP_END;
		/* paced by the room: every step fills the ring, but those where the
		 * MAC source scans on through the FDB's empty entries (65536 per
		 * step) after its last MAC */
		if (!ended && nlog - n0 != 64)
			short_steps++;
		/* the counters follow the steps */
		CU_ASSERT_EQUAL(evf_ring_counters.dump_records,
				written - 1 - (ended ? 1u : 0u));
		CU_ASSERT_EQUAL(evf_ring_stats(H)->dump_records, written - 1 - (ended ? 1u : 0u));
	}
	CU_ASSERT_EQUAL(written, total);
	/* the FDB (capacity 131072) holds the MACs in its first entries */
	CU_ASSERT(short_steps <= evf_fdb.capacity / 65536 + 1);
	CU_ASSERT_EQUAL(polls, (total + 63) / 64 + short_steps);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	CU_ASSERT_EQUAL(take_all(), 0);

	/* the fixed parts, then every MAC exactly once, field by field */
	{
		const struct want es[] = {
			w_es(true, ESI_SA, true, 0, 32767, false),
			w_es(true, ESI_P, false, 2, 300, true),
		};
		const struct want esbd[] = {
			w_esbd(ESI_SA, 100, true), w_esbd(ESI_SA, 200, true),
			w_esbd(ESI_P, 100, true), w_esbd(ESI_P, 200, true),
		};
		struct dump_want x = { .epoch = 0x9ace, .begin_last = last, .end_last = last,
			.es = es, .nes = 2, .esbd = esbd, .nesbd = 4, .macs = ws, .nmacs = nw };

		CU_ASSERT_EQUAL(check_dump(at, &x, __LINE__), nlog);
	}
	CU_ASSERT_EQUAL(evf_ring_counters.events_lost, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.events_out, out0 + total);
	CU_ASSERT_EQUAL(evf_ring_counters.dumps, 1);
	CU_ASSERT_EQUAL(evf_ring_counters.dump_records, content);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->dumps, 1);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->dump_records, content);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->dump_epoch, 0x9ace);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->events_lost, 0);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->events_out, out0 + total);
	CU_ASSERT(guard_intact());
}

/* ==== 5. the manual ring ==== */

#define R1 "02:00:00:d1:00:01"   /* routes ring */
#define R2 "02:00:00:d1:00:02"   /* routes ring */
#define M1 "02:00:00:d1:01:01"   /* manual ring */
#define M2 "02:00:00:d1:01:02"   /* manual ring */
#define M3 "02:00:00:d1:01:03"   /* manual ring, torn */

static bool
flooding(uint16_t bd, const char *ip)
{
	int v = evft_vtep(ip);

	return v >= 0 && evf_bd_flood_has(bd, (uint16_t)v, EVF_FLOOD_SRC_IMET);
}

/* The generation owning the single RT2 route of a MAC, -1 if none. */
static int
route_gen(uint16_t bd, const char *mac)
{
	const struct evf_fdb_entry *e = fdb(bd, mac);

	if (e == NULL || e->nb_src != 1)
		return -1;
	for (int i = 0; i < EVF_RT2_SRC_MAX; i++)
		if (e->src[i].used)
			return e->src[i].gen;
	return -1;
}

static void
check_manual_stats(uint64_t handled, uint64_t records, uint64_t applied, uint64_t rejected)
{
	const struct evf_ring_stats *s = evf_ring_stats(H);

	CU_ASSERT_EQUAL(evf_ring_counters.manual_records, records);
	CU_ASSERT_EQUAL(evf_ring_counters.manual_applied, applied);
	CU_ASSERT_EQUAL(evf_ring_counters.manual_rejected, rejected);
	CU_ASSERT_EQUAL(s->manual_handled_idx, handled);
	CU_ASSERT_EQUAL(s->manual_records, records);
	CU_ASSERT_EQUAL(s->manual_applied, applied);
	CU_ASSERT_EQUAL(s->manual_rejected, rejected);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_MANUAL].cons_idx), handled);
}

static void
test_manual_ring(void)
{
	const struct evf_ring_stats *s;
	struct evf_ring_rec *slot;
	uint64_t mp, rejected_type, torn;
	uint32_t gen;

	fresh(64, 256, 5);
	s = evf_ring_stats(H);

	/* routes ring: a producer with its resync */
	new_prod_epoch(0x51);
	push_ctl_on(EVF_RING_ROUTES, EVF_REC_SYNC_BEGIN);
	push_on(EVF_RING_ROUTES, "rt2 add vni 100 mac " R1 " vtep 198.18.0.2");
	push_on(EVF_RING_ROUTES, "rt3 add vni 200 vtep 198.18.0.2");
	push_ctl_on(EVF_RING_ROUTES, EVF_REC_SYNC_END);
	poll_ring();
	settle();   /* the dump that epoch asked for */
	CU_ASSERT_EQUAL(evf_ring_counters.records, 4);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 2);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 0);

	/* manual ring: routes owned as manual */
	push_on(EVF_RING_MANUAL, "rt2 add vni 100 mac " M1 " vtep 198.18.0.3");
	push_on(EVF_RING_MANUAL, "rt2 add vni 200 mac " M2 " vtep 198.18.0.3 seq 3 sticky");
	push_on(EVF_RING_MANUAL, "rt3 add vni 100 vtep 198.18.0.3");
	CU_ASSERT_EQUAL(poll_ring(), 3);
	check_manual_stats(3, 3, 3, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.records, 4);       /* the routes ring's counters */
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 2);
	CU_ASSERT_EQUAL(s->records, 4);
	CU_ASSERT_EQUAL(s->applied, 2);
	CU_ASSERT_EQUAL(s->handled_idx, 4);
	CU_ASSERT_EQUAL(route_gen(blue, M1), 0);
	CU_ASSERT_EQUAL(route_gen(red, M2), 0);
	CU_ASSERT_EQUAL(fdb(red, M2)->seq, 3);
	CU_ASSERT_EQUAL(fdb(red, M2)->sticky, 1);
	CU_ASSERT(route_gen(blue, R1) > 0);
	CU_ASSERT(flooding(blue, "198.18.0.3") && flooding(red, "198.18.0.2"));

	/* a new producer re-sends nothing: its resync sweeps the ring's routes only */
	new_prod_epoch(0x52);
	push_ctl_on(EVF_RING_ROUTES, EVF_REC_SYNC_BEGIN);
	push_ctl_on(EVF_RING_ROUTES, EVF_REC_SYNC_END);
	poll_ring();
	settle();
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 2);
	CU_ASSERT_PTR_NULL(fdb(blue, R1));
	CU_ASSERT_FALSE(flooding(red, "198.18.0.2"));
	CU_ASSERT_PTR_NOT_NULL(fdb(blue, M1));
	CU_ASSERT_PTR_NOT_NULL(fdb(red, M2));
	CU_ASSERT(flooding(blue, "198.18.0.3"));
	/* and the hold time changes nothing either */
	T += 10 * HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 2);
	CU_ASSERT_PTR_NOT_NULL(fdb(blue, M1));

	/* a manual withdrawal removes a manual route */
	push_on(EVF_RING_MANUAL, "rt2 del vni 100 mac " M1 " vtep 198.18.0.3");
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_PTR_NULL(fdb(blue, M1));
	check_manual_stats(4, 4, 4, 0);

	/* control records on the manual ring: bad-type, no effect. A ring-0
	 * resync is open with R2 not re-sent; a SYNC-END on the manual ring must
	 * not end it (nor sweep R2) */
	push_on(EVF_RING_ROUTES, "rt2 add vni 100 mac " R2 " vtep 198.18.0.2");
	poll_ring();
	new_prod_epoch(0x53);
	push_ctl_on(EVF_RING_ROUTES, EVF_REC_SYNC_BEGIN);
	poll_ring();
	settle();
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_begun, 3);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_ended, 2);
	CU_ASSERT(s->syncing);
	gen = s->generation;
	rejected_type = evf_ring_counters.rejected[EVF_RING_REJ_BAD_TYPE];
	push_ctl_on(EVF_RING_MANUAL, EVF_REC_SYNC_END);
	push_ctl_on(EVF_RING_MANUAL, EVF_REC_HEARTBEAT);
	push_ctl_on(EVF_RING_MANUAL, EVF_REC_SYNC_BEGIN);
	CU_ASSERT_EQUAL(poll_ring(), 3);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_BAD_TYPE], rejected_type + 3);
	CU_ASSERT_EQUAL(s->rejected[EVF_RING_REJ_BAD_TYPE], rejected_type + 3);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_begun, 3);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_ended, 2);
	CU_ASSERT_EQUAL(evf_ring_counters.heartbeats, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 2);
	CU_ASSERT_PTR_NOT_NULL(fdb(blue, R2));
	CU_ASSERT(s->syncing);
	CU_ASSERT_EQUAL(s->generation, gen);
	check_manual_stats(7, 7, 4, 3);
	/* the routes ring's own SYNC-END does */
	push_ctl_on(EVF_RING_ROUTES, EVF_REC_SYNC_END);
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 3);
	CU_ASSERT_PTR_NULL(fdb(blue, R2));
	CU_ASSERT_PTR_NOT_NULL(fdb(red, M2));
	CU_ASSERT_FALSE(s->syncing);

	/* torn and stale records on the manual ring: rejected, nothing applied */
	torn = evf_ring_counters.rejected[EVF_RING_REJ_TORN];
	mp = atomic_load(&H->idx[EVF_RING_MANUAL].prod_idx);
	push_on(EVF_RING_MANUAL, "rt2 add vni 100 mac " M3 " vtep 198.18.0.3");
	slot = evf_ring_slot(H, EVF_RING_MANUAL, mp);
	slot->seq ^= 1;                                  /* CRC no longer matches */
	push_on(EVF_RING_MANUAL, "rt2 add vni 100 mac " M3 " vtep 198.18.0.4");
	slot = evf_ring_slot(H, EVF_RING_MANUAL, mp + 1);
	slot->rec_idx = (uint32_t)(mp + 1 - 64);           /* a record of the previous lap */
	slot->crc = evf_ring_crc32c((uint8_t *)slot + 8, EVF_RING_REC_SIZE - 8);
	CU_ASSERT_EQUAL(poll_ring(), 2);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_TORN], torn + 2);
	CU_ASSERT_EQUAL(s->rejected[EVF_RING_REJ_TORN], torn + 2);
	CU_ASSERT_PTR_NULL(fdb(blue, M3));
	check_manual_stats(9, 9, 4, 5);

	/* a producer index out of range: skipped, counted, no resync */
	gen = s->generation;
	mp = atomic_load(&H->idx[EVF_RING_MANUAL].prod_idx);
	push_on(EVF_RING_MANUAL, "rt2 add vni 100 mac " M3 " vtep 198.18.0.3");
	atomic_store(&H->idx[EVF_RING_MANUAL].prod_idx, mp + 64 + 1);
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 1);
	CU_ASSERT_EQUAL(s->bad_index, 1);
	CU_ASSERT_PTR_NULL(fdb(blue, M3));
	check_manual_stats(mp + 65, 9, 4, 5);
	CU_ASSERT_FALSE(s->syncing);
	CU_ASSERT_EQUAL(s->generation, gen);
	/* behind the consumer: the same */
	atomic_store(&H->idx[EVF_RING_MANUAL].prod_idx, mp + 64);
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 2);
	check_manual_stats(mp + 64, 9, 4, 5);
	CU_ASSERT_FALSE(s->syncing);
	/* no hold timer runs: nothing is swept later */
	T += 10 * HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.hold_expired, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 3);
	CU_ASSERT_EQUAL(s->generation, gen);
	CU_ASSERT_PTR_NOT_NULL(fdb(red, M2));
	/* and the ring goes on from there */
	push_on(EVF_RING_MANUAL, "rt2 add vni 100 mac " M3 " vtep 198.18.0.3");
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_PTR_NOT_NULL(fdb(blue, M3));
	CU_ASSERT_EQUAL(route_gen(blue, M3), 0);
	check_manual_stats(mp + 65, 10, 5, 5);
	CU_ASSERT_EQUAL(evf_ring_counters.records, s->records);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 2);
	CU_ASSERT(guard_intact());
}

/* ==== 6. evfwd's own indices ==== */

#define X1 "02:00:00:d2:00:01"
#define X2 "02:00:00:d2:00:02"
#define X3 "02:00:00:d2:00:03"
#define E1 "02:00:00:d2:01:01"
#define E2 "02:00:00:d2:01:02"
#define E3 "02:00:00:d2:01:03"
#define E4 "02:00:00:d2:01:04"

static void
test_own_indices(void)
{
	const struct evf_ring_stats *s;
	uint8_t *ev_ring, *snap;
	size_t ev_bytes;
	uint64_t p, lost;
	unsigned int at;

	fresh(64, 64, 30);
	s = evf_ring_stats(H);

	/* routes ring: an add and its withdrawal handled */
	push_on(EVF_RING_ROUTES, "rt2 add vni 100 mac " X1 " vtep 198.18.0.2");
	push_on(EVF_RING_ROUTES, "rt2 del vni 100 mac " X1 " vtep 198.18.0.2");
	CU_ASSERT_EQUAL(poll_ring(), 2);
	CU_ASSERT_PTR_NULL(fdb(blue, X1));
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 2);
	/* the consumer index moved back in the object: nothing is read again */
	atomic_store(&H->idx[EVF_RING_ROUTES].cons_idx, 0);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	CU_ASSERT_PTR_NULL(fdb(blue, X1));
	CU_ASSERT_EQUAL(evf_ring_counters.records, 2);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 2);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 0);
	CU_ASSERT_EQUAL(s->handled_idx, 2);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_ROUTES].cons_idx), 2); /* published again */
	/* ... with a new record behind it: that one only */
	atomic_store(&H->idx[EVF_RING_ROUTES].cons_idx, 1);
	push_on(EVF_RING_ROUTES, "rt2 add vni 100 mac " X2 " vtep 198.18.0.2");
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_PTR_NULL(fdb(blue, X1));
	CU_ASSERT_PTR_NOT_NULL(fdb(blue, X2));
	CU_ASSERT_EQUAL(evf_ring_counters.records, 3);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 3);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_ROUTES].cons_idx), 3);
	/* ... or ahead of the producer: nothing skipped, nothing counted */
	atomic_store(&H->idx[EVF_RING_ROUTES].cons_idx, 1000);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 0);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_ROUTES].cons_idx), 3);
	push_on(EVF_RING_ROUTES, "rt2 del vni 100 mac " X2 " vtep 198.18.0.2");
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_PTR_NULL(fdb(blue, X2));
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 4);

	/* manual ring: the same */
	push_on(EVF_RING_MANUAL, "rt2 add vni 100 mac " X3 " vtep 198.18.0.3");
	push_on(EVF_RING_MANUAL, "rt2 del vni 100 mac " X3 " vtep 198.18.0.3");
	CU_ASSERT_EQUAL(poll_ring(), 2);
	CU_ASSERT_PTR_NULL(fdb(blue, X3));
	atomic_store(&H->idx[EVF_RING_MANUAL].cons_idx, 0);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	CU_ASSERT_PTR_NULL(fdb(blue, X3));
	check_manual_stats(2, 2, 2, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 0);

	/* events ring: a consumer index ahead of the producer */
	settle();
	lost = evf_ring_counters.events_lost;
	p = atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx);
	ev_bytes = (size_t)H->ring[EVF_RING_EVENTS].count * EVF_RING_REC_SIZE;
	ev_ring = mem + H->ring[EVF_RING_EVENTS].offset;
	snap = malloc(memsz);
	CU_ASSERT_PTR_NOT_NULL_FATAL(snap);
	memcpy(snap, mem, memsz);
	atomic_store(&H->idx[EVF_RING_EVENTS].cons_idx, p + 5);
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, E1), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(evf_ring_counters.events_backlog, 1);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx), p);
	/* a dump asked for meanwhile waits too */
	ask_dump(0x6a6a);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	CU_ASSERT_EQUAL(evf_ring_counters.dumps, 1);
	/* far behind it */
	atomic_store(&H->idx[EVF_RING_EVENTS].cons_idx, p - 64 - 3);
	CU_ASSERT_EQUAL(learn(red, "acc1", 20, E2), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	/* and random garbage */
	atomic_store(&H->idx[EVF_RING_EVENTS].cons_idx, 0x8badf00ddeadbeefull);
	CU_ASSERT_EQUAL(learn(red, "acc2", 20, E3), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(poll_ring(), 0);
	CU_ASSERT_EQUAL(evf_ring_counters.events_backlog, 3);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx), p);
	/* nothing written: the events ring's records, the other rings, the
	 * guard after the object */
	CU_ASSERT_EQUAL(memcmp(ev_ring, snap + H->ring[EVF_RING_EVENTS].offset, ev_bytes), 0);
	CU_ASSERT_EQUAL(memcmp(mem + EVF_RING_HDR_SIZE, snap + EVF_RING_HDR_SIZE,
			       memsz - EVF_RING_HDR_SIZE), 0);
	CU_ASSERT(guard_intact());
	CU_ASSERT_EQUAL(evf_ring_counters.events_lost, lost);
	free(snap);

	/* a sane index again: E1 (before the request), the dump (it has E1, E2,
	 * E3 and the static MACs), then E2 and E3 */
	atomic_store(&H->idx[EVF_RING_EVENTS].cons_idx, p);
	at = nlog;
	settle();
	CU_ASSERT_EQUAL(nlog - at, 1 + 5 + 2 + 4 + 5 + 2);
	if (nlog - at == 1 + 5 + 2 + 4 + 5 + 2) {
		const struct want es[] = {
			w_es(true, ESI_SA, true, 0, 32767, false),
			w_es(true, ESI_P, false, 2, 300, true),
		};
		const struct want esbd[] = {
			w_esbd(ESI_SA, 100, true), w_esbd(ESI_SA, 200, true),
			w_esbd(ESI_P, 100, true), w_esbd(ESI_P, 200, true),
		};
		const struct want macs[] = {
			w_mac(true, 100, E1, 0, NULL, evft_attach("acc0", 0), false),
			w_mac(true, 200, E2, 0, ESI_SA, evft_attach("acc1", 20), false),
			w_mac(true, 200, E3, 0, ESI_P, evft_attach("acc2", 20), false),
			w_mac(true, 100, S1, 0, NULL, evft_attach("acc0", 0), true),
			w_mac(true, 200, S2, 0, ESI_P, evft_attach("acc2", 20), true),
		};
		struct dump_want x = { .epoch = 0x6a6a, .es = es, .nes = 2, .esbd = esbd,
			.nesbd = 4, .macs = macs, .nmacs = RTE_DIM(macs) };
		struct want w = w_mac(false, 100, E1, 0, NULL, evft_attach("acc0", 0), false);

		w.ev_seq = evf_event_count() - 2;
		check_rec(&logv[at].r, logv[at].idx, &w, __LINE__);
		CU_ASSERT_EQUAL(logv[at].idx, p);
		x.begin_last = x.end_last = evf_event_count();
		CU_ASSERT_EQUAL(check_dump(at + 1, &x, __LINE__), nlog - 2);
		w = w_mac(false, 200, E2, 0, ESI_SA, evft_attach("acc1", 20), false);
		w.ev_seq = evf_event_count() - 1;
		check_rec(&logv[nlog - 2].r, logv[nlog - 2].idx, &w, __LINE__);
		w = w_mac(false, 200, E3, 0, ESI_P, evft_attach("acc2", 20), false);
		w.ev_seq = evf_event_count();
		check_rec(&logv[nlog - 1].r, logv[nlog - 1].idx, &w, __LINE__);
	}
	CU_ASSERT_EQUAL(evf_ring_counters.events_lost, lost);
	CU_ASSERT_EQUAL(evf_ring_counters.events_backlog, 0);

	/* the events ring's producer index in the object is only a copy:
	 * garbage there changes nothing evfwd writes, and is overwritten */
	p = atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx);
	CU_ASSERT_EQUAL(p, evf_ring_counters.events_out);
	atomic_store(&H->idx[EVF_RING_EVENTS].prod_idx, p + 1000);
	CU_ASSERT_EQUAL(learn(blue, "acc1", 10, E4), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[EVF_RING_EVENTS].prod_idx), p + 1);
	at = nlog;
	CU_ASSERT_EQUAL(take_all(), 1);
	if (nlog == at + 1) {
		struct want w = w_mac(false, 100, E4, 0, ESI_SA, evft_attach("acc1", 10), false);

		w.ev_seq = evf_event_count();
		CU_ASSERT_EQUAL(logv[at].idx, p);
		check_rec(&logv[at].r, logv[at].idx, &w, __LINE__);
	}
	CU_ASSERT(guard_intact());
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "dump_events_epoch", test_dump_events_epoch },
		{ "dump_routes_epoch", test_dump_routes_epoch },
		{ "dump_order", test_dump_order },
		{ "dump_paced", test_dump_paced },
		{ "manual_ring", test_manual_ring },
		{ "own_indices", test_own_indices },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("ring-dump", cases, RTE_DIM(cases), NULL, suite_clean);
}
