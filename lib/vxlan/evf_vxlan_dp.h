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

/** Expected outer-header words for the decap fast path, as little-endian
 *  loads at frame offsets 12, 20 and 30 of an untagged IPv4 VXLAN packet
 *  (shifted by 4 for a tagged underlay). Built at start-up, read-only. */
struct evf_vxlan_fast {
	uint64_t m12, v12;   /**< EtherType 0x0800, version 4 / IHL 5 */
	uint64_t m20, v20;   /**< no MF flag, fragment offset 0; protocol UDP */
	uint64_t m30, v30;   /**< destination = our IPv4 VTEP; UDP destination port */
	uint64_t mac48;      /**< node MAC as a 48-bit load */
	bool enabled;        /**< we have an IPv4 VTEP address */
};
extern struct evf_vxlan_fast evf_vxlan_fast;

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

/** Full outer-header validation (any layout); the exact drop reason on failure. */
int evf_vxlan_parse_outer_slow(const struct evf_port *port, struct rte_mbuf *m, struct evf_outer *o);

/** Validate the outer headers of a frame received on a network port.
 *  Returns 0 with o filled, or a drop reason (> 0). Never reads beyond pkt_len.
 *
 *  Fast path: the common layout (optional underlay tag, IPv4 without options
 *  or fragmentation, UDP length matching the IP length) is checked with three
 *  masked 64-bit compares against words precomputed from our VTEP identity
 *  (evf_vxlan_fast). Anything else, valid or not, takes the full parser,
 *  which accepts everything the fast path accepts with the same result. */
static inline int
evf_vxlan_parse_outer(const struct evf_port *port, struct rte_mbuf *m, struct evf_outer *o)
{
	const struct evf_vxlan_fast *f = &evf_vxlan_fast;
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t pkt_len = m->pkt_len, tag = 0, tot, ulen;
	uint64_t dst, bad;

	if (unlikely(!f->enabled || m->data_len < 18 + 50))
		return evf_vxlan_parse_outer_slow(port, m, o);
	dst = evf_ld64(p) & 0xffffffffffffull;
	if (unlikely(port->underlay_vlan != 0)) {
		if (evf_ld64(p + 12) << 32 >> 32 != port->underlay_tag_word)
			return evf_vxlan_parse_outer_slow(port, m, o);
		tag = 4;
		p += 4; /* the IPv4 layout below now starts 4 bytes later */
	}
	bad = ((evf_ld64(p + 12) ^ f->v12) & f->m12) |
	      ((evf_ld64(p + 20) ^ f->v20) & f->m20) |
	      ((evf_ld64(p + 30) ^ f->v30) & f->m30) |
	      ((p[42] & 0x08) ^ 0x08) |
	      ((dst ^ f->mac48) && (dst ^ port->hw_mac48));
	tot = evf_bswap16(evf_ld16(p + 16));
	ulen = evf_bswap16(evf_ld16(p + 38));
	if (unlikely(bad || ulen != tot - 20 || ulen < 16 + RTE_ETHER_HDR_LEN ||
		     14 + tag + tot > pkt_len || tot > port->mtu ||
		     (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_BAD))
		return evf_vxlan_parse_outer_slow(port, m, o);
	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	    unlikely(!evf_ipv4_cksum_ok(p + 14, 20)))
		return EVF_DROP_BAD_IP_CKSUM;
	o->family = AF_INET;
	o->src_v4 = evf_ld32(p + 26);
	o->src_v6 = NULL;
	o->vni = rte_be_to_cpu_32(evf_ld32(p + 46)) >> 8;
	o->strip = (uint16_t)(tag + 50);
	o->inner_len = (uint16_t)(ulen - 16);
	if (unlikely(pkt_len > 14 + tag + tot))
		evf_mbuf_trim(m, pkt_len - 14 - tag - tot);
	return 0;
}

/** Make room for len bytes in front of m: prepend in place, else chain a
 *  fresh header mbuf from pool. Returns the new first mbuf or NULL. */
static inline struct rte_mbuf *
evf_mbuf_make_head(struct rte_mbuf *m, uint16_t len, struct rte_mempool *pool, uint8_t **hdr)
{
	struct rte_mbuf *h;

	/* Write in place only into a buffer nobody else sees: direct, not shared. */
	if (likely(rte_pktmbuf_headroom(m) >= len && RTE_MBUF_DIRECT(m) &&
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

/** Write the outer headers of template t into h, the first t->len bytes of
 *  m, in front of an inner frame of inner_len bytes (already in place behind
 *  them): the template, the lengths, the IPv4 checksum (or its offload), the
 *  UDP source port from flow_hash, the VNI word and, for IPv6 without
 *  zero-checksum UDP, the UDP checksum (or its offload). */
static __rte_always_inline void
evf_vxlan_fill(struct rte_mbuf *m, uint8_t *h, const struct evf_encap_tmpl *t, uint32_t inner_len,
	       rte_be32_t vni, uint32_t flow_hash, const struct evf_port *uplink)
{
	struct rte_udp_hdr *udp;

	/* Templates are 50..74 bytes: [0,32) and [len-32,len) cover up to 64,
	 * IPv6 templates (70, 74) need [32,48) too. Never write past len. */
	rte_mov32(h, t->hdr);
	if (unlikely(t->len > 64))
		rte_mov16(h + 32, t->hdr + 32);
	rte_mov32(h + t->len - 32, t->hdr + t->len - 32);
	if (likely(t->ipv4)) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(h + t->l2_len);
		uint16_t tot_be = evf_bswap16((uint16_t)(t->l3_len + inner_len));

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

		ip6->payload_len = evf_bswap16((uint16_t)(inner_len + 16));
		udp = (struct rte_udp_hdr *)(ip6 + 1);
	}
	udp->src_port = evf_bswap16(evf_udp_src_port(flow_hash));
	udp->dgram_len = evf_bswap16((uint16_t)(inner_len + 16));
	((struct rte_vxlan_hdr *)(udp + 1))->vx_vni = vni;

	if (!t->ipv4 && !evf_node.udp6_zero_checksum) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(h + t->l2_len);
		if (uplink->tx_udp_cksum) {
			m->ol_flags |= RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM;
			m->l2_len = t->l2_len;
			m->l3_len = sizeof(*ip6);
			udp->dgram_cksum = rte_ipv6_phdr_cksum(ip6, m->ol_flags);
		} else {
			uint16_t raw = 0;
			uint32_t sum;

			evf_raw_cksum_mbuf(m, t->l2_len + sizeof(*ip6), inner_len + 16, &raw);
			sum = (uint32_t)raw + rte_ipv6_phdr_cksum(ip6, 0);
			sum = (sum & 0xffff) + (sum >> 16);
			sum = (~sum) & 0xffff;
			udp->dgram_cksum = sum == 0 ? 0xffff : (uint16_t)sum;
		}
	}
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
	uint8_t *h;

	if (unlikely(inner_len > t->max_inner))
		return EVF_DROP_MTU_EXCEEDED;
	m = evf_mbuf_make_head(m, t->len, pool, &h);
	if (unlikely(m == NULL))
		return EVF_DROP_NO_HEADROOM;
	evf_vxlan_fill(m, h, t, inner_len, vni, flow_hash, uplink);
	*mp = m;
	return 0;
}

#endif /* EVF_VXLAN_DP_H */
