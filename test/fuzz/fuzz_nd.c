/* fuzz_nd.c: libFuzzer target for the ARP/ND codec (lib/nd/nd_codec.c), the
 * parser every ARP, NS and NA from an access attachment or a network port
 * goes through. Input: byte 0 picks the EtherType (bit 0 clear: ARP, set:
 * IPv6) and whether the ICMPv6 checksum is fixed up first (bit 1: so that
 * mutations reach the option parsing behind the checksum check), bytes
 * 1..6 the frame's Ethernet source, the rest is the message after the
 * Ethernet header. Checked on every input: the parser reads nothing past
 * len (ASan), returns 0, 1 or a drop reason of the nd-* family; a message it
 * accepts is consistent (its sender MAC or link-layer option equals the
 * Ethernet source); and for an accepted request the answer the workers
 * would build parses back as the matching reply with the checksum right. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evf_nd.h"
#include "evf_stats.h"

#define FAIL(...) do { \
	fprintf(stderr, "fuzz_nd: invariant violated: " __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

static bool
nd_reason(int rc)
{
	switch (rc) {
	case EVF_DROP_ND_TRUNCATED: case EVF_DROP_ND_BAD_HEADER: case EVF_DROP_ND_BAD_CHECKSUM:
	case EVF_DROP_ND_BAD_OPTION: case EVF_DROP_ND_BAD_ADDRESS: case EVF_DROP_ND_LLA_MISMATCH:
		return true;
	default:
		return false;
	}
}

/* The answer to an accepted request parses back as its reply. */
static void
check_answer(const struct evf_nd_msg *req, const struct rte_ether_addr *src)
{
	static const struct rte_ether_addr ours = { { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x01 } };
	uint8_t frame[128];
	struct evf_nd_msg back;
	uint32_t len;
	int rc;

	memset(frame, 0xa5, sizeof(frame));
	if (req->kind == EVF_ND_ARP_REQUEST) {
		len = evf_nd_build_arp_reply(frame, req, &ours);
		if (len != 60)
			FAIL("ARP reply of %u bytes", len);
		if (req->sender.v4 == 0)
			return;   /* the answer to a probe goes to 0.0.0.0, which we never accept */
		rc = evf_nd_parse(frame + 14, len - 14, 0x0806, &ours, &back);
		if (rc != 0 || back.kind != EVF_ND_ARP_REPLY ||
		    !evf_ip_equal(&back.sender, &req->target) ||
		    !evf_ip_equal(&back.target, &req->sender) ||
		    !rte_is_same_ether_addr(&back.target_mac, src))
			FAIL("ARP reply does not parse back as the reply (rc %d)", rc);
	} else if (req->kind == EVF_ND_NS && !req->dad) {
		len = evf_nd_build_na(frame, req, src, &ours, EVF_NA_ROUTER | EVF_NA_OVERRIDE);
		if (len != 86)
			FAIL("NA of %u bytes", len);
		if (evf_icmp6_cksum(frame + 14, len - 14) != 0)
			FAIL("NA checksum wrong");
		rc = evf_nd_parse(frame + 14, len - 14, 0x86dd, &ours, &back);
		if (rc != 0 || back.kind != EVF_ND_NA || !evf_ip_equal(&back.target, &req->target) ||
		    !(back.na_flags & EVF_NA_SOLICITED) || !back.has_lla ||
		    !rte_is_same_ether_addr(&back.sender_mac, &ours))
			FAIL("NA does not parse back as the answer (rc %d)", rc);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_ether_addr src;
	struct evf_nd_msg msg;
	uint16_t et;
	uint8_t *copy;
	int rc;

	if (size < 7)
		return 0;
	et = (data[0] & 1) ? 0x86dd : 0x0806;
	memcpy(src.addr_bytes, data + 1, 6);
	/* an exact-size heap copy: ASan sees any read past the message */
	copy = malloc(size - 7 ? size - 7 : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 7, size - 7);
	if (et == 0x86dd && (data[0] & 2) && size - 7 >= 44) {
		uint16_t ck;

		copy[42] = copy[43] = 0;
		ck = evf_icmp6_cksum(copy, (uint32_t)(size - 7));
		copy[42] = (uint8_t)(ck >> 8);
		copy[43] = (uint8_t)ck;
	}
	rc = evf_nd_parse(copy, (uint32_t)(size - 7), et, &src, &msg);
	if (rc == 0) {
		if (msg.kind > EVF_ND_NA)
			FAIL("kind %u", msg.kind);
		if ((msg.kind == EVF_ND_ARP_REQUEST || msg.kind == EVF_ND_ARP_REPLY ||
		     msg.has_lla) && !rte_is_same_ether_addr(&msg.sender_mac, &src))
			FAIL("accepted a sender MAC that is not the Ethernet source");
		if (!evf_nd_ip_unicast(&msg.target))
			FAIL("accepted a target that is no host address");
		check_answer(&msg, &src);
	} else if (rc != 1 && !nd_reason(rc)) {
		FAIL("parse returned %d, not 0, 1 or an nd-* reason", rc);
	} else if (rc == 1 && et != 0x86dd) {
		FAIL("ARP called not for the codec");
	}
	free(copy);
	return 0;
}
