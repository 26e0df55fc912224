/* nd_table_ctl.c: the binding table (control thread; main thread at
 * start-up): creating it, entries beside their hash keys, publication to
 * the workers, the gateway's own addresses, bindings from RT2 MAC+IP routes
 * and their sweeps. See evf_nd.h for the concurrency contract. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "evf_bd.h"
#include "evf_cfg.h"
#include "evf_clock.h"
#include "evf_rcu.h"
#include "nd_private.h"

struct evf_nd_table evf_nd;
struct nd_entry *nd_entries;
uint32_t nd_nb_entries;
struct nd_bd_ctl nd_bd_ctls[EVF_MAX_BDS];
struct rte_mempool *nd_pool;

static uint32_t
key_hash(const void *key, uint32_t len, uint32_t init)
{
	return rte_hash_crc(key, len, init);
}

int
evf_nd_init(uint32_t capacity, struct rte_mempool *pool)
{
	static unsigned int gen;
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
		.entries = capacity,
		.key_len = sizeof(struct evf_nd_key),
		.hash_func = key_hash,
		.socket_id = SOCKET_ID_ANY,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	int32_t max;

	evf_nd_fini();
	nd_pool = pool;
	if (capacity < 64)
		capacity = 64;
	hp.entries = capacity;
	snprintf(name, sizeof(name), "evf_nd%u", gen++);
	hp.name = name;
	evf_nd.h = rte_hash_create(&hp);
	if (evf_nd.h == NULL)
		return -ENOMEM;
	max = rte_hash_max_key_id(evf_nd.h);
	nd_nb_entries = (uint32_t)max + 1;
	nd_entries = rte_zmalloc("evf_nd_entries", sizeof(*nd_entries) * nd_nb_entries, 0);
	if (nd_entries == NULL) {
		evf_nd_fini();
		return -ENOMEM;
	}
	evf_nd.capacity = capacity;
	return 0;
}

void
evf_nd_fini(void)
{
	for (uint16_t b = 0; b < EVF_MAX_BDS; b++) {
		rte_free(evf_nd_bds[b]);
		evf_nd_bds[b] = NULL;
	}
	memset(nd_bd_ctls, 0, sizeof(nd_bd_ctls));
	if (evf_nd.h != NULL)
		rte_hash_free(evf_nd.h);
	rte_free(nd_entries);
	nd_entries = NULL;
	nd_nb_entries = 0;
	memset(&evf_nd, 0, sizeof(evf_nd));
	memset(&evf_nd_ctl_counters, 0, sizeof(evf_nd_ctl_counters));
	memset(evf_nd_wstats, 0, sizeof(evf_nd_wstats));
}

void
nd_entry_ip(const struct nd_entry *e, struct evf_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = e->key.family;
	if (ip->family == AF_INET)
		memcpy(&ip->v4, e->key.ip, 4);
	else
		memcpy(ip->v6, e->key.ip, 16);
}

struct nd_entry *
nd_find(uint16_t bd, const struct evf_ip *ip)
{
	struct evf_nd_key k;
	int32_t pos;

	if (evf_nd.h == NULL)
		return NULL;
	evf_nd_make_key(&k, bd, ip);
	pos = rte_hash_lookup(evf_nd.h, &k);
	if (pos < 0 || (uint32_t)pos >= nd_nb_entries || nd_entries[pos].in_use != 1)
		return NULL;
	return &nd_entries[pos];
}

void
nd_publish(struct nd_entry *e)
{
	/* an existing key's data is replaced with one atomic store */
	rte_hash_add_key_data(evf_nd.h, &e->key,
		(void *)(uintptr_t)evf_nd_pack(&e->mac, e->flags, e->origin));
}

struct nd_entry *
nd_set(uint16_t bd, const struct evf_ip *ip, const struct rte_ether_addr *mac, uint8_t flags,
       uint8_t origin)
{
	struct evf_nd_key k;
	struct nd_entry *e = nd_find(bd, ip);
	int32_t pos;

	if (e != NULL) {
		e->mac = *mac;
		e->flags = flags;
		e->origin = origin;
		nd_publish(e);
		return e;
	}
	evf_nd_make_key(&k, bd, ip);
	if (rte_hash_add_key_data(evf_nd.h, &k,
				  (void *)(uintptr_t)evf_nd_pack(mac, flags, origin)) < 0)
		return NULL;
	pos = rte_hash_lookup(evf_nd.h, &k);
	if (pos < 0 || (uint32_t)pos >= nd_nb_entries) {
		rte_hash_del_key(evf_nd.h, &k);
		return NULL;
	}
	e = &nd_entries[pos];
	memset(e, 0, sizeof(*e));
	e->key = k;
	e->mac = *mac;
	e->flags = flags;
	e->origin = origin;
	e->in_use = 1;
	e->attach = EVF_INVALID_ID;
	e->created = e->last_seen = evf_clock_sec();
	if (origin == EVF_ND_LOCAL || origin == EVF_ND_REMOTE)
		nd_bd_ctls[bd].count++;   /* binding-limit: hosts only, not our own */
	return e;
}

static void
slot_free(void *unused, uint64_t pos)
{
	(void)unused;
	rte_hash_free_key_with_position(evf_nd.h, (int32_t)pos);
	nd_entries[pos].in_use = 0;
}

