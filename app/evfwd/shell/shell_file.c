/* shell_file.c: command files (--cmdline-file, main thread): whole lines
 * only, each run through the shell, errors by line number.
 *
 * The file is read from its descriptor with poll(), so a FIFO nobody writes
 * to still ends on quit, a signal or --max-runtime. A line longer than
 * EVF_SHELL_LINE_MAX is consumed to its newline and refused as a whole: no
 * tail of it ever runs as a command of its own, and line numbers stay right.
 * While it waits for input, the control socket's clients are served. A line
 * that fails (does not parse, or its command failed: a rejected route, an
 * unknown name) is reported as "FILE:LINE: why" and counted; the file goes
 * on, and evfwd exits 1 at the end. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl_socket.h"
#include "shell.h"
#include "shell_private.h"

void
evf_line_reader_init(struct evf_line_reader *r, int fd, bool (*stop)(void))
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->stop = stop;
}

/* More bytes into r->buf: 1, 0 at end of file, -1 on a read error (errno)
 * or when r->stop says so. */
static int
reader_fill(struct evf_line_reader *r)
{
	for (;;) {
		ssize_t n;
		int ev;

		if (r->stop != NULL && r->stop())
			return -1;
		/* control-socket clients are served while the file is silent */
		ev = evf_ctlsock_poll(r->fd, POLLIN, 100);
		if (ev == 0)
			continue;
		n = read(r->fd, r->buf, sizeof(r->buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -1;
		r->pos = 0;
		r->end = (size_t)n;
		return n > 0;
	}
}

int
evf_line_reader_next(struct evf_line_reader *r, char *line, size_t *len)
{
	size_t n = 0;
	bool any = false;

	for (;;) {
		char c;

		if (r->pos == r->end) {
			int rc = reader_fill(r);

			if (rc < 0)
				return -1;
			if (rc == 0)
				break;
		}
		c = r->buf[r->pos++];
		any = true;
		if (c == '\n')
			break;
		if (n <= EVF_SHELL_LINE_MAX)
			line[n] = c;
		n++;
	}
	if (!any)
		return 0;
	if (n > 0 && n <= EVF_SHELL_LINE_MAX + 1 && line[n - 1] == '\r')
		n--;
	line[n <= EVF_SHELL_LINE_MAX ? n : EVF_SHELL_LINE_MAX] = '\0';
	*len = n;
	return 1;
}

int
evf_shell_run_file(const char *path)
{
	char line[EVF_SHELL_LINE_MAX + 2], why[64];
	struct evf_line_reader r;
	unsigned int lineno = 0;
	struct cmdline *cl;
	int errors = 0;
	size_t len;

	if (evf_shell_ctx() == NULL)
		return -1;
	evf_line_reader_init(&r, open(path, O_RDONLY | O_CLOEXEC), evf_shell_quit_requested);
	if (r.fd < 0)
		return -1;
	cl = cmdline_new(evf_shell_ctx(), "", -1, STDOUT_FILENO);
	if (cl == NULL) {
		close(r.fd);
		return -1;
	}
	while (!evf_shell_quit_requested()) {
		int rc = evf_line_reader_next(&r, line, &len);

		if (rc < 0 && !evf_shell_quit_requested()) {
			fprintf(stderr, "%s:%u: cannot read: %s\n", path, lineno + 1, strerror(errno));
			errors++;
		}
		if (rc <= 0)
			break;
		lineno++;
		if (evf_shell_line_refused(line, len, why, sizeof(why)) != NULL) {
			fprintf(stderr, "%s:%u: %s: not run\n", path, lineno, why);
			errors++;
			continue;
		}
		if (evf_shell_exec_line(cl, path, lineno, line) < 0)
			errors++;
	}
	cmdline_free(cl);
	close(r.fd);
	return errors;
}
