/* test_fdb.c: CUnit tests of the FDB (lib/fdb): packed destinations, the
 * control-thread writer API (set/find/redirect/remove, origin accounting),
 * capacity exhaustion, slot reuse only after an RCU grace period (with a
 * reader that has not yet passed a quiescent state), worker lookups (bulk and
 * batched with run de-duplication), per-worker "seen" stamps, VTEP reference
 * counting through FDB entries, flushing by destination and iteration.
 * Runtime: one MAC-VRF with two attachments and no static MACs, FDB of 1024. */
#include <errno.h>
#include <string.h>

#include <rte_rcu_qsbr.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_rcu.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_test_env.h"

/* evf_fdb_set for tests: the entry, or NULL (with the -errno in *err). */
static struct evf_fdb_entry *
fdb_set(uint16_t bd, const struct rte_ether_addr *mac, enum evf_dest_kind kind, uint16_t target,
	enum evf_fdb_origin origin, int *err)
{
	struct evf_fdb_entry *e;
	int rc = evf_fdb_set(bd, mac, kind, target, origin, &e);

	if (err != NULL)
		*err = rc;
	return rc < 0 ? NULL : e;
}

#define CAP 1024

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
	"    attachments: [{port: acc0, vlan: untagged}, {port: acc0, vlan: 10}]\n"
	"  - name: blue\n"
	"    vni: 200\n"
	"    attachments: [{port: acc0, vlan: 20}]\n";

static uint16_t red, blue, a_red0, a_red10, a_blue20;

static int
suite_init(void)
{
	return evft_up(cfg) == 0 ? 0 : -1;
}

static int
suite_clean(void)
{
	evft_down();
	return 0;
}

/* Every test starts from an empty FDB with no retired slot pending. */
static void
fresh(void)
{
	struct evf_fdb_entry *all[CAP];
	unsigned int n = 0;

	for (uint32_t i = 0; i < CAP; i++) {
		struct evf_fdb_entry *e = evf_fdb_entry_at(i);

		if (e != NULL)
			all[n++] = e;
	}
	for (unsigned int i = 0; i < n; i++)
		evf_fdb_remove(all[i]);
	evf_rcu_drain();
	CU_ASSERT_EQUAL_FATAL(evf_fdb_count(), 0);
	CU_ASSERT_EQUAL_FATAL(evf_rcu_pending(), 0);
	red = evft_bd("red");
	blue = evft_bd("blue");
	a_red0 = evft_attach("acc0", 0);
	a_red10 = evft_attach("acc0", 10);
	a_blue20 = evft_attach("acc0", 20);
	CU_ASSERT_FATAL(red != EVF_INVALID_ID && blue != EVF_INVALID_ID && a_blue20 != EVF_INVALID_ID);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 0);
	CU_ASSERT_EQUAL(evf_bd_local_macs(blue), 0);
}

static struct rte_ether_addr
mac_n(uint32_t n)
{
	struct rte_ether_addr a = {{ 0x02, 0x42, (uint8_t)(n >> 24), (uint8_t)(n >> 16),
				      (uint8_t)(n >> 8), (uint8_t)n }};
	return a;
}

/* Worker view of one key: 1 and *dest on a hit, 0 on a miss. */
static int
lookup(uint16_t bd, const struct rte_ether_addr *mac, uint64_t *dest)
{
	struct evf_fdb_key k;
	const struct evf_fdb_key *kp = &k;
	uint64_t hits = 0, d = 0;

	memset(&k, 0, sizeof(k));
	k.mac = *mac;
	k.bd = bd;
	evf_fdb_lookup_bulk(&kp, 1, &hits, &d);
	*dest = d;
	return (int)(hits & 1);
}

/* ---- packed destination ---- */

