/* evf_nd_dp.h: what workers use of ARP/ND and the IRB gateway: each
 * MAC-VRF's settings (fixed at start-up), the binding lookup, the ARP/ND
 * slow path for frames from access attachments (nd_access_dp.c) and the
 * rate limits of that path and of the host path. Workers write only their
 * own counters and their own rate-limit slots (one cache line each). */
#ifndef EVF_ND_DP_H
#define EVF_ND_DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_mbuf.h>

#include "evf_counters.h"
#include "evf_nd.h"

/* X(field, shown name, help): per-worker ARP/ND counters (summed by readers). */
#define EVF_ND_COUNTERS(X) \
	X(arp_requests,   "ARP requests",       "ARP requests from access attachments") \
	X(arp_replies,    "ARP replies",        "ARP replies from access attachments") \
	X(ns,             "NS",                 "neighbor solicitations from access attachments") \
	X(na,             "NA",                 "neighbor advertisements from access attachments") \
	X(answered_arp,   "ARP answered",       "ARP requests answered by evfwd (bindings and the gateway)") \
	X(answered_nd,    "NS answered",        "NS answered by evfwd with an NA") \
	X(flooded,        "unknown flooded",    "ARP requests and NS for an address without binding, flooded") \
	X(dropped,        "unknown dropped",    "ARP requests and NS for an address without binding, dropped") \
	X(gratuitous,     "gratuitous",         "gratuitous ARP and unsolicited NA (flooded as BUM)") \
	X(dad,            "DAD",                "duplicate address detection NS (flooded)") \
	X(snooped,        "bindings reported",  "sender bindings sent to the control thread") \
	X(snoop_full,     "reports lost",       "sender bindings lost: the nd ring was full") \
	X(rate_limited,   "rate limited",       "ARP/ND above the MAC-VRF's rate (dropped)") \
	X(host_sent,      "to host",            "frames sent to the host path of an IRB") \
	X(host_limited,   "host limited",       "frames to the host path above its rate (dropped)")

struct evf_nd_wcounters {
	EVF_ND_COUNTERS(EVF_COUNTER_FIELD)
} __rte_cache_aligned;
extern struct evf_nd_wcounters evf_nd_wstats[EVF_MAX_WORKERS];

/** A per-second budget of one worker; written by that worker only. */
struct evf_nd_budget {
	uint64_t window;   /**< TSC at which the current second started */
	uint32_t used;
} __rte_cache_aligned;

/** A MAC-VRF's ARP/ND and gateway settings (start-up; read-only after). */
struct evf_nd_bd {
	uint8_t enabled;          /**< ARP/ND handled here (an "arp-nd" or "irb" section) */
	uint8_t proxy;            /**< answer for known bindings */
	uint8_t drop_unknown;     /**< unknown targets: drop (else flood) */
	uint8_t has_irb;
	uint16_t irb_attach;      /**< the IRB's attachment (host path), EVF_INVALID_ID if none */
	uint16_t pad;
	struct rte_ether_addr gw_mac;   /**< the anycast gateway MAC */
	struct rte_ether_addr own_mac;  /**< this PE's MAC (unique addresses, host path) */
	uint32_t rate;            /**< ARP/ND messages per second and worker, 0: no limit */
	uint32_t host_rate;       /**< frames per second and worker to the host path, 0: no limit */
	struct evf_nd_budget nd_budget[EVF_MAX_WORKERS];
	struct evf_nd_budget host_budget[EVF_MAX_WORKERS];
};
/** Per MAC-VRF (NULL: ARP/ND not handled in that MAC-VRF). */
extern struct evf_nd_bd *evf_nd_bds[EVF_MAX_BDS];

/** Is this frame (untagged, at eth) an ARP or an ICMPv6 NS/NA? Reads the
 *  EtherType, and for IPv6 the next header and the ICMPv6 type. */
static inline bool
evf_nd_is_nd_frame(const uint8_t *eth, uint32_t len)
{
	uint16_t et = (uint16_t)(eth[12] << 8 | eth[13]);

	if (et == EVF_ETHER_TYPE_ARP)
		return true;
	return et == EVF_ETHER_TYPE_IPV6 && len >= 14 + 40 + 1 && eth[14 + 6] == 58 &&
		(eth[14 + 40] == EVF_ICMP6_NS || eth[14 + 40] == EVF_ICMP6_NA);
}

/** One message more in a per-second budget of rate (0: no limit)? */
static inline bool
evf_nd_budget_take(struct evf_nd_budget *b, uint32_t rate, uint64_t tsc)
{
	if (rate == 0)
		return true;
	if (tsc - b->window >= rte_get_tsc_hz()) {
		b->window = tsc;
		b->used = 0;
	}
	return b->used++ < rate;
}

/** The binding of ip in MAC-VRF bd (packed: evf_nd_pack), if any. */
static inline bool
evf_nd_lookup(uint16_t bd, const struct evf_ip *ip, uint64_t *val)
{
	struct evf_nd_key k;
	void *data;

	evf_nd_make_key(&k, bd, ip);
	if (evf_nd.h == NULL || rte_hash_lookup_data(evf_nd.h, &k, &data) < 0)
		return false;
	*val = (uint64_t)(uintptr_t)data;
	return true;
}

enum evf_nd_verdict {
	EVF_ND_PASS = 0,      /**< bridge it as usual (flooded if BUM) */
	EVF_ND_REPLY,         /**< m now holds the answer: send it back out the ingress attachment */
	EVF_ND_DROP,          /**< drop m under *reason */
};

/** The ARP/ND slow path of a frame (untagged, ARP or NS/NA) that arrived on
 *  access attachment aid of MAC-VRF bd (which handles ARP/ND): validate,
 *  report the sender's binding to the control thread (nd_ring), answer
 *  from the bindings or the gateway, or let it be bridged. worker: the
 *  worker's index, tsc its loop time. */
enum evf_nd_verdict evf_nd_access(struct rte_mbuf *m, uint16_t aid, uint16_t bd,
	unsigned int worker, uint64_t tsc, struct rte_ring *nd_ring, uint16_t *reason);

#endif /* EVF_ND_DP_H */
