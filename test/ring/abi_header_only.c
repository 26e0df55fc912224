/* abi_header_only.c: lib/ring/evf_ring_abi.h compiled alone, at test time
 * (test/ring/meson.build, ring-abi-header-*): as strict C11 with and without
 * SSE4.2 (both CRC-32C paths) and as C++11, with -Wall -Wextra -Wpedantic
 * -Werror. The header's static asserts check every offset of
 * doc/ring-abi.md and lock-free 64-bit atomics; the function below makes the
 * compiler check each helper's use from a producer's and a consumer's side. */
#include "evf_ring_abi.h"

int evf_abi_header_only(struct evf_ring_hdr *h, struct evf_ring_rec *rec);

int
evf_abi_header_only(struct evf_ring_hdr *h, struct evf_ring_rec *rec)
{
	struct evf_ring_rec out[4];
	uint64_t first;
	int n;

	if (!evf_ring_can_produce(h, EVF_RING_ROUTES) || evf_ring_produce(h, EVF_RING_ROUTES, rec) < 0)
		return -1;
	n = evf_ring_consume(h, EVF_RING_EVENTS, out, 4, &first);
	if (n > 0 && !evf_ring_rec_intact(&out[0], first))
		return -1;
	return n + (int)evf_ring_stats(h)->generation + (int)(evf_ring_crc32c("123456789", 9) & 1u);
}
