/* evf_counters.c: printing a counter set (evf_counters.h); any thread. */
#include <inttypes.h>

#include "evf_counters.h"

void
evf_counters_print(FILE *out, const struct evf_counter_set *s)
{
	fprintf(out, "%s:", s->title);
	for (unsigned int i = 0; i < s->n; i++)
		fprintf(out, "%s %s %" PRIu64, i ? "," : "", s->desc[i].name,
			evf_counter_value(s, i));
}
