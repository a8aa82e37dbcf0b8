/* ctrrun_state.c: ctrrun's state directory. <root>/<id>/ holds config.json
 * (what inspect shows but State), state (State, rewritten atomically), the
 * /etc files bound into the container, log (a detached container's output)
 * and the overlay's upper, work and merged dirs. A container whose monitor
 * died (ctrrun killed with SIGKILL: the container died with it through
 * PR_SET_PDEATHSIG) is removed by the next ctrrun call of any verb. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "common.h"
#include "ctr/cgroup.h"
#include "ctr/dir.h"
#include "ctr/proc.h"
#include "ctrrun.h"

/* ---- state --------------------------------------------------------------- */

static int write_atomic(const char *dir, const char *name, const char *buf, size_t len)
{
	char tmp[4200], path[4200];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.%s.%d", dir, name, (int)getpid());
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return rename(tmp, path);
}

int ctrrun_state_save(const char *dir, const struct ctrrun_state *st)
{
	char buf[1024];
	int n;

	/* one line of text: status pid pid_start monitor monitor_start
	 * exit_code started finished error */
	n = snprintf(buf, sizeof(buf), "%s %d %llu %d %llu %d %s %s %s\n", st->status,
		     (int)st->pid, st->pid_start, (int)st->monitor, st->monitor_start,
		     st->exit_code, st->started[0] ? st->started : "-",
		     st->finished[0] ? st->finished : "-", st->error);
	return write_atomic(dir, "state", buf, (size_t)n);
}

/* The next blank-separated word of the state line, NUL-terminated in place
 * (by hand: sscanf brings musl's scanf and float parser along). */
static char *state_word(char **p)
{
	char *s = *p + strspn(*p, " \n"), *w = s;

	s += strcspn(s, " \n");
	if (s == w)
		return NULL;
	*p = *s ? s + 1 : s;
	*s = 0;
	return w;
}

