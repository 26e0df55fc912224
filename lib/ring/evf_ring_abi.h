/* evf_ring_abi.h: evfwd control ring, ABI version 2 (doc/ring-abi.md).
 *
 * Self-contained: C11 standard headers only, no DPDK. Any process (a BGP speaker,
 * an adapter, evfwd-ctl) includes it to exchange EVPN routes and events with
 * evfwd through one POSIX shared-memory object that evfwd creates (mode 0600).
 *
 * The object holds a 4096-byte header and three rings of fixed 128-byte records:
 *   ring 0 "routes": control plane -> evfwd (RT1-RT4 add/withdraw, SYNC-BEGIN,
 *                    SYNC-END, HEARTBEAT); producer: the BGP adapter. Its
 *                    routes are swept by its resyncs.
 *   ring 1 "events": evfwd -> control plane (local MACs learned/aged/moved,
 *                    frozen MACs, segment and DF changes, and on request a
 *                    dump of the whole local state); producer: evfwd.
 *   ring 2 "manual": operator tools -> evfwd (RT1-RT4 only); its routes are
 *                    manual: no resync of ring 0 ever removes them.
 * Each ring is single producer / single consumer. Indices are free-running
 * 64-bit counters (slot = index & (count - 1)); the producer owns prod_idx,
 * the consumer owns cons_idx, each on its own cache line. A producer fills a
 * record completely, then publishes it with a release store of prod_idx; a
 * consumer reads prod_idx with acquire, reads the records, then releases them
 * with a release store of cons_idx. Full: prod_idx - cons_idx == count (the
 * producer waits). Records carry their index and a CRC-32C so that a torn or
 * stale record is recognised and rejected, never applied. */
#ifndef EVF_RING_ABI_H
#define EVF_RING_ABI_H

/* Language: a C11 header (C11 atomics, _Alignas, _Static_assert). It also
 * compiles as C++11 or later: the index fields are then std::atomic<uint64_t>
 * with the same size, alignment and offsets (checked below), and the helpers
 * use std::atomic's load/store. It needs lock-free 64-bit atomics: the index
 * fields are shared between processes, and only lock-free atomics work across
 * address spaces (checked below). test/ring/meson.build compiles this header
 * alone as C11 and C++11 with -Wall -Wextra -Wpedantic -Werror. */
#ifdef __cplusplus
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#define EVF_RING_ALIGNAS(n)         alignas(n)
#define EVF_RING_ATOMIC_U64         std::atomic<uint64_t>
#define EVF_RING_STATIC_ASSERT      static_assert
#define EVF_RING_ALIGNOF(t)         alignof(t)
#define EVF_RING_LOAD(p, mo)        (p)->load(std::memory_order_ ## mo)
#define EVF_RING_STORE(p, v, mo)    (p)->store((v), std::memory_order_ ## mo)
#else
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#define EVF_RING_ALIGNAS(n)         _Alignas(n)
#define EVF_RING_ATOMIC_U64         _Atomic uint64_t
#define EVF_RING_STATIC_ASSERT      _Static_assert
#define EVF_RING_ALIGNOF(t)         _Alignof(t)
#define EVF_RING_LOAD(p, mo)        atomic_load_explicit((p), memory_order_ ## mo)
#define EVF_RING_STORE(p, v, mo)    atomic_store_explicit((p), (v), memory_order_ ## mo)
#endif

#define EVF_RING_MAGIC        0x52465645u  /* "EVFR" little endian */
#define EVF_RING_ABI_VERSION  2u           /* major: a reader requires it equal */
#define EVF_RING_ABI_MINOR    2u           /* additions a reader may skip (doc 1.4) */
#define EVF_RING_HDR_SIZE     4096u
#define EVF_RING_REC_SIZE     128u
#define EVF_RING_ROUTES       0u           /* ring index: control plane -> evfwd */
#define EVF_RING_EVENTS       1u           /* ring index: evfwd -> control plane */
#define EVF_RING_MANUAL       2u           /* ring index: operator tools -> evfwd (manual routes) */
#define EVF_RING_COUNT        3u

