/* ring_stats_ctl.c: the control ring's counters: the stats block evfwd
 * publishes in the object for producers and evfwd-ctl, the apply-latency
 * histogram, the shell's "show ring" and its view for other renderings
 * (control thread). */
#include <string.h>

#include "evf_common.h"
#include "ring_private.h"

#define R evf_ring_st

struct evf_ring_counters evf_ring_counters;
#define RING_DESC(f, n, h) EVF_COUNTER_DESC_OF(evf_ring_counters, f, n, h)
static const struct evf_counter_desc ring_desc[] = {
	EVF_RING_COUNTERS_PUBLISHED(RING_DESC)
	EVF_RING_COUNTERS_LOCAL(RING_DESC)
};
const struct evf_counter_set evf_ring_counter_set = {
	"Control ring", "ring", ring_desc, RTE_DIM(ring_desc), &evf_ring_counters,
};

static const char *const reject_names[EVF_RING_REJ_MAX] = {
#define EVF_RING_REJ_NAME(e, n) [EVF_RING_REJ_ ## e] = n,
	EVF_RING_REJECTS(EVF_RING_REJ_NAME)
#undef EVF_RING_REJ_NAME
};

const char *
evf_ring_reject_name(int r)
{
	return r >= 0 && r < EVF_RING_REJ_MAX ? reject_names[r] : "?";
}

/* Log-linear histogram: 8 sub-buckets per power of two (12.5% resolution). */
static unsigned int
latency_bucket(uint64_t d)
{
	unsigned int octave;

	if (d < EVF_RING_LAT_SUB)
		return (unsigned int)d;
	octave = 63u - (unsigned int)__builtin_clzll(d); /* >= 3 */
	return (octave - 2u) * EVF_RING_LAT_SUB + (unsigned int)((d >> (octave - 3u)) & 7u);
}

/* Exclusive upper bound in ns of a bucket. */
static uint64_t
latency_bucket_top(unsigned int b)
{
	unsigned int octave = b / EVF_RING_LAT_SUB, sub = b % EVF_RING_LAT_SUB;

	if (octave == 0)
		return b + 1;
	return (uint64_t)(EVF_RING_LAT_SUB + sub + 1) << (octave - 1);
}

void
evf_ring_record_latency(uint64_t ts_ns, uint64_t now_ns)
{
	unsigned int b;

	if (ts_ns == 0)
		return; /* the producer gives no time */
	/* A time before the object existed or after now is not a producer's
	 * clock: left out, so that garbage cannot skew the percentiles. */
	if (ts_ns < R.created_ns || ts_ns > now_ns) {
		evf_ring_counters.lat_bad_ts++;
		return;
	}
	b = latency_bucket(now_ns - ts_ns);
	if (b >= EVF_RING_LAT_BUCKETS)
		b = EVF_RING_LAT_BUCKETS - 1;
	evf_ring_counters.lat_hist[b]++;
	evf_ring_counters.lat_count++;
}

uint64_t
evf_ring_latency_pct(double pct)
{
	uint64_t want = (uint64_t)((double)evf_ring_counters.lat_count * pct / 100.0), seen = 0;

	for (unsigned int b = 0; b < EVF_RING_LAT_BUCKETS; b++) {
		seen += evf_ring_counters.lat_hist[b];
		if (seen >= want && seen > 0)
			return latency_bucket_top(b);
	}
	return 0;
}

