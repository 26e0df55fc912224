/* route_apply_ctl.c: validating and applying EVPN routes (control thread).
 * Every check happens before the first change, so a rejected route leaves
 * the accepted state exactly as it was. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "evf_bd.h"
#include "evf_bd_dp.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_fdb_ctl.h"
#include "evf_route.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_nd_ctl.h"

struct evf_route_counters evf_route_counters;

static const char *const result_names[EVF_RR_MAX] = {
#define EVF_RR_NAME(e, n) [EVF_RR_ ## e] = n,
	EVF_ROUTE_RESULTS(EVF_RR_NAME)
#undef EVF_RR_NAME
};

const char *
evf_route_result_name(int result)
{
	return result >= 0 && result < EVF_RR_MAX ? result_names[result] : "?";
}

/* A usable unicast tunnel endpoint. */
static bool
ip_is_unicast(const struct evf_ip *ip)
{
	if (ip->family == AF_INET) {
		uint32_t a = ntohl(ip->v4);
		return (a >> 24) != 0 && (a >> 24) != 127 && (a >> 28) < 14; /* not 0/8, loopback, D, E */
	}
	if (ip->family == AF_INET6) {
		static const uint8_t zero[16], loop[16] = { [15] = 1 };
		return ip->v6[0] != 0xff && memcmp(ip->v6, zero, 16) != 0 &&
			memcmp(ip->v6, loop, 16) != 0 &&
			!(ip->v6[0] == 0xfe && (ip->v6[1] & 0xc0) == 0x80); /* link-local */
	}
	return false;
}

static int
check_vtep(const struct evf_ip *vtep)
{
	const struct evf_ip *own = evf_node_vtep(vtep->family);

	if (!ip_is_unicast(vtep))
		return EVF_RR_BAD_VTEP;
	if (own->family == vtep->family && evf_ip_equal(own, vtep))
		return EVF_RR_OWN_ROUTE; /* our own route, reflected back */
	if (own->family != vtep->family)
		return EVF_RR_NO_SOURCE;
	return EVF_RR_OK;
}

static bool
esi_usable(const struct evf_esi *esi)
{
	return !evf_esi_is_zero(esi) && !evf_esi_is_max(esi);
}

static int
bd_of_vni(uint32_t vni)
{
	uint16_t b = evf_bd_lookup_vni(vni);

	return b == EVF_INVALID_ID ? -1 : b;
}

static int
apply_rt1(const struct evf_route *r)
{
	int es, bd = -1, rc;
	bool created = false;

	if (!esi_usable(&r->esi))
		return EVF_RR_BAD_ESI;
	if (!r->per_es && (bd = bd_of_vni(r->vni)) < 0)
		return EVF_RR_UNKNOWN_VNI;
	if (r->withdraw) {
		es = evf_es_find(&r->esi);
		if (es < 0)
			return EVF_RR_NOT_FOUND;
	} else {
		created = evf_es_find(&r->esi) < 0;
		es = evf_es_get(&r->esi);
		if (es < 0)
			return EVF_RR_TABLE_FULL;
	}
	if (r->per_es)
		rc = evf_es_rt1_per_es((uint16_t)es, &r->vtep, r->single_active, !r->withdraw,
				       r->gen);
	else
		rc = evf_es_rt1_per_evi((uint16_t)es, (uint16_t)bd, &r->vtep, !r->withdraw, r->gen);
	if (rc < 0 && created)
		evf_es_discard_new((uint16_t)es);
	if (rc == -ENOENT)
		return EVF_RR_NOT_FOUND;
	if (rc == -ENOSPC)
		return EVF_RR_ES_PE_LIMIT;
	return rc < 0 ? EVF_RR_TABLE_FULL : EVF_RR_OK;
}

