/* fuzz_shell.c: libFuzzer target for the shell's command parser and
 * dispatcher (app/evfwd/shell and the show commands behind it).
 *
 * LLVMFuzzerInitialize starts EAL and brings up one runtime (net_ring ports:
 * an uplink, two hosts and two LACP members of lag1; three MAC-VRFs with
 * static VTEPs and MACs, one of them on the LAG; ES-1 on lag1), never launching
 * the workers or the control thread: evf_ctl_call() then runs the control
 * side inline, as on the control thread.
 *
 * Input: text, cut at newlines into at most 24 lines, each run with
 * evf_shell_exec() (the code path of a command-file line: length and
 * control-character checks, cmdline parsing, the command's handler). After
 * each input, one control loop iteration (evf_ctl_poll_once: timers, RCU
 * reclaim). State carries over from input to input, as in a long session.
 *
 * The quit flag is raised once and stays raised: "sleep N" and "wait idle N"
 * return at once instead of blocking the fuzzer, and "quit" changes nothing.
 * Properties: no crash, no ASan/UBSan report, no leak (LeakSanitizer),
 * evf_shell_exec() answers 0 or -1, and -1 for every line longer than
 * EVF_SHELL_LINE_MAX (refused whole). Then the same bytes go through the
 * command-file line reader (shell_file.c) from a memfd: each line comes back
 * whole and in order (a trailing CR dropped), an over-long one with its full
 * length and refused, and the reader ends exactly at the end of the input. Output goes to /dev/null (-close_fd_mask=3
 * in the fuzz suite); FUZZ_SHELL_TRACE=1 keeps it. Seeds: make_text_seeds.py
 * (--shell): every command of "help" with good and bad arguments. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "evf_cfg.h"
#include "evf_ctl.h"
#include "evf_runtime.h"
#include "shell.h"
#include "shell_private.h"

#define MAX_LINES 24

#define FAIL(...) do { \
	fprintf(stderr, "fuzz_shell: property violated: " __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

static const char fuzz_cfg[] =
	"node:\n"
	"  name: fuzz-shell\n"
	"  vtep-ipv4: 198.18.0.3\n"
	"  vtep-ipv6: 2001:2::3\n"
	"  mac: 02:00:00:00:00:03\n"
	"  fdb-capacity: 1024\n"
	"  mbufs: 4096\n"
	"ports:\n"
	"  - {name: uplink0, device: net_ring0, role: network, next-hop-mac: 02:00:00:00:00:fe,"
	" rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: host1, device: net_ring1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: host2, device: net_ring2, role: access, rx-descriptors: 64, tx-descriptors: 64,"
	" admin-state: disable}\n"
	"  - {name: m1, device: net_ring3, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: m2, device: net_ring4, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"lags:\n"
	"  - name: lag1\n"
	"    members: [{port: m1, port-number: 1}, {port: m2, port-number: 2}]\n"
	"    lacp: {interval: fast, system-id: \"00:00:00:00:00:11\", key: 11}\n"
	"mac-vrfs:\n"
	"  - name: blue\n"
	"    vni: 100\n"
	"    attachments: [{port: host1, vlan: untagged}, {port: lag1, vlan: untagged}]\n"
	"    remote-vteps: [198.18.0.1, 2001:2::1]\n"
	"    remote-macs: [{mac: \"00:c1:ab:00:01:01\", vtep: 198.18.0.1}]\n"
	"    static-macs: [{mac: \"00:c1:ab:00:01:02\", port: host1, vlan: untagged}]\n"
	"  - name: red\n"
	"    vni: 200\n"
	"    attachments: [{port: host2, vlan: 10}]\n"
	"    remote-vteps: [198.18.0.2]\n"
	"  - name: green\n"
	"    vni: 16777215\n"
	"    learning: false\n"
	"    attachments: [{port: host1, vlan: 20}]\n"
	"ethernet-segments:\n"
	"  - {name: ES-1, esi: \"01:11:11:11:11:11:11:00:00:01\", interface: lag1}\n"
	"workers:\n"
	"  count: 1\n";

static bool trace;

static void
die_init(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_shell: initialisation failed: %s%s%s\n", what,
		detail ? ": " : "", detail ? detail : "");
	exit(1);
}

/* The command-file line reader on the same bytes, from a memfd: every line
 * comes back whole (or, over EVF_SHELL_LINE_MAX, flagged by its length and
 * refused), in order, nothing lost or invented. */
