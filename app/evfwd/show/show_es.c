/* show_es.c: Ethernet Segments and DF state (control thread: reads control
 * state), in the spirit of SR Linux's ethernet-segments detail view. */
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
#include "show.h"
#include "table.h"

static const char *
alg_name(enum evf_df_alg a)
{
	static char num[8]; /* another DF type: its number (control thread only) */
	const char *n = evf_df_alg_name(a);

	if (n != NULL)
		return n;
	snprintf(num, sizeof(num), "%u", (unsigned int)a);
	return num;
}

static const char *
own_ip_text(char *buf, size_t len)
{
	return evf_ip_fmt(evf_node_vtep(0), buf, len);
}

/* PE addresses of a mask, comma separated. */
static void
pe_list(const struct evf_es *es, uint8_t m, char *buf, size_t len)
{
	size_t off = 0;
	char ip[EVF_IP_STRLEN];

	buf[0] = '\0';
	for (int i = 0; i < EVF_ES_MAX_PE && off < len; i++)
		if (m & (1u << i))
			off += snprintf(buf + off, len - off, "%s%s", off ? "," : "",
				evf_ip_fmt(&es->pe_ip[i], ip, sizeof(ip)));
	if (off == 0)
		snprintf(buf, len, "-");
}

static bool
es_match(const struct evf_es *es, const char *name)
{
	struct evf_esi esi;

	if (strcmp(es->name, name) == 0)
		return true;
	return evf_esi_parse(name, &esi) == 0 && memcmp(&esi, &es->esi, sizeof(esi)) == 0;
}

static void
es_detail(FILE *out, uint16_t id)
{
	const struct evf_es *es = &evf_ess[id];
	const struct evf_es_local_cfg *cfg = evf_es_local_cfg(id);
	char esi[EVF_ESI_STRLEN], pes[256], ip[EVF_IP_STRLEN];
	struct evf_es_df_view v;

	fprintf(out, "Ethernet Segment\n");
	fprintf(out, "  Name                 : %s\n", es->name);
	fprintf(out, "  ESI                  : %s\n", evf_esi_fmt(&es->esi, esi, sizeof(esi)));
	if (cfg == NULL) {
		pe_list(es, es->per_es_mask, pes, sizeof(pes));
		fprintf(out, "  Type                 : remote (learned from routes)\n");
		fprintf(out, "  Oper Multi-homing    : %s\n",
			es->single_active ? "single-active" : "all-active");
		fprintf(out, "  PEs with RT1 per-ES  : %s\n", pes);
	} else {
		evf_es_df_view(id, &v);
		fprintf(out, "  Oper State           : %s\n", es->local_up ? "up" : "down");
		fprintf(out, "  Multi-homing         : %-18s Oper Multi-homing : %s\n",
			cfg->mode == EVF_ES_SINGLE_ACTIVE ? "single-active" : "all-active",
			es->single_active ? "single-active" : "all-active");
		fprintf(out, "  Interface            : %s\n", evf_ifaces[cfg->iface].name);
		fprintf(out, "  DF Election          : %-18s Oper DF Election  : %s\n",
			alg_name(cfg->df_alg), alg_name(v.oper_alg));
		if (cfg->df_alg == EVF_DF_PREFERENCE)
			fprintf(out, "  Preference           : %u (advertised %u%s)%s\n", cfg->df_pref,
				v.oper_pref, v.oper_dp ? ", DP" : "",
				cfg->df_dont_preempt ? "  dont-preempt" : "");
		fprintf(out, "  DF Timer             : %u s%s\n", cfg->df_timer_ms / 1000,
			v.timer_running ? " (running)" : "");
		fprintf(out, "  ES Activation Timer  : %u s%s\n", cfg->activation_ms / 1000,
			v.activating ? " (running)" : "");
		fprintf(out, "  ----------------------------------------------------------\n");
		fprintf(out, "  %-14s %-9s %-9s %s\n", "MAC-VRF", "VNI", "EVI", "DF");
		for (uint16_t x = 0; x < EVF_MAX_ESEVI; x++) {
			const struct evf_esevi *b = &evf_esevis[x];
			if (!b->in_use || b->es != id)
				continue;
			fprintf(out, "  %-14s %-9u %-9u %s\n", evf_bds[b->bd].name, evf_bds[b->bd].vni,
				evf_bds[b->bd].evi, evf_es_is_df(es, b) ? "Yes" : "No");
		}
		fprintf(out, "  ----------------------------------------------------------\n");
		fprintf(out, "  DF Candidates\n  %-14s %s\n", "MAC-VRF", "ES Peers");
		for (uint16_t x = 0; x < EVF_MAX_ESEVI; x++) {
			const struct evf_esevi *b = &evf_esevis[x];
			struct evf_ip df;

			if (!b->in_use || b->es != id)
				continue;
			df = evf_es_df_of(x);
			for (unsigned int i = 0; i < v.nb_candidates; i++)
				fprintf(out, "  %-14s %s%s%s\n", evf_bds[b->bd].name,
					evf_ip_fmt(&v.cand[i].ip, ip, sizeof(ip)),
					v.self_candidate && i == 0 ? " (this node)" : "",
					evf_ip_equal(&df, &v.cand[i].ip) ? " (DF)" : "");
		}
		pe_list(es, es->per_es_mask, pes, sizeof(pes));
		fprintf(out, "  Peers with RT1 per-ES (aliasing): %s\n", pes);
		pe_list(es, es->peer_mask, pes, sizeof(pes));
		fprintf(out, "  Peers for local bias            : %s\n", pes);
	}
}

