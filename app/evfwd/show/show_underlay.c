/* show_underlay.c: "show underlay": the network ports' addresses and link
 * state, the gateways (state, MAC, last sign of life, probes), the usable
 * uplink sets and the counters (control thread, through evf_ctl_call). */
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "evf_port.h"
#include "evf_underlay_ctl.h"
#include "show.h"

static void
gw_line(const struct evf_ul_gw_view *v, void *arg)
{
	FILE *out = arg;
	char ip[EVF_IP_STRLEN], mac[EVF_MAC_STRLEN], seen[24];

	if (v->seen_ms == UINT64_MAX)
		snprintf(seen, sizeof(seen), "never");
	else
		snprintf(seen, sizeof(seen), "%llu", (unsigned long long)v->seen_ms);
	fprintf(out, "%-24s  %-8s  %-10s  %-17s  %-6s  %9s  %8llu  %8llu  %7llu  %6u\n",
		evf_ip_fmt(&v->ip, ip, sizeof(ip)), evf_ports[v->port_id].name,
		evf_ul_gw_state_name(v->state), v->has_mac ? evf_mac_fmt(&v->mac, mac, sizeof(mac)) : "-",
		v->usable ? "yes" : "no", seen, (unsigned long long)v->probes,
		(unsigned long long)v->answers, (unsigned long long)v->failures, v->misses);
}

int
evf_show_underlay(FILE *out)
{
	struct evf_ul_wcounters sum;
	struct evf_counter_set set;
	struct evf_ul_port_view pv;
	char ip[EVF_IP_STRLEN];
	int n4, n6;

	if (evf_nb_uplinks == 0) {
		fprintf(out, "No network port.\n");
		return 0;
	}
	fprintf(out, "%-8s  %-5s  %-8s  %-14s  %s\n", "Port", "Link", "Next hop", "Probe", "Addresses");
	for (uint16_t u = 0; evf_ul_port_view(u, &pv) == 0; u++) {
		char probe[32];

		snprintf(probe, sizeof(probe), "%ums x%u", pv.probe_interval_ms, pv.probe_misses);
		fprintf(out, "%-8s  %-5s  %-8s  %-14s ", evf_ports[pv.port_id].name,
			pv.link_up ? "up" : "down", pv.static_hop ? "static" : "resolved",
			pv.static_hop ? "-" : probe);
		for (uint8_t a = 0; a < pv.nb_addrs; a++)
			fprintf(out, " %s", evf_ip_fmt(&pv.addrs[a], ip, sizeof(ip)));
		fprintf(out, "%s\n", pv.nb_addrs ? "" : " -");
	}
	fprintf(out, "\n%-24s  %-8s  %-10s  %-17s  %-6s  %9s  %8s  %8s  %7s  %6s\n", "Gateway", "Port",
		"State", "MAC", "In use", "Seen (ms)", "Probes", "Answers", "Failed", "Misses");
	if (evf_ul_gw_walk(gw_line, out) == 0)
		fprintf(out, "(no gateway: static next hops only)\n");
	n4 = evf_ul_set_size(AF_INET);
	n6 = evf_ul_set_size(AF_INET6);
	fprintf(out, "\nUsable uplinks: IPv4 %d, IPv6 %d\n", n4 < 0 ? 0 : n4, n6 < 0 ? 0 : n6);
	evf_ul_worker_sum(&sum);
	evf_ul_worker_counter_set(&set, &sum);
	evf_counters_print(out, &set);
	fputc('\n', out);
	evf_counters_print(out, &evf_ul_ctl_counter_set);
	fputc('\n', out);
	return 0;
}
