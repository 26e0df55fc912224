/* cfg_lags.c: the "lags" section (link aggregation groups of access ports,
 * LACP parameters, TX hash, management member), and the check every section
 * that names an access interface uses (a port that is no LAG member, or a LAG). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_sections.h"

static const char *const lag_modes[] = { "lacp", "static", NULL };
static const char *const lacp_activities[] = { "active", "passive", NULL };
static const char *const lacp_intervals[] = { "slow", "fast", NULL };
static const char *const tx_hashes[] = { "l2", "l23", "l34", NULL };

int
evf_cfg_lag_index(const struct evf_cfg *cfg, const char *name)
{
	for (uint16_t i = 0; i < cfg->nb_lags; i++)
		if (strcmp(cfg->lags[i].name, name) == 0)
			return i;
	return -ENOENT;
}

int
evf_cfg_lag_of_port(const struct evf_cfg *cfg, const char *port)
{
	for (uint16_t i = 0; i < cfg->nb_lags; i++)
		for (uint8_t m = 0; m < cfg->lags[i].nb_members; m++)
			if (strcmp(cfg->lags[i].members[m].port, port) == 0)
				return i;
	return -ENOENT;
}

int
cfg_check_access_iface(struct cfg_ctx *ctx, yaml_node_t *val, const char *name, const char *what)
{
	int idx = evf_cfg_port_index(ctx->cfg, name), lag;

	if (idx < 0) {
		if (evf_cfg_lag_index(ctx->cfg, name) >= 0)
			return 0;
		return cfg_error(ctx, val, "unknown port or LAG '%s'", name);
	}
	if (ctx->cfg->ports[idx].role != EVF_ROLE_ACCESS)
		return cfg_error(ctx, val, "'%s' is a network port; %s need an access port or a LAG",
			name, what);
	lag = evf_cfg_lag_of_port(ctx->cfg, name);
	if (lag >= 0)
		return cfg_error(ctx, val, "port '%s' is a member of LAG '%s'; %s go on the LAG",
			name, ctx->cfg->lags[lag].name, what);
	return 0;
}

static size_t
lag_index(struct cfg_ctx *ctx, const struct evf_cfg_lag *lag)
{
	return (size_t)(lag - ctx->cfg->lags);
}

static int
lag_name(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_lag *lag = obj;

	if (cfg_get_name(ctx, val, lag->name, sizeof(lag->name)) < 0)
		return -EINVAL;
	if (evf_cfg_port_index(ctx->cfg, lag->name) >= 0)
		return cfg_error(ctx, val, "'%s' is already a port name", lag->name);
	return CFG_UNIQUE_NAME(ctx, val, ctx->cfg->lags, lag_index(ctx, lag), "LAG");
}

/* ---- members ---- */

static int
member_port(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_lag_member *m = obj;
	int idx, other;

	if (cfg_get_name(ctx, val, m->port, sizeof(m->port)) < 0)
		return -EINVAL;
	idx = evf_cfg_port_index(ctx->cfg, m->port);
	if (idx < 0)
		return cfg_error(ctx, val, "unknown port '%s'", m->port);
	if (ctx->cfg->ports[idx].role != EVF_ROLE_ACCESS)
		return cfg_error(ctx, val, "'%s' is a network port; LAG members are access ports",
			m->port);
	other = evf_cfg_lag_of_port(ctx->cfg, m->port); /* LAGs and members parsed so far */
	if (other >= 0 && other + 1 == ctx->cfg->nb_lags)
		return cfg_error(ctx, val, "port '%s' is listed twice", m->port);
	if (other >= 0)
		return cfg_error(ctx, val, "port '%s' is already a member of LAG '%s'", m->port,
			ctx->cfg->lags[other].name);
	return 0;
}

#define M struct evf_cfg_lag_member
static const struct cfg_key member_keys[] = {
	CFG_KEY_FUNC("port", member_port, true),
	CFG_KEY_UINT("port-number", M, port_number, 1, 65535, false),
	CFG_KEY_UINT("port-priority", M, port_priority, 1, 65535, false),
};
#undef M

static int
lag_members(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_lag *lag = obj;
	size_t n;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (n == 0)
		return cfg_error(ctx, val, "a LAG needs at least one member");
	if (n > EVF_CFG_LAG_MAX_MEMBERS)
		return cfg_error(ctx, val, "more than %d members", EVF_CFG_LAG_MAX_MEMBERS);
	for (size_t k = 0; k < n; k++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, k);
		struct evf_cfg_lag_member *m = &lag->members[k];
		size_t old = cfg_path_push_index(ctx, k);
		struct cfg_map map;

		m->port_number = (uint16_t)(k + 1);
		m->port_priority = 255;
		if (item->type == YAML_SCALAR_NODE) {
			/* short form: "- portname" */
			if (member_port(ctx, item, m) < 0)
				return -EINVAL;
		} else if (cfg_map_parse(ctx, item, member_keys, RTE_DIM(member_keys), m, &map) < 0) {
			return -EINVAL;
		}
		for (size_t j = 0; j < k; j++) {
			if (lag->members[j].port_number == m->port_number)
				return cfg_error(ctx, item, "port-number %u is already used by member '%s'",
					m->port_number, lag->members[j].port);
		}
		lag->nb_members = (uint8_t)(k + 1); /* visible to the next member's check */
		cfg_path_pop(ctx, old);
	}
	return 0;
}

/* ---- lacp ---- */

