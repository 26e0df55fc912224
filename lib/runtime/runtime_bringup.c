/* runtime_bringup.c: start-up and tear-down sequence from a validated config (main thread). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "evf_runtime.h"
#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_chan.h"
#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_ring.h"
#include "evf_fdb_ctl.h"
#include "evf_lag.h"
#include "evf_nd_ctl.h"
#include "evf_lag_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_port_drv.h"
#include "evf_rcu.h"
#include "evf_stats.h"
#include "evf_underlay_ctl.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_vxlan_dp.h"
#include "evf_xdp.h"

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -EINVAL; } while (0)

struct evf_runtime evf_rt;

static unsigned int
pool_size(const struct evf_cfg *cfg, unsigned int nb_workers)
{
	unsigned int n = 0;

	if (cfg->node.mbufs)
		return cfg->node.mbufs;
	for (uint16_t i = 0; i < cfg->nb_ports; i++)
		n += evf_port_mbuf_need(&cfg->ports[i], nb_workers);
	/* TX buffers, bursts in flight, replication, per-lcore caches */
	n += nb_workers * (cfg->nb_ports * EVF_TXBUF_SIZE + 4 * EVF_BURST_MAX + 512);
	n += 8192;
	return n;
}

unsigned int
evf_bringup_mem_mb(const struct evf_cfg *cfg)
{
	unsigned int workers = cfg->workers.count ? cfg->workers.count : 1;
	uint64_t bytes = (uint64_t)pool_size(cfg, workers) * (RTE_MBUF_DEFAULT_BUF_SIZE + 192);

	bytes += (uint64_t)cfg->node.fdb_capacity * (96 + 4 * workers);
	return (unsigned int)(bytes >> 20) + 256;
}

static int
pick_lcores(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	unsigned int want = cfg->workers.count ? cfg->workers.count : 1;
	unsigned int lc, n = 0;

	if (cfg->workers.nb_lcores) {
		for (uint16_t i = 0; i < cfg->workers.nb_lcores; i++) {
			lc = cfg->workers.lcores[i];
			if (!rte_lcore_is_enabled(lc) || lc == rte_get_main_lcore())
				ERR("workers.lcores: lcore %u is not an EAL worker lcore (give it with -l)", lc);
			evf_rt.lcores[n++] = lc;
		}
	} else {
		RTE_LCORE_FOREACH_WORKER(lc) {
			if (n == want)
				break;
			evf_rt.lcores[n++] = lc;
		}
	}
	if (n < want)
		ERR("workers.count is %u but EAL has only %u worker lcore(s); add lcores with -l",
		    want, n);
	evf_rt.nb_workers = n;
	return 0;
}

static int
setup_ports(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	unsigned int next_worker = 0;

	for (uint16_t i = 0; i < cfg->nb_ports; i++) {
		const struct evf_cfg_port *cp = &cfg->ports[i];
		uint16_t pid;

		if (evf_port_probe(cp, &pid, err, errlen) < 0)
			return -EINVAL;
		if (evf_ports[pid].configured)
			ERR("port %s: device '%s' is already used by port %s", cp->name, cp->device,
			    evf_ports[pid].name);
		if (evf_port_setup(pid, cp, evf_rt.nb_workers, evf_rt.pool, err, errlen) < 0)
			return -EINVAL;
		/* Spread this port's RX queues over the workers, round robin. */
		for (uint16_t q = 0; q < evf_ports[pid].nb_rxq; q++) {
			struct evf_worker *w = &evf_workers[next_worker++ % evf_rt.nb_workers];
			if (w->nb_rxq == EVF_MAX_RXQ_PER_WORKER)
				ERR("port %s: too many RX queues per worker", cp->name);
			w->rxq[w->nb_rxq].port = pid;
			w->rxq[w->nb_rxq].queue = q;
			w->nb_rxq++;
		}
	}
	return 0;
}