static void
check_file_lines(const uint8_t *data, size_t size)
{
	char line[EVF_SHELL_LINE_MAX + 2], why[64];
	struct evf_line_reader r;
	size_t off = 0, len;
	int fd = memfd_create("fuzz_shell", MFD_CLOEXEC), rc;

	if (fd < 0)
		return;
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		FAIL("write to the memfd");
	lseek(fd, 0, SEEK_SET);
	evf_line_reader_init(&r, fd, NULL);
	while ((rc = evf_line_reader_next(&r, line, &len)) == 1) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);
		size_t seg = nl != NULL ? (size_t)(nl - (data + off)) : size - off, want = seg;

		if (off >= size)
			FAIL("a line after the end of the input");
		if (seg > 0 && seg <= EVF_SHELL_LINE_MAX + 1 && data[off + seg - 1] == '\r')
			want--;
		if (len != want)
			FAIL("line at byte %zu: length %zu, the input has %zu", off, len, want);
		if (len <= EVF_SHELL_LINE_MAX && memcmp(line, data + off, len) != 0)
			FAIL("line at byte %zu differs from the input", off);
		if (len > EVF_SHELL_LINE_MAX &&
				evf_shell_line_refused(line, len, why, sizeof(why)) == NULL)
			FAIL("a line of %zu characters not refused", len);
		off += seg + (nl != NULL);
	}
	if (rc != 0 || off != size)
		FAIL("reader stopped at byte %zu of %zu (rc %d)", off, size, rc);
	close(fd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *eal_argv[] = {
		"fuzz_shell", "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
		"-l", "0-1", "-m", "512", "--log-level=*:error", NULL,
	};
	int eal_argc = (int)RTE_DIM(eal_argv) - 1;
	char err[EVF_CFG_ERR_LEN];
	struct evf_cfg *cfg;

	(void)argc;
	(void)argv;
	trace = getenv("FUZZ_SHELL_TRACE") != NULL;
	if (rte_eal_init(eal_argc, eal_argv) < 0)
		die_init("rte_eal_init", rte_strerror(rte_errno));
	cfg = evf_cfg_load_buffer("fuzz_shell", fuzz_cfg, sizeof(fuzz_cfg) - 1, err, sizeof(err));
	if (cfg == NULL)
		die_init("config", err);
	if (evf_bringup(cfg, err, sizeof(err)) < 0)
		die_init("evf_bringup", err);
	evf_cfg_free(cfg);
	/* sleep and wait idle return at once; quit changes nothing */
	evf_shell_request_quit();
	if (!trace && freopen("/dev/null", "w", stdout) == NULL)
		die_init("freopen /dev/null", NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	unsigned int lines = 0;
	char *p, *nl;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* a NUL inside a line ends that C string: the rest of the line is dropped */
	for (p = text; p <= text + size && lines < MAX_LINES; p = nl + 1, lines++) {
		int rc;

		nl = memchr(p, '\n', (size_t)(text + size - p));
		if (nl == NULL)
			nl = text + size;
		*nl = '\0';
		rc = evf_shell_exec(p);
		if (rc != 0 && rc != -1)
			FAIL("evf_shell_exec returned %d", rc);
		/* an over-long line is refused whole: no part of it runs */
		if (strlen(p) > EVF_SHELL_LINE_MAX && rc != -1)
			FAIL("a line of %zu characters was not refused", strlen(p));
		if (trace)
			fprintf(stderr, "fuzz_shell: '%s' -> %d\n", p, rc);
	}
	evf_ctl_poll_once();
	free(text);
	check_file_lines(data, size);
	return 0;
}
