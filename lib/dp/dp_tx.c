/* dp_tx.c: TX buffer flushing and BUM flooding with replication (worker). */
#include <assert.h>
#include <string.h>

#include <rte_ethdev.h>

#include "dp_copy.h"
#include "dp_private.h"

static_assert(RTE_PKTMBUF_HEADROOM >= EVF_VXLAN_HDR_MAX,
	      "a flood copy's outer header goes into a fresh mbuf's headroom");

void
dp_tx_flush_port(struct evf_worker *w, uint16_t port)
{
	struct evf_txbuf *b = &w->tx[port];
	uint16_t sent, n = b->n;
	uint64_t bytes = 0;

	if (n == 0)
		return;
	/* Bytes were summed at enqueue: some PMDs free mbufs inside tx_burst. */
	bytes = b->bytes;
	sent = rte_eth_tx_burst(port, w->txq, b->pkts, n);
	if (unlikely(sent < n)) {
		for (uint16_t i = sent; i < n; i++)
			bytes -= b->pkts[i]->pkt_len;
		w->stats->drops[EVF_DROP_TX_FULL] += n - sent;
		rte_pktmbuf_free_bulk(&b->pkts[sent], n - sent);
	}
	w->stats->port[port].tx_pkts += sent;
	w->stats->port[port].tx_bytes += bytes;
	b->n = 0;
	b->bytes = 0;
}

void
dp_tx_enqueue_bulk(struct evf_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n,
		   uint64_t bytes)
{
	struct evf_txbuf *b = &w->tx[port];

	if (unlikely(!evf_port_is_up(&evf_ports[port]))) {
		/* Stopped while these were staged: drop them, counted. */
		w->stats->drops[EVF_DROP_PORT_DOWN] += n;
		rte_pktmbuf_free_bulk(pkts, n);
		return;
	}
	if (likely(b->n + n <= EVF_TXBUF_SIZE)) {
		if (b->n == 0)
			w->tx_pending |= 1ull << port;
		memcpy(&b->pkts[b->n], pkts, n * sizeof(*pkts));
		b->n += n;
		b->bytes += bytes;
		return;
	}
	while (n) {
		uint16_t room = EVF_TXBUF_SIZE - b->n, take = RTE_MIN(room, n);

		if (b->n == 0)
			w->tx_pending |= 1ull << port;
		memcpy(&b->pkts[b->n], pkts, take * sizeof(*pkts));
		for (uint16_t i = 0; i < take; i++)
			b->bytes += pkts[i]->pkt_len;
		b->n += take;
		pkts += take;
		n -= take;
		if (b->n == EVF_TXBUF_SIZE)
			dp_tx_flush_port(w, port);
	}
}

void
evf_dp_flush(struct evf_worker *w)
{
	uint64_t pending = w->tx_pending;

	if (unlikely(w->copy_n))
		dp_copy_release(w);
	w->tx_pending = 0;
	while (pending) {
		uint16_t p = (uint16_t)__builtin_ctzll(pending);

		pending &= pending - 1;
		dp_tx_flush_port(w, p);
	}
}

/* Flooded copies to attachments; on a LAG with a management member the
 * member choice depends on it (evf_lag_pick): T_ATTACH takes the management
 * member if up, T_ATTACH_HASHED (the host's extra copy) never does. */
enum target_kind { T_NONE, T_ATTACH, T_ATTACH_HASHED, T_VTEP };

static __rte_always_inline void
send_to(struct evf_worker *w, struct rte_mbuf *m, enum target_kind k, uint16_t id,
	const struct evf_bd *bd, uint32_t hash, uint16_t in_port)
{
	if (k == T_ATTACH)
		dp_tx_attach_ex(w, m, id, in_port, EVF_LAG_PICK_FLOOD);
	else if (k == T_ATTACH_HASHED)
		dp_tx_attach_ex(w, m, id, in_port, EVF_LAG_PICK_HASHED);
	else
		dp_tx_vtep(w, m, id, bd, hash, in_port);
}

