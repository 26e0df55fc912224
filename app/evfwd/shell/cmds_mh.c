/* cmds_mh.c: the views of EVPN and multihoming state: show es [NAME], show
 * df, show routes, show ring, show lacp|lag [NAME], show events [N] (main
 * thread; the state is read on the control thread through evf_ctl_call). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evf_ctl.h"
#include "evf_events.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "show.h"
#include "shell_private.h"
#include "shell_token.h"

#define TOK_STR(res, field, str) TOKEN_STRING_INITIALIZER(struct res, field, str)

/* ---- show es [NAME] | show df | show routes | show events [N] ---- */
struct cmd_mh_result {
	cmdline_fixed_string_t show, what, name;
	uint32_t n;
};

static int
show_es_ctl(FILE *out, const char *name)
{
	return evf_show_es(out, name);
}

static int
show_df_ctl(FILE *out, const char *unused)
{
	(void)unused;
	return evf_show_df(out);
}

static int
show_routes_ctl(FILE *out, const char *unused)
{
	(void)unused;
	evf_route_print_counters(out);
	return 0;
}

static int
show_ring_ctl(FILE *out, const char *unused)
{
	(void)unused;
	evf_ring_print_status(out);
	return 0;
}

static int
show_lacp_ctl(FILE *out, const char *name)
{
	return evf_show_lacp(out, name);
}

static int
show_lag_ctl(FILE *out, const char *name)
{
	return evf_show_lag(out, name);
}

static void
cmd_mh_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_mh_result *res = r;
	(void)cl;

	if (strcmp(res->what, "es") == 0) {
		if (evf_shell_show_ctl(show_es_ctl, data ? res->name : NULL) < 0)
			evf_shell_fail("No ethernet segment named '%s'.", res->name);
	} else if (strcmp(res->what, "df") == 0) {
		evf_shell_show_ctl(show_df_ctl, NULL);
	} else if (strcmp(res->what, "routes") == 0) {
		evf_shell_show_ctl(show_routes_ctl, NULL);
	} else if (strcmp(res->what, "ring") == 0) {
		evf_shell_show_ctl(show_ring_ctl, NULL);
	} else if (strcmp(res->what, "lacp") == 0) {
		if (evf_shell_show_ctl(show_lacp_ctl, data ? res->name : NULL) < 0)
			evf_shell_fail("No LAG named '%s'.", res->name);
	} else if (strcmp(res->what, "lag") == 0) {
		if (evf_shell_show_ctl(show_lag_ctl, data ? res->name : NULL) < 0)
			evf_shell_fail("No LAG named '%s'.", res->name);
	}
}

static cmdline_parse_token_string_t mh_show = TOK_STR(cmd_mh_result, show, "show");
static cmdline_parse_token_string_t mh_what =
	TOK_STR(cmd_mh_result, what, "es#df#routes#ring#lacp#lag");
static cmdline_parse_token_string_t mh_es = TOK_STR(cmd_mh_result, what, "es#lacp#lag");
static cmdline_parse_token_string_t mh_name = EVF_TOKEN_NAME_INITIALIZER(struct cmd_mh_result, name);

static cmdline_parse_inst_t cmd_mh = {
	.f = cmd_mh_parsed,
	.data = NULL,
	.help_str = "show es|df|routes|ring|lacp|lag: ethernet segments, DF per segment and"
		" MAC-VRF, route counters, control ring state, LACP state, LAG members and counters",
	.tokens = { (void *)&mh_show, (void *)&mh_what, NULL },
};
static cmdline_parse_inst_t cmd_es_one = {
	.f = cmd_mh_parsed,
	.data = (void *)1,
	.help_str = "show es|lacp|lag <name>: one ethernet segment (name or ESI) or LAG in detail",
	.tokens = { (void *)&mh_show, (void *)&mh_es, (void *)&mh_name, NULL },
};

static int
show_events_ctl(FILE *out, const char *n)
{
	evf_event_print(out, (uint32_t)strtoul(n, NULL, 10));
	return 0;
}

static void
cmd_events_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_mh_result *res = r;
	char n[16];
	(void)cl;

	snprintf(n, sizeof(n), "%u", data ? res->n : 20u);
	evf_shell_show_ctl(show_events_ctl, n);
}

static cmdline_parse_token_string_t ev_what = TOK_STR(cmd_mh_result, what, "events");
static cmdline_parse_token_num_t ev_n = TOKEN_NUM_INITIALIZER(struct cmd_mh_result, n, RTE_UINT32);

static cmdline_parse_inst_t cmd_events = {
	.f = cmd_events_parsed,
	.data = NULL,
	.help_str = "show events: the last 20 events for the control plane (MACs, segments, DF)",
	.tokens = { (void *)&mh_show, (void *)&ev_what, NULL },
};
static cmdline_parse_inst_t cmd_events_n = {
	.f = cmd_events_parsed,
	.data = (void *)1,
	.help_str = "show events <n>: the last n events",
	.tokens = { (void *)&mh_show, (void *)&ev_what, (void *)&ev_n, NULL },
};

cmdline_parse_inst_t *evf_shell_cmds_mh[] = {
	&cmd_es_one, &cmd_mh, &cmd_events, &cmd_events_n, NULL,
};
