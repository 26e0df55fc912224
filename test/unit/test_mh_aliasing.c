/* test_mh_aliasing.c: CUnit tests of remote Ethernet segments: aliasing (per-flow
 * spread over the PEs of a remote segment, per-EVI set), mass withdrawal
 * over 100000 MACs (one byte in the segment, no FDB entry rewritten; fallback
 * to the RT2 PEs, then flooding), remote single-active (primary, backup). See mh_fixture.h for the runtime. */
#include "mh_fixture.h"

/* ==== 1. aliasing ==== */

#define M_AL "02:00:00:00:a1:01"

static void
test_aliasing(void)
{
	static struct flow_out out[1000], again[1000];
	struct rte_ether_addr m = evft_mac(M_AL);
	const struct evf_fdb_entry *e;
	unsigned int n1, n2, same = 0;
	uint16_t es;
	int s1, s2;

	fresh();
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_AL, PE1);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_AL, PE2);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE2);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, M_AL, PE1, ESI_AL);
	es = es_id(ESI_AL);
	s1 = slot_of(es, PE1);
	s2 = slot_of(es, PE2);
	CU_ASSERT_FATAL(s1 >= 0 && s2 >= 0 && s1 != s2);
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, (1u << s1) | (1u << s2));
	e = evf_fdb_find(alias_bd, &m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ES);
	CU_ASSERT_EQUAL(evf_dest_aux(e->dest), 1u << s1);   /* the RT2 came from PE1 */
	CU_ASSERT_EQUAL(evf_esevis[evf_dest_target(e->dest)].es, es);
	CU_ASSERT_EQUAL(evf_esevis[evf_dest_target(e->dest)].per_evi_mask,
			(1u << s1) | (1u << s2));

	/* 1000 flows to the MAC: both PEs, each 40-60 %. */
	send_flows(30, &m, 1, 1000, out);
	n1 = flows_to(out, 1000, PE1);
	n2 = flows_to(out, 1000, PE2);
	printf("\n    aliasing: 1000 flows -> %s %u, %s %u ", PE1, n1, PE2, n2);
	CU_ASSERT_EQUAL(n1 + n2, 1000);
	CU_ASSERT(n1 >= 400 && n1 <= 600);
	CU_ASSERT(n2 >= 400 && n2 <= 600);
	CU_ASSERT_EQUAL(evft_all_drops(), 0);
	/* A flow always takes the same PE. */
	send_flows(30, &m, 1, 1000, again);
	for (unsigned int i = 0; i < 1000; i++)
		same += again[i].copies == 1 && again[i].dip == out[i].dip;
	CU_ASSERT_EQUAL(same, 1000);

	/* One packet checked byte by byte (the PE it went to). */
	{
		uint8_t f[256], inner[256];
		struct evft_expect x;
		uint32_t len = frame(f, M_AL, H, 30, 7), ilen;

		evft_inject(pid[P_ACC1], f, len);
		take_all();
		CU_ASSERT_EQUAL_FATAL(caps[P_NET].n, 1);
		memcpy(inner, f, 12);
		memcpy(inner + 12, f + 16, len - 16);
		ilen = len - 4;
		memset(&x, 0, sizeof(x));
		x.dst = evft_mac(NH_MAC);
		x.src = evft_mac(NODE_MAC);
		x.vlan = -1;
		x.sip = evft_ip(NODE_V4);
		x.dip = evft_ip(rd32(caps[P_NET].b[0] + 30) == ip_host(PE1) ? PE1 : PE2);
		x.ttl = 64;
		x.dport = 4789;
		x.sport = -1;
		x.vni = ALIAS_VNI;
		x.inner = inner;
		x.inner_len = ilen;
		EVFT_OK(evft_check_vxlan(caps[P_NET].b[0], caps[P_NET].len[0], &x));
	}

	/* Only PE1 serves the MAC-VRF (per-EVI): every flow to PE1. */
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE2);
	send_flows(30, &m, 1, 1000, out);
	CU_ASSERT_EQUAL(flows_to(out, 1000, PE1), 1000);
	/* Only PE2 does: every flow to PE2, although the RT2 came from PE1. */
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE2);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE1);
	send_flows(30, &m, 1, 1000, out);
	CU_ASSERT_EQUAL(flows_to(out, 1000, PE2), 1000);
	CU_ASSERT_EQUAL(evft_all_drops(), 0);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s esi %s", ALIAS_VNI, M_AL, PE1, ESI_AL);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_AL, ALIAS_VNI, PE2);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_AL, PE1);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_AL, PE2);
	CU_ASSERT_PTR_NULL(evf_fdb_find(alias_bd, &m));
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, 0);
	CU_ASSERT_EQUAL(evf_ess[es].peer_mask, 0);
	evf_rcu_drain();
	CU_ASSERT(slot_of(es, PE1) < 0 && slot_of(es, PE2) < 0);
	finish();
}

