/* evf_fdb.h: the forwarding database of every MAC-VRF, one lock-free hash.
 *
 * Key: (MAC, MAC-VRF id), 8 bytes. Value: a packed 64-bit destination that
 * workers obtain from one bulk lookup and decode without touching anything
 * else: kind (attachment, remote VTEP, remote ES), target id, flags and the
 * entry index of the control thread's metadata.
 *
 * Concurrency: the hash is created with RW_CONCURRENCY_LF; the control thread
 * is the single writer (add, update-in-place, delete); workers read. A deleted
 * key's hash slot and entry index are reused only after an RCU grace period
 * (evf_rcu.h). Workers never write the table: they record "seen" in their own
 * per-worker arrays (evf_fdb.seen[worker][index]) which the control thread
 * reads when aging, and they report new or moved MACs through their learn
 * ring (lib/dp). */
#ifndef EVF_FDB_H
#define EVF_FDB_H

#include <stdint.h>
#include <stdbool.h>

#include <string.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <x86intrin.h>

#include "evf_clock.h"
#include "evf_common.h"

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

struct evf_fdb {
	struct rte_hash *h;
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
	uint64_t v = 0;

	memcpy(&v, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return v | ((uint64_t)bd << 48);
}

/** Signature the hash uses for a key (the table's hash function; see fdb_ctl.c). */
static inline uint32_t
evf_fdb_key_sig(uint64_t key)
{
	return (uint32_t)_mm_crc32_u64(0, key); /* CRC32-C, as rte_hash_crc_8byte(key, 0) */
}

/* ---- worker ---- */
#define EVF_FDB_BATCH_MAX 64  /* RTE_HASH_LOOKUP_BULK_MAX */
#define EVF_FDB_NO_KEY    UINT64_MAX /* never a key: MAC-VRF id 0xffff does not exist */

/** The FDB lookups of one chunk of packets. A key equal to the previous one of
 *  the same run (same source, or same destination, as the frame before) is
 *  looked up once: bursts usually carry runs of one flow or one gateway MAC. */
struct evf_fdb_batch {
	uint32_t n;
	uint64_t hits;
	hash_sig_t sig[EVF_FDB_BATCH_MAX];
	const void *kp[EVF_FDB_BATCH_MAX];
	uint64_t keys[EVF_FDB_BATCH_MAX];
	uint64_t dest[EVF_FDB_BATCH_MAX];
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
	b->hits = 0;
}

static inline void
evf_fdb_run_init(struct evf_fdb_run *r)
{
	r->key = EVF_FDB_NO_KEY;
	r->slot = 0;
}

/** Queue key (unless it repeats the run's last key); returns its result slot. */
static inline uint8_t
evf_fdb_batch_add(struct evf_fdb_batch *b, struct evf_fdb_run *r, uint64_t key)
{
	uint32_t i;

	if (key == r->key)
		return r->slot;
	i = b->n++;
	b->keys[i] = key;
	b->kp[i] = &b->keys[i];
	b->sig[i] = evf_fdb_key_sig(key);
	r->key = key;
	r->slot = (uint8_t)i;
	return (uint8_t)i;
}

/** One bulk lookup of every queued key. */
static inline void
evf_fdb_batch_lookup(struct evf_fdb_batch *b)
{
	if (b->n)
		rte_hash_lookup_with_hash_bulk_data(evf_fdb.h, b->kp, b->sig, b->n, &b->hits,
			(void **)b->dest);
}

static inline bool
evf_fdb_batch_hit(const struct evf_fdb_batch *b, uint8_t slot)
{
	return (b->hits >> slot) & 1;
}

/** Bulk lookup of n <= 64 keys (tests, slow paths). */
static inline void
evf_fdb_lookup_bulk(const struct evf_fdb_key **keys, uint32_t n, uint64_t *hits, uint64_t *dest)
{
	rte_hash_lookup_bulk_data(evf_fdb.h, (const void **)keys, n, hits, (void **)dest);
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
