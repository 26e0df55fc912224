/* bench_ring_apply.c: apply rate of the control ring consumer (not a test:
 * registered as a meson benchmark, "meson test -C build --benchmark --suite
 * ring", or run build/test/ring/bench_ring_apply [RECORDS] [MACS] [BATCH]).
 *
 * A runtime is brought up (test/unit/evf_test_env.c fixture, net_ring ports,
 * workers not launched), the ring runs over plain memory (evf_ring_init_mem)
 * and this thread plays both the producer (evf_ring_produce of pre-encoded
 * RT2 records) and the control loop (evf_ring_poll + evf_rcu_reclaim, as
 * evf_ctl_poll_once does). The records cycle over MACS MAC addresses in two
 * MAC-VRFs and 64 VTEPs: pass 0 adds every MAC, pass 1 withdraws them, pass 2
 * adds again, ... so the FDB stays within its capacity.
 *
 * Printed: records/s of the whole loop, and of evf_ring_poll alone (producer
 * excluded), plus the per-record cost in ns and TSC cycles. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "evf_fdb_ctl.h"
#include "evf_rcu.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "evf_test_env.h"

static const char cfg_yaml[] =
	"node:\n"
	"  vtep-ipv4: 198.18.0.1\n"
	"  mac: 02:00:00:00:00:01\n"
	"  fdb-capacity: 524288\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_b0, role: network, next-hop-mac: 02:00:00:00:00:fe,\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_b1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - {name: blue, vni: 100, attachments: [{port: acc0, vlan: untagged}]}\n"
	"  - {name: red, vni: 200, attachments: [{port: acc0, vlan: 20}]}\n";

int
main(int argc, char **argv)
{
	uint64_t records = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
	uint32_t macs = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 250000;
	uint32_t batch = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : 256;
	struct evf_cfg_ring rc;
	struct evf_ring_rec *pre;
	struct evf_ring_hdr *h;
	char err[256];
	void *mem;
	uint64_t t0, t1, poll_cycles = 0, produced = 0, hz;
	double secs, poll_secs;

	evft_eal_init(argv[0]);
	if (evft_up(cfg_yaml) != 0)
		return 2;
	memset(&rc, 0, sizeof(rc));
	rc.enabled = true;
	rc.records = 65536;
	rc.event_records = 1024;
	rc.hold_time = 30;
	rc.batch = batch;
	mem = aligned_alloc(4096, evf_ring_mem_size(&rc));
	if (mem == NULL || evf_ring_init_mem(&rc, mem, err, sizeof(err)) != 0) {
		fprintf(stderr, "ring: %s\n", mem ? err : "no memory");
		return 2;
	}
	h = mem;

	/* Pre-encode one add and one withdrawal per MAC (the producer's cost is
	 * then one copy and one CRC per record). */
	pre = calloc((size_t)macs * 2, sizeof(*pre));
	if (pre == NULL)
		return 2;
	for (uint32_t k = 0; k < macs; k++) {
		/* rt2 add vni 100|200 mac 02:KK:KK:KK:00:01 vtep 198.18.1.(2 + k % 64)
		 * [ip 198.19.0.1 for every 4th] */
		struct evf_route r;

		memset(&r, 0, sizeof(r));
		r.type = EVF_RT_MAC;
		r.vni = k & 1 ? 200 : 100;
		r.mac.addr_bytes[0] = 0x02;
		r.mac.addr_bytes[1] = (uint8_t)(k >> 16);
		r.mac.addr_bytes[2] = (uint8_t)(k >> 8);
		r.mac.addr_bytes[3] = (uint8_t)k;
		r.mac.addr_bytes[5] = 0x01;
		r.vtep.family = AF_INET;
		r.vtep.v4 = htonl(0xc6120100u + 2 + k % 64);
		if (k % 4 == 0) {
			r.ip.family = AF_INET;
			r.ip.v4 = htonl(0xc6130001u);
		}
		evf_ring_encode_route(&r, &pre[2 * k]);
		r.withdraw = true;
		evf_ring_encode_route(&r, &pre[2 * k + 1]);
	}

	hz = rte_get_tsc_hz();
	t0 = rte_rdtsc();
	while (evf_ring_counters.records < records) {
		uint64_t a, b;

		while (produced < records && evf_ring_can_produce(h, EVF_RING_ROUTES)) {
			uint64_t pass = produced / macs, k = produced % macs;

			evf_ring_produce(h, EVF_RING_ROUTES, &pre[2 * k + (pass & 1)]);
			produced++;
		}
		a = rte_rdtsc();
		evf_ring_poll(a);
		evf_rcu_reclaim();
		b = rte_rdtsc();
		poll_cycles += b - a;
	}
	t1 = rte_rdtsc();
	secs = (double)(t1 - t0) / (double)hz;
	poll_secs = (double)poll_cycles / (double)hz;

	printf("ring apply benchmark: %lu RT2 records (%u MACs, adds and withdrawals), batch %u\n",
	       (unsigned long)records, macs, batch);
	printf("  applied %lu, rejected %lu\n", (unsigned long)evf_ring_counters.applied,
	       (unsigned long)(evf_ring_counters.records - evf_ring_counters.applied));
	printf("  producer + consumer: %.3f s, %.0f records/s\n", secs, (double)records / secs);
	printf("  evf_ring_poll + reclaim only: %.3f s, %.0f records/s, %.0f ns/record,"
	       " %.0f cycles/record\n", poll_secs, (double)records / poll_secs,
	       poll_secs * 1e9 / (double)records, (double)poll_cycles / (double)records);
	printf("  FDB entries at the end: %u\n", evf_fdb_count());
	free(pre);
	evft_down();
	free(mem);
	return evf_ring_counters.applied == records ? 0 : 1;
}
