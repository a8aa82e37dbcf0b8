/* path.c: paths inside a root resolved by fd (openat2 RESOLVE_IN_ROOT, or a
 * component-by-component O_NOFOLLOW walk), mkdir -p and mount targets made
 * by fd. Mounting by fd is in path_mount.c. See include/ctr/path.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/buf.h"
#include "ctr/compat.h"
#include "ctr/path.h"

/* How often a lookup that met a concurrent rename or swap is retried. */
#define RETRIES 32
/* As the kernel's MAXSYMLINKS. */
#define MAX_LINKS 40

/* ---- probes ------------------------------------------------------------- */

static int have_openat2 = -1;

int ctr_path_have_openat2(void)
{
	const char *env;

	if (have_openat2 < 0) {
		env = getenv("CTRBOX_OPENAT2");
		have_openat2 = !(env && env[0] == '0');
	}
	return have_openat2;
}

/* ---- the user-space walk ---------------------------------------------- */

enum { WALK_OPEN, WALK_MKDIR, WALK_MKFILE };

struct walk {
	int rootfd, flags, mode;
	mode_t perm;
	int (*made)(void *arg, const char *rel);
	void *arg;
	struct ctr_buf rem;     /* the path still to resolve, from pos */
	size_t pos;
	struct ctr_buf done;    /* what cur is: "/a/b", symlink-free */
	int cur;
	int links;
	char name[NAME_MAX + 1];
};

