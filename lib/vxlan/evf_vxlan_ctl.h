/* evf_vxlan_ctl.h: our node and the remote VTEP table: start-up and control-thread API
 * (VTEP references, templates). */
#ifndef EVF_VXLAN_CTL_H
#define EVF_VXLAN_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_vxlan.h"

struct evf_cfg_node; /* evf_cfg.h */

/* ---- start-up (main thread) ---- */
int evf_node_init(const struct evf_cfg_node *cfg);
/** Give the state dump our VTEP addresses (evf_events.h). */
void evf_node_register_dump(void);
/** Precompute the decap fast path's expected words (after evf_node is final). */
void evf_vxlan_fast_init(void);

/* ---- control thread ---- */
int evf_vtep_table_init(void);
/** Find or create the VTEP of ip and take a reference. Returns its id or -errno. */
int evf_vtep_get(const struct evf_ip *ip);
/** Take one more reference on an existing VTEP. */
void evf_vtep_ref(uint16_t id);
/** Drop a reference; the slot is reused only after a grace period. */
void evf_vtep_put(uint16_t id);
/** VTEP id of ip, or -ENOENT (no reference taken). */
int evf_vtep_find(const struct evf_ip *ip);
/** Rebuild every template (after an uplink change). */
void evf_vtep_rebuild_all(void);
uint32_t evf_vtep_count(void);
/** Publish the usable hops of an outer family (AF_INET, AF_INET6): a new set
 *  for the workers, the old one freed after a grace period. 0, -EINVAL
 *  (family, n above EVF_MAX_HOPS) or -ENOMEM (the old set stays). */
int evf_uplinks_publish(int family, const struct evf_uplink_hop *hops, uint16_t n);
/** Forget the sets (tear-down, workers stopped). */
void evf_uplinks_reset(void);

#endif /* EVF_VXLAN_CTL_H */