void
nd_remove(struct nd_entry *e)
{
	int32_t pos;

	if (e->in_use != 1)
		return;
	pos = rte_hash_del_key(evf_nd.h, &e->key);
	if (pos < 0)
		return;
	e->in_use = 2; /* until no worker can still hold the key's slot */
	if (e->origin == EVF_ND_LOCAL || e->origin == EVF_ND_REMOTE)
		nd_bd_ctls[e->key.bd].count--;
	evf_rcu_defer(slot_free, NULL, (uint64_t)pos);
}

/* ---- a MAC-VRF's settings and its gateway ---- */

int
evf_nd_setup_bd(uint16_t bd, const struct evf_cfg_bd *cfg, uint16_t irb_attach,
		const struct rte_ether_addr *own_mac)
{
	struct nd_bd_ctl *c = &nd_bd_ctls[bd];
	struct evf_nd_bd *nb;

	if (!cfg->nd.enabled)
		return 0;
	if (evf_nd.h == NULL)
		return -ENODEV;
	nb = rte_zmalloc("evf_nd_bd", sizeof(*nb), RTE_CACHE_LINE_SIZE);
	if (nb == NULL)
		return -ENOMEM;
	nb->enabled = 1;
	nb->proxy = cfg->nd.proxy;
	nb->drop_unknown = cfg->nd.unknown == EVF_CFG_ND_DROP;
	nb->has_irb = cfg->irb.enabled;
	nb->irb_attach = irb_attach;
	nb->gw_mac = cfg->irb.mac;
	nb->own_mac = *own_mac;
	nb->rate = cfg->nd.rate;
	nb->host_rate = cfg->irb.host_rate;
	c->limit = cfg->nd.limit;
	c->aging = cfg->nd.aging;
	c->dup_moves = cfg->nd.dup_moves;
	c->dup_window = cfg->nd.dup_window;
	c->dup_hold = cfg->nd.dup_hold;
	/* the gateway's addresses are bindings like any other, of our own */
	for (int k = 0; cfg->irb.enabled && k < 2; k++) {
		const struct evf_cfg_prefix *p = k ? cfg->irb.unique : cfg->irb.addrs;
		uint8_t n = k ? cfg->irb.nb_unique : cfg->irb.nb_addrs;

		for (uint8_t i = 0; i < n; i++) {
			struct nd_entry *e = nd_set(bd, &p[i].ip, k ? own_mac : &cfg->irb.mac,
				EVF_ND_F_ROUTER | EVF_ND_F_OVERRIDE | EVF_ND_F_IMMUTABLE,
				k ? EVF_ND_OWN : EVF_ND_GATEWAY);

			if (e == NULL) {
				rte_free(nb);
				return -ENOSPC;
			}
			if (c->nb_gw < RTE_DIM(c->gw))
				c->gw[c->nb_gw++] = p[i].ip;
		}
	}
	evf_nd_bds[bd] = nb;
	return 0;
}

/* ---- bindings from routes ---- */

int
evf_nd_route(uint16_t bd, const struct evf_ip *ip, const struct rte_ether_addr *mac,
	     uint8_t flags, bool add, uint8_t gen)
{
	struct nd_entry *e;

	if (bd >= EVF_MAX_BDS || evf_nd_bds[bd] == NULL || !evf_nd_ip_unicast(ip))
		return 0;   /* a MAC-VRF without ARP/ND keeps only the MAC */
	e = nd_find(bd, ip);
	if (!add) {
		if (e == NULL || e->origin != EVF_ND_REMOTE || !rte_is_same_ether_addr(&e->mac, mac))
			return -ENOENT;
		nd_remove(e);
		evf_nd_ctl_counters.remote_gone++;
		return 0;
	}
	flags &= EVF_ND_F_ROUTER | EVF_ND_F_OVERRIDE | EVF_ND_F_IMMUTABLE;
	if (e != NULL) {
		if (e->origin == EVF_ND_GATEWAY || e->origin == EVF_ND_OWN ||
		    (e->flags & EVF_ND_F_FROZEN))
			return 0;           /* ours, or held: the route changes nothing here */
		if (e->origin == EVF_ND_LOCAL) {
			if (rte_is_same_ether_addr(&e->mac, mac))
				return 0;   /* our own advertisement (or the peer's sync) */
			nd_emit(EVF_EV_MACIP_AGED, e); /* the host moved to a remote PE */
		}
	} else if (nd_bd_ctls[bd].count >= nd_bd_ctls[bd].limit) {
		evf_nd_ctl_counters.limit++;
		return -ENOSPC;
	}
	e = nd_set(bd, ip, mac, flags, EVF_ND_REMOTE);
	if (e == NULL) {
		evf_nd_ctl_counters.full++;
		return -ENOSPC;
	}
	e->gen = gen;
	e->attach = EVF_INVALID_ID;
	e->created = evf_clock_sec();
	evf_nd_ctl_counters.remote_added++;
	return 0;
}

uint32_t
evf_nd_sweep(uint8_t gen)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < nd_nb_entries; i++) {
		struct nd_entry *e = &nd_entries[i];

		if (e->in_use == 1 && e->origin == EVF_ND_REMOTE && e->gen != 0 && e->gen != gen) {
			nd_remove(e);
			n++;
		}
	}
	evf_nd_ctl_counters.remote_gone += n;
	return n;
}

void
evf_nd_regen(uint8_t to)
{
	for (uint32_t i = 0; i < nd_nb_entries; i++)
		if (nd_entries[i].in_use == 1 && nd_entries[i].origin == EVF_ND_REMOTE &&
		    nd_entries[i].gen != 0)
			nd_entries[i].gen = to;
}
