/* rootfs.c: switching a mount namespace's root, as an ordered list of steps
 * with an undo log, and the capability dropping the initramfs case needs. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/caps.h"
#include "ctr/compat.h"
#include "ctr/mount.h"
#include "ctr/path.h"
#include "ctr/rootfs.h"

enum undo_kind { UNDO_UMOUNT, UNDO_REMOVE };

/* Undo entries name paths relative to the new root; undoing resolves them
 * inside it again, by fd. */
struct ctr_rootfs_undo {
	enum undo_kind kind;
	char *path;
};

/* ---- the undo log ---------------------------------------------------- */

static int push_undo(struct ctr_rootfs *r, enum undo_kind kind, const char *path)
{
	struct ctr_rootfs_undo *n;

	if (r->nundo == r->undo_cap) {
		size_t cap = r->undo_cap ? r->undo_cap * 2 : 16;

		n = realloc(r->undo, cap * sizeof(*n));
		if (!n)
			return -1;
		r->undo = n;
		r->undo_cap = cap;
	}
	r->undo[r->nundo].path = strdup(path);
	if (!r->undo[r->nundo].path)
		return -1;
	r->undo[r->nundo++].kind = kind;
	return 0;
}

/* ctr_path_mkdir/mkfile tell us each directory or file they create. */
static int made(void *arg, const char *rel)
{
	return push_undo(arg, UNDO_REMOVE, rel) < 0 ? ENOMEM : 0;
}

/* rel inside the root, for messages: "/new/root/a/b". */
static const char *inside(const char *rel)
{
	while (*rel == '/')
		rel++;
	return rel;
}

void ctr_rootfs_release(struct ctr_rootfs *r)
{
	while (r->nundo)
		free(r->undo[--r->nundo].path);
	free(r->undo);
	r->undo = NULL;
	r->undo_cap = 0;
	if (r->root[0] && r->rootfd >= 0)
		close(r->rootfd);
	free(r->put_old);
	r->put_old = NULL;
	r->rootfd = -1;
}

void ctr_rootfs_undo(struct ctr_rootfs *r)
{
	int err = errno, fd;

	while (r->nundo && r->rootfd >= 0) {
		struct ctr_rootfs_undo *u = &r->undo[--r->nundo];

		/* MNT_DETACH also takes the mounts stacked below u->path away. */
		if (u->kind == UNDO_UMOUNT) {
			fd = ctr_path_open(r->rootfd, u->path, O_PATH, 0, CTR_PATH_NOFOLLOW);
			if (fd >= 0 && ctr_path_umount(fd) < 0 && errno == ENOTSUP) {
				/* no procfs to name the fd: by path, not following */
				char *p = malloc(strlen(r->root) + strlen(u->path) + 2);

				if (p) {
					sprintf(p, "%s/%s", r->root, inside(u->path));
					umount2(p, MNT_DETACH | UMOUNT_NOFOLLOW);
					free(p);
				}
			}
			if (fd >= 0)
				close(fd);
		} else if (ctr_path_unlink(r->rootfd, u->path, AT_REMOVEDIR) < 0 &&
			   errno == ENOTDIR) {
			ctr_path_unlink(r->rootfd, u->path, 0);
		}
		free(u->path);
	}
	ctr_rootfs_release(r);
	errno = err;
}

/* ---- mounts, by fd ----------------------------------------------------- */


/* Mount onto dstfd, logged for undo as rel. */
static int do_mount(struct ctr_rootfs *r, const char *rel, const char *src, int srcfd,
		    int dstfd, const char *fstype, unsigned long flags, const char *data,
		    const char *what, struct ctr_err *e)
{
	if (ctr_path_mount(src, srcfd, dstfd, fstype, flags, data) < 0)
		return ctr_err_sys(e, what, "%s/%s", r->root, inside(rel));
	if (push_undo(r, UNDO_UMOUNT, rel) < 0)
		return ctr_err_set(e, ENOMEM, "out of memory", NULL);
	return 0;
}

