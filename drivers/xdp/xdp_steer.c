/* xdp_steer.c: user-space side of XDP steering (evf_xdp.h). Main thread at
 * start-up and close; evf_xdp_stats_read() from any non-worker thread.
 *
 * DPDK's net_af_xdp PMD does the loading: given xdp_prog=OBJECT it opens the
 * object, attaches its program to the interface (XDP_FLAGS_UPDATE_IF_NOEXIST)
 * and puts each RX queue's socket into "xsks_map". We never see its
 * bpf_object, so after the port started we find the program through the
 * kernel (interface -> program id -> map ids -> map names) and write our
 * config into evf_xdp_cfg. Until then the program passes everything.
 * Uses libbpf 1.1 calls only (bpf_obj_get_info_by_fd, not the per-type
 * *_get_info_by_fd added in 1.2). Needs CAP_SYS_ADMIN or CAP_BPF. */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "evf_xdp.h"
#include "evf_addr.h"
#include "evf_common.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "evf_vxlan.h"
#include "evf_vxlan_ctl.h"

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)

struct xdp_port {
	bool on;
	char ifname[IF_NAMESIZE];
	uint32_t prog_id;
	int stats_fd;               /**< evf_xdp_stats, kept open for reading */
};

static struct xdp_port xdp_ports[EVF_MAX_PORTS];

static const char *const counter_names[EVF_XDP_NB_COUNTERS] = {
	[EVF_XDP_REDIRECTED] = "redirected",
	[EVF_XDP_PASS_NO_CONFIG] = "pass-no-config",
	[EVF_XDP_PASS_MALFORMED] = "pass-malformed",
	[EVF_XDP_PASS_NOT_IP] = "pass-not-ip",
	[EVF_XDP_PASS_VLAN] = "pass-vlan",
	[EVF_XDP_PASS_OTHER_DST] = "pass-other-dst",
	[EVF_XDP_PASS_FRAGMENT] = "pass-fragment",
	[EVF_XDP_PASS_IPV6_EXT] = "pass-ipv6-ext",
	[EVF_XDP_PASS_NOT_UDP] = "pass-not-udp",
	[EVF_XDP_PASS_OTHER_PORT] = "pass-other-port",
	[EVF_XDP_PASS_NO_SOCKET] = "pass-no-socket",
};

const char *
evf_xdp_counter_name(unsigned int counter)
{
	return counter < EVF_XDP_NB_COUNTERS ? counter_names[counter] : "?";
}

/* Value of "key=" in a devargs string "drv,k1=v1,k2=v2" (out may be NULL).
 * Returns true when the key is present. */
static bool
devarg_get(const char *device, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key);
	const char *p = strchr(device, ',');

	while (p != NULL) {
		const char *item = p + 1, *next = strchr(item, ',');
		size_t len = next ? (size_t)(next - item) : strlen(item);

		if (len > klen && strncmp(item, key, klen) == 0 && item[klen] == '=') {
			if (out != NULL)
				snprintf(out, outlen, "%.*s", (int)(len - klen - 1), item + klen + 1);
			return true;
		}
		p = next;
	}
	return false;
}

/* Id of the XDP program on ifindex (any mode), 0 when none; *off: the
 * "ip link set dev X ..." words that remove it. */
static int
attached_prog(unsigned int ifindex, uint32_t *prog_id, const char **off)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int rc = bpf_xdp_query((int)ifindex, 0, &q);

	if (rc < 0)
		return rc;
	*prog_id = q.prog_id ? q.prog_id : q.drv_prog_id ? q.drv_prog_id :
		q.skb_prog_id ? q.skb_prog_id : q.hw_prog_id;
	*off = q.attach_mode == XDP_ATTACHED_SKB ? "xdpgeneric off" :
		q.attach_mode == XDP_ATTACHED_HW ? "xdpoffload off" : "xdp off";
	return 0;
}

