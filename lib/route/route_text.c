/* route_text.c: the route text syntax (any thread; no evfwd state used):
 * parse a tokenized line into a struct evf_route, keyword by keyword from a
 * table (which route types take it, what it sets), and format one back. */
#include <errno.h>
#include <stddef.h>
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

/* The name of a known DF type, else its number (buf). */
static const char *
df_alg_name(uint8_t alg, char *buf, size_t len)
{
	if (evf_df_alg_name(alg) != NULL)
		return evf_df_alg_name(alg);
	snprintf(buf, len, "%u", alg);
	return buf;
}

/* ---- keywords ---- */

#define T(t) (1u << (t))
#define ANY (T(EVF_RT_AD) | T(EVF_RT_MAC) | T(EVF_RT_IMET) | T(EVF_RT_ES))

/* What a route has been given, for the checks at the end. */
enum { HAVE_VNI = 1, HAVE_VTEP = 2, HAVE_ESI = 4, HAVE_MAC = 8, HAVE_ALG = 16, HAVE_PREF = 32 };

/* A value parser: 0, or -EINVAL after writing the message into err. */
typedef int (*kw_parse)(struct evf_route *r, const char *v, char *err, size_t errlen);

struct keyword {
	const char *name;
	unsigned int types;     /* route types it belongs to (T(...)) */
	unsigned int have;      /* HAVE_* it sets */
	kw_parse parse;         /* NULL: a flag without a value */
	size_t flag_off;        /* flags: the bool of struct evf_route it sets */
};

static int
kw_vni(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	if (parse_u32(v, 0xffffff, &r->vni) < 0 || r->vni == 0)
		PERR("vni '%s' is not 1..16777215", v);
	return 0;
}

static int
kw_vtep(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	if (evf_ip_parse(v, &r->vtep) < 0)
		PERR("vtep '%s' is not an IPv4/IPv6 address", v);
	return 0;
}

static int
kw_esi(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	if (evf_esi_parse(v, &r->esi) < 0)
		PERR("esi '%s' is not ten colon-separated hex bytes", v);
	return 0;
}

static int
kw_mac(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	if (evf_mac_parse(v, &r->mac) < 0)
		PERR("mac '%s' is not xx:xx:xx:xx:xx:xx", v);
	return 0;
}

static int
kw_ip(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	if (evf_ip_parse(v, &r->ip) < 0)
		PERR("ip '%s' is not an IPv4/IPv6 address", v);
	return 0;
}

static int
kw_seq(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	if (parse_u32(v, UINT32_MAX, &r->seq) < 0)
		PERR("seq '%s' is not 0..4294967295", v);
	return 0;
}

static int
kw_etag(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "max") != 0 && strcmp(v, "4294967295") != 0)
		PERR("etag '%s': only 'max' (per-ES route) is accepted; per-EVI routes give 'vni'", v);
	r->per_es = true;
	return 0;
}

static int
kw_df_alg(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	if (evf_df_alg_parse(v, &r->df_alg) < 0)
		PERR("df-alg '%s' is not modulo, hrw, preference or a DF type 0..255", v);
	return 0;
}

static int
kw_pref(struct evf_route *r, const char *v, char *err, size_t errlen)
{
	uint32_t p;

	if (parse_u32(v, 65535, &p) < 0)
		PERR("pref '%s' is not 0..65535", v);
	r->df_pref = (uint16_t)p;
	return 0;
}

#define FLAG(name, types, field) { name, types, 0, NULL, offsetof(struct evf_route, field) }
#define VALUE(name, types, have, fn) { name, types, have, fn, 0 }

/* The syntax of doc/routes.md, keyword by keyword. */
static const struct keyword keywords[] = {
	FLAG("single-active", T(EVF_RT_AD), single_active),
	FLAG("sticky", T(EVF_RT_MAC), sticky),
	FLAG("router", T(EVF_RT_MAC), nd_router),
	FLAG("dont-preempt", T(EVF_RT_ES), df_dp),
	VALUE("vni", ANY & ~T(EVF_RT_ES), HAVE_VNI, kw_vni),
	VALUE("vtep", ANY, HAVE_VTEP, kw_vtep),
	VALUE("esi", ANY & ~T(EVF_RT_IMET), HAVE_ESI, kw_esi),
	VALUE("mac", T(EVF_RT_MAC), HAVE_MAC, kw_mac),
	VALUE("ip", T(EVF_RT_MAC), 0, kw_ip),
	VALUE("seq", T(EVF_RT_MAC), 0, kw_seq),
	VALUE("etag", T(EVF_RT_AD), 0, kw_etag),
	VALUE("df-alg", T(EVF_RT_ES), HAVE_ALG, kw_df_alg),
	VALUE("pref", T(EVF_RT_ES), HAVE_PREF, kw_pref),
};

