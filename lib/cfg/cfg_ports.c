/* cfg_ports.c: the "ports" section, one entry per DPDK port (access or
 * network role). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_sections.h"

#define CFG_MAX_CFG_PORTS ((size_t)(EVF_MAX_PORTS < EVF_MAX_IFACES ? EVF_MAX_PORTS : EVF_MAX_IFACES))

static const char *const port_roles[] = {
	[EVF_ROLE_ACCESS] = "access",
	[EVF_ROLE_NETWORK] = "network",
	NULL,
};
static const char *const admin_states[] = { "disable", "enable", NULL };
static const char *const xdp_steerings[] = {
	[EVF_XDP_STEER_NONE] = "none",
	[EVF_XDP_STEER_VXLAN] = "vxlan",
	NULL,
};

static struct evf_cfg_port *
port_of(struct cfg_ctx *ctx, void *obj, size_t *index)
{
	struct evf_cfg_port *port = obj;

	*index = (size_t)(port - ctx->cfg->ports);
	return port;
}

static int
port_name(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	size_t idx;
	struct evf_cfg_port *port = port_of(ctx, obj, &idx);

	if (cfg_get_name(ctx, val, port->name, sizeof(port->name)) < 0)
		return -EINVAL;
	return CFG_UNIQUE_NAME(ctx, val, ctx->cfg->ports, idx, "port");
}

static int
port_device(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	size_t idx;
	struct evf_cfg_port *port = port_of(ctx, obj, &idx);
	const char *s;

	if (cfg_get_str(ctx, val, &s) < 0)
		return -EINVAL;
	if (*s == '\0')
		return cfg_error(ctx, val, "must not be empty");
	if (strlen(s) >= sizeof(port->device))
		return cfg_error(ctx, val, "longer than %zu characters", sizeof(port->device) - 1);
	snprintf(port->device, sizeof(port->device), "%s", s);
	for (size_t i = 0; i < idx; i++)
		if (strcmp(ctx->cfg->ports[i].device, port->device) == 0)
			return cfg_error(ctx, val, "device '%s' is already used by port '%s'",
				port->device, ctx->cfg->ports[i].name);
	return 0;
}

static int
port_role(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	size_t idx, nb_net = 0;
	struct evf_cfg_port *port = port_of(ctx, obj, &idx);
	uint64_t role;

	if (cfg_get_enum(ctx, val, port_roles, &role) < 0)
		return -EINVAL;
	port->role = (enum evf_port_role)role;
	if (port->role != EVF_ROLE_NETWORK)
		return 0;
	for (size_t i = 0; i < idx; i++)
		nb_net += ctx->cfg->ports[i].role == EVF_ROLE_NETWORK;
	if (nb_net >= EVF_MAX_UPLINKS)
		return cfg_error(ctx, val, "more than %d network ports", EVF_MAX_UPLINKS);
	return 0;
}

/* The next two run after "role" (schema order). */
static int
port_next_hop(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_port *port = obj;

	if (port->role != EVF_ROLE_NETWORK)
		return cfg_error(ctx, val, "only allowed on a network port");
	port->has_next_hop = true;
	return cfg_get_ucast_mac(ctx, val, &port->next_hop);
}

static int
port_underlay_vlan(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_port *port = obj;

	if (port->role != EVF_ROLE_NETWORK)
		return cfg_error(ctx, val, "only allowed on a network port (underlay VLAN);"
			" access VLANs go in mac-vrfs attachments");
	return cfg_get_vlan(ctx, val, false, &port->underlay_vlan);
}

/* The next two run after "device" and "role"; drivers/xdp does the rest. */
static int
port_xdp_steering(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_port *port = obj;
	uint64_t v;

	if (port->role != EVF_ROLE_NETWORK || strncmp(port->device, "net_af_xdp", 10) != 0)
		return cfg_error(ctx, val, "only allowed on a network port whose device is net_af_xdp");
	if (cfg_get_enum(ctx, val, xdp_steerings, &v) < 0)
		return -EINVAL;
	port->xdp_steering = (enum evf_xdp_steer)v;
	if (port->xdp_steering == EVF_XDP_STEER_VXLAN && strstr(port->device, ",xdp_prog=") != NULL)
		return cfg_error(ctx, val, "the device already sets xdp_prog; xdp-steering brings"
			" its own program (choose another object with xdp-object)");
	return 0;
}

