/* path.c: paths inside a root resolved by fd (openat2 RESOLVE_IN_ROOT, or a
 * component-by-component O_NOFOLLOW walk), mkdir -p and mount targets made
 * by fd, and mounting by fd (open_tree/move_mount/fsopen, or mount(2) onto
 * /proc/self/fd/N). See include/ctr/path.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/buf.h"
#include "ctr/compat.h"
#include "ctr/mount.h"
#include "ctr/path.h"

/* How often a lookup that met a concurrent rename or swap is retried. */
#define RETRIES 32
/* As the kernel's MAXSYMLINKS. */
#define MAX_LINKS 40

/* ---- probes ------------------------------------------------------------- */

static int have_openat2 = -1, have_mount_api = -1, have_setattr = -1;

int ctr_path_have_openat2(void)
{
	const char *env;

	if (have_openat2 < 0) {
		env = getenv("CTRBOX_OPENAT2");
		have_openat2 = !(env && env[0] == '0');
	}
	return have_openat2;
}

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

/* ---- the user-space walk ---------------------------------------------- */

enum { WALK_OPEN, WALK_MKDIR, WALK_MKFILE };

struct walk {
	int rootfd, flags, mode;
	mode_t perm;
	int (*made)(void *arg, const char *rel);
	void *arg;
	struct ctr_buf rem;     /* the path still to resolve, from pos */
	size_t pos;
	struct ctr_buf done;    /* what cur is: "/a/b", symlink-free */
	int cur;
	int links;
	char name[NAME_MAX + 1];
};

