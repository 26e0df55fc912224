/* cfg_sections.h: the top-level sections of the config file (private).
 *
 * Each section is one file with one schema table and one handler of this
 * type, listed in the top-level table of cfg_load.c. Sections are parsed in
 * that table's order whatever the order in the file, so a section may look
 * at anything parsed before it (e.g. mac-vrfs look up ports). */
#ifndef EVF_CFG_SECTIONS_H
#define EVF_CFG_SECTIONS_H

#include "cfg_yaml.h"

/* obj is the struct evf_cfg being filled. */
int cfg_section_node(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_section_ports(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_section_bds(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_section_workers(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_section_es(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_section_ring(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_section_ctlsock(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_section_metrics(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_section_lags(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
/* cfg_l3.c: a MAC-VRF's "irb" and "arp-nd", and the checks across sections */
int cfg_bd_irb(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_bd_nd(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
void cfg_bd_nd_defaults(struct evf_cfg_nd *nd);
int cfg_validate_l3(struct cfg_ctx *ctx);
/** ADDRESS/LENGTH, a unicast host address (cfg_l3.c). */
int cfg_get_prefix(struct cfg_ctx *ctx, yaml_node_t *val, struct evf_cfg_prefix *p);
/* cfg_underlay.c: a network port's "addresses", "gateways", "probe-*", "arp-nd-rate" */
int cfg_port_addresses(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_port_gateways(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_port_probe_interval(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_port_probe_misses(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
int cfg_port_nd_rate(struct cfg_ctx *ctx, yaml_node_t *val, void *obj);
void cfg_port_ul_defaults(struct evf_cfg_underlay *ul);
/** After the whole entry: gateways reachable from an address (the probes' source). */
int cfg_port_ul_check(struct cfg_ctx *ctx, yaml_node_t *item, const struct evf_cfg_port *port);

/** name (at val) must be an interface attachments and segments can use: an
 *  access port that is no LAG member, or a LAG. what: "attachments", ... */
int cfg_check_access_iface(struct cfg_ctx *ctx, yaml_node_t *val, const char *name,
	const char *what);

/** Defaults of sections that may be absent from the file. */
void cfg_node_defaults(struct evf_cfg_node *node);
void cfg_workers_defaults(struct evf_cfg_workers *workers);

#endif /* EVF_CFG_SECTIONS_H */
