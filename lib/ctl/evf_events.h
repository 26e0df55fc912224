/* evf_events.h: what evfwd tells the control plane (control thread).
 *
 * Local MACs learned, aged, moved; duplicate MACs frozen; Ethernet Segment
 * and DF state changes. A BGP speaker needs them to advertise RT2 for local
 * MACs (with the segment's ESI and the mobility sequence) and RT4 for local
 * segments. Events are kept in a bounded in-memory log (the shell's
 * "show events") and handed to an optional sink (the reverse shared-memory
 * ring). Emitting never blocks: when the sink is full the event is counted as
 * lost and stays in the log. */
#ifndef EVF_EVENTS_H
#define EVF_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#include "evf_addr.h"

enum evf_event_type {
	EVF_EV_MAC_LEARNED = 1, /**< new local MAC (RT2 to advertise) */
	EVF_EV_MAC_AGED,        /**< local MAC gone (RT2 to withdraw) */
	EVF_EV_MAC_MOVED,       /**< moved: to a local attachment (attach set; re-advertise with the new
	                             sequence) or away to a remote PE (attach none; withdraw ours) */
	EVF_EV_MAC_FROZEN,      /**< duplicate detection froze the MAC */
	EVF_EV_MAC_UNFROZEN,
	EVF_EV_ES_UP,           /**< local segment active: advertise RT4 (+ RT1) with these DF parameters */
	EVF_EV_ES_DOWN,         /**< local segment down: withdraw RT4 and RT1 */
	EVF_EV_DF_CHANGE,       /**< we became (or stopped being) DF for <segment, MAC-VRF> */
	EVF_EV_MACIP_LEARNED,   /**< a local MAC/IP binding, or one of our IRB's own (RT2 MAC+IP to advertise) */
	EVF_EV_MACIP_AGED,      /**< a local MAC/IP binding gone (RT2 MAC+IP to withdraw) */
	/* Only in state dumps (evf_event_dump_put): */
	EVF_EV_NODE,            /**< our VTEP addresses (vtep4, vtep6) */
	EVF_EV_BD,              /**< a MAC-VRF (vni, evi) */
	EVF_EV_ES_BD,           /**< a local segment (esi) is in a MAC-VRF (vni); flag: we are DF */
};

struct evf_event {
	uint64_t seq;           /**< event number since start */
	uint32_t time;          /**< evf_now_sec */
	uint8_t type;           /**< enum evf_event_type */
	uint8_t flag;           /**< DF_CHANGE, ES_BD: 1 = DF; ES_UP: Don't-Preempt */
	uint8_t df_alg;         /**< ES_UP */
	uint8_t single_active;  /**< ES_UP, ES_DOWN: the segment's mode */
	uint8_t sticky;         /**< MAC events: a static MAC (advertised sticky) */
	uint16_t pref;          /**< ES_UP: preference advertised */
	uint16_t attach;        /**< MAC events: attachment, EVF_INVALID_ID if none */
	uint32_t vni;           /**< MAC and DF events */
	uint32_t mob_seq;       /**< MAC events: MAC mobility sequence */
	struct rte_ether_addr mac;
	struct evf_esi esi;     /**< segment (MAC on a segment, ES and DF events); zero if none */
	uint32_t evi;           /**< BD */
	struct evf_ip vtep4;    /**< NODE: our IPv4 VTEP (family 0 when none) */
	struct evf_ip vtep6;    /**< NODE: our IPv6 VTEP */
	struct evf_ip ip;       /**< MACIP events: the address */
	uint8_t nd_flags;       /**< MACIP events: EVF_EV_ND_ROUTER (RFC 9047 R flag) */
};

#define EVF_EV_ND_ROUTER 0x01   /**< = EVF_ND_F_ROUTER of lib/nd */

typedef bool (*evf_event_sink)(const struct evf_event *ev); /* false: no room */

void evf_event_set_sink(evf_event_sink sink);
void evf_event_emit(struct evf_event *ev);
/** Events emitted, and lost by the sink. */
uint64_t evf_event_count(void);
uint64_t evf_event_lost(void);
/** The last n events, oldest first (control thread). */
void evf_event_print(FILE *out, unsigned int n);
/** The event numbered seq (1..evf_event_count()) while the log still holds
 *  it: 0, or -ENOENT (control thread). */
int evf_event_get(uint64_t seq, struct evf_event *ev);
/** How many of the last events the log holds at most. */
#define EVF_EVENT_LOG_SIZE 1024
const char *evf_event_name(uint8_t type);

/* ---- state dump ----
 * On request (a new control-plane instance) the sink receives the whole local
 * state as events: node, MAC-VRFs, local segments, their MAC-VRFs, local MACs.
 * Each room registers a source for its part; the sink's owner runs the dump a
 * step at a time, as room in the sink allows. Dumped events get no number and
 * are not logged. */

/** Emit up to budget events from *cursor (0 at the start) through
 *  evf_event_dump_put(); return true when the source has nothing more. */
typedef bool (*evf_dump_source)(uint64_t *cursor, unsigned int budget);
enum evf_dump_order {
	EVF_DUMP_NODE = 0, EVF_DUMP_BD, EVF_DUMP_ES, EVF_DUMP_ES_BD, EVF_DUMP_MACS,
	EVF_DUMP_BINDINGS, EVF_DUMP_MAX
};
/** Register the source of one part (a runtime brought up again re-registers). */
void evf_event_register_dump(enum evf_dump_order order, evf_dump_source fn);
/** Where dumped events go (the events ring), NULL for nowhere. */
void evf_event_set_dump_sink(void (*put)(const struct evf_event *ev));
/** A source hands over one dumped event. */
void evf_event_dump_put(const struct evf_event *ev);

struct evf_dump_pos {
	unsigned int part;      /**< enum evf_dump_order */
	uint64_t cursor;
};
/** Run a dump from pos (zeroed at the start) for up to budget events.
 *  Returns true when the dump is complete. */
bool evf_event_dump_step(struct evf_dump_pos *pos, unsigned int budget);

/* Each feature builds its own events (fdb_events_ctl.c, es_events_ctl.c). */

#endif /* EVF_EVENTS_H */
