/* evf_addr.c: strict parsers and formatters for IP, MAC and ESI text. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evf_addr.h"

int
evf_ip_parse(const char *s, struct evf_ip *out)
{
	struct evf_ip ip;

	memset(&ip, 0, sizeof(ip));
	if (s == NULL || *s == '\0')
		return -EINVAL;
	if (inet_pton(AF_INET, s, &ip.v4) == 1) {
		ip.family = AF_INET;
	} else if (inet_pton(AF_INET6, s, ip.v6) == 1) {
		ip.family = AF_INET6;
	} else {
		return -EINVAL;
	}
	*out = ip;
	return 0;
}

const char *
evf_ip_fmt(const struct evf_ip *ip, char *buf, size_t len)
{
	if (ip->family == AF_INET)
		inet_ntop(AF_INET, &ip->v4, buf, len);
	else if (ip->family == AF_INET6)
		inet_ntop(AF_INET6, ip->v6, buf, len);
	else
		snprintf(buf, len, "-");
	return buf;
}

bool
evf_ip_equal(const struct evf_ip *a, const struct evf_ip *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4 == b->v4;
	if (a->family == AF_INET6)
		return memcmp(a->v6, b->v6, 16) == 0;
	return true;
}

int
evf_ip_cmp(const struct evf_ip *a, const struct evf_ip *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == AF_INET) {
		uint32_t x = ntohl(a->v4), y = ntohl(b->v4);
		return x < y ? -1 : (x > y ? 1 : 0);
	}
	if (a->family == AF_INET6)
		return memcmp(a->v6, b->v6, 16);
	return 0;
}

static int
hex_byte(const char *s, uint8_t *out)
{
	int v = 0;

	for (int i = 0; i < 2; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -EINVAL;
	}
	*out = (uint8_t)v;
	return 0;
}

/* "xx:xx:...:xx" with exactly n bytes. */
static int
parse_hex_bytes(const char *s, uint8_t *out, size_t n)
{
	if (s == NULL || strlen(s) != n * 3 - 1)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (hex_byte(s + i * 3, &out[i]) < 0)
			return -EINVAL;
		if (i + 1 < n && s[i * 3 + 2] != ':')
			return -EINVAL;
	}
	return 0;
}

static const char *
fmt_hex_bytes(const uint8_t *b, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, i ? ":%02x" : "%02x", b[i]);
	return buf;
}

int
evf_mac_parse(const char *s, struct rte_ether_addr *out)
{
	return parse_hex_bytes(s, out->addr_bytes, RTE_ETHER_ADDR_LEN);
}

const char *
evf_mac_fmt(const struct rte_ether_addr *mac, char *buf, size_t len)
{
	return fmt_hex_bytes(mac->addr_bytes, RTE_ETHER_ADDR_LEN, buf, len);
}

int
evf_esi_parse(const char *s, struct evf_esi *out)
{
	return parse_hex_bytes(s, out->b, EVF_ESI_LEN);
}

const char *
evf_esi_fmt(const struct evf_esi *esi, char *buf, size_t len)
{
	return fmt_hex_bytes(esi->b, EVF_ESI_LEN, buf, len);
}

bool
evf_esi_is_zero(const struct evf_esi *esi)
{
	for (int i = 0; i < EVF_ESI_LEN; i++)
		if (esi->b[i] != 0)
			return false;
	return true;
}

bool
evf_esi_is_max(const struct evf_esi *esi)
{
	for (int i = 0; i < EVF_ESI_LEN; i++)
		if (esi->b[i] != 0xff)
			return false;
	return true;
}

int
evf_u64_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 20)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		uint64_t d = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
