/* dp_private.h: per-packet helpers shared by the worker's RX handlers:
 * drop accounting, TX buffering, egress to an attachment or a VTEP, flooding.
 * Worker context only. */
#ifndef EVF_DP_PRIVATE_H
#define EVF_DP_PRIVATE_H

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "evf_bd.h"
#include "evf_bd_dp.h"
#include "evf_dp.h"
#include "evf_es_dp.h"
#include "evf_fdb.h"
#include "evf_lag_dp.h"
#include "evf_nd_dp.h"
#include "evf_pkt.h"
#include "evf_port.h"
#include "evf_vxlan.h"
#include "evf_vxlan_dp.h"

#define EVF_CHUNK 32  /* packets per FDB batch: 2 keys each (EVF_FDB_BATCH_MAX) */

static inline void
dp_drop(struct evf_worker *w, struct rte_mbuf *m, enum evf_drop_reason r, uint16_t in_port)
{
	w->stats->drops[r]++;
	w->stats->port[in_port].drops++;
	rte_pktmbuf_free(m);
}

void dp_tx_flush_port(struct evf_worker *w, uint16_t port);
/** Append n packets totalling bytes to a port's TX buffer (flushing when it
 *  fills); drops them as port-down if the port was stopped meanwhile. */
void dp_tx_enqueue_bulk(struct evf_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n,
	uint64_t bytes);

static inline void
dp_tx_enqueue(struct evf_worker *w, const struct evf_port *p, struct rte_mbuf *m)
{
	struct evf_txbuf *b = &w->tx[p->port_id];

	if (unlikely(b->n == EVF_TXBUF_SIZE))
		dp_tx_flush_port(w, p->port_id);
	if (b->n++ == 0)
		w->tx_pending |= 1ull << p->port_id;
	b->pkts[b->n - 1] = m;
	b->bytes += m->pkt_len;
}

/** Checks every egress makes; false after dropping m. (A stopped port is
 *  checked when staged packets are handed over, dp_tx_enqueue_bulk.) */
static inline bool
dp_egress_ok(struct evf_worker *w, const struct evf_port *p, struct rte_mbuf *m, uint16_t in_port)
{
	if (unlikely(m->nb_segs > 1 && !p->tx_multiseg)) {
		dp_drop(w, m, EVF_DROP_MULTISEG_TX, in_port);
		return false;
	}
	return true;
}

/** Member of a LAG attachment's LAG a (tagged, ready) frame leaves on, or
 *  EVF_INVALID_ID after dropping it. */
static inline uint16_t
dp_lag_member(struct evf_worker *w, struct rte_mbuf *m, const struct evf_attach *a,
	      enum evf_lag_pick pick, uint16_t in_port)
{
	const struct evf_lag *lag = &evf_lags[evf_ifaces[a->iface].lag];
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint16_t port;

	if (evf_lag_to_mgmt(lag, pick, a->vlan == EVF_VLAN_UNTAGGED ? 0 : a->vlan, eth))
		return lag->mgmt_port;
	port = evf_lag_hash_port(lag, eth, m->data_len);
	if (unlikely(port == EVF_INVALID_ID))
		dp_drop(w, m, EVF_DROP_LAG_DOWN, in_port);
	return port;
}

/** A frame for a MAC-VRF's gateway: to its host path within the host rate,
 *  or dropped (no host path: L3 routing is part 2). */
static inline bool
dp_irb_admit(struct evf_worker *w, struct rte_mbuf *m, const struct evf_attach *a,
	     uint16_t in_port)
{
	struct evf_nd_bd *nb = evf_nd_bds[a->bd];

	if (a->port == EVF_INVALID_ID) {
		dp_drop(w, m, EVF_DROP_IRB_NOT_ROUTED, in_port);
		return false;
	}
	if (nb != NULL && !evf_nd_budget_take(&nb->host_budget[w->index], nb->host_rate, w->tsc)) {
		evf_nd_wstats[w->index].host_limited++;
		dp_drop(w, m, EVF_DROP_HOST_PUNT_FULL, in_port);
		return false;
	}
	evf_nd_wstats[w->index].host_sent++;
	/* the host stack takes only frames to its interface's own MAC */
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), evf_ports[a->port].hw_mac.addr_bytes,
	       RTE_ETHER_ADDR_LEN);
	return true;
}

