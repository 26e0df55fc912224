/* ctl_client.c: one control-socket client (main thread): its lines, the
 * commands they run, and its replies (evf_ctlsock_proto.h).
 *
 * Input is cut at "\n" exactly like a command file: a line longer than
 * EVF_SHELL_LINE_MAX is read to its end and refused whole (no tail of it
 * ever runs), a NUL or control character refuses the line, an unterminated
 * line at end of input is dropped, never run. Every line gets one reply.
 * Replies wait in a per-client buffer until the client reads them; a client
 * that still has output-buffer bytes unread when its next line is due is
 * dropped (it never reads, or sends faster than it reads). A command runs
 * with its own evf_shell_io, so its output and failure go to this client
 * only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl_socket_private.h"
#include "evf_version.h"

/* ---- output buffer ---- */

static bool
out_add(struct ctlsock *s, struct ctlsock_client *c, const char *p, size_t n)
{
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *o;

		while (cap < c->out_len + n)
			cap *= 2;
		o = realloc(c->out, cap);
		if (o == NULL) {
			s->cnt.errors++;
			return false;
		}
		c->out = o;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
	return true;
}

/* Each line of text (a last one without "\n" too) as "T LINE\n". */
static void
reply_lines(struct ctlsock *s, struct ctlsock_client *c, char tag, const char *text, size_t len)
{
	const char pre[2] = { tag, ' ' };
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - (text + i)) : len - i;

		if (!out_add(s, c, pre, 2) || !out_add(s, c, text + i, n) || !out_add(s, c, "\n", 1))
			return;
		i += n + 1;
	}
}

static void
reply_end(struct ctlsock *s, struct ctlsock_client *c, enum evf_ctlsock_status code,
	  const char *words)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf), "%c %d %s\n", EVF_CTLSOCK_TAG_END, (int)code, words);

	out_add(s, c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void
reply_error(struct ctlsock *s, struct ctlsock_client *c, enum evf_ctlsock_status code,
	    const char *words, const char *why)
{
	reply_lines(s, c, EVF_CTLSOCK_TAG_ERR, why, strlen(why));
	reply_end(s, c, code, words);
}

/* ---- connections ---- */

void
ctlsock_client_accept(struct ctlsock *s, int fd)
{
	struct ctlsock_client *c = NULL;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	char hello[128];

	if (s->nb_clients < s->max_clients) {
		for (uint32_t i = 0; i < s->max_clients && c == NULL; i++)
			if (s->clients[i].fd < 0)
				c = &s->clients[i];
	}
	if (c == NULL) {
		char msg[200];
		int n = snprintf(msg, sizeof(msg), "! too many clients: %u connected (control-socket"
			" max-clients %u); try again later\n= %d refused\n", s->nb_clients,
			s->max_clients, EVF_CTLSOCK_CLOSING);
		ssize_t w = send(fd, msg, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w > 0)
			s->cnt.bytes_out += (uint64_t)w;
		close(fd);
		s->cnt.refused_full++;
		return;
	}
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->id = ++s->next_id;
	c->pid = -1;
	c->uid = (uid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0) {
		c->pid = cred.pid;
		c->uid = cred.uid;
	}
	c->since_ms = evf_shell_now_ms();
	s->cnt.accepted++;
	if (++s->nb_clients > s->peak)
		s->peak = s->nb_clients;
	snprintf(hello, sizeof(hello), "evfwd %s protocol %d node %s", EVF_VERSION,
		 EVF_CTLSOCK_PROTOCOL, s->node);
	reply_end(s, c, EVF_CTLSOCK_OK, hello);
	ctlsock_client_flush(s, c);
}

void
ctlsock_client_close(struct ctlsock *s, struct ctlsock_client *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
	free(c->out);
	c->out = NULL;
	c->out_cap = c->out_len = c->out_off = 0;
	s->nb_clients--;
}

void
ctlsock_client_hangup(struct ctlsock *s, struct ctlsock_client *c)
{
	if (c->len > 0)
		s->cnt.partial++;
	if (ctlsock_client_pending(c) > 0)
		s->cnt.hangup_out++;
	else
		s->cnt.closed++;
	ctlsock_client_close(s, c);
}

void
ctlsock_client_flush(struct ctlsock *s, struct ctlsock_client *c)
{
	while (ctlsock_client_pending(c) > 0) {
		ssize_t n = send(c->fd, c->out + c->out_off, ctlsock_client_pending(c),
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) { /* EPIPE, ECONNRESET: gone with output unread */
			s->cnt.hangup_out++;
			ctlsock_client_close(s, c);
			return;
		}
		s->cnt.bytes_out += (uint64_t)n;
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	if (c->out_cap > 65536) { /* a big reply's buffer is not kept */
		free(c->out);
		c->out = NULL;
		c->out_cap = 0;
	}
	if (c->closing) {
		ctlsock_client_close(s, c);
	} else if (c->eof) {
		s->cnt.closed++;
		ctlsock_client_close(s, c);
	}
}

/* ---- lines ---- */

static void
run_request(struct ctlsock *s, struct ctlsock_client *c, const char *req)
{
	char name[32];
	size_t n = strcspn(req, " \t");

	s->cnt.requests++;
	snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : sizeof(name) - 1), req);
	if (strcmp(name, "@commands") == 0 && req[n + strspn(req + n, " \t")] == '\0') {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (f == NULL) {
			s->cnt.errors++;
			reply_error(s, c, EVF_CTLSOCK_FAILED, "failed", "out of memory");
			return;
		}
		evf_shell_grammar(f);
		fclose(f);
		reply_lines(s, c, EVF_CTLSOCK_TAG_OUT, buf, len);
		reply_end(s, c, EVF_CTLSOCK_OK, "ok");
		free(buf);
		return;
	}
	s->cnt.bad_request++;
	reply_error(s, c, EVF_CTLSOCK_FAILED, "failed",
		    "unknown request (requests: @commands; commands do not start with '@')");
}

