/* overlay_data.c: mounting overlay with mount(2), all layers in one page of
 * data: absolute paths, else relative to their common parent, else short
 * links in a link dir (see ctr_ovl_linkdir). */
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
#include "ctr/dir.h"
#include "ctr/mount.h"
#include "ctr/overlay.h"
#include "overlay_int.h"

/* ---- mount(2) with one page of data --------------------------------------- */

int ctr_ovl_linkdir(const char *merged, char *buf, size_t size)
{
	const char *slash = strrchr(merged, '/');
	int n;

	if (!slash || !slash[1])
		return -1;
	n = snprintf(buf, size, "%.*s/.ovlmount.%s", (int)(slash - merged), merged, slash + 1);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Remove a link (a symlink to the layers' common parent) or a link dir
 * (symlinks only: anything else in it stops the rmdir). */
static int unlink_link(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	(void)ino;
	if (type == DT_LNK)
		unlinkat(*(int *)arg, name, 0);
	return 0;
}

void ctr_ovl_linkdir_remove(const char *dir)
{
	struct stat st;
	int fd;

	if (lstat(dir, &st) < 0)
		return;
	if (S_ISLNK(st.st_mode)) {
		unlink(dir);
		return;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	ctr_dir_foreach(fd, unlink_link, &fd);
	close(fd);
	rmdir(dir);
}

/* How mount(2)'s one page of data names the layers, shortest last. */
enum { NAMES_ABS, NAMES_REL, NAMES_LINKS, NAMES_LINKS_UW };

/* The length of the lowers' common parent dir: a prefix of abs[0] that every
 * lower continues with "/name" (0 for "/"). */
static size_t common_parent(char **abs, size_t n)
{
	const char *slash = strrchr(abs[0], '/');
	size_t len = slash ? (size_t)(slash - abs[0]) : 0, i;

	for (i = 1; i < n; i++)
		while (len && (strncmp(abs[i], abs[0], len) != 0 || abs[i][len] != '/' ||
			       !abs[i][len + 1])) {
			while (len && abs[0][--len] != '/')
				;
		}
	return len;
}

/* data: "lowerdir=A:B[,upperdir=U,workdir=W][,opts]", the lowers named by
 * absolute path, relative to their common parent (plen), or by link name. */
static void build_data(struct ctr_buf *b, const struct ctr_ovl *o, char **abs, char **up,
		       int names, size_t plen)
{
	char name[24];
	size_t i;

	b->len = 0;
	ctr_buf_puts(b, "lowerdir=");
	for (i = 0; i < o->nlower; i++) {
		if (i)
			ctr_buf_add(b, ":", 1);
		if (names >= NAMES_LINKS) {
			snprintf(name, sizeof(name), "%zu", i);
			ctr_buf_puts(b, name);
		} else {
			ctr_ovl_esc(b, names == NAMES_REL ? abs[i] + plen + 1 : abs[i], ":,");
		}
	}
	if (up[0]) {
		ctr_buf_puts(b, ",upperdir=");
		ctr_ovl_esc(b, names == NAMES_LINKS_UW ? "u" : up[0], ":,");
		ctr_buf_puts(b, ",workdir=");
		ctr_ovl_esc(b, names == NAMES_LINKS_UW ? "w" : up[1], ":,");
	}
	if (o->opts && *o->opts) {
		ctr_buf_add(b, ",", 1);
		ctr_buf_puts(b, o->opts);
	}
}

/* Make what a relative name is resolved against, and leave it there so that
 * mountinfo's relative names can be read back (ctr_ovl_inspect):
 * NAMES_REL: one symlink to the common parent; NAMES_LINKS: a dir of links
 * "0".."N-1" to the lowers, plus "u" and "w" to upper and work. */
static int linkdir_make(const char *dir, char **abs, size_t n, char **up, int names,
			const char *parent, struct ctr_err *e)
{
	char name[24] = "";
	int dfd;
	size_t i;

	ctr_ovl_linkdir_remove(dir);   /* a stale one, left by umount(8) */
	if (names == NAMES_REL) {
		if (symlink(parent, dir) < 0)
			return ctr_err_sys(e, "cannot create link", "%s", dir);
		return 0;
	}
	if (mkdir(dir, 0700) < 0)
		return ctr_err_sys(e, "cannot create link dir", "%s", dir);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		ctr_err_sys(e, "cannot open link dir", "%s", dir);
		rmdir(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%zu", i);
		if (symlinkat(abs[i], dfd, name) < 0)
			goto fail;
	}
	if (names == NAMES_LINKS_UW && up[0] &&
	    (symlinkat(up[0], dfd, "u") < 0 || symlinkat(up[1], dfd, "w") < 0))
		goto fail;
	close(dfd);
	return 0;
fail:
	ctr_err_sys(e, "cannot create link", "%s/%s", dir, name);
	close(dfd);
	ctr_ovl_linkdir_remove(dir);
	return -1;
}

/* tfd: the merged dir opened, or -1 to mount onto o->merged by name (an
 * absolute one, for the NAMES_ABS data only: the relative forms chdir). */
int ctr_ovl_mount_data(const struct ctr_ovl *o, int tfd, int *how, struct ctr_err *e)
{
	struct ctr_buf b = CTR_BUF_INIT;
	char **abs, *up[2] = { NULL, NULL }, dir[PATH_MAX], *mabs = NULL, *parent = NULL;
	char target[40];
	struct statfs sf;
	int names, cwd = -1, rc = -1;
	size_t i, plen;

	abs = calloc(o->nlower ? o->nlower : 1, sizeof(*abs));
	if (!abs)
		return ctr_err_sys(e, "out of memory", NULL);
	/* Absolute paths, as mountinfo shows the string as given: a relative
	 * one is made canonical, an absolute one kept (no readlink per part). */
	for (i = 0; i < o->nlower; i++) {
		abs[i] = o->lower[i][0] == '/' ? strdup(o->lower[i]) : realpath(o->lower[i], NULL);
		if (!abs[i]) {
			ctr_err_sys(e, "cannot access lower directory", "%s", o->lower[i]);
			goto out;
		}
	}
	/* A fresh upper and work (made by the caller just now under the
	 * names it gave) keep their absolute names, as lowers do. */
	if (o->upper && o->fresh && o->upper[0] == '/' && o->work[0] == '/') {
		if (!(up[0] = strdup(o->upper)) || !(up[1] = strdup(o->work))) {
			ctr_err_sys(e, "out of memory", NULL);
			goto out;
		}
	} else if (o->upper && (!(up[0] = realpath(o->upper, NULL)) ||
				!(up[1] = realpath(o->work, NULL)))) {
		ctr_err_sys(e, "cannot access upper or work directory", "%s", o->upper);
		goto out;
	}
	plen = common_parent(abs, o->nlower);
	for (names = NAMES_ABS; names <= NAMES_LINKS_UW; names++) {
		build_data(&b, o, abs, up, names, plen);
		if (b.oom) {
			ctr_err_sys(e, "out of memory", NULL);
			goto out;
		}
		if (b.len <= CTR_OVL_DATA_MAX)
			break;
	}
	if (names > NAMES_LINKS_UW) {
		ctr_err_set(e, 0, "mount data too long",
			    "%zu bytes even with short links; mount(2) takes at most %d",
			    b.len, CTR_OVL_DATA_MAX);
		goto out;
	}
	*how = names == NAMES_ABS ? CTR_OVL_DATA
	       : names == NAMES_REL ? CTR_OVL_RELATIVE : CTR_OVL_LINKS;
	if (names != NAMES_ABS) {
		/* Relative names, resolved against the cwd, keep many long paths
		 * within one page: from the layers' common parent, or else from
		 * a dir of short links (Docker's overlay2 trick). */
		parent = plen ? strndup(abs[0], plen) : strdup("/");
		if (!parent || !realpath(o->merged, dir) || !(mabs = strdup(dir)) ||
		    ctr_ovl_linkdir(mabs, dir, sizeof(dir)) < 0) {
			ctr_err_set(e, ENAMETOOLONG, "link dir name too long", "%s", o->merged);
			goto out;
		}
		if (linkdir_make(dir, abs, o->nlower, up, names, parent, e) < 0)
			goto out;
		cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cwd < 0 || chdir(dir) < 0) {
			ctr_err_sys(e, "chdir", "%s", dir);
			ctr_ovl_linkdir_remove(dir);
			goto out;
		}
	}
	/* Onto the merged dir opened before the checks, through /proc/self/fd
	 * (also right after the chdir, where a relative merged would not be). */
	snprintf(target, sizeof(target), "/proc/self/fd/%d", tfd);
	if (tfd >= 0 && (statfs("/proc/self/fd", &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC))
		ctr_err_set(e, ENOTSUP, "mount overlay", "%s: /proc is not mounted", o->merged);
	else if (mount("overlay", tfd >= 0 ? target : o->merged, "overlay", o->flags, b.p) < 0)
		ctr_err_sys(e, "mount overlay", "%s", o->merged);
	else
		rc = 0;
	if (cwd >= 0) {
		if (fchdir(cwd) < 0) {
			/* the mount is made: a lost cwd does not undo it */
		}
		close(cwd);
		if (rc < 0)
			ctr_ovl_linkdir_remove(dir);
	}
out:
	for (i = 0; i < o->nlower; i++)
		free(abs[i]);
	free(abs);
	free(up[0]);
	free(up[1]);
	free(mabs);
	free(parent);
	free(b.p);
	return rc;
}
