/* cfg_bds.c: the "mac-vrfs" section: bridge domains with their VNI, access
 * attachments, static flood list (remote-vteps) and static remote MACs. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_sections.h"

static size_t
bd_index(struct cfg_ctx *ctx, const struct evf_cfg_bd *bd)
{
	return (size_t)(bd - ctx->cfg->bds);
}

static int
bd_name(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;

	if (cfg_get_name(ctx, val, bd->name, sizeof(bd->name)) < 0)
		return -EINVAL;
	return CFG_UNIQUE_NAME(ctx, val, ctx->cfg->bds, bd_index(ctx, bd), "mac-vrf");
}

static int
bd_vni(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;
	uint64_t v;

	if (cfg_get_uint(ctx, val, 1, 16777215, &v) < 0)
		return -EINVAL;
	bd->vni = (uint32_t)v;
	for (size_t i = 0; i < bd_index(ctx, bd); i++)
		if (ctx->cfg->bds[i].vni == bd->vni)
			return cfg_error(ctx, val, "VNI %u is already used by mac-vrf '%s'",
				bd->vni, ctx->cfg->bds[i].name);
	return 0;
}

static int
bd_mac_limit(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;
	uint64_t v;

	if (cfg_get_uint(ctx, val, 0, UINT32_MAX, &v) < 0)
		return -EINVAL;
	if (v > ctx->cfg->node.fdb_capacity)
		return cfg_error(ctx, val, "%u is larger than node.fdb-capacity (%u)",
			(unsigned int)v, ctx->cfg->node.fdb_capacity);
	bd->mac_limit = (uint32_t)v;
	return 0;
}

/* ---- attachments ---- */

static int
attach_port(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_attach *a = obj;

	if (cfg_get_name(ctx, val, a->port, sizeof(a->port)) < 0)
		return -EINVAL;
	return cfg_check_access_iface(ctx, val, a->port, "attachments");
}

static int
attach_vlan(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_attach *a = obj;

	return cfg_get_vlan(ctx, val, true, &a->vlan);
}

static const struct cfg_key attach_keys[] = {
	CFG_KEY_FUNC("port", attach_port, true),
	CFG_KEY_FUNC("vlan", attach_vlan, true),
};

/* The owner of port+vlan among the attachments parsed so far, or NULL. */
static const struct evf_cfg_bd *
attach_owner(struct cfg_ctx *ctx, const struct evf_cfg_bd *bd, size_t nb_done,
	const struct evf_cfg_attach *a)
{
	for (size_t i = 0; i <= bd_index(ctx, bd); i++) {
		const struct evf_cfg_bd *o = &ctx->cfg->bds[i];
		size_t n = o == bd ? nb_done : o->nb_attach;

		for (size_t j = 0; j < n; j++)
			if (o->attach[j].vlan == a->vlan && strcmp(o->attach[j].port, a->port) == 0)
				return o;
	}
	return NULL;
}

static int
bd_attachments(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;
	size_t n, total = 0;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	for (size_t i = 0; i < bd_index(ctx, bd); i++)
		total += ctx->cfg->bds[i].nb_attach;
	if (total + n > EVF_MAX_ATTACH)
		return cfg_error(ctx, val, "more than %d attachments in all mac-vrfs", EVF_MAX_ATTACH);
	if (n == 0)
		return 0;
	bd->attach = calloc(n, sizeof(*bd->attach));
	if (bd->attach == NULL)
		return cfg_error(ctx, val, "out of memory");
	for (size_t k = 0; k < n; k++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, k);
		struct evf_cfg_attach *a = &bd->attach[k];
		size_t old = cfg_path_push_index(ctx, k);
		const struct evf_cfg_bd *owner;
		struct cfg_map map;

		if (cfg_map_parse(ctx, item, attach_keys, RTE_DIM(attach_keys), a, &map) < 0)
			return -EINVAL;
		owner = attach_owner(ctx, bd, k, a);
		if (owner != NULL) {
			if (a->vlan == EVF_VLAN_UNTAGGED)
				return cfg_error(ctx, item, "port '%s' untagged is already attached"
					" to mac-vrf '%s'", a->port, owner->name);
			return cfg_error(ctx, item, "port '%s' vlan %u is already attached"
				" to mac-vrf '%s'", a->port, a->vlan, owner->name);
		}
		cfg_path_pop(ctx, old);
		bd->nb_attach = (uint16_t)(k + 1);
	}
	return 0;
}

