/* show_workers.c: per-worker loop/cycle counters and learning counters. */
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>

#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_learn.h"
#include "evf_port.h"
#include "evf_rcu.h"
#include "show.h"
#include "table.h"

void
evf_show_workers(FILE *out)
{
	static const char *const hdr[] = { "Worker", "Lcore", "RX queues", "Loops", "Packets",
		"Busy cycles/pkt", "Flood copies", "Learn events", "Learn ring full", NULL };
	struct evf_table *t = evf_table_new(hdr);

	for (unsigned int i = 0; i < evf_nb_workers; i++) {
		const struct evf_worker *w = &evf_workers[i];
		const struct evf_worker_stats *s = w->stats;
		char qs[256] = "";
		size_t off = 0;
		double cpp = s->busy_pkts ? (double)s->busy_cycles / (double)s->busy_pkts : 0;

		for (uint16_t q = 0; q < w->nb_rxq && off < sizeof(qs) - 1; q++)
			off += snprintf(qs + off, sizeof(qs) - off, "%s%s/%u", q ? "," : "",
				evf_ports[w->rxq[q].port].name, w->rxq[q].queue);
		evf_table_rowf(t, "%u\t%u\t%s\t%" PRIu64 "\t%" PRIu64 "\t%.1f\t%" PRIu64 "\t%" PRIu64
			"\t%" PRIu64, i, w->lcore, off ? qs : "-", s->loops, s->busy_pkts, cpp,
			s->flood_copies, s->learn_events, s->learn_ring_full);
	}
	evf_table_print(t, out);
	fprintf(out, "TSC: %" PRIu64 " Hz\n", rte_get_tsc_hz());
	evf_table_free(t);
}

int
evf_show_learning(FILE *out)
{
	const struct evf_learn_counters *c = &evf_learn_counters;

	fprintf(out, "Learning: events %" PRIu64 ", learned %" PRIu64 ", moved %" PRIu64
		", refreshed %" PRIu64 ", refused at MAC limit %" PRIu64 ", FDB full %" PRIu64
		", ignored %" PRIu64 ", aged %" PRIu64 ", synced from ES peers %" PRIu64
		", frozen %" PRIu64 "\n", c->events, c->learned, c->moved,
		c->refreshed, c->limit, c->full, c->ignored, c->aged, c->synced, c->frozen);
	fprintf(out, "Control thread: loops %" PRIu64 ", shell calls %" PRIu64
		", objects reclaimed %" PRIu64 ", awaiting grace period %u\n",
		evf_ctl_counters.loops, evf_ctl_counters.calls, evf_ctl_counters.reclaimed,
		evf_rcu_pending());
	return 0;
}
