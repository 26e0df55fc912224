/* test_dp.c: CUnit tests of the worker data path driven by hand
 * (evf_dp_process + evf_dp_flush on evf_workers[0]) with net_ring ports whose
 * output is read back: decapsulation to local hosts (tag pushed per
 * attachment), encapsulation to static remote MACs (IPv4 and IPv6 VTEPs),
 * flooding of unknown unicast and BUM from access ports (every other local
 * attachment plus one copy per flood-list VTEP) and from the network (local
 * attachments only), every access and network drop reason on the way,
 * learning through the worker's learn ring and evf_ctl_poll_once, per-frame
 * decisions inside bursts, chained mbufs, and no mbuf leak on any path. */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ring.h>

#include "evf_bd.h"
#include "evf_bd_dp.h"
#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_pkt.h"
#include "evf_port.h"
#include "evf_rcu.h"
#include "evf_runtime.h"
#include "evf_stats.h"
#include "evf_vxlan.h"
#include "evf_test_env.h"

#define NODE_MAC "02:00:00:00:00:01"
#define NH_MAC   "02:00:00:00:00:fe"
#define PEER_MAC "02:00:00:00:00:fd"
#define NODE_V4  "198.18.0.1"
#define NODE_V6  "2001:db8::1"
#define VTEP2    "198.18.0.2"
#define VTEP3    "198.18.0.3"
#define VTEP6    "2001:db8::2"
#define H0  "02:00:00:00:10:00"   /* host behind acc0 (red, untagged) */
#define H1  "02:00:00:00:10:01"   /* host behind acc1.10 (red) */
#define H2  "02:00:00:00:10:02"
#define H3  "02:00:00:00:10:03"
#define HB  "02:00:00:00:20:01"   /* host behind acc1.20 (blue) */
#define R2  "00:00:5e:00:53:02"   /* static remote MAC on VTEP2 */
#define R6  "00:00:5e:00:53:06"   /* static remote MAC on VTEP6 */
#define UNK "02:00:00:00:99:99"   /* nobody */
#define BCAST "ff:ff:ff:ff:ff:ff"
#define RED_VNI 1000

static const char cfg[] =
	"node:\n"
	"  vtep-ipv4: " NODE_V4 "\n"
	"  vtep-ipv6: \"" NODE_V6 "\"\n"
	"  mac: " NODE_MAC "\n"
	"  fdb-capacity: 1024\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_d0, role: network, next-hop-mac: " NH_MAC ",\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_d1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc1, device: net_ring_d2, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: red\n"
	"    vni: 1000\n"
	"    attachments: [{port: acc0, vlan: untagged}, {port: acc1, vlan: 10},\n"
	"                  {port: acc1, vlan: 11}]\n"
	"    remote-vteps: [" VTEP2 ", " VTEP3 ", \"" VTEP6 "\"]\n"
	"    remote-macs:\n"
	"      - {mac: " R2 ", vtep: " VTEP2 "}\n"
	"      - {mac: " R6 ", vtep: \"" VTEP6 "\"}\n"
	"  - name: blue\n"
	"    vni: 2000\n"
	"    attachments: [{port: acc1, vlan: 20}]\n"
	"    remote-vteps: [" VTEP3 "]\n"
	"  - name: lim\n"
	"    vni: 3000\n"
	"    mac-limit: 2\n"
	"    attachments: [{port: acc0, vlan: 30}]\n"
	"    remote-vteps: [" VTEP3 "]\n"
	"workers:\n"
	"  count: 1\n";

static uint16_t p_net, p_acc0, p_acc1;
static uint16_t red, blue, lim, a0, a10, a11, a20, a30;

/* ---- fixture ---- */

static int
suite_init(void)
{
	return evft_up(cfg) == 0 ? 0 : -1;
}

static int
suite_clean(void)
{
	evft_down();
	return 0;
}

static void
drain_learn_ring(void)
{
	struct evf_learn_ev ev[64];

	while (rte_ring_sc_dequeue_burst_elem(evf_workers[0].learn_ring, ev, sizeof(ev[0]), 64,
					      NULL) > 0)
		;
}

/* Empty rings and learn ring, no learned MACs, fresh learn cache, baselines. */
static void
fresh(void)
{
	evft_drain_all();
	drain_learn_ring();
	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		struct evf_fdb_entry *e = evf_fdb_entry_at(i);

		if (e != NULL && e->origin != EVF_FDB_STATIC)
			evf_fdb_remove(e);
	}
	evf_rcu_drain();
	memset(evf_workers[0].learn_cache, 0, sizeof(evf_workers[0].learn_cache));
	p_net = evft_port("net0");
	p_acc0 = evft_port("acc0");
	p_acc1 = evft_port("acc1");
	red = evft_bd("red");
	blue = evft_bd("blue");
	lim = evft_bd("lim");
	a0 = evft_attach("acc0", 0);
	a10 = evft_attach("acc1", 10);
	a11 = evft_attach("acc1", 11);
	a20 = evft_attach("acc1", 20);
	a30 = evft_attach("acc0", 30);
	CU_ASSERT_FATAL(a30 != EVF_INVALID_ID && a11 != EVF_INVALID_ID && lim != EVF_INVALID_ID);
	evft_baseline();
}

/* What came out of a port, linearized; mbufs freed. */
struct cap {
	unsigned int n;
	uint32_t len[64];
	uint8_t b[64][2048];
};
static struct cap c_net, c_acc0, c_acc1;

static unsigned int
take(uint16_t port, struct cap *c)
{
	struct rte_mbuf *m[64];

	c->n = evft_capture(port, m, 64);
	for (unsigned int i = 0; i < c->n; i++) {
		EVFT_OK(evft_linearize(m[i], c->b[i], sizeof(c->b[i]), &c->len[i]));
		rte_pktmbuf_free(m[i]);
	}
	return c->n;
}

static void
take_all(void)
{
	take(p_net, &c_net);
	take(p_acc0, &c_acc0);
	take(p_acc1, &c_acc1);
}

