/* cmds_show.c: "show ..." and "clear stats" commands (main thread). */
#include <stdio.h>
#include <string.h>

#include "evf_stats.h"
#include "show.h"
#include "shell_private.h"
#include "shell_token.h"

#define TOK_STR(res, field, str) TOKEN_STRING_INITIALIZER(struct res, field, str)

/* ---- show port stats [all|NAME], show port info ---- */
struct cmd_port_result {
	cmdline_fixed_string_t show, port, what, name;
};

static void
cmd_port_stats_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_port_result *res = r;
	/* data NULL: bare "show port stats", the same as "all" */
	const char *name = data == NULL || strcmp(res->name, "all") == 0 ? NULL : res->name;
	(void)cl;

	if (evf_show_port_stats(evf_shell_out(), name) < 0)
		evf_shell_fail("No port named '%s' (see show port info).", res->name);
	fflush(evf_shell_out());
}

static cmdline_parse_token_string_t port_show = TOK_STR(cmd_port_result, show, "show");
static cmdline_parse_token_string_t port_port = TOK_STR(cmd_port_result, port, "port");
static cmdline_parse_token_string_t port_stats = TOK_STR(cmd_port_result, what, "stats");
static cmdline_parse_token_string_t port_name = EVF_TOKEN_NAME_INITIALIZER(struct cmd_port_result,
	name);
static cmdline_parse_token_string_t port_info = TOK_STR(cmd_port_result, what, "info");

/* One instance for "all" and names: a fixed "all" token beside a free one is ambiguous. */
static cmdline_parse_inst_t cmd_port_stats_one = {
	.f = cmd_port_stats_parsed,
	.data = (void *)1,
	.help_str = "show port stats all|<port>: packets, bytes, drops and rates (since the"
		" previous call) of every port or one",
	.tokens = { (void *)&port_show, (void *)&port_port, (void *)&port_stats,
		(void *)&port_name, NULL },
};
static cmdline_parse_inst_t cmd_port_stats_all = {
	.f = cmd_port_stats_parsed,
	.data = NULL,
	.help_str = "show port stats: the same as show port stats all",
	.tokens = { (void *)&port_show, (void *)&port_port, (void *)&port_stats, NULL },
};

static void
cmd_port_info_parsed(void *r, struct cmdline *cl, void *data)
{
	(void)r; (void)cl; (void)data;
	evf_show_ports(evf_shell_out());
	fflush(evf_shell_out());
}

static cmdline_parse_inst_t cmd_port_info = {
	.f = cmd_port_info_parsed,
	.help_str = "show port info: driver, queues, MTU, offloads and MACs of every port",
	.tokens = { (void *)&port_show, (void *)&port_port, (void *)&port_info, NULL },
};

/* ---- show xdp ---- */
struct cmd_xdp_result {
	cmdline_fixed_string_t show, xdp;
};

static void
cmd_xdp_parsed(void *r, struct cmdline *cl, void *data)
{
	(void)r; (void)cl; (void)data;
	evf_show_xdp(evf_shell_out());
	fflush(evf_shell_out());
}

static cmdline_parse_token_string_t xdp_show = TOK_STR(cmd_xdp_result, show, "show");
static cmdline_parse_token_string_t xdp_xdp = TOK_STR(cmd_xdp_result, xdp, "xdp");

static cmdline_parse_inst_t cmd_xdp = {
	.f = cmd_xdp_parsed,
	.help_str = "show xdp: XDP steering counters (packets per verdict) of net_af_xdp ports",
	.tokens = { (void *)&xdp_show, (void *)&xdp_xdp, NULL },
};

/* ---- show mac-vrf [NAME] ---- */
struct cmd_bd_result {
	cmdline_fixed_string_t show, what, name;
};

static void
cmd_bd_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_bd_result *res = r;
	const char *name = data ? res->name : NULL;
	(void)cl;

	if (evf_shell_show_ctl(evf_show_bd, name) < 0)
		evf_shell_fail("No MAC-VRF named '%s'.", name);
}

static cmdline_parse_token_string_t bd_show = TOK_STR(cmd_bd_result, show, "show");
static cmdline_parse_token_string_t bd_what = TOK_STR(cmd_bd_result, what, "mac-vrf");
static cmdline_parse_token_string_t bd_name = EVF_TOKEN_NAME_INITIALIZER(struct cmd_bd_result, name);

static cmdline_parse_inst_t cmd_bd_all = {
	.f = cmd_bd_parsed,
	.data = NULL,
	.help_str = "show mac-vrf: every MAC-VRF with its VNI, attachments, VTEPs and MAC counts",
	.tokens = { (void *)&bd_show, (void *)&bd_what, NULL },
};
static cmdline_parse_inst_t cmd_bd_one = {
	.f = cmd_bd_parsed,
	.data = (void *)1,
	.help_str = "show mac-vrf <name>: detail of one MAC-VRF",
	.tokens = { (void *)&bd_show, (void *)&bd_what, (void *)&bd_name, NULL },
};

