/* cgset: set parameters of control groups.
 *
 * usage: cgset [-R] -r NAME=VALUE [-r NAME=VALUE ...] PATH...
 *        cgset [-R] --copy-from SRC PATH...
 *
 * libcgroup 3.x's cgset (cgroup-tools). Options may follow the paths (GNU
 * getopt permutation); -R sets PATH and every group below it, parents
 * first; -b is accepted (no systemd delegated slice is ever prefixed); an
 * empty VALUE or a -r without '=' is wrong input (status 129), as in
 * libcgroup 3.x (2.0.2: 255). NAME is CONTROLLER.KNOB; each is written
 * in the hierarchy its controller is bound to, v1 names translated on v2 and
 * v2 names on v1 (cpu.cfs_quota_us/cpu.cfs_period_us <-> cpu.max, cpu.shares
 * <-> cpu.weight, memory.limit_in_bytes <-> memory.max, -1 <-> max).
 * --copy-from copies every setting (a file the owner can read and write) of
 * SRC's controllers into each PATH, skipping values that are already equal.
 * Differs from libcgroup: every NAME=VALUE is checked (name form, value form)
 * before anything is written; when the kernel refuses a value the message
 * names the file, the value and errno, and the values already written by
 * this call are put back; errors exit 1 (libcgroup: its error codes modulo
 * 256, and --copy-from from a missing group exits 0).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgcommon.h"

static const char usage_text[] =
	"Usage: cgset [-R] [-r <name=value>] <cgroup_path> ...\n"
	"   or: cgset [-R] --copy-from <source_cgroup_path> <cgroup_path> ...\n"
	"Set the parameters of given cgroup(s)\n"
	"  -r, --variable <name>\t\t\tDefine parameter to set\n"
	"  --copy-from <source_cgroup_path>\tControl group whose parameters will be copied\n"
	"  -b\t\t\t\t\tIgnore default systemd delegate hierarchy\n"
	"\t\t\t\t\t(ctrbox never uses one: no effect)\n"
	"  -R, --recursive\t\t\tRecursively set variable(s) for cgroups under <cgroup_path>\n"
	"  -h, --help\t\t\t\tDisplay this help\n"
	"  -V, --version\t\t\t\tDisplay version\n";

enum { OPT_COPY = 256 };

static const struct option longopts[] = {
	{ "variable", required_argument, NULL, 'r' },
	{ "rule", required_argument, NULL, 'r' },
	{ "copy-from", required_argument, NULL, OPT_COPY },
	{ "recursive", no_argument, NULL, 'R' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct cg_optdef optdef = { ":bhRr:V", longopts, usage_text, NULL, NULL };

struct opts {
	struct cg_settings set;
	const char *copy_from;
	int recursive;
	char **paths;
	int npaths;
};

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	if (argc < 2)
		ctr_usage_error("no name-value pair was set");
	while ((c = cg_getopt(argc, argv, &optdef)) != -1) {
		switch (c) {
		case 'r':
			if (o->copy_from)
				ctr_usage_error("-r and --copy-from cannot be used together");
			cg_add_setting(&o->set, optarg);
			break;
		case OPT_COPY:
			if (o->copy_from || o->set.n)
				ctr_usage_error("-r and --copy-from cannot be used together");
			o->copy_from = optarg;
			break;
		case 'R':
			o->recursive = 1;
			break;
		}
	}
	if (optind == argc)
		ctr_usage_error("no cgroup specified");
	if (!o->copy_from && !o->set.n)
		ctr_usage_error("no name-value pair was set");
	o->paths = argv + optind;
	o->npaths = argc - optind;
}

struct copy {
	const struct ctr_cg_layout *l;
	int h;
	const char *src, *dst, *ctrl;
	struct ctr_cg_undo *u;
	struct ctr_err *e;
	char *failed[128];   /* knobs refused on the first pass */
	int nfailed, pass;
};

/* Copy one knob. Some only take a value relative to another (v1
 * memory.memsw.limit_in_bytes >= memory.limit_in_bytes, cpuset.mems before
 * cpuset.mem_exclusive...): what fails on the first pass is retried once. */
static int copy_one(const char *name, void *arg)
{
	struct copy *c = arg;
	char val[4096], cur[4096];
	struct ctr_err e2;

	if (ctr_cgroup_get(c->l, c->src, name, val, sizeof(val), c->e) < 0)
		return -1;
	if (ctr_cgroup_get(c->l, c->dst, name, cur, sizeof(cur), c->e) < 0)
		return -1;
	if (strcmp(val, cur) == 0)
		return 0;
	if (ctr_cgroup_set(c->l, c->dst, name, val, c->u, &e2) == 0)
		return 0;
	if (c->pass == 0 && c->nfailed < 128 && (c->failed[c->nfailed] = strdup(name))) {
		c->nfailed++;
		return 0;
	}
	*c->e = e2;
	return -1;
}

