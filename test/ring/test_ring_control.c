/* test_ring_control.c: CUnit tests of the control records of the routes ring
 * (SYNC-BEGIN, SYNC-END, HEARTBEAT): evf_ring_check_control in
 * lib/ring/ring_codec.c and what evfwd's consumer (evf_ring_poll) does with
 * them, on a brought-up runtime (test/unit/evf_test_env.c) with the ring in
 * plain memory. doc/ring-abi.md: "type (16, 17, 18), the seal and optionally
 * ts_ns; every other byte (9..79 and 88..127) must be zero", checked in the
 * order flags, op, the other bytes (section 4.2).
 *
 * For each of the three types, every spoiled variant (each op value class,
 * each flag bit, every byte of 11..79 and 88..127 on its own, and faults
 * combined) is rejected by evf_ring_check_control with its reason, and, pushed
 * through the ring, counted under exactly that reason with nothing else
 * changed: no sync begun or ended, no heartbeat, no new generation, no sweep
 * (a stale route survives every spoiled SYNC-END). Valid records, with and
 * without ts_ns, are accepted and act. */
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_rcu.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "evf_test_env.h"

/* The reason a record is refused, RING_OK when it is valid (the tables of
 * this file list expected reasons that way). */
#define RING_OK EVF_RING_REJ_MAX
static inline int
control_reason(const struct evf_ring_rec *rec)
{
	enum evf_ring_reject why;

	return evf_ring_check_control(rec, &why) == 0 ? RING_OK : (int)why;
}

#define MAC_S "00:c1:ab:00:00:51"   /* sent before the resync, never again: stale */
#define MAC_K "00:c1:ab:00:00:52"   /* sent again during the resync: kept */

static const char cfg_yaml[] =
	"node:\n"
	"  vtep-ipv4: 198.18.0.1\n"
	"  mac: 02:00:00:00:00:01\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_k0, role: network, next-hop-mac: 02:00:00:00:00:fe,\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_k1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - {name: blue, vni: 100, attachments: [{port: acc0, vlan: untagged}]}\n";

static struct evf_cfg_ring rcfg;
static void *mem;
static struct evf_ring_hdr *H;
static uint64_t T;
static uint16_t blue;

static int
suite_clean(void)
{
	evft_down();
	free(mem);
	mem = NULL;
	return 0;
}

static void
fresh(void)
{
	char err[256] = "";

	if (evft_is_up())
		evft_down();
	CU_ASSERT_EQUAL_FATAL(evft_up(cfg_yaml), 0);
	free(mem);
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.enabled = true;
	snprintf(rcfg.name, sizeof(rcfg.name), "/evft-control");
	rcfg.records = 64;
	rcfg.event_records = 64;
	rcfg.hold_time = 30;
	rcfg.batch = 64;
	mem = aligned_alloc(4096, evf_ring_mem_size(&rcfg));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	memset(mem, 0x5a, evf_ring_mem_size(&rcfg));
	if (evf_ring_init_mem(&rcfg, mem, err, sizeof(err)) != 0)
		fprintf(stderr, "\n    evf_ring_init_mem: %s", err);
	H = mem;
	CU_ASSERT_FATAL(evf_ring_enabled());
	T = rte_rdtsc();
	blue = evft_bd("blue");
	CU_ASSERT_FATAL(blue != EVF_INVALID_ID);
}

/* One record through the ring and one poll: it must be read. */
static void
push_rec(const struct evf_ring_rec *rec)
{
	uint64_t n0 = evf_ring_counters.records;

	CU_ASSERT_EQUAL_FATAL(evf_ring_produce(H, EVF_RING_ROUTES, rec), 0);
	CU_ASSERT_EQUAL(evf_ring_poll(T), 1);
	evf_rcu_drain();
	CU_ASSERT_EQUAL(evf_ring_counters.records, n0 + 1);
}

static void
push_route(const char *text)
{
	struct evf_route r;
	struct evf_ring_rec rec;
	char err[256];

	if (evf_route_parse_line(text, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "test bug: '%s': %s\n", text, err);
		abort();
	}
	evf_ring_encode_route(&r, &rec);
	push_rec(&rec);
}

