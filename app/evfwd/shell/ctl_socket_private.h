/* ctl_socket_private.h: the control socket's state, shared by its files
 * (ctl_socket.c: listening, accepting, the poll loop; ctl_client.c: one
 * client's lines and replies; ctl_socket_show.c: its counters). Main thread
 * only, but for the counters (cnt) and nb_clients, which the metrics thread
 * reads with relaxed loads (the main thread is their only writer). */
#ifndef EVF_CTL_SOCKET_PRIVATE_H
#define EVF_CTL_SOCKET_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "evf_ctlsock_proto.h"
#include "shell_private.h"

/* Counters: name, what "show control-socket" says. */
#define EVF_CTLSOCK_COUNTERS(X) \
	X(accepted,      "connections accepted") \
	X(refused_full,  "connections refused: max-clients reached") \
	X(closed,        "sessions ended by the client") \
	X(quit,          "sessions ended by quit") \
	X(commands,      "commands run") \
	X(failed,        "commands failed") \
	X(requests,      "protocol requests (@...)") \
	X(bad_request,   "unknown protocol requests") \
	X(refused_long,  "lines refused: longer than 1023 characters") \
	X(refused_ctrl,  "lines refused: NUL or control character") \
	X(partial,       "unterminated lines dropped at end of input") \
	X(hangup_cmd,    "clients gone during their command") \
	X(hangup_out,    "clients gone before reading their output") \
	X(dropped_full,  "clients dropped: output buffer full") \
	X(errors,        "socket errors (accept, read, out of memory)") \
	X(bytes_in,      "bytes received") \
	X(bytes_out,     "bytes sent")

struct ctlsock_counters {
#define X(name, text) uint64_t name;
	EVF_CTLSOCK_COUNTERS(X)
#undef X
};

struct ctlsock_client {
	int fd;                    /**< -1: free slot */
	uint64_t id;               /**< connection number, from 1 */
	pid_t pid;                 /**< peer credentials (SO_PEERCRED), -1 unknown */
	uid_t uid;
	uint64_t since_ms;
	uint64_t commands;
	size_t len;                /**< length of the line being read; past
	                                EVF_SHELL_LINE_MAX only counted, not kept */
	char line[EVF_SHELL_LINE_MAX + 2];
	char *out;                 /**< replies not yet sent: out[off..len) */
	size_t out_off, out_len, out_cap;
	bool eof;                  /**< the client shut down its side */
	bool closing;              /**< close once the output is sent */
	bool running;              /**< its command runs now */
	bool gone;                 /**< hung up during its command */
};

struct ctlsock {
	int lfd;                   /**< listening socket, -1 when closed */
	char path[108];
	dev_t dev;                 /**< the socket file we created: unlinked at close only */
	ino_t ino;                 /**< if it is still ours */
	char node[32];
	uint32_t max_clients;
	size_t out_limit;
	struct ctlsock_client *clients;  /**< max_clients slots */
	uint32_t nb_clients, peak;
	uint64_t next_id;
	struct cmdline *cl;        /**< parse context of every client command */
	struct ctlsock_client *running;  /**< the client whose command runs now */
	struct evf_shell_io *running_io;
	struct ctlsock_counters cnt;
};

extern struct ctlsock evf_ctlsock;

/* ctl_client.c */
/** A new connection on fd: greeting, or a refusal when every slot is taken. */
void ctlsock_client_accept(struct ctlsock *s, int fd);
/** fd readable: read once, run the lines that are complete. */
void ctlsock_client_read(struct ctlsock *s, struct ctlsock_client *c);
/** Send what the kernel takes; close when done and closing or at end of input. */
void ctlsock_client_flush(struct ctlsock *s, struct ctlsock_client *c);
/** The peer hung up (POLLHUP/POLLERR). */
void ctlsock_client_hangup(struct ctlsock *s, struct ctlsock_client *c);
/** Free the slot (close the descriptor, drop its output). */
void ctlsock_client_close(struct ctlsock *s, struct ctlsock_client *c);
/** Bytes waiting to be sent. */
static inline size_t
ctlsock_client_pending(const struct ctlsock_client *c)
{
	return c->out_len - c->out_off;
}

#endif /* EVF_CTL_SOCKET_PRIVATE_H */
