/* dp_access.c: frames received on access ports (worker).
 *
 * Per chunk of up to 32 frames: classify port + VLAN -> attachment -> MAC-VRF
 * and normalize (tag popped), then one bulk FDB lookup of 2 keys per frame
 * (source for learning, destination for forwarding), then per frame: learn
 * report, and forward to a local attachment, a remote VTEP, a remote ES, or
 * flood. */
#include <rte_prefetch.h>

#include "dp_private.h"
#include "evf_learn.h"

#define ACCESS_PULLUP 128 /* L2 + enough of L3/L4 for the flow hash */

static inline uint64_t
mac_u64(const struct rte_ether_addr *a)
{
	uint64_t v = 0;

	memcpy(&v, a->addr_bytes, RTE_ETHER_ADDR_LEN);
	return v;
}

/* Tell the control thread about a new or moved source MAC, at most once per
 * holdoff per MAC and worker; a full ring loses the event, not the frame. */
static inline void
learn_report(struct evf_worker *w, uint16_t bd, const struct rte_ether_addr *mac, uint16_t aid)
{
	uint64_t key = ((uint64_t)bd << 48) | mac_u64(mac);
	struct evf_learn_cache_slot *s =
		&w->learn_cache[rte_hash_crc_8byte(key, 0) & (EVF_LEARN_CACHE - 1)];
	struct evf_learn_ev ev;

	if (s->key == key && w->tsc - s->tsc < w->learn_holdoff_tsc)
		return;
	s->key = key;
	s->tsc = w->tsc;
	ev.mac = *mac;
	ev.bd = bd;
	ev.attach = aid;
	ev.worker = w->index;
	ev.reserved = 0;
	if (unlikely(rte_ring_sp_enqueue_elem(w->learn_ring, &ev, sizeof(ev)) != 0))
		w->stats->learn_ring_full++;
	else
		w->stats->learn_events++;
}

/* Classify one frame; returns the attachment id or EVF_INVALID_ID after dropping it. */
static inline uint16_t
classify(struct evf_worker *w, const struct evf_port *port, const struct evf_iface *ifc,
	 struct rte_mbuf *m)
{
	uint32_t len = m->pkt_len;
	const struct rte_ether_hdr *eth;
	uint16_t vid = 0, tci = 0, aid, et;
	bool tagged = false;

	if (unlikely(len < RTE_ETHER_HDR_LEN)) {
		dp_drop(w, m, EVF_DROP_TRUNC_ETH, port->port_id);
		return EVF_INVALID_ID;
	}
	if (unlikely(m->data_len < RTE_MIN(len, (uint32_t)ACCESS_PULLUP)) &&
	    evf_mbuf_pullup(m, RTE_MIN(len, (uint32_t)ACCESS_PULLUP)) < 0) {
		dp_drop(w, m, EVF_DROP_NO_HEADROOM, port->port_id);
		return EVF_INVALID_ID;
	}
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	et = eth->ether_type;
	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		if (unlikely(len < RTE_ETHER_HDR_LEN + 4)) {
			dp_drop(w, m, EVF_DROP_TRUNC_ETH, port->port_id);
			return EVF_INVALID_ID;
		}
		tci = rte_be_to_cpu_16(((const struct rte_vlan_hdr *)(eth + 1))->vlan_tci);
		vid = tci & 0xfff;
		tagged = true;
	} else if (unlikely(et == rte_cpu_to_be_16(RTE_ETHER_TYPE_SLOW))) {
		dp_drop(w, m, EVF_DROP_SLOW_PROTOCOL, port->port_id);
		return EVF_INVALID_ID;
	}
	aid = ifc->vlan_to_attach[vid];
	if (unlikely(aid == EVF_INVALID_ID)) {
		dp_drop(w, m, EVF_DROP_NO_ATTACHMENT, port->port_id);
		return EVF_INVALID_ID;
	}
	if (unlikely(len - RTE_ETHER_HDR_LEN - (tagged ? 4 : 0) > port->mtu)) {
		dp_drop(w, m, EVF_DROP_OVERSIZE, port->port_id);
		return EVF_INVALID_ID;
	}
	if (unlikely(!rte_is_valid_assigned_ether_addr(&eth->src_addr))) {
		dp_drop(w, m, EVF_DROP_BAD_SRC_MAC, port->port_id);
		return EVF_INVALID_ID;
	}
	if (unlikely(evf_mac_is_link_local(&eth->dst_addr))) {
		dp_drop(w, m, EVF_DROP_LINK_LOCAL_DST, port->port_id);
		return EVF_INVALID_ID;
	}
	if (tagged) {
		evf_vlan_pop(m);
		m->vlan_tci = tci & 0xf000; /* keep PCP/DEI for the egress tag */
	} else {
		m->vlan_tci = 0;
	}
	return aid;
}

