/* unshare: run a program in new namespaces.
 *
 * usage: unshare [options] [program [arguments]]
 *
 * util-linux 2.42 unshare(1): the same options, messages and exit statuses
 * (the program's status; re-raise the signal that killed it; 126/127 when it
 * cannot be executed; 1 for our own errors). Without a program it runs
 * $SHELL (else /bin/sh) as a login shell ("-sh"), as util-linux does.
 *
 * Where it differs from util-linux:
 *  - A persistence FILE that does not exist is created. Namespaces are bound
 *    only once everything else is set up, just before the exec, and unbound
 *    (and created files removed) if the exec fails: no failure leaves a bind
 *    mount or a file behind. util-linux binds from the parent while the
 *    child runs on.
 *  - --kill-child is armed after -S/-G (the kernel clears the parent-death
 *    signal on a credential change) and right before the exec.
 *  - /proc/PID/setgroups is written before gid_map (the kernel refuses
 *    "deny" after gid_map), also when --map-groups ranges are used.
 *  - Id ranges (--map-users/--map-groups inner:outer:count or all) are
 *    written directly, which needs CAP_SETUID/CAP_SETGID (root); there is no
 *    newuidmap/newgidmap, so auto, subids, --map-auto and --map-subids are
 *    refused, as are --owner, --mount-binfmt and -l/--load-interp.
 *  - Persisting a time namespace does not need --fork (the kernel gives
 *    time_for_children at once); a PID namespace does, and it is refused
 *    up front without it.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"
#include "ctr/caps.h"
#include "ctr/idmap.h"
#include "ctr/mount.h"
#include "ctr/nshelper.h"
#include "ctr/ns.h"
#include "ctr/opt.h"
#include "ctr/proc.h"
#include "ctr/spawn.h"

static const char usage_text[] =
	"Usage:\n"
	" unshare [options] [<program> [<argument>...]]\n"
	"\n"
	"Run a program with some namespaces unshared from the parent.\n"
	"\n"
	"Options:\n"
	" -m, --mount[=<file>]      unshare mounts namespace\n"
	" -u, --uts[=<file>]        unshare UTS namespace (hostname etc)\n"
	" -i, --ipc[=<file>]        unshare System V IPC namespace\n"
	" -n, --net[=<file>]        unshare network namespace\n"
	" -p, --pid[=<file>]        unshare pid namespace\n"
	" -U, --user[=<file>]       unshare user namespace\n"
	" -C, --cgroup[=<file>]     unshare cgroup namespace\n"
	" -T, --time[=<file>]       unshare time namespace\n"
	"\n"
	" --mount-proc[=<dir>]      mount proc filesystem first (implies --mount)\n"
	" --propagation slave|shared|private|unchanged\n"
	"                           modify mount propagation in mount namespace\n"
	" -R, --root <dir>          run the command with root directory set to <dir>\n"
	" -w, --wd <dir>            change working directory to <dir>\n"
	"\n"
	" -S, --setuid <uid>        set uid in entered namespace\n"
	" -G, --setgid <gid>        set gid in entered namespace\n"
	" --map-user <uid>|<name>   map current user to uid (implies --user)\n"
	" --map-group <gid>|<name>  map current group to gid (implies --user)\n"
	" -r, --map-root-user       map current user to root (implies --user)\n"
	" -c, --map-current-user    map current user to itself (implies --user)\n"
	" --map-users <inneruid>:<outeruid>:<count>|all\n"
	"                           map count users from outeruid to inneruid (implies --user)\n"
	" --map-groups <innergid>:<outergid>:<count>|all\n"
	"                           map count groups from outergid to innergid (implies --user)\n"
	"\n"
	" -f, --fork                fork before launching <program>\n"
	" --kill-child[=<signame>]  when dying, kill the forked child (implies --fork)\n"
	"                             defaults to SIGKILL\n"
	" --forward-signals         forward SIGTERM and SIGINT to child (implies --fork)\n"
	"\n"
	" --setgroups allow|deny    control the setgroups syscall in user namespaces\n"
	" --keep-caps               retain capabilities granted in user namespaces\n"
	"\n"
	" --monotonic <offset>      set clock monotonic offset (seconds) in time namespaces\n"
	" --boottime <offset>       set clock boottime offset (seconds) in time namespaces\n"
	" --clear-env               do not inherit environment variables from the calling process\n"
	" --whitelist-env <list>    clear environment except for specified variables\n"
	"\n"
	" -h, --help                display this help\n"
	" -V, --version             display version\n"
	"\n"
	"Not supported (they need newuidmap/newgidmap or binfmt_misc): --map-auto,\n"
	"--map-subids, --map-users/--map-groups auto|subids, --owner, --mount-binfmt,\n"
	"-l/--load-interp.\n";

enum {
	OPT_MOUNTPROC = 256,
	OPT_PROPAGATION,
	OPT_SETGROUPS,
	OPT_KILLCHILD,
	OPT_KEEPCAPS,
	OPT_MONOTONIC,
	OPT_BOOTTIME,
	OPT_MAPUSER,
	OPT_MAPUSERS,
	OPT_MAPGROUP,
	OPT_MAPGROUPS,
	OPT_FORWARD_SIGNALS,
	OPT_CLEAR_ENV,
	OPT_WHITELIST_ENV,
	OPT_UNSUPPORTED,
};

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "mount", optional_argument, NULL, 'm' },
	{ "uts", optional_argument, NULL, 'u' },
	{ "ipc", optional_argument, NULL, 'i' },
	{ "net", optional_argument, NULL, 'n' },
	{ "pid", optional_argument, NULL, 'p' },
	{ "user", optional_argument, NULL, 'U' },
	{ "cgroup", optional_argument, NULL, 'C' },
	{ "time", optional_argument, NULL, 'T' },
	{ "fork", no_argument, NULL, 'f' },
	{ "kill-child", optional_argument, NULL, OPT_KILLCHILD },
	{ "forward-signals", no_argument, NULL, OPT_FORWARD_SIGNALS },
	{ "mount-proc", optional_argument, NULL, OPT_MOUNTPROC },
	{ "map-user", required_argument, NULL, OPT_MAPUSER },
	{ "map-users", required_argument, NULL, OPT_MAPUSERS },
	{ "map-group", required_argument, NULL, OPT_MAPGROUP },
	{ "map-groups", required_argument, NULL, OPT_MAPGROUPS },
	{ "map-root-user", no_argument, NULL, 'r' },
	{ "map-current-user", no_argument, NULL, 'c' },
	{ "propagation", required_argument, NULL, OPT_PROPAGATION },
	{ "setgroups", required_argument, NULL, OPT_SETGROUPS },
	{ "keep-caps", no_argument, NULL, OPT_KEEPCAPS },
	{ "setuid", required_argument, NULL, 'S' },
	{ "setgid", required_argument, NULL, 'G' },
	{ "root", required_argument, NULL, 'R' },
	{ "wd", required_argument, NULL, 'w' },
	{ "monotonic", required_argument, NULL, OPT_MONOTONIC },
	{ "boottime", required_argument, NULL, OPT_BOOTTIME },
	{ "clear-env", no_argument, NULL, OPT_CLEAR_ENV },
	{ "whitelist-env", required_argument, NULL, OPT_WHITELIST_ENV },
	/* util-linux options we refuse, by name */
	{ "map-auto", no_argument, NULL, OPT_UNSUPPORTED },
	{ "map-subids", no_argument, NULL, OPT_UNSUPPORTED },
	{ "owner", required_argument, NULL, OPT_UNSUPPORTED },
	{ "mount-binfmt", optional_argument, NULL, OPT_UNSUPPORTED },
	{ "load-interp", required_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	int flags;                          /* CLONE_NEW* */
	const char *persist[CTR_NS_NTYPES]; /* FILE per ctr_ns_types[] entry */
	int npersist;
	int fork, forward_signals, kill_signal;
	const char *procmnt;
	unsigned long propagation;          /* MS_* | MS_REC, 0: unchanged */
	int have_mapuser, have_mapgroup;    /* single --map-user/--map-group */
	uint32_t mapuser, mapgroup;
	int have_usermap, have_groupmap;    /* --map-users/--map-groups ranges */
	int setgroups;                      /* -1 untouched, 0 deny, 1 allow */
	int keepcaps;
	const char *root, *wd;
	int set_uid, set_gid;
	uint32_t uid, gid;
	int set_monotonic, set_boottime;
	long long monotonic, boottime;
	int clear_env;
	char *whitelist[32];                /* --whitelist-env lists */
	int nwhitelist;
	char **argv;                        /* the program, or NULL: the shell */
	uid_t euid;                         /* ours before unshare(CLONE_NEWUSER) */
	gid_t egid;
};

