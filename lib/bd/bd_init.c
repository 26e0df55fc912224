/* bd_init.c: creating MAC-VRFs and their attachments from the config and
 * building the VNI table (main thread, before workers start). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_string_fns.h>

#include "evf_cfg.h"
#include "evf_bd.h"
#include "evf_bd_dp.h"
#include "evf_bd_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "bd_private.h"

struct evf_bd evf_bds[EVF_MAX_BDS];
uint16_t evf_nb_bds;
struct evf_attach evf_attachs[EVF_MAX_ATTACH];
uint16_t evf_nb_attachs;
struct evf_vni_slot evf_vni_table[EVF_VNI_TABLE_SIZE];
struct evf_bd_ctl evf_bd_ctls[EVF_MAX_BDS];

void
evf_bd_reset(void)
{
	for (uint16_t b = 0; b < evf_nb_bds; b++) {
		free(evf_bds[b].flood);
		free(evf_bd_ctls[b].attach);
		free(evf_bd_ctls[b].members);
	}
	memset(evf_bds, 0, sizeof(evf_bds));
	memset(evf_bd_ctls, 0, sizeof(evf_bd_ctls));
	memset(evf_vni_table, 0, sizeof(evf_vni_table));
	evf_nb_bds = 0;
	evf_nb_attachs = 0;
}

static int
attach_create(struct evf_bd *bd, const struct evf_cfg_attach *ca)
{
	struct evf_iface *ifc = evf_iface_by_name(ca->port);
	struct evf_attach *a;

	if (ifc == NULL)
		return -ENODEV;
	if (ca->vlan > 4094)
		return -EINVAL;
	if (ifc->vlan_to_attach[ca->vlan] != EVF_INVALID_ID)
		return -EEXIST;
	if (evf_nb_attachs >= EVF_MAX_ATTACH)
		return -ENOSPC;
	a = &evf_attachs[evf_nb_attachs];
	a->id = evf_nb_attachs;
	a->iface = ifc->id;
	a->vlan = ca->vlan;
	a->bd = bd->id;
	a->port = ifc->kind == EVF_IFACE_PORT ? ifc->port_id : EVF_INVALID_ID;
	a->max_frame = (uint16_t)(ifc->mtu + RTE_ETHER_HDR_LEN);
	a->es = EVF_INVALID_ID;
	a->esevi = EVF_INVALID_ID;
	if (ca->vlan == EVF_VLAN_UNTAGGED)
		snprintf(a->name, sizeof(a->name), "%s", ifc->name);
	else
		snprintf(a->name, sizeof(a->name), "%s.%u", ifc->name, ca->vlan);
	ifc->vlan_to_attach[ca->vlan] = a->id;
	return evf_nb_attachs++;
}

int
evf_bd_create(const struct evf_cfg_bd *cfg)
{
	struct evf_bd *bd;
	struct evf_bd_ctl *ctl;

	if (evf_nb_bds >= EVF_MAX_BDS)
		return -ENOSPC;
	if (cfg->vni == 0 || cfg->vni > 0xffffff)
		return -EINVAL;
	bd = &evf_bds[evf_nb_bds];
	ctl = &evf_bd_ctls[evf_nb_bds];
	memset(bd, 0, sizeof(*bd));
	bd->id = evf_nb_bds;
	bd->vni = cfg->vni;
	bd->vxlan_vni = rte_cpu_to_be_32(cfg->vni << 8);
	bd->evi = cfg->evi ? cfg->evi : cfg->vni;
	bd->learning = cfg->learning;
	bd->allow_inner_vlan = cfg->allow_inner_vlan;
	bd->mac_aging = cfg->mac_aging;
	bd->mac_limit = cfg->mac_limit;
	bd->dup_moves = cfg->dup_moves ? cfg->dup_moves : 5;
	bd->dup_window = cfg->dup_window ? cfg->dup_window : 180;
	bd->dup_hold = cfg->dup_hold;
	bd->dup_blackhole = cfg->dup_blackhole;
	rte_strscpy(bd->name, cfg->name, sizeof(bd->name));

	ctl->irb_attach = EVF_INVALID_ID;
	ctl->attach = calloc(cfg->nb_attach ? cfg->nb_attach : 1, sizeof(uint16_t));
	if (ctl->attach == NULL)
		return -ENOMEM;
	for (uint16_t i = 0; i < cfg->nb_attach; i++) {
		int id = attach_create(bd, &cfg->attach[i]);
		if (id < 0)
			return id;
		ctl->attach[ctl->nb_attach++] = (uint16_t)id;
	}
	evf_nb_bds++;
	return evf_bd_flood_publish(bd->id) < 0 ? -ENOMEM : bd->id;
}

int
evf_bd_add_irb(uint16_t b, const char *host_port)
{
	struct evf_bd_ctl *ctl = &evf_bd_ctls[b];
	struct evf_attach *a;
	struct evf_iface *ifc = NULL;

	if (b >= evf_nb_bds || ctl->irb_attach != EVF_INVALID_ID)
		return -EINVAL;
	if (host_port != NULL) {
		ifc = evf_iface_by_name(host_port);
		if (ifc == NULL || ifc->kind != EVF_IFACE_PORT)
			return -ENODEV;
		if (ifc->vlan_to_attach[EVF_VLAN_UNTAGGED] != EVF_INVALID_ID)
			return -EEXIST;
	}
	if (evf_nb_attachs >= EVF_MAX_ATTACH)
		return -ENOSPC;
	a = &evf_attachs[evf_nb_attachs];
	memset(a, 0, sizeof(*a));
	a->id = evf_nb_attachs;
	a->bd = b;
	a->vlan = EVF_VLAN_UNTAGGED;
	a->es = EVF_INVALID_ID;
	a->esevi = EVF_INVALID_ID;
	a->irb = 1;
	if (ifc != NULL) {
		a->iface = ifc->id;
		a->port = ifc->port_id;
		a->max_frame = (uint16_t)(ifc->mtu + RTE_ETHER_HDR_LEN);
		snprintf(a->name, sizeof(a->name), "%s", ifc->name);
		ifc->vlan_to_attach[EVF_VLAN_UNTAGGED] = a->id;
	} else {
		a->iface = EVF_INVALID_ID;
		a->port = EVF_INVALID_ID;
		a->max_frame = UINT16_MAX;
		snprintf(a->name, sizeof(a->name), "irb-%s", evf_bds[b].name);
	}
	ctl->irb_attach = a->id;
	return evf_nb_attachs++;
}

uint16_t
evf_bd_irb(uint16_t b)
{
	return b < evf_nb_bds ? evf_bd_ctls[b].irb_attach : EVF_INVALID_ID;
}

int
evf_bd_finalize(void)
{
	memset(evf_vni_table, 0, sizeof(evf_vni_table));
	for (uint16_t b = 0; b < evf_nb_bds; b++) {
		uint32_t i = evf_vni_slot_of(evf_bds[b].vni);

		while (evf_vni_table[i].vni != 0) {
			if (evf_vni_table[i].vni == evf_bds[b].vni)
				return -EEXIST;
			i = (i + 1) & (EVF_VNI_TABLE_SIZE - 1);
		}
		evf_vni_table[i].vni = evf_bds[b].vni;
		evf_vni_table[i].bd = b;
	}
	return 0;
}

struct evf_bd *
evf_bd_by_name(const char *name)
{
	for (uint16_t b = 0; b < evf_nb_bds; b++)
		if (strcmp(evf_bds[b].name, name) == 0)
			return &evf_bds[b];
	return NULL;
}
