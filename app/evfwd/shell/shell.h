/* shell.h: the testpmd-style shell (main thread): interactive with help and
 * TAB completion, or commands read from a file. */
#ifndef EVF_SHELL_H
#define EVF_SHELL_H

#include <stdbool.h>
#include <stdint.h>

/** Run commands from path (a file or a FIFO), echoing each, until its end,
 *  quit or the deadline. A line longer than 1023 characters, or holding a NUL
 *  or a control character, is refused whole. Returns the number of lines that
 *  failed or were refused (each reported with its line number), or -1 when
 *  the file cannot be opened. */
int evf_shell_run_file(const char *path);
/** Interactive shell on stdin until "quit" or end of input. */
void evf_shell_interactive(void);
/** Run one command line (tests, telemetry). Returns 0 when it parsed. */
int evf_shell_exec(const char *line);
/** "quit" was entered, a signal asked to stop, or the deadline passed. */
bool evf_shell_quit_requested(void);
void evf_shell_request_quit(void);
/** --max-runtime: stop at this TSC value (0: never). Command files, sleep,
 *  wait idle, the interactive shell and the headless wait all end there. */
void evf_shell_set_deadline(uint64_t tsc);
/** The deadline is set and passed. */
bool evf_shell_deadline_passed(void);

#endif /* EVF_SHELL_H */
