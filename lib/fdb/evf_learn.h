/* evf_learn.h: learn events (worker -> control thread) and the control
 * thread's learning and aging of local MACs. */
#ifndef EVF_LEARN_H
#define EVF_LEARN_H

#include <stdint.h>

#include <rte_ether.h>

/** One event on a worker's learn ring: source MAC seen on an attachment
 *  where the FDB does not have it. 16 bytes. */
struct evf_learn_ev {
	struct rte_ether_addr mac;
	uint16_t bd;
	uint16_t attach;
	uint16_t worker;
	uint32_t reserved;
};

enum evf_learn_result {
	EVF_LEARN_NEW = 0,
	EVF_LEARN_MOVED,
	EVF_LEARN_REFRESHED,
	EVF_LEARN_LIMIT,      /**< MAC-VRF at its MAC limit */
	EVF_LEARN_FULL,       /**< FDB full */
	EVF_LEARN_IGNORED,    /**< static/frozen entry, learning off, or invalid event */
};

struct evf_learn_counters {
	uint64_t events;
	uint64_t learned;
	uint64_t moved;
	uint64_t refreshed;
	uint64_t limit;
	uint64_t full;
	uint64_t ignored;
	uint64_t aged;
	uint64_t frozen;
	uint64_t synced;   /**< MACs an ES peer advertised with our segment's ESI, made local */
};
extern struct evf_learn_counters evf_learn_counters;

/* ---- control thread ---- */
enum evf_learn_result evf_fdb_learn(const struct evf_learn_ev *ev);
/** Age out learned MACs not seen for their MAC-VRF's aging time. Scans at most
 *  budget entries from where the last call stopped. Returns entries removed. */
uint32_t evf_fdb_age(uint32_t now, uint32_t budget);

#endif /* EVF_LEARN_H */