/* ---- record ---- */

enum evf_ring_type {
	EVF_REC_RT1 = 1,            /* routes ring */
	EVF_REC_RT2 = 2,
	EVF_REC_RT3 = 3,
	EVF_REC_RT4 = 4,
	EVF_REC_SYNC_BEGIN = 16,    /* a full table follows */
	EVF_REC_SYNC_END = 17,      /* end of the full table: what was not re-sent is swept */
	EVF_REC_HEARTBEAT = 18,
	EVF_REC_EV_MAC_LEARNED = 64,/* events ring: advertise RT2 (seq, esi) */
	EVF_REC_EV_MAC_AGED = 65,   /* withdraw RT2 */
	EVF_REC_EV_MAC_MOVED = 66,  /* moved: attach != 0xffff re-advertise (new seq), else withdraw (now remote) */
	EVF_REC_EV_MAC_FROZEN = 67,
	EVF_REC_EV_MAC_UNFROZEN = 68,
	EVF_REC_EV_ES_UP = 69,      /* advertise RT4 (+RT1) for esi with df_alg/df_pref/DP */
	EVF_REC_EV_ES_DOWN = 70,    /* withdraw them */
	EVF_REC_EV_DF_CHANGE = 71,  /* flags bit EVF_REC_F_DF: we are DF for <esi, vni> */
	EVF_REC_EV_NODE = 72,       /* dump: our VTEP addresses (vtep: IPv4, ip: IPv6) */
	EVF_REC_EV_BD = 73,         /* dump: a MAC-VRF (vni, evi): advertise RT3 */
	EVF_REC_EV_ES_BD = 74,      /* dump: local segment esi is in MAC-VRF vni */
	EVF_REC_EV_DUMP_BEGIN = 75, /* a full dump of local state follows (epoch) */
	EVF_REC_EV_DUMP_END = 76,   /* end of the dump (epoch) */
	EVF_REC_EV_MACIP_LEARNED = 77, /* minor 2: a local MAC/IP binding (ip, mac, vni, esi):
	                                  advertise RT2 MAC+IP; STICKY: one of our own addresses */
	EVF_REC_EV_MACIP_AGED = 78,    /* minor 2: that binding is gone: withdraw it */
};

enum evf_ring_op {
	EVF_REC_ADD = 0,
	EVF_REC_WITHDRAW = 1,
};

/* flags */
#define EVF_REC_F_PER_ES        0x01u  /* RT1: Ethernet tag MAX-ET */
#define EVF_REC_F_SINGLE_ACTIVE 0x02u  /* RT1 per-ES */
#define EVF_REC_F_STICKY        0x04u  /* RT2 */
#define EVF_REC_F_DONT_PREEMPT  0x08u  /* RT4, EV_ES_UP */
#define EVF_REC_F_DF            0x10u  /* EV_DF_CHANGE */
#define EVF_REC_F_ND_ROUTER     0x40u  /* minor 2: RT2 with ip, MACIP events: the address is a
                                          router's (RFC 9047 ARP/ND extended community R) */
#define EVF_REC_F_KNOWN         0x5fu  /* routes: any other bit set: record rejected */
#define EVF_REC_F_DUMP          0x20u  /* events: part of a dump (DUMP_BEGIN .. DUMP_END) */
/* On events, SINGLE_ACTIVE marks an ES_UP/ES_DOWN segment's mode, STICKY a
 * static MAC (advertised sticky, RFC 7432 15.2). */

/* address families in records */
#define EVF_REC_AF_NONE 0u
#define EVF_REC_AF_IPV4 4u             /* address in the first 4 bytes, network order */
#define EVF_REC_AF_IPV6 6u

