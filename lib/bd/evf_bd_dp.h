/* evf_bd_dp.h: what workers use of MAC-VRFs: the VNI -> MAC-VRF table and the flood list. */
#ifndef EVF_BD_DP_H
#define EVF_BD_DP_H

#include <stdbool.h>
#include <stdint.h>

#include "evf_bd.h"

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

#endif /* EVF_BD_DP_H */
