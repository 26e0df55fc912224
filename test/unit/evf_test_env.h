/* evf_test_env.h: shared fixture of the CUnit data-path tests.
 *
 * - EAL once per test binary (no hugepages, no shared config, no PCI, two
 *   lcores so evf_bringup finds a worker lcore; workers are never launched).
 * - A whole runtime from a YAML string (evf_cfg_load_buffer + evf_bringup)
 *   and its tear-down, so several configs can follow in one binary.
 * - mbuf helpers: single-segment and chained mbufs from a byte image (unused
 *   bytes of every segment poisoned), linearising, capture of what evfwd sent
 *   on a net_ring port (one ring shared by RX and TX: rte_eth_rx_burst reads
 *   back what was transmitted).
 * - A packet builder (Ethernet / 802.1Q / IPv4 / IPv6 [+ext headers] / UDP /
 *   VXLAN) with its own checksum code, and a checker of a VXLAN packet that
 *   compares every header byte with what is expected, independently of the
 *   code under test.
 * Everything runs on the main lcore; tests drive evf_workers[0] by hand. */
#ifndef EVF_TEST_ENV_H
#define EVF_TEST_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <CUnit/Basic.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "evf_addr.h"
#include "evf_cfg.h"
#include "evf_dp.h"

#define EVFT_PKT_MAX 9800

/* ---- EAL and CUnit ---- */

/** rte_eal_init once (exits the process on failure). */
void evft_eal_init(const char *prog);

struct evft_case {
	const char *name;
	CU_TestFunc fn;
};
/** Register one suite of cases, run it in CU_BRM_VERBOSE mode and return the
 *  process exit status: 0 when every assertion passed, 1 otherwise (2 on a
 *  CUnit error). init/clean may be NULL. */
int evft_run(const char *suite, const struct evft_case *cases, size_t n,
	CU_InitializeFunc init, CU_CleanupFunc clean);

/** Report a non-NULL failure message at the caller's line and fail the test. */
#define EVFT_OK(expr) do {                                                     \
		const char *evft_m_ = (expr);                                  \
		if (evft_m_ != NULL)                                           \
			fprintf(stderr, "\n    %s:%d: %s\n", __FILE__, __LINE__, evft_m_); \
		CU_ASSERT_PTR_NULL(evft_m_);                                   \
	} while (0)

/* ---- runtime ---- */

/** Load yaml and bring a runtime up. Returns 0, or -1 after printing why. */
int evft_up(const char *yaml);
/** Tear the runtime down (drains every port first). No-op when not up. */
void evft_down(void);
bool evft_is_up(void);
/** Ethdev port id of the evfwd port called name (aborts the test when missing). */
uint16_t evft_port(const char *name);
/** MAC-VRF id by name, or EVF_INVALID_ID. */
uint16_t evft_bd(const char *name);
/** Attachment id of (access port name, vlan), or EVF_INVALID_ID. */
uint16_t evft_attach(const char *port, uint16_t vlan);
/** VTEP id of an address given as text, or -ENOENT. */
int evft_vtep(const char *ip);
/** evf_workers[0] with its loop-top fields (tsc, now) refreshed like the worker loop does. */
struct evf_worker *evft_worker(void);

/* ---- mbufs ---- */

/** evf_rt.pool while a runtime is up, else a private pool of the fixture. */
struct rte_mempool *evft_pool(void);
unsigned int evft_in_use(void);
/** One-segment mbuf holding data (default headroom, tailroom poisoned). */
struct rte_mbuf *evft_mbuf(const void *data, uint32_t len);
/** Chained mbuf holding data, cut before each offset of cuts[] (ascending,
 *  0 < cut < len). Every byte of every buffer outside the data is poisoned. */
struct rte_mbuf *evft_mbuf_chain(const void *data, uint32_t len, const uint32_t *cuts,
	unsigned int ncuts);
/** Check the segment chain (counts, lengths) and copy the packet to out.
 *  Returns NULL or a failure message. */
const char *evft_linearize(const struct rte_mbuf *m, uint8_t *out, uint32_t max, uint32_t *len);

/* ---- ports ---- */

/** Read back up to max packets evfwd transmitted on port (net_ring loopback). */
unsigned int evft_capture(uint16_t port, struct rte_mbuf **out, unsigned int max);
/** Read and free everything waiting on every configured port; returns how many. */
unsigned int evft_drain_all(void);
void evft_free(struct rte_mbuf **m, unsigned int n);

/* ---- data path runs and their accounting ---- */

