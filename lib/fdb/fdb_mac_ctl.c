/* fdb_mac_ctl.c: where a MAC lives (control thread): local learning from
 * worker events, aging, EVPN RT2 routes, MAC mobility (RFC 7432 section 15)
 * and duplicate detection.
 *
 * An entry keeps every RT2 route for its MAC (up to EVF_RT2_SRC_MAX) even
 * while a local observation wins, so that the MAC falls back to the best
 * remote route when the local one ages out. The best remote route: a sticky
 * one first, then the highest sequence number, then the lowest VTEP address;
 * routes of the best sequence that carry the same ESI are aliases (their PE
 * slots form the entry's aux mask). A local observation beats remote routes
 * of a lower sequence; an equal sequence goes to the lower VTEP address. */
#include <string.h>

#include <rte_hash_crc.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_events.h"
#include "evf_fdb_ctl.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"

struct evf_learn_counters evf_learn_counters;
#define LEARN_DESC(f, n, h) EVF_COUNTER_DESC_OF(evf_learn_counters, f, n, h)
static const struct evf_counter_desc learn_desc[] = { EVF_LEARN_COUNTERS(LEARN_DESC) };
const struct evf_counter_set evf_learn_counter_set = {
	"Learning", "learning", learn_desc, RTE_DIM(learn_desc), &evf_learn_counters,
};
static uint32_t age_cursor;

static const struct evf_ip *
own_vtep(void)
{
	return evf_node_vtep(0);
}

/* ---- mobility ---- */

static void
emit(uint8_t type, const struct evf_fdb_entry *e, uint16_t attach)
{
	evf_fdb_event(type, e->key.bd, &e->key.mac, attach, e->es, e->seq);
}

static void
freeze(struct evf_fdb_entry *e)
{
	e->frozen = 1;
	e->frozen_at = evf_clock_sec();
	/* Same destination, now pinned: workers stop reporting moves. */
	evf_fdb_redirect_aux(e, evf_dest_kind(e->dest), evf_dest_target(e->dest),
			     (enum evf_fdb_origin)e->origin, evf_dest_aux(e->dest));
	evf_learn_counters.frozen++;
	emit(EVF_EV_MAC_FROZEN, e, evf_dest_kind(e->dest) == EVF_DEST_ATTACH ?
	     evf_dest_target(e->dest) : EVF_INVALID_ID);
}

/* A location change: count it in the detection window (RFC 7432 15.1). */
static void
count_move(struct evf_fdb_entry *e)
{
	const struct evf_bd *bd = &evf_bds[e->key.bd];
	uint32_t now = evf_clock_sec();

	evf_learn_counters.moved++;
	if (e->moves == 0 || now - e->move_window >= bd->dup_window) {
		e->move_window = now;
		e->moves = 0;
	}
	if (++e->moves >= bd->dup_moves && !e->frozen)
		freeze(e);
}

void
evf_fdb_unfreeze(struct evf_fdb_entry *e)
{
	if (!e->frozen)
		return;
	e->frozen = 0;
	e->moves = 0;
	evf_fdb_redirect_aux(e, evf_dest_kind(e->dest), evf_dest_target(e->dest),
			     (enum evf_fdb_origin)e->origin, evf_dest_aux(e->dest));
	emit(EVF_EV_MAC_UNFROZEN, e, EVF_INVALID_ID);
	evf_fdb_reselect(e);
}

/* ---- remote route selection ---- */

static bool
src_better(const struct evf_rt2_src *a, const struct evf_rt2_src *b)
{
	if (a->sticky != b->sticky)
		return a->sticky;
	if (a->seq != b->seq)
		return a->seq > b->seq;
	return evf_ip_cmp(&evf_vteps[a->vtep].ip, &evf_vteps[b->vtep].ip) < 0;
}

static int
best_src(const struct evf_fdb_entry *e)
{
	int best = -1;

	for (int i = 0; i < EVF_RT2_SRC_MAX; i++)
		if (e->src[i].used && (best < 0 || src_better(&e->src[i], &e->src[best])))
			best = i;
	return best;
}