/* The mount now at rel (its root, not the dir below that dstfd names). */
static int reopen(struct ctr_rootfs *r, const char *rel, struct ctr_err *e)
{
	int fd = ctr_path_open(r->rootfd, rel, O_PATH, 0, 0);

	if (fd < 0)
		return ctr_err_sys(e, "cannot open", "%s/%s", r->root, inside(rel));
	return fd;
}

static int remount_ro(struct ctr_rootfs *r, const char *rel, struct ctr_err *e)
{
	int fd = reopen(r, rel, e), rc;

	if (fd < 0)
		return -1;
	rc = ctr_path_remount(fd, MS_RDONLY);
	if (rc < 0)
		ctr_err_sys(e, "cannot remount read-only", "%s/%s", r->root, inside(rel));
	close(fd);
	return rc;
}

/* A directory for a kernel filesystem (/proc, /dev): a plain directory, made
 * if missing, never a symlink - an image's "proc -> /x" would otherwise send
 * the mount elsewhere (runc CVE-2023-27561, CVE-2026-41579). */
static int plain_dir(struct ctr_rootfs *r, const char *rel, const char *what,
		     struct ctr_err *e)
{
	int fd = ctr_path_open(r->rootfd, rel, O_PATH | O_DIRECTORY, 0,
			       CTR_PATH_NO_SYMLINKS);

	if (fd < 0 && errno == ENOENT)
		fd = ctr_path_mkdir(r->rootfd, rel, 0755, made, r);
	if (fd < 0 && errno == ELOOP)
		return ctr_err_set(e, ELOOP, what, "%s/%s is a symlink", r->root, inside(rel));
	if (fd < 0)
		return ctr_err_sys(e, what, "%s/%s", r->root, inside(rel));
	return fd;
}

/* ---- the steps, in order --------------------------------------------- */

/* pivot_root(2) wants neither the new root's parent mount nor the current
 * root's to be shared, and our mounts must not propagate back to the
 * namespace we came from: make the whole tree private first. */
