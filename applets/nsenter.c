/* nsenter: run a program in the namespaces of another process.
 *
 *   nsenter [options] [program [arguments]]
 *
 * Compatible with util-linux 2.42's nsenter(1): the same options, order of
 * operations, messages and exit statuses. With a target PID (-t PID or
 * -t PID:INODE, the pidfs inode pinning one process) and kernel >= 5.8 the
 * namespaces without a file are entered in one atomic setns(pidfd, flags);
 * older kernels and explicit =FILE arguments go one by one through nsfs
 * files. The user namespace is tried last, then first (two passes), as
 * util-linux does: last when it drops privilege, first when it grants it.
 * Entering a PID namespace forks (unless -F) so the program is inside it;
 * the parent waits and exits like the child (re-raising its fatal signal).
 *
 * Differences from util-linux: -c/--join-cgroup also works on cgroup v1 and
 * hybrid hosts (every v1 hierarchy mounted here, plus cgroup2), where
 * util-linux refuses anything but a pure cgroup2 /sys/fs/cgroup. Not
 * supported, refused with a message: namespace ids (--mount=:NSID etc.) and
 * -Z/--follow-context (SELinux). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "ctr/caps.h"
#include "ctr/ns.h"
#include "ctr/nsjoin.h"
#include "ctr/opt.h"
#include "ctr/proc.h"

static const char usage_text[] =
	"\nUsage:\n"
	" %s [options] [<program> [<argument>...]]\n"
	"\nRun a program with namespaces of other processes.\n"
	"\nOptions:\n"
	" -a, --all                 enter all namespaces\n"
	" -t, --target <PID>[:<inode>]  target process to get namespaces from\n"
	" -m, --mount[=<file>]      enter mount namespace\n"
	" -u, --uts[=<file>]        enter UTS namespace (hostname etc)\n"
	" -i, --ipc[=<file>]        enter System V IPC namespace\n"
	" -n, --net[=<file>]        enter network namespace\n"
	" -N, --net-socket <fd>     enter socket's network namespace (needs --target)\n"
	" -p, --pid[=<file>]        enter pid namespace\n"
	" -C, --cgroup[=<file>]     enter cgroup namespace\n"
	" -U, --user[=<file>]       enter user namespace\n"
	"     --user-parent         enter parent user namespace\n"
	" -T, --time[=<file>]       enter time namespace\n"
	" -S, --setuid <uid>|follow set uid in entered namespace\n"
	" -G, --setgid <gid>|follow set gid in entered namespace\n"
	"     --preserve-credentials do not touch uids or gids\n"
	"     --keep-caps           retain capabilities granted in user namespaces\n"
	" -r, --root[=<dir>]        set the root directory\n"
	" -w, --wd[=<dir>]          set the working directory\n"
	" -W, --wdns <dir>          set the working directory in namespace\n"
	" -e, --env                 inherit environment variables from target process\n"
	" -F, --no-fork             do not fork before exec'ing <program>\n"
	" -c, --join-cgroup         join the cgroups of the target process\n"
	"                             (cgroup v2 and every mounted v1 hierarchy)\n"
	"\n"
	" -h, --help                display this help\n"
	" -V, --version             display version\n"
	"\nFor more details see nsenter(1).\n";

enum { OPT_PRESERVE_CRED = 256, OPT_KEEPCAPS, OPT_USER_PARENT };

static const struct option longopts[] = {
	{ "all",                  no_argument,       NULL, 'a' },
	{ "help",                 no_argument,       NULL, 'h' },
	{ "version",              no_argument,       NULL, 'V' },
	{ "target",               required_argument, NULL, 't' },
	{ "mount",                optional_argument, NULL, 'm' },
	{ "uts",                  optional_argument, NULL, 'u' },
	{ "ipc",                  optional_argument, NULL, 'i' },
	{ "net",                  optional_argument, NULL, 'n' },
	{ "net-socket",           required_argument, NULL, 'N' },
	{ "pid",                  optional_argument, NULL, 'p' },
	{ "user",                 optional_argument, NULL, 'U' },
	{ "cgroup",               optional_argument, NULL, 'C' },
	{ "time",                 optional_argument, NULL, 'T' },
	{ "setuid",               required_argument, NULL, 'S' },
	{ "setgid",               required_argument, NULL, 'G' },
	{ "root",                 optional_argument, NULL, 'r' },
	{ "wd",                   optional_argument, NULL, 'w' },
	{ "wdns",                 optional_argument, NULL, 'W' },
	{ "env",                  no_argument,       NULL, 'e' },
	{ "no-fork",              no_argument,       NULL, 'F' },
	{ "join-cgroup",          no_argument,       NULL, 'c' },
	{ "preserve-credentials", no_argument,       NULL, OPT_PRESERVE_CRED },
	{ "keep-caps",            no_argument,       NULL, OPT_KEEPCAPS },
	{ "user-parent",          no_argument,       NULL, OPT_USER_PARENT },
	{ "follow-context",       no_argument,       NULL, 'Z' },
	{ NULL, 0, NULL, 0 }
};

/* One namespace to enter. The array order is the order of entry: user first
 * (pass 2) or last (pass 1 skips it); mnt late since it resets root and cwd. */
