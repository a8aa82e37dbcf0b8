/* cgroup.c: control groups on v1, v2 and hybrid layouts (see ctr/cgroup.h).
 * No stdio, no libm: the shares/weight conversion uses its own logarithm. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ctr/cgroup.h"
#include "ctr/mount.h"
#include "ctr/opt.h"
#include "ctr/proc.h"

#define PATHSZ 4096

/* ---- small helpers ------------------------------------------------------- */

/* Is item in the comma-separated list? */
static int list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *p = list;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && memcmp(p, item, n) == 0)
			return 1;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

static int list_add(char *list, size_t size, const char *item)
{
	size_t len = strlen(list), n = strlen(item);

	if (list_has(list, item))
		return 0;
	if (len + n + 2 > size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (len)
		list[len++] = ',';
	memcpy(list + len, item, n + 1);
	return 0;
}

static int path_join(char *out, size_t size, const char *a, const char *b)
{
	int n = b && *b ? snprintf(out, size, "%s/%s", a, b) : snprintf(out, size, "%s", a);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == '\n')
		s[--n] = '\0';
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- undo log ------------------------------------------------------------ */

enum { U_RMDIR, U_WRITE };

struct ctr_cg_undo_op {
	int kind;
	char *path;
	char *data;    /* U_WRITE: what to write back */
};

static int undo_push(struct ctr_cg_undo *u, int kind, const char *path, const char *data)
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
				sleep_ms(10);
		} else if (op->data[0]) {
			ctr_write_str(op->path, op->data);
		}
	}
	ctr_cgroup_undo_free(u);
}

/* ---- layout -------------------------------------------------------------- */

/* Superblock options of a v1 cgroup mount that are not controllers. */
static int v1_option(const char *tok, size_t n)
{
	static const char *const opts[] = {
		"rw", "ro", "xattr", "noprefix", "clone_children", "cpuset_v2_mode",
		"favordynmods", "nofavordynmods", "none", "all", NULL,
	};
	int i;

	if (n > 5 && memcmp(tok, "name=", 5) == 0)
		return 0;
	if (memchr(tok, '=', n))
		return 1;
	for (i = 0; opts[i]; i++)
		if (strlen(opts[i]) == n && memcmp(opts[i], tok, n) == 0)
			return 1;
	return 0;
}

static int add_mount(const struct ctr_mountinfo *mi, void *arg)
{
	struct ctr_cg_layout *l = arg;
	struct ctr_cg_hier *h;
	unsigned int dev = (mi->major << 20) | mi->minor;
	int version, i;
	const char *p;

	if (strcmp(mi->fstype, "cgroup") == 0)
		version = 1;
	else if (strcmp(mi->fstype, "cgroup2") == 0)
		version = 2;
	else
		return 0;
	/* The same hierarchy may be mounted twice (bind mounts): first wins. */
	for (i = 0; i < l->n; i++)
		if (l->h[i].dev == dev)
			return 0;
	if (l->n == CTR_CG_MAX_HIER || strlen(mi->target) >= sizeof(h->mnt))
		return 0;
	if (version == 2 && l->v2 >= 0)
		return 0;
	h = &l->h[l->n];
	memset(h, 0, sizeof(*h));
	h->version = version;
	h->dev = dev;
	strcpy(h->mnt, mi->target);
	if (version == 1) {
		for (p = mi->super_opts; *p;) {
			size_t n = strcspn(p, ",");

			if (n && !v1_option(p, n) && strlen(h->ctrls) + n + 2 < sizeof(h->ctrls)) {
				if (h->ctrls[0])
					strcat(h->ctrls, ",");
				strncat(h->ctrls, p, n);
			}
			p += n;
			if (*p)
				p++;
		}
		if (!h->ctrls[0])
			return 0;
	} else {
		l->v2 = l->n;
	}
	l->n++;
	return 0;
}

int ctr_cgroup_layout(struct ctr_cg_layout *l, struct ctr_err *e)
{
	char path[PATHSZ], buf[sizeof(l->h[0].ctrls)], *p;

	l->n = 0;
	l->v2 = -1;
	if (ctr_mountinfo_foreach(0, add_mount, l) < 0)
		return ctr_err_sys(e, "cannot read", "/proc/self/mountinfo");
	if (l->v2 >= 0) {
		struct ctr_cg_hier *h = &l->h[l->v2];

		if (path_join(path, sizeof(path), h->mnt, "cgroup.controllers") == 0 &&
		    ctr_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) >= 0) {
			chomp(buf);
			for (p = buf; *p; p++)
				if (*p == ' ')
					*p = ',';
			snprintf(h->ctrls, sizeof(h->ctrls), "%s", buf);
		}
	}
	if (l->n == 0)
		return ctr_err_set(e, ENOENT, "no cgroup hierarchy mounted", "%s",
				   "/proc/self/mountinfo");
	return 0;
}

