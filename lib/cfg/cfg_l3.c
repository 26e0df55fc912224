/* cfg_l3.c: the L3 parts of a MAC-VRF: "irb" (the anycast gateway, this PE's
 * own addresses, the host port) and "arp-nd" (MAC/IP bindings, proxy ARP/ND).
 * Main thread, at start, like the whole loader. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_sections.h"

int
cfg_get_prefix(struct cfg_ctx *ctx, yaml_node_t *val, struct evf_cfg_prefix *p)
{
	const char *s, *slash;
	char addr[64];
	uint64_t len;

	if (cfg_get_str(ctx, val, &s) < 0)
		return -EINVAL;
	slash = strchr(s, '/');
	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return cfg_error(ctx, val, "'%s' is not ADDRESS/LENGTH", s);
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (evf_ip_parse(addr, &p->ip) < 0)
		return cfg_error(ctx, val, "'%s' is not an IPv4 or IPv6 address", addr);
	if (evf_u64_parse(slash + 1, 1, p->ip.family == AF_INET ? 32 : 128, &len) < 0)
		return cfg_error(ctx, val, "prefix length '%s' is not 1..%d", slash + 1,
				 p->ip.family == AF_INET ? 32 : 128);
	if (p->ip.family == AF_INET) {
		uint32_t a = ntohl(p->ip.v4);

		if (a == 0 || (a >> 28) == 0xe || a == 0xffffffffu || (a >> 24) == 127)
			return cfg_error(ctx, val, "%s is not a unicast host address", addr);
	} else if (p->ip.v6[0] == 0xff) {
		return cfg_error(ctx, val, "%s is a multicast address", addr);
	}
	p->len = (uint8_t)len;
	return 0;
}

/* A list of up to EVF_CFG_IRB_MAX_ADDRS prefixes, none repeated. */
static int
get_prefixes(struct cfg_ctx *ctx, yaml_node_t *val, struct evf_cfg_prefix *out, uint8_t *nb)
{
	size_t n;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (n > EVF_CFG_IRB_MAX_ADDRS)
		return cfg_error(ctx, cfg_seq_item(ctx, val, EVF_CFG_IRB_MAX_ADDRS),
				 "more than %d addresses", EVF_CFG_IRB_MAX_ADDRS);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, i);
		size_t old = cfg_path_push_index(ctx, i);

		if (cfg_get_prefix(ctx, item, &out[i]) < 0)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (evf_ip_equal(&out[j].ip, &out[i].ip))
				return cfg_error(ctx, item, "address listed twice");
		cfg_path_pop(ctx, old);
	}
	*nb = (uint8_t)n;
	return 0;
}

#define I struct evf_cfg_irb

static int
irb_addresses(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	I *irb = obj;

	return get_prefixes(ctx, val, irb->addrs, &irb->nb_addrs);
}

static int
irb_unique(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	I *irb = obj;

	return get_prefixes(ctx, val, irb->unique, &irb->nb_unique);
}

static int
irb_unique_mac(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	I *irb = obj;
	const char *s;

	if (cfg_get_str(ctx, val, &s) < 0)
		return -EINVAL;
	if (evf_mac_parse(s, &irb->unique_mac) < 0 || !rte_is_unicast_ether_addr(&irb->unique_mac) ||
	    rte_is_zero_ether_addr(&irb->unique_mac))
		return cfg_error(ctx, val, "'%s' is not a unicast MAC address", s);
	irb->has_unique_mac = true;
	return 0;
}

static int
irb_host_port(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	I *irb = obj;
	int idx;

	if (cfg_get_name(ctx, val, irb->host_port, sizeof(irb->host_port)) < 0)
		return -EINVAL;
	idx = evf_cfg_port_index(ctx->cfg, irb->host_port);
	if (idx < 0)
		return cfg_error(ctx, val, "unknown port '%s'", irb->host_port);
	if (ctx->cfg->ports[idx].role != EVF_ROLE_ACCESS)
		return cfg_error(ctx, val, "'%s' is a network port; the host port is an access port"
				 " (net_tap)", irb->host_port);
	if (evf_cfg_lag_of_port(ctx->cfg, irb->host_port) >= 0)
		return cfg_error(ctx, val, "port '%s' is a LAG member", irb->host_port);
	return 0;
}

static const struct cfg_key irb_keys[] = {
	CFG_KEY_TYPED("mac", CFG_T_UCAST_MAC, I, mac, true),
	CFG_KEY_FUNC("addresses", irb_addresses, false),
	CFG_KEY_FUNC("unique-addresses", irb_unique, false),
	CFG_KEY_FUNC("unique-mac", irb_unique_mac, false),
	CFG_KEY_FUNC("host-port", irb_host_port, false),
	CFG_KEY_UINT0("host-rate", I, host_rate, 1, 10000000, false),
};
#undef I

int
cfg_bd_irb(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;
	struct cfg_map map;

	bd->irb.host_rate = 2000;
	if (cfg_map_parse(ctx, val, irb_keys, RTE_DIM(irb_keys), &bd->irb, &map) < 0)
		return -EINVAL;
	for (uint8_t i = 0; i < bd->irb.nb_unique; i++)
		for (uint8_t j = 0; j < bd->irb.nb_addrs; j++)
			if (evf_ip_equal(&bd->irb.unique[i].ip, &bd->irb.addrs[j].ip)) {
				cfg_path_push_key(ctx, "unique-addresses");
				return cfg_error(ctx, cfg_map_get(&map, "unique-addresses"),
					"an address is both anycast and unique");
			}
	bd->irb.enabled = true;
	bd->nd.enabled = true;   /* a gateway answers ARP/ND: bindings come with it */
	return 0;
}

