/* engine_exec.c: a new process in a running container (runc exec, docker
 * exec). The caller's fork joins every namespace of the container's init
 * (user first, mount last) after the parent moved it into the container's
 * cgroup; as pid 1's namespace applies to children only, it forks again and
 * the grandchild runs the ROOT and FINAL ops of the plan of s (the
 * container's spec with the process to run): cwd, user, rlimits, caps,
 * no_new_privs, seccomp, fd closing, exec; never the container's creation
 * (mounts, masks, sysctls, hooks, the wait point). The grandchild's pid is
 * in c->pid; it is nobody's child once the middle process exits: a
 * subreaper (the shim, conmon, or a caller that set PR_SET_CHILD_SUBREAPER)
 * reaps it. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ctr/cgroup.h"
#include "ctr/ns.h"
#include "engine_int.h"

static _Noreturn void grandchild(struct ctr_ectx *x, const struct ctr_plan *p)
{
	struct ctr_err e = { 0 };
	size_t i;

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (setsid() < 0 && errno != EPERM)
		_exit(125);
	for (i = 0; i < p->n; i++) {
		const struct ctr_op *op = &p->op[i];

		if (op->phase < CTR_PHASE_ROOT || op->kind == OP_WAIT_START ||
		    op->kind == OP_HOOK_START || op->kind == OP_PDEATHSIG)
			continue;
		if (ctr_eng_run_root_op(x, op->kind, op->index, &e) < 0) {
			ctr_eng_send(x->sock, MSG_ERROR, 125, &e);
			_exit(125);
		}
	}
	_exit(127);
}

int ctr_engine_exec(const struct ctr_spec *s, pid_t target, const char *cgroup,
		    const struct ctr_engine_opts *o, struct ctr_engine *c, struct ctr_err *e)
{
	static const char *const nsnames[] = { "user", "cgroup", "ipc", "uts", "net", "pid",
					       "mnt" };
	static struct ctr_plan plan;
	struct ctr_spec sp = *s;
	struct ctr_ectx x;
	struct ctr_msg m;
	char path[64];
	int fds[7], sv[2], st, rc, fd = -1;
	size_t i, n = 0;
	pid_t mid;

	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->pidfd = c->sock = c->pty_master = -1;
	c->exec_status = 125;
	/* the process alone: nothing of the container's creation */
	sp.mounts = NULL;
	sp.nmounts = 0;
	sp.masked_paths = sp.readonly_paths = sp.sysctls = NULL;
	sp.root.readonly = 0;
	sp.hostname = sp.domainname = NULL;
	sp.default_devices = 0;
	sp.ndevices = 0;
	memset(sp.nhooks, 0, sizeof(sp.nhooks));
	if (ctr_plan_build(&sp, &plan, e) < 0)
		return -1;
	for (i = 0; i < sizeof(nsnames) / sizeof(nsnames[0]); i++) {
		struct stat a, b;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)target, nsnames[i]);
		if (stat(path, &a) < 0) {
			if (errno == ENOENT)
				continue;
			ctr_err_sys(e, "cannot find the container's namespace", "%s", path);
			goto fail_fds;
		}
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nsnames[i]);
		if (stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			continue;   /* shared with us: nothing to join */
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)target, nsnames[i]);
		fds[n] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[n] < 0) {
			ctr_err_sys(e, "cannot open the container's namespace", "%s", path);
			goto fail_fds;
		}
		n++;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ctr_err_sys(e, "socketpair", NULL);
		goto fail_fds;
	}
	mid = fork();
	if (mid < 0) {
		ctr_err_sys(e, "fork", NULL);
		goto fail_sock;
	}
	if (mid == 0) {
		pid_t gc;

		close(sv[0]);
		memset(&x, 0, sizeof(x));
		x.s = &sp;
		x.o = o;
		x.c = c;
		x.sock = sv[1];
		x.fifo_fd = x.pty_slave = x.rootfd = -1;
		x.ngroups = -1;
		x.caller_uid = geteuid();
		/* the parent moves us into the cgroup first */
		if (ctr_eng_recv(sv[1], &m, &fd) <= 0 || m.type != MSG_GO)
			_exit(125);
		for (i = 0; i < n; i++)
			if (ctr_ns_setns(fds[i], 0) < 0) {
				struct ctr_err ee;
				ctr_err_sys(&ee, "cannot join the container's namespace", "%s",
					    nsnames[i]);
				ctr_eng_send(sv[1], MSG_ERROR, 125, &ee);
				_exit(125);
			}
		for (i = 0; i < 3; i++)
			if (o->stdio[i] >= 0 && o->stdio[i] != (int)i)
				dup2(o->stdio[i], (int)i);
		gc = fork();
		if (gc == 0)
			grandchild(&x, &plan);
		memset(&m, 0, sizeof(m));
		m.type = MSG_READY;
		m.status = gc;
		send(sv[1], &m, sizeof(m), MSG_NOSIGNAL);
		_exit(gc < 0 ? 125 : 0);
	}
	close(sv[1]);
	c->sock = sv[0];
	if (cgroup && *cgroup) {
		struct ctr_cg_layout l;
		struct ctr_cg_spec cs;
		static const char *const ctrls[] = { "cpu", "cpuacct", "cpuset", "memory", "pids",
						     "devices", "freezer" };
		struct ctr_err ign;

		memset(&cs, 0, sizeof(cs));
		snprintf(cs.group, sizeof(cs.group), "%s", cgroup);
		if (ctr_cgroup_layout(&l, e) < 0)
			goto fail_mid;
		for (i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++)
			ctr_cgroup_spec_add(&l, &cs, ctrls[i], &ign);
		if (cs.hmask && ctr_cgroup_attach(&l, &cs, mid, e) < 0)
			goto fail_mid;
	}
	if (ctr_eng_send(sv[0], MSG_GO, 0, NULL) < 0) {
		ctr_err_sys(e, "cannot start the exec process", NULL);
		goto fail_mid;
	}
	for (;;) {
		rc = ctr_eng_recv(sv[0], &m, &fd);
		if (rc < 0) {
			ctr_err_sys(e, "cannot read from the exec process", NULL);
			goto fail_mid;
		}
		if (rc == 0)
			break;   /* both ends closed: the middle exited, the exec happened */
		if (m.type == MSG_READY && m.status > 0)
			c->pid = m.status;
		else if (m.type == MSG_PTY)
			c->pty_master = fd;
		else if (m.type == MSG_ERROR) {
			c->exec_status = m.status ? m.status : 125;
			ctr_err_set(e, m.err, "exec", "%.60s: %.380s", m.what, m.detail);
			goto fail_mid;
		}
	}
	waitpid(mid, &st, 0);
	close(sv[0]);
	c->sock = -1;
	for (i = 0; i < n; i++)
		close(fds[i]);
	if (c->pid <= 0)
		return ctr_err_set(e, EIO, "the exec process did not start", NULL);
	c->exec_status = 0;
	return 0;
fail_mid:
	kill(mid, SIGKILL);
	waitpid(mid, &st, 0);
	if (c->pid > 0)
		kill(c->pid, SIGKILL);
	if (c->pty_master >= 0)
		close(c->pty_master);
	c->pty_master = -1;
fail_sock:
	close(sv[0]);
	if (mid < 0)
		close(sv[1]);
	c->sock = -1;
fail_fds:
	while (n)
		close(fds[--n]);
	return -1;
}