/* Does the kernel know this controller at all (/proc/cgroups, or a v2-only
 * name like io or misc offered by the v2 root)? */
static int kernel_knows(const char *ctrl)
{
	char buf[4096], *line, *save = NULL;

	if (strcmp(ctrl, "io") == 0)
		ctrl = "blkio";
	if (ctr_read_file_at(AT_FDCWD, "/proc/cgroups", buf, sizeof(buf)) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strcspn(line, "\t ");

		if (line[0] != '#' && strlen(ctrl) == n && memcmp(line, ctrl, n) == 0)
			return 1;
	}
	return 0;
}

int ctr_cgroup_find(const struct ctr_cg_layout *l, const char *ctrl, struct ctr_err *e)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->h[i].version == 1 && list_has(l->h[i].ctrls, ctrl))
			return i;
	if (l->v2 >= 0 && list_has(l->h[l->v2].ctrls, ctrl))
		return l->v2;
	/* v2 has no cpuacct: every group's cpu.stat (core, always there)
	 * counts its CPU time, so "-g cpu,cpuacct:G" works there too. */
	if (l->v2 >= 0 && strcmp(ctrl, "cpuacct") == 0)
		return l->v2;
	if (strncmp(ctrl, "name=", 5) != 0 && !kernel_knows(ctrl))
		return ctr_err_set(e, 0, "unknown controller", "%s", ctrl);
	if (l->v2 >= 0)
		return ctr_err_set(e, 0, "controller not available",
				   "%s: no cgroup v1 hierarchy has it and %s/cgroup.controllers "
				   "does not list it", ctrl, l->h[l->v2].mnt);
	return ctr_err_set(e, 0, "controller not available",
			   "%s: no cgroup v1 hierarchy has it and cgroup2 is not mounted", ctrl);
}

/* ---- groups and specs ---------------------------------------------------- */

int ctr_cgroup_norm(const char *path, char *out, size_t size)
{
	size_t len = 0;
	const char *p = path;

	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (!n)
			break;
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
			errno = EINVAL;
			return -1;
		}
		if (len + n + 2 > size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (len)
			out[len++] = '/';
		memcpy(out + len, p, n);
		len += n;
		p += n;
	}
	out[len] = '\0';
	return 0;
}

int ctr_cgroup_spec_add(const struct ctr_cg_layout *l, struct ctr_cg_spec *s,
			const char *ctrl, struct ctr_err *e)
{
	int h, i;

	if (strcmp(ctrl, "*") == 0) {
		/* libcgroup's "every mounted hierarchy"; nothing enabled on v2. */
		for (i = 0; i < l->n; i++)
			s->hmask |= 1u << i;
		return 0;
	}
	h = ctr_cgroup_find(l, ctrl, e);
	if (h < 0)
		return -1;
	s->hmask |= 1u << h;
	if (h == l->v2 && list_has(l->h[h].ctrls, ctrl) &&
	    list_add(s->v2ctrls, sizeof(s->v2ctrls), ctrl) < 0)
		return ctr_err_sys(e, "too many controllers", "%s", ctrl);
	return 0;
}

int ctr_cgroup_spec(const struct ctr_cg_layout *l, const char *arg,
		    struct ctr_cg_spec *s, struct ctr_err *e)
{
	const char *colon = strchr(arg, ':'), *p;
	char ctrl[64];

	memset(s, 0, sizeof(*s));
	if (!colon || colon == arg || !colon[1])
		return ctr_err_set(e, 0, "invalid group", "'%s': expected CONTROLLER[,...]:PATH",
				   arg);
	if (ctr_cgroup_norm(colon + 1, s->group, sizeof(s->group)) < 0)
		return ctr_err_sys(e, "invalid group path", "'%s'", colon + 1);
	for (p = arg; p < colon;) {
		size_t n = strcspn(p, ",:");

		if (n == 0 || n >= sizeof(ctrl))
			return ctr_err_set(e, 0, "invalid group",
					   "'%s': expected CONTROLLER[,...]:PATH", arg);
		memcpy(ctrl, p, n);
		ctrl[n] = '\0';
		if (ctr_cgroup_spec_add(l, s, ctrl, e) < 0)
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int ctr_cgroup_dir(const struct ctr_cg_layout *l, int h, const char *group,
		   char *out, size_t size)
{
	return path_join(out, size, l->h[h].mnt, group);
}

int ctr_cgroup_exists(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      struct ctr_err *e)
{
	char dir[PATHSZ];
	int i;

	for (i = 0; i < l->n; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		if (ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir)) < 0)
			return ctr_err_sys(e, "invalid group path", "%s", s->group);
		if (!is_dir(dir))
			return ctr_err_set(e, ENOENT, "cannot find group", "%s", dir);
	}
	return 0;
}

/* ---- create -------------------------------------------------------------- */

/* v2: make sure ctrl is in dir's cgroup.subtree_control. A non-root group
 * with processes cannot enable domain controllers (memory, io): EBUSY. */
