/* cmds_route.c: EVPN route commands and multihoming views (main thread;
 * everything that reads or changes control state runs through evf_ctl_call). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evf_ctl.h"
#include "evf_events.h"
#include "evf_fdb_ctl.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "show.h"
#include "shell_private.h"

#define TOK_STR(res, field, str) TOKEN_STRING_INITIALIZER(struct res, field, str)

/* ---- route add|del rtN ... ---- */
struct cmd_route_result {
	cmdline_fixed_string_t route, op;
	cmdline_multi_string_t rest;
};

struct route_call {
	struct evf_route r;
	int result;
};

static int
route_apply_ctl(void *arg)
{
	struct route_call *c = arg;

	c->result = evf_route_apply(&c->r);
	return 0;
}

static void
cmd_route_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_route_result *res = r;
	struct route_call call;
	char buf[sizeof(res->rest)], *tok[34], *save = NULL, err[256], text[256];
	int n = 0;
	(void)cl; (void)data;

	snprintf(buf, sizeof(buf), "%s", res->rest);
	for (char *t = strtok_r(buf, " \t", &save); t && n < 33; t = strtok_r(NULL, " \t", &save)) {
		if (n == 1)
			tok[n++] = res->op; /* "rt2 add ..." order */
		tok[n++] = t;
	}
	if (n == 1)
		tok[n++] = res->op;
	if (evf_route_parse(n, tok, &call.r, err, sizeof(err)) < 0) {
		evf_shell_fail("Route not applied: %s", err);
		return;
	}
	evf_ctl_call(route_apply_ctl, &call);
	evf_route_format(&call.r, text, sizeof(text));
	if (call.result == EVF_RR_OK) {
		fprintf(evf_shell_out(), "%s: applied\n", text);
		fflush(evf_shell_out());
	} else {
		evf_shell_fail("%s: rejected (%s)", text, evf_route_result_name(call.result));
	}
}

static cmdline_parse_token_string_t route_tok = TOK_STR(cmd_route_result, route, "route");
static cmdline_parse_token_string_t route_op = TOK_STR(cmd_route_result, op, "add#del");
static cmdline_parse_token_string_t route_rest =
	TOKEN_STRING_INITIALIZER(struct cmd_route_result, rest, TOKEN_STRING_MULTI);

static cmdline_parse_inst_t cmd_route = {
	.f = cmd_route_parsed,
	.help_str = "route add|del rt1|rt2|rt3|rt4 ...: apply an EVPN route (syntax: doc/routes.md),"
		" e.g. route add rt2 vni 1 mac 00:c1:ab:00:00:11 esi 01:11:11:11:11:11:11:00:00:01"
		" vtep 198.18.0.1 seq 0",
	.tokens = { (void *)&route_tok, (void *)&route_op, (void *)&route_rest, NULL },
};

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
static cmdline_parse_token_string_t mh_name = TOK_STR(cmd_mh_result, name, NULL);

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

/* ---- clear mac-duplication ---- */
struct cmd_unfreeze_result {
	cmdline_fixed_string_t clear, what;
};

static void
unfreeze_visit(struct evf_fdb_entry *e, void *arg)
{
	if (e->frozen) {
		evf_fdb_unfreeze(e);
		(*(unsigned int *)arg)++;
	}
}

static int
unfreeze_ctl(void *arg)
{
	evf_fdb_foreach(EVF_INVALID_ID, unfreeze_visit, arg);
	return 0;
}

static void
cmd_unfreeze_parsed(void *r, struct cmdline *cl, void *data)
{
	unsigned int n = 0;
	(void)r; (void)cl; (void)data;

	evf_ctl_call(unfreeze_ctl, &n);
	fprintf(evf_shell_out(), "%u frozen MAC(s) released.\n", n);
	fflush(evf_shell_out());
}

static cmdline_parse_token_string_t uf_clear = TOK_STR(cmd_unfreeze_result, clear, "clear");
static cmdline_parse_token_string_t uf_what = TOK_STR(cmd_unfreeze_result, what, "mac-duplication");

static cmdline_parse_inst_t cmd_unfreeze = {
	.f = cmd_unfreeze_parsed,
	.help_str = "clear mac-duplication: release every MAC frozen by duplicate detection",
	.tokens = { (void *)&uf_clear, (void *)&uf_what, NULL },
};

cmdline_parse_inst_t *evf_shell_cmds_route[] = {
	&cmd_route, &cmd_es_one, &cmd_mh, &cmd_events, &cmd_events_n, &cmd_unfreeze, NULL,
};
