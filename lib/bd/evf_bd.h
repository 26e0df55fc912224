/* evf_bd.h: MAC-VRFs (bridge domains), their attachments and flood lists.
 *
 * Workers read: struct evf_bd fields, evf_attachs[], the VNI table and the
 * flood list a bd points to. The MAC-VRF set, its VNIs and attachments are
 * fixed at start-up; what changes at run time is (a) bd->flood, a complete
 * immutable list published by the control thread with a release store and
 * retired through evf_rcu_defer(), and (b) bd->at_limit, an atomic flag.
 * Everything a worker must not see half-written lives in the control-only
 * struct evf_bd_ctl (bd_private.h). */
#ifndef EVF_BD_H
#define EVF_BD_H

#include <stdint.h>
#include <stdbool.h>

#include <rte_byteorder.h>

#include "evf_common.h"
#include "evf_addr.h"
#include "evf_cfg.h"

struct evf_attach {
	uint16_t id;
	uint16_t iface;    /**< evf_ifaces[] index (port or LAG) */
	uint16_t vlan;     /**< 1..4094, EVF_VLAN_UNTAGGED for untagged */
	uint16_t bd;
	uint16_t port;     /**< egress port of a port iface (EVF_INVALID_ID for a LAG) */
	uint16_t max_frame;/**< largest untagged frame the egress MTU allows */
	uint16_t es;       /**< Ethernet Segment of the interface, EVF_INVALID_ID if none */
	uint16_t esevi;    /**< its (segment, MAC-VRF) binding */
	char name[EVF_NAME_LEN + 8]; /**< "host1.10" / "host1.untagged" */
};

/** Flood list of a MAC-VRF: local attachments then remote VTEPs. Immutable once published. */
struct evf_flood {
	uint16_t nb_local;
	uint16_t nb_remote;
	uint16_t ids[];    /**< nb_local attachment ids, then nb_remote VTEP ids */
};

struct evf_bd {
	/* Read by workers on every packet. */
	struct evf_flood *flood;     /**< RCU-published */
	rte_be32_t vxlan_vni;        /**< VXLAN header word 2: VNI << 8, network order */
	uint32_t vni;
	uint16_t id;
	bool learning;
	bool allow_inner_vlan;
	uint8_t at_limit;            /**< atomic: 1 while the MAC limit is reached */
	/* Configuration, read-only after start-up. */
	uint32_t evi;
	uint32_t mac_aging;
	uint32_t mac_limit;
	uint32_t dup_moves;          /**< duplicate detection: moves ... */
	uint32_t dup_window;         /**< ... within this many seconds freeze the MAC */
	uint32_t dup_hold;           /**< seconds a MAC stays frozen, 0 = until cleared */
	uint8_t dup_blackhole;       /**< frozen: drop its frames arriving elsewhere (frozen-mac) */
	char name[EVF_NAME_LEN];
} __rte_cache_aligned;

extern struct evf_bd evf_bds[EVF_MAX_BDS];
extern uint16_t evf_nb_bds;
extern struct evf_attach evf_attachs[EVF_MAX_ATTACH];
extern uint16_t evf_nb_attachs;

/* ---- start-up (main thread) ---- */
/** Create a MAC-VRF from its config (attachments resolved against evf_ifaces). */
int evf_bd_create(const struct evf_cfg_bd *cfg);
/** Build every MAC-VRF's VNI lookup table; call after the last evf_bd_create. */
int evf_bd_finalize(void);
/** Give the state dump the MAC-VRFs (evf_events.h). */
void evf_bd_register_dump(void);
struct evf_bd *evf_bd_by_name(const char *name);
void evf_bd_reset(void);

/* ---- worker: VNI -> MAC-VRF, read-only open-addressing table ---- */
#define EVF_VNI_TABLE_SIZE 8192 /* power of two, > 2 x EVF_MAX_BDS */
struct evf_vni_slot {
	uint32_t vni;   /**< 0 = empty (VNI 0 is invalid) */
	uint16_t bd;
	uint16_t pad;
};
extern struct evf_vni_slot evf_vni_table[EVF_VNI_TABLE_SIZE];

static inline uint32_t
evf_vni_slot_of(uint32_t vni)
{
	return (vni * 2654435761u) >> (32 - 13);
}

/** MAC-VRF id of a VNI, or EVF_INVALID_ID. */
static inline uint16_t
evf_bd_lookup_vni(uint32_t vni)
{
	uint32_t i = evf_vni_slot_of(vni);

	if (unlikely(vni == 0)) /* 0 marks empty slots; VNI 0 is never configured */
		return EVF_INVALID_ID;
	for (;;) {
		const struct evf_vni_slot *s = &evf_vni_table[i];
		if (s->vni == vni)
			return s->bd;
		if (s->vni == 0)
			return EVF_INVALID_ID;
		i = (i + 1) & (EVF_VNI_TABLE_SIZE - 1);
	}
}

static inline const struct evf_flood *
evf_bd_flood(const struct evf_bd *bd)
{
	return __atomic_load_n(&bd->flood, __ATOMIC_ACQUIRE);
}

/* ---- control thread ---- */
/** Flood-list sources a remote VTEP can be in through (a VTEP stays while any source holds it). */
#define EVF_FLOOD_SRC_STATIC 0x1  /**< config remote-vteps */
#define EVF_FLOOD_SRC_IMET   0x2  /**< RT3 route */
/** Add/remove a remote VTEP (by VTEP id) to a MAC-VRF's flood list for one source; republishes. */
int evf_bd_flood_add(uint16_t bd, uint16_t vtep, uint8_t src);
int evf_bd_flood_del(uint16_t bd, uint16_t vtep, uint8_t src);
/** Rebuild and publish the flood list (after attachment or ES state changes). */
int evf_bd_flood_publish(uint16_t bd);
/** Record the owner generation of an RT3 membership. */
void evf_bd_flood_set_gen(uint16_t bd, uint16_t vtep, uint8_t gen);
/** Remove RT3 memberships owned by a generation other than gen (not manual);
 *  drops the VTEP reference each held. Returns how many. */
uint32_t evf_bd_sweep_imet(uint8_t gen);
/** Give every ring-owned RT3 (owner != 0) the owner generation to. */
void evf_bd_regen_imet(uint8_t to);
/** Whether vtep is in bd's flood list through src. */
bool evf_bd_flood_has(uint16_t bd, uint16_t vtep, uint8_t src);
/** Remote VTEP ids currently in the flood list (control view). */
uint16_t evf_bd_flood_vteps(uint16_t bd, uint16_t *out, uint16_t max);

/** Local MAC count bookkeeping for the MAC limit. */
void evf_bd_local_mac_added(uint16_t bd);
void evf_bd_local_mac_removed(uint16_t bd);
uint32_t evf_bd_local_macs(uint16_t bd);
bool evf_bd_limit_reached(uint16_t bd);

#endif /* EVF_BD_H */
