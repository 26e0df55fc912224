/* dp_access.c: frames received on access ports (worker).
 *
 * Per chunk of up to 32 frames, two passes. First: classify port + VLAN ->
 * attachment -> MAC-VRF, normalize (tag popped) and queue up to 2 FDB keys
 * per frame (source for learning, destination for forwarding), prefetching
 * their buckets. Second, per frame: look the keys up, decide, and forward to
 * a local attachment, a remote VTEP, or flood.
 *
 * Runs: bursts usually carry runs of frames with the same header (one flow,
 * or one host talking to its gateway). A frame whose first 16 bytes equal the
 * previous classified frame's gets that frame's classification; a repeated
 * FDB key is queued once; a frame with the same attachment, source and
 * destination entries as the previous one gets its decision without a
 * lookup (learning work is done once per run). Per frame there remain the
 * length checks, the tag pop, the flow hash and the encapsulation. */
#include <rte_prefetch.h>

#include "dp_private.h"
#include "evf_fdb.h"

#define ACCESS_PULLUP 128 /* L2 + enough of L3/L4 for the flow hash */

/* Tell the control thread about a new or moved source MAC, at most once per
 * holdoff per MAC and worker; a full ring loses the event, not the frame. */
static inline void
learn_report(struct evf_worker *w, uint16_t bd, const uint8_t *mac, uint16_t aid)
{
	uint64_t key = ((uint64_t)bd << 48) | evf_mac48(mac);
	struct evf_learn_cache_slot *s =
		&w->learn_cache[rte_hash_crc_8byte(key, 0) & (EVF_LEARN_CACHE - 1)];
	struct evf_learn_ev ev;

	if (s->key == key && w->tsc - s->tsc < w->learn_holdoff_tsc)
		return;
	s->key = key;
	s->tsc = w->tsc;
	memcpy(ev.mac.addr_bytes, mac, RTE_ETHER_ADDR_LEN);
	ev.bd = bd;
	ev.attach = aid;
	ev.worker = w->index;
	ev.reserved = 0;
	if (unlikely(rte_ring_sp_enqueue_elem(w->learn_ring, &ev, sizeof(ev)) != 0))
		w->stats->learn_ring_full++;
	else
		w->stats->learn_events++;
}

/* Classify one frame; returns the attachment id or EVF_INVALID_ID after
 * dropping it. pulled: the caller saw at least 18 bytes, and the first
 * ACCESS_PULLUP (or the whole frame) in the first segment. */
static inline uint16_t
classify(struct evf_worker *w, const struct evf_port *port, const struct evf_iface *ifc,
	 struct rte_mbuf *m, bool pulled)
{
	uint32_t len = m->pkt_len;
	const uint8_t *eth;
	uint16_t vid = 0, tci = 0, aid, et;
	bool tagged = false;

