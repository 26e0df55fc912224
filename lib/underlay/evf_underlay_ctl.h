/* evf_underlay_ctl.h: the underlay's start-up and control-thread API:
 * setting up network ports' addresses and gateways from the config, the
 * resolver poller (ARP/ND probes, refresh, failure detection, link state),
 * publishing the usable uplinks, and views for the shell, telemetry and
 * metrics. */
#ifndef EVF_UNDERLAY_CTL_H
#define EVF_UNDERLAY_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "evf_counters.h"
#include "evf_underlay_dp.h"

struct evf_cfg;

/* X(field, shown name, help): the resolver's counters (control thread). */
#define EVF_UL_CTL_COUNTERS(X) \
	X(probes,       "probes sent",      "ARP requests and NS sent to gateways (resolution and refresh)") \
	X(probe_fail,   "probes not sent",  "probes that found no mbuf or a full inject ring") \
	X(resolved,     "resolved",         "gateways that became usable (first answer, or back after a failure)") \
	X(mac_changes,  "MAC changes",      "gateways that answered from a new MAC") \
	X(failed,       "failed",           "gateways declared down: probe-misses probes unanswered") \
	X(link_down,    "link down",        "network ports whose link or admin state went down") \
	X(link_up,      "link up",          "network ports whose link came back") \
	X(publishes,    "sets published",   "usable uplink sets published to the workers")

struct evf_ul_ctl_counters {
	EVF_UL_CTL_COUNTERS(EVF_COUNTER_FIELD)
};
extern struct evf_ul_ctl_counters evf_ul_ctl_counters;
extern const struct evf_counter_set evf_ul_ctl_counter_set;

/** Start-up (main thread, after the ports and evf_node): the network ports'
 *  addresses and gateways, the first usable sets. pool: for probes. 0 or
 *  -errno (-E2BIG: more gateways than EVF_UL_MAX_GWS). */
int evf_ul_setup(const struct evf_cfg *cfg, struct rte_mempool *pool);
/** Register the resolver with the control loop (main thread). */
int evf_ul_register_pollers(void);
/** Tear-down (workers and control thread stopped). */
void evf_ul_fini(void);

/** The workers' counters summed, and their counter set. */
void evf_ul_worker_sum(struct evf_ul_wcounters *sum);
void evf_ul_worker_counter_set(struct evf_counter_set *set, const struct evf_ul_wcounters *sum);

enum evf_ul_gw_state {
	EVF_UL_GW_INCOMPLETE = 0,   /**< never answered */
	EVF_UL_GW_REACHABLE,        /**< answered within probe-misses probes */
	EVF_UL_GW_FAILED,           /**< stopped answering (or its link went down) */
};
const char *evf_ul_gw_state_name(uint8_t state);

/* ---- views (control thread, through evf_ctl_call) ---- */
struct evf_ul_gw_view {
	uint16_t port_id;
	struct evf_ip ip;
	struct evf_ip src;
	uint8_t state;               /**< enum evf_ul_gw_state */
	bool has_mac;
	bool usable;                 /**< in the published set now */
	struct rte_ether_addr mac;
	uint64_t seen_ms;            /**< since its last sign of life; UINT64_MAX never */
	uint64_t state_ms;           /**< since its state changed */
	uint64_t probes, answers, failures;
	uint32_t misses;             /**< probes since its last answer */
};
typedef void (*evf_ul_gw_visit_fn)(const struct evf_ul_gw_view *v, void *arg);
/** Every gateway in config order. Returns how many. */
unsigned int evf_ul_gw_walk(evf_ul_gw_visit_fn fn, void *arg);

struct evf_ul_port_view {
	uint16_t port_id;
	bool link_up;                /**< link and admin state as the resolver last saw them */
	bool static_hop;             /**< next-hop-mac: no resolution */
	uint8_t nb_addrs;
	struct evf_ip addrs[EVF_UL_MAX_ADDRS];   /**< the port's own, then our VTEPs */
	uint32_t probe_interval_ms, probe_misses, rate;
};
/** The view of network port uplink (index in evf_uplinks[]); -ENOENT past the end. */
int evf_ul_port_view(uint16_t uplink, struct evf_ul_port_view *v);
/** Hops in the published set of a family (AF_INET, AF_INET6), -1 never published. */
int evf_ul_set_size(int family);

#endif /* EVF_UNDERLAY_CTL_H */
