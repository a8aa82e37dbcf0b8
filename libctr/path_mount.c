/* path_mount.c: mounting onto what an fd of path.c refers to: open_tree/
 * move_mount/fsopen where the kernel has them (probed once), else mount(2)
 * onto /proc/self/fd/N; remount and umount by fd. See include/ctr/path.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/compat.h"
#include "ctr/mount.h"
#include "ctr/path.h"

/* ---- probes ------------------------------------------------------------- */

static int have_mount_api = -1, have_setattr = -1;

/* A syscall the kernel lacks says ENOSYS; a seccomp filter often says
 * EPERM. Called with arguments it must refuse otherwise (EBADF, ENOENT...). */
static int syscall_missing(long rc)
{
	if (rc >= 0)
		close((int)rc);
	return rc < 0 && (errno == ENOSYS || errno == EPERM);
}

int ctr_path_new_mount_api(void)
{
	const char *env;
	int err = errno;

	if (have_mount_api < 0) {
		env = getenv("CTRBOX_MOUNT_API");
		if (env && strcmp(env, "legacy") == 0)
			have_mount_api = 0;
		else
			have_mount_api = !syscall_missing(syscall(SYS_open_tree, -1, "", 0)) &&
					 !syscall_missing(syscall(SYS_move_mount, -1, "", -1, "", 0)) &&
					 !syscall_missing(syscall(SYS_fsopen, "", 0));
		errno = err;
	}
	return have_mount_api;
}

/* ---- mounting by fd ----------------------------------------------------- */

/* mount(2) by fd goes through /proc/self/fd/N: only if /proc is a procfs
 * (in an image, /proc could be a directory of symlinks to anywhere). */
static int proc_fd_path(int fd, char *buf, size_t size)
{
	struct statfs sf;

	if (statfs("/proc/self/fd", &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC) {
		errno = ENOTSUP;
		return -1;
	}
	snprintf(buf, size, "/proc/self/fd/%d", fd);
	return 0;
}

static int attach(int mfd, int dstfd)
{
	int rc = (int)syscall(SYS_move_mount, mfd, "", dstfd, "",
			      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	int err = errno;

	close(mfd);
	errno = err;
	return rc;
}

/* fsopen + fsconfig of each "key[=value]" of data + fsmount. */
static int new_fs(const char *src, const char *fstype, unsigned long flags, const char *data)
{
	int fs, mfd = -1, err;
	char *opts = NULL, *o, *v, *save = NULL;

	fs = (int)syscall(SYS_fsopen, fstype, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	if (src && syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", src, 0) < 0)
		goto out;
	if (flags & MS_RDONLY && syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0)
		goto out;
	if (data && !(opts = strdup(data)))
		goto out;
	for (o = opts ? strtok_r(opts, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save)) {
		v = strchr(o, '=');
		if (v)
			*v++ = '\0';
		if (syscall(SYS_fsconfig, fs, v ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, o,
			    v, 0) < 0)
			goto out;
	}
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto out;
	mfd = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, ctr_mount_attr(flags));
out:
	err = errno;
	free(opts);
	close(fs);
	errno = err;
	return mfd;
}

struct mount_attr_arg {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

int ctr_path_mount(const char *src, int srcfd, int dstfd, const char *fstype,
		   unsigned long flags, const char *data)
{
	char dst[40], from[40];
	int mfd;

	if (ctr_path_new_mount_api()) {
		if (flags & MS_BIND) {
			struct mount_attr_arg a = { .attr_set = ctr_mount_attr(flags) };

			mfd = (int)syscall(SYS_open_tree, srcfd >= 0 ? srcfd : AT_FDCWD,
					   srcfd >= 0 ? "" : src,
					   OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
					   (flags & MS_REC ? AT_RECURSIVE : 0) |
					   (srcfd >= 0 ? AT_EMPTY_PATH : 0));
			/* Per-mount flags on the detached copy's top, before it
			 * is attached: no moment where it is writable. Without
			 * mount_setattr (< 5.12) the caller's remount does it. */
			if (mfd >= 0 && a.attr_set && have_setattr != 0 &&
			    syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0) {
				if (errno != ENOSYS && errno != EPERM) {
					int err = errno;

					close(mfd);
					errno = err;
					return -1;
				}
				have_setattr = 0;
			}
		} else {
			mfd = new_fs(src, fstype, flags, data);
		}
		if (mfd < 0)
			return -1;
		return attach(mfd, dstfd);
	}
	if (proc_fd_path(dstfd, dst, sizeof(dst)) < 0)
		return -1;
	if (flags & MS_BIND) {
		if (srcfd >= 0) {
			snprintf(from, sizeof(from), "/proc/self/fd/%d", srcfd);
			src = from;
		}
		return mount(src, dst, NULL, flags & (MS_BIND | MS_REC), NULL);
	}
	return mount(src, dst, fstype, flags, data);
}


/* A bind remount replaces all per-mount flags: keep the ones set. */
static int remount_keeping(const char *dst, const struct statvfs *sv, unsigned long flags)
{
	static const struct { unsigned long st, ms; } keep[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
		{ ST_RDONLY, MS_RDONLY },
	};
	size_t i;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (sv->f_flag & keep[i].st)
			flags |= keep[i].ms;
	return mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | flags, NULL);
}

/* mount_setattr(2) (5.12) only sets what is asked: 0, or -1 with errno
 * (ENOSYS where the caller remounts instead). */
static int setattr_at(int dirfd, const char *path, int at_flags, unsigned long flags)
{
	struct mount_attr_arg a = { .attr_set = ctr_mount_attr(flags) };

	/* no probe of the rest of the new API: ENOSYS (before 5.12) or
	 * EPERM (a seccomp filter) says it all */
	if (have_setattr != 0) {
		if (syscall(SYS_mount_setattr, dirfd, path, at_flags, &a, sizeof(a)) == 0)
			return 0;
		if (errno != ENOSYS && errno != EPERM)
			return -1;
		have_setattr = 0;
	}
	errno = ENOSYS;
	return -1;
}

int ctr_path_remount(int fd, unsigned long flags)
{
	struct statvfs sv;
	char dst[40];

	if (setattr_at(fd, "", AT_EMPTY_PATH, flags) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	if (fstatvfs(fd, &sv) < 0 || proc_fd_path(fd, dst, sizeof(dst)) < 0)
		return -1;
	return remount_keeping(dst, &sv, flags);
}

int ctr_path_remount_at(const char *path, unsigned long flags)
{
	struct statvfs sv;

	if (setattr_at(AT_FDCWD, path, 0, flags) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	if (statvfs(path, &sv) < 0)
		return -1;
	return remount_keeping(path, &sv, flags);
}

int ctr_path_umount(int fd)
{
	char dst[40];

	if (proc_fd_path(fd, dst, sizeof(dst)) < 0)
		return -1;
	return umount2(dst, MNT_DETACH);
}
