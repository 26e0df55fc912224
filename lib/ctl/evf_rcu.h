/* evf_rcu.h: how control-thread writers retire objects that workers may still read.
 *
 * Readers: worker lcores. Each worker registers with the QSBR variable as
 * thread id = its worker index and reports a quiescent state once per poll
 * loop; while stopped or sleeping it is offline.
 * Writer: the control thread only (or the main thread before workers start).
 * It builds a new object, publishes it with a release store, then hands the
 * old one to evf_rcu_defer(); the free callback runs only after every worker
 * has passed a quiescent state since, so no worker can hold the old pointer.
 * The defer queue is private to the writer: no locks anywhere. */
#ifndef EVF_RCU_H
#define EVF_RCU_H

#include <rte_rcu_qsbr.h>

typedef void (*evf_rcu_free_fn)(void *arg1, uint64_t arg2);

extern struct rte_rcu_qsbr *evf_rcu;

/** Create the QSBR variable for nb_workers readers (main thread, start-up). */
int evf_rcu_init(unsigned int nb_workers);
/** Queue fn(arg1, arg2) to run after a grace period (writer thread). */
void evf_rcu_defer(evf_rcu_free_fn fn, void *arg1, uint64_t arg2);
/** Run the callbacks whose grace period has passed; returns how many ran. */
unsigned int evf_rcu_reclaim(void);
/** Wait for a grace period and run every pending callback. */
void evf_rcu_drain(void);
/** Callbacks still waiting. */
unsigned int evf_rcu_pending(void);
void evf_rcu_fini(void);

#endif /* EVF_RCU_H */
