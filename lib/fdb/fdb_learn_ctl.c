/* fdb_learn_ctl.c: applying learn events and aging local MACs (control thread). */
#include <string.h>

#include "evf_bd.h"
#include "evf_fdb_ctl.h"
#include "evf_learn.h"

struct evf_learn_counters evf_learn_counters;
static uint32_t age_cursor;

enum evf_learn_result
evf_fdb_learn(const struct evf_learn_ev *ev)
{
	struct evf_fdb_entry *e;
	int err = 0;

	evf_learn_counters.events++;
	if (ev->bd >= evf_nb_bds || ev->attach >= evf_nb_attachs ||
	    evf_attachs[ev->attach].bd != ev->bd || !evf_bds[ev->bd].learning ||
	    !rte_is_valid_assigned_ether_addr(&ev->mac)) {
		evf_learn_counters.ignored++;
		return EVF_LEARN_IGNORED;
	}
	e = evf_fdb_find(ev->bd, &ev->mac);
	if (e != NULL) {
		if (e->origin == EVF_FDB_STATIC || e->frozen) {
			evf_learn_counters.ignored++;
			return EVF_LEARN_IGNORED;
		}
		if (e->origin == EVF_FDB_LEARNED && evf_dest_kind(e->dest) == EVF_DEST_ATTACH &&
		    evf_dest_target(e->dest) == ev->attach) {
			e->last_seen = evf_clock_sec();
			evf_learn_counters.refreshed++;
			return EVF_LEARN_REFRESHED;
		}
		/* Moved from another attachment, or a remote MAC now seen locally:
		 * the local observation wins with a higher sequence (RFC 7432 15). */
		if (e->origin == EVF_FDB_EVPN)
			e->seq++;
		evf_fdb_redirect(e, EVF_DEST_ATTACH, ev->attach, EVF_FDB_LEARNED);
		e->last_seen = evf_clock_sec();
		evf_learn_counters.moved++;
		return EVF_LEARN_MOVED;
	}
	if (evf_bd_limit_reached(ev->bd)) {
		evf_learn_counters.limit++;
		return EVF_LEARN_LIMIT;
	}
	e = evf_fdb_set(ev->bd, &ev->mac, EVF_DEST_ATTACH, ev->attach, EVF_FDB_LEARNED, &err);
	if (e == NULL) {
		evf_learn_counters.full++;
		return EVF_LEARN_FULL;
	}
	evf_learn_counters.learned++;
	return EVF_LEARN_NEW;
}

uint32_t
evf_fdb_age(uint32_t now, uint32_t budget)
{
	uint32_t removed = 0;

	if (evf_fdb.capacity == 0)
		return 0;
	for (uint32_t n = 0; n < budget && n < evf_fdb.capacity; n++) {
		struct evf_fdb_entry *e;
		uint32_t aging;

		if (age_cursor >= evf_fdb.capacity)
			age_cursor = 0;
		e = evf_fdb_entry_at(age_cursor++);
		if (e == NULL || e->origin != EVF_FDB_LEARNED || e->frozen)
			continue;
		aging = evf_bds[e->key.bd].mac_aging;
		if (aging == 0)
			continue;
		if (now - evf_fdb_last_seen(e) >= aging) {
			evf_fdb_remove(e);
			evf_learn_counters.aged++;
			removed++;
		}
	}
	return removed;
}
