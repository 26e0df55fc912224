/* fdb_pollers_ctl.c: the FDB's jobs in the control loop (control thread):
 * taking the learn events the workers queue on their channels, and aging
 * local MACs a slice of the table at a time. Registered with the control
 * thread by evf_fdb_register_pollers. */
#include <rte_cycles.h>

#include "evf_chan.h"
#include "evf_clock.h"
#include "evf_ctl.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"

#define LEARN_BATCH      256
#define AGE_PERIOD_MS    10     /* an aging step every 10 ms ... */
#define AGE_STEPS        100    /* ... covering 1/100 of the table: a full scan per second */

static uint64_t next_age_tsc;

static unsigned int
learn_poll(uint64_t now_tsc)
{
	struct evf_learn_ev ev[LEARN_BATCH];
	unsigned int total = 0;

	(void)now_tsc;
	for (unsigned int w = 0; w < evf_nb_chans; w++) {
		unsigned int n = rte_ring_sc_dequeue_burst_elem(evf_chans[w].learn, ev,
			sizeof(ev[0]), LEARN_BATCH, NULL);

		for (unsigned int i = 0; i < n; i++)
			evf_fdb_learn(&ev[i]);
		total += n;
	}
	return total;
}

static unsigned int
age_poll(uint64_t now_tsc)
{
	if (now_tsc < next_age_tsc)
		return 0;
	next_age_tsc = now_tsc + rte_get_tsc_hz() / 1000 * AGE_PERIOD_MS;
	return evf_fdb_age(evf_clock_sec(), evf_fdb.capacity / AGE_STEPS + 1);
}

int
evf_fdb_register_pollers(void)
{
	int rc = evf_ctl_register_poller("fdb-learn", learn_poll);

	next_age_tsc = 0;
	return rc < 0 ? rc : evf_ctl_register_poller("fdb-age", age_poll);
}
