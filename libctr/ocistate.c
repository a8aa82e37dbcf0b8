/* ocistate.c: the OCI runtime's container directories, status, state JSON
 * (see include/ctr/ocistate.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ctr/str.h"
#include "ctr/cgroup.h"
#include "ctr/engine.h"
#include "ctr/ocistate.h"
#include "ctr/proc.h"

int ctr_ocist_valid_id(const char *id)
{
	size_t n = strlen(id);

	if (!n || n > 255 || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+.-") == n;
}

/* A process-owned record lock (fcntl F_SETLK) on <dir>/lock: unlike flock
 * it is not inherited by the container's init, which holds a copy of every
 * fd until it execs, and it goes away with the process that took it. */
static int lock_dir(struct ctr_ocist *st, int type, int nonblock)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET };

	st->lockfd = openat(st->dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (st->lockfd < 0)
		return -1;
	while (fcntl(st->lockfd, nonblock ? F_SETLK : F_SETLKW, &fl) < 0) {
		if (errno != EINTR) {
			if (errno == EACCES)
				errno = EWOULDBLOCK;
			return -1;
		}
	}
	return 0;
}

static int set_dir(struct ctr_ocist *st, const char *root, const char *id, struct ctr_err *e)
{
	memset(st, 0, sizeof(*st));
	st->dirfd = st->lockfd = -1;
	if (!ctr_ocist_valid_id(id))
		return ctr_err_set(e, EINVAL, "invalid container id", "%s", id);
	snprintf(st->id, sizeof(st->id), "%s", id);
	if ((size_t)snprintf(st->dir, sizeof(st->dir), "%s/%s", root, id) >= sizeof(st->dir))
		return ctr_err_set(e, ENAMETOOLONG, "state directory", "%s/%s", root, id);
	return 0;
}

/* mkdir -p, 0700 (runc: MkdirAll of --root) */
static int mkdir_p(const char *dir)
{
	char p[PATH_MAX], *s;

	if (snprintf(p, sizeof(p), "%s", dir) >= (int)sizeof(p))
		return errno = ENAMETOOLONG, -1;
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			return -1;
		if (!(*s = c))
			return 0;
	}
}

int ctr_ocist_create(struct ctr_ocist *st, const char *root, const char *id,
		     struct ctr_err *e)
{
	if (set_dir(st, root, id, e) < 0)
		return -1;
	if (mkdir_p(root) < 0)
		return ctr_err_sys(e, "cannot create the state root", "%s", root);
	if (mkdir(st->dir, 0700) < 0)
		return errno == EEXIST ?
			ctr_err_set(e, EEXIST, "container with this id exists", "%s", id) :
			ctr_err_sys(e, "cannot create the state directory", "%s", st->dir);
	st->dirfd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0 || lock_dir(st, F_WRLCK, 0) < 0) {
		ctr_err_sys(e, "cannot lock the state directory", "%s", st->dir);
		ctr_ocist_remove(st);
		return -1;
	}
	st->creating = 1;
	return 0;
}

static void fill(struct ctr_ocist *st)
{
	const struct ctr_json *d = st->doc;
	const char *s;
	int64_t v;
	uint64_t u;

#define STR(key, dst) \
	if ((s = ctr_json_str(ctr_json_get(d, key)))) snprintf(dst, sizeof(dst), "%s", s)
	STR("bundle", st->bundle);
	STR("rootfs", st->rootfs);
	STR("created", st->created);
	STR("cgroup", st->cgroup);
#undef STR
	if (ctr_json_i64(ctr_json_get(d, "pid"), &v) == 0 && v > 0 && v < 1 << 22)
		st->pid = (pid_t)v;
	if (ctr_json_u64(ctr_json_get(d, "start_time"), &u) == 0)
		st->start_time = u;
	st->cgroup_made = ctr_json_get(d, "cgroup_made") &&
			  ctr_json_get(d, "cgroup_made")->type == CTR_JSON_TRUE;
	st->creating = ctr_json_get(d, "creating") &&
		       ctr_json_get(d, "creating")->type == CTR_JSON_TRUE;
	st->oci_version = ctr_json_str(ctr_json_get(d, "ociVersion"));
	st->annotations = ctr_json_get(d, "annotations");
	st->hooks = ctr_json_get(d, "hooks");
}

