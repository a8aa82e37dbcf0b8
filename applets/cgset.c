/* cgset: set parameters of control groups.
 *
 * usage: cgset -r NAME=VALUE [-r NAME=VALUE ...] PATH...
 *        cgset --copy-from SRC PATH...
 *
 * libcgroup's cgset (cgroup-tools). NAME is CONTROLLER.KNOB; each is written
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
#include "common.h"
#include "ctr/cgroup.h"

static const char usage_text[] =
	"Usage: cgset [-r <name=value>] <cgroup_path> ...\n"
	"   or: cgset --copy-from <source_cgroup_path> <cgroup_path> ...\n"
	"Set the parameters of given cgroup(s)\n"
	"  -r, --variable <name>\t\t\tDefine parameter to set\n"
	"  --copy-from <source_cgroup_path>\tControl group whose parameters will be copied\n"
	"  -h, --help\t\t\t\tDisplay this help\n"
	"  -V, --version\t\t\t\tDisplay version\n";

enum { OPT_COPY = 256 };

static const struct option longopts[] = {
	{ "variable", required_argument, NULL, 'r' },
	{ "copy-from", required_argument, NULL, OPT_COPY },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

#define MAX_VARS 64

struct opts {
	char *name[MAX_VARS];
	char *value[MAX_VARS];
	int nvars;
	const char *copy_from;
	char **paths;
	int npaths;
};

static void parse_args(int argc, char *argv[], struct opts *o)
{
	char *name, *value;
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:r:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (ctr_cgroup_split_setting(optarg, &name, &value) < 0)
				ctr_usage_error("wrong -r parameter '%s': expected <name>=<value>",
						optarg);
			if (o->nvars == MAX_VARS)
				ctr_errx("too many -r options (at most %d)", MAX_VARS);
			o->name[o->nvars] = name;
			o->value[o->nvars++] = value;
			break;
		case OPT_COPY:
			o->copy_from = optarg;
			break;
		case 'h':
			ctr_print_help(usage_text);
		case 'V':
			ctr_print_version();
		default:
			ctr_bad_option(c, argv, longopts);
		}
	}
	if (o->copy_from && o->nvars)
		ctr_usage_error("-r and --copy-from cannot be used together");
	if (!o->copy_from && !o->nvars)
		ctr_usage_error("no name-value pair was set");
	if (optind == argc)
		ctr_usage_error("no cgroup specified");
	o->paths = argv + optind;
	o->npaths = argc - optind;
}

struct copy {
	const struct ctr_cg_layout *l;
	const char *src, *dst;
	struct ctr_cg_undo *u;
	struct ctr_err *e;
	char *failed[128];   /* knobs refused on the first pass */
	int nfailed, pass, copied;
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
	c->copied++;
	if (ctr_cgroup_set(c->l, c->dst, name, val, c->u, &e2) == 0)
		return 0;
	if (c->pass == 0 && c->nfailed < 128 && (c->failed[c->nfailed] = strdup(name))) {
		c->nfailed++;
		return 0;
	}
	*c->e = e2;
	return -1;
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
		      struct ctr_cg_undo *u, struct ctr_err *e)
{
	struct copy c = { l, src, dst, u, e, { 0 }, 0, 0, 0 };
	char ctrls[256], one[64];
	const char *p;
	int h, i, rc = 0, common = 0;

	for (h = 0; h < l->n && !rc; h++) {
		if (!exists_in(l, h, src) || !exists_in(l, h, dst) ||
		    ctr_cgroup_group_ctrls(l, h, src, ctrls, sizeof(ctrls)) < 0)
			continue;
		common++;
		for (p = ctrls; *p && !rc;) {
			size_t n = strcspn(p, ",");

			snprintf(one, sizeof(one), "%.*s", (int)n, p);
			p += n + (p[n] == ',');
			/* Only controllers bound here: on a hybrid system the v2
			 * tree may list one whose knobs live in v1. */
			if (ctr_cgroup_find(l, one, NULL) == h)
				rc = ctr_cgroup_foreach_knob(l, h, src, one, 1, copy_one, &c);
		}
	}
	c.pass = 1;
	for (i = 0; i < c.nfailed; i++) {
		if (!rc)
			rc = copy_one(c.failed[i], &c);
		free(c.failed[i]);
	}
	if (!rc && !common)
		return ctr_err_set(e, ENOENT, "cannot find group", "%s or %s", src, dst);
	return rc;
}

int cgset_main(int argc, char *argv[])
{
	struct ctr_cg_layout l;
	struct ctr_cg_undo u = { 0 };
	struct ctr_err e;
	struct opts o;
	char group[1024], src[1024];
	int i, j;

	parse_args(argc, argv, &o);
	for (j = 0; j < o.nvars; j++)
		if (ctr_cgroup_check(o.name[j], o.value[j], &e) < 0)
			ctr_die(&e);
	if (ctr_cgroup_layout(&l, &e) < 0)
		ctr_die(&e);
	if (o.copy_from && ctr_cgroup_norm(o.copy_from, src, sizeof(src)) < 0)
		ctr_errn("invalid group path '%s'", o.copy_from);
	for (i = 0; i < o.npaths; i++) {
		if (ctr_cgroup_norm(o.paths[i], group, sizeof(group)) < 0) {
			ctr_cgroup_undo(&u);
			ctr_errn("invalid group path '%s'", o.paths[i]);
		}
		for (j = 0; j < o.nvars; j++)
			if (ctr_cgroup_set(&l, group, o.name[j], o.value[j], &u, &e) < 0)
				break;
		if (j < o.nvars || (o.copy_from && copy_group(&l, src, group, &u, &e) < 0)) {
			ctr_cgroup_undo(&u);
			ctr_die(&e);
		}
	}
	ctr_cgroup_undo_free(&u);
	return 0;
}
