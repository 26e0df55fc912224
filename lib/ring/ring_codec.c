/* ring_codec.c: control ring records <-> routes and event text (no evfwd
 * state: used by evfwd's control thread, evfwd-ctl, tests and fuzzers). */
#include <stdio.h>
#include <errno.h>
#include <string.h>

#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_ring.h"
#include "evf_route.h"

static int
decode_ip(uint8_t af, const uint8_t *b, struct evf_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (af == EVF_REC_AF_IPV4) {
		ip->family = AF_INET;
		memcpy(&ip->v4, b, 4);
		for (int i = 4; i < 16; i++)
			if (b[i])
				return -1;
		return 0;
	}
	if (af == EVF_REC_AF_IPV6) {
		ip->family = AF_INET6;
		memcpy(ip->v6, b, 16);
		return 0;
	}
	return -1;
}

static void
encode_ip(const struct evf_ip *ip, uint8_t *af, uint8_t *b)
{
	memset(b, 0, 16);
	if (ip->family == AF_INET) {
		*af = EVF_REC_AF_IPV4;
		memcpy(b, &ip->v4, 4);
	} else if (ip->family == AF_INET6) {
		*af = EVF_REC_AF_IPV6;
		memcpy(b, ip->v6, 16);
	} else {
		*af = EVF_REC_AF_NONE;
	}
}

static bool
reserved_zero(const struct evf_ring_rec *r)
{
	static const uint8_t zero[sizeof(r->reserved2)];

	return r->reserved0 == 0 && r->reserved1 == 0 && r->ev_seq == 0 && r->attach == 0 &&
		r->evi == 0 && r->reserved3 == 0 && r->epoch == 0 &&
		memcmp(r->reserved2, zero, sizeof(zero)) == 0;
}

/* The reject reason of a control record, EVF_RING_REJ_MAX when valid. */
static int
control_reason(const struct evf_ring_rec *rec)
{
	static const uint8_t zero[EVF_RING_REC_SIZE];

	/* SYNC-BEGIN, SYNC-END, HEARTBEAT: type and the producer's timestamp,
	 * everything else zero (bytes 9..79 and 88..127) */
	if (rec->op != 0 || rec->flags != 0)
		return rec->flags ? EVF_RING_REJ_BAD_FLAGS : EVF_RING_REJ_BAD_OP;
	if (memcmp((const uint8_t *)rec + 11, zero, 80 - 11) != 0 ||
	    memcmp((const uint8_t *)rec + 88, zero, EVF_RING_REC_SIZE - 88) != 0)
		return EVF_RING_REJ_RESERVED;
	return EVF_RING_REJ_MAX;
}

int
evf_ring_check_control(const struct evf_ring_rec *rec, enum evf_ring_reject *why)
{
	int r = control_reason(rec);

	if (r == EVF_RING_REJ_MAX)
		return 0;
	*why = (enum evf_ring_reject)r;
	return -EINVAL;
}

