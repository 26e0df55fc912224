/* cli.h: evfwd-cli's parts (one process, one thread, no DPDK): the
 * connection to evfwd's control socket (cli_conn.c), the command list and
 * completion (cli_complete.c), the interactive loop (cli_interactive.c). */
#ifndef EVF_CLI_H
#define EVF_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "evf_ctlsock_proto.h"

/** Exit status of evfwd-cli (doc/shell.md). */
enum cli_exit {
	CLI_EXIT_OK = 0,       /**< every command ran */
	CLI_EXIT_FAILED = 1,   /**< a command failed or its line was refused */
	CLI_EXIT_USAGE = 2,    /**< bad options */
	CLI_EXIT_CONN = 3,     /**< no connection, connection lost, refused, timeout */
};

struct cli_conn {
	int fd;
	const char *path;
	int timeout_ms;        /**< per reply; -1: wait as long as it takes */
	char node[64];         /**< from the greeting */
	char version[32];
	char *buf;             /**< received bytes: buf[off..len) not yet cut into lines */
	size_t off, len, cap;
	volatile int *interrupt; /**< set by SIGINT: stop waiting for a reply */
};

/** How a reply ended. */
struct cli_reply {
	int code;              /**< enum evf_ctlsock_status, or -1 when none came */
	char words[128];       /**< what followed the code ("ok", "failed", ...) */
	char error[256];       /**< why no reply came (code -1) */
};

/** Callback for each reply line: tag '|' or '!', text without tag and newline. */
typedef void (*cli_line_fn)(char tag, const char *text, size_t len, void *arg);

/** Connect and read the greeting. Returns 0, or -1 with the reply saying why
 *  (refused by evfwd: code EVF_CTLSOCK_CLOSING and its error lines printed
 *  to stderr). */
int cli_connect(struct cli_conn *c, const char *path, int timeout_ms, struct cli_reply *r);
void cli_close(struct cli_conn *c);
/** Send one command line (no newline) and read its reply, giving each line
 *  to fn. Returns 0 when a reply came (r->code), -1 when the connection
 *  failed (r->error). */
int cli_command(struct cli_conn *c, const char *line, cli_line_fn fn, void *arg,
	struct cli_reply *r);
/** Print '|' lines on stdout and '!' lines on stderr. */
void cli_print_line(char tag, const char *text, size_t len, void *arg);

/** The command list the server gives ("@commands"). */
struct cli_cmd {
	char **tok;            /**< words: "a|b", "<word>", "<number>", "<words...>" */
	unsigned int ntok;
	char *syntax;
	char *help;
};
struct cli_grammar {
	struct cli_cmd *cmds;
	unsigned int n;
};

/** Add one "SYNTAX<TAB>HELP" line. Returns 0 or -1 (out of memory, empty). */
int cli_grammar_add(struct cli_grammar *g, const char *line, size_t len);
void cli_grammar_free(struct cli_grammar *g);
/** Words that can follow what was typed (text before the cursor; its last
 *  word, maybe empty, is being typed): sorted, unique, into *out (free with
 *  cli_words_free). Returns how many, or -1 (out of memory). */
int cli_complete(const struct cli_grammar *g, const char *typed, char ***out);
/** Commands that match what was typed so far, for "?": their indexes. */
int cli_matching(const struct cli_grammar *g, const char *typed, unsigned int **out);
void cli_words_free(char **w, int n);

/** Interactive mode on a terminal (libedit). Returns an exit status. */
int cli_interactive(struct cli_conn *c);

#endif /* EVF_CLI_H */
