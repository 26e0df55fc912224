/* san_probe.c: the sanitizer build's exit code is set apart (test
 * "sanitizer-exit-code", -Dsanitizers=true builds only).
 *
 * Forks a child per kind of report - a leak, a heap overflow, signed integer
 * overflow (UB) - each of which then exits 1, the code evfwd uses for a
 * failure a test may expect. The sanitizer must end each child with its own
 * exit code (99, from the environment meson test sets) instead, so that a
 * report never passes for an expected failure. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SAN_EXIT 99

static volatile int sink;

static void
leak(void)
{
	char *volatile p = malloc(77);

	memset(p, 1, 77);
	p = NULL;
}

static void
heap_overflow(void)
{
	char *volatile p = malloc(8);
	volatile int i = 8;

	p[i] = 1;   /* one past the end */
	sink = p[0];
	free(p);
}

static void
int_overflow(void)
{
	volatile int x = INT_MAX;

	sink = x + (int)(sink + 1);
}

int
main(void)
{
	static const struct {
		const char *what;
		void (*fn)(void);
	} kinds[] = {
		{ "leak", leak }, { "heap overflow", heap_overflow },
		{ "signed overflow (UB)", int_overflow },
	};
	int failed = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int status = 0;
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			kinds[i].fn();
			exit(1);
		}
		if (waitpid(pid, &status, 0) < 0) {
			perror("waitpid");
			return 2;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == SAN_EXIT) {
			printf("%s: exit %d: ok\n", kinds[i].what, SAN_EXIT);
			continue;
		}
		if (WIFEXITED(status))
			printf("%s: exit %d, expected %d\n", kinds[i].what, WEXITSTATUS(status), SAN_EXIT);
		else
			printf("%s: killed by signal %d, expected exit %d\n", kinds[i].what,
			       WTERMSIG(status), SAN_EXIT);
		failed++;
	}
	return failed != 0;
}
