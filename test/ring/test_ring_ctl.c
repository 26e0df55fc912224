/* test_ring_ctl.c: CUnit tests of evfwd's side of the control ring
 * (lib/ring/ring_ctl.c) on a brought-up runtime, the ring in plain memory
 * through evf_ring_init_mem() and the consumer driven by evf_ring_poll() with
 * a synthetic TSC ("now"). Each case brings a fresh runtime up (fixture of
 * test/unit/evf_test_env.c: EAL without hugepages, net_ring ports).
 *
 * - apply: RT1 per-ES/per-EVI, RT2 (VTEP and ESI destinations), RT3, RT4
 *   pushed as records reach the FDB, the flood list and the segments; their
 *   withdrawals remove them again; a frame to a MAC of an RT2 leaves
 *   encapsulated to that VTEP.
 * - rejects: torn (CRC, stale rec_idx), bad type, every decode reason, route
 *   refused by the route API; counted by reason, nothing applied, the stats
 *   block in the header mirrors the counters.
 * - damaged header (magic, version, header size, record size, ring count,
 *   total size, each ring descriptor field): nothing consumed, bad_header
 *   counted per poll, forwarding state and forwarding itself unchanged;
 *   repairing the header resumes consumption where it stopped.
 * - indices out of range (too far ahead, producer behind consumer): bad_index
 *   counted, the records skipped, a resync opened (hold timer).
 * - producer restart (new epoch): state kept; routes re-sent between
 *   SYNC-BEGIN and SYNC-END stay, the others (every route type) are withdrawn
 *   at SYNC-END; without SYNC-END the hold time sweeps them (not before);
 *   routes added through the shell path (generation 0) are never swept.
 * - full ring: a producer thread that waits when the ring is full loses
 *   nothing: all N records applied, in order (add/withdraw pairs that would
 *   be refused if reordered).
 * - events ring: a learned MAC produces an EV_MAC_LEARNED record that
 *   evf_ring_consume reads back with the right fields; a full events ring
 *   loses events (counted) without overwriting; local and remote->local moves
 *   are EV_MAC_MOVED with the attachment; a damaged events descriptor never
 *   makes evfwd write outside the object.
 * - garbage from a producer: ts_ns before the object or in the future left
 *   out of the latency percentiles (counted in lat_bad_ts); reject names
 *   overwritten in the stats block restored at the next refresh.
 * - regressions found by these tests and the fuzzers: an RT2 with an ESI
 *   repeated (upsert) keeps its PE slot; 255 restarts without a completed
 *   sync do not make never-re-sent routes current again (8-bit generation
 *   wrap); the FDB entry of an RT2 carries its seq and sticky flag. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_events.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_rcu.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_test_env.h"

#define ESI_LOCAL  "01:11:11:11:11:11:11:00:00:01"   /* ES-1, configured on acc1 */
#define ESI_REMOTE "00:11:22:33:44:55:66:77:88:99"
#define MAC_A      "00:c1:ab:00:00:0a"
#define MAC_B      "00:c1:ab:00:00:0b"
#define MAC_C      "00:c1:ab:00:00:0c"
#define MAC_S      "00:c1:ab:00:00:5e"               /* added through the shell path */
#define HOST       "00:c1:ab:00:01:01"
#define NODE_MAC   "02:00:00:00:00:01"
#define NH_MAC     "02:00:00:00:00:fe"

static const char cfg_yaml[] =
	"node:\n"
	"  vtep-ipv4: 198.18.0.1\n"
	"  vtep-ipv6: 2001:2::1\n"
	"  mac: " NODE_MAC "\n"
	"  fdb-capacity: 32768\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_c0, role: network, next-hop-mac: " NH_MAC ",\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_c1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc1, device: net_ring_c2, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: blue\n"
	"    vni: 100\n"
	"    attachments: [{port: acc0, vlan: untagged}, {port: acc1, vlan: 10}]\n"
	"  - name: red\n"
	"    vni: 200\n"
	"    attachments: [{port: acc0, vlan: 20}, {port: acc1, vlan: 21}]\n"
	"ethernet-segments:\n"
	"  - name: ES-1\n"
	"    esi: " ESI_LOCAL "\n"
	"    interface: acc1\n"
	"    df-timer: 0\n";

static struct evf_cfg_ring rcfg;
static void *mem;

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
static struct evf_ring_hdr *H;
static uint64_t T;              /* the synthetic TSC given to evf_ring_poll */
static uint64_t HZ;
static uint16_t blue, red;

/* ---- fixture ---- */

/* A fresh runtime and a fresh ring of routes/events records. */
static void
fresh(uint32_t routes, uint32_t events, uint32_t hold, uint32_t batch)
{
	char err[256] = "";

	if (evft_is_up())
		evft_down();
	CU_ASSERT_EQUAL_FATAL(evft_up(cfg_yaml), 0);
	free(mem);
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.enabled = true;
	snprintf(rcfg.name, sizeof(rcfg.name), "/evft-ring");
	rcfg.records = routes;
	rcfg.event_records = events;
	rcfg.hold_time = hold;
	rcfg.batch = batch;
	mem = aligned_alloc(4096, evf_ring_mem_size(&rcfg));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	memset(mem, 0x5a, evf_ring_mem_size(&rcfg)); /* evfwd must lay out all it needs */
	if (evf_ring_init_mem(&rcfg, mem, err, sizeof(err)) != 0)
		fprintf(stderr, "\n    evf_ring_init_mem: %s", err);
	H = mem;
	CU_ASSERT_FATAL(evf_ring_enabled());
	HZ = rte_get_tsc_hz();
	T = rte_rdtsc();
	blue = evft_bd("blue");
	red = evft_bd("red");
	CU_ASSERT_FATAL(blue != EVF_INVALID_ID && red != EVF_INVALID_ID);
}

static int
suite_clean(void)
{
	evft_down();
	free(mem);
	mem = NULL;
	return 0;
}

/* One control-loop iteration of the ring poller at T, then RCU reclaim. */
static unsigned int
poll_ring(void)
{
	unsigned int n = evf_ring_poll(T);

	evf_rcu_drain();
	return n;
}

/* Poll until the routes ring is empty. */
static void
drain(void)
{
	for (int i = 0; i < 100000; i++) {
		if (atomic_load(&H->idx[EVF_RING_ROUTES].cons_idx) ==
		    atomic_load(&H->idx[EVF_RING_ROUTES].prod_idx))
			return;
		poll_ring();
	}
	CU_FAIL("routes ring never drained");
}

