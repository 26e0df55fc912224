/* evf_route.h: the one way EVPN state enters evfwd (RFC 7432 route types 1-4).
 *
 * The shell ("route add|del ...") and the control ring both build a struct
 * evf_route and call evf_route_apply() on the control thread. A route is
 * validated completely before anything changes: a rejected route leaves the
 * accepted state untouched and is counted under its reason.
 *
 * Text syntax (shell, evfwd-ctl, doc/routes.md), one route per line:
 *   rt1 add|del esi ESI vtep IP [single-active]        per-ES (Ethernet tag MAX-ET)
 *   rt1 add|del esi ESI vni N vtep IP                  per-EVI
 *   rt2 add|del vni N mac MAC vtep IP [esi ESI] [ip IP] [seq N] [sticky]
 *   rt3 add|del vni N vtep IP
 *   rt4 add|del esi ESI vtep IP [df-alg modulo|hrw|preference] [pref N] [dont-preempt] */
#ifndef EVF_ROUTE_H
#define EVF_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#include "evf_addr.h"

#define EVF_ETAG_MAX 0xffffffffu  /**< Ethernet tag of RT1 per-ES routes */

enum evf_route_type {
	EVF_RT_AD = 1,    /**< Ethernet Auto-Discovery */
	EVF_RT_MAC = 2,   /**< MAC/IP Advertisement */
	EVF_RT_IMET = 3,  /**< Inclusive Multicast Ethernet Tag */
	EVF_RT_ES = 4,    /**< Ethernet Segment */
};

struct evf_route {
	uint8_t type;             /**< enum evf_route_type */
	bool withdraw;
	bool per_es;              /**< RT1: Ethernet tag MAX-ET */
	bool single_active;       /**< RT1 per-ES: ESI label extended community flag */
	bool sticky;              /**< RT2: static MAC (MAC mobility extended community) */
	uint8_t df_alg;           /**< RT4: enum evf_df_alg */
	bool df_dp;               /**< RT4: Don't-Preempt */
	uint16_t df_pref;         /**< RT4: preference */
	uint32_t vni;             /**< RT1 per-EVI, RT2, RT3 */
	uint32_t seq;             /**< RT2: MAC mobility sequence */
	struct evf_esi esi;       /**< RT1, RT4; RT2 (zero: single-homed) */
	struct evf_ip vtep;       /**< originating VTEP / next hop */
	struct evf_ip ip;         /**< RT2: optional IPv4/IPv6 (family 0 when absent) */
	struct rte_ether_addr mac;/**< RT2 */
	uint8_t gen;              /**< owner: 0 = manual (never swept), else the ring generation */
	bool nd_router;           /**< RT2 with ip: the address is a router's (RFC 9047 R flag) */
};

/* X(enum suffix, name) of every result: 0 is success. */
#define EVF_ROUTE_RESULTS(X) \
	X(OK,             "ok") \
	X(NOT_FOUND,      "not-found") \
	X(OWN_ROUTE,      "own-route") \
	X(BAD_TYPE,       "bad-type") \
	X(UNKNOWN_VNI,    "unknown-vni") \
	X(BAD_ESI,        "bad-esi") \
	X(BAD_MAC,        "bad-mac") \
	X(BAD_VTEP,       "bad-vtep") \
	X(BAD_IP,         "bad-ip") \
	X(NO_SOURCE,      "no-source-for-family") \
	X(ES_NOT_LOCAL,   "es-not-local") \
	X(ES_PE_LIMIT,    "es-pe-limit") \
	X(TABLE_FULL,     "table-full") \
	X(TOO_MANY_ROUTES,"too-many-routes-for-mac") \
	X(STATIC_MAC,     "static-mac")

enum evf_route_result {
#define EVF_RR_ENUM(e, n) EVF_RR_ ## e,
	EVF_ROUTE_RESULTS(EVF_RR_ENUM)
#undef EVF_RR_ENUM
	EVF_RR_MAX
};

struct evf_route_counters {
	uint64_t applied[5][2];          /**< [type][withdraw] */
	uint64_t result[EVF_RR_MAX];
	uint64_t last_apply_cycles;      /**< TSC cycles of the last apply */
	uint64_t swept;                  /**< withdrawn by resync sweeps */
};
extern struct evf_route_counters evf_route_counters;

const char *evf_route_result_name(int result);

/** Parse one route from tokens ("rt2", "add", "vni", "1", ...). Returns 0, or
 *  -EINVAL with a message naming the offending token in err. No state changes. */
int evf_route_parse(int argc, char **argv, struct evf_route *r, char *err, size_t errlen);
/** Split a line into tokens and parse it (comments "#" and blank lines: 1). */
int evf_route_parse_line(const char *line, struct evf_route *r, char *err, size_t errlen);
/** The route in the text syntax. */
int evf_route_format(const struct evf_route *r, char *buf, size_t len);

/** Validate and apply (control thread). Returns enum evf_route_result. */
int evf_route_apply(const struct evf_route *r);

/** Withdraw every route owned by a ring generation other than gen (and not
 *  manual): the end of a resync. Returns how many were withdrawn. */
uint32_t evf_route_sweep(uint8_t gen);
/** Relabel every ring-owned route (generation != 0) as generation to: lets
 *  the ring reuse generation numbers without mistaking old routes for new. */
void evf_route_regen(uint8_t to);

/** Route counters (control thread). */
void evf_route_print_counters(FILE *out);

#endif /* EVF_ROUTE_H */
