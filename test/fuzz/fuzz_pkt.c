/* fuzz_pkt.c: libFuzzer target for the worker packet path.
 *
 * LLVMFuzzerInitialize starts EAL and builds one complete runtime with
 * evf_bringup() from the YAML config below (four net_ring vdevs: two network
 * ports, one of them in an underlay VLAN, and two access ports; four MAC-VRFs
 * with static VTEPs and MACs). The workers and the control thread are never
 * launched: every input is driven by hand on the calling thread, exactly like
 * one iteration of the worker loop followed by one of the control loop:
 *
 *   evf_dp_process(evf_workers[0], ingress, burst) + evf_dp_flush()
 *   -> drain and check what came out of every ring port
 *   -> evf_ctl_poll_once() (learning, aging, RCU reclaim)
 *   -> invariants: no mbuf leaked, counters consistent.
 *
 * Any violated invariant calls abort(), so libFuzzer records it as a crash.
 * FUZZ_PKT_TRACE=1 in the environment prints one line per input (drops by
 * reason, packets out per port), e.g. to check what a seed exercises.
 *
 * Input format (see make_seeds.py, which writes the seed corpus):
 *   byte 0  bits 0-1  ingress port: 0 uplink0 (network, untagged)
 *                                   1 uplink1 (network, underlay VLAN 100)
 *                                   2 host1 (access)   3 host2 (access)
 *           bits 2-3  RX IPv4 checksum offload flag on every mbuf:
 *                     0 unknown, 1 good, 2 bad, 3 none
 *           bit  4    mbuf pool pressure: all but (byte 2 & 15) mbufs of
 *                     the evfwd pool are taken before the burst
 *           bits 5-6  clock: 0 same learn hold-off window as the last input,
 *                     1 hold-off passed, 2 also age at now+2 s,
 *                     3 also age at now+100000 s. evf_ctl_poll_once() sets
 *                     evf_now_sec from the TSC, so instead of moving that
 *                     clock (entries stamped in the "future" would then wrap
 *                     in now - last_seen) the harness calls evf_fdb_age()
 *                     with a later "now"; the MAC-VRF with mac-aging 1 also
 *                     ages in real time.
 *           bit  7    first segment headroom = (byte 2 >> 4) * 8 bytes
 *   byte 1  bits 0-1  segments per frame - 1 (1..4; more if a frame does
 *                     not fit one mbuf)
 *           bits 2-3  split style: 0 even, 1 tiny leading segments,
 *                     2 offsets from the frame's own bytes, 3 tiny trailing
 *           bits 4-7  tiny segment size parameter
 *   byte 2  parameters (pool pressure leftover, headroom)
 *   then    up to 32 frames, each a 2-byte big-endian length (low 14 bits)
 *           followed by that many bytes (clipped to what is left)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_eal.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_udp.h>

#include "evf_bd.h"
#include "evf_bd_dp.h"
#include "evf_bd_ctl.h"
#include "evf_cfg.h"
#include "evf_chan.h"
#include "evf_ctl.h"
#include "evf_dp.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_rcu.h"
#include "evf_runtime.h"
#include "evf_stats.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)   do { (void)(p); (void)(n); } while (0)
#define UNPOISON(p, n) do { (void)(p); (void)(n); } while (0)
#endif

#define MAX_FRAMES     32
#define MAX_FRAME_LEN  10240
#define RX_POOL_SIZE   4095
#define RX_SEG_MAX     64
/* Bytes in front of a frame the data path may legitimately write when it
 * prepends headers in place (VXLAN over IPv6 with an underlay tag = 74,
 * access 802.1Q tag = 4). Headroom below that is poisoned for ASan. */
#define PREPEND_MAX    80
/* The data path pulls at most this many bytes into the first segment
 * (EVF_OUTER_PARSE_LEN, and the ARP/ND slow path's 256 after an access
 * frame's tags, up to 8 bytes, were popped in place); the first segment's
 * tailroom beyond is poisoned. */
#define PULLUP_MAX     (256 + 8)
/* The ARP/ND slow path writes its answer (an NA with its option: 86 bytes)
 * in place of the request, growing a shorter frame into its tailroom. */
#define ND_ANSWER_MAX  86

