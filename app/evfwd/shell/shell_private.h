/* shell_private.h: what the shell's command files share (main thread). */
#ifndef EVF_SHELL_PRIVATE_H
#define EVF_SHELL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

/** The line "help" prints for every JSON form ("show ... json"). */
#define EVF_SHELL_JSON_HELP "show ... json: any show command as JSON, its name as typed then" \
	" \"json\" (doc/shell.md)"

/** Longest command line, in characters (newline not counted). */
#define EVF_SHELL_LINE_MAX 1023u

/** The parse context of every command (built once); NULL when out of memory. */
cmdline_parse_ctx_t *evf_shell_ctx(void);
/** Why a line of len bytes cannot run (longer than EVF_SHELL_LINE_MAX, a NUL,
 *  a control character other than TAB), written into why; NULL when it can. */
const char *evf_shell_line_refused(const char *line, size_t len, char *why, size_t whylen);
/** Run one line (no newline) on cl, echoing it; blank lines and comments do
 *  nothing. Errors (a line that does not parse, or a command that failed)
 *  go to stderr as "WHERE:LINENO: reason". Returns 0 or -1. */
int evf_shell_exec_line(struct cmdline *cl, const char *where, unsigned int lineno,
	const char *line);
/** Parse and run one command (no newline; not blank, already checked by
 *  evf_shell_line_refused) in the current evf_shell_io. A line that does not
 *  parse fails with "unknown command: 'TEXT' (type help)" (or "bad
 *  arguments", "ambiguous command"). Returns 0, or -1 when it failed. */
int evf_shell_run_line(struct cmdline *cl, const char *cmd);

/** Where a command writes and how it ended (shell_io.c, main thread). */
struct evf_shell_io {
	FILE *out;                 /**< the command's output */
	bool remote;               /**< a control-socket client: a failure's message is not
	                                printed into out but kept in why */
	bool failed;               /**< evf_shell_fail() was called */
	bool aborted;              /**< the client went away: sleep and wait idle stop */
	bool end_session;          /**< "quit" from a client: end its session, not evfwd */
	char why[512];             /**< the first failure's message */
	struct evf_shell_io *prev;
};

/** Commands run in io (out set by the caller) until evf_shell_io_pop(). */
void evf_shell_io_push(struct evf_shell_io *io);
void evf_shell_io_pop(struct evf_shell_io *io);
/** The context of the running command: the console's (stdout) by default. */
struct evf_shell_io *evf_shell_io_current(void);
/** The running command's output stream. */
FILE *evf_shell_out(void);
/** The running command failed: its message (one line, no newline) goes to
 *  the console's output, or to the client's error line. */
void evf_shell_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** quit, a signal, --max-runtime, or the client of the running command hung up. */
bool evf_shell_interrupted(void);
/** Sleep ms milliseconds serving control-socket clients, or less when
 *  evf_shell_interrupted(). */
void evf_shell_pause(uint32_t ms);
/** CLOCK_MONOTONIC in milliseconds. */
uint64_t evf_shell_now_ms(void);
/** The command list for clients: one line per command, "SYNTAX<TAB>HELP";
 *  SYNTAX is its words, a choice as "a|b", "<word>", "<number>", or
 *  "<words...>" for the rest of the line (shell_grammar.c). */
void evf_shell_grammar(FILE *out);

/** A command file read line by line from a descriptor (shell_file.c). */
struct evf_line_reader {
	int fd;
	bool (*stop)(void);        /**< polled while waiting for input; NULL: never stop */
	size_t pos, end;
	char buf[4096];
};

void evf_line_reader_init(struct evf_line_reader *r, int fd, bool (*stop)(void));
/** The next line without its "\n" (and a "\r" before it) into line, which
 *  holds EVF_SHELL_LINE_MAX + 2 bytes: NUL-terminated, cut at
 *  EVF_SHELL_LINE_MAX characters; *len is the line's full length (a longer
 *  line is consumed to its newline). Returns 1, 0 at end of file, -1 on a
 *  read error or when stop() said so. */
int evf_line_reader_next(struct evf_line_reader *r, char *line, size_t *len);

/** Run a show function that reads control state on the control thread and print its text. */
int evf_shell_show_ctl(int (*fn)(FILE *, const char *), const char *arg);

/* Command tables, NULL-terminated, one per area. */
extern cmdline_parse_inst_t *evf_shell_cmds_show[];
extern cmdline_parse_inst_t *evf_shell_cmds_misc[];
extern cmdline_parse_inst_t *evf_shell_cmds_route[];
extern cmdline_parse_inst_t *evf_shell_cmds_mh[];
extern cmdline_parse_inst_t *evf_shell_cmds_l3[];
extern cmdline_parse_inst_t *evf_shell_cmds_ctlsock[];
/** "show metrics" (cmds_metrics.c). */
extern cmdline_parse_inst_t *evf_shell_cmds_metrics[];
/** The JSON forms of the show commands (cmds_json.c). */
extern cmdline_parse_inst_t *evf_shell_cmds_json[];
/** inst is one of evf_shell_cmds_json ("help" sums them up in one line). */
bool evf_shell_cmd_is_json(const cmdline_parse_inst_t *inst);

#endif /* EVF_SHELL_PRIVATE_H */
