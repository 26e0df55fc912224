/* route_text.c: the route text syntax (any thread; no evfwd state used):
 * parse a tokenized line into a struct evf_route and format one back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_route.h"

#define PERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -EINVAL; } while (0)

static int
parse_u32(const char *s, uint64_t max, uint32_t *out)
{
	uint64_t v;

	if (evf_u64_parse(s, 0, max, &v) < 0)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int
df_alg_parse(const char *s, uint8_t *alg)
{
	if (strcmp(s, "modulo") == 0)
		*alg = EVF_DF_MODULO;
	else if (strcmp(s, "hrw") == 0)
		*alg = EVF_DF_HRW;
	else if (strcmp(s, "preference") == 0 || strcmp(s, "pref") == 0)
		*alg = EVF_DF_PREFERENCE;
	else {
		/* another DF type by number (RFC 8584 2.2: one octet) */
		uint32_t v;

		if (parse_u32(s, 255, &v) < 0)
			return -EINVAL;
		*alg = (uint8_t)v;
	}
	return 0;
}

/* The name of a known DF type, else its number (buf). */
static const char *
df_alg_name(uint8_t alg, char *buf, size_t len)
{
	if (alg == EVF_DF_MODULO)
		return "modulo";
	if (alg == EVF_DF_HRW)
		return "hrw";
	if (alg == EVF_DF_PREFERENCE)
		return "preference";
	snprintf(buf, len, "%u", alg);
	return buf;
}

int
evf_route_parse(int argc, char **argv, struct evf_route *r, char *err, size_t errlen)
{
	bool have_vni = false, have_vtep = false, have_esi = false, have_mac = false;
	bool have_alg = false, have_pref = false;
	const char *seen[32];
	int nb_seen = 0;

	memset(r, 0, sizeof(*r));
	if (argc < 2)
		PERR("expected 'rtN add|del ...'");
	if (strcmp(argv[0], "rt1") == 0)
		r->type = EVF_RT_AD;
	else if (strcmp(argv[0], "rt2") == 0)
		r->type = EVF_RT_MAC;
	else if (strcmp(argv[0], "rt3") == 0)
		r->type = EVF_RT_IMET;
	else if (strcmp(argv[0], "rt4") == 0)
		r->type = EVF_RT_ES;
	else
		PERR("unknown route type '%s' (rt1, rt2, rt3, rt4)", argv[0]);
	if (strcmp(argv[1], "add") == 0)
		r->withdraw = false;
	else if (strcmp(argv[1], "del") == 0)
		r->withdraw = true;
	else
		PERR("expected add or del, not '%s'", argv[1]);

	for (int i = 2; i < argc; i++) {
		const char *k = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		/* every keyword at most once */
		for (int j = 0; j < nb_seen; j++)
			if (strcmp(seen[j], k) == 0)
				PERR("'%s' given twice", k);
		if (nb_seen < (int)RTE_DIM(seen))
			seen[nb_seen++] = k;
		/* flags without a value */
		if (strcmp(k, "single-active") == 0 && r->type == EVF_RT_AD) {
			r->single_active = true;
			continue;
		}
		if (strcmp(k, "sticky") == 0 && r->type == EVF_RT_MAC) {
			r->sticky = true;
			continue;
		}
		if (strcmp(k, "dont-preempt") == 0 && r->type == EVF_RT_ES) {
			r->df_dp = true;
			continue;
		}
		if (v == NULL)
			PERR("'%s' needs a value", k);
		i++;
		if (strcmp(k, "vni") == 0 && r->type != EVF_RT_ES) {
			if (parse_u32(v, 0xffffff, &r->vni) < 0 || r->vni == 0)
				PERR("vni '%s' is not 1..16777215", v);
			have_vni = true;
		} else if (strcmp(k, "vtep") == 0) {
			if (evf_ip_parse(v, &r->vtep) < 0)
				PERR("vtep '%s' is not an IPv4/IPv6 address", v);
			have_vtep = true;
		} else if (strcmp(k, "esi") == 0 && r->type != EVF_RT_IMET) {
			if (evf_esi_parse(v, &r->esi) < 0)
				PERR("esi '%s' is not ten colon-separated hex bytes", v);
			have_esi = true;
		} else if (strcmp(k, "mac") == 0 && r->type == EVF_RT_MAC) {
			if (evf_mac_parse(v, &r->mac) < 0)
				PERR("mac '%s' is not xx:xx:xx:xx:xx:xx", v);
			have_mac = true;
		} else if (strcmp(k, "ip") == 0 && r->type == EVF_RT_MAC) {
			if (evf_ip_parse(v, &r->ip) < 0)
				PERR("ip '%s' is not an IPv4/IPv6 address", v);
		} else if (strcmp(k, "seq") == 0 && r->type == EVF_RT_MAC) {
			if (parse_u32(v, UINT32_MAX, &r->seq) < 0)
				PERR("seq '%s' is not 0..4294967295", v);
		} else if (strcmp(k, "etag") == 0 && r->type == EVF_RT_AD) {
			if (strcmp(v, "max") != 0 && strcmp(v, "4294967295") != 0)
				PERR("etag '%s': only 'max' (per-ES route) is accepted; per-EVI routes"
				     " give 'vni'", v);
			r->per_es = true;
		} else if (strcmp(k, "df-alg") == 0 && r->type == EVF_RT_ES) {
			if (df_alg_parse(v, &r->df_alg) < 0)
				PERR("df-alg '%s' is not modulo, hrw, preference or a DF type 0..255", v);
			have_alg = true;
		} else if (strcmp(k, "pref") == 0 && r->type == EVF_RT_ES) {
			uint32_t p;
			if (parse_u32(v, 65535, &p) < 0)
				PERR("pref '%s' is not 0..65535", v);
			r->df_pref = (uint16_t)p;
			have_pref = true;
		} else {
			PERR("unexpected '%s' in an %s route", k, argv[0]);
		}
	}
	if (!have_vtep)
		PERR("missing 'vtep'");
	switch (r->type) {
	case EVF_RT_AD:
		if (!have_esi)
			PERR("rt1 needs 'esi'");
		if (r->per_es && have_vni)
			PERR("rt1: 'etag max' (per-ES) and 'vni' (per-EVI) exclude each other");
		r->per_es = !have_vni;
		if (!r->per_es && r->single_active)
			PERR("rt1: 'single-active' belongs to per-ES routes (no 'vni')");
		break;
	case EVF_RT_MAC:
		if (!have_vni || !have_mac)
			PERR("rt2 needs 'vni' and 'mac'");
		break;
	case EVF_RT_IMET:
		if (!have_vni)
			PERR("rt3 needs 'vni'");
		break;
	case EVF_RT_ES:
		if (!have_esi)
			PERR("rt4 needs 'esi'");
		if (have_pref && !have_alg)
			r->df_alg = EVF_DF_PREFERENCE;
		if (!have_pref && r->df_alg == EVF_DF_PREFERENCE)
			r->df_pref = 32767;
		break;
	}
	return 0;
}

