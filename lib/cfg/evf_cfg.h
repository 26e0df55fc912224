/* evf_cfg.h: the typed configuration evfwd runs from, loaded from YAML.
 *
 * Loading validates everything (ranges, formats, references, duplicates) and
 * either returns a complete struct evf_cfg or an error naming file, line,
 * column and key. Nothing is applied to ports or tables by the loader; the
 * main thread applies a loaded config all-or-nothing at start-up.
 * doc/config.md is the user reference for every key below. */
#ifndef EVF_CFG_H
#define EVF_CFG_H

#include <stdint.h>
#include <stdbool.h>

#include <rte_ether.h>

#include "evf_common.h"
#include "evf_addr.h"

#define EVF_CFG_DEVICE_LEN 512
#define EVF_CFG_ERR_LEN    512
#define EVF_CFG_PATH_LEN   256
#define EVF_CFG_MAX_DEPTH  64     /**< YAML nesting levels (the top mapping is level 1) */

/** "xdp-steering" of a net_af_xdp network port (drivers/xdp). */
enum evf_xdp_steer {
	EVF_XDP_STEER_NONE = 0,       /**< the PMD's default program: every frame to evfwd */
	EVF_XDP_STEER_VXLAN,          /**< evfwd's program: only VXLAN for our VTEP */
};

enum evf_port_role {
	EVF_ROLE_ACCESS = 0,
	EVF_ROLE_NETWORK,
};

struct evf_cfg_node {
	char name[EVF_NAME_LEN];          /**< "name", default "evfwd" */
	struct evf_ip vtep_ipv4;          /**< "vtep-ipv4" (family 0 when absent) */
	struct evf_ip vtep_ipv6;          /**< "vtep-ipv6" */
	struct rte_ether_addr mac;        /**< "mac": outer source MAC */
	bool has_mac;                     /**< false: use the first network port's MAC */
	uint16_t udp_port;                /**< "udp-port", default 4789 */
	uint8_t ttl;                      /**< "ttl" 1..255, default 64 */
	bool udp6_zero_checksum;          /**< "udp6-zero-checksum", default false */
	uint32_t fdb_capacity;            /**< "fdb-capacity" 1024..16777216, default 131072 */
	uint32_t mbufs;                   /**< "mbufs" 0 = sized automatically, else 1024..4294967295 */
};

/** An address with its prefix length ("198.19.1.1/24"). */
struct evf_cfg_prefix {
	struct evf_ip ip;
	uint8_t len;
};

#define EVF_CFG_PORT_MAX_ADDRS 4   /**< "addresses" of a network port */
#define EVF_CFG_PORT_MAX_GWS   4   /**< "gateways" of a network port */

/** A network port's underlay: its addresses and the gateways evfwd resolves
 *  by ARP/ND (lib/underlay, doc/config.md). */
struct evf_cfg_underlay {
	uint8_t nb_addrs;
	struct evf_cfg_prefix addrs[EVF_CFG_PORT_MAX_ADDRS]; /**< "addresses" */
	uint8_t nb_gws;
	struct evf_ip gws[EVF_CFG_PORT_MAX_GWS];             /**< "gateways" */
	uint32_t probe_interval_ms;       /**< "probe-interval" 10..60000 ms, default 1000 */
	uint32_t probe_misses;            /**< "probe-misses" 1..100, default 3 */
	uint32_t nd_rate;                 /**< "arp-nd-rate" per worker and second, 0 no limit; default 1000 */
};

