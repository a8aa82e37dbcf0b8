/* engine_int.h: what the engine's files share (not installed). */
#ifndef CTR_ENGINE_INT_H
#define CTR_ENGINE_INT_H

#include "ctr/cgroup.h"
#include "ctr/engine.h"

/* Op kinds, in the order a plan lists them within a phase. */
enum {
	/* HOST */
	OP_CGROUP_CREATE, OP_CGROUP_LIMITS, OP_OVERLAY_DIRS, OP_CLONE,
	/* PARENT */
	OP_IDMAPS, OP_CGROUP_ATTACH, OP_DEVICES_CGROUP, OP_HOOK_RUNTIME, OP_GO,
	/* CHILD */
	OP_WAIT_GO, OP_JOIN_NS, OP_CGROUP_NS, OP_PROPAGATION, OP_ROOT_OVERLAY, OP_ROOT_BIND,
	OP_MOUNT, OP_DEV_NODES, OP_DEVICE, OP_DEV_LINKS, OP_LOOPBACK, OP_HOSTNAME,
	OP_HOOK_CONTAINER, OP_PIVOT,
	/* ROOT */
	OP_READONLY_PATH, OP_MASK, OP_SYSCTL, OP_ROOT_RO, OP_PTY, OP_CWD, OP_USER,
	OP_RLIMITS, OP_OOM, OP_UMASK, OP_SECCOMP_EARLY, OP_CAPS, OP_NNP, OP_SECCOMP,
	/* FINAL */
	OP_WAIT_START, OP_HOOK_START, OP_CLOSE_FDS, OP_PDEATHSIG, OP_EXEC,
	OP_NKINDS
};

/* One packet of the sync socket. */
enum { MSG_GO = 1, MSG_READY, MSG_START, MSG_ERROR, MSG_PTY };
struct ctr_msg {
	int type;
	int status;          /* MSG_ERROR: 125, 126, 127 */
	int err;             /* errno */
	char what[64];
	char detail[400];
};

/* What the child and parent executors work with. */
struct ctr_seccomp_prog;

struct ctr_ectx {
	const struct ctr_spec *s;
	const struct ctr_engine_opts *o;
	struct ctr_engine *c;
	struct ctr_cg_layout *cgl; /* the hierarchies: the handle's c->cgl */
	struct ctr_cg_spec cgs;
	struct ctr_cg_undo cgu;
	int have_cg;
	int sock;            /* this side's end */
	int rootfd;          /* child: the new root, O_PATH */
	int devfd;           /* child: its /dev until pivot_root, or -1 */
	int cwdfd;           /* child: its first cwd, for createContainer hooks
			      * (the mounts move the cwd), or -1 */
	int fifo_fd;         /* child: O_PATH fd of the exec fifo */
	int pty_slave;       /* child: with a terminal */
	char root[4096];     /* child: the new root's path before pivot */
	uint32_t uid, gid;   /* resolved identity */
	uint32_t groups[64];
	int ngroups;         /* -1: use the spec's */
	uid_t caller_uid;
	int exec;            /* joining a running container (ctr_engine_exec) */
	int born_in_v2;      /* clone3 CLONE_INTO_CGROUP put the child there */
	int v1_self;         /* the child joins its v1 groups itself (see clone_child) */
	int ovl_fresh;       /* OP_OVERLAY_DIRS made upper, work, merged */
	const struct ctr_seccomp_prog *seccomp_prog; /* to load; NULL: none */
};

extern const char *const ctr_op_names[OP_NKINDS];

/* Does the child wait for "go"? Not when the parent has nothing to do
 * first: the child joins its v1 groups itself, no id maps or hooks
 * (v1_self), and no cgroup2 group to be put in (born there by clone3).
 * Both sides see the same answer (the child's copy of born_in_v2 too). */
static inline int ctr_eng_go_needed(const struct ctr_ectx *x)
{
	return !x->v1_self || (x->have_cg && x->cgl->v2 >= 0 &&
			       (x->cgs.hmask & (1u << x->cgl->v2)) && !x->born_in_v2);
}

/* engine_mnt.c: the CHILD phase's mount work. */
int ctr_eng_root(struct ctr_ectx *x, struct ctr_err *e);
int ctr_eng_mount(struct ctr_ectx *x, const struct ctr_spec_mount *m, struct ctr_err *e);
int ctr_eng_dev(struct ctr_ectx *x, int kind, int idx, struct ctr_err *e);
int ctr_eng_pivot(struct ctr_ectx *x, struct ctr_err *e);
int ctr_eng_mask(const char *path, struct ctr_err *e);
int ctr_eng_readonly(const char *path, struct ctr_err *e);
int ctr_eng_root_ro(struct ctr_err *e);
/* Open path inside the root rootfd without leaving it (RESOLVE_IN_ROOT),
 * creating what is missing (dirs on the way; the last as a dir or an empty
 * file when create is 'd' or 'f'). An O_PATH fd or -1 with errno. */
int ctr_eng_open_in_root(int rootfd, const char *path, int create);

/* engine_proc.c: the ROOT and FINAL phases' process work. */
int ctr_eng_run_root_op(struct ctr_ectx *x, int kind, int idx, struct ctr_err *e);
int ctr_eng_loopback(struct ctr_err *e);
int ctr_eng_sysctl(const char *kv, struct ctr_err *e);
int ctr_eng_exec(struct ctr_ectx *x, struct ctr_err *e);

/* engine_sec.c: seccomp compiled in the parent before the clone and
 * loaded in the child; the devices cgroup. */
int ctr_eng_seccomp_prepare(struct ctr_ectx *x, struct ctr_err *e);
int ctr_eng_seccomp(struct ctr_ectx *x, struct ctr_err *e);
int ctr_eng_devices_cgroup(struct ctr_ectx *x, struct ctr_err *e);

/* engine_host.c */
int ctr_eng_run_parent_op(struct ctr_ectx *x, const struct ctr_op *op, struct ctr_err *e);
/* The hierarchies of the first n of: cpu cpuacct cpuset memory pids devices
 * freezer (CTR_ENG_CG_BASE), blkio hugetlb net_cls net_prio (CTR_ENG_CG_ALL:
 * where a container's group may be, to remove it). */
enum { CTR_ENG_CG_BASE = 7, CTR_ENG_CG_ALL = 11 };
void ctr_eng_cg_spec(const struct ctr_cg_layout *l, struct ctr_cg_spec *s, int n);

/* engine_plan.c */
int ctr_eng_push(struct ctr_plan *p, int phase, int kind, int index, struct ctr_err *e);
/* The spec asks for a new namespace of this type (not one joined by path). */
int ctr_eng_ns_new(const struct ctr_spec *s, int type);

/* engine.c */
int ctr_eng_await_ready(struct ctr_engine *c, struct ctr_err *e);
_Noreturn void ctr_eng_child_main(struct ctr_ectx *x, const struct ctr_plan *p);
int ctr_eng_send(int sock, int type, int status, const struct ctr_err *e);

#endif
