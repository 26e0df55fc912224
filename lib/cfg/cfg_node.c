/* cfg_node.c: the "node" section (this VTEP's identity and global sizes). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg_sections.h"

#define N struct evf_cfg_node
static const struct cfg_key node_keys[] = {
	CFG_KEY_TYPED("name", CFG_T_NAME, N, name, false),
	CFG_KEY_TYPED("vtep-ipv4", CFG_T_IPV4, N, vtep_ipv4, false),
	CFG_KEY_TYPED("vtep-ipv6", CFG_T_IPV6, N, vtep_ipv6, false),
	CFG_KEY_TYPED("mac", CFG_T_UCAST_MAC, N, mac, false),
	CFG_KEY_UINT("udp-port", N, udp_port, 1, 65535, false),
	CFG_KEY_UINT("ttl", N, ttl, 1, 255, false),
	CFG_KEY_TYPED("udp6-zero-checksum", CFG_T_BOOL, N, udp6_zero_checksum, false),
	CFG_KEY_UINT("fdb-capacity", N, fdb_capacity, 1024, 16777216, false),
	CFG_KEY_UINT0("mbufs", N, mbufs, 1024, UINT32_MAX, false),
};
#undef N

void
cfg_node_defaults(struct evf_cfg_node *node)
{
	memset(node, 0, sizeof(*node));
	snprintf(node->name, sizeof(node->name), "evfwd");
	node->udp_port = 4789;
	node->ttl = 64;
	node->udp6_zero_checksum = false;
	node->fdb_capacity = 131072;
	node->mbufs = 0;
}

int
cfg_section_node(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg *cfg = obj;
	struct cfg_map map;

	if (cfg_map_parse(ctx, val, node_keys, RTE_DIM(node_keys), &cfg->node, &map) < 0)
		return -EINVAL;
	cfg->node.has_mac = cfg_map_get(&map, "mac") != NULL;
	return 0;
}
