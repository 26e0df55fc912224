/* test_nd_codec.c: CUnit tests of the ARP and IPv6 NS/NA codec (lib/nd/
 * nd_codec.c), pure functions: no EAL, no runtime. Frames are written by
 * this file's own builder, with its own ICMPv6 checksum code (RFC 4443 2.3
 * over the RFC 8200 8.1 pseudo-header), never by the code under test: valid
 * messages parse into every field, each malformed one is refused with its
 * exact drop reason, and the builders' frames are checked byte by byte and
 * parse back. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "evf_nd.h"
#include "evf_stats.h"
#include "evf_test_env.h"

static const struct rte_ether_addr H1 = { { 0x00, 0xc1, 0xab, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr H2 = { { 0x00, 0xc1, 0xab, 0x00, 0x00, 0x02 } };
static const struct rte_ether_addr GW = { { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x01 } };
static const struct rte_ether_addr MCAST = { { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr BCAST = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
static const struct rte_ether_addr ZERO;

/* ---- an independent frame writer ---- */

static uint32_t
v4(const char *s)
{
	struct in_addr a;

	CU_ASSERT_FATAL(inet_pton(AF_INET, s, &a) == 1);
	return a.s_addr;
}

static void
v6(const char *s, uint8_t *out)
{
	CU_ASSERT_FATAL(inet_pton(AF_INET6, s, out) == 1);
}

static struct evf_ip
ip4(const char *s)
{
	struct evf_ip ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET;
	ip.v4 = v4(s);
	return ip;
}

static struct evf_ip
ip6(const char *s)
{
	struct evf_ip ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET6;
	v6(s, ip.v6);
	return ip;
}

struct arp_spec {
	uint16_t htype, ptype, op;
	uint8_t hlen, plen;
	struct rte_ether_addr sha, tha;
	const char *spa, *tpa;
};

/* An ARP body (28 bytes) as written on the wire. */
static uint32_t
arp_body(uint8_t *b, const struct arp_spec *s)
{
	uint32_t spa = v4(s->spa), tpa = v4(s->tpa);

	b[0] = (uint8_t)(s->htype >> 8);
	b[1] = (uint8_t)s->htype;
	b[2] = (uint8_t)(s->ptype >> 8);
	b[3] = (uint8_t)s->ptype;
	b[4] = s->hlen;
	b[5] = s->plen;
	b[6] = (uint8_t)(s->op >> 8);
	b[7] = (uint8_t)s->op;
	memcpy(b + 8, s->sha.addr_bytes, 6);
	memcpy(b + 14, &spa, 4);
	memcpy(b + 18, s->tha.addr_bytes, 6);
	memcpy(b + 24, &tpa, 4);
	return 28;
}

static struct arp_spec
arp_req(const struct rte_ether_addr *sha, const char *spa, const char *tpa)
{
	struct arp_spec s = { 1, 0x0800, 1, 6, 4, *sha, ZERO, spa, tpa };

	return s;
}

/* Reference ICMPv6 checksum: one's complement of the one's complement sum of
 * the pseudo-header (source, destination, 32-bit length, 3 zero bytes, next
 * header 58) and the ICMPv6 message, with its checksum field as stored. */
