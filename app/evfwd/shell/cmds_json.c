/* cmds_json.c: the JSON form of every show command, "show ... json" (main
 * thread; a function that reads control state runs on the control thread
 * through evf_shell_show_ctl). The forms and their schemas are in
 * doc/shell.md "JSON output"; test ops-json checks that every show command
 * the shell lists has one here. A failure says what the text form says
 * ("No MAC-VRF named 'X'.") and prints nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl_socket.h"
#include "json.h"
#include "metrics.h"
#include "shell_private.h"

#define TOK_STR(field, str) TOKEN_STRING_INITIALIZER(struct cmd_json_result, field, str)

struct cmd_json_result {
	cmdline_fixed_string_t show, what, what2, name, json;
	uint32_t n;
};

/* How a JSON form runs: its function, on which thread, and what a failed
 * lookup says. */
struct json_cmd {
	const char *word;                       /**< the word after "show" */
	int (*fn)(FILE *out, const char *arg);
	bool ctl;                               /**< reads control state */
	const char *not_found;                  /**< format with the name, or NULL */
};

static const struct json_cmd json_cmds[] = {
	{ "port", evf_json_port_stats, false, "No port named '%s' (see show port info)." },
	{ "info", evf_json_port_info, false, NULL },
	{ "xdp", evf_json_xdp, false, NULL },
	{ "drops", evf_json_drops, false, NULL },
	{ "workers", evf_json_workers, false, NULL },
	{ "control-socket", evf_ctlsock_show_json, false, NULL },
	{ "metrics", evf_metrics_show_json, false, NULL },
	{ "mac-vrf", evf_json_mac_vrf, true, "No MAC-VRF named '%s'." },
	{ "fdb", evf_json_fdb, true, "No MAC-VRF named '%s'." },
	{ "vteps", evf_json_vteps, true, NULL },
	{ "learning", evf_json_learning, true, NULL },
	{ "es", evf_json_es, true, "No ethernet segment named '%s'." },
	{ "df", evf_json_df, true, NULL },
	{ "routes", evf_json_routes, true, NULL },
	{ "ring", evf_json_ring, true, NULL },
	{ "lacp", evf_json_lacp, true, "No LAG named '%s'." },
	{ "lag", evf_json_lag, true, "No LAG named '%s'." },
	{ "events", evf_json_events, true, NULL },
	{ "arp", evf_json_arp, true, "No MAC-VRF named '%s'." },
	{ "nd", evf_json_nd, true, "No MAC-VRF named '%s'." },
	{ "irb", evf_json_irb, true, NULL },
	{ "underlay", evf_json_underlay, true, NULL },
};

static const struct json_cmd *
json_cmd_of(const char *word)
{
	for (size_t i = 0; i < sizeof(json_cmds) / sizeof(json_cmds[0]); i++)
		if (strcmp(json_cmds[i].word, word) == 0)
			return &json_cmds[i];
	return NULL;
}

static void
run(const struct json_cmd *c, const char *arg)
{
	FILE *out = evf_shell_out();
	int rc;

	if (c == NULL) {
		evf_shell_fail("no JSON form for this command");
		return;
	}
	rc = c->ctl ? evf_shell_show_ctl(c->fn, arg) : c->fn(out, arg);
	fflush(out);
	if (rc == -ENOENT && c->not_found != NULL && arg != NULL)
		evf_shell_fail(c->not_found, arg);
	else if (rc < 0)
		evf_shell_fail("out of memory while building the JSON output");
}

/* What each instance's data says about its arguments. */
enum json_arg { ARG_NONE, ARG_NAME, ARG_ALL, ARG_NUM, ARG_INFO };

static void
cmd_json_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_json_result *res = r;
	enum json_arg how = (enum json_arg)(uintptr_t)data;
	char num[16];
	(void)cl;

	switch (how) {
	case ARG_NONE:
		/* show events json: the last 20, like the text */
		run(json_cmd_of(res->what), strcmp(res->what, "events") == 0 ? "20" : NULL);
		break;
	case ARG_NAME:
		run(json_cmd_of(res->what), res->name);
		break;
	case ARG_ALL:
		run(json_cmd_of(res->what), "all");
		break;
	case ARG_NUM:
		snprintf(num, sizeof(num), "%u", res->n);
		run(json_cmd_of(res->what), num);
		break;
	case ARG_INFO:
		run(json_cmd_of(strcmp(res->what2, "info") == 0 ? "info" : "port"), NULL);
		break;
	}
}