#define EXPECT_OUT(net, acc0, acc1) do {                                       \
		take_all();                                                    \
		if (c_net.n != (net) || c_acc0.n != (acc0) || c_acc1.n != (acc1)) \
			fprintf(stderr, "\n    %s:%d: out net0/acc0/acc1 %u/%u/%u, expected %u/%u/%u\n", \
				__FILE__, __LINE__, c_net.n, c_acc0.n, c_acc1.n,     \
				(unsigned int)(net), (unsigned int)(acc0), (unsigned int)(acc1)); \
		CU_ASSERT_EQUAL(c_net.n, (net));                               \
		CU_ASSERT_EQUAL(c_acc0.n, (acc0));                             \
		CU_ASSERT_EQUAL(c_acc1.n, (acc1));                             \
	} while (0)

/* An IPv4/UDP host frame. */
static uint32_t
frame(uint8_t *b, const char *dst, const char *src, int vlan, uint32_t payload, uint8_t seed)
{
	return evft_frame(b, dst, src, vlan, "10.1.0.1", "10.1.0.2", (uint16_t)(1000 + seed),
		(uint16_t)(2000 + seed), payload, seed);
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

/* f with the 802.1Q tag after the MAC addresses removed. */
static uint32_t
without_tag(uint8_t *out, const uint8_t *f, uint32_t len)
{
	memcpy(out, f, 12);
	memcpy(out + 12, f + 16, len - 16);
	return len - 4;
}

static bool
same(const struct cap *c, unsigned int i, const uint8_t *want, uint32_t len)
{
	if (i >= c->n)
		return false;
	if (c->len[i] != len || memcmp(c->b[i], want, len) != 0) {
		evft_hexdump("\n    got", c->b[i], RTE_MIN(c->len[i], 48u));
		evft_hexdump("    want", want, RTE_MIN(len, 48u));
		return false;
	}
	return true;
}

/* Index of the captured frame equal to want, or -1. */
static int
find(const struct cap *c, const uint8_t *want, uint32_t len)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (c->len[i] == len && memcmp(c->b[i], want, len) == 0)
			return (int)i;
	return -1;
}

static void
expect_vxlan(struct evft_expect *e, const char *vtep, uint32_t vni, const uint8_t *inner,
	     uint32_t ilen)
{
	memset(e, 0, sizeof(*e));
	e->dst = evft_mac(NH_MAC);
	e->src = evft_mac(NODE_MAC);
	e->vlan = -1;
	e->dip = evft_ip(vtep);
	e->sip = evft_ip(e->dip.family == AF_INET ? NODE_V4 : NODE_V6);
	e->ttl = 64;
	e->dport = 4789;
	e->sport = evf_udp_src_port(evf_flow_hash(inner, ilen, EVF_HASH_L34));
	e->vni = vni;
	e->inner = inner;
	e->inner_len = ilen;
}

/* The captured VXLAN packet towards vtep, or -1. */
static int
find_vtep(const struct cap *c, const char *vtep)
{
	struct evf_ip ip = evft_ip(vtep);

	for (unsigned int i = 0; i < c->n; i++) {
		const uint8_t *p = c->b[i];

		if (c->len[i] < 54)
			continue;
		if (ip.family == AF_INET && p[12] == 0x08 && p[13] == 0x00 &&
		    memcmp(p + 30, &ip.v4, 4) == 0)
			return (int)i;
		if (ip.family == AF_INET6 && p[12] == 0x86 && p[13] == 0xdd &&
		    memcmp(p + 38, ip.v6, 16) == 0)
			return (int)i;
	}
	return -1;
}

/* A VXLAN packet from a peer VTEP to us carrying inner. */
static uint32_t
vxlan_in(uint8_t *b, const char *from, uint32_t vni, const uint8_t *inner, uint32_t ilen)
{
	struct evft_outer o;
	bool v6 = strchr(from, ':') != NULL;

	evft_outer_init(&o, NODE_MAC, PEER_MAC, from, v6 ? NODE_V6 : NODE_V4);
	o.vni = vni;
	return evft_vxlan(b, &o, inner, ilen, NULL);
}

/* Control-plane learn of mac on an attachment (as the control thread would). */
static void
learn(uint16_t bd, uint16_t attach, const char *mac)
{
	struct evf_learn_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.mac = evft_mac(mac);
	ev.bd = bd;
	ev.attach = attach;
	CU_ASSERT_EQUAL(evf_fdb_learn(&ev), EVF_LEARN_NEW);
}

/* ---- decapsulation ---- */

