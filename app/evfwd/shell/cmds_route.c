/* cmds_route.c: EVPN route commands: route add|del, clear mac-duplication
 * (main thread; everything that reads or changes control state runs through
 * evf_ctl_call). The views of segments, LAGs, routes and events:
 * cmds_mh.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evf_ctl.h"
#include "evf_fdb_ctl.h"
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
	&cmd_route, &cmd_unfreeze, NULL,
};
