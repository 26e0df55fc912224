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

#define EVF_MAX_ES      1024
#define EVF_MAX_ESEVI   8192
#define EVF_ES_MAX_PE   8      /**< remote PEs per segment (one mask byte) */

enum evf_es_mode {
	EVF_ES_ALL_ACTIVE = 0,
	EVF_ES_SINGLE_ACTIVE,
};

/** DF election algorithms (RFC 8584 registry values). */
enum evf_df_alg {
	EVF_DF_MODULO = 0,      /**< RFC 7432 8.5 service carving */
	EVF_DF_HRW = 1,         /**< RFC 8584 section 3 highest random weight */
	EVF_DF_PREFERENCE = 2,  /**< RFC 9785 highest preference */
};

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

/* ---- start-up (main thread) ---- */
int evf_es_init(void);
void evf_es_reset(void);
/** Create a local segment and bind the attachments of its interface. Returns its id. */
int evf_es_create_local(const struct evf_es_local_cfg *cfg);

/* ---- control thread ---- */
/** Segment of an ESI, or -ENOENT. */
int evf_es_find(const struct evf_esi *esi);
/** Find or create the segment of an ESI (remote segments are created on demand). */
int evf_es_get(const struct evf_esi *esi);
/** Binding of (segment, MAC-VRF), created on demand; -ENOSPC when full. */
int evf_esevi_get(uint16_t es, uint16_t bd);
/** Binding of (segment, MAC-VRF) or -ENOENT (never creates). */
int evf_esevi_find(uint16_t es, uint16_t bd);
/** Remove the segment evf_es_get() just created for a route that was then
 *  rejected (no-op when anything refers to it). */
void evf_es_discard_new(uint16_t es);
/** PE slot of vtep on a segment, allocated on demand; -ENOSPC past EVF_ES_MAX_PE. */
int evf_es_pe_slot(uint16_t es, const struct evf_ip *vtep, bool create);

/** Route effects (counted in the segment; the route layer validates first). */
int evf_es_rt1_per_es(uint16_t es, const struct evf_ip *vtep, bool single_active, bool add,
	uint8_t gen);
int evf_es_rt1_per_evi(uint16_t es, uint16_t bd, const struct evf_ip *vtep, bool add,
	uint8_t gen);
int evf_es_rt4(uint16_t es, const struct evf_ip *vtep, enum evf_df_alg alg, uint16_t pref,
	bool dont_preempt, bool add, uint8_t gen);
/** Withdraw RT1/RT4 routes owned by a generation other than gen (not manual). */
uint32_t evf_es_sweep_routes(uint8_t gen);
/** Give every ring-owned route (owner != 0) the owner generation to. */
void evf_es_regen_routes(uint8_t to);
/** An RT2 source (PE slot) on the segment gained or lost one MAC. */
void evf_es_rt2_ref(uint16_t es, uint8_t slot, bool add);
/** Free a PE slot nothing refers to (after a failed route apply). */
void evf_es_pe_gc(uint16_t es, uint8_t slot);

/** Is a local segment active (up, activation timer over): its RT4/RT1 advertised? */
bool evf_es_local_active(uint16_t es);
/** Give the state dump the local segments and their MAC-VRFs (evf_events.h). */
void evf_es_register_dump(void);

/** Local interface state (link, LAG, admin) of a local segment. */
void evf_es_set_local_oper(uint16_t es, bool up);
/** Drive timers (DF wait, activation) and local state; control-loop poller. */
unsigned int evf_es_poll(uint64_t now_tsc);
/** Follow the interfaces of local segments (port state, link); poller. */
unsigned int evf_es_link_poll(uint64_t now_tsc);

/** Configured segments' settings, for show commands. */
const struct evf_es_local_cfg *evf_es_local_cfg(uint16_t es);
uint16_t evf_es_count(void);

/* ---- DF election (pure functions, unit-tested) ---- */
struct evf_df_candidate {
	struct evf_ip ip;
	enum evf_df_alg alg;
	uint16_t pref;
	bool dont_preempt;
};

/** The algorithm the n candidates elect with: the one all of them advertise
 *  when evfwd runs it, else modulo (RFC 8584 section 2.2). n > 0. */
enum evf_df_alg evf_df_agreed_alg(const struct evf_df_candidate *cand, unsigned int n);
/** Index in cand[] of the DF for value v (the MAC-VRF's EVI) on segment esi,
 *  or -1 with no candidate. Algorithms disagreeing fall back to modulo
 *  (RFC 8584 section 2.2). */
int evf_df_elect(const struct evf_df_candidate *cand, unsigned int n, uint32_t v,
	const struct evf_esi *esi);
/** RFC 8584 section 3.2 weight of candidate ip for (v, esi). */
uint32_t evf_df_hrw_weight(uint32_t v, const struct evf_esi *esi, const struct evf_ip *ip);

/** What the DF state of a local segment is (for show df / show es). */
struct evf_es_df_view {
	uint16_t nb_candidates;
	struct evf_df_candidate cand[EVF_ES_MAX_PE + 1]; /**< self first when a candidate */
	bool self_candidate;
	enum evf_df_alg oper_alg;   /**< after the agreement check */
	uint16_t oper_pref;         /**< preference we advertise now */
	bool oper_dp;
	bool timer_running;
	uint32_t timer_left_ms;
	bool activating;
	uint32_t activation_left_ms;
};
void evf_es_df_view(uint16_t es, struct evf_es_df_view *v);
/** DF elected for binding (control view), as an address; family 0 when none. */
struct evf_ip evf_es_df_of(uint16_t esevi);

#endif /* EVF_ES_H */
