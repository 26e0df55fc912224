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
