/* telemetry.c: /evfwd/ports, /evfwd/drops and /evfwd/workers for DPDK
 * telemetry clients. Handlers run on the telemetry thread and only read
 * counters and start-up tables. */
#include <rte_telemetry.h>

#include "evf_dp.h"
#include "evf_port.h"
#include "evf_stats.h"
#include "telemetry.h"

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct evf_stats_sum s;
	(void)cmd; (void)params;

	evf_stats_read(&s, false);
	rte_tel_data_start_dict(d);
	for (int r = EVF_DROP_FIRST; r < EVF_DROP_MAX; r++)
		rte_tel_data_add_dict_u64(d, evf_drop_name(r), s.drops[r]);
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
		rte_tel_data_add_dict_container(d, evf_ports[pid].name, p, 0);
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

void
evf_telemetry_init(void)
{
	rte_telemetry_register_cmd("/evfwd/drops", tel_drops, "Drop counters by reason");
	rte_telemetry_register_cmd("/evfwd/ports", tel_ports, "Per-port evfwd counters");
	rte_telemetry_register_cmd("/evfwd/workers", tel_workers,
		"Busy cycles per packet of each worker");
}
