/* shell.c: cmdline context, one line at a time, interactive mode, help, and
 * the quit flag with the --max-runtime deadline (main thread). Command files:
 * shell_file.c; output contexts and failures: shell_io.c. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>

#include <cmdline_rdline.h>
#include <cmdline_socket.h>

#include "ctl_socket.h"
#include "evf_ctl.h"
#include "shell.h"
#include "shell_private.h"

static volatile bool quit_requested;
static uint64_t deadline_tsc;   /**< --max-runtime: TSC at which to stop, 0 = none */
static cmdline_parse_ctx_t *ctx;

void
evf_shell_set_deadline(uint64_t tsc)
{
	deadline_tsc = tsc;
}

bool
evf_shell_deadline_passed(void)
{
	return deadline_tsc != 0 && rte_rdtsc() >= deadline_tsc;
}

bool
evf_shell_quit_requested(void)
{
	return quit_requested || evf_shell_deadline_passed();
}

void
evf_shell_request_quit(void)
{
	quit_requested = true;
}

struct ctl_show {
	int (*fn)(FILE *, const char *);
	const char *arg;
	char *buf;
	size_t len;
};

static int
ctl_show_run(void *a)
{
	struct ctl_show *c = a;
	FILE *f = open_memstream(&c->buf, &c->len);
	int rc;

	if (f == NULL)
		return -1;
	rc = c->fn(f, c->arg);
	fclose(f);
	return rc;
}

int
evf_shell_show_ctl(int (*fn)(FILE *, const char *), const char *arg)
{
	struct ctl_show c = { .fn = fn, .arg = arg };
	int rc = evf_ctl_call(ctl_show_run, &c);
	FILE *out = evf_shell_out();

	if (c.buf != NULL) {
		fputs(c.buf, out);
		free(c.buf);
	}
	fflush(out);
	return rc;
}

/* ---- help ---- */

struct cmd_help_result {
	cmdline_fixed_string_t help;
};

static void
cmd_help_parsed(void *res, struct cmdline *cl, void *data)
{
	FILE *out = evf_shell_out();
	(void)res; (void)cl; (void)data;

	fprintf(out, "Commands (TAB completes keywords):\n");
	for (unsigned int i = 0; ctx[i] != NULL; i++)
		if (!evf_shell_cmd_is_json(ctx[i]))
			fprintf(out, "  %s\n", ctx[i]->help_str);
	fprintf(out, "  %s\n", EVF_SHELL_JSON_HELP);
	fflush(out);
}

static cmdline_parse_token_string_t cmd_help_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_help_result, help, "help");

static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: this list",
	.tokens = { (void *)&cmd_help_tok, NULL },
};

cmdline_parse_ctx_t *
evf_shell_ctx(void)
{
	/* in the order "help" lists them; the JSON forms after the show commands */
	cmdline_parse_inst_t **const areas[] = {
		evf_shell_cmds_show, evf_shell_cmds_route, evf_shell_cmds_mh,
		evf_shell_cmds_l3, evf_shell_cmds_ctlsock, evf_shell_cmds_metrics, evf_shell_cmds_json,
		evf_shell_cmds_misc,
	};
	unsigned int n = 0, k = 0;

	if (ctx != NULL)
		return ctx;
	for (size_t a = 0; a < sizeof(areas) / sizeof(areas[0]); a++)
		for (unsigned int i = 0; areas[a][i]; i++)
			n++;
	ctx = calloc(n + 2, sizeof(*ctx));
	if (ctx == NULL)
		return NULL;
	for (size_t a = 0; a < sizeof(areas) / sizeof(areas[0]); a++)
		for (unsigned int i = 0; areas[a][i]; i++)
			ctx[k++] = areas[a][i];
	ctx[k++] = &cmd_help;
	ctx[k] = NULL;
	return ctx;
}

static const char *
parse_error_text(int rc)
{
	switch (rc) {
	case CMDLINE_PARSE_AMBIGUOUS: return "ambiguous command";
	case CMDLINE_PARSE_NOMATCH: return "unknown command";
	case CMDLINE_PARSE_BAD_ARGS: return "bad arguments";
	default: return "cannot parse";
	}
}

/* Why a line cannot run as it is (a byte the line reader and cmdline would
 * stop at or cut), or NULL. */
const char *
evf_shell_line_refused(const char *line, size_t len, char *why, size_t whylen)
{
	if (len > EVF_SHELL_LINE_MAX) {
		snprintf(why, whylen, "line longer than %u characters", EVF_SHELL_LINE_MAX);
		return why;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\0') {
			snprintf(why, whylen, "line contains a NUL character");
			return why;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(why, whylen, "line contains a control character (0x%02x)", c);
			return why;
		}
	}
	return NULL;
}

int
evf_shell_run_line(struct cmdline *cl, const char *cmd)
{
	struct evf_shell_io *io = evf_shell_io_current();
	char buf[EVF_SHELL_LINE_MAX + 2];
	int rc;

	/* cmdline_parse() only acts on a complete line, newline included. */
	snprintf(buf, sizeof(buf), "%s\n", cmd);
	rc = cmdline_parse(cl, buf);
	fflush(io->out);
	if (rc < 0 && !io->failed) { /* success returns the parsed length */
		/* not printed into the output: the console reports it on stderr */
		snprintf(io->why, sizeof(io->why), "%s: '%s' (type help)", parse_error_text(rc), cmd);
		io->failed = true;
	}
	return io->failed ? -1 : 0;
}

int
evf_shell_exec_line(struct cmdline *cl, const char *where, unsigned int lineno, const char *line)
{
	struct evf_shell_io io = { .out = stdout, .remote = false };
	char why[64];
	const char *p = line;
	int rc;

	if (evf_shell_line_refused(line, strlen(line), why, sizeof(why)) != NULL) {
		fprintf(stderr, "%s:%u: %s: not run\n", where, lineno, why);
		return -1;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	printf("evfwd> %s\n", p);
	fflush(stdout);
	evf_shell_io_push(&io);
	rc = evf_shell_run_line(cl, p);
	evf_shell_io_pop(&io);
	if (rc < 0)
		fprintf(stderr, "%s:%u: %s\n", where, lineno, io.why);
	return rc;
}

/* Interactive: cmdline_interact() reads stdin in a loop that only ends at
 * "quit" or end of input; this one also ends on a signal or --max-runtime. */
void
evf_shell_interactive(void)
{
	struct cmdline *cl;

	if (evf_shell_ctx() == NULL)
		return;
	cl = cmdline_stdin_new(ctx, "evfwd> ");
	if (cl == NULL)
		return;
	while (!evf_shell_quit_requested()) {
		char c;
		/* control-socket clients are served while the terminal is quiet */
		int ev = evf_ctlsock_poll(STDIN_FILENO, POLLIN, 100);

		if (ev & POLLNVAL)
			break;
		if (ev == 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) <= 0)
			break;
		if (cmdline_in(cl, &c, 1) < 0)
			break;
	}
	cmdline_stdin_exit(cl);
	printf("\n");
}

int
evf_shell_exec(const char *line)
{
	struct cmdline *cl;
	int rc;

	if (evf_shell_ctx() == NULL)
		return -1;
	cl = cmdline_new(ctx, "", -1, STDOUT_FILENO);
	if (cl == NULL)
		return -1;
	rc = evf_shell_exec_line(cl, "command", 1, line);
	cmdline_free(cl);
	return rc;
}
