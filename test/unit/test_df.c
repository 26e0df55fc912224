/* test_df.c: CUnit tests of DF election as pure functions (lib/es/es_df.c:
 * evf_df_elect, evf_df_hrw_weight); no EAL, no runtime.
 *
 * - Highest Random Weight (RFC 8584 section 3.2) against vectors computed
 *   independently by test/unit/vectors/gen_df.py (Python, zlib.crc32, the
 *   RFC formula with unbounded integers): a fixed known case (D and the
 *   weights re-derivable with any CRC-32; the RFC publishes no vector), every
 *   candidate's weight, the winner, ties (lowest address), and the winner
 *   for every order of the candidates.
 * - Modulo service carving (RFC 7432 8.5): hand-written cases; candidates
 *   ordered numerically (not by bytes in memory), IPv6, mixed families (IPv4
 *   first), 0 and 1 candidates, every order of the candidates; the same
 *   vectors' modulo winners.
 * - Algorithms that disagree fall back to modulo (RFC 8584 2.2).
 * - Preference (RFC 9785): highest preference, then Don't-Preempt, then the
 *   lowest address; independent of v and of the order. */
#include <arpa/inet.h>
#include <string.h>

#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_test_env.h"
#include "vectors/df_vectors.h"

static struct evf_ip
v4(uint32_t host)
{
	struct evf_ip a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.v4 = htonl(host);
	return a;
}

static struct evf_df_candidate
cand(const char *ip, enum evf_df_alg alg, uint16_t pref, bool dp)
{
	struct evf_df_candidate c;

	memset(&c, 0, sizeof(c));
	c.ip = evft_ip(ip);
	c.alg = alg;
	c.pref = pref;
	c.dont_preempt = dp;
	return c;
}

static struct evf_esi
esi_of(const uint8_t *b)
{
	struct evf_esi e;

	memcpy(e.b, b, EVF_ESI_LEN);
	return e;
}

static const struct evf_esi esi1 = { { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 } };

/* The address the elected index names ("-" for none). */
static const char *
elected(const struct evf_df_candidate *c, unsigned int n, uint32_t v, const struct evf_esi *esi,
	char *buf)
{
	int i = evf_df_elect(c, n, v, esi);

	if (i < 0 || (unsigned int)i >= n) {
		snprintf(buf, EVF_IP_STRLEN, i < 0 ? "-" : "bad index");
		return buf;
	}
	return evf_ip_fmt(&c[i].ip, buf, EVF_IP_STRLEN);
}

#define EXPECT_DF(c, n, v, esi, want) do {                                     \
		char b_[EVF_IP_STRLEN];                                        \
		const char *g_ = elected((c), (n), (v), (esi), b_);            \
		if (strcmp(g_, (want)) != 0)                                   \
			fprintf(stderr, "\n    %s:%d: v=%u elected %s, expected %s\n", \
				__FILE__, __LINE__, (unsigned int)(v), g_, (want)); \
		CU_ASSERT_STRING_EQUAL(g_, (want));                            \
	} while (0)