/* The next component of rem into w->name: 1, 0 at the end, -1 too long. */
static int next_name(struct walk *w)
{
	const char *s = w->rem.p ? w->rem.p + w->pos : "", *end;

	while (*s == '/')
		s++;
	if (!*s)
		return 0;
	end = strchrnul(s, '/');
	if (end - s > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(w->name, s, (size_t)(end - s));
	w->name[end - s] = '\0';
	w->pos = (size_t)(end - w->rem.p);
	return 1;
}

static int at_end(const struct walk *w)
{
	const char *s = w->rem.p + w->pos;

	while (*s == '/')
		s++;
	return !*s;
}

/* cur := the root, then down done's components again, none of them a
 * symlink (".." is resolved here, never by the kernel: a directory moved
 * out of the root cannot lead ".." outside). */
static int reopen_done(struct walk *w)
{
	char *p, *s, *save = NULL;
	int fd;

	if (w->cur >= 0)
		close(w->cur);
	w->cur = openat(w->rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w->cur < 0 || !w->done.len)
		return w->cur < 0 ? -1 : 0;
	s = strdup(w->done.p);
	if (!s)
		return -1;
	for (p = strtok_r(s, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		fd = openat(w->cur, p, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			/* swapped for a symlink or a file since: start over */
			errno = EAGAIN;
			free(s);
			return -1;
		}
		close(w->cur);
		w->cur = fd;
	}
	free(s);
	return 0;
}

/* Replace the component just read by the symlink fd points to. */
static int expand_link(struct walk *w, int fd)
{
	struct ctr_buf nrem = CTR_BUF_INIT;
	char target[PATH_MAX];
	ssize_t n;

	if (w->flags & CTR_PATH_NO_SYMLINKS || ++w->links > MAX_LINKS) {
		errno = ELOOP;
		return -1;
	}
	n = readlinkat(fd, "", target, sizeof(target));
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(target)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (ctr_buf_add(&nrem, target, (size_t)n) < 0 || ctr_buf_chr(&nrem, '/') < 0 ||
	    ctr_buf_puts(&nrem, w->rem.p + w->pos) < 0) {
		ctr_buf_free(&nrem);
		return -1;
	}
	ctr_buf_free(&w->rem);
	w->rem = nrem;
	w->pos = 0;
	/* An absolute link starts again at the root: the image's "/". */
	if (target[0] == '/') {
		ctr_buf_reset(&w->done);
		return reopen_done(w);
	}
	return 0;
}

static int tell_made(struct walk *w)
{
	size_t len = w->done.len;
	int rc;

	if (!w->made)
		return 0;
	if (ctr_buf_chr(&w->done, '/') < 0 || ctr_buf_puts(&w->done, w->name) < 0)
		return -1;
	rc = w->made(w->arg, w->done.p);
	w->done.len = len;
	w->done.p[len] = '\0';
	return rc ? -1 : 0;
}

/* Resolve all but the last component: leaves w->cur (the parent) and
 * w->name (the last name, "." for cur itself). Missing directories are made
 * on the way with WALK_MKDIR/WALK_MKFILE (and the last one with MKDIR). */
static int walk_to_last(struct walk *w)
{
	struct stat st;
	int fd, r, last;

	if (reopen_done(w) < 0)
		return -1;
	for (;;) {
		r = next_name(w);
		if (r <= 0) {
			strcpy(w->name, ".");
			return r;
		}
		if (strcmp(w->name, ".") == 0)
			continue;
		if (strcmp(w->name, "..") == 0) {
			char *slash = w->done.len ? strrchr(w->done.p, '/') : NULL;

			if (slash) {
				w->done.len = (size_t)(slash - w->done.p);
				*slash = '\0';
			}
			if (reopen_done(w) < 0)
				return -1;
			continue;
		}
		last = at_end(w);
		fd = openat(w->cur, w->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && w->mode != WALK_OPEN &&
		    !(last && w->mode == WALK_MKFILE)) {
			if (mkdirat(w->cur, w->name, w->perm) == 0) {
				if (tell_made(w) < 0)
					return -1;
			} else if (errno != EEXIST) {
				return -1;
			}
			fd = openat(w->cur, w->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0)
			return (last && errno == ENOENT) ? 0 : -1;
		if (fstat(fd, &st) < 0) {
			close(fd);
			return -1;
		}
		if (S_ISLNK(st.st_mode) && !(last && w->flags & CTR_PATH_NOFOLLOW)) {
			r = expand_link(w, fd);
			close(fd);
			if (r < 0)
				return -1;
			continue;
		}
		if (last) {
			close(fd);
			return 0;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			errno = ENOTDIR;
			return -1;
		}
		close(w->cur);
		w->cur = fd;
		if (ctr_buf_chr(&w->done, '/') < 0 || ctr_buf_puts(&w->done, w->name) < 0)
			return -1;
	}
}

static void walk_free(struct walk *w)
{
	if (w->cur >= 0)
		close(w->cur);
	w->cur = -1;
	ctr_buf_free(&w->rem);
	ctr_buf_free(&w->done);
}

/* The walk, then open the last component from its parent with O_NOFOLLOW:
 * whatever was swapped in since, it is an entry of a directory inside the
 * root. A symlink swapped in is seen (ELOOP, or an O_PATH fd of a link) and
 * the walk starts over. */
static int walk_open(int rootfd, const char *path, int oflags, mode_t mode, int flags,
		     int wmode, mode_t perm, int (*made)(void *, const char *), void *arg)
{
	struct walk w = { .rootfd = rootfd, .flags = flags, .mode = wmode, .perm = perm,
			  .made = made, .arg = arg, .cur = -1 };
	struct stat st;
	int tries, fd = -1, err;

	for (tries = 0; tries < RETRIES; tries++) {
		w.links = 0;
		w.pos = 0;
		ctr_buf_reset(&w.done);
		ctr_buf_reset(&w.rem);
		if (ctr_buf_puts(&w.rem, path) < 0)
			break;
		if (walk_to_last(&w) < 0) {
			if (errno == EAGAIN)
				continue;
			break;
		}
		fd = openat(w.cur, w.name, oflags | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno == EEXIST && wmode == WALK_MKFILE)
			fd = openat(w.cur, w.name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		else if (fd >= 0 && wmode == WALK_MKFILE && tell_made(&w) < 0) {
			close(fd);
			fd = -1;
			break;
		}
		if (fd < 0) {
			if (errno == ELOOP && !(flags & CTR_PATH_NOFOLLOW))
				continue;   /* became a symlink since the walk */
			break;
		}
		if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode) && !(flags & CTR_PATH_NOFOLLOW)) {
			close(fd);
			fd = -1;
			continue;
		}
		/* A directory on the way renamed out of the root while we held it
		 * would have taken the walk outside: ask the kernel where fd is. */
		if (ctr_path_fd_under(rootfd, fd) == 0) {
			close(fd);
			fd = -1;
			errno = EXDEV;
			continue;
		}
		break;
	}
	err = errno;
	walk_free(&w);
	if (fd < 0 && tries == RETRIES && err == EAGAIN)
		err = ELOOP;
	errno = err;
	return fd;
}

/* ---- the public lookups -------------------------------------------------- */

int ctr_path_open(int rootfd, const char *path, int oflags, mode_t mode, int flags)
{
	struct {
		uint64_t flags, mode, resolve;
	} how;
	int tries, fd;

	if (!(oflags & (O_CREAT | O_TMPFILE)))
		mode = 0;
	if (ctr_path_have_openat2() && strlen(path) < PATH_MAX) {
		how.flags = (uint64_t)(oflags | O_CLOEXEC | (flags & CTR_PATH_NOFOLLOW ? O_NOFOLLOW : 0));
		how.mode = mode;
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
			      (flags & CTR_PATH_NO_SYMLINKS ? RESOLVE_NO_SYMLINKS : 0);
		for (tries = 0; tries < RETRIES; tries++) {
			fd = (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof(how));
			if (fd >= 0 || errno != EAGAIN)
				break;
		}
		if (fd >= 0)
			return fd;
		if (errno == ENOSYS || errno == EPERM)
			have_openat2 = 0;
		else if (errno != EINVAL && errno != E2BIG)
			return -1;
	}
	return walk_open(rootfd, path, oflags, mode, flags, WALK_OPEN, 0, NULL, NULL);
}

/* What is there already takes one openat2 (the walk costs a dozen calls). */
static int open_existing(int rootfd, const char *path, int oflags)
{
	return ctr_path_have_openat2() ? ctr_path_open(rootfd, path, oflags, 0, 0) : -1;
}

/* A missing last component whose parent is there, nobody to tell (made).
 * A file: one openat2 with O_CREAT|O_EXCL, which makes a new regular file
 * and follows no symlink at the last component. A dir: the parent by one
 * openat2, the dir made in it (mkdirat follows no symlink either). */
static int make_last(int rootfd, const char *path, int dir, mode_t mode)
{
	const char *name = strrchr(path, '/');
	char parent[PATH_MAX];
	int pfd, fd = -1;

	if (!dir)
		return ctr_path_have_openat2()
		       ? ctr_path_open(rootfd, path, O_WRONLY | O_CREAT | O_EXCL, mode, 0) : -1;
	/* "", "." or "..": the mkdirat fails, the walk decides */
	if (!name || (size_t)(name - path) >= sizeof(parent))
		return -1;
	memcpy(parent, path, (size_t)(name - path));
	parent[name - path] = '\0';
	pfd = open_existing(rootfd, parent, O_PATH | O_DIRECTORY);
	if (pfd < 0)
		return -1;
	name++;
	if (mkdirat(pfd, name, mode) == 0)
		fd = openat(pfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY);
	close(pfd);
	return fd;
}

int ctr_path_mkdir(int rootfd, const char *path, mode_t mode,
		   int (*made)(void *arg, const char *rel), void *arg)
{
	int fd = open_existing(rootfd, path, O_PATH | O_DIRECTORY);

	if (fd >= 0 || (!made && (fd = make_last(rootfd, path, 1, mode)) >= 0))
		return fd;
	return walk_open(rootfd, path, O_PATH | O_DIRECTORY, 0, 0, WALK_MKDIR, mode, made, arg);
}

int ctr_path_mkfile(int rootfd, const char *path, mode_t mode,
		    int (*made)(void *arg, const char *rel), void *arg)
{
	int fd = open_existing(rootfd, path, O_PATH);

	if (fd >= 0 || (!made && (fd = make_last(rootfd, path, 0, mode)) >= 0))
		return fd;
	return walk_open(rootfd, path, O_WRONLY | O_CREAT | O_EXCL, mode, 0, WALK_MKFILE,
			 0755, made, arg);
}

int ctr_path_unlink(int rootfd, const char *path, int flags)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	char *dir;
	int dfd, rc, err;

	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		errno = EINVAL;
		return -1;
	}
	dir = strndup(path, slash ? (size_t)(slash - path) : 0);
	if (!dir)
		return -1;
	dfd = ctr_path_open(rootfd, dir, O_PATH | O_DIRECTORY, 0, 0);
	free(dir);
	if (dfd < 0)
		return -1;
	rc = unlinkat(dfd, name, flags);
	err = errno;
	close(dfd);
	errno = err;
	return rc;
}

char *ctr_path_of_fd(int fd)
{
	char self[32], *buf = NULL, *nb;
	size_t size = 256;
	ssize_t n;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	for (;;) {
		nb = realloc(buf, size);
		if (!nb) {
			free(buf);
			return NULL;
		}
		buf = nb;
		n = readlink(self, buf, size);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < size) {
			buf[n] = '\0';
			return buf;
		}
		size *= 2;
	}
}

int ctr_path_fd_under(int rootfd, int fd)
{
	char *r = ctr_path_of_fd(rootfd), *f = r ? ctr_path_of_fd(fd) : NULL;
	size_t n;
	int in;

	if (!f) {
		free(r);
		return -1;
	}
	n = strlen(r);
	in = (n == 1 && r[0] == '/') ||
	     (strncmp(r, f, n) == 0 && (f[n] == '\0' || f[n] == '/'));
	free(r);
	free(f);
	return in;
}
