/* test_learn.c: CUnit tests of MAC learning and aging on the control thread
 * (evf_fdb_learn, evf_fdb_age): NEW, REFRESHED, MOVED (also from an EVPN
 * entry), LIMIT at the MAC-VRF's mac-limit with bd->at_limit following the
 * local MAC count up and down, FULL, IGNORED for static and frozen entries,
 * learning disabled, an attachment of another MAC-VRF, bad MACs and ids; and
 * aging with a controlled clock (evf_now_sec), including worker "seen"
 * stamps keeping entries alive, mac-aging 0, static entries and the scan
 * budget. The clock only moves forward, from test to test as well. */
#include <string.h>

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
#define REMOTE_MAC "00:00:5e:00:53:01"

static const char cfg[] =
	"node:\n"
	"  vtep-ipv4: 198.18.0.1\n"
	"  mac: 02:00:00:00:00:01\n"
	"  fdb-capacity: 1024\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_l0, role: network, next-hop-mac: 02:00:00:00:00:fe,\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_l1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc1, device: net_ring_l2, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: red\n"
	"    vni: 100\n"
	"    mac-limit: 3\n"
	"    mac-aging: 10\n"
	"    attachments: [{port: acc0, vlan: untagged}, {port: acc1, vlan: 10}]\n"
	"    remote-macs: [{mac: " REMOTE_MAC ", vtep: 198.18.0.2}]\n"
	"  - name: blue\n"
	"    vni: 200\n"
	"    learning: false\n"
	"    attachments: [{port: acc1, vlan: 20}]\n"
	"  - name: green\n"
	"    vni: 300\n"
	"    mac-aging: 0\n"
	"    attachments: [{port: acc1, vlan: 30}]\n"
	"  - name: big\n"
	"    vni: 400\n"
	"    attachments: [{port: acc1, vlan: 40}]\n";

static uint16_t red, blue, green, big, a_red0, a_red10, a_blue, a_green, a_big;
static uint32_t T = 1000; /* the test clock: only moves forward */

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

static void
set_now(uint32_t t)
{
	evf_now_sec = t;
}

/* Remove every learned entry, let grace periods pass, move the clock on. */
static void
fresh(void)
{
	for (uint32_t i = 0; i < CAP; i++) {
		struct evf_fdb_entry *e = evf_fdb_entry_at(i);

		if (e != NULL && e->origin != EVF_FDB_STATIC)
			evf_fdb_remove(e);
	}
	evf_rcu_drain();
	red = evft_bd("red");
	blue = evft_bd("blue");
	green = evft_bd("green");
	big = evft_bd("big");
	a_red0 = evft_attach("acc0", 0);
	a_red10 = evft_attach("acc1", 10);
	a_blue = evft_attach("acc1", 20);
	a_green = evft_attach("acc1", 30);
	a_big = evft_attach("acc1", 40);
	CU_ASSERT_FATAL(big != EVF_INVALID_ID && a_big != EVF_INVALID_ID && a_red10 != EVF_INVALID_ID);
	CU_ASSERT_EQUAL_FATAL(evf_bd_local_macs(red), 0);
	CU_ASSERT_EQUAL_FATAL(evf_bds[red].at_limit, 0);
	T += 100000;
	set_now(T);
}

static struct rte_ether_addr
mac_n(uint32_t n)
{
	struct rte_ether_addr a = {{ 0x02, 0x11, (uint8_t)(n >> 24), (uint8_t)(n >> 16),
				      (uint8_t)(n >> 8), (uint8_t)n }};
	return a;
}

static enum evf_learn_result
learn(uint16_t bd, uint16_t attach, const struct rte_ether_addr *mac)
{
	struct evf_learn_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.mac = *mac;
	ev.bd = bd;
	ev.attach = attach;
	ev.worker = 0;
	return evf_fdb_learn(&ev);
}

static const char *
res_name(enum evf_learn_result r)
{
	static const char *const n[] = { "NEW", "MOVED", "REFRESHED", "LIMIT", "FULL", "IGNORED" };

	return (unsigned int)r < RTE_DIM(n) ? n[r] : "?";
}

#define EXPECT_LEARN(call, want) do {                                          \
		enum evf_learn_result r_ = (call);                             \
		if (r_ != (want))                                              \
			fprintf(stderr, "\n    %s:%d: learn gave %s, expected %s\n", \
				__FILE__, __LINE__, res_name(r_), res_name(want)); \
		CU_ASSERT_EQUAL(r_, (want));                                   \
	} while (0)

