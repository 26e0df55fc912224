/* evf_fdb.h: the forwarding database of every MAC-VRF, one lock-free table.
 *
 * Key: (MAC, MAC-VRF id) as one 64-bit word. Value: a packed 64-bit
 * destination that workers decode without touching anything else: kind
 * (attachment, remote VTEP, remote ES), target id, flags and the entry index
 * of the control thread's metadata.
 *
 * Layout: buckets of one cache line, four keys then their four destinations,
 * so one line answers key -> destination. A key's home bucket is chosen by
 * multiply-shift hashing with a random odd multiplier (no crafted MAC set
 * can pile into one bucket without knowing it). The table has twice as many
 * home slots as entries; a full home bucket continues in an overflow bucket
 * (evf_fdb.next), from a pool of one bucket per four entries. An overflow
 * bucket leaves its chain as soon as it is empty, so every entry fits
 * unless keys crowd a few homes (partly used overflow buckets then strand
 * slots), which the random multiplier prevents.
 *
 * Concurrency: the control thread is the single writer; workers read with
 * no lock and no retry. A new key's destination is stored before its key; a
 * destination changes with one 64-bit store; a removed key becomes
 * EVF_FDB_KEY_DELETED, and its slot (and the entry index) is reused only
 * after an RCU grace period (evf_rcu.h), as are unlinked overflow buckets.
 * Workers never write the table: they record "seen" in their own
 * per-worker arrays (evf_fdb.seen[worker][index]) which the control thread
 * reads when aging, and they report new or moved MACs through their learn
 * ring (lib/dp). */
#ifndef EVF_FDB_H
#define EVF_FDB_H

#include <stdint.h>
#include <stdbool.h>

#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_prefetch.h>
#include <x86intrin.h>

#include "evf_clock.h"
#include "evf_common.h"
#include "evf_pkt.h"

struct evf_fdb_key {
	struct rte_ether_addr mac;
	uint16_t bd;
};

enum evf_dest_kind {
	EVF_DEST_NONE = 0,
	EVF_DEST_ATTACH,   /**< target = local attachment id */
	EVF_DEST_VTEP,     /**< target = remote VTEP id */
	EVF_DEST_ES,       /**< target = remote Ethernet Segment id (aliasing) */
};

#define EVF_DEST_F_PINNED 0x1 /**< static, sticky or frozen: workers report no moves */
#define EVF_DEST_F_BLOCK  0x2 /**< frozen duplicate (action blackhole): drop frames from it elsewhere */

#define EVF_FDB_MAX_ENTRIES (1u << 24) /**< the entry index has 24 bits */

/* bits 0..23 entry index | 24..31 aux | 32..47 target | 48..55 kind | 56..63 flags.
 * aux, for EVF_DEST_ES: the ES PE slots that advertised this MAC (RT2); they
 * are the fallback when the ES has no aliasing PE left, and the primary PE of
 * a single-active ES. */
static inline uint64_t
evf_dest_make_aux(enum evf_dest_kind kind, uint16_t target, uint32_t idx, uint8_t flags,
		  uint8_t aux)
{
	return (uint64_t)(idx & (EVF_FDB_MAX_ENTRIES - 1)) | ((uint64_t)aux << 24) |
		((uint64_t)target << 32) | ((uint64_t)kind << 48) | ((uint64_t)flags << 56);
}
static inline uint64_t
evf_dest_make(enum evf_dest_kind kind, uint16_t target, uint32_t idx, uint8_t flags)
{
	return evf_dest_make_aux(kind, target, idx, flags, 0);
}
static inline enum evf_dest_kind evf_dest_kind(uint64_t d) { return (enum evf_dest_kind)((d >> 48) & 0xff); }
static inline uint16_t evf_dest_target(uint64_t d) { return (uint16_t)(d >> 32); }
static inline uint32_t evf_dest_index(uint64_t d) { return (uint32_t)d & (EVF_FDB_MAX_ENTRIES - 1); }
static inline uint8_t evf_dest_aux(uint64_t d) { return (uint8_t)(d >> 24); }
static inline uint8_t evf_dest_flags(uint64_t d) { return (uint8_t)(d >> 56); }
/** d is local attachment aid (kind and target compared at once). */
static inline bool
evf_dest_is_attach(uint64_t d, uint16_t aid)
{
	return ((d >> 32) & 0xffffff) == (((uint64_t)EVF_DEST_ATTACH << 16) | aid);
}

