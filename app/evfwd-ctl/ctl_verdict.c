/* ctl_verdict.c: "evfwd-ctl push --wait" to the manual ring: evfwd's answer
 * to each route, line by line (evfwd-ctl, one thread).
 *
 * While evfwd-ctl holds the manual producer lock, the manual ring carries its
 * records only, so every record evfwd handles moves manual_applied or
 * manual_rejected (its published counters) by exactly one. The reason is the
 * rejected[] counter that moved with it; the routes ring shares those, so
 * when a producer's rejections move others at the same moment the answer is
 * "rejected" without a reason. evfwd refreshes rejected[] before the manual
 * counters, so seeing the latter move means the former are current. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl_main.h"

static uint64_t
load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

void
ctl_verdict_settle(const struct evf_ring_client *r)
{
	const struct evf_ring_stats *s = evf_ring_stats(r->hdr);
	struct timespec nap = { .tv_sec = 0, .tv_nsec = 1000000 };
	uint64_t u = load(&s->updated_ns);

	/* the refresh that published handled_idx may still be writing the
	 * counters below it: wait for the next one (every 100 ms when idle) */
	for (int i = 0; i < 1000 && load(&s->updated_ns) == u; i++)
		nanosleep(&nap, NULL);
}

void
ctl_verdict_snap(const struct evf_ring_client *r, struct ctl_verdict *v)
{
	const struct evf_ring_stats *s = evf_ring_stats(r->hdr);

	v->applied = load(&s->manual_applied);
	v->rejected = load(&s->manual_rejected);
	for (unsigned int i = 0; i < EVF_RING_STATS_REJECTS; i++)
		v->by_reason[i] = load(&s->rejected[i]);
}

/* The reason whose counter moved by one, alone; "" when it cannot be told. */
static void
reason_of(const struct evf_ring_client *r, const struct ctl_verdict *before,
	  const struct ctl_verdict *after, char *why, size_t len)
{
	const struct evf_ring_stats *s = evf_ring_stats(r->hdr);
	int found = -1;

	why[0] = '\0';
	for (unsigned int i = 0; i < EVF_RING_STATS_REJECTS; i++) {
		if (after->by_reason[i] == before->by_reason[i])
			continue;
		if (found >= 0 || after->by_reason[i] != before->by_reason[i] + 1)
			return;
		found = (int)i;
	}
	if (found < 0)
		return;
	/* a name in the object: printable ASCII only */
	for (size_t k = 0; k + 1 < len && k < sizeof(s->rejected_names[0]); k++) {
		char c = s->rejected_names[found][k];

		if (c == '\0') {
			why[k] = '\0';
			return;
		}
		why[k] = c >= 0x21 && c <= 0x7e ? c : '?';
		why[k + 1] = '\0';
	}
}

int
ctl_verdict_wait(struct evf_ring_client *r, struct ctl_verdict *v, char *why, size_t len,
		 char *err, size_t errlen)
{
	struct timespec nap = { .tv_sec = 0, .tv_nsec = 200000 };
	uint64_t start = evf_ring_client_now_ns();
	struct ctl_verdict now;
	int applied;

	for (;;) {
		ctl_verdict_snap(r, &now);
		if (now.applied + now.rejected > v->applied + v->rejected)
			break;
		if (!evf_ring_client_evfwd_alive(r)) {
			snprintf(err, errlen, "evfwd (pid %lu) is gone before it handled the route",
				 (unsigned long)r->hdr->evfwd_pid);
			return -1;
		}
		if (evf_ring_client_now_ns() - start > 10000000000ull) {
			snprintf(err, errlen, "evfwd did not handle the route within 10 s");
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	applied = now.applied > v->applied;
	why[0] = '\0';
	if (!applied)
		reason_of(r, v, &now, why, len);
	*v = now;
	return applied;
}
