/* cfg_ring.c: the "control-ring" section: the shared-memory route feed
 * (doc/ring-abi.md). Present = enabled. */
#include <errno.h>
#include <string.h>

#include "cfg_sections.h"

static int
ring_name(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_ring *r = obj;
	const char *s;

	if (cfg_get_str(ctx, val, &s) < 0)
		return -EINVAL;
	if (s[0] != '/' || strchr(s + 1, '/') != NULL || strlen(s) < 2 || strlen(s) >= sizeof(r->name))
		return cfg_error(ctx, val, "'%s' is not a shared-memory name ('/name', no other '/',"
			" at most %zu characters)", s, sizeof(r->name) - 1);
	snprintf(r->name, sizeof(r->name), "%s", s);
	return 0;
}

static int
pow2(struct cfg_ctx *ctx, yaml_node_t *val, uint32_t *out)
{
	uint64_t v;

	if (cfg_get_uint(ctx, val, 64, 4194304, &v) < 0)
		return -EINVAL;
	if (v & (v - 1))
		return cfg_error(ctx, val, "%lu is not a power of two", (unsigned long)v);
	*out = (uint32_t)v;
	return 0;
}

static int
ring_records(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	return pow2(ctx, val, &((struct evf_cfg_ring *)obj)->records);
}

static int
ring_event_records(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	return pow2(ctx, val, &((struct evf_cfg_ring *)obj)->event_records);
}

#define R struct evf_cfg_ring
static const struct cfg_key ring_keys[] = {
	CFG_KEY_FUNC("name", ring_name, false),
	CFG_KEY_FUNC("records", ring_records, false),
	CFG_KEY_FUNC("event-records", ring_event_records, false),
	CFG_KEY_UINT("hold-time", R, hold_time, 1, 3600, false),
	CFG_KEY_UINT("batch", R, batch, 1, 4096, false),
	CFG_KEY_UINT0("producer-timeout", R, producer_timeout, 1, 3600, false),
};
#undef R

int
cfg_section_ring(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg *cfg = obj;
	struct evf_cfg_ring *r = &cfg->ring;
	struct cfg_map map;

	r->enabled = true;
	snprintf(r->name, sizeof(r->name), "/evfwd");
	r->records = 65536;
	r->event_records = 65536;
	r->hold_time = 30;
	r->batch = 256;
	if (cfg_is_null(val))
		return 0; /* "control-ring:" alone: every default */
	return cfg_map_parse(ctx, val, ring_keys, RTE_DIM(ring_keys), r, &map);
}
