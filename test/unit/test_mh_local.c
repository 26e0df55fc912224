/* test_mh_local.c: CUnit tests of local Ethernet segments: modulo DF per MAC-VRF,
 * the DF and local-bias filters, the DF wait timer and re-election when a
 * peer leaves, preference with Don't-Preempt, a peer's unknown DF type,
 * single-active blocking. See mh_fixture.h for the runtime. */
#include "mh_fixture.h"

/* ==== 4. local segments ==== */

#define SYNC_MAC "02:00:00:00:0a:51"

/* es-mod (acc0, modulo, df-timer 0) in red (EVI 1000) and blue (EVI 1001). */
static void
test_local_modulo(void)
{
	uint16_t es = es_id(ESI_MOD);
	struct evf_es_df_view v;
	const struct evf_event *ev;
	uint8_t inner[256], want[256];
	uint32_t ilen, wlen;

	fresh();
	CU_ASSERT(df_is(a_red0, NODE_V4) && df_is(a_blue0, NODE_V4));
	/* The peer's RT4: a candidate once the DF timer (0 s) has run. */
	ROUTE_OK("rt4 add esi %s vtep %s", ESI_MOD, P_MOD);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.nb_candidates, 2);
	CU_ASSERT(v.self_candidate);
	CU_ASSERT_EQUAL(v.oper_alg, EVF_DF_MODULO);
	CU_ASSERT(v.timer_running);
	CU_ASSERT(df_of(a_blue0));
	CU_ASSERT_NOT_EQUAL(evf_ess[es].peer_mask, 0);
	evf_es_poll(rte_rdtsc());
	/* Candidates 198.18.0.1 < 198.18.0.21: EVI 1000 mod 2 = 0 -> us,
	 * EVI 1001 mod 2 = 1 -> the peer. */
	CU_ASSERT(df_of(a_red0));
	CU_ASSERT(!df_of(a_blue0));
	CU_ASSERT(df_is(a_red0, NODE_V4));
	CU_ASSERT(df_is(a_blue0, P_MOD));
	ev = ev_last(EVF_EV_DF_CHANGE, NULL, ESI_MOD, BLUE_VNI);
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev != NULL)
		CU_ASSERT_EQUAL(ev->flag, 0);
	/* Only blue changed: no DF-change event for red. */
	if (ev_count(EVF_EV_DF_CHANGE, NULL, ESI_MOD, RED_VNI) != 0)
		fprintf(stderr, "\n    %u df-change event(s) for red, whose DF did not change\n",
			ev_count(EVF_EV_DF_CHANGE, NULL, ESI_MOD, RED_VNI));
	CU_ASSERT_EQUAL(ev_count(EVF_EV_DF_CHANGE, NULL, ESI_MOD, RED_VNI), 0);

	/* BUM from another VTEP: red (DF) reaches acc0, blue (not DF) does not. */
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:01", 1, inner, &ilen);
	EXPECT_OUT(0, 1, 1, 1, 1, 1);
	wlen = with_tag(want, inner, ilen, 10);
	CU_ASSERT(caps[P_ACC0].n == 1 && caps[P_ACC0].len[0] == wlen &&
		  memcmp(caps[P_ACC0].b[0], want, wlen) == 0);
	net_in(XV, BLUE_VNI, BCAST, "02:00:00:00:77:02", 2, NULL, NULL);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);
	net_in(XV, BLUE_VNI, "02:00:00:00:99:99", "02:00:00:00:77:03", 3, NULL, NULL);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 2);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_LOCAL_BIAS), 0);
	/* BUM from the peer never goes back to the segment (local bias), DF or not. */
	net_in(P_MOD, RED_VNI, BCAST, "02:00:00:00:77:04", 4, NULL, NULL);
	EXPECT_OUT(0, 0, 1, 1, 1, 1);
	net_in(P_MOD, BLUE_VNI, BCAST, "02:00:00:00:77:05", 5, NULL, NULL);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_LOCAL_BIAS), 2);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 2);
	/* BUM arriving on the segment goes to every other local attachment
	 * whatever the DF state. */
	acc_in(P_ACC0, 20, BCAST, "02:00:00:00:0a:01", 6);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);

	/* A MAC behind our own segment, synced by the peer's RT2 with the
	 * segment's ESI (MAC sync): local on our attachment of the segment, with
	 * the peer's sequence, advertised by us too (mac-learned); delivered on
	 * our attachment, from access and network. */
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 4", RED_VNI, SYNC_MAC, P_MOD, ESI_MOD);
	{
		struct rte_ether_addr sm = evft_mac(SYNC_MAC);
		const struct evf_fdb_entry *se = evf_fdb_find(red, &sm);
		const struct evf_event *ev = ev_last(EVF_EV_MAC_LEARNED, SYNC_MAC, ESI_MOD, RED_VNI);

		CU_ASSERT_PTR_NOT_NULL_FATAL(se);
		CU_ASSERT_EQUAL(se->origin, EVF_FDB_LEARNED);
		CU_ASSERT_EQUAL(evf_dest_kind(se->dest), EVF_DEST_ATTACH);
		CU_ASSERT_EQUAL(evf_dest_target(se->dest), a_red0);
		CU_ASSERT_EQUAL(se->seq, 4);
		CU_ASSERT(ev != NULL && ev->mob_seq == 4 && ev->attach == a_red0);
	}
	acc_in(P_ACC1, 10, SYNC_MAC, H, 8);
	EXPECT_OUT(0, 1, 0, 0, 0, 0);
	net_in(XV, RED_VNI, SYNC_MAC, "02:00:00:00:77:07", 9, NULL, NULL);
	EXPECT_OUT(0, 1, 0, 0, 0, 0);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, SYNC_MAC, P_MOD);

	/* The peer leaves: re-elected at once, no timer. */
	nb_evs = 0;
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_MOD, P_MOD);
	CU_ASSERT(df_of(a_blue0));
	CU_ASSERT(df_of(a_red0));
	CU_ASSERT_EQUAL(evf_ess[es].peer_mask, 0);
	ev = ev_last(EVF_EV_DF_CHANGE, NULL, ESI_MOD, BLUE_VNI);
	CU_ASSERT(ev != NULL && ev->flag == 1);
	/* No longer a peer: its BUM is delivered. */
	net_in(P_MOD, BLUE_VNI, BCAST, "02:00:00:00:77:06", 7, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 0, 0, 0);
	finish();
}