#define EVF_FDB_SLOTS       4                /**< keys per bucket */
#define EVF_FDB_KEY_EMPTY   UINT64_MAX       /**< never a key: MAC-VRF id 0xffff does not exist */
#define EVF_FDB_KEY_DELETED (UINT64_MAX - 1) /**< removed, slot free after a grace period */
#define EVF_FDB_CHAIN_MAX   32               /**< overflow buckets behind one home bucket */

/** One cache line: four keys and their destinations. */
struct evf_fdb_bucket {
	uint64_t key[EVF_FDB_SLOTS];
	uint64_t dest[EVF_FDB_SLOTS];
} __rte_cache_aligned;

struct evf_fdb {
	struct evf_fdb_bucket *buckets;   /**< home buckets [0, nb_home), then overflow ones */
	uint32_t *next;                   /**< per bucket: its overflow bucket, 0 for none */
	uint64_t mul;                     /**< odd: home = (key * mul) >> shift */
	uint32_t shift;
	uint32_t nb_home;
	uint32_t nb_buckets;
	uint32_t capacity;
	uint32_t *seen[EVF_MAX_WORKERS];  /**< per worker: last second each entry was hit */
	unsigned int nb_workers;
};
extern struct evf_fdb evf_fdb;

/* ---- learning: worker -> control thread (the channels of evf_chan.h) ---- */
/** One event on a worker's learn ring: source MAC seen on an attachment
 *  where the FDB does not have it. 16 bytes. */
struct evf_learn_ev {
	struct rte_ether_addr mac;
	uint16_t bd;
	uint16_t attach;
	uint16_t worker;
	uint32_t reserved;
};

/** The key as one 64-bit word, byte-identical to struct evf_fdb_key (x86, little endian). */
static inline uint64_t
evf_fdb_key_u64(const struct rte_ether_addr *mac, uint16_t bd)
{
	return evf_mac48(mac->addr_bytes) | ((uint64_t)bd << 48);
}

/** The key's home bucket in a table of buckets with multiplier mul and shift. */
static inline const struct evf_fdb_bucket *
evf_fdb_home_in(const struct evf_fdb_bucket *buckets, uint64_t mul, uint32_t shift, uint64_t key)
{
	return &buckets[(key * mul) >> shift];
}

/** The key's home bucket. */
static inline const struct evf_fdb_bucket *
evf_fdb_home(uint64_t key)
{
	return evf_fdb_home_in(evf_fdb.buckets, evf_fdb.mul, evf_fdb.shift, key);
}

/** The destination of key, searching from its home bucket b. Two 16-byte
 *  compares find the slot without a branch per key; the overflow chain is
 *  read only when the home bucket has no match. */
static inline bool
evf_fdb_bucket_find(const struct evf_fdb_bucket *b, uint64_t key, uint64_t *dest)
{
	const __m128i k = _mm_set1_epi64x((long long)key);

	for (;;) {
		__m128i lo = _mm_cmpeq_epi64(_mm_load_si128((const __m128i *)&b->key[0]), k);
		__m128i hi = _mm_cmpeq_epi64(_mm_load_si128((const __m128i *)&b->key[2]), k);
		unsigned int hit = (unsigned int)_mm_movemask_pd(_mm_castsi128_pd(lo)) |
			((unsigned int)_mm_movemask_pd(_mm_castsi128_pd(hi)) << 2);
		uint32_t nx;

		if (likely(hit != 0)) {
			/* the key was read before its destination (stored after it) */
			rte_compiler_barrier();
			*dest = __atomic_load_n(&b->dest[__builtin_ctz(hit)], __ATOMIC_RELAXED);
			return true;
		}
		nx = __atomic_load_n(&evf_fdb.next[b - evf_fdb.buckets], __ATOMIC_ACQUIRE);
		if (nx == 0)
			return false;
		b = &evf_fdb.buckets[nx];
	}
}

