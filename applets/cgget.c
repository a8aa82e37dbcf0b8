/* cgget: print parameters of control groups.
 *
 * usage: cgget [-nvb] [-r NAME ...] [-g CTRL ...] [-a] PATH...
 *        cgget [-nvb] -g CTRL[,CTRL...]:PATH ...
 *        cgget -m
 *
 * libcgroup 3.x's cgget (cgroup-tools): options anywhere (GNU getopt
 * permutation), wrong input exits 129, -b accepted (no systemd delegated
 * slice is ever prefixed), -m prints the setup mode (legacy, hybrid or
 * unified, from the layout in mountinfo) and takes no other option; -c
 * (controller versions) is refused. Same output: per group "PATH:", then
 * "NAME: VALUE" lines (a value's further lines indented by a tab), then an
 * empty line; -n drops the header and the empty line, -v the "NAME: ".
 * Without -r, every knob of the named controllers (-g), or of all the
 * controllers the group has (-a, or no option), in directory order.
 * -r NAME is read where its controller is bound and answered in the form of
 * the name asked: cpu.cfs_quota_us on v2 is read from cpu.max, cpu.shares
 * from cpu.weight (the smallest shares giving that weight), cpu.max on v1
 * from the quota and the period, "max" <-> "-1".
 * Differs from libcgroup: a group or controller that does not exist is an
 * error (libcgroup prints an empty block and exits 0); nothing is printed
 * when any read fails; errors exit 1 ("cgget: what: detail: strerror").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctr/buf.h"
#include "cgcommon.h"

static const char usage_text[] =
	"Usage: cgget [-nv] [-r <name>] [-g <controllers>] [-a] <path> ...\n"
	"   or: cgget [-nv] [-r <name>] -g <controllers>:<path> ...\n"
	"   or: cgget -m\n"
	"Print parameter(s) of given group(s).\n"
	"  -a, --all\t\t\tPrint info about all relevant controllers\n"
	"  -b\t\t\t\tIgnore default systemd delegate hierarchy\n"
	"\t\t\t\t(ctrbox never uses one: no effect)\n"
	"  -g <controllers>\t\tController which info should be displayed\n"
	"  -g <controllers>:<path>\tControl group which info should be displayed\n"
	"  -h, --help\t\t\tDisplay this help\n"
	"  -m\t\t\t\tDisplay the cgroup setup mode (legacy, hybrid, unified)\n"
	"  -n\t\t\t\tDo not print headers\n"
	"  -r, --variable  <name>\tDefine parameter to display\n"
	"  -v, --values-only\t\tPrint only values, not parameter names\n"
	"  -V, --version\t\t\tDisplay version\n";

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "variable", required_argument, NULL, 'r' },
	{ "values-only", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct cg_optdef optdef = {
	":abcg:hmnr:vV", longopts, usage_text, "c", "controller versions"
};

struct opts {
	struct cg_list names;      /* -r */
	struct cg_list ctrls;      /* -g CTRL[,CTRL] */
	struct cg_list specs;      /* -g CTRL[,CTRL]:PATH */
	int all, no_header, values_only, mode, nopts;
	char **paths;
	int npaths;
};

/* Everything goes to one buffer, written at the end: a failure prints
 * nothing but the error. */
static void put(struct ctr_buf *o, const char *s, size_t n)
{
	if (ctr_buf_add(o, s, n) < 0)
		ctr_errx("out of memory");
}

static void puts_(struct ctr_buf *o, const char *s)
{
	put(o, s, strlen(s));
}

