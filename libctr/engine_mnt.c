/* engine_mnt.c: the container's mounts (CHILD phase: root, mounts in order,
 * /dev, pivot_root) and the ROOT phase's masked / read-only paths.
 *
 * Every target inside the new root is opened with openat2(RESOLVE_IN_ROOT)
 * and mounted on /proc/self/fd/N: a symlink in the image (or one swapped in
 * by a racing container, CVE-2021-30465) resolves inside the root, never
 * to the host. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "ctr/cgroup.h"
#include "ctr/compat.h"
#include "ctr/mount.h"
#include "ctr/overlay.h"
#include "ctr/path.h"
#include "ctr/rootfs.h"
#include "engine_int.h"

#define FDPATH(buf, fd) snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd)

/* The name to mount onto what fd refers to. A directory is entered
 * (fchdir) and mounted onto as ".": no walk of /proc/self/fd/N, whose
 * dentries a new process makes afresh (a few us each, some thirty per
 * container). Other targets go through /proc/self/fd/N. The cwd stays in
 * the target: pivot_root's fchdir(rootfd) resets it (and a
 * createContainer hook runs in the cwd saved at the start, x->cwdfd). */
static const char *target_of(int fd, int isdir, char *buf, size_t size)
{
	if (isdir && fchdir(fd) == 0)
		return ".";
	snprintf(buf, size, "/proc/self/fd/%d", fd);
	return buf;
}

int ctr_eng_open_in_root(int rootfd, const char *path, int create)
{
	if (create == 'd')
		return ctr_path_mkdir(rootfd, path, 0755, NULL, NULL);
	if (create)
		return ctr_path_mkfile(rootfd, path, 0644, NULL, NULL);
	return ctr_path_open(rootfd, path, O_PATH, 0, 0);
}

/* The container's /dev as a directory fd: opened once through the root fd
 * (CVE-2026-41579: an image's /dev symlink resolves inside the root) and
 * kept for the nodes, the links and the /dev/NAME mount points until
 * pivot_root. A mount onto /dev or / drops it (dev_forget). */
static int dev_dir(struct ctr_ectx *x)
{
	/* an O_PATH fd serves as the dirfd of mknodat, symlinkat, mkdirat */
	if (x->devfd < 0)
		x->devfd = ctr_eng_open_in_root(x->rootfd, "/dev", 'd');
	return x->devfd;
}

static void dev_forget(struct ctr_ectx *x, const char *dest)
{
	const char *p = dest + strspn(dest, "/");

	if (x->devfd >= 0 && (!*p || (!strncmp(p, "dev", 3) && !p[3 + strspn(p + 3, "/")]))) {
		close(x->devfd);
		x->devfd = -1;
	}
}

/* A mount point /dev/NAME in the /dev already open: made and opened
 * relative to it, following no symlink (O_NOFOLLOW; mkdirat never does).
 * -1 sends the caller the general way (ctr_eng_open_in_root). */
