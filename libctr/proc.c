/* proc.c: /proc reading and process helpers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ctr/dir.h"
#include "ctr/proc.h"

ssize_t ctr_read_file_at(int dirfd, const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n = 0;
	int fd, err;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

int ctr_write_file(const char *path, const char *buf, size_t len)
{
	ssize_t n;
	int fd, err;

	fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int ctr_write_str(const char *path, const char *s)
{
	return ctr_write_file(path, s, strlen(s));
}

static pid_t name_to_pid(const char *s)
{
	pid_t pid = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		pid = pid * 10 + (*s - '0');
	}
	return pid;
}

struct each_pid {
	int (*fn)(pid_t pid, void *arg);
	void *arg;
};

static int each_pid(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	struct each_pid *x = arg;
	pid_t pid = name_to_pid(name);

	(void)type;
	(void)ino;
	return pid > 0 ? x->fn(pid, x->arg) : 0;
}

int ctr_proc_foreach_pid(int procfd, int (*fn)(pid_t pid, void *arg), void *arg)
{
	struct each_pid x = { fn, arg };
	int fd, rc, err;

	fd = procfd >= 0 ? dup(procfd) : open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	lseek(fd, 0, SEEK_SET);
	rc = ctr_dir_foreach(fd, each_pid, &x);
	err = errno;
	close(fd);
	errno = err;
	return rc;
}

pid_t ctr_proc_wait(pid_t pid, int *status, int flags)
{
	pid_t r;

	do
		r = waitpid(pid, status, flags);
	while (r < 0 && errno == EINTR);
	return r;
}

/* A file the kernel cannot execute (ENOEXEC: no "#!", not ELF) is a shell
 * script to POSIX (exec, XCU 2.9.1.1) and glibc's execvp: run it through
 * /bin/sh with the same arguments. musl's execvp does not, so it is here. */
static void exec_script(const char *file, char *const argv[])
{
	size_t n = 0;

	while (argv[n])
		n++;
	{
		char *sh_argv[n + 2];

		sh_argv[0] = (char *)"/bin/sh";
		sh_argv[1] = (char *)file;
		memcpy(sh_argv + 2, argv + 1, n * sizeof(argv[0]));
		execv("/bin/sh", sh_argv);
	}
	errno = ENOEXEC;	/* report the script's error, not the shell's */
}

static int exec_file(const char *file, char *const argv[])
{
	execv(file, argv);
	if (errno == ENOEXEC)
		exec_script(file, argv);
	return -1;
}

int ctr_proc_exec(char *const argv[])
{
	const char *file = argv[0], *path, *p, *end;
	size_t flen, dlen;
	int eacces = 0;

	if (!file || !*file) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return exec_file(file, argv);
	flen = strlen(file);
	if (flen > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* execvp's search: each PATH element in turn (an empty one is the
	 * current directory); EACCES remembered, ENOENT-like errors go on,
	 * any other error stops the search. */
	path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		if (dlen + flen + 2 <= PATH_MAX) {
			char buf[dlen + flen + 2];

			memcpy(buf, p, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + (dlen > 0), file, flen + 1);
			exec_file(buf, argv);
			if (errno == EACCES)
				eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG)
				return -1;
		}
		if (!*end)
			break;
	}
	errno = eacces ? EACCES : ENOENT;
	return -1;
}

int ctr_proc_exec_shell(const char **shellp)
{
	const char *shell = getenv("SHELL"), *base;

	/* util-linux's exec_shell(): $SHELL, else /bin/sh, argv[0] "-sh". */
	if (!shell)
		shell = "/bin/sh";
	*shellp = shell;
	base = strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell;
	{
		char arg0[strlen(base) + 2];
		char *argv[2] = { arg0, NULL };

		arg0[0] = '-';
		strcpy(arg0 + 1, base);
		execv(shell, argv);
	}
	return -1;
}

/* Credentials and parent-death signal (added for unshare). */
#include <grp.h>
#include <poll.h>
#include <sys/prctl.h>

int ctr_proc_setgid(gid_t gid)
{
	if (syscall(SYS_setgroups, 0, NULL) < 0)
		return -1;
	return (int)syscall(SYS_setresgid, gid, gid, gid);
}

int ctr_proc_setuid(uid_t uid)
{
	return (int)syscall(SYS_setresuid, uid, uid, uid);
}

int ctr_proc_pdeathsig(int sig, int parent_pidfd)
{
	struct pollfd pfd = { .fd = parent_pidfd, .events = POLLIN };

	if (prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) < 0)
		return -1;
	/* A pidfd polls readable once its process has exited. */
	if (parent_pidfd >= 0 && poll(&pfd, 1, 0) > 0) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

unsigned long long ctr_proc_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0 || ctr_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0 ||
	    !(p = strrchr(buf, ')')))
		return 0;
	/* a zombie is dead: a killed monitor waits for its new parent to
	 * reap it, maybe for long */
	if (p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
		return 0;
	/* field 22; p is at the end of field 2 */
	for (i = 2; i < 22 && p; i++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}
