/* main.c: evfwd-cli, the client of a running evfwd's control socket (one
 * thread, no DPDK): one command from the arguments, commands from standard
 * input, or an interactive session on a terminal (cli_interactive.c).
 * Output lines go to stdout, evfwd's error lines to stderr; the exit status
 * says whether every command ran (enum cli_exit). */
#include <dirent.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: evfwd-cli [-s SOCKET | -n NODE] [-t SECONDS] [COMMAND...]\n"
		"  -s, --socket PATH   evfwd's control socket (default: $EVFWD_SOCKET, else the\n"
		"                      only socket in " EVF_CTLSOCK_DIR "/, else "
		EVF_CTLSOCK_DIR "/evfwd.sock)\n"
		"  -n, --node NAME     the socket of node NAME: " EVF_CTLSOCK_DIR "/NAME.sock\n"
		"  -t, --timeout S     give up when a reply takes more than S seconds\n"
		"  -h, --help          this text\n"
		"COMMAND: one shell command (\"evfwd-cli show fdb\"); without it, an interactive\n"
		"session on a terminal, or one command per line from standard input.\n"
		"Exit status: 0 every command ran; 1 a command failed or was refused (evfwd's\n"
		"message on stderr); 2 bad usage; 3 no connection, connection lost, timeout.\n");
}

/* The default socket: the environment, the only one in the directory, or
 * the default name. */
static int
default_socket(char *buf, size_t size)
{
	const char *env = getenv("EVFWD_SOCKET");
	char found[8][256];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if (env != NULL && env[0] != '\0') {
		snprintf(buf, size, "%s", env);
		return 0;
	}
	snprintf(buf, size, "%s/evfwd.sock", EVF_CTLSOCK_DIR);
	dir = opendir(EVF_CTLSOCK_DIR);
	if (dir == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL) {
		size_t len = strlen(d->d_name);

		if (len > 5 && strcmp(d->d_name + len - 5, ".sock") == 0 && n < 8)
			snprintf(found[n++], sizeof(found[0]), "%s", d->d_name);
	}
	closedir(dir);
	if (n == 1)
		snprintf(buf, size, "%s/%s", EVF_CTLSOCK_DIR, found[0]);
	if (n > 1) {
		fprintf(stderr, "evfwd-cli: several sockets in %s (", EVF_CTLSOCK_DIR);
		for (int i = 0; i < n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", found[i]);
		fprintf(stderr, "): choose one with -n NODE or -s PATH\n");
		return -1;
	}
	return 0;
}

/* "quit" and "exit" leave evfwd-cli; they never stop evfwd */
static bool
is_local_quit(const char *line)
{
	size_t n;

	line += strspn(line, " \t");
	n = strcspn(line, " \t");
	return (n == 4 && (strncmp(line, "quit", 4) == 0 || strncmp(line, "exit", 4) == 0)) &&
		line[n + strspn(line + n, " \t")] == '\0';
}

static int
status_of(const struct cli_reply *r)
{
	if (r->code == EVF_CTLSOCK_OK)
		return CLI_EXIT_OK;
	if (r->code == EVF_CTLSOCK_FAILED || r->code == EVF_CTLSOCK_REFUSED)
		return CLI_EXIT_FAILED;
	return CLI_EXIT_CONN;
}

/* One command: its words joined by spaces. */
static int
one_shot(struct cli_conn *c, int argc, char **argv)
{
	char line[EVF_CTLSOCK_LINE_MAX + 2];
	struct cli_reply r;
	size_t off = 0;

	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (strpbrk(argv[i], "\r\n") != NULL) {
			fprintf(stderr, "evfwd-cli: a command is one line: no newline in its words\n");
			return CLI_EXIT_USAGE;
		}
		if (off + n + (i > 0) > EVF_CTLSOCK_LINE_MAX) {
			fprintf(stderr, "evfwd-cli: line longer than %d characters: not run\n",
				EVF_CTLSOCK_LINE_MAX);
			return CLI_EXIT_FAILED;
		}
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", i ? " " : "", argv[i]);
	}
	if (is_local_quit(line))
		return CLI_EXIT_OK;
	if (cli_command(c, line, cli_print_line, NULL, &r) < 0) {
		fflush(stdout);
		fprintf(stderr, "evfwd-cli: %s\n", r.error);
		return CLI_EXIT_CONN;
	}
	fflush(stdout);
	if (r.code == EVF_CTLSOCK_CLOSING)
		fprintf(stderr, "evfwd-cli: evfwd ended the session (%s)\n", r.words);
	return status_of(&r);
}

/* One command per line of standard input; every line runs, the worst status wins. */
static int
from_stdin(struct cli_conn *c)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int status = CLI_EXIT_OK;

	while ((len = getline(&line, &cap, stdin)) > 0) {
		struct cli_reply r;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (is_local_quit(line))
			break;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			fprintf(stderr, "evfwd-cli: stdin:%lu: line contains a NUL character: not run\n",
				lineno);
			status = CLI_EXIT_FAILED;
			continue;
		}
		if (cli_command(c, line, cli_print_line, NULL, &r) < 0) {
			fflush(stdout);
			fprintf(stderr, "evfwd-cli: stdin:%lu: %s\n", lineno, r.error);
			status = CLI_EXIT_CONN;
			break;
		}
		fflush(stdout);
		if (status_of(&r) > status)
			status = status_of(&r);
		if (r.code == EVF_CTLSOCK_CLOSING)
			break;
	}
	free(line);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "node", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char path[512] = "";
	struct cli_conn c = { .fd = -1 };
	struct cli_reply r;
	int timeout_ms = -1, opt, status;

	/* "+": options end at the first command word */
	while ((opt = getopt_long(argc, argv, "+s:n:t:h", longopts, NULL)) != -1) {
		char *end;
		long v;

		switch (opt) {
		case 's':
			snprintf(path, sizeof(path), "%s", optarg);
			break;
		case 'n':
			if (optarg[0] == '\0' || strchr(optarg, '/') != NULL) {
				fprintf(stderr, "evfwd-cli: -n takes a node name, not a path\n");
				return CLI_EXIT_USAGE;
			}
			snprintf(path, sizeof(path), "%s/%s.sock", EVF_CTLSOCK_DIR, optarg);
			break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > 86400) {
				fprintf(stderr, "evfwd-cli: -t: '%s' is not 1..86400 seconds\n", optarg);
				return CLI_EXIT_USAGE;
			}
			timeout_ms = (int)v * 1000;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		default:
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (path[0] == '\0' && default_socket(path, sizeof(path)) < 0)
		return CLI_EXIT_USAGE;
	if (cli_connect(&c, path, timeout_ms, &r) < 0) {
		fprintf(stderr, "evfwd-cli: %s\n", r.error);
		return CLI_EXIT_CONN;
	}
	if (optind < argc)
		status = one_shot(&c, argc - optind, argv + optind);
	else if (isatty(STDIN_FILENO))
		status = cli_interactive(&c);
	else
		status = from_stdin(&c);
	cli_close(&c);
	return status;
}
