/* es_view_ctl.c: what the shell shows of segments, computed the way the
 * workers decide (control thread, through evf_ctl_call). */
#include "evf_bd.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_es_dp.h"
#include "es_private.h"

void
evf_es_dest_view(uint16_t esevi, uint8_t aux, struct evf_es_dest_view *v)
{
	const struct evf_esevi *x = &evf_esevis[esevi];
	const struct evf_es *es = &evf_ess[x->es];

	v->es = x->es;
	v->local_attach = EVF_INVALID_ID;
	v->single_active = es->single_active;
	v->pes = 0;
	v->rt2_fallback = false;
	if (es->local && x->local_attach != EVF_INVALID_ID &&
	    evf_es_attach_usable(&evf_attachs[x->local_attach])) {
		v->local_attach = x->local_attach;
		return;
	}
	v->pes = evf_es_pe_candidates(es, x, aux, &v->rt2_fallback);
}

void
evf_es_df_view(uint16_t es, struct evf_es_df_view *v)
{
	const struct es_ctl *c = &es_ctls[es];
	uint64_t now = rte_rdtsc(), ms = rte_get_tsc_hz() / 1000;
	int self_idx;

	memset(v, 0, sizeof(*v));
	v->nb_candidates = (uint16_t)es_collect_candidates(es, v->cand, &v->self_candidate, &self_idx);
	/* The algorithm in use: the one every candidate advertises, else modulo. */
	v->oper_alg = v->nb_candidates ? evf_df_agreed_alg(v->cand, v->nb_candidates) :
		c->cfg.df_alg;
	v->oper_pref = c->oper_pref;
	v->oper_dp = c->oper_dp;
	v->timer_running = c->df_deadline != 0;
	v->timer_left_ms = c->df_deadline > now ? (uint32_t)((c->df_deadline - now) / ms) : 0;
	v->activating = c->activation_deadline != 0;
	v->activation_left_ms = c->activation_deadline > now ?
		(uint32_t)((c->activation_deadline - now) / ms) : 0;
}

struct evf_ip
evf_es_df_of(uint16_t esevi)
{
	struct evf_ip none;
	const struct evf_esevi *x = &evf_esevis[esevi];
	struct evf_df_candidate cand[EVF_ES_MAX_PE + 1];
	bool self_in;
	int self_idx, df;
	unsigned int n = es_collect_candidates(x->es, cand, &self_in, &self_idx);

	memset(&none, 0, sizeof(none));
	df = evf_df_elect(cand, n, evf_bds[x->bd].evi, &evf_ess[x->es].esi);
	return df >= 0 ? cand[df].ip : none;
}
