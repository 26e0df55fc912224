/* nd_learn_ctl.c: bindings snooped on attachments (control thread): the
 * workers' reports taken from their nd rings, new bindings within the
 * MAC-VRF's limit, refreshes, moves, and duplicate IP detection (an address
 * that changes MAC num-moves times within the monitoring window is frozen:
 * no longer answered for, advertised or changed, until hold-down passes or
 * an operator clears it). */
#include <string.h>

#include "evf_bd.h"
#include "evf_chan.h"
#include "evf_clock.h"
#include "evf_ctl.h"
#include "nd_private.h"

#define DRAIN_BATCH 256

struct evf_nd_ctl_counters evf_nd_ctl_counters;

/* Count a move; true when it freezes the address. */
static bool
count_move(struct nd_entry *e, const struct nd_bd_ctl *c, uint32_t now)
{
	if (now - e->move_window > c->dup_window) {
		e->move_window = now;
		e->moves = 0;
	}
	e->moves++;
	evf_nd_ctl_counters.moved++;
	if (e->moves < c->dup_moves)
		return false;
	e->flags |= EVF_ND_F_FROZEN;
	e->frozen_at = now;
	evf_nd_ctl_counters.frozen++;
	return true;
}

void
evf_nd_snooped(const struct evf_nd_event *ev)
{
	const struct nd_bd_ctl *c;
	struct rte_ether_addr mac;
	struct nd_entry *e;
	struct evf_ip ip;
	uint32_t now = evf_clock_sec();

	if (ev->bd >= EVF_MAX_BDS || evf_nd_bds[ev->bd] == NULL || ev->attach >= evf_nb_attachs ||
	    (ev->family != AF_INET && ev->family != AF_INET6)) {
		evf_nd_ctl_counters.ignored++;
		return;
	}
	c = &nd_bd_ctls[ev->bd];
	memset(&ip, 0, sizeof(ip));
	ip.family = ev->family;
	if (ip.family == AF_INET)
		memcpy(&ip.v4, ev->ip, 4);
	else
		memcpy(ip.v6, ev->ip, 16);
	memcpy(mac.addr_bytes, ev->mac, 6);
	e = nd_find(ev->bd, &ip);
	if (e == NULL) {
		if (c->count >= c->limit) {
			evf_nd_ctl_counters.limit++;
			return;
		}
		e = nd_set(ev->bd, &ip, &mac, ev->flags, EVF_ND_LOCAL);
		if (e == NULL) {
			evf_nd_ctl_counters.full++;
			return;
		}
		e->attach = ev->attach;
		evf_nd_ctl_counters.learned++;
		nd_emit(EVF_EV_MACIP_LEARNED, e);
		return;
	}
	if (e->origin == EVF_ND_GATEWAY || e->origin == EVF_ND_OWN || (e->flags & EVF_ND_F_FROZEN)) {
		evf_nd_ctl_counters.ignored++;
		return;
	}
	if (e->origin == EVF_ND_LOCAL && rte_is_same_ether_addr(&e->mac, &mac)) {
		e->last_seen = now;
		e->probes = 0;
		if (e->attach != ev->attach || e->flags != ev->flags) {
			e->attach = ev->attach;   /* the host moved between our links */
			e->flags = ev->flags;
			nd_publish(e);
			nd_emit(EVF_EV_MACIP_LEARNED, e);
		}
		evf_nd_ctl_counters.refreshed++;
		return;
	}
	/* Another MAC, or a remote binding now seen here: a move. */
	if (e->origin == EVF_ND_LOCAL)
		nd_emit(EVF_EV_MACIP_AGED, e);
	if (!rte_is_same_ether_addr(&e->mac, &mac) && count_move(e, c, now)) {
		nd_publish(e);    /* frozen: workers stop answering for it */
		return;
	}
	e->mac = mac;
	e->flags = ev->flags | (e->flags & EVF_ND_F_FROZEN);
	e->origin = EVF_ND_LOCAL;
	e->attach = ev->attach;
	e->gen = 0;
	e->last_seen = now;
	e->probes = 0;
	nd_publish(e);
	nd_emit(EVF_EV_MACIP_LEARNED, e);
}

unsigned int
evf_nd_unfreeze_all(void)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < nd_nb_entries; i++) {
		struct nd_entry *e = &nd_entries[i];

		if (e->in_use == 1 && (e->flags & EVF_ND_F_FROZEN)) {
			e->flags &= (uint8_t)~EVF_ND_F_FROZEN;
			e->moves = 0;
			nd_publish(e);
			if (e->origin == EVF_ND_LOCAL)
				nd_emit(EVF_EV_MACIP_LEARNED, e);
			n++;
		}
	}
	return n;
}

/* Poller: the workers' reports. */
static unsigned int
learn_poll(uint64_t now_tsc)
{
	struct evf_nd_event ev[DRAIN_BATCH];
	unsigned int total = 0;

	(void)now_tsc;
	for (unsigned int w = 0; w < evf_nb_chans; w++) {
		unsigned int n = rte_ring_sc_dequeue_burst_elem(evf_chans[w].nd, ev, sizeof(ev[0]),
			DRAIN_BATCH, NULL);

		for (unsigned int i = 0; i < n; i++)
			evf_nd_snooped(&ev[i]);
		total += n;
	}
	return total;
}

/* nd_age_ctl.c */
unsigned int nd_age_poll(uint64_t now_tsc);

int
evf_nd_register_pollers(void)
{
	int rc = evf_ctl_register_poller("nd-learn", learn_poll);

	return rc < 0 ? rc : evf_ctl_register_poller("nd-age", nd_age_poll);
}
