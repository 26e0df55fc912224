/* cfg_yaml.h: private machinery of the config loader (not installed).
 *
 * A section of the config is described by a schema: a table of struct
 * cfg_key, one entry per accepted key, saying how the value is stored (typed
 * scalar written at an offset of the target object, or a handler function)
 * and whether the key is required. cfg_map_parse() checks a YAML mapping
 * against such a table (unknown keys, duplicates, missing required keys),
 * then stores every present value in table order and reports which keys were
 * set, grout-style, so the section can apply defaults and cross-key rules.
 *
 * Errors are one line, "FILE:LINE:COL: KEY-PATH: reason"; the key path is
 * kept in the context while the loader descends (cfg_path_push_*()). */
#ifndef EVF_CFG_YAML_H
#define EVF_CFG_YAML_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include <yaml.h>

#include "evf_cfg.h"

#define CFG_PATH_LEN 256
#define CFG_MAX_KEYS 32   /**< keys of one schema */

struct cfg_ctx {
	const char *file;         /**< FILE in messages */
	yaml_document_t *doc;
	struct evf_cfg *cfg;      /**< the config being filled */
	char *err;
	size_t errlen;
	char path[CFG_PATH_LEN];  /**< current key path, e.g. "ports[1].vlan" */
	size_t pathlen;
	bool failed;              /**< an error was written; later ones are dropped */
};

/** Handler of one key: parse val into obj (the object the schema fills).
 *  The key path already names the key. Returns 0 or -EINVAL after cfg_error(). */
typedef int (*cfg_handler_t)(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);

enum cfg_type {
	CFG_T_FUNC = 0,   /**< call .fn */
	CFG_T_UINT,       /**< decimal integer .min...max into an integer field */
	CFG_T_UINT0,      /**< 0, or .min...max */
	CFG_T_BOOL,       /**< true | false into a bool field */
	CFG_T_NAME,       /**< object name: [A-Za-z0-9_.-], shorter than .size */
	CFG_T_STR,        /**< non-empty string shorter than .size */
	CFG_T_UCAST_MAC,  /**< unicast, non-zero MAC into struct rte_ether_addr */
	CFG_T_IPV4,       /**< unicast IPv4 address into struct evf_ip */
	CFG_T_IPV6,       /**< unicast IPv6 address into struct evf_ip */
	CFG_T_ENUM,       /**< one of .names (NULL-terminated); the index is stored */
};

struct cfg_key {
	const char *name;
	enum cfg_type type;
	bool required;
	size_t off;                 /**< offset of the field in the object */
	size_t size;                /**< size of the field */
	uint64_t min, max;          /**< CFG_T_UINT / CFG_T_UINT0 bounds */
	const char *const *names;   /**< CFG_T_ENUM values */
	cfg_handler_t fn;           /**< CFG_T_FUNC handler */
};

#define CFG_FSIZE(T, f) sizeof(((T *)0)->f)
#define CFG_KEY_FUNC(k, handler, req) \
	{ .name = (k), .type = CFG_T_FUNC, .required = (req), .fn = (handler) }
#define CFG_KEY_UINT(k, T, f, lo, hi, req) \
	{ .name = (k), .type = CFG_T_UINT, .required = (req), .off = offsetof(T, f), \
	  .size = CFG_FSIZE(T, f), .min = (lo), .max = (hi) }
#define CFG_KEY_UINT0(k, T, f, lo, hi, req) \
	{ .name = (k), .type = CFG_T_UINT0, .required = (req), .off = offsetof(T, f), \
	  .size = CFG_FSIZE(T, f), .min = (lo), .max = (hi) }
#define CFG_KEY_TYPED(k, t, T, f, req) \
	{ .name = (k), .type = (t), .required = (req), .off = offsetof(T, f), \
	  .size = CFG_FSIZE(T, f) }
#define CFG_KEY_ENUM(k, T, f, values, req) \
	{ .name = (k), .type = CFG_T_ENUM, .required = (req), .off = offsetof(T, f), \
	  .size = CFG_FSIZE(T, f), .names = (values) }

/** A mapping after cfg_map_parse(): which keys of the schema were present. */
struct cfg_map {
	yaml_node_t *node;                 /**< the mapping itself */
	const struct cfg_key *keys;
	size_t nb_keys;
	uint32_t set;                      /**< bit i: keys[i] present */
	yaml_node_t *key[CFG_MAX_KEYS];    /**< key node of keys[i], or NULL */
	yaml_node_t *val[CFG_MAX_KEYS];    /**< value node of keys[i], or NULL */
};

/** Check node is a mapping that matches the schema and store every value
 *  into obj in table order. Returns 0 or -EINVAL (error already written). */
int cfg_map_parse(struct cfg_ctx *ctx, yaml_node_t *node, const struct cfg_key *keys,
	size_t nb_keys, void *obj, struct cfg_map *map);
