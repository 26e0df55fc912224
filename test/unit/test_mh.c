/* test_mh.c: CUnit tests of EVPN multihoming through the real APIs: routes
 * enter with evf_route_apply() (built from the text syntax) on a brought-up
 * runtime, workers are driven by hand (evf_dp_process + evf_dp_flush on
 * evf_workers[0]) and their output read back from net_ring ports, control
 * timers run through evf_es_poll() with synthetic TSC values and
 * evf_ctl_poll_once(), MAC timers with a synthetic evf_now_sec.
 *
 * 1. aliasing: per-flow spread over the PEs of a remote segment, per-EVI set;
 * 2. mass withdrawal over 100000 MACs: one byte in the segment, no FDB entry
 *    rewritten; fallback to the RT2 PEs (aux mask), then flooding;
 * 3. remote single-active: primary, then backup;
 * 4. local segments: modulo DF per MAC-VRF, DF and local-bias filters, the DF
 *    wait timer, re-election when a peer leaves, preference with
 *    Don't-Preempt, single-active blocking;
 * 5. MAC mobility: sequence numbers, equal sequence, sticky, aging fallback,
 *    duplicate detection and hold-down, and a remote MAC seen locally on the
 *    data path;
 * 6. hostile routes, each rejected with its result and counter and leaving
 *    the accepted state unchanged; the text syntax: malformed lines and the
 *    format/parse round trip.
 * Tests leave the routes they add withdrawn; every local segment is alone
 * (DF everywhere) between tests. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ring.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_es_dp.h"
#include "evf_events.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_rcu.h"
#include "evf_route.h"
#include "evf_runtime.h"
#include "evf_stats.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_test_env.h"

/* evf_fdb_set for tests: the entry, or NULL (with the -errno in *err). */
static struct evf_fdb_entry *
fdb_set(uint16_t bd, const struct rte_ether_addr *mac, enum evf_dest_kind kind, uint16_t target,
	enum evf_fdb_origin origin, int *err)
{
	struct evf_fdb_entry *e;
	int rc = evf_fdb_set(bd, mac, kind, target, origin, &e);

	if (err != NULL)
		*err = rc;
	return rc < 0 ? NULL : e;
}

#define NODE_MAC "02:00:00:00:00:01"
#define NH_MAC   "02:00:00:00:00:fe"
#define PEER_MAC "02:00:00:00:00:fd"
#define NODE_V4  "198.18.0.1"
#define PE1      "198.18.0.11"
#define PE2      "198.18.0.12"
#define FLOODV   "198.18.0.30"   /* RT3 flood-list VTEP of "alias" */
#define XV       "198.18.0.40"   /* a remote VTEP on none of our segments */
#define P_MOD    "198.18.0.21"   /* peer on es-mod (higher address than ours) */
#define P_PREF   "198.18.0.22"   /* peer on es-pref */
#define Q_LOW    "10.0.0.5"      /* peer on es-timer (lower address than ours) */
#define Q_SA     "10.0.0.6"      /* peer on es-sa (lower address than ours) */
#define VA       "198.18.0.51"   /* mobility VTEPs */
#define VB       "198.18.0.52"
#define VLOW     "10.0.0.9"

#define ESI_MOD   "00:11:11:11:11:11:11:11:11:01"
#define ESI_SA    "00:11:11:11:11:11:11:11:11:02"
#define ESI_TIMER "00:11:11:11:11:11:11:11:11:03"
#define ESI_PREF  "00:11:11:11:11:11:11:11:11:04"
#define ESI_AL    "00:aa:aa:aa:aa:aa:aa:aa:aa:01"
#define ESI_MASS  "00:aa:aa:aa:aa:aa:aa:aa:aa:02"
#define ESI_SAR   "00:aa:aa:aa:aa:aa:aa:aa:aa:03"
#define ESI_HOST  "00:aa:aa:aa:aa:aa:aa:aa:aa:04"
#define ESI_FULL  "00:aa:aa:aa:aa:aa:aa:aa:aa:05"
#define ESI_NEW   "00:aa:aa:aa:aa:aa:aa:aa:aa:06"
#define ESI_NEW2  "00:aa:aa:aa:aa:aa:aa:aa:aa:07"
#define ESI_ZERO  "00:00:00:00:00:00:00:00:00:00"
#define ESI_MAX   "ff:ff:ff:ff:ff:ff:ff:ff:ff:ff"

#define H        "02:00:00:00:10:01"   /* host on acc1 (every MAC-VRF) */
#define BCAST    "ff:ff:ff:ff:ff:ff"
#define LSTATIC  "02:00:00:00:5a:01"   /* mob: static-macs */
#define RSTATIC  "00:00:5e:00:53:77"   /* mob: remote-macs */

#define RED_VNI   1000   /* evi 1000 (even) */
#define BLUE_VNI  2000   /* evi 1001 (odd) */
#define ALIAS_VNI 3000
#define MOB_VNI   4000

#define MASS_MACS 100000u

#define PORTS_ \
	"  - {name: net0, device: net_ring_m0, role: network, next-hop-mac: " NH_MAC ",\n" \
	"     rx-descriptors: 64, tx-descriptors: 64}\n" \
	"  - {name: acc0, device: net_ring_m1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n" \
	"  - {name: acc1, device: net_ring_m2, role: access, rx-descriptors: 64, tx-descriptors: 64}\n" \
	"  - {name: acc2, device: net_ring_m3, role: access, rx-descriptors: 64, tx-descriptors: 64}\n" \
	"  - {name: acc3, device: net_ring_m4, role: access, rx-descriptors: 64, tx-descriptors: 64}\n" \
	"  - {name: acc4, device: net_ring_m5, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"

static const char cfg[] =
	"node:\n"
	"  vtep-ipv4: " NODE_V4 "\n"
	"  mac: " NODE_MAC "\n"
	"  fdb-capacity: 131072\n"
	"ports:\n"
	PORTS_
	"mac-vrfs:\n"
	"  - name: red\n"
	"    vni: 1000\n"
	"    attachments: [{port: acc0, vlan: 10}, {port: acc1, vlan: 10}, {port: acc2, vlan: 10},\n"
	"                  {port: acc3, vlan: 10}, {port: acc4, vlan: 10}]\n"
	"  - name: blue\n"
	"    vni: 2000\n"
	"    evi: 1001\n"
	"    attachments: [{port: acc0, vlan: 20}, {port: acc1, vlan: 20}]\n"
	"  - name: alias\n"
	"    vni: 3000\n"
	"    attachments: [{port: acc1, vlan: 30}]\n"
	"  - name: mob\n"
	"    vni: 4000\n"
	"    mac-aging: 60\n"
	"    attachments: [{port: acc1, vlan: 40}, {port: acc1, vlan: 41}]\n"
	"    remote-macs: [{mac: " RSTATIC ", vtep: 198.18.0.99}]\n"
	"    static-macs: [{mac: " LSTATIC ", port: acc1, vlan: 40}]\n"
	"    mac-duplication: {num-moves: 5, monitoring-window: 180, hold-down: 540}\n"
	"ethernet-segments:\n"
	"  - {name: es-mod, esi: " ESI_MOD ", interface: acc0, df-timer: 0}\n"
	"  - {name: es-sa, esi: " ESI_SA ", mode: single-active, interface: acc2, df-timer: 0}\n"
	"  - {name: es-timer, esi: " ESI_TIMER ", interface: acc3, df-timer: 3}\n"
	"  - {name: es-pref, esi: " ESI_PREF ", interface: acc4, df-timer: 0,\n"
	"     df-election: {algorithm: preference, preference: 200, dont-preempt: true}}\n"
	"workers:\n"
	"  count: 1\n";

enum { P_NET, P_ACC0, P_ACC1, P_ACC2, P_ACC3, P_ACC4, NB_P };
static const char *const port_names[NB_P] = { "net0", "acc0", "acc1", "acc2", "acc3", "acc4" };
static uint16_t pid[NB_P];
static uint16_t red, blue, alias_bd, mob;
static uint16_t a_red0, a_red1, a_red2, a_red3, a_red4, a_blue0, a_blue1, a_alias, a_mob40,
	a_mob41;
static uint64_t hz;

/* ---- events ---- */

#define EV_MAX 4096
static struct evf_event evs[EV_MAX];
static unsigned int nb_evs;

static bool
sink(const struct evf_event *ev)
{
	if (nb_evs < EV_MAX)
		evs[nb_evs++] = *ev;
	return true;
}

static struct evf_esi
esi(const char *s)
{
	struct evf_esi e;

	if (evf_esi_parse(s, &e) != 0) {
		fprintf(stderr, "test bug: bad ESI '%s'\n", s);
		abort();
	}
	return e;
}

/* Is e of this type (and, when given, of this MAC / segment / VNI)? */
static bool
ev_matches(const struct evf_event *e, uint8_t type, const char *mac, const char *esi_s,
	   uint32_t vni)
{
	if (e->type != type)
		return false;
	if (mac != NULL) {
		struct rte_ether_addr m = evft_mac(mac);
		if (!rte_is_same_ether_addr(&m, &e->mac))
			return false;
	}
	if (esi_s != NULL) {
		struct evf_esi x = esi(esi_s);
		if (memcmp(&x, &e->esi, sizeof(x)) != 0)
			return false;
	}
	return vni == 0 || e->vni == vni;
}

/* Events of a type (and, when given, of a MAC / segment / VNI). */
static unsigned int
ev_count(uint8_t type, const char *mac, const char *esi_s, uint32_t vni)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nb_evs; i++)
		n += ev_matches(&evs[i], type, mac, esi_s, vni);
	return n;
}

/* The last such event, or NULL. */
static const struct evf_event *
ev_last(uint8_t type, const char *mac, const char *esi_s, uint32_t vni)
{
	for (unsigned int i = nb_evs; i-- > 0;)
		if (ev_matches(&evs[i], type, mac, esi_s, vni))
			return &evs[i];
	return NULL;
}

/* ---- routes ---- */

static char last_line[512];

static int
route(const char *fmt, ...)
{
	char err[256];
	struct evf_route r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_line, sizeof(last_line), fmt, ap);
	va_end(ap);
	if (evf_route_parse_line(last_line, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "\n    test bug: '%s': %s\n", last_line, err);
		CU_FAIL("route text does not parse");
		return -1;
	}
	return evf_route_apply(&r);
}

#define EXPECT_RR(want, ...) do {                                              \
		int rr_ = route(__VA_ARGS__);                                  \
		if (rr_ != (int)(want))                                        \
			fprintf(stderr, "\n    %s:%d: '%s' gave %s, expected %s\n", \
				__FILE__, __LINE__, last_line,                 \
				evf_route_result_name(rr_), evf_route_result_name(want)); \
		CU_ASSERT_EQUAL(rr_, (int)(want));                             \
	} while (0)
#define ROUTE_OK(...) EXPECT_RR(EVF_RR_OK, __VA_ARGS__)

static uint16_t
es_id(const char *s)
{
	struct evf_esi e = esi(s);
	int id = evf_es_find(&e);

	CU_ASSERT_FATAL(id >= 0);
	return (uint16_t)id;
}

static int
slot_of(uint16_t es, const char *ip)
{
	struct evf_ip a = evft_ip(ip);

	return evf_es_pe_slot(es, &a, false);
}

/* ---- DF state ---- */

/* (no CUnit assertion here: also used by the suite's init) */
static bool
df_of(uint16_t aid)
{
	const struct evf_attach *a = &evf_attachs[aid];

	if (a->es == EVF_INVALID_ID) {
		fprintf(stderr, "\n    %s is on no segment\n", a->name);
		return false;
	}
	return evf_es_is_df(&evf_ess[a->es], &evf_esevis[a->esevi]);
}

static bool
df_is(uint16_t aid, const char *ip)
{
	struct evf_ip d = evf_es_df_of(evf_attachs[aid].esevi), want = evft_ip(ip);
	char b[EVF_IP_STRLEN];

	if (!evf_ip_equal(&d, &want)) {
		fprintf(stderr, "\n    DF of %s is %s, expected %s\n", evf_attachs[aid].name,
			evf_ip_fmt(&d, b, sizeof(b)), ip);
		return false;
	}
	return true;
}

static const uint16_t *
local_attachs(unsigned int *n)
{
	static uint16_t a[5];

	a[0] = a_red0;
	a[1] = a_blue0;
	a[2] = a_red2;
	a[3] = a_red3;
	a[4] = a_red4;
	*n = 5;
	return a;
}

static bool
df_everywhere(void)
{
	unsigned int n;
	const uint16_t *a = local_attachs(&n);
	bool ok = true;

	for (unsigned int i = 0; i < n; i++) {
		if (!df_of(a[i])) {
			fprintf(stderr, "\n    not DF on %s\n", evf_attachs[a[i]].name);
			ok = false;
		}
	}
	return ok;
}

static bool
segments_up(void)
{
	static const char *const e[] = { ESI_MOD, ESI_SA, ESI_TIMER, ESI_PREF };

	for (size_t i = 0; i < RTE_DIM(e); i++) {
		struct evf_esi x = esi(e[i]);
		int id = evf_es_find(&x);
		struct evf_es_df_view v;

		if (id < 0 || !evf_ess[id].local_up)
			return false;
		evf_es_df_view((uint16_t)id, &v);
		if (!v.self_candidate || v.activating)
			return false;
	}
	return true;
}