static void
check_local(const struct rte_ether_addr *mac, uint16_t bd, uint16_t attach)
{
	struct evf_fdb_entry *e = evf_fdb_find(bd, mac);
	struct evf_fdb_key k;
	const struct evf_fdb_key *kp = &k;
	uint64_t hits = 0, d = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ATTACH);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), attach);
	CU_ASSERT_EQUAL(evf_dest_flags(e->dest), 0);
	memset(&k, 0, sizeof(k));
	k.mac = *mac;
	k.bd = bd;
	evf_fdb_lookup_bulk(&kp, 1, &hits, &d);
	CU_ASSERT_EQUAL(hits, 1);
	CU_ASSERT_EQUAL(d, e->dest);
}

/* ---- learning ---- */

static void
test_new_refresh_move(void)
{
	struct rte_ether_addr m = mac_n(1);
	struct evf_learn_counters c0;
	struct evf_fdb_entry *e;
	uint32_t idx;

	fresh();
	c0 = evf_learn_counters;
	EXPECT_LEARN(learn(red, a_red0, &m), EVF_LEARN_NEW);
	check_local(&m, red, a_red0);
	e = evf_fdb_find(red, &m);
	idx = evf_dest_index(e->dest);
	CU_ASSERT_EQUAL(e->created, T);
	CU_ASSERT_EQUAL(e->last_seen, T);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 1);
	CU_ASSERT_EQUAL(evf_learn_counters.events, c0.events + 1);
	CU_ASSERT_EQUAL(evf_learn_counters.learned, c0.learned + 1);

	set_now(T + 5);
	EXPECT_LEARN(learn(red, a_red0, &m), EVF_LEARN_REFRESHED);
	CU_ASSERT_EQUAL(e->last_seen, T + 5);
	CU_ASSERT_EQUAL(e->created, T);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 1);
	CU_ASSERT_EQUAL(evf_learn_counters.refreshed, c0.refreshed + 1);

	set_now(T + 7);
	EXPECT_LEARN(learn(red, a_red10, &m), EVF_LEARN_MOVED);
	check_local(&m, red, a_red10);
	CU_ASSERT_EQUAL(evf_dest_index(e->dest), idx);
	CU_ASSERT_EQUAL(e->last_seen, T + 7);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 1);
	CU_ASSERT_EQUAL(evf_learn_counters.moved, c0.moved + 1);
	/* And back. */
	EXPECT_LEARN(learn(red, a_red0, &m), EVF_LEARN_MOVED);
	check_local(&m, red, a_red0);
	CU_ASSERT_EQUAL(evf_learn_counters.events, c0.events + 4);
	CU_ASSERT_EQUAL(evf_fdb_count(), 2); /* + the static remote MAC */
}