#define FAIL(...) do { \
	fprintf(stderr, "fuzz_pkt: invariant violated: " __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

static const char fuzz_cfg[] =
	"node:\n"
	"  name: fuzz\n"
	"  vtep-ipv4: 198.18.0.3\n"
	"  vtep-ipv6: 2001:2::3\n"
	"  mac: 02:00:00:00:00:03\n"
	"  fdb-capacity: 1024\n"
	"  mbufs: 4096\n"
	"ports:\n"
	"  - name: uplink0\n"
	"    device: net_ring0\n"
	"    role: network\n"
	"    next-hop-mac: 02:00:00:00:00:fe\n"
	"    mtu: 9000\n"
	"    rx-descriptors: 64\n"
	"    tx-descriptors: 64\n"
	"  - name: uplink1\n"
	"    device: net_ring1\n"
	"    role: network\n"
	"    next-hop-mac: 02:00:00:00:00:fd\n"
	"    vlan: 100\n"
	"    mtu: 1550\n"
	"    rx-descriptors: 64\n"
	"    tx-descriptors: 64\n"
	"  - name: host1\n"
	"    device: net_ring2\n"
	"    role: access\n"
	"    mtu: 9000\n"
	"    rx-descriptors: 64\n"
	"    tx-descriptors: 64\n"
	"  - name: host2\n"
	"    device: net_ring3\n"
	"    role: access\n"
	"    rx-descriptors: 64\n"
	"    tx-descriptors: 64\n"
	"mac-vrfs:\n"
	"  - name: blue\n"
	"    vni: 100\n"
	"    mac-limit: 4\n"
	"    attachments:\n"
	"      - port: host1\n"
	"        vlan: untagged\n"
	"      - port: host2\n"
	"        vlan: untagged\n"
	"    remote-vteps: [198.18.0.1, 2001:2::1]\n"
	"    remote-macs:\n"
	"      - mac: 00:c1:ab:00:01:01\n"
	"        vtep: 198.18.0.1\n"
	"      - mac: 00:c1:ab:00:01:02\n"
	"        vtep: 2001:2::1\n"
	"    irb:\n"
	"      mac: 00:00:5e:00:01:01\n"
	"      addresses: [10.0.0.254/24, fd00::fe/64]\n"
	"      unique-addresses: [10.0.0.253/24]\n"
	"    arp-nd: {binding-limit: 8, rate: 64, ip-duplication: {num-moves: 2}}\n"
	"  - name: red\n"
	"    vni: 200\n"
	"    allow-inner-vlan: true\n"
	"    attachments:\n"
	"      - port: host1\n"
	"        vlan: 10\n"
	"      - port: host2\n"
	"        vlan: 10\n"
	"    remote-vteps: [198.18.0.2]\n"
	"    remote-macs:\n"
	"      - mac: 00:c1:ab:00:02:01\n"
	"        vtep: 198.18.0.2\n"
	"    arp-nd: {proxy: true, unknown: drop}\n"
	"  - name: green\n"
	"    vni: 300\n"
	"    mac-aging: 1\n"
	"    attachments:\n"
	"      - port: host1\n"
	"        vlan: 20\n"
	"    remote-vteps: [2001:2::2, 198.18.0.2]\n"
	"  - name: gray\n"
	"    vni: 16777215\n"
	"    learning: false\n"
	"    attachments:\n"
	"      - port: host2\n"
	"        vlan: 40\n"
	"workers:\n"
	"  count: 1\n"
	"  burst: 32\n";

#define NB_STATIC_MACS 5   /* the remote-macs, and blue's gateway MAC and own MAC (irb) */

enum { P_UPLINK0, P_UPLINK1, P_HOST1, P_HOST2, NB_FUZZ_PORTS };
static const char *const port_names[NB_FUZZ_PORTS] = { "uplink0", "uplink1", "host1", "host2" };
static uint16_t port_ids[NB_FUZZ_PORTS];

static struct evf_worker *w;
static struct rte_mempool *rx_pool;     /* "NIC" buffers of the injected frames */
static unsigned int base_in_use;        /* evf_rt.pool */
static unsigned int base_rx_in_use;     /* rx_pool */
static uint64_t vtsc;                   /* the worker's TSC, advanced per input */
static struct rte_mbuf **held;          /* pool pressure */
static uint8_t flat[MAX_FRAME_LEN + 256];
static bool trace;                      /* FUZZ_PKT_TRACE=1: one line per input */

static void
die_init(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_pkt: initialisation failed: %s%s%s\n", what,
		detail ? ": " : "", detail ? detail : "");
	exit(1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *eal_argv[] = {
		"fuzz_pkt", "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
		"-l", "0-1", "-m", "512", "--log-level=*:error", NULL,
	};
	int eal_argc = (int)RTE_DIM(eal_argv) - 1;
	char err[EVF_CFG_ERR_LEN];
	struct evf_cfg *cfg;

	(void)argc;
	(void)argv;
	if (rte_eal_init(eal_argc, eal_argv) < 0)
		die_init("rte_eal_init", rte_strerror(rte_errno));
	cfg = evf_cfg_load_buffer("fuzz_cfg", fuzz_cfg, sizeof(fuzz_cfg) - 1, err, sizeof(err));
	if (cfg == NULL)
		die_init("config", err);
	if (evf_bringup(cfg, err, sizeof(err)) < 0)
		die_init("evf_bringup", err);
	evf_cfg_free(cfg);

	for (int i = 0; i < NB_FUZZ_PORTS; i++) {
		const struct evf_port *p = evf_port_by_name(port_names[i]);
		if (p == NULL)
			die_init("no port", port_names[i]);
		port_ids[i] = p->port_id;
	}
	if (evf_nb_workers != 1)
		die_init("expected exactly one worker", NULL);
	w = &evf_workers[0];

	/* This thread plays worker 0 (an RCU reader reporting a quiescent state
	 * after each burst) and the control thread (the writer). */
	if (rte_rcu_qsbr_thread_register(evf_rcu, w->index) != 0)
		die_init("rte_rcu_qsbr_thread_register", NULL);
	rte_rcu_qsbr_thread_online(evf_rcu, w->index);

	rx_pool = rte_pktmbuf_pool_create("fuzz_rx", RX_POOL_SIZE, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (rx_pool == NULL)
		die_init("rx pool", rte_strerror(rte_errno));
	held = calloc(evf_rt.pool->size, sizeof(*held));
	if (held == NULL)
		die_init("out of memory", NULL);

	trace = getenv("FUZZ_PKT_TRACE") != NULL;
	vtsc = rte_rdtsc();
	evf_ctl_poll_once();
	base_in_use = rte_mempool_in_use_count(evf_rt.pool);
	base_rx_in_use = rte_mempool_in_use_count(rx_pool);
	return 0;
}

/* ---------------------------------------------------------------- input */

struct input {
	uint8_t port;       /* index into port_ids */
	uint8_t cksum;
	bool pressure;
	uint8_t clock;
	bool headroom;
	uint8_t nsegs;
	uint8_t style;
	uint8_t tiny;
	uint8_t param;
};

static uint32_t
mix(uint32_t h, uint32_t v)
{
	h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h;
}

/* Segment lengths of a frame of len bytes; returns the number of segments. */
static unsigned int
split(const struct input *in, const uint8_t *f, uint32_t len, unsigned int frame_idx,
      uint32_t first_cap, uint32_t cap, uint32_t *seg)
{
	unsigned int k = in->nsegs, n = 0;
	uint32_t cuts[4], nc = 0, pos = 0;

	if (k > len)
		k = len;
	if (k <= 1)
		goto fit;
	switch (in->style) {
	case 0: /* even */
		for (unsigned int i = 1; i < k; i++)
			cuts[nc++] = (uint32_t)((uint64_t)len * i / k);
		break;
	case 1: /* tiny leading segments: 1..16 bytes each */
		for (unsigned int i = 0; i + 1 < k; i++) {
			pos += 1 + ((in->tiny + i * 5 + frame_idx) & 15);
			if (pos >= len)
				break;
			cuts[nc++] = pos;
		}
		break;
	case 2: { /* offsets from the frame's own bytes */
		uint32_t h = 0x12345u + frame_idx;
		for (uint32_t i = 0; i < len && i < 64; i++)
			h = mix(h, f[i]);
		for (unsigned int i = 1; i < k; i++) {
			h = mix(h, i);
			cuts[nc++] = 1 + h % (len - 1);
		}
		/* sort, drop duplicates */
		for (unsigned int i = 1; i < nc; i++)
			for (unsigned int j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
				uint32_t t = cuts[j];
				cuts[j] = cuts[j - 1];
				cuts[j - 1] = t;
			}
		{
			uint32_t m = 0;
			for (unsigned int i = 0; i < nc; i++)
				if (m == 0 || cuts[i] != cuts[m - 1])
					cuts[m++] = cuts[i];
			nc = m;
		}
		break;
	}
	default: { /* tiny trailing segments */
		uint32_t tail = 0;
		uint32_t sz[3];
		unsigned int ns = 0;
		for (unsigned int i = 0; i + 1 < k; i++) {
			uint32_t s = 1 + ((in->tiny + i * 3 + frame_idx) & 15);
			if (tail + s >= len)
				break;
			sz[ns++] = s;
			tail += s;
		}
		pos = len - tail;
		for (unsigned int i = 0; i < ns; i++) {
			cuts[nc++] = pos;
			pos += sz[i];
		}
		break;
	}
	}
fit:
	/* Emit the pieces, splitting any that does not fit its mbuf. */
	pos = 0;
	for (unsigned int i = 0; i <= nc; i++) {
		uint32_t end = i < nc ? cuts[i] : len;
		while (pos < end) {
			uint32_t c = n == 0 ? first_cap : cap;
			uint32_t take = RTE_MIN(end - pos, c);
			if (n == RX_SEG_MAX)
				return 0;
			seg[n++] = take;
			pos += take;
		}
	}
	return n;
}

static void
rx_mbuf_reset(struct rte_mbuf *m)
{
	/* A buffer may come back poisoned from an earlier input. */
	UNPOISON(m->buf_addr, m->buf_len);
}

static void
free_chain(struct rte_mbuf *m)
{
	rte_pktmbuf_free(m);
}

/* Build one received frame as an mbuf chain from rx_pool. */
static struct rte_mbuf *
make_frame(const struct input *in, const uint8_t *f, uint32_t len, unsigned int idx)
{
	uint32_t seg[RX_SEG_MAX];
	uint16_t first_off = RTE_PKTMBUF_HEADROOM;
	struct rte_mbuf *head = NULL, *tail = NULL;
	uint32_t cap, first_cap, off = 0;
	unsigned int n;

	if (in->headroom)
		first_off = (uint16_t)((in->param >> 4) * 8);
	cap = RTE_MBUF_DEFAULT_BUF_SIZE - RTE_PKTMBUF_HEADROOM;
	first_cap = RTE_MBUF_DEFAULT_BUF_SIZE - first_off;
	n = split(in, f, len, idx, first_cap, cap, seg);
	if (n == 0)
		return NULL;
	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(rx_pool);

		if (m == NULL)
			FAIL("fuzz rx pool exhausted (%u in use)", rte_mempool_in_use_count(rx_pool));
		rx_mbuf_reset(m);
		if (i == 0)
			m->data_off = first_off;
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), f + off, seg[i]);
		m->data_len = (uint16_t)seg[i];
		off += seg[i];
		if (head == NULL) {
			head = m;
		} else {
			tail->next = m;
			head->nb_segs++;
		}
		tail = m;
	}
	head->pkt_len = len;
	head->port = 0;
	switch (in->cksum) {
	case 1: head->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD; break;
	case 2: head->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_BAD; break;
	case 3: head->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_NONE; break;
	default: head->ol_flags = 0; break;
	}

	/* Poison what the data path has no business touching: headroom below
	 * what an in-place prepend may use, and tailroom the pull-up or an
	 * ARP/ND answer never fills (any tailroom of later segments). */
	for (struct rte_mbuf *m = head; m != NULL; m = m->next) {
		uint8_t *buf = m->buf_addr;
		uint32_t end;

		if (m == head) {
			if (m->data_off > PREPEND_MAX)
				POISON(buf, m->data_off - PREPEND_MAX);
			end = m->data_off + RTE_MAX(head->nb_segs > 1 ?
				RTE_MAX((uint32_t)m->data_len, (uint32_t)PULLUP_MAX) : m->data_len,
				(uint32_t)ND_ANSWER_MAX);
		} else {
			POISON(buf, m->data_off);
			end = m->data_off + m->data_len;
		}
		if (end < m->buf_len)
			POISON(buf + end, m->buf_len - end);
	}
	return head;
}