struct nsfile {
	int flag;
	const char *name;   /* as util-linux names it in messages: "ns/mnt" */
	const char *path;   /* =FILE given, or NULL */
	int fd;
	int enabled;
	int by_all;         /* enabled by -a, not named */
};

#define NNS 8

struct opts {
	pid_t pid;
	unsigned long long pid_ino;  /* -t PID:INODE */
	struct nsfile ns[NNS];
	int all_lazy;                /* -a: kernel's types not yet checked */
	int all, env, no_fork, preserve_cred, keep_caps, user_parent, join_cgroup;
	int want_root, want_wd;      /* -r / -w without a directory: the target's */
	const char *root, *wd, *wdns;
	int force_uid, force_gid, follow_uid, follow_gid;
	uid_t uid;
	gid_t gid;
	int sock_fd;                 /* -N: the target's socket fd, or -1 */
};

static const struct nsfile ns_init[NNS] = {
	{ CLONE_NEWUSER,   "ns/user",   NULL, -1, 0, 0 },
	{ CLONE_NEWCGROUP, "ns/cgroup", NULL, -1, 0, 0 },
	{ CLONE_NEWIPC,    "ns/ipc",    NULL, -1, 0, 0 },
	{ CLONE_NEWUTS,    "ns/uts",    NULL, -1, 0, 0 },
	{ CLONE_NEWNET,    "ns/net",    NULL, -1, 0, 0 },
	{ CLONE_NEWPID,    "ns/pid",    NULL, -1, 0, 0 },
	{ CLONE_NEWNS,     "ns/mnt",    NULL, -1, 0, 0 },
	{ CLONE_NEWTIME,   "ns/time",   NULL, -1, 0, 0 },
};

static struct nsfile *nsfile_of(struct opts *o, int flag)
{
	int i;

	for (i = 0; i < NNS; i++)
		if (o->ns[i].flag == flag)
			return &o->ns[i];
	return NULL;
}

/* CLONE_NEW* mask of enabled namespaces (only those without an fd: nofd). */
static int ns_mask(const struct opts *o, int nofd)
{
	int i, mask = 0;

	for (i = 0; i < NNS; i++)
		if (o->ns[i].enabled && (!nofd || o->ns[i].fd < 0))
			mask |= o->ns[i].flag;
	return mask;
}

static void disable_ns(struct nsfile *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	n->enabled = 0;
}

/* open() a file given on the command line or /proc/PID/TYPE, util-linux's
 * open_target_fd(): its messages, exit 1. */