static void
test_ignored(void)
{
	struct rte_ether_addr remote = evft_mac(REMOTE_MAC), st = mac_n(0x51), fz = mac_n(0x52);
	struct rte_ether_addr m = mac_n(2);
	static const char *const bad[] = {
		"01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "03:00:00:00:00:01",
		"33:33:00:00:00:01",
	};
	struct evf_learn_counters c0;
	struct evf_fdb_entry *e;
	uint64_t before;
	unsigned int ignored = 0;

	fresh();
	c0 = evf_learn_counters;

	/* Static remote MAC (config remote-macs): stays on its VTEP. */
	e = evf_fdb_find(red, &remote);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_STATIC);
	before = e->dest;
	EXPECT_LEARN(learn(red, a_red0, &remote), EVF_LEARN_IGNORED);
	ignored++;
	CU_ASSERT_EQUAL(e->dest, before);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_VTEP);

	/* Static local MAC on another attachment. */
	e = fdb_set(red, &st, EVF_DEST_ATTACH, a_red10, EVF_FDB_STATIC, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	before = e->dest;
	EXPECT_LEARN(learn(red, a_red0, &st), EVF_LEARN_IGNORED);
	EXPECT_LEARN(learn(red, a_red10, &st), EVF_LEARN_IGNORED);
	ignored += 2;
	CU_ASSERT_EQUAL(e->dest, before);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_STATIC);
	evf_fdb_remove(e);

	/* Frozen learned entry. */
	EXPECT_LEARN(learn(red, a_red0, &fz), EVF_LEARN_NEW);
	e = evf_fdb_find(red, &fz);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	e->frozen = 1;
	EXPECT_LEARN(learn(red, a_red10, &fz), EVF_LEARN_IGNORED);
	ignored++;
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red0);
	e->frozen = 0;
	evf_fdb_remove(e);

	/* Learning disabled. */
	EXPECT_LEARN(learn(blue, a_blue, &m), EVF_LEARN_IGNORED);
	ignored++;
	CU_ASSERT_PTR_NULL(evf_fdb_find(blue, &m));
	/* Attachment of another MAC-VRF (both directions). */
	EXPECT_LEARN(learn(red, a_blue, &m), EVF_LEARN_IGNORED);
	EXPECT_LEARN(learn(green, a_red0, &m), EVF_LEARN_IGNORED);
	EXPECT_LEARN(learn(big, a_green, &m), EVF_LEARN_IGNORED);
	ignored += 3;
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &m));
	CU_ASSERT_PTR_NULL(evf_fdb_find(green, &m));
	CU_ASSERT_PTR_NULL(evf_fdb_find(big, &m));
	/* Ids out of range. */
	EXPECT_LEARN(learn(evf_nb_bds, a_red0, &m), EVF_LEARN_IGNORED);
	EXPECT_LEARN(learn(EVF_INVALID_ID, a_red0, &m), EVF_LEARN_IGNORED);
	EXPECT_LEARN(learn(red, evf_nb_attachs, &m), EVF_LEARN_IGNORED);
	EXPECT_LEARN(learn(red, EVF_INVALID_ID, &m), EVF_LEARN_IGNORED);
	ignored += 4;
	/* Group, broadcast and zero MACs. */
	for (size_t i = 0; i < RTE_DIM(bad); i++) {
		struct rte_ether_addr b = evft_mac(bad[i]);

		EXPECT_LEARN(learn(red, a_red0, &b), EVF_LEARN_IGNORED);
		CU_ASSERT_PTR_NULL(evf_fdb_find(red, &b));
		ignored++;
	}
	CU_ASSERT_EQUAL(evf_learn_counters.ignored, c0.ignored + ignored);
	CU_ASSERT_EQUAL(evf_learn_counters.learned, c0.learned + 1);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 0);
	CU_ASSERT_EQUAL(evf_bd_local_macs(blue), 0);
}

/* A MAC known from EVPN and now seen locally: local wins, higher sequence. */
static void
test_move_from_evpn(void)
{
	struct evf_ip ip = evft_ip("198.18.0.77");
	struct rte_ether_addr m = mac_n(0x61);
	struct evf_fdb_entry *e;
	int v;

	fresh();
	/* An RT2 route with mobility sequence 41 makes the MAC remote. */
	CU_ASSERT_EQUAL_FATAL(evf_fdb_rt2(big, &m, &ip, 0, EVF_INVALID_ID, 0, 41, false, true, 0), 0);
	e = evf_fdb_find(big, &m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	v = evf_vtep_find(&ip);
	CU_ASSERT_FATAL(v >= 0);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_VTEP);
	CU_ASSERT_EQUAL(evf_vteps[v].refcnt, 2); /* the route and the destination */
	CU_ASSERT_EQUAL(evf_bd_local_macs(big), 0);
	EXPECT_LEARN(learn(big, a_big, &m), EVF_LEARN_MOVED);
	check_local(&m, big, a_big);
	CU_ASSERT_EQUAL(e->seq, 42); /* the remote sequence + 1 (RFC 7432 15) */
	CU_ASSERT_EQUAL(evf_bd_local_macs(big), 1);
	CU_ASSERT_EQUAL(evf_vteps[v].refcnt, 1); /* the route is kept while local wins */
	CU_ASSERT_EQUAL(evf_fdb_rt2(big, &m, &ip, 0, EVF_INVALID_ID, 0, 41, false, false, 0), 0);
	CU_ASSERT_EQUAL(evf_vteps[v].refcnt, 0);
	check_local(&m, big, a_big);
	evf_rcu_drain();
	CU_ASSERT_EQUAL(evf_vteps[v].in_use, 0);
}

