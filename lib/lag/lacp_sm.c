/* lacp_sm.c: the 802.1AX-2014 machines of a LAG's members (control thread):
 * receive (6.4.12), periodic transmission (6.4.13), selection logic with one
 * aggregator per LAG (6.4.14), mux with independent collecting and
 * distributing (6.4.15, figure 6-21) and the transmit rate limit (6.4.16).
 *
 * Deviations, deliberate: a member whose partner is defaulted (no LACPDU
 * seen) is not selected, so a silent link can never bind the aggregator to
 * the default partner and lock out the real one; a disabled member is
 * unselected at once. Both only make a member leave earlier or join later.
 * While its partner info has expired, a member tells the partner it is out
 * of sync (at once): a partner that only looks at Sync (Open vSwitch, Linux
 * bonding) then stops sending on a link we no longer collect from, instead
 * of until we default 3 s later. With the fast interval the default partner
 * asks for fast PDUs too, so a link whose PDUs were lost recovers within
 * seconds rather than at the next 30 s slow PDU. min-links uses the
 * standard's STANDBY selection: below it, every member that could aggregate
 * waits out of sync, so the partner stops sending on a LAG that is down. */
#include <string.h>

#include "evf_lacp.h"

#define ID_STATE_BITS (EVF_LACP_ST_ACTIVITY | EVF_LACP_ST_TIMEOUT | EVF_LACP_ST_AGGREGATION | \
		       EVF_LACP_ST_SYNC)

static const char *const rx_names[] = {
	[EVF_LACP_RX_INITIALIZE] = "initialize",
	[EVF_LACP_RX_PORT_DISABLED] = "port-disabled",
	[EVF_LACP_RX_EXPIRED] = "expired",
	[EVF_LACP_RX_DEFAULTED] = "defaulted",
	[EVF_LACP_RX_CURRENT] = "current",
};

static const char *const mux_names[] = {
	[EVF_LACP_MUX_DETACHED] = "detached",
	[EVF_LACP_MUX_WAITING] = "waiting",
	[EVF_LACP_MUX_ATTACHED] = "attached",
	[EVF_LACP_MUX_COLLECTING] = "collecting",
	[EVF_LACP_MUX_DISTRIBUTING] = "distributing",
};

const char *
evf_lacp_rx_state_name(uint8_t s)
{
	return s <= EVF_LACP_RX_CURRENT ? rx_names[s] : "?";
}

const char *
evf_lacp_mux_state_name(uint8_t s)
{
	return s <= EVF_LACP_MUX_DISTRIBUTING ? mux_names[s] : "?";
}

/* Same port identity (system, key, port) and aggregation capability. */
static bool
same_port_id(const struct evf_lacp_info *a, const struct evf_lacp_info *b)
{
	return a->sys_prio == b->sys_prio && memcmp(a->sys, b->sys, 6) == 0 && a->key == b->key &&
		a->port_prio == b->port_prio && a->port == b->port &&
		((a->state ^ b->state) & EVF_LACP_ST_AGGREGATION) == 0;
}

static void
set_bits(uint8_t *state, uint8_t bits, bool on)
{
	*state = on ? (uint8_t)(*state | bits) : (uint8_t)(*state & ~bits);
}

void
evf_lacp_port_init(struct evf_lacp_port *p, const struct evf_lacp_info *actor, bool active,
		   bool fast)
{
	memset(p, 0, sizeof(*p));
	p->actor = *actor;
	p->active = active;
	p->fast = fast;
	p->actor.state = EVF_LACP_ST_AGGREGATION;
	set_bits(&p->actor.state, EVF_LACP_ST_ACTIVITY, active);
	set_bits(&p->actor.state, EVF_LACP_ST_TIMEOUT, fast);
	/* The default partner: aggregatable, passive, not in sync; our interval. */
	p->partner_admin.state = EVF_LACP_ST_AGGREGATION;
	set_bits(&p->partner_admin.state, EVF_LACP_ST_TIMEOUT, fast);
	p->rx_state = EVF_LACP_RX_INITIALIZE;
	p->mux_state = EVF_LACP_MUX_DETACHED;
	p->selected = EVF_LACP_UNSELECTED;
	p->periodic = EVF_LACP_NO_PERIODIC;
}

