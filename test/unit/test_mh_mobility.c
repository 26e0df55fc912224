/* test_mh_mobility.c: CUnit tests of MAC mobility: sequence numbers, equal sequence,
 * sticky, aging falling back to the remote route, duplicate detection and
 * hold-down, a remote MAC seen on the data path, MACs synced by the ES peer. See mh_fixture.h for the runtime. */
#include "mh_fixture.h"

/* ==== 5. MAC mobility ==== */

static enum evf_learn_result
learn(uint16_t bd, uint16_t attach, const char *mac)
{
	struct evf_learn_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.mac = evft_mac(mac);
	ev.bd = bd;
	ev.attach = attach;
	return evf_fdb_learn(&ev);
}

/* Where (bd, mac) points: "attach:NAME", "vtep:IP", "es", "none" or "absent". */
static const char *
where(uint16_t bd, const char *mac)
{
	static char buf[96];
	const struct evf_fdb_entry *e = entry(bd, mac);
	char ip[EVF_IP_STRLEN];

	if (e == NULL)
		return "absent";
	switch (evf_dest_kind(e->dest)) {
	case EVF_DEST_ATTACH:
		snprintf(buf, sizeof(buf), "attach:%s", evf_attachs[evf_dest_target(e->dest)].name);
		break;
	case EVF_DEST_VTEP:
		snprintf(buf, sizeof(buf), "vtep:%s",
			 evf_ip_fmt(&evf_vteps[evf_dest_target(e->dest)].ip, ip, sizeof(ip)));
		break;
	case EVF_DEST_ES:
		snprintf(buf, sizeof(buf), "es");
		break;
	default:
		snprintf(buf, sizeof(buf), "none");
	}
	return buf;
}

#define EXPECT_WHERE(bd, mac, want) do {                                       \
		const char *w_ = where((bd), (mac));                           \
		if (strcmp(w_, (want)) != 0)                                   \
			fprintf(stderr, "\n    %s:%d: %s is at %s, expected %s\n", \
				__FILE__, __LINE__, (mac), w_, (want));        \
		CU_ASSERT_STRING_EQUAL(w_, (want));                            \
	} while (0)

static char a40[48], a41[48];

static void
mob_names(void)
{
	snprintf(a40, sizeof(a40), "attach:%s", evf_attachs[a_mob40].name);
	snprintf(a41, sizeof(a41), "attach:%s", evf_attachs[a_mob41].name);
}

/* A remote MAC that appears on a local port, through the data path: the
 * worker reports it, the control loop makes it local with sequence + 1
 * (RFC 7432 15, doc/multihoming.md "A remote MAC seen locally becomes local
 * with sequence remote + 1"). */
#define M_DP "02:00:00:00:4d:01"

static void
test_mobility_data_path(void)
{
	const struct evf_fdb_entry *e;
	const struct evf_event *ev;

	fresh();
	mob_names();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 7", MOB_VNI, M_DP, VA);
	EXPECT_WHERE(mob, M_DP, "vtep:" VA);
	acc_in(P_ACC1, 40, BCAST, M_DP, 1);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);                    /* flooded to acc1.41 */
	if (rte_ring_count(evf_workers[0].learn_ring) != 1)
		fprintf(stderr, "\n    the worker reported %u learn events for a remote MAC seen"
			" locally, expected 1\n", rte_ring_count(evf_workers[0].learn_ring));
	CU_ASSERT_EQUAL(rte_ring_count(evf_workers[0].learn_ring), 1);
	evf_ctl_poll_once();
	EXPECT_WHERE(mob, M_DP, a40);
	e = entry(mob, M_DP);
	if (e != NULL) {
		CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
		CU_ASSERT_EQUAL(e->seq, 8);
	}
	ev = ev_last(EVF_EV_MAC_MOVED, M_DP, NULL, MOB_VNI);  /* remote -> here: re-advertise */
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev != NULL) {
		CU_ASSERT_EQUAL(ev->mob_seq, 8);
		CU_ASSERT_EQUAL(ev->attach, a_mob40);
	}
	/* Traffic to it stays local. */
	acc_in(P_ACC1, 41, M_DP, H, 2);
	EXPECT_OUT(0, 0, 1, 0, 0, 0);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M_DP, VA);
	finish();
}

