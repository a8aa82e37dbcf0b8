/* overlay_inspect.c: overlay mounts read back from mountinfo (layers
 * decoded, relative names resolved through the link dir), and unmounting. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "ctr/buf.h"
#include "ctr/compat.h"
#include "ctr/mount.h"
#include "ctr/overlay.h"
#include "overlay_int.h"

/* ---- reading overlay mounts back --------------------------------------- */

/* Split a legacy "lowerdir=" value on unescaped ':' (a "::" marks data-only
 * layers: both are separators here) and drop the backslash escapes. */
static int split_lowerdir(char *v, char ***list, size_t *n)
{
	char *r = v, *w = v, *start = v, **nl;

	for (;; r++) {
		if (*r == '\\' && r[1]) {
			*w++ = *++r;
			continue;
		}
		if (*r != ':' && *r) {
			*w++ = *r;
			continue;
		}
		int end = !*r;

		*w = '\0';
		if (*start) {
			nl = realloc(*list, (*n + 1) * sizeof(**list));
			if (!nl)
				return -1;
			*list = nl;
			(*list)[(*n)++] = start;
		}
		if (end)
			break;
		start = w = r + 1;
	}
	return 0;
}

static void unescape_bs(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		*w++ = *s;
	}
	*w = '\0';
}

struct parsed {
	struct ctr_ovl_info info;
	char **owned;        /* resolved link targets to free */
	size_t nowned;
};

/* A relative layer name was resolved against ovlmount's link: a symlink to
 * the layers' common parent, or a dir of one link per layer. */
static char *resolve(struct parsed *p, char *name)
{
	char dir[PATH_MAX], path[PATH_MAX * 2], *t, **no;
	struct stat st;
	ssize_t n;

	if (name[0] == '/')
		return name;
	t = malloc(PATH_MAX);
	if (!t || ctr_ovl_linkdir(p->info.merged, dir, sizeof(dir)) < 0 || lstat(dir, &st) < 0)
		goto fail;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(dir, t, PATH_MAX - 1);
		if (n <= 0 || t[0] != '/')
			goto fail;
		if (n == 1)
			n = 0;      /* the parent is "/" */
		if ((size_t)n + strlen(name) + 2 > PATH_MAX)
			goto fail;
		t[n] = '/';
		strcpy(t + n + 1, name);
	} else {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		n = readlink(path, t, PATH_MAX - 1);
		if (n <= 0 || t[0] != '/')
			goto fail;
		t[n] = '\0';
	}
	no = realloc(p->owned, (p->nowned + 1) * sizeof(*no));
	if (!no)
		goto fail;
	p->owned = no;
	p->owned[p->nowned++] = t;
	return t;
fail:
	free(t);
	p->info.unresolved++;
	return name;
}

/* super_opts: "rw,lowerdir=...,upperdir=...,workdir=...". Commas inside
 * values are \054 in mountinfo, so a raw comma always separates. 6.1 and
 * mount(2) show "lowerdir=a:b" as given (with overlay's backslash escapes);
 * the new API shows one "lowerdir+=" per layer, literal. */
