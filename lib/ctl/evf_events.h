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
};

struct evf_event {
	uint64_t seq;           /**< event number since start */
	uint32_t time;          /**< evf_now_sec */
	uint8_t type;           /**< enum evf_event_type */
	uint8_t flag;           /**< DF_CHANGE: 1 = DF; ES_UP: Don't-Preempt */
	uint8_t df_alg;         /**< ES_UP */
	uint8_t pad;
	uint16_t pref;          /**< ES_UP: preference advertised */
	uint16_t attach;        /**< MAC events: attachment, EVF_INVALID_ID if none */
	uint32_t vni;           /**< MAC and DF events */
	uint32_t mob_seq;       /**< MAC events: MAC mobility sequence */
	struct rte_ether_addr mac;
	struct evf_esi esi;     /**< segment (MAC on a segment, ES and DF events); zero if none */
};

typedef bool (*evf_event_sink)(const struct evf_event *ev); /* false: no room */

void evf_event_set_sink(evf_event_sink sink);
void evf_event_emit(struct evf_event *ev);
/** Events emitted, and lost by the sink. */
uint64_t evf_event_count(void);
uint64_t evf_event_lost(void);
/** The last n events, oldest first (control thread). */
void evf_event_print(FILE *out, unsigned int n);
const char *evf_event_name(uint8_t type);

/* Helpers used by the FDB and ES code. */
void evf_event_mac(uint8_t type, uint16_t bd, const struct rte_ether_addr *mac, uint16_t attach,
	uint16_t es, uint32_t mob_seq);
void evf_event_es(uint16_t es, bool up, uint16_t pref, bool dp, uint8_t alg);
void evf_event_df(uint16_t es, uint16_t esevi, bool df);

#endif /* EVF_EVENTS_H */