/* Id ranges are large (one kernel page's worth): keep them off the stack. */
static struct ctr_idmap usermap, groupmap;


/* ---- option parsing ---------------------------------------------------- */

static unsigned long parse_propagation(const char *s)
{
	if (strcmp(s, "slave") == 0)
		return MS_REC | MS_SLAVE;
	if (strcmp(s, "private") == 0)
		return MS_REC | MS_PRIVATE;
	if (strcmp(s, "shared") == 0)
		return MS_REC | MS_SHARED;
	if (strcmp(s, "unchanged") == 0)
		return 0;
	ctr_errx("unsupported propagation mode: %s", s);
}

static void add_ranges(struct ctr_idmap *m, const char *arg, const char *opt,
		       const char *file)
{
	struct ctr_idmap_range r;

	if (strcmp(arg, "auto") == 0 || strcmp(arg, "subids") == 0)
		ctr_errx("--%s %s is not supported (it needs new%cidmap and /etc/sub%cid)",
			 opt, arg, file[0], file[0]);
	if (strcmp(arg, "all") == 0) {
		if (ctr_idmap_add_all(m, 0, file) < 0)
			ctr_errn("cannot read /proc/self/%s", file);
		return;
	}
	if (ctr_idmap_parse_range(arg, &r) < 0)
		ctr_errx("invalid mapping '%s'", arg);
	if (ctr_idmap_add(m, &r) < 0)
		ctr_errx("too many mappings for --%s", opt);
}