/* Run the control loop (real clock) until cond() holds, at most 2 s. */
static bool
poll_until(bool (*cond)(void))
{
	uint64_t end = rte_rdtsc() + 2 * hz;

	while (!cond()) {
		if (rte_rdtsc() > end)
			return false;
		evf_ctl_poll_once();
		rte_delay_us_block(50);
	}
	return true;
}

/* ---- fixture ---- */

static void
drain_learn_ring(void)
{
	struct evf_learn_ev ev[64];

	while (rte_ring_sc_dequeue_burst_elem(evf_workers[0].learn_ring, ev, sizeof(ev[0]), 64,
					      NULL) > 0)
		;
}

static int
suite_init(void)
{
	if (evft_up(cfg) != 0)
		return -1;
	hz = rte_get_tsc_hz();
	evf_event_set_sink(sink);
	for (int i = 0; i < NB_P; i++) {
		struct evf_port *p = evf_port_by_name(port_names[i]);

		if (p == NULL)
			return -1;
		pid[i] = p->port_id;
	}
	red = evft_bd("red");
	blue = evft_bd("blue");
	alias_bd = evft_bd("alias");
	mob = evft_bd("mob");
	a_red0 = evft_attach("acc0", 10);
	a_red1 = evft_attach("acc1", 10);
	a_red2 = evft_attach("acc2", 10);
	a_red3 = evft_attach("acc3", 10);
	a_red4 = evft_attach("acc4", 10);
	a_blue0 = evft_attach("acc0", 20);
	a_blue1 = evft_attach("acc1", 20);
	a_alias = evft_attach("acc1", 30);
	a_mob40 = evft_attach("acc1", 40);
	a_mob41 = evft_attach("acc1", 41);
	if (mob == EVF_INVALID_ID || a_mob41 == EVF_INVALID_ID || a_red4 == EVF_INVALID_ID)
		return -1;
	/* Segments up: link poll, activation timer (0), DF timer (0 s); then
	 * es-timer's 3 s DF wait timer passed with a synthetic TSC. */
	if (!poll_until(segments_up)) {
		fprintf(stderr, "\n  local segments did not come up\n");
		return -1;
	}
	evf_es_poll(rte_rdtsc() + 4 * hz);
	if (!df_everywhere())
		return -1;
	return 0;
}

static int
suite_clean(void)
{
	evf_event_set_sink(NULL);
	evft_down();
	return 0;
}

/* Empty ports and learn ring, no learned MACs, event log and baselines reset. */
static void
fresh(void)
{
	evft_drain_all();
	drain_learn_ring();
	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		struct evf_fdb_entry *e = evf_fdb_entry_at(i);

		if (e != NULL && e->origin == EVF_FDB_LEARNED)
			evf_fdb_remove(e);
	}
	evf_rcu_drain();
	memset(evf_workers[0].learn_cache, 0, sizeof(evf_workers[0].learn_cache));
	nb_evs = 0;
	evft_baseline();
	CU_ASSERT(df_everywhere());
}

static void
finish(void)
{
	drain_learn_ring();
	evft_finish();
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
ip_host(const char *s)
{
	struct evf_ip a = evft_ip(s);

	return ntohl(a.v4);
}

/* ---- captures ---- */

struct cap {
	unsigned int n;
	uint32_t len[64];
	uint8_t b[64][1600];
};
static struct cap caps[NB_P];

static void
take_all(void)
{
	for (int p = 0; p < NB_P; p++) {
		struct rte_mbuf *m[64];
		struct cap *c = &caps[p];

		const char *bad = NULL;

		c->n = evft_capture(pid[p], m, 64);
		for (unsigned int i = 0; i < c->n; i++) {
			const char *r = evft_linearize(m[i], c->b[i], sizeof(c->b[i]), &c->len[i]);

			if (r != NULL)
				bad = r;
			rte_pktmbuf_free(m[i]);
		}
		if (bad != NULL)
			EVFT_OK(bad);
	}
}

#define EXPECT_OUT(net, a0, a1, a2, a3, a4) do {                               \
		const unsigned int w_[NB_P] = { (net), (a0), (a1), (a2), (a3), (a4) }; \
		bool ok_ = true;                                               \
		take_all();                                                    \
		for (int p_ = 0; p_ < NB_P; p_++)                              \
			ok_ &= caps[p_].n == w_[p_];                           \
		if (!ok_)                                                      \
			fprintf(stderr, "\n    %s:%d: out net0/acc0..acc4 %u/%u/%u/%u/%u/%u," \
				" expected %u/%u/%u/%u/%u/%u\n", __FILE__, __LINE__, \
				caps[0].n, caps[1].n, caps[2].n, caps[3].n, caps[4].n, caps[5].n, \
				w_[0], w_[1], w_[2], w_[3], w_[4], w_[5]);     \
		CU_ASSERT(ok_);                                                \
	} while (0)

/* An untagged IPv4/UDP host frame. */
static uint32_t
frame(uint8_t *b, const char *dst, const char *src, int vlan, uint8_t seed)
{
	return evft_frame(b, dst, src, vlan, "10.1.0.1", "10.1.0.2", (uint16_t)(1000 + seed),
		(uint16_t)(2000 + seed), 40, seed);
}

/* f with an 802.1Q tag tci inserted after the MAC addresses. */
static uint32_t
with_tag(uint8_t *out, const uint8_t *f, uint32_t len, uint16_t tci)
{
	memcpy(out, f, 12);
	out[12] = 0x81;
	out[13] = 0x00;
	out[14] = (uint8_t)(tci >> 8);
	out[15] = (uint8_t)tci;
	memcpy(out + 16, f + 12, len - 12);
	return len + 4;
}

/* A VXLAN packet from a remote VTEP to us carrying an untagged inner frame. */
static void
net_in(const char *from, uint32_t vni, const char *dst, const char *src, uint8_t seed,
       uint8_t *inner, uint32_t *ilen)
{
	static uint8_t pkt[512];
	uint8_t in[256];
	struct evft_outer o;
	uint32_t l, len;

	l = frame(in, dst, src, -1, seed);
	evft_outer_init(&o, NODE_MAC, PEER_MAC, from, NODE_V4);
	o.vni = vni;
	len = evft_vxlan(pkt, &o, in, l, NULL);
	evft_inject(pid[P_NET], pkt, len);
	if (inner != NULL) {
		memcpy(inner, in, l);
		*ilen = l;
	}
}

/* A frame from host src on an access port / vlan. */
static void
acc_in(int port, int vlan, const char *dst, const char *src, uint8_t seed)
{
	uint8_t f[256];
	uint32_t len = frame(f, dst, src, vlan, seed);

	evft_inject(pid[port], f, len);
}

/* ---- flows: access -> network ---- */

struct flow_out {
	uint32_t dip;      /**< outer IPv4 destination of the first copy (host order) */
	uint16_t copies;
};

/* Send n frames from H on acc1/vlan to dst[i % ndst], frame i with UDP ports
 * from a fixed pseudo-random sequence (the flow) and IPv4 ID i (not hashed:
 * it identifies the frame in the output); record where each went. */
static void
send_flows(int vlan, const struct rte_ether_addr *dst, unsigned int ndst, unsigned int n,
	   struct flow_out *out)
{
	static uint8_t f[256], b[1600];

	memset(out, 0, n * sizeof(*out));
	for (unsigned int base_i = 0; base_i < n; base_i += 32) {
		struct rte_mbuf *m[32], *o[128];
		unsigned int k = RTE_MIN(32u, n - base_i), got;

		for (unsigned int i = 0; i < k; i++) {
			unsigned int idx = base_i + i;
			char d[EVF_MAC_STRLEN];
			uint32_t len;

			uint32_t r = idx * 2654435761u + 0x9e3779b9u;     /* ports of flow idx */
			uint8_t *ip;

			r ^= r >> 15;
			r *= 2246822519u;
			r ^= r >> 13;
			evf_mac_fmt(&dst[idx % ndst], d, sizeof(d));
			len = evft_frame(f, d, H, vlan, "10.1.0.1", "10.2.0.1",
				(uint16_t)(1024 + (r & 0x7fff)), (uint16_t)(1024 + (r >> 17)), 22,
				(uint8_t)idx);
			ip = f + (vlan >= 0 ? 18 : 14);
			ip[4] = (uint8_t)(idx >> 8);
			ip[5] = (uint8_t)idx;
			evft_ipv4_fix(ip);
			m[i] = evft_mbuf(f, len);
		}
		evft_process(pid[P_ACC1], m, (uint16_t)k);
		got = evft_capture(pid[P_NET], o, RTE_DIM(o));
		for (unsigned int i = 0; i < got; i++) {
			uint32_t len = 0, idx;
			const char *r = evft_linearize(o[i], b, sizeof(b), &len);

			rte_pktmbuf_free(o[i]);
			if (r != NULL) {
				EVFT_OK(r);
				continue;
			}
			/* outer Eth 14 + IPv4 20 + UDP 8 + VXLAN 8, inner Eth 14 + IPv4 20 */
			if (len < 86 || b[12] != 0x08 || b[13] != 0x00) {
				CU_FAIL("not a VXLAN/IPv4 packet");
				continue;
			}
			idx = (uint32_t)b[68] << 8 | b[69];   /* inner IPv4 ID */
			if (idx >= n) {
				CU_FAIL("unknown flow");
				continue;
			}
			if (out[idx].copies++ == 0)
				out[idx].dip = rd32(b + 30);
		}
		evft_drain_all();
		drain_learn_ring();
	}
}

static unsigned int
flows_to(const struct flow_out *out, unsigned int n, const char *ip)
{
	uint32_t a = ip_host(ip);
	unsigned int c = 0;

	for (unsigned int i = 0; i < n; i++)
		c += out[i].copies == 1 && out[i].dip == a;
	return c;
}

static unsigned int
flows_copies(const struct flow_out *out, unsigned int n, unsigned int copies)
{
	unsigned int c = 0;

	for (unsigned int i = 0; i < n; i++)
		c += out[i].copies == copies;
	return c;
}

/* ==== 1. aliasing ==== */

#define M_AL "02:00:00:00:a1:01"

static void
test_aliasing(void)
{
	static struct flow_out out[1000], again[1000];
	struct rte_ether_addr m = evft_mac(M_AL);
	const struct evf_fdb_entry *e;
	unsigned int n1, n2, same = 0;
	uint16_t es;
	int s1, s2;

	fresh();
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_AL, PE1);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_AL, PE2);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE2);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, M_AL, PE1, ESI_AL);
	es = es_id(ESI_AL);
	s1 = slot_of(es, PE1);
	s2 = slot_of(es, PE2);
	CU_ASSERT_FATAL(s1 >= 0 && s2 >= 0 && s1 != s2);
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, (1u << s1) | (1u << s2));
	e = evf_fdb_find(alias_bd, &m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ES);
	CU_ASSERT_EQUAL(evf_dest_aux(e->dest), 1u << s1);   /* the RT2 came from PE1 */
	CU_ASSERT_EQUAL(evf_esevis[evf_dest_target(e->dest)].es, es);
	CU_ASSERT_EQUAL(evf_esevis[evf_dest_target(e->dest)].per_evi_mask,
			(1u << s1) | (1u << s2));

	/* 1000 flows to the MAC: both PEs, each 40-60 %. */
	send_flows(30, &m, 1, 1000, out);
	n1 = flows_to(out, 1000, PE1);
	n2 = flows_to(out, 1000, PE2);
	printf("\n    aliasing: 1000 flows -> %s %u, %s %u ", PE1, n1, PE2, n2);
	CU_ASSERT_EQUAL(n1 + n2, 1000);
	CU_ASSERT(n1 >= 400 && n1 <= 600);
	CU_ASSERT(n2 >= 400 && n2 <= 600);
	CU_ASSERT_EQUAL(evft_all_drops(), 0);
	/* A flow always takes the same PE. */
	send_flows(30, &m, 1, 1000, again);
	for (unsigned int i = 0; i < 1000; i++)
		same += again[i].copies == 1 && again[i].dip == out[i].dip;
	CU_ASSERT_EQUAL(same, 1000);

	/* One packet checked byte by byte (the PE it went to). */
	{
		uint8_t f[256], inner[256];
		struct evft_expect x;
		uint32_t len = frame(f, M_AL, H, 30, 7), ilen;

		evft_inject(pid[P_ACC1], f, len);
		take_all();
		CU_ASSERT_EQUAL_FATAL(caps[P_NET].n, 1);
		memcpy(inner, f, 12);
		memcpy(inner + 12, f + 16, len - 16);
		ilen = len - 4;
		memset(&x, 0, sizeof(x));
		x.dst = evft_mac(NH_MAC);
		x.src = evft_mac(NODE_MAC);
		x.vlan = -1;
		x.sip = evft_ip(NODE_V4);
		x.dip = evft_ip(rd32(caps[P_NET].b[0] + 30) == ip_host(PE1) ? PE1 : PE2);
		x.ttl = 64;
		x.dport = 4789;
		x.sport = -1;
		x.vni = ALIAS_VNI;
		x.inner = inner;
		x.inner_len = ilen;
		EVFT_OK(evft_check_vxlan(caps[P_NET].b[0], caps[P_NET].len[0], &x));
	}

	/* Only PE1 serves the MAC-VRF (per-EVI): every flow to PE1. */
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE2);
	send_flows(30, &m, 1, 1000, out);
	CU_ASSERT_EQUAL(flows_to(out, 1000, PE1), 1000);
	/* Only PE2 does: every flow to PE2, although the RT2 came from PE1. */
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE2);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE1);
	send_flows(30, &m, 1, 1000, out);
	CU_ASSERT_EQUAL(flows_to(out, 1000, PE2), 1000);
	CU_ASSERT_EQUAL(evft_all_drops(), 0);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s esi %s", ALIAS_VNI, M_AL, PE1, ESI_AL);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE2);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_AL, PE1);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_AL, PE2);
	CU_ASSERT_PTR_NULL(evf_fdb_find(alias_bd, &m));
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, 0);
	CU_ASSERT_EQUAL(evf_ess[es].peer_mask, 0);
	evf_rcu_drain();
	CU_ASSERT(slot_of(es, PE1) < 0 && slot_of(es, PE2) < 0);
	finish();
}

