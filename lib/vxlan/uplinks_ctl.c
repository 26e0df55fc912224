/* uplinks_ctl.c: publishing the usable uplink sets (evf_vxlan.h) to the
 * workers (control thread; main thread at start-up and tear-down). Which
 * hops are usable is lib/underlay's decision; this file only swaps the sets
 * with RCU. */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "evf_rcu.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"

struct evf_uplink_set *evf_uplink_sets[2];

static void
set_free(void *set, uint64_t unused)
{
	(void)unused;
	rte_free(set);
}

int
evf_uplinks_publish(int family, const struct evf_uplink_hop *hops, uint16_t n)
{
	struct evf_uplink_set *s, *old;
	int i = family == AF_INET ? 0 : 1;

	if ((family != AF_INET && family != AF_INET6) || n > EVF_MAX_HOPS)
		return -EINVAL;
	s = rte_zmalloc("evf_uplink_set", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL)
		return -ENOMEM;
	s->n = n;
	if (n)
		memcpy(s->hop, hops, n * sizeof(*hops));
	old = evf_uplink_sets[i];
	__atomic_store_n(&evf_uplink_sets[i], s, __ATOMIC_RELEASE);
	if (old != NULL)
		evf_rcu_defer(set_free, old, 0);
	return 0;
}

void
evf_uplinks_reset(void)
{
	for (int i = 0; i < 2; i++) {
		rte_free(evf_uplink_sets[i]);
		evf_uplink_sets[i] = NULL;
	}
}