/* ---- receive machine ---- */

static void
record_default(struct evf_lacp_port *p)
{
	p->partner = p->partner_admin;
	p->actor.state |= EVF_LACP_ST_DEFAULTED;
}

static void
rx_enter(struct evf_lacp_port *p, uint8_t state, uint64_t now)
{
	p->rx_state = state;
	switch (state) {
	case EVF_LACP_RX_PORT_DISABLED:
		p->partner.state &= (uint8_t)~EVF_LACP_ST_SYNC;
		p->current_while_at = 0;
		p->selected = EVF_LACP_UNSELECTED;
		break;
	case EVF_LACP_RX_EXPIRED:
		/* keep the partner, but it is no longer in sync; ask for fast PDUs */
		p->partner.state &= (uint8_t)~EVF_LACP_ST_SYNC;
		p->partner.state |= EVF_LACP_ST_TIMEOUT;
		p->current_while_at = now + EVF_LACP_SHORT_TIMEOUT_MS;
		p->actor.state |= EVF_LACP_ST_EXPIRED;
		p->ntt = true; /* out of sync from now on (evf_lacp_tx_take) */
		break;
	case EVF_LACP_RX_DEFAULTED:
		/* update_Default_Selected: the admin partner differs -> unselected */
		if (!same_port_id(&p->partner, &p->partner_admin))
			p->selected = EVF_LACP_UNSELECTED;
		record_default(p);
		p->actor.state &= (uint8_t)~EVF_LACP_ST_EXPIRED;
		p->current_while_at = 0;
		break;
	default:
		break;
	}
}

static bool
rx_step(struct evf_lacp_port *p, uint64_t now)
{
	uint8_t before = p->rx_state;

	if (p->rx_state == EVF_LACP_RX_INITIALIZE) {
		p->selected = EVF_LACP_UNSELECTED;
		record_default(p);
		p->actor.state &= (uint8_t)~EVF_LACP_ST_EXPIRED;
		rx_enter(p, EVF_LACP_RX_PORT_DISABLED, now);
	}
	if (!p->port_enabled) {
		if (p->rx_state != EVF_LACP_RX_PORT_DISABLED)
			rx_enter(p, EVF_LACP_RX_PORT_DISABLED, now);
		return p->rx_state != before;
	}
	switch (p->rx_state) {
	case EVF_LACP_RX_PORT_DISABLED:
		rx_enter(p, EVF_LACP_RX_EXPIRED, now);
		break;
	case EVF_LACP_RX_EXPIRED:
		if (now >= p->current_while_at)
			rx_enter(p, EVF_LACP_RX_DEFAULTED, now);
		break;
	case EVF_LACP_RX_CURRENT:
		if (now >= p->current_while_at) {
			p->c.timeouts++;
			rx_enter(p, EVF_LACP_RX_EXPIRED, now);
		}
		break;
	default:
		break;
	}
	return p->rx_state != before;
}

