/* engine.c: the container engine's executor on the caller's side (HOST and
 * PARENT phases), the clone, the child's driver, start and destroy. The
 * plan is built in engine_plan.c. The child's mount work is in engine_mnt.c, its process work
 * (identity, caps, seccomp, exec) in engine_proc.c. See ctr/engine.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ctr/compat.h"
#include "ctr/dir.h"
#include "ctr/idmap.h"
#include "ctr/ns.h"
#include "ctr/proc.h"
#include "engine_int.h"

/* ---- the sync socket ----------------------------------------------------- */

int ctr_eng_send(int sock, int type, int status, const struct ctr_err *e)
{
	struct ctr_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.status = status;
	if (e) {
		m.err = e->err;
		snprintf(m.what, sizeof(m.what), "%.63s", e->what ? e->what : "");
		snprintf(m.detail, sizeof(m.detail), "%.399s", e->detail);
	}
	return send(sock, &m, sizeof(m), MSG_NOSIGNAL) == (ssize_t)sizeof(m) ? 0 : -1;
}

/* One packet; *fd gets a passed descriptor. 0 at EOF, -1 on error. */
static int recv_msg(int sock, struct ctr_msg *m, int *fd)
{
	struct iovec iov = { m, sizeof(*m) };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return (int)n;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	if ((size_t)n != sizeof(*m)) {
		/* a pty from ctr_tty_send_fd: its name, and the fd */
		if (fd && *fd >= 0) {
			m->type = MSG_PTY;
			return 1;
		}
		errno = EPROTO;
		return -1;
	}
	return 1;
}

/* Turn a child's MSG_ERROR into e. */
static int msg_error(const struct ctr_msg *m, struct ctr_engine *c, struct ctr_err *e)
{
	static char what[64];

	memcpy(what, m->what, sizeof(what));
	what[sizeof(what) - 1] = 0;
	c->exec_status = m->status ? m->status : 125;
	ctr_err_set(e, m->err, what, "%.*s", (int)sizeof(m->detail) - 1, m->detail);
	return -1;
}

/* ---- the child ----------------------------------------------------------- */

static int run_child_op(struct ctr_ectx *x, const struct ctr_op *op, struct ctr_err *e)
{
	const struct ctr_spec *s = x->s;
	struct ctr_msg m;
	int fd, rc;

	switch (op->kind) {
	case OP_WAIT_GO:
		rc = ctr_eng_go_needed(x) ? recv_msg(x->sock, &m, NULL) : 1;
		if (rc <= 0 || (ctr_eng_go_needed(x) && m.type != MSG_GO))
			_exit(125);  /* the creator failed or died: it reports */
		if (x->have_cg && x->v1_self) {
			struct ctr_cg_spec *v1 = &x->cgs;   /* ours: a copy */

			for (fd = 0; fd < x->cgl->n; fd++)
				if (x->cgl->h[fd].version != 1)
					v1->hmask &= ~(1u << fd);
			if (v1->hmask && ctr_cgroup_attach(x->cgl, v1, 0, e) < 0)
				return -1;
		}
		/* in a new user namespace, its maps written: become its root
		 * (runc's nsexec), or files we make have no owner (EOVERFLOW) */
		if (ctr_eng_ns_new(s, CLONE_NEWUSER) && (syscall(SYS_setresgid, 0, 0, 0) < 0 || syscall(SYS_setresuid, 0, 0, 0) < 0))
			return ctr_err_sys(e, "cannot become root in the user namespace", NULL);
		return 0;
	case OP_JOIN_NS:
		fd = open(s->ns[op->index].path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return ctr_err_sys(e, "cannot open namespace", "%s", s->ns[op->index].path);
		rc = ctr_ns_setns(fd, s->ns[op->index].type);
		close(fd);
		return rc < 0 ? ctr_err_sys(e, "cannot join namespace", "%s",
					    s->ns[op->index].path) : 0;
	case OP_CGROUP_NS:
		/* after the parent moved us into the group: the new cgroup
		 * namespace is rooted there */
		return unshare(CLONE_NEWCGROUP) < 0 ?
			ctr_err_sys(e, "cannot create cgroup namespace", NULL) : 0;
	case OP_PROPAGATION:
	case OP_ROOT_OVERLAY:
	case OP_ROOT_BIND:
		return op->kind == OP_PROPAGATION ? 0 : ctr_eng_root(x, e);
	case OP_MOUNT:
		return ctr_eng_mount(x, &s->mounts[op->index], e);
	case OP_DEV_NODES:
	case OP_DEVICE:
	case OP_DEV_LINKS:
		return ctr_eng_dev(x, op->kind, op->index, e);
	case OP_LOOPBACK:
		return ctr_eng_loopback(e);
	case OP_HOSTNAME:
		if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
			return ctr_err_sys(e, "sethostname", "%s", s->hostname);
		if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
			return ctr_err_sys(e, "setdomainname", "%s", s->domainname);
		return 0;
	case OP_HOOK_CONTAINER:
		/* in the cwd the container process started in, as before the
		 * mounts (which enter their targets) */
		if (x->cwdfd >= 0 && fchdir(x->cwdfd) < 0)
			return ctr_err_sys(e, "fchdir", NULL);
		return x->o->hook ? x->o->hook(x->o->hook_arg, CTR_HOOK_CREATE_CONTAINER, 0, e) : 0;
	case OP_PIVOT:
		return ctr_eng_pivot(x, e);
	case OP_WAIT_START:
		if (ctr_eng_send(x->sock, MSG_READY, 0, NULL) < 0)
			_exit(125);
		if (x->fifo_fd >= 0) {
			char path[64];

			/* blocks until `start` opens the fifo for reading */
			snprintf(path, sizeof(path), "/proc/self/fd/%d", x->fifo_fd);
			fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd < 0 || write(fd, "0", 1) != 1)
				return ctr_err_sys(e, "cannot open the exec fifo", NULL);
			close(fd);
			close(x->fifo_fd);
			return 0;
		}
		if (x->o->start_now)
			return 0;
		rc = recv_msg(x->sock, &m, NULL);
		if (rc <= 0 || m.type != MSG_START)
			_exit(125);
		return 0;
	case OP_HOOK_START:
		return x->o->hook ? x->o->hook(x->o->hook_arg, CTR_HOOK_START_CONTAINER, 0, e) : 0;
	}
	return ctr_eng_run_root_op(x, op->kind, op->index, e);
}

