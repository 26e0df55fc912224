/* metrics_show.c: "show metrics" and its JSON form (main thread): the
 * endpoint, its limits, the connections open and every counter of
 * EVF_METRICS_HTTP_COUNTERS (written by the server's thread, read here
 * with relaxed loads). */
#include <inttypes.h>

#include "json_out.h"
#include "metrics.h"
#include "metrics_private.h"
#include "table.h"

void
evf_metrics_show(FILE *out)
{
	static const char *const hdr[] = { "Counter", "Value", "Meaning", NULL };
	const struct metrics_state *st = &evf_metrics_st;
	const struct evf_counter_set *set = &evf_metrics_counter_set;
	struct evf_table *t;

	if (!st->on) {
		fprintf(out, "Metrics endpoint: none (no metrics section in the config)\n");
		return;
	}
	fprintf(out, "Metrics endpoint: %s (Prometheus text and OpenMetrics)\n", st->url);
	fprintf(out, "Connections: %u open, max-connections %u, request-timeout %u s\n",
		__atomic_load_n(&st->open, __ATOMIC_RELAXED), st->max_conns, st->timeout_s);
	t = evf_table_new(hdr);
	for (unsigned int i = 0; i < set->n; i++)
		evf_table_rowf(t, "%s\t%" PRIu64 "\t%s", set->desc[i].name,
			       evf_counter_value(set, i), set->desc[i].help);
	evf_table_print(t, out);
	evf_table_free(t);
}

int
evf_metrics_show_json(FILE *out, const char *unused)
{
	const struct metrics_state *st = &evf_metrics_st;
	json_t *root = json_object();
	(void)unused;

	evf_json_set(root, "enabled", json_boolean(st->on));
	if (!st->on)
		return evf_json_print(out, root);
	evf_json_set(root, "url", evf_json_str(st->url));
	evf_json_set(root, "address", evf_json_ip(&st->addr));
	evf_json_set(root, "port", json_integer(st->port));
	evf_json_set(root, "max_connections", json_integer(st->max_conns));
	evf_json_set(root, "request_timeout_s", json_integer(st->timeout_s));
	evf_json_set(root, "open_connections",
		     json_integer(__atomic_load_n(&st->open, __ATOMIC_RELAXED)));
	evf_json_set(root, "counters", evf_json_counters(&evf_metrics_counter_set));
	return evf_json_print(out, root);
}
