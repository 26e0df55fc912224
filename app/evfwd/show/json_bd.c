/* json_bd.c: JSON forms of show mac-vrf, show fdb and show vteps (control
 * thread: reads control state through the rooms' views). Schemas:
 * doc/shell.md "JSON output". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evf_bd.h"
#include "evf_clock.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_fdb_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "json.h"
#include "json_out.h"

static const char *
origin_name(uint8_t origin)
{
	switch (origin) {
	case EVF_FDB_LEARNED: return "learnt";
	case EVF_FDB_STATIC: return "static";
	default: return "evpn";
	}
}

/* MAC counts by origin of every MAC-VRF, one pass over the FDB. */
struct origin_counts {
	uint32_t n[EVF_MAX_BDS][3];
};

static void
count_visit(struct evf_fdb_entry *e, void *arg)
{
	struct origin_counts *c = arg;

	if (e->key.bd < EVF_MAX_BDS)
		c->n[e->key.bd][e->origin <= EVF_FDB_EVPN ? e->origin : EVF_FDB_EVPN]++;
}

static json_t *
flood_member_json(const struct evf_bd_flood_member *m)
{
	json_t *o = json_object(), *src = json_array();

	evf_json_set(o, "vtep", evf_json_ip(&evf_vteps[m->vtep].ip));
	if (m->sources & EVF_FLOOD_SRC_STATIC)
		evf_json_push(src, json_string("static"));
	if (m->sources & EVF_FLOOD_SRC_IMET)
		evf_json_push(src, json_string("imet"));
	evf_json_set(o, "sources", src);
	return o;
}

static json_t *
bd_json(const struct evf_bd *bd, const uint32_t counts[3])
{
	json_t *o = json_object(), *macs = json_object(), *att = json_array(),
	       *flood = json_array();
	struct evf_bd_view v;

	evf_bd_view(bd->id, &v);
	evf_json_set(o, "name", evf_json_str(bd->name));
	evf_json_set(o, "vni", json_integer(bd->vni));
	evf_json_set(o, "evi", json_integer(bd->evi));
	evf_json_set(o, "learning", json_boolean(bd->learning));
	evf_json_set(o, "mac_aging", bd->mac_aging ? json_integer(bd->mac_aging) : json_null());
	evf_json_set(o, "mac_limit", bd->mac_limit ? json_integer(bd->mac_limit) : json_null());
	evf_json_set(o, "local_macs", json_integer(v.local_macs));
	evf_json_set(o, "at_mac_limit", json_boolean(bd->mac_limit && bd->at_limit));
	evf_json_set(o, "allow_inner_vlan", json_boolean(bd->allow_inner_vlan));
	evf_json_set(macs, "learnt", json_integer(counts[EVF_FDB_LEARNED]));
	evf_json_set(macs, "static", json_integer(counts[EVF_FDB_STATIC]));
	evf_json_set(macs, "evpn", json_integer(counts[EVF_FDB_EVPN]));
	evf_json_set(o, "macs", macs);
	for (uint16_t i = 0; i < v.nb_attach; i++)
		evf_json_push(att, evf_json_str(evf_attachs[v.attach[i]].name));
	evf_json_set(o, "attachments", att);
	for (uint16_t i = 0; i < v.nb_members; i++)
		evf_json_push(flood, flood_member_json(&v.members[i]));
	evf_json_set(o, "flood_list", flood);
	return o;
}

int
evf_json_mac_vrf(FILE *out, const char *name)
{
	struct origin_counts *c = calloc(1, sizeof(*c));
	json_t *root, *list;
	bool found = false;

	if (c == NULL)
		return -ENOMEM;
	root = json_object();
	list = json_array();
	evf_fdb_foreach(EVF_INVALID_ID, count_visit, c);
	for (uint16_t b = 0; b < evf_nb_bds; b++) {
		if (name != NULL && strcmp(evf_bds[b].name, name) != 0)
			continue;
		found = true;
		evf_json_push(list, bd_json(&evf_bds[b], c->n[b]));
	}
	free(c);
	evf_json_set(root, "mac_vrfs", list);
	if (name != NULL && !found) {
		json_decref(root);
		return -ENOENT;
	}
	return evf_json_print(out, root);
}

