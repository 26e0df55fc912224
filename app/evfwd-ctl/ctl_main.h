/* ctl_main.h: evfwd-ctl's commands (push, watch, status). */
#ifndef EVF_CTL_MAIN_H
#define EVF_CTL_MAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_addr.h"

struct ctl_ring;

struct ctl_opts {
	const char *ring;        /**< --ring NAME, default /evfwd */
	bool new_epoch;          /**< push --new-epoch */
	bool wait_applied;       /**< push --wait */
	bool quiet;
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

int ctl_push(struct ctl_ring *r, const struct ctl_opts *o, int argc, char **argv);
int ctl_push_line(struct ctl_ring *r, const char *line, const char *where, unsigned long lineno,
	struct ctl_push_stats *st);
int ctl_watch(struct ctl_ring *r, const struct ctl_opts *o);
int ctl_status(struct ctl_ring *r);
int ctl_bench_rt2(struct ctl_ring *r, const struct ctl_opts *o);

#endif /* EVF_CTL_MAIN_H */