static void set_ns(struct opts *o, char c, const char *file)
{
	const struct ctr_ns_type *t = ctr_ns_by_opt(c);
	int i = (int)(t - ctr_ns_types);

	o->flags |= t->flag;
	if (!file)
		return;
	if (!o->persist[i])
		o->npersist++;
	o->persist[i] = file;
}

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c, idx;

	memset(o, 0, sizeof(*o));
	o->propagation = MS_REC | MS_PRIVATE;
	o->setgroups = -1;
	o->euid = geteuid();
	o->egid = getegid();
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:fhVmuinpCTUrR:w:S:G:cl:", longopts, &idx)) != -1) {
		switch (c) {
		case 'm': case 'u': case 'i': case 'n':
		case 'p': case 'U': case 'C': case 'T':
			set_ns(o, (char)c, optarg);
			break;
		case 'f':
			o->fork = 1;
			break;
		case OPT_KILLCHILD:
			o->fork = 1;
			o->kill_signal = SIGKILL;
			/* util-linux's signame_to_signum(): names, not numbers */
			if (optarg && (isdigit((unsigned char)*optarg) ||
				       ctr_opt_signal(optarg, &o->kill_signal) < 0))
				ctr_errx("unknown signal: %s", optarg);
			break;
		case OPT_FORWARD_SIGNALS:
			o->fork = o->forward_signals = 1;
			break;
		case OPT_MOUNTPROC:
			o->flags |= CLONE_NEWNS;
			o->procmnt = optarg ? optarg : "/proc";
			break;
		case OPT_MAPUSER:
			o->flags |= CLONE_NEWUSER;
			if (ctr_idmap_user(optarg, &o->mapuser) < 0)
				ctr_errx("failed to parse uid: '%s'", optarg);
			o->have_mapuser = 1;
			break;
		case OPT_MAPGROUP:
			o->flags |= CLONE_NEWUSER;
			if (ctr_idmap_group(optarg, &o->mapgroup) < 0)
				ctr_errx("failed to parse gid: '%s'", optarg);
			o->have_mapgroup = 1;
			break;
		case 'r':
		case 'c':
			o->flags |= CLONE_NEWUSER;
			o->mapuser = c == 'r' ? 0 : o->euid;
			o->mapgroup = c == 'r' ? 0 : o->egid;
			o->have_mapuser = o->have_mapgroup = 1;
			break;
		case OPT_MAPUSERS:
			o->flags |= CLONE_NEWUSER;
			add_ranges(&usermap, optarg, "map-users", "uid_map");
			o->have_usermap = 1;
			break;
		case OPT_MAPGROUPS:
			o->flags |= CLONE_NEWUSER;
			add_ranges(&groupmap, optarg, "map-groups", "gid_map");
			o->have_groupmap = 1;
			break;
		case OPT_SETGROUPS:
			if (strcmp(optarg, "allow") && strcmp(optarg, "deny"))
				ctr_errx("unsupported --setgroups argument '%s'", optarg);
			o->setgroups = strcmp(optarg, "allow") == 0;
			break;
		case OPT_PROPAGATION:
			o->propagation = parse_propagation(optarg);
			break;
		case OPT_KEEPCAPS:
			o->keepcaps = 1;
			break;
		case 'S':
			if (ctr_opt_id(optarg, &o->uid) < 0)
				ctr_errx("failed to parse uid: '%s'", optarg);
			o->set_uid = 1;
			break;
		case 'G':
			if (ctr_opt_id(optarg, &o->gid) < 0)
				ctr_errx("failed to parse gid: '%s'", optarg);
			o->set_gid = 1;
			break;
		case 'R':
			o->root = optarg;
			break;
		case 'w':
			o->wd = optarg;
			break;
		case OPT_MONOTONIC:
			if (ctr_opt_llong(optarg, INT64_MIN, INT64_MAX, &o->monotonic) < 0)
				ctr_errx("failed to parse monotonic offset: '%s'", optarg);
			o->set_monotonic = 1;
			break;
		case OPT_BOOTTIME:
			if (ctr_opt_llong(optarg, INT64_MIN, INT64_MAX, &o->boottime) < 0)
				ctr_errx("failed to parse boottime offset: '%s'", optarg);
			o->set_boottime = 1;
			break;
		case OPT_CLEAR_ENV:
			o->clear_env = 1;
			break;
		case OPT_WHITELIST_ENV:
			if (o->nwhitelist == (int)(sizeof(o->whitelist) / sizeof(o->whitelist[0])))
				ctr_errx("too many --whitelist-env options");
			o->whitelist[o->nwhitelist++] = optarg;
			break;
		case 'l':
			ctr_errx("--load-interp is not supported");
		case OPT_UNSUPPORTED:
			ctr_errx("--%s is not supported", longopts[idx].name);
		case 'h':
			ctr_print_help(usage_text);
		case 'V':
			ctr_print_version();
		default:
			ctr_bad_option(c, argv, longopts);
		}
	}
	o->argv = optind < argc ? argv + optind : NULL;
}