static int parse_opts(char *opts, struct parsed *p)
{
	char *item, *save = NULL, *v;
	int legacy = 0;
	size_t i;

	for (item = strtok_r(opts, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		v = strchr(item, '=');
		if (!v)
			continue;
		*v++ = '\0';
		ctr_mountinfo_unescape(v);
		if (!strcmp(item, "lowerdir")) {
			legacy = 1;
			if (split_lowerdir(v, &p->info.lower, &p->info.nlower) < 0)
				return -1;
		} else if (!strcmp(item, "lowerdir+") || !strcmp(item, "datadir+")) {
			char **nl = realloc(p->info.lower, (p->info.nlower + 1) * sizeof(*nl));

			if (!nl)
				return -1;
			p->info.lower = nl;
			p->info.lower[p->info.nlower++] = v;
		} else if (!strcmp(item, "upperdir")) {
			p->info.upper = v;
		} else if (!strcmp(item, "workdir")) {
			p->info.work = v;
		}
	}
	/* String upperdir/workdir are unescaped by overlay, so shown escaped;
	 * with lowerdir+ ovlmount passed them by fd (literal). */
	if (legacy) {
		if (p->info.upper)
			unescape_bs((char *)p->info.upper);
		if (p->info.work)
			unescape_bs((char *)p->info.work);
	}
	for (i = 0; i < p->info.nlower; i++)
		p->info.lower[i] = resolve(p, p->info.lower[i]);
	if (p->info.upper)
		p->info.upper = resolve(p, (char *)p->info.upper);
	if (p->info.work)
		p->info.work = resolve(p, (char *)p->info.work);
	return 0;
}

struct each {
	int (*fn)(const struct ctr_ovl_info *ov, void *arg);
	void *arg;
	const char *only;    /* a target, or NULL for all */
	int last_id;         /* the top mount at only */
	int is_overlay;
};

static int each_overlay(const struct ctr_mountinfo *mi, void *arg)
{
	struct each *x = arg;
	struct parsed p;
	int rc;
	size_t i;

	if (x->only) {
		/* first pass: remember the top mount at the path */
		if (strcmp(mi->target, x->only) == 0) {
			x->last_id = mi->id;
			x->is_overlay = strcmp(mi->fstype, "overlay") == 0;
		}
		return 0;
	}
	if (strcmp(mi->fstype, "overlay") != 0 || (x->last_id && mi->id != x->last_id))
		return 0;
	memset(&p, 0, sizeof(p));
	p.info.mnt_id = mi->id;
	p.info.merged = mi->target;
	if (parse_opts(mi->super_opts, &p) < 0)
		rc = -1;
	else
		rc = x->fn(&p.info, x->arg);
	for (i = 0; i < p.nowned; i++)
		free(p.owned[i]);
	free(p.owned);
	free(p.info.lower);
	return rc;
}

int ctr_ovl_foreach(int (*fn)(const struct ctr_ovl_info *ov, void *arg), void *arg)
{
	struct each x = { .fn = fn, .arg = arg };

	return ctr_mountinfo_foreach(0, each_overlay, &x);
}

/* The top mount at path: 0 and its id in *id, or -1 with e (not a mount
 * point / not an overlay). */
static int find_top(const char *path, char *real, struct each *x, struct ctr_err *e)
{
	if (!realpath(path, real))
		return ctr_err_sys(e, "cannot access", "%s", path);
	x->only = real;
	if (ctr_mountinfo_foreach(0, each_overlay, x) < 0)
		return ctr_err_sys(e, "cannot read", "/proc/self/mountinfo");
	if (!x->last_id)
		return ctr_err_set(e, 0, "not an overlay mount", "%s (not a mount point)", real);
	if (!x->is_overlay)
		return ctr_err_set(e, 0, "not an overlay mount", "%s", real);
	return 0;
}

int ctr_ovl_inspect(const char *path, int (*fn)(const struct ctr_ovl_info *ov, void *arg),
		    void *arg, struct ctr_err *e)
{
	struct each x = { .fn = fn, .arg = arg };
	char real[PATH_MAX];
	int rc;

	if (find_top(path, real, &x, e) < 0)
		return -1;
	x.only = NULL;
	rc = ctr_mountinfo_foreach(0, each_overlay, &x);
	if (rc < 0)
		return ctr_err_sys(e, "cannot read", "/proc/self/mountinfo");
	return rc;
}

/* Is the canonical path real the root of an overlay mount, the top one
 * there? statfs(2) names the top mount's filesystem; a directory's st_dev
 * differing from its parent's makes it a mount root (overlay gives its
 * directories its own st_dev). No: ask mountinfo, which for 500 layers is
 * some 20 KiB for the kernel to format (~1 ms). */
static int top_is_overlay(const char *real)
{
	char up[PATH_MAX + 3];
	struct statfs sf;
	struct stat a, b;

	if (statfs(real, &sf) < 0 || (unsigned long)sf.f_type != OVERLAYFS_SUPER_MAGIC)
		return 0;
	if (snprintf(up, sizeof(up), "%s/..", real) >= (int)sizeof(up))
		return 0;
	return stat(real, &a) == 0 && S_ISDIR(a.st_mode) && stat(up, &b) == 0 &&
	       a.st_dev != b.st_dev;
}

int ctr_ovl_umount(const char *path, int lazy, struct ctr_err *e)
{
	struct each x = { 0 };
	char real[PATH_MAX], dir[PATH_MAX], again[PATH_MAX];

	if (!realpath(path, real))
		return ctr_err_sys(e, "cannot access", "%s", path);
	if (!top_is_overlay(real) && find_top(path, real, &x, e) < 0)
		return -1;
	if (umount2(real, lazy ? MNT_DETACH : 0) < 0) {
		if (errno == EBUSY)   /* util-linux's words, libc-independent */
			return ctr_err_set(e, 0, "cannot unmount", "%s: target is busy", real);
		return ctr_err_sys(e, "cannot unmount", "%s", real);
	}
	/* The link dir of a CTR_OVL_LINKS mount goes with its last overlay. */
	memset(&x, 0, sizeof(x));
	if (ctr_ovl_linkdir(real, dir, sizeof(dir)) == 0 &&
	    faccessat(AT_FDCWD, dir, F_OK, AT_SYMLINK_NOFOLLOW) == 0 &&
	    find_top(real, again, &x, NULL) < 0)
		ctr_ovl_linkdir_remove(dir);
	return 0;
}
