/* json_underlay.c: the JSON form of "show underlay" (control thread).
 * Schema: doc/shell.md "JSON output". */
#include <stdint.h>
#include <sys/socket.h>

#include "evf_port.h"
#include "evf_underlay_ctl.h"
#include "json.h"
#include "json_out.h"

static void
gw_obj(const struct evf_ul_gw_view *v, void *arg)
{
	json_t *o = json_object();

	evf_json_set(o, "address", evf_json_ip(&v->ip));
	evf_json_set(o, "port", evf_json_str(evf_ports[v->port_id].name));
	evf_json_set(o, "source", evf_json_ip(&v->src));
	evf_json_set(o, "state", evf_json_str(evf_ul_gw_state_name(v->state)));
	evf_json_set(o, "mac", v->has_mac ? evf_json_mac(&v->mac) : json_null());
	evf_json_set(o, "in_use", json_boolean(v->usable));
	evf_json_set(o, "seen_ms", v->seen_ms == UINT64_MAX ? json_null() : evf_json_uint(v->seen_ms));
	evf_json_set(o, "state_ms", evf_json_uint(v->state_ms));
	evf_json_set(o, "probes", evf_json_uint(v->probes));
	evf_json_set(o, "answers", evf_json_uint(v->answers));
	evf_json_set(o, "failures", evf_json_uint(v->failures));
	evf_json_set(o, "misses", evf_json_uint(v->misses));
	evf_json_push(arg, o);
}

int
evf_json_underlay(FILE *out, const char *unused)
{
	json_t *root = json_object(), *ports = json_array(), *gws = json_array(), *sets;
	struct evf_ul_wcounters sum;
	struct evf_counter_set set;
	struct evf_ul_port_view pv;
	int n;
	(void)unused;

	for (uint16_t u = 0; evf_ul_port_view(u, &pv) == 0; u++) {
		json_t *o = json_object(), *addrs = json_array();

		for (uint8_t a = 0; a < pv.nb_addrs; a++)
			evf_json_push(addrs, evf_json_ip(&pv.addrs[a]));
		evf_json_set(o, "port", evf_json_str(evf_ports[pv.port_id].name));
		evf_json_set(o, "link", evf_json_str(pv.link_up ? "up" : "down"));
		evf_json_set(o, "next_hop", evf_json_str(pv.static_hop ? "static" : "resolved"));
		evf_json_set(o, "probe_interval_ms", evf_json_uint(pv.probe_interval_ms));
		evf_json_set(o, "probe_misses", evf_json_uint(pv.probe_misses));
		evf_json_set(o, "arp_nd_rate", evf_json_uint(pv.rate));
		evf_json_set(o, "addresses", addrs);
		evf_json_push(ports, o);
	}
	evf_ul_gw_walk(gw_obj, gws);
	evf_json_set(root, "ports", ports);
	evf_json_set(root, "gateways", gws);
	sets = json_object();
	n = evf_ul_set_size(AF_INET);
	evf_json_set(sets, "ipv4", evf_json_uint(n < 0 ? 0 : (uint64_t)n));
	n = evf_ul_set_size(AF_INET6);
	evf_json_set(sets, "ipv6", evf_json_uint(n < 0 ? 0 : (uint64_t)n));
	evf_json_set(root, "usable_uplinks", sets);
	evf_ul_worker_sum(&sum);
	evf_ul_worker_counter_set(&set, &sum);
	evf_json_set(root, "arp_nd", evf_json_counters(&set));
	evf_json_set(root, "resolver", evf_json_counters(&evf_ul_ctl_counter_set));
	return evf_json_print(out, root);
}
