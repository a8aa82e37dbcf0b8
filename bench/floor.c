/* floor: the least a program can do to run a command in new or existing
 * namespaces, the floor bench/ns.sh measures unshare and nsenter against.
 * No option parsing beyond the flags, no messages, no checks.
 *
 *   floor [-m -u -i -n -p -C -T -U] [-f] [-P] PROG ARGS...
 *       unshare(2) the namespaces; -f forks (PID namespace), -P also makes
 *       mounts private and mounts a fresh /proc in the child, like
 *       unshare --mount-proc. Without -f: unshare then exec.
 *   floor -t PID [-a | -m -u ...] PROG ARGS...
 *       pidfd_open(PID) and one setns(pidfd, flags); -a is every type but
 *       user (the caller's own); forks when the PID namespace is entered.
 *
 * Built static by bench/ns.sh: musl-gcc -static -Os -s. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int main(int argc, char *argv[])
{
	int flags = 0, fork_ = 0, proc = 0, pid = 0, status, i;
	pid_t child;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		switch (argv[i][1]) {
		case 'm': flags |= CLONE_NEWNS; break;
		case 'u': flags |= CLONE_NEWUTS; break;
		case 'i': flags |= CLONE_NEWIPC; break;
		case 'n': flags |= CLONE_NEWNET; break;
		case 'p': flags |= CLONE_NEWPID; break;
		case 'C': flags |= CLONE_NEWCGROUP; break;
		case 'T': flags |= CLONE_NEWTIME; break;
		case 'U': flags |= CLONE_NEWUSER; break;
		case 'a': flags |= CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
				   CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME; break;
		case 'f': fork_ = 1; break;
		case 'P': proc = 1; flags |= CLONE_NEWNS; break;
		case 't': pid = atoi(argv[++i]); break;
		default: return 2;
		}
	}
	if (i >= argc)
		return 2;
	if (pid) {
		int fd = (int)syscall(SYS_pidfd_open, pid, 0);

		if (fd < 0 || setns(fd, flags) < 0)
			return 1;
		close(fd);
		fork_ = (flags & CLONE_NEWPID) != 0;
	} else if (unshare(flags) < 0) {
		return 1;
	}
	if (fork_) {
		child = fork();
		if (child < 0)
			return 1;
		if (child > 0) {
			if (waitpid(child, &status, 0) < 0)
				return 1;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
	}
	if (proc && (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		     mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0))
		return 1;
	execvp(argv[i], argv + i);
	return 127;
}
