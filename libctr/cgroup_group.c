/* cgroup_group.c: making, owning, removing and joining groups (v1 cpuset
 * inheritance, v2 subtree_control), and the undo log that takes it back. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctr/cgroup.h"
#include "ctr/dir.h"
#include "ctr/opt.h"
#include "ctr/proc.h"
#include "cgroup_int.h"

/* ---- undo log ------------------------------------------------------------ */

struct ctr_cg_undo_op {
	int kind;
	char *path;
	char *data;    /* U_WRITE: what to write back */
};

int cg_undo_push(struct ctr_cg_undo *u, int kind, const char *path, const char *data)
{
	struct ctr_cg_undo_op *op;
	int i;

	if (!u)
		return 0;
	/* Only the oldest contents of a file matter when writing it back. */
	if (kind == U_WRITE && data[0] != '+' && data[0] != '-')
		for (i = 0; i < u->n; i++)
			if (u->op[i].kind == U_WRITE && strcmp(u->op[i].path, path) == 0)
				return 0;
	if (u->n == u->cap) {
		int cap = u->cap ? u->cap * 2 : 16;

		op = realloc(u->op, (size_t)cap * sizeof(*op));
		if (!op)
			return -1;
		u->op = op;
		u->cap = cap;
	}
	op = &u->op[u->n];
	op->kind = kind;
	op->path = strdup(path);
	op->data = data ? strdup(data) : NULL;
	if (!op->path || (data && !op->data)) {
		free(op->path);
		free(op->data);
		errno = ENOMEM;
		return -1;
	}
	u->n++;
	return 0;
}

void ctr_cgroup_undo_free(struct ctr_cg_undo *u)
{
	int i;

	for (i = 0; i < u->n; i++) {
		free(u->op[i].path);
		free(u->op[i].data);
	}
	free(u->op);
	u->op = NULL;
	u->n = u->cap = 0;
}

void ctr_cgroup_undo(struct ctr_cg_undo *u)
{
	int i, try;

	for (i = u->n - 1; i >= 0; i--) {
		struct ctr_cg_undo_op *op = &u->op[i];

		if (op->kind == U_RMDIR) {
			/* A task that just left may keep the group busy a moment. */
			for (try = 0; rmdir(op->path) < 0 && errno == EBUSY && try < 100; try++)
				cg_sleep_ms(10);
		} else if (op->data[0]) {
			ctr_write_str(op->path, op->data);
		}
	}
	ctr_cgroup_undo_free(u);
}

/* ---- create -------------------------------------------------------------- */

/* v2: make sure ctrl is in dir's cgroup.subtree_control. A non-root group
 * with processes cannot enable domain controllers (memory, io): EBUSY. */
static __attribute__((noinline)) int v2_enable(const char *dir, const char *ctrls, struct ctr_cg_undo *u,
		     struct ctr_err *e)
{
	char path[CG_PATHSZ], cur[512], cmd[80], *p;
	const char *c;

	if (!*ctrls)
		return 0;
	if (cg_path_join(path, sizeof(path), dir, "cgroup.subtree_control") < 0 ||
	    cg_read(path, cur, sizeof(cur)) < 0)
		return ctr_err_sys(e, "cannot read", "%s", path);
	cg_chomp(cur);
	for (p = cur; *p; p++)
		if (*p == ' ')
			*p = ',';
	for (c = ctrls; *c;) {
		size_t n = strcspn(c, ",");

		snprintf(cmd, sizeof(cmd), "+%.*s", (int)n, c);
		if (!cg_list_has(cur, cmd + 1)) {
			if (ctr_write_str(path, cmd) < 0)
				return ctr_err_sys(e, errno == EBUSY ?
						   "cannot enable controller (group has processes)" :
						   "cannot enable controller", "%s in %s", cmd + 1, path);
			cmd[0] = '-';
			if (cg_undo_push(u, U_WRITE, path, cmd) < 0)
				return ctr_err_sys(e, "cannot enable controller", "%s", path);
		}
		c += n;
		if (*c)
			c++;
	}
	return 0;
}