int
evf_show_es(FILE *out, const char *name)
{
	static const char *const hdr[] = { "Name", "ESI", "Type", "Mode", "Interface", "Oper",
		"PEs (RT1 per-ES)", "DF for", NULL };
	struct evf_table *t;

	if (name != NULL) {
		for (uint16_t id = 0; id < evf_es_count(); id++) {
			if (es_match(&evf_ess[id], name)) {
				es_detail(out, id);
				return 0;
			}
		}
		return -1;
	}
	t = evf_table_new(hdr);
	for (uint16_t id = 0; id < evf_es_count(); id++) {
		const struct evf_es *es = &evf_ess[id];
		const struct evf_es_local_cfg *cfg = evf_es_local_cfg(id);
		char esi[EVF_ESI_STRLEN], pes[256], df[32];
		unsigned int nb = 0, ndf = 0;

		for (uint16_t x = 0; x < EVF_MAX_ESEVI; x++)
			if (evf_esevis[x].in_use && evf_esevis[x].es == id) {
				nb++;
				ndf += evf_es_is_df(es, &evf_esevis[x]);
			}
		pe_list(es, es->per_es_mask, pes, sizeof(pes));
		snprintf(df, sizeof(df), cfg ? "%u of %u mac-vrfs" : "-", ndf, nb);
		evf_table_rowf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", es->name,
			evf_esi_fmt(&es->esi, esi, sizeof(esi)), cfg ? "local" : "remote",
			es->single_active ? "single-active" : "all-active",
			cfg ? evf_ifaces[cfg->iface].name : "-",
			cfg ? (es->local_up ? "up" : "down") : "-", pes, df);
	}
	if (evf_table_rows(t))
		evf_table_print(t, out);
	else
		fprintf(out, "No ethernet segment.\n");
	evf_table_free(t);
	return 0;
}

int
evf_show_df(FILE *out)
{
	static const char *const hdr[] = { "Segment", "MAC-VRF", "EVI", "Algorithm", "DF",
		"This node", NULL };
	struct evf_table *t = evf_table_new(hdr);
	char own[EVF_IP_STRLEN];

	own_ip_text(own, sizeof(own));
	for (uint16_t x = 0; x < EVF_MAX_ESEVI; x++) {
		const struct evf_esevi *b = &evf_esevis[x];
		const struct evf_es *es;
		struct evf_es_df_view v;
		struct evf_ip df;
		char ip[EVF_IP_STRLEN];

		if (!b->in_use || !evf_ess[b->es].local)
			continue;
		es = &evf_ess[b->es];
		evf_es_df_view(b->es, &v);
		df = evf_es_df_of(x);
		evf_table_rowf(t, "%s\t%s\t%u\t%s\t%s\t%s", es->name, evf_bds[b->bd].name,
			evf_bds[b->bd].evi, alg_name(v.oper_alg),
			df.family ? evf_ip_fmt(&df, ip, sizeof(ip)) : "none",
			evf_es_is_df(es, b) ? "DF" : (v.timer_running ? "non-DF (timer running)" :
						       "non-DF"));
	}
	if (evf_table_rows(t))
		evf_table_print(t, out);
	else
		fprintf(out, "No local ethernet segment.\n");
	fprintf(out, "This node: %s\n", own);
	evf_table_free(t);
	return 0;
}
