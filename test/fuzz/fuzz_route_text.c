/* fuzz_route_text.c: libFuzzer target for the route text syntax
 * (lib/route/route_text.c: evf_route_parse_line, evf_route_parse,
 * evf_route_format), what the shell's "route add|del" and evfwd-ctl push read.
 * No EAL, no runtime.
 *
 * Input: byte 0 picks the entry point, the rest is text.
 *   byte 0 even  the rest is one line for evf_route_parse_line() (NUL-terminated
 *                copy; a NUL inside cuts the line as it would cut a C string);
 *   byte 0 odd   the rest is split at NUL bytes into up to 40 words for
 *                evf_route_parse() (empty words and words with spaces included,
 *                as the shell's tokens can never give them).
 * Properties (a violation calls abort()):
 *   - an error message is NUL-terminated within its buffer and not empty;
 *   - a parsed route formats (evf_route_format) within 256 bytes, the text
 *     parses back to the same route field by field, and formats to the same
 *     text again (format is a fixed point);
 *   - ASan/UBSan: no read outside the words, no UB, whatever the words. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_route.h"

#define FAIL(...) do { \
	fprintf(stderr, "fuzz_route_text: property violated: " __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

#define MAX_WORDS 40

static bool
ip_same(const struct evf_ip *a, const struct evf_ip *b)
{
	return a->family == b->family && (a->family == 0 || evf_ip_equal(a, b));
}

/* NULL when a and b are the same route, else the first field that differs. */
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
	if (memcmp(&a->esi, &b->esi, sizeof(a->esi)) != 0) return "esi";
	if (!ip_same(&a->vtep, &b->vtep)) return "vtep";
	if (!ip_same(&a->ip, &b->ip)) return "ip";
	if (!rte_is_same_ether_addr(&a->mac, &b->mac)) return "mac";
	if (a->gen != b->gen) return "gen";
	return NULL;
}

static void
check_err(const char *err, size_t len)
{
	size_t n = strnlen(err, len);

	if (n == len)
		FAIL("error message not NUL-terminated");
	if (n == 0)
		FAIL("refused without a message");
}

static void
check_round_trip(const struct evf_route *r)
{
	char text[256], text2[256], err[256];
	struct evf_route back;
	const char *diff;
	int n = evf_route_format(r, text, sizeof(text));

	if (n <= 0 || (size_t)n >= sizeof(text))
		FAIL("format returned %d", n);
	if (evf_route_parse_line(text, &back, err, sizeof(err)) != 0)
		FAIL("'%s' does not parse back: %s", text, err);
	diff = route_diff(r, &back);
	if (diff != NULL)
		FAIL("'%s' parses back with another %s", text, diff);
	evf_route_format(&back, text2, sizeof(text2));
	if (strcmp(text, text2) != 0)
		FAIL("format is no fixed point: '%s' then '%s'", text, text2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], *copy, *words[MAX_WORDS];
	struct evf_route r;
	int rc, n = 0;

	if (size == 0)
		return 0;
	/* an exact-size copy: ASan sees any read past the text */
	copy = malloc(size);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	memset(err, 0x55, sizeof(err));
	if ((data[0] & 1) == 0) {
		rc = evf_route_parse_line(copy, &r, err, sizeof(err));
		if (rc < 0)
			check_err(err, sizeof(err));
		else if (rc == 0)
			check_round_trip(&r);
		else if (rc != 1)
			FAIL("evf_route_parse_line returned %d", rc);
	} else {
		for (size_t i = 0; i < size && n < MAX_WORDS; ) {
			words[n++] = copy + i;
			i += strlen(copy + i) + 1;
		}
		rc = evf_route_parse(n, words, &r, err, sizeof(err));
		if (rc < 0)
			check_err(err, sizeof(err));
		else if (rc == 0)
			check_round_trip(&r);
		else
			FAIL("evf_route_parse returned %d", rc);
	}
	free(copy);
	return 0;
}
