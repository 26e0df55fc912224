/* test_ring_abi.c: CUnit tests of the control ring ABI (lib/ring/evf_ring_abi.h)
 * and of the record codec (lib/ring/ring_codec.c) on plain memory: no EAL, no
 * runtime, no evfwd state.
 *
 * - Layout: every documented offset of the record, the header, the index
 *   blocks and the stats block; CRC-32C known answers.
 * - Empty ring, full ring (produce fails and writes nothing), free-running
 *   64-bit indices wrapping the slot array many times, from 0, from just
 *   below 2^32 (rec_idx wraps) and from just below 2^64 (the indices wrap),
 *   with records checked intact at their index after every lap.
 * - Every route record round-trips: struct evf_route -> encode -> seal ->
 *   intact -> decode -> the same struct evf_route (RT1 per-ES/per-EVI/
 *   single-active, RT2 with/without ESI, IPv4/IPv6 VTEP, with/without IP,
 *   sticky, seq; RT3; RT4 with each DF algorithm, preference, Don't-Preempt).
 * - Garbage: every reject reason evf_ring_decode_route can give, each from a
 *   crafted record (and nothing else wrong with it).
 * - Torn records: payload changed after sealing, a stale slot from a previous
 *   lap (wrong rec_idx), rec_idx/CRC swapped between records. */
#include <stdlib.h>
#include <string.h>

#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "evf_test_env.h"

/* The reason a record is refused, RING_OK when it is valid (the tables of
 * this file list expected reasons that way). */
#define RING_OK EVF_RING_REJ_MAX
static inline int
decode_reason(const struct evf_ring_rec *rec, struct evf_route *r)
{
	enum evf_ring_reject why;

	return evf_ring_decode_route(rec, r, &why) == 0 ? RING_OK : (int)why;
}

/* ---- a ring on plain memory, laid out like evfwd does ---- */

struct plain {
	struct evf_ring_hdr *h;
	size_t size;
};

static struct plain
plain_new(uint32_t routes, uint32_t events)
{
	struct plain p;

	p.size = EVF_RING_HDR_SIZE + ((size_t)routes + events) * EVF_RING_REC_SIZE;
	p.h = aligned_alloc(4096, p.size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.h);
	memset(p.h, 0, p.size);
	p.h->magic = EVF_RING_MAGIC;
	p.h->abi_version = EVF_RING_ABI_VERSION;
	p.h->header_size = EVF_RING_HDR_SIZE;
	p.h->record_size = EVF_RING_REC_SIZE;
	p.h->nb_rings = 2; /* the ABI helpers under test use rings 0 and 1 only */
	p.h->total_size = p.size;
	p.h->ring[0].offset = EVF_RING_HDR_SIZE;
	p.h->ring[0].count = routes;
	p.h->ring[1].offset = EVF_RING_HDR_SIZE + (uint64_t)routes * EVF_RING_REC_SIZE;
	p.h->ring[1].count = events;
	return p;
}

static void
plain_free(struct plain *p)
{
	free(p->h);
	p->h = NULL;
}

static void
set_idx(struct evf_ring_hdr *h, unsigned int ring, uint64_t prod, uint64_t cons)
{
	atomic_store(&h->idx[ring].prod_idx, prod);
	atomic_store(&h->idx[ring].cons_idx, cons);
}

/* A record that says which index it was produced for (in seq/vni/ts_ns). */
static void
tagged(struct evf_ring_rec *r, uint64_t n)
{
	memset(r, 0, sizeof(*r));
	r->type = EVF_REC_HEARTBEAT;
	r->seq = (uint32_t)n;
	r->vni = (uint32_t)(n >> 32);
	r->ts_ns = n * 3 + 1;
}

/* ---- layout ---- */

static void
test_layout(void)
{
	CU_ASSERT_EQUAL(sizeof(struct evf_ring_rec), 128);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, rec_idx), 0);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, crc), 4);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, type), 8);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, op), 9);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, flags), 10);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, vtep_af), 11);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, ip_af), 12);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, df_alg), 13);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, df_pref), 14);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, vni), 16);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, seq), 20);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, esi), 24);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, mac), 34);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, vtep), 40);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, ip), 56);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, attach), 72);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, reserved0), 74);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, reserved1), 76);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, ts_ns), 80);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, ev_seq), 88);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, evi), 96);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, reserved3), 100);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, epoch), 104);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_rec, reserved2), 112);

	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, magic), 0);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, abi_version), 4);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, header_size), 6);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, record_size), 8);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, nb_rings), 12);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, total_size), 16);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, evfwd_pid), 24);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, ring), 32);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, ring[EVF_RING_MANUAL]), 64);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, abi_minor), 80);
	CU_ASSERT_EQUAL(sizeof(struct evf_ring_desc), 16);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, idx), 256);
	CU_ASSERT_EQUAL(sizeof(struct evf_ring_idx), 192);
	/* producer line, consumer line, one line of padding: never shared */
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_idx, prod_idx), 0);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_idx, prod_epoch), 8);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_idx, prod_heartbeat_ns), 16);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_idx, cons_idx), 64);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_idx, cons_epoch), 72);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, idx[1].prod_idx), 448);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, idx[1].cons_idx), 512);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, idx[2].prod_idx), 640);
	CU_ASSERT_EQUAL(offsetof(struct evf_ring_hdr, idx[2].cons_idx), 704);
	CU_ASSERT_EQUAL(sizeof(struct evf_ring_hdr), 832);
	CU_ASSERT(sizeof(struct evf_ring_hdr) <= EVF_RING_STATS_OFFSET);
	CU_ASSERT(EVF_RING_STATS_OFFSET + sizeof(struct evf_ring_stats) <= EVF_RING_HDR_SIZE);
	CU_ASSERT(EVF_RING_REJ_MAX <= EVF_RING_STATS_REJECTS);
	CU_ASSERT_EQUAL(EVF_RING_MAGIC, 0x52465645u);
	CU_ASSERT_EQUAL(memcmp(&(uint32_t){ EVF_RING_MAGIC }, "EVFR", 4), 0);
}

