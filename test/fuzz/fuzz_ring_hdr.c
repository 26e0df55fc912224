/* fuzz_ring_hdr.c: libFuzzer target for evfwd's control ring consumer
 * (lib/ring/ring_*_ctl.c) fed a shared-memory image the fuzzer controls.
 *
 * LLVMFuzzerInitialize starts EAL and brings a runtime up (net_ring ports:
 * one network, two access; MAC-VRFs blue (VNI 100) and red (VNI 200); a local
 * Ethernet Segment on acc1). Workers and the control thread are never
 * launched: this thread is the control thread.
 *
 * Per input: the route state of the previous input is swept away, a fresh
 * image of exactly evf_ring_mem_size() bytes (64 route records, 64 event
 * records) is malloc'ed, so ASan sees any access past its end, and
 * evf_ring_init_mem() lays it out. The input then acts on the image, op by
 * op, like a producer (well-behaved or not) would:
 *
 *   byte 0        routes-ring batch size (1 + byte % 64)
 *   then ops, each one opcode byte (low 3 bits) and its operands:
 *   0 patch       off16 len8 bytes...: overwrite bytes anywhere in the image
 *                 (header fields, indices, stats block, record slots)
 *   1 raw record  up to 120 bytes: bytes 8..127 of a record, sealed and
 *                 published by the harness (skipped when full)
 *   2 route       6 bytes: a route built from small tables (type, op, MAC,
 *                 VTEP incl. our own / loopback / IPv6, VNI incl. unknown,
 *                 ESI incl. zero / local / all-ones, flags, seq), encoded and
 *                 produced: reaches the route API quickly
 *   3 control     1 byte: SYNC-BEGIN, SYNC-END or HEARTBEAT produced
 *   4 prod_idx    9 bytes: mode + value: set prod_idx raw or cons +/- delta
 *   5 epoch       2 bytes: new producer epoch
 *   6 poll        1 byte: advance the synthetic TSC by byte/8 s, evf_ring_poll
 *   7 cons/hdr    9 bytes: set cons_idx, or a header word, raw
 *   then up to 8 more polls, 1 s apart (hold-time expiries, resyncs).
 *
 * After every poll: the mbuf pool's in-use count is unchanged (the ring path
 * never touches packets), the FDB count never exceeds its capacity, every
 * record read from the routes and manual rings is accounted for exactly once
 * (applied, rejected by reason, SYNC-BEGIN, SYNC-END or heartbeat), and the
 * control state is consistent:
 * every EVPN FDB entry has 1..4 route sources on VTEPs in use, every PE bit
 * of a segment mask names a PE slot with an address. After the final sweep
 * of the input's routes no EVPN MAC and no RT3 flood member is left.
 * Any violation calls abort(). FUZZ_RING_TRACE=1 prints one line per input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_cfg.h"
#include "evf_es.h"
#include "evf_es_ctl.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_rcu.h"
#include "evf_ring.h"
#include "evf_route.h"
#include "evf_runtime.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"

#define FAIL(...) do { \
	fprintf(stderr, "fuzz_ring_hdr: invariant violated: " __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

static const char fuzz_cfg[] =
	"node:\n"
	"  name: fuzzring\n"
	"  vtep-ipv4: 198.18.0.1\n"
	"  vtep-ipv6: 2001:2::1\n"
	"  mac: 02:00:00:00:00:01\n"
	"  fdb-capacity: 1024\n"
	"  mbufs: 2048\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_fr0, role: network, next-hop-mac: 02:00:00:00:00:fe,\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_fr1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc1, device: net_ring_fr2, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - {name: blue, vni: 100, attachments: [{port: acc0, vlan: untagged}, {port: acc1, vlan: 10}]}\n"
	"  - {name: red, vni: 200, attachments: [{port: acc1, vlan: 20}]}\n"
	"ethernet-segments:\n"
	"  - {name: ES-1, esi: '01:11:11:11:11:11:11:00:00:01', interface: acc1, df-timer: 0}\n"
	"workers:\n"
	"  count: 1\n";

static struct evf_cfg_ring rcfg;
static size_t img_size;
static unsigned int base_in_use;
static uint64_t T, HZ;
static bool trace;

static const char *const vteps[8] = {
	"198.18.0.2", "198.18.0.3", "198.18.0.4", "2001:2::2",
	"198.18.0.1" /* own */, "127.0.0.1" /* loopback */, "198.18.0.5", "224.0.0.5",
};
static const uint32_t vnis[4] = { 100, 200, 999, 100 };
static const char *const esis[5] = {
	"00:00:00:00:00:00:00:00:00:00", "01:11:11:11:11:11:11:00:00:01",
	"00:11:22:33:44:55:66:77:88:99", "03:aa:bb:cc:dd:ee:ff:00:00:01",
	"ff:ff:ff:ff:ff:ff:ff:ff:ff:ff",
};