/* ==== 2. mass withdrawal ==== */

static struct rte_ether_addr
mass_mac(uint32_t i)
{
	struct rte_ether_addr a = {{ 0x02, 0x4d, 0x00, (uint8_t)(i >> 16), (uint8_t)(i >> 8),
				      (uint8_t)i }};
	return a;
}

/* MAC i is advertised by PE1 (even i) or PE2 (odd i); MACs below 100 by both. */
#define MASS_BOTH 100u

static void
mass_route(struct evf_route *r, uint32_t i, const char *vtep, bool withdraw)
{
	memset(r, 0, sizeof(*r));
	r->type = EVF_RT_MAC;
	r->withdraw = withdraw;
	r->vni = ALIAS_VNI;
	r->mac = mass_mac(i);
	r->vtep = evft_ip(vtep);
	r->esi = esi(ESI_MASS);
}

/* Every mass MAC's RT2 from one PE (alternating), the first MASS_BOTH from
 * the other PE too; returns how many were refused. */
static uint32_t
mass_routes(bool withdraw)
{
	struct evf_route r;
	uint32_t bad = 0;

	for (uint32_t i = 0; i < MASS_MACS; i++) {
		mass_route(&r, i, i & 1 ? PE2 : PE1, withdraw);
		bad += evf_route_apply(&r) != EVF_RR_OK;
		if (i < MASS_BOTH) {
			mass_route(&r, i, i & 1 ? PE1 : PE2, withdraw);
			bad += evf_route_apply(&r) != EVF_RR_OK;
		}
	}
	return bad;
}

static double
us(uint64_t cycles)
{
	return (double)cycles * 1e6 / (double)hz;
}

static void
test_mass_withdrawal(void)
{
	static uint64_t dest0[MASS_MACS];
	static struct evf_fdb_entry *ent[MASS_MACS];
	static struct rte_ether_addr sample[64];
	static uint32_t sample_i[64];
	static struct flow_out out[64];
	struct evf_route r;
	uint32_t fdb0, bad = 0, changed = 0;
	uint64_t t, t_install, t_wd1, t_wd1_route, t_wd2, t_rt2del;
	uint16_t es;
	uint8_t b1, b2;
	int s1, s2;

	fresh();
	fdb0 = evf_fdb_count();
	ROUTE_OK("rt3 add vni %u vtep %s", ALIAS_VNI, FLOODV);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_MASS, PE1);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_MASS, PE2);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_MASS, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_MASS, ALIAS_VNI, PE2);
	es = es_id(ESI_MASS);
	s1 = slot_of(es, PE1);
	s2 = slot_of(es, PE2);
	CU_ASSERT_FATAL(s1 >= 0 && s2 >= 0);
	b1 = (uint8_t)(1u << s1);
	b2 = (uint8_t)(1u << s2);

	t = rte_rdtsc();
	bad += mass_routes(false);
	t_install = rte_rdtsc() - t;
	CU_ASSERT_EQUAL_FATAL(bad, 0);
	CU_ASSERT_EQUAL_FATAL(evf_fdb_count(), fdb0 + MASS_MACS);
	for (uint32_t i = 0; i < MASS_MACS; i++) {
		struct rte_ether_addr mac = mass_mac(i);
		uint8_t want = i < MASS_BOTH ? (uint8_t)(b1 | b2) : i & 1 ? b2 : b1;

		ent[i] = evf_fdb_find(alias_bd, &mac);
		if (ent[i] == NULL) {
			bad++;
			continue;
		}
		dest0[i] = ent[i]->dest;
		bad += evf_dest_kind(dest0[i]) != EVF_DEST_ES || evf_dest_aux(dest0[i]) != want;
	}
	CU_ASSERT_EQUAL_FATAL(bad, 0);
	for (unsigned int k = 0; k < 64; k++) {
		sample_i[k] = k < 8 ? k * 11 : (k * 1543u + 7u) % MASS_MACS;
		sample[k] = mass_mac(sample_i[k]);
	}

	/* Aliasing: every sampled MAC to PE1 or PE2. */
	send_flows(30, sample, 64, 64, out);
	CU_ASSERT_EQUAL(flows_to(out, 64, PE1) + flows_to(out, 64, PE2), 64);

	/* PE1 withdraws its RT1 per-ES: one byte changes. */
	mass_route(&r, 0, PE1, true);
	r.type = EVF_RT_AD;
	r.per_es = true;
	memset(&r.mac, 0, sizeof(r.mac));
	r.vni = 0;
	t = rte_rdtsc();
	CU_ASSERT_EQUAL(evf_route_apply(&r), EVF_RR_OK);
	t_wd1 = rte_rdtsc() - t;
	t_wd1_route = evf_route_counters.last_apply_cycles;
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, b2);
	for (uint32_t i = 0; i < MASS_MACS; i++)
		changed += ent[i]->dest != dest0[i] || ent[i]->in_use != 1;
	CU_ASSERT_EQUAL(changed, 0);
	/* ... and the workers' view (the hash data) is the same too. */
	for (uint32_t i = 0; i < MASS_MACS; i += 64) {
		struct evf_fdb_key keys[64];
		const struct evf_fdb_key *kp[64];
		uint64_t hits = 0, d[64];
		uint32_t n = RTE_MIN(64u, MASS_MACS - i);

		for (uint32_t j = 0; j < n; j++) {
			memset(&keys[j], 0, sizeof(keys[j]));
			keys[j].mac = mass_mac(i + j);
			keys[j].bd = alias_bd;
			kp[j] = &keys[j];
		}
		evf_fdb_lookup_bulk(kp, n, &hits, d);
		for (uint32_t j = 0; j < n; j++)
			changed += !((hits >> j) & 1) || d[j] != dest0[i + j];
	}
	CU_ASSERT_EQUAL(changed, 0);
	send_flows(30, sample, 64, 64, out);
	CU_ASSERT_EQUAL(flows_to(out, 64, PE2), 64);

	/* PE2's per-ES too: the VTEPs of each MAC's own RT2 routes (aux). */
	mass_route(&r, 0, PE2, true);
	r.type = EVF_RT_AD;
	r.per_es = true;
	memset(&r.mac, 0, sizeof(r.mac));
	r.vni = 0;
	t = rte_rdtsc();
	CU_ASSERT_EQUAL(evf_route_apply(&r), EVF_RR_OK);
	t_wd2 = rte_rdtsc() - t;
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, 0);
	for (uint32_t i = 0; i < MASS_MACS; i++)
		changed += ent[i]->dest != dest0[i];
	CU_ASSERT_EQUAL(changed, 0);
	send_flows(30, sample, 64, 64, out);
	{
		unsigned int ok = 0;

		for (unsigned int k = 0; k < 64; k++) {
			uint32_t i = sample_i[k];

			if (out[k].copies != 1)
				continue;
			if (i < MASS_BOTH)
				ok += out[k].dip == ip_host(PE1) || out[k].dip == ip_host(PE2);
			else
				ok += out[k].dip == ip_host(i & 1 ? PE2 : PE1);
		}
		CU_ASSERT_EQUAL(ok, 64);
	}
	CU_ASSERT_EQUAL(evft_all_drops(), 0);

	/* The RT2 routes go: unknown unicast, flooded to the flood list. */
	bad = 0;
	t = rte_rdtsc();
	bad += mass_routes(true);
	t_rt2del = rte_rdtsc() - t;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(evf_fdb_count(), fdb0);
	send_flows(30, sample, 64, 64, out);
	CU_ASSERT_EQUAL(flows_to(out, 64, FLOODV), 64);
	CU_ASSERT_EQUAL(flows_copies(out, 64, 1), 64);

	printf("\n    %u MACs (%u RT2 routes): install %.0f us; RT1 per-ES withdraw PE1 %.2f us"
	       " (route layer: %.2f us), PE2 %.2f us; RT2 withdraw all %.0f us ",
	       MASS_MACS, MASS_MACS + MASS_BOTH, us(t_install), us(t_wd1),
	       us(t_wd1_route), us(t_wd2), us(t_rt2del));

	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_MASS, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_MASS, ALIAS_VNI, PE2);
	ROUTE_OK("rt3 del vni %u vtep %s", ALIAS_VNI, FLOODV);
	evf_rcu_drain();
	CU_ASSERT(slot_of(es, PE1) < 0 && slot_of(es, PE2) < 0);
	finish();
}

/* ==== 3. remote single-active ==== */

#define M_SA "02:00:00:00:5a:a1"

static void
test_remote_single_active(void)
{
	static struct flow_out out[200];
	struct rte_ether_addr m = evft_mac(M_SA);
	uint16_t es;

	fresh();
	ROUTE_OK("rt1 add esi %s vtep %s single-active", ESI_SAR, PE1);
	ROUTE_OK("rt1 add esi %s vtep %s single-active", ESI_SAR, PE2);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_SAR, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_SAR, ALIAS_VNI, PE2);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, M_SA, PE1, ESI_SAR);
	es = es_id(ESI_SAR);
	CU_ASSERT_EQUAL(evf_ess[es].single_active, 1);

	/* The primary (the PE that advertised the MAC) takes every flow. */
	send_flows(30, &m, 1, 200, out);
	CU_ASSERT_EQUAL(flows_to(out, 200, PE1), 200);
	/* It withdraws its RT1 per-ES: the backup takes every flow. */
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_SAR, PE1);
	send_flows(30, &m, 1, 200, out);
	CU_ASSERT_EQUAL(flows_to(out, 200, PE2), 200);
	/* It comes back: the primary again. */
	ROUTE_OK("rt1 add esi %s vtep %s single-active", ESI_SAR, PE1);
	send_flows(30, &m, 1, 200, out);
	CU_ASSERT_EQUAL(flows_to(out, 200, PE1), 200);
	CU_ASSERT_EQUAL(evft_all_drops(), 0);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s", ALIAS_VNI, M_SA, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_SAR, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_SAR, ALIAS_VNI, PE2);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_SAR, PE1);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_SAR, PE2);
	CU_ASSERT_EQUAL(evf_ess[es].single_active, 0);
	finish();
}

/* ==== 4. local segments ==== */

#define SYNC_MAC "02:00:00:00:0a:51"

