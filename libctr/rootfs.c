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
#include "ctr/compat.h"
#include "ctr/mount.h"
#include "ctr/rootfs.h"

enum undo_kind { UNDO_UMOUNT, UNDO_RMDIR, UNDO_UNLINK };

struct ctr_rootfs_undo {
	enum undo_kind kind;
	char *path;
};

/* ---- the undo log ---------------------------------------------------- */

static int push_undo(struct ctr_rootfs *r, enum undo_kind kind, const char *path,
		     struct ctr_err *e)
{
	struct ctr_rootfs_undo *n;

	if (r->nundo == r->undo_cap) {
		size_t cap = r->undo_cap ? r->undo_cap * 2 : 16;

		n = realloc(r->undo, cap * sizeof(*n));
		if (!n)
			return ctr_err_set(e, ENOMEM, "out of memory", NULL);
		r->undo = n;
		r->undo_cap = cap;
	}
	r->undo[r->nundo].path = strdup(path);
	if (!r->undo[r->nundo].path)
		return ctr_err_set(e, ENOMEM, "out of memory", NULL);
	r->undo[r->nundo++].kind = kind;
	return 0;
}

void ctr_rootfs_release(struct ctr_rootfs *r)
{
	while (r->nundo)
		free(r->undo[--r->nundo].path);
	free(r->undo);
	r->undo = NULL;
	r->undo_cap = 0;
}

void ctr_rootfs_undo(struct ctr_rootfs *r)
{
	int err = errno;

	while (r->nundo) {
		struct ctr_rootfs_undo *u = &r->undo[--r->nundo];

		/* MNT_DETACH also takes the mounts stacked below u->path away. */
		if (u->kind == UNDO_UMOUNT)
			umount2(u->path, MNT_DETACH);
		else if (u->kind == UNDO_RMDIR)
			rmdir(u->path);
		else
			unlink(u->path);
		free(u->path);
	}
	ctr_rootfs_release(r);
	errno = err;
}

/* ---- paths inside the new root -------------------------------------- */

