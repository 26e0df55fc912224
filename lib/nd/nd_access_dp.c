/* nd_access_dp.c: the ARP/ND slow path of frames from access attachments
 * (worker). Only ARP and ICMPv6 NS/NA frames of MAC-VRFs that handle ARP/ND
 * come here (evf_nd_is_nd_frame); everything else never pays for it.
 *
 * For each message: the MAC-VRF's per-second budget, the checks of the
 * codec (each failure under its drop reason), a sender claiming an IRB
 * address of ours from another MAC (spoof: dropped), the sender's binding
 * reported to the control thread (at most once a second per address and
 * worker), and for an ARP request or NS: answered from the gateway's
 * addresses or, with proxy, from the bindings (RFC 9161), the answer built
 * in place of the request and sent back out the ingress attachment by the
 * caller. Unknown targets are flooded or dropped per MAC-VRF. Gratuitous
 * ARP, unsolicited NA, DAD and replies are bridged as they came. */
#include <string.h>

#include <rte_hash_crc.h>

#include "evf_nd.h"
#include "evf_nd_dp.h"
#include "evf_pkt.h"
#include "evf_stats.h"

#define REPORT_CACHE 1024   /* per worker; a power of two */
#define ND_PULLUP    256    /* IPv6 + NS/NA + options of any sane size */

struct evf_nd_wcounters evf_nd_wstats[EVF_MAX_WORKERS];
struct evf_nd_bd *evf_nd_bds[EVF_MAX_BDS];

/* Recently reported (MAC-VRF, address, MAC) per worker: once a second each. */
struct report_slot {
	uint64_t key;
	uint64_t tsc;
};
static struct report_slot report_cache[EVF_MAX_WORKERS][REPORT_CACHE];

static void
report(const struct evf_nd_msg *msg, uint16_t aid, uint16_t bd, unsigned int worker,
       uint64_t tsc, struct rte_ring *ring)
{
	struct evf_nd_wcounters *c = &evf_nd_wstats[worker];
	const struct evf_ip *ip = &msg->sender;
	struct evf_nd_event ev;
	struct report_slot *s;
	uint64_t key;

	key = rte_hash_crc(ip->family == AF_INET ? (const void *)&ip->v4 : (const void *)ip->v6,
			   ip->family == AF_INET ? 4 : 16, (uint32_t)bd << 16 | aid);
	key = key << 32 | rte_hash_crc(msg->sender_mac.addr_bytes, 6, 0);
	s = &report_cache[worker][key & (REPORT_CACHE - 1)];
	if (s->key == key && tsc - s->tsc < rte_get_tsc_hz())
		return;
	s->key = key;
	s->tsc = tsc;
	memset(&ev, 0, sizeof(ev));
	ev.bd = bd;
	ev.attach = aid;
	ev.family = ip->family;
	ev.worker = (uint8_t)worker;
	if (msg->kind == EVF_ND_NA)
		ev.flags = (msg->na_flags & EVF_NA_ROUTER ? EVF_ND_F_ROUTER : 0) |
			(msg->na_flags & EVF_NA_OVERRIDE ? EVF_ND_F_OVERRIDE : 0);
	else
		ev.flags = EVF_ND_F_OVERRIDE;   /* ARP and NS: what a host's own NA says */
	if (ip->family == AF_INET)
		memcpy(ev.ip, &ip->v4, 4);
	else
		memcpy(ev.ip, ip->v6, 16);
	memcpy(ev.mac, msg->sender_mac.addr_bytes, 6);
	if (unlikely(rte_ring_sp_enqueue_elem(ring, &ev, sizeof(ev)) != 0))
		c->snoop_full++;
	else
		c->snooped++;
}

/* Write the answer to msg (an ARP request or NS) into m, in place. */
static bool
answer(struct rte_mbuf *m, const struct evf_nd_msg *msg, const struct rte_ether_addr *mac,
       uint8_t na_flags)
{
	uint8_t *out = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t len;

	if (m->nb_segs != 1 || (uint32_t)m->data_len + rte_pktmbuf_tailroom(m) < 86)
		return false;
	if (msg->kind == EVF_ND_ARP_REQUEST)
		len = evf_nd_build_arp_reply(out, msg, mac);
	else
		len = evf_nd_build_na(out, msg, &msg->sender_mac, mac, na_flags);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	m->ol_flags = 0;
	return true;
}

