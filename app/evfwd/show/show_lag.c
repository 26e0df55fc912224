/* show_lag.c: "show lacp" (shaped like SR Linux's "show lag NAME lacp-state",
 * plus a detail section) and "show lag" (members, distribution, counters).
 * Control thread: reads LACP state through evf_lag_view(). */
#include <string.h>

#include "evf_addr.h"
#include "evf_lag.h"
#include "evf_lag_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "show.h"
#include "table.h"

static const char *const hash_names[] = { "l2", "l23", "l34" };

/* MACs in show lacp are upper case, as SR Linux prints them. */
static const char *
mac_text(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02X:%02X:%02X:%02X:%02X:%02X", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static const char *
tf(bool v)
{
	return v ? "True" : "False";
}

/* Run fn for LAG name, or for every LAG when name is NULL; -1 if unknown. */
static int
each_lag(FILE *out, const char *name, void (*fn)(FILE *, uint16_t))
{
	bool found = false;

	for (uint16_t i = 0; i < evf_nb_lags; i++)
		if (name == NULL || strcmp(evf_lags[i].name, name) == 0) {
			fn(out, i);
			found = true;
		}
	if (!found && name == NULL)
		fprintf(out, "No LAG configured.\n");
	return found || name == NULL ? 0 : -1;
}

/* Selection of a member: yes, no, or standby (could aggregate, but fewer
 * members than min-links can). */
static const char *
selected_text(uint8_t s)
{
	return s == EVF_LACP_SELECTED ? "yes" : s == EVF_LACP_STANDBY ? "standby" : "no";
}

static void
rule(FILE *out)
{
	for (int i = 0; i < 100; i++)
		fputc('-', out);
	fputc('\n', out);
}

/* "show lacp": the table of SR Linux's "show lag NAME lacp-state" (seed 003),
 * then a detail section with what evfwd adds (aggregator partner, state
 * bytes, selection, mux and receive machines). State is
 * synchronization/aggregatable/collecting/distributing of the actor. */
static void
lacp_one(FILE *out, uint16_t id)
{
	static const char *const hdr[] = { "Members", "Oper state", "Activity", "Timeout",
		"State", "System Id", "Oper key", "Partner Id", "Partner Key", "Port No",
		"Partner Port No", NULL };
	static const char *const dhdr[] = { "Member", "Actor state", "Partner state",
		"Selected", "Mux", "Receive", NULL };
	struct evf_lag_view v;
	struct evf_table *t;
	char sys[18], psys[18];

	if (evf_lag_view(id, &v) < 0)
		return;
	rule(out);
	fprintf(out, "LACP State for %s\n", evf_lags[id].name);
	rule(out);
	fprintf(out, "Lag Id         : %s\n", evf_lags[id].name);
	if (!v.mode_lacp) {
		fprintf(out, "Mode           : STATIC (no LACP)\n\n");
		return;
	}
	fprintf(out, "Interval       : %s\n", v.fast ? "FAST" : "SLOW");
	fprintf(out, "Mode           : %s\n", v.passive ? "PASSIVE" : "ACTIVE");
	fprintf(out, "System Id      : %s\n", mac_text(v.sys, sys, sizeof(sys)));
	fprintf(out, "System Priority: %u\n", v.sys_prio);
	t = evf_table_new(hdr);
	for (unsigned int i = 0; i < v.nb_members; i++) {
		const struct evf_lag_member_view *m = &v.m[i];
		const struct evf_lacp_port *p = &m->lacp;
		uint8_t st = p->actor.state;

		evf_table_rowf(t, "%s\t%s\t%s\t%s\t%s/%s/%s/%s\t%s\t%u\t%s\t%u\t%u\t%u",
			evf_ports[m->port].name, m->link && m->enabled ? "up" : "down",
			(st & EVF_LACP_ST_ACTIVITY) ? "ACTIVE" : "PASSIVE",
			(st & EVF_LACP_ST_TIMEOUT) ? "SHORT" : "LONG",
			(st & EVF_LACP_ST_SYNC) ? "IN_SYNC" : "OUT_SYNC",
			tf(st & EVF_LACP_ST_AGGREGATION), tf(st & EVF_LACP_ST_COLLECTING),
			tf(st & EVF_LACP_ST_DISTRIBUTING), mac_text(p->actor.sys, sys, sizeof(sys)),
			p->actor.key, mac_text(p->partner.sys, psys, sizeof(psys)), p->partner.key,
			p->actor.port, p->partner.port);
	}
	evf_table_print(t, out);
	evf_table_free(t);
	fprintf(out, "\n");
	if (v.agg_bound)
		fprintf(out, "Detail: aggregator partner %s, key %u, priority %u\n",
			mac_text(v.agg_partner_sys, psys, sizeof(psys)), v.agg_partner_key,
			v.agg_partner_sys_prio);
	else
		fprintf(out, "Detail: aggregator has no partner\n");
	t = evf_table_new(dhdr);
	for (unsigned int i = 0; i < v.nb_members; i++) {
		const struct evf_lag_member_view *m = &v.m[i];
		const struct evf_lacp_port *p = &m->lacp;

		evf_table_rowf(t, "%s\t0x%02x\t0x%02x\t%s\t%s\t%s", evf_ports[m->port].name,
			p->actor.state, p->partner.state, selected_text(p->selected),
			evf_lacp_mux_state_name(p->mux_state), evf_lacp_rx_state_name(p->rx_state));
	}
	evf_table_print(t, out);
	evf_table_free(t);
	fprintf(out, "\n");
}

static void
lag_one(FILE *out, uint16_t id)
{
	static const char *const hdr[] = { "Member", "Link", "Selected", "Mux", "Collecting",
		"Distributing", "Buckets", "LACPDU-in", "LACPDU-out", "Marker-in", "Marker-resp-out",
		"Unknown", "Illegal", "Timeouts", "Partner-changes", NULL };
	struct evf_lag_view v;
	struct evf_table *t;
	unsigned int ndist = 0;

	if (evf_lag_view(id, &v) < 0)
		return;
	for (unsigned int i = 0; i < v.nb_members; i++)
		ndist += v.m[i].distributing;
	fprintf(out, "LAG %s: %s, mode %s, min-links %u, tx-hash %s, %u of %u member(s)"
		" distributing\n", evf_lags[id].name, v.up ? "up" : "down",
		v.mode_lacp ? "lacp" : "static", v.min_links, hash_names[v.tx_hash % 3], ndist,
		v.nb_members);
	if (v.mgmt_port != EVF_INVALID_ID) {
		fprintf(out, "  Management member: %s (%s), %u MAC(s)", evf_ports[v.mgmt_port].name,
			__atomic_load_n(&evf_lags[id].mgmt_up, __ATOMIC_RELAXED) ? "up" : "down",
			v.nb_mgmt_macs);
		if (v.mgmt_vlan)
			fprintf(out, ", vlan %u", v.mgmt_vlan);
		fprintf(out, "\n");
	}
	t = evf_table_new(hdr);
	for (unsigned int i = 0; i < v.nb_members; i++) {
		const struct evf_lag_member_view *m = &v.m[i];
		const struct evf_lacp_port *p = &m->lacp;

		evf_table_rowf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%u\t%lu\t%lu\t%lu\t%lu\t%lu\t%lu\t%lu\t%lu",
			evf_ports[m->port].name,
			!evf_port_is_up(&evf_ports[m->port]) ? "stopped" : m->link ? "up" : "down",
			!v.mode_lacp ? "-" : selected_text(p->selected),
			v.mode_lacp ? evf_lacp_mux_state_name(p->mux_state) : "-",
			m->collecting ? "yes" : "no", m->distributing ? "yes" : "no", m->buckets,
			(unsigned long)p->c.lacpdu_in, (unsigned long)p->c.lacpdu_out,
			(unsigned long)m->marker_in, (unsigned long)m->marker_resp_out,
			(unsigned long)m->unknown, (unsigned long)m->illegal,
			(unsigned long)p->c.timeouts, (unsigned long)p->c.partner_changes);
	}
	evf_table_print(t, out);
	evf_table_free(t);
	fprintf(out, "\n");
}

int
evf_show_lacp(FILE *out, const char *name)
{
	return each_lag(out, name, lacp_one);
}

int
evf_show_lag(FILE *out, const char *name)
{
	return each_lag(out, name, lag_one);
}