static int
apply_rt2(const struct evf_route *r)
{
	const struct evf_fdb_entry *e;
	uint16_t es = EVF_INVALID_ID;
	int bd, rc, slot = -1;
	bool created = false;

	if ((bd = bd_of_vni(r->vni)) < 0)
		return EVF_RR_UNKNOWN_VNI;
	if (!rte_is_valid_assigned_ether_addr(&r->mac))
		return EVF_RR_BAD_MAC;
	if (evf_esi_is_max(&r->esi))
		return EVF_RR_BAD_ESI;
	if (r->ip.family && !ip_is_unicast(&r->ip))
		return EVF_RR_BAD_IP;
	e = evf_fdb_find((uint16_t)bd, &r->mac);
	if (e != NULL && e->origin == EVF_FDB_STATIC)
		return EVF_RR_STATIC_MAC;
	if (!evf_esi_is_zero(&r->esi) && !r->withdraw) {
		int id;

		/* a route that cannot fit must not create its segment */
		if (!evf_fdb_rt2_room((uint16_t)bd, &r->mac, &r->vtep, evf_ip_hash(&r->ip)))
			return EVF_RR_TOO_MANY_ROUTES;
		created = evf_es_find(&r->esi) < 0;
		id = evf_es_get(&r->esi);
		if (id < 0)
			return EVF_RR_TABLE_FULL;
		slot = evf_es_pe_slot((uint16_t)id, &r->vtep, true);
		if (slot < 0) {
			if (created)
				evf_es_discard_new((uint16_t)id);
			return slot == -ENOSPC ? EVF_RR_ES_PE_LIMIT : EVF_RR_TABLE_FULL;
		}
		es = (uint16_t)id;
	}
	/* segment and PE slot resolved once, here; the FDB takes them as they are */
	rc = evf_fdb_rt2((uint16_t)bd, &r->mac, &r->vtep, evf_ip_hash(&r->ip), es,
			 slot >= 0 ? (uint8_t)slot : 0, r->seq, r->sticky, !r->withdraw, r->gen);
	if (rc < 0 && slot >= 0) {
		if (created)
			evf_es_discard_new(es); /* frees its fresh slot at once */
		else
			evf_es_pe_gc(es, (uint8_t)slot);
	}
	/* a MAC+IP route: the binding too (in MAC-VRFs that handle ARP/ND) */
	if (rc == 0 && r->ip.family != 0)
		evf_nd_route((uint16_t)bd, &r->ip, &r->mac, EVF_ND_F_OVERRIDE |
			     (r->nd_router ? EVF_ND_F_ROUTER : 0),
			     !r->withdraw, r->gen);
	switch (rc) {
	case 0: return EVF_RR_OK;
	case -ENOENT: return EVF_RR_NOT_FOUND;
	case -E2BIG: return EVF_RR_TOO_MANY_ROUTES;
	default: return EVF_RR_TABLE_FULL;
	}
}

static int
apply_rt3(const struct evf_route *r)
{
	int bd, vtep;

	if ((bd = bd_of_vni(r->vni)) < 0)
		return EVF_RR_UNKNOWN_VNI;
	if (r->withdraw) {
		vtep = evf_vtep_find(&r->vtep);
		if (vtep < 0 || !evf_bd_flood_has((uint16_t)bd, (uint16_t)vtep, EVF_FLOOD_SRC_IMET))
			return EVF_RR_NOT_FOUND;
		evf_bd_flood_del((uint16_t)bd, (uint16_t)vtep, EVF_FLOOD_SRC_IMET);
		evf_vtep_put((uint16_t)vtep); /* the reference the flood membership held */
		return EVF_RR_OK;
	}
	vtep = evf_vtep_find(&r->vtep);
	if (vtep >= 0 && evf_bd_flood_has((uint16_t)bd, (uint16_t)vtep, EVF_FLOOD_SRC_IMET)) {
		evf_bd_flood_set_gen((uint16_t)bd, (uint16_t)vtep, r->gen);
		return EVF_RR_OK; /* repeated add (BGP upsert) */
	}
	vtep = evf_vtep_get(&r->vtep);
	if (vtep < 0)
		return EVF_RR_TABLE_FULL;
	if (evf_bd_flood_add((uint16_t)bd, (uint16_t)vtep, EVF_FLOOD_SRC_IMET) < 0) {
		evf_vtep_put((uint16_t)vtep);
		return EVF_RR_TABLE_FULL;
	}
	evf_bd_flood_set_gen((uint16_t)bd, (uint16_t)vtep, r->gen);
	return EVF_RR_OK;
}

