/* ctl_thread.c: the control thread's loop and the cross-thread call mailbox. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "evf_clock.h"
#include "evf_common.h"
#include "evf_ctl.h"
#include "evf_rcu.h"

#define IDLE_SLEEP_US    200
#define MAX_POLLERS      16

struct evf_ctl_counters evf_ctl_counters;
#define CTL_DESC(f, n, h) EVF_COUNTER_DESC_OF(evf_ctl_counters, f, n, h)
static const struct evf_counter_desc ctl_desc[] = { EVF_CTL_COUNTERS(CTL_DESC) };
const struct evf_counter_set evf_ctl_counter_set = {
	"Control thread", "control", ctl_desc, RTE_DIM(ctl_desc), &evf_ctl_counters,
};

static struct {
	const char *name;
	evf_ctl_poller fn;
} pollers[MAX_POLLERS];
static unsigned int nb_pollers;

static pthread_t thread;
static volatile bool running;
static volatile bool stop_flag;
static uint64_t start_tsc;

/* Mailbox: one call at a time, callers serialized by call_lock. */
static pthread_mutex_t call_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mb_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mb_cond = PTHREAD_COND_INITIALIZER;
static evf_ctl_fn mb_fn;
static void *mb_arg;
static int mb_result;
static int mb_state; /* 0 empty, 1 posted, 2 done */

int
evf_ctl_register_poller(const char *name, evf_ctl_poller fn)
{
	for (unsigned int i = 0; i < nb_pollers; i++)
		if (pollers[i].fn == fn)
			return 0; /* already registered (a runtime brought up again) */
	if (nb_pollers == MAX_POLLERS)
		return -ENOSPC;
	pollers[nb_pollers].name = name;
	pollers[nb_pollers].fn = fn;
	nb_pollers++;
	return 0;
}

static unsigned int
serve_mailbox(void)
{
	if (__atomic_load_n(&mb_state, __ATOMIC_ACQUIRE) != 1)
		return 0;
	pthread_mutex_lock(&mb_lock);
	mb_result = mb_fn(mb_arg);
	mb_state = 2;
	evf_ctl_counters.calls++;
	pthread_cond_broadcast(&mb_cond);
	pthread_mutex_unlock(&mb_lock);
	return 1;
}

unsigned int
evf_ctl_poll_once(void)
{
	uint64_t now_tsc = rte_rdtsc();
	uint32_t now;
	unsigned int work = 0;

	if (unlikely(start_tsc == 0))
		start_tsc = now_tsc;
	now = (uint32_t)(1 + (now_tsc - start_tsc) / rte_get_tsc_hz());
	if (now != evf_clock_sec())
		evf_clock_set(now);
	for (unsigned int i = 0; i < nb_pollers; i++)
		work += pollers[i].fn(now_tsc);
	work += serve_mailbox();
	evf_ctl_counters.reclaimed += evf_rcu_reclaim();
	evf_ctl_counters.loops++;
	return work;
}

static void *
ctl_main(void *arg)
{
	(void)arg;
	while (!stop_flag) {
		if (evf_ctl_poll_once() == 0)
			usleep(IDLE_SLEEP_US);
	}
	/* Answer a caller that posted just before the stop. */
	serve_mailbox();
	return NULL;
}

int
evf_ctl_start(void)
{
	int rc;

	if (start_tsc == 0)
		start_tsc = rte_rdtsc();
	stop_flag = false;
	rc = rte_ctrl_thread_create(&thread, "evf-ctl", NULL, ctl_main, NULL);
	if (rc != 0)
		return -rc;
	running = true;
	return 0;
}

void
evf_ctl_stop(void)
{
	if (!running)
		return;
	stop_flag = true;
	pthread_join(thread, NULL);
	running = false;
}

bool
evf_ctl_running(void)
{
	return running;
}

int
evf_ctl_call(evf_ctl_fn fn, void *arg)
{
	int rc;

	if (!running || pthread_equal(pthread_self(), thread))
		return fn(arg);
	pthread_mutex_lock(&call_lock);
	pthread_mutex_lock(&mb_lock);
	mb_fn = fn;
	mb_arg = arg;
	__atomic_store_n(&mb_state, 1, __ATOMIC_RELEASE);
	while (mb_state != 2 && running)
		pthread_cond_wait(&mb_cond, &mb_lock);
	rc = mb_state == 2 ? mb_result : -ESHUTDOWN;
	mb_state = 0;
	pthread_mutex_unlock(&mb_lock);
	pthread_mutex_unlock(&call_lock);
	return rc;
}