/* ---- remote VTEPs and MACs ---- */

/* A remote VTEP needs a local VTEP address of its family and is not ours. */
static int
check_remote_vtep(struct cfg_ctx *ctx, yaml_node_t *val, const struct evf_ip *ip)
{
	const struct evf_cfg_node *node = &ctx->cfg->node;
	bool v4 = ip->family == AF_INET;
	const struct evf_ip *own = v4 ? &node->vtep_ipv4 : &node->vtep_ipv6;
	const char *s = (const char *)val->data.scalar.value;

	if (own->family == 0)
		return cfg_error(ctx, val, "%s is %s but node.%s is not set", s,
			v4 ? "IPv4" : "IPv6", v4 ? "vtep-ipv4" : "vtep-ipv6");
	if (evf_ip_equal(own, ip))
		return cfg_error(ctx, val, "%s is this node's own %s", s,
			v4 ? "vtep-ipv4" : "vtep-ipv6");
	return 0;
}

static int
bd_remote_vteps(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;
	size_t n;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (n > EVF_MAX_VTEPS)
		return cfg_error(ctx, val, "more than %d remote VTEPs", EVF_MAX_VTEPS);
	if (n == 0)
		return 0;
	bd->vteps = calloc(n, sizeof(*bd->vteps));
	if (bd->vteps == NULL)
		return cfg_error(ctx, val, "out of memory");
	for (size_t k = 0; k < n; k++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, k);
		size_t old = cfg_path_push_index(ctx, k);

		if (cfg_get_ip(ctx, item, 0, &bd->vteps[k]) < 0 ||
				check_remote_vtep(ctx, item, &bd->vteps[k]) < 0)
			return -EINVAL;
		for (size_t j = 0; j < k; j++)
			if (evf_ip_equal(&bd->vteps[j], &bd->vteps[k]))
				return cfg_error(ctx, item, "%s is listed twice (first at line %u)",
					(const char *)item->data.scalar.value,
					cfg_line(cfg_seq_item(ctx, val, j)));
		cfg_path_pop(ctx, old);
		bd->nb_vteps = (uint16_t)(k + 1);
	}
	return 0;
}

static int
rmac_vtep(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_remote_mac *m = obj;

	if (cfg_get_ip(ctx, val, 0, &m->vtep) < 0)
		return -EINVAL;
	return check_remote_vtep(ctx, val, &m->vtep);
}

#define M struct evf_cfg_remote_mac
static const struct cfg_key rmac_keys[] = {
	CFG_KEY_TYPED("mac", CFG_T_UCAST_MAC, M, mac, true),
	CFG_KEY_FUNC("vtep", rmac_vtep, true),
};
#undef M

/* ---- MAC lists: duplicates and the FDB budget ---- */

/* One MAC of a list, for sorting: remote-macs (list 0) or static-macs (1). */
struct mac_ref {
	struct rte_ether_addr mac;
	uint8_t list;
	uint32_t idx;
};

