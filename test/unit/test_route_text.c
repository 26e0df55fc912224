/* test_route_text.c: CUnit tests of the route text syntax (lib/route/
 * route_text.c), a pure function: no EAL, no runtime. Malformed lines are
 * refused with a message naming the offending token and saying why; every
 * route form formats and parses back to the same route. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "evf_evpn.h"
#include "evf_route.h"
#include "evf_test_env.h"

/* ---- route text ---- */

struct bad_line {
	const char *line;
	const char *token;   /**< the message must name it */
	const char *why;     /**< and say this */
};

static void
test_route_parse_errors(void)
{
#define E_ "00:11:22:33:44:55:66:77:88:99"
#define V_ "198.18.0.5"
#define M_ "02:00:00:00:00:09"
	static const struct bad_line bad[] = {
		{ "rt5 add vni 1 vtep " V_, "rt5", "unknown route type" },
		{ "route add vni 1 vtep " V_, "route", "unknown route type" },
		{ "rt2 upd vni 1 mac " M_ " vtep " V_, "upd", "add or del" },
		{ "rt2 add vni 1 mac " M_, "vtep", "missing" },
		{ "rt1 add esi " E_, "vtep", "missing" },
		{ "rt2 add vni 1 mac " M_ " vtep", "vtep", "needs a value" },
		{ "rt4 add esi " E_ " vtep " V_ " vni 5", "vni", "unexpected" },
		{ "rt3 add vni 5 vtep " V_ " esi " E_, "esi", "unexpected" },
		{ "rt3 add vni 5 vtep " V_ " mac " M_, "mac", "unexpected" },
		{ "rt2 add vni 0 mac " M_ " vtep " V_, "0", "1..16777215" },
		{ "rt2 add vni 16777216 mac " M_ " vtep " V_, "16777216", "1..16777215" },
		{ "rt2 add vni 12x mac " M_ " vtep " V_, "12x", "1..16777215" },
		{ "rt2 add vni -1 mac " M_ " vtep " V_, "-1", "1..16777215" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " seq 4294967296", "4294967296", "seq" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " seq 0x10", "0x10", "seq" },
		{ "rt4 add esi " E_ " vtep " V_ " pref 65536", "65536", "pref" },
		{ "rt4 add esi " E_ " vtep " V_ " df-alg best", "best", "df-alg" },
		{ "rt2 add vni 1 mac 02:00:00:00:00 vtep " V_, "02:00:00:00:00", "mac" },
		{ "rt2 add vni 1 mac " M_ " vtep 198.18.0.256", "198.18.0.256", "vtep" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " ip 10.1.1", "10.1.1", "ip" },
		{ "rt1 add esi 00:11:22 vtep " V_, "00:11:22", "esi" },
		{ "rt1 add esi " E_ ":aa vtep " V_, E_ ":aa", "esi" },
		{ "rt2 add vni 1 vni 2 mac " M_ " vtep " V_, "vni", "twice" },
		{ "rt1 add esi " E_ " vtep " V_ " vtep 198.18.0.6", "vtep", "twice" },
		{ "rt1 add esi " E_ " esi " E_ " vtep " V_, "esi", "twice" },
		{ "rt2 add vni 1 mac " M_ " mac " M_ " vtep " V_, "mac", "twice" },
		{ "rt4 add esi " E_ " vtep " V_ " dont-preempt dont-preempt", "dont-preempt", "twice" },
		{ "rt4 add esi " E_ " vtep " V_ " df-alg hrw df-alg modulo", "df-alg", "twice" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " seq 1 seq 2", "seq", "twice" },
		{ "rt4 add esi " E_ " vtep " V_ " pref 1 pref 2", "pref", "twice" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " ip 10.0.0.1 ip 10.0.0.2", "ip", "twice" },
		{ "rt1 add esi " E_ " etag 5 vtep " V_, "5", "only 'max'" },
		{ "rt1 add esi " E_ " etag max vni 10 vtep " V_, "vni", "exclude" },
		{ "rt1 add esi " E_ " vni 10 vtep " V_ " single-active", "single-active", "per-ES" },
		{ "rt2 add vni 1 vtep " V_, "mac", "needs" },
		{ "rt3 add vtep " V_, "vni", "needs" },
		{ "rt4 add vtep " V_, "esi", "needs" },
		{ "rt2 add vni 1 mac " M_ " vtep " V_ " sticky=1", "sticky=1", "" },
		{ "rt2", "add", "" },
	};
	char err[256];
	struct evf_route r;
	unsigned int wrong = 0;

	for (size_t i = 0; i < RTE_DIM(bad); i++) {
		int rc;

		strcpy(err, "");
		rc = evf_route_parse_line(bad[i].line, &r, err, sizeof(err));
		if (rc != -EINVAL || strstr(err, bad[i].token) == NULL || strstr(err, bad[i].why) == NULL) {
			fprintf(stderr, "\n    '%s': %d '%s' (expected -1 naming '%s', saying '%s')",
				bad[i].line, rc, err, bad[i].token, bad[i].why);
			wrong++;
		}
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].token));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].why));
	}
	printf("\n    %zu malformed lines, %u wrong ", RTE_DIM(bad), wrong);
	/* Long lines and many words. */
	{
		char longl[700];

		memset(longl, 'a', sizeof(longl) - 1);
		longl[sizeof(longl) - 1] = '\0';
		CU_ASSERT_EQUAL(evf_route_parse_line(longl, &r, err, sizeof(err)), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "longer"));
		snprintf(longl, sizeof(longl), "rt3 add vni 1 vtep " V_ "%s",
			 " x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x");
		CU_ASSERT_EQUAL(evf_route_parse_line(longl, &r, err, sizeof(err)), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "words"));
	}
	/* Blank lines and comments are no route (1), and change nothing. */
	CU_ASSERT_EQUAL(evf_route_parse_line("", &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(evf_route_parse_line("   \t", &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(evf_route_parse_line("# rt2 add vni 1", &r, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(evf_route_parse_line("rt3 add vni 7 vtep " V_ " # ingress", &r, err,
		sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.type, EVF_RT_IMET);
	CU_ASSERT_EQUAL(r.vni, 7);
#undef E_
#undef V_
#undef M_
}

static void
test_route_round_trip(void)
{
	static const char *const lines[] = {
		"rt1 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5",
		"rt1 del esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 single-active",
		"rt1 add esi 00:11:22:33:44:55:66:77:88:99 vni 16777215 vtep 2001:db8::5",
		"rt1 add esi 01:00:00:00:00:00:00:00:00:01 etag max vtep 198.18.0.5",
		"rt2 add vni 1 mac 02:00:00:00:00:09 vtep 198.18.0.5",
		"rt2 del vni 10 mac 02:00:00:00:00:09 vtep 198.18.0.5 esi ff:00:00:00:00:00:00:00:00:01"
			" ip 2001:db8::99 seq 4294967295 sticky",
		"rt2 add vni 10 mac 02:00:00:00:00:09 vtep 2001:db8::5 ip 10.0.0.1 seq 7",
		"rt3 add vni 4000 vtep 198.18.0.5",
		"rt3 del vni 4000 vtep 2001:db8::5",
		"rt4 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5",
		"rt4 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 df-alg hrw",
		"rt4 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 pref 0",
		"rt4 del esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 df-alg pref dont-preempt",
		"rt4 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.5 df-alg preference pref 65535"
			" dont-preempt",
	};
	char err[256], text[512], text2[512];
	unsigned int wrong = 0;

	for (size_t i = 0; i < RTE_DIM(lines); i++) {
		struct evf_route a, b;

		CU_ASSERT_EQUAL_FATAL(evf_route_parse_line(lines[i], &a, err, sizeof(err)), 0);
		CU_ASSERT(evf_route_format(&a, text, sizeof(text)) > 0);
		if (evf_route_parse_line(text, &b, err, sizeof(err)) != 0) {
			fprintf(stderr, "\n    '%s' formats as '%s', which does not parse: %s",
				lines[i], text, err);
			wrong++;
			continue;
		}
		if (memcmp(&a, &b, sizeof(a)) != 0) {
			fprintf(stderr, "\n    '%s' -> '%s' parses differently", lines[i], text);
			wrong++;
		}
		evf_route_format(&b, text2, sizeof(text2));
		if (strcmp(text, text2) != 0)
			wrong++;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	/* What the text gives. */
	{
		struct evf_route r;

		CU_ASSERT_EQUAL(evf_route_parse_line(lines[3], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.type == EVF_RT_AD && r.per_es && !r.withdraw);
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[2], &r, err, sizeof(err)), 0);
		CU_ASSERT(!r.per_es && r.vni == 16777215 && r.vtep.family == AF_INET6);
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[5], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.withdraw && r.sticky && r.seq == 4294967295u && r.ip.family == AF_INET6);
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[9], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.df_alg == EVF_DF_MODULO && !r.df_dp);
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[11], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.df_alg == EVF_DF_PREFERENCE && r.df_pref == 0);   /* pref implies preference */
		CU_ASSERT_EQUAL(evf_route_parse_line(lines[12], &r, err, sizeof(err)), 0);
		CU_ASSERT(r.df_alg == EVF_DF_PREFERENCE && r.df_pref == 32767 && r.df_dp);
	}
}

int
main(void)
{
	static const struct evft_case cases[] = {
		{ "route text: malformed lines", test_route_parse_errors },
		{ "route text: format/parse round trip", test_route_round_trip },
	};

	return evft_run("route-text", cases, RTE_DIM(cases), NULL, NULL);
}
