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

struct evf_attach {
	uint16_t id;
	uint16_t iface;    /**< evf_ifaces[] index (port or LAG) */
	uint16_t vlan;     /**< 1..4094, EVF_VLAN_UNTAGGED for untagged */
	uint16_t bd;
	uint16_t port;     /**< egress port of a port iface (EVF_INVALID_ID for a LAG) */
	uint16_t max_frame;/**< largest untagged frame the egress MTU allows */
	uint16_t es;       /**< Ethernet Segment of the interface, EVF_INVALID_ID if none */
	uint16_t esevi;    /**< its (segment, MAC-VRF) binding */
	uint8_t irb;       /**< the MAC-VRF's gateway: frames to it go to the host path
	                        (port: its host port) or nowhere (port EVF_INVALID_ID) */
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

#endif /* EVF_BD_H */
