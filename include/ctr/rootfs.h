/* Root filesystem switching: prepare a new root (self bind, extra binds,
 * /proc, a minimal /dev, read-only), then enter it with pivot_root(2), with
 * chroot(2), or - when the current root is the kernel's initramfs, which
 * pivot_root(2) refuses - by moving it over / and dropping the capabilities an
 * escape needs. The setup is an ordered list of steps with an undo log: when a
 * step fails, what the earlier steps did is undone in reverse. */
#ifndef CTR_ROOTFS_H
#define CTR_ROOTFS_H

#include <limits.h>
#include <stddef.h>
#include "ctr/compat.h"
#include "ctr/err.h"

/* One -b SRC:DST[:ro]: SRC on the caller's side, DST inside the new root. */
struct ctr_bind {
	const char *src;
	const char *dst;
	int ro;
};

/* How ctr_rootfs_enter got into the new root. */
enum ctr_rootfs_how {
	CTR_ROOTFS_PIVOT = 1,    /* pivot_root(2), old root detached (or kept) */
	CTR_ROOTFS_CHROOT,       /* chroot(2) only: escapable, on request */
	CTR_ROOTFS_MOVED,        /* initramfs: MS_MOVE over /, chroot, caps dropped */
};

struct ctr_rootfs_undo;

struct ctr_rootfs {
	/* filled by the caller */
	const char *newroot;
	const struct ctr_bind *binds;
	size_t nbinds;
	int proc;               /* mount a fresh proc on /proc */
	int dev;                /* minimal /dev on tmpfs */
	int ro;                 /* remount the root read-only */
	int chroot;             /* chroot(2) instead of pivot_root(2) */
	const char *keep_old;   /* keep the old root mounted here (inside) */
	/* filled by ctr_rootfs_prepare / ctr_rootfs_enter */
	char root[PATH_MAX];    /* newroot, resolved (for messages) */
	int rootfd;             /* O_PATH fd of the new root (ctr_rootfs_check
				 * opens it; release closes it) */
	char *put_old;          /* keep_old as resolved inside the root */
	enum ctr_rootfs_how how;
	struct ctr_rootfs_undo *undo;
	size_t nundo, undo_cap;
};

/* Resolve and check r->newroot (an existing directory, not "/") and open
 * it (r->rootfd). Touches nothing. Call it first. */
int ctr_rootfs_check(struct ctr_rootfs *r, struct ctr_err *e);
/* Make the whole mount tree private, bind the new root onto itself when
 * needed, then the binds, /proc, /dev, the put-old directory and the
 * read-only remount, in that order. Call in a mount namespace of one's own.
 * On failure everything done so far is undone. */
int ctr_rootfs_prepare(struct ctr_rootfs *r, struct ctr_err *e);
/* Enter the prepared root (sets r->how) and leave the cwd at its "/". On a
 * failure before the switch the preparation is undone. */
int ctr_rootfs_enter(struct ctr_rootfs *r, struct ctr_err *e);
/* Undo what prepare did (reverse order, best effort) and forget it. */
void ctr_rootfs_undo(struct ctr_rootfs *r);
/* Forget the undo log without undoing (after a successful enter). */
void ctr_rootfs_release(struct ctr_rootfs *r);

/* pivot_root(2). -1 with errno. */
int ctr_rootfs_pivot_root(const char *new_root, const char *put_old);
/* Is this process's root the kernel's initial rootfs (initramfs), which
 * pivot_root(2) refuses with EINVAL? 1 yes, 0 no, -1 with errno. */
int ctr_rootfs_is_initramfs(void);

/* The capabilities an escape from a chroot-style root needs: chroot(2),
 * mount/setns/pivot_root, ptrace (/proc/PID/root), open_by_handle_at,
 * mknod and raw I/O of disks and memory, modules, kexec, bpf: dropped
 * (libctr/caps.c, ctr_caps_drop) when the initramfs case moves the root. */
#define CTR_ROOTFS_ESCAPE_CAPS \
	(1ULL << CAP_DAC_READ_SEARCH | 1ULL << CAP_SYS_MODULE | 1ULL << CAP_SYS_RAWIO | \
	 1ULL << CAP_SYS_CHROOT | 1ULL << CAP_SYS_PTRACE | 1ULL << CAP_SYS_ADMIN | \
	 1ULL << CAP_SYS_BOOT | 1ULL << CAP_MKNOD | 1ULL << CAP_BPF)

#endif