static void
produce(const struct evf_ring_rec *rec)
{
	CU_ASSERT_EQUAL_FATAL(evf_ring_produce(H, EVF_RING_ROUTES, rec), 0);
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

/* Push one route given as text (doc/routes.md syntax). */
static void
push(const char *text)
{
	struct evf_route r = route(text);
	struct evf_ring_rec rec;

	evf_ring_encode_route(&r, &rec);
	produce(&rec);
}

static void
push_ctl(uint8_t type)
{
	struct evf_ring_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.type = type;
	produce(&rec);
}

/* Apply a route through the shell path (generation 0, manual). */
static int
shell_route(const char *text)
{
	struct evf_route r = route(text);

	return evf_route_apply(&r);
}

static void
new_epoch(uint64_t e)
{
	atomic_store(&H->idx[EVF_RING_ROUTES].prod_epoch, e);
}

static const struct evf_fdb_entry *
fdb(uint16_t bd, const char *mac)
{
	struct rte_ether_addr m = evft_mac(mac);

	return evf_fdb_find(bd, &m);
}

/* An EVPN entry pointing at the VTEP ip (NULL = must be absent). */
#define EXPECT_MAC_VTEP(bd, mac, ip) do {                                      \
		const struct evf_fdb_entry *e_ = fdb((bd), (mac));             \
		const char *ip_ = (ip);                                        \
		if (ip_ == NULL) {                                             \
			if (e_ != NULL)                                        \
				fprintf(stderr, "\n    %s:%d: %s still in the FDB", __FILE__, __LINE__, (mac)); \
			CU_ASSERT_PTR_NULL(e_);                                \
		} else {                                                       \
			if (e_ == NULL)                                        \
				fprintf(stderr, "\n    %s:%d: %s missing from the FDB", __FILE__, __LINE__, (mac)); \
			CU_ASSERT_PTR_NOT_NULL(e_);                            \
			if (e_ != NULL) {                                      \
				CU_ASSERT_EQUAL(e_->origin, EVF_FDB_EVPN);     \
				CU_ASSERT_EQUAL(evf_dest_kind(e_->dest), EVF_DEST_VTEP); \
				CU_ASSERT_EQUAL(evf_dest_target(e_->dest), evft_vtep(ip_)); \
			}                                                      \
		}                                                              \
	} while (0)

static uint32_t
evpn_macs(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		const struct evf_fdb_entry *e = evf_fdb_entry_at(i);
		if (e != NULL && e->in_use && e->origin == EVF_FDB_EVPN)
			n++;
	}
	return n;
}

/* The (single) RT2 route held for a MAC. */
static const struct evf_rt2_src *
route_src(uint16_t bd, const char *mac)
{
	const struct evf_fdb_entry *e = fdb(bd, mac);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL_FATAL(e->nb_src, 1);
	for (int i = 0; i < EVF_RT2_SRC_MAX; i++)
		if (e->src[i].used)
			return &e->src[i];
	CU_FAIL_FATAL("no route source");
	return NULL;
}

static bool
flooding(uint16_t bd, const char *ip)
{
	int v = evft_vtep(ip);

	return v >= 0 && evf_bd_flood_has(bd, (uint16_t)v, EVF_FLOOD_SRC_IMET);
}

static int
es_of(const char *esi_text)
{
	struct evf_esi esi;

	CU_ASSERT_FATAL(evf_esi_parse(esi_text, &esi) == 0);
	return evf_es_find(&esi);
}

/* PE slots mask of a segment holding address ip, 0 when absent. */
static uint8_t
pe_bit(int es, const char *ip)
{
	struct evf_ip a = evft_ip(ip);

	if (es < 0)
		return 0;
	for (int i = 0; i < EVF_ES_MAX_PE; i++)
		if (evf_ess[es].pe_ip[i].family && evf_ip_equal(&evf_ess[es].pe_ip[i], &a))
			return (uint8_t)(1u << i);
	return 0;
}

static uint8_t
per_evi_mask(int es, uint16_t bd)
{
	for (uint32_t x = 0; x < EVF_MAX_ESEVI; x++)
		if (evf_esevis[x].in_use && evf_esevis[x].es == es && evf_esevis[x].bd == bd)
			return evf_esevis[x].per_evi_mask;
	return 0;
}

/* A frame from a host on acc0 (blue, untagged) to dst leaves net0 encapsulated
 * to vtep (NULL: nothing leaves net0). Returns NULL or what went wrong. */
static const char *
forwarded_to(const char *dst, const char *vtep)
{
	static char why[256];
	uint8_t f[128];
	uint32_t len = evft_frame(f, dst, HOST, -1, "198.19.0.1", "198.19.0.2", 1000, 2000, 40, 7);
	struct rte_mbuf *m = evft_mbuf(f, len), *out[8];
	struct evf_worker *w = evft_worker();
	struct evft_expect e;
	unsigned int n;
	const char *r = NULL;

	evf_dp_process(w, evft_port("acc0"), &m, 1);
	evf_dp_flush(w);
	n = evft_capture(evft_port("net0"), out, 8);
	evft_drain_all();
	if (vtep == NULL) {
		if (n)
			r = "a frame left net0";
	} else if (n != 1) {
		snprintf(why, sizeof(why), "%u frames left net0, expected 1", n);
		r = why;
	} else {
		memset(&e, 0, sizeof(e));
		e.dst = evft_mac(NH_MAC);
		e.src = evft_mac(NODE_MAC);
		e.vlan = -1;
		e.sip = evft_ip("198.18.0.1");
		e.dip = evft_ip(vtep);
		e.ttl = 64;
		e.dport = 4789;
		e.sport = -1;
		e.vni = 100;
		e.inner = f;
		e.inner_len = len;
		r = evft_check_vxlan_mbuf(out[0], &e);
		if (r != NULL) {
			snprintf(why, sizeof(why), "%s", r);
			r = why;
		}
	}
	evft_free(out, n);
	return r;
}

/* ---- apply ---- */

