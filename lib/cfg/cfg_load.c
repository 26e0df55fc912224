/* cfg_load.c: entry points of the config loader: read the file, let libyaml
 * build the document, walk the top-level sections and run the checks that
 * need the whole config. Also evf_cfg_free() and lookups. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_sections.h"

#define CFG_FILE_MAX (16u << 20)  /**< larger config files are refused */

/* Top-level sections, parsed in this order whatever the order in the file:
 * a section may use what the sections above it filled in. */
static const struct cfg_key top_keys[] = {
	CFG_KEY_FUNC("node", cfg_section_node, true),
	CFG_KEY_FUNC("ports", cfg_section_ports, true),
	CFG_KEY_FUNC("lags", cfg_section_lags, false),
	CFG_KEY_FUNC("mac-vrfs", cfg_section_bds, false),
	CFG_KEY_FUNC("ethernet-segments", cfg_section_es, false),
	CFG_KEY_FUNC("control-ring", cfg_section_ring, false),
	CFG_KEY_FUNC("control-socket", cfg_section_ctlsock, false),
	CFG_KEY_FUNC("metrics", cfg_section_metrics, false),
	CFG_KEY_FUNC("workers", cfg_section_workers, false),
};

/* "FILE: reason", for errors that have no position. */
static void __attribute__((format(printf, 4, 5)))
file_error(char *err, size_t errlen, const char *file, const char *fmt, ...)
{
	char msg[EVF_CFG_ERR_LEN];
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", file, msg);
}

/* Report why libyaml failed, at its mark. */
static void
yaml_failure(struct cfg_ctx *ctx, const yaml_parser_t *p, const char *buf, size_t len)
{
	const char *problem = p->problem != NULL ? p->problem : "unknown error";
	yaml_mark_t mark = p->problem_mark;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		ctx->failed = true;
		file_error(ctx->err, ctx->errlen, ctx->file, "out of memory");
		return;
	case YAML_READER_ERROR:
		/* Only a byte offset is known: count lines up to it. */
		memset(&mark, 0, sizeof(mark));
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if (buf[i] == '\n') {
				mark.line++;
				mark.column = 0;
			} else {
				mark.column++;
			}
		}
		if (p->problem_value != -1)
			cfg_error_mark(ctx, mark, "invalid input: %s (byte 0x%02x)", problem,
				(unsigned int)p->problem_value & 0xff);
		else
			cfg_error_mark(ctx, mark, "invalid input: %s", problem);
		return;
	default:
		if (p->context != NULL)
			cfg_error_mark(ctx, mark, "syntax error: %s (%s at line %lu column %lu)",
				problem, p->context, (unsigned long)p->context_mark.line + 1,
				(unsigned long)p->context_mark.column + 1);
		else
			cfg_error_mark(ctx, mark, "syntax error: %s", problem);
		return;
	}
}

/* Checks across sections that no single section can do. */
static int
cfg_validate(struct cfg_ctx *ctx, const struct cfg_map *top)
{
	const struct evf_cfg *cfg = ctx->cfg;
	bool network = false;

	for (uint16_t i = 0; i < cfg->nb_ports; i++)
		network |= cfg->ports[i].role == EVF_ROLE_NETWORK;
	if (network && cfg->node.vtep_ipv4.family == 0 && cfg->node.vtep_ipv6.family == 0) {
		cfg_path_push_key(ctx, "node");
		return cfg_error(ctx, cfg_map_get(top, "node"),
			"vtep-ipv4 or vtep-ipv6 is required when there is a network port");
	}
	return cfg_validate_l3(ctx);
}

static int
cfg_parse(struct cfg_ctx *ctx, yaml_node_t *root)
{
	struct cfg_map top;

	cfg_node_defaults(&ctx->cfg->node);
	cfg_workers_defaults(&ctx->cfg->workers);
	if (cfg_map_parse(ctx, root, top_keys, RTE_DIM(top_keys), ctx->cfg, &top) < 0)
		return -EINVAL;
	return cfg_validate(ctx, &top);
}

struct evf_cfg *
evf_cfg_load_buffer(const char *name, const char *buf, size_t len, char *err, size_t errlen)
{
	struct cfg_ctx ctx = {
		.file = name != NULL ? name : "<config>",
		.err = err,
		.errlen = errlen,
	};
	yaml_document_t doc, extra;
	yaml_parser_t parser;
	bool have_doc = false;
	struct evf_cfg *cfg;
	yaml_node_t *root;
	int rc = -1;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (buf == NULL)
		buf = "";
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL) {
		file_error(err, errlen, ctx.file, "out of memory");
		return NULL;
	}
	ctx.cfg = cfg;
	snprintf(cfg->path, sizeof(cfg->path), "%s", ctx.file);
	if (!yaml_parser_initialize(&parser)) {
		file_error(err, errlen, ctx.file, "out of memory");
		free(cfg);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	if (cfg_check_depth(&ctx, buf, len) < 0)
		goto out;
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_failure(&ctx, &parser, buf, len);
		goto out;
	}
	have_doc = true;
	ctx.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || cfg_is_null(root)) {
		cfg_error(&ctx, root, "configuration is empty");
		goto out;
	}
	/* Exactly one document: load the rest of the stream. */
	if (!yaml_parser_load(&parser, &extra)) {
		yaml_failure(&ctx, &parser, buf, len);
		goto out;
	}
	if (yaml_document_get_root_node(&extra) != NULL) {
		cfg_error_mark(&ctx, extra.start_mark, "only one YAML document is allowed");
		yaml_document_delete(&extra);
		goto out;
	}
	yaml_document_delete(&extra);
	rc = cfg_parse(&ctx, root);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc < 0) {
		evf_cfg_free(cfg);
		return NULL;
	}
	return cfg;
}

struct evf_cfg *
evf_cfg_load(const char *path, char *err, size_t errlen)
{
	struct evf_cfg *cfg = NULL;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	FILE *f;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	f = fopen(path, "rb");
	if (f == NULL) {
		file_error(err, errlen, path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			char *nbuf;

			if (cap >= CFG_FILE_MAX) {
				if (fgetc(f) == EOF && !ferror(f))
					break;
				file_error(err, errlen, path, "larger than %u MiB", CFG_FILE_MAX >> 20);
				goto out;
			}
			cap = cap == 0 ? 16384 : cap * 2;
			nbuf = realloc(buf, cap + 1);
			if (nbuf == NULL) {
				file_error(err, errlen, path, "out of memory");
				goto out;
			}
			buf = nbuf;
		}
		errno = 0;
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n > 0)
			continue;
		if (ferror(f)) {
			file_error(err, errlen, path, "cannot read: %s",
				strerror(errno != 0 ? errno : EIO));
			goto out;
		}
		break;
	}
	cfg = evf_cfg_load_buffer(path, buf, len, err, errlen);
out:
	free(buf);
	fclose(f);
	return cfg;
}

void
evf_cfg_free(struct evf_cfg *cfg)
{
	if (cfg == NULL)
		return;
	for (uint16_t i = 0; i < cfg->nb_bds; i++) {
		free(cfg->bds[i].attach);
		free(cfg->bds[i].vteps);
		free(cfg->bds[i].macs);
		free(cfg->bds[i].local_macs);
	}
	free(cfg->bds);
	free(cfg->lags);
	free(cfg->es);
	free(cfg->ports);
	free(cfg);
}

int
evf_cfg_port_index(const struct evf_cfg *cfg, const char *name)
{
	for (uint16_t i = 0; i < cfg->nb_ports; i++)
		if (strcmp(cfg->ports[i].name, name) == 0)
			return i;
	return -ENOENT;
}