struct evf_cfg_port {
	char name[EVF_NAME_LEN];          /**< "name" (required, unique among ports and LAGs) */
	char device[EVF_CFG_DEVICE_LEN];  /**< "device": PCI address or vdev devargs (required) */
	enum evf_port_role role;          /**< "role": access | network (required) */
	struct rte_ether_addr next_hop;   /**< "next-hop-mac" (network: required without "gateways") */
	bool has_next_hop;                /**< "next-hop-mac" given: a static next hop, no resolution */
	uint16_t underlay_vlan;           /**< "vlan" (network only) 1..4094, 0 = untagged */
	uint16_t mtu;                     /**< "mtu" 68..9600, default 1500 */
	uint16_t rx_queues;               /**< "rx-queues" 0..1024, 0 = one per worker when the device allows */
	uint16_t rx_desc;                 /**< "rx-descriptors" 64..16384, default 1024 */
	uint16_t tx_desc;                 /**< "tx-descriptors" 64..16384, default 1024 */
	bool admin_up;                    /**< "admin-state": enable | disable, default enable */
	enum evf_xdp_steer xdp_steering;  /**< "xdp-steering" (net_af_xdp network ports), default none */
	char xdp_object[EVF_CFG_PATH_LEN]; /**< "xdp-object": "" = the object built with evfwd */
	struct evf_cfg_underlay ul;       /**< "addresses", "gateways", "probe-*", "arp-nd-rate" (network) */
	unsigned int line;                /**< line of the entry, for later error messages */
};

struct evf_cfg_attach {
	char port[EVF_NAME_LEN];          /**< "port": a port (role access) or a LAG name */
	uint16_t vlan;                    /**< "vlan": 1..4094 or "untagged" (EVF_VLAN_UNTAGGED) */
};

struct evf_cfg_remote_mac {
	struct rte_ether_addr mac;        /**< "mac" (unicast) */
	struct evf_ip vtep;               /**< "vtep" */
};

struct evf_cfg_local_mac {
	struct rte_ether_addr mac;        /**< "mac" (unicast) */
	struct evf_cfg_attach attach;     /**< "port" + "vlan": one of this MAC-VRF's attachments */
};

#define EVF_CFG_IRB_MAX_ADDRS 8

/** "irb": the MAC-VRF's gateway (RFC 9135 anycast gateway). */
struct evf_cfg_irb {
	bool enabled;                     /**< the section is there */
	struct rte_ether_addr mac;        /**< "mac": the gateway MAC every PE shares (required) */
	uint8_t nb_addrs;
	struct evf_cfg_prefix addrs[EVF_CFG_IRB_MAX_ADDRS];   /**< "addresses": anycast, every PE */
	uint8_t nb_unique;
	struct evf_cfg_prefix unique[EVF_CFG_IRB_MAX_ADDRS];  /**< "unique-addresses": this PE's own */
	bool has_unique_mac;
	struct rte_ether_addr unique_mac; /**< "unique-mac": this PE's own MAC, default node.mac */
	char host_port[EVF_NAME_LEN];     /**< "host-port": an access port (net_tap) for the host stack */
	uint32_t host_rate;               /**< "host-rate" packets/s to the host per worker, default 2000 */
};

enum evf_cfg_nd_unknown { EVF_CFG_ND_FLOOD = 0, EVF_CFG_ND_DROP };

/** "arp-nd": MAC/IP bindings, proxy ARP/ND (RFC 9161). */
struct evf_cfg_nd {
	bool enabled;                     /**< the section is there, or "irb" is */
	bool proxy;                       /**< "proxy", default true */
	uint8_t unknown;                  /**< "unknown": flood (default) | drop */
	uint32_t limit;                   /**< "binding-limit" 1..1048576, default 4096 */
	uint32_t aging;                   /**< "binding-aging" s, 0 never, default 1200 */
	uint32_t rate;                    /**< "rate": ARP/ND packets/s handled per worker, default 1000 */
	uint32_t dup_moves;               /**< "ip-duplication.num-moves", default 5 */
	uint32_t dup_window;              /**< "ip-duplication.monitoring-window" s, default 180 */
	uint32_t dup_hold;                /**< "ip-duplication.hold-down" s, 0 until cleared, default 540 */
};