static int
setup_bds(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	char ipbuf[EVF_IP_STRLEN], macbuf[EVF_MAC_STRLEN];
	int rc;

	for (uint16_t b = 0; b < cfg->nb_bds; b++) {
		rc = evf_bd_create(&cfg->bds[b]);
		if (rc < 0)
			ERR("mac-vrf %s: cannot create: %s", cfg->bds[b].name, strerror(-rc));
	}
	rc = evf_bd_finalize();
	if (rc < 0)
		ERR("mac-vrfs: VNI table: %s", strerror(-rc));

	for (uint16_t b = 0; b < cfg->nb_bds; b++) {
		const struct evf_cfg_bd *cb = &cfg->bds[b];

		for (uint16_t i = 0; i < cb->nb_vteps; i++) {
			int id = evf_vtep_get(&cb->vteps[i]);
			if (id < 0)
				ERR("mac-vrf %s: remote VTEP %s: %s", cb->name,
				    evf_ip_fmt(&cb->vteps[i], ipbuf, sizeof(ipbuf)), strerror(-id));
			rc = evf_bd_flood_add(b, (uint16_t)id, EVF_FLOOD_SRC_STATIC);
			if (rc < 0)
				ERR("mac-vrf %s: flood list: %s", cb->name, strerror(-rc));
		}
		for (uint32_t i = 0; i < cb->nb_macs; i++) {
			int id = evf_vtep_get(&cb->macs[i].vtep);
			if (id < 0)
				ERR("mac-vrf %s: remote MAC %s: VTEP %s: %s", cb->name,
				    evf_mac_fmt(&cb->macs[i].mac, macbuf, sizeof(macbuf)),
				    evf_ip_fmt(&cb->macs[i].vtep, ipbuf, sizeof(ipbuf)), strerror(-id));
			if (evf_fdb_set(b, &cb->macs[i].mac, EVF_DEST_VTEP, (uint16_t)id,
					EVF_FDB_STATIC, NULL) < 0)
				ERR("mac-vrf %s: remote MAC %s: FDB full", cb->name,
				    evf_mac_fmt(&cb->macs[i].mac, macbuf, sizeof(macbuf)));
			evf_vtep_put((uint16_t)id); /* the FDB entry holds its own reference */
		}
		for (uint32_t i = 0; i < cb->nb_local_macs; i++) {
			const struct evf_cfg_local_mac *lm = &cb->local_macs[i];
			const struct evf_iface *ifc = evf_iface_by_name(lm->attach.port);
			uint16_t aid = ifc ? ifc->vlan_to_attach[lm->attach.vlan] : EVF_INVALID_ID;

			if (aid == EVF_INVALID_ID)
				ERR("mac-vrf %s: static MAC %s: no such attachment", cb->name,
				    evf_mac_fmt(&lm->mac, macbuf, sizeof(macbuf)));
			if (evf_fdb_set(b, &lm->mac, EVF_DEST_ATTACH, aid, EVF_FDB_STATIC, NULL) < 0)
				ERR("mac-vrf %s: static MAC %s: FDB full", cb->name,
				    evf_mac_fmt(&lm->mac, macbuf, sizeof(macbuf)));
		}
	}
	return 0;
}

/* The binding capacity: every MAC-VRF's limit, within [1024, 1048576]. */
static uint32_t
nd_capacity(const struct evf_cfg *cfg)
{
	uint64_t n = 0;

	for (uint16_t b = 0; b < cfg->nb_bds; b++)
		if (cfg->bds[b].nd.enabled)
			n += cfg->bds[b].nd.limit + 2u * EVF_CFG_IRB_MAX_ADDRS;
	return (uint32_t)RTE_MAX((uint64_t)1024, RTE_MIN(n, (uint64_t)1048576));
}

/* Gateways and ARP/ND: each MAC-VRF's IRB attachment (its host port, if
 * any, gets this PE's MAC), static FDB entries for the gateway MAC and this
 * PE's MAC on it, and the MAC-VRF's ARP/ND settings and own addresses. */
static int
setup_l3(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	int rc = evf_nd_init(nd_capacity(cfg), evf_rt.pool);

	if (rc < 0)
		ERR("ARP/ND bindings: %s", strerror(-rc));
	rc = evf_nd_register_pollers();
	if (rc < 0)
		ERR("control thread: %s", strerror(-rc));
	for (uint16_t b = 0; b < cfg->nb_bds; b++) {
		const struct evf_cfg_bd *cb = &cfg->bds[b];
		const struct rte_ether_addr *own = cb->irb.has_unique_mac ? &cb->irb.unique_mac :
			&evf_node.mac;
		uint16_t irb = EVF_INVALID_ID;

		if (cb->irb.enabled) {
			const struct evf_port *hp = cb->irb.host_port[0] ?
				evf_port_by_name(cb->irb.host_port) : NULL;

			rc = evf_bd_add_irb(b, cb->irb.host_port[0] ? cb->irb.host_port : NULL);
			if (rc < 0)
				ERR("mac-vrf %s: irb: %s", cb->name, strerror(-rc));
			irb = (uint16_t)rc;
			if (hp != NULL) {
				struct rte_ether_addr mac = *own;

				/* the host stack's interface answers to (and sends from)
				 * this PE's MAC */
				rc = rte_eth_dev_default_mac_addr_set(hp->port_id, &mac);
				if (rc < 0)
					EVF_LOG(WARNING, "mac-vrf %s: irb host-port %s: cannot set"
						" its MAC: %s (frames to the gateway get its own)",
						cb->name, hp->name, strerror(-rc));
				if (rte_eth_macaddr_get(hp->port_id, &mac) == 0)
					evf_port_set_hw_mac(evf_port_by_name(cb->irb.host_port), &mac);
			}
			if (evf_fdb_set(b, &cb->irb.mac, EVF_DEST_ATTACH, irb, EVF_FDB_STATIC, NULL) < 0 ||
			    evf_fdb_set(b, own, EVF_DEST_ATTACH, irb, EVF_FDB_STATIC, NULL) < 0)
				ERR("mac-vrf %s: irb: FDB full", cb->name);
		}
		rc = evf_nd_setup_bd(b, cb, irb, own);
		if (rc < 0)
			ERR("mac-vrf %s: arp-nd: %s", cb->name, strerror(-rc));
	}
	return 0;
}

