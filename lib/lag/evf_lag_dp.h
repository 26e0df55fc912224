/* evf_lag_dp.h: LAG decisions on the worker's per-packet path: which member a
 * frame leaves on (flow hash over the distribution table, management member
 * first for its MACs, its VLAN and BUM) and whether a member may receive. */
#ifndef EVF_LAG_DP_H
#define EVF_LAG_DP_H

#include "evf_lag.h"
#include "evf_pkt.h"
#include "evf_port.h"

static inline bool
evf_lag_mgmt_mac(const struct evf_lag *lag, const uint8_t *mac)
{
	uint64_t v = evf_mac48(mac);

	for (uint8_t i = 0; i < lag->nb_mgmt_macs; i++)
		if (lag->mgmt_mac48[i] == v)
			return true;
	return false;
}

/** How a frame picks its member. */
enum evf_lag_pick {
	EVF_LAG_PICK_UNICAST = 0, /**< management MACs and VLAN to the management member, else hashed */
	EVF_LAG_PICK_FLOOD,       /**< flooded (BUM, unknown unicast): the management member if up */
	EVF_LAG_PICK_HASHED,      /**< hashed only (the host's copy of a flooded frame) */
};

static inline bool
evf_lag_mgmt_is_up(const struct evf_lag *lag)
{
	return lag->mgmt_port != EVF_INVALID_ID &&
		__atomic_load_n(&lag->mgmt_up, __ATOMIC_RELAXED);
}

/** Does a frame of VLAN vlan (attachment VLAN, 0 untagged) with destination
 *  dst go to the management member? Only while that member is up. */
static inline bool
evf_lag_to_mgmt(const struct evf_lag *lag, enum evf_lag_pick pick, uint16_t vlan,
		const uint8_t *dst)
{
	if (likely(lag->mgmt_port == EVF_INVALID_ID) || pick == EVF_LAG_PICK_HASHED ||
	    !__atomic_load_n(&lag->mgmt_up, __ATOMIC_RELAXED))
		return false;
	return pick == EVF_LAG_PICK_FLOOD || (lag->mgmt_vlan != 0 && vlan == lag->mgmt_vlan) ||
		evf_mac_is_group(dst) || evf_lag_mgmt_mac(lag, dst);
}

/** Distributing member for a frame by the LAG's hash policy, or
 *  EVF_INVALID_ID when none distributes. */
static inline uint16_t
evf_lag_hash_port(const struct evf_lag *lag, const uint8_t *frame, uint32_t len)
{
	const struct evf_lag_dist *d = __atomic_load_n(&lag->dist, __ATOMIC_ACQUIRE);
	uint32_t h;

	if (unlikely(d->nb_dist == 0))
		return EVF_INVALID_ID;
	h = evf_flow_hash(frame, len, (enum evf_hash_policy)lag->hash_policy);
	return d->port[evf_hash_mix(h) & (EVF_LAG_BUCKETS - 1)];
}

/** A flooded frame to this LAG needs a second copy on a hashed member: the
 *  management member takes every flooded frame (for the BMC) but the host
 *  does not collect there (not distributing), while another member does. */
static inline bool
evf_lag_flood_twice(const struct evf_lag *lag)
{
	if (likely(lag->mgmt_port == EVF_INVALID_ID))
		return false;
	return __atomic_load_n(&lag->mgmt_up, __ATOMIC_RELAXED) &&
		!__atomic_load_n(&lag->mgmt_dist, __ATOMIC_RELAXED) &&
		__atomic_load_n(&lag->dist, __ATOMIC_ACQUIRE)->nb_dist != 0;
}

/** May a frame received on LAG member port p enter? Members that do not
 *  collect drop everything except management traffic on the management
 *  member (source MAC listed, or the management VLAN; vid 0 = untagged). */
static inline bool
evf_lag_rx_ok(const struct evf_port *p, const uint8_t *eth, uint16_t vid)
{
	const struct evf_lag *lag;

	if (likely(__atomic_load_n(&p->lag_collecting, __ATOMIC_RELAXED)))
		return true;
	lag = &evf_lags[p->lag];
	if (lag->mgmt_port != p->port_id)
		return false;
	return (lag->mgmt_vlan != 0 && vid == lag->mgmt_vlan) ||
		evf_lag_mgmt_mac(lag, eth + RTE_ETHER_ADDR_LEN);
}

#endif /* EVF_LAG_DP_H */
