/* evf_ring_client.h: the other side of evfwd's control ring, for processes
 * that are not evfwd (evfwd-ctl, evfwd-gobgp through cgo, tests).
 *
 * No DPDK: C11 and POSIX only. It maps the shared-memory object by name,
 * checks its header and descriptors before anything is read through them,
 * takes the role locks that keep one producer per ring and one events
 * consumer, and tells when the evfwd that created the object is gone or has
 * been replaced by a new one (a restarted evfwd creates a new object under
 * the same name), or shrunk by another process (a SIGBUS guard keeps the
 * caller alive, evf_ring_client_shrunk). Records are produced and consumed with the helpers of
 * evf_ring_abi.h. Every function returns 0 on success or a negative errno,
 * with a one-line reason in the caller's buffer where it takes one. */
#ifndef EVF_RING_CLIENT_H
#define EVF_RING_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "evf_ring_abi.h"

/* Role locks: fcntl write locks on one byte of the object each. */
enum evf_ring_role {
	EVF_RING_ROLE_PRODUCER = 0, /**< ring 0 (routes): the BGP adapter */
	EVF_RING_ROLE_WATCHER = 1,  /**< ring 1 (events): its one consumer */
	EVF_RING_ROLE_MANUAL = 2,   /**< ring 2 (manual): one operator tool at a time */
};

struct evf_ring_client {
	struct evf_ring_hdr *hdr;
	size_t size;
	int fd;
	dev_t dev;                  /**< the object mapped: a new one has another inode */
	ino_t ino;
	int guard;                  /**< SIGBUS guard slot of the mapping, -1: none */
	char name[128];
};

/** Map the object called name ("/evfwd") read-write and check its header:
 *  magic, ABI version (equal) and minor (any), sizes, and that every ring
 *  descriptor lies inside the object. */
int evf_ring_client_open(struct evf_ring_client *c, const char *name, char *err, size_t errlen);
void evf_ring_client_close(struct evf_ring_client *c);
/** Take a role lock. wait_ms 0: fail at once (-EBUSY) when another process
 *  holds it; else retry for up to wait_ms. */
int evf_ring_client_lock(struct evf_ring_client *c, enum evf_ring_role role, unsigned int wait_ms);
/** Is the evfwd process that created the object still running? */
bool evf_ring_client_evfwd_alive(const struct evf_ring_client *c);
/** Is the mapped object now smaller than when it was opened (another
 *  process truncated it)? evfwd then serves a new object: close this one and
 *  open again. The mapping is guarded: an access to the lost part does not
 *  raise SIGBUS but reads zeros (and makes this true), so a client checks
 *  this after its accesses before trusting what it read. */
int evf_ring_client_shrunk(const struct evf_ring_client *c);
/** Has the object been shrunk or replaced (another object under the name,
 *  or none) or its evfwd gone? 1 yes, 0 no. */
int evf_ring_client_stale(const struct evf_ring_client *c);
/** CLOCK_MONOTONIC in ns (the clock of ts_ns, heartbeats and the stats block). */
uint64_t evf_ring_client_now_ns(void);

/** Producer side of ring 0 or 2: publish one record (ts_ns set now, sealed),
 *  and store the producer heartbeat. -EAGAIN when the ring is full. */
int evf_ring_client_produce(struct evf_ring_client *c, unsigned int ring, struct evf_ring_rec *rec);
/** Start a new producer instance on ring 0: store a new non-zero epoch
 *  (evfwd opens a resync of the routes ring and dumps its local state on the
 *  events ring, answering this epoch). Returns the epoch. */
uint64_t evf_ring_client_new_epoch(struct evf_ring_client *c);
/** The events consumer asks for a dump of local state: it stores epoch (0: a
 *  new one) as its consumer epoch. A process that is also the producer stores
 *  its producer epoch here too, so that evfwd dumps once for both. Returns
 *  the epoch. */
uint64_t evf_ring_client_request_dump(struct evf_ring_client *c, uint64_t epoch);
/** Store the producer heartbeat of a ring without writing a record. */
void evf_ring_client_heartbeat(struct evf_ring_client *c, unsigned int ring);
/** Index evfwd has handled every record below, on ring 0 or 2. */
uint64_t evf_ring_client_handled(const struct evf_ring_client *c, unsigned int ring);
/** Next index the producer will publish on a ring. */
uint64_t evf_ring_client_prod_idx(const struct evf_ring_client *c, unsigned int ring);
/** Wait until evfwd has handled every record below target on ring 0 or 2.
 *  -ESRCH when evfwd is gone, -ETIMEDOUT when it made no progress for
 *  timeout_ms (err says which and how many records are left). */
int evf_ring_client_wait_handled(struct evf_ring_client *c, unsigned int ring, uint64_t target,
	unsigned int timeout_ms, char *err, size_t errlen);

/** Consumer side of ring 1: copy out up to max events and release them.
 *  Returns how many (0: none), -ERANGE when the indices are out of range.
 *  Each copy must still pass evf_ring_rec_intact(&out[i], *first + i). */
int evf_ring_client_consume(struct evf_ring_client *c, struct evf_ring_rec *out, unsigned int max,
	uint64_t *first);

#endif /* EVF_RING_CLIENT_H */
