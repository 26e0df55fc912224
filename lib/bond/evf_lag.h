/* evf_lag.h: runtime LAGs (link aggregation groups of access ports).
 *
 * Workers read struct evf_lag: the distribution table (RCU-published by the
 * control thread: 256 buckets of the mixed flow hash, each naming the ethdev
 * port of a distributing member), the management member and its atomics.
 * Per member, struct evf_port carries the LAG id and an atomic "collecting"
 * flag workers test on RX. The control thread (lag_ctl.c) is the only
 * writer: it runs LACP (evf_lacp.h), polls member links, drains the workers'
 * punt rings and sends PDUs through worker 0's inject ring. */
#ifndef EVF_LAG_H
#define EVF_LAG_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "evf_cfg.h"
#include "evf_common.h"
#include "evf_lacp.h"

#define EVF_LAG_BUCKETS 256   /**< power of two */

/** Which member each hash bucket goes to. Immutable once published. */
struct evf_lag_dist {
	uint16_t nb_dist;                   /**< distributing members (0: nothing leaves) */
	uint16_t port[EVF_LAG_BUCKETS];     /**< bucket -> ethdev port id */
};

struct evf_lag {
	/* read by workers */
	struct evf_lag_dist *dist;          /**< RCU-published; never NULL while running */
	uint8_t hash_policy;                /**< enum evf_hash_policy */
	uint8_t up;                         /**< atomic: at least min-links distribute */
	uint8_t mgmt_up;                    /**< atomic: management member link and admin up */
	uint8_t mgmt_dist;                  /**< atomic: management member distributing */
	uint16_t mgmt_port;                 /**< ethdev port of the management member, or EVF_INVALID_ID */
	uint16_t mgmt_vlan;                 /**< 0 = none */
	uint8_t nb_mgmt_macs;
	uint64_t mgmt_mac48[EVF_CFG_LAG_MAX_MGMT_MACS]; /**< 48-bit loads of the listed MACs */
	/* fixed at start-up */
	uint16_t id;
	uint16_t iface;
	uint16_t mtu;                       /**< smallest member MTU */
	uint8_t nb_members;
	uint8_t min_links;
	bool lacp;                          /**< mode lacp (else static) */
	uint16_t member_port[EVF_LACP_MAX_MEMBERS]; /**< ethdev ports, in config order */
	char name[EVF_NAME_LEN];
} __rte_cache_aligned;

extern struct evf_lag evf_lags[EVF_MAX_LAGS];
extern uint16_t evf_nb_lags;

/* ---- start-up (main thread) ---- */
/** Create a LAG and its interface from its config; members are registered ports. */
int evf_lag_create(const struct evf_cfg_lag *cfg, const struct rte_ether_addr *node_mac);
/** Pool for the PDUs the control thread sends; registers the LAG poller. */
int evf_lag_start(struct rte_mempool *pool);
void evf_lag_reset(void);

/* ---- control thread ---- */
/** Poller: punted PDUs, member links, LACP timers and transmissions, tables. */
unsigned int evf_lag_poll(uint64_t now_tsc);
/** "port start|stop": set a port's admin state; a LAG member leaves the
 *  distribution (and every worker has moved on) before it stops, and joins
 *  again at once when it starts (control thread). */
void evf_port_admin(uint16_t port_id, bool up);
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

#endif /* EVF_LAG_H */
