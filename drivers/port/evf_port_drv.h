/* evf_port_drv.h: turning a configured port into a running ethdev.
 *
 * One code path for every backend (PCI NIC, net_af_xdp, net_af_packet,
 * net_pcap, net_tap, net_ring, net_null, net_memif, ...): probe the device
 * from its config string, then size queues, RSS, offloads and MTU from what
 * the device reports. Main thread, start-up only. */
#ifndef EVF_PORT_DRV_H
#define EVF_PORT_DRV_H

#include <stdint.h>
#include <stddef.h>

#include <rte_mempool.h>

#include "evf_cfg.h"

/** Probe (hot-plug) the device of cfg and return its ethdev port id in *port_id. */
int evf_port_probe(const struct evf_cfg_port *cfg, uint16_t *port_id, char *err, size_t errlen);
/** Configure queues (nb_workers TX queues, RX queues spread over workers), RSS,
 *  offloads and MTU; registers the port in evf_ports[]. */
int evf_port_setup(uint16_t port_id, const struct evf_cfg_port *cfg, unsigned int nb_workers,
	struct rte_mempool *pool, char *err, size_t errlen);
/** Descriptors this port will hold (for mempool sizing), before setup. */
unsigned int evf_port_mbuf_need(const struct evf_cfg_port *cfg, unsigned int nb_workers);
int evf_port_start_all(char *err, size_t errlen);
void evf_port_stop_all(void);
void evf_port_close_all(void);

#endif /* EVF_PORT_DRV_H */
