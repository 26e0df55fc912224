/* evf_xdp_abi.h: what the XDP steering program (evfwd_xdp.bpf.c, kernel) and
 * its loader (xdp_steer.c, main thread) must agree on: map and program names,
 * the layout of the config entry and the counter indexes.
 *
 * Compiled both by clang -target bpf and by the host compiler, so it uses
 * only <linux/types.h> types. Changing the layout means rebuilding the object
 * and evfwd together (they are built by the same ninja run). */
#ifndef EVF_XDP_ABI_H
#define EVF_XDP_ABI_H

#include <linux/types.h>

/* Names as the kernel reports them (at most 15 characters). xsks_map is the
 * name DPDK's net_af_xdp PMD looks up in an xdp_prog= object. */
#define EVF_XDP_PROG_NAME  "evf_xdp_steer"
#define EVF_XDP_XSKS_MAP   "xsks_map"
#define EVF_XDP_CFG_MAP    "evf_xdp_cfg"
#define EVF_XDP_STATS_MAP  "evf_xdp_stats"

#define EVF_XDP_MAX_QUEUES 64     /**< xsks_map entries: one per RX queue id */

/* evf_xdp_cfg.flags */
#define EVF_XDP_F_ENABLED  0x1u   /**< config written; before that everything passes */
#define EVF_XDP_F_IPV4     0x2u   /**< vtep4 is set */
#define EVF_XDP_F_IPV6     0x4u   /**< vtep6 is set */

/** The single entry (key 0) of the BPF_MAP_TYPE_ARRAY evf_xdp_cfg. */
struct evf_xdp_cfg {
	__be32 vtep4;             /**< our VTEP IPv4 address, network order */
	__u8 vtep6[16];           /**< our VTEP IPv6 address */
	__be16 udp_port;          /**< VXLAN UDP destination port, network order */
	__u16 vlan;               /**< underlay 802.1Q VID (host order), 0 = untagged */
	__u32 flags;              /**< EVF_XDP_F_* */
};

/** Indexes of the BPF_MAP_TYPE_PERCPU_ARRAY evf_xdp_stats (packets, __u64).
 *  Every packet is counted exactly once. */
enum evf_xdp_counter {
	EVF_XDP_REDIRECTED = 0,   /**< VXLAN to our VTEP: sent to the AF_XDP socket */
	EVF_XDP_PASS_NO_CONFIG,   /**< config not written yet */
	EVF_XDP_PASS_MALFORMED,   /**< truncated headers, bad IPv4 version/IHL */
	EVF_XDP_PASS_NOT_IP,      /**< ARP, LLDP, LACP, ... */
	EVF_XDP_PASS_VLAN,        /**< tagged when the underlay is not, or another VID */
	EVF_XDP_PASS_OTHER_DST,   /**< IP destination is not our VTEP */
	EVF_XDP_PASS_FRAGMENT,    /**< IPv4 fragment or IPv6 fragment header */
	EVF_XDP_PASS_IPV6_EXT,    /**< IPv6 with other extension headers (not parsed) */
	EVF_XDP_PASS_NOT_UDP,     /**< to our VTEP but not UDP (ICMP, BGP/TCP, ...) */
	EVF_XDP_PASS_OTHER_PORT,  /**< UDP to our VTEP, another port */
	EVF_XDP_PASS_NO_SOCKET,   /**< VXLAN, but no AF_XDP socket on this RX queue */
	EVF_XDP_NB_COUNTERS,
};

#endif /* EVF_XDP_ABI_H */
