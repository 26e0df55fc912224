/* evf_runtime.h: applying a loaded configuration at start-up (main thread):
 * workers, mbuf pool, ports, MAC-VRFs, static remote state; and taking it all
 * down again. Unit tests and fuzzers build a whole runtime from a YAML string
 * with it and drive workers by hand (evf_dp_process) without launching them. */
#ifndef EVF_RUNTIME_H
#define EVF_RUNTIME_H

#include <rte_mempool.h>

#include "evf_cfg.h"

struct evf_runtime {
	struct rte_mempool *pool;
	unsigned int nb_workers;
	unsigned int lcores[EVF_MAX_WORKERS];
	uint64_t start_tsc;
};

extern struct evf_runtime evf_rt;

/** Memory (MB) the config needs with --no-huge, for the EAL "-m" default. */
unsigned int evf_bringup_mem_mb(const struct evf_cfg *cfg);
/** Everything up to started ports; workers and control thread not yet running. */
int evf_bringup(const struct evf_cfg *cfg, char *err, size_t errlen);
/** Launch workers and the control thread. */
int evf_bringup_launch(char *err, size_t errlen);
/** Stop workers and the control thread, then ports. */
void evf_bringup_stop(void);
/** Close ports and free everything (after evf_bringup_stop); a new
 *  evf_bringup may follow in the same process. */
void evf_bringup_teardown(void);
/** Forwarding has settled (main thread, while running): no worker received
 *  anything for idle_ms, no learn event is queued, and every worker and the
 *  control thread have run their loops since (a worker the OS has not
 *  scheduled is not idle). Waits up to 2 s for that proof. */
bool evf_runtime_settled(uint64_t idle_ms);

#endif /* EVF_RUNTIME_H */