/* v1 cpuset: a new group starts with empty cpuset.cpus and cpuset.mems and
 * attaching a task then fails with ENOSPC: give it its parent's. */
static __attribute__((noinline)) int cpuset_inherit(const char *parent, const char *dir, struct ctr_err *e)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char path[CG_PATHSZ], val[1024];
	int i;

	/* the parent's, written as they are: a new group holds either
	 * nothing or (cgroup.clone_children) the parent's values already */
	for (i = 0; i < 2; i++) {
		if (cg_path_join(path, sizeof(path), parent, files[i]) < 0 ||
		    cg_read(path, val, sizeof(val)) < 0)
			return ctr_err_sys(e, "cannot read", "%s", path);
		cg_chomp(val);
		if (cg_path_join(path, sizeof(path), dir, files[i]) < 0 ||
		    ctr_write_str(path, val) < 0)
			return ctr_err_sys(e, "cannot write", "'%s' to %s", val, path);
	}
	return 0;
}

static int create_in(const struct ctr_cg_layout *l, int h, const struct ctr_cg_spec *s,
		     struct ctr_cg_undo *u, struct ctr_err *e)
{
	char cur[CG_PATHSZ], parent[CG_PATHSZ];
	const char *p = s->group;
	int v2 = l->h[h].version == 2;
	int cpuset = !v2 && cg_list_has(l->h[h].ctrls, "cpuset");
	size_t len;

	/* v1, the usual case: only the leaf is new. One mkdir; the walk below
	 * (a mkdir and a stat per level) when a parent is missing or it is. */
	if (!v2 && *p && ctr_cgroup_dir(l, h, s->group, cur, sizeof(cur)) == 0 &&
	    mkdir(cur, 0755) == 0) {
		memcpy(parent, cur, strlen(cur) + 1);
		*strrchr(parent, '/') = '\0';
		p += strlen(p);
		goto made;
	}
	snprintf(cur, sizeof(cur), "%s", l->h[h].mnt);
	while (*p) {
		size_t n = strcspn(p, "/");

		if (v2 && v2_enable(cur, s->v2ctrls, u, e) < 0)
			return -1;
		memcpy(parent, cur, strlen(cur) + 1);
		len = strlen(cur);
		if (len + n + 2 > sizeof(cur))
			return ctr_err_set(e, ENAMETOOLONG, "cannot create group", "%s", s->group);
		cur[len] = '/';
		memcpy(cur + len + 1, p, n);
		cur[len + 1 + n] = '\0';
		p += n;
		if (*p)
			p++;
		if (mkdir(cur, 0755) < 0) {
			if (errno == EEXIST && !cg_is_dir(cur))
				errno = ENOTDIR;   /* a knob file, not a group */
			if (errno != EEXIST)
				return ctr_err_sys(e, "cannot create group", "%s", cur);
			continue;
		}
made:
		if (cg_undo_push(u, U_RMDIR, cur, NULL) < 0) {
			rmdir(cur);
			return ctr_err_sys(e, "cannot create group", "%s", cur);
		}
		if (cpuset && cpuset_inherit(parent, cur, e) < 0)
			return -1;
	}
	return 0;
}

int ctr_cgroup_create(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s, int excl,
		      struct ctr_cg_undo *u, struct ctr_err *e)
{
	char dir[CG_PATHSZ];
	int i;

	if (!s->group[0] && excl)
		return ctr_err_set(e, EEXIST, "cannot create group", "%s", "/");
	for (i = 0; excl && i < l->n; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		if (ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir)) < 0)
			return ctr_err_sys(e, "cannot create group", "%s", s->group);
		if (cg_is_dir(dir))
			return ctr_err_set(e, EEXIST, "cannot create group", "%s", dir);
	}
	for (i = 0; i < l->n; i++)
		if ((s->hmask & (1u << i)) && create_in(l, i, s, u, e) < 0)
			return -1;
	return 0;
}

