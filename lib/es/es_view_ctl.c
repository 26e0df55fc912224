/* es_view_ctl.c: what the shell shows of segments, computed the way the
 * workers decide (control thread, through evf_ctl_call). */
#include "evf_bd.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_es_dp.h"

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
