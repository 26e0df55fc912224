/* evf_es_dp.h: Ethernet Segment decisions on the worker path (inline, no
 * state of its own): which PE serves a MAC behind a segment, whether a local
 * segment attachment may send or receive, DF and split-horizon filters. */
#ifndef EVF_ES_DP_H
#define EVF_ES_DP_H

#include <string.h>

#include "evf_bd.h"
#include "evf_bd_dp.h"
#include "evf_es.h"
#include "evf_pkt.h"

enum evf_es_target {
	EVF_ES_TO_NONE = 0,   /**< no usable PE */
	EVF_ES_TO_ATTACH,     /**< our own attachment on the segment */
	EVF_ES_TO_VTEP,       /**< a remote PE */
};

static inline bool
evf_es_is_df(const struct evf_es *es, const struct evf_esevi *x)
{
	const struct evf_es_df *t = __atomic_load_n(&es->df, __ATOMIC_ACQUIRE);

	return t != NULL && x->slot < t->nb && t->df[x->slot];
}

/** May a frame be sent to, or taken from, a local attachment on segment es?
 *  Down segments never; single-active segments only on the DF. */
static inline bool
evf_es_attach_usable(const struct evf_attach *a)
{
	const struct evf_es *es = &evf_ess[a->es];

	if (!__atomic_load_n(&es->local_up, __ATOMIC_ACQUIRE))
		return false;
	return !__atomic_load_n(&es->single_active, __ATOMIC_RELAXED) ||
		evf_es_is_df(es, &evf_esevis[a->esevi]);
}

/** The k-th set bit of m (k < popcount(m)). */
static inline unsigned int
evf_nth_bit(uint8_t m, unsigned int k)
{
	while (k--)
		m &= (uint8_t)(m - 1);
	return (unsigned int)__builtin_ctz(m);
}

/** The PE slots a MAC behind binding x of segment es may go to: the aliasing
 *  set (RT1 per-ES and per-EVI), or when it is empty the PEs of the MAC's RT2
 *  routes (aux; *rt2 set); for a single-active segment only the primary: the
 *  PE that advertised the MAC while it is in the set, else the first backup.
 *  The workers (evf_es_resolve) and the shell's view (evf_es_dest_view) both
 *  decide with this. */
static inline uint8_t
evf_es_pe_candidates_sa(const struct evf_es *es, const struct evf_esevi *x, uint8_t aux,
			bool single_active, bool *rt2)
{
	uint8_t m = __atomic_load_n(&es->per_es_mask, __ATOMIC_ACQUIRE) &
		__atomic_load_n(&x->per_evi_mask, __ATOMIC_ACQUIRE);

	*rt2 = false;
	if (m == 0) {
		m = aux; /* no aliasing PE left: per-MAC forwarding (RFC 7432 8.2) */
		*rt2 = true;
	}
	if (m != 0 && single_active) {
		uint8_t p = m & aux;

		m = (uint8_t)(1u << __builtin_ctz(p ? p : m));
	}
	return m;
}

static inline uint8_t
evf_es_pe_candidates(const struct evf_es *es, const struct evf_esevi *x, uint8_t aux, bool *rt2)
{
	return evf_es_pe_candidates_sa(es, x, aux,
		__atomic_load_n(&es->single_active, __ATOMIC_RELAXED), rt2);
}

/** Where a MAC behind binding esevi goes. aux: PE slots of its RT2 routes.
 *  All-active: one PE of the aliasing set (RT1 per-ES and per-EVI) chosen by
 *  the flow hash; single-active: the PE that advertised the MAC while it is in
 *  the set, else the first backup; an empty set falls back to the RT2 PEs.
 *  A segment we are attached to ourselves delivers locally while usable. */
static inline enum evf_es_target
evf_es_resolve(uint16_t esevi, uint8_t aux, uint32_t hash, uint16_t *id)
{
	const struct evf_esevi *x = &evf_esevis[esevi];
	const struct evf_es *es = &evf_ess[x->es];
	bool rt2, single_active;
	uint8_t m;

	if (es->local && x->local_attach != EVF_INVALID_ID &&
	    evf_es_attach_usable(&evf_attachs[x->local_attach])) {
		*id = x->local_attach;
		return EVF_ES_TO_ATTACH;
	}
	/* the segment's mode read once: the candidates and the pick agree */
	single_active = __atomic_load_n(&es->single_active, __ATOMIC_RELAXED);
	m = evf_es_pe_candidates_sa(es, x, aux, single_active, &rt2);
	if (m == 0)
		return EVF_ES_TO_NONE;
	if (single_active) {
		*id = es->pe_vtep[__builtin_ctz(m)]; /* the primary: one bit */
	} else {
		*id = es->pe_vtep[evf_nth_bit(m, evf_hash_pick(hash, (unsigned int)__builtin_popcount(m)))];
	}
	return EVF_ES_TO_VTEP;
}

/** Outer source of a VXLAN packet, for split horizon. */
struct evf_es_src {
	uint8_t family;
	uint32_t v4;
	uint8_t v6[16];
};

/** Is src a PE attached to segment es (local bias, RFC 8365 8.3.1)? */
static inline bool
evf_es_src_is_peer(const struct evf_es *es, const struct evf_es_src *src)
{
	uint8_t m = __atomic_load_n(&es->peer_mask, __ATOMIC_ACQUIRE);

	while (m) {
		unsigned int i = (unsigned int)__builtin_ctz(m);
		const struct evf_ip *p = &es->pe_ip[i];

		m &= (uint8_t)(m - 1);
		if (p->family != src->family)
			continue;
		if (p->family == AF_INET ? p->v4 == src->v4 : memcmp(p->v6, src->v6, 16) == 0)
			return true;
	}
	return false;
}

#endif /* EVF_ES_DP_H */
