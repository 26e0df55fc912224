/* es_local_ctl.c: local segments (main thread at start-up, control thread):
 * creating them from the config and following their interface's state. */
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

/* ---- local segments ---- */

int
evf_es_create_local(const struct evf_es_local_cfg *cfg)
{
	int id;
	struct es_ctl *c;
	const struct evf_iface *ifc;

	if (evf_es_find(&cfg->esi) >= 0)
		return -EEXIST;
	if (cfg->iface >= evf_nb_ifaces)
		return -ENODEV;
	id = es_alloc(&cfg->esi, cfg->name);
	if (id < 0)
		return id;
	c = &es_ctls[id];
	c->cfg = *cfg;
	c->oper_pref = cfg->df_pref;
	c->oper_dp = cfg->df_dont_preempt;
	evf_ess[id].local = 1;
	es_update_single_active((uint16_t)id);
	ifc = &evf_ifaces[cfg->iface];
	evf_ifaces[cfg->iface].es = (uint16_t)id;
	/* Bind every attachment of the interface. */
	for (int v = 0; v < 4096; v++) {
		uint16_t a = ifc->vlan_to_attach[v];
		int x;

		if (a == EVF_INVALID_ID)
			continue;
		x = evf_esevi_get((uint16_t)id, evf_attachs[a].bd);
		if (x < 0)
			return x;
		if (evf_esevis[x].local_attach == EVF_INVALID_ID)
			evf_esevis[x].local_attach = a;
		evf_attachs[a].es = (uint16_t)id;
		evf_attachs[a].esevi = (uint16_t)x;
	}
	return id;
}

uint64_t
es_ms_to_tsc(uint32_t ms)
{
	return rte_get_tsc_hz() / 1000 * ms;
}

void
evf_es_set_local_oper(uint16_t es, bool up)
{
	struct es_ctl *c = &es_ctls[es];

	if (!evf_ess[es].local || c->oper_up == up)
		return;
	c->oper_up = up;
	if (up) {
		/* Activation timer, then a DF candidate; until then BUM is not sent
		 * to the segment (no DF yet) but known unicast is. */
		c->activation_deadline = rte_rdtsc() + es_ms_to_tsc(c->cfg.activation_ms);
		if (c->activation_deadline == 0)
			c->activation_deadline = 1;
		__atomic_store_n(&evf_ess[es].local_up, 1, __ATOMIC_RELEASE);
		evf_es_tell_segment_up(es); /* the peers' MACs on it are ours too */
	} else {
		c->activation_deadline = 0;
		c->active = false;
		c->elected = false;
		__atomic_store_n(&evf_ess[es].local_up, 0, __ATOMIC_RELEASE);
		es_emit_es(es, false);
		es_df_schedule(es, true);
	}
}