static void
die_init(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ring_hdr: initialisation failed: %s%s%s\n", what,
		detail ? ": " : "", detail ? detail : "");
	exit(1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *eal_argv[] = {
		"fuzz_ring_hdr", "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
		"-l", "0-1", "-m", "256", "--log-level=*:error", NULL,
	};
	char err[EVF_CFG_ERR_LEN];
	struct evf_cfg *cfg;

	(void)argc;
	(void)argv;
	if (rte_eal_init((int)RTE_DIM(eal_argv) - 1, eal_argv) < 0)
		die_init("rte_eal_init", rte_strerror(rte_errno));
	cfg = evf_cfg_load_buffer("fuzz_cfg", fuzz_cfg, sizeof(fuzz_cfg) - 1, err, sizeof(err));
	if (cfg == NULL)
		die_init("config", err);
	if (evf_bringup(cfg, err, sizeof(err)) < 0)
		die_init("evf_bringup", err);
	evf_cfg_free(cfg);
	rcfg.enabled = true;
	snprintf(rcfg.name, sizeof(rcfg.name), "/fuzz");
	rcfg.records = 64;
	rcfg.event_records = 64;
	rcfg.hold_time = 1;
	rcfg.batch = 64;
	img_size = evf_ring_mem_size(&rcfg);
	base_in_use = rte_mempool_in_use_count(evf_rt.pool);
	HZ = rte_get_tsc_hz();
	T = rte_rdtsc();
	trace = getenv("FUZZ_RING_TRACE") != NULL;
	return 0;
}

/* ---- invariants ---- */

static void
check_fdb_entry(struct evf_fdb_entry *e, void *arg)
{
	unsigned int used = 0;

	(*(uint32_t *)arg)++;
	if (e->origin != EVF_FDB_EVPN)
		return;
	for (int i = 0; i < EVF_RT2_SRC_MAX; i++) {
		const struct evf_rt2_src *s = &e->src[i];

		if (!s->used)
			continue;
		used++;
		if (s->vtep >= EVF_MAX_VTEPS || !evf_vteps[s->vtep].in_use || evf_vteps[s->vtep].refcnt == 0)
			FAIL("an RT2 source refers to VTEP %u not in use", s->vtep);
		if (s->es != EVF_INVALID_ID &&
		    (s->es >= EVF_MAX_ES || s->es_slot >= EVF_ES_MAX_PE ||
		     evf_ess[s->es].pe_ip[s->es_slot].family == 0))
			FAIL("an RT2 source refers to segment %u slot %u without a PE", s->es, s->es_slot);
	}
	if (used == 0 || used != e->nb_src)
		FAIL("EVPN entry with %u used sources, nb_src %u", used, e->nb_src);
	switch (evf_dest_kind(e->dest)) {
	case EVF_DEST_VTEP:
		if (!evf_vteps[evf_dest_target(e->dest)].in_use)
			FAIL("EVPN entry points at a free VTEP slot");
		break;
	case EVF_DEST_ES:
		if (evf_dest_target(e->dest) >= EVF_MAX_ESEVI || !evf_esevis[evf_dest_target(e->dest)].in_use)
			FAIL("EVPN entry points at a free segment binding");
		break;
	default:
		FAIL("EVPN entry with destination kind %u", evf_dest_kind(e->dest));
	}
}

