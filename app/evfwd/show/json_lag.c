/* json_lag.c: JSON forms of show lacp and show lag (control thread: reads
 * LAG and LACP state through evf_lag_view). Schemas: doc/shell.md "JSON
 * output". */
#include <errno.h>
#include <string.h>

#include "evf_addr.h"
#include "evf_lag.h"
#include "evf_lag_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "json.h"
#include "json_out.h"

static const char *const hash_names[] = { "l2", "l23", "l34" };

static json_t *
sys_json(const uint8_t *m)
{
	struct rte_ether_addr a;

	memcpy(a.addr_bytes, m, RTE_ETHER_ADDR_LEN);
	return evf_json_mac(&a);
}

static const char *
selected_text(uint8_t s)
{
	return s == EVF_LACP_SELECTED ? "yes" : s == EVF_LACP_STANDBY ? "standby" : "no";
}

static json_t *
lacp_member_json(const struct evf_lag_member_view *m)
{
	const struct evf_lacp_port *p = &m->lacp;
	uint8_t st = p->actor.state;
	json_t *o = json_object();

	evf_json_set(o, "port", evf_json_str(evf_ports[m->port].name));
	evf_json_set(o, "oper", json_string(m->link && m->enabled ? "up" : "down"));
	evf_json_set(o, "activity", json_string(st & EVF_LACP_ST_ACTIVITY ? "active" : "passive"));
	evf_json_set(o, "timeout", json_string(st & EVF_LACP_ST_TIMEOUT ? "short" : "long"));
	evf_json_set(o, "synchronization", json_boolean(st & EVF_LACP_ST_SYNC));
	evf_json_set(o, "aggregation", json_boolean(st & EVF_LACP_ST_AGGREGATION));
	evf_json_set(o, "collecting", json_boolean(st & EVF_LACP_ST_COLLECTING));
	evf_json_set(o, "distributing", json_boolean(st & EVF_LACP_ST_DISTRIBUTING));
	evf_json_set(o, "system_id", sys_json(p->actor.sys));
	evf_json_set(o, "oper_key", json_integer(p->actor.key));
	evf_json_set(o, "partner_id", sys_json(p->partner.sys));
	evf_json_set(o, "partner_key", json_integer(p->partner.key));
	evf_json_set(o, "port_number", json_integer(p->actor.port));
	evf_json_set(o, "partner_port_number", json_integer(p->partner.port));
	evf_json_set(o, "actor_state", json_integer(p->actor.state));
	evf_json_set(o, "partner_state", json_integer(p->partner.state));
	evf_json_set(o, "selected", json_string(selected_text(p->selected)));
	evf_json_set(o, "mux", evf_json_str(evf_lacp_mux_state_name(p->mux_state)));
	evf_json_set(o, "receive", evf_json_str(evf_lacp_rx_state_name(p->rx_state)));
	return o;
}

static json_t *
lacp_json(uint16_t id)
{
	json_t *o = json_object(), *members = json_array();
	struct evf_lag_view v;

	if (evf_lag_view(id, &v) < 0) {
		json_decref(members);
		json_decref(o);
		return NULL;
	}
	evf_json_set(o, "name", evf_json_str(evf_lags[id].name));
	evf_json_set(o, "lacp", json_boolean(v.mode_lacp));
	evf_json_set(o, "interval", v.mode_lacp ? json_string(v.fast ? "fast" : "slow") :
		     json_null());
	evf_json_set(o, "mode", v.mode_lacp ? json_string(v.passive ? "passive" : "active") :
		     json_null());
	evf_json_set(o, "system_id", sys_json(v.sys));
	evf_json_set(o, "system_priority", json_integer(v.sys_prio));
	if (v.mode_lacp && v.agg_bound) {
		json_t *p = json_object();

		evf_json_set(p, "system_id", sys_json(v.agg_partner_sys));
		evf_json_set(p, "key", json_integer(v.agg_partner_key));
		evf_json_set(p, "system_priority", json_integer(v.agg_partner_sys_prio));
		evf_json_set(o, "aggregator_partner", p);
	} else {
		evf_json_set(o, "aggregator_partner", json_null());
	}
	for (unsigned int i = 0; v.mode_lacp && i < v.nb_members; i++)
		evf_json_push(members, lacp_member_json(&v.m[i]));
	evf_json_set(o, "members", members);
	return o;
}

