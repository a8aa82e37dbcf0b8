/* engine_plan.c: the container engine's plan: a spec turned into the
 * ordered list of operations (phases HOST, PARENT, CHILD, ROOT, FINAL) that
 * engine.c runs. See ctr/engine.h. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include "engine_int.h"

const char *const ctr_op_names[OP_NKINDS] = {
	"create cgroup", "set cgroup limits", "make overlay dirs", "clone",
	"write id maps", "join cgroup", "device policy", "createRuntime hook", "go",
	"wait", "join namespace", "cgroup namespace", "mount propagation", "mount overlay root",
	"bind root", "mount", "create devices", "create device", "create /dev links",
	"bring loopback up", "set hostname", "createContainer hook", "pivot_root",
	"read-only path", "masked path", "sysctl", "read-only root", "terminal", "cwd",
	"user", "rlimits", "oom_score_adj", "umask", "seccomp", "capabilities",
	"no_new_privs", "seccomp", "wait for start", "startContainer hook", "close fds",
	"parent death signal", "exec",
};

/* ---- the plan ------------------------------------------------------------ */

int ctr_eng_push(struct ctr_plan *p, int phase, int kind, int index, struct ctr_err *e)
{
	if (p->n == CTR_PLAN_MAX)
		return ctr_err_set(e, E2BIG, "plan", "more than %d operations", CTR_PLAN_MAX);
	p->op[p->n].phase = (unsigned char)phase;
	p->op[p->n].kind = (unsigned char)kind;
	p->op[p->n].index = (short)index;
	p->op[p->n].name = ctr_op_names[kind];
	p->n++;
	return 0;
}

int ctr_eng_ns_new(const struct ctr_spec *s, int type)
{
	const struct ctr_spec_ns *n = ctr_spec_get_ns(s, type);

	return n && !n->path;
}

int ctr_plan_build(const struct ctr_spec *s, struct ctr_plan *p, struct ctr_err *e)
{
	size_t i;
	int r = 0;

	p->n = 0;
#define OP(ph, k, ix) do { if (ctr_eng_push(p, CTR_PHASE_##ph, k, ix, e) < 0) return -1; } while (0)
	OP(HOST, OP_CGROUP_CREATE, 0);
	OP(HOST, OP_CGROUP_LIMITS, 0);
	/* the device rules need the group, not the process: set before the
	 * clone, the child waits only for its join */
	if (s->cgroup.devices_set)
		OP(HOST, OP_DEVICES_CGROUP, 0);
	if (s->root.nlayers)
		OP(HOST, OP_OVERLAY_DIRS, 0);
	OP(HOST, OP_CLONE, 0);
	if (s->uid_map)
		OP(PARENT, OP_IDMAPS, 0);
	OP(PARENT, OP_CGROUP_ATTACH, 0);
	if (s->nhooks[CTR_HOOK_CREATE_RUNTIME] || s->nhooks[CTR_HOOK_PRESTART])
		OP(PARENT, OP_HOOK_RUNTIME, 0);
	OP(PARENT, OP_GO, 0);

	OP(CHILD, OP_WAIT_GO, 0);
	for (i = 0; i < s->nns; i++)
		if (s->ns[i].path && s->ns[i].type != CLONE_NEWPID)
			OP(CHILD, OP_JOIN_NS, (int)i);
	if (ctr_eng_ns_new(s, CLONE_NEWCGROUP))
		OP(CHILD, OP_CGROUP_NS, 0);
	OP(CHILD, OP_PROPAGATION, 0);
	OP(CHILD, s->root.nlayers ? OP_ROOT_OVERLAY : OP_ROOT_BIND, 0);
	for (i = 0; i < s->nmounts; i++) {
		OP(CHILD, OP_MOUNT, (int)i);
		/* the nodes go in as soon as /dev is there, before anything
		 * mounts below it */
		if (strcmp(s->mounts[i].dest, "/dev") == 0 && s->default_devices && !r++)
			OP(CHILD, OP_DEV_NODES, 0);
	}
	if (s->default_devices && !r)
		OP(CHILD, OP_DEV_NODES, 0);
	for (i = 0; i < s->ndevices; i++)
		OP(CHILD, OP_DEVICE, (int)i);
	if (s->default_devices)
		OP(CHILD, OP_DEV_LINKS, 0);
	if (s->loopback && ctr_eng_ns_new(s, CLONE_NEWNET))
		OP(CHILD, OP_LOOPBACK, 0);
	if (s->hostname || s->domainname)
		OP(CHILD, OP_HOSTNAME, 0);
	if (s->nhooks[CTR_HOOK_CREATE_CONTAINER])
		OP(CHILD, OP_HOOK_CONTAINER, 0);
	OP(CHILD, OP_PIVOT, 0);

	/* sysctls first: /proc/sys is among the read-only paths (runc's order) */
	for (i = 0; s->sysctls && s->sysctls[i]; i++)
		OP(ROOT, OP_SYSCTL, (int)i);
	for (i = 0; s->readonly_paths && s->readonly_paths[i]; i++)
		OP(ROOT, OP_READONLY_PATH, (int)i);
	for (i = 0; s->masked_paths && s->masked_paths[i]; i++)
		OP(ROOT, OP_MASK, (int)i);
	if (s->root.readonly)
		OP(ROOT, OP_ROOT_RO, 0);
	if (s->process.terminal)
		OP(ROOT, OP_PTY, 0);
	OP(ROOT, OP_USER, 0);
	OP(ROOT, OP_CWD, 0);
	if (s->process.nrlimits)
		OP(ROOT, OP_RLIMITS, 0);
	if (s->process.has_oom_score_adj)
		OP(ROOT, OP_OOM, 0);
	OP(ROOT, OP_UMASK, 0);
	/* Kernel rule: a filter loads only with no_new_privs or CAP_SYS_ADMIN.
	 * Without no_new_privs it goes in while we still hold every cap, so
	 * the filter must allow capset/setresuid/prctl (docker's does); with it,
	 * as late as possible. */
	if (s->seccomp != CTR_SECCOMP_NONE && !s->process.no_new_privs)
		OP(ROOT, OP_SECCOMP_EARLY, 0);
	OP(ROOT, OP_CAPS, 0);
	if (s->process.no_new_privs)
		OP(ROOT, OP_NNP, 0);
	if (s->seccomp != CTR_SECCOMP_NONE && s->process.no_new_privs)
		OP(ROOT, OP_SECCOMP, 0);

	OP(FINAL, OP_CLOSE_FDS, 0);
	OP(FINAL, OP_PDEATHSIG, 0);
	OP(FINAL, OP_WAIT_START, 0);
	if (s->nhooks[CTR_HOOK_START_CONTAINER])
		OP(FINAL, OP_HOOK_START, 0);
	OP(FINAL, OP_EXEC, 0);
#undef OP
	return 0;
}
