/* cfg_list.c: what every list section of the config shares (main thread):
 * a sequence of maps parsed into a new array, one item at a time with its
 * index on the key path, and names unique within a list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_yaml.h"

int
cfg_parse_list(struct cfg_ctx *ctx, yaml_node_t *val, const struct cfg_list *l)
{
	uint8_t *items;
	size_t n;

	if (cfg_expect_seq(ctx, val) < 0)
		return -EINVAL;
	n = cfg_seq_len(val);
	if (n < l->min)
		return cfg_error(ctx, val, "%s", l->too_few);
	if (n > l->max)
		return cfg_error(ctx, cfg_seq_item(ctx, val, l->max), "more than %zu %s", l->max,
				 l->what);
	if (n == 0)
		return 0;
	items = calloc(n, l->item_size);
	if (items == NULL)
		return cfg_error(ctx, val, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = cfg_seq_item(ctx, val, i);
		size_t old = cfg_path_push_index(ctx, i);
		int rc;

		/* counted before it is parsed: earlier items (and this one) are
		 * visible to the checks of this one, and freed on error */
		l->set(ctx->cfg, items, i + 1);
		rc = l->parse_item(ctx, item, items + i * l->item_size);
		if (rc < 0)
			return -EINVAL;
		cfg_path_pop(ctx, old);
	}
	return 0;
}

int
cfg_unique_name(struct cfg_ctx *ctx, yaml_node_t *val, const void *first, size_t stride,
		size_t index, size_t name_off, size_t line_off, const char *what)
{
	const uint8_t *base = first;
	const char *name = (const char *)(base + index * stride + name_off);

	for (size_t i = 0; i < index; i++) {
		const uint8_t *it = base + i * stride;

		if (strcmp((const char *)(it + name_off), name) == 0)
			return cfg_error(ctx, val, "duplicate %s name '%s' (first at line %u)", what,
					 name, *(const unsigned int *)(it + line_off));
	}
	return 0;
}