static void
parse_input(const uint8_t *data, struct input *in)
{
	in->port = data[0] & 3;
	in->cksum = (data[0] >> 2) & 3;
	in->pressure = (data[0] >> 4) & 1;
	in->clock = (data[0] >> 5) & 3;
	in->headroom = (data[0] >> 7) & 1;
	in->nsegs = (uint8_t)(1 + (data[1] & 3));
	in->style = (data[1] >> 2) & 3;
	in->tiny = data[1] >> 4;
	in->param = data[2];
}

/* --------------------------------------------------------- output checks */

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t
sum16(const uint8_t *p, uint32_t len, uint32_t sum)
{
	for (uint32_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static bool
valid_unicast(const uint8_t *mac)
{
	static const uint8_t zero[6];

	return !(mac[0] & 1) && memcmp(mac, zero, 6) != 0;
}

/* A VXLAN packet evfwd sent on network port pid. */
static void
check_vxlan_out(uint16_t pid, const uint8_t *p, uint32_t len)
{
	const struct evf_port *port = &evf_ports[pid];
	uint32_t off = RTE_ETHER_HDR_LEN, l4, ulen;
	uint16_t et;
	struct evf_ip dst;
	uint32_t vni;
	uint16_t b;

	memset(&dst, 0, sizeof(dst));
	if (len < RTE_ETHER_HDR_LEN + 4)
		FAIL("port %s: %u-byte frame", port->name, len);
	if (memcmp(p, port->next_hop.addr_bytes, 6) != 0 ||
	    memcmp(p + 6, evf_node.mac.addr_bytes, 6) != 0)
		FAIL("port %s: outer MACs are not next-hop/node MAC", port->name);
	et = (uint16_t)(p[12] << 8 | p[13]);
	if (port->underlay_vlan) {
		if (et != RTE_ETHER_TYPE_VLAN ||
		    ((p[14] << 8 | p[15]) & 0xfff) != port->underlay_vlan)
			FAIL("port %s: missing underlay VLAN %u", port->name, port->underlay_vlan);
		et = (uint16_t)(p[16] << 8 | p[17]);
		off += 4;
	} else if (et == RTE_ETHER_TYPE_VLAN) {
		FAIL("port %s: tagged outer frame on an untagged uplink", port->name);
	}
	if (et == RTE_ETHER_TYPE_IPV4) {
		const uint8_t *ip = p + off;
		uint32_t tot;

		if (len < off + 20 + 8 + 8)
			FAIL("port %s: short VXLAN/IPv4 packet (%u)", port->name, len);
		if (ip[0] != 0x45)
			FAIL("port %s: IPv4 version/IHL %#x", port->name, ip[0]);
		tot = (uint32_t)(ip[2] << 8 | ip[3]);
		if (tot != len - off)
			FAIL("port %s: IPv4 total length %u, packet has %u", port->name, tot, len - off);
		if (tot > port->mtu)
			FAIL("port %s: IPv4 packet of %u above MTU %u", port->name, tot, port->mtu);
		if (fold(sum16(ip, 20, 0)) != 0xffff)
			FAIL("port %s: bad outer IPv4 header checksum", port->name);
		if (ip[9] != IPPROTO_UDP || ip[8] != evf_node.ttl)
			FAIL("port %s: IPv4 protocol %u / TTL %u", port->name, ip[9], ip[8]);
		if (memcmp(ip + 12, &evf_node.ipv4.v4, 4) != 0)
			FAIL("port %s: IPv4 source is not our VTEP", port->name);
		dst.family = AF_INET;
		memcpy(&dst.v4, ip + 16, 4);
		l4 = off + 20;
	} else if (et == RTE_ETHER_TYPE_IPV6) {
		const uint8_t *ip6 = p + off;
		uint32_t plen, sum;

		if (len < off + 40 + 8 + 8)
			FAIL("port %s: short VXLAN/IPv6 packet (%u)", port->name, len);
		if ((ip6[0] >> 4) != 6 || ip6[6] != IPPROTO_UDP || ip6[7] != evf_node.ttl)
			FAIL("port %s: bad IPv6 header", port->name);
		plen = (uint32_t)(ip6[4] << 8 | ip6[5]);
		if (plen != len - off - 40)
			FAIL("port %s: IPv6 payload length %u, packet has %u", port->name, plen,
			     len - off - 40);
		if (plen + 40 > port->mtu)
			FAIL("port %s: IPv6 packet of %u above MTU %u", port->name, plen + 40, port->mtu);
		if (memcmp(ip6 + 8, evf_node.ipv6.v6, 16) != 0)
			FAIL("port %s: IPv6 source is not our VTEP", port->name);
		dst.family = AF_INET6;
		memcpy(dst.v6, ip6 + 24, 16);
		l4 = off + 40;
		/* UDP checksum (udp6-zero-checksum is false): pseudo header + datagram. */
		sum = sum16(ip6 + 8, 32, 0);
		sum += plen + IPPROTO_UDP;
		sum = sum16(p + l4, plen, sum);
		if (p[l4 + 6] == 0 && p[l4 + 7] == 0)
			FAIL("port %s: zero UDP checksum over IPv6", port->name);
		if (fold(sum) != 0xffff)
			FAIL("port %s: bad UDP checksum over IPv6", port->name);
	} else {
		FAIL("port %s: outer EtherType %#x", port->name, et);
	}
	if (evf_vtep_find(&dst) < 0)
		FAIL("port %s: VXLAN packet to an unknown VTEP", port->name);
	ulen = (uint32_t)(p[l4 + 4] << 8 | p[l4 + 5]);
	if (ulen != len - l4)
		FAIL("port %s: UDP length %u, datagram has %u", port->name, ulen, len - l4);
	if ((p[l4 + 2] << 8 | p[l4 + 3]) != evf_node.udp_port || p[l4] < 0xc0)
		FAIL("port %s: UDP ports %u -> %u", port->name, p[l4] << 8 | p[l4 + 1],
		     p[l4 + 2] << 8 | p[l4 + 3]);
	if (p[l4 + 8] != 0x08)
		FAIL("port %s: VXLAN flags %#x", port->name, p[l4 + 8]);
	vni = (uint32_t)(p[l4 + 12] << 16 | p[l4 + 13] << 8 | p[l4 + 14]);
	b = evf_bd_lookup_vni(vni);
	if (b == EVF_INVALID_ID)
		FAIL("port %s: VXLAN packet with VNI %u of no MAC-VRF", port->name, vni);
	/* inner frame */
	{
		const uint8_t *inner = p + l4 + 16;
		uint32_t ilen = len - l4 - 16;

		if (ilen < RTE_ETHER_HDR_LEN)
			FAIL("port %s: inner frame of %u bytes", port->name, ilen);
		if (!valid_unicast(inner + 6))
			FAIL("port %s: inner source MAC not unicast", port->name);
		if (inner[12] == 0x81 && inner[13] == 0x00 && !evf_bds[b].allow_inner_vlan)
			FAIL("port %s: inner 802.1Q tag in MAC-VRF %s", port->name, evf_bds[b].name);
	}
}

/* A frame evfwd sent on access port pid. */
static void
check_access_out(uint16_t pid, const uint8_t *p, uint32_t len)
{
	const struct evf_port *port = &evf_ports[pid];

	if (len < RTE_ETHER_HDR_LEN)
		FAIL("port %s: %u-byte frame", port->name, len);
	if (len > (uint32_t)port->mtu + RTE_ETHER_HDR_LEN + 4)
		FAIL("port %s: %u-byte frame above MTU %u", port->name, len, port->mtu);
	if (!valid_unicast(p + 6))
		FAIL("port %s: source MAC not unicast", port->name);
	if (p[0] == 0x01 && p[1] == 0x80 && p[2] == 0xc2 && p[3] == 0 && p[4] == 0 &&
	    (p[5] & 0xf0) == 0)
		FAIL("port %s: link-local destination bridged", port->name);
}

struct out_count {
	uint64_t pkts[EVF_MAX_PORTS];
	uint64_t bytes[EVF_MAX_PORTS];
};

static void
drain_outputs(struct out_count *oc)
{
	struct rte_mbuf *pkts[64];

	for (int i = 0; i < NB_FUZZ_PORTS; i++) {
		uint16_t pid = port_ids[i];
		uint16_t n;

		while ((n = rte_eth_rx_burst(pid, 0, pkts, RTE_DIM(pkts))) > 0) {
			for (uint16_t j = 0; j < n; j++) {
				struct rte_mbuf *m = pkts[j];
				const char *reason = NULL;
				const uint8_t *p;

				if (rte_mbuf_check(m, 1, &reason) != 0)
					FAIL("port %s: malformed mbuf: %s", evf_ports[pid].name, reason);
				if (m->pkt_len > sizeof(flat))
					FAIL("port %s: %u-byte packet", evf_ports[pid].name, m->pkt_len);
				p = rte_pktmbuf_read(m, 0, m->pkt_len, flat);
				if (p == NULL)
					FAIL("port %s: unreadable packet", evf_ports[pid].name);
				if (evf_ports[pid].role == EVF_ROLE_NETWORK)
					check_vxlan_out(pid, p, m->pkt_len);
				else
					check_access_out(pid, p, m->pkt_len);
				oc->pkts[pid]++;
				oc->bytes[pid] += m->pkt_len;
				free_chain(m);
			}
		}
	}
}

/* ------------------------------------------------------------ invariants */

static void
check_counters(const struct evf_stats_sum *a, const struct evf_stats_sum *b, uint16_t in_pid,
	       uint32_t nframes, uint64_t nbytes, const struct out_count *oc)
{
	uint64_t d[EVF_DROP_MAX], dsum = 0, pkt_drops = 0, tx = 0;
	uint64_t copies = b->flood_copies - a->flood_copies;

	for (int r = 0; r < EVF_DROP_MAX; r++) {
		d[r] = b->drops[r] - a->drops[r];
		if (r != EVF_DROP_TX_FULL)
			dsum += d[r];
		if (r != EVF_DROP_TX_FULL && r != EVF_DROP_NO_MBUF)
			pkt_drops += d[r];
	}
	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		const struct evf_port_counters *x = &a->port[pid], *y = &b->port[pid];
		uint64_t rx = y->rx_pkts - x->rx_pkts, rxb = y->rx_bytes - x->rx_bytes;
		uint64_t txp = y->tx_pkts - x->tx_pkts, txb = y->tx_bytes - x->tx_bytes;
		uint64_t dr = y->drops - x->drops;

		if (pid == in_pid) {
			if (rx != nframes || rxb != nbytes)
				FAIL("port %u: rx %lu pkts %lu bytes, given %u frames %lu bytes",
				     pid, rx, rxb, nframes, nbytes);
			if (dr != dsum)
				FAIL("port %u: %lu drops counted on the port, %lu by reason",
				     pid, dr, dsum);
		} else if (rx != 0 || dr != 0) {
			FAIL("port %u: rx %lu drops %lu on a port that received nothing",
			     pid, rx, dr);
		}
		if (txp != oc->pkts[pid] || txb != oc->bytes[pid])
			FAIL("port %u: tx counted %lu pkts %lu bytes, %lu pkts %lu bytes came out",
			     pid, txp, txb, oc->pkts[pid], oc->bytes[pid]);
		tx += txp;
	}
	/* Every received frame and every flood copy ends either dropped (one
	 * reason) or transmitted (sent or dropped as tx-full at flush). */
	if ((uint64_t)nframes + copies != pkt_drops + tx + d[EVF_DROP_TX_FULL])
		FAIL("%u frames + %lu copies != %lu drops + %lu sent + %lu tx-full",
		     nframes, copies, pkt_drops, tx, d[EVF_DROP_TX_FULL]);
	if (evf_ports[in_pid].role == EVF_ROLE_NETWORK)
		for (int i = 0; i < NB_FUZZ_PORTS; i++)
			if (evf_ports[port_ids[i]].role == EVF_ROLE_NETWORK && oc->pkts[port_ids[i]])
				FAIL("frame from the network sent back to network port %s",
				     evf_ports[port_ids[i]].name);
	if ((b->learn_events - a->learn_events) + (b->learn_ring_full - a->learn_ring_full) > nframes)
		FAIL("more learn events than frames");
}

static void
check_fdb(void)
{
	uint64_t local = 0;
	uint32_t count = evf_fdb_count();

	for (uint16_t b = 0; b < evf_nb_bds; b++) {
		uint32_t n = evf_bd_local_macs(b);

		if (evf_bds[b].mac_limit && n > evf_bds[b].mac_limit)
			FAIL("MAC-VRF %s: %u learned MACs above mac-limit %u", evf_bds[b].name, n,
			     evf_bds[b].mac_limit);
		if (!evf_bds[b].learning && n != 0)
			FAIL("MAC-VRF %s: %u learned MACs with learning off", evf_bds[b].name, n);
		local += n;
	}
	if (count > evf_fdb.capacity)
		FAIL("FDB holds %u entries, capacity %u", count, evf_fdb.capacity);
	if (count < local + NB_STATIC_MACS || count > local + NB_STATIC_MACS + evf_rcu_pending())
		FAIL("FDB holds %u keys but %lu learned + %u static (%u removals pending)",
		     count, local, NB_STATIC_MACS, evf_rcu_pending());
	if (!evf_chan_learn_empty())
		FAIL("learn ring not drained by evf_ctl_poll_once");
}

static void
trace_input(const struct evf_stats_sum *a, const struct evf_stats_sum *b, uint16_t in_pid,
	    uint32_t nframes, const struct out_count *oc)
{
	fprintf(stderr, "fuzz_pkt: %s rx %u:", evf_ports[in_pid].name, nframes);
	for (int r = 0; r < EVF_DROP_MAX; r++)
		if (b->drops[r] != a->drops[r])
			fprintf(stderr, " %s=%lu", evf_drop_name((enum evf_drop_reason)r),
				b->drops[r] - a->drops[r]);
	for (int i = 0; i < NB_FUZZ_PORTS; i++)
		if (oc->pkts[port_ids[i]])
			fprintf(stderr, " tx:%s=%lu", port_names[i], oc->pkts[port_ids[i]]);
	if (b->flood_copies != a->flood_copies)
		fprintf(stderr, " copies=%lu", b->flood_copies - a->flood_copies);
	if (b->learn_events != a->learn_events)
		fprintf(stderr, " learn=%lu", b->learn_events - a->learn_events);
	fprintf(stderr, " fdb=%u\n", evf_fdb_count());
}

/* ----------------------------------------------------------- pool pressure */

static unsigned int
pressure_take(unsigned int leave)
{
	unsigned int n = 0;

	for (;;) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(evf_rt.pool);
		if (m == NULL)
			break;
		held[n++] = m;
	}
	while (leave-- > 0 && n > 0)
		rte_pktmbuf_free(held[--n]);
	return n;
}