void
evf_lacp_rx(struct evf_lacp_lag *lag, unsigned int i, const struct evf_lacp_pdu *pdu,
	    uint64_t now)
{
	struct evf_lacp_port *p = &lag->port[i];
	const struct evf_lacp_info *a = &pdu->actor, *b = &pdu->partner;
	bool match, sync, active_ok;

	p->c.lacpdu_in++;
	evf_lacp_run(lag, now); /* timers first: a PDU after a timeout starts from EXPIRED */
	if (!p->port_enabled)
		return;
	/* update_Selected: another partner (or port of it) than the recorded one */
	if (!same_port_id(a, &p->partner)) {
		if (!(p->actor.state & EVF_LACP_ST_DEFAULTED))
			p->c.partner_changes++;
		p->selected = EVF_LACP_UNSELECTED;
	}
	/* update_NTT: the partner's view of us is out of date */
	if (!same_port_id(b, &p->actor) || ((b->state ^ p->actor.state) & ID_STATE_BITS) != 0)
		p->ntt = true;
	/* recordPDU */
	match = b->port == p->actor.port && b->port_prio == p->actor.port_prio &&
		memcmp(b->sys, p->actor.sys, 6) == 0 && b->sys_prio == p->actor.sys_prio &&
		b->key == p->actor.key &&
		((b->state ^ p->actor.state) & EVF_LACP_ST_AGGREGATION) == 0;
	sync = (match && (a->state & EVF_LACP_ST_SYNC)) ||
		(!(a->state & EVF_LACP_ST_AGGREGATION) && (a->state & EVF_LACP_ST_SYNC));
	active_ok = (a->state & EVF_LACP_ST_ACTIVITY) ||
		((p->actor.state & EVF_LACP_ST_ACTIVITY) && (b->state & EVF_LACP_ST_ACTIVITY));
	p->partner = *a;
	set_bits(&p->partner.state, EVF_LACP_ST_SYNC, sync && active_ok);
	p->actor.state &= (uint8_t)~(EVF_LACP_ST_DEFAULTED | EVF_LACP_ST_EXPIRED);
	p->current_while_at = now + ((p->actor.state & EVF_LACP_ST_TIMEOUT) ?
		EVF_LACP_SHORT_TIMEOUT_MS : EVF_LACP_LONG_TIMEOUT_MS);
	p->rx_state = EVF_LACP_RX_CURRENT;
	evf_lacp_run(lag, now);
}

void
evf_lacp_set_enabled(struct evf_lacp_lag *lag, unsigned int i, bool enabled, uint64_t now)
{
	if (lag->port[i].port_enabled == enabled)
		return;
	lag->port[i].port_enabled = enabled;
	evf_lacp_run(lag, now);
}

/* ---- selection logic: one aggregator, one partner ---- */

/* min-links: while fewer members than that can join the aggregator, every one
 * of them waits on standby (mux WAITING, out of sync towards the partner), so
 * that the partner stops sending on a LAG that is down; they are selected
 * again together once enough can join. */
static bool
apply_min_links(struct evf_lacp_lag *lag)
{
	unsigned int candidates = 0;
	uint8_t from, to;
	bool changed = false;

	for (unsigned int i = 0; i < lag->nb_ports; i++)
		candidates += lag->port[i].selected != EVF_LACP_UNSELECTED;
	if (candidates < lag->min_links) {
		from = EVF_LACP_SELECTED;
		to = EVF_LACP_STANDBY;
	} else {
		from = EVF_LACP_STANDBY;
		to = EVF_LACP_SELECTED;
	}
	for (unsigned int i = 0; i < lag->nb_ports; i++)
		if (lag->port[i].selected == from) {
			lag->port[i].selected = to;
			changed = true;
		}
	return changed;
}

static bool
selection(struct evf_lacp_lag *lag)
{
	bool changed = false, any = false;

	for (unsigned int i = 0; i < lag->nb_ports; i++)
		any |= lag->port[i].selected != EVF_LACP_UNSELECTED;
	if (!any && lag->agg_bound) {
		lag->agg_bound = false;
		changed = true;
	}
	for (unsigned int i = 0; i < lag->nb_ports; i++) {
		struct evf_lacp_port *p = &lag->port[i];
		bool individual = !(p->partner.state & EVF_LACP_ST_AGGREGATION);

		if (p->selected != EVF_LACP_UNSELECTED || !p->port_enabled ||
		    p->rx_state != EVF_LACP_RX_CURRENT || p->mux_state != EVF_LACP_MUX_DETACHED)
			continue;
		if (!lag->agg_bound) {
			lag->agg_bound = true;
			lag->agg_individual = individual;
			lag->agg_partner_sys_prio = p->partner.sys_prio;
			lag->agg_partner_key = p->partner.key;
			memcpy(lag->agg_partner_sys, p->partner.sys, 6);
		} else if (individual || lag->agg_individual ||
			   p->partner.sys_prio != lag->agg_partner_sys_prio ||
			   p->partner.key != lag->agg_partner_key ||
			   memcmp(p->partner.sys, lag->agg_partner_sys, 6) != 0) {
			continue; /* another partner: stays unselected */
		}
		p->selected = EVF_LACP_SELECTED;
		changed = true;
	}
	return apply_min_links(lag) || changed;
}