static void
test_crc32c(void)
{
	static const uint8_t zeros[32];
	uint8_t ones[32];

	memset(ones, 0xff, sizeof(ones));
	/* RFC 3720 B.4 and the usual check value */
	CU_ASSERT_EQUAL(evf_ring_crc32c("123456789", 9), 0xe3069283u);
	CU_ASSERT_EQUAL(evf_ring_crc32c(zeros, 32), 0x8a9136aau);
	CU_ASSERT_EQUAL(evf_ring_crc32c(ones, 32), 0x62a8ab43u);
	CU_ASSERT_EQUAL(evf_ring_crc32c("", 0), 0);
	/* lengths that are not multiples of 8 take the byte loop */
	CU_ASSERT_EQUAL(evf_ring_crc32c("a", 1), 0xc1d04330u);
	CU_ASSERT_EQUAL(evf_ring_crc32c("abc", 3), 0x364b3fb7u);
}

/* ---- producer / consumer helpers ---- */

static void
test_empty(void)
{
	struct plain p = plain_new(64, 64);
	struct evf_ring_rec out[8];
	uint64_t first = 77;

	for (unsigned int ring = 0; ring < 2; ring++) {
		CU_ASSERT(evf_ring_can_produce(p.h, ring));
		CU_ASSERT_EQUAL(evf_ring_consume(p.h, ring, out, 8, &first), 0);
		CU_ASSERT_EQUAL(first, 0);
		CU_ASSERT_EQUAL(atomic_load(&p.h->idx[ring].cons_idx), 0);
	}
	/* empty at any index, including after a wrap of the 64-bit counters */
	set_idx(p.h, 0, UINT64_MAX, UINT64_MAX);
	CU_ASSERT_EQUAL(evf_ring_consume(p.h, 0, out, 8, &first), 0);
	CU_ASSERT_EQUAL(first, UINT64_MAX);
	CU_ASSERT(evf_ring_can_produce(p.h, 0));
	plain_free(&p);
}

static void
test_full(void)
{
	struct plain p = plain_new(64, 128);
	struct evf_ring_rec r, out[200];
	uint8_t *snap;
	uint64_t first;

	for (unsigned int ring = 0; ring < 2; ring++) {
		uint32_t count = p.h->ring[ring].count;
		uint64_t base = ring ? (1ull << 32) - 5 : 1000;

		set_idx(p.h, ring, base, base);
		for (uint32_t i = 0; i < count; i++) {
			tagged(&r, base + i);
			CU_ASSERT_EQUAL_FATAL(evf_ring_produce(p.h, ring, &r), 0);
		}
		CU_ASSERT_FALSE(evf_ring_can_produce(p.h, ring));
		snap = malloc(p.size);
		memcpy(snap, p.h, p.size);
		tagged(&r, 999999);
		CU_ASSERT_EQUAL(evf_ring_produce(p.h, ring, &r), -1);
		/* nothing written: not a slot, not an index */
		CU_ASSERT_EQUAL(memcmp(snap, p.h, p.size), 0);
		CU_ASSERT_EQUAL(atomic_load(&p.h->idx[ring].prod_idx), base + count);
		free(snap);
		/* the consumer gets exactly the count records, in order, intact */
		CU_ASSERT_EQUAL(evf_ring_consume(p.h, ring, out, 200, &first), (int)count);
		CU_ASSERT_EQUAL(first, base);
		for (uint32_t i = 0; i < count; i++) {
			CU_ASSERT(evf_ring_rec_intact(&out[i], base + i));
			CU_ASSERT_EQUAL(out[i].seq, (uint32_t)(base + i));
		}
		/* one slot freed: one produce succeeds, the next fails again */
		CU_ASSERT(evf_ring_can_produce(p.h, ring));
	}
	/* consume in two steps: room follows cons_idx */
	set_idx(p.h, 0, 0, 0);
	for (uint32_t i = 0; i < 64; i++) {
		tagged(&r, i);
		CU_ASSERT_EQUAL(evf_ring_produce(p.h, 0, &r), 0);
	}
	CU_ASSERT_EQUAL(evf_ring_consume(p.h, 0, out, 10, &first), 10);
	for (uint32_t i = 0; i < 10; i++) {
		tagged(&r, 64 + i);
		CU_ASSERT_EQUAL(evf_ring_produce(p.h, 0, &r), 0);
	}
	tagged(&r, 74);
	CU_ASSERT_EQUAL(evf_ring_produce(p.h, 0, &r), -1);
	CU_ASSERT_EQUAL(evf_ring_consume(p.h, 0, out, 200, &first), 64);
	CU_ASSERT_EQUAL(first, 10);
	for (uint32_t i = 0; i < 64; i++)
		CU_ASSERT(evf_ring_rec_intact(&out[i], 10 + i) && out[i].seq == 10 + i);
	plain_free(&p);
}