/* es-timer (acc3, df-timer 3): a joining PE waits 3 s, a leaving one does not. */
static void
test_local_df_timer(void)
{
	uint16_t es = es_id(ESI_TIMER);
	struct evf_es_df_view v;
	const struct evf_es_df *table;
	const struct evf_event *ev;
	uint64_t t0;

	fresh();
	CU_ASSERT(df_of(a_red3));
	table = evf_ess[es].df;
	t0 = rte_rdtsc();
	ROUTE_OK("rt4 add esi %s vtep %s", ESI_TIMER, Q_LOW);
	evf_es_df_view(es, &v);
	CU_ASSERT(v.timer_running);
	CU_ASSERT(v.timer_left_ms <= 3000);
	CU_ASSERT_EQUAL(v.nb_candidates, 2);
	/* Candidates 10.0.0.5 < 198.18.0.1: EVI 1000 -> the peer, but not before 3 s. */
	CU_ASSERT(df_is(a_red3, Q_LOW));
	CU_ASSERT(df_of(a_red3));
	evf_es_poll(t0 + hz * 29 / 10);
	CU_ASSERT(df_of(a_red3));
	CU_ASSERT_PTR_EQUAL(evf_ess[es].df, table);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_DF_CHANGE, NULL, ESI_TIMER, 0), 0);
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:11", 1, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 1, 1, 1);
	/* 3 s later (synthetic TSC): applied. */
	evf_es_poll(rte_rdtsc() + 3 * hz + hz / 100);
	CU_ASSERT(!df_of(a_red3));
	evf_es_df_view(es, &v);
	CU_ASSERT(!v.timer_running);
	ev = ev_last(EVF_EV_DF_CHANGE, NULL, ESI_TIMER, RED_VNI);
	CU_ASSERT(ev != NULL && ev->flag == 0);
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:12", 2, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 1, 0, 1);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 1);

	/* The peer leaves: DF again at once. */
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_TIMER, Q_LOW);
	CU_ASSERT(df_of(a_red3));
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:13", 3, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 1, 1, 1);

	/* Mixed algorithms fall back to modulo (RFC 8584 2.2); a third PE joining
	 * waits for the timer as well. */
	ROUTE_OK("rt4 add esi %s vtep %s df-alg hrw", ESI_TIMER, Q_LOW);
	evf_es_poll(rte_rdtsc() + 4 * hz);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_alg, EVF_DF_MODULO);    /* we say modulo, it says hrw */
	CU_ASSERT(!df_of(a_red3));
	t0 = rte_rdtsc();
	ROUTE_OK("rt4 add esi %s vtep %s df-alg modulo", ESI_TIMER, "198.18.0.200");
	evf_es_poll(t0 + hz);
	CU_ASSERT(!df_of(a_red3));
	/* 3 candidates 10.0.0.5, 198.18.0.1, 198.18.0.200: 1000 mod 3 = 1 -> us */
	evf_es_poll(rte_rdtsc() + 4 * hz);
	CU_ASSERT(df_of(a_red3));
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_TIMER, Q_LOW);
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_TIMER, "198.18.0.200");
	CU_ASSERT(df_of(a_red3));
	finish();
}

