/* test_cfg.c: CUnit tests of the YAML config loader (lib/cfg): a full valid
 * config checked field by field, the defaults, a table of bad configs each
 * with its exact error position, key path and reason, loading from files, and
 * every example in conf/examples (directory from argv[1], $EVF_CONF_EXAMPLES
 * or ./conf/examples). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "evf_cfg.h"

static const char *examples_dir = "conf/examples";

static struct evf_cfg *
load(const char *yaml, char *err, size_t errlen)
{
	return evf_cfg_load_buffer("t.yaml", yaml, strlen(yaml), err, errlen);
}

static bool
mac_is(const struct rte_ether_addr *mac, const char *s)
{
	char buf[EVF_MAC_STRLEN];

	return strcmp(evf_mac_fmt(mac, buf, sizeof(buf)), s) == 0;
}

static bool
ip_is(const struct evf_ip *ip, const char *s)
{
	char buf[EVF_IP_STRLEN];

	return strcmp(evf_ip_fmt(ip, buf, sizeof(buf)), s) == 0;
}

/* ---- a full valid config ---- */

static const char full_yaml[] =
	"# every key set\n"
	"node:\n"
	"  name: leaf3\n"
	"  vtep-ipv4: 198.18.0.3\n"
	"  vtep-ipv6: 2001:2::3\n"
	"  mac: 02:00:00:00:00:03\n"
	"  udp-port: 4790\n"
	"  ttl: 32\n"
	"  udp6-zero-checksum: true\n"
	"  fdb-capacity: 262144\n"
	"  mbufs: 65536\n"
	"ports:\n"
	"  - name: uplink0\n"                                             /* line 13 */
	"    device: \"net_pcap0,rx_pcap=/tmp/in.pcap,tx_pcap=/tmp/out.pcap\"\n"
	"    role: network\n"
	"    next-hop-mac: 02:00:00:00:00:FE\n"
	"    vlan: 100\n"
	"    mtu: 9000\n"
	"    rx-queues: 2\n"
	"    rx-descriptors: 512\n"
	"    tx-descriptors: 2048\n"
	"    admin-state: enable\n"
	"  - name: host1\n"                                               /* line 23 */
	"    device: \"0000:03:00.0\"\n"
	"    role: access\n"
	"    admin-state: disable\n"
	"mac-vrfs:\n"
	"  - name: mac-vrf-1\n"                                           /* line 28 */
	"    vni: 1\n"
	"    evi: 111\n"
	"    mac-aging: 0\n"
	"    learning: false\n"
	"    mac-limit: 5000\n"
	"    allow-inner-vlan: true\n"
	"    attachments:\n"
	"      - port: host1\n"
	"        vlan: untagged\n"
	"      - port: host1\n"
	"        vlan: 4094\n"
	"    remote-vteps: [198.18.0.1, 2001:2::2]\n"
	"    remote-macs:\n"
	"      - mac: 00:c1:ab:00:00:21\n"
	"        vtep: 198.18.0.1\n"
	"      - {mac: 00:c1:ab:00:00:22, vtep: \"2001:2::2\"}\n"
	"  - name: mac-vrf-2\n"                                           /* line 45 */
	"    vni: 16777215\n"
	"    attachments: [{port: host1, vlan: 1}]\n"
	"workers:\n"
	"  count: 2\n"
	"  lcores: [1, 3]\n"
	"  burst: 64\n"
	"  idle-sleep-us: 100000\n";