int ctrrun_state_load(const char *dir, struct ctrrun_state *st)
{
	char path[4200], buf[1024], *p = buf, *w[8], *end;
	long long n[5];
	int i;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/state", dir);
	if (ctr_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return -1;
	/* status pid pid_start monitor monitor_start exit_code started finished error */
	for (i = 0; i < 8; i++)
		if (!(w[i] = state_word(&p)))
			return -1;
	for (i = 0; i < 5; i++) {
		n[i] = (long long)strtoull(w[i + 1], &end, 10);
		if (*end)
			return -1;
	}
	snprintf(st->status, sizeof(st->status), "%s", w[0]);
	st->pid = (pid_t)n[0];
	st->pid_start = (unsigned long long)n[1];
	st->monitor = (pid_t)n[2];
	st->monitor_start = (unsigned long long)n[3];
	st->exit_code = (int)n[4];
	if (strcmp(w[6], "-"))
		snprintf(st->started, sizeof(st->started), "%s", w[6]);
	if (strcmp(w[7], "-"))
		snprintf(st->finished, sizeof(st->finished), "%s", w[7]);
	p += strspn(p, " \n");
	snprintf(st->error, sizeof(st->error), "%.*s", (int)strcspn(p, "\n"), p);
	return 0;
}

int ctrrun_monitor_alive(const struct ctrrun_state *st)
{
	return st->monitor > 0 && ctrrun_start_time(st->monitor) == st->monitor_start;
}

/* ---- listing and lookup -------------------------------------------------- */

struct each {
	int (*fn)(const char *dir, const char *id, void *arg);
	void *arg;
};

static int each_one(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	struct each *a = arg;
	char dir[4200];

	(void)type;
	(void)ino;
	if (name[0] == '.' || strlen(name) != 64)
		return 0;
	snprintf(dir, sizeof(dir), "%s/%s", ctrrun_root, name);
	return a->fn(dir, name, a->arg);
}

/* fn(dir, id, arg) for each dir of the root named by a 64-char id, until
 * one returns non-zero (returned; 0 for a root that cannot be read).
 * Without opendir: no fcntl, no heap buffer. */
int ctrrun_foreach(int (*fn)(const char *dir, const char *id, void *arg), void *arg)
{
	struct each a = { fn, arg };
	int fd = openat(AT_FDCWD, ctrrun_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return 0;
	rc = ctr_dir_foreach(fd, each_one, &a);
	close(fd);
	return rc < 0 ? 0 : rc;
}

struct find_arg {
	const char *ref;
	char *dir;
	size_t size;
	char *id;
	int found;
};

static int find_one(const char *dir, const char *id, void *arg)
{
	struct find_arg *a = arg;
	size_t n = strlen(a->ref);
	char path[4200], name[300];
	int match = 0;

	if (strncmp(id, a->ref, n) == 0) {
		match = 1;
	} else {
		snprintf(path, sizeof(path), "%s/name", dir);
		if (ctr_read_file_at(AT_FDCWD, path, name, sizeof(name)) > 0 &&
		    strcmp(name, a->ref) == 0)
			match = 2;   /* a name is exact: wins over a prefix */
	}
	if (!match)
		return 0;
	if (match == 2 || n == 64) {
		a->found = 1;
		snprintf(a->dir, a->size, "%s", dir);
		strcpy(a->id, id);
		return 1;
	}
	a->found++;
	snprintf(a->dir, a->size, "%s", dir);
	strcpy(a->id, id);
	return 0;
}

int ctrrun_find(const char *ref, char *dir, size_t size, char *id)
{
	struct find_arg a = { ref, dir, size, id, 0 };

	if (!*ref || strchr(ref, '/')) {
		ctr_warnx("Error: No such container: %s", ref);
		return -1;
	}
	ctrrun_foreach(find_one, &a);
	if (a.found == 1)
		return 0;
	if (a.found > 1)
		ctr_warnx("Error: multiple IDs found with provided prefix: %s", ref);
	else
		ctr_warnx("Error: No such container: %s", ref);
	return -1;
}

/* ---- removal ------------------------------------------------------------- */

/* The state dir of a container torn down: out of the IDs' way first
 * (.rm-ID), so that a removal cut short is recognized and finished by the
 * next call. Its own frame: the teardown's stack stays shallow. */
static void remove_files(const char *dir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/.rm-%s", ctrrun_root, strrchr(dir, '/') + 1);
	if (strrchr(dir, '/') && rename(dir, path) == 0) {
		ctr_engine_rm_tree(path);
		return;
	}
	snprintf(path, sizeof(path), "%s/state", dir);
	unlink(path);
	ctr_engine_rm_tree(dir);
}

void ctrrun_remove(const char *dir, int rm)
{
	struct ctr_engine c;
	struct ctr_json *cfg;
	struct ctrrun_state st;
	char path[4200];

	if (rm == 2) {  /* the caller tore the container down: files only */
		remove_files(dir);
		return;
	}
	memset(&c, 0, sizeof(c));
	c.pid = -1;
	c.pidfd = c.sock = c.pty_master = -1;
	if (ctrrun_state_load(dir, &st) == 0 && st.pid > 0 &&
	    ctrrun_start_time(st.pid) == st.pid_start && strcmp(st.status, "exited"))
		kill(st.pid, SIGKILL);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	cfg = access(path, F_OK) == 0 ? ctrrun_config_load(dir) : NULL;
	if (cfg) {
		const char *g = ctr_json_str(ctr_json_get(ctr_json_get(cfg, "Ctrbox"), "Cgroup"));

		if (g && *g) {
			snprintf(c.cgroup, sizeof(c.cgroup), "%s", g);
			c.cgroup_made = 1;
		}
		ctr_json_free(cfg);
	}
	/* killed before config.json: the group named at the start */
	snprintf(path, sizeof(path), "%s/cgroup", dir);
	if (!c.cgroup_made && ctr_read_file_at(AT_FDCWD, path, c.cgroup, sizeof(c.cgroup)) > 0)
		c.cgroup_made = 1;
	if (!rm) {
		ctr_engine_destroy(&c);
		return;
	}
	snprintf(c.upper, sizeof(c.upper), "%s/upper", dir);
	snprintf(c.work, sizeof(c.work), "%s/work", dir);
	ctr_engine_destroy(&c);
	if (c.cgroup_made) {
		/* the group would not go: keep the state, the next call of any
		 * verb tries again (a "removing" container without monitor) */
		memset(&st, 0, sizeof(st));
		strcpy(st.status, "removing");
		ctrrun_state_save(dir, &st);
		return;
	}
	remove_files(dir);
}

/* ---- the lock ------------------------------------------------------------ */

int ctrrun_lock_open(const char *dir, int create)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/lock", dir);
	fd = openat(AT_FDCWD, path, O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0), 0600);
	/* a new file: nobody else can hold it */
	if (fd >= 0 && create)
		flock(fd, LOCK_EX);
	return fd;
}

