/* json_ctl.c: JSON forms of show learning, show routes, show ring and show
 * events (control thread: counters the control thread writes, the ring's
 * view, the event log). Schemas: doc/shell.md "JSON output". */
#include <errno.h>
#include <stdlib.h>

#include <rte_cycles.h>

#include "evf_ctl.h"
#include "evf_events.h"
#include "evf_fdb_ctl.h"
#include "evf_rcu.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "json.h"
#include "json_out.h"

int
evf_json_learning(FILE *out, const char *unused)
{
	json_t *root = json_object();
	(void)unused;

	evf_json_set(root, "learning", evf_json_counters(&evf_learn_counter_set));
	evf_json_set(root, "control", evf_json_counters(&evf_ctl_counter_set));
	evf_json_set(root, "awaiting_grace_period", evf_json_uint(evf_rcu_pending()));
	return evf_json_print(out, root);
}

int
evf_json_routes(FILE *out, const char *unused)
{
	static const char *const types[] = { "", "rt1", "rt2", "rt3", "rt4" };
	const struct evf_route_counters *c = &evf_route_counters;
	json_t *root = json_object(), *applied = json_object(), *results = json_object();
	(void)unused;

	for (int t = 1; t <= 4; t++) {
		json_t *o = json_object();

		evf_json_set(o, "add", evf_json_uint(c->applied[t][0]));
		evf_json_set(o, "del", evf_json_uint(c->applied[t][1]));
		evf_json_set(applied, types[t], o);
	}
	for (int i = 0; i < EVF_RR_MAX; i++)
		evf_json_set(results, evf_route_result_name(i), evf_json_uint(c->result[i]));
	evf_json_set(root, "applied", applied);
	evf_json_set(root, "results", results);
	evf_json_set(root, "swept", evf_json_uint(c->swept));
	evf_json_set(root, "last_apply_us", json_real((double)c->last_apply_cycles * 1e6 /
						       (double)rte_get_tsc_hz()));
	return evf_json_print(out, root);
}

int
evf_json_ring(FILE *out, const char *unused)
{
	static const char *const names[EVF_RING_COUNT] = { "routes", "events", "manual" };
	const struct evf_ring_counters *c = &evf_ring_counters;
	json_t *root = json_object(), *rings, *rej, *lat;
	struct evf_ring_view v;
	(void)unused;

	evf_ring_view(&v);
	evf_json_set(root, "configured", json_boolean(v.on));
	if (!v.on)
		return evf_json_print(out, root);
	evf_json_set(root, "name", evf_json_str(v.name));
	rings = json_array();
	for (unsigned int r = 0; r < EVF_RING_COUNT; r++) {
		json_t *o = json_object();

		evf_json_set(o, "ring", json_string(names[r]));
		evf_json_set(o, "records", evf_json_uint(v.ring[r].count));
		evf_json_set(o, "producer", evf_json_uint(v.ring[r].prod));
		evf_json_set(o, "consumer", evf_json_uint(v.ring[r].cons));
		evf_json_set(o, "queued", evf_json_uint(v.ring[r].prod - v.ring[r].cons));
		evf_json_set(o, "epoch", evf_json_uint(v.ring[r].epoch));
		evf_json_push(rings, o);
	}
	evf_json_set(root, "rings", rings);
	evf_json_set(root, "generation", json_integer(v.generation));
	evf_json_set(root, "resync", json_boolean(v.syncing));
	evf_json_set(root, "hold_timer_running", json_boolean(v.hold_running));
	evf_json_set(root, "counters", evf_json_counters(&evf_ring_counter_set));
	rej = json_object();
	for (int i = 0; i < EVF_RING_REJ_MAX; i++)
		evf_json_set(rej, evf_ring_reject_name(i), evf_json_uint(c->rejected[i]));
	evf_json_set(root, "rejected", rej);
	evf_json_set(root, "dump_epoch", evf_json_uint(v.dump_epoch));
	evf_json_set(root, "dump_running", json_boolean(v.dumping));
	lat = json_object();
	evf_json_set(lat, "samples", evf_json_uint(c->lat_count));
	evf_json_set(lat, "p50_ns", c->lat_count ? evf_json_uint(evf_ring_latency_pct(50)) :
		     json_null());
	evf_json_set(lat, "p99_ns", c->lat_count ? evf_json_uint(evf_ring_latency_pct(99)) :
		     json_null());
	evf_json_set(root, "apply_latency", lat);
	return evf_json_print(out, root);
}

static json_t *
event_json(const struct evf_event *ev)
{
	json_t *o = json_object();

	evf_json_set(o, "seq", evf_json_uint(ev->seq));
	evf_json_set(o, "time", json_integer(ev->time));
	evf_json_set(o, "type", json_string(evf_event_name(ev->type)));
	switch (ev->type) {
	case EVF_EV_ES_UP:
	case EVF_EV_ES_DOWN:
		evf_json_set(o, "esi", evf_json_esi(&ev->esi));
		evf_json_set(o, "preference", json_integer(ev->pref));
		evf_json_set(o, "dont_preempt", json_boolean(ev->flag));
		break;
	case EVF_EV_DF_CHANGE:
		evf_json_set(o, "esi", evf_json_esi(&ev->esi));
		evf_json_set(o, "vni", json_integer(ev->vni));
		evf_json_set(o, "df", json_boolean(ev->flag));
		break;
	default:
		evf_json_set(o, "vni", json_integer(ev->vni));
		evf_json_set(o, "mac", evf_json_mac(&ev->mac));
		evf_json_set(o, "mobility_seq", json_integer(ev->mob_seq));
		evf_json_set(o, "esi", evf_esi_is_zero(&ev->esi) ? json_null() :
			     evf_json_esi(&ev->esi));
	}
	return o;
}

int
evf_json_events(FILE *out, const char *n_text)
{
	uint64_t emitted = evf_event_count(), n = strtoull(n_text != NULL ? n_text : "20", NULL, 10);
	uint64_t first = emitted > n ? emitted - n + 1 : 1;
	json_t *root = json_object(), *list = json_array();

	if (emitted >= EVF_EVENT_LOG_SIZE && first < emitted - EVF_EVENT_LOG_SIZE + 1)
		first = emitted - EVF_EVENT_LOG_SIZE + 1; /* older ones are gone */
	for (uint64_t s = first; s <= emitted; s++) {
		struct evf_event ev;

		if (evf_event_get(s, &ev) == 0)
			evf_json_push(list, event_json(&ev));
	}
	evf_json_set(root, "events", list);
	evf_json_set(root, "emitted", evf_json_uint(emitted));
	evf_json_set(root, "lost", evf_json_uint(evf_event_lost()));
	return evf_json_print(out, root);
}
