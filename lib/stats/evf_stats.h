/* evf_stats.h: named drop reasons and per-worker counters.
 *
 * Each worker owns one cache-aligned struct evf_worker_stats and is the only
 * writer; readers (shell, telemetry, headless exit) sum over workers and
 * subtract the baseline taken by "clear stats", so no one ever writes a
 * worker's counters but the worker itself. */
#ifndef EVF_STATS_H
#define EVF_STATS_H

#include <stdio.h>
#include <stdint.h>

#include <rte_common.h>

#include "evf_common.h"
#include "evf_counters.h"

/* X(enum suffix, shown name, explanation) */
#define EVF_DROP_REASONS(X) \
	X(NONE,            "none",               "not a drop (value 0 means success to parsers)") \
	X(TRUNC_ETH,       "truncated-eth",      "frame shorter than its Ethernet/802.1Q header") \
	X(TRUNC_IP,        "truncated-ip",       "outer IP header cut short") \
	X(TRUNC_UDP,       "truncated-udp",      "outer UDP header cut short") \
	X(TRUNC_VXLAN,     "truncated-vxlan",    "UDP payload shorter than the VXLAN header") \
	X(EMPTY_UDP,       "empty-udp-payload",  "VXLAN-port UDP datagram with no payload at all") \
	X(TRUNC_INNER,     "truncated-inner",    "inner frame shorter than an Ethernet header") \
	X(NOT_IP,          "not-ip",             "network port: neither IPv4 nor IPv6") \
	X(UNDERLAY_VLAN,   "underlay-vlan",      "network port: 802.1Q tag other than the underlay VLAN") \
	X(NOT_OUR_MAC,     "not-our-mac",        "network port: outer destination MAC is not ours") \
	X(BAD_IP_VERSION,  "bad-ip-version",     "IP version field disagrees with the EtherType") \
	X(BAD_IP_HDR_LEN,  "bad-ip-header-len",  "IPv4 IHL below 5 or beyond the packet") \
	X(BAD_IP_LEN,      "bad-ip-length",      "IP total/payload length disagrees with the frame") \
	X(BAD_IP_CKSUM,    "bad-ip-checksum",    "outer IPv4 header checksum wrong") \
	X(IP_FRAGMENT,     "ip-fragment",        "outer IP fragment (VTEPs do not reassemble)") \
	X(IP_EXT_HDR,      "ipv6-ext-header",    "outer IPv6 extension header chain not supported") \
	X(NOT_OUR_VTEP,    "not-our-vtep",       "outer destination IP is not our VTEP address") \
	X(NOT_UDP,         "not-udp",            "outer IP protocol is not UDP") \
	X(NOT_VXLAN,       "not-vxlan",          "UDP destination port is not the VXLAN port") \
	X(BAD_UDP_LEN,     "bad-udp-length",     "UDP length field disagrees with the IP length") \
	X(BAD_FLAGS,       "bad-flags",          "VXLAN I flag clear") \
	X(UNKNOWN_VNI,     "unknown-vni",        "VNI of no configured MAC-VRF") \
	X(INNER_VLAN,      "inner-vlan",         "802.1Q-tagged frame on the VXLAN side (RFC 7348 6.1)") \
	X(OVERSIZE,        "oversize",           "received frame above the port MTU") \
	X(NO_ATTACHMENT,   "no-attachment",      "access port: no attachment for this VLAN") \
	X(BAD_SRC_MAC,     "bad-src-mac",        "source MAC multicast, broadcast or zero") \
	X(LINK_LOCAL_DST,  "link-local-dst",     "destination 01:80:c2:00:00:0x is never bridged") \
	X(MAC_LIMIT,       "mac-limit",          "unknown source MAC while the MAC-VRF is at its MAC limit") \
	X(SAME_ATTACHMENT, "same-attachment",    "destination MAC sits behind the ingress attachment") \
	X(REMOTE_TO_REMOTE,"remote-to-remote",   "network-side frame for a remote MAC (never back to the network)") \
	X(NO_DESTINATION,  "no-destination",     "flood with no recipient") \
	X(NO_VTEP_ROUTE,   "no-vtep-source",     "remote VTEP of an address family we have no source address for") \
	X(MTU_EXCEEDED,    "mtu-exceeded",       "frame larger than the egress port MTU after encapsulation/tagging") \
	X(NO_HEADROOM,     "no-headroom",        "no room to prepend headers and no mbuf to chain") \
	X(NO_MBUF,         "no-mbuf",            "mbuf pool empty while replicating") \
	X(TX_FULL,         "tx-full",            "egress queue full") \
	X(MULTISEG_TX,     "multiseg-unsupported","chained mbuf to a port without multi-segment TX") \
	X(PORT_DOWN,       "port-down",          "egress port administratively down") \
	X(SLOW_PROTOCOL,   "slow-protocol",      "LACP/marker frame on a port that is not a LAG member") \
	X(DF_FILTER,       "df-filter",          "BUM from the network to an ES we are not DF for") \
	X(LOCAL_BIAS,      "local-bias",         "BUM from an ES peer to the same ES (split horizon)") \
	X(ES_DOWN,         "es-down",            "egress Ethernet Segment is down") \
	X(LAG_DOWN,        "lag-down",           "egress LAG has no distributing member") \
	X(LAG_NOT_COLLECTING,"lag-not-collecting","received on a LAG member that is not collecting") \
	X(FROZEN_MAC,      "frozen-mac",         "source MAC frozen by duplicate detection seen elsewhere") \
	X(PUNT_FULL,       "punt-full",          "control punt ring full") \
	X(ND_TRUNCATED,    "nd-truncated",       "ARP, NS or NA shorter than its fixed part") \
	X(ND_BAD_HEADER,   "nd-bad-header",      "ARP not Ethernet/IPv4 or not a request/reply; NS/NA hop limit not 255 or code not 0") \
	X(ND_BAD_CHECKSUM, "nd-bad-checksum",    "NS/NA ICMPv6 checksum wrong") \
	X(ND_BAD_OPTION,   "nd-bad-option",      "NS/NA option of length 0, past the end, or a link-layer option twice") \
	X(ND_BAD_ADDRESS,  "nd-bad-address",     "ARP/ND sender or target not a host address, NS to a unicast address not its target, DAD NS malformed, solicited NA to a group") \
	X(ND_LLA_MISMATCH, "nd-lla-mismatch",    "ARP sender MAC or ND link-layer option differs from the Ethernet source") \
	X(ND_SPOOF,        "nd-spoofed-gateway", "ARP/ND from another MAC claiming an address of ours (IRB, VTEP, network port)") \
	X(ND_RATE_LIMIT,   "nd-rate-limited",    "ARP/ND above the MAC-VRF's or network port's rate limit") \
	X(ND_SUPPRESSED,   "nd-unknown-dropped", "ARP/NS for an address without binding, in a MAC-VRF that drops them") \
	X(IRB_NOT_ROUTED,  "irb-not-routed",     "to the gateway MAC, not for an IRB address and no host path (routing: L3 part 2)") \
	X(HOST_PUNT_FULL,  "host-punt-full",     "host path queue full or above its rate limit") \
	X(NO_UPLINK,       "no-uplink",          "no usable uplink for the outer family: links down or gateways unresolved") \
	X(ND_IGNORED,      "nd-ignored",         "ARP/ND on a network port neither for an address of ours nor from its gateway")