struct evf_ring_rec {
	uint32_t rec_idx;       /*   0: low 32 bits of this record's ring index */
	uint32_t crc;           /*   4: CRC-32C (Castagnoli, init ~0, final xor ~0) of bytes 8..127 */
	uint8_t type;           /*   8: enum evf_ring_type */
	uint8_t op;             /*   9: enum evf_ring_op (routes) */
	uint8_t flags;          /*  10: EVF_REC_F_* */
	uint8_t vtep_af;        /*  11: EVF_REC_AF_* of vtep */
	uint8_t ip_af;          /*  12: EVF_REC_AF_* of ip (RT2) */
	uint8_t df_alg;         /*  13: RT4 / ES_UP: 0 modulo, 1 hrw, 2 preference */
	uint16_t df_pref;       /*  14: RT4 / ES_UP: preference */
	uint32_t vni;           /*  16: RT1 per-EVI, RT2, RT3, MAC and DF events */
	uint32_t seq;           /*  20: RT2 / MAC events: MAC mobility sequence */
	uint8_t esi[10];        /*  24: RT1, RT4, RT2 (zero: single-homed), events */
	uint8_t mac[6];         /*  34: RT2, MAC events */
	uint8_t vtep[16];       /*  40: originating VTEP (routes) */
	uint8_t ip[16];         /*  56: RT2 IP (optional) */
	uint16_t attach;        /*  72: MAC events: evfwd attachment id, 0xffff none */
	uint16_t reserved0;     /*  74: zero */
	uint32_t reserved1;     /*  76: zero */
	uint64_t ts_ns;         /*  80: producer's CLOCK_MONOTONIC time, 0 = not given */
	uint64_t ev_seq;        /*  88: events ring: event number */
	uint32_t evi;           /*  96: EV_BD: the MAC-VRF's EVI */
	uint32_t reserved3;     /* 100: zero */
	uint64_t epoch;         /* 104: EV_DUMP_BEGIN/END: the epoch the dump answers */
	uint8_t reserved2[16];  /* 112: zero */
};

/* ---- shared-memory header ---- */

struct evf_ring_desc {
	uint64_t offset;        /* first record, from the start of the object */
	uint32_t count;         /* records, a power of two */
	uint32_t reserved;
};

/* Index block of one ring: producer and consumer lines never shared. */
struct evf_ring_idx {
	EVF_RING_ALIGNAS(64) EVF_RING_ATOMIC_U64 prod_idx; /* producer: next index to publish */
	EVF_RING_ATOMIC_U64 prod_epoch;           /* producer: changes when a new producer starts */
	EVF_RING_ATOMIC_U64 prod_heartbeat_ns;    /* producer: CLOCK_MONOTONIC of its last sign of life */
	EVF_RING_ALIGNAS(64) EVF_RING_ATOMIC_U64 cons_idx; /* consumer: next index to read */
	EVF_RING_ATOMIC_U64 cons_epoch;           /* consumer: the producer epoch it last saw */
	EVF_RING_ALIGNAS(64) uint8_t pad[64];
};

struct evf_ring_hdr {
	uint32_t magic;             /*   0: EVF_RING_MAGIC */
	uint16_t abi_version;       /*   4: EVF_RING_ABI_VERSION */
	uint16_t header_size;       /*   6: EVF_RING_HDR_SIZE */
	uint32_t record_size;       /*   8: EVF_RING_REC_SIZE */
	uint32_t nb_rings;          /*  12: EVF_RING_COUNT (3) */
	uint64_t total_size;        /*  16: size of the object */
	uint64_t evfwd_pid;         /*  24: informational */
	struct evf_ring_desc ring[EVF_RING_COUNT]; /* 32 */
	uint16_t abi_minor;         /*  80: EVF_RING_ABI_MINOR */
	uint8_t pad0[256 - 82];
	struct evf_ring_idx idx[EVF_RING_COUNT]; /* 256: one 192-byte block per ring */
};

/* Counters evfwd publishes for observers (evfwd-ctl status), written by
 * evfwd only, refreshed after every batch it reads and every 100 ms when
 * idle; not a consistent snapshot. */
