/* port_setup.c: probing and configuring ethdevs from the config (main thread). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_port_drv.h"
#include "evf_xdp.h"

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* "0000:03:00.0" or "03:00.0" */
static bool
is_pci_address(const char *s)
{
	unsigned int a, b, c, d;
	char tail;

	return sscanf(s, "%x:%x:%x.%x%c", &a, &b, &c, &d, &tail) == 4 ||
		sscanf(s, "%x:%x.%x%c", &b, &c, &d, &tail) == 3;
}

static int
find_port(const char *name, uint16_t *port_id)
{
	uint16_t pid;

	if (rte_eth_dev_get_port_by_name(name, port_id) == 0)
		return 0;
	RTE_ETH_FOREACH_DEV(pid) {
		struct rte_eth_dev_info info;

		if (rte_eth_dev_info_get(pid, &info) == 0 && info.device != NULL &&
		    strcmp(rte_dev_name(info.device), name) == 0) {
			*port_id = pid;
			return 0;
		}
	}
	return -ENODEV;
}

/* rte_dev_probe() passes on whatever the bus or PMD returned, often -1: name
 * the errno values it defines and do not invent a reason for the rest. */
static const char *
probe_error_text(int rc)
{
	static char buf[96];

	switch (rc) {
	case -EINVAL: return "bad device arguments (see the driver's log above)";
	case -ENOMEM: return "out of memory";
	case -ENODEV: return "no such device";
	case -ENOTSUP: return "not supported by the driver";
	default:
		snprintf(buf, sizeof(buf), "the driver refused it (code %d; see its log above)", rc);
		return buf;
	}
}

/* Largest MTU the device takes: its max_mtu, and no more than its longest
 * receive frame less the L2 overhead (ethdev's own rule: max_rx_pktlen -
 * max_mtu when the driver sets both, else Ethernet header + CRC). */
static uint32_t
device_max_mtu(const struct rte_eth_dev_info *info)
{
	uint32_t overhead = RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	uint32_t mtu = info->max_mtu;

	if (info->max_mtu != UINT16_MAX && info->max_rx_pktlen > info->max_mtu)
		overhead = info->max_rx_pktlen - info->max_mtu;
	if (info->max_rx_pktlen > overhead && info->max_rx_pktlen - overhead < mtu)
		mtu = info->max_rx_pktlen - overhead;
	return mtu;
}

int
evf_port_probe(const struct evf_cfg_port *cfg, uint16_t *port_id, char *err, size_t errlen)
{
	char name[EVF_CFG_DEVICE_LEN];
	char devargs[EVF_CFG_DEVICE_LEN + EVF_CFG_PATH_LEN + 16];
	char *comma;
	int rc;

	snprintf(name, sizeof(name), "%s", cfg->device);
	comma = strchr(name, ',');
	if (comma != NULL)
		*comma = '\0';
	if (is_pci_address(name) && strchr(name, ':') == strrchr(name, ':')) {
		/* short form "03:00.0": ethdev names carry the domain */
		char full[32];
		snprintf(full, sizeof(full), "0000:%.20s", name);
		snprintf(name, sizeof(name), "%s", full);
	}
	if (find_port(name, port_id) == 0) {
		if (cfg->xdp_steering != EVF_XDP_STEER_NONE)
			ERR("port %s: device '%s' was already probed (EAL --vdev?); xdp-steering needs"
			    " evfwd to probe it: remove it from the EAL arguments", cfg->name, name);
		return 0; /* already probed by EAL arguments */
	}
	/* xdp-steering: the user's devargs + ",xdp_prog=<evfwd's XDP object>" */
	if (evf_xdp_devargs(cfg, devargs, sizeof(devargs), err, errlen) < 0)
		return -1;
	rc = rte_dev_probe(devargs);
	if (rc < 0 && rc != -EEXIST)
		ERR("port %s: cannot probe device '%s': %s", cfg->name, devargs, probe_error_text(rc));
	if (find_port(name, port_id) != 0)
		ERR("port %s: device '%s' probed but no ethdev named '%s'", cfg->name,
		    cfg->device, name);
	return 0;
}

unsigned int
evf_port_mbuf_need(const struct evf_cfg_port *cfg, unsigned int nb_workers)
{
	unsigned int nrx = cfg->rx_queues ? cfg->rx_queues : nb_workers;

	return nrx * cfg->rx_desc + nb_workers * cfg->tx_desc;
}