static const struct keyword *
keyword(const char *name, uint8_t type)
{
	for (size_t i = 0; i < RTE_DIM(keywords); i++)
		if (strcmp(keywords[i].name, name) == 0 && (keywords[i].types & T(type)))
			return &keywords[i];
	return NULL;
}

/* What each type needs, and its defaults, once every keyword is read. */
static int
finish(struct evf_route *r, unsigned int have, char *err, size_t errlen)
{
	if (!(have & HAVE_VTEP))
		PERR("missing 'vtep'");
	switch (r->type) {
	case EVF_RT_AD:
		if (!(have & HAVE_ESI))
			PERR("rt1 needs 'esi'");
		if (r->per_es && (have & HAVE_VNI))
			PERR("rt1: 'etag max' (per-ES) and 'vni' (per-EVI) exclude each other");
		r->per_es = !(have & HAVE_VNI);
		if (!r->per_es && r->single_active)
			PERR("rt1: 'single-active' belongs to per-ES routes (no 'vni')");
		break;
	case EVF_RT_MAC:
		if ((have & (HAVE_VNI | HAVE_MAC)) != (HAVE_VNI | HAVE_MAC))
			PERR("rt2 needs 'vni' and 'mac'");
		break;
	case EVF_RT_IMET:
		if (!(have & HAVE_VNI))
			PERR("rt3 needs 'vni'");
		break;
	case EVF_RT_ES:
		if (!(have & HAVE_ESI))
			PERR("rt4 needs 'esi'");
		if ((have & HAVE_PREF) && !(have & HAVE_ALG))
			r->df_alg = EVF_DF_PREFERENCE;
		if (!(have & HAVE_PREF) && r->df_alg == EVF_DF_PREFERENCE)
			r->df_pref = 32767;
		break;
	}
	return 0;
}

int
evf_route_parse(int argc, char **argv, struct evf_route *r, char *err, size_t errlen)
{
	static const char *const types[] = { [EVF_RT_AD] = "rt1", [EVF_RT_MAC] = "rt2",
		[EVF_RT_IMET] = "rt3", [EVF_RT_ES] = "rt4" };
	unsigned int have = 0;
	const char *seen[32];
	int nb_seen = 0;

	memset(r, 0, sizeof(*r));
	if (argc < 2)
		PERR("expected 'rtN add|del ...'");
	for (uint8_t t = EVF_RT_AD; t <= EVF_RT_ES; t++)
		if (strcmp(argv[0], types[t]) == 0)
			r->type = t;
	if (r->type == 0)
		PERR("unknown route type '%s' (rt1, rt2, rt3, rt4)", argv[0]);
	if (strcmp(argv[1], "add") == 0)
		r->withdraw = false;
	else if (strcmp(argv[1], "del") == 0)
		r->withdraw = true;
	else
		PERR("expected add or del, not '%s'", argv[1]);

	for (int i = 2; i < argc; i++) {
		const char *k = argv[i];
		const struct keyword *kw;

		/* every keyword at most once */
		for (int j = 0; j < nb_seen; j++)
			if (strcmp(seen[j], k) == 0)
				PERR("'%s' given twice", k);
		if (nb_seen < (int)RTE_DIM(seen))
			seen[nb_seen++] = k;
		kw = keyword(k, r->type);
		if (kw != NULL && kw->parse == NULL) {
			*(bool *)((uint8_t *)r + kw->flag_off) = true;
			continue;
		}
		if (i + 1 >= argc)
			PERR("'%s' needs a value", k);
		i++;
		if (kw == NULL)
			PERR("unexpected '%s' in an %s route", k, argv[0]);
		if (kw->parse(r, argv[i], err, errlen) < 0)
			return -EINVAL;
		have |= kw->have;
	}
	return finish(r, have, err, errlen);
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
		return snprintf(buf, len, "rt2 %s vni %u mac %s vtep %s%s%s%s%s seq %u%s%s", op,
				r->vni, mac, vtep, evf_esi_is_zero(&r->esi) ? "" : " esi ",
				evf_esi_is_zero(&r->esi) ? "" : esi, r->ip.family ? " ip " : "",
				r->ip.family ? evf_ip_fmt(&r->ip, ip, sizeof(ip)) : "", r->seq,
				r->sticky ? " sticky" : "", r->nd_router ? " router" : "");
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