	if (unlikely(!pulled)) {
		if (len < RTE_ETHER_HDR_LEN) {
			dp_drop(w, m, EVF_DROP_TRUNC_ETH, port->port_id);
			return EVF_INVALID_ID;
		}
		if (m->data_len < RTE_MIN(len, (uint32_t)ACCESS_PULLUP) &&
		    evf_mbuf_pullup(m, RTE_MIN(len, (uint32_t)ACCESS_PULLUP)) < 0) {
			dp_drop(w, m, EVF_DROP_NO_HEADROOM, port->port_id);
			return EVF_INVALID_ID;
		}
	}
	eth = rte_pktmbuf_mtod(m, const uint8_t *);
	et = evf_eth_type(eth);
	if (et == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		if (unlikely(len < RTE_ETHER_HDR_LEN + 4)) {
			dp_drop(w, m, EVF_DROP_TRUNC_ETH, port->port_id);
			return EVF_INVALID_ID;
		}
		tci = evf_bswap16(evf_ld16(eth + RTE_ETHER_HDR_LEN));
		vid = tci & 0xfff;
		tagged = true;
	} else if (unlikely(et == rte_cpu_to_be_16(RTE_ETHER_TYPE_SLOW))) {
		/* LACP and Marker PDUs of a LAG member: the control thread's */
		if (port->lag == EVF_INVALID_ID)
			dp_drop(w, m, EVF_DROP_SLOW_PROTOCOL, port->port_id);
		else if (unlikely(rte_ring_sp_enqueue(w->punt_ring, m) != 0))
			dp_drop(w, m, EVF_DROP_PUNT_FULL, port->port_id);
		else
			w->stats->punted++;
		return EVF_INVALID_ID;
	}
	if (unlikely(port->lag != EVF_INVALID_ID) && !evf_lag_rx_ok(port, eth, vid)) {
		dp_drop(w, m, EVF_DROP_LAG_NOT_COLLECTING, port->port_id);
		return EVF_INVALID_ID;
	}
	aid = ifc->vlan_to_attach[vid];
	if (unlikely(aid == EVF_INVALID_ID)) {
		dp_drop(w, m, EVF_DROP_NO_ATTACHMENT, port->port_id);
		return EVF_INVALID_ID;
	}
	/* A single-active segment's non-DF link carries nothing (RFC 7432 8.5). */
	if (unlikely(evf_attachs[aid].es != EVF_INVALID_ID) &&
	    !evf_es_attach_usable(&evf_attachs[aid])) {
		dp_drop(w, m, __atomic_load_n(&evf_ess[evf_attachs[aid].es].local_up,
			__ATOMIC_RELAXED) ? EVF_DROP_DF_FILTER : EVF_DROP_ES_DOWN, port->port_id);
		return EVF_INVALID_ID;
	}
	if (unlikely(len - RTE_ETHER_HDR_LEN - (tagged ? 4 : 0) > port->mtu)) {
		dp_drop(w, m, EVF_DROP_OVERSIZE, port->port_id);
		return EVF_INVALID_ID;
	}
	if (unlikely(!evf_mac_is_valid_src(eth + EVF_ETH_SRC))) {
		dp_drop(w, m, EVF_DROP_BAD_SRC_MAC, port->port_id);
		return EVF_INVALID_ID;
	}
	if (unlikely(evf_mac_is_group(eth + EVF_ETH_DST)) &&
	    evf_mac_is_link_local(eth + EVF_ETH_DST)) {
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

/* A frame of a header run (its tag not popped yet) that is an ARP or an NS/NA. */
static inline bool
nd_frame(const struct rte_mbuf *m, bool tagged)
{
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t off = tagged ? 4 : 0;

	if (m->data_len < 14 + off)
		return false;
	/* behind a tag the run's words do not cover the EtherType: an ARP
	 * can follow an IPv4 frame of the same MACs and tag */
	if (evf_ld16(eth + 12 + off) == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP))
		return true;
	return m->data_len >= 14 + off + 41 &&
		evf_ld16(eth + 12 + off) == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) &&
		eth[14 + off + 6] == 58 &&
		(eth[14 + off + 40] == EVF_ICMP6_NS || eth[14 + off + 40] == EVF_ICMP6_NA);
}

/* The FDB key of the MAC in the low 6 bytes of word v (the rest masked off). */
static inline uint64_t
mac_word_key(uint64_t v, uint16_t bd)
{
	return (v & 0xffffffffffffull) | ((uint64_t)bd << 48);
}

static inline uint64_t
mac_key(const void *mac_at, uint16_t bd)
{
	return mac_word_key(evf_ld64(mac_at), bd); /* 6 MAC bytes + 2 following bytes */
}

/* What to do with every frame of a run sharing attachment, source and destination. */
enum access_action {
	ACT_TX_ATTACH,    /* target: attachment */
	ACT_TX_VTEP,      /* target: VTEP */
	ACT_TX_ES,        /* target: (segment, MAC-VRF) binding; PE chosen per flow */
	ACT_FLOOD,        /* flag: also to remote VTEPs */
	ACT_DROP,         /* target: drop reason */
};

struct access_decision {
	uint8_t action;
	uint8_t to_remote;
	uint8_t aux;                  /* ACT_TX_ES: PE slots of the MAC's RT2 routes */
	uint16_t target;
	const struct evf_vtep *vtep;  /* ACT_TX_VTEP */
};

