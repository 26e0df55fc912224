/* cfg_workers.c: the "workers" section (how many data-path lcores, which
 * ones, and how they poll). */
#include <errno.h>
#include <string.h>

#include "cfg_sections.h"

static int
workers_lcores(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_workers *w = obj;
	size_t n;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (n == 0)
		return cfg_error(ctx, val, "at least one lcore is required when lcores is given");
	if (n > EVF_MAX_WORKERS)
		return cfg_error(ctx, val, "more than %d lcores", EVF_MAX_WORKERS);
	for (size_t k = 0; k < n; k++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, k);
		size_t old = cfg_path_push_index(ctx, k);
		uint64_t v;

		if (cfg_get_uint(ctx, item, 0, RTE_MAX_LCORE - 1, &v) < 0)
			return -EINVAL;
		for (size_t j = 0; j < k; j++)
			if (w->lcores[j] == v)
				return cfg_error(ctx, item, "lcore %u is listed twice", (unsigned int)v);
		cfg_path_pop(ctx, old);
		w->lcores[k] = (uint16_t)v;
		w->nb_lcores = (uint16_t)(k + 1);
	}
	return 0;
}

#define W struct evf_cfg_workers
static const struct cfg_key workers_keys[] = {
	CFG_KEY_UINT("count", W, count, 1, EVF_MAX_WORKERS, false),
	CFG_KEY_FUNC("lcores", workers_lcores, false),
	CFG_KEY_UINT("burst", W, burst, 1, EVF_BURST_MAX, false),
	CFG_KEY_UINT("idle-sleep-us", W, idle_sleep_us, 0, 100000, false),
};
#undef W

void
cfg_workers_defaults(struct evf_cfg_workers *w)
{
	memset(w, 0, sizeof(*w));
	w->count = 1;
	w->burst = 32;
	w->idle_sleep_us = 0;
}

int
cfg_section_workers(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg *cfg = obj;
	struct evf_cfg_workers *w = &cfg->workers;
	yaml_node_t *lcores;
	struct cfg_map map;
	size_t old;

	if (cfg_map_parse(ctx, val, workers_keys, RTE_DIM(workers_keys), w, &map) < 0)
		return -EINVAL;
	lcores = cfg_map_get(&map, "lcores");
	if (lcores == NULL)
		return 0;
	if (cfg_map_get(&map, "count") == NULL) {
		w->count = w->nb_lcores;
		return 0;
	}
	if (w->count == w->nb_lcores)
		return 0;
	old = cfg_path_push_key(ctx, "lcores");
	cfg_error(ctx, lcores, "%u lcores listed but count is %u", w->nb_lcores, w->count);
	cfg_path_pop(ctx, old);
	return -EINVAL;
}
