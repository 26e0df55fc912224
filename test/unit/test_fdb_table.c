/* test_fdb_table.c: CUnit tests of the FDB's lock-free table on its own
 * (lib/fdb/fdb_table_ctl.c, the writer; lib/fdb/evf_fdb.h, the readers):
 * - a model check: 200,000 random puts, updates, deletes, releases (direct,
 *   or deferred through evf_rcu and drained) and gets against a plain array,
 *   with full checks every 4,000 operations (writer get, worker lookup, the
 *   batch API with runs, absent keys, the bucket/chain structure, stats);
 *   once with a random multiplier, once with multiplier 1 (128 homes, long
 *   chains, where an insert may be refused only when the pool is dry);
 * - forced collisions (multiplier 1): exactly EVF_FDB_SLOTS * (1 +
 *   EVF_FDB_CHAIN_MAX) keys fit behind one home, every overflow bucket
 *   leaves the chain once its slots are all released (wherever it is), and
 *   returns to the pool only after a grace period;
 * - a deleted slot is not reused before its release;
 * - the sentinel keys are refused, and key 0 misses on an empty table;
 * - a concurrent reader thread (RCU reader 0) checks that every hit returns
 *   a destination of that key, never an older one, and that keys never
 *   removed never miss, while the main thread churns the table: 100,000
 *   writes over 31 homes and a 100-key chain, then 500,000 on one hot home.
 * Each test works on a fresh table it creates (evf_fdb_table_fini + init)
 * inside a brought-up runtime; the suite leaves an empty table of the
 * runtime's capacity behind so evft_down tears down as usual.
 * The random seed is printed; EVFT_SEED=<n> replays one. EVFT_CYCLES=<n>
 * runs the concurrent test longer (n writes, then 3n on the hot home).
 * Last, an RCU callback that retires more objects (an overflow bucket
 * unlinked when a slot is released) gives them their own grace period. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_random.h>
#include <rte_rcu_qsbr.h>

#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_rcu.h"
#include "evf_test_env.h"

static const char cfg[] =
	"node:\n"
	"  vtep-ipv4: 198.18.0.1\n"
	"  mac: 02:00:00:00:00:01\n"
	"  fdb-capacity: 1024\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_f0, role: network, next-hop-mac: 02:00:00:00:00:fe,\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_f1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: red\n"
	"    vni: 100\n"
	"    attachments: [{port: acc0, vlan: untagged}]\n";

#define CAP       4096u
#define MAC_MASK  0xffffffffffffull
#define SLOTS_MAX (EVF_FDB_SLOTS * (1 + EVF_FDB_CHAIN_MAX)) /* behind one home */

static uint32_t runtime_cap;
static cpu_set_t allowed_cpus;
static uint64_t seed;

/* ---- helpers ---- */

/* splitmix64: a reproducible generator of our own */
static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static uint64_t
mk_key(uint64_t mac, uint16_t bd)
{
	return (mac & MAC_MASK) | ((uint64_t)bd << 48);
}

static void
release_cb(void *unused, uint64_t pos)
{
	(void)unused;
	evf_fdb_table_release(pos);
}

/* A fresh, empty table of cap entries (nothing pending in evf_rcu). */
static void
fresh_table(uint32_t cap)
{
	evf_rcu_drain();
	CU_ASSERT_EQUAL_FATAL(evf_rcu_pending(), 0);
	evf_fdb_table_fini();
	CU_ASSERT_EQUAL_FATAL(evf_fdb_table_init(cap), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(evf_fdb.buckets);
}

static uint32_t
home_of(uint64_t key)
{
	return (uint32_t)((key * evf_fdb.mul) >> evf_fdb.shift);
}

static uint64_t
slot_key(uint64_t pos)
{
	return evf_fdb.buckets[pos / EVF_FDB_SLOTS].key[pos % EVF_FDB_SLOTS];
}

/* Position (bucket * SLOTS + slot) of key found by scanning the whole table,
 * and how many times it occurs. */
static int64_t
scan_pos(uint64_t key, unsigned int *count)
{
	int64_t pos = -1;

	*count = 0;
	for (uint64_t p = 0; p < (uint64_t)evf_fdb.nb_buckets * EVF_FDB_SLOTS; p++)
		if (slot_key(p) == key) {
			if (pos < 0)
				pos = (int64_t)p;
			(*count)++;
		}
	return pos;
}

/* Overflow buckets linked behind home h (walking next[]). */
static uint32_t
chain_len(uint32_t h)
{
	uint32_t n = 0;

	for (uint32_t b = evf_fdb.next[h]; b != 0 && n <= evf_fdb.nb_buckets; b = evf_fdb.next[b])
		n++;
	return n;
}

static bool
lookup(uint64_t key, uint64_t *dest)
{
	*dest = 0;
	return evf_fdb_lookup(key, dest);
}

/* Count failures; record the first few with CUnit (line + expression). */
static unsigned long nfail;

#define EXPECT(c, ...) do {                                                   \
		if (!(c)) {                                                    \
			if (nfail++ < 20) {                                    \
				fprintf(stderr, "\n    %s:%d: ", __FILE__, __LINE__); \
				fprintf(stderr, __VA_ARGS__);                  \
				CU_FAIL(#c);                                   \
			}                                                      \
		}                                                              \
	} while (0)

static void
report_failures(const char *what)
{
	if (nfail)
		fprintf(stderr, "\n    %s: %lu failed checks (seed %" PRIu64 ")\n", what, nfail, seed);
	CU_ASSERT_EQUAL(nfail, 0);
	nfail = 0;
}

/* ---- 1. model check ---- */

#define NU       6000   /* universe of keys the operations pick from (even keys) */
#define NABSENT  1000   /* keys never inserted (odd keys) */
#define NOPS     200000
#define CHECK_EVERY 4000

static uint64_t ukey[NU], udest[NU], absent[NABSENT];
static bool upresent[NU];
static uint64_t pend[CAP];
static uint32_t npend, nlive;
static uint64_t refused;   /* inserts refused (multiplier 1 only: pool dry) */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
gen_universe(void)
{
	static uint64_t sorted[NU];
	bool dup;

	do {
		for (unsigned int i = 0; i < NU; i++)
			ukey[i] = mk_key(rng() & ~1ull, (uint16_t)(rng() % 4096));
		memcpy(sorted, ukey, sizeof(sorted));
		qsort(sorted, NU, sizeof(sorted[0]), cmp_u64);
		dup = false;
		for (unsigned int i = 1; i < NU; i++)
			dup |= sorted[i] == sorted[i - 1];
	} while (dup);
	for (unsigned int i = 0; i < NABSENT; i++)
		absent[i] = mk_key(rng() | 1, (uint16_t)(rng() % 4096));
}

/* The batch API as the workers use it: two runs (sources, destinations),
 * keys repeating within a run are queued once. keys[] alternate src/dst. */
static void
check_batch(const uint64_t *keys, const bool *want_hit, const uint64_t *want_dest, unsigned int n)
{
	struct evf_fdb_batch fb;
	struct evf_fdb_run run[2];
	uint8_t slot[EVF_FDB_BATCH_MAX];
	uint64_t last[2] = { EVF_FDB_NO_KEY, EVF_FDB_NO_KEY };
	uint8_t last_slot[2] = { 0, 0 };

	evf_fdb_batch_init(&fb);
	evf_fdb_run_init(&run[0]);
	evf_fdb_run_init(&run[1]);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int r = i & 1;
		uint32_t before = fb.n;

		slot[i] = evf_fdb_batch_add(&fb, &run[r], keys[i]);
		if (keys[i] == last[r]) {
			EXPECT(slot[i] == last_slot[r] && fb.n == before,
			       "repeated key queued again (slot %u, was %u)\n", slot[i], last_slot[r]);
		} else {
			EXPECT(slot[i] == before && fb.n == before + 1,
			       "new key got slot %u, expected %u\n", slot[i], before);
		}
		EXPECT(fb.keys[slot[i]] == keys[i], "slot %u holds another key\n", slot[i]);
		EXPECT(fb.home[slot[i]] == evf_fdb_home(keys[i]), "slot %u: wrong home\n", slot[i]);
		last[r] = keys[i];
		last_slot[r] = slot[i];
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t dest = 0;
		bool hit = evf_fdb_batch_find(&fb, slot[i], &dest);

		EXPECT(hit == want_hit[i], "batch: key 0x%016" PRIx64 " hit %d, expected %d\n",
		       keys[i], hit, want_hit[i]);
		if (hit && want_hit[i])
			EXPECT(dest == want_dest[i],
			       "batch: key 0x%016" PRIx64 " dest 0x%" PRIx64 ", expected 0x%" PRIx64 "\n",
			       keys[i], dest, want_dest[i]);
	}
}