int ctr_ocist_open(struct ctr_ocist *st, const char *root, const char *id, int lock,
		   int nonblock, struct ctr_err *e)
{
	struct ctr_err ign;

	if (set_dir(st, root, id, e) < 0)
		return -1;
	st->dirfd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0)
		return errno == ENOENT ?
			ctr_err_set(e, ENOENT, "container does not exist", "%s", id) :
			ctr_err_sys(e, "cannot open the state directory", "%s", st->dir);
	if (lock_dir(st, lock, nonblock) < 0) {
		if (errno == EWOULDBLOCK)
			return CTR_OCIST_CREATING;
		return ctr_err_sys(e, "cannot lock the state directory", "%s", st->dir);
	}
	st->doc = ctr_json_load(st->dirfd, "state.json", 0, &ign);
	if (!st->doc) {
		/* the creator died before writing anything */
		st->creating = 1;
		return CTR_OCIST_STALE;
	}
	fill(st);
	return ctr_ocist_status(st);
}

static int alive(const struct ctr_ocist *st)
{
	unsigned long long t = ctr_proc_start_time(st->pid);

	return t && t == st->start_time;
}

int ctr_ocist_status(const struct ctr_ocist *st)
{
	if (st->creating)
		return CTR_OCIST_STALE;   /* the caller holds the lock: nobody is at work */
	if (!alive(st))
		return CTR_OCIST_STOPPED;
	if (faccessat(st->dirfd, "exec.fifo", F_OK, 0) == 0)
		return CTR_OCIST_CREATED;
	return ctr_ocist_frozen(st) ? CTR_OCIST_PAUSED : CTR_OCIST_RUNNING;
}

const char *ctr_ocist_status_name(int status)
{
	static const char *const n[] = { "creating", "created", "running", "paused",
					 "stopped", "stopped" };
	return status >= 0 && status <= CTR_OCIST_STALE ? n[status] : "unknown";
}

void ctr_ocist_now(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	/* by hand: strftime brings musl's time zone and locale code along */
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)ts.tv_nsec);
}

