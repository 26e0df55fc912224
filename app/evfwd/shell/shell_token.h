/* shell_token.h: the shell's own cmdline token: a free word that is not
 * "json" (main thread, like the parser). A command that takes a name
 * ("show mac-vrf <name>") uses it so that "show mac-vrf json" is only the
 * JSON form of the list, never the text of an object named "json" (the
 * parser refuses a line two commands match). */
#ifndef EVF_SHELL_TOKEN_H
#define EVF_SHELL_TOKEN_H

#include <stddef.h>

#include <cmdline_parse.h>
#include <cmdline_parse_string.h>

extern struct cmdline_token_ops evf_token_name_ops;

/** A name token writing into a cmdline_fixed_string_t field. */
#define EVF_TOKEN_NAME_INITIALIZER(structure, field) \
	{ { &evf_token_name_ops, offsetof(structure, field) }, { NULL } }

#endif /* EVF_SHELL_TOKEN_H */
