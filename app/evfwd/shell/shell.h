/* shell.h: the testpmd-style shell (main thread): interactive with help and
 * TAB completion, or commands read from a file. */
#ifndef EVF_SHELL_H
#define EVF_SHELL_H

#include <stdbool.h>

/** Run commands from path, echoing each. Returns the number of lines that
 *  failed to parse (each reported with its line number), or -1 when the file
 *  cannot be read. */
int evf_shell_run_file(const char *path);
/** Interactive shell on stdin until "quit" or end of input. */
void evf_shell_interactive(void);
/** Run one command line (tests, telemetry). Returns 0 when it parsed. */
int evf_shell_exec(const char *line);
/** "quit" was entered (or a signal asked to stop). */
bool evf_shell_quit_requested(void);
void evf_shell_request_quit(void);

#endif /* EVF_SHELL_H */