static void
model_batches(void)
{
	uint64_t keys[EVF_FDB_BATCH_MAX], dest[EVF_FDB_BATCH_MAX];
	bool hit[EVF_FDB_BATCH_MAX];

	for (unsigned int round = 0; round < 200; round++) {
		unsigned int n = 1 + (unsigned int)(rng() % EVF_FDB_BATCH_MAX);

		for (unsigned int i = 0; i < n; i++) {
			/* a run: same key as this run's previous one (i - 2) half the time */
			if (i >= 2 && (rng() & 1)) {
				keys[i] = keys[i - 2];
				hit[i] = hit[i - 2];
				dest[i] = dest[i - 2];
			} else if (rng() % 4 == 0) {
				keys[i] = absent[rng() % NABSENT];
				hit[i] = false;
				dest[i] = 0;
			} else {
				unsigned int u = (unsigned int)(rng() % NU);

				keys[i] = ukey[u];
				hit[i] = upresent[u];
				dest[i] = udest[u];
			}
		}
		check_batch(keys, hit, dest, n);
	}
}

/* Everything the table should be, compared with the model. */
static void
model_full_check(unsigned long op)
{
	struct evf_fdb_table_stats st;
	uint32_t live_slots = 0, deleted_slots = 0, keys_over = 0, linked = 0, longest = 0;
	static uint8_t visited[CAP]; /* overflow buckets seen in some chain */
	uint64_t d;

	/* every model key: writer get and worker lookup */
	for (unsigned int u = 0; u < NU; u++) {
		bool g = evf_fdb_table_get(ukey[u], &d);

		EXPECT(g == upresent[u], "op %lu: get 0x%016" PRIx64 " = %d, model %d\n", op,
		       ukey[u], g, upresent[u]);
		if (g && upresent[u])
			EXPECT(d == udest[u], "op %lu: get dest differs\n", op);
		g = lookup(ukey[u], &d);
		EXPECT(g == upresent[u], "op %lu: lookup 0x%016" PRIx64 " = %d, model %d\n", op,
		       ukey[u], g, upresent[u]);
		if (g && upresent[u])
			EXPECT(d == udest[u], "op %lu: lookup dest differs\n", op);
	}
	for (unsigned int i = 0; i < NABSENT; i++) {
		EXPECT(!evf_fdb_table_get(absent[i], &d), "op %lu: absent key found (get)\n", op);
		EXPECT(!lookup(absent[i], &d), "op %lu: absent key found (lookup)\n", op);
	}
	model_batches();

	/* structure: every stored key is a live model key, stored once, in its
	 * home chain; deleted slots are exactly the pending ones */
	for (uint32_t b = 0; b < evf_fdb.nb_buckets; b++) {
		for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++) {
			uint64_t k = evf_fdb.buckets[b].key[s];

			if (k == EVF_FDB_KEY_EMPTY)
				continue;
			if (k == EVF_FDB_KEY_DELETED) {
				deleted_slots++;
				continue;
			}
			live_slots++;
			if (b >= evf_fdb.nb_home)
				keys_over++;
			/* reachable from its home */
			uint32_t c = home_of(k), hops = 0;

			while (c != b && hops++ <= EVF_FDB_CHAIN_MAX && evf_fdb.next[c] != 0)
				c = evf_fdb.next[c];
			EXPECT(c == b, "op %lu: key 0x%016" PRIx64 " in bucket %u, not in its home chain\n",
			       op, k, b);
		}
	}
	EXPECT(live_slots == nlive, "op %lu: %u keys stored, model has %u\n", op, live_slots, nlive);
	EXPECT(deleted_slots == npend, "op %lu: %u deleted slots, %u pending releases\n", op,
	       deleted_slots, npend);
	for (uint32_t i = 0; i < npend; i++)
		EXPECT(slot_key(pend[i]) == EVF_FDB_KEY_DELETED, "op %lu: pending slot not deleted\n", op);

	/* chains: acyclic, no bucket in two chains, no empty overflow bucket, at most CHAIN_MAX */
	memset(visited, 0, sizeof(visited));
	for (uint32_t h = 0; h < evf_fdb.nb_home; h++) {
		uint32_t n = 0, b = h;

		while (evf_fdb.next[b] != 0 && n <= EVF_FDB_CHAIN_MAX) {
			b = evf_fdb.next[b];
			n++;
			EXPECT(b >= evf_fdb.nb_home && b < evf_fdb.nb_buckets,
			       "op %lu: home %u links bucket %u\n", op, h, b);
			if (b < evf_fdb.nb_home || b >= evf_fdb.nb_buckets)
				break;
			EXPECT(!visited[b - evf_fdb.nb_home], "op %lu: bucket %u in two chains\n", op, b);
			visited[b - evf_fdb.nb_home] = 1;
			{
				bool none = true;

				for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++)
					none &= evf_fdb.buckets[b].key[s] == EVF_FDB_KEY_EMPTY;
				EXPECT(!none, "op %lu: home %u links an empty overflow bucket %u\n",
				       op, h, b);
			}
		}
		EXPECT(n <= EVF_FDB_CHAIN_MAX, "op %lu: home %u has a chain of %u\n", op, h, n);
		if (n > 0) {
			bool empty = true;

			for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++)
				empty &= evf_fdb.buckets[b].key[s] == EVF_FDB_KEY_EMPTY;
			EXPECT(!empty, "op %lu: home %u ends with an empty overflow bucket\n", op, h);
		}
		linked += n;
		if (n > longest)
			longest = n;
	}
	/* stats; with nothing pending, every overflow bucket is linked or in the pool */
	evf_rcu_drain();
	evf_fdb_table_stats(&st);
	EXPECT(st.keys == nlive, "op %lu: stats.keys %u, model %u\n", op, st.keys, nlive);
	EXPECT(st.keys_overflow == keys_over, "op %lu: stats.keys_overflow %u, counted %u\n", op,
	       st.keys_overflow, keys_over);
	EXPECT(st.overflow_buckets == linked, "op %lu: stats.overflow_buckets %u, linked %u\n", op,
	       st.overflow_buckets, linked);
	EXPECT(st.pool_free + linked == evf_fdb.nb_buckets - evf_fdb.nb_home,
	       "op %lu: pool %u + linked %u != %u overflow buckets\n", op, st.pool_free, linked,
	       evf_fdb.nb_buckets - evf_fdb.nb_home);
	EXPECT(st.longest_chain >= longest, "op %lu: longest_chain %u < %u\n", op,
	       st.longest_chain, longest);
	EXPECT(st.home_buckets == evf_fdb.nb_home, "op %lu: home_buckets\n", op);
	EXPECT(st.refused == refused, "op %lu: %" PRIu64 " inserts refused, expected %" PRIu64 "\n",
	       op, st.refused, refused);
}

