/* cli_interactive.c: evfwd-cli on a terminal (libedit, one thread): prompt with the
 * node's name, line editing, history (~/.evfwd_cli_history), TAB completing
 * command words and "?" listing the commands that match what was typed,
 * both from the server's own command list ("@commands"). "quit", "exit" and
 * end of input leave evfwd-cli, never stop evfwd. Ctrl-C while a command
 * runs drops the connection (evfwd then cuts a sleep or wait idle short) and
 * connects again. */
#include <errno.h>
#include <histedit.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static struct cli_grammar grammar;
static char prompt[96];
static volatile int interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static char *
prompt_fn(EditLine *el)
{
	(void)el;
	return prompt;
}

static void
grammar_line(char tag, const char *text, size_t len, void *arg)
{
	if (tag == EVF_CTLSOCK_TAG_OUT)
		cli_grammar_add(arg, text, len);
}

static void
load_grammar(struct cli_conn *c)
{
	struct cli_reply r;

	cli_grammar_free(&grammar);
	if (cli_command(c, "@commands", grammar_line, &grammar, &r) < 0 || r.code != EVF_CTLSOCK_OK)
		fprintf(stderr, "evfwd-cli: no command list from evfwd: TAB completes nothing\n");
}

/* What is typed before the cursor, and where its last word starts. */
static size_t
typed_text(EditLine *el, char *buf, size_t size, size_t *part)
{
	const LineInfo *li = el_line(el);
	size_t n = (size_t)(li->cursor - li->buffer);

	if (n >= size)
		n = size - 1;
	memcpy(buf, li->buffer, n);
	buf[n] = '\0';
	*part = n;
	while (*part > 0 && buf[*part - 1] != ' ' && buf[*part - 1] != '\t')
		(*part)--;
	return n;
}

static unsigned char
complete_fn(EditLine *el, int ch)
{
	char typed[EVF_CTLSOCK_LINE_MAX + 2], **w = NULL;
	size_t part, plen, common;
	int n;
	(void)ch;

	plen = typed_text(el, typed, sizeof(typed), &part) - part;
	n = cli_complete(&grammar, typed, &w);
	if (n <= 0) {
		cli_words_free(w, n > 0 ? n : 0);
		return CC_ERROR;
	}
	if (n == 1) {
		el_insertstr(el, w[0] + plen);
		el_insertstr(el, " ");
		cli_words_free(w, n);
		return CC_REFRESH;
	}
	common = strlen(w[0]);
	for (int i = 1; i < n; i++) {
		size_t k = 0;

		while (k < common && w[i][k] == w[0][k])
			k++;
		common = k;
	}
	if (common > plen) {
		char extra[EVF_CTLSOCK_LINE_MAX + 2];

		snprintf(extra, sizeof(extra), "%.*s", (int)(common - plen), w[0] + plen);
		el_insertstr(el, extra);
		cli_words_free(w, n);
		return CC_REFRESH;
	}
	fputc('\n', stdout);
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? "  " : "", w[i]);
	fputc('\n', stdout);
	fflush(stdout);
	cli_words_free(w, n);
	return CC_REDISPLAY;
}

static unsigned char
help_fn(EditLine *el, int ch)
{
	char typed[EVF_CTLSOCK_LINE_MAX + 2];
	unsigned int *m = NULL;
	size_t part;
	int n;
	(void)ch;

	typed_text(el, typed, sizeof(typed), &part);
	n = cli_matching(&grammar, typed, &m);
	fputc('\n', stdout);
	if (n <= 0)
		printf("  (no command starts like this; type help)\n");
	for (int i = 0; i < n; i++) {
		const struct cli_cmd *c = &grammar.cmds[m[i]];
		const char *colon = strstr(c->help, ": ");

		printf("  %-36s %s\n", c->syntax, colon != NULL ? colon + 2 : c->help);
	}
	fflush(stdout);
	free(m);
	return CC_REDISPLAY;
}

static void
history_path(char *buf, size_t size)
{
	const char *home = getenv("HOME");

	buf[0] = '\0';
	if (home != NULL && home[0] != '\0')
		snprintf(buf, size, "%s/.evfwd_cli_history", home);
}


