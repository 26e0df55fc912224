/* test_mh_hostile.c: CUnit tests of hostile routes: each is rejected with its result
 * and counter and leaves the accepted state unchanged. See mh_fixture.h for the runtime. */
#include "mh_fixture.h"

/* ==== 6. hostile routes ==== */

#define SNAP_ES   64
#define SNAP_X    256
#define SNAP_FDB  512
#define FILLER0   0x02
#define FILLER1   0xff

/* The accepted state: segments, bindings, FDB (control and worker view),
 * VTEPs, flood lists, event count. Filler MACs (02:ff:...) are left out. */
struct es_sig {
	uint8_t per_es, peer, sa, local, local_up;
	struct evf_ip pe_ip[EVF_ES_MAX_PE];
	struct evf_esi esi;
	uintptr_t df_ptr;
	uint16_t df_nb;
	uint8_t df[64];
};
struct snap {
	uint16_t nb_es;
	struct es_sig es[SNAP_ES];
	struct evf_esevi x[SNAP_X];
	uint32_t fdb_count, nb_fdb;
	struct evf_fdb_entry fdb[SNAP_FDB];
	uint64_t hash_dest[SNAP_FDB];
	uint32_t vtep_count;
	uint32_t vtep_ref[EVF_MAX_VTEPS];
	uint16_t flood[4][64];
	uint16_t nb_flood[4];
	uint64_t events;
};

static void
collect(struct evf_fdb_entry *e, void *arg)
{
	struct snap *s = arg;

	if (e->key.mac.addr_bytes[0] == FILLER0 && e->key.mac.addr_bytes[1] == FILLER1)
		return;
	if (s->nb_fdb < SNAP_FDB) {
		uint64_t d;

		s->fdb[s->nb_fdb] = *e;
		s->hash_dest[s->nb_fdb] =
			evf_fdb_lookup(evf_fdb_key_u64(&e->key.mac, e->key.bd), &d) ? d : ~0ull;
		s->nb_fdb++;
	}
}

static void
snapshot(struct snap *s)
{
	const uint16_t bds[4] = { red, blue, alias_bd, mob };

	evf_rcu_drain();
	memset(s, 0, sizeof(*s));
	s->nb_es = evf_es_count();
	for (uint16_t i = 0; i < s->nb_es && i < SNAP_ES; i++) {
		const struct evf_es *es = &evf_ess[i];
		struct es_sig *g = &s->es[i];

		g->per_es = es->per_es_mask;
		g->peer = es->peer_mask;
		g->sa = es->single_active;
		g->local = es->local;
		g->local_up = es->local_up;
		memcpy(g->pe_ip, es->pe_ip, sizeof(g->pe_ip));
		g->esi = es->esi;
		g->df_ptr = (uintptr_t)es->df;
		if (es->df != NULL) {
			g->df_nb = es->df->nb;
			memcpy(g->df, es->df->df, RTE_MIN(es->df->nb, (uint16_t)64));
		}
	}
	memcpy(s->x, evf_esevis, sizeof(s->x));
	s->fdb_count = evf_fdb_count();
	evf_fdb_foreach(EVF_INVALID_ID, collect, s);
	s->vtep_count = evf_vtep_count();
	for (unsigned int i = 0; i < EVF_MAX_VTEPS; i++)
		s->vtep_ref[i] = evf_vteps[i].in_use ? evf_vteps[i].refcnt + 1 : 0;
	for (int b = 0; b < 4; b++)
		s->nb_flood[b] = evf_bd_flood_vteps(bds[b], s->flood[b], 64);
	s->events = evf_event_count();
}

static char diff_msg[1024];

