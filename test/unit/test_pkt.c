/* test_pkt.c: CUnit tests of the packet helpers (lib/pkt) and of the VXLAN
 * outer-header parser (evf_vxlan_parse_outer): valid IPv4/IPv6 packets, every
 * drop reason the parser can return from a crafted packet, trailing-byte trim,
 * headers split over two and three chained mbufs (same result as the
 * contiguous packet), the inline fast path against the full parser for every
 * one-byte change of a valid packet, evf_mbuf_pullup, 802.1Q push/pop, the
 * flow hash and the VXLAN UDP source port.
 * The node identity and the network ports (net0 untagged, net1 underlay VLAN
 * 100, both MTU 1500) come from a runtime brought up from YAML; node variants
 * (no IPv4, no IPv6, UDP port 4790) are other bring-ups. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "evf_pkt.h"
#include "evf_stats.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_vxlan_dp.h"
#include "evf_test_env.h"

#define NODE_MAC  "02:00:00:00:00:01"
#define PEER_MAC  "02:00:00:00:00:fe"
#define NODE_V4   "198.18.0.1"
#define PEER_V4   "198.18.0.2"
#define NODE_V6   "2001:db8::1"
#define PEER_V6   "2001:db8::2"

#define CFG_FMT                                                                \
	"node:\n"                                                             \
	"%s%s"                                                                 \
	"  mac: " NODE_MAC "\n"                                               \
	"  udp-port: %u\n"                                                    \
	"  fdb-capacity: 1024\n"                                              \
	"ports:\n"                                                            \
	"  - {name: net0, device: net_ring_p0, role: network, next-hop-mac: " PEER_MAC ",\n" \
	"     rx-descriptors: 64, tx-descriptors: 64}\n"                      \
	"  - {name: net1, device: net_ring_p1, role: network, next-hop-mac: " PEER_MAC ",\n" \
	"     vlan: 100, rx-descriptors: 64, tx-descriptors: 64}\n"

static const struct evf_port *port;       /* net0: untagged underlay, MTU 1500 */
static const struct evf_port *port_vlan;  /* net1: underlay VLAN 100 */
static uint64_t reasons_seen;             /* bit per drop reason produced (and expected) */
static unsigned int base_in_use;
static char cur_cfg[1024];

/* Bring up a node with/without an IPv4 and IPv6 VTEP address and the given
 * VXLAN UDP port (no-op when that runtime is already up). */
static void
node_setup(bool v4, bool v6, uint16_t udp_port)
{
	char cfg[1024];

	snprintf(cfg, sizeof(cfg), CFG_FMT, v4 ? "  vtep-ipv4: " NODE_V4 "\n" : "",
		 v6 ? "  vtep-ipv6: \"" NODE_V6 "\"\n" : "", udp_port);
	if (evft_is_up() && strcmp(cfg, cur_cfg) == 0)
		return;
	cur_cfg[0] = '\0';
	CU_ASSERT_FATAL(evft_up(cfg) == 0);
	snprintf(cur_cfg, sizeof(cur_cfg), "%s", cfg);
	port = &evf_ports[evft_port("net0")];
	port_vlan = &evf_ports[evft_port("net1")];
	CU_ASSERT_FATAL(port->mtu == 1500 && port->underlay_vlan == 0);
	CU_ASSERT_FATAL(port_vlan->underlay_vlan == 100);
	base_in_use = evft_in_use();
}

/* Every test starts from the main node (IPv4 + IPv6, UDP 4789). */
#define MAIN_NODE() node_setup(true, true, 4789)

static int
suite_clean(void)
{
	evft_down();
	return 0;
}

static const char *
rc_name(int rc)
{
	return rc == 0 ? "ok" : evf_drop_name((enum evf_drop_reason)rc);
}

#define EXPECT_RC(got, want) do {                                              \
		int g_ = (got), w_ = (want);                                   \
		if (g_ != w_)                                                  \
			fprintf(stderr, "\n    %s:%d: parse gave %s, expected %s\n", \
				__FILE__, __LINE__, rc_name(g_), rc_name(w_));  \
		else if (w_ > 0 && w_ < 64)                                    \
			reasons_seen |= 1ull << w_;                            \
		CU_ASSERT_EQUAL(g_, w_);                                       \
	} while (0)

/* Parse a byte image in a fresh one-segment mbuf; o and the packet length
 * after parsing are returned, the mbuf freed. */
static int
parse_img(const struct evf_port *p, const uint8_t *img, uint32_t len, struct evf_outer *o,
	  uint32_t *len_after)
{
	struct rte_mbuf *m = evft_mbuf(img, len);
	int rc;

	memset(o, 0, sizeof(*o));
	rc = evf_vxlan_parse_outer(p, m, o);
	if (len_after)
		*len_after = m->pkt_len;
	rte_pktmbuf_free(m);
	return rc;
}

static uint32_t
inner_frame(uint8_t *buf, uint32_t payload)
{
	return evft_frame(buf, "02:00:00:00:02:02", "02:00:00:00:01:01", -1, "10.0.0.1",
		"10.0.0.2", 1234, 80, payload, 3);
}

/* A valid VXLAN packet towards our node: family 4 or 6, underlay tag or -1. */
static uint32_t
build(uint8_t *buf, int family, int vlan, uint32_t vni, uint32_t inner_payload,
      struct evft_layout *lay)
{
	uint8_t inner[2048];
	uint32_t ilen = inner_frame(inner, inner_payload);
	struct evft_outer o;

	if (family == 4)
		evft_outer_init(&o, NODE_MAC, PEER_MAC, PEER_V4, NODE_V4);
	else
		evft_outer_init(&o, NODE_MAC, PEER_MAC, PEER_V6, NODE_V6);
	o.vlan = vlan;
	o.vni = vni;
	return evft_vxlan(buf, &o, inner, ilen, lay);
}

/* ---- valid packets ---- */

