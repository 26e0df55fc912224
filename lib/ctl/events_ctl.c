/* events_ctl.c: the control-plane event log and sink (control thread). */
#include <errno.h>
#include <string.h>

#include "evf_clock.h"
#include "evf_common.h"
#include "evf_events.h"

#define LOG_SIZE EVF_EVENT_LOG_SIZE

static struct evf_event log_ring[LOG_SIZE];
static uint64_t emitted, lost;
static evf_event_sink sink;
static void (*dump_sink)(const struct evf_event *ev);
static evf_dump_source dump_sources[EVF_DUMP_MAX];
static unsigned int dump_emitted;

void
evf_event_set_sink(evf_event_sink s)
{
	sink = s;
}

uint64_t
evf_event_count(void)
{
	return emitted;
}

uint64_t
evf_event_lost(void)
{
	return lost;
}

void
evf_event_emit(struct evf_event *ev)
{
	ev->seq = ++emitted;
	ev->time = evf_clock_sec();
	log_ring[ev->seq % LOG_SIZE] = *ev;
	if (sink != NULL && !sink(ev))
		lost++;
}

void
evf_event_register_dump(enum evf_dump_order order, evf_dump_source fn)
{
	if (order < EVF_DUMP_MAX)
		dump_sources[order] = fn;
}

void
evf_event_set_dump_sink(void (*put)(const struct evf_event *ev))
{
	dump_sink = put;
}

void
evf_event_dump_put(const struct evf_event *ev)
{
	dump_emitted++;
	if (dump_sink != NULL)
		dump_sink(ev);
}

bool
evf_event_dump_step(struct evf_dump_pos *pos, unsigned int budget)
{
	dump_emitted = 0;
	while (pos->part < EVF_DUMP_MAX && dump_emitted < budget) {
		evf_dump_source fn = dump_sources[pos->part];
		unsigned int before = dump_emitted;

		if (fn == NULL || fn(&pos->cursor, budget - dump_emitted)) {
			pos->part++;
			pos->cursor = 0;
		} else if (dump_emitted == before) {
			break; /* a source that scans (a sparse FDB) goes on at the next step */
		}
	}
	return pos->part >= EVF_DUMP_MAX;
}

const char *
evf_event_name(uint8_t type)
{
	static const char *const names[] = {
		[EVF_EV_MAC_LEARNED] = "mac-learned", [EVF_EV_MAC_AGED] = "mac-aged",
		[EVF_EV_MAC_MOVED] = "mac-moved", [EVF_EV_MAC_FROZEN] = "mac-frozen",
		[EVF_EV_MAC_UNFROZEN] = "mac-unfrozen", [EVF_EV_ES_UP] = "es-up",
		[EVF_EV_ES_DOWN] = "es-down", [EVF_EV_DF_CHANGE] = "df-change",
		[EVF_EV_NODE] = "node", [EVF_EV_BD] = "mac-vrf", [EVF_EV_ES_BD] = "es-mac-vrf",
		[EVF_EV_MACIP_LEARNED] = "macip-learned", [EVF_EV_MACIP_AGED] = "macip-aged",
	};

	return type < RTE_DIM(names) && names[type] ? names[type] : "?";
}

int
evf_event_get(uint64_t seq, struct evf_event *ev)
{
	if (seq == 0 || seq > emitted || seq + LOG_SIZE <= emitted)
		return -ENOENT;
	*ev = log_ring[seq % LOG_SIZE];
	return 0;
}

void
evf_event_print(FILE *out, unsigned int n)
{
	uint64_t first = emitted > n ? emitted - n + 1 : 1;

	if (first + LOG_SIZE <= emitted)
		first = emitted - LOG_SIZE + 1;
	for (uint64_t s = first; s <= emitted; s++) {
		const struct evf_event *ev = &log_ring[s % LOG_SIZE];
		char mac[EVF_MAC_STRLEN], esi[EVF_ESI_STRLEN];

		evf_mac_fmt(&ev->mac, mac, sizeof(mac));
		evf_esi_fmt(&ev->esi, esi, sizeof(esi));
		fprintf(out, "%6lu  t=%-6u %-13s", (unsigned long)ev->seq, ev->time,
			evf_event_name(ev->type));
		switch (ev->type) {
		case EVF_EV_ES_UP:
		case EVF_EV_ES_DOWN:
			fprintf(out, " esi %s pref %u%s\n", esi, ev->pref, ev->flag ? " dont-preempt" : "");
			break;
		case EVF_EV_DF_CHANGE:
			fprintf(out, " esi %s vni %u %s\n", esi, ev->vni, ev->flag ? "DF" : "non-DF");
			break;
		case EVF_EV_MACIP_LEARNED:
		case EVF_EV_MACIP_AGED: {
			char ip[EVF_IP_STRLEN];

			fprintf(out, " vni %u mac %s ip %s%s%s\n", ev->vni, mac,
				evf_ip_fmt(&ev->ip, ip, sizeof(ip)),
				evf_esi_is_zero(&ev->esi) ? "" : " esi ",
				evf_esi_is_zero(&ev->esi) ? "" : esi);
			break;
		}
		default:
			fprintf(out, " vni %u mac %s seq %u%s%s\n", ev->vni, mac, ev->mob_seq,
				evf_esi_is_zero(&ev->esi) ? "" : " esi ",
				evf_esi_is_zero(&ev->esi) ? "" : esi);
		}
	}
	fprintf(out, "Events: %lu emitted, %lu lost by the sink\n", (unsigned long)emitted,
		(unsigned long)lost);
}
