/* evf_addr.h: IPv4/IPv6 address, MAC and ESI values with strict text parsers
 * and formatters. Used by the config loader, the route API, the shell and
 * evfwd-ctl; no thread restriction, no state. */
#ifndef EVF_ADDR_H
#define EVF_ADDR_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <rte_ether.h>

/** An IPv4 or IPv6 address (network byte order). family is AF_INET, AF_INET6 or 0 (unset). */
struct evf_ip {
	uint8_t family;
	uint8_t pad[3];
	union {
		uint32_t v4;     /**< network byte order */
		uint8_t v6[16];
	};
};

#define EVF_ESI_LEN 10
/** An Ethernet Segment Identifier (RFC 7432 section 5). */
struct evf_esi {
	uint8_t b[EVF_ESI_LEN];
};

#define EVF_IP_STRLEN  48
#define EVF_MAC_STRLEN 18
#define EVF_ESI_STRLEN 30

/** Parse "198.18.0.1" or "2001:2::1". Returns 0 or -EINVAL. */
int evf_ip_parse(const char *s, struct evf_ip *out);
/** Format an address; "-" when unset. Returns buf. */
const char *evf_ip_fmt(const struct evf_ip *ip, char *buf, size_t len);
bool evf_ip_equal(const struct evf_ip *a, const struct evf_ip *b);
/** Total order used for DF election (RFC 7432 8.5 orders addresses numerically). */
int evf_ip_cmp(const struct evf_ip *a, const struct evf_ip *b);

/** Parse exactly "xx:xx:xx:xx:xx:xx" (hex, either case). Returns 0 or -EINVAL. */
int evf_mac_parse(const char *s, struct rte_ether_addr *out);
const char *evf_mac_fmt(const struct rte_ether_addr *mac, char *buf, size_t len);

/** Parse exactly ten colon-separated hex bytes. Returns 0 or -EINVAL. */
int evf_esi_parse(const char *s, struct evf_esi *out);
const char *evf_esi_fmt(const struct evf_esi *esi, char *buf, size_t len);
bool evf_esi_is_zero(const struct evf_esi *esi);
bool evf_esi_is_max(const struct evf_esi *esi);

/** Parse a decimal unsigned integer with bounds; rejects signs, spaces and trailing text. */
int evf_u64_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif /* EVF_ADDR_H */