static int
setup_es(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	int rc = evf_es_init();

	if (rc < 0)
		ERR("ethernet segments: %s", strerror(-rc));
	for (uint16_t i = 0; i < cfg->nb_es; i++) {
		const struct evf_cfg_es *ce = &cfg->es[i];
		const struct evf_iface *ifc = evf_iface_by_name(ce->iface);
		struct evf_es_local_cfg lc;

		if (ifc == NULL)
			ERR("ethernet-segment %s: no interface %s", ce->name, ce->iface);
		memset(&lc, 0, sizeof(lc));
		snprintf(lc.name, sizeof(lc.name), "%s", ce->name);
		lc.esi = ce->esi;
		lc.mode = ce->mode == EVF_CFG_ES_SINGLE_ACTIVE ? EVF_ES_SINGLE_ACTIVE : EVF_ES_ALL_ACTIVE;
		lc.iface = ifc->id;
		lc.df_alg = (enum evf_df_alg)ce->df_alg;
		lc.df_pref = ce->df_pref;
		lc.df_dont_preempt = ce->df_dont_preempt;
		lc.df_timer_ms = ce->df_timer * 1000;
		lc.activation_ms = ce->activation_timer * 1000;
		rc = evf_es_create_local(&lc);
		if (rc < 0)
			ERR("ethernet-segment %s: %s", ce->name, strerror(-rc));
	}
	evf_ctl_register_poller("es-link", evf_es_link_poll);
	evf_ctl_register_poller("es-timers", evf_es_poll);
	return 0;
}