/* The file -t and -s are about, as libcgroup has it: v1 "tasks" (v1's
 * cgroup.procs is an ordinary file to it), v2 cgroup.procs and
 * cgroup.threads (v2 has no tasks file). */
static int is_tasks_file(const char *name, int v2)
{
	if (!v2)
		return strcmp(name, "tasks") == 0;
	return strcmp(name, "cgroup.procs") == 0 || strcmp(name, "cgroup.threads") == 0;
}

struct perm_walk {
	const struct ctr_cg_perm *p;
	const char *dir;
	int fd, v2, failed;
	struct ctr_err *e;
};

static int perm_one(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	struct perm_walk *w = arg;
	int t = is_tasks_file(name, w->v2);
	/* The tasks file takes -t and -s only (libcgroup). */
	long long uid = t ? w->p->tuid : w->p->uid;
	long long gid = t ? w->p->tgid : w->p->gid;
	int mode = t ? w->p->tmode : w->p->fmode;

	(void)ino;
	if (name[0] == '.' || type == DT_DIR)
		return 0;
	w->failed = 1;
	if ((uid >= 0 || gid >= 0) && fchownat(w->fd, name, (uid_t)uid, (gid_t)gid, 0) < 0)
		return ctr_err_sys(w->e, "cannot change owner", "%s/%s", w->dir, name);
	if (mode >= 0 && fchmodat(w->fd, name, (mode_t)mode, 0) < 0)
		return ctr_err_sys(w->e, "cannot change mode", "%s/%s", w->dir, name);
	w->failed = 0;
	return 0;
}

int ctr_cgroup_perm(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		    const struct ctr_cg_perm *p, struct ctr_err *e)
{
	char dir[CG_PATHSZ];
	struct perm_walk w = { p, dir, -1, 0, 0, e };
	int i, rc;

	for (i = 0; i < l->n; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		if (ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir)) < 0)
			return ctr_err_sys(e, "invalid group path", "%s", s->group);
		if ((p->uid >= 0 || p->gid >= 0) &&
		    chown(dir, (uid_t)p->uid, (gid_t)p->gid) < 0)
			return ctr_err_sys(e, "cannot change owner", "%s", dir);
		if (p->dmode >= 0 && chmod(dir, (mode_t)p->dmode) < 0)
			return ctr_err_sys(e, "cannot change mode", "%s", dir);
		w.fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (w.fd < 0)
			return ctr_err_sys(e, "cannot open", "%s", dir);
		w.v2 = l->h[i].version == 2;
		rc = ctr_dir_foreach(w.fd, perm_one, &w);
		close(w.fd);
		if (rc < 0)
			return w.failed ? -1 : ctr_err_sys(e, "cannot read", "%s", dir);
	}
	return 0;
}

/* ---- delete, attach, drain ----------------------------------------------- */

/* Processes that had to go above the parent (v2, see move_procs), to be
 * put back into it once the removed group is gone. */
struct lifted {
	char pid[64][24];
	int n;
};

/* Move every process of dir into to (both in the hierarchy mounted at
 * root). v2's no-internal-process rule makes a parent that gives
 * controllers to its children refuse processes while a child of it is
 * populated (EBUSY): such a process goes to the nearest ancestor that takes
 * it (at worst the root, which always does) and is noted in lifted.
 * Processes can fork meanwhile: repeat until cgroup.procs stays empty. */
static int move_procs(const char *dir, const char *to, const char *root, struct lifted *lifted,
		      struct ctr_err *e)
{
	char from[CG_PATHSZ], anc[CG_PATHSZ], dst[CG_PATHSZ], buf[8192], *line, *save;
	size_t rootlen = strlen(root);
	int round, moved;