static void
test_apply(void)
{
	int es_r, es_l;

	fresh(256, 256, 30, 256);
	push("rt3 add vni 100 vtep 198.18.0.2");
	push("rt3 add vni 200 vtep 2001:2::2");
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2 ip 198.19.0.10 seq 3");
	push("rt1 add esi " ESI_REMOTE " vtep 198.18.0.3");
	push("rt1 add esi " ESI_REMOTE " vtep 198.18.0.4 single-active");
	push("rt1 add esi " ESI_REMOTE " vni 100 vtep 198.18.0.3");
	push("rt1 add esi " ESI_REMOTE " vni 100 vtep 198.18.0.4");
	push("rt2 add vni 100 mac " MAC_B " vtep 198.18.0.3 esi " ESI_REMOTE);
	push("rt4 add esi " ESI_LOCAL " vtep 198.18.0.5 df-alg preference pref 100");
	push("rt2 add vni 200 mac " MAC_C " vtep 2001:2::2 sticky");
	CU_ASSERT_EQUAL(poll_ring(), 10);
	CU_ASSERT_EQUAL(evf_ring_counters.records, 10);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 10);
	for (int r = 0; r < EVF_RING_REJ_MAX; r++)
		CU_ASSERT_EQUAL(evf_ring_counters.rejected[r], 0);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[0].cons_idx), 10);

	/* FDB */
	EXPECT_MAC_VTEP(blue, MAC_A, "198.18.0.2");
	CU_ASSERT_EQUAL(route_src(blue, MAC_A)->seq, 3);
	CU_ASSERT_FALSE(route_src(blue, MAC_A)->sticky);
	CU_ASSERT_EQUAL(route_src(blue, MAC_A)->gen, 1);
	EXPECT_MAC_VTEP(red, MAC_C, "2001:2::2");
	CU_ASSERT(route_src(red, MAC_C)->sticky);
	{
		const struct evf_fdb_entry *b = fdb(blue, MAC_B);

		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_EQUAL(b->origin, EVF_FDB_EVPN);
		CU_ASSERT_EQUAL(evf_dest_kind(b->dest), EVF_DEST_ES);
	}
	/* flood lists */
	CU_ASSERT(flooding(blue, "198.18.0.2"));
	CU_ASSERT(flooding(red, "2001:2::2"));
	CU_ASSERT_FALSE(flooding(blue, "2001:2::2"));
	/* remote segment: both PEs per-ES and per-EVI; single-active from the flag */
	es_r = es_of(ESI_REMOTE);
	CU_ASSERT_FATAL(es_r >= 0);
	CU_ASSERT_EQUAL(evf_ess[es_r].per_es_mask, pe_bit(es_r, "198.18.0.3") | pe_bit(es_r, "198.18.0.4"));
	CU_ASSERT_NOT_EQUAL(pe_bit(es_r, "198.18.0.3"), 0);
	CU_ASSERT_NOT_EQUAL(pe_bit(es_r, "198.18.0.4"), 0);
	CU_ASSERT_EQUAL(per_evi_mask(es_r, blue), evf_ess[es_r].per_es_mask);
	CU_ASSERT(evf_ess[es_r].single_active);
	/* local segment: the RT4 peer */
	es_l = es_of(ESI_LOCAL);
	CU_ASSERT_FATAL(es_l >= 0);
	CU_ASSERT(evf_ess[es_l].local);
	CU_ASSERT_NOT_EQUAL(evf_ess[es_l].peer_mask & pe_bit(es_l, "198.18.0.5"), 0);
	/* forwarding follows the route */
	EVFT_OK(forwarded_to(MAC_A, "198.18.0.2"));

	/* withdrawals */
	push("rt2 del vni 100 mac " MAC_A " vtep 198.18.0.2 ip 198.19.0.10");
	push("rt2 del vni 100 mac " MAC_B " vtep 198.18.0.3 esi " ESI_REMOTE);
	push("rt2 del vni 200 mac " MAC_C " vtep 2001:2::2");
	push("rt3 del vni 100 vtep 198.18.0.2");
	push("rt3 del vni 200 vtep 2001:2::2");
	push("rt1 del esi " ESI_REMOTE " vni 100 vtep 198.18.0.3");
	push("rt1 del esi " ESI_REMOTE " vtep 198.18.0.4");
	push("rt4 del esi " ESI_LOCAL " vtep 198.18.0.5");
	CU_ASSERT_EQUAL(poll_ring(), 8);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 18);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_ROUTE], 0);
	CU_ASSERT_EQUAL(evpn_macs(), 0);
	CU_ASSERT_FALSE(flooding(blue, "198.18.0.2"));
	CU_ASSERT_FALSE(flooding(red, "2001:2::2"));
	CU_ASSERT_EQUAL(evf_ess[es_r].per_es_mask, pe_bit(es_r, "198.18.0.3"));
	CU_ASSERT_EQUAL(per_evi_mask(es_r, blue), pe_bit(es_r, "198.18.0.4"));
	CU_ASSERT_EQUAL(evf_ess[es_l].peer_mask & pe_bit(es_l, "198.18.0.5"), 0);
	/* nothing known about MAC_A any more: flooded (no flood VTEP), nothing on net0 */
	EVFT_OK(forwarded_to(MAC_A, NULL));
	/* the stats block in the header follows the counters */
	{
		const struct evf_ring_stats *s = evf_ring_stats(H);

		CU_ASSERT_EQUAL(s->records, 18);
		CU_ASSERT_EQUAL(s->applied, 18);
		CU_ASSERT_EQUAL(s->generation, 1);
		CU_ASSERT_STRING_EQUAL(s->rejected_names[EVF_RING_REJ_TORN], "torn-or-stale");
		CU_ASSERT_STRING_EQUAL(s->rejected_names[EVF_RING_REJ_ROUTE], "route-rejected");
	}
}

/* ---- rejects ---- */

static void
test_rejects(void)
{
	struct evf_route r = route("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
	struct evf_ring_rec rec;
	struct evf_route_counters rr0;
	uint64_t p;

	fresh(64, 64, 30, 256);
	rr0 = evf_route_counters;
	/* CRC broken after sealing: written by hand into the slot */
	p = atomic_load(&H->idx[0].prod_idx);
	evf_ring_encode_route(&r, &rec);
	evf_ring_rec_seal(&rec, p);
	rec.vni = 200;
	memcpy(evf_ring_slot(H, 0, p), &rec, sizeof(rec));
	atomic_store(&H->idx[0].prod_idx, p + 1);
	/* stale: sealed for the index one lap earlier */
	p++;
	evf_ring_encode_route(&r, &rec);
	evf_ring_rec_seal(&rec, p - 64);
	memcpy(evf_ring_slot(H, 0, p), &rec, sizeof(rec));
	atomic_store(&H->idx[0].prod_idx, p + 1);
	/* type from the events ring, unknown type, bad flags, bad VNI */
	memset(&rec, 0, sizeof(rec));
	rec.type = EVF_REC_EV_MAC_LEARNED;
	produce(&rec);
	rec.type = 99;
	produce(&rec);
	evf_ring_encode_route(&r, &rec);
	rec.flags = 0x80;
	produce(&rec);
	evf_ring_encode_route(&r, &rec);
	rec.vni = 0;
	produce(&rec);
	evf_ring_encode_route(&r, &rec);
	rec.op = 3;
	produce(&rec);
	evf_ring_encode_route(&r, &rec);
	rec.vtep_af = 9;
	produce(&rec);
	evf_ring_encode_route(&r, &rec);
	rec.reserved2[5] = 1;
	produce(&rec);
	push("rt4 add esi " ESI_LOCAL " vtep 198.18.0.5 df-alg hrw");
	{
		struct evf_ring_rec *last = evf_ring_slot(H, 0, atomic_load(&H->idx[0].prod_idx) - 1);
		last->df_alg = 7;   /* re-seal: a DF type evfwd does not run, still applied */
		evf_ring_rec_seal(last, atomic_load(&H->idx[0].prod_idx) - 1);
	}
	/* valid records the route API refuses */
	push("rt2 add vni 999 mac " MAC_A " vtep 198.18.0.2");      /* unknown-vni */
	push("rt2 del vni 100 mac " MAC_B " vtep 198.18.0.2");      /* not-found */
	push("rt3 add vni 100 vtep 127.0.0.1");                     /* bad-vtep: loopback */
	push("rt3 add vni 100 vtep 198.18.0.1");                    /* own-route */
	push("rt4 add esi " ESI_REMOTE " vtep 198.18.0.5");         /* es-not-local */
	push_ctl(EVF_REC_HEARTBEAT);
	push_ctl(EVF_REC_HEARTBEAT);
	drain();
	CU_ASSERT_EQUAL(evf_ring_counters.records, 17);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 1);   /* the RT4 with DF type 7 */
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_TORN], 2);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_BAD_TYPE], 2);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_BAD_FLAGS], 1);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_BAD_VNI], 1);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_BAD_OP], 1);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_BAD_AF], 1);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_RESERVED], 1);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_BAD_ALG], 0);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_ROUTE], 5);
	CU_ASSERT_EQUAL(evf_ring_counters.heartbeats, 2);
	CU_ASSERT_EQUAL(evf_route_counters.result[EVF_RR_UNKNOWN_VNI] - rr0.result[EVF_RR_UNKNOWN_VNI], 1);
	CU_ASSERT_EQUAL(evf_route_counters.result[EVF_RR_NOT_FOUND] - rr0.result[EVF_RR_NOT_FOUND], 1);
	CU_ASSERT_EQUAL(evf_route_counters.result[EVF_RR_BAD_VTEP] - rr0.result[EVF_RR_BAD_VTEP], 1);
	CU_ASSERT_EQUAL(evf_route_counters.result[EVF_RR_OWN_ROUTE] - rr0.result[EVF_RR_OWN_ROUTE], 1);
	CU_ASSERT_EQUAL(evf_route_counters.result[EVF_RR_ES_NOT_LOCAL] - rr0.result[EVF_RR_ES_NOT_LOCAL], 1);
	/* nothing of it reached the tables */
	CU_ASSERT_PTR_NULL(fdb(blue, MAC_A));
	CU_ASSERT_PTR_NULL(fdb(red, MAC_A));
	CU_ASSERT_EQUAL(evpn_macs(), 0);
	CU_ASSERT_FALSE(flooding(blue, "198.18.0.1"));
	/* the published stats say the same */
	{
		const struct evf_ring_stats *s = evf_ring_stats(H);

		CU_ASSERT_EQUAL(s->records, 17);
		CU_ASSERT_EQUAL(s->rejected[EVF_RING_REJ_TORN], 2);
		CU_ASSERT_EQUAL(s->rejected[EVF_RING_REJ_ROUTE], 5);
		CU_ASSERT_EQUAL(s->heartbeats, 2);
	}
}

