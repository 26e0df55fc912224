/* evf_test_env.c: shared fixture of the CUnit data-path tests (see evf_test_env.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_fdb.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_runtime.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"
#include "evf_test_env.h"

#define POISON 0xa5

static struct evf_cfg *cur_cfg;
static bool up;
static struct rte_mempool *own_pool;
static char msg[512];

#define FAIL(...) do { snprintf(msg, sizeof(msg), __VA_ARGS__); return msg; } while (0)

/* ---- EAL and CUnit ---- */

void
evft_eal_init(const char *prog)
{
	static bool done;
	char lcores[64];
	cpu_set_t set;
	int cpu = 0;

	if (done)
		return;
	/* Two lcores (main + one worker lcore for evf_bringup's pick_lcores) on
	 * the first CPU we may run on: works on a one-CPU machine or cpuset. */
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		for (int c = 0; c < CPU_SETSIZE; c++) {
			if (CPU_ISSET(c, &set)) {
				cpu = c;
				break;
			}
		}
	}
	snprintf(lcores, sizeof(lcores), "--lcores=0@%d,1@%d", cpu, cpu);
	char *argv[] = {
		(char *)prog, (char *)"--no-huge", (char *)"--no-shconf", (char *)"--no-pci",
		(char *)"--no-telemetry", lcores, (char *)"--log-level=lib.eal:error",
		(char *)"--log-level=pmd.net.ring:error",
		/* net_ring does not free its rings on close: the next bring-up's
		 * probe fails to create them ("RING: Cannot reserve memory") and
		 * attaches to the existing ones, which is what we want. */
		(char *)"--log-level=lib.ring:critical", (char *)"-m", (char *)"512", NULL,
	};
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		exit(2);
	}
	done = true;
}

int
evft_run(const char *name, const struct evft_case *cases, size_t n, CU_InitializeFunc init,
	 CU_CleanupFunc clean)
{
	unsigned int failures;
	CU_pSuite suite;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite = CU_add_suite(name, init, clean);
	if (suite == NULL)
		goto error;
	for (size_t i = 0; i < n; i++)
		if (CU_add_test(suite, cases[i].name, cases[i].fn) == NULL)
			goto error;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		goto error;
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
		CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failures != 0;
error:
	fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	return 2;
}

/* ---- runtime ---- */

int
evft_up(const char *yaml)
{
	char err[EVF_CFG_ERR_LEN] = "";

	if (up)
		evft_down();
	cur_cfg = evf_cfg_load_buffer("test.yaml", yaml, strlen(yaml), err, sizeof(err));
	if (cur_cfg == NULL) {
		fprintf(stderr, "\n  config: %s\n", err);
		return -1;
	}
	if (evf_bringup(cur_cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "\n  bring-up: %s\n", err);
		evf_bringup_teardown();
		evf_cfg_free(cur_cfg);
		cur_cfg = NULL;
		return -1;
	}
	up = true;
	return 0;
}

void
evft_down(void)
{
	if (!up)
		return;
	evft_drain_all();
	evf_bringup_stop();
	evf_bringup_teardown();
	evf_cfg_free(cur_cfg);
	cur_cfg = NULL;
	up = false;
}

bool
evft_is_up(void)
{
	return up;
}