static int dev_mount_point(struct ctr_ectx *x, const char *dest)
{
	const char *name = dest + 5;

	if (x->devfd < 0 || strncmp(dest, "/dev/", 5) || !*name || strchr(name, '/') ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return -1;
	if (mkdirat(x->devfd, name, 0755) < 0 && errno != EEXIST)
		return -1;
	return openat(x->devfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* ---- the root ------------------------------------------------------------ */

int ctr_eng_root(struct ctr_ectx *x, struct ctr_err *e)
{
	const struct ctr_spec *s = x->s;
	unsigned long prop = s->rootfs_propagation ? s->rootfs_propagation : MS_PRIVATE | MS_REC;

	/* Kernel rule: pivot_root wants neither the new root nor its parent
	 * shared, and nothing mounted from here may propagate to the host. */
	if (mount(NULL, "/", NULL, prop | MS_REC, NULL) < 0)
		return ctr_err_sys(e, "cannot make / private", NULL);
	if (s->root.nlayers) {
		struct ctr_ovl o = {
			.lower = s->root.layers, .nlower = s->root.nlayers,
			.upper = x->c->upper, .work = x->c->work, .merged = x->c->merged,
			.fresh = x->ovl_fresh,
		};

		if (ctr_ovl_mount(&o, e) < 0)
			return -1;
		snprintf(x->root, sizeof(x->root), "%s", x->c->merged);
	} else {
		if (!realpath(s->root.path, x->root))
			return ctr_err_sys(e, "cannot find the root", "%s", s->root.path);
		/* pivot_root needs a mount point */
		if (mount(x->root, x->root, NULL, MS_BIND | MS_REC, NULL) < 0)
			return ctr_err_sys(e, "cannot bind the root", "%s", x->root);
	}
	x->rootfd = openat(AT_FDCWD, x->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (x->rootfd < 0)
		return ctr_err_sys(e, "cannot open the root", "%s", x->root);
	return 0;
}

/* ---- mounts -------------------------------------------------------------- */

/* /sys/fs/cgroup as docker gives it: cgroup2 alone on a v2 host; on v1 and
 * hybrid a tmpfs holding one mount per hierarchy (in the container's cgroup
 * namespace each shows the container's group as its root). */
static int mount_cgroups(struct ctr_ectx *x, int fd, unsigned long flags, struct ctr_err *e)
{
	struct ctr_cg_layout own;
	const struct ctr_cg_layout *l = x->cgl;  /* the parent's, read before the clone */
	char buf[64];
	const char *path;
	int i, d, rc = 0;

	if (!x->have_cg) {
		if (ctr_cgroup_layout(&own, e) < 0)
			return -1;
		l = &own;
	}
	path = target_of(fd, 1, buf, sizeof(buf));
	if (l->n == 1 && l->v2 == 0)
		return ctr_mount("cgroup2", path, "cgroup2", flags, NULL, e);
	if (ctr_mount("tmpfs", path, "tmpfs", flags & ~(unsigned long)MS_RDONLY, "mode=755", e) < 0)
		return -1;
	/* the fd still names the dir below the new tmpfs: look it up again,
	 * and work from inside it (a tmpfs of our own, just made: the names
	 * made in it are ours) */
	d = ctr_eng_open_in_root(x->rootfd, "/sys/fs/cgroup", 0);
	if (d < 0 || fchdir(d) < 0) {
		if (d >= 0)
			close(d);
		return ctr_err_sys(e, "cannot open", "/sys/fs/cgroup");
	}
	for (i = 0; i < l->n && rc == 0; i++) {
		const char *base = strrchr(l->h[i].mnt, '/');

		base = base ? base + 1 : l->h[i].mnt;
		if (mkdir(base, 0555) < 0 && errno != EEXIST)
			rc = ctr_err_sys(e, "cannot create", "/sys/fs/cgroup/%s", base);
		else if (l->h[i].version == 2)
			rc = ctr_mount("cgroup2", base, "cgroup2", flags, NULL, e);
		else
			rc = ctr_mount("cgroup", base, "cgroup", flags, l->h[i].ctrls, e);
	}
	if (rc == 0 && (flags & MS_RDONLY) &&
	    mount(NULL, ".", NULL, MS_REMOUNT | flags, "mode=755") < 0)
		rc = ctr_err_sys(e, "cannot make read-only", "/sys/fs/cgroup");
	close(d);
	return rc;
}

int ctr_eng_mount(struct ctr_ectx *x, const struct ctr_spec_mount *m, struct ctr_err *e)
{
	const unsigned long rflags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	int bind = strcmp(m->type, "bind") == 0 || (m->flags & MS_BIND), fd, rc = 0;
	int create = 'd', sys = strcmp(m->type, "sysfs") == 0;
	const char *src = m->source;
	const struct ctr_spec_ns *n = ctr_spec_get_ns(x->s, sys ? CLONE_NEWNET : CLONE_NEWCGROUP);
	char buf[64];
	const char *path;
	struct stat st;

	/* Kernel rule: in a user namespace sysfs mounts only with a net
	 * namespace it owns, cgroup with a cgroup namespace: else bind the
	 * host's, as runc does. */
	if (!bind && (sys || strcmp(m->type, "cgroup") == 0) &&
	    ctr_spec_get_ns(x->s, CLONE_NEWUSER) && (!n || n->path)) {
		bind = 1;
		src = sys ? "/sys" : "/sys/fs/cgroup";
	}
	if (bind) {
		if (stat(src, &st) < 0) {
			if (m->optional && errno == ENOENT)
				return 0;
			return ctr_err_sys(e, "cannot find mount source", "%s", src);
		}
		if (!S_ISDIR(st.st_mode))
			create = 'f';
	}
	dev_forget(x, m->dest);
	fd = create == 'd' ? dev_mount_point(x, m->dest) : -1;
	if (fd < 0)
		fd = ctr_eng_open_in_root(x->rootfd, m->dest, create);
	if (fd < 0)
		return ctr_err_sys(e, "cannot create mount point", "%s", m->dest);
	path = target_of(fd, create == 'd', buf, sizeof(buf));
	if (!bind && (strcmp(m->type, "proc") == 0 || strcmp(m->type, "sysfs") == 0)) {
		/* CVE-2023-27561: proc and sysfs only on a plain directory */
		if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
			close(fd);
			return ctr_err_set(e, ENOTDIR, "mount point is not a directory", "%s",
					   m->dest);
		}
	}
	if (bind) {
		unsigned long f = MS_BIND | (m->bind_nonrec ? 0 : MS_REC);

		rc = ctr_mount(src, path, NULL, f, NULL, e);
		if (rc == 0 && (m->flags & rflags)) {
			/* the fd names the dir beneath: look the mount up again */
			int mfd = ctr_eng_open_in_root(x->rootfd, m->dest, 0);

			if (mfd < 0 || ctr_path_remount(mfd, m->flags & rflags) < 0)
				rc = ctr_err_sys(e, "cannot remount", "%s", m->dest);
			if (mfd >= 0)
				close(mfd);
		}
	} else if (strcmp(m->type, "cgroup") == 0) {
		rc = mount_cgroups(x, fd, m->flags & ~(unsigned long)MS_BIND, e);
	} else {
		rc = ctr_mount(m->source ? m->source : m->type, path, m->type, m->flags,
			       m->data, e);
	}
	if (rc == 0 && m->propagation) {
		/* as for the remount: the new mount, not the dir beneath */
		int mfd = ctr_eng_open_in_root(x->rootfd, m->dest, 0);

		FDPATH(buf, mfd);
		if (mfd < 0 || mount(NULL, buf, NULL, m->propagation, NULL) < 0)
			rc = ctr_err_sys(e, "cannot set propagation", "%s", m->dest);
		if (mfd >= 0)
			close(mfd);
	}
	if (rc < 0 && (strcmp(e->detail, ".") == 0 || strncmp(e->detail, "/proc/self/fd/", 14) == 0))
		snprintf(e->detail, sizeof(e->detail), "%s", m->dest);
	close(fd);
	return rc;
}

/* ---- /dev ---------------------------------------------------------------- */

static int mknode(int devfd, const char *name, mode_t type, dev_t dev, mode_t mode,
		  uid_t uid, gid_t gid, struct ctr_err *e)
{
	char path[64], host[PATH_MAX];
	int fd;

	/* the caller's umask(0): mknod's mode is the node's */
	if (mknodat(devfd, name, type | mode, dev) == 0) {
		if ((uid || gid) && fchownat(devfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
			return ctr_err_sys(e, "cannot set up device", "/dev/%s", name);
		return 0;
	}
	if (errno != EPERM)
		return ctr_err_sys(e, "cannot create device", "/dev/%s", name);
	/* No CAP_MKNOD over this /dev (a user namespace): bind the host's. */
	snprintf(host, sizeof(host), "/dev/%s", name);
	fd = openat(devfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return ctr_err_sys(e, "cannot create device", "/dev/%s", name);
	FDPATH(path, fd);
	fd = (ctr_mount(host, path, NULL, MS_BIND, NULL, e) < 0) ? (close(fd), -1) : (close(fd), 0);
	return fd;
}

int ctr_eng_dev(struct ctr_ectx *x, int kind, int idx, struct ctr_err *e)
{
	static const struct { const char name[8]; unsigned char major, minor; } nodes[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },
	};
	int devfd, rc = 0;
	size_t i;
	mode_t um;

	devfd = dev_dir(x);
	if (devfd < 0)
		return ctr_err_sys(e, "cannot open", "/dev");
	um = kind == OP_DEV_LINKS ? 0 : umask(0);
	if (kind == OP_DEV_NODES) {
		for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]) && rc == 0; i++)
			rc = mknode(devfd, nodes[i].name, S_IFCHR,
				    makedev(nodes[i].major, nodes[i].minor), 0666, 0, 0, e);
	} else if (kind == OP_DEV_LINKS) {
		for (i = 0; i < sizeof(links) / sizeof(links[0]) && rc == 0; i++)
			if (symlinkat(links[i][1], devfd, links[i][0]) < 0 && errno != EEXIST)
				rc = ctr_err_sys(e, "cannot create", "/dev/%s", links[i][0]);
	} else {
		const struct ctr_spec_device *d = &x->s->devices[idx];
		mode_t t = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;

		if (strncmp(d->path, "/dev/", 5) != 0)
			return ctr_err_set(e, EINVAL, "device path outside /dev", "%s", d->path);
		/* the node's dir, made inside the root; then the node */
		{
			char dir[PATH_MAX];
			char *slash;

			snprintf(dir, sizeof(dir), "%s", d->path);
			slash = strrchr(dir, '/');
			*slash = 0;
			/* an O_PATH dirfd serves unlinkat and mknodat */
			devfd = ctr_eng_open_in_root(x->rootfd, dir, 'd');
			if (devfd < 0)
				return ctr_err_sys(e, "cannot create", "%s", dir);
			unlinkat(devfd, slash + 1, 0);
			rc = mknode(devfd, slash + 1, t, makedev(d->major, d->minor),
				    d->mode ? d->mode & 07777 : 0666, d->uid, d->gid, e);
			close(devfd);
		}
	}
	if (kind != OP_DEV_LINKS)
		umask(um);
	return rc;
}

/* ---- pivot --------------------------------------------------------------- */

struct detach_arg {
	const char *root;
	char (*targets)[256];
	int n, cap;
};

static int collect_mount(const struct ctr_mountinfo *mi, void *arg)
{
	struct detach_arg *a = arg;
	size_t rl = strlen(a->root), tl = strlen(mi->target);

	if (strcmp(mi->target, "/") == 0 ||
	    (strncmp(mi->target, a->root, rl) == 0 && (!mi->target[rl] || mi->target[rl] == '/')) ||
	    (tl < rl && strncmp(a->root, mi->target, tl) == 0 && a->root[tl] == '/'))
		return 0;
	if (a->n < a->cap && tl < 256)
		strcpy(a->targets[a->n++], mi->target);
	return 0;
}

/* The initramfs cannot be unmounted, so pivot_root(2) refuses it. Do what
 * switch_root does: detach every host mount outside the new root, move the
 * new root over / and chroot into it. ".." at the moved mount's top leads
 * back to that top, so a chroot escape stays inside. */
static int enter_moved(struct ctr_ectx *x, struct ctr_err *e)
{
	static char targets[256][256];
	struct detach_arg a = { x->root, targets, 0, 256 };
	int i;

	ctr_mountinfo_foreach(0, collect_mount, &a);
	for (i = a.n - 1; i >= 0; i--)
		umount2(targets[i], MNT_DETACH);
	if (mount(x->root, "/", NULL, MS_MOVE, NULL) < 0)
		return ctr_err_sys(e, "cannot move the new root over /", "%s", x->root);
	if (chroot(".") < 0)
		return ctr_err_sys(e, "chroot", "%s", x->root);
	return 0;
}

int ctr_eng_pivot(struct ctr_ectx *x, struct ctr_err *e)
{
	const char *cwd = x->s->process.cwd;
	int fd;

	/* docker -w (and runc) make a missing cwd, before the root can go
	 * read-only; inside the root */
	if (cwd && strcmp(cwd, "/") && (fd = ctr_eng_open_in_root(x->rootfd, cwd, 0)) < 0 &&
	    errno == ENOENT) {
		fd = ctr_eng_open_in_root(x->rootfd, cwd, 'd');
		if (fd < 0)
			return ctr_err_sys(e, "cannot create the working directory", "%s", cwd);
	}
	if (cwd && strcmp(cwd, "/") && fd >= 0)
		close(fd);
	if (fchdir(x->rootfd) < 0)
		return ctr_err_sys(e, "cannot change directory to", "%s", x->root);
	if (x->s->no_pivot || ctr_rootfs_pivot_root(".", ".") < 0) {
		if (!x->s->no_pivot && (errno != EINVAL || ctr_rootfs_is_initramfs() != 1))
			return ctr_err_sys(e, "pivot_root", "%s", x->root);
		if (enter_moved(x, e) < 0)
			return -1;
	} else {
		/* pivot_root(".", "."): the old root is stacked on the new one
		 * at "/"; keep its events from reaching the host, detach it. */
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0 ||
		    umount2(".", MNT_DETACH) < 0)
			return ctr_err_sys(e, "cannot detach the old root", NULL);
	}
	if (chdir("/") < 0)
		return ctr_err_sys(e, "cannot change directory to", "/");
	close(x->rootfd);
	x->rootfd = -1;
	dev_forget(x, "/");
	return 0;
}

/* ---- ROOT: masked and read-only paths, read-only root --------------------- */

int ctr_eng_mask(const char *path, struct ctr_err *e)
{
	/* the container's process only: checked once, close-on-exec */
	static int fd = -1;
	struct stat nst;
	char fdp[64];

	/* CVE-2025-31133: bind the real 1:3 by fd, never a /dev/null that
	 * an image or a racing container made a symlink. */
	if (fd < 0) {
		fd = openat(AT_FDCWD, "/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &nst) < 0 || !S_ISCHR(nst.st_mode) ||
		    nst.st_rdev != makedev(1, 3)) {
			if (fd >= 0)
				close(fd);
			fd = -1;
			return ctr_err_set(e, EPERM, "/dev/null is not the null device", "%s", path);
		}
	}
	FDPATH(fdp, fd);
	/* An lstat first: a bind of the file onto a directory fails only
	 * after the kernel made the mount, and its undoing waits for an RCU
	 * grace period (umount_tree + namespace_unlock): far dearer. */
	if (lstat(path, &nst) < 0)
		return errno == ENOENT ? 0 : ctr_err_sys(e, "cannot mask", "%s", path);
	if (S_ISDIR(nst.st_mode))
		return ctr_mount("tmpfs", path, "tmpfs", MS_RDONLY, "nr_blocks=1,nr_inodes=1", e);
	if (mount(fdp, path, NULL, MS_BIND, NULL) == 0 || errno == ENOENT)
		return 0;
	return ctr_err_sys(e, "cannot mask", "%s", path);
}

int ctr_eng_readonly(const char *path, struct ctr_err *e)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : ctr_err_sys(e, "cannot bind", "%s", path);
	if (ctr_path_remount_at(path, MS_RDONLY) < 0)
		return ctr_err_sys(e, "cannot make read-only", "%s", path);
	return 0;
}

int ctr_eng_root_ro(struct ctr_err *e)
{
	if (ctr_path_remount_at("/", MS_RDONLY) < 0)
		return ctr_err_sys(e, "cannot make the root read-only", NULL);
	return 0;
}