/* Every difference (NULL when none). */
static const char *
snap_diff(const struct snap *a, const struct snap *b)
{
	size_t off = 0;

#define D(...) do {                                                             \
		if (off < sizeof(diff_msg))                                    \
			off += (size_t)snprintf(diff_msg + off, sizeof(diff_msg) - off, \
				"%s", off ? "; " : "");                        \
		if (off < sizeof(diff_msg))                                    \
			off += (size_t)snprintf(diff_msg + off, sizeof(diff_msg) - off, \
				__VA_ARGS__);                                  \
	} while (0)
	diff_msg[0] = '\0';
	if (a->nb_es != b->nb_es)
		D("segments %u -> %u", a->nb_es, b->nb_es);
	for (uint16_t i = 0; i < a->nb_es && i < SNAP_ES; i++) {
		const struct es_sig *x = &a->es[i], *y = &b->es[i];

		if (x->per_es != y->per_es || x->peer != y->peer || x->sa != y->sa ||
		    x->local_up != y->local_up)
			D("segment %s masks %02x/%02x -> %02x/%02x", evf_ess[i].name, x->per_es,
			  x->peer, y->per_es, y->peer);
		if (memcmp(x->pe_ip, y->pe_ip, sizeof(x->pe_ip)) != 0)
			D("segment %s PE addresses changed", evf_ess[i].name);
		if (x->df_ptr != y->df_ptr)
			D("segment %s DF table republished (%u -> %u bindings)", evf_ess[i].name,
			  x->df_nb, y->df_nb);
		else if (x->df_nb != y->df_nb || memcmp(x->df, y->df, sizeof(x->df)) != 0)
			D("segment %s DF bits changed", evf_ess[i].name);
	}
	for (unsigned int i = 0; i < SNAP_X; i++)
		if (memcmp(&a->x[i], &b->x[i], sizeof(a->x[i])) != 0)
			D("binding %u (segment %s, MAC-VRF %s) %s", i, evf_ess[b->x[i].es].name,
			  evf_bds[b->x[i].bd].name, a->x[i].in_use ? "changed" : "created");
	if (a->fdb_count != b->fdb_count)
		D("FDB count %u -> %u", a->fdb_count, b->fdb_count);
	if (a->nb_fdb != b->nb_fdb)
		D("FDB entries %u -> %u", a->nb_fdb, b->nb_fdb);
	for (uint32_t i = 0; i < a->nb_fdb && i < b->nb_fdb; i++) {
		if (memcmp(&a->fdb[i], &b->fdb[i], sizeof(a->fdb[i])) != 0)
			D("FDB entry %u changed", i);
		if (a->hash_dest[i] != b->hash_dest[i])
			D("FDB entry %u: worker view changed", i);
	}
	if (a->vtep_count != b->vtep_count)
		D("VTEPs %u -> %u", a->vtep_count, b->vtep_count);
	else if (memcmp(a->vtep_ref, b->vtep_ref, sizeof(a->vtep_ref)) != 0)
		D("VTEP references changed");
	if (memcmp(a->nb_flood, b->nb_flood, sizeof(a->nb_flood)) != 0 ||
	    memcmp(a->flood, b->flood, sizeof(a->flood)) != 0)
		D("flood lists changed");
	if (a->events != b->events)
		D("%lu event(s) emitted", (unsigned long)(b->events - a->events));
	return diff_msg[0] ? diff_msg : NULL;
#undef D
}

static struct snap snap_before, snap_after;

/* A route that must be rejected with want, counted, state unchanged. */
static unsigned int hostile_count;
static uint32_t hostile_kinds;   /* bit per result exercised */

static void
hostile(int line, int want, const struct evf_route *r, const char *what)
{
	struct evf_route_counters c0 = evf_route_counters;
	const char *d;
	int rr;

	rr = evf_route_apply(r);
	snapshot(&snap_after);
	d = snap_diff(&snap_before, &snap_after);
	if (rr != want || d != NULL)
		fprintf(stderr, "\n    line %d: %s: %s (expected %s)%s%s\n", line, what,
			evf_route_result_name(rr), evf_route_result_name(want),
			d ? "; state changed: " : "", d ? d : "");
	CU_ASSERT_EQUAL(rr, want);
	CU_ASSERT_PTR_NULL(d);
	CU_ASSERT_EQUAL(evf_route_counters.result[want], c0.result[want] + 1);
	CU_ASSERT(memcmp(evf_route_counters.applied, c0.applied, sizeof(c0.applied)) == 0);
	hostile_count++;
	hostile_kinds |= 1u << want;
	/* Whatever happened, compare the next one with the state as it is now. */
	snap_before = snap_after;
}

