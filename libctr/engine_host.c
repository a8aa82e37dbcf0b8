/* engine_host.c: the engine's HOST and PARENT phases - the container's
 * cgroup (made, limited, device policy, joined), overlay dirs, id maps,
 * createRuntime hooks, "go" - and the removal of its dirs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctr/dir.h"
#include "ctr/idmap.h"
#include "ctr/proc.h"
#include "engine_int.h"

/* ---- HOST and PARENT ----------------------------------------------------- */

void ctr_engine_paths(const struct ctr_spec *s, const struct ctr_engine_opts *o,
		      struct ctr_engine *c)
{
	char def[256];

	c->upper[0] = c->work[0] = c->merged[0] = 0;
	if (s->root.nlayers) {
		snprintf(c->upper, sizeof(c->upper), "%s/upper", o->state_dir);
		snprintf(c->work, sizeof(c->work), "%s/work", o->state_dir);
		snprintf(c->merged, sizeof(c->merged), "%s/merged", o->state_dir);
	}
	snprintf(def, sizeof(def), "ctrbox/%s", o->id);
	if (ctr_cgroup_norm(s->cgroup.path ? s->cgroup.path : def, c->cgroup, sizeof(c->cgroup)) < 0)
		c->cgroup[0] = 0;
}

/* The hierarchies of a container's group: each of the controllers its
 * limits need where the host has them (v1: one hierarchy each; v2: the one
 * tree, the controllers enabled on the way down; freezer for pause), and
 * the cgroup2 tree in any case (on a hybrid host: a group of its own there
 * too, holding nothing but the container, so that it is born into it). */
void ctr_eng_cg_spec(const struct ctr_cg_layout *l, struct ctr_cg_spec *s, int n)
{
	static const char *const ctrls[] = { "cpu", "cpuacct", "cpuset", "memory", "pids",
					     "devices", "freezer", "blkio", "hugetlb", "net_cls",
					     "net_prio" };
	int i;

	/* NULL: a controller the host lacks is skipped without reading
	 * /proc/cgroups for the message */
	for (i = 0; i < n; i++)
		ctr_cgroup_spec_add(l, s, ctrls[i], NULL);
	if (l->v2 >= 0)
		s->hmask |= 1u << l->v2;
}

static int cgroup_create(struct ctr_ectx *x, struct ctr_err *e)
{
	const char *path = x->s->cgroup.path;
	char *const *set = x->s->cgroup.settings;
	char def[256], ctrl[64];

	if (!path) {
		snprintf(def, sizeof(def), "ctrbox/%s", x->o->id);
		path = def;
	}
	if (ctr_cgroup_layout(x->cgl, e) < 0)
		return -1;
	memset(&x->cgs, 0, sizeof(x->cgs));
	if (ctr_cgroup_norm(path, x->cgs.group, sizeof(x->cgs.group)) < 0)
		return ctr_err_sys(e, "invalid cgroup path", "%s", path);
	ctr_eng_cg_spec(x->cgl, &x->cgs, CTR_ENG_CG_BASE);
	/* and the controllers of the other limits (blkio, hugetlb, net_cls...):
	 * where the host has none, the limit cannot be kept: an error */
	for (; set && *set; set++)
		if (!ctr_cgroup_knob_ctrl(*set, ctrl, sizeof(ctrl)) && strcmp(ctrl, "cgroup") &&
		    ctr_cgroup_spec_add(x->cgl, &x->cgs, ctrl, e) < 0)
			return -1;
	/* A hybrid host's cgroup2 tree is systemd's: the engine only places
	 * the process there (as runc does) and enables nothing in it. */
	if (x->cgs.v2ctrls[0] && x->cgl->n > 1)
		return ctr_err_set(e, ENOTSUP, "controller only in cgroup2 (hybrid host)", "%s",
				   x->cgs.v2ctrls);
	if (!x->cgs.hmask)
		return 0;
	if (ctr_cgroup_create(x->cgl, &x->cgs, 0, &x->cgu, e) < 0)
		return -1;
	x->have_cg = 1;
	snprintf(x->c->cgroup, sizeof(x->c->cgroup), "%s", x->cgs.group);
	x->c->cgroup_made = x->c->have_cgl = 1;
	x->c->cgmask = x->cgs.hmask;
	return 0;
}

