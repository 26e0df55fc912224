/* test_lacp.c: CUnit tests of LACP and LAG distribution as pure functions
 * (lib/lag: lacp_pdu.c, lacp_sm.c, lag_buckets.c); no EAL, no runtime.
 *
 * Two simulated systems, A (ours) and B (the partner), each a LAG of two
 * members wired member i <-> member i. A simulated clock advances in 10 ms
 * steps; every step runs both sides' machines and carries each PDU a side
 * takes (evf_lacp_tx_take) to the other side, through the wire format
 * (evf_lacp_encode + evf_slow_parse), unless the test cut that direction.
 *
 * - PDUs: byte layout of an encoded LACPDU (offsets of 802.1AX-2014 6.4.2.3),
 *   round trip, illegal TLV types and lengths, short PDUs, a version 2 PDU,
 *   unknown subtypes, Marker -> Marker Response.
 * - Machines: convergence (both sides collecting and distributing after the
 *   2 s aggregate wait), the rate limit (<= 3 PDUs/s), partner timeout (3 s
 *   fast: removed exactly at the timeout, not before; back after PDUs
 *   resume), link down (removed at once), a partner change on one member
 *   (unselected, never distributes with two partners), out of sync (the
 *   partner clears sync: back to ATTACHED), passive/passive (nothing sent,
 *   nothing converges) and active/passive (converges), slow interval.
 * - Distribution: 1,000 flows over 2 and 4 members (40-60% / 15-35%),
 *   only the flows of a removed member move, only flows to a returning
 *   member move. */
#include <string.h>

#include "evf_lacp.h"
#include "evf_lag.h"
#include "evf_lag_ctl.h"
#include "evf_pkt.h"
#include "evf_test_env.h"

#define STEP_MS 10

/* ---- the simulated pair ---- */

struct side {
	struct evf_lacp_lag lag;
};

static struct side A, B;
static uint64_t now;
static bool cut_ab[2], cut_ba[2];  /* drop PDUs A->B / B->A on member i */
static unsigned int sent_a[2];     /* PDUs A sent per member */

static void
side_init(struct side *s, uint8_t sys_last, uint16_t key, bool active, bool fast)
{
	memset(s, 0, sizeof(*s));
	s->lag.nb_ports = 2;
	for (unsigned int i = 0; i < 2; i++) {
		struct evf_lacp_info actor;

		memset(&actor, 0, sizeof(actor));
		actor.sys_prio = 11;
		actor.sys[5] = sys_last;
		actor.key = key;
		actor.port_prio = 255;
		actor.port = (uint16_t)(i + 1);
		evf_lacp_port_init(&s->lag.port[i], &actor, active, fast);
	}
}

static void
pair_init(bool a_active, bool b_active, bool fast)
{
	side_init(&A, 0x11, 11, a_active, fast);
	side_init(&B, 0x22, 15, b_active, fast);
	now = 1000;
	memset(cut_ab, 0, sizeof(cut_ab));
	memset(cut_ba, 0, sizeof(cut_ba));
	memset(sent_a, 0, sizeof(sent_a));
	for (unsigned int i = 0; i < 2; i++) {
		evf_lacp_set_enabled(&A.lag, i, true, now);
		evf_lacp_set_enabled(&B.lag, i, true, now);
	}
}

/* Carry PDUs from one side to the other through the wire format. */
static void
carry(struct side *from, struct side *to, unsigned int i, bool cut, unsigned int *count)
{
	struct evf_lacp_pdu pdu, got;
	uint8_t wire[EVF_SLOW_PDU_LEN];

	while (evf_lacp_tx_take(&from->lag, i, now, &pdu)) {
		if (count != NULL)
			(*count)++;
		if (cut)
			continue;
		evf_lacp_encode(&pdu, wire);
		CU_ASSERT_EQUAL_FATAL(evf_slow_parse(wire, sizeof(wire), &got, NULL), EVF_SLOW_LACPDU);
		evf_lacp_rx(&to->lag, i, &got, now);
	}
}