/* ---- damaged header ---- */

struct damage {
	const char *what;
	size_t off;          /* byte offset in the header */
	uint8_t xor;
};

static const struct damage damages[] = {
	{ "magic", offsetof(struct evf_ring_hdr, magic), 0x01 },
	{ "magic (last byte)", offsetof(struct evf_ring_hdr, magic) + 3, 0x80 },
	{ "abi_version", offsetof(struct evf_ring_hdr, abi_version), 0x02 },
	{ "header_size", offsetof(struct evf_ring_hdr, header_size) + 1, 0x10 },
	{ "record_size", offsetof(struct evf_ring_hdr, record_size), 0x40 },
	{ "nb_rings", offsetof(struct evf_ring_hdr, nb_rings), 0x01 },
	{ "total_size", offsetof(struct evf_ring_hdr, total_size) + 2, 0x01 },
	{ "routes offset", offsetof(struct evf_ring_hdr, ring[0].offset) + 1, 0x10 },
	{ "routes offset (high byte)", offsetof(struct evf_ring_hdr, ring[0].offset) + 7, 0x80 },
	{ "routes count", offsetof(struct evf_ring_hdr, ring[0].count), 0x40 },
	{ "routes count (x2)", offsetof(struct evf_ring_hdr, ring[0].count) + 1, 0x01 },
	{ "routes reserved", offsetof(struct evf_ring_hdr, ring[0].reserved), 0x01 },
	{ "events offset", offsetof(struct evf_ring_hdr, ring[1].offset) + 2, 0x01 },
	{ "events count", offsetof(struct evf_ring_hdr, ring[1].count) + 3, 0x80 },
};

static void
test_damaged_header(void)
{
	uint8_t *hb;

	fresh(64, 64, 30, 256);
	hb = (uint8_t *)H;
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
	push("rt3 add vni 100 vtep 198.18.0.2");
	CU_ASSERT_EQUAL(poll_ring(), 2);
	EVFT_OK(forwarded_to(MAC_A, "198.18.0.2"));

	for (size_t d = 0; d < RTE_DIM(damages); d++) {
		char mac[32];
		uint64_t bad0 = evf_ring_counters.bad_header, cons, applied0 = evf_ring_counters.applied;

		snprintf(mac, sizeof(mac), "00:c1:ab:00:10:%02x", (unsigned int)d);
		{
			char line[128];
			snprintf(line, sizeof(line), "rt2 add vni 100 mac %s vtep 198.18.0.3", mac);
			push(line);
		}
		cons = atomic_load(&H->idx[0].cons_idx);
		hb[damages[d].off] ^= damages[d].xor;
		for (int i = 0; i < 3; i++) {
			T += HZ / 5;
			CU_ASSERT_EQUAL(poll_ring(), 0);
		}
		if (evf_ring_counters.bad_header != bad0 + 3)
			fprintf(stderr, "\n    damaged %s: bad_header +%lu, expected +3", damages[d].what,
				(unsigned long)(evf_ring_counters.bad_header - bad0));
		CU_ASSERT_EQUAL(evf_ring_counters.bad_header, bad0 + 3);
		CU_ASSERT_EQUAL(atomic_load(&H->idx[0].cons_idx), cons);
		CU_ASSERT_EQUAL(evf_ring_counters.applied, applied0);
		CU_ASSERT_PTR_NULL(fdb(blue, mac));
		/* forwarding state stays, forwarding goes on */
		EXPECT_MAC_VTEP(blue, MAC_A, "198.18.0.2");
		CU_ASSERT(flooding(blue, "198.18.0.2"));
		EVFT_OK(forwarded_to(MAC_A, "198.18.0.2"));
		/* repaired: consumption resumes at the record it stopped at */
		hb[damages[d].off] ^= damages[d].xor;
		CU_ASSERT_EQUAL(poll_ring(), 1);
		EXPECT_MAC_VTEP(blue, mac, "198.18.0.3");
		CU_ASSERT_EQUAL(evf_ring_counters.applied, applied0 + 1);
	}
	/* the bad_header count is published */
	T += HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_stats(H)->bad_header, evf_ring_counters.bad_header);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_TORN], 0);
}

/* ---- indices out of range ---- */

static void
test_bad_index(void)
{
	uint64_t p;

	fresh(64, 64, 2, 256);
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
	push("rt2 add vni 100 mac " MAC_B " vtep 198.18.0.2");
	CU_ASSERT_EQUAL(poll_ring(), 2);

	/* producer index more than one ring ahead */
	p = atomic_load(&H->idx[0].prod_idx);
	push("rt2 add vni 100 mac " MAC_C " vtep 198.18.0.3");
	atomic_store(&H->idx[0].prod_idx, p + 64 + 1);
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 1);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[0].cons_idx), p + 65);   /* skipped to the producer */
	CU_ASSERT_PTR_NULL(fdb(blue, MAC_C));                         /* nothing applied */
	CU_ASSERT_EQUAL(evf_ring_counters.records, 2);
	EXPECT_MAC_VTEP(blue, MAC_A, "198.18.0.2");                   /* state kept */
	EXPECT_MAC_VTEP(blue, MAC_B, "198.18.0.2");
	CU_ASSERT(evf_ring_stats(H)->syncing);                        /* a resync is open */

	/* producer behind the consumer */
	p = atomic_load(&H->idx[0].prod_idx);
	atomic_store(&H->idx[0].prod_idx, p - 1);
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 2);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[0].cons_idx), p - 1);

	/* the producer recovers and re-sends A only: after the hold time B goes */
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
	CU_ASSERT_EQUAL(poll_ring(), 1);
	T += 3 * HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.hold_expired, 1);
	EXPECT_MAC_VTEP(blue, MAC_A, "198.18.0.2");
	EXPECT_MAC_VTEP(blue, MAC_B, NULL);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 1);
	CU_ASSERT_FALSE(evf_ring_stats(H)->syncing);
}

/* ---- producer restarts ---- */

/* Ring routes of every type (generation of the current producer) and one
 * manual route. */
static void
install_set(void)
{
	uint64_t before = evf_ring_counters.records;

	CU_ASSERT_EQUAL(shell_route("rt2 add vni 100 mac " MAC_S " vtep 198.18.0.9"), EVF_RR_OK);
	CU_ASSERT_EQUAL(shell_route("rt3 add vni 200 vtep 198.18.0.9"), EVF_RR_OK);
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
	push("rt2 add vni 100 mac " MAC_B " vtep 198.18.0.2");
	push("rt2 add vni 100 mac " MAC_C " vtep 198.18.0.3 esi " ESI_REMOTE);
	push("rt3 add vni 100 vtep 198.18.0.2");
	push("rt3 add vni 100 vtep 198.18.0.3");
	push("rt1 add esi " ESI_REMOTE " vtep 198.18.0.3");
	push("rt1 add esi " ESI_REMOTE " vtep 198.18.0.4");
	push("rt1 add esi " ESI_REMOTE " vni 100 vtep 198.18.0.3");
	push("rt1 add esi " ESI_REMOTE " vni 100 vtep 198.18.0.4");
	push("rt4 add esi " ESI_LOCAL " vtep 198.18.0.5");
	push("rt4 add esi " ESI_LOCAL " vtep 198.18.0.6");
	poll_ring(); /* also writes the state dump a new epoch asks for */
	CU_ASSERT_EQUAL(evf_ring_counters.records - before, 11);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 11);
}