static void
test_dest_pack(void)
{
	static const struct {
		enum evf_dest_kind kind;
		uint16_t target;
		uint32_t idx;
		uint8_t flags;
	} v[] = {
		{ EVF_DEST_NONE, 0, 0, 0 },
		{ EVF_DEST_ATTACH, 1, 2, 0 },
		{ EVF_DEST_VTEP, 0xffff, 0xffffff, 0xff },
		{ EVF_DEST_ES, 0x8001, 0x800001, EVF_DEST_F_PINNED },
		{ EVF_DEST_VTEP, 4095, 16777215, 0 },
		{ EVF_DEST_ATTACH, 0, 0xffffff, 0 },
		{ EVF_DEST_NONE, 0xffff, 0, 0xff },
	};

	for (size_t i = 0; i < RTE_DIM(v); i++) {
		uint64_t d = evf_dest_make(v[i].kind, v[i].target, v[i].idx, v[i].flags);

		CU_ASSERT_EQUAL(evf_dest_kind(d), v[i].kind);
		CU_ASSERT_EQUAL(evf_dest_target(d), v[i].target);
		CU_ASSERT_EQUAL(evf_dest_index(d), v[i].idx);
		CU_ASSERT_EQUAL(evf_dest_flags(d), v[i].flags);
	}
	/* Field layout: index 0..23, aux 24..31, target 32..47, kind 48..55, flags 56..63. */
	CU_ASSERT_EQUAL(evf_dest_make(EVF_DEST_VTEP, 0x1234, 0xabcdef, 0x5a),
			0x5a02123400abcdefull);
	CU_ASSERT_EQUAL(evf_dest_make_aux(EVF_DEST_ES, 0x1234, 0xabcdef, 0x5a, 0x89),
			0x5a03123489abcdefull);
	CU_ASSERT_EQUAL(evf_dest_aux(0x5a03123489abcdefull), 0x89);
	CU_ASSERT_EQUAL(evf_dest_index(0x5a03123489abcdefull), 0xabcdef);
}

/* ---- writer API ---- */

static void
test_set_find(void)
{
	struct rte_ether_addr a = mac_n(1), b = mac_n(2);
	struct evf_fdb_entry *e, *e2;
	uint64_t d;
	int err = 0;

	fresh();
	evf_now_sec = 1000;
	e = fdb_set(red, &a, EVF_DEST_ATTACH, a_red10, EVF_FDB_LEARNED, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(err, 0);
	CU_ASSERT(rte_is_same_ether_addr(&e->key.mac, &a));
	CU_ASSERT_EQUAL(e->key.bd, red);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(e->in_use, 1);
	CU_ASSERT_EQUAL(e->created, 1000);
	CU_ASSERT_EQUAL(e->last_seen, 1000);
	CU_ASSERT_EQUAL(e->es, EVF_INVALID_ID);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ATTACH);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red10);
	CU_ASSERT_EQUAL(evf_dest_flags(e->dest), 0);
	CU_ASSERT_PTR_EQUAL(evf_fdb_entry_at(evf_dest_index(e->dest)), e);
	CU_ASSERT_PTR_EQUAL(evf_fdb_find(red, &a), e);
	CU_ASSERT_PTR_NULL(evf_fdb_find(blue, &a));
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &b));
	CU_ASSERT_EQUAL(evf_fdb_count(), 1);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 1);
	/* Workers see exactly the entry's packed destination. */
	CU_ASSERT_EQUAL(lookup(red, &a, &d), 1);
	CU_ASSERT_EQUAL(d, e->dest);
	CU_ASSERT_EQUAL(lookup(blue, &a, &d), 0);

	/* Same MAC in another MAC-VRF: a separate entry. Static and EVPN entries are pinned. */
	e2 = fdb_set(blue, &a, EVF_DEST_ATTACH, a_blue20, EVF_FDB_STATIC, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e2);
	CU_ASSERT_PTR_NOT_EQUAL(e2, e);
	CU_ASSERT_NOT_EQUAL(evf_dest_index(e2->dest), evf_dest_index(e->dest));
	CU_ASSERT_EQUAL(evf_dest_flags(e2->dest), EVF_DEST_F_PINNED);
	CU_ASSERT_EQUAL(evf_bd_local_macs(blue), 0);
	CU_ASSERT_EQUAL(evf_fdb_count(), 2);
	CU_ASSERT_EQUAL(lookup(blue, &a, &d), 1);
	CU_ASSERT_EQUAL(d, e2->dest);
	CU_ASSERT_EQUAL(lookup(red, &a, &d), 1);
	CU_ASSERT_EQUAL(d, e->dest);

	/* evf_fdb_set on an existing key updates it in place (same slot). */
	{
		uint32_t idx = evf_dest_index(e->dest);
		struct evf_fdb_entry *e3 = fdb_set(red, &a, EVF_DEST_ATTACH, a_red0,
			EVF_FDB_EVPN, &err);

		CU_ASSERT_PTR_EQUAL(e3, e);
		CU_ASSERT_EQUAL(evf_dest_index(e->dest), idx);
		CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red0);
		/* not pinned: workers report it when seen locally (mobility) */
		CU_ASSERT_EQUAL(evf_dest_flags(e->dest), 0);
		CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
		CU_ASSERT_EQUAL(evf_bd_local_macs(red), 0);   /* no longer a learned MAC */
		CU_ASSERT_EQUAL(evf_fdb_count(), 2);
		CU_ASSERT_EQUAL(lookup(red, &a, &d), 1);
		CU_ASSERT_EQUAL(d, e->dest);
	}
	evf_now_sec = 1;
}