#define L struct evf_cfg_lag
static const struct cfg_key lacp_keys[] = {
	CFG_KEY_ENUM("activity", L, passive, lacp_activities, false),
	CFG_KEY_ENUM("interval", L, fast, lacp_intervals, false),
	CFG_KEY_TYPED("system-id", CFG_T_UCAST_MAC, L, system_id, false),
	CFG_KEY_UINT("system-priority", L, system_priority, 1, 65535, false),
	CFG_KEY_UINT("key", L, key, 1, 65535, false),
};
#undef L

static int
lag_lacp(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_lag *lag = obj;
	struct cfg_map map;

	if (cfg_map_parse(ctx, val, lacp_keys, RTE_DIM(lacp_keys), obj, &map) < 0)
		return -EINVAL;
	lag->has_system_id = cfg_map_get(&map, "system-id") != NULL;
	return 0;
}

/* ---- management member ---- */

static int
mgmt_member(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_lag *lag = obj;

	return cfg_get_name(ctx, val, lag->mgmt_member, sizeof(lag->mgmt_member));
}

static int
mgmt_macs(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_lag *lag = obj;
	size_t n;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (n > EVF_CFG_LAG_MAX_MGMT_MACS)
		return cfg_error(ctx, val, "more than %d MACs", EVF_CFG_LAG_MAX_MGMT_MACS);
	for (size_t k = 0; k < n; k++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, k);
		size_t old = cfg_path_push_index(ctx, k);

		if (cfg_get_ucast_mac(ctx, item, &lag->mgmt_macs[k]) < 0)
			return -EINVAL;
		for (size_t j = 0; j < k; j++)
			if (rte_is_same_ether_addr(&lag->mgmt_macs[j], &lag->mgmt_macs[k]))
				return cfg_error(ctx, item, "MAC listed twice");
		cfg_path_pop(ctx, old);
	}
	lag->nb_mgmt_macs = (uint8_t)n;
	return 0;
}

static int
mgmt_vlan(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_lag *lag = obj;

	return cfg_get_vlan(ctx, val, false, &lag->mgmt_vlan);
}

static const struct cfg_key mgmt_keys[] = {
	CFG_KEY_FUNC("member", mgmt_member, true),
	CFG_KEY_FUNC("macs", mgmt_macs, false),
	CFG_KEY_FUNC("vlan", mgmt_vlan, false),
};

static int
lag_management(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_lag *lag = obj;
	struct cfg_map map;
	bool found = false;

	if (cfg_map_parse(ctx, val, mgmt_keys, RTE_DIM(mgmt_keys), obj, &map) < 0)
		return -EINVAL;
	for (uint8_t m = 0; m < lag->nb_members; m++)
		found |= strcmp(lag->members[m].port, lag->mgmt_member) == 0;
	if (!found) {
		cfg_path_push_key(ctx, "member");
		return cfg_error(ctx, cfg_map_get(&map, "member"),
			"'%s' is not a member of LAG '%s'", lag->mgmt_member, lag->name);
	}
	if (lag->nb_mgmt_macs == 0 && lag->mgmt_vlan == 0)
		return cfg_error(ctx, val, "management needs 'macs', 'vlan' or both");
	return 0;
}

/* ---- one LAG ---- */

#define L struct evf_cfg_lag
static const struct cfg_key lag_keys[] = {
	CFG_KEY_FUNC("name", lag_name, true),
	CFG_KEY_FUNC("members", lag_members, true),
	CFG_KEY_ENUM("mode", L, mode, lag_modes, false),
	CFG_KEY_FUNC("lacp", lag_lacp, false),
	CFG_KEY_UINT("min-links", L, min_links, 1, EVF_CFG_LAG_MAX_MEMBERS, false),
	CFG_KEY_ENUM("tx-hash", L, tx_hash, tx_hashes, false),
	CFG_KEY_FUNC("management", lag_management, false),
};
#undef L

static void
set_lags(struct evf_cfg *cfg, void *items, size_t n)
{
	cfg->lags = items;
	cfg->nb_lags = (uint16_t)n; /* members of earlier LAGs are visible */
}

static int
lag_item(struct cfg_ctx *ctx, yaml_node_t *item, void *obj)
{
	struct evf_cfg_lag *lag = obj;
	struct cfg_map map;
	yaml_node_t *v;

	lag->line = cfg_line(item);
	lag->system_priority = 32768;
	lag->key = 1;
	lag->min_links = 1;
	lag->tx_hash = EVF_CFG_HASH_L34;
	if (cfg_map_parse(ctx, item, lag_keys, RTE_DIM(lag_keys), lag, &map) < 0)
		return -EINVAL;
	if (lag->mode == EVF_CFG_LAG_STATIC && (v = cfg_map_get(&map, "lacp")) != NULL) {
		cfg_path_push_key(ctx, "lacp");
		return cfg_error(ctx, v, "LACP parameters need mode: lacp");
	}
	if (lag->min_links > lag->nb_members && (v = cfg_map_get(&map, "min-links")) != NULL) {
		cfg_path_push_key(ctx, "min-links");
		return cfg_error(ctx, v, "%u is more than the %u member(s)", lag->min_links,
			lag->nb_members);
	}
	return 0;
}

int
cfg_section_lags(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	static const struct cfg_list lags = {
		.what = "LAGs", .min = 0, .max = EVF_MAX_LAGS,
		.item_size = sizeof(struct evf_cfg_lag), .parse_item = lag_item, .set = set_lags,
	};

	(void)obj;
	return cfg_parse_list(ctx, val, &lags);
}