/* The subset a restarted producer re-sends. */
static void
resend_subset(void)
{
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
	push("rt3 add vni 100 vtep 198.18.0.2");
	push("rt1 add esi " ESI_REMOTE " vtep 198.18.0.3");
	push("rt1 add esi " ESI_REMOTE " vni 100 vtep 198.18.0.3");
	push("rt4 add esi " ESI_LOCAL " vtep 198.18.0.5");
	push("rt2 add vni 200 mac " MAC_B " vtep 198.18.0.7");    /* new */
}

/* Exactly the subset (and the manual routes) is left. */
static void
expect_subset(void)
{
	int es_r = es_of(ESI_REMOTE), es_l = es_of(ESI_LOCAL);

	EXPECT_MAC_VTEP(blue, MAC_A, "198.18.0.2");
	EXPECT_MAC_VTEP(blue, MAC_B, NULL);
	EXPECT_MAC_VTEP(blue, MAC_C, NULL);
	EXPECT_MAC_VTEP(red, MAC_B, "198.18.0.7");
	EXPECT_MAC_VTEP(blue, MAC_S, "198.18.0.9");    /* manual: never swept */
	CU_ASSERT(flooding(red, "198.18.0.9"));         /* manual */
	CU_ASSERT(flooding(blue, "198.18.0.2"));
	CU_ASSERT_FALSE(flooding(blue, "198.18.0.3"));
	CU_ASSERT_FATAL(es_r >= 0 && es_l >= 0);
	CU_ASSERT_EQUAL(evf_ess[es_r].per_es_mask, pe_bit(es_r, "198.18.0.3"));
	CU_ASSERT_EQUAL(per_evi_mask(es_r, blue), pe_bit(es_r, "198.18.0.3"));
	CU_ASSERT_NOT_EQUAL(evf_ess[es_l].peer_mask & pe_bit(es_l, "198.18.0.5"), 0);
	CU_ASSERT_EQUAL(evf_ess[es_l].peer_mask & pe_bit(es_l, "198.18.0.6"), 0);
	CU_ASSERT_EQUAL(evpn_macs(), 3);
}

static void
test_restart_sync(void)
{
	fresh(256, 256, 30, 256);
	new_epoch(0x1111);            /* the first producer sets an epoch: a resync opens */
	install_set();
	CU_ASSERT_EQUAL(evf_ring_counters.epochs, 1);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[0].cons_epoch), 0x1111);
	/* SYNC-END of that first resync sweeps nothing (every route is current) */
	push_ctl(EVF_REC_SYNC_END);
	poll_ring();
	T += 100 * HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 0);
	CU_ASSERT_EQUAL(evpn_macs(), 4);

	/* the producer dies, a new one starts */
	new_epoch(0x2223);
	T += HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.epochs, 2);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[0].cons_epoch), 0x2223);
	CU_ASSERT(evf_ring_stats(H)->syncing);
	CU_ASSERT_EQUAL(evpn_macs(), 4);                 /* state kept */
	EVFT_OK(forwarded_to(MAC_B, "198.18.0.2"));      /* and used */
	push_ctl(EVF_REC_SYNC_BEGIN);
	resend_subset();
	poll_ring();
	/* nothing withdrawn until SYNC-END */
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 0);
	EXPECT_MAC_VTEP(blue, MAC_B, "198.18.0.2");
	EVFT_OK(forwarded_to(MAC_B, "198.18.0.2"));
	push_ctl(EVF_REC_SYNC_END);
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_begun, 1);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_ended, 2);  /* with the one above */
	CU_ASSERT_EQUAL(evf_ring_counters.hold_expired, 0);
	/* swept: B, C (RT2), 198.18.0.3 (RT3), .4 per-ES, .4 per-EVI, .6 (RT4) */
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 6);
	expect_subset();
	EVFT_OK(forwarded_to(MAC_A, "198.18.0.2"));
	CU_ASSERT_FALSE(evf_ring_stats(H)->syncing);
	/* the hold timer was cancelled by SYNC-END */
	T += 100 * HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.hold_expired, 0);
	expect_subset();
}

static void
test_restart_hold(void)
{
	uint64_t t0;

	fresh(256, 256, 5, 256);
	install_set();
	CU_ASSERT_EQUAL(evf_ring_counters.epochs, 0);
	new_epoch(0x77);
	t0 = T;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.epochs, 1);
	push_ctl(EVF_REC_SYNC_BEGIN);
	resend_subset();
	poll_ring();
	/* no SYNC-END: just before the hold time nothing is swept... */
	T = t0 + 5 * HZ - 1;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 0);
	CU_ASSERT_EQUAL(evpn_macs(), 5);
	/* ...at the hold time the stale routes go */
	T = t0 + 5 * HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.hold_expired, 1);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 6);
	expect_subset();
	/* a late SYNC-END changes nothing */
	push_ctl(EVF_REC_SYNC_END);
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 6);
	expect_subset();

	/* a restart with no SYNC-BEGIN either: routes sent after the new epoch stay */
	new_epoch(0x99);
	t0 = T;
	poll_ring();
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
	poll_ring();
	T = t0 + 6 * HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.hold_expired, 2);
	EXPECT_MAC_VTEP(blue, MAC_A, "198.18.0.2");
	EXPECT_MAC_VTEP(red, MAC_B, NULL);
	EXPECT_MAC_VTEP(blue, MAC_S, "198.18.0.9");
	CU_ASSERT(flooding(red, "198.18.0.9"));
	CU_ASSERT_FALSE(flooding(blue, "198.18.0.2"));
	/* manual routes still there after all that; they can be withdrawn by hand */
	CU_ASSERT_EQUAL(shell_route("rt2 del vni 100 mac " MAC_S " vtep 198.18.0.9"), EVF_RR_OK);
	CU_ASSERT_EQUAL(shell_route("rt3 del vni 200 vtep 198.18.0.9"), EVF_RR_OK);

	/* The re-sent table and its SYNC-END are queued but not yet read when the
	 * hold time passes (a starved control thread): they are handled first,
	 * so only the really stale routes go, once, by the SYNC-END. */
	fresh(256, 256, 5, 256);
	install_set();
	new_epoch(0x55);
	t0 = T;
	poll_ring();
	push_ctl(EVF_REC_SYNC_BEGIN);
	resend_subset();
	push_ctl(EVF_REC_SYNC_END);
	T = t0 + 6 * HZ;
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.hold_expired, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_ended, 1);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 6);
	expect_subset();
}

/* A producer that asks for a resync without changing its epoch. */
static void
test_resync_same_epoch(void)
{
	fresh(256, 256, 30, 256);
	install_set();
	push_ctl(EVF_REC_SYNC_BEGIN);
	resend_subset();
	push_ctl(EVF_REC_SYNC_END);
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.epochs, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 6);
	expect_subset();
	/* generations are reused (1..254, older routes relabelled 255 first)
	 * without sweeping what was just re-sent */
	for (int i = 0; i < 300; i++) {
		push_ctl(EVF_REC_SYNC_BEGIN);
		resend_subset();
		push_ctl(EVF_REC_SYNC_END);
		drain();
	}
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 6);
	CU_ASSERT_EQUAL(evf_ring_counters.rejected[EVF_RING_REJ_ROUTE], 0);
	expect_subset();
}

