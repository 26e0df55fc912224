/* json_es.c: JSON forms of show es and show df (control thread: reads
 * segment state through evf_es_df_view and the segment tables). Schemas:
 * doc/shell.md "JSON output". */
#include <errno.h>
#include <string.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_es_dp.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "json.h"
#include "json_out.h"

/* A DF algorithm's name, or its number when evfwd has no name for it. */
static json_t *
alg_json(enum evf_df_alg a)
{
	const char *n = evf_df_alg_name(a);

	return n != NULL ? json_string(n) : json_integer((json_int_t)a);
}

static json_t *
mask_json(const struct evf_es *es, uint8_t m)
{
	json_t *a = json_array();

	for (int i = 0; i < EVF_ES_MAX_PE; i++)
		if (m & (1u << i))
			evf_json_push(a, evf_json_ip(&es->pe_ip[i]));
	return a;
}

static const char *
mode_name(bool single_active)
{
	return single_active ? "single-active" : "all-active";
}

static json_t *
df_election_json(uint16_t id, const struct evf_es_local_cfg *cfg)
{
	json_t *o = json_object(), *cands = json_array();
	struct evf_es_df_view v;

	evf_es_df_view(id, &v);
	evf_json_set(o, "algorithm", alg_json(cfg->df_alg));
	evf_json_set(o, "oper_algorithm", alg_json(v.oper_alg));
	evf_json_set(o, "preference", cfg->df_alg == EVF_DF_PREFERENCE ?
		     json_integer(cfg->df_pref) : json_null());
	evf_json_set(o, "oper_preference", json_integer(v.oper_pref));
	evf_json_set(o, "dont_preempt", json_boolean(cfg->df_dont_preempt));
	evf_json_set(o, "oper_dont_preempt", json_boolean(v.oper_dp));
	evf_json_set(o, "df_timer_s", json_integer(cfg->df_timer_ms / 1000));
	evf_json_set(o, "df_timer_running", json_boolean(v.timer_running));
	evf_json_set(o, "activation_timer_s", json_integer(cfg->activation_ms / 1000));
	evf_json_set(o, "activating", json_boolean(v.activating));
	for (unsigned int i = 0; i < v.nb_candidates; i++) {
		json_t *c = json_object();

		evf_json_set(c, "address", evf_json_ip(&v.cand[i].ip));
		evf_json_set(c, "this_node", json_boolean(v.self_candidate && i == 0));
		evf_json_set(c, "algorithm", alg_json(v.cand[i].alg));
		evf_json_set(c, "preference", json_integer(v.cand[i].pref));
		evf_json_set(c, "dont_preempt", json_boolean(v.cand[i].dont_preempt));
		evf_json_push(cands, c);
	}
	evf_json_set(o, "candidates", cands);
	return o;
}

static json_t *
es_json(uint16_t id)
{
	const struct evf_es *es = &evf_ess[id];
	const struct evf_es_local_cfg *cfg = evf_es_local_cfg(id);
	json_t *o = json_object(), *bds = json_array();
	unsigned int nb = 0, ndf = 0;

	evf_json_set(o, "name", evf_json_str(es->name));
	evf_json_set(o, "esi", evf_json_esi(&es->esi));
	evf_json_set(o, "type", json_string(cfg != NULL ? "local" : "remote"));
	evf_json_set(o, "mode", json_string(mode_name(es->single_active)));
	evf_json_set(o, "configured_mode", cfg != NULL ?
		     json_string(mode_name(cfg->mode == EVF_ES_SINGLE_ACTIVE)) : json_null());
	evf_json_set(o, "interface", cfg != NULL ? evf_json_str(evf_ifaces[cfg->iface].name) :
		     json_null());
	evf_json_set(o, "oper", cfg != NULL ? json_string(es->local_up ? "up" : "down") :
		     json_null());
	evf_json_set(o, "pes", mask_json(es, es->per_es_mask));
	evf_json_set(o, "local_bias_peers", mask_json(es, es->peer_mask));
	for (uint16_t x = 0; x < EVF_MAX_ESEVI; x++) {
		const struct evf_esevi *b = &evf_esevis[x];
		json_t *m;

		if (!b->in_use || b->es != id)
			continue;
		nb++;
		m = json_object();
		evf_json_set(m, "mac_vrf", evf_json_str(evf_bds[b->bd].name));
		evf_json_set(m, "vni", json_integer(evf_bds[b->bd].vni));
		evf_json_set(m, "evi", json_integer(evf_bds[b->bd].evi));
		if (cfg != NULL) {
			struct evf_ip df = evf_es_df_of(x);
			bool is_df = evf_es_is_df(es, b);

			ndf += is_df;
			evf_json_set(m, "df", json_boolean(is_df));
			evf_json_set(m, "df_address", evf_json_ip(&df));
		} else {
			evf_json_set(m, "df", json_null());
			evf_json_set(m, "df_address", json_null());
		}
		evf_json_push(bds, m);
	}
	evf_json_set(o, "mac_vrfs", bds);
	evf_json_set(o, "df_for", cfg != NULL ? json_integer(ndf) : json_null());
	evf_json_set(o, "df_election", cfg != NULL ? df_election_json(id, cfg) : json_null());
	return o;
}

static bool
es_match(const struct evf_es *es, const char *name)
{
	struct evf_esi esi;

	if (strcmp(es->name, name) == 0)
		return true;
	return evf_esi_parse(name, &esi) == 0 && memcmp(&esi, &es->esi, sizeof(esi)) == 0;
}

int
evf_json_es(FILE *out, const char *name)
{
	json_t *root = json_object(), *list = json_array();
	bool found = false;

	for (uint16_t id = 0; id < evf_es_count(); id++) {
		if (name != NULL && !es_match(&evf_ess[id], name))
			continue;
		found = true;
		evf_json_push(list, es_json(id));
		if (name != NULL)
			break;
	}
	evf_json_set(root, "segments", list);
	if (name != NULL && !found) {
		json_decref(root);
		return -ENOENT;
	}
	return evf_json_print(out, root);
}

int
evf_json_df(FILE *out, const char *unused)
{
	json_t *root = json_object(), *list = json_array();
	(void)unused;

	evf_json_set(root, "node", evf_json_ip(evf_node_vtep(0)));
	for (uint16_t x = 0; x < EVF_MAX_ESEVI; x++) {
		const struct evf_esevi *b = &evf_esevis[x];
		const struct evf_es *es;
		struct evf_es_df_view v;
		struct evf_ip df;
		json_t *o;

		if (!b->in_use || !evf_ess[b->es].local)
			continue;
		es = &evf_ess[b->es];
		evf_es_df_view(b->es, &v);
		df = evf_es_df_of(x);
		o = json_object();
		evf_json_set(o, "segment", evf_json_str(es->name));
		evf_json_set(o, "mac_vrf", evf_json_str(evf_bds[b->bd].name));
		evf_json_set(o, "evi", json_integer(evf_bds[b->bd].evi));
		evf_json_set(o, "algorithm", alg_json(v.oper_alg));
		evf_json_set(o, "df", evf_json_ip(&df));
		evf_json_set(o, "this_node_df", json_boolean(evf_es_is_df(es, b)));
		evf_json_set(o, "timer_running", json_boolean(v.timer_running));
		evf_json_push(list, o);
	}
	evf_json_set(root, "df", list);
	return evf_json_print(out, root);
}