static void
run_command(struct ctlsock *s, struct ctlsock_client *c, const char *cmd)
{
	struct evf_shell_io io = { .remote = true };
	char *buf = NULL;
	size_t len = 0;

	io.out = open_memstream(&buf, &len);
	if (io.out == NULL) {
		s->cnt.errors++;
		reply_error(s, c, EVF_CTLSOCK_FAILED, "failed", "out of memory");
		return;
	}
	s->running = c;
	s->running_io = &io;
	c->running = true;
	evf_shell_io_push(&io);
	evf_shell_run_line(s->cl, cmd);
	evf_shell_io_pop(&io);
	c->running = false;
	s->running = NULL;
	s->running_io = NULL;
	fclose(io.out);
	c->commands++;
	s->cnt.commands++;
	if (io.failed)
		s->cnt.failed++;
	if (!c->gone) {
		reply_lines(s, c, EVF_CTLSOCK_TAG_OUT, buf, len);
		if (io.failed)
			reply_lines(s, c, EVF_CTLSOCK_TAG_ERR, io.why, strlen(io.why));
		if (io.end_session) {
			s->cnt.quit++;
			c->closing = true;
			reply_end(s, c, EVF_CTLSOCK_CLOSING, "bye");
		} else if (io.failed) {
			reply_end(s, c, EVF_CTLSOCK_FAILED, "failed");
		} else {
			reply_end(s, c, EVF_CTLSOCK_OK, "ok");
		}
	}
	free(buf);
}

/* A complete line (its "\n" seen): refuse it, or run it. */
static void
client_line(struct ctlsock *s, struct ctlsock_client *c)
{
	size_t len = c->len;
	const char *p;
	char why[96], msg[64];

	c->len = 0;
	if (len > 0 && len <= EVF_SHELL_LINE_MAX + 1 && c->line[len - 1] == '\r')
		len--;
	if (ctlsock_client_pending(c) >= s->out_limit) {
		/* it does not read what it asked for: drop it before it asks for more */
		s->cnt.dropped_full++;
		ctlsock_client_close(s, c);
		return;
	}
	if (len > EVF_SHELL_LINE_MAX) {
		s->cnt.refused_long++;
		snprintf(why, sizeof(why), "line longer than %u characters: not run",
			 EVF_SHELL_LINE_MAX);
		reply_error(s, c, EVF_CTLSOCK_REFUSED, "refused", why);
		return;
	}
	c->line[len] = '\0';
	if (evf_shell_line_refused(c->line, len, msg, sizeof(msg)) != NULL) {
		s->cnt.refused_ctrl++;
		snprintf(why, sizeof(why), "%s: not run", msg);
		reply_error(s, c, EVF_CTLSOCK_REFUSED, "refused", why);
		return;
	}
	p = c->line + strspn(c->line, " \t");
	if (*p == '\0' || *p == '#')
		reply_end(s, c, EVF_CTLSOCK_OK, "ok");
	else if (*p == '@')
		run_request(s, c, p);
	else
		run_command(s, c, p);
}

void
ctlsock_client_read(struct ctlsock *s, struct ctlsock_client *c)
{
	char buf[4096];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		if (errno == ECONNRESET) {
			ctlsock_client_hangup(s, c);
		} else {
			s->cnt.errors++;
			ctlsock_client_close(s, c);
		}
		return;
	}
	if (n == 0) { /* end of input: an unterminated line is never run */
		if (c->len > 0)
			s->cnt.partial++;
		c->len = 0;
		c->eof = true;
		ctlsock_client_flush(s, c); /* closes it once its replies are sent */
		return;
	}
	s->cnt.bytes_in += (uint64_t)n;
	for (ssize_t i = 0; i < n && c->fd >= 0 && !c->closing; i++) {
		if (buf[i] != '\n') {
			if (c->len <= EVF_SHELL_LINE_MAX)
				c->line[c->len] = buf[i];
			if (c->len < (size_t)-1)
				c->len++;
			continue;
		}
		client_line(s, c);
		if (c->gone) { /* hung up while its command ran */
			s->cnt.hangup_cmd++;
			ctlsock_client_close(s, c);
			return;
		}
		/* the kernel takes what it can now: a client that reads while it
		 * sends a batch of lines is not held to output-buffer alone */
		if (c->fd >= 0)
			ctlsock_client_flush(s, c);
	}
	if (c->fd >= 0)
		ctlsock_client_flush(s, c);
}