int
evf_route_parse_line(const char *line, struct evf_route *r, char *err, size_t errlen)
{
	char buf[512], *tok[32], *save = NULL, *t;
	int n = 0;

	if (strlen(line) >= sizeof(buf)) {
		snprintf(err, errlen, "line longer than %zu characters", sizeof(buf) - 1);
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", line);
	buf[strcspn(buf, "#\r\n")] = '\0';
	for (t = strtok_r(buf, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
		if (n == (int)RTE_DIM(tok)) {
			snprintf(err, errlen, "more than %zu words", RTE_DIM(tok));
			return -EINVAL;
		}
		tok[n++] = t;
	}
	if (n == 0)
		return 1;
	return evf_route_parse(n, tok, r, err, errlen);
}

int
evf_route_format(const struct evf_route *r, char *buf, size_t len)
{
	char vtep[EVF_IP_STRLEN], esi[EVF_ESI_STRLEN], mac[EVF_MAC_STRLEN], ip[EVF_IP_STRLEN];
	const char *op = r->withdraw ? "del" : "add";

	evf_ip_fmt(&r->vtep, vtep, sizeof(vtep));
	evf_esi_fmt(&r->esi, esi, sizeof(esi));
	switch (r->type) {
	case EVF_RT_AD:
		if (r->per_es)
			return snprintf(buf, len, "rt1 %s esi %s vtep %s%s", op, esi, vtep,
					r->single_active ? " single-active" : "");
		return snprintf(buf, len, "rt1 %s esi %s vni %u vtep %s", op, esi, r->vni, vtep);
	case EVF_RT_MAC:
		evf_mac_fmt(&r->mac, mac, sizeof(mac));
		return snprintf(buf, len, "rt2 %s vni %u mac %s vtep %s%s%s%s%s seq %u%s", op, r->vni,
				mac, vtep, evf_esi_is_zero(&r->esi) ? "" : " esi ",
				evf_esi_is_zero(&r->esi) ? "" : esi, r->ip.family ? " ip " : "",
				r->ip.family ? evf_ip_fmt(&r->ip, ip, sizeof(ip)) : "", r->seq,
				r->sticky ? " sticky" : "");
	case EVF_RT_IMET:
		return snprintf(buf, len, "rt3 %s vni %u vtep %s", op, r->vni, vtep);
	case EVF_RT_ES: {
		char alg[4];

		return snprintf(buf, len, "rt4 %s esi %s vtep %s df-alg %s pref %u%s", op, esi, vtep,
				df_alg_name(r->df_alg, alg, sizeof(alg)), r->df_pref,
				r->df_dp ? " dont-preempt" : "");
	}
	default:
		return snprintf(buf, len, "?");
	}
}
