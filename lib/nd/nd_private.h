/* nd_private.h: the control thread's state of ARP/ND bindings, shared by the
 * files of lib/nd that run on it (table, learning, aging, events, views).
 * Nothing outside lib/nd includes it. */
#ifndef ND_PRIVATE_H
#define ND_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "evf_events.h"
#include "evf_nd.h"
#include "evf_nd_ctl.h"

/** One binding, beside its hash entry (index: the key's hash position). */
struct nd_entry {
	struct evf_nd_key key;
	struct rte_ether_addr mac;
	uint8_t in_use;         /**< 1 live, 2 deleted and waiting for its grace period */
	uint8_t flags;          /**< EVF_ND_F_* */
	uint8_t origin;         /**< enum evf_nd_origin */
	uint8_t gen;            /**< remote: the route's owner generation (0: manual) */
	uint8_t probes;         /**< probes sent since last seen */
	uint16_t attach;        /**< local: where it was seen */
	uint32_t created;       /**< evf_clock_sec */
	uint32_t last_seen;
	uint32_t moves;         /**< moves in the current detection window */
	uint32_t move_window;   /**< start of that window */
	uint32_t frozen_at;
	uint32_t last_probe;    /**< second of the last probe sent */
};

/** Per MAC-VRF control settings. */
struct nd_bd_ctl {
	uint32_t limit, count, aging;
	uint32_t dup_moves, dup_window, dup_hold;
	uint8_t nb_gw;
	struct evf_ip gw[16];      /**< the gateway's addresses (anycast and unique), for probes */
};

extern struct nd_entry *nd_entries;
extern uint32_t nd_nb_entries;       /**< size of nd_entries (the hash's key ids) */
extern struct nd_bd_ctl nd_bd_ctls[EVF_MAX_BDS];
extern struct rte_mempool *nd_pool;

/** The entry of (bd, ip), or NULL. */
struct nd_entry *nd_find(uint16_t bd, const struct evf_ip *ip);
/** Create or change an entry and publish it to the workers. NULL when the
 *  table is full. */
struct nd_entry *nd_set(uint16_t bd, const struct evf_ip *ip, const struct rte_ether_addr *mac,
	uint8_t flags, uint8_t origin);
/** Publish an entry's changed MAC or flags. */
void nd_publish(struct nd_entry *e);
void nd_remove(struct nd_entry *e);
/** The entry's address. */
void nd_entry_ip(const struct nd_entry *e, struct evf_ip *ip);

/* nd_events_ctl.c */
void nd_emit(uint8_t type, const struct nd_entry *e);

#endif /* ND_PRIVATE_H */
