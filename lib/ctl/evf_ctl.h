/* evf_ctl.h: the control thread.
 *
 * The single writer of every shared table. Its loop advances the clock
 * (evf_clock.h), runs the pollers the features register (the FDB's learning
 * and aging, segment timers, the control ring, LACP), serves calls from other
 * threads and reclaims retired objects after their RCU grace period. It knows
 * no feature: features come to it. The channels to the workers are in
 * evf_chan.h. Other threads (the shell) that need to read or
 * change control state hand a function to evf_ctl_call(), which runs it on the
 * control thread and waits: control state is only ever touched by one thread. */
#ifndef EVF_CTL_H
#define EVF_CTL_H

#include <stdint.h>
#include <stdbool.h>

#include "evf_counters.h"

typedef int (*evf_ctl_fn)(void *arg);
/** A periodic job of the control loop; returns the amount of work done (0 = idle). */
typedef unsigned int (*evf_ctl_poller)(uint64_t now_tsc);

/* X(field, shown name, help): the control thread's counters. */
#define EVF_CTL_COUNTERS(X) \
	X(loops,     "loops",             "iterations of the control loop") \
	X(calls,     "shell calls",       "functions other threads ran on the control thread") \
	X(reclaimed, "objects reclaimed", "objects freed after their RCU grace period")

struct evf_ctl_counters {
	EVF_CTL_COUNTERS(EVF_COUNTER_FIELD)
};
extern struct evf_ctl_counters evf_ctl_counters;
extern const struct evf_counter_set evf_ctl_counter_set;

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

#endif /* EVF_CTL_H */
