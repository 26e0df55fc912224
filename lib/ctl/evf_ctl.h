/* evf_ctl.h: the control thread.
 *
 * The single writer of every shared table. Its loop drains the workers' learn
 * rings, advances the clock workers stamp entries with, ages MACs, runs the
 * registered pollers (route feed, timers, LACP) and reclaims retired objects
 * after their RCU grace period. Other threads (the shell) that need to read or
 * change control state hand a function to evf_ctl_call(), which runs it on the
 * control thread and waits: control state is only ever touched by one thread. */
#ifndef EVF_CTL_H
#define EVF_CTL_H

#include <stdint.h>
#include <stdbool.h>

typedef int (*evf_ctl_fn)(void *arg);
/** A periodic job of the control loop; returns the amount of work done (0 = idle). */
typedef unsigned int (*evf_ctl_poller)(uint64_t now_tsc);

struct evf_ctl_counters {
	uint64_t loops;
	uint64_t learn_events;
	uint64_t calls;
	uint64_t reclaimed;
};
extern struct evf_ctl_counters evf_ctl_counters;

/** Register a poller before evf_ctl_start (main thread). */
int evf_ctl_register_poller(const char *name, evf_ctl_poller fn);
/** Start the control thread (main thread, after workers are set up). */
int evf_ctl_start(void);
/** Stop it and wait for it to exit. */
void evf_ctl_stop(void);
bool evf_ctl_running(void);
/** Run fn(arg) on the control thread and return its result. Runs inline when
 *  the thread is not running (start-up, shutdown, unit tests). */
int evf_ctl_call(evf_ctl_fn fn, void *arg);
/** One iteration of the control loop (the thread calls it; tests may too). */
unsigned int evf_ctl_poll_once(void);
/** No queued learn events in any worker ring. */
bool evf_ctl_queues_empty(void);

#endif /* EVF_CTL_H */
