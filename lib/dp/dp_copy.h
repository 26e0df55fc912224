/* dp_copy.h: flood copies (worker). A copy of a one-segment frame comes
 * from the worker's stash of mbufs, refilled with one bulk get from the pool
 * (one mempool call, one per-lcore cache lookup, for 32 copies) instead of
 * rte_pktmbuf_copy()'s allocation per copy; a frame of 32 to 64 bytes is
 * copied with two wide moves. A copy towards a VTEP takes its outer header
 * in the same pass (dp_tx.c). Chained frames still take rte_pktmbuf_copy().
 * What is left of the stash goes back with the TX flush at the end of
 * every poll loop (dp_copy_release), so no mbuf is held between loops. */
#ifndef EVF_DP_COPY_H
#define EVF_DP_COPY_H

#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "evf_dp.h"

/** Copy an n-byte frame: two overlapping 32-byte moves when 32 <= n <= 64
 *  (rte_memcpy's own way for that size, without its size and alignment
 *  dispatch), else rte_memcpy. Exact: nothing read or written beyond n. */
static __rte_always_inline void
dp_copy_frame(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	if (likely(n >= 32 && n <= 64)) {
		rte_mov32(dst, src);
		rte_mov32(dst + n - 32, src + n - 32);
	} else {
		rte_memcpy(dst, src, n);
	}
}

/** An mbuf of the stash with at least room bytes of tailroom, refilling the
 *  stash from the pool when it is empty; NULL when the pool is empty or the
 *  mbuf is too small (it stays in the stash). */
static inline struct rte_mbuf *
dp_copy_take(struct evf_worker *w, uint32_t room)
{
	struct rte_mbuf *c;

	if (unlikely(w->copy_n == 0)) {
		if (rte_pktmbuf_alloc_bulk(w->pool, w->copy_stash, EVF_COPY_STASH) != 0)
			return NULL;
		w->copy_n = EVF_COPY_STASH;
	}
	c = w->copy_stash[w->copy_n - 1];
	if (unlikely(rte_pktmbuf_tailroom(c) < room))
		return NULL;
	w->copy_n--;
	return c;
}

/** Of the header fields only these matter to the egress paths (the TCI's
 *  PCP for a pushed tag, and the RX port); the rest is as the allocation
 *  reset it (no egress path reads a dynamic field). */
static inline void
dp_copy_fields(struct rte_mbuf *c, const struct rte_mbuf *m, uint32_t len)
{
	c->port = m->port;
	c->vlan_tci = m->vlan_tci;
	c->ol_flags = m->ol_flags & ~(RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL);
	c->data_len = (uint16_t)len;
	c->pkt_len = len;
}

/** A private copy of m (NULL when the pool is empty). */
static inline struct rte_mbuf *
dp_copy(struct evf_worker *w, const struct rte_mbuf *m)
{
	struct rte_mbuf *c;

	if (unlikely(m->nb_segs != 1))
		return rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);
	c = dp_copy_take(w, m->data_len);
	if (unlikely(c == NULL))
		return rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);
	dp_copy_fields(c, m, m->data_len);
	dp_copy_frame(rte_pktmbuf_mtod(c, uint8_t *), rte_pktmbuf_mtod(m, const uint8_t *),
		      m->data_len);
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
