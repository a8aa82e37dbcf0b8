/* ctrrun_exec.c: `ctrrun exec [-i] [-t] [-d] [-e K=V] [-w DIR] [-u USER]
 * NAME CMD...`: CMD in a running container, joined to all its namespaces
 * and its cgroups, with the container process's capabilities, seccomp
 * filter, no_new_privs and user (docker exec's defaults; -u, -w, -e
 * override as in docker). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"
#include "ctr/tty.h"
#include "ctrrun.h"

static const char help[] =
"Usage: ctrrun exec [OPTIONS] NAME|ID CMD [ARG...]\n"
"\n"
"  -d, --detach           run CMD in the background\n"
"  -e, --env NAME=VALUE   set an environment variable\n"
"  -i, --interactive      keep stdin open\n"
"  -t, --tty              allocate a pty\n"
"  -u, --user USER[:GROUP]\n"
"  -w, --workdir DIR\n";

static const struct option lo[] = {
	{ "detach", no_argument, NULL, 'd' }, { "env", required_argument, NULL, 'e' },
	{ "interactive", no_argument, NULL, 'i' }, { "tty", no_argument, NULL, 't' },
	{ "user", required_argument, NULL, 'u' }, { "workdir", required_argument, NULL, 'w' },
	{ "help", no_argument, NULL, 'H' }, { NULL, 0, NULL, 0 },
};

static struct ctr_tty_saved saved = { .fd = -1 };

static void restore(void)
{
	ctr_tty_restore(&saved);
}

int ctrrun_exec(int argc, char **argv)
{
	static struct ctr_spec s;
	static struct ctr_engine c;
	struct ctr_engine_opts o = { .stdio = { -1, -1, -1 } };
	struct ctrrun_state st;
	struct ctr_json *cfg, *p, *n;
	struct ctr_err e;
	char dir[4200], id[65];
	const char *user = NULL, *workdir = NULL;
	int ch, detach = 0, inter = 0, tty = 0, null = -1, ws;
	char **envs = NULL;
	int64_t bnd = 0;

	ctr_spec_init(&s);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:de:itu:w:", lo, NULL)) != -1) {
		switch (ch) {
		case 'd': detach = 1; break;
		case 'e':
			if (ctr_spec_add_str(&s, &envs, optarg, &e) < 0)
				ctr_die(&e);
			break;
		case 'i': inter = 1; break;
		case 't': tty = 1; break;
		case 'u': user = optarg; break;
		case 'w':
			if (optarg[0] != '/')
				ctr_usage_error("the working directory '%s' is invalid, it needs to be an absolute path", optarg);
			workdir = optarg;
			break;
		case 'H': ctr_print_help(help);
		default: ctr_bad_option(ch, argv, lo);
		}
	}
	if (argc - optind < 2)
		ctr_usage_error("\"exec\" requires at least 2 arguments");
	if (ctrrun_find(argv[optind], dir, sizeof(dir), id) < 0)
		return 1;
	if (ctrrun_state_load(dir, &st) < 0 || strcmp(st.status, "running") ||
	    ctrrun_start_time(st.pid) != st.pid_start)
		ctr_errx("Error response from daemon: container %s is not running", id);
	if (tty && inter && !isatty(0))
		ctr_errx("the input device is not a TTY");
	cfg = ctrrun_config_load(dir);
	if (!cfg)
		return 125;
	/* the container process's identity and security, then the flags */
	p = ctr_json_get(ctr_json_get(cfg, "Ctrbox"), "Process");
	ctr_json_i64(ctr_json_get(p, "CapBnd"), &bnd);
	s.process.caps.bounding = s.process.caps.effective = s.process.caps.permitted = (uint64_t)bnd;
	s.process.no_new_privs = ctr_json_get(p, "NoNewPrivileges") &&
				 ctr_json_get(p, "NoNewPrivileges")->type == CTR_JSON_TRUE;
	s.seccomp = ctr_json_get(p, "Seccomp") && ctr_json_get(p, "Seccomp")->type == CTR_JSON_TRUE ?
		    CTR_SECCOMP_DEFAULT : CTR_SECCOMP_NONE;
	s.process.user = user ? user : ctr_json_str(ctr_json_get(p, "User"));
	for (n = ctr_json_get(p, "Env") ? ctr_json_get(p, "Env")->v.kid : NULL; n; n = n->next)
		if (ctr_json_str(n) && ctr_spec_setenv(&s, ctr_json_str(n), &e) < 0)
			ctr_die(&e);
	for (; envs && *envs; envs++)
		if (ctr_spec_setenv(&s, *envs, &e) < 0)
			ctr_die(&e);
	if (tty && ctr_spec_setenv(&s, "TERM=xterm", &e) < 0)
		ctr_die(&e);
	s.process.cwd = workdir ? workdir : ctr_json_str(ctr_json_get(ctr_json_get(cfg, "Config"), "WorkingDir"));
	if (!s.process.cwd || !*s.process.cwd)
		s.process.cwd = "/";
	s.process.args = argv + optind + 1;
	s.process.terminal = tty;
	o.detach = detach;
	if (!inter || detach) {
		null = open("/dev/null", O_RDWR | O_CLOEXEC);
		o.stdio[0] = null;
		if (detach)
			o.stdio[1] = o.stdio[2] = null;
	}
	if (tty && !detach && ctr_tty_raw(0, &saved) == 0)
		atexit(restore);
	if (ctr_engine_exec(&s, st.pid, &o, &c, &e) < 0 || ctr_engine_start(&c, &e) < 0) {
		restore();
		ctr_report(&e);
		return c.exec_status ? c.exec_status : 126;
	}
	if (null >= 0)
		close(null);
	if (detach) {
		ctr_engine_release(&c);
		return 0;
	}
	ws = ctr_engine_wait(&c, tty && inter ? 0 : -1, tty ? 1 : -1, &e);
	restore();
	return ctr_engine_exit_code(ws);
}
