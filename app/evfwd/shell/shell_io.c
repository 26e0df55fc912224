/* shell_io.c: where a shell command writes and how it ended (main thread).
 *
 * Every command handler writes to evf_shell_out() and reports a failure with
 * evf_shell_fail(). The console (interactive shell, command files) is the
 * default: output on stdout, a failure's message printed there as it always
 * was. A control-socket client pushes its own evf_shell_io for the length of
 * one command: output into a buffer, the failure's message kept apart for the
 * reply's error line. A client's command may run while a command file sleeps
 * (ctl_socket.c serves clients from every wait), so the contexts form a
 * stack; only the main thread touches it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl_socket.h"
#include "shell.h"
#include "shell_private.h"

static struct evf_shell_io console = { .remote = false };
static struct evf_shell_io *top;

void
evf_shell_io_push(struct evf_shell_io *io)
{
	io->failed = false;
	io->aborted = false;
	io->end_session = false;
	io->why[0] = '\0';
	io->prev = top;
	top = io;
}

void
evf_shell_io_pop(struct evf_shell_io *io)
{
	if (top == io)
		top = io->prev;
	fflush(io->out);
}

static struct evf_shell_io *
cur(void)
{
	if (top != NULL)
		return top;
	console.out = stdout;
	return &console;
}

struct evf_shell_io *
evf_shell_io_current(void)
{
	return cur();
}

FILE *
evf_shell_out(void)
{
	return cur()->out;
}

void
evf_shell_fail(const char *fmt, ...)
{
	struct evf_shell_io *io = cur();
	char msg[sizeof(io->why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!io->failed)
		snprintf(io->why, sizeof(io->why), "%s", msg);
	io->failed = true;
	/* the console shows it where it always did; a client gets it as "! ..." */
	if (!io->remote) {
		fprintf(io->out, "%s\n", msg);
		fflush(io->out);
	}
}

bool
evf_shell_interrupted(void)
{
	return evf_shell_quit_requested() || cur()->aborted;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
evf_shell_pause(uint32_t ms)
{
	uint64_t end = now_ms() + ms;

	while (!evf_shell_interrupted()) {
		uint64_t t = now_ms();

		if (t >= end)
			break;
		/* serves control-socket clients meanwhile (never nested in a client's command) */
		evf_ctlsock_poll(-1, 0, (int)(end - t < 10 ? end - t : 10));
	}
}

uint64_t
evf_shell_now_ms(void)
{
	return now_ms();
}