/* Destination of the best remote route (ES aliasing group or one VTEP). */
static void
remote_dest(const struct evf_fdb_entry *e, int best, enum evf_dest_kind *kind,
	    uint16_t *target, uint8_t *aux)
{
	const struct evf_rt2_src *b = &e->src[best];

	*aux = 0;
	if (b->es != EVF_INVALID_ID) {
		/* the route layer made the binding when the route came in */
		int x = evf_esevi_find(b->es, e->key.bd);

		if (x >= 0) {
			for (int i = 0; i < EVF_RT2_SRC_MAX; i++) {
				const struct evf_rt2_src *s = &e->src[i];
				if (s->used && s->es == b->es && s->seq == b->seq &&
				    s->sticky == b->sticky)
					*aux |= (uint8_t)(1u << s->es_slot);
			}
			*kind = EVF_DEST_ES;
			*target = (uint16_t)x;
			return;
		}
	}
	*kind = EVF_DEST_VTEP;
	*target = b->vtep;
}

/* The remote route's segment is the local attachment's (both valid). */
static bool
same_segment(uint16_t route_es, uint16_t local_es)
{
	return route_es != EVF_INVALID_ID && route_es == local_es;
}

static uint32_t
max_src_seq(const struct evf_fdb_entry *e)
{
	uint32_t m = 0;

	for (int i = 0; i < EVF_RT2_SRC_MAX; i++)
		if (e->src[i].used && e->src[i].seq > m)
			m = e->src[i].seq;
	return m;
}

/* MAC sync (RFC 7432 section 14): an ES peer advertises the MAC with the ESI
 * of a segment we are up on in this MAC-VRF, so the host sits on our segment
 * too. The MAC becomes local on our attachment of that segment, with the
 * peer's sequence: it ages like a learned MAC and we advertise it as well, so
 * remote PEs keep it when the peer loses its link and withdraws (no flooding
 * of the host's traffic meanwhile). All-active segments only: on a
 * single-active one the host is reached through the DF alone. */
static bool
sync_to_local(struct evf_fdb_entry *e, int best)
{
	const struct evf_rt2_src *b = &e->src[best];
	uint16_t a;
	int x;

	if (b->es == EVF_INVALID_ID || b->sticky || !evf_ess[b->es].local ||
	    __atomic_load_n(&evf_ess[b->es].single_active, __ATOMIC_RELAXED) ||
	    !__atomic_load_n(&evf_ess[b->es].local_up, __ATOMIC_ACQUIRE))
		return false;
	x = evf_esevi_find(b->es, e->key.bd);
	if (x < 0 || (a = evf_esevis[x].local_attach) == EVF_INVALID_ID ||
	    evf_bd_limit_reached(e->key.bd))
		return false;
	e->seq = b->seq;
	e->sticky = 0;
	evf_fdb_redirect(e, EVF_DEST_ATTACH, a, EVF_FDB_LEARNED);
	e->es = b->es;
	e->last_seen = evf_clock_sec();
	evf_learn_counters.synced++;
	emit(EVF_EV_MAC_LEARNED, e, a);
	return true;
}

void
evf_fdb_reselect(struct evf_fdb_entry *e)
{
	enum evf_dest_kind kind;
	uint16_t target;
	uint8_t aux;
	bool restick;
	int best;

	if (e->origin == EVF_FDB_STATIC || e->in_use != 1)
		return;
	best = best_src(e);
	if (e->origin == EVF_FDB_LEARNED) {
		const struct evf_rt2_src *b;

		if (best < 0 || e->frozen)
			return;
		b = &e->src[best];
		if (same_segment(b->es, e->es)) {
			/* An ES peer advertises the MAC with our own segment's ESI:
			 * MAC sync (aliasing), not a move. It stays local; a higher
			 * sequence the peer saw is adopted for our advertisement. */
			if (b->seq > e->seq)
				e->seq = b->seq;
			return;
		}
		if (!b->sticky && (b->seq < e->seq || (b->seq == e->seq &&
		    evf_ip_cmp(own_vtep(), &evf_vteps[b->vtep].ip) <= 0)))
			return; /* our local observation stays the best route */
		/* Moved away: stop advertising ours (event), follow the remote. */
		remote_dest(e, best, &kind, &target, &aux);
		e->seq = b->seq;
		e->sticky = b->sticky;
		emit(EVF_EV_MAC_MOVED, e, EVF_INVALID_ID);
		evf_fdb_redirect_aux(e, kind, target, EVF_FDB_EVPN, aux);
		e->es = kind == EVF_DEST_ES ? evf_esevis[target].es : EVF_INVALID_ID;
		count_move(e);
		return;
	}
	/* EVPN-owned */
	if (best < 0) {
		evf_fdb_remove(e);
		return;
	}
	if (e->frozen || sync_to_local(e, best))
		return;
	remote_dest(e, best, &kind, &target, &aux);
	e->seq = e->src[best].seq;
	restick = e->sticky != e->src[best].sticky; /* the pinned flag follows it */
	e->sticky = e->src[best].sticky;
	if (kind != evf_dest_kind(e->dest) || target != evf_dest_target(e->dest)) {
		bool had_dest = evf_dest_kind(e->dest) != EVF_DEST_NONE;

		evf_fdb_redirect_aux(e, kind, target, EVF_FDB_EVPN, aux);
		e->es = kind == EVF_DEST_ES ? evf_esevis[target].es : EVF_INVALID_ID;
		if (had_dest)
			count_move(e);
	} else if (aux != evf_dest_aux(e->dest) || restick) {
		evf_fdb_redirect_aux(e, kind, target, EVF_FDB_EVPN, aux);
	}
}

