/* evf_nd_ctl.h: ARP/ND bindings and the IRB gateway, start-up and control
 * thread API: setting up a MAC-VRF's gateway and settings, the bindings
 * (snooped on attachments, from RT2 MAC+IP routes, the gateway's own), their
 * aging with a unicast probe before expiry (RFC 9161), duplicate IP
 * detection, limits, events for the control plane, the state dump, and the
 * views for the shell. */
#ifndef EVF_ND_CTL_H
#define EVF_ND_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "evf_counters.h"
#include "evf_nd.h"
#include "evf_nd_dp.h"

struct evf_cfg_bd;

/* X(field, shown name, help): the control thread's binding counters. */
#define EVF_ND_CTL_COUNTERS(X) \
	X(learned,      "learned",          "bindings snooped on attachments, new") \
	X(refreshed,    "refreshed",        "snooped bindings seen again") \
	X(moved,        "moved",            "addresses that changed MAC or attachment") \
	X(remote_added, "from routes",      "bindings installed from RT2 MAC+IP routes") \
	X(remote_gone,  "routes withdrawn", "remote bindings removed by withdrawals and sweeps") \
	X(aged,         "aged",             "local bindings that did not answer their probes") \
	X(probes,       "probes",           "unicast ARP/NS probes sent before aging") \
	X(probe_fail,   "probes not sent",  "probes that found no way out (no address, LAG down, ring full)") \
	X(frozen,       "frozen",           "addresses frozen by duplicate IP detection") \
	X(limit,        "refused at limit", "new bindings refused: the MAC-VRF's binding-limit") \
	X(full,         "table full",       "new bindings refused: the table is full") \
	X(ignored,      "ignored",          "reports about our own addresses, frozen ones, unknown MAC-VRFs")

struct evf_nd_ctl_counters {
	EVF_ND_CTL_COUNTERS(EVF_COUNTER_FIELD)
};
extern struct evf_nd_ctl_counters evf_nd_ctl_counters;
extern const struct evf_counter_set evf_nd_ctl_counter_set;
/** The workers' ARP/ND counters summed (into a caller's struct). */
void evf_nd_worker_sum(struct evf_nd_wcounters *sum);
void evf_nd_worker_counter_set(struct evf_counter_set *set, const struct evf_nd_wcounters *sum);

/* ---- start-up (main thread) ---- */
struct rte_mempool;
/** The binding table for capacity bindings over all MAC-VRFs; pool: for
 *  the probes the control thread sends. */
int evf_nd_init(uint32_t capacity, struct rte_mempool *pool);
void evf_nd_fini(void);
/** Set up MAC-VRF bd's ARP/ND handling and gateway from its config: its
 *  settings, and the gateway's addresses as bindings. irb_attach: the IRB's
 *  attachment (evf_bd_add_irb), EVF_INVALID_ID without a gateway. own_mac:
 *  this PE's MAC for the unique addresses. 0 or -errno. */
int evf_nd_setup_bd(uint16_t bd, const struct evf_cfg_bd *cfg, uint16_t irb_attach,
	const struct rte_ether_addr *own_mac);
/** Learning, aging and probes, with the control thread (after evf_nd_init). */
int evf_nd_register_pollers(void);
/** Give the state dump the local bindings and our own addresses. */
void evf_nd_register_dump(void);

/* ---- control thread ---- */
/** A snooped sender binding (what a worker reported). */
void evf_nd_snooped(const struct evf_nd_event *ev);
/** An RT2 MAC+IP route's binding: add (or replace) or withdraw. gen: the
 *  route's owner generation (0: manual). 0 or -errno. */
int evf_nd_route(uint16_t bd, const struct evf_ip *ip, const struct rte_ether_addr *mac,
	uint8_t flags, bool add, uint8_t gen);
/** Withdraw remote bindings owned by a generation other than gen (not
 *  manual); relabel them (regen). */
uint32_t evf_nd_sweep(uint8_t gen);
void evf_nd_regen(uint8_t to);
/** Release every frozen binding ("clear ip-duplication"); how many. */
unsigned int evf_nd_unfreeze_all(void);

/* ---- views (control thread, for the shell) ---- */
struct evf_nd_view {
	uint16_t bd;
	struct evf_ip ip;
	struct rte_ether_addr mac;
	uint8_t flags;         /**< EVF_ND_F_* */
	uint8_t origin;        /**< enum evf_nd_origin */
	uint16_t attach;       /**< local: where it was seen */
	uint32_t age;          /**< seconds since last seen (local), since installed (others) */
	uint8_t probes;        /**< probes sent since last seen */
	uint8_t gen;           /**< remote: owner generation */
};
/** Visit the bindings of bd (EVF_INVALID_ID: all) of a family (0: both). */
typedef void (*evf_nd_visit_fn)(const struct evf_nd_view *v, void *arg);
void evf_nd_foreach(uint16_t bd, uint8_t family, evf_nd_visit_fn fn, void *arg);
/** Bindings of bd by origin (index enum evf_nd_origin) and total. */
uint32_t evf_nd_count(uint16_t bd, uint32_t by_origin[5]);
const char *evf_nd_origin_name(uint8_t origin);

#endif /* EVF_ND_CTL_H */