#define EVF_RING_STATS_OFFSET 2048u
#define EVF_RING_STATS_REJECTS 16u
struct evf_ring_stats {
	uint64_t updated_ns;        /* CLOCK_MONOTONIC of the last refresh */
	uint64_t records;           /* read from the routes ring */
	uint64_t applied;           /* routes applied */
	uint64_t rejected[EVF_RING_STATS_REJECTS]; /* by reason, see rejected_names */
	uint64_t epochs;            /* producer restarts seen */
	uint64_t syncs_begun, syncs_ended, hold_expired, swept, heartbeats;
	uint64_t bad_header, bad_index;
	uint64_t events_out, events_lost;
	uint64_t lat_p50_ns, lat_p99_ns;  /* apply latency of records that carry ts_ns */
	uint32_t generation;        /* ring generation owning new routes */
	uint32_t syncing;           /* 1 between SYNC-BEGIN and SYNC-END or hold expiry */
	char rejected_names[EVF_RING_STATS_REJECTS][24];
	uint64_t handled_idx;       /* routes ring: every record below this index is applied or rejected */
	uint64_t producer_timeouts; /* the producer fell silent longer than producer-timeout */
	uint64_t manual_handled_idx;/* manual ring: every record below this index is handled */
	uint64_t manual_records;    /* read from the manual ring */
	uint64_t manual_applied;    /* manual routes applied */
	uint64_t manual_rejected;   /* manual records not applied (any reason) */
	uint64_t dumps;             /* state dumps started */
	uint64_t dump_records;      /* records written by dumps */
	uint64_t dump_epoch;        /* epoch of the last dump started */
	/* minor 1 */
	uint64_t replaced;          /* objects shrunk under evfwd and replaced by a new one */
	uint64_t lat_bad_ts;        /* records whose ts_ns was not a time since the object's
				     * creation: left out of the latency figures */
};

static inline struct evf_ring_stats *
evf_ring_stats(struct evf_ring_hdr *h)
{
	return (struct evf_ring_stats *)((uint8_t *)h + EVF_RING_STATS_OFFSET);
}

/* ---- layout checks: every offset and size of doc/ring-abi.md section 2 ---- */

/* Cross-process atomics: the index fields must be lock-free 64-bit atomics
 * (a lock-based atomic keeps its lock in the process, not in the object) of
 * the plain integer's size and alignment. */