int
evf_bringup(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	unsigned int nmbufs;
	int rc;

	memset(&evf_rt, 0, sizeof(evf_rt));
	if (pick_lcores(cfg, err, errlen) < 0)
		return -EINVAL;
	if (evf_stats_init(evf_rt.nb_workers) < 0 || evf_rcu_init(evf_rt.nb_workers) < 0)
		ERR("out of memory for counters");
	nmbufs = pool_size(cfg, evf_rt.nb_workers);
	evf_rt.pool = rte_pktmbuf_pool_create("evf_mbufs", nmbufs, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (evf_rt.pool == NULL)
		ERR("cannot create a pool of %u mbufs: %s (give EAL more memory with -m)", nmbufs,
		    rte_strerror(rte_errno));
	rc = evf_chan_init(evf_rt.nb_workers, sizeof(struct evf_learn_ev), sizeof(struct evf_nd_event));
	if (rc < 0)
		ERR("worker channels: %s", strerror(-rc));
	rc = evf_dp_init(evf_rt.nb_workers, cfg->workers.burst ? cfg->workers.burst : 32,
		cfg->workers.idle_sleep_us, evf_rt.pool);
	if (rc < 0)
		ERR("workers: %s", strerror(-rc));
	for (unsigned int i = 0; i < evf_rt.nb_workers; i++)
		evf_workers[i].lcore = evf_rt.lcores[i];

	evf_node_init(&cfg->node);
	if (setup_ports(cfg, err, errlen) < 0)
		return -EINVAL;
	if (!cfg->node.has_mac) {
		if (evf_nb_uplinks > 0)
			evf_node.mac = evf_ports[evf_uplinks[0]].hw_mac;
		else
			rte_eth_random_addr(evf_node.mac.addr_bytes);
	}
	for (uint16_t i = 0; i < cfg->nb_lags; i++) {
		rc = evf_lag_create(&cfg->lags[i], &evf_node.mac);
		if (rc < 0)
			ERR("lag %s: cannot create: %s", cfg->lags[i].name, strerror(-rc));
	}
	evf_vxlan_fast_init();
	rc = evf_vtep_table_init();
	if (rc < 0)
		ERR("VTEP table: %s", strerror(-rc));
	rc = evf_fdb_init(cfg->node.fdb_capacity ? cfg->node.fdb_capacity : 131072,
		evf_rt.nb_workers);
	if (rc < 0)
		ERR("FDB of %u entries: %s", cfg->node.fdb_capacity, strerror(-rc));
	/* learning and aging before every other job of the control loop */
	rc = evf_fdb_register_pollers();
	if (rc < 0)
		ERR("control thread: %s", strerror(-rc));
	if (setup_bds(cfg, err, errlen) < 0)
		return -EINVAL;
	if (setup_l3(cfg, err, errlen) < 0)
		return -EINVAL;
	/* the ring first: the segments' first events already go to the control plane */
	if (evf_ring_init(&cfg->ring, err, errlen) < 0)
		return -EINVAL;
	/* what a state dump of the events ring is made of, in this order */
	evf_node_register_dump();
	evf_bd_register_dump();
	evf_es_register_dump();
	evf_fdb_register_dump();
	evf_nd_register_dump();
	if (setup_es(cfg, err, errlen) < 0)
		return -EINVAL;
	if (cfg->ring.enabled)
		evf_ctl_register_poller("control-ring", evf_ring_poll);
	/* the underlay after the ports and the node MAC: gateways, first usable sets */
	rc = evf_ul_setup(cfg, evf_rt.pool);
	if (rc < 0)
		ERR("underlay: %s", strerror(-rc));
	rc = evf_ul_register_pollers();
	if (rc < 0)
		ERR("control thread: %s", strerror(-rc));
	rc = evf_lag_start(evf_rt.pool);
	if (rc < 0)
		ERR("lags: %s", strerror(-rc));
	if (evf_port_start_all(err, errlen) < 0)
		return -EINVAL;
	if (evf_xdp_steer_start_all(cfg, err, errlen) < 0) /* needs evf_node and started ports */
		return -EINVAL;
	evf_rcu_drain();
	return 0;
}

int
evf_bringup_launch(char *err, size_t errlen)
{
	int rc;

	evf_rt.start_tsc = rte_rdtsc();
	/* LAG member links and static LAG tables before the first packet */
	if (evf_nb_lags)
		evf_lag_poll(rte_rdtsc());
	for (unsigned int i = 0; i < evf_rt.nb_workers; i++) {
		rc = rte_eal_remote_launch(evf_dp_worker_main, &evf_workers[i], evf_rt.lcores[i]);
		if (rc != 0)
			ERR("cannot launch worker %u on lcore %u: %s", i, evf_rt.lcores[i],
			    strerror(-rc));
	}
	rc = evf_ctl_start();
	if (rc != 0)
		ERR("cannot start the control thread: %s", strerror(-rc));
	return 0;
}

static bool
idle_now(uint64_t idle_ms)
{
	return evf_dp_all_idle(idle_ms, evf_rt.start_tsc) && evf_chan_events_empty();
}

bool
evf_runtime_settled(uint64_t idle_ms)
{
	uint64_t loops[EVF_MAX_WORKERS], ctl_loops;

	if (!idle_now(idle_ms))
		return false;
	for (unsigned int i = 0; i < evf_rt.nb_workers; i++)
		loops[i] = __atomic_load_n(&evf_workers[i].stats->loops, __ATOMIC_RELAXED);
	ctl_loops = __atomic_load_n(&evf_ctl_counters.loops, __ATOMIC_RELAXED);
	for (int t = 0; t < 4000; t++) {
		bool ran = __atomic_load_n(&evf_ctl_counters.loops, __ATOMIC_RELAXED) >= ctl_loops + 2;

		for (unsigned int i = 0; ran && i < evf_rt.nb_workers; i++)
			ran = __atomic_load_n(&evf_workers[i].stats->loops, __ATOMIC_RELAXED) >=
				loops[i] + 4;
		if (ran)
			return idle_now(idle_ms);
		rte_delay_us_sleep(500);
	}
	return false;
}

void
evf_bringup_stop(void)
{
	evf_dp_stop();
	rte_eal_mp_wait_lcore();
	evf_ctl_stop();
	evf_chan_drain(); /* punted and injected frames nobody will handle now */
	evf_port_stop_all();
}

void
evf_bringup_teardown(void)
{
	if (evf_rcu != NULL)
		evf_rcu_drain(); /* run every deferred free while the tables still exist */
	evf_ring_fini();
	evf_ul_fini();
	evf_port_close_all();
	evf_lag_reset();
	evf_port_table_reset();
	evf_es_reset();
	evf_bd_reset();
	evf_nd_fini();
	if (evf_fdb.buckets != NULL)
		evf_fdb_fini();
	evf_vtep_table_init();
	if (evf_rcu != NULL)
		evf_rcu_fini();
	evf_dp_fini();
	evf_chan_fini();
	evf_stats_fini();
	if (evf_rt.pool != NULL)
		rte_mempool_free(evf_rt.pool);
	memset(&evf_rt, 0, sizeof(evf_rt));
}
