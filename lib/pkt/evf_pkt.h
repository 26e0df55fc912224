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
#include <x86intrin.h>

#include "evf_common.h"

/** Fields the flow hash covers (LAG "tx-hash" policies use the same names). */
enum evf_hash_policy {
	EVF_HASH_L2 = 0,  /**< MAC addresses and EtherType */
	EVF_HASH_L23,     /**< + IP addresses and protocol */
	EVF_HASH_L34,     /**< + TCP/UDP ports (IP addresses, protocol, ports; MACs for non-IP) */
};

/* Byte swap of a 16-bit value the compiler sees through: DPDK 22.11's
 * rte_cpu_to_be_16() of a variable is an inline asm xchg, which it cannot
 * combine with loads, stores or arithmetic. For the per-packet paths. */
static inline uint16_t
evf_bswap16(uint16_t v)
{
	return __builtin_bswap16(v);
}

/* Unaligned-safe loads and stores (one mov on x86, no undefined behaviour). */
static inline uint16_t
evf_ld16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
evf_st16(void *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline uint32_t
evf_ld32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t
evf_ld64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
evf_st32(void *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void
evf_st64(void *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* The 12 MAC address bytes at p moved to p + d (d = +4 or -4: the ranges
 * overlap): both loads before both stores, in registers, where memmove()
 * is a call into libc for every tagged frame. */
static inline void
evf_move_macs(uint8_t *p, int d)
{
	uint64_t a = evf_ld64(p);
	uint32_t b = evf_ld32(p + 8);

	evf_st64(p + d, a);
	evf_st32(p + d + 8, b);
}

/** Make the first len bytes of m contiguous in its first segment, moving
 *  data up from the following segments. Returns 0, or -1 when the packet is
 *  shorter than len or the first segment has no room. Slow path. */
int evf_mbuf_pullup(struct rte_mbuf *m, uint32_t len);

/** Remove len bytes from the end of m, across segments (freeing the emptied
 *  ones). Returns 0, or -1 when len exceeds the packet. */
int evf_mbuf_trim(struct rte_mbuf *m, uint32_t len);

/** One's complement sum (not complemented, 16 bits) of len bytes of m from
 *  off, across segments. Unlike DPDK 22.11's rte_raw_cksum_mbuf() it reduces
 *  each segment's sum before swapping the bytes of odd-offset segments, so no
 *  carry is lost. Returns -1 when the range exceeds the packet. */
int evf_raw_cksum_mbuf(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint16_t *sum);

/** Remove an 802.1Q tag that sits right after the MAC addresses; returns the TCI (host order). */
static inline uint16_t
evf_vlan_pop(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t tci = evf_bswap16(evf_ld16(p + 14));

	evf_move_macs(p, 4);
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
	evf_move_macs(p + 4, -4);
	evf_st32(p + 12, rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN) |
		 (uint32_t)evf_bswap16(tci) << 16);
	return 0;
}

/* CRC32-C steps (SSE4.2, which evfwd's x86 build requires), without the
 * per-call algorithm dispatch of rte_hash_crc_*(). */
static inline uint32_t
evf_crc_u64(uint64_t v, uint32_t h)
{
	return (uint32_t)_mm_crc32_u64(h, v);
}

static inline uint32_t
evf_crc_u32(uint32_t v, uint32_t h)
{
	return _mm_crc32_u32(h, v);
}

/** Flow hash of an Ethernet frame whose first len bytes are at p. Never reads beyond len. */
static inline uint32_t
evf_flow_hash(const uint8_t *p, uint32_t len, enum evf_hash_policy policy)
{
	uint32_t h = 0x5bd1e995;
	uint32_t off = 2 * RTE_ETHER_ADDR_LEN;
	uint16_t et;

	if (unlikely(len < RTE_ETHER_HDR_LEN + 4))
		return rte_hash_crc(p, len, h);
	et = evf_ld16(p + off);
	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		off += 4;
		et = evf_ld16(p + off);
	}
	off += 2;
	if (policy == EVF_HASH_L2)
		goto l2;

	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) && len >= off + 20) {
		const uint8_t *ip = p + off;
		uint32_t ihl = (ip[0] & 0xf) * 4u;

		h = evf_crc_u64(evf_ld64(ip + 12), h);        /* source and destination */
		h = evf_crc_u32(ip[9], h);                    /* protocol */
		/* ports of the first fragment of TCP/UDP only */
		if (policy == EVF_HASH_L34 && (ip[9] == IPPROTO_TCP || ip[9] == IPPROTO_UDP) &&
		    (evf_ld32(ip + 4) & rte_cpu_to_be_32(RTE_IPV4_HDR_OFFSET_MASK)) == 0 &&
		    ihl >= 20 && len >= off + ihl + 4)
			h = evf_crc_u32(evf_ld32(ip + ihl), h);
		return h;
	}
	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) && len >= off + 40) {
		const uint8_t *ip6 = p + off;

		for (int i = 8; i < 40; i += 8)
			h = evf_crc_u64(evf_ld64(ip6 + i), h);  /* source and destination */
		h = evf_crc_u32(ip6[6], h);
		if (policy == EVF_HASH_L34 && len >= off + 44 &&
		    (ip6[6] == IPPROTO_TCP || ip6[6] == IPPROTO_UDP))
			h = evf_crc_u32(evf_ld32(ip6 + 40), h);
		return h;
	}