/* Every setting of controller c->ctrl from c->src to dst (a walk callback). */
static int copy_to(const char *dst, void *arg)
{
	struct copy *c = arg;
	int i, rc;

	c->dst = dst;
	c->pass = 0;
	c->nfailed = 0;
	rc = ctr_cgroup_foreach_knob(c->l, c->h, c->src, c->ctrl, 1, copy_one, c);
	c->pass = 1;
	for (i = 0; i < c->nfailed; i++) {
		if (!rc)
			rc = copy_one(c->failed[i], c);
		free(c->failed[i]);
	}
	return rc;
}

static int exists_in(const struct ctr_cg_layout *l, int h, const char *group)
{
	struct ctr_cg_spec s;

	memset(&s, 0, sizeof(s));
	snprintf(s.group, sizeof(s.group), "%s", group);
	s.hmask = 1u << h;
	return ctr_cgroup_exists(l, &s, NULL) == 0;
}

static int copy_group(const struct ctr_cg_layout *l, const char *src, const char *dst,
		      int recursive, struct ctr_cg_undo *u, struct ctr_err *e)
{
	struct copy c = { l, 0, src, dst, NULL, u, e, { 0 }, 0, 0 };
	char ctrls[256], one[64];
	const char *p;
	int rc = 0, common = 0;

	for (c.h = 0; c.h < l->n && !rc; c.h++) {
		if (!exists_in(l, c.h, src) || !exists_in(l, c.h, dst) ||
		    ctr_cgroup_group_ctrls(l, c.h, src, ctrls, sizeof(ctrls)) < 0)
			continue;
		common++;
		for (p = ctrls; *p && !rc;) {
			size_t n = strcspn(p, ",");

			snprintf(one, sizeof(one), "%.*s", (int)n, p);
			p += n + (p[n] == ',');
			/* Only controllers bound here: on a hybrid system the v2
			 * tree may list one whose knobs live in v1. */
			if (ctr_cgroup_find(l, one, NULL) != c.h)
				continue;
			c.ctrl = one;
			rc = recursive ? ctr_cgroup_walk(l, c.h, dst, copy_to, &c, e)
				       : copy_to(dst, &c);
		}
	}
	if (!rc && !common)
		return ctr_err_set(e, ENOENT, "cannot find group", "%s or %s", src, dst);
	return rc;
}

struct setting {
	const struct ctr_cg_layout *l;
	const char *name, *value;
	struct ctr_cg_undo *u;
	struct ctr_err *e;
};

static int set_one(const char *group, void *arg)
{
	struct setting *s = arg;

	return ctr_cgroup_set(s->l, group, s->name, s->value, s->u, s->e);
}

/* NAME=VALUE in group, or (-R) in group and every group below it in the
 * hierarchy NAME's controller is bound to. */
static int set_group(const struct ctr_cg_layout *l, const char *group, const char *name,
		     const char *value, int recursive, struct ctr_cg_undo *u, struct ctr_err *e)
{
	struct setting s = { l, name, value, u, e };
	char ctrl[64];
	int h;

	if (!recursive)
		return set_one(group, &s);
	if (ctr_cgroup_knob_ctrl(name, ctrl, sizeof(ctrl)) < 0)
		return ctr_err_set(e, 0, "invalid parameter name", "'%s'", name);
	h = ctr_cgroup_find(l, ctrl, e);
	return h < 0 ? -1 : ctr_cgroup_walk(l, h, group, set_one, &s, e);
}

int cgset_main(int argc, char *argv[])
{
	struct ctr_cg_layout l;
	struct ctr_cg_undo u = { 0 };
	struct ctr_err e;
	struct opts o;
	char group[1024], src[1024];
	int i, j;

	cg_setup();
	parse_args(argc, argv, &o);
	for (j = 0; j < o.set.n; j++)
		if (ctr_cgroup_check(o.set.name[j], o.set.value[j], &e) < 0)
			ctr_die(&e);
	cg_layout(&l);
	if (o.copy_from && ctr_cgroup_norm(o.copy_from, src, sizeof(src)) < 0)
		ctr_errn("invalid group path '%s'", o.copy_from);
	for (i = 0; i < o.npaths; i++) {
		if (ctr_cgroup_norm(o.paths[i], group, sizeof(group)) < 0) {
			ctr_cgroup_undo(&u);
			ctr_errn("invalid group path '%s'", o.paths[i]);
		}
		for (j = 0; j < o.set.n; j++)
			if (set_group(&l, group, o.set.name[j], o.set.value[j], o.recursive,
				      &u, &e) < 0)
				break;
		if (j < o.set.n ||
		    (o.copy_from && copy_group(&l, src, group, o.recursive, &u, &e) < 0)) {
			ctr_cgroup_undo(&u);
			ctr_die(&e);
		}
	}
	ctr_cgroup_undo_free(&u);
	return 0;
}