/* ==== 2. mass withdrawal ==== */

static struct rte_ether_addr
mass_mac(uint32_t i)
{
	struct rte_ether_addr a = {{ 0x02, 0x4d, 0x00, (uint8_t)(i >> 16), (uint8_t)(i >> 8),
				      (uint8_t)i }};
	return a;
}

/* MAC i is advertised by PE1 (even i) or PE2 (odd i); MACs below 100 by both. */
#define MASS_BOTH 100u

static void
mass_route(struct evf_route *r, uint32_t i, const char *vtep, bool withdraw)
{
	memset(r, 0, sizeof(*r));
	r->type = EVF_RT_MAC;
	r->withdraw = withdraw;
	r->vni = ALIAS_VNI;
	r->mac = mass_mac(i);
	r->vtep = evft_ip(vtep);
	r->esi = esi(ESI_MASS);
}

/* Every mass MAC's RT2 from one PE (alternating), the first MASS_BOTH from
 * the other PE too; returns how many were refused. */
static uint32_t
mass_routes(bool withdraw)
{
	struct evf_route r;
	uint32_t bad = 0;

	for (uint32_t i = 0; i < MASS_MACS; i++) {
		mass_route(&r, i, i & 1 ? PE2 : PE1, withdraw);
		bad += evf_route_apply(&r) != EVF_RR_OK;
		if (i < MASS_BOTH) {
			mass_route(&r, i, i & 1 ? PE1 : PE2, withdraw);
			bad += evf_route_apply(&r) != EVF_RR_OK;
		}
	}
	return bad;
}

static double
us(uint64_t cycles)
{
	return (double)cycles * 1e6 / (double)hz;
}

