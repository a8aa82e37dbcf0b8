/* Control groups on cgroup v1, v2 and hybrid systems.
 *
 * The layout (which hierarchy each controller is bound to) is read once per
 * call from /proc/self/mountinfo: a v1 hierarchy per "cgroup" mount (its
 * controllers from the superblock options: "cpu,cpuacct", "name=systemd"),
 * and the cgroup2 tree with the controllers its root offers. A controller is
 * used where it is bound: a v1 hierarchy naming it, else the v2 tree.
 *
 * Group paths are relative to the hierarchy's mount point, as libcgroup's:
 * "a/b" is <mnt>/a/b in every hierarchy concerned. "." and ".." components
 * are refused.
 *
 * Knob names are translated both ways (v1 names on v2, v2 names on v1):
 *   cpu.cfs_quota_us + cpu.cfs_period_us <-> cpu.max ("-1" <-> "max")
 *   cpu.shares <-> cpu.weight (ctr_cgroup_shares_to_weight)
 *   memory.limit_in_bytes <-> memory.max ("-1" <-> "max")
 *   pids.max, cpuset.cpus, cpuset.mems (same names; "-1" -> "max")
 *   cpuacct.usage (ns) <- cpu.stat usage_usec (v2 has no cpuacct: the
 *   controller name "cpuacct" means the v2 tree there)
 * A read answers in the form of the name it was asked for. */
#ifndef CTR_CGROUP_H
#define CTR_CGROUP_H

#include <stdint.h>
#include <sys/types.h>
#include "ctr/err.h"

#define CTR_CG_MAX_HIER 16

struct ctr_cg_hier {
	int version;         /* 1 or 2 */
	unsigned int dev;    /* makedev of the superblock: one entry per hierarchy */
	char mnt[256];       /* mount point */
	char ctrls[256];     /* v1: "cpu,cpuacct" or "name=systemd"; v2: the
				root's cgroup.controllers, comma-separated */
};

struct ctr_cg_layout {
	int n;
	int v2;              /* index of the cgroup2 tree, -1 if none */
	struct ctr_cg_hier h[CTR_CG_MAX_HIER];
};

/* A parsed "CTRL[,CTRL...]:PATH": the hierarchies concerned (bit i = h[i])
 * and, for the v2 tree, the controllers to enable on the way down. */
struct ctr_cg_spec {
	char group[1024];    /* normalized: no leading/trailing '/', "" = root */
	unsigned int hmask;
	char v2ctrls[256];   /* comma-separated, "" if none */
};

/* Things done that a failure (or a transient group's end) undoes, last
 * first: directories made, subtree_control enables, knob values written. */
struct ctr_cg_undo {
	int n, cap;
	struct ctr_cg_undo_op *op;
};

/* Read the layout from /proc/self/mountinfo. -1 if there is no cgroup mount. */
int ctr_cgroup_layout(struct ctr_cg_layout *l, struct ctr_err *e);
/* Index of the hierarchy ctrl is bound to, or -1: e says "unknown
 * controller" (the kernel does not know it) or "controller not available"
 * (known, but neither a v1 hierarchy nor the v2 tree offers it); with e
 * NULL, -1 without reading /proc/cgroups for the difference. */
int ctr_cgroup_find(const struct ctr_cg_layout *l, const char *ctrl, struct ctr_err *e);

/* Normalize a group path into out (see above). -1 with EINVAL on "." or "..",
 * ENAMETOOLONG. */
int ctr_cgroup_norm(const char *path, char *out, size_t size);
/* The base of a relative group path as runc's cgroupfs manager takes it:
 * the caller's group, the same in each hierarchy (cgroup2 alone: its
 * parent); ENOTSUP when the hierarchies differ. */
int ctr_cgroup_own(char *out, size_t size, struct ctr_err *e);
/* Parse "CTRL[,CTRL...]:PATH" ("*" = every hierarchy, as libcgroup's);
 * e names a malformed argument or an unknown / unavailable controller. */
int ctr_cgroup_spec(const struct ctr_cg_layout *l, const char *arg,
		    struct ctr_cg_spec *s, struct ctr_err *e);
/* Add one controller to a spec (cgexec -r cpu.x adds "cpu"). */
int ctr_cgroup_spec_add(const struct ctr_cg_layout *l, struct ctr_cg_spec *s,
			const char *ctrl, struct ctr_err *e);
/* "<mnt>/<group>" of hierarchy h. */
int ctr_cgroup_dir(const struct ctr_cg_layout *l, int h, const char *group,
		   char *out, size_t size);
/* Does the group exist in every hierarchy of the spec? 0 yes, -1 with e
 * naming the first missing one ("cannot find group"). */
int ctr_cgroup_exists(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      struct ctr_err *e);

/* mkdir -p the group in each hierarchy of the spec. v2: enable the spec's
 * controllers in each ancestor's cgroup.subtree_control first (EBUSY there is
 * the no-internal-process rule). v1 cpuset: a new group gets its parent's
 * cpuset.cpus and cpuset.mems (a task cannot join an empty cpuset).
 * excl: fail with EEXIST if the group already exists anywhere. Each step is
 * recorded in u so that ctr_cgroup_undo() takes it back. */