static void
run_for(uint64_t ms)
{
	uint64_t end = now + ms;

	while (now < end) {
		now += STEP_MS;
		evf_lacp_run(&A.lag, now);
		evf_lacp_run(&B.lag, now);
		for (unsigned int i = 0; i < 2; i++) {
			carry(&A, &B, i, cut_ab[i], &sent_a[i]);
			carry(&B, &A, i, cut_ba[i], NULL);
		}
	}
}

/* ms until pred holds (checked every step), at most limit; UINT64_MAX if never */
static uint64_t
run_until(bool (*pred)(void), uint64_t limit)
{
	uint64_t start = now;

	while (now - start <= limit) {
		if (pred())
			return now - start;
		run_for(STEP_MS);
	}
	return UINT64_MAX;
}

static bool
all_distributing(void)
{
	for (unsigned int i = 0; i < 2; i++)
		if (!evf_lacp_distributing(&A.lag.port[i]) || !evf_lacp_distributing(&B.lag.port[i]))
			return false;
	return true;
}

static bool
a0_not_distributing(void)
{
	return !evf_lacp_distributing(&A.lag.port[0]);
}

static bool
a0_distributing(void)
{
	return evf_lacp_distributing(&A.lag.port[0]);
}

/* ---- PDUs ---- */

/* Field by field: struct evf_lacp_info has padding, which memcmp would compare. */
static bool
info_equal(const struct evf_lacp_info *a, const struct evf_lacp_info *b)
{
	return a->sys_prio == b->sys_prio && memcmp(a->sys, b->sys, sizeof(a->sys)) == 0 &&
		a->key == b->key && a->port_prio == b->port_prio && a->port == b->port &&
		a->state == b->state;
}

static void
test_pdu_layout(void)
{
	struct evf_lacp_pdu pdu, got;
	uint8_t w[EVF_SLOW_PDU_LEN];
	static const uint8_t actor_tlv[20] = { 1, 20, 0x00, 0x0b, 0, 0, 0, 0, 0, 0x11, 0x00, 0x0b,
		0x00, 0xff, 0x00, 0x02, 0x3d, 0, 0, 0 };

	memset(&pdu, 0, sizeof(pdu));
	pdu.actor.sys_prio = 11;
	pdu.actor.sys[5] = 0x11;
	pdu.actor.key = 11;
	pdu.actor.port_prio = 255;
	pdu.actor.port = 2;
	pdu.actor.state = 0x3d;
	pdu.partner.sys_prio = 65535;
	memcpy(pdu.partner.sys, "\x00\xc1\xab\x00\x00\x11", 6);
	pdu.partner.key = 15;
	pdu.partner.port_prio = 255;
	pdu.partner.port = 1;
	pdu.partner.state = 0x3f;
	evf_lacp_encode(&pdu, w);
	CU_ASSERT_EQUAL(w[0], 1);  /* subtype LACP */
	CU_ASSERT_EQUAL(w[1], 1);  /* version */
	CU_ASSERT_EQUAL(memcmp(w + 2, actor_tlv, 20), 0);
	CU_ASSERT_EQUAL(w[22], 2);
	CU_ASSERT_EQUAL(w[23], 20);
	CU_ASSERT_EQUAL(w[24], 0xff);
	CU_ASSERT_EQUAL(w[25], 0xff);
	CU_ASSERT_EQUAL(memcmp(w + 26, "\x00\xc1\xab\x00\x00\x11", 6), 0);
	CU_ASSERT_EQUAL(w[33], 15);
	CU_ASSERT_EQUAL(w[37], 1);
	CU_ASSERT_EQUAL(w[38], 0x3f);
	CU_ASSERT_EQUAL(w[42], 3);  /* collector */
	CU_ASSERT_EQUAL(w[43], 16);
	CU_ASSERT_EQUAL(w[58], 0);  /* terminator */
	CU_ASSERT_EQUAL(w[59], 0);
	for (int k = 60; k < EVF_SLOW_PDU_LEN; k++)
		CU_ASSERT_EQUAL(w[k], 0);
	/* Whatever the stack held before: struct padding must not matter. */
	memset(&got, 0xa5, sizeof(got));
	CU_ASSERT_EQUAL(evf_slow_parse(w, sizeof(w), &got, NULL), EVF_SLOW_LACPDU);
	CU_ASSERT_EQUAL(got.version, 1);
	CU_ASSERT_TRUE(info_equal(&got.actor, &pdu.actor));
	CU_ASSERT_TRUE(info_equal(&got.partner, &pdu.partner));
	CU_ASSERT_EQUAL(got.collector_max_delay, pdu.collector_max_delay);
}