/* Next permutation of idx[0..n) in lexicographic order; false after the last. */
static bool
next_perm(unsigned int *idx, unsigned int n)
{
	int i = (int)n - 2, j;

	while (i >= 0 && idx[i] >= idx[i + 1])
		i--;
	if (i < 0)
		return false;
	j = (int)n - 1;
	while (idx[j] <= idx[i])
		j--;
	{
		unsigned int t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	for (unsigned int a = (unsigned int)i + 1, b = n - 1; a < b; a++, b--) {
		unsigned int t = idx[a];
		idx[a] = idx[b];
		idx[b] = t;
	}
	return true;
}

/* Elect over every order of c[0..n); returns how many orders elected an
 * address other than c[want] (0 when the order never matters). */
static unsigned int
orders_disagreeing(const struct evf_df_candidate *c, unsigned int n, uint32_t v,
		   const struct evf_esi *esi, unsigned int want, unsigned int *orders)
{
	struct evf_df_candidate p[EVF_ES_MAX_PE + 1] = { 0 };
	unsigned int idx[EVF_ES_MAX_PE + 1], bad = 0;

	for (unsigned int i = 0; i < n; i++)
		idx[i] = i;
	*orders = 0;
	do {
		int r;

		for (unsigned int i = 0; i < n; i++)
			p[i] = c[idx[i]];
		r = evf_df_elect(p, n, v, esi);
		if (r < 0 || (unsigned int)r >= n || !evf_ip_equal(&p[r].ip, &c[want].ip))
			bad++;
		(*orders)++;
	} while (next_perm(idx, n));
	return bad;
}

/* ---- HRW ---- */

static void
test_hrw_known_answer(void)
{
	struct evf_ip si = evft_ip("10.0.0.1");

	/* The vector gen_df.py checks itself against. */
	CU_ASSERT_EQUAL(evf_df_hrw_weight(100, &esi1, &si), DF_KNOWN_WRAND);
	CU_ASSERT_EQUAL(evf_df_hrw_weight(100, &esi1, &si), 664511525u);
	/* Weights are 31-bit. */
	for (uint32_t v = 1; v < 2000; v += 37) {
		struct evf_ip x = v4(0xc6120000u + v);

		CU_ASSERT(evf_df_hrw_weight(v, &esi1, &x) < 0x80000000u);
	}
}

static void
test_hrw_vectors(void)
{
	unsigned int weights = 0, wrong_w = 0, wrong_df = 0, wrong_order = 0, orders = 0, ties = 0;

	for (size_t r = 0; r < RTE_DIM(df_vectors); r++) {
		const struct df_vec *t = &df_vectors[r];
		struct evf_esi esi = esi_of(t->esi);
		struct evf_df_candidate c[5];
		unsigned int o;
		int df;

		for (unsigned int i = 0; i < t->n; i++) {
			uint32_t w;

			memset(&c[i], 0, sizeof(c[i]));
			c[i].ip = v4(t->ip[i]);
			c[i].alg = EVF_DF_HRW;
			w = evf_df_hrw_weight(t->v, &esi, &c[i].ip);
			weights++;
			if (w != t->w[i]) {
				wrong_w++;
				fprintf(stderr, "\n    row %zu candidate %u: weight %u, expected %u",
					r, i, w, t->w[i]);
			}
		}
		df = evf_df_elect(c, t->n, t->v, &esi);
		if (df != t->hrw) {
			wrong_df++;
			fprintf(stderr, "\n    row %zu (v %u): HRW DF index %d, expected %u", r, t->v,
				df, t->hrw);
		}
		wrong_order += orders_disagreeing(c, t->n, t->v, &esi, t->hrw, &o);
		orders += o;
		ties += t->tie;
	}
	printf("\n    %zu HRW vectors, %u weights, %u candidate orders, %u ties ",
	       RTE_DIM(df_vectors), weights, orders, ties);
	CU_ASSERT(RTE_DIM(df_vectors) >= 200);
	CU_ASSERT(ties >= 6);
	CU_ASSERT_EQUAL(wrong_w, 0);
	CU_ASSERT_EQUAL(wrong_df, 0);
	CU_ASSERT_EQUAL(wrong_order, 0);
}

/* Ties by hand: the weight depends on Si modulo 2^31 only. */
static void
test_hrw_tie(void)
{
	struct evf_df_candidate c[3] = {
		cand("138.0.0.1", EVF_DF_HRW, 0, false),
		cand("10.0.0.1", EVF_DF_HRW, 0, false),
	};
	unsigned int o;

	CU_ASSERT_EQUAL(evf_df_hrw_weight(100, &esi1, &c[0].ip),
			evf_df_hrw_weight(100, &esi1, &c[1].ip));
	EXPECT_DF(c, 2, 100, &esi1, "10.0.0.1");
	CU_ASSERT_EQUAL(orders_disagreeing(c, 2, 100, &esi1, 1, &o), 0);
	/* Don't-Preempt and preference do not matter to HRW. */
	c[0].dont_preempt = true;
	c[0].pref = 65535;
	EXPECT_DF(c, 2, 100, &esi1, "10.0.0.1");
}

/* IPv6 candidates (RFC 8584 defines Si for IPv4 only): evfwd folds an IPv6
 * address to its low 32 bits, documented in es_df.c. A tie with the IPv4
 * address of the same low 32 bits goes to the IPv4 one (lower family). */
static void
test_hrw_ipv6(void)
{
	struct evf_df_candidate c[2] = {
		cand("2001:db8::a00:1", EVF_DF_HRW, 0, false),
		cand("10.0.0.1", EVF_DF_HRW, 0, false),
	};
	struct evf_ip a = evft_ip("2001:db8:ffff::c612:3"), b = evft_ip("198.18.0.3");

	CU_ASSERT_EQUAL(evf_df_hrw_weight(100, &esi1, &c[0].ip), DF_KNOWN_WRAND);
	CU_ASSERT_EQUAL(evf_df_hrw_weight(77, &esi1, &a), evf_df_hrw_weight(77, &esi1, &b));
	EXPECT_DF(c, 2, 100, &esi1, "10.0.0.1");
	{
		unsigned int o;

		CU_ASSERT_EQUAL(orders_disagreeing(c, 2, 100, &esi1, 1, &o), 0);
	}
}

/* ---- modulo ---- */

static void
test_modulo_hand(void)
{
	struct evf_df_candidate two[2] = {
		cand("198.18.0.2", EVF_DF_MODULO, 0, false),
		cand("198.18.0.1", EVF_DF_MODULO, 0, false),
	};
	/* Numeric order 9.0.0.1 < 10.0.0.2 < 192.168.0.1 (text order differs),
	 * and 1.0.0.2 < 2.0.0.1 (memory order of the last byte differs). */
	struct evf_df_candidate three[3] = {
		cand("192.168.0.1", EVF_DF_MODULO, 0, false),
		cand("9.0.0.1", EVF_DF_MODULO, 0, false),
		cand("10.0.0.2", EVF_DF_MODULO, 0, false),
	};
	struct evf_df_candidate bytes[2] = {
		cand("2.0.0.1", EVF_DF_MODULO, 0, false),
		cand("1.0.0.2", EVF_DF_MODULO, 0, false),
	};

	EXPECT_DF(two, 2, 10, &esi1, "198.18.0.1");     /* 10 mod 2 = 0: lowest */
	EXPECT_DF(two, 2, 11, &esi1, "198.18.0.2");
	EXPECT_DF(two, 2, 16777215, &esi1, "198.18.0.2");
	EXPECT_DF(two, 2, 0, &esi1, "198.18.0.1");
	EXPECT_DF(three, 3, 0, &esi1, "9.0.0.1");
	EXPECT_DF(three, 3, 1, &esi1, "10.0.0.2");
	EXPECT_DF(three, 3, 2, &esi1, "192.168.0.1");
	EXPECT_DF(three, 3, 3, &esi1, "9.0.0.1");
	EXPECT_DF(three, 3, 100, &esi1, "10.0.0.2");     /* 100 mod 3 = 1 */
	EXPECT_DF(three, 3, 16777215, &esi1, "9.0.0.1"); /* divisible by 3 */
	EXPECT_DF(three, 3, 4294967295u, &esi1, "9.0.0.1");
	EXPECT_DF(bytes, 2, 2, &esi1, "1.0.0.2");
	EXPECT_DF(bytes, 2, 3, &esi1, "2.0.0.1");
	/* The ESI does not matter to modulo. */
	{
		struct evf_esi other = { { 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99 } };

		EXPECT_DF(three, 3, 100, &other, "10.0.0.2");
	}
	/* One candidate always wins; none elects nobody. */
	EXPECT_DF(two, 1, 11, &esi1, "198.18.0.2");
	CU_ASSERT_EQUAL(evf_df_elect(two, 0, 11, &esi1), -1);
	CU_ASSERT_EQUAL(evf_df_elect(NULL, 0, 11, &esi1), -1);
}

static void
test_modulo_ipv6_mixed(void)
{
	struct evf_df_candidate six[3] = {
		cand("2001:db8::10", EVF_DF_MODULO, 0, false),
		cand("2001:db8::2", EVF_DF_MODULO, 0, false),
		cand("2001:db8::1:0", EVF_DF_MODULO, 0, false),
	};
	/* IPv4 sorts before IPv6 whatever the values. */
	struct evf_df_candidate mixed[4] = {
		cand("::1", EVF_DF_MODULO, 0, false),
		cand("255.255.255.254", EVF_DF_MODULO, 0, false),
		cand("2001:db8::1", EVF_DF_MODULO, 0, false),
		cand("1.1.1.1", EVF_DF_MODULO, 0, false),
	};
	static const char *const mixed_order[] = { "1.1.1.1", "255.255.255.254", "::1",
						   "2001:db8::1" };

	EXPECT_DF(six, 3, 6, &esi1, "2001:db8::2");
	EXPECT_DF(six, 3, 7, &esi1, "2001:db8::10");
	EXPECT_DF(six, 3, 8, &esi1, "2001:db8::1:0");
	for (uint32_t v = 1000; v < 1008; v++)
		EXPECT_DF(mixed, 4, v, &esi1, mixed_order[v % 4]);
}

/* The order of the array never matters (every permutation). */
static void
test_modulo_order(void)
{
	struct evf_df_candidate c[5] = {
		cand("198.18.0.30", EVF_DF_MODULO, 0, false),
		cand("2001:db8::7", EVF_DF_MODULO, 0, false),
		cand("198.18.0.4", EVF_DF_MODULO, 0, false),
		cand("10.255.0.1", EVF_DF_MODULO, 0, false),
		cand("198.19.0.1", EVF_DF_MODULO, 0, false),
	};
	/* sorted: 10.255.0.1 (3), 198.18.0.4 (2), 198.18.0.30 (0), 198.19.0.1 (4), v6 (1) */
	static const unsigned int by_rank[5] = { 3, 2, 0, 4, 1 };
	unsigned int bad = 0, total = 0, o;

	for (uint32_t v = 20; v < 25; v++) {
		bad += orders_disagreeing(c, 5, v, &esi1, by_rank[v % 5], &o);
		total += o;
	}
	CU_ASSERT_EQUAL(total, 5 * 120);
	CU_ASSERT_EQUAL(bad, 0);
}

/* The generated rows' modulo winners (Python: sorted addresses, v mod n). */
static void
test_modulo_vectors(void)
{
	unsigned int wrong = 0, wrong_order = 0, o;

	for (size_t r = 0; r < RTE_DIM(df_vectors); r++) {
		const struct df_vec *t = &df_vectors[r];
		struct evf_esi esi = esi_of(t->esi);
		struct evf_df_candidate c[5];

		for (unsigned int i = 0; i < t->n; i++) {
			memset(&c[i], 0, sizeof(c[i]));
			c[i].ip = v4(t->ip[i]);
			c[i].alg = EVF_DF_MODULO;
		}
		if (evf_df_elect(c, t->n, t->v, &esi) != t->mod)
			wrong++;
		wrong_order += orders_disagreeing(c, t->n, t->v, &esi, t->mod, &o);
	}
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_EQUAL(wrong_order, 0);
}

/* ---- disagreement ---- */

/* RFC 8584 2.2: unless every candidate advertises the same algorithm, the
 * default (modulo) is used. The rows below are picked where HRW and modulo
 * elect different PEs, so the fallback is visible. */
static void
test_disagreement(void)
{
	unsigned int checked = 0, wrong = 0;

	for (size_t r = 0; r < RTE_DIM(df_vectors); r++) {
		const struct df_vec *t = &df_vectors[r];
		struct evf_esi esi = esi_of(t->esi);
		struct evf_df_candidate c[5];

		if (t->hrw == t->mod)
			continue;
		for (unsigned int i = 0; i < t->n; i++) {
			memset(&c[i], 0, sizeof(c[i]));
			c[i].ip = v4(t->ip[i]);
			c[i].alg = EVF_DF_HRW;
			c[i].pref = (uint16_t)(100 + i);
		}
		/* one PE (each position in turn) advertising something else */
		for (unsigned int odd = 0; odd < t->n; odd++) {
			for (int alg = EVF_DF_MODULO; alg <= EVF_DF_PREFERENCE; alg += 2) {
				unsigned int o;

				c[odd].alg = (enum evf_df_alg)alg;
				if (evf_df_elect(c, t->n, t->v, &esi) != t->mod)
					wrong++;
				wrong += orders_disagreeing(c, t->n, t->v, &esi, t->mod, &o);
				checked++;
			}
			c[odd].alg = EVF_DF_HRW;
		}
		/* and all agreeing again: HRW */
		if (evf_df_elect(c, t->n, t->v, &esi) != t->hrw)
			wrong++;
	}
	CU_ASSERT(checked >= 100);
	CU_ASSERT_EQUAL(wrong, 0);

	/* By hand: preference vs HRW candidates, the highest preference does
	 * not win once they disagree. */
	{
		struct evf_df_candidate c[3] = {
			cand("198.18.0.3", EVF_DF_PREFERENCE, 60000, true),
			cand("198.18.0.1", EVF_DF_PREFERENCE, 10, false),
			cand("198.18.0.2", EVF_DF_PREFERENCE, 20, false),
		};

		EXPECT_DF(c, 3, 5, &esi1, "198.18.0.3");
		c[2].alg = EVF_DF_MODULO;
		EXPECT_DF(c, 3, 5, &esi1, "198.18.0.3");    /* 5 mod 3 = 2: highest addr */
		EXPECT_DF(c, 3, 6, &esi1, "198.18.0.1");
		c[2].alg = EVF_DF_HRW;
		EXPECT_DF(c, 3, 7, &esi1, "198.18.0.2");    /* 7 mod 3 = 1 */
	}
}

/* ---- preference ---- */

static void
test_preference(void)
{
	unsigned int o;

	/* Highest preference wins, whatever the address. */
	{
		struct evf_df_candidate c[4] = {
			cand("198.18.0.1", EVF_DF_PREFERENCE, 100, false),
			cand("198.18.0.9", EVF_DF_PREFERENCE, 300, false),
			cand("198.18.0.5", EVF_DF_PREFERENCE, 200, true),
			cand("2001:db8::1", EVF_DF_PREFERENCE, 0, true),
		};

		for (uint32_t v = 1; v < 10; v++)
			EXPECT_DF(c, 4, v, &esi1, "198.18.0.9");
		CU_ASSERT_EQUAL(orders_disagreeing(c, 4, 3, &esi1, 1, &o), 0);
		CU_ASSERT_EQUAL(o, 24);
		c[3].pref = 65535;
		EXPECT_DF(c, 4, 3, &esi1, "2001:db8::1");
	}
	/* Equal preference: the one with Don't-Preempt set wins, even from a
	 * higher address. */
	{
		struct evf_df_candidate c[3] = {
			cand("198.18.0.1", EVF_DF_PREFERENCE, 500, false),
			cand("198.18.0.7", EVF_DF_PREFERENCE, 500, true),
			cand("198.18.0.3", EVF_DF_PREFERENCE, 499, true),
		};

		EXPECT_DF(c, 3, 1, &esi1, "198.18.0.7");
		CU_ASSERT_EQUAL(orders_disagreeing(c, 3, 1, &esi1, 1, &o), 0);
		/* Don't-Preempt does not beat a higher preference. */
		c[2].pref = 501;
		EXPECT_DF(c, 3, 1, &esi1, "198.18.0.3");
		c[2].dont_preempt = false;
		EXPECT_DF(c, 3, 1, &esi1, "198.18.0.3");
	}
	/* Equal preference and Don't-Preempt: the lowest address (IPv4 first). */
	{
		struct evf_df_candidate c[4] = {
			cand("198.18.0.20", EVF_DF_PREFERENCE, 32767, true),
			cand("2001:db8::1", EVF_DF_PREFERENCE, 32767, true),
			cand("198.18.0.3", EVF_DF_PREFERENCE, 32767, true),
			cand("198.18.0.100", EVF_DF_PREFERENCE, 32767, true),
		};

		EXPECT_DF(c, 4, 1, &esi1, "198.18.0.3");
		CU_ASSERT_EQUAL(orders_disagreeing(c, 4, 1, &esi1, 2, &o), 0);
		for (int i = 0; i < 4; i++)
			c[i].dont_preempt = false;
		EXPECT_DF(c, 4, 2, &esi1, "198.18.0.3");
		CU_ASSERT_EQUAL(orders_disagreeing(c, 4, 2, &esi1, 2, &o), 0);
		c[2].ip = evft_ip("198.18.0.200");
		EXPECT_DF(c, 4, 2, &esi1, "198.18.0.20");
		c[0].ip = evft_ip("2001:db8::0:2");
		c[3].ip = evft_ip("2001:db8::3");
		c[2].ip = evft_ip("2001:db8::1:0");
		EXPECT_DF(c, 4, 2, &esi1, "2001:db8::1");
	}
	/* Preference 0 and 65535 are ordinary values. */
	{
		struct evf_df_candidate c[2] = {
			cand("198.18.0.1", EVF_DF_PREFERENCE, 0, true),
			cand("198.18.0.2", EVF_DF_PREFERENCE, 65535, false),
		};

		EXPECT_DF(c, 2, 1, &esi1, "198.18.0.2");
		c[1].pref = 0;
		EXPECT_DF(c, 2, 1, &esi1, "198.18.0.1");
	}
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "HRW known answer (RFC 8584 3.2)", test_hrw_known_answer },
		{ "HRW generated vectors", test_hrw_vectors },
		{ "HRW tie: lowest address", test_hrw_tie },
		{ "HRW IPv6 candidates", test_hrw_ipv6 },
		{ "modulo by hand", test_modulo_hand },
		{ "modulo IPv6 and mixed families", test_modulo_ipv6_mixed },
		{ "modulo: candidate order does not matter", test_modulo_order },
		{ "modulo generated vectors", test_modulo_vectors },
		{ "disagreeing algorithms fall back to modulo", test_disagreement },
		{ "preference, Don't-Preempt, lowest address", test_preference },
	};

	(void)argc;
	(void)argv;
	return evft_run("df", cases, RTE_DIM(cases), NULL, NULL);
}