/* ---- mux machine (independent control) ---- */

static void
mux_enter(struct evf_lacp_port *p, uint8_t state, uint64_t now)
{
	p->mux_state = state;
	p->changed_at = now;
	switch (state) {
	case EVF_LACP_MUX_DETACHED:
		p->actor.state &= (uint8_t)~(EVF_LACP_ST_SYNC | EVF_LACP_ST_COLLECTING |
			EVF_LACP_ST_DISTRIBUTING);
		p->ntt = true;
		break;
	case EVF_LACP_MUX_WAITING:
		p->wait_while_at = now + EVF_LACP_AGGREGATE_WAIT_MS;
		break;
	case EVF_LACP_MUX_ATTACHED:
		p->actor.state |= EVF_LACP_ST_SYNC;
		p->actor.state &= (uint8_t)~(EVF_LACP_ST_COLLECTING | EVF_LACP_ST_DISTRIBUTING);
		p->ntt = true;
		break;
	case EVF_LACP_MUX_COLLECTING:
		p->actor.state |= EVF_LACP_ST_COLLECTING;
		p->actor.state &= (uint8_t)~EVF_LACP_ST_DISTRIBUTING;
		p->ntt = true;
		break;
	case EVF_LACP_MUX_DISTRIBUTING:
		p->actor.state |= EVF_LACP_ST_DISTRIBUTING;
		p->ntt = true; /* not required by the standard; tells the partner at once */
		break;
	}
}

/* Ready: every selected member waiting for the aggregator has waited long enough. */
static bool
ready(const struct evf_lacp_lag *lag, uint64_t now)
{
	for (unsigned int i = 0; i < lag->nb_ports; i++) {
		const struct evf_lacp_port *p = &lag->port[i];

		if (p->selected == EVF_LACP_SELECTED && p->mux_state == EVF_LACP_MUX_WAITING &&
		    now < p->wait_while_at)
			return false;
	}
	return true;
}

static bool
mux_step(struct evf_lacp_lag *lag, struct evf_lacp_port *p, uint64_t now)
{
	bool sel = p->selected == EVF_LACP_SELECTED;
	bool psync = (p->partner.state & EVF_LACP_ST_SYNC) != 0;
	bool pcoll = (p->partner.state & EVF_LACP_ST_COLLECTING) != 0;
	uint8_t before = p->mux_state;

	switch (p->mux_state) {
	case EVF_LACP_MUX_DETACHED:
		if (p->selected != EVF_LACP_UNSELECTED)
			mux_enter(p, EVF_LACP_MUX_WAITING, now);
		break;
	case EVF_LACP_MUX_WAITING:
		if (p->selected == EVF_LACP_UNSELECTED)
			mux_enter(p, EVF_LACP_MUX_DETACHED, now);
		else if (p->selected == EVF_LACP_STANDBY)
			break; /* waits on standby, out of sync */
		else if (ready(lag, now))
			mux_enter(p, EVF_LACP_MUX_ATTACHED, now);
		break;
	case EVF_LACP_MUX_ATTACHED:
		if (!sel)
			mux_enter(p, EVF_LACP_MUX_DETACHED, now);
		else if (psync)
			mux_enter(p, EVF_LACP_MUX_COLLECTING, now);
		break;
	case EVF_LACP_MUX_COLLECTING:
		if (!sel || !psync)
			mux_enter(p, EVF_LACP_MUX_ATTACHED, now);
		else if (pcoll)
			mux_enter(p, EVF_LACP_MUX_DISTRIBUTING, now);
		break;
	case EVF_LACP_MUX_DISTRIBUTING:
		if (!sel || !psync || !pcoll)
			mux_enter(p, EVF_LACP_MUX_COLLECTING, now);
		break;
	}
	return p->mux_state != before;
}