/* Route generations are 8 bits (R.gen 1..254, 255 marks relabelled older
 * routes; evf_route.gen). A producer
 * that restarts (SYNC-BEGIN, or a new epoch) over and over without ever
 * completing a sync -- a crash loop faster than the hold time, which every
 * restart pushes back -- walks the generation around: after 255 restarts the
 * current generation is again the one of routes sent before the first
 * restart, and the SYNC-END that finally comes keeps them although they were
 * never re-sent (ring_ctl.c begin_resync/next_gen, evf_route_sweep).
 * Regression test: the SYNC-END must still withdraw them. */
static void
test_generation_wrap(void)
{
	fresh(256, 64, 30, 256);
	push("rt2 add vni 100 mac " MAC_C " vtep 198.18.0.3");    /* never re-sent */
	push("rt3 add vni 100 vtep 198.18.0.3");                  /* never re-sent */
	CU_ASSERT_EQUAL(poll_ring(), 2);
	for (int i = 0; i < 255; i++) {
		push_ctl(EVF_REC_SYNC_BEGIN);
		push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
		drain();
	}
	push_ctl(EVF_REC_SYNC_END);
	drain();
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_begun, 255);
	CU_ASSERT_EQUAL(evf_ring_counters.hold_expired, 0);
	EXPECT_MAC_VTEP(blue, MAC_A, "198.18.0.2");
	if (fdb(blue, MAC_C) != NULL)
		fprintf(stderr, "\n    after 255 restarts (generation %u) the SYNC-END kept routes that"
			" were never re-sent", evf_ring_stats(H)->generation);
	EXPECT_MAC_VTEP(blue, MAC_C, NULL);
	CU_ASSERT_FALSE(flooding(blue, "198.18.0.3"));
}

/* ---- full ring ---- */

#define FULL_N 20000u

struct producer {
	uint64_t full_waits;
	uint32_t written;
};

static void *
producer_main(void *arg)
{
	struct producer *pr = arg;

	for (uint32_t i = 0; i < FULL_N; i++) {
		struct evf_route r;
		struct evf_ring_rec rec;
		char line[128];
		uint32_t k = i / 2;

		/* add then withdraw the same MAC: any reordering is refused (not-found) */
		snprintf(line, sizeof(line), "rt2 %s vni %u mac 02:%02x:%02x:%02x:00:01 vtep 198.18.0.%u",
			 i % 2 ? "del" : "add", k % 3 ? 100 : 200, (k >> 16) & 0xff, (k >> 8) & 0xff,
			 k & 0xff, 2 + k % 50);
		r = route(line);
		evf_ring_encode_route(&r, &rec);
		rec.ts_ns = mono_ns();
		while (evf_ring_produce(H, EVF_RING_ROUTES, &rec) < 0) {
			struct timespec ts = { 0, 2000 };

			pr->full_waits++;
			nanosleep(&ts, NULL);
		}
		pr->written++;
	}
	return NULL;
}

static void
test_full_ring(void)
{
	struct producer pr = { 0, 0 };
	pthread_t th;
	uint64_t polls = 0, adds0, dels0;

	fresh(64, 64, 30, 16);
	adds0 = evf_route_counters.applied[EVF_RT_MAC][0];
	dels0 = evf_route_counters.applied[EVF_RT_MAC][1];
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, producer_main, &pr), 0);
	while (evf_ring_counters.records < FULL_N && polls < 100000000ull) {
		if (poll_ring() == 0)
			sched_yield();
		polls++;
	}
	pthread_join(th, NULL);
	drain();
	printf("\n    %u records, %lu full waits, %lu polls ", FULL_N, (unsigned long)pr.full_waits,
	       (unsigned long)polls);
	CU_ASSERT_EQUAL(pr.written, FULL_N);
	CU_ASSERT(pr.full_waits > 0);
	CU_ASSERT_EQUAL(evf_ring_counters.records, FULL_N);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, FULL_N);
	for (int r = 0; r < EVF_RING_REJ_MAX; r++) {
		if (evf_ring_counters.rejected[r])
			fprintf(stderr, "\n    rejected %s: %lu", evf_ring_reject_name(r),
				(unsigned long)evf_ring_counters.rejected[r]);
		CU_ASSERT_EQUAL(evf_ring_counters.rejected[r], 0);
	}
	CU_ASSERT_EQUAL(evf_route_counters.applied[EVF_RT_MAC][0] - adds0, FULL_N / 2);
	CU_ASSERT_EQUAL(evf_route_counters.applied[EVF_RT_MAC][1] - dels0, FULL_N / 2);
	CU_ASSERT_EQUAL(evpn_macs(), 0);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[0].prod_idx), FULL_N);
	CU_ASSERT_EQUAL(atomic_load(&H->idx[0].cons_idx), FULL_N);
	/* only records with ts_ns fed the latency histogram */
	CU_ASSERT_EQUAL(evf_ring_counters.lat_count, FULL_N);
	CU_ASSERT_EQUAL(evf_ring_counters.lat_bad_ts, 0);
}

/* Garbage a producer writes cannot skew what evfwd reports: timestamps from
 * before the object existed or from the future are left out of the latency
 * (counted), and reject names overwritten in the stats block are restored
 * at the next refresh. */
static void
test_latency_and_names(void)
{
	struct evf_ring_stats *st;
	struct evf_ring_rec rec;
	struct evf_route r = route("rt3 add vni 100 vtep 198.18.0.2");
	uint64_t now;

	fresh(256, 64, 30, 256);
	evf_ring_encode_route(&r, &rec);
	for (int i = 0; i < 100; i++) {
		rec.ts_ns = mono_ns();
		produce(&rec);
	}
	now = mono_ns();
	for (int i = 0; i < 10; i++) {
		rec.ts_ns = 1 + (uint64_t)i;                       /* before the object */
		produce(&rec);
		rec.ts_ns = now + 3600ull * 1000000000ull;         /* an hour ahead */
		produce(&rec);
	}
	drain();
	CU_ASSERT_EQUAL(evf_ring_counters.records, 120);
	CU_ASSERT_EQUAL(evf_ring_counters.lat_count, 100);
	CU_ASSERT_EQUAL(evf_ring_counters.lat_bad_ts, 20);
	CU_ASSERT(evf_ring_latency_pct(99) < 1000000000ull);
	st = evf_ring_stats(H);
	CU_ASSERT_EQUAL(st->lat_bad_ts, 20);
	CU_ASSERT(st->lat_p99_ns < 1000000000ull);
	/* names: garbage, no terminator */
	memset(st->rejected_names, 0x7f, sizeof(st->rejected_names));
	st->rejected_names[EVF_RING_REJ_BAD_OP][0] = 'X';
	T += HZ;       /* the idle refresh is due */
	poll_ring();
	for (int i = 0; i < EVF_RING_REJ_MAX; i++)
		CU_ASSERT_STRING_EQUAL(st->rejected_names[i], evf_ring_reject_name(i));
	for (unsigned int i = EVF_RING_REJ_MAX; i < EVF_RING_STATS_REJECTS; i++)
		CU_ASSERT_EQUAL(st->rejected_names[i][0], '\0');   /* unused slots: empty */
}

