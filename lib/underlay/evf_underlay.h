/* evf_underlay.h: the underlay next hops of network ports (doc/config.md
 * "Underlay resolution"): each network port's own addresses (answered by
 * ARP/NS, like our VTEP addresses), its gateways (resolved by ARP and ND
 * and probed by the control thread) and the signs of life workers see from
 * them. Filled at start-up on the main thread; afterwards workers read the
 * tables and write only their own row of evf_ul_seen and their own budget
 * slots; the control thread reads the rows. */
#ifndef EVF_UNDERLAY_H
#define EVF_UNDERLAY_H

#include <stdint.h>

#include <rte_common.h>

#include "evf_addr.h"
#include "evf_cfg.h"
#include "evf_common.h"
#include "evf_nd_dp.h"

#define EVF_UL_MAX_GWS   (EVF_MAX_UPLINKS * EVF_CFG_PORT_MAX_GWS)
#define EVF_UL_MAX_ADDRS (EVF_CFG_PORT_MAX_ADDRS + 2)   /* the port's, our two VTEPs */

/** A gateway (start-up, read-only). */
struct evf_ul_gw {
	struct evf_ip ip;
	struct evf_ip src;          /**< our address on its link: the probes' source */
	uint16_t port_id;
	uint16_t uplink;            /**< index in evf_uplinks[] */
};

/** ARP/ND on one network port (start-up, read-only but the budgets). */
struct evf_ul_port {
	uint8_t nb_addrs;
	uint8_t nb_gws;
	uint8_t gw[EVF_CFG_PORT_MAX_GWS];           /**< slots in evf_ul_gws */
	struct evf_ip addrs[EVF_UL_MAX_ADDRS];      /**< ours here: answered, never claimed by others */
	struct rte_ether_addr mac;                  /**< what we answer with (node.mac) */
	uint32_t rate;                              /**< ARP/ND per second and worker, 0: no limit */
	struct evf_nd_budget budget[EVF_MAX_WORKERS];
};

/** Per ethdev port id: NULL where ARP/ND is not handled (access ports,
 *  network ports without addresses or gateways). */
extern struct evf_ul_port *evf_ul_ports[EVF_MAX_PORTS];
extern struct evf_ul_gw evf_ul_gws[EVF_UL_MAX_GWS];
extern uint16_t evf_ul_nb_gws;

/** Signs of life: worker w last saw gateway g at MAC m, as
 *  m (48 bits) | sequence << 48, one atomic store by worker w; the control
 *  thread notices a changed word. */
struct evf_ul_seen_row {
	uint64_t v[EVF_UL_MAX_GWS];
} __rte_cache_aligned;
extern struct evf_ul_seen_row evf_ul_seen[EVF_MAX_WORKERS];

#endif /* EVF_UNDERLAY_H */
