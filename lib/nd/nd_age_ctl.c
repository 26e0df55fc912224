/* nd_age_ctl.c: aging of snooped bindings (control thread). A local binding
 * not seen for the MAC-VRF's binding-aging seconds goes (its MAC+IP route is
 * withdrawn); in the last tenth of its life, up to three unicast probes ask
 * the host first (RFC 9161 section 3.1): an ARP request, or an NS from the
 * gateway's IPv6 address, sent to the binding's MAC out of its attachment
 * through worker 0. A host that answers is seen again. Frozen addresses
 * thaw after hold-down. The table is scanned a slice every 100 ms. */
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "evf_bd.h"
#include "evf_chan.h"
#include "evf_clock.h"
#include "evf_lag.h"
#include "evf_lag_dp.h"
#include "evf_pkt.h"
#include "evf_port.h"
#include "nd_private.h"

#define AGE_PERIOD_MS 100
#define AGE_SLICES    10     /* the whole table once a second */
#define MAX_PROBES    3

static uint64_t next_tsc;
static uint32_t cursor;

/* Our address of the binding's family in its MAC-VRF, for the probe's source. */
static const struct evf_ip *
probe_source(uint16_t bd, uint8_t family)
{
	const struct nd_bd_ctl *c = &nd_bd_ctls[bd];

	for (uint8_t i = 0; i < c->nb_gw; i++)
		if (c->gw[i].family == family)
			return &c->gw[i];
	return NULL;
}

static bool
send_probe(const struct nd_entry *e)
{
	const struct evf_nd_bd *nb = evf_nd_bds[e->key.bd];
	const struct evf_attach *a;
	const struct evf_ip *src;
	struct rte_mbuf *m;
	struct evf_ip ip;
	uint16_t port;
	uint8_t *f;

	if (nd_pool == NULL || e->attach >= evf_nb_attachs)
		return false;
	a = &evf_attachs[e->attach];
	nd_entry_ip(e, &ip);
	src = probe_source(e->key.bd, ip.family);
	if (ip.family == AF_INET6 && src == NULL)
		return false;          /* an NS needs an address of ours to come from */
	m = rte_pktmbuf_alloc(nd_pool);
	if (m == NULL)
		return false;
	f = (uint8_t *)rte_pktmbuf_append(m, 86);
	if (f == NULL) {
		rte_pktmbuf_free(m);
		return false;
	}
	if (ip.family == AF_INET)
		m->data_len = m->pkt_len = (uint16_t)evf_nd_build_arp_probe(f,
			nb->has_irb ? &nb->gw_mac : &nb->own_mac, src, &ip, &e->mac);
	else
		m->data_len = m->pkt_len = (uint16_t)evf_nd_build_ns(f,
			nb->has_irb ? &nb->gw_mac : &nb->own_mac, src, &ip, &e->mac);
	if (a->vlan != EVF_VLAN_UNTAGGED && evf_vlan_push(m, a->vlan) < 0) {
		rte_pktmbuf_free(m);
		return false;
	}
	port = a->port;
	if (port == EVF_INVALID_ID) {
		const struct evf_lag *lag = &evf_lags[evf_ifaces[a->iface].lag];

		port = evf_lag_hash_port(lag, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len);
	}
	if (port == EVF_INVALID_ID) {
		rte_pktmbuf_free(m);
		return false;
	}
	m->port = port;
	if (evf_chan_inject(0, m) < 0) {
		rte_pktmbuf_free(m);
		return false;
	}
	return true;
}

static void
age_entry(struct nd_entry *e, uint32_t now)
{
	const struct nd_bd_ctl *c = &nd_bd_ctls[e->key.bd];
	uint32_t age;

	if ((e->flags & EVF_ND_F_FROZEN) && c->dup_hold != 0 && now - e->frozen_at >= c->dup_hold) {
		e->flags &= (uint8_t)~EVF_ND_F_FROZEN;
		e->moves = 0;
		nd_publish(e);
		if (e->origin == EVF_ND_LOCAL)
			nd_emit(EVF_EV_MACIP_LEARNED, e);
	}
	if (e->origin != EVF_ND_LOCAL || c->aging == 0)
		return;
	age = now - e->last_seen;
	if (age >= c->aging) {
		if (!(e->flags & EVF_ND_F_FROZEN))
			nd_emit(EVF_EV_MACIP_AGED, e);
		nd_remove(e);
		evf_nd_ctl_counters.aged++;
		return;
	}
	/* the last tenth of its life: probe, once a second, up to three times */
	if (age >= c->aging - c->aging / 10 && e->probes < MAX_PROBES &&
	    now - e->last_probe >= 1 && !(e->flags & EVF_ND_F_FROZEN)) {
		if (send_probe(e)) {
			evf_nd_ctl_counters.probes++;
		} else {
			evf_nd_ctl_counters.probe_fail++;
		}
		e->probes++;
		e->last_probe = now;
	}
}

unsigned int
nd_age_poll(uint64_t now_tsc)
{
	uint32_t now = evf_clock_sec(), step;

	if (now_tsc < next_tsc || nd_nb_entries == 0)
		return 0;
	next_tsc = now_tsc + rte_get_tsc_hz() / 1000 * AGE_PERIOD_MS;
	step = nd_nb_entries / AGE_SLICES + 1;
	for (uint32_t i = 0; i < step; i++) {
		struct nd_entry *e = &nd_entries[cursor];

		cursor = cursor + 1 < nd_nb_entries ? cursor + 1 : 0;
		if (e->in_use == 1)
			age_entry(e, now);
	}
	return 0; /* timers never keep the loop awake */
}