/* The reject reason of a route record, EVF_RING_REJ_MAX when valid (r filled). */
static int
route_reason(const struct evf_ring_rec *rec, struct evf_route *r)
{
	uint8_t allowed;

	memset(r, 0, sizeof(*r));
	if (rec->flags & ~EVF_REC_F_KNOWN)
		return EVF_RING_REJ_BAD_FLAGS;
	switch (rec->type) {
	case EVF_REC_RT1: allowed = EVF_REC_F_PER_ES | EVF_REC_F_SINGLE_ACTIVE; break;
	case EVF_REC_RT2: allowed = EVF_REC_F_STICKY | EVF_REC_F_ND_ROUTER; break;
	case EVF_REC_RT3: allowed = 0; break;
	case EVF_REC_RT4: allowed = EVF_REC_F_DONT_PREEMPT; break;
	default: return EVF_RING_REJ_BAD_TYPE;
	}
	if (rec->op > EVF_REC_WITHDRAW)
		return EVF_RING_REJ_BAD_OP;
	if (rec->flags & ~allowed)
		return EVF_RING_REJ_BAD_FLAGS;
	if (rec->type == EVF_REC_RT1 && (rec->flags & EVF_REC_F_SINGLE_ACTIVE) &&
	    !(rec->flags & EVF_REC_F_PER_ES))
		return EVF_RING_REJ_BAD_FLAGS;
	if (!reserved_zero(rec))
		return EVF_RING_REJ_RESERVED;
	if (decode_ip(rec->vtep_af, rec->vtep, &r->vtep) < 0)
		return EVF_RING_REJ_BAD_AF;
	if (rec->type == EVF_REC_RT2) {
		if (rec->ip_af != EVF_REC_AF_NONE && decode_ip(rec->ip_af, rec->ip, &r->ip) < 0)
			return EVF_RING_REJ_BAD_AF;
		if (rec->ip_af == EVF_REC_AF_NONE) {
			static const uint8_t zero[16];
			if (memcmp(rec->ip, zero, 16) != 0)
				return EVF_RING_REJ_RESERVED;
		}
	} else {
		static const uint8_t zero[16];
		if (rec->ip_af != EVF_REC_AF_NONE)
			return EVF_RING_REJ_BAD_AF;
		if (memcmp(rec->ip, zero, 16) != 0)
			return EVF_RING_REJ_RESERVED;
	}
	/* RT4: any DF type (one octet, RFC 8584 2.2); unknown ones make the
	 * election fall back to modulo. Other types carry none. */
	if (rec->type != EVF_REC_RT4 && (rec->df_alg || rec->df_pref))
		return EVF_RING_REJ_RESERVED;
	if (rec->vni > 0xffffff)
		return EVF_RING_REJ_BAD_VNI;
	/* RT1 per-EVI, RT2 and RT3 name a MAC-VRF; per-ES RT1 and RT4 do not. */
	if ((rec->type == EVF_REC_RT1 && !(rec->flags & EVF_REC_F_PER_ES)) ||
	    rec->type == EVF_REC_RT2 || rec->type == EVF_REC_RT3) {
		if (rec->vni == 0)
			return EVF_RING_REJ_BAD_VNI;
	} else if (rec->vni != 0) {
		return EVF_RING_REJ_BAD_VNI;
	}
	if (rec->type != EVF_REC_RT2 && rec->seq != 0)
		return EVF_RING_REJ_RESERVED;
	/* fields a type does not carry are zero: a MAC only in RT2, an ESI not in RT3 */
	{
		static const uint8_t zero[10];

		if (rec->type != EVF_REC_RT2 && memcmp(rec->mac, zero, sizeof(rec->mac)) != 0)
			return EVF_RING_REJ_RESERVED;
		if (rec->type == EVF_REC_RT3 && memcmp(rec->esi, zero, sizeof(rec->esi)) != 0)
			return EVF_RING_REJ_RESERVED;
	}
	r->type = rec->type;
	r->withdraw = rec->op == EVF_REC_WITHDRAW;
	r->vni = rec->vni;
	r->seq = rec->seq;
	memcpy(r->esi.b, rec->esi, sizeof(r->esi.b));
	memcpy(r->mac.addr_bytes, rec->mac, sizeof(r->mac.addr_bytes));
	r->per_es = rec->flags & EVF_REC_F_PER_ES;
	r->single_active = rec->flags & EVF_REC_F_SINGLE_ACTIVE;
	r->sticky = rec->flags & EVF_REC_F_STICKY;
	r->nd_router = rec->flags & EVF_REC_F_ND_ROUTER;
	r->df_dp = rec->flags & EVF_REC_F_DONT_PREEMPT;
	r->df_alg = rec->df_alg;
	r->df_pref = rec->df_pref;
	return EVF_RING_REJ_MAX;
}

int
evf_ring_decode_route(const struct evf_ring_rec *rec, struct evf_route *r,
		      enum evf_ring_reject *why)
{
	int reason = route_reason(rec, r);

	if (reason == EVF_RING_REJ_MAX)
		return 0;
	*why = (enum evf_ring_reject)reason;
	return -EINVAL;
}

void
evf_ring_encode_route(const struct evf_route *r, struct evf_ring_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->type = r->type;
	rec->op = r->withdraw ? EVF_REC_WITHDRAW : EVF_REC_ADD;
	encode_ip(&r->vtep, &rec->vtep_af, rec->vtep);
	switch (r->type) {
	case EVF_RT_AD:
		if (r->per_es)
			rec->flags |= EVF_REC_F_PER_ES;
		else
			rec->vni = r->vni;
		if (r->per_es && r->single_active)
			rec->flags |= EVF_REC_F_SINGLE_ACTIVE;
		memcpy(rec->esi, r->esi.b, sizeof(rec->esi));
		break;
	case EVF_RT_MAC:
		rec->vni = r->vni;
		rec->seq = r->seq;
		if (r->sticky)
			rec->flags |= EVF_REC_F_STICKY;
		if (r->nd_router)
			rec->flags |= EVF_REC_F_ND_ROUTER;
		memcpy(rec->esi, r->esi.b, sizeof(rec->esi));
		memcpy(rec->mac, r->mac.addr_bytes, sizeof(rec->mac));
		encode_ip(&r->ip, &rec->ip_af, rec->ip);
		break;
	case EVF_RT_IMET:
		rec->vni = r->vni;
		break;
	case EVF_RT_ES:
		memcpy(rec->esi, r->esi.b, sizeof(rec->esi));
		rec->df_alg = r->df_alg;
		rec->df_pref = r->df_pref;
		if (r->df_dp)
			rec->flags |= EVF_REC_F_DONT_PREEMPT;
		break;
	}
}

