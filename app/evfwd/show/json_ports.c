/* json_ports.c: JSON forms of show port stats, show port info, show xdp,
 * show drops and show workers (main thread: counters and start-up tables).
 * Schemas: doc/shell.md "JSON output". */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "evf_dp.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_stats.h"
#include "evf_xdp.h"
#include "json.h"
#include "json_out.h"

static const char *
role_name(const struct evf_port *p)
{
	return p->role == EVF_ROLE_NETWORK ? "network" : "access";
}

/* "up", "down", or null when the device does not say. */
static json_t *
link_json(uint16_t pid)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(pid, &link) != 0)
		return json_null();
	return json_string(link.link_status ? "up" : "down");
}

int
evf_json_port_stats(FILE *out, const char *name)
{
	json_t *root = json_object(), *ports = json_array();
	struct evf_stats_sum s;
	bool found = false;

	if (name != NULL && strcmp(name, "all") == 0)
		name = NULL;
	evf_stats_read(&s, true); /* since "clear stats", like the table */
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		const struct evf_port *p = &evf_ports[pid];
		struct rte_eth_stats es;
		json_t *o;

		if (!p->configured || (name != NULL && strcmp(name, p->name) != 0))
			continue;
		found = true;
		memset(&es, 0, sizeof(es));
		rte_eth_stats_get(pid, &es);
		o = json_object();
		evf_json_set(o, "name", evf_json_str(p->name));
		evf_json_set(o, "role", json_string(role_name(p)));
		evf_json_set(o, "link", link_json(pid));
		evf_json_set(o, "admin", json_string(evf_port_is_up(p) ? "up" : "down"));
		evf_json_set(o, "rx_packets", evf_json_uint(s.port[pid].rx_pkts));
		evf_json_set(o, "rx_bytes", evf_json_uint(s.port[pid].rx_bytes));
		evf_json_set(o, "tx_packets", evf_json_uint(s.port[pid].tx_pkts));
		evf_json_set(o, "tx_bytes", evf_json_uint(s.port[pid].tx_bytes));
		evf_json_set(o, "dropped", evf_json_uint(s.port[pid].drops));
		evf_json_set(o, "rx_missed", evf_json_uint(es.imissed));
		evf_json_set(o, "rx_nombuf", evf_json_uint(es.rx_nombuf));
		evf_json_push(ports, o);
	}
	evf_json_set(root, "ports", ports);
	if (!found && name != NULL) {
		json_decref(root);
		return -ENOENT;
	}
	return evf_json_print(out, root);
}

/* Offloads as a list of names. */
static json_t *
offloads_json(const struct evf_port *p)
{
	json_t *a = json_array();

	if (p->tx_ipv4_cksum)
		evf_json_push(a, json_string("ipv4-cksum"));
	if (p->tx_udp_cksum)
		evf_json_push(a, json_string("udp-cksum"));
	if (p->tx_multiseg)
		evf_json_push(a, json_string("multi-seg"));
	return a;
}

int
evf_json_port_info(FILE *out, const char *unused)
{
	json_t *root = json_object(), *ports = json_array();
	(void)unused;

	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		const struct evf_port *p = &evf_ports[pid];
		json_t *o;

		if (!p->configured)
			continue;
		o = json_object();
		evf_json_set(o, "name", evf_json_str(p->name));
		evf_json_set(o, "id", json_integer(pid));
		evf_json_set(o, "role", json_string(role_name(p)));
		evf_json_set(o, "driver", evf_json_str(p->driver));
		evf_json_set(o, "rx_queues", json_integer(p->nb_rxq));
		evf_json_set(o, "tx_queues", json_integer(p->nb_txq));
		evf_json_set(o, "mtu", json_integer(p->mtu));
		evf_json_set(o, "underlay_vlan", p->underlay_vlan ? json_integer(p->underlay_vlan) :
			     json_null());
		evf_json_set(o, "mac", evf_json_mac(&p->hw_mac));
		evf_json_set(o, "next_hop", p->role == EVF_ROLE_NETWORK ?
			     evf_json_mac(&p->next_hop) : json_null());
		evf_json_set(o, "offloads", offloads_json(p));
		evf_json_set(o, "device", evf_json_str(p->device));
		evf_json_push(ports, o);
	}
	evf_json_set(root, "ports", ports);
	return evf_json_print(out, root);
}