static void
test_redirect(void)
{
	struct rte_ether_addr a = mac_n(7);
	struct evf_fdb_entry *e;
	uint64_t d, before;
	uint32_t idx;

	fresh();
	e = fdb_set(red, &a, EVF_DEST_ATTACH, a_red0, EVF_FDB_EVPN, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	idx = evf_dest_index(e->dest);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 0);

	evf_fdb_redirect(e, EVF_DEST_ATTACH, a_red10, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_index(e->dest), idx);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red10);
	CU_ASSERT_EQUAL(evf_dest_flags(e->dest), 0);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 1);
	CU_ASSERT_EQUAL(lookup(red, &a, &d), 1);
	CU_ASSERT_EQUAL(d, e->dest);

	/* Redirect to what it already is: nothing changes, counts stay. */
	before = e->dest;
	evf_fdb_redirect(e, EVF_DEST_ATTACH, a_red10, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(e->dest, before);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 1);

	/* Learned -> static: pinned, no longer counted. */
	evf_fdb_redirect(e, EVF_DEST_ATTACH, a_red10, EVF_FDB_STATIC);
	CU_ASSERT_EQUAL(evf_dest_flags(e->dest), EVF_DEST_F_PINNED);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 0);
	CU_ASSERT_EQUAL(lookup(red, &a, &d), 1);
	CU_ASSERT_EQUAL(d, e->dest);
	CU_ASSERT_EQUAL(evf_fdb_count(), 1);
}

