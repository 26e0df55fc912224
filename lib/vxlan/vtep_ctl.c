/* vtep_ctl.c: node identity, remote VTEP table and encap template building
 * (control thread; main thread at start-up). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_ip.h>
#include <rte_jhash.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "evf_cfg.h"
#include "evf_events.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_rcu.h"

struct evf_node evf_node;
struct evf_vtep evf_vteps[EVF_MAX_VTEPS];

static struct rte_hash *vtep_by_ip;   /* control-only: struct evf_ip -> id */
static uint16_t free_ids[EVF_MAX_VTEPS];
static uint32_t nb_free;
static uint32_t nb_used;

int
evf_node_init(const struct evf_cfg_node *cfg)
{
	memset(&evf_node, 0, sizeof(evf_node));
	memcpy(evf_node.name, cfg->name, sizeof(evf_node.name));
	evf_node.ipv4 = cfg->vtep_ipv4;
	evf_node.ipv6 = cfg->vtep_ipv6;
	evf_node.mac = cfg->mac;
	evf_node.udp_port = cfg->udp_port ? cfg->udp_port : 4789;
	evf_node.udp_port_be = rte_cpu_to_be_16(evf_node.udp_port);
	evf_node.ttl = cfg->ttl ? cfg->ttl : 64;
	evf_node.udp6_zero_checksum = cfg->udp6_zero_checksum;
	return 0;
}

int
evf_vtep_table_init(void)
{
	struct rte_hash_parameters hp = {
		.name = "evf_vtep_by_ip",
		.entries = EVF_MAX_VTEPS * 2,
		.key_len = sizeof(struct evf_ip),
		.hash_func = rte_jhash,
		.socket_id = SOCKET_ID_ANY,
	};

	if (vtep_by_ip == NULL) {
		vtep_by_ip = rte_hash_create(&hp);
		if (vtep_by_ip == NULL)
			return -ENOMEM;
	} else {
		rte_hash_reset(vtep_by_ip);
	}
	memset(evf_vteps, 0, sizeof(evf_vteps));
	nb_free = 0;
	for (int i = EVF_MAX_VTEPS - 1; i >= 0; i--)
		free_ids[nb_free++] = (uint16_t)i;
	nb_used = 0;
	return 0;
}

static void
build_tmpl(struct evf_vtep *v, uint16_t uplink)
{
	struct evf_encap_tmpl *t = &v->tmpl[uplink];
	const struct evf_port *port = &evf_ports[evf_uplinks[uplink]];
	uint8_t *h = t->hdr;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)h;
	uint16_t off = RTE_ETHER_HDR_LEN;
	struct rte_udp_hdr *udp;
	struct rte_vxlan_hdr *vx;

	memset(t, 0, sizeof(*t));
	t->port_id = port->port_id;
	eth->dst_addr = port->next_hop;
	eth->src_addr = evf_node.mac;
	if (port->underlay_vlan) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(h + off);
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(port->underlay_vlan);
		vh->eth_proto = rte_cpu_to_be_16(v->family == AF_INET ?
			RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
		off += sizeof(*vh);
	} else {
		eth->ether_type = rte_cpu_to_be_16(v->family == AF_INET ?
			RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
	}
	t->l2_len = (uint8_t)off;

	if (v->family == AF_INET) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(h + off);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = 0;
		ip->total_length = 0;          /* per packet */
		ip->packet_id = 0;             /* atomic datagram, RFC 6864 */
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = evf_node.ttl;
		ip->next_proto_id = IPPROTO_UDP;
		ip->hdr_checksum = 0;
		ip->src_addr = evf_node.ipv4.v4;
		ip->dst_addr = v->ip.v4;
		t->ip_sum = rte_raw_cksum(ip, sizeof(*ip));
		off += sizeof(*ip);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(h + off);
		ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip6->payload_len = 0;          /* per packet */
		ip6->proto = IPPROTO_UDP;
		ip6->hop_limits = evf_node.ttl;
		memcpy(ip6->src_addr, evf_node.ipv6.v6, 16);
		memcpy(ip6->dst_addr, v->ip.v6, 16);
		off += sizeof(*ip6);
	}
	udp = (struct rte_udp_hdr *)(h + off);
	udp->dst_port = evf_node.udp_port_be;
	udp->src_port = 0;     /* per packet: inner flow hash */
	udp->dgram_len = 0;    /* per packet */
	udp->dgram_cksum = 0;
	off += sizeof(*udp);
	vx = (struct rte_vxlan_hdr *)(h + off);
	vx->vx_flags = rte_cpu_to_be_32(0x08000000); /* I flag */
	vx->vx_vni = 0;        /* per packet: the MAC-VRF's VNI */
	off += sizeof(*vx);
	t->len = (uint8_t)off;
	t->l3_len = (uint8_t)(off - t->l2_len);
	t->ipv4 = v->family == AF_INET;
	t->max_inner = port->mtu > t->l3_len ? (uint16_t)(port->mtu - t->l3_len) : 0;
}

