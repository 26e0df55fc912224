/* lag_ctl.c: LAGs on the control thread: creation from the config, the
 * poller that reads punted slow-protocol frames (LACPDUs, Markers), follows
 * member links, runs the LACP machines (lacp_sm.c), sends PDUs through
 * worker 0's inject ring and publishes each LAG's distribution table and
 * its members' collecting flags to the workers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "evf_chan.h"
#include "evf_ctl.h"
#include "evf_lag.h"
#include "evf_lag_ctl.h"
#include "evf_pkt.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_rcu.h"

#define LINK_POLL_MS 20
#define NO_MEMBER 0xff

struct evf_lag evf_lags[EVF_MAX_LAGS];
uint16_t evf_nb_lags;

struct member_ctl {
	uint16_t port;
	bool link;             /**< last link reading */
	bool enabled;          /**< link and admin up */
	bool stopping;         /**< "port stop" in progress: disabled before admin goes down */
	uint64_t unknown, illegal, marker_in, marker_resp_out, lacpdu_in_static, send_failed;
};

struct lag_ctl {
	struct evf_lacp_lag lacp;
	struct member_ctl m[EVF_LACP_MAX_MEMBERS];
	uint8_t table[EVF_LAG_BUCKETS];  /**< bucket -> member index (NO_MEMBER) */
	uint8_t dist_mask, coll_mask;    /**< as published to the workers */
	bool passive, fast;
	uint8_t tx_hash;
	uint16_t sys_prio, key;
	uint8_t sys[6];
};

static struct lag_ctl ctls[EVF_MAX_LAGS];
static bool member_admin(uint16_t port_id, bool up);
static struct rte_mempool *pdu_pool;
static uint64_t next_link_ms;

static const struct rte_ether_addr slow_dst = {
	.addr_bytes = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x02 } };

static uint64_t
now_ms_of(uint64_t tsc)
{
	return tsc / (rte_get_tsc_hz() / 1000);
}

static void
dist_free(void *p, uint64_t unused)
{
	(void)unused;
	free(p);
}

/* ---- start-up ---- */

int
evf_lag_create(const struct evf_cfg_lag *cfg, const struct rte_ether_addr *node_mac)
{
	struct evf_lag *lag;
	struct lag_ctl *c;
	struct evf_lag_dist *d;
	uint16_t id = evf_nb_lags;
	int iface;

	if (evf_nb_lags >= EVF_MAX_LAGS || cfg->nb_members == 0 ||
	    cfg->nb_members > EVF_LACP_MAX_MEMBERS)
		return -EINVAL;
	lag = &evf_lags[id];
	c = &ctls[id];
	evf_port_set_admin_hook(member_admin);
	memset(lag, 0, sizeof(*lag));
	memset(c, 0, sizeof(*c));
	iface = evf_iface_create(cfg->name, EVF_IFACE_LAG, id);
	if (iface < 0)
		return iface;
	lag->id = id;
	lag->iface = (uint16_t)iface;
	snprintf(lag->name, sizeof(lag->name), "%s", cfg->name);
	lag->nb_members = cfg->nb_members;
	lag->min_links = cfg->min_links ? cfg->min_links : 1;
	lag->lacp = cfg->mode == EVF_CFG_LAG_LACP;
	lag->hash_policy = cfg->tx_hash; /* same order as enum evf_hash_policy */
	lag->mgmt_port = EVF_INVALID_ID;
	lag->mgmt_vlan = cfg->mgmt_vlan;
	lag->mtu = UINT16_MAX;
	c->passive = cfg->passive;
	c->fast = cfg->fast;
	c->sys_prio = cfg->system_priority;
	c->key = cfg->key;
	memcpy(c->sys, (cfg->has_system_id ? &cfg->system_id : node_mac)->addr_bytes, 6);
	c->lacp.nb_ports = cfg->nb_members;
	c->lacp.min_links = lag->min_links;
	for (uint8_t i = 0; i < cfg->nb_members; i++) {
		struct evf_port *p = evf_port_by_name(cfg->members[i].port);
		struct evf_lacp_info actor;

		if (p == NULL || p->role != EVF_ROLE_ACCESS || p->lag != EVF_INVALID_ID)
			return -EINVAL;
		p->lag = id;
		p->iface = lag->iface; /* frames received on a member belong to the LAG */
		p->lag_collecting = 0;
		lag->member_port[i] = p->port_id;
		if (p->mtu < lag->mtu)
			lag->mtu = p->mtu;
		c->m[i].port = p->port_id;
		memset(&actor, 0, sizeof(actor));
		actor.sys_prio = c->sys_prio;
		memcpy(actor.sys, c->sys, 6);
		actor.key = c->key;
		actor.port_prio = cfg->members[i].port_priority;
		actor.port = cfg->members[i].port_number;
		evf_lacp_port_init(&c->lacp.port[i], &actor, !cfg->passive, cfg->fast);
		if (cfg->mgmt_member[0] && strcmp(cfg->mgmt_member, cfg->members[i].port) == 0)
			lag->mgmt_port = p->port_id;
	}
	evf_ifaces[iface].mtu = lag->mtu;
	for (uint8_t k = 0; k < cfg->nb_mgmt_macs; k++)
		lag->mgmt_mac48[k] = evf_mac48(cfg->mgmt_macs[k].addr_bytes);
	lag->nb_mgmt_macs = cfg->nb_mgmt_macs;
	memset(c->table, NO_MEMBER, sizeof(c->table));
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return -ENOMEM;
	for (unsigned int b = 0; b < EVF_LAG_BUCKETS; b++)
		d->port[b] = EVF_INVALID_ID;
	lag->dist = d;
	evf_nb_lags++;
	return id;
}

