/* evf_nd.h: ARP and IPv6 Neighbor Discovery for the IRB gateway and the
 * MAC/IP bindings of MAC-VRFs (RFC 826, RFC 4861, RFC 9161 proxy ARP/ND,
 * RFC 9047 flags). Shared types and the message codec: parsing an ARP or
 * NS/NA message with every check RFC 4861 7.1 asks for, and building the
 * replies evfwd sends (ARP reply, solicited NA, probes). The codec is pure:
 * no evfwd state, any thread (workers use it on the fast path of ARP/ND
 * frames only). */
#ifndef EVF_ND_H
#define EVF_ND_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_ether.h>

#include "evf_addr.h"
#include "evf_common.h"

#define EVF_ETHER_TYPE_ARP  0x0806
#define EVF_ETHER_TYPE_IPV6 0x86dd
#define EVF_ARP_LEN         28     /* Ethernet/IPv4 ARP body */
#define EVF_ICMP6_NS        135
#define EVF_ICMP6_NA        136
#define EVF_ND_OPT_SLLA     1      /* source link-layer address */
#define EVF_ND_OPT_TLLA     2      /* target link-layer address */

/* NA flags (RFC 4861 4.4), as in the first byte of the reserved word. */
#define EVF_NA_ROUTER    0x80
#define EVF_NA_SOLICITED 0x40
#define EVF_NA_OVERRIDE  0x20

enum evf_nd_kind {
	EVF_ND_NONE = 0,
	EVF_ND_ARP_REQUEST,
	EVF_ND_ARP_REPLY,
	EVF_ND_NS,
	EVF_ND_NA,
};

/** One parsed ARP or NS/NA message. */
struct evf_nd_msg {
	uint8_t kind;                 /**< enum evf_nd_kind */
	bool gratuitous;              /**< ARP with sender IP == target IP; NA not solicited */
	bool dad;                     /**< NS from the unspecified address (RFC 4862) */
	bool has_lla;                 /**< NS/NA: a link-layer address option */
	uint8_t na_flags;             /**< NA: EVF_NA_* */
	struct evf_ip sender;         /**< ARP: sender IP; NS: IPv6 source (family 0 for DAD); NA: the target */
	struct evf_ip target;         /**< ARP: target IP; NS/NA: target address */
	struct evf_ip ip6_dst;        /**< NS/NA: IPv6 destination */
	struct rte_ether_addr sender_mac; /**< ARP: sender MAC; NS: SLLA; NA: TLLA (when has_lla) */
	struct rte_ether_addr target_mac; /**< ARP: target hardware address */
};

/** Parse the message that follows the Ethernet header (and VLAN tag) of a
 *  frame: an ARP body (ethertype 0x0806) or an IPv6 packet carrying ICMPv6
 *  NS or NA (0x86dd). eth_src is the frame's source MAC: a sender MAC or
 *  link-layer address option that disagrees with it is refused (a spoof or a
 *  proxy's reply; evfwd learns from neither). Returns 0 with msg filled,
 *  1 when the frame is IPv6 but not NS/NA (not for this codec), or a drop
 *  reason (enum evf_drop_reason, positive). */
int evf_nd_parse(const uint8_t *l3, uint32_t len, uint16_t ethertype,
	const struct rte_ether_addr *eth_src, struct evf_nd_msg *msg);

/** Write an ARP reply answering req (a request) for its target IP with mac:
 *  Ethernet header (destination: the requester, source: mac) and ARP body,
 *  42 bytes into out (room for 60: zero-padded to the Ethernet minimum).
 *  Returns the frame length (60). */
uint32_t evf_nd_build_arp_reply(uint8_t *out, const struct evf_nd_msg *req,
	const struct rte_ether_addr *mac);
/** Write a unicast ARP probe (RFC 5227 style: sender IP 0 unless src_ip is
 *  given) asking ip of the host at mac, from our from_mac. Returns 60. */
uint32_t evf_nd_build_arp_probe(uint8_t *out, const struct rte_ether_addr *from_mac,
	const struct evf_ip *src_ip, const struct evf_ip *ip, const struct rte_ether_addr *mac);
/** Write a solicited NA answering ns for its target with mac: IPv6 source the
 *  target, destination the NS source, flags (EVF_NA_ROUTER, EVF_NA_OVERRIDE;
 *  solicited is added), a TLLA option, the ICMPv6 checksum. Ethernet
 *  destination: the NS's link-layer source (from_mac_dst). Returns the frame
 *  length (86). Not for a DAD NS (no source to answer). */
uint32_t evf_nd_build_na(uint8_t *out, const struct evf_nd_msg *ns,
	const struct rte_ether_addr *dst_mac, const struct rte_ether_addr *mac, uint8_t flags);