static void
build_all_tmpl(struct evf_vtep *v)
{
	for (uint16_t u = 0; u < evf_nb_uplinks; u++)
		build_tmpl(v, u);
}

int
evf_vtep_find(const struct evf_ip *ip)
{
	struct evf_ip key;
	void *data;

	memset(&key, 0, sizeof(key));
	key.family = ip->family;
	if (ip->family == AF_INET)
		key.v4 = ip->v4;
	else
		memcpy(key.v6, ip->v6, 16);
	if (rte_hash_lookup_data(vtep_by_ip, &key, &data) < 0)
		return -ENOENT;
	return (int)(uintptr_t)data;
}

int
evf_vtep_get(const struct evf_ip *ip)
{
	struct evf_ip key;
	struct evf_vtep *v;
	int id;

	if (ip->family != AF_INET && ip->family != AF_INET6)
		return -EAFNOSUPPORT;
	id = evf_vtep_find(ip);
	if (id >= 0) {
		evf_vteps[id].refcnt++;
		return id;
	}
	if (nb_free == 0)
		return -ENOSPC;
	memset(&key, 0, sizeof(key));
	key.family = ip->family;
	if (ip->family == AF_INET)
		key.v4 = ip->v4;
	else
		memcpy(key.v6, ip->v6, 16);

	id = free_ids[--nb_free];
	v = &evf_vteps[id];
	memset(v, 0, sizeof(*v));
	v->ip = key;
	v->id = (uint16_t)id;
	v->family = ip->family;
	v->usable = evf_nb_uplinks > 0 && (ip->family == AF_INET ?
		evf_node.ipv4.family == AF_INET : evf_node.ipv6.family == AF_INET6);
	build_all_tmpl(v);
	v->refcnt = 1;
	v->in_use = 1;
	if (rte_hash_add_key_data(vtep_by_ip, &key, (void *)(uintptr_t)id) < 0) {
		v->in_use = 0;
		free_ids[nb_free++] = (uint16_t)id;
		return -ENOSPC;
	}
	/* Publish the finished template before any id reference can reach a worker. */
	rte_atomic_thread_fence(__ATOMIC_RELEASE);
	nb_used++;
	return id;
}

void
evf_vtep_ref(uint16_t id)
{
	if (id < EVF_MAX_VTEPS && evf_vteps[id].in_use)
		evf_vteps[id].refcnt++;
}

static void
vtep_slot_free(void *unused, uint64_t id)
{
	(void)unused;
	evf_vteps[id].in_use = 0;
	free_ids[nb_free++] = (uint16_t)id;
}

void
evf_vtep_put(uint16_t id)
{
	struct evf_vtep *v;

	if (id >= EVF_MAX_VTEPS)
		return;
	v = &evf_vteps[id];
	if (!v->in_use || v->refcnt == 0)
		return;
	if (--v->refcnt > 0)
		return;
	rte_hash_del_key(vtep_by_ip, &v->ip);
	nb_used--;
	evf_rcu_defer(vtep_slot_free, NULL, id);
}

void
evf_vtep_rebuild_all(void)
{
	for (int i = 0; i < EVF_MAX_VTEPS; i++)
		if (evf_vteps[i].in_use)
			build_all_tmpl(&evf_vteps[i]);
}

uint32_t
evf_vtep_count(void)
{
	return nb_used;
}

/* The node in a state dump: our VTEP addresses, the next hop of every route
 * the control plane originates for us. */
static bool
node_dump(uint64_t *cursor, unsigned int budget)
{
	struct evf_event ev;

	if (*cursor == 0 && budget > 0) {
		memset(&ev, 0, sizeof(ev));
		ev.type = EVF_EV_NODE;
		ev.vtep4 = evf_node.ipv4;
		ev.vtep6 = evf_node.ipv6;
		ev.attach = EVF_INVALID_ID;
		evf_event_dump_put(&ev);
		*cursor = 1;
	}
	return *cursor == 1;
}

void
evf_node_register_dump(void)
{
	evf_event_register_dump(EVF_DUMP_NODE, node_dump);
}
