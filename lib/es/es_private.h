/* es_private.h: the segments' control-only state, shared by the files of
 * lib/es that run on the control thread (table, routes, local segments, DF,
 * views). Nothing outside lib/es includes it. */
#ifndef ES_PRIVATE_H
#define ES_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_es.h"
#include "evf_es_ctl.h"

struct pe_slot {
	bool used;
	bool rt1_es;             /**< RT1 per-ES received */
	bool rt1_single_active;
	bool rt4;                /**< RT4 received: DF candidate and ES peer */
	enum evf_df_alg alg;
	uint16_t pref;
	bool dp;
	uint32_t evi_routes;     /**< RT1 per-EVI routes over all bindings */
	uint8_t rt1_gen, rt4_gen;/**< owner generations (0: manual) */
	uint32_t rt2_macs;       /**< MACs whose RT2 came from this PE with this ESI */
	int vtep;                /**< VTEP id (reference held) */
};

struct es_ctl {
	bool used;
	struct evf_es_local_cfg cfg;   /**< valid when evf_ess[].local */
	struct pe_slot pe[EVF_ES_MAX_PE];
	uint16_t nb_bind;
	uint16_t *bind;                /**< binding ids, index = DF table slot */
	bool oper_up;                  /**< local interface up */
	bool active;                   /**< up and activation timer expired: DF candidate */
	uint64_t activation_deadline;  /**< tsc, 0 = not running */
	uint64_t df_deadline;          /**< tsc, 0 = not running */
	uint16_t oper_pref;            /**< preference advertised (RFC 9785 non-revertive) */
	bool oper_dp;
	bool elected;                  /**< a DF election ran since the segment became active */
};

extern struct es_ctl es_ctls[EVF_MAX_ES];
extern uint16_t es_nb;
extern uint8_t es_evi_gen[EVF_MAX_ESEVI][EVF_ES_MAX_PE];

int es_alloc(const struct evf_esi *esi, const char *name);
void es_slot_maybe_free(uint16_t es, int i);
void es_set_mask_bit(uint8_t *mask, int bit, bool on);
void es_update_peer_mask(uint16_t es, int i);
void es_update_single_active(uint16_t es);
void es_df_free(void *p, uint64_t unused);
void es_publish_df(uint16_t es, const uint8_t *bits);
unsigned int es_collect_candidates(uint16_t es, struct evf_df_candidate *cand, bool *self_in, int *self_idx);
void es_readvertise_if_changed(uint16_t es);
void es_df_schedule(uint16_t es, bool immediate);
void es_emit_es(uint16_t es, bool up);
bool es_route_stale(uint8_t owner, uint8_t gen);
uint64_t es_ms_to_tsc(uint32_t ms);

#endif /* ES_PRIVATE_H */