/* ---- show fdb ---- */

struct fdb_rows {
	uint32_t n, cap;
	bool oom;
	struct evf_fdb_entry *e;
};

static void
collect(struct evf_fdb_entry *e, void *arg)
{
	struct fdb_rows *r = arg;

	if (r->n == r->cap) {
		uint32_t cap = r->cap ? r->cap * 2 : 256;
		void *p = realloc(r->e, cap * sizeof(*r->e));

		if (p == NULL) {
			r->oom = true;
			return;
		}
		r->e = p;
		r->cap = cap;
	}
	r->e[r->n++] = *e;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct evf_fdb_entry *x = a, *y = b;

	if (x->key.bd != y->key.bd)
		return x->key.bd < y->key.bd ? -1 : 1;
	return memcmp(x->key.mac.addr_bytes, y->key.mac.addr_bytes, RTE_ETHER_ADDR_LEN);
}

/* Where the workers send a MAC on a segment: our attachment, or the PEs the
 * flow hash picks among, and why those (the same view as show fdb's text). */
static void
es_dest_json(json_t *d, const struct evf_fdb_entry *e)
{
	struct evf_es_dest_view v;
	const struct evf_es *es;
	json_t *pes = json_array();

	evf_es_dest_view(evf_dest_target(e->dest), evf_dest_aux(e->dest), &v);
	es = &evf_ess[v.es];
	evf_json_set(d, "esi", evf_json_esi(&es->esi));
	evf_json_set(d, "segment", evf_json_str(es->name));
	if (v.local_attach != EVF_INVALID_ID) {
		evf_json_set(d, "local_attachment", evf_json_str(evf_attachs[v.local_attach].name));
		evf_json_set(d, "selection", json_string("local"));
	} else {
		evf_json_set(d, "local_attachment", json_null());
		evf_json_set(d, "selection", json_string(v.pes != 0 && v.single_active ?
			"single-active primary" : v.rt2_fallback ? "rt2 fallback" : "aliasing"));
	}
	for (int i = 0; i < EVF_ES_MAX_PE && v.local_attach == EVF_INVALID_ID; i++)
		if (v.pes & (1u << i))
			evf_json_push(pes, evf_json_ip(&es->pe_ip[i]));
	evf_json_set(d, "pes", pes);
}

static json_t *
dest_json(const struct evf_fdb_entry *e)
{
	json_t *d = json_object();
	uint16_t target = evf_dest_target(e->dest);

	switch (evf_dest_kind(e->dest)) {
	case EVF_DEST_ATTACH:
		evf_json_set(d, "kind", json_string("attachment"));
		evf_json_set(d, "attachment", evf_json_str(evf_attachs[target].name));
		break;
	case EVF_DEST_VTEP:
		evf_json_set(d, "kind", json_string("vtep"));
		evf_json_set(d, "vtep", evf_json_ip(&evf_vteps[target].ip));
		break;
	case EVF_DEST_ES:
		evf_json_set(d, "kind", json_string("es"));
		es_dest_json(d, e);
		break;
	default:
		evf_json_set(d, "kind", json_string("none"));
	}
	return d;
}