static int open_target(const struct opts *o, const char *type, const char *path)
{
	char buf[64];
	int fd;

	if (!path && o->pid) {
		snprintf(buf, sizeof(buf), "/proc/%d/%s", (int)o->pid, type);
		path = buf;
	}
	if (!path)
		ctr_errx("neither filename nor target pid supplied for %s", type);
	fd = ctr_nsjoin_open(path);
	if (fd < 0)
		ctr_errn("cannot open %s", path);
	return fd;
}

/* -a skips namespace types this kernel lacks (here: a mask of those it has)
 * and our own user namespace: setns(2) refuses to re-enter the caller's user
 * namespace (EINVAL). */
static int usable_ns(const struct opts *o, const struct nsfile *n, int here, int pidfd)
{
	char path[64];
	ino_t mine, theirs;
	int own;

	if (!(n->flag & here))
		return 0;
	if (n->flag != CLONE_NEWUSER)
		return 1;
	/* pidfs ioctls (6.11+) answer without two /proc path walks. */
	if (pidfd >= 0 && (own = ctr_nsjoin_pidfd_own_userns(pidfd)) >= 0)
		return !own;
	if (ctr_ns_ino("/proc/self/ns/user", &mine) < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)o->pid, n->name);
	if (ctr_ns_ino(path, &theirs) < 0)
		ctr_errn("stat of %s failed", path);
	return mine != theirs;
}

/* setns(2) into every enabled namespace of mask: first those without an fd
 * all at once through the pidfd (atomic: all or none), then the fds one by
 * one. Entered ones are disabled; with report, a failure is fatal. */
static void enter_namespaces(struct opts *o, int pidfd, int mask, int report)
{
	int i, flags, rc;

	if (pidfd >= 0) {
		flags = ns_mask(o, 1) & mask;
		rc = flags ? ctr_ns_setns(pidfd, flags) : -1;
		if (rc < 0 && flags && errno == EINVAL && o->all_lazy) {
			/* -a took every type; this kernel lacks some (setns(2)
			 * checks the flags first: nothing was entered). */
			int here = ctr_nsjoin_types_here();

			o->all_lazy = 0;
			for (i = 0; i < NNS; i++)
				if (o->ns[i].by_all && !(o->ns[i].flag & here))
					disable_ns(&o->ns[i]);
			flags = ns_mask(o, 1) & mask;
			rc = flags ? ctr_ns_setns(pidfd, flags) : -1;
		}
		if (rc == 0) {
			for (i = 0; i < NNS; i++)
				if (o->ns[i].flag & flags)
					disable_ns(&o->ns[i]);
		} else if (flags && report) {
			ctr_errn("reassociate to namespaces failed");
		}
	}
	for (i = 0; i < NNS; i++) {
		struct nsfile *n = &o->ns[i];

		if (!n->enabled || !(n->flag & mask) || n->fd < 0)
			continue;
		if (ctr_ns_setns(n->fd, n->flag) == 0)
			disable_ns(n);
		else if (report)
			ctr_errn("reassociate to namespace '%s' failed", n->name);
	}
}

/* --user-parent: the user namespace owning the target's (its parent), taken
 * from -U=FILE, else the target's, else any namespace given by file. */
static void open_parent_userns(struct opts *o)
{
	struct nsfile *user = nsfile_of(o, CLONE_NEWUSER);
	int i, fd = user->enabled ? user->fd : -1, local = 0, parent;

	if (fd < 0 && o->pid) {
		fd = open_target(o, "ns/user", NULL);
		local = 1;
	}
	for (i = 0; fd < 0 && i < NNS; i++)
		if (o->ns[i].enabled)
			fd = o->ns[i].fd;
	if (fd < 0)
		fd = open_target(o, "ns/user", NULL), local = 1;
	parent = ctr_nsjoin_owner_userns(fd);
	if (parent < 0)
		ctr_errn("failed to open parent namespace");
	if (local)
		close(fd);
	if (user->fd >= 0)
		close(user->fd);
	user->fd = parent;
	user->enabled = 1;
}