/* Fill the table to capacity; one more is refused without harm. */
static void
test_capacity(void)
{
	struct rte_ether_addr extra = mac_n(0xffffff);
	unsigned int wrong = 0, miss = 0;
	int err = 0;

	fresh();
	CU_ASSERT_EQUAL(evf_fdb.capacity, CAP);
	for (uint32_t i = 0; i < CAP; i++) {
		struct rte_ether_addr a = mac_n(i);
		struct evf_fdb_entry *e = fdb_set(i & 1 ? red : blue, &a, EVF_DEST_ATTACH,
			(uint16_t)(i % 3), EVF_FDB_STATIC, &err);

		if (e == NULL) {
			fprintf(stderr, "\n    entry %u refused (%d)\n", i, err);
			CU_FAIL_FATAL("table full before capacity");
		}
	}
	CU_ASSERT_EQUAL(evf_fdb_count(), CAP);
	err = 0;
	CU_ASSERT_PTR_NULL(fdb_set(red, &extra, EVF_DEST_ATTACH, 0, EVF_FDB_STATIC, &err));
	CU_ASSERT_EQUAL(err, -ENOSPC);
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &extra));
	CU_ASSERT_PTR_NULL(fdb_set(blue, &extra, EVF_DEST_VTEP, 0, EVF_FDB_EVPN, NULL));
	CU_ASSERT_EQUAL(evf_fdb_count(), CAP);

	/* Every entry intact, for the control and the workers (64 keys per lookup). */
	for (uint32_t base = 0; base < CAP; base += 64) {
		struct evf_fdb_key keys[64];
		const struct evf_fdb_key *kp[64];
		uint64_t hits = 0, dest[64];

		memset(keys, 0, sizeof(keys));
		for (uint32_t j = 0; j < 64; j++) {
			keys[j].mac = mac_n(base + j);
			keys[j].bd = (base + j) & 1 ? red : blue;
			kp[j] = &keys[j];
		}
		evf_fdb_lookup_bulk(kp, 64, &hits, dest);
		for (uint32_t j = 0; j < 64; j++) {
			uint32_t i = base + j;
			struct rte_ether_addr a = mac_n(i);
			struct evf_fdb_entry *e = evf_fdb_find(i & 1 ? red : blue, &a);

			if (!((hits >> j) & 1) || e == NULL) {
				miss++;
				continue;
			}
			if (dest[j] != e->dest || evf_dest_target(e->dest) != i % 3 ||
			    evf_dest_kind(e->dest) != EVF_DEST_ATTACH ||
			    !rte_is_same_ether_addr(&e->key.mac, &a))
				wrong++;
		}
	}
	CU_ASSERT_EQUAL(miss, 0);
	CU_ASSERT_EQUAL(wrong, 0);

	/* Updating an existing key still works when full. */
	{
		struct rte_ether_addr a = mac_n(5);
		struct evf_fdb_entry *e = fdb_set(red, &a, EVF_DEST_ATTACH, a_red10,
			EVF_FDB_STATIC, &err);

		CU_ASSERT_PTR_NOT_NULL(e);
		if (e != NULL)
			CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red10);
	}
}

/* A removed entry's index and hash slot are reused only after a grace
 * period: a worker that has not reported a quiescent state since the removal
 * may still hold the old destination. */
static void
test_reuse_after_grace(void)
{
	struct rte_ether_addr victim = mac_n(10), late = mac_n(0xabcdef);
	struct evf_fdb_entry *e;
	uint32_t idx;
	uint64_t d;
	int err = 0;

	fresh();
	for (uint32_t i = 0; i < CAP; i++) {
		struct rte_ether_addr a = mac_n(i);

		CU_ASSERT_PTR_NOT_NULL_FATAL(fdb_set(red, &a, EVF_DEST_ATTACH, a_red0,
			EVF_FDB_STATIC, NULL));
	}
	e = evf_fdb_find(red, &victim);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	idx = evf_dest_index(e->dest);

	/* Worker 0 is online and inside a read section. */
	CU_ASSERT_EQUAL_FATAL(rte_rcu_qsbr_thread_register(evf_rcu, 0), 0);
	rte_rcu_qsbr_thread_online(evf_rcu, 0);

	evf_fdb_remove(e);
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &victim));
	CU_ASSERT_PTR_NULL(evf_fdb_entry_at(idx));
	CU_ASSERT_EQUAL(lookup(red, &victim, &d), 0);
	CU_ASSERT_EQUAL(e->in_use, 2);
	CU_ASSERT(evf_rcu_pending() >= 1);
	/* Removing twice is harmless. */
	evf_fdb_remove(e);
	CU_ASSERT_EQUAL(e->in_use, 2);

	/* Not reusable yet. */
	CU_ASSERT_PTR_NULL(fdb_set(red, &late, EVF_DEST_ATTACH, a_red0, EVF_FDB_STATIC, &err));
	CU_ASSERT_EQUAL(err, -ENOSPC);
	CU_ASSERT_EQUAL(evf_rcu_reclaim(), 0);
	CU_ASSERT_EQUAL(evf_rcu_reclaim(), 0);
	CU_ASSERT_EQUAL(e->in_use, 2);
	CU_ASSERT_PTR_NULL(fdb_set(red, &late, EVF_DEST_ATTACH, a_red0, EVF_FDB_STATIC, NULL));

	/* The worker passes a quiescent state: the slot comes back. */
	rte_rcu_qsbr_quiescent(evf_rcu, 0);
	CU_ASSERT(evf_rcu_reclaim() >= 1);
	CU_ASSERT_EQUAL(evf_rcu_pending(), 0);
	CU_ASSERT_EQUAL(e->in_use, 0);
	e = fdb_set(red, &late, EVF_DEST_ATTACH, a_red10, EVF_FDB_STATIC, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(evf_dest_index(e->dest), idx);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red10);
	CU_ASSERT_EQUAL(lookup(red, &late, &d), 1);
	CU_ASSERT_EQUAL(d, e->dest);
	CU_ASSERT_EQUAL(lookup(red, &victim, &d), 0);
	CU_ASSERT_EQUAL(evf_fdb_count(), CAP);

	rte_rcu_qsbr_thread_offline(evf_rcu, 0);
	rte_rcu_qsbr_thread_unregister(evf_rcu, 0);

	/* evf_rcu_drain (no reader online) also releases slots at once. */
	e = evf_fdb_find(red, &late);
	evf_fdb_remove(e);
	CU_ASSERT_PTR_NULL(fdb_set(red, &victim, EVF_DEST_ATTACH, a_red0, EVF_FDB_STATIC, NULL));
	evf_rcu_drain();
	CU_ASSERT_PTR_NOT_NULL(fdb_set(red, &victim, EVF_DEST_ATTACH, a_red0, EVF_FDB_STATIC,
		NULL));
}

