/* swap A B [SECONDS]: exchange two names atomically (renameat2
 * RENAME_EXCHANGE) as fast as possible, for the race tests of tests/path.bats:
 * A is a directory in a root, B a symlink leading outside it, so at every
 * instant A is one or the other. Stops after SECONDS (default 60) or when
 * killed; prints how many exchanges it made. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	unsigned long n = 0;
	time_t end;

	if (argc < 3)
		return 2;
	end = time(NULL) + (argc > 3 ? atoi(argv[3]) : 60);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	while (!stop && (n & 1023 || time(NULL) < end)) {
		if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2],
			    RENAME_EXCHANGE) < 0) {
			perror("renameat2");
			return 1;
		}
		n++;
	}
	/* leave A a directory again */
	if (n & 1)
		syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE);
	printf("%lu\n", n);
	return 0;
}
