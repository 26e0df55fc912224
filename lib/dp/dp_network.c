/* dp_network.c: VXLAN packets received on network ports (worker).
 *
 * Per chunk: validate outer headers, VNI -> MAC-VRF (last-VNI cache), strip
 * the outer headers and queue the inner destination's FDB key (its bucket
 * prefetched); then per frame look it up and forward to the local
 * attachment or flood to the local attachments. Nothing
 * received from the network is ever sent back to it. */
#include <rte_prefetch.h>

#include "dp_private.h"
#include "evf_underlay_dp.h"

/* A frame that is not VXLAN for us, on a port with an underlay: ARP and
 * NS/NA go to the underlay's slow path (answered back out the port, taken
 * in, or dropped under their reason). false: not ARP/ND, the caller drops
 * it under the parser's reason. */
static bool
network_nd(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf *m)
{
	uint16_t reason = EVF_DROP_NONE;

	switch (evf_ul_network(m, port->port_id, port->underlay_vlan, w->index, w->tsc, &reason)) {
	case EVF_UL_REPLY:
		dp_tx_enqueue(w, port, m);
		return true;
	case EVF_UL_CONSUMED:
		rte_pktmbuf_free(m);
		return true;
	case EVF_UL_DROP:
		dp_drop(w, m, (enum evf_drop_reason)reason, port->port_id);
		return true;
	default:
		return false;
	}
}

static void
network_chunk(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	struct evf_fdb_batch fb;
	struct evf_fdb_run dst_run;
	struct rte_mbuf *ok[EVF_CHUNK];
	uint16_t bdid[EVF_CHUNK];
	uint8_t slot[EVF_CHUNK];
	struct evf_es_src osrc[EVF_CHUNK]; /* outer source, for split horizon */
	uint32_t last_vni = 0;
	uint16_t last_bd = EVF_INVALID_ID;
	uint16_t k = 0;
	const uint16_t in = port->port_id;
	uint64_t rx_bytes = 0;

	evf_fdb_batch_init(&fb);
	evf_fdb_run_init(&dst_run);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *eth;
		struct evf_outer o;
		uint16_t b;
		int r;

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		rx_bytes += m->pkt_len;
		o.vni = 0;
		o.strip = 0;
		r = evf_vxlan_parse_outer(port, m, &o);
		if (unlikely(r != 0)) {
			if (evf_ul_ports[in] == NULL || !network_nd(w, port, m))
				dp_drop(w, m, (enum evf_drop_reason)r, in);
			continue;
		}
		if (likely(o.vni == last_vni)) {
			b = last_bd;
		} else {
			b = evf_bd_lookup_vni(o.vni);
			last_vni = o.vni;
			last_bd = b;
		}
		if (unlikely(b == EVF_INVALID_ID)) {
			dp_drop(w, m, EVF_DROP_UNKNOWN_VNI, in);
			continue;
		}
		rte_pktmbuf_adj(m, o.strip);
		eth = rte_pktmbuf_mtod(m, const uint8_t *);
		/* RFC 7348 6.1: inner VLAN tags (802.1Q, and 802.1ad S-tags) are
		 * discarded unless the MAC-VRF allows them. */
		if (unlikely(evf_eth_type(eth) == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN) ||
			     evf_eth_type(eth) == rte_cpu_to_be_16(RTE_ETHER_TYPE_QINQ)) &&
		    !evf_bds[b].allow_inner_vlan) {
			dp_drop(w, m, EVF_DROP_INNER_VLAN, in);
			continue;
		}
		if (unlikely(!evf_mac_is_valid_src(eth + EVF_ETH_SRC))) {
			dp_drop(w, m, EVF_DROP_BAD_SRC_MAC, in);
			continue;
		}
		if (unlikely(evf_mac_is_group(eth + EVF_ETH_DST)) &&
		    evf_mac_is_link_local(eth + EVF_ETH_DST)) {
			dp_drop(w, m, EVF_DROP_LINK_LOCAL_DST, in);
			continue;
		}
		m->vlan_tci = 0;
		m->ol_flags = 0;
		slot[k] = evf_fdb_batch_add(&fb, &dst_run,
			evf_mac48(eth + EVF_ETH_DST) | ((uint64_t)b << 48));
		osrc[k].family = o.family;
		if (likely(o.family == AF_INET))
			osrc[k].v4 = o.src_v4;
		else
			memcpy(osrc[k].v6, o.src_v6, 16);
		ok[k] = m;
		bdid[k] = b;
		k++;
	}
	w->stats->port[in].rx_bytes += rx_bytes;
	if (k == 0)
		return;

	struct dp_stage st;

	dp_stage_init(&st);

	for (uint16_t j = 0; j < k; j++) {
		struct rte_mbuf *m = ok[j];
		const struct evf_bd *bd = &evf_bds[bdid[j]];
		const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
		uint64_t d = 0;
		uint16_t aid = EVF_INVALID_ID;

		if (unlikely(evf_mac_is_group(eth + EVF_ETH_DST)) ||
		    !evf_fdb_batch_find(&fb, slot[j], &d) || evf_dest_kind(d) == EVF_DEST_NONE) {
			struct dp_flood_src fs = {
				.attach = EVF_INVALID_ID, .es = EVF_INVALID_ID, .in_port = in,
				.to_remote = false, .outer = &osrc[j],
			};

			dp_stage_flush(w, &st); /* keep per-port order */
			dp_flood(w, m, bd, &fs);
			continue;
		}
		if (likely(evf_dest_kind(d) == EVF_DEST_ATTACH)) {
			aid = evf_dest_target(d);
		} else if (evf_dest_kind(d) == EVF_DEST_ES) {
			uint16_t id;

			/* a MAC on one of our segments, synced from a peer's RT2 */
			if (evf_es_resolve(evf_dest_target(d), evf_dest_aux(d), 0, &id) ==
			    EVF_ES_TO_ATTACH)
				aid = id;
		}
		if (aid != EVF_INVALID_ID) {
			uint16_t out = dp_prep_attach(w, m, aid, in);

			if (out != EVF_INVALID_ID)
				dp_stage_add(w, &st, out, m);
		} else {
			dp_drop(w, m, EVF_DROP_REMOTE_TO_REMOTE, in);
		}
	}
	dp_stage_flush(w, &st);
}

void
dp_network_rx(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t off = 0; off < n; off += EVF_CHUNK)
		network_chunk(w, port, pkts + off, RTE_MIN((uint16_t)EVF_CHUNK, (uint16_t)(n - off)));
}