/* ---- periodic transmission machine ---- */

static void
periodic_step(struct evf_lacp_port *p, uint64_t now)
{
	uint8_t want;

	if (!p->port_enabled || (!p->active && !(p->partner.state & EVF_LACP_ST_ACTIVITY)))
		want = EVF_LACP_NO_PERIODIC;
	else if (p->partner.state & EVF_LACP_ST_TIMEOUT)
		want = EVF_LACP_FAST_PERIODIC;
	else
		want = EVF_LACP_SLOW_PERIODIC;
	if (want != p->periodic) {
		uint8_t was = p->periodic;

		p->periodic = want;
		if (want == EVF_LACP_NO_PERIODIC) {
			p->periodic_at = 0;
			p->ntt = false;
			return;
		}
		/* starting, or the partner asked for fast PDUs: send now */
		if (was == EVF_LACP_NO_PERIODIC || want == EVF_LACP_FAST_PERIODIC)
			p->ntt = true;
		p->periodic_at = now + (want == EVF_LACP_FAST_PERIODIC ?
			EVF_LACP_FAST_PERIODIC_MS : EVF_LACP_SLOW_PERIODIC_MS);
		return;
	}
	if (want != EVF_LACP_NO_PERIODIC && now >= p->periodic_at) {
		p->ntt = true;
		p->periodic_at = now + (want == EVF_LACP_FAST_PERIODIC ?
			EVF_LACP_FAST_PERIODIC_MS : EVF_LACP_SLOW_PERIODIC_MS);
	}
}

void
evf_lacp_run(struct evf_lacp_lag *lag, uint64_t now)
{
	/* Each pass can only move machines forward on a finite graph; a handful
	 * of passes reach the fixed point (the bound is a guard). */
	for (int pass = 0; pass < 16; pass++) {
		bool changed = false;

		for (unsigned int i = 0; i < lag->nb_ports; i++)
			changed |= rx_step(&lag->port[i], now);
		changed |= selection(lag);
		for (unsigned int i = 0; i < lag->nb_ports; i++)
			changed |= mux_step(lag, &lag->port[i], now);
		if (!changed)
			break;
	}
	for (unsigned int i = 0; i < lag->nb_ports; i++)
		periodic_step(&lag->port[i], now);
}

/* ---- transmit machine ---- */

bool
evf_lacp_tx_take(struct evf_lacp_lag *lag, unsigned int i, uint64_t now,
		 struct evf_lacp_pdu *pdu)
{
	struct evf_lacp_port *p = &lag->port[i];
	unsigned int oldest = 0, recent = 0;

	if (!p->ntt)
		return false;
	if (p->periodic == EVF_LACP_NO_PERIODIC) {
		p->ntt = false;
		return false;
	}
	for (unsigned int k = 0; k < EVF_LACP_TX_PER_SECOND; k++) {
		if (p->tx_times[k] != 0 && now < p->tx_times[k] + EVF_LACP_FAST_PERIODIC_MS)
			recent++;
		if (p->tx_times[k] < p->tx_times[oldest])
			oldest = k;
	}
	if (recent >= EVF_LACP_TX_PER_SECOND)
		return false; /* NTT stays set: sent when the window allows */
	p->tx_times[oldest] = now ? now : 1;
	memset(pdu, 0, sizeof(*pdu));
	pdu->version = 1;
	pdu->actor = p->actor;
	pdu->partner = p->partner;
	if (p->rx_state == EVF_LACP_RX_EXPIRED)
		pdu->actor.state &= (uint8_t)~(EVF_LACP_ST_SYNC | EVF_LACP_ST_COLLECTING |
			EVF_LACP_ST_DISTRIBUTING);
	p->ntt = false;
	p->c.lacpdu_out++;
	return true;
}
