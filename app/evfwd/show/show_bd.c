/* show_bd.c: MAC-VRFs, FDB and remote VTEPs (control thread: reads control state). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_fdb_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "show.h"
#include "table.h"

struct mac_count {
	uint16_t bd;
	uint32_t learned, statik, evpn;
};

static void
count_visit(struct evf_fdb_entry *e, void *arg)
{
	struct mac_count *c = arg;

	if (e->origin == EVF_FDB_LEARNED)
		c->learned++;
	else if (e->origin == EVF_FDB_STATIC)
		c->statik++;
	else
		c->evpn++;
}

static void
bd_detail(FILE *out, const struct evf_bd *bd)
{
	struct evf_bd_view view;
	const struct evf_bd_view *ctl = &view;
	struct mac_count c = { .bd = bd->id };
	char ip[EVF_IP_STRLEN];

	evf_bd_view(bd->id, &view);
	evf_fdb_foreach(bd->id, count_visit, &c);
	fprintf(out, "MAC-VRF %s\n", bd->name);
	fprintf(out, "  VNI                : %u\n", bd->vni);
	fprintf(out, "  EVI (DF election)  : %u\n", bd->evi);
	fprintf(out, "  Learning           : %s\n", bd->learning ? "enabled" : "disabled");
	fprintf(out, "  MAC aging          : %s", bd->mac_aging ? "" : "never\n");
	if (bd->mac_aging)
		fprintf(out, "%u s\n", bd->mac_aging);
	if (bd->mac_limit)
		fprintf(out, "  MAC limit          : %u (%u used%s)\n", bd->mac_limit,
			ctl->local_macs, bd->at_limit ? ", reached" : "");
	else
		fprintf(out, "  MAC limit          : none\n");
	fprintf(out, "  Inner VLAN tags    : %s\n", bd->allow_inner_vlan ? "forwarded" : "dropped");
	fprintf(out, "  MACs               : %u learned, %u static, %u evpn\n", c.learned,
		c.statik, c.evpn);
	fprintf(out, "  Attachments        :");
	for (uint16_t i = 0; i < ctl->nb_attach; i++)
		fprintf(out, " %s", evf_attachs[ctl->attach[i]].name);
	fprintf(out, "%s\n", ctl->nb_attach ? "" : " none");
	fprintf(out, "  Flood list (VTEPs) :");
	for (uint16_t i = 0; i < ctl->nb_members; i++)
		fprintf(out, " %s%s", evf_ip_fmt(&evf_vteps[ctl->members[i].vtep].ip, ip, sizeof(ip)),
			ctl->members[i].sources & EVF_FLOOD_SRC_IMET ?
			(ctl->members[i].sources & EVF_FLOOD_SRC_STATIC ? "(static,imet)" : "(imet)") :
			"(static)");
	fprintf(out, "%s\n", ctl->nb_members ? "" : " none");
}

int
evf_show_bd(FILE *out, const char *name)
{
	static const char *const hdr[] = { "MAC-VRF", "VNI", "EVI", "Attachments", "Remote VTEPs",
		"Learned", "Static", "EVPN", "Aging", "Limit", NULL };
	struct evf_table *t;

	if (name != NULL) {
		const struct evf_bd *bd = evf_bd_by_name(name);
		if (bd == NULL)
			return -1;
		bd_detail(out, bd);
		return 0;
	}
	t = evf_table_new(hdr);
	for (uint16_t b = 0; b < evf_nb_bds; b++) {
		const struct evf_bd *bd = &evf_bds[b];
		struct mac_count c = { .bd = b };
		struct evf_bd_view v;
		char aging[16], limit[16];

		evf_bd_view(b, &v);
		evf_fdb_foreach(b, count_visit, &c);
		snprintf(aging, sizeof(aging), bd->mac_aging ? "%u" : "never", bd->mac_aging);
		snprintf(limit, sizeof(limit), bd->mac_limit ? "%u" : "none", bd->mac_limit);
		evf_table_rowf(t, "%s\t%u\t%u\t%u\t%u\t%u\t%u\t%u\t%s\t%s", bd->name, bd->vni, bd->evi,
			v.nb_attach, v.nb_members, c.learned, c.statik,
			c.evpn, aging, limit);
	}
	if (evf_table_rows(t))
		evf_table_print(t, out);
	else
		fprintf(out, "No MAC-VRF configured.\n");
	evf_table_free(t);
	return 0;
}

/* ---- show fdb ---- */

struct fdb_rows {
	uint32_t n, cap;
	struct evf_fdb_entry *e;
};

