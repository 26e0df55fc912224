/* vxlan_parse_dp.c: the complete outer-header parser for VXLAN packets on
 * network ports (worker). Handles every layout (IPv6, options, extension
 * headers, split headers) and names the exact drop reason; the inline fast
 * path in evf_vxlan_dp.h falls back to it. Also builds the fast path's
 * expected words (start-up). */
#include <arpa/inet.h>

#include "evf_vxlan_dp.h"

struct evf_vxlan_fast evf_vxlan_fast;

void
evf_vxlan_fast_init(void)
{
	struct evf_vxlan_fast *f = &evf_vxlan_fast;
	uint64_t v;

	memset(f, 0, sizeof(*f));
	f->enabled = evf_node.ipv4.family == AF_INET;
	/* offset 12: EtherType (2), version/IHL (1) */
	f->m12 = 0xffffffull;
	f->v12 = 0x08ull | (0x00ull << 8) | (0x45ull << 16);
	/* offset 20: flags/fragment offset (2, DF ignored), TTL (1, ignored), protocol (1) */
	f->m20 = 0x3full | (0xffull << 8) | (0xffull << 24);
	f->v20 = (uint64_t)IPPROTO_UDP << 24;
	/* offset 30: destination address (4), UDP source port (2, ignored), destination port (2) */
	f->m30 = 0xffffffffull | (0xffffull << 48);
	f->v30 = (uint64_t)evf_node.ipv4.v4 | ((uint64_t)evf_node.udp_port_be << 48);
	v = 0;
	memcpy(&v, evf_node.mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	f->mac48 = v;
}

int
evf_vxlan_parse_outer_slow(const struct evf_port *port, struct rte_mbuf *m, struct evf_outer *o)
{
	uint32_t pkt_len = m->pkt_len;
	uint32_t want = RTE_MIN(pkt_len, (uint32_t)EVF_OUTER_PARSE_LEN);
	const uint8_t *p;
	uint32_t off = RTE_ETHER_HDR_LEN, l4, l4_len;
	uint16_t et;
	uint8_t proto;

	if (unlikely(m->data_len < want) && evf_mbuf_pullup(m, want) < 0)
		return EVF_DROP_NO_HEADROOM;
	p = rte_pktmbuf_mtod(m, const uint8_t *);
	if (unlikely(pkt_len < RTE_ETHER_HDR_LEN))
		return EVF_DROP_TRUNC_ETH;
	{
		const struct rte_ether_addr *dst = (const struct rte_ether_addr *)p;
		if (unlikely(!rte_is_same_ether_addr(dst, &evf_node.mac) &&
			     !rte_is_same_ether_addr(dst, &port->hw_mac)))
			return EVF_DROP_NOT_OUR_MAC;
	}
	et = evf_ld16(p + 12);
	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		if (unlikely(pkt_len < RTE_ETHER_HDR_LEN + 4))
			return EVF_DROP_TRUNC_ETH;
		uint16_t vid = rte_be_to_cpu_16(evf_ld16(p + 14)) & 0xfff;
		if (unlikely(vid != port->underlay_vlan))
			return EVF_DROP_UNDERLAY_VLAN;
		et = evf_ld16(p + 16);
		off += 4;
	} else if (unlikely(port->underlay_vlan != 0)) {
		return EVF_DROP_UNDERLAY_VLAN;
	}

	if (likely(et == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(p + off);
		uint32_t ihl, tot;

		if (unlikely(pkt_len < off + sizeof(*ip)))
			return EVF_DROP_TRUNC_IP;
		if (unlikely((ip->version_ihl >> 4) != 4))
			return EVF_DROP_BAD_IP_VERSION;
		ihl = (ip->version_ihl & 0xf) * 4u;
		if (unlikely(ihl < sizeof(*ip) || off + ihl > want))
			return EVF_DROP_BAD_IP_HDR_LEN;
		tot = rte_be_to_cpu_16(ip->total_length);
		if (unlikely(tot < ihl || off + tot > pkt_len))
			return EVF_DROP_BAD_IP_LEN;
		if (unlikely(tot > port->mtu))
			return EVF_DROP_OVERSIZE;
		if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_BAD)
			return EVF_DROP_BAD_IP_CKSUM;
		if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
		    unlikely(!evf_ipv4_cksum_ok(ip, ihl)))
			return EVF_DROP_BAD_IP_CKSUM;
		if (unlikely(ip->fragment_offset &
			     rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
			return EVF_DROP_IP_FRAGMENT;
		if (unlikely(evf_node.ipv4.family != AF_INET || ip->dst_addr != evf_node.ipv4.v4))
			return EVF_DROP_NOT_OUR_VTEP;
		if (unlikely(ip->next_proto_id != IPPROTO_UDP))
			return EVF_DROP_NOT_UDP;
		o->family = AF_INET;
		o->src_v4 = ip->src_addr;
		o->src_v6 = NULL;
		l4 = off + ihl;
		l4_len = tot - ihl;
	} else if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6)) {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(p + off);
		uint32_t plen;

		if (unlikely(pkt_len < off + sizeof(*ip6)))
			return EVF_DROP_TRUNC_IP;
		if (unlikely((p[off] >> 4) != 6))
			return EVF_DROP_BAD_IP_VERSION;
		plen = rte_be_to_cpu_16(ip6->payload_len);
		if (unlikely(off + sizeof(*ip6) + plen > pkt_len))
			return EVF_DROP_BAD_IP_LEN;
		if (unlikely(sizeof(*ip6) + plen > port->mtu))
			return EVF_DROP_OVERSIZE;
		if (unlikely(evf_node.ipv6.family != AF_INET6 ||
			     memcmp(ip6->dst_addr, evf_node.ipv6.v6, 16) != 0))
			return EVF_DROP_NOT_OUR_VTEP;
		proto = ip6->proto;
		l4 = off + sizeof(*ip6);
		l4_len = plen;
		for (int n = 0; proto != IPPROTO_UDP; n++) {
			uint32_t elen;

			if (proto == IPPROTO_FRAGMENT)
				return EVF_DROP_IP_FRAGMENT;
			if (proto != IPPROTO_HOPOPTS && proto != IPPROTO_ROUTING &&
			    proto != IPPROTO_DSTOPTS)
				return EVF_DROP_NOT_UDP;
			if (n == EVF_IPV6_EXT_MAX || l4_len < 8 || l4 + 8 > want)
				return EVF_DROP_IP_EXT_HDR;
			elen = (p[l4 + 1] + 1u) * 8u;
			if (elen > l4_len || l4 + elen > want)
				return EVF_DROP_IP_EXT_HDR;
			proto = p[l4];
			l4 += elen;
			l4_len -= elen;
		}
		o->family = AF_INET6;
		o->src_v4 = 0;
		o->src_v6 = ip6->src_addr;
	} else {
		return EVF_DROP_NOT_IP;
	}

	if (unlikely(l4_len < sizeof(struct rte_udp_hdr)))
		return EVF_DROP_TRUNC_UDP;
	/* UDP, VXLAN and the inner Ethernet header (+ tag) must be contiguous too;
	 * extension headers may have pushed them past the first pull-up. */
	{
		uint32_t need = RTE_MIN(pkt_len, l4 + 8u + 8u + RTE_ETHER_HDR_LEN + 4u);

		if (unlikely(m->data_len < need) && evf_mbuf_pullup(m, need) < 0)
			return EVF_DROP_NO_HEADROOM;
	}
	{
		const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(p + l4);
		const struct rte_vxlan_hdr *vx;
		uint32_t ulen;

		if (unlikely(udp->dst_port != evf_node.udp_port_be))
			return EVF_DROP_NOT_VXLAN;
		ulen = rte_be_to_cpu_16(udp->dgram_len);
		if (unlikely(ulen < sizeof(*udp) || ulen > l4_len))
			return EVF_DROP_BAD_UDP_LEN;
		if (unlikely(ulen == sizeof(*udp)))
			return EVF_DROP_EMPTY_UDP;
		if (unlikely(ulen < sizeof(*udp) + sizeof(*vx)))
			return EVF_DROP_TRUNC_VXLAN;
		vx = (const struct rte_vxlan_hdr *)(udp + 1);
		if (unlikely(!(vx->vx_flags & rte_cpu_to_be_32(0x08000000))))
			return EVF_DROP_BAD_FLAGS;
		o->vni = rte_be_to_cpu_32(vx->vx_vni) >> 8;
		o->strip = (uint16_t)(l4 + sizeof(*udp) + sizeof(*vx));
		o->inner_len = (uint16_t)(ulen - sizeof(*udp) - sizeof(*vx));
		if (unlikely(o->inner_len < RTE_ETHER_HDR_LEN))
			return EVF_DROP_TRUNC_INNER;
		/* Trailing bytes after the UDP datagram (Ethernet padding) go. */
		if (pkt_len > (uint32_t)o->strip + o->inner_len)
			evf_mbuf_trim(m, pkt_len - o->strip - o->inner_len);
	}
	return 0;
}

