/* bd_private.h: control-only per-MAC-VRF state (never read by workers). */
#ifndef EVF_BD_PRIVATE_H
#define EVF_BD_PRIVATE_H

#include "evf_bd.h"
#include "evf_bd_ctl.h"

struct evf_bd_ctl {
	uint16_t nb_attach;
	uint16_t *attach;                    /**< attachment ids */
	uint16_t nb_members, cap_members;
	struct evf_bd_flood_member *members; /**< remote VTEPs, in insertion order */
	uint32_t local_macs;
	uint16_t irb_attach;                 /**< EVF_INVALID_ID if no gateway */
};

extern struct evf_bd_ctl evf_bd_ctls[EVF_MAX_BDS];

#endif /* EVF_BD_PRIVATE_H */