static void
test_mass_withdrawal(void)
{
	static uint64_t dest0[MASS_MACS];
	static struct evf_fdb_entry *ent[MASS_MACS];
	static struct rte_ether_addr sample[64];
	static uint32_t sample_i[64];
	static struct flow_out out[64];
	struct evf_route r;
	uint32_t fdb0, bad = 0, changed = 0;
	uint64_t t, t_install, t_wd1, t_wd1_route, t_wd2, t_rt2del;
	uint16_t es;
	uint8_t b1, b2;
	int s1, s2;

	fresh();
	fdb0 = evf_fdb_count();
	ROUTE_OK("rt3 add vni %u vtep %s", ALIAS_VNI, FLOODV);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_MASS, PE1);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_MASS, PE2);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_MASS, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_MASS, ALIAS_VNI, PE2);
	es = es_id(ESI_MASS);
	s1 = slot_of(es, PE1);
	s2 = slot_of(es, PE2);
	CU_ASSERT_FATAL(s1 >= 0 && s2 >= 0);
	b1 = (uint8_t)(1u << s1);
	b2 = (uint8_t)(1u << s2);

	t = rte_rdtsc();
	bad += mass_routes(false);
	t_install = rte_rdtsc() - t;
	CU_ASSERT_EQUAL_FATAL(bad, 0);
	CU_ASSERT_EQUAL_FATAL(evf_fdb_count(), fdb0 + MASS_MACS);
	for (uint32_t i = 0; i < MASS_MACS; i++) {
		struct rte_ether_addr mac = mass_mac(i);
		uint8_t want = i < MASS_BOTH ? (uint8_t)(b1 | b2) : i & 1 ? b2 : b1;

		ent[i] = evf_fdb_find(alias_bd, &mac);
		if (ent[i] == NULL) {
			bad++;
			continue;
		}
		dest0[i] = ent[i]->dest;
		bad += evf_dest_kind(dest0[i]) != EVF_DEST_ES || evf_dest_aux(dest0[i]) != want;
	}
	CU_ASSERT_EQUAL_FATAL(bad, 0);
	for (unsigned int k = 0; k < 64; k++) {
		sample_i[k] = k < 8 ? k * 11 : (k * 1543u + 7u) % MASS_MACS;
		sample[k] = mass_mac(sample_i[k]);
	}

	/* Aliasing: every sampled MAC to PE1 or PE2. */
	send_flows(30, sample, 64, 64, out);
	CU_ASSERT_EQUAL(flows_to(out, 64, PE1) + flows_to(out, 64, PE2), 64);

	/* PE1 withdraws its RT1 per-ES: one byte changes. */
	mass_route(&r, 0, PE1, true);
	r.type = EVF_RT_AD;
	r.per_es = true;
	memset(&r.mac, 0, sizeof(r.mac));
	r.vni = 0;
	t = rte_rdtsc();
	CU_ASSERT_EQUAL(evf_route_apply(&r), EVF_RR_OK);
	t_wd1 = rte_rdtsc() - t;
	t_wd1_route = evf_route_counters.last_apply_cycles;
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, b2);
	for (uint32_t i = 0; i < MASS_MACS; i++)
		changed += ent[i]->dest != dest0[i] || ent[i]->in_use != 1;
	CU_ASSERT_EQUAL(changed, 0);
	/* ... and the workers' view (the hash data) is the same too. */
	for (uint32_t i = 0; i < MASS_MACS; i += 64) {
		struct evf_fdb_key keys[64];
		const struct evf_fdb_key *kp[64];
		uint64_t hits = 0, d[64];
		uint32_t n = RTE_MIN(64u, MASS_MACS - i);

		for (uint32_t j = 0; j < n; j++) {
			memset(&keys[j], 0, sizeof(keys[j]));
			keys[j].mac = mass_mac(i + j);
			keys[j].bd = alias_bd;
			kp[j] = &keys[j];
		}
		evf_fdb_lookup_bulk(kp, n, &hits, d);
		for (uint32_t j = 0; j < n; j++)
			changed += !((hits >> j) & 1) || d[j] != dest0[i + j];
	}
	CU_ASSERT_EQUAL(changed, 0);
	send_flows(30, sample, 64, 64, out);
	CU_ASSERT_EQUAL(flows_to(out, 64, PE2), 64);

	/* PE2's per-ES too: the VTEPs of each MAC's own RT2 routes (aux). */
	mass_route(&r, 0, PE2, true);
	r.type = EVF_RT_AD;
	r.per_es = true;
	memset(&r.mac, 0, sizeof(r.mac));
	r.vni = 0;
	t = rte_rdtsc();
	CU_ASSERT_EQUAL(evf_route_apply(&r), EVF_RR_OK);
	t_wd2 = rte_rdtsc() - t;
	CU_ASSERT_EQUAL(evf_ess[es].per_es_mask, 0);
	for (uint32_t i = 0; i < MASS_MACS; i++)
		changed += ent[i]->dest != dest0[i];
	CU_ASSERT_EQUAL(changed, 0);
	send_flows(30, sample, 64, 64, out);
	{
		unsigned int ok = 0;

		for (unsigned int k = 0; k < 64; k++) {
			uint32_t i = sample_i[k];

			if (out[k].copies != 1)
				continue;
			if (i < MASS_BOTH)
				ok += out[k].dip == ip_host(PE1) || out[k].dip == ip_host(PE2);
			else
				ok += out[k].dip == ip_host(i & 1 ? PE2 : PE1);
		}
		CU_ASSERT_EQUAL(ok, 64);
	}
	CU_ASSERT_EQUAL(evft_all_drops(), 0);

	/* The RT2 routes go: unknown unicast, flooded to the flood list. */
	bad = 0;
	t = rte_rdtsc();
	bad += mass_routes(true);
	t_rt2del = rte_rdtsc() - t;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(evf_fdb_count(), fdb0);
	send_flows(30, sample, 64, 64, out);
	CU_ASSERT_EQUAL(flows_to(out, 64, FLOODV), 64);
	CU_ASSERT_EQUAL(flows_copies(out, 64, 1), 64);

	printf("\n    %u MACs (%u RT2 routes): install %.0f us; RT1 per-ES withdraw PE1 %.2f us"
	       " (route layer: %.2f us), PE2 %.2f us; RT2 withdraw all %.0f us ",
	       MASS_MACS, MASS_MACS + MASS_BOTH, us(t_install), us(t_wd1),
	       us(t_wd1_route), us(t_wd2), us(t_rt2del));

	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_MASS, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_MASS, ALIAS_VNI, PE2);
	ROUTE_OK("rt3 del vni %u vtep %s", ALIAS_VNI, FLOODV);
	evf_rcu_drain();
	CU_ASSERT(slot_of(es, PE1) < 0 && slot_of(es, PE2) < 0);
	finish();
}

