/* ctl_status.c: "evfwd-ctl status": the rings' indices and evfwd's counters. */
#include <stdio.h>

#include "ctl_main.h"

/* A name from the object, which any process with access may have written:
 * at most len bytes, anything but printable ASCII shown as '?'. */
static void
printable(char *out, const char *in, size_t len)
{
	size_t i;

	for (i = 0; i < len && in[i]; i++)
		out[i] = in[i] >= 0x21 && in[i] <= 0x7e ? in[i] : '?';
	out[i] = '\0';
}

int
ctl_status(struct evf_ring_client *r)
{
	static const char *const names[EVF_RING_COUNT] = { "routes", "events", "manual" };
	struct evf_ring_hdr *h = r->hdr;
	const struct evf_ring_stats *s = evf_ring_stats(h);
	uint64_t now = evf_ring_client_now_ns();

	printf("Control ring: ABI %u.%u, %lu bytes, evfwd pid %lu\n", h->abi_version, h->abi_minor,
	       (unsigned long)h->total_size, (unsigned long)h->evfwd_pid);
	for (unsigned int i = 0; i < EVF_RING_COUNT; i++) {
		const struct evf_ring_idx *ix = &h->idx[i];
		uint64_t p = atomic_load(&ix->prod_idx), c = atomic_load(&ix->cons_idx);
		uint64_t hb = atomic_load(&ix->prod_heartbeat_ns);

		printf("  %-6s: %u records, produced %lu, consumed %lu, queued %lu, %s epoch %#lx",
		       names[i], h->ring[i].count, (unsigned long)p, (unsigned long)c,
		       (unsigned long)(p - c), i == EVF_RING_EVENTS ? "consumer" : "producer",
		       (unsigned long)atomic_load(i == EVF_RING_EVENTS ? &ix->cons_epoch :
						  &ix->prod_epoch));
		if (hb)
			printf(", producer seen %.1f s ago", (double)(now - hb) / 1e9);
		printf("\n");
	}
	printf("evfwd (updated %.1f s ago): %lu records read, %lu routes applied, generation %u%s\n",
	       s->updated_ns ? (double)(now - s->updated_ns) / 1e9 : -1.0, (unsigned long)s->records,
	       (unsigned long)s->applied, s->generation, s->syncing ? " (resync in progress)" : "");
	printf("  manual: %lu records read, %lu routes applied, %lu rejected\n",
	       (unsigned long)s->manual_records, (unsigned long)s->manual_applied,
	       (unsigned long)s->manual_rejected);
	printf("  rejected:");
	for (unsigned int i = 0; i < EVF_RING_STATS_REJECTS; i++)
		if (s->rejected_names[i][0]) {
			char name[sizeof(s->rejected_names[i]) + 1];

			printable(name, s->rejected_names[i], sizeof(s->rejected_names[i]));
			printf(" %s %lu", name, (unsigned long)s->rejected[i]);
		}
	printf("\n  producer restarts %lu, sync begin %lu, sync end %lu, hold expiries %lu,"
	       " swept %lu, heartbeats %lu\n", (unsigned long)s->epochs,
	       (unsigned long)s->syncs_begun, (unsigned long)s->syncs_ended,
	       (unsigned long)s->hold_expired, (unsigned long)s->swept, (unsigned long)s->heartbeats);
	printf("  damaged header seen %lu, bad indices %lu, producer timeouts %lu\n",
	       (unsigned long)s->bad_header, (unsigned long)s->bad_index,
	       (unsigned long)s->producer_timeouts);
	printf("  events written %lu, lost (ring full) %lu; dumps %lu (%lu records, last epoch"
	       " %#lx)\n", (unsigned long)s->events_out, (unsigned long)s->events_lost,
	       (unsigned long)s->dumps, (unsigned long)s->dump_records, (unsigned long)s->dump_epoch);
	if (s->lat_p50_ns)
		printf("  apply latency p50 < %lu ns, p99 < %lu ns\n", (unsigned long)s->lat_p50_ns,
		       (unsigned long)s->lat_p99_ns);
	if (h->abi_minor >= 1 && (s->replaced || s->lat_bad_ts))
		printf("  object shrunk under evfwd and replaced %lu time(s); %lu record(s) with"
		       " a bad timestamp left out of the latency\n", (unsigned long)s->replaced,
		       (unsigned long)s->lat_bad_ts);
	return 0;
}
