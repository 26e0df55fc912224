/* port_hold.h: --hold-ports (main thread): ports stay stopped until the
 * command file has run, so that its routes are in before the first frame. */
#ifndef EVF_PORT_HOLD_H
#define EVF_PORT_HOLD_H

#include <stdint.h>

/** Stop every port that would forward (admin-state enable), before the
 *  workers are launched: the same state as admin-state: disable. Returns how
 *  many ports are held. */
unsigned int evf_port_hold_all(void);
/** A shell command started or stopped this port: the hold leaves it alone. */
void evf_port_hold_forget(uint16_t port_id);
/** Start every port still held (through the control thread, as "port
 *  start" does). Returns how many were started. */
unsigned int evf_port_hold_release(void);

#endif /* EVF_PORT_HOLD_H */