#define M1 "02:00:00:00:4d:11"
#define M2 "02:00:00:00:4d:12"
#define M3 "02:00:00:00:4d:13"
#define M4 "02:00:00:00:4d:14"

/* The ES peer advertises a MAC of our segment with the segment's ESI (MAC
 * sync of an all-active LAG: the host hashes to both leafs). That is
 * aliasing, not mobility (RFC 7432 14 and 15): the MAC stays local on the
 * segment's attachment, takes the peer's higher sequence, and never counts as
 * a move; a route from a VTEP outside the segment is still a move.
 * es-timer's peer Q_LOW has a lower address than ours, so without the rule
 * an equal sequence would hand the MAC to it. */
#define MS1 "02:00:00:00:5e:01"
#define MS2 "02:00:00:00:5e:02"

static void
test_es_peer_sync_not_a_move(void)
{
	const struct evf_fdb_entry *e;
	const struct evf_event *ev;

	fresh();
	nb_evs = 0;
	/* Learned here first, then synced by the peer (equal, then higher seq). */
	CU_ASSERT_EQUAL(learn(red, a_red3, MS1), EVF_LEARN_NEW);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 0", RED_VNI, MS1, Q_LOW, ESI_TIMER);
	e = entry(red, MS1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ATTACH);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(e->seq, 0);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 3", RED_VNI, MS1, Q_LOW, ESI_TIMER);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(e->seq, 3);
	CU_ASSERT_EQUAL(learn(red, a_red3, MS1), EVF_LEARN_REFRESHED);

	/* Synced by the peer first (MAC sync): local at once with the peer's
	 * sequence, announced as learned (we advertise it too), not moved; seen
	 * here afterwards, only refreshed. */
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 2", RED_VNI, MS2, Q_LOW, ESI_TIMER);
	e = entry(red, MS2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ATTACH);
	CU_ASSERT_EQUAL(learn(red, a_red3, MS2), EVF_LEARN_REFRESHED);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(e->seq, 2);
	ev = ev_last(EVF_EV_MAC_LEARNED, MS2, NULL, RED_VNI);
	CU_ASSERT(ev != NULL && ev->mob_seq == 2 && ev->attach == a_red3);

	/* The peer withdraws and re-advertises, the host keeps talking on both
	 * links: many rounds within the detection window, never frozen. */
	for (int i = 0; i < 8; i++) {
		ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS2, Q_LOW);
		ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 2", RED_VNI, MS2, Q_LOW,
			 ESI_TIMER);
		learn(red, a_red3, MS2);
		CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	}
	CU_ASSERT_EQUAL(e->frozen, 0);
	CU_ASSERT_EQUAL(e->moves, 0);
	CU_ASSERT_EQUAL(e->seq, 2);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_MOVED, NULL, NULL, 0), 0);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_FROZEN, NULL, NULL, 0), 0);

	/* A VTEP outside the segment with a higher sequence: a real move. */
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 4", RED_VNI, MS1, XV);
	e = entry(red, MS1);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_VTEP);
	ev = ev_last(EVF_EV_MAC_MOVED, MS1, NULL, RED_VNI);
	CU_ASSERT(ev != NULL && ev->attach == EVF_INVALID_ID && ev->mob_seq == 4);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS1, XV);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS1, Q_LOW);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS2, Q_LOW);
	finish();
}

/* Sequence numbers through the control-thread API the learn ring feeds. */
static uint32_t mob_t;

/* Next step of the MAC clock, past the duplicate-detection window (180 s) so
 * that this test's moves are never counted together. */
static void
tick(void)
{
	mob_t += 200;
	evf_now_sec = mob_t;
}

