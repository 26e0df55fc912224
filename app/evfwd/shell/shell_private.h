/* shell_private.h: what the shell's command files share (main thread). */
#ifndef EVF_SHELL_PRIVATE_H
#define EVF_SHELL_PRIVATE_H

#include <stdio.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

/** Longest command line, in characters (newline not counted). */
#define EVF_SHELL_LINE_MAX 1023u

/** The parse context of every command (built once); NULL when out of memory. */
cmdline_parse_ctx_t *evf_shell_ctx(void);
/** Why a line of len bytes cannot run (longer than EVF_SHELL_LINE_MAX, a NUL,
 *  a control character other than TAB), written into why; NULL when it can. */
const char *evf_shell_line_refused(const char *line, size_t len, char *why, size_t whylen);
/** Run one line (no newline) on cl, echoing it; blank lines and comments do
 *  nothing. Errors go to stderr as "WHERE:LINENO: reason". Returns 0 or -1. */
int evf_shell_exec_line(struct cmdline *cl, const char *where, unsigned int lineno,
	const char *line);

/** Run a show function that reads control state on the control thread and print its text. */
int evf_shell_show_ctl(int (*fn)(FILE *, const char *), const char *arg);

/* Command tables, NULL-terminated, one per area. */
extern cmdline_parse_inst_t *evf_shell_cmds_show[];
extern cmdline_parse_inst_t *evf_shell_cmds_misc[];
extern cmdline_parse_inst_t *evf_shell_cmds_route[];

#endif /* EVF_SHELL_PRIVATE_H */