static void
test_decap_to_local(void)
{
	uint8_t in[256], pkt[512], want[256];
	uint32_t ilen, len, wlen;
	struct evf_stats_sum s;

	fresh();
	learn(red, a0, H0);
	learn(red, a10, H1);
	learn(red, a11, H2);

	/* To H1 behind acc1.10: tag 10 pushed, nothing else changes. */
	ilen = frame(in, H1, "02:00:00:00:77:01", -1, 64, 1);
	len = vxlan_in(pkt, VTEP2, RED_VNI, in, ilen);
	evft_inject(p_net, pkt, len);
	EXPECT_OUT(0, 0, 1);
	wlen = with_tag(want, in, ilen, 10);
	CU_ASSERT(same(&c_acc1, 0, want, wlen));

	/* To H2 behind acc1.11, over IPv6. */
	ilen = frame(in, H2, "02:00:00:00:77:02", -1, 100, 2);
	len = vxlan_in(pkt, VTEP6, RED_VNI, in, ilen);
	evft_inject(p_net, pkt, len);
	EXPECT_OUT(0, 0, 1);
	wlen = with_tag(want, in, ilen, 11);
	CU_ASSERT(same(&c_acc1, 0, want, wlen));

	/* To H0 behind acc0 (untagged): the inner frame as it was. */
	ilen = frame(in, H0, "02:00:00:00:77:03", -1, 30, 3);
	len = vxlan_in(pkt, VTEP3, RED_VNI, in, ilen);
	evft_inject(p_net, pkt, len);
	EXPECT_OUT(0, 1, 0);
	CU_ASSERT(same(&c_acc0, 0, in, ilen));

	/* A whole burst with a trailer on one packet. */
	{
		struct rte_mbuf *m[3];
		uint8_t i1[128], i2[128];
		uint32_t l1 = frame(i1, H0, "02:00:00:00:77:04", -1, 20, 4);
		uint32_t l2 = frame(i2, H1, "02:00:00:00:77:05", -1, 20, 5);

		len = vxlan_in(pkt, VTEP2, RED_VNI, i1, l1);
		m[0] = evft_mbuf(pkt, len);
		len = vxlan_in(pkt, VTEP2, RED_VNI, i2, l2);
		memset(pkt + len, 0, 8);
		m[1] = evft_mbuf(pkt, len + 8);
		len = vxlan_in(pkt, VTEP3, RED_VNI, i1, l1);
		m[2] = evft_mbuf(pkt, len);
		evft_process(p_net, m, 3);
		EXPECT_OUT(0, 2, 1);
		CU_ASSERT(same(&c_acc0, 0, i1, l1));
		CU_ASSERT(same(&c_acc0, 1, i1, l1));
		wlen = with_tag(want, i2, l2, 10);
		CU_ASSERT(same(&c_acc1, 0, want, wlen));
	}
	evf_stats_read(&s, false);
	CU_ASSERT_EQUAL(s.port[p_net].rx_pkts - evft_base_stats()->port[p_net].rx_pkts, 6);
	CU_ASSERT_EQUAL(s.port[p_acc0].tx_pkts - evft_base_stats()->port[p_acc0].tx_pkts, 3);
	CU_ASSERT_EQUAL(s.port[p_acc1].tx_pkts - evft_base_stats()->port[p_acc1].tx_pkts, 3);
	CU_ASSERT_EQUAL(evft_all_drops(), 0);
	evft_finish();
}

/* BUM and unknown unicast from the network: every local attachment of the
 * MAC-VRF, never the network. */
static void
test_flood_from_network(void)
{
	static const char *const dsts[] = { BCAST, UNK, "01:00:5e:01:02:03", "33:33:00:00:00:01" };
	uint8_t in[256], pkt[512], want[256];
	uint32_t ilen, len, wlen;

	fresh();
	for (size_t d = 0; d < RTE_DIM(dsts); d++) {
		ilen = frame(in, dsts[d], "02:00:00:00:77:10", -1, 40, (uint8_t)d);
		len = vxlan_in(pkt, d & 1 ? VTEP6 : VTEP2, RED_VNI, in, ilen);
		evft_inject(p_net, pkt, len);
		EXPECT_OUT(0, 1, 2);
		CU_ASSERT(same(&c_acc0, 0, in, ilen));
		wlen = with_tag(want, in, ilen, 10);
		CU_ASSERT(find(&c_acc1, want, wlen) >= 0);
		wlen = with_tag(want, in, ilen, 11);
		CU_ASSERT(find(&c_acc1, want, wlen) >= 0);
	}
	/* blue has one attachment (acc1.20). */
	ilen = frame(in, BCAST, "02:00:00:00:77:11", -1, 40, 9);
	len = vxlan_in(pkt, VTEP3, 2000, in, ilen);
	evft_inject(p_net, pkt, len);
	EXPECT_OUT(0, 0, 1);
	wlen = with_tag(want, in, ilen, 20);
	CU_ASSERT(same(&c_acc1, 0, want, wlen));
	CU_ASSERT_EQUAL(evft_all_drops(), 0);
	evft_finish();
}

/* Network-side drops. */
static void
test_network_drops(void)
{
	uint8_t in[256], pkt[512];
	uint32_t ilen, len;
	uint64_t d0;

	fresh();
	learn(red, a0, H0);
	/* Unknown VNI. */
	ilen = frame(in, H0, "02:00:00:00:77:20", -1, 40, 1);
	len = vxlan_in(pkt, VTEP2, 4242, in, ilen);
	evft_inject(p_net, pkt, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_UNKNOWN_VNI), 1);
	/* Inner 802.1Q tag (allow-inner-vlan is off). */
	ilen = frame(in, H0, "02:00:00:00:77:21", 99, 40, 2);
	len = vxlan_in(pkt, VTEP2, RED_VNI, in, ilen);
	evft_inject(p_net, pkt, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_INNER_VLAN), 1);
	/* Bad inner source MACs. */
	ilen = frame(in, H0, "01:00:5e:00:00:01", -1, 40, 3);
	len = vxlan_in(pkt, VTEP2, RED_VNI, in, ilen);
	evft_inject(p_net, pkt, len);
	ilen = frame(in, H0, "00:00:00:00:00:00", -1, 40, 3);
	len = vxlan_in(pkt, VTEP2, RED_VNI, in, ilen);
	evft_inject(p_net, pkt, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_BAD_SRC_MAC), 2);
	/* A frame for a remote MAC never goes back to the network. */
	ilen = frame(in, R2, "02:00:00:00:77:22", -1, 40, 4);
	len = vxlan_in(pkt, VTEP3, RED_VNI, in, ilen);
	evft_inject(p_net, pkt, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_REMOTE_TO_REMOTE), 1);
	/* Inner link-local destination is not bridged. */
	ilen = frame(in, "01:80:c2:00:00:0e", "02:00:00:00:77:23", -1, 40, 5);
	len = vxlan_in(pkt, VTEP3, RED_VNI, in, ilen);
	evft_inject(p_net, pkt, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_LINK_LOCAL_DST), 1);
	/* Outer errors reach the counters with their reason. */
	ilen = frame(in, H0, "02:00:00:00:77:24", -1, 40, 6);
	len = vxlan_in(pkt, VTEP2, RED_VNI, in, ilen);
	pkt[14 + 9] = IPPROTO_TCP;
	evft_ipv4_fix(pkt + 14);
	evft_inject(p_net, pkt, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_NOT_UDP), 1);
	pkt[14 + 9] = IPPROTO_UDP;
	pkt[0] ^= 0x02;
	evft_ipv4_fix(pkt + 14);
	evft_inject(p_net, pkt, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_NOT_OUR_MAC), 1);
	EXPECT_OUT(0, 0, 0);

	/* In one burst after a valid packet of another VNI: VNI 0 and a runt are
	 * dropped with their own reason, never bridged. */
	{
		struct rte_mbuf *m[3];
		uint8_t runt[13], first[256];
		uint32_t flen;

		flen = frame(first, H0, "02:00:00:00:77:25", -1, 40, 7);
		len = vxlan_in(pkt, VTEP2, RED_VNI, first, flen);
		m[0] = evft_mbuf(pkt, len);
		ilen = frame(in, BCAST, "02:00:00:00:77:26", -1, 40, 8);
		len = vxlan_in(pkt, VTEP2, 0, in, ilen);
		m[1] = evft_mbuf(pkt, len);
		memcpy(runt, pkt, sizeof(runt));
		m[2] = evft_mbuf(runt, sizeof(runt));
		d0 = evft_all_drops();
		evft_process(p_net, m, 3);
		EXPECT_OUT(0, 1, 0);
		CU_ASSERT(same(&c_acc0, 0, first, flen));
		CU_ASSERT_EQUAL(evft_all_drops() - d0, 2);
		CU_ASSERT_EQUAL(evft_drops(EVF_DROP_UNKNOWN_VNI), 2);
		CU_ASSERT_EQUAL(evft_drops(EVF_DROP_TRUNC_ETH), 1);
	}
	evft_finish();
}