int ctr_ocist_save(const struct ctr_ocist *st, const char *oci_version,
		   const struct ctr_json *annotations, const struct ctr_json *hooks,
		   struct ctr_err *e)
{
	struct ctr_json_w w;
	int fd = openat(st->dirfd, "state.json.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0600);

	if (fd < 0)
		return ctr_err_sys(e, "cannot write the state", "%s/state.json.tmp", st->dir);
	ctr_json_w_init(&w, fd, 0);
	ctr_json_w_obj(&w);
	ctr_json_w_kstr(&w, "ociVersion", oci_version ? oci_version : "1.0.2");
	ctr_json_w_kstr(&w, "id", st->id);
	ctr_json_w_kint(&w, "pid", st->pid);
	ctr_json_w_key(&w, "start_time");
	ctr_json_w_uint(&w, st->start_time);
	ctr_json_w_kstr(&w, "bundle", st->bundle);
	ctr_json_w_kstr(&w, "rootfs", st->rootfs);
	ctr_json_w_kstr(&w, "created", st->created);
	ctr_json_w_kstr(&w, "cgroup", st->cgroup);
	ctr_json_w_kbool(&w, "cgroup_made", st->cgroup_made);
	ctr_json_w_kbool(&w, "creating", st->creating);
	if (annotations) {
		ctr_json_w_key(&w, "annotations");
		ctr_json_w_value(&w, annotations);
	}
	if (hooks) {
		ctr_json_w_key(&w, "hooks");
		ctr_json_w_value(&w, hooks);
	}
	ctr_json_w_end(&w);
	if (ctr_json_w_flush(&w, 1) < 0 || close(fd) < 0 ||
	    renameat(st->dirfd, "state.json.tmp", st->dirfd, "state.json") < 0) {
		ctr_err_sys(e, "cannot write the state", "%s/state.json", st->dir);
		unlinkat(st->dirfd, "state.json.tmp", 0);
		return -1;
	}
	return 0;
}

void ctr_ocist_close(struct ctr_ocist *st)
{
	if (st->lockfd >= 0)
		close(st->lockfd);
	if (st->dirfd >= 0)
		close(st->dirfd);
	st->dirfd = st->lockfd = -1;
	ctr_json_free(st->doc);
	st->doc = NULL;
	st->annotations = st->hooks = NULL;
	st->oci_version = NULL;
}

void ctr_ocist_remove(struct ctr_ocist *st)
{
	if (st->dir[0])
		ctr_engine_rm_tree(st->dir);
	ctr_ocist_close(st);
}

void ctr_ocist_write_json(struct ctr_json_w *w, const struct ctr_ocist *st, int status,
			  int full)
{
	ctr_json_w_obj(w);
	ctr_json_w_kstr(w, "ociVersion", st->oci_version ? st->oci_version : "1.0.2");
	ctr_json_w_kstr(w, "id", st->id);
	ctr_json_w_kint(w, "pid", status == CTR_OCIST_STOPPED ? 0 : st->pid);
	ctr_json_w_kstr(w, "status", ctr_ocist_status_name(status));
	ctr_json_w_kstr(w, "bundle", st->bundle);
	if (full) {
		ctr_json_w_kstr(w, "rootfs", st->rootfs);
		ctr_json_w_kstr(w, "created", st->created);
		ctr_json_w_kstr(w, "owner", "");
	}
	if (st->annotations && st->annotations->type == CTR_JSON_OBJECT) {
		ctr_json_w_key(w, "annotations");
		ctr_json_w_value(w, st->annotations);
	}
	ctr_json_w_end(w);
}

/* ---- cgroup: pids and freezer ------------------------------------------- */

static int group_dir(const struct ctr_ocist *st, const char *const *ctrls, char *out,
		     size_t size, int *v2)
{
	struct ctr_cg_layout l;
	struct ctr_err e;
	struct stat sb;
	int h;

	if (!st->cgroup[0] || ctr_cgroup_layout(&l, &e) < 0)
		return -1;
	for (; *ctrls; ctrls++) {
		h = ctr_cgroup_find(&l, *ctrls, &e);
		if (h < 0 || ctr_cgroup_dir(&l, h, st->cgroup, out, size) < 0)
			continue;
		if (stat(out, &sb) == 0) {
			*v2 = l.h[h].version == 2;
			return 0;
		}
	}
	/* v2 without the controller: the group itself freezes (cgroup.freeze) */
	if (l.v2 >= 0 && ctr_cgroup_dir(&l, l.v2, st->cgroup, out, size) == 0 &&
	    stat(out, &sb) == 0) {
		*v2 = 1;
		return 0;
	}
	return -1;
}

int ctr_ocist_pids(const struct ctr_ocist *st, pid_t *pids, int max, struct ctr_err *e)
{
	static const char *const ctrls[] = { "freezer", "pids", "memory", "cpu", NULL };
	char dir[512], path[600], *buf, *p, *end;
	int v2, n = 0;
	ssize_t len;

	if (group_dir(st, ctrls, dir, sizeof(dir), &v2) < 0)
		return ctr_err_set(e, ENOENT, "cannot find the container's cgroup", "%s",
				   st->cgroup);
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	buf = malloc(1 << 20);
	if (!buf)
		return ctr_err_set(e, ENOMEM, "cgroup.procs", NULL);
	len = ctr_read_file_at(AT_FDCWD, path, buf, 1 << 20);
	if (len < 0) {
		free(buf);
		return ctr_err_sys(e, "cannot read", "%s", path);
	}
	for (p = buf; *p; p = end) {
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (n < max)
			pids[n] = (pid_t)v;
		n++;
	}
	free(buf);
	return n;
}

static int freezer_file(const struct ctr_ocist *st, char *path, size_t size, int *v2)
{
	static const char *const ctrls[] = { "freezer", NULL };
	char dir[512];

	if (group_dir(st, ctrls, dir, sizeof(dir), v2) < 0)
		return -1;
	snprintf(path, size, "%s/%s", dir, *v2 ? "cgroup.freeze" : "freezer.state");
	return 0;
}

int ctr_ocist_frozen(const struct ctr_ocist *st)
{
	char path[600], buf[32];
	int v2;

	if (freezer_file(st, path, sizeof(path), &v2) < 0 ||
	    ctr_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return 0;
	return v2 ? buf[0] == '1' : strncmp(buf, "FROZEN", 6) == 0;
}

int ctr_ocist_freeze(const struct ctr_ocist *st, int freeze, struct ctr_err *e)
{
	char path[600], buf[32];
	int v2, i;

	if (freezer_file(st, path, sizeof(path), &v2) < 0)
		return ctr_err_set(e, ENOTSUP, "the container has no freezer cgroup", "%s",
				   st->cgroup);
	if (ctr_write_str(path, v2 ? (freeze ? "1" : "0") : (freeze ? "FROZEN" : "THAWED")) < 0)
		return ctr_err_sys(e, "cannot write", "%s", path);
	/* v1: FREEZING until every task stopped; v2: cgroup.events frozen */
	if (v2)
		snprintf(path + strlen(path) - strlen("cgroup.freeze"), 16, "cgroup.events");
	for (i = 0; i < 1000; i++) {
		if (ctr_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) < 0)
			return ctr_err_sys(e, "cannot read", "%s", path);
		if (v2 ? (ctr_strstr(buf, freeze ? "frozen 1" : "frozen 0") != NULL) :
			 (strncmp(buf, freeze ? "FROZEN" : "THAWED", 6) == 0))
			return 0;
		usleep(1000);
	}
	return ctr_err_set(e, ETIMEDOUT, "the freezer did not settle", "%s", path);
}

/* ---- hooks --------------------------------------------------------------- */

static int run_hook(const struct ctr_json *h, const struct ctr_ocist *st, int status,
		    struct ctr_err *e)
{
	const char *path = ctr_json_str(ctr_json_get(h, "path"));
	const struct ctr_json *args = ctr_json_get(h, "args"), *env = ctr_json_get(h, "env"), *k;
	char *argv[256], *envp[256];
	struct ctr_json_w w;
	int64_t timeout = 0;
	int p[2], wst, ms = 0;
	size_t n;
	pid_t pid;