static int v2_enable(const char *dir, const char *ctrls, struct ctr_cg_undo *u,
		     struct ctr_err *e)
{
	char path[PATHSZ], cur[512], cmd[80], *p;
	const char *c;

	if (!*ctrls)
		return 0;
	if (path_join(path, sizeof(path), dir, "cgroup.subtree_control") < 0 ||
	    ctr_read_file_at(AT_FDCWD, path, cur, sizeof(cur)) < 0)
		return ctr_err_sys(e, "cannot read", "%s", path);
	chomp(cur);
	for (p = cur; *p; p++)
		if (*p == ' ')
			*p = ',';
	for (c = ctrls; *c;) {
		size_t n = strcspn(c, ",");

		snprintf(cmd, sizeof(cmd), "+%.*s", (int)n, c);
		if (!list_has(cur, cmd + 1)) {
			if (ctr_write_str(path, cmd) < 0)
				return ctr_err_sys(e, errno == EBUSY ?
						   "cannot enable controller (group has processes)" :
						   "cannot enable controller", "%s in %s", cmd + 1, path);
			cmd[0] = '-';
			if (undo_push(u, U_WRITE, path, cmd) < 0)
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
static int cpuset_inherit(const char *parent, const char *dir, struct ctr_err *e)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char path[PATHSZ], val[1024];
	int i;

	for (i = 0; i < 2; i++) {
		if (path_join(path, sizeof(path), dir, files[i]) < 0 ||
		    ctr_read_file_at(AT_FDCWD, path, val, sizeof(val)) < 0)
			return ctr_err_sys(e, "cannot read", "%s", path);
		chomp(val);
		if (val[0])
			continue;
		if (path_join(path, sizeof(path), parent, files[i]) < 0 ||
		    ctr_read_file_at(AT_FDCWD, path, val, sizeof(val)) < 0)
			return ctr_err_sys(e, "cannot read", "%s", path);
		chomp(val);
		if (path_join(path, sizeof(path), dir, files[i]) < 0 ||
		    ctr_write_str(path, val) < 0)
			return ctr_err_sys(e, "cannot write", "'%s' to %s", val, path);
	}
	return 0;
}

static int create_in(const struct ctr_cg_layout *l, int h, const struct ctr_cg_spec *s,
		     struct ctr_cg_undo *u, struct ctr_err *e)
{
	char cur[PATHSZ], parent[PATHSZ];
	const char *p = s->group;
	int v2 = l->h[h].version == 2;
	int cpuset = !v2 && list_has(l->h[h].ctrls, "cpuset");
	size_t len;

	snprintf(cur, sizeof(cur), "%s", l->h[h].mnt);
	while (*p) {
		size_t n = strcspn(p, "/");

		if (v2 && v2_enable(cur, s->v2ctrls, u, e) < 0)
			return -1;
		memcpy(parent, cur, sizeof(parent));
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
			if (errno != EEXIST)
				return ctr_err_sys(e, "cannot create group", "%s", cur);
			continue;
		}
		if (undo_push(u, U_RMDIR, cur, NULL) < 0) {
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
	char dir[PATHSZ];
	int i;

	if (!s->group[0] && excl)
		return ctr_err_set(e, EEXIST, "cannot create group", "%s", "/");
	for (i = 0; excl && i < l->n; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		if (ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir)) < 0)
			return ctr_err_sys(e, "cannot create group", "%s", s->group);
		if (is_dir(dir))
			return ctr_err_set(e, EEXIST, "cannot create group", "%s", dir);
	}
	for (i = 0; i < l->n; i++)
		if ((s->hmask & (1u << i)) && create_in(l, i, s, u, e) < 0)
			return -1;
	return 0;
}

static int is_tasks_file(const char *name)
{
	return strcmp(name, "tasks") == 0 || strcmp(name, "cgroup.procs") == 0 ||
	       strcmp(name, "cgroup.threads") == 0;
}

int ctr_cgroup_perm(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		    const struct ctr_cg_perm *p, struct ctr_err *e)
{
	char dir[PATHSZ];
	struct dirent *d;
	DIR *dp;
	int i;

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
		dp = opendir(dir);
		if (!dp)
			return ctr_err_sys(e, "cannot open", "%s", dir);
		while ((d = readdir(dp))) {
			int t = is_tasks_file(d->d_name);
			long long uid = t && p->tuid >= 0 ? p->tuid : p->uid;
			long long gid = t && p->tgid >= 0 ? p->tgid : p->gid;
			int mode = t && p->tmode >= 0 ? p->tmode : p->fmode;

			if (d->d_name[0] == '.' || d->d_type == DT_DIR)
				continue;
			if ((uid >= 0 || gid >= 0) &&
			    fchownat(dirfd(dp), d->d_name, (uid_t)uid, (gid_t)gid, 0) < 0) {
				closedir(dp);
				return ctr_err_sys(e, "cannot change owner", "%s/%s", dir, d->d_name);
			}
			if (mode >= 0 && fchmodat(dirfd(dp), d->d_name, (mode_t)mode, 0) < 0) {
				closedir(dp);
				return ctr_err_sys(e, "cannot change mode", "%s/%s", dir, d->d_name);
			}
		}
		closedir(dp);
	}
	return 0;
}