#ifdef __cplusplus
EVF_RING_STATIC_ASSERT(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics are always lock-free");
#if __cplusplus >= 201703L
EVF_RING_STATIC_ASSERT(std::atomic<uint64_t>::is_always_lock_free, "atomic uint64_t is lock-free");
#endif
#else
EVF_RING_STATIC_ASSERT(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics are always lock-free");
EVF_RING_STATIC_ASSERT(sizeof(unsigned long) != 8 || ATOMIC_LONG_LOCK_FREE == 2,
		       "64-bit atomics (uint64_t is unsigned long) are always lock-free");
#endif
EVF_RING_STATIC_ASSERT(sizeof(EVF_RING_ATOMIC_U64) == 8 && EVF_RING_ALIGNOF(EVF_RING_ATOMIC_U64) == 8,
		       "atomic uint64_t: 8 bytes, 8-byte aligned");

#define EVF_RING_AT(type, field, off, size)                                        \
	EVF_RING_STATIC_ASSERT(offsetof(struct type, field) == (off) &&             \
			       sizeof(((struct type *)0)->field) == (size),          \
			       #type "." #field ": offset " #off ", size " #size)

/* record */
EVF_RING_STATIC_ASSERT(sizeof(struct evf_ring_rec) == EVF_RING_REC_SIZE, "record size");
EVF_RING_AT(evf_ring_rec, rec_idx, 0, 4);
EVF_RING_AT(evf_ring_rec, crc, 4, 4);
EVF_RING_AT(evf_ring_rec, type, 8, 1);
EVF_RING_AT(evf_ring_rec, op, 9, 1);
EVF_RING_AT(evf_ring_rec, flags, 10, 1);
EVF_RING_AT(evf_ring_rec, vtep_af, 11, 1);
EVF_RING_AT(evf_ring_rec, ip_af, 12, 1);
EVF_RING_AT(evf_ring_rec, df_alg, 13, 1);
EVF_RING_AT(evf_ring_rec, df_pref, 14, 2);
EVF_RING_AT(evf_ring_rec, vni, 16, 4);
EVF_RING_AT(evf_ring_rec, seq, 20, 4);
EVF_RING_AT(evf_ring_rec, esi, 24, 10);
EVF_RING_AT(evf_ring_rec, mac, 34, 6);
EVF_RING_AT(evf_ring_rec, vtep, 40, 16);
EVF_RING_AT(evf_ring_rec, ip, 56, 16);
EVF_RING_AT(evf_ring_rec, attach, 72, 2);
EVF_RING_AT(evf_ring_rec, reserved0, 74, 2);
EVF_RING_AT(evf_ring_rec, reserved1, 76, 4);
EVF_RING_AT(evf_ring_rec, ts_ns, 80, 8);
EVF_RING_AT(evf_ring_rec, ev_seq, 88, 8);
EVF_RING_AT(evf_ring_rec, evi, 96, 4);
EVF_RING_AT(evf_ring_rec, reserved3, 100, 4);
EVF_RING_AT(evf_ring_rec, epoch, 104, 8);
EVF_RING_AT(evf_ring_rec, reserved2, 112, 16);

/* header, ring descriptors, index blocks */
EVF_RING_STATIC_ASSERT(sizeof(struct evf_ring_desc) == 16, "ring descriptor size");
EVF_RING_AT(evf_ring_desc, offset, 0, 8);
EVF_RING_AT(evf_ring_desc, count, 8, 4);
EVF_RING_AT(evf_ring_desc, reserved, 12, 4);
EVF_RING_STATIC_ASSERT(sizeof(struct evf_ring_idx) == 192 && EVF_RING_ALIGNOF(struct evf_ring_idx) == 64,
		       "index block: 192 bytes, 64-byte aligned");
EVF_RING_AT(evf_ring_idx, prod_idx, 0, 8);
EVF_RING_AT(evf_ring_idx, prod_epoch, 8, 8);
EVF_RING_AT(evf_ring_idx, prod_heartbeat_ns, 16, 8);
EVF_RING_AT(evf_ring_idx, cons_idx, 64, 8);
EVF_RING_AT(evf_ring_idx, cons_epoch, 72, 8);
EVF_RING_AT(evf_ring_idx, pad, 128, 64);
EVF_RING_STATIC_ASSERT(sizeof(struct evf_ring_hdr) == 832, "header fields and index blocks: 832 bytes");
EVF_RING_STATIC_ASSERT(sizeof(struct evf_ring_hdr) <= EVF_RING_STATS_OFFSET, "header before the stats");
EVF_RING_AT(evf_ring_hdr, magic, 0, 4);
EVF_RING_AT(evf_ring_hdr, abi_version, 4, 2);
EVF_RING_AT(evf_ring_hdr, header_size, 6, 2);
EVF_RING_AT(evf_ring_hdr, record_size, 8, 4);
EVF_RING_AT(evf_ring_hdr, nb_rings, 12, 4);
EVF_RING_AT(evf_ring_hdr, total_size, 16, 8);
EVF_RING_AT(evf_ring_hdr, evfwd_pid, 24, 8);
EVF_RING_AT(evf_ring_hdr, ring, 32, 48);
EVF_RING_AT(evf_ring_hdr, ring[1].offset, 48, 8);
EVF_RING_AT(evf_ring_hdr, ring[1].count, 56, 4);
EVF_RING_AT(evf_ring_hdr, ring[2].offset, 64, 8);
EVF_RING_AT(evf_ring_hdr, ring[2].count, 72, 4);
EVF_RING_AT(evf_ring_hdr, abi_minor, 80, 2);
EVF_RING_AT(evf_ring_hdr, pad0, 82, 174);
EVF_RING_AT(evf_ring_hdr, idx, 256, 576);
EVF_RING_AT(evf_ring_hdr, idx[1].prod_idx, 448, 8);
EVF_RING_AT(evf_ring_hdr, idx[1].cons_idx, 512, 8);
EVF_RING_AT(evf_ring_hdr, idx[2].prod_idx, 640, 8);
EVF_RING_AT(evf_ring_hdr, idx[2].cons_idx, 704, 8);

/* stats block (offsets relative to EVF_RING_STATS_OFFSET = 2048) */
EVF_RING_STATIC_ASSERT(EVF_RING_STATS_OFFSET == 2048, "stats block at 2048");
EVF_RING_STATIC_ASSERT(sizeof(struct evf_ring_stats) == 728, "stats block: 728 bytes");
EVF_RING_STATIC_ASSERT(EVF_RING_STATS_OFFSET + sizeof(struct evf_ring_stats) <= EVF_RING_HDR_SIZE,
		       "stats block fits the header");
EVF_RING_AT(evf_ring_stats, updated_ns, 0, 8);
EVF_RING_AT(evf_ring_stats, records, 8, 8);
EVF_RING_AT(evf_ring_stats, applied, 16, 8);
EVF_RING_AT(evf_ring_stats, rejected, 24, 128);
EVF_RING_AT(evf_ring_stats, epochs, 152, 8);
EVF_RING_AT(evf_ring_stats, syncs_begun, 160, 8);
EVF_RING_AT(evf_ring_stats, syncs_ended, 168, 8);
EVF_RING_AT(evf_ring_stats, hold_expired, 176, 8);
EVF_RING_AT(evf_ring_stats, swept, 184, 8);
EVF_RING_AT(evf_ring_stats, heartbeats, 192, 8);
EVF_RING_AT(evf_ring_stats, bad_header, 200, 8);
EVF_RING_AT(evf_ring_stats, bad_index, 208, 8);
EVF_RING_AT(evf_ring_stats, events_out, 216, 8);
EVF_RING_AT(evf_ring_stats, events_lost, 224, 8);
EVF_RING_AT(evf_ring_stats, lat_p50_ns, 232, 8);
EVF_RING_AT(evf_ring_stats, lat_p99_ns, 240, 8);
EVF_RING_AT(evf_ring_stats, generation, 248, 4);
EVF_RING_AT(evf_ring_stats, syncing, 252, 4);
EVF_RING_AT(evf_ring_stats, rejected_names, 256, 384);
EVF_RING_AT(evf_ring_stats, handled_idx, 640, 8);
EVF_RING_AT(evf_ring_stats, producer_timeouts, 648, 8);
EVF_RING_AT(evf_ring_stats, manual_handled_idx, 656, 8);
EVF_RING_AT(evf_ring_stats, manual_records, 664, 8);
EVF_RING_AT(evf_ring_stats, manual_applied, 672, 8);
EVF_RING_AT(evf_ring_stats, manual_rejected, 680, 8);
EVF_RING_AT(evf_ring_stats, dumps, 688, 8);
EVF_RING_AT(evf_ring_stats, dump_records, 696, 8);
EVF_RING_AT(evf_ring_stats, dump_epoch, 704, 8);
EVF_RING_AT(evf_ring_stats, replaced, 712, 8);
EVF_RING_AT(evf_ring_stats, lat_bad_ts, 720, 8);
#undef EVF_RING_AT

/* ---- helpers (header-only) ---- */

/** CRC-32C (Castagnoli, reflected 0x82F63B78, init and final xor ~0). */
#if defined(__SSE4_2__)
#include <nmmintrin.h>
static inline uint32_t
evf_ring_crc32c(const void *data, size_t len)
{
	const uint8_t *p = (const uint8_t *)data;
	uint64_t crc = 0xffffffffu;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t v;
		memcpy(&v, p, sizeof(v));
		crc = _mm_crc32_u64(crc, v);
	}
	for (; len; p++, len--)
		crc = _mm_crc32_u8((uint32_t)crc, *p);
	return ~(uint32_t)crc;
}
#else
/* Bit by bit: no shared table, so any thread may call it first. */
static inline uint32_t
evf_ring_crc32c(const void *data, size_t len)
{
	const uint8_t *p = (const uint8_t *)data;
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
	}
	return ~crc;
}
#endif

/** Seal a filled record for ring index idx (sets rec_idx and crc). */
static inline void
evf_ring_rec_seal(struct evf_ring_rec *r, uint64_t idx)
{
	r->rec_idx = (uint32_t)idx;
	r->crc = evf_ring_crc32c((const uint8_t *)r + 8, EVF_RING_REC_SIZE - 8);
}

/** Is r an intact record for ring index idx? */
static inline int
evf_ring_rec_intact(const struct evf_ring_rec *r, uint64_t idx)
{
	return r->rec_idx == (uint32_t)idx &&
		r->crc == evf_ring_crc32c((const uint8_t *)r + 8, EVF_RING_REC_SIZE - 8);
}

static inline struct evf_ring_rec *
evf_ring_slot(struct evf_ring_hdr *h, unsigned int ring, uint64_t idx)
{
	return (struct evf_ring_rec *)((uint8_t *)h + h->ring[ring].offset) +
		(idx & (h->ring[ring].count - 1));
}

/** Producer: room for one more record? */
static inline int
evf_ring_can_produce(struct evf_ring_hdr *h, unsigned int ring)
{
	uint64_t p = EVF_RING_LOAD(&h->idx[ring].prod_idx, relaxed);
	uint64_t c = EVF_RING_LOAD(&h->idx[ring].cons_idx, acquire);

	return p - c < h->ring[ring].count;
}

/** Producer: write rec into the next slot and publish it. Returns 0, or -1
 *  when the ring is full (nothing written; retry later). */
static inline int
evf_ring_produce(struct evf_ring_hdr *h, unsigned int ring, const struct evf_ring_rec *rec)
{
	uint64_t p = EVF_RING_LOAD(&h->idx[ring].prod_idx, relaxed);
	uint64_t c = EVF_RING_LOAD(&h->idx[ring].cons_idx, acquire);
	struct evf_ring_rec *slot;

	if (p - c >= h->ring[ring].count)
		return -1;
	slot = evf_ring_slot(h, ring, p);
	memcpy(slot, rec, sizeof(*slot));
	evf_ring_rec_seal(slot, p);
	EVF_RING_STORE(&h->idx[ring].prod_idx, p + 1, release);
	return 0;
}

/** Consumer: copy out up to max records and release them; returns how many,
 *  or -1 when the indices are out of range (a broken producer). *first_idx
 *  (if not NULL) is always set: the index of out[0]. */
static inline int
evf_ring_consume(struct evf_ring_hdr *h, unsigned int ring, struct evf_ring_rec *out,
		 unsigned int max, uint64_t *first_idx)
{
	uint64_t c = EVF_RING_LOAD(&h->idx[ring].cons_idx, relaxed);
	uint64_t p = EVF_RING_LOAD(&h->idx[ring].prod_idx, acquire);
	unsigned int n = 0;

	if (first_idx != NULL)
		*first_idx = c;
	if (p - c > h->ring[ring].count)
		return -1;
	while (c + n != p && n < max) {
		memcpy(&out[n], evf_ring_slot(h, ring, c + n), sizeof(out[n]));
		n++;
	}
	EVF_RING_STORE(&h->idx[ring].cons_idx, c + n, release);
	return (int)n;
}

#endif /* EVF_RING_ABI_H */