/* es-mod (acc0, modulo, df-timer 0) in red (EVI 1000) and blue (EVI 1001). */
static void
test_local_modulo(void)
{
	uint16_t es = es_id(ESI_MOD);
	struct evf_es_df_view v;
	const struct evf_event *ev;
	uint8_t inner[256], want[256];
	uint32_t ilen, wlen;

	fresh();
	CU_ASSERT(df_is(a_red0, NODE_V4) && df_is(a_blue0, NODE_V4));
	/* The peer's RT4: a candidate once the DF timer (0 s) has run. */
	ROUTE_OK("rt4 add esi %s vtep %s", ESI_MOD, P_MOD);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.nb_candidates, 2);
	CU_ASSERT(v.self_candidate);
	CU_ASSERT_EQUAL(v.oper_alg, EVF_DF_MODULO);
	CU_ASSERT(v.timer_running);
	CU_ASSERT(df_of(a_blue0));
	CU_ASSERT_NOT_EQUAL(evf_ess[es].peer_mask, 0);
	evf_es_poll(rte_rdtsc());
	/* Candidates 198.18.0.1 < 198.18.0.21: EVI 1000 mod 2 = 0 -> us,
	 * EVI 1001 mod 2 = 1 -> the peer. */
	CU_ASSERT(df_of(a_red0));
	CU_ASSERT(!df_of(a_blue0));
	CU_ASSERT(df_is(a_red0, NODE_V4));
	CU_ASSERT(df_is(a_blue0, P_MOD));
	ev = ev_last(EVF_EV_DF_CHANGE, NULL, ESI_MOD, BLUE_VNI);
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev != NULL)
		CU_ASSERT_EQUAL(ev->flag, 0);
	/* Only blue changed: no DF-change event for red. */
	if (ev_count(EVF_EV_DF_CHANGE, NULL, ESI_MOD, RED_VNI) != 0)
		fprintf(stderr, "\n    %u df-change event(s) for red, whose DF did not change\n",
			ev_count(EVF_EV_DF_CHANGE, NULL, ESI_MOD, RED_VNI));
	CU_ASSERT_EQUAL(ev_count(EVF_EV_DF_CHANGE, NULL, ESI_MOD, RED_VNI), 0);

	/* BUM from another VTEP: red (DF) reaches acc0, blue (not DF) does not. */
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:01", 1, inner, &ilen);
	EXPECT_OUT(0, 1, 1, 1, 1, 1);
	wlen = with_tag(want, inner, ilen, 10);
	CU_ASSERT(caps[P_ACC0].n == 1 && caps[P_ACC0].len[0] == wlen &&
		  memcmp(caps[P_ACC0].b[0], want, wlen) == 0);
	net_in(XV, BLUE_VNI, BCAST, "02:00:00:00:77:02", 2, NULL, NULL);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);
	net_in(XV, BLUE_VNI, "02:00:00:00:99:99", "02:00:00:00:77:03", 3, NULL, NULL);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 2);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_LOCAL_BIAS), 0);
	/* BUM from the peer never goes back to the segment (local bias), DF or not. */
	net_in(P_MOD, RED_VNI, BCAST, "02:00:00:00:77:04", 4, NULL, NULL);
	EXPECT_OUT(0, 0, 1, 1, 1, 1);
	net_in(P_MOD, BLUE_VNI, BCAST, "02:00:00:00:77:05", 5, NULL, NULL);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_LOCAL_BIAS), 2);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 2);
	/* BUM arriving on the segment goes to every other local attachment
	 * whatever the DF state. */
	acc_in(P_ACC0, 20, BCAST, "02:00:00:00:0a:01", 6);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);

	/* A MAC behind our own segment, synced by the peer's RT2 with the
	 * segment's ESI (MAC sync): local on our attachment of the segment, with
	 * the peer's sequence, advertised by us too (mac-learned); delivered on
	 * our attachment, from access and network. */
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 4", RED_VNI, SYNC_MAC, P_MOD, ESI_MOD);
	{
		struct rte_ether_addr sm = evft_mac(SYNC_MAC);
		const struct evf_fdb_entry *se = evf_fdb_find(red, &sm);
		const struct evf_event *ev = ev_last(EVF_EV_MAC_LEARNED, SYNC_MAC, ESI_MOD, RED_VNI);

		CU_ASSERT_PTR_NOT_NULL_FATAL(se);
		CU_ASSERT_EQUAL(se->origin, EVF_FDB_LEARNED);
		CU_ASSERT_EQUAL(evf_dest_kind(se->dest), EVF_DEST_ATTACH);
		CU_ASSERT_EQUAL(evf_dest_target(se->dest), a_red0);
		CU_ASSERT_EQUAL(se->seq, 4);
		CU_ASSERT(ev != NULL && ev->mob_seq == 4 && ev->attach == a_red0);
	}
	acc_in(P_ACC1, 10, SYNC_MAC, H, 8);
	EXPECT_OUT(0, 1, 0, 0, 0, 0);
	net_in(XV, RED_VNI, SYNC_MAC, "02:00:00:00:77:07", 9, NULL, NULL);
	EXPECT_OUT(0, 1, 0, 0, 0, 0);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, SYNC_MAC, P_MOD);

	/* The peer leaves: re-elected at once, no timer. */
	nb_evs = 0;
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_MOD, P_MOD);
	CU_ASSERT(df_of(a_blue0));
	CU_ASSERT(df_of(a_red0));
	CU_ASSERT_EQUAL(evf_ess[es].peer_mask, 0);
	ev = ev_last(EVF_EV_DF_CHANGE, NULL, ESI_MOD, BLUE_VNI);
	CU_ASSERT(ev != NULL && ev->flag == 1);
	/* No longer a peer: its BUM is delivered. */
	net_in(P_MOD, BLUE_VNI, BCAST, "02:00:00:00:77:06", 7, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 0, 0, 0);
	finish();
}

/* es-timer (acc3, df-timer 3): a joining PE waits 3 s, a leaving one does not. */
static void
test_local_df_timer(void)
{
	uint16_t es = es_id(ESI_TIMER);
	struct evf_es_df_view v;
	const struct evf_es_df *table;
	const struct evf_event *ev;
	uint64_t t0;

	fresh();
	CU_ASSERT(df_of(a_red3));
	table = evf_ess[es].df;
	t0 = rte_rdtsc();
	ROUTE_OK("rt4 add esi %s vtep %s", ESI_TIMER, Q_LOW);
	evf_es_df_view(es, &v);
	CU_ASSERT(v.timer_running);
	CU_ASSERT(v.timer_left_ms <= 3000);
	CU_ASSERT_EQUAL(v.nb_candidates, 2);
	/* Candidates 10.0.0.5 < 198.18.0.1: EVI 1000 -> the peer, but not before 3 s. */
	CU_ASSERT(df_is(a_red3, Q_LOW));
	CU_ASSERT(df_of(a_red3));
	evf_es_poll(t0 + hz * 29 / 10);
	CU_ASSERT(df_of(a_red3));
	CU_ASSERT_PTR_EQUAL(evf_ess[es].df, table);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_DF_CHANGE, NULL, ESI_TIMER, 0), 0);
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:11", 1, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 1, 1, 1);
	/* 3 s later (synthetic TSC): applied. */
	evf_es_poll(rte_rdtsc() + 3 * hz + hz / 100);
	CU_ASSERT(!df_of(a_red3));
	evf_es_df_view(es, &v);
	CU_ASSERT(!v.timer_running);
	ev = ev_last(EVF_EV_DF_CHANGE, NULL, ESI_TIMER, RED_VNI);
	CU_ASSERT(ev != NULL && ev->flag == 0);
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:12", 2, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 1, 0, 1);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 1);

	/* The peer leaves: DF again at once. */
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_TIMER, Q_LOW);
	CU_ASSERT(df_of(a_red3));
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:13", 3, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 1, 1, 1);

	/* Mixed algorithms fall back to modulo (RFC 8584 2.2); a third PE joining
	 * waits for the timer as well. */
	ROUTE_OK("rt4 add esi %s vtep %s df-alg hrw", ESI_TIMER, Q_LOW);
	evf_es_poll(rte_rdtsc() + 4 * hz);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_alg, EVF_DF_MODULO);    /* we say modulo, it says hrw */
	CU_ASSERT(!df_of(a_red3));
	t0 = rte_rdtsc();
	ROUTE_OK("rt4 add esi %s vtep %s df-alg modulo", ESI_TIMER, "198.18.0.200");
	evf_es_poll(t0 + hz);
	CU_ASSERT(!df_of(a_red3));
	/* 3 candidates 10.0.0.5, 198.18.0.1, 198.18.0.200: 1000 mod 3 = 1 -> us */
	evf_es_poll(rte_rdtsc() + 4 * hz);
	CU_ASSERT(df_of(a_red3));
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_TIMER, Q_LOW);
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_TIMER, "198.18.0.200");
	CU_ASSERT(df_of(a_red3));
	finish();
}

static bool
pref_down(void)
{
	struct evf_esi x = esi(ESI_PREF);

	return !evf_ess[evf_es_find(&x)].local_up;
}

static bool
pref_up_settled(void)
{
	struct evf_esi x = esi(ESI_PREF);
	uint16_t es = (uint16_t)evf_es_find(&x);
	struct evf_es_df_view v;

	evf_es_df_view(es, &v);
	return evf_ess[es].local_up && v.self_candidate && !v.activating && !v.timer_running;
}

/* A peer advertising a DF type we do not run (3, lowest preference, or any
 * other number) stays a candidate: the segment falls back to modulo for
 * everyone (RFC 8584 2.2) instead of each PE electing itself. es-mod (acc0):
 * ours 198.18.0.1 < peer 198.18.0.21; red EVI 1000 -> us, blue 1001 -> peer. */
static void
test_unknown_df_type(void)
{
	uint16_t es = es_id(ESI_MOD);
	struct evf_es_df_view v;

	fresh();
	CU_ASSERT(df_of(a_red0));
	CU_ASSERT(df_of(a_blue0));
	ROUTE_OK("rt4 add esi %s vtep %s df-alg 3", ESI_MOD, P_MOD);
	evf_es_poll(rte_rdtsc() + hz);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.nb_candidates, 2);
	CU_ASSERT_EQUAL(v.oper_alg, EVF_DF_MODULO);
	CU_ASSERT(df_of(a_red0));
	CU_ASSERT(!df_of(a_blue0));
	CU_ASSERT(df_is(a_blue0, P_MOD));
	ROUTE_OK("rt4 add esi %s vtep %s df-alg 255", ESI_MOD, P_MOD);
	evf_es_poll(rte_rdtsc() + hz);
	CU_ASSERT(!df_of(a_blue0));
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_MOD, P_MOD);
	CU_ASSERT(df_of(a_blue0));
	finish();
}

/* es-pref up and a candidate, its first DF election still waiting. */
static bool
pref_waiting(void)
{
	struct evf_esi x = esi(ESI_PREF);
	uint16_t es = (uint16_t)evf_es_find(&x);
	struct evf_es_df_view v;

	evf_es_df_view(es, &v);
	return evf_ess[es].local_up && v.self_candidate && !v.activating && v.timer_running;
}

/* es-pref (acc4): preference 200 with dont-preempt. */
static void
test_local_preference(void)
{
	uint16_t es = es_id(ESI_PREF);
	struct evf_es_df_view v;
	const struct evf_event *ev;

	fresh();
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_alg, EVF_DF_PREFERENCE);
	CU_ASSERT_EQUAL(v.oper_pref, 200);
	CU_ASSERT(v.oper_dp);

	/* Our segment goes down (port disabled): no longer a candidate. */
	evf_ports[pid[P_ACC4]].admin_up = 0;
	CU_ASSERT_FATAL(poll_until(pref_down));
	CU_ASSERT_EQUAL(ev_count(EVF_EV_ES_DOWN, NULL, ESI_PREF, 0), 1);
	CU_ASSERT(!df_of(a_red4));
	/* Meanwhile the peer, preference 100 non-revertive, is DF. */
	ROUTE_OK("rt4 add esi %s vtep %s df-alg preference pref 100 dont-preempt", ESI_PREF, P_PREF);
	CU_ASSERT(df_is(a_red4, P_PREF));

	/* We come back with preference 200: we do not take over. We advertise
	 * the DF's preference with Don't-Preempt clear (RFC 9785 non-revertive). */
	nb_evs = 0;
	evf_ports[pid[P_ACC4]].admin_up = 1;
	CU_ASSERT_FATAL(poll_until(pref_up_settled));
	ev = ev_last(EVF_EV_ES_UP, NULL, ESI_PREF, 0);
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev != NULL) {
		CU_ASSERT_EQUAL(ev->pref, 100);
		CU_ASSERT_EQUAL(ev->flag, 0);
		CU_ASSERT_EQUAL(ev->df_alg, EVF_DF_PREFERENCE);
	}
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_pref, 100);
	CU_ASSERT(!v.oper_dp);
	CU_ASSERT_EQUAL(v.nb_candidates, 2);
	CU_ASSERT(!df_of(a_red4));
	CU_ASSERT(df_is(a_red4, P_PREF));
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:21", 1, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 1, 1, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 1);

	/* The peer leaves: ours at once, and we advertise our own preference
	 * with Don't-Preempt set again (RFC 9785 4.2), so that ... */
	nb_evs = 0;
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_PREF, P_PREF);
	CU_ASSERT(df_of(a_red4));
	ev = ev_last(EVF_EV_ES_UP, NULL, ESI_PREF, 0);
	CU_ASSERT(ev != NULL && ev->pref == 200 && ev->flag == 1);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_pref, 200);
	CU_ASSERT(v.oper_dp);
	/* ... the peer coming back (it advertises our preference, DP clear, as
	 * the rule makes it) does not take the role back: non-revertive. */
	ROUTE_OK("rt4 add esi %s vtep %s df-alg preference pref 200", ESI_PREF, P_PREF);
	evf_es_poll(rte_rdtsc() + hz); /* past any DF timer */
	CU_ASSERT(df_of(a_red4));
	/* A refresh of the same RT4 starts no new election (no DF timer). */
	ROUTE_OK("rt4 add esi %s vtep %s df-alg preference pref 200", ESI_PREF, P_PREF);
	evf_es_df_view(es, &v);
	CU_ASSERT(!v.timer_running);
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_PREF, P_PREF);

	/* Coming up before the peers' RT4s arrive: until our first election
	 * the choice follows each RT4 received. es-pref has no DF timer; give
	 * it one (3 s) for this step, as if configured, so there is a window. */
	((struct evf_es_local_cfg *)(uintptr_t)evf_es_local_cfg(es))->df_timer_ms = 3000;
	evf_ports[pid[P_ACC4]].admin_up = 0;
	CU_ASSERT_FATAL(poll_until(pref_down));
	evf_ports[pid[P_ACC4]].admin_up = 1;
	CU_ASSERT_FATAL(poll_until(pref_waiting));
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_pref, 200);   /* alone so far: our own */
	CU_ASSERT(v.oper_dp);
	nb_evs = 0;
	ROUTE_OK("rt4 add esi %s vtep %s df-alg preference pref 100 dont-preempt", ESI_PREF, P_PREF);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_pref, 100);   /* the holder's, DP clear */
	CU_ASSERT(!v.oper_dp);
	ev = ev_last(EVF_EV_ES_UP, NULL, ESI_PREF, 0);
	CU_ASSERT(ev != NULL && ev->pref == 100 && ev->flag == 0);
	evf_es_poll(rte_rdtsc() + 4 * hz);
	CU_ASSERT(!df_of(a_red4));
	CU_ASSERT(df_is(a_red4, P_PREF));
	((struct evf_es_local_cfg *)(uintptr_t)evf_es_local_cfg(es))->df_timer_ms = 0;
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_PREF, P_PREF);
	finish();
}

/* es-sa (acc2, single-active): the non-DF link carries nothing. */
#define S_HOST "02:00:00:00:2a:01"