static int
mac_ref_cmp(const void *a, const void *b)
{
	const struct mac_ref *x = a, *y = b;
	int c = memcmp(&x->mac, &y->mac, sizeof(x->mac));

	if (c != 0)
		return c;
	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

/* The first MAC of list 'list' that clashes, in O(n log n) (the lists may be
 * as long as the FDB): an entry repeating an earlier one of the same list
 * (*other false, *first its first entry) or one also in the other list (*other
 * true, *first that entry). Returns the clashing index, or UINT32_MAX. */
static uint32_t
first_clash(struct mac_ref *refs, size_t n, uint8_t list, uint32_t *first, bool *other)
{
	uint32_t bad = UINT32_MAX;

	qsort(refs, n, sizeof(*refs), mac_ref_cmp);
	for (size_t g = 0; g < n; ) {
		size_t end = g, own = SIZE_MAX, foreign = SIZE_MAX;

		while (end < n && rte_is_same_ether_addr(&refs[end].mac, &refs[g].mac))
			end++;
		for (size_t i = g; i < end; i++) {
			if (refs[i].list != list) {
				if (foreign == SIZE_MAX)
					foreign = i;
				continue;
			}
			if (foreign != SIZE_MAX || own != SIZE_MAX) {
				if (refs[i].idx < bad) {
					bad = refs[i].idx;
					*other = own == SIZE_MAX;
					*first = refs[*other ? foreign : own].idx;
				}
				break; /* later entries of the group have larger indices */
			}
			own = i;
		}
		g = end;
	}
	return bad;
}

/* Reject a MAC of bd's remote-macs (list 0) or static-macs (1) listed twice,
 * or a static MAC also in remote-macs, naming the earliest offender. */
static int
check_dup_macs(struct cfg_ctx *ctx, yaml_node_t *seq, const struct evf_cfg_bd *bd, uint8_t list,
	yaml_node_t *remote_seq)
{
	uint32_t n_remote = bd->nb_macs, n_static = list == 1 ? bd->nb_local_macs : 0;
	uint32_t bad, first = 0, k = 0;
	const struct rte_ether_addr *mac;
	char buf[EVF_MAC_STRLEN];
	struct mac_ref *refs;
	bool other = false;
	size_t old;

	if (n_remote + n_static < 2)
		return 0;
	refs = malloc((size_t)(n_remote + n_static) * sizeof(*refs));
	if (refs == NULL)
		return cfg_error(ctx, seq, "out of memory");
	for (uint32_t i = 0; i < n_remote; i++)
		refs[k++] = (struct mac_ref){ .mac = bd->macs[i].mac, .list = 0, .idx = i };
	for (uint32_t i = 0; i < n_static; i++)
		refs[k++] = (struct mac_ref){ .mac = bd->local_macs[i].mac, .list = 1, .idx = i };
	bad = first_clash(refs, k, list, &first, &other);
	free(refs);
	if (bad == UINT32_MAX)
		return 0;
	mac = list == 0 ? &bd->macs[bad].mac : &bd->local_macs[bad].mac;
	evf_mac_fmt(mac, buf, sizeof(buf));
	old = cfg_path_push_index(ctx, bad);
	if (other)
		cfg_error(ctx, cfg_seq_item(ctx, seq, bad), "MAC %s is also in remote-macs (line %u)",
			buf, cfg_line(cfg_seq_item(ctx, remote_seq, first)));
	else
		cfg_error(ctx, cfg_seq_item(ctx, seq, bad), "MAC %s is listed twice (first at line %u)",
			buf, cfg_line(cfg_seq_item(ctx, seq, first)));
	cfg_path_pop(ctx, old);
	return -EINVAL;
}

/* Bring-up puts every remote-macs and static-macs entry of every MAC-VRF into
 * one FDB of node.fdb-capacity entries (duplicates within a MAC-VRF are
 * refused, so each is one entry): n more on top of what bd and the MAC-VRFs
 * before it list must fit. */
static int
check_fdb_budget(struct cfg_ctx *ctx, yaml_node_t *val, const struct evf_cfg_bd *bd, size_t n)
{
	uint64_t total = (uint64_t)n + bd->nb_macs + bd->nb_local_macs;

	for (size_t i = 0; i < bd_index(ctx, bd); i++)
		total += (uint64_t)ctx->cfg->bds[i].nb_macs + ctx->cfg->bds[i].nb_local_macs;
	if (total > ctx->cfg->node.fdb_capacity)
		return cfg_error(ctx, val, "%" PRIu64 " static MACs in all mac-vrfs (remote-macs and"
			" static-macs) exceed node.fdb-capacity (%u)", total,
			ctx->cfg->node.fdb_capacity);
	return 0;
}

static int
bd_remote_macs(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;
	size_t n;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (check_fdb_budget(ctx, val, bd, n) < 0)
		return -EINVAL;
	if (n == 0)
		return 0;
	bd->macs = calloc(n, sizeof(*bd->macs));
	if (bd->macs == NULL)
		return cfg_error(ctx, val, "out of memory");
	for (size_t k = 0; k < n; k++) {
		size_t old = cfg_path_push_index(ctx, k);
		struct cfg_map map;

		if (cfg_map_parse(ctx, cfg_seq_item(ctx, val, k), rmac_keys, RTE_DIM(rmac_keys),
				&bd->macs[k], &map) < 0)
			return -EINVAL;
		cfg_path_pop(ctx, old);
		bd->nb_macs = (uint32_t)(k + 1);
	}
	return check_dup_macs(ctx, val, bd, 0, NULL);
}

/* ---- static local MACs ---- */

#define L struct evf_cfg_local_mac
static int
lmac_port(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	return attach_port(ctx, val, &((L *)obj)->attach);
}

static int
lmac_vlan(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	return attach_vlan(ctx, val, &((L *)obj)->attach);
}

static const struct cfg_key lmac_keys[] = {
	CFG_KEY_TYPED("mac", CFG_T_UCAST_MAC, L, mac, true),
	CFG_KEY_FUNC("port", lmac_port, true),
	CFG_KEY_FUNC("vlan", lmac_vlan, true),
};
#undef L

static bool
bd_has_attach(const struct evf_cfg_bd *bd, const struct evf_cfg_attach *a)
{
	for (uint16_t i = 0; i < bd->nb_attach; i++)
		if (bd->attach[i].vlan == a->vlan && strcmp(bd->attach[i].port, a->port) == 0)
			return true;
	return false;
}

static int
bd_static_macs(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_bd *bd = obj;
	size_t n;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (check_fdb_budget(ctx, val, bd, n) < 0)
		return -EINVAL;
	if (n == 0)
		return 0;
	bd->local_macs = calloc(n, sizeof(*bd->local_macs));
	if (bd->local_macs == NULL)
		return cfg_error(ctx, val, "out of memory");
	for (size_t k = 0; k < n; k++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, k);
		struct evf_cfg_local_mac *m = &bd->local_macs[k];
		size_t old = cfg_path_push_index(ctx, k);
		struct cfg_map map;

		if (cfg_map_parse(ctx, item, lmac_keys, RTE_DIM(lmac_keys), m, &map) < 0)
			return -EINVAL;
		if (!bd_has_attach(bd, &m->attach))
			return cfg_error(ctx, item, "port '%s' %s is not an attachment of this mac-vrf",
				m->attach.port, m->attach.vlan ? "with that vlan" : "untagged");
		cfg_path_pop(ctx, old);
		bd->nb_local_macs = (uint32_t)(k + 1);
	}
	return 0; /* duplicates: parse_bd(), which also knows remote-macs */
}

