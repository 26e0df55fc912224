/* show_l3.c: the gateways and the ARP/ND bindings: "show arp", "show nd"
 * (bindings of one family, of every MAC-VRF or one) and "show irb" (each
 * gateway, its addresses and host path, the bindings by origin, the ARP/ND
 * counters). Control thread: the shell runs them through evf_ctl_call. */
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_nd_ctl.h"
#include "show.h"
#include "table.h"

struct bind_walk {
	struct evf_table *t;
};

static void
bind_row(const struct evf_nd_view *v, void *arg)
{
	struct bind_walk *bw = arg;
	char ip[EVF_IP_STRLEN], mac[EVF_MAC_STRLEN], flags[8] = "";
	size_t k = 0;

	if (v->flags & EVF_ND_F_ROUTER)
		flags[k++] = 'R';
	if (v->flags & EVF_ND_F_OVERRIDE)
		flags[k++] = 'O';
	if (v->flags & EVF_ND_F_IMMUTABLE)
		flags[k++] = 'I';
	if (v->flags & EVF_ND_F_FROZEN)
		flags[k++] = 'F';
	flags[k] = '\0';
	evf_table_rowf(bw->t, "%s\t%s\t%s\t%s\t%s\t%s\t%u", evf_bds[v->bd].name,
		evf_ip_fmt(&v->ip, ip, sizeof(ip)), evf_mac_fmt(&v->mac, mac, sizeof(mac)),
		evf_nd_origin_name(v->origin), k ? flags : "-",
		v->origin == EVF_ND_LOCAL && v->attach < evf_nb_attachs ?
			evf_attachs[v->attach].name : "-",
		v->age);
}

int
evf_show_bindings(FILE *out, const char *bd_name, int family)
{
	static const char *const hdr[] = { "MAC-VRF", "Address", "MAC", "Type", "Flags", "Where",
		"Age", NULL };
	struct bind_walk bw;
	uint16_t bd = EVF_INVALID_ID;

	if (bd_name != NULL) {
		const struct evf_bd *b = evf_bd_by_name(bd_name);

		if (b == NULL)
			return -1;
		bd = b->id;
	}
	bw.t = evf_table_new(hdr);
	evf_nd_foreach(bd, (uint8_t)family, bind_row, &bw);
	if (evf_table_rows(bw.t))
		evf_table_print(bw.t, out);
	else
		fprintf(out, "No %s bindings.\n", family == AF_INET ? "ARP" : "ND");
	evf_table_free(bw.t);
	return 0;
}

struct irb_walk {
	FILE *out;
	uint16_t bd;
	int own;           /* list the gateway's own (1) or anycast (0) addresses */
	unsigned int n;
};

static void
irb_addr(const struct evf_nd_view *v, void *arg)
{
	struct irb_walk *iw = arg;
	char ip[EVF_IP_STRLEN];

	if (v->origin != (iw->own ? EVF_ND_OWN : EVF_ND_GATEWAY))
		return;
	fprintf(iw->out, " %s", evf_ip_fmt(&v->ip, ip, sizeof(ip)));
	iw->n++;
}

int
evf_show_irb(FILE *out)
{
	struct evf_nd_wcounters sum;
	struct evf_counter_set set;
	unsigned int shown = 0;

	for (uint16_t b = 0; b < evf_nb_bds; b++) {
		const struct evf_nd_bd *nb = evf_nd_bds[b];
		uint32_t by[5];
		uint32_t total;
		char mac[EVF_MAC_STRLEN];

		if (nb == NULL)
			continue;
		total = evf_nd_count(b, by);
		fprintf(out, "MAC-VRF %s\n", evf_bds[b].name);
		if (nb->has_irb) {
			struct irb_walk iw = { out, b, 0, 0 };
			uint16_t irb = nb->irb_attach;

			fprintf(out, "  Gateway MAC        : %s\n",
				evf_mac_fmt(&nb->gw_mac, mac, sizeof(mac)));
			fprintf(out, "  Own MAC            : %s\n",
				evf_mac_fmt(&nb->own_mac, mac, sizeof(mac)));
			fprintf(out, "  Anycast addresses  :");
			evf_nd_foreach(b, 0, irb_addr, &iw);
			fprintf(out, "%s\n", iw.n ? "" : " none");
			iw.own = 1;
			iw.n = 0;
			fprintf(out, "  Own addresses      :");
			evf_nd_foreach(b, 0, irb_addr, &iw);
			fprintf(out, "%s\n", iw.n ? "" : " none");
			fprintf(out, "  Host path          : %s\n",
				irb != EVF_INVALID_ID && evf_attachs[irb].port != EVF_INVALID_ID ?
					evf_attachs[irb].name : "none (frames to the gateway are dropped)");
			if (nb->host_rate)
				fprintf(out, "  Host rate          : %u/s per worker\n", nb->host_rate);
		} else {
			fprintf(out, "  Gateway            : none (ARP/ND suppression only)\n");
		}
		fprintf(out, "  Proxy ARP/ND       : %s, unknown targets %s, rate %u/s per worker\n",
			nb->proxy ? "on" : "off", nb->drop_unknown ? "dropped" : "flooded", nb->rate);
		fprintf(out, "  Bindings           : %u (local %u, remote %u, gateway %u, own %u)\n",
			total, by[EVF_ND_LOCAL], by[EVF_ND_REMOTE], by[EVF_ND_GATEWAY], by[EVF_ND_OWN]);
		shown++;
	}
	if (shown == 0) {
		fprintf(out, "No MAC-VRF handles ARP/ND (irb or arp-nd sections).\n");
		return 0;
	}
	evf_nd_worker_sum(&sum);
	evf_nd_worker_counter_set(&set, &sum);
	evf_counters_print(out, &set);
	fputc('\n', out);
	evf_counters_print(out, &evf_nd_ctl_counter_set);
	fputc('\n', out);
	return 0;
}