static void
test_local_single_active(void)
{
	uint16_t es = es_id(ESI_SA);
	struct rte_ether_addr s = evft_mac(S_HOST);
	const struct evf_fdb_entry *e;

	fresh();
	CU_ASSERT_EQUAL(evf_ess[es].single_active, 1);
	/* DF (alone): a host on the segment speaks, is learned, is reachable. */
	acc_in(P_ACC2, 10, BCAST, S_HOST, 1);
	EXPECT_OUT(0, 1, 1, 0, 1, 1);
	evf_ctl_poll_once();
	e = evf_fdb_find(red, &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red2);
	net_in(XV, RED_VNI, S_HOST, "02:00:00:00:77:31", 2, NULL, NULL);
	EXPECT_OUT(0, 0, 0, 1, 0, 0);

	/* A peer with a lower address joins: DF for EVI 1000, we are not. */
	ROUTE_OK("rt4 add esi %s vtep %s", ESI_SA, Q_SA);
	evf_es_poll(rte_rdtsc());
	CU_ASSERT(!df_of(a_red2));
	CU_ASSERT(df_is(a_red2, Q_SA));
	/* Frames from the link: dropped. */
	acc_in(P_ACC2, 10, BCAST, S_HOST, 3);
	acc_in(P_ACC2, 10, H, S_HOST, 4);
	EXPECT_OUT(0, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 2);
	/* Losing DF flushed the host learned on the link (withdrawn: mac-aged):
	 * it is reached through the DF now. */
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &s));
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, S_HOST, NULL, RED_VNI), 1);
	/* The DF advertises the host with the segment's ESI: unicast from another
	 * attachment goes to the DF over VXLAN, not to the blocked link. */
	ROUTE_OK("rt1 add esi %s vtep %s single-active", ESI_SA, Q_SA);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_SA, RED_VNI, Q_SA);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s", RED_VNI, S_HOST, Q_SA, ESI_SA);
	{
		static struct flow_out out[8];

		send_flows(10, &s, 1, 8, out);
		CU_ASSERT_EQUAL(flows_to(out, 8, Q_SA), 8);
	}
	/* and from the network it is not sent back to the network */
	net_in(XV, RED_VNI, S_HOST, "02:00:00:00:77:32", 5, NULL, NULL);
	EXPECT_OUT(0, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 2);
	/* BUM from the network: everywhere but the blocked link. */
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:33", 7, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 0, 1, 1);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 3);

	/* The peer leaves: the link forwards again at once, and the host
	 * (known through the segment) is delivered on it. */
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_SA, Q_SA);
	CU_ASSERT(df_of(a_red2));
	net_in(XV, RED_VNI, S_HOST, "02:00:00:00:77:34", 8, NULL, NULL);
	EXPECT_OUT(0, 0, 0, 1, 0, 0);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, S_HOST, Q_SA);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_SA, RED_VNI, Q_SA);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_SA, Q_SA);
	finish();
}

/* ==== 5. MAC mobility ==== */

static enum evf_learn_result
learn(uint16_t bd, uint16_t attach, const char *mac)
{
	struct evf_learn_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.mac = evft_mac(mac);
	ev.bd = bd;
	ev.attach = attach;
	return evf_fdb_learn(&ev);
}

static const struct evf_fdb_entry *
entry(uint16_t bd, const char *mac)
{
	struct rte_ether_addr m = evft_mac(mac);

	return evf_fdb_find(bd, &m);
}

/* Where (bd, mac) points: "attach:NAME", "vtep:IP", "es", "none" or "absent". */
static const char *
where(uint16_t bd, const char *mac)
{
	static char buf[96];
	const struct evf_fdb_entry *e = entry(bd, mac);
	char ip[EVF_IP_STRLEN];

	if (e == NULL)
		return "absent";
	switch (evf_dest_kind(e->dest)) {
	case EVF_DEST_ATTACH:
		snprintf(buf, sizeof(buf), "attach:%s", evf_attachs[evf_dest_target(e->dest)].name);
		break;
	case EVF_DEST_VTEP:
		snprintf(buf, sizeof(buf), "vtep:%s",
			 evf_ip_fmt(&evf_vteps[evf_dest_target(e->dest)].ip, ip, sizeof(ip)));
		break;
	case EVF_DEST_ES:
		snprintf(buf, sizeof(buf), "es");
		break;
	default:
		snprintf(buf, sizeof(buf), "none");
	}
	return buf;
}

#define EXPECT_WHERE(bd, mac, want) do {                                       \
		const char *w_ = where((bd), (mac));                           \
		if (strcmp(w_, (want)) != 0)                                   \
			fprintf(stderr, "\n    %s:%d: %s is at %s, expected %s\n", \
				__FILE__, __LINE__, (mac), w_, (want));        \
		CU_ASSERT_STRING_EQUAL(w_, (want));                            \
	} while (0)

static char a40[48], a41[48];

static void
mob_names(void)
{
	snprintf(a40, sizeof(a40), "attach:%s", evf_attachs[a_mob40].name);
	snprintf(a41, sizeof(a41), "attach:%s", evf_attachs[a_mob41].name);
}

/* A remote MAC that appears on a local port, through the data path: the
 * worker reports it, the control loop makes it local with sequence + 1
 * (RFC 7432 15, doc/multihoming.md "A remote MAC seen locally becomes local
 * with sequence remote + 1"). */
#define M_DP "02:00:00:00:4d:01"

static void
test_mobility_data_path(void)
{
	const struct evf_fdb_entry *e;
	const struct evf_event *ev;

	fresh();
	mob_names();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 7", MOB_VNI, M_DP, VA);
	EXPECT_WHERE(mob, M_DP, "vtep:" VA);
	acc_in(P_ACC1, 40, BCAST, M_DP, 1);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);                    /* flooded to acc1.41 */
	if (rte_ring_count(evf_workers[0].learn_ring) != 1)
		fprintf(stderr, "\n    the worker reported %u learn events for a remote MAC seen"
			" locally, expected 1\n", rte_ring_count(evf_workers[0].learn_ring));
	CU_ASSERT_EQUAL(rte_ring_count(evf_workers[0].learn_ring), 1);
	evf_ctl_poll_once();
	EXPECT_WHERE(mob, M_DP, a40);
	e = entry(mob, M_DP);
	if (e != NULL) {
		CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
		CU_ASSERT_EQUAL(e->seq, 8);
	}
	ev = ev_last(EVF_EV_MAC_MOVED, M_DP, NULL, MOB_VNI);  /* remote -> here: re-advertise */
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev != NULL) {
		CU_ASSERT_EQUAL(ev->mob_seq, 8);
		CU_ASSERT_EQUAL(ev->attach, a_mob40);
	}
	/* Traffic to it stays local. */
	acc_in(P_ACC1, 41, M_DP, H, 2);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M_DP, VA);
	finish();
}

#define M1 "02:00:00:00:4d:11"
#define M2 "02:00:00:00:4d:12"
#define M3 "02:00:00:00:4d:13"
#define M4 "02:00:00:00:4d:14"

/* The ES peer advertises a MAC of our segment with the segment's ESI (MAC
 * sync of an all-active LAG: the host hashes to both leafs). That is
 * aliasing, not mobility (RFC 7432 14 and 15): the MAC stays local on the
 * segment's attachment, takes the peer's higher sequence, and never counts as
 * a move; a route from a VTEP outside the segment is still a move.
 * es-timer's peer Q_LOW has a lower address than ours, so without the rule
 * an equal sequence would hand the MAC to it. */
#define MS1 "02:00:00:00:5e:01"
#define MS2 "02:00:00:00:5e:02"

static void
test_es_peer_sync_not_a_move(void)
{
	const struct evf_fdb_entry *e;
	const struct evf_event *ev;

	fresh();
	nb_evs = 0;
	/* Learned here first, then synced by the peer (equal, then higher seq). */
	CU_ASSERT_EQUAL(learn(red, a_red3, MS1), EVF_LEARN_NEW);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 0", RED_VNI, MS1, Q_LOW, ESI_TIMER);
	e = entry(red, MS1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ATTACH);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(e->seq, 0);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 3", RED_VNI, MS1, Q_LOW, ESI_TIMER);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(e->seq, 3);
	CU_ASSERT_EQUAL(learn(red, a_red3, MS1), EVF_LEARN_REFRESHED);

	/* Synced by the peer first (MAC sync): local at once with the peer's
	 * sequence, announced as learned (we advertise it too), not moved; seen
	 * here afterwards, only refreshed. */
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 2", RED_VNI, MS2, Q_LOW, ESI_TIMER);
	e = entry(red, MS2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ATTACH);
	CU_ASSERT_EQUAL(learn(red, a_red3, MS2), EVF_LEARN_REFRESHED);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(e->seq, 2);
	ev = ev_last(EVF_EV_MAC_LEARNED, MS2, NULL, RED_VNI);
	CU_ASSERT(ev != NULL && ev->mob_seq == 2 && ev->attach == a_red3);

	/* The peer withdraws and re-advertises, the host keeps talking on both
	 * links: many rounds within the detection window, never frozen. */
	for (int i = 0; i < 8; i++) {
		ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS2, Q_LOW);
		ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 2", RED_VNI, MS2, Q_LOW,
			 ESI_TIMER);
		learn(red, a_red3, MS2);
		CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	}
	CU_ASSERT_EQUAL(e->frozen, 0);
	CU_ASSERT_EQUAL(e->moves, 0);
	CU_ASSERT_EQUAL(e->seq, 2);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_MOVED, NULL, NULL, 0), 0);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_FROZEN, NULL, NULL, 0), 0);

	/* A VTEP outside the segment with a higher sequence: a real move. */
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 4", RED_VNI, MS1, XV);
	e = entry(red, MS1);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_VTEP);
	ev = ev_last(EVF_EV_MAC_MOVED, MS1, NULL, RED_VNI);
	CU_ASSERT(ev != NULL && ev->attach == EVF_INVALID_ID && ev->mob_seq == 4);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS1, XV);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS1, Q_LOW);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS2, Q_LOW);
	finish();
}

/* Sequence numbers through the control-thread API the learn ring feeds. */
static uint32_t mob_t;

/* Next step of the MAC clock, past the duplicate-detection window (180 s) so
 * that this test's moves are never counted together. */
static void
tick(void)
{
	mob_t += 200;
	evf_now_sec = mob_t;
}

static void
test_mobility_sequence(void)
{
	static struct flow_out out[4];
	const struct evf_fdb_entry *e;
	const struct evf_event *ev;
	struct rte_ether_addr m1 = evft_mac(M1);

	fresh();
	mob_names();
	mob_t = evf_clock_sec() + 300000;
	tick();
	/* Local learn of a remote MAC: sequence remote + 1, MAC_MOVED with the attachment. */
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 7", MOB_VNI, M1, VA);
	tick();
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M1), EVF_LEARN_MOVED);
	EXPECT_WHERE(mob, M1, a40);
	e = entry(mob, M1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->seq, 8);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	ev = ev_last(EVF_EV_MAC_MOVED, M1, NULL, MOB_VNI);
	CU_ASSERT(ev != NULL && ev->mob_seq == 8 && ev->attach == a_mob40);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_LEARNED, M1, NULL, 0), 0);

	/* A route with a higher sequence: the MAC moved away; MAC_MOVED with no attachment. */
	nb_evs = 0;
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 9", MOB_VNI, M1, VA);
	EXPECT_WHERE(mob, M1, "vtep:" VA);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
	ev = ev_last(EVF_EV_MAC_MOVED, M1, NULL, MOB_VNI);
	CU_ASSERT(ev != NULL && ev->attach == EVF_INVALID_ID);
	send_flows(41, &m1, 1, 4, out);
	CU_ASSERT_EQUAL(flows_to(out, 4, VA), 4);

	/* Equal sequence: the lower VTEP address. */
	tick();
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M1), EVF_LEARN_MOVED);
	CU_ASSERT_EQUAL(e->seq, 10);
	EXPECT_WHERE(mob, M1, a41);
	nb_evs = 0;
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 10", MOB_VNI, M1, VB);  /* 198.18.0.52 > us */
	EXPECT_WHERE(mob, M1, a41);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_MOVED, M1, NULL, 0), 0);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 10", MOB_VNI, M1, VLOW); /* 10.0.0.9 < us */
	EXPECT_WHERE(mob, M1, "vtep:" VLOW);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_MOVED, M1, NULL, 0), 1);
	/* Between remote routes: the highest sequence, then the lowest address. */
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 11", MOB_VNI, M1, VB);
	EXPECT_WHERE(mob, M1, "vtep:" VB);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 11", MOB_VNI, M1, VA);
	EXPECT_WHERE(mob, M1, "vtep:" VA);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M1, VA);
	EXPECT_WHERE(mob, M1, "vtep:" VB);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M1, VB);
	EXPECT_WHERE(mob, M1, "vtep:" VLOW);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M1, VLOW);
	EXPECT_WHERE(mob, M1, "absent");

	/* Sticky: wins over a local MAC and over higher sequences. */
	tick();
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M2), EVF_LEARN_NEW);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 0 sticky", MOB_VNI, M2, VB);
	EXPECT_WHERE(mob, M2, "vtep:" VB);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 100", MOB_VNI, M2, VA);
	EXPECT_WHERE(mob, M2, "vtep:" VB);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 0 sticky", MOB_VNI, M2, VLOW);
	EXPECT_WHERE(mob, M2, "vtep:" VLOW);            /* two sticky: lower address */
	/* Seen locally again: the static (sticky) MAC does not move
	 * (RFC 7432 15.2; "a sticky route always wins"). */
	tick();
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M2), EVF_LEARN_IGNORED);
	EXPECT_WHERE(mob, M2, "vtep:" VLOW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(entry(mob, M2));
	CU_ASSERT(entry(mob, M2)->sticky);
	/* workers are told not to report it either */
	CU_ASSERT(evf_dest_flags(entry(mob, M2)->dest) & EVF_DEST_F_PINNED);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M2, VLOW);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M2, VB);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M2, VA);
	if (entry(mob, M2) != NULL)
		evf_fdb_remove((struct evf_fdb_entry *)entry(mob, M2));
	finish();
}