static void
test_pdu_illegal(void)
{
	struct evf_lacp_pdu pdu;
	struct evf_marker mk;
	uint8_t w[EVF_SLOW_PDU_LEN], bad[EVF_SLOW_PDU_LEN];
	static const int offsets[] = { 2, 3, 22, 23, 42, 43, 58, 59 };

	memset(&pdu, 0, sizeof(pdu));
	evf_lacp_encode(&pdu, w);
	for (size_t k = 0; k < RTE_DIM(offsets); k++) {
		memcpy(bad, w, sizeof(w));
		bad[offsets[k]] ^= 0x40;
		CU_ASSERT_EQUAL(evf_slow_parse(bad, sizeof(bad), &pdu, NULL), EVF_SLOW_ILLEGAL);
	}
	memcpy(bad, w, sizeof(w));
	bad[1] = 0; /* version 0 */
	CU_ASSERT_EQUAL(evf_slow_parse(bad, sizeof(bad), &pdu, NULL), EVF_SLOW_ILLEGAL);
	CU_ASSERT_EQUAL(evf_slow_parse(w, EVF_SLOW_PDU_LEN - 1, &pdu, NULL), EVF_SLOW_ILLEGAL);
	CU_ASSERT_EQUAL(evf_slow_parse(w, 1, &pdu, NULL), EVF_SLOW_ILLEGAL);
	/* version 2: read by its version 1 fields, a TLV where v1 has the terminator */
	memcpy(bad, w, sizeof(w));
	bad[1] = 2;
	bad[58] = 4;
	bad[59] = 6;
	CU_ASSERT_EQUAL(evf_slow_parse(bad, sizeof(bad), &pdu, NULL), EVF_SLOW_LACPDU);
	bad[1] = 1;
	CU_ASSERT_EQUAL(evf_slow_parse(bad, sizeof(bad), &pdu, NULL), EVF_SLOW_ILLEGAL);
	/* other slow protocols: OAM (3), OSSP (10) */
	bad[0] = 3;
	CU_ASSERT_EQUAL(evf_slow_parse(bad, sizeof(bad), &pdu, &mk), EVF_SLOW_UNKNOWN);
	bad[0] = 10;
	CU_ASSERT_EQUAL(evf_slow_parse(bad, sizeof(bad), &pdu, &mk), EVF_SLOW_UNKNOWN);
}

static void
test_marker(void)
{
	uint8_t m[EVF_SLOW_PDU_LEN], r[EVF_SLOW_PDU_LEN];
	struct evf_marker mk, rk;

	memset(m, 0, sizeof(m));
	m[0] = 2;
	m[1] = 1;
	m[2] = 1;   /* marker information */
	m[3] = 16;
	m[4] = 0x00;
	m[5] = 0x07;  /* requester port 7 */
	memcpy(m + 6, "\x02\x00\x00\x00\x00\xaa", 6);
	memcpy(m + 12, "\xde\xad\xbe\xef", 4);
	CU_ASSERT_EQUAL(evf_slow_parse(m, sizeof(m), NULL, &mk), EVF_SLOW_MARKER_INFO);
	CU_ASSERT_EQUAL(mk.port, 7);
	CU_ASSERT_EQUAL(mk.transaction, 0xdeadbeef);
	evf_marker_response(&mk, r);
	/* the response: same fields, TLV type 2 */
	CU_ASSERT_EQUAL(r[2], 2);
	CU_ASSERT_EQUAL(memcmp(r + 3, m + 3, sizeof(m) - 3), 0);
	CU_ASSERT_EQUAL(memcmp(r, m, 2), 0);
	CU_ASSERT_EQUAL(evf_slow_parse(r, sizeof(r), NULL, &rk), EVF_SLOW_MARKER_RESP);
	m[3] = 15;
	CU_ASSERT_EQUAL(evf_slow_parse(m, sizeof(m), NULL, &mk), EVF_SLOW_ILLEGAL);
}