static void
model_run(bool collide)
{
	unsigned long puts_new = 0, updates = 0, dels = 0, dels_absent = 0, releases = 0,
		drains = 0, gets = 0;
	struct evf_fdb_table_stats st;

	refused = 0;
	uint64_t mul, d;

	fresh_table(CAP);
	CU_ASSERT_EQUAL(evf_fdb.nb_home, CAP / 2);
	CU_ASSERT_EQUAL(evf_fdb.nb_buckets - evf_fdb.nb_home, CAP / EVF_FDB_SLOTS + 1);
	mul = collide ? 1 : rng() | 1;
	evf_fdb_table_set_multiplier(mul);
	CU_ASSERT_EQUAL(evf_fdb.mul, mul);
	gen_universe();
	memset(upresent, 0, sizeof(upresent));
	npend = nlive = 0;

	for (unsigned long op = 1; op <= NOPS; op++) {
		unsigned int r = (unsigned int)(rng() % 100);
		unsigned int u = (unsigned int)(rng() % NU);

		if (r < 45 && (upresent[u] || nlive + npend < CAP)) {
			uint64_t nd = rng();
			int rc = evf_fdb_table_put(ukey[u], nd);

			if (rc == -ENOSPC && collide && !upresent[u]) {
				/* Long chains strand empty slots in partly used
				 * overflow buckets: the pool can run dry below
				 * capacity when keys crowd few homes (never seen
				 * with a random multiplier). Then the refusal must
				 * leave no trace. */
				evf_fdb_table_stats(&st);
				EXPECT(st.pool_free == 0, "op %lu: refused with %u buckets free\n", op,
				       st.pool_free);
				EXPECT(st.keys == nlive, "op %lu: a refused key counted\n", op);
				EXPECT(!lookup(ukey[u], &d) && !evf_fdb_table_get(ukey[u], &d),
				       "op %lu: a refused key found\n", op);
				refused++;
				continue;
			}
			EXPECT(rc == 0, "op %lu: put = %d\n", op, rc);
			if (upresent[u])
				updates++;
			else
				puts_new++, nlive++;
			upresent[u] = true;
			udest[u] = nd;
			EXPECT(lookup(ukey[u], &d) && d == nd, "op %lu: put key not found\n", op);
		} else if (r < 65 || (r < 45 && nlive > 0)) {
			int64_t pos = evf_fdb_table_del(ukey[u]);

			if (!upresent[u]) {
				EXPECT(pos == -ENOENT, "op %lu: del of an absent key = %" PRId64 "\n",
				       op, pos);
				dels_absent++;
				continue;
			}
			EXPECT(pos >= 0 && pos < (int64_t)evf_fdb.nb_buckets * EVF_FDB_SLOTS,
			       "op %lu: del = %" PRId64 "\n", op, pos);
			if (pos < 0)
				continue;
			EXPECT(slot_key((uint64_t)pos) == EVF_FDB_KEY_DELETED,
			       "op %lu: deleted slot holds 0x%" PRIx64 "\n", op, slot_key((uint64_t)pos));
			upresent[u] = false;
			nlive--;
			pend[npend++] = (uint64_t)pos;
			dels++;
			EXPECT(!lookup(ukey[u], &d), "op %lu: deleted key still found\n", op);
			EXPECT(!evf_fdb_table_get(ukey[u], &d), "op %lu: deleted key still got\n", op);
		} else if (r < 75) {
			if (npend == 0)
				continue;
			uint32_t i = (uint32_t)(rng() % npend);

			evf_fdb_table_release(pend[i]);
			EXPECT(slot_key(pend[i]) == EVF_FDB_KEY_EMPTY, "op %lu: released slot not empty\n",
			       op);
			pend[i] = pend[--npend];
			releases++;
		} else if (r < 77) {
			/* every pending slot through the grace-period queue */
			for (uint32_t i = 0; i < npend; i++)
				evf_rcu_defer(release_cb, NULL, pend[i]);
			evf_rcu_drain();
			for (uint32_t i = 0; i < npend; i++)
				EXPECT(slot_key(pend[i]) == EVF_FDB_KEY_EMPTY,
				       "op %lu: drained slot not empty\n", op);
			releases += npend;
			npend = 0;
			drains++;
		} else {
			bool g;

			if (rng() & 1) {
				g = evf_fdb_table_get(ukey[u], &d);
				EXPECT(g == upresent[u] && (!g || d == udest[u]),
				       "op %lu: get differs from the model\n", op);
			} else {
				g = evf_fdb_table_get(absent[u % NABSENT], &d);
				EXPECT(!g, "op %lu: absent key found\n", op);
			}
			gets++;
		}
		if (op % CHECK_EVERY == 0) {
			model_full_check(op);
			if (nfail > 20)
				break;
		}
	}
	evf_fdb_table_stats(&st);
	printf("\n    %lu new, %lu updates, %lu deletes (+%lu of absent keys), %lu releases, "
	       "%lu drains, %lu gets, %" PRIu64 " refused (pool dry); %u keys, %u in overflow, "
	       "longest chain %u ",
	       puts_new, updates, dels, dels_absent, releases, drains, gets, refused, st.keys,
	       st.keys_overflow, st.longest_chain);
	/* the operations did exercise what they should */
	CU_ASSERT(puts_new > 10000 && updates > 10000 && dels > 10000 && releases > 10000);
	CU_ASSERT(st.longest_chain >= (collide ? 8u : 1u));
	if (!collide)
		CU_ASSERT_EQUAL(refused, 0);
	report_failures("model");
}

static void
test_model(void)
{
	model_run(false);
}

/* Multiplier 1: home = bd >> 5, so the keys share 128 of the 2048 homes and
 * the chains are long (every overflow path, holes in chains). */
static void
test_model_collide(void)
{
	model_run(true);
}

/* ---- 2. forced collisions ---- */

static uint64_t
coll_dest(uint64_t key, unsigned int gen)
{
	return mix(key) ^ ((uint64_t)gen << 56);
}