/* Aging of a local MAC with remote routes falls back to the best remote. */
static void
test_mobility_aging(void)
{
	uint32_t t = evf_clock_sec() + 100000;
	const struct evf_event *ev;

	fresh();
	mob_names();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 3", MOB_VNI, M3, VA);
	evf_now_sec = t;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M3), EVF_LEARN_MOVED);
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M4), EVF_LEARN_NEW);
	EXPECT_WHERE(mob, M3, a40);
	evf_fdb_age(t + 59, evf_fdb.capacity);        /* mac-aging 60 */
	EXPECT_WHERE(mob, M3, a40);
	EXPECT_WHERE(mob, M4, a40);
	evf_now_sec = t + 60;
	evf_fdb_age(t + 60, evf_fdb.capacity);
	EXPECT_WHERE(mob, M3, "vtep:" VA);
	EXPECT_WHERE(mob, M4, "absent");
	ev = ev_last(EVF_EV_MAC_AGED, M3, NULL, MOB_VNI);
	CU_ASSERT_PTR_NOT_NULL(ev);
	CU_ASSERT(entry(mob, M3) != NULL && entry(mob, M3)->origin == EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, M4, NULL, MOB_VNI), 1);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M3, VA);
	EXPECT_WHERE(mob, M3, "absent");
	finish();
}

/* MAC sync: an ES peer's MAC (its RT2 with our segment's ESI) stays ours
 * while the peer advertises it, whatever our own traffic, and when the peer
 * withdraws (its link went down) it ages like a learned MAC instead of
 * vanishing (which would flood the host's traffic at remote PEs). A segment
 * that comes up takes over its peers' MACs. */
#define MS3 "02:00:00:00:5e:03"
#define MS4 "02:00:00:00:5e:04"
static void
test_es_peer_sync_hold(void)
{
	uint32_t t = evf_clock_sec() + 300000, aging = evf_bds[red].mac_aging;
	uint16_t es = es_id(ESI_TIMER);
	const struct evf_fdb_entry *e;

	fresh();
	nb_evs = 0;
	CU_ASSERT_FATAL(aging > 0 && evf_ess[es].local_up);
	evf_now_sec = t;
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 1", RED_VNI, MS3, Q_LOW, ESI_TIMER);
	e = entry(red, MS3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_LEARNED, MS3, ESI_TIMER, RED_VNI), 1);
	/* never seen here: aging keeps it while the peer advertises it */
	evf_now_sec = t + 3 * aging;
	evf_fdb_age(evf_now_sec, evf_fdb.capacity);
	CU_ASSERT(entry(red, MS3) == e && e->origin == EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, MS3, NULL, RED_VNI), 0);
	/* the peer withdraws: still ours (still advertised by us), no event */
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS3, Q_LOW);
	CU_ASSERT(entry(red, MS3) == e && e->origin == EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, MS3, NULL, RED_VNI), 0);
	/* then it ages like any learned MAC */
	evf_now_sec = t + 4 * aging - 1;
	evf_fdb_age(evf_now_sec, evf_fdb.capacity);
	CU_ASSERT(entry(red, MS3) == e);
	evf_now_sec = t + 4 * aging;
	evf_fdb_age(evf_now_sec, evf_fdb.capacity);
	CU_ASSERT_PTR_NULL(entry(red, MS3));
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, MS3, NULL, RED_VNI), 1);

	/* our segment down: the peer's MAC is reached through the peer; up again
	 * (activation): ours again, advertised */
	evf_es_set_local_oper(es, false);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 0", RED_VNI, MS4, Q_LOW, ESI_TIMER);
	e = entry(red, MS4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ES);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_LEARNED, MS4, NULL, RED_VNI), 0);
	evf_es_set_local_oper(es, true);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_LEARNED, MS4, ESI_TIMER, RED_VNI), 1);
	/* activation, then the DF timer, as the control loop would run them */
	evf_es_poll(rte_rdtsc() + 10 * rte_get_tsc_hz());
	evf_es_poll(rte_rdtsc() + 20 * rte_get_tsc_hz());
	finish();
}

#define M5 "02:00:00:00:4d:15"
#define M6 "02:00:00:00:4d:16"

/* num-moves 5 within monitoring-window 180 s freezes; hold-down 540 s. */
static void
test_duplicate_detection(void)
{
	uint32_t t = evf_clock_sec() + 200000;
	struct evf_fdb_entry *e;
	const struct evf_event *ev;
	uint64_t frozen0 = evf_learn_counters.frozen;

	fresh();
	mob_names();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 0", MOB_VNI, M5, VA);
	e = (struct evf_fdb_entry *)entry(mob, M5);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	evf_now_sec = t;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M5), EVF_LEARN_MOVED);          /* move 1 */
	evf_now_sec = t + 10;
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M5), EVF_LEARN_MOVED);          /* move 2 */
	evf_now_sec = t + 20;
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 2", MOB_VNI, M5, VA);   /* move 3 */
	EXPECT_WHERE(mob, M5, "vtep:" VA);
	evf_now_sec = t + 30;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M5), EVF_LEARN_MOVED);          /* move 4 */
	CU_ASSERT_EQUAL(e->seq, 3);
	CU_ASSERT_EQUAL(e->frozen, 0);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_FROZEN, M5, NULL, 0), 0);
	evf_now_sec = t + 179;
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 4", MOB_VNI, M5, VA);   /* move 5 */
	EXPECT_WHERE(mob, M5, "vtep:" VA);
	CU_ASSERT_EQUAL(e->frozen, 1);
	CU_ASSERT_EQUAL(e->frozen_at, t + 179);
	CU_ASSERT(evf_dest_flags(e->dest) & EVF_DEST_F_PINNED);
	CU_ASSERT_EQUAL(evf_learn_counters.frozen, frozen0 + 1);
	ev = ev_last(EVF_EV_MAC_FROZEN, M5, NULL, MOB_VNI);
	CU_ASSERT_PTR_NOT_NULL(ev);
	/* Frozen: learn events ignored, better routes not followed. */
	evf_now_sec = t + 200;
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M5), EVF_LEARN_IGNORED);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 7", MOB_VNI, M5, VB);
	EXPECT_WHERE(mob, M5, "vtep:" VA);
	CU_ASSERT_EQUAL(e->frozen, 1);
	/* hold-down 540: frozen until then, then unfrozen and reselected. */
	evf_now_sec = t + 179 + 539;
	evf_fdb_age(t + 179 + 539, evf_fdb.capacity);
	CU_ASSERT_EQUAL(e->frozen, 1);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_UNFROZEN, M5, NULL, 0), 0);
	evf_now_sec = t + 179 + 540;
	evf_fdb_age(t + 179 + 540, evf_fdb.capacity);
	CU_ASSERT_EQUAL(e->frozen, 0);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_UNFROZEN, M5, NULL, MOB_VNI), 1);
	EXPECT_WHERE(mob, M5, "vtep:" VB);
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M5), EVF_LEARN_MOVED);
	EXPECT_WHERE(mob, M5, a41);
	CU_ASSERT_EQUAL(e->seq, 8);

	/* Five moves spread over exactly 180 s: the window restarts, no freeze. */
	t += 10000;
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 0", MOB_VNI, M6, VA);
	evf_now_sec = t;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M6), EVF_LEARN_MOVED);
	evf_now_sec = t + 10;
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M6), EVF_LEARN_MOVED);
	evf_now_sec = t + 20;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M6), EVF_LEARN_MOVED);
	evf_now_sec = t + 30;
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M6), EVF_LEARN_MOVED);
	evf_now_sec = t + 180;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M6), EVF_LEARN_MOVED);
	CU_ASSERT(entry(mob, M6) != NULL && entry(mob, M6)->frozen == 0);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_FROZEN, M6, NULL, 0), 0);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M5, VA);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M5, VB);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M6, VA);
	finish();
}

/* ==== 6. hostile routes ==== */

#define SNAP_ES   64
#define SNAP_X    256
#define SNAP_FDB  512
#define FILLER0   0x02
#define FILLER1   0xff

/* The accepted state: segments, bindings, FDB (control and worker view),
 * VTEPs, flood lists, event count. Filler MACs (02:ff:...) are left out. */
struct es_sig {
	uint8_t per_es, peer, sa, local, local_up;
	struct evf_ip pe_ip[EVF_ES_MAX_PE];
	struct evf_esi esi;
	uintptr_t df_ptr;
	uint16_t df_nb;
	uint8_t df[64];
};
struct snap {
	uint16_t nb_es;
	struct es_sig es[SNAP_ES];
	struct evf_esevi x[SNAP_X];
	uint32_t fdb_count, nb_fdb;
	struct evf_fdb_entry fdb[SNAP_FDB];
	uint64_t hash_dest[SNAP_FDB];
	uint32_t vtep_count;
	uint32_t vtep_ref[EVF_MAX_VTEPS];
	uint16_t flood[4][64];
	uint16_t nb_flood[4];
	uint64_t events;
};

static void
collect(struct evf_fdb_entry *e, void *arg)
{
	struct snap *s = arg;

	if (e->key.mac.addr_bytes[0] == FILLER0 && e->key.mac.addr_bytes[1] == FILLER1)
		return;
	if (s->nb_fdb < SNAP_FDB) {
		void *d;

		s->fdb[s->nb_fdb] = *e;
		s->hash_dest[s->nb_fdb] = rte_hash_lookup_data(evf_fdb.h, &e->key, &d) >= 0 ?
			(uint64_t)(uintptr_t)d : ~0ull;
		s->nb_fdb++;
	}
}

static void
snapshot(struct snap *s)
{
	const uint16_t bds[4] = { red, blue, alias_bd, mob };

	evf_rcu_drain();
	memset(s, 0, sizeof(*s));
	s->nb_es = evf_es_count();
	for (uint16_t i = 0; i < s->nb_es && i < SNAP_ES; i++) {
		const struct evf_es *es = &evf_ess[i];
		struct es_sig *g = &s->es[i];

		g->per_es = es->per_es_mask;
		g->peer = es->peer_mask;
		g->sa = es->single_active;
		g->local = es->local;
		g->local_up = es->local_up;
		memcpy(g->pe_ip, es->pe_ip, sizeof(g->pe_ip));
		g->esi = es->esi;
		g->df_ptr = (uintptr_t)es->df;
		if (es->df != NULL) {
			g->df_nb = es->df->nb;
			memcpy(g->df, es->df->df, RTE_MIN(es->df->nb, (uint16_t)64));
		}
	}
	memcpy(s->x, evf_esevis, sizeof(s->x));
	s->fdb_count = evf_fdb_count();
	evf_fdb_foreach(EVF_INVALID_ID, collect, s);
	s->vtep_count = evf_vtep_count();
	for (unsigned int i = 0; i < EVF_MAX_VTEPS; i++)
		s->vtep_ref[i] = evf_vteps[i].in_use ? evf_vteps[i].refcnt + 1 : 0;
	for (int b = 0; b < 4; b++)
		s->nb_flood[b] = evf_bd_flood_vteps(bds[b], s->flood[b], 64);
	s->events = evf_event_count();
}

static char diff_msg[1024];

/* Every difference (NULL when none). */
static const char *
snap_diff(const struct snap *a, const struct snap *b)
{
	size_t off = 0;

#define D(...) do {                                                             \
		if (off < sizeof(diff_msg))                                    \
			off += (size_t)snprintf(diff_msg + off, sizeof(diff_msg) - off, \
				"%s", off ? "; " : "");                        \
		if (off < sizeof(diff_msg))                                    \
			off += (size_t)snprintf(diff_msg + off, sizeof(diff_msg) - off, \
				__VA_ARGS__);                                  \
	} while (0)
	diff_msg[0] = '\0';
	if (a->nb_es != b->nb_es)
		D("segments %u -> %u", a->nb_es, b->nb_es);
	for (uint16_t i = 0; i < a->nb_es && i < SNAP_ES; i++) {
		const struct es_sig *x = &a->es[i], *y = &b->es[i];

		if (x->per_es != y->per_es || x->peer != y->peer || x->sa != y->sa ||
		    x->local_up != y->local_up)
			D("segment %s masks %02x/%02x -> %02x/%02x", evf_ess[i].name, x->per_es,
			  x->peer, y->per_es, y->peer);
		if (memcmp(x->pe_ip, y->pe_ip, sizeof(x->pe_ip)) != 0)
			D("segment %s PE addresses changed", evf_ess[i].name);
		if (x->df_ptr != y->df_ptr)
			D("segment %s DF table republished (%u -> %u bindings)", evf_ess[i].name,
			  x->df_nb, y->df_nb);
		else if (x->df_nb != y->df_nb || memcmp(x->df, y->df, sizeof(x->df)) != 0)
			D("segment %s DF bits changed", evf_ess[i].name);
	}
	for (unsigned int i = 0; i < SNAP_X; i++)
		if (memcmp(&a->x[i], &b->x[i], sizeof(a->x[i])) != 0)
			D("binding %u (segment %s, MAC-VRF %s) %s", i, evf_ess[b->x[i].es].name,
			  evf_bds[b->x[i].bd].name, a->x[i].in_use ? "changed" : "created");
	if (a->fdb_count != b->fdb_count)
		D("FDB count %u -> %u", a->fdb_count, b->fdb_count);
	if (a->nb_fdb != b->nb_fdb)
		D("FDB entries %u -> %u", a->nb_fdb, b->nb_fdb);
	for (uint32_t i = 0; i < a->nb_fdb && i < b->nb_fdb; i++) {
		if (memcmp(&a->fdb[i], &b->fdb[i], sizeof(a->fdb[i])) != 0)
			D("FDB entry %u changed", i);
		if (a->hash_dest[i] != b->hash_dest[i])
			D("FDB entry %u: worker view changed", i);
	}
	if (a->vtep_count != b->vtep_count)
		D("VTEPs %u -> %u", a->vtep_count, b->vtep_count);
	else if (memcmp(a->vtep_ref, b->vtep_ref, sizeof(a->vtep_ref)) != 0)
		D("VTEP references changed");
	if (memcmp(a->nb_flood, b->nb_flood, sizeof(a->nb_flood)) != 0 ||
	    memcmp(a->flood, b->flood, sizeof(a->flood)) != 0)
		D("flood lists changed");
	if (a->events != b->events)
		D("%lu event(s) emitted", (unsigned long)(b->events - a->events));
	return diff_msg[0] ? diff_msg : NULL;
