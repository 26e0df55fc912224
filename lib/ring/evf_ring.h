/* evf_ring.h: evfwd's side of the control ring (control thread).
 *
 * evfwd creates the shared-memory object of evf_ring_abi.h, consumes the
 * routes and manual rings in batches from the control loop (validating every
 * field before the route API sees it), produces the events ring from the
 * control-plane event log (and a dump of its local state when a new control
 * plane asks), and handles producer restarts: a new producer epoch keeps all
 * state and opens a resync; routes not re-sent by SYNC-END (or by the hold
 * time, when no SYNC-END comes) are withdrawn. Manual routes are never swept.
 * Workers are never involved: they keep forwarding on the last good state
 * whatever the producer does. Files: ring_shm_ctl.c (object, header),
 * ring_consume_ctl.c (routes, manual, poller), ring_events_ctl.c (events,
 * dumps), ring_stats_ctl.c (stats block, show ring), ring_guard_ctl.c (an
 * object shrunk under evfwd), ring_codec.c (records), ring_client.c (the
 * other side, for evfwd-ctl and evfwd-gobgp). */
#ifndef EVF_RING_H
#define EVF_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct evf_cfg_ring; /* evf_cfg.h */
#include "evf_counters.h"
#include "evf_ring_abi.h"

/* X(enum suffix, name): why a record was not applied. */
#define EVF_RING_REJECTS(X) \
	X(TORN,        "torn-or-stale")    /* index or CRC mismatch */ \
	X(BAD_TYPE,    "bad-type") \
	X(BAD_OP,      "bad-op") \
	X(BAD_FLAGS,   "bad-flags") \
	X(BAD_AF,      "bad-address-family") \
	X(BAD_ALG,     "bad-df-alg")       /* retired: every DF type is accepted */ \
	X(RESERVED,    "reserved-not-zero") \
	X(BAD_VNI,     "bad-vni") \
	X(ROUTE,       "route-rejected")   /* valid record, refused by the route API */

enum evf_ring_reject {
#define EVF_RING_REJ_ENUM(e, n) EVF_RING_REJ_ ## e,
	EVF_RING_REJECTS(EVF_RING_REJ_ENUM)
#undef EVF_RING_REJ_ENUM
	EVF_RING_REJ_MAX
};

struct evf_route;
/* ---- record codec (ring_codec.c: no evfwd state, any thread or process) ---- */
/** Decode and check every field of a route record (type RT1..RT4): 0 with r
 *  filled, or -EINVAL with the reject reason in *why. The record's index/CRC
 *  are checked by the caller (evf_ring_rec_intact). */
int evf_ring_decode_route(const struct evf_ring_rec *rec, struct evf_route *r,
	enum evf_ring_reject *why);
/** Fill a record (not sealed) from a route. */
void evf_ring_encode_route(const struct evf_route *r, struct evf_ring_rec *rec);
/** Check a SYNC-BEGIN, SYNC-END or HEARTBEAT record: type and timestamp,
 *  everything else zero. 0, or -EINVAL with the reject reason in *why. */
int evf_ring_check_control(const struct evf_ring_rec *rec, enum evf_ring_reject *why);
/** One line of text for an events-ring record. */
int evf_ring_format_event(const struct evf_ring_rec *rec, char *buf, size_t len);

#define EVF_RING_LAT_SUB 8
#define EVF_RING_LAT_BUCKETS (EVF_RING_LAT_SUB * 40)

/* X(field, shown name, help): the control ring's counters. The first list is
 * also published, field for field, in the stats block of the object
 * (struct evf_ring_stats has a field of each name); the second stays in evfwd.
 * Both are shown by "show ring" and telemetry /evfwd/ring. */
