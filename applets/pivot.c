/* pivot: run a command in a new root, with pivot_root(2), so that it cannot
 * walk back to the host's tree the way it can out of a chroot.
 *
 *   pivot [OPTIONS] NEWROOT [CMD [ARG...]]        the container form
 *   pivot_root NEW_ROOT PUT_OLD                   util-linux's pivot_root(8)
 *   pivot NEW_ROOT PUT_OLD                        same, see the rule below
 *
 * Container form: in a new mount namespace (unless --no-unshare) make every
 * mount private, bind NEWROOT onto itself unless it is a mount point, add the
 * requested binds, /proc and /dev, pivot_root(".", ".") into it and detach the
 * old root, chdir to / (or --wd) and exec CMD (default /bin/sh). No fork: the
 * command replaces pivot. Like bwrap's --bind/--proc/--dev, docker's -v.
 *
 * When the current root is the kernel's initramfs, pivot_root(2) fails with
 * EINVAL (the rootfs can never be unmounted). pivot then does what
 * switch_root(8) does, moves NEWROOT over / and chroots into it, and drops the
 * capabilities an escape would need (CAP_SYS_CHROOT, CAP_SYS_ADMIN,
 * CAP_SYS_PTRACE, ...) from the bounding, permitted and effective sets; it
 * says so on stderr.
 *
 * Which form: the name pivot_root always means pivot_root(8). The name pivot
 * means pivot_root(8) only when it gets exactly two arguments, neither an
 * option, and the second is an existing directory (a command cannot be one);
 * anything else, or "pivot -- NEWROOT CMD", is the container form.
 * pivot_root(8)'s messages and statuses are util-linux's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"
#include "ctr/ns.h"
#include "ctr/rootfs.h"

static const char usage_text[] =
	"Usage:\n"
	" pivot [options] <newroot> [<program> [<argument>...]]\n"
	" pivot <new_root> <put_old>\n"
	"\n"
	"Run a program with <newroot> as its root directory, switched with\n"
	"pivot_root(2) in a new mount namespace; the old root is detached.\n"
	"The second form (and the name pivot_root) is pivot_root(8): it only\n"
	"calls pivot_root(2); it is chosen when <put_old> is an existing directory.\n"
	"\n"
	"Options:\n"
	"     --no-unshare       use the current mount namespace\n"
	"     --proc             mount a fresh /proc\n"
	"     --dev              mount a minimal /dev (tmpfs, null zero full random\n"
	"                          urandom tty, pts, ptmx, shm)\n"
	"     --ro               make the new root read-only\n"
	" -b, --bind <src>:<dst>[:ro]\n"
	"                        bind <src> to <dst> inside the new root\n"
	" -w, --wd <dir>         working directory inside the new root (default /)\n"
	"     --keep-old <dir>   keep the old root mounted at <dir> (it stays reachable)\n"
	"     --chroot           use chroot(2) only (escapable; for comparison)\n"
	"\n"
	" -h, --help             display this help\n"
	" -V, --version          display version\n";

static const char pivot_root_usage[] =
	"Usage:\n"
	" pivot_root [options] new_root put_old\n"
	"\n"
	"Change the root filesystem.\n"
	"\n"
	"Options:\n"
	" -h, --help     display this help\n"
	" -V, --version  display version\n";

enum { OPT_NO_UNSHARE = 256, OPT_PROC, OPT_DEV, OPT_RO, OPT_KEEP_OLD, OPT_CHROOT };

static const struct option longopts[] = {
	{ "no-unshare", no_argument, NULL, OPT_NO_UNSHARE },
	{ "proc", no_argument, NULL, OPT_PROC },
	{ "dev", no_argument, NULL, OPT_DEV },
	{ "ro", no_argument, NULL, OPT_RO },
	{ "bind", required_argument, NULL, 'b' },
	{ "wd", required_argument, NULL, 'w' },
	{ "keep-old", required_argument, NULL, OPT_KEEP_OLD },
	{ "chroot", no_argument, NULL, OPT_CHROOT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct option pivot_root_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct options {
	int no_unshare;
	const char *wd;
	char **cmd;             /* NULL: /bin/sh */
	struct ctr_rootfs root;
	struct ctr_bind *binds; /* argc entries at most */
};

/* SRC[:DST][:ro|:rw]; DST defaults to SRC. Splits arg in place. */
static void parse_bind(char *arg, struct ctr_bind *b)
{
	size_t n = strlen(arg);
	char *colon;

	b->ro = 0;
	if (n > 3 && (strcmp(arg + n - 3, ":ro") == 0 || strcmp(arg + n - 3, ":rw") == 0)) {
		b->ro = arg[n - 1] == 'o';
		n -= 3;
	}
	colon = memchr(arg, ':', n);
	if (n == 0 || colon == arg || (colon && colon == arg + n - 1))
		ctr_usage_error("invalid bind '%s': expected <src>:<dst>[:ro]", arg);
	arg[n] = '\0';
	b->src = arg;
	b->dst = arg;
	if (colon) {
		*colon = '\0';
		b->dst = colon + 1;
	}
}