_Noreturn void ctr_eng_child_main(struct ctr_ectx *x, const struct ctr_plan *p)
{
	struct ctr_err e = { 0 };
	struct pollfd pfd = { .fd = x->sock, .events = 0 };
	size_t i;
	int fd;

	/* Die with the creator. A creator that died before the prctl is seen
	 * on the socket (getppid() proves nothing as pid 1 of a new pid ns). */
	if (!x->o->detach) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR)))
			_exit(125);
	}
	/* CVE-2019-5736: no process of the container may open our image
	 * through /proc/PID/exe while we are ctrbox. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(SIGPIPE, SIG_DFL);
	if (x->s->nhooks[CTR_HOOK_CREATE_CONTAINER])
		x->cwdfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (i = 0; i < 3; i++)
		if (x->o->stdio[i] >= 0 && x->o->stdio[i] != (int)i &&
		    dup2(x->o->stdio[i], (int)i) < 0)
			goto fail_sys;
	if (setsid() < 0 && errno != EPERM)
		goto fail_sys;
	if (x->o->exec_fifo) {
		fd = open(x->o->exec_fifo, O_PATH | O_CLOEXEC);
		if (fd < 0) {
			ctr_err_sys(&e, "cannot open the exec fifo", "%s", x->o->exec_fifo);
			goto fail;
		}
		x->fifo_fd = fd;
	}
	for (i = 0; i < p->n; i++) {
		if (p->op[i].phase < CTR_PHASE_CHILD)
			continue;
		if (run_child_op(x, &p->op[i], &e) < 0)
			goto fail;
	}
	_exit(127);   /* OP_EXEC does not return */
fail_sys:
	ctr_err_sys(&e, "cannot set up stdio", NULL);
fail:
	ctr_eng_send(x->sock, MSG_ERROR, 125, &e);
	_exit(125);
}

/* ---- create / start / destroy -------------------------------------------- */

static int clone_flags(const struct ctr_spec *s)
{
	int flags = 0;
	size_t i;

	for (i = 0; i < s->nns; i++)
		if (!s->ns[i].path && s->ns[i].type != CLONE_NEWCGROUP)
			flags |= s->ns[i].type;
	return flags;
}

/* cgroup v2: the child is born in its group (clone3 CLONE_INTO_CGROUP,
 * 5.7+), so it never runs a moment outside its limits and needs no
 * cgroup.procs write. Anything refusing clone3 (an old kernel, a seccomp
 * filter of an outer container: ENOSYS, E2BIG, EPERM) gets plain clone and
 * the join by write. */
struct ctr_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		 set_tid, set_tid_size, cgroup;
};
#define CTR_CLONE_INTO_CGROUP 0x200000000ULL

