/* evf_es_ctl.h: Ethernet segments, start-up and control-thread API: segments, bindings, PE
 * slots, route effects, timers and pollers, hooks to the MAC tables, events,
 * DF election (pure functions) and the views for the shell. */
#ifndef EVF_ES_CTL_H
#define EVF_ES_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_es.h"

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

/* What the segments tell the MAC tables, without knowing them: the FDB sets
 * these (evf_fdb_init); unset, nothing is told. */
struct evf_es_hooks {
	/** A local attachment stopped forwarding (its link went down, or it
	 *  is no longer the single-active DF): the MACs learned on it go. */
	uint32_t (*attach_lost)(uint16_t attach);
	/** A local segment came up: MACs its ES peers advertise on it with
	 *  our ESI become local too. */
	uint32_t (*segment_up)(uint16_t es);
};
void evf_es_set_hooks(const struct evf_es_hooks *hooks);
/** Call the hooks (es files). */
void evf_es_tell_attach_lost(uint16_t attach);
void evf_es_tell_segment_up(uint16_t es);
struct evf_event;
/** ES_UP/ES_DOWN of segment es (evf_events.h): filled, or filled and emitted. */
void evf_es_event_fill(struct evf_event *ev, uint16_t es, bool up, uint16_t pref, bool dp,
	uint8_t alg, bool single_active);
void evf_es_event(uint16_t es, bool up, uint16_t pref, bool dp, uint8_t alg, bool single_active);
/** DF_CHANGE: we became (df) or stopped being DF for <segment, MAC-VRF esevi>. */
void evf_es_event_df(uint16_t es, uint16_t esevi, bool df);

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
/** Where the workers send a MAC behind binding esevi whose RT2 routes come
 *  from the PE slots aux (evf_es_resolve), for show fdb. */
struct evf_es_dest_view {
	uint16_t es;
	uint16_t local_attach;  /**< delivered to our own attachment; else EVF_INVALID_ID */
	uint8_t pes;            /**< PE slots the flow hash picks among (one if single-active) */
	bool rt2_fallback;      /**< no aliasing PE: the MAC's RT2 PEs */
	bool single_active;
};
void evf_es_dest_view(uint16_t esevi, uint8_t aux, struct evf_es_dest_view *v);
/** DF elected for binding (control view), as an address; family 0 when none. */
struct evf_ip evf_es_df_of(uint16_t esevi);

#endif /* EVF_ES_CTL_H */
