/* ctl_socket.h: the shell served on a unix socket (main thread only).
 *
 * evfwd listens on the configured path ("control-socket" section); clients
 * (evfwd-cli) send command lines and get replies framed as
 * evf_ctlsock_proto.h describes. Commands run on the main thread, exactly as
 * typed in the shell, whenever the main thread waits: between keys of the
 * interactive shell, while a command file waits for input, in sleep and
 * wait idle, and in the headless wait. Workers and the control thread never
 * touch the socket. */
#ifndef EVF_CTL_SOCKET_H
#define EVF_CTL_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "evf_cfg.h"
#include "evf_counters.h"

/** Listen on cfg->ctlsock.path (nothing when the section is absent): the
 *  parent directory is created 0700 when missing, the socket is mode 0600,
 *  a stale socket file is replaced, a live one (another evfwd) or a file
 *  that is not a socket is an error. Call before other threads exist (it
 *  sets the umask for a moment). Returns 0, or -1 with err set. */
int evf_ctlsock_open(const struct evf_cfg *cfg, char *err, size_t errlen);
/** Wait up to timeout_ms for events on fd (-1: none, just wait) while serving
 *  the socket's clients. Returns fd's revents (0 on timeout or a signal). When
 *  called from inside a client's command (sleep, wait idle), serves nobody
 *  and only watches that client for a hang-up, which interrupts the command.
 *  Without a socket it is a plain poll(). */
int evf_ctlsock_poll(int fd, short events, int timeout_ms);
/** Tell every client evfwd stops, close them, close and unlink the socket. */
void evf_ctlsock_close(void);
/** The socket's path, or NULL when there is none. */
const char *evf_ctlsock_path(void);
/** "show control-socket": path, limits, counters and connected clients. */
void evf_ctlsock_show(FILE *out);
/** Its JSON form (doc/shell.md). 0 or -ENOMEM. */
int evf_ctlsock_show_json(FILE *out, const char *unused);
/** The socket's counters as a set (names as "show control-socket" prints
 *  them); any thread may read it (relaxed loads, the main thread writes). */
void evf_ctlsock_counter_set(struct evf_counter_set *set);
/** Clients connected now, and whether the socket is open (any thread). */
uint32_t evf_ctlsock_clients(void);
bool evf_ctlsock_enabled(void);

#endif /* EVF_CTL_SOCKET_H */
