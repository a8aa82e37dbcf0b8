/* ocirun_info.c: ocirun's verbs beside the lifecycle (state, list, ps, kill,
 * pause/resume, spec, features) and the container open/destroy helpers they
 * share with ocirun.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "ctr/buf.h"
#include "ctr/engine.h"
#include "ctr/json.h"
#include "ctr/oci.h"
#include "ctr/ocistate.h"
#include "ctr/opt.h"
#include "ctr/proc.h"
#include "ocirun.h"

void destroy_container(struct ctr_ocist *st, int run_hooks)
{
	struct ctr_engine c;
	struct ctr_err e = { 0 };
	int status = ctr_ocist_status(st);

	memset(&c, 0, sizeof(c));
	c.pid = status == CTR_OCIST_STOPPED || st->pid <= 0 ? -1 : st->pid;
	if (status == CTR_OCIST_STALE)   /* the creator died: init is in the group */
		c.pid = -1;
	c.pidfd = c.sock = c.pty_master = -1;
	snprintf(c.cgroup, sizeof(c.cgroup), "%s", st->cgroup);
	c.cgroup_made = st->cgroup_made;
	ctr_engine_destroy(&c);
	/* poststop: failures are warnings (runtime spec) */
	if (run_hooks && st->hooks &&
	    ctr_ocist_run_hooks(st->hooks, "poststop", st, CTR_OCIST_STOPPED, &e) < 0)
		warn_e(&e);
	ctr_ocist_remove(st);
}

int open_container(struct ctr_ocist *st, const char *id, int lock)
{
	struct ctr_err e = { 0 };
	int status = ctr_ocist_open(st, g_root, id, lock, 0, &e);

	if (status < 0)
		die_e(&e);
	if (status == CTR_OCIST_STALE) {
		destroy_container(st, 0);
		die("container does not exist: %s (its creation was cut short; removed)", id);
	}
	return status;
}

int cmd_state(int argc, char *argv[])
{
	static const int ok[] = { 0 };
	struct ctr_ocist st;
	struct ctr_err e = { 0 };
	struct ctr_json_w w;
	struct opts o;
	const char *id = need_id(argc, argv, parse_cmd(argc, argv, "state", ok, &o), "state");
	int status = ctr_ocist_open(&st, g_root, id, F_RDLCK, 1, &e);

	if (status < 0)
		die_e(&e);
	if (status == CTR_OCIST_STALE) {
		ctr_ocist_close(&st);
		status = open_container(&st, id, F_WRLCK);   /* removes it and dies */
	}
	ctr_json_w_init(&w, 1, 1);
	ctr_ocist_write_json(&w, &st, status, 1);
	if (ctr_json_w_flush(&w, 1) < 0)
		die("cannot write the state: %s", strerror(errno));
	ctr_ocist_close(&st);
	return 0;
}

int cmd_kill(int argc, char *argv[])
{
	static const int ok[] = { O_ALL, 0 };
	struct ctr_ocist st;
	struct ctr_err e = { 0 };
	struct opts o;
	int i = parse_cmd(argc, argv, "kill", ok, &o), sig = SIGTERM, status, n, k;
	const char *id = need_id(argc, argv, i, "kill");
	pid_t pids[4096];

	if (i + 1 < argc && ctr_opt_signal(argv[i + 1], &sig) < 0)
		die("invalid signal: %s", argv[i + 1]);
	status = open_container(&st, id, F_RDLCK);
	if (status == CTR_OCIST_STOPPED && !o.all)
		die("container not running");
	if (o.all) {
		n = ctr_ocist_pids(&st, pids, 4096, &e);
		if (n < 0)
			die_e(&e);
		for (k = 0; k < n && k < 4096; k++)
			kill(pids[k], sig);
		/* a frozen task gets its signal once thawed (runc: same) */
		if (status == CTR_OCIST_PAUSED && sig == SIGKILL)
			ctr_ocist_freeze(&st, 0, &e);
	} else if (kill(st.pid, sig) < 0) {
		die(errno == ESRCH ? "no such process" : "cannot signal %d: %s", (int)st.pid,
		    strerror(errno));
	}
	ctr_ocist_close(&st);
	return 0;
}

int cmd_pause(int argc, char *argv[], int freeze)
{
	static const int ok[] = { 0 };
	struct ctr_ocist st;
	struct ctr_err e = { 0 };
	struct opts o;
	const char *cmd = freeze ? "pause" : "resume";
	const char *id = need_id(argc, argv, parse_cmd(argc, argv, cmd, ok, &o), cmd);
	int status = open_container(&st, id, F_WRLCK);

	if (status != (freeze ? CTR_OCIST_RUNNING : CTR_OCIST_PAUSED))
		die("container %s is %s, not %s", id, ctr_ocist_status_name(status),
		    freeze ? "running" : "paused");
	if (ctr_ocist_freeze(&st, freeze, &e) < 0)
		die_e(&e);
	ctr_ocist_close(&st);
	return 0;
}