/* ---- show fdb [mac-vrf NAME] ---- */
struct cmd_fdb_result {
	cmdline_fixed_string_t show, fdb, macvrf, name;
};

static void
cmd_fdb_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_fdb_result *res = r;
	const char *name = data ? res->name : NULL;
	(void)cl;

	if (evf_shell_show_ctl(evf_show_fdb, name) < 0)
		evf_shell_fail("No MAC-VRF named '%s'.", name);
}

static cmdline_parse_token_string_t fdb_show = TOK_STR(cmd_fdb_result, show, "show");
static cmdline_parse_token_string_t fdb_fdb = TOK_STR(cmd_fdb_result, fdb, "fdb");
static cmdline_parse_token_string_t fdb_macvrf = TOK_STR(cmd_fdb_result, macvrf, "mac-vrf");
static cmdline_parse_token_string_t fdb_name = TOK_STR(cmd_fdb_result, name, NULL);

static cmdline_parse_inst_t cmd_fdb_all = {
	.f = cmd_fdb_parsed,
	.data = NULL,
	.help_str = "show fdb: MAC table of every MAC-VRF",
	.tokens = { (void *)&fdb_show, (void *)&fdb_fdb, NULL },
};
static cmdline_parse_inst_t cmd_fdb_one = {
	.f = cmd_fdb_parsed,
	.data = (void *)1,
	.help_str = "show fdb mac-vrf <name>: MAC table of one MAC-VRF",
	.tokens = { (void *)&fdb_show, (void *)&fdb_fdb, (void *)&fdb_macvrf, (void *)&fdb_name,
		NULL },
};

/* ---- show vteps | drops [all] | workers | learning ---- */
struct cmd_simple_result {
	cmdline_fixed_string_t show, what, opt;
};

static int
show_vteps_ctl(FILE *out, const char *unused)
{
	(void)unused;
	return evf_show_vteps(out);
}

static int
show_learning_ctl(FILE *out, const char *unused)
{
	(void)unused;
	return evf_show_learning(out);
}

static void
cmd_simple_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_simple_result *res = r;
	FILE *out = evf_shell_out();
	(void)cl; (void)data;

	if (strcmp(res->what, "vteps") == 0)
		evf_shell_show_ctl(show_vteps_ctl, NULL);
	else if (strcmp(res->what, "drops") == 0)
		evf_show_drops(out, data != NULL);
	else if (strcmp(res->what, "workers") == 0)
		evf_show_workers(out);
	else if (strcmp(res->what, "learning") == 0)
		evf_shell_show_ctl(show_learning_ctl, NULL);
	fflush(out);
}

static cmdline_parse_token_string_t simple_show = TOK_STR(cmd_simple_result, show, "show");
static cmdline_parse_token_string_t simple_what =
	TOK_STR(cmd_simple_result, what, "vteps#drops#workers#learning");
static cmdline_parse_token_string_t simple_drops = TOK_STR(cmd_simple_result, what, "drops");
static cmdline_parse_token_string_t simple_all = TOK_STR(cmd_simple_result, opt, "all");

static cmdline_parse_inst_t cmd_simple = {
	.f = cmd_simple_parsed,
	.data = NULL,
	.help_str = "show vteps|drops|workers|learning: remote VTEPs, non-zero drop reasons,"
		" per-worker cycles, learning counters",
	.tokens = { (void *)&simple_show, (void *)&simple_what, NULL },
};
static cmdline_parse_inst_t cmd_drops_all = {
	.f = cmd_simple_parsed,
	.data = (void *)1,
	.help_str = "show drops all: every drop reason with its meaning",
	.tokens = { (void *)&simple_show, (void *)&simple_drops, (void *)&simple_all, NULL },
};

/* ---- clear stats ---- */
struct cmd_clear_result {
	cmdline_fixed_string_t clear, stats;
};

static void
cmd_clear_parsed(void *r, struct cmdline *cl, void *data)
{
	(void)r; (void)cl; (void)data;
	evf_stats_clear();
	fprintf(evf_shell_out(), "Statistics cleared.\n");
	fflush(evf_shell_out());
}

static cmdline_parse_token_string_t clear_clear = TOK_STR(cmd_clear_result, clear, "clear");
static cmdline_parse_token_string_t clear_stats = TOK_STR(cmd_clear_result, stats, "stats");

static cmdline_parse_inst_t cmd_clear = {
	.f = cmd_clear_parsed,
	.help_str = "clear stats: restart every port and drop counter from zero",
	.tokens = { (void *)&clear_clear, (void *)&clear_stats, NULL },
};

cmdline_parse_inst_t *evf_shell_cmds_show[] = {
	&cmd_port_stats_one, &cmd_port_stats_all, &cmd_port_info, &cmd_xdp,
	&cmd_bd_all, &cmd_bd_one,
	&cmd_fdb_all, &cmd_fdb_one,
	&cmd_drops_all, &cmd_simple,
	&cmd_clear,
	NULL,
};
