/* ocirun_exec.c: `ocirun exec`, a new process in a running container
 * (podman exec through conmon, containerd's exec: --process FILE --detach
 * --pid-file), on the engine's ctr_engine_exec. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "common.h"
#include "ctr/caps.h"
#include "ctr/engine.h"
#include "ctr/opt.h"
#include "ctr/tty.h"
#include "ocirun.h"

/* exec: the container's process spec (from its bundle's config.json) with
 * --process FILE's process object in its place, or CMD and the options. */
int cmd_exec(int argc, char *argv[])
{
	static const int ok[] = { O_CONSOLE, O_CWD, O_ENV, O_TTY, O_USER, O_PROCESS, O_DETACH,
				  O_PIDFILE, O_NNP, O_CAP, O_PRESERVE, O_IGNPAUSED, 0 };
	struct ctr_spec_process *pr;
	struct ctr_engine_opts eo;
	struct ctr_engine eng;
	struct ctr_ocist st;
	struct ctr_json *doc = NULL;
	struct ctr_err e = { 0 };
	struct creation cr;
	struct opts o;
	int i = parse_cmd(argc, argv, "exec", ok, &o), status, k, c, tty, wst, rc = 0;
	const char *id = need_id(argc, argv, i, "exec");
	char name[64];

	status = open_container(&st, id, F_RDLCK);
	if (status != CTR_OCIST_RUNNING && status != CTR_OCIST_CREATED)
		die("cannot exec in a %s container", ctr_ocist_status_name(status));
	if (ctr_oci_load(&cr.oci, st.bundle, &e) < 0 ||
	    (cr.oci.seccomp && ctr_oci_seccomp_attach(&cr.oci, &e) < 0))
		die_e(&e);
	pr = &cr.oci.spec.process;
	if (o.process) {
		if (!(doc = ctr_json_load(AT_FDCWD, o.process, 0, &e)))
			die_e(&e);
		memset(pr, 0, sizeof(*pr));
		pr->umask = -1;
		if (ctr_oci_process(&cr.oci, &cr.oci.spec, doc, &e) < 0)
			die_e(&e);
	} else {
		if (i + 1 >= argc)
			ctr_usage_error("exec: a command is needed");
		pr->args = argv + i + 1;
		pr->terminal = o.tty;
		pr->no_new_privs |= o.nnp;
		if (o.cwd)
			pr->cwd = o.cwd;
		for (k = 0; k < o.nenv; k++)
			if (ctr_spec_setenv(&cr.oci.spec, o.env[k], &e) < 0)
				die_e(&e);
		if (o.user) {
			char *colon = strchr(o.user, ':');
			if (colon)
				*colon = 0;
			if (ctr_opt_id(o.user, &pr->uid) < 0 ||
			    (colon && ctr_opt_id(colon + 1, &pr->gid) < 0))
				die("exec: --user takes UID[:GID] (numbers): %s", o.user);
			pr->user = NULL;
		}
		for (k = 0; k < o.ncaps; k++) {
			if ((c = ctr_caps_by_name(o.caps[k])) < 0)
				die("exec: unknown capability %s", o.caps[k]);
			pr->caps.bounding |= 1ULL << c;
			pr->caps.effective |= 1ULL << c;
			pr->caps.permitted |= 1ULL << c;
		}
	}
	tty = pr->terminal && !o.console;
	if (tty && o.detach)
		die("cannot allocate tty if ocirun will detach without setting console socket");
	memset(&eo, 0, sizeof(eo));
	eo.id = id;
	eo.state_dir = st.dir;
	eo.stdio[0] = eo.stdio[1] = eo.stdio[2] = -1;
	eo.preserve_fds = o.preserve;
	eo.detach = o.detach;
	/* not detached: the process is ours to reap, whoever forked it */
	if (!o.detach)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (ctr_engine_exec(&cr.oci.spec, st.pid, &eo, &eng, &e) < 0) {
		warn_e(&e);
		rc = eng.exec_status ? eng.exec_status : 1;
		goto out;
	}
	if (o.console) {
		if (eng.pty_master < 0 || ioctl(eng.pty_master, TIOCGPTN, &k) < 0)
			k = 0;
		snprintf(name, sizeof(name), "/dev/pts/%d", k);
		if (eng.pty_master < 0 ||
		    ctr_tty_send_console(o.console, eng.pty_master, name, &e) < 0) {
			ctr_engine_destroy(&eng);
			die_e(&e);
		}
	}
	if (ctr_engine_start(&eng, &e) < 0) {
		warn_e(&e);
		rc = eng.exec_status ? eng.exec_status : 1;
		goto out;
	}
	if (o.pidfile)
		write_pid_file(o.pidfile, eng.pid);
	if (o.detach) {
		ctr_engine_release(&eng);
		goto out;
	}
	wst = ctr_engine_wait(&eng, tty ? 0 : -1, tty ? 1 : -1, &e);
	rc = ctr_engine_exit_code(wst < 0 ? 0 : wst);
	ctr_engine_release(&eng);
out:
	ctr_oci_free(&cr.oci);
	ctr_json_free(doc);
	ctr_ocist_close(&st);
	return rc;
}