static void
pressure_release(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(held[i]);
}

/* ------------------------------------------------------------------- main */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *pkts[MAX_FRAMES];
	struct evf_stats_sum before, after;
	struct out_count oc;
	struct input in;
	uint32_t nframes = 0;
	uint64_t nbytes = 0;
	unsigned int nheld = 0;
	size_t off = 3;
	uint16_t in_pid;

	if (size < 3)
		return 0;
	parse_input(data, &in);
	in_pid = port_ids[in.port];

	while (nframes < MAX_FRAMES && off + 2 <= size) {
		uint32_t len = (uint32_t)((data[off] << 8 | data[off + 1]) & 0x3fff);
		struct rte_mbuf *m;

		off += 2;
		len = RTE_MIN(len, (uint32_t)(size - off));
		len = RTE_MIN(len, (uint32_t)MAX_FRAME_LEN);
		if (len == 0)
			continue;
		m = make_frame(&in, data + off, len, nframes);
		off += len;
		if (m == NULL)
			continue;
		pkts[nframes++] = m;
		nbytes += len;
	}

	memset(&oc, 0, sizeof(oc));
	evf_stats_read(&before, false);

	/* One iteration of the worker loop. */
	switch (in.clock) {
	case 0:
		vtsc += 1;
		break;
	default:
		vtsc += w->learn_holdoff_tsc + 1;
		break;
	}
	w->tsc = vtsc;
	w->now = evf_clock_sec();
	if (in.pressure)
		nheld = pressure_take(in.param & 15);
	if (nframes)
		evf_dp_process(w, in_pid, pkts, (uint16_t)nframes);
	evf_dp_flush(w);
	rte_rcu_qsbr_quiescent(evf_rcu, w->index);
	drain_outputs(&oc);
	pressure_release(nheld);

	evf_stats_read(&after, false);
	check_counters(&before, &after, in_pid, nframes, nbytes, &oc);

	/* One iteration of the control loop, plus aging in the future. */
	evf_ctl_poll_once();
	if (in.clock == 2)
		evf_fdb_age(evf_clock_sec() + 2, evf_fdb.capacity);
	else if (in.clock == 3)
		evf_fdb_age(evf_clock_sec() + 100000, evf_fdb.capacity);
	if (trace)
		trace_input(&before, &after, in_pid, nframes, &oc);
	check_fdb();

	if (rte_mempool_in_use_count(evf_rt.pool) != base_in_use)
		FAIL("mbuf leak: %u mbufs of the evfwd pool in use after the input, %u before",
		     rte_mempool_in_use_count(evf_rt.pool), base_in_use);
	if (rte_mempool_in_use_count(rx_pool) != base_rx_in_use)
		FAIL("mbuf leak: %u received mbufs still in use after the input, %u before",
		     rte_mempool_in_use_count(rx_pool), base_rx_in_use);
	return 0;
}