int
evf_lag_start(struct rte_mempool *pool)
{
	pdu_pool = pool;
	next_link_ms = 0;
	if (evf_nb_lags == 0)
		return 0;
	return evf_ctl_register_poller("lag", evf_lag_poll);
}

void
evf_lag_reset(void)
{
	for (uint16_t i = 0; i < evf_nb_lags; i++)
		free(evf_lags[i].dist);
	memset(evf_lags, 0, sizeof(evf_lags));
	memset(ctls, 0, sizeof(ctls));
	evf_nb_lags = 0;
	pdu_pool = NULL;
}

/* ---- sending ---- */

static void
send_slow(struct lag_ctl *c, unsigned int i, const uint8_t *payload)
{
	uint16_t port = c->m[i].port;
	struct rte_mbuf *m = pdu_pool ? rte_pktmbuf_alloc(pdu_pool) : NULL;
	uint8_t *f;

	if (m == NULL) {
		c->m[i].send_failed++;
		return;
	}
	f = (uint8_t *)rte_pktmbuf_append(m, RTE_ETHER_HDR_LEN + EVF_SLOW_PDU_LEN);
	if (f == NULL) {
		rte_pktmbuf_free(m);
		c->m[i].send_failed++;
		return;
	}
	memcpy(f, slow_dst.addr_bytes, RTE_ETHER_ADDR_LEN);
	memcpy(f + RTE_ETHER_ADDR_LEN, evf_ports[port].hw_mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	f[12] = 0x88;
	f[13] = 0x09;
	memcpy(f + RTE_ETHER_HDR_LEN, payload, EVF_SLOW_PDU_LEN);
	m->port = port;
	if (evf_chan_inject(0, m) < 0) {
		rte_pktmbuf_free(m);
		c->m[i].send_failed++;
	}
}

static void
transmit(struct lag_ctl *c, uint64_t now)
{
	struct evf_lacp_pdu pdu;
	uint8_t buf[EVF_SLOW_PDU_LEN];

	for (unsigned int i = 0; i < c->lacp.nb_ports; i++)
		if (evf_lacp_tx_take(&c->lacp, i, now, &pdu)) {
			evf_lacp_encode(&pdu, buf);
			send_slow(c, i, buf);
		}
}

/* ---- receiving ---- */

static int
member_of(const struct lag_ctl *c, uint16_t port)
{
	for (unsigned int i = 0; i < c->lacp.nb_ports; i++)
		if (c->m[i].port == port)
			return (int)i;
	return -1;
}

static void
handle_punted(struct rte_mbuf *m, uint64_t now)
{
	uint8_t buf[RTE_ETHER_HDR_LEN + EVF_SLOW_PDU_LEN];
	const uint8_t *f;
	struct evf_lacp_pdu pdu;
	struct evf_marker mk;
	struct lag_ctl *c;
	uint32_t len;
	uint16_t lag;
	int i;

	if (m->port >= EVF_MAX_PORTS || (lag = evf_ports[m->port].lag) >= evf_nb_lags)
		goto out;
	c = &ctls[lag];
	i = member_of(c, m->port);
	if (i < 0)
		goto out;
	len = RTE_MIN(m->pkt_len, (uint32_t)sizeof(buf));
	f = rte_pktmbuf_read(m, 0, len, buf);
	if (f == NULL || len < RTE_ETHER_HDR_LEN) {
		c->m[i].illegal++;
		goto out;
	}
	switch (evf_slow_parse(f + RTE_ETHER_HDR_LEN, len - RTE_ETHER_HDR_LEN, &pdu, &mk)) {
	case EVF_SLOW_LACPDU:
		if (evf_lags[lag].lacp)
			evf_lacp_rx(&c->lacp, (unsigned int)i, &pdu, now);
		else
			c->m[i].lacpdu_in_static++;
		break;
	case EVF_SLOW_MARKER_INFO: {
		uint8_t resp[EVF_SLOW_PDU_LEN];

		c->m[i].marker_in++;
		evf_marker_response(&mk, resp);
		send_slow(c, (unsigned int)i, resp);
		c->m[i].marker_resp_out++;
		break;
	}
	case EVF_SLOW_MARKER_RESP:
		c->m[i].marker_in++;
		break;
	case EVF_SLOW_UNKNOWN:
		c->m[i].unknown++;
		break;
	default:
		c->m[i].illegal++;
		break;
	}
out:
	rte_pktmbuf_free(m);
}

static unsigned int
drain_punts(uint64_t now)
{
	unsigned int total = 0;

	for (unsigned int w = 0; w < evf_nb_chans; w++) {
		struct rte_mbuf *pkts[32];
		unsigned int n = rte_ring_sc_dequeue_burst(evf_chans[w].punt, (void **)pkts,
			RTE_DIM(pkts), NULL);

		for (unsigned int k = 0; k < n; k++)
			handle_punted(pkts[k], now);
		total += n;
	}
	return total;
}

/* ---- publishing ---- */

static void
set_collecting(const struct lag_ctl *c, uint8_t mask, bool on)
{
	for (unsigned int i = 0; i < c->lacp.nb_ports; i++)
		if (mask & (1u << i))
			__atomic_store_n(&evf_ports[c->m[i].port].lag_collecting, on, __ATOMIC_RELEASE);
}

static int
publish(struct evf_lag *lag, struct lag_ctl *c, uint8_t dist)
{
	struct evf_lag_dist *d = malloc(sizeof(*d)), *old;

	if (d == NULL)
		return -ENOMEM; /* keep the old table; retried on the next poll */
	evf_lag_buckets_update(c->table, dist);
	d->nb_dist = (uint16_t)__builtin_popcount(dist);
	for (unsigned int b = 0; b < EVF_LAG_BUCKETS; b++)
		d->port[b] = c->table[b] == NO_MEMBER ? EVF_INVALID_ID : c->m[c->table[b]].port;
	old = __atomic_exchange_n(&lag->dist, d, __ATOMIC_ACQ_REL);
	evf_rcu_defer(dist_free, old, 0);
	return 0;
}

static void
update_lag(struct evf_lag *lag, struct lag_ctl *c)
{
	uint8_t dist = 0, coll = 0, gained, lost;
	bool up;

	for (unsigned int i = 0; i < c->lacp.nb_ports; i++) {
		bool en = c->m[i].enabled;

		if (lag->lacp) {
			coll |= (uint8_t)((en && evf_lacp_collecting(&c->lacp.port[i])) << i);
			dist |= (uint8_t)((en && evf_lacp_distributing(&c->lacp.port[i])) << i);
		} else if (en) {
			coll |= (uint8_t)(1u << i);
			dist |= (uint8_t)(1u << i);
		}
	}
	/* min-links not met: the LAG is down, nothing enters or leaves */
	up = __builtin_popcount(dist) >= lag->min_links;
	if (!up)
		dist = coll = 0;
	if (dist == c->dist_mask && coll == c->coll_mask &&
	    up == __atomic_load_n(&lag->up, __ATOMIC_RELAXED))
		goto mgmt;
	/* receive before sending; stop sending before receiving */
	gained = coll & (uint8_t)~c->coll_mask;
	lost = c->coll_mask & (uint8_t)~coll;
	set_collecting(c, gained, true);
	if (dist != c->dist_mask) {
		if (publish(lag, c, dist) < 0)
			return;
		EVF_LOG(INFO, "lag %s: %u member(s) distributing (mask 0x%02x -> 0x%02x)",
			lag->name, (unsigned int)__builtin_popcount(dist), c->dist_mask, dist);
		c->dist_mask = dist;
	}
	set_collecting(c, lost, false);
	c->coll_mask = coll;
	if (up != __atomic_load_n(&lag->up, __ATOMIC_RELAXED)) {
		EVF_LOG(INFO, "lag %s: %s", lag->name, up ? "up" : "down (below min-links)");
		__atomic_store_n(&lag->up, up, __ATOMIC_RELEASE);
	}
mgmt:
	if (lag->mgmt_port != EVF_INVALID_ID) {
		int i = member_of(c, lag->mgmt_port);

		__atomic_store_n(&lag->mgmt_up, c->m[i].enabled, __ATOMIC_RELAXED);
		__atomic_store_n(&lag->mgmt_dist, (dist >> i) & 1, __ATOMIC_RELAXED);
	}
}

/* ---- poller ---- */

static void
poll_links(uint64_t now)
{
	for (uint16_t l = 0; l < evf_nb_lags; l++) {
		struct lag_ctl *c = &ctls[l];

		for (unsigned int i = 0; i < c->lacp.nb_ports; i++) {
			uint16_t port = c->m[i].port;
			bool link = evf_port_link_up(port);
			bool en = link && evf_port_is_up(&evf_ports[port]) && !c->m[i].stopping;

			if (link != c->m[i].link)
				EVF_LOG(INFO, "lag %s: member %s link %s", evf_lags[l].name,
					evf_ports[port].name, link ? "up" : "down");
			c->m[i].link = link;
			c->m[i].enabled = en;
			if (evf_lags[l].lacp)
				evf_lacp_set_enabled(&c->lacp, i, en, now);
		}
	}
}

unsigned int
evf_lag_poll(uint64_t now_tsc)
{
	uint64_t now = now_ms_of(now_tsc);
	unsigned int work;

	/* links first: a PDU is only taken on a member known to be enabled */
	if (now >= next_link_ms) {
		next_link_ms = now + LINK_POLL_MS;
		poll_links(now);
	}
	work = drain_punts(now);
	for (uint16_t l = 0; l < evf_nb_lags; l++) {
		struct lag_ctl *c = &ctls[l];

		if (evf_lags[l].lacp) {
			evf_lacp_run(&c->lacp, now);
			transmit(c, now);
		}
		update_lag(&evf_lags[l], c);
	}
	return work; /* punted frames only: LACP state work never keeps the loop awake */
}

/* The port's admin hook (evf_port_admin): a LAG member leaves the
 * distribution before it stops. false: not a member, the port does it. */
static bool
member_admin(uint16_t port_id, bool up)
{
	struct evf_port *p = &evf_ports[port_id];
	uint16_t l = p->lag;
	int i;

	if (l >= evf_nb_lags || (i = member_of(&ctls[l], port_id)) < 0)
		return false;
	if (!up) {
		/* out of the distribution first, and no worker still using the old
		 * table, so no frame is sent to a port that is about to stop */
		ctls[l].m[i].stopping = true;
		next_link_ms = 0;
		evf_lag_poll(rte_rdtsc());
		rte_rcu_qsbr_synchronize(evf_rcu, RTE_QSBR_THRID_INVALID);
	}
	__atomic_store_n(&p->admin_up, up, __ATOMIC_RELEASE);
	ctls[l].m[i].stopping = false;
	next_link_ms = 0; /* re-read at once: a started member rejoins without waiting */
	evf_lag_poll(rte_rdtsc());
	return true;
}

bool
evf_lag_is_up(uint16_t id)
{
	return id < evf_nb_lags && __atomic_load_n(&evf_lags[id].up, __ATOMIC_ACQUIRE);
}

/* ---- shell view ---- */

int
evf_lag_view(uint16_t id, struct evf_lag_view *v)
{
	const struct evf_lag *lag;
	const struct lag_ctl *c;

	if (id >= evf_nb_lags)
		return -ENOENT;
	lag = &evf_lags[id];
	c = &ctls[id];
	memset(v, 0, sizeof(*v));
	v->up = __atomic_load_n(&lag->up, __ATOMIC_RELAXED);
	v->mode_lacp = lag->lacp;
	v->passive = c->passive;
	v->fast = c->fast;
	v->tx_hash = lag->hash_policy;
	v->min_links = lag->min_links;
	v->nb_members = lag->nb_members;
	v->sys_prio = c->sys_prio;
	v->key = c->key;
	memcpy(v->sys, c->sys, 6);
	v->agg_bound = c->lacp.agg_bound;
	memcpy(v->agg_partner_sys, c->lacp.agg_partner_sys, 6);
	v->agg_partner_key = c->lacp.agg_partner_key;
	v->agg_partner_sys_prio = c->lacp.agg_partner_sys_prio;
	v->mgmt_port = lag->mgmt_port;
	v->mgmt_vlan = lag->mgmt_vlan;
	v->nb_mgmt_macs = lag->nb_mgmt_macs;
	for (unsigned int i = 0; i < lag->nb_members; i++) {
		struct evf_lag_member_view *m = &v->m[i];

		m->port = c->m[i].port;
		m->link = c->m[i].link;
		m->enabled = c->m[i].enabled;
		m->collecting = (c->coll_mask >> i) & 1;
		m->distributing = (c->dist_mask >> i) & 1;
		for (unsigned int b = 0; b < EVF_LAG_BUCKETS; b++)
			m->buckets += c->table[b] == i;
		m->lacp = c->lacp.port[i];
		m->unknown = c->m[i].unknown;
		m->illegal = c->m[i].illegal;
		m->marker_in = c->m[i].marker_in;
		m->marker_resp_out = c->m[i].marker_resp_out;
		m->lacp.c.lacpdu_in += c->m[i].lacpdu_in_static;
	}
	return 0;
}