static pid_t clone_child(struct ctr_ectx *x, int flags)
{
	struct ctr_clone_args a;
	char dir[1100];
	int h = x->cgl->v2, fd;
	pid_t pid;

	/* v1: the child writes "0" to each group's tasks itself. The kernel
	 * moves the writer's own thread without its global threadgroup
	 * lock, whose RCU grace period (milliseconds) any other pid written
	 * there costs. Not when the child cannot (a new user namespace: not
	 * privileged over the host's groups) or a runtime hook must see the
	 * process in its groups before "go". */
	x->v1_self = !(flags & CLONE_NEWUSER) && !x->s->uid_map && !x->exec &&
		     !x->s->nhooks[CTR_HOOK_CREATE_RUNTIME] && !x->s->nhooks[CTR_HOOK_PRESTART];
	if (x->have_cg && h >= 0 && (x->cgs.hmask & (1u << h))) {
		ctr_cgroup_dir(x->cgl, h, x->cgs.group, dir, sizeof(dir));
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			memset(&a, 0, sizeof(a));
			a.flags = (uint64_t)(unsigned)flags | CTR_CLONE_INTO_CGROUP;
			a.exit_signal = SIGCHLD;
			a.cgroup = (uint64_t)fd;
			pid = (pid_t)syscall(SYS_clone3, &a, sizeof(a));
			close(fd);
			if (pid >= 0) {
				x->born_in_v2 = 1;   /* in the child as well */
				return pid;
			}
		}
	}
	return (pid_t)syscall(SYS_clone, SIGCHLD | flags, 0, 0, 0, 0);
}

/* The child runs its phases and reports READY (a pty on the way) or an
 * error. */
int ctr_eng_await_ready(struct ctr_engine *c, struct ctr_err *e)
{
	struct ctr_msg m;
	int ptyfd = -1;

	for (;;) {
		int rc = recv_msg(c->sock, &m, &ptyfd);

		if (rc < 0)
			return ctr_err_sys(e, "cannot read from the container process", NULL);
		if (rc == 0)
			return ctr_err_set(e, 0, "the container process died during setup", NULL);
		if (m.type == MSG_PTY) {
			c->pty_master = ptyfd;
			continue;
		}
		if (m.type == MSG_ERROR)
			return msg_error(&m, c, e);
		if (m.type == MSG_READY)
			return 0;
	}
}

int ctr_engine_create(const struct ctr_spec *s, const struct ctr_engine_opts *o,
		      struct ctr_engine *c, struct ctr_err *e)
{
	static struct ctr_plan plan;   /* 4 KiB: off the stack of a small supervisor */
	struct ctr_ectx x;
	const struct ctr_spec_ns *pidns;
	int sv[2], fd;
	size_t i;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->pidfd = c->sock = c->pty_master = -1;
	c->exec_status = 125;
	c->start_now = o->start_now && !o->exec_fifo;
	memset(&x, 0, sizeof(x));
	x.s = s;
	x.o = o;
	x.c = c;
	x.fifo_fd = x.pty_slave = x.rootfd = x.devfd = x.cwdfd = -1;
	x.cgl = &c->cgl;
	x.ngroups = -1;
	x.caller_uid = geteuid();
	if (ctr_spec_validate(s, e) < 0 || ctr_plan_build(s, &plan, e) < 0)
		return -1;
	for (i = 0; i < plan.n && plan.op[i].phase == CTR_PHASE_HOST; i++) {
		if (plan.op[i].kind == OP_CLONE)
			break;
		if (ctr_eng_run_parent_op(&x, &plan.op[i], e) < 0)
			goto fail;
	}
	if (ctr_eng_seccomp_prepare(&x, e) < 0)
		goto fail;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ctr_err_sys(e, "socketpair", NULL);
		goto fail;
	}
	pidns = ctr_spec_get_ns(s, CLONE_NEWPID);
	if (pidns && pidns->path) {
		/* Kernel rule: a pid namespace applies to children only, so it
		 * is joined here, before the clone. */
		fd = open(pidns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || ctr_ns_setns(fd, CLONE_NEWPID) < 0) {
			ctr_err_sys(e, "cannot join namespace", "%s", pidns->path);
			if (fd >= 0)
				close(fd);
			goto fail_sock;
		}
		close(fd);
	}
	/* A raw clone with fork semantics (no stack): all namespaces at once,
	 * the child is pid 1 of a new pid ns. musl's cached tid is stale in
	 * the child: it calls no raise()/pthread function before exec. */
	pid = clone_child(&x, clone_flags(s));
	if (pid < 0) {
		ctr_err_sys(e, "clone", NULL);
		goto fail_sock;
	}
	if (pid == 0) {
		close(sv[0]);
		x.sock = sv[1];
		ctr_eng_child_main(&x, &plan);
	}
	close(sv[1]);
	x.sock = c->sock = sv[0];
	c->pid = pid;
	c->pidfd = ctr_pidfd_open(pid, 0);
	for (; i < plan.n && plan.op[i].phase <= CTR_PHASE_PARENT; i++)
		if (plan.op[i].kind != OP_CLONE && ctr_eng_run_parent_op(&x, &plan.op[i], e) < 0)
			goto fail;
	if (ctr_eng_await_ready(c, e) < 0)
		goto fail;
	c->start_time = ctr_proc_start_time(c->pid);
	if (x.have_cg)
		ctr_cgroup_undo_free(&x.cgu);
	c->exec_status = 0;
	return 0;
