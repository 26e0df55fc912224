/* evf_chan.h: the channels between each worker and the control thread.
 *
 * Per worker: a learn ring (worker -> control, fixed-size events: the FDB's
 * struct evf_learn_ev), an nd ring (worker -> control: ARP/ND sender
 * bindings, lib/nd's struct evf_nd_event), a punt ring (worker -> control: slow-protocol frames
 * of LAG members) and an inject ring (control -> worker: frames to send on
 * m->port, such as LACPDUs). All single-producer/single-consumer. The
 * control thread owns them; the features that use them (fdb drains the learn
 * rings, lag the punt rings and feeds the inject rings) and the workers (dp)
 * see only rings, so no feature needs another to talk to the workers.
 * Created and freed by the main thread; used by workers and the control
 * thread. */
#ifndef EVF_CHAN_H
#define EVF_CHAN_H

#include <stdbool.h>
#include <stddef.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "evf_common.h"

struct evf_chan {
	struct rte_ring *learn;
	struct rte_ring *nd;
	struct rte_ring *punt;
	struct rte_ring *inject;
};
extern struct evf_chan evf_chans[EVF_MAX_WORKERS];
extern unsigned int evf_nb_chans;

/** Create the channels of nb_workers workers; learn and nd events are
 *  learn_elem_size and nd_elem_size bytes (multiples of 4). 0 or -errno. */
int evf_chan_init(unsigned int nb_workers, size_t learn_elem_size, size_t nd_elem_size);
/** No learn or nd event waiting on any worker's rings. */
bool evf_chan_events_empty(void);
/** Free the frames still queued on punt and inject rings (workers and the
 *  control thread stopped). */
void evf_chan_drain(void);
void evf_chan_fini(void);
/** No learn event waiting on any worker's ring. */
bool evf_chan_learn_empty(void);
/** Hand a frame to worker w for transmission on m->port (control thread).
 *  0, or -ENOBUFS (ring full or no such worker; the caller still owns m). */
int evf_chan_inject(unsigned int w, struct rte_mbuf *m);

#endif /* EVF_CHAN_H */