static const char *
object_of(const struct evf_cfg_port *cfg)
{
	return cfg->xdp_object[0] != '\0' ? cfg->xdp_object : EVF_XDP_OBJECT;
}

int
evf_xdp_devargs(const struct evf_cfg_port *cfg, char *out, size_t outlen, char *err, size_t errlen)
{
	char ifname[IF_NAMESIZE + 1] = "";
	const char *obj = object_of(cfg), *off = "";
	unsigned int ifindex;
	uint32_t prog_id = 0;
	int rc;

	if (cfg->xdp_steering != EVF_XDP_STEER_VXLAN) {
		if ((size_t)snprintf(out, outlen, "%s", cfg->device) >= outlen)
			ERR("port %s: device string too long", cfg->name);
		return 0;
	}
	if (devarg_get(cfg->device, "xdp_prog", NULL, 0))
		ERR("port %s: device '%s' already sets xdp_prog; with xdp-steering: vxlan evfwd"
		    " gives the PMD its own program (choose another object with xdp-object)",
		    cfg->name, cfg->device);
	if (!devarg_get(cfg->device, "iface", ifname, sizeof(ifname)) || ifname[0] == '\0')
		ERR("port %s: xdp-steering needs the interface in the device string"
		    " (net_af_xdpN,iface=NAME), got '%s'", cfg->name, cfg->device);
	if (strchr(obj, ',') != NULL)
		ERR("port %s (%s): XDP object path '%s' contains ','", cfg->name, ifname, obj);
	if (access(obj, R_OK) != 0)
		ERR("port %s (%s): cannot read XDP object %s: %s (build it with 'ninja -C build',"
		    " or set xdp-object)", cfg->name, ifname, obj, strerror(errno));
	ifindex = if_nametoindex(ifname);
	if (ifindex == 0)
		ERR("port %s: interface %s: %s", cfg->name, ifname, strerror(errno));
	rc = attached_prog(ifindex, &prog_id, &off);
	if (rc < 0)
		ERR("port %s (%s): cannot query the interface's XDP program: %s", cfg->name,
		    ifname, strerror(-rc));
	if (prog_id != 0)
		ERR("port %s (%s): the interface already runs XDP program id %u (left by a killed"
		    " evfwd or another tool?); remove it with 'ip link set dev %s %s'",
		    cfg->name, ifname, prog_id, ifname, off);
	if ((size_t)snprintf(out, outlen, "%s,xdp_prog=%s", cfg->device, obj) >= outlen)
		ERR("port %s (%s): device string too long with xdp_prog=%s", cfg->name, ifname, obj);
	return 0;
fail:
	return -1;
}

