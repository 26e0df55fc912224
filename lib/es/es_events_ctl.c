/* es_events_ctl.c: the segments' events (control thread): ES_UP/ES_DOWN
 * and DF changes as they happen, and local Ethernet segments in a state
 * dump: each segment's state as ES_UP (with what its RT4 and RT1 advertise)
 * or ES_DOWN, then one ES_BD event per MAC-VRF the segment is attached to,
 * with our DF state for that pair. */
#include <string.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_events.h"

void
evf_es_event_fill(struct evf_event *ev, uint16_t es, bool up, uint16_t pref, bool dp,
		  uint8_t alg, bool single_active)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = up ? EVF_EV_ES_UP : EVF_EV_ES_DOWN;
	ev->esi = evf_ess[es].esi;
	ev->pref = pref;
	ev->flag = dp;
	ev->df_alg = alg;
	ev->single_active = single_active;
	ev->attach = EVF_INVALID_ID;
}

void
evf_es_event(uint16_t es, bool up, uint16_t pref, bool dp, uint8_t alg, bool single_active)
{
	struct evf_event ev;

	evf_es_event_fill(&ev, es, up, pref, dp, alg, single_active);
	evf_event_emit(&ev);
}

void
evf_es_event_df(uint16_t es, uint16_t esevi, bool df)
{
	struct evf_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = EVF_EV_DF_CHANGE;
	ev.esi = evf_ess[es].esi;
	ev.vni = evf_bds[evf_esevis[esevi].bd].vni;
	ev.flag = df;
	ev.attach = EVF_INVALID_ID;
	evf_event_emit(&ev);
}

static bool
es_dump(uint64_t *cursor, unsigned int budget)
{
	uint16_t n = evf_es_count();

	for (; *cursor < n && budget > 0; (*cursor)++) {
		uint16_t es = (uint16_t)*cursor;
		const struct evf_es_local_cfg *cfg = evf_es_local_cfg(es);
		struct evf_es_df_view v;
		struct evf_event ev;

		if (cfg == NULL)
			continue;
		evf_es_df_view(es, &v);
		evf_es_event_fill(&ev, es, evf_es_local_active(es), v.oper_pref, v.oper_dp,
				  (uint8_t)cfg->df_alg, cfg->mode == EVF_ES_SINGLE_ACTIVE);
		evf_event_dump_put(&ev);
		budget--;
	}
	return *cursor >= n;
}

static bool
es_bd_dump(uint64_t *cursor, unsigned int budget)
{
	for (; *cursor < EVF_MAX_ESEVI && budget > 0; (*cursor)++) {
		const struct evf_esevi *x = &evf_esevis[*cursor];
		const struct evf_es_df *df;
		struct evf_event ev;

		if (!x->in_use || !evf_ess[x->es].local || x->local_attach == EVF_INVALID_ID)
			continue;
		df = __atomic_load_n(&evf_ess[x->es].df, __ATOMIC_ACQUIRE);
		memset(&ev, 0, sizeof(ev));
		ev.type = EVF_EV_ES_BD;
		ev.esi = evf_ess[x->es].esi;
		ev.vni = evf_bds[x->bd].vni;
		ev.flag = df != NULL && x->slot < df->nb && df->df[x->slot];
		ev.attach = EVF_INVALID_ID;
		evf_event_dump_put(&ev);
		budget--;
	}
	return *cursor >= EVF_MAX_ESEVI;
}

void
evf_es_register_dump(void)
{
	evf_event_register_dump(EVF_DUMP_ES, es_dump);
	evf_event_register_dump(EVF_DUMP_ES_BD, es_bd_dump);
}