	if (cg_path_join(from, sizeof(from), dir, "cgroup.procs") < 0 ||
	    cg_path_join(dst, sizeof(dst), to, "cgroup.procs") < 0)
		return ctr_err_set(e, ENAMETOOLONG, "cannot move processes", "%s", dir);
	for (round = 0; round < 50; round++) {
		if (cg_read_pids(from, buf, sizeof(buf)) < 0)
			return ctr_err_sys(e, "cannot read", "%s", from);
		moved = 0;
		save = NULL;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			moved = 1;
			snprintf(anc, sizeof(anc), "%s", to);
			while (cg_path_join(dst, sizeof(dst), anc, "cgroup.procs") == 0 &&
			       ctr_write_str(dst, line) < 0) {
				if (errno == ESRCH)
					break;
				if (errno != EBUSY || strlen(anc) <= rootlen)
					return ctr_err_sys(e, "cannot move process", "%s to %s", line,
							   dst);
				*strrchr(anc, '/') = '\0';
				if (lifted->n < 64 && strlen(line) < sizeof(lifted->pid[0]))
					strcpy(lifted->pid[lifted->n++], line);
			}
		}
		if (!moved)
			return 0;
	}
	return ctr_err_set(e, EBUSY, "cannot move processes", "%s", from);
}

static int rmdir_retry(const char *dir)
{
	int try;

	for (try = 0; rmdir(dir) < 0; try++) {
		if (errno != EBUSY || try == 50)
			return -1;
		cg_sleep_ms(10);
	}
	return 0;
}

static int is_subdir(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	(void)name;
	(void)ino;
	(void)arg;
	return type == DT_DIR;
}

static int has_subgroup(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), found;

	if (fd < 0)
		return 0;
	found = ctr_dir_foreach(fd, is_subdir, NULL) > 0;
	close(fd);
	return found;
}

static int remove_tree(const char *dir, const char *to, const char *root, struct lifted *lifted,
		       int depth, struct ctr_err *e)
{
	char sub[CG_PATHSZ];
	struct dirent *d;
	DIR *dp;

	if (depth > 64)
		return ctr_err_set(e, ELOOP, "cannot remove group", "%s", dir);
	dp = opendir(dir);
	if (!dp)
		return ctr_err_sys(e, "cannot remove group", "%s", dir);
	while ((d = readdir(dp))) {
		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (cg_path_join(sub, sizeof(sub), dir, d->d_name) < 0 ||
		    remove_tree(sub, to, root, lifted, depth + 1, e) < 0) {
			closedir(dp);
			return -1;
		}
	}
	closedir(dp);
	if (move_procs(dir, to, root, lifted, e) < 0)
		return -1;
	if (rmdir_retry(dir) < 0)
		return ctr_err_sys(e, "cannot remove group", "%s", dir);
	return 0;
}

int ctr_cgroup_delete(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      int recursive, struct ctr_err *e)
{
	char dir[CG_PATHSZ], parent[CG_PATHSZ], procs[CG_PATHSZ], *slash;
	struct lifted lifted;
	int i, j;

	if (!s->group[0])
		return ctr_err_set(e, EBUSY, "cannot remove group", "%s", "/ (a root group)");
	if (ctr_cgroup_exists(l, s, e) < 0)
		return -1;
	/* Check every hierarchy before touching any. */
	for (i = 0; i < l->n && !recursive; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir));
		if (has_subgroup(dir))
			return ctr_err_set(e, EBUSY, "cannot remove group (it has subgroups, see -r)",
					   "%s", dir);
	}
	for (i = 0; i < l->n; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir));
		memcpy(parent, dir, sizeof(parent));
		slash = strrchr(parent, '/');
		*slash = '\0';
		lifted.n = 0;
		if (remove_tree(dir, parent, l->h[i].mnt, &lifted, 0, e) < 0)
			return -1;
		/* The group is gone: the parent may take them now. */
		for (j = 0; j < lifted.n; j++)
			if (cg_path_join(procs, sizeof(procs), parent, "cgroup.procs") == 0)
				ctr_write_str(procs, lifted.pid[j]);
	}
	return 0;
}

