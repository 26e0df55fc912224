/* fdb_table_ctl.c: the writer of the FDB's lock-free table (control thread;
 * main thread before workers start). Layout and the reader contract are in
 * evf_fdb.h; entries' metadata and policy live in fdb_ctl.c.
 *
 * Writer rules, so a worker never sees a key with another key's destination:
 * - insert: destination first, then the key (release);
 * - update: one 64-bit store of the destination;
 * - remove: the key becomes EVF_FDB_KEY_DELETED; the slot becomes empty only
 *   after a grace period (evf_fdb_table_release from an RCU callback);
 * - an overflow bucket is linked (release) after its slots are empty, and is
 *   unlinked as soon as all its slots are empty again, wherever it is in its
 *   chain: its predecessor then links past it, while its own link still
 *   leads a reader inside it on to the rest of the chain; it returns to the
 *   pool (and its link is rewritten) only after a grace period. So no
 *   overflow bucket stays linked empty, and the pool always holds the room
 *   of every slot not in use. */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_random.h>

#include "evf_fdb_ctl.h"
#include "evf_rcu.h"

static uint32_t *prev_of;     /* per overflow bucket: the bucket linking to it */
static uint32_t *pool;        /* free overflow buckets (a stack) */
static uint32_t nb_pool;
static struct evf_fdb_table_stats tstats;
static uintptr_t table_gen;   /* a pool return queued before fini belongs to an old table */

static inline uint32_t
home_index(uint64_t key)
{
	return (uint32_t)(evf_fdb_home(key) - evf_fdb.buckets);
}

int
evf_fdb_table_init(uint32_t capacity)
{
	uint32_t home = RTE_MAX(rte_align32pow2(capacity) / 2, 16u), nb_over;
	size_t size;

	/* one overflow bucket per EVF_FDB_SLOTS entries (evf_fdb.h) */
	nb_over = capacity / EVF_FDB_SLOTS + 1;
	evf_fdb.nb_home = home;
	evf_fdb.nb_buckets = home + nb_over;
	evf_fdb.shift = 64 - rte_log2_u32(home);
	evf_fdb.mul = rte_rand() | 1;
	size = sizeof(struct evf_fdb_bucket) * evf_fdb.nb_buckets;
	evf_fdb.buckets = rte_malloc("evf_fdb_buckets", size, RTE_CACHE_LINE_SIZE);
	evf_fdb.next = rte_zmalloc("evf_fdb_next", sizeof(uint32_t) * evf_fdb.nb_buckets,
		RTE_CACHE_LINE_SIZE);
	prev_of = rte_zmalloc("evf_fdb_prev", sizeof(uint32_t) * evf_fdb.nb_buckets, 0);
	pool = rte_malloc("evf_fdb_pool", sizeof(uint32_t) * nb_over, 0);
	if (evf_fdb.buckets == NULL || evf_fdb.next == NULL || prev_of == NULL || pool == NULL) {
		evf_fdb_table_fini();
		return -ENOMEM;
	}
	/* every key EVF_FDB_KEY_EMPTY; touched now, so filling the table later
	 * takes no page faults */
	memset(evf_fdb.buckets, 0xff, size);
	nb_pool = 0;
	for (uint32_t b = evf_fdb.nb_buckets; b > home; b--)
		pool[nb_pool++] = b - 1;
	memset(&tstats, 0, sizeof(tstats));
	table_gen++;
	return 0;
}

void
evf_fdb_table_fini(void)
{
	rte_free(evf_fdb.buckets);
	rte_free(evf_fdb.next);
	rte_free(prev_of);
	rte_free(pool);
	evf_fdb.buckets = NULL;
	evf_fdb.next = NULL;
	prev_of = NULL;
	pool = NULL;
	nb_pool = 0;
}

void
evf_fdb_table_set_multiplier(uint64_t mul)
{
	evf_fdb.mul = mul | 1;
}

/* Slot of key in its chain (position bucket * SLOTS + slot), or -1. */
static int64_t
find_pos(uint64_t key)
{
	uint32_t b = home_index(key);

	for (;;) {
		for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++)
			if (evf_fdb.buckets[b].key[s] == key)
				return (int64_t)b * EVF_FDB_SLOTS + s;
		if (evf_fdb.next[b] == 0)
			return -1;
		b = evf_fdb.next[b];
	}
}

bool
evf_fdb_table_get(uint64_t key, uint64_t *dest)
{
	int64_t pos;

	if (key >= EVF_FDB_KEY_DELETED)
		return false;
	pos = find_pos(key);
	if (pos < 0)
		return false;
	*dest = evf_fdb.buckets[pos / EVF_FDB_SLOTS].dest[pos % EVF_FDB_SLOTS];
	return true;
}