uint16_t
evft_port(const char *name)
{
	struct evf_port *p = evf_port_by_name(name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return p->port_id;
}

uint16_t
evft_bd(const char *name)
{
	struct evf_bd *bd = evf_bd_by_name(name);

	return bd == NULL ? EVF_INVALID_ID : bd->id;
}

uint16_t
evft_attach(const char *port, uint16_t vlan)
{
	struct evf_iface *ifc = evf_iface_by_name(port);

	if (ifc == NULL || vlan > 4095)
		return EVF_INVALID_ID;
	return ifc->vlan_to_attach[vlan];
}

int
evft_vtep(const char *ip)
{
	struct evf_ip a = evft_ip(ip);

	return evf_vtep_find(&a);
}

struct evf_worker *
evft_worker(void)
{
	struct evf_worker *w = &evf_workers[0];

	w->tsc = rte_rdtsc();
	w->now = evf_clock_sec();
	return w;
}

/* ---- mbufs ---- */

struct rte_mempool *
evft_pool(void)
{
	if (up && evf_rt.pool != NULL)
		return evf_rt.pool;
	if (own_pool == NULL) {
		own_pool = rte_pktmbuf_pool_create("evft_pool", 8191, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
		if (own_pool == NULL) {
			fprintf(stderr, "cannot create the test mbuf pool: %s\n",
				rte_strerror(rte_errno));
			abort();
		}
	}
	return own_pool;
}

unsigned int
evft_in_use(void)
{
	return rte_mempool_in_use_count(evft_pool());
}

static struct rte_mbuf *
seg_alloc(const uint8_t *data, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(evft_pool());
	uint8_t *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	memset(m->buf_addr, POISON, m->buf_len);
	CU_ASSERT_FATAL(len <= rte_pktmbuf_tailroom(m));
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	CU_ASSERT_FATAL(len == 0 || p != NULL);
	if (len)
		memcpy(p, data, len);
	return m;
}

struct rte_mbuf *
evft_mbuf(const void *data, uint32_t len)
{
	return seg_alloc(data, len);
}

struct rte_mbuf *
evft_mbuf_chain(const void *data, uint32_t len, const uint32_t *cuts, unsigned int ncuts)
{
	const uint8_t *d = data;
	struct rte_mbuf *head = NULL;
	uint32_t start = 0;

	for (unsigned int i = 0; i <= ncuts; i++) {
		uint32_t end = i < ncuts ? cuts[i] : len;
		struct rte_mbuf *s;

		CU_ASSERT_FATAL(end >= start && end <= len);
		s = seg_alloc(d + start, end - start);
		if (head == NULL)
			head = s;
		else
			CU_ASSERT_FATAL(rte_pktmbuf_chain(head, s) == 0);
		start = end;
	}
	return head;
}

const char *
evft_linearize(const struct rte_mbuf *m, uint8_t *out, uint32_t max, uint32_t *len)
{
	uint32_t off = 0, segs = 0;

	for (const struct rte_mbuf *s = m; s != NULL; s = s->next) {
		if (off + s->data_len > max)
			FAIL("packet longer than %u bytes", max);
		memcpy(out + off, rte_pktmbuf_mtod(s, const uint8_t *), s->data_len);
		off += s->data_len;
		segs++;
	}
	if (segs != m->nb_segs)
		FAIL("nb_segs %u but %u segments chained", m->nb_segs, segs);
	if (off != m->pkt_len)
		FAIL("pkt_len %u but segments hold %u bytes", m->pkt_len, off);
	*len = off;
	return NULL;
}

/* ---- ports ---- */

unsigned int
evft_capture(uint16_t port, struct rte_mbuf **out, unsigned int max)
{
	unsigned int n = 0;

	while (n < max) {
		uint16_t got = rte_eth_rx_burst(port, 0, out + n,
			(uint16_t)RTE_MIN(max - n, 64u));
		if (got == 0)
			break;
		n += got;
	}
	return n;
}

unsigned int
evft_drain_all(void)
{
	struct rte_mbuf *pk[64];
	unsigned int total = 0;

	for (uint16_t pid = 0; pid < RTE_MAX_ETHPORTS; pid++) {
		unsigned int n;

		if (!evf_ports[pid].configured)
			continue;
		while ((n = rte_eth_rx_burst(pid, 0, pk, RTE_DIM(pk))) > 0) {
			rte_pktmbuf_free_bulk(pk, n);
			total += n;
		}
	}
	return total;
}

void
evft_free(struct rte_mbuf **m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		rte_pktmbuf_free(m[i]);
		m[i] = NULL;
	}
}

/* ---- packet builder ---- */

struct rte_ether_addr
evft_mac(const char *s)
{
	struct rte_ether_addr a;

	if (evf_mac_parse(s, &a) != 0) {
		fprintf(stderr, "test bug: bad MAC '%s'\n", s);
		abort();
	}
	return a;
}

struct evf_ip
evft_ip(const char *s)
{
	struct evf_ip a;

	memset(&a, 0, sizeof(a));
	if (evf_ip_parse(s, &a) != 0) {
		fprintf(stderr, "test bug: bad IP '%s'\n", s);
		abort();
	}
	return a;
}

uint32_t
evft_sum(const void *data, uint32_t len, uint32_t acc)
{
	const uint8_t *p = data;
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < len)
		acc += (uint32_t)p[i] << 8;
	return acc;
}

uint16_t
evft_fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static inline void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

static uint32_t
put_eth(uint8_t *buf, const char *dst, const char *src, int vlan, uint16_t type)
{
	struct rte_ether_addr d = evft_mac(dst), s = evft_mac(src);
	uint32_t off = 12;

	memcpy(buf, d.addr_bytes, 6);
	memcpy(buf + 6, s.addr_bytes, 6);
	if (vlan >= 0) {
		wr16(buf + 12, RTE_ETHER_TYPE_VLAN);
		wr16(buf + 14, (uint16_t)vlan);
		off = 16;
	}
	wr16(buf + off, type);
	return off + 2;
}

