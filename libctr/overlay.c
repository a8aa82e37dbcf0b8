/* overlay.c: mounting overlayfs with many layers: the checks, then the new
 * mount API with the layers one by one (fsconfig "lowerdir+"), else mount(2)
 * with one page of data (overlay_data.c). Reading mounts back is in
 * overlay_inspect.c, an upper layer's changes in overlay_diff.c. */
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
#include "ctr/str.h"
#include "ctr/buf.h"
#include "ctr/compat.h"
#include "ctr/dir.h"
#include "ctr/mount.h"
#include "ctr/overlay.h"
#include "overlay_int.h"

/* Append s with a backslash before each of the chars in special: the
 * kernel's overlay option syntax (a ':' inside one lowerdir, a ',' inside a
 * value of mount(2) data, the backslash itself). */
void ctr_ovl_esc(struct ctr_buf *b, const char *s, const char *special)
{
	for (; *s; s++) {
		if (*s == '\\' || strchr(special, *s))
			ctr_buf_add(b, "\\", 1);
		ctr_buf_add(b, s, 1);
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
	struct ctr_buf b = CTR_BUF_INIT;
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
		ctr_buf_puts(&b, abs);
	else
		ctr_ovl_esc(&b, abs, "");
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
static int mount_newapi(const struct ctr_ovl *o, int tfd, int *how, struct ctr_err *e)
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
	mfd = sys_fsmount(fsfd, FSMOUNT_CLOEXEC, ctr_mount_attr(o->flags));
	if (mfd < 0) {
		fs_fail(e, fsfd, "fsmount", o->merged);
		goto out;
	}
	if (sys_move_mount(mfd, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
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
struct work_ctx {
	const char *work;
	struct ctr_err *e;
};

static int work_entry(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	struct work_ctx *w = arg;

	(void)type;
	(void)ino;
	if (!strcmp(name, "work") || !strcmp(name, "index"))
		return 0;
	ctr_err_set(w->e, 0, "work directory is not empty", "%s (holds '%s')", w->work, name);
	return 1;
}

static int work_check(const char *work, struct ctr_err *e)
{
	struct work_ctx w = { work, e };
	int fd = open(work, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return ctr_err_sys(e, "cannot open work directory", "%s", work);
	rc = ctr_dir_foreach(fd, work_entry, &w);
	if (rc < 0)
		ctr_err_sys(e, "cannot read work directory", "%s", work);
	close(fd);
	return rc ? -1 : 0;
}

/* Can this filesystem be overlay's upper? Not an overlay itself, writable,
 * and holding overlay's xattrs (opaque dirs, redirects): ramfs cannot. */
static int upper_check(const struct ctr_ovl *o, struct ctr_err *e)
{
	char ru[PATH_MAX], rw[PATH_MAX];
	const char *ns = "trusted";
	struct stat su, sw;
	struct statfs sf;

	if (o->fresh)
		goto fs;
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
fs:
	/* one statfs: f_flags holds ST_RDONLY (2.6.36+) */
	if (statfs(o->upper, &sf) < 0)
		memset(&sf, 0, sizeof(sf));     /* mount(2) will say why */
	if ((unsigned long)sf.f_type == OVERLAYFS_SUPER_MAGIC)
		return ctr_err_set(e, 0, "upper directory is on an overlay filesystem, which overlayfs "
				   "cannot use as upper", "%s", o->upper);
	if (sf.f_flags & ST_RDONLY)
		return ctr_err_set(e, EROFS, "upper directory is on a read-only filesystem", "%s",
				   o->upper);
	/* Overlay records opaque dirs and redirects in trusted.overlay.* (user.
	 * with userxattr); without them it silently degrades. Probe on work. */
	if (o->opts && ctr_strstr(o->opts, "userxattr"))
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

/* Do the absolute names fit mount(2)'s one page (with room for escapes)? */
static int data_fits(const struct ctr_ovl *o)
{
	size_t i, n = 64 + (o->opts ? strlen(o->opts) : 0);

	if (!o->upper || o->upper[0] != '/' || o->work[0] != '/')
		return 0;
	n += strlen(o->upper) + strlen(o->work);
	for (i = 0; i < o->nlower; i++) {
		if (o->lower[i][0] != '/')
			return 0;
		n += strlen(o->lower[i]) + 1;
	}
	return n + n / 8 <= CTR_OVL_DATA_MAX;
}

int ctr_ovl_mount(const struct ctr_ovl *o, struct ctr_err *e)
{
	struct made m = { .n = 0 };
	int how = 0, rc, tfd = -1;

	if (lower_check(o, o->legacy, e) < 0)
		return -1;
	/* The merged dir is opened once, right after it is made, and mounted
	 * onto by that fd: a symlink swapped in for it (or for a dir on its
	 * way) during the checks cannot redirect the mount. But a caller's
	 * fresh dirs under absolute names that fit one page go to
	 * mount(2) at once (the new API costs an fsopen, an open and fsconfig
	 * per layer, fsmount and move_mount), merged by its name (the
	 * caller's, where no one else writes); a refusal then names the bad
	 * lower if one is. */
	int fits = o->fresh && data_fits(o), by_name = fits && o->merged[0] == '/';

	if ((o->upper && !o->fresh && (mkdir_p(o->upper, &m, e) < 0 || mkdir_p(o->work, &m, e) < 0)) ||
	    (!by_name && mkdir_p(o->merged, &m, e) < 0) ||
	    (!by_name && (tfd = openat(AT_FDCWD, o->merged, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 &&
	     ctr_err_sys(e, "cannot open", "%s", o->merged)) ||
	    (o->upper && upper_check(o, e) < 0)) {
		rc = -1;
	} else {
		int direct = o->legacy || fits;

		rc = direct ? 1 : mount_newapi(o, tfd, &how, e);
		if (rc == 1 && !direct && lower_check(o, 1, e) < 0)
			rc = -1;
		if (rc == 1) {
			rc = ctr_ovl_mount_data(o, tfd, &how, e);
			if (rc < 0 && o->fresh)
				lower_check(o, 1, e);
		}
	}
	if (tfd >= 0)
		close(tfd);
	made_undo(&m, rc < 0);
	return rc < 0 ? -1 : how;
}