static void
test_valid_ipv4(void)
{
	uint8_t pkt[2048], inner[2048];
	struct evft_layout lay;
	struct evf_outer o;
	uint32_t ilen = inner_frame(inner, 46), len, after;
	struct evft_outer ob;
	struct rte_mbuf *m;
	MAIN_NODE();

	evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V4, NODE_V4);
	ob.vni = 0xabcdef;
	len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
	CU_ASSERT_EQUAL(lay.inner, 50);

	m = evft_mbuf(pkt, len);
	memset(&o, 0xee, sizeof(o));
	EXPECT_RC(evf_vxlan_parse_outer(port, m, &o), 0);
	CU_ASSERT_EQUAL(o.vni, 0xabcdef);
	CU_ASSERT_EQUAL(o.strip, 50);
	CU_ASSERT_EQUAL(o.inner_len, ilen);
	CU_ASSERT_EQUAL(o.family, AF_INET);
	CU_ASSERT_EQUAL(o.src_v4, evft_ip(PEER_V4).v4);
	CU_ASSERT_PTR_NULL(o.src_v6);
	CU_ASSERT_EQUAL(m->pkt_len, len);
	CU_ASSERT_EQUAL(m->nb_segs, 1);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod(m, uint8_t *), pkt, len) == 0);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod_offset(m, uint8_t *, o.strip), inner, ilen) == 0);
	rte_pktmbuf_free(m);

	/* The port's own MAC is accepted as well as the node MAC. */
	ob.dst = port->hw_mac;
	len = evft_vxlan(pkt, &ob, inner, ilen, NULL);
	EXPECT_RC(parse_img(port, pkt, len, &o, &after), 0);
	CU_ASSERT_EQUAL(after, len);

	/* VNI 1 and without DF. */
	ob.vni = 1;
	ob.df = false;
	ob.ip_id = 0x1234;
	len = evft_vxlan(pkt, &ob, inner, ilen, NULL);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);
	CU_ASSERT_EQUAL(o.vni, 1);

	/* Reserved VXLAN bits set next to the I flag are ignored (RFC 7348). */
	ob.vx_word0 = 0x0fffffff;
	len = evft_vxlan(pkt, &ob, inner, ilen, NULL);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);
	CU_ASSERT_EQUAL(o.vni, 1);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_valid_ipv6(void)
{
	uint8_t pkt[2048], inner[2048];
	struct evft_layout lay;
	struct evf_outer o;
	uint32_t ilen = inner_frame(inner, 100), len;
	struct evft_outer ob;
	struct rte_mbuf *m;
	struct evf_ip peer = evft_ip(PEER_V6);
	MAIN_NODE();

	evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V6, NODE_V6);
	ob.vni = 0xffffff;
	len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
	CU_ASSERT_EQUAL(lay.inner, 70);
	m = evft_mbuf(pkt, len);
	EXPECT_RC(evf_vxlan_parse_outer(port, m, &o), 0);
	CU_ASSERT_EQUAL(o.vni, 0xffffff);
	CU_ASSERT_EQUAL(o.strip, 70);
	CU_ASSERT_EQUAL(o.inner_len, ilen);
	CU_ASSERT_EQUAL(o.family, AF_INET6);
	CU_ASSERT_EQUAL(o.src_v4, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.src_v6);
	CU_ASSERT(memcmp(o.src_v6, peer.v6, 16) == 0);
	CU_ASSERT_EQUAL(m->pkt_len, len);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod_offset(m, uint8_t *, o.strip), inner, ilen) == 0);
	rte_pktmbuf_free(m);

	/* A zero UDP checksum is accepted over IPv6 (RFC 6935). */
	ob.udp_cksum = false;
	len = evft_vxlan(pkt, &ob, inner, ilen, NULL);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);
	CU_ASSERT_EQUAL(o.strip, 70);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_underlay_vlan(void)
{
	uint8_t pkt[2048];
	struct evf_outer o;
	uint32_t len;
	MAIN_NODE();

	/* Tagged port: right VLAN accepted (PCP/DEI bits ignored), v4 and v6. */
	len = build(pkt, 4, 100, 7, 20, NULL);
	EXPECT_RC(parse_img(port_vlan, pkt, len, &o, NULL), 0);
	CU_ASSERT_EQUAL(o.strip, 54);
	CU_ASSERT_EQUAL(o.vni, 7);
	len = build(pkt, 4, 0xb000 | 100, 7, 20, NULL);
	EXPECT_RC(parse_img(port_vlan, pkt, len, &o, NULL), 0);
	CU_ASSERT_EQUAL(o.strip, 54);
	len = build(pkt, 6, 100, 7, 20, NULL);
	EXPECT_RC(parse_img(port_vlan, pkt, len, &o, NULL), 0);
	CU_ASSERT_EQUAL(o.strip, 74);

	/* Wrong VLAN, untagged frame on a tagged port, tagged frame on an untagged port. */
	len = build(pkt, 4, 101, 7, 20, NULL);
	EXPECT_RC(parse_img(port_vlan, pkt, len, &o, NULL), EVF_DROP_UNDERLAY_VLAN);
	len = build(pkt, 4, 0xf000 | 4094, 7, 20, NULL);
	EXPECT_RC(parse_img(port_vlan, pkt, len, &o, NULL), EVF_DROP_UNDERLAY_VLAN);
	len = build(pkt, 4, -1, 7, 20, NULL);
	EXPECT_RC(parse_img(port_vlan, pkt, len, &o, NULL), EVF_DROP_UNDERLAY_VLAN);
	len = build(pkt, 6, -1, 7, 20, NULL);
	EXPECT_RC(parse_img(port_vlan, pkt, len, &o, NULL), EVF_DROP_UNDERLAY_VLAN);
	len = build(pkt, 4, 100, 7, 20, NULL);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_UNDERLAY_VLAN);

	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

/* Frames shorter than their Ethernet (or 802.1Q) header must be dropped as
 * truncated-eth. The parser returns 0 for "parsed" and a drop reason > 0
 * otherwise, so the reason must not be 0. */
static void
test_runt(void)
{
	uint8_t pkt[2048];
	struct evf_outer o;
	unsigned int parsed = 0, total = 0;
	uint32_t len;
	MAIN_NODE();

	len = build(pkt, 4, -1, 7, 20, NULL);
	for (uint32_t l = 0; l < 14 && l < len; l++, total++) {
		int rc = parse_img(port, pkt, l, &o, NULL);

		parsed += rc == 0;
		CU_ASSERT_NOT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(rc, EVF_DROP_TRUNC_ETH);
	}
	len = build(pkt, 4, 100, 7, 20, NULL);
	for (uint32_t l = 14; l < 18; l++, total++) {
		int rc = parse_img(port_vlan, pkt, l, &o, NULL);

		parsed += rc == 0;
		CU_ASSERT_NOT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(rc, EVF_DROP_TRUNC_ETH);
	}
	if (parsed)
		fprintf(stderr, "\n    %u of %u runt frames reported as parsed (rc 0): "
			"EVF_DROP_TRUNC_ETH is %d, the same value as success\n", parsed, total,
			(int)EVF_DROP_TRUNC_ETH);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_not_our_mac(void)
{
	MAIN_NODE();
	uint8_t pkt[2048];
	struct evf_outer o;
	uint32_t len = build(pkt, 4, -1, 9, 20, NULL);
	static const char *const others[] = {
		"02:00:00:00:00:02", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "00:00:00:00:00:00",
		"03:00:00:00:00:01", "02:00:00:00:00:ab", "02:00:00:00:01:00",
	};

	for (size_t i = 0; i < RTE_DIM(others); i++) {
		struct rte_ether_addr a = evft_mac(others[i]);

		if (rte_is_same_ether_addr(&a, &port->hw_mac))
			continue; /* the port's own MAC (net_ring: 00:00:00:00:00:00) is ours */

		memcpy(pkt, a.addr_bytes, 6);
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_OUR_MAC);
	}
}

/* Truncation at every byte of a packet whose length fields claim the full size,
 * and consistent packets cut at each header. */
static void
test_truncated(void)
{
	uint8_t pkt[2048], inner[64];
	struct evft_outer ob;
	struct evft_layout lay;
	struct evf_outer o;
	uint32_t len, ilen;
	MAIN_NODE();

	for (int fam = 4; fam <= 6; fam += 2) {
		uint32_t l3end;

		len = build(pkt, fam, -1, 5, 20, &lay);
		l3end = lay.l3 + (fam == 4 ? 20 : 40);
		/* (frames below 14 bytes: test_runt) */
		for (uint32_t l = 14; l < len; l++) {
			int want = l < l3end ? EVF_DROP_TRUNC_IP : EVF_DROP_BAD_IP_LEN;
			EXPECT_RC(parse_img(port, pkt, l, &o, NULL), want);
		}
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);
	}

	/* Consistent lengths, cut inside UDP / VXLAN / inner Ethernet. */
	ilen = evft_frame_raw(inner, "02:00:00:00:02:02", "02:00:00:00:01:01", -1, 0x0800, 0, 0);
	CU_ASSERT_EQUAL_FATAL(ilen, 14);
	for (int fam = 4; fam <= 6; fam += 2) {
		if (fam == 4)
			evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V4, NODE_V4);
		else
			evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V6, NODE_V6);
		ob.udp_cksum = false;
		len = evft_vxlan(pkt, &ob, inner, ilen, &lay);

		/* Inner frame exactly 14 bytes: fine. */
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);
		CU_ASSERT_EQUAL(o.inner_len, 14);

		for (uint32_t ulen = 0; ulen < 16 + 14; ulen++) {
			/* IP length ends the datagram after ulen bytes of UDP; the UDP
			 * length field says ulen. */
			uint32_t plen = lay.l4 + ulen;
			int want = ulen < 8 ? EVF_DROP_TRUNC_UDP : ulen == 8 ? EVF_DROP_EMPTY_UDP :
				ulen < 16 ? EVF_DROP_TRUNC_VXLAN : ulen < 30 ? EVF_DROP_TRUNC_INNER : 0;

			if (fam == 4) {
				pkt[lay.l3 + 2] = (uint8_t)((plen - lay.l3) >> 8);
				pkt[lay.l3 + 3] = (uint8_t)(plen - lay.l3);
				evft_ipv4_fix(pkt + lay.l3);
			} else {
				pkt[lay.l3 + 4] = (uint8_t)((plen - lay.l3 - 40) >> 8);
				pkt[lay.l3 + 5] = (uint8_t)(plen - lay.l3 - 40);
			}
			if (ulen >= 6) {
				pkt[lay.l4 + 4] = 0;
				pkt[lay.l4 + 5] = (uint8_t)ulen;
			}
			EXPECT_RC(parse_img(port, pkt, plen, &o, NULL), want);
		}
	}
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