/* Is path root itself or below it? Both are resolved, absolute paths. */
static int under(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (n == 1)
		return path[0] == '/';
	return strncmp(root, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Resolve an existing path and require it to stay inside the new root (an
 * absolute symlink in the image would otherwise point into the host). */
static int resolve_inside(const struct ctr_rootfs *r, const char *path, char *out,
			  const char *what, struct ctr_err *e)
{
	if (!realpath(path, out))
		return ctr_err_sys(e, what, "%s", path);
	if (!under(r->root, out))
		return ctr_err_set(e, 0, what, "%s resolves to %s, outside the new root",
				   path, out);
	return 0;
}

/* Make root/rel exist, creating missing directories on the way (and the
 * last component as a directory, or an empty file when !dir), each logged
 * for undo. The resolved path lands in out. */
static int make_target(struct ctr_rootfs *r, const char *rel, int dir, char *out,
		       const char *what, struct ctr_err *e)
{
	char path[PATH_MAX], real[PATH_MAX];
	size_t len, i;
	int fd;

	while (*rel == '/')
		rel++;
	len = (size_t)snprintf(path, sizeof(path), "%s/%s", r->root, rel);
	if (len >= sizeof(path))
		return ctr_err_set(e, ENAMETOOLONG, what, "%s/%s", r->root, rel);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	for (i = strlen(r->root) + 1; i <= len; i++) {
		int last = i == len;

		if (!last && path[i] != '/')
			continue;
		path[i] = '\0';
		if (access(path, F_OK) < 0) {
			if (errno != ENOENT)
				return ctr_err_sys(e, what, "%s", path);
			/* The parent exists and was checked to be inside. */
			if (last && !dir) {
				fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
				if (fd < 0)
					return ctr_err_sys(e, what, "%s", path);
				close(fd);
				if (push_undo(r, UNDO_UNLINK, path, e) < 0)
					return unlink(path), -1;
			} else {
				if (mkdir(path, 0755) < 0)
					return ctr_err_sys(e, what, "%s", path);
				if (push_undo(r, UNDO_RMDIR, path, e) < 0)
					return rmdir(path), -1;
			}
		}
		if (resolve_inside(r, path, real, what, e) < 0)
			return -1;
		if (!last)
			path[i] = '/';
	}
	memcpy(out, real, strlen(real) + 1);
	return 0;
}

/* ---- mounts ---------------------------------------------------------- */

static int do_mount(struct ctr_rootfs *r, const char *src, const char *target,
		    const char *fstype, unsigned long flags, const char *data,
		    struct ctr_err *e)
{
	if (ctr_mount(src, target, fstype, flags, data, e) < 0)
		return -1;
	if (push_undo(r, UNDO_UMOUNT, target, e) < 0) {
		umount2(target, MNT_DETACH);
		return -1;
	}
	return 0;
}

/* Remount a bind mount read-only, keeping its other per-mount flags: a
 * bind remount replaces them all, and the kernel refuses to clear locked
 * ones (nosuid, nodev... inherited in a user namespace). */
static int remount_ro(const char *target, struct ctr_err *e)
{
	static const struct { unsigned long st, ms; } keep[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
	struct statvfs sv;
	size_t i;

	if (statvfs(target, &sv) < 0)
		return ctr_err_sys(e, "statvfs", "%s", target);
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (sv.f_flag & keep[i].st)
			flags |= keep[i].ms;
	if (mount(NULL, target, NULL, flags, NULL) < 0)
		return ctr_err_sys(e, "cannot remount read-only", "%s", target);
	return 0;
}

/* ---- the steps, in order --------------------------------------------- */

/* pivot_root(2) wants neither the new root's parent mount nor the current
 * root's to be shared, and our mounts must not propagate back to the
 * namespace we came from: make the whole tree private first. */
static int step_private(struct ctr_rootfs *r, struct ctr_err *e)
{
	(void)r;
	return ctr_mount_propagation("/", MS_PRIVATE, 1, e);
}

/* pivot_root(2) and MS_MOVE need the new root to be a mount: bind it onto
 * itself unless it is one already. With --ro always bind, so that the
 * read-only remount hits our copy and not a mount the caller owns. */
static int step_self_bind(struct ctr_rootfs *r, struct ctr_err *e)
{
	/* Without /proc (mountinfo unreadable) bind anyway: binding a mount
	 * point onto itself is harmless. */
	int mp = ctr_mount_is_mountpoint(r->root);

	if (mp > 0 && !r->ro)
		return 0;
	return do_mount(r, r->root, r->root, NULL, MS_BIND | MS_REC, NULL, e);
}

static int step_binds(struct ctr_rootfs *r, struct ctr_err *e)
{
	char src[PATH_MAX], dst[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < r->nbinds; i++) {
		const struct ctr_bind *b = &r->binds[i];

		if (!realpath(b->src, src) || stat(src, &st) < 0)
			return ctr_err_sys(e, "bind source", "%s", b->src);
		if (make_target(r, b->dst, S_ISDIR(st.st_mode), dst, "bind target", e) < 0)
			return -1;
		if (do_mount(r, src, dst, NULL, MS_BIND | MS_REC, NULL, e) < 0)
			return -1;
		if (b->ro && remount_ro(dst, e) < 0)
			return -1;
	}
	return 0;
}

static int step_proc(struct ctr_rootfs *r, struct ctr_err *e)
{
	char dir[PATH_MAX];

	if (!r->proc)
		return 0;
	if (make_target(r, "proc", 1, dir, "proc mount point", e) < 0)
		return -1;
	if (ctr_mount_proc(dir, e) < 0)
		return -1;
	return push_undo(r, UNDO_UMOUNT, dir, e);
}

/* A /dev for programs that expect one: a small tmpfs with the six usual
 * character devices, a private devpts instance and a shm tmpfs. */
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
	char dev[PATH_MAX], path[PATH_MAX + 16], host[32];
	size_t i;
	int fd;

	if (!r->dev)
		return 0;
	if (make_target(r, "dev", 1, dev, "dev mount point", e) < 0 ||
	    do_mount(r, "tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k", e) < 0)
		return -1;
	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, nodes[i].name);
		/* chmod: mknod's mode went through the umask. */
		if (mknod(path, S_IFCHR | 0666, makedev(nodes[i].major, nodes[i].minor)) == 0) {
			if (chmod(path, 0666) < 0)
				return ctr_err_sys(e, "chmod", "%s", path);
			continue;
		}
		/* No CAP_MKNOD (a user namespace): bind the host's node instead. */
		snprintf(host, sizeof(host), "/dev/%s", nodes[i].name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0)
			return ctr_err_sys(e, "cannot create", "%s", path);
		close(fd);
		if (ctr_mount(host, path, NULL, MS_BIND, NULL, e) < 0)
			return -1;
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, links[i].name);
		if (symlink(links[i].target, path) < 0)
			return ctr_err_sys(e, "cannot create", "%s", path);
	}
	snprintf(path, sizeof(path), "%s/pts", dev);
	if (mkdir(path, 0755) < 0)
		return ctr_err_sys(e, "cannot create", "%s", path);
	/* newinstance: a devpts of our own, not the host's ptys. */
	if (ctr_mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
		      "newinstance,ptmxmode=0666,mode=0620", e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/shm", dev);
	if (mkdir(path, 01777) < 0)
		return ctr_err_sys(e, "cannot create", "%s", path);
	return ctr_mount("shm", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", e);
}

static int step_put_old(struct ctr_rootfs *r, struct ctr_err *e)
{
	char dir[PATH_MAX];

	if (!r->keep_old || r->chroot)
		return 0;
	return make_target(r, r->keep_old, 1, dir, "put-old directory", e);
}

static int step_ro(struct ctr_rootfs *r, struct ctr_err *e)
{
	return r->ro ? remount_ro(r->root, e) : 0;
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

	if (r->keep_old)
		for (put_old = r->keep_old; *put_old == '/'; put_old++)
			;
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
	return ctr_rootfs_drop_caps(ctr_rootfs_escape_caps, ctr_rootfs_nescape_caps, e);
}

int ctr_rootfs_enter(struct ctr_rootfs *r, struct ctr_err *e)
{
	int rc;

	r->how = 0;
	if (chdir(r->root) < 0) {
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

/* ---- capabilities (only what the initramfs case needs) ------------------ */

const int ctr_rootfs_escape_caps[] = {
	CAP_DAC_READ_SEARCH, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_CHROOT,
	CAP_SYS_PTRACE, CAP_SYS_ADMIN, CAP_SYS_BOOT, CAP_MKNOD, CAP_BPF,
};
const size_t ctr_rootfs_nescape_caps =
	sizeof(ctr_rootfs_escape_caps) / sizeof(ctr_rootfs_escape_caps[0]);

struct cap_header {
	uint32_t version;
	int pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};


int ctr_rootfs_drop_caps(const int *caps, size_t n, struct ctr_err *e)
{
	struct cap_header h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct cap_data d[2];
	size_t i;

	/* The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * stays. EINVAL: a capability this kernel does not know. */
	for (i = 0; i < n; i++)
		if (prctl(PR_CAPBSET_DROP, caps[i], 0, 0, 0) < 0 && errno != EINVAL)
			return ctr_err_sys(e, "cannot drop capability from the bounding set",
					   "%d", caps[i]);
	if (syscall(SYS_capget, &h, d) < 0)
		return ctr_err_sys(e, "capget", NULL);
	for (i = 0; i < n; i++) {
		uint32_t bit = 1u << (caps[i] % 32);

		d[caps[i] / 32].effective &= ~bit;
		d[caps[i] / 32].permitted &= ~bit;
		d[caps[i] / 32].inheritable &= ~bit;
	}
	if (syscall(SYS_capset, &h, d) < 0)
		return ctr_err_sys(e, "capset", NULL);
	return 0;
}