/* The original goes to the last recipient; every earlier one gets a copy. */
static __rte_always_inline void
send_pending(struct evf_worker *w, struct rte_mbuf *m, enum target_kind k, uint16_t id,
	     const struct evf_bd *bd, uint32_t hash, uint16_t in_port)
{
	struct rte_mbuf *c = dp_copy(w, m);

	if (unlikely(c == NULL)) {
		w->stats->drops[EVF_DROP_NO_MBUF]++;
		w->stats->port[in_port].drops++;
		return;
	}
	w->stats->flood_copies++;
	send_to(w, c, k, id, bd, hash, in_port);
}

/* A copy of one-segment frame m towards VTEP v, built in one pass: a stash
 * mbuf takes m's bytes and the outer header in front of them, so the copy
 * needs no prepend. The same choices, checks and counters as send_pending()
 * to v: the uplink and template choice repeats dp_encap_vtep's (keep the two
 * alike; a shared helper made the unicast encapsulation 14 instructions
 * dearer, doc/benchmark.md round 4), the fields are evf_vxlan_fill's.
 * false: nothing was done (a chained frame, or no stash mbuf with the room),
 * the caller takes send_pending(). */
static __rte_always_inline bool
flood_vtep_copy(struct evf_worker *w, const struct rte_mbuf *m, const struct evf_vtep *v,
		const struct evf_bd *bd, uint32_t hash, uint16_t in_port)
{
	const struct evf_uplink_set *s = evf_uplink_set_of(v->family);
	const struct evf_uplink_hop *hop = NULL;
	const struct evf_encap_tmpl *t;
	const struct evf_port *up;
	uint32_t inner_len = m->data_len;
	enum evf_drop_reason why;
	struct rte_mbuf *c;
	uint8_t *h;

	if (unlikely(m->nb_segs != 1))
		return false;
	if (unlikely(!v->usable)) {
		why = EVF_DROP_NO_VTEP_ROUTE;
		goto drop;
	}
	if (likely(s != NULL)) {
		if (unlikely(s->n == 0)) {
			why = EVF_DROP_NO_UPLINK;
			goto drop;
		}
		hop = &s->hop[likely(s->n == 1) ? 0 : hash % s->n];
		t = &v->tmpl[hop->uplink];
	} else {
		t = &v->tmpl[likely(evf_nb_uplinks == 1) ? 0 : hash % evf_nb_uplinks];
	}
	if (unlikely(inner_len > t->max_inner)) {
		why = EVF_DROP_MTU_EXCEEDED;
		goto drop;
	}
	c = dp_copy_take(w, inner_len);
	if (unlikely(c == NULL))
		return false;
	/* the frame's bytes where a fresh mbuf's data starts (cache-line
	 * aligned, as the original's after a prepend), the header in front:
	 * a fresh mbuf of the worker's pool has RTE_PKTMBUF_HEADROOM bytes of
	 * headroom (evf_dp_init checks the pool), more than any template */
	c->data_off = (uint16_t)(c->data_off - t->len);
	up = &evf_ports[t->port_id];
	dp_copy_fields(c, m, t->len + inner_len);
	h = rte_pktmbuf_mtod(c, uint8_t *);
	dp_copy_frame(h + t->len, rte_pktmbuf_mtod(m, const uint8_t *), inner_len);
	evf_vxlan_fill(c, h, t, inner_len, bd->vxlan_vni, hash, up);
	if (hop != NULL && !hop->tmpl_macs) {
		memcpy(h, hop->macs, 8);
		memcpy(h + 8, hop->macs + 8, 4);
	}
	w->stats->flood_copies++;
	if (unlikely(!evf_port_is_up(up))) {
		dp_drop(w, c, EVF_DROP_PORT_DOWN, in_port);
		return true;
	}
	dp_tx_enqueue(w, up, c);
	return true;
drop:
	/* a replica made and dropped, as send_pending() would count it */
	w->stats->flood_copies++;
	w->stats->drops[why]++;
	w->stats->port[in_port].drops++;
	return true;
}

