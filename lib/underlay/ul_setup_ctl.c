/* ul_setup_ctl.c: the underlay from the config (main thread, start-up and
 * tear-down): each network port's addresses (with our VTEP addresses: what
 * it answers ARP/NS for), its gateways and probe settings, and the first
 * usable sets. A port with next-hop-mac keeps that static next hop and
 * resolves nothing. */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "evf_cfg.h"
#include "evf_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "ul_private.h"

struct ul_gw_ctl ul_gws[EVF_UL_MAX_GWS];
struct ul_uplink_ctl ul_uplinks[EVF_MAX_UPLINKS];
struct rte_mempool *ul_pool;

static void
add_addr(struct evf_ul_port *up, const struct evf_ip *ip)
{
	if (ip->family == 0 || up->nb_addrs >= EVF_UL_MAX_ADDRS)
		return;
	for (uint8_t i = 0; i < up->nb_addrs; i++)
		if (evf_ip_equal(&up->addrs[i], ip))
			return;
	up->addrs[up->nb_addrs++] = *ip;
}

/* Our address on the gateway's link (the config checked there is one in a
 * prefix that holds it; the first of its family otherwise). */
static struct evf_ip
probe_source(const struct evf_cfg_underlay *ul, const struct evf_ip *gw)
{
	struct evf_ip none = { 0 };

	for (uint8_t a = 0; a < ul->nb_addrs; a++)
		if (ul->addrs[a].ip.family == gw->family)
			return ul->addrs[a].ip;
	return none;
}

static int
setup_port(const struct evf_cfg_port *cp, const struct evf_port *p)
{
	const struct evf_cfg_underlay *ul = &cp->ul;
	struct ul_uplink_ctl *u = &ul_uplinks[p->uplink];
	struct evf_ul_port *up;

	u->static_hop = cp->has_next_hop;
	u->probe_interval_ms = ul->probe_interval_ms ? ul->probe_interval_ms : 1000;
	u->probe_misses = ul->probe_misses ? ul->probe_misses : 3;
	u->probe_interval_tsc = rte_get_tsc_hz() / 1000 * u->probe_interval_ms;
	u->link_up = evf_port_is_up(p) && evf_port_link_up(p->port_id);
	if (ul->nb_addrs == 0 && ul->nb_gws == 0)
		return 0;
	up = rte_zmalloc("evf_ul_port", sizeof(*up), RTE_CACHE_LINE_SIZE);
	if (up == NULL)
		return -ENOMEM;
	for (uint8_t a = 0; a < ul->nb_addrs; a++)
		add_addr(up, &ul->addrs[a].ip);
	add_addr(up, &evf_node.ipv4);
	add_addr(up, &evf_node.ipv6);
	up->mac = evf_node.mac;
	up->rate = ul->nd_rate;
	for (uint8_t g = 0; g < ul->nb_gws && !cp->has_next_hop; g++) {
		struct evf_ul_gw *gw;

		if (evf_ul_nb_gws >= EVF_UL_MAX_GWS) {
			rte_free(up);
			return -E2BIG;
		}
		gw = &evf_ul_gws[evf_ul_nb_gws];
		gw->ip = ul->gws[g];
		gw->src = probe_source(ul, &ul->gws[g]);
		gw->port_id = p->port_id;
		gw->uplink = p->uplink;
		up->gw[up->nb_gws++] = (uint8_t)evf_ul_nb_gws;
		ul_gws[evf_ul_nb_gws].state_tsc = rte_rdtsc();
		evf_ul_nb_gws++;
	}
	u->handled = true;
	evf_ul_ports[p->port_id] = up;
	return 0;
}

int
evf_ul_setup(const struct evf_cfg *cfg, struct rte_mempool *pool)
{
	int rc;

	evf_ul_fini();
	ul_pool = pool;
	for (uint16_t i = 0; i < cfg->nb_ports; i++) {
		const struct evf_cfg_port *cp = &cfg->ports[i];
		const struct evf_port *p;

		if (cp->role != EVF_ROLE_NETWORK)
			continue;
		p = evf_port_by_name(cp->name);
		if (p == NULL || p->uplink >= EVF_MAX_UPLINKS)
			return -ENOENT;
		rc = setup_port(cp, p);
		if (rc < 0)
			return rc;
	}
	return ul_publish();
}

int
evf_ul_register_pollers(void)
{
	return evf_ctl_register_poller("underlay", ul_poll);
}

void
evf_ul_fini(void)
{
	for (unsigned int i = 0; i < EVF_MAX_PORTS; i++) {
		rte_free(evf_ul_ports[i]);
		evf_ul_ports[i] = NULL;
	}
	memset(evf_ul_gws, 0, sizeof(evf_ul_gws));
	evf_ul_nb_gws = 0;
	memset(ul_gws, 0, sizeof(ul_gws));
	memset(ul_uplinks, 0, sizeof(ul_uplinks));
	memset(evf_ul_seen, 0, sizeof(evf_ul_seen));
	memset(&evf_ul_ctl_counters, 0, sizeof(evf_ul_ctl_counters));
	ul_pool = NULL;
	evf_uplinks_reset();
}
