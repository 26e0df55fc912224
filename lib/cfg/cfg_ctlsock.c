/* cfg_ctlsock.c: the "control-socket" section: the shell served on a unix
 * socket (app/evfwd/shell/ctl_socket.c). Present = enabled; the path
 * defaults to /run/evfwd/NODE-NAME.sock (node is parsed before). Main
 * thread, at start, like the whole loader. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg_sections.h"

static int
ctlsock_path(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_ctlsock *c = obj;
	const char *s;
	size_t len;

	if (cfg_get_str(ctx, val, &s) < 0)
		return -EINVAL;
	len = strlen(s);
	if (s[0] != '/' || len < 2 || s[len - 1] == '/')
		return cfg_error(ctx, val, "'%s' is not an absolute path to a socket file", s);
	if (len >= sizeof(c->path))
		return cfg_error(ctx, val, "path of %zu characters: a unix socket path holds at most"
			" %zu", len, sizeof(c->path) - 1);
	snprintf(c->path, sizeof(c->path), "%s", s);
	return 0;
}

#define C struct evf_cfg_ctlsock
static const struct cfg_key ctlsock_keys[] = {
	CFG_KEY_FUNC("path", ctlsock_path, false),
	CFG_KEY_UINT("max-clients", C, max_clients, 1, 1024, false),
	CFG_KEY_UINT("output-buffer", C, output_buffer, 4096, 1073741824, false),
};
#undef C

int
cfg_section_ctlsock(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg *cfg = obj;
	struct evf_cfg_ctlsock *c = &cfg->ctlsock;
	struct cfg_map map;

	c->enabled = true;
	/* a node name is at most 31 characters: this always fits */
	snprintf(c->path, sizeof(c->path), "/run/evfwd/%s.sock", cfg->node.name);
	c->max_clients = 16;
	c->output_buffer = 1048576;
	if (cfg_is_null(val))
		return 0; /* "control-socket:" alone: every default */
	return cfg_map_parse(ctx, val, ctlsock_keys, RTE_DIM(ctlsock_keys), c, &map);
}