/* ---- encapsulation ---- */

static void
test_encap_to_remote(void)
{
	uint8_t f[1600], inner[1600];
	uint32_t len, ilen;
	struct evft_expect e;
	struct evf_stats_sum s;

	fresh();
	/* IPv4 VTEP, from the untagged attachment: the frame as inner. */
	len = frame(f, R2, H0, -1, 80, 1);
	evft_inject(p_acc0, f, len);
	EXPECT_OUT(1, 0, 0);
	expect_vxlan(&e, VTEP2, RED_VNI, f, len);
	EVFT_OK(evft_check_vxlan(c_net.b[0], c_net.len[0], &e));

	/* From acc1.10 (PCP 3): the tag is not carried over VXLAN. */
	len = frame(f, R2, H1, 0x600a, 80, 2);
	evft_inject(p_acc1, f, len);
	EXPECT_OUT(1, 0, 0);
	ilen = without_tag(inner, f, len);
	expect_vxlan(&e, VTEP2, RED_VNI, inner, ilen);
	EVFT_OK(evft_check_vxlan(c_net.b[0], c_net.len[0], &e));

	/* IPv6 VTEP, UDP checksum filled. */
	len = frame(f, R6, H0, -1, 121, 3);
	evft_inject(p_acc0, f, len);
	EXPECT_OUT(1, 0, 0);
	expect_vxlan(&e, VTEP6, RED_VNI, f, len);
	EVFT_OK(evft_check_vxlan(c_net.b[0], c_net.len[0], &e));

	/* Too big once encapsulated (net0 MTU 1500 - 36 = 1464 inner bytes). */
	len = frame(f, R2, H0, -1, 1464 - 42, 4);
	evft_inject(p_acc0, f, len);
	EXPECT_OUT(1, 0, 0);
	CU_ASSERT_EQUAL(c_net.len[0], 1464 + 50);
	{
		static uint8_t big[1600];

		len = frame(big, R2, H0, -1, 1465 - 42, 5);
		evft_inject(p_acc0, big, len);
		EXPECT_OUT(0, 0, 0);
		CU_ASSERT_EQUAL(evft_drops(EVF_DROP_MTU_EXCEEDED), 1);
	}
	evf_stats_read(&s, false);
	CU_ASSERT_EQUAL(s.port[p_net].tx_pkts - evft_base_stats()->port[p_net].tx_pkts, 4);
	evft_finish();
}

/* ---- flooding from access ports ---- */

static void
check_remote_copies(const uint8_t *inner, uint32_t ilen, uint32_t vni)
{
	static const char *const vteps[] = { VTEP2, VTEP3, VTEP6 };
	struct evft_expect e;

	for (size_t v = 0; v < RTE_DIM(vteps); v++) {
		int i = find_vtep(&c_net, vteps[v]);

		if (i < 0)
			fprintf(stderr, "\n    no copy to %s\n", vteps[v]);
		CU_ASSERT_FATAL(i >= 0);
		expect_vxlan(&e, vteps[v], vni, inner, ilen);
		EVFT_OK(evft_check_vxlan(c_net.b[i], c_net.len[i], &e));
	}
}

/* One frame flooded from acc0 to acc1.10, acc1.11 and the three VTEPs, each
 * copy checked field by field. m: the frame already in an mbuf (or NULL). */
static void
flood_whole(const uint8_t *f, uint32_t len, struct rte_mbuf *m)
{
	uint8_t want[1100];
	uint32_t wlen;

	if (m != NULL)
		evft_process(p_acc0, &m, 1);
	else
		evft_inject(p_acc0, f, len);
	EXPECT_OUT(3, 0, 2);
	check_remote_copies(f, len, RED_VNI);
	wlen = with_tag(want, f, len, 10);
	CU_ASSERT(find(&c_acc1, want, wlen) >= 0);
	wlen = with_tag(want, f, len, 11);
	CU_ASSERT(find(&c_acc1, want, wlen) >= 0);
}