/* -t PID or PID:INODE; util-linux's ul_parse_pid_str_or_err(). */
static void parse_target(struct opts *o, char *arg)
{
	unsigned long long v;
	char *colon = strchr(arg, ':');
	int rc;

	if (o->pid)
		ctr_errx("option --target may be given only once");
	if (colon)
		*colon = '\0';
	rc = ctr_opt_ullong(arg, 1, INT_MAX, &v);
	if (rc == 0 && colon) {
		o->pid = (pid_t)v;
		rc = ctr_opt_ullong(colon + 1, 1, ULLONG_MAX, &o->pid_ino);
	}
	if (colon)
		*colon = ':';
	if (rc < 0)
		ctr_errn("failed to parse PID argument '%s'", arg);
	o->pid = (pid_t)v;
}

/* -S/-G: a number or "follow" (the owner of /proc/PID). */
static void parse_id(const char *arg, const char *what, int *follow, uint32_t *id)
{
	if (strcmp(arg, "follow") == 0) {
		*follow = 1;
		return;
	}
	/* util-linux's strtoul_or_err(): err() on ERANGE, in glibc's words. */
	if (ctr_opt_id(arg, id) < 0) {
		if (errno == ERANGE)
			ctr_errx("failed to parse %s: '%s': Numerical result out of range", what, arg);
		ctr_errx("failed to parse %s: '%s'", what, arg);
	}
}

static void enable_ns_opt(struct opts *o, int c, const char *arg)
{
	const struct ctr_ns_type *t = ctr_ns_by_opt((char)c);
	struct nsfile *n = nsfile_of(o, t->flag);

	if (arg && *arg == '=')
		arg++;
	if (arg && *arg == ':')
		ctr_errx("--%s=:NSID (a namespace id) is not supported", t->longopt);
	n->enabled = 1;
	n->path = arg;
}

static void parse_args(struct opts *o, int argc, char *argv[])
{
	static const char optstring[] = "+:ahVt:m::u::i::n::N:p::C::U::T::S:G:r::w::W::ecFZ";
	unsigned long long v;
	int c, seen_w = 0, seen_W = 0;
	uint32_t id;

	memcpy(o->ns, ns_init, sizeof(ns_init));
	o->sock_fd = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->all = 1;
			break;
		case 't':
			parse_target(o, optarg);
			break;
		case 'm': case 'u': case 'i': case 'n': case 'p': case 'C': case 'U': case 'T':
			enable_ns_opt(o, c, optarg);
			break;
		case 'N':
			if (ctr_opt_ullong(optarg, 0, INT_MAX, &v) < 0)
				ctr_errx("failed to parse file descriptor: '%s'", optarg);
			o->sock_fd = (int)v;
			break;
		case 'S':
			id = 0;
			parse_id(optarg, "uid", &o->follow_uid, &id);
			o->uid = id;
			o->force_uid = 1;
			break;
		case 'G':
			id = 0;
			parse_id(optarg, "gid", &o->follow_gid, &id);
			o->gid = id;
			o->force_gid = 1;
			break;
		case 'F':
			o->no_fork = 1;
			break;
		case 'c':
			o->join_cgroup = 1;
			break;
		case 'r':
			o->root = optarg;
			o->want_root = !optarg;
			break;
		case 'w':
			seen_w = 1;
			o->wd = optarg && *optarg == '=' ? optarg + 1 : optarg;
			o->want_wd = !optarg;
			break;
		case 'W':
			seen_W = 1;
			o->wdns = optarg && *optarg == '=' ? optarg + 1 : optarg;
			break;
		case 'e':
			o->env = 1;
			break;
		case OPT_PRESERVE_CRED:
			o->preserve_cred = 1;
			break;
		case OPT_KEEPCAPS:
			o->keep_caps = 1;
			break;
		case OPT_USER_PARENT:
			o->user_parent = 1;
			break;
		case 'Z':
			ctr_errx("--follow-context is not supported");
		case 'h':
			printf(usage_text, ctr_applet);
			exit(0);
		case 'V':
			ctr_print_version();
		default:
			ctr_bad_option(c, argv, longopts);
		}
		if (seen_w && seen_W)
			ctr_errx("mutually exclusive arguments: --wdns --wd");
	}
}