static bool
pref_down(void)
{
	struct evf_esi x = esi(ESI_PREF);

	return !evf_ess[evf_es_find(&x)].local_up;
}

static bool
pref_up_settled(void)
{
	struct evf_esi x = esi(ESI_PREF);
	uint16_t es = (uint16_t)evf_es_find(&x);
	struct evf_es_df_view v;

	evf_es_df_view(es, &v);
	return evf_ess[es].local_up && v.self_candidate && !v.activating && !v.timer_running;
}

/* A peer advertising a DF type we do not run (3, lowest preference, or any
 * other number) stays a candidate: the segment falls back to modulo for
 * everyone (RFC 8584 2.2) instead of each PE electing itself. es-mod (acc0):
 * ours 198.18.0.1 < peer 198.18.0.21; red EVI 1000 -> us, blue 1001 -> peer. */
static void
test_unknown_df_type(void)
{
	uint16_t es = es_id(ESI_MOD);
	struct evf_es_df_view v;

	fresh();
	CU_ASSERT(df_of(a_red0));
	CU_ASSERT(df_of(a_blue0));
	ROUTE_OK("rt4 add esi %s vtep %s df-alg 3", ESI_MOD, P_MOD);
	evf_es_poll(rte_rdtsc() + hz);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.nb_candidates, 2);
	CU_ASSERT_EQUAL(v.oper_alg, EVF_DF_MODULO);
	CU_ASSERT(df_of(a_red0));
	CU_ASSERT(!df_of(a_blue0));
	CU_ASSERT(df_is(a_blue0, P_MOD));
	ROUTE_OK("rt4 add esi %s vtep %s df-alg 255", ESI_MOD, P_MOD);
	evf_es_poll(rte_rdtsc() + hz);
	CU_ASSERT(!df_of(a_blue0));
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_MOD, P_MOD);
	CU_ASSERT(df_of(a_blue0));
	finish();
}

/* es-pref up and a candidate, its first DF election still waiting. */
static bool
pref_waiting(void)
{
	struct evf_esi x = esi(ESI_PREF);
	uint16_t es = (uint16_t)evf_es_find(&x);
	struct evf_es_df_view v;

	evf_es_df_view(es, &v);
	return evf_ess[es].local_up && v.self_candidate && !v.activating && v.timer_running;
}

