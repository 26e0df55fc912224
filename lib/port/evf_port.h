/* evf_port.h: runtime view of ports and interfaces.
 *
 * A port is one ethdev (role access or network). An interface (iface) is what
 * attachments hang on: a single access port or a LAG. Both tables are filled
 * on the main thread at start-up; afterwards workers only read them, and the
 * control thread changes only the atomic fields marked below. */
#ifndef EVF_PORT_H
#define EVF_PORT_H

#include <stdint.h>
#include <stdbool.h>

#include <rte_ether.h>

#include "evf_common.h"
#include "evf_cfg.h"

enum evf_iface_kind {
	EVF_IFACE_PORT = 0,
	EVF_IFACE_LAG,
};

struct evf_port {
	char name[EVF_NAME_LEN];
	uint16_t port_id;           /**< ethdev port id */
	uint16_t iface;             /**< access: iface id; network: EVF_INVALID_ID */
	enum evf_port_role role;
	uint16_t mtu;               /**< largest L3 packet (outer packet on network ports) */
	uint16_t underlay_vlan;     /**< network: 802.1Q VLAN of the underlay, 0 = untagged */
	uint16_t uplink;            /**< network: index among uplinks */
	uint16_t nb_rxq, nb_txq;
	bool tx_ipv4_cksum;         /**< device computes outer IPv4 checksums */
	bool tx_udp_cksum;          /**< device computes UDP checksums */
	bool tx_multiseg;           /**< device transmits chained mbufs */
	uint8_t admin_up;           /**< atomic: 1 forwarding, 0 stopped (shell "port stop") */
	uint8_t lag_collecting;     /**< atomic, LAG members: 1 while the member collects */
	uint16_t lag;               /**< LAG id of a member, EVF_INVALID_ID otherwise */
	struct rte_ether_addr hw_mac;
	uint64_t hw_mac48;          /**< hw_mac as a 48-bit little-endian load */
	uint32_t underlay_tag_word; /**< network: bytes 12..15 of a frame tagged with underlay_vlan */
	struct rte_ether_addr next_hop; /**< network: underlay next-hop MAC */
	char device[EVF_CFG_DEVICE_LEN];
	char driver[32];
	bool configured;
};

struct evf_iface {
	char name[EVF_NAME_LEN];
	enum evf_iface_kind kind;
	uint16_t id;
	uint16_t port_id;           /**< EVF_IFACE_PORT: the port */
	uint16_t lag;               /**< EVF_IFACE_LAG: LAG id */
	uint16_t es;                /**< Ethernet Segment on this iface, EVF_INVALID_ID if none */
	uint16_t mtu;               /**< the port's MTU; a LAG's: the smallest member MTU */
	uint16_t vlan_to_attach[4096]; /**< VLAN id (0 = untagged/priority) -> attachment id */
};

extern struct evf_port evf_ports[EVF_MAX_PORTS];
extern struct evf_iface evf_ifaces[EVF_MAX_IFACES];
extern uint16_t evf_nb_ifaces;
/** Network ports in uplink order (ECMP set for encapsulated traffic). */
extern uint16_t evf_uplinks[EVF_MAX_UPLINKS];
extern uint16_t evf_nb_uplinks;

static inline bool
evf_port_is_up(const struct evf_port *p)
{
	return __atomic_load_n(&p->admin_up, __ATOMIC_RELAXED) != 0;
}

#endif /* EVF_PORT_H */