static void
test_collisions(void)
{
	struct evf_fdb_table_stats st0, st;
	uint64_t pos[SLOTS_MAX + 1], d, n = 0, other;
	uint32_t order[SLOTS_MAX], depth_left[EVF_FDB_CHAIN_MAX + 1];
	int rc = 0;

	fresh_table(CAP);
	evf_fdb_table_stats(&st0);
	CU_ASSERT_EQUAL(st0.pool_free, CAP / EVF_FDB_SLOTS + 1);
	CU_ASSERT_EQUAL(st0.overflow_buckets, 0);
	CU_ASSERT_EQUAL(st0.keys, 0);
	evf_fdb_table_set_multiplier(1);
	/* home = key >> shift: keys 1, 2, ... (MAC 00:..:0n, bd 0) all have home 0 */
	CU_ASSERT_EQUAL(home_of(1), 0);
	CU_ASSERT_EQUAL(home_of(0xffffffffffffull), 0);

	for (uint64_t k = 1; k < 1000; k++) {
		rc = evf_fdb_table_put(k, coll_dest(k, 1));
		if (rc != 0)
			break;
		n++;
	}
	CU_ASSERT_EQUAL(rc, -ENOSPC);
	CU_ASSERT_EQUAL_FATAL(n, SLOTS_MAX);
	CU_ASSERT(!evf_fdb_table_get(SLOTS_MAX + 1, &d));
	CU_ASSERT(!lookup(SLOTS_MAX + 1, &d));
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.keys, SLOTS_MAX);
	CU_ASSERT_EQUAL(st.keys_overflow, SLOTS_MAX - EVF_FDB_SLOTS);
	CU_ASSERT_EQUAL(st.overflow_buckets, EVF_FDB_CHAIN_MAX);
	CU_ASSERT_EQUAL(st.longest_chain, EVF_FDB_CHAIN_MAX);
	CU_ASSERT_EQUAL(st.refused, 1);
	CU_ASSERT_EQUAL(st.pool_free, st0.pool_free - EVF_FDB_CHAIN_MAX);
	CU_ASSERT_EQUAL(chain_len(0), EVF_FDB_CHAIN_MAX);
	/* chain order: bucket at depth i holds keys 4i+1 .. 4i+4 */
	{
		uint32_t b = 0;

		for (unsigned int dep = 0; dep <= EVF_FDB_CHAIN_MAX; dep++) {
			for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++)
				CU_ASSERT_EQUAL(evf_fdb.buckets[b].key[s], dep * EVF_FDB_SLOTS + s + 1);
			CU_ASSERT(dep == 0 || b >= evf_fdb.nb_home);
			b = evf_fdb.next[b];
		}
		CU_ASSERT_EQUAL(b, 0);
	}
	for (uint64_t k = 1; k <= SLOTS_MAX; k++) {
		CU_ASSERT(evf_fdb_table_get(k, &d) && d == coll_dest(k, 1));
		CU_ASSERT(lookup(k, &d) && d == coll_dest(k, 1));
	}
	/* a full chain still takes updates, in place */
	CU_ASSERT_EQUAL(evf_fdb_table_put(SLOTS_MAX, coll_dest(SLOTS_MAX, 2)), 0);
	CU_ASSERT(lookup(SLOTS_MAX, &d) && d == coll_dest(SLOTS_MAX, 2));
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[0], 1);
	CU_ASSERT_EQUAL(evf_fdb_table_put(SLOTS_MAX, coll_dest(SLOTS_MAX, 1)), 0);
	/* refused again, and counted */
	CU_ASSERT_EQUAL(evf_fdb_table_put(SLOTS_MAX + 2, 7), -ENOSPC);
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.refused, 2);
	CU_ASSERT_EQUAL(st.keys, SLOTS_MAX);
	/* another home is not affected: bd 32 -> home 1 */
	other = mk_key(5, 32);
	CU_ASSERT_EQUAL(home_of(other), 1);
	CU_ASSERT_EQUAL(evf_fdb_table_put(other, 99), 0);
	CU_ASSERT_EQUAL(evf_fdb.buckets[1].key[0], other);
	CU_ASSERT(lookup(other, &d) && d == 99);
	{
		int64_t p = evf_fdb_table_del(other);

		CU_ASSERT_EQUAL(p, 1 * EVF_FDB_SLOTS + 0);
		evf_fdb_table_release((uint64_t)p);
	}

	/* delete every overflow key: readers miss them at once, the chain stays
	 * until the slots are released */
	memset(depth_left, 0, sizeof(depth_left));
	for (uint64_t k = EVF_FDB_SLOTS + 1; k <= SLOTS_MAX; k++) {
		int64_t p = evf_fdb_table_del(k);

		CU_ASSERT_FATAL(p >= 0);
		CU_ASSERT((uint64_t)p / EVF_FDB_SLOTS >= evf_fdb.nb_home);
		CU_ASSERT_EQUAL(slot_key((uint64_t)p), EVF_FDB_KEY_DELETED);
		pos[k] = (uint64_t)p;
		depth_left[(k - 1) / EVF_FDB_SLOTS]++;
	}
	CU_ASSERT_EQUAL(evf_fdb_table_del(EVF_FDB_SLOTS + 1), -ENOENT); /* already gone */
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.keys, EVF_FDB_SLOTS);
	CU_ASSERT_EQUAL(st.keys_overflow, 0);
	CU_ASSERT_EQUAL(st.overflow_buckets, EVF_FDB_CHAIN_MAX);
	CU_ASSERT_EQUAL(chain_len(0), EVF_FDB_CHAIN_MAX);
	for (uint64_t k = 1; k <= SLOTS_MAX; k++) {
		bool want = k <= EVF_FDB_SLOTS;

		CU_ASSERT_EQUAL(evf_fdb_table_get(k, &d), want);
		CU_ASSERT_EQUAL(lookup(k, &d), want);
		if (want)
			CU_ASSERT_EQUAL(d, coll_dest(k, 1));
	}
	/* the chain is full of deleted slots: no room before they are released */
	CU_ASSERT_EQUAL(evf_fdb_table_put(SLOTS_MAX + 3, 7), -ENOSPC);

	/* release in random order: every overflow bucket leaves the chain as
	 * soon as its last (deleted) slot is released, wherever it is */
	for (uint32_t i = 0; i < SLOTS_MAX - EVF_FDB_SLOTS; i++)
		order[i] = EVF_FDB_SLOTS + 1 + i;
	for (uint32_t i = SLOTS_MAX - EVF_FDB_SLOTS - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(rng() % (i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (uint32_t i = 0; i < SLOTS_MAX - EVF_FDB_SLOTS; i++) {
		uint64_t k = order[i];
		uint32_t want = 0;

		evf_fdb_table_release(pos[k]);
		CU_ASSERT_EQUAL(slot_key(pos[k]), EVF_FDB_KEY_EMPTY);
		depth_left[(k - 1) / EVF_FDB_SLOTS]--;
		for (uint32_t dep = 1; dep <= EVF_FDB_CHAIN_MAX; dep++)
			if (depth_left[dep])
				want++;
		evf_fdb_table_stats(&st);
		CU_ASSERT_EQUAL(st.overflow_buckets, want);
		CU_ASSERT_EQUAL(chain_len(0), want);
		/* unlinked buckets wait for a grace period before the pool */
		CU_ASSERT_EQUAL(st.pool_free, st0.pool_free - EVF_FDB_CHAIN_MAX);
	}
	/* releasing twice changes nothing */
	evf_fdb_table_release(pos[EVF_FDB_SLOTS + 1]);
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.overflow_buckets, 0);
	CU_ASSERT_EQUAL(evf_fdb.next[0], 0);
	CU_ASSERT_EQUAL(evf_rcu_pending(), EVF_FDB_CHAIN_MAX);
	CU_ASSERT_EQUAL(st.pool_free, st0.pool_free - EVF_FDB_CHAIN_MAX);
	evf_rcu_drain();
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.pool_free, st0.pool_free);
	CU_ASSERT_EQUAL(st.overflow_buckets, 0);
	CU_ASSERT_EQUAL(st.keys, EVF_FDB_SLOTS);
	for (uint64_t k = 1; k <= SLOTS_MAX + 3; k++) {
		bool want = k <= EVF_FDB_SLOTS;

		CU_ASSERT_EQUAL(lookup(k, &d), want);
		if (want)
			CU_ASSERT_EQUAL(d, coll_dest(k, 1));
	}

	/* re-insert: the same keys with new destinations, then one too many */
	for (uint64_t k = EVF_FDB_SLOTS + 1; k <= SLOTS_MAX; k++)
		CU_ASSERT_EQUAL(evf_fdb_table_put(k, coll_dest(k, 3)), 0);
	CU_ASSERT_EQUAL(evf_fdb_table_put(SLOTS_MAX + 1, 7), -ENOSPC);
	for (uint64_t k = 1; k <= SLOTS_MAX; k++) {
		CU_ASSERT(lookup(k, &d) && d == coll_dest(k, k <= EVF_FDB_SLOTS ? 1 : 3));
		CU_ASSERT(evf_fdb_table_get(k, &d) && d == coll_dest(k, k <= EVF_FDB_SLOTS ? 1 : 3));
	}
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.keys, SLOTS_MAX);
	CU_ASSERT_EQUAL(st.overflow_buckets, EVF_FDB_CHAIN_MAX);
	CU_ASSERT_EQUAL(st.longest_chain, EVF_FDB_CHAIN_MAX);
	CU_ASSERT_EQUAL(st.pool_free, st0.pool_free - EVF_FDB_CHAIN_MAX);
	CU_ASSERT_EQUAL(chain_len(0), EVF_FDB_CHAIN_MAX);
}

