/* nd_codec.c: parsing and building ARP and IPv6 NS/NA messages (evf_nd.h).
 * Pure functions, any thread; workers call them only for ARP and ICMPv6
 * frames. Every check of RFC 826 and RFC 4861 7.1.1/7.1.2 that a receiver
 * must make is made here, each failure under its own drop reason. */
#include <arpa/inet.h>
#include <string.h>

#include "evf_nd.h"
#include "evf_stats.h"

#define IP6_HDR_LEN 40
#define ICMP6_ND_LEN 24   /* type, code, checksum, reserved/flags, target */

static uint16_t
ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
ip4_of(struct evf_ip *ip, const uint8_t *p)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_INET;
	memcpy(&ip->v4, p, 4);
}

static void
ip6_of(struct evf_ip *ip, const uint8_t *p)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_INET6;
	memcpy(ip->v6, p, 16);
}

static bool
zero16(const uint8_t *p)
{
	static const uint8_t z[16];

	return memcmp(p, z, 16) == 0;
}

bool
evf_nd_ip_unicast(const struct evf_ip *ip)
{
	if (ip->family == AF_INET) {
		uint32_t a = ntohl(ip->v4);

		return a != 0 && a != 0xffffffffu && (a >> 28) != 0xe && (a >> 24) != 127;
	}
	if (ip->family == AF_INET6) {
		static const uint8_t loop[16] = { [15] = 1 };

		return ip->v6[0] != 0xff && !zero16(ip->v6) && memcmp(ip->v6, loop, 16) != 0;
	}
	return false;
}

/* Sum of 16-bit big-endian words of len bytes (odd length padded). */
static uint32_t
sum16(const uint8_t *p, uint32_t len, uint32_t acc)
{
	for (uint32_t i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)ld16(p + i);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	return acc;
}