/* es-pref (acc4): preference 200 with dont-preempt. */
static void
test_local_preference(void)
{
	uint16_t es = es_id(ESI_PREF);
	struct evf_es_df_view v;
	const struct evf_event *ev;

	fresh();
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_alg, EVF_DF_PREFERENCE);
	CU_ASSERT_EQUAL(v.oper_pref, 200);
	CU_ASSERT(v.oper_dp);

	/* Our segment goes down (port disabled): no longer a candidate. */
	evf_ports[pid[P_ACC4]].admin_up = 0;
	CU_ASSERT_FATAL(poll_until(pref_down));
	CU_ASSERT_EQUAL(ev_count(EVF_EV_ES_DOWN, NULL, ESI_PREF, 0), 1);
	CU_ASSERT(!df_of(a_red4));
	/* Meanwhile the peer, preference 100 non-revertive, is DF. */
	ROUTE_OK("rt4 add esi %s vtep %s df-alg preference pref 100 dont-preempt", ESI_PREF, P_PREF);
	CU_ASSERT(df_is(a_red4, P_PREF));

	/* We come back with preference 200: we do not take over. We advertise
	 * the DF's preference with Don't-Preempt clear (RFC 9785 non-revertive). */
	nb_evs = 0;
	evf_ports[pid[P_ACC4]].admin_up = 1;
	CU_ASSERT_FATAL(poll_until(pref_up_settled));
	ev = ev_last(EVF_EV_ES_UP, NULL, ESI_PREF, 0);
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev != NULL) {
		CU_ASSERT_EQUAL(ev->pref, 100);
		CU_ASSERT_EQUAL(ev->flag, 0);
		CU_ASSERT_EQUAL(ev->df_alg, EVF_DF_PREFERENCE);
	}
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_pref, 100);
	CU_ASSERT(!v.oper_dp);
	CU_ASSERT_EQUAL(v.nb_candidates, 2);
	CU_ASSERT(!df_of(a_red4));
	CU_ASSERT(df_is(a_red4, P_PREF));
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:21", 1, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 1, 1, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 1);

	/* The peer leaves: ours at once, and we advertise our own preference
	 * with Don't-Preempt set again (RFC 9785 4.2), so that ... */
	nb_evs = 0;
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_PREF, P_PREF);
	CU_ASSERT(df_of(a_red4));
	ev = ev_last(EVF_EV_ES_UP, NULL, ESI_PREF, 0);
	CU_ASSERT(ev != NULL && ev->pref == 200 && ev->flag == 1);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_pref, 200);
	CU_ASSERT(v.oper_dp);
	/* ... the peer coming back (it advertises our preference, DP clear, as
	 * the rule makes it) does not take the role back: non-revertive. */
	ROUTE_OK("rt4 add esi %s vtep %s df-alg preference pref 200", ESI_PREF, P_PREF);
	evf_es_poll(rte_rdtsc() + hz); /* past any DF timer */
	CU_ASSERT(df_of(a_red4));
	/* A refresh of the same RT4 starts no new election (no DF timer). */
	ROUTE_OK("rt4 add esi %s vtep %s df-alg preference pref 200", ESI_PREF, P_PREF);
	evf_es_df_view(es, &v);
	CU_ASSERT(!v.timer_running);
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_PREF, P_PREF);

	/* Coming up before the peers' RT4s arrive: until our first election
	 * the choice follows each RT4 received. es-pref has no DF timer; give
	 * it one (3 s) for this step, as if configured, so there is a window. */
	((struct evf_es_local_cfg *)(uintptr_t)evf_es_local_cfg(es))->df_timer_ms = 3000;
	evf_ports[pid[P_ACC4]].admin_up = 0;
	CU_ASSERT_FATAL(poll_until(pref_down));
	evf_ports[pid[P_ACC4]].admin_up = 1;
	CU_ASSERT_FATAL(poll_until(pref_waiting));
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_pref, 200);   /* alone so far: our own */
	CU_ASSERT(v.oper_dp);
	nb_evs = 0;
	ROUTE_OK("rt4 add esi %s vtep %s df-alg preference pref 100 dont-preempt", ESI_PREF, P_PREF);
	evf_es_df_view(es, &v);
	CU_ASSERT_EQUAL(v.oper_pref, 100);   /* the holder's, DP clear */
	CU_ASSERT(!v.oper_dp);
	ev = ev_last(EVF_EV_ES_UP, NULL, ESI_PREF, 0);
	CU_ASSERT(ev != NULL && ev->pref == 100 && ev->flag == 0);
	evf_es_poll(rte_rdtsc() + 4 * hz);
	CU_ASSERT(!df_of(a_red4));
	CU_ASSERT(df_is(a_red4, P_PREF));
	((struct evf_es_local_cfg *)(uintptr_t)evf_es_local_cfg(es))->df_timer_ms = 0;
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_PREF, P_PREF);
	finish();
}

