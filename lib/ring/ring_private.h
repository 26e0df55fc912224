/* ring_private.h: evfwd's state of the control ring, shared by the files of
 * lib/ring that run on the control thread (shm, consume, events, stats).
 * Nothing outside lib/ring includes it. */
#ifndef EVF_RING_PRIVATE_H
#define EVF_RING_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_events.h"
#include "evf_ring.h"

#define RING_MAX_BATCH 4096
/* Events waiting for room in the events ring (a slow control plane): held in
 * order, written as the consumer frees slots; only past this are they lost. */
#define RING_EVENT_BACKLOG 65536
/* Dump records written per poll at most, whatever room the ring has. */
#define RING_DUMP_STEP 4096

struct ring_state {
	bool on;
	bool external;             /* memory given by evf_ring_init_mem */
	char name[128];
	struct evf_ring_hdr *hdr;
	size_t size;
	uint64_t created_ns;       /* CLOCK_MONOTONIC when the object was created */
	/* Set by the SIGBUS handler (ring_guard_ctl.c): the object was shrunk
	 * under evfwd, hdr now maps private zero pages; the next poll serves a
	 * new object. */
	volatile int lost;
	int fd;                    /* the object's descriptor: its size is watched */
	uint64_t next_size_check;  /* tsc */
	uint64_t next_replace_tsc; /* a failed replacement is retried then */
	uint32_t batch;
	uint64_t hold_tsc;
	/* evfwd's own copy of the layout and of the indices it owns: nothing
	 * another process writes into the object can move them */
	struct evf_ring_desc desc[EVF_RING_COUNT];
	uint64_t total_size;
	uint64_t cons[EVF_RING_COUNT];   /* consumer index of the routes and manual rings */
	uint64_t ev_prod;                /* producer index of the events ring */
	/* routes ring producer */
	uint64_t epoch;            /* producer epoch last seen */
	bool have_epoch;
	uint8_t gen;               /* generation owning new routes; 0 = none yet */
	bool syncing;              /* between SYNC-BEGIN and SYNC-END */
	uint64_t hold_deadline;    /* tsc: sweep if no SYNC-END by then, 0 = off */
	uint64_t producer_timeout_tsc; /* 0: off */
	uint64_t last_alive_tsc;   /* last record or heartbeat seen */
	uint64_t last_prod_hb_ns;  /* prod_heartbeat_ns as last read */
	bool producer_silent;      /* timed out, not heard from since */
	uint64_t next_stats;       /* tsc of the next stats refresh when idle */
	struct evf_ring_rec buf[RING_MAX_BATCH];
	/* events: FIFO of records not yet written */
	uint32_t backlog_head, backlog_len;
	struct evf_ring_rec backlog[RING_EVENT_BACKLOG];
	/* state dump */
	bool dumping;
	bool dump_begun;           /* DUMP_BEGIN written */
	bool dump_parts_done;      /* every source done: DUMP_END next */
	uint32_t dump_ahead;       /* backlog records older than the dump */
	uint64_t dump_epoch;       /* epoch the running (or last) dump answers */
	uint64_t dump_seq;         /* last event number the dump reflects (both markers) */
	uint64_t ev_cons_epoch;    /* events ring consumer epoch last seen */
	struct evf_dump_pos dump_pos;
};
extern struct ring_state evf_ring_st;

/* ring_shm_ctl.c */
bool evf_ring_header_intact(void);
void evf_ring_layout(struct evf_ring_hdr *h, size_t size);
struct evf_ring_hdr *evf_ring_object_create(const char *name, size_t size, int *fdp,
					    char *err, size_t errlen);

/* ring_guard_ctl.c */
void evf_ring_guard_install(void);
/** The object was lost (shrunk under evfwd): serve a new one. */
void evf_ring_replace(uint64_t now_tsc);
/** Every 100 ms: has the object been shrunk, though evfwd has not touched
 *  the lost part yet? Marks it lost then. */
void evf_ring_check_size(uint64_t now_tsc);
/** Forget the positions of the events ring and any dump (a new object). */
void evf_ring_events_reset(void);
struct evf_ring_rec *evf_ring_slot_of(unsigned int ring, uint64_t idx);
uint64_t evf_ring_mono_ns(void);

/* ring_events_ctl.c */
void evf_ring_events_start(void);
void evf_ring_events_stop(void);
/** A consumer asked for a dump answering epoch (once per epoch value). */
void evf_ring_dump_request(uint64_t epoch);
/** Write held events and dump records while the events ring has room. */
unsigned int evf_ring_events_flush(void);

/* ring_stats_ctl.c */
void evf_ring_publish_stats(void);
void evf_ring_record_latency(uint64_t ts_ns, uint64_t now_ns);

#endif /* EVF_RING_PRIVATE_H */
