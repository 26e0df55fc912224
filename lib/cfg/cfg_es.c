/* cfg_es.c: the "ethernet-segments" section: local Ethernet Segments, the
 * interface each covers, multihoming mode and DF election settings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_sections.h"
#include "evf_evpn.h"

static const char *const es_modes[] = { "all-active", "single-active", NULL };

static size_t
es_index(struct cfg_ctx *ctx, const struct evf_cfg_es *es)
{
	return (size_t)(es - ctx->cfg->es);
}

static int
es_name(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_es *es = obj;

	if (cfg_get_name(ctx, val, es->name, sizeof(es->name)) < 0)
		return -EINVAL;
	return CFG_UNIQUE_NAME(ctx, val, ctx->cfg->es, es_index(ctx, es), "ethernet-segment");
}

static int
es_esi(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_es *es = obj;
	const char *s;

	if (cfg_get_str(ctx, val, &s) < 0)
		return -EINVAL;
	if (evf_esi_parse(s, &es->esi) < 0)
		return cfg_error(ctx, val, "'%s' is not an ESI (ten colon-separated hex bytes)", s);
	if (evf_esi_is_zero(&es->esi) || evf_esi_is_max(&es->esi))
		return cfg_error(ctx, val, "ESI %s is reserved (all-zero: single-homed, all-ones: MAX-ESI)", s);
	for (size_t i = 0; i < es_index(ctx, es); i++)
		if (memcmp(&ctx->cfg->es[i].esi, &es->esi, sizeof(es->esi)) == 0)
			return cfg_error(ctx, val, "ESI %s is already used by ethernet-segment '%s'", s,
				ctx->cfg->es[i].name);
	return 0;
}

static int
es_iface(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_es *es = obj;

	if (cfg_get_name(ctx, val, es->iface, sizeof(es->iface)) < 0)
		return -EINVAL;
	if (cfg_check_access_iface(ctx, val, es->iface, "ethernet segments") < 0)
		return -EINVAL;
	for (size_t i = 0; i < es_index(ctx, es); i++)
		if (strcmp(ctx->cfg->es[i].iface, es->iface) == 0)
			return cfg_error(ctx, val, "interface '%s' already belongs to ethernet-segment '%s'",
				es->iface, ctx->cfg->es[i].name);
	return 0;
}

#define E struct evf_cfg_es
static const struct cfg_key df_keys[] = {
	CFG_KEY_ENUM("algorithm", E, df_alg, evf_df_alg_names, false),
	CFG_KEY_UINT("preference", E, df_pref, 0, 65535, false),
	CFG_KEY_TYPED("dont-preempt", CFG_T_BOOL, E, df_dont_preempt, false),
};

static int
es_df(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_es *es = obj;
	struct cfg_map map;
	yaml_node_t *bad;

	if (cfg_map_parse(ctx, val, df_keys, RTE_DIM(df_keys), obj, &map) < 0)
		return -EINVAL;
	if (es->df_alg != EVF_CFG_DF_PREFERENCE) {
		bad = cfg_map_get(&map, "preference");
		if (bad == NULL)
			bad = cfg_map_get(&map, "dont-preempt");
		if (bad != NULL)
			return cfg_error(ctx, bad, "preference and dont-preempt need algorithm: preference");
	}
	return 0;
}

static const struct cfg_key es_keys[] = {
	CFG_KEY_FUNC("name", es_name, true),
	CFG_KEY_FUNC("esi", es_esi, true),
	CFG_KEY_ENUM("mode", E, mode, es_modes, false),
	CFG_KEY_FUNC("interface", es_iface, true),
	CFG_KEY_FUNC("df-election", es_df, false),
	CFG_KEY_UINT("df-timer", E, df_timer, 0, 100, false),
	CFG_KEY_UINT("activation-timer", E, activation_timer, 0, 100, false),
};
#undef E

static void
set_es(struct evf_cfg *cfg, void *items, size_t n)
{
	cfg->es = items;
	cfg->nb_es = (uint16_t)n;
}

static int
es_item(struct cfg_ctx *ctx, yaml_node_t *item, void *obj)
{
	struct evf_cfg_es *es = obj;
	struct cfg_map map;

	es->line = cfg_line(item);
	es->df_pref = 32767;
	es->df_timer = 3;
	return cfg_map_parse(ctx, item, es_keys, RTE_DIM(es_keys), es, &map);
}

int
cfg_section_es(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	static const struct cfg_list es = {
		.what = "ethernet-segments", .min = 0, .max = 1024,
		.item_size = sizeof(struct evf_cfg_es), .parse_item = es_item, .set = set_es,
	};

	(void)obj;
	return cfg_parse_list(ctx, val, &es);
}