static void flush(struct ctr_buf *o)
{
	size_t off = 0;
	ssize_t n;

	while (off < o->len) {
		n = write(1, o->p + off, o->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ctr_errn("write error");
		off += (size_t)n;
	}
	ctr_buf_free(o);
}

struct ctx {
	const struct ctr_cg_layout *l;
	const struct opts *o;
	const char *group;
	struct ctr_buf out;
	int listing;     /* a knob that cannot be read is skipped, not an error */
	struct ctr_err e;
};

/* "NAME: VALUE\n", later lines of VALUE after a tab. */
static int print_knob(const char *name, void *arg)
{
	struct ctx *c = arg;
	size_t size = 16384;
	char *val = NULL, *p, *nl;
	int rc;

	/* Any size: a big group's cgroup.procs is read whole, never cut. */
	for (;;) {
		free(val);
		val = malloc(size);
		if (!val)
			ctr_errx("out of memory");
		rc = ctr_cgroup_get(c->l, c->group, name, val, size, &c->e);
		if (rc == 0 || c->e.err != EFBIG || size >= (64u << 20))
			break;
		size *= 4;
	}
	if (rc < 0) {
		/* A listing shows write-only knobs (memory.force_empty,
		 * devices.allow) with an empty value, as libcgroup does. */
		if (!c->listing) {
			free(val);
			return -1;
		}
		val[0] = '\0';
	}
	if (!c->o->values_only) {
		puts_(&c->out, name);
		puts_(&c->out, ": ");
	}
	for (p = val; (nl = strchr(p, '\n')); p = nl + 1) {
		put(&c->out, p, (size_t)(nl - p));
		puts_(&c->out, "\n\t");
	}
	puts_(&c->out, p);
	puts_(&c->out, "\n");
	free(val);
	return 0;
}

static void header(struct ctx *c, const char *path)
{
	if (!c->o->no_header) {
		puts_(&c->out, path);
		puts_(&c->out, ":\n");
	}
}

static void footer(struct ctx *c)
{
	if (!c->o->no_header)
		puts_(&c->out, "\n");
}

/* Every knob of one controller of the current group. */
static int print_ctrl(struct ctx *c, const char *ctrl)
{
	struct ctr_cg_spec s;
	int h = ctr_cgroup_find(c->l, ctrl, &c->e);

	if (h < 0)
		return -1;
	memset(&s, 0, sizeof(s));
	snprintf(s.group, sizeof(s.group), "%s", c->group);
	s.hmask = 1u << h;
	if (ctr_cgroup_exists(c->l, &s, &c->e) < 0)
		return -1;
	c->listing = 1;
	if (ctr_cgroup_foreach_knob(c->l, h, c->group, ctrl, 0, print_knob, c) < 0)
		return ctr_err_sys(&c->e, "cannot list", "%s in %s", ctrl, c->group);
	c->listing = 0;
	return 0;
}

/* Each controller of a comma-separated list. */
static int print_ctrls(struct ctx *c, const char *list)
{
	char one[64];

	while (*list) {
		size_t n = strcspn(list, ",");

		if (n == 0 || n >= sizeof(one))
			return ctr_err_set(&c->e, 0, "invalid controller list", "'%s'", list);
		memcpy(one, list, n);
		one[n] = '\0';
		if (print_ctrl(c, one) < 0)
			return -1;
		list += n + (list[n] == ',');
	}
	return 0;
}

/* The controllers of a comma-separated list that are bound to hierarchy h
 * (hybrid: the v2 tree may list a controller whose knobs live in v1). */
static int print_bound(struct ctx *c, int h, const char *list)
{
	char one[64];

	while (*list) {
		size_t n = strcspn(list, ",");

		snprintf(one, sizeof(one), "%.*s", (int)n, list);
		list += n + (list[n] == ',');
		if (ctr_cgroup_find(c->l, one, NULL) == h && print_ctrl(c, one) < 0)
			return -1;
	}
	return 0;
}

/* -a: the controllers of every hierarchy the group exists in. */
static int print_all(struct ctx *c)
{
	struct ctr_cg_spec s;
	char ctrls[256];
	int h, found = 0;

	memset(&s, 0, sizeof(s));
	snprintf(s.group, sizeof(s.group), "%s", c->group);
	for (h = 0; h < c->l->n; h++) {
		s.hmask = 1u << h;
		if (ctr_cgroup_exists(c->l, &s, NULL) < 0)
			continue;
		found = 1;
		if (ctr_cgroup_group_ctrls(c->l, h, c->group, ctrls, sizeof(ctrls)) == 0 &&
		    print_bound(c, h, ctrls) < 0)
			return -1;
	}
	if (!found)
		return ctr_err_set(&c->e, ENOENT, "cannot find group", "%s", c->group);
	return 0;
}

static int set_group(struct ctx *c, const char *path, char *buf, size_t size)
{
	if (ctr_cgroup_norm(path, buf, size) < 0)
		return ctr_err_sys(&c->e, "invalid group path", "'%s'", path);
	c->group = buf;
	return 0;
}

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = cg_getopt(argc, argv, &optdef)) != -1) {
		o->nopts++;
		switch (c) {
		case 'a':
			o->all = 1;
			break;
		case 'g':
			if (o->ctrls.n + o->specs.n == CG_MAX)
				ctr_usage_error("too many -g options (at most %d)", CG_MAX);
			cg_add(strchr(optarg, ':') ? &o->specs : &o->ctrls, optarg, "-g options");
			break;
		case 'm':
			o->mode = 1;
			break;
		case 'n':
			o->no_header = 1;
			break;
		case 'r':
			cg_add(&o->names, optarg, "-r options");
			break;
		case 'v':
			o->values_only = 1;
			break;
		}
	}
	o->paths = argv + optind;
	o->npaths = argc - optind;
	if (o->mode && (o->nopts > 1 || o->npaths))
		ctr_usage_error("-m cannot be combined with other options or a path");
	if (o->mode)
		return;
	if (o->specs.n && (o->ctrls.n || o->npaths || o->names.n || o->all))
		ctr_usage_error("-g <controllers>:<path> cannot be combined with a path, -r, "
				"-a or -g <controllers>");
	if (!o->specs.n && !o->npaths)
		ctr_usage_error("no group given");
	if (o->names.n && (o->all || o->ctrls.n))
		ctr_usage_error("-r cannot be combined with -a or -g");
}