/* 64 keys, mixed hits and misses, through the bulk lookup and the batch. */
static void
test_bulk_lookup(void)
{
	struct evf_fdb_key keys[64];
	const struct evf_fdb_key *kp[64];
	struct evf_fdb_entry *ent[64];
	uint64_t hits = 0, dest[64], want_hits = 0;

	fresh();
	memset(keys, 0, sizeof(keys));
	memset(ent, 0, sizeof(ent));
	for (uint32_t i = 0; i < 64; i++) {
		keys[i].mac = mac_n(0x100 + i);
		keys[i].bd = i < 32 ? red : blue;
		kp[i] = &keys[i];
		if (i % 3 != 1 && i != 62) {
			ent[i] = fdb_set(keys[i].bd, &keys[i].mac,
				i & 4 ? EVF_DEST_VTEP : EVF_DEST_ATTACH, (uint16_t)(i * 7),
				EVF_FDB_EVPN, NULL);
			CU_ASSERT_PTR_NOT_NULL_FATAL(ent[i]);
			want_hits |= 1ull << i;
		}
	}
	/* One key in the other MAC-VRF only: a miss for this one. */
	{
		struct rte_ether_addr a = mac_n(0x100 + 1);

		CU_ASSERT_PTR_NOT_NULL(fdb_set(blue, &a, EVF_DEST_ATTACH, 1, EVF_FDB_EVPN, NULL));
	}
	evf_fdb_lookup_bulk(kp, 64, &hits, dest);
	CU_ASSERT_EQUAL(hits, want_hits);
	for (uint32_t i = 0; i < 64; i++)
		if (ent[i] != NULL)
			CU_ASSERT_EQUAL(dest[i], ent[i]->dest);

	/* The batch the data path uses: consecutive repeats of a run's key are
	 * looked up once and share a result slot. */
	{
		struct evf_fdb_batch b;
		struct evf_fdb_run r;
		uint8_t slot[96];
		uint32_t n = 0;

		evf_fdb_batch_init(&b);
		evf_fdb_run_init(&r);
		for (uint32_t i = 0; i < 64; i++) {
			uint64_t key = evf_fdb_key_u64(&keys[i].mac, keys[i].bd);

			slot[n++] = evf_fdb_batch_add(&b, &r, key);
			if (i % 2 == 0)
				slot[n++] = evf_fdb_batch_add(&b, &r, key); /* repeat */
		}
		CU_ASSERT_EQUAL(b.n, 64);
		n = 0;
		for (uint32_t i = 0; i < 64; i++) {
			for (int rep = 0; rep < (i % 2 == 0 ? 2 : 1); rep++, n++) {
				uint64_t dest = 0;

				CU_ASSERT_EQUAL(slot[n], i);
				CU_ASSERT_EQUAL(evf_fdb_batch_find(&b, slot[n], &dest), ent[i] != NULL);
				if (ent[i] != NULL)
					CU_ASSERT_EQUAL(dest, ent[i]->dest);
			}
		}
	}
	/* The key word is the struct key, byte for byte. */
	{
		struct evf_fdb_key k;
		uint64_t w;

		memset(&k, 0, sizeof(k));
		k.mac = mac_n(0x123456);
		k.bd = 0x0bad;
		memcpy(&w, &k, sizeof(w));
		CU_ASSERT_EQUAL(evf_fdb_key_u64(&k.mac, k.bd), w);
	}
}

