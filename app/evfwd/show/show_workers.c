/* show_workers.c: per-worker counters ("show workers") and the learning and
 * control-thread counters ("show learning"), generated from their lists. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_fdb_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_rcu.h"
#include "show.h"
#include "table.h"

/* Columns: who the worker is, then every worker counter (EVF_WORKER_COUNTERS,
 * shown names with a capital), then busy cycles per packet. */
void
evf_show_workers(FILE *out)
{
	enum { FIXED = 3, MAXC = 24 };
	const char *hdr[MAXC + 1];
	char names[MAXC][32];
	struct evf_counter_set set;
	struct evf_table *t;
	unsigned int nh = 0;

	evf_worker_counter_set(&set, "Workers", NULL, NULL);
	hdr[nh++] = "Worker";
	hdr[nh++] = "Lcore";
	hdr[nh++] = "RX queues";
	for (unsigned int i = 0; i < set.n && nh < MAXC - 1; i++) {
		snprintf(names[nh], sizeof(names[nh]), "%s", set.desc[i].name);
		names[nh][0] = (char)toupper((unsigned char)names[nh][0]);
		hdr[nh] = names[nh];
		nh++;
	}
	hdr[nh++] = "Busy cycles/pkt";
	hdr[nh] = NULL;
	t = evf_table_new(hdr);
	for (unsigned int i = 0; i < evf_nb_workers; i++) {
		const struct evf_worker *w = &evf_workers[i];
		const struct evf_worker_stats *s = w->stats;
		char cells[MAXC][32], qs[256] = "";
		const char *row[MAXC + 1];
		size_t off = 0;
		unsigned int k = 0;

		evf_worker_counter_set(&set, "Worker", s, NULL);
		for (uint16_t q = 0; q < w->nb_rxq && off < sizeof(qs) - 1; q++)
			off += snprintf(qs + off, sizeof(qs) - off, "%s%s/%u", q ? "," : "",
				evf_ports[w->rxq[q].port].name, w->rxq[q].queue);
		snprintf(cells[k], sizeof(cells[k]), "%u", i);
		row[k] = cells[k];
		k++;
		snprintf(cells[k], sizeof(cells[k]), "%u", w->lcore);
		row[k] = cells[k];
		k++;
		row[k++] = off ? qs : "-";
		for (unsigned int c = 0; c < set.n && k < MAXC - 1; c++, k++) {
			snprintf(cells[k], sizeof(cells[k]), "%" PRIu64, evf_counter_value(&set, c));
			row[k] = cells[k];
		}
		snprintf(cells[k], sizeof(cells[k]), "%.1f", s->busy_pkts ?
			(double)s->busy_cycles / (double)s->busy_pkts : 0.0);
		row[k] = cells[k];
		k++;
		row[k] = NULL;
		evf_table_row(t, row);
	}
	evf_table_print(t, out);
	fprintf(out, "TSC: %" PRIu64 " Hz\n", rte_get_tsc_hz());
	evf_table_free(t);
}

int
evf_show_learning(FILE *out)
{
	evf_counters_print(out, &evf_learn_counter_set);
	fputc('\n', out);
	evf_counters_print(out, &evf_ctl_counter_set);
	fprintf(out, ", awaiting grace period %u\n", evf_rcu_pending());
	return 0;
}
