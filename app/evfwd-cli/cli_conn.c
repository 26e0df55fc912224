/* cli_conn.c: evfwd-cli's side of the control socket (evf_ctlsock_proto.h;
 * evfwd-cli has one thread):
 * connect, read the greeting, send a line, read its reply line by line.
 * Every wait is a poll() with the reply's deadline; SIGINT (the interrupt
 * flag) ends a wait too. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* a reply line longer than this is a broken server, not output */
#define CLI_LINE_LIMIT (64u << 20)

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
conn_error(struct cli_reply *r, const char *fmt, const char *arg)
{
	r->code = -1;
	snprintf(r->error, sizeof(r->error), fmt, arg);
	return -1;
}

/* Wait for ev on the socket until deadline (-1: none). */
static int
wait_fd(struct cli_conn *c, short ev, int64_t deadline, struct cli_reply *r)
{
	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = ev };
		int t = -1, rc;

		if (c->interrupt != NULL && *c->interrupt)
			return conn_error(r, "%s", "interrupted");
		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0) {
				char s[32];

				snprintf(s, sizeof(s), "%d", c->timeout_ms / 1000);
				return conn_error(r, "no reply from evfwd within %s s", s);
			}
			t = left > 1000 ? 1000 : (int)left;
		} else if (c->interrupt != NULL) {
			t = 1000;
		}
		rc = poll(&p, 1, t);
		if (rc < 0 && errno != EINTR)
			return conn_error(r, "poll: %s", strerror(errno));
		if (rc > 0)
			return 0;
	}
}

/* The next line of the reply, NUL-terminated in place, without its "\n". */
static int
read_line(struct cli_conn *c, char **line, size_t *len, int64_t deadline, struct cli_reply *r)
{
	for (;;) {
		char *nl = c->len > c->off ? memchr(c->buf + c->off, '\n', c->len - c->off) : NULL;
		ssize_t n;

		if (nl != NULL) {
			*line = c->buf + c->off;
			*len = (size_t)(nl - *line);
			*nl = '\0';
			c->off += *len + 1;
			return 0;
		}
		if (c->off > 0) { /* keep the unfinished line at the start */
			memmove(c->buf, c->buf + c->off, c->len - c->off);
			c->len -= c->off;
			c->off = 0;
		}
		if (c->len == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 65536;
			char *b;

			if (cap > CLI_LINE_LIMIT)
				return conn_error(r, "%s", "a reply line from evfwd is too long");
			b = realloc(c->buf, cap);
			if (b == NULL)
				return conn_error(r, "%s", "out of memory");
			c->buf = b;
			c->cap = cap;
		}
		if (wait_fd(c, POLLIN, deadline, r) < 0)
			return -1;
		n = read(c->fd, c->buf + c->len, c->cap - c->len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return conn_error(r, "read: %s", strerror(errno));
		if (n == 0)
			return conn_error(r, "%s", c->len > 0 ? "evfwd closed the connection in the"
				" middle of a line" : "evfwd closed the connection");
		c->len += (size_t)n;
	}
}

/* Read one reply: tagged lines to fn, then "= CODE WORDS". */
static int
read_reply(struct cli_conn *c, cli_line_fn fn, void *arg, struct cli_reply *r)
{
	int64_t deadline = c->timeout_ms >= 0 ? now_ms() + c->timeout_ms : -1;

	for (;;) {
		char *line;
		size_t len;

		if (read_line(c, &line, &len, deadline, r) < 0)
			return -1;
		if (len >= 1 && (line[0] == EVF_CTLSOCK_TAG_OUT || line[0] == EVF_CTLSOCK_TAG_ERR)) {
			size_t skip = len >= 2 && line[1] == ' ' ? 2 : 1;

			if (fn != NULL)
				fn(line[0], line + skip, len - skip, arg);
			continue;
		}
		if (len >= 3 && line[0] == EVF_CTLSOCK_TAG_END && line[1] == ' ' &&
		    line[2] >= '0' && line[2] <= '9') {
			char *end;
			long code = strtol(line + 2, &end, 10);

			r->code = (int)code;
			snprintf(r->words, sizeof(r->words), "%s", *end == ' ' ? end + 1 : end);
			return 0;
		}
		return conn_error(r, "%s", "evfwd sent a line this evfwd-cli does not understand"
				  " (another protocol version?)");
	}
}

void
cli_print_line(char tag, const char *text, size_t len, void *arg)
{
	FILE *f = tag == EVF_CTLSOCK_TAG_ERR ? stderr : stdout;
	(void)arg;

	fwrite(text, 1, len, f);
	fputc('\n', f);
}

/* "evfwd VERSION protocol N node NAME" */
static void
parse_greeting(struct cli_conn *c, const char *words)
{
	const char *p = strstr(words, " node ");

	if (sscanf(words, "evfwd %31s", c->version) != 1)
		snprintf(c->version, sizeof(c->version), "?");
	if (p != NULL)
		snprintf(c->node, sizeof(c->node), "%s", p + 6);
	else
		snprintf(c->node, sizeof(c->node), "evfwd");
}

int
cli_connect(struct cli_conn *c, const char *path, int timeout_ms, struct cli_reply *r)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(r, 0, sizeof(*r));
	c->fd = -1;
	c->path = path;
	c->timeout_ms = timeout_ms;
	c->off = c->len = 0;
	if (strlen(path) >= sizeof(sa.sun_path))
		return conn_error(r, "%s: path too long for a unix socket", path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return conn_error(r, "socket: %s", strerror(errno));
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		char msg[300];

		snprintf(msg, sizeof(msg), "cannot connect to %s: %s%s", path, strerror(errno),
			 errno == ENOENT || errno == ECONNREFUSED ? " (is evfwd running with a"
			 " control-socket section?)" : "");
		cli_close(c);
		return conn_error(r, "%s", msg);
	}
	if (read_reply(c, cli_print_line, NULL, r) < 0) {
		cli_close(c);
		return -1;
	}
	if (r->code != EVF_CTLSOCK_OK) { /* too many clients: its "!" line is printed */
		cli_close(c);
		snprintf(r->error, sizeof(r->error), "evfwd refused the connection");
		return -1;
	}
	parse_greeting(c, r->words);
	return 0;
}

void
cli_close(struct cli_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->off = c->len = c->cap = 0;
}

int
cli_command(struct cli_conn *c, const char *line, cli_line_fn fn, void *arg, struct cli_reply *r)
{
	size_t len = strlen(line), done = 0;
	int64_t deadline = c->timeout_ms >= 0 ? now_ms() + c->timeout_ms : -1;

	memset(r, 0, sizeof(*r));
	if (c->fd < 0)
		return conn_error(r, "%s", "not connected");
	while (done <= len) {
		/* the line, then its newline */
		const char *p = done < len ? line + done : "\n";
		size_t n = done < len ? len - done : 1;
		ssize_t w;

		if (wait_fd(c, POLLOUT, deadline, r) < 0)
			return -1;
		w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			return conn_error(r, "%s", errno == EPIPE || errno == ECONNRESET ?
					  "evfwd closed the connection" : strerror(errno));
		done += (size_t)w;
	}
	return read_reply(c, fn, arg, r);
}