static bool
has_mac(const char *mac)
{
	struct rte_ether_addr m = evft_mac(mac);

	return evf_fdb_find(blue, &m) != NULL;
}

/* What a control record may change. */
struct snap {
	struct evf_ring_counters c;
	uint32_t generation, syncing;
};

static struct snap
snap(void)
{
	struct snap s;

	s.c = evf_ring_counters;
	s.generation = evf_ring_stats(H)->generation;
	s.syncing = evf_ring_stats(H)->syncing;
	return s;
}

static const char *
type_name(uint8_t t)
{
	return t == EVF_REC_SYNC_BEGIN ? "SYNC-BEGIN" : t == EVF_REC_SYNC_END ? "SYNC-END" :
		"HEARTBEAT";
}

/* rec (spoiled as described by what) must be rejected for reason: by the
 * codec, and by evfwd, which counts it under reason and changes nothing else. */
static void
expect_rejected(const struct evf_ring_rec *rec, int reason, const char *what)
{
	struct snap a = snap(), b;
	int got = control_reason(rec);

	if (got != reason)
		fprintf(stderr, "\n    %s %s: evf_ring_check_control says %s, expected %s",
			type_name(rec->type), what,
			got == RING_OK ? "valid" : evf_ring_reject_name(got),
			evf_ring_reject_name(reason));
	CU_ASSERT_EQUAL(got, reason);
	push_rec(rec);
	b = snap();
	for (int r = 0; r < EVF_RING_REJ_MAX; r++) {
		uint64_t want = a.c.rejected[r] + (r == reason);

		if (b.c.rejected[r] != want)
			fprintf(stderr, "\n    %s %s: %s counted %lu, expected %lu", type_name(rec->type),
				what, evf_ring_reject_name(r), (unsigned long)b.c.rejected[r],
				(unsigned long)want);
		CU_ASSERT_EQUAL(b.c.rejected[r], want);
	}
	if (b.c.syncs_begun != a.c.syncs_begun || b.c.syncs_ended != a.c.syncs_ended ||
	    b.c.heartbeats != a.c.heartbeats || b.generation != a.generation)
		fprintf(stderr, "\n    %s %s: acted on (sync begin %lu->%lu, end %lu->%lu,"
			" heartbeats %lu->%lu, generation %u->%u)", type_name(rec->type), what,
			(unsigned long)a.c.syncs_begun, (unsigned long)b.c.syncs_begun,
			(unsigned long)a.c.syncs_ended, (unsigned long)b.c.syncs_ended,
			(unsigned long)a.c.heartbeats, (unsigned long)b.c.heartbeats, a.generation,
			b.generation);
	CU_ASSERT_EQUAL(b.c.syncs_begun, a.c.syncs_begun);
	CU_ASSERT_EQUAL(b.c.syncs_ended, a.c.syncs_ended);
	CU_ASSERT_EQUAL(b.c.heartbeats, a.c.heartbeats);
	CU_ASSERT_EQUAL(b.c.applied, a.c.applied);
	CU_ASSERT_EQUAL(b.c.swept, a.c.swept);
	CU_ASSERT_EQUAL(b.c.epochs, a.c.epochs);
	CU_ASSERT_EQUAL(b.generation, a.generation);
	CU_ASSERT_EQUAL(b.syncing, a.syncing);
}

/* Every spoiled variant of a control record of type t, each checked by
 * expect_rejected; per_reason[] counts how many were expected per reason. */
