/* nd_view_ctl.c: what the shell and telemetry read of the bindings
 * (control thread, through evf_ctl_call): bindings one by one, counts, and
 * the counter sets. */
#include <string.h>

#include "evf_clock.h"
#include "nd_private.h"

#define CTL_DESC(f, n, h) EVF_COUNTER_DESC_OF(evf_nd_ctl_counters, f, n, h)
static const struct evf_counter_desc ctl_desc[] = { EVF_ND_CTL_COUNTERS(CTL_DESC) };
const struct evf_counter_set evf_nd_ctl_counter_set = {
	"Bindings", "bindings", ctl_desc, RTE_DIM(ctl_desc), &evf_nd_ctl_counters,
};

#define W_DESC(f, n, h) EVF_COUNTER_DESC_OF(evf_nd_wcounters, f, n, h)
static const struct evf_counter_desc w_desc[] = { EVF_ND_COUNTERS(W_DESC) };

void
evf_nd_worker_sum(struct evf_nd_wcounters *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned int w = 0; w < EVF_MAX_WORKERS; w++) {
#define SUM(f, n, h) sum->f += __atomic_load_n(&evf_nd_wstats[w].f, __ATOMIC_RELAXED);
		EVF_ND_COUNTERS(SUM)
#undef SUM
	}
}

void
evf_nd_worker_counter_set(struct evf_counter_set *set, const struct evf_nd_wcounters *sum)
{
	set->title = "ARP/ND";
	set->key = "arp_nd";
	set->desc = w_desc;
	set->n = RTE_DIM(w_desc);
	set->base = sum;
}

const char *
evf_nd_origin_name(uint8_t origin)
{
	switch (origin) {
	case EVF_ND_LOCAL: return "local";
	case EVF_ND_REMOTE: return "remote";
	case EVF_ND_GATEWAY: return "gateway";
	case EVF_ND_OWN: return "own";
	default: return "?";
	}
}

void
evf_nd_foreach(uint16_t bd, uint8_t family, evf_nd_visit_fn fn, void *arg)
{
	uint32_t now = evf_clock_sec();

	for (uint32_t i = 0; i < nd_nb_entries; i++) {
		const struct nd_entry *e = &nd_entries[i];
		struct evf_nd_view v;

		if (e->in_use != 1 || (bd != EVF_INVALID_ID && e->key.bd != bd) ||
		    (family != 0 && e->key.family != family))
			continue;
		memset(&v, 0, sizeof(v));
		v.bd = e->key.bd;
		nd_entry_ip(e, &v.ip);
		v.mac = e->mac;
		v.flags = e->flags;
		v.origin = e->origin;
		v.attach = e->attach;
		v.age = now - (e->origin == EVF_ND_LOCAL ? e->last_seen : e->created);
		v.probes = e->probes;
		v.gen = e->gen;
		fn(&v, arg);
	}
}

uint32_t
evf_nd_count(uint16_t bd, uint32_t by_origin[5])
{
	uint32_t n = 0;

	memset(by_origin, 0, 5 * sizeof(by_origin[0]));
	for (uint32_t i = 0; i < nd_nb_entries; i++) {
		const struct nd_entry *e = &nd_entries[i];

		if (e->in_use != 1 || (bd != EVF_INVALID_ID && e->key.bd != bd))
			continue;
		if (e->origin < 5)
			by_origin[e->origin]++;
		n++;
	}
	return n;
}