uint16_t
evf_icmp6_cksum(const uint8_t *ip6, uint32_t len)
{
	uint32_t plen = ld16(ip6 + 4), acc;

	if (plen + IP6_HDR_LEN > len)
		return 0xffff;
	/* pseudo-header: source, destination, upper-layer length, next header */
	acc = sum16(ip6 + 8, 32, 0);
	acc += plen >> 16;
	acc += plen & 0xffff;
	acc += 58;
	acc = sum16(ip6 + IP6_HDR_LEN, plen, acc);
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

static int
parse_arp(const uint8_t *a, uint32_t len, const struct rte_ether_addr *eth_src,
	  struct evf_nd_msg *m)
{
	uint16_t op;

	if (len < EVF_ARP_LEN)
		return EVF_DROP_ND_TRUNCATED;
	/* Ethernet hardware, IPv4 protocol, 6- and 4-byte addresses */
	if (ld16(a) != 1 || ld16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4)
		return EVF_DROP_ND_BAD_HEADER;
	op = ld16(a + 6);
	if (op != 1 && op != 2)
		return EVF_DROP_ND_BAD_HEADER;
	m->kind = op == 1 ? EVF_ND_ARP_REQUEST : EVF_ND_ARP_REPLY;
	memcpy(m->sender_mac.addr_bytes, a + 8, 6);
	ip4_of(&m->sender, a + 14);
	memcpy(m->target_mac.addr_bytes, a + 18, 6);
	ip4_of(&m->target, a + 24);
	if (!rte_is_same_ether_addr(&m->sender_mac, eth_src))
		return EVF_DROP_ND_LLA_MISMATCH;
	if (!rte_is_unicast_ether_addr(&m->sender_mac) || rte_is_zero_ether_addr(&m->sender_mac))
		return EVF_DROP_ND_BAD_ADDRESS;
	/* sender 0.0.0.0 is an RFC 5227 probe (a request only); the target
	 * must be a host address */
	if ((m->sender.v4 != 0 || m->kind == EVF_ND_ARP_REPLY) && !evf_nd_ip_unicast(&m->sender))
		return EVF_DROP_ND_BAD_ADDRESS;
	if (!evf_nd_ip_unicast(&m->target))
		return EVF_DROP_ND_BAD_ADDRESS;
	m->gratuitous = m->sender.v4 == m->target.v4;
	return 0;
}

/* The ICMPv6 options after the fixed part: every option has a non-zero
 * length and ends inside the message; the link-layer address option
 * wanted (SLLA for NS, TLLA for NA) is read. */
static int
parse_options(const uint8_t *o, uint32_t len, uint8_t want, struct evf_nd_msg *m)
{
	while (len > 0) {
		uint32_t olen;

		if (len < 2)
			return EVF_DROP_ND_BAD_OPTION;
		olen = (uint32_t)o[1] * 8;
		if (olen == 0 || olen > len)
			return EVF_DROP_ND_BAD_OPTION;
		if (o[0] == want) {
			if (olen != 8)   /* Ethernet: 6 bytes of address in an 8-byte option */
				return EVF_DROP_ND_BAD_OPTION;
			if (m->has_lla)
				return EVF_DROP_ND_BAD_OPTION;  /* twice */
			memcpy(m->sender_mac.addr_bytes, o + 2, 6);
			m->has_lla = true;
		}
		o += olen;
		len -= olen;
	}
	return 0;
}

static int
parse_nd6(const uint8_t *ip6, uint32_t len, const struct rte_ether_addr *eth_src,
	  struct evf_nd_msg *m)
{
	const uint8_t *icmp = ip6 + IP6_HDR_LEN;
	uint32_t plen;
	int rc;

	if (len < IP6_HDR_LEN)
		return EVF_DROP_ND_TRUNCATED;
	if ((ip6[0] >> 4) != 6)
		return 1;
	if (ip6[6] != 58)
		return 1;                     /* not ICMPv6 (or behind extension headers) */
	plen = ld16(ip6 + 4);
	if (plen + IP6_HDR_LEN > len)
		return EVF_DROP_ND_TRUNCATED;
	if (plen < 1 || (icmp[0] != EVF_ICMP6_NS && icmp[0] != EVF_ICMP6_NA))
		return 1;                     /* another ICMPv6 message */
	if (plen < ICMP6_ND_LEN)
		return EVF_DROP_ND_TRUNCATED;
	/* RFC 4861 7.1: hop limit 255 (not forwarded), code 0, right checksum */
	if (ip6[7] != 255 || icmp[1] != 0)
		return EVF_DROP_ND_BAD_HEADER;
	if (evf_icmp6_cksum(ip6, len) != 0)
		return EVF_DROP_ND_BAD_CHECKSUM;
	ip6_of(&m->ip6_dst, ip6 + 24);
	ip6_of(&m->target, icmp + 8);
	if (!evf_nd_ip_unicast(&m->target))
		return EVF_DROP_ND_BAD_ADDRESS;
	if (icmp[0] == EVF_ICMP6_NS) {
		m->kind = EVF_ND_NS;
		rc = parse_options(icmp + ICMP6_ND_LEN, plen - ICMP6_ND_LEN, EVF_ND_OPT_SLLA, m);
		if (rc != 0)
			return rc;
		if (zero16(ip6 + 8)) {
			/* DAD: no SLLA, to the target's solicited-node group */
			static const uint8_t sn[13] = { 0xff, 0x02, [11] = 1, [12] = 0xff };

			m->dad = true;
			if (m->has_lla || memcmp(ip6 + 24, sn, 13) != 0 ||
			    memcmp(ip6 + 24 + 13, icmp + 8 + 13, 3) != 0)
				return EVF_DROP_ND_BAD_ADDRESS;
		} else {
			ip6_of(&m->sender, ip6 + 8);
			if (ip6[8] == 0xff)
				return EVF_DROP_ND_BAD_ADDRESS;
			/* unicast (RFC 4861 7.2.2): only to the target itself */
			if (ip6[24] != 0xff && memcmp(ip6 + 24, icmp + 8, 16) != 0)
				return EVF_DROP_ND_BAD_ADDRESS;
		}
	} else {
		m->kind = EVF_ND_NA;
		m->na_flags = icmp[4] & (EVF_NA_ROUTER | EVF_NA_SOLICITED | EVF_NA_OVERRIDE);
		/* a solicited NA never goes to a multicast group */
		if ((m->na_flags & EVF_NA_SOLICITED) && ip6[24] == 0xff)
			return EVF_DROP_ND_BAD_ADDRESS;
		rc = parse_options(icmp + ICMP6_ND_LEN, plen - ICMP6_ND_LEN, EVF_ND_OPT_TLLA, m);
		if (rc != 0)
			return rc;
		m->sender = m->target;
		m->gratuitous = !(m->na_flags & EVF_NA_SOLICITED);
	}
	if (m->has_lla && !rte_is_same_ether_addr(&m->sender_mac, eth_src))
		return EVF_DROP_ND_LLA_MISMATCH;
	if (!m->has_lla)
		m->sender_mac = *eth_src;
	return 0;
}

int
evf_nd_parse(const uint8_t *l3, uint32_t len, uint16_t ethertype,
	     const struct rte_ether_addr *eth_src, struct evf_nd_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	if (ethertype == EVF_ETHER_TYPE_ARP)
		return parse_arp(l3, len, eth_src, msg);
	if (ethertype == EVF_ETHER_TYPE_IPV6)
		return parse_nd6(l3, len, eth_src, msg);
	return 1;
}

/* ---- building ---- */

static uint8_t *
eth_hdr(uint8_t *out, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	uint16_t type)
{
	memcpy(out, dst->addr_bytes, 6);
	memcpy(out + 6, src->addr_bytes, 6);
	st16(out + 12, type);
	return out + 14;
}

static uint32_t
arp(uint8_t *out, uint16_t op, const struct rte_ether_addr *eth_dst,
    const struct rte_ether_addr *sha, uint32_t spa, const struct rte_ether_addr *tha, uint32_t tpa)
{
	uint8_t *a = eth_hdr(out, eth_dst, sha, EVF_ETHER_TYPE_ARP);

	st16(a, 1);
	st16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	st16(a + 6, op);
	memcpy(a + 8, sha->addr_bytes, 6);
	memcpy(a + 14, &spa, 4);
	memcpy(a + 18, tha->addr_bytes, 6);
	memcpy(a + 24, &tpa, 4);
	memset(a + EVF_ARP_LEN, 0, 60 - 14 - EVF_ARP_LEN);   /* Ethernet padding */
	return 60;
}

uint32_t
evf_nd_build_arp_reply(uint8_t *out, const struct evf_nd_msg *req, const struct rte_ether_addr *mac)
{
	return arp(out, 2, &req->sender_mac, mac, req->target.v4, &req->sender_mac,
		   req->sender.v4);
}

uint32_t
evf_nd_build_arp_probe(uint8_t *out, const struct rte_ether_addr *from_mac,
		       const struct evf_ip *src_ip, const struct evf_ip *ip,
		       const struct rte_ether_addr *mac)
{
	static const struct rte_ether_addr zero;

	return arp(out, 1, mac, from_mac, src_ip != NULL ? src_ip->v4 : 0, &zero, ip->v4);
}

/* IPv6 header + ICMPv6 NS/NA with one link-layer option; checksum filled. */
static uint32_t
nd6(uint8_t *out, const struct rte_ether_addr *eth_dst, const struct rte_ether_addr *eth_src,
    const uint8_t *src, const uint8_t *dst, uint8_t type, uint8_t flags, const uint8_t *target,
    uint8_t opt, const struct rte_ether_addr *lla)
{
	uint8_t *ip6 = eth_hdr(out, eth_dst, eth_src, EVF_ETHER_TYPE_IPV6);
	uint8_t *icmp = ip6 + IP6_HDR_LEN;
	uint16_t ck;

	memset(ip6, 0, IP6_HDR_LEN + ICMP6_ND_LEN + 8);
	ip6[0] = 0x60;
	st16(ip6 + 4, ICMP6_ND_LEN + 8);
	ip6[6] = 58;
	ip6[7] = 255;
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, dst, 16);
	icmp[0] = type;
	icmp[4] = flags;
	memcpy(icmp + 8, target, 16);
	icmp[24] = opt;
	icmp[25] = 1;
	memcpy(icmp + 26, lla->addr_bytes, 6);
	ck = evf_icmp6_cksum(ip6, IP6_HDR_LEN + ICMP6_ND_LEN + 8);
	st16(icmp + 2, ck);
	return 14 + IP6_HDR_LEN + ICMP6_ND_LEN + 8;
}

