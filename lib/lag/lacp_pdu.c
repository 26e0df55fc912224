/* lacp_pdu.c: LACPDU and Marker PDU wire format (802.1AX-2014 6.4.2, 6.5.3):
 * decoding with validation, encoding. Pure byte work (control thread). */
#include <string.h>

#include "evf_lacp.h"

#define TLV_ACTOR      1
#define TLV_PARTNER    2
#define TLV_COLLECTOR  3
#define TLV_TERMINATOR 0
#define TLV_INFO_LEN   20
#define TLV_COLL_LEN   16
#define TLV_MARKER_INFO 1
#define TLV_MARKER_RESP 2
#define TLV_MARKER_LEN 16

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* An actor or partner information TLV body (after type and length). */
static void
read_info(const uint8_t *p, struct evf_lacp_info *i)
{
	i->sys_prio = rd16(p);
	memcpy(i->sys, p + 2, 6);
	i->key = rd16(p + 8);
	i->port_prio = rd16(p + 10);
	i->port = rd16(p + 12);
	i->state = p[14];
}

static void
write_info(uint8_t *p, uint8_t type, const struct evf_lacp_info *i)
{
	p[0] = type;
	p[1] = TLV_INFO_LEN;
	wr16(p + 2, i->sys_prio);
	memcpy(p + 4, i->sys, 6);
	wr16(p + 10, i->key);
	wr16(p + 12, i->port_prio);
	wr16(p + 14, i->port);
	p[16] = i->state;
	/* p[17..19] reserved, zero */
}

static enum evf_slow_kind
parse_lacpdu(const uint8_t *p, size_t len, struct evf_lacp_pdu *pdu)
{
	/* Version 1 layout at fixed offsets. A later version is read by its
	 * version 1 fields (802.1AX-2014 6.4.2.4: forward compatibility), so
	 * only a version 1 PDU must end with the terminator right there. */
	if (len < EVF_SLOW_PDU_LEN || p[1] == 0)
		return EVF_SLOW_ILLEGAL;
	if (p[2] != TLV_ACTOR || p[3] != TLV_INFO_LEN || p[22] != TLV_PARTNER ||
	    p[23] != TLV_INFO_LEN || p[42] != TLV_COLLECTOR || p[43] != TLV_COLL_LEN)
		return EVF_SLOW_ILLEGAL;
	if (p[1] == 1 && (p[58] != TLV_TERMINATOR || p[59] != 0))
		return EVF_SLOW_ILLEGAL;
	if (pdu != NULL) {
		pdu->version = p[1];
		read_info(p + 4, &pdu->actor);
		read_info(p + 24, &pdu->partner);
		pdu->collector_max_delay = rd16(p + 44);
	}
	return EVF_SLOW_LACPDU;
}

static enum evf_slow_kind
parse_marker(const uint8_t *p, size_t len, struct evf_marker *mk)
{
	if (len < EVF_SLOW_PDU_LEN || p[1] != 1)
		return EVF_SLOW_ILLEGAL;
	if ((p[2] != TLV_MARKER_INFO && p[2] != TLV_MARKER_RESP) || p[3] != TLV_MARKER_LEN ||
	    p[18] != TLV_TERMINATOR || p[19] != 0)
		return EVF_SLOW_ILLEGAL;
	if (mk != NULL) {
		mk->tlv = p[2];
		mk->port = rd16(p + 4);
		memcpy(mk->sys, p + 6, 6);
		mk->transaction = (uint32_t)p[12] << 24 | (uint32_t)p[13] << 16 |
			(uint32_t)p[14] << 8 | p[15];
	}
	return p[2] == TLV_MARKER_INFO ? EVF_SLOW_MARKER_INFO : EVF_SLOW_MARKER_RESP;
}

enum evf_slow_kind
evf_slow_parse(const uint8_t *p, size_t len, struct evf_lacp_pdu *pdu, struct evf_marker *mk)
{
	if (len < 2)
		return EVF_SLOW_ILLEGAL;
	switch (p[0]) {
	case EVF_SLOW_SUBTYPE_LACP:
		return parse_lacpdu(p, len, pdu);
	case EVF_SLOW_SUBTYPE_MARKER:
		return parse_marker(p, len, mk);
	default:
		return EVF_SLOW_UNKNOWN;
	}
}

void
evf_lacp_encode(const struct evf_lacp_pdu *pdu, uint8_t *out)
{
	memset(out, 0, EVF_SLOW_PDU_LEN);
	out[0] = EVF_SLOW_SUBTYPE_LACP;
	out[1] = 1;
	write_info(out + 2, TLV_ACTOR, &pdu->actor);
	write_info(out + 22, TLV_PARTNER, &pdu->partner);
	out[42] = TLV_COLLECTOR;
	out[43] = TLV_COLL_LEN;
	wr16(out + 44, pdu->collector_max_delay);
	/* out[58], out[59]: terminator (0, 0); then 50 reserved bytes */
}

void
evf_marker_response(const struct evf_marker *mk, uint8_t *out)
{
	memset(out, 0, EVF_SLOW_PDU_LEN);
	out[0] = EVF_SLOW_SUBTYPE_MARKER;
	out[1] = 1;
	out[2] = TLV_MARKER_RESP;
	out[3] = TLV_MARKER_LEN;
	wr16(out + 4, mk->port);
	memcpy(out + 6, mk->sys, 6);
	out[12] = (uint8_t)(mk->transaction >> 24);
	out[13] = (uint8_t)(mk->transaction >> 16);
	out[14] = (uint8_t)(mk->transaction >> 8);
	out[15] = (uint8_t)mk->transaction;
	/* out[16..17] pad, out[18..19] terminator, 90 reserved bytes */
}