/* ---- 3. a deleted slot is not reused before its release ---- */

static void
test_deleted_not_reused(void)
{
	uint64_t d;
	unsigned int cnt;
	int64_t p2, p;
	uint32_t ob;

	fresh_table(CAP);
	evf_fdb_table_set_multiplier(1);
	for (uint64_t k = 1; k <= EVF_FDB_SLOTS; k++)
		CU_ASSERT_EQUAL(evf_fdb_table_put(k, coll_dest(k, 1)), 0);
	for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++)
		CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[s], s + 1);
	CU_ASSERT_EQUAL(evf_fdb.next[0], 0);

	p2 = evf_fdb_table_del(2);
	CU_ASSERT_EQUAL_FATAL(p2, 1); /* bucket 0, slot 1 */
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[1], EVF_FDB_KEY_DELETED);
	CU_ASSERT(!lookup(2, &d));

	/* a new colliding key goes to an overflow bucket, not to the deleted slot */
	CU_ASSERT_EQUAL(evf_fdb_table_put(100, coll_dest(100, 1)), 0);
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[1], EVF_FDB_KEY_DELETED);
	ob = evf_fdb.next[0];
	CU_ASSERT_FATAL(ob >= evf_fdb.nb_home && ob < evf_fdb.nb_buckets);
	CU_ASSERT_EQUAL(evf_fdb.buckets[ob].key[0], 100);
	CU_ASSERT_EQUAL(evf_fdb.buckets[ob].dest[0], coll_dest(100, 1));
	p = scan_pos(100, &cnt);
	CU_ASSERT_EQUAL(cnt, 1);
	CU_ASSERT_EQUAL(p, (int64_t)ob * EVF_FDB_SLOTS);
	CU_ASSERT(lookup(100, &d) && d == coll_dest(100, 1));

	/* the deleted key itself, back before the release: a new slot too, and
	 * readers see its new destination */
	CU_ASSERT_EQUAL(evf_fdb_table_put(2, coll_dest(2, 2)), 0);
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[1], EVF_FDB_KEY_DELETED);
	CU_ASSERT_EQUAL(evf_fdb.buckets[ob].key[1], 2);
	CU_ASSERT(lookup(2, &d) && d == coll_dest(2, 2));
	CU_ASSERT(evf_fdb_table_get(2, &d) && d == coll_dest(2, 2));
	scan_pos(2, &cnt);
	CU_ASSERT_EQUAL(cnt, 1);
	/* an update stays in place */
	CU_ASSERT_EQUAL(evf_fdb_table_put(2, coll_dest(2, 3)), 0);
	CU_ASSERT_EQUAL(evf_fdb.buckets[ob].key[1], 2);
	CU_ASSERT_EQUAL(evf_fdb.buckets[ob].dest[1], coll_dest(2, 3));
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[1], EVF_FDB_KEY_DELETED);

	/* release: the slot is empty and the next new key takes it (nearest home) */
	evf_fdb_table_release((uint64_t)p2);
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[1], EVF_FDB_KEY_EMPTY);
	CU_ASSERT_EQUAL(evf_fdb_table_put(101, coll_dest(101, 1)), 0);
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[1], 101);
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].dest[1], coll_dest(101, 1));
	/* a stale release of that position does not free the new key's slot */
	evf_fdb_table_release((uint64_t)p2);
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[1], 101);
	CU_ASSERT(lookup(101, &d) && d == coll_dest(101, 1));
	/* out-of-range positions are ignored */
	evf_fdb_table_release((uint64_t)evf_fdb.nb_buckets * EVF_FDB_SLOTS);
	evf_fdb_table_release(UINT64_MAX);
	/* release of a live key's slot does nothing */
	evf_fdb_table_release(0);
	CU_ASSERT_EQUAL(evf_fdb.buckets[0].key[0], 1);
	for (uint64_t k = 1; k <= 4; k++)
		CU_ASSERT(lookup(k, &d) && d == coll_dest(k, k == 2 ? 3 : 1));
}

/* ---- 4. sentinels and key 0 ---- */