/** Take a counter baseline: drops and mbufs in use from now on. */
void evft_baseline(void);
/** The counters at the baseline. */
const struct evf_stats_sum *evft_base_stats(void);
/** Drops of reason r since the baseline. */
uint64_t evft_drops(enum evf_drop_reason r);
/** Drops of every reason since the baseline. */
uint64_t evft_all_drops(void);
/** Run a burst through the worker's data path, then flush its TX buffers. */
void evft_process(uint16_t port, struct rte_mbuf **pkts, uint16_t n);
/** evft_process() of one frame. */
void evft_inject(uint16_t port, const uint8_t *f, uint32_t len);
/** Nothing left on any port and every mbuf back to the baseline (asserts). */
void evft_finish(void);

/* ---- packet builder ---- */

struct rte_ether_addr evft_mac(const char *s);
struct evf_ip evft_ip(const char *s);

/** Internet checksum (RFC 1071) over big-endian 16-bit words, independent of DPDK. */
uint32_t evft_sum(const void *data, uint32_t len, uint32_t acc);
uint16_t evft_fold(uint32_t acc);

/** An Ethernet frame [802.1Q tci when vlan >= 0] carrying IPv4/UDP (sport ->
 *  dport) between sip and dip with payload bytes of a fixed pattern seeded by
 *  seed. Returns its length (14/18 + 20 + 8 + payload). */
uint32_t evft_frame(uint8_t *buf, const char *dst, const char *src, int vlan, const char *sip,
	const char *dip, uint16_t sport, uint16_t dport, uint32_t payload, uint8_t seed);
/** A raw Ethernet frame with EtherType type and a patterned payload. */
uint32_t evft_frame_raw(uint8_t *buf, const char *dst, const char *src, int vlan, uint16_t type,
	uint32_t payload, uint8_t seed);

#define EVFT_MAX_EXT 8
struct evft_outer {
	struct rte_ether_addr dst, src;
	int vlan;                 /**< -1: untagged; else the TCI */
	struct evf_ip sip, dip;   /**< family selects IPv4 or IPv6 */
	uint8_t ttl;
	bool df;                  /**< IPv4 DF flag */
	uint16_t ip_id;
	uint16_t sport, dport;
	bool udp_cksum;           /**< IPv6: fill the UDP checksum (else 0) */
	uint32_t vx_word0;        /**< first VXLAN word, host order (0x08000000 = I flag) */
	uint32_t vni;
	unsigned int nb_ext;      /**< IPv6 extension headers before UDP */
	uint8_t ext_type[EVFT_MAX_EXT];
	uint16_t ext_len[EVFT_MAX_EXT]; /**< bytes, multiple of 8 (fragment header: 8) */
};
/** Where the layers of a built packet start. */
struct evft_layout {
	uint32_t l3, l4, vx, inner, len;
};
/** Defaults: IPv4 underlay, no tag, TTL 64, DF, UDP 4789, I flag, VNI 0. */
void evft_outer_init(struct evft_outer *o, const char *dst_mac, const char *src_mac,
	const char *sip, const char *dip);
/** Build outer headers + inner frame; lengths and checksums consistent. */
uint32_t evft_vxlan(uint8_t *buf, const struct evft_outer *o, const uint8_t *inner,
	uint32_t inner_len, struct evft_layout *lay);
/** Recompute the IPv4 header checksum of the header at ip. */
void evft_ipv4_fix(uint8_t *ip);

/** What a transmitted VXLAN packet must look like. */
struct evft_expect {
	struct rte_ether_addr dst, src;
	int vlan;                 /**< -1: untagged; else the full TCI */
	struct evf_ip sip, dip;
	uint8_t ttl;
	uint16_t dport;
	int sport;                /**< -1: only check the 49152..65535 range */
	uint32_t vni;
	bool udp6_zero;           /**< IPv6: UDP checksum must be 0 (else must verify) */
	const uint8_t *inner;
	uint32_t inner_len;
};
/** Compare every header byte of pkt (len bytes) with e and the inner frame.
 *  Returns NULL or the first difference. */
const char *evft_check_vxlan(const uint8_t *pkt, uint32_t len, const struct evft_expect *e);
/** Same on an mbuf (any segmentation). */
const char *evft_check_vxlan_mbuf(const struct rte_mbuf *m, const struct evft_expect *e);

/** Hex dump of a buffer to stderr (debugging failing tests). */
void evft_hexdump(const char *title, const void *p, uint32_t len);

#endif /* EVF_TEST_ENV_H */
