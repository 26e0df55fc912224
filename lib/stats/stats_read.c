/* stats_read.c: drop-reason names and summing of per-worker counters
 * (any reader thread: shell, headless exit, telemetry). */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "evf_stats.h"

struct evf_worker_stats *evf_worker_stats;
unsigned int evf_stats_nb_workers;
static struct evf_stats_sum baseline;

static const char *const drop_names[EVF_DROP_MAX] = {
#define EVF_DROP_NAME(e, n, d) [EVF_DROP_ ## e] = n,
	EVF_DROP_REASONS(EVF_DROP_NAME)
#undef EVF_DROP_NAME
};

static const char *const drop_help[EVF_DROP_MAX] = {
#define EVF_DROP_HELP(e, n, d) [EVF_DROP_ ## e] = d,
	EVF_DROP_REASONS(EVF_DROP_HELP)
#undef EVF_DROP_HELP
};

const char *
evf_drop_name(enum evf_drop_reason r)
{
	return r < EVF_DROP_MAX ? drop_names[r] : "?";
}

const char *
evf_drop_help(enum evf_drop_reason r)
{
	return r < EVF_DROP_MAX ? drop_help[r] : "?";
}

enum evf_drop_reason
evf_drop_by_name(const char *name)
{
	for (int r = EVF_DROP_FIRST; r < EVF_DROP_MAX; r++)
		if (strcmp(drop_names[r], name) == 0)
			return (enum evf_drop_reason)r;
	return EVF_DROP_MAX;
}

int
evf_stats_init(unsigned int nb_workers)
{
	if (nb_workers == 0 || nb_workers > EVF_MAX_WORKERS)
		return -EINVAL;
	evf_worker_stats = rte_zmalloc("evf_worker_stats",
		sizeof(*evf_worker_stats) * nb_workers, RTE_CACHE_LINE_SIZE);
	if (evf_worker_stats == NULL)
		return -ENOMEM;
	evf_stats_nb_workers = nb_workers;
	memset(&baseline, 0, sizeof(baseline));
	return 0;
}

void
evf_stats_fini(void)
{
	rte_free(evf_worker_stats);
	evf_worker_stats = NULL;
	evf_stats_nb_workers = 0;
}

static inline uint64_t
rd(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void
sum_raw(struct evf_stats_sum *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int w = 0; w < evf_stats_nb_workers; w++) {
		const struct evf_worker_stats *s = &evf_worker_stats[w];

		for (int r = EVF_DROP_FIRST; r < EVF_DROP_MAX; r++)
			out->drops[r] += rd(&s->drops[r]);
		for (int p = 0; p < EVF_MAX_PORTS; p++) {
			out->port[p].rx_pkts += rd(&s->port[p].rx_pkts);
			out->port[p].rx_bytes += rd(&s->port[p].rx_bytes);
			out->port[p].tx_pkts += rd(&s->port[p].tx_pkts);
			out->port[p].tx_bytes += rd(&s->port[p].tx_bytes);
			out->port[p].drops += rd(&s->port[p].drops);
		}
#define SUM(f, n, h) out->f += rd(&s->f);
		EVF_WORKER_COUNTERS(SUM)
#undef SUM
	}
}

void
evf_stats_read(struct evf_stats_sum *out, bool since_clear)
{
	sum_raw(out);
	if (!since_clear)
		return;
	/* The sum is a flat array of uint64_t; subtract field by field. */
	uint64_t *o = (uint64_t *)out;
	const uint64_t *b = (const uint64_t *)&baseline;
	for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		o[i] -= b[i];
}

void
evf_stats_clear(void)
{
	sum_raw(&baseline);
}

/* The same list at its offsets in either struct. */
#define WDESC(f, n, h) EVF_COUNTER_DESC_OF(evf_worker_stats, f, n, h)
#define SDESC(f, n, h) EVF_COUNTER_DESC_OF(evf_stats_sum, f, n, h)
static const struct evf_counter_desc worker_desc[] = { EVF_WORKER_COUNTERS(WDESC) };
static const struct evf_counter_desc sum_desc[] = { EVF_WORKER_COUNTERS(SDESC) };

void
evf_worker_counter_set(struct evf_counter_set *set, const char *title,
		       const struct evf_worker_stats *w, const struct evf_stats_sum *sum)
{
	set->title = title;
	set->key = "worker";
	set->desc = w != NULL ? worker_desc : sum_desc;
	set->n = RTE_DIM(worker_desc);
	set->base = w != NULL ? (const void *)w : (const void *)sum;
}

uint64_t
evf_stats_total_drops(const struct evf_stats_sum *s)
{
	uint64_t t = 0;

	for (int r = EVF_DROP_FIRST; r < EVF_DROP_MAX; r++)
		t += s->drops[r];
	return t;
}