static void
test_mobility_sequence(void)
{
	static struct flow_out out[4];
	const struct evf_fdb_entry *e;
	const struct evf_event *ev;
	struct rte_ether_addr m1 = evft_mac(M1);

	fresh();
	mob_names();
	mob_t = evf_clock_sec() + 300000;
	tick();
	/* Local learn of a remote MAC: sequence remote + 1, MAC_MOVED with the attachment. */
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 7", MOB_VNI, M1, VA);
	tick();
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M1), EVF_LEARN_MOVED);
	EXPECT_WHERE(mob, M1, a40);
	e = entry(mob, M1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->seq, 8);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	ev = ev_last(EVF_EV_MAC_MOVED, M1, NULL, MOB_VNI);
	CU_ASSERT(ev != NULL && ev->mob_seq == 8 && ev->attach == a_mob40);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_LEARNED, M1, NULL, 0), 0);

	/* A route with a higher sequence: the MAC moved away; MAC_MOVED with no attachment. */
	nb_evs = 0;
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 9", MOB_VNI, M1, VA);
	EXPECT_WHERE(mob, M1, "vtep:" VA);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
	ev = ev_last(EVF_EV_MAC_MOVED, M1, NULL, MOB_VNI);
	CU_ASSERT(ev != NULL && ev->attach == EVF_INVALID_ID);
	send_flows(41, &m1, 1, 4, out);
	CU_ASSERT_EQUAL(flows_to(out, 4, VA), 4);

	/* Equal sequence: the lower VTEP address. */
	tick();
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M1), EVF_LEARN_MOVED);
	CU_ASSERT_EQUAL(e->seq, 10);
	EXPECT_WHERE(mob, M1, a41);
	nb_evs = 0;
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 10", MOB_VNI, M1, VB);  /* 198.18.0.52 > us */
	EXPECT_WHERE(mob, M1, a41);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_MOVED, M1, NULL, 0), 0);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 10", MOB_VNI, M1, VLOW); /* 10.0.0.9 < us */
	EXPECT_WHERE(mob, M1, "vtep:" VLOW);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_MOVED, M1, NULL, 0), 1);
	/* Between remote routes: the highest sequence, then the lowest address. */
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 11", MOB_VNI, M1, VB);
	EXPECT_WHERE(mob, M1, "vtep:" VB);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 11", MOB_VNI, M1, VA);
	EXPECT_WHERE(mob, M1, "vtep:" VA);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M1, VA);
	EXPECT_WHERE(mob, M1, "vtep:" VB);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M1, VB);
	EXPECT_WHERE(mob, M1, "vtep:" VLOW);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M1, VLOW);
	EXPECT_WHERE(mob, M1, "absent");

	/* Sticky: wins over a local MAC and over higher sequences. */
	tick();
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M2), EVF_LEARN_NEW);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 0 sticky", MOB_VNI, M2, VB);
	EXPECT_WHERE(mob, M2, "vtep:" VB);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 100", MOB_VNI, M2, VA);
	EXPECT_WHERE(mob, M2, "vtep:" VB);
	tick();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 0 sticky", MOB_VNI, M2, VLOW);
	EXPECT_WHERE(mob, M2, "vtep:" VLOW);            /* two sticky: lower address */
	/* Seen locally again: the static (sticky) MAC does not move
	 * (RFC 7432 15.2; "a sticky route always wins"). */
	tick();
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M2), EVF_LEARN_IGNORED);
	EXPECT_WHERE(mob, M2, "vtep:" VLOW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(entry(mob, M2));
	CU_ASSERT(entry(mob, M2)->sticky);
	/* workers are told not to report it either */
	CU_ASSERT(evf_dest_flags(entry(mob, M2)->dest) & EVF_DEST_F_PINNED);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M2, VLOW);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M2, VB);
	tick();
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M2, VA);
	if (entry(mob, M2) != NULL)
		evf_fdb_remove((struct evf_fdb_entry *)entry(mob, M2));
	finish();
}

/* Aging of a local MAC with remote routes falls back to the best remote. */
static void
test_mobility_aging(void)
{
	uint32_t t = evf_clock_sec() + 100000;
	const struct evf_event *ev;

	fresh();
	mob_names();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 3", MOB_VNI, M3, VA);
	evf_now_sec = t;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M3), EVF_LEARN_MOVED);
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M4), EVF_LEARN_NEW);
	EXPECT_WHERE(mob, M3, a40);
	evf_fdb_age(t + 59, evf_fdb.capacity);        /* mac-aging 60 */
	EXPECT_WHERE(mob, M3, a40);
	EXPECT_WHERE(mob, M4, a40);
	evf_now_sec = t + 60;
	evf_fdb_age(t + 60, evf_fdb.capacity);
	EXPECT_WHERE(mob, M3, "vtep:" VA);
	EXPECT_WHERE(mob, M4, "absent");
	ev = ev_last(EVF_EV_MAC_AGED, M3, NULL, MOB_VNI);
	CU_ASSERT_PTR_NOT_NULL(ev);
	CU_ASSERT(entry(mob, M3) != NULL && entry(mob, M3)->origin == EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, M4, NULL, MOB_VNI), 1);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M3, VA);
	EXPECT_WHERE(mob, M3, "absent");
	finish();
}