static void
test_sentinels(void)
{
	struct evf_fdb_table_stats st;
	uint64_t d = 0x1234, top = EVF_FDB_KEY_DELETED - 1;
	bool all_empty = true;
	int64_t p;

	fresh_table(CAP);
	/* the table starts as all EMPTY keys (0xff bytes), no links */
	for (uint32_t b = 0; b < evf_fdb.nb_buckets; b++) {
		for (unsigned int s = 0; s < EVF_FDB_SLOTS; s++)
			all_empty &= evf_fdb.buckets[b].key[s] == EVF_FDB_KEY_EMPTY;
		all_empty &= evf_fdb.next[b] == 0;
	}
	CU_ASSERT(all_empty);

	/* key 0 = MAC 00:00:00:00:00:00 in MAC-VRF 0 */
	{
		struct rte_ether_addr zero = {{ 0 }};

		CU_ASSERT_EQUAL(evf_fdb_key_u64(&zero, 0), 0);
	}
	CU_ASSERT(!lookup(0, &d));
	CU_ASSERT(!evf_fdb_table_get(0, &d));
	CU_ASSERT_EQUAL(evf_fdb_table_del(0), -ENOENT);

	CU_ASSERT_EQUAL(evf_fdb_table_put(EVF_FDB_KEY_EMPTY, 1), -EINVAL);
	CU_ASSERT_EQUAL(evf_fdb_table_put(EVF_FDB_KEY_DELETED, 1), -EINVAL);
	CU_ASSERT(!evf_fdb_table_get(EVF_FDB_KEY_EMPTY, &d));
	CU_ASSERT(!evf_fdb_table_get(EVF_FDB_KEY_DELETED, &d));
	CU_ASSERT_EQUAL(evf_fdb_table_del(EVF_FDB_KEY_EMPTY), -ENOENT);
	CU_ASSERT_EQUAL(evf_fdb_table_del(EVF_FDB_KEY_DELETED), -ENOENT);
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.keys, 0);
	CU_ASSERT_EQUAL(st.refused, 0);

	/* key 0 and the largest non-sentinel key are ordinary keys */
	CU_ASSERT_EQUAL(evf_fdb_table_put(0, 0xabc), 0);
	CU_ASSERT_EQUAL(evf_fdb_table_put(top, 0xdef), 0);
	CU_ASSERT(lookup(0, &d) && d == 0xabc);
	CU_ASSERT(evf_fdb_table_get(0, &d) && d == 0xabc);
	CU_ASSERT(lookup(top, &d) && d == 0xdef);
	CU_ASSERT(evf_fdb_table_get(top, &d) && d == 0xdef);
	/* a MAC-VRF 4095 broadcast, the largest key the data path makes */
	CU_ASSERT_EQUAL(evf_fdb_table_put(mk_key(MAC_MASK, 4095), 0x77), 0);
	CU_ASSERT(lookup(mk_key(MAC_MASK, 4095), &d) && d == 0x77);

	/* with a deleted slot in the table, the sentinels still match nothing */
	p = evf_fdb_table_del(0);
	CU_ASSERT_FATAL(p >= 0);
	CU_ASSERT_EQUAL(slot_key((uint64_t)p), EVF_FDB_KEY_DELETED);
	CU_ASSERT(!evf_fdb_table_get(EVF_FDB_KEY_DELETED, &d));
	CU_ASSERT_EQUAL(evf_fdb_table_del(EVF_FDB_KEY_DELETED), -ENOENT);
	CU_ASSERT_EQUAL(slot_key((uint64_t)p), EVF_FDB_KEY_DELETED);
	CU_ASSERT_EQUAL(evf_fdb_table_put(EVF_FDB_KEY_DELETED, 5), -EINVAL);
	CU_ASSERT(!lookup(0, &d));
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.keys, 2);
	evf_fdb_table_release((uint64_t)p);
	CU_ASSERT_EQUAL(slot_key((uint64_t)p), EVF_FDB_KEY_EMPTY);
	CU_ASSERT(!lookup(0, &d));
	CU_ASSERT(lookup(top, &d) && d == 0xdef);
}

/* ---- 5. a concurrent reader ---- */

/* With multiplier 1 the homes are chosen: chain A (home 0) of NA keys, and
 * NH other homes h (bd = 32h) of NPH keys each. Stable keys are inserted
 * between the others, so some sit deep in chain A's overflow buckets; they
 * are updated but never removed. A second phase churns one hot home (bd =
 * 32 * HOT_HOME, NHOT keys, two stable) while the reader looks up only
 * those keys, so most of its lookups meet the slots being rewritten. */
#define NA       100
#define NH       31
#define NPH      8
#define HOT_HOME 40
#define NHOT     8
#define NMAIN    (NA + NH * NPH)
#define NKEYS    (NMAIN + NHOT)
#define CYCLES     100000
#define HOT_CYCLES 500000
#define DEST_TAG 0xffffffull     /* low 24 bits of a destination: its key's tag */

static uint64_t ckey[NKEYS], cdest[NKEYS], gen_next;
static bool cstable[NKEYS], cpresent[NKEYS];
static unsigned int reader_lo, reader_hi; /* keys the reader looks up */
static bool reader_stop, reader_ready;
static int reader_phase;               /* 1: the reader is on the hot keys */

struct reader_res {
	uint64_t lookups, hits, foreign, regressed, stable_miss, rounds, hot_rounds;
	int cpu;
};

struct writer_res {
	unsigned long put, upd, del, waits, reclaimed;
	bool stuck;
};

static uint64_t
key_tag(uint64_t key)
{
	return mix(key ^ 0x5a5a5a5a5a5a5a5aull) & DEST_TAG;
}

static uint64_t
gen_dest(uint64_t key, uint64_t gen)
{
	return (gen << 24) | key_tag(key);
}

static void
reader_check(struct reader_res *res, uint64_t *last_gen, unsigned int i, bool hit, uint64_t d)
{
	res->lookups++;
	if (!hit) {
		res->stable_miss += cstable[i];
		return;
	}
	res->hits++;
	if ((d & DEST_TAG) != key_tag(ckey[i])) {
		res->foreign++;
		return;
	}
	/* a key's destinations come from an increasing generation: a reader
	 * never sees an older one after a newer one */
	if ((d >> 24) < last_gen[i])
		res->regressed++;
	else
		last_gen[i] = d >> 24;
}

static void *
reader_main(void *arg)
{
	struct reader_res *res = arg;
	static uint64_t last_gen[NKEYS];
	struct evf_fdb_batch fb;
	struct evf_fdb_run run;
	uint8_t slot[EVF_FDB_BATCH_MAX];

	memset(last_gen, 0, sizeof(last_gen));
	rte_rcu_qsbr_thread_online(evf_rcu, 0);
	res->cpu = sched_getcpu();
	__atomic_store_n(&reader_ready, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&reader_stop, __ATOMIC_ACQUIRE)) {
		unsigned int lo = __atomic_load_n(&reader_lo, __ATOMIC_ACQUIRE);
		unsigned int hi = __atomic_load_n(&reader_hi, __ATOMIC_ACQUIRE);

		__atomic_store_n(&reader_phase, lo != 0, __ATOMIC_RELEASE);

		/* single lookups, a quiescent state after each */
		for (unsigned int i = lo; i < hi; i++) {
			uint64_t d = 0;
			bool hit = evf_fdb_lookup(ckey[i], &d);

			reader_check(res, last_gen, i, hit, d);
			rte_rcu_qsbr_quiescent(evf_rcu, 0);
		}
		/* the batch API, each key queued twice in a row (one lookup) */
		for (unsigned int i0 = lo; i0 < hi; i0 += 32) {
			unsigned int n = RTE_MIN(32u, hi - i0);

			evf_fdb_batch_init(&fb);
			evf_fdb_run_init(&run);
			for (unsigned int j = 0; j < n; j++) {
				slot[j] = evf_fdb_batch_add(&fb, &run, ckey[i0 + j]);
				if (evf_fdb_batch_add(&fb, &run, ckey[i0 + j]) != slot[j])
					res->foreign++;
			}
			for (unsigned int j = 0; j < n; j++) {
				uint64_t dest = 0;
				bool hit = evf_fdb_batch_find(&fb, slot[j], &dest);

				reader_check(res, last_gen, i0 + j, hit, dest);
			}
			rte_rcu_qsbr_quiescent(evf_rcu, 0);
		}
		if (lo == 0)
			res->rounds++;
		else
			res->hot_rounds++;
	}
	rte_rcu_qsbr_thread_offline(evf_rcu, 0);
	return NULL;
}