/* -m: libcgroup's cgroup_setup_mode() in words. */
static void print_mode(const struct ctr_cg_layout *l)
{
	int h, v1 = 0;

	for (h = 0; h < l->n; h++)
		v1 |= l->h[h].version == 1;
	if (!v1)
		fputs("Unified Mode (Cgroup v2 only).\n", stdout);
	else if (l->v2 >= 0)
		fputs("Hybrid mode (Cgroup v1/v2).\n", stdout);
	else
		fputs("Legacy Mode (Cgroup v1 only).\n", stdout);
}

int cgget_main(int argc, char *argv[])
{
	struct ctr_cg_layout l;
	struct ctx c;
	struct opts o;
	char group[1024];
	int i, j, rc = 0;

	cg_setup();
	parse_args(argc, argv, &o);
	memset(&c, 0, sizeof(c));
	c.l = &l;
	c.o = &o;
	for (i = 0; i < o.names.n; i++)
		if (ctr_cgroup_knob_ctrl(o.names.v[i], group, sizeof(group)) < 0)
			ctr_errx("invalid parameter name '%s': expected <controller>.<name>",
				 o.names.v[i]);
	cg_layout(&l);
	if (o.mode) {
		print_mode(&l);
		return 0;
	}
	for (i = 0; i < o.specs.n && !rc; i++) {
		char *colon = strchr(o.specs.v[i], ':');

		*colon = '\0';
		if (!*o.specs.v[i] || !colon[1]) {
			*colon = ':';
			ctr_errx("invalid group '%s': expected CONTROLLER[,...]:PATH", o.specs.v[i]);
		}
		rc = set_group(&c, colon + 1, group, sizeof(group));
		if (!rc) {
			header(&c, colon + 1);
			rc = print_ctrls(&c, o.specs.v[i]);
			footer(&c);
		}
	}
	for (i = 0; i < o.npaths && !rc; i++) {
		rc = set_group(&c, o.paths[i], group, sizeof(group));
		if (rc)
			break;
		header(&c, o.paths[i]);
		for (j = 0; j < o.names.n && !rc; j++)
			rc = print_knob(o.names.v[j], &c);
		for (j = 0; j < o.ctrls.n && !rc; j++)
			rc = print_ctrls(&c, o.ctrls.v[j]);
		if (!o.names.n && !o.ctrls.n && !rc)
			rc = print_all(&c);
		footer(&c);
	}
	if (rc)
		ctr_die(&c.e);
	flush(&c.out);
	return 0;
}
