/* cfg_yaml.c: schema-driven YAML mapping parser, typed scalar getters with
 * range checks, and one-line error messages carrying the key path. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "cfg_yaml.h"

/* ---- errors and key path ---- */

static int
cfg_verror(struct cfg_ctx *ctx, unsigned long line, unsigned long col,
	const char *fmt, va_list ap)
{
	char msg[EVF_CFG_ERR_LEN];

	if (ctx->failed)
		return -EINVAL;
	ctx->failed = true;
	if (ctx->err == NULL || ctx->errlen == 0)
		return -EINVAL;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (ctx->pathlen > 0)
		snprintf(ctx->err, ctx->errlen, "%s:%lu:%lu: %s: %s",
			ctx->file, line, col, ctx->path, msg);
	else
		snprintf(ctx->err, ctx->errlen, "%s:%lu:%lu: %s", ctx->file, line, col, msg);
	/* Values and keys come from the file: keep the message on one line. */
	for (char *p = ctx->err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -EINVAL;
}

int
cfg_error_mark(struct cfg_ctx *ctx, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(ctx, mark.line + 1, mark.column + 1, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int
cfg_error(struct cfg_ctx *ctx, const yaml_node_t *node, const char *fmt, ...)
{
	unsigned long line = 1, col = 1;
	va_list ap;

	if (node != NULL) {
		line = node->start_mark.line + 1;
		col = node->start_mark.column + 1;
	}
	va_start(ap, fmt);
	cfg_verror(ctx, line, col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static size_t
path_append(struct cfg_ctx *ctx, const char *fmt, const char *key, size_t index)
{
	size_t old = ctx->pathlen;
	size_t room = sizeof(ctx->path) - old;
	int n;

	if (key != NULL)
		n = snprintf(ctx->path + old, room, fmt, key);
	else
		n = snprintf(ctx->path + old, room, fmt, index);
	if (n < 0)
		n = 0;
	ctx->pathlen = (size_t)n < room ? old + (size_t)n : sizeof(ctx->path) - 1;
	return old;
}

size_t
cfg_path_push_key(struct cfg_ctx *ctx, const char *key)
{
	return path_append(ctx, ctx->pathlen > 0 ? ".%s" : "%s", key, 0);
}

size_t
cfg_path_push_index(struct cfg_ctx *ctx, size_t index)
{
	return path_append(ctx, "[%zu]", NULL, index);
}

void
cfg_path_pop(struct cfg_ctx *ctx, size_t len)
{
	ctx->pathlen = len;
	ctx->path[len] = '\0';
}

/* ---- node kinds ---- */

unsigned int
cfg_line(const yaml_node_t *node)
{
	return (unsigned int)node->start_mark.line + 1;
}

bool
cfg_is_null(const yaml_node_t *node)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < RTE_DIM(nulls); i++)
		if (strcmp((const char *)node->data.scalar.value, nulls[i]) == 0)
			return true;
	return false;
}

const char *
cfg_kind(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_SCALAR_NODE:
		return cfg_is_null(node) ? "null" : "a scalar";
	default:
		return "nothing";
	}
}

int
cfg_expect_seq(struct cfg_ctx *ctx, yaml_node_t *node)
{
	if (node->type != YAML_SEQUENCE_NODE)
		return cfg_error(ctx, node, "expected a sequence, got %s", cfg_kind(node));
	return 0;
}

size_t
cfg_seq_len(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *
cfg_seq_item(struct cfg_ctx *ctx, const yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(ctx->doc, seq->data.sequence.items.start[i]);
}

/* ---- scalars ---- */

/* A scalar that is not null. what names the expected type in messages. */
static int
get_scalar(struct cfg_ctx *ctx, yaml_node_t *node, const char *what, const char **out)
{
	const char *s = NULL;

	if (node->type != YAML_SCALAR_NODE)
		return cfg_error(ctx, node, "expected %s, got %s", what, cfg_kind(node));
	if (cfg_is_null(node))
		return cfg_error(ctx, node, "missing value (expected %s)", what);
	s = (const char *)node->data.scalar.value;
	if (strlen(s) != node->data.scalar.length)
		return cfg_error(ctx, node, "value contains a NUL character");
	*out = s;
	return 0;
}

/* Integers and booleans are plain scalars: "64" in quotes is a string. */
static int
get_plain(struct cfg_ctx *ctx, yaml_node_t *node, const char *what, const char **out)
{
	if (get_scalar(ctx, node, what, out) < 0)
		return -EINVAL;
	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return cfg_error(ctx, node, "expected %s, got a quoted string", what);
	return 0;
}

int
cfg_get_str(struct cfg_ctx *ctx, yaml_node_t *node, const char **out)
{
	return get_scalar(ctx, node, "a string", out);
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Any decimal integer that fits 64 bits; the range is checked by callers. */
static int
get_u64(struct cfg_ctx *ctx, yaml_node_t *node, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s = NULL;
	int rc;

	if (get_plain(ctx, node, "an integer", &s) < 0)
		return -EINVAL;
	if (s[0] == '0' && s[1] != '\0' && all_digits(s))
		return cfg_error(ctx, node, "'%s' is not a decimal integer (leading zero)", s);
	rc = evf_u64_parse(s, 0, UINT64_MAX, out);
	if (rc == -ERANGE || (rc < 0 && all_digits(s)))
		return cfg_error(ctx, node, "%s is out of range %" PRIu64 "..%" PRIu64, s, min, max);
	if (rc < 0)
		return cfg_error(ctx, node, "'%s' is not a decimal integer", s);
	return 0;
}

int
cfg_get_uint(struct cfg_ctx *ctx, yaml_node_t *node, uint64_t min, uint64_t max,
	uint64_t *out)
{
	uint64_t v;

	if (get_u64(ctx, node, min, max, &v) < 0)
		return -EINVAL;
	if (v < min || v > max)
		return cfg_error(ctx, node, "%" PRIu64 " is out of range %" PRIu64 "..%" PRIu64,
			v, min, max);
	*out = v;
	return 0;
}

/* 0, or min..max. */
static int
get_uint0(struct cfg_ctx *ctx, yaml_node_t *node, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (min <= 1)
		return cfg_get_uint(ctx, node, 0, max, out);
	if (get_u64(ctx, node, 0, max, &v) < 0)
		return -EINVAL;
	if (v != 0 && (v < min || v > max))
		return cfg_error(ctx, node, "%" PRIu64 " is out of range: 0 or %" PRIu64
			"..%" PRIu64, v, min, max);
	*out = v;
	return 0;
}

int
cfg_get_bool(struct cfg_ctx *ctx, yaml_node_t *node, bool *out)
{
	const char *s = NULL;

	if (get_plain(ctx, node, "a boolean", &s) < 0)
		return -EINVAL;
	if (strcmp(s, "true") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0)
		*out = false;
	else
		return cfg_error(ctx, node, "'%s' is not a boolean (true or false)", s);
	return 0;
}

static bool
name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return !first && (c == '_' || c == '.' || c == '-');
}

int
cfg_get_name(struct cfg_ctx *ctx, yaml_node_t *node, char *buf, size_t size)
{
	const char *s = NULL;
	size_t len;

	if (get_scalar(ctx, node, "a name", &s) < 0)
		return -EINVAL;
	len = strlen(s);
	if (len == 0)
		return cfg_error(ctx, node, "name must not be empty");
	if (len >= size)
		return cfg_error(ctx, node, "'%s' is longer than %zu characters", s, size - 1);
	for (size_t i = 0; i < len; i++)
		if (!name_char(s[i], i == 0))
			return cfg_error(ctx, node, "'%s' is not a valid name (letters, digits,"
				" '_', '.', '-', starting with a letter or digit)", s);
	memcpy(buf, s, len + 1);
	return 0;
}

static int
get_text(struct cfg_ctx *ctx, yaml_node_t *node, char *buf, size_t size)
{
	const char *s = NULL;
	size_t len;

	if (get_scalar(ctx, node, "a string", &s) < 0)
		return -EINVAL;
	len = strlen(s);
	if (len == 0)
		return cfg_error(ctx, node, "must not be empty");
	if (len >= size)
		return cfg_error(ctx, node, "longer than %zu characters", size - 1);
	memcpy(buf, s, len + 1);
	return 0;
}

int
cfg_get_ucast_mac(struct cfg_ctx *ctx, yaml_node_t *node, struct rte_ether_addr *mac)
{
	struct rte_ether_addr m;
	const char *s = NULL;

	if (get_scalar(ctx, node, "a MAC address", &s) < 0)
		return -EINVAL;
	if (evf_mac_parse(s, &m) < 0)
		return cfg_error(ctx, node, "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", s);
	if (rte_is_zero_ether_addr(&m))
		return cfg_error(ctx, node, "%s is the zero MAC, a unicast MAC is required", s);
	if (rte_is_broadcast_ether_addr(&m))
		return cfg_error(ctx, node, "%s is the broadcast MAC, a unicast MAC is required", s);
	if (rte_is_multicast_ether_addr(&m))
		return cfg_error(ctx, node, "%s is a multicast MAC, a unicast MAC is required", s);
	*mac = m;
	return 0;
}

/* Why ip cannot be a VTEP or host address, or NULL when it can. */
static const char *
ip_not_unicast(const struct evf_ip *ip)
{
	static const uint8_t zero[16];

	if (ip->family == AF_INET) {
		uint32_t a = ntohl(ip->v4);

		if (a == 0)
			return "the unspecified address";
		if (a == UINT32_MAX)
			return "the broadcast address";
		if ((a >> 24) == 127)
			return "a loopback address";
		if ((a >> 28) == 0xe)
			return "a multicast address";
		return NULL;
	}
	if (memcmp(ip->v6, zero, 16) == 0)
		return "the unspecified address";
	if (memcmp(ip->v6, zero, 15) == 0 && ip->v6[15] == 1)
		return "the loopback address";
	if (ip->v6[0] == 0xff)
		return "a multicast address";
	if (memcmp(ip->v6, zero, 10) == 0 && ip->v6[10] == 0xff && ip->v6[11] == 0xff)
		return "an IPv4-mapped address";
	return NULL;
}

int
cfg_get_ip(struct cfg_ctx *ctx, yaml_node_t *node, int family, struct evf_ip *ip)
{
	const char *what = family == AF_INET ? "an IPv4 address" :
		family == AF_INET6 ? "an IPv6 address" : "an IP address";
	const char *why;
	struct evf_ip a;
	const char *s = NULL;

	if (get_scalar(ctx, node, what, &s) < 0)
		return -EINVAL;
	if (evf_ip_parse(s, &a) < 0 || (family != 0 && a.family != family))
		return cfg_error(ctx, node, "'%s' is not %s", s, what);
	why = ip_not_unicast(&a);
	if (why != NULL)
		return cfg_error(ctx, node, "%s is %s, a unicast address is required", s, why);
	*ip = a;
	return 0;
}

int
cfg_get_vlan(struct cfg_ctx *ctx, yaml_node_t *node, bool allow_untagged, uint16_t *vlan)
{
	uint64_t v;

	if (allow_untagged && node->type == YAML_SCALAR_NODE && !cfg_is_null(node)) {
		const char *s = NULL;

		/* get_scalar refuses a NUL inside: "untagged\0..." is not untagged */
		if (get_scalar(ctx, node, "a VLAN", &s) < 0)
			return -EINVAL;
		if (strcmp(s, "untagged") == 0) {
			*vlan = EVF_VLAN_UNTAGGED;
			return 0;
		}
		if (!all_digits(s))
			return cfg_error(ctx, node, "'%s' is not a VLAN (1..4094 or untagged)", s);
	}
	if (cfg_get_uint(ctx, node, 1, 4094, &v) < 0)
		return -EINVAL;
	*vlan = (uint16_t)v;
	return 0;
}

/* ---- schema-driven mappings ---- */

static void
store_uint(void *field, size_t size, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1:
		memcpy(field, &u8, 1);
		break;
	case 2:
		memcpy(field, &u16, 2);
		break;
	case 4:
		memcpy(field, &u32, 4);
		break;
	default:
		memcpy(field, &v, 8);
		break;
	}
}

int
cfg_get_enum(struct cfg_ctx *ctx, yaml_node_t *node, const char *const *names, uint64_t *out)
{
	char list[128] = "";
	size_t off = 0;
	const char *s = NULL;

	if (get_scalar(ctx, node, "a string", &s) < 0)
		return -EINVAL;
	for (size_t i = 0; names[i] != NULL; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
		if (off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
				i > 0 ? ", " : "", names[i]);
	}
	return cfg_error(ctx, node, "'%s' is not one of: %s", s, list);
}

static int
store_value(struct cfg_ctx *ctx, const struct cfg_key *k, yaml_node_t *val, void *obj)
{
	void *field = (char *)obj + k->off;
	uint64_t v = 0;
	bool b;
	int rc;

	switch (k->type) {
	case CFG_T_FUNC:
		return k->fn(ctx, val, obj);
	case CFG_T_UINT:
		rc = cfg_get_uint(ctx, val, k->min, k->max, &v);
		break;
	case CFG_T_UINT0:
		rc = get_uint0(ctx, val, k->min, k->max, &v);
		break;
	case CFG_T_ENUM:
		rc = cfg_get_enum(ctx, val, k->names, &v);
		break;
	case CFG_T_BOOL:
		if (cfg_get_bool(ctx, val, &b) < 0)
			return -EINVAL;
		memcpy(field, &b, sizeof(b));
		return 0;
	case CFG_T_NAME:
		return cfg_get_name(ctx, val, field, k->size);
	case CFG_T_STR:
		return get_text(ctx, val, field, k->size);
	case CFG_T_UCAST_MAC:
		return cfg_get_ucast_mac(ctx, val, field);
	case CFG_T_IPV4:
		return cfg_get_ip(ctx, val, AF_INET, field);
	case CFG_T_IPV6:
		return cfg_get_ip(ctx, val, AF_INET6, field);
	default:
		return cfg_error(ctx, val, "internal error: bad schema type %d", (int)k->type);
	}
	if (rc < 0)
		return -EINVAL;
	store_uint(field, k->size, v);
	return 0;
}

static size_t
find_key(const struct cfg_key *keys, size_t nb_keys, const yaml_node_t *k)
{
	for (size_t i = 0; i < nb_keys; i++)
		if (strlen(keys[i].name) == k->data.scalar.length &&
				memcmp(keys[i].name, k->data.scalar.value, k->data.scalar.length) == 0)
			return i;
	return nb_keys;
}

int
cfg_map_parse(struct cfg_ctx *ctx, yaml_node_t *node, const struct cfg_key *keys,
	size_t nb_keys, void *obj, struct cfg_map *map)
{
	yaml_node_pair_t *pair;

	memset(map, 0, sizeof(*map));
	map->node = node;
	map->keys = keys;
	map->nb_keys = nb_keys;
	if (nb_keys > CFG_MAX_KEYS)
		return cfg_error(ctx, node, "internal error: schema has too many keys");
	if (node->type != YAML_MAPPING_NODE)
		return cfg_error(ctx, node, "expected a mapping, got %s", cfg_kind(node));

	/* Phase 1: the keys alone. */
	for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(ctx->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(ctx->doc, pair->value);
		size_t i;

		if (k == NULL || v == NULL)
			return cfg_error(ctx, node, "internal error: dangling node");
		if (k->type != YAML_SCALAR_NODE)
			return cfg_error(ctx, k, "expected a key, got %s", cfg_kind(k));
		i = find_key(keys, nb_keys, k);
		if (i == nb_keys)
			return cfg_error(ctx, k, "unknown key '%s'", (const char *)k->data.scalar.value);
		if (map->val[i] != NULL)
			return cfg_error(ctx, k, "duplicate key '%s' (first at line %u)",
				keys[i].name, cfg_line(map->key[i]));
		map->key[i] = k;
		map->val[i] = v;
		map->set |= UINT32_C(1) << i;
	}
	for (size_t i = 0; i < nb_keys; i++)
		if (keys[i].required && map->val[i] == NULL)
			return cfg_error(ctx, node, "missing required key '%s'", keys[i].name);

	/* Phase 2: the values, in schema order. */
	for (size_t i = 0; i < nb_keys; i++) {
		size_t old;
		int rc;

		if (map->val[i] == NULL)
			continue;
		old = cfg_path_push_key(ctx, keys[i].name);
		rc = store_value(ctx, &keys[i], map->val[i], obj);
		cfg_path_pop(ctx, old);
		if (rc < 0)
			return -EINVAL;
	}
	return 0;
}

yaml_node_t *
cfg_map_get(const struct cfg_map *map, const char *name)
{
	for (size_t i = 0; i < map->nb_keys; i++)
		if (strcmp(map->keys[i].name, name) == 0)
			return map->val[i];
	return NULL;
}
