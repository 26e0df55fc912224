/* es_df.c: DF election algorithms as pure functions (control thread and unit
 * tests): modulo service carving (RFC 7432 8.5), highest random weight
 * (RFC 8584 section 3.2) and highest preference (RFC 9785). */
#include <arpa/inet.h>
#include <string.h>

#include "evf_es.h"
#include "evf_es_ctl.h"

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320, init and final xor 0xFFFFFFFF):
 * the digest RFC 8584 uses for D(v, Es). Bitwise: inputs are 14 bytes. */
static uint32_t
crc32_ieee(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* One step of the RFC's linear congruence, modulo 2^31. */
static uint32_t
lcg31(uint64_t x)
{
	return (uint32_t)((1103515245ull * x + 12345ull) & 0x7fffffffull);
}

/* Si: the IPv4 address as a number; an IPv6 address folds to its low 32 bits
 * (RFC 8584 gives no IPv6 reduction; all evfwd PEs use this one). */
static uint32_t
hrw_si(const struct evf_ip *ip)
{
	uint32_t v;

	if (ip->family == AF_INET)
		return ntohl(ip->v4);
	memcpy(&v, ip->v6 + 12, sizeof(v));
	return ntohl(v);
}

uint32_t
evf_df_hrw_weight(uint32_t v, const struct evf_esi *esi, const struct evf_ip *ip)
{
	uint8_t buf[4 + EVF_ESI_LEN];
	uint32_t vbe = htonl(v), d;

	memcpy(buf, &vbe, 4);
	memcpy(buf + 4, esi->b, EVF_ESI_LEN);
	d = crc32_ieee(buf, sizeof(buf)) & 0x7fffffffu;  /* D(v, Es): 31-bit digest */
	/* Wrand = (a * ((a * Si + c) XOR D) + c) mod 2^31; reducing the inner
	 * term first does not change the result modulo 2^31. */
	return lcg31(lcg31(hrw_si(ip)) ^ d);
}

/* Candidate order for modulo carving: increasing address (IPv4 before IPv6). */
static int
rank_by_address(const struct evf_df_candidate *cand, unsigned int n, unsigned int which)
{
	int r = 0;

	for (unsigned int i = 0; i < n; i++)
		if (evf_ip_cmp(&cand[i].ip, &cand[which].ip) < 0)
			r++;
	return r;
}

static int
elect_modulo(const struct evf_df_candidate *cand, unsigned int n, uint32_t v)
{
	unsigned int want = v % n;

	for (unsigned int i = 0; i < n; i++)
		if ((unsigned int)rank_by_address(cand, n, i) == want)
			return (int)i;
	return -1;
}

static int
elect_hrw(const struct evf_df_candidate *cand, unsigned int n, uint32_t v,
	  const struct evf_esi *esi)
{
	int best = -1;
	uint32_t best_w = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint32_t w = evf_df_hrw_weight(v, esi, &cand[i].ip);

		/* highest weight; a tie goes to the numerically lowest address */
		if (best < 0 || w > best_w ||
		    (w == best_w && evf_ip_cmp(&cand[i].ip, &cand[best].ip) < 0)) {
			best = (int)i;
			best_w = w;
		}
	}
	return best;
}

static int
elect_preference(const struct evf_df_candidate *cand, unsigned int n)
{
	int best = -1;

	/* highest preference; then the Don't-Preempt bit set; then lowest address */
	for (unsigned int i = 0; i < n; i++) {
		const struct evf_df_candidate *c = &cand[i], *b;

		if (best < 0) {
			best = (int)i;
			continue;
		}
		b = &cand[best];
		if (c->pref != b->pref) {
			if (c->pref > b->pref)
				best = (int)i;
		} else if (c->dont_preempt != b->dont_preempt) {
			if (c->dont_preempt)
				best = (int)i;
		} else if (evf_ip_cmp(&c->ip, &b->ip) < 0) {
			best = (int)i;
		}
	}
	return best;
}

enum evf_df_alg
evf_df_agreed_alg(const struct evf_df_candidate *cand, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		if (cand[i].alg != cand[0].alg)
			return EVF_DF_MODULO; /* no agreement: default algorithm (RFC 8584 2.2) */
	/* a type evfwd does not run (lowest preference, ...): the default too */
	return cand[0].alg <= EVF_DF_PREFERENCE ? cand[0].alg : EVF_DF_MODULO;
}

int
evf_df_elect(const struct evf_df_candidate *cand, unsigned int n, uint32_t v,
	     const struct evf_esi *esi)
{
	if (n == 0)
		return -1;
	switch (evf_df_agreed_alg(cand, n)) {
	case EVF_DF_HRW:
		return elect_hrw(cand, n, v, esi);
	case EVF_DF_PREFERENCE:
		return elect_preference(cand, n);
	default:
		return elect_modulo(cand, n, v);
	}
}