/** Prepare an untagged (normalized) frame for a local attachment: MTU, tag
 *  push, LAG member choice. Returns the egress port or EVF_INVALID_ID after
 *  dropping m. */
static inline uint16_t
dp_prep_attach_ex(struct evf_worker *w, struct rte_mbuf *m, uint16_t aid, uint16_t in_port,
		  enum evf_lag_pick pick)
{
	const struct evf_attach *a = &evf_attachs[aid];
	uint16_t port = a->port;

	if (unlikely(a->irb) && !dp_irb_admit(w, m, a, in_port))
		return EVF_INVALID_ID;
	if (unlikely(a->es != EVF_INVALID_ID) && !evf_es_attach_usable(a)) {
		dp_drop(w, m, __atomic_load_n(&evf_ess[a->es].local_up, __ATOMIC_RELAXED) ?
			EVF_DROP_DF_FILTER : EVF_DROP_ES_DOWN, in_port);
		return EVF_INVALID_ID;
	}
	if (unlikely(m->pkt_len > a->max_frame)) {
		dp_drop(w, m, EVF_DROP_MTU_EXCEEDED, in_port);
		return EVF_INVALID_ID;
	}
	if (a->vlan != EVF_VLAN_UNTAGGED &&
	    unlikely(evf_vlan_push(m, (uint16_t)(m->vlan_tci | a->vlan)) < 0)) {
		dp_drop(w, m, EVF_DROP_NO_HEADROOM, in_port);
		return EVF_INVALID_ID;
	}
	if (unlikely(port == EVF_INVALID_ID)) {
		port = dp_lag_member(w, m, a, pick, in_port);
		if (port == EVF_INVALID_ID)
			return EVF_INVALID_ID;
	}
	if (unlikely(m->nb_segs > 1) && !dp_egress_ok(w, &evf_ports[port], m, in_port))
		return EVF_INVALID_ID;
	return port;
}

static inline uint16_t
dp_prep_attach(struct evf_worker *w, struct rte_mbuf *m, uint16_t aid, uint16_t in_port)
{
	return dp_prep_attach_ex(w, m, aid, in_port, EVF_LAG_PICK_UNICAST);
}

/** Encapsulate with template t (of a usable VTEP) in MAC-VRF bd. Returns the
 *  packet to send on t->port_id, or NULL after dropping it. */
static inline struct rte_mbuf *
dp_prep_tmpl(struct evf_worker *w, struct rte_mbuf *m, const struct evf_encap_tmpl *t,
	     const struct evf_bd *bd, uint32_t hash, uint16_t in_port)
{
	const struct evf_port *p = &evf_ports[t->port_id];
	int r = evf_vxlan_encap(&m, t, bd->vxlan_vni, hash, p, w->pool);

	if (unlikely(r != 0)) {
		dp_drop(w, m, (enum evf_drop_reason)r, in_port);
		return NULL;
	}
	return dp_egress_ok(w, p, m, in_port) ? m : NULL;
}

/** Send an untagged (normalized) frame out of a local attachment. */
static inline void
dp_tx_attach_ex(struct evf_worker *w, struct rte_mbuf *m, uint16_t aid, uint16_t in_port,
		enum evf_lag_pick pick)
{
	uint16_t port = dp_prep_attach_ex(w, m, aid, in_port, pick);

	if (port == EVF_INVALID_ID)
		return;
	if (unlikely(!evf_port_is_up(&evf_ports[port]))) {
		dp_drop(w, m, EVF_DROP_PORT_DOWN, in_port);
		return;
	}
	dp_tx_enqueue(w, &evf_ports[port], m);
}

static inline void
dp_tx_attach(struct evf_worker *w, struct rte_mbuf *m, uint16_t aid, uint16_t in_port)
{
	dp_tx_attach_ex(w, m, aid, in_port, EVF_LAG_PICK_UNICAST);
}

/** Encapsulate towards VTEP v in MAC-VRF bd: the flow's hop among the
 *  usable uplinks of v's family (hop[hash % n] of the published set, lock
 *  free; every uplink with the template's MACs when no set was published),
 *  the template of that uplink, and the hop's outer MACs. Returns the packet
 *  to send on *port, or NULL after dropping it. */