int ctr_cgroup_create(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s, int excl,
		      struct ctr_cg_undo *u, struct ctr_err *e);
/* Ownership and modes (cgcreate -a/-t/-d/-f/-s); -1 in a field = keep. */
struct ctr_cg_perm {
	long long uid, gid;      /* directory and files */
	long long tuid, tgid;    /* v1 tasks; v2 cgroup.procs, cgroup.threads */
	int dmode, fmode, tmode; /* -1 = keep */
};
int ctr_cgroup_perm(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		    const struct ctr_cg_perm *p, struct ctr_err *e);

/* Remove the group from each hierarchy of the spec. Its processes move to
 * the parent first (as libcgroup does). recursive: children first. */
int ctr_cgroup_delete(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      int recursive, struct ctr_err *e);
/* Move pid into the group in every hierarchy of the spec. pid 0 is the
 * caller, which must be single-threaded (on v1 it moves its thread). */
int ctr_cgroup_attach(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		      pid_t pid, struct ctr_err *e);
/* Remove a group whose last task is ending: kill what is left in it
 * (SIGKILL), wait up to timeout_ms for cgroup.procs to empty, then rmdir in
 * each hierarchy of the spec. */
int ctr_cgroup_drain(const struct ctr_cg_layout *l, const struct ctr_cg_spec *s,
		     int timeout_ms, struct ctr_err *e);

/* Split a setting "NAME=VALUE" (what -r takes) in place into *name and
 * *value. -1 with errno EINVAL, arg untouched, when there is no '=' or NAME
 * is empty. */
int ctr_cgroup_split_setting(char *arg, char **name, char **value);

/* Check NAME=VALUE before anything is written: the name is CTRL.KNOB and the
 * value has the form the knob takes (numbers, max/-1, cpu lists). What the
 * kernel decides (ranges like quota >= 1000) is left to the kernel. */
int ctr_cgroup_check(const char *name, const char *value, struct ctr_err *e);
/* The controller part of a knob name into out ("cpu" of "cpu.shares"). */
int ctr_cgroup_knob_ctrl(const char *name, char *out, size_t size);
/* Write a knob of a group, translating name and value to the hierarchy the
 * controller is bound to; the previous contents go to u (may be NULL). */
int ctr_cgroup_set(const struct ctr_cg_layout *l, const char *group, const char *name,
		   const char *value, struct ctr_cg_undo *u, struct ctr_err *e);
/* Read a knob the same way; the value (without the trailing newline) in the
 * form of the name asked for. */
int ctr_cgroup_get(const struct ctr_cg_layout *l, const char *group, const char *name,
		   char *buf, size_t size, struct ctr_err *e);
/* Call fn(name, arg) for group and each group below it in hierarchy h,
 * parents first (cgset -R); names are relative to the mount point, like
 * group. -1 with e saying "cannot find group" when group is not there; a
 * non-zero return of fn stops the walk and is returned. */
int ctr_cgroup_walk(const struct ctr_cg_layout *l, int h, const char *group,
		    int (*fn)(const char *group, void *arg), void *arg, struct ctr_err *e);
/* Call fn(name, arg) for each file "<ctrl>.*" of the group in hierarchy h,
 * in directory order. writable_only: files the owner may read and write,
 * that hold settings (no *.pressure, memory.force_empty, ...). */
int ctr_cgroup_foreach_knob(const struct ctr_cg_layout *l, int h, const char *group,
			    const char *ctrl, int writable_only,
			    int (*fn)(const char *name, void *arg), void *arg);
/* The controllers of a group in hierarchy h: v1 the hierarchy's (without
 * name=), v2 the group's cgroup.controllers. Comma-separated into out. */
int ctr_cgroup_group_ctrls(const struct ctr_cg_layout *l, int h, const char *group,
			   char *out, size_t size);

/* Take back everything recorded in u, last first (errors ignored), and
 * empty it. */
void ctr_cgroup_undo(struct ctr_cg_undo *u);
/* Forget what u recorded (success): nothing is taken back. */
void ctr_cgroup_undo_free(struct ctr_cg_undo *u);

/* cpu.shares -> cpu.weight as crun and runc (>= 1.3.2) convert it:
 * l = log2(shares), weight = ceil(10^((l*l + 125*l)/612 - 7/34)), within
 * 1..10000 (2 -> 1, 1024 -> 100, 262144 -> 10000). shares is first brought
 * into 2..262144 as the v1 kernel does. */
uint64_t ctr_cgroup_shares_to_weight(uint64_t shares);
/* The inverse. The shares giving one weight form an interval (100: 1012..
 * 1024); the one with the most trailing zero bits is taken, so that
 * weight -> shares -> weight is the identity and the shares people write
 * (2, 512, 1024, 1536, 2048, 2560...) read back unchanged from cpu.weight. */
uint64_t ctr_cgroup_weight_to_shares(uint64_t weight);

#endif
