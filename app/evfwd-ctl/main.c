/* main.c: evfwd-ctl: producer and inspector of evfwd's control ring (no DPDK
 * runtime: it only maps the shared-memory object, doc/ring-abi.md).
 *   evfwd-ctl [--ring NAME] push [--producer [--new-epoch]] [--wait] [--quiet] [ROUTE WORDS...]
 *   evfwd-ctl [--ring NAME] watch [--dump] [--count N] [--timeout MS]
 *   evfwd-ctl [--ring NAME] status
 *   evfwd-ctl [--ring NAME] bench-rt2 --vni N --vtep IP [--esi ESI] [--count N] [--rate N]
 *             [--withdraw] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_main.h"
#include "evf_addr.h"

static void
usage(void)
{
	fprintf(stderr,
		"usage: evfwd-ctl [--ring NAME] push [--producer [--new-epoch]] [--wait] [--quiet]"
		" [ROUTE...]\n"
		"       evfwd-ctl [--ring NAME] watch [--dump] [--count N] [--timeout MS]\n"
		"       evfwd-ctl [--ring NAME] status\n"
		"       evfwd-ctl [--ring NAME] bench-rt2 --vni N --vtep IP [--esi ESI] [--count N]"
		" [--rate N] [--withdraw]\n"
		"push: one route from the arguments, or one per line from standard input\n"
		"      (syntax: doc/routes.md) into the manual ring: manual routes, never swept;\n"
		"      --producer: into the routes ring as its producer (also sync-begin,\n"
		"      sync-end, heartbeat; refused while evfwd-gobgp holds it)\n"
		"      --wait: wait until evfwd handled them; to the manual ring, route by\n"
		"      route: a route evfwd rejects is reported with its line (exit 1)\n");
}

static int
num(const char *opt, const char *v, unsigned long *out)
{
	uint64_t x;

	if (v == NULL || evf_u64_parse(v, 0, UINT32_MAX, &x) < 0) {
		fprintf(stderr, "evfwd-ctl: %s needs a number\n", opt);
		return -1;
	}
	*out = (unsigned long)x;
	return 0;
}

int
main(int argc, char **argv)
{
	struct ctl_opts o = { .ring = "/evfwd" };
	struct evf_ring_client r;
	char err[256];
	const char *cmd;
	int i = 1, rc;

	if (i + 1 < argc && strcmp(argv[i], "--ring") == 0) {
		o.ring = argv[i + 1];
		i += 2;
	}
	if (i >= argc) {
		usage();
		return 2;
	}
	cmd = argv[i++];
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--new-epoch") == 0 && strcmp(cmd, "push") == 0)
			o.new_epoch = true;
		else if (strcmp(argv[i], "--producer") == 0 && strcmp(cmd, "push") == 0)
			o.producer = true;
		else if (strcmp(argv[i], "--dump") == 0 && strcmp(cmd, "watch") == 0)
			o.dump = true;
		else if (strcmp(argv[i], "--wait") == 0 && strcmp(cmd, "push") == 0)
			o.wait_applied = true;
		else if (strcmp(argv[i], "--quiet") == 0)
			o.quiet = true;
		else if (strcmp(argv[i], "--count") == 0 && strcmp(cmd, "watch") == 0) {
			if (num("--count", argv[++i], &o.count) < 0)
				return 2;
		} else if (strcmp(argv[i], "--timeout") == 0 && strcmp(cmd, "watch") == 0) {
			if (num("--timeout", argv[++i], &o.timeout_ms) < 0)
				return 2;
		} else if (strcmp(cmd, "bench-rt2") == 0 && strcmp(argv[i], "--count") == 0) {
			if (num("--count", argv[++i], &o.count) < 0)
				return 2;
		} else if (strcmp(cmd, "bench-rt2") == 0 && strcmp(argv[i], "--vni") == 0) {
			unsigned long v;
			if (num("--vni", argv[++i], &v) < 0)
				return 2;
			o.vni = (uint32_t)v;
		} else if (strcmp(cmd, "bench-rt2") == 0 && strcmp(argv[i], "--vtep") == 0) {
			if (i + 1 >= argc || evf_ip_parse(argv[++i], &o.vtep) < 0) {
				fprintf(stderr, "evfwd-ctl: --vtep needs an address\n");
				return 2;
			}
		} else if (strcmp(cmd, "bench-rt2") == 0 && strcmp(argv[i], "--esi") == 0) {
			if (i + 1 >= argc || evf_esi_parse(argv[++i], &o.esi) < 0) {
				fprintf(stderr, "evfwd-ctl: --esi needs an ESI\n");
				return 2;
			}
		} else if (strcmp(cmd, "bench-rt2") == 0 && strcmp(argv[i], "--rate") == 0) {
			if (num("--rate", argv[++i], &o.rate) < 0)
				return 2;
		} else if (strcmp(cmd, "bench-rt2") == 0 && strcmp(argv[i], "--withdraw") == 0) {
			o.withdraw = true;
		} else {
			fprintf(stderr, "evfwd-ctl: unknown option %s for %s\n", argv[i], cmd);
			usage();
			return 2;
		}
	}
	if (strcmp(cmd, "push") != 0 && strcmp(cmd, "watch") != 0 && strcmp(cmd, "status") != 0 &&
	    strcmp(cmd, "bench-rt2") != 0) {
		usage();
		return 2;
	}
	if (strcmp(cmd, "push") != 0 && i < argc) {
		fprintf(stderr, "evfwd-ctl: unexpected argument '%s'\n", argv[i]);
		return 2;
	}
	if (o.new_epoch && !o.producer) {
		fprintf(stderr, "evfwd-ctl: --new-epoch is for the routes ring's producer: add"
			" --producer\n");
		return 2;
	}
	if (evf_ring_client_open(&r, o.ring, err, sizeof(err)) < 0) {
		fprintf(stderr, "evfwd-ctl: %s\n", err);
		return 2;
	}
	if (strcmp(cmd, "push") == 0)
		rc = ctl_push(&r, &o, argc - i, argv + i);
	else if (strcmp(cmd, "watch") == 0)
		rc = ctl_watch(&r, &o);
	else if (strcmp(cmd, "bench-rt2") == 0)
		rc = o.vni && o.vtep.family ? ctl_bench_rt2(&r, &o) :
			(fprintf(stderr, "evfwd-ctl: bench-rt2 needs --vni and --vtep\n"), 2);
	else
		rc = ctl_status(&r);
	evf_ring_client_close(&r);
	return rc;
}
