/* metrics_scrape.c: one scrape of the metrics endpoint (the server's
 * thread). The counter families come from the counter lists
 * (evf_counters.h: learning, control thread, workers, control ring, the
 * control socket, the endpoint's own; drop reasons from EVF_DROP_REASONS):
 * a counter added to a list is exported without touching this file, as
 * evfwd_<set>_<shown name>_total. Counters are read with relaxed loads, as
 * DPDK telemetry reads them; the control state comes from metrics_state.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_fdb_ctl.h"
#include "evf_nd_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_ring.h"
#include "evf_runtime.h"
#include "evf_stats.h"
#include "evf_underlay_ctl.h"
#include "evf_version.h"
#include "evf_xdp.h"
#include "ctl_socket.h"
#include "metrics_private.h"
#include "names.h"

/* Counters of a set that are levels, not counts (exported as gauges): a
 * counter set says nothing of its members' kind, so the few gauges among
 * them are named here. Any other member is a counter. */
static const struct {
	const char *set, *name;
} gauges[] = {
	{ "ring", "events waiting" },
	{ "ring", "events waiting most" },
};

static bool
is_gauge(const char *set, const char *name)
{
	for (size_t i = 0; i < sizeof(gauges) / sizeof(gauges[0]); i++)
		if (strcmp(gauges[i].set, set) == 0 && strcmp(gauges[i].name, name) == 0)
			return true;
	return false;
}

/* Family evfwd_<key>_<counter>; labels (pairs, NULL-terminated) per sample. */
static int
set_family(struct evf_mset *s, const char *key, const struct evf_counter_set *set,
	   unsigned int i)
{
	char part[64], name[128];

	evf_snake_name(set->desc[i].name, part, sizeof(part));
	snprintf(name, sizeof(name), "evfwd_%s_%s", key, part);
	return evf_mset_family(s, name, is_gauge(key, set->desc[i].name) ? EVF_MT_GAUGE :
			       EVF_MT_COUNTER, set->desc[i].help);
}

/* A set with one sample per counter and no labels. */
static int
plain_set(struct evf_mset *s, const struct evf_counter_set *set)
{
	int rc = 0;

	for (unsigned int i = 0; i < set->n && rc == 0; i++) {
		rc = set_family(s, set->key, set, i);
		if (rc == 0)
			rc = evf_mset_add(s, evf_counter_value(set, i), NULL);
	}
	return rc;
}

/* ARP/ND of the MAC-VRFs (workers' sums, bindings) and of the underlay
 * (workers' sums, the gateway resolver). */
static int
arp_nd_families(struct evf_mset *s)
{
	struct evf_nd_wcounters nd;
	struct evf_ul_wcounters ul;
	struct evf_counter_set set;
	int rc;

	evf_nd_worker_sum(&nd);
	evf_nd_worker_counter_set(&set, &nd);
	rc = plain_set(s, &set);
	rc = rc ? rc : plain_set(s, &evf_nd_ctl_counter_set);
	evf_ul_worker_sum(&ul);
	evf_ul_worker_counter_set(&set, &ul);
	rc = rc ? rc : plain_set(s, &set);
	return rc ? rc : plain_set(s, &evf_ul_ctl_counter_set);
}