void ctrrun_lock_record(int fd, int code)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%d\n", code);

	if (fd >= 0 && pwrite(fd, buf, (size_t)n, 0) != n)
		return;   /* waiters fall back to the state file */
}

int ctrrun_lock_wait(int fd, int *code)
{
	char buf[16], *end;
	ssize_t n;

	while (flock(fd, LOCK_SH) < 0)
		if (errno != EINTR)
			return -1;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	flock(fd, LOCK_UN);
	if (n <= 1)
		return -1;
	buf[n] = 0;
	*code = (int)strtol(buf, &end, 10);
	return *end == '\n' ? 0 : -1;
}

/* Is the lock free (its holder, the creator or monitor, gone)? Then it is
 * held (fd returned) until the caller closes it; -1: held by someone, or
 * -2: no lock file (a state dir of an older ctrrun). */
static int lock_take(const char *dir)
{
	int fd = ctrrun_lock_open(dir, 0);

	if (fd < 0)
		return errno == ENOENT ? -2 : -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int gc_one(const char *dir, const char *id, void *arg)
{
	struct ctrrun_state st;
	struct stat sb;
	char path[4200];
	int fd = lock_take(dir);

	(void)id;
	(void)arg;
	if (fd == -1)
		return 0;   /* the monitor (or another cleanup) holds it */
	if (fd >= 0) {
		/* the creator took the lock before the dir got its name, and
		 * its monitor holds it until the end: a free lock is a dead
		 * monitor (or an exited container kept for docker rm) */
		if (ctrrun_state_load(dir, &st) < 0 || strcmp(st.status, "exited") ||
		    (snprintf(path, sizeof(path), "%s/autoremove", dir), access(path, F_OK) == 0))
			ctrrun_remove(dir, 1);
		close(fd);
		return 0;
	}
	if (ctrrun_state_load(dir, &st) < 0) {
		/* a dir whose creator never wrote its state: only an old one
		 * is stale (a young one is being made right now). With a
		 * config.json (written after the state) it is a removal that
		 * was cut short, stale at once. */
		snprintf(path, sizeof(path), "%s/config.json", dir);
		if (access(path, F_OK) == 0 ||
		    (stat(dir, &sb) == 0 && sb.st_mtime + 60 < time(NULL)))
			ctrrun_remove(dir, 1);
		return 0;
	}
	if (ctrrun_monitor_alive(&st))
		return 0;
	/* an exited --rm container whose monitor died before removing it */
	if (strcmp(st.status, "exited") == 0 &&
	    (snprintf(path, sizeof(path), "%s/autoremove", dir), access(path, F_OK) < 0))
		return 0;
	ctrrun_remove(dir, 1);
	return 0;
}

int ctrrun_left = -1;

static int gc_partial(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	char path[4160];
	struct stat sb;
	int fd;

	(void)type;
	(void)ino;
	(void)arg;
	snprintf(path, sizeof(path), "%s/%s", ctrrun_root, name);
	if (strncmp(name, ".rm-", 4) == 0) {
		ctr_engine_rm_tree(path);
	} else if (strncmp(name, ".new-", 5) == 0 &&
		   /* a creation cut short before its rename: files only.
		    * The lock is made just after the dir: only an old dir
		    * whose lock is free (or missing) is stale. */
		   stat(path, &sb) == 0 && sb.st_mtime + 60 < time(NULL) &&
		   (fd = lock_take(path)) != -1) {
		ctr_engine_rm_tree(path);
		if (fd >= 0)
			close(fd);
	} else if (name[0] != '.' && strlen(name) == 64) {
		gc_one(path, name, NULL);
		ctrrun_left += access(path, F_OK) == 0;
	}
	return 0;
}

void ctrrun_gc(void)
{
	int fd = openat(AT_FDCWD, ctrrun_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	/* one scan: stale containers, and removals or creations cut short
	 * (files only); what is left is counted for run's name check */
	ctrrun_left = fd < 0 ? -1 : 0;
	if (fd >= 0) {
		ctr_dir_foreach(fd, gc_partial, NULL);
		close(fd);
	}
}
