/* fdb_events_ctl.c: the FDB's events (control thread): MAC events as they
 * happen, and local MACs in a state dump: one MAC_LEARNED event per MAC on a
 * local attachment, learned or static (static ones marked sticky), with its
 * sequence number and segment, so a control plane that starts late
 * advertises every one of them. */
#include <string.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_events.h"
#include "evf_fdb_ctl.h"

void
evf_fdb_event_fill(struct evf_event *ev, uint8_t type, uint16_t bd,
		   const struct rte_ether_addr *mac, uint16_t attach, uint16_t es, uint32_t mob_seq)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->vni = bd < evf_nb_bds ? evf_bds[bd].vni : 0;
	ev->mac = *mac;
	ev->attach = attach;
	ev->mob_seq = mob_seq;
	if (es != EVF_INVALID_ID)
		ev->esi = evf_ess[es].esi;
}

void
evf_fdb_event(uint8_t type, uint16_t bd, const struct rte_ether_addr *mac, uint16_t attach,
	      uint16_t es, uint32_t mob_seq)
{
	struct evf_event ev;

	evf_fdb_event_fill(&ev, type, bd, mac, attach, es, mob_seq);
	evf_event_emit(&ev);
}

#define SCAN_MAX 65536 /* entries looked at per step, whatever was found */

static bool
fdb_dump(uint64_t *cursor, unsigned int budget)
{
	uint64_t end = *cursor + SCAN_MAX;

	if (end > evf_fdb.capacity)
		end = evf_fdb.capacity;
	for (; *cursor < end && budget > 0; (*cursor)++) {
		const struct evf_fdb_entry *e = evf_fdb_entry_at((uint32_t)*cursor);
		struct evf_event ev;
		uint16_t a, es;

		if (e == NULL || e->in_use != 1 || evf_dest_kind(e->dest) != EVF_DEST_ATTACH ||
		    (e->origin != EVF_FDB_LEARNED && e->origin != EVF_FDB_STATIC))
			continue;
		/* A static MAC's entry is made before the segments exist and has no
		 * segment of its own: the segment is its attachment's. */
		a = evf_dest_target(e->dest);
		es = e->origin == EVF_FDB_STATIC && a < evf_nb_attachs ? evf_attachs[a].es : e->es;
		evf_fdb_event_fill(&ev, EVF_EV_MAC_LEARNED, e->key.bd, &e->key.mac, a, es, e->seq);
		ev.sticky = e->origin == EVF_FDB_STATIC;
		evf_event_dump_put(&ev);
		budget--;
	}
	return *cursor >= evf_fdb.capacity;
}

void
evf_fdb_register_dump(void)
{
	evf_event_register_dump(EVF_DUMP_MACS, fdb_dump);
}