/* ---- RT2 routes ---- */

static void
src_release(struct evf_rt2_src *s)
{
	if (s->es != EVF_INVALID_ID)
		evf_es_rt2_ref(s->es, s->es_slot, false);
	evf_vtep_put(s->vtep);
	memset(s, 0, sizeof(*s));
}

void
evf_fdb_release_sources(struct evf_fdb_entry *e)
{
	for (int i = 0; i < EVF_RT2_SRC_MAX; i++)
		if (e->src[i].used)
			src_release(&e->src[i]);
	e->nb_src = 0;
}

bool
evf_fdb_rt2_room(uint16_t bd, const struct rte_ether_addr *mac, const struct evf_ip *vtep_ip,
		 uint32_t ip_hash)
{
	const struct evf_fdb_entry *e = evf_fdb_find(bd, mac);
	int vtep = evf_vtep_find(vtep_ip);

	if (e == NULL || e->nb_src < EVF_RT2_SRC_MAX)
		return true;
	for (int i = 0; i < EVF_RT2_SRC_MAX; i++)
		if (e->src[i].used && e->src[i].vtep == vtep && e->src[i].ip_hash == ip_hash)
			return true;
	return false;
}

int
evf_fdb_rt2(uint16_t bd, const struct rte_ether_addr *mac, const struct evf_ip *vtep_ip,
	    uint32_t ip_hash, uint16_t es, uint8_t slot, uint32_t seq, bool sticky, bool add,
	    uint8_t gen)
{
	struct evf_fdb_entry *e = evf_fdb_find(bd, mac);
	struct evf_rt2_src *s = NULL;
	int vtep = evf_vtep_find(vtep_ip);
	uint16_t old_es = EVF_INVALID_ID;
	uint8_t old_slot = 0;

	if (e != NULL && vtep >= 0)
		for (int i = 0; i < EVF_RT2_SRC_MAX; i++)
			if (e->src[i].used && e->src[i].vtep == vtep && e->src[i].ip_hash == ip_hash)
				s = &e->src[i];
	if (!add) {
		if (s == NULL)
			return -ENOENT;
		src_release(s);
		e->nb_src--;
		evf_fdb_reselect(e);
		return 0;
	}
	if (e == NULL) {
		int rc = evf_fdb_set(bd, mac, EVF_DEST_NONE, 0, EVF_FDB_EVPN, &e);

		if (rc < 0)
			return rc;
	}
	if (s == NULL) {
		for (int i = 0; i < EVF_RT2_SRC_MAX && s == NULL; i++)
			if (!e->src[i].used)
				s = &e->src[i];
		if (s == NULL) {
			if (evf_dest_kind(e->dest) == EVF_DEST_NONE)
				evf_fdb_remove(e);
			return -E2BIG;
		}
		vtep = evf_vtep_get(vtep_ip);
		if (vtep < 0) {
			if (evf_dest_kind(e->dest) == EVF_DEST_NONE)
				evf_fdb_remove(e);
			return vtep;
		}
		/* the last step that can fail: the entry will point at the
		 * segment's binding in this MAC-VRF (made here, found later) */
		if (es != EVF_INVALID_ID && evf_esevi_get(es, bd) < 0) {
			evf_vtep_put((uint16_t)vtep);
			if (evf_dest_kind(e->dest) == EVF_DEST_NONE)
				evf_fdb_remove(e);
			return -ENOSPC;
		}
		s->used = 1;
		s->vtep = (uint16_t)vtep;
		s->ip_hash = ip_hash;
		s->es = EVF_INVALID_ID;
		e->nb_src++;
	} else {
		if (es != EVF_INVALID_ID && evf_esevi_get(es, bd) < 0)
			return -ENOSPC;   /* nothing changed yet */
		if (s->es != EVF_INVALID_ID) {
			/* released after the new reference is taken: the same slot
			 * must not drop to zero references (and be freed) in between */
			old_es = s->es;
			old_slot = s->es_slot;
		}
	}
	s->seq = seq;
	s->sticky = sticky;
	s->gen = gen;
	s->es = es;
	if (es != EVF_INVALID_ID) {
		s->es_slot = slot;
		evf_es_rt2_ref(es, (uint8_t)slot, true);
	}
	if (old_es != EVF_INVALID_ID)
		evf_es_rt2_ref(old_es, old_slot, false);
	evf_fdb_reselect(e);
	return 0;
}

