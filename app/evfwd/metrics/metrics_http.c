/* metrics_http.c: the metrics endpoint's HTTP server (libmicrohttpd).
 * evf_metrics_open binds on the main thread before EAL; evf_metrics_start
 * runs libmicrohttpd with one internal thread (epoll) that accepts, reads
 * requests, answers GET /metrics (metrics_scrape.c) and polices
 * connections: at most max-connections open, and a connection that has
 * sent no whole request within request-timeout is cut as soon as a new
 * client needs its place (a slowloris client that dribbles bytes keeps an
 * idle timer alive, not its place). Everything but open/start/stop runs on
 * that one thread, so the connection table needs no lock; the main thread
 * only reads counters. The thread inherits the main thread's CPU set: it
 * never runs on a worker's core. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "evf_cfg.h"
#include "metrics.h"
#include "metrics_private.h"

struct metrics_state evf_metrics_st;

#define M_DESC(f, n, h) EVF_COUNTER_DESC_OF(metrics_counters, f, n, h)
static const struct evf_counter_desc metrics_desc[] = { EVF_METRICS_HTTP_COUNTERS(M_DESC) };
const struct evf_counter_set evf_metrics_counter_set = {
	"Metrics endpoint", "metrics_http", metrics_desc,
	sizeof(metrics_desc) / sizeof(metrics_desc[0]), &evf_metrics_st.cnt,
};

static int listen_fd = -1;
static struct MHD_Daemon *daemon_h;

uint64_t
metrics_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- connection policing (the server's thread) ---- */

static uint32_t
conn_slots(void)
{
	return evf_metrics_st.max_conns * 2;
}

static void
set_open(uint32_t n)
{
	__atomic_store_n(&evf_metrics_st.open, n, __ATOMIC_RELAXED);
}

/* Cut every connection that has waited longer than request-timeout for a
 * whole request, or for its answer to go out; returns those still open. */
static uint32_t
sweep(uint64_t now)
{
	uint64_t limit = (uint64_t)evf_metrics_st.timeout_s * 1000;
	uint32_t open = 0;

	for (uint32_t i = 0; i < conn_slots(); i++) {
		struct metrics_conn *c = &evf_metrics_st.conns[i];

		if (!c->used || c->doomed)
			continue;
		if (now - c->since_ms > limit) {
			/* libmicrohttpd sees the end of the stream and closes it itself */
			shutdown(c->fd, SHUT_RDWR);
			c->doomed = true;
			METRICS_COUNT(cut);
			continue;
		}
		open++;
	}
	set_open(open);
	return open;
}

static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)cls; (void)addr; (void)addrlen;

	if (sweep(metrics_now_ms()) >= evf_metrics_st.max_conns) {
		METRICS_COUNT(refused);
		return MHD_NO;
	}
	return MHD_YES;
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
	      enum MHD_ConnectionNotificationCode code)
{
	struct metrics_conn *c = *socket_context;
	(void)cls;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (c != NULL) {
			if (c->requests == 0)
				METRICS_COUNT(no_request);
			if (!c->doomed)
				set_open(evf_metrics_st.open - 1);
			memset(c, 0, sizeof(*c));
			*socket_context = NULL;
		}
		return;
	}
	for (uint32_t i = 0; i < conn_slots(); i++) {
		const union MHD_ConnectionInfo *ci;

		c = &evf_metrics_st.conns[i];
		if (c->used)
			continue;
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci == NULL)
			return;
		c->used = true;
		c->fd = ci->connect_fd;
		c->since_ms = metrics_now_ms();
		*socket_context = c;
		set_open(evf_metrics_st.open + 1);
		METRICS_COUNT(connections);
		return;
	}
	/* no slot: cannot happen while libmicrohttpd's limit is the table's size */
	METRICS_COUNT(refused);
}

static struct metrics_conn *
conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct metrics_conn *c = conn_of(conn);
	(void)cls; (void)req_cls; (void)toe;

	if (c != NULL) {
		c->in_request = false;
		c->since_ms = metrics_now_ms(); /* waits for its next request from now */
	}
}

/* ---- requests ---- */

static enum MHD_Result
answer(struct MHD_Connection *conn, unsigned int status, const char *type, char *body,
       size_t len, bool allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;

	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
answer_text(struct MHD_Connection *conn, unsigned int status, const char *text, bool allow)
{
	char *body = strdup(text);

	if (body == NULL)
		return MHD_NO;
	return answer(conn, status, "text/plain; charset=utf-8", body, strlen(body), allow);
}

/* OpenMetrics when the client accepts it (Prometheus asks for it first),
 * else the Prometheus text format. */
static bool
wants_openmetrics(struct MHD_Connection *conn)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT);

	return accept != NULL && strstr(accept, "application/openmetrics-text") != NULL;
}

