/* engine_proc.c: the container process after pivot_root (ROOT phase:
 * sysctls, terminal, user, cwd, rlimits, capabilities, no_new_privs,
 * seccomp) and its end (FINAL: fds, exec, the tiny init of --init). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "ctr/str.h"
#include "ctr/caps.h"
#include "ctr/compat.h"
#include "ctr/mount.h"
#include "ctr/opt.h"
#include "ctr/passwd.h"
#include "ctr/proc.h"
#include "ctr/tty.h"
#include "engine_int.h"

int ctr_eng_loopback(struct ctr_err *e)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return ctr_err_sys(e, "socket", NULL);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		rc = ctr_err_sys(e, "cannot read interface flags", "lo");
	ifr.ifr_flags |= IFF_UP;
	if (rc == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		rc = ctr_err_sys(e, "cannot bring up", "lo");
	close(fd);
	return rc;
}

int ctr_eng_sysctl(const char *kv, struct ctr_err *e)
{
	char path[256], *p;
	const char *eq = strchr(kv, '=');
	struct statfs sf;
	int fd, rc = 0;

	if ((size_t)(eq - kv) > sizeof(path) - 12)
		return ctr_err_set(e, ENAMETOOLONG, "sysctl", "%s", kv);
	snprintf(path, sizeof(path), "/proc/sys/%.*s", (int)(eq - kv), kv);
	for (p = path + 10; *p; p++)
		if (*p == '.')
			*p = '/';
	if (ctr_strstr(path, "/../") || ctr_strstr(path, "/./"))
		return ctr_err_set(e, EINVAL, "invalid sysctl", "%s", kv);
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ctr_err_sys(e, "cannot set sysctl", "%s", kv);
	/* CVE-2019-16884 / -52881: only into a real procfs */
	if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		rc = ctr_err_set(e, EPERM, "sysctl target is not in procfs", "%s", path);
	else if (write(fd, eq + 1, strlen(eq + 1)) < 0)
		rc = ctr_err_sys(e, "cannot set sysctl", "%s", kv);
	close(fd);
	return rc;
}

/* ---- terminal ------------------------------------------------------------ */

static int setup_pty(struct ctr_ectx *x, struct ctr_err *e)
{
	struct ctr_pty p;
	char path[64];
	int fd, i;

	/* the container's own devpts instance, checked (CVE-2025-52565) */
	if (ctr_tty_alloc(&p, "/dev/pts", e) < 0)
		return -1;
	if (x->s->process.console_rows && x->s->process.console_cols)
		ctr_tty_set_winsize(p.peer, x->s->process.console_rows, x->s->process.console_cols);
	/* we are a session leader already (setsid at the start) */
	if (ioctl(p.peer, TIOCSCTTY, 0) < 0) {
		ctr_tty_close(&p);
		return ctr_err_sys(e, "cannot make the pty the controlling terminal", NULL);
	}
	/* /dev/console is the pty, bound by fd (the container's own) */
	fd = x->exec ? -1 : open("/dev/console", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", p.peer);
		mount(path, "/dev/console", NULL, MS_BIND, NULL);
	}
	for (i = 0; i < 3; i++)
		dup2(p.peer, i);
	i = ctr_tty_send_fd(x->sock, p.master, "pty");
	ctr_tty_close(&p);
	return i < 0 ? ctr_err_sys(e, "cannot pass the pty", NULL) : 0;
}

/* ---- user ---------------------------------------------------------------- */

/* docker -u USER[:GROUP]: names from the container's /etc/passwd and
 * /etc/group (read after pivot_root, so they are the image's); numbers
 * not listed there are taken as they are (gid 0 for an unlisted uid). */
static int resolve_user(struct ctr_ectx *x, struct ctr_err *e)
{
	char buf[128], *grp;
	const char *u = x->s->process.user;
	struct ctr_passwd pw;
	uint32_t id, *gids = NULL;
	size_t i, n = 0;
	int found;

	x->uid = x->s->process.uid;
	x->gid = x->s->process.gid;
	if (!u || !*u)
		return 0;
	snprintf(buf, sizeof(buf), "%s", u);
	grp = strchr(buf, ':');
	if (grp)
		*grp++ = 0;
	x->gid = 0;
	x->ngroups = 0;
	found = ctr_opt_id(buf, &id) == 0 ? ctr_passwd_uid(AT_FDCWD, id, &pw) :
					    ctr_passwd_user(AT_FDCWD, buf, &pw);
	if (found == 1) {
		x->uid = pw.uid;
		x->gid = pw.gid;
	} else if (ctr_opt_id(buf, &id) == 0) {
		x->uid = id;
	} else {
		return ctr_err_set(e, 0, "unable to find user",
				   "%s: no matching entries in passwd file", buf);
	}
	if (grp && *grp) {
		if (ctr_opt_id(grp, &id) == 0)
			x->gid = id;
		else if (ctr_passwd_group(AT_FDCWD, grp, &x->gid) != 1)
			return ctr_err_set(e, 0, "unable to find group",
					   "%s: no matching entries in group file", grp);
	} else if (found == 1 && ctr_passwd_groups(AT_FDCWD, pw.name, (uint32_t)-1, &gids, &n) == 0) {
		/* the user's supplementary groups, as docker (and login) */
		for (i = 0; i < n && x->ngroups < 64; i++)
			if (gids[i] != x->gid)
				x->groups[x->ngroups++] = gids[i];
		free(gids);
	}
	if (found == 1)
		ctr_passwd_free(&pw);
	return 0;
}

