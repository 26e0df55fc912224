/* ctl_socket.c: the control socket's listening side and its poll loop (main
 * thread). Opening checks the path (parent directory created 0700, a stale
 * socket replaced, a live one or a non-socket refused), binds with mode 0600
 * and listens; evf_ctlsock_poll() is the main thread's one wait: it serves
 * clients (ctl_client.c) while it waits for the terminal, a command file or
 * time. A client's command that waits itself (sleep, wait idle) comes back
 * here nested: then nobody else is served, and only that client's hang-up is
 * watched, which interrupts the command. Nothing here blocks: every socket is
 * non-blocking, and a round reads at most one chunk per client. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_socket.h"
#include "ctl_socket_private.h"

struct ctlsock evf_ctlsock = { .lfd = -1 };

/* poll() arrays for the listening socket, one caller descriptor and every client */
static struct pollfd *pfds;
static uint32_t *pfd_slot;

/* The socket's directory: created 0700 when missing (one level: /run/evfwd). */
static int
make_parent(const char *path, char *err, size_t errlen)
{
	char dir[sizeof(evf_ctlsock.path)];
	struct stat st;
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0; /* "/NAME.sock": the root exists */
	*slash = '\0';
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "control socket %s: %s is not a directory", path, dir);
			return -1;
		}
		return 0;
	}
	if (errno != ENOENT || (mkdir(dir, 0700) < 0 && errno != EEXIST)) {
		snprintf(err, errlen, "control socket %s: cannot create directory %s: %s", path, dir,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* A socket file left by an evfwd that died is removed; one another process
 * still serves, or a file that is no socket, is left alone and refused. */
static int
clear_stale(const char *path, const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc, e;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "control socket %s: the file exists and is not a socket"
			 " (not replaced)", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "control socket %s: socket: %s", path, strerror(errno));
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	e = errno;
	close(fd);
	if (rc == 0 || e == EAGAIN || e == EINPROGRESS) {
		snprintf(err, errlen, "control socket %s is in use by another process (another"
			 " evfwd with node name '%s'? set control-socket.path)", path, evf_ctlsock.node);
		return -1;
	}
	if (e != ECONNREFUSED) {
		snprintf(err, errlen, "control socket %s: cannot check the existing socket: %s", path,
			 strerror(e));
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "control socket %s: cannot remove the stale socket: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int
open_fail(struct ctlsock *s)
{
	if (s->lfd >= 0)
		close(s->lfd);
	s->lfd = -1;
	free(s->clients);
	s->clients = NULL;
	free(pfds);
	pfds = NULL;
	free(pfd_slot);
	pfd_slot = NULL;
	return -1;
}

int
evf_ctlsock_open(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	const struct evf_cfg_ctlsock *c = &cfg->ctlsock;
	struct ctlsock *s = &evf_ctlsock;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int rc;

	if (!c->enabled)
		return 0;
	memset(s, 0, sizeof(*s));
	s->lfd = -1;
	snprintf(s->path, sizeof(s->path), "%s", c->path);
	snprintf(s->node, sizeof(s->node), "%s", cfg->node.name);
	s->max_clients = c->max_clients;
	s->out_limit = c->output_buffer;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s->path);
	s->clients = calloc(s->max_clients, sizeof(*s->clients));
	pfds = calloc(s->max_clients + 2, sizeof(*pfds));
	pfd_slot = calloc(s->max_clients + 2, sizeof(*pfd_slot));
	if (s->clients == NULL || pfds == NULL || pfd_slot == NULL) {
		snprintf(err, errlen, "control socket %s: out of memory", s->path);
		return open_fail(s);
	}
	for (uint32_t i = 0; i < s->max_clients; i++)
		s->clients[i].fd = -1;
	if (make_parent(s->path, err, errlen) < 0 || clear_stale(s->path, &sa, err, errlen) < 0)
		return open_fail(s);
	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->lfd < 0) {
		snprintf(err, errlen, "control socket %s: socket: %s", s->path, strerror(errno));
		return open_fail(s);
	}
	/* created 0600 whatever the umask (no other thread runs yet) */
	old = umask(0177);
	rc = bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0) {
		snprintf(err, errlen, "control socket %s: bind: %s", s->path, strerror(errno));
		return open_fail(s);
	}
	if (chmod(s->path, 0600) < 0 || stat(s->path, &st) < 0 || listen(s->lfd, 64) < 0) {
		snprintf(err, errlen, "control socket %s: %s", s->path, strerror(errno));
		unlink(s->path);
		return open_fail(s);
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->cl = cmdline_new(evf_shell_ctx(), "", -1, -1);
	if (s->cl == NULL) {
		snprintf(err, errlen, "control socket %s: out of memory", s->path);
		unlink(s->path);
		return open_fail(s);
	}
	return 0;
}

const char *
evf_ctlsock_path(void)
{
	return evf_ctlsock.lfd >= 0 ? evf_ctlsock.path : NULL;
}

/* poll() on fd alone (or a plain wait): no socket, or nothing to serve. */
static int
plain_poll(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc = poll(&p, fd >= 0 ? 1 : 0, timeout_ms);

	if (rc < 0)
		return errno == EINTR || fd < 0 ? 0 : POLLERR;
	return rc > 0 ? p.revents : 0;
}

/* Inside a client's command: serve nobody, watch that client for a hang-up. */
static int
watch_running(struct ctlsock *s, int fd, short events, int timeout_ms)
{
	struct ctlsock_client *c = s->running;
	struct pollfd p[2];
	int n = 0, me = -1, rc;

	if (fd >= 0)
		p[n++] = (struct pollfd){ .fd = fd, .events = events };
	if (!c->gone) {
		me = n;
		p[n++] = (struct pollfd){ .fd = c->fd, .events = 0 }; /* POLLHUP is always reported */
	}
	rc = poll(p, (nfds_t)n, timeout_ms);
	if (rc < 0)
		return errno == EINTR || fd < 0 ? 0 : POLLERR;
	if (me >= 0 && (p[me].revents & (POLLHUP | POLLERR | POLLNVAL))) {
		c->gone = true;
		if (s->running_io != NULL)
			s->running_io->aborted = true;
	}
	return fd >= 0 ? p[0].revents : 0;
}

/* New connections, at most 64 a round so that clients already connected get
 * their turn too. */
static void
accept_some(struct ctlsock *s)
{
	for (int i = 0; i < 64; i++) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
			    errno != ECONNABORTED)
				s->cnt.errors++; /* EMFILE, ENOMEM: the next round tries again */
			return;
		}
		ctlsock_client_accept(s, fd);
	}
}