/* Mutate one field of a valid IPv4 packet; fix the checksum unless asked not to. */
static int
v4_mut(uint32_t off, const uint8_t *bytes, uint32_t n, bool fix, uint64_t ol_flags)
{
	uint8_t pkt[2048];
	struct evft_layout lay;
	struct evf_outer o;
	struct rte_mbuf *m;
	uint32_t len = build(pkt, 4, -1, 5, 20, &lay);
	int rc;

	memcpy(pkt + lay.l3 + off, bytes, n);
	if (fix)
		evft_ipv4_fix(pkt + lay.l3);
	m = evft_mbuf(pkt, len);
	m->ol_flags = ol_flags;
	rc = evf_vxlan_parse_outer(port, m, &o);
	rte_pktmbuf_free(m);
	return rc;
}

static void
test_ipv4_header(void)
{
	uint8_t pkt[2048];
	struct evft_layout lay;
	struct evf_outer o;
	uint32_t len;
	MAIN_NODE();

	/* Not IP at all. */
	len = build(pkt, 4, -1, 5, 20, &lay);
	pkt[12] = 0x08;
	pkt[13] = 0x06;
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_IP);
	pkt[12] = 0x88;
	pkt[13] = 0xa8; /* 802.1ad outer tag is not our underlay */
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_IP);

	/* Version. */
	EXPECT_RC(v4_mut(0, (const uint8_t[]){ 0x65 }, 1, true, 0), EVF_DROP_BAD_IP_VERSION);
	EXPECT_RC(v4_mut(0, (const uint8_t[]){ 0x05 }, 1, true, 0), EVF_DROP_BAD_IP_VERSION);
	/* IHL below 5. */
	for (uint8_t ihl = 0; ihl < 5; ihl++)
		EXPECT_RC(v4_mut(0, (const uint8_t[]){ (uint8_t)(0x40 | ihl) }, 1, true, 0),
			  EVF_DROP_BAD_IP_HDR_LEN);
	/* IHL beyond the packet: IHL 15 (60 bytes) in frames of 34..73 bytes. */
	{
		uint8_t small[128];

		build(small, 4, -1, 5, 0, &lay);
		small[lay.l3] = 0x4f;
		for (uint32_t l = 34; l < 14 + 60; l++)
			EXPECT_RC(parse_img(port, small, l, &o, NULL), EVF_DROP_BAD_IP_HDR_LEN);
	}
	/* Total length below IHL, above the frame. */
	EXPECT_RC(v4_mut(2, (const uint8_t[]){ 0, 19 }, 2, true, 0), EVF_DROP_BAD_IP_LEN);
	EXPECT_RC(v4_mut(2, (const uint8_t[]){ 0x05, 0xdc }, 2, true, 0), EVF_DROP_BAD_IP_LEN);
	/* Checksum: wrong in software; offload verdicts override. */
	EXPECT_RC(v4_mut(8, (const uint8_t[]){ 63 }, 1, false, 0), EVF_DROP_BAD_IP_CKSUM);
	EXPECT_RC(v4_mut(10, (const uint8_t[]){ 0, 0 }, 2, false, 0), EVF_DROP_BAD_IP_CKSUM);
	EXPECT_RC(v4_mut(8, (const uint8_t[]){ 63 }, 1, false, RTE_MBUF_F_RX_IP_CKSUM_GOOD), 0);
	EXPECT_RC(v4_mut(8, (const uint8_t[]){ 64 }, 1, true, RTE_MBUF_F_RX_IP_CKSUM_BAD),
		  EVF_DROP_BAD_IP_CKSUM);
	EXPECT_RC(v4_mut(8, (const uint8_t[]){ 64 }, 1, true, RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN), 0);
	EXPECT_RC(v4_mut(8, (const uint8_t[]){ 63 }, 1, false, RTE_MBUF_F_RX_IP_CKSUM_NONE),
		  EVF_DROP_BAD_IP_CKSUM);
	/* Fragments: MF, any offset; DF alone is fine, so is no flag. */
	EXPECT_RC(v4_mut(6, (const uint8_t[]){ 0x20, 0x00 }, 2, true, 0), EVF_DROP_IP_FRAGMENT);
	EXPECT_RC(v4_mut(6, (const uint8_t[]){ 0x00, 0x01 }, 2, true, 0), EVF_DROP_IP_FRAGMENT);
	EXPECT_RC(v4_mut(6, (const uint8_t[]){ 0x1f, 0xff }, 2, true, 0), EVF_DROP_IP_FRAGMENT);
	EXPECT_RC(v4_mut(6, (const uint8_t[]){ 0x60, 0x00 }, 2, true, 0), EVF_DROP_IP_FRAGMENT);
	EXPECT_RC(v4_mut(6, (const uint8_t[]){ 0x40, 0x00 }, 2, true, 0), 0);
	EXPECT_RC(v4_mut(6, (const uint8_t[]){ 0x00, 0x00 }, 2, true, 0), 0);
	/* Destination not our VTEP; source does not matter. */
	EXPECT_RC(v4_mut(16, (const uint8_t[]){ 198, 18, 0, 3 }, 4, true, 0), EVF_DROP_NOT_OUR_VTEP);
	EXPECT_RC(v4_mut(16, (const uint8_t[]){ 255, 255, 255, 255 }, 4, true, 0),
		  EVF_DROP_NOT_OUR_VTEP);
	EXPECT_RC(v4_mut(12, (const uint8_t[]){ 10, 9, 8, 7 }, 4, true, 0), 0);
	/* Protocol. */
	EXPECT_RC(v4_mut(9, (const uint8_t[]){ IPPROTO_TCP }, 1, true, 0), EVF_DROP_NOT_UDP);
	EXPECT_RC(v4_mut(9, (const uint8_t[]){ IPPROTO_UDPLITE }, 1, true, 0), EVF_DROP_NOT_UDP);

	/* A node without an IPv4 VTEP address takes no IPv4 VXLAN. */
	node_setup(false, true, 4789);
	EXPECT_RC(v4_mut(0, (const uint8_t[]){ 0x45 }, 1, true, 0), EVF_DROP_NOT_OUR_VTEP);
	MAIN_NODE();
	EXPECT_RC(v4_mut(0, (const uint8_t[]){ 0x45 }, 1, true, 0), 0);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_ipv4_options_and_size(void)
{
	uint8_t pkt[2048], inner[2048], opt[2048];
	struct evft_layout lay;
	struct evft_outer ob;
	struct evf_outer o;
	uint32_t ilen = inner_frame(inner, 30), len, olen;
	MAIN_NODE();

	/* IHL 6 (one 4-byte option: NOP NOP NOP EOL) and IHL 15. */
	for (uint32_t ihl = 6; ihl <= 15; ihl += 9) {
		uint32_t optb = (ihl - 5) * 4;

		evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V4, NODE_V4);
		ob.vni = 77;
		len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
		memcpy(opt, pkt, lay.l3 + 20);
		memset(opt + lay.l3 + 20, 1, optb);
		opt[lay.l3 + 20 + optb - 1] = 0;
		memcpy(opt + lay.l3 + 20 + optb, pkt + lay.l4, len - lay.l4);
		olen = len + optb;
		opt[lay.l3] = (uint8_t)(0x40 | ihl);
		opt[lay.l3 + 2] = (uint8_t)((olen - lay.l3) >> 8);
		opt[lay.l3 + 3] = (uint8_t)(olen - lay.l3);
		evft_ipv4_fix(opt + lay.l3);
		EXPECT_RC(parse_img(port, opt, olen, &o, NULL), 0);
		CU_ASSERT_EQUAL(o.strip, 50 + optb);
		CU_ASSERT_EQUAL(o.inner_len, ilen);
		CU_ASSERT_EQUAL(o.vni, 77);
	}

	/* IP total length exactly the port MTU is accepted, one more is oversize. */
	evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V4, NODE_V4);
	ilen = inner_frame(inner, 1500 - 36 - 42);
	len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
	CU_ASSERT_EQUAL(len - lay.l3, 1500);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);
	ilen = inner_frame(inner, 1500 - 36 - 42 + 1);
	len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_OVERSIZE);
	/* Same for IPv6: 40 + payload. */
	evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V6, NODE_V6);
	ilen = inner_frame(inner, 1500 - 56 - 42);
	len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
	CU_ASSERT_EQUAL(len - lay.l3, 1500);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);
	ilen = inner_frame(inner, 1500 - 56 - 42 + 1);
	len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_OVERSIZE);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_udp_vxlan(void)
{
	uint8_t pkt[2048];
	struct evft_layout lay;
	struct evf_outer o;
	uint32_t len;
	MAIN_NODE();

	for (int fam = 4; fam <= 6; fam += 2) {
		/* Wrong destination port: not VXLAN (also with the right one as source). */
		len = build(pkt, fam, -1, 5, 20, &lay);
		pkt[lay.l4 + 2] = 0x12;
		pkt[lay.l4 + 3] = 0xb6; /* 4790 */
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_VXLAN);
		pkt[lay.l4] = 0x12;
		pkt[lay.l4 + 1] = 0xb5;
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_VXLAN);
		/* ... which a node configured for 4790 takes. */
		node_setup(true, true, 4790);
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);
		MAIN_NODE();

		/* UDP length above the IP payload, below 8. */
		len = build(pkt, fam, -1, 5, 20, &lay);
		pkt[lay.l4 + 4] = (uint8_t)((len - lay.l4 + 1) >> 8);
		pkt[lay.l4 + 5] = (uint8_t)(len - lay.l4 + 1);
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_BAD_UDP_LEN);
		for (uint8_t u = 0; u < 8; u++) {
			pkt[lay.l4 + 4] = 0;
			pkt[lay.l4 + 5] = u;
			EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_BAD_UDP_LEN);
		}
		/* UDP length 8: empty; 12: truncated VXLAN header. */
		pkt[lay.l4 + 5] = 8;
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_EMPTY_UDP);
		pkt[lay.l4 + 5] = 12;
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_TRUNC_VXLAN);
		/* UDP length shorter than the IP payload: the rest is dropped as
		 * trailing bytes, inner frame shortened: 16 + 14 accepted. */
		pkt[lay.l4 + 5] = 30;
		{
			uint32_t after;

			EXPECT_RC(parse_img(port, pkt, len, &o, &after), 0);
			CU_ASSERT_EQUAL(o.inner_len, 14);
			CU_ASSERT_EQUAL(after, (uint32_t)o.strip + 14);
		}
		pkt[lay.l4 + 5] = 29;
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_TRUNC_INNER);

		/* I flag clear, whatever else is set. */
		len = build(pkt, fam, -1, 5, 20, &lay);
		pkt[lay.vx] = 0x00;
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_BAD_FLAGS);
		pkt[lay.vx] = 0xf7;
		pkt[lay.vx + 1] = pkt[lay.vx + 2] = pkt[lay.vx + 3] = 0xff;
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_BAD_FLAGS);
	}
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static int
v6_ext(const uint8_t *types, const uint16_t *lens, unsigned int n, struct evf_outer *o,
       uint32_t *strip_want)
{
	uint8_t pkt[4096], inner[256];
	struct evft_outer ob;
	struct evft_layout lay;
	uint32_t ilen = inner_frame(inner, 20), len;

	evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V6, NODE_V6);
	ob.vni = 4242;
	ob.nb_ext = n;
	memcpy(ob.ext_type, types, n);
	memcpy(ob.ext_len, lens, n * sizeof(lens[0]));
	len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
	if (strip_want)
		*strip_want = lay.inner;
	return parse_img(port, pkt, len, o, NULL);
}