int
evf_json_xdp(FILE *out, const char *unused)
{
	json_t *root = json_object(), *ports = json_array();
	(void)unused;

	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		uint64_t cnt[EVF_XDP_NB_COUNTERS];
		const char *ifname;
		uint32_t prog_id;
		json_t *o, *c;

		if (!evf_ports[pid].configured || !evf_xdp_steering(pid) ||
		    evf_xdp_info(pid, &ifname, &prog_id) < 0 || evf_xdp_stats_read(pid, cnt) < 0)
			continue;
		o = json_object();
		c = json_object();
		evf_json_set(o, "name", evf_json_str(evf_ports[pid].name));
		evf_json_set(o, "interface", evf_json_str(ifname));
		evf_json_set(o, "program_id", evf_json_uint(prog_id));
		for (unsigned int k = 0; k < EVF_XDP_NB_COUNTERS; k++) {
			char key[64];

			evf_json_set(c, evf_snake_name(evf_xdp_counter_name(k), key, sizeof(key)),
				     evf_json_uint(cnt[k]));
		}
		evf_json_set(o, "packets", c);
		evf_json_push(ports, o);
	}
	evf_json_set(root, "ports", ports);
	return evf_json_print(out, root);
}

int
evf_json_drops(FILE *out, const char *all)
{
	json_t *root = json_object(), *drops = json_array();
	struct evf_stats_sum s;

	evf_stats_read(&s, true);
	for (int r = EVF_DROP_FIRST; r < EVF_DROP_MAX; r++) {
		json_t *o;

		if (all == NULL && s.drops[r] == 0)
			continue;
		o = json_object();
		evf_json_set(o, "reason", json_string(evf_drop_name(r)));
		evf_json_set(o, "packets", evf_json_uint(s.drops[r]));
		evf_json_set(o, "meaning", evf_json_str(evf_drop_help(r)));
		evf_json_push(drops, o);
	}
	evf_json_set(root, "drops", drops);
	evf_json_set(root, "total", evf_json_uint(evf_stats_total_drops(&s)));
	return evf_json_print(out, root);
}

int
evf_json_workers(FILE *out, const char *unused)
{
	json_t *root = json_object(), *workers = json_array();
	struct evf_counter_set set;
	(void)unused;

	evf_json_set(root, "tsc_hz", evf_json_uint(rte_get_tsc_hz()));
	for (unsigned int i = 0; i < evf_nb_workers; i++) {
		const struct evf_worker *w = &evf_workers[i];
		const struct evf_worker_stats *s = w->stats;
		json_t *o = json_object(), *qs = json_array();

		evf_json_set(o, "worker", json_integer(i));
		evf_json_set(o, "lcore", json_integer(w->lcore));
		for (uint16_t q = 0; q < w->nb_rxq; q++) {
			json_t *rq = json_object();

			evf_json_set(rq, "port", evf_json_str(evf_ports[w->rxq[q].port].name));
			evf_json_set(rq, "queue", json_integer(w->rxq[q].queue));
			evf_json_push(qs, rq);
		}
		evf_json_set(o, "rx_queues", qs);
		evf_worker_counter_set(&set, "Worker", s, NULL);
		evf_json_set(o, "counters", evf_json_counters(&set));
		evf_json_set(o, "busy_cycles_per_packet", json_real(s->busy_pkts ?
			(double)s->busy_cycles / (double)s->busy_pkts : 0.0));
		evf_json_push(workers, o);
	}
	evf_json_set(root, "workers", workers);
	return evf_json_print(out, root);
}