bool
evf_shell_cmd_is_json(const cmdline_parse_inst_t *inst)
{
	return inst->f == cmd_json_parsed;
}

static cmdline_parse_token_string_t j_show = TOK_STR(show, "show");
static cmdline_parse_token_string_t j_json = TOK_STR(json, "json");
static cmdline_parse_token_string_t j_name = TOK_STR(name, NULL);
static cmdline_parse_token_string_t j_simple = TOK_STR(what, "xdp#vteps#drops#workers#learning#"
	"mac-vrf#fdb#es#df#routes#ring#lacp#lag#events#control-socket#metrics#arp#nd#irb#underlay");
static cmdline_parse_token_string_t j_named = TOK_STR(what, "mac-vrf#es#lacp#lag#arp#nd");
static cmdline_parse_token_string_t j_port = TOK_STR(what, "port");
static cmdline_parse_token_string_t j_stats_info = TOK_STR(what2, "stats#info");
static cmdline_parse_token_string_t j_stats = TOK_STR(what2, "stats");
static cmdline_parse_token_string_t j_drops = TOK_STR(what, "drops");
static cmdline_parse_token_string_t j_all = TOK_STR(what2, "all");
static cmdline_parse_token_string_t j_fdb = TOK_STR(what, "fdb");
static cmdline_parse_token_string_t j_macvrf = TOK_STR(what2, "mac-vrf");
static cmdline_parse_token_string_t j_events = TOK_STR(what, "events");
static cmdline_parse_token_num_t j_n = TOKEN_NUM_INITIALIZER(struct cmd_json_result, n, RTE_UINT32);

static cmdline_parse_inst_t cmd_json_simple = {
	.f = cmd_json_parsed,
	.data = (void *)ARG_NONE,
	.help_str = "show xdp|vteps|drops|workers|learning|mac-vrf|fdb|es|df|routes|ring|lacp|lag|"
		"events|control-socket|metrics|arp|nd|irb|underlay json: the same as JSON",
	.tokens = { (void *)&j_show, (void *)&j_simple, (void *)&j_json, NULL },
};
static cmdline_parse_inst_t cmd_json_named = {
	.f = cmd_json_parsed,
	.data = (void *)ARG_NAME,
	.help_str = "show mac-vrf|es|lacp|lag|arp|nd <name> json: one object as JSON",
	.tokens = { (void *)&j_show, (void *)&j_named, (void *)&j_name, (void *)&j_json, NULL },
};
static cmdline_parse_inst_t cmd_json_port = {
	.f = cmd_json_parsed,
	.data = (void *)ARG_INFO,
	.help_str = "show port stats|info json: every port's counters or configuration as JSON",
	.tokens = { (void *)&j_show, (void *)&j_port, (void *)&j_stats_info, (void *)&j_json,
		NULL },
};
static cmdline_parse_inst_t cmd_json_port_one = {
	.f = cmd_json_parsed,
	.data = (void *)ARG_NAME,
	.help_str = "show port stats all|<port> json: the counters of every port or one as JSON",
	.tokens = { (void *)&j_show, (void *)&j_port, (void *)&j_stats, (void *)&j_name,
		(void *)&j_json, NULL },
};
static cmdline_parse_inst_t cmd_json_drops_all = {
	.f = cmd_json_parsed,
	.data = (void *)ARG_ALL,
	.help_str = "show drops all json: every drop reason as JSON",
	.tokens = { (void *)&j_show, (void *)&j_drops, (void *)&j_all, (void *)&j_json, NULL },
};
static cmdline_parse_inst_t cmd_json_fdb_one = {
	.f = cmd_json_parsed,
	.data = (void *)ARG_NAME,
	.help_str = "show fdb mac-vrf <name> json: the MAC table of one MAC-VRF as JSON",
	.tokens = { (void *)&j_show, (void *)&j_fdb, (void *)&j_macvrf, (void *)&j_name,
		(void *)&j_json, NULL },
};
static cmdline_parse_inst_t cmd_json_events_n = {
	.f = cmd_json_parsed,
	.data = (void *)ARG_NUM,
	.help_str = "show events <n> json: the last n events as JSON",
	.tokens = { (void *)&j_show, (void *)&j_events, (void *)&j_n, (void *)&j_json, NULL },
};

cmdline_parse_inst_t *evf_shell_cmds_json[] = {
	&cmd_json_simple, &cmd_json_named, &cmd_json_port, &cmd_json_port_one,
	&cmd_json_drops_all, &cmd_json_fdb_one, &cmd_json_events_n, NULL,
};
