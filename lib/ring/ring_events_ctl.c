/* ring_events_ctl.c: evfwd as producer of the events ring (control thread).
 *
 * Live events are written when they are emitted; while the ring is full they
 * wait in a backlog, in order. A state dump (a new control-plane instance
 * asked for one) is written between DUMP_BEGIN and DUMP_END records, a step
 * at a time as the consumer frees room, after every event emitted before the
 * request and before every event emitted since: what the consumer applies in
 * ring order ends on the current state. The producer index is evfwd's own;
 * only the consumer index is read from the object, and one out of range
 * means "no room". */
#include <string.h>

#include "evf_common.h"
#include "ring_private.h"

#define R evf_ring_st

static uint8_t
event_rec_type(uint8_t t)
{
	switch (t) {
	case EVF_EV_MAC_LEARNED: return EVF_REC_EV_MAC_LEARNED;
	case EVF_EV_MAC_AGED: return EVF_REC_EV_MAC_AGED;
	case EVF_EV_MAC_MOVED: return EVF_REC_EV_MAC_MOVED;
	case EVF_EV_MAC_FROZEN: return EVF_REC_EV_MAC_FROZEN;
	case EVF_EV_MAC_UNFROZEN: return EVF_REC_EV_MAC_UNFROZEN;
	case EVF_EV_ES_UP: return EVF_REC_EV_ES_UP;
	case EVF_EV_ES_DOWN: return EVF_REC_EV_ES_DOWN;
	case EVF_EV_DF_CHANGE: return EVF_REC_EV_DF_CHANGE;
	case EVF_EV_NODE: return EVF_REC_EV_NODE;
	case EVF_EV_BD: return EVF_REC_EV_BD;
	case EVF_EV_ES_BD: return EVF_REC_EV_ES_BD;
	case EVF_EV_MACIP_LEARNED: return EVF_REC_EV_MACIP_LEARNED;
	case EVF_EV_MACIP_AGED: return EVF_REC_EV_MACIP_AGED;
	default: return 0; /* not for the control plane */
	}
}

static void
encode_ip(const struct evf_ip *ip, uint8_t *af, uint8_t *b)
{
	if (ip->family == AF_INET) {
		*af = EVF_REC_AF_IPV4;
		memcpy(b, &ip->v4, 4);
	} else if (ip->family == AF_INET6) {
		*af = EVF_REC_AF_IPV6;
		memcpy(b, ip->v6, 16);
	}
}

/* The record of an event (not sealed); false for events the ring does not carry. */
static bool
event_to_rec(const struct evf_event *ev, struct evf_ring_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->type = event_rec_type(ev->type);
	if (rec->type == 0)
		return false;
	rec->vni = ev->vni;
	rec->evi = ev->evi;
	rec->seq = ev->mob_seq;
	memcpy(rec->esi, ev->esi.b, sizeof(rec->esi));
	memcpy(rec->mac, ev->mac.addr_bytes, sizeof(rec->mac));
	rec->attach = ev->attach;
	rec->df_alg = ev->df_alg;
	rec->df_pref = ev->pref;
	switch (ev->type) {
	case EVF_EV_DF_CHANGE:
	case EVF_EV_ES_BD:
		rec->flags = ev->flag ? EVF_REC_F_DF : 0;
		break;
	case EVF_EV_ES_UP:
	case EVF_EV_ES_DOWN:
		rec->flags = (ev->type == EVF_EV_ES_UP && ev->flag ? EVF_REC_F_DONT_PREEMPT : 0) |
			(ev->single_active ? EVF_REC_F_SINGLE_ACTIVE : 0);
		break;
	case EVF_EV_NODE:
		encode_ip(&ev->vtep4, &rec->vtep_af, rec->vtep);
		encode_ip(&ev->vtep6, &rec->ip_af, rec->ip);
		break;
	case EVF_EV_MACIP_LEARNED:
	case EVF_EV_MACIP_AGED:
		encode_ip(&ev->ip, &rec->ip_af, rec->ip);
		rec->flags = (ev->sticky ? EVF_REC_F_STICKY : 0) |
			(ev->nd_flags & EVF_EV_ND_ROUTER ? EVF_REC_F_ND_ROUTER : 0);
		break;
	default:
		rec->flags = ev->sticky ? EVF_REC_F_STICKY : 0;
		break;
	}
	rec->ts_ns = evf_ring_mono_ns();
	rec->ev_seq = ev->seq;
	return true;
}

/* Free slots of the events ring; 0 when the consumer index is out of range. */
static uint64_t
event_room(void)
{
	uint64_t c = atomic_load_explicit(&R.hdr->idx[EVF_RING_EVENTS].cons_idx,
		memory_order_acquire);
	uint64_t used = R.ev_prod - c, count = R.desc[EVF_RING_EVENTS].count;

	return used <= count ? count - used : 0;
}

/* Write one record if the events ring has room. */
static bool
event_write(const struct evf_ring_rec *rec)
{
	struct evf_ring_rec *slot;

	if (event_room() == 0)
		return false;
	slot = evf_ring_slot_of(EVF_RING_EVENTS, R.ev_prod);
	memcpy(slot, rec, sizeof(*rec));
	evf_ring_rec_seal(slot, R.ev_prod);
	R.ev_prod++;
	atomic_store_explicit(&R.hdr->idx[EVF_RING_EVENTS].prod_idx, R.ev_prod,
			      memory_order_release);
	evf_ring_counters.events_out++;
	return true;
}