struct evf_cfg_bd {
	char name[EVF_NAME_LEN];          /**< "name" (required, unique) */
	uint32_t vni;                     /**< "vni" 1..16777215 (required, unique) */
	uint32_t evi;                     /**< "evi" 1..16777215, default = vni (DF election value) */
	uint32_t mac_aging;               /**< "mac-aging" seconds 0 (never) or 1..86400, default 300 */
	bool learning;                    /**< "learning", default true */
	uint32_t mac_limit;               /**< "mac-limit" 0 = no limit, else 1..fdb-capacity */
	bool allow_inner_vlan;            /**< "allow-inner-vlan", default false */
	uint32_t dup_moves;               /**< "mac-duplication.num-moves" 2..1000, default 5 */
	uint32_t dup_window;              /**< "mac-duplication.monitoring-window" s 1..3600, default 180 */
	uint32_t dup_hold;                /**< "mac-duplication.hold-down" s 0 (until cleared) or 1..86400, default 540 */
	uint8_t dup_blackhole;            /**< "mac-duplication.action": 0 stop-learning (default), 1 blackhole */
	uint16_t nb_attach;
	struct evf_cfg_attach *attach;    /**< "attachments" */
	uint16_t nb_vteps;
	struct evf_ip *vteps;             /**< "remote-vteps": static flood list */
	uint32_t nb_macs;
	struct evf_cfg_remote_mac *macs;  /**< "remote-macs": static remote MACs */
	uint32_t nb_local_macs;
	struct evf_cfg_local_mac *local_macs; /**< "static-macs": MACs pinned to an attachment */
	struct evf_cfg_irb irb;           /**< "irb" */
	struct evf_cfg_nd nd;             /**< "arp-nd" */
	unsigned int line;                /**< line of the entry, for later error messages */
};

#define EVF_CFG_LAG_MAX_MEMBERS   8
#define EVF_CFG_LAG_MAX_MGMT_MACS 8
#define EVF_MAX_LAGS              32

enum evf_cfg_lag_mode { EVF_CFG_LAG_LACP = 0, EVF_CFG_LAG_STATIC };
enum evf_cfg_tx_hash { EVF_CFG_HASH_L2 = 0, EVF_CFG_HASH_L23, EVF_CFG_HASH_L34 };

struct evf_cfg_lag_member {
	char port[EVF_NAME_LEN];          /**< "port": an access port (required) */
	uint16_t port_number;             /**< "port-number" 1..65535, default position (1..) */
	uint16_t port_priority;           /**< "port-priority" 1..65535, default 255 */
};

struct evf_cfg_lag {
	char name[EVF_NAME_LEN];          /**< "name" (required, unique among ports and LAGs) */
	uint8_t nb_members;
	struct evf_cfg_lag_member members[EVF_CFG_LAG_MAX_MEMBERS]; /**< "members" (1..8, required) */
	uint8_t mode;                     /**< "mode": lacp | static, default lacp */
	uint8_t passive;                  /**< "lacp.activity": active (0, default) | passive (1) */
	uint8_t fast;                     /**< "lacp.interval": slow (0, default) | fast (1) */
	bool has_system_id;
	struct rte_ether_addr system_id;  /**< "lacp.system-id", default the node MAC */
	uint16_t system_priority;         /**< "lacp.system-priority" 1..65535, default 32768 */
	uint16_t key;                     /**< "lacp.key" 1..65535, default 1 */
	uint8_t min_links;                /**< "min-links" 1..members, default 1 */
	uint8_t tx_hash;                  /**< "tx-hash": l2 | l23 | l34 (default) */
	char mgmt_member[EVF_NAME_LEN];   /**< "management.member" ("" = none) */
	uint8_t nb_mgmt_macs;
	struct rte_ether_addr mgmt_macs[EVF_CFG_LAG_MAX_MGMT_MACS]; /**< "management.macs" */
	uint16_t mgmt_vlan;               /**< "management.vlan" 1..4094, 0 = none */
	unsigned int line;
};

enum evf_cfg_es_mode { EVF_CFG_ES_ALL_ACTIVE = 0, EVF_CFG_ES_SINGLE_ACTIVE };
enum evf_cfg_df_alg { EVF_CFG_DF_MODULO = 0, EVF_CFG_DF_HRW, EVF_CFG_DF_PREFERENCE };

struct evf_cfg_es {
	char name[EVF_NAME_LEN];          /**< "name" (required, unique) */
	struct evf_esi esi;               /**< "esi" (required, unique, not all-zero/all-ones) */
	uint8_t mode;                     /**< "mode": all-active | single-active, default all-active */
	char iface[EVF_NAME_LEN];         /**< "interface": access port (or LAG) it covers */
	uint8_t df_alg;                   /**< "df-election.algorithm": modulo | hrw | preference */
	uint16_t df_pref;                 /**< "df-election.preference" 0..65535, default 32767 */
	bool df_dont_preempt;             /**< "df-election.dont-preempt", default false */
	uint32_t df_timer;                /**< "df-timer" seconds 0..100, default 3 */
	uint32_t activation_timer;        /**< "activation-timer" seconds 0..100, default 0 */
	unsigned int line;
};