static void
hostile_text(int line, int want, const char *fmt, ...)
{
	char text[256], err[256];
	struct evf_route r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (evf_route_parse_line(text, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "\n    test bug: '%s': %s\n", text, err);
		CU_FAIL("route text does not parse");
		return;
	}
	hostile(line, want, &r, text);
}

#define HOSTILE(want, ...) hostile_text(__LINE__, (want), __VA_ARGS__)

#define K1 "02:00:00:00:6b:01"
#define K2 "02:00:00:00:6b:02"
#define K3 "02:00:00:00:6b:03"

static void
test_hostile_routes(void)
{
	struct evf_route r;
	uint32_t fillers = 0;

	fresh();
	/* The accepted state. */
	ROUTE_OK("rt3 add vni %u vtep %s", ALIAS_VNI, FLOODV);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_HOST, PE1);
	ROUTE_OK("rt1 add esi %s vtep %s", ESI_HOST, PE2);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_HOST, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 add esi %s vni %u vtep %s", ESI_HOST, ALIAS_VNI, PE2);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 3", ALIAS_VNI, K1, PE1, ESI_HOST);
	for (int i = 1; i <= 4; i++)
		ROUTE_OK("rt2 add vni %u mac %s vtep 198.18.0.6%d ip 10.9.0.%d", ALIAS_VNI, K2, i, i);
	for (int i = 1; i <= 8; i++)
		ROUTE_OK("rt1 add esi %s vtep 198.18.1.%d", ESI_FULL, i);
	ROUTE_OK("rt4 add esi %s vtep %s", ESI_MOD, P_MOD);
	evf_es_poll(rte_rdtsc());
	snapshot(&snap_before);
	hostile_count = 0;
	hostile_kinds = 0;

	/* unknown VNI */
	HOSTILE(EVF_RR_UNKNOWN_VNI, "rt2 add vni 999 mac %s vtep %s", K3, PE1);
	HOSTILE(EVF_RR_UNKNOWN_VNI, "rt1 add esi %s vni 999 vtep %s", ESI_HOST, PE1);
	HOSTILE(EVF_RR_UNKNOWN_VNI, "rt3 add vni 999 vtep %s", PE1);
	HOSTILE(EVF_RR_UNKNOWN_VNI, "rt2 del vni 999 mac %s vtep %s", K1, PE1);
	/* reserved ESIs */
	HOSTILE(EVF_RR_BAD_ESI, "rt1 add esi %s vtep %s", ESI_ZERO, PE1);
	HOSTILE(EVF_RR_BAD_ESI, "rt1 add esi %s vni %u vtep %s", ESI_ZERO, ALIAS_VNI, PE1);
	HOSTILE(EVF_RR_BAD_ESI, "rt4 add esi %s vtep %s", ESI_ZERO, P_MOD);
	HOSTILE(EVF_RR_BAD_ESI, "rt1 add esi %s vtep %s", ESI_MAX, PE1);
	HOSTILE(EVF_RR_BAD_ESI, "rt4 add esi %s vtep %s", ESI_MAX, P_MOD);
	HOSTILE(EVF_RR_BAD_ESI, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K3, PE1, ESI_MAX);
	HOSTILE(EVF_RR_BAD_ESI, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K1, PE1, ESI_MAX);
	/* MACs */
	HOSTILE(EVF_RR_BAD_MAC, "rt2 add vni %u mac 01:00:5e:00:00:01 vtep %s", ALIAS_VNI, PE1);
	HOSTILE(EVF_RR_BAD_MAC, "rt2 add vni %u mac 33:33:00:00:00:01 vtep %s", ALIAS_VNI, PE1);
	HOSTILE(EVF_RR_BAD_MAC, "rt2 add vni %u mac ff:ff:ff:ff:ff:ff vtep %s", ALIAS_VNI, PE1);
	HOSTILE(EVF_RR_BAD_MAC, "rt2 add vni %u mac 00:00:00:00:00:00 vtep %s", ALIAS_VNI, PE1);
	/* the route's IP */
	HOSTILE(EVF_RR_BAD_IP, "rt2 add vni %u mac %s vtep %s ip 224.1.1.1", ALIAS_VNI, K3, PE1);
	HOSTILE(EVF_RR_BAD_IP, "rt2 add vni %u mac %s vtep %s ip 127.0.0.1", ALIAS_VNI, K1, PE1);
	/* VTEPs that are no unicast tunnel endpoint */
	{
		static const char *const bad[] = { "0.0.0.0", "0.1.2.3", "224.0.0.5", "239.1.1.1", "127.0.0.1",
			"127.1.2.3", "255.255.255.255", "240.0.0.1", "fe80::1", "ff02::1", "::",
			"::1" };

		for (size_t i = 0; i < RTE_DIM(bad); i++) {
			HOSTILE(EVF_RR_BAD_VTEP, "rt2 add vni %u mac %s vtep %s", ALIAS_VNI, K3, bad[i]);
			HOSTILE(EVF_RR_BAD_VTEP, "rt1 add esi %s vtep %s", ESI_HOST, bad[i]);
			HOSTILE(EVF_RR_BAD_VTEP, "rt3 add vni %u vtep %s", ALIAS_VNI, bad[i]);
			HOSTILE(EVF_RR_BAD_VTEP, "rt4 add esi %s vtep %s", ESI_MOD, bad[i]);
		}
	}
	/* our own VTEP (a reflected route) */
	HOSTILE(EVF_RR_OWN_ROUTE, "rt2 add vni %u mac %s vtep %s", ALIAS_VNI, K3, NODE_V4);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K1, NODE_V4,
		ESI_HOST);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt1 add esi %s vtep %s", ESI_HOST, NODE_V4);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt3 add vni %u vtep %s", ALIAS_VNI, NODE_V4);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt4 add esi %s vtep %s", ESI_MOD, NODE_V4);
	HOSTILE(EVF_RR_OWN_ROUTE, "rt4 del esi %s vtep %s", ESI_MOD, NODE_V4);
	/* a family we have no source address for (no vtep-ipv6) */
	HOSTILE(EVF_RR_NO_SOURCE, "rt2 add vni %u mac %s vtep 2001:db8::5", ALIAS_VNI, K3);
	HOSTILE(EVF_RR_NO_SOURCE, "rt1 add esi %s vtep 2001:db8::5", ESI_HOST);
	HOSTILE(EVF_RR_NO_SOURCE, "rt3 add vni %u vtep 2001:db8::5", ALIAS_VNI);
	HOSTILE(EVF_RR_NO_SOURCE, "rt4 add esi %s vtep 2001:db8::5", ESI_MOD);
	/* RT4 for a segment that is not ours */
	HOSTILE(EVF_RR_ES_NOT_LOCAL, "rt4 add esi %s vtep %s", ESI_HOST, PE1);
	HOSTILE(EVF_RR_ES_NOT_LOCAL, "rt4 add esi %s vtep %s", ESI_NEW, PE1);
	HOSTILE(EVF_RR_ES_NOT_LOCAL, "rt4 del esi %s vtep %s", ESI_HOST, PE1);
	/* a 9th PE on a segment */
	HOSTILE(EVF_RR_ES_PE_LIMIT, "rt1 add esi %s vtep 198.18.1.9", ESI_FULL);
	HOSTILE(EVF_RR_ES_PE_LIMIT, "rt2 add vni %u mac %s vtep 198.18.1.9 esi %s", ALIAS_VNI, K3,
		ESI_FULL);
	HOSTILE(EVF_RR_ES_PE_LIMIT, "rt1 add esi %s vni %u vtep 198.18.1.9", ESI_FULL, ALIAS_VNI);
	/* a 5th RT2 route for one MAC */
	HOSTILE(EVF_RR_TOO_MANY_ROUTES, "rt2 add vni %u mac %s vtep 198.18.0.65", ALIAS_VNI, K2);
	HOSTILE(EVF_RR_TOO_MANY_ROUTES, "rt2 add vni %u mac %s vtep 198.18.0.61 ip 10.9.0.9",
		ALIAS_VNI, K2);
	HOSTILE(EVF_RR_TOO_MANY_ROUTES, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K2, PE1,
		ESI_HOST);
	HOSTILE(EVF_RR_TOO_MANY_ROUTES, "rt2 add vni %u mac %s vtep 198.18.0.65 esi %s", ALIAS_VNI,
		K2, ESI_NEW);
	/* RT2 for a configured MAC */
	HOSTILE(EVF_RR_STATIC_MAC, "rt2 add vni %u mac %s vtep %s", MOB_VNI, LSTATIC, PE1);
	HOSTILE(EVF_RR_STATIC_MAC, "rt2 add vni %u mac %s vtep %s seq 99 sticky", MOB_VNI, RSTATIC,
		PE1);
	HOSTILE(EVF_RR_STATIC_MAC, "rt2 add vni %u mac %s vtep %s esi %s", MOB_VNI, RSTATIC, PE1,
		ESI_NEW);
	HOSTILE(EVF_RR_STATIC_MAC, "rt2 del vni %u mac %s vtep 198.18.0.99", MOB_VNI, RSTATIC);
	/* withdrawals of routes never added */
	HOSTILE(EVF_RR_NOT_FOUND, "rt2 del vni %u mac %s vtep %s", ALIAS_VNI, K3, PE1);
	HOSTILE(EVF_RR_NOT_FOUND, "rt2 del vni %u mac %s vtep %s", ALIAS_VNI, K1, PE2);
	HOSTILE(EVF_RR_NOT_FOUND, "rt2 del vni %u mac %s vtep 198.18.0.61 ip 10.9.0.2", ALIAS_VNI, K2);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vtep %s", ESI_NEW, PE1);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vtep 198.18.0.77", ESI_HOST);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vni %u vtep 198.18.0.77", ESI_HOST, ALIAS_VNI);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vni %u vtep %s", ESI_HOST, MOB_VNI, PE1);
	HOSTILE(EVF_RR_NOT_FOUND, "rt1 del esi %s vni %u vtep %s", ESI_MOD, MOB_VNI, P_MOD);
	HOSTILE(EVF_RR_NOT_FOUND, "rt3 del vni %u vtep 198.18.0.77", ALIAS_VNI);
	HOSTILE(EVF_RR_NOT_FOUND, "rt3 del vni %u vtep %s", MOB_VNI, FLOODV);
	HOSTILE(EVF_RR_NOT_FOUND, "rt4 del esi %s vtep 198.18.0.77", ESI_MOD);
	HOSTILE(EVF_RR_NOT_FOUND, "rt4 del esi %s vtep %s", ESI_SA, P_MOD);
	/* bad type (struct only: the text cannot express it) */
	{
		memset(&r, 0, sizeof(r));
		r.type = 0;
		r.vtep = evft_ip(PE1);
		hostile(__LINE__, EVF_RR_BAD_TYPE, &r, "type 0");
		r.type = 5;
		hostile(__LINE__, EVF_RR_BAD_TYPE, &r, "type 5");
		memset(&r, 0, sizeof(r));
		r.type = EVF_RT_MAC;
		r.vni = ALIAS_VNI;
		r.mac = evft_mac(K3);
		r.vtep = evft_ip(PE1);
		r.ip.family = 7;
		hostile(__LINE__, EVF_RR_BAD_IP, &r, "rt2 ip of family 7");
		r.ip.family = 0;
		r.vtep.family = 7;
		hostile(__LINE__, EVF_RR_BAD_VTEP, &r, "rt2 vtep of family 7");
	}

	/* FDB full: a new MAC is refused, a known one still updates. */
	while (evf_fdb_count() < evf_fdb.capacity) {
		struct rte_ether_addr f = {{ FILLER0, FILLER1, (uint8_t)(fillers >> 24),
			(uint8_t)(fillers >> 16), (uint8_t)(fillers >> 8), (uint8_t)fillers }};

		if (fdb_set(red, &f, EVF_DEST_ATTACH, a_red1, EVF_FDB_EVPN, NULL) == NULL)
			break;
		fillers++;
	}
	CU_ASSERT_EQUAL(evf_fdb_count(), evf_fdb.capacity);
	snapshot(&snap_before);
	HOSTILE(EVF_RR_TABLE_FULL, "rt2 add vni %u mac %s vtep %s", ALIAS_VNI, K3, PE1);
	HOSTILE(EVF_RR_TABLE_FULL, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K3, PE1,
		ESI_HOST);
	HOSTILE(EVF_RR_TABLE_FULL, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K3,
		"198.18.0.78", ESI_HOST);
	HOSTILE(EVF_RR_TABLE_FULL, "rt2 add vni %u mac %s vtep %s esi %s", ALIAS_VNI, K3, PE1,
		ESI_NEW2);
	ROUTE_OK("rt2 add vni %u mac %s vtep %s esi %s seq 4", ALIAS_VNI, K1, PE1, ESI_HOST);
	CU_ASSERT(entry(alias_bd, K1) != NULL && entry(alias_bd, K1)->src[0].seq == 4);
	for (uint32_t i = 0; i < fillers; i++) {
		struct rte_ether_addr f = {{ FILLER0, FILLER1, (uint8_t)(i >> 24), (uint8_t)(i >> 16),
			(uint8_t)(i >> 8), (uint8_t)i }};

		evf_fdb_remove(evf_fdb_find(red, &f));
	}
	evf_rcu_drain();
	printf("\n    %u hostile routes of %d kinds (FDB full after %u filler entries) ",
	       hostile_count, __builtin_popcount(hostile_kinds), fillers);
	CU_ASSERT(__builtin_popcount(hostile_kinds) >= 12);

	/* Everything accepted goes away cleanly. */
	ROUTE_OK("rt4 del esi %s vtep %s", ESI_MOD, P_MOD);
	for (int i = 1; i <= 8; i++)
		ROUTE_OK("rt1 del esi %s vtep 198.18.1.%d", ESI_FULL, i);
	for (int i = 1; i <= 4; i++)
		ROUTE_OK("rt2 del vni %u mac %s vtep 198.18.0.6%d ip 10.9.0.%d", ALIAS_VNI, K2, i, i);
	ROUTE_OK("rt2 del vni %u mac %s vtep %s", ALIAS_VNI, K1, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_HOST, ALIAS_VNI, PE1);
	ROUTE_OK("rt1 del esi %s vni %u vtep %s", ESI_HOST, ALIAS_VNI, PE2);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_HOST, PE1);
	ROUTE_OK("rt1 del esi %s vtep %s", ESI_HOST, PE2);
	ROUTE_OK("rt3 del vni %u vtep %s", ALIAS_VNI, FLOODV);
	CU_ASSERT_PTR_NULL(entry(alias_bd, K1));
	CU_ASSERT_PTR_NULL(entry(alias_bd, K2));
	evf_rcu_drain();
	{
		struct evf_ip p1 = evft_ip(PE1);

		CU_ASSERT(evf_vtep_find(&p1) < 0);  /* no reference left behind */
	}
	finish();
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "hostile routes", test_hostile_routes },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("mh-hostile", cases, RTE_DIM(cases), suite_init, suite_clean);
}