/** Write a unicast NS for ip to the host at mac from our (from_mac, src_ip),
 *  with an SLLA option. Returns the frame length (86). */
uint32_t evf_nd_build_ns(uint8_t *out, const struct rte_ether_addr *from_mac,
	const struct evf_ip *src_ip, const struct evf_ip *ip, const struct rte_ether_addr *mac);

/** Write a multicast NS for ip (address resolution, RFC 4861 7.2.2): to
 *  ip's solicited-node group (ff02::1:ffXX:XXXX, Ethernet 33:33:ff:XX:XX:XX)
 *  from our (from_mac, src_ip), with an SLLA option. Returns 86. */
uint32_t evf_nd_build_ns_mcast(uint8_t *out, const struct rte_ether_addr *from_mac,
	const struct evf_ip *src_ip, const struct evf_ip *ip);

/** ICMPv6 checksum of an IPv6 packet (header at ip6, payload length from
 *  the header); 0 means the stored checksum is right. */
uint16_t evf_icmp6_cksum(const uint8_t *ip6, uint32_t len);

/** Is ip a unicast address a host may own (not multicast, broadcast, zero,
 *  loopback; IPv6 not multicast or unspecified)? */
bool evf_nd_ip_unicast(const struct evf_ip *ip);

/* ---- the binding table: (MAC-VRF, IP) -> MAC ----
 * One rte_hash for every MAC-VRF, created with RW_CONCURRENCY_LF: the control
 * thread is its only writer, workers look up without locks. The value is
 * the binding itself in 64 bits (MAC, flags, origin), so that a changed
 * binding is one atomic store and a worker never follows a pointer; deleted
 * keys' slots are reused after an RCU grace period. */

/** Key: MAC-VRF id, address family and the address (IPv4 in the first 4 bytes). */
struct evf_nd_key {
	uint16_t bd;
	uint8_t family;
	uint8_t pad;
	uint8_t ip[16];
};

/* Binding flags (RFC 9047 ARP/ND extended community: R, O, I) */
#define EVF_ND_F_ROUTER    0x01   /**< an IPv6 router (NA R flag) */
#define EVF_ND_F_OVERRIDE  0x02   /**< NA O flag: replies override caches */
#define EVF_ND_F_IMMUTABLE 0x04   /**< configured, never moves */
#define EVF_ND_F_FROZEN    0x08   /**< duplicate IP detection holds it */

enum evf_nd_origin {
	EVF_ND_LOCAL = 1,  /**< snooped on one of our attachments */
	EVF_ND_REMOTE,     /**< an RT2 MAC+IP route */
	EVF_ND_GATEWAY,    /**< an anycast IRB address of ours (the gateway MAC) */
	EVF_ND_OWN,        /**< a unique IRB address of ours (this PE's MAC) */
};

static inline uint64_t
evf_nd_pack(const struct rte_ether_addr *mac, uint8_t flags, uint8_t origin)
{
	uint64_t v = 0;

	memcpy(&v, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return v | (uint64_t)flags << 48 | (uint64_t)origin << 56;
}

static inline void
evf_nd_unpack_mac(uint64_t v, struct rte_ether_addr *mac)
{
	memcpy(mac->addr_bytes, &v, RTE_ETHER_ADDR_LEN);
}

static inline uint8_t
evf_nd_flags(uint64_t v)
{
	return (uint8_t)(v >> 48);
}

static inline uint8_t
evf_nd_origin(uint64_t v)
{
	return (uint8_t)(v >> 56);
}

static inline void
evf_nd_make_key(struct evf_nd_key *k, uint16_t bd, const struct evf_ip *ip)
{
	memset(k, 0, sizeof(*k));
	k->bd = bd;
	k->family = ip->family;
	if (ip->family == AF_INET)
		memcpy(k->ip, &ip->v4, 4);
	else
		memcpy(k->ip, ip->v6, 16);
}

struct rte_hash;
struct evf_nd_table {
	struct rte_hash *h;
	uint32_t capacity;
};
extern struct evf_nd_table evf_nd;

/* ---- snooping: worker -> control thread (the nd ring of evf_chan.h) ---- */

/** A sender binding a worker saw in an ARP or NS/NA message. 32 bytes. */
struct evf_nd_event {
	uint16_t bd;
	uint16_t attach;        /**< where it was seen */
	uint8_t family;
	uint8_t flags;          /**< EVF_ND_F_ROUTER / _OVERRIDE from an NA */
	uint8_t worker;
	uint8_t reserved;
	uint8_t ip[16];
	uint8_t mac[6];
	uint16_t pad;
};

#endif /* EVF_ND_H */