static void
spoil_all(uint8_t t, uint64_t per_reason[EVF_RING_REJ_MAX])
{
	static const uint8_t ops[] = { 1, 2, 0x80, 0xff };
	struct evf_ring_rec rec;
	char what[64];

#define BASE() do { memset(&rec, 0, sizeof(rec)); rec.type = t; rec.ts_ns = 1000; } while (0)
	for (size_t i = 0; i < RTE_DIM(ops); i++) {
		BASE();
		rec.op = ops[i];
		snprintf(what, sizeof(what), "op %u", ops[i]);
		expect_rejected(&rec, EVF_RING_REJ_BAD_OP, what);
		per_reason[EVF_RING_REJ_BAD_OP]++;
	}
	/* any flag: the known ones (none is allowed here) and the unknown ones */
	for (int bit = 0; bit < 8; bit++) {
		BASE();
		rec.flags = (uint8_t)(1u << bit);
		snprintf(what, sizeof(what), "flags %#x", rec.flags);
		expect_rejected(&rec, EVF_RING_REJ_BAD_FLAGS, what);
		per_reason[EVF_RING_REJ_BAD_FLAGS]++;
	}
	BASE();
	rec.flags = 0xff;
	expect_rejected(&rec, EVF_RING_REJ_BAD_FLAGS, "flags 0xff");
	per_reason[EVF_RING_REJ_BAD_FLAGS]++;
	/* every other byte on its own */
	for (size_t off = 11; off < EVF_RING_REC_SIZE; off++) {
		if (off >= 80 && off < 88)
			continue; /* ts_ns: allowed */
		BASE();
		((uint8_t *)&rec)[off] = off % 2 ? 0x01 : 0x80;
		snprintf(what, sizeof(what), "byte %zu = %#x", off, ((uint8_t *)&rec)[off]);
		expect_rejected(&rec, EVF_RING_REJ_RESERVED, what);
		per_reason[EVF_RING_REJ_RESERVED]++;
	}
	/* several faults: the earliest check names the reason (flags, op, bytes) */
	BASE();
	rec.op = 1;
	rec.flags = EVF_REC_F_DF;
	expect_rejected(&rec, EVF_RING_REJ_BAD_FLAGS, "op 1 and flags 0x10");
	per_reason[EVF_RING_REJ_BAD_FLAGS]++;
	BASE();
	rec.flags = 0x20;
	rec.reserved2[4] = 1;
	expect_rejected(&rec, EVF_RING_REJ_BAD_FLAGS, "flags 0x20 and byte 100");
	per_reason[EVF_RING_REJ_BAD_FLAGS]++;
	BASE();
	rec.op = 1;
	rec.vtep[0] = 198;
	rec.vtep_af = EVF_REC_AF_IPV4;
	expect_rejected(&rec, EVF_RING_REJ_BAD_OP, "op 1 and a vtep");
	per_reason[EVF_RING_REJ_BAD_OP]++;
#undef BASE
}

/* A valid control record: accepted by the codec and by evfwd. */
static void
push_valid(uint8_t t, uint64_t ts)
{
	struct evf_ring_rec rec;
	struct snap a = snap(), b;

	memset(&rec, 0, sizeof(rec));
	rec.type = t;
	rec.ts_ns = ts;
	CU_ASSERT_EQUAL(control_reason(&rec), RING_OK);
	push_rec(&rec);
	b = snap();
	for (int r = 0; r < EVF_RING_REJ_MAX; r++)
		CU_ASSERT_EQUAL(b.c.rejected[r], a.c.rejected[r]);
}

