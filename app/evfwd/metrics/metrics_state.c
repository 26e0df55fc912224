/* metrics_state.c: the part of a scrape that reads control state: MAC-VRFs
 * and their MAC counts, the FDB, remote VTEPs, segments and DF, LAGs and
 * LACP, routes, events, the control ring's indices. Built on the control
 * thread (evf_ctl_call from the server's thread), which is the only thread
 * that may read those tables, and kept for METRICS_STATE_MIN_MS so that a
 * client scraping without pause cannot keep the control thread busy. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_es_dp.h"
#include "evf_events.h"
#include "evf_fdb_ctl.h"
#include "evf_lag.h"
#include "evf_lag_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "metrics_private.h"

static struct evf_mset *cache;     /* the server's thread only */
static uint64_t cache_ms;

struct bd_counts {
	uint32_t n[EVF_MAX_BDS][3];  /* learnt, static, evpn */
};

static void
count_visit(struct evf_fdb_entry *e, void *arg)
{
	struct bd_counts *c = arg;

	if (e->key.bd < EVF_MAX_BDS)
		c->n[e->key.bd][e->origin <= EVF_FDB_EVPN ? e->origin : EVF_FDB_EVPN]++;
}

static int
bd_families(struct evf_mset *s)
{
	static const char *const origin[] = { "learnt", "static", "evpn" };
	struct bd_counts *c = calloc(1, sizeof(*c));
	char num[2][12];
	int rc;

	if (c == NULL)
		return -ENOMEM;
	evf_fdb_foreach(EVF_INVALID_ID, count_visit, c);
	rc = evf_mset_family(s, "evfwd_mac_vrf", EVF_MT_INFO, "a MAC-VRF: its VNI and EVI");
	for (uint16_t b = 0; b < evf_nb_bds && rc == 0; b++) {
		snprintf(num[0], sizeof(num[0]), "%u", evf_bds[b].vni);
		snprintf(num[1], sizeof(num[1]), "%u", evf_bds[b].evi);
		rc = evf_mset_add(s, 1, "mac_vrf", evf_bds[b].name, "vni", num[0], "evi", num[1],
				  NULL);
	}
	rc = rc ? rc : evf_mset_family(s, "evfwd_fdb_macs", EVF_MT_GAUGE,
				       "MACs in the FDB, by MAC-VRF and type (learnt, static, evpn)");
	for (uint16_t b = 0; b < evf_nb_bds && rc == 0; b++)
		for (int o = 0; o < 3 && rc == 0; o++)
			rc = evf_mset_add(s, c->n[b][o], "mac_vrf", evf_bds[b].name, "type", origin[o],
					  NULL);
	free(c);
	rc = rc ? rc : evf_mset_family(s, "evfwd_mac_vrf_local_macs", EVF_MT_GAUGE,
				       "local MACs counted against the MAC limit");
	for (uint16_t b = 0; b < evf_nb_bds && rc == 0; b++)
		rc = evf_mset_add(s, evf_bd_local_macs(b), "mac_vrf", evf_bds[b].name, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_mac_vrf_mac_limit", EVF_MT_GAUGE,
				       "the MAC limit (0: none)");
	for (uint16_t b = 0; b < evf_nb_bds && rc == 0; b++)
		rc = evf_mset_add(s, evf_bds[b].mac_limit, "mac_vrf", evf_bds[b].name, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_mac_vrf_at_mac_limit", EVF_MT_GAUGE,
				       "1 while the MAC limit is reached (new MACs dropped)");
	for (uint16_t b = 0; b < evf_nb_bds && rc == 0; b++)
		rc = evf_mset_add(s, evf_bds[b].mac_limit && evf_bd_limit_reached(b) ? 1 : 0,
				  "mac_vrf", evf_bds[b].name, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_mac_vrf_attachments", EVF_MT_GAUGE,
				       "local attachments");
	for (uint16_t b = 0; b < evf_nb_bds && rc == 0; b++) {
		struct evf_bd_view v;

		evf_bd_view(b, &v);
		rc = evf_mset_add(s, v.nb_attach, "mac_vrf", evf_bds[b].name, NULL);
	}
	rc = rc ? rc : evf_mset_family(s, "evfwd_mac_vrf_flood_vteps", EVF_MT_GAUGE,
				       "remote VTEPs in the flood list (static and RT3)");
	for (uint16_t b = 0; b < evf_nb_bds && rc == 0; b++) {
		struct evf_bd_view v;

		evf_bd_view(b, &v);
		rc = evf_mset_add(s, v.nb_members, "mac_vrf", evf_bds[b].name, NULL);
	}
	return rc;
}