/** Lookup of one key (tests, slow paths). */
static inline bool
evf_fdb_lookup(uint64_t key, uint64_t *dest)
{
	return evf_fdb_bucket_find(evf_fdb_home(key), key, dest);
}

/* ---- worker ---- */
#define EVF_FDB_BATCH_MAX 64  /* keys of one batch: two per frame of a 32-frame chunk */
#define EVF_FDB_NO_KEY    EVF_FDB_KEY_EMPTY

/** The FDB lookups of one chunk of packets: keys are queued (and their home
 *  buckets prefetched) in a first pass over the chunk and looked up, by
 *  slot, when a later pass needs them. A key equal to the previous one of
 *  the same run (same source, or same destination, as the frame before)
 *  gets the same slot: bursts usually carry runs of one flow or one gateway
 *  MAC. */
struct evf_fdb_batch {
	uint32_t n;
	uint32_t shift;                        /* the table's, read once per batch */
	uint64_t mul;
	const struct evf_fdb_bucket *buckets;
	const struct evf_fdb_bucket *home[EVF_FDB_BATCH_MAX];
	uint64_t keys[EVF_FDB_BATCH_MAX];
};

/** The last key queued in one run (e.g. destinations) and its slot. */
struct evf_fdb_run {
	uint64_t key;
	uint8_t slot;
};

static inline void
evf_fdb_batch_init(struct evf_fdb_batch *b)
{
	b->n = 0;
	b->buckets = evf_fdb.buckets;
	b->mul = evf_fdb.mul;
	b->shift = evf_fdb.shift;
}

static inline void
evf_fdb_run_init(struct evf_fdb_run *r)
{
	r->key = EVF_FDB_NO_KEY;
	r->slot = 0;
}

/** Queue key (unless it repeats the run's last key) and prefetch its home
 *  bucket, a stage ahead of the lookup; returns its result slot. */
static inline uint8_t
evf_fdb_batch_add(struct evf_fdb_batch *b, struct evf_fdb_run *r, uint64_t key)
{
	uint32_t i;

	if (key == r->key)
		return r->slot;
	i = b->n++;
	b->keys[i] = key;
	b->home[i] = evf_fdb_home_in(b->buckets, b->mul, b->shift, key);
	rte_prefetch0(b->home[i]);
	r->key = key;
	r->slot = (uint8_t)i;
	return (uint8_t)i;
}

/** Look up the key queued in slot: its destination in *dest, or false.
 *  The home bucket was prefetched when the key was queued, a pass ago. */
static inline bool
evf_fdb_batch_find(const struct evf_fdb_batch *b, uint8_t slot, uint64_t *dest)
{
	return evf_fdb_bucket_find(b->home[slot], b->keys[slot], dest);
}

/** Bulk lookup of n <= 64 keys (tests, slow paths). */
static inline void
evf_fdb_lookup_bulk(const struct evf_fdb_key **keys, uint32_t n, uint64_t *hits, uint64_t *dest)
{
	*hits = 0;
	for (uint32_t i = 0; i < n && i < EVF_FDB_BATCH_MAX; i++)
		*hits |= (uint64_t)evf_fdb_lookup(evf_fdb_key_u64(&keys[i]->mac, keys[i]->bd),
						  &dest[i]) << i;
}

/** Record that worker w saw the entry of dest now (one store per entry per second). */
static inline void
evf_fdb_touch(unsigned int w, uint64_t dest, uint32_t now)
{
	uint32_t *s = &evf_fdb.seen[w][evf_dest_index(dest)];

	if (*s != now)
		*s = now;
}

#endif /* EVF_FDB_H */