/* The next component of rem into w->name: 1, 0 at the end, -1 too long. */
static int next_name(struct walk *w)
{
	const char *s = w->rem.p ? w->rem.p + w->pos : "", *end;

	while (*s == '/')
		s++;
	if (!*s)
		return 0;
	end = strchrnul(s, '/');
	if (end - s > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(w->name, s, (size_t)(end - s));
	w->name[end - s] = '\0';
	w->pos = (size_t)(end - w->rem.p);
	return 1;
}

static int at_end(const struct walk *w)
{
	const char *s = w->rem.p + w->pos;

	while (*s == '/')
		s++;
	return !*s;
}

/* cur := the root, then down done's components again, none of them a
 * symlink (".." is resolved here, never by the kernel: a directory moved
 * out of the root cannot lead ".." outside). */
static int reopen_done(struct walk *w)
{
	char *p, *s, *save = NULL;
	int fd;

	if (w->cur >= 0)
		close(w->cur);
	w->cur = openat(w->rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w->cur < 0 || !w->done.len)
		return w->cur < 0 ? -1 : 0;
	s = strdup(w->done.p);
	if (!s)
		return -1;
	for (p = strtok_r(s, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		fd = openat(w->cur, p, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			/* swapped for a symlink or a file since: start over */
			errno = EAGAIN;
			free(s);
			return -1;
		}
		close(w->cur);
		w->cur = fd;
	}
	free(s);
	return 0;
}

/* Replace the component just read by the symlink fd points to. */
static int expand_link(struct walk *w, int fd)
{
	struct ctr_buf nrem = CTR_BUF_INIT;
	char target[PATH_MAX];
	ssize_t n;

	if (w->flags & CTR_PATH_NO_SYMLINKS || ++w->links > MAX_LINKS) {
		errno = ELOOP;
		return -1;
	}
	n = readlinkat(fd, "", target, sizeof(target));
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(target)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (ctr_buf_add(&nrem, target, (size_t)n) < 0 || ctr_buf_chr(&nrem, '/') < 0 ||
	    ctr_buf_puts(&nrem, w->rem.p + w->pos) < 0) {
		ctr_buf_free(&nrem);
		return -1;
	}
	ctr_buf_free(&w->rem);
	w->rem = nrem;
	w->pos = 0;
	/* An absolute link starts again at the root: the image's "/". */
	if (target[0] == '/') {
		ctr_buf_reset(&w->done);
		return reopen_done(w);
	}
	return 0;
}

static int tell_made(struct walk *w)
{
	size_t len = w->done.len;
	int rc;

	if (!w->made)
		return 0;
	if (ctr_buf_chr(&w->done, '/') < 0 || ctr_buf_puts(&w->done, w->name) < 0)
		return -1;
	rc = w->made(w->arg, w->done.p);
	w->done.len = len;
	w->done.p[len] = '\0';
	return rc ? -1 : 0;
}

/* Resolve all but the last component: leaves w->cur (the parent) and
 * w->name (the last name, "." for cur itself). Missing directories are made
 * on the way with WALK_MKDIR/WALK_MKFILE (and the last one with MKDIR). */
static int walk_to_last(struct walk *w)
{
	struct stat st;
	int fd, r, last;

	if (reopen_done(w) < 0)
		return -1;
	for (;;) {
		r = next_name(w);
		if (r <= 0) {
			strcpy(w->name, ".");
			return r;
		}
		if (strcmp(w->name, ".") == 0)
			continue;
		if (strcmp(w->name, "..") == 0) {
			char *slash = w->done.len ? strrchr(w->done.p, '/') : NULL;

			if (slash) {
				w->done.len = (size_t)(slash - w->done.p);
				*slash = '\0';
			}
			if (reopen_done(w) < 0)
				return -1;
			continue;
		}
		last = at_end(w);
		fd = openat(w->cur, w->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && w->mode != WALK_OPEN &&
		    !(last && w->mode == WALK_MKFILE)) {
			if (mkdirat(w->cur, w->name, w->perm) == 0) {
				if (tell_made(w) < 0)
					return -1;
			} else if (errno != EEXIST) {
				return -1;
			}
			fd = openat(w->cur, w->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0)
			return (last && errno == ENOENT) ? 0 : -1;
		if (fstat(fd, &st) < 0) {
			close(fd);
			return -1;
		}
		if (S_ISLNK(st.st_mode) && !(last && w->flags & CTR_PATH_NOFOLLOW)) {
			r = expand_link(w, fd);
			close(fd);
			if (r < 0)
				return -1;
			continue;
		}
		if (last) {
			close(fd);
			return 0;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			errno = ENOTDIR;
			return -1;
		}
		close(w->cur);
		w->cur = fd;
		if (ctr_buf_chr(&w->done, '/') < 0 || ctr_buf_puts(&w->done, w->name) < 0)
			return -1;
	}
}

static void walk_free(struct walk *w)
{
	if (w->cur >= 0)
		close(w->cur);
	w->cur = -1;
	ctr_buf_free(&w->rem);
	ctr_buf_free(&w->done);
}

/* The walk, then open the last component from its parent with O_NOFOLLOW:
 * whatever was swapped in since, it is an entry of a directory inside the
 * root. A symlink swapped in is seen (ELOOP, or an O_PATH fd of a link) and
 * the walk starts over. */
static int walk_open(int rootfd, const char *path, int oflags, mode_t mode, int flags,
		     int wmode, mode_t perm, int (*made)(void *, const char *), void *arg)
{
	struct walk w = { .rootfd = rootfd, .flags = flags, .mode = wmode, .perm = perm,
			  .made = made, .arg = arg, .cur = -1 };
	struct stat st;
	int tries, fd = -1, err;

	for (tries = 0; tries < RETRIES; tries++) {
		w.links = 0;
		w.pos = 0;
		ctr_buf_reset(&w.done);
		ctr_buf_reset(&w.rem);
		if (ctr_buf_puts(&w.rem, path) < 0)
			break;
		if (walk_to_last(&w) < 0) {
			if (errno == EAGAIN)
				continue;
			break;
		}
		fd = openat(w.cur, w.name, oflags | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno == EEXIST && wmode == WALK_MKFILE)
			fd = openat(w.cur, w.name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		else if (fd >= 0 && wmode == WALK_MKFILE && tell_made(&w) < 0) {
			close(fd);
			fd = -1;
			break;
		}
		if (fd < 0) {
			if (errno == ELOOP && !(flags & CTR_PATH_NOFOLLOW))
				continue;   /* became a symlink since the walk */
			break;
		}
		if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode) && !(flags & CTR_PATH_NOFOLLOW)) {
			close(fd);
			fd = -1;
			continue;
		}
		/* A directory on the way renamed out of the root while we held it
		 * would have taken the walk outside: ask the kernel where fd is. */
		if (ctr_path_fd_under(rootfd, fd) == 0) {
			close(fd);
			fd = -1;
			errno = EXDEV;
			continue;
		}
		break;
	}
	err = errno;
	walk_free(&w);
	if (fd < 0 && tries == RETRIES && err == EAGAIN)
		err = ELOOP;
	errno = err;
	return fd;
}

/* ---- the public lookups -------------------------------------------------- */

int ctr_path_open(int rootfd, const char *path, int oflags, mode_t mode, int flags)
{
	struct {
		uint64_t flags, mode, resolve;
	} how;
	int tries, fd;

	if (!(oflags & (O_CREAT | O_TMPFILE)))
		mode = 0;
	if (ctr_path_have_openat2() && strlen(path) < PATH_MAX) {
		how.flags = (uint64_t)(oflags | O_CLOEXEC | (flags & CTR_PATH_NOFOLLOW ? O_NOFOLLOW : 0));
		how.mode = mode;
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
			      (flags & CTR_PATH_NO_SYMLINKS ? RESOLVE_NO_SYMLINKS : 0);
		for (tries = 0; tries < RETRIES; tries++) {
			fd = (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof(how));
			if (fd >= 0 || errno != EAGAIN)
				break;
		}
		if (fd >= 0)
			return fd;
		if (errno == ENOSYS || errno == EPERM)
			have_openat2 = 0;
		else if (errno != EINVAL && errno != E2BIG)
			return -1;
	}
	return walk_open(rootfd, path, oflags, mode, flags, WALK_OPEN, 0, NULL, NULL);
}

/* What is there already takes one openat2 (the walk costs a dozen calls). */
static int open_existing(int rootfd, const char *path, int oflags)
{
	int err = errno, fd;

	if (!ctr_path_have_openat2())
		return -1;
	fd = ctr_path_open(rootfd, path, oflags, 0, 0);
	if (fd < 0)
		errno = err;
	return fd;
}

/* A missing last component whose parent is there, nobody to tell (made):
 * the parent by one openat2, the entry made in it (no symlink followed). */
static int make_last(int rootfd, const char *path, int dir, mode_t mode)
{
	const char *name = strrchr(path, '/');
	char parent[PATH_MAX];
	int pfd, fd = -1, err = errno;

	if (!name || !name[1] || strcmp(name, "/.") == 0 || strcmp(name, "/..") == 0 ||
	    (size_t)(name - path) >= sizeof(parent))
		return -1;
	memcpy(parent, path, (size_t)(name - path));
	parent[name - path] = '\0';
	pfd = open_existing(rootfd, parent, O_PATH | O_DIRECTORY);
	if (pfd < 0)
		return -1;
	name++;
	if (!dir)
		fd = openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	else if (mkdirat(pfd, name, mode) == 0)
		fd = openat(pfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(pfd);
	errno = err;
	return fd;
}

int ctr_path_mkdir(int rootfd, const char *path, mode_t mode,
		   int (*made)(void *arg, const char *rel), void *arg)
{
	int fd = open_existing(rootfd, path, O_PATH | O_DIRECTORY);

	if (fd >= 0 || (!made && (fd = make_last(rootfd, path, 1, mode)) >= 0))
		return fd;
	return walk_open(rootfd, path, O_PATH | O_DIRECTORY, 0, 0, WALK_MKDIR, mode, made, arg);
}

int ctr_path_mkfile(int rootfd, const char *path, mode_t mode,
		    int (*made)(void *arg, const char *rel), void *arg)
{
	int fd, o;

	fd = open_existing(rootfd, path, O_PATH);
	if (fd >= 0)
		return fd;
	if (!made)
		fd = make_last(rootfd, path, 0, mode);
	if (fd < 0)
		fd = walk_open(rootfd, path, O_WRONLY | O_CREAT | O_EXCL, mode, 0, WALK_MKFILE,
			       0755, made, arg);
	if (fd < 0)
		return -1;
	/* a new file was opened for writing: hand back an O_PATH fd of it */
	if ((fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY) {
		char self[32];

		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		o = openat(AT_FDCWD, self, O_PATH | O_CLOEXEC);
		if (o < 0)   /* no /proc: the write fd mounts as well */
			return fd;
		close(fd);
		fd = o;
	}
	return fd;
}

int ctr_path_unlink(int rootfd, const char *path, int flags)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	char *dir;
	int dfd, rc, err;

	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		errno = EINVAL;
		return -1;
	}
	dir = strndup(path, slash ? (size_t)(slash - path) : 0);
	if (!dir)
		return -1;
	dfd = ctr_path_open(rootfd, dir, O_PATH | O_DIRECTORY, 0, 0);
	free(dir);
	if (dfd < 0)
		return -1;
	rc = unlinkat(dfd, name, flags);
	err = errno;
	close(dfd);
	errno = err;
	return rc;
}

char *ctr_path_of_fd(int fd)
{
	char self[32], *buf = NULL, *nb;
	size_t size = 256;
	ssize_t n;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	for (;;) {
		nb = realloc(buf, size);
		if (!nb) {
			free(buf);
			return NULL;
		}
		buf = nb;
		n = readlink(self, buf, size);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < size) {
			buf[n] = '\0';
			return buf;
		}
		size *= 2;
	}
}

int ctr_path_fd_under(int rootfd, int fd)
{
	char *r = ctr_path_of_fd(rootfd), *f = r ? ctr_path_of_fd(fd) : NULL;
	size_t n;
	int in;

	if (!f) {
		free(r);
		return -1;
	}
	n = strlen(r);
	in = (n == 1 && r[0] == '/') ||
	     (strncmp(r, f, n) == 0 && (f[n] == '\0' || f[n] == '/'));
	free(r);
	free(f);
	return in;
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


int ctr_path_remount(int fd, unsigned long flags)
{
	static const struct { unsigned long st, ms; } keep[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
		{ ST_RDONLY, MS_RDONLY },
	};
	struct mount_attr_arg a = { .attr_set = ctr_mount_attr(flags) };
	struct statvfs sv;
	char dst[40];
	size_t i;

	/* mount_setattr(2) (5.12) only sets what is asked. */
	if (have_setattr != 0 && ctr_path_new_mount_api()) {
		if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &a, sizeof(a)) == 0)
			return 0;
		if (errno != ENOSYS && errno != EPERM)
			return -1;
		have_setattr = 0;
	}
	/* A bind remount replaces all per-mount flags: keep the ones set. */
	if (fstatvfs(fd, &sv) < 0 || proc_fd_path(fd, dst, sizeof(dst)) < 0)
		return -1;
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (sv.f_flag & keep[i].st)
			flags |= keep[i].ms;
	return mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | flags, NULL);
}

int ctr_path_umount(int fd)
{
	char dst[40];

	if (proc_fd_path(fd, dst, sizeof(dst)) < 0)
		return -1;
	return umount2(dst, MNT_DETACH);
}