/* ---- local learning ---- */

/* The best remote route of e carries the segment of this attachment. */
static bool
synced_here(const struct evf_fdb_entry *e, uint16_t attach)
{
	int best = best_src(e);

	return best >= 0 && same_segment(e->src[best].es, evf_attachs[attach].es);
}

enum evf_learn_result
evf_fdb_learn(const struct evf_learn_ev *ev)
{
	struct evf_fdb_entry *e;
	bool synced;

	evf_learn_counters.events++;
	if (ev->bd >= evf_nb_bds || ev->attach >= evf_nb_attachs ||
	    evf_attachs[ev->attach].bd != ev->bd || !evf_bds[ev->bd].learning ||
	    !rte_is_valid_assigned_ether_addr(&ev->mac)) {
		evf_learn_counters.ignored++;
		return EVF_LEARN_IGNORED;
	}
	e = evf_fdb_find(ev->bd, &ev->mac);
	if (e != NULL) {
		/* Static and sticky MACs do not move (RFC 7432 15.2); frozen ones are held. */
		if (e->origin == EVF_FDB_STATIC || e->frozen ||
		    (e->origin == EVF_FDB_EVPN && e->sticky)) {
			evf_learn_counters.ignored++;
			return EVF_LEARN_IGNORED;
		}
		if (e->origin == EVF_FDB_LEARNED && evf_dest_is_attach(e->dest, ev->attach)) {
			e->last_seen = evf_clock_sec();
			evf_learn_counters.refreshed++;
			return EVF_LEARN_REFRESHED;
		}
		/* The MAC an ES peer advertised with this attachment's ESI is the
		 * same host seen through the other link of its LAG (RFC 7432 14,
		 * aliasing): local now with the peer's sequence, advertised by us
		 * too, not a move. Otherwise it moved from another attachment, or a
		 * remote MAC is now seen here: the local observation wins with a
		 * higher sequence (RFC 7432 15). */
		synced = e->origin == EVF_FDB_EVPN && synced_here(e, ev->attach);
		if (synced)
			e->seq = max_src_seq(e);
		else if (e->origin != EVF_FDB_LEARNED)
			e->seq = max_src_seq(e) + 1;
		e->sticky = 0;
		evf_fdb_redirect(e, EVF_DEST_ATTACH, ev->attach, EVF_FDB_LEARNED);
		e->es = evf_attachs[ev->attach].es;
		e->last_seen = evf_clock_sec();
		if (synced) {
			evf_learn_counters.learned++;
			emit(EVF_EV_MAC_LEARNED, e, ev->attach);
			return EVF_LEARN_NEW;
		}
		emit(EVF_EV_MAC_MOVED, e, ev->attach);
		count_move(e);
		return EVF_LEARN_MOVED;
	}
	if (evf_bd_limit_reached(ev->bd)) {
		evf_learn_counters.limit++;
		return EVF_LEARN_LIMIT;
	}
	if (evf_fdb_set(ev->bd, &ev->mac, EVF_DEST_ATTACH, ev->attach, EVF_FDB_LEARNED, &e) < 0) {
		evf_learn_counters.full++;
		return EVF_LEARN_FULL;
	}
	e->es = evf_attachs[ev->attach].es;
	evf_learn_counters.learned++;
	emit(EVF_EV_MAC_LEARNED, e, ev->attach);
	return EVF_LEARN_NEW;
}