static int step_private(struct ctr_rootfs *r, struct ctr_err *e)
{
	int fd;

	if (ctr_mount_propagation("/", MS_PRIVATE, 1, e) < 0)
		return -1;
	/* The caller may have entered a new mount namespace since
	 * ctr_rootfs_check: hold the root of this one (the kernel refuses to
	 * mount onto an fd of another namespace's mount). */
	fd = open(r->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ctr_err_sys(e, "new root", "%s", r->root);
	if (r->rootfd >= 0)
		close(r->rootfd);
	r->rootfd = fd;
	return 0;
}

/* pivot_root(2) and MS_MOVE need the new root to be a mount: bind it onto
 * itself unless it is one already. With --ro always bind, so that the
 * read-only remount hits our copy and not a mount the caller owns. Then hold
 * the bind's root: every later step works below it, by fd. */
static int step_self_bind(struct ctr_rootfs *r, struct ctr_err *e)
{
	/* Without /proc (mountinfo unreadable) bind anyway: binding a mount
	 * point onto itself is harmless. */
	int mp = ctr_mount_is_mountpoint(r->root), fd;

	if (mp > 0 && !r->ro)
		return 0;
	if (do_mount(r, "/", NULL, r->rootfd, r->rootfd, NULL, MS_BIND | MS_REC, NULL,
		     "cannot bind the new root onto itself", e) < 0)
		return -1;
	/* r->root is the caller's own path, checked by ctr_rootfs_check. */
	fd = open(r->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ctr_err_sys(e, "new root", "%s", r->root);
	close(r->rootfd);
	r->rootfd = fd;
	return 0;
}

static int step_binds(struct ctr_rootfs *r, struct ctr_err *e)
{
	struct stat st;
	size_t i;
	int src, dst, rc;

	for (i = 0; i < r->nbinds; i++) {
		const struct ctr_bind *b = &r->binds[i];

		/* The source is the caller's path; the target resolves inside
		 * the new root, whatever symlinks the image holds. */
		src = open(b->src, O_PATH | O_CLOEXEC);
		if (src < 0 || fstat(src, &st) < 0) {
			rc = ctr_err_sys(e, "bind source", "%s", b->src);
			goto next;
		}
		if (S_ISDIR(st.st_mode))
			dst = ctr_path_mkdir(r->rootfd, b->dst, 0755, made, r);
		else
			dst = ctr_path_mkfile(r->rootfd, b->dst, 0644, made, r);
		if (dst < 0) {
			rc = ctr_err_sys(e, "bind target", "%s/%s", r->root, inside(b->dst));
			goto next;
		}
		rc = do_mount(r, b->dst, NULL, src, dst, NULL,
			      MS_BIND | MS_REC | (b->ro ? MS_RDONLY : 0), NULL, "mount", e);
		close(dst);
		if (rc == 0 && b->ro)
			rc = remount_ro(r, b->dst, e);
next:
		if (src >= 0)
			close(src);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int step_proc(struct ctr_rootfs *r, struct ctr_err *e)
{
	int fd, rc;

	if (!r->proc)
		return 0;
	fd = plain_dir(r, "/proc", "proc mount point", e);
	if (fd < 0)
		return -1;
	rc = do_mount(r, "/proc", "proc", -1, fd, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		      NULL, "mount proc", e);
	close(fd);
	return rc;
}

/* The host's node to bind when mknod is not allowed, checked to be the
 * device it names (CVE-2025-31133: a /dev/null swapped for a symlink to a
 * file made runc bind that file). */
static int host_node(const char *name, unsigned int major, unsigned int minor)
{
	char path[32];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(major, minor)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	return fd;
}

/* A /dev for programs that expect one: a small tmpfs with the six usual
 * character devices, a private devpts instance and a shm tmpfs, all made
 * through an fd of the new tmpfs. */
static int step_dev(struct ctr_rootfs *r, struct ctr_err *e)
{
	static const struct { const char *name; unsigned int major, minor; } nodes[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	static const struct { const char *name, *target; } links[] = {
		{ "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	/* Only the tmpfs is logged for undo: detaching it takes the node
	 * binds, devpts and shm below it along. */
	size_t i;
	int dev, fd, host, rc = -1;

	if (!r->dev)
		return 0;
	fd = plain_dir(r, "/dev", "dev mount point", e);
	if (fd < 0)
		return -1;
	rc = do_mount(r, "/dev", "tmpfs", -1, fd, "tmpfs", MS_NOSUID | MS_NOEXEC,
		      "mode=755,size=64k", "mount", e);
	close(fd);
	if (rc < 0 || (dev = reopen(r, "/dev", e)) < 0)
		return -1;
	rc = -1;
	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		/* fchmodat: mknod's mode went through the umask. */
		if (mknodat(dev, nodes[i].name, S_IFCHR | 0666,
			    makedev(nodes[i].major, nodes[i].minor)) == 0) {
			if (fchmodat(dev, nodes[i].name, 0666, 0) < 0) {
				ctr_err_sys(e, "chmod", "%s/dev/%s", r->root, nodes[i].name);
				goto out;
			}
			continue;
		}
		/* No CAP_MKNOD (a user namespace): bind the host's node instead. */
		fd = openat(dev, nodes[i].name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			ctr_err_sys(e, "cannot create", "%s/dev/%s", r->root, nodes[i].name);
			goto out;
		}
		host = host_node(nodes[i].name, nodes[i].major, nodes[i].minor);
		if (host < 0 || ctr_path_mount(NULL, host, fd, NULL, MS_BIND, NULL) < 0) {
			ctr_err_sys(e, "mount", "%s/dev/%s", r->root, nodes[i].name);
			if (host >= 0)
				close(host);
			close(fd);
			goto out;
		}
		close(host);
		close(fd);
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (symlinkat(links[i].target, dev, links[i].name) < 0) {
			ctr_err_sys(e, "cannot create", "%s/dev/%s", r->root, links[i].name);
			goto out;
		}
	}
	/* newinstance: a devpts of our own, not the host's ptys. */
	if (mkdirat(dev, "pts", 0755) < 0 ||
	    (fd = openat(dev, "pts", O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ctr_err_sys(e, "cannot create", "%s/dev/pts", r->root);
		goto out;
	}
	rc = ctr_path_mount("devpts", -1, fd, "devpts", MS_NOSUID | MS_NOEXEC,
			    "newinstance,ptmxmode=0666,mode=0620");
	close(fd);
	if (rc < 0) {
		ctr_err_sys(e, "mount", "%s/dev/pts", r->root);
		goto out;
	}
	rc = -1;
	if (mkdirat(dev, "shm", 01777) < 0 || fchmodat(dev, "shm", 01777, 0) < 0 ||
	    (fd = openat(dev, "shm", O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ctr_err_sys(e, "cannot create", "%s/dev/shm", r->root);
		goto out;
	}
	rc = ctr_path_mount("shm", -1, fd, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	close(fd);
	if (rc < 0)
		ctr_err_sys(e, "mount", "%s/dev/shm", r->root);
out:
	close(dev);
	return rc;
}

/* The put-old directory, made inside the root; pivot_root(2) gets its path
 * as the kernel names it (an image's symlinks and ".." already resolved). */
static int step_put_old(struct ctr_rootfs *r, struct ctr_err *e)
{
	size_t n = strlen(r->root);
	char *real;
	int fd;

	if (!r->keep_old || r->chroot)
		return 0;
	fd = ctr_path_mkdir(r->rootfd, r->keep_old, 0755, made, r);
	if (fd < 0)
		return ctr_err_sys(e, "put-old directory", "%s/%s", r->root, inside(r->keep_old));
	real = ctr_path_of_fd(fd);
	close(fd);
	free(r->put_old);
	r->put_old = NULL;
	if (real && strncmp(real, r->root, n) == 0 && real[n] == '/')
		r->put_old = strdup(real + n + 1);
	free(real);
	if (!r->put_old)   /* no /proc: the kernel resolves the name again */
		r->put_old = strdup(inside(r->keep_old));
	if (!r->put_old)
		return ctr_err_set(e, ENOMEM, "out of memory", NULL);
	return 0;
}

static int step_ro(struct ctr_rootfs *r, struct ctr_err *e)
{
	return r->ro ? remount_ro(r, "/", e) : 0;
}

static int (*const prepare_steps[])(struct ctr_rootfs *, struct ctr_err *) = {
	step_private, step_self_bind, step_binds, step_proc, step_dev, step_put_old, step_ro,
};

int ctr_rootfs_check(struct ctr_rootfs *r, struct ctr_err *e)
{
	struct stat st;

	if (!realpath(r->newroot, r->root) || stat(r->root, &st) < 0)
		return ctr_err_sys(e, "new root", "%s", r->newroot);
	if (!S_ISDIR(st.st_mode))
		return ctr_err_set(e, ENOTDIR, "new root", "%s", r->newroot);
	if (strcmp(r->root, "/") == 0)
		return ctr_err_set(e, EINVAL, "new root", "%s is the current root", r->newroot);
	/* From here on the root is this fd, and paths inside it resolve from
	 * it (libctr/path.c), not from strings. */
	r->rootfd = open(r->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->rootfd < 0)
		return ctr_err_sys(e, "new root", "%s", r->newroot);
	return 0;
}

int ctr_rootfs_prepare(struct ctr_rootfs *r, struct ctr_err *e)
{
	size_t i;

	r->nundo = 0;
	for (i = 0; i < sizeof(prepare_steps) / sizeof(prepare_steps[0]); i++) {
		if (prepare_steps[i](r, e) < 0) {
			ctr_rootfs_undo(r);
			return -1;
		}
	}
	return 0;
}

/* ---- entering -------------------------------------------------------- */

int ctr_rootfs_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

static int root_is_rootfs(const struct ctr_mountinfo *mi, void *arg)
{
	(void)arg;
	if (strcmp(mi->target, "/") != 0)
		return 0;
	/* The kernel's rootfs is the one mount that is its own parent. */
	return (mi->id == mi->parent_id || strcmp(mi->fstype, "rootfs") == 0) ? 1 : 2;
}

int ctr_rootfs_is_initramfs(void)
{
	int rc = ctr_mountinfo_foreach(0, root_is_rootfs, NULL);
	struct statfs sf;

	if (rc >= 0)
		return rc == 1;
	/* No /proc: the rootfs is a ramfs or a tmpfs, and pivot_root(2) has
	 * already said EINVAL with everything else in order. */
	if (statfs("/", &sf) < 0)
		return -1;
	return sf.f_type == RAMFS_MAGIC || sf.f_type == TMPFS_MAGIC;
}

/* pivot_root(".", "."): the old root ends up stacked on the new one at "/",
 * and detaching "." removes it, so no path leads back to the host's tree. */
static int enter_pivot(struct ctr_rootfs *r, struct ctr_err *e)
{
	const char *put_old = ".";

	if (r->keep_old && r->put_old)
		put_old = r->put_old;
	if (ctr_rootfs_pivot_root(".", put_old) < 0)
		return ctr_err_sys(e, "pivot_root", "%s", r->root);
	r->how = CTR_ROOTFS_PIVOT;
	if (!r->keep_old && umount2(".", MNT_DETACH) < 0)
		return ctr_err_sys(e, "cannot detach the old root", NULL);
	return 0;
}

/* The initramfs cannot be unmounted, so pivot_root(2) refuses it (EINVAL).
 * Do what switch_root does - move the new root over / and chroot into it:
 * ".." at the moved mount's top then leads back to that top, so the chroot
 * escape stays inside. Then take away the capabilities of the other ways
 * out: chroot again, setns into init's namespace or mount (CAP_SYS_ADMIN),
 * /proc/1/root (CAP_SYS_PTRACE), open_by_handle_at, raw devices, modules. */
static int enter_moved(struct ctr_rootfs *r, struct ctr_err *e)
{
	if (r->keep_old)
		return ctr_err_set(e, 0, "--keep-old",
				   "the current root is the initramfs, it cannot be kept");
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return ctr_err_sys(e, "cannot move the new root over /", "%s", r->root);
	r->how = CTR_ROOTFS_MOVED;
	if (chroot(".") < 0)
		return ctr_err_sys(e, "chroot", "%s", r->root);
	return ctr_caps_drop(CTR_ROOTFS_ESCAPE_CAPS, e);
}

int ctr_rootfs_enter(struct ctr_rootfs *r, struct ctr_err *e)
{
	int rc;

	r->how = 0;
	if (fchdir(r->rootfd) < 0) {
		ctr_err_sys(e, "cannot change directory to", "%s", r->root);
		goto undo;
	}
	if (r->chroot) {
		if (chroot(".") < 0) {
			ctr_err_sys(e, "chroot", "%s", r->root);
			goto undo;
		}
		r->how = CTR_ROOTFS_CHROOT;
	} else {
		rc = enter_pivot(r, e);
		if (rc < 0 && !r->how && e->err == EINVAL && ctr_rootfs_is_initramfs() == 1)
			rc = enter_moved(r, e);
		if (rc < 0 && !r->how)
			goto undo;
		if (rc < 0)
			return -1;
	}
	if (chdir("/") < 0)
		return ctr_err_sys(e, "cannot change directory to", "/");
	ctr_rootfs_release(r);
	return 0;
undo:
	/* Nothing was switched: the logged paths are still valid from here. */
	rc = errno;
	ctr_rootfs_undo(r);
	errno = rc;
	return -1;
}