/* Produce and consume in irregular batches from start for laps * count records. */
static unsigned int
run_laps(struct plain *p, unsigned int ring, uint64_t start, unsigned int laps, uint32_t seed)
{
	uint32_t count = p->h->ring[ring].count;
	uint64_t produced = start, consumed = start, end = start + (uint64_t)laps * count;
	struct evf_ring_rec r, out[256];
	unsigned int bad = 0;

	set_idx(p->h, ring, start, start);
	while (consumed != end) {
		uint32_t want, got_max;
		uint64_t first;
		int n;

		seed = seed * 1103515245u + 12345u;
		want = (seed >> 8) % (count + 1);
		for (uint32_t i = 0; i < want && produced != end; i++) {
			tagged(&r, produced);
			if (evf_ring_produce(p->h, ring, &r) < 0)
				break;
			produced++;
		}
		if (produced - consumed > count)
			bad++;
		seed = seed * 1103515245u + 12345u;
		got_max = 1 + (seed >> 8) % 256;
		n = evf_ring_consume(p->h, ring, out, got_max, &first);
		if (n < 0 || first != consumed) {
			bad++;
			break;
		}
		for (int i = 0; i < n; i++) {
			uint64_t idx = first + (uint64_t)i;

			if (!evf_ring_rec_intact(&out[i], idx) || out[i].seq != (uint32_t)idx ||
			    out[i].vni != (uint32_t)(idx >> 32) || out[i].ts_ns != idx * 3 + 1 ||
			    out[i].rec_idx != (uint32_t)idx)
				bad++;
		}
		consumed += (uint64_t)n;
	}
	if (atomic_load(&p->h->idx[ring].prod_idx) != end || atomic_load(&p->h->idx[ring].cons_idx) != end)
		bad++;
	return bad;
}

static void
test_wraparound(void)
{
	struct plain p = plain_new(64, 256);
	static const uint64_t starts[] = {
		0, 1, (1ull << 32) - 64 * 3 - 7, (1ull << 32) - 1, (1ull << 33) + 5,
		UINT64_MAX - 64 * 10 + 3, UINT64_MAX - 256 * 10 + 3, UINT64_MAX, UINT64_MAX - 63,
	};

	for (size_t s = 0; s < RTE_DIM(starts); s++) {
		for (unsigned int ring = 0; ring < 2; ring++) {
			unsigned int bad = run_laps(&p, ring, starts[s], 40, (uint32_t)(s * 7 + ring + 1));
			if (bad)
				fprintf(stderr, "\n    start %#lx ring %u: %u problems", (unsigned long)starts[s],
					ring, bad);
			CU_ASSERT_EQUAL(bad, 0);
		}
	}
	plain_free(&p);
}

/* Consumer view of out-of-range indices: -1, nothing copied or released. */
static void
test_consume_out_of_range(void)
{
	struct plain p = plain_new(64, 64);
	struct evf_ring_rec out[128];
	uint64_t first = 5;

	set_idx(p.h, 1, 100 + 65, 100);   /* one more than the ring holds */
	CU_ASSERT_EQUAL(evf_ring_consume(p.h, 1, out, 128, &first), -1);
	CU_ASSERT_EQUAL(atomic_load(&p.h->idx[1].cons_idx), 100);
	set_idx(p.h, 1, 99, 100);         /* producer behind the consumer */
	CU_ASSERT_EQUAL(evf_ring_consume(p.h, 1, out, 128, &first), -1);
	set_idx(p.h, 1, 100 + 64, 100);   /* exactly full is fine */
	CU_ASSERT_EQUAL(evf_ring_consume(p.h, 1, out, 128, &first), 64);
	CU_ASSERT_EQUAL(first, 100);
	/* a producer behind the consumer sees "full" (no room), never overwrites */
	set_idx(p.h, 0, 10, 11);
	CU_ASSERT_FALSE(evf_ring_can_produce(p.h, 0));
	plain_free(&p);
}

/* ---- codec round trips ---- */

static struct evf_route
route(const char *text)
{
	struct evf_route r;
	char err[256];

	if (evf_route_parse_line(text, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "test bug: '%s': %s\n", text, err);
		abort();
	}
	return r;
}

/* NULL when equal, else the first difference. */
static const char *
route_diff(const struct evf_route *a, const struct evf_route *b)
{
	if (a->type != b->type) return "type";
	if (a->withdraw != b->withdraw) return "withdraw";
	if (a->per_es != b->per_es) return "per_es";
	if (a->single_active != b->single_active) return "single_active";
	if (a->sticky != b->sticky) return "sticky";
	if (a->df_alg != b->df_alg) return "df_alg";
	if (a->df_dp != b->df_dp) return "df_dp";
	if (a->df_pref != b->df_pref) return "df_pref";
	if (a->vni != b->vni) return "vni";
	if (a->seq != b->seq) return "seq";
	if (memcmp(&a->esi, &b->esi, sizeof(a->esi))) return "esi";
	if (a->vtep.family != b->vtep.family || !evf_ip_equal(&a->vtep, &b->vtep)) return "vtep";
	if (a->ip.family != b->ip.family || (a->ip.family && !evf_ip_equal(&a->ip, &b->ip)))
		return "ip";
	if (!rte_is_same_ether_addr(&a->mac, &b->mac)) return "mac";
	if (a->gen != b->gen) return "gen";
	return NULL;
}

