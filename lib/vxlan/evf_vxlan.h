/* evf_vxlan.h: this node's VTEP identity and the remote VTEP table.
 *
 * A remote VTEP carries one precomputed outer-header template per uplink
 * (Ethernet [+802.1Q] / IPv4 or IPv6 / UDP / VXLAN with the VNI zeroed).
 * Workers read evf_vteps[id] for ids they obtained from an FDB entry, a flood
 * list or an ES PE set. The control thread creates VTEPs on first reference
 * and frees a slot only after its last reference is gone AND a grace period
 * has passed, so a worker never reads a template that is being rewritten. */
#ifndef EVF_VXLAN_H
#define EVF_VXLAN_H

#include <stdint.h>
#include <sys/socket.h>
#include <stdbool.h>

#include <rte_ether.h>

#include "evf_common.h"
#include "evf_addr.h"

#define EVF_VXLAN_HDR_MAX 80   /* 18 + 40 + 8 + 8 = 74, rounded up */

/** Our VTEP identity (start-up; read-only afterwards). */
struct evf_node {
	char name[EVF_NAME_LEN];
	struct evf_ip ipv4;
	struct evf_ip ipv6;
	struct rte_ether_addr mac;
	uint16_t udp_port;          /**< host order */
	rte_be16_t udp_port_be;
	uint8_t ttl;
	bool udp6_zero_checksum;
};
extern struct evf_node evf_node;

/** Our VTEP address of a family (AF_INET, AF_INET6; its family is 0 when we
 *  have none), or for family 0 the one we advertise: IPv4 when we have one,
 *  else IPv6. */
static inline const struct evf_ip *
evf_node_vtep(int family)
{
	if (family == 0)
		family = evf_node.ipv4.family ? AF_INET : AF_INET6;
	return family == AF_INET ? &evf_node.ipv4 : &evf_node.ipv6;
}

struct evf_encap_tmpl {
	uint8_t hdr[EVF_VXLAN_HDR_MAX];
	uint16_t port_id;           /**< egress uplink */
	uint8_t len;                /**< bytes of hdr used */
	uint8_t l2_len;             /**< 14 or 18 */
	uint8_t l3_len;             /**< IP + UDP + VXLAN bytes */
	uint8_t ipv4;               /**< 1: IPv4 outer header, 0: IPv6 */
	uint16_t max_inner;         /**< largest inner frame the uplink MTU allows */
	uint32_t ip_sum;            /**< IPv4: raw sum of the header with length and checksum 0 */
};

struct evf_vtep {
	struct evf_ip ip;
	uint16_t id;
	uint8_t family;             /**< AF_INET or AF_INET6 */
	uint8_t usable;             /**< we have a source address of this family and an uplink */
	struct evf_encap_tmpl tmpl[EVF_MAX_UPLINKS];
	/* control-only */
	uint32_t refcnt;
	uint8_t in_use;
} __rte_cache_aligned;

extern struct evf_vtep evf_vteps[EVF_MAX_VTEPS];

/* ---- the usable uplinks (underlay next hops) ----
 * Per address family of the outer header, the set of (uplink, outer
 * destination MAC, outer source MAC) that encapsulated traffic may use now:
 * an uplink whose link is up and whose gateway of that family answers (or
 * that has a static next-hop-mac). Built by the control thread (lib/underlay
 * decides, evf_uplinks_publish() publishes), read by workers without locks:
 * a new set is published with a release store and the old one freed after
 * an RCU grace period. A flow takes hop[hash % n]. NULL (never published:
 * unit tests without the underlay room): every uplink, template MACs. */
#define EVF_MAX_HOPS (EVF_MAX_UPLINKS * 4)

struct evf_uplink_hop {
	uint16_t uplink;            /**< index into evf_uplinks[] and evf_vtep.tmpl[] */
	uint16_t port_id;
	uint8_t macs[12];           /**< outer destination MAC, then source MAC */
	uint8_t tmpl_macs;          /**< macs are the template's (a static next hop): not written */
};

struct evf_uplink_set {
	uint16_t n;                 /**< 0: no usable uplink (dropped: no-uplink) */
	struct evf_uplink_hop hop[EVF_MAX_HOPS];
};

/** [0] IPv4 outer headers, [1] IPv6. */
extern struct evf_uplink_set *evf_uplink_sets[2];

static inline const struct evf_uplink_set *
evf_uplink_set_of(uint8_t family)
{
	return __atomic_load_n(&evf_uplink_sets[family == AF_INET ? 0 : 1], __ATOMIC_ACQUIRE);
}

#endif /* EVF_VXLAN_H */
