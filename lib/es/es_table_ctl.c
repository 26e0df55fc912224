/* es_table_ctl.c: the table of Ethernet segments (control thread; main
 * thread at start-up): segments and their (segment, MAC-VRF) bindings, the
 * PE slots remote routes fill, the masks workers read, and the hooks to the
 * MAC tables. See evf_es.h for what workers may read. */
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
#include "es_private.h"
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

struct es_ctl es_ctls[EVF_MAX_ES];
uint16_t es_nb;
static struct rte_hash *es_by_esi;     /* ESI (padded to 12 bytes) -> id */
static struct rte_hash *esevi_by_key;  /* es << 16 | bd -> binding id */
static uint16_t nb_esevi;
uint8_t es_evi_gen[EVF_MAX_ESEVI][EVF_ES_MAX_PE]; /* owner of each per-EVI route */

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
	for (uint16_t i = 0; i < es_nb; i++) {
		free(es_ctls[i].bind);
		free(evf_ess[i].df);
	}
	memset(evf_ess, 0, sizeof(evf_ess));
	memset(evf_esevis, 0, sizeof(evf_esevis));
	memset(es_ctls, 0, sizeof(es_ctls));
	memset(es_evi_gen, 0, sizeof(es_evi_gen));
	es_nb = 0;
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
	return es_nb;
}

const struct evf_es_local_cfg *
evf_es_local_cfg(uint16_t es)
{
	return es < es_nb && evf_ess[es].local ? &es_ctls[es].cfg : NULL;
}

bool
evf_es_local_active(uint16_t es)
{
	return es < es_nb && evf_ess[es].local && es_ctls[es].active;
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

int
es_alloc(const struct evf_esi *esi, const char *name)
{
	struct esi_key k = esi_key(esi);
	struct evf_es *es;
	uint16_t id;

	if (es_nb == EVF_MAX_ES)
		return -ENOSPC;
	id = es_nb;
	es = &evf_ess[id];
	memset(es, 0, sizeof(*es));
	es->id = id;
	es->esi = *esi;
	if (name != NULL)
		snprintf(es->name, sizeof(es->name), "%s", name);
	else
		evf_esi_fmt(esi, es->name, sizeof(es->name));
	memset(&es_ctls[id], 0, sizeof(es_ctls[id]));
	es_ctls[id].used = true;
	for (int i = 0; i < EVF_ES_MAX_PE; i++)
		es_ctls[id].pe[i].vtep = -1;
	if (rte_hash_add_key_data(es_by_esi, &k, (void *)(uintptr_t)id) < 0)
		return -ENOSPC;
	es_nb++;
	return id;
}

int
evf_es_get(const struct evf_esi *esi)
{
	int id = evf_es_find(esi);

	return id >= 0 ? id : es_alloc(esi, NULL);
}

/* Undo the creation of a remote segment a rejected route just made, so that
 * a rejected route leaves nothing behind. Only the newest segment, only while
 * nothing refers to it (no PE slot, not even one pending release). */
void
evf_es_discard_new(uint16_t es)
{
	struct esi_key k;
	struct es_ctl *c = &es_ctls[es];

	if (es + 1u != es_nb || evf_ess[es].local || c->nb_bind != 0)
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
		evf_rcu_defer(es_df_free, evf_ess[es].df, 0);
	memset(&evf_ess[es], 0, sizeof(evf_ess[es]));
	es_nb--;
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
	struct es_ctl *c = &es_ctls[es];
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
		es_publish_df(es, bits);
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
	struct pe_slot *s = &es_ctls[es].pe[i];

	(void)unused;
	if (s->vtep >= 0)
		evf_vtep_put((uint16_t)s->vtep);
	memset(s, 0, sizeof(*s));
	s->vtep = -1;
	memset(&evf_ess[es].pe_ip[i], 0, sizeof(evf_ess[es].pe_ip[i]));
}

/* Free a slot nothing refers to any more, once no worker can hold its bits. */
void
es_slot_maybe_free(uint16_t es, int i)
{
	struct pe_slot *s = &es_ctls[es].pe[i];

	if (!s->used || s->rt1_es || s->rt4 || s->evi_routes || s->rt2_macs)
		return;
	s->used = false;
	evf_rcu_defer(slot_release, NULL, ((uint64_t)es << 8) | (uint64_t)i);
}

void
evf_es_pe_gc(uint16_t es, uint8_t slot)
{
	if (es < es_nb && slot < EVF_ES_MAX_PE)
		es_slot_maybe_free(es, slot);
}

int
evf_es_pe_slot(uint16_t es, const struct evf_ip *vtep, bool create)
{
	struct es_ctl *c = &es_ctls[es];
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

void
es_set_mask_bit(uint8_t *mask, int bit, bool on)
{
	uint8_t m = __atomic_load_n(mask, __ATOMIC_RELAXED);

	m = on ? (uint8_t)(m | (1u << bit)) : (uint8_t)(m & ~(1u << bit));
	__atomic_store_n(mask, m, __ATOMIC_RELEASE);
}

void
es_update_peer_mask(uint16_t es, int i)
{
	const struct pe_slot *s = &es_ctls[es].pe[i];

	es_set_mask_bit(&evf_ess[es].peer_mask, i, s->used && (s->rt4 || s->rt1_es));
}

void
es_update_single_active(uint16_t es)
{
	const struct es_ctl *c = &es_ctls[es];
	uint8_t sa = 0;

	if (evf_ess[es].local)
		sa = c->cfg.mode == EVF_ES_SINGLE_ACTIVE;
	for (int i = 0; i < EVF_ES_MAX_PE; i++)
		if (c->pe[i].used && c->pe[i].rt1_es && c->pe[i].rt1_single_active)
			sa = 1;
	__atomic_store_n(&evf_ess[es].single_active, sa, __ATOMIC_RELEASE);
}
