/* ul_network_dp.c: ARP and NS/NA on network ports (worker). Only frames
 * that are not VXLAN for us and look like ARP or ICMPv6 NS/NA on a port
 * with an underlay (evf_ul_ports) come here, so the VXLAN path never pays.
 *
 * Per message: the port's per-second budget (nd-rate-limited), the checks
 * of lib/nd's codec (each failure under its nd-* reason), a sender claiming
 * one of our addresses (nd-spoofed-gateway), a gateway's sign of life
 * (recorded in this worker's row of evf_ul_seen for the control thread),
 * and an ARP request or NS for our VTEP or port addresses answered in place
 * (ARP reply, solicited NA with O set) and sent back out the same port.
 * Anything else is dropped as nd-ignored: evfwd learns nothing on network
 * ports but its gateways, so no table can fill. Never logs. */
#include <string.h>

#include "evf_nd.h"
#include "evf_pkt.h"
#include "evf_stats.h"
#include "evf_underlay_dp.h"

#define UL_PULLUP 256

struct evf_ul_wcounters evf_ul_wstats[EVF_MAX_WORKERS];
struct evf_ul_port *evf_ul_ports[EVF_MAX_PORTS];
struct evf_ul_gw evf_ul_gws[EVF_UL_MAX_GWS];
uint16_t evf_ul_nb_gws;
struct evf_ul_seen_row evf_ul_seen[EVF_MAX_WORKERS];

static bool
ours(const struct evf_ul_port *up, const struct evf_ip *ip)
{
	for (uint8_t i = 0; i < up->nb_addrs; i++)
		if (evf_ip_equal(&up->addrs[i], ip))
			return true;
	return false;
}

/* The gateway slot of the sender on this port, or -1. */
static int
gateway_of(const struct evf_ul_port *up, const struct evf_ip *ip)
{
	for (uint8_t i = 0; i < up->nb_gws; i++)
		if (evf_ip_equal(&evf_ul_gws[up->gw[i]].ip, ip))
			return up->gw[i];
	return -1;
}

static void
saw_gateway(unsigned int worker, int slot, const struct rte_ether_addr *mac)
{
	uint64_t *w = &evf_ul_seen[worker].v[slot];
	uint64_t seq = (*w >> 48) + 1, m48 = 0;

	memcpy(&m48, mac->addr_bytes, 6);
	__atomic_store_n(w, m48 | seq << 48, __ATOMIC_RELEASE);
}

/* Write the answer to msg (an ARP request or NS for one of our addresses)
 * into m in place; the underlay tag, if any, goes back in front. */
static bool
answer(struct rte_mbuf *m, const struct evf_nd_msg *msg, const struct rte_ether_addr *mac,
       uint16_t vlan)
{
	uint8_t *out;
	uint32_t len;

	if (vlan)
		evf_vlan_pop(m);
	out = rte_pktmbuf_mtod(m, uint8_t *);
	if (m->nb_segs != 1 || (uint32_t)m->data_len + rte_pktmbuf_tailroom(m) < 86)
		return false;
	if (msg->kind == EVF_ND_ARP_REQUEST)
		len = evf_nd_build_arp_reply(out, msg, mac);
	else
		len = evf_nd_build_na(out, msg, &msg->sender_mac, mac, EVF_NA_OVERRIDE);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	m->ol_flags = 0;
	m->vlan_tci = 0;
	return vlan == 0 || evf_vlan_push(m, vlan) == 0;
}

enum evf_ul_verdict
evf_ul_network(struct rte_mbuf *m, uint16_t port_id, uint16_t vlan, unsigned int worker,
	       uint64_t tsc, uint16_t *reason)
{
	struct evf_ul_port *up = evf_ul_ports[port_id];
	struct evf_ul_wcounters *c = &evf_ul_wstats[worker];
	uint32_t l2 = vlan ? 18 : 14, want;
	struct rte_ether_addr src;
	struct evf_nd_msg msg;
	const uint8_t *eth;
	uint16_t et;
	int rc, gw;

	want = RTE_MIN(m->pkt_len, (uint32_t)UL_PULLUP);
	if (unlikely(m->data_len < want) && evf_mbuf_pullup(m, want) < 0)
		return EVF_UL_NOT_ND;
	eth = rte_pktmbuf_mtod(m, const uint8_t *);
	if (m->data_len < l2)
		return EVF_UL_NOT_ND;
	if (vlan && (evf_ld16(eth + 12) != rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN) ||
		     (rte_be_to_cpu_16(evf_ld16(eth + 14)) & 0xfff) != vlan))
		return EVF_UL_NOT_ND;
	et = (uint16_t)(eth[l2 - 2] << 8 | eth[l2 - 1]);
	if (et == EVF_ETHER_TYPE_IPV6) {
		/* only NS/NA: IPv6 straight to ICMPv6 type 135/136 */
		if (m->data_len < l2 + 41 || eth[l2 + 6] != 58 ||
		    (eth[l2 + 40] != EVF_ICMP6_NS && eth[l2 + 40] != EVF_ICMP6_NA))
			return EVF_UL_NOT_ND;
	} else if (et != EVF_ETHER_TYPE_ARP) {
		return EVF_UL_NOT_ND;
	}
	if (!evf_nd_budget_take(&up->budget[worker], up->rate, tsc)) {
		c->rate_limited++;
		*reason = EVF_DROP_ND_RATE_LIMIT;
		return EVF_UL_DROP;
	}
	memcpy(src.addr_bytes, eth + 6, 6);
	rc = evf_nd_parse(eth + l2, m->data_len - l2, et, &src, &msg);
	if (rc == 1)
		return EVF_UL_NOT_ND;
	if (rc != 0) {
		c->malformed++;
		*reason = (uint16_t)rc;
		return EVF_UL_DROP;
	}
	switch (msg.kind) {
	case EVF_ND_ARP_REQUEST: c->arp_requests++; break;
	case EVF_ND_ARP_REPLY: c->arp_replies++; break;
	case EVF_ND_NS: c->ns++; break;
	default: c->na++; break;
	}
	/* nobody else may claim an address of ours (our own frames never
	 * come back to us: a looped one is a spoof too) */
	if (msg.sender.family != 0 && ours(up, &msg.sender)) {
		c->spoofed++;
		*reason = EVF_DROP_ND_SPOOF;
		return EVF_UL_DROP;
	}
	gw = msg.sender.family != 0 ? gateway_of(up, &msg.sender) : -1;
	if (gw >= 0) {
		c->gw_seen++;
		saw_gateway(worker, gw, &msg.sender_mac);
	}
	if ((msg.kind == EVF_ND_ARP_REQUEST || (msg.kind == EVF_ND_NS && !msg.dad)) &&
	    !msg.gratuitous && ours(up, &msg.target)) {
		if (answer(m, &msg, &up->mac, vlan)) {
			if (msg.kind == EVF_ND_ARP_REQUEST)
				c->answered_arp++;
			else
				c->answered_nd++;
			return EVF_UL_REPLY;
		}
		c->malformed++;
		*reason = EVF_DROP_NO_HEADROOM;
		return EVF_UL_DROP;
	}
	if (gw >= 0)
		return EVF_UL_CONSUMED;
	c->ignored++;
	*reason = EVF_DROP_ND_IGNORED;
	return EVF_UL_DROP;
}
