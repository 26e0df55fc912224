/* cfg_underlay.c: a network port's underlay keys: "addresses" (ours on the
 * link, answered by ARP/ND), "gateways" (resolved by ARP/ND and probed),
 * "probe-interval", "probe-misses" and "arp-nd-rate" (lib/underlay,
 * doc/config.md). Main thread, at start, like the whole loader. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "cfg_sections.h"

void
cfg_port_ul_defaults(struct evf_cfg_underlay *ul)
{
	ul->probe_interval_ms = 1000;
	ul->probe_misses = 3;
	ul->nd_rate = 1000;
}

static int
network_only(struct cfg_ctx *ctx, yaml_node_t *val, const struct evf_cfg_port *port)
{
	if (port->role != EVF_ROLE_NETWORK)
		return cfg_error(ctx, val, "only allowed on a network port");
	return 0;
}

int
cfg_port_addresses(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_port *port = obj;
	struct evf_cfg_underlay *ul = &port->ul;
	size_t n;

	if (network_only(ctx, val, port) < 0 || cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (n == 0)
		return cfg_error(ctx, val, "at least one address is required");
	if (n > EVF_CFG_PORT_MAX_ADDRS)
		return cfg_error(ctx, cfg_seq_item(ctx, val, EVF_CFG_PORT_MAX_ADDRS),
				 "more than %d addresses", EVF_CFG_PORT_MAX_ADDRS);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, i);
		size_t old = cfg_path_push_index(ctx, i);

		if (cfg_get_prefix(ctx, item, &ul->addrs[i]) < 0)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (evf_ip_equal(&ul->addrs[j].ip, &ul->addrs[i].ip))
				return cfg_error(ctx, item, "address listed twice");
		cfg_path_pop(ctx, old);
	}
	ul->nb_addrs = (uint8_t)n;
	return 0;
}

int
cfg_port_gateways(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_port *port = obj;
	struct evf_cfg_underlay *ul = &port->ul;
	size_t n;

	if (network_only(ctx, val, port) < 0 || cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (n == 0)
		return cfg_error(ctx, val, "at least one gateway is required");
	if (n > EVF_CFG_PORT_MAX_GWS)
		return cfg_error(ctx, cfg_seq_item(ctx, val, EVF_CFG_PORT_MAX_GWS),
				 "more than %d gateways", EVF_CFG_PORT_MAX_GWS);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, i);
		size_t old = cfg_path_push_index(ctx, i);

		if (cfg_get_ip(ctx, item, 0, &ul->gws[i]) < 0)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (evf_ip_equal(&ul->gws[j], &ul->gws[i]))
				return cfg_error(ctx, item, "gateway listed twice");
		cfg_path_pop(ctx, old);
	}
	ul->nb_gws = (uint8_t)n;
	return 0;
}

static int
ul_uint(struct cfg_ctx *ctx, yaml_node_t *val, void *obj, uint64_t lo, uint64_t hi,
	uint32_t *out)
{
	uint64_t v;

	if (network_only(ctx, val, obj) < 0 || cfg_get_uint(ctx, val, lo, hi, &v) < 0)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int
cfg_port_probe_interval(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	return ul_uint(ctx, val, obj, 10, 60000, &((struct evf_cfg_port *)obj)->ul.probe_interval_ms);
}

int
cfg_port_probe_misses(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	return ul_uint(ctx, val, obj, 1, 100, &((struct evf_cfg_port *)obj)->ul.probe_misses);
}

int
cfg_port_nd_rate(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	return ul_uint(ctx, val, obj, 0, 10000000, &((struct evf_cfg_port *)obj)->ul.nd_rate);
}

/* Is ip inside prefix p (same family, first p->len bits equal)? */
static bool
in_prefix(const struct evf_ip *ip, const struct evf_cfg_prefix *p)
{
	const uint8_t *a, *b;
	unsigned int bits = p->len, i;

	if (ip->family != p->ip.family)
		return false;
	a = ip->family == AF_INET ? (const uint8_t *)&ip->v4 : ip->v6;
	b = ip->family == AF_INET ? (const uint8_t *)&p->ip.v4 : p->ip.v6;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a[i] != b[i])
			return false;
	return bits == 0 || ((a[i] ^ b[i]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

int
cfg_port_ul_check(struct cfg_ctx *ctx, yaml_node_t *item, const struct evf_cfg_port *port)
{
	const struct evf_cfg_underlay *ul = &port->ul;
	char buf[EVF_IP_STRLEN];

	if (port->role != EVF_ROLE_NETWORK)
		return 0;
	if (!port->has_next_hop && ul->nb_gws == 0)
		return cfg_error(ctx, item, "missing required key 'next-hop-mac' or 'gateways'"
			" (network port)");
	for (uint8_t g = 0; g < ul->nb_gws; g++) {
		bool reach = false;

		for (uint8_t a = 0; a < ul->nb_addrs; a++) {
			if (evf_ip_equal(&ul->addrs[a].ip, &ul->gws[g]))
				return cfg_error(ctx, item, "gateway %s is also in addresses",
					evf_ip_fmt(&ul->gws[g], buf, sizeof(buf)));
			reach |= in_prefix(&ul->gws[g], &ul->addrs[a]);
		}
		if (!reach)
			return cfg_error(ctx, item, "gateway %s is in no prefix of addresses"
				" (evfwd probes it from an address of that link)",
				evf_ip_fmt(&ul->gws[g], buf, sizeof(buf)));
	}
	return 0;
}
