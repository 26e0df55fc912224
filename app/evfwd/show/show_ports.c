/* show_ports.c: port configuration and counters (main thread). */
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "evf_addr.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_stats.h"
#include "evf_xdp.h"
#include "show.h"
#include "table.h"

static const char *
role_name(const struct evf_port *p)
{
	return p->role == EVF_ROLE_NETWORK ? "network" : "access";
}

static const char *
link_state(uint16_t pid)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(pid, &link) != 0)
		return "?";
	return link.link_status ? "up" : "down";
}

/* Rates are computed between two consecutive calls (like testpmd's show port stats). */
static struct {
	uint64_t tsc;
	uint64_t rx[EVF_MAX_PORTS], tx[EVF_MAX_PORTS];
} last_sample;

int
evf_show_port_stats(FILE *out, const char *name)
{
	static const char *const hdr[] = { "Port", "Role", "Link", "Admin", "RX-packets",
		"RX-bytes", "TX-packets", "TX-bytes", "Dropped", "RX-missed", "RX-nombuf", "RX-pps",
		"TX-pps", NULL };
	struct evf_stats_sum s;
	struct evf_table *t = evf_table_new(hdr);
	bool found = false;
	uint64_t now = rte_rdtsc();
	uint64_t rx_pps[EVF_MAX_PORTS], tx_pps[EVF_MAX_PORTS];
	double secs;

	evf_stats_read(&s, false);
	secs = last_sample.tsc ? (double)(now - last_sample.tsc) / (double)rte_get_tsc_hz() : 0;
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		uint64_t rx = s.port[pid].rx_pkts, tx = s.port[pid].tx_pkts;

		uint64_t drx = rx - last_sample.rx[pid], dtx = tx - last_sample.tx[pid];

		rx_pps[pid] = secs > 0 ? (uint64_t)((double)drx / secs) : 0;
		tx_pps[pid] = secs > 0 ? (uint64_t)((double)dtx / secs) : 0;
		last_sample.rx[pid] = rx;
		last_sample.tx[pid] = tx;
	}
	last_sample.tsc = now;
	evf_stats_read(&s, true);
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		const struct evf_port *p = &evf_ports[pid];
		struct rte_eth_stats es;

		if (!p->configured || (name != NULL && strcmp(name, p->name) != 0))
			continue;
		found = true;
		memset(&es, 0, sizeof(es));
		rte_eth_stats_get(pid, &es);
		evf_table_rowf(t, "%s\t%s\t%s\t%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64
			"\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64, p->name,
			role_name(p), link_state(pid), evf_port_is_up(p) ? "up" : "down",
			s.port[pid].rx_pkts, s.port[pid].rx_bytes, s.port[pid].tx_pkts,
			s.port[pid].tx_bytes, s.port[pid].drops, es.imissed, es.rx_nombuf, rx_pps[pid],
			tx_pps[pid]);
	}
	if (found)
		evf_table_print(t, out);
	evf_table_free(t);
	return found ? 0 : -1;
}

void
evf_show_ports(FILE *out)
{
	static const char *const hdr[] = { "Port", "Id", "Role", "Driver", "RXQ", "TXQ", "MTU",
		"VLAN", "MAC", "Next-hop", "Offloads", "Device", NULL };
	struct evf_table *t = evf_table_new(hdr);

	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		const struct evf_port *p = &evf_ports[pid];
		char mac[EVF_MAC_STRLEN], nh[EVF_MAC_STRLEN], vlan[8], off[64];

		if (!p->configured)
			continue;
		evf_mac_fmt(&p->hw_mac, mac, sizeof(mac));
		if (p->role == EVF_ROLE_NETWORK)
			evf_mac_fmt(&p->next_hop, nh, sizeof(nh));
		else
			snprintf(nh, sizeof(nh), "-");
		if (p->underlay_vlan)
			snprintf(vlan, sizeof(vlan), "%u", p->underlay_vlan);
		else
			snprintf(vlan, sizeof(vlan), "-");
		snprintf(off, sizeof(off), "%s%s%s", p->tx_ipv4_cksum ? "ipv4-cksum " : "",
			p->tx_udp_cksum ? "udp-cksum " : "", p->tx_multiseg ? "multi-seg" : "");
		if (off[0] == '\0')
			snprintf(off, sizeof(off), "-");
		evf_table_rowf(t, "%s\t%u\t%s\t%s\t%u\t%u\t%u\t%s\t%s\t%s\t%s\t%s", p->name, pid,
			role_name(p), p->driver, p->nb_rxq, p->nb_txq, p->mtu, vlan, mac, nh, off,
			p->device);
	}
	evf_table_print(t, out);
	evf_table_free(t);
}

void
evf_show_drops(FILE *out, bool all)
{
	static const char *const hdr[] = { "Reason", "Packets", "Meaning", NULL };
	struct evf_stats_sum s;
	struct evf_table *t = evf_table_new(hdr);

	evf_stats_read(&s, true);
	for (int r = EVF_DROP_FIRST; r < EVF_DROP_MAX; r++) {
		if (!all && s.drops[r] == 0)
			continue;
		evf_table_rowf(t, "%s\t%" PRIu64 "\t%s", evf_drop_name(r), s.drops[r],
			evf_drop_help(r));
	}
	if (evf_table_rows(t) == 0)
		fprintf(out, "No drops.\n");
	else
		evf_table_print(t, out);
	fprintf(out, "Total dropped: %" PRIu64 "\n", evf_stats_total_drops(&s));
	evf_table_free(t);
}

int
evf_show_xdp(FILE *out)
{
	const char *hdr[EVF_XDP_NB_COUNTERS + 4] = { "Port", "Interface", "Program" };
	struct evf_table *t;
	int n = 0;

	for (unsigned int c = 0; c < EVF_XDP_NB_COUNTERS; c++)
		hdr[3 + c] = evf_xdp_counter_name(c);
	t = evf_table_new(hdr);
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		const char *cells[EVF_XDP_NB_COUNTERS + 3];
		char vals[EVF_XDP_NB_COUNTERS][24], prog[16];
		uint64_t cnt[EVF_XDP_NB_COUNTERS];
		const char *ifname;
		uint32_t prog_id;

		if (!evf_ports[pid].configured || !evf_xdp_steering(pid) ||
		    evf_xdp_info(pid, &ifname, &prog_id) < 0 || evf_xdp_stats_read(pid, cnt) < 0)
			continue;
		snprintf(prog, sizeof(prog), "%u", prog_id);
		cells[0] = evf_ports[pid].name;
		cells[1] = ifname;
		cells[2] = prog;
		for (unsigned int c = 0; c < EVF_XDP_NB_COUNTERS; c++) {
			snprintf(vals[c], sizeof(vals[c]), "%" PRIu64, cnt[c]);
			cells[3 + c] = vals[c];
		}
		evf_table_row(t, cells);
		n++;
	}
	if (n)
		evf_table_print(t, out);
	else
		fprintf(out, "No port with xdp-steering.\n");
	evf_table_free(t);
	return n;
}