l2:
	h = evf_crc_u64(evf_ld64(p), h);          /* destination + 2 bytes of source */
	h = evf_crc_u32(evf_ld32(p + 8), h);      /* rest of source + type/TPID */
	return evf_crc_u32(et, h);
}

/** Mix a flow hash before choosing with it: CRC-32C is linear, so its low
 *  bits alone are parities of a few input bits (two flows differing in one
 *  port bit land on the same side of a 2-way choice far too often). */
static inline uint32_t
evf_hash_mix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/** Choice among n (1..): a mixed hash scaled to [0, n) (no division). */
static inline uint32_t
evf_hash_pick(uint32_t h, uint32_t n)
{
	return (uint32_t)(((uint64_t)evf_hash_mix(h) * n) >> 32);
}

/** Fold a 32-bit hash into the VXLAN UDP source port range 49152..65535 (RFC 7348 5). */
static inline uint16_t
evf_udp_src_port(uint32_t hash)
{
	hash ^= hash >> 16;
	return (uint16_t)(0xc000u | (hash & 0x3fffu));
}

/** True when an IPv4 header of ihl bytes (>= 20, multiple of 4) has a valid
 *  checksum: the one's complement sum of all its 16-bit words is 0xffff. */
static inline bool
evf_ipv4_cksum_ok(const void *hdr, uint32_t ihl)
{
	const uint8_t *w = (const uint8_t *)hdr;
	uint64_t sum = (uint64_t)evf_ld32(w) + evf_ld32(w + 4) + evf_ld32(w + 8) +
		evf_ld32(w + 12) + evf_ld32(w + 16);

	for (uint32_t i = 20; unlikely(i < ihl); i += 4)
		sum += evf_ld32(w + i);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* Frame accessors on raw bytes: a frame may start at any address, and
 * struct rte_ether_hdr promises 2-byte alignment. */
#define EVF_ETH_DST   0
#define EVF_ETH_SRC   6
#define EVF_ETH_TYPE 12

/** EtherType (or TPID) of a frame, network order. */
static inline uint16_t
evf_eth_type(const uint8_t *frame)
{
	return evf_ld16(frame + EVF_ETH_TYPE);
}

/** A MAC as a 48-bit little-endian number (the layout the FDB keys use).
 *  Two loads combined in registers: a 6-byte memcpy into a zeroed word
 *  compiles to stores into the stack and one 8-byte load of them, which
 *  cannot be forwarded from the store buffer and stalls (~12 cycles). */
static inline uint64_t
evf_mac48(const uint8_t *mac)
{
	return (uint64_t)evf_ld32(mac) | ((uint64_t)evf_ld16(mac + 4) << 32);
}

/** Group (multicast/broadcast) address: I/G bit of the first byte. */
static inline bool
evf_mac_is_group(const uint8_t *mac)
{
	return mac[0] & 1;
}

/** Unicast and not all-zero: a valid source address. */
static inline bool
evf_mac_is_valid_src(const uint8_t *mac)
{
	uint64_t v = evf_mac48(mac);

	return !(v & 1) && v != 0;
}

/** True for 01:80:c2:00:00:00..0f, never forwarded by a bridge (802.1Q 8.6.3). */
static inline bool
evf_mac_is_link_local(const uint8_t *b)
{
	return b[0] == 0x01 && b[1] == 0x80 && b[2] == 0xc2 && b[3] == 0 && b[4] == 0 &&
		(b[5] & 0xf0) == 0;
}

#endif /* EVF_PKT_H */