	if (!path)
		return ctr_err_set(e, EINVAL, "hook without a path", NULL);
	n = 0;
	for (k = args && args->type == CTR_JSON_ARRAY ? args->v.kid : NULL; k && n < 255; k = k->next)
		if (k->type == CTR_JSON_STRING)
			argv[n++] = (char *)k->v.s;
	if (!n)
		argv[n++] = (char *)path;
	argv[n] = NULL;
	n = 0;
	for (k = env && env->type == CTR_JSON_ARRAY ? env->v.kid : NULL; k && n < 255; k = k->next)
		if (k->type == CTR_JSON_STRING)
			envp[n++] = (char *)k->v.s;
	envp[n] = NULL;
	ctr_json_i64(ctr_json_get(h, "timeout"), &timeout);
	if (pipe2(p, O_CLOEXEC) < 0)
		return ctr_err_sys(e, "pipe", NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return ctr_err_sys(e, "fork", NULL);
	}
	if (pid == 0) {
		dup2(p[0], 0);
		execve(path, argv, envp);
		_exit(127);
	}
	close(p[0]);
	/* the state on stdin; a hook that does not read it gets EPIPE, not us */
	signal(SIGPIPE, SIG_IGN);
	ctr_json_w_init(&w, p[1], 0);
	ctr_ocist_write_json(&w, st, status, 0);
	ctr_json_w_flush(&w, 0);
	close(p[1]);
	for (;;) {
		pid_t r = waitpid(pid, &wst, timeout > 0 ? WNOHANG : 0);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return ctr_err_sys(e, "waitpid", "hook %s", path);
		if (r == 0) {
			if (ms >= timeout * 1000) {
				kill(pid, SIGKILL);
				ctr_proc_wait(pid, &wst, 0);
				return ctr_err_set(e, ETIMEDOUT, "hook timed out", "%s", path);
			}
			usleep(10000);
			ms += 10;
		}
	}
	if (WIFEXITED(wst) && WEXITSTATUS(wst) == 0)
		return 0;
	if (WIFEXITED(wst))
		return ctr_err_set(e, 0, "hook failed", "%s: exit status %d", path,
				   WEXITSTATUS(wst));
	return ctr_err_set(e, 0, "hook failed", "%s: killed by signal %d", path, WTERMSIG(wst));
}

int ctr_ocist_run_hooks(const struct ctr_json *hooks, const char *point,
			const struct ctr_ocist *st, int status, struct ctr_err *e)
{
	const struct ctr_json *a = ctr_json_get(hooks, point), *k;

	for (k = a && a->type == CTR_JSON_ARRAY ? a->v.kid : NULL; k; k = k->next)
		if (run_hook(k, st, status, e) < 0)
			return -1;
	return 0;
}
