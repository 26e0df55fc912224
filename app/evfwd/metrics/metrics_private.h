/* metrics_private.h: what the files of app/evfwd/metrics share. The server
 * (metrics_http.c) and the scrape (metrics_scrape.c, metrics_state.c) run
 * on the server's one thread; the state part of a scrape is built on the
 * control thread through evf_ctl_call. The main thread starts and stops
 * the server and reads the counters (relaxed loads) for "show metrics". */
#ifndef EVF_METRICS_PRIVATE_H
#define EVF_METRICS_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "evf_addr.h"
#include "evf_counters.h"
#include "metrics_set.h"

/* X(field, shown name, help): the endpoint's own counters ("show metrics",
 * and evfwd_metrics_http_* in the scrape). */
#define EVF_METRICS_HTTP_COUNTERS(X) \
	X(connections, "connections",  "connections accepted") \
	X(refused,     "refused",      "connections refused: max-connections open, none of them idle past request-timeout") \
	X(cut,         "cut",          "connections closed by evfwd: no whole request within request-timeout") \
	X(no_request,  "no request",   "connections that ended without a whole request (garbage, slow or idle clients)") \
	X(scrapes,     "scrapes",      "GET /metrics answered") \
	X(not_found,   "not found",    "requests for another path than /metrics (404)") \
	X(bad_method,  "bad method",   "requests with another method than GET or HEAD (405)") \
	X(errors,      "errors",       "scrapes that could not be built (out of memory): 500")

struct metrics_counters {
	EVF_METRICS_HTTP_COUNTERS(EVF_COUNTER_FIELD)
};

/** One open connection the server polices. */
struct metrics_conn {
	bool used;
	bool doomed;          /**< shut down by evfwd, closing */
	bool in_request;      /**< its request's answer is being sent */
	int fd;
	uint64_t since_ms;    /**< connected, or last answer completed */
	uint64_t requests;
};

struct metrics_state {
	bool on;
	char node[32];
	struct evf_ip addr;
	uint16_t port;
	char url[96];
	uint32_t max_conns;
	uint32_t timeout_s;
	struct metrics_conn *conns;   /**< max_conns * 2 slots (the server's thread) */
	uint32_t open;                /**< connections open and not doomed (relaxed reads) */
	struct metrics_counters cnt;  /**< written by the server's thread, relaxed */
};

extern struct metrics_state evf_metrics_st;
extern const struct evf_counter_set evf_metrics_counter_set;

/** Count one event (the server's thread). */
#define METRICS_COUNT(field) \
	__atomic_fetch_add(&evf_metrics_st.cnt.field, 1, __ATOMIC_RELAXED)

/** CLOCK_MONOTONIC in ms. */
uint64_t metrics_now_ms(void);

/** One whole scrape into out. 0, or -ENOMEM / -EIO. */
int metrics_scrape(FILE *out, bool openmetrics);
/** The families read from counters any thread may read: ports, drops,
 *  workers, learning, control thread, control ring, control socket, the
 *  endpoint itself, XDP (metrics_scrape.c). */
int metrics_counter_families(struct evf_mset *s);
/** The families of control state (MAC-VRFs, FDB, VTEPs, segments and DF,
 *  LAGs and LACP, routes, events, the ring's state), built on the control
 *  thread at most once per METRICS_STATE_MIN_MS; the set is the caller's
 *  until the next call (metrics_state.c). NULL when it cannot be built. */
const struct evf_mset *metrics_state_families(void);
/** Free the cached state set (at stop). */
void metrics_state_release(void);

#define METRICS_STATE_MIN_MS 200

#endif /* EVF_METRICS_PRIVATE_H */