/* ---- delete, attach, drain ----------------------------------------------- */

/* Move every process of dir into to (both directories of one hierarchy).
 * Processes can fork meanwhile: repeat until cgroup.procs stays empty. */
static int move_procs(const char *dir, const char *to, struct ctr_err *e)
{
	char from[PATHSZ], dst[PATHSZ], buf[8192], *line, *save;
	int round, moved;

	if (path_join(from, sizeof(from), dir, "cgroup.procs") < 0 ||
	    path_join(dst, sizeof(dst), to, "cgroup.procs") < 0)
		return ctr_err_set(e, ENAMETOOLONG, "cannot move processes", "%s", dir);
	for (round = 0; round < 50; round++) {
		if (ctr_read_file_at(AT_FDCWD, from, buf, sizeof(buf)) < 0)
			return ctr_err_sys(e, "cannot read", "%s", from);
		moved = 0;
		save = NULL;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (ctr_write_str(dst, line) < 0 && errno != ESRCH)
				return ctr_err_sys(e, "cannot move process", "%s to %s", line, dst);
			moved = 1;
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
		sleep_ms(10);
	}
	return 0;
}

static int has_subgroup(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int found = 0;

	if (!dp)
		return 0;
	while (!found && (d = readdir(dp)))
		found = d->d_type == DT_DIR && strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
	closedir(dp);
	return found;
}

static int remove_tree(const char *dir, const char *to, int depth, struct ctr_err *e)
{
	char sub[PATHSZ];
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
		if (path_join(sub, sizeof(sub), dir, d->d_name) < 0 ||
		    remove_tree(sub, to, depth + 1, e) < 0) {
			closedir(dp);
			return -1;
		}
	}
	closedir(dp);
	if (move_procs(dir, to, e) < 0)
		return -1;
	if (rmdir_retry(dir) < 0)
		return ctr_err_sys(e, "cannot remove group", "%s", dir);
	return 0;
}

int ctr_cgroup_delete(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      int recursive, struct ctr_err *e)
{
	char dir[PATHSZ], parent[PATHSZ], *slash;
	int i;

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
		if (remove_tree(dir, parent, 0, e) < 0)
			return -1;
	}
	return 0;
}

int ctr_cgroup_attach(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      pid_t pid, struct ctr_err *e)
{
	char dir[PATHSZ], path[PATHSZ], num[24];
	int i;

	if (ctr_cgroup_exists(l, s, e) < 0)
		return -1;
	for (i = 0; i < l->n; i++) {
		/* v1, the caller itself (single-threaded): moving its one thread
		 * through "tasks" moves the process without the kernel's
		 * threadgroup lock, whose RCU grace period costs milliseconds. */
		int self = pid == 0 && l->h[i].version == 1;

		if (!(s->hmask & (1u << i)))
			continue;
		snprintf(num, sizeof(num), "%d", self ? (int)gettid() : (int)pid);
		ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir));
		if (path_join(path, sizeof(path), dir, self ? "tasks" : "cgroup.procs") < 0)
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
		if (errno == EBUSY && l->h[i].version == 2)
			return ctr_err_sys(e, "cannot join group (it has controllers enabled for "
					   "subgroups)", "%s", path);
		return ctr_err_sys(e, "cannot join group", "%s", path);
	}
	return 0;
}

/* Kill every process listed in path; 1 if there was one, 0 if none. */
static int kill_listed(const char *path)
{
	char buf[8192], *line, *save = NULL;
	long long pid;
	int any = 0;

	if (ctr_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) < 0)
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
	char dir[PATHSZ], path[PATHSZ];
	int i, waited = 0;

	for (i = 0; i < l->n; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir));
		if (!is_dir(dir))
			continue;
		if (l->h[i].version == 2 && path_join(path, sizeof(path), dir, "cgroup.kill") == 0)
			ctr_write_str(path, "1");  /* 5.14+: kills the whole subtree at once */
		if (path_join(path, sizeof(path), dir, "cgroup.procs") < 0)
			return ctr_err_set(e, ENAMETOOLONG, "cannot remove group", "%s", dir);
		while (kill_listed(path) && waited < timeout_ms) {
			sleep_ms(5);
			waited += 5;
		}
		while (rmdir(dir) < 0) {
			if (errno != EBUSY || waited >= timeout_ms)
				return ctr_err_sys(e, "cannot remove group", "%s", dir);
			sleep_ms(5);
			waited += 5;
		}
	}
	return 0;
}

/* ---- knob names and values ----------------------------------------------- */

