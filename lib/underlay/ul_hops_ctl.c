/* ul_hops_ctl.c: which uplinks encapsulated traffic may use (control
 * thread; main thread at start-up). Per outer family, the hops are: each
 * reachable gateway of that family on a network port whose link and admin
 * state are up, and each up port with a static next-hop-mac (both
 * families). When no such hop exists but static ones do, every static hop
 * is kept (traffic then meets the port's own state, as before resolution
 * existed). The set goes to the workers through evf_uplinks_publish (RCU). */
#include <string.h>

#include "evf_port.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "ul_private.h"

struct evf_ul_ctl_counters evf_ul_ctl_counters;

static void
hop_of(struct evf_uplink_hop *h, uint16_t uplink, const struct rte_ether_addr *dst)
{
	memset(h, 0, sizeof(*h));
	h->uplink = uplink;
	h->port_id = evf_uplinks[uplink];
	memcpy(h->macs, dst->addr_bytes, 6);
	memcpy(h->macs + 6, evf_node.mac.addr_bytes, 6);
	/* the encap templates carry the port's next-hop-mac and our MAC */
	h->tmpl_macs = rte_is_same_ether_addr(dst, &evf_ports[h->port_id].next_hop);
}

static int
publish_family(int family)
{
	struct evf_uplink_hop hops[EVF_MAX_HOPS], fallback[EVF_MAX_HOPS];
	uint16_t n = 0, nf = 0;

	for (uint16_t u = 0; u < evf_nb_uplinks; u++) {
		const struct ul_uplink_ctl *uc = &ul_uplinks[u];

		if (!uc->static_hop)
			continue;
		hop_of(&fallback[nf++], u, &evf_ports[evf_uplinks[u]].next_hop);
		if (uc->link_up)
			hops[n++] = fallback[nf - 1];
	}
	for (uint16_t g = 0; g < evf_ul_nb_gws; g++) {
		const struct evf_ul_gw *gw = &evf_ul_gws[g];
		struct ul_gw_ctl *gc = &ul_gws[g];

		if (gw->ip.family != family)
			continue;
		gc->usable = false;
		if (gc->state != EVF_UL_GW_REACHABLE || !ul_uplinks[gw->uplink].link_up ||
		    n >= EVF_MAX_HOPS)
			continue;
		hop_of(&hops[n++], gw->uplink, &gc->mac);
		gc->usable = true;
	}
	if (n == 0 && nf > 0)
		return evf_uplinks_publish(family, fallback, nf);
	return evf_uplinks_publish(family, hops, n);
}

int
ul_publish(void)
{
	int rc = publish_family(AF_INET);

	if (rc == 0)
		rc = publish_family(AF_INET6);
	evf_ul_ctl_counters.publishes++;
	return rc;
}

int
evf_ul_set_size(int family)
{
	const struct evf_uplink_set *s = evf_uplink_set_of((uint8_t)family);

	return s == NULL ? -1 : s->n;
}
