/* test_encap.c: CUnit tests of VXLAN encapsulation (evf_vxlan_encap with the
 * VTEP templates the runtime builds): every outer header byte towards IPv4 and
 * IPv6 VTEPs with and without an underlay VLAN, configured UDP port and TTL,
 * IPv4 header checksum, IPv6 UDP checksum (and udp6-zero-checksum), checksum
 * offload flags, the MTU limit, mbufs without usable headroom (chained header
 * mbuf), chained inner frames, and a decapsulation round trip through
 * evf_vxlan_parse_outer on a node that owns the destination VTEP. */
#include <arpa/inet.h>
#include <string.h>

#include <rte_ip.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_pkt.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_runtime.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_vxlan_dp.h"
#include "evf_test_env.h"

#define NODE_MAC "02:00:00:00:00:01"
#define NH_MAC   "02:00:00:00:00:fe"
#define NODE_V4  "198.18.0.1"
#define NODE_V6  "2001:db8::1"
#define PEER_V4  "198.18.0.2"
#define PEER_V6  "2001:db8::2"

/* A: untagged underlay, defaults (UDP 4789, TTL 64, UDP/IPv6 checksum), MTU 1600. */
static const char cfg_a[] =
	"node:\n"
	"  vtep-ipv4: " NODE_V4 "\n"
	"  vtep-ipv6: \"" NODE_V6 "\"\n"
	"  mac: " NODE_MAC "\n"
	"  fdb-capacity: 1024\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_e0, role: network, next-hop-mac: " NH_MAC ",\n"
	"     mtu: 1600, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_e1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: red\n"
	"    vni: 1000\n"
	"    attachments: [{port: acc0, vlan: untagged}]\n"
	"    remote-vteps: [" PEER_V4 ", \"" PEER_V6 "\"]\n";

/* B: underlay VLAN 100, UDP port 4790, TTL 32, zero UDP/IPv6 checksum, MTU 1500. */
static const char cfg_b[] =
	"node:\n"
	"  vtep-ipv4: " NODE_V4 "\n"
	"  vtep-ipv6: \"" NODE_V6 "\"\n"
	"  mac: " NODE_MAC "\n"
	"  udp-port: 4790\n"
	"  ttl: 32\n"
	"  udp6-zero-checksum: true\n"
	"  fdb-capacity: 1024\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_e0, role: network, next-hop-mac: " NH_MAC ",\n"
	"     vlan: 100, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_e1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: blue\n"
	"    vni: 11259375\n" /* 0xabcdef */
	"    attachments: [{port: acc0, vlan: untagged}]\n"
	"    remote-vteps: [" PEER_V4 ", \"" PEER_V6 "\"]\n";

static const char *cur;
static unsigned int base_in_use;

static void
use(const char *cfg)
{
	if (cur == cfg && evft_is_up())
		return;
	cur = NULL;
	CU_ASSERT_FATAL(evft_up(cfg) == 0);
	cur = cfg;
	base_in_use = evft_in_use();
}

static int
suite_clean(void)
{
	evft_down();
	return 0;
}

static const struct evf_encap_tmpl *
tmpl_of(const char *ip)
{
	int id = evft_vtep(ip);

	CU_ASSERT_FATAL(id >= 0);
	CU_ASSERT_FATAL(evf_vteps[id].in_use && evf_vteps[id].usable);
	return &evf_vteps[id].tmpl[0];
}

static const struct evf_port *
uplink(void)
{
	return &evf_ports[evft_port("net0")];
}

static uint32_t
inner_of(uint8_t *buf, uint32_t len, uint8_t seed)
{
	/* An IPv4/UDP frame of exactly len bytes (len >= 42), or raw bytes below. */
	if (len >= 42)
		return evft_frame(buf, "02:00:00:00:02:02", "02:00:00:00:01:01", -1, "10.0.0.1",
			"10.0.0.2", 1234, 80, len - 42, seed);
	return evft_frame_raw(buf, "02:00:00:00:02:02", "02:00:00:00:01:01", -1, 0x88b5,
		len - 14, seed);
}

