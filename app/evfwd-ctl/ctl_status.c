/* ctl_status.c: "evfwd-ctl status": both rings' indices and evfwd's counters. */
#include <stdio.h>

#include "ctl_main.h"
#include "ctl_shm.h"
#include "evf_ring_abi.h"

int
ctl_status(struct ctl_ring *r)
{
	struct evf_ring_hdr *h = r->hdr;
	const struct evf_ring_stats *s = evf_ring_stats(h);
	uint64_t now = ctl_mono_ns();

	printf("Control ring: ABI %u, %lu bytes, evfwd pid %lu\n", h->abi_version,
	       (unsigned long)h->total_size, (unsigned long)h->evfwd_pid);
	for (unsigned int i = 0; i < 2; i++) {
		const struct evf_ring_idx *ix = &h->idx[i];
		uint64_t p = atomic_load(&ix->prod_idx), c = atomic_load(&ix->cons_idx);
		uint64_t hb = atomic_load(&ix->prod_heartbeat_ns);

		printf("  %-6s: %u records, produced %lu, consumed %lu, queued %lu, producer epoch %#lx",
		       i == EVF_RING_ROUTES ? "routes" : "events", h->ring[i].count, (unsigned long)p,
		       (unsigned long)c, (unsigned long)(p - c),
		       (unsigned long)atomic_load(&ix->prod_epoch));
		if (hb)
			printf(", producer seen %.1f s ago", (double)(now - hb) / 1e9);
		printf("\n");
	}
	printf("evfwd (updated %.1f s ago): %lu records read, %lu routes applied, generation %u%s\n",
	       s->updated_ns ? (double)(now - s->updated_ns) / 1e9 : -1.0, (unsigned long)s->records,
	       (unsigned long)s->applied, s->generation, s->syncing ? " (resync in progress)" : "");
	printf("  rejected:");
	for (unsigned int i = 0; i < EVF_RING_STATS_REJECTS; i++)
		if (s->rejected_names[i][0])
			printf(" %s %lu", s->rejected_names[i], (unsigned long)s->rejected[i]);
	printf("\n  producer restarts %lu, sync begin %lu, sync end %lu, hold expiries %lu,"
	       " swept %lu, heartbeats %lu\n", (unsigned long)s->epochs,
	       (unsigned long)s->syncs_begun, (unsigned long)s->syncs_ended,
	       (unsigned long)s->hold_expired, (unsigned long)s->swept, (unsigned long)s->heartbeats);
	printf("  damaged header seen %lu, bad indices %lu, producer timeouts %lu\n",
	       (unsigned long)s->bad_header, (unsigned long)s->bad_index,
	       (unsigned long)s->producer_timeouts);
	printf("  events written %lu, lost (ring full) %lu\n", (unsigned long)s->events_out,
	       (unsigned long)s->events_lost);
	if (s->lat_p50_ns)
		printf("  apply latency p50 < %lu ns, p99 < %lu ns\n", (unsigned long)s->lat_p50_ns,
		       (unsigned long)s->lat_p99_ns);
	return 0;
}
