/* unit.h: the harness of the unit-test binaries (tests/unit/<module>_test.c,
 * built by `make unit` into $(BUILD)/unit/, run by tests/unit.bats).
 *
 *   static void t_thing(void) { CHECK(x == 1); CHECK_EQ(f(), 2); }
 *   static const struct unit_case cases[] = { UNIT(t_thing), ... };
 *   int main(int argc, char **argv) { return UNIT_MAIN(argc, argv, cases); }
 *
 * Each case runs in a child process of its own (a case may load a seccomp
 * filter, change its credentials or crash); output is TAP. Arguments select
 * cases by name; -l lists them. */
#ifndef UNIT_H
#define UNIT_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct unit_case {
	const char *name;
	void (*fn)(void);
};
#define UNIT(fn) { #fn, fn }
#define UNIT_MAIN(argc, argv, cases) \
	unit_main((argc), (argv), (cases), sizeof(cases) / sizeof((cases)[0]))

static int unit_failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("#   %s:%d: CHECK(%s) failed (errno %d %s)\n", __FILE__, __LINE__, \
		       #cond, errno, strerror(errno)); \
		unit_failures++; \
	} \
} while (0)
#define CHECK_EQ(a, b) do { \
	long long unit_a_ = (long long)(a), unit_b_ = (long long)(b); \
	if (unit_a_ != unit_b_) { \
		printf("#   %s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, \
		       #a, #b, unit_a_, unit_b_); \
		unit_failures++; \
	} \
} while (0)
/* Skip the rest of a case with a reason (exit 77 from the case's child). */
#define UNIT_SKIP(why) do { printf("# skip: %s\n", (why)); fflush(stdout); _exit(77); } while (0)

static int unit_main(int argc, char **argv, const struct unit_case *c, size_t n)
{
	size_t i, run = 0;
	int j, bad = 0, status;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		for (i = 0; i < n; i++)
			printf("%s\n", c[i].name);
		return 0;
	}
	for (i = 0; i < n; i++) {
		int want = argc < 2;
		for (j = 1; j < argc; j++)
			want |= strcmp(argv[j], c[i].name) == 0;
		if (!want)
			continue;
		run++;
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			c[i].fn();
			fflush(stdout);
			_exit(unit_failures ? 1 : 0);
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
			printf("ok %zu %s # skip\n", run, c[i].name);
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("ok %zu %s\n", run, c[i].name);
		} else {
			printf("not ok %zu %s (%s %d)\n", run, c[i].name,
			       WIFSIGNALED(status) ? "signal" : "exit",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			bad++;
		}
	}
	printf("1..%zu\n", run);
	return bad ? 1 : run ? 0 : 2;
}

#endif
