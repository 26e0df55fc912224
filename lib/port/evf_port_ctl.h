/* evf_port_ctl.h: the port table's start-up and control-thread API: registering ports and
 * interfaces, link and admin state. */
#ifndef EVF_PORT_CTL_H
#define EVF_PORT_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_port.h"

/** Forget every port and interface (tear-down). */
void evf_port_table_reset(void);
/** Register a configured ethdev as an evfwd port (main thread, start-up). */
int evf_port_register(uint16_t port_id, const struct evf_cfg_port *cfg);
/** Record the device MAC (and its 48-bit form for fast compares). */
void evf_port_set_hw_mac(struct evf_port *p, const struct rte_ether_addr *mac);
/** Port by name, or NULL. */
struct evf_port *evf_port_by_name(const char *name);
/** Interface by name (port or LAG), or NULL. */
struct evf_iface *evf_iface_by_name(const char *name);
/** Create an interface for an access port or a LAG (start-up). Returns id or -errno. */
int evf_iface_create(const char *name, enum evf_iface_kind kind, uint16_t port_or_lag);

/** Link of a port as the control thread sees it: the ethdev link, and for
 *  kernel-backed PMDs that report a fixed "up" (net_af_packet, net_af_xdp)
 *  the kernel interface's IFF_UP and IFF_RUNNING (control thread). */
bool evf_port_link_up(uint16_t port_id);
/** "port start|stop": set a port's admin state (control thread). The port's
 *  owner, if any, goes first (a LAG member leaves the distribution, and every
 *  worker has moved on, before it stops; it joins again at once when it
 *  starts): see evf_port_set_admin_hook. */
void evf_port_admin(uint16_t port_id, bool up);
/** The owner's part of evf_port_admin: returns true when it set the state
 *  itself (the LAGs register one). */
typedef bool (*evf_port_admin_hook)(uint16_t port_id, bool up);
void evf_port_set_admin_hook(evf_port_admin_hook hook);

#endif /* EVF_PORT_CTL_H */
