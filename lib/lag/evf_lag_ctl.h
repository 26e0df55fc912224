/* evf_lag_ctl.h: LAGs, start-up and control-thread API: creating them, the LACP poller, bucket
 * rebalancing (pure) and the view for the shell. */
#ifndef EVF_LAG_CTL_H
#define EVF_LAG_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_lag.h"

/* ---- start-up (main thread) ---- */
/** Create a LAG and its interface from its config; members are registered ports. */
int evf_lag_create(const struct evf_cfg_lag *cfg, const struct rte_ether_addr *node_mac);
/** Pool for the PDUs the control thread sends; registers the LAG poller. */
int evf_lag_start(struct rte_mempool *pool);
void evf_lag_reset(void);

/* ---- control thread ---- */
/** Poller: punted PDUs, member links, LACP timers and transmissions, tables. */
unsigned int evf_lag_poll(uint64_t now_tsc);
/** Is LAG id up (min-links distributing)? */
bool evf_lag_is_up(uint16_t id);

/** Bucket rebalancing (pure): table[b] holds a member index (0..7) or 0xff.
 *  Members of dist_mask keep their buckets up to their fair share; buckets of
 *  members that left, and the excess of members above their share, go to
 *  members below theirs. Returns the number of buckets that changed owner. */
unsigned int evf_lag_buckets_update(uint8_t table[EVF_LAG_BUCKETS], uint8_t dist_mask);

/** A snapshot of one LAG for the shell (taken on the control thread). */
struct evf_lag_member_view {
	uint16_t port;
	bool link, enabled, collecting, distributing;
	uint16_t buckets;
	struct evf_lacp_port lacp;          /**< machine state and counters (mode lacp) */
	uint64_t unknown, illegal, marker_in, marker_resp_out; /**< static mode too */
};

struct evf_lag_view {
	bool up;
	uint8_t mode_lacp, passive, fast, tx_hash, min_links, nb_members;
	uint16_t sys_prio, key;
	uint8_t sys[6];
	bool agg_bound;
	uint8_t agg_partner_sys[6];
	uint16_t agg_partner_key, agg_partner_sys_prio;
	uint16_t mgmt_port, mgmt_vlan;
	uint8_t nb_mgmt_macs;
	struct evf_lag_member_view m[EVF_LACP_MAX_MEMBERS];
};

/** Fill v for LAG id (control thread; the shell goes through evf_ctl_call). */
int evf_lag_view(uint16_t id, struct evf_lag_view *v);

#endif /* EVF_LAG_CTL_H */
