/* dp_copy.h: flood copies (worker). A copy of a one-segment frame comes
 * from the worker's stash of mbufs, refilled with one bulk get from the pool
 * (one mempool call, one per-lcore cache lookup, for 32 copies) instead of
 * rte_pktmbuf_copy()'s allocation per copy; the frame bytes go with one
 * rte_memcpy. Chained frames still take rte_pktmbuf_copy(). What is left of
 * the stash goes back with the TX flush at the end of every poll loop
 * (dp_copy_release), so no mbuf is held between loops. */
#ifndef EVF_DP_COPY_H
#define EVF_DP_COPY_H

#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "evf_dp.h"

/** A private copy of m (NULL when the pool is empty). */
static inline struct rte_mbuf *
dp_copy(struct evf_worker *w, const struct rte_mbuf *m)
{
	struct rte_mbuf *c;

	if (unlikely(m->nb_segs != 1))
		return rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);
	if (unlikely(w->copy_n == 0)) {
		if (rte_pktmbuf_alloc_bulk(w->pool, w->copy_stash, EVF_COPY_STASH) != 0)
			return rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);
		w->copy_n = EVF_COPY_STASH;
	}
	c = w->copy_stash[--w->copy_n];
	if (unlikely(rte_pktmbuf_tailroom(c) < m->data_len)) {
		w->copy_stash[w->copy_n++] = c;
		return rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);
	}
	/* Of the header fields only these matter to the egress paths (the
	 * TCI's PCP for a pushed tag, and the RX port); the rest is as
	 * the allocation reset it (no egress path reads a dynamic field). */
	c->port = m->port;
	c->vlan_tci = m->vlan_tci;
	c->ol_flags = m->ol_flags & ~(RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL);
	c->data_len = m->data_len;
	c->pkt_len = m->data_len;
	rte_memcpy(rte_pktmbuf_mtod(c, void *), rte_pktmbuf_mtod(m, const void *), m->data_len);
	return c;
}

/** Give the rest of the stash back to the pool (end of a poll loop). */
static inline void
dp_copy_release(struct evf_worker *w)
{
	if (w->copy_n) {
		rte_pktmbuf_free_bulk(w->copy_stash, w->copy_n);
		w->copy_n = 0;
	}
}

#endif /* EVF_DP_COPY_H */