int
evf_ctlsock_poll(int fd, short events, int timeout_ms)
{
	struct ctlsock *s = &evf_ctlsock;
	int n = 0, me = -1, lidx, rc, ret = 0;

	if (s->lfd < 0)
		return plain_poll(fd, events, timeout_ms);
	if (s->running != NULL)
		return watch_running(s, fd, events, timeout_ms);
	if (fd >= 0) {
		me = n;
		pfds[n++] = (struct pollfd){ .fd = fd, .events = events };
	}
	lidx = n;
	pfds[n++] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
	for (uint32_t i = 0; i < s->max_clients; i++) {
		struct ctlsock_client *c = &s->clients[i];
		short ev = 0;

		if (c->fd < 0)
			continue;
		if (!c->eof && !c->closing)
			ev |= POLLIN;
		if (ctlsock_client_pending(c) > 0)
			ev |= POLLOUT;
		pfd_slot[n] = i;
		pfds[n++] = (struct pollfd){ .fd = c->fd, .events = ev };
	}
	rc = poll(pfds, (nfds_t)n, timeout_ms);
	if (rc < 0)
		return errno == EINTR || fd < 0 ? 0 : POLLERR;
	if (rc == 0)
		return 0;
	if (me >= 0)
		ret = pfds[me].revents;
	/* clients first: a slot the accept below fills is not the one polled */
	for (int k = lidx + 1; k < n; k++) {
		struct ctlsock_client *c = &s->clients[pfd_slot[k]];
		short re = pfds[k].revents;

		if (re == 0 || c->fd != pfds[k].fd)
			continue;
		if (re & POLLOUT)
			ctlsock_client_flush(s, c);
		if (c->fd >= 0 && (re & POLLIN))
			ctlsock_client_read(s, c);
		else if (c->fd >= 0 && (re & (POLLHUP | POLLERR | POLLNVAL)))
			ctlsock_client_hangup(s, c);
	}
	if (pfds[lidx].revents & POLLIN)
		accept_some(s);
	return ret;
}

void
evf_ctlsock_close(void)
{
	static const char bye[] = "= 3 evfwd is stopping\n";
	struct ctlsock *s = &evf_ctlsock;
	struct stat st;

	if (s->lfd < 0)
		return;
	for (uint32_t i = 0; i < s->max_clients; i++) {
		struct ctlsock_client *c = &s->clients[i];

		if (c->fd < 0)
			continue;
		/* what the kernel takes of a last reply (a command a signal cut short),
		 * then why the connection ends */
		if (ctlsock_client_pending(c) > 0)
			(void)send(c->fd, c->out + c->out_off, ctlsock_client_pending(c),
				   MSG_DONTWAIT | MSG_NOSIGNAL);
		else if (!c->closing)
			(void)send(c->fd, bye, sizeof(bye) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
		ctlsock_client_close(s, c);
	}
	close(s->lfd);
	s->lfd = -1;
	/* unlinked only if it is still the socket we bound (not a successor's) */
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
		unlink(s->path);
	cmdline_free(s->cl);
	s->cl = NULL;
	free(s->clients);
	s->clients = NULL;
	free(pfds);
	pfds = NULL;
	free(pfd_slot);
	pfd_slot = NULL;
}
