/* evf_vxlan_dp.h: VXLAN decapsulation checks and encapsulation for workers.
 * Inline, no state of its own: reads evf_node, the port and a VTEP template. */
#ifndef EVF_VXLAN_DP_H
#define EVF_VXLAN_DP_H

#include <netinet/in.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "evf_pkt.h"
#include "evf_port.h"
#include "evf_stats.h"
#include "evf_vxlan.h"

/** Bytes the outer parser wants contiguous (outer headers + inner Ethernet + tag). */
#define EVF_OUTER_PARSE_LEN 256
#define EVF_IPV6_EXT_MAX    4

/** What the outer parse tells the rest of the decap path. */
struct evf_outer {
	uint32_t vni;
	uint16_t strip;      /**< bytes before the inner frame */
	uint16_t inner_len;  /**< bytes of inner frame (UDP payload - 8) */
	uint8_t family;
	uint32_t src_v4;     /**< outer source (network order), for split horizon */
	const uint8_t *src_v6;
};

/** Validate the outer headers of a frame received on a network port.
 *  Returns 0 with o filled, or a drop reason (> 0). Never reads beyond pkt_len. */
static inline int
evf_vxlan_parse_outer(const struct evf_port *port, struct rte_mbuf *m, struct evf_outer *o)
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
	et = *(const uint16_t *)(p + 12);
	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		if (unlikely(pkt_len < RTE_ETHER_HDR_LEN + 4))
			return EVF_DROP_TRUNC_ETH;
		uint16_t vid = rte_be_to_cpu_16(*(const uint16_t *)(p + 14)) & 0xfff;
		if (unlikely(vid != port->underlay_vlan))
			return EVF_DROP_UNDERLAY_VLAN;
		et = *(const uint16_t *)(p + 16);
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
		    unlikely(rte_raw_cksum(ip, ihl) != 0xffff))
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
			rte_pktmbuf_trim(m, (uint16_t)(pkt_len - o->strip - o->inner_len));
	}
	return 0;
}

/** Make room for len bytes in front of m: prepend in place, else chain a
 *  fresh header mbuf from pool. Returns the new first mbuf or NULL. */
static inline struct rte_mbuf *
evf_mbuf_make_head(struct rte_mbuf *m, uint16_t len, struct rte_mempool *pool, uint8_t **hdr)
{
	struct rte_mbuf *h;

	if (likely(rte_pktmbuf_headroom(m) >= len && !RTE_MBUF_HAS_EXTBUF(m) &&
		   rte_mbuf_refcnt_read(m) == 1)) {
		*hdr = (uint8_t *)rte_pktmbuf_prepend(m, len);
		return m;
	}
	h = rte_pktmbuf_alloc(pool);
	if (h == NULL)
		return NULL;
	*hdr = (uint8_t *)rte_pktmbuf_append(h, len);
	if (*hdr == NULL || rte_pktmbuf_chain(h, m) != 0) {
		rte_pktmbuf_free(h);
		return NULL;
	}
	h->vlan_tci = m->vlan_tci;
	return h;
}

/** Encapsulate m (an untagged-or-inner-tagged Ethernet frame) towards the VTEP
 *  template t with VNI word vni. On success *mp is the packet to send on
 *  t->port_id and 0 is returned; else a drop reason (m is left to the caller). */
static inline int
evf_vxlan_encap(struct rte_mbuf **mp, const struct evf_encap_tmpl *t, rte_be32_t vni,
		uint32_t flow_hash, const struct evf_port *uplink, struct rte_mempool *pool)
{
	struct rte_mbuf *m = *mp;
	uint32_t inner_len = m->pkt_len;
	uint32_t l3_len = t->len - t->l2_len;   /* IP + UDP + VXLAN */
	uint8_t *h;
	struct rte_udp_hdr *udp;

	if (unlikely(l3_len + inner_len > uplink->mtu))
		return EVF_DROP_MTU_EXCEEDED;
	m = evf_mbuf_make_head(m, t->len, pool, &h);
	if (unlikely(m == NULL))
		return EVF_DROP_NO_HEADROOM;
	rte_memcpy(h, t->hdr, t->len);
	if (t->hdr[t->l2_len] == 0x45) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(h + t->l2_len);
		uint16_t tot_be = rte_cpu_to_be_16((uint16_t)(l3_len + inner_len));

		ip->total_length = tot_be;
		udp = (struct rte_udp_hdr *)(ip + 1);
		if (uplink->tx_ipv4_cksum) {
			m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
			m->l2_len = t->l2_len;
			m->l3_len = sizeof(*ip);
		} else {
			uint32_t sum = t->ip_sum + tot_be;
			sum = (sum & 0xffff) + (sum >> 16);
			sum = (sum & 0xffff) + (sum >> 16);
			ip->hdr_checksum = (uint16_t)~sum;
		}
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(h + t->l2_len);

		ip6->payload_len = rte_cpu_to_be_16((uint16_t)(inner_len + 16));
		udp = (struct rte_udp_hdr *)(ip6 + 1);
	}
	udp->src_port = rte_cpu_to_be_16(evf_udp_src_port(flow_hash));
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(inner_len + 16));
	((struct rte_vxlan_hdr *)(udp + 1))->vx_vni = vni;

	if (t->hdr[t->l2_len] != 0x45 && !evf_node.udp6_zero_checksum) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(h + t->l2_len);
		if (uplink->tx_udp_cksum) {
			m->ol_flags |= RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM;
			m->l2_len = t->l2_len;
			m->l3_len = sizeof(*ip6);
			udp->dgram_cksum = rte_ipv6_phdr_cksum(ip6, m->ol_flags);
		} else {
			uint16_t raw = 0;
			uint32_t sum;

			rte_raw_cksum_mbuf(m, t->l2_len + sizeof(*ip6), inner_len + 16, &raw);
			sum = (uint32_t)raw + rte_ipv6_phdr_cksum(ip6, 0);
			sum = (sum & 0xffff) + (sum >> 16);
			sum = (~sum) & 0xffff;
			udp->dgram_cksum = sum == 0 ? 0xffff : (uint16_t)sum;
		}
	}
	*mp = m;
	return 0;
}

#endif /* EVF_VXLAN_DP_H */
