/* ns.c: namespace types and the syscalls that create, join and pin them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctr/ns.h"

const struct ctr_ns_type ctr_ns_types[CTR_NS_NTYPES] = {
	{ "mnt",    CLONE_NEWNS,     'm', "mount" },
	{ "net",    CLONE_NEWNET,    'n', "net" },
	{ "pid",    CLONE_NEWPID,    'p', "pid" },
	{ "user",   CLONE_NEWUSER,   'U', "user" },
	{ "uts",    CLONE_NEWUTS,    'u', "uts" },
	{ "ipc",    CLONE_NEWIPC,    'i', "ipc" },
	{ "cgroup", CLONE_NEWCGROUP, 'C', "cgroup" },
	{ "time",   CLONE_NEWTIME,   'T', "time" },
};

const struct ctr_ns_type *ctr_ns_by_name(const char *name)
{
	int i;

	for (i = 0; i < CTR_NS_NTYPES; i++)
		if (strcmp(ctr_ns_types[i].name, name) == 0)
			return &ctr_ns_types[i];
	return NULL;
}

const struct ctr_ns_type *ctr_ns_by_flag(int flag)
{
	int i;

	for (i = 0; i < CTR_NS_NTYPES; i++)
		if (ctr_ns_types[i].flag == flag)
			return &ctr_ns_types[i];
	return NULL;
}

const struct ctr_ns_type *ctr_ns_by_opt(char opt)
{
	int i;

	for (i = 0; i < CTR_NS_NTYPES; i++)
		if (ctr_ns_types[i].opt == opt)
			return &ctr_ns_types[i];
	return NULL;
}

int ctr_ns_open(pid_t pid, const char *name)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

int ctr_ns_ino(const char *path, ino_t *ino)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	*ino = st.st_ino;
	return 0;
}

int ctr_ns_unshare(int flags)
{
	return unshare(flags);
}

int ctr_ns_setns(int fd, int nstype)
{
	return setns(fd, nstype);
}

int ctr_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

int ctr_pidfd_getfd(int pidfd, int targetfd, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_getfd, pidfd, targetfd, flags);
}

int ctr_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int ctr_ns_persist_ex(const char *src, const char *target, int *created,
		      struct ctr_err *e)
{
	int fd, err;

	*created = 0;
	fd = open(target, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd >= 0)
		*created = 1;
	else if (errno == EEXIST)
		fd = open(target, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ctr_err_sys(e, "cannot create", "%s", target);
	close(fd);
	if (mount(src, target, "none", MS_BIND, NULL) < 0) {	/* type ignored; not NULL for valgrind */
		err = errno;
		if (*created)
			unlink(target);
		*created = 0;
		return ctr_err_set(e, err, "mount", "%s on %s", src, target);
	}
	return 0;
}

int ctr_ns_unpersist(const char *target, int created, struct ctr_err *e)
{
	if (umount2(target, MNT_DETACH) < 0)
		return ctr_err_sys(e, "umount", "%s", target);
	if (created && unlink(target) < 0)
		return ctr_err_sys(e, "cannot remove", "%s", target);
	return 0;
}

int ctr_ns_time_offset(int clock, long long seconds, struct ctr_err *e)
{
	char buf[64];
	int fd, len;
	ssize_t n;

	len = snprintf(buf, sizeof(buf), "%d %lld 0", clock, seconds);
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return ctr_err_sys(e, "cannot open", "/proc/self/timens_offsets");
	n = write(fd, buf, (size_t)len);
	if (n != len) {
		int err = n < 0 ? errno : EIO;

		close(fd);
		return ctr_err_set(e, err, "cannot write", "/proc/self/timens_offsets");
	}
	close(fd);
	return 0;
}

int ctr_ns_time_enter(struct ctr_err *e)
{
	static const char path[] = "/proc/self/ns/time_for_children";
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ctr_err_sys(e, "cannot open", path);
	r = setns(fd, CLONE_NEWTIME);
	if (r < 0)
		ctr_err_sys(e, "cannot enter the time namespace", path);
	close(fd);
	return r;
}
