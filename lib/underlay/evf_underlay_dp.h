/* evf_underlay_dp.h: what workers use of the underlay: the ARP/ND slow path
 * of network ports (ul_network_dp.c) and its per-worker counters. Only ARP
 * and ICMPv6 NS/NA frames that failed the VXLAN parse of a port with an
 * underlay come here; VXLAN never pays for it. */
#ifndef EVF_UNDERLAY_DP_H
#define EVF_UNDERLAY_DP_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "evf_counters.h"
#include "evf_underlay.h"

/* X(field, shown name, help): per-worker ARP/ND counters of network ports. */
#define EVF_UL_COUNTERS(X) \
	X(arp_requests, "ARP requests",  "ARP requests received on network ports") \
	X(arp_replies,  "ARP replies",   "ARP replies received on network ports") \
	X(ns,           "NS",            "neighbor solicitations received on network ports") \
	X(na,           "NA",            "neighbor advertisements received on network ports") \
	X(answered_arp, "ARP answered",  "ARP requests for our VTEP or port addresses answered") \
	X(answered_nd,  "NS answered",   "NS for our VTEP or port addresses answered with an NA") \
	X(gw_seen,      "gateway seen",  "ARP/ND messages from a gateway (its signs of life)") \
	X(ignored,      "ignored",       "not for us and not from a gateway (dropped: nd-ignored)") \
	X(spoofed,      "spoofed",       "claiming an address of ours (dropped: nd-spoofed-gateway)") \
	X(malformed,    "malformed",     "failing the codec's checks (dropped under its nd-* reason)") \
	X(rate_limited, "rate limited",  "above the port's arp-nd-rate (dropped: nd-rate-limited)")

struct evf_ul_wcounters {
	EVF_UL_COUNTERS(EVF_COUNTER_FIELD)
} __rte_cache_aligned;
extern struct evf_ul_wcounters evf_ul_wstats[EVF_MAX_WORKERS];

enum evf_ul_verdict {
	EVF_UL_NOT_ND = 0,   /**< not ARP/NS/NA: the caller drops it under its own reason */
	EVF_UL_REPLY,        /**< m now holds the answer: send it back out the ingress port */
	EVF_UL_CONSUMED,     /**< a gateway's message, taken in: free m (not a drop) */
	EVF_UL_DROP,         /**< drop m under *reason */
};

/** The ARP/ND slow path of a frame m received on network port port_id
 *  (evf_ul_ports[port_id] != NULL) whose underlay VLAN is vlan (0: none):
 *  rate limit, the codec's checks, a sender claiming our address, a
 *  gateway's sign of life, an answer for our addresses built in place. */
enum evf_ul_verdict evf_ul_network(struct rte_mbuf *m, uint16_t port_id, uint16_t vlan,
	unsigned int worker, uint64_t tsc, uint16_t *reason);

#endif /* EVF_UNDERLAY_DP_H */
