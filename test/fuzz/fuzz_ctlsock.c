/* fuzz_ctlsock.c: libFuzzer target for the control socket's server side
 * (app/evfwd/shell/ctl_socket.c, ctl_client.c) on a brought-up runtime.
 *
 * LLVMFuzzerInitialize starts EAL, brings up a small runtime (net_ring
 * ports, one MAC-VRF; workers and control thread never launched, so
 * evf_ctl_call() runs the control side inline) and opens a control socket
 * in a fresh directory under $TMPDIR. The quit flag is raised once: "sleep"
 * and "wait idle" return at once, and the serving loop itself never ends.
 *
 * Input: the bytes one client sends. Each input connects a client, takes
 * the greeting, writes the bytes (in pieces as the socket takes them, with
 * evf_ctlsock_poll() serving in between), shuts its side down and reads
 * until evfwd closes the connection. Properties: no crash, no sanitizer
 * report, no leak; evfwd closes the connection in bounded time; every line
 * it sent is tagged ("| ", "! " or "= CODE"); there is one reply per
 * complete input line (fewer only after a "= 3" that ends the session), in
 * order, and its code is 2 exactly for the lines the shell refuses (over
 * 1023 characters, NUL or control character); an unterminated last line
 * runs nothing and counts as partial. Output: nothing on stdout/stderr but
 * failures (-close_fd_mask=1 keeps stderr). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "ctl_socket.h"
#include "ctl_socket_private.h"
#include "evf_cfg.h"
#include "evf_runtime.h"
#include "shell.h"

#define FUZZ_MAX_INPUT (96u * 1024u)

#define FAIL(...) do { \
	fprintf(stderr, "fuzz_ctlsock: property violated: " __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

static char sock_path[108];
static char sock_dir[96];

static void
die_init(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ctlsock: initialisation failed: %s%s%s\n", what,
		detail ? ": " : "", detail ? detail : "");
	exit(1);
}

static void
cleanup(void)
{
	evf_ctlsock_close();
	rmdir(sock_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *eal_argv[] = {
		"fuzz_ctlsock", "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
		"-l", "0-1", "-m", "256", "--log-level=*:error", NULL,
	};
	const char *tmp = getenv("TMPDIR");
	char err[EVF_CFG_ERR_LEN], *text;
	struct evf_cfg *cfg;
	int n;
	(void)argc; (void)argv;

	snprintf(sock_dir, sizeof(sock_dir), "%s/evf-fuzz-ctlsock-%d", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid());
	snprintf(sock_path, sizeof(sock_path), "%s/ctl.sock", sock_dir);
	n = asprintf(&text,
		"node: {name: fuzz-ctlsock, vtep-ipv4: 198.18.0.3, mac: \"02:00:00:00:00:03\","
		" fdb-capacity: 1024, mbufs: 2048}\n"
		"ports:\n"
		"  - {name: uplink, device: net_ring0, role: network, next-hop-mac: 02:00:00:00:00:fe,"
		" rx-descriptors: 64, tx-descriptors: 64}\n"
		"  - {name: host1, device: net_ring1, role: access, rx-descriptors: 64,"
		" tx-descriptors: 64}\n"
		"mac-vrfs:\n"
		"  - {name: blue, vni: 100, attachments: [{port: host1, vlan: untagged}],"
		" remote-vteps: [198.18.0.1]}\n"
		"control-socket: {path: %s, max-clients: 4, output-buffer: 65536}\n", sock_path);
	if (n < 0)
		die_init("out of memory", NULL);
	if (rte_eal_init((int)RTE_DIM(eal_argv) - 1, eal_argv) < 0)
		die_init("rte_eal_init", rte_strerror(rte_errno));
	cfg = evf_cfg_load_buffer("fuzz_ctlsock", text, strlen(text), err, sizeof(err));
	free(text);
	if (cfg == NULL)
		die_init("config", err);
	if (evf_ctlsock_open(cfg, err, sizeof(err)) < 0)
		die_init("control socket", err);
	atexit(cleanup);
	if (evf_bringup(cfg, err, sizeof(err)) < 0)
		die_init("evf_bringup", err);
	evf_cfg_free(cfg);
	evf_shell_request_quit(); /* sleep and wait idle return at once */
	return 0;
}

