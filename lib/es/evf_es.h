/* evf_es.h: Ethernet Segments (RFC 7432, RFC 8365): local segments from the
 * config, remote ones from EVPN routes; aliasing PE sets, DF state and split
 * horizon data for workers.
 *
 * Readers: workers, through evf_ess[], evf_esevis[] and the DF table an ES
 * points to. Writer: the control thread only.
 *  - An ES has up to EVF_ES_MAX_PE remote PE slots. A slot's address and VTEP
 *    id are written before its bit is set in any mask, and the slot is reused
 *    only after every mask bit is clear and a grace period has passed.
 *  - per_es_mask (RT1 per-ES), peer_mask (ES peers for local bias), and each
 *    binding's per_evi_mask (RT1 per-EVI) are single bytes: one atomic store
 *    changes the PE set of every MAC on the segment (mass withdrawal).
 *  - The DF bits of all the segment's MAC-VRFs form one immutable table,
 *    replaced with a release store and retired through RCU: a DF change is
 *    applied atomically.
 * An ES binding (esevi) is one (ES, MAC-VRF) pair; FDB entries for MACs behind
 * an ES point at the binding. */
#ifndef EVF_ES_H
#define EVF_ES_H

#include <stdint.h>
#include <stdbool.h>

#include "evf_common.h"
#include "evf_addr.h"
#include "evf_evpn.h"

#define EVF_MAX_ES      1024
#define EVF_MAX_ESEVI   8192
#define EVF_ES_MAX_PE   8      /**< remote PEs per segment (one mask byte) */

enum evf_es_mode {
	EVF_ES_ALL_ACTIVE = 0,
	EVF_ES_SINGLE_ACTIVE,
};

/* enum evf_df_alg: evf_evpn.h */

/** DF bits of every binding of a segment, indexed by binding slot. Immutable. */
struct evf_es_df {
	uint16_t nb;
	uint8_t df[];
};

struct evf_es {
	/* read by workers */
	uint8_t per_es_mask;       /**< atomic: PE slots with an RT1 per-ES route */
	uint8_t peer_mask;         /**< atomic: PE slots attached to this segment (RT4 or RT1 per-ES) */
	uint8_t single_active;     /**< atomic */
	uint8_t local;             /**< configured on one of our interfaces */
	uint8_t local_up;          /**< atomic: local interface up and the segment active */
	uint16_t id;
	uint16_t pe_vtep[EVF_ES_MAX_PE];
	struct evf_ip pe_ip[EVF_ES_MAX_PE];
	struct evf_es_df *df;      /**< RCU-published; NULL: DF for nothing */
	struct evf_esi esi;
	char name[EVF_NAME_LEN];   /**< configured name, or the ESI for remote segments */
} __rte_cache_aligned;

struct evf_esevi {
	/* read by workers */
	uint8_t per_evi_mask;      /**< atomic: PE slots with an RT1 per-EVI route for this MAC-VRF */
	uint8_t in_use;
	uint16_t es;
	uint16_t bd;
	uint16_t slot;             /**< index into the segment's DF table */
	uint16_t local_attach;     /**< our attachment of this MAC-VRF on the segment, or EVF_INVALID_ID */
};

extern struct evf_es evf_ess[EVF_MAX_ES];
extern struct evf_esevi evf_esevis[EVF_MAX_ESEVI];

/** Local configuration of a segment (from the ethernet-segments section). */
struct evf_es_local_cfg {
	char name[EVF_NAME_LEN];
	struct evf_esi esi;
	enum evf_es_mode mode;
	uint16_t iface;            /**< evf_ifaces[] index */
	enum evf_df_alg df_alg;
	uint16_t df_pref;          /**< preference value (EVF_DF_PREFERENCE) */
	bool df_dont_preempt;
	uint32_t df_timer_ms;      /**< DF wait timer, RFC 8584 section 2.1 */
	uint32_t activation_ms;    /**< ES activation timer */
};

#endif /* EVF_ES_H */