static enum MHD_Result
scrape(struct MHD_Connection *conn)
{
	bool om = wants_openmetrics(conn);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = f != NULL ? metrics_scrape(f, om) : -ENOMEM;

	if (f != NULL && fclose(f) != 0)
		rc = -ENOMEM;
	if (rc < 0) {
		free(buf);
		METRICS_COUNT(errors);
		return answer_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", false);
	}
	METRICS_COUNT(scrapes);
	return answer(conn, MHD_HTTP_OK, om ?
		      "application/openmetrics-text; version=1.0.0; charset=utf-8" :
		      "text/plain; version=0.0.4; charset=utf-8", buf, len, false);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
	struct metrics_conn *c = conn_of(conn);
	(void)cls; (void)version; (void)upload; (void)upload_size; (void)req_cls;

	if (c != NULL && !c->in_request) {
		c->in_request = true;
		c->requests++;
		c->since_ms = metrics_now_ms(); /* its answer must go out within the timeout */
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		METRICS_COUNT(bad_method);
		return answer_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n", true);
	}
	if (strcmp(url, "/metrics") == 0)
		return scrape(conn);
	if (strcmp(url, "/") == 0)
		return answer_text(conn, MHD_HTTP_OK, "evfwd: metrics at /metrics\n", false);
	METRICS_COUNT(not_found);
	return answer_text(conn, MHD_HTTP_NOT_FOUND, "not found: metrics are at /metrics\n", false);
}

/* ---- open, start, stop (main thread) ---- */

int
evf_metrics_open(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	const struct evf_cfg_metrics *m = &cfg->metrics;
	struct metrics_state *st = &evf_metrics_st;
	struct sockaddr_storage ss;
	socklen_t sl;
	char ip[EVF_IP_STRLEN];
	int one = 1, e;

	if (!m->enabled)
		return 0;
	memset(st, 0, sizeof(*st));
	snprintf(st->node, sizeof(st->node), "%s", cfg->node.name);
	st->addr = m->addr;
	st->port = m->port;
	st->max_conns = m->max_connections;
	st->timeout_s = m->request_timeout;
	evf_ip_fmt(&m->addr, ip, sizeof(ip));
	snprintf(st->url, sizeof(st->url), m->addr.family == AF_INET6 ?
		 "http://[%s]:%u/metrics" : "http://%s:%u/metrics", ip, m->port);
	memset(&ss, 0, sizeof(ss));
	if (m->addr.family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(m->port);
		memcpy(&a->sin6_addr, m->addr.v6, 16);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(m->port);
		a->sin_addr.s_addr = m->addr.v4;
		sl = sizeof(*a);
	}
	listen_fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (listen_fd < 0) {
		e = errno;
		snprintf(err, errlen, "metrics %s:%u: socket: %s", ip, m->port, strerror(e));
		return -e;
	}
	setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (m->addr.family == AF_INET6)
		setsockopt(listen_fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(listen_fd, (struct sockaddr *)&ss, sl) < 0 || listen(listen_fd, 128) < 0) {
		e = errno;
		snprintf(err, errlen, "metrics listen %s%s%s:%u: %s%s", m->addr.family == AF_INET6 ?
			 "[" : "", ip, m->addr.family == AF_INET6 ? "]" : "", m->port, strerror(e),
			 e == EADDRINUSE ? " (another evfwd or exporter? set metrics.listen)" : "");
		close(listen_fd);
		listen_fd = -1;
		return -e;
	}
	st->on = true;
	return 0;
}

int
evf_metrics_start(char *err, size_t errlen)
{
	struct metrics_state *st = &evf_metrics_st;

	if (!st->on || daemon_h != NULL)
		return 0;
	st->conns = calloc(conn_slots(), sizeof(*st->conns));
	if (st->conns == NULL) {
		snprintf(err, errlen, "metrics: out of memory");
		return -ENOMEM;
	}
	daemon_h = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
				    (st->addr.family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, on_accept, NULL, on_request, NULL,
		MHD_OPTION_LISTEN_SOCKET, listen_fd,
		MHD_OPTION_CONNECTION_LIMIT, conn_slots(),
		MHD_OPTION_CONNECTION_TIMEOUT, st->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	if (daemon_h == NULL) {
		snprintf(err, errlen, "metrics %s: libmicrohttpd could not start", st->url);
		free(st->conns);
		st->conns = NULL;
		return -ENOMEM;
	}
	listen_fd = -1; /* libmicrohttpd's now: it closes it at stop */
	return 0;
}

void
evf_metrics_stop(void)
{
	struct metrics_state *st = &evf_metrics_st;

	if (daemon_h != NULL) {
		MHD_stop_daemon(daemon_h);
		daemon_h = NULL;
	}
	if (listen_fd >= 0) {
		close(listen_fd);
		listen_fd = -1;
	}
	metrics_state_release();
	free(st->conns);
	st->conns = NULL;
	set_open(0);
	st->on = false;
}

const char *
evf_metrics_url(void)
{
	return evf_metrics_st.on ? evf_metrics_st.url : NULL;
}
