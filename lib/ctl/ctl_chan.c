/* ctl_chan.c: creating, draining and freeing the worker <-> control thread
 * channels (evf_chan.h); main thread, except evf_chan_inject (control
 * thread). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evf_chan.h"

#define LEARN_RING_SIZE   8192
#define ND_RING_SIZE      1024
#define PUNT_RING_SIZE    256
#define INJECT_RING_SIZE  256

struct evf_chan evf_chans[EVF_MAX_WORKERS];
unsigned int evf_nb_chans;
static unsigned int generation; /* ring names stay unique across re-inits (tests) */

int
evf_chan_init(unsigned int nb_workers, size_t learn_elem_size, size_t nd_elem_size)
{
	if (nb_workers == 0 || nb_workers > EVF_MAX_WORKERS || learn_elem_size % 4 ||
	    nd_elem_size % 4)
		return -EINVAL;
	evf_chan_fini();
	generation++;
	for (unsigned int i = 0; i < nb_workers; i++) {
		struct evf_chan *c = &evf_chans[i];
		char name[RTE_RING_NAMESIZE];

		evf_nb_chans = i + 1;
		snprintf(name, sizeof(name), "evf_learn%u_%u", generation, i);
		c->learn = rte_ring_create_elem(name, (unsigned int)learn_elem_size,
			LEARN_RING_SIZE, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "evf_nd%u_%u", generation, i);
		c->nd = rte_ring_create_elem(name, (unsigned int)nd_elem_size, ND_RING_SIZE,
			SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "evf_punt%u_%u", generation, i);
		c->punt = rte_ring_create(name, PUNT_RING_SIZE, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "evf_inj%u_%u", generation, i);
		c->inject = rte_ring_create(name, INJECT_RING_SIZE, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (c->learn == NULL || c->nd == NULL || c->punt == NULL || c->inject == NULL) {
			evf_chan_fini();
			return -ENOMEM;
		}
	}
	return 0;
}

static void
free_frames(struct rte_ring *r)
{
	void *m;

	while (r != NULL && rte_ring_dequeue(r, &m) == 0)
		rte_pktmbuf_free(m);
}

void
evf_chan_drain(void)
{
	for (unsigned int i = 0; i < evf_nb_chans; i++) {
		free_frames(evf_chans[i].punt);
		free_frames(evf_chans[i].inject);
	}
}

void
evf_chan_fini(void)
{
	evf_chan_drain();
	for (unsigned int i = 0; i < evf_nb_chans; i++) {
		rte_ring_free(evf_chans[i].learn);
		rte_ring_free(evf_chans[i].nd);
		rte_ring_free(evf_chans[i].punt);
		rte_ring_free(evf_chans[i].inject);
	}
	memset(evf_chans, 0, sizeof(evf_chans));
	evf_nb_chans = 0;
}

bool
evf_chan_learn_empty(void)
{
	for (unsigned int i = 0; i < evf_nb_chans; i++)
		if (rte_ring_count(evf_chans[i].learn) != 0)
			return false;
	return true;
}

bool
evf_chan_events_empty(void)
{
	for (unsigned int i = 0; i < evf_nb_chans; i++)
		if (rte_ring_count(evf_chans[i].learn) != 0 || rte_ring_count(evf_chans[i].nd) != 0)
			return false;
	return true;
}

int
evf_chan_inject(unsigned int w, struct rte_mbuf *m)
{
	if (w >= evf_nb_chans || rte_ring_sp_enqueue(evf_chans[w].inject, m) != 0)
		return -ENOBUFS;
	return 0;
}
