/* evf_ctlsock_proto.h: the control socket's protocol (doc/shell.md), shared
 * by evfwd (shell/ctl_socket.c, main thread) and its clients (evfwd-cli).
 * Plain C: no DPDK.
 *
 * A client writes command lines, each ending with "\n" (at most
 * EVF_CTLSOCK_LINE_MAX characters before it). evfwd answers every line with
 * one reply, in order: any number of lines tagged by their first two bytes,
 *   "| TEXT"   a line of the command's output,
 *   "! TEXT"   why the command failed or the line was refused,
 * and always a last line "= CODE WORDS" (enum evf_ctlsock_status). On
 * connect evfwd first sends a greeting, a reply of its own:
 *   "= 0 evfwd VERSION protocol 1 node NAME".
 * Lines starting with '@' are requests to the server, not shell commands:
 * "@commands" answers the command list ("| SYNTAX<TAB>HELP" per command). */
#ifndef EVF_CTLSOCK_PROTO_H
#define EVF_CTLSOCK_PROTO_H

#define EVF_CTLSOCK_PROTOCOL 1
/** Default directory of the sockets: /run/evfwd/NODE-NAME.sock. */
#define EVF_CTLSOCK_DIR "/run/evfwd"
/** Longest command line (the shell's EVF_SHELL_LINE_MAX), newline not counted. */
#define EVF_CTLSOCK_LINE_MAX 1023

#define EVF_CTLSOCK_TAG_OUT '|'
#define EVF_CTLSOCK_TAG_ERR '!'
#define EVF_CTLSOCK_TAG_END '='

/** CODE of a reply's last line. */
enum evf_ctlsock_status {
	EVF_CTLSOCK_OK = 0,      /**< "= 0 ok": the command ran */
	EVF_CTLSOCK_FAILED = 1,  /**< "= 1 failed": did not parse, or the command failed */
	EVF_CTLSOCK_REFUSED = 2, /**< "= 2 refused": the line was not run (too long, NUL,
	                              control character) */
	EVF_CTLSOCK_CLOSING = 3, /**< "= 3 ...": evfwd closes the connection after this line
	                              (too many clients, evfwd stopping, "quit") */
};

#endif /* EVF_CTLSOCK_PROTO_H */
