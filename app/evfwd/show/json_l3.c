/* json_l3.c: JSON forms of show arp, show nd and show irb (control thread:
 * the bindings table and the gateways' settings). Schemas: doc/shell.md
 * "JSON output". */
#include <errno.h>
#include <sys/socket.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_nd_ctl.h"
#include "json.h"
#include "json_out.h"

static void
binding_obj(const struct evf_nd_view *v, void *arg)
{
	json_t *o = json_object();

	evf_json_set(o, "mac_vrf", evf_json_str(evf_bds[v->bd].name));
	evf_json_set(o, "address", evf_json_ip(&v->ip));
	evf_json_set(o, "mac", evf_json_mac(&v->mac));
	evf_json_set(o, "type", evf_json_str(evf_nd_origin_name(v->origin)));
	evf_json_set(o, "router", json_boolean(v->flags & EVF_ND_F_ROUTER));
	evf_json_set(o, "override", json_boolean(v->flags & EVF_ND_F_OVERRIDE));
	evf_json_set(o, "immutable", json_boolean(v->flags & EVF_ND_F_IMMUTABLE));
	evf_json_set(o, "frozen", json_boolean(v->flags & EVF_ND_F_FROZEN));
	evf_json_set(o, "attachment", v->origin == EVF_ND_LOCAL && v->attach < evf_nb_attachs ?
		     evf_json_str(evf_attachs[v->attach].name) : json_null());
	evf_json_set(o, "age", evf_json_uint(v->age));
	evf_json_push(arg, o);
}

static int
bindings(FILE *out, const char *bd_name, uint8_t family)
{
	uint16_t bd = EVF_INVALID_ID;
	json_t *root, *arr;

	if (bd_name != NULL) {
		const struct evf_bd *b = evf_bd_by_name(bd_name);

		if (b == NULL)
			return -ENOENT;
		bd = b->id;
	}
	root = json_object();
	arr = json_array();
	evf_nd_foreach(bd, family, binding_obj, arr);
	evf_json_set(root, "bindings", arr);
	return evf_json_print(out, root);
}

int
evf_json_arp(FILE *out, const char *bd_name)
{
	return bindings(out, bd_name, AF_INET);
}

int
evf_json_nd(FILE *out, const char *bd_name)
{
	return bindings(out, bd_name, AF_INET6);
}

struct addr_walk {
	json_t *anycast, *own;
};

static void
addr_of(const struct evf_nd_view *v, void *arg)
{
	struct addr_walk *w = arg;

	if (v->origin == EVF_ND_GATEWAY)
		evf_json_push(w->anycast, evf_json_ip(&v->ip));
	else if (v->origin == EVF_ND_OWN)
		evf_json_push(w->own, evf_json_ip(&v->ip));
}

int
evf_json_irb(FILE *out, const char *unused)
{
	json_t *root = json_object(), *arr = json_array();
	struct evf_nd_wcounters sum;
	struct evf_counter_set set;
	(void)unused;

	for (uint16_t b = 0; b < evf_nb_bds; b++) {
		const struct evf_nd_bd *nb = evf_nd_bds[b];
		json_t *o, *by;
		uint32_t n[5], total;

		if (nb == NULL)
			continue;
		o = json_object();
		total = evf_nd_count(b, n);
		evf_json_set(o, "mac_vrf", evf_json_str(evf_bds[b].name));
		evf_json_set(o, "gateway", json_boolean(nb->has_irb));
		if (nb->has_irb) {
			struct addr_walk w = { json_array(), json_array() };
			uint16_t irb = nb->irb_attach;

			evf_nd_foreach(b, 0, addr_of, &w);
			evf_json_set(o, "gateway_mac", evf_json_mac(&nb->gw_mac));
			evf_json_set(o, "own_mac", evf_json_mac(&nb->own_mac));
			evf_json_set(o, "anycast_addresses", w.anycast);
			evf_json_set(o, "own_addresses", w.own);
			evf_json_set(o, "host_path", irb != EVF_INVALID_ID &&
				     evf_attachs[irb].port != EVF_INVALID_ID ?
				     evf_json_str(evf_attachs[irb].name) : json_null());
			evf_json_set(o, "host_rate", evf_json_uint(nb->host_rate));
		}
		evf_json_set(o, "proxy", json_boolean(nb->proxy));
		evf_json_set(o, "unknown", evf_json_str(nb->drop_unknown ? "drop" : "flood"));
		evf_json_set(o, "rate", evf_json_uint(nb->rate));
		by = json_object();
		evf_json_set(by, "total", evf_json_uint(total));
		for (uint8_t k = EVF_ND_LOCAL; k <= EVF_ND_OWN; k++)
			evf_json_set(by, evf_nd_origin_name(k), evf_json_uint(n[k]));
		evf_json_set(o, "bindings", by);
		evf_json_push(arr, o);
	}
	evf_json_set(root, "mac_vrfs", arr);
	evf_nd_worker_sum(&sum);
	evf_nd_worker_counter_set(&set, &sum);
	evf_json_set(root, "arp_nd", evf_json_counters(&set));
	evf_json_set(root, "bindings", evf_json_counters(&evf_nd_ctl_counter_set));
	return evf_json_print(out, root);
}