static void
test_flood_from_access(void)
{
	uint8_t f[256], want[256], inner[256];
	uint32_t len, wlen, ilen;
	struct evf_stats_sum s;

	fresh();
	/* Unknown unicast from acc0: acc1.10 + acc1.11 + the three VTEPs. */
	len = frame(f, UNK, H0, -1, 60, 1);
	flood_whole(f, len, NULL);
	evf_stats_read(&s, false);
	CU_ASSERT_EQUAL(s.flood_copies - evft_base_stats()->flood_copies, 4);

	/* Broadcast from acc1.10 with PCP 5: acc0 untagged, acc1.11 with PCP 5,
	 * never acc1.10, three VTEPs with the untagged frame. */
	len = frame(f, BCAST, H1, 0xa00a, 60, 2);
	evft_inject(p_acc1, f, len);
	EXPECT_OUT(3, 1, 1);
	ilen = without_tag(inner, f, len);
	CU_ASSERT(same(&c_acc0, 0, inner, ilen));
	wlen = with_tag(want, inner, ilen, 0xa00b);
	CU_ASSERT(same(&c_acc1, 0, want, wlen));
	check_remote_copies(inner, ilen, RED_VNI);

	/* Multicast, and 01:80:c2:00:00:10 (not link-local) from acc1.11. */
	len = frame(f, "01:80:c2:00:00:10", H2, 11, 60, 3);
	evft_inject(p_acc1, f, len);
	EXPECT_OUT(3, 1, 1);
	ilen = without_tag(inner, f, len);
	wlen = with_tag(want, inner, ilen, 10);
	CU_ASSERT(same(&c_acc1, 0, want, wlen));

	/* blue: one attachment + VTEP3. */
	len = frame(f, UNK, HB, 20, 60, 4);
	evft_inject(p_acc1, f, len);
	EXPECT_OUT(1, 0, 0);
	ilen = without_tag(inner, f, len);
	{
		struct evft_expect e;

		expect_vxlan(&e, VTEP3, 2000, inner, ilen);
		EVFT_OK(evft_check_vxlan(c_net.b[0], c_net.len[0], &e));
	}
	CU_ASSERT_EQUAL(evft_all_drops(), 0);

	/* Too big for VXLAN: the local copies go, the three remote ones are dropped. */
	{
		static uint8_t big[1600];

		len = frame(big, UNK, H0, -1, 1500 - 28, 5);
		evft_inject(p_acc0, big, len);
		EXPECT_OUT(0, 0, 2);
		CU_ASSERT_EQUAL(evft_drops(EVF_DROP_MTU_EXCEEDED), 3);
	}
	evft_finish();
}

/* ---- access-side drops ---- */

static void
test_access_drops(void)
{
	static const char *const bad_src[] = { "01:00:5e:00:00:01", BCAST, "00:00:00:00:00:00",
					       "03:00:00:00:00:07" };
	static const char *const ll[] = { "01:80:c2:00:00:00", "01:80:c2:00:00:02",
					  "01:80:c2:00:00:0e", "01:80:c2:00:00:0f" };
	uint8_t f[256];
	uint32_t len;

	fresh();
	learn(red, a0, H0);
	learn(red, a10, H1);

	/* Destination behind the ingress attachment. */
	len = frame(f, H0, H2, -1, 40, 1);
	evft_inject(p_acc0, f, len);
	len = frame(f, H1, H3, 10, 40, 2);
	evft_inject(p_acc1, f, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_SAME_ATTACHMENT), 2);
	/* No attachment: acc1 untagged, acc1 VLAN 99, acc0 VLAN 10. */
	len = frame(f, UNK, H2, -1, 40, 3);
	evft_inject(p_acc1, f, len);
	len = frame(f, UNK, H2, 99, 40, 3);
	evft_inject(p_acc1, f, len);
	len = frame(f, UNK, H2, 10, 40, 3);
	evft_inject(p_acc0, f, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_NO_ATTACHMENT), 3);
	/* Bad source MACs. */
	for (size_t i = 0; i < RTE_DIM(bad_src); i++) {
		len = frame(f, UNK, bad_src[i], -1, 40, 4);
		evft_inject(p_acc0, f, len);
	}
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_BAD_SRC_MAC), RTE_DIM(bad_src));
	/* Link-local destinations (tagged or not). */
	for (size_t i = 0; i < RTE_DIM(ll); i++) {
		len = frame(f, ll[i], H2, i & 1 ? 11 : -1, 40, 5);
		evft_inject(i & 1 ? p_acc1 : p_acc0, f, len);
	}
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_LINK_LOCAL_DST), RTE_DIM(ll));
	/* Runts, oversize, LACP. */
	len = frame(f, UNK, H2, -1, 40, 6);
	evft_inject(p_acc0, f, 13);
	len = frame(f, UNK, H2, 10, 40, 6);
	evft_inject(p_acc1, f, 17);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_TRUNC_ETH), 2);
	{
		static uint8_t big[1600];

		len = frame(big, UNK, H2, -1, 1500 - 28 + 1, 7);
		evft_inject(p_acc0, big, len);
		len = frame(big, UNK, H2, 10, 1500 - 28 + 1, 7);
		evft_inject(p_acc1, big, len);
		CU_ASSERT_EQUAL(evft_drops(EVF_DROP_OVERSIZE), 2);
	}
	len = evft_frame_raw(f, "01:80:c2:00:00:02", H2, -1, RTE_ETHER_TYPE_SLOW, 50, 8);
	evft_inject(p_acc0, f, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_SLOW_PROTOCOL), 1);
	/* Frame still tagged inside (QinQ) to a remote MAC: inner-vlan. */
	{
		uint8_t inner_tagged[256];
		uint32_t l = frame(inner_tagged, R2, H1, 77, 40, 9);

		len = with_tag(f, inner_tagged, l, 10);
		evft_inject(p_acc1, f, len);
		CU_ASSERT_EQUAL(evft_drops(EVF_DROP_INNER_VLAN), 1);
	}
	EXPECT_OUT(0, 0, 0);
	CU_ASSERT_EQUAL(evft_all_drops(), 2 + 3 + RTE_DIM(bad_src) + RTE_DIM(ll) + 2 + 2 + 1 + 1);

	/* Egress port administratively down. */
	evf_ports[p_acc1].admin_up = 0;
	len = frame(f, H1, H0, -1, 40, 10);
	evft_inject(p_acc0, f, len);
	evf_ports[p_acc1].admin_up = 1;
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_PORT_DOWN), 1);
	EXPECT_OUT(0, 0, 0);
	evft_finish();
}