/* Implications and conflicts, after the loop as util-linux checks them. */
static void check_args(struct opts *o)
{
	int pid_index = (int)(ctr_ns_by_flag(CLONE_NEWPID) - ctr_ns_types);

	if ((o->set_monotonic || o->set_boottime) && !(o->flags & CLONE_NEWTIME))
		ctr_errx("options --monotonic and --boottime require unsharing of a time namespace (-T)");
	if (o->persist[pid_index] && !o->fork)
		ctr_errx("persisting a PID namespace requires --fork");
	/* Ranges and a single id are written together by the helper, the
	 * single id punched out of the ranges (util-linux's "hole"). */
	if (o->have_usermap && o->have_mapuser) {
		if (ctr_idmap_add_single(&usermap, o->euid, o->mapuser) < 0)
			ctr_errx("too many mappings for --map-users");
		o->have_mapuser = 0;
	}
	if (o->have_groupmap && o->have_mapgroup) {
		if (ctr_idmap_add_single(&groupmap, o->egid, o->mapgroup) < 0)
			ctr_errx("too many mappings for --map-groups");
		o->have_mapgroup = 0;
	}
	/* Without CAP_SETGID in the parent namespace, a process may write its
	 * own one-line gid_map only after setgroups is denied for good. */
	if (o->have_mapgroup) {
		if (o->setgroups == 1)
			ctr_errx("options --setgroups=allow and --map-group are mutually exclusive");
		o->setgroups = 0;
	}
}

