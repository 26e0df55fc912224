/* dp_worker.c: worker set-up and the poll loop (worker lcores). */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dp_private.h"
#include "evf_chan.h"
#include "evf_rcu.h"

#define LEARN_HOLDOFF_MS  10
#define IDLE_LOOPS_BEFORE_SLEEP 64

struct evf_worker *evf_workers;
unsigned int evf_nb_workers;
static volatile bool stop_requested;

int
evf_dp_init(unsigned int nb_workers, uint16_t burst, uint32_t idle_sleep_us,
	    struct rte_mempool *pool)
{
	if (nb_workers == 0 || nb_workers > EVF_MAX_WORKERS || burst == 0 ||
	    burst > EVF_BURST_MAX || nb_workers > evf_nb_chans)
		return -EINVAL; /* the channels (evf_chan_init) come first */
	/* a fresh mbuf then has the full RTE_PKTMBUF_HEADROOM (flood copies) */
	if (pool == NULL || rte_pktmbuf_data_room_size(pool) <= RTE_PKTMBUF_HEADROOM)
		return -EINVAL;
	evf_workers = rte_zmalloc("evf_workers", sizeof(*evf_workers) * nb_workers,
		RTE_CACHE_LINE_SIZE);
	if (evf_workers == NULL)
		return -ENOMEM;
	evf_nb_workers = nb_workers;
	for (unsigned int i = 0; i < nb_workers; i++) {
		struct evf_worker *w = &evf_workers[i];

		w->index = (uint16_t)i;
		w->txq = (uint16_t)i;
		w->burst = burst;
		w->idle_sleep_us = idle_sleep_us;
		w->pool = pool;
		w->stats = &evf_worker_stats[i];
		w->learn_holdoff_tsc = rte_get_tsc_hz() / 1000 * LEARN_HOLDOFF_MS;
		w->learn_ring = evf_chans[i].learn;
		w->nd_ring = evf_chans[i].nd;
		w->punt_ring = evf_chans[i].punt;
		w->inject_ring = evf_chans[i].inject;
	}
	stop_requested = false;
	return 0;
}

/* Frames the control thread handed over: queued like any other output. */
static void
send_injected(struct evf_worker *w)
{
	struct rte_mbuf *pkts[16];
	unsigned int n = rte_ring_sc_dequeue_burst(w->inject_ring, (void **)pkts, 16, NULL);

	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (unlikely(m->port >= EVF_MAX_PORTS || !evf_ports[m->port].configured ||
			     !evf_port_is_up(&evf_ports[m->port]))) {
			w->stats->drops[EVF_DROP_PORT_DOWN]++;
			rte_pktmbuf_free(m);
			continue;
		}
		dp_tx_enqueue(w, &evf_ports[m->port], m);
	}
}

void
evf_dp_fini(void)
{
	rte_free(evf_workers);
	evf_workers = NULL;
	evf_nb_workers = 0;
}

void
evf_dp_stop(void)
{
	stop_requested = true;
}

void
evf_dp_process(struct evf_worker *w, uint16_t port_id, struct rte_mbuf **pkts, uint16_t n)
{
	const struct evf_port *p = &evf_ports[port_id];
	struct evf_port_counters *c = &w->stats->port[port_id];

	c->rx_pkts += n; /* bytes are counted by the handlers, which read pkt_len anyway */
	if (p->role == EVF_ROLE_NETWORK)
		dp_network_rx(w, p, pkts, n);
	else
		dp_access_rx(w, p, pkts, n);
}

int
evf_dp_worker_main(void *arg)
{
	struct evf_worker *w = arg;
	struct rte_mbuf *pkts[EVF_BURST_MAX];
	unsigned int idle_loops = 0;

	rte_rcu_qsbr_thread_register(evf_rcu, w->index);
	rte_rcu_qsbr_thread_online(evf_rcu, w->index);
	EVF_LOG(INFO, "worker %u running on lcore %u with %u RX queues",
		w->index, rte_lcore_id(), w->nb_rxq);

	while (likely(!stop_requested)) {
		uint32_t total = 0;

		w->tsc = rte_rdtsc();
		w->now = evf_clock_sec();
		for (uint16_t q = 0; q < w->nb_rxq; q++) {
			uint16_t port = w->rxq[q].port;
			uint16_t n;

			if (unlikely(!evf_port_is_up(&evf_ports[port])))
				continue;
			n = rte_eth_rx_burst(port, w->rxq[q].queue, pkts, w->burst);
			if (n == 0)
				continue;
			evf_dp_process(w, port, pkts, n);
			total += n;
		}
		if (unlikely(!rte_ring_empty(w->inject_ring)))
			send_injected(w);
		evf_dp_flush(w);
		rte_rcu_qsbr_quiescent(evf_rcu, w->index);
		w->stats->loops++;
		if (total) {
			uint64_t end = rte_rdtsc();
			w->stats->busy_cycles += end - w->tsc;
			w->stats->busy_pkts += total;
			__atomic_store_n(&w->stats->last_rx_tsc, end, __ATOMIC_RELAXED);
			idle_loops = 0;
		} else if (w->idle_sleep_us && ++idle_loops > IDLE_LOOPS_BEFORE_SLEEP) {
			rte_rcu_qsbr_thread_offline(evf_rcu, w->index);
			rte_delay_us_sleep(w->idle_sleep_us);
			rte_rcu_qsbr_thread_online(evf_rcu, w->index);
		}
	}
	evf_dp_flush(w);
	rte_rcu_qsbr_thread_offline(evf_rcu, w->index);
	rte_rcu_qsbr_thread_unregister(evf_rcu, w->index);
	return 0;
}

bool
evf_dp_all_idle(uint64_t idle_ms, uint64_t since_tsc)
{
	uint64_t now = rte_rdtsc();
	uint64_t limit = rte_get_tsc_hz() / 1000 * idle_ms;

	for (unsigned int i = 0; i < evf_nb_workers; i++) {
		uint64_t last = __atomic_load_n(&evf_workers[i].stats->last_rx_tsc, __ATOMIC_RELAXED);
		if (last < since_tsc)
			last = since_tsc;
		if (now - last < limit)
			return false;
	}
	return true;
}