int ctr_cgroup_attach(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      pid_t pid, struct ctr_err *e)
{
	char dir[CG_PATHSZ], path[CG_PATHSZ], num[24];
	int i;

	/* the caller itself (pid 0) needs no check that would cost a stat per
	 * hierarchy: a missing group fails its write (ENOENT, below) */
	if (pid != 0 && ctr_cgroup_exists(l, s, e) < 0)
		return -1;
	for (i = 0; i < l->n; i++) {
		/* v1, the caller itself (single-threaded): moving its one thread
		 * through "tasks" moves the process; written as "0" (the
		 * writer) the kernel skips its threadgroup lock, whose RCU
		 * grace period costs milliseconds (any other pid takes it). */
		int self = pid == 0 && l->h[i].version == 1;

		if (!(s->hmask & (1u << i)))
			continue;
		snprintf(num, sizeof(num), "%d", (int)pid);
		ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir));
		if (cg_path_join(path, sizeof(path), dir, self ? "tasks" : "cgroup.procs") < 0)
			return ctr_err_set(e, ENAMETOOLONG, "cannot join group", "%s", dir);
		if (ctr_write_str(path, num) == 0)
			continue;
		/* v1 cpuset: no task may join a group whose cpus or mems are
		 * empty. v2: a group that gives a domain controller (memory,
		 * io) to its subgroups cannot hold processes (no-internal-
		 * process rule; threaded-capable ones like cpu alone can). */
		if (errno == ENOSPC)
			return ctr_err_sys(e, "cannot join group (empty cpuset.cpus or cpuset.mems?)",
					   "%s", path);
		if (errno == ENOENT)
			return ctr_err_set(e, ENOENT, "cannot find group", "%s", dir);
		if (errno == EBUSY && l->h[i].version == 2)
			return ctr_err_sys(e, "cannot join group (it has controllers enabled for "
					   "subgroups)", "%s", path);
		return ctr_err_sys(e, "cannot join group", "%s", path);
	}
	return 0;
}

/* Kill every process listed in path; 1 if there was one, 0 if none. */
static __attribute__((noinline)) int kill_listed(const char *path)
{
	char buf[8192], *line, *save = NULL;
	long long pid;
	int any = 0;

	if (cg_read_pids(path, buf, sizeof(buf)) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (ctr_opt_llong(line, 1, 4194304, &pid) == 0)
			kill((pid_t)pid, SIGKILL);
		any = 1;
	}
	return any;
}

int ctr_cgroup_drain(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		     int timeout_ms, struct ctr_err *e)
{
	char dir[CG_PATHSZ], path[CG_PATHSZ];
	int i, waited = 0;

	for (i = 0; i < l->n; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir));
		/* empty (the usual case at teardown): gone in one call */
		if (rmdir(dir) == 0 || errno == ENOENT)
			continue;
		if (!cg_is_dir(dir))
			continue;
		if (l->h[i].version == 2 && cg_path_join(path, sizeof(path), dir, "cgroup.kill") == 0)
			ctr_write_str(path, "1");  /* 5.14+: kills the whole subtree at once */
		if (cg_path_join(path, sizeof(path), dir, "cgroup.procs") < 0)
			return ctr_err_set(e, ENAMETOOLONG, "cannot remove group", "%s", dir);
		while (kill_listed(path) && waited < timeout_ms) {
			cg_sleep_ms(5);
			waited += 5;
		}
		while (rmdir(dir) < 0) {
			if (errno != EBUSY || waited >= timeout_ms)
				return ctr_err_sys(e, "cannot remove group", "%s", dir);
			cg_sleep_ms(5);
			waited += 5;
		}
	}
	return 0;
}