/* ==== 3. remote single-active ==== */

#define M_SA "02:00:00:00:5a:a1"

static void
test_remote_single_active(void)
{
	static struct flow_out out[200];
	struct rte_ether_addr m = evft_mac(M_SA);
	uint16_t es;

	fresh();
	ROUTE_OK("rt1 add esi %s vtep %s single-active", ESI_SAR, PE1);
	ROUTE_OK("rt1 add esi %s vtep %s single-active", ESI_SAR, PE2);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_SAR, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_SAR, ALIAS_VNI, PE2);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, M_SA, PE1, ESI_SAR);
	es = es_id(ESI_SAR);
	CU_ASSERT_EQUAL(evf_ess[es].single_active, 1);

	/* The primary (the PE that advertised the MAC) takes every flow. */
	send_flows(30, &m, 1, 200, out);
	CU_ASSERT_EQUAL(flows_to(out, 200, PE1), 200);
	/* It withdraws its RT1 per-ES: the backup takes every flow. */
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_SAR, PE1);
	send_flows(30, &m, 1, 200, out);
	CU_ASSERT_EQUAL(flows_to(out, 200, PE2), 200);
	/* It comes back: the primary again. */
	ROUTE_OK("rt1 add esi %s vtep %s single-active", ESI_SAR, PE1);
	send_flows(30, &m, 1, 200, out);
	CU_ASSERT_EQUAL(flows_to(out, 200, PE1), 200);
	CU_ASSERT_EQUAL(evft_all_drops(), 0);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s", ALIAS_VNI, M_SA, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_SAR, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_SAR, ALIAS_VNI, PE2);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_SAR, PE1);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_SAR, PE2);
	CU_ASSERT_EQUAL(evf_ess[es].single_active, 0);
	finish();
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "aliasing: per-flow PE, per-EVI set", test_aliasing },
		{ "mass withdrawal over 100000 MACs", test_mass_withdrawal },
		{ "remote single-active: primary, backup", test_remote_single_active },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("mh-aliasing", cases, RTE_DIM(cases), suite_init, suite_clean);
}