static void
pattern(uint8_t *p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7 + (i >> 8));
}

uint32_t
evft_frame_raw(uint8_t *buf, const char *dst, const char *src, int vlan, uint16_t type,
	       uint32_t payload, uint8_t seed)
{
	uint32_t off = put_eth(buf, dst, src, vlan, type);

	pattern(buf + off, payload, seed);
	return off + payload;
}

uint32_t
evft_frame(uint8_t *buf, const char *dst, const char *src, int vlan, const char *sip,
	   const char *dip, uint16_t sport, uint16_t dport, uint32_t payload, uint8_t seed)
{
	uint32_t off = put_eth(buf, dst, src, vlan, RTE_ETHER_TYPE_IPV4);
	struct evf_ip s = evft_ip(sip), d = evft_ip(dip);
	uint8_t *ip = buf + off;
	uint8_t *udp = ip + 20;

	memset(ip, 0, 28);
	ip[0] = 0x45;
	wr16(ip + 2, (uint16_t)(28 + payload));
	wr16(ip + 4, 1);
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &s.v4, 4);
	memcpy(ip + 16, &d.v4, 4);
	evft_ipv4_fix(ip);
	wr16(udp, sport);
	wr16(udp + 2, dport);
	wr16(udp + 4, (uint16_t)(8 + payload));
	pattern(udp + 8, payload, seed);
	return off + 28 + payload;
}

void
evft_ipv4_fix(uint8_t *ip)
{
	uint32_t ihl = (ip[0] & 0xf) * 4u;

	ip[10] = ip[11] = 0;
	wr16(ip + 10, (uint16_t)~evft_fold(evft_sum(ip, ihl, 0)));
}

void
evft_outer_init(struct evft_outer *o, const char *dst_mac, const char *src_mac, const char *sip,
		const char *dip)
{
	memset(o, 0, sizeof(*o));
	o->dst = evft_mac(dst_mac);
	o->src = evft_mac(src_mac);
	o->vlan = -1;
	o->sip = evft_ip(sip);
	o->dip = evft_ip(dip);
	o->ttl = 64;
	o->df = true;
	o->sport = 50000;
	o->dport = 4789;
	o->udp_cksum = true;
	o->vx_word0 = 0x08000000;
}

static uint32_t
pseudo6(const uint8_t *src, const uint8_t *dst, uint32_t len, uint8_t nh)
{
	uint8_t ph[40];

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	wr32(ph + 32, len);
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = nh;
	return evft_sum(ph, sizeof(ph), 0);
}

uint32_t
evft_vxlan(uint8_t *buf, const struct evft_outer *o, const uint8_t *inner, uint32_t inner_len,
	   struct evft_layout *lay)
{
	bool v4 = o->sip.family == AF_INET;
	uint32_t off = 12, l3, l4, ext = 0;
	uint8_t *udp;

