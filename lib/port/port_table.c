/* port_table.c: the port and interface tables (filled at start-up, main thread). */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_string_fns.h>

#include "evf_port.h"
#include "evf_port_ctl.h"

struct evf_port evf_ports[EVF_MAX_PORTS];
struct evf_iface evf_ifaces[EVF_MAX_IFACES];
uint16_t evf_nb_ifaces;
uint16_t evf_uplinks[EVF_MAX_UPLINKS];
uint16_t evf_nb_uplinks;

void
evf_port_set_hw_mac(struct evf_port *p, const struct rte_ether_addr *mac)
{
	uint64_t v = 0;

	p->hw_mac = *mac;
	memcpy(&v, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	p->hw_mac48 = v;
}

void
evf_port_table_reset(void)
{
	memset(evf_ports, 0, sizeof(evf_ports));
	memset(evf_ifaces, 0, sizeof(evf_ifaces));
	evf_nb_ifaces = 0;
	evf_nb_uplinks = 0;
}

int
evf_iface_create(const char *name, enum evf_iface_kind kind, uint16_t port_or_lag)
{
	struct evf_iface *ifc;

	if (evf_nb_ifaces >= EVF_MAX_IFACES)
		return -ENOSPC;
	if (evf_iface_by_name(name) != NULL)
		return -EEXIST;
	ifc = &evf_ifaces[evf_nb_ifaces];
	memset(ifc, 0, sizeof(*ifc));
	rte_strscpy(ifc->name, name, sizeof(ifc->name));
	ifc->kind = kind;
	ifc->id = evf_nb_ifaces;
	ifc->port_id = kind == EVF_IFACE_PORT ? port_or_lag : EVF_INVALID_ID;
	ifc->lag = kind == EVF_IFACE_LAG ? port_or_lag : EVF_INVALID_ID;
	ifc->es = EVF_INVALID_ID;
	ifc->mtu = kind == EVF_IFACE_PORT ? evf_ports[port_or_lag].mtu : 0;
	for (int v = 0; v < 4096; v++)
		ifc->vlan_to_attach[v] = EVF_INVALID_ID;
	return evf_nb_ifaces++;
}

int
evf_port_register(uint16_t port_id, const struct evf_cfg_port *cfg)
{
	struct evf_port *p;

	if (port_id >= EVF_MAX_PORTS)
		return -EINVAL;
	p = &evf_ports[port_id];
	rte_strscpy(p->name, cfg->name, sizeof(p->name));
	rte_strscpy(p->device, cfg->device, sizeof(p->device));
	p->port_id = port_id;
	p->role = cfg->role;
	p->mtu = cfg->mtu;
	p->underlay_vlan = cfg->underlay_vlan;
	p->next_hop = cfg->next_hop;
	p->iface = EVF_INVALID_ID;
	p->uplink = EVF_INVALID_ID;
	p->lag = EVF_INVALID_ID;
	p->admin_up = cfg->admin_up;
	p->configured = true;
	if (cfg->underlay_vlan) {
		uint16_t tpid = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		uint16_t tci = rte_cpu_to_be_16(cfg->underlay_vlan);
		p->underlay_tag_word = (uint32_t)tpid | ((uint32_t)tci << 16);
	}

	if (cfg->role == EVF_ROLE_NETWORK) {
		if (evf_nb_uplinks >= EVF_MAX_UPLINKS)
			return -ENOSPC;
		p->uplink = evf_nb_uplinks;
		evf_uplinks[evf_nb_uplinks++] = port_id;
	} else {
		int id = evf_iface_create(cfg->name, EVF_IFACE_PORT, port_id);
		if (id < 0)
			return id;
		p->iface = (uint16_t)id;
	}
	return 0;
}

struct evf_port *
evf_port_by_name(const char *name)
{
	for (int i = 0; i < EVF_MAX_PORTS; i++)
		if (evf_ports[i].configured && strcmp(evf_ports[i].name, name) == 0)
			return &evf_ports[i];
	return NULL;
}

struct evf_iface *
evf_iface_by_name(const char *name)
{
	for (uint16_t i = 0; i < evf_nb_ifaces; i++)
		if (strcmp(evf_ifaces[i].name, name) == 0)
			return &evf_ifaces[i];
	return NULL;
}
