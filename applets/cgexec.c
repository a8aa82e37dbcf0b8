/* cgexec: run a command in control groups.
 *
 * usage: cgexec -g CTRL[,CTRL...]:PATH [-g ...] [--sticky] CMD [ARG...]
 *        cgexec -g CTRL[,CTRL...]:PATH -r NAME=VALUE [-r ...] CMD [ARG...]
 *
 * libcgroup 3.x's cgexec (cgroup-tools): options end at CMD (no permutation:
 * CMD's own options stay CMD's), -s is --sticky, -b is accepted (no
 * systemd delegated slice is ever prefixed), wrong input exits 129.
 * It moves itself into the group in the
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
#include "cgcommon.h"
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
	"  -b\t\t\t\tIgnore default systemd delegate hierarchy\n"
	"\t\t\t\t(ctrbox never uses one: no effect)\n"
	"  -s, --sticky\t\t\tcgred daemon does not change pidlist and children tasks\n"
	"\t\t\t\t(ctrbox has no such daemon: accepted, no effect)\n"
	"  -V, --version\t\t\tDisplay version\n";

static const struct option longopts[] = {
	{ "sticky", no_argument, NULL, 's' },
	{ "variable", required_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct cg_optdef optdef = { "+:bg:hr:sV", longopts, usage_text, NULL, NULL };

struct opts {
	struct cg_list groups;
	struct cg_settings set;
	char **cmd;
};

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = cg_getopt(argc, argv, &optdef)) != -1) {
		switch (c) {
		case 'g':
			cg_add(&o->groups, optarg, "-g options");
			break;
		case 'r':
			cg_add_setting(&o->set, optarg);
			break;
		case 's':
			break;
		}
	}
	if (!o->groups.n)
		ctr_usage_error("no group given: -g <controllers>:<path> (cgrules.conf is not "
				"supported)");
	if (o->set.n && o->groups.n != 1)
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
	for (i = 0; i < o->set.n; i++) {
		if (ctr_cgroup_check(o->set.name[i], o->set.value[i], &e) < 0)
			ctr_die(&e);
		ctr_cgroup_knob_ctrl(o->set.name[i], ctrl, sizeof(ctrl));
		if (ctr_cgroup_spec_add(l, s, ctrl, &e) < 0)
			ctr_die(&e);
	}
	if (!s->group[0])
		ctr_errx("cannot use a hierarchy's root as a transient group");
	if (ctr_cgroup_create(l, s, 1, &u, &e) < 0)
		goto fail;
	for (i = 0; i < o->set.n; i++)
		if (ctr_cgroup_set(l, s->group, o->set.name[i], o->set.value[i], NULL, &e) < 0)
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
	static struct ctr_cg_spec specs[CG_MAX];
	struct ctr_cg_layout l;
	struct ctr_err e;
	struct opts o;
	int i;

	cg_setup();
	parse_args(argc, argv, &o);
	cg_layout(&l);
	for (i = 0; i < o.groups.n; i++)
		cg_spec(&l, o.groups.v[i], &specs[i]);
	if (o.set.n)
		run_transient(&l, &specs[0], &o);
	for (i = 0; i < o.groups.n; i++)
		if (ctr_cgroup_exists(&l, &specs[i], &e) < 0)
			ctr_die(&e);
	for (i = 0; i < o.groups.n; i++)
		if (ctr_cgroup_attach(&l, &specs[i], 0, &e) < 0)
			ctr_die(&e);
	ctr_exec_or_die(o.cmd);
}
