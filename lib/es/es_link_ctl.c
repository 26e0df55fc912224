/* es_link_ctl.c: local Ethernet Segment state from its interface (control
 * thread poller): a segment is up while its port is started, forwarding and
 * has link, or while its LAG is up (at least min-links members distributing). Going down flushes the local MACs learned on it; their remote
 * routes, if any, take over (a peer PE on the same segment). */
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_lag.h"
#include "evf_lag_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"

#define LINK_POLL_MS 20

static bool
iface_up(const struct evf_iface *ifc)
{
	if (ifc->kind == EVF_IFACE_LAG)
		return evf_lag_is_up(ifc->lag); /* min-links members distributing */
	return evf_port_is_up(&evf_ports[ifc->port_id]) && evf_port_link_up(ifc->port_id);
}

static void
flush_iface(const struct evf_iface *ifc)
{
	for (int v = 0; v < 4096; v++)
		if (ifc->vlan_to_attach[v] != EVF_INVALID_ID)
			evf_es_tell_attach_lost(ifc->vlan_to_attach[v]);
}

unsigned int
evf_es_link_poll(uint64_t now)
{
	static uint64_t next;
	unsigned int changes = 0;

	if (now < next)
		return 0;
	next = now + rte_get_tsc_hz() / 1000 * LINK_POLL_MS;
	for (uint16_t es = 0; es < evf_es_count(); es++) {
		const struct evf_es_local_cfg *cfg = evf_es_local_cfg(es);
		const struct evf_iface *ifc;
		bool up, was;

		if (cfg == NULL)
			continue;
		ifc = &evf_ifaces[cfg->iface];
		up = iface_up(ifc);
		was = __atomic_load_n(&evf_ess[es].local_up, __ATOMIC_RELAXED);
		if (up == was)
			continue;
		evf_es_set_local_oper(es, up);
		if (!up)
			flush_iface(ifc);
		changes++;
	}
	return changes;
}
