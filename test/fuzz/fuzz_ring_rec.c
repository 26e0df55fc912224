/* fuzz_ring_rec.c: libFuzzer target for the control ring record codec
 * (lib/ring/ring_codec.c, evf_ring_abi.h). No EAL, no runtime.
 *
 * The input is cut into 128-byte records (a short input, or a short last
 * piece, is padded with zeros; an empty input is one all-zero record). Each
 * record goes through:
 *   evf_ring_rec_seal/intact   sealing for an index from the record's own
 *                              bytes makes it intact; any byte changed after
 *                              sealing (the fuzzer picks which) does not;
 *   evf_ring_decode_route      never reads outside the record (ASan), never
 *                              UB (UBSan);
 * and when the decode says OK:
 *   evf_ring_encode_route      must give a record that decodes OK to the same
 *                              route (every field the route type uses), and
 *                              encoding is a fixed point from there on
 *                              (encode(decode(encode(r))) == encode(r), byte
 *                              for byte);
 *   evf_route_format           the text form parses back (evf_route_parse_line)
 *                              to the same route: what travels as a record can
 *                              also be written as a line for evfwd-ctl/shell.
 *   evf_ring_format_event      on any record (event types included) stays in
 *                              its buffer and NUL-terminates.
 * A violated property calls abort() (libFuzzer records a crash).
 *
 * Field comparison is per route type: fields the type does not use (e.g. the
 * MAC of an RT1) are not compared; whether decode should refuse non-zero
 * unused fields is test_ring_abi's "garbage_unused_fields" case. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_ring.h"
#include "evf_route.h"

/* The reason a record is refused, RING_OK when it is valid (the tables of
 * this file list expected reasons that way). */
#define RING_OK EVF_RING_REJ_MAX
static inline int
decode_reason(const struct evf_ring_rec *rec, struct evf_route *r)
{
	enum evf_ring_reject why;

	return evf_ring_decode_route(rec, r, &why) == 0 ? RING_OK : (int)why;
}

#define FAIL(...) do { \
	fprintf(stderr, "fuzz_ring_rec: property violated: " __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

static bool
ip_same(const struct evf_ip *a, const struct evf_ip *b)
{
	if (a->family != b->family)
		return false;
	return a->family == 0 || evf_ip_equal(a, b);
}

/* NULL when a and b are the same route (fields the type uses), else which. */
static const char *
route_diff(const struct evf_route *a, const struct evf_route *b)
{
	if (a->type != b->type) return "type";
	if (a->withdraw != b->withdraw) return "withdraw";
	if (!ip_same(&a->vtep, &b->vtep)) return "vtep";
	switch (a->type) {
	case EVF_RT_AD:
		if (a->per_es != b->per_es) return "per_es";
		if (a->single_active != b->single_active) return "single_active";
		if (!a->per_es && a->vni != b->vni) return "vni";
		if (memcmp(&a->esi, &b->esi, sizeof(a->esi))) return "esi";
		break;
	case EVF_RT_MAC:
		if (a->vni != b->vni) return "vni";
		if (a->seq != b->seq) return "seq";
		if (a->sticky != b->sticky) return "sticky";
		if (memcmp(&a->esi, &b->esi, sizeof(a->esi))) return "esi";
		if (!rte_is_same_ether_addr(&a->mac, &b->mac)) return "mac";
		if (!ip_same(&a->ip, &b->ip)) return "ip";
		break;
	case EVF_RT_IMET:
		if (a->vni != b->vni) return "vni";
		break;
	case EVF_RT_ES:
		if (memcmp(&a->esi, &b->esi, sizeof(a->esi))) return "esi";
		if (a->df_alg != b->df_alg) return "df_alg";
		if (a->df_pref != b->df_pref) return "df_pref";
		if (a->df_dp != b->df_dp) return "df_dp";
		break;
	default:
		return "unknown type";
	}
	return NULL;
}

static void
one_record(const struct evf_ring_rec *in, uint8_t poke)
{
	struct evf_ring_rec rec = *in, enc, enc2;
	struct evf_route r, r2, r3;
	char text[512], err[256], ev[64];
	uint64_t idx;
	int rej, n;

	/* sealing */
	memcpy(&idx, (const uint8_t *)in + 8, sizeof(idx));
	evf_ring_rec_seal(&rec, idx);
	if (!evf_ring_rec_intact(&rec, idx))
		FAIL("a sealed record is not intact");
	if (evf_ring_rec_intact(&rec, idx + 1) || evf_ring_rec_intact(&rec, idx - 1))
		FAIL("a record is intact at another index");
	{
		struct evf_ring_rec t = rec;
		unsigned int byte = 8 + poke % (EVF_RING_REC_SIZE - 8);

		((uint8_t *)&t)[byte] ^= (uint8_t)(1u << (poke >> 5));
		if (evf_ring_rec_intact(&t, idx))
			FAIL("bit flip at byte %u not detected", byte);
	}

	/* event text: stays in a small buffer */
	memset(ev, 0x7f, sizeof(ev));
	n = evf_ring_format_event(in, ev, 40);
	if (n < 0 || memchr(ev, '\0', 40) == NULL || ev[40] != 0x7f)
		FAIL("evf_ring_format_event overran or did not terminate");

	/* decode */
	memset(&r, 0xa5, sizeof(r));
	rej = decode_reason(in, &r);
	if (rej < 0 || rej > RING_OK)
		FAIL("decode returned %d", rej);
	if (rej != RING_OK)
		return;
	if (r.type < EVF_RT_AD || r.type > EVF_RT_ES)
		FAIL("decode accepted type %u", r.type);
	/* any DF type (one octet) is accepted; a non-RT4 carries none */
	if (r.vni > 0xffffff || (r.type != EVF_RT_ES && r.df_alg != 0) || r.gen != 0)
		FAIL("decode produced vni %u df_alg %u gen %u", r.vni, r.df_alg, r.gen);

	/* encode -> decode: the same route */
	evf_ring_encode_route(&r, &enc);
	rej = decode_reason(&enc, &r2);
	if (rej != RING_OK)
		FAIL("re-encoded record rejected: %s", evf_ring_reject_name(rej));
	if (route_diff(&r, &r2) != NULL)
		FAIL("re-encoded record decodes to another route (%s)", route_diff(&r, &r2));
	evf_ring_encode_route(&r2, &enc2);
	if (memcmp(&enc, &enc2, sizeof(enc)) != 0)
		FAIL("encoding is not a fixed point");

	/* text -> parse: the same route */
	n = evf_route_format(&r, text, sizeof(text));
	if (n <= 0 || (size_t)n >= sizeof(text))
		FAIL("evf_route_format returned %d", n);
	if (evf_route_parse_line(text, &r3, err, sizeof(err)) != 0)
		FAIL("'%s' does not parse back: %s", text, err);
	if (route_diff(&r, &r3) != NULL)
		FAIL("'%s' parses to another route (%s)", text, route_diff(&r, &r3));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evf_ring_rec rec;
	size_t off = 0;

	do {
		size_t n = size - off < EVF_RING_REC_SIZE ? size - off : EVF_RING_REC_SIZE;

		memset(&rec, 0, sizeof(rec));
		if (n)
			memcpy(&rec, data + off, n);
		one_record(&rec, size ? data[size - 1] : 0);
		off += n;
	} while (off < size);
	return 0;
}
