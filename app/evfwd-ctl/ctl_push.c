/* ctl_push.c: "evfwd-ctl push": routes from arguments or standard input, one
 * per line, into the routes ring. A line that does not parse is reported with
 * its number and nothing of it is written; a full ring makes us wait. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl_main.h"
#include "ctl_shm.h"
#include "evf_ring.h"
#include "evf_route.h"

static void
wait_ns(long ns)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ns };

	nanosleep(&ts, NULL);
}

/* Write one record, waiting while the ring is full. */
static void
produce(struct ctl_ring *r, struct evf_ring_rec *rec, struct ctl_push_stats *st)
{
	struct evf_ring_hdr *h = r->hdr;

	rec->ts_ns = ctl_mono_ns();
	while (evf_ring_produce(h, EVF_RING_ROUTES, rec) < 0) {
		/* full: evfwd reads it unless it is gone */
		if (++st->full_waits % 5000 == 0 && !ctl_evfwd_alive(r)) {
			fprintf(stderr, "evfwd-ctl: the ring is full and evfwd (pid %lu) is gone\n",
				(unsigned long)h->evfwd_pid);
			exit(3);
		}
		wait_ns(20000);
		rec->ts_ns = ctl_mono_ns();
	}
	atomic_store_explicit(&h->idx[EVF_RING_ROUTES].prod_heartbeat_ns, rec->ts_ns,
			      memory_order_relaxed);
	st->written++;
}

static int
control_record(const char *word, struct evf_ring_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	if (strcmp(word, "sync-begin") == 0)
		rec->type = EVF_REC_SYNC_BEGIN;
	else if (strcmp(word, "sync-end") == 0)
		rec->type = EVF_REC_SYNC_END;
	else if (strcmp(word, "heartbeat") == 0)
		rec->type = EVF_REC_HEARTBEAT;
	else
		return -1;
	return 0;
}

/* One line: 0 written (or blank), -1 rejected (message printed). */
int
ctl_push_line(struct ctl_ring *r, const char *line, const char *where, unsigned long lineno,
	      struct ctl_push_stats *st)
{
	struct evf_ring_rec rec;
	struct evf_route route;
	char word[32] = "", err[256];
	int rc;

	if (sscanf(line, " %31s", word) == 1 && control_record(word, &rec) == 0) {
		char extra[8];
		if (sscanf(line, " %*s %7s", extra) == 1 && extra[0] != '#') {
			fprintf(stderr, "%s:%lu: '%s' takes no arguments\n", where, lineno, word);
			st->rejected++;
			return -1;
		}
		produce(r, &rec, st);
		return 0;
	}
	rc = evf_route_parse_line(line, &route, err, sizeof(err));
	if (rc == 1)
		return 0; /* blank or comment */
	if (rc < 0) {
		fprintf(stderr, "%s:%lu: %s\n", where, lineno, err);
		st->rejected++;
		return -1;
	}
	evf_ring_encode_route(&route, &rec);
	produce(r, &rec, st);
	return 0;
}

int
ctl_push(struct ctl_ring *r, const struct ctl_opts *o, int argc, char **argv)
{
	struct ctl_push_stats st = { 0 };
	struct evf_ring_idx *ix = &r->hdr->idx[EVF_RING_ROUTES];
	int bad = 0;

	if (ctl_ring_lock(r, CTL_LOCK_PRODUCER, "producer") < 0)
		return 2;
	if (o->new_epoch) {
		/* A new producer instance: evfwd keeps its state and expects a resync. */
		uint64_t e = ctl_mono_ns() | 1;
		atomic_store_explicit(&ix->prod_epoch, e, memory_order_release);
	}
	if (argc > 0) {
		char line[1024] = "";
		size_t off = 0;

		for (int i = 0; i < argc && off < sizeof(line); i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", i ? " " : "",
						argv[i]);
		bad = ctl_push_line(r, line, "arguments", 1, &st) < 0;
	} else {
		char *line = NULL;
		size_t cap = 0;
		unsigned long lineno = 0;

		while (getline(&line, &cap, stdin) > 0) {
			lineno++;
			if (ctl_push_line(r, line, "stdin", lineno, &st) < 0)
				bad++;
		}
		free(line);
	}
	if (o->wait_applied &&
	    ctl_wait_handled(r, atomic_load_explicit(&ix->prod_idx, memory_order_relaxed),
			     10000) < 0)
		return 3;
	if (!o->quiet)
		fprintf(stderr, "evfwd-ctl: %lu record(s) written, %lu line(s) rejected,"
			" waited %lu time(s) on a full ring\n", st.written, st.rejected, st.full_waits);
	return bad ? 1 : 0;
}
