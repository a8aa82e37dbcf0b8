/* cgcreate: create control groups.
 *
 * usage: cgcreate [-a UID:GID] [-t UID:GID] [-d MODE] [-f MODE] [-s MODE]
 *                 -g CTRL[,CTRL...]:PATH [-g ...]
 *
 * libcgroup 3.x's cgcreate (cgroup-tools): options in any order (GNU getopt
 * permutation), wrong input exits 129, -b is accepted (no systemd delegated
 * slice is ever prefixed), -c/--scope and -p (systemd scopes) are refused.
 * PATH is created (with its missing
 * parents) in the hierarchy each controller is bound to, on cgroup v1, v2 or
 * a hybrid of both; an existing group is not an error. On v2 the controllers
 * are first enabled in each ancestor's cgroup.subtree_control. "*" names every
 * mounted hierarchy.
 * Differs from libcgroup: a new v1 cpuset group gets its parent's cpuset.cpus
 * and cpuset.mems (libcgroup leaves them empty and the first task to join
 * fails with ENOSPC); every -g is checked before anything is created, and a
 * failure removes what this call created; errors exit 1 with
 * "cgcreate: what: detail: strerror" (libcgroup's statuses are its internal
 * error codes modulo 256).
 */
#include <errno.h>
#include <pwd.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgcommon.h"
#include "ctr/opt.h"

static const char usage_text[] =
	"Usage: cgcreate [-h] [-b] [-f mode] [-d mode] [-s mode] [-t <tuid>:<tgid>] "
	"[-a <uid>:<gid>] -g <controllers>:<path> [-g ...]\n"
	"Create control group(s)\n"
	"  -a <uid>:<gid>\t\tOwner of the group and all its files\n"
	"  -b\t\t\t\tIgnore default systemd delegate hierarchy\n"
	"\t\t\t\t(ctrbox never uses one: no effect)\n"
	"  -d, --dperm=mode\t\tGroup directory permissions\n"
	"  -f, --fperm=mode\t\tGroup file permissions\n"
	"  -g <controllers>:<path>\tControl group which should be added\n"
	"  -h, --help\t\t\tDisplay this help\n"
	"  -s, --tperm=mode\t\tTasks file permissions\n"
	"  -t <tuid>:<tgid>\t\tOwner of the tasks file\n"
	"  -V, --version\t\t\tDisplay version\n";

static const struct option longopts[] = {
	{ "dperm", required_argument, NULL, 'd' },
	{ "fperm", required_argument, NULL, 'f' },
	{ "tperm", required_argument, NULL, 's' },
	{ "scope", no_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct cg_optdef optdef = {
	":a:bcd:f:g:hps:t:V", longopts, usage_text, "cp", "systemd scopes"
};

struct opts {
	struct cg_list groups;
	struct ctr_cg_perm perm;
};

static int parse_mode(const char *s)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		ctr_usage_error("invalid mode '%s'", s);
	errno = 0;
	v = strtoull(s, &end, 8);
	if (*end || errno || v > 07777)
		ctr_usage_error("invalid mode '%s'", s);
	return (int)v;
}

/* A user or group, by name or number; "" keeps it. */
static long long parse_id(const char *s, int is_group)
{
	uint32_t id;

	if (!*s)
		return -1;
	if (ctr_opt_id(s, &id) == 0)
		return id;
	if (is_group) {
		struct group *g = getgrnam(s);

		if (g)
			return g->gr_gid;
		ctr_errx("can't find group '%s'", s);
	} else {
		struct passwd *p = getpwnam(s);

		if (p)
			return p->pw_uid;
		ctr_errx("can't find user '%s'", s);
	}
}

/* "UID:GID", either part may be empty. */
static void parse_owner(const char *arg, long long *uid, long long *gid)
{
	char buf[256], *colon;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf) || !(colon = strchr(buf, ':')))
		ctr_usage_error("invalid owner '%s': expected <uid>:<gid>", arg);
	*colon = '\0';
	*uid = parse_id(buf, 0);
	*gid = parse_id(colon + 1, 1);
}

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->perm = (struct ctr_cg_perm){ -1, -1, -1, -1, -1, -1, -1 };
	while ((c = cg_getopt(argc, argv, &optdef)) != -1) {
		switch (c) {
		case 'a':
			parse_owner(optarg, &o->perm.uid, &o->perm.gid);
			break;
		case 't':
			parse_owner(optarg, &o->perm.tuid, &o->perm.tgid);
			break;
		case 'd':
			o->perm.dmode = parse_mode(optarg);
			break;
		case 'f':
			o->perm.fmode = parse_mode(optarg);
			break;
		case 's':
			o->perm.tmode = parse_mode(optarg);
			break;
		case 'g':
			cg_add(&o->groups, optarg, "-g options");
			break;
		}
	}
	if (optind < argc)
		ctr_usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->groups.n)
		ctr_usage_error("no group given: -g <controllers>:<path>");
}

int cgcreate_main(int argc, char *argv[])
{
	static struct ctr_cg_spec specs[CG_MAX];
	struct ctr_cg_layout l;
	struct ctr_cg_undo u = { 0 };
	struct ctr_err e;
	struct opts o;
	const struct ctr_cg_perm *p = &o.perm;
	int i, perm;

	cg_setup();
	parse_args(argc, argv, &o);
	cg_layout(&l);
	for (i = 0; i < o.groups.n; i++) {
		cg_spec(&l, o.groups.v[i], &specs[i]);
		if (!specs[i].group[0])
			ctr_errx("can't create cgroup /: it is a hierarchy's root");
	}
	perm = p->uid >= 0 || p->gid >= 0 || p->tuid >= 0 || p->tgid >= 0 ||
	       p->dmode >= 0 || p->fmode >= 0 || p->tmode >= 0;
	for (i = 0; i < o.groups.n; i++) {
		if (ctr_cgroup_create(&l, &specs[i], 0, &u, &e) < 0 ||
		    (perm && ctr_cgroup_perm(&l, &specs[i], p, &e) < 0)) {
			ctr_cgroup_undo(&u);
			ctr_die(&e);
		}
	}
	ctr_cgroup_undo_free(&u);
	return 0;
}