static void
test_ipv6_header(void)
{
	uint8_t pkt[2048];
	struct evft_layout lay;
	struct evf_outer o;
	uint32_t len, strip;
	MAIN_NODE();

	/* Version, payload length, destination, next header. */
	len = build(pkt, 6, -1, 5, 20, &lay);
	pkt[lay.l3] = 0x45;
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_BAD_IP_VERSION);
	len = build(pkt, 6, -1, 5, 20, &lay);
	pkt[lay.l3 + 5]++;
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_BAD_IP_LEN);
	len = build(pkt, 6, -1, 5, 20, &lay);
	pkt[lay.l3 + 39] ^= 1;
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_OUR_VTEP);
	len = build(pkt, 6, -1, 5, 20, &lay);
	pkt[lay.l3 + 6] = IPPROTO_TCP;
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_UDP);
	pkt[lay.l3 + 6] = 59; /* no next header */
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_UDP);
	node_setup(true, false, 4789);
	len = build(pkt, 6, -1, 5, 20, &lay);
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_NOT_OUR_VTEP);
	MAIN_NODE();
	EXPECT_RC(parse_img(port, pkt, len, &o, NULL), 0);

	/* Extension headers: hop-by-hop, destination options and routing are
	 * walked (up to 4), a fragment header is a fragment, a fifth header or
	 * one longer than the payload is refused. */
	{
		const uint8_t hbh[] = { IPPROTO_HOPOPTS };
		const uint16_t l8[] = { 8, 8, 8, 8, 8 };

		EXPECT_RC(v6_ext(hbh, l8, 1, &o, &strip), 0);
		CU_ASSERT_EQUAL(o.strip, strip);
		CU_ASSERT_EQUAL(o.strip, 78);
		CU_ASSERT_EQUAL(o.vni, 4242);
	}
	{
		const uint8_t t[] = { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING,
				      IPPROTO_DSTOPTS };
		const uint16_t l[] = { 16, 8, 24, 8 };

		EXPECT_RC(v6_ext(t, l, 4, &o, &strip), 0);
		CU_ASSERT_EQUAL(o.strip, strip);
		CU_ASSERT_EQUAL(o.strip, 70 + 56);
	}
	{
		const uint8_t t[] = { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING,
				      IPPROTO_DSTOPTS, IPPROTO_DSTOPTS };
		const uint16_t l[] = { 8, 8, 8, 8, 8 };

		EXPECT_RC(v6_ext(t, l, 5, &o, NULL), EVF_DROP_IP_EXT_HDR);
	}
	{
		const uint8_t f[] = { IPPROTO_FRAGMENT };
		const uint8_t hf[] = { IPPROTO_HOPOPTS, IPPROTO_FRAGMENT };
		const uint16_t l[] = { 8, 8 };

		EXPECT_RC(v6_ext(f, l, 1, &o, NULL), EVF_DROP_IP_FRAGMENT);
		EXPECT_RC(v6_ext(hf, l, 2, &o, NULL), EVF_DROP_IP_FRAGMENT);
	}
	/* Hop-by-hop whose length runs past the IPv6 payload. */
	{
		const uint8_t hbh[] = { IPPROTO_HOPOPTS };
		const uint16_t l8[] = { 8 };
		uint8_t inner[64];
		struct evft_outer ob;
		uint32_t ilen = evft_frame_raw(inner, "02:00:00:00:02:02", "02:00:00:00:01:01", -1,
			0x0800, 0, 0);

		evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V6, NODE_V6);
		ob.nb_ext = 1;
		ob.ext_type[0] = hbh[0];
		ob.ext_len[0] = l8[0];
		len = evft_vxlan(pkt, &ob, inner, ilen, &lay);
		pkt[lay.l3 + 41] = 5; /* 48 bytes, payload is 8 + 16 + 14 = 38 */
		EXPECT_RC(parse_img(port, pkt, len, &o, NULL), EVF_DROP_IP_EXT_HDR);
		/* Payload length of 4: shorter than an extension header. */
		pkt[lay.l3 + 41] = 0;
		pkt[lay.l3 + 4] = 0;
		pkt[lay.l3 + 5] = 4;
		EXPECT_RC(parse_img(port, pkt, lay.l3 + 44, &o, NULL), EVF_DROP_IP_EXT_HDR);
	}
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