static const char *const nd_unknown[] = { "flood", "drop", NULL };

#define N struct evf_cfg_nd
static const struct cfg_key nd_dup_keys[] = {
	CFG_KEY_UINT("num-moves", N, dup_moves, 2, 1000, false),
	CFG_KEY_UINT("monitoring-window", N, dup_window, 1, 3600, false),
	CFG_KEY_UINT0("hold-down", N, dup_hold, 1, 86400, false),
};

static int
nd_dup(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct cfg_map map;

	return cfg_map_parse(ctx, val, nd_dup_keys, RTE_DIM(nd_dup_keys), obj, &map);
}

static const struct cfg_key nd_keys[] = {
	CFG_KEY_TYPED("proxy", CFG_T_BOOL, N, proxy, false),
	CFG_KEY_ENUM("unknown", N, unknown, nd_unknown, false),
	CFG_KEY_UINT("binding-limit", N, limit, 1, 1048576, false),
	CFG_KEY_UINT0("binding-aging", N, aging, 60, 86400, false),
	CFG_KEY_UINT("rate", N, rate, 1, 10000000, false),
	CFG_KEY_FUNC("ip-duplication", nd_dup, false),
};
#undef N

/* The defaults of "arp-nd", also when only "irb" is given. */
void
cfg_bd_nd_defaults(struct evf_cfg_nd *nd)
{
	nd->proxy = true;
	nd->unknown = EVF_CFG_ND_FLOOD;
	nd->limit = 4096;
	nd->aging = 1200;
	nd->rate = 1000;
	nd->dup_moves = 5;
	nd->dup_window = 180;
	nd->dup_hold = 540;
}

int
cfg_bd_nd(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;
	struct cfg_map map;

	if (cfg_map_parse(ctx, val, nd_keys, RTE_DIM(nd_keys), &bd->nd, &map) < 0)
		return -EINVAL;
	bd->nd.enabled = true;
	return 0;
}

/* Across sections: a host port serves one MAC-VRF's gateway and nothing else
 * (no attachment, no segment); the anycast and unique addresses of two
 * MAC-VRFs never overlap (one IP-VRF until L3 part 2). */
int
cfg_validate_l3(struct cfg_ctx *ctx)
{
	const struct evf_cfg *cfg = ctx->cfg;

	for (uint16_t b = 0; b < cfg->nb_bds; b++) {
		const struct evf_cfg_bd *bd = &cfg->bds[b];
		yaml_mark_t mark = { .line = bd->line > 0 ? bd->line - 1 : 0 };

		if (!bd->irb.enabled)
			continue;
		for (uint16_t o = 0; o < cfg->nb_bds; o++) {
			const struct evf_cfg_bd *other = &cfg->bds[o];

			for (uint16_t a = 0; bd->irb.host_port[0] && a < other->nb_attach; a++)
				if (strcmp(other->attach[a].port, bd->irb.host_port) == 0)
					return cfg_error_mark(ctx, mark, "mac-vrf %s: host-port %s is"
						" also an attachment of mac-vrf %s", bd->name,
						bd->irb.host_port, other->name);
			if (o <= b || !other->irb.enabled)
				continue;
			if (bd->irb.host_port[0] && strcmp(other->irb.host_port, bd->irb.host_port) == 0)
				return cfg_error_mark(ctx, mark, "mac-vrf %s: host-port %s is also the"
					" host port of mac-vrf %s", bd->name, bd->irb.host_port,
					other->name);
			for (int k = 0; k < 2; k++) {
				const struct evf_cfg_prefix *mine = k ? bd->irb.unique : bd->irb.addrs;
				uint8_t nm = k ? bd->irb.nb_unique : bd->irb.nb_addrs;

				for (uint8_t i = 0; i < nm; i++)
					for (int t = 0; t < 2; t++) {
						const struct evf_cfg_prefix *theirs =
							t ? other->irb.unique : other->irb.addrs;
						uint8_t nt = t ? other->irb.nb_unique : other->irb.nb_addrs;

						for (uint8_t j = 0; j < nt; j++)
							if (evf_ip_equal(&mine[i].ip, &theirs[j].ip)) {
								char ip[EVF_IP_STRLEN];

								return cfg_error_mark(ctx, mark,
									"mac-vrf %s: IRB address %s is"
									" also mac-vrf %s's", bd->name,
									evf_ip_fmt(&mine[i].ip, ip, sizeof(ip)),
									other->name);
							}
					}
			}
		}
		for (uint16_t e = 0; bd->irb.host_port[0] && e < cfg->nb_es; e++)
			if (strcmp(cfg->es[e].iface, bd->irb.host_port) == 0)
				return cfg_error_mark(ctx, mark, "mac-vrf %s: host-port %s is the"
					" interface of ethernet-segment %s", bd->name,
					bd->irb.host_port, cfg->es[e].name);
	}
	return 0;
}