/* mac-limit 2 on "lim" (acc0 VLAN 30). */
static void
test_mac_limit_drop(void)
{
	uint8_t f[256];
	uint32_t len;

	fresh();
	learn(lim, a30, H0);
	learn(lim, a30, H1);
	CU_ASSERT_EQUAL(evf_bds[lim].at_limit, 1);
	/* A third source is dropped; known ones still forward (flood to VTEP3). */
	len = frame(f, UNK, H2, 30, 40, 1);
	evft_inject(p_acc0, f, len);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_MAC_LIMIT), 1);
	EXPECT_OUT(0, 0, 0);
	CU_ASSERT_EQUAL(rte_ring_count(evf_workers[0].learn_ring), 0);
	len = frame(f, UNK, H1, 30, 40, 2);
	evft_inject(p_acc0, f, len);
	EXPECT_OUT(1, 0, 0);
	/* Below the limit again: the third host is forwarded and reported. */
	{
		struct rte_ether_addr h0 = evft_mac(H0);

		evf_fdb_remove(evf_fdb_find(lim, &h0));
	}
	CU_ASSERT_EQUAL(evf_bds[lim].at_limit, 0);
	len = frame(f, UNK, H2, 30, 40, 3);
	evft_inject(p_acc0, f, len);
	EXPECT_OUT(1, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_MAC_LIMIT), 1);
	CU_ASSERT_EQUAL(rte_ring_count(evf_workers[0].learn_ring), 1);
	evft_finish();
}

/* ---- learning through the worker's ring ---- */

static void
test_learning_via_ring(void)
{
	struct rte_ether_addr h1 = evft_mac(H1);
	struct evf_learn_ev ev;
	struct evf_fdb_entry *e;
	struct rte_ring *r;
	struct evf_stats_sum s;
	uint8_t f[256];
	uint32_t len;

	fresh();
	r = evf_workers[0].learn_ring;
	/* H1 speaks from acc1.10: one event, the frame is flooded meanwhile. */
	len = frame(f, UNK, H1, 10, 40, 1);
	evft_inject(p_acc1, f, len);
	EXPECT_OUT(3, 1, 1);
	CU_ASSERT_EQUAL_FATAL(rte_ring_count(r), 1);
	CU_ASSERT_EQUAL_FATAL(rte_ring_sc_dequeue_elem(r, &ev, sizeof(ev)), 0);
	CU_ASSERT(rte_is_same_ether_addr(&ev.mac, &h1));
	CU_ASSERT_EQUAL(ev.bd, red);
	CU_ASSERT_EQUAL(ev.attach, a10);
	CU_ASSERT_EQUAL(ev.worker, 0);
	CU_ASSERT_EQUAL_FATAL(rte_ring_sp_enqueue_elem(r, &ev, sizeof(ev)), 0);
	/* Within the hold-off the same MAC is not reported again (hold-off made
	 * long so that a slow machine cannot step out of it). */
	{
		uint64_t holdoff = evf_workers[0].learn_holdoff_tsc;

		evf_workers[0].learn_holdoff_tsc = UINT64_MAX / 2;
		evft_inject(p_acc1, f, len);
		evf_workers[0].learn_holdoff_tsc = holdoff;
	}
	EXPECT_OUT(3, 1, 1);
	CU_ASSERT_EQUAL(rte_ring_count(r), 1);
	evf_stats_read(&s, false);
	CU_ASSERT_EQUAL(s.learn_events - evft_base_stats()->learn_events, 1);

	/* The control loop applies it. */
	CU_ASSERT(evf_ctl_poll_once() >= 1);
	CU_ASSERT_EQUAL(rte_ring_count(r), 0);
	e = evf_fdb_find(red, &h1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ATTACH);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a10);

	/* Now known: traffic to it is unicast, its own frames stamp "seen". */
	len = frame(f, H1, H0, -1, 40, 2);
	evft_inject(p_acc0, f, len);
	EXPECT_OUT(0, 0, 1);
	/* (the clock is the control loop's: only cleared stamp, never moved) */
	evf_fdb.seen[0][evf_dest_index(e->dest)] = 0;
	len = frame(f, UNK, H1, 10, 40, 3);
	evft_inject(p_acc1, f, len);
	EXPECT_OUT(3, 1, 1);
	CU_ASSERT(evf_clock_sec() >= 1);
	CU_ASSERT_EQUAL(evf_fdb.seen[0][evf_dest_index(e->dest)], evf_clock_sec());
	/* H0's event (from the frame to H1) is queued; H1 needs none. */
	CU_ASSERT_EQUAL(rte_ring_count(r), 1);
	evf_ctl_poll_once();
	{
		struct rte_ether_addr h0 = evft_mac(H0);

		CU_ASSERT_PTR_NOT_NULL(evf_fdb_find(red, &h0));
	}

	/* H1 moves to acc1.11: reported (new hold-off slot), applied as a move. */
	memset(evf_workers[0].learn_cache, 0, sizeof(evf_workers[0].learn_cache));
	len = frame(f, UNK, H1, 11, 40, 4);
	evft_inject(p_acc1, f, len);
	EXPECT_OUT(3, 1, 1);
	CU_ASSERT_EQUAL(rte_ring_count(r), 1);
	evf_ctl_poll_once();
	e = evf_fdb_find(red, &h1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a11);

	/* Static remote MAC used as a source locally: pinned, never reported. */
	len = frame(f, UNK, R2, -1, 40, 5);
	evft_inject(p_acc0, f, len);
	EXPECT_OUT(3, 0, 2);
	CU_ASSERT_EQUAL(rte_ring_count(r), 0);
	evft_finish();
}

/* ---- bursts: every frame gets its own decision ---- */