static void
test_control_records(void)
{
	uint64_t per_reason[EVF_RING_REJ_MAX] = { 0 };
	const struct evf_ring_stats *s;
	uint32_t gen;

	fresh();
	push_route("rt2 add vni 100 mac " MAC_S " vtep 198.18.0.2");
	push_route("rt2 add vni 100 mac " MAC_K " vtep 198.18.0.2");
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 2);
	gen = evf_ring_stats(H)->generation;
	CU_ASSERT_EQUAL(gen, 1);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->syncing, 0);

	/* SYNC-BEGIN: spoiled ones start no resync (generation and syncing
	 * unchanged); a valid one (ts_ns given) does */
	spoil_all(EVF_REC_SYNC_BEGIN, per_reason);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_begun, 0);
	push_valid(EVF_REC_SYNC_BEGIN, 123456789);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_begun, 1);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->generation, gen + 1);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->syncing, 1);
	push_route("rt2 add vni 100 mac " MAC_K " vtep 198.18.0.2");

	/* HEARTBEAT: spoiled ones are not counted as heartbeats; valid ones
	 * (with and without ts_ns) are */
	spoil_all(EVF_REC_HEARTBEAT, per_reason);
	CU_ASSERT_EQUAL(evf_ring_counters.heartbeats, 0);
	push_valid(EVF_REC_HEARTBEAT, 0);
	push_valid(EVF_REC_HEARTBEAT, 987654321);
	CU_ASSERT_EQUAL(evf_ring_counters.heartbeats, 2);

	/* SYNC-END: spoiled ones end nothing, the stale route stays; a valid one
	 * (no ts_ns) sweeps it */
	spoil_all(EVF_REC_SYNC_END, per_reason);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_ended, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 0);
	CU_ASSERT(has_mac(MAC_S));
	CU_ASSERT_EQUAL(evf_ring_stats(H)->syncing, 1);
	push_valid(EVF_REC_SYNC_END, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.syncs_ended, 1);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 1);
	CU_ASSERT_FALSE(has_mac(MAC_S));
	CU_ASSERT(has_mac(MAC_K));
	CU_ASSERT_EQUAL(evf_ring_stats(H)->syncing, 0);
	CU_ASSERT_EQUAL(evf_ring_stats(H)->generation, gen + 1);

	/* 3 x (5 bad-op, 11 bad-flags, 109 reserved-not-zero), nothing else */
	CU_ASSERT_EQUAL(per_reason[EVF_RING_REJ_BAD_OP], 3 * 5);
	CU_ASSERT_EQUAL(per_reason[EVF_RING_REJ_BAD_FLAGS], 3 * 11);
	CU_ASSERT_EQUAL(per_reason[EVF_RING_REJ_RESERVED], 3 * 109);
	s = evf_ring_stats(H);
	for (int r = 0; r < EVF_RING_REJ_MAX; r++) {
		CU_ASSERT_EQUAL(evf_ring_counters.rejected[r], per_reason[r]);
		CU_ASSERT_EQUAL(s->rejected[r], per_reason[r]);   /* the stats block agrees */
	}
	CU_ASSERT_EQUAL(s->syncs_begun, 1);
	CU_ASSERT_EQUAL(s->syncs_ended, 1);
	CU_ASSERT_EQUAL(s->heartbeats, 2);
	CU_ASSERT_EQUAL(s->applied, 3);
	CU_ASSERT_EQUAL(s->records, 3 + 3 * 125 + 4);
	CU_ASSERT_STRING_EQUAL(s->rejected_names[EVF_RING_REJ_BAD_OP], "bad-op");
	CU_ASSERT_STRING_EQUAL(s->rejected_names[EVF_RING_REJ_BAD_FLAGS], "bad-flags");
	CU_ASSERT_STRING_EQUAL(s->rejected_names[EVF_RING_REJ_RESERVED], "reserved-not-zero");
}

/* evf_ring_check_control looks at neither the seal (bytes 0..7, checked
 * before) nor ts_ns (bytes 80..87): any value there is valid. */
static void
test_check_control_ignores_seal_and_ts(void)
{
	static const uint8_t types[] = { EVF_REC_SYNC_BEGIN, EVF_REC_SYNC_END, EVF_REC_HEARTBEAT };

	for (size_t i = 0; i < RTE_DIM(types); i++) {
		struct evf_ring_rec rec;

		memset(&rec, 0, sizeof(rec));
		rec.type = types[i];
		CU_ASSERT_EQUAL(control_reason(&rec), RING_OK);
		rec.rec_idx = 0xffffffffu;
		rec.crc = 0x12345678u;
		rec.ts_ns = UINT64_MAX;
		CU_ASSERT_EQUAL(control_reason(&rec), RING_OK);
	}
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "control_records", test_control_records },
		{ "check_control_ignores_seal_and_ts", test_check_control_ignores_seal_and_ts },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("ring-control", cases, RTE_DIM(cases), NULL, suite_clean);
}