int cmd_list(int argc, char *argv[])
{
	static const int ok[] = { O_FORMAT, O_QUIET, 0 };
	struct ctr_ocist st;
	struct ctr_err e;
	struct ctr_json_w w;
	struct dirent *d;
	struct opts o;
	int json, status;
	DIR *dir;

	parse_cmd(argc, argv, "list", ok, &o);
	json = strcmp(o.format, "json") == 0;
	dir = opendir(g_root);
	if (!dir && errno != ENOENT)
		die("cannot read %s: %s", g_root, strerror(errno));
	ctr_json_w_init(&w, 1, 0);
	if (json)
		ctr_json_w_arr(&w);
	else if (!o.quiet)
		printf("%-12s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE",
		       "CREATED", "OWNER");
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.' || !ctr_ocist_valid_id(d->d_name))
			continue;
		status = ctr_ocist_open(&st, g_root, d->d_name, F_RDLCK, 1, &e);
		if (status < 0 || status == CTR_OCIST_STALE) {
			ctr_ocist_close(&st);
			continue;
		}
		if (json)
			ctr_ocist_write_json(&w, &st, status, 1);
		else if (o.quiet)
			printf("%s\n", st.id);
		else
			printf("%-12s %-8d %-10s %-40s %-30s %s\n", st.id,
			       status == CTR_OCIST_STOPPED ? 0 : (int)st.pid,
			       ctr_ocist_status_name(status), st.bundle, st.created, "root");
		ctr_ocist_close(&st);
	}
	if (dir)
		closedir(dir);
	if (json) {
		ctr_json_w_end(&w);
		ctr_json_w_flush(&w, 1);
	}
	return 0;
}

/* `ps`: json, the pids of the cgroup; table, `ps ARGS` (default -ef)
 * filtered to those pids by its PID column, as runc. */
int cmd_ps(int argc, char *argv[])
{
	static const int ok[] = { O_FORMAT, 0 };
	static pid_t pids[8192];
	struct ctr_buf out = CTR_BUF_INIT;
	struct ctr_ocist st;
	struct ctr_err e = { 0 };
	struct ctr_json_w w;
	struct opts o;
	int i = parse_cmd(argc, argv, "ps", ok, &o), n, k, col = -1, p[2], wst;
	const char *id = need_id(argc, argv, i, "ps");
	char *line, *next, *ps_argv[64] = { "ps", "-ef" };
	pid_t child;

	open_container(&st, id, F_RDLCK);
	n = ctr_ocist_pids(&st, pids, 8192, &e);
	ctr_ocist_close(&st);
	if (n < 0)
		die_e(&e);
	if (n > 8192)
		n = 8192;
	if (strcmp(o.format, "json") == 0) {
		ctr_json_w_init(&w, 1, 0);
		ctr_json_w_arr(&w);
		for (k = 0; k < n; k++)
			ctr_json_w_int(&w, pids[k]);
		ctr_json_w_end(&w);
		ctr_json_w_flush(&w, 1);
		return 0;
	}
	for (k = 1; i + k < argc && k < 63; k++)
		ps_argv[k] = argv[i + k];
	if (k > 1)
		ps_argv[k] = NULL;
	if (pipe2(p, O_CLOEXEC) < 0 || (child = fork()) < 0)
		die("cannot run ps: %s", strerror(errno));
	if (child == 0) {
		dup2(p[1], 1);
		execvp("ps", ps_argv);
		_exit(127);
	}
	close(p[1]);
	if (ctr_buf_read_fd(&out, p[0]) < 0)
		die("cannot read from ps: %s", strerror(errno));
	close(p[0]);
	ctr_proc_wait(child, &wst, 0);
	for (line = out.p; line && *line; line = next) {
		char *tok = line, *end;
		int c = 0;
		long v = -1;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		/* the PID column: found by name in the header line */
		for (c = 0; *tok; c++) {
			tok += strspn(tok, " \t");
			end = tok + strcspn(tok, " \t");
			if (col < 0 && end - tok == 3 && strncmp(tok, "PID", 3) == 0)
				break;
			if (col >= 0 && c == col) {
				v = strtol(tok, NULL, 10);
				break;
			}
			tok = end;
		}
		if (col < 0) {
			if (!*tok)
				die("ps: no PID column in the output of ps");
			col = c;
			puts(line);
			continue;
		}
		for (k = 0; k < n; k++)
			if (pids[k] == v) {
				puts(line);
				break;
			}
	}
	ctr_buf_free(&out);
	return WIFEXITED(wst) && WEXITSTATUS(wst) == 0 ? 0 : 1;
}

int cmd_spec(int argc, char *argv[])
{
	static const int ok[] = { O_BUNDLE, O_ROOTLESS, 0 };
	struct ctr_err e = { 0 };
	struct opts o;
	char path[4200];
	int fd;

	parse_cmd(argc, argv, "spec", ok, &o);
	snprintf(path, sizeof(path), "%s/config.json", o.bundle ? o.bundle : ".");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		die(errno == EEXIST ? "File %s exists. Remove it first" : "cannot create %s: %s",
		    path, strerror(errno));
	if (ctr_oci_write_default(fd, &e) < 0 || close(fd) < 0)
		die("cannot write %s: %s", path, strerror(errno));
	return 0;
}

int cmd_features(int argc, char *argv[])
{
	static const int ok[] = { 0 };
	struct opts o;

	parse_cmd(argc, argv, "features", ok, &o);
	if (ctr_oci_write_features(1) < 0)
		die("cannot write: %s", strerror(errno));
	return 0;
}
