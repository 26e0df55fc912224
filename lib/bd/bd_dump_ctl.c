/* bd_dump_ctl.c: the MAC-VRFs in a state dump (control thread): one event per
 * MAC-VRF with its VNI and EVI, from which the control plane advertises RT3. */
#include <string.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_events.h"

static bool
bd_dump(uint64_t *cursor, unsigned int budget)
{
	for (; *cursor < evf_nb_bds && budget > 0; (*cursor)++, budget--) {
		const struct evf_bd *bd = &evf_bds[*cursor];
		struct evf_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.type = EVF_EV_BD;
		ev.vni = bd->vni;
		ev.evi = bd->evi;
		ev.attach = EVF_INVALID_ID;
		evf_event_dump_put(&ev);
	}
	return *cursor >= evf_nb_bds;
}

void
evf_bd_register_dump(void)
{
	evf_event_register_dump(EVF_DUMP_BD, bd_dump);
}