/* Trailing bytes after the UDP datagram (padding, trailers) are trimmed so
 * that the packet ends with the inner frame. */
static void
test_trailing_bytes(void)
{
	uint8_t pkt[2048];
	struct evft_layout lay;
	struct evf_outer o;
	MAIN_NODE();

	for (int fam = 4; fam <= 6; fam += 2) {
		for (uint32_t extra = 1; extra <= 64; extra += 7) {
			uint32_t len = build(pkt, fam, -1, 5, 20, &lay), after;

			memset(pkt + len, 0x5a, extra);
			EXPECT_RC(parse_img(port, pkt, len + extra, &o, &after), 0);
			CU_ASSERT_EQUAL(after, (uint32_t)o.strip + o.inner_len);
			CU_ASSERT_EQUAL(after, len);
		}
	}
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_no_tailroom(void)
{
	MAIN_NODE();
	uint8_t pkt[2048];
	uint32_t cut = 30, len = build(pkt, 4, -1, 5, 20, NULL);
	struct rte_mbuf *m = evft_mbuf_chain(pkt, len, &cut, 1);
	struct evf_outer o;

	/* Move the first segment's 30 bytes to the very end of its buffer. */
	memmove((uint8_t *)m->buf_addr + m->buf_len - cut, rte_pktmbuf_mtod(m, uint8_t *), cut);
	m->data_off = (uint16_t)(m->buf_len - cut);
	CU_ASSERT_EQUAL(rte_pktmbuf_tailroom(m), 0);
	EXPECT_RC(evf_vxlan_parse_outer(port, m, &o), EVF_DROP_NO_HEADROOM);
	CU_ASSERT_EQUAL(m->nb_segs, 2);
	CU_ASSERT_EQUAL(m->pkt_len, len);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

/* ---- split headers ---- */

struct presult {
	int rc;
	struct evf_outer o;
	uint8_t src6[16];
	uint32_t len;
	uint8_t bytes[EVFT_PKT_MAX];
};

static const char *
parse_mbuf(const struct evf_port *p, struct rte_mbuf *m, struct presult *r)
{
	const char *e;

	memset(&r->o, 0, sizeof(r->o));
	r->rc = evf_vxlan_parse_outer(p, m, &r->o);
	if (r->rc == 0 && r->o.src_v6 != NULL)
		memcpy(r->src6, r->o.src_v6, 16);
	e = evft_linearize(m, r->bytes, sizeof(r->bytes), &r->len);
	if (e != NULL)
		return e;
	/* The decap path strips o.strip bytes with rte_pktmbuf_adj and reads the
	 * inner Ethernet header from the first segment: all of it must be there. */
	if (r->rc == 0 && m->data_len < (uint32_t)r->o.strip + RTE_ETHER_HDR_LEN)
		return "parse succeeded but outer headers + inner Ethernet header are not "
		       "contiguous in the first segment";
	return NULL;
}

static char diffmsg[256];

static const char *
same_result(const struct presult *a, const struct presult *b)
{
	if (a->rc != b->rc) {
		snprintf(diffmsg, sizeof(diffmsg), "rc %s, contiguous gave %s", rc_name(a->rc),
			 rc_name(b->rc));
		return diffmsg;
	}
	if (a->rc == 0 && (a->o.vni != b->o.vni || a->o.strip != b->o.strip ||
			   a->o.inner_len != b->o.inner_len || a->o.family != b->o.family ||
			   a->o.src_v4 != b->o.src_v4 ||
			   (a->o.src_v6 == NULL) != (b->o.src_v6 == NULL) ||
			   (a->o.src_v6 != NULL && memcmp(a->src6, b->src6, 16) != 0))) {
		snprintf(diffmsg, sizeof(diffmsg),
			 "vni/strip/inner_len %u/%u/%u, contiguous gave %u/%u/%u", a->o.vni,
			 a->o.strip, a->o.inner_len, b->o.vni, b->o.strip, b->o.inner_len);
		return diffmsg;
	}
	if (a->len != b->len || memcmp(a->bytes, b->bytes, a->len) != 0) {
		snprintf(diffmsg, sizeof(diffmsg), "packet after parse differs (%u vs %u bytes)",
			 a->len, b->len);
		return diffmsg;
	}
	return NULL;
}

struct split_case {
	const char *name;
	const struct evf_port *port;
	uint8_t pkt[2048];
	uint32_t len;
	uint32_t hdr;    /* outer + inner Ethernet header bytes */
	bool all_cuts;   /* two-segment cuts over the whole packet */
};

static unsigned int
split_cases(struct split_case *c)
{
	struct evft_outer ob;
	struct evft_layout lay;
	uint8_t inner[2048];
	uint32_t ilen;
	unsigned int n = 0;

	/* 1: IPv4, short inner. */
	c[n].name = "ipv4";
	c[n].port = port;
	c[n].len = build(c[n].pkt, 4, -1, 0x123456, 30, &lay);
	c[n].hdr = lay.inner + 14;
	c[n].all_cuts = true;
	n++;
	/* 2: IPv4 tagged, long inner (more than 256 bytes). */
	c[n].name = "ipv4 vlan, 400-byte inner";
	c[n].port = port_vlan;
	c[n].len = build(c[n].pkt, 4, 100, 99, 400, &lay);
	c[n].hdr = lay.inner + 14;
	n++;
	/* 3: IPv6 with two extension headers, trailing bytes. */
	c[n].name = "ipv6 hbh+dst, 6 trailing bytes";
	c[n].port = port;
	ilen = inner_frame(inner, 60);
	evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V6, NODE_V6);
	ob.vni = 5000;
	ob.nb_ext = 2;
	ob.ext_type[0] = IPPROTO_HOPOPTS;
	ob.ext_len[0] = 16;
	ob.ext_type[1] = IPPROTO_DSTOPTS;
	ob.ext_len[1] = 8;
	c[n].len = evft_vxlan(c[n].pkt, &ob, inner, ilen, &lay);
	memset(c[n].pkt + c[n].len, 0x77, 6);
	c[n].len += 6;
	c[n].hdr = lay.inner + 14;
	c[n].all_cuts = true;
	n++;
	/* 4: IPv4 with a bad checksum (a drop must be the same drop). */
	c[n].name = "ipv4 bad checksum";
	c[n].port = port;
	c[n].len = build(c[n].pkt, 4, -1, 1, 30, &lay);
	c[n].pkt[lay.l3 + 10] ^= 0x40;
	c[n].hdr = lay.inner + 14;
	n++;
	/* 5: IPv6 with one 200-byte hop-by-hop header: the headers end at byte
	 * 14 + 40 + 200 + 16 = 270, the inner Ethernet header at 284, beyond
	 * EVF_OUTER_PARSE_LEN (256) in a packet longer than 256 bytes. */
	c[n].name = "ipv6 200-byte hop-by-hop";
	c[n].port = port;
	ilen = inner_frame(inner, 60);
	evft_outer_init(&ob, NODE_MAC, PEER_MAC, PEER_V6, NODE_V6);
	ob.vni = 6000;
	ob.nb_ext = 1;
	ob.ext_type[0] = IPPROTO_HOPOPTS;
	ob.ext_len[0] = 200;
	c[n].len = evft_vxlan(c[n].pkt, &ob, inner, ilen, &lay);
	c[n].hdr = lay.inner + 14;
	n++;
	/* 6: IPv4 with 300 trailing bytes after a 2-segment-long packet. */
	c[n].name = "ipv4, 40 trailing bytes, 300-byte inner";
	c[n].port = port;
	c[n].len = build(c[n].pkt, 4, -1, 77, 300, &lay);
	memset(c[n].pkt + c[n].len, 0x66, 40);
	c[n].len += 40;
	c[n].hdr = lay.inner + 14;
	c[n].all_cuts = true;
	n++;
	return n;
}

/* Cases 0..3: ordinary packets; 4: extension headers reaching past byte 256;
 * 5: trailing bytes after a long datagram. */
#define SPLIT_PLAIN   0x0fu
#define SPLIT_BIG_EXT 0x10u
#define SPLIT_TRAILER 0x20u

static void
split_sweep(unsigned int which, bool three)
{
	static struct split_case cases[8];
	static struct presult ref, got;
	unsigned int n = split_cases(cases);

	for (unsigned int i = 0; i < n; i++) {
		struct split_case *c = &cases[i];

		if (!(which & (1u << i)))
			continue;
		struct rte_mbuf *m = evft_mbuf(c->pkt, c->len);
		uint32_t last = c->all_cuts && !three ? c->len - 1 : RTE_MIN(c->hdr, c->len - 1);
		unsigned int bad = 0;
		const char *e;

		e = parse_mbuf(c->port, m, &ref);
		rte_pktmbuf_free(m);
		CU_ASSERT_PTR_NULL_FATAL(e);
		/* Ordinary packets parse; the bad checksum does not; the long
		 * extension header chain may go either way, but the same way
		 * whatever the segmentation. */
		if (which & SPLIT_PLAIN & ~(1u << 3) & (1u << i))
			CU_ASSERT_EQUAL(ref.rc, 0);
		if (i == 5)
			CU_ASSERT_EQUAL(ref.rc, 0);

		for (uint32_t a = 1; a <= last; a++) {
			for (uint32_t b = three ? a + 1 : 0; b <= (three ? last : 0); b++) {
				uint32_t cuts[2] = { a, b };

				m = evft_mbuf_chain(c->pkt, c->len, cuts, three ? 2 : 1);
				e = parse_mbuf(c->port, m, &got);
				if (e == NULL)
					e = same_result(&got, &ref);
				rte_pktmbuf_free(m);
				if (e != NULL && bad++ < 3) {
					if (three)
						fprintf(stderr, "\n    %s, cut at %u,%u: %s", c->name,
							a, b, e);
					else
						fprintf(stderr, "\n    %s, cut at %u: %s", c->name, a, e);
				}
			}
		}
		if (bad)
			fprintf(stderr, "\n    %s: %u of the %s splits differ from the contiguous "
				"packet\n", c->name, bad, three ? "3-segment" : "2-segment");
		CU_ASSERT_EQUAL(bad, 0);
	}
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_split_two(void)
{
	MAIN_NODE();
	split_sweep(SPLIT_PLAIN, false);
}

static void
test_split_three(void)
{
	MAIN_NODE();
	split_sweep(SPLIT_PLAIN, true);
}

/* IPv6 extension headers that end at byte 254 (allowed: they fit in the 256
 * bytes pulled up) put the UDP and VXLAN headers across byte 256. */
static void
test_split_big_ext(void)
{
	MAIN_NODE();
	split_sweep(SPLIT_BIG_EXT, false);
	split_sweep(SPLIT_BIG_EXT, true);
}

/* Trailing bytes spread over the last two segments must be trimmed as well. */
static void
test_split_trailer(void)
{
	MAIN_NODE();
	split_sweep(SPLIT_TRAILER, false);
}

/* The inline fast path (common IPv4 layout, first segment of at least 68
 * bytes) must decide exactly like the full parser. For every byte of the
 * outer headers and inner Ethernet header, and several bit flips of it, the
 * contiguous packet is compared with the same bytes chained after a 20-byte
 * first segment, which only the full parser takes. With fix_cksum the IPv4
 * checksum is corrected after the change, so later checks are reached. */
static unsigned int
fast_vs_full(const struct evf_port *p, int vlan, bool fix_cksum, uint32_t trailer,
	     uint64_t ol_flags)
{
	static const uint8_t xors[] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff };
	static struct presult fast, full;
	uint8_t pkt[512], mut[512];
	struct evft_layout lay;
	uint32_t len = build(pkt, 4, vlan, 0x345678, 40, &lay) + trailer;
	unsigned int bad = 0;

	memset(pkt + lay.len, 0x3c, trailer);
	for (uint32_t off = 0; off < lay.inner + 14; off++) {
		for (size_t x = 0; x < RTE_DIM(xors); x++) {
			uint32_t cut = 20;
			struct rte_mbuf *m;
			const char *e;

			memcpy(mut, pkt, len);
			mut[off] ^= xors[x];
			if (fix_cksum && off >= lay.l3 && off < lay.l3 + 20 &&
			    off != lay.l3 + 10 && off != lay.l3 + 11)
				evft_ipv4_fix(mut + lay.l3);
			m = evft_mbuf(mut, len);
			m->ol_flags = ol_flags;
			e = parse_mbuf(p, m, &fast);
			rte_pktmbuf_free(m);
			m = evft_mbuf_chain(mut, len, &cut, 1);
			m->ol_flags = ol_flags;
			if (e == NULL)
				e = parse_mbuf(p, m, &full);
			rte_pktmbuf_free(m);
			if (e == NULL)
				e = same_result(&fast, &full);
			if (e != NULL && bad++ < 3)
				fprintf(stderr, "\n    byte %u ^ 0x%02x: contiguous vs split: %s", off,
					xors[x], e);
		}
	}
	return bad;
}

static void
test_fast_path(void)
{
	unsigned int bad = 0;

	MAIN_NODE();
	bad += fast_vs_full(port, -1, false, 0, 0);
	bad += fast_vs_full(port, -1, true, 0, 0);
	bad += fast_vs_full(port, -1, true, 7, 0);
	bad += fast_vs_full(port_vlan, 100, false, 0, 0);
	bad += fast_vs_full(port_vlan, 100, true, 0, 0);
	bad += fast_vs_full(port_vlan, 100, true, 3, 0);
	bad += fast_vs_full(port, -1, false, 0, RTE_MBUF_F_RX_IP_CKSUM_GOOD);
	bad += fast_vs_full(port, -1, true, 0, RTE_MBUF_F_RX_IP_CKSUM_BAD);
	bad += fast_vs_full(port_vlan, 100, false, 0, RTE_MBUF_F_RX_IP_CKSUM_GOOD);
	/* Also a node listening on another UDP port. */
	node_setup(true, true, 4790);
	bad += fast_vs_full(port, -1, true, 0, 0);
	MAIN_NODE();
	if (bad)
		fprintf(stderr, "\n    %u one-byte changes parsed differently\n", bad);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_every_reason(void)
{
	static const enum evf_drop_reason want[] = {
		/* truncated-eth: test_runt */
		EVF_DROP_TRUNC_IP, EVF_DROP_TRUNC_UDP, EVF_DROP_TRUNC_VXLAN,
		EVF_DROP_EMPTY_UDP, EVF_DROP_TRUNC_INNER, EVF_DROP_NOT_IP, EVF_DROP_UNDERLAY_VLAN,
		EVF_DROP_NOT_OUR_MAC, EVF_DROP_BAD_IP_VERSION, EVF_DROP_BAD_IP_HDR_LEN,
		EVF_DROP_BAD_IP_LEN, EVF_DROP_BAD_IP_CKSUM, EVF_DROP_IP_FRAGMENT,
		EVF_DROP_IP_EXT_HDR, EVF_DROP_NOT_OUR_VTEP, EVF_DROP_NOT_UDP, EVF_DROP_NOT_VXLAN,
		EVF_DROP_BAD_UDP_LEN, EVF_DROP_BAD_FLAGS, EVF_DROP_OVERSIZE, EVF_DROP_NO_HEADROOM,
	};

	RTE_BUILD_BUG_ON(EVF_DROP_MAX > 64);
	for (size_t i = 0; i < RTE_DIM(want); i++) {
		if (!((reasons_seen >> want[i]) & 1))
			fprintf(stderr, "\n    drop reason %s never produced\n",
				evf_drop_name(want[i]));
		CU_ASSERT((reasons_seen >> want[i]) & 1);
	}
}

/* ---- mbuf helpers ---- */

static void
test_pullup(void)
{
	MAIN_NODE();
	uint8_t data[600];
	uint32_t cuts[3] = { 10, 11, 300 };
	struct rte_mbuf *m;
	unsigned int before = evft_in_use();

	for (uint32_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 1);

	/* Pull 200 bytes over three segments: 2nd (1 byte) is freed, 3rd shortened. */
	m = evft_mbuf_chain(data, sizeof(data), cuts, 3);
	CU_ASSERT_EQUAL(evft_in_use(), before + 4);
	CU_ASSERT_EQUAL(evf_mbuf_pullup(m, 200), 0);
	CU_ASSERT_EQUAL(m->data_len, 200);
	CU_ASSERT_EQUAL(m->pkt_len, sizeof(data));
	CU_ASSERT_EQUAL(m->nb_segs, 3);
	CU_ASSERT_EQUAL(evft_in_use(), before + 3);
	{
		uint8_t out[600];
		uint32_t len;

		EVFT_OK(evft_linearize(m, out, sizeof(out), &len));
		CU_ASSERT_EQUAL(len, sizeof(data));
		CU_ASSERT(memcmp(out, data, sizeof(data)) == 0);
	}
	/* Already contiguous: nothing moves. */
	CU_ASSERT_EQUAL(evf_mbuf_pullup(m, 150), 0);
	CU_ASSERT_EQUAL(m->data_len, 200);
	/* Exactly to the end of a segment: that segment goes too. */
	CU_ASSERT_EQUAL(evf_mbuf_pullup(m, 300), 0);
	CU_ASSERT_EQUAL(m->nb_segs, 2);
	CU_ASSERT_EQUAL(m->data_len, 300);
	CU_ASSERT_EQUAL(evft_in_use(), before + 2);
	/* Longer than the packet: refused, nothing changed. */
	CU_ASSERT_EQUAL(evf_mbuf_pullup(m, sizeof(data) + 1), -1);
	CU_ASSERT_EQUAL(m->data_len, 300);
	CU_ASSERT_EQUAL(m->nb_segs, 2);
	/* Whole packet. */
	CU_ASSERT_EQUAL(evf_mbuf_pullup(m, sizeof(data)), 0);
	CU_ASSERT_EQUAL(m->nb_segs, 1);
	CU_ASSERT_PTR_NULL(m->next);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod(m, uint8_t *), data, sizeof(data)) == 0);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(evft_in_use(), before);

	/* No tailroom in the first segment: refused, nothing changed. */
	m = evft_mbuf_chain(data, sizeof(data), cuts, 1);
	memmove((uint8_t *)m->buf_addr + m->buf_len - 10, rte_pktmbuf_mtod(m, uint8_t *), 10);
	m->data_off = (uint16_t)(m->buf_len - 10);
	CU_ASSERT_EQUAL(evf_mbuf_pullup(m, 20), -1);
	CU_ASSERT_EQUAL(m->data_len, 10);
	CU_ASSERT_EQUAL(m->nb_segs, 2);
	CU_ASSERT_EQUAL(m->next->data_len, sizeof(data) - 10);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(evft_in_use(), before);
}