/* ---- machines ---- */

static void
test_converge(void)
{
	uint64_t t;

	pair_init(true, true, true);
	t = run_until(all_distributing, 10000);
	CU_ASSERT(t != UINT64_MAX);
	/* at least the 2 s aggregate wait; fast PDUs make it well under 5 s */
	CU_ASSERT(t >= EVF_LACP_AGGREGATE_WAIT_MS);
	CU_ASSERT(t < 5000);
	for (unsigned int i = 0; i < 2; i++) {
		const struct evf_lacp_port *p = &A.lag.port[i];

		CU_ASSERT_EQUAL(p->actor.state, EVF_LACP_ST_ACTIVITY | EVF_LACP_ST_TIMEOUT |
			EVF_LACP_ST_AGGREGATION | EVF_LACP_ST_SYNC | EVF_LACP_ST_COLLECTING |
			EVF_LACP_ST_DISTRIBUTING);
		CU_ASSERT_EQUAL(p->partner.sys[5], 0x22);
		CU_ASSERT_EQUAL(p->partner.key, 15);
		CU_ASSERT_EQUAL(p->partner.port, i + 1);
		CU_ASSERT_EQUAL(p->rx_state, EVF_LACP_RX_CURRENT);
	}
	CU_ASSERT(A.lag.agg_bound);
	CU_ASSERT_EQUAL(A.lag.agg_partner_key, 15);
}

static void
test_rate_limit(void)
{
	pair_init(true, true, true);
	run_until(all_distributing, 10000);
	memset(sent_a, 0, sizeof(sent_a));
	/* force NTT every step for 5 s: at most 3 per second go out */
	for (int k = 0; k < 500; k++) {
		A.lag.port[0].ntt = true;
		run_for(STEP_MS);
	}
	CU_ASSERT(sent_a[0] <= 3 * 5 + 1);
	CU_ASSERT(sent_a[0] >= 3 * 5 - 1);
	/* steady state without forcing: one per second (fast) */
	memset(sent_a, 0, sizeof(sent_a));
	run_for(10000);
	CU_ASSERT(sent_a[1] >= 9 && sent_a[1] <= 11);
}

static void
test_partner_timeout(void)
{
	uint64_t t;

	pair_init(true, true, true);
	run_until(all_distributing, 10000);
	cut_ba[0] = true;
	/* the last PDU arrived within the last second: removed between 2 and 3 s */
	t = run_until(a0_not_distributing, 10000);
	CU_ASSERT(t >= 2000 && t <= 3000 + STEP_MS);
	CU_ASSERT_EQUAL(A.lag.port[0].rx_state, EVF_LACP_RX_EXPIRED);
	CU_ASSERT_EQUAL(A.lag.port[0].c.timeouts, 1);
	/* the partner hears at once that we are out of sync and stops sending there */
	run_for(2 * STEP_MS);
	CU_ASSERT(!evf_lacp_collecting(&B.lag.port[0]));
	CU_ASSERT_FALSE(B.lag.port[0].partner.state & EVF_LACP_ST_SYNC);
	CU_ASSERT(evf_lacp_distributing(&A.lag.port[1])); /* the other member is untouched */
	/* after another 3 s: defaulted, unselected */
	run_for(3100);
	CU_ASSERT_EQUAL(A.lag.port[0].rx_state, EVF_LACP_RX_DEFAULTED);
	CU_ASSERT_EQUAL(A.lag.port[0].mux_state, EVF_LACP_MUX_DETACHED);
	/* PDUs again: back through WAITING (2 s); with the fast interval the
	 * defaulted side keeps sending fast PDUs, so it is quick */
	cut_ba[0] = false;
	t = run_until(a0_distributing, 10000);
	CU_ASSERT(t != UINT64_MAX && t >= EVF_LACP_AGGREGATE_WAIT_MS && t < 5000);
	CU_ASSERT(run_until(all_distributing, 5000) != UINT64_MAX);
}