/* mac-limit 3 on red: the flag follows the local MAC count both ways. */
static void
test_mac_limit(void)
{
	struct rte_ether_addr m[5];
	struct evf_learn_counters c0;
	struct evf_fdb_entry *e;

	fresh();
	c0 = evf_learn_counters;
	for (int i = 0; i < 5; i++)
		m[i] = mac_n(0x100 + (uint32_t)i);
	EXPECT_LEARN(learn(red, a_red0, &m[0]), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 0);
	EXPECT_LEARN(learn(red, a_red10, &m[1]), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 0);
	EXPECT_LEARN(learn(red, a_red0, &m[2]), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 1);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 3);
	CU_ASSERT(evf_bd_limit_reached(red));
	/* The 4th is refused; known MACs still refresh and move. */
	EXPECT_LEARN(learn(red, a_red0, &m[3]), EVF_LEARN_LIMIT);
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &m[3]));
	EXPECT_LEARN(learn(red, a_red0, &m[0]), EVF_LEARN_REFRESHED);
	EXPECT_LEARN(learn(red, a_red0, &m[1]), EVF_LEARN_MOVED);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 3);
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 1);
	CU_ASSERT_EQUAL(evf_learn_counters.limit, c0.limit + 1);
	/* Static entries do not count. */
	{
		struct rte_ether_addr remote = evft_mac(REMOTE_MAC);

		CU_ASSERT_PTR_NOT_NULL(evf_fdb_find(red, &remote));
	}

	/* Removal drops below the limit: flag off, learning resumes. */
	evf_fdb_remove(evf_fdb_find(red, &m[2]));
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 0);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 2);
	EXPECT_LEARN(learn(red, a_red0, &m[3]), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 1);

	/* A learned MAC turned into an EVPN one no longer counts. */
	e = fdb_set(red, &m[3], EVF_DEST_ATTACH, a_red10, EVF_FDB_EVPN, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 2);
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 0);
	EXPECT_LEARN(learn(red, a_red10, &m[4]), EVF_LEARN_NEW);
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 1);

	/* Aging below the limit turns the flag off too. */
	set_now(T + 10);
	CU_ASSERT_EQUAL(evf_fdb_age(T + 10, CAP), 3);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 0);
	CU_ASSERT_EQUAL(evf_bds[red].at_limit, 0);

	/* No limit elsewhere. */
	for (uint32_t i = 0; i < 20; i++) {
		struct rte_ether_addr x = mac_n(0x200 + i);
		EXPECT_LEARN(learn(big, a_big, &x), EVF_LEARN_NEW);
	}
	CU_ASSERT_EQUAL(evf_bds[big].at_limit, 0);
	CU_ASSERT_EQUAL(evf_bd_local_macs(big), 20);
}

static void
test_fdb_full(void)
{
	struct evf_learn_counters c0;
	struct rte_ether_addr m = mac_n(0xfffff);
	uint32_t n = 0;

	fresh();
	while (evf_fdb_count() < CAP) {
		struct rte_ether_addr x = mac_n(0x10000 + n++);

		CU_ASSERT_PTR_NOT_NULL_FATAL(fdb_set(big, &x, EVF_DEST_ATTACH, a_big, EVF_FDB_EVPN,
			NULL));
	}
	c0 = evf_learn_counters;
	EXPECT_LEARN(learn(big, a_big, &m), EVF_LEARN_FULL);
	CU_ASSERT_EQUAL(evf_learn_counters.full, c0.full + 1);
	CU_ASSERT_PTR_NULL(evf_fdb_find(big, &m));
	CU_ASSERT_EQUAL(evf_bd_local_macs(big), 0);
	/* A known (EVPN) MAC still moves when full. */
	{
		struct rte_ether_addr x = mac_n(0x10000);
		EXPECT_LEARN(learn(big, a_big, &x), EVF_LEARN_MOVED);
	}
}

/* ---- aging ---- */