/* A local MAC is gone (aged, or its attachment went down): fall back to the
 * remote routes if there are any, else remove it. */
void
evf_fdb_local_gone(struct evf_fdb_entry *e)
{
	emit(EVF_EV_MAC_AGED, e, evf_dest_target(e->dest));
	if (e->nb_src == 0) {
		evf_fdb_remove(e);
		return;
	}
	evf_fdb_redirect(e, EVF_DEST_NONE, 0, EVF_FDB_EVPN);
	e->frozen = 0;
	evf_fdb_reselect(e);
}

uint32_t
evf_fdb_age(uint32_t now, uint32_t budget)
{
	uint32_t removed = 0;

	if (evf_fdb.capacity == 0)
		return 0;
	for (uint32_t n = 0; n < budget && n < evf_fdb.capacity; n++) {
		struct evf_fdb_entry *e;
		const struct evf_bd *bd;

		if (age_cursor >= evf_fdb.capacity)
			age_cursor = 0;
		e = evf_fdb_entry_at(age_cursor++);
		if (e == NULL)
			continue;
		bd = &evf_bds[e->key.bd];
		if (e->frozen) {
			if (bd->dup_hold && now - e->frozen_at >= bd->dup_hold)
				evf_fdb_unfreeze(e);
			continue;
		}
		if (e->origin != EVF_FDB_LEARNED || bd->mac_aging == 0)
			continue;
		if (now - evf_fdb_last_seen(e) >= bd->mac_aging) {
			int best = best_src(e);

			if (best >= 0 && same_segment(e->src[best].es, e->es)) {
				/* an ES peer still advertises it on our segment: the
				 * host is there, through the peer's link of its LAG */
				e->last_seen = now;
				continue;
			}
			evf_fdb_local_gone(e);
			evf_learn_counters.aged++;
			removed++;
		}
	}
	return removed;
}

uint32_t
evf_fdb_sync_segment(uint16_t es)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		struct evf_fdb_entry *e = evf_fdb_entry_at(i);

		if (e != NULL && e->origin == EVF_FDB_EVPN && evf_dest_kind(e->dest) == EVF_DEST_ES &&
		    evf_esevis[evf_dest_target(e->dest)].es == es) {
			evf_fdb_reselect(e);
			n += e->origin == EVF_FDB_LEARNED;
		}
	}
	return n;
}

uint32_t
evf_fdb_flush_attach(uint16_t attach)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		struct evf_fdb_entry *e = evf_fdb_entry_at(i);

		if (e != NULL && e->origin == EVF_FDB_LEARNED && evf_dest_is_attach(e->dest, attach)) {
			evf_fdb_local_gone(e);
			n++;
		}
	}
	return n;
}

void
evf_fdb_regen_routes(uint8_t to)
{
	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		struct evf_fdb_entry *e = evf_fdb_entry_at(i);

		if (e == NULL || e->nb_src == 0)
			continue;
		for (int k = 0; k < EVF_RT2_SRC_MAX; k++)
			if (e->src[k].used && e->src[k].gen != 0)
				e->src[k].gen = to;
	}
}

uint32_t
evf_fdb_sweep_routes(uint8_t gen)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		struct evf_fdb_entry *e = evf_fdb_entry_at(i);
		bool changed = false;

		if (e == NULL || e->nb_src == 0)
			continue;
		for (int k = 0; k < EVF_RT2_SRC_MAX; k++) {
			struct evf_rt2_src *s = &e->src[k];

			if (s->used && s->gen != 0 && s->gen != gen) {
				src_release(s);
				e->nb_src--;
				changed = true;
				n++;
			}
		}
		if (changed)
			evf_fdb_reselect(e);
	}
	return n;
}

uint32_t
evf_ip_hash(const struct evf_ip *ip)
{
	if (ip->family == AF_INET)
		return rte_hash_crc_4byte(ip->v4, 0x4) | 1;
	if (ip->family == AF_INET6)
		return rte_hash_crc(ip->v6, 16, 0x6) | 1;
	return 0;
}