struct evf_cfg_ring {
	bool enabled;                     /**< the section is present */
	char name[128];                   /**< "name": POSIX shm name, "/evfwd" by default */
	uint32_t records;                 /**< "records": routes ring size, power of two 64..4194304, default 65536 */
	uint32_t event_records;           /**< "event-records": events ring size, same range, default 65536 */
	uint32_t hold_time;               /**< "hold-time" s 1..3600, default 30: sweep without SYNC-END */
	uint32_t batch;                   /**< "batch" 1..4096, default 256 records per poll */
	uint32_t producer_timeout;        /**< "producer-timeout" s 0 (off, default) or 1..3600:
	                                       silent producer = gone (hold-time, then swept) */
};

/** "control-socket": the shell served on a unix socket (app/evfwd/shell/ctl_socket.c). */
struct evf_cfg_ctlsock {
	bool enabled;                     /**< the section is present */
	char path[108];                   /**< "path": absolute, at most 107 characters (sun_path);
	                                       default /run/evfwd/NODE-NAME.sock */
	uint32_t max_clients;             /**< "max-clients" 1..1024, default 16 */
	uint32_t output_buffer;           /**< "output-buffer" bytes 4096..1073741824, default
	                                       1048576: unread replies a client may leave */
};

/** "metrics": the OpenMetrics / Prometheus HTTP endpoint (app/evfwd/metrics/). */
struct evf_cfg_metrics {
	bool enabled;                     /**< the section is present */
	struct evf_ip addr;               /**< "listen" address, default 127.0.0.1 */
	uint16_t port;                    /**< "listen" port, default 9469 */
	uint32_t max_connections;         /**< "max-connections" 1..1024, default 32 */
	uint32_t request_timeout;         /**< "request-timeout" s 1..300, default 5: a connection
	                                       must send a whole request within it */
};

struct evf_cfg_workers {
	uint16_t count;                   /**< "count" 1..EVF_MAX_WORKERS, default 1 */
	uint16_t nb_lcores;
	uint16_t lcores[EVF_MAX_WORKERS]; /**< "lcores": explicit worker lcores (optional) */
	uint16_t burst;                   /**< "burst" 1..64, default 32 */
	uint32_t idle_sleep_us;           /**< "idle-sleep-us" 0..100000, default 0 (busy poll) */
};

struct evf_cfg {
	char path[256];
	struct evf_cfg_node node;
	uint16_t nb_ports;
	struct evf_cfg_port *ports;
	uint16_t nb_lags;
	struct evf_cfg_lag *lags;         /**< "lags" */
	uint16_t nb_bds;
	struct evf_cfg_bd *bds;
	uint16_t nb_es;
	struct evf_cfg_es *es;            /**< "ethernet-segments" */
	struct evf_cfg_ring ring;         /**< "control-ring" */
	struct evf_cfg_ctlsock ctlsock;   /**< "control-socket" */
	struct evf_cfg_metrics metrics;   /**< "metrics" */
	struct evf_cfg_workers workers;
};

/** Load and validate a YAML file. On error returns NULL and writes one line
 *  "FILE:LINE:COL: KEY: reason" into err. */
struct evf_cfg *evf_cfg_load(const char *path, char *err, size_t errlen);
/** Same from a memory buffer; name is used as FILE in messages. */
struct evf_cfg *evf_cfg_load_buffer(const char *name, const char *buf, size_t len,
	char *err, size_t errlen);
void evf_cfg_free(struct evf_cfg *cfg);

/** Index of a port by name, or -ENOENT. */
int evf_cfg_port_index(const struct evf_cfg *cfg, const char *name);
/** Index of a LAG by name, or -ENOENT. */
int evf_cfg_lag_index(const struct evf_cfg *cfg, const char *name);
/** Index of the LAG a port is a member of, or -ENOENT. */
int evf_cfg_lag_of_port(const struct evf_cfg *cfg, const char *port);

#endif /* EVF_CFG_H */