static int
table_families(struct evf_mset *s)
{
	uint32_t vteps = 0, unusable = 0;
	int rc;

	for (uint16_t id = 0; id < EVF_MAX_VTEPS; id++)
		if (evf_vteps[id].in_use) {
			vteps++;
			unusable += !evf_vteps[id].usable;
		}
	rc = evf_mset_family(s, "evfwd_fdb_entries", EVF_MT_GAUGE, "entries in the FDB");
	rc = rc ? rc : evf_mset_add(s, evf_fdb_count(), NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_fdb_capacity", EVF_MT_GAUGE,
				       "entries the FDB holds at most (node fdb-capacity)");
	rc = rc ? rc : evf_mset_add(s, evf_fdb.capacity, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_vteps", EVF_MT_GAUGE, "remote VTEPs known");
	rc = rc ? rc : evf_mset_add(s, vteps, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_vteps_unusable", EVF_MT_GAUGE,
				       "remote VTEPs of an address family we have no source for");
	return rc ? rc : evf_mset_add(s, unusable, NULL);
}

static int
es_families(struct evf_mset *s)
{
	uint16_t n = evf_es_count();
	int rc;

	rc = evf_mset_family(s, "evfwd_es", EVF_MT_INFO,
			     "an Ethernet segment: ESI, local or remote, oper mode");
	for (uint16_t id = 0; id < n && rc == 0; id++) {
		char esi[EVF_ESI_STRLEN];

		rc = evf_mset_add(s, 1, "segment", evf_ess[id].name, "esi",
				  evf_esi_fmt(&evf_ess[id].esi, esi, sizeof(esi)), "type",
				  evf_es_local_cfg(id) != NULL ? "local" : "remote", "mode",
				  evf_ess[id].single_active ? "single-active" : "all-active", NULL);
	}
	rc = rc ? rc : evf_mset_family(s, "evfwd_es_pes", EVF_MT_GAUGE,
				       "PEs advertising the segment with an RT1 per-ES route");
	for (uint16_t id = 0; id < n && rc == 0; id++)
		rc = evf_mset_add(s, (uint64_t)__builtin_popcount(evf_ess[id].per_es_mask),
				  "segment", evf_ess[id].name, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_es_up", EVF_MT_GAUGE,
				       "1 when a local segment is up (interface up, active)");
	for (uint16_t id = 0; id < n && rc == 0; id++)
		if (evf_es_local_cfg(id) != NULL)
			rc = evf_mset_add(s, evf_ess[id].local_up ? 1 : 0, "segment", evf_ess[id].name,
					  NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_es_df_timer_running", EVF_MT_GAUGE,
				       "1 while a local segment's DF wait timer runs");
	for (uint16_t id = 0; id < n && rc == 0; id++) {
		struct evf_es_df_view v;

		if (evf_es_local_cfg(id) == NULL)
			continue;
		evf_es_df_view(id, &v);
		rc = evf_mset_add(s, v.timer_running ? 1 : 0, "segment", evf_ess[id].name, NULL);
	}
	rc = rc ? rc : evf_mset_family(s, "evfwd_es_df", EVF_MT_GAUGE,
				       "1 when this node is the DF of a local segment for a MAC-VRF");
	for (uint16_t x = 0; x < EVF_MAX_ESEVI && rc == 0; x++) {
		const struct evf_esevi *b = &evf_esevis[x];

		if (!b->in_use || !evf_ess[b->es].local)
			continue;
		rc = evf_mset_add(s, evf_es_is_df(&evf_ess[b->es], b) ? 1 : 0, "segment",
				  evf_ess[b->es].name, "mac_vrf", evf_bds[b->bd].name, NULL);
	}
	return rc;
}

/* LAG families: one sample per LAG, or per member (a view per LAG). */
static const struct {
	const char *name, *help;
	enum evf_mtype type;
	bool member;
	int what;
} lag_fam[] = {
	{ "evfwd_lag_up", "1 when at least min-links members distribute", EVF_MT_GAUGE, false, 0 },
	{ "evfwd_lag_members", "members of the LAG", EVF_MT_GAUGE, false, 1 },
	{ "evfwd_lag_members_distributing", "members distributing", EVF_MT_GAUGE, false, 2 },
	{ "evfwd_lag_member_collecting", "1 when the member collects", EVF_MT_GAUGE, true, 3 },
	{ "evfwd_lag_member_distributing", "1 when the member distributes", EVF_MT_GAUGE, true, 4 },
	{ "evfwd_lacp_member_selected", "1 when LACP selected the member", EVF_MT_GAUGE, true, 5 },
	{ "evfwd_lacp_member_in_sync", "1 when the actor's synchronization bit is set",
	  EVF_MT_GAUGE, true, 6 },
	{ "evfwd_lacp_actor_state", "the actor state byte (802.1AX)", EVF_MT_GAUGE, true, 7 },
	{ "evfwd_lacp_partner_state", "the partner state byte (802.1AX)", EVF_MT_GAUGE, true, 8 },
	{ "evfwd_lacp_pdus_received", "LACPDUs received", EVF_MT_COUNTER, true, 9 },
	{ "evfwd_lacp_pdus_sent", "LACPDUs sent", EVF_MT_COUNTER, true, 10 },
	{ "evfwd_lacp_timeouts", "partner timeouts", EVF_MT_COUNTER, true, 11 },
	{ "evfwd_lacp_partner_changes", "partner changes", EVF_MT_COUNTER, true, 12 },
	{ "evfwd_lag_markers_received", "marker PDUs received", EVF_MT_COUNTER, true, 13 },
	{ "evfwd_lag_marker_responses_sent", "marker responses sent", EVF_MT_COUNTER, true, 14 },
	{ "evfwd_lag_slow_protocol_unknown", "unknown slow-protocol frames", EVF_MT_COUNTER,
	  true, 15 },
	{ "evfwd_lag_slow_protocol_illegal", "illegal slow-protocol frames", EVF_MT_COUNTER,
	  true, 16 },
};

static uint64_t
lag_value(const struct evf_lag_view *v, const struct evf_lag_member_view *m, int what)
{
	unsigned int ndist = 0;

	switch (what) {
	case 0: return v->up;
	case 1: return v->nb_members;
	case 2:
		for (unsigned int i = 0; i < v->nb_members; i++)
			ndist += v->m[i].distributing;
		return ndist;
	case 3: return m->collecting;
	case 4: return m->distributing;
	case 5: return m->lacp.selected == EVF_LACP_SELECTED;
	case 6: return (m->lacp.actor.state & EVF_LACP_ST_SYNC) != 0;
	case 7: return m->lacp.actor.state;
	case 8: return m->lacp.partner.state;
	case 9: return m->lacp.c.lacpdu_in;
	case 10: return m->lacp.c.lacpdu_out;
	case 11: return m->lacp.c.timeouts;
	case 12: return m->lacp.c.partner_changes;
	case 13: return m->marker_in;
	case 14: return m->marker_resp_out;
	case 15: return m->unknown;
	default: return m->illegal;
	}
}

static int
lag_families(struct evf_mset *s)
{
	struct evf_lag_view *v;
	int rc = 0;

	if (evf_nb_lags == 0)
		return 0;
	v = calloc(evf_nb_lags, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (uint16_t l = 0; l < evf_nb_lags; l++)
		if (evf_lag_view(l, &v[l]) < 0)
			v[l].nb_members = 0;
	for (size_t f = 0; f < sizeof(lag_fam) / sizeof(lag_fam[0]) && rc == 0; f++) {
		rc = evf_mset_family(s, lag_fam[f].name, lag_fam[f].type, lag_fam[f].help);
		for (uint16_t l = 0; l < evf_nb_lags && rc == 0; l++) {
			if (!lag_fam[f].member) {
				rc = evf_mset_add(s, lag_value(&v[l], NULL, lag_fam[f].what), "lag",
						  evf_lags[l].name, NULL);
				continue;
			}
			/* LACP families only for LACP LAGs */
			if (lag_fam[f].what >= 5 && lag_fam[f].what <= 12 && !v[l].mode_lacp)
				continue;
			for (unsigned int i = 0; i < v[l].nb_members && rc == 0; i++)
				rc = evf_mset_add(s, lag_value(&v[l], &v[l].m[i], lag_fam[f].what),
						  "lag", evf_lags[l].name, "port",
						  evf_ports[v[l].m[i].port].name, NULL);
		}
	}
	free(v);
	return rc;
}

static int
route_families(struct evf_mset *s)
{
	static const char *const types[] = { "", "rt1", "rt2", "rt3", "rt4" };
	const struct evf_route_counters *c = &evf_route_counters;
	int rc = evf_mset_family(s, "evfwd_routes_applied", EVF_MT_COUNTER,
				 "EVPN routes applied (shell and control ring), by type and operation");

	for (int t = 1; t <= 4 && rc == 0; t++) {
		rc = evf_mset_add(s, c->applied[t][0], "type", types[t], "op", "add", NULL);
		rc = rc ? rc : evf_mset_add(s, c->applied[t][1], "type", types[t], "op", "del", NULL);
	}
	rc = rc ? rc : evf_mset_family(s, "evfwd_route_results", EVF_MT_COUNTER,
				       "results of applying EVPN routes (ok, or why refused)");
	for (int i = 0; i < EVF_RR_MAX && rc == 0; i++)
		rc = evf_mset_add(s, c->result[i], "result", evf_route_result_name(i), NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_routes_swept", EVF_MT_COUNTER,
				       "routes withdrawn by control-plane resyncs");
	rc = rc ? rc : evf_mset_add(s, c->swept, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_events_emitted", EVF_MT_COUNTER,
				       "control-plane events (MACs, segments, DF)");
	rc = rc ? rc : evf_mset_add(s, evf_event_count(), NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_events_lost", EVF_MT_COUNTER,
				       "events the events ring had no room for");
	return rc ? rc : evf_mset_add(s, evf_event_lost(), NULL);
}

static int
ring_state_families(struct evf_mset *s)
{
	static const char *const names[EVF_RING_COUNT] = { "routes", "events", "manual" };
	struct evf_ring_view v;
	int rc;

	evf_ring_view(&v);
	rc = evf_mset_family(s, "evfwd_ring_configured", EVF_MT_GAUGE,
			     "1 when a control ring is configured");
	rc = rc ? rc : evf_mset_add(s, v.on ? 1 : 0, NULL);
	if (!v.on || rc != 0)
		return rc;
	rc = evf_mset_family(s, "evfwd_ring_size", EVF_MT_GAUGE, "records a ring holds");
	for (unsigned int r = 0; r < EVF_RING_COUNT && rc == 0; r++)
		rc = evf_mset_add(s, v.ring[r].count, "ring", names[r], NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_ring_queued", EVF_MT_GAUGE,
				       "records written and not yet read");
	for (unsigned int r = 0; r < EVF_RING_COUNT && rc == 0; r++)
		rc = evf_mset_add(s, v.ring[r].prod - v.ring[r].cons, "ring", names[r], NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_ring_generation", EVF_MT_GAUGE,
				       "generation owning new routes of the routes ring");
	rc = rc ? rc : evf_mset_add(s, v.generation, NULL);
	rc = rc ? rc : evf_mset_family(s, "evfwd_ring_resync", EVF_MT_GAUGE,
				       "1 while a producer resyncs (SYNC-BEGIN seen, or hold timer)");
	rc = rc ? rc : evf_mset_add(s, v.syncing || v.hold_running ? 1 : 0, NULL);
	if (rc == 0 && evf_ring_counters.lat_count) {
		rc = evf_mset_family(s, "evfwd_ring_apply_latency_p50_seconds", EVF_MT_GAUGE,
				     "median time from a producer's timestamp to the route applied");
		rc = rc ? rc : evf_mset_add_real(s, (double)evf_ring_latency_pct(50) / 1e9, NULL);
		rc = rc ? rc : evf_mset_family(s, "evfwd_ring_apply_latency_p99_seconds",
					       EVF_MT_GAUGE, "99th percentile of that time");
		rc = rc ? rc : evf_mset_add_real(s, (double)evf_ring_latency_pct(99) / 1e9, NULL);
	}
	return rc;
}

static int
build(void *arg)
{
	struct evf_mset *s = arg;
	int rc;

	rc = bd_families(s);
	rc = rc ? rc : table_families(s);
	rc = rc ? rc : es_families(s);
	rc = rc ? rc : lag_families(s);
	rc = rc ? rc : route_families(s);
	rc = rc ? rc : ring_state_families(s);
	return rc;
}

const struct evf_mset *
metrics_state_families(void)
{
	uint64_t now = metrics_now_ms();
	struct evf_mset *s;

	if (cache != NULL && now - cache_ms < METRICS_STATE_MIN_MS)
		return cache;
	s = evf_mset_new();
	if (s == NULL)
		return cache; /* an older state is better than none */
	if (evf_ctl_call(build, s) != 0) {
		evf_mset_free(s);
		return cache;
	}
	evf_mset_free(cache);
	cache = s;
	cache_ms = now;
	return cache;
}

void
metrics_state_release(void)
{
	evf_mset_free(cache);
	cache = NULL;
	cache_ms = 0;
}
