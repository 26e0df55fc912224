/* ctl_watch.c: "evfwd-ctl watch": print evfwd's events (events ring), one per line. */
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "ctl_main.h"
#include "ctl_shm.h"
#include "evf_ring.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
ctl_watch(struct ctl_ring *r, const struct ctl_opts *o)
{
	struct evf_ring_rec recs[64];
	unsigned long printed = 0;
	uint64_t start = ctl_mono_ns();

	if (ctl_ring_lock(r, CTL_LOCK_WATCHER, "watcher") < 0)
		return 2;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop) {
		uint64_t first;
		int n = evf_ring_consume(r->hdr, EVF_RING_EVENTS, recs, 64, &first);

		if (n < 0) {
			fprintf(stderr, "evfwd-ctl: events ring indices out of range\n");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			char line[256];

			if (!evf_ring_rec_intact(&recs[i], first + (uint64_t)i)) {
				printf("damaged-record index %lu\n", (unsigned long)(first + (uint64_t)i));
				continue;
			}
			evf_ring_format_event(&recs[i], line, sizeof(line));
			printf("%lu %s\n", (unsigned long)recs[i].ev_seq, line);
			if (o->count && ++printed >= o->count) {
				fflush(stdout);
				return 0;
			}
		}
		fflush(stdout);
		if (o->timeout_ms && ctl_mono_ns() - start > o->timeout_ms * 1000000ull)
			return o->count ? 1 : 0;
		if (n == 0) {
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
		}
	}
	return 0;
}