static void
test_aging(void)
{
	struct rte_ether_addr m1 = mac_n(0x301), m2 = mac_n(0x302), m3 = mac_n(0x303);
	struct rte_ether_addr g = mac_n(0x304), remote = evft_mac(REMOTE_MAC);
	struct evf_learn_counters c0;
	struct evf_fdb_entry *e2;

	fresh();
	c0 = evf_learn_counters;
	EXPECT_LEARN(learn(red, a_red0, &m1), EVF_LEARN_NEW);
	EXPECT_LEARN(learn(red, a_red10, &m2), EVF_LEARN_NEW);
	EXPECT_LEARN(learn(green, a_green, &g), EVF_LEARN_NEW);
	e2 = evf_fdb_find(red, &m2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e2);

	/* mac-aging 10: nothing before 10 s. */
	CU_ASSERT_EQUAL(evf_fdb_age(T + 9, CAP), 0);
	CU_ASSERT_PTR_NOT_NULL(evf_fdb_find(red, &m1));
	/* Worker 0 saw m2 at T+5: m1 goes at T+10, m2 stays until T+15. */
	evf_fdb_touch(0, e2->dest, T + 5);
	set_now(T + 10);
	CU_ASSERT_EQUAL(evf_fdb_age(T + 10, CAP), 1);
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &m1));
	CU_ASSERT_PTR_NOT_NULL(evf_fdb_find(red, &m2));
	CU_ASSERT_EQUAL(evf_learn_counters.aged, c0.aged + 1);
	CU_ASSERT_EQUAL(evf_bd_local_macs(red), 1);
	set_now(T + 14);
	CU_ASSERT_EQUAL(evf_fdb_age(T + 14, CAP), 0);
	set_now(T + 15);
	CU_ASSERT_EQUAL(evf_fdb_age(T + 15, CAP), 1);
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &m2));

	/* A control-side refresh (learn event) also keeps it. */
	EXPECT_LEARN(learn(red, a_red0, &m3), EVF_LEARN_NEW);   /* at T+15 */
	set_now(T + 23);
	EXPECT_LEARN(learn(red, a_red0, &m3), EVF_LEARN_REFRESHED);
	set_now(T + 32);
	CU_ASSERT_EQUAL(evf_fdb_age(T + 32, CAP), 0);
	set_now(T + 33);
	CU_ASSERT_EQUAL(evf_fdb_age(T + 33, CAP), 1);
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &m3));

	/* mac-aging 0 never ages; static entries never age. */
	set_now(T + 86400 * 100);
	CU_ASSERT_EQUAL(evf_fdb_age(T + 86400 * 100, CAP), 0);
	CU_ASSERT_PTR_NOT_NULL(evf_fdb_find(green, &g));
	CU_ASSERT_PTR_NOT_NULL(evf_fdb_find(red, &remote));
	CU_ASSERT_EQUAL(evf_learn_counters.aged, c0.aged + 3);
	T += 86400 * 100;
}

/* The scan budget: each call looks at no more than budget entries, and
 * repeated calls cover the whole table. */
static void
test_aging_budget(void)
{
	uint32_t removed = 0, calls = 0;

	fresh();
	for (uint32_t i = 0; i < 8; i++) {
		struct rte_ether_addr x = mac_n(0x400 + i);
		EXPECT_LEARN(learn(big, a_big, &x), EVF_LEARN_NEW);
	}
	set_now(T + 300);
	for (uint32_t i = 0; i < CAP; i++) {
		uint32_t r = evf_fdb_age(T + 300, 1);

		CU_ASSERT(r <= 1);
		removed += r;
		calls++;
	}
	CU_ASSERT_EQUAL(removed, 8);
	CU_ASSERT_EQUAL(evf_bd_local_macs(big), 0);
	/* Budget 0 does nothing. */
	{
		struct rte_ether_addr x = mac_n(0x500);
		EXPECT_LEARN(learn(big, a_big, &x), EVF_LEARN_NEW);
		set_now(T + 1000);
		CU_ASSERT_EQUAL(evf_fdb_age(T + 1000, 0), 0);
		CU_ASSERT_PTR_NOT_NULL(evf_fdb_find(big, &x));
		CU_ASSERT_EQUAL(evf_fdb_age(T + 1000, CAP), 1);
	}
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "new, refreshed, moved", test_new_refresh_move },
		{ "ignored events", test_ignored },
		{ "moved from an EVPN entry", test_move_from_evpn },
		{ "mac-limit and at_limit", test_mac_limit },
		{ "FDB full", test_fdb_full },
		{ "aging with worker stamps and refreshes", test_aging },
		{ "aging scan budget", test_aging_budget },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("learn", cases, RTE_DIM(cases), suite_init, suite_clean);
}