static const char *const round_trip_routes[] = {
	"rt1 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2",
	"rt1 del esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2",
	"rt1 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 single-active",
	"rt1 add esi 01:11:11:11:11:11:11:00:00:01 etag max vtep 2001:2::2",
	"rt1 add esi 00:11:22:33:44:55:66:77:88:99 vni 100 vtep 198.18.0.3",
	"rt1 del esi 00:11:22:33:44:55:66:77:88:99 vni 16777215 vtep 2001:2::3",
	"rt2 add vni 100 mac 00:c1:ab:00:00:01 vtep 198.18.0.2",
	"rt2 del vni 100 mac 00:c1:ab:00:00:01 vtep 198.18.0.2",
	"rt2 add vni 100 mac 00:c1:ab:00:00:02 vtep 198.18.0.2 esi 01:aa:bb:cc:dd:ee:01:00:01:00",
	"rt2 add vni 100 mac 00:c1:ab:00:00:03 vtep 2001:2::2 ip 198.19.0.3",
	"rt2 add vni 100 mac 00:c1:ab:00:00:04 vtep 198.18.0.2 ip 2001:db8::4 seq 7",
	"rt2 add vni 1 mac 02:00:00:00:00:05 vtep 198.18.255.254 seq 4294967295 sticky",
	"rt2 add vni 16777215 mac 00:c1:ab:00:00:06 vtep 2001:2::ffff esi 00:11:22:33:44:55:66:77:88:99 ip 2001:2::6 seq 1 sticky",
	"rt2 del vni 200 mac 00:c1:ab:00:00:07 vtep 198.18.0.4 ip 198.19.0.7",
	"rt3 add vni 100 vtep 198.18.0.2",
	"rt3 del vni 16777215 vtep 2001:2::9",
	"rt4 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2",
	"rt4 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 df-alg modulo",
	"rt4 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 df-alg hrw",
	"rt4 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 df-alg preference",
	"rt4 add esi 01:11:11:11:11:11:11:00:00:01 vtep 2001:2::2 pref 100",
	"rt4 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 df-alg preference pref 0 dont-preempt",
	"rt4 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 df-alg preference pref 65535 dont-preempt",
	"rt4 del esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 df-alg hrw",
};