	memcpy(buf, o->dst.addr_bytes, 6);
	memcpy(buf + 6, o->src.addr_bytes, 6);
	if (o->vlan >= 0) {
		wr16(buf + 12, RTE_ETHER_TYPE_VLAN);
		wr16(buf + 14, (uint16_t)o->vlan);
		off = 16;
	}
	wr16(buf + off, v4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
	l3 = off + 2;
	if (v4) {
		uint8_t *ip = buf + l3;

		memset(ip, 0, 20);
		ip[0] = 0x45;
		wr16(ip + 2, (uint16_t)(20 + 16 + inner_len));
		wr16(ip + 4, o->ip_id);
		wr16(ip + 6, o->df ? 0x4000 : 0);
		ip[8] = o->ttl;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, &o->sip.v4, 4);
		memcpy(ip + 16, &o->dip.v4, 4);
		evft_ipv4_fix(ip);
		l4 = l3 + 20;
	} else {
		uint8_t *ip6 = buf + l3;
		uint8_t *e = ip6 + 40;

		for (unsigned int i = 0; i < o->nb_ext; i++)
			ext += o->ext_len[i];
		memset(ip6, 0, 40 + ext);
		wr32(ip6, 0x60000000);
		wr16(ip6 + 4, (uint16_t)(ext + 16 + inner_len));
		ip6[6] = o->nb_ext ? o->ext_type[0] : IPPROTO_UDP;
		ip6[7] = o->ttl;
		memcpy(ip6 + 8, o->sip.v6, 16);
		memcpy(ip6 + 24, o->dip.v6, 16);
		for (unsigned int i = 0; i < o->nb_ext; i++) {
			e[0] = i + 1 < o->nb_ext ? o->ext_type[i + 1] : IPPROTO_UDP;
			e[1] = o->ext_type[i] == IPPROTO_FRAGMENT ? 0 : (uint8_t)(o->ext_len[i] / 8 - 1);
			e += o->ext_len[i];
		}
		l4 = l3 + 40 + ext;
	}
	udp = buf + l4;
	wr16(udp, o->sport);
	wr16(udp + 2, o->dport);
	wr16(udp + 4, (uint16_t)(16 + inner_len));
	wr16(udp + 6, 0);
	wr32(udp + 8, o->vx_word0);
	wr32(udp + 12, o->vni << 8);
	memcpy(udp + 16, inner, inner_len);
	if (!v4 && o->udp_cksum) {
		uint32_t s = pseudo6(o->sip.v6, o->dip.v6, 16 + inner_len, IPPROTO_UDP);
		uint16_t c = (uint16_t)~evft_fold(evft_sum(udp, 16 + inner_len, s));

		wr16(udp + 6, c == 0 ? 0xffff : c);
	}
	if (lay != NULL) {
		lay->l3 = l3;
		lay->l4 = l4;
		lay->vx = l4 + 8;
		lay->inner = l4 + 16;
		lay->len = l4 + 16 + inner_len;
	}
	return l4 + 16 + inner_len;
}

static const char *
mac_diff(const char *what, const uint8_t *got, const struct rte_ether_addr *want)
{
	char a[EVF_MAC_STRLEN], b[EVF_MAC_STRLEN];
	struct rte_ether_addr g;

	if (memcmp(got, want->addr_bytes, 6) == 0)
		return NULL;
	memcpy(g.addr_bytes, got, 6);
	FAIL("%s %s, expected %s", what, evf_mac_fmt(&g, a, sizeof(a)),
	     evf_mac_fmt(want, b, sizeof(b)));
}

#define FIELD(what, got, want) do {                                           \
		uint32_t g_ = (got), w_ = (want);                              \
		if (g_ != w_)                                                  \
			FAIL("%s 0x%x, expected 0x%x", what, g_, w_);          \
	} while (0)