/* ---- duplicate MAC detection ---- */

static const char *const dup_actions[] = { "stop-learning", "blackhole", NULL };

#define B struct evf_cfg_bd
static const struct cfg_key dup_keys[] = {
	CFG_KEY_ENUM("action", B, dup_blackhole, dup_actions, false),
	CFG_KEY_UINT("num-moves", B, dup_moves, 2, 1000, false),
	CFG_KEY_UINT("monitoring-window", B, dup_window, 1, 3600, false),
	CFG_KEY_UINT0("hold-down", B, dup_hold, 1, 86400, false),
};
#undef B

static int
bd_mac_duplication(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct cfg_map map;

	return cfg_map_parse(ctx, val, dup_keys, RTE_DIM(dup_keys), obj, &map);
}

/* ---- one MAC-VRF ---- */

#define B struct evf_cfg_bd
static const struct cfg_key bd_keys[] = {
	CFG_KEY_FUNC("name", bd_name, true),
	CFG_KEY_FUNC("vni", bd_vni, true),
	CFG_KEY_UINT("evi", B, evi, 1, 16777215, false),
	CFG_KEY_UINT("mac-aging", B, mac_aging, 0, 86400, false),
	CFG_KEY_TYPED("learning", CFG_T_BOOL, B, learning, false),
	CFG_KEY_FUNC("mac-limit", bd_mac_limit, false),
	CFG_KEY_TYPED("allow-inner-vlan", CFG_T_BOOL, B, allow_inner_vlan, false),
	CFG_KEY_FUNC("attachments", bd_attachments, false),
	CFG_KEY_FUNC("remote-vteps", bd_remote_vteps, false),
	CFG_KEY_FUNC("remote-macs", bd_remote_macs, false),
	CFG_KEY_FUNC("static-macs", bd_static_macs, false),
	CFG_KEY_FUNC("mac-duplication", bd_mac_duplication, false),
	CFG_KEY_FUNC("arp-nd", cfg_bd_nd, false),
	CFG_KEY_FUNC("irb", cfg_bd_irb, false),
};
#undef B