static void
test_full(void)
{
	char err[EVF_CFG_ERR_LEN] = "";
	struct evf_cfg *cfg = load(full_yaml, err, sizeof(err));
	const struct evf_cfg_port *p;
	const struct evf_cfg_bd *bd;

	if (cfg == NULL)
		fprintf(stderr, "\nfull config: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_STRING_EQUAL(cfg->path, "t.yaml");

	CU_ASSERT_STRING_EQUAL(cfg->node.name, "leaf3");
	CU_ASSERT_EQUAL(cfg->node.vtep_ipv4.family, AF_INET);
	CU_ASSERT_EQUAL(cfg->node.vtep_ipv4.v4, htonl(0xc6120003));
	CU_ASSERT_EQUAL(cfg->node.vtep_ipv6.family, AF_INET6);
	CU_ASSERT_TRUE(ip_is(&cfg->node.vtep_ipv6, "2001:2::3"));
	CU_ASSERT_TRUE(cfg->node.has_mac);
	CU_ASSERT_TRUE(mac_is(&cfg->node.mac, "02:00:00:00:00:03"));
	CU_ASSERT_EQUAL(cfg->node.udp_port, 4790);
	CU_ASSERT_EQUAL(cfg->node.ttl, 32);
	CU_ASSERT_TRUE(cfg->node.udp6_zero_checksum);
	CU_ASSERT_EQUAL(cfg->node.fdb_capacity, 262144);
	CU_ASSERT_EQUAL(cfg->node.mbufs, 65536);

	CU_ASSERT_EQUAL_FATAL(cfg->nb_ports, 2);
	p = &cfg->ports[0];
	CU_ASSERT_STRING_EQUAL(p->name, "uplink0");
	CU_ASSERT_STRING_EQUAL(p->device, "net_pcap0,rx_pcap=/tmp/in.pcap,tx_pcap=/tmp/out.pcap");
	CU_ASSERT_EQUAL(p->role, EVF_ROLE_NETWORK);
	CU_ASSERT_TRUE(mac_is(&p->next_hop, "02:00:00:00:00:fe"));
	CU_ASSERT_EQUAL(p->underlay_vlan, 100);
	CU_ASSERT_EQUAL(p->mtu, 9000);
	CU_ASSERT_EQUAL(p->rx_queues, 2);
	CU_ASSERT_EQUAL(p->rx_desc, 512);
	CU_ASSERT_EQUAL(p->tx_desc, 2048);
	CU_ASSERT_TRUE(p->admin_up);
	CU_ASSERT_EQUAL(p->line, 13);
	p = &cfg->ports[1];
	CU_ASSERT_STRING_EQUAL(p->name, "host1");
	CU_ASSERT_STRING_EQUAL(p->device, "0000:03:00.0");
	CU_ASSERT_EQUAL(p->role, EVF_ROLE_ACCESS);
	CU_ASSERT_EQUAL(p->underlay_vlan, 0);
	CU_ASSERT_EQUAL(p->mtu, 1500);
	CU_ASSERT_EQUAL(p->rx_queues, 0);
	CU_ASSERT_EQUAL(p->rx_desc, 1024);
	CU_ASSERT_EQUAL(p->tx_desc, 1024);
	CU_ASSERT_FALSE(p->admin_up);
	CU_ASSERT_EQUAL(p->line, 23);
	CU_ASSERT_EQUAL(evf_cfg_port_index(cfg, "uplink0"), 0);
	CU_ASSERT_EQUAL(evf_cfg_port_index(cfg, "host1"), 1);
	CU_ASSERT_EQUAL(evf_cfg_port_index(cfg, "host2"), -ENOENT);

	CU_ASSERT_EQUAL_FATAL(cfg->nb_bds, 2);
	bd = &cfg->bds[0];
	CU_ASSERT_STRING_EQUAL(bd->name, "mac-vrf-1");
	CU_ASSERT_EQUAL(bd->vni, 1);
	CU_ASSERT_EQUAL(bd->evi, 111);
	CU_ASSERT_EQUAL(bd->mac_aging, 0);
	CU_ASSERT_FALSE(bd->learning);
	CU_ASSERT_EQUAL(bd->mac_limit, 5000);
	CU_ASSERT_TRUE(bd->allow_inner_vlan);
	CU_ASSERT_EQUAL(bd->line, 28);
	CU_ASSERT_EQUAL_FATAL(bd->nb_attach, 2);
	CU_ASSERT_STRING_EQUAL(bd->attach[0].port, "host1");
	CU_ASSERT_EQUAL(bd->attach[0].vlan, EVF_VLAN_UNTAGGED);
	CU_ASSERT_STRING_EQUAL(bd->attach[1].port, "host1");
	CU_ASSERT_EQUAL(bd->attach[1].vlan, 4094);
	CU_ASSERT_EQUAL_FATAL(bd->nb_vteps, 2);
	CU_ASSERT_TRUE(ip_is(&bd->vteps[0], "198.18.0.1"));
	CU_ASSERT_TRUE(ip_is(&bd->vteps[1], "2001:2::2"));
	CU_ASSERT_EQUAL_FATAL(bd->nb_macs, 2);
	CU_ASSERT_TRUE(mac_is(&bd->macs[0].mac, "00:c1:ab:00:00:21"));
	CU_ASSERT_TRUE(ip_is(&bd->macs[0].vtep, "198.18.0.1"));
	CU_ASSERT_TRUE(mac_is(&bd->macs[1].mac, "00:c1:ab:00:00:22"));
	CU_ASSERT_TRUE(ip_is(&bd->macs[1].vtep, "2001:2::2"));
	bd = &cfg->bds[1];
	CU_ASSERT_STRING_EQUAL(bd->name, "mac-vrf-2");
	CU_ASSERT_EQUAL(bd->vni, 16777215);
	CU_ASSERT_EQUAL(bd->evi, 16777215);
	CU_ASSERT_EQUAL(bd->mac_aging, 300);
	CU_ASSERT_TRUE(bd->learning);
	CU_ASSERT_EQUAL(bd->mac_limit, 0);
	CU_ASSERT_FALSE(bd->allow_inner_vlan);
	CU_ASSERT_EQUAL(bd->line, 45);
	CU_ASSERT_EQUAL_FATAL(bd->nb_attach, 1);
	CU_ASSERT_STRING_EQUAL(bd->attach[0].port, "host1");
	CU_ASSERT_EQUAL(bd->attach[0].vlan, 1);
	CU_ASSERT_EQUAL(bd->nb_vteps, 0);
	CU_ASSERT_PTR_NULL(bd->vteps);
	CU_ASSERT_EQUAL(bd->nb_macs, 0);
	CU_ASSERT_PTR_NULL(bd->macs);

	CU_ASSERT_EQUAL(cfg->workers.count, 2);
	CU_ASSERT_EQUAL_FATAL(cfg->workers.nb_lcores, 2);
	CU_ASSERT_EQUAL(cfg->workers.lcores[0], 1);
	CU_ASSERT_EQUAL(cfg->workers.lcores[1], 3);
	CU_ASSERT_EQUAL(cfg->workers.burst, 64);
	CU_ASSERT_EQUAL(cfg->workers.idle_sleep_us, 100000);
	evf_cfg_free(cfg);
}

/* ---- lags: every key non-default, and a LAG left at its defaults ---- */

static const char lags_yaml[] =
	"node: {vtep-ipv4: 198.18.0.1, mac: 02:00:00:00:00:01}\n"
	"ports:\n"
	"  - {name: up, device: d0, role: network, next-hop-mac: 02:00:00:00:00:fe}\n"
	"  - {name: h1, device: d1, role: access}\n"
	"  - {name: h2, device: d2, role: access}\n"
	"  - {name: h3, device: d3, role: access}\n"
	"  - {name: h4, device: d4, role: access}\n"
	"lags:\n"
	"  - name: lag1\n"                                                /* line 9 */
	"    members:\n"
	"      - {port: h1, port-number: 7, port-priority: 100}\n"
	"      - {port: h2, port-number: 65535, port-priority: 1}\n"
	"    mode: lacp\n"
	"    lacp:\n"
	"      activity: passive\n"
	"      interval: fast\n"
	"      system-id: \"00:00:00:00:00:11\"\n"
	"      system-priority: 11\n"
	"      key: 11\n"
	"    min-links: 2\n"
	"    tx-hash: l23\n"
	"    management:\n"
	"      member: h2\n"
	"      macs: [\"00:c1:ab:00:0b:01\", \"00:C1:AB:00:0B:02\"]\n"
	"      vlan: 100\n"
	"  - name: lag2\n"                                                /* line 26 */
	"    members: [h3]\n"
	"    mode: static\n"
	"  - name: lag3\n"                                                /* line 29 */
	"    members: [h4]\n"
	"mac-vrfs:\n"
	"  - name: a\n"
	"    vni: 10\n"
	"    attachments:\n"
	"      - {port: lag1, vlan: 100}\n"
	"      - {port: lag1, vlan: 200}\n"
	"      - {port: lag2, vlan: untagged}\n"
	"ethernet-segments:\n"
	"  - {name: ES-1, esi: \"01:11:11:11:11:11:11:00:00:01\", interface: lag1}\n";

static void
test_lags(void)
{
	char err[EVF_CFG_ERR_LEN] = "";
	struct evf_cfg *cfg = load(lags_yaml, err, sizeof(err));
	const struct evf_cfg_lag *l;

	if (cfg == NULL)
		fprintf(stderr, "\nlags config: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL_FATAL(cfg->nb_lags, 3);
	l = &cfg->lags[0];
	CU_ASSERT_STRING_EQUAL(l->name, "lag1");
	CU_ASSERT_EQUAL(l->line, 9);
	CU_ASSERT_EQUAL_FATAL(l->nb_members, 2);
	CU_ASSERT_STRING_EQUAL(l->members[0].port, "h1");
	CU_ASSERT_EQUAL(l->members[0].port_number, 7);
	CU_ASSERT_EQUAL(l->members[0].port_priority, 100);
	CU_ASSERT_STRING_EQUAL(l->members[1].port, "h2");
	CU_ASSERT_EQUAL(l->members[1].port_number, 65535);
	CU_ASSERT_EQUAL(l->members[1].port_priority, 1);
	CU_ASSERT_EQUAL(l->mode, EVF_CFG_LAG_LACP);
	CU_ASSERT_EQUAL(l->passive, 1);
	CU_ASSERT_EQUAL(l->fast, 1);
	CU_ASSERT_TRUE(l->has_system_id);
	CU_ASSERT_TRUE(mac_is(&l->system_id, "00:00:00:00:00:11"));
	CU_ASSERT_EQUAL(l->system_priority, 11);
	CU_ASSERT_EQUAL(l->key, 11);
	CU_ASSERT_EQUAL(l->min_links, 2);
	CU_ASSERT_EQUAL(l->tx_hash, EVF_CFG_HASH_L23);
	CU_ASSERT_STRING_EQUAL(l->mgmt_member, "h2");
	CU_ASSERT_EQUAL_FATAL(l->nb_mgmt_macs, 2);
	CU_ASSERT_TRUE(mac_is(&l->mgmt_macs[0], "00:c1:ab:00:0b:01"));
	CU_ASSERT_TRUE(mac_is(&l->mgmt_macs[1], "00:c1:ab:00:0b:02"));
	CU_ASSERT_EQUAL(l->mgmt_vlan, 100);

	/* lag2: mode static; lag3: only the required keys, all else default */
	l = &cfg->lags[1];
	CU_ASSERT_STRING_EQUAL(l->name, "lag2");
	CU_ASSERT_EQUAL(l->line, 26);
	CU_ASSERT_EQUAL(l->mode, EVF_CFG_LAG_STATIC);
	CU_ASSERT_EQUAL_FATAL(l->nb_members, 1);
	CU_ASSERT_STRING_EQUAL(l->members[0].port, "h3");
	l = &cfg->lags[2];
	CU_ASSERT_STRING_EQUAL(l->name, "lag3");
	CU_ASSERT_EQUAL(l->line, 29);
	CU_ASSERT_EQUAL_FATAL(l->nb_members, 1);
	CU_ASSERT_STRING_EQUAL(l->members[0].port, "h4");
	CU_ASSERT_EQUAL(l->members[0].port_number, 1);
	CU_ASSERT_EQUAL(l->members[0].port_priority, 255);
	CU_ASSERT_EQUAL(l->mode, EVF_CFG_LAG_LACP);
	CU_ASSERT_EQUAL(l->passive, 0);
	CU_ASSERT_EQUAL(l->fast, 0);
	CU_ASSERT_FALSE(l->has_system_id);
	CU_ASSERT_EQUAL(l->system_priority, 32768);
	CU_ASSERT_EQUAL(l->key, 1);
	CU_ASSERT_EQUAL(l->min_links, 1);
	CU_ASSERT_EQUAL(l->tx_hash, EVF_CFG_HASH_L34);
	CU_ASSERT_STRING_EQUAL(l->mgmt_member, "");
	CU_ASSERT_EQUAL(l->nb_mgmt_macs, 0);
	CU_ASSERT_EQUAL(l->mgmt_vlan, 0);

	CU_ASSERT_EQUAL(evf_cfg_lag_index(cfg, "lag1"), 0);
	CU_ASSERT_EQUAL(evf_cfg_lag_index(cfg, "lag2"), 1);
	CU_ASSERT_EQUAL(evf_cfg_lag_index(cfg, "lag3"), 2);
	CU_ASSERT_EQUAL(evf_cfg_lag_index(cfg, "h1"), -ENOENT);
	CU_ASSERT_EQUAL(evf_cfg_lag_of_port(cfg, "h1"), 0);
	CU_ASSERT_EQUAL(evf_cfg_lag_of_port(cfg, "h2"), 0);
	CU_ASSERT_EQUAL(evf_cfg_lag_of_port(cfg, "h3"), 1);
	CU_ASSERT_EQUAL(evf_cfg_lag_of_port(cfg, "h4"), 2);
	CU_ASSERT_EQUAL(evf_cfg_lag_of_port(cfg, "up"), -ENOENT);
	/* the LAGs are what the MAC-VRF and the segment name */
	CU_ASSERT_EQUAL_FATAL(cfg->nb_bds, 1);
	CU_ASSERT_EQUAL_FATAL(cfg->bds[0].nb_attach, 3);
	CU_ASSERT_STRING_EQUAL(cfg->bds[0].attach[0].port, "lag1");
	CU_ASSERT_EQUAL(cfg->bds[0].attach[0].vlan, 100);
	CU_ASSERT_STRING_EQUAL(cfg->bds[0].attach[1].port, "lag1");
	CU_ASSERT_EQUAL(cfg->bds[0].attach[1].vlan, 200);
	CU_ASSERT_STRING_EQUAL(cfg->bds[0].attach[2].port, "lag2");
	CU_ASSERT_EQUAL(cfg->bds[0].attach[2].vlan, EVF_VLAN_UNTAGGED);
	CU_ASSERT_EQUAL_FATAL(cfg->nb_es, 1);
	CU_ASSERT_STRING_EQUAL(cfg->es[0].iface, "lag1");
	evf_cfg_free(cfg);
}

/* ---- defaults ---- */

static void
test_defaults(void)
{
	static const char yaml[] =
		"ports:\n"
		"  - {name: h, device: d, role: access}\n"
		"mac-vrfs:\n"
		"  - name: m\n"
		"    vni: 77\n"
		"node: {}\n";
	char err[EVF_CFG_ERR_LEN] = "";
	struct evf_cfg *cfg = load(yaml, err, sizeof(err));
	const struct evf_cfg_port *p;
	const struct evf_cfg_bd *bd;

	if (cfg == NULL)
		fprintf(stderr, "\ndefaults: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_STRING_EQUAL(cfg->node.name, "evfwd");
	CU_ASSERT_EQUAL(cfg->node.vtep_ipv4.family, 0);
	CU_ASSERT_EQUAL(cfg->node.vtep_ipv6.family, 0);
	CU_ASSERT_FALSE(cfg->node.has_mac);
	CU_ASSERT_EQUAL(cfg->node.udp_port, 4789);
	CU_ASSERT_EQUAL(cfg->node.ttl, 64);
	CU_ASSERT_FALSE(cfg->node.udp6_zero_checksum);
	CU_ASSERT_EQUAL(cfg->node.fdb_capacity, 131072);
	CU_ASSERT_EQUAL(cfg->node.mbufs, 0);

	CU_ASSERT_EQUAL_FATAL(cfg->nb_ports, 1);
	p = &cfg->ports[0];
	CU_ASSERT_STRING_EQUAL(p->name, "h");
	CU_ASSERT_STRING_EQUAL(p->device, "d");
	CU_ASSERT_EQUAL(p->role, EVF_ROLE_ACCESS);
	CU_ASSERT_EQUAL(p->underlay_vlan, 0);
	CU_ASSERT_EQUAL(p->mtu, 1500);
	CU_ASSERT_EQUAL(p->rx_queues, 0);
	CU_ASSERT_EQUAL(p->rx_desc, 1024);
	CU_ASSERT_EQUAL(p->tx_desc, 1024);
	CU_ASSERT_TRUE(p->admin_up);
	CU_ASSERT_EQUAL(p->line, 2);

	CU_ASSERT_EQUAL_FATAL(cfg->nb_bds, 1);
	bd = &cfg->bds[0];
	CU_ASSERT_EQUAL(bd->vni, 77);
	CU_ASSERT_EQUAL(bd->evi, 77);
	CU_ASSERT_EQUAL(bd->mac_aging, 300);
	CU_ASSERT_TRUE(bd->learning);
	CU_ASSERT_EQUAL(bd->mac_limit, 0);
	CU_ASSERT_FALSE(bd->allow_inner_vlan);
	CU_ASSERT_EQUAL(bd->dup_moves, 5);
	CU_ASSERT_EQUAL(bd->dup_window, 180);
	CU_ASSERT_EQUAL(bd->dup_hold, 540);
	CU_ASSERT_EQUAL(bd->dup_blackhole, 0); /* action: stop-learning */
	CU_ASSERT_EQUAL(bd->nb_attach, 0);
	CU_ASSERT_EQUAL(bd->nb_vteps, 0);
	CU_ASSERT_EQUAL(bd->nb_macs, 0);

	CU_ASSERT_EQUAL(cfg->workers.count, 1);
	CU_ASSERT_EQUAL(cfg->workers.nb_lcores, 0);
	CU_ASSERT_EQUAL(cfg->workers.burst, 32);
	CU_ASSERT_EQUAL(cfg->workers.idle_sleep_us, 0);
	evf_cfg_free(cfg);
}

/* Small valid variants: optional sections absent or empty, lcores alone. */
static void
test_variants(void)
{
	static const char *const ok[] = {
		("node: {vtep-ipv6: '2001:2::9'}\n"
		 "ports: [{name: u, device: d, role: network, next-hop-mac: '02:00:00:00:00:01'}]\n"),
		"node: {}\nports: [{name: h, device: d, role: access}]\nmac-vrfs: []\n",
		"---\nnode: {}\nports: [{name: h, device: d, role: access}]\n...\n",
		"node: {}\nports: [{name: h, device: d, role: access}]\nworkers: {lcores: [4, 2, 9]}\n",
		("node: {vtep-ipv4: 198.18.0.1}\n"
		 "ports: [{name: u, device: 'net_af_xdp0,iface=eth1', role: network,"
		 " next-hop-mac: '02:00:00:00:00:01', xdp-steering: vxlan, xdp-object: /opt/x.o}]\n"),
	};
	char err[EVF_CFG_ERR_LEN];

	for (size_t i = 0; i < RTE_DIM(ok); i++) {
		struct evf_cfg *cfg = load(ok[i], err, sizeof(err));

		if (cfg == NULL)
			fprintf(stderr, "\nvariant %zu: %s\n", i, err);
		CU_ASSERT_PTR_NOT_NULL(cfg);
		if (cfg != NULL && i == 3) {
			CU_ASSERT_EQUAL(cfg->workers.count, 3);
			CU_ASSERT_EQUAL(cfg->workers.nb_lcores, 3);
			CU_ASSERT_EQUAL(cfg->workers.lcores[2], 9);
		}
		if (cfg != NULL) {
			CU_ASSERT_EQUAL(cfg->ports[0].xdp_steering,
				i == 4 ? EVF_XDP_STEER_VXLAN : EVF_XDP_STEER_NONE);
			CU_ASSERT_STRING_EQUAL(cfg->ports[0].xdp_object, i == 4 ? "/opt/x.o" : "");
		}
		evf_cfg_free(cfg);
	}
}

/* mac-duplication: every key, and action stop-learning (the default) or blackhole. */
static void
test_dup_action(void)
{
	static const struct {
		const char *dup;
		uint8_t blackhole;
	} ok[] = {
		{ "{num-moves: 2, monitoring-window: 3600, hold-down: 0, action: blackhole}", 1 },
		{ "{action: stop-learning, num-moves: 1000, monitoring-window: 1, hold-down: 86400}", 0 },
		{ "{action: \"blackhole\"}", 1 },
		{ "{hold-down: 1}", 0 },
	};
	static const uint32_t want[][3] = {
		{ 2, 3600, 0 }, { 1000, 1, 86400 }, { 5, 180, 540 }, { 5, 180, 1 },
	};
	char yaml[512], err[EVF_CFG_ERR_LEN];

	for (size_t i = 0; i < RTE_DIM(ok); i++) {
		struct evf_cfg *cfg;

		snprintf(yaml, sizeof(yaml), "node: {}\nports: [{name: h, device: d, role: access}]\n"
			 "mac-vrfs:\n  - name: m\n    vni: 7\n    mac-duplication: %s\n", ok[i].dup);
		cfg = load(yaml, err, sizeof(err));
		if (cfg == NULL)
			fprintf(stderr, "\nmac-duplication %s: %s\n", ok[i].dup, err);
		CU_ASSERT_PTR_NOT_NULL(cfg);
		if (cfg == NULL)
			continue;
		CU_ASSERT_EQUAL(cfg->bds[0].dup_blackhole, ok[i].blackhole);
		CU_ASSERT_EQUAL(cfg->bds[0].dup_moves, want[i][0]);
		CU_ASSERT_EQUAL(cfg->bds[0].dup_window, want[i][1]);
		CU_ASSERT_EQUAL(cfg->bds[0].dup_hold, want[i][2]);
		evf_cfg_free(cfg);
	}
}

/* ---- bad configs ---- */

/* Lines 1-10 of most cases: an IPv4 VTEP, a network and an access port. */
#define NODE4 \
	"node:\n" \
	"  vtep-ipv4: 198.18.0.1\n"
#define PORTS \
	"ports:\n" \
	"  - name: up\n" \
	"    device: d0\n" \
	"    role: network\n" \
	"    next-hop-mac: 02:00:00:00:00:fe\n" \
	"  - name: h1\n" \
	"    device: d1\n" \
	"    role: access\n"
#define BASE NODE4 PORTS
/* Lines 11-13: a MAC-VRF "a", VNI 10, continuing with its keys at column 5. */
#define BD_A \
	"mac-vrfs:\n" \
	"  - name: a\n" \
	"    vni: 10\n"
/* Lines 11-13: a second access port h2; lines 14-17: ethernet-segment es1 on
 * h1, continuing with its keys at column 5. */
#define H2 \
	"  - name: h2\n" \
	"    device: d2\n" \
	"    role: access\n"
#define ES_BASE BASE H2 \
	"ethernet-segments:\n" \
	"  - name: es1\n" \
	"    esi: 00:11:11:11:11:11:11:11:11:01\n" \
	"    interface: h1\n"
/* A valid network + access port list, for cases that change node. */
#define PORTS1 "ports: [{name: up, device: d0, role: network, next-hop-mac: 02:00:00:00:00:fe}]\n"

struct bad_case {
	const char *what;
	const char *yaml;
	unsigned int line, col;
	const char *msg;  /**< expected text after "t.yaml:LINE:COL: " (prefix) */
};

static const struct bad_case bad_cases[] = {
	/* structure */
	{ "empty file", "", 1, 1, "configuration is empty" },
	{ "comments only", "# nothing\n\n", 1, 1, "configuration is empty" },
	{ "syntax error", NODE4 "ports: [\n", 4, 1, "syntax error: " },
	{ "syntax error: bad indentation", "node:\n  ttl: 4\n name: x\n", 3, 2, "syntax error: " },
	{ "syntax error: tab", "node:\n\tttl: 4\n", 2, 1, "syntax error: " },
	{ "two documents", BASE "---\nnode: {}\n", 11, 1, "only one YAML document is allowed" },
	{ "top level is a sequence", "- node\n", 1, 1, "expected a mapping, got a sequence" },
	{ "unknown top-level key", BASE "route-targets: 1\n", 11, 1,
	  "unknown key 'route-targets'" },
	{ "unknown key in node", "node:\n  vtep-ip4: 198.18.0.1\n" PORTS, 2, 3,
	  "node: unknown key 'vtep-ip4'" },
	{ "unknown key in a port", NODE4 "ports:\n  - name: h\n    device: d\n    role: access\n"
	  "    speed: 10G\n", 7, 5, "ports[0]: unknown key 'speed'" },
	{ "unknown key in an attachment", BASE BD_A "    attachments:\n      - port: h1\n"
	  "        vlan: 5\n        tagged: true\n", 17, 9,
	  "mac-vrfs[0].attachments[0]: unknown key 'tagged'" },
	{ "duplicate key", "node:\n  vtep-ipv4: 198.18.0.1\n  ttl: 5\n  ttl: 6\n" PORTS, 4, 3,
	  "node: duplicate key 'ttl' (first at line 3)" },
	{ "duplicate section", BASE "node: {}\n", 11, 1, "duplicate key 'node' (first at line 1)" },
	{ "missing node", PORTS, 1, 1, "missing required key 'node'" },
	{ "missing port device", NODE4 "ports:\n  - name: h\n    role: access\n", 4, 5,
	  "ports[0]: missing required key 'device'" },
	{ "missing vni", BASE "mac-vrfs:\n  - name: a\n", 12, 5,
	  "mac-vrfs[0]: missing required key 'vni'" },
	{ "no ports", NODE4 "ports: []\n", 3, 8, "ports: at least one port is required" },
	/* node kinds */
	{ "node is a sequence", "node:\n  - a\n" PORTS, 2, 3,
	  "node: expected a mapping, got a sequence" },
	{ "node is null", "node:\n" PORTS, 1, 6, "node: expected a mapping, got null" },
	{ "ports is a mapping", NODE4 "ports:\n  name: x\n", 4, 3,
	  "ports: expected a sequence, got a mapping" },
	{ "remote-vteps is a scalar", BASE BD_A "    remote-vteps: 198.18.0.2\n", 14, 19,
	  "mac-vrfs[0].remote-vteps: expected a sequence, got a scalar" },
	{ "ttl is a mapping", "node: {ttl: {a: 1}}\n" PORTS1, 1, 13,
	  "node.ttl: expected an integer, got a mapping" },
	{ "ttl is null", "node:\n  ttl:\n" PORTS1, 2, 7,
	  "node.ttl: missing value (expected an integer)" },
	{ "key is a sequence", "node:\n  ? [a]\n  : 1\n" PORTS1, 2, 5,
	  "node: expected a key, got a sequence" },
	/* integers */
	{ "vni out of range", BASE "mac-vrfs:\n  - name: a\n    vni: 16777216\n", 13, 10,
	  "mac-vrfs[0].vni: 16777216 is out of range 1..16777215" },
	{ "vni 0", BASE "mac-vrfs:\n  - name: a\n    vni: 0\n", 13, 10,
	  "mac-vrfs[0].vni: 0 is out of range 1..16777215" },
	{ "ttl 0", "node:\n  vtep-ipv4: 198.18.0.1\n  ttl: 0\n" PORTS, 3, 8,
	  "node.ttl: 0 is out of range 1..255" },
	{ "ttl 256", "node: {vtep-ipv4: 198.18.0.1, ttl: 256}\n" PORTS, 1, 36,
	  "node.ttl: 256 is out of range 1..255" },
	{ "udp-port 0", "node: {vtep-ipv4: 198.18.0.1, udp-port: 0}\n" PORTS, 1, 41,
	  "node.udp-port: 0 is out of range 1..65535" },
	{ "fdb-capacity too small", "node: {vtep-ipv4: 198.18.0.1, fdb-capacity: 1023}\n" PORTS,
	  1, 45, "node.fdb-capacity: 1023 is out of range 1024..16777216" },
	{ "mbufs too small", "node: {vtep-ipv4: 198.18.0.1, mbufs: 5}\n" PORTS, 1, 38,
	  "node.mbufs: 5 is out of range: 0 or 1024..4294967295" },
	{ "mtu 9601", NODE4 "ports:\n  - {name: h, device: d, role: access, mtu: 9601}\n", 4, 45,
	  "ports[0].mtu: 9601 is out of range 68..9600" },
	{ "rx-descriptors 63", NODE4 "ports:\n  - {name: h, device: d, role: access,"
	  " rx-descriptors: 63}\n", 4, 56, "ports[0].rx-descriptors: 63 is out of range 64..16384" },
	{ "mac-aging 86401", BASE BD_A "    mac-aging: 86401\n", 14, 16,
	  "mac-vrfs[0].mac-aging: 86401 is out of range 0..86400" },
	{ "sign", "node:\n  vtep-ipv4: 198.18.0.1\n  ttl: +64\n" PORTS, 3, 8,
	  "node.ttl: '+64' is not a decimal integer" },
	{ "negative", "node:\n  vtep-ipv4: 198.18.0.1\n  ttl: -1\n" PORTS, 3, 8,
	  "node.ttl: '-1' is not a decimal integer" },
	{ "trailing text", "node:\n  vtep-ipv4: 198.18.0.1\n  udp-port: 4789x\n" PORTS, 3, 13,
	  "node.udp-port: '4789x' is not a decimal integer" },
	{ "hex", "node:\n  vtep-ipv4: 198.18.0.1\n  udp-port: 0x12b5\n" PORTS, 3, 13,
	  "node.udp-port: '0x12b5' is not a decimal integer" },
	{ "leading zero", "node:\n  vtep-ipv4: 198.18.0.1\n  ttl: 010\n" PORTS, 3, 8,
	  "node.ttl: '010' is not a decimal integer (leading zero)" },
	{ "overflow", "node:\n  vtep-ipv4: 198.18.0.1\n  fdb-capacity: 18446744073709551616\n"
	  PORTS, 3, 17, "node.fdb-capacity: 18446744073709551616 is out of range 1024..16777216" },
	{ "very long integer", "node:\n  vtep-ipv4: 198.18.0.1\n"
	  "  fdb-capacity: 1234567890123456789012345\n" PORTS, 3, 17,
	  "node.fdb-capacity: 1234567890123456789012345 is out of range 1024..16777216" },
	{ "quoted integer", "node:\n  vtep-ipv4: 198.18.0.1\n  ttl: \"64\"\n" PORTS, 3, 8,
	  "node.ttl: expected an integer, got a quoted string" },
	/* booleans and enums */
	{ "boolean yes", BASE BD_A "    learning: yes\n", 14, 15,
	  "mac-vrfs[0].learning: 'yes' is not a boolean (true or false)" },
	{ "boolean True", "node:\n  vtep-ipv4: 198.18.0.1\n  udp6-zero-checksum: True\n" PORTS,
	  3, 23, "node.udp6-zero-checksum: 'True' is not a boolean (true or false)" },
	{ "role", NODE4 "ports:\n  - name: h\n    device: d\n    role: uplink\n", 6, 11,
	  "ports[0].role: 'uplink' is not one of: access, network" },
	{ "admin-state", NODE4 "ports:\n  - {name: h, device: d, role: access, admin-state: up}\n",
	  4, 53, "ports[0].admin-state: 'up' is not one of: disable, enable" },
	/* addresses */
	{ "short MAC", NODE4 "ports:\n  - name: up\n    device: d0\n    role: network\n"
	  "    next-hop-mac: 02:00:00:00:00\n", 7, 19,
	  "ports[0].next-hop-mac: '02:00:00:00:00' is not a MAC address (xx:xx:xx:xx:xx:xx)" },
	{ "MAC with dashes", "node:\n  vtep-ipv4: 198.18.0.1\n  mac: 02-00-00-00-00-01\n" PORTS,
	  3, 8, "node.mac: '02-00-00-00-00-01' is not a MAC address (xx:xx:xx:xx:xx:xx)" },
	{ "multicast node MAC", "node:\n  vtep-ipv4: 198.18.0.1\n  mac: 01:00:5e:00:00:01\n" PORTS,
	  3, 8, "node.mac: 01:00:5e:00:00:01 is a multicast MAC, a unicast MAC is required" },
	{ "bad IPv4", "node:\n  vtep-ipv4: 198.18.0.300\n" PORTS, 2, 14,
	  "node.vtep-ipv4: '198.18.0.300' is not an IPv4 address" },
	{ "IPv6 as vtep-ipv4", "node:\n  vtep-ipv4: 2001:2::1\n" PORTS, 2, 14,
	  "node.vtep-ipv4: '2001:2::1' is not an IPv4 address" },
	{ "IPv4 as vtep-ipv6", "node:\n  vtep-ipv6: 198.18.0.1\n" PORTS, 2, 14,
	  "node.vtep-ipv6: '198.18.0.1' is not an IPv6 address" },
	{ "multicast VTEP", "node:\n  vtep-ipv4: 239.1.1.1\n" PORTS, 2, 14,
	  "node.vtep-ipv4: 239.1.1.1 is a multicast address, a unicast address is required" },
	{ "bad remote VTEP", BASE BD_A "    remote-vteps: [198.18.0.2, 198.18.1]\n", 14, 32,
	  "mac-vrfs[0].remote-vteps[1]: '198.18.1' is not an IP address" },
	/* names */
	{ "name too long", "node:\n  name: abcdefghijabcdefghijabcdefghij012\n" PORTS1, 2, 9,
	  "node.name: 'abcdefghijabcdefghijabcdefghij012' is longer than 31 characters" },
	{ "name with a space", NODE4 "ports:\n  - {name: 'h 1', device: d, role: access}\n",
	  4, 12, "ports[0].name: 'h 1' is not a valid name (letters, digits, '_', '.', '-',"
	  " starting with a letter or digit)" },
	{ "empty device", NODE4 "ports:\n  - {name: h, device: '', role: access}\n", 4, 23,
	  "ports[0].device: must not be empty" },
	/* ports */
	{ "duplicate port name", BASE "  - name: up\n    device: d2\n    role: access\n", 11, 11,
	  "ports[2].name: duplicate port name 'up' (first at line 4)" },
	{ "duplicate device", BASE "  - name: h2\n    device: d1\n    role: access\n", 12, 13,
	  "ports[2].device: device 'd1' is already used by port 'h1'" },
	{ "vlan on an access port", BASE "    vlan: 10\n", 11, 11,
	  "ports[1].vlan: only allowed on a network port (underlay VLAN)" },
	{ "next-hop-mac on an access port", BASE "    next-hop-mac: 02:00:00:00:00:01\n", 11, 19,
	  "ports[1].next-hop-mac: only allowed on a network port" },
	{ "network port without next-hop-mac", NODE4 "ports:\n  - name: up\n    device: d0\n"
	  "    role: network\n", 4, 5,
	  "ports[0]: missing required key 'next-hop-mac' or 'gateways' (network port)" },
	{ "addresses on an access port", BASE "    addresses: [198.18.10.2/30]\n", 11, 16,
	  "ports[1].addresses: only allowed on a network port" },
	{ "gateway outside the port's prefixes", NODE4 "ports:\n  - name: up\n    device: d0\n"
	  "    role: network\n    addresses: [198.18.10.2/30]\n    gateways: [198.18.11.1]\n", 4, 5,
	  "ports[0]: gateway 198.18.11.1 is in no prefix of addresses (evfwd probes it from an"
	  " address of that link)" },
	{ "gateway that is our own address", NODE4 "ports:\n  - name: up\n    device: d0\n"
	  "    role: network\n    addresses: [198.18.10.2/30]\n    gateways: [198.18.10.2]\n", 4, 5,
	  "ports[0]: gateway 198.18.10.2 is also in addresses" },
	{ "gateway listed twice", NODE4 "ports:\n  - name: up\n    device: d0\n"
	  "    role: network\n    addresses: [198.18.10.2/30]\n"
	  "    gateways: [198.18.10.1, 198.18.10.1]\n", 8, 29,
	  "ports[0].gateways[1]: gateway listed twice" },
	{ "probe-interval too short", NODE4 "ports:\n  - name: up\n    device: d0\n"
	  "    role: network\n    next-hop-mac: 02:00:00:00:00:01\n    probe-interval: 5\n", 8, 21,
	  "ports[0].probe-interval: 5 is out of range 10..60000" },
	{ "underlay vlan 4095", NODE4 PORTS "  - name: up2\n    device: d2\n    role: network\n"
	  "    next-hop-mac: 02:00:00:00:00:fd\n    vlan: 4095\n", 15, 11,
	  "ports[2].vlan: 4095 is out of range 1..4094" },
	{ "underlay vlan untagged", NODE4 PORTS "  - name: up2\n    device: d2\n    role: network\n"
	  "    next-hop-mac: 02:00:00:00:00:fd\n    vlan: untagged\n", 15, 11,
	  "ports[2].vlan: 'untagged' is not a decimal integer" },
	{ "five network ports", NODE4 "ports:\n"
	  "  - {name: u0, device: d0, role: network, next-hop-mac: 02:00:00:00:00:01}\n"
	  "  - {name: u1, device: d1, role: network, next-hop-mac: 02:00:00:00:00:01}\n"
	  "  - {name: u2, device: d2, role: network, next-hop-mac: 02:00:00:00:00:01}\n"
	  "  - {name: u3, device: d3, role: network, next-hop-mac: 02:00:00:00:00:01}\n"
	  "  - {name: u4, device: d4, role: network, next-hop-mac: 02:00:00:00:00:01}\n", 8, 34,
	  "ports[4].role: more than 4 network ports" },
	{ "no VTEP address with a network port", "node:\n  name: x\n" PORTS, 2, 3,
	  "node: vtep-ipv4 or vtep-ipv6 is required when there is a network port" },
	/* mac-vrfs */
	{ "duplicate mac-vrf name", BASE BD_A "  - name: a\n    vni: 11\n", 14, 11,
	  "mac-vrfs[1].name: duplicate mac-vrf name 'a' (first at line 12)" },
	{ "duplicate VNI", BASE BD_A "  - name: b\n    vni: 10\n", 15, 10,
	  "mac-vrfs[1].vni: VNI 10 is already used by mac-vrf 'a'" },
	{ "duplicate EVI", BASE BD_A "  - name: b\n    vni: 11\n    evi: 10\n", 16, 10,
	  "mac-vrfs[1].evi: EVI 10 is already used by mac-vrf 'a'" },
	{ "duplicate EVI from the VNI", BASE BD_A "  - name: b\n    vni: 12\n    evi: 11\n"
	  "  - name: c\n    vni: 11\n", 18, 10,
	  "mac-vrfs[2].vni: EVI 11 is already used by mac-vrf 'b' (the EVI is the VNI unless given)" },
	{ "attachment vlan 4095", BASE BD_A "    attachments:\n      - port: h1\n"
	  "        vlan: 4095\n", 16, 15,
	  "mac-vrfs[0].attachments[0].vlan: 4095 is out of range 1..4094" },
	{ "attachment vlan word", BASE BD_A "    attachments:\n      - port: h1\n"
	  "        vlan: native\n", 16, 15,
	  "mac-vrfs[0].attachments[0].vlan: 'native' is not a VLAN (1..4094 or untagged)" },
	{ "attachment vlan untagged with a NUL", BASE BD_A "    attachments:\n      - port: h1\n"
	  "        vlan: \"untagged\\0x\"\n", 16, 15,
	  "mac-vrfs[0].attachments[0].vlan: value contains a NUL character" },
	{ "static MAC vlan untagged with a NUL", BASE BD_A "    attachments:\n      - port: h1\n"
	  "        vlan: untagged\n    static-macs:\n      - mac: 00:c1:ab:00:00:01\n"
	  "        port: h1\n        vlan: \"untagged\\0\"\n", 20, 15,
	  "mac-vrfs[0].static-macs[0].vlan: value contains a NUL character" },
	{ "static MAC twice", BASE BD_A "    attachments: [{port: h1, vlan: untagged}]\n"
	  "    static-macs:\n"
	  "      - {mac: 00:c1:ab:00:00:01, port: h1, vlan: untagged}\n"
	  "      - {mac: 00:c1:ab:00:00:02, port: h1, vlan: untagged}\n"
	  "      - {mac: 00:C1:AB:00:00:01, port: h1, vlan: untagged}\n", 18, 9,
	  "mac-vrfs[0].static-macs[2]: MAC 00:c1:ab:00:00:01 is listed twice (first at line 16)" },
	{ "static MAC also remote", BASE BD_A "    attachments: [{port: h1, vlan: untagged}]\n"
	  "    remote-macs: [{mac: 00:c1:ab:00:00:07, vtep: 198.18.0.2}]\n"
	  "    static-macs:\n"
	  "      - {mac: 00:c1:ab:00:00:01, port: h1, vlan: untagged}\n"
	  "      - {mac: 00:c1:ab:00:00:07, port: h1, vlan: untagged}\n", 18, 9,
	  "mac-vrfs[0].static-macs[1]: MAC 00:c1:ab:00:00:07 is also in remote-macs (line 15)" },
	{ "attachment twice in one mac-vrf", BASE BD_A "    attachments:\n"
	  "      - {port: h1, vlan: 7}\n      - {port: h1, vlan: 7}\n", 16, 9,
	  "mac-vrfs[0].attachments[1]: port 'h1' vlan 7 is already attached to mac-vrf 'a'" },
	{ "attachment in two mac-vrfs", BASE BD_A "    attachments: [{port: h1, vlan: untagged}]\n"
	  "  - name: b\n    vni: 11\n    attachments:\n      - port: h1\n        vlan: untagged\n",
	  18, 9, "mac-vrfs[1].attachments[0]: port 'h1' untagged is already attached"
	  " to mac-vrf 'a'" },
	{ "attachment to an unknown port", BASE BD_A "    attachments:\n      - port: h9\n"
	  "        vlan: 5\n", 15, 15, "mac-vrfs[0].attachments[0].port: unknown port or LAG 'h9'" },
	{ "attachment to a network port", BASE BD_A "    attachments:\n      - port: up\n"
	  "        vlan: 5\n", 15, 15,
	  "mac-vrfs[0].attachments[0].port: 'up' is a network port; attachments need an access port or a LAG" },
	{ "attachment without vlan", BASE BD_A "    attachments:\n      - port: h1\n", 15, 9,
	  "mac-vrfs[0].attachments[0]: missing required key 'vlan'" },
	{ "mac-limit above fdb-capacity", BASE BD_A "    mac-limit: 131073\n", 14, 16,
	  "mac-vrfs[0].mac-limit: 131073 is larger than node.fdb-capacity (131072)" },
	{ "IPv6 remote VTEP without vtep-ipv6", BASE BD_A "    remote-vteps:\n"
	  "      - 198.18.0.2\n      - 2001:2::2\n", 16, 9,
	  "mac-vrfs[0].remote-vteps[1]: 2001:2::2 is IPv6 but node.vtep-ipv6 is not set" },
	{ "IPv4 remote MAC VTEP without vtep-ipv4", "node:\n  vtep-ipv6: 2001:2::1\n" PORTS BD_A
	  "    remote-macs:\n      - mac: 00:c1:ab:00:00:21\n        vtep: 198.18.0.9\n", 16, 15,
	  "mac-vrfs[0].remote-macs[0].vtep: 198.18.0.9 is IPv4 but node.vtep-ipv4 is not set" },
	{ "own VTEP as remote VTEP", BASE BD_A "    remote-vteps: [198.18.0.1]\n", 14, 20,
	  "mac-vrfs[0].remote-vteps[0]: 198.18.0.1 is this node's own vtep-ipv4" },
	{ "remote VTEP twice", BASE BD_A "    remote-vteps:\n      - 198.18.0.2\n"
	  "      - 198.18.0.2\n", 16, 9,
	  "mac-vrfs[0].remote-vteps[1]: 198.18.0.2 is listed twice (first at line 15)" },
	{ "multicast remote MAC", BASE BD_A "    remote-macs:\n      - mac: 33:33:00:00:00:01\n"
	  "        vtep: 198.18.0.2\n", 15, 14, "mac-vrfs[0].remote-macs[0].mac: 33:33:00:00:00:01"
	  " is a multicast MAC, a unicast MAC is required" },
	{ "broadcast remote MAC", BASE BD_A "    remote-macs:\n      - mac: ff:ff:ff:ff:ff:ff\n"
	  "        vtep: 198.18.0.2\n", 15, 14, "mac-vrfs[0].remote-macs[0].mac: ff:ff:ff:ff:ff:ff"
	  " is the broadcast MAC, a unicast MAC is required" },
	{ "zero remote MAC", BASE BD_A "    remote-macs:\n      - mac: 00:00:00:00:00:00\n"
	  "        vtep: 198.18.0.2\n", 15, 14, "mac-vrfs[0].remote-macs[0].mac: 00:00:00:00:00:00"
	  " is the zero MAC, a unicast MAC is required" },
	{ "remote MAC twice", BASE BD_A "    remote-macs:\n"
	  "      - {mac: 00:c1:ab:00:00:02, vtep: 198.18.0.2}\n"
	  "      - {mac: 00:c1:ab:00:00:01, vtep: 198.18.0.2}\n"
	  "      - {mac: 00:C1:AB:00:00:02, vtep: 198.18.0.3}\n"
	  "      - {mac: 00:c1:ab:00:00:01, vtep: 198.18.0.3}\n", 17, 9,
	  "mac-vrfs[0].remote-macs[2]: MAC 00:c1:ab:00:00:02 is listed twice (first at line 15)" },
	/* workers */
	{ "duplicate lcore", BASE "workers:\n  lcores: [1, 2, 1]\n", 12, 18,
	  "workers.lcores[2]: lcore 1 is listed twice" },
	{ "lcores disagree with count", BASE "workers:\n  count: 3\n  lcores: [1, 2]\n", 13, 11,
	  "workers.lcores: 2 lcores listed but count is 3" },
	{ "empty lcores", BASE "workers:\n  lcores: []\n", 12, 11,
	  "workers.lcores: at least one lcore is required when lcores is given" },
	{ "too many workers", BASE "workers:\n  count: 17\n", 12, 10,
	  "workers.count: 17 is out of range 1..16" },
	{ "burst 65", BASE "workers:\n  burst: 65\n", 12, 10,
	  "workers.burst: 65 is out of range 1..64" },
	{ "idle-sleep-us", BASE "workers:\n  idle-sleep-us: 100001\n", 12, 18,
	  "workers.idle-sleep-us: 100001 is out of range 0..100000" },
	{ "workers is a sequence", BASE "workers: [1]\n", 11, 10,
	  "workers: expected a mapping, got a sequence" },
	/* xdp-steering (net_af_xdp network ports only) */
	{ "xdp-steering on a pcap network port", NODE4 "ports:\n  - name: up\n    device: d0\n"
	  "    role: network\n    next-hop-mac: 02:00:00:00:00:fe\n    xdp-steering: vxlan\n", 8, 19,
	  "ports[0].xdp-steering: only allowed on a network port whose device is net_af_xdp" },
	{ "xdp-steering with xdp_prog in the device", NODE4 "ports:\n  - name: up\n"
	  "    device: net_af_xdp0,iface=eth1,xdp_prog=/x.o\n    role: network\n"
	  "    next-hop-mac: 02:00:00:00:00:fe\n    xdp-steering: vxlan\n", 8, 19,
	  "ports[0].xdp-steering: the device already sets xdp_prog" },
	{ "xdp-object without xdp-steering", NODE4 "ports:\n  - name: up\n"
	  "    device: net_af_xdp0,iface=eth1\n    role: network\n"
	  "    next-hop-mac: 02:00:00:00:00:fe\n    xdp-object: /opt/x.o\n", 8, 17,
	  "ports[0].xdp-object: only allowed with xdp-steering: vxlan" },
	/* ethernet-segments (ES_BASE: lines 11-13 a second access port h2, 14-17
	 * segment es1 on h1, its keys at column 5; the next line is 18) */
	{ "duplicate ethernet-segment name", ES_BASE "  - name: es1\n"
	  "    esi: 00:11:11:11:11:11:11:11:11:02\n    interface: h2\n", 18, 11,
	  "ethernet-segments[1].name: duplicate ethernet-segment name 'es1' (first at line 15)" },
	{ "duplicate ESI", ES_BASE "  - name: es2\n    esi: 00:11:11:11:11:11:11:11:11:01\n"
	  "    interface: h2\n", 19, 10, "ethernet-segments[1].esi: ESI 00:11:11:11:11:11:11:11:11:01"
	  " is already used by ethernet-segment 'es1'" },
	{ "duplicate ESI in other letter case", BASE H2 "ethernet-segments:\n"
	  "  - {name: es1, esi: 00:aa:00:00:00:00:00:00:00:01, interface: h1}\n"
	  "  - {name: es2, esi: 00:AA:00:00:00:00:00:00:00:01, interface: h2}\n", 16, 22,
	  "ethernet-segments[1].esi: ESI 00:AA:00:00:00:00:00:00:00:01 is already used by"
	  " ethernet-segment 'es1'" },
	{ "ESI all-zero", BASE "ethernet-segments:\n  - name: es1\n"
	  "    esi: 00:00:00:00:00:00:00:00:00:00\n    interface: h1\n", 13, 10,
	  "ethernet-segments[0].esi: ESI 00:00:00:00:00:00:00:00:00:00 is reserved (all-zero:"
	  " single-homed, all-ones: MAX-ESI)" },
	{ "ESI all-ones", BASE "ethernet-segments:\n  - name: es1\n"
	  "    esi: FF:FF:FF:ff:ff:ff:ff:ff:ff:ff\n    interface: h1\n", 13, 10,
	  "ethernet-segments[0].esi: ESI FF:FF:FF:ff:ff:ff:ff:ff:ff:ff is reserved (all-zero:"
	  " single-homed, all-ones: MAX-ESI)" },
	{ "ESI of nine bytes", BASE "ethernet-segments:\n  - name: es1\n"
	  "    esi: 00:11:11:11:11:11:11:11:11\n    interface: h1\n", 13, 10,
	  "ethernet-segments[0].esi: '00:11:11:11:11:11:11:11:11' is not an ESI"
	  " (ten colon-separated hex bytes)" },
	{ "ESI with dashes", BASE "ethernet-segments:\n  - name: es1\n"
	  "    esi: 00-11-11-11-11-11-11-11-11-01\n    interface: h1\n", 13, 10,
	  "ethernet-segments[0].esi: '00-11-11-11-11-11-11-11-11-01' is not an ESI"
	  " (ten colon-separated hex bytes)" },
	{ "ESI with a bad hex digit", BASE "ethernet-segments:\n  - name: es1\n"
	  "    esi: 00:11:11:11:11:11:11:11:11:0g\n    interface: h1\n", 13, 10,
	  "ethernet-segments[0].esi: '00:11:11:11:11:11:11:11:11:0g' is not an ESI"
	  " (ten colon-separated hex bytes)" },
	{ "segment on an unknown interface", BASE "ethernet-segments:\n  - name: es1\n"
	  "    esi: 00:11:11:11:11:11:11:11:11:01\n    interface: h9\n", 14, 16,
	  "ethernet-segments[0].interface: unknown port or LAG 'h9'" },
	{ "segment on a network port", BASE "ethernet-segments:\n  - name: es1\n"
	  "    esi: 00:11:11:11:11:11:11:11:11:01\n    interface: up\n", 14, 16,
	  "ethernet-segments[0].interface: 'up' is a network port; ethernet segments need an"
	  " access port or a LAG" },
	{ "interface in two segments", ES_BASE "  - name: es2\n"
	  "    esi: 00:11:11:11:11:11:11:11:11:02\n    interface: h1\n", 20, 16,
	  "ethernet-segments[1].interface: interface 'h1' already belongs to ethernet-segment 'es1'" },
	{ "preference without algorithm preference", ES_BASE "    df-election:\n"
	  "      preference: 100\n", 19, 19,
	  "ethernet-segments[0].df-election: preference and dont-preempt need algorithm: preference" },
	{ "dont-preempt with algorithm hrw", ES_BASE
	  "    df-election: {algorithm: hrw, dont-preempt: true}\n", 18, 49,
	  "ethernet-segments[0].df-election: preference and dont-preempt need algorithm: preference" },
	{ "unknown DF algorithm", ES_BASE "    df-election: {algorithm: random}\n", 18, 30,
	  "ethernet-segments[0].df-election.algorithm: 'random' is not one of: modulo, hrw,"
	  " preference" },
	{ "preference 65536", ES_BASE "    df-election: {algorithm: preference, preference: 65536}\n",
	  18, 54, "ethernet-segments[0].df-election.preference: 65536 is out of range 0..65535" },
	{ "bad mode", ES_BASE "    mode: active-active\n", 18, 11,
	  "ethernet-segments[0].mode: 'active-active' is not one of: all-active, single-active" },
	{ "df-timer 101", ES_BASE "    df-timer: 101\n", 18, 15,
	  "ethernet-segments[0].df-timer: 101 is out of range 0..100" },
	{ "negative activation-timer", ES_BASE "    activation-timer: -1\n", 18, 23,
	  "ethernet-segments[0].activation-timer: '-1' is not a decimal integer" },
	{ "segment without interface", BASE "ethernet-segments:\n  - name: es1\n"
	  "    esi: 00:11:11:11:11:11:11:11:11:01\n", 12, 5,
	  "ethernet-segments[0]: missing required key 'interface'" },
	{ "unknown key in a segment", ES_BASE "    vlan: 5\n", 18, 5,
	  "ethernet-segments[0]: unknown key 'vlan'" },
	{ "duplicate key in a segment", ES_BASE "    esi: 00:11:11:11:11:11:11:11:11:02\n", 18, 5,
	  "ethernet-segments[0]: duplicate key 'esi' (first at line 16)" },
	{ "ethernet-segments is a mapping", BASE "ethernet-segments:\n  name: es1\n", 12, 3,
	  "ethernet-segments: expected a sequence, got a mapping" },
	/* mac-vrfs[].mac-duplication */
	{ "num-moves 1", BASE BD_A "    mac-duplication:\n      num-moves: 1\n", 15, 18,
	  "mac-vrfs[0].mac-duplication.num-moves: 1 is out of range 2..1000" },
	{ "num-moves 1001", BASE BD_A "    mac-duplication:\n      num-moves: 1001\n", 15, 18,
	  "mac-vrfs[0].mac-duplication.num-moves: 1001 is out of range 2..1000" },
	{ "monitoring-window 0", BASE BD_A "    mac-duplication: {monitoring-window: 0}\n", 14, 42,
	  "mac-vrfs[0].mac-duplication.monitoring-window: 0 is out of range 1..3600" },
	{ "hold-down 86401", BASE BD_A "    mac-duplication: {hold-down: 86401}\n", 14, 34,
	  "mac-vrfs[0].mac-duplication.hold-down: 86401 is out of range 0..86400" },
	{ "unknown key in mac-duplication", BASE BD_A "    mac-duplication: {num-move: 5}\n", 14, 23,
	  "mac-vrfs[0].mac-duplication: unknown key 'num-move'" },
	{ "mac-duplication is a scalar", BASE BD_A "    mac-duplication: 5\n", 14, 22,
	  "mac-vrfs[0].mac-duplication: expected a mapping, got a scalar" },
	{ "unknown action", BASE BD_A "    mac-duplication: {action: drop}\n", 14, 31,
	  "mac-vrfs[0].mac-duplication.action: 'drop' is not one of: stop-learning, blackhole" },
	{ "action in other letter case", BASE BD_A "    mac-duplication:\n"
	  "      action: Blackhole\n", 15, 15,
	  "mac-vrfs[0].mac-duplication.action: 'Blackhole' is not one of: stop-learning,"
	  " blackhole" },
	{ "action is an integer", BASE BD_A "    mac-duplication:\n      num-moves: 3\n"
	  "      action: 1\n", 16, 15,
	  "mac-vrfs[0].mac-duplication.action: '1' is not one of: stop-learning, blackhole" },
	{ "action is a boolean", BASE BD_A "    mac-duplication: {action: true}\n", 14, 31,
	  "mac-vrfs[0].mac-duplication.action: 'true' is not one of: stop-learning, blackhole" },
	{ "action is a sequence", BASE BD_A "    mac-duplication:\n"
	  "      action: [stop-learning, blackhole]\n", 15, 15,
	  "mac-vrfs[0].mac-duplication.action: expected a string, got a sequence" },
	{ "action is a mapping", BASE BD_A "    mac-duplication: {action: {blackhole: true}}\n",
	  14, 31, "mac-vrfs[0].mac-duplication.action: expected a string, got a mapping" },
	{ "action is null", BASE BD_A "    mac-duplication:\n      action:\n", 15, 14,
	  "mac-vrfs[0].mac-duplication.action: missing value (expected a string)" },
	{ "action given twice", BASE BD_A
	  "    mac-duplication: {action: blackhole, action: stop-learning}\n", 14, 42,
	  "mac-vrfs[0].mac-duplication: duplicate key 'action' (first at line 14)" },
	{ "action outside mac-duplication", BASE BD_A "    action: blackhole\n", 14, 5,
	  "mac-vrfs[0]: unknown key 'action'" },
	/* lags (BASE H2: access ports h1, h2 on lines 8-13; "lags:" is line 14,
	 * "  - name: lag1" line 15, its keys at column 5 from line 16) */
	{ "LAG member unknown", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h9]\n", 16, 19,
	  "lags[0].members[1]: unknown port 'h9'" },
	{ "LAG member is a network port", BASE H2 "lags:\n  - name: lag1\n    members: [h1, up]\n",
	  16, 19, "lags[0].members[1]: 'up' is a network port; LAG members are access ports" },
	{ "LAG member in two LAGs", BASE H2 "lags:\n  - name: lag1\n    members: [h1]\n"
	  "  - name: lag2\n    members: [h2, h1]\n", 18, 19,
	  "lags[1].members[1]: port 'h1' is already a member of LAG 'lag1'" },
	{ "LAG member listed twice", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h1]\n", 16, 19,
	  "lags[0].members[1]: port 'h1' is listed twice" },
	{ "LAG member listed twice, long form", BASE H2 "lags:\n  - name: lag1\n    members:\n"
	  "      - {port: h1}\n      - {port: h1, port-number: 2}\n", 18, 16,
	  "lags[0].members[1].port: port 'h1' is listed twice" },
	{ "duplicate LAG port-number", BASE H2 "lags:\n  - name: lag1\n    members:\n"
	  "      - {port: h1, port-number: 3}\n      - {port: h2, port-number: 3}\n", 18, 9,
	  "lags[0].members[1]: port-number 3 is already used by member 'h1'" },
	{ "explicit port-number equal to a default one", BASE H2 "lags:\n  - name: lag1\n"
	  "    members:\n      - h1\n      - {port: h2, port-number: 1}\n", 18, 9,
	  "lags[0].members[1]: port-number 1 is already used by member 'h1'" },
	{ "LAG port-number 0", BASE H2 "lags:\n  - name: lag1\n    members:\n"
	  "      - {port: h1, port-number: 0}\n", 17, 33,
	  "lags[0].members[0].port-number: 0 is out of range 1..65535" },
	{ "LAG port-priority 65536", BASE H2 "lags:\n  - name: lag1\n    members:\n"
	  "      - {port: h1, port-priority: 65536}\n", 17, 35,
	  "lags[0].members[0].port-priority: 65536 is out of range 1..65535" },
	{ "nine LAG members", BASE H2 "lags:\n  - name: lag1\n"
	  "    members: [h1, h2, h1, h2, h1, h2, h1, h2, h1]\n", 16, 14,
	  "lags[0].members: more than 8 members" },
	{ "empty LAG members", BASE H2 "lags:\n  - name: lag1\n    members: []\n", 16, 14,
	  "lags[0].members: a LAG needs at least one member" },
	{ "LAG without members", BASE H2 "lags:\n  - name: lag1\n    mode: static\n", 15, 5,
	  "lags[0]: missing required key 'members'" },
	{ "LAG named like a port", BASE H2 "lags:\n  - name: h1\n    members: [h2]\n", 15, 11,
	  "lags[0].name: 'h1' is already a port name" },
	{ "duplicate LAG name", BASE H2 "lags:\n  - name: lag1\n    members: [h1]\n"
	  "  - name: lag1\n    members: [h2]\n", 17, 11,
	  "lags[1].name: duplicate LAG name 'lag1' (first at line 15)" },
	{ "lacp block with mode static", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    mode: static\n    lacp: {key: 5}\n", 18, 11,
	  "lags[0].lacp: LACP parameters need mode: lacp" },
	{ "unknown LAG mode", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    mode: active\n", 17, 11, "lags[0].mode: 'active' is not one of: lacp, static" },
	{ "min-links above the member count", BASE H2 "lags:\n  - name: lag1\n"
	  "    members: [h1, h2]\n    min-links: 3\n", 17, 16,
	  "lags[0].min-links: 3 is more than the 2 member(s)" },
	{ "min-links 0", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n    min-links: 0\n",
	  17, 16, "lags[0].min-links: 0 is out of range 1..8" },
	{ "unknown tx-hash", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    tx-hash: l4\n", 17, 14, "lags[0].tx-hash: 'l4' is not one of: l2, l23, l34" },
	{ "multicast LACP system-id", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    lacp: {system-id: \"01:00:5e:00:00:01\"}\n", 17, 23,
	  "lags[0].lacp.system-id: 01:00:5e:00:00:01 is a multicast MAC, a unicast MAC is required" },
	{ "zero LACP system-id", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    lacp:\n      system-id: 00:00:00:00:00:00\n", 18, 18,
	  "lags[0].lacp.system-id: 00:00:00:00:00:00 is the zero MAC, a unicast MAC is required" },
	{ "LACP system-priority 0", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    lacp: {system-priority: 0}\n", 17, 29,
	  "lags[0].lacp.system-priority: 0 is out of range 1..65535" },
	{ "LACP key 65536", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    lacp: {key: 65536}\n", 17, 17, "lags[0].lacp.key: 65536 is out of range 1..65535" },
	{ "unknown LACP interval", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    lacp: {interval: medium}\n", 17, 22,
	  "lags[0].lacp.interval: 'medium' is not one of: slow, fast" },
	{ "unknown key under lacp", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    lacp: {rate: fast}\n", 17, 12, "lags[0].lacp: unknown key 'rate'" },
	{ "management member not in the LAG", BASE H2 "lags:\n  - name: lag1\n    members: [h1]\n"
	  "    management: {member: h2, macs: [\"00:c1:ab:00:0b:01\"]}\n", 17, 26,
	  "lags[0].management.member: 'h2' is not a member of LAG 'lag1'" },
	{ "management without macs or vlan", BASE H2 "lags:\n  - name: lag1\n"
	  "    members: [h1, h2]\n    management: {member: h1}\n", 17, 17,
	  "lags[0].management: management needs 'macs', 'vlan' or both" },
	{ "management MAC listed twice", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    management:\n      member: h1\n      macs: [00:c1:ab:00:0b:01, 00:C1:AB:00:0B:01]\n",
	  19, 33, "lags[0].management.macs[1]: MAC listed twice" },
	{ "management vlan 4095", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  "    management: {member: h1, vlan: 4095}\n", 17, 36,
	  "lags[0].management.vlan: 4095 is out of range 1..4094" },
	{ "attachment on a LAG member", BASE H2 "lags:\n  - name: lag1\n    members: [h1, h2]\n"
	  BD_A "    attachments: [{port: h1, vlan: 5}]\n", 20, 26,
	  "mac-vrfs[0].attachments[0].port: port 'h1' is a member of LAG 'lag1'; attachments go on"
	  " the LAG" },
	{ "ethernet segment on a LAG member", BASE H2 "lags:\n  - name: lag1\n"
	  "    members: [h1, h2]\nethernet-segments:\n  - name: es1\n"
	  "    esi: 00:11:11:11:11:11:11:11:11:01\n    interface: h2\n", 20, 16,
	  "ethernet-segments[0].interface: port 'h2' is a member of LAG 'lag1'; ethernet segments go"
	  " on the LAG" },
	{ "lags is a mapping", BASE H2 "lags:\n  name: lag1\n", 15, 3,
	  "lags: expected a sequence, got a mapping" },
};

static bool
check_bad(const struct bad_case *c)
{
	char err[EVF_CFG_ERR_LEN] = "", prefix[64];
	struct evf_cfg *cfg = load(c->yaml, err, sizeof(err));
	size_t plen;
	bool ok;

	snprintf(prefix, sizeof(prefix), "t.yaml:%u:%u: ", c->line, c->col);
	plen = strlen(prefix);
	ok = cfg == NULL && strncmp(err, prefix, plen) == 0 &&
		strncmp(err + plen, c->msg, strlen(c->msg)) == 0 && strchr(err, '\n') == NULL;
	if (!ok)
		fprintf(stderr, "\nbad config \"%s\":\n  got:  %s\n  want: %s%s\n", c->what,
			cfg == NULL ? err : "(loaded)", prefix, c->msg);
	evf_cfg_free(cfg);
	return ok;
}

static void
test_bad_configs(void)
{
	for (size_t i = 0; i < RTE_DIM(bad_cases); i++)
		CU_ASSERT_TRUE(check_bad(&bad_cases[i]));
}

/* ---- errors outside the YAML ---- */

static void
test_missing_file(void)
{
	char err[EVF_CFG_ERR_LEN];
	struct evf_cfg *cfg = evf_cfg_load("/nonexistent/evf.yaml", err, sizeof(err));

	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "/nonexistent/evf.yaml: cannot open: No such file or directory");
}

static void
test_directory(void)
{
	char err[EVF_CFG_ERR_LEN];
	struct evf_cfg *cfg = evf_cfg_load("/", err, sizeof(err));

	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "/: cannot read: Is a directory");
}

static void
test_load_file(void)
{
	char path[] = "/tmp/test_cfg_XXXXXX", err[EVF_CFG_ERR_LEN], want[128];
	int fd = mkstemp(path);
	struct evf_cfg *cfg;
	FILE *f;

	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(full_yaml, f);
	fclose(f);
	cfg = evf_cfg_load(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(cfg);
	if (cfg != NULL) {
		CU_ASSERT_STRING_EQUAL(cfg->path, path);
		CU_ASSERT_EQUAL(cfg->nb_bds, 2);
	}
	evf_cfg_free(cfg);

	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(BASE "mac-vrfs:\n  - name: a\n    vni: 16777216\n", f);
	fclose(f);
	cfg = evf_cfg_load(path, err, sizeof(err));
	CU_ASSERT_PTR_NULL(cfg);
	snprintf(want, sizeof(want), "%s:13:10: mac-vrfs[0].vni: 16777216 is out of range"
		" 1..16777215", path);
	CU_ASSERT_STRING_EQUAL(err, want);
	unlink(path);
}

/* Errors never overflow the caller's buffer, and err may be NULL. */
static void
test_small_err(void)
{
	static const char yaml[] = BASE "mac-vrfs:\n  - name: a\n    vni: 0\n";
	char err[12];

	memset(err, 'x', sizeof(err));
	CU_ASSERT_PTR_NULL(load(yaml, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "t.yaml:13:1");
	CU_ASSERT_PTR_NULL(load(yaml, NULL, 0));
	CU_ASSERT_PTR_NULL(evf_cfg_load_buffer(NULL, NULL, 0, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "<config>:1:");
	evf_cfg_free(NULL);
}

/* Control characters from the file never break the one-line message. */
static void
test_one_line(void)
{
	static const char yaml[] = "node: {\"a\\nb\": 1}\n" PORTS1;
	char err[EVF_CFG_ERR_LEN];

	CU_ASSERT_PTR_NULL(load(yaml, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "t.yaml:1:8: node: unknown key 'a?b'");
}

/* ---- static MACs at scale, and against fdb-capacity ---- */

static double
mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A config with one MAC-VRF per entry of n[] (VNI and VLAN 10, 11, ...), each with
 * n[i][0] remote-macs then n[i][1] static-macs, all MACs distinct. */
static char *
macs_yaml(unsigned int capacity, const uint32_t (*n)[2], size_t nb_bds)
{
	size_t total = 0, l;
	uint32_t m = 0;
	char *y;

	for (size_t b = 0; b < nb_bds; b++)
		total += n[b][0] + n[b][1];
	y = malloc(total * 64 + nb_bds * 256 + 512);
	if (y == NULL)
		return NULL;
	l = (size_t)sprintf(y, "node: {vtep-ipv4: 198.18.0.1, fdb-capacity: %u}\n"
		"ports:\n  - {name: up, device: d0, role: network, next-hop-mac: 02:00:00:00:00:fe}\n"
		"  - {name: h1, device: d1, role: access}\nmac-vrfs:\n", capacity);
	for (size_t b = 0; b < nb_bds; b++) {
		l += (size_t)sprintf(y + l, "  - name: bd%zu\n    vni: %zu\n"
			"    attachments: [{port: h1, vlan: %zu}]\n", b, 10 + b, 10 + b);
		if (n[b][0] > 0)
			l += (size_t)sprintf(y + l, "    remote-macs:\n");
		for (uint32_t i = 0; i < n[b][0]; i++, m++)
			l += (size_t)sprintf(y + l, "      - {mac: 02:00:%02x:%02x:%02x:%02x,"
				" vtep: 198.18.1.1}\n", m >> 24, (m >> 16) & 255, (m >> 8) & 255, m & 255);
		if (n[b][1] > 0)
			l += (size_t)sprintf(y + l, "    static-macs:\n");
		for (uint32_t i = 0; i < n[b][1]; i++, m++)
			l += (size_t)sprintf(y + l, "      - {mac: 02:00:%02x:%02x:%02x:%02x, port: h1,"
				" vlan: %zu}\n", m >> 24, (m >> 16) & 255, (m >> 8) & 255, m & 255,
				10 + b);
	}
	return y;
}

/* 300,000 static-macs load in about the time of as many remote-macs (the
 * duplicate check once compared every pair: 57 s against 1.4 s). */
static void
test_static_macs_scale(void)
{
	static const uint32_t remote[1][2] = { { 300000, 0 } }, local[1][2] = { { 0, 300000 } };
	char err[EVF_CFG_ERR_LEN], *y;
	double t_remote, t_static;
	struct evf_cfg *cfg;

	y = macs_yaml(1048576, remote, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(y);
	t_remote = mono();
	cfg = load(y, err, sizeof(err));
	t_remote = mono() - t_remote;
	CU_ASSERT_PTR_NOT_NULL(cfg);
	CU_ASSERT(cfg != NULL && cfg->bds[0].nb_macs == 300000);
	evf_cfg_free(cfg);
	free(y);

	y = macs_yaml(1048576, local, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(y);
	t_static = mono();
	cfg = load(y, err, sizeof(err));
	t_static = mono() - t_static;
	if (cfg == NULL)
		fprintf(stderr, "\n    %s\n", err);
	CU_ASSERT(cfg != NULL && cfg->bds[0].nb_local_macs == 300000);
	evf_cfg_free(cfg);
	free(y);
	printf("\n    300,000 remote-macs: %.2f s, 300,000 static-macs: %.2f s\n", t_remote, t_static);
	/* a complexity check, not a benchmark: a quadratic check is 40x slower */
	CU_ASSERT(t_static < 4 * t_remote + 1.0);
}

/* Bring-up puts every remote-macs and static-macs entry of every MAC-VRF in
 * one FDB of node.fdb-capacity entries: the loader counts them the same way. */
static void
test_static_macs_capacity(void)
{
	static const struct {
		uint32_t n[3][2];
		bool ok;
	} cases[] = {
		{ { { 500, 0 }, { 0, 524 }, { 0, 0 } }, true },
		{ { { 500, 0 }, { 0, 525 }, { 0, 0 } }, false },   /* remote in one, static in another */
		{ { { 0, 1000 }, { 0, 25 }, { 0, 0 } }, false },   /* static in two */
		{ { { 300, 300 }, { 200, 200 }, { 0, 25 } }, false },
		{ { { 300, 300 }, { 200, 200 }, { 0, 24 } }, true },
		{ { { 0, 1025 }, { 0, 0 }, { 0, 0 } }, false },
	};
	char err[EVF_CFG_ERR_LEN];

	for (size_t i = 0; i < RTE_DIM(cases); i++) {
		char *y = macs_yaml(1024, cases[i].n, 3);
		struct evf_cfg *cfg;

		CU_ASSERT_PTR_NOT_NULL_FATAL(y);
		cfg = load(y, err, sizeof(err));
		if ((cfg != NULL) != cases[i].ok)
			fprintf(stderr, "\n    case %zu: %s\n", i, cfg != NULL ? "loaded" : err);
		CU_ASSERT_EQUAL(cfg != NULL, cases[i].ok);
		if (cfg == NULL)
			CU_ASSERT_PTR_NOT_NULL(strstr(err, "exceed node.fdb-capacity (1024)"));
		evf_cfg_free(cfg);
		free(y);
	}
}

/* ---- nesting depth ---- */

/* Flow or block nesting deeper than EVF_CFG_MAX_DEPTH is refused where it
 * gets too deep, before libyaml scans the rest (an unclosed "[" repeated
 * 100,000 times took libyaml most of a minute). */
static void
test_depth(void)
{
	const size_t n = 100000;
	char *yaml = malloc(3 * n + 64), err[EVF_CFG_ERR_LEN], want[128];
	struct evf_cfg *cfg;
	struct timespec t0, t1;
	size_t l;

	CU_ASSERT_PTR_NOT_NULL_FATAL(yaml);
	/* unclosed "[" x 100,000: top mapping is level 1, "node:" value level 2 */
	l = (size_t)sprintf(yaml, "node: ");
	memset(yaml + l, '[', n);
	yaml[l + n] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cfg = load(yaml, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CU_ASSERT_PTR_NULL(cfg);
	snprintf(want, sizeof(want), "t.yaml:1:%u: nesting deeper than %u levels",
		 7 + EVF_CFG_MAX_DEPTH - 1, EVF_CFG_MAX_DEPTH);
	CU_ASSERT_STRING_EQUAL(err, want);
	printf("\n    unclosed '[' x %zu: refused in %.3f s: %s\n", n,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, err);
	evf_cfg_free(cfg);

	/* closed flow nesting, 30,000 deep */
	l = (size_t)sprintf(yaml, "node: ");
	memset(yaml + l, '[', 30000);
	memset(yaml + l + 30000, ']', 30000);
	strcpy(yaml + l + 60000, "\n" PORTS1);
	cfg = load(yaml, err, sizeof(err));
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, want);
	evf_cfg_free(cfg);

	/* block sequences, one "- " per level */
	l = (size_t)sprintf(yaml, "node: {}\n" PORTS1 "x:\n");
	for (unsigned int i = 0; i < 200; i++)
		l += (size_t)sprintf(yaml + l, "- ");
	strcpy(yaml + l, "1\n");
	cfg = load(yaml, err, sizeof(err));
	CU_ASSERT_PTR_NULL(cfg);
	snprintf(want, sizeof(want), "t.yaml:4:%u: nesting deeper than %u levels",
		 2 * (EVF_CFG_MAX_DEPTH - 1) + 1, EVF_CFG_MAX_DEPTH);
	CU_ASSERT_STRING_EQUAL(err, want);
	evf_cfg_free(cfg);

	/* exactly the limit is still YAML the loader reads (and then refuses by schema) */
	l = (size_t)sprintf(yaml, "node: {}\n" PORTS1 "x: ");
	memset(yaml + l, '[', EVF_CFG_MAX_DEPTH - 1);
	memset(yaml + l + EVF_CFG_MAX_DEPTH - 1, ']', EVF_CFG_MAX_DEPTH - 1);
	strcpy(yaml + l + 2 * (EVF_CFG_MAX_DEPTH - 1), "\n");
	cfg = load(yaml, err, sizeof(err));
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "t.yaml:3:1: unknown key 'x'");
	evf_cfg_free(cfg);
	free(yaml);
}

/* ---- conf/examples ---- */

static void
test_examples(void)
{
	char path[1024], err[EVF_CFG_ERR_LEN];
	struct dirent *de;
	unsigned int n = 0;
	DIR *d = opendir(examples_dir);

	if (d == NULL) {
		fprintf(stderr, "\n%s: %s\n", examples_dir, strerror(errno));
		CU_FAIL_FATAL("cannot open the examples directory");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct evf_cfg *cfg;

		if (len < 5 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", examples_dir, de->d_name);
		cfg = evf_cfg_load(path, err, sizeof(err));
		if (cfg == NULL)
			fprintf(stderr, "\n%s\n", err);
		CU_ASSERT_PTR_NOT_NULL(cfg);
		evf_cfg_free(cfg);
		n++;
	}
	closedir(d);
	CU_ASSERT(n >= 3);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		CU_TestFunc fn;
	} tests[] = {
		{ "full config, field by field", test_full },
		{ "defaults", test_defaults },
		{ "lags, every key", test_lags },
		{ "valid variants", test_variants },
		{ "mac-duplication action", test_dup_action },
		{ "bad configs", test_bad_configs },
		{ "missing file", test_missing_file },
		{ "directory", test_directory },
		{ "load from a file", test_load_file },
		{ "short error buffer", test_small_err },
		{ "one-line errors", test_one_line },
		{ "nesting depth", test_depth },
		{ "static-macs at scale", test_static_macs_scale },
		{ "static MACs against fdb-capacity", test_static_macs_capacity },
		{ "conf/examples", test_examples },
	};
	unsigned int failures;
	CU_pSuite suite;

	if (argc > 1)
		examples_dir = argv[1];
	else if (getenv("EVF_CONF_EXAMPLES") != NULL)
		examples_dir = getenv("EVF_CONF_EXAMPLES");

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite = CU_add_suite("cfg", NULL, NULL);
	if (suite == NULL)
		goto error;
	for (size_t i = 0; i < RTE_DIM(tests); i++)
		if (CU_add_test(suite, tests[i].name, tests[i].fn) == NULL)
			goto error;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		goto error;
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	printf("%zu bad configs checked\n", RTE_DIM(bad_cases));
	CU_cleanup_registry();
	return failures != 0;
error:
	fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	return 2;
}
