/* mh_fixture.h: the multihoming tests' runtime and helpers, shared by the
 * test_mh_*.c programs (each includes it once: its statics are that
 * program's own). A runtime brought up from one config with four MAC-VRFs
 * and four local segments on net_ring ports; routes enter with
 * evf_route_apply() (built from the text syntax); workers are driven by hand
 * (evf_dp_process + evf_dp_flush on evf_workers[0]) and their output read
 * back from the ports; control timers run through evf_es_poll() with
 * synthetic TSC values and evf_ctl_poll_once(), MAC timers with a synthetic
 * evf_now_sec. Tests leave the routes they add withdrawn; every local segment
 * is alone (DF everywhere) between tests. */
#ifndef MH_FIXTURE_H
#define MH_FIXTURE_H

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
static inline struct evf_fdb_entry *
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

static __attribute__((unused)) const char cfg[] =
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
static __attribute__((unused)) const char *const port_names[NB_P] = { "net0", "acc0", "acc1", "acc2", "acc3", "acc4" };
static __attribute__((unused)) uint16_t pid[NB_P];
static __attribute__((unused)) uint16_t red, blue, alias_bd, mob;
static __attribute__((unused)) uint16_t a_red0, a_red1, a_red2, a_red3, a_red4, a_blue0, a_blue1, a_alias, a_mob40,
	a_mob41;
static __attribute__((unused)) uint64_t hz;

/* ---- events ---- */

#define EV_MAX 4096
static __attribute__((unused)) struct evf_event evs[EV_MAX];
static __attribute__((unused)) unsigned int nb_evs;

static inline bool
sink(const struct evf_event *ev)
{
	if (nb_evs < EV_MAX)
		evs[nb_evs++] = *ev;
	return true;
}

static inline struct evf_esi
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
static inline bool
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
static inline unsigned int
ev_count(uint8_t type, const char *mac, const char *esi_s, uint32_t vni)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nb_evs; i++)
		n += ev_matches(&evs[i], type, mac, esi_s, vni);
	return n;
}

/* The last such event, or NULL. */
static inline const struct evf_event *
ev_last(uint8_t type, const char *mac, const char *esi_s, uint32_t vni)
{
	for (unsigned int i = nb_evs; i-- > 0;)
		if (ev_matches(&evs[i], type, mac, esi_s, vni))
			return &evs[i];
	return NULL;
}

/* ---- routes ---- */

static __attribute__((unused)) char last_line[512];

static inline int
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

static inline uint16_t
es_id(const char *s)
{
	struct evf_esi e = esi(s);
	int id = evf_es_find(&e);

	CU_ASSERT_FATAL(id >= 0);
	return (uint16_t)id;
}

static inline int
slot_of(uint16_t es, const char *ip)
{
	struct evf_ip a = evft_ip(ip);

	return evf_es_pe_slot(es, &a, false);
}

/* ---- DF state ---- */

/* (no CUnit assertion here: also used by the suite's init) */
static inline bool
df_of(uint16_t aid)
{
	const struct evf_attach *a = &evf_attachs[aid];

	if (a->es == EVF_INVALID_ID) {
		fprintf(stderr, "\n    %s is on no segment\n", a->name);
		return false;
	}
	return evf_es_is_df(&evf_ess[a->es], &evf_esevis[a->esevi]);
}

static inline bool
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

static inline const uint16_t *
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

static inline bool
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

static inline bool
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
static inline bool
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

static inline void
drain_learn_ring(void)
{
	struct evf_learn_ev ev[64];

	while (rte_ring_sc_dequeue_burst_elem(evf_workers[0].learn_ring, ev, sizeof(ev[0]), 64,
					      NULL) > 0)
		;
}

static inline int
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

static inline int
suite_clean(void)
{
	evf_event_set_sink(NULL);
	evft_down();
	return 0;
}

/* Empty ports and learn ring, no learned MACs, event log and baselines reset. */
static inline void
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

static inline void
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

static inline uint32_t
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
static __attribute__((unused)) struct cap caps[NB_P];

static inline void
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
static inline uint32_t
frame(uint8_t *b, const char *dst, const char *src, int vlan, uint8_t seed)
{
	return evft_frame(b, dst, src, vlan, "10.1.0.1", "10.1.0.2", (uint16_t)(1000 + seed),
		(uint16_t)(2000 + seed), 40, seed);
}

/* f with an 802.1Q tag tci inserted after the MAC addresses. */
static inline uint32_t
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
static inline void
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
static inline void
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
static inline void
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

static inline unsigned int
flows_to(const struct flow_out *out, unsigned int n, const char *ip)
{
	uint32_t a = ip_host(ip);
	unsigned int c = 0;

	for (unsigned int i = 0; i < n; i++)
		c += out[i].copies == 1 && out[i].dip == a;
	return c;
}

static inline unsigned int
flows_copies(const struct flow_out *out, unsigned int n, unsigned int copies)
{
	unsigned int c = 0;

	for (unsigned int i = 0; i < n; i++)
		c += out[i].copies == copies;
	return c;
}

/* The FDB entry of (bd, mac), or NULL. */
static inline const struct evf_fdb_entry *
entry(uint16_t bd, const char *mac)
{
	struct rte_ether_addr m = evft_mac(mac);

	return evf_fdb_find(bd, &m);
}

#endif /* MH_FIXTURE_H */
