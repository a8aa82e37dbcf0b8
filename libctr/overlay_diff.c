/* overlay_diff.c: what an upper layer changed (docker diff). */
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

/* ---- diff ---------------------------------------------------------------- */

struct diff {
	int *lfd;             /* open lower dirs */
	size_t nlower;
	int known;            /* lowers given */
	struct ctr_ovl_change *c;
	size_t n, cap;
	char path[PATH_MAX];  /* upper + "/" + rel, for the xattr calls */
	size_t base;          /* strlen(upper) + 1 */
	int err;
};

static int add_change(struct diff *d, char kind, const char *rel)
{
	struct ctr_ovl_change *nc;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		nc = realloc(d->c, d->cap * sizeof(*nc));
		if (!nc)
			return -1;
		d->c = nc;
	}
	d->c[d->n].kind = kind;
	d->c[d->n].path = malloc(strlen(rel) + 2);
	if (!d->c[d->n].path)
		return -1;
	d->c[d->n].path[0] = '/';
	strcpy(d->c[d->n].path + 1, rel);
	d->n++;
	return 0;
}

static int is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

/* getxattr of trusted.overlay.<name> or user.overlay.<name> on d->path. */
static ssize_t ovl_xattr(struct diff *d, const char *name, char *val, size_t size)
{
	char key[64];
	ssize_t n;

	snprintf(key, sizeof(key), "trusted.overlay.%s", name);
	n = lgetxattr(d->path, key, val, size);
	if (n >= 0)
		return n;
	snprintf(key, sizeof(key), "user.overlay.%s", name);
	return lgetxattr(d->path, key, val, size);
}

/* Does rel exist in the lower stack (first layer holding it, not a
 * whiteout)? */
static int exists_below(struct diff *d, const char *rel)
{
	struct stat st;
	size_t i;

	for (i = 0; i < d->nlower; i++)
		if (fstatat(d->lfd[i], rel, &st, AT_SYMLINK_NOFOLLOW) == 0)
			return !is_whiteout(&st);
	return 0;
}

/* An opaque dir hides what the lowers held there: each such name the upper
 * does not hold again is deleted. */
static int opaque_deletes(struct diff *d, int ufd, const char *rel)
{
	struct dirent *de;
	struct stat st;
	char sub[PATH_MAX];
	size_t i;
	int fd;
	DIR *dir;

	for (i = 0; i < d->nlower; i++) {
		fd = openat(d->lfd[i], rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		dir = fdopendir(fd);
		if (!dir) {
			close(fd);
			continue;
		}
		while ((de = readdir(dir))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (fstatat(ufd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				continue;   /* in upper: reported by the walk */
			if (snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name) >= (int)sizeof(sub)) {
				closedir(dir);
				errno = ENAMETOOLONG;
				return -1;
			}
			/* a name in two lowers: once */
			size_t k, dup = 0;

			for (k = 0; k < d->n; k++)
				if (d->c[k].kind == 'D' && !strcmp(d->c[k].path + 1, sub))
					dup = 1;
			if (!dup && fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    !is_whiteout(&st) && add_change(d, 'D', sub) < 0) {
				closedir(dir);
				return -1;
			}
		}
		closedir(dir);
	}
	return 0;
}

static int walk(struct diff *d, int dfd, char *rel, size_t rlen)
{
	struct dirent *de;
	struct stat st;
	char val[8];
	DIR *dir;
	int fd, rc = 0;
	size_t nlen;
	ssize_t n;

	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return -1;
	}
	while (!rc && (de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		nlen = strlen(de->d_name);
		if (rlen + nlen + 2 >= PATH_MAX || d->base + rlen + nlen + 2 >= sizeof(d->path)) {
			errno = ENAMETOOLONG;
			rc = -1;
			break;
		}
		if (rlen)
			rel[rlen] = '/';
		memcpy(rel + rlen + (rlen ? 1 : 0), de->d_name, nlen + 1);
		size_t sublen = rlen + (rlen ? 1 : 0) + nlen;

		memcpy(d->path + d->base, rel, sublen + 1);
		if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -1;
			break;
		}
		char kind;

		if (is_whiteout(&st)) {
			kind = 'D';
		} else if (S_ISREG(st.st_mode) && st.st_size == 0 &&
			   ovl_xattr(d, "whiteout", NULL, 0) >= 0) {
			kind = 'D';   /* 6.7+ xattr whiteout */
		} else if (d->known) {
			kind = exists_below(d, rel) ? 'C' : 'A';
		} else {
			kind = ovl_xattr(d, "origin", NULL, 0) >= 0 ? 'C' : 'A';
		}
		if (add_change(d, kind, rel) < 0) {
			rc = -1;
			break;
		}
		if (kind != 'D' && S_ISDIR(st.st_mode)) {
			fd = openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				rc = -1;
				break;
			}
			n = ovl_xattr(d, "opaque", val, sizeof(val));
			if (n == 1 && val[0] == 'y' && kind == 'C' && opaque_deletes(d, fd, rel) < 0) {
				close(fd);
				rc = -1;
				break;
			}
			rc = walk(d, fd, rel, sublen);
		}
		rel[rlen] = '\0';
	}
	closedir(dir);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct ctr_ovl_change *)a)->path,
		      ((const struct ctr_ovl_change *)b)->path);
}

void ctr_ovl_changes_free(struct ctr_ovl_change *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].path);
	free(c);
}

int ctr_ovl_diff(const char *upper, char *const *lower, size_t nlower,
		 struct ctr_ovl_change **out, size_t *n, struct ctr_err *e)
{
	struct diff d = { .nlower = 0, .known = nlower > 0 };
	char rel[PATH_MAX] = "";
	int ufd, rc = -1;
	size_t i;

	d.lfd = calloc(nlower ? nlower : 1, sizeof(int));
	if (!d.lfd)
		return ctr_err_sys(e, "out of memory", NULL);
	for (i = 0; i < nlower; i++, d.nlower++) {
		d.lfd[i] = open(lower[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (d.lfd[i] < 0) {
			ctr_err_sys(e, "cannot open lower directory", "%s", lower[i]);
			goto out;
		}
	}
	d.base = strlen(upper) + 1;
	if (d.base + 1 >= sizeof(d.path)) {
		ctr_err_set(e, ENAMETOOLONG, "cannot open upper directory", "%s", upper);
		goto out;
	}
	memcpy(d.path, upper, d.base - 1);
	d.path[d.base - 1] = '/';
	ufd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ufd < 0) {
		ctr_err_sys(e, "cannot open upper directory", "%s", upper);
		goto out;
	}
	if (walk(&d, ufd, rel, 0) < 0) {
		ctr_err_sys(e, "cannot read upper directory", "%s", d.path);
		goto out;
	}
	if (d.n)
		qsort(d.c, d.n, sizeof(*d.c), by_path);
	*out = d.c;
	*n = d.n;
	d.c = NULL;
	d.n = 0;
	rc = 0;
out:
	ctr_ovl_changes_free(d.c, d.n);
	for (i = 0; i < d.nlower; i++)
		close(d.lfd[i]);
	free(d.lfd);
	return rc;
}
