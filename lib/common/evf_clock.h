/* evf_clock.h: evfwd's coarse clock, in seconds since start. The control
 * thread advances it (evf_clock_tick); workers and the control thread read
 * it (MAC "last seen" stamps, aging, event times). Any thread. */
#ifndef EVF_CLOCK_H
#define EVF_CLOCK_H

#include <stdint.h>

/** Seconds since start (1 at start, so that 0 can mean "never"). */
extern uint32_t evf_now_sec;

static inline uint32_t
evf_clock_sec(void)
{
	return __atomic_load_n(&evf_now_sec, __ATOMIC_RELAXED);
}

/** Set the clock (control thread; tests). */
static inline void
evf_clock_set(uint32_t sec)
{
	__atomic_store_n(&evf_now_sec, sec, __ATOMIC_RELAXED);
}

#endif /* EVF_CLOCK_H */