static int setup_cwd(struct ctr_ectx *x, struct ctr_err *e)
{
	const char *cwd = x->s->process.cwd ? x->s->process.cwd : "/";
	char buf[PATH_MAX], *p;

	if (chdir(cwd) < 0) {
		/* docker -w and runc make a missing cwd */
		if (errno != ENOENT || strlen(cwd) >= sizeof(buf))
			return ctr_err_sys(e, "cannot change directory to", "%s", cwd);
		strcpy(buf, cwd);
		for (p = buf + 1; (p = strchr(p, '/')); p++) {
			*p = 0;
			mkdir(buf, 0755);
			*p = '/';
		}
		if (mkdir(buf, 0755) < 0 || chdir(cwd) < 0)
			return ctr_err_sys(e, "cannot change directory to", "%s", cwd);
	}
	/* CVE-2024-21626: a cwd outside the root reads "(unreachable)/..."
	 * and getcwd fails. */
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return ctr_err_set(e, EPERM, "cwd is outside the container root", "%s", cwd);
	return 0;
}

/* ---- capabilities -------------------------------------------------------- */

static int setup_identity(struct ctr_ectx *x, struct ctr_err *e)
{
	const struct ctr_spec_caps *c = &x->s->process.caps;
	struct ctr_caps sets = { c->effective, c->permitted, c->inheritable };
	int i, last = ctr_caps_last();
	gid_t groups[64];
	int ng;

	/* The bounding set first: dropping needs CAP_SETPCAP, which the
	 * uid change may take away. */
	if (ctr_caps_bounding_drop(~c->bounding, e) < 0)
		return -1;
	/* Permitted caps survive setuid to non-zero only with keepcaps
	 * (uid 0 keeps them: no prctl pair then). */
	if (x->uid && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return ctr_err_sys(e, "prctl PR_SET_KEEPCAPS", NULL);
	if (x->ngroups >= 0) {
		for (ng = 0; ng < x->ngroups; ng++)
			groups[ng] = x->groups[ng];
	} else {
		for (ng = 0; ng < (int)x->s->process.nadditional_gids && ng < 64; ng++)
			groups[ng] = x->s->process.additional_gids[ng];
	}
	if (syscall(SYS_setgroups, ng, groups) < 0 && !(errno == EPERM && ng == 0))
		return ctr_err_sys(e, "setgroups", NULL);
	if (syscall(SYS_setresgid, x->gid, x->gid, x->gid) < 0)
		return ctr_err_sys(e, "setgid", "%u", x->gid);
	if (syscall(SYS_setresuid, x->uid, x->uid, x->uid) < 0)
		return ctr_err_sys(e, "setuid", "%u", x->uid);
	if (x->uid)
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (ctr_caps_set(&sets) < 0)
		return ctr_err_sys(e, "capset", NULL);
	/* Ambient: each one must already be permitted and inheritable. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return ctr_err_sys(e, "cannot clear the ambient set", NULL);
	for (i = 0; i <= last; i++)
		if ((c->ambient & (1ULL << i)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) < 0)
			return ctr_err_sys(e, "cannot raise ambient", "%s",
					   ctr_caps_name(i) ? ctr_caps_name(i) : "?");
	return 0;
}

int ctr_eng_run_root_op(struct ctr_ectx *x, int kind, int idx, struct ctr_err *e)
{
	const struct ctr_spec *s = x->s;
	size_t i;

	switch (kind) {
	case OP_READONLY_PATH:
		return ctr_eng_readonly(s->readonly_paths[idx], e);
	case OP_MASK:
		return ctr_eng_mask(s->masked_paths[idx], e);
	case OP_SYSCTL:
		return ctr_eng_sysctl(s->sysctls[idx], e);
	case OP_ROOT_RO:
		return ctr_eng_root_ro(e);
	case OP_PTY:
		return setup_pty(x, e);
	case OP_USER:
		return resolve_user(x, e);
	case OP_CWD:
		return setup_cwd(x, e);
	case OP_RLIMITS:
		for (i = 0; i < s->process.nrlimits; i++) {
			struct rlimit rl = { s->process.rlimits[i].soft, s->process.rlimits[i].hard };

			if (prlimit(0, s->process.rlimits[i].resource, &rl, NULL) < 0)
				return ctr_err_sys(e, "setrlimit", "%d %llu:%llu",
						   s->process.rlimits[i].resource,
						   (unsigned long long)rl.rlim_cur,
						   (unsigned long long)rl.rlim_max);
		}
		return 0;
	case OP_OOM: {
		char buf[16];

		snprintf(buf, sizeof(buf), "%d", s->process.oom_score_adj);
		return ctr_write_str("/proc/self/oom_score_adj", buf) < 0 ?
			ctr_err_sys(e, "cannot set oom_score_adj", "%s", buf) : 0;
	}
	case OP_UMASK:
		umask(s->process.umask >= 0 ? (mode_t)s->process.umask : 022);
		return 0;
	case OP_SECCOMP_EARLY:
	case OP_SECCOMP:
		return ctr_eng_seccomp(x, e);
	case OP_CAPS:
		return setup_identity(x, e);
	case OP_NNP:
		return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ?
			ctr_err_sys(e, "prctl PR_SET_NO_NEW_PRIVS", NULL) : 0;
	case OP_CLOSE_FDS:
		/* nothing of ours reaches the container (CVE-2024-21626) */
		if (syscall(SYS_close_range, 3 + x->o->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
			int fd;

			for (fd = 3 + x->o->preserve_fds; fd < 1024; fd++)
				fcntl(fd, F_SETFD, FD_CLOEXEC);
		}
		return 0;
	case OP_PDEATHSIG:
		/* the uid change cleared it */
		if (!x->o->detach)
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		return 0;
	case OP_EXEC:
		return ctr_eng_exec(x, e);
	}
	return ctr_err_set(e, EINVAL, "unknown operation", "%d", kind);
}

/* ---- exec and init ------------------------------------------------------- */

/* The environment the process gets: the spec's, plus HOME from passwd (or
 * "/") when it has none, as docker. */
static char **make_env(struct ctr_ectx *x)
{
	static char home[PATH_MAX + 8];
	char **env = x->s->process.env, **n;
	size_t i, len = 0;
	struct ctr_passwd pw;
	int found;

	for (i = 0; env && env[i]; i++)
		if (strncmp(env[i], "HOME=", 5) == 0)
			return env;
	while (env && env[len])
		len++;
	n = calloc(len + 2, sizeof(*n));
	if (!n)
		return env;
	for (i = 0; i < len; i++)
		n[i] = env[i];
	found = ctr_passwd_uid(AT_FDCWD, x->uid, &pw) == 1;
	snprintf(home, sizeof(home), "HOME=%s", found && pw.home && pw.home[0] ? pw.home : "/");
	if (found)
		ctr_passwd_free(&pw);
	n[len] = home;
	return n;
}

static _Noreturn void do_exec(struct ctr_ectx *x, char **env)
{
	extern char **environ;
	char *const *argv = x->s->process.args;
	struct ctr_err e;
	int status;

	/* musl's execvp takes PATH from our own environment */
	environ = env;
	execvp(argv[0], argv);
	status = errno == ENOENT ? 127 : 126;
	if (errno == ENOENT && !strchr(argv[0], '/'))
		ctr_err_set(&e, ENOENT, "exec failed", "%s: executable file not found in $PATH",
			    argv[0]);
	else
		ctr_err_sys(&e, "exec failed", "%s", argv[0]);
	if (ctr_eng_send(x->sock, MSG_ERROR, status, &e) < 0) {
		/* nobody listens any more (a started OCI container) */
		dprintf(2, "%s: %s: %s\n", e.what, e.detail, strerror(e.err));
	}
	_exit(status);
}

/* docker --init: pid 1 is this process, forked from ctrbox and never
 * re-executed (non-dumpable, CVE-2019-5736). As tini: every signal but the
 * synchronous ones is forwarded to the child, orphans are reaped, and the
 * child's status becomes ours (128+N after signal N). */
static _Noreturn void tiny_init(struct ctr_ectx *x, char **env)
{
	sigset_t all, old;
	siginfo_t si;
	pid_t child, w;
	int st;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	child = fork();
	if (child < 0) {
		struct ctr_err e;

		ctr_err_sys(&e, "fork", NULL);
		ctr_eng_send(x->sock, MSG_ERROR, 125, &e);
		_exit(125);
	}
	if (child == 0) {
		setpgid(0, 0);
		if (x->s->process.terminal) {
			signal(SIGTTOU, SIG_IGN);
			tcsetpgrp(0, getpid());
			signal(SIGTTOU, SIG_DFL);
		}
		sigprocmask(SIG_SETMASK, &old, NULL);
		do_exec(x, env);
	}
	/* The init never execs, so close-on-exec does not apply to it: close
	 * everything above stdio, or a caller's leaked fd (a host directory,
	 * CVE-2024-21626's class) stays reachable through /proc/1/fd. */
	if (syscall(SYS_close_range, 3, ~0U, 0) < 0) {
		int fd;

		for (fd = 3; fd < 1024; fd++)
			close(fd);
	}
	for (;;) {
		if (sigwaitinfo(&all, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			kill(child, si.si_signo);
			continue;
		}
		while ((w = waitpid(-1, &st, WNOHANG)) > 0)
			if (w == child)
				_exit(WIFEXITED(st) ? WEXITSTATUS(st) :
				      128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0));
	}
}

int ctr_eng_exec(struct ctr_ectx *x, struct ctr_err *e)
{
	char **env = make_env(x);

	(void)e;
	if (x->s->init)
		tiny_init(x, env);
	do_exec(x, env);
}
