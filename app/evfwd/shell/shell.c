/* shell.c: cmdline context, interactive and file modes, help (main thread). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline_rdline.h>
#include <cmdline_socket.h>

#include "evf_ctl.h"
#include "shell.h"
#include "shell_private.h"

static volatile bool quit_requested;
static cmdline_parse_ctx_t *ctx;

bool
evf_shell_quit_requested(void)
{
	return quit_requested;
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

	if (c.buf != NULL) {
		fputs(c.buf, stdout);
		free(c.buf);
	}
	fflush(stdout);
	return rc;
}

/* ---- help ---- */

struct cmd_help_result {
	cmdline_fixed_string_t help;
};

static void
cmd_help_parsed(void *res, struct cmdline *cl, void *data)
{
	(void)res; (void)cl; (void)data;
	printf("Commands (TAB completes keywords):\n");
	for (unsigned int i = 0; ctx[i] != NULL; i++)
		printf("  %s\n", ctx[i]->help_str);
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_help_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_help_result, help, "help");

static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: this list",
	.tokens = { (void *)&cmd_help_tok, NULL },
};

static void
build_ctx(void)
{
	unsigned int n = 0, k = 0;

	if (ctx != NULL)
		return;
	for (unsigned int i = 0; evf_shell_cmds_show[i]; i++)
		n++;
	for (unsigned int i = 0; evf_shell_cmds_misc[i]; i++)
		n++;
	for (unsigned int i = 0; evf_shell_cmds_route[i]; i++)
		n++;
	ctx = calloc(n + 2, sizeof(*ctx));
	for (unsigned int i = 0; evf_shell_cmds_show[i]; i++)
		ctx[k++] = evf_shell_cmds_show[i];
	for (unsigned int i = 0; evf_shell_cmds_route[i]; i++)
		ctx[k++] = evf_shell_cmds_route[i];
	for (unsigned int i = 0; evf_shell_cmds_misc[i]; i++)
		ctx[k++] = evf_shell_cmds_misc[i];
	ctx[k++] = &cmd_help;
	ctx[k] = NULL;
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

/* One line: comments and blank lines skipped; errors name the line. */
static int
exec_line(struct cmdline *cl, const char *where, unsigned int lineno, char *line)
{
	char *p = line;
	char buf[1100];
	int rc;

	line[strcspn(line, "\r\n")] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	printf("evfwd> %s\n", p);
	fflush(stdout);
	/* cmdline_parse() only acts on a complete line, newline included. */
	snprintf(buf, sizeof(buf), "%s\n", p);
	rc = cmdline_parse(cl, buf);
	fflush(stdout);
	if (rc >= 0) /* success returns the parsed length */
		return 0;
	fprintf(stderr, "%s:%u: %s: '%s' (type help)\n", where, lineno, parse_error_text(rc), p);
	return -1;
}

int
evf_shell_run_file(const char *path)
{
	struct cmdline *cl;
	char line[1024];
	unsigned int lineno = 0;
	int errors = 0;
	FILE *f;

	build_ctx();
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	cl = cmdline_new(ctx, "", -1, STDOUT_FILENO);
	if (cl == NULL) {
		fclose(f);
		return -1;
	}
	while (!quit_requested && fgets(line, sizeof(line), f) != NULL)
		if (exec_line(cl, path, ++lineno, line) < 0)
			errors++;
	cmdline_free(cl);
	fclose(f);
	return errors;
}

void
evf_shell_interactive(void)
{
	struct cmdline *cl;

	build_ctx();
	cl = cmdline_stdin_new(ctx, "evfwd> ");
	if (cl == NULL)
		return;
	cmdline_interact(cl);
	cmdline_stdin_exit(cl);
	printf("\n");
}

int
evf_shell_exec(const char *line)
{
	struct cmdline *cl;
	char buf[1024];
	int rc;

	build_ctx();
	cl = cmdline_new(ctx, "", -1, STDOUT_FILENO);
	if (cl == NULL)
		return -1;
	snprintf(buf, sizeof(buf), "%s", line);
	rc = exec_line(cl, "command", 1, buf);
	cmdline_free(cl);
	return rc;
}
