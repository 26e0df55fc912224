/* cmds_metrics.c: "show metrics", the metrics endpoint and its counters
 * (main thread). */
#include "metrics.h"
#include "shell_private.h"

struct cmd_metrics_result {
	cmdline_fixed_string_t show, what;
};

static void
cmd_metrics_parsed(void *r, struct cmdline *cl, void *data)
{
	(void)r; (void)cl; (void)data;
	evf_metrics_show(evf_shell_out());
	fflush(evf_shell_out());
}

static cmdline_parse_token_string_t metrics_show =
	TOKEN_STRING_INITIALIZER(struct cmd_metrics_result, show, "show");
static cmdline_parse_token_string_t metrics_what =
	TOKEN_STRING_INITIALIZER(struct cmd_metrics_result, what, "metrics");

static cmdline_parse_inst_t cmd_metrics = {
	.f = cmd_metrics_parsed,
	.help_str = "show metrics: the OpenMetrics endpoint (address, connections) and its"
		" counters (scrapes, refused, cut)",
	.tokens = { (void *)&metrics_show, (void *)&metrics_what, NULL },
};

cmdline_parse_inst_t *evf_shell_cmds_metrics[] = { &cmd_metrics, NULL };
