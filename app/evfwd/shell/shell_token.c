/* shell_token.c: a free word that is not "json" (shell_token.h; main
 * thread). Parsing, completion and help are cmdline's free string token's;
 * only the word "json" is refused. */
#include <string.h>

#include "shell_token.h"

/* Where cmdline ends a token. */
static size_t
token_len(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0' && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' && s[n] != '\r' &&
	       s[n] != '#')
		n++;
	return n;
}

static int
parse_name(cmdline_parse_token_hdr_t *tk, const char *buf, void *res, unsigned int ressize)
{
	if (buf != NULL && token_len(buf) == 4 && strncmp(buf, "json", 4) == 0)
		return -1;
	return cmdline_parse_string(tk, buf, res, ressize);
}

struct cmdline_token_ops evf_token_name_ops = {
	.parse = parse_name,
	.complete_get_nb = cmdline_complete_get_nb_string,
	.complete_get_elt = cmdline_complete_get_elt_string,
	.get_help = cmdline_get_help_string,
};
