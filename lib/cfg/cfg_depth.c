/* cfg_depth.c: refuse YAML nested deeper than EVF_CFG_MAX_DEPTH before the
 * document is built.
 *
 * libyaml's scanner costs O(flow depth) per token and has no depth limit, so
 * "[" repeated 100,000 times keeps yaml_parser_load() busy for most of a
 * minute. This pre-pass reads the buffer as events and stops at the first
 * collection too deep, having scanned no more than EVF_CFG_MAX_DEPTH levels.
 * A syntax error is left to the real load, which reports it at the same place. */
#include "cfg_yaml.h"

int
cfg_check_depth(struct cfg_ctx *ctx, const char *buf, size_t len)
{
	yaml_parser_t parser;
	unsigned int depth = 0;
	int rc = 0;

	if (!yaml_parser_initialize(&parser))
		return 0; /* the load reports running out of memory */
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	for (;;) {
		yaml_event_t ev;
		bool end;

		if (!yaml_parser_parse(&parser, &ev))
			break;
		end = ev.type == YAML_STREAM_END_EVENT;
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > EVF_CFG_MAX_DEPTH) {
				rc = cfg_error_mark(ctx, ev.start_mark, "nesting deeper than %u levels",
					EVF_CFG_MAX_DEPTH);
				end = true;
			}
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}
