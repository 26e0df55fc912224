/* ctl_watch.c: "evfwd-ctl watch": print evfwd's events (events ring), one per
 * line; with --dump, first ask evfwd for a dump of its whole local state. */
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "ctl_main.h"
#include "evf_ring.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
ctl_watch(struct evf_ring_client *r, const struct ctl_opts *o)
{
	struct evf_ring_rec recs[64];
	unsigned long printed = 0;
	uint64_t start = evf_ring_client_now_ns();

	if (ctl_lock(r, EVF_RING_ROLE_WATCHER) < 0)
		return 2;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (o->dump)
		evf_ring_client_request_dump(r, 0);
	while (!stop) {
		uint64_t first;
		int n = evf_ring_client_consume(r, recs, 64, &first);

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
		if (o->timeout_ms && evf_ring_client_now_ns() - start > o->timeout_ms * 1000000ull)
			return o->count ? 1 : 0;
		if (n == 0) {
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
		}
	}
	return 0;
}