static int
apply_rt4(const struct evf_route *r)
{
	int es, rc;

	if (!esi_usable(&r->esi))
		return EVF_RR_BAD_ESI;
	/* Any DF type (RFC 8584 2.2: one octet) is accepted: a peer whose type
	 * is unknown to us, or differs from ours, stays a candidate and the
	 * election falls back to the default (modulo) for everyone. */
	es = evf_es_find(&r->esi);
	/* ES routes are imported only by PEs attached to the segment. */
	if (es < 0 || !evf_ess[es].local)
		return EVF_RR_ES_NOT_LOCAL;
	rc = evf_es_rt4((uint16_t)es, &r->vtep, (enum evf_df_alg)r->df_alg, r->df_pref, r->df_dp,
			!r->withdraw, r->gen);
	if (rc == -ENOENT)
		return EVF_RR_NOT_FOUND;
	if (rc == -ENOSPC)
		return EVF_RR_ES_PE_LIMIT;
	return rc < 0 ? EVF_RR_TABLE_FULL : EVF_RR_OK;
}

int
evf_route_apply(const struct evf_route *r)
{
	uint64_t t0 = rte_rdtsc();
	int res;

	if (r->type < EVF_RT_AD || r->type > EVF_RT_ES) {
		res = EVF_RR_BAD_TYPE;
		goto out;
	}
	res = check_vtep(&r->vtep);
	if (res != EVF_RR_OK)
		goto out;
	switch (r->type) {
	case EVF_RT_AD: res = apply_rt1(r); break;
	case EVF_RT_MAC: res = apply_rt2(r); break;
	case EVF_RT_IMET: res = apply_rt3(r); break;
	default: res = apply_rt4(r); break;
	}
	if (res == EVF_RR_OK)
		evf_route_counters.applied[r->type][r->withdraw]++;
out:
	evf_route_counters.result[res]++;
	evf_route_counters.last_apply_cycles = rte_rdtsc() - t0;
	return res;
}

uint32_t
evf_route_sweep(uint8_t gen)
{
	/* MACs first: they hold references on segment PE slots and VTEPs. */
	uint32_t n = evf_fdb_sweep_routes(gen);

	n += evf_es_sweep_routes(gen);
	n += evf_bd_sweep_imet(gen);
	evf_nd_sweep(gen);   /* the bindings of the RT2 routes just swept */
	evf_route_counters.swept += n;
	return n;
}

void
evf_route_regen(uint8_t to)
{
	evf_fdb_regen_routes(to);
	evf_es_regen_routes(to);
	evf_bd_regen_imet(to);
	evf_nd_regen(to);
}

void
evf_route_print_counters(FILE *out)
{
	static const char *const tn[] = { "", "rt1", "rt2", "rt3", "rt4" };

	fprintf(out, "Routes applied:");
	for (int t = 1; t <= 4; t++)
		fprintf(out, " %s +%lu/-%lu", tn[t], (unsigned long)evf_route_counters.applied[t][0],
			(unsigned long)evf_route_counters.applied[t][1]);
	fprintf(out, "\nResults:");
	for (int i = 0; i < EVF_RR_MAX; i++)
		if (evf_route_counters.result[i])
			fprintf(out, " %s %lu", result_names[i],
				(unsigned long)evf_route_counters.result[i]);
	fprintf(out, "\nSwept by resyncs: %lu\nLast apply: %.3f us\n",
		(unsigned long)evf_route_counters.swept,
		(double)evf_route_counters.last_apply_cycles * 1e6 / (double)rte_get_tsc_hz());
}