static bool
backlog_write_one(void)
{
	if (R.backlog_len == 0 || !event_write(&R.backlog[R.backlog_head]))
		return false;
	R.backlog_head = (R.backlog_head + 1) % RING_EVENT_BACKLOG;
	R.backlog_len--;
	return true;
}

static void
backlog_push(const struct evf_ring_rec *rec)
{
	R.backlog[(R.backlog_head + R.backlog_len) % RING_EVENT_BACKLOG] = *rec;
	R.backlog_len++;
	evf_ring_counters.events_backlog = R.backlog_len;
	if (R.backlog_len > evf_ring_counters.events_backlog_max)
		evf_ring_counters.events_backlog_max = R.backlog_len;
}

static bool
event_sink(const struct evf_event *ev)
{
	struct evf_ring_rec rec;

	if (!event_to_rec(ev, &rec))
		return true;
	/* In order: nothing overtakes events already held, nor a running dump. */
	if (!R.dumping) {
		while (backlog_write_one())
			;
		evf_ring_counters.events_backlog = R.backlog_len;
		if (R.backlog_len == 0 && event_write(&rec))
			return true;
	}
	if (R.backlog_len == RING_EVENT_BACKLOG) {
		evf_ring_counters.events_lost++;
		return false;
	}
	backlog_push(&rec);
	return true;
}

/* ---- state dump ---- */

static bool
dump_marker(uint8_t type)
{
	struct evf_ring_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.type = type;
	rec.flags = EVF_REC_F_DUMP;
	rec.epoch = R.dump_epoch;
	rec.attach = EVF_INVALID_ID;
	/* both markers: the dump reflects every event up to this number (later
	 * ones come after DUMP_END) */
	rec.ev_seq = R.dump_seq;
	rec.ts_ns = evf_ring_mono_ns();
	return event_write(&rec);
}

/* A dump source's event: written at once (the step's budget is the room). */
static void
dump_put(const struct evf_event *ev)
{
	struct evf_ring_rec rec;

	if (!event_to_rec(ev, &rec))
		return;
	rec.flags |= EVF_REC_F_DUMP;
	rec.ev_seq = 0;
	if (event_write(&rec))
		evf_ring_counters.dump_records++;
	else
		evf_ring_counters.events_lost++; /* the consumer moved its index under us */
}

void
evf_ring_dump_request(uint64_t epoch)
{
	if (epoch == 0 || epoch == R.dump_epoch)
		return;
	/* A dump still running is abandoned: its consumer is gone. */
	R.dumping = true;
	R.dump_begun = false;
	R.dump_parts_done = false;
	R.dump_epoch = epoch;
	R.dump_ahead = R.backlog_len;
	memset(&R.dump_pos, 0, sizeof(R.dump_pos));
	evf_ring_counters.dumps++;
	EVF_LOG(INFO, "control ring: dumping local state for epoch %#lx", (unsigned long)epoch);
}

static unsigned int
dump_step(void)
{
	unsigned int n = 0;
	uint64_t room;

	if (!R.dump_begun) {
		R.dump_seq = evf_event_count();
		if (!dump_marker(EVF_REC_EV_DUMP_BEGIN))
			return 0;
		R.dump_begun = true;
		n++;
	}
	room = event_room();
	if (!R.dump_parts_done && room > 0) {
		uint64_t before = evf_ring_counters.dump_records;

		R.dump_parts_done = evf_event_dump_step(&R.dump_pos,
			(unsigned int)RTE_MIN(room, (uint64_t)RING_DUMP_STEP));
		n += (unsigned int)(evf_ring_counters.dump_records - before);
	}
	if (R.dump_parts_done && dump_marker(EVF_REC_EV_DUMP_END)) {
		R.dumping = false;
		n++;
	}
	return n;
}

unsigned int
evf_ring_events_flush(void)
{
	unsigned int n = 0;

	while (R.dump_ahead > 0 && backlog_write_one()) {
		R.dump_ahead--;
		n++;
	}
	if (R.dump_ahead == 0 && R.dumping)
		n += dump_step();
	if (!R.dumping)
		while (backlog_write_one())
			n++;
	evf_ring_counters.events_backlog = R.backlog_len;
	return n;
}

void
evf_ring_events_reset(void)
{
	/* Held events were for the old object's consumer: a new consumer asks
	 * for a dump, which reflects them. */
	R.backlog_head = 0;
	R.backlog_len = 0;
	evf_ring_counters.events_backlog = 0;
	R.dumping = false;
	R.dump_begun = false;
	R.dump_parts_done = false;
	R.dump_ahead = 0;
	memset(&R.dump_pos, 0, sizeof(R.dump_pos));
}

void
evf_ring_events_start(void)
{
	evf_event_set_sink(event_sink);
	evf_event_set_dump_sink(dump_put);
}

void
evf_ring_events_stop(void)
{
	evf_event_set_sink(NULL);
	evf_event_set_dump_sink(NULL);
}