static void
expect_init(struct evft_expect *e, const char *peer, bool cfg_is_b, const uint8_t *inner,
	    uint32_t inner_len, uint32_t hash)
{
	memset(e, 0, sizeof(*e));
	e->dst = evft_mac(NH_MAC);
	e->src = evft_mac(NODE_MAC);
	e->vlan = cfg_is_b ? 100 : -1;
	e->dip = evft_ip(peer);
	e->sip = evft_ip(e->dip.family == AF_INET ? NODE_V4 : NODE_V6);
	e->ttl = cfg_is_b ? 32 : 64;
	e->dport = cfg_is_b ? 4790 : 4789;
	e->sport = evf_udp_src_port(hash);
	e->vni = cfg_is_b ? 0xabcdef : 1000;
	e->udp6_zero = cfg_is_b;
	e->inner = inner;
	e->inner_len = inner_len;
}

static rte_be32_t
vni_word(bool cfg_is_b)
{
	uint16_t bd = evft_bd(cfg_is_b ? "blue" : "red");

	CU_ASSERT_FATAL(bd != EVF_INVALID_ID);
	CU_ASSERT_EQUAL(evf_bds[bd].vxlan_vni, rte_cpu_to_be_32((cfg_is_b ? 0xabcdefu : 1000u) << 8));
	return evf_bds[bd].vxlan_vni;
}

/* ---- templates and in-place encapsulation ---- */

static void
check_template(const struct evf_encap_tmpl *t, bool v4, bool b)
{
	CU_ASSERT_EQUAL(t->port_id, evft_port("net0"));
	CU_ASSERT_EQUAL(t->l2_len, b ? 18 : 14);
	CU_ASSERT_EQUAL(t->len, t->l2_len + (v4 ? 20 : 40) + 16);
}

static void
encap_sizes(const char *cfg, const char *peer)
{
	static const uint32_t sizes[] = { 14, 15, 42, 60, 61, 64, 333, 1000, 1444 };
	static const uint32_t hashes[] = { 0, 1, 0x12345678, 0xffffffff, 0x0000c000 };
	bool b = cfg == cfg_b;
	const struct evf_encap_tmpl *t;
	uint8_t inner[2048];

	use(cfg);
	t = tmpl_of(peer);
	check_template(t, strchr(peer, ':') == NULL, b);
	for (size_t i = 0; i < RTE_DIM(sizes); i++) {
		uint32_t ilen = inner_of(inner, sizes[i], (uint8_t)i);
		uint32_t hash = hashes[i % RTE_DIM(hashes)];
		struct rte_mbuf *m = evft_mbuf(inner, ilen), *orig = m;
		uint16_t headroom = rte_pktmbuf_headroom(m);
		struct evft_expect e;
		int rc;

		rc = evf_vxlan_encap(&m, t, vni_word(b), hash, uplink(), evft_pool());
		CU_ASSERT_EQUAL(rc, 0);
		/* Enough headroom: prepended in place. */
		CU_ASSERT_PTR_EQUAL(m, orig);
		CU_ASSERT_EQUAL(m->nb_segs, 1);
		CU_ASSERT_EQUAL(rte_pktmbuf_headroom(m), headroom - t->len);
		CU_ASSERT_EQUAL(m->pkt_len, ilen + t->len);
		CU_ASSERT_EQUAL(m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM), 0);
		expect_init(&e, peer, b, inner, ilen, hash);
		EVFT_OK(evft_check_vxlan_mbuf(m, &e));
		rte_pktmbuf_free(m);
	}
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_ipv4(void)
{
	encap_sizes(cfg_a, PEER_V4);
}

static void
test_ipv6(void)
{
	encap_sizes(cfg_a, PEER_V6);
}

static void
test_ipv4_vlan_port(void)
{
	encap_sizes(cfg_b, PEER_V4);
}

static void
test_ipv6_vlan_zero_cksum(void)
{
	encap_sizes(cfg_b, PEER_V6);
}

/* ---- MTU ---- */

