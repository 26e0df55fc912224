/* ctl_main.h: evfwd-ctl's commands (push, watch, status, bench-rt2). */
#ifndef EVF_CTL_MAIN_H
#define EVF_CTL_MAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_addr.h"
#include "evf_ring_client.h"

struct ctl_opts {
	const char *ring;        /**< --ring NAME, default /evfwd */
	bool producer;           /**< push --producer: the routes ring (resyncing producer) */
	bool new_epoch;          /**< push --new-epoch (with --producer) */
	bool wait_applied;       /**< push --wait */
	bool quiet;
	bool dump;               /**< watch --dump: ask evfwd for a dump of its state */
	unsigned long count;     /**< watch --count N (0: forever) */
	unsigned long timeout_ms;/**< watch --timeout MS (0: none) */
	/* bench-rt2 */
	uint32_t vni;            /**< --vni N */
	struct evf_ip vtep;      /**< --vtep IP */
	struct evf_esi esi;      /**< --esi ESI (default none) */
	bool withdraw;           /**< --withdraw */
	unsigned long rate;      /**< --rate N records/s (0: as fast as possible) */
};

struct ctl_push_stats {
	unsigned long written, rejected, full_waits;
};

/** evfwd's counters that answer for the manual ring (ctl_verdict.c). */
struct ctl_verdict {
	uint64_t applied, rejected;
	uint64_t by_reason[EVF_RING_STATS_REJECTS];
};
/** Wait (at most 1 s) for evfwd to publish its counters once more. */
void ctl_verdict_settle(const struct evf_ring_client *r);
void ctl_verdict_snap(const struct evf_ring_client *r, struct ctl_verdict *v);
/** After one more manual record: wait until evfwd handled it. Returns 1
 *  applied, 0 rejected (why: the reason's name, or "" when it cannot be
 *  told), -1 when evfwd is gone or silent for 10 s (err). */
int ctl_verdict_wait(struct evf_ring_client *r, struct ctl_verdict *v, char *why, size_t len,
	char *err, size_t errlen);

/** Write one record into ring, waiting while it is full; exits with code 3
 *  when the ring stays full because evfwd is gone. */
void ctl_produce(struct evf_ring_client *r, unsigned int ring, struct evf_ring_rec *rec,
	struct ctl_push_stats *st, long nap_ns);
int ctl_push(struct evf_ring_client *r, const struct ctl_opts *o, int argc, char **argv);
int ctl_watch(struct evf_ring_client *r, const struct ctl_opts *o);
int ctl_status(struct evf_ring_client *r);
int ctl_bench_rt2(struct evf_ring_client *r, const struct ctl_opts *o);
/** Take a role lock, or print why not (-1). */
int ctl_lock(struct evf_ring_client *r, enum evf_ring_role role);

#endif /* EVF_CTL_MAIN_H */