#undef D
}

static struct snap snap_before, snap_after;

/* A route that must be rejected with want, counted, state unchanged. */
static unsigned int hostile_count;
static uint32_t hostile_kinds;   /* bit per result exercised */

static void
hostile(int line, int want, const struct evf_route *r, const char *what)
{
	struct evf_route_counters c0 = evf_route_counters;
	const char *d;
	int rr;

	rr = evf_route_apply(r);
	snapshot(&snap_after);
	d = snap_diff(&snap_before, &snap_after);
	if (rr != want || d != NULL)
		fprintf(stderr, "\n    line %d: %s: %s (expected %s)%s%s\n", line, what,
			evf_route_result_name(rr), evf_route_result_name(want),
			d ? "; state changed: " : "", d ? d : "");
	CU_ASSERT_EQUAL(rr, want);
	CU_ASSERT_PTR_NULL(d);
	CU_ASSERT_EQUAL(evf_route_counters.result[want], c0.result[want] + 1);
	CU_ASSERT(memcmp(evf_route_counters.applied, c0.applied, sizeof(c0.applied)) == 0);
	hostile_count++;
	hostile_kinds |= 1u << want;
	/* Whatever happened, compare the next one with the state as it is now. */
	snap_before = snap_after;
}

static void
hostile_text(int line, int want, const char *fmt, ...)
{
	char text[256], err[256];
	struct evf_route r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (evf_route_parse_line(text, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "\n    test bug: '%s': %s\n", text, err);
		CU_FAIL("route text does not parse");
		return;
	}
	hostile(line, want, &r, text);
}

#define HOSTILE(want, ...) hostile_text(__LINE__, (want), __VA_ARGS__)

#define K1 "02:00:00:00:6b:01"
#define K2 "02:00:00:00:6b:02"
#define K3 "02:00:00:00:6b:03"

static void
test_hostile_routes(void)
{
	struct evf_route r;
	uint32_t fillers = 0;

	fresh();
	/* The accepted state. */
	ROUTE_OK("rt3 add vni %u vtep %s", ALIAS_VNI, FLOODV);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_HOST, PE1);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_HOST, PE2);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_HOST, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_HOST, ALIAS_VNI, PE2);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 3", ALIAS_VNI, K1, PE1, ESI_HOST);
	for (int i = 1; i <= 4; i++)
		ROUTE_OK("rt2 add vni %u mac %s vtep 198.18.0.6%d ip 10.9.0.%d", ALIAS_VNI, K2, i, i);
	for (int i = 1; i <= 8; i++)
		ROUTE_OK("rt1 add esi %s vtep 198.18.1.%d", ESI_FULL, i);
	ROUTE_OK("rt4 add esi %s vtep %s", ESI_MOD, P_MOD);
	evf_es_poll(rte_rdtsc());
	snapshot(&snap_before);
	hostile_count = 0;
	hostile_kinds = 0;

	/* unknown VNI */
	HOSTILE(EVF_RR_UNKNOWN_VNI, "rt2 add vni 999 mac %s vtep %s", K3, PE1);
	HOSTILE(EVF_RR_UNKNOWN_VNI, "rt1 add esi %s vni 999 vtep %s", ESI_HOST, PE1);
	HOSTILE(EVF_RR_UNKNOWN_VNI, "rt3 add vni 999 vtep %s", PE1);
	HOSTILE(EVF_RR_UNKNOWN_VNI, "rt2 del vni 999 mac %s vtep %s", K1, PE1);
	/* reserved ESIs */
	HOSTILE(EVF_RR_BAD_ESI, "rt1 add esi %s vtep %s", ESI_ZERO, PE1);
	HOSTILE(EVF_RR_BAD_ESI, "rt1 add esi %s vni %u vtep %s", ESI_ZERO, ALIAS_VNI, PE1);
	HOSTILE(EVF_RR_BAD_ESI, "rt4 add esi %s vtep %s", ESI_ZERO, P_MOD);
	HOSTILE(EVF_RR_BAD_ESI, "rt1 add esi %s vtep %s", ESI_MAX, PE1);
	HOSTILE(EVF_RR_BAD_ESI, "rt4 add esi %s vtep %s", ESI_MAX, P_MOD);
	HOSTILE(EVF_RR_BAD_ESI, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K3, PE1, ESI_MAX);
	HOSTILE(EVF_RR_BAD_ESI, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K1, PE1, ESI_MAX);
	/* MACs */
	HOSTILE(EVF_RR_BAD_MAC, "rt2 add vni %u mac 01:00:5e:00:00:01 vtep %s", ALIAS_VNI, PE1);
	HOSTILE(EVF_RR_BAD_MAC, "rt2 add vni %u mac 33:33:00:00:00:01 vtep %s", ALIAS_VNI, PE1);
	HOSTILE(EVF_RR_BAD_MAC, "rt2 add vni %u mac ff:ff:ff:ff:ff:ff vtep %s", ALIAS_VNI, PE1);
	HOSTILE(EVF_RR_BAD_MAC, "rt2 add vni %u mac 00:00:00:00:00:00 vtep %s", ALIAS_VNI, PE1);
	/* the route's IP */
	HOSTILE(EVF_RR_BAD_IP, "rt2 add vni %u mac %s vtep %s ip 224.1.1.1", ALIAS_VNI, K3, PE1);
	HOSTILE(EVF_RR_BAD_IP, "rt2 add vni %u mac %s vtep %s ip 127.0.0.1", ALIAS_VNI, K1, PE1);
	/* VTEPs that are no unicast tunnel endpoint */
	{
		static const char *const bad[] = { "0.0.0.0", "0.1.2.3", "224.0.0.5", "239.1.1.1", "127.0.0.1",
			"127.1.2.3", "255.255.255.255", "240.0.0.1", "fe80::1", "ff02::1", "::",
			"::1" };

		for (size_t i = 0; i < RTE_DIM(bad); i++) {
			HOSTILE(EVF_RR_BAD_VTEP, "rt2 add vni %u mac %s vtep %s", ALIAS_VNI, K3, bad[i]);
			HOSTILE(EVF_RR_BAD_VTEP, "rt1 add esi %s vtep %s", ESI_HOST, bad[i]);
			HOSTILE(EVF_RR_BAD_VTEP, "rt3 add vni %u vtep %s", ALIAS_VNI, bad[i]);
			HOSTILE(EVF_RR_BAD_VTEP, "rt4 add esi %s vtep %s", ESI_MOD, bad[i]);
		}
	}
	/* our own VTEP (a reflected route) */
	HOSTILE(EVF_RR_OWN_ROUTE, "rt2 add vni %u mac %s vtep %s", ALIAS_VNI, K3, NODE_V4);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K1, NODE_V4,
		ESI_HOST);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt1 add esi %s vtep %s", ESI_HOST, NODE_V4);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt3 add vni %u vtep %s", ALIAS_VNI, NODE_V4);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt4 add esi %s vtep %s", ESI_MOD, NODE_V4);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt4 del esi %s vtep %s", ESI_MOD, NODE_V4);
	/* a family we have no source address for (no vtep-ipv6) */
	HOSTILE(EVF_RR_NO_SOURCE, "rt2 add vni %u mac %s vtep 2001:db8::5", ALIAS_VNI, K3);
	HOSTILE(EVF_RR_NO_SOURCE, "rt1 add esi %s vtep 2001:db8::5", ESI_HOST);
	HOSTILE(EVF_RR_NO_SOURCE, "rt3 add vni %u vtep 2001:db8::5", ALIAS_VNI);
	HOSTILE(EVF_RR_NO_SOURCE, "rt4 add esi %s vtep 2001:db8::5", ESI_MOD);
	/* RT4 for a segment that is not ours */
	HOSTILE(EVF_RR_ES_NOT_LOCAL, "rt4 add esi %s vtep %s", ESI_HOST, PE1);
	HOSTILE(EVF_RR_ES_NOT_LOCAL, "rt4 add esi %s vtep %s", ESI_NEW, PE1);
	HOSTILE(EVF_RR_ES_NOT_LOCAL, "rt4 del esi %s vtep %s", ESI_HOST, PE1);
	/* a 9th PE on a segment */
	HOSTILE(EVF_RR_ES_PE_LIMIT, "rt1 add esi %s vtep 198.18.1.9", ESI_FULL);
	HOSTILE(EVF_RR_ES_PE_LIMIT, "rt2 add vni %u mac %s vtep 198.18.1.9 esi %s", ALIAS_VNI, K3,
		ESI_FULL);
	HOSTILE(EVF_RR_ES_PE_LIMIT, "rt1 add esi %s vni %u vtep 198.18.1.9", ESI_FULL, ALIAS_VNI);
	/* a 5th RT2 route for one MAC */
	HOSTILE(EVF_RR_TOO_MANY_ROUTES, "rt2 add vni %u mac %s vtep 198.18.0.65", ALIAS_VNI, K2);
	HOSTILE(EVF_RR_TOO_MANY_ROUTES, "rt2 add vni %u mac %s vtep 198.18.0.61 ip 10.9.0.9",
		ALIAS_VNI, K2);
	HOSTILE(EVF_RR_TOO_MANY_ROUTES, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K2, PE1,
		ESI_HOST);
	HOSTILE(EVF_RR_TOO_MANY_ROUTES, "rt2 add vni %u mac %s vtep 198.18.0.65 esi %s", ALIAS_VNI,
		K2, ESI_NEW);
	/* RT2 for a configured MAC */
	HOSTILE(EVF_RR_STATIC_MAC, "rt2 add vni %u mac %s vtep %s", MOB_VNI, LSTATIC, PE1);
	HOSTILE(EVF_RR_STATIC_MAC, "rt2 add vni %u mac %s vtep %s seq 99 sticky", MOB_VNI, RSTATIC,
		PE1);
	HOSTILE(EVF_RR_STATIC_MAC, "rt2 add vni %u mac %s vtep %s esi %s", MOB_VNI, RSTATIC, PE1,
		ESI_NEW);
	HOSTILE(EVF_RR_STATIC_MAC, "rt2 del vni %u mac %s vtep 198.18.0.99", MOB_VNI, RSTATIC);
	/* withdrawals of routes never added */
	HOSTILE(EVF_RR_NOT_FOUND, "rt2 del vni %u mac %s vtep %s", ALIAS_VNI, K3, PE1);
	HOSTILE(EVF_RR_NOT_FOUND, "rt2 del vni %u mac %s vtep %s", ALIAS_VNI, K1, PE2);
	HOSTILE(EVF_RR_NOT_FOUND, "rt2 del vni %u mac %s vtep 198.18.0.61 ip 10.9.0.2", ALIAS_VNI, K2);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vtep %s", ESI_NEW, PE1);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vtep 198.18.0.77", ESI_HOST);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vni %u vtep 198.18.0.77", ESI_HOST, ALIAS_VNI);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vni %u vtep %s", ESI_HOST, MOB_VNI, PE1);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vni %u vtep %s", ESI_MOD, MOB_VNI, P_MOD);
	HOSTILE(EVF_RR_NOT_FOUND, "rt3 del vni %u vtep 198.18.0.77", ALIAS_VNI);
	HOSTILE(EVF_RR_NOT_FOUND, "rt3 del vni %u vtep %s", MOB_VNI, FLOODV);
	HOSTILE(EVF_RR_NOT_FOUND, "rt4 del esi %s vtep 198.18.0.77", ESI_MOD);
	HOSTILE(EVF_RR_NOT_FOUND, "rt4 del esi %s vtep %s", ESI_SA, P_MOD);
	/* bad type (struct only: the text cannot express it) */
	{
		memset(&r, 0, sizeof(r));
		r.type = 0;
		r.vtep = evft_ip(PE1);
		hostile(__LINE__, EVF_RR_BAD_TYPE, &r, "type 0");
		r.type = 5;
		hostile(__LINE__, EVF_RR_BAD_TYPE, &r, "type 5");
		memset(&r, 0, sizeof(r));
		r.type = EVF_RT_MAC;
		r.vni = ALIAS_VNI;
		r.mac = evft_mac(K3);
		r.vtep = evft_ip(PE1);
		r.ip.family = 7;
		hostile(__LINE__, EVF_RR_BAD_IP, &r, "rt2 ip of family 7");
		r.ip.family = 0;
		r.vtep.family = 7;
		hostile(__LINE__, EVF_RR_BAD_VTEP, &r, "rt2 vtep of family 7");
	}

	/* FDB full: a new MAC is refused, a known one still updates. */
	while (evf_fdb_count() < evf_fdb.capacity) {
		struct rte_ether_addr f = {{ FILLER0, FILLER1, (uint8_t)(fillers >> 24),
			(uint8_t)(fillers >> 16), (uint8_t)(fillers >> 8), (uint8_t)fillers }};

		if (fdb_set(red, &f, EVF_DEST_ATTACH, a_red1, EVF_FDB_EVPN, NULL) == NULL)
			break;
		fillers++;
	}
	CU_ASSERT_EQUAL(evf_fdb_count(), evf_fdb.capacity);
	snapshot(&snap_before);
	HOSTILE(EVF_RR_TABLE_FULL, "rt2 add vni %u mac %s vtep %s", ALIAS_VNI, K3, PE1);
	HOSTILE(EVF_RR_TABLE_FULL, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K3, PE1,
		ESI_HOST);
	HOSTILE(EVF_RR_TABLE_FULL, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K3,
		"198.18.0.78", ESI_HOST);
	HOSTILE(EVF_RR_TABLE_FULL, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K3, PE1,
		ESI_NEW2);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 4", ALIAS_VNI, K1, PE1, ESI_HOST);
	CU_ASSERT(entry(alias_bd, K1) != NULL && entry(alias_bd, K1)->src[0].seq == 4);
	for (uint32_t i = 0; i < fillers; i++) {
		struct rte_ether_addr f = {{ FILLER0, FILLER1, (uint8_t)(i >> 24), (uint8_t)(i >> 16),
			(uint8_t)(i >> 8), (uint8_t)i }};

		evf_fdb_remove(evf_fdb_find(red, &f));
	}
	evf_rcu_drain();
	printf("\n    %u hostile routes of %d kinds (FDB full after %u filler entries) ",
	       hostile_count, __builtin_popcount(hostile_kinds), fillers);
	CU_ASSERT(__builtin_popcount(hostile_kinds) >= 12);

	/* Everything accepted goes away cleanly. */
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_MOD, P_MOD);
	for (int i = 1; i <= 8; i++)
		ROUTE_OK("rt1 del esi %s vtep 198.18.1.%d", ESI_FULL, i);
	for (int i = 1; i <= 4; i++)
		ROUTE_OK("rt2 del vni %u mac %s vtep 198.18.0.6%d ip 10.9.0.%d", ALIAS_VNI, K2, i, i);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", ALIAS_VNI, K1, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_HOST, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_HOST, ALIAS_VNI, PE2);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_HOST, PE1);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_HOST, PE2);
	ROUTE_OK("rt3 del vni %u vtep %s", ALIAS_VNI, FLOODV);
	CU_ASSERT_PTR_NULL(entry(alias_bd, K1));
	CU_ASSERT_PTR_NULL(entry(alias_bd, K2));
	evf_rcu_drain();
	{
		struct evf_ip p1 = evft_ip(PE1);

		CU_ASSERT(evf_vtep_find(&p1) < 0);  /* no reference left behind */
	}
	finish();
}

