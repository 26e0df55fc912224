/* evf_lacp.h: IEEE 802.1AX link aggregation control (LACP) as pure state:
 * LACPDU and Marker PDU encoding and validation, and the receive, periodic
 * transmission, selection, mux (independent control) and transmit machines
 * for the members of one LAG with a single aggregator.
 *
 * No DPDK, no clock, no I/O: the caller (lag_ctl.c on the control thread, or
 * a unit test) feeds received PDUs, link state and the time in milliseconds,
 * and sends the PDUs evf_lacp_tx_take() hands out. Every function runs on the
 * control thread only. */
#ifndef EVF_LACP_H
#define EVF_LACP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Actor/partner state bits (802.1AX-2014 6.4.2.3) */
#define EVF_LACP_ST_ACTIVITY     0x01  /**< active LACP */
#define EVF_LACP_ST_TIMEOUT      0x02  /**< short timeout (fast PDUs wanted) */
#define EVF_LACP_ST_AGGREGATION  0x04  /**< aggregatable */
#define EVF_LACP_ST_SYNC         0x08  /**< in sync (attached to the right aggregator) */
#define EVF_LACP_ST_COLLECTING   0x10
#define EVF_LACP_ST_DISTRIBUTING 0x20
#define EVF_LACP_ST_DEFAULTED    0x40  /**< partner info is the admin default */
#define EVF_LACP_ST_EXPIRED      0x80

#define EVF_SLOW_SUBTYPE_LACP    1
#define EVF_SLOW_SUBTYPE_MARKER  2
#define EVF_SLOW_PDU_LEN         110   /**< LACPDU / Marker PDU after the Ethernet header */
#define EVF_LACP_MAX_MEMBERS     8

/* Timers (ms) */
#define EVF_LACP_FAST_PERIODIC_MS   1000
#define EVF_LACP_SLOW_PERIODIC_MS   30000
#define EVF_LACP_SHORT_TIMEOUT_MS   3000
#define EVF_LACP_LONG_TIMEOUT_MS    90000
#define EVF_LACP_AGGREGATE_WAIT_MS  2000
#define EVF_LACP_TX_PER_SECOND      3

/** One side's identity and state as carried in a LACPDU (host order). */
struct evf_lacp_info {
	uint16_t sys_prio;
	uint8_t sys[6];
	uint16_t key;
	uint16_t port_prio;
	uint16_t port;
	uint8_t state;
};

struct evf_lacp_pdu {
	uint8_t version;
	struct evf_lacp_info actor, partner;
	uint16_t collector_max_delay;
};

struct evf_marker {
	uint8_t tlv;               /**< 1 information, 2 response */
	uint16_t port;
	uint8_t sys[6];
	uint32_t transaction;
};

enum evf_slow_kind {
	EVF_SLOW_LACPDU = 0,
	EVF_SLOW_MARKER_INFO,      /**< a Marker to answer */
	EVF_SLOW_MARKER_RESP,      /**< a Marker Response (we send no Markers: ignored) */
	EVF_SLOW_UNKNOWN,          /**< another slow protocol (OAM, OSSP, ...) */
	EVF_SLOW_ILLEGAL,          /**< LACP or Marker subtype with bad version, TLV or length */
};

/** Classify and decode a slow-protocol payload (the bytes after EtherType
 *  0x8809). pdu / mk are filled for LACPDUs / Markers. */
enum evf_slow_kind evf_slow_parse(const uint8_t *p, size_t len, struct evf_lacp_pdu *pdu,
	struct evf_marker *mk);
/** Write a LACPDU payload (EVF_SLOW_PDU_LEN bytes). */
void evf_lacp_encode(const struct evf_lacp_pdu *pdu, uint8_t *out);
/** Write the Marker Response payload (EVF_SLOW_PDU_LEN bytes) for a Marker. */
void evf_marker_response(const struct evf_marker *mk, uint8_t *out);

enum evf_lacp_rx_state {
	EVF_LACP_RX_INITIALIZE = 0,
	EVF_LACP_RX_PORT_DISABLED,
	EVF_LACP_RX_EXPIRED,
	EVF_LACP_RX_DEFAULTED,
	EVF_LACP_RX_CURRENT,
};