static void
mtu_edge(const char *cfg, const char *peer, uint32_t max_inner)
{
	const struct evf_encap_tmpl *t;
	uint8_t inner[2048], copy[2048];
	struct rte_mbuf *m, *orig;
	struct evft_expect e;
	uint32_t ilen;

	use(cfg);
	t = tmpl_of(peer);
	/* The largest frame that fits. */
	ilen = inner_of(inner, max_inner, 9);
	m = evft_mbuf(inner, ilen);
	CU_ASSERT_EQUAL(evf_vxlan_encap(&m, t, vni_word(cfg == cfg_b), 7, uplink(), evft_pool()), 0);
	expect_init(&e, peer, cfg == cfg_b, inner, ilen, 7);
	EVFT_OK(evft_check_vxlan_mbuf(m, &e));
	rte_pktmbuf_free(m);
	/* One byte more: refused, the frame is left untouched to the caller. */
	ilen = inner_of(inner, max_inner + 1, 9);
	m = orig = evft_mbuf(inner, ilen);
	CU_ASSERT_EQUAL(evf_vxlan_encap(&m, t, vni_word(cfg == cfg_b), 7, uplink(), evft_pool()),
			EVF_DROP_MTU_EXCEEDED);
	CU_ASSERT_PTR_EQUAL(m, orig);
	CU_ASSERT_EQUAL(m->pkt_len, ilen);
	CU_ASSERT_EQUAL(m->nb_segs, 1);
	{
		uint32_t len;

		EVFT_OK(evft_linearize(m, copy, sizeof(copy), &len));
		CU_ASSERT_EQUAL(len, ilen);
		CU_ASSERT(memcmp(copy, inner, ilen) == 0);
	}
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_mtu(void)
{
	/* net0 MTU 1600 in A, 1500 in B: IPv4 adds 36 bytes of L3, IPv6 56. */
	mtu_edge(cfg_a, PEER_V4, 1600 - 36);
	mtu_edge(cfg_a, PEER_V6, 1600 - 56);
	mtu_edge(cfg_b, PEER_V4, 1500 - 36);
	mtu_edge(cfg_b, PEER_V6, 1500 - 56);
}

/* ---- no usable headroom ---- */

static struct rte_mbuf *
mbuf_headroom(const uint8_t *data, uint32_t len, uint16_t headroom)
{
	struct rte_mbuf *m = evft_mbuf(data, len);

	memmove((uint8_t *)m->buf_addr + headroom, rte_pktmbuf_mtod(m, uint8_t *), len);
	m->data_off = headroom;
	memset(m->buf_addr, 0xa5, headroom);
	return m;
}

static void
expect_chained(struct rte_mbuf *m, struct rte_mbuf *orig, const struct evf_encap_tmpl *t,
	       uint32_t ilen)
{
	CU_ASSERT_PTR_NOT_EQUAL(m, orig);
	CU_ASSERT_EQUAL(m->nb_segs, orig->nb_segs + 1);
	CU_ASSERT_PTR_EQUAL(m->next, orig);
	CU_ASSERT_EQUAL(m->data_len, t->len);
	CU_ASSERT_EQUAL(m->pkt_len, t->len + ilen);
}

static void
test_no_headroom(void)
{
	static const char *const peers[] = { PEER_V4, PEER_V6 };
	static const char *const cfgs[] = { cfg_a, cfg_b };

	for (size_t c = 0; c < RTE_DIM(cfgs); c++) {
		for (size_t p = 0; p < RTE_DIM(peers); p++) {
			bool b = cfgs[c] == cfg_b;
			const struct evf_encap_tmpl *t;
			uint8_t inner[2048];
			uint32_t ilen = inner_of(inner, 101, 4);
			struct rte_mbuf *m, *orig;
			struct evft_expect e;

			use(cfgs[c]);
			t = tmpl_of(peers[p]);
			expect_init(&e, peers[p], b, inner, ilen, 0xbeef);

			/* No headroom at all, and one byte short. */
			for (uint16_t hr = 0; hr <= t->len; hr += t->len - 1) {
				m = orig = mbuf_headroom(inner, ilen, hr);
				CU_ASSERT_EQUAL(evf_vxlan_encap(&m, t, vni_word(b), 0xbeef, uplink(),
					evft_pool()), 0);
				expect_chained(m, orig, t, ilen);
				EVFT_OK(evft_check_vxlan_mbuf(m, &e));
				rte_pktmbuf_free(m);
			}
			/* Exactly the header length: in place. */
			m = orig = mbuf_headroom(inner, ilen, t->len);
			CU_ASSERT_EQUAL(evf_vxlan_encap(&m, t, vni_word(b), 0xbeef, uplink(),
				evft_pool()), 0);
			CU_ASSERT_PTR_EQUAL(m, orig);
			CU_ASSERT_EQUAL(m->data_off, 0);
			EVFT_OK(evft_check_vxlan_mbuf(m, &e));
			rte_pktmbuf_free(m);

			/* Shared (refcnt 2): the buffer must not be written; a header
			 * mbuf is chained in front. */
			m = orig = evft_mbuf(inner, ilen);
			rte_mbuf_refcnt_update(orig, 1);
			CU_ASSERT_EQUAL(evf_vxlan_encap(&m, t, vni_word(b), 0xbeef, uplink(),
				evft_pool()), 0);
			expect_chained(m, orig, t, ilen);
			EVFT_OK(evft_check_vxlan_mbuf(m, &e));
			for (uint16_t i = 0; i < orig->data_off; i++) {
				if (((uint8_t *)orig->buf_addr)[i] != 0xa5) {
					CU_FAIL("headroom of a shared mbuf written");
					break;
				}
			}
			CU_ASSERT(memcmp(rte_pktmbuf_mtod(orig, uint8_t *), inner, ilen) == 0);
			rte_pktmbuf_free(m);   /* header + one reference */
			CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(orig), 1);
			rte_pktmbuf_free(orig);
			CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
		}
	}
}