static int cg_set_num(struct ctr_ectx *x, const char *name, long long v, struct ctr_err *e)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return ctr_cgroup_set(x->cgl, x->cgs.group, name, buf, NULL, e);
}

static int cgroup_limits(struct ctr_ectx *x, struct ctr_err *e)
{
	const struct ctr_spec_cgroup *g = &x->s->cgroup;
	char tmp[256], *name, *value;
	size_t i;

	if (!x->have_cg)
		return 0;
	/* cpuset first: a task cannot join an empty cpuset, and the
	 * period before the quota (a quota above the old period is fine, but
	 * v2's cpu.max takes both at once anyway). */
	if (g->cpuset_cpus &&
	    ctr_cgroup_set(x->cgl, x->cgs.group, "cpuset.cpus", g->cpuset_cpus, NULL, e) < 0)
		return -1;
	if (g->cpuset_mems &&
	    ctr_cgroup_set(x->cgl, x->cgs.group, "cpuset.mems", g->cpuset_mems, NULL, e) < 0)
		return -1;
	if (g->cpu_period && cg_set_num(x, "cpu.cfs_period_us", (long long)g->cpu_period, e) < 0)
		return -1;
	if (g->cpu_quota && cg_set_num(x, "cpu.cfs_quota_us", g->cpu_quota, e) < 0)
		return -1;
	if (g->cpu_shares && cg_set_num(x, "cpu.shares", (long long)g->cpu_shares, e) < 0)
		return -1;
	if (g->memory && cg_set_num(x, "memory.limit_in_bytes", g->memory, e) < 0)
		return -1;
	if (g->memory_swap && cg_set_num(x, "memory.memsw.limit_in_bytes", g->memory_swap, e) < 0)
		return -1;
	if (g->memory_reservation &&
	    cg_set_num(x, "memory.soft_limit_in_bytes", g->memory_reservation, e) < 0)
		return -1;
	if (g->pids_limit && cg_set_num(x, "pids.max", g->pids_limit, e) < 0)
		return -1;
	for (i = 0; g->settings && g->settings[i]; i++) {
		snprintf(tmp, sizeof(tmp), "%s", g->settings[i]);
		if (ctr_cgroup_split_setting(tmp, &name, &value) < 0)
			return ctr_err_set(e, EINVAL, "invalid cgroup setting", "%s", g->settings[i]);
		if (ctr_cgroup_set(x->cgl, x->cgs.group, name, value, NULL, e) < 0)
			return -1;
	}
	return 0;
}

static int overlay_dirs(struct ctr_ectx *x, struct ctr_err *e)
{
	static const char *const names[] = { "upper", "work", "merged" };
	char *dst[3] = { x->c->upper, x->c->work, x->c->merged };
	int i;

	x->ovl_fresh = 1;
	for (i = 0; i < 3; i++) {
		if ((size_t)snprintf(dst[i], PATH_MAX, "%s/%s", x->o->state_dir, names[i]) >= PATH_MAX)
			return ctr_err_set(e, ENAMETOOLONG, "state directory", "%s", x->o->state_dir);
		if (mkdir(dst[i], 0755) < 0) {
			if (errno != EEXIST)
				return ctr_err_sys(e, "cannot create", "%s", dst[i]);
			x->ovl_fresh = 0;
		}
	}
	return 0;
}

/* The child is one thread (a clone of a single-threaded caller, waiting
 * for "go"): on v1 its thread id goes to "tasks" (or, v1_self, the child
 * writes "0" there itself after "go": only that skips the kernel's
 * threadgroup lock and its RCU grace period, see clone_child). */