static __rte_always_inline struct rte_mbuf *
dp_encap_vtep(struct evf_worker *w, struct rte_mbuf *m, const struct evf_vtep *v,
	      const struct evf_bd *bd, uint32_t hash, uint16_t in_port, uint16_t *port)
{
	const struct evf_uplink_set *s = evf_uplink_set_of(v->family);
	const struct evf_uplink_hop *hop = NULL;
	const struct evf_encap_tmpl *t;

	if (unlikely(!v->usable)) {
		dp_drop(w, m, EVF_DROP_NO_VTEP_ROUTE, in_port);
		return NULL;
	}
	if (likely(s != NULL)) {
		if (unlikely(s->n == 0)) {
			dp_drop(w, m, EVF_DROP_NO_UPLINK, in_port);
			return NULL;
		}
		hop = &s->hop[likely(s->n == 1) ? 0 : hash % s->n];
		t = &v->tmpl[hop->uplink];
	} else {
		t = &v->tmpl[likely(evf_nb_uplinks == 1) ? 0 : hash % evf_nb_uplinks];
	}
	m = dp_prep_tmpl(w, m, t, bd, hash, in_port);
	if (m != NULL && hop != NULL && !hop->tmpl_macs) {
		uint8_t *h = rte_pktmbuf_mtod(m, uint8_t *);

		memcpy(h, hop->macs, 8);
		memcpy(h + 8, hop->macs + 8, 4);
	}
	*port = t->port_id;
	return m;
}

/** Encapsulate towards a remote VTEP in MAC-VRF bd and queue. */
static inline void
dp_tx_vtep(struct evf_worker *w, struct rte_mbuf *m, uint16_t vtep_id, const struct evf_bd *bd,
	   uint32_t hash, uint16_t in_port)
{
	uint16_t port;

	m = dp_encap_vtep(w, m, &evf_vteps[vtep_id], bd, hash, in_port, &port);
	if (m == NULL)
		return;
	if (unlikely(!evf_port_is_up(&evf_ports[port]))) {
		dp_drop(w, m, EVF_DROP_PORT_DOWN, in_port);
		return;
	}
	dp_tx_enqueue(w, &evf_ports[port], m);
}

/** A chunk's unicast output, staged per run of one egress port so that the
 *  per-packet work stays in registers; handed to the TX buffer per run.
 *  Flush it before enqueuing anything else directly (flooding), so that
 *  packets keep their order on every port. */
struct dp_stage {
	uint16_t port;
	uint16_t n;
	uint64_t bytes;
	struct rte_mbuf *pkts[EVF_CHUNK];
};

static inline void
dp_stage_init(struct dp_stage *st)
{
	st->port = EVF_INVALID_ID;
	st->n = 0;
	st->bytes = 0;
}

static inline void
dp_stage_flush(struct evf_worker *w, struct dp_stage *st)
{
	if (st->n) {
		dp_tx_enqueue_bulk(w, st->port, st->pkts, st->n, st->bytes);
		st->n = 0;
		st->bytes = 0;
	}
}

static inline void
dp_stage_add(struct evf_worker *w, struct dp_stage *st, uint16_t port, struct rte_mbuf *m)
{
	if (unlikely(port != st->port)) {
		dp_stage_flush(w, st);
		st->port = port;
	}
	st->pkts[st->n++] = m;
	st->bytes += m->pkt_len;
}

static inline uint32_t
dp_frame_hash(const struct rte_mbuf *m)
{
	return evf_flow_hash(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, EVF_HASH_L34);
}

/** Where a flooded frame came from. */
struct dp_flood_src {
	uint16_t attach;                 /**< ingress attachment, EVF_INVALID_ID from the network */
	uint16_t es;                     /**< its Ethernet Segment, EVF_INVALID_ID if none */
	uint16_t in_port;
	bool to_remote;                  /**< also to the flood list's VTEPs (access frames) */
	const struct evf_es_src *outer;  /**< network frames: outer source, for local bias */
};

/** Flood a normalized frame in bd: local attachments except the ingress one,
 *  those on the ingress segment (local bias), those on a segment the outer
 *  source is a peer of (local bias) or we are not DF for (network frames), and
 *  when to_remote every remote VTEP of the flood list. A filtered recipient
 *  counts as a replica dropped under its reason. */
void dp_flood(struct evf_worker *w, struct rte_mbuf *m, const struct evf_bd *bd,
	const struct dp_flood_src *src);

void dp_access_rx(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n);
void dp_network_rx(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n);

#endif /* EVF_DP_PRIVATE_H */
