/* fdb_ctl.c: the FDB writer (control thread; main thread before workers
 * start). See evf_fdb.h for the reader/writer contract. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_fdb_ctl.h"
#include "evf_pkt.h"
#include "evf_rcu.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"

struct evf_fdb evf_fdb;

static struct evf_fdb_entry *entries;
static uint32_t *free_idx;
static uint32_t nb_free;
static uint32_t nb_entries; /* in the table now (removed ones excluded at once) */

static inline uint64_t
entry_key(const struct evf_fdb_key *k)
{
	return evf_fdb_key_u64(&k->mac, k->bd);
}

int
evf_fdb_init(uint32_t capacity, unsigned int nb_workers)
{
	RTE_BUILD_BUG_ON(sizeof(struct evf_fdb_key) != 8);
	if (capacity < 64 || capacity > EVF_FDB_MAX_ENTRIES || nb_workers > EVF_MAX_WORKERS)
		return -EINVAL;
	memset(&evf_fdb, 0, sizeof(evf_fdb));
	if (evf_fdb_table_init(capacity) < 0)
		return -ENOMEM;
	evf_es_set_hooks(&(struct evf_es_hooks){ .attach_lost = evf_fdb_flush_attach,
						 .segment_up = evf_fdb_sync_segment });
	evf_fdb.capacity = capacity;
	evf_fdb.nb_workers = nb_workers;
	for (unsigned int w = 0; w < nb_workers; w++) {
		evf_fdb.seen[w] = rte_zmalloc("evf_fdb_seen", sizeof(uint32_t) * capacity,
			RTE_CACHE_LINE_SIZE);
		if (evf_fdb.seen[w] == NULL)
			return -ENOMEM;
	}
	/* DPDK memory, zeroed (so touched) now: filling the table later must not
	 * take page faults, whose TLB shootdowns would interrupt the workers. */
	entries = rte_zmalloc("evf_fdb_entries", sizeof(*entries) * capacity, RTE_CACHE_LINE_SIZE);
	free_idx = rte_malloc("evf_fdb_free", sizeof(uint32_t) * capacity, RTE_CACHE_LINE_SIZE);
	if (entries == NULL || free_idx == NULL)
		return -ENOMEM;
	nb_free = 0;
	nb_entries = 0;
	for (uint32_t i = capacity; i > 0; i--)
		free_idx[nb_free++] = i - 1;
	return 0;
}

void
evf_fdb_fini(void)
{
	evf_rcu_drain();
	for (unsigned int w = 0; w < evf_fdb.nb_workers; w++)
		rte_free(evf_fdb.seen[w]);
	evf_fdb_table_fini();
	rte_free(entries);
	rte_free(free_idx);
	entries = NULL;
	free_idx = NULL;
	memset(&evf_fdb, 0, sizeof(evf_fdb));
}

static inline void
make_key(struct evf_fdb_key *k, uint16_t bd, const struct rte_ether_addr *mac)
{
	k->mac = *mac;
	k->bd = bd;
}

struct evf_fdb_entry *
evf_fdb_find(uint16_t bd, const struct rte_ether_addr *mac)
{
	uint64_t d;

	if (!evf_fdb_table_get(evf_fdb_key_u64(mac, bd), &d))
		return NULL;
	return &entries[evf_dest_index(d)];
}

struct evf_fdb_entry *
evf_fdb_entry_at(uint32_t idx)
{
	if (idx >= evf_fdb.capacity || entries[idx].in_use != 1)
		return NULL;
	return &entries[idx];
}

/* Static and sticky MACs never move, frozen ones are held where they are:
 * workers report no moves for them. Other EVPN MACs are reported when seen
 * on a local attachment (mobility, RFC 7432 section 15). A frozen MAC of a
 * MAC-VRF with action blackhole also has its frames from elsewhere dropped. */
static uint8_t
flags_for(enum evf_fdb_origin origin, const struct evf_fdb_entry *e)
{
	uint8_t f = 0;

	if (origin == EVF_FDB_STATIC || e->frozen || (origin == EVF_FDB_EVPN && e->sticky))
		f |= EVF_DEST_F_PINNED;
	if (e->frozen && evf_bds[e->key.bd].dup_blackhole)
		f |= EVF_DEST_F_BLOCK;
	return f;
}

/* VTEP references follow the destination so a VTEP outlives every entry using it. */
static void
dest_ref(uint64_t d)
{
	if (evf_dest_kind(d) == EVF_DEST_VTEP)
		evf_vtep_ref(evf_dest_target(d));
}

static void
dest_unref(uint64_t d)
{
	if (evf_dest_kind(d) == EVF_DEST_VTEP)
		evf_vtep_put(evf_dest_target(d));
}