fail_sock:
	close(sv[0]);
	close(sv[1]);
fail:
	i = c->exec_status;
	if (x.have_cg)
		ctr_cgroup_undo_free(&x.cgu);
	ctr_engine_destroy(c);
	c->exec_status = (int)i;
	return -1;
}

int ctr_engine_start(struct ctr_engine *c, struct ctr_err *e)
{
	struct ctr_msg m;
	int rc;

	if (c->sock < 0)
		return ctr_err_set(e, EINVAL, "container already started", NULL);
	if (!c->start_now && ctr_eng_send(c->sock, MSG_START, 0, NULL) < 0) {
		c->exec_status = 125;
		return ctr_err_sys(e, "cannot start the container process", NULL);
	}
	/* The socket is close-on-exec in the container: EOF means exec. */
	rc = recv_msg(c->sock, &m, NULL);
	close(c->sock);
	c->sock = -1;
	if (rc > 0 && m.type == MSG_ERROR)
		return msg_error(&m, c, e);
	return 0;
}

int ctr_engine_start_fifo(const char *fifo, struct ctr_err *e)
{
	char b;
	int fd = open(fifo, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return ctr_err_sys(e, "cannot open the exec fifo", "%s", fifo);
	if (read(fd, &b, 1) != 1) {
		close(fd);
		return ctr_err_set(e, EIO, "the container did not start", "%s", fifo);
	}
	close(fd);
	unlink(fifo);
	return 0;
}

void ctr_engine_release(struct ctr_engine *c)
{
	if (c->sock >= 0)
		close(c->sock);
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->pty_master >= 0)
		close(c->pty_master);
	c->sock = c->pidfd = c->pty_master = -1;
}

/* An unmounted overlay's work dir holds one empty "work" dir (its scratch
 * space): two rmdir(2)s, the tree walk only for anything else. */
static int rm_work_dir(const char *work)
{
	char sub[PATH_MAX + 8];

	snprintf(sub, sizeof(sub), "%s/work", work);
	return rmdir(sub) == 0 && rmdir(work) == 0;
}

void ctr_engine_destroy(struct ctr_engine *c)
{
	struct ctr_cg_layout own;
	const struct ctr_cg_layout *l = c->have_cgl ? &c->cgl : &own;
	struct ctr_cg_spec s;
	struct ctr_err e;
	int st;

	if (c->pid > 0) {
		if (c->pidfd >= 0)
			ctr_pidfd_send_signal(c->pidfd, SIGKILL);
		else
			kill(c->pid, SIGKILL);
		/* ours to reap if it is our child; ECHILD otherwise */
		waitpid(c->pid, &st, 0);
		c->pid = -1;
	}
	ctr_engine_release(c);
	if (c->cgroup_made && c->cgroup[0] && (c->have_cgl || ctr_cgroup_layout(&own, &e) == 0)) {
		memset(&s, 0, sizeof(s));
		snprintf(s.group, sizeof(s.group), "%s", c->cgroup);
		if (c->have_cgl)
			s.hmask = c->cgmask;
		else
			ctr_eng_cg_spec(l, &s, CTR_ENG_CG_ALL);
		/* a group that will not go (a process still dying) stays
		 * marked: the caller may try again later */
		if (ctr_cgroup_drain(l, &s, 2000, &e) == 0)
			c->cgroup_made = 0;
	}
	if (c->upper[0])
		ctr_engine_rm_tree(c->upper);
	if (c->work[0] && !rm_work_dir(c->work))
		ctr_engine_rm_tree(c->work);
	if (c->merged[0])
		rmdir(c->merged);
	c->upper[0] = c->work[0] = c->merged[0] = 0;
}
