/* evf_bd_ctl.h: the control thread's and start-up API of MAC-VRFs: creating them, flood-list
 * membership (static and RT3), the MAC limit bookkeeping. */
#ifndef EVF_BD_CTL_H
#define EVF_BD_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_bd.h"

struct evf_cfg_bd; /* evf_cfg.h */

/* ---- start-up (main thread) ---- */
/** Create a MAC-VRF from its config (attachments resolved against evf_ifaces). */
int evf_bd_create(const struct evf_cfg_bd *cfg);
/** Build every MAC-VRF's VNI lookup table; call after the last evf_bd_create. */
int evf_bd_finalize(void);
/** Give the state dump the MAC-VRFs (evf_events.h). */
void evf_bd_register_dump(void);
struct evf_bd *evf_bd_by_name(const char *name);
/** The attachment of bd's gateway (IRB): on host_port (an access port, its
 *  untagged frames enter bd as the gateway's) or, NULL, on nothing (frames
 *  to the gateway are dropped). Never in the flood list. Returns its id or
 *  -errno. */
int evf_bd_add_irb(uint16_t bd, const char *host_port);
/** bd's gateway attachment, EVF_INVALID_ID if none. */
uint16_t evf_bd_irb(uint16_t bd);
void evf_bd_reset(void);

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

/** A remote VTEP of a flood list, and why it is there. */
struct evf_bd_flood_member {
	uint16_t vtep;
	uint8_t sources;     /**< EVF_FLOOD_SRC_* bits */
	uint8_t imet_gen;    /**< owner generation of the RT3 route (0: manual) */
};

/** A MAC-VRF's control state, for the shell (control thread; the pointers
 *  are valid until the next change). */
struct evf_bd_view {
	uint16_t nb_attach;
	const uint16_t *attach;                     /**< attachment ids */
	uint16_t nb_members;
	const struct evf_bd_flood_member *members;  /**< remote VTEPs, in insertion order */
	uint32_t local_macs;
};
void evf_bd_view(uint16_t bd, struct evf_bd_view *v);

#endif /* EVF_BD_CTL_H */