static void
test_long_loss_recovery(void)
{
	uint64_t t;

	/* PDUs lost both ways on member 0 for 20 s: both sides default */
	pair_init(true, true, true);
	run_until(all_distributing, 10000);
	cut_ab[0] = cut_ba[0] = true;
	run_for(20000);
	CU_ASSERT_EQUAL(A.lag.port[0].rx_state, EVF_LACP_RX_DEFAULTED);
	CU_ASSERT_EQUAL(B.lag.port[0].rx_state, EVF_LACP_RX_DEFAULTED);
	/* fast interval: the defaulted sides still send every second, so the
	 * link is back within the aggregate wait plus a few PDUs, not 30 s */
	memset(sent_a, 0, sizeof(sent_a));
	run_for(5000);
	CU_ASSERT(sent_a[0] >= 4);
	cut_ab[0] = cut_ba[0] = false;
	t = run_until(all_distributing, 30000);
	CU_ASSERT(t != UINT64_MAX && t < 5000);
}

static void
test_link_down(void)
{
	pair_init(true, true, true);
	run_until(all_distributing, 10000);
	evf_lacp_set_enabled(&A.lag, 0, false, now);
	/* at once, in the same call */
	CU_ASSERT(!evf_lacp_distributing(&A.lag.port[0]));
	CU_ASSERT(!evf_lacp_collecting(&A.lag.port[0]));
	CU_ASSERT_EQUAL(A.lag.port[0].rx_state, EVF_LACP_RX_PORT_DISABLED);
	CU_ASSERT(evf_lacp_distributing(&A.lag.port[1]));
	/* B sees no PDU on member 0 any more: it times out there by itself */
	run_for(4000);
	CU_ASSERT(!evf_lacp_distributing(&B.lag.port[0]));
	CU_ASSERT(evf_lacp_distributing(&B.lag.port[1]));
	evf_lacp_set_enabled(&A.lag, 0, true, now);
	CU_ASSERT(run_until(all_distributing, 10000) != UINT64_MAX);
}

/* min-links 2 on A: with one member left, the remaining one goes on standby
 * (out of sync, not collecting) so that B stops sending on it; both come back
 * together once the second member can aggregate again. */
static bool
b1_not_collecting(void)
{
	return !evf_lacp_collecting(&B.lag.port[1]);
}