static void
test_vlan_push_pop(void)
{
	MAIN_NODE();
	uint8_t f[128], out[128];
	uint32_t len = evft_frame(f, "02:00:00:00:02:02", "02:00:00:00:01:01", -1, "10.0.0.1",
		"10.0.0.2", 1, 2, 10, 0);
	struct rte_mbuf *m = evft_mbuf(f, len);
	uint8_t *p;

	CU_ASSERT_EQUAL(evf_vlan_push(m, 0xa00b), 0);
	CU_ASSERT_EQUAL(m->pkt_len, len + 4);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	CU_ASSERT(memcmp(p, f, 12) == 0);
	CU_ASSERT(p[12] == 0x81 && p[13] == 0x00 && p[14] == 0xa0 && p[15] == 0x0b);
	CU_ASSERT(memcmp(p + 16, f + 12, len - 12) == 0);
	CU_ASSERT_EQUAL(evf_vlan_pop(m), 0xa00b);
	CU_ASSERT_EQUAL(m->pkt_len, len);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod(m, uint8_t *), f, len) == 0);
	rte_pktmbuf_free(m);

	/* Pop of a received tagged frame keeps everything but the tag. */
	len = evft_frame(f, "02:00:00:00:02:02", "02:00:00:00:01:01", 0x3064, "10.0.0.1",
		"10.0.0.2", 1, 2, 10, 0);
	m = evft_mbuf(f, len);
	CU_ASSERT_EQUAL(evf_vlan_pop(m), 0x3064);
	memcpy(out, f, 12);
	memcpy(out + 12, f + 16, len - 16);
	CU_ASSERT_EQUAL(m->pkt_len, len - 4);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod(m, uint8_t *), out, len - 4) == 0);

	/* No headroom: refused, frame unchanged. */
	memmove((uint8_t *)m->buf_addr + 2, rte_pktmbuf_mtod(m, uint8_t *), m->data_len);
	m->data_off = 2;
	CU_ASSERT_EQUAL(evf_vlan_push(m, 5), -1);
	CU_ASSERT_EQUAL(m->pkt_len, len - 4);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod(m, uint8_t *), out, len - 4) == 0);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(evft_in_use(), base_in_use);
}

