/* dp_private.h: per-packet helpers shared by the worker's RX handlers:
 * drop accounting, TX buffering, egress to an attachment or a VTEP, flooding.
 * Worker context only. */
#ifndef EVF_DP_PRIVATE_H
#define EVF_DP_PRIVATE_H

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "evf_bd.h"
#include "evf_dp.h"
#include "evf_fdb.h"
#include "evf_pkt.h"
#include "evf_port.h"
#include "evf_vxlan.h"
#include "evf_vxlan_dp.h"

#define EVF_CHUNK 32  /* packets per bulk lookup: 2 keys each, rte_hash takes 64 */

static inline void
dp_drop(struct evf_worker *w, struct rte_mbuf *m, enum evf_drop_reason r, uint16_t in_port)
{
	w->stats->drops[r]++;
	w->stats->port[in_port].drops++;
	rte_pktmbuf_free(m);
}

void dp_tx_flush_port(struct evf_worker *w, uint16_t port);

static inline void
dp_tx_enqueue(struct evf_worker *w, const struct evf_port *p, struct rte_mbuf *m, uint16_t in_port)
{
	struct evf_txbuf *b = &w->tx[p->port_id];

	if (unlikely(m->nb_segs > 1 && !p->tx_multiseg)) {
		dp_drop(w, m, EVF_DROP_MULTISEG_TX, in_port);
		return;
	}
	if (unlikely(b->n == EVF_TXBUF_SIZE))
		dp_tx_flush_port(w, p->port_id);
	b->pkts[b->n++] = m;
	w->tx_pending |= 1ull << p->port_id;
}

/** Send an untagged (normalized) frame out of a local attachment. */
static inline void
dp_tx_attach(struct evf_worker *w, struct rte_mbuf *m, uint16_t aid, uint16_t in_port)
{
	const struct evf_attach *a = &evf_attachs[aid];
	const struct evf_iface *ifc = &evf_ifaces[a->iface];
	const struct evf_port *p = &evf_ports[ifc->port_id];

	if (unlikely(!evf_port_is_up(p))) {
		dp_drop(w, m, EVF_DROP_PORT_DOWN, in_port);
		return;
	}
	if (unlikely(m->pkt_len > (uint32_t)p->mtu + RTE_ETHER_HDR_LEN)) {
		dp_drop(w, m, EVF_DROP_MTU_EXCEEDED, in_port);
		return;
	}
	if (a->vlan != EVF_VLAN_UNTAGGED &&
	    unlikely(evf_vlan_push(m, (uint16_t)(m->vlan_tci | a->vlan)) < 0)) {
		dp_drop(w, m, EVF_DROP_NO_HEADROOM, in_port);
		return;
	}
	dp_tx_enqueue(w, p, m, in_port);
}

/** Encapsulate towards a remote VTEP in MAC-VRF bd. */
static inline void
dp_tx_vtep(struct evf_worker *w, struct rte_mbuf *m, uint16_t vtep_id, const struct evf_bd *bd,
	   uint32_t hash, uint16_t in_port)
{
	const struct evf_vtep *v = &evf_vteps[vtep_id];
	const struct evf_encap_tmpl *t;
	const struct evf_port *p;
	int r;

	if (unlikely(!v->usable)) {
		dp_drop(w, m, EVF_DROP_NO_VTEP_ROUTE, in_port);
		return;
	}
	t = &v->tmpl[evf_nb_uplinks == 1 ? 0 : hash % evf_nb_uplinks];
	p = &evf_ports[t->port_id];
	if (unlikely(!evf_port_is_up(p))) {
		dp_drop(w, m, EVF_DROP_PORT_DOWN, in_port);
		return;
	}
	r = evf_vxlan_encap(&m, t, bd->vxlan_vni, hash, p, w->pool);
	if (unlikely(r != 0)) {
		dp_drop(w, m, (enum evf_drop_reason)r, in_port);
		return;
	}
	dp_tx_enqueue(w, p, m, in_port);
}

static inline uint32_t
dp_frame_hash(const struct rte_mbuf *m)
{
	return evf_flow_hash(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, EVF_HASH_L34);
}

/** Flood a normalized frame in bd: local attachments except in_attach, and
 *  when to_remote (frames from access ports) every remote VTEP of the flood list. */
void dp_flood(struct evf_worker *w, struct rte_mbuf *m, const struct evf_bd *bd,
	uint16_t in_attach, bool to_remote, uint16_t in_port);

void dp_access_rx(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n);
void dp_network_rx(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n);

#endif /* EVF_DP_PRIVATE_H */
