/* overlay.c: mounting overlayfs with many layers, reading overlay mounts back
 * from mountinfo, and the changes of an upper layer. */
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
#include "ctr/compat.h"
#include "ctr/mount.h"
#include "ctr/overlay.h"

/* ---- a growable string ------------------------------------------------ */

struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	char *np;
	size_t cap;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Append s with a backslash before each of the chars in special: the
 * kernel's overlay option syntax (a ':' inside one lowerdir, a ',' inside a
 * value of mount(2) data, the backslash itself). */
static void sb_esc(struct sbuf *b, const char *s, const char *special)
{
	for (; *s; s++) {
		if (*s == '\\' || strchr(special, *s))
			sb_add(b, "\\", 1);
		sb_add(b, s, 1);
	}
}

/* ---- the new mount API -------------------------------------------------- */

static int sys_fsopen(const char *fs, unsigned int flags)
{
	return (int)syscall(SYS_fsopen, fs, flags);
}

static int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static int sys_fsmount(int fd, unsigned int flags, unsigned int attrs)
{
	return (int)syscall(SYS_fsmount, fd, flags, attrs);
}

static int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to,
			  unsigned int flags)
{
	return (int)syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}

/* The kernel explains a refused fsconfig in the context's log ("e overlay:
 * ..."): keep the last error line for the message. */