static void
test_round_trip(void)
{
	unsigned int bad = 0;

	for (size_t i = 0; i < RTE_DIM(round_trip_routes); i++) {
		struct evf_route in = route(round_trip_routes[i]), out;
		struct evf_ring_rec rec, again;
		uint64_t idx = 0xfedcba9800000000ull + i * 977;
		const char *d;
		char a[256], b[256];
		int rej;

		evf_ring_encode_route(&in, &rec);
		evf_ring_rec_seal(&rec, idx);
		CU_ASSERT_EQUAL(rec.rec_idx, (uint32_t)idx);
		CU_ASSERT(evf_ring_rec_intact(&rec, idx));
		rej = decode_reason(&rec, &out);
		if (rej != RING_OK) {
			fprintf(stderr, "\n    '%s': decode rejected it (%s)", round_trip_routes[i],
				evf_ring_reject_name(rej));
			bad++;
			continue;
		}
		d = route_diff(&in, &out);
		if (d != NULL) {
			evf_route_format(&in, a, sizeof(a));
			evf_route_format(&out, b, sizeof(b));
			fprintf(stderr, "\n    '%s': %s differs after the round trip\n      in  %s\n"
				"      out %s", round_trip_routes[i], d, a, b);
			bad++;
		}
		/* the text form of both is the same too */
		evf_route_format(&in, a, sizeof(a));
		evf_route_format(&out, b, sizeof(b));
		CU_ASSERT_STRING_EQUAL(a, b);
		/* encoding is deterministic: encoding the decoded route gives the same bytes */
		evf_ring_encode_route(&out, &again);
		evf_ring_rec_seal(&again, idx);
		CU_ASSERT_EQUAL(memcmp(&again, &rec, sizeof(rec)), 0);
		/* the reserved fields of every encoded record are zero */
		CU_ASSERT_EQUAL(rec.reserved0 | rec.reserved1 | rec.attach, 0);
		CU_ASSERT_EQUAL(rec.ev_seq, 0);
		CU_ASSERT_EQUAL(rec.ts_ns, 0);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* Field-level checks of what the encoder writes (the ABI, not just a round trip). */
static void
test_encode_fields(void)
{
	struct evf_route r = route("rt2 add vni 4660 mac 00:c1:ab:00:00:42 vtep 198.18.1.2 "
				   "esi 01:aa:bb:cc:dd:ee:01:00:01:00 ip 2001:db8::4 seq 9 sticky");
	struct evf_ring_rec rec;
	static const uint8_t vtep[16] = { 198, 18, 1, 2 };
	static const uint8_t esi[10] = { 1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 1, 0, 1, 0 };
	static const uint8_t ip[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 4 };
	static const uint8_t mac[6] = { 0, 0xc1, 0xab, 0, 0, 0x42 };

	evf_ring_encode_route(&r, &rec);
	CU_ASSERT_EQUAL(rec.type, EVF_REC_RT2);
	CU_ASSERT_EQUAL(rec.op, EVF_REC_ADD);
	CU_ASSERT_EQUAL(rec.flags, EVF_REC_F_STICKY);
	CU_ASSERT_EQUAL(rec.vtep_af, EVF_REC_AF_IPV4);
	CU_ASSERT_EQUAL(rec.ip_af, EVF_REC_AF_IPV6);
	CU_ASSERT_EQUAL(rec.vni, 4660);
	CU_ASSERT_EQUAL(rec.seq, 9);
	CU_ASSERT_EQUAL(memcmp(rec.vtep, vtep, 16), 0);
	CU_ASSERT_EQUAL(memcmp(rec.esi, esi, 10), 0);
	CU_ASSERT_EQUAL(memcmp(rec.ip, ip, 16), 0);
	CU_ASSERT_EQUAL(memcmp(rec.mac, mac, 6), 0);

	r = route("rt1 add esi 01:11:11:11:11:11:11:00:00:01 vtep 2001:2::2 single-active");
	evf_ring_encode_route(&r, &rec);
	CU_ASSERT_EQUAL(rec.type, EVF_REC_RT1);
	CU_ASSERT_EQUAL(rec.flags, EVF_REC_F_PER_ES | EVF_REC_F_SINGLE_ACTIVE);
	CU_ASSERT_EQUAL(rec.vni, 0);
	CU_ASSERT_EQUAL(rec.vtep_af, EVF_REC_AF_IPV6);
	CU_ASSERT_EQUAL(rec.ip_af, EVF_REC_AF_NONE);

	r = route("rt4 del esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 pref 300 dont-preempt");
	evf_ring_encode_route(&r, &rec);
	CU_ASSERT_EQUAL(rec.type, EVF_REC_RT4);
	CU_ASSERT_EQUAL(rec.op, EVF_REC_WITHDRAW);
	CU_ASSERT_EQUAL(rec.flags, EVF_REC_F_DONT_PREEMPT);
	CU_ASSERT_EQUAL(rec.df_alg, EVF_DF_PREFERENCE);
	CU_ASSERT_EQUAL(rec.df_pref, 300);
	CU_ASSERT_EQUAL(rec.vni, 0);
}

/* ---- garbage ---- */

struct crafted {
	const char *what;
	const char *base;      /* a valid route to start from */
	void (*spoil)(struct evf_ring_rec *r);
	int reason;
};

#define SPOIL(name, body) static void name(struct evf_ring_rec *r) { body; }
SPOIL(sp_type0, r->type = 0)
SPOIL(sp_type5, r->type = 5)
SPOIL(sp_type_sync, r->type = EVF_REC_SYNC_BEGIN)
SPOIL(sp_type_event, r->type = EVF_REC_EV_MAC_LEARNED)
SPOIL(sp_type255, r->type = 255)
SPOIL(sp_op2, r->op = 2)
SPOIL(sp_op255, r->op = 255)
SPOIL(sp_flag_unknown, r->flags |= 0x80)
SPOIL(sp_flag_high, r->flags |= 0x80)
SPOIL(sp_flag_sticky_rt1, r->flags |= EVF_REC_F_STICKY)
SPOIL(sp_flag_peres_rt2, r->flags |= EVF_REC_F_PER_ES)
SPOIL(sp_flag_dp_rt3, r->flags |= EVF_REC_F_DONT_PREEMPT)
SPOIL(sp_flag_router_rt3, r->flags |= EVF_REC_F_ND_ROUTER)
SPOIL(sp_flag_df_rt4, r->flags |= EVF_REC_F_DF)
SPOIL(sp_flag_sa_no_peres, r->flags = EVF_REC_F_SINGLE_ACTIVE)
SPOIL(sp_res0, r->reserved0 = 1)
SPOIL(sp_res1, r->reserved1 = 0x80000000u)
SPOIL(sp_evseq, r->ev_seq = 1)
SPOIL(sp_attach, r->attach = 0xffff)
SPOIL(sp_res2_first, r->reserved2[0] = 1)
SPOIL(sp_res2_last, r->reserved2[15] = 0x80)
SPOIL(sp_evi, r->evi = 1)
SPOIL(sp_res3, r->reserved3 = 1)
SPOIL(sp_epoch, r->epoch = 1)
SPOIL(sp_flag_dump, r->flags |= EVF_REC_F_DUMP)
SPOIL(sp_ip_bytes_noaf, r->ip[15] = 1)
SPOIL(sp_dfalg_rt2, r->df_alg = 1)
SPOIL(sp_dfpref_rt1, r->df_pref = 1)
SPOIL(sp_seq_rt3, r->seq = 1)
SPOIL(sp_seq_rt4, r->seq = 5)
SPOIL(sp_vtep_af0, r->vtep_af = EVF_REC_AF_NONE)
SPOIL(sp_vtep_af5, r->vtep_af = 5)
SPOIL(sp_vtep_v4_tail, r->vtep[4] = 1)
SPOIL(sp_vtep_v4_last, r->vtep[15] = 0xff)
SPOIL(sp_ip_af7, r->ip_af = 7)
SPOIL(sp_ip_v4_tail, r->ip[12] = 9)
SPOIL(sp_ip_af_rt3, r->ip_af = EVF_REC_AF_IPV4)
SPOIL(sp_ip_af_rt1, r->ip_af = EVF_REC_AF_IPV6)
SPOIL(sp_alg3, r->df_alg = 3)
SPOIL(sp_alg255, r->df_alg = 255)
SPOIL(sp_vni_big, r->vni = 0x1000000)
SPOIL(sp_vni_max32, r->vni = UINT32_MAX)
SPOIL(sp_vni0, r->vni = 0)
SPOIL(sp_vni_rt4, r->vni = 100)
SPOIL(sp_vni_peres, r->vni = 100)

#define RT1ES  "rt1 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2"
#define RT1EVI "rt1 add esi 01:11:11:11:11:11:11:00:00:01 vni 100 vtep 198.18.0.2"
#define RT2    "rt2 add vni 100 mac 00:c1:ab:00:00:01 vtep 198.18.0.2"
#define RT2IP  "rt2 add vni 100 mac 00:c1:ab:00:00:01 vtep 198.18.0.2 ip 198.19.0.1"
#define RT3    "rt3 add vni 100 vtep 198.18.0.2"
#define RT4    "rt4 add esi 01:11:11:11:11:11:11:00:00:01 vtep 198.18.0.2 pref 5"

static const struct crafted crafted[] = {
	{ "type 0", RT2, sp_type0, EVF_RING_REJ_BAD_TYPE },
	{ "type 5", RT3, sp_type5, EVF_RING_REJ_BAD_TYPE },
	{ "SYNC-BEGIN is no route", RT3, sp_type_sync, EVF_RING_REJ_BAD_TYPE },
	{ "event type on the routes ring", RT2, sp_type_event, EVF_RING_REJ_BAD_TYPE },
	{ "type 255", RT1ES, sp_type255, EVF_RING_REJ_BAD_TYPE },
	{ "op 2", RT2, sp_op2, EVF_RING_REJ_BAD_OP },
	{ "op 255", RT4, sp_op255, EVF_RING_REJ_BAD_OP },
	{ "unknown flag 0x80 on RT2", RT2, sp_flag_unknown, EVF_RING_REJ_BAD_FLAGS },
	{ "unknown flag 0x80", RT3, sp_flag_high, EVF_RING_REJ_BAD_FLAGS },
	{ "router flag on RT3", RT3, sp_flag_router_rt3, EVF_RING_REJ_BAD_FLAGS },
	{ "sticky on RT1", RT1ES, sp_flag_sticky_rt1, EVF_RING_REJ_BAD_FLAGS },
	{ "per-ES on RT2", RT2, sp_flag_peres_rt2, EVF_RING_REJ_BAD_FLAGS },
	{ "don't-preempt on RT3", RT3, sp_flag_dp_rt3, EVF_RING_REJ_BAD_FLAGS },
	{ "DF flag on RT4", RT4, sp_flag_df_rt4, EVF_RING_REJ_BAD_FLAGS },
	{ "single-active without per-ES", RT1EVI, sp_flag_sa_no_peres, EVF_RING_REJ_BAD_FLAGS },
	{ "reserved0", RT2, sp_res0, EVF_RING_REJ_RESERVED },
	{ "reserved1", RT3, sp_res1, EVF_RING_REJ_RESERVED },
	{ "ev_seq on a route", RT4, sp_evseq, EVF_RING_REJ_RESERVED },
	{ "attach on a route", RT1ES, sp_attach, EVF_RING_REJ_RESERVED },
	{ "reserved2[0]", RT2, sp_res2_first, EVF_RING_REJ_RESERVED },
	{ "reserved2[15]", RT1EVI, sp_res2_last, EVF_RING_REJ_RESERVED },
	{ "evi on a route", RT3, sp_evi, EVF_RING_REJ_RESERVED },
	{ "reserved3", RT2, sp_res3, EVF_RING_REJ_RESERVED },
	{ "epoch on a route", RT4, sp_epoch, EVF_RING_REJ_RESERVED },
	{ "events' dump flag on a route", RT2, sp_flag_dump, EVF_RING_REJ_BAD_FLAGS },
	{ "RT2 ip bytes without ip_af", RT2, sp_ip_bytes_noaf, EVF_RING_REJ_RESERVED },
	{ "RT3 ip bytes", RT3, sp_ip_bytes_noaf, EVF_RING_REJ_RESERVED },
	{ "df_alg on RT2", RT2, sp_dfalg_rt2, EVF_RING_REJ_RESERVED },
	{ "df_pref on RT1", RT1ES, sp_dfpref_rt1, EVF_RING_REJ_RESERVED },
	{ "seq on RT3", RT3, sp_seq_rt3, EVF_RING_REJ_RESERVED },
	{ "seq on RT4", RT4, sp_seq_rt4, EVF_RING_REJ_RESERVED },
	{ "no VTEP family", RT2, sp_vtep_af0, EVF_RING_REJ_BAD_AF },
	{ "VTEP family 5", RT1ES, sp_vtep_af5, EVF_RING_REJ_BAD_AF },
	{ "IPv4 VTEP with bytes past 4", RT3, sp_vtep_v4_tail, EVF_RING_REJ_BAD_AF },
	{ "IPv4 VTEP with byte 15", RT4, sp_vtep_v4_last, EVF_RING_REJ_BAD_AF },
	{ "RT2 ip family 7", RT2IP, sp_ip_af7, EVF_RING_REJ_BAD_AF },
	{ "RT2 IPv4 ip with bytes past 4", RT2IP, sp_ip_v4_tail, EVF_RING_REJ_BAD_AF },
	{ "RT3 with an ip family", RT3, sp_ip_af_rt3, EVF_RING_REJ_BAD_AF },
	{ "RT1 with an ip family", RT1EVI, sp_ip_af_rt1, EVF_RING_REJ_BAD_AF },
	{ "RT4 df_alg 3 (any DF type is accepted)", RT4, sp_alg3, RING_OK },
	{ "RT4 df_alg 255", RT4, sp_alg255, RING_OK },
	{ "VNI 2^24", RT2, sp_vni_big, EVF_RING_REJ_BAD_VNI },
	{ "VNI 2^32-1", RT3, sp_vni_max32, EVF_RING_REJ_BAD_VNI },
	{ "RT2 VNI 0", RT2, sp_vni0, EVF_RING_REJ_BAD_VNI },
	{ "RT3 VNI 0", RT3, sp_vni0, EVF_RING_REJ_BAD_VNI },
	{ "RT1 per-EVI VNI 0", RT1EVI, sp_vni0, EVF_RING_REJ_BAD_VNI },
	{ "RT4 with a VNI", RT4, sp_vni_rt4, EVF_RING_REJ_BAD_VNI },
	{ "RT1 per-ES with a VNI", RT1ES, sp_vni_peres, EVF_RING_REJ_BAD_VNI },
};

static void
test_garbage(void)
{
	bool seen[EVF_RING_REJ_MAX] = { false };
	unsigned int bad = 0;

	for (size_t i = 0; i < RTE_DIM(crafted); i++) {
		const struct crafted *c = &crafted[i];
		struct evf_route base = route(c->base), out;
		struct evf_ring_rec rec;
		int rej;

		evf_ring_encode_route(&base, &rec);
		/* the unspoiled record is valid */
		if (decode_reason(&rec, &out) != RING_OK) {
			fprintf(stderr, "\n    test bug: base of '%s' is rejected", c->what);
			bad++;
			continue;
		}
		c->spoil(&rec);
		evf_ring_rec_seal(&rec, i);
		CU_ASSERT(evf_ring_rec_intact(&rec, i)); /* sealed garbage is still "intact" */
		rej = decode_reason(&rec, &out);
		if (rej != c->reason) {
			fprintf(stderr, "\n    %s: decode gave %s, expected %s", c->what,
				rej == RING_OK ? "OK" : evf_ring_reject_name(rej),
				evf_ring_reject_name(c->reason));
			bad++;
		}
		if (rej >= 0 && rej < EVF_RING_REJ_MAX)
			seen[rej] = true;
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* every reason decode can give was produced (TORN is the caller's CRC/index
	 * check, ROUTE the route API's refusal: test_ring_ctl covers those;
	 * BAD_ALG is retired, its number kept for the stats block) */
	for (int r = 0; r < EVF_RING_REJ_MAX; r++) {
		if (r == EVF_RING_REJ_TORN || r == EVF_RING_REJ_ROUTE || r == EVF_RING_REJ_BAD_ALG)
			continue;
		if (!seen[r])
			fprintf(stderr, "\n    reason %s never produced", evf_ring_reject_name(r));
		CU_ASSERT(seen[r]);
	}
	/* names are distinct and known */
	CU_ASSERT_STRING_EQUAL(evf_ring_reject_name(EVF_RING_REJ_TORN), "torn-or-stale");
	CU_ASSERT_STRING_EQUAL(evf_ring_reject_name(EVF_RING_REJ_ROUTE), "route-rejected");
	CU_ASSERT_STRING_EQUAL(evf_ring_reject_name(-1), "?");
	CU_ASSERT_STRING_EQUAL(evf_ring_reject_name(EVF_RING_REJ_MAX), "?");
}

/* Fields a route type does not use (evf_ring_abi.h: mac is "RT2, MAC events",
 * esi "RT1, RT4, RT2") must be zero too: evf_ring_decode_route "checks every
 * field", and a record it accepts must survive decode -> encode -> decode
 * unchanged (the fuzz_ring_rec property). Regression: decode used to accept
 * these records and copy the stray bytes into the route (r->mac of an RT1,
 * r->esi of an RT3), which the encoder then dropped. */
SPOIL(sp_mac_byte, r->mac[5] = 0x42)
SPOIL(sp_esi_byte, r->esi[0] = 0x01)

static void
test_garbage_unused_fields(void)
{
	static const struct crafted unused[] = {
		{ "MAC on an RT1 per-ES", RT1ES, sp_mac_byte, EVF_RING_REJ_RESERVED },
		{ "MAC on an RT1 per-EVI", RT1EVI, sp_mac_byte, EVF_RING_REJ_RESERVED },
		{ "MAC on an RT3", RT3, sp_mac_byte, EVF_RING_REJ_RESERVED },
		{ "MAC on an RT4", RT4, sp_mac_byte, EVF_RING_REJ_RESERVED },
		{ "ESI on an RT3", RT3, sp_esi_byte, EVF_RING_REJ_RESERVED },
	};
	unsigned int accepted = 0;

	for (size_t i = 0; i < RTE_DIM(unused); i++) {
		struct evf_route base = route(unused[i].base), out, again;
		struct evf_ring_rec rec, enc;
		int rej;

		evf_ring_encode_route(&base, &rec);
		unused[i].spoil(&rec);
		rej = decode_reason(&rec, &out);
		if (rej == RING_OK) {
			accepted++;
			evf_ring_encode_route(&out, &enc);
			decode_reason(&enc, &again);
			fprintf(stderr, "\n    %s: accepted; decode -> encode -> decode changes: %s",
				unused[i].what, route_diff(&out, &again) ? route_diff(&out, &again) : "nothing");
		}
	}
	CU_ASSERT_EQUAL(accepted, 0);
}

/* ---- torn and stale records ---- */

static void
test_torn(void)
{
	struct evf_route r = route(RT2IP);
	struct evf_ring_rec rec, copy;
	unsigned int missed = 0;

	evf_ring_encode_route(&r, &rec);
	evf_ring_rec_seal(&rec, 4242);
	CU_ASSERT(evf_ring_rec_intact(&rec, 4242));
	/* any single bit changed in bytes 8..127 after sealing is caught */
	for (unsigned int byte = 8; byte < EVF_RING_REC_SIZE; byte++) {
		for (unsigned int bit = 0; bit < 8; bit++) {
			copy = rec;
			((uint8_t *)&copy)[byte] ^= (uint8_t)(1u << bit);
			if (evf_ring_rec_intact(&copy, 4242))
				missed++;
		}
	}
	CU_ASSERT_EQUAL(missed, 0);
	/* a torn write: the second half is from another record */
	{
		struct evf_route r2 = route("rt3 add vni 7 vtep 198.18.9.9");
		struct evf_ring_rec other;

		evf_ring_encode_route(&r2, &other);
		evf_ring_rec_seal(&other, 4242);
		copy = rec;
		memcpy((uint8_t *)&copy + 16, (uint8_t *)&other + 16, EVF_RING_REC_SIZE - 16);
		CU_ASSERT_FALSE(evf_ring_rec_intact(&copy, 4242));
		/* rec_idx and CRC of one record, payload of another */
		copy = other;
		copy.rec_idx = rec.rec_idx;
		copy.crc = rec.crc;
		CU_ASSERT_FALSE(evf_ring_rec_intact(&copy, 4242));
	}
	/* the CRC field itself changed */
	copy = rec;
	copy.crc ^= 1;
	CU_ASSERT_FALSE(evf_ring_rec_intact(&copy, 4242));
	/* stale slot of a previous lap: same slot, index count (or 2^32) earlier */
	CU_ASSERT_FALSE(evf_ring_rec_intact(&rec, 4242 + 64));
	CU_ASSERT_FALSE(evf_ring_rec_intact(&rec, 4242 + 65536));
	CU_ASSERT_FALSE(evf_ring_rec_intact(&rec, 4241));
	/* only the low 32 bits of the index are in the record */
	CU_ASSERT(evf_ring_rec_intact(&rec, 4242 + (1ull << 32)));

	/* in a ring: a slot not rewritten since the previous lap is stale */
	{
		struct plain p = plain_new(64, 64);
		struct evf_ring_rec t, out[64];
		uint64_t first;
		unsigned int intact = 0;

		for (uint64_t i = 0; i < 64; i++) {
			tagged(&t, i);
			CU_ASSERT_EQUAL(evf_ring_produce(p.h, 0, &t), 0);
		}
		CU_ASSERT_EQUAL(evf_ring_consume(p.h, 0, out, 64, &first), 64);
		/* a broken producer publishes 64 more without writing the slots */
		atomic_store(&p.h->idx[0].prod_idx, 128);
		CU_ASSERT_EQUAL(evf_ring_consume(p.h, 0, out, 64, &first), 64);
		CU_ASSERT_EQUAL(first, 64);
		for (unsigned int i = 0; i < 64; i++)
			intact += evf_ring_rec_intact(&out[i], first + i);
		CU_ASSERT_EQUAL(intact, 0);
		plain_free(&p);
	}
}

/* ---- event text ---- */

static void
test_format_event(void)
{
	struct evf_ring_rec rec;
	char buf[256];

	memset(&rec, 0, sizeof(rec));
	rec.type = EVF_REC_EV_MAC_LEARNED;
	rec.vni = 100;
	rec.seq = 3;
	memcpy(rec.mac, "\x00\xc1\xab\x00\x00\x01", 6);
	evf_ring_format_event(&rec, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "mac-learned vni 100 mac 00:c1:ab:00:00:01 seq 3");
	memcpy(rec.esi, "\x01\x11\x11\x11\x11\x11\x11\x00\x00\x01", 10);
	rec.type = EVF_REC_EV_MAC_MOVED;
	rec.attach = 0xffff;
	evf_ring_format_event(&rec, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "mac-moved vni 100 mac 00:c1:ab:00:00:01 seq 3 esi "
			       "01:11:11:11:11:11:11:00:00:01 (now remote)");
	rec.type = EVF_REC_EV_ES_UP;
	rec.df_alg = 2;
	rec.df_pref = 500;
	rec.flags = EVF_REC_F_DONT_PREEMPT;
	evf_ring_format_event(&rec, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "es-up esi 01:11:11:11:11:11:11:00:00:01 df-alg preference pref 500"
			       " dont-preempt");
	rec.type = EVF_REC_EV_DF_CHANGE;
	rec.flags = EVF_REC_F_DF;
	evf_ring_format_event(&rec, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "df-change esi 01:11:11:11:11:11:11:00:00:01 vni 100 df");
	rec.type = 99;
	evf_ring_format_event(&rec, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "unknown-event type 99");
}

int
main(void)
{
	static const struct evft_case cases[] = {
		{ "layout", test_layout },
		{ "crc32c", test_crc32c },
		{ "empty", test_empty },
		{ "full", test_full },
		{ "wraparound", test_wraparound },
		{ "consume_out_of_range", test_consume_out_of_range },
		{ "round_trip", test_round_trip },
		{ "encode_fields", test_encode_fields },
		{ "garbage", test_garbage },
		{ "garbage_unused_fields", test_garbage_unused_fields },
		{ "torn", test_torn },
		{ "format_event", test_format_event },
	};

	return evft_run("ring-abi", cases, RTE_DIM(cases), NULL, NULL);
}
