/* ul_private.h: the underlay room's control-thread state (private). */
#ifndef EVF_UL_PRIVATE_H
#define EVF_UL_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#include "evf_underlay.h"
#include "evf_underlay_ctl.h"

struct ul_gw_ctl {
	uint8_t state;                  /**< enum evf_ul_gw_state */
	bool has_mac;
	bool usable;
	struct rte_ether_addr mac;
	uint32_t misses;                /**< probes since the last sign of life */
	uint64_t next_probe_tsc;
	uint64_t seen_tsc;              /**< 0: never */
	uint64_t state_tsc;
	uint64_t last_word[EVF_MAX_WORKERS];
	uint64_t probes, answers, failures;
};

struct ul_uplink_ctl {
	bool handled;                   /**< evf_ul_ports[port] set: addresses or gateways */
	bool static_hop;                /**< next-hop-mac */
	bool link_up;
	uint32_t probe_interval_ms, probe_misses;
	uint64_t probe_interval_tsc;
};

extern struct ul_gw_ctl ul_gws[EVF_UL_MAX_GWS];
extern struct ul_uplink_ctl ul_uplinks[EVF_MAX_UPLINKS];
extern struct rte_mempool *ul_pool;

/** Recompute and publish the usable sets of both families (ul_hops_ctl.c). */
int ul_publish(void);
/** Send one probe to gateway g: unicast to its MAC when it has one and
 *  answers, else broadcast ARP / multicast NS. true when handed to a worker. */
bool ul_send_probe(uint16_t g);
unsigned int ul_poll(uint64_t now_tsc);

#endif /* EVF_UL_PRIVATE_H */