/* ---- running ----------------------------------------------------------- */

static int listed(const struct opts *o, const char *entry, size_t len)
{
	const char *p, *end;
	int i;

	for (i = 0; i < o->nwhitelist; i++) {
		for (p = o->whitelist[i]; *p; p = *end ? end + 1 : end) {
			end = strchrnul(p, ',');
			if ((size_t)(end - p) == len && strncmp(p, entry, len) == 0)
				return 1;
		}
	}
	return 0;
}

/* --clear-env: an empty environment; --whitelist-env: only the listed
 * variables, with the values they had. Filtered in place: no allocation. */
static void apply_env(const struct opts *o)
{
	extern char **environ;
	static char *empty[1];
	char **ep, **keep;

	if (!o->clear_env && !o->nwhitelist)
		return;
	if (!environ || !o->nwhitelist) {
		environ = empty;
		return;
	}
	for (ep = keep = environ; *ep; ep++)
		if (listed(o, *ep, strcspn(*ep, "=")))
			*keep++ = *ep;
	*keep = NULL;
}

/* Everything the process that runs the program does before the exec. */
static void setup(const struct opts *o)
{
	if ((o->flags & CLONE_NEWNS) && o->propagation &&
	    ctr_mount_propagation("/", o->propagation & ~MS_REC, 1, NULL) < 0)
		ctr_errn("cannot change root filesystem propagation");
	if (o->root && chroot(o->root) < 0)
		ctr_errn("cannot change root directory to '%s'", o->root);
	if ((o->wd || o->root) && chdir(o->wd ? o->wd : "/") < 0)
		ctr_errn("cannot change directory to %s", o->wd ? o->wd : "/");
	if (o->procmnt) {
		/* With the default private propagation the recursive change of /
		 * covered the old proc; otherwise make the mount point private
		 * so that the new proc does not propagate out. EINVAL: DIR is
		 * not a mount point, nothing to propagate from. */
		if (!o->root && o->propagation != (MS_REC | MS_PRIVATE) &&
		    ctr_mount_propagation(o->procmnt, MS_PRIVATE, 1, NULL) < 0 && errno != EINVAL)
			ctr_errn("cannot change %s filesystem propagation", o->procmnt);
		if (ctr_mount_proc(o->procmnt, NULL) < 0)
			ctr_errn("mount %s failed", o->procmnt);
	}
	if (o->set_gid && ctr_proc_setgid(o->gid) < 0)
		ctr_errn("setgid() failed");
	if (o->set_uid && ctr_proc_setuid(o->uid) < 0)
		ctr_errn("setuid() failed");
	if (o->keepcaps && (o->flags & CLONE_NEWUSER)) {
		struct ctr_err e;

		if (ctr_caps_permitted_to_ambient(&e) < 0)
			ctr_die(&e);
	}
	apply_env(o);
}

static noreturn void run(const struct opts *o, struct ctr_nshelper *h, int parent_pidfd)
{
	const char *what = o->argv ? o->argv[0] : NULL;
	struct ctr_err e;
	int err;

	setup(o);
	if (ctr_nshelper_call(h, 'B', &e) < 0)
		ctr_die(&e);
	if (o->kill_signal && ctr_proc_pdeathsig(o->kill_signal, parent_pidfd) < 0) {
		ctr_nshelper_call(h, 'U', &e);
		if (errno == ESRCH)
			exit(ctr_fail_status);
		ctr_errn("prctl failed");
	}
	if (parent_pidfd >= 0)
		close(parent_pidfd);
	if (o->argv)
		ctr_proc_exec(o->argv);
	else
		ctr_proc_exec_shell(&what);
	err = errno;
	ctr_nshelper_call(h, 'U', &e);
	errno = err;
	ctr_exit_exec_failed(what);
}

/* Our pid_for_children is the new PID namespace, dead once its init (our
 * child) has exited: fork and clone would fail with ENOMEM from now on. Point
 * it back at our own namespace (setns to the caller's active PID namespace is
 * always allowed) so that what runs at exit may still make threads, e.g. a
 * sanitizer's leak checker. */