/* ---- VTEP references held by FDB entries ---- */

static void
test_vtep_refcount(void)
{
	struct evf_ip ip1 = evft_ip("198.18.0.21"), ip2 = evft_ip("198.18.0.22");
	struct rte_ether_addr a = mac_n(0x501), b = mac_n(0x502), c = mac_n(0x503);
	struct evf_fdb_entry *ea, *eb, *ec;
	uint32_t vteps0 = evf_vtep_count();
	int v1, v2;

	fresh();
	v1 = evf_vtep_get(&ip1);
	CU_ASSERT_FATAL(v1 >= 0);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 1);
	CU_ASSERT_EQUAL(evf_vteps[v1].in_use, 1);
	CU_ASSERT_EQUAL(evf_vtep_count(), vteps0 + 1);

	ea = fdb_set(red, &a, EVF_DEST_VTEP, (uint16_t)v1, EVF_FDB_EVPN, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ea);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 2);
	evf_vtep_put((uint16_t)v1);                 /* the entry holds the VTEP now */
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 1);
	CU_ASSERT_EQUAL(evf_vtep_find(&ip1), v1);
	eb = fdb_set(blue, &b, EVF_DEST_VTEP, (uint16_t)v1, EVF_FDB_EVPN, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(eb);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 2);
	/* Re-setting the same destination takes no new reference. */
	CU_ASSERT_PTR_EQUAL(fdb_set(blue, &b, EVF_DEST_VTEP, (uint16_t)v1, EVF_FDB_EVPN, NULL), eb);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 2);

	/* Move a to another VTEP: the reference moves with it. */
	v2 = evf_vtep_get(&ip2);
	CU_ASSERT_FATAL(v2 >= 0 && v2 != v1);
	evf_fdb_redirect(ea, EVF_DEST_VTEP, (uint16_t)v2, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 1);
	CU_ASSERT_EQUAL(evf_vteps[v2].refcnt, 2);
	evf_vtep_put((uint16_t)v2);
	CU_ASSERT_EQUAL(evf_vteps[v2].refcnt, 1);
	/* Origin-only change, same packed destination (both pinned): count stays. */
	evf_fdb_redirect(ea, EVF_DEST_VTEP, (uint16_t)v2, EVF_FDB_STATIC);
	CU_ASSERT_EQUAL(evf_vteps[v2].refcnt, 1);

	/* Local destination for c: no VTEP reference. */
	ec = fdb_set(red, &c, EVF_DEST_ATTACH, a_red0, EVF_FDB_EVPN, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ec);
	evf_fdb_redirect(ec, EVF_DEST_VTEP, (uint16_t)v1, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 2);
	evf_fdb_redirect(ec, EVF_DEST_ATTACH, a_red0, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 1);

	/* Last entry on v1 goes: unreachable for the control at once, but the
	 * slot (and its templates) stays until the grace period is over. */
	evf_fdb_remove(eb);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 0);
	CU_ASSERT_EQUAL(evf_vtep_find(&ip1), -ENOENT);
	CU_ASSERT_EQUAL(evf_vteps[v1].in_use, 1);
	CU_ASSERT_EQUAL(evf_vtep_count(), vteps0 + 1);
	evf_rcu_drain();
	CU_ASSERT_EQUAL(evf_vteps[v1].in_use, 0);
	CU_ASSERT_EQUAL(evf_vteps[v2].in_use, 1);
	CU_ASSERT_EQUAL(evf_vteps[v2].refcnt, 1);
	/* Extra puts on a dead VTEP are ignored. */
	evf_vtep_put((uint16_t)v1);
	CU_ASSERT_EQUAL(evf_vteps[v1].refcnt, 0);

	evf_fdb_remove(ea);
	CU_ASSERT_EQUAL(evf_vteps[v2].refcnt, 0);
	evf_fdb_remove(ec);
	evf_rcu_drain();
	CU_ASSERT_EQUAL(evf_vteps[v2].in_use, 0);
	CU_ASSERT_EQUAL(evf_vtep_count(), vteps0);
}