static int
meta_families(struct evf_mset *s)
{
	uint64_t hz = rte_get_tsc_hz();
	int rc;

	rc = evf_mset_family(s, "evfwd_build", EVF_MT_INFO, "evfwd's version and node name");
	rc = rc ? rc : evf_mset_add(s, 1, "version", EVF_VERSION, "node", evf_metrics_st.node, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_uptime_seconds", EVF_MT_GAUGE,
				       "seconds since evfwd started forwarding");
	rc = rc ? rc : evf_mset_add_real(s, hz ? (double)(rte_rdtsc() - evf_rt.start_tsc) /
					 (double)hz : 0.0, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_workers", EVF_MT_GAUGE, "worker lcores");
	rc = rc ? rc : evf_mset_add(s, evf_nb_workers, NULL);
	return rc;
}

/* Port counters (struct evf_port_counters, summed over workers, never
 * reset by "clear stats") and the device's own error counters. */
static const struct {
	const char *name, *help;
	size_t off;
} port_ctr[] = {
	{ "evfwd_port_rx_packets", "packets received", offsetof(struct evf_port_counters, rx_pkts) },
	{ "evfwd_port_rx_bytes", "bytes received", offsetof(struct evf_port_counters, rx_bytes) },
	{ "evfwd_port_tx_packets", "packets transmitted",
	  offsetof(struct evf_port_counters, tx_pkts) },
	{ "evfwd_port_tx_bytes", "bytes transmitted", offsetof(struct evf_port_counters, tx_bytes) },
	{ "evfwd_port_rx_dropped", "packets received on the port and dropped (evfwd_drops_total"
	  " says why)", offsetof(struct evf_port_counters, drops) },
};

static int
port_families(struct evf_mset *s, const struct evf_stats_sum *sum)
{
	struct rte_eth_stats es[EVF_MAX_PORTS];
	bool have[EVF_MAX_PORTS] = { false };
	int rc = 0;

	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++)
		if (evf_ports[pid].configured)
			have[pid] = rte_eth_stats_get(pid, &es[pid]) == 0;
	for (size_t c = 0; c < sizeof(port_ctr) / sizeof(port_ctr[0]) && rc == 0; c++) {
		rc = evf_mset_family(s, port_ctr[c].name, EVF_MT_COUNTER, port_ctr[c].help);
		for (uint16_t pid = 0; pid < EVF_MAX_PORTS && rc == 0; pid++) {
			const struct evf_port *p = &evf_ports[pid];

			if (!p->configured)
				continue;
			rc = evf_mset_add(s, *(const uint64_t *)((const char *)&sum->port[pid] +
								 port_ctr[c].off),
					  "port", p->name, NULL);
		}
	}
	static const struct {
		const char *name, *help;
		int which;
	} dev_ctr[] = {
		{ "evfwd_port_rx_missed", "packets the device dropped: no room in its RX queue", 0 },
		{ "evfwd_port_rx_nombuf", "RX mbuf allocation failures of the device", 1 },
		{ "evfwd_port_rx_errors", "erroneous packets the device received", 2 },
		{ "evfwd_port_tx_errors", "packets the device failed to transmit", 3 },
	};
	for (size_t c = 0; c < sizeof(dev_ctr) / sizeof(dev_ctr[0]) && rc == 0; c++) {
		rc = evf_mset_family(s, dev_ctr[c].name, EVF_MT_COUNTER, dev_ctr[c].help);
		for (uint16_t pid = 0; pid < EVF_MAX_PORTS && rc == 0; pid++) {
			uint64_t v;

			if (!have[pid])
				continue;
			v = dev_ctr[c].which == 0 ? es[pid].imissed : dev_ctr[c].which == 1 ?
				es[pid].rx_nombuf : dev_ctr[c].which == 2 ? es[pid].ierrors :
				es[pid].oerrors;
			rc = evf_mset_add(s, v, "port", evf_ports[pid].name, NULL);
		}
	}
	rc = rc ? rc : evf_mset_family(s, "evfwd_port", EVF_MT_INFO,
				       "a configured port: its role and driver");
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS && rc == 0; pid++)
		if (evf_ports[pid].configured)
			rc = evf_mset_add(s, 1, "port", evf_ports[pid].name, "role",
					  evf_ports[pid].role == EVF_ROLE_NETWORK ? "network" : "access",
					  "driver", evf_ports[pid].driver, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_port_link_up", EVF_MT_GAUGE,
				       "1 when the device reports its link up");
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS && rc == 0; pid++) {
		struct rte_eth_link link;

		if (!evf_ports[pid].configured || rte_eth_link_get_nowait(pid, &link) != 0)
			continue;
		rc = evf_mset_add(s, link.link_status ? 1 : 0, "port", evf_ports[pid].name, NULL);
	}
	rc = rc ? rc : evf_mset_family(s, "evfwd_port_admin_up", EVF_MT_GAUGE,
				       "1 when the port forwards (port start), 0 when stopped");
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS && rc == 0; pid++)
		if (evf_ports[pid].configured)
			rc = evf_mset_add(s, evf_port_is_up(&evf_ports[pid]) ? 1 : 0, "port",
					  evf_ports[pid].name, NULL);
	return rc;
}

static int
drop_families(struct evf_mset *s, const struct evf_stats_sum *sum)
{
	int rc = evf_mset_family(s, "evfwd_drops", EVF_MT_COUNTER,
				 "packets dropped, by reason (show drops all explains each)");

	for (int r = EVF_DROP_FIRST; r < EVF_DROP_MAX && rc == 0; r++)
		rc = evf_mset_add(s, sum->drops[r], "reason", evf_drop_name(r), NULL);
	return rc;
}

