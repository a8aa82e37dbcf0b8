/* bench/interleave.c: interleave N CMD1 :: CMD2 [:: CMD3 ...]
 *
 * Runs the commands in turn (CMD1, CMD2, ..., CMD1, CMD2, ...) N times
 * after 5 warm-up rounds, and prints each one's median wall time in us
 * and its ratio to CMD1's median. hyperfine runs one command's runs in a
 * block, so drift between blocks (page cache, the kernel's deferred
 * namespace cleanup, the other CPU) lands on one side of a ratio; taken
 * in turn, both sides see the same machine. Each command runs with
 * stdin and stdout on /dev/null; a failing run stops it (exit 1). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXCMD 8

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* One run of argv: its wall time in us, or -1 if it failed. */
static double run_once(char **argv, int devnull)
{
	double start = now_us();
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return now_us() - start;
}

int main(int argc, char **argv)
{
	char **cmd[MAXCMD];
	double *t;
	int n, nc = 0, i, j, devnull;

	if (argc < 3 || (n = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: interleave N CMD [ARG...] [:: CMD [ARG...]]...\n");
		return 2;
	}
	cmd[nc++] = argv + 2;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "::") != 0)
			continue;
		if (nc == MAXCMD) {
			fprintf(stderr, "interleave: at most %d commands\n", MAXCMD);
			return 2;
		}
		argv[i] = NULL;
		cmd[nc++] = argv + i + 1;
	}
	t = calloc((size_t)n * (size_t)nc, sizeof(*t));
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (!t || devnull < 0) {
		perror("interleave");
		return 1;
	}
	for (i = -5; i < n; i++) {
		for (j = 0; j < nc; j++) {
			double us = run_once(cmd[j], devnull);

			if (us < 0) {
				fprintf(stderr, "interleave: %s failed\n", cmd[j][0]);
				return 1;
			}
			if (i >= 0)
				t[(size_t)j * (size_t)n + (size_t)i] = us;
		}
	}
	for (j = 0; j < nc; j++) {
		double *v = t + (size_t)j * (size_t)n;

		qsort(v, (size_t)n, sizeof(*v), cmp_double);
		printf("%.0f %.3f\n", v[n / 2], v[n / 2] / t[n / 2]);
	}
	free(t);
	return 0;
}