static void
collect(struct evf_fdb_entry *e, void *arg)
{
	struct fdb_rows *r = arg;

	if (r->n == r->cap) {
		uint32_t cap = r->cap ? r->cap * 2 : 256;
		void *p = realloc(r->e, cap * sizeof(*r->e));
		if (p == NULL)
			return;
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

/* Destination text; also used by later features (ES) through evf_show_dest. */
static void
dest_text(const struct evf_fdb_entry *e, char *buf, size_t len)
{
	char ip[EVF_IP_STRLEN];
	uint16_t target = evf_dest_target(e->dest);

	switch (evf_dest_kind(e->dest)) {
	case EVF_DEST_ATTACH:
		snprintf(buf, len, "%s", evf_attachs[target].name);
		break;
	case EVF_DEST_VTEP:
		snprintf(buf, len, "vxlan %s", evf_ip_fmt(&evf_vteps[target].ip, ip, sizeof(ip)));
		break;
	case EVF_DEST_ES: {
		struct evf_es_dest_view v;
		const struct evf_es *es;
		uint8_t m;
		char esi[EVF_ESI_STRLEN];
		size_t off;
		const char *how;

		evf_es_dest_view(target, evf_dest_aux(e->dest), &v);
		es = &evf_ess[v.es];
		m = v.pes;
		how = m != 0 && v.single_active ? "single-active primary" :
			v.rt2_fallback ? "rt2 fallback" : "aliasing";
		off = (size_t)snprintf(buf, len, "esi:%s", evf_esi_fmt(&es->esi, esi, sizeof(esi)));
		if (v.local_attach != EVF_INVALID_ID) {
			snprintf(buf + off, len - off, " (local %s)", evf_attachs[v.local_attach].name);
			break;
		}
		off += (size_t)snprintf(buf + off, len - off, " (%s:", how);
		for (int i = 0; i < EVF_ES_MAX_PE && off < len; i++)
			if (m & (1u << i))
				off += (size_t)snprintf(buf + off, len - off, " %s",
					evf_ip_fmt(&es->pe_ip[i], ip, sizeof(ip)));
		if (off < len)
			snprintf(buf + off, len - off, "%s)", m ? "" : " none");
		break;
	}
	default:
		snprintf(buf, len, "-");
	}
}

static const char *
origin_name(const struct evf_fdb_entry *e)
{
	switch (e->origin) {
	case EVF_FDB_LEARNED: return "learnt";
	case EVF_FDB_STATIC: return "static";
	default: return "evpn";
	}
}

int
evf_show_fdb(FILE *out, const char *bd_name)
{
	static const char *const hdr[] = { "MAC-VRF", "Address", "Destination", "Type", "Aging",
		"Seq", "Flags", NULL };
	uint16_t bd = EVF_INVALID_ID;
	struct fdb_rows rows = { 0 };
	struct evf_table *t;
	uint32_t now = evf_clock_sec();
	uint32_t learned = 0, statik = 0, evpn = 0;

	if (bd_name != NULL) {
		const struct evf_bd *b = evf_bd_by_name(bd_name);
		if (b == NULL)
			return -1;
		bd = b->id;
	}
	evf_fdb_foreach(bd, collect, &rows);
	if (rows.n > 1)
		qsort(rows.e, rows.n, sizeof(*rows.e), cmp_entry);
	t = evf_table_new(hdr);
	for (uint32_t i = 0; i < rows.n; i++) {
		const struct evf_fdb_entry *e = &rows.e[i];
		const struct evf_bd *b = &evf_bds[e->key.bd];
		char mac[EVF_MAC_STRLEN], dst[256], aging[16], seq[16];

		evf_mac_fmt(&e->key.mac, mac, sizeof(mac));
		dest_text(e, dst, sizeof(dst));
		if (e->origin == EVF_FDB_LEARNED && b->mac_aging && !e->frozen) {
			uint32_t idle = now - evf_fdb_last_seen(e);
			snprintf(aging, sizeof(aging), "%u", idle >= b->mac_aging ? 0 : b->mac_aging - idle);
		} else {
			snprintf(aging, sizeof(aging), "N/A");
		}
		snprintf(seq, sizeof(seq), "%u", e->seq);
		evf_table_rowf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s", b->name, mac, dst, origin_name(e),
			aging, seq, e->frozen ? "frozen" : (e->sticky ? "sticky" : "-"));
		if (e->origin == EVF_FDB_LEARNED)
			learned++;
		else if (e->origin == EVF_FDB_STATIC)
			statik++;
		else
			evpn++;
	}
	if (rows.n)
		evf_table_print(t, out);
	fprintf(out, "Total MACs: %u (learnt %u, static %u, evpn %u)\n", rows.n, learned, statik,
		evpn);
	evf_table_free(t);
	free(rows.e);
	return 0;
}

/* ---- show vteps ---- */

struct vtep_use {
	uint32_t macs[EVF_MAX_VTEPS];
};

static void
vtep_visit(struct evf_fdb_entry *e, void *arg)
{
	struct vtep_use *u = arg;

	if (evf_dest_kind(e->dest) == EVF_DEST_VTEP)
		u->macs[evf_dest_target(e->dest)]++;
}

int
evf_show_vteps(FILE *out)
{
	static const char *const hdr[] = { "VTEP", "Id", "Family", "Usable", "MACs", "Flood in",
		"Refs", NULL };
	struct vtep_use *u = calloc(1, sizeof(*u));
	struct evf_table *t = evf_table_new(hdr);

	if (u == NULL)
		return -1;
	evf_fdb_foreach(EVF_INVALID_ID, vtep_visit, u);
	for (uint16_t id = 0; id < EVF_MAX_VTEPS; id++) {
		const struct evf_vtep *v = &evf_vteps[id];
		char ip[EVF_IP_STRLEN], bds[256] = "";
		size_t off = 0;

		if (!v->in_use)
			continue;
		for (uint16_t b = 0; b < evf_nb_bds; b++) {
			struct evf_bd_view ctl[1];

			evf_bd_view(b, ctl);
			for (uint16_t i = 0; i < ctl->nb_members; i++)
				if (ctl->members[i].vtep == id && off < sizeof(bds) - 1)
					off += snprintf(bds + off, sizeof(bds) - off, "%s%s",
						off ? "," : "", evf_bds[b].name);
		}
		evf_table_rowf(t, "%s\t%u\t%s\t%s\t%u\t%s\t%u", evf_ip_fmt(&v->ip, ip, sizeof(ip)), id,
			v->family == AF_INET ? "ipv4" : "ipv6", v->usable ? "yes" : "no (no source)",
			u->macs[id], off ? bds : "-", v->refcnt);
	}
	if (evf_table_rows(t))
		evf_table_print(t, out);
	else
		fprintf(out, "No remote VTEP.\n");
	evf_table_free(t);
	free(u);
	return 0;
}
