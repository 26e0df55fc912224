/* lag_buckets.c: which member each of a LAG's 256 hash buckets goes to
 * (control thread, pure). Minimal movement: when a member leaves only its
 * buckets move; when one joins it takes a fair share from the fullest. */
#include <string.h>

#include "evf_lag.h"
#include "evf_lag_ctl.h"

#define NO_MEMBER 0xff

unsigned int
evf_lag_buckets_update(uint8_t table[EVF_LAG_BUCKETS], uint8_t dist_mask)
{
	unsigned int count[EVF_LACP_MAX_MEMBERS] = { 0 }, target[EVF_LACP_MAX_MEMBERS] = { 0 };
	uint16_t orphans[EVF_LAG_BUCKETS];
	unsigned int nb_orphans = 0, n = (unsigned int)__builtin_popcount(dist_mask), moved = 0;
	unsigned int base, extra;

	if (n == 0) {
		for (unsigned int b = 0; b < EVF_LAG_BUCKETS; b++) {
			moved += table[b] != NO_MEMBER;
			table[b] = NO_MEMBER;
		}
		return moved;
	}
	/* buckets whose member no longer distributes are orphans */
	for (unsigned int b = 0; b < EVF_LAG_BUCKETS; b++) {
		uint8_t m = table[b];

		if (m < EVF_LACP_MAX_MEMBERS && (dist_mask & (1u << m)))
			count[m]++;
		else
			orphans[nb_orphans++] = (uint16_t)b;
	}
	/* fair shares: base each, one more for the 'extra' fullest members */
	base = EVF_LAG_BUCKETS / n;
	extra = EVF_LAG_BUCKETS % n;
	for (unsigned int m = 0; m < EVF_LACP_MAX_MEMBERS; m++)
		if (dist_mask & (1u << m))
			target[m] = base;
	for (unsigned int k = 0; k < extra; k++) {
		int best = -1;

		for (unsigned int m = 0; m < EVF_LACP_MAX_MEMBERS; m++)
			if ((dist_mask & (1u << m)) && target[m] == base &&
			    (best < 0 || count[m] > count[best]))
				best = (int)m;
		target[best]++;
	}
	/* members above their share give up their last buckets */
	for (int b = EVF_LAG_BUCKETS - 1; b >= 0; b--) {
		uint8_t m = table[b];

		if (m < EVF_LACP_MAX_MEMBERS && (dist_mask & (1u << m)) && count[m] > target[m]) {
			count[m]--;
			orphans[nb_orphans++] = (uint16_t)b;
		}
	}
	/* deal the orphans to members below their share, lowest member first */
	for (unsigned int k = 0, m = 0; k < nb_orphans; k++) {
		while (!(dist_mask & (1u << m)) || count[m] >= target[m])
			m = (m + 1) % EVF_LACP_MAX_MEMBERS;
		if (table[orphans[k]] != m)
			moved++;
		table[orphans[k]] = (uint8_t)m;
		count[m]++;
	}
	return moved;
}
