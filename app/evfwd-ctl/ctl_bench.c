/* ctl_bench.c: "evfwd-ctl bench-rt2": a load generator for the routes ring:
 * N distinct RT2 add (or withdraw) records for one MAC-VRF, written as fast as
 * the ring takes them, then wait until evfwd has read them all. Prints the
 * producer's rate and evfwd's (records consumed per second). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl_main.h"
#include "evf_ring.h"
#include "evf_route.h"

int
ctl_bench_rt2(struct evf_ring_client *r, const struct ctl_opts *o)
{
	struct ctl_push_stats st = { 0 };
	struct evf_route route;
	struct evf_ring_rec rec;
	uint64_t t0, t1, t2, c0;
	unsigned long n = o->count ? o->count : 1000000;
	char err[256];

	if (ctl_lock(r, EVF_RING_ROLE_PRODUCER) < 0)
		return 2;
	memset(&route, 0, sizeof(route));
	route.type = EVF_RT_MAC;
	route.withdraw = o->withdraw;
	route.vni = o->vni;
	route.vtep = o->vtep;
	route.esi = o->esi;
	route.mac.addr_bytes[0] = 0x02; /* locally administered unicast */
	c0 = evf_ring_client_prod_idx(r, EVF_RING_ROUTES); /* ours start here (older ones may be queued) */
	t0 = evf_ring_client_now_ns();
	for (unsigned long i = 0; i < n; i++) {
		if (o->rate) {
			/* paced: record i leaves at t0 + i / rate; sleep (do not spin: the
			 * producer may share a core with evfwd's control thread) and
			 * send what fell due meanwhile as a burst */
			uint64_t due = t0 + (uint64_t)((double)i * 1e9 / (double)o->rate);
			uint64_t now = evf_ring_client_now_ns();

			if (now < due) {
				struct timespec ts = { 0, (long)(due - now) };
				nanosleep(&ts, NULL);
			}
		}
		route.mac.addr_bytes[2] = (uint8_t)(i >> 24);
		route.mac.addr_bytes[3] = (uint8_t)(i >> 16);
		route.mac.addr_bytes[4] = (uint8_t)(i >> 8);
		route.mac.addr_bytes[5] = (uint8_t)i;
		evf_ring_encode_route(&route, &rec);
		ctl_produce(r, EVF_RING_ROUTES, &rec, &st, 2000);
	}
	t1 = evf_ring_client_now_ns();
	/* until evfwd has applied the last one (not only read it) */
	if (evf_ring_client_wait_handled(r, EVF_RING_ROUTES, c0 + n, 10000, err, sizeof(err)) < 0) {
		fprintf(stderr, "evfwd-ctl: %s\n", err);
		return 3;
	}
	t2 = evf_ring_client_now_ns();
	printf("bench-rt2: %lu records (%s, vni %u): produced in %.3f s, applied by evfwd in"
	       " %.3f s = %.0f records/s applied; producer waited %lu times on a full ring\n", n,
	       o->withdraw ? "withdraw" : "add", o->vni, (double)(t1 - t0) / 1e9,
	       (double)(t2 - t0) / 1e9, (double)n * 1e9 / (double)(t2 - t0), st.full_waits);
	return 0;
}