/* Frames with the same MACs and outer tag but one carrying a second (customer)
 * tag must each be judged on their own, in either order inside one burst. */
static void
test_burst_inner_vlan(void)
{
	uint8_t plain[256], dbl[256], tmp[256];
	uint32_t lp, ld, lt;
	struct rte_mbuf *m[2];

	fresh();
	learn(red, a10, H1);
	lp = frame(plain, R2, H1, 10, 40, 1);
	lt = frame(tmp, R2, H1, 0x0063, 36, 1);      /* inner tag 99 */
	ld = with_tag(dbl, tmp, lt, 10);              /* outer tag 10 */
	CU_ASSERT_EQUAL_FATAL(lp, ld);
	CU_ASSERT(memcmp(plain, dbl, 16) == 0);

	/* Known remote destination: plain is encapsulated, double-tagged dropped. */
	m[0] = evft_mbuf(plain, lp);
	m[1] = evft_mbuf(dbl, ld);
	evft_process(p_acc1, m, 2);
	EXPECT_OUT(1, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_INNER_VLAN), 1);
	m[0] = evft_mbuf(dbl, ld);
	m[1] = evft_mbuf(plain, lp);
	evft_process(p_acc1, m, 2);
	EXPECT_OUT(1, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_INNER_VLAN), 2);

	/* Unknown destination: plain floods everywhere, double-tagged only locally. */
	lp = frame(plain, UNK, H1, 10, 40, 2);
	lt = frame(tmp, UNK, H1, 0x0063, 36, 2);
	ld = with_tag(dbl, tmp, lt, 10);
	m[0] = evft_mbuf(plain, lp);
	m[1] = evft_mbuf(dbl, ld);
	evft_process(p_acc1, m, 2);
	EXPECT_OUT(3, 2, 2);
	m[0] = evft_mbuf(dbl, ld);
	m[1] = evft_mbuf(plain, lp);
	evft_process(p_acc1, m, 2);
	EXPECT_OUT(3, 2, 2);
	{
		uint8_t inner[256];
		uint32_t il = without_tag(inner, plain, lp);

		check_remote_copies(inner, il, RED_VNI);
	}
	evft_finish();
}

/* A burst of identical frames, and frames alternating between two flows:
 * all forwarded, each exactly once, to the right place. */
static void
test_burst_runs(void)
{
	struct rte_mbuf *m[64];
	uint8_t a[256], b[256], want[256];
	uint32_t la, lb, lw;

	fresh();
	learn(red, a0, H0);
	learn(red, a10, H1);
	la = frame(a, H1, H0, -1, 40, 1);   /* acc0 -> H1: tag 10 on acc1 */
	lb = frame(b, R2, H0, -1, 40, 2);   /* acc0 -> remote */
	for (int i = 0; i < 40; i++)
		m[i] = evft_mbuf(i < 20 || (i & 1) ? a : b, i < 20 || (i & 1) ? la : lb);
	evft_process(p_acc0, m, 40);
	EXPECT_OUT(10, 0, 30);
	lw = with_tag(want, a, la, 10);
	for (unsigned int i = 0; i < c_acc1.n; i++)
		CU_ASSERT(same(&c_acc1, i, want, lw));
	{
		struct evft_expect e;

		expect_vxlan(&e, VTEP2, RED_VNI, b, lb);
		for (unsigned int i = 0; i < c_net.n; i++)
			EVFT_OK(evft_check_vxlan(c_net.b[i], c_net.len[i], &e));
	}
	CU_ASSERT_EQUAL(evft_all_drops(), 0);
	evft_finish();
}

/* ---- chained mbufs ---- */

static void
test_chained(void)
{
	uint8_t f[512], pkt[512], want[512];
	uint32_t len, plen, wlen;
	struct rte_mbuf *m;
	struct evft_expect e;
	static const uint32_t cuts[][2] = { { 10, 100 }, { 13, 14 }, { 60, 61 }, { 128, 129 } };

	fresh();
	learn(red, a10, H1);
	for (size_t c = 0; c < RTE_DIM(cuts); c++) {
		/* Access frame in three segments to a remote MAC. */
		len = frame(f, R2, H0, -1, 300, (uint8_t)c);
		m = evft_mbuf_chain(f, len, cuts[c], 2);
		evft_process(p_acc0, &m, 1);
		EXPECT_OUT(1, 0, 0);
		expect_vxlan(&e, VTEP2, RED_VNI, f, len);
		EVFT_OK(evft_check_vxlan(c_net.b[0], c_net.len[0], &e));
		/* ... and to an IPv6 VTEP (checksum over the segments). */
		len = frame(f, R6, H0, -1, 300, (uint8_t)c);
		m = evft_mbuf_chain(f, len, cuts[c], 2);
		evft_process(p_acc0, &m, 1);
		EXPECT_OUT(1, 0, 0);
		expect_vxlan(&e, VTEP6, RED_VNI, f, len);
		EVFT_OK(evft_check_vxlan(c_net.b[0], c_net.len[0], &e));
		/* VXLAN packet in segments to H1. */
		len = frame(f, H1, "02:00:00:00:77:30", -1, 300, (uint8_t)c);
		plen = vxlan_in(pkt, c & 1 ? VTEP6 : VTEP2, RED_VNI, f, len);
		m = evft_mbuf_chain(pkt, plen, cuts[c], 2);
		evft_process(p_net, &m, 1);
		EXPECT_OUT(0, 0, 1);
		wlen = with_tag(want, f, len, 10);
		CU_ASSERT(same(&c_acc1, 0, want, wlen));
	}
	CU_ASSERT_EQUAL(evft_all_drops(), 0);
	evft_finish();
}

/* Flood copies of 32 to 64 bytes take two overlapping wide moves, others
 * rte_memcpy, and a VTEP's copy is built with its outer header in one pass:
 * every length around those edges, also in a frame that ends where its
 * buffer ends, arrives whole and exact on every port. */
