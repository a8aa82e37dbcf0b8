/* cgexec: run a command in control groups.
 *
 * usage: cgexec -g CTRL[,CTRL...]:PATH [-g ...] [--sticky] CMD [ARG...]
 *        cgexec -g CTRL[,CTRL...]:PATH -r NAME=VALUE [-r ...] CMD [ARG...]
 *
 * libcgroup's cgexec (cgroup-tools): moves itself into the group in the
 * hierarchy of each controller, then execs CMD (no fork, the PID stays).
 * --sticky is accepted and changes nothing: ctrbox has no rules daemon
 * (cgrulesengd) that could move the process or its children.
 * Beyond libcgroup, -r NAME=VALUE (repeatable) makes the group transient, so
 * one line does what `docker run --cpu-quota ...` does to the CPU without a
 * container: PATH is created (it must not exist) in the hierarchies of the
 * -g controllers and of the -r names, the values are written (v1 names work
 * on v2 and v2 names on v1, as for cgset), CMD runs as a child in the group;
 * when CMD ends what it left in the group is killed, the group is removed,
 * and cgexec exits with CMD's status (or dies of its signal). Meanwhile
 * SIGTERM and SIGHUP are passed on to CMD, SIGINT and SIGQUIT ignored (the
 * terminal sends those to CMD itself). Nothing is left behind on a failure.
 * Differs from libcgroup: without -g libcgroup follows cgrules.conf, which
 * ctrbox does not read (-g is required); errors exit 1 (126/127 when CMD
 * cannot be run), with "cgexec: what: detail: strerror".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "ctr/cgroup.h"
#include "ctr/spawn.h"
#include "ctr/proc.h"

static const char usage_text[] =
	"Usage: cgexec [-h] [-g <controllers>:<path>] [--sticky] command [arguments] ...\n"
	"   or: cgexec -g <controllers>:<path> -r <name=value> [-r ...] command [arguments] ...\n"
	"Run the task in given control group(s)\n"
	"  -g <controllers>:<path>\tControl group which should be added\n"
	"  -r, --variable <name=value>\tRun in a new group with this parameter; the group\n"
	"\t\t\t\tis removed when the command ends\n"
	"  -h, --help\t\t\tDisplay this help\n"
	"  --sticky\t\t\tcgred daemon does not change pidlist and children tasks\n"
	"\t\t\t\t(ctrbox has no such daemon: accepted, no effect)\n"
	"  -V, --version\t\t\tDisplay version\n";

enum { OPT_STICKY = 256 };

static const struct option longopts[] = {
	{ "sticky", no_argument, NULL, OPT_STICKY },
	{ "variable", required_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

#define MAX_ARGS 64

struct opts {
	char *groups[MAX_ARGS];
	int ngroups;
	char *name[MAX_ARGS];
	char *value[MAX_ARGS];
	int nvars;
	char **cmd;
};

static void parse_args(int argc, char *argv[], struct opts *o)
{
	char *name, *value;
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:g:r:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			if (o->ngroups == MAX_ARGS)
				ctr_errx("too many -g options (at most %d)", MAX_ARGS);
			o->groups[o->ngroups++] = optarg;
			break;
		case 'r':
			if (ctr_cgroup_split_setting(optarg, &name, &value) < 0)
				ctr_usage_error("wrong -r parameter '%s': expected <name>=<value>",
						optarg);
			if (o->nvars == MAX_ARGS)
				ctr_errx("too many -r options (at most %d)", MAX_ARGS);
			o->name[o->nvars] = name;
			o->value[o->nvars++] = value;
			break;
		case OPT_STICKY:
			break;
		case 'h':
			ctr_print_help(usage_text);
		case 'V':
			ctr_print_version();
		default:
			ctr_bad_option(c, argv, longopts);
		}
	}
	if (!o->ngroups)
		ctr_usage_error("no group given: -g <controllers>:<path> (cgrules.conf is not "
				"supported)");
	if (o->nvars && o->ngroups != 1)
		ctr_usage_error("-r needs exactly one -g <controllers>:<path>");
	if (optind == argc)
		ctr_usage_error("no command given");
	o->cmd = argv + optind;
}

/* The transient group: create, set, run CMD as a child in it, remove. */
static noreturn void run_transient(const struct ctr_cg_layout *l, struct ctr_cg_spec *s,
				   const struct opts *o)
{
	static const int forward[] = { SIGTERM, SIGHUP, 0 }, hold[] = { SIGINT, SIGQUIT, 0 };
	struct ctr_cg_undo u = { 0 };
	struct ctr_spawn sp;
	struct ctr_err e;
	char ctrl[64];
	int i, status;
	pid_t pid;

	/* The terminal sends SIGINT and SIGQUIT to CMD itself (same process
	 * group): hold them here; pass SIGTERM and SIGHUP on. Blocked from
	 * now: one that comes while the group is made waits for CMD instead
	 * of leaving the group behind. A signal ignored on entry (nohup's
	 * SIGHUP) stays ignored, in CMD too. */
	if (ctr_spawn_block(&sp, forward, hold) < 0)
		ctr_errn("sigprocmask");
	for (i = 0; i < o->nvars; i++) {
		if (ctr_cgroup_check(o->name[i], o->value[i], &e) < 0)
			ctr_die(&e);
		ctr_cgroup_knob_ctrl(o->name[i], ctrl, sizeof(ctrl));
		if (ctr_cgroup_spec_add(l, s, ctrl, &e) < 0)
			ctr_die(&e);
	}
	if (!s->group[0])
		ctr_errx("cannot use a hierarchy's root as a transient group");
	if (ctr_cgroup_create(l, s, 1, &u, &e) < 0)
		goto fail;
	for (i = 0; i < o->nvars; i++)
		if (ctr_cgroup_set(l, s->group, o->name[i], o->value[i], NULL, &e) < 0)
			goto fail;
	fflush(stdout);
	pid = ctr_spawn_fork(&sp);
	if (pid < 0) {
		ctr_err_sys(&e, "cannot fork", NULL);
		goto fail;
	}
	if (pid == 0) {
		if (ctr_cgroup_attach(l, s, 0, &e) < 0) {
			ctr_report(&e);
			_exit(ctr_fail_status);
		}
		ctr_exec_or_die(o->cmd);
	}
	if (ctr_spawn_wait(&sp, &status) < 0)
		ctr_errn("waitpid");
	ctr_spawn_done(&sp, 0);
	/* What CMD left in the group (background children) goes with it. */
	if (ctr_cgroup_drain(l, s, 5000, &e) < 0)
		ctr_report(&e);
	ctr_cgroup_undo(&u);
	ctr_exit_like(status);
fail:
	ctr_cgroup_undo(&u);
	ctr_die(&e);
}

int cgexec_main(int argc, char *argv[])
{
	static struct ctr_cg_spec specs[MAX_ARGS];
	struct ctr_cg_layout l;
	struct ctr_err e;
	struct opts o;
	int i;

	parse_args(argc, argv, &o);
	if (ctr_cgroup_layout(&l, &e) < 0)
		ctr_die(&e);
	for (i = 0; i < o.ngroups; i++)
		if (ctr_cgroup_spec(&l, o.groups[i], &specs[i], &e) < 0)
			ctr_die(&e);
	if (o.nvars)
		run_transient(&l, &specs[0], &o);
	for (i = 0; i < o.ngroups; i++)
		if (ctr_cgroup_exists(&l, &specs[i], &e) < 0)
			ctr_die(&e);
	for (i = 0; i < o.ngroups; i++)
		if (ctr_cgroup_attach(&l, &specs[i], 0, &e) < 0)
			ctr_die(&e);
	ctr_exec_or_die(o.cmd);
}