static void fs_log(int fsfd, char *msg, size_t size)
{
	char buf[512];
	ssize_t n;

	msg[0] = '\0';
	while ((n = read(fsfd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		if (n > 2 && buf[0] == 'e' && buf[1] == ' ') {
			n -= 2;
			if ((size_t)n >= size)
				n = (ssize_t)size - 1;
			memcpy(msg, buf + 2, (size_t)n);
			while (n > 0 && msg[n - 1] == '\n')
				n--;
			msg[n] = '\0';
		}
	}
}

static int fs_fail(struct ctr_err *e, int fsfd, const char *what, const char *path)
{
	int err = errno;
	char msg[400];

	fs_log(fsfd, msg, sizeof(msg));
	if (msg[0])
		return ctr_err_set(e, err, what, "%s: %s", path, msg);
	return ctr_err_set(e, err, what, "%s", path);
}

static unsigned int ms_to_attr(unsigned long ms)
{
	unsigned int a = 0;

	if (ms & MS_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (ms & MS_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (ms & MS_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (ms & MS_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	if (ms & MS_NOATIME)
		a |= MOUNT_ATTR_NOATIME;
	if (ms & MS_STRICTATIME)
		a |= MOUNT_ATTR_STRICTATIME;
	if (ms & MS_NODIRATIME)
		a |= MOUNT_ATTR_NODIRATIME;
	return a;
}

/* Why a lower layer cannot be used, in the pre-mount check's words: -1 with
 * e, or 0 when it opens as a directory. */
static int lower_diag(const char *path, struct ctr_err *e)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);   /* closed at once */

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == ENOTDIR)
		return ctr_err_set(e, ENOTDIR, "lower layer is not a directory", "%s", path);
	return ctr_err_sys(e, "cannot access lower directory", "%s", path);
}

/* An absolute path without "//", "." or ".." components or a trailing '/',
 * short enough for an fsconfig string (at most 255 bytes). */
static int clean_abs(const char *p)
{
	size_t n = strlen(p);
	const char *s;

	if (p[0] != '/' || n > 255 || p[n - 1] == '/')
		return 0;
	for (s = p; (s = strchr(s, '/')); s++)
		if (s[1] == '/' || (s[1] == '.' && (s[2] == '/' || !s[2] ||
						    (s[2] == '.' && (s[3] == '/' || !s[3])))))
			return 0;
	return 1;
}

/* Hand one layer to the context: by fd (6.13+: nothing to escape, no length
 * limit) or else by absolute path. fsconfig takes strings of at most 255
 * bytes; upperdir/workdir strings are unescaped by overlay, lowerdir+ not.
 * With str (the kernel took a lowerdir+ already) a clean absolute lower goes
 * as it is: one syscall, where open + fsconfig(fd) + close cost the kernel a
 * struct file and a d_path() into a fresh page per layer (500 layers: ~2.5
 * ms of ~9). The kernel checks it (ENOENT, EINVAL "not a directory"). */
static int fs_layer(int fsfd, const char *key, const char *path, int by_fd, int str)
{
	struct sbuf b = { 0 };
	char abs[PATH_MAX];
	int rc, fd;

	if (str && clean_abs(path) && strcmp(key, "lowerdir+") == 0)
		return sys_fsconfig(fsfd, FSCONFIG_SET_STRING, key, path, 0);
	if (by_fd) {
		/* No O_CLOEXEC: closed before anything could exec, and musl
		 * would add an fcntl per layer for it. */
		fd = open(path, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			return -1;
		rc = sys_fsconfig(fsfd, FSCONFIG_SET_FD, key, NULL, fd);
		close(fd);
		return rc;
	}
	if (!realpath(path, abs))
		return -1;
	if (strcmp(key, "lowerdir+") == 0)
		sb_str(&b, abs);
	else
		sb_esc(&b, abs, "");
	if (b.oom || b.len > 255) {
		free(b.p);
		errno = ENAMETOOLONG;
		return -1;
	}
	rc = sys_fsconfig(fsfd, FSCONFIG_SET_STRING, key, b.p, 0);
	free(b.p);
	return rc;
}

/* A legacy context (a filesystem without fs_context support, overlay before
 * 6.5) takes any key into its one page of mount data; native overlay refuses
 * a key it does not know. */
static int fs_is_legacy(int fsfd)
{
	return sys_fsconfig(fsfd, FSCONFIG_SET_FLAG, "ctrbox-probe", NULL, 0) == 0;
}

/* Set each "key=value" or "flag" of opts (kernel options) on the context. */
static int fs_opts(int fsfd, const char *opts, struct ctr_err *e)
{
	char *copy, *item, *save = NULL, *eq;
	int rc = 0;

	if (!opts || !*opts)
		return 0;
	copy = strdup(opts);
	if (!copy)
		return ctr_err_sys(e, "out of memory", NULL);
	for (item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		if (eq) {
			*eq = '\0';
			rc = sys_fsconfig(fsfd, FSCONFIG_SET_STRING, item, eq + 1, 0);
			*eq = '=';
		} else {
			rc = sys_fsconfig(fsfd, FSCONFIG_SET_FLAG, item, NULL, 0);
		}
		if (rc < 0)
			fs_fail(e, fsfd, "overlay refused option", item);
	}
	free(copy);
	return rc;
}

/* fsopen("overlay") + one "lowerdir+" per layer (6.8+): no limit on the
 * number of layers but the kernel's own (500). Returns 0 mounted, 1 when
 * this kernel cannot take layers one by one (use mount(2)), -1 error. */
static int mount_newapi(const struct ctr_ovl *o, int *how, struct ctr_err *e)
{
	int fsfd, mfd = -1, by_fd = 1, rc = -1, err;
	size_t i;

	fsfd = sys_fsopen("overlay", FSOPEN_CLOEXEC);
	if (fsfd < 0) {
		if (errno == ENOSYS)
			return 1;
		return ctr_err_sys(e, "fsopen", "overlay");
	}
	/* The first layer tells what this kernel takes: by fd (6.13+), by
	 * string (6.8+), or nothing one by one: a legacy context (overlay
	 * before 6.5) would append any key blindly, 6.5-6.7 lack lowerdir+. */
	if (fs_layer(fsfd, "lowerdir+", o->lower[0], 1, 0) < 0) {
		err = errno;
		if (lower_diag(o->lower[0], e) < 0)
			goto out;
		errno = err;
		/* 6.1's legacy context refuses an fd with EOPNOTSUPP. */
		if (errno != EINVAL && errno != EOPNOTSUPP && errno != ENOSYS) {
			fs_fail(e, fsfd, "lower layer", o->lower[0]);
			goto out;
		}
		if (fs_is_legacy(fsfd)) {
			rc = 1;
			goto out;
		}
		by_fd = 0;
		if (fs_layer(fsfd, "lowerdir+", o->lower[0], 0, 0) < 0) {
			if (errno == EINVAL || errno == EOPNOTSUPP || errno == ENAMETOOLONG) {
				rc = 1;
				goto out;
			}
			fs_fail(e, fsfd, "lower layer", o->lower[0]);
			goto out;
		}
	}
	for (i = 1; i < o->nlower; i++) {
		if (fs_layer(fsfd, "lowerdir+", o->lower[i], by_fd, 1) == 0)
			continue;
		err = errno;
		if (lower_diag(o->lower[i], e) < 0)   /* the check's own words */
			goto out;
		errno = err;
		/* A path over fsconfig's 255 bytes on a kernel without fds. */
		if (errno == ENAMETOOLONG) {
			rc = 1;
			goto out;
		}
		fs_fail(e, fsfd, "lower layer", o->lower[i]);
		goto out;
	}
	*how = by_fd ? CTR_OVL_FD : CTR_OVL_STRING;
	if (o->upper) {
		if (fs_layer(fsfd, "upperdir", o->upper, by_fd, 0) < 0 ||
		    fs_layer(fsfd, "workdir", o->work, by_fd, 0) < 0) {
			if (errno == ENAMETOOLONG) {   /* over 255 bytes: mount(2) */
				rc = 1;
				goto out;
			}
			fs_fail(e, fsfd, "upper or work dir", o->upper);
			goto out;
		}
	}
	if (fs_opts(fsfd, o->opts, e) < 0)
		goto out;
	if (sys_fsconfig(fsfd, FSCONFIG_SET_STRING, "source", "overlay", 0) < 0 ||
	    ((o->flags & MS_RDONLY) && sys_fsconfig(fsfd, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0) ||
	    sys_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		fs_fail(e, fsfd, "mount overlay", o->merged);
		goto out;
	}
	mfd = sys_fsmount(fsfd, FSMOUNT_CLOEXEC, ms_to_attr(o->flags));
	if (mfd < 0) {
		fs_fail(e, fsfd, "fsmount", o->merged);
		goto out;
	}
	if (sys_move_mount(mfd, "", AT_FDCWD, o->merged, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		ctr_err_sys(e, "move_mount", "%s", o->merged);
		goto out;
	}
	rc = 0;
out:
	if (mfd >= 0)
		close(mfd);
	close(fsfd);
	return rc;
}

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
static void linkdir_remove(const char *dir)
{
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (lstat(dir, &st) < 0)
		return;
	if (S_ISLNK(st.st_mode)) {
		unlink(dir);
		return;
	}
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_type == DT_LNK)
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
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
static void build_data(struct sbuf *b, const struct ctr_ovl *o, char **abs, char **up,
		       int names, size_t plen)
{
	char name[24];
	size_t i;

	b->len = 0;
	sb_str(b, "lowerdir=");
	for (i = 0; i < o->nlower; i++) {
		if (i)
			sb_add(b, ":", 1);
		if (names >= NAMES_LINKS) {
			snprintf(name, sizeof(name), "%zu", i);
			sb_str(b, name);
		} else {
			sb_esc(b, names == NAMES_REL ? abs[i] + plen + 1 : abs[i], ":,");
		}
	}
	if (up[0]) {
		sb_str(b, ",upperdir=");
		sb_esc(b, names == NAMES_LINKS_UW ? "u" : up[0], ":,");
		sb_str(b, ",workdir=");
		sb_esc(b, names == NAMES_LINKS_UW ? "w" : up[1], ":,");
	}
	if (o->opts && *o->opts) {
		sb_add(b, ",", 1);
		sb_str(b, o->opts);
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

	linkdir_remove(dir);   /* a stale one, left by umount(8) */
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
	linkdir_remove(dir);
	return -1;
}

static int mount_data(const struct ctr_ovl *o, int *how, struct ctr_err *e)
{
	struct sbuf b = { 0 };
	char **abs, *up[2] = { NULL, NULL }, dir[PATH_MAX], *mabs = NULL, *parent = NULL;
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
	if (o->upper && (!(up[0] = realpath(o->upper, NULL)) || !(up[1] = realpath(o->work, NULL)))) {
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
			linkdir_remove(dir);
			goto out;
		}
	}
	/* After the chdir a relative merged would resolve elsewhere. */
	if (mount("overlay", mabs ? mabs : o->merged, "overlay", o->flags, b.p) < 0)
		ctr_err_sys(e, "mount overlay", "%s", o->merged);
	else
		rc = 0;
	if (cwd >= 0) {
		if (fchdir(cwd) < 0) {
			/* the mount is made: a lost cwd does not undo it */
		}
		close(cwd);
		if (rc < 0)
			linkdir_remove(dir);
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

/* ---- checks before mounting ---------------------------------------------- */

struct made {
	char *path[64];
	int n;
};

/* mkdir -p, remembering each dir it made (to undo in reverse). */
static int mkdir_p(const char *path, struct made *m, struct ctr_err *e)
{
	char buf[PATH_MAX], *p;
	struct stat st;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return ctr_err_set(e, ENAMETOOLONG, "cannot create directory", "%s", path);
	if (stat(buf, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		return ctr_err_set(e, ENOTDIR, "cannot use", "%s", path);
	}
	for (p = buf + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(buf, 0755) == 0) {
			if (m->n < 64)
				m->path[m->n++] = strdup(buf);
		} else if (errno != EEXIST) {
			return ctr_err_sys(e, "cannot create directory", "%s", buf);
		}
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

static void made_undo(struct made *m, int remove)
{
	while (m->n > 0) {
		m->n--;
		if (remove && m->path[m->n])
			rmdir(m->path[m->n]);
		free(m->path[m->n]);
	}
}

/* Is a inside b (or the same), by canonical path? */
static int path_within(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strncmp(a, b, n) == 0 && (a[n] == '/' || a[n] == '\0' || (n == 1 && b[0] == '/'));
}

/* The kernel's workdir holds only what overlay made there itself ("work",
 * "index"), which a later mount of the same overlay reuses. */
static int work_check(const char *work, struct ctr_err *e)
{
	DIR *d = opendir(work);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return ctr_err_sys(e, "cannot open work directory", "%s", work);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, "work") || !strcmp(de->d_name, "index"))
			continue;
		rc = ctr_err_set(e, 0, "work directory is not empty", "%s (holds '%s')", work,
				 de->d_name);
		break;
	}
	closedir(d);
	return rc;
}

/* Can this filesystem be overlay's upper? Not an overlay itself, writable,
 * and holding overlay's xattrs (opaque dirs, redirects): ramfs cannot. */
static int upper_check(const struct ctr_ovl *o, struct ctr_err *e)
{
	char ru[PATH_MAX], rw[PATH_MAX];
	const char *ns = "trusted";
	struct stat su, sw;
	struct statfs sf;
	struct statvfs sv;

	if (stat(o->upper, &su) < 0)
		return ctr_err_sys(e, "cannot access upper directory", "%s", o->upper);
	if (stat(o->work, &sw) < 0)
		return ctr_err_sys(e, "cannot access work directory", "%s", o->work);
	if (su.st_dev != sw.st_dev)
		return ctr_err_set(e, 0, "upper and work directories are on different filesystems",
				   "%s, %s", o->upper, o->work);
	if (!realpath(o->upper, ru) || !realpath(o->work, rw))
		return ctr_err_sys(e, "realpath", "%s", o->upper);
	if (path_within(ru, rw) || path_within(rw, ru))
		return ctr_err_set(e, 0, "upper and work directories must not be inside each other",
				   "%s, %s", ru, rw);
	if (work_check(o->work, e) < 0)
		return -1;
	if (statfs(o->upper, &sf) == 0 && (unsigned long)sf.f_type == OVERLAYFS_SUPER_MAGIC)
		return ctr_err_set(e, 0, "upper directory is on an overlay filesystem, which overlayfs "
				   "cannot use as upper", "%s", o->upper);
	if (statvfs(o->upper, &sv) == 0 && (sv.f_flag & ST_RDONLY))
		return ctr_err_set(e, EROFS, "upper directory is on a read-only filesystem", "%s",
				   o->upper);
	/* Overlay records opaque dirs and redirects in trusted.overlay.* (user.
	 * with userxattr); without them it silently degrades. Probe on work. */
	if (o->opts && strstr(o->opts, "userxattr"))
		ns = "user";
	char key[32];

	snprintf(key, sizeof(key), "%s.ctrbox-probe", ns);
	if (setxattr(o->work, key, "y", 1, 0) == 0) {
		removexattr(o->work, key);
	} else if (errno == ENOTSUP || errno == EOPNOTSUPP) {
		return ctr_err_set(e, 0, "upper filesystem cannot hold overlay's xattrs",
				   "%s: no %s.* xattr support (ramfs?)", o->upper, ns);
	}
	return 0;
}

/* Each lower must be a directory; with open_them the check opens each now
 * (mount(2) would not name the bad one), else fsconfig meets them one by one
 * and lower_diag() words a refusal the same way. */
static int lower_check(const struct ctr_ovl *o, int open_them, struct ctr_err *e)
{
	size_t i;

	if (o->nlower == 0)
		return ctr_err_set(e, EINVAL, "no lower directory", NULL);
	for (i = 0; open_them && i < o->nlower; i++)
		if (lower_diag(o->lower[i], e) < 0)
			return -1;
	/* Without an upper layer the kernel wants at least two lowers. */
	if (!o->upper && o->nlower < 2)
		return ctr_err_set(e, 0, "a read-only overlay (no upper) needs at least 2 lower "
				   "directories", NULL);
	return 0;
}

int ctr_ovl_mount(const struct ctr_ovl *o, struct ctr_err *e)
{
	struct made m = { .n = 0 };
	int how = 0, rc;

	if (lower_check(o, o->legacy, e) < 0)
		return -1;
	if ((o->upper && (mkdir_p(o->upper, &m, e) < 0 || mkdir_p(o->work, &m, e) < 0)) ||
	    mkdir_p(o->merged, &m, e) < 0 || (o->upper && upper_check(o, e) < 0)) {
		rc = -1;
	} else {
		rc = o->legacy ? 1 : mount_newapi(o, &how, e);
		if (rc == 1 && !o->legacy && lower_check(o, 1, e) < 0)
			rc = -1;
		if (rc == 1)
			rc = mount_data(o, &how, e);
	}
	made_undo(&m, rc < 0);
	return rc < 0 ? -1 : how;
}

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

int ctr_ovl_from_mountinfo(const struct ctr_mountinfo *mi,
			   int (*fn)(const struct ctr_ovl_info *ov, void *arg), void *arg)
{
	struct each x = { fn, arg, NULL, 0, 0 };

	return each_overlay(mi, &x);
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
		linkdir_remove(dir);
	return 0;
}

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
			snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
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
