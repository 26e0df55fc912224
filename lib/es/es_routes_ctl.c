/* es_routes_ctl.c: what EVPN routes do to segments (control thread): RT1
 * per-ES and per-EVI, RT4 and the RT2 references on PE slots, their
 * withdrawal by resync sweeps, and what a local segment advertises. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_jhash.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_events.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_rcu.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "es_private.h"

/* Tell the control plane what to advertise for a local segment (RT4, RT1). */
void
es_emit_es(uint16_t es, bool up)
{
	const struct es_ctl *c = &es_ctls[es];

	evf_es_event(es, up, c->oper_pref, c->oper_dp, c->cfg.df_alg,
		     c->cfg.mode == EVF_ES_SINGLE_ACTIVE);
}

int
evf_es_rt1_per_es(uint16_t es, const struct evf_ip *vtep, bool single_active, bool add,
		  uint8_t gen)
{
	int i = evf_es_pe_slot(es, vtep, add);
	struct pe_slot *s;

	if (i < 0)
		return i;
	s = &es_ctls[es].pe[i];
	if (!add && !s->rt1_es)
		return -ENOENT;
	s->rt1_es = add;
	s->rt1_single_active = add && single_active;
	s->rt1_gen = gen;
	/* Mass withdrawal: one byte changes the PE set of every MAC on the segment. */
	es_set_mask_bit(&evf_ess[es].per_es_mask, i, add);
	es_update_peer_mask(es, i);
	es_update_single_active(es);
	if (!add)
		es_slot_maybe_free(es, i);
	return 0;
}

int
evf_es_rt1_per_evi(uint16_t es, uint16_t bd, const struct evf_ip *vtep, bool add, uint8_t gen)
{
	int x, i;
	uint8_t bit;

	/* The PE slot first (-ENOSPC: PE limit), then the binding: a rejected
	 * route creates neither; a withdraw creates nothing. */
	i = evf_es_pe_slot(es, vtep, add);
	if (i < 0)
		return i;
	x = add ? evf_esevi_get(es, bd) : evf_esevi_find(es, bd);
	if (x < 0) {
		if (add)
			es_slot_maybe_free(es, i);
		return add ? -ENOMEM : -ENOENT;
	}
	bit = (uint8_t)(1u << i);
	if (add)
		es_evi_gen[x][i] = gen;
	if (add == !!(evf_esevis[x].per_evi_mask & bit))
		return add ? 0 : -ENOENT; /* repeated add refreshes; unknown withdraw */
	es_set_mask_bit(&evf_esevis[x].per_evi_mask, i, add);
	if (add) {
		es_ctls[es].pe[i].evi_routes++;
	} else {
		es_ctls[es].pe[i].evi_routes--;
		es_slot_maybe_free(es, i);
	}
	return 0;
}

int
evf_es_rt4(uint16_t es, const struct evf_ip *vtep, enum evf_df_alg alg, uint16_t pref,
	   bool dont_preempt, bool add, uint8_t gen)
{
	int i = evf_es_pe_slot(es, vtep, add);
	struct pe_slot *s;
	bool was;

	if (i < 0)
		return i;
	s = &es_ctls[es].pe[i];
	was = s->rt4;
	if (!add && !was)
		return -ENOENT;
	if (add && was && s->alg == alg && s->pref == pref && s->dp == dont_preempt) {
		s->rt4_gen = gen; /* a refresh (resync, re-advertisement): no new election */
		return 0;
	}
	s->rt4 = add;
	s->rt4_gen = gen;
	s->alg = alg;
	s->pref = pref;
	s->dp = dont_preempt;
	es_update_peer_mask(es, i);
	if (evf_ess[es].local) {
		/* Until our first election the non-revertive choice follows the
		 * peers' RT4s as they arrive (RFC 9785 4.2). */
		if (es_ctls[es].active && !es_ctls[es].elected)
			es_readvertise_if_changed(es);
		/* A PE leaving re-elects at once (fast failover); a PE joining, or
		 * changing its parameters, waits for the DF timer (RFC 8584 2.1). */
		es_df_schedule(es, !add);
	}
	if (!add)
		es_slot_maybe_free(es, i);
	return 0;
}

bool
es_route_stale(uint8_t owner, uint8_t gen)
{
	return owner != 0 && owner != gen;
}

uint32_t
evf_es_sweep_routes(uint8_t gen)
{
	uint32_t n = 0;

	for (uint16_t es = 0; es < es_nb; es++) {
		struct es_ctl *c = &es_ctls[es];

		for (int i = 0; i < EVF_ES_MAX_PE; i++) {
			struct pe_slot *s = &c->pe[i];
			struct evf_ip ip = evf_ess[es].pe_ip[i];

			if (!s->used)
				continue;
			for (uint16_t b = 0; b < c->nb_bind; b++) {
				uint16_t x = c->bind[b];
				if ((evf_esevis[x].per_evi_mask & (1u << i)) && es_route_stale(es_evi_gen[x][i], gen)) {
					evf_es_rt1_per_evi(es, evf_esevis[x].bd, &ip, false, 0);
					n++;
				}
			}
			if (s->used && s->rt1_es && es_route_stale(s->rt1_gen, gen)) {
				evf_es_rt1_per_es(es, &ip, false, false, 0);
				n++;
			}
			if (s->used && s->rt4 && es_route_stale(s->rt4_gen, gen)) {
				evf_es_rt4(es, &ip, EVF_DF_MODULO, 0, false, false, 0);
				n++;
			}
		}
	}
	return n;
}

void
evf_es_regen_routes(uint8_t to)
{
	for (uint16_t es = 0; es < es_nb; es++) {
		struct es_ctl *c = &es_ctls[es];

		for (int i = 0; i < EVF_ES_MAX_PE; i++) {
			struct pe_slot *s = &c->pe[i];

			if (s->rt1_gen)
				s->rt1_gen = to;
			if (s->rt4_gen)
				s->rt4_gen = to;
			for (uint16_t b = 0; b < c->nb_bind; b++)
				if (es_evi_gen[c->bind[b]][i])
					es_evi_gen[c->bind[b]][i] = to;
		}
	}
}

void
evf_es_rt2_ref(uint16_t es, uint8_t slot, bool add)
{
	struct pe_slot *s = &es_ctls[es].pe[slot];

	if (add) {
		s->rt2_macs++;
	} else if (s->rt2_macs > 0) {
		s->rt2_macs--;
		es_slot_maybe_free(es, slot);
	}
}