/* ---- events ring ---- */

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

static void
test_events(void)
{
	struct evf_ring_rec out[64];
	struct evf_esi esi_l;
	uint64_t first, seq0;
	char text[256];
	int n;

	fresh(64, 64, 30, 256);
	evf_now_sec = 1000;
	/* drain whatever bring-up emitted (segment state) */
	evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
	seq0 = evf_event_count();

	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, "00:c1:ab:00:20:01"), EVF_LEARN_NEW);
	n = evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT(evf_ring_rec_intact(&out[0], first));
	CU_ASSERT_EQUAL(out[0].type, EVF_REC_EV_MAC_LEARNED);
	CU_ASSERT_EQUAL(out[0].vni, 100);
	CU_ASSERT_EQUAL(memcmp(out[0].mac, "\x00\xc1\xab\x00\x20\x01", 6), 0);
	CU_ASSERT_EQUAL(out[0].attach, evft_attach("acc0", 0));
	CU_ASSERT_EQUAL(out[0].seq, fdb(blue, "00:c1:ab:00:20:01")->seq);
	CU_ASSERT_EQUAL(memcmp(out[0].esi, "\0\0\0\0\0\0\0\0\0\0", 10), 0);
	CU_ASSERT_EQUAL(out[0].ev_seq, seq0 + 1);
	CU_ASSERT(out[0].ts_ns != 0);
	CU_ASSERT_EQUAL(out[0].reserved0 | out[0].reserved1, 0);
	evf_ring_format_event(&out[0], text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "mac-learned vni 100 mac 00:c1:ab:00:20:01 seq 0");
	CU_ASSERT_EQUAL(evf_ring_counters.events_out, 1 + (first - 0));

	/* a MAC on the segment's interface carries the ESI (red, acc1 vlan 21) */
	CU_ASSERT_EQUAL(learn(red, "acc1", 21, "00:c1:ab:00:20:02"), EVF_LEARN_NEW);
	n = evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT(evf_ring_rec_intact(&out[0], first));
	CU_ASSERT_EQUAL(out[0].type, EVF_REC_EV_MAC_LEARNED);
	CU_ASSERT_EQUAL(out[0].vni, 200);
	CU_ASSERT_EQUAL(out[0].attach, evft_attach("acc1", 21));
	evf_esi_parse(ESI_LOCAL, &esi_l);
	CU_ASSERT_EQUAL(memcmp(out[0].esi, esi_l.b, 10), 0);

	/* full events ring: later events wait in evfwd's backlog, in order, and
	 * are written as the control plane frees slots; none lost, nothing
	 * overwritten */
	{
		uint64_t lost0 = evf_ring_counters.events_lost, p0 = atomic_load(&H->idx[1].prod_idx);
		uint32_t learned = 0;

		for (uint32_t i = 0; i < 80; i++) {
			char mac[32];
			snprintf(mac, sizeof(mac), "00:c1:ab:00:30:%02x", i);
			learned += learn(blue, "acc0", 0, mac) == EVF_LEARN_NEW;
		}
		CU_ASSERT_EQUAL(learned, 80);
		CU_ASSERT_EQUAL(atomic_load(&H->idx[1].prod_idx), p0 + 64);
		CU_ASSERT_EQUAL(evf_ring_counters.events_lost, lost0);
		CU_ASSERT_EQUAL(evf_ring_counters.events_backlog, 16);
		n = evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
		CU_ASSERT_EQUAL(n, 64);
		for (int i = 0; i < n; i++) {
			CU_ASSERT(evf_ring_rec_intact(&out[i], first + (uint64_t)i));
			CU_ASSERT_EQUAL(out[i].mac[5], (uint8_t)i);   /* the first 64, in order */
		}
		/* a new event while 16 wait: it goes behind them */
		CU_ASSERT_EQUAL(learn(blue, "acc0", 0, "00:c1:ab:00:31:00"), EVF_LEARN_NEW);
		T += HZ;
		poll_ring();
		CU_ASSERT_EQUAL(evf_ring_counters.events_backlog, 0);
		CU_ASSERT_EQUAL(evf_ring_counters.events_backlog_max, 16);
		n = evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
		CU_ASSERT_EQUAL_FATAL(n, 17);
		for (int i = 0; i < 16; i++) {
			CU_ASSERT(evf_ring_rec_intact(&out[i], first + (uint64_t)i));
			CU_ASSERT_EQUAL(out[i].type, EVF_REC_EV_MAC_LEARNED);
			CU_ASSERT_EQUAL(out[i].mac[4], 0x30);
			CU_ASSERT_EQUAL(out[i].mac[5], (uint8_t)(64 + i));
			if (i > 0)
				CU_ASSERT_EQUAL(out[i].ev_seq, out[i - 1].ev_seq + 1);
		}
		CU_ASSERT_EQUAL(out[16].mac[4], 0x31);
		CU_ASSERT_EQUAL(out[16].ev_seq, out[15].ev_seq + 1);
		CU_ASSERT_EQUAL(evf_ring_counters.events_lost, lost0);
		CU_ASSERT_EQUAL(evf_ring_stats(H)->events_lost, evf_ring_counters.events_lost);
	}
}

/* A local MAC that moves to another attachment. evf_ring_abi.h defines
 * EV_MAC_MOVED "moved: attach != 0xffff re-advertise" and evf_events.h
 * EVF_EV_MAC_MOVED "local MAC moved (new attachment or from remote: new
 * sequence)"; the record must say so, with the new attachment and sequence
 * (regression: moves used to be reported as EV_MAC_LEARNED). */
static void
test_events_move(void)
{
	struct evf_ring_rec out[64];
	uint64_t first;
	int n;

	fresh(64, 64, 30, 256);
	evf_now_sec = 2000;
	evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, "00:c1:ab:00:20:01"), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(learn(blue, "acc1", 10, "00:c1:ab:00:20:01"), EVF_LEARN_MOVED);
	n = evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(out[0].type, EVF_REC_EV_MAC_LEARNED);
	if (out[1].type != EVF_REC_EV_MAC_MOVED)
		fprintf(stderr, "\n    local move acc0 -> acc1.10: event type %u, expected %u"
			" (EV_MAC_MOVED)", out[1].type, EVF_REC_EV_MAC_MOVED);
	CU_ASSERT_EQUAL(out[1].type, EVF_REC_EV_MAC_MOVED);
	CU_ASSERT_EQUAL(out[1].attach, evft_attach("acc1", 10));

	/* a remote MAC (RT2 seq 4) seen locally: new sequence 5, re-advertised as moved */
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2 seq 4");
	poll_ring();
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, MAC_A), EVF_LEARN_MOVED);
	n = evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(out[0].seq, 5);
	CU_ASSERT_EQUAL(out[0].attach, evft_attach("acc0", 0));
	if (out[0].type != EVF_REC_EV_MAC_MOVED)
		fprintf(stderr, "\n    remote -> local move: event type %u, expected %u (EV_MAC_MOVED)",
			out[0].type, EVF_REC_EV_MAC_MOVED);
	CU_ASSERT_EQUAL(out[0].type, EVF_REC_EV_MAC_MOVED);

	/* the other way (local MAC, RT2 with a higher sequence): moved, now remote */
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2 seq 9");
	poll_ring();
	n = evf_ring_consume(H, EVF_RING_EVENTS, out, 64, &first);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(out[0].type, EVF_REC_EV_MAC_MOVED);
	CU_ASSERT_EQUAL(out[0].attach, 0xffff);
}

