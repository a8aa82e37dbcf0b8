/* proc.c: /proc reading and process helpers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

	fd = open(path, O_WRONLY | O_CLOEXEC);
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

int ctr_proc_exec(char *const argv[])
{
	execvp(argv[0], argv);
	return -1;
}

/* Credentials and parent-death signal (added for unshare). */
#include <grp.h>
#include <poll.h>
#include <sys/prctl.h>

int ctr_proc_setgid(gid_t gid)
{
	if (setgroups(0, NULL) < 0)
		return -1;
	return setresgid(gid, gid, gid);
}

int ctr_proc_setuid(uid_t uid)
{
	return setresuid(uid, uid, uid);
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

int ctr_proc_exec_path(const char *path, char *const argv[])
{
	execv(path, argv);
	return -1;
}