/* MAC sync: an ES peer's MAC (its RT2 with our segment's ESI) stays ours
 * while the peer advertises it, whatever our own traffic, and when the peer
 * withdraws (its link went down) it ages like a learned MAC instead of
 * vanishing (which would flood the host's traffic at remote PEs). A segment
 * that comes up takes over its peers' MACs. */
#define MS3 "02:00:00:00:5e:03"
#define MS4 "02:00:00:00:5e:04"
static void
test_es_peer_sync_hold(void)
{
	uint32_t t = evf_clock_sec() + 300000, aging = evf_bds[red].mac_aging;
	uint16_t es = es_id(ESI_TIMER);
	const struct evf_fdb_entry *e;

	fresh();
	nb_evs = 0;
	CU_ASSERT_FATAL(aging > 0 && evf_ess[es].local_up);
	evf_now_sec = t;
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 1", RED_VNI, MS3, Q_LOW, ESI_TIMER);
	e = entry(red, MS3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_LEARNED, MS3, ESI_TIMER, RED_VNI), 1);
	/* never seen here: aging keeps it while the peer advertises it */
	evf_now_sec = t + 3 * aging;
	evf_fdb_age(evf_now_sec, evf_fdb.capacity);
	CU_ASSERT(entry(red, MS3) == e && e->origin == EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, MS3, NULL, RED_VNI), 0);
	/* the peer withdraws: still ours (still advertised by us), no event */
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", RED_VNI, MS3, Q_LOW);
	CU_ASSERT(entry(red, MS3) == e && e->origin == EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, MS3, NULL, RED_VNI), 0);
	/* then it ages like any learned MAC */
	evf_now_sec = t + 4 * aging - 1;
	evf_fdb_age(evf_now_sec, evf_fdb.capacity);
	CU_ASSERT(entry(red, MS3) == e);
	evf_now_sec = t + 4 * aging;
	evf_fdb_age(evf_now_sec, evf_fdb.capacity);
	CU_ASSERT_PTR_NULL(entry(red, MS3));
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_AGED, MS3, NULL, RED_VNI), 1);

	/* our segment down: the peer's MAC is reached through the peer; up again
	 * (activation): ours again, advertised */
	evf_es_set_local_oper(es, false);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 0", RED_VNI, MS4, Q_LOW, ESI_TIMER);
	e = entry(red, MS4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_EVPN);
	CU_ASSERT_EQUAL(evf_dest_kind(e->dest), EVF_DEST_ES);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_LEARNED, MS4, NULL, RED_VNI), 0);
	evf_es_set_local_oper(es, true);
	CU_ASSERT_EQUAL(e->origin, EVF_FDB_LEARNED);
	CU_ASSERT_EQUAL(evf_dest_target(e->dest), a_red3);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_LEARNED, MS4, ESI_TIMER, RED_VNI), 1);
	/* activation, then the DF timer, as the control loop would run them */
	evf_es_poll(rte_rdtsc() + 10 * rte_get_tsc_hz());
	evf_es_poll(rte_rdtsc() + 20 * rte_get_tsc_hz());
	finish();
}

#define M5 "02:00:00:00:4d:15"
#define M6 "02:00:00:00:4d:16"

