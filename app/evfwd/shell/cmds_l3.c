/* cmds_l3.c: the gateway and ARP/ND commands: show arp|nd [MAC-VRF], show
 * irb, show underlay, clear ip-duplication (main thread; the state is read and changed on
 * the control thread through evf_ctl_call). */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "evf_ctl.h"
#include "evf_nd_ctl.h"
#include "show.h"
#include "shell_private.h"
#include "shell_token.h"

#define TOK_STR(res, field, str) TOKEN_STRING_INITIALIZER(struct res, field, str)

struct cmd_l3_result {
	cmdline_fixed_string_t verb, what, name;
};

static int
show_arp_ctl(FILE *out, const char *name)
{
	return evf_show_bindings(out, name, AF_INET);
}

static int
show_nd_ctl(FILE *out, const char *name)
{
	return evf_show_bindings(out, name, AF_INET6);
}

static int
show_irb_ctl(FILE *out, const char *unused)
{
	(void)unused;
	return evf_show_irb(out);
}

static int
show_underlay_ctl(FILE *out, const char *unused)
{
	(void)unused;
	return evf_show_underlay(out);
}

static void
cmd_show_parsed(void *r, struct cmdline *cl, void *data)
{
	struct cmd_l3_result *res = r;
	const char *name = data ? res->name : NULL;
	(void)cl;

	if (strcmp(res->what, "irb") == 0) {
		evf_shell_show_ctl(show_irb_ctl, NULL);
		return;
	}
	if (strcmp(res->what, "underlay") == 0) {
		evf_shell_show_ctl(show_underlay_ctl, NULL);
		return;
	}
	if (evf_shell_show_ctl(strcmp(res->what, "arp") == 0 ? show_arp_ctl : show_nd_ctl,
			       name) < 0)
		evf_shell_fail("No MAC-VRF named '%s'.", name);
}

static cmdline_parse_token_string_t l3_show = TOK_STR(cmd_l3_result, verb, "show");
static cmdline_parse_token_string_t l3_what = TOK_STR(cmd_l3_result, what, "arp#nd#irb#underlay");
static cmdline_parse_token_string_t l3_one = TOK_STR(cmd_l3_result, what, "arp#nd");
static cmdline_parse_token_string_t l3_name = EVF_TOKEN_NAME_INITIALIZER(struct cmd_l3_result, name);

static cmdline_parse_inst_t cmd_show_l3 = {
	.f = cmd_show_parsed,
	.data = NULL,
	.help_str = "show arp|nd|irb|underlay: ARP (IPv4) or ND (IPv6) bindings of every MAC-VRF;"
		" the gateways, their addresses, host paths and ARP/ND counters; the network"
		" ports' addresses, underlay gateways, usable uplinks and their counters",
	.tokens = { (void *)&l3_show, (void *)&l3_what, NULL },
};

static cmdline_parse_inst_t cmd_show_l3_one = {
	.f = cmd_show_parsed,
	.data = (void *)1,
	.help_str = "show arp|nd <mac-vrf>: the bindings of one MAC-VRF",
	.tokens = { (void *)&l3_show, (void *)&l3_one, (void *)&l3_name, NULL },
};

static int
unfreeze_ctl(void *arg)
{
	*(unsigned int *)arg = evf_nd_unfreeze_all();
	return 0;
}

static void
cmd_unfreeze_parsed(void *r, struct cmdline *cl, void *data)
{
	unsigned int n = 0;
	(void)r; (void)cl; (void)data;

	evf_ctl_call(unfreeze_ctl, &n);
	fprintf(evf_shell_out(), "%u frozen address(es) released.\n", n);
	fflush(evf_shell_out());
}

static cmdline_parse_token_string_t uf_clear = TOK_STR(cmd_l3_result, verb, "clear");
static cmdline_parse_token_string_t uf_what = TOK_STR(cmd_l3_result, what, "ip-duplication");

static cmdline_parse_inst_t cmd_unfreeze = {
	.f = cmd_unfreeze_parsed,
	.help_str = "clear ip-duplication: release every address frozen by duplicate IP detection",
	.tokens = { (void *)&uf_clear, (void *)&uf_what, NULL },
};

cmdline_parse_inst_t *evf_shell_cmds_l3[] = {
	&cmd_show_l3, &cmd_show_l3_one, &cmd_unfreeze, NULL,
};