/** Drop reasons; EVF_DROP_NONE (0) is "no drop", real reasons are 1..EVF_DROP_MAX-1. */
enum evf_drop_reason {
#define EVF_DROP_ENUM(e, n, d) EVF_DROP_ ## e,
	EVF_DROP_REASONS(EVF_DROP_ENUM)
#undef EVF_DROP_ENUM
	EVF_DROP_MAX
};
#define EVF_DROP_FIRST (EVF_DROP_NONE + 1)

/** Shown name of a drop reason ("unknown-vni"). */
const char *evf_drop_name(enum evf_drop_reason r);
const char *evf_drop_help(enum evf_drop_reason r);
/** Reason by shown name, or EVF_DROP_MAX. */
enum evf_drop_reason evf_drop_by_name(const char *name);

struct evf_port_counters {
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t drops;      /**< drops attributed to packets received on this port */
};

/* X(field, shown name, help): a worker's counters besides drops and ports
 * ("show workers" per worker, "show stats" and telemetry /evfwd/worker
 * summed). */
#define EVF_WORKER_COUNTERS(X) \
	X(loops,           "loops",           "iterations of the poll loop") \
	X(busy_pkts,       "packets",         "packets received") \
	X(busy_cycles,     "busy cycles",     "TSC cycles of loop iterations that received packets") \
	X(flood_copies,    "flood copies",    "replicas made for flooding") \
	X(learn_events,    "learn events",    "learn and move events sent to the control thread") \
	X(learn_ring_full, "learn ring full", "learn events lost: the ring was full (the packet was still forwarded)") \
	X(punted,          "punted",          "slow-protocol frames handed to the control thread")

struct evf_worker_counters {
	EVF_WORKER_COUNTERS(EVF_COUNTER_FIELD)
};

/** Counters of one worker; written by that worker only. */
struct evf_worker_stats {
	uint64_t drops[EVF_DROP_MAX];
	struct evf_port_counters port[EVF_MAX_PORTS];
	EVF_WORKER_COUNTERS(EVF_COUNTER_FIELD)
	uint64_t last_rx_tsc;     /**< TSC of the last non-empty RX burst (not a counter) */
} __rte_cache_aligned;

/** Sum of all workers (optionally minus the "clear stats" baseline). */
struct evf_stats_sum {
	uint64_t drops[EVF_DROP_MAX];
	struct evf_port_counters port[EVF_MAX_PORTS];
	EVF_WORKER_COUNTERS(EVF_COUNTER_FIELD)
};

/** The worker counters of one worker (base: its struct evf_worker_stats) or
 *  of a sum (base: a struct evf_stats_sum): a set for printing and export. */
void evf_worker_counter_set(struct evf_counter_set *set, const char *title,
	const struct evf_worker_stats *w, const struct evf_stats_sum *sum);

/** Per-worker counters, indexed by worker index; set up once at start. */
extern struct evf_worker_stats *evf_worker_stats;
extern unsigned int evf_stats_nb_workers;

int evf_stats_init(unsigned int nb_workers);
void evf_stats_fini(void);
/** Sum over workers, minus the baseline when since_clear is true. */
void evf_stats_read(struct evf_stats_sum *out, bool since_clear);
/** Take the current sums as the new baseline ("clear stats"). */
void evf_stats_clear(void);
uint64_t evf_stats_total_drops(const struct evf_stats_sum *s);

#endif /* EVF_STATS_H */
