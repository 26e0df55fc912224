/* fdb_dump_ctl.c: local MACs in a state dump (control thread): one
 * MAC_LEARNED event per MAC on a local attachment, learned or static (static
 * ones marked sticky), with its sequence number and segment, so a control
 * plane that starts late advertises every one of them. */
#include "evf_bd.h"
#include "evf_events.h"
#include "evf_fdb_ctl.h"

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
		evf_event_mac_fill(&ev, EVF_EV_MAC_LEARNED, e->key.bd, &e->key.mac, a, es, e->seq);
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
