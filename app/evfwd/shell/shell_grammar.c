/* shell_grammar.c: the shell's command list as words, for clients that
 * complete commands themselves (evfwd-cli asks with "@commands"; main
 * thread). Built from the same cmdline instances the parser runs, so a
 * client never offers a command the shell would not take. */
#include <stdio.h>
#include <string.h>

#include "shell_private.h"
#include "shell_token.h"

/* One token as a client sees it: "a|b" for fixed words, "<word>" for a free
 * word, "<words...>" for the rest of the line, "<number>" for a number. */
static void
print_token(FILE *out, cmdline_parse_token_hdr_t *tk)
{
	if (tk->ops == &cmdline_token_string_ops) {
		const char *str = ((cmdline_parse_token_string_t *)tk)->string_data.str;

		if (str == NULL) {
			fputs("<word>", out);
		} else if (str[0] == '\0') { /* TOKEN_STRING_MULTI */
			fputs("<words...>", out);
		} else {
			for (const char *p = str; *p != '\0'; p++)
				fputc(*p == '#' ? '|' : *p, out);
		}
	} else if (tk->ops == &evf_token_name_ops) {
		fputs("<word>", out);
	} else if (tk->ops == &cmdline_token_num_ops) {
		fputs("<number>", out);
	} else {
		fputs("<value>", out);
	}
}

void
evf_shell_grammar(FILE *out)
{
	cmdline_parse_ctx_t *ctx = evf_shell_ctx();

	if (ctx == NULL)
		return;
	for (unsigned int i = 0; ctx[i] != NULL; i++) {
		const cmdline_parse_inst_t *inst = ctx[i];

		for (unsigned int t = 0; inst->tokens[t] != NULL; t++) {
			if (t > 0)
				fputc(' ', out);
			print_token(out, inst->tokens[t]);
		}
		fprintf(out, "\t%s\n", inst->help_str != NULL ? inst->help_str : "");
	}
}