static int cgroup_attach(struct ctr_ectx *x, struct ctr_err *e)
{
	char dir[1100], path[1200], num[24];
	int i;

	if (!x->have_cg)
		return 0;
	snprintf(num, sizeof(num), "%d", (int)x->c->pid);
	for (i = 0; i < x->cgl->n; i++) {
		if (!(x->cgs.hmask & (1u << i)) || (i == x->cgl->v2 && x->born_in_v2) ||
		    (x->v1_self && x->cgl->h[i].version == 1))
			continue;
		ctr_cgroup_dir(x->cgl, i, x->cgs.group, dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s/%s", dir,
			 x->cgl->h[i].version == 1 ? "tasks" : "cgroup.procs");
		if (ctr_write_str(path, num) < 0)
			/* the library's attach names the reason */
			return ctr_cgroup_attach(x->cgl, &x->cgs, x->c->pid, e);
	}
	return 0;
}

static int write_maps(struct ctr_ectx *x, struct ctr_err *e)
{
	pid_t pid = x->c->pid;

	if (ctr_idmap_write(pid, "uid_map", x->s->uid_map, e) < 0)
		return -1;
	if (x->caller_uid != 0 && ctr_idmap_setgroups(pid, 0, e) < 0)
		return -1;
	return ctr_idmap_write(pid, "gid_map", x->s->gid_map, e);
}

int ctr_eng_run_parent_op(struct ctr_ectx *x, const struct ctr_op *op, struct ctr_err *e)
{
	switch (op->kind) {
	case OP_CGROUP_CREATE:
		return cgroup_create(x, e);
	case OP_CGROUP_LIMITS:
		return cgroup_limits(x, e);
	case OP_OVERLAY_DIRS:
		return overlay_dirs(x, e);
	case OP_IDMAPS:
		return write_maps(x, e);
	case OP_CGROUP_ATTACH:
		return cgroup_attach(x, e);
	case OP_DEVICES_CGROUP:
		/* the device policy (v1 devices.deny/allow, v2 BPF program)
		 * lives with the seccomp and tty code (devices.c) */
		return ctr_eng_devices_cgroup(x, e);
	case OP_HOOK_RUNTIME:
		if (!x->o->hook)
			return 0;
		if (x->o->hook(x->o->hook_arg, CTR_HOOK_PRESTART, x->c->pid, e) < 0)
			return -1;
		return x->o->hook(x->o->hook_arg, CTR_HOOK_CREATE_RUNTIME, x->c->pid, e);
	case OP_GO:
		if (ctr_eng_go_needed(x) && ctr_eng_send(x->sock, MSG_GO, 0, NULL) < 0)
			return ctr_err_sys(e, "cannot start the container process", NULL);
		return 0;
	}
	return 0;
}

/* rm -rf of one of our own dirs (upper can hold anything the container
 * wrote). No symlink is followed. */
static void rm_tree_at(int dfd, const char *name, unsigned char type);

static int rm_entry(const char *name, unsigned char type, uint64_t ino, void *arg)
{
	(void)ino;
	if (strcmp(name, ".") && strcmp(name, ".."))
		rm_tree_at(*(int *)arg, name, type);
	return 0;
}

/* type: the entry's d_type (DT_DIR for the dirs we made) */
static void rm_tree_at(int dfd, const char *name, unsigned char type)
{
	int fd;

	/* a file (or link) goes at once; unlink(2) says EISDIR for a dir */
	if (type != DT_DIR && (unlinkat(dfd, name, 0) == 0 || errno != EISDIR))
		return;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (type == DT_DIR)   /* not a dir after all */
			unlinkat(dfd, name, 0);
		return;
	}
	ctr_dir_foreach(fd, rm_entry, &fd);
	close(fd);
	unlinkat(dfd, name, AT_REMOVEDIR);
}

void ctr_engine_rm_tree(const char *path)
{
	rm_tree_at(AT_FDCWD, path, DT_DIR);
}

