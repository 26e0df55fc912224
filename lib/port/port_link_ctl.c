/* port_link_ctl.c: the link and admin state of a port (control thread).
 * Admin state: "port start|stop" (evf_port_admin), with a hook for the
 * port's owner (a LAG). Link: most PMDs
 * report the real link; net_af_packet and net_af_xdp set "up" at start and
 * never change it, so for them the kernel interface named by "iface=" in the
 * devargs is asked (IFF_UP and IFF_RUNNING: administratively up, carrier). */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "evf_port.h"
#include "evf_port_ctl.h"

static int ioctl_fd = -1;

/* "iface=NAME" of a devargs string, or false. */
static bool
devargs_iface(const char *devargs, char *name, size_t len)
{
	const char *p = strstr(devargs, "iface=");
	size_t n;

	if (p == NULL || (p != devargs && p[-1] != ','))
		return false;
	p += strlen("iface=");
	n = strcspn(p, ",");
	if (n == 0 || n >= len)
		return false;
	memcpy(name, p, n);
	name[n] = '\0';
	return true;
}

static bool
kernel_backed(const struct evf_port *p)
{
	return strcmp(p->driver, "net_af_packet") == 0 || strcmp(p->driver, "net_af_xdp") == 0;
}

bool
evf_port_link_up(uint16_t port_id)
{
	const struct evf_port *p = &evf_ports[port_id];
	struct rte_eth_link link;
	struct ifreq ifr;

	if (rte_eth_link_get_nowait(port_id, &link) != 0 || link.link_status != RTE_ETH_LINK_UP)
		return false;
	if (!kernel_backed(p))
		return true;
	memset(&ifr, 0, sizeof(ifr));
	if (!devargs_iface(p->device, ifr.ifr_name, sizeof(ifr.ifr_name)))
		return true; /* no interface name to ask: trust the PMD */
	if (ioctl_fd < 0)
		ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ioctl_fd < 0 || ioctl(ioctl_fd, SIOCGIFFLAGS, &ifr) < 0)
		return false;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

static evf_port_admin_hook admin_hook;

void
evf_port_set_admin_hook(evf_port_admin_hook hook)
{
	admin_hook = hook;
}

void
evf_port_admin(uint16_t port_id, bool up)
{
	if (port_id >= EVF_MAX_PORTS)
		return;
	if (admin_hook != NULL && admin_hook(port_id, up))
		return;
	__atomic_store_n(&evf_ports[port_id].admin_up, up, __ATOMIC_RELEASE);
}
