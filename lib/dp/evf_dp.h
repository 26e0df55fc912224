/* evf_dp.h: worker lcores — the poll-mode data path.
 *
 * A worker polls its (port, queue) pairs, processes each burst to completion
 * (parse, classify, batched FDB lookups, learn, encap/decap, replicate) and
 * buffers output per egress port; buffers are flushed once per poll loop.
 * It owns its counters, its learn ring (producer side) and its TX queue on
 * every port. It never takes a lock, never allocates from the heap and never
 * writes a table shared with other threads. */
#ifndef EVF_DP_H
#define EVF_DP_H

#include <stdint.h>
#include <stdbool.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "evf_common.h"
#include "evf_stats.h"

#define EVF_TXBUF_SIZE     256   /**< per worker per port; flushed when full or each loop */
#define EVF_LEARN_CACHE    1024  /**< per-worker recently-reported MACs (power of two) */
#define EVF_MAX_RXQ_PER_WORKER 64
#define EVF_COPY_STASH     32    /**< mbufs a worker takes at once for flood copies */

struct evf_txbuf {
	uint16_t n;
	uint64_t bytes;                  /**< sum of pkt_len of the buffered packets */
	struct rte_mbuf *pkts[EVF_TXBUF_SIZE];
};

struct evf_rxq_ref {
	uint16_t port;
	uint16_t queue;
};

struct evf_learn_cache_slot {
	uint64_t key;     /**< bd << 48 | MAC */
	uint64_t tsc;     /**< when it was last reported */
};

struct evf_worker {
	uint16_t index;                  /**< 0..nb_workers-1: RCU thread id, TX queue, stats slot */
	unsigned int lcore;
	uint16_t txq;                    /**< TX queue id this worker uses on every port */
	uint16_t burst;
	uint32_t idle_sleep_us;
	uint16_t nb_rxq;
	struct evf_rxq_ref rxq[EVF_MAX_RXQ_PER_WORKER];
	/* this worker's channels to the control thread (evf_chan.h) */
	struct rte_ring *learn_ring;     /**< worker -> control: learn events */
	struct rte_ring *nd_ring;        /**< worker -> control: ARP/ND sender bindings */
	struct rte_ring *punt_ring;      /**< worker -> control: slow-protocol frames of LAG members */
	struct rte_ring *inject_ring;    /**< control -> worker: frames to send (LACPDUs), m->port set */
	struct rte_mempool *pool;
	struct evf_worker_stats *stats;
	uint32_t now;                    /**< evf_clock_sec() at the top of the loop */
	uint64_t tsc;                    /**< rte_rdtsc() at the top of the loop */
	uint64_t learn_holdoff_tsc;      /**< do not re-report a MAC within this many cycles */
	uint64_t tx_pending;             /**< bit per port with buffered packets */
	struct evf_txbuf tx[EVF_MAX_PORTS];
	uint16_t copy_n;                 /**< mbufs left in copy_stash */
	struct rte_mbuf *copy_stash[EVF_COPY_STASH]; /**< taken from pool in bulk (dp_copy.h) */
	struct evf_learn_cache_slot learn_cache[EVF_LEARN_CACHE];
} __rte_cache_aligned;

extern struct evf_worker *evf_workers;
extern unsigned int evf_nb_workers;

/** Allocate worker contexts (main thread, start-up). */
int evf_dp_init(unsigned int nb_workers, uint16_t burst, uint32_t idle_sleep_us,
	struct rte_mempool *pool);
void evf_dp_fini(void);
/** Ask every worker loop to return. */
void evf_dp_stop(void);
/** Lcore entry point; arg is the struct evf_worker. */
int evf_dp_worker_main(void *arg);

/** Process one received burst from port_id (any role). Output is buffered. */
void evf_dp_process(struct evf_worker *w, uint16_t port_id, struct rte_mbuf **pkts, uint16_t n);
/** Transmit everything buffered. */
void evf_dp_flush(struct evf_worker *w);
/** True when no worker has received anything for idle_ms, counting from since_tsc at the earliest. */
bool evf_dp_all_idle(uint64_t idle_ms, uint64_t since_tsc);

#endif /* EVF_DP_H */
