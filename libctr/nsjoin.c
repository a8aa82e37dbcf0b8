/* nsjoin.c: joining a running process beyond setns(2): a socket's net
 * namespace, the owning user namespace, cgroups (v2 and v1), root, ids and
 * environment. */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/buf.h"
#include "ctr/mount.h"  /* <sys/mount.h> before compat.h's fsconfig macros */
#include "ctr/compat.h"
#include "ctr/dir.h"
#include "ctr/ns.h"
#include "ctr/nsjoin.h"

int ctr_nsjoin_open(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

int ctr_nsjoin_pidfd_ino(int pidfd, uint64_t *ino)
{
	struct statfs sfs;
	struct stat st;

	/* Only pidfs (6.9+) gives a pidfd an inode number unique to the process. */
	if (fstatfs(pidfd, &sfs) < 0)
		return -1;
	if (sfs.f_type != PIDFS_MAGIC) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (fstat(pidfd, &st) < 0)
		return -1;
	*ino = (uint64_t)st.st_ino;
	return 0;
}

int ctr_nsjoin_pidfd_setns_ok(void)
{
	static int ok = -1;
	int fd, err = errno;

	if (ok >= 0)
		return ok;
	/* Probed, not read off uname(2) (a distribution kernel may carry it
	 * back, a seccomp filter may refuse it): join our own UTS namespace
	 * through a pidfd of ourselves, a no-op where setns(2) takes pidfds
	 * (>= 5.8). Older kernels say EINVAL (not an nsfs file); EPERM means
	 * it exists but needs CAP_SYS_ADMIN, which the real call will say too. */
	fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	ok = fd >= 0 && (setns(fd, CLONE_NEWUTS) == 0 || errno == EPERM);
	if (fd >= 0)
		close(fd);
	errno = err;
	return ok;
}

int ctr_nsjoin_sock_netns(int pidfd, int sockfd, struct ctr_err *e)
{
	int sk, nsfd, err;

	/* A duplicate of the target's fd: needs PTRACE_MODE_ATTACH on it. */
	sk = (int)syscall(SYS_pidfd_getfd, pidfd, sockfd, 0);
	if (sk < 0)
		return ctr_err_sys(e, "pidfd_getfd", "%d", sockfd);
	nsfd = ioctl(sk, SIOCGSKNS);
	err = errno;
	close(sk);
	if (nsfd < 0)
		return ctr_err_set(e, err, "ioctl SIOCGSKNS", "fd %d", sockfd);
	return nsfd;
}

static int ns_type_bit(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	const struct ctr_ns_type *t = ctr_ns_by_name(name);

	(void)type;
	(void)ino;
	if (t)
		*(int *)arg |= t->flag;
	return 0;
}

int ctr_nsjoin_types_here(void)
{
	int fd, mask = 0, rc;

	/* One directory read instead of a stat(2) per type. */
	fd = open("/proc/self/ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = ctr_dir_foreach(fd, ns_type_bit, &mask);
	close(fd);
	return rc < 0 ? -1 : mask;
}

static int userns_id(int pidfd, struct stat *st)
{
	int fd = ioctl(pidfd, PIDFD_GET_USER_NAMESPACE), rc;

	if (fd < 0)
		return -1;
	rc = fstat(fd, st);
	close(fd);
	return rc;
}

int ctr_nsjoin_pidfd_own_userns(int pidfd)
{
	struct stat mine, theirs;
	int self, rc;

	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (self < 0)
		return -1;
	rc = userns_id(self, &mine);
	close(self);
	if (rc < 0 || userns_id(pidfd, &theirs) < 0)
		return -1;
	return mine.st_ino == theirs.st_ino && mine.st_dev == theirs.st_dev;
}

int ctr_nsjoin_owner_userns(int nsfd)
{
	return ioctl(nsfd, NS_GET_USERNS);
}

/* ---- cgroups ------------------------------------------------------------ */

struct cg_line {
	int id;          /* 0: the cgroup2 hierarchy */
	char *ctrls;     /* v1: "cpu,cpuacct" or "name=systemd" */
	char *path;      /* relative to our cgroup namespace's root */
	int done;
};

struct cg_ctx {
	struct cg_line line[CTR_CGJOIN_MAX];
	int nlines;
	struct ctr_cgjoin *cg;
	struct ctr_err *e;
	int failed;
};

/* Is every item of the comma list want among the comma list have? */
static int all_in(const char *want, const char *have)
{
	const char *w = want, *h;
	size_t n, m;

	while (*w) {
		n = strcspn(w, ",");
		for (h = have; *h; h += m + (h[m] == ',')) {
			m = strcspn(h, ",");
			if (m == n && strncmp(h, w, n) == 0)
				break;
		}
		if (!*h)
			return 0;
		w += n + (w[n] == ',');
	}
	return *want != '\0';
}

static int open_procs(struct cg_ctx *c, const struct ctr_mountinfo *mi, struct cg_line *l)
{
	struct ctr_cgjoin *cg = c->cg;
	const char *rel = l->path;
	size_t rootlen = strlen(mi->root);
	char path[4096];
	int fd;

	/* The mount may show only a subtree (its root); our path must be in it. */
	if (strcmp(mi->root, "/") != 0) {
		if (strncmp(rel, mi->root, rootlen) != 0 || (rel[rootlen] && rel[rootlen] != '/'))
			return 0;
		rel += rootlen;
	}
	if (snprintf(path, sizeof(path), "%s%s/cgroup.procs", mi->target, rel) >= (int)sizeof(path)) {
		c->failed = 1;
		return ctr_err_set(c->e, ENAMETOOLONG, "failed to open cgroup.procs", "%s", mi->target);
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		c->failed = 1;
		return ctr_err_sys(c->e, "failed to open cgroup.procs", "%s", path);
	}
	l->done = 1;
	cg->fd[cg->n] = fd;
	rootlen = strlen(path);
	if (rootlen >= sizeof(cg->path[0]))
		rootlen = sizeof(cg->path[0]) - 1;
	memcpy(cg->path[cg->n], path, rootlen);
	cg->path[cg->n][rootlen] = '\0';
	cg->n++;
	return 0;
}

static int match_mount(const struct ctr_mountinfo *mi, void *arg)
{
	struct cg_ctx *c = arg;
	int i, v2 = strcmp(mi->fstype, "cgroup2") == 0;

	if (!v2 && strcmp(mi->fstype, "cgroup") != 0)
		return 0;
	for (i = 0; i < c->nlines; i++) {
		struct cg_line *l = &c->line[i];

		if (l->done || (l->id == 0) != v2)
			continue;
		if (!v2 && !all_in(l->ctrls, mi->super_opts))
			continue;
		if (open_procs(c, mi, l) < 0)
			return 1;
	}
	return 0;
}

int ctr_nsjoin_cgroup_open(int cgroupfd, struct ctr_cgjoin *cg, struct ctr_err *e)
{
	struct cg_ctx c = { .cg = cg, .e = e };
	struct ctr_buf b = CTR_BUF_INIT;
	char *p, *nl, *c1, *c2;
	int rc = -1;

	cg->n = 0;
	/* /proc/PID/cgroup of any length: read whole (cgroup paths are long). */
	if (!(b.p = ctr_buf_slurp(cgroupfd, &b.len))) {
		ctr_err_sys(e, "failed to get cgroup path", NULL);
		goto out;
	}
	/* Lines "ID:CONTROLLERS:PATH"; the path may itself hold colons. */
	for (p = b.p; *p; p = nl + 1) {
		if (c.nlines == CTR_CGJOIN_MAX) {
			ctr_err_set(e, E2BIG, "failed to get cgroup path",
				    "more than %d hierarchies", CTR_CGJOIN_MAX);
			goto out;
		}
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		else
			*nl = '\0';
		c1 = strchr(p, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || c2[1] != '/')
			continue;
		*c1 = *c2 = '\0';
		c.line[c.nlines].id = atoi(p);
		c.line[c.nlines].ctrls = c1 + 1;
		c.line[c.nlines].path = c2 + 1;
		c.line[c.nlines].done = 0;
		if (c.line[c.nlines].id != 0 && !c1[1])
			continue;
		c.nlines++;
		if (!nl[1])
			break;
	}
	if (ctr_mountinfo_foreach(0, match_mount, &c) < 0 && !c.failed) {
		ctr_err_sys(e, "cannot read", "/proc/self/mountinfo");
		goto out;
	}
	if (c.failed) {
		ctr_nsjoin_cgroup_close(cg);
		goto out;
	}
	if (cg->n == 0) {
		ctr_err_set(e, 0, "failed to get cgroup path", "no hierarchy of the target is mounted");
		goto out;
	}
	rc = 0;
out:
	ctr_buf_free(&b);
	return rc;
}

int ctr_nsjoin_cgroup_enter(struct ctr_cgjoin *cg, struct ctr_err *e)
{
	int i, rc = 0;

	/* "0" is the writer itself, in cgroup v1 and v2 alike. */
	for (i = 0; i < cg->n && rc == 0; i++)
		if (write(cg->fd[i], "0", 1) != 1)
			rc = ctr_err_sys(e, "write cgroup.procs failed", "%s", cg->path[i]);
	ctr_nsjoin_cgroup_close(cg);
	return rc;
}

void ctr_nsjoin_cgroup_close(struct ctr_cgjoin *cg)
{
	while (cg->n > 0)
		close(cg->fd[--cg->n]);
}

/* ---- the process itself ------------------------------------------------- */

static char *read_env(int fd, size_t *len)
{
	return ctr_buf_slurp(fd, len);
}

int ctr_nsjoin_take_env(int fd, struct ctr_err *e)
{
	size_t len, off;
	char *buf = read_env(fd, &len);

	if (!buf)
		return ctr_err_sys(e, "failed to get environment variables", NULL);
	clearenv();
	/* The buffer stays allocated: putenv keeps pointers into it. */
	for (off = 0; off < len; off += strlen(buf + off) + 1)
		if (strchr(buf + off, '=') && putenv(buf + off) != 0)
			return ctr_err_sys(e, "failed to set environment variables", NULL);
	return 0;
}

int ctr_nsjoin_chroot(int rootfd, struct ctr_err *e)
{
	if (fchdir(rootfd) < 0)
		return ctr_err_sys(e, "change directory by root file descriptor failed", NULL);
	if (chroot(".") < 0)
		return ctr_err_sys(e, "chroot failed", NULL);
	if (chdir("/") < 0)
		return ctr_err_sys(e, "cannot change directory to /", NULL);
	return 0;
}

int ctr_nsjoin_fchdir(int fd, struct ctr_err *e)
{
	if (fchdir(fd) < 0)
		return ctr_err_sys(e, "change directory by working directory file descriptor failed",
				   NULL);
	return 0;
}

int ctr_nsjoin_owner(int fd, uid_t *uid, gid_t *gid)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	*uid = st.st_uid;
	*gid = st.st_gid;
	return 0;
}

int ctr_nsjoin_clear_groups(void)
{
	return (int)syscall(SYS_setgroups, 0, NULL);
}

int ctr_nsjoin_set_ids(int set_uid, uid_t uid, int set_gid, gid_t gid, struct ctr_err *e)
{
	if (set_gid && syscall(SYS_setgid, gid) < 0)
		return ctr_err_sys(e, "setgid() failed", NULL);
	if (set_uid && syscall(SYS_setuid, uid) < 0)
		return ctr_err_sys(e, "setuid() failed", NULL);
	return 0;
}
