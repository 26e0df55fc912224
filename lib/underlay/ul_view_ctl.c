/* ul_view_ctl.c: what the shell, telemetry and metrics read of the underlay
 * (control thread, through evf_ctl_call; the worker sums from any thread):
 * gateways one by one, the network ports' settings, the counter sets. */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "evf_port.h"
#include "ul_private.h"

#define CTL_DESC(f, n, h) EVF_COUNTER_DESC_OF(evf_ul_ctl_counters, f, n, h)
static const struct evf_counter_desc ctl_desc[] = { EVF_UL_CTL_COUNTERS(CTL_DESC) };
const struct evf_counter_set evf_ul_ctl_counter_set = {
	"Resolver", "underlay_resolver", ctl_desc, RTE_DIM(ctl_desc), &evf_ul_ctl_counters,
};

#define W_DESC(f, n, h) EVF_COUNTER_DESC_OF(evf_ul_wcounters, f, n, h)
static const struct evf_counter_desc w_desc[] = { EVF_UL_COUNTERS(W_DESC) };

void
evf_ul_worker_sum(struct evf_ul_wcounters *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned int w = 0; w < EVF_MAX_WORKERS; w++) {
#define SUM(f, n, h) sum->f += __atomic_load_n(&evf_ul_wstats[w].f, __ATOMIC_RELAXED);
		EVF_UL_COUNTERS(SUM)
#undef SUM
	}
}

void
evf_ul_worker_counter_set(struct evf_counter_set *set, const struct evf_ul_wcounters *sum)
{
	set->title = "Network ARP/ND";
	set->key = "underlay_arp_nd";
	set->desc = w_desc;
	set->n = RTE_DIM(w_desc);
	set->base = sum;
}

const char *
evf_ul_gw_state_name(uint8_t state)
{
	switch (state) {
	case EVF_UL_GW_INCOMPLETE: return "incomplete";
	case EVF_UL_GW_REACHABLE: return "reachable";
	case EVF_UL_GW_FAILED: return "failed";
	default: return "?";
	}
}

static uint64_t
ms_since(uint64_t tsc, uint64_t now)
{
	return tsc == 0 || now < tsc ? (tsc == 0 ? UINT64_MAX : 0) :
		(now - tsc) * 1000 / rte_get_tsc_hz();
}

unsigned int
evf_ul_gw_walk(evf_ul_gw_visit_fn fn, void *arg)
{
	uint64_t now = rte_rdtsc();

	for (uint16_t g = 0; g < evf_ul_nb_gws; g++) {
		const struct ul_gw_ctl *gc = &ul_gws[g];
		struct evf_ul_gw_view v;

		memset(&v, 0, sizeof(v));
		v.port_id = evf_ul_gws[g].port_id;
		v.ip = evf_ul_gws[g].ip;
		v.src = evf_ul_gws[g].src;
		v.state = gc->state;
		v.has_mac = gc->has_mac;
		v.usable = gc->usable;
		v.mac = gc->mac;
		v.seen_ms = ms_since(gc->seen_tsc, now);
		v.state_ms = ms_since(gc->state_tsc, now);
		v.probes = gc->probes;
		v.answers = gc->answers;
		v.failures = gc->failures;
		v.misses = gc->misses;
		fn(&v, arg);
	}
	return evf_ul_nb_gws;
}

int
evf_ul_port_view(uint16_t uplink, struct evf_ul_port_view *v)
{
	const struct ul_uplink_ctl *uc;
	const struct evf_ul_port *up;

	if (uplink >= evf_nb_uplinks)
		return -ENOENT;
	uc = &ul_uplinks[uplink];
	memset(v, 0, sizeof(*v));
	v->port_id = evf_uplinks[uplink];
	up = evf_ul_ports[v->port_id];
	v->link_up = uc->link_up;
	v->static_hop = uc->static_hop;
	v->probe_interval_ms = uc->probe_interval_ms;
	v->probe_misses = uc->probe_misses;
	if (up != NULL) {
		v->nb_addrs = up->nb_addrs;
		memcpy(v->addrs, up->addrs, sizeof(v->addrs));
		v->rate = up->rate;
	}
	return 0;
}