static void
test_min_links(void)
{
	pair_init(true, true, true);
	A.lag.min_links = 2;
	CU_ASSERT(run_until(all_distributing, 10000) != UINT64_MAX);
	evf_lacp_set_enabled(&A.lag, 0, false, now);
	/* at once: member 1 leaves too, and says so */
	CU_ASSERT(!evf_lacp_distributing(&A.lag.port[1]));
	CU_ASSERT(!evf_lacp_collecting(&A.lag.port[1]));
	CU_ASSERT_EQUAL(A.lag.port[1].selected, EVF_LACP_STANDBY);
	CU_ASSERT_EQUAL(A.lag.port[1].mux_state, EVF_LACP_MUX_WAITING);
	CU_ASSERT_FALSE(A.lag.port[1].actor.state & (EVF_LACP_ST_SYNC | EVF_LACP_ST_COLLECTING |
		EVF_LACP_ST_DISTRIBUTING));
	CU_ASSERT(A.lag.port[1].ntt);
	/* the partner learns it with the next PDU (the rate limit allows one
	 * within a second) and stops collecting there */
	CU_ASSERT(run_until(b1_not_collecting, 1000 + STEP_MS) != UINT64_MAX);
	CU_ASSERT_FALSE(B.lag.port[1].partner.state & EVF_LACP_ST_SYNC);
	/* standby holds while the LAG stays below min-links */
	run_for(5000);
	CU_ASSERT_EQUAL(A.lag.port[1].selected, EVF_LACP_STANDBY);
	CU_ASSERT(!evf_lacp_collecting(&A.lag.port[1]));
	CU_ASSERT(!evf_lacp_collecting(&B.lag.port[1]));
	/* the member is back: both are selected and aggregate again */
	evf_lacp_set_enabled(&A.lag, 0, true, now);
	CU_ASSERT(run_until(all_distributing, 10000) != UINT64_MAX);
	CU_ASSERT_EQUAL(A.lag.port[0].selected, EVF_LACP_SELECTED);
	CU_ASSERT_EQUAL(A.lag.port[1].selected, EVF_LACP_SELECTED);
	/* min-links 1 (the default): losing a member leaves the other alone */
	A.lag.min_links = 1;
	evf_lacp_set_enabled(&A.lag, 0, false, now);
	CU_ASSERT(evf_lacp_distributing(&A.lag.port[1]));
}

static void
test_partner_change(void)
{
	pair_init(true, true, true);
	run_until(all_distributing, 10000);
	/* member 1 of B now belongs to another system (recabled to another switch) */
	B.lag.port[1].actor.sys[5] = 0x33;
	B.lag.port[1].ntt = true;
	run_for(1100); /* the next PDU: within a second (rate limit, fast period) */
	CU_ASSERT(!evf_lacp_distributing(&A.lag.port[1]));
	CU_ASSERT_EQUAL(A.lag.port[1].selected, EVF_LACP_UNSELECTED);
	CU_ASSERT(A.lag.port[1].c.partner_changes >= 1);
	/* one aggregator, one partner: member 1 never joins while member 0 holds it */
	run_for(10000);
	CU_ASSERT_EQUAL(A.lag.port[1].selected, EVF_LACP_UNSELECTED);
	CU_ASSERT_EQUAL(A.lag.port[1].mux_state, EVF_LACP_MUX_DETACHED);
	CU_ASSERT(evf_lacp_distributing(&A.lag.port[0]));
	CU_ASSERT_EQUAL(A.lag.agg_partner_sys[5], 0x22);
	/* back to the first system: joins again */
	B.lag.port[1].actor.sys[5] = 0x22;
	B.lag.port[1].ntt = true;
	CU_ASSERT(run_until(all_distributing, 10000) != UINT64_MAX);
}

static void
test_out_of_sync(void)
{
	struct evf_lacp_pdu pdu;

	pair_init(true, true, true);
	run_until(all_distributing, 10000);
	/* B says it is no longer in sync on member 0 (e.g. moved to another aggregator) */
	cut_ba[0] = true;
	memset(&pdu, 0, sizeof(pdu));
	pdu.version = 1;
	pdu.actor = B.lag.port[0].actor;
	pdu.actor.state &= (uint8_t)~(EVF_LACP_ST_SYNC | EVF_LACP_ST_COLLECTING |
		EVF_LACP_ST_DISTRIBUTING);
	pdu.partner = B.lag.port[0].partner;
	evf_lacp_rx(&A.lag, 0, &pdu, now);
	CU_ASSERT_EQUAL(A.lag.port[0].mux_state, EVF_LACP_MUX_ATTACHED);
	CU_ASSERT(!evf_lacp_collecting(&A.lag.port[0]));
	CU_ASSERT(A.lag.port[0].actor.state & EVF_LACP_ST_SYNC); /* we stay in sync ourselves */
	/* in sync again but not collecting: we collect, we do not distribute */
	pdu.actor.state |= EVF_LACP_ST_SYNC;
	evf_lacp_rx(&A.lag, 0, &pdu, now);
	CU_ASSERT_EQUAL(A.lag.port[0].mux_state, EVF_LACP_MUX_COLLECTING);
	CU_ASSERT(!evf_lacp_distributing(&A.lag.port[0]));
	pdu.actor.state |= EVF_LACP_ST_COLLECTING;
	evf_lacp_rx(&A.lag, 0, &pdu, now);
	CU_ASSERT(evf_lacp_distributing(&A.lag.port[0]));
}