int nsenter_main(int argc, char *argv[])
{
	struct opts o = { 0 };
	struct ctr_cgjoin cg = { 0 };
	struct ctr_err e = { 0 };
	int i, mask, pidfd = -1, setns_pidfd = -1, groups_failed = 0;
	int root_fd = -1, wd_fd = -1, env_fd = -1, owner_fd = -1, cgroup_fd = -1;
	int do_fork;

	parse_args(&o, argc, argv);

	if (o.pid_ino) {
		uint64_t ino;

		pidfd = ctr_pidfd_open(o.pid, 0);
		if (pidfd < 0)
			ctr_errn("pidfd_open() failed");
		if (ctr_nsjoin_pidfd_ino(pidfd, &ino) < 0) {
			if (errno == EOPNOTSUPP)
				ctr_errx("pidfd needs to have the pidfs file system type");
			ctr_errn("failed to fstat() pidfd");
		}
		if (ino != o.pid_ino)
			ctr_errx("pidfd inode %llu not found for pid %d",
				 (unsigned long long)o.pid_ino, (int)o.pid);
	}
	if (o.all) {
		int here = -1;

		/* With one setns(pidfd) and nothing but -a's types, the kernel's
		 * own check of the flags stands in for reading /proc/self/ns:
		 * enter_namespaces() reads it only if setns(2) says EINVAL. */
		for (i = 0; i < NNS && !o.ns[i].path; i++)
			;
		if (i == NNS && !o.user_parent && o.sock_fd < 0 && ctr_nsjoin_pidfd_setns_ok()) {
			if (pidfd < 0)
				pidfd = ctr_pidfd_open(o.pid, 0);
			if (pidfd >= 0) {
				o.all_lazy = 1;
				for (i = 0; i < NNS; i++)
					here |= o.ns[i].flag;
			}
		}
		if (!o.all_lazy)
			here = ctr_nsjoin_types_here();
		for (i = 0; i < NNS; i++)
			if (!o.ns[i].enabled && usable_ns(&o, &o.ns[i], here, pidfd))
				o.ns[i].enabled = o.ns[i].by_all = 1;
	}
	for (i = 0; i < NNS; i++)
		if (o.ns[i].path)
			o.ns[i].fd = open_target(&o, o.ns[i].name, o.ns[i].path);

	/* The target's namespaces: one pidfd for all (>= 5.8), else their files.
	 * A pidfd also outlives a PID reuse between here and setns(2). */
	mask = ns_mask(&o, 1);
	if (mask || o.sock_fd >= 0 || o.user_parent) {
		if (!o.pid)
			ctr_errx("no target PID specified");
		if (ctr_nsjoin_pidfd_setns_ok()) {
			if (pidfd < 0)
				pidfd = ctr_pidfd_open(o.pid, 0);
			setns_pidfd = pidfd;
		}
		if (setns_pidfd < 0)
			for (i = 0; i < NNS; i++)
				if (o.ns[i].enabled && o.ns[i].fd < 0)
					o.ns[i].fd = open_target(&o, o.ns[i].name, NULL);
	}

	/* Everything read from the target's /proc is opened before setns(2),
	 * which changes what our /proc and mounts show. */
	if (o.want_root || o.root)
		root_fd = open_target(&o, "root", o.root);
	if (o.want_wd || o.wd)
		wd_fd = open_target(&o, "cwd", o.wd);
	if (o.env)
		env_fd = open_target(&o, "environ", NULL);
	if (o.follow_uid || o.follow_gid)
		owner_fd = open_target(&o, "", NULL);
	if (o.join_cgroup) {
		cgroup_fd = open_target(&o, "cgroup", NULL);
		if (ctr_nsjoin_cgroup_open(cgroup_fd, &cg, &e) < 0)
			ctr_die(&e);
		close(cgroup_fd);
	}
	if (o.user_parent)
		open_parent_userns(&o);
	if (o.sock_fd >= 0) {
		struct nsfile *net = nsfile_of(&o, CLONE_NEWNET);
		int fd, pfd = pidfd;

		if (pfd < 0 && (pfd = ctr_pidfd_open(o.pid, 0)) < 0)
			ctr_errn("failed to pidfd_open() for %d", (int)o.pid);
		fd = ctr_nsjoin_sock_netns(pfd, o.sock_fd, &e);
		if (fd < 0)
			ctr_die(&e);
		if (pfd != pidfd)
			close(pfd);
		if (net->fd >= 0)
			close(net->fd);
		net->fd = fd;
		net->enabled = 1;
	}

	mask = ns_mask(&o, 0);
	if (!mask)
		ctr_errx("no namespace specified");
	do_fork = (mask & CLONE_NEWPID) && !o.no_fork;

	/* Entering a user namespace makes us uid 0 there (or what -S/-G say),
	 * with no supplementary groups, unless --preserve-credentials. */
	if ((mask & CLONE_NEWUSER) && !o.preserve_cred) {
		o.force_uid = o.force_gid = 1;
		if (ctr_nsjoin_clear_groups() != 0)
			groups_failed = 1;
	}
	enter_namespaces(&o, setns_pidfd, mask & ~CLONE_NEWUSER, 0);
	mask = ns_mask(&o, 0);
	if (mask)
		enter_namespaces(&o, setns_pidfd, mask, 1);
	if (pidfd >= 0)
		close(pidfd);

	/* -r without -w/-W keeps the cwd we had (util-linux does the same). */
	if (root_fd >= 0 && wd_fd < 0 && !o.wdns) {
		wd_fd = ctr_nsjoin_open(".");
		if (wd_fd < 0)
			ctr_errn("cannot open current working directory");
	}
	if (root_fd >= 0) {
		if (ctr_nsjoin_chroot(root_fd, &e) < 0)
			ctr_die(&e);
		close(root_fd);
	}
	if (o.wdns) {
		wd_fd = ctr_nsjoin_open(o.wdns);
		if (wd_fd < 0)
			ctr_errn("cannot open current working directory");
	}
	if (wd_fd >= 0) {
		if (ctr_nsjoin_fchdir(wd_fd, &e) < 0)
			ctr_die(&e);
		close(wd_fd);
	}
	if (env_fd >= 0) {
		if (ctr_nsjoin_take_env(env_fd, &e) < 0)
			ctr_die(&e);
		close(env_fd);
	}
	if (cg.n && ctr_nsjoin_cgroup_enter(&cg, &e) < 0)
		ctr_die(&e);
	if (owner_fd >= 0) {
		uid_t uid;
		gid_t gid;

		if (ctr_nsjoin_owner(owner_fd, &uid, &gid) < 0)
			ctr_errn("can not get process stat");
		close(owner_fd);
		if (o.follow_uid)
			o.uid = uid;
		if (o.follow_gid)
			o.gid = gid;
	}

	if (do_fork)
		ctr_continue_as_child();

	/* setgroups may fail outside a user namespace (and is then ignored),
	 * or before entering one and succeed after: complain if both failed. */
	if (o.force_gid && ctr_nsjoin_clear_groups() != 0 && groups_failed)
		ctr_errn("setgroups failed");
	if (ctr_nsjoin_set_ids(o.force_uid, o.uid, o.force_gid, o.gid, &e) < 0)
		ctr_die(&e);
	if (o.keep_caps && (mask & CLONE_NEWUSER) && ctr_caps_permitted_to_ambient(&e) < 0)
		ctr_die(&e);

	ctr_exec_or_die(optind < argc ? argv + optind : NULL);
}