static void
test_flood_copy_lengths(void)
{
	static const uint32_t lens[] = { 60, 63, 64, 65, 95, 96, 97, 128, 129, 200, 1001 };
	uint8_t f[1100];
	struct evf_stats_sum s;

	fresh();
	for (size_t i = 0; i < RTE_DIM(lens); i++) {
		uint32_t len = frame(f, UNK, H0, -1, lens[i] - 42, (uint8_t)(20 + i));

		CU_ASSERT_FATAL(len == lens[i]);
		flood_whole(f, len, NULL);
	}
	for (size_t i = 0; i < RTE_DIM(lens); i++) {
		uint32_t len = frame(f, UNK, H0, -1, lens[i] - 42, (uint8_t)(40 + i));
		struct rte_mbuf *m = evft_mbuf(f, len);

		/* move the bytes to the end of the buffer: no room behind them */
		CU_ASSERT_FATAL(m != NULL && m->nb_segs == 1);
		m->data_off = (uint16_t)(m->buf_len - len);
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), f, len);
		CU_ASSERT_EQUAL(rte_pktmbuf_tailroom(m), 0);
		flood_whole(f, len, m);
	}
	evf_stats_read(&s, false);
	CU_ASSERT_EQUAL(s.flood_copies - evft_base_stats()->flood_copies, 2 * RTE_DIM(lens) * 4);
	CU_ASSERT_EQUAL(evft_all_drops(), 0);
	evft_finish();
}

/* ---- no leak on any path ---- */

/* Bursts mixing forwarding, flooding with replication, encapsulation, chained
 * frames and every kind of drop, three times over: afterwards every mbuf is
 * back in the pool. */
static void
test_no_leak(void)
{
	static uint8_t big[1600];
	struct rte_mbuf *m[64];
	uint8_t f[512], pkt[512];
	uint32_t len, pl, cut = 5;
	unsigned int n, out = 0;

	fresh();
	learn(red, a0, H0);
	learn(red, a10, H1);
	learn(lim, a30, H0);
	learn(lim, a30, H1);
	for (int round = 0; round < 3; round++) {
		n = 0;
		len = frame(f, UNK, H0, -1, 40, 1);             /* flood: 2 local + 3 remote */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, BCAST, H3, 11, 40, 2);           /* acc0 has no VLAN 11 */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, H0, H2, -1, 40, 3);              /* same attachment */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, R2, H0, -1, 40, 4);              /* encap IPv4 */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, UNK, H3, 30, 40, 5);             /* mac limit */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, UNK, "01:00:00:00:00:01", -1, 40, 6); /* bad source */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, "01:80:c2:00:00:00", H0, -1, 40, 7);  /* link-local */
		m[n++] = evft_mbuf(f, len);
		len = frame(big, UNK, H0, -1, 1500 - 28, 8);    /* flood, remote copies too big */
		m[n++] = evft_mbuf(big, len);
		m[n++] = evft_mbuf(f, 10);                      /* runt */
		len = frame(f, R6, H0, -1, 40, 9);              /* encap IPv6 */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, UNK, H0, -1, 200, 10);
		m[n++] = evft_mbuf_chain(f, len, &cut, 1);      /* chained, flooded */
		evft_process(p_acc0, m, (uint16_t)n);

		n = 0;
		len = frame(f, BCAST, H1, 10, 40, 11);          /* flood from acc1.10 */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, UNK, HB, 20, 40, 12);            /* blue */
		m[n++] = evft_mbuf(f, len);
		len = frame(f, H0, H1, 99, 40, 13);             /* no attachment */
		m[n++] = evft_mbuf(f, len);
		evft_process(p_acc1, m, (uint16_t)n);

		n = 0;
		len = frame(f, BCAST, "02:00:00:00:77:40", -1, 40, 14);
		pl = vxlan_in(pkt, VTEP2, RED_VNI, f, len);     /* flood to 3 locals */
		m[n++] = evft_mbuf(pkt, pl);
		pl = vxlan_in(pkt, VTEP6, RED_VNI, f, len);
		m[n++] = evft_mbuf(pkt, pl);
		pl = vxlan_in(pkt, VTEP2, 999, f, len);         /* unknown VNI */
		m[n++] = evft_mbuf(pkt, pl);
		pkt[20] = 0x20;                                 /* MF: fragment */
		evft_ipv4_fix(pkt + 14);
		m[n++] = evft_mbuf(pkt, pl);
		len = frame(f, R2, "02:00:00:00:77:41", -1, 40, 15);
		pl = vxlan_in(pkt, VTEP3, RED_VNI, f, len);     /* remote to remote */
		m[n++] = evft_mbuf(pkt, pl);
		len = frame(f, H1, "02:00:00:00:77:42", -1, 40, 16);
		pl = vxlan_in(pkt, VTEP3, RED_VNI, f, len);     /* to H1 */
		m[n++] = evft_mbuf(pkt, pl);
		evft_process(p_net, m, (uint16_t)n);

		take_all();
		out += c_net.n + c_acc0.n + c_acc1.n;
		evf_ctl_poll_once();                            /* apply learn events */
	}
	CU_ASSERT(out >= 3 * 20);
	CU_ASSERT(evft_all_drops() >= 3 * 12);
	evft_finish();
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "decapsulation to local hosts", test_decap_to_local },
		{ "flooding from the network", test_flood_from_network },
		{ "network-side drops", test_network_drops },
		{ "encapsulation to remote MACs", test_encap_to_remote },
		{ "flooding from access ports", test_flood_from_access },
		{ "flood copies of every length", test_flood_copy_lengths },
		{ "access-side drops", test_access_drops },
		{ "mac-limit drop", test_mac_limit_drop },
		{ "learning through the learn ring", test_learning_via_ring },
		{ "burst: inner VLAN judged per frame", test_burst_inner_vlan },
		{ "burst: runs of identical frames", test_burst_runs },
		{ "chained mbufs", test_chained },
		{ "no mbuf leak on any path", test_no_leak },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("dp", cases, RTE_DIM(cases), suite_init, suite_clean);
}