static void
check_state(const char *when)
{
	const struct evf_ring_counters *c = &evf_ring_counters;
	uint64_t acc = c->applied + c->manual_applied + c->syncs_begun + c->syncs_ended +
		c->heartbeats;
	uint32_t visited = 0;

	/* rejected[] counts both route-carrying rings (routes and manual) */
	for (int r = 0; r < EVF_RING_REJ_MAX; r++)
		acc += c->rejected[r];
	if (acc != c->records + c->manual_records)
		FAIL("%s: %lu records read but %lu accounted for", when,
		     (unsigned long)(c->records + c->manual_records), (unsigned long)acc);
	if (c->manual_applied + c->manual_rejected != c->manual_records)
		FAIL("%s: manual ring: %lu read, %lu applied + %lu rejected", when,
		     (unsigned long)c->manual_records, (unsigned long)c->manual_applied,
		     (unsigned long)c->manual_rejected);
	if (rte_mempool_in_use_count(evf_rt.pool) != base_in_use)
		FAIL("%s: mbufs in use %u, was %u", when, rte_mempool_in_use_count(evf_rt.pool),
		     base_in_use);
	if (evf_fdb_count() > evf_fdb.capacity)
		FAIL("%s: FDB count %u over capacity %u", when, evf_fdb_count(), evf_fdb.capacity);
	evf_fdb_foreach(EVF_INVALID_ID, check_fdb_entry, &visited);
	if (visited > evf_fdb.capacity)
		FAIL("%s: %u FDB entries visited, capacity %u", when, visited, evf_fdb.capacity);
	for (uint16_t id = 0; id < evf_es_count(); id++) {
		const struct evf_es *es = &evf_ess[id];
		uint8_t m = es->per_es_mask | es->peer_mask;

		for (int i = 0; i < EVF_ES_MAX_PE; i++)
			if ((m & (1u << i)) && es->pe_ip[i].family == 0)
				FAIL("%s: segment %u mask bit %d without a PE address", when, id, i);
	}
}

/* ---- input ---- */

struct cursor {
	const uint8_t *p;
	size_t left;
};

static bool
take(struct cursor *c, void *out, size_t n)
{
	if (c->left < n) {
		memset(out, 0, n);
		if (c->left)
			memcpy(out, c->p, c->left);
		c->p += c->left;
		c->left = 0;
		return false;
	}
	memcpy(out, c->p, n);
	c->p += n;
	c->left -= n;
	return true;
}

static uint8_t
byte(struct cursor *c)
{
	uint8_t b = 0;

	take(c, &b, 1);
	return b;
}

static void
poll_once(void)
{
	evf_ring_poll(T);
	evf_rcu_drain();
	check_state("after a poll");
}

/* The fuzzer's own producer: like evf_ring_produce, but with the layout it
 * attached to (a producer checks the header once, when it maps the object),
 * so that a header the input damaged never makes the harness itself write
 * outside the image. */
static void
produce(struct evf_ring_hdr *h, const struct evf_ring_rec *rec)
{
	struct evf_ring_idx *ix = &h->idx[EVF_RING_ROUTES];
	uint64_t p = atomic_load_explicit(&ix->prod_idx, memory_order_relaxed);
	uint64_t c = atomic_load_explicit(&ix->cons_idx, memory_order_acquire);
	struct evf_ring_rec *slot;

	if (p - c >= rcfg.records)
		return;
	slot = (struct evf_ring_rec *)((uint8_t *)h + EVF_RING_HDR_SIZE) + (p & (rcfg.records - 1));
	memcpy(slot, rec, sizeof(*slot));
	evf_ring_rec_seal(slot, p);
	atomic_store_explicit(&ix->prod_idx, p + 1, memory_order_release);
}

