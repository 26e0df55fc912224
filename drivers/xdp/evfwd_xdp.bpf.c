/* evfwd_xdp.bpf.c: XDP program for evfwd network ports on net_af_xdp
 * ("xdp-steering: vxlan"). Runs in the kernel, in the driver's receive path,
 * once per received frame, on whatever CPU handles that RX queue.
 *
 * A leaf's underlay NIC also carries the kernel's own traffic (BGP to the
 * spine, ARP/ND, SSH, ...). This program sends to the AF_XDP socket of the RX
 * queue only VXLAN for our VTEP:
 *   Ethernet [+ one 802.1Q tag = the underlay VLAN]
 *   / IPv4 (any IHL, not a fragment) or IPv6 (no extension headers)
 *   / destination = evf_xdp_cfg.vtep4 or vtep6
 *   / UDP destination port = evf_xdp_cfg.udp_port
 * and returns XDP_PASS for everything else, so the kernel keeps it.
 *
 * IPv6 packets with extension headers and fragments go to the kernel: a
 * remote VTEP sends neither in practice, and evfwd would drop fragments.
 * Until the loader (xdp_steer.c) writes the config entry, everything passes.
 *
 * DPDK's net_af_xdp PMD loads this object when given xdp_prog=PATH: it takes
 * the first program, attaches it to the interface and inserts each RX
 * queue's socket into the map named "xsks_map" at the queue id.
 *
 * Build: clang -O2 -g -target bpf (drivers/xdp/meson.build); -g gives the
 * BTF that libbpf needs for the map definitions below. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "evf_xdp_abi.h"

/* RX queue id -> AF_XDP socket (filled by the PMD). */
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, EVF_XDP_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

/* Key 0: what to steer (filled by evfwd after the port started). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct evf_xdp_cfg);
} evf_xdp_cfg SEC(".maps");

/* enum evf_xdp_counter -> packets, per CPU (no atomics needed). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, EVF_XDP_NB_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} evf_xdp_stats SEC(".maps");

struct evf_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

static __always_inline int
verdict(__u32 reason, int action)
{
	__u64 *cnt = bpf_map_lookup_elem(&evf_xdp_stats, &reason);

	if (cnt != NULL)
		*cnt += 1;
	return action;
}

static __always_inline int
pass(__u32 reason)
{
	return verdict(reason, XDP_PASS);
}

static __always_inline int
is_vtep6(const struct ipv6hdr *ip6, const struct evf_xdp_cfg *cfg)
{
	const __u32 *a = ip6->daddr.in6_u.u6_addr32;
	const __u32 *b = (const __u32 *)cfg->vtep6;

	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

SEC("xdp")
int
evf_xdp_steer(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	const struct evf_xdp_cfg *cfg;
	struct ethhdr *eth = data;
	struct udphdr *udp;
	void *l3;
	__u32 key = 0;
	__u16 vlan = 0;
	__be16 proto;
	int action;

	cfg = bpf_map_lookup_elem(&evf_xdp_cfg, &key);
	if (cfg == NULL || !(cfg->flags & EVF_XDP_F_ENABLED))
		return pass(EVF_XDP_PASS_NO_CONFIG);

	/* Ethernet, optionally one 802.1Q tag */
	if ((void *)(eth + 1) > end)
		return pass(EVF_XDP_PASS_MALFORMED);
	proto = eth->h_proto;
	l3 = eth + 1;
	if (proto == bpf_htons(ETH_P_8021Q)) {
		struct evf_vlan_hdr *vh = l3;

		if ((void *)(vh + 1) > end)
			return pass(EVF_XDP_PASS_MALFORMED);
		vlan = bpf_ntohs(vh->tci) & 0x0fff;
		proto = vh->proto;
		l3 = vh + 1;
	}
	if (proto != bpf_htons(ETH_P_IP) && proto != bpf_htons(ETH_P_IPV6))
		return pass(EVF_XDP_PASS_NOT_IP);
	if (vlan != cfg->vlan)
		return pass(EVF_XDP_PASS_VLAN);

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		__u32 ihl;

		if ((void *)(ip + 1) > end)
			return pass(EVF_XDP_PASS_MALFORMED);
		if (!(cfg->flags & EVF_XDP_F_IPV4) || ip->daddr != cfg->vtep4)
			return pass(EVF_XDP_PASS_OTHER_DST);
		ihl = ip->ihl;     /* 4 bits: the offset below stays bounded */
		if (ip->version != 4 || ihl < 5)
			return pass(EVF_XDP_PASS_MALFORMED);
		if (ip->frag_off & bpf_htons(0x3fff))   /* MF or a fragment offset */
			return pass(EVF_XDP_PASS_FRAGMENT);
		if (ip->protocol != IPPROTO_UDP)
			return pass(EVF_XDP_PASS_NOT_UDP);
		udp = (struct udphdr *)((__u8 *)ip + ihl * 4);
	} else {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > end)
			return pass(EVF_XDP_PASS_MALFORMED);
		if (!(cfg->flags & EVF_XDP_F_IPV6) || !is_vtep6(ip6, cfg))
			return pass(EVF_XDP_PASS_OTHER_DST);
		if (ip6->version != 6)
			return pass(EVF_XDP_PASS_MALFORMED);
		if (ip6->nexthdr == IPPROTO_FRAGMENT)
			return pass(EVF_XDP_PASS_FRAGMENT);
		if (ip6->nexthdr == IPPROTO_HOPOPTS || ip6->nexthdr == IPPROTO_ROUTING ||
		    ip6->nexthdr == IPPROTO_DSTOPTS)
			return pass(EVF_XDP_PASS_IPV6_EXT);
		if (ip6->nexthdr != IPPROTO_UDP)
			return pass(EVF_XDP_PASS_NOT_UDP);
		udp = (struct udphdr *)(ip6 + 1);
	}

	if ((void *)(udp + 1) > end)
		return pass(EVF_XDP_PASS_MALFORMED);
	if (udp->dest != cfg->udp_port)
		return pass(EVF_XDP_PASS_OTHER_PORT);

	/* No socket on this queue (e.g. more queues than evfwd uses): the
	 * helper returns the fallback action in the flags, XDP_PASS. */
	action = bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
	return verdict(action == XDP_REDIRECT ? EVF_XDP_REDIRECTED : EVF_XDP_PASS_NO_SOCKET,
		       action);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
