/* evf_fdb_ctl.h: FDB writer API and per-entry metadata (control thread only;
 * the main thread may call it before workers start). */
#ifndef EVF_FDB_CTL_H
#define EVF_FDB_CTL_H

#include <stdio.h>

#include "evf_counters.h"
#include "evf_fdb.h"
#include "evf_addr.h"

enum evf_fdb_origin {
	EVF_FDB_LEARNED = 0,  /**< learned from a local attachment, ages */
	EVF_FDB_STATIC,       /**< from the config file */
	EVF_FDB_EVPN,         /**< from an EVPN RT2 route */
};

#define EVF_RT2_SRC_MAX 4

/** One EVPN MAC/IP route (RT2) for a MAC: from one VTEP, one IP (hashed). */
struct evf_rt2_src {
	uint32_t ip_hash;        /**< 0 for a MAC-only route */
	uint32_t seq;            /**< MAC mobility sequence */
	uint16_t vtep;           /**< VTEP id (a reference is held) */
	uint16_t es;             /**< segment of a non-zero ESI, else EVF_INVALID_ID */
	uint8_t es_slot;         /**< PE slot of the VTEP on that segment */
	uint8_t sticky;
	uint8_t used;
	uint8_t gen;             /**< owner generation (0: manual) */
};

/** Control-side view of one FDB entry. */
struct evf_fdb_entry {
	struct evf_fdb_key key;
	uint64_t dest;           /**< what workers see (packed) */
	uint8_t origin;          /**< enum evf_fdb_origin */
	uint8_t in_use;
	uint8_t frozen;          /**< duplicate detection froze it */
	uint8_t sticky;
	uint32_t created;        /**< evf_now_sec at creation */
	uint32_t last_seen;      /**< last second a worker (or the control) saw it */
	uint32_t seq;            /**< MAC mobility sequence number */
	uint32_t moves;          /**< moves in the current detection window */
	uint32_t move_window;    /**< start of that window */
	uint16_t es;             /**< ES of the route or of the learning attachment */
	uint16_t pad;
	uint32_t frozen_at;      /**< when duplicate detection froze it */
	uint8_t nb_src;
	struct evf_rt2_src src[EVF_RT2_SRC_MAX]; /**< remote routes, kept even while local wins */
};

/* ---- the lock-free table (fdb_table_ctl.c; layout in evf_fdb.h) ---- */
struct evf_fdb_table_stats {
	uint32_t home_buckets;
	uint32_t keys;              /**< keys in the table (removed ones excluded) */
	uint32_t keys_overflow;     /**< of them, in overflow buckets */
	uint32_t overflow_buckets;  /**< linked now */
	uint32_t pool_free;         /**< overflow buckets free */
	uint32_t longest_chain;     /**< most overflow buckets ever behind one home */
	uint64_t refused;           /**< inserts refused: chain at EVF_FDB_CHAIN_MAX or pool empty */
};
/** Size the table for capacity entries (twice as many home slots). 0 or -ENOMEM. */
int evf_fdb_table_init(uint32_t capacity);
void evf_fdb_table_fini(void);
/** Insert key, or change its destination in place. 0, -EINVAL (not a key) or -ENOSPC. */
int evf_fdb_table_put(uint64_t key, uint64_t dest);
/** The writer's lookup. */
bool evf_fdb_table_get(uint64_t key, uint64_t *dest);
/** Remove key: readers stop matching it now; returns its slot position for
 *  evf_fdb_table_release after a grace period, or -ENOENT. */
int64_t evf_fdb_table_del(uint64_t key);
/** After a grace period: the slot is free, empty overflow buckets are trimmed. */
void evf_fdb_table_release(uint64_t pos);
void evf_fdb_table_stats(struct evf_fdb_table_stats *out);
/** Tests: a chosen multiplier (made odd) in place of the random one; only on an empty table. */
void evf_fdb_table_set_multiplier(uint64_t mul);

int evf_fdb_init(uint32_t capacity, unsigned int nb_workers);
void evf_fdb_fini(void);

/** Entry of (bd, mac), or NULL. */
struct evf_fdb_entry *evf_fdb_find(uint16_t bd, const struct rte_ether_addr *mac);
struct evf_fdb_entry *evf_fdb_entry_at(uint32_t idx);

/** Insert or replace (bd, mac); *out (when not NULL) gets the entry. 0, or
 *  -ENOSPC when the table is full. */
int evf_fdb_set(uint16_t bd, const struct rte_ether_addr *mac, enum evf_dest_kind kind,
	uint16_t target, enum evf_fdb_origin origin, struct evf_fdb_entry **out);
/** Change the destination of an existing entry in place (atomic for readers). */
void evf_fdb_redirect(struct evf_fdb_entry *e, enum evf_dest_kind kind, uint16_t target,
	enum evf_fdb_origin origin);
/** Same with the aux byte (ES destinations: RT2 PE slots). */
void evf_fdb_redirect_aux(struct evf_fdb_entry *e, enum evf_dest_kind kind, uint16_t target,
	enum evf_fdb_origin origin, uint8_t aux);
/** Remove an entry; its slot is reused after a grace period. */
void evf_fdb_remove(struct evf_fdb_entry *e);

/** Latest "seen" second over workers and the control's own record. */
uint32_t evf_fdb_last_seen(const struct evf_fdb_entry *e);

/** Visit entries (of one bd, or all with bd = EVF_INVALID_ID) in index order. */
typedef void (*evf_fdb_visit_fn)(struct evf_fdb_entry *e, void *arg);
void evf_fdb_foreach(uint16_t bd, evf_fdb_visit_fn fn, void *arg);