static void
test_flush_dest(void)
{
	struct evf_ip ipa = evft_ip("198.18.0.31"), ipb = evft_ip("198.18.0.32");
	int va, vb;
	uint32_t n;

	fresh();
	va = evf_vtep_get(&ipa);
	vb = evf_vtep_get(&ipb);
	CU_ASSERT_FATAL(va >= 0 && vb >= 0);
	for (uint32_t i = 0; i < 5; i++) {
		struct rte_ether_addr m = mac_n(0x600 + i);
		CU_ASSERT_PTR_NOT_NULL(fdb_set(i & 1 ? red : blue, &m, EVF_DEST_VTEP, (uint16_t)va,
			EVF_FDB_EVPN, NULL));
	}
	for (uint32_t i = 0; i < 3; i++) {
		struct rte_ether_addr m = mac_n(0x700 + i);
		CU_ASSERT_PTR_NOT_NULL(fdb_set(red, &m, EVF_DEST_VTEP, (uint16_t)vb, EVF_FDB_EVPN,
			NULL));
	}
	for (uint32_t i = 0; i < 4; i++) {
		struct rte_ether_addr m = mac_n(0x800 + i);
		CU_ASSERT_PTR_NOT_NULL(fdb_set(red, &m, EVF_DEST_ATTACH, a_red10, EVF_FDB_LEARNED,
			NULL));
	}
	/* An attachment id equal to va's id must not be taken for the VTEP. */
	{
		struct rte_ether_addr m = mac_n(0x900);
		CU_ASSERT_PTR_NOT_NULL(fdb_set(red, &m, EVF_DEST_ATTACH, (uint16_t)va,
			EVF_FDB_STATIC, NULL));
	}
	evf_vtep_put((uint16_t)va);
	evf_vtep_put((uint16_t)vb);
	CU_ASSERT_EQUAL(evf_vteps[va].refcnt, 5);
	CU_ASSERT_EQUAL(evf_vteps[vb].refcnt, 3);
	CU_ASSERT_EQUAL(evf_fdb_count(), 13);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 4);

	n = evf_fdb_flush_dest(EVF_DEST_VTEP, (uint16_t)va);
	CU_ASSERT_EQUAL(n, 5);
	for (uint32_t i = 0; i < 5; i++) {
		struct rte_ether_addr m = mac_n(0x600 + i);
		CU_ASSERT_PTR_NULL(evf_fdb_find(i & 1 ? red : blue, &m));
	}
	CU_ASSERT_EQUAL(evf_vteps[va].refcnt, 0);
	CU_ASSERT_EQUAL(evf_vteps[vb].refcnt, 3);
	{
		struct rte_ether_addr m = mac_n(0x900);
		CU_ASSERT_PTR_NOT_NULL(evf_fdb_find(red, &m));
	}
	CU_ASSERT_EQUAL(evf_fdb_flush_dest(EVF_DEST_VTEP, (uint16_t)va), 0);

	/* (the 0x900 entry goes too when va happens to equal a_red10) */
	n = evf_fdb_flush_dest(EVF_DEST_ATTACH, a_red10);
	CU_ASSERT_EQUAL(n, 4u + (va == a_red10));
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 0);
	for (uint32_t i = 0; i < 3; i++) {
		struct rte_ether_addr m = mac_n(0x700 + i);
		struct evf_fdb_entry *e = evf_fdb_find(red, &m);

		CU_ASSERT_PTR_NOT_NULL(e);
		if (e != NULL)
			CU_ASSERT_EQUAL(evf_dest_target(e->dest), vb);
	}
	evf_rcu_drain();
	CU_ASSERT_EQUAL(evf_fdb_count(), 4u - (va == a_red10));
	CU_ASSERT_EQUAL(evf_vteps[va].in_use, 0);
	CU_ASSERT_EQUAL(evf_vteps[vb].in_use, 1);
}