static void leave_pid_ns(void)
{
	int fd = ctr_ns_open(0, "pid");

	if (fd >= 0) {
		ctr_ns_setns(fd, CLONE_NEWPID);
		close(fd);
	}
}

/* --fork: the parent waits for the child and exits as it did. By default it
 * stays alive while the child handles SIGINT and SIGTERM (util-linux >=
 * 2.36): they are held, blocked, not ignored, so the child gets the caller's
 * dispositions and mask. --forward-signals passes them on instead, with no
 * window between fork and wait where one is lost (libctr/spawn.c). */
static void fork_child(const struct opts *o, struct ctr_nshelper *h)
{
	static const int sigs[] = { SIGTERM, SIGINT, 0 };
	struct ctr_spawn sp;
	int status, pidfd = -1;
	pid_t pid;

	if (o->kill_signal)
		pidfd = ctr_pidfd_open(getpid(), 0);
	if (ctr_spawn_block(&sp, o->forward_signals ? sigs : NULL,
			    o->forward_signals ? NULL : sigs) < 0 ||
	    (pid = ctr_spawn_fork(&sp)) < 0)
		ctr_errn("fork failed");
	if (pid == 0)
		run(o, h, pidfd);
	if (pidfd >= 0)
		close(pidfd);
	/* Only the child talks to the helper now: its exec must be the last
	 * close of the request pipe. */
	ctr_nshelper_close(h);
	if (ctr_spawn_wait(&sp, &status) < 0)
		ctr_errn("waitpid failed");
	ctr_spawn_done(&sp, 0);
	if (o->flags & CLONE_NEWPID)
		leave_pid_ns();
	ctr_exit_like(status);
}

int unshare_main(int argc, char *argv[])
{
	struct ctr_nshelper h = { .req = -1, .rep = -1 };
	struct ctr_err e;
	struct opts o;

	ctr_applet = "unshare";
	parse_args(argc, argv, &o);
	check_args(&o);

	/* An inherited SIG_IGN for SIGCHLD would make waitpid fail. */
	signal(SIGCHLD, SIG_DFL);
	if (o.npersist || o.have_usermap || o.have_groupmap) {
		memcpy(h.persist, o.persist, sizeof(h.persist));
		h.usermap = o.have_usermap ? &usermap : NULL;
		h.groupmap = o.have_groupmap ? &groupmap : NULL;
		if (ctr_nshelper_start(&h, &e) < 0)
			ctr_die(&e);
	}
	if (ctr_ns_unshare(o.flags) < 0)
		ctr_errn("unshare failed");

	if (o.setgroups >= 0 && ctr_idmap_setgroups(0, o.setgroups, &e) < 0)
		ctr_die(&e);
	if ((o.have_usermap || o.have_groupmap) && ctr_nshelper_call(&h, 'M', &e) < 0)
		ctr_die(&e);
	if (o.have_mapuser && ctr_idmap_write_single(0, "uid_map", o.mapuser, o.euid, &e) < 0)
		ctr_die(&e);
	if (o.have_mapgroup && ctr_idmap_write_single(0, "gid_map", o.mapgroup, o.egid, &e) < 0)
		ctr_die(&e);

	/* Before the fork: no process may have entered the time namespace. */
	if (o.set_boottime && ctr_ns_time_offset(CLOCK_BOOTTIME, o.boottime, &e) < 0)
		ctr_die(&e);
	if (o.set_monotonic && ctr_ns_time_offset(CLOCK_MONOTONIC, o.monotonic, &e) < 0)
		ctr_die(&e);
	/* Before Linux 6.3 execve does not move the process into its
	 * time_for_children namespace: enter it here when not forking (as
	 * util-linux does), after the offsets, which it freezes. */
	if (!o.fork && (o.flags & CLONE_NEWTIME) && ctr_ns_time_enter(&e) < 0)
		ctr_die(&e);

	/* The proc of --mount-proc shows the PID namespace of the process that
	 * mounts it: with -p that is the forked child, the namespace's init. */
	if (o.fork)
		fork_child(&o, &h);
	run(&o, &h, -1);
}