uint32_t evf_fdb_count(void);
/** Give the state dump the local MACs (evf_events.h). */
void evf_fdb_register_dump(void);
struct evf_event;
/** A MAC event (evf_events.h) for (bd, mac): filled, or filled and emitted. */
void evf_fdb_event_fill(struct evf_event *ev, uint8_t type, uint16_t bd,
	const struct rte_ether_addr *mac, uint16_t attach, uint16_t es, uint32_t mob_seq);
void evf_fdb_event(uint8_t type, uint16_t bd, const struct rte_ether_addr *mac, uint16_t attach,
	uint16_t es, uint32_t mob_seq);

/* ---- MAC policy (fdb_mac_ctl.c) ---- */
/** Add or withdraw an RT2 route for (bd, mac) from the VTEP at vtep_ip; ip_hash
 *  identifies the route's IP (0 for MAC-only); es is the segment of a
 *  non-zero ESI or EVF_INVALID_ID. Returns 0, -ENOENT (withdraw of an unknown
 *  route), -ENOSPC (FDB full), -E2BIG (too many routes for the MAC) or the
 *  error of the VTEP/segment tables. */
/** Would an RT2 add from (vtep, ip) for (bd, mac) find room (a known route,
 *  or fewer than EVF_RT2_SRC_MAX routes)? */
bool evf_fdb_rt2_room(uint16_t bd, const struct rte_ether_addr *mac, const struct evf_ip *vtep_ip,
	uint32_t ip_hash);
int evf_fdb_rt2(uint16_t bd, const struct rte_ether_addr *mac, const struct evf_ip *vtep_ip,
	uint32_t ip_hash, uint16_t es, uint8_t slot, uint32_t seq, bool sticky, bool add,
	uint8_t gen);
/** Withdraw RT2 routes owned by a generation other than gen (not manual). */
uint32_t evf_fdb_sweep_routes(uint8_t gen);
/** Give every ring-owned RT2 (owner != 0) the owner generation to. */
void evf_fdb_regen_routes(uint8_t to);
/** Recompute where an entry points after its routes or local state changed. */
void evf_fdb_reselect(struct evf_fdb_entry *e);
/** Drop the entry's RT2 routes (references to VTEPs and segment PE slots). */
void evf_fdb_release_sources(struct evf_fdb_entry *e);
/** A local MAC disappeared: fall back to its remote routes, or remove it. */
void evf_fdb_local_gone(struct evf_fdb_entry *e);
/** A local segment is up: MACs its ES peers advertise with its ESI become
 *  local (MAC sync). Returns how many. */
uint32_t evf_fdb_sync_segment(uint16_t es);
/** Local MACs of one attachment are gone (interface or segment down). */
uint32_t evf_fdb_flush_attach(uint16_t attach);
/** Lift duplicate detection's freeze. */
void evf_fdb_unfreeze(struct evf_fdb_entry *e);
/** Identity of a route's IP address for evf_fdb_rt2 (0 for none). */
uint32_t evf_ip_hash(const struct evf_ip *ip);
/** Remove every entry pointing at (kind, target), e.g. when a VTEP or attachment goes. */
uint32_t evf_fdb_flush_dest(enum evf_dest_kind kind, uint16_t target);

/* ---- learning and aging (control thread) ---- */
enum evf_learn_result {
	EVF_LEARN_NEW = 0,
	EVF_LEARN_MOVED,
	EVF_LEARN_REFRESHED,
	EVF_LEARN_LIMIT,      /**< MAC-VRF at its MAC limit */
	EVF_LEARN_FULL,       /**< FDB full */
	EVF_LEARN_IGNORED,    /**< static/frozen entry, learning off, or invalid event */
};

/* X(field, shown name, help): the learning counters ("show learning",
 * telemetry /evfwd/learning). */
#define EVF_LEARN_COUNTERS(X) \
	X(events,    "events",                "learn events taken from the workers' rings") \
	X(learned,   "learned",               "new local MACs") \
	X(moved,     "moved",                 "MACs that moved to another attachment or from a remote PE") \
	X(refreshed, "refreshed",             "events for a MAC already known there") \
	X(limit,     "refused at MAC limit",  "new MACs refused: the MAC-VRF is at its MAC limit") \
	X(full,      "FDB full",              "new MACs refused: the FDB is full") \
	X(ignored,   "ignored",               "events for static or frozen MACs, learning off, or invalid") \
	X(aged,      "aged",                  "local MACs aged out") \
	X(synced,    "synced from ES peers",  "MACs an ES peer advertised with our segment's ESI, made local") \
	X(frozen,    "frozen",                "MACs frozen by duplicate detection")

struct evf_learn_counters {
	EVF_LEARN_COUNTERS(EVF_COUNTER_FIELD)
};
extern struct evf_learn_counters evf_learn_counters;
extern const struct evf_counter_set evf_learn_counter_set;

/* ---- control thread ---- */
enum evf_learn_result evf_fdb_learn(const struct evf_learn_ev *ev);
/** Age out learned MACs not seen for their MAC-VRF's aging time. Scans at most
 *  budget entries from where the last call stopped. Returns entries removed. */
uint32_t evf_fdb_age(uint32_t now, uint32_t budget);
/** Register learning (drains the workers' learn rings, evf_chan.h) and aging
 *  with the control thread, in that order; before any other poller. */
int evf_fdb_register_pollers(void);

#endif /* EVF_FDB_CTL_H */
