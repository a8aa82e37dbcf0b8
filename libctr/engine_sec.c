/* engine_sec.c: the engine's glue to the seccomp compiler (seccomp.c) and
 * the device policy (devices.c): the ROOT phase's filter and the PARENT
 * phase's devices cgroup (v1 devices.allow/deny, v2 BPF program). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "ctr/devices.h"
#include "ctr/seccomp.h"
#include "engine_int.h"

/* Before the clone: the program the container's process will load. The
 * compiler's memory is touched here, in the parent, and only read in the
 * child (a copy-on-write fault for every page it would write there). */
int ctr_eng_seccomp_prepare(struct ctr_ectx *x, struct ctr_err *e)
{
	/* 32 KiB: static, off a small supervisor's stack */
	static struct ctr_seccomp_prog prog;
	struct ctr_seccomp_policy pol;
	int rc;

	x->seccomp_prog = NULL;
	if (x->s->seccomp == CTR_SECCOMP_FILTER)
		x->seccomp_prog = x->s->seccomp_prog;
	if (x->s->seccomp != CTR_SECCOMP_DEFAULT)
		return 0;
	/* docker's policy for this arch; its cap-gated rules follow the
	 * container's bounding set */
	if (ctr_seccomp_docker_default(&pol, CTR_SECCOMP_NATIVE, x->s->process.caps.bounding, e) < 0)
		return -1;
	rc = ctr_seccomp_compile(&pol, &prog, e);
	ctr_seccomp_policy_free(&pol);
	x->seccomp_prog = &prog;
	return rc;
}

int ctr_eng_seccomp(struct ctr_ectx *x, struct ctr_err *e)
{
	if (!x->seccomp_prog)
		return 0;
	return ctr_seccomp_load(x->seccomp_prog,
				x->s->seccomp == CTR_SECCOMP_FILTER ? x->s->seccomp_flags : 0, e);
}

int ctr_eng_devices_cgroup(struct ctr_ectx *x, struct ctr_err *e)
{
	const struct ctr_spec_cgroup *g = &x->s->cgroup;
	struct ctr_dev_rule rules[128];
	char dir[1400];
	size_t i, n = 0;
	int h, fd, rc;
	struct ctr_err ign;

	if (!x->have_cg)
		return 0;
	for (i = 0; i < g->ndevrules && n < 128; i++, n++) {
		const struct ctr_spec_devrule *r = &g->devrules[i];

		rules[n].type = r->type;
		rules[n].major = r->major < 0 ? CTR_DEV_WILDCARD : r->major;
		rules[n].minor = r->minor < 0 ? CTR_DEV_WILDCARD : r->minor;
		rules[n].access = (uint8_t)((strchr(r->access, 'r') ? CTR_DEV_READ : 0) |
					    (strchr(r->access, 'w') ? CTR_DEV_WRITE : 0) |
					    (strchr(r->access, 'm') ? CTR_DEV_MKNOD : 0));
		rules[n].allow = (uint8_t)!!r->allow;
	}
	h = ctr_cgroup_find(x->cgl, "devices", &ign);
	if (h >= 0 && x->cgl->h[h].version == 1 && (x->cgs.hmask & (1u << h))) {
		ctr_cgroup_dir(x->cgl, h, x->cgs.group, dir, sizeof(dir));
		return ctr_devices_apply_v1(dir, rules, n, e);
	}
	h = x->cgl->v2;
	if (h < 0 || !(x->cgs.hmask & (1u << h)))
		return 0;   /* no devices controller and no v2 group: nothing to enforce with */
	ctr_cgroup_dir(x->cgl, h, x->cgs.group, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ctr_err_sys(e, "cannot open cgroup", "%s", dir);
	/* the program stays attached for the cgroup's life; our fd goes */
	rc = ctr_devices_apply_v2(fd, rules, n, e);
	close(fd);
	if (rc >= 0)
		close(rc);
	return rc < 0 ? -1 : 0;
}