static void
test_passive(void)
{
	/* passive on both sides: nobody speaks first */
	pair_init(false, false, true);
	run_for(10000);
	CU_ASSERT_EQUAL(sent_a[0] + sent_a[1], 0);
	CU_ASSERT(!evf_lacp_distributing(&A.lag.port[0]));
	CU_ASSERT_EQUAL(A.lag.port[0].rx_state, EVF_LACP_RX_DEFAULTED);
	/* passive A, active B: converges, A answers */
	pair_init(false, true, true);
	CU_ASSERT(run_until(all_distributing, 10000) != UINT64_MAX);
	CU_ASSERT(sent_a[0] > 0);
	CU_ASSERT_FALSE(A.lag.port[0].actor.state & EVF_LACP_ST_ACTIVITY);
}

static void
test_slow_interval(void)
{
	uint64_t t;

	pair_init(true, true, false);
	CU_ASSERT(run_until(all_distributing, 10000) != UINT64_MAX);
	memset(sent_a, 0, sizeof(sent_a));
	run_for(65000);
	/* one PDU per 30 s once the partner asks for the long timeout */
	CU_ASSERT(sent_a[0] >= 2 && sent_a[0] <= 3);
	/* a silent partner is removed after the long timeout (90 s), not before 60 s */
	cut_ba[0] = true;
	t = run_until(a0_not_distributing, 120000);
	CU_ASSERT(t >= 60000 && t <= 90000 + STEP_MS);
}

/* ---- distribution ---- */

static uint32_t
flow_hash(unsigned int f)
{
	uint8_t fr[64];

	memset(fr, 0, sizeof(fr));
	memcpy(fr, "\x00\xc1\xab\x00\x00\x21\x00\xc1\xab\x00\x00\x11\x08\x00", 14);
	fr[14] = 0x45;
	fr[23] = 17;
	fr[26] = 198; fr[27] = 18; fr[28] = (uint8_t)(f >> 8); fr[29] = (uint8_t)f;
	fr[30] = 198; fr[31] = 19; fr[32] = 0; fr[33] = 1;
	fr[34] = (uint8_t)((1024 + f * 7) >> 8); fr[35] = (uint8_t)(1024 + f * 7);
	fr[36] = 0x13; fr[37] = 0x89;
	return evf_hash_mix(evf_flow_hash(fr, sizeof(fr), EVF_HASH_L34)) & (EVF_LAG_BUCKETS - 1);
}

static void
spread(const uint8_t *table, unsigned int *count)
{
	memset(count, 0, sizeof(unsigned int) * EVF_LACP_MAX_MEMBERS);
	for (unsigned int f = 0; f < 1000; f++)
		count[table[flow_hash(f)]]++;
}