static void parse_args(int argc, char *argv[], struct options *o)
{
	int c;

	o->binds = calloc((size_t)argc, sizeof(*o->binds));
	if (!o->binds)
		ctr_errx("out of memory");
	o->root.binds = o->binds;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:b:w:hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_NO_UNSHARE: o->no_unshare = 1; break;
		case OPT_PROC: o->root.proc = 1; break;
		case OPT_DEV: o->root.dev = 1; break;
		case OPT_RO: o->root.ro = 1; break;
		case 'b': parse_bind(optarg, &o->binds[o->root.nbinds++]); break;
		case 'w': o->wd = optarg; break;
		case OPT_KEEP_OLD: o->root.keep_old = optarg; break;
		case OPT_CHROOT: o->root.chroot = 1; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		case 'V': ctr_print_version();
		default: ctr_bad_option(c, argv, longopts);
		}
	}
	if (optind >= argc)
		ctr_usage_error("no new root specified");
	o->root.newroot = argv[optind];
	if (optind + 1 < argc)
		o->cmd = argv + optind + 1;
	if (o->root.keep_old) {
		while (*o->root.keep_old == '/')
			o->root.keep_old++;
		if (!*o->root.keep_old)
			ctr_usage_error("--keep-old needs a directory below the new root");
	}
	if (o->root.keep_old && o->root.chroot)
		ctr_usage_error("--keep-old and --chroot are mutually exclusive");
}

/* pivot_root(8): one syscall, util-linux's words. */
static int pivot_root_form(int argc, char *argv[])
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hV", pivot_root_longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(pivot_root_usage, stdout); exit(0);
		case 'V': ctr_print_version();
		default: ctr_bad_option(c, argv, pivot_root_longopts);
		}
	}
	/* util-linux counts argc itself: "pivot_root -- a b" is bad usage too */
	if (argc != 3 || argc - optind != 2)
		ctr_usage_error("bad usage");
	if (ctr_rootfs_pivot_root(argv[optind], argv[optind + 1]) < 0)
		ctr_errn("failed to change root from `%s' to `%s'", argv[optind], argv[optind + 1]);
	return 0;
}

/* "pivot A B" with B an existing directory is pivot_root(8). */
static int is_pivot_root_form(int argc, char *argv[])
{
	struct stat st;

	if (strcmp(ctr_applet, "pivot_root") == 0)
		return 1;
	return argc == 3 && argv[1][0] != '-' && argv[2][0] != '-' &&
	       stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode);
}

static void report_how(const struct options *o)
{
	if (o->root.how == CTR_ROOTFS_CHROOT)
		ctr_warnx("warning: --chroot: chroot(2) only changes this process's idea of /, "
			  "a process with CAP_SYS_CHROOT can escape it");
	else if (o->root.how == CTR_ROOTFS_MOVED)
		ctr_warnx("the current root is the initramfs, which pivot_root(2) refuses: "
			  "moved %s over / and chrooted into it, and dropped CAP_SYS_CHROOT, "
			  "CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_MKNOD, "
			  "CAP_SYS_RAWIO, CAP_SYS_MODULE, CAP_SYS_BOOT and CAP_BPF",
			  o->root.root);
	else if (o->root.keep_old)
		ctr_warnx("warning: the old root stays mounted at /%s: the host's tree is "
			  "reachable from inside", o->root.keep_old);
}

int pivot_main(int argc, char *argv[])
{
	static char *const default_cmd[] = { "/bin/sh", NULL };
	struct options o = { 0 };
	struct ctr_err e = { 0 };

	if (is_pivot_root_form(argc, argv))
		return pivot_root_form(argc, argv);
	parse_args(argc, argv, &o);
	if (ctr_rootfs_check(&o.root, &e) < 0)
		ctr_die(&e);
	if (!o.no_unshare && ctr_ns_unshare(CLONE_NEWNS) < 0)
		ctr_errn("unshare failed");
	if (ctr_rootfs_prepare(&o.root, &e) < 0 || ctr_rootfs_enter(&o.root, &e) < 0)
		ctr_die(&e);
	report_how(&o);
	free(o.binds);
	if (o.wd && chdir(o.wd) < 0)
		ctr_errn("cannot change directory to %s", o.wd);
	ctr_exec_or_die(o.cmd ? o.cmd : default_cmd);
}