static void
test_link_local(void)
{
	for (int i = 0; i < 0x20; i++) {
		struct rte_ether_addr a = {{ 0x01, 0x80, 0xc2, 0, 0, (uint8_t)i }};

		CU_ASSERT_EQUAL(evf_mac_is_link_local(a.addr_bytes), i < 0x10);
	}
	{
		struct rte_ether_addr a = {{ 0x01, 0x80, 0xc2, 0, 1, 0 }};
		struct rte_ether_addr b = {{ 0x01, 0x80, 0xc3, 0, 0, 0 }};
		struct rte_ether_addr c = {{ 0x03, 0x80, 0xc2, 0, 0, 0 }};

		CU_ASSERT_FALSE(evf_mac_is_link_local(a.addr_bytes));
		CU_ASSERT_FALSE(evf_mac_is_link_local(b.addr_bytes));
		CU_ASSERT_FALSE(evf_mac_is_link_local(c.addr_bytes));
	}
}

/* ---- flow hash and source port ---- */

static uint32_t
hash_of(int vlan, const char *smac, const char *sip, const char *dip, uint16_t sp, uint16_t dp,
	enum evf_hash_policy pol)
{
	uint8_t f[256];
	uint32_t len = evft_frame(f, "02:00:00:00:02:02", smac, vlan, sip, dip, sp, dp, 20, 1);

	return evf_flow_hash(f, len, pol);
}

static uint32_t
hash6_of(uint16_t sp, uint16_t dp, uint8_t last, enum evf_hash_policy pol)
{
	uint8_t f[256];
	uint32_t off = evft_frame_raw(f, "02:00:00:00:02:02", "02:00:00:00:01:01", -1, 0x86dd, 0, 0);
	struct evf_ip s = evft_ip("2001:db8:1::1"), d = evft_ip("2001:db8:1::2");

	memset(f + off, 0, 48);
	f[off] = 0x60;
	f[off + 5] = 8 + 20;
	f[off + 6] = IPPROTO_UDP;
	f[off + 7] = 64;
	memcpy(f + off + 8, s.v6, 16);
	memcpy(f + off + 24, d.v6, 16);
	f[off + 39] = last;
	f[off + 40] = (uint8_t)(sp >> 8);
	f[off + 41] = (uint8_t)sp;
	f[off + 42] = (uint8_t)(dp >> 8);
	f[off + 43] = (uint8_t)dp;
	return evf_flow_hash(f, off + 48 + 20, pol);
}

