/* ociseccomp.c: config.json's linux.seccomp (the runtime spec's form of a
 * libseccomp filter) into a struct ctr_seccomp_policy, compiled by the same
 * BPF compiler as ctrrun's default policy (libctr/seccomp_bpf.c). As runc:
 * only the native architecture is built (the others listed are sub-arches
 * the compiler kills: i386 and x32 on x86_64), a syscall name unknown to
 * this arch is skipped, defaultErrnoRet/errnoRet default to EPERM. A
 * listener (SCMP_ACT_NOTIFY, listenerPath) is refused. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ctr/seccomp.h"
#include "oci_int.h"

static int action(const struct ctr_json *obj, const char *key, const char *field,
		  int *act, struct ctr_err *e)
{
	const char *name = NULL;

	if (ctr_oci_get_str(obj, key, field, &name, e) < 0)
		return -1;
	if (!name)
		return ctr_oci_bad_key(e, field, key, "missing%s", "");
	*act = ctr_seccomp_act_by_name(name);
	if (*act < 0)
		return strcmp(name, "SCMP_ACT_NOTIFY") == 0 ?
			ctr_err_set(e, ENOTSUP, "config.json",
				    "%s.%s: SCMP_ACT_NOTIFY not supported by ctrbox", field, key) :
			ctr_oci_bad_key(e, field, key, "unknown action %s", name);
	return 0;
}

static int args(const struct ctr_json *a, struct ctr_seccomp_arg *out, size_t *n,
		struct ctr_err *e)
{
	const struct ctr_json *k;
	const char *op;
	uint64_t idx;

	*n = 0;
	for (k = a ? a->v.kid : NULL; k; k = k->next) {
		struct ctr_seccomp_arg *g = &out[*n];
		if (*n == CTR_SECCOMP_MAXARGS)
			return ctr_oci_bad(e, "linux.seccomp.syscalls.args", "more than 6%s", "");
		memset(g, 0, sizeof(*g));
		idx = 0;
		op = NULL;
		if (ctr_oci_get_u64(k, "index", "linux.seccomp.syscalls.args", 5, &idx,
				    NULL, e) < 0 ||
		    ctr_oci_get_u64(k, "value", "linux.seccomp.syscalls.args", UINT64_MAX,
				    &g->value, NULL, e) < 0 ||
		    ctr_oci_get_u64(k, "valueTwo", "linux.seccomp.syscalls.args",
				    UINT64_MAX, &g->value2, NULL, e) < 0 ||
		    ctr_oci_get_str(k, "op", "linux.seccomp.syscalls.args", &op, e) < 0)
			return -1;
		g->index = (uint8_t)idx;
		if (!op || ctr_seccomp_op_by_name(op) < 0)
			return ctr_oci_bad(e, "linux.seccomp.syscalls.args.op", "unknown: %s",
					   op ? op : "(none)");
		g->op = (uint8_t)ctr_seccomp_op_by_name(op);
		(*n)++;
	}
	return 0;
}

static int syscalls(struct ctr_seccomp_policy *p, const struct ctr_json *a, struct ctr_err *e)
{
	struct ctr_seccomp_arg cond[CTR_SECCOMP_MAXARGS];
	const struct ctr_json *k, *names, *nm;
	int act, bad = 0;
	size_t nargs;
	uint64_t eno;

	for (k = a ? a->v.kid : NULL; k; k = k->next) {
		eno = 1;   /* EPERM */
		if (action(k, "action", "linux.seccomp.syscalls", &act, e) < 0 ||
		    ctr_oci_get_u64(k, "errnoRet", "linux.seccomp.syscalls", 4095, &eno,
				    NULL, e) < 0 ||
		    args(ctr_oci_member(k, "args", CTR_JSON_ARRAY, "linux.seccomp.syscalls",
					&bad, e), cond, &nargs, e) < 0 || bad)
			return -1;
		names = ctr_oci_member(k, "names", CTR_JSON_ARRAY, "linux.seccomp.syscalls",
				       &bad, e);
		if (bad)
			return -1;
		for (nm = names ? names->v.kid : NULL; nm; nm = nm->next) {
			if (nm->type != CTR_JSON_STRING)
				return ctr_oci_bad(e, "linux.seccomp.syscalls.names",
						   "must be strings%s", "");
			if (ctr_seccomp_rule_add_name(p, nm->v.s, act,
						      act == CTR_SCMP_ERRNO ? (int)eno : 0,
						      nargs, cond) < 0)
				return ctr_err_sys(e, "seccomp rule", "%s", nm->v.s);
		}
	}
	return 0;
}

int ctr_oci_seccomp_attach(struct ctr_oci *o, struct ctr_err *e)
{
	const struct ctr_json *sc = o->seccomp;
	struct ctr_seccomp_policy p;
	struct ctr_seccomp_prog *prog;
	const struct ctr_json *flags, *k;
	int act, f, bad = 0;
	uint64_t eno = 1;
	const char *lp = NULL;

	if (ctr_oci_get_str(sc, "listenerPath", "linux.seccomp", &lp, e) < 0)
		return -1;
	if (lp && *lp)
		return ctr_err_set(e, ENOTSUP, "config.json",
				   "linux.seccomp.listenerPath: not supported by ctrbox");
	/* flags go to seccomp(2) as runc passes them; WAIT_KILLABLE_RECV
	 * (32) only matters with a listener, which the kernel then needs */
	flags = ctr_oci_member(sc, "flags", CTR_JSON_ARRAY, "linux.seccomp", &bad, e);
	if (bad)
		return -1;
	for (k = flags ? flags->v.kid : NULL; k; k = k->next) {
		if (k->type != CTR_JSON_STRING || (f = ctr_seccomp_flag_by_name(k->v.s)) < 0)
			return ctr_oci_bad(e, "linux.seccomp.flags", "unknown flag %s",
					   k->type == CTR_JSON_STRING ? k->v.s : "");
		if (f == 32)
			ctr_oci_warn(o, "linux.seccomp.flags: %s dropped (no listener)", k->v.s);
		o->spec.seccomp_flags |= f & ~32u;
	}
	if (action(sc, "defaultAction", "linux.seccomp", &act, e) < 0 ||
	    ctr_oci_get_u64(sc, "defaultErrnoRet", "linux.seccomp", 4095, &eno,
			    NULL, e) < 0)
		return -1;
	ctr_seccomp_policy_init(&p, CTR_SECCOMP_NATIVE, act, act == CTR_SCMP_ERRNO ? (int)eno : 0);
	if (syscalls(&p, ctr_oci_member(sc, "syscalls", CTR_JSON_ARRAY, "linux.seccomp",
					&bad, e), e) < 0 || bad)
		goto fail;
	prog = malloc(sizeof(*prog));
	if (ctr_spec_own(&o->spec, prog, e) < 0 || ctr_seccomp_compile(&p, prog, e) < 0)
		goto fail;
	o->spec.seccomp = CTR_SECCOMP_FILTER;
	o->spec.seccomp_prog = prog;
	ctr_seccomp_policy_free(&p);
	return 0;
fail:
	ctr_seccomp_policy_free(&p);
	return -1;
}
