/* props-probe.c: a static probe run inside ctrrun containers by
 * tests/ctrrun-props.bats. Each verb prints what the kernel answered:
 * "ok" or the errno's number, so the test compares plain text.
 *   sys          syscalls the seccomp filter must answer (ENGINE-NOTES 5, 8.2-3)
 *   fds          the fds open in this process (exec'd as pid 1: what it got)
 *   exe PID      open /proc/PID/exe for writing and reading
 *   open PATH    open PATH read-only
 *   alloc MIB    allocate and touch MIB MiB, then print "done"
 *   forks N      fork up to N children that wait; print how many forks
 *                succeeded, how many failed and the first errno */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long rc)
{
	if (rc < 0)
		printf("%s %d\n", what, errno);
	else
		printf("%s ok\n", what);
	fflush(stdout);
}

/* Run fn in a child: the filter may kill it (SIGSYS). */
static void in_child(const char *what, long (*fn)(void))
{
	int st;
	pid_t p = fork();

	if (p == 0) {
		long r = fn();
		_exit(r < 0 ? (errno & 0x7f) : 0x80);
	}
	waitpid(p, &st, 0);
	if (WIFSIGNALED(st))
		printf("%s killed %d\n", what, WTERMSIG(st));
	else if (WEXITSTATUS(st) == 0x80)
		printf("%s ok\n", what);
	else
		printf("%s %d\n", what, WEXITSTATUS(st));
	fflush(stdout);
}

static long int80_getpid(void)
{
	long r;

	/* i386 getpid is 20 */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static long x32_getpid(void)
{
	return syscall(0x40000000L | SYS_getpid);
}

static long clone_newuser(void)
{
	long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);

	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "sys")) {
		show("nr1000", syscall(1000));
		show("clone3", syscall(435, NULL, 0));
		show("unshare", unshare(0));
		show("setns", syscall(SYS_setns, -1, 0));
		show("mount", syscall(SYS_mount, NULL, NULL, NULL, 0, NULL));
		in_child("clone_newuser", clone_newuser);
		show("vsock", socket(40, SOCK_STREAM, 0));
		show("alg", socket(38, SOCK_SEQPACKET, 0));
		show("personality_query", personality(0xffffffff));
		show("personality_norandom", personality(ADDR_NO_RANDOMIZE));
		in_child("int80", int80_getpid);
		in_child("x32", x32_getpid);
		show("fork", fork() == 0 ? (_exit(0), 0) : (wait(NULL), 0));
		return 0;
	}
	if (!strcmp(argv[1], "fds")) {
		DIR *d = opendir("/proc/self/fd");
		struct dirent *e;

		if (!d)
			return 1;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
				printf("%s\n", e->d_name);
		return 0;
	}
	if (!strcmp(argv[1], "exe") && argc > 2) {
		char p[64];

		snprintf(p, sizeof(p), "/proc/%s/exe", argv[2]);
		show("write", open(p, O_WRONLY));
		show("read", open(p, O_RDONLY));
		return 0;
	}
	if (!strcmp(argv[1], "open") && argc > 2) {
		show(argv[2], open(argv[2], O_RDONLY));
		return 0;
	}
	if (!strcmp(argv[1], "forks") && argc > 2) {
		int i, n = atoi(argv[2]), ok = 0, bad = 0, err = 0;
		pid_t kids[4096];

		for (i = 0; i < n && i < 4096; i++) {
			pid_t p = fork();

			if (p == 0) {
				pause();
				_exit(0);
			}
			if (p < 0) {
				if (!bad++)
					err = errno;
				continue;
			}
			kids[ok++] = p;
		}
		printf("forked %d failed %d errno %d\n", ok, bad, err);
		for (i = 0; i < ok; i++)
			kill(kids[i], SIGKILL);
		while (wait(NULL) > 0)
			;
		return 0;
	}
	if (!strcmp(argv[1], "alloc") && argc > 2) {
		long i, n = atol(argv[2]);

		for (i = 0; i < n; i++) {
			char *m = malloc(1 << 20);

			if (!m)
				return 1;
			memset(m, 1, 1 << 20);
		}
		puts("done");
		return 0;
	}
	return 2;
}