/* Insert key i with destination nd. The home's chain can be full of
 * deleted slots waiting for their grace period (the reader is slower than
 * the writer's loop): then wait for the reader as a control thread would
 * (sleeping, so a reader sharing this CPU runs) and retry, for up to 1 s. */
static void
put_wait(unsigned int i, uint64_t nd, struct writer_res *w)
{
	int rc = evf_fdb_table_put(ckey[i], nd);

	if (rc == -ENOSPC) {
		uint64_t until = rte_get_timer_cycles() + rte_get_timer_hz();

		w->waits++;
		while (rc == -ENOSPC && rte_get_timer_cycles() < until) {
			w->reclaimed += evf_rcu_reclaim();
			rc = evf_fdb_table_put(ckey[i], nd);
			if (rc == -ENOSPC)
				rte_delay_us_sleep(20);
		}
		w->stuck = rc == -ENOSPC;
	}
	EXPECT(rc == 0, "put = %d\n", rc);
	if (rc == 0) {
		cdest[i] = nd;
		cpresent[i] = true;
		w->put++;
	}
}

/* Remove key i; its slot is released after a grace period, as
 * fdb_ctl.c's slot_free does. */
static void
del_deferred(unsigned int i, struct writer_res *w)
{
	int64_t pos = evf_fdb_table_del(ckey[i]);

	EXPECT(pos >= 0, "del = %" PRId64 "\n", pos);
	if (pos >= 0)
		evf_rcu_defer(release_cb, NULL, (uint64_t)pos);
	cpresent[i] = false;
	w->del++;
}

/* cycles random writes on keys [lo, hi): updates, deletes (slot released
 * through evf_rcu_defer like fdb_ctl.c's slot_free), inserts; a reclaim
 * after each. */
static void
churn(unsigned int lo, unsigned int hi, unsigned long cycles, struct writer_res *w)
{
	for (unsigned long c = 0; c < cycles && !w->stuck; c++) {
		unsigned int i = lo + (unsigned int)(rng() % (hi - lo));
		unsigned int r = (unsigned int)(rng() % 8);

		if (cstable[i] || (cpresent[i] && r < 3)) {
			/* update in place */
			cdest[i] = gen_dest(ckey[i], gen_next++);
			EXPECT(evf_fdb_table_put(ckey[i], cdest[i]) == 0, "update refused\n");
			w->upd++;
		} else if (cpresent[i]) {
			del_deferred(i, w);
		} else {
			put_wait(i, gen_dest(ckey[i], gen_next++), w);
		}
		w->reclaimed += evf_rcu_reclaim();
	}
}

/* The hot home: every cycle removes one key and inserts another (so a
 * slot is vacated and filled again as fast as the grace periods allow) and
 * updates a stable key. */
static void
churn_hot(unsigned long cycles, struct writer_res *w)
{
	for (unsigned long c = 0; c < cycles && !w->stuck; c++) {
		unsigned int del_i = NKEYS, put_i = NKEYS;

		for (unsigned int t = 0; t < 4 * NHOT && (del_i == NKEYS || put_i == NKEYS); t++) {
			unsigned int i = NMAIN + (unsigned int)(rng() % NHOT);

			if (cstable[i])
				continue;
			if (cpresent[i] && del_i == NKEYS)
				del_i = i;
			else if (!cpresent[i] && put_i == NKEYS)
				put_i = i;
		}
		if (del_i < NKEYS)
			del_deferred(del_i, w);
		if (put_i < NKEYS) {
			put_wait(put_i, gen_dest(ckey[put_i], gen_next++), w);
		}
		if (c % 4 == 0) {
			unsigned int i = NMAIN + (c % 8 < 4 ? 0 : 4); /* the stable keys 1 and 5 */

			cdest[i] = gen_dest(ckey[i], gen_next++);
			EXPECT(evf_fdb_table_put(ckey[i], cdest[i]) == 0, "update refused\n");
			w->upd++;
		}
		w->reclaimed += evf_rcu_reclaim();
	}
}

static void
test_concurrent_reader(void)
{
	struct reader_res res;
	struct writer_res w1, w2;
	uint64_t d, t0, t1, t2;
	pthread_t th;
	pthread_attr_t attr;
	cpu_set_t others;
	unsigned long cycles = CYCLES, hot_cycles = HOT_CYCLES;
	unsigned int nk = 0;

	if (getenv("EVFT_CYCLES") != NULL) /* longer runs by hand */
		cycles = strtoul(getenv("EVFT_CYCLES"), NULL, 0), hot_cycles = 3 * cycles;
	fresh_table(CAP);
	evf_fdb_table_set_multiplier(1);
	memset(&res, 0, sizeof(res));
	memset(&w1, 0, sizeof(w1));
	memset(&w2, 0, sizeof(w2));
	memset(cstable, 0, sizeof(cstable));
	memset(cpresent, 0, sizeof(cpresent));
	for (unsigned int i = 1; i <= NA; i++) {
		ckey[nk] = mk_key(i, 0);
		cstable[nk++] = i % 19 == 0 || i == 3; /* 3, 19, 38, 57, 76, 95 */
	}
	for (unsigned int h = 1; h <= NH; h++)
		for (unsigned int j = 1; j <= NPH; j++) {
			ckey[nk] = mk_key(j * 0x010203040506ull, (uint16_t)(h * 32));
			cstable[nk++] = j == 2 || j == 7;
		}
	for (unsigned int j = 1; j <= NHOT; j++) {
		ckey[nk] = mk_key(j * 0x0a0b0c0d0e0full, HOT_HOME * 32);
		cstable[nk++] = j == 1 || j == 5;
	}
	CU_ASSERT_EQUAL_FATAL(nk, NKEYS);
	for (unsigned int i = 0; i < NKEYS; i++) {
		CU_ASSERT_FATAL(home_of(ckey[i]) == (i < NA ? 0 : i < NMAIN ? 1 + (i - NA) / NPH :
						     HOT_HOME));
		for (unsigned int j = 0; j < i; j++)
			CU_ASSERT_FATAL(key_tag(ckey[i]) != key_tag(ckey[j]));
	}
	gen_next = 1;
	for (unsigned int i = 0; i < NKEYS; i++) {
		cdest[i] = gen_dest(ckey[i], gen_next++);
		CU_ASSERT_EQUAL_FATAL(evf_fdb_table_put(ckey[i], cdest[i]), 0);
		cpresent[i] = true;
	}
	CU_ASSERT_EQUAL(chain_len(0), (NA - EVF_FDB_SLOTS + EVF_FDB_SLOTS - 1) / EVF_FDB_SLOTS);

	/* the reader: RCU reader 0 (the runtime's worker 0, never launched) */
	CU_ASSERT_EQUAL_FATAL(rte_rcu_qsbr_thread_register(evf_rcu, 0), 0);
	__atomic_store_n(&reader_lo, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&reader_hi, NMAIN, __ATOMIC_RELEASE);
	reader_stop = false;
	reader_ready = false;
	reader_phase = 0;
	/* EAL pinned this thread to one CPU: the reader gets the others (all
	 * of them on a one-CPU machine), so both run at the same time */
	CPU_ZERO(&others);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &allowed_cpus) && c != sched_getcpu())
			CPU_SET(c, &others);
	if (CPU_COUNT(&others) == 0)
		others = allowed_cpus;
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(others), &others);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, &attr, reader_main, &res), 0);
	pthread_attr_destroy(&attr);
	while (!__atomic_load_n(&reader_ready, __ATOMIC_ACQUIRE))
		rte_delay_us_sleep(10);

	t0 = rte_get_timer_cycles();
	churn(0, NMAIN, cycles, &w1);
	/* the hot home: the reader follows */
	__atomic_store_n(&reader_lo, NMAIN, __ATOMIC_RELEASE);
	__atomic_store_n(&reader_hi, NKEYS, __ATOMIC_RELEASE);
	while (__atomic_load_n(&reader_phase, __ATOMIC_ACQUIRE) != 1)
		rte_delay_us_sleep(10);
	t1 = rte_get_timer_cycles();
	churn_hot(hot_cycles, &w2);
	t2 = rte_get_timer_cycles();
	/* let the reader see the final state for a moment */
	rte_delay_us_sleep(2000);
	__atomic_store_n(&reader_stop, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	CU_ASSERT_EQUAL(rte_rcu_qsbr_thread_unregister(evf_rcu, 0), 0);
	evf_rcu_drain();
	CU_ASSERT_EQUAL(evf_rcu_pending(), 0);

	printf("\n    writer: %lu inserts, %lu updates, %lu deletes, %lu waits for a grace period, "
	       "%.0f ms; hot home: %lu inserts, %lu updates, %lu deletes, %lu waits, %.0f ms"
	       "\n    reader (CPU %d, writer CPU %d): %" PRIu64 " + %" PRIu64 " hot rounds, %" PRIu64
	       " lookups, %" PRIu64 " hits, %" PRIu64 " foreign, %" PRIu64 " regressed, %" PRIu64
	       " stable misses ",
	       w1.put, w1.upd, w1.del, w1.waits,
	       (double)(t1 - t0) * 1000.0 / (double)rte_get_timer_hz(),
	       w2.put, w2.upd, w2.del, w2.waits,
	       (double)(t2 - t1) * 1000.0 / (double)rte_get_timer_hz(),
	       res.cpu, sched_getcpu(), res.rounds, res.hot_rounds, res.lookups, res.hits,
	       res.foreign, res.regressed, res.stable_miss);
	CU_ASSERT_EQUAL(res.foreign, 0);
	CU_ASSERT_EQUAL(res.regressed, 0);
	CU_ASSERT_EQUAL(res.stable_miss, 0);
	CU_ASSERT(!w1.stuck && !w2.stuck);
	CU_ASSERT(res.rounds >= 2 && res.hot_rounds >= 2);
	CU_ASSERT(res.lookups > 1000);
	CU_ASSERT(res.hits > 0 && res.hits < res.lookups);
	CU_ASSERT(w1.del > 10000 && w1.put > 10000 && w2.del > 10000);
	CU_ASSERT(w1.reclaimed + w2.reclaimed > 0);

	/* the final table is what the writer thinks it is */
	for (unsigned int i = 0; i < NKEYS; i++) {
		bool g = lookup(ckey[i], &d);

		EXPECT(g == cpresent[i] && (!g || d == cdest[i]), "key %u: final state differs\n", i);
	}
	report_failures("concurrent");
}

