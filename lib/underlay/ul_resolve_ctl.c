/* ul_resolve_ctl.c: resolving and watching the gateways (control thread).
 *
 * Every probe-interval each gateway gets one probe: a broadcast ARP request
 * or a multicast NS (to its solicited-node group) while it has no MAC or has
 * failed, a unicast one to its MAC while it answers (the refresh: a gateway
 * is re-validated every interval, long before anything could expire). The
 * workers record each ARP/ND message a gateway sends on its port (its
 * replies, and its own requests) in their rows of evf_ul_seen; a changed
 * word is a sign of life, with the MAC it came from. A reachable gateway
 * whose last probe-misses probes all went unanswered and that was not heard
 * for probe-misses and a half intervals fails; so does every
 * gateway of a port whose link or admin state goes down (checked every
 * 5 ms). Any change republishes the usable sets at once. Probes go out
 * through worker 0's inject ring. */
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "evf_chan.h"
#include "evf_nd.h"
#include "evf_pkt.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_vxlan.h"
#include "ul_private.h"

#define LINK_PERIOD_MS 5

static uint64_t next_link_tsc;

bool
ul_send_probe(uint16_t g)
{
	static const struct rte_ether_addr bcast = { .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	const struct evf_ul_gw *gw = &evf_ul_gws[g];
	const struct ul_gw_ctl *gc = &ul_gws[g];
	const struct evf_port *p = &evf_ports[gw->port_id];
	bool unicast = gc->has_mac && gc->state == EVF_UL_GW_REACHABLE;
	struct rte_mbuf *m;
	uint8_t *f;

	if (ul_pool == NULL || evf_nb_chans == 0)
		return false;
	m = rte_pktmbuf_alloc(ul_pool);
	if (m == NULL)
		return false;
	f = (uint8_t *)rte_pktmbuf_append(m, 86);
	if (f == NULL) {
		rte_pktmbuf_free(m);
		return false;
	}
	if (gw->ip.family == AF_INET)
		m->data_len = (uint16_t)evf_nd_build_arp_probe(f, &evf_node.mac, &gw->src, &gw->ip,
			unicast ? &gc->mac : &bcast);
	else if (unicast)
		m->data_len = (uint16_t)evf_nd_build_ns(f, &evf_node.mac, &gw->src, &gw->ip,
			&gc->mac);
	else
		m->data_len = (uint16_t)evf_nd_build_ns_mcast(f, &evf_node.mac, &gw->src, &gw->ip);
	m->pkt_len = m->data_len;
	if (p->underlay_vlan && evf_vlan_push(m, p->underlay_vlan) < 0) {
		rte_pktmbuf_free(m);
		return false;
	}
	m->port = gw->port_id;
	if (evf_chan_inject(0, m) < 0) {
		rte_pktmbuf_free(m);
		return false;
	}
	return true;
}

/* New signs of life of gateway g from any worker; the newest MAC wins. */
static bool
fresh_sign(uint16_t g, struct rte_ether_addr *mac)
{
	struct ul_gw_ctl *gc = &ul_gws[g];
	bool seen = false;

	for (unsigned int w = 0; w < evf_nb_chans && w < EVF_MAX_WORKERS; w++) {
		uint64_t v = __atomic_load_n(&evf_ul_seen[w].v[g], __ATOMIC_ACQUIRE);

		if (v == gc->last_word[w])
			continue;
		gc->last_word[w] = v;
		memcpy(mac->addr_bytes, &v, 6);
		seen = true;
	}
	return seen;
}

static void
set_state(struct ul_gw_ctl *gc, uint8_t state, uint64_t now)
{
	gc->state = state;
	gc->state_tsc = now;
}

/* Link and admin state of every uplink; a port that goes down fails its
 * gateways at once. */
static bool
poll_links(uint64_t now)
{
	bool changed = false;

	for (uint16_t u = 0; u < evf_nb_uplinks; u++) {
		struct ul_uplink_ctl *uc = &ul_uplinks[u];
		uint16_t pid = evf_uplinks[u];
		bool up = evf_port_is_up(&evf_ports[pid]) && evf_port_link_up(pid);

		if (up == uc->link_up)
			continue;
		uc->link_up = up;
		changed = true;
		if (up) {
			evf_ul_ctl_counters.link_up++;
			continue;
		}
		evf_ul_ctl_counters.link_down++;
		for (uint16_t g = 0; g < evf_ul_nb_gws; g++) {
			struct ul_gw_ctl *gc = &ul_gws[g];

			if (evf_ul_gws[g].uplink != u)
				continue;
			if (gc->state == EVF_UL_GW_REACHABLE) {
				evf_ul_ctl_counters.failed++;
				gc->failures++;
				set_state(gc, EVF_UL_GW_FAILED, now);
			}
			gc->next_probe_tsc = now;   /* ask again as soon as it is back */
		}
	}
	return changed;
}

static bool
poll_gateway(uint16_t g, uint64_t now)
{
	const struct evf_ul_gw *gw = &evf_ul_gws[g];
	const struct ul_uplink_ctl *uc = &ul_uplinks[gw->uplink];
	struct ul_gw_ctl *gc = &ul_gws[g];
	struct rte_ether_addr mac;
	bool changed = false;

	if (fresh_sign(g, &mac)) {
		gc->answers++;
		gc->misses = 0;
		gc->seen_tsc = now;
		if (gc->has_mac && !rte_is_same_ether_addr(&mac, &gc->mac)) {
			evf_ul_ctl_counters.mac_changes++;
			changed = gc->state == EVF_UL_GW_REACHABLE;
		}
		gc->mac = mac;
		gc->has_mac = true;
		if (gc->state != EVF_UL_GW_REACHABLE && uc->link_up) {
			evf_ul_ctl_counters.resolved++;
			set_state(gc, EVF_UL_GW_REACHABLE, now);
			changed = true;
			/* next refresh one interval after this answer */
			gc->next_probe_tsc = now + uc->probe_interval_tsc;
		}
	}
	if (!uc->link_up)
		return changed;
	/* probe-misses probes unanswered: nothing heard for that many intervals
	 * and half one more (time, not probe counts: a late control loop or a
	 * late answer never fails a gateway that answers) */
	if (gc->state == EVF_UL_GW_REACHABLE && gc->misses >= uc->probe_misses &&
	    now - gc->seen_tsc > uc->probe_misses * uc->probe_interval_tsc +
	    uc->probe_interval_tsc / 2) {
		evf_ul_ctl_counters.failed++;
		gc->failures++;
		set_state(gc, EVF_UL_GW_FAILED, now);
		changed = true;
	}
	if (now < gc->next_probe_tsc)
		return changed;
	if (ul_send_probe(g)) {
		evf_ul_ctl_counters.probes++;
		gc->probes++;
	} else {
		evf_ul_ctl_counters.probe_fail++;
	}
	gc->misses++;
	gc->next_probe_tsc = now + uc->probe_interval_tsc;
	return changed;
}

unsigned int
ul_poll(uint64_t now_tsc)
{
	bool changed = false;

	if (now_tsc >= next_link_tsc) {
		next_link_tsc = now_tsc + rte_get_tsc_hz() / 1000 * LINK_PERIOD_MS;
		changed |= poll_links(now_tsc);
	}
	for (uint16_t g = 0; g < evf_ul_nb_gws; g++)
		changed |= poll_gateway(g, now_tsc);
	if (changed)
		ul_publish();
	return 0; /* timers never keep the loop awake */
}