int
evf_fdb_table_put(uint64_t key, uint64_t dest)
{
	uint32_t b, free_b = 0, chain = 0;
	int free_s = -1;

	if (key >= EVF_FDB_KEY_DELETED)
		return -EINVAL;
	/* one walk of the chain: the key itself, else its first empty slot
	 * (nearest to home); it ends on the chain's last bucket */
	b = home_index(key);
	for (;;) {
		for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++) {
			uint64_t k = evf_fdb.buckets[b].key[s];

			if (k == key) {
				__atomic_store_n(&evf_fdb.buckets[b].dest[s], dest, __ATOMIC_RELEASE);
				return 0;
			}
			if (k == EVF_FDB_KEY_EMPTY && free_s < 0) {
				free_b = b;
				free_s = (int)s;
			}
		}
		if (evf_fdb.next[b] == 0)
			break;
		b = evf_fdb.next[b];
		chain++;
	}
	if (free_s < 0) {
		if (chain >= EVF_FDB_CHAIN_MAX || nb_pool == 0) {
			tstats.refused++;
			return -ENOSPC;
		}
		free_b = pool[--nb_pool];
		free_s = 0;
		prev_of[free_b] = b;
		evf_fdb.next[free_b] = 0;
		/* its keys are all empty (init, or emptied before it was unlinked) */
		__atomic_store_n(&evf_fdb.next[b], free_b, __ATOMIC_RELEASE);
		tstats.overflow_buckets++;
		chain++;
	}
	if (chain > tstats.longest_chain)
		tstats.longest_chain = chain;
	__atomic_store_n(&evf_fdb.buckets[free_b].dest[free_s], dest, __ATOMIC_RELAXED);
	__atomic_store_n(&evf_fdb.buckets[free_b].key[free_s], key, __ATOMIC_RELEASE);
	tstats.keys++;
	if (free_b >= evf_fdb.nb_home)
		tstats.keys_overflow++;
	return 0;
}

int64_t
evf_fdb_table_del(uint64_t key)
{
	int64_t pos;

	if (key >= EVF_FDB_KEY_DELETED)
		return -ENOENT;
	pos = find_pos(key);
	if (pos < 0)
		return -ENOENT;
	__atomic_store_n(&evf_fdb.buckets[pos / EVF_FDB_SLOTS].key[pos % EVF_FDB_SLOTS],
		EVF_FDB_KEY_DELETED, __ATOMIC_RELEASE);
	tstats.keys--;
	if ((uint32_t)(pos / EVF_FDB_SLOTS) >= evf_fdb.nb_home)
		tstats.keys_overflow--;
	return pos;
}

static void
bucket_to_pool(void *gen, uint64_t b)
{
	if (pool != NULL && (uintptr_t)gen == table_gen)
		pool[nb_pool++] = (uint32_t)b;
}

static bool
bucket_empty(uint32_t b)
{
	for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++)
		if (evf_fdb.buckets[b].key[s] != EVF_FDB_KEY_EMPTY)
			return false;
	return true;
}

void
evf_fdb_table_release(uint64_t pos)
{
	uint32_t b = (uint32_t)(pos / EVF_FDB_SLOTS);

	if (evf_fdb.buckets == NULL || b >= evf_fdb.nb_buckets ||
	    evf_fdb.buckets[b].key[pos % EVF_FDB_SLOTS] != EVF_FDB_KEY_DELETED)
		return;
	__atomic_store_n(&evf_fdb.buckets[b].key[pos % EVF_FDB_SLOTS], EVF_FDB_KEY_EMPTY,
		__ATOMIC_RELEASE);
	/* An empty overflow bucket leaves its chain; readers may still be in
	 * it (its link still leads on), so it returns to the pool after a
	 * grace period. */
	if (b >= evf_fdb.nb_home && bucket_empty(b)) {
		uint32_t p = prev_of[b], n = evf_fdb.next[b];

		if (n != 0)
			prev_of[n] = p;
		__atomic_store_n(&evf_fdb.next[p], n, __ATOMIC_RELEASE);
		tstats.overflow_buckets--;
		evf_rcu_defer(bucket_to_pool, (void *)table_gen, b);
	}
}

void
evf_fdb_table_stats(struct evf_fdb_table_stats *out)
{
	*out = tstats;
	out->home_buckets = evf_fdb.nb_home;
	out->pool_free = nb_pool;
}
