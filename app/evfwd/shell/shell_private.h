/* shell_private.h: what the shell's command files share (main thread). */
#ifndef EVF_SHELL_PRIVATE_H
#define EVF_SHELL_PRIVATE_H

#include <stdio.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

/** Run a show function that reads control state on the control thread and print its text. */
int evf_shell_show_ctl(int (*fn)(FILE *, const char *), const char *arg);

/* Command tables, NULL-terminated, one per area. */
extern cmdline_parse_inst_t *evf_shell_cmds_show[];
extern cmdline_parse_inst_t *evf_shell_cmds_misc[];
extern cmdline_parse_inst_t *evf_shell_cmds_route[];

#endif /* EVF_SHELL_PRIVATE_H */
