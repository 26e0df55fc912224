/* ctl_push.c: "evfwd-ctl push": routes from arguments or standard input, one
 * per line, into the manual ring (operator routes, never swept), or with
 * --producer into the routes ring as its resyncing producer. A line that does
 * not parse is reported with its number and nothing of it is written; a full
 * ring makes us wait. With --wait, a manual push waits for evfwd's answer to
 * each route and reports a rejected one with its line and reason
 * (ctl_verdict.c); a producer's push waits once, for all of them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl_main.h"
#include "evf_ring.h"
#include "evf_route.h"

int
ctl_lock(struct evf_ring_client *r, enum evf_ring_role role)
{
	static const char *const what[] = { "producer", "watcher", "manual producer" };
	/* manual pushes from several shells wait for each other a little */
	int rc = evf_ring_client_lock(r, role, role == EVF_RING_ROLE_MANUAL ? 10000 : 0);

	if (rc == 0)
		return 0;
	if (rc == -EBUSY)
		fprintf(stderr, "evfwd-ctl: another %s is attached to this ring (single %s only)%s\n",
			what[role], what[role], role == EVF_RING_ROLE_PRODUCER ?
			"; an operator's routes go to the manual ring: push without --producer" : "");
	else
		fprintf(stderr, "evfwd-ctl: cannot lock the ring: %s\n", strerror(-rc));
	return -1;
}

void
ctl_produce(struct evf_ring_client *r, unsigned int ring, struct evf_ring_rec *rec,
	    struct ctl_push_stats *st, long nap_ns)
{
	while (evf_ring_client_produce(r, ring, rec) < 0) {
		struct timespec ts = { .tv_sec = 0, .tv_nsec = nap_ns };

		/* full: evfwd reads it unless it is gone */
		if (++st->full_waits % 5000 == 0 && !evf_ring_client_evfwd_alive(r)) {
			fprintf(stderr, "evfwd-ctl: the ring is full and evfwd (pid %lu) is gone\n",
				(unsigned long)r->hdr->evfwd_pid);
			exit(3);
		}
		nanosleep(&ts, NULL);
	}
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

/* One line: 0 written (or blank), -1 rejected (message printed). v: wait
 * for evfwd's answer (manual --wait), else NULL. */
static int
push_line(struct evf_ring_client *r, unsigned int ring, const char *line, const char *where,
	  unsigned long lineno, struct ctl_push_stats *st, struct ctl_verdict *v)
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
		if (ring != EVF_RING_ROUTES) {
			fprintf(stderr, "%s:%lu: '%s' is for the routes ring's producer (--producer);"
				" manual routes are never resynchronised\n", where, lineno, word);
			st->rejected++;
			return -1;
		}
		ctl_produce(r, ring, &rec, st, 20000);
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
	ctl_produce(r, ring, &rec, st, 20000);
	if (v != NULL) {
		char why[32];

		rc = ctl_verdict_wait(r, v, why, sizeof(why), err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "%s:%lu: %s\n", where, lineno, err);
			exit(3);
		}
		if (rc == 0) {
			fprintf(stderr, "%s:%lu: rejected by evfwd%s%s%s\n", where, lineno,
				why[0] ? " (" : "", why, why[0] ? ")" : "");
			st->rejected++;
			return -1;
		}
	}
	return 0;
}

int
ctl_push(struct evf_ring_client *r, const struct ctl_opts *o, int argc, char **argv)
{
	unsigned int ring = o->producer ? EVF_RING_ROUTES : EVF_RING_MANUAL;
	struct ctl_push_stats st = { 0 };
	struct ctl_verdict verdict, *v = NULL;
	char err[256];
	int bad = 0;

	if (ctl_lock(r, o->producer ? EVF_RING_ROLE_PRODUCER : EVF_RING_ROLE_MANUAL) < 0)
		return 2;
	if (o->new_epoch) /* a new producer instance: evfwd keeps its state and expects a resync */
		evf_ring_client_new_epoch(r);
	if (o->wait_applied && ring == EVF_RING_MANUAL) {
		/* the manual ring is ours alone now: evfwd's answer, route by route */
		evf_ring_client_wait_handled(r, ring, evf_ring_client_prod_idx(r, ring), 10000,
					     err, sizeof(err));
		ctl_verdict_settle(r);
		ctl_verdict_snap(r, &verdict);
		v = &verdict;
	}
	if (argc > 0) {
		char line[1024] = "";
		size_t off = 0;

		for (int i = 0; i < argc && off < sizeof(line); i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", i ? " " : "",
						argv[i]);
		bad = push_line(r, ring, line, "arguments", 1, &st, v) < 0;
	} else {
		char *line = NULL;
		size_t cap = 0;
		unsigned long lineno = 0;

		while (getline(&line, &cap, stdin) > 0) {
			lineno++;
			if (push_line(r, ring, line, "stdin", lineno, &st, v) < 0)
				bad++;
		}
		free(line);
	}
	if (o->wait_applied &&
	    evf_ring_client_wait_handled(r, ring, evf_ring_client_prod_idx(r, ring), 10000,
					 err, sizeof(err)) < 0) {
		fprintf(stderr, "evfwd-ctl: %s\n", err);
		return 3;
	}
	if (!o->quiet)
		fprintf(stderr, "evfwd-ctl: %lu record(s) written, %lu line(s) rejected,"
			" waited %lu time(s) on a full ring\n", st.written, st.rejected, st.full_waits);
	return bad ? 1 : 0;
}
