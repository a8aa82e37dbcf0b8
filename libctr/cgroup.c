/* cgroup.c: control groups on v1, v2 and hybrid layouts (see ctr/cgroup.h):
 * layout discovery from mountinfo, controllers, group specs, listing a
 * group's knobs; the helpers the other cgroup_*.c files share. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ctr/cgroup.h"
#include "ctr/dir.h"
#include "ctr/mount.h"
#include "ctr/proc.h"
#include "cgroup_int.h"

/* ---- small helpers ------------------------------------------------------- */

/* Is item in the comma-separated list? */
int cg_list_has(const char *list, const char *item)
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

int cg_list_add(char *list, size_t size, const char *item)
{
	size_t len = strlen(list), n = strlen(item);

	if (cg_list_has(list, item))
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

int cg_path_join(char *out, size_t size, const char *a, const char *b)
{
	/* by hand: the container's setup joins a few dozen (printf is dear) */
	size_t la = strlen(a), lb = b && *b ? strlen(b) + 1 : 0;

	if (la + lb >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memmove(out, a, la);
	if (lb) {
		out[la] = '/';
		memcpy(out + la + 1, b, lb);   /* with its NUL */
	} else {
		out[la] = '\0';
	}
	return 0;
}

void cg_chomp(char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == '\n')
		s[--n] = '\0';
}

int cg_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void cg_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int cg_read(const char *path, char *buf, size_t size)
{
	ssize_t n = ctr_read_file_at(AT_FDCWD, path, buf, size);

	if (n < 0)
		return -1;
	if ((size_t)n + 1 >= size) {
		errno = EFBIG;
		return -1;
	}
	return 0;
}

int cg_read_pids(const char *path, char *buf, size_t size)
{
	ssize_t n = ctr_read_file_at(AT_FDCWD, path, buf, size);
	char *nl;

	if (n < 0)
		return -1;
	if ((size_t)n + 1 >= size) {
		nl = strrchr(buf, '\n');
		if (nl)
			nl[1] = '\0';
		else
			buf[0] = '\0';
	}
	return 0;
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
	char path[CG_PATHSZ], buf[sizeof(l->h[0].ctrls)], *p;

	l->n = 0;
	l->v2 = -1;
	if (ctr_mountinfo_foreach(0, add_mount, l) < 0)
		return ctr_err_sys(e, "cannot read", "/proc/self/mountinfo");
	if (l->v2 >= 0) {
		struct ctr_cg_hier *h = &l->h[l->v2];

		if (cg_path_join(path, sizeof(path), h->mnt, "cgroup.controllers") == 0 &&
		    cg_read(path, buf, sizeof(buf)) == 0) {
			cg_chomp(buf);
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
	if (cg_read("/proc/cgroups", buf, sizeof(buf)) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strcspn(line, "\t ");

		if (line[0] != '#' && strlen(ctrl) == n && memcmp(line, ctrl, n) == 0)
			return 1;
	}
	return 0;
}

/* v1's blkio is v2's io (runc's blockIO on either). */
static const char *v2_name(const char *ctrl)
{
	return strcmp(ctrl, "blkio") ? ctrl : "io";
}

int ctr_cgroup_find(const struct ctr_cg_layout *l, const char *ctrl, struct ctr_err *e)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->h[i].version == 1 && cg_list_has(l->h[i].ctrls, ctrl))
			return i;
	if (l->v2 >= 0 && cg_list_has(l->h[l->v2].ctrls, v2_name(ctrl)))
		return l->v2;
	/* v2 has no cpuacct: every group's cpu.stat (core, always there)
	 * counts its CPU time, so "-g cpu,cpuacct:G" works there too. */
	if (l->v2 >= 0 && strcmp(ctrl, "cpuacct") == 0)
		return l->v2;
	/* the kernel's list only for a message someone reads */
	if (!e)
		return -1;
	if (strncmp(ctrl, "name=", 5) != 0 && !kernel_knows(ctrl))
		return ctr_err_set(e, 0, "unknown controller", "%s", ctrl);
	if (l->v2 >= 0)
		return ctr_err_set(e, 0, "controller not available",
				   "%s: no cgroup v1 hierarchy has it and %s/cgroup.controllers "
				   "does not list it", ctrl, l->h[l->v2].mnt);
	return ctr_err_set(e, 0, "controller not available",
			   "%s: no cgroup v1 hierarchy has it and cgroup2 is not mounted", ctrl);
}

/* runc's cgroupfs base of a relative path: the caller's own group in each
 * hierarchy (cgroup2 alone: its parent, free of processes; beside v1 ones,
 * "0::" holds only the process, under the v1 base too). One group name
 * serves every hierarchy here: they must agree. */
int ctr_cgroup_own(char *out, size_t size, struct ctr_err *e)
{
	char buf[4096], *line, *save = NULL, *c, *p;

	if (cg_read("/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return ctr_err_sys(e, "cannot read", "/proc/self/cgroup");
	*out = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		c = strchr(line, ':');
		p = c ? strchr(++c, ':') : NULL;
		/* "0::" comes last: a v1 line before it makes out non-empty */
		if (!p || !strncmp(c, "name=", 5) || (p == c && *out))
			continue;
		if (p == c)
			*(strrchr(p, '/') + (strrchr(p, '/') == p + 1)) = 0;
		if (!*out)
			snprintf(out, size, "%s", p + 1);
		else if (strcmp(out, p + 1))
			return ctr_err_set(e, ENOTSUP, "relative cgroup path: we are in", "%s and %s",
					   out, p + 1);
	}
	return 0;
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
	ctrl = v2_name(ctrl);
	if (h == l->v2 && cg_list_has(l->h[h].ctrls, ctrl) &&
	    cg_list_add(s->v2ctrls, sizeof(s->v2ctrls), ctrl) < 0)
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
	return cg_path_join(out, size, l->h[h].mnt, group);
}

int ctr_cgroup_exists(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      struct ctr_err *e)
{
	char dir[CG_PATHSZ];
	int i;

	for (i = 0; i < l->n; i++) {
		if (!(s->hmask & (1u << i)))
			continue;
		if (ctr_cgroup_dir(l, i, s->group, dir, sizeof(dir)) < 0)
			return ctr_err_sys(e, "invalid group path", "%s", s->group);
		if (!cg_is_dir(dir))
			return ctr_err_set(e, ENOENT, "cannot find group", "%s", dir);
	}
	return 0;
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

/* Depth-first below dir (group's directory), group extended in place. */
static int walk_below(char *dir, size_t dsize, char *group, size_t gsize, int depth,
		      int (*fn)(const char *group, void *arg), void *arg, struct ctr_err *e)
{
	size_t dlen = strlen(dir), glen = strlen(group);
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	if (depth > 256)
		return ctr_err_set(e, ELOOP, "cannot walk group", "%s", dir);
	dp = opendir(dir);
	if (!dp)
		return ctr_err_sys(e, "cannot walk group", "%s", dir);
	while (!rc && (d = readdir(dp))) {
		size_t n = strlen(d->d_name);

		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (dlen + n + 2 > dsize || glen + n + 2 > gsize) {
			rc = ctr_err_set(e, ENAMETOOLONG, "cannot walk group", "%s/%s", dir, d->d_name);
			break;
		}
		dir[dlen] = '/';
		memcpy(dir + dlen + 1, d->d_name, n + 1);
		if (glen)
			group[glen] = '/';
		memcpy(group + glen + !!glen, d->d_name, n + 1);
		rc = fn(group, arg);
		if (!rc)
			rc = walk_below(dir, dsize, group, gsize, depth + 1, fn, arg, e);
		dir[dlen] = '\0';
		group[glen] = '\0';
	}
	closedir(dp);
	return rc;
}

int ctr_cgroup_walk(const struct ctr_cg_layout *l, int h, const char *group,
		    int (*fn)(const char *group, void *arg), void *arg, struct ctr_err *e)
{
	char dir[CG_PATHSZ], g[1024];
	int rc;

	if (ctr_cgroup_dir(l, h, group, dir, sizeof(dir)) < 0 ||
	    snprintf(g, sizeof(g), "%s", group) >= (int)sizeof(g))
		return ctr_err_set(e, ENAMETOOLONG, "invalid group path", "%s", group);
	if (!cg_is_dir(dir))
		return ctr_err_set(e, ENOENT, "cannot find group", "%s", dir);
	rc = fn(g, arg);
	return rc ? rc : walk_below(dir, sizeof(dir), g, sizeof(g), 0, fn, arg, e);
}

struct knob_walk {
	const char *ctrl;
	size_t n;
	int fd, writable_only;
	int (*fn)(const char *name, void *arg);
	void *arg;
};

static int knob_one(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	struct knob_walk *w = arg;
	struct stat st;

	(void)ino;
	if (strncmp(name, w->ctrl, w->n) != 0 || name[w->n] != '.' || type == DT_DIR)
		return 0;
	if (w->writable_only &&
	    (not_a_setting(name) || fstatat(w->fd, name, &st, 0) < 0 ||
	     (st.st_mode & (S_IRUSR | S_IWUSR)) != (S_IRUSR | S_IWUSR)))
		return 0;
	return w->fn(name, w->arg);
}

int ctr_cgroup_foreach_knob(const struct ctr_cg_layout *l, int h, const char *group,
			    const char *ctrl, int writable_only,
			    int (*fn)(const char *name, void *arg), void *arg)
{
	struct knob_walk w = { ctrl, strlen(ctrl), -1, writable_only, fn, arg };
	char dir[CG_PATHSZ];
	int rc;

	if (ctr_cgroup_dir(l, h, group, dir, sizeof(dir)) < 0)
		return -1;
	w.fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.fd < 0)
		return -1;
	rc = ctr_dir_foreach(w.fd, knob_one, &w);
	close(w.fd);
	return rc;
}

int ctr_cgroup_group_ctrls(const struct ctr_cg_layout *l, int h, const char *group,
			   char *out, size_t size)
{
	char dir[CG_PATHSZ], buf[512], *p;
	const char *c;

	out[0] = '\0';
	if (l->h[h].version == 1) {
		for (c = l->h[h].ctrls; *c;) {
			size_t n = strcspn(c, ",");
			char one[64];

			if (n < sizeof(one) && strncmp(c, "name=", 5) != 0) {
				memcpy(one, c, n);
				one[n] = '\0';
				cg_list_add(out, size, one);
			}
			c += n;
			if (*c)
				c++;
		}
		return 0;
	}
	if (ctr_cgroup_dir(l, h, group, dir, sizeof(dir)) < 0 ||
	    cg_read_knob(dir, "cgroup.controllers", buf, sizeof(buf), NULL) < 0)
		return -1;
	for (p = buf; *p; p++)
		if (*p == ' ')
			*p = ',';
	snprintf(out, size, "%s", buf);
	return 0;
}
