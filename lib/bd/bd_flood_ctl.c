/* bd_flood_ctl.c: flood-list membership and publication, MAC-limit accounting
 * (control thread; main thread before workers start). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_rcu.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "bd_private.h"

static void
flood_free(void *p, uint64_t unused)
{
	(void)unused;
	free(p);
}

int
evf_bd_flood_publish(uint16_t b)
{
	struct evf_bd *bd = &evf_bds[b];
	struct evf_bd_ctl *ctl = &evf_bd_ctls[b];
	uint16_t n = ctl->nb_attach + ctl->nb_members;
	struct evf_flood *f, *old;

	f = malloc(sizeof(*f) + sizeof(uint16_t) * (n ? n : 1));
	if (f == NULL)
		return -ENOMEM;
	f->nb_local = ctl->nb_attach;
	f->nb_remote = ctl->nb_members;
	memcpy(f->ids, ctl->attach, sizeof(uint16_t) * ctl->nb_attach);
	for (uint16_t i = 0; i < ctl->nb_members; i++)
		f->ids[ctl->nb_attach + i] = ctl->members[i].vtep;

	old = __atomic_exchange_n(&bd->flood, f, __ATOMIC_ACQ_REL);
	if (old != NULL)
		evf_rcu_defer(flood_free, old, 0);
	return 0;
}

static int
member_find(const struct evf_bd_ctl *ctl, uint16_t vtep)
{
	for (uint16_t i = 0; i < ctl->nb_members; i++)
		if (ctl->members[i].vtep == vtep)
			return i;
	return -1;
}

int
evf_bd_flood_add(uint16_t b, uint16_t vtep, uint8_t src)
{
	struct evf_bd_ctl *ctl;
	int i;

	if (b >= evf_nb_bds)
		return -EINVAL;
	ctl = &evf_bd_ctls[b];
	i = member_find(ctl, vtep);
	if (i >= 0) {
		ctl->members[i].sources |= src;
		return 0; /* already flooded to: nothing to publish */
	}
	if (ctl->nb_members == ctl->cap_members) {
		uint16_t cap = ctl->cap_members ? ctl->cap_members * 2 : 8;
		void *m = realloc(ctl->members, cap * sizeof(*ctl->members));
		if (m == NULL)
			return -ENOMEM;
		ctl->members = m;
		ctl->cap_members = cap;
	}
	ctl->members[ctl->nb_members].vtep = vtep;
	ctl->members[ctl->nb_members].sources = src;
	ctl->nb_members++;
	return evf_bd_flood_publish(b);
}

int
evf_bd_flood_del(uint16_t b, uint16_t vtep, uint8_t src)
{
	struct evf_bd_ctl *ctl;
	int i;

	if (b >= evf_nb_bds)
		return -EINVAL;
	ctl = &evf_bd_ctls[b];
	i = member_find(ctl, vtep);
	if (i < 0)
		return -ENOENT;
	ctl->members[i].sources &= (uint8_t)~src;
	if (ctl->members[i].sources != 0)
		return 0;
	memmove(&ctl->members[i], &ctl->members[i + 1],
		(ctl->nb_members - i - 1) * sizeof(*ctl->members));
	ctl->nb_members--;
	return evf_bd_flood_publish(b);
}

void
evf_bd_flood_set_gen(uint16_t b, uint16_t vtep, uint8_t gen)
{
	int i;

	if (b < evf_nb_bds && (i = member_find(&evf_bd_ctls[b], vtep)) >= 0)
		evf_bd_ctls[b].members[i].imet_gen = gen;
}

void
evf_bd_regen_imet(uint8_t to)
{
	for (uint16_t b = 0; b < evf_nb_bds; b++)
		for (uint16_t i = 0; i < evf_bd_ctls[b].nb_members; i++)
			if (evf_bd_ctls[b].members[i].imet_gen)
				evf_bd_ctls[b].members[i].imet_gen = to;
}

uint32_t
evf_bd_sweep_imet(uint8_t gen)
{
	uint32_t n = 0;

	for (uint16_t b = 0; b < evf_nb_bds; b++) {
		struct evf_bd_ctl *ctl = &evf_bd_ctls[b];

		for (uint16_t i = 0; i < ctl->nb_members;) {
			struct evf_bd_flood_member *m = &ctl->members[i];
			uint16_t vtep = m->vtep;

			if ((m->sources & EVF_FLOOD_SRC_IMET) && m->imet_gen != 0 && m->imet_gen != gen) {
				bool gone = m->sources == EVF_FLOOD_SRC_IMET;

				evf_bd_flood_del(b, vtep, EVF_FLOOD_SRC_IMET);
				evf_vtep_put(vtep);
				n++;
				if (gone)
					continue; /* the array shifted: same index again */
			}
			i++;
		}
	}
	return n;
}

bool
evf_bd_flood_has(uint16_t b, uint16_t vtep, uint8_t src)
{
	int i;

	if (b >= evf_nb_bds)
		return false;
	i = member_find(&evf_bd_ctls[b], vtep);
	return i >= 0 && (evf_bd_ctls[b].members[i].sources & src);
}

uint16_t
evf_bd_flood_vteps(uint16_t b, uint16_t *out, uint16_t max)
{
	const struct evf_bd_ctl *ctl = &evf_bd_ctls[b];
	uint16_t n = 0;

	for (uint16_t i = 0; i < ctl->nb_members && n < max; i++)
		out[n++] = ctl->members[i].vtep;
	return n;
}

void
evf_bd_local_mac_added(uint16_t b)
{
	struct evf_bd *bd = &evf_bds[b];

	evf_bd_ctls[b].local_macs++;
	if (bd->mac_limit != 0 && evf_bd_ctls[b].local_macs >= bd->mac_limit)
		__atomic_store_n(&bd->at_limit, 1, __ATOMIC_RELEASE);
}

void
evf_bd_local_mac_removed(uint16_t b)
{
	struct evf_bd *bd = &evf_bds[b];

	if (evf_bd_ctls[b].local_macs > 0)
		evf_bd_ctls[b].local_macs--;
	if (bd->mac_limit == 0 || evf_bd_ctls[b].local_macs < bd->mac_limit)
		__atomic_store_n(&bd->at_limit, 0, __ATOMIC_RELEASE);
}

uint32_t
evf_bd_local_macs(uint16_t b)
{
	return evf_bd_ctls[b].local_macs;
}

bool
evf_bd_limit_reached(uint16_t b)
{
	return evf_bds[b].mac_limit != 0 && evf_bd_ctls[b].local_macs >= evf_bds[b].mac_limit;
}

void
evf_bd_view(uint16_t bd, struct evf_bd_view *v)
{
	const struct evf_bd_ctl *c = &evf_bd_ctls[bd];

	v->nb_attach = c->nb_attach;
	v->attach = c->attach;
	v->nb_members = c->nb_members;
	v->members = c->members;
	v->local_macs = c->local_macs;
}