/* An mbuf chain as inner frame, cut at odd and even offsets (the IPv6 UDP
 * checksum walks the segments). */
static void
test_chained_inner(void)
{
	static const char *const peers[] = { PEER_V4, PEER_V6 };
	static const uint32_t cuts[][2] = { { 1, 2 }, { 7, 60 }, { 14, 15 }, { 33, 99 }, { 60, 61 } };

	use(cfg_a);
	for (size_t p = 0; p < RTE_DIM(peers); p++) {
		const struct evf_encap_tmpl *t = tmpl_of(peers[p]);

		for (size_t c = 0; c < RTE_DIM(cuts); c++) {
			uint8_t inner[256];
			uint32_t ilen = inner_of(inner, 161, (uint8_t)c);
			struct rte_mbuf *m = evft_mbuf_chain(inner, ilen, cuts[c], 2);
			struct evft_expect e;

			CU_ASSERT_EQUAL(evf_vxlan_encap(&m, t, vni_word(false), (uint32_t)c, uplink(),
				evft_pool()), 0);
			CU_ASSERT_EQUAL(m->nb_segs, 3);
			expect_init(&e, peers[p], false, inner, ilen, (uint32_t)c);
			EVFT_OK(evft_check_vxlan_mbuf(m, &e));
			rte_pktmbuf_free(m);
		}
	}
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

/* No room in front and no mbuf for a header: refused, frame untouched. */
static void
test_no_mbuf_for_header(void)
{
	struct rte_mempool *tiny = rte_pktmbuf_pool_create("evft_tiny", 1, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	struct rte_mbuf *hold, *m, *orig;
	const struct evf_encap_tmpl *t;
	uint8_t inner[128];
	uint32_t ilen;

	use(cfg_a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tiny);
	hold = rte_pktmbuf_alloc(tiny);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hold);
	t = tmpl_of(PEER_V4);
	ilen = inner_of(inner, 80, 1);
	m = orig = mbuf_headroom(inner, ilen, 0);
	CU_ASSERT_EQUAL(evf_vxlan_encap(&m, t, vni_word(false), 1, uplink(), tiny),
			EVF_DROP_NO_HEADROOM);
	CU_ASSERT_PTR_EQUAL(m, orig);
	CU_ASSERT_EQUAL(m->nb_segs, 1);
	CU_ASSERT_EQUAL(m->pkt_len, ilen);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod(m, uint8_t *), inner, ilen) == 0);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(hold);
	rte_mempool_free(tiny);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

/* Two clones (indirect mbufs sharing one data buffer) encapsulated towards
 * an IPv4 and an IPv6 VTEP: each must come out with its own headers, and the
 * shared buffer must not be written. */