struct visit {
	unsigned int n;
	uint32_t last_idx;
	bool ordered;
	uint16_t bd_seen_mask;
};

static void
visit_fn(struct evf_fdb_entry *e, void *arg)
{
	struct visit *v = arg;

	if (v->n && evf_dest_index(e->dest) <= v->last_idx)
		v->ordered = false;
	v->last_idx = evf_dest_index(e->dest);
	v->bd_seen_mask |= (uint16_t)(1u << e->key.bd);
	v->n++;
}

static void
test_foreach_and_seen(void)
{
	struct visit v;
	struct evf_fdb_entry *e;
	struct rte_ether_addr a;

	fresh();
	for (uint32_t i = 0; i < 10; i++) {
		a = mac_n(0xa00 + i);
		CU_ASSERT_PTR_NOT_NULL(fdb_set(i < 4 ? red : blue, &a, EVF_DEST_ATTACH, 0,
			EVF_FDB_STATIC, NULL));
	}
	/* A removed entry (waiting for its grace period) is not visited. */
	a = mac_n(0xa00);
	evf_fdb_remove(evf_fdb_find(red, &a));

	memset(&v, 0, sizeof(v));
	v.ordered = true;
	evf_fdb_foreach(EVF_INVALID_ID, visit_fn, &v);
	CU_ASSERT_EQUAL(v.n, 9);
	CU_ASSERT(v.ordered);
	memset(&v, 0, sizeof(v));
	v.ordered = true;
	evf_fdb_foreach(red, visit_fn, &v);
	CU_ASSERT_EQUAL(v.n, 3);
	CU_ASSERT_EQUAL(v.bd_seen_mask, 1u << red);
	memset(&v, 0, sizeof(v));
	evf_fdb_foreach(blue, visit_fn, &v);
	CU_ASSERT_EQUAL(v.n, 6);
	CU_ASSERT_EQUAL(v.bd_seen_mask, 1u << blue);

	/* Last seen: the latest of the control's record and the workers' stamps. */
	evf_now_sec = 50;
	a = mac_n(0xa05);
	e = evf_fdb_find(blue, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	e->last_seen = 50;
	CU_ASSERT_EQUAL(evf_fdb_last_seen(e), 50);
	evf_fdb_touch(0, e->dest, 70);
	CU_ASSERT_EQUAL(evf_fdb.seen[0][evf_dest_index(e->dest)], 70);
	CU_ASSERT_EQUAL(evf_fdb_last_seen(e), 70);
	evf_fdb_touch(0, e->dest, 60);
	CU_ASSERT_EQUAL(evf_fdb_last_seen(e), 60);
	e->last_seen = 90;
	CU_ASSERT_EQUAL(evf_fdb_last_seen(e), 90);
	evf_now_sec = 1;
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "packed destination", test_dest_pack },
		{ "set, find, worker lookup", test_set_find },
		{ "redirect and origin accounting", test_redirect },
		{ "capacity exhaustion", test_capacity },
		{ "slot reuse only after a grace period", test_reuse_after_grace },
		{ "64-key bulk lookup and batch", test_bulk_lookup },
		{ "VTEP reference counting", test_vtep_refcount },
		{ "flush by destination", test_flush_dest },
		{ "foreach, last seen", test_foreach_and_seen },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("fdb", cases, RTE_DIM(cases), suite_init, suite_clean);
}
