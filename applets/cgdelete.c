/* cgdelete: remove control groups.
 *
 * usage: cgdelete [-r] [-g] CTRL[,CTRL...]:PATH ...
 *
 * libcgroup's cgdelete (cgroup-tools): the group is removed from the
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
#include "common.h"
#include "ctr/cgroup.h"

static const char usage_text[] =
	"Usage: cgdelete [-h] [-r] [[-g] <controllers>:<path>] ...\n"
	"Remove control group(s)\n"
	"  -g <controllers>:<path>\tControl group to be removed (-g is optional)\n"
	"  -h, --help\t\t\tDisplay this help\n"
	"  -r, --recursive\t\tRecursively remove all subgroups\n"
	"  -V, --version\t\t\tDisplay version\n";

static const struct option longopts[] = {
	{ "recursive", no_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

#define MAX_GROUPS 64

struct opts {
	char *groups[MAX_GROUPS];
	int ngroups;
	int recursive;
};

static void add_group(struct opts *o, char *arg)
{
	if (o->ngroups == MAX_GROUPS)
		ctr_errx("too many groups (at most %d)", MAX_GROUPS);
	o->groups[o->ngroups++] = arg;
}

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:g:rhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			add_group(o, optarg);
			break;
		case 'r':
			o->recursive = 1;
			break;
		case 'h':
			ctr_print_help(usage_text);
		case 'V':
			ctr_print_version();
		default:
			ctr_bad_option(c, argv, longopts);
		}
	}
	for (; optind < argc; optind++)
		add_group(o, argv[optind]);
	if (!o->ngroups)
		ctr_usage_error("no group given: [-g] <controllers>:<path>");
}

int cgdelete_main(int argc, char *argv[])
{
	static struct ctr_cg_spec specs[MAX_GROUPS];
	struct ctr_cg_layout l;
	struct ctr_err e;
	struct opts o;
	int i;

	parse_args(argc, argv, &o);
	if (ctr_cgroup_layout(&l, &e) < 0)
		ctr_die(&e);
	for (i = 0; i < o.ngroups; i++) {
		if (ctr_cgroup_spec(&l, o.groups[i], &specs[i], &e) < 0)
			ctr_die(&e);
		if (!specs[i].group[0])
			ctr_errx("cannot remove group '/': it is a hierarchy's root");
		if (ctr_cgroup_exists(&l, &specs[i], &e) < 0)
			ctr_die(&e);
	}
	for (i = 0; i < o.ngroups; i++)
		if (ctr_cgroup_delete(&l, &specs[i], o.recursive, &e) < 0)
			ctr_die(&e);
	return 0;
}