int
evf_port_setup(uint16_t port_id, const struct evf_cfg_port *cfg, unsigned int nb_workers,
	       struct rte_mempool *pool, char *err, size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct evf_port *p;
	uint16_t nb_rxq, nb_txq = (uint16_t)nb_workers;
	uint16_t nb_rxd = cfg->rx_desc, nb_txd = cfg->tx_desc;
	uint32_t frame_max;
	int rc;

	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc != 0)
		ERR("port %s: cannot read device info: %s", cfg->name, strerror(-rc));
	if (cfg->rx_queues > info.max_rx_queues)
		ERR("port %s: rx-queues %u but device %s supports %u", cfg->name,
		    cfg->rx_queues, info.driver_name, info.max_rx_queues);
	nb_rxq = cfg->rx_queues ? cfg->rx_queues :
		(uint16_t)RTE_MIN((unsigned int)info.max_rx_queues, nb_workers);
	if (nb_rxq == 0)
		nb_rxq = 1;
	if (info.max_tx_queues < nb_txq)
		ERR("port %s: device %s has %u TX queue(s), evfwd needs one per worker (%u);"
		    " give the device more queues (e.g. one tx_pcap= per worker for net_pcap)",
		    cfg->name, info.driver_name, info.max_tx_queues, nb_txq);
	if (device_max_mtu(&info) < cfg->mtu)
		ERR("port %s: mtu %u above what device %s takes: mtu %u (frames up to %u bytes)",
		    cfg->name, cfg->mtu, info.driver_name, device_max_mtu(&info), info.max_rx_pktlen);

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = cfg->mtu;
	if (nb_rxq > 1) {
		uint64_t hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP) &
			info.flow_type_rss_offloads;
		if (hf != 0) {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			conf.rx_adv_conf.rss_conf.rss_hf = hf;
		}
	}
	frame_max = cfg->mtu + RTE_ETHER_HDR_LEN + 2 * 4 + RTE_ETHER_CRC_LEN;
	if (frame_max > (uint32_t)(rte_pktmbuf_data_room_size(pool) - RTE_PKTMBUF_HEADROOM) &&
	    (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER))
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (cfg->role == EVF_ROLE_NETWORK && (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM))
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	if (cfg->role == EVF_ROLE_NETWORK) {
		conf.txmode.offloads |= info.tx_offload_capa &
			(RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM);
	}
	conf.txmode.offloads |= info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS;

	rc = rte_eth_dev_configure(port_id, nb_rxq, nb_txq, &conf);
	if (rc != 0)
		ERR("port %s: configure (%u rx, %u tx queues) failed: %s", cfg->name, nb_rxq,
		    nb_txq, strerror(-rc));
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (rc != 0)
		ERR("port %s: descriptor counts rejected: %s", cfg->name, strerror(-rc));
	for (uint16_t q = 0; q < nb_rxq; q++) {
		struct rte_eth_rxconf rxc = info.default_rxconf;
		rxc.offloads = conf.rxmode.offloads;
		rc = rte_eth_rx_queue_setup(port_id, q, nb_rxd, rte_eth_dev_socket_id(port_id),
			&rxc, pool);
		if (rc != 0)
			ERR("port %s: RX queue %u setup failed: %s", cfg->name, q, strerror(-rc));
	}
	for (uint16_t q = 0; q < nb_txq; q++) {
		struct rte_eth_txconf txc = info.default_txconf;
		txc.offloads = conf.txmode.offloads;
		rc = rte_eth_tx_queue_setup(port_id, q, nb_txd, rte_eth_dev_socket_id(port_id), &txc);
		if (rc != 0)
			ERR("port %s: TX queue %u setup failed: %s", cfg->name, q, strerror(-rc));
	}
	rc = evf_port_register(port_id, cfg);
	if (rc != 0)
		ERR("port %s: cannot register: %s", cfg->name, strerror(-rc));
	p = &evf_ports[port_id];
	p->nb_rxq = nb_rxq;
	p->nb_txq = nb_txq;
	p->tx_ipv4_cksum = conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
	p->tx_udp_cksum = conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	/* Virtual devices that copy out (pcap, ring, null) walk chains without advertising it. */
	p->tx_multiseg = (conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) ||
		strcmp(info.driver_name, "net_pcap") == 0 || strcmp(info.driver_name, "net_null") == 0 ||
		strcmp(info.driver_name, "net_ring") == 0;
	snprintf(p->driver, sizeof(p->driver), "%s", info.driver_name);
	{
		struct rte_ether_addr mac;
		rte_eth_macaddr_get(port_id, &mac);
		evf_port_set_hw_mac(p, &mac);
	}
	rte_eth_promiscuous_enable(port_id); /* bridging needs every MAC; not all vdevs can */
	return 0;
}

int
evf_port_start_all(char *err, size_t errlen)
{
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		int rc;

		if (!evf_ports[pid].configured)
			continue;
		rc = rte_eth_dev_start(pid);
		if (rc != 0)
			ERR("port %s: start failed: %s", evf_ports[pid].name, strerror(-rc));
	}
	return 0;
}

void
evf_port_stop_all(void)
{
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++)
		if (evf_ports[pid].configured)
			rte_eth_dev_stop(pid);
}

void
evf_port_close_all(void)
{
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		struct rte_eth_dev_info info;

		if (!evf_ports[pid].configured)
			continue;
		if (rte_eth_dev_info_get(pid, &info) != 0)
			info.device = NULL;
		evf_xdp_steer_close(pid); /* before the PMD detaches the program */
		rte_eth_dev_close(pid);
		/* Unplug what we probed so the same devargs can be probed again. */
		if (info.device != NULL)
			rte_dev_remove(info.device);
		evf_ports[pid].configured = false;
	}
}
