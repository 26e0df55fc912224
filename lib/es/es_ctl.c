/* es_ctl.c: Ethernet Segment state (control thread; main thread at start-up):
 * segments and their (segment, MAC-VRF) bindings, remote PE slots fed by RT1,
 * RT2 and RT4 routes, local segment state, the DF wait and activation timers,
 * and publication of DF tables. See evf_es.h for what workers may read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_jhash.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_events.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_rcu.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"

static struct evf_es_hooks hooks;

void
evf_es_set_hooks(const struct evf_es_hooks *h)
{
	hooks = *h;
}

void
evf_es_tell_attach_lost(uint16_t attach)
{
	if (hooks.attach_lost != NULL)
		hooks.attach_lost(attach);
}

void
evf_es_tell_segment_up(uint16_t es)
{
	if (hooks.segment_up != NULL)
		hooks.segment_up(es);
}

struct evf_es evf_ess[EVF_MAX_ES];
struct evf_esevi evf_esevis[EVF_MAX_ESEVI];

struct pe_slot {
	bool used;
	bool rt1_es;             /**< RT1 per-ES received */
	bool rt1_single_active;
	bool rt4;                /**< RT4 received: DF candidate and ES peer */
	enum evf_df_alg alg;
	uint16_t pref;
	bool dp;
	uint32_t evi_routes;     /**< RT1 per-EVI routes over all bindings */
	uint8_t rt1_gen, rt4_gen;/**< owner generations (0: manual) */
	uint32_t rt2_macs;       /**< MACs whose RT2 came from this PE with this ESI */
	int vtep;                /**< VTEP id (reference held) */
};

struct es_ctl {
	bool used;
	struct evf_es_local_cfg cfg;   /**< valid when evf_ess[].local */
	struct pe_slot pe[EVF_ES_MAX_PE];
	uint16_t nb_bind;
	uint16_t *bind;                /**< binding ids, index = DF table slot */
	bool oper_up;                  /**< local interface up */
	bool active;                   /**< up and activation timer expired: DF candidate */
	uint64_t activation_deadline;  /**< tsc, 0 = not running */
	uint64_t df_deadline;          /**< tsc, 0 = not running */
	uint16_t oper_pref;            /**< preference advertised (RFC 9785 non-revertive) */
	bool oper_dp;
	bool elected;                  /**< a DF election ran since the segment became active */
};

static struct es_ctl ctls[EVF_MAX_ES];
static uint16_t nb_es;
static struct rte_hash *es_by_esi;     /* ESI (padded to 12 bytes) -> id */
static struct rte_hash *esevi_by_key;  /* es << 16 | bd -> binding id */
static uint16_t nb_esevi;
static uint8_t evi_gen[EVF_MAX_ESEVI][EVF_ES_MAX_PE]; /* owner of each per-EVI route */

struct esi_key {
	uint8_t b[12];
};

static struct esi_key
esi_key(const struct evf_esi *esi)
{
	struct esi_key k;

	memset(&k, 0, sizeof(k));
	memcpy(k.b, esi->b, EVF_ESI_LEN);
	return k;
}

