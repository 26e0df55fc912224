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

#endif /* EVF_LAG_H */