/* Decide for the first frame of a run; also does that run's learning work.
 * The source is looked up here, the destination only when it is unicast. */
static inline struct access_decision
decide(struct evf_worker *w, const struct evf_fdb_batch *fb, const struct evf_attach *a,
       const struct evf_bd *bd, const uint8_t *eth, uint8_t src_slot,
       uint8_t dst_slot, bool inner_tagged)
{
	struct access_decision d = { .action = ACT_FLOOD, .to_remote = 1 };
	uint64_t sd, dd;

	if (likely(evf_fdb_batch_find(fb, src_slot, &sd))) {
		if (likely(evf_dest_is_attach(sd, a->id))) {
			if (likely(bd->learning))
				evf_fdb_touch(w->index, sd, w->now);
		} else if (unlikely(evf_dest_flags(sd) & EVF_DEST_F_BLOCK)) {
			/* frozen with action blackhole, seen away from where it is held */
			d.action = ACT_DROP;
			d.target = EVF_DROP_FROZEN_MAC;
			return d;
		} else if (bd->learning && !(evf_dest_flags(sd) & EVF_DEST_F_PINNED)) {
			learn_report(w, bd->id, eth + EVF_ETH_SRC, a->id);
		}
	} else if (likely(bd->learning)) {
		if (unlikely(__atomic_load_n(&bd->at_limit, __ATOMIC_RELAXED))) {
			d.action = ACT_DROP;
			d.target = EVF_DROP_MAC_LIMIT;
			return d;
		} else {
			learn_report(w, bd->id, eth + EVF_ETH_SRC, a->id);
		}
	}
	if (unlikely(evf_mac_is_group(eth + EVF_ETH_DST)) ||
	    !evf_fdb_batch_find(fb, dst_slot, &dd)) {
		/* A frame still carrying a (customer) tag is not sent over VXLAN
		 * unless the MAC-VRF allows inner VLANs (RFC 7348 6.1). */
		d.to_remote = bd->allow_inner_vlan || !inner_tagged;
		return d;
	}
	switch (evf_dest_kind(dd)) {
	case EVF_DEST_ATTACH:
		if (unlikely(evf_dest_target(dd) == a->id)) {
			d.action = ACT_DROP;
			d.target = EVF_DROP_SAME_ATTACHMENT;
		} else {
			d.action = ACT_TX_ATTACH;
			d.target = evf_dest_target(dd);
		}
		break;
	case EVF_DEST_VTEP:
		d.vtep = &evf_vteps[evf_dest_target(dd)];
		if (unlikely(!bd->allow_inner_vlan && inner_tagged)) {
			d.action = ACT_DROP;
			d.target = EVF_DROP_INNER_VLAN;
		} else if (unlikely(!d.vtep->usable)) {
			d.action = ACT_DROP;
			d.target = EVF_DROP_NO_VTEP_ROUTE;
		} else {
			d.action = ACT_TX_VTEP;
			d.target = evf_dest_target(dd);
		}
		break;
	case EVF_DEST_ES:
		if (unlikely(!bd->allow_inner_vlan && inner_tagged)) {
			d.action = ACT_DROP;
			d.target = EVF_DROP_INNER_VLAN;
		} else {
			d.action = ACT_TX_ES;
			d.target = evf_dest_target(dd);
			d.aux = evf_dest_aux(dd);
		}
		break;
	default:
		break;
	}
	return d;
}

/* A MAC behind a segment: this flow's PE, or our own attachment on it. */
static inline void
tx_es(struct evf_worker *w, struct dp_stage *st, struct rte_mbuf *m, const struct access_decision *d,
      const struct evf_bd *bd, uint16_t in_port)
{
	uint32_t hash = dp_frame_hash(m);
	uint16_t id;

	switch (evf_es_resolve(d->target, d->aux, hash, &id)) {
	case EVF_ES_TO_VTEP: {
		uint16_t out;

		m = dp_encap_vtep(w, m, &evf_vteps[id], bd, hash, in_port, &out);
		if (m != NULL)
			dp_stage_add(w, st, out, m);
		return;
	}
	case EVF_ES_TO_ATTACH: {
		uint16_t out = dp_prep_attach(w, m, id, in_port);
		if (out != EVF_INVALID_ID)
			dp_stage_add(w, st, out, m);
		return;
	}
	default:
		dp_drop(w, m, EVF_DROP_ES_DOWN, in_port);
	}
}