/* ---- route text ---- */

struct bad_line {
	const char *line;
	const char *token;   /**< the message must name it */
	const char *why;     /**< and say this */
};

static void
test_route_parse_errors(void)
{
#define E_ "00:11:22:33:44:55:66:77:88:99"
#define V_ "198.18.0.5"
#define M_ "02:00:00:00:00:09"
	static const struct bad_line bad[] = {
		{ "rt5 add vni 1 vtep " V_, "rt5", "unknown route type" },
		{ "route add vni 1 vtep " V_, "route", "unknown route type" },
		{ "rt2 upd vni 1 mac " M_ " vtep " V_, "upd", "add or del" },
		{ "rt2 add vni 1 mac " M_, "vtep", "missing" },
		{ "rt1 add esi " E_, "vtep", "missing" },
		{ "rt2 add vni 1 mac " M_ " vtep", "vtep", "needs a value" },
		{ "rt4 add esi " E_ " vtep " V_ " vni 5", "vni", "unexpected" },
		{ "rt3 add vni 5 vtep " V_ " esi " E_, "esi", "unexpected" },
		{ "rt3 add vni 5 vtep " V_ " mac " M_, "mac", "unexpected" },
		{ "rt2 add vni 0 mac " M_ " vtep " V_, "0", "1..16777215" },
		{ "rt2 add vni 16777216 mac " M_ " vtep " V_, "16777216", "1..16777215" },
		{ "rt2 add vni 12x mac " M_ " vtep " V_, "12x", "1..16777215" },
		{ "rt2 add vni -1 mac " M_ " vtep " V_, "-1", "1..16777215" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " seq 4294967296", "4294967296", "seq" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " seq 0x10", "0x10", "seq" },
		{ "rt4 add esi " E_ " vtep " V_ " pref 65536", "65536", "pref" },
		{ "rt4 add esi " E_ " vtep " V_ " df-alg best", "best", "df-alg" },
		{ "rt2 add vni 1 mac 02:00:00:00:00 vtep " V_, "02:00:00:00:00", "mac" },
		{ "rt2 add vni 1 mac " M_ " vtep 198.18.0.256", "198.18.0.256", "vtep" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " ip 10.1.1", "10.1.1", "ip" },
		{ "rt1 add esi 00:11:22 vtep " V_, "00:11:22", "esi" },
		{ "rt1 add esi " E_ ":aa vtep " V_, E_ ":aa", "esi" },
		{ "rt2 add vni 1 vni 2 mac " M_ " vtep " V_, "vni", "twice" },
		{ "rt1 add esi " E_ " vtep " V_ " vtep 198.18.0.6", "vtep", "twice" },
		{ "rt1 add esi " E_ " esi " E_ " vtep " V_, "esi", "twice" },
		{ "rt2 add vni 1 mac " M_ " mac " M_ " vtep " V_, "mac", "twice" },
		{ "rt4 add esi " E_ " vtep " V_ " dont-preempt dont-preempt", "dont-preempt", "twice" },
		{ "rt4 add esi " E_ " vtep " V_ " df-alg hrw df-alg modulo", "df-alg", "twice" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " seq 1 seq 2", "seq", "twice" },
		{ "rt4 add esi " E_ " vtep " V_ " pref 1 pref 2", "pref", "twice" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " ip 10.0.0.1 ip 10.0.0.2", "ip", "twice" },
		{ "rt1 add esi " E_ " etag 5 vtep " V_, "5", "only 'max'" },
		{ "rt1 add esi " E_ " etag max vni 10 vtep " V_, "vni", "exclude" },
		{ "rt1 add esi " E_ " vni 10 vtep " V_ " single-active", "single-active", "per-ES" },
		{ "rt2 add vni 1 vtep " V_, "mac", "needs" },
		{ "rt3 add vtep " V_, "vni", "needs" },
		{ "rt4 add vtep " V_, "esi", "needs" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " sticky=1", "sticky=1", "" },
		{ "rt2", "add", "" },
	};
	char err[256];
	struct evf_route r;
	unsigned int wrong = 0;

	for (size_t i = 0; i < RTE_DIM(bad); i++) {
		int rc;

		strcpy(err, "");
		rc = evf_route_parse_line(bad[i].line, &r, err, sizeof(err));
		if (rc != -EINVAL || strstr(err, bad[i].token) == NULL || strstr(err, bad[i].why) == NULL) {
			fprintf(stderr, "\n    '%s': %d '%s' (expected -1 naming '%s', saying '%s')",
				bad[i].line, rc, err, bad[i].token, bad[i].why);
			wrong++;
		}
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].token));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].why));
	}
	printf("\n    %zu malformed lines, %u wrong ", RTE_DIM(bad), wrong);
	/* Long lines and many words. */
	{
		char longl[700];

		memset(longl, 'a', sizeof(longl) - 1);
		longl[sizeof(longl) - 1] = '\0';
		CU_ASSERT_EQUAL(evf_route_parse_line(longl, &r, err, sizeof(err)), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "longer"));
		snprintf(longl, sizeof(longl), "rt3 add vni 1 vtep " V_ "%s",
			 " x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x");
		CU_ASSERT_EQUAL(evf_route_parse_line(longl, &r, err, sizeof(err)), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "words"));
	}
	/* Blank lines and comments are no route (1), and change nothing. */
	CU_ASSERT_EQUAL(evf_route_parse_line("", &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(evf_route_parse_line("   \t", &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(evf_route_parse_line("# rt2 add vni 1", &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(evf_route_parse_line("rt3 add vni 7 vtep " V_ " # ingress", &r, err,
		sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.type, EVF_RT_IMET);
	CU_ASSERT_EQUAL(r.vni, 7);
#undef E_
#undef V_
#undef M_
}

static void
test_route_round_trip(void)
{
	static const char *const lines[] = {
		"rt1 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5",
		"rt1 del esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 single-active",
		"rt1 add esi 00:11:22:33:44:55:66:77:88:99 vni 16777215 vtep 2001:db8::5",
		"rt1 add esi 01:00:00:00:00:00:00:00:00:01 etag max vtep 198.18.0.5",
		"rt2 add vni 1 mac 02:00:00:00:00:09 vtep 198.18.0.5",
		"rt2 del vni 10 mac 02:00:00:00:00:09 vtep 198.18.0.5 esi ff:00:00:00:00:00:00:00:00:01"
			" ip 2001:db8::99 seq 4294967295 sticky",
		"rt2 add vni 10 mac 02:00:00:00:00:09 vtep 2001:db8::5 ip 10.0.0.1 seq 7",
		"rt3 add vni 4000 vtep 198.18.0.5",
		"rt3 del vni 4000 vtep 2001:db8::5",
		"rt4 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5",
		"rt4 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 df-alg hrw",
		"rt4 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 pref 0",
		"rt4 del esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 df-alg pref dont-preempt",
		"rt4 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 df-alg preference pref 65535"
			" dont-preempt",
	};
	char err[256], text[512], text2[512];
	unsigned int wrong = 0;

	for (size_t i = 0; i < RTE_DIM(lines); i++) {
		struct evf_route a, b;

		CU_ASSERT_EQUAL_FATAL(evf_route_parse_line(lines[i], &a, err, sizeof(err)), 0);
		CU_ASSERT(evf_route_format(&a, text, sizeof(text)) > 0);
		if (evf_route_parse_line(text, &b, err, sizeof(err)) != 0) {
			fprintf(stderr, "\n    '%s' formats as '%s', which does not parse: %s",
				lines[i], text, err);
			wrong++;
			continue;
		}
		if (memcmp(&a, &b, sizeof(a)) != 0) {
			fprintf(stderr, "\n    '%s' -> '%s' parses differently", lines[i], text);
			wrong++;
		}
		evf_route_format(&b, text2, sizeof(text2));
		if (strcmp(text, text2) != 0)
			wrong++;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	/* What the text gives. */
	{
		struct evf_route r;

		CU_ASSERT_EQUAL(evf_route_parse_line(lines[3], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.type == EVF_RT_AD && r.per_es && !r.withdraw);
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[2], &r, err, sizeof(err)), 0);
		CU_ASSERT(!r.per_es && r.vni == 16777215 && r.vtep.family == AF_INET6);
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[5], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.withdraw && r.sticky && r.seq == 4294967295u && r.ip.family == AF_INET6);
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[9], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.df_alg == EVF_DF_MODULO && !r.df_dp);
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[11], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.df_alg == EVF_DF_PREFERENCE && r.df_pref == 0);   /* pref implies preference */
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[12], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.df_alg == EVF_DF_PREFERENCE && r.df_pref == 32767 && r.df_dp);
	}
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "aliasing: per-flow PE, per-EVI set", test_aliasing },
		{ "mass withdrawal over 100000 MACs", test_mass_withdrawal },
		{ "remote single-active: primary, backup", test_remote_single_active },
		{ "local segment: modulo DF per MAC-VRF, DF filter, local bias", test_local_modulo },
		{ "local segment: DF wait timer, a leaving peer", test_local_df_timer },
		{ "local segment: preference with Don't-Preempt", test_local_preference },
		{ "local segment: a peer's unknown DF type falls back to modulo", test_unknown_df_type },
		{ "local segment: single-active", test_local_single_active },
		{ "mobility: remote MAC seen on the data path", test_mobility_data_path },
		{ "mobility: sequence numbers, equal sequence, sticky", test_mobility_sequence },
		{ "mobility: aging falls back to the remote", test_mobility_aging },
		{ "mobility: duplicate detection and hold-down", test_duplicate_detection },
		{ "mobility: a MAC synced by the ES peer is not a move", test_es_peer_sync_not_a_move },
		{ "mobility: a synced MAC outlives the peer's route", test_es_peer_sync_hold },
		{ "hostile routes", test_hostile_routes },
		{ "route text: malformed lines", test_route_parse_errors },
		{ "route text: format/parse round trip", test_route_round_trip },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("mh", cases, RTE_DIM(cases), suite_init, suite_clean);
}