/** Value node of a key of the map's schema, NULL when absent. */
yaml_node_t *cfg_map_get(const struct cfg_map *map, const char *name);

/* Key path. Each push returns the previous length to give to cfg_path_pop(). */
size_t cfg_path_push_key(struct cfg_ctx *ctx, const char *key);
size_t cfg_path_push_index(struct cfg_ctx *ctx, size_t index);
void cfg_path_pop(struct cfg_ctx *ctx, size_t len);

/** Write "FILE:LINE:COL: PATH: reason" (PATH is the current key path, left
 *  out when empty; LINE:COL is the start of node, 1:1 when NULL). Only the
 *  first error is kept. Always returns -EINVAL. */
int cfg_error(struct cfg_ctx *ctx, const yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Same at a libyaml mark (0-based line and column). */
int cfg_error_mark(struct cfg_ctx *ctx, yaml_mark_t mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** Refuse a buffer whose YAML nests deeper than EVF_CFG_MAX_DEPTH (error at
 *  the first collection too deep) without scanning past it. Returns 0 (also
 *  on a syntax error, left to the load) or -EINVAL. cfg_depth.c */
int cfg_check_depth(struct cfg_ctx *ctx, const char *buf, size_t len);

/* Node kinds. */
bool cfg_is_null(const yaml_node_t *node);
const char *cfg_kind(const yaml_node_t *node);   /**< "a mapping", "null", ... */
int cfg_expect_seq(struct cfg_ctx *ctx, yaml_node_t *node);

/* ---- list sections (cfg_list.c) ---- */
/** A list of maps: between min and max items ("more than MAX WHAT" past it,
 *  too_few below min), each parsed by parse_item into a new zeroed array of
 *  item_size-byte items with its index on the key path. set() hands the
 *  array and the count of items parsed or being parsed to the config before
 *  each item: earlier items (and this one) are visible to its checks, and
 *  whatever is there is freed with the config on error. */
struct cfg_list {
	const char *what;        /**< "ports", "mac-vrfs" */
	size_t min, max;
	const char *too_few;     /**< the error when fewer than min */
	size_t item_size;
	int (*parse_item)(struct cfg_ctx *ctx, yaml_node_t *item, void *obj);
	void (*set)(struct evf_cfg *cfg, void *items, size_t count);
};
/** 0 or -EINVAL. */
int cfg_parse_list(struct cfg_ctx *ctx, yaml_node_t *val, const struct cfg_list *l);
/** Item index of a list of structs (stride bytes from first) must not repeat
 *  an earlier item's name (char[] at name_off); the error names the earlier
 *  item's line (unsigned int at line_off). 0 or -EINVAL. */
int cfg_unique_name(struct cfg_ctx *ctx, yaml_node_t *val, const void *first, size_t stride,
	size_t index, size_t name_off, size_t line_off, const char *what);
/** The same for an array arr of structs with name and line fields. */
#define CFG_UNIQUE_NAME(ctx, val, arr, index, what) \
	cfg_unique_name((ctx), (val), (arr), sizeof((arr)[0]), (index), \
		offsetof(__typeof__((arr)[0]), name), offsetof(__typeof__((arr)[0]), line), (what))
size_t cfg_seq_len(const yaml_node_t *seq);
yaml_node_t *cfg_seq_item(struct cfg_ctx *ctx, const yaml_node_t *seq, size_t i);
/** 1-based line of a node, for "first at line N" messages. */
unsigned int cfg_line(const yaml_node_t *node);

/* Scalar getters: each checks the node kind and format, reports an error at
 * node on failure and returns 0 or -EINVAL. */
int cfg_get_str(struct cfg_ctx *ctx, yaml_node_t *node, const char **out);
int cfg_get_uint(struct cfg_ctx *ctx, yaml_node_t *node, uint64_t min, uint64_t max,
	uint64_t *out);
int cfg_get_bool(struct cfg_ctx *ctx, yaml_node_t *node, bool *out);
int cfg_get_name(struct cfg_ctx *ctx, yaml_node_t *node, char *buf, size_t size);
int cfg_get_ucast_mac(struct cfg_ctx *ctx, yaml_node_t *node, struct rte_ether_addr *mac);
/** family: AF_INET, AF_INET6 or 0 for either; the address must be unicast. */
int cfg_get_ip(struct cfg_ctx *ctx, yaml_node_t *node, int family, struct evf_ip *ip);
/** One of names (NULL-terminated); *out is its index. */
int cfg_get_enum(struct cfg_ctx *ctx, yaml_node_t *node, const char *const *names, uint64_t *out);
/** "untagged" (EVF_VLAN_UNTAGGED) or 1..4094. */
int cfg_get_vlan(struct cfg_ctx *ctx, yaml_node_t *node, bool allow_untagged, uint16_t *vlan);

#endif /* EVF_CFG_YAML_H */