static int
port_xdp_object(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_port *port = obj;
	const char *s;

	if (port->xdp_steering != EVF_XDP_STEER_VXLAN)
		return cfg_error(ctx, val, "only allowed with xdp-steering: vxlan");
	if (cfg_get_str(ctx, val, &s) < 0)
		return -EINVAL;
	if (*s == '\0')
		return cfg_error(ctx, val, "must not be empty");
	if (strlen(s) >= sizeof(port->xdp_object))
		return cfg_error(ctx, val, "longer than %zu characters", sizeof(port->xdp_object) - 1);
	if (strchr(s, ',') != NULL)
		return cfg_error(ctx, val, "must not contain ',' (it is passed in the device arguments)");
	snprintf(port->xdp_object, sizeof(port->xdp_object), "%s", s);
	return 0;
}

#define P struct evf_cfg_port
static const struct cfg_key port_keys[] = {
	CFG_KEY_FUNC("name", port_name, true),
	CFG_KEY_FUNC("device", port_device, true),
	CFG_KEY_FUNC("role", port_role, true),
	CFG_KEY_FUNC("next-hop-mac", port_next_hop, false),
	CFG_KEY_FUNC("vlan", port_underlay_vlan, false),
	CFG_KEY_UINT("mtu", P, mtu, 68, 9600, false),
	CFG_KEY_UINT("rx-queues", P, rx_queues, 0, RTE_MAX_QUEUES_PER_PORT, false),
	CFG_KEY_UINT("rx-descriptors", P, rx_desc, 64, 16384, false),
	CFG_KEY_UINT("tx-descriptors", P, tx_desc, 64, 16384, false),
	CFG_KEY_ENUM("admin-state", P, admin_up, admin_states, false),
	CFG_KEY_FUNC("xdp-steering", port_xdp_steering, false),
	CFG_KEY_FUNC("xdp-object", port_xdp_object, false),
	CFG_KEY_FUNC("addresses", cfg_port_addresses, false),
	CFG_KEY_FUNC("gateways", cfg_port_gateways, false),
	CFG_KEY_FUNC("probe-interval", cfg_port_probe_interval, false),
	CFG_KEY_FUNC("probe-misses", cfg_port_probe_misses, false),
	CFG_KEY_FUNC("arp-nd-rate", cfg_port_nd_rate, false),
};
#undef P

static int
parse_port(struct cfg_ctx *ctx, yaml_node_t *item, struct evf_cfg_port *port)
{
	struct cfg_map map;

	port->line = cfg_line(item);
	port->mtu = 1500;
	port->rx_desc = 1024;
	port->tx_desc = 1024;
	port->admin_up = true;
	cfg_port_ul_defaults(&port->ul);
	if (cfg_map_parse(ctx, item, port_keys, RTE_DIM(port_keys), port, &map) < 0)
		return -EINVAL;
	return cfg_port_ul_check(ctx, item, port);
}

static void
set_ports(struct evf_cfg *cfg, void *items, size_t n)
{
	cfg->ports = items;
	cfg->nb_ports = (uint16_t)n;
}

static int
port_item(struct cfg_ctx *ctx, yaml_node_t *item, void *obj)
{
	return parse_port(ctx, item, obj);
}

int
cfg_section_ports(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	static const struct cfg_list ports = {
		.what = "ports", .min = 1, .max = CFG_MAX_CFG_PORTS,
		.too_few = "at least one port is required",
		.item_size = sizeof(struct evf_cfg_port), .parse_item = port_item, .set = set_ports,
	};

	(void)obj;
	return cfg_parse_list(ctx, val, &ports);
}