#define EVF_RING_COUNTERS_PUBLISHED(X) \
	X(records,           "records",            "records read from the routes ring") \
	X(applied,           "applied",            "routes of the routes ring applied") \
	X(manual_records,    "manual records",     "records read from the manual ring") \
	X(manual_applied,    "manual applied",     "manual routes applied") \
	X(manual_rejected,   "manual rejected",    "manual records not applied") \
	X(epochs,            "producer restarts",  "new producer epochs seen") \
	X(syncs_begun,       "sync begin",         "SYNC-BEGIN records accepted") \
	X(syncs_ended,       "sync end",           "SYNC-END records accepted") \
	X(hold_expired,      "hold expiries",      "resyncs ended by the hold time") \
	X(swept,             "swept",              "routes withdrawn by resyncs") \
	X(heartbeats,        "heartbeats",         "HEARTBEAT records accepted") \
	X(producer_timeouts, "producer timeouts",  "times the producer was silent longer than producer-timeout") \
	X(bad_header,        "damaged header",     "polls that found the header damaged") \
	X(bad_index,         "bad indices",        "times a ring's indices were out of range") \
	X(events_out,        "events written",     "records written to the events ring") \
	X(events_lost,       "events lost",        "events dropped: events ring and backlog full") \
	X(dumps,             "dumps",              "state dumps started") \
	X(dump_records,      "dump records",       "records written by dumps") \
	X(replaced,          "objects replaced",   "objects shrunk under evfwd and replaced") \
	X(lat_bad_ts,        "bad timestamps",     "records whose ts_ns was not a time since the object's creation")
#define EVF_RING_COUNTERS_LOCAL(X) \
	X(events_backlog,     "events waiting",     "events waiting for room in the events ring now") \
	X(events_backlog_max, "events waiting most", "most events ever waiting") \
	X(replace_failures,   "replace failures",   "new objects that could not be created") \
	X(lat_count,          "latency samples",    "records that gave an apply-latency sample")

struct evf_ring_counters {
	EVF_RING_COUNTERS_PUBLISHED(EVF_COUNTER_FIELD)
	EVF_RING_COUNTERS_LOCAL(EVF_COUNTER_FIELD)
	uint64_t rejected[EVF_RING_REJ_MAX]; /**< by reason, routes and manual rings */
	/** Apply latency, log-linear: 8 buckets per power of two of ns. */
	uint64_t lat_hist[EVF_RING_LAT_BUCKETS];
};
extern struct evf_ring_counters evf_ring_counters;
extern const struct evf_counter_set evf_ring_counter_set;

/** Create the shared-memory object (main thread, start-up). */
int evf_ring_init(const struct evf_cfg_ring *cfg, char *err, size_t errlen);
void evf_ring_fini(void);
/** Same as evf_ring_init over caller memory instead of a shared-memory object
 *  (unit tests and fuzzers): mem must hold evf_ring_mem_size(cfg) bytes. */
int evf_ring_init_mem(const struct evf_cfg_ring *cfg, void *mem, char *err, size_t errlen);
size_t evf_ring_mem_size(const struct evf_cfg_ring *cfg);
bool evf_ring_enabled(void);
/** Control-loop poller: drain a batch of records, run timers. */
unsigned int evf_ring_poll(uint64_t now_tsc);
/** Status for the shell and evfwd-ctl (control thread). */
void evf_ring_print_status(FILE *out);

/** The state "show ring" prints, for other renderings (JSON, metrics). */
struct evf_ring_view {
	bool on;                          /**< a control-ring section is configured */
	char name[128];                   /**< the shared-memory object */
	struct {
		uint32_t count;               /**< records the ring holds */
		uint64_t prod, cons;          /**< producer and consumer index */
		uint64_t epoch;               /**< routes, manual: the producer's; events: the consumer's */
	} ring[EVF_RING_COUNT];           /**< EVF_RING_ROUTES, EVF_RING_EVENTS, EVF_RING_MANUAL */
	uint8_t generation;               /**< generation owning new routes (0: none yet) */
	bool syncing;                     /**< between SYNC-BEGIN and SYNC-END */
	bool hold_running;                /**< the hold timer runs */
	bool dumping;                     /**< a state dump is being written */
	uint64_t dump_epoch;              /**< the epoch the last dump answered */
};
/** Fill v (control thread). Counters stay in evf_ring_counters. */
void evf_ring_view(struct evf_ring_view *v);
const char *evf_ring_reject_name(int r);
/** Apply-latency percentile (0..100) in ns, from the histogram (upper bound). */
uint64_t evf_ring_latency_pct(double pct);

#endif /* EVF_RING_H */