/* What evfwd must answer a complete line with. */
static int
refused(const uint8_t *p, size_t len)
{
	if (len > 0 && p[len - 1] == '\r')
		len--;
	if (len > EVF_SHELL_LINE_MAX)
		return 1;
	for (size_t i = 0; i < len; i++)
		if (p[i] == 0 || (p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return 1;
	return 0;
}

/* Serve and read until evfwd closes the connection; the replies into *out. */
static void
converse(int fd, const uint8_t *data, size_t size, char **out, size_t *outlen)
{
	size_t sent = 0, cap = 65536, len = 0;
	char *buf = malloc(cap);
	bool shut = false;

	if (buf == NULL)
		FAIL("out of memory");
	for (unsigned int round = 0;; round++) {
		ssize_t n;

		if (round > 200000)
			FAIL("evfwd did not close the connection (sent %zu of %zu)", sent, size);
		if (sent < size) {
			n = send(fd, data + sent, size - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				sent = size; /* evfwd closed it (quit): nothing more to send */
		}
		if (sent == size && !shut) {
			shutdown(fd, SHUT_WR);
			shut = true;
		}
		evf_ctlsock_poll(-1, 0, 0);
		for (;;) {
			if (len == cap) {
				char *b = realloc(buf, cap *= 2);

				if (b == NULL)
					FAIL("out of memory");
				buf = b;
			}
			n = recv(fd, buf + len, cap - len, MSG_DONTWAIT);
			if (n > 0) {
				len += (size_t)n;
				continue;
			}
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
				*out = buf;
				*outlen = len;
				return;
			}
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint64_t partial0 = evf_ctlsock.cnt.partial, dropped0 = evf_ctlsock.cnt.dropped_full;
	size_t outlen, lines = 0, ends = 0, pos = 0, off = 0;
	bool closed_early = false, last_partial;
	char *out = NULL;
	int fd;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		FAIL("cannot connect: %s", strerror(errno));
	converse(fd, data, size, &out, &outlen);
	close(fd);
	evf_ctlsock_poll(-1, 0, 0);
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	last_partial = size > 0 && data[size - 1] != '\n';
	/* every line tagged; the codes in order against the input lines */
	while (pos < outlen) {
		char *nl = memchr(out + pos, '\n', outlen - pos), *l = out + pos;

		if (nl == NULL)
			FAIL("an unterminated line from evfwd at byte %zu", pos);
		*nl = '\0';
		pos = (size_t)(nl - out) + 1;
		if (l[0] == '|' || (l[0] == '!' && l[1] == ' '))
			continue;
		if (l[0] != '=' || l[1] != ' ' || l[2] < '0' || l[2] > '3' || (l[3] && l[3] != ' '))
			FAIL("a line without a tag: '%.60s'", l);
		if (ends++ == 0)
			continue; /* the greeting */
		if (closed_early)
			FAIL("a reply after the session ended");
		{
			const uint8_t *nlin = memchr(data + off, '\n', size - off);
			size_t seg = nlin ? (size_t)(nlin - (data + off)) : size - off;

			if (nlin == NULL)
				FAIL("a reply to an unterminated line");
			if ((l[2] == '2') != (refused(data + off, seg) == 1))
				FAIL("line at byte %zu answered %c", off, l[2]);
			off += seg + 1;
		}
		if (l[2] == '3')
			closed_early = true;
	}
	if (ends == 0)
		FAIL("no greeting");
	/* commands with big output faster than we read within one chunk: dropped,
	 * as a client that does not read is */
	if (evf_ctlsock.cnt.dropped_full != dropped0)
		closed_early = true;
	if (!closed_early && ends - 1 != lines)
		FAIL("%zu replies for %zu lines", ends - 1, lines);
	if (!closed_early && last_partial && evf_ctlsock.cnt.partial != partial0 + 1)
		FAIL("an unterminated last line not counted as partial");
	if (evf_ctlsock.nb_clients != 0)
		FAIL("%u client(s) left after the connection closed", evf_ctlsock.nb_clients);
	free(out);
	return 0;
}