#define M1 "02:00:00:00:01:01"
#define M2 "02:00:00:00:01:02"

static void
test_flow_hash(void)
{
	for (int pol = EVF_HASH_L2; pol <= EVF_HASH_L34; pol++) {
		enum evf_hash_policy p = (enum evf_hash_policy)pol;
		uint32_t h = hash_of(-1, M1, "10.0.0.1", "10.0.0.2", 1000, 2000, p);

		/* Deterministic; an 802.1Q tag does not change the flow. */
		CU_ASSERT_EQUAL(h, hash_of(-1, M1, "10.0.0.1", "10.0.0.2", 1000, 2000, p));
		CU_ASSERT_EQUAL(h, hash_of(0x0064, M1, "10.0.0.1", "10.0.0.2", 1000, 2000, p));
		/* Source MAC: only L2 (IPv4 flows are hashed on L3 otherwise). */
		if (p == EVF_HASH_L2) {
			CU_ASSERT_NOT_EQUAL(h, hash_of(-1, M2, "10.0.0.1", "10.0.0.2", 1000, 2000, p));
		} else {
			CU_ASSERT_EQUAL(h, hash_of(-1, M2, "10.0.0.1", "10.0.0.2", 1000, 2000, p));
		}
		/* IP addresses: all but L2. */
		if (p == EVF_HASH_L2) {
			CU_ASSERT_EQUAL(h, hash_of(-1, M1, "10.0.0.3", "10.0.0.2", 1000, 2000, p));
			CU_ASSERT_EQUAL(h, hash_of(-1, M1, "10.0.0.1", "10.0.0.4", 1000, 2000, p));
		} else {
			CU_ASSERT_NOT_EQUAL(h, hash_of(-1, M1, "10.0.0.3", "10.0.0.2", 1000, 2000, p));
			CU_ASSERT_NOT_EQUAL(h, hash_of(-1, M1, "10.0.0.1", "10.0.0.4", 1000, 2000, p));
		}
		/* Ports: L34 only. */
		if (p == EVF_HASH_L34) {
			CU_ASSERT_NOT_EQUAL(h, hash_of(-1, M1, "10.0.0.1", "10.0.0.2", 1001, 2000, p));
			CU_ASSERT_NOT_EQUAL(h, hash_of(-1, M1, "10.0.0.1", "10.0.0.2", 1000, 2001, p));
			CU_ASSERT_NOT_EQUAL(hash6_of(1, 2, 0, p), hash6_of(1, 3, 0, p));
		} else {
			CU_ASSERT_EQUAL(h, hash_of(-1, M1, "10.0.0.1", "10.0.0.2", 1001, 2000, p));
			CU_ASSERT_EQUAL(h, hash_of(-1, M1, "10.0.0.1", "10.0.0.2", 1000, 2001, p));
			CU_ASSERT_EQUAL(hash6_of(1, 2, 0, p), hash6_of(1, 3, 0, p));
		}
		/* IPv6 addresses. */
		if (p == EVF_HASH_L2) {
			CU_ASSERT_EQUAL(hash6_of(1, 2, 0, p), hash6_of(1, 2, 9, p));
		} else {
			CU_ASSERT_NOT_EQUAL(hash6_of(1, 2, 0, p), hash6_of(1, 2, 9, p));
		}
	}
	/* A non-first IPv4 fragment has no ports: L34 hashes it like L23. */
	{
		uint8_t f[256];
		uint32_t len = evft_frame(f, "02:00:00:00:02:02", M1, -1, "10.0.0.1", "10.0.0.2",
			1000, 2000, 20, 1);

		f[14 + 7] = 0x10; /* offset 16 */
		CU_ASSERT_EQUAL(evf_flow_hash(f, len, EVF_HASH_L34), evf_flow_hash(f, len, EVF_HASH_L23));
		/* An IPv4 header cut short is hashed on L2 fields. */
		CU_ASSERT_EQUAL(evf_flow_hash(f, 14 + 19, EVF_HASH_L34),
				evf_flow_hash(f, 14 + 19, EVF_HASH_L2));
	}
}

/* The hash reads nothing beyond len: frame prefixes placed right before an
 * unmapped page (a read past the end faults). */
static void
test_flow_hash_bounds(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *area = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t f[256];
	uint32_t lens[4];

	CU_ASSERT_FATAL(area != MAP_FAILED);
	CU_ASSERT_FATAL(mprotect(area + pg, pg, PROT_NONE) == 0);
	lens[0] = evft_frame(f, "02:00:00:00:02:02", M1, -1, "10.0.0.1", "10.0.0.2", 1, 2, 0, 1);
	lens[1] = evft_frame(f + 64, "02:00:00:00:02:02", M1, 5, "10.0.0.1", "10.0.0.2", 1, 2, 0, 1);
	for (int v = 0; v < 2; v++) {
		const uint8_t *src = f + 64 * v;

		for (uint32_t l = 0; l <= lens[v]; l++) {
			uint8_t *p = area + pg - l;

			memcpy(p, src, l);
			for (int pol = EVF_HASH_L2; pol <= EVF_HASH_L34; pol++)
				(void)evf_flow_hash(p, l, (enum evf_hash_policy)pol);
		}
	}
	CU_PASS("no read past the end");
	munmap(area, 2 * pg);
}

static void
test_udp_src_port(void)
{
	static uint8_t seen[16384];
	unsigned int distinct = 0;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	bool ok = true;

	memset(seen, 0, sizeof(seen));
	for (uint32_t h = 0; h < (1u << 20); h++) {
		uint16_t sp = evf_udp_src_port(h);

		if (sp < 49152)
			ok = false;
		else if (!seen[sp - 49152]++)
			distinct++;
	}
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (evf_udp_src_port((uint32_t)x) < 49152)
			ok = false;
	}
	CU_ASSERT(ok);
	CU_ASSERT(evf_udp_src_port(0) >= 49152);
	CU_ASSERT(evf_udp_src_port(UINT32_MAX) >= 49152);
	CU_ASSERT_EQUAL(distinct, 16384);
	/* The upper half of the hash counts too. */
	CU_ASSERT_NOT_EQUAL(evf_udp_src_port(0), evf_udp_src_port(0x00010000));
	CU_ASSERT_NOT_EQUAL(evf_udp_src_port(0x00ff0000), evf_udp_src_port(0x00fe0000));
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "parse: valid VXLAN/IPv4", test_valid_ipv4 },
		{ "parse: valid VXLAN/IPv6", test_valid_ipv6 },
		{ "parse: underlay VLAN", test_underlay_vlan },
		{ "parse: not our MAC", test_not_our_mac },
		{ "parse: runt frames dropped as truncated-eth", test_runt },
		{ "parse: truncated at every header", test_truncated },
		{ "parse: IPv4 header errors", test_ipv4_header },
		{ "parse: IPv4 options, MTU", test_ipv4_options_and_size },
		{ "parse: UDP and VXLAN header errors", test_udp_vxlan },
		{ "parse: IPv6 header and extension headers", test_ipv6_header },
		{ "parse: trailing bytes trimmed", test_trailing_bytes },
		{ "parse: no tailroom for pullup", test_no_tailroom },
		{ "parse: headers split over 2 segments", test_split_two },
		{ "parse: headers split over 3 segments", test_split_three },
		{ "parse: split, IPv6 ext headers up to byte 254", test_split_big_ext },
		{ "parse: split, trailing bytes over 2 segments", test_split_trailer },
		{ "parse: fast path = full parser, 1-byte changes", test_fast_path },
		{ "parse: every drop reason produced", test_every_reason },
		{ "evf_mbuf_pullup", test_pullup },
		{ "802.1Q push/pop", test_vlan_push_pop },
		{ "link-local MACs", test_link_local },
		{ "flow hash fields per policy", test_flow_hash },
		{ "flow hash reads only len bytes", test_flow_hash_bounds },
		{ "UDP source port range", test_udp_src_port },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("pkt", cases, RTE_DIM(cases), NULL, suite_clean);
}