/* num-moves 5 within monitoring-window 180 s freezes; hold-down 540 s. */
static void
test_duplicate_detection(void)
{
	uint32_t t = evf_clock_sec() + 200000;
	struct evf_fdb_entry *e;
	const struct evf_event *ev;
	uint64_t frozen0 = evf_learn_counters.frozen;

	fresh();
	mob_names();
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 0", MOB_VNI, M5, VA);
	e = (struct evf_fdb_entry *)entry(mob, M5);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	evf_now_sec = t;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M5), EVF_LEARN_MOVED);          /* move 1 */
	evf_now_sec = t + 10;
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M5), EVF_LEARN_MOVED);          /* move 2 */
	evf_now_sec = t + 20;
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 2", MOB_VNI, M5, VA);   /* move 3 */
	EXPECT_WHERE(mob, M5, "vtep:" VA);
	evf_now_sec = t + 30;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M5), EVF_LEARN_MOVED);          /* move 4 */
	CU_ASSERT_EQUAL(e->seq, 3);
	CU_ASSERT_EQUAL(e->frozen, 0);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_FROZEN, M5, NULL, 0), 0);
	evf_now_sec = t + 179;
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 4", MOB_VNI, M5, VA);   /* move 5 */
	EXPECT_WHERE(mob, M5, "vtep:" VA);
	CU_ASSERT_EQUAL(e->frozen, 1);
	CU_ASSERT_EQUAL(e->frozen_at, t + 179);
	CU_ASSERT(evf_dest_flags(e->dest) & EVF_DEST_F_PINNED);
	CU_ASSERT_EQUAL(evf_learn_counters.frozen, frozen0 + 1);
	ev = ev_last(EVF_EV_MAC_FROZEN, M5, NULL, MOB_VNI);
	CU_ASSERT_PTR_NOT_NULL(ev);
	/* Frozen: learn events ignored, better routes not followed. */
	evf_now_sec = t + 200;
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M5), EVF_LEARN_IGNORED);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 7", MOB_VNI, M5, VB);
	EXPECT_WHERE(mob, M5, "vtep:" VA);
	CU_ASSERT_EQUAL(e->frozen, 1);
	/* hold-down 540: frozen until then, then unfrozen and reselected. */
	evf_now_sec = t + 179 + 539;
	evf_fdb_age(t + 179 + 539, evf_fdb.capacity);
	CU_ASSERT_EQUAL(e->frozen, 1);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_UNFROZEN, M5, NULL, 0), 0);
	evf_now_sec = t + 179 + 540;
	evf_fdb_age(t + 179 + 540, evf_fdb.capacity);
	CU_ASSERT_EQUAL(e->frozen, 0);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_UNFROZEN, M5, NULL, MOB_VNI), 1);
	EXPECT_WHERE(mob, M5, "vtep:" VB);
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M5), EVF_LEARN_MOVED);
	EXPECT_WHERE(mob, M5, a41);
	CU_ASSERT_EQUAL(e->seq, 8);

	/* Five moves spread over exactly 180 s: the window restarts, no freeze. */
	t += 10000;
	ROUTE_OK("rt2 add vni %u mac %s vtep %s seq 0", MOB_VNI, M6, VA);
	evf_now_sec = t;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M6), EVF_LEARN_MOVED);
	evf_now_sec = t + 10;
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M6), EVF_LEARN_MOVED);
	evf_now_sec = t + 20;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M6), EVF_LEARN_MOVED);
	evf_now_sec = t + 30;
	CU_ASSERT_EQUAL(learn(mob, a_mob41, M6), EVF_LEARN_MOVED);
	evf_now_sec = t + 180;
	CU_ASSERT_EQUAL(learn(mob, a_mob40, M6), EVF_LEARN_MOVED);
	CU_ASSERT(entry(mob, M6) != NULL && entry(mob, M6)->frozen == 0);
	CU_ASSERT_EQUAL(ev_count(EVF_EV_MAC_FROZEN, M6, NULL, 0), 0);

	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M5, VA);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M5, VB);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", MOB_VNI, M6, VA);
	finish();
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "mobility: remote MAC seen on the data path", test_mobility_data_path },
		{ "mobility: sequence numbers, equal sequence, sticky", test_mobility_sequence },
		{ "mobility: aging falls back to the remote", test_mobility_aging },
		{ "mobility: duplicate detection and hold-down", test_duplicate_detection },
		{ "mobility: a MAC synced by the ES peer is not a move", test_es_peer_sync_not_a_move },
		{ "mobility: a synced MAC outlives the peer's route", test_es_peer_sync_hold },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("mh-mobility", cases, RTE_DIM(cases), suite_init, suite_clean);
}