int
evf_ring_format_event(const struct evf_ring_rec *rec, char *buf, size_t len)
{
	char mac[EVF_MAC_STRLEN], esi_s[EVF_ESI_STRLEN];
	struct rte_ether_addr m;
	struct evf_esi esi;
	const char *dump;
	bool has_esi;

	memcpy(m.addr_bytes, rec->mac, sizeof(m.addr_bytes));
	memcpy(esi.b, rec->esi, sizeof(esi.b));
	evf_mac_fmt(&m, mac, sizeof(mac));
	evf_esi_fmt(&esi, esi_s, sizeof(esi_s));
	has_esi = !evf_esi_is_zero(&esi);
	dump = rec->flags & EVF_REC_F_DUMP ? " (dump)" : "";
	switch (rec->type) {
	case EVF_REC_EV_MAC_LEARNED:
	case EVF_REC_EV_MAC_AGED:
	case EVF_REC_EV_MAC_MOVED:
	case EVF_REC_EV_MAC_FROZEN:
	case EVF_REC_EV_MAC_UNFROZEN: {
		static const char *const n[] = { "mac-learned", "mac-aged", "mac-moved",
			"mac-frozen", "mac-unfrozen" };
		return snprintf(buf, len, "%s vni %u mac %s seq %u%s%s%s%s%s", n[rec->type - 64],
				rec->vni, mac, rec->seq, has_esi ? " esi " : "", has_esi ? esi_s : "",
				rec->flags & EVF_REC_F_STICKY ? " sticky" : "",
				rec->type == EVF_REC_EV_MAC_MOVED && rec->attach == 0xffff ?
				" (now remote)" : "", dump);
	}
	case EVF_REC_EV_MACIP_LEARNED:
	case EVF_REC_EV_MACIP_AGED: {
		struct evf_ip ip;
		char ips[EVF_IP_STRLEN];

		memset(&ip, 0, sizeof(ip));
		if (rec->ip_af == EVF_REC_AF_IPV4) {
			ip.family = AF_INET;
			memcpy(&ip.v4, rec->ip, 4);
		} else if (rec->ip_af == EVF_REC_AF_IPV6) {
			ip.family = AF_INET6;
			memcpy(ip.v6, rec->ip, 16);
		}
		return snprintf(buf, len, "%s vni %u mac %s ip %s%s%s%s%s%s",
				rec->type == EVF_REC_EV_MACIP_LEARNED ? "macip-learned" : "macip-aged",
				rec->vni, mac, evf_ip_fmt(&ip, ips, sizeof(ips)),
				has_esi ? " esi " : "", has_esi ? esi_s : "",
				rec->flags & EVF_REC_F_ND_ROUTER ? " router" : "",
				rec->flags & EVF_REC_F_STICKY ? " sticky" : "", dump);
	}
	case EVF_REC_EV_ES_UP:
		return snprintf(buf, len, "es-up esi %s df-alg %s pref %u%s%s%s", esi_s,
				evf_df_alg_name(rec->df_alg) ? evf_df_alg_name(rec->df_alg) : "?",
				rec->df_pref,
				rec->flags & EVF_REC_F_DONT_PREEMPT ? " dont-preempt" : "",
				rec->flags & EVF_REC_F_SINGLE_ACTIVE ? " single-active" : "", dump);
	case EVF_REC_EV_ES_DOWN:
		return snprintf(buf, len, "es-down esi %s%s%s", esi_s,
				rec->flags & EVF_REC_F_SINGLE_ACTIVE ? " single-active" : "", dump);
	case EVF_REC_EV_DF_CHANGE:
		return snprintf(buf, len, "df-change esi %s vni %u %s", esi_s, rec->vni,
				rec->flags & EVF_REC_F_DF ? "df" : "non-df");
	case EVF_REC_EV_NODE: {
		struct evf_ip v4, v6;
		char s4[EVF_IP_STRLEN] = "none", s6[EVF_IP_STRLEN] = "none";

		if (decode_ip(rec->vtep_af, rec->vtep, &v4) == 0)
			evf_ip_fmt(&v4, s4, sizeof(s4));
		if (decode_ip(rec->ip_af, rec->ip, &v6) == 0)
			evf_ip_fmt(&v6, s6, sizeof(s6));
		return snprintf(buf, len, "node vtep-ipv4 %s vtep-ipv6 %s%s", s4, s6, dump);
	}
	case EVF_REC_EV_BD:
		return snprintf(buf, len, "mac-vrf vni %u evi %u%s", rec->vni, rec->evi, dump);
	case EVF_REC_EV_ES_BD:
		return snprintf(buf, len, "es-mac-vrf esi %s vni %u %s%s", esi_s, rec->vni,
				rec->flags & EVF_REC_F_DF ? "df" : "non-df", dump);
	case EVF_REC_EV_DUMP_BEGIN:
	case EVF_REC_EV_DUMP_END:
		return snprintf(buf, len, "%s epoch %#lx last-event %lu",
				rec->type == EVF_REC_EV_DUMP_BEGIN ? "dump-begin" : "dump-end",
				(unsigned long)rec->epoch, (unsigned long)rec->ev_seq);
	default:
		return snprintf(buf, len, "unknown-event type %u", rec->type);
	}
}