/* ---- an RCU callback that retires more ----
 * An overflow bucket unlinked by evf_fdb_table_release called from an RCU
 * callback (how fdb_ctl.c's slot_free calls it) is queued with
 * evf_rcu_defer from inside evf_rcu_reclaim; it must wait for a grace
 * period of its own after the unlink, not run in the same reclaim. */
static void
test_nested_defer(void)
{
	struct evf_fdb_table_stats st0, st;
	int64_t p;

	fresh_table(CAP);
	evf_fdb_table_set_multiplier(1);
	for (uint64_t k = 1; k <= EVF_FDB_SLOTS + 1; k++)
		CU_ASSERT_EQUAL_FATAL(evf_fdb_table_put(k, k), 0);
	evf_fdb_table_stats(&st0);
	CU_ASSERT_EQUAL(st0.overflow_buckets, 1);
	CU_ASSERT_EQUAL_FATAL(rte_rcu_qsbr_thread_register(evf_rcu, 0), 0);
	rte_rcu_qsbr_thread_online(evf_rcu, 0);
	p = evf_fdb_table_del(EVF_FDB_SLOTS + 1);
	CU_ASSERT_FATAL(p >= 0);
	evf_rcu_defer(release_cb, NULL, (uint64_t)p);
	CU_ASSERT_EQUAL(evf_rcu_reclaim(), 0);      /* reader 0 not quiescent yet */
	rte_rcu_qsbr_quiescent(evf_rcu, 0);
	CU_ASSERT(evf_rcu_reclaim() >= 1);          /* the slot's grace period is over */
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.overflow_buckets, 0);    /* unlinked */
	/* reader 0 may still be in the unlinked bucket: not in the pool yet */
	CU_ASSERT_EQUAL(st.pool_free, st0.pool_free);
	CU_ASSERT_EQUAL(evf_rcu_pending(), 1);
	/* the next reclaim starts its grace period; reader 0 is still inside */
	CU_ASSERT_EQUAL(evf_rcu_reclaim(), 0);
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.pool_free, st0.pool_free);
	rte_rcu_qsbr_quiescent(evf_rcu, 0);
	CU_ASSERT_EQUAL(evf_rcu_reclaim(), 1);
	evf_fdb_table_stats(&st);
	CU_ASSERT_EQUAL(st.pool_free, st0.pool_free + 1);
	rte_rcu_qsbr_thread_offline(evf_rcu, 0);
	rte_rcu_qsbr_thread_unregister(evf_rcu, 0);
	evf_rcu_drain();
}

/* ---- suite ---- */

static int
suite_init(void)
{
	const char *s = getenv("EVFT_SEED");

	if (evft_up(cfg) != 0)
		return -1;
	runtime_cap = evf_fdb.capacity;
	seed = s != NULL ? strtoull(s, NULL, 0) : rte_rand();
	rng_state = seed;
	printf("\n  seed %" PRIu64 " (EVFT_SEED=%" PRIu64 " replays it)\n", seed, seed);
	return 0;
}

static int
suite_clean(void)
{
	/* leave an empty table of the runtime's size for its teardown */
	evf_rcu_drain();
	evf_fdb_table_fini();
	if (evf_fdb_table_init(runtime_cap) != 0)
		fprintf(stderr, "\n  cannot re-create the runtime's FDB table\n");
	evft_down();
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "model check: 200,000 random operations", test_model },
		{ "model check, multiplier 1 (long chains)", test_model_collide },
		{ "forced collisions: full chain, trim, pool", test_collisions },
		{ "deleted slot not reused before release", test_deleted_not_reused },
		{ "sentinel keys, key 0", test_sentinels },
		{ "concurrent reader", test_concurrent_reader },
		{ "RCU callback retiring more: its own grace period", test_nested_defer },
	};
	size_t n = RTE_DIM(cases);

	(void)argc;
	/* the CPUs we may use, before EAL pins this thread to one of them */
	if (sched_getaffinity(0, sizeof(allowed_cpus), &allowed_cpus) != 0) {
		CPU_ZERO(&allowed_cpus);
		CPU_SET(0, &allowed_cpus);
	}
	evft_eal_init(argv[0]);
	return evft_run("fdb_table", cases, n, suite_init, suite_clean);
}