/* Local MACs count against their MAC-VRF's limit while they are "learned". */
static void
origin_change(uint16_t bd, uint8_t from, uint8_t to)
{
	if (from == to)
		return;
	if (to == EVF_FDB_LEARNED)
		evf_bd_local_mac_added(bd);
	else if (from == EVF_FDB_LEARNED)
		evf_bd_local_mac_removed(bd);
}

static int
publish(struct evf_fdb_entry *e)
{
	return evf_fdb_table_put(entry_key(&e->key), e->dest);
}

int
evf_fdb_set(uint16_t bd, const struct rte_ether_addr *mac, enum evf_dest_kind kind,
	    uint16_t target, enum evf_fdb_origin origin, struct evf_fdb_entry **out)
{
	struct evf_fdb_entry *e = evf_fdb_find(bd, mac);
	uint32_t idx;

	if (out != NULL)
		*out = NULL;
	if (e != NULL) {
		evf_fdb_redirect(e, kind, target, origin);
		if (out != NULL)
			*out = e;
		return 0;
	}
	if (nb_free == 0)
		return -ENOSPC;
	idx = free_idx[--nb_free];
	e = &entries[idx];
	memset(e, 0, sizeof(*e));
	make_key(&e->key, bd, mac);
	e->origin = (uint8_t)origin;
	e->created = e->last_seen = evf_clock_sec();
	e->es = EVF_INVALID_ID;
	e->dest = evf_dest_make(kind, target, idx, flags_for(origin, e));
	if (publish(e) < 0) {
		free_idx[nb_free++] = idx;
		return -ENOSPC;
	}
	e->in_use = 1;
	nb_entries++;
	dest_ref(e->dest);
	if (origin == EVF_FDB_LEARNED)
		evf_bd_local_mac_added(bd);
	if (out != NULL)
		*out = e;
	return 0;
}

void
evf_fdb_redirect(struct evf_fdb_entry *e, enum evf_dest_kind kind, uint16_t target,
		 enum evf_fdb_origin origin)
{
	evf_fdb_redirect_aux(e, kind, target, origin, 0);
}

void
evf_fdb_redirect_aux(struct evf_fdb_entry *e, enum evf_dest_kind kind, uint16_t target,
		     enum evf_fdb_origin origin, uint8_t aux)
{
	uint64_t old = e->dest;

	origin_change(e->key.bd, e->origin, (uint8_t)origin);
	e->origin = (uint8_t)origin;
	e->dest = evf_dest_make_aux(kind, target, evf_dest_index(old), flags_for(origin, e), aux);
	if (e->dest == old)
		return;
	dest_ref(e->dest);
	/* Updating the data of an existing key is a single atomic store for readers. */
	publish(e);
	dest_unref(old);
}

static void
slot_free(void *unused, uint64_t arg)
{
	uint32_t idx = (uint32_t)arg;
	uint32_t pos = (uint32_t)(arg >> 32);

	(void)unused;
	evf_fdb_table_release(pos);
	entries[idx].in_use = 0;
	free_idx[nb_free++] = idx;
}

void
evf_fdb_remove(struct evf_fdb_entry *e)
{
	int64_t pos;
	uint32_t idx = evf_dest_index(e->dest);

	if (!e->in_use)
		return;
	pos = evf_fdb_table_del(entry_key(&e->key));
	if (pos < 0)
		return;
	if (e->origin == EVF_FDB_LEARNED)
		evf_bd_local_mac_removed(e->key.bd);
	evf_fdb_release_sources(e);
	dest_unref(e->dest);
	e->in_use = 2; /* removed, waiting for the grace period */
	nb_entries--;
	evf_rcu_defer(slot_free, NULL, ((uint64_t)(uint32_t)pos << 32) | idx);
}

uint32_t
evf_fdb_last_seen(const struct evf_fdb_entry *e)
{
	uint32_t idx = evf_dest_index(e->dest);
	uint32_t last = e->last_seen;

	for (unsigned int w = 0; w < evf_fdb.nb_workers; w++) {
		uint32_t s = __atomic_load_n(&evf_fdb.seen[w][idx], __ATOMIC_RELAXED);
		if (s > last)
			last = s;
	}
	return last;
}

void
evf_fdb_foreach(uint16_t bd, evf_fdb_visit_fn fn, void *arg)
{
	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		struct evf_fdb_entry *e = &entries[i];

		if (e->in_use != 1)
			continue;
		if (bd != EVF_INVALID_ID && e->key.bd != bd)
			continue;
		fn(e, arg);
	}
}

uint32_t
evf_fdb_count(void)
{
	return nb_entries;
}

uint32_t
evf_fdb_flush_dest(enum evf_dest_kind kind, uint16_t target)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < evf_fdb.capacity; i++) {
		struct evf_fdb_entry *e = &entries[i];

		if (e->in_use == 1 && evf_dest_kind(e->dest) == kind &&
		    evf_dest_target(e->dest) == target) {
			evf_fdb_remove(e);
			n++;
		}
	}
	return n;
}
