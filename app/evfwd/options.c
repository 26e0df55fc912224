/* options.c: evfwd command-line parsing and EAL argument fix-ups (main thread). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evf_addr.h"
#include "options.h"

void
evf_options_usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- --config FILE [options]\n"
	       "  --config FILE          YAML configuration (required)\n"
	       "  -i, --interactive      interactive shell (help, TAB completion)\n"
	       "  --cmdline-file FILE    run shell commands from FILE, then continue\n"
	       "  --hold-ports           ports forward only once the command file has run\n"
	       "                         (without one: until \"port start\")\n"
	       "  --exit-on-idle MS      headless: exit once no packet arrived for MS ms\n"
	       "                         (every pcap input drained), printing final stats\n"
	       "  --max-runtime S        exit after S seconds whatever happens\n"
	       "  --check-config         validate the configuration and exit\n"
	       "  --quiet                no final statistics on exit\n"
	       "  -h, --help             this text\n", prog);
}

int
evf_options_parse(int argc, char **argv, struct evf_options *o, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "cmdline-file", required_argument, NULL, 'f' },
		{ "exit-on-idle", required_argument, NULL, 'e' },
		{ "max-runtime", required_argument, NULL, 'm' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "hold-ports", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ih", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'i': o->interactive = true; break;
		case 'f': o->cmdline_file = optarg; break;
		case 'k': o->check_only = true; break;
		case 'q': o->quiet = true; break;
		case 'H': o->hold_ports = true; break;
		case 'h': evf_options_usage(argv[0]); return 1;
		case 'e':
			if (evf_u64_parse(optarg, 1, 3600000, &v) < 0) {
				snprintf(err, errlen, "--exit-on-idle: '%s' is not 1..3600000 ms", optarg);
				return -1;
			}
			o->exit_on_idle_ms = (uint32_t)v;
			break;
		case 'm':
			if (evf_u64_parse(optarg, 1, 86400 * 365, &v) < 0) {
				snprintf(err, errlen, "--max-runtime: '%s' is not a number of seconds", optarg);
				return -1;
			}
			o->max_runtime_s = (uint32_t)v;
			break;
		case ':':
			snprintf(err, errlen, "option %s needs a value", argv[optind - 1]);
			return -1;
		default:
			snprintf(err, errlen, "unknown option '%s' (see --help)", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->config == NULL) {
		snprintf(err, errlen, "--config FILE is required (see --help)");
		return -1;
	}
	return 0;
}

char **
evf_eal_args_fixup(int argc, char **argv, int *out_argc, unsigned int mem_mb)
{
	static char *out[256];
	static char mem[16];
	bool no_huge = false, has_mem = false;
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--no-huge") == 0)
			no_huge = true;
		if (strcmp(argv[i], "-m") == 0 || strncmp(argv[i], "--socket-mem", 12) == 0 ||
		    (strncmp(argv[i], "-m", 2) == 0 && argv[i][2] != '\0'))
			has_mem = true;
	}
	for (int i = 0; i < argc && n < 250; i++) {
		if (no_huge && strcmp(argv[i], "--in-memory") == 0) {
			out[n++] = (char *)"--no-shconf";
			continue;
		}
		out[n++] = argv[i];
	}
	if (no_huge && !has_mem) {
		snprintf(mem, sizeof(mem), "%u", mem_mb);
		out[n++] = (char *)"-m";
		out[n++] = mem;
	}
	out[n] = NULL;
	*out_argc = n;
	return out;
}
