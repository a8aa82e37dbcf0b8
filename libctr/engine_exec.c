/* engine_exec.c: a new process in a running container (docker exec, OCI
 * exec): the container's cgroups and namespaces joined, then the same ROOT
 * and FINAL ops a container's first process runs (terminal, user, cwd,
 * capabilities, no_new_privs, seccomp, exec). */
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
#include "ctr/compat.h"
#include "ctr/ns.h"
#include "ctr/nsjoin.h"
#include "engine_int.h"

static int build_exec_plan(const struct ctr_spec *s, struct ctr_plan *p, struct ctr_err *e)
{
	p->n = 0;
#define OP(ph, k) do { if (ctr_eng_push(p, CTR_PHASE_##ph, k, 0, e) < 0) return -1; } while (0)
	if (s->process.terminal)
		OP(ROOT, OP_PTY);
	OP(ROOT, OP_USER);
	OP(ROOT, OP_CWD);
	if (s->process.nrlimits)
		OP(ROOT, OP_RLIMITS);
	OP(ROOT, OP_UMASK);
	if (s->seccomp != CTR_SECCOMP_NONE && !s->process.no_new_privs)
		OP(ROOT, OP_SECCOMP_EARLY);
	OP(ROOT, OP_CAPS);
	if (s->process.no_new_privs)
		OP(ROOT, OP_NNP);
	if (s->seccomp != CTR_SECCOMP_NONE && s->process.no_new_privs)
		OP(ROOT, OP_SECCOMP);
	OP(FINAL, OP_CLOSE_FDS);
	OP(FINAL, OP_PDEATHSIG);
	OP(FINAL, OP_WAIT_START);
	OP(FINAL, OP_EXEC);
#undef OP
	return 0;
}

/* The order namespaces are entered in: the mount namespace last (it changes
 * our root, and with it what /proc shows); pid is entered by the caller,
 * for its children. */
/* user last: we keep our caps over the others, owned by it */
static const char *const ns_order[] = { "ipc", "uts", "net", "cgroup", "time", "mnt", "user" };
#define NNS (sizeof(ns_order) / sizeof(ns_order[0]))

int ctr_engine_exec(const struct ctr_spec *s, pid_t target, const struct ctr_engine_opts *o,
		    struct ctr_engine *c, struct ctr_err *e)
{
	static struct ctr_plan plan;
	struct ctr_ectx x;
	struct ctr_cgjoin cg = { 0 };
	struct stat a, b;
	char path[64];
	int fds[NNS], pidns = -1, ownpid = -1, sv[2] = { -1, -1 }, cgfd;
	size_t i;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->pidfd = c->sock = c->pty_master = -1;
	c->exec_status = 125;
	for (i = 0; i < NNS; i++)
		fds[i] = -1;
	memset(&x, 0, sizeof(x));
	x.s = s;
	x.o = o;
	x.c = c;
	x.fifo_fd = x.pty_slave = x.rootfd = x.devfd = x.cwdfd = -1;
	x.cgl = &c->cgl;
	x.ngroups = -1;
	x.exec = 1;
	if (!s->process.args || !s->process.args[0])
		return ctr_err_set(e, EINVAL, "spec", "process.args is empty");
	if (build_exec_plan(s, &plan, e) < 0 || ctr_eng_seccomp_prepare(&x, e) < 0)
		return -1;
	/* Everything is opened before any setns changes what /proc shows. */
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)target);
	cgfd = open(path, O_RDONLY | O_CLOEXEC);
	if (cgfd < 0)
		return ctr_err_sys(e, "cannot open", "%s", path);
	i = ctr_nsjoin_cgroup_open(cgfd, &cg, e) < 0;
	close(cgfd);
	if (i)
		return -1;
	for (i = 0; i < NNS + 1; i++) {
		const char *name = i < NNS ? ns_order[i] : "pid";
		int fd;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
		if (stat(path, &a) < 0)
			continue;   /* a type this kernel lacks */
		fd = ctr_ns_open(target, name);
		if (fd < 0) {
			ctr_err_sys(e, "cannot open namespace", "/proc/%d/ns/%s", (int)target, name);
			goto fail;
		}
		/* the same as ours: nothing to join */
		if (fstat(fd, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			close(fd);
			continue;
		}
		if (i < NNS)
			fds[i] = fd;
		else
			pidns = fd;
	}
	/* Kernel rule: a pid namespace is entered for children only; ours is
	 * restored right after the fork (our own is always allowed). */
	if (pidns >= 0 && ((ownpid = ctr_ns_open(0, "pid")) < 0 ||
			   ctr_ns_setns(pidns, CLONE_NEWPID) < 0)) {
		ctr_err_sys(e, "cannot join namespace", "pid");
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ctr_err_sys(e, "socketpair", NULL);
		goto fail;
	}
	/* CVE-2019-5736: the child is in the container's pid namespace from
	 * its first instruction; non-dumpable before it exists */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	pid = fork();
	if (pid < 0) {
		ctr_err_sys(e, "fork", NULL);
		goto fail;
	}
	if (pid == 0) {
		struct ctr_err ce = { 0 };

		close(sv[0]);
		x.sock = sv[1];
		if (ctr_nsjoin_cgroup_enter(&cg, &ce) < 0)
			goto child_fail;
		for (i = 0; i < NNS; i++)
			if (fds[i] >= 0 && setns(fds[i], 0) < 0) {
				ctr_err_sys(&ce, "cannot join namespace", "%s", ns_order[i]);
				goto child_fail;
			}
		/* setns(mnt) put us at the namespace's root: the container's */
		if (chdir("/") < 0) {
			ctr_err_sys(&ce, "cannot change directory to", "/");
			goto child_fail;
		}
		ctr_eng_child_main(&x, &plan);
child_fail:
		ctr_eng_send(x.sock, MSG_ERROR, 125, &ce);
		_exit(125);
	}
	if (ownpid >= 0) {
		ctr_ns_setns(ownpid, CLONE_NEWPID);
		close(ownpid);
	}
	close(sv[1]);
	sv[1] = -1;
	c->sock = sv[0];
	c->pid = pid;
	c->pidfd = ctr_pidfd_open(pid, 0);
	ctr_nsjoin_cgroup_close(&cg);
	for (i = 0; i < NNS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (pidns >= 0)
		close(pidns);
	if (ctr_eng_await_ready(c, e) < 0) {
		i = (size_t)c->exec_status;
		ctr_engine_destroy(c);
		c->exec_status = (int)i;
		return -1;
	}
	c->exec_status = 0;
	return 0;
fail:
	if (ownpid >= 0) {
		ctr_ns_setns(ownpid, CLONE_NEWPID);
		close(ownpid);
	}
	ctr_nsjoin_cgroup_close(&cg);
	for (i = 0; i < NNS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (pidns >= 0)
		close(pidns);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	return -1;
}