static json_t *
entry_json(const struct evf_fdb_entry *e, uint32_t now)
{
	const struct evf_bd *b = &evf_bds[e->key.bd];
	json_t *o = json_object();

	evf_json_set(o, "mac_vrf", evf_json_str(b->name));
	evf_json_set(o, "mac", evf_json_mac(&e->key.mac));
	evf_json_set(o, "type", json_string(origin_name(e->origin)));
	evf_json_set(o, "destination", dest_json(e));
	if (e->origin == EVF_FDB_LEARNED && b->mac_aging && !e->frozen) {
		uint32_t idle = now - evf_fdb_last_seen(e);

		evf_json_set(o, "aging", json_integer(idle >= b->mac_aging ? 0 :
						      b->mac_aging - idle));
	} else {
		evf_json_set(o, "aging", json_null());
	}
	evf_json_set(o, "seq", json_integer(e->seq));
	evf_json_set(o, "frozen", json_boolean(e->frozen));
	evf_json_set(o, "sticky", json_boolean(e->sticky));
	return o;
}

int
evf_json_fdb(FILE *out, const char *bd_name)
{
	uint16_t bd = EVF_INVALID_ID;
	struct fdb_rows rows = { 0 };
	uint32_t by[3] = { 0 }, now = evf_clock_sec();
	json_t *root, *list;

	if (bd_name != NULL) {
		const struct evf_bd *b = evf_bd_by_name(bd_name);

		if (b == NULL)
			return -ENOENT;
		bd = b->id;
	}
	evf_fdb_foreach(bd, collect, &rows);
	if (rows.oom) {
		free(rows.e);
		return -ENOMEM;
	}
	if (rows.n > 1)
		qsort(rows.e, rows.n, sizeof(*rows.e), cmp_entry);
	root = json_object();
	list = json_array();
	for (uint32_t i = 0; i < rows.n; i++) {
		evf_json_push(list, entry_json(&rows.e[i], now));
		by[rows.e[i].origin <= EVF_FDB_EVPN ? rows.e[i].origin : EVF_FDB_EVPN]++;
	}
	free(rows.e);
	evf_json_set(root, "entries", list);
	evf_json_set(root, "total", json_integer(rows.n));
	evf_json_set(root, "learnt", json_integer(by[EVF_FDB_LEARNED]));
	evf_json_set(root, "static", json_integer(by[EVF_FDB_STATIC]));
	evf_json_set(root, "evpn", json_integer(by[EVF_FDB_EVPN]));
	return evf_json_print(out, root);
}

/* ---- show vteps ---- */

static void
vtep_visit(struct evf_fdb_entry *e, void *arg)
{
	uint32_t *macs = arg;

	if (evf_dest_kind(e->dest) == EVF_DEST_VTEP)
		macs[evf_dest_target(e->dest)]++;
}

int
evf_json_vteps(FILE *out, const char *unused)
{
	uint32_t *macs = calloc(EVF_MAX_VTEPS, sizeof(*macs));
	json_t *root, *list;
	(void)unused;

	if (macs == NULL)
		return -ENOMEM;
	evf_fdb_foreach(EVF_INVALID_ID, vtep_visit, macs);
	root = json_object();
	list = json_array();
	for (uint16_t id = 0; id < EVF_MAX_VTEPS; id++) {
		const struct evf_vtep *v = &evf_vteps[id];
		json_t *o, *bds;

		if (!v->in_use)
			continue;
		o = json_object();
		bds = json_array();
		for (uint16_t b = 0; b < evf_nb_bds; b++) {
			struct evf_bd_view bv;

			evf_bd_view(b, &bv);
			for (uint16_t i = 0; i < bv.nb_members; i++)
				if (bv.members[i].vtep == id) {
					evf_json_push(bds, evf_json_str(evf_bds[b].name));
					break;
				}
		}
		evf_json_set(o, "address", evf_json_ip(&v->ip));
		evf_json_set(o, "id", json_integer(id));
		evf_json_set(o, "family", json_string(v->family == AF_INET ? "ipv4" : "ipv6"));
		evf_json_set(o, "usable", json_boolean(v->usable));
		evf_json_set(o, "macs", json_integer(macs[id]));
		evf_json_set(o, "flood_in", bds);
		evf_json_set(o, "refs", json_integer(v->refcnt));
		evf_json_push(list, o);
	}
	free(macs);
	evf_json_set(root, "vteps", list);
	return evf_json_print(out, root);
}
