/* options.h: evfwd's own command-line options (after the EAL arguments and "--"). */
#ifndef EVF_OPTIONS_H
#define EVF_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

struct evf_options {
	const char *config;        /**< --config FILE */
	const char *cmdline_file;  /**< --cmdline-file FILE */
	bool interactive;          /**< -i */
	bool check_only;           /**< --check-config */
	uint32_t exit_on_idle_ms;  /**< --exit-on-idle MS (headless) */
	uint32_t max_runtime_s;    /**< --max-runtime S */
	bool quiet;                /**< --quiet: no final stats */
	bool hold_ports;           /**< --hold-ports: ports start after the command file */
};

/** Parse argv (program name first). Returns 0, 1 after printing help, or -1 with err set. */
int evf_options_parse(int argc, char **argv, struct evf_options *o, char *err, size_t errlen);
void evf_options_usage(const char *prog);

/** Rewrite EAL arguments for this DPDK: "--in-memory" with "--no-huge" becomes
 *  "--no-shconf" (same effect, accepted together), and "-m MB" is added with
 *  --no-huge when no memory size was given. Returns a new argv (static storage). */
char **evf_eal_args_fixup(int argc, char **argv, int *out_argc, unsigned int mem_mb);

#endif /* EVF_OPTIONS_H */
