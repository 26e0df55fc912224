/* metrics.h: the OpenMetrics / Prometheus endpoint (the config's "metrics"
 * section; doc/operations.md). An HTTP server (libmicrohttpd) on a thread
 * of its own, never a worker's core: it answers GET /metrics with every
 * counter evfwd keeps, generated from the counter lists, and the state of
 * MAC-VRFs, segments and LAGs read on the control thread. Start and stop
 * from the main thread: after the workers and the control thread are
 * launched, before they stop. */
#ifndef EVF_METRICS_H
#define EVF_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct evf_cfg;

/** Bind and listen on cfg->metrics (nothing when the section is absent),
 *  before EAL like the control socket: a busy address stops evfwd before
 *  it touches a port. Connections wait in the backlog until
 *  evf_metrics_start. 0, or a negative errno with err set. */
int evf_metrics_open(const struct evf_cfg *cfg, char *err, size_t errlen);
/** Serve: start the server's thread (after the workers and the control
 *  thread are launched). 0 (also without a section), or -ENOMEM. */
int evf_metrics_start(char *err, size_t errlen);
/** Stop serving, wait for the server's thread, close every connection and
 *  the listening socket (before the control thread stops). */
void evf_metrics_stop(void);
/** The endpoint's address as http://ADDRESS:PORT/metrics, or NULL. */
const char *evf_metrics_url(void);
/** "show metrics": the endpoint, open connections and its counters (main thread). */
void evf_metrics_show(FILE *out);
/** Its JSON form (doc/shell.md). 0 or -ENOMEM. */
int evf_metrics_show_json(FILE *out, const char *unused);

#endif /* EVF_METRICS_H */