/* Why a flood recipient on a segment is skipped, or EVF_DROP_NONE. */
static inline enum evf_drop_reason
es_filter(const struct evf_attach *a, const struct dp_flood_src *src)
{
	const struct evf_es *es = &evf_ess[a->es];
	const struct evf_esevi *x = &evf_esevis[a->esevi];

	if (src->es == a->es)
		return EVF_DROP_LOCAL_BIAS;        /* from the same segment */
	if (!__atomic_load_n(&es->local_up, __ATOMIC_ACQUIRE))
		return EVF_DROP_ES_DOWN;
	if (src->outer != NULL) {
		if (evf_es_src_is_peer(es, src->outer))
			return EVF_DROP_LOCAL_BIAS; /* the peer delivered it (RFC 8365 8.3.1) */
		if (!evf_es_is_df(es, x))
			return EVF_DROP_DF_FILTER;  /* only the DF sends BUM to the segment */
	} else if (__atomic_load_n(&es->single_active, __ATOMIC_RELAXED) && !evf_es_is_df(es, x)) {
		return EVF_DROP_DF_FILTER;          /* single-active: the non-DF link is blocked */
	}
	return EVF_DROP_NONE;
}

void
dp_flood(struct evf_worker *w, struct rte_mbuf *m, const struct evf_bd *bd,
	 const struct dp_flood_src *src)
{
	const struct evf_flood *f = evf_bd_flood(bd);
	enum target_kind pk = T_NONE;
	uint16_t pid = 0, in_port = src->in_port;
	uint32_t hash = 0, filtered = 0;

	for (uint16_t i = 0; i < f->nb_local; i++) {
		uint16_t a = f->ids[i];

		if (a == src->attach)
			continue;
		if (unlikely(evf_attachs[a].es != EVF_INVALID_ID)) {
			enum evf_drop_reason r = es_filter(&evf_attachs[a], src);

			if (r != EVF_DROP_NONE) {
				/* a replica made and dropped */
				w->stats->drops[r]++;
				w->stats->port[in_port].drops++;
				filtered++;
				continue;
			}
		}
		if (pk != T_NONE)
			send_pending(w, m, pk, pid, bd, hash, in_port);
		pk = T_ATTACH;
		pid = a;
		/* a LAG whose management member takes flooded frames while the
		 * host does not collect there: one more copy on a hashed member */
		if (unlikely(evf_attachs[a].port == EVF_INVALID_ID) &&
		    evf_lag_flood_twice(&evf_lags[evf_ifaces[evf_attachs[a].iface].lag])) {
			send_pending(w, m, pk, pid, bd, hash, in_port);
			pk = T_ATTACH_HASHED;
		}
	}
	if (src->to_remote && f->nb_remote) {
		const uint16_t *vteps = &f->ids[f->nb_local];
		uint16_t last = (uint16_t)(f->nb_remote - 1);

		hash = dp_frame_hash(m);
		if (pk != T_NONE)
			send_pending(w, m, pk, pid, bd, hash, in_port);
		/* every VTEP but the last gets a copy with its header; the last the original */
		for (uint16_t i = 0; i < last; i++)
			if (!flood_vtep_copy(w, m, &evf_vteps[vteps[i]], bd, hash, in_port))
				send_pending(w, m, T_VTEP, vteps[i], bd, hash, in_port);
		pk = T_VTEP;
		pid = vteps[last];
	}
	if (pk == T_NONE) {
		if (filtered == 0) {
			dp_drop(w, m, EVF_DROP_NO_DESTINATION, in_port);
			return;
		}
		/* every recipient filtered: the original was one of those replicas */
		w->stats->flood_copies += filtered - 1;
		rte_pktmbuf_free(m);
		return;
	}
	w->stats->flood_copies += filtered;
	send_to(w, m, pk, pid, bd, hash, in_port);
}