enum evf_lacp_mux_state {
	EVF_LACP_MUX_DETACHED = 0,
	EVF_LACP_MUX_WAITING,
	EVF_LACP_MUX_ATTACHED,
	EVF_LACP_MUX_COLLECTING,
	EVF_LACP_MUX_DISTRIBUTING,
};

enum evf_lacp_selected {
	EVF_LACP_UNSELECTED = 0,
	EVF_LACP_SELECTED,
	EVF_LACP_STANDBY,   /**< could aggregate, but fewer than min_links could */
};

enum evf_lacp_periodic {
	EVF_LACP_NO_PERIODIC = 0,
	EVF_LACP_FAST_PERIODIC,
	EVF_LACP_SLOW_PERIODIC,
};

struct evf_lacp_counters {
	uint64_t lacpdu_in, lacpdu_out, marker_in, marker_resp_out, unknown, illegal;
	uint64_t partner_changes;   /**< a PDU named another partner than the recorded one */
	uint64_t timeouts;          /**< current_while expired (CURRENT -> EXPIRED) */
};

/** One member port. */
struct evf_lacp_port {
	/* configuration */
	struct evf_lacp_info actor;        /**< actor oper info; state bits kept by the machines */
	struct evf_lacp_info partner_admin;
	bool active;                       /**< LACP activity active (else passive) */
	bool fast;                         /**< ask the partner for fast PDUs (short timeout) */
	/* inputs */
	bool port_enabled;                 /**< link up and admin up */
	/* machine state */
	struct evf_lacp_info partner;      /**< partner oper info */
	uint8_t rx_state, mux_state, selected, periodic;
	bool ntt;
	uint64_t current_while_at;         /**< receive machine deadline (0 = stopped) */
	uint64_t periodic_at;              /**< periodic machine deadline (0 = stopped) */
	uint64_t wait_while_at;            /**< mux WAITING deadline */
	uint64_t tx_times[EVF_LACP_TX_PER_SECOND]; /**< last transmissions (rate limit) */
	uint64_t changed_at;               /**< last mux state change */
	struct evf_lacp_counters c;
};

/** A LAG's members and its single aggregator. */
struct evf_lacp_lag {
	uint8_t nb_ports;
	struct evf_lacp_port port[EVF_LACP_MAX_MEMBERS];
	/* aggregator: the partner every selected member must share */
	bool agg_bound;
	uint16_t agg_partner_sys_prio, agg_partner_key;
	uint8_t agg_partner_sys[6];
	bool agg_individual;               /**< bound to an individual (non-aggregatable) link */
	uint8_t min_links;                 /**< fewer members can aggregate: all on standby */
};

/** Configure member i of a LAG (all machines start in their initial state). */
void evf_lacp_port_init(struct evf_lacp_port *p, const struct evf_lacp_info *actor, bool active,
	bool fast);
/** A LACPDU arrived on member i at now_ms. */
void evf_lacp_rx(struct evf_lacp_lag *lag, unsigned int i, const struct evf_lacp_pdu *pdu,
	uint64_t now_ms);
/** Link/admin state of member i (runs the machines when it changes). */
void evf_lacp_set_enabled(struct evf_lacp_lag *lag, unsigned int i, bool enabled,
	uint64_t now_ms);
/** Run timers and machines until nothing changes. */
void evf_lacp_run(struct evf_lacp_lag *lag, uint64_t now_ms);
/** If member i must send a LACPDU now (NTT, periodic, rate limit allows):
 *  fill pdu, count it, clear NTT and return true. */
bool evf_lacp_tx_take(struct evf_lacp_lag *lag, unsigned int i, uint64_t now_ms,
	struct evf_lacp_pdu *pdu);

static inline bool
evf_lacp_collecting(const struct evf_lacp_port *p)
{
	return p->mux_state >= EVF_LACP_MUX_COLLECTING;
}

static inline bool
evf_lacp_distributing(const struct evf_lacp_port *p)
{
	return p->mux_state == EVF_LACP_MUX_DISTRIBUTING;
}

const char *evf_lacp_rx_state_name(uint8_t s);
const char *evf_lacp_mux_state_name(uint8_t s);

#endif /* EVF_LACP_H */
