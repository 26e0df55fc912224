/* telemetry.c: /evfwd/ports, /evfwd/drops, /evfwd/workers and the counter
 * sets (/evfwd/learning, /evfwd/control, /evfwd/ring, /evfwd/worker) for DPDK
 * telemetry clients. Handlers run on the telemetry thread and only read
 * counters and start-up tables. */
#include <rte_telemetry.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_fdb_ctl.h"
#include "evf_nd_ctl.h"
#include "evf_underlay_ctl.h"
#include "evf_ring.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_stats.h"
#include "telemetry.h"

/* DPDK 22.11's telemetry keeps only names of letters, digits, '_' and '/'
 * (a "-" drops the entry): "truncated-eth" -> "truncated_eth". */
static const char *
tel_name(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", name);
	for (char *k = buf; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_' && *k != '/')
			*k = '_';
	return buf;
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct evf_stats_sum s;
	(void)cmd; (void)params;

	evf_stats_read(&s, false);
	rte_tel_data_start_dict(d);
	for (int r = EVF_DROP_FIRST; r < EVF_DROP_MAX; r++) {
		char key[64];

		rte_tel_data_add_dict_u64(d, tel_name(evf_drop_name(r), key, sizeof(key)),
					  s.drops[r]);
	}
	return 0;
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct evf_stats_sum s;
	(void)cmd; (void)params;

	evf_stats_read(&s, false);
	rte_tel_data_start_dict(d);
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		struct rte_tel_data *p;

		if (!evf_ports[pid].configured)
			continue;
		p = rte_tel_data_alloc();
		if (p == NULL)
			return -1;
		rte_tel_data_start_dict(p);
		rte_tel_data_add_dict_u64(p, "rx_packets", s.port[pid].rx_pkts);
		rte_tel_data_add_dict_u64(p, "rx_bytes", s.port[pid].rx_bytes);
		rte_tel_data_add_dict_u64(p, "tx_packets", s.port[pid].tx_pkts);
		rte_tel_data_add_dict_u64(p, "tx_bytes", s.port[pid].tx_bytes);
		rte_tel_data_add_dict_u64(p, "dropped", s.port[pid].drops);
		{
			char key[64];

			rte_tel_data_add_dict_container(d, tel_name(evf_ports[pid].name, key,
				sizeof(key)), p, 0);
		}
	}
	return 0;
}

static int
tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd; (void)params;

	rte_tel_data_start_array(d, RTE_TEL_U64_VAL);
	for (unsigned int i = 0; i < evf_nb_workers; i++) {
		const struct evf_worker_stats *s = evf_workers[i].stats;
		rte_tel_data_add_array_u64(d, s->busy_pkts ? s->busy_cycles / s->busy_pkts : 0);
	}
	return 0;
}

/* /evfwd/learning, /evfwd/control, /evfwd/ring, /evfwd/worker, /evfwd/arp_nd,
 * /evfwd/bindings, /evfwd/underlay_arp_nd, /evfwd/underlay_resolver: a counter set
 * as a dict, every counter of its list under its shown name. */
static const struct evf_counter_set *
set_of(const char *cmd, struct evf_counter_set *tmp, struct evf_stats_sum *sum,
       struct evf_nd_wcounters *nd, struct evf_ul_wcounters *ul)
{
	if (strcmp(cmd, "/evfwd/underlay_resolver") == 0)
		return &evf_ul_ctl_counter_set;
	if (strcmp(cmd, "/evfwd/underlay_arp_nd") == 0) {
		evf_ul_worker_sum(ul);
		evf_ul_worker_counter_set(tmp, ul);
		return tmp;
	}
	if (strcmp(cmd, "/evfwd/bindings") == 0)
		return &evf_nd_ctl_counter_set;
	if (strcmp(cmd, "/evfwd/arp_nd") == 0) {
		evf_nd_worker_sum(nd);
		evf_nd_worker_counter_set(tmp, nd);
		return tmp;
	}
	if (strcmp(cmd, "/evfwd/learning") == 0)
		return &evf_learn_counter_set;
	if (strcmp(cmd, "/evfwd/control") == 0)
		return &evf_ctl_counter_set;
	if (strcmp(cmd, "/evfwd/ring") == 0)
		return &evf_ring_counter_set;
	evf_stats_read(sum, false);
	evf_worker_counter_set(tmp, "Workers", NULL, sum);
	return tmp;
}

static int
tel_counters(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct evf_counter_set tmp;
	struct evf_stats_sum sum;
	struct evf_nd_wcounters nd;
	struct evf_ul_wcounters ul;
	const struct evf_counter_set *set = set_of(cmd, &tmp, &sum, &nd, &ul);
	(void)params;

	rte_tel_data_start_dict(d);
	for (unsigned int i = 0; i < set->n; i++) {
		char key[64];

		rte_tel_data_add_dict_u64(d, tel_name(set->desc[i].name, key, sizeof(key)),
					  evf_counter_value(set, i));
	}
	return 0;
}

void
evf_telemetry_init(void)
{
	rte_telemetry_register_cmd("/evfwd/learning", tel_counters, "Learning counters");
	rte_telemetry_register_cmd("/evfwd/control", tel_counters, "Control thread counters");
	rte_telemetry_register_cmd("/evfwd/ring", tel_counters, "Control ring counters");
	rte_telemetry_register_cmd("/evfwd/arp_nd", tel_counters,
				   "ARP/ND counters of the workers (sums)");
	rte_telemetry_register_cmd("/evfwd/underlay_arp_nd", tel_counters,
				   "ARP/ND counters of network ports (worker sums)");
	rte_telemetry_register_cmd("/evfwd/underlay_resolver", tel_counters,
				   "Underlay gateway resolver counters (control thread)");
	rte_telemetry_register_cmd("/evfwd/bindings", tel_counters,
				   "MAC/IP binding counters of the control thread");
	rte_telemetry_register_cmd("/evfwd/worker", tel_counters,
		"Worker counters summed over the workers");
	rte_telemetry_register_cmd("/evfwd/drops", tel_drops, "Drop counters by reason");
	rte_telemetry_register_cmd("/evfwd/ports", tel_ports, "Per-port evfwd counters");
	rte_telemetry_register_cmd("/evfwd/workers", tel_workers,
		"Busy cycles per packet of each worker");
}