static void
test_buckets_spread(void)
{
	uint8_t table[EVF_LAG_BUCKETS];
	unsigned int c[EVF_LACP_MAX_MEMBERS];

	memset(table, 0xff, sizeof(table));
	CU_ASSERT_EQUAL(evf_lag_buckets_update(table, 0x3), EVF_LAG_BUCKETS);
	spread(table, c);
	CU_ASSERT(c[0] >= 400 && c[0] <= 600);
	CU_ASSERT(c[1] >= 400 && c[1] <= 600);
	CU_ASSERT_EQUAL(c[0] + c[1], 1000);

	memset(table, 0xff, sizeof(table));
	evf_lag_buckets_update(table, 0xf);
	spread(table, c);
	for (int m = 0; m < 4; m++)
		CU_ASSERT(c[m] >= 150 && c[m] <= 350);
	/* the bucket shares themselves are exact */
	memset(c, 0, sizeof(c));
	for (int b = 0; b < EVF_LAG_BUCKETS; b++)
		c[table[b]]++;
	for (int m = 0; m < 4; m++)
		CU_ASSERT_EQUAL(c[m], 64);
}

static void
test_buckets_stability(void)
{
	uint8_t table[EVF_LAG_BUCKETS], before[EVF_LAG_BUCKETS];
	unsigned int moved, c[EVF_LACP_MAX_MEMBERS];

	memset(table, 0xff, sizeof(table));
	evf_lag_buckets_update(table, 0xf);
	memcpy(before, table, sizeof(table));
	/* member 2 leaves: exactly its 64 buckets move, to the three others */
	moved = evf_lag_buckets_update(table, 0xb);
	CU_ASSERT_EQUAL(moved, 64);
	for (int b = 0; b < EVF_LAG_BUCKETS; b++) {
		if (before[b] != 2) {
			CU_ASSERT_EQUAL(table[b], before[b]);
		} else {
			CU_ASSERT(table[b] != 2 && table[b] < 4);
		}
	}
	for (unsigned int f = 0; f < 1000; f++)
		if (before[flow_hash(f)] != 2)
			CU_ASSERT_EQUAL(table[flow_hash(f)], before[flow_hash(f)]);
	memset(c, 0, sizeof(c));
	for (int b = 0; b < EVF_LAG_BUCKETS; b++)
		c[table[b]]++;
	CU_ASSERT(c[0] >= 85 && c[0] <= 86 && c[1] >= 85 && c[1] <= 86 && c[3] >= 85 && c[3] <= 86);
	/* member 2 comes back: only buckets that go to it move */
	memcpy(before, table, sizeof(table));
	moved = evf_lag_buckets_update(table, 0xf);
	CU_ASSERT_EQUAL(moved, 64);
	for (int b = 0; b < EVF_LAG_BUCKETS; b++)
		if (table[b] != before[b])
			CU_ASSERT_EQUAL(table[b], 2);
	/* nothing distributes: every bucket empty */
	CU_ASSERT_EQUAL(evf_lag_buckets_update(table, 0), EVF_LAG_BUCKETS);
	for (int b = 0; b < EVF_LAG_BUCKETS; b++)
		CU_ASSERT_EQUAL(table[b], 0xff);
	/* no change, no move */
	evf_lag_buckets_update(table, 0x3);
	CU_ASSERT_EQUAL(evf_lag_buckets_update(table, 0x3), 0);
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "LACPDU layout and round trip", test_pdu_layout },
		{ "illegal and unknown slow-protocol PDUs", test_pdu_illegal },
		{ "Marker answered with a Marker Response", test_marker },
		{ "convergence to collecting and distributing", test_converge },
		{ "transmit rate limit", test_rate_limit },
		{ "partner timeout and recovery", test_partner_timeout },
		{ "link down removes the member at once", test_link_down },
		{ "recovery after a long loss of PDUs (fast interval)", test_long_loss_recovery },
		{ "min-links: the remaining members wait on standby", test_min_links },
		{ "partner change on one member", test_partner_change },
		{ "partner out of sync", test_out_of_sync },
		{ "passive and active", test_passive },
		{ "slow interval and long timeout", test_slow_interval },
		{ "hash spread over 2 and 4 members", test_buckets_spread },
		{ "only the flows of a removed or returning member move", test_buckets_stability },
	};

	(void)argc;
	(void)argv;
	return evft_run("lacp", cases, RTE_DIM(cases), NULL, NULL);
}