/* es-sa (acc2, single-active): the non-DF link carries nothing. */
#define S_HOST "02:00:00:00:2a:01"

static void
test_local_single_active(void)
{
	uint16_t es = es_id(ESI_SA);
	struct rte_ether_addr s = evft_mac(S_HOST);
	const struct evf_fdb_entry *e;

	fresh();
	CU_ASSERT_EQUAL(evf_ess[es].single_active, 1);
	/* DF (alone): a host on the segment speaks, is learned, is reachable. */
	acc_in(P_ACC2, 10, BCAST, S_HOST, 1);
	EXPECT_OUT(0, 1, 1, 0, 1, 1);
	evf_ctl_poll_once();
	e = evf_fdb_find(red, &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red2);
	net_in(XV, RED_VNI, S_HOST, "02:00:00:00:77:31", 2, NULL, NULL);
	EXPECT_OUT(0, 0, 0, 1, 0, 0);

	/* A peer with a lower address joins: DF for EVI 1000, we are not. */
	ROUTE_OK("rt4 add esi %s vtep %s", ESI_SA, Q_SA);
	evf_es_poll(rte_rdtsc());
	CU_ASSERT(!df_of(a_red2));
	CU_ASSERT(df_is(a_red2, Q_SA));
	/* Frames from the link: dropped. */
	acc_in(P_ACC2, 10, BCAST, S_HOST, 3);
	acc_in(P_ACC2, 10, H, S_HOST, 4);
	EXPECT_OUT(0, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 2);
	/* Losing DF flushed the host learned on the link (withdrawn: mac-aged):
	 * it is reached through the DF now. */
	CU_ASSERT_PTR_NULL(evf_fdb_find(red, &s));
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, S_HOST, NULL, RED_VNI), 1);
	/* The DF advertises the host with the segment's ESI: unicast from another
	 * attachment goes to the DF over VXLAN, not to the blocked link. */
	ROUTE_OK("rt1 add esi %s vtep %s single-active", ESI_SA, Q_SA);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_SA, RED_VNI, Q_SA);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s", RED_VNI, S_HOST, Q_SA, ESI_SA);
	{
		static struct flow_out out[8];

		send_flows(10, &s, 1, 8, out);
		CU_ASSERT_EQUAL(flows_to(out, 8, Q_SA), 8);
	}
	/* and from the network it is not sent back to the network */
	net_in(XV, RED_VNI, S_HOST, "02:00:00:00:77:32", 5, NULL, NULL);
	EXPECT_OUT(0, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 2);
	/* BUM from the network: everywhere but the blocked link. */
	net_in(XV, RED_VNI, BCAST, "02:00:00:00:77:33", 7, NULL, NULL);
	EXPECT_OUT(0, 1, 1, 0, 1, 1);
	CU_ASSERT_EQUAL(evft_drops(EVF_DROP_DF_FILTER), 3);

	/* The peer leaves: the link forwards again at once, and the host
	 * (known through the segment) is delivered on it. */
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_SA, Q_SA);
	CU_ASSERT(df_of(a_red2));
	net_in(XV, RED_VNI, S_HOST, "02:00:00:00:77:34", 8, NULL, NULL);
	EXPECT_OUT(0, 0, 0, 1, 0, 0);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, S_HOST, Q_SA);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_SA, RED_VNI, Q_SA);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_SA, Q_SA);
	finish();
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "local segment: modulo DF per MAC-VRF, DF filter, local bias", test_local_modulo },
		{ "local segment: DF wait timer, a leaving peer", test_local_df_timer },
		{ "local segment: preference with Don't-Preempt", test_local_preference },
		{ "local segment: a peer's unknown DF type falls back to modulo", test_unknown_df_type },
		{ "local segment: single-active", test_local_single_active },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("mh-local", cases, RTE_DIM(cases), suite_init, suite_clean);
}