/* Find evfwd's program on the port's interface and write its config. */
static int
steer_start(uint16_t port_id, const struct evf_cfg_port *cp, char *err, size_t errlen)
{
	struct xdp_port *x = &xdp_ports[port_id];
	struct bpf_prog_info info;
	struct evf_xdp_cfg c;
	uint32_t map_ids[8], len, key = 0, prog_id = 0;
	unsigned int ifindex;
	const char *off;
	int prog_fd = -1, cfg_fd = -1, stats_fd = -1, rc;
	char ipbuf[EVF_IP_STRLEN], ip6buf[EVF_IP_STRLEN];

	memset(x, 0, sizeof(*x));
	x->stats_fd = -1;
	devarg_get(cp->device, "iface", x->ifname, sizeof(x->ifname));
	ifindex = if_nametoindex(x->ifname);
	if (ifindex == 0)
		ERR("port %s: interface %s: %s", cp->name, x->ifname, strerror(errno));
	rc = attached_prog(ifindex, &prog_id, &off);
	if (rc < 0)
		ERR("port %s (%s): cannot query the interface's XDP program: %s", cp->name,
		    x->ifname, strerror(-rc));
	if (prog_id == 0)
		ERR("port %s (%s): no XDP program attached after start (the net_af_xdp PMD"
		    " should have attached %s)", cp->name, x->ifname, object_of(cp));
	prog_fd = bpf_prog_get_fd_by_id(prog_id);
	if (prog_fd < 0)
		ERR("port %s (%s): cannot open XDP program id %u: %s (needs CAP_SYS_ADMIN or"
		    " CAP_BPF)", cp->name, x->ifname, prog_id, strerror(errno));
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = RTE_DIM(map_ids);
	info.map_ids = (uint64_t)(uintptr_t)map_ids;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len) != 0)
		ERR("port %s (%s): cannot read XDP program id %u: %s", cp->name, x->ifname,
		    prog_id, strerror(errno));
	if (strcmp(info.name, EVF_XDP_PROG_NAME) != 0)
		ERR("port %s (%s): the interface runs XDP program '%s' (id %u), not evfwd's '%s'"
		    " from %s", cp->name, x->ifname, info.name, prog_id, EVF_XDP_PROG_NAME,
		    object_of(cp));
	for (uint32_t i = 0; i < RTE_MIN(info.nr_map_ids, (uint32_t)RTE_DIM(map_ids)); i++) {
		struct bpf_map_info mi;
		int fd = bpf_map_get_fd_by_id(map_ids[i]);

		if (fd < 0)
			ERR("port %s (%s): cannot open map id %u of XDP program %u: %s", cp->name,
			    x->ifname, map_ids[i], prog_id, strerror(errno));
		memset(&mi, 0, sizeof(mi));
		len = sizeof(mi);
		if (bpf_obj_get_info_by_fd(fd, &mi, &len) != 0) {
			close(fd);
			ERR("port %s (%s): cannot read map id %u: %s", cp->name, x->ifname,
			    map_ids[i], strerror(errno));
		}
		if (strcmp(mi.name, EVF_XDP_CFG_MAP) == 0 && cfg_fd < 0 &&
		    mi.value_size == sizeof(struct evf_xdp_cfg) && mi.max_entries >= 1)
			cfg_fd = fd;
		else if (strcmp(mi.name, EVF_XDP_STATS_MAP) == 0 && stats_fd < 0 &&
			 mi.value_size == sizeof(uint64_t) && mi.max_entries == EVF_XDP_NB_COUNTERS)
			stats_fd = fd;
		else
			close(fd);
	}
	if (cfg_fd < 0 || stats_fd < 0)
		ERR("port %s (%s): XDP program '%s' (id %u) has no usable %s and %s maps: is %s"
		    " built from this evfwd's drivers/xdp?", cp->name, x->ifname, info.name,
		    prog_id, EVF_XDP_CFG_MAP, EVF_XDP_STATS_MAP, object_of(cp));

	memset(&c, 0, sizeof(c));
	c.flags = EVF_XDP_F_ENABLED;
	if (evf_node.ipv4.family == AF_INET) {
		c.vtep4 = evf_node.ipv4.v4;
		c.flags |= EVF_XDP_F_IPV4;
	}
	if (evf_node.ipv6.family == AF_INET6) {
		memcpy(c.vtep6, evf_node.ipv6.v6, sizeof(c.vtep6));
		c.flags |= EVF_XDP_F_IPV6;
	}
	c.udp_port = evf_node.udp_port_be;
	c.vlan = cp->underlay_vlan;
	if (bpf_map_update_elem(cfg_fd, &key, &c, BPF_ANY) != 0)
		ERR("port %s (%s): cannot write the XDP config map: %s", cp->name, x->ifname,
		    strerror(errno));
	close(cfg_fd);
	close(prog_fd);
	x->prog_id = prog_id;
	x->stats_fd = stats_fd;
	x->on = true;
	EVF_LOG(INFO, "port %s: XDP steering on %s (program id %u): VXLAN to %s%s%s udp %u%s"
		" -> AF_XDP, everything else -> kernel", cp->name, x->ifname, prog_id,
		(c.flags & EVF_XDP_F_IPV4) ? evf_ip_fmt(&evf_node.ipv4, ipbuf, sizeof(ipbuf)) : "",
		(c.flags & EVF_XDP_F_IPV4) && (c.flags & EVF_XDP_F_IPV6) ? " or " : "",
		(c.flags & EVF_XDP_F_IPV6) ? evf_ip_fmt(&evf_node.ipv6, ip6buf, sizeof(ip6buf)) : "",
		evf_node.udp_port, c.vlan ? " (802.1Q tagged)" : "");
	return 0;