/* Run one line; returns 0 to go on, or an exit status to stop with. */
static int
run_line(struct cli_conn *c, const char *line)
{
	struct cli_reply r;

	interrupted = 0;
	if (cli_command(c, line, cli_print_line, NULL, &r) == 0) {
		fflush(stdout);
		if (r.code == EVF_CTLSOCK_CLOSING) {
			fprintf(stderr, "evfwd-cli: evfwd ended the session (%s)\n", r.words);
			return CLI_EXIT_CONN;
		}
		return 0;
	}
	fflush(stdout);
	if (interrupted) {
		const char *path = c->path;

		fprintf(stderr, "\nevfwd-cli: interrupted: connecting again\n");
		cli_close(c);
		interrupted = 0;
		if (cli_connect(c, path, c->timeout_ms, &r) < 0) {
			fprintf(stderr, "evfwd-cli: %s\n", r.error);
			return CLI_EXIT_CONN;
		}
		return 0;
	}
	fprintf(stderr, "evfwd-cli: %s\n", r.error);
	return CLI_EXIT_CONN;
}

int
cli_interactive(struct cli_conn *c)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	char hist[4096];
	EditLine *el;
	History *h;
	HistEvent ev;
	int status = CLI_EXIT_OK;

	snprintf(prompt, sizeof(prompt), "%s> ", c->node);
	c->interrupt = &interrupted;
	load_grammar(c);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a wait ends at Ctrl-C */
	h = history_init();
	el = el_init("evfwd-cli", stdin, stdout, stderr);
	if (h == NULL || el == NULL) {
		fprintf(stderr, "evfwd-cli: cannot set up line editing\n");
		if (h != NULL)
			history_end(h);
		return CLI_EXIT_CONN;
	}
	history(h, &ev, H_SETSIZE, 1000);
	history(h, &ev, H_SETUNIQUE, 1);
	history_path(hist, sizeof(hist));
	if (hist[0] != '\0')
		history(h, &ev, H_LOAD, hist);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_HIST, history, h);
	el_set(el, EL_PROMPT, prompt_fn);
	/* the wide form: libedit keeps these strings, the narrow one copies them
	 * and never frees the copies */
	el_wset(el, EL_ADDFN, L"evf-complete", L"complete a command word", complete_fn);
	el_set(el, EL_BIND, "^I", "evf-complete", NULL);
	el_wset(el, EL_ADDFN, L"evf-help", L"list the commands that match", help_fn);
	el_set(el, EL_BIND, "?", "evf-help", NULL);
	el_source(el, NULL); /* ~/.editrc */
	printf("evfwd %s, node %s, on %s: TAB completes, ? lists commands, quit leaves.\n",
	       c->version, c->node, c->path);
	for (;;) {
		char buf[EVF_CTLSOCK_LINE_MAX + 2];
		const char *line;
		size_t len;
		int count = 0;

		interrupted = 0;
		line = el_gets(el, &count);
		if (line == NULL || count <= 0) {
			if (interrupted || (count < 0 && errno == EINTR)) {
				fputc('\n', stdout);
				el_reset(el);
				continue;
			}
			fputc('\n', stdout); /* end of input */
			break;
		}
		line += strspn(line, " \t");
		len = strcspn(line, "\r\n");
		while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		if (len > EVF_CTLSOCK_LINE_MAX) { /* never sent cut: the cut could be a command */
			fprintf(stderr, "evfwd-cli: line longer than %d characters: not run\n",
				EVF_CTLSOCK_LINE_MAX);
			continue;
		}
		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		history(h, &ev, H_ENTER, buf);
		if (strcmp(buf, "quit") == 0 || strcmp(buf, "exit") == 0)
			break;
		status = run_line(c, buf);
		if (status != 0)
			break;
	}
	if (hist[0] != '\0')
		history(h, &ev, H_SAVE, hist);
	el_end(el);
	history_end(h);
	cli_grammar_free(&grammar);
	return status;
}
