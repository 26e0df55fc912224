/* es_df_ctl.c: DF election at run time (control thread): candidates,
 * Don't-Preempt, the DF wait and activation timers, and publication of the
 * DF tables workers read. The election itself is pure: es_df.c. */
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

/* ---- DF table publication ---- */

void
es_df_free(void *p, uint64_t unused)
{
	(void)unused;
	free(p);
}

/* Publish the DF bits of every binding of a segment; a df-change event for
 * each binding of a local segment whose bit changed (a new binding starts
 * non-DF: an event only when it is born DF). */
void
es_publish_df(uint16_t es, const uint8_t *bits)
{
	struct es_ctl *c = &es_ctls[es];
	struct evf_es_df *t = malloc(sizeof(*t) + (c->nb_bind ? c->nb_bind : 1));
	struct evf_es_df *old;
	uint16_t old_nb;

	if (t == NULL)
		return; /* keep the previous table: es_route_stale DF beats none */
	t->nb = c->nb_bind;
	memcpy(t->df, bits, c->nb_bind);
	old = __atomic_exchange_n(&evf_ess[es].df, t, __ATOMIC_ACQ_REL);
	old_nb = old != NULL ? old->nb : 0;
	if (evf_ess[es].local) /* remote segments have no DF of ours */
		for (uint16_t i = 0; i < c->nb_bind; i++) {
			bool was = i < old_nb && old->df[i];

			if (was != (bits[i] != 0))
				evf_es_event_df(es, c->bind[i], bits[i]);
			/* Single-active: a link that is no longer DF stops forwarding,
			 * so the MACs learned on it are no longer ours to advertise;
			 * the DF's routes (or flooding) reach them now. */
			if (was && !bits[i] && evf_ess[es].single_active &&
			    evf_esevis[c->bind[i]].local_attach != EVF_INVALID_ID)
				evf_es_tell_attach_lost(evf_esevis[c->bind[i]].local_attach);
		}
	if (old != NULL)
		evf_rcu_defer(es_df_free, old, 0);
}

/* ---- DF election ---- */

unsigned int
es_collect_candidates(uint16_t es, struct evf_df_candidate *cand, bool *self_in, int *self_idx)
{
	const struct es_ctl *c = &es_ctls[es];
	unsigned int n = 0;

	*self_in = false;
	*self_idx = -1;
	if (c->active) {
		const struct evf_ip *own = evf_node_vtep(0);

		cand[n].ip = *own;
		cand[n].alg = c->cfg.df_alg;
		cand[n].pref = c->oper_pref;
		cand[n].dont_preempt = c->oper_dp;
		*self_in = true;
		*self_idx = (int)n;
		n++;
	}
	for (int i = 0; i < EVF_ES_MAX_PE; i++) {
		if (!c->pe[i].used || !c->pe[i].rt4)
			continue;
		cand[n].ip = evf_ess[es].pe_ip[i];
		cand[n].alg = c->pe[i].alg;
		cand[n].pref = c->pe[i].pref;
		cand[n].dont_preempt = c->pe[i].dp;
		n++;
	}
	return n;
}

/* RFC 9785 non-revertive: a PE joining with Don't-Preempt set does not take
 * the DF role from the PE holding it: it advertises the holder's preference
 * with DP clear, so every PE elects the holder (DP set wins the tie). */
static void
apply_dont_preempt(uint16_t es)
{
	struct es_ctl *c = &es_ctls[es];
	struct evf_df_candidate cand[EVF_ES_MAX_PE + 1];
	bool self_in;
	int self_idx, df;
	unsigned int n;

	c->oper_pref = c->cfg.df_pref;
	c->oper_dp = c->cfg.df_dont_preempt;
	if (c->cfg.df_alg != EVF_DF_PREFERENCE || !c->cfg.df_dont_preempt)
		return;
	/* Who is DF among the others? */
	c->active = false;
	n = es_collect_candidates(es, cand, &self_in, &self_idx);
	c->active = true;
	df = evf_df_elect(cand, n, 0, &evf_ess[es].esi);
	if (df >= 0 && cand[df].alg == EVF_DF_PREFERENCE && cand[df].pref < c->cfg.df_pref) {
		c->oper_pref = cand[df].pref;
		c->oper_dp = false;
	}
}

/* The ES route (RT4) parameters changed: tell the control plane. */
void
es_readvertise_if_changed(uint16_t es)
{
	struct es_ctl *c = &es_ctls[es];
	uint16_t pref = c->oper_pref;
	bool dp = c->oper_dp;

	apply_dont_preempt(es);
	if (c->oper_pref != pref || c->oper_dp != dp)
		es_emit_es(es, true);
}

/* RFC 9785 4.2: a non-revertive PE that took the holder's preference
 * advertises its own (admin) preference with DP set again once it is DF, so
 * that a PE coming back later does not take the role from it. Preference
 * election does not depend on the Ethernet tag: one binding tells. */
static void
restore_admin_preference(uint16_t es, bool is_df)
{
	struct es_ctl *c = &es_ctls[es];

	if (!is_df || c->cfg.df_alg != EVF_DF_PREFERENCE || !c->cfg.df_dont_preempt ||
	    (c->oper_pref == c->cfg.df_pref && c->oper_dp))
		return;
	c->oper_pref = c->cfg.df_pref;
	c->oper_dp = true;
	es_emit_es(es, true);
}

static void
df_compute(uint16_t es)
{
	struct es_ctl *c = &es_ctls[es];
	struct evf_df_candidate cand[EVF_ES_MAX_PE + 1];
	uint8_t bits[EVF_MAX_BDS];
	bool self_in;
	int self_idx;
	unsigned int n = es_collect_candidates(es, cand, &self_in, &self_idx);

	for (uint16_t i = 0; i < c->nb_bind; i++) {
		const struct evf_esevi *x = &evf_esevis[c->bind[i]];
		int df = self_in ? evf_df_elect(cand, n, evf_bds[x->bd].evi, &evf_ess[es].esi) : -1;

		bits[i] = df >= 0 && df == self_idx;
	}
	es_publish_df(es, bits);
	if (c->active) {
		c->elected = true;
		restore_admin_preference(es, c->nb_bind ? bits[0] : false);
	}
}

void
es_df_schedule(uint16_t es, bool immediate)
{
	struct es_ctl *c = &es_ctls[es];

	if (immediate) {
		c->df_deadline = 0;
		df_compute(es);
		return;
	}
	c->df_deadline = rte_rdtsc() + es_ms_to_tsc(c->cfg.df_timer_ms);
	if (c->df_deadline == 0)
		c->df_deadline = 1;
}

unsigned int
evf_es_poll(uint64_t now)
{
	unsigned int work = 0;

	for (uint16_t es = 0; es < es_nb; es++) {
		struct es_ctl *c = &es_ctls[es];

		if (!evf_ess[es].local)
			continue;
		if (c->activation_deadline && now >= c->activation_deadline) {
			c->activation_deadline = 0;
			c->active = true;
			apply_dont_preempt(es);
			es_emit_es(es, true);
			es_df_schedule(es, false);
			work++;
		}
		if (c->df_deadline && now >= c->df_deadline) {
			c->df_deadline = 0;
			df_compute(es);
			work++;
		}
	}
	return work;
}