fail:
	if (stats_fd >= 0)
		close(stats_fd);
	if (cfg_fd >= 0)
		close(cfg_fd);
	if (prog_fd >= 0)
		close(prog_fd);
	return -1;
}

int
evf_xdp_steer_start_all(const struct evf_cfg *cfg, char *err, size_t errlen)
{
	for (uint16_t i = 0; i < cfg->nb_ports; i++) {
		const struct evf_cfg_port *cp = &cfg->ports[i];
		const struct evf_port *p;

		if (cp->xdp_steering != EVF_XDP_STEER_VXLAN)
			continue;
		p = evf_port_by_name(cp->name);
		if (p == NULL)
			ERR("port %s: not set up, cannot start XDP steering", cp->name);
		if (steer_start(p->port_id, cp, err, errlen) < 0)
			return -1;
	}
	return 0;
fail:
	return -1;
}

bool
evf_xdp_steering(uint16_t port_id)
{
	return port_id < EVF_MAX_PORTS && xdp_ports[port_id].on;
}

bool
evf_xdp_any_steering(void)
{
	for (uint16_t p = 0; p < EVF_MAX_PORTS; p++)
		if (xdp_ports[p].on)
			return true;
	return false;
}

int
evf_xdp_info(uint16_t port_id, const char **ifname, uint32_t *prog_id)
{
	if (!evf_xdp_steering(port_id))
		return -ENODEV;
	*ifname = xdp_ports[port_id].ifname;
	*prog_id = xdp_ports[port_id].prog_id;
	return 0;
}

int
evf_xdp_stats_read(uint16_t port_id, uint64_t cnt[EVF_XDP_NB_COUNTERS])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;

	memset(cnt, 0, EVF_XDP_NB_COUNTERS * sizeof(cnt[0]));
	if (!evf_xdp_steering(port_id))
		return -ENODEV;
	if (ncpu <= 0)
		return ncpu < 0 ? ncpu : -EINVAL;
	/* per-CPU lookups fill one 8-byte-aligned value per possible CPU */
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (vals == NULL)
		return -ENOMEM;
	for (uint32_t k = 0; k < EVF_XDP_NB_COUNTERS; k++) {
		if (bpf_map_lookup_elem(xdp_ports[port_id].stats_fd, &k, vals) != 0) {
			int rc = -errno;
			free(vals);
			return rc;
		}
		for (int c = 0; c < ncpu; c++)
			cnt[k] += vals[c];
	}
	free(vals);
	return 0;
}

void
evf_xdp_steer_close(uint16_t port_id)
{
	struct xdp_port *x;
	uint64_t cnt[EVF_XDP_NB_COUNTERS];
	char line[512];
	size_t n = 0;

	if (!evf_xdp_steering(port_id))
		return;
	x = &xdp_ports[port_id];
	if (evf_xdp_stats_read(port_id, cnt) == 0) {
		for (unsigned int k = 0; k < EVF_XDP_NB_COUNTERS && n < sizeof(line); k++)
			if (cnt[k] != 0 || k == EVF_XDP_REDIRECTED)
				n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %" PRIu64,
					counter_names[k], cnt[k]);
		EVF_LOG(INFO, "port %s: XDP steering on %s:%s", evf_ports[port_id].name,
			x->ifname, line);
	}
	close(x->stats_fd);
	memset(x, 0, sizeof(*x));
	x->stats_fd = -1;
}
