/* cmds_ctlsock.c: "show control-socket" (main thread). */
#include "ctl_socket.h"
#include "shell_private.h"

struct cmd_ctlsock_result {
	cmdline_fixed_string_t show, what;
};

static void
cmd_ctlsock_parsed(void *r, struct cmdline *cl, void *data)
{
	(void)r; (void)cl; (void)data;
	evf_ctlsock_show(evf_shell_out());
	fflush(evf_shell_out());
}

static cmdline_parse_token_string_t ctlsock_show =
	TOKEN_STRING_INITIALIZER(struct cmd_ctlsock_result, show, "show");
static cmdline_parse_token_string_t ctlsock_what =
	TOKEN_STRING_INITIALIZER(struct cmd_ctlsock_result, what, "control-socket");

static cmdline_parse_inst_t cmd_ctlsock = {
	.f = cmd_ctlsock_parsed,
	.help_str = "show control-socket: the socket evfwd-cli connects to, its clients and"
		" counters (refused, dropped, hung up)",
	.tokens = { (void *)&ctlsock_show, (void *)&ctlsock_what, NULL },
};

cmdline_parse_inst_t *evf_shell_cmds_ctlsock[] = { &cmd_ctlsock, NULL };
