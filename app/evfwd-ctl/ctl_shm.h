/* ctl_shm.h: evfwd-ctl's attachment to evfwd's control ring object. */
#ifndef EVF_CTL_SHM_H
#define EVF_CTL_SHM_H

#include <stddef.h>

#include "evf_ring_abi.h"

struct ctl_ring {
	struct evf_ring_hdr *hdr;
	size_t size;
	int fd;
};

/* Byte-range locks on the object: one producer and one event consumer at a time. */
#define CTL_LOCK_PRODUCER 0
#define CTL_LOCK_WATCHER  1

/** Map the ring named name (e.g. "/evfwd") and check its header.
 *  Returns 0, or -1 after printing why on stderr. */
int ctl_ring_open(const char *name, struct ctl_ring *r);
/** Take a role lock; -1 (message printed) when another process holds it. */
int ctl_ring_lock(struct ctl_ring *r, int which, const char *what);
void ctl_ring_close(struct ctl_ring *r);
uint64_t ctl_mono_ns(void);
/** Is the evfwd that owns the ring still running (its pid in the header)? */
int ctl_evfwd_alive(const struct ctl_ring *r);
/** Wait until evfwd has handled (applied or rejected) every routes record
 *  below index target. -1 (message printed) when evfwd is gone or makes no
 *  progress for timeout_ms. */
int ctl_wait_handled(struct ctl_ring *r, uint64_t target, unsigned long timeout_ms);

#endif /* EVF_CTL_SHM_H */