void
evf_ring_publish_stats(void)
{
	struct evf_ring_stats *s = evf_ring_stats(R.hdr);
	const struct evf_ring_counters *c = &evf_ring_counters;

#define PUBLISH(f, n, h) s->f = c->f;
	EVF_RING_COUNTERS_PUBLISHED(PUBLISH)
#undef PUBLISH
	for (int i = 0; i < (int)EVF_RING_STATS_REJECTS; i++) {
		const char *name = i < EVF_RING_REJ_MAX ? reject_names[i] : "";

		s->rejected[i] = i < EVF_RING_REJ_MAX ? c->rejected[i] : 0;
		/* rewritten whenever another process changed it */
		if (strncmp(s->rejected_names[i], name, sizeof(s->rejected_names[i])))
			snprintf(s->rejected_names[i], sizeof(s->rejected_names[i]), "%s", name);
	}
	s->lat_p50_ns = evf_ring_latency_pct(50);
	s->lat_p99_ns = evf_ring_latency_pct(99);
	s->generation = R.gen;
	s->syncing = R.syncing || R.hold_deadline;
	/* published after the batches below them were handled */
	s->handled_idx = R.cons[EVF_RING_ROUTES];
	s->manual_handled_idx = R.cons[EVF_RING_MANUAL];
	s->dump_epoch = R.dump_epoch;
	s->updated_ns = evf_ring_mono_ns();
}

void
evf_ring_print_status(FILE *out)
{
	static const char *const ring_names[EVF_RING_COUNT] = { "routes", "events", "manual" };
	const struct evf_ring_counters *c = &evf_ring_counters;

	if (!R.on) {
		fprintf(out, "Control ring: not configured (control-ring section).\n");
		return;
	}
	for (unsigned int r = 0; r < EVF_RING_COUNT; r++) {
		const struct evf_ring_idx *ix = &R.hdr->idx[r];
		uint64_t p = r == EVF_RING_EVENTS ? R.ev_prod : atomic_load(&ix->prod_idx);
		uint64_t cn = r == EVF_RING_EVENTS ? atomic_load(&ix->cons_idx) : R.cons[r];

		fprintf(out, "Ring %s %s: %u records, producer %lu, consumer %lu, queued %lu, epoch %lu\n",
			R.name, ring_names[r], R.desc[r].count,
			(unsigned long)p, (unsigned long)cn, (unsigned long)(p - cn),
			(unsigned long)atomic_load(r == EVF_RING_EVENTS ? &ix->cons_epoch :
						   &ix->prod_epoch));
	}
	fprintf(out, "Routes: generation %u%s%s\n", R.gen,
		R.syncing ? ", resync in progress" : "",
		R.hold_deadline ? ", hold timer running" : "");
	evf_counters_print(out, &evf_ring_counter_set);
	fprintf(out, "\nRejected:");
	for (int i = 0; i < EVF_RING_REJ_MAX; i++)
		fprintf(out, " %s %lu", reject_names[i], (unsigned long)c->rejected[i]);
	fprintf(out, "\nDumps: last epoch %#lx%s\n", (unsigned long)R.dump_epoch,
		R.dumping ? ", one running" : "");
	if (c->lat_count)
		fprintf(out, "Apply latency: p50 < %lu ns, p99 < %lu ns (%lu samples, %lu bad"
			" timestamps left out)\n",
			(unsigned long)evf_ring_latency_pct(50), (unsigned long)evf_ring_latency_pct(99),
			(unsigned long)c->lat_count, (unsigned long)c->lat_bad_ts);
}

void
evf_ring_view(struct evf_ring_view *v)
{
	memset(v, 0, sizeof(*v));
	v->on = R.on;
	if (!R.on)
		return;
	snprintf(v->name, sizeof(v->name), "%s", R.name);
	for (unsigned int r = 0; r < EVF_RING_COUNT; r++) {
		const struct evf_ring_idx *ix = &R.hdr->idx[r];

		v->ring[r].count = R.desc[r].count;
		v->ring[r].prod = r == EVF_RING_EVENTS ? R.ev_prod : atomic_load(&ix->prod_idx);
		v->ring[r].cons = r == EVF_RING_EVENTS ? atomic_load(&ix->cons_idx) : R.cons[r];
		v->ring[r].epoch = atomic_load(r == EVF_RING_EVENTS ? &ix->cons_epoch :
					       &ix->prod_epoch);
	}
	v->generation = R.gen;
	v->syncing = R.syncing;
	v->hold_running = R.hold_deadline != 0;
	v->dumping = R.dumping;
	v->dump_epoch = R.dump_epoch;
}