static json_t *
lag_member_json(const struct evf_lag_view *v, const struct evf_lag_member_view *m)
{
	const struct evf_lacp_port *p = &m->lacp;
	json_t *o = json_object();

	evf_json_set(o, "port", evf_json_str(evf_ports[m->port].name));
	evf_json_set(o, "link", json_string(!evf_port_is_up(&evf_ports[m->port]) ? "stopped" :
					    m->link ? "up" : "down"));
	evf_json_set(o, "selected", v->mode_lacp ? json_string(selected_text(p->selected)) :
		     json_null());
	evf_json_set(o, "mux", v->mode_lacp ? evf_json_str(evf_lacp_mux_state_name(p->mux_state)) :
		     json_null());
	evf_json_set(o, "collecting", json_boolean(m->collecting));
	evf_json_set(o, "distributing", json_boolean(m->distributing));
	evf_json_set(o, "buckets", json_integer(m->buckets));
	evf_json_set(o, "lacpdu_in", evf_json_uint(p->c.lacpdu_in));
	evf_json_set(o, "lacpdu_out", evf_json_uint(p->c.lacpdu_out));
	evf_json_set(o, "marker_in", evf_json_uint(m->marker_in));
	evf_json_set(o, "marker_resp_out", evf_json_uint(m->marker_resp_out));
	evf_json_set(o, "unknown", evf_json_uint(m->unknown));
	evf_json_set(o, "illegal", evf_json_uint(m->illegal));
	evf_json_set(o, "timeouts", evf_json_uint(p->c.timeouts));
	evf_json_set(o, "partner_changes", evf_json_uint(p->c.partner_changes));
	return o;
}

static json_t *
lag_json(uint16_t id)
{
	json_t *o = json_object(), *members = json_array();
	struct evf_lag_view v;
	unsigned int ndist = 0;

	if (evf_lag_view(id, &v) < 0) {
		json_decref(members);
		json_decref(o);
		return NULL;
	}
	for (unsigned int i = 0; i < v.nb_members; i++) {
		ndist += v.m[i].distributing;
		evf_json_push(members, lag_member_json(&v, &v.m[i]));
	}
	evf_json_set(o, "name", evf_json_str(evf_lags[id].name));
	evf_json_set(o, "up", json_boolean(v.up));
	evf_json_set(o, "mode", json_string(v.mode_lacp ? "lacp" : "static"));
	evf_json_set(o, "min_links", json_integer(v.min_links));
	evf_json_set(o, "tx_hash", json_string(hash_names[v.tx_hash % 3]));
	evf_json_set(o, "members_distributing", json_integer(ndist));
	if (v.mgmt_port != EVF_INVALID_ID) {
		json_t *m = json_object();

		evf_json_set(m, "port", evf_json_str(evf_ports[v.mgmt_port].name));
		evf_json_set(m, "up", json_boolean(__atomic_load_n(&evf_lags[id].mgmt_up,
								   __ATOMIC_RELAXED)));
		evf_json_set(m, "macs", json_integer(v.nb_mgmt_macs));
		evf_json_set(m, "vlan", v.mgmt_vlan ? json_integer(v.mgmt_vlan) : json_null());
		evf_json_set(o, "management", m);
	} else {
		evf_json_set(o, "management", json_null());
	}
	evf_json_set(o, "members", members);
	return o;
}

static int
each_lag(FILE *out, const char *name, json_t *(*fn)(uint16_t))
{
	json_t *root = json_object(), *list = json_array();
	bool found = false;

	for (uint16_t i = 0; i < evf_nb_lags; i++)
		if (name == NULL || strcmp(evf_lags[i].name, name) == 0) {
			evf_json_push(list, fn(i));
			found = true;
		}
	evf_json_set(root, "lags", list);
	if (name != NULL && !found) {
		json_decref(root);
		return -ENOENT;
	}
	return evf_json_print(out, root);
}

int
evf_json_lacp(FILE *out, const char *name)
{
	return each_lag(out, name, lacp_json);
}

int
evf_json_lag(FILE *out, const char *name)
{
	return each_lag(out, name, lag_json);
}
