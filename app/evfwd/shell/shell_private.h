/* shell_private.h: what the shell's command files share (main thread). */
#ifndef EVF_SHELL_PRIVATE_H
#define EVF_SHELL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
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

#endif /* EVF_SHELL_PRIVATE_H */