static uint16_t
ref_cksum(const uint8_t *ip6hdr, const uint8_t *icmp, uint32_t icmp_len)
{
	uint8_t pseudo[40];
	uint64_t sum = 0;

	memcpy(pseudo, ip6hdr + 8, 32);
	pseudo[32] = (uint8_t)(icmp_len >> 24);
	pseudo[33] = (uint8_t)(icmp_len >> 16);
	pseudo[34] = (uint8_t)(icmp_len >> 8);
	pseudo[35] = (uint8_t)icmp_len;
	pseudo[36] = pseudo[37] = pseudo[38] = 0;
	pseudo[39] = 58;
	for (int i = 0; i < 40; i += 2)
		sum += (uint32_t)pseudo[i] << 8 | pseudo[i + 1];
	for (uint32_t i = 0; i < icmp_len; i += 2)
		sum += (uint32_t)icmp[i] << 8 | (i + 1 < icmp_len ? icmp[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

struct nd_spec {
	const char *src, *dst, *target;
	uint8_t type, code, hlim, flags;
	const uint8_t *opts;     /* raw options */
	uint32_t optlen;
	int cksum_delta;         /* added to the right checksum (0: right) */
};

/* IPv6 header + ICMPv6 NS/NA (+ options); returns the packet length. */
static uint32_t
nd_pkt(uint8_t *p, const struct nd_spec *s)
{
	uint32_t icmp_len = 24 + s->optlen;
	uint8_t *icmp = p + 40;
	uint16_t ck;

	memset(p, 0, 40 + icmp_len);
	p[0] = 0x60;
	p[4] = (uint8_t)(icmp_len >> 8);
	p[5] = (uint8_t)icmp_len;
	p[6] = 58;
	p[7] = s->hlim;
	v6(s->src, p + 8);
	v6(s->dst, p + 24);
	icmp[0] = s->type;
	icmp[1] = s->code;
	icmp[4] = s->flags;
	v6(s->target, icmp + 8);
	if (s->optlen)
		memcpy(icmp + 24, s->opts, s->optlen);
	ck = (uint16_t)(ref_cksum(p, icmp, icmp_len) + s->cksum_delta);
	icmp[2] = (uint8_t)(ck >> 8);
	icmp[3] = (uint8_t)ck;
	return 40 + icmp_len;
}

static void
lla_opt(uint8_t *o, uint8_t type, const struct rte_ether_addr *mac)
{
	o[0] = type;
	o[1] = 1;
	memcpy(o + 2, mac->addr_bytes, 6);
}

static bool
ip_is(const struct evf_ip *ip, const struct evf_ip want)
{
	return evf_ip_cmp(ip, &want) == 0;
}

static bool
mac_is(const struct rte_ether_addr *a, const struct rte_ether_addr *b)
{
	return memcmp(a->addr_bytes, b->addr_bytes, 6) == 0;
}

static int
parse_arp(const struct arp_spec *s, uint32_t len, const struct rte_ether_addr *src,
	  struct evf_nd_msg *m)
{
	uint8_t b[64];

	memset(b, 0, sizeof(b));
	arp_body(b, s);
	return evf_nd_parse(b, len, EVF_ETHER_TYPE_ARP, src, m);
}

static int
parse_nd(const struct nd_spec *s, int len_delta, const struct rte_ether_addr *src,
	 struct evf_nd_msg *m)
{
	uint8_t p[256];
	uint32_t len = nd_pkt(p, s);

	return evf_nd_parse(p, (uint32_t)((int)len + len_delta), EVF_ETHER_TYPE_IPV6, src, m);
}

/* ---- ARP ---- */

static void
test_arp_valid(void)
{
	struct evf_nd_msg m;
	struct arp_spec s = arp_req(&H1, "198.19.1.10", "198.19.1.1");

	/* request, with Ethernet padding after the body */
	CU_ASSERT_EQUAL_FATAL(parse_arp(&s, 46, &H1, &m), 0);
	CU_ASSERT_EQUAL(m.kind, EVF_ND_ARP_REQUEST);
	CU_ASSERT(ip_is(&m.sender, ip4("198.19.1.10")));
	CU_ASSERT(ip_is(&m.target, ip4("198.19.1.1")));
	CU_ASSERT(mac_is(&m.sender_mac, &H1));
	CU_ASSERT(mac_is(&m.target_mac, &ZERO));
	CU_ASSERT(!m.gratuitous && !m.dad && !m.has_lla);

	/* reply: the target hardware address is read */
	s = arp_req(&H2, "198.19.1.20", "198.19.1.10");
	s.op = 2;
	s.tha = H1;
	CU_ASSERT_EQUAL_FATAL(parse_arp(&s, 28, &H2, &m), 0);
	CU_ASSERT_EQUAL(m.kind, EVF_ND_ARP_REPLY);
	CU_ASSERT(mac_is(&m.target_mac, &H1));
	CU_ASSERT(mac_is(&m.sender_mac, &H2));
	CU_ASSERT(ip_is(&m.sender, ip4("198.19.1.20")));
	CU_ASSERT(ip_is(&m.target, ip4("198.19.1.10")));
	CU_ASSERT(!m.gratuitous);

	/* gratuitous ARP, as a request and as a reply */
	s = arp_req(&H1, "198.19.1.10", "198.19.1.10");
	CU_ASSERT_EQUAL(parse_arp(&s, 28, &H1, &m), 0);
	CU_ASSERT(m.kind == EVF_ND_ARP_REQUEST && m.gratuitous);
	s.op = 2;
	s.tha = BCAST;
	CU_ASSERT_EQUAL(parse_arp(&s, 28, &H1, &m), 0);
	CU_ASSERT(m.kind == EVF_ND_ARP_REPLY && m.gratuitous);

	/* RFC 5227 probe: sender 0.0.0.0 */
	s = arp_req(&H1, "0.0.0.0", "198.19.1.10");
	CU_ASSERT_EQUAL(parse_arp(&s, 28, &H1, &m), 0);
	CU_ASSERT(m.kind == EVF_ND_ARP_REQUEST && !m.gratuitous);
	CU_ASSERT_EQUAL(m.sender.v4, 0);
	CU_ASSERT(ip_is(&m.target, ip4("198.19.1.10")));
}

static void
test_arp_bad(void)
{
	struct evf_nd_msg m;
	struct arp_spec s;

#define ARP_BAD(field_stmt, len, src, why) do {                               \
		s = arp_req(&H1, "198.19.1.10", "198.19.1.1");                \
		field_stmt;                                                   \
		CU_ASSERT_EQUAL(parse_arp(&s, len, src, &m), why);            \
	} while (0)
	ARP_BAD((void)0, 27, &H1, EVF_DROP_ND_TRUNCATED);
	ARP_BAD((void)0, 0, &H1, EVF_DROP_ND_TRUNCATED);
	ARP_BAD(s.htype = 6, 28, &H1, EVF_DROP_ND_BAD_HEADER);          /* IEEE 802 */
	ARP_BAD(s.ptype = 0x86dd, 28, &H1, EVF_DROP_ND_BAD_HEADER);
	ARP_BAD(s.hlen = 8, 28, &H1, EVF_DROP_ND_BAD_HEADER);
	ARP_BAD(s.plen = 16, 28, &H1, EVF_DROP_ND_BAD_HEADER);
	ARP_BAD(s.op = 3, 28, &H1, EVF_DROP_ND_BAD_HEADER);             /* RARP request */
	ARP_BAD(s.op = 0, 28, &H1, EVF_DROP_ND_BAD_HEADER);
	ARP_BAD((void)0, 28, &H2, EVF_DROP_ND_LLA_MISMATCH);            /* sha != Ethernet source */
	ARP_BAD(s.sha = MCAST, 28, &MCAST, EVF_DROP_ND_BAD_ADDRESS);    /* sender multicast */
	ARP_BAD(s.sha = BCAST, 28, &BCAST, EVF_DROP_ND_BAD_ADDRESS);
	ARP_BAD(s.sha = ZERO, 28, &ZERO, EVF_DROP_ND_BAD_ADDRESS);
	ARP_BAD(s.tpa = "224.0.0.1", 28, &H1, EVF_DROP_ND_BAD_ADDRESS); /* target multicast */
	ARP_BAD(s.tpa = "255.255.255.255", 28, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ARP_BAD(s.tpa = "0.0.0.0", 28, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ARP_BAD(s.tpa = "127.0.0.1", 28, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ARP_BAD(s.spa = "255.255.255.255", 28, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ARP_BAD(s.spa = "224.1.2.3", 28, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ARP_BAD((s.op = 2, s.spa = "0.0.0.0"), 28, &H1, EVF_DROP_ND_BAD_ADDRESS); /* reply from 0 */
#undef ARP_BAD
}

/* ---- NS / NA ---- */

#define GW6   "2001:db8:1::1"
#define H1_6  "2001:db8:1::10"
#define SN_GW "ff02::1:ff00:1"        /* solicited-node group of GW6 */

static void
test_ns_valid(void)
{
	struct evf_nd_msg m;
	uint8_t o[8];
	struct nd_spec s = { H1_6, SN_GW, GW6, EVF_ICMP6_NS, 0, 255, 0, o, 8, 0 };

	lla_opt(o, EVF_ND_OPT_SLLA, &H1);
	CU_ASSERT_EQUAL_FATAL(parse_nd(&s, 0, &H1, &m), 0);
	CU_ASSERT_EQUAL(m.kind, EVF_ND_NS);
	CU_ASSERT(m.has_lla && !m.dad && !m.gratuitous);
	CU_ASSERT(mac_is(&m.sender_mac, &H1));
	CU_ASSERT(ip_is(&m.sender, ip6(H1_6)));
	CU_ASSERT(ip_is(&m.target, ip6(GW6)));
	CU_ASSERT(ip_is(&m.ip6_dst, ip6(SN_GW)));
	/* trailing Ethernet padding after the payload is not part of it */
	CU_ASSERT_EQUAL(parse_nd(&s, 6, &H1, &m), 0);

	/* unicast NS (neighbour unreachability) without SLLA: the frame's source */
	s.dst = GW6;
	s.optlen = 0;
	CU_ASSERT_EQUAL_FATAL(parse_nd(&s, 0, &H2, &m), 0);
	CU_ASSERT(m.kind == EVF_ND_NS && !m.has_lla && !m.dad);
	CU_ASSERT(mac_is(&m.sender_mac, &H2));

	/* an unknown option (nonce, type 14) is skipped */
	{
		uint8_t o2[16] = { 14, 1, 1, 2, 3, 4, 5, 6 };

		lla_opt(o2 + 8, EVF_ND_OPT_SLLA, &H1);
		s = (struct nd_spec){ H1_6, SN_GW, GW6, EVF_ICMP6_NS, 0, 255, 0, o2, 16, 0 };
		CU_ASSERT_EQUAL(parse_nd(&s, 0, &H1, &m), 0);
		CU_ASSERT(m.has_lla && mac_is(&m.sender_mac, &H1));
	}

	/* DAD: from ::, to the target's solicited-node group, no SLLA */
	s = (struct nd_spec){ "::", "ff02::1:ff00:21", "2001:db8:1::21", EVF_ICMP6_NS, 0, 255, 0,
		NULL, 0, 0 };
	CU_ASSERT_EQUAL_FATAL(parse_nd(&s, 0, &H2, &m), 0);
	CU_ASSERT(m.kind == EVF_ND_NS && m.dad && !m.has_lla);
	CU_ASSERT_EQUAL(m.sender.family, 0);
	CU_ASSERT(ip_is(&m.target, ip6("2001:db8:1::21")));
}

static void
test_na_valid(void)
{
	struct evf_nd_msg m;
	uint8_t o[8];
	struct nd_spec s = { H1_6, "2001:db8:1::20", H1_6, EVF_ICMP6_NA, 0, 255,
		EVF_NA_ROUTER | EVF_NA_SOLICITED | EVF_NA_OVERRIDE, o, 8, 0 };

	lla_opt(o, EVF_ND_OPT_TLLA, &H1);
	CU_ASSERT_EQUAL_FATAL(parse_nd(&s, 0, &H1, &m), 0);
	CU_ASSERT_EQUAL(m.kind, EVF_ND_NA);
	CU_ASSERT_EQUAL(m.na_flags, EVF_NA_ROUTER | EVF_NA_SOLICITED | EVF_NA_OVERRIDE);
	CU_ASSERT(m.has_lla && !m.gratuitous);
	CU_ASSERT(mac_is(&m.sender_mac, &H1));
	CU_ASSERT(ip_is(&m.sender, ip6(H1_6)));   /* the binding an NA announces */
	CU_ASSERT(ip_is(&m.target, ip6(H1_6)));
	CU_ASSERT(ip_is(&m.ip6_dst, ip6("2001:db8:1::20")));

	/* solicited, S only, no TLLA: sender MAC from the frame */
	s.flags = EVF_NA_SOLICITED | 0x1f;   /* reserved bits are not flags */
	s.optlen = 0;
	CU_ASSERT_EQUAL_FATAL(parse_nd(&s, 0, &H1, &m), 0);
	CU_ASSERT_EQUAL(m.na_flags, EVF_NA_SOLICITED);
	CU_ASSERT(!m.has_lla && !m.gratuitous && mac_is(&m.sender_mac, &H1));

	/* unsolicited (gratuitous) NA to all-nodes, O only */
	s = (struct nd_spec){ H1_6, "ff02::1", H1_6, EVF_ICMP6_NA, 0, 255, EVF_NA_OVERRIDE, o, 8,
		0 };
	CU_ASSERT_EQUAL_FATAL(parse_nd(&s, 0, &H1, &m), 0);
	CU_ASSERT(m.kind == EVF_ND_NA && m.gratuitous && m.has_lla);
	CU_ASSERT_EQUAL(m.na_flags, EVF_NA_OVERRIDE);

	/* other ICMPv6 or not ICMPv6 at all: not for the codec (1) */
	s.type = 128;  /* echo request */
	CU_ASSERT_EQUAL(parse_nd(&s, 0, &H1, &m), 1);
	s.type = 134;  /* router advertisement */
	CU_ASSERT_EQUAL(parse_nd(&s, 0, &H1, &m), 1);
	{
		uint8_t p[128];
		uint32_t len;

		s.type = EVF_ICMP6_NA;
		len = nd_pkt(p, &s);
		p[6] = 17;                      /* UDP */
		CU_ASSERT_EQUAL(evf_nd_parse(p, len, EVF_ETHER_TYPE_IPV6, &H1, &m), 1);
		CU_ASSERT_EQUAL(evf_nd_parse(p, len, 0x0800, &H1, &m), 1);
	}
}

static void
test_nd_bad(void)
{
	struct evf_nd_msg m;
	uint8_t o[32];
	struct nd_spec s;
	int d;

#define ND_BAD(spec_stmt, delta, src, why) do {                               \
		memset(o, 0, sizeof(o));                                      \
		lla_opt(o, EVF_ND_OPT_SLLA, &H1);                             \
		s = (struct nd_spec){ H1_6, SN_GW, GW6, EVF_ICMP6_NS, 0, 255, 0, o, 8, 0 }; \
		d = (delta);                                                  \
		spec_stmt;                                                    \
		CU_ASSERT_EQUAL(parse_nd(&s, d, src, &m), why);               \
		if (parse_nd(&s, d, src, &m) != (why))                        \
			fprintf(stderr, "\n    line %d: got %d, want %d\n", __LINE__, \
				parse_nd(&s, d, src, &m), why);               \
	} while (0)
	/* truncated: the IPv6 header, the payload length, the fixed NS part */
	ND_BAD((void)0, -(40 + 32) + 39, &H1, EVF_DROP_ND_TRUNCATED);
	ND_BAD((void)0, -1, &H1, EVF_DROP_ND_TRUNCATED);
	{
		/* an NS whose payload (16 bytes) ends before its target does */
		uint8_t p[128];
		uint32_t len;

		s = (struct nd_spec){ H1_6, SN_GW, GW6, EVF_ICMP6_NS, 0, 255, 0, NULL, 0, 0 };
		len = nd_pkt(p, &s);
		p[5] = 16;
		CU_ASSERT_EQUAL(evf_nd_parse(p, len - 8, EVF_ETHER_TYPE_IPV6, &H1, &m),
				EVF_DROP_ND_TRUNCATED);
		CU_ASSERT_EQUAL(evf_nd_parse(p, len, EVF_ETHER_TYPE_IPV6, &H1, &m),
				EVF_DROP_ND_TRUNCATED);
	}
	/* bad header: hop limit not 255 (forwarded), code not 0 */
	ND_BAD(s.hlim = 254, 0, &H1, EVF_DROP_ND_BAD_HEADER);
	ND_BAD(s.hlim = 64, 0, &H1, EVF_DROP_ND_BAD_HEADER);
	ND_BAD(s.code = 1, 0, &H1, EVF_DROP_ND_BAD_HEADER);
	ND_BAD((s.type = EVF_ICMP6_NA, s.hlim = 1), 0, &H1, EVF_DROP_ND_BAD_HEADER);
	/* checksum */
	ND_BAD(s.cksum_delta = 1, 0, &H1, EVF_DROP_ND_BAD_CHECKSUM);
	ND_BAD((s.type = EVF_ICMP6_NA, s.cksum_delta = 0x100), 0, &H1, EVF_DROP_ND_BAD_CHECKSUM);
	/* options: length 0, past the end, the link-layer option twice, a
	 * link-layer option that is not 8 bytes, a 1-byte tail */
	ND_BAD(o[1] = 0, 0, &H1, EVF_DROP_ND_BAD_OPTION);
	ND_BAD(o[1] = 2, 0, &H1, EVF_DROP_ND_BAD_OPTION);
	ND_BAD((lla_opt(o + 8, EVF_ND_OPT_SLLA, &H1), s.optlen = 16), 0, &H1,
	       EVF_DROP_ND_BAD_OPTION);
	ND_BAD((o[1] = 2, s.optlen = 16), 0, &H1, EVF_DROP_ND_BAD_OPTION);
	ND_BAD((o[8] = 14, o[9] = 0, s.optlen = 16), 0, &H1, EVF_DROP_ND_BAD_OPTION);
	ND_BAD((s.type = EVF_ICMP6_NA, s.dst = H1_6, s.target = H1_6, s.flags = EVF_NA_SOLICITED,
		o[0] = EVF_ND_OPT_TLLA, lla_opt(o + 8, EVF_ND_OPT_TLLA, &H1), s.optlen = 16), 0, &H1,
	       EVF_DROP_ND_BAD_OPTION);
	/* link-layer option not the frame's source */
	ND_BAD((void)0, 0, &H2, EVF_DROP_ND_LLA_MISMATCH);
	ND_BAD((s.type = EVF_ICMP6_NA, s.dst = "ff02::1", s.target = H1_6, s.flags = EVF_NA_OVERRIDE,
		o[0] = EVF_ND_OPT_TLLA), 0, &H2, EVF_DROP_ND_LLA_MISMATCH);
	/* addresses: target multicast, solicited NA to a group, NS from a group,
	 * NS to a unicast address that is not its target's, DAD malformed */
	ND_BAD(s.target = "ff02::1", 0, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ND_BAD(s.target = "::", 0, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ND_BAD((s.type = EVF_ICMP6_NA, s.target = "ff05::2", s.dst = "ff02::1",
		o[0] = EVF_ND_OPT_TLLA), 0, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ND_BAD((s.type = EVF_ICMP6_NA, s.target = H1_6, s.dst = "ff02::1",
		s.flags = EVF_NA_SOLICITED | EVF_NA_OVERRIDE, o[0] = EVF_ND_OPT_TLLA), 0, &H1,
	       EVF_DROP_ND_BAD_ADDRESS);
	ND_BAD(s.src = "ff02::2", 0, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ND_BAD(s.dst = "2001:db8:1::99", 0, &H1, EVF_DROP_ND_BAD_ADDRESS);
	ND_BAD(s.src = "::", 0, &H1, EVF_DROP_ND_BAD_ADDRESS);                 /* DAD with SLLA */
	ND_BAD((s.src = "::", s.optlen = 0, s.dst = "ff02::1"), 0, &H1,        /* DAD to all-nodes */
	       EVF_DROP_ND_BAD_ADDRESS);
	ND_BAD((s.src = "::", s.optlen = 0, s.dst = "ff02::1:ff00:2"), 0, &H1, /* another group */
	       EVF_DROP_ND_BAD_ADDRESS);
	ND_BAD((s.src = "::", s.optlen = 0, s.dst = GW6), 0, &H1, EVF_DROP_ND_BAD_ADDRESS);
#undef ND_BAD
}

/* ---- builders ---- */

static void
test_build_arp(void)
{
	struct evf_nd_msg req, back;
	struct arp_spec s = arp_req(&H1, "198.19.1.10", "198.19.1.1");
	uint8_t f[64], body[28];
	uint32_t spa = v4("198.19.1.1"), tpa = v4("198.19.1.10");

	CU_ASSERT_EQUAL_FATAL(parse_arp(&s, 28, &H1, &req), 0);
	memset(f, 0xa5, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(evf_nd_build_arp_reply(f, &req, &GW), 60);
	CU_ASSERT_EQUAL(memcmp(f, H1.addr_bytes, 6), 0);          /* to the requester */
	CU_ASSERT_EQUAL(memcmp(f + 6, GW.addr_bytes, 6), 0);      /* from the bound MAC */
	CU_ASSERT(f[12] == 0x08 && f[13] == 0x06);
	CU_ASSERT(f[14] == 0 && f[15] == 1 && f[16] == 0x08 && f[17] == 0);
	CU_ASSERT(f[18] == 6 && f[19] == 4 && f[20] == 0 && f[21] == 2);
	CU_ASSERT_EQUAL(memcmp(f + 22, GW.addr_bytes, 6), 0);     /* sha */
	CU_ASSERT_EQUAL(memcmp(f + 28, &spa, 4), 0);              /* spa: the asked address */
	CU_ASSERT_EQUAL(memcmp(f + 32, H1.addr_bytes, 6), 0);     /* tha */
	CU_ASSERT_EQUAL(memcmp(f + 38, &tpa, 4), 0);              /* tpa */
	for (int i = 42; i < 60; i++)
		CU_ASSERT_EQUAL(f[i], 0);                          /* padding */
	CU_ASSERT_EQUAL(f[60], 0xa5);                              /* nothing past 60 */
	/* byte-identical to this file's own writer, and parses back */
	s = (struct arp_spec){ 1, 0x0800, 2, 6, 4, GW, H1, "198.19.1.1", "198.19.1.10" };
	arp_body(body, &s);
	CU_ASSERT_EQUAL(memcmp(f + 14, body, 28), 0);
	CU_ASSERT_EQUAL(evf_nd_parse(f + 14, 46, EVF_ETHER_TYPE_ARP, &GW, &back), 0);
	CU_ASSERT(back.kind == EVF_ND_ARP_REPLY && !back.gratuitous);

	/* probe from 0.0.0.0 and from a gateway address */
	{
		struct evf_ip host = ip4("198.19.1.10"), gw = ip4("198.19.1.1");

		memset(f, 0xa5, sizeof(f));
		CU_ASSERT_EQUAL_FATAL(evf_nd_build_arp_probe(f, &GW, NULL, &host, &H1), 60);
		CU_ASSERT_EQUAL(memcmp(f, H1.addr_bytes, 6), 0);   /* unicast to the host */
		CU_ASSERT_EQUAL(memcmp(f + 6, GW.addr_bytes, 6), 0);
		s = (struct arp_spec){ 1, 0x0800, 1, 6, 4, GW, ZERO, "0.0.0.0", "198.19.1.10" };
		arp_body(body, &s);
		CU_ASSERT(f[12] == 0x08 && f[13] == 0x06);
		CU_ASSERT_EQUAL(memcmp(f + 14, body, 28), 0);
		for (int i = 42; i < 60; i++)
			CU_ASSERT_EQUAL(f[i], 0);
		CU_ASSERT_EQUAL(evf_nd_parse(f + 14, 46, EVF_ETHER_TYPE_ARP, &GW, &back), 0);
		CU_ASSERT(back.kind == EVF_ND_ARP_REQUEST && back.sender.v4 == 0);

		CU_ASSERT_EQUAL_FATAL(evf_nd_build_arp_probe(f, &GW, &gw, &host, &H1), 60);
		s.spa = "198.19.1.1";
		arp_body(body, &s);
		CU_ASSERT_EQUAL(memcmp(f + 14, body, 28), 0);
	}
}

/* The fixed fields of an NS/NA frame built by the codec. */
static void
check_nd_frame(const uint8_t *f, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	       const char *ip_src, const char *ip_dst, uint8_t type, uint8_t flags,
	       const char *target, uint8_t opt, const struct rte_ether_addr *lla)
{
	const uint8_t *ip = f + 14, *icmp = f + 54;
	uint8_t a[16];
	uint16_t ck;

	CU_ASSERT_EQUAL(memcmp(f, dst->addr_bytes, 6), 0);
	CU_ASSERT_EQUAL(memcmp(f + 6, src->addr_bytes, 6), 0);
	CU_ASSERT(f[12] == 0x86 && f[13] == 0xdd);
	CU_ASSERT(ip[0] == 0x60 && ip[1] == 0 && ip[2] == 0 && ip[3] == 0);  /* v6, TC 0, flow 0 */
	CU_ASSERT(ip[4] == 0 && ip[5] == 32);      /* payload: 24 + one 8-byte option */
	CU_ASSERT_EQUAL(ip[6], 58);
	CU_ASSERT_EQUAL(ip[7], 255);
	v6(ip_src, a);
	CU_ASSERT_EQUAL(memcmp(ip + 8, a, 16), 0);
	v6(ip_dst, a);
	CU_ASSERT_EQUAL(memcmp(ip + 24, a, 16), 0);
	CU_ASSERT_EQUAL(icmp[0], type);
	CU_ASSERT_EQUAL(icmp[1], 0);
	CU_ASSERT_EQUAL(icmp[4], flags);
	CU_ASSERT(icmp[5] == 0 && icmp[6] == 0 && icmp[7] == 0);
	v6(target, a);
	CU_ASSERT_EQUAL(memcmp(icmp + 8, a, 16), 0);
	CU_ASSERT(icmp[24] == opt && icmp[25] == 1);
	CU_ASSERT_EQUAL(memcmp(icmp + 26, lla->addr_bytes, 6), 0);
	/* checksum: this file's computation over the message with its field
	 * zeroed must equal the stored one */
	{
		uint8_t copy[32];

		memcpy(copy, icmp, 32);
		copy[2] = copy[3] = 0;
		ck = ref_cksum(ip, copy, 32);
		CU_ASSERT_EQUAL(icmp[2], ck >> 8);
		CU_ASSERT_EQUAL(icmp[3], ck & 0xff);
		CU_ASSERT_EQUAL(ref_cksum(ip, icmp, 32), 0);
		CU_ASSERT_EQUAL(evf_icmp6_cksum(ip, 72), 0);
	}
}

static void
test_build_nd(void)
{
	struct evf_nd_msg ns, back;
	uint8_t o[8], p[128], f[128];
	struct nd_spec s = { H1_6, SN_GW, GW6, EVF_ICMP6_NS, 0, 255, 0, o, 8, 0 };
	uint32_t len;

	lla_opt(o, EVF_ND_OPT_SLLA, &H1);
	len = nd_pkt(p, &s);
	CU_ASSERT_EQUAL_FATAL(evf_nd_parse(p, len, EVF_ETHER_TYPE_IPV6, &H1, &ns), 0);

	/* the gateway's answer: R, S, O */
	memset(f, 0xa5, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(evf_nd_build_na(f, &ns, &H1, &GW, EVF_NA_ROUTER | EVF_NA_OVERRIDE),
			      86);
	check_nd_frame(f, &H1, &GW, GW6, H1_6, EVF_ICMP6_NA,
		       EVF_NA_ROUTER | EVF_NA_SOLICITED | EVF_NA_OVERRIDE, GW6, EVF_ND_OPT_TLLA, &GW);
	CU_ASSERT_EQUAL(f[86], 0xa5);
	CU_ASSERT_EQUAL_FATAL(evf_nd_parse(f + 14, 72, EVF_ETHER_TYPE_IPV6, &GW, &back), 0);
	CU_ASSERT(back.kind == EVF_ND_NA && back.has_lla && !back.gratuitous);
	CU_ASSERT_EQUAL(back.na_flags, EVF_NA_ROUTER | EVF_NA_SOLICITED | EVF_NA_OVERRIDE);
	CU_ASSERT(mac_is(&back.sender_mac, &GW));

	/* a host's binding without R: S and O only; S even when not asked; the
	 * solicited flag cannot be given away by the caller's other bits */
	CU_ASSERT_EQUAL(evf_nd_build_na(f, &ns, &H1, &H2, EVF_NA_OVERRIDE), 86);
	check_nd_frame(f, &H1, &H2, GW6, H1_6, EVF_ICMP6_NA, EVF_NA_SOLICITED | EVF_NA_OVERRIDE,
		       GW6, EVF_ND_OPT_TLLA, &H2);
	CU_ASSERT_EQUAL(evf_nd_build_na(f, &ns, &H1, &H2, 0x1f), 86);
	check_nd_frame(f, &H1, &H2, GW6, H1_6, EVF_ICMP6_NA, EVF_NA_SOLICITED, GW6,
		       EVF_ND_OPT_TLLA, &H2);

	/* the unicast NS probe: from our address, to the host's, SLLA ours */
	{
		struct evf_ip gw = ip6(GW6), host = ip6(H1_6);

		memset(f, 0xa5, sizeof(f));
		CU_ASSERT_EQUAL_FATAL(evf_nd_build_ns(f, &GW, &gw, &host, &H1), 86);
		check_nd_frame(f, &H1, &GW, GW6, H1_6, EVF_ICMP6_NS, 0, H1_6, EVF_ND_OPT_SLLA, &GW);
		CU_ASSERT_EQUAL(f[86], 0xa5);
		CU_ASSERT_EQUAL_FATAL(evf_nd_parse(f + 14, 72, EVF_ETHER_TYPE_IPV6, &GW, &back), 0);
		CU_ASSERT(back.kind == EVF_ND_NS && !back.dad && back.has_lla);
		CU_ASSERT(ip_is(&back.target, host) && ip_is(&back.sender, gw));
	}
}

static void
test_cksum_and_unicast(void)
{
	uint8_t p[128], o[8];
	struct nd_spec s = { H1_6, SN_GW, GW6, EVF_ICMP6_NS, 0, 255, 0, o, 8, 0 };
	uint32_t len;
	struct evf_ip a;

	lla_opt(o, EVF_ND_OPT_SLLA, &H1);
	len = nd_pkt(p, &s);
	CU_ASSERT_EQUAL(evf_icmp6_cksum(p, len), 0);
	p[40 + 8 + 15] ^= 1;                          /* a target bit */
	CU_ASSERT_NOT_EQUAL(evf_icmp6_cksum(p, len), 0);
	CU_ASSERT_NOT_EQUAL(evf_icmp6_cksum(p, 40 + 10), 0);   /* payload past len */

	CU_ASSERT(evf_nd_ip_unicast((a = ip4("198.19.1.10"), &a)));
	CU_ASSERT(!evf_nd_ip_unicast((a = ip4("0.0.0.0"), &a)));
	CU_ASSERT(!evf_nd_ip_unicast((a = ip4("255.255.255.255"), &a)));
	CU_ASSERT(!evf_nd_ip_unicast((a = ip4("239.1.1.1"), &a)));
	CU_ASSERT(!evf_nd_ip_unicast((a = ip4("127.0.0.1"), &a)));
	CU_ASSERT(evf_nd_ip_unicast((a = ip6(H1_6), &a)));
	CU_ASSERT(!evf_nd_ip_unicast((a = ip6("::"), &a)));
	CU_ASSERT(!evf_nd_ip_unicast((a = ip6("::1"), &a)));
	CU_ASSERT(!evf_nd_ip_unicast((a = ip6("ff02::1"), &a)));
	memset(&a, 0, sizeof(a));
	CU_ASSERT(!evf_nd_ip_unicast(&a));
}

int
main(void)
{
	static const struct evft_case cases[] = {
		{ "ARP: request, reply, gratuitous, probe", test_arp_valid },
		{ "ARP: each malformed message under its reason", test_arp_bad },
		{ "NS: SLLA, unicast, unknown option, DAD", test_ns_valid },
		{ "NA: solicited R/S/O + TLLA, unsolicited, not ND", test_na_valid },
		{ "NS/NA: each malformed message under its reason", test_nd_bad },
		{ "build: ARP reply and ARP probe", test_build_arp },
		{ "build: NA (checksum, flags, TLLA) and NS probe", test_build_nd },
		{ "ICMPv6 checksum, host addresses", test_cksum_and_unicast },
	};

	return evft_run("nd-codec", cases, RTE_DIM(cases), NULL, NULL);
}
