/* nshelper.c: the helper process of unshare's persistence and id ranges.
 *
 * Kernel rules that decide who binds a namespace file and when:
 *  - A mount namespace file may be bind-mounted only from an older mount
 *    namespace (mnt_ns_loop() gives EINVAL otherwise), and a bind made inside
 *    the new mount namespace would die with it: it must be made from the
 *    original one.
 *  - After unshare(CLONE_NEWUSER) we hold no capability in the original user
 *    namespace: we can neither mount there nor write an id map of more than
 *    our own single id.
 *  - pid_for_children exists only once the namespace has its first process
 *    (the child of --fork).
 * So a helper forked before unshare(2) stays in every original namespace
 * and does, on request, what needs them: write id ranges (M), bind the
 * namespace files of the unsharing process (B), undo the binds (U). It is
 * detached (double fork) so that it never lingers as a zombie child of the
 * program we exec. Its request pipe is close-on-exec in the process that will
 * exec the program: end of file means the exec succeeded (or that process
 * died) and the helper keeps what it did and exits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "ctr/idmap.h"
#include "ctr/nshelper.h"
#include "ctr/proc.h"

struct reply {
	int failed;
	struct ctr_err e;
};

static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : (ssize_t)got;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void write_full(int fd, const void *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf = (const char *)buf + n;
		len -= (size_t)n;
	}
}

static void ns_source(char *buf, size_t size, pid_t pid, const struct ctr_ns_type *t)
{
	/* A new PID or time namespace is the one our children get. */
	int for_children = t->flag == CLONE_NEWPID || t->flag == CLONE_NEWTIME;

	snprintf(buf, size, "/proc/%d/ns/%s%s", (int)pid, t->name,
		 for_children ? "_for_children" : "");
}

static void helper_undo(const struct ctr_nshelper *h, const int created[], int bound[])
{
	int i;

	for (i = CTR_NS_NTYPES - 1; i >= 0; i--) {
		if (!bound[i])
			continue;
		ctr_ns_unpersist(h->persist[i], created[i], NULL);
		bound[i] = 0;
	}
}

static int helper_bind(const struct ctr_nshelper *h, pid_t target, int created[], int bound[],
		       struct ctr_err *e)
{
	char src[64];
	int i;

	for (i = 0; i < CTR_NS_NTYPES; i++) {
		if (!h->persist[i])
			continue;
		ns_source(src, sizeof(src), target, &ctr_ns_types[i]);
		if (ctr_ns_persist_ex(src, h->persist[i], &created[i], e) < 0) {
			helper_undo(h, created, bound);
			return -1;
		}
		bound[i] = 1;
	}
	return 0;
}

static int helper_maps(const struct ctr_nshelper *h, pid_t target, struct ctr_err *e)
{
	if (h->usermap && ctr_idmap_write(target, "uid_map", h->usermap, e) < 0)
		return -1;
	if (h->groupmap && ctr_idmap_write(target, "gid_map", h->groupmap, e) < 0)
		return -1;
	return 0;
}

static void helper_loop(const struct ctr_nshelper *h, pid_t target, int req, int rep)
{
	int created[CTR_NS_NTYPES] = { 0 }, bound[CTR_NS_NTYPES] = { 0 };
	struct reply r;
	char cmd;

	/* Our life is the pipe's, not the terminal's. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	close(0);
	close(1);
	close(2);
	while (read_full(req, &cmd, 1) == 1) {
		memset(&r, 0, sizeof(r));
		if (cmd == 'M')
			r.failed = helper_maps(h, target, &r.e) < 0;
		else if (cmd == 'B')
			r.failed = helper_bind(h, target, created, bound, &r.e) < 0;
		else
			helper_undo(h, created, bound);
		write_full(rep, &r, sizeof(r));
		if (cmd == 'U' || r.failed)
			break;
	}
	_exit(0);
}

int ctr_nshelper_start(struct ctr_nshelper *h, struct ctr_err *e)
{
	int req[2], rep[2], status;
	pid_t pid;

	h->req = h->rep = -1;
	h->target = getpid();
	if (pipe2(req, O_CLOEXEC) < 0)
		return ctr_err_sys(e, "pipe failed", NULL);
	if (pipe2(rep, O_CLOEXEC) < 0) {
		close(req[0]);
		close(req[1]);
		return ctr_err_sys(e, "pipe failed", NULL);
	}
	pid = fork();
	if (pid == 0) {
		pid = fork();
		if (pid == 0) {
			close(req[1]);
			close(rep[0]);
			helper_loop(h, h->target, req[0], rep[1]);
		}
		_exit(pid < 0);
	}
	close(req[0]);
	close(rep[1]);
	if (pid < 0 || ctr_proc_wait(pid, &status, 0) < 0 || status != 0) {
		close(req[1]);
		close(rep[0]);
		return ctr_err_set(e, pid < 0 ? errno : EAGAIN, "fork failed", NULL);
	}
	h->req = req[1];
	h->rep = rep[0];
	return 0;
}

int ctr_nshelper_call(struct ctr_nshelper *h, char cmd, struct ctr_err *e)
{
	struct reply r;

	if (h->req < 0)
		return 0;
	write_full(h->req, &cmd, 1);
	if (read_full(h->rep, &r, sizeof(r)) != (ssize_t)sizeof(r))
		return ctr_err_set(e, EPIPE, "persistence helper died", NULL);
	if (r.failed) {
		*e = r.e;
		return -1;
	}
	return 0;
}

void ctr_nshelper_close(struct ctr_nshelper *h)
{
	if (h->req < 0)
		return;
	close(h->req);
	close(h->rep);
	h->req = h->rep = -1;
}