/* A frame of the chunk as the second pass needs it, in one word: the
 * attachment, the two FDB result slots, and whether the (popped) frame still
 * carries a customer tag. The decision depends on exactly these, so frames
 * with equal words get the same decision. */
static inline uint64_t
frame_rec(const struct rte_mbuf *m, uint16_t aid, uint8_t src_slot, uint8_t dst_slot)
{
	bool inner_tagged = evf_eth_type(rte_pktmbuf_mtod(m, const uint8_t *)) ==
		rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);

	return aid | ((uint64_t)src_slot << 16) | ((uint64_t)dst_slot << 24) |
		((uint64_t)inner_tagged << 32);
}

static inline uint16_t rec_aid(uint64_t r) { return (uint16_t)r; }
static inline uint8_t rec_src(uint64_t r) { return (uint8_t)(r >> 16); }
static inline uint8_t rec_dst(uint64_t r) { return (uint8_t)(r >> 24); }
static inline bool rec_inner_tagged(uint64_t r) { return (r >> 32) & 1; }

static void
access_chunk(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct evf_iface *ifc = &evf_ifaces[port->iface];
	struct evf_fdb_batch fb;
	struct evf_fdb_run src_run, dst_run;
	struct rte_mbuf *ok[EVF_CHUNK];
	uint64_t rec[EVF_CHUNK]; /* frame_rec() */
	/* header run: the first 16 bytes of the last classified frame and its result */
	uint64_t run_w0 = 0, run_w1 = 0;
	bool run_valid = false, run_tagged = false, run_nd6 = false;
	uint16_t run_aid = 0, run_tci = 0;
	uint16_t k = 0;
	uint64_t rx_bytes = 0;

	evf_fdb_batch_init(&fb);
	evf_fdb_run_init(&src_run);
	evf_fdb_run_init(&dst_run);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
		uint32_t len = m->pkt_len;
		uint64_t w0 = 0, w1 = 0;
		bool words = false;
		uint64_t src_key, dst_key;
		uint16_t a, bd;

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		rx_bytes += len;
		if (likely(m->data_len >= RTE_MIN(len, (uint32_t)ACCESS_PULLUP) && len >= 18)) {
			w0 = evf_ld64(eth);
			w1 = evf_ld64(eth + 8);
			words = true;
			/* Same MACs, EtherType/tag as the frame before: same classification
			 * (an NS/NA among IPv6 frames of an ARP/ND MAC-VRF goes the slow way). */
			if (run_valid && w0 == run_w0 && w1 == run_w1 &&
			    !(unlikely(run_nd6) && nd_frame(m, run_tagged))) {
				if (unlikely(len - RTE_ETHER_HDR_LEN - (run_tagged ? 4 : 0) > port->mtu)) {
					dp_drop(w, m, EVF_DROP_OVERSIZE, port->port_id);
					continue;
				}
				if (run_tagged)
					evf_vlan_pop(m);
				m->vlan_tci = run_tci;
				ok[k] = m;
				rec[k++] = frame_rec(m, run_aid, src_run.slot, dst_run.slot);
				continue;
			}
		}
		a = classify(w, port, ifc, m, words);
		if (a == EVF_INVALID_ID)
			continue;
		eth = rte_pktmbuf_mtod(m, const uint8_t *);
		bd = evf_attachs[a].bd;
		run_nd6 = false;
		if (unlikely(evf_nd_bds[bd] != NULL)) {
			/* ARP and NS/NA: the ARP/ND slow path; never a header run */
			if (evf_nd_is_nd_frame(eth, m->data_len)) {
				uint8_t src[RTE_ETHER_ADDR_LEN];
				uint16_t why = 0;

				memcpy(src, eth + EVF_ETH_SRC, sizeof(src));
				switch (evf_nd_access(m, a, bd, w->index, w->tsc, w->nd_ring, &why)) {
				case EVF_ND_REPLY:
					/* answered here: its sender is still learned */
					if (evf_bds[bd].learning && !evf_attachs[a].irb)
						learn_report(w, bd, src, a);
					dp_tx_attach(w, m, a, port->port_id);
					continue;
				case EVF_ND_DROP:
					dp_drop(w, m, (enum evf_drop_reason)why, port->port_id);
					continue;
				default:
					break;
				}
				eth = rte_pktmbuf_mtod(m, const uint8_t *);
				words = false;
			}
			/* an IPv6 run may carry NS/NA; a tagged run anything */
			run_nd6 = evf_eth_type(eth) == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) ||
				(words && (uint16_t)(w1 >> 32) == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN));
		}
		/* The keys come from the words read before the tag pop: read back
		 * at once, the source MAC straddles the pop's two stores and its
		 * load would wait for them (no store-to-load forwarding). */
		if (likely(words)) {
			src_key = mac_word_key((w0 >> 48) | (w1 << 16), bd);
			dst_key = mac_word_key(w0, bd);
		} else {
			src_key = mac_key(eth + 6, bd);
			dst_key = mac_key(eth, bd);
		}
		ok[k] = m;
		rec[k++] = frame_rec(m, a, evf_fdb_batch_add(&fb, &src_run, src_key),
				     evf_fdb_batch_add(&fb, &dst_run, dst_key));
		run_valid = words;
		run_w0 = w0;
		run_w1 = w1;
		run_aid = a;
		run_tci = m->vlan_tci;
		run_tagged = (uint16_t)(w1 >> 32) == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	}
	w->stats->port[port->port_id].rx_bytes += rx_bytes;
	if (k == 0)
		return;
	struct dp_stage st;

	dp_stage_init(&st);
	struct access_decision d = { 0 };
	uint64_t d_key = UINT64_MAX; /* attachment 0xffff never exists */
	const struct evf_attach *a = NULL;
	const struct evf_bd *bd = NULL;

	for (uint16_t j = 0; j < k; j++) {
		struct rte_mbuf *m = ok[j];

		/* Same attachment, source and destination entry: same decision. */
		if (rec[j] != d_key) {
			d_key = rec[j];
			a = &evf_attachs[rec_aid(d_key)];
			bd = &evf_bds[a->bd];
			d = decide(w, &fb, a, bd, rte_pktmbuf_mtod(m, const uint8_t *),
				   rec_src(d_key), rec_dst(d_key), rec_inner_tagged(d_key));
		}
		switch (d.action) {
		case ACT_TX_VTEP: {
			uint32_t hash = dp_frame_hash(m);
			uint16_t out;

			m = dp_encap_vtep(w, m, d.vtep, bd, hash, port->port_id, &out);
			if (m != NULL)
				dp_stage_add(w, &st, out, m);
			break;
		}
		case ACT_TX_ATTACH: {
			uint16_t out = dp_prep_attach(w, m, d.target, port->port_id);
			if (out != EVF_INVALID_ID)
				dp_stage_add(w, &st, out, m);
			break;
		}
		case ACT_TX_ES:
			tx_es(w, &st, m, &d, bd, port->port_id);
			break;
		case ACT_FLOOD: {
			struct dp_flood_src fs = {
				.attach = a->id, .es = a->es, .in_port = port->port_id,
				.to_remote = d.to_remote, .outer = NULL,
			};

			dp_stage_flush(w, &st); /* keep per-port order */
			dp_flood(w, m, bd, &fs);
			break;
		}
		default:
			dp_drop(w, m, (enum evf_drop_reason)d.target, port->port_id);
			break;
		}
	}
	dp_stage_flush(w, &st);
}

void
dp_access_rx(struct evf_worker *w, const struct evf_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t off = 0; off < n; off += EVF_CHUNK)
		access_chunk(w, port, pkts + off, RTE_MIN((uint16_t)EVF_CHUNK, (uint16_t)(n - off)));
}
