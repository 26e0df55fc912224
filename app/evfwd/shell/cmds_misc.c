/* cmds_misc.c: port start/stop, sleep, echo, wait idle, quit (main thread).
 * sleep and wait idle serve control-socket clients while they wait; "quit"
 * from a client ends its session, not evfwd. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_lag.h"
#include "evf_lag_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_runtime.h"
#include "port_hold.h"
#include "shell.h"
#include "shell_private.h"

#define TOK_STR(res, field, str) TOKEN_STRING_INITIALIZER(struct res, field, str)

/* ---- port start|stop all|NAME ---- */
struct cmd_portadm_result {
	cmdline_fixed_string_t port, action, name;
};

struct port_admin_arg {
	uint16_t port;
	bool up;
};

static int
port_admin_ctl(void *arg)
{
	const struct port_admin_arg *a = arg;

	evf_port_admin(a->port, a->up);
	return 0;
}

static void
cmd_portadm_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_portadm_result *res = r;
	uint8_t up = strcmp(res->action, "start") == 0;
	bool all = strcmp(res->name, "all") == 0, found = false;
	FILE *out = evf_shell_out();
	(void)cl; (void)data;

	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		struct evf_port *p = &evf_ports[pid];

		if (!p->configured || (!all && strcmp(p->name, res->name) != 0))
			continue;
		struct port_admin_arg arg = { pid, up };

		evf_ctl_call(port_admin_ctl, &arg);
		evf_port_hold_forget(pid); /* the operator decided: --hold-ports leaves it alone */
		fprintf(out, "Port %s %s.\n", p->name, up ? "started" : "stopped");
		found = true;
	}
	fflush(out);
	if (!found)
		evf_shell_fail("No port named '%s'.", res->name);
}

static cmdline_parse_token_string_t portadm_port = TOK_STR(cmd_portadm_result, port, "port");
static cmdline_parse_token_string_t portadm_action =
	TOK_STR(cmd_portadm_result, action, "start#stop");
static cmdline_parse_token_string_t portadm_name = TOK_STR(cmd_portadm_result, name, NULL);

static cmdline_parse_inst_t cmd_portadm = {
	.f = cmd_portadm_parsed,
	.help_str = "port start|stop <port>|all: resume or stop forwarding on a port",
	.tokens = { (void *)&portadm_port, (void *)&portadm_action, (void *)&portadm_name, NULL },
};

/* ---- sleep MS ---- */
struct cmd_sleep_result {
	cmdline_fixed_string_t sleep;
	uint32_t ms;
};

static void
cmd_sleep_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_sleep_result *res = r;
	(void)cl; (void)data;

	evf_shell_pause(res->ms);
}

static cmdline_parse_token_string_t sleep_tok = TOK_STR(cmd_sleep_result, sleep, "sleep");
static cmdline_parse_token_num_t sleep_ms =
	TOKEN_NUM_INITIALIZER(struct cmd_sleep_result, ms, RTE_UINT32);

static cmdline_parse_inst_t cmd_sleep = {
	.f = cmd_sleep_parsed,
	.help_str = "sleep <ms>: pause the command file",
	.tokens = { (void *)&sleep_tok, (void *)&sleep_ms, NULL },
};

/* ---- echo WORD (a marker a script driving a command file waits for) ---- */
struct cmd_echo_result {
	cmdline_fixed_string_t echo, word;
};

static void
cmd_echo_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_echo_result *res = r;
	(void)cl; (void)data;

	fprintf(evf_shell_out(), "%s\n", res->word);
}

static cmdline_parse_token_string_t echo_tok = TOK_STR(cmd_echo_result, echo, "echo");
static cmdline_parse_token_string_t echo_word = TOK_STR(cmd_echo_result, word, NULL);

static cmdline_parse_inst_t cmd_echo = {
	.f = cmd_echo_parsed,
	.help_str = "echo <word>: print <word> (a marker for scripts driving a command file)",
	.tokens = { (void *)&echo_tok, (void *)&echo_word, NULL },
};

/* ---- wait idle MS ---- */
struct cmd_wait_result {
	cmdline_fixed_string_t wait, idle;
	uint32_t ms;
};

static void
cmd_wait_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_wait_result *res = r;
	uint64_t end = evf_shell_now_ms() + 120000;
	(void)cl; (void)data;

	while (!evf_shell_interrupted() && evf_shell_now_ms() < end) {
		if (evf_runtime_settled(res->ms))
			break;
		evf_shell_pause(10);
	}
	/* Let the control thread apply what it dequeued last. */
	usleep(5000);
}

static cmdline_parse_token_string_t wait_tok = TOK_STR(cmd_wait_result, wait, "wait");
static cmdline_parse_token_string_t wait_idle = TOK_STR(cmd_wait_result, idle, "idle");
static cmdline_parse_token_num_t wait_ms =
	TOKEN_NUM_INITIALIZER(struct cmd_wait_result, ms, RTE_UINT32);

static cmdline_parse_inst_t cmd_wait = {
	.f = cmd_wait_parsed,
	.help_str = "wait idle <ms>: wait until no packet arrived for <ms> and learning is done",
	.tokens = { (void *)&wait_tok, (void *)&wait_idle, (void *)&wait_ms, NULL },
};

/* ---- quit ---- */
struct cmd_quit_result {
	cmdline_fixed_string_t quit;
};

static void
cmd_quit_parsed(void *r, struct cmdline *cl, void *data)
{
	struct evf_shell_io *io = evf_shell_io_current();
	(void)r; (void)data;

	if (io->remote) {
		io->end_session = true; /* a client's quit ends its session only */
		return;
	}
	evf_shell_request_quit();
	cmdline_quit(cl);
}

static cmdline_parse_token_string_t quit_tok = TOK_STR(cmd_quit_result, quit, "quit#exit");

static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: stop forwarding, print final counters and exit (from evfwd-cli: end"
		" the session)",
	.tokens = { (void *)&quit_tok, NULL },
};

cmdline_parse_inst_t *evf_shell_cmds_misc[] = {
	&cmd_portadm, &cmd_sleep, &cmd_echo, &cmd_wait, &cmd_quit, NULL,
};