/* The events ring is produced by evfwd (ring_ctl.c event_sink ->
 * evf_ring_produce(R.hdr, EVF_RING_EVENTS, ...)), which takes the ring's
 * offset and count from the shared header, i.e. from memory any process
 * attached to the object may write. With the header damaged (the routes
 * consumer sees it and stops), evfwd must not write events anywhere but into
 * its own events ring: here the object sits at the start of a larger buffer
 * whose tail (outside the object) must stay untouched. Regression: event_sink
 * used to produce through the descriptor in shared memory. */
static void
test_events_damaged_header(void)
{
	const size_t guard = 256 * 1024;
	size_t size;
	uint8_t *big, *g;
	char err[256];
	size_t touched = 0;

	fresh(64, 64, 30, 256);
	size = evf_ring_mem_size(&rcfg);
	big = aligned_alloc(4096, size + guard);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 0, size);
	memset(big + size, 0x77, guard);
	CU_ASSERT_EQUAL_FATAL(evf_ring_init_mem(&rcfg, big, err, sizeof(err)), 0);
	free(mem);
	mem = big;
	H = mem;
	evf_now_sec = 3000;

	/* events descriptor pointed past the object (offset), then a huge count */
	H->ring[EVF_RING_EVENTS].offset = size + 64 * 1024;
	poll_ring();
	CU_ASSERT(evf_ring_counters.bad_header > 0);          /* the consumer noticed */
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, "00:c1:ab:00:40:01"), EVF_LEARN_NEW);
	H->ring[EVF_RING_EVENTS].offset = EVF_RING_HDR_SIZE + 64 * EVF_RING_REC_SIZE;
	H->ring[EVF_RING_EVENTS].count = 1u << 12;
	atomic_store(&H->idx[EVF_RING_EVENTS].prod_idx, 1000);
	atomic_store(&H->idx[EVF_RING_EVENTS].cons_idx, 1000);
	CU_ASSERT_EQUAL(learn(blue, "acc0", 0, "00:c1:ab:00:40:02"), EVF_LEARN_NEW);

	for (g = big + size; g < big + size + guard; g++)
		touched += *g != 0x77;
	if (touched)
		fprintf(stderr, "\n    %zu bytes written outside the ring object while its header was"
			" damaged", touched);
	CU_ASSERT_EQUAL(touched, 0);
	/* restore the layout so that later code never follows the damaged one */
	H->ring[EVF_RING_EVENTS].count = 64;
}

/* What "show fdb" prints for an EVPN MAC comes from the entry's seq and
 * sticky fields (app/evfwd/show/show_bd.c evf_show_fdb: columns Seq and
 * Flags); for a MAC installed by an RT2 route with seq 3 / sticky those must
 * be the route's (regression: they stayed 0). */
static void
test_fdb_view_of_rt2(void)
{
	fresh(64, 64, 30, 256);
	push("rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2 seq 3");
	push("rt2 add vni 200 mac " MAC_C " vtep 2001:2::2 sticky");
	CU_ASSERT_EQUAL(poll_ring(), 2);
	CU_ASSERT_EQUAL(route_src(blue, MAC_A)->seq, 3);
	if (fdb(blue, MAC_A)->seq != 3)
		fprintf(stderr, "\n    RT2 seq 3: entry seq %u (show fdb Seq column), expected 3",
			fdb(blue, MAC_A)->seq);
	CU_ASSERT_EQUAL(fdb(blue, MAC_A)->seq, 3);
	if (!fdb(red, MAC_C)->sticky)
		fprintf(stderr, "\n    RT2 sticky: entry sticky 0 (show fdb Flags '-'), expected 1");
	CU_ASSERT(fdb(red, MAC_C)->sticky);
}

/* An RT2 route with an ESI repeated (BGP upsert, or every resync re-sending
 * it) from a PE that has no RT1/RT4 route on that segment: the PE slot the
 * route holds must survive the upsert (lib/fdb/fdb_mac_ctl.c evf_fdb_rt2).
 * Seen through
 * forwarding: with no aliasing PE the MAC falls back to its RT2's PE, which
 * must stay 198.18.0.3 when another PE later takes a slot on the segment.
 * Regression: evf_fdb_rt2 used to drop the slot's last reference before
 * taking it again, so the slot was freed after the grace period and reused
 * by the next PE (frames to the MAC then went to 198.18.0.4). */
static void
test_rt2_esi_upsert(void)
{
	const struct evf_fdb_entry *e;
	const struct evf_rt2_src *s;
	int es;

	fresh(64, 64, 30, 256);
	push("rt2 add vni 100 mac " MAC_B " vtep 198.18.0.3 esi " ESI_REMOTE);
	CU_ASSERT_EQUAL(poll_ring(), 1);
	EVFT_OK(forwarded_to(MAC_B, "198.18.0.3"));
	es = es_of(ESI_REMOTE);
	CU_ASSERT_FATAL(es >= 0);
	/* the same route again (upsert) */
	push("rt2 add vni 100 mac " MAC_B " vtep 198.18.0.3 esi " ESI_REMOTE);
	CU_ASSERT_EQUAL(poll_ring(), 1);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 2);
	s = route_src(blue, MAC_B);
	if (evf_ess[es].pe_ip[s->es_slot].family == 0)
		fprintf(stderr, "\n    after the upsert the route's PE slot %u has no address (freed)",
			s->es_slot);
	CU_ASSERT_NOT_EQUAL(pe_bit(es, "198.18.0.3"), 0);
	CU_ASSERT_EQUAL(1u << s->es_slot, pe_bit(es, "198.18.0.3"));
	e = fdb(blue, MAC_B);
	CU_ASSERT_EQUAL(evf_dest_aux(e->dest), pe_bit(es, "198.18.0.3"));
	EVFT_OK(forwarded_to(MAC_B, "198.18.0.3"));
	/* another PE joins the segment (RT1 per-ES): MAC_B stays on .3 */
	push("rt1 add esi " ESI_REMOTE " vtep 198.18.0.4");
	CU_ASSERT_EQUAL(poll_ring(), 1);
	s = route_src(blue, MAC_B);
	CU_ASSERT_EQUAL(1u << s->es_slot, pe_bit(es, "198.18.0.3"));
	EVFT_OK(forwarded_to(MAC_B, "198.18.0.3"));
	/* withdrawing the RT2 releases exactly what it held */
	push("rt2 del vni 100 mac " MAC_B " vtep 198.18.0.3 esi " ESI_REMOTE);
	push("rt1 del esi " ESI_REMOTE " vtep 198.18.0.4");
	CU_ASSERT_EQUAL(poll_ring(), 2);
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 5);
	CU_ASSERT_PTR_NULL(fdb(blue, MAC_B));
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, 0);
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "apply", test_apply },
		{ "rejects", test_rejects },
		{ "damaged_header", test_damaged_header },
		{ "bad_index", test_bad_index },
		{ "restart_sync", test_restart_sync },
		{ "restart_hold", test_restart_hold },
		{ "resync_same_epoch", test_resync_same_epoch },
		{ "generation_wrap", test_generation_wrap },
		{ "full_ring", test_full_ring },
		{ "latency_and_names", test_latency_and_names },
		{ "events", test_events },
		{ "events_move", test_events_move },
		{ "events_damaged_header", test_events_damaged_header },
		{ "fdb_view_of_rt2", test_fdb_view_of_rt2 },
		{ "rt2_esi_upsert", test_rt2_esi_upsert },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("ring", cases, RTE_DIM(cases), NULL, suite_clean);
}
