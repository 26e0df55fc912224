/* rcu_defer_ctl.c: the writer's deferred-free queue on top of rte_rcu_qsbr
 * (control thread; see evf_rcu.h for the reader/writer contract). */
#include <errno.h>
#include <stdlib.h>

#include <rte_malloc.h>

#include "evf_common.h"
#include "evf_rcu.h"

#define DEFER_SIZE (1u << 18) /* power of two */

struct defer_item {
	uint64_t token;
	evf_rcu_free_fn fn;
	void *arg1;
	uint64_t arg2;
};

struct rte_rcu_qsbr *evf_rcu;
static struct defer_item *queue;
static uint32_t head, tail;  /* items in [tail, head) */
static uint32_t unstamped;   /* items in [unstamped, head) have no token yet */

int
evf_rcu_init(unsigned int nb_workers)
{
	size_t sz = rte_rcu_qsbr_get_memsize(nb_workers ? nb_workers : 1);

	evf_rcu = rte_zmalloc("evf_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (evf_rcu == NULL)
		return -ENOMEM;
	if (rte_rcu_qsbr_init(evf_rcu, nb_workers ? nb_workers : 1) != 0)
		return -EINVAL;
	queue = calloc(DEFER_SIZE, sizeof(*queue));
	if (queue == NULL)
		return -ENOMEM;
	head = tail = unstamped = 0;
	return 0;
}

unsigned int
evf_rcu_pending(void)
{
	return head - tail;
}

/* Take the oldest item off the queue, then run it: its callback may retire
 * more objects (evf_rcu_defer), which wait for a grace period of their own. */
static void
run_oldest(void)
{
	struct defer_item it = queue[tail & (DEFER_SIZE - 1)];

	tail++;
	it.fn(it.arg1, it.arg2);
}

/* One token for every object retired since the last stamp: they were all
 * unreachable before this call, so a grace period after it covers them all. */
static void
stamp_pending(void)
{
	if (unstamped == head)
		return;
	uint64_t token = rte_rcu_qsbr_start(evf_rcu);
	for (; unstamped != head; unstamped++)
		queue[unstamped & (DEFER_SIZE - 1)].token = token;
}

unsigned int
evf_rcu_reclaim(void)
{
	unsigned int n = 0;
	uint32_t end;

	stamp_pending();
	end = unstamped; /* items a callback retires now are stamped next time */
	while ((int32_t)(end - tail) > 0) {
		if (rte_rcu_qsbr_check(evf_rcu, queue[tail & (DEFER_SIZE - 1)].token, false) != 1)
			break;
		run_oldest();
		n++;
	}
	return n;
}

void
evf_rcu_drain(void)
{
	/* callbacks may retire more objects: each round has its own grace period */
	while (tail != head) {
		uint32_t end = head;

		unstamped = head;
		rte_rcu_qsbr_synchronize(evf_rcu, RTE_QSBR_THRID_INVALID);
		/* (a callback that finds the queue full drains it: tail may pass end) */
		while ((int32_t)(end - tail) > 0)
			run_oldest();
	}
}

void
evf_rcu_defer(evf_rcu_free_fn fn, void *arg1, uint64_t arg2)
{
	struct defer_item *it;

	if (head - tail == DEFER_SIZE) {
		/* Queue full: wait for one grace period; everything queued is then free. */
		evf_rcu_drain();
	}
	it = &queue[head & (DEFER_SIZE - 1)];
	it->token = 0; /* stamped by the next evf_rcu_reclaim() */
	it->fn = fn;
	it->arg1 = arg1;
	it->arg2 = arg2;
	head++;
}

void
evf_rcu_fini(void)
{
	evf_rcu_drain();
	free(queue);
	queue = NULL;
	rte_free(evf_rcu);
	evf_rcu = NULL;
}