static void
test_clones(void)
{
	const struct evf_encap_tmpl *t4, *t6;
	struct rte_mbuf *m, *c4, *c6;
	struct evft_expect e4, e6;
	uint8_t inner[256];
	uint32_t ilen;

	use(cfg_a);
	t4 = tmpl_of(PEER_V4);
	t6 = tmpl_of(PEER_V6);
	ilen = inner_of(inner, 120, 2);
	m = evft_mbuf(inner, ilen);
	c4 = rte_pktmbuf_clone(m, evft_pool());
	c6 = rte_pktmbuf_clone(m, evft_pool());
	CU_ASSERT_PTR_NOT_NULL_FATAL(c4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c6);
	CU_ASSERT_EQUAL(evf_vxlan_encap(&c4, t4, vni_word(false), 11, uplink(), evft_pool()), 0);
	CU_ASSERT_EQUAL(evf_vxlan_encap(&c6, t6, vni_word(false), 22, uplink(), evft_pool()), 0);
	expect_init(&e4, PEER_V4, false, inner, ilen, 11);
	expect_init(&e6, PEER_V6, false, inner, ilen, 22);
	EVFT_OK(evft_check_vxlan_mbuf(c4, &e4));
	EVFT_OK(evft_check_vxlan_mbuf(c6, &e6));
	{
		bool clean = true;

		for (uint16_t i = 0; i < m->data_off; i++)
			clean &= ((uint8_t *)m->buf_addr)[i] == 0xa5;
		if (!clean)
			fprintf(stderr, "\n    headroom of the shared data buffer was written\n");
		CU_ASSERT(clean);
	}
	rte_pktmbuf_free(c4);
	rte_pktmbuf_free(c6);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

/* ---- checksum offload flags ---- */

static void
test_offload_flags(void)
{
	struct evf_port up;
	uint8_t inner[256], pkt[512];
	uint32_t ilen, len;
	struct rte_mbuf *m;

	use(cfg_b);
	up = *uplink();
	up.tx_ipv4_cksum = true;
	up.tx_udp_cksum = true;
	ilen = inner_of(inner, 90, 3);

	/* IPv4: checksum left to the device. */
	m = evft_mbuf(inner, ilen);
	CU_ASSERT_EQUAL(evf_vxlan_encap(&m, tmpl_of(PEER_V4), vni_word(true), 5, &up, evft_pool()), 0);
	CU_ASSERT_EQUAL(m->ol_flags & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM),
			RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM);
	CU_ASSERT_EQUAL(m->l2_len, 18);
	CU_ASSERT_EQUAL(m->l3_len, 20);
	EVFT_OK(evft_linearize(m, pkt, sizeof(pkt), &len));
	CU_ASSERT(pkt[18 + 10] == 0 && pkt[18 + 11] == 0);
	rte_pktmbuf_free(m);

	/* IPv6 with udp6-zero-checksum: no UDP offload requested, checksum 0. */
	m = evft_mbuf(inner, ilen);
	CU_ASSERT_EQUAL(evf_vxlan_encap(&m, tmpl_of(PEER_V6), vni_word(true), 5, &up, evft_pool()), 0);
	CU_ASSERT_EQUAL(m->ol_flags & RTE_MBUF_F_TX_UDP_CKSUM, 0);
	EVFT_OK(evft_linearize(m, pkt, sizeof(pkt), &len));
	CU_ASSERT(pkt[18 + 40 + 6] == 0 && pkt[18 + 40 + 7] == 0);
	rte_pktmbuf_free(m);

	/* IPv6 with checksums (config A): device offload gets the pseudo-header sum. */
	use(cfg_a);
	up = *uplink();
	up.tx_udp_cksum = true;
	m = evft_mbuf(inner, ilen);
	CU_ASSERT_EQUAL(evf_vxlan_encap(&m, tmpl_of(PEER_V6), vni_word(false), 5, &up, evft_pool()), 0);
	CU_ASSERT_EQUAL(m->ol_flags & (RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM),
			RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM);
	CU_ASSERT_EQUAL(m->l2_len, 14);
	CU_ASSERT_EQUAL(m->l3_len, 40);
	EVFT_OK(evft_linearize(m, pkt, sizeof(pkt), &len));
	{
		uint8_t ph[40];
		uint16_t want;

		memcpy(ph, pkt + 14 + 8, 32);
		ph[32] = 0;
		ph[33] = 0;
		ph[34] = (uint8_t)((16 + ilen) >> 8);
		ph[35] = (uint8_t)(16 + ilen);
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = IPPROTO_UDP;
		want = evft_fold(evft_sum(ph, sizeof(ph), 0));
		CU_ASSERT_EQUAL((uint16_t)(pkt[14 + 40 + 6] << 8 | pkt[14 + 40 + 7]), want);
	}
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

/* ---- decapsulation round trip ---- */

static void
roundtrip(const char *cfg, const char *peer)
{
	struct evf_node saved;
	const struct evf_encap_tmpl *t;
	struct evf_port rx;
	uint8_t inner[2048], out[2048];
	uint32_t ilen, len;
	struct evf_outer o;
	struct rte_mbuf *m;
	bool v4 = strchr(peer, ':') == NULL;

	use(cfg);
	saved = evf_node;
	t = tmpl_of(peer);
	ilen = inner_of(inner, 517, 8);
	m = evft_mbuf(inner, ilen);
	CU_ASSERT_EQUAL_FATAL(evf_vxlan_encap(&m, t, vni_word(cfg == cfg_b), 99, uplink(),
		evft_pool()), 0);

	/* Become the peer: its VTEP address, the next hop's MAC on the port. */
	rx = *uplink();
	rx.hw_mac = evft_mac(NH_MAC);
	evf_node.mac = evft_mac("02:00:00:00:99:99");
	if (v4)
		evf_node.ipv4 = evft_ip(peer);
	else
		evf_node.ipv6 = evft_ip(peer);
	memset(&o, 0, sizeof(o));
	{
		int rc = evf_vxlan_parse_outer(&rx, m, &o);

		if (rc != 0)
			fprintf(stderr, "\n    %s to %s: parse gave %s\n", cfg == cfg_a ? "A" : "B",
				peer, evf_drop_name((enum evf_drop_reason)rc));
		CU_ASSERT_EQUAL(rc, 0);
	}
	evf_node = saved;

	CU_ASSERT_EQUAL(o.vni, cfg == cfg_b ? 0xabcdefu : 1000u);
	CU_ASSERT_EQUAL(o.strip, t->len);
	CU_ASSERT_EQUAL(o.inner_len, ilen);
	CU_ASSERT_EQUAL(o.family, v4 ? AF_INET : AF_INET6);
	if (v4) {
		CU_ASSERT_EQUAL(o.src_v4, evft_ip(NODE_V4).v4);
	} else {
		CU_ASSERT_PTR_NOT_NULL_FATAL(o.src_v6);
		CU_ASSERT(memcmp(o.src_v6, evft_ip(NODE_V6).v6, 16) == 0);
	}
	CU_ASSERT_PTR_NOT_NULL(rte_pktmbuf_adj(m, o.strip));
	EVFT_OK(evft_linearize(m, out, sizeof(out), &len));
	CU_ASSERT_EQUAL(len, ilen);
	CU_ASSERT(memcmp(out, inner, ilen) == 0);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_roundtrip(void)
{
	roundtrip(cfg_a, PEER_V4);
	roundtrip(cfg_a, PEER_V6);
	roundtrip(cfg_b, PEER_V4);
	roundtrip(cfg_b, PEER_V6);
}

/* A VTEP of a family we have no address for gets no usable template. */
static void
test_unusable_family(void)
{
	static const char cfg_v4only[] =
		"node:\n"
		"  vtep-ipv4: " NODE_V4 "\n"
		"  mac: " NODE_MAC "\n"
		"  fdb-capacity: 1024\n"
		"ports:\n"
		"  - {name: net0, device: net_ring_e0, role: network, next-hop-mac: " NH_MAC ",\n"
		"     rx-descriptors: 64, tx-descriptors: 64}\n"
		"mac-vrfs:\n"
		"  - name: red\n"
		"    vni: 1000\n"
		"    remote-vteps: [" PEER_V4 "]\n";
	struct evf_ip v6 = evft_ip(PEER_V6);
	int id;

	use(cfg_v4only);
	id = evft_vtep(PEER_V4);
	CU_ASSERT_FATAL(id >= 0);
	CU_ASSERT_EQUAL(evf_vteps[id].usable, 1);
	CU_ASSERT_EQUAL(evf_vteps[id].family, AF_INET);
	id = evf_vtep_get(&v6);
	CU_ASSERT_FATAL(id >= 0);
	CU_ASSERT_EQUAL(evf_vteps[id].usable, 0);
	CU_ASSERT_EQUAL(evf_vteps[id].family, AF_INET6);
	evf_vtep_put((uint16_t)id);
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "IPv4 VTEP, untagged underlay", test_ipv4 },
		{ "IPv6 VTEP, untagged underlay, UDP checksum", test_ipv6 },
		{ "IPv4 VTEP, underlay VLAN, UDP 4790, TTL 32", test_ipv4_vlan_port },
		{ "IPv6 VTEP, underlay VLAN, zero UDP checksum", test_ipv6_vlan_zero_cksum },
		{ "MTU limit", test_mtu },
		{ "no headroom, shared mbuf: chained header", test_no_headroom },
		{ "chained inner frame", test_chained_inner },
		{ "no mbuf for a header", test_no_mbuf_for_header },
		{ "cloned (indirect) mbufs", test_clones },
		{ "checksum offload flags", test_offload_flags },
		{ "decapsulation round trip", test_roundtrip },
		{ "VTEP of an address family without source", test_unusable_family },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("encap", cases, RTE_DIM(cases), NULL, suite_clean);
}
