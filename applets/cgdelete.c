/* cgdelete: remove control groups.
 *
 * usage: cgdelete [-r] [-g] CTRL[,CTRL...]:PATH ...
 *
 * libcgroup 3.x's cgdelete (cgroup-tools): options anywhere (GNU getopt
 * permutation: "cgdelete cpu:G -r"), no argument or a malformed group is
 * wrong input (status 129; 2.0.2 exits 0 without arguments), -b accepted.
 * The group is removed from the
 * hierarchy of each controller (once per hierarchy when controllers share
 * one); its processes move to the parent group first; -r removes subgroups
 * first (their processes move to the parent of PATH). -g is optional.
 * Differs from libcgroup: every group must exist in each hierarchy named
 * before any is removed, and a group (without -r: with no subgroup) is
 * checked in all its hierarchies before it is removed from any (libcgroup
 * removes what it can and stops at the first failure, leaving a group half
 * removed); errors exit 1 ("cgdelete: what: detail: strerror").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgcommon.h"

static const char usage_text[] =
	"Usage: cgdelete [-h] [-r] [[-g] <controllers>:<path>] ...\n"
	"Remove control group(s)\n"
	"  -b\t\t\t\tIgnore default systemd delegate hierarchy\n"
	"\t\t\t\t(ctrbox never uses one: no effect)\n"
	"  -g <controllers>:<path>\tControl group to be removed (-g is optional)\n"
	"  -h, --help\t\t\tDisplay this help\n"
	"  -r, --recursive\t\tRecursively remove all subgroups\n"
	"  -V, --version\t\t\tDisplay version\n";

static const struct option longopts[] = {
	{ "recursive", no_argument, NULL, 'r' },
	{ "group", required_argument, NULL, 'g' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct cg_optdef optdef = { ":bg:hrV", longopts, usage_text, NULL, NULL };

struct opts {
	struct cg_list groups;
	int recursive;
};

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = cg_getopt(argc, argv, &optdef)) != -1) {
		switch (c) {
		case 'g':
			cg_add(&o->groups, optarg, "groups");
			break;
		case 'r':
			o->recursive = 1;
			break;
		}
	}
	for (; optind < argc; optind++)
		cg_add(&o->groups, argv[optind], "groups");
	if (!o->groups.n)
		ctr_usage_error("no group given: [-g] <controllers>:<path>");
}

int cgdelete_main(int argc, char *argv[])
{
	static struct ctr_cg_spec specs[CG_MAX];
	struct ctr_cg_layout l;
	struct ctr_err e;
	struct opts o;
	int i;

	cg_setup();
	parse_args(argc, argv, &o);
	cg_layout(&l);
	for (i = 0; i < o.groups.n; i++) {
		cg_spec(&l, o.groups.v[i], &specs[i]);
		if (!specs[i].group[0])
			ctr_errx("cannot remove group '/': it is a hierarchy's root");
		if (ctr_cgroup_exists(&l, &specs[i], &e) < 0)
			ctr_die(&e);
	}
	for (i = 0; i < o.groups.n; i++)
		if (ctr_cgroup_delete(&l, &specs[i], o.recursive, &e) < 0)
			ctr_die(&e);
	return 0;
}
