/* nd_events_ctl.c: the bindings' events (control thread): MACIP_LEARNED and
 * MACIP_AGED for local bindings as they change, and in a state dump every
 * local binding and this PE's own IRB addresses (the control plane
 * advertises both as RT2 MAC+IP routes; the anycast gateway addresses are
 * answered by every PE and not advertised). */
#include <string.h>

#include "evf_bd.h"
#include "evf_es.h"
#include "evf_events.h"
#include "nd_private.h"

#define SCAN_MAX 65536

static void
fill(struct evf_event *ev, uint8_t type, const struct nd_entry *e)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->vni = e->key.bd < evf_nb_bds ? evf_bds[e->key.bd].vni : 0;
	ev->mac = e->mac;
	ev->attach = e->attach;
	nd_entry_ip(e, &ev->ip);
	RTE_BUILD_BUG_ON(EVF_ND_F_ROUTER != EVF_EV_ND_ROUTER);
	/* R is an IPv6 ND flag (RFC 9047 3.1); ARP has no router bit */
	ev->nd_flags = ev->ip.family == AF_INET6 ? e->flags & EVF_ND_F_ROUTER : 0;
	ev->sticky = e->origin == EVF_ND_OWN;
	if (e->attach < evf_nb_attachs && evf_attachs[e->attach].es != EVF_INVALID_ID)
		ev->esi = evf_ess[evf_attachs[e->attach].es].esi;
}

void
nd_emit(uint8_t type, const struct nd_entry *e)
{
	struct evf_event ev;

	if (e->origin != EVF_ND_LOCAL && e->origin != EVF_ND_OWN)
		return;
	fill(&ev, type, e);
	evf_event_emit(&ev);
}

static bool
nd_dump(uint64_t *cursor, unsigned int budget)
{
	uint64_t end = *cursor + SCAN_MAX;

	if (end > nd_nb_entries)
		end = nd_nb_entries;
	for (; *cursor < end && budget > 0; (*cursor)++) {
		const struct nd_entry *e = &nd_entries[*cursor];
		struct evf_event ev;

		if (e->in_use != 1 || (e->flags & EVF_ND_F_FROZEN) ||
		    (e->origin != EVF_ND_LOCAL && e->origin != EVF_ND_OWN))
			continue;
		fill(&ev, EVF_EV_MACIP_LEARNED, e);
		evf_event_dump_put(&ev);
		budget--;
	}
	return *cursor >= nd_nb_entries;
}

void
evf_nd_register_dump(void)
{
	evf_event_register_dump(EVF_DUMP_BINDINGS, nd_dump);
}
