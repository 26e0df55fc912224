/* evf_pkt.h: packet helpers shared by every data-path stage: pulling headers
 * into the first segment, 802.1Q push/pop and the flow hash used for the
 * VXLAN UDP source port, ECMP over ES peers and LAG member choice.
 * Worker context; inline where it sits on the per-packet path. */
#ifndef EVF_PKT_H
#define EVF_PKT_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "evf_common.h"

/** Fields the flow hash covers (LAG "tx-hash" policies use the same names). */
enum evf_hash_policy {
	EVF_HASH_L2 = 0,  /**< MAC addresses and EtherType */
	EVF_HASH_L23,     /**< + IP addresses and protocol */
	EVF_HASH_L34,     /**< + TCP/UDP ports (IP addresses, protocol, ports; MACs for non-IP) */
};

/** Make the first len bytes of m contiguous in its first segment, moving
 *  data up from the following segments. Returns 0, or -1 when the packet is
 *  shorter than len or the first segment has no room. Slow path. */
int evf_mbuf_pullup(struct rte_mbuf *m, uint32_t len);

/** Remove len bytes from the front of m (may free emptied segments is not
 *  needed: callers pull up first). Returns the new data start. */
static inline void *
evf_mbuf_strip(struct rte_mbuf *m, uint16_t len)
{
	return rte_pktmbuf_adj(m, len);
}

/** Remove an 802.1Q tag that sits right after the MAC addresses; returns the TCI (host order). */
static inline uint16_t
evf_vlan_pop(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t tci = rte_be_to_cpu_16(*(uint16_t *)(p + 14));

	memmove(p + 4, p, 2 * RTE_ETHER_ADDR_LEN);
	rte_pktmbuf_adj(m, 4);
	return tci;
}

/** Insert an 802.1Q tag after the MAC addresses. Returns 0 or -1 without headroom. */
static inline int
evf_vlan_push(struct rte_mbuf *m, uint16_t tci)
{
	uint8_t *p = (uint8_t *)rte_pktmbuf_prepend(m, 4);

	if (unlikely(p == NULL))
		return -1;
	memmove(p, p + 4, 2 * RTE_ETHER_ADDR_LEN);
	*(uint16_t *)(p + 12) = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	*(uint16_t *)(p + 14) = rte_cpu_to_be_16(tci);
	return 0;
}

/** Flow hash of an Ethernet frame whose first len bytes are at p. Never reads beyond len. */
static inline uint32_t
evf_flow_hash(const uint8_t *p, uint32_t len, enum evf_hash_policy policy)
{
	uint32_t h = 0x5bd1e995;
	uint32_t off = 2 * RTE_ETHER_ADDR_LEN;
	uint16_t et;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return rte_hash_crc(p, len, h);
	et = *(const uint16_t *)(p + off);
	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN) && len >= RTE_ETHER_HDR_LEN + 4) {
		off += 4;
		et = *(const uint16_t *)(p + off);
	}
	off += 2;
	if (policy == EVF_HASH_L2)
		goto l2;

	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) && len >= off + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(p + off);
		uint32_t ihl = (ip->version_ihl & 0xf) * 4u;

		h = rte_hash_crc_4byte(ip->src_addr, h);
		h = rte_hash_crc_4byte(ip->dst_addr, h);
		h = rte_hash_crc_1byte(ip->next_proto_id, h);
		if (policy == EVF_HASH_L34 && ihl >= 20 && len >= off + ihl + 4 &&
		    (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK)) == 0 &&
		    (ip->next_proto_id == IPPROTO_TCP || ip->next_proto_id == IPPROTO_UDP))
			h = rte_hash_crc_4byte(*(const uint32_t *)(p + off + ihl), h);
		return h;
	}
	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) && len >= off + sizeof(struct rte_ipv6_hdr)) {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(p + off);

		h = rte_hash_crc(ip6->src_addr, 32, h);
		h = rte_hash_crc_1byte(ip6->proto, h);
		if (policy == EVF_HASH_L34 && len >= off + sizeof(*ip6) + 4 &&
		    (ip6->proto == IPPROTO_TCP || ip6->proto == IPPROTO_UDP))
			h = rte_hash_crc_4byte(*(const uint32_t *)(p + off + sizeof(*ip6)), h);
		return h;
	}
l2:
	h = rte_hash_crc_8byte(*(const uint64_t *)p, h);          /* dst + 2 bytes of src */
	h = rte_hash_crc_4byte(*(const uint32_t *)(p + 8), h);    /* rest of src + type/tpid */
	return rte_hash_crc_2byte(et, h);
}

/** Fold a 32-bit hash into the VXLAN UDP source port range 49152..65535 (RFC 7348 5). */
static inline uint16_t
evf_udp_src_port(uint32_t hash)
{
	hash ^= hash >> 16;
	return (uint16_t)(0xc000u | (hash & 0x3fffu));
}

/** True for 01:80:c2:00:00:00..0f, never forwarded by a bridge (802.1Q 8.6.3). */
static inline bool
evf_mac_is_link_local(const struct rte_ether_addr *a)
{
	const uint8_t *b = a->addr_bytes;

	return b[0] == 0x01 && b[1] == 0x80 && b[2] == 0xc2 && b[3] == 0 && b[4] == 0 &&
		(b[5] & 0xf0) == 0;
}

#endif /* EVF_PKT_H */