/* Knobs whose name or value changes between v1 and v2. */
enum {
	K_PLAIN, K_QUOTA, K_PERIOD, K_CPUMAX, K_SHARES, K_WEIGHT, K_MEMLIMIT, K_MEMMAX,
	K_PIDS, K_LIST, K_ACCT,
};

static const struct {
	const char *name;
	int kind;
} knobs[] = {
	{ "cpu.cfs_quota_us", K_QUOTA }, { "cpu.cfs_period_us", K_PERIOD },
	{ "cpu.max", K_CPUMAX }, { "cpu.shares", K_SHARES }, { "cpu.weight", K_WEIGHT },
	{ "memory.limit_in_bytes", K_MEMLIMIT }, { "memory.max", K_MEMMAX },
	{ "pids.max", K_PIDS }, { "cpuset.cpus", K_LIST }, { "cpuset.mems", K_LIST },
	{ "cpuacct.usage", K_ACCT },
};

static int knob_kind(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (strcmp(knobs[i].name, name) == 0)
			return knobs[i].kind;
	return K_PLAIN;
}

int ctr_cgroup_knob_ctrl(const char *name, char *out, size_t size)
{
	size_t n = strcspn(name, ".");

	if (n == 0 || !name[n] || !name[n + 1] || n >= size || strchr(name, '/') ||
	    strcmp(name + n, ".") == 0) {
		errno = EINVAL;
		return -1;
	}
	memcpy(out, name, n);
	out[n] = '\0';
	return 0;
}

static int is_max(const char *v)
{
	return strcmp(v, "max") == 0 || strcmp(v, "-1") == 0;
}

/* A byte count as memparse() takes it: digits and one K/M/G/T/P/E suffix. */
static int is_bytes(const char *v)
{
	const char *p = v;

	if (!*p)
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == v)
		return 0;
	if (*p && strchr("kKmMgGtTpPeE", *p))
		p++;
	return *p == '\0';
}

static int is_uint(const char *v)
{
	unsigned long long x;

	return ctr_opt_ullong(v, 0, ~0ULL, &x) == 0 && (v[0] != '0' || !v[1] || v[1] != 'x');
}

/* "0-3,5,7-8": what cpuset.cpus and cpuset.mems take ("" empties). */
static int is_cpulist(const char *v)
{
	const char *p = v;

	while (*p) {
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				return 0;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			return 0;
	}
	return 1;
}

int ctr_cgroup_split_setting(char *arg, char **name, char **value)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg) {
		errno = EINVAL;
		return -1;
	}
	*eq = '\0';
	*name = arg;
	*value = eq + 1;
	return 0;
}

/* "QUOTA [PERIOD]" of cpu.max, QUOTA max or -1. */
static int is_cpumax(const char *v)
{
	char q[32];
	size_t n = strcspn(v, " ");
	long long x;

	if (n == 0 || n >= sizeof(q))
		return 0;
	memcpy(q, v, n);
	q[n] = '\0';
	if (!is_max(q) && ctr_opt_llong(q, 0, 0x7fffffffffffffffLL, &x) < 0)
		return 0;
	return !v[n] || is_uint(v + n + 1);
}

int ctr_cgroup_check(const char *name, const char *value, struct ctr_err *e)
{
	char ctrl[64];
	long long x;
	int ok = 1;

	if (ctr_cgroup_knob_ctrl(name, ctrl, sizeof(ctrl)) < 0)
		return ctr_err_set(e, 0, "invalid parameter name", "'%s'", name);
	if (strchr(value, '\n'))
		return ctr_err_set(e, 0, "invalid value", "%s: a newline in '%s'", name, value);
	switch (knob_kind(name)) {
	case K_QUOTA:
		ok = is_max(value) || ctr_opt_llong(value, 0, 0x7fffffffffffffffLL, &x) == 0;
		break;
	case K_PERIOD:
	case K_SHARES:
	case K_ACCT:
		ok = is_uint(value);
		break;
	case K_WEIGHT:
		ok = ctr_opt_llong(value, 1, 10000, &x) == 0;
		break;
	case K_CPUMAX:
		ok = is_cpumax(value);
		break;
	case K_MEMLIMIT:
	case K_MEMMAX:
		ok = is_max(value) || is_bytes(value);
		break;
	case K_PIDS:
		ok = is_max(value) || is_uint(value);
		break;
	case K_LIST:
		ok = is_cpulist(value);
		break;
	}
	if (!ok)
		return ctr_err_set(e, 0, "invalid value", "%s=%s", name, value);
	return 0;
}

/* ---- cpu.shares <-> cpu.weight, without libm ----------------------------- */

#define LN2 0.69314718055994530942
#define LN10 2.30258509299404568402

/* Natural logarithm of x > 0: x = m * 2^k with m in [1, 2), then
 * ln m = 2 atanh((m - 1) / (m + 1)), a series that converges fast there. */