static void
access_chunk(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct evf_iface *ifc = &evf_ifaces[port->iface];
	struct evf_fdb_key keys[2 * EVF_CHUNK];
	const struct evf_fdb_key *kp[2 * EVF_CHUNK];
	uint64_t dest[2 * EVF_CHUNK];
	struct rte_mbuf *ok[EVF_CHUNK];
	uint16_t aid[EVF_CHUNK];
	uint64_t hits = 0;
	uint16_t k = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct rte_ether_hdr *eth;
		uint16_t a;

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		a = classify(w, port, ifc, m);
		if (a == EVF_INVALID_ID)
			continue;
		eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		keys[2 * k].mac = eth->src_addr;
		keys[2 * k].bd = evf_attachs[a].bd;
		keys[2 * k + 1].mac = eth->dst_addr;
		keys[2 * k + 1].bd = evf_attachs[a].bd;
		kp[2 * k] = &keys[2 * k];
		kp[2 * k + 1] = &keys[2 * k + 1];
		ok[k] = m;
		aid[k] = a;
		k++;
	}
	if (k == 0)
		return;
	evf_fdb_lookup_bulk(kp, 2u * k, &hits, dest);

	for (uint16_t j = 0; j < k; j++) {
		struct rte_mbuf *m = ok[j];
		const struct evf_attach *a = &evf_attachs[aid[j]];
		const struct evf_bd *bd = &evf_bds[a->bd];
		const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		bool src_hit = (hits >> (2 * j)) & 1;
		bool dst_hit = (hits >> (2 * j + 1)) & 1;
		uint64_t sd = dest[2 * j], dd = dest[2 * j + 1];

		if (likely(bd->learning)) {
			if (likely(src_hit)) {
				if (likely(evf_dest_kind(sd) == EVF_DEST_ATTACH &&
					   evf_dest_target(sd) == a->id))
					evf_fdb_touch(w->index, sd, w->now);
				else if (!(evf_dest_flags(sd) & EVF_DEST_F_PINNED))
					learn_report(w, bd->id, &eth->src_addr, a->id);
			} else if (unlikely(__atomic_load_n(&bd->at_limit, __ATOMIC_RELAXED))) {
				dp_drop(w, m, EVF_DROP_MAC_LIMIT, port->port_id);
				continue;
			} else {
				learn_report(w, bd->id, &eth->src_addr, a->id);
			}
		}
		if (unlikely(rte_is_multicast_ether_addr(&eth->dst_addr)) || !dst_hit) {
			/* A frame still carrying a (customer) tag is not sent over VXLAN
			 * unless the MAC-VRF allows inner VLANs (RFC 7348 6.1). */
			dp_flood(w, m, bd, a->id, bd->allow_inner_vlan ||
				 eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN),
				 port->port_id);
			continue;
		}
		switch (evf_dest_kind(dd)) {
		case EVF_DEST_ATTACH:
			if (unlikely(evf_dest_target(dd) == a->id))
				dp_drop(w, m, EVF_DROP_SAME_ATTACHMENT, port->port_id);
			else
				dp_tx_attach(w, m, evf_dest_target(dd), port->port_id);
			break;
		case EVF_DEST_VTEP:
			if (unlikely(!bd->allow_inner_vlan &&
				     eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)))
				dp_drop(w, m, EVF_DROP_INNER_VLAN, port->port_id);
			else
				dp_tx_vtep(w, m, evf_dest_target(dd), bd, dp_frame_hash(m),
					   port->port_id);
			break;
		default:
			dp_flood(w, m, bd, a->id, true, port->port_id);
			break;
		}
	}
}

void
dp_access_rx(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t off = 0; off < n; off += EVF_CHUNK)
		access_chunk(w, port, pkts + off, RTE_MIN((uint16_t)EVF_CHUNK, (uint16_t)(n - off)));
}
