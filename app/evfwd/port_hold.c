/* port_hold.c: --hold-ports (main thread). Before the workers are launched,
 * every port that would forward is marked stopped, exactly like a port
 * configured admin-state: disable (workers poll no stopped port, so a pcap
 * or a NIC queue keeps its frames). Once the command file has run, the ports
 * still held are started through the control thread, as "port start" does;
 * a port the file started or stopped itself is left as the file left it. */
#include <stdbool.h>

#include "evf_ctl.h"
#include "evf_port.h"
#include "evf_port_ctl.h"
#include "port_hold.h"

static bool held[EVF_MAX_PORTS];

unsigned int
evf_port_hold_all(void)
{
	unsigned int n = 0;

	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		struct evf_port *p = &evf_ports[pid];

		if (!p->configured || !evf_port_is_up(p))
			continue;
		/* no worker runs yet: nothing reads admin_up concurrently */
		__atomic_store_n(&p->admin_up, 0, __ATOMIC_RELEASE);
		held[pid] = true;
		n++;
	}
	return n;
}

void
evf_port_hold_forget(uint16_t port_id)
{
	if (port_id < EVF_MAX_PORTS)
		held[port_id] = false;
}

static int
start_ctl(void *arg)
{
	evf_port_admin(*(uint16_t *)arg, true);
	return 0;
}

unsigned int
evf_port_hold_release(void)
{
	unsigned int n = 0;

	for (uint16_t pid = 0; pid < EVF_MAX_PORTS; pid++) {
		if (!held[pid])
			continue;
		held[pid] = false;
		evf_ctl_call(start_ctl, &pid);
		n++;
	}
	return n;
}