static double ln(double x)
{
	double t, t2, term, sum = 0;
	int k = 0, n;

	while (x >= 2) {
		x /= 2;
		k++;
	}
	while (x < 1) {
		x *= 2;
		k--;
	}
	t = (x - 1) / (x + 1);
	t2 = t * t;
	term = t;
	for (n = 1; n < 80 && term > 1e-20; n += 2) {
		sum += term / n;
		term *= t2;
	}
	return k * LN2 + 2 * sum;
}

uint64_t ctr_cgroup_shares_to_weight(uint64_t shares)
{
	double l, rhs;
	uint64_t lo = 1, hi = 10000, mid;

	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	l = ln((double)shares) / LN2;
	/* Exact at powers of two (ln of m = 1 is 0): l = 10 for 1024. */
	if ((shares & (shares - 1)) == 0)
		l = __builtin_ctzll(shares);
	rhs = l * l + 125 * l;
	/* weight = ceil(10^e), e = (l*l + 125*l)/612 - 7/34: the smallest w with
	 * log10(w) >= e, i.e. 612 log10(w) + 126 >= l*l + 125*l. A bisection
	 * on that keeps the equality cases exact (1024 -> 100, not 101). */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (612 * ln((double)mid) / LN10 + 126 >= rhs - 1e-9)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Smallest shares in 2..262144 whose weight is at least weight. */
static uint64_t first_shares(uint64_t weight)
{
	uint64_t lo = 2, hi = 262144, mid;

	/* The weight is non-decreasing in shares and grows slower than it
	 * (about shares^0.87 at the top), so every weight is hit: bisect. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ctr_cgroup_shares_to_weight(mid) >= weight)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

uint64_t ctr_cgroup_weight_to_shares(uint64_t weight)
{
	uint64_t lo, hi, m;
	int k;

	if (weight < 1)
		weight = 1;
	if (weight > 10000)
		weight = 10000;
	/* The shares giving this weight form an interval [lo, hi]: take the
	 * one with the most trailing zero bits, so that the values people
	 * write (512, 1024, 1536, 2048, 2560...) read back unchanged. */
	lo = first_shares(weight);
	hi = weight == 10000 ? 262144 : first_shares(weight + 1) - 1;
	for (k = 18; k > 0; k--) {
		m = (lo + (1ULL << k) - 1) >> k << k;
		if (m <= hi)
			return m;
	}
	return lo;
}

/* ---- reading and writing knobs ------------------------------------------- */

static int read_knob(const char *dir, const char *file, char *buf, size_t size,
		     struct ctr_err *e)
{
	char path[PATHSZ];

	if (path_join(path, sizeof(path), dir, file) < 0 ||
	    ctr_read_file_at(AT_FDCWD, path, buf, size) < 0)
		return ctr_err_sys(e, "cannot read", "%s/%s", dir, file);
	chomp(buf);
	return 0;
}

/* Write value to dir/file, saving the old contents in u first. asked is
 * NAME=VALUE as the user gave it, for the message when it was translated. */
static int write_knob(const char *dir, const char *file, const char *value, const char *asked,
		      struct ctr_cg_undo *u, struct ctr_err *e)
{
	char path[PATHSZ], old[4096];

	if (path_join(path, sizeof(path), dir, file) < 0)
		return ctr_err_set(e, ENAMETOOLONG, "cannot write", "%s", dir);
	if (u) {
		if (ctr_read_file_at(AT_FDCWD, path, old, sizeof(old)) < 0)
			return ctr_err_sys(e, "cannot write", "'%s' to %s%s", value, path, asked);
		chomp(old);
		if (undo_push(u, U_WRITE, path, old) < 0)
			return ctr_err_sys(e, "cannot write", "%s", path);
	}
	if (ctr_write_str(path, value) < 0)
		return ctr_err_sys(e, "cannot write", "'%s' to %s%s", value, path, asked);
	return 0;
}

/* Where a knob of a group lives: its hierarchy and the group's directory. */
static int knob_dir(const struct ctr_cg_layout *l, const char *group, const char *name,
		    char *dir, size_t size, struct ctr_err *e)
{
	char ctrl[64];
	int h;

	if (ctr_cgroup_knob_ctrl(name, ctrl, sizeof(ctrl)) < 0)
		return ctr_err_set(e, 0, "invalid parameter name", "'%s'", name);
	h = ctr_cgroup_find(l, ctrl, e);
	if (h < 0)
		return -1;
	if (ctr_cgroup_dir(l, h, group, dir, size) < 0)
		return ctr_err_sys(e, "invalid group path", "%s", group);
	if (!is_dir(dir))
		return ctr_err_set(e, ENOENT, "cannot find group", "%s", dir);
	return h;
}

/* Split cpu.max "QUOTA PERIOD" in place. */
static void split_cpumax(char *buf, char **quota, char **period)
{
	char *sp = strchr(buf, ' ');

	*quota = buf;
	*period = (char *)"100000";
	if (sp) {
		*sp = '\0';
		*period = sp + 1;
	}
}

int ctr_cgroup_set(const struct ctr_cg_layout *l, const char *group, const char *name,
		   const char *value, struct ctr_cg_undo *u, struct ctr_err *e)
{
	char dir[PATHSZ], cur[256], val[320], asked[300], *q, *p;
	const char *v = value;
	int h, kind = knob_kind(name), v2;

	if (ctr_cgroup_check(name, value, e) < 0)
		return -1;
	h = knob_dir(l, group, name, dir, sizeof(dir), e);
	if (h < 0)
		return -1;
	v2 = l->h[h].version == 2;
	snprintf(asked, sizeof(asked), " (for %s=%s)", name, value);
	switch (kind) {
	case K_QUOTA:
	case K_PERIOD:
		if (!v2)
			return write_knob(dir, name, kind == K_QUOTA && is_max(v) ? "-1" : v, "", u, e);
		if (read_knob(dir, "cpu.max", cur, sizeof(cur), e) < 0)
			return -1;
		split_cpumax(cur, &q, &p);
		if (kind == K_QUOTA)
			snprintf(val, sizeof(val), "%s %s", is_max(v) ? "max" : v, p);
		else
			snprintf(val, sizeof(val), "%s %s", q, v);
		return write_knob(dir, "cpu.max", val, asked, u, e);
	case K_CPUMAX:
		if (v2) {
			if (strncmp(v, "-1", 2) == 0 && (!v[2] || v[2] == ' ')) {
				snprintf(val, sizeof(val), "max%s", v + 2);
				v = val;
			}
			return write_knob(dir, name, v, "", u, e);
		}
		snprintf(cur, sizeof(cur), "%s", v);
		split_cpumax(cur, &q, &p);
		/* v1: the period first, then the quota that is relative to it. */
		if (strchr(v, ' ') && write_knob(dir, "cpu.cfs_period_us", p, asked, u, e) < 0)
			return -1;
		return write_knob(dir, "cpu.cfs_quota_us", is_max(q) ? "-1" : q, asked, u, e);
	case K_SHARES:
		if (!v2)
			return write_knob(dir, name, v, "", u, e);
		snprintf(val, sizeof(val), "%llu", (unsigned long long)
			 ctr_cgroup_shares_to_weight(strtoull(v, NULL, 10)));
		return write_knob(dir, "cpu.weight", val, asked, u, e);
	case K_WEIGHT:
		if (v2)
			return write_knob(dir, name, v, "", u, e);
		snprintf(val, sizeof(val), "%llu", (unsigned long long)
			 ctr_cgroup_weight_to_shares(strtoull(v, NULL, 10)));
		return write_knob(dir, "cpu.shares", val, asked, u, e);
	case K_MEMLIMIT:
	case K_MEMMAX:
		if (v2)
			return write_knob(dir, "memory.max", is_max(v) ? "max" : v,
					  kind == K_MEMMAX ? "" : asked, u, e);
		return write_knob(dir, "memory.limit_in_bytes", is_max(v) ? "-1" : v,
				  kind == K_MEMLIMIT ? "" : asked, u, e);
	case K_PIDS:
		return write_knob(dir, name, is_max(v) ? "max" : v, "", u, e);
	case K_ACCT:
		if (v2)
			return ctr_err_set(e, EOPNOTSUPP, "cannot write", "%s=%s: cgroup v2 "
					   "cannot reset the usage in cpu.stat", name, v);
		return write_knob(dir, name, v, "", u, e);
	default:
		return write_knob(dir, name, v, "", u, e);
	}
}

/* v1 memory.limit_in_bytes shows "no limit" as PAGE_COUNTER_MAX pages. */
static int v1_unlimited(const char *v)
{
	unsigned long long x;

	return ctr_opt_ullong(v, 0, ~0ULL, &x) == 0 && x >= 0x7ffffffffffff000ULL;
}

/* v1 cpuacct.usage (ns) on v2: cpu.stat's "usage_usec N". */
static int v2_usage_ns(const char *dir, char *buf, size_t size, struct ctr_err *e)
{
	char st[1024], *p;

	if (read_knob(dir, "cpu.stat", st, sizeof(st), e) < 0)
		return -1;
	p = strstr(st, "usage_usec ");
	if (!p)
		return ctr_err_set(e, ENOENT, "cannot read", "%s/cpu.stat: no usage_usec", dir);
	snprintf(buf, size, "%llu", strtoull(p + 11, NULL, 10) * 1000ULL);
	return 0;
}

int ctr_cgroup_get(const struct ctr_cg_layout *l, const char *group, const char *name,
		   char *buf, size_t size, struct ctr_err *e)
{
	char dir[PATHSZ], cur[256], per[64], *q, *p;
	int h, kind = knob_kind(name), v2;

	h = knob_dir(l, group, name, dir, sizeof(dir), e);
	if (h < 0)
		return -1;
	v2 = l->h[h].version == 2;
	switch (kind) {
	case K_QUOTA:
	case K_PERIOD:
		if (!v2)
			break;
		if (read_knob(dir, "cpu.max", cur, sizeof(cur), e) < 0)
			return -1;
		split_cpumax(cur, &q, &p);
		if (kind == K_QUOTA)
			snprintf(buf, size, "%s", strcmp(q, "max") == 0 ? "-1" : q);
		else
			snprintf(buf, size, "%s", p);
		return 0;
	case K_CPUMAX:
		if (v2)
			break;
		if (read_knob(dir, "cpu.cfs_quota_us", cur, sizeof(cur), e) < 0 ||
		    read_knob(dir, "cpu.cfs_period_us", per, sizeof(per), e) < 0)
			return -1;
		snprintf(buf, size, "%s %s", strcmp(cur, "-1") == 0 ? "max" : cur, per);
		return 0;
	case K_SHARES:
		if (!v2)
			break;
		if (read_knob(dir, "cpu.weight", cur, sizeof(cur), e) < 0)
			return -1;
		snprintf(buf, size, "%llu", (unsigned long long)
			 ctr_cgroup_weight_to_shares(strtoull(cur, NULL, 10)));
		return 0;
	case K_WEIGHT:
		if (v2)
			break;
		if (read_knob(dir, "cpu.shares", cur, sizeof(cur), e) < 0)
			return -1;
		snprintf(buf, size, "%llu", (unsigned long long)
			 ctr_cgroup_shares_to_weight(strtoull(cur, NULL, 10)));
		return 0;
	case K_MEMLIMIT:
		if (!v2)
			break;
		if (read_knob(dir, "memory.max", cur, sizeof(cur), e) < 0)
			return -1;
		snprintf(buf, size, "%s", strcmp(cur, "max") == 0 ? "-1" : cur);
		return 0;
	case K_MEMMAX:
		if (v2)
			break;
		if (read_knob(dir, "memory.limit_in_bytes", cur, sizeof(cur), e) < 0)
			return -1;
		snprintf(buf, size, "%s", v1_unlimited(cur) ? "max" : cur);
		return 0;
	case K_ACCT:
		if (v2)
			return v2_usage_ns(dir, buf, size, e);
		break;
	}
	return read_knob(dir, name, buf, size, e);
}

/* Files that hold no setting to copy even though they are writable:
 * actions, event registration, pressure triggers, v1 oom_control's report. */
static int not_a_setting(const char *name)
{
	size_t n = strlen(name);

	return (n > 9 && strcmp(name + n - 9, ".pressure") == 0) ||
	       strcmp(name, "memory.force_empty") == 0 ||
	       strcmp(name, "memory.oom_control") == 0 ||
	       strcmp(name, "memory.reclaim") == 0;
}

int ctr_cgroup_foreach_knob(const struct ctr_cg_layout *l, int h, const char *group,
			    const char *ctrl, int writable_only,
			    int (*fn)(const char *name, void *arg), void *arg)
{
	char dir[PATHSZ];
	size_t n = strlen(ctrl);
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = 0;

	if (ctr_cgroup_dir(l, h, group, dir, sizeof(dir)) < 0)
		return -1;
	dp = opendir(dir);
	if (!dp)
		return -1;
	while (!rc && (d = readdir(dp))) {
		if (strncmp(d->d_name, ctrl, n) != 0 || d->d_name[n] != '.' || d->d_type == DT_DIR)
			continue;
		if (writable_only &&
		    (not_a_setting(d->d_name) || fstatat(dirfd(dp), d->d_name, &st, 0) < 0 ||
		     (st.st_mode & (S_IRUSR | S_IWUSR)) != (S_IRUSR | S_IWUSR)))
			continue;
		rc = fn(d->d_name, arg);
	}
	closedir(dp);
	return rc;
}

int ctr_cgroup_group_ctrls(const struct ctr_cg_layout *l, int h, const char *group,
			   char *out, size_t size)
{
	char dir[PATHSZ], buf[512], *p;
	const char *c;

	out[0] = '\0';
	if (l->h[h].version == 1) {
		for (c = l->h[h].ctrls; *c;) {
			size_t n = strcspn(c, ",");
			char one[64];

			if (n < sizeof(one) && strncmp(c, "name=", 5) != 0) {
				memcpy(one, c, n);
				one[n] = '\0';
				list_add(out, size, one);
			}
			c += n;
			if (*c)
				c++;
		}
		return 0;
	}
	if (ctr_cgroup_dir(l, h, group, dir, sizeof(dir)) < 0 ||
	    read_knob(dir, "cgroup.controllers", buf, sizeof(buf), NULL) < 0)
		return -1;
	for (p = buf; *p; p++)
		if (*p == ' ')
			*p = ',';
	snprintf(out, size, "%s", buf);
	return 0;
}
