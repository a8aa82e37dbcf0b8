/* Overlayfs: mount a stack of lower layers (plus an optional upper and work
 * dir) on a merged dir, unmount it, read it back from mountinfo, and list what
 * an upper layer changed (docker diff). */
#ifndef CTR_OVERLAY_H
#define CTR_OVERLAY_H

#include <stddef.h>
#include "ctr/err.h"

struct ctr_mountinfo;

/* What to mount. lower[0] is the top layer, as in the kernel's lowerdir. */
struct ctr_ovl {
	char *const *lower;
	size_t nlower;
	const char *upper;    /* NULL: read-only overlay (needs >= 2 lowers) */
	const char *work;     /* NULL exactly when upper is */
	const char *merged;
	const char *opts;     /* kernel options "index=on,xino=auto", or NULL */
	unsigned long flags;  /* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, atime */
	int legacy;           /* mount(2) only, as before 6.8 */
	int fresh;            /* upper, work and merged: empty dirs the caller
				 just made where only it writes (skip the
				 checks of their place; merged by name) */
};

/* How ctr_ovl_mount got the layers to the kernel. */
enum ctr_ovl_how {
	CTR_OVL_FD = 1,   /* fsconfig "lowerdir+" by file descriptor (6.13+) */
	CTR_OVL_STRING,   /* fsconfig "lowerdir+" by absolute path (6.8+) */
	CTR_OVL_DATA,     /* mount(2), absolute paths in one page of data */
	CTR_OVL_RELATIVE, /* mount(2), paths relative to the lowers' common
			   * parent, which ctr_ovl_linkdir links to */
	CTR_OVL_LINKS,    /* mount(2), short names of links in ctr_ovl_linkdir */
};

/* The most data mount(2) takes: one page, its NUL included. */
#define CTR_OVL_DATA_MAX 4095

/* Check the layers, create missing upper, work and merged dirs, check upper
 * and work, mount. Returns a CTR_OVL_* or -1 with e filled; on failure it
 * removes the dirs it created and leaves nothing mounted. */
int ctr_ovl_mount(const struct ctr_ovl *o, struct ctr_err *e);

/* Unmount the overlay at path (MNT_DETACH when lazy), and remove its link dir
 * if it had one. Refuses a path that is not an overlay mount point. */
int ctr_ovl_umount(const char *path, int lazy, struct ctr_err *e);

/* Where a CTR_OVL_RELATIVE mount keeps its link to the common parent and a
 * CTR_OVL_LINKS mount its dir of short links, for merged (absolute):
 * "<dirname>/.ovlmount.<basename>". -1 if it does not fit size. */
int ctr_ovl_linkdir(const char *merged, char *buf, size_t size);

/* An overlay mount read back from mountinfo, paths decoded and absolute (a
 * relative layer is resolved through the link dir, or left as is and
 * counted in unresolved). */
struct ctr_ovl_info {
	int mnt_id;
	const char *merged;
	char **lower;
	size_t nlower;
	const char *upper;    /* NULL for a read-only overlay */
	const char *work;
	size_t unresolved;
};

/* Call fn for the overlay one mountinfo line describes (its super_opts are
 * decoded in place); 0 without calling fn if it is not an overlay. */
int ctr_ovl_from_mountinfo(const struct ctr_mountinfo *mi,
			   int (*fn)(const struct ctr_ovl_info *ov, void *arg), void *arg);
/* Call fn for every overlay mount of this mount namespace, in mountinfo
 * order; stops at fn's first non-zero return and returns it. -1 with errno. */
int ctr_ovl_foreach(int (*fn)(const struct ctr_ovl_info *ov, void *arg), void *arg);

/* Call fn once for the overlay mounted on path (the top mount there).
 * -1 with e filled if path is not an overlay mount point. */
int ctr_ovl_inspect(const char *path, int (*fn)(const struct ctr_ovl_info *ov, void *arg),
		    void *arg, struct ctr_err *e);

/* One change of an upper layer: 'A' added, 'C' changed (exists in a lower),
 * 'D' deleted (a whiteout, or a lower entry an opaque dir hides). */
struct ctr_ovl_change {
	char kind;
	char *path;           /* "/a/b" */
};

/* Walk upper and list its changes sorted by path. With lowers (nlower > 0)
 * "exists below" is looked up in them; without, a file the kernel copied up
 * (an overlay.origin xattr) counts as changed and anything else as added.
 * The caller frees with ctr_ovl_changes_free. */
int ctr_ovl_diff(const char *upper, char *const *lower, size_t nlower,
		 struct ctr_ovl_change **out, size_t *n, struct ctr_err *e);
void ctr_ovl_changes_free(struct ctr_ovl_change *c, size_t n);

#endif