const char *
evft_check_vxlan(const uint8_t *p, uint32_t len, const struct evft_expect *e)
{
	bool v4 = e->dip.family == AF_INET;
	uint32_t l2 = e->vlan >= 0 ? 18 : 14;
	uint32_t l3 = l2, l4 = l3 + (v4 ? 20 : 40), vx = l4 + 8, in = vx + 8;
	const char *r;

	if (e->sip.family != e->dip.family)
		FAIL("bad expectation: mixed address families");
	FIELD("packet length", len, in + e->inner_len);
	if ((r = mac_diff("outer dst MAC", p, &e->dst)) != NULL)
		return r;
	if ((r = mac_diff("outer src MAC", p + 6, &e->src)) != NULL)
		return r;
	if (e->vlan >= 0) {
		FIELD("outer TPID", rd16(p + 12), RTE_ETHER_TYPE_VLAN);
		FIELD("outer TCI", rd16(p + 14), (uint32_t)e->vlan);
	}
	FIELD("outer EtherType", rd16(p + l2 - 2), v4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
	if (v4) {
		const uint8_t *ip = p + l3;
		struct rte_ipv4_hdr h;
		uint16_t stored;

		FIELD("IPv4 version/IHL", ip[0], 0x45);
		FIELD("IPv4 TOS", ip[1], 0);
		FIELD("IPv4 total length", rd16(ip + 2), 20 + 16 + e->inner_len);
		FIELD("IPv4 ID", rd16(ip + 4), 0);
		FIELD("IPv4 flags/fragment offset (DF)", rd16(ip + 6), 0x4000);
		FIELD("IPv4 TTL", ip[8], e->ttl);
		FIELD("IPv4 protocol", ip[9], IPPROTO_UDP);
		FIELD("IPv4 source", rd32(ip + 12), ntohl(e->sip.v4));
		FIELD("IPv4 destination", rd32(ip + 16), ntohl(e->dip.v4));
		FIELD("IPv4 header sum (must fold to 0xffff)", evft_fold(evft_sum(ip, 20, 0)), 0xffff);
		memcpy(&h, ip, sizeof(h));
		stored = h.hdr_checksum;
		h.hdr_checksum = 0;
		FIELD("IPv4 checksum vs rte_ipv4_cksum", stored, rte_ipv4_cksum(&h));
	} else {
		const uint8_t *ip6 = p + l3;

		FIELD("IPv6 version/class/flow", rd32(ip6), 0x60000000);
		FIELD("IPv6 payload length", rd16(ip6 + 4), 16 + e->inner_len);
		FIELD("IPv6 next header", ip6[6], IPPROTO_UDP);
		FIELD("IPv6 hop limit", ip6[7], e->ttl);
		if (memcmp(ip6 + 8, e->sip.v6, 16) != 0)
			FAIL("IPv6 source differs");
		if (memcmp(ip6 + 24, e->dip.v6, 16) != 0)
			FAIL("IPv6 destination differs");
	}
	{
		const uint8_t *udp = p + l4;
		uint16_t sport = rd16(udp);

		if (sport < 49152)
			FAIL("UDP source port %u below 49152", sport);
		if (e->sport >= 0)
			FIELD("UDP source port", sport, (uint32_t)e->sport);
		FIELD("UDP destination port", rd16(udp + 2), e->dport);
		FIELD("UDP length", rd16(udp + 4), 16 + e->inner_len);
		if (v4 || e->udp6_zero) {
			FIELD("UDP checksum", rd16(udp + 6), 0);
		} else {
			uint8_t tmp[EVFT_PKT_MAX];
			uint32_t s;
			uint16_t want;

			memcpy(tmp, udp, 16 + e->inner_len);
			tmp[6] = tmp[7] = 0;
			s = pseudo6(p + l3 + 8, p + l3 + 24, 16 + e->inner_len, IPPROTO_UDP);
			want = (uint16_t)~evft_fold(evft_sum(tmp, 16 + e->inner_len, s));
			if (want == 0)
				want = 0xffff;
			FIELD("UDP/IPv6 checksum", rd16(udp + 6), want);
		}
	}
	FIELD("VXLAN flags word", rd32(p + vx), 0x08000000);
	FIELD("VXLAN VNI word", rd32(p + vx + 4), e->vni << 8);
	for (uint32_t i = 0; i < e->inner_len; i++)
		if (p[in + i] != e->inner[i])
			FAIL("inner frame differs at byte %u: 0x%02x, expected 0x%02x", i, p[in + i],
			     e->inner[i]);
	return NULL;
}

const char *
evft_check_vxlan_mbuf(const struct rte_mbuf *m, const struct evft_expect *e)
{
	static uint8_t buf[EVFT_PKT_MAX];
	uint32_t len;
	const char *r = evft_linearize(m, buf, sizeof(buf), &len);

	if (r != NULL)
		return r;
	r = evft_check_vxlan(buf, len, e);
	if (r != NULL && getenv("EVFT_DUMP") != NULL)
		evft_hexdump("\npacket", buf, RTE_MIN(len, 128u));
	return r;
}

void
evft_hexdump(const char *title, const void *p, uint32_t len)
{
	const uint8_t *b = p;

	fprintf(stderr, "%s (%u bytes):", title, len);
	for (uint32_t i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", b[i]);
	fprintf(stderr, "\n");
}

/* ---- data path runs and their accounting ---- */

static struct evf_stats_sum base_stats;
static unsigned int base_mbufs;

void
evft_baseline(void)
{
	evf_stats_read(&base_stats, false);
	base_mbufs = evft_in_use();
}

const struct evf_stats_sum *
evft_base_stats(void)
{
	return &base_stats;
}

uint64_t
evft_drops(enum evf_drop_reason r)
{
	struct evf_stats_sum s;

	evf_stats_read(&s, false);
	return s.drops[r] - base_stats.drops[r];
}

uint64_t
evft_all_drops(void)
{
	struct evf_stats_sum s;

	evf_stats_read(&s, false);
	return evf_stats_total_drops(&s) - evf_stats_total_drops(&base_stats);
}

void
evft_process(uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	struct evf_worker *w = evft_worker();

	evf_dp_process(w, port, pkts, n);
	evf_dp_flush(w);
}

void
evft_inject(uint16_t port, const uint8_t *f, uint32_t len)
{
	struct rte_mbuf *m = evft_mbuf(f, len);

	evft_process(port, &m, 1);
}

void
evft_finish(void)
{
	unsigned int left = evft_drain_all();

	if (left)
		fprintf(stderr, "\n    %u unexpected packets left on the ports\n", left);
	CU_ASSERT_EQUAL(left, 0);
	CU_ASSERT_EQUAL(evft_in_use(), base_mbufs);
}