static void
route_op(struct evf_ring_hdr *h, struct cursor *c)
{
	uint8_t b[6];
	struct evf_route r;
	struct evf_ring_rec rec;
	char err[128];

	take(c, b, sizeof(b));
	memset(&r, 0, sizeof(r));
	r.type = (uint8_t)(1 + b[0] % 4);
	r.withdraw = (b[0] >> 2) & 1;
	r.mac.addr_bytes[0] = (b[0] & 0x80) ? 0x01 : 0x00;   /* multicast MACs now and then */
	r.mac.addr_bytes[1] = 0xc1;
	r.mac.addr_bytes[5] = b[1] & 0x0f;
	evf_ip_parse(vteps[(b[1] >> 4) & 7], &r.vtep);
	r.vni = vnis[b[2] & 3];
	evf_esi_parse(esis[((b[2] >> 2) & 7) % 5], &r.esi);
	if (b[2] & 0x20)
		evf_ip_parse("198.19.0.1", &r.ip);
	r.per_es = b[3] & 1;
	r.single_active = r.per_es && (b[3] & 2);
	r.sticky = (b[3] >> 2) & 1;
	r.df_alg = (b[3] >> 3) % 3;
	r.df_dp = (b[3] >> 5) & 1;
	r.df_pref = b[4];
	r.seq = b[5] & 7;
	if (r.type != EVF_RT_MAC) {
		r.seq = 0;
		r.sticky = false;
		memset(&r.ip, 0, sizeof(r.ip));
	}
	(void)err;
	evf_ring_encode_route(&r, &rec);
	produce(h, &rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };
	struct evf_ring_hdr *h;
	uint8_t *img;
	char err[256];
	unsigned int ops = 0;

	/* Start from no ring routes at all. */
	evf_route_sweep(0);
	evf_rcu_drain();

	img = malloc(img_size);
	if (img == NULL)
		abort();
	memset(img, 0xee, img_size);
	rcfg.batch = size ? 1 + data[0] % 64u : 64;
	if (size) {
		c.p++;
		c.left--;
	}
	if (evf_ring_init_mem(&rcfg, img, err, sizeof(err)) != 0)
		FAIL("evf_ring_init_mem: %s", err);
	h = (struct evf_ring_hdr *)img;
	check_state("after init");

	while (c.left && ops < 512) {
		uint8_t op = byte(&c);

		ops++;
		switch (op & 7) {
		case 0: {
			uint16_t off;
			uint8_t n;

			take(&c, &off, sizeof(off));
			n = (uint8_t)(1 + byte(&c) % 32);
			off = (uint16_t)(off % img_size);
			if (n > img_size - off)
				n = (uint8_t)(img_size - off);
			take(&c, img + off, n);
			break;
		}
		case 1: {
			struct evf_ring_rec rec;

			memset(&rec, 0, sizeof(rec));
			take(&c, (uint8_t *)&rec + 8, (size_t)(op >> 3) * 8 > 120 ? 120 : (size_t)(op >> 3) * 8);
			produce(h, &rec);
			break;
		}
		case 2:
			route_op(h, &c);
			break;
		case 3: {
			struct evf_ring_rec rec;
			static const uint8_t types[4] = { EVF_REC_SYNC_BEGIN, EVF_REC_SYNC_END,
				EVF_REC_HEARTBEAT, EVF_REC_SYNC_END };

			memset(&rec, 0, sizeof(rec));
			rec.type = types[(op >> 3) & 3];
			produce(h, &rec);
			break;
		}
		case 4: {
			uint8_t mode = byte(&c);
			uint64_t v;

			take(&c, &v, sizeof(v));
			if (mode & 1)
				atomic_store(&h->idx[EVF_RING_ROUTES].prod_idx, v);
			else
				atomic_store(&h->idx[EVF_RING_ROUTES].prod_idx,
					atomic_load(&h->idx[EVF_RING_ROUTES].cons_idx) + (uint64_t)(int64_t)(int8_t)v);
			break;
		}
		case 5: {
			uint16_t e;

			take(&c, &e, sizeof(e));
			atomic_store(&h->idx[EVF_RING_ROUTES].prod_epoch, e);
			break;
		}
		case 6:
			T += (uint64_t)byte(&c) * HZ / 8;
			poll_once();
			break;
		default: {
			uint8_t which = byte(&c);
			uint64_t v;

			take(&c, &v, sizeof(v));
			if (which & 1) {
				atomic_store(&h->idx[EVF_RING_ROUTES].cons_idx, v);
			} else {
				/* one 8-byte word of the first 256 header bytes */
				memcpy(img + ((which >> 1) % 32) * 8, &v, sizeof(v));
			}
			break;
		}
		}
	}
	for (int i = 0; i < 8; i++) {
		T += HZ;
		poll_once();
	}
	if (trace)
		fprintf(stderr, "fuzz_ring_hdr: %zu bytes, %u ops, records %lu applied %lu bad_header %lu"
			" bad_index %lu epochs %lu swept %lu fdb %u\n", size, ops,
			(unsigned long)evf_ring_counters.records, (unsigned long)evf_ring_counters.applied,
			(unsigned long)evf_ring_counters.bad_header, (unsigned long)evf_ring_counters.bad_index,
			(unsigned long)evf_ring_counters.epochs, (unsigned long)evf_ring_counters.swept,
			evf_fdb_count());

	/* Everything this input installed goes away with its generations. */
	evf_ring_fini();
	evf_route_sweep(0);
	evf_rcu_drain();
	if (evf_fdb_count() != 0)
		FAIL("%u FDB entries left after sweeping every ring route", evf_fdb_count());
	for (uint16_t bd = 0; bd < evf_nb_bds; bd++) {
		uint16_t v[64];

		for (uint16_t i = 0, n = evf_bd_flood_vteps(bd, v, 64); i < n; i++)
			if (evf_bd_flood_has(bd, v[i], EVF_FLOOD_SRC_IMET))
				FAIL("RT3 flood member left in MAC-VRF %u after the sweep", bd);
	}
	free(img);
	return 0;
}