static int
worker_families(struct evf_mset *s)
{
	struct evf_counter_set set;
	int rc = 0;

	evf_worker_counter_set(&set, "Worker", NULL, NULL);
	for (unsigned int c = 0; c < set.n && rc == 0; c++) {
		rc = set_family(s, set.key, &set, c);
		for (unsigned int w = 0; w < evf_nb_workers && rc == 0; w++) {
			struct evf_counter_set ws;
			char wid[12], lcore[12];

			evf_worker_counter_set(&ws, "Worker", evf_workers[w].stats, NULL);
			snprintf(wid, sizeof(wid), "%u", w);
			snprintf(lcore, sizeof(lcore), "%u", evf_workers[w].lcore);
			rc = evf_mset_add(s, evf_counter_value(&ws, c), "worker", wid, "lcore", lcore,
					  NULL);
		}
	}
	return rc;
}

static int
ring_reject_families(struct evf_mset *s)
{
	int rc = evf_mset_family(s, "evfwd_ring_rejected", EVF_MT_COUNTER,
				 "control-ring records not applied, by reason");

	for (int i = 0; i < EVF_RING_REJ_MAX && rc == 0; i++)
		rc = evf_mset_add(s, __atomic_load_n(&evf_ring_counters.rejected[i],
						     __ATOMIC_RELAXED),
				  "reason", evf_ring_reject_name(i), NULL);
	return rc;
}

static int
ctlsock_families(struct evf_mset *s)
{
	struct evf_counter_set set;
	int rc;

	if (!evf_ctlsock_enabled())
		return 0;
	evf_ctlsock_counter_set(&set);
	rc = plain_set(s, &set);
	rc = rc ? rc : evf_mset_family(s, "evfwd_ctlsock_clients", EVF_MT_GAUGE,
				       "control-socket clients connected");
	return rc ? rc : evf_mset_add(s, evf_ctlsock_clients(), NULL);
}

static int
endpoint_families(struct evf_mset *s)
{
	int rc = plain_set(s, &evf_metrics_counter_set);

	rc = rc ? rc : evf_mset_family(s, "evfwd_metrics_http_open_connections", EVF_MT_GAUGE,
				       "connections to this endpoint open now");
	return rc ? rc : evf_mset_add(s, __atomic_load_n(&evf_metrics_st.open, __ATOMIC_RELAXED),
				      NULL);
}

static int
xdp_families(struct evf_mset *s)
{
	bool any = false;
	int rc = 0;

	for (uint16_t pid = 0; pid < EVF_MAX_PORTS && rc == 0; pid++) {
		uint64_t cnt[EVF_XDP_NB_COUNTERS];

		if (!evf_ports[pid].configured || !evf_xdp_steering(pid) ||
		    evf_xdp_stats_read(pid, cnt) < 0)
			continue;
		if (!any)
			rc = evf_mset_family(s, "evfwd_xdp_packets", EVF_MT_COUNTER,
					     "packets per verdict of evfwd's XDP program");
		any = true;
		for (unsigned int k = 0; k < EVF_XDP_NB_COUNTERS && rc == 0; k++)
			rc = evf_mset_add(s, cnt[k], "port", evf_ports[pid].name, "verdict",
					  evf_xdp_counter_name(k), NULL);
	}
	return rc;
}

int
metrics_counter_families(struct evf_mset *s)
{
	struct evf_stats_sum sum;
	int rc;

	evf_stats_read(&sum, false); /* absolute: "clear stats" never resets a counter here */
	rc = meta_families(s);
	rc = rc ? rc : port_families(s, &sum);
	rc = rc ? rc : drop_families(s, &sum);
	rc = rc ? rc : worker_families(s);
	rc = rc ? rc : plain_set(s, &evf_learn_counter_set);
	rc = rc ? rc : plain_set(s, &evf_ctl_counter_set);
	rc = rc ? rc : plain_set(s, &evf_ring_counter_set);
	rc = rc ? rc : ring_reject_families(s);
	rc = rc ? rc : ctlsock_families(s);
	rc = rc ? rc : endpoint_families(s);
	rc = rc ? rc : xdp_families(s);
	rc = rc ? rc : arp_nd_families(s);
	return rc;
}

int
metrics_scrape(FILE *out, bool openmetrics)
{
	struct evf_mset *s = evf_mset_new();
	const struct evf_mset *sets[2];
	int rc;

	if (s == NULL)
		return -ENOMEM;
	rc = metrics_counter_families(s);
	if (rc == 0) {
		sets[0] = s;
		sets[1] = metrics_state_families(); /* NULL: left out, the rest still served */
		rc = evf_mset_write(out, sets, 2, openmetrics);
	}
	evf_mset_free(s);
	return rc;
}