enum evf_nd_verdict
evf_nd_access(struct rte_mbuf *m, uint16_t aid, uint16_t bd, unsigned int worker, uint64_t tsc,
	      struct rte_ring *ring, uint16_t *reason)
{
	struct evf_nd_bd *nb = evf_nd_bds[bd];
	struct evf_nd_wcounters *c = &evf_nd_wstats[worker];
	struct rte_ether_addr src, mac;
	struct evf_nd_msg msg;
	const uint8_t *eth;
	uint64_t bind = 0;
	bool known;
	int rc;

	if (unlikely(m->data_len < RTE_MIN(m->pkt_len, (uint32_t)ND_PULLUP)) &&
	    evf_mbuf_pullup(m, RTE_MIN(m->pkt_len, (uint32_t)ND_PULLUP)) < 0) {
		*reason = EVF_DROP_ND_TRUNCATED;
		return EVF_ND_DROP;
	}
	if (!evf_nd_budget_take(&nb->nd_budget[worker], nb->rate, tsc)) {
		c->rate_limited++;
		*reason = EVF_DROP_ND_RATE_LIMIT;
		return EVF_ND_DROP;
	}
	eth = rte_pktmbuf_mtod(m, const uint8_t *);
	memcpy(src.addr_bytes, eth + 6, 6);
	rc = evf_nd_parse(eth + 14, m->data_len - 14u, (uint16_t)(eth[12] << 8 | eth[13]), &src,
			  &msg);
	if (rc == 1)
		return EVF_ND_PASS;
	if (rc != 0) {
		*reason = (uint16_t)rc;
		return EVF_ND_DROP;
	}
	switch (msg.kind) {
	case EVF_ND_ARP_REQUEST: c->arp_requests++; break;
	case EVF_ND_ARP_REPLY: c->arp_replies++; break;
	case EVF_ND_NS: c->ns++; break;
	default: c->na++; break;
	}
	/* The sender: never one of our IRB addresses from another MAC (the
	 * host path, ours, may use any of them); else its binding goes to the
	 * control thread (not the host path's own). */
	if (msg.sender.family != 0 && evf_nd_ip_unicast(&msg.sender) && aid != nb->irb_attach) {
		if (evf_nd_lookup(bd, &msg.sender, &bind)) {
			uint8_t o = evf_nd_origin(bind);

			evf_nd_unpack_mac(bind, &mac);
			if ((o == EVF_ND_GATEWAY || o == EVF_ND_OWN) &&
			    !rte_is_same_ether_addr(&mac, &msg.sender_mac)) {
				*reason = EVF_DROP_ND_SPOOF;
				return EVF_ND_DROP;
			}
		}
		report(&msg, aid, bd, worker, tsc, ring);
	}
	if (msg.kind == EVF_ND_NS && msg.dad) {
		c->dad++;
		return EVF_ND_PASS;
	}
	if (msg.gratuitous) {
		c->gratuitous++;
		return EVF_ND_PASS;
	}
	if (msg.kind != EVF_ND_ARP_REQUEST && msg.kind != EVF_ND_NS)
		return EVF_ND_PASS;
	known = evf_nd_lookup(bd, &msg.target, &bind);
	if (known && !(evf_nd_flags(bind) & EVF_ND_F_FROZEN)) {
		uint8_t o = evf_nd_origin(bind), f = evf_nd_flags(bind), na = 0;
		bool ours = o == EVF_ND_GATEWAY || o == EVF_ND_OWN;

		evf_nd_unpack_mac(bind, &mac);
		/* the gateway always answers; a host's binding only with proxy,
		 * and never to the host itself */
		if ((ours || nb->proxy) && !rte_is_same_ether_addr(&mac, &msg.sender_mac)) {
			if (ours || (f & EVF_ND_F_ROUTER))
				na |= EVF_NA_ROUTER;
			if (ours || (f & EVF_ND_F_OVERRIDE))
				na |= EVF_NA_OVERRIDE;
			if (answer(m, &msg, &mac, na)) {
				if (msg.kind == EVF_ND_ARP_REQUEST)
					c->answered_arp++;
				else
					c->answered_nd++;
				return EVF_ND_REPLY;
			}
		}
		return EVF_ND_PASS;
	}
	if (known)
		return EVF_ND_PASS;   /* frozen: the hosts sort it out */
	if (nb->drop_unknown) {
		c->dropped++;
		*reason = EVF_DROP_ND_SUPPRESSED;
		return EVF_ND_DROP;
	}
	c->flooded++;
	return EVF_ND_PASS;
}