static int
parse_bd(struct cfg_ctx *ctx, yaml_node_t *item, struct evf_cfg_bd *bd)
{
	yaml_node_t *statics;
	struct cfg_map map;
	size_t old;
	int rc;

	bd->line = cfg_line(item);
	bd->mac_aging = 300;
	bd->learning = true;
	bd->dup_moves = 5;
	bd->dup_window = 180;
	bd->dup_hold = 540;
	cfg_bd_nd_defaults(&bd->nd);

	if (cfg_map_parse(ctx, item, bd_keys, RTE_DIM(bd_keys), bd, &map) < 0)
		return -EINVAL;
	if (cfg_map_get(&map, "evi") == NULL)
		bd->evi = bd->vni;
	/* The EVI names the MAC-VRF in its route distinguisher and DF election:
	 * two MAC-VRFs with one EVI would advertise each other's routes. */
	for (size_t i = 0; i < bd_index(ctx, bd); i++) {
		bool given = cfg_map_get(&map, "evi") != NULL;

		if (ctx->cfg->bds[i].evi != bd->evi)
			continue;
		cfg_path_push_key(ctx, given ? "evi" : "vni");
		return cfg_error(ctx, cfg_map_get(&map, given ? "evi" : "vni"),
			"EVI %u is already used by mac-vrf '%s'%s", bd->evi,
			ctx->cfg->bds[i].name, given ? "" : " (the EVI is the VNI unless given)");
	}
	statics = cfg_map_get(&map, "static-macs");
	if (statics == NULL)
		return 0;
	old = cfg_path_push_key(ctx, "static-macs");
	rc = check_dup_macs(ctx, statics, bd, 1, cfg_map_get(&map, "remote-macs"));
	cfg_path_pop(ctx, old);
	return rc;
}

static void
set_bds(struct evf_cfg *cfg, void *items, size_t n)
{
	cfg->bds = items;
	cfg->nb_bds = (uint16_t)n;
}

static int
bd_item(struct cfg_ctx *ctx, yaml_node_t *item, void *obj)
{
	return parse_bd(ctx, item, obj);
}

int
cfg_section_bds(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	static const struct cfg_list bds = {
		.what = "mac-vrfs", .min = 0, .max = EVF_MAX_BDS,
		.item_size = sizeof(struct evf_cfg_bd), .parse_item = bd_item, .set = set_bds,
	};

	(void)obj;
	return cfg_parse_list(ctx, val, &bds);
}
