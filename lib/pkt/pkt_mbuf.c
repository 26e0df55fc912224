/* pkt_mbuf.c: slow-path mbuf helpers (worker context). */
#include <string.h>

#include <rte_mbuf.h>

#include "evf_pkt.h"

int
evf_mbuf_pullup(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *first = m;

	if (len > m->pkt_len)
		return -1;
	if (first->data_len >= len)
		return 0;
	if (rte_pktmbuf_tailroom(first) < len - first->data_len)
		return -1;

	while (first->data_len < len) {
		struct rte_mbuf *seg = first->next;
		uint32_t need = len - first->data_len;
		uint32_t take;

		if (seg == NULL)
			return -1;
		take = RTE_MIN(need, (uint32_t)seg->data_len);
		memcpy(rte_pktmbuf_mtod_offset(first, uint8_t *, first->data_len),
		       rte_pktmbuf_mtod(seg, uint8_t *), take);
		first->data_len += take;
		seg->data_off += take;
		seg->data_len -= take;
		if (seg->data_len == 0) {
			/* Unlink and free the emptied segment. */
			first->next = seg->next;
			first->nb_segs--;
			seg->next = NULL;
			seg->nb_segs = 1;
			seg->pkt_len = 0;
			rte_pktmbuf_free_seg(seg);
		}
	}
	return 0;
}

int
evf_mbuf_trim(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *seg = m;
	uint32_t keep, acc = 0;
	uint16_t nb = 1;

	if (len == 0)
		return 0;
	if (len > m->pkt_len)
		return -1;
	if (rte_pktmbuf_trim(m, (uint16_t)RTE_MIN(len, (uint32_t)UINT16_MAX)) == 0 && len <= UINT16_MAX)
		return 0; /* all of it in the last segment */
	keep = m->pkt_len - len;
	while (acc + seg->data_len < keep) {
		acc += seg->data_len;
		seg = seg->next;
		nb++;
	}
	seg->data_len = (uint16_t)(keep - acc);
	if (seg->next != NULL) {
		rte_pktmbuf_free(seg->next);
		seg->next = NULL;
	}
	m->pkt_len = keep;
	m->nb_segs = nb;
	return 0;
}

static inline uint32_t
fold32(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	return (s & 0xffff) + (s >> 16);
}

int
evf_raw_cksum_mbuf(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint16_t *sum)
{
	uint32_t total = 0, done = 0;
	const struct rte_mbuf *seg = m;

	if (off + len > m->pkt_len)
		return -1;
	while (seg != NULL && off >= seg->data_len) {
		off -= seg->data_len;
		seg = seg->next;
	}
	while (done < len && seg != NULL) {
		uint32_t n = RTE_MIN((uint32_t)seg->data_len - off, len - done);
		uint32_t part = fold32(__rte_raw_cksum(rte_pktmbuf_mtod_offset(seg, const void *, off),
			n, 0));

		/* A chunk starting at an odd offset of the range has its bytes swapped. */
		if (done & 1)
			part = ((part & 0xff) << 8) | (part >> 8);
		total += part;
		done += n;
		off = 0;
		seg = seg->next;
	}
	*sum = (uint16_t)fold32(total);
	return done == len ? 0 : -1;
}
