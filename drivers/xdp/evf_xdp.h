/* evf_xdp.h: XDP steering for network ports on net_af_xdp ("xdp-steering:
 * vxlan"): only VXLAN for our VTEP goes to the AF_XDP socket, the kernel
 * keeps the rest (BGP, ARP/ND, SSH, ...). The program is evfwd_xdp.bpf.c,
 * built into EVF_XDP_OBJECT; DPDK's net_af_xdp PMD loads and attaches it
 * (devargs xdp_prog=), and evfwd then fills its config map.
 *
 * Main thread: evf_xdp_devargs() before probing, evf_xdp_steer_start_all()
 * after the ports started, evf_xdp_steer_close() before closing a port.
 * evf_xdp_stats_read() may be called from any non-worker thread meanwhile. */
#ifndef EVF_XDP_H
#define EVF_XDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evf_cfg.h"
#include "evf_xdp_abi.h"
#include "evf_xdp_object.h"   /* EVF_XDP_OBJECT: the object in the build tree */

/** Devargs to probe a port with: cfg->device plus ",xdp_prog=OBJECT" when
 *  xdp-steering is vxlan (else cfg->device unchanged). Fails, with a message
 *  naming the port and interface, when the device already has xdp_prog, the
 *  object cannot be read, or the interface is missing or already runs an
 *  XDP program. */
int evf_xdp_devargs(const struct evf_cfg_port *cfg, char *out, size_t outlen,
	char *err, size_t errlen);

/** After evf_port_start_all(): for every port with xdp-steering vxlan, find
 *  evfwd's program on the interface and write our VTEP addresses, UDP port
 *  and underlay VLAN (from evf_node and the port) into its config map. */
int evf_xdp_steer_start_all(const struct evf_cfg *cfg, char *err, size_t errlen);

/** True when port_id runs evfwd's XDP program (after a successful start). */
bool evf_xdp_steering(uint16_t port_id);

/** True when any port runs evfwd's XDP program. */
bool evf_xdp_any_steering(void);

/** Sum of every CPU's counters of port_id into cnt[EVF_XDP_NB_COUNTERS]
 *  (packets). Returns 0, -ENODEV without XDP steering, or -errno. */
int evf_xdp_stats_read(uint16_t port_id, uint64_t cnt[EVF_XDP_NB_COUNTERS]);

/** Short name of a counter ("redirected", "pass-not-udp", ...). */
const char *evf_xdp_counter_name(unsigned int counter);

/** Interface and program of port_id, for display. Returns -ENODEV without
 *  XDP steering. */
int evf_xdp_info(uint16_t port_id, const char **ifname, uint32_t *prog_id);

/** Log the counters once and release the port's map handle (before the
 *  ethdev is closed; the PMD then detaches the program). */
void evf_xdp_steer_close(uint16_t port_id);

#endif /* EVF_XDP_H */