uint32_t
evf_nd_build_na(uint8_t *out, const struct evf_nd_msg *ns, const struct rte_ether_addr *dst_mac,
		const struct rte_ether_addr *mac, uint8_t flags)
{
	return nd6(out, dst_mac, mac, ns->target.v6, ns->sender.v6, EVF_ICMP6_NA,
		   (uint8_t)((flags & (EVF_NA_ROUTER | EVF_NA_OVERRIDE)) | EVF_NA_SOLICITED),
		   ns->target.v6, EVF_ND_OPT_TLLA, mac);
}

uint32_t
evf_nd_build_ns(uint8_t *out, const struct rte_ether_addr *from_mac, const struct evf_ip *src_ip,
		const struct evf_ip *ip, const struct rte_ether_addr *mac)
{
	return nd6(out, mac, from_mac, src_ip->v6, ip->v6, EVF_ICMP6_NS, 0, ip->v6,
		   EVF_ND_OPT_SLLA, from_mac);
}

uint32_t
evf_nd_build_ns_mcast(uint8_t *out, const struct rte_ether_addr *from_mac,
		      const struct evf_ip *src_ip, const struct evf_ip *ip)
{
	uint8_t group[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff };
	struct rte_ether_addr dst = { .addr_bytes = { 0x33, 0x33, 0xff } };

	memcpy(group + 13, ip->v6 + 13, 3);
	memcpy(dst.addr_bytes + 3, ip->v6 + 13, 3);
	return nd6(out, &dst, from_mac, src_ip->v6, group, EVF_ICMP6_NS, 0, ip->v6,
		   EVF_ND_OPT_SLLA, from_mac);
}