int
evf_es_init(void)
{
	static unsigned int gen;
	char n1[32], n2[32];
	struct rte_hash_parameters h1 = {
		.entries = EVF_MAX_ES * 2, .key_len = sizeof(struct esi_key),
		.hash_func = rte_jhash, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_hash_parameters h2 = {
		.entries = EVF_MAX_ESEVI * 2, .key_len = sizeof(uint32_t),
		.hash_func = rte_jhash, .socket_id = SOCKET_ID_ANY,
	};

	evf_es_reset();
	snprintf(n1, sizeof(n1), "evf_es%u", gen);
	snprintf(n2, sizeof(n2), "evf_esevi%u", gen++);
	h1.name = n1;
	h2.name = n2;
	es_by_esi = rte_hash_create(&h1);
	esevi_by_key = rte_hash_create(&h2);
	return es_by_esi && esevi_by_key ? 0 : -ENOMEM;
}

void
evf_es_reset(void)
{
	for (uint16_t i = 0; i < nb_es; i++) {
		free(ctls[i].bind);
		free(evf_ess[i].df);
	}
	memset(evf_ess, 0, sizeof(evf_ess));
	memset(evf_esevis, 0, sizeof(evf_esevis));
	memset(ctls, 0, sizeof(ctls));
	memset(evi_gen, 0, sizeof(evi_gen));
	nb_es = 0;
	nb_esevi = 0;
	if (es_by_esi != NULL)
		rte_hash_free(es_by_esi);
	if (esevi_by_key != NULL)
		rte_hash_free(esevi_by_key);
	es_by_esi = NULL;
	esevi_by_key = NULL;
}

uint16_t
evf_es_count(void)
{
	return nb_es;
}

const struct evf_es_local_cfg *
evf_es_local_cfg(uint16_t es)
{
	return es < nb_es && evf_ess[es].local ? &ctls[es].cfg : NULL;
}

bool
evf_es_local_active(uint16_t es)
{
	return es < nb_es && evf_ess[es].local && ctls[es].active;
}

int
evf_es_find(const struct evf_esi *esi)
{
	struct esi_key k = esi_key(esi);
	void *data;

	if (es_by_esi == NULL || rte_hash_lookup_data(es_by_esi, &k, &data) < 0)
		return -ENOENT;
	return (int)(uintptr_t)data;
}

static int
es_alloc(const struct evf_esi *esi, const char *name)
{
	struct esi_key k = esi_key(esi);
	struct evf_es *es;
	uint16_t id;

	if (nb_es == EVF_MAX_ES)
		return -ENOSPC;
	id = nb_es;
	es = &evf_ess[id];
	memset(es, 0, sizeof(*es));
	es->id = id;
	es->esi = *esi;
	if (name != NULL)
		snprintf(es->name, sizeof(es->name), "%s", name);
	else
		evf_esi_fmt(esi, es->name, sizeof(es->name));
	memset(&ctls[id], 0, sizeof(ctls[id]));
	ctls[id].used = true;
	for (int i = 0; i < EVF_ES_MAX_PE; i++)
		ctls[id].pe[i].vtep = -1;
	if (rte_hash_add_key_data(es_by_esi, &k, (void *)(uintptr_t)id) < 0)
		return -ENOSPC;
	nb_es++;
	return id;
}

int
evf_es_get(const struct evf_esi *esi)
{
	int id = evf_es_find(esi);

	return id >= 0 ? id : es_alloc(esi, NULL);
}

/* ---- DF table publication ---- */

static void
df_free(void *p, uint64_t unused)
{
	(void)unused;
	free(p);
}

/* Publish the DF bits of every binding of a segment; a df-change event for
 * each binding of a local segment whose bit changed (a new binding starts
 * non-DF: an event only when it is born DF). */
static void
publish_df(uint16_t es, const uint8_t *bits)
{
	struct es_ctl *c = &ctls[es];
	struct evf_es_df *t = malloc(sizeof(*t) + (c->nb_bind ? c->nb_bind : 1));
	struct evf_es_df *old;
	uint16_t old_nb;

	if (t == NULL)
		return; /* keep the previous table: stale DF beats none */
	t->nb = c->nb_bind;
	memcpy(t->df, bits, c->nb_bind);
	old = __atomic_exchange_n(&evf_ess[es].df, t, __ATOMIC_ACQ_REL);
	old_nb = old != NULL ? old->nb : 0;
	if (evf_ess[es].local) /* remote segments have no DF of ours */
		for (uint16_t i = 0; i < c->nb_bind; i++) {
			bool was = i < old_nb && old->df[i];

			if (was != (bits[i] != 0))
				evf_es_event_df(es, c->bind[i], bits[i]);
			/* Single-active: a link that is no longer DF stops forwarding,
			 * so the MACs learned on it are no longer ours to advertise;
			 * the DF's routes (or flooding) reach them now. */
			if (was && !bits[i] && evf_ess[es].single_active &&
			    evf_esevis[c->bind[i]].local_attach != EVF_INVALID_ID)
				evf_es_tell_attach_lost(evf_esevis[c->bind[i]].local_attach);
		}
	if (old != NULL)
		evf_rcu_defer(df_free, old, 0);
}

/* Undo the creation of a remote segment a rejected route just made, so that
 * a rejected route leaves nothing behind. Only the newest segment, only while
 * nothing refers to it (no PE slot, not even one pending release). */
void
evf_es_discard_new(uint16_t es)
{
	struct esi_key k;
	struct es_ctl *c = &ctls[es];

	if (es + 1u != nb_es || evf_ess[es].local || c->nb_bind != 0)
		return;
	for (int i = 0; i < EVF_ES_MAX_PE; i++) {
		const struct pe_slot *s = &c->pe[i];

		if (s->rt1_es || s->rt4 || s->evi_routes || s->rt2_macs ||
		    (!s->used && s->vtep >= 0)) /* referenced, or a release pending */
			return;
	}
	/* No FDB entry or attachment names a segment this new: no worker can
	 * see it, so its unreferenced slots go at once. */
	for (int i = 0; i < EVF_ES_MAX_PE; i++)
		if (c->pe[i].used && c->pe[i].vtep >= 0)
			evf_vtep_put((uint16_t)c->pe[i].vtep);
	k = esi_key(&evf_ess[es].esi);
	rte_hash_del_key(es_by_esi, &k);
	free(c->bind);
	memset(c, 0, sizeof(*c));
	if (evf_ess[es].df != NULL)
		evf_rcu_defer(df_free, evf_ess[es].df, 0);
	memset(&evf_ess[es], 0, sizeof(evf_ess[es]));
	nb_es--;
}

int
evf_esevi_find(uint16_t es, uint16_t bd)
{
	uint32_t key = ((uint32_t)es << 16) | bd;
	void *data;

	if (esevi_by_key == NULL || rte_hash_lookup_data(esevi_by_key, &key, &data) < 0)
		return -ENOENT;
	return (int)(uintptr_t)data;
}

int
evf_esevi_get(uint16_t es, uint16_t bd)
{
	uint32_t key = ((uint32_t)es << 16) | bd;
	struct es_ctl *c = &ctls[es];
	struct evf_esevi *x;
	uint8_t *bits;
	void *data;
	uint16_t *nb;

	if (rte_hash_lookup_data(esevi_by_key, &key, &data) >= 0)
		return (int)(uintptr_t)data;
	if (nb_esevi == EVF_MAX_ESEVI)
		return -ENOSPC;
	nb = realloc(c->bind, sizeof(uint16_t) * (c->nb_bind + 1u));
	if (nb == NULL)
		return -ENOMEM;
	c->bind = nb;
	x = &evf_esevis[nb_esevi];
	memset(x, 0, sizeof(*x));
	x->es = es;
	x->bd = bd;
	x->slot = c->nb_bind;
	x->local_attach = EVF_INVALID_ID;
	x->in_use = 1;
	if (rte_hash_add_key_data(esevi_by_key, &key, (void *)(uintptr_t)nb_esevi) < 0)
		return -ENOSPC;
	c->bind[c->nb_bind++] = nb_esevi;
	/* Grow the DF table with the new binding (not DF until elected). */
	bits = calloc(c->nb_bind, 1);
	if (bits != NULL) {
		if (evf_ess[es].df != NULL)
			memcpy(bits, evf_ess[es].df->df, evf_ess[es].df->nb);
		publish_df(es, bits);
		free(bits);
	}
	return nb_esevi++;
}

/* ---- PE slots ---- */

static void
slot_release(void *unused, uint64_t arg)
{
	uint16_t es = (uint16_t)(arg >> 8);
	uint8_t i = (uint8_t)arg;
	struct pe_slot *s = &ctls[es].pe[i];

	(void)unused;
	if (s->vtep >= 0)
		evf_vtep_put((uint16_t)s->vtep);
	memset(s, 0, sizeof(*s));
	s->vtep = -1;
	memset(&evf_ess[es].pe_ip[i], 0, sizeof(evf_ess[es].pe_ip[i]));
}

/* Free a slot nothing refers to any more, once no worker can hold its bits. */
static void
slot_maybe_free(uint16_t es, int i)
{
	struct pe_slot *s = &ctls[es].pe[i];

	if (!s->used || s->rt1_es || s->rt4 || s->evi_routes || s->rt2_macs)
		return;
	s->used = false;
	evf_rcu_defer(slot_release, NULL, ((uint64_t)es << 8) | (uint64_t)i);
}

void
evf_es_pe_gc(uint16_t es, uint8_t slot)
{
	if (es < nb_es && slot < EVF_ES_MAX_PE)
		slot_maybe_free(es, slot);
}

int
evf_es_pe_slot(uint16_t es, const struct evf_ip *vtep, bool create)
{
	struct es_ctl *c = &ctls[es];
	int free_i = -1;

	for (int i = 0; i < EVF_ES_MAX_PE; i++) {
		if (c->pe[i].used && evf_ip_equal(&evf_ess[es].pe_ip[i], vtep))
			return i;
		/* a slot whose release is still pending is not free yet */
		if (!c->pe[i].used && c->pe[i].vtep < 0 && free_i < 0)
			free_i = i;
	}
	if (!create)
		return -ENOENT;
	if (free_i < 0)
		return -ENOSPC;
	{
		int vid = evf_vtep_get(vtep);

		if (vid < 0)
			return vid;
		c->pe[free_i].used = true;
		c->pe[free_i].vtep = vid;
		evf_ess[es].pe_ip[free_i] = *vtep;
		evf_ess[es].pe_vtep[free_i] = (uint16_t)vid;
		/* address and VTEP visible before any mask bit can name the slot */
		rte_atomic_thread_fence(__ATOMIC_RELEASE);
	}
	return free_i;
}

static void
set_mask_bit(uint8_t *mask, int bit, bool on)
{
	uint8_t m = __atomic_load_n(mask, __ATOMIC_RELAXED);

	m = on ? (uint8_t)(m | (1u << bit)) : (uint8_t)(m & ~(1u << bit));
	__atomic_store_n(mask, m, __ATOMIC_RELEASE);
}

static void
update_peer_mask(uint16_t es, int i)
{
	const struct pe_slot *s = &ctls[es].pe[i];

	set_mask_bit(&evf_ess[es].peer_mask, i, s->used && (s->rt4 || s->rt1_es));
}

static void
update_single_active(uint16_t es)
{
	const struct es_ctl *c = &ctls[es];
	uint8_t sa = 0;

	if (evf_ess[es].local)
		sa = c->cfg.mode == EVF_ES_SINGLE_ACTIVE;
	for (int i = 0; i < EVF_ES_MAX_PE; i++)
		if (c->pe[i].used && c->pe[i].rt1_es && c->pe[i].rt1_single_active)
			sa = 1;
	__atomic_store_n(&evf_ess[es].single_active, sa, __ATOMIC_RELEASE);
}

static void df_schedule(uint16_t es, bool immediate);
static void readvertise_if_changed(uint16_t es);

/* Tell the control plane what to advertise for a local segment (RT4, RT1). */
static void
emit_es(uint16_t es, bool up)
{
	const struct es_ctl *c = &ctls[es];

	evf_es_event(es, up, c->oper_pref, c->oper_dp, c->cfg.df_alg,
		     c->cfg.mode == EVF_ES_SINGLE_ACTIVE);
}

int
evf_es_rt1_per_es(uint16_t es, const struct evf_ip *vtep, bool single_active, bool add,
		  uint8_t gen)
{
	int i = evf_es_pe_slot(es, vtep, add);
	struct pe_slot *s;

	if (i < 0)
		return i;
	s = &ctls[es].pe[i];
	if (!add && !s->rt1_es)
		return -ENOENT;
	s->rt1_es = add;
	s->rt1_single_active = add && single_active;
	s->rt1_gen = gen;
	/* Mass withdrawal: one byte changes the PE set of every MAC on the segment. */
	set_mask_bit(&evf_ess[es].per_es_mask, i, add);
	update_peer_mask(es, i);
	update_single_active(es);
	if (!add)
		slot_maybe_free(es, i);
	return 0;
}

int
evf_es_rt1_per_evi(uint16_t es, uint16_t bd, const struct evf_ip *vtep, bool add, uint8_t gen)
{
	int x, i;
	uint8_t bit;

	/* The PE slot first (-ENOSPC: PE limit), then the binding: a rejected
	 * route creates neither; a withdraw creates nothing. */
	i = evf_es_pe_slot(es, vtep, add);
	if (i < 0)
		return i;
	x = add ? evf_esevi_get(es, bd) : evf_esevi_find(es, bd);
	if (x < 0) {
		if (add)
			slot_maybe_free(es, i);
		return add ? -ENOMEM : -ENOENT;
	}
	bit = (uint8_t)(1u << i);
	if (add)
		evi_gen[x][i] = gen;
	if (add == !!(evf_esevis[x].per_evi_mask & bit))
		return add ? 0 : -ENOENT; /* repeated add refreshes; unknown withdraw */
	set_mask_bit(&evf_esevis[x].per_evi_mask, i, add);
	if (add) {
		ctls[es].pe[i].evi_routes++;
	} else {
		ctls[es].pe[i].evi_routes--;
		slot_maybe_free(es, i);
	}
	return 0;
}

int
evf_es_rt4(uint16_t es, const struct evf_ip *vtep, enum evf_df_alg alg, uint16_t pref,
	   bool dont_preempt, bool add, uint8_t gen)
{
	int i = evf_es_pe_slot(es, vtep, add);
	struct pe_slot *s;
	bool was;

	if (i < 0)
		return i;
	s = &ctls[es].pe[i];
	was = s->rt4;
	if (!add && !was)
		return -ENOENT;
	if (add && was && s->alg == alg && s->pref == pref && s->dp == dont_preempt) {
		s->rt4_gen = gen; /* a refresh (resync, re-advertisement): no new election */
		return 0;
	}
	s->rt4 = add;
	s->rt4_gen = gen;
	s->alg = alg;
	s->pref = pref;
	s->dp = dont_preempt;
	update_peer_mask(es, i);
	if (evf_ess[es].local) {
		/* Until our first election the non-revertive choice follows the
		 * peers' RT4s as they arrive (RFC 9785 4.2). */
		if (ctls[es].active && !ctls[es].elected)
			readvertise_if_changed(es);
		/* A PE leaving re-elects at once (fast failover); a PE joining, or
		 * changing its parameters, waits for the DF timer (RFC 8584 2.1). */
		df_schedule(es, !add);
	}
	if (!add)
		slot_maybe_free(es, i);
	return 0;
}

static bool
stale(uint8_t owner, uint8_t gen)
{
	return owner != 0 && owner != gen;
}

uint32_t
evf_es_sweep_routes(uint8_t gen)
{
	uint32_t n = 0;

	for (uint16_t es = 0; es < nb_es; es++) {
		struct es_ctl *c = &ctls[es];

		for (int i = 0; i < EVF_ES_MAX_PE; i++) {
			struct pe_slot *s = &c->pe[i];
			struct evf_ip ip = evf_ess[es].pe_ip[i];

			if (!s->used)
				continue;
			for (uint16_t b = 0; b < c->nb_bind; b++) {
				uint16_t x = c->bind[b];
				if ((evf_esevis[x].per_evi_mask & (1u << i)) && stale(evi_gen[x][i], gen)) {
					evf_es_rt1_per_evi(es, evf_esevis[x].bd, &ip, false, 0);
					n++;
				}
			}
			if (s->used && s->rt1_es && stale(s->rt1_gen, gen)) {
				evf_es_rt1_per_es(es, &ip, false, false, 0);
				n++;
			}
			if (s->used && s->rt4 && stale(s->rt4_gen, gen)) {
				evf_es_rt4(es, &ip, EVF_DF_MODULO, 0, false, false, 0);
				n++;
			}
		}
	}
	return n;
}

void
evf_es_regen_routes(uint8_t to)
{
	for (uint16_t es = 0; es < nb_es; es++) {
		struct es_ctl *c = &ctls[es];

		for (int i = 0; i < EVF_ES_MAX_PE; i++) {
			struct pe_slot *s = &c->pe[i];

			if (s->rt1_gen)
				s->rt1_gen = to;
			if (s->rt4_gen)
				s->rt4_gen = to;
			for (uint16_t b = 0; b < c->nb_bind; b++)
				if (evi_gen[c->bind[b]][i])
					evi_gen[c->bind[b]][i] = to;
		}
	}
}

void
evf_es_rt2_ref(uint16_t es, uint8_t slot, bool add)
{
	struct pe_slot *s = &ctls[es].pe[slot];

	if (add) {
		s->rt2_macs++;
	} else if (s->rt2_macs > 0) {
		s->rt2_macs--;
		slot_maybe_free(es, slot);
	}
}

/* ---- local segments ---- */

int
evf_es_create_local(const struct evf_es_local_cfg *cfg)
{
	int id;
	struct es_ctl *c;
	const struct evf_iface *ifc;

	if (evf_es_find(&cfg->esi) >= 0)
		return -EEXIST;
	if (cfg->iface >= evf_nb_ifaces)
		return -ENODEV;
	id = es_alloc(&cfg->esi, cfg->name);
	if (id < 0)
		return id;
	c = &ctls[id];
	c->cfg = *cfg;
	c->oper_pref = cfg->df_pref;
	c->oper_dp = cfg->df_dont_preempt;
	evf_ess[id].local = 1;
	update_single_active((uint16_t)id);
	ifc = &evf_ifaces[cfg->iface];
	evf_ifaces[cfg->iface].es = (uint16_t)id;
	/* Bind every attachment of the interface. */
	for (int v = 0; v < 4096; v++) {
		uint16_t a = ifc->vlan_to_attach[v];
		int x;

		if (a == EVF_INVALID_ID)
			continue;
		x = evf_esevi_get((uint16_t)id, evf_attachs[a].bd);
		if (x < 0)
			return x;
		if (evf_esevis[x].local_attach == EVF_INVALID_ID)
			evf_esevis[x].local_attach = a;
		evf_attachs[a].es = (uint16_t)id;
		evf_attachs[a].esevi = (uint16_t)x;
	}
	return id;
}

static uint64_t
ms_to_tsc(uint32_t ms)
{
	return rte_get_tsc_hz() / 1000 * ms;
}

void
evf_es_set_local_oper(uint16_t es, bool up)
{
	struct es_ctl *c = &ctls[es];

	if (!evf_ess[es].local || c->oper_up == up)
		return;
	c->oper_up = up;
	if (up) {
		/* Activation timer, then a DF candidate; until then BUM is not sent
		 * to the segment (no DF yet) but known unicast is. */
		c->activation_deadline = rte_rdtsc() + ms_to_tsc(c->cfg.activation_ms);
		if (c->activation_deadline == 0)
			c->activation_deadline = 1;
		__atomic_store_n(&evf_ess[es].local_up, 1, __ATOMIC_RELEASE);
		evf_es_tell_segment_up(es); /* the peers' MACs on it are ours too */
	} else {
		c->activation_deadline = 0;
		c->active = false;
		c->elected = false;
		__atomic_store_n(&evf_ess[es].local_up, 0, __ATOMIC_RELEASE);
		emit_es(es, false);
		df_schedule(es, true);
	}
}

/* ---- DF election ---- */

static unsigned int
collect_candidates(uint16_t es, struct evf_df_candidate *cand, bool *self_in, int *self_idx)
{
	const struct es_ctl *c = &ctls[es];
	unsigned int n = 0;

	*self_in = false;
	*self_idx = -1;
	if (c->active) {
		const struct evf_ip *own = evf_node.ipv4.family ? &evf_node.ipv4 : &evf_node.ipv6;

		cand[n].ip = *own;
		cand[n].alg = c->cfg.df_alg;
		cand[n].pref = c->oper_pref;
		cand[n].dont_preempt = c->oper_dp;
		*self_in = true;
		*self_idx = (int)n;
		n++;
	}
	for (int i = 0; i < EVF_ES_MAX_PE; i++) {
		if (!c->pe[i].used || !c->pe[i].rt4)
			continue;
		cand[n].ip = evf_ess[es].pe_ip[i];
		cand[n].alg = c->pe[i].alg;
		cand[n].pref = c->pe[i].pref;
		cand[n].dont_preempt = c->pe[i].dp;
		n++;
	}
	return n;
}

/* RFC 9785 non-revertive: a PE joining with Don't-Preempt set does not take
 * the DF role from the PE holding it: it advertises the holder's preference
 * with DP clear, so every PE elects the holder (DP set wins the tie). */
static void
apply_dont_preempt(uint16_t es)
{
	struct es_ctl *c = &ctls[es];
	struct evf_df_candidate cand[EVF_ES_MAX_PE + 1];
	bool self_in;
	int self_idx, df;
	unsigned int n;

	c->oper_pref = c->cfg.df_pref;
	c->oper_dp = c->cfg.df_dont_preempt;
	if (c->cfg.df_alg != EVF_DF_PREFERENCE || !c->cfg.df_dont_preempt)
		return;
	/* Who is DF among the others? */
	c->active = false;
	n = collect_candidates(es, cand, &self_in, &self_idx);
	c->active = true;
	df = evf_df_elect(cand, n, 0, &evf_ess[es].esi);
	if (df >= 0 && cand[df].alg == EVF_DF_PREFERENCE && cand[df].pref < c->cfg.df_pref) {
		c->oper_pref = cand[df].pref;
		c->oper_dp = false;
	}
}

/* The ES route (RT4) parameters changed: tell the control plane. */
static void
readvertise_if_changed(uint16_t es)
{
	struct es_ctl *c = &ctls[es];
	uint16_t pref = c->oper_pref;
	bool dp = c->oper_dp;

	apply_dont_preempt(es);
	if (c->oper_pref != pref || c->oper_dp != dp)
		emit_es(es, true);
}

/* RFC 9785 4.2: a non-revertive PE that took the holder's preference
 * advertises its own (admin) preference with DP set again once it is DF, so
 * that a PE coming back later does not take the role from it. Preference
 * election does not depend on the Ethernet tag: one binding tells. */
static void
restore_admin_preference(uint16_t es, bool is_df)
{
	struct es_ctl *c = &ctls[es];

	if (!is_df || c->cfg.df_alg != EVF_DF_PREFERENCE || !c->cfg.df_dont_preempt ||
	    (c->oper_pref == c->cfg.df_pref && c->oper_dp))
		return;
	c->oper_pref = c->cfg.df_pref;
	c->oper_dp = true;
	emit_es(es, true);
}

static void
df_compute(uint16_t es)
{
	struct es_ctl *c = &ctls[es];
	struct evf_df_candidate cand[EVF_ES_MAX_PE + 1];
	uint8_t bits[EVF_MAX_BDS];
	bool self_in;
	int self_idx;
	unsigned int n = collect_candidates(es, cand, &self_in, &self_idx);

	for (uint16_t i = 0; i < c->nb_bind; i++) {
		const struct evf_esevi *x = &evf_esevis[c->bind[i]];
		int df = self_in ? evf_df_elect(cand, n, evf_bds[x->bd].evi, &evf_ess[es].esi) : -1;

		bits[i] = df >= 0 && df == self_idx;
	}
	publish_df(es, bits);
	if (c->active) {
		c->elected = true;
		restore_admin_preference(es, c->nb_bind ? bits[0] : false);
	}
}

static void
df_schedule(uint16_t es, bool immediate)
{
	struct es_ctl *c = &ctls[es];

	if (immediate) {
		c->df_deadline = 0;
		df_compute(es);
		return;
	}
	c->df_deadline = rte_rdtsc() + ms_to_tsc(c->cfg.df_timer_ms);
	if (c->df_deadline == 0)
		c->df_deadline = 1;
}

unsigned int
evf_es_poll(uint64_t now)
{
	unsigned int work = 0;

	for (uint16_t es = 0; es < nb_es; es++) {
		struct es_ctl *c = &ctls[es];

		if (!evf_ess[es].local)
			continue;
		if (c->activation_deadline && now >= c->activation_deadline) {
			c->activation_deadline = 0;
			c->active = true;
			apply_dont_preempt(es);
			emit_es(es, true);
			df_schedule(es, false);
			work++;
		}
		if (c->df_deadline && now >= c->df_deadline) {
			c->df_deadline = 0;
			df_compute(es);
			work++;
		}
	}
	return work;
}

void
evf_es_df_view(uint16_t es, struct evf_es_df_view *v)
{
	const struct es_ctl *c = &ctls[es];
	uint64_t now = rte_rdtsc(), ms = rte_get_tsc_hz() / 1000;
	int self_idx;

	memset(v, 0, sizeof(*v));
	v->nb_candidates = (uint16_t)collect_candidates(es, v->cand, &v->self_candidate, &self_idx);
	/* The algorithm in use: the one every candidate advertises, else modulo. */
	v->oper_alg = v->nb_candidates ? evf_df_agreed_alg(v->cand, v->nb_candidates) :
		c->cfg.df_alg;
	v->oper_pref = c->oper_pref;
	v->oper_dp = c->oper_dp;
	v->timer_running = c->df_deadline != 0;
	v->timer_left_ms = c->df_deadline > now ? (uint32_t)((c->df_deadline - now) / ms) : 0;
	v->activating = c->activation_deadline != 0;
	v->activation_left_ms = c->activation_deadline > now ?
		(uint32_t)((c->activation_deadline - now) / ms) : 0;
}

struct evf_ip
evf_es_df_of(uint16_t esevi)
{
	struct evf_ip none;
	const struct evf_esevi *x = &evf_esevis[esevi];
	struct evf_df_candidate cand[EVF_ES_MAX_PE + 1];
	bool self_in;
	int self_idx, df;
	unsigned int n = collect_candidates(x->es, cand, &self_in, &self_idx);

	memset(&none, 0, sizeof(none));
	df = evf_df_elect(cand, n, evf_bds[x->bd].evi, &evf_ess[x->es].esi);
	return df >= 0 ? cand[df].ip : none;
}
