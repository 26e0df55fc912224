/* main.c: evfwd entry point (main thread): options, config, control socket
 * and metrics endpoint, EAL, bring-up (ports held with --hold-ports), then the command file, the
 * shell or the headless wait (all serving the control socket), and an
 * orderly shutdown. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>

#include "evf_runtime.h"
#include "evf_xdp.h"
#include "evf_cfg.h"
#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_port_drv.h"
#include "evf_version.h"
#include "ctl_socket.h"
#include "metrics.h"
#include "options.h"
#include "port_hold.h"
#include "shell.h"
#include "show.h"
#include "telemetry.h"

static void
on_signal(int sig)
{
	(void)sig;
	evf_shell_request_quit();
}

/* Headless: until quit, a signal, --max-runtime (the shell's deadline), or
 * --exit-on-idle. */
static void
wait_headless(const struct evf_options *o)
{
	while (!evf_shell_quit_requested()) {
		if (o->exit_on_idle_ms && evf_runtime_settled(o->exit_on_idle_ms))
			break;
		evf_ctlsock_poll(-1, 0, 10); /* serves the control socket */
	}
}

static void
final_report(void)
{
	printf("\n==== final statistics ====\n");
	evf_show_port_stats(stdout, NULL);
	printf("\n");
	evf_show_drops(stdout, false);
	printf("\n");
	evf_show_workers(stdout);
	evf_show_learning(stdout);
	if (evf_xdp_any_steering()) {
		printf("\nXDP steering:\n");
		evf_show_xdp(stdout);
	}
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	char err[EVF_CFG_ERR_LEN];
	struct evf_options opt;
	struct evf_cfg *cfg;
	int sep = argc, eal_argc, app_argc, rc;
	char **eal_argv, **app_argv;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	}
	/* evfwd's own options: argv[sep+1..]; argv[0] stands in as program name. */
	app_argc = argc - sep;
	app_argv = calloc(app_argc + 1, sizeof(char *));
	if (app_argv == NULL) {
		fprintf(stderr, "evfwd: out of memory\n");
		return 1;
	}
	app_argv[0] = argv[0];
	for (int i = 1; i < app_argc; i++)
		app_argv[i] = argv[sep + i];
	/* The options keep pointers to argv's strings, not to app_argv. */
	rc = evf_options_parse(app_argc, app_argv, &opt, err, sizeof(err));
	free(app_argv);
	if (rc == 1)
		return 0;
	if (rc < 0) {
		fprintf(stderr, "evfwd: %s\n", err);
		return 2;
	}
	/* The whole configuration is validated before EAL or any port is touched. */
	cfg = evf_cfg_load(opt.config, err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "evfwd: %s\n", err);
		return 1;
	}
	if (opt.check_only) {
		printf("evfwd: %s: configuration is valid\n", opt.config);
		evf_cfg_free(cfg);
		return 0;
	}
	/* before EAL: no other thread exists while it sets the umask, and a
	 * socket in use stops evfwd before it touches any port */
	if (evf_ctlsock_open(cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "evfwd: %s\n", err);
		evf_cfg_free(cfg);
		return 1;
	}
	if (evf_metrics_open(cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "evfwd: %s\n", err);
		evf_ctlsock_close();
		evf_cfg_free(cfg);
		return 1;
	}

	eal_argv = evf_eal_args_fixup(sep, argv, &eal_argc, evf_bringup_mem_mb(cfg));
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "evfwd: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		evf_metrics_stop();
		evf_ctlsock_close();
		evf_cfg_free(cfg);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("evfwd %s starting: config %s\n", EVF_VERSION, opt.config);
	if (evf_ctlsock_path() != NULL)
		printf("evfwd: control socket %s\n", evf_ctlsock_path());

	if (evf_bringup(cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "evfwd: %s\n", err);
		evf_metrics_stop();
		evf_ctlsock_close();
		evf_cfg_free(cfg);
		rte_eal_cleanup();
		return 1;
	}
	if (opt.hold_ports)
		printf("evfwd: %u port(s) held until %s (--hold-ports)\n", evf_port_hold_all(),
		       opt.cmdline_file != NULL ? "the command file has run" : "\"port start\"");
	evf_telemetry_init();
	if (evf_bringup_launch(err, sizeof(err)) < 0) {
		fprintf(stderr, "evfwd: %s\n", err);
		evf_bringup_stop();
		evf_metrics_stop();
		evf_ctlsock_close();
		evf_cfg_free(cfg);
		rte_eal_cleanup();
		return 1;
	}
	printf("evfwd: forwarding with %u worker(s)\n", evf_rt.nb_workers);
	/* after the control thread is up: a scrape reads its state through it */
	if (evf_metrics_start(err, sizeof(err)) < 0) {
		fprintf(stderr, "evfwd: %s\n", err);
		evf_bringup_stop();
		evf_metrics_stop();
		evf_ctlsock_close();
		evf_cfg_free(cfg);
		rte_eal_cleanup();
		return 1;
	}
	if (evf_metrics_url() != NULL)
		printf("evfwd: metrics at %s\n", evf_metrics_url());
	fflush(stdout);
	/* --max-runtime bounds everything from here: command file, shell, wait */
	if (opt.max_runtime_s)
		evf_shell_set_deadline(evf_rt.start_tsc + opt.max_runtime_s * rte_get_tsc_hz());

	rc = 0;
	if (opt.cmdline_file != NULL) {
		int bad = evf_shell_run_file(opt.cmdline_file);
		if (bad < 0) {
			fprintf(stderr, "evfwd: cannot read command file %s\n", opt.cmdline_file);
			rc = 1;
		} else if (bad > 0) {
			fprintf(stderr, "evfwd: %d command(s) in %s failed\n", bad, opt.cmdline_file);
			rc = 1;
		}
		if (opt.hold_ports && !evf_shell_quit_requested()) {
			printf("evfwd: command file done: %u held port(s) started\n",
			       evf_port_hold_release());
			fflush(stdout);
		}
	}
	/* a control socket makes evfwd a daemon: it keeps serving after the file */
	if (!evf_shell_quit_requested()) {
		if (opt.interactive)
			evf_shell_interactive();
		else if (opt.cmdline_file == NULL || opt.exit_on_idle_ms || opt.max_runtime_s ||
			 evf_ctlsock_path() != NULL)
			wait_headless(&opt);
	}
	evf_ctlsock_close();
	/* before the control thread stops: a scrape calls into it */
	evf_metrics_stop();

	if (evf_shell_deadline_passed())
		printf("evfwd: --max-runtime %u s reached\n", opt.max_runtime_s);
	evf_bringup_stop();
	if (!opt.quiet)
		final_report();
	/* Devices hold RX/fill-ring mbufs until closed: count leaks after closing. */
	evf_port_close_all();
	printf("mbufs in use after stop: %u of %u\n", rte_mempool_in_use_count(evf_rt.pool),
	       evf_rt.pool->size);
	fflush(stdout);
	evf_bringup_teardown();
	evf_cfg_free(cfg);
	rte_eal_cleanup();
	return rc;
}
