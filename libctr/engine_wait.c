/* engine_wait.c: the supervisor's wait: signals forwarded to the container's
 * init, the pty copied to and from the caller's terminal, the exit status. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "ctr/ns.h"
#include "ctr/engine.h"
#include "ctr/spawn.h"

int ctr_engine_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 125;
}

static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

/* Copy what is readable on from to to; 0 at EOF or error. */
static int copy(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf)), off = 0, w;

	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN);
	while (off < n) {
		w = write(to, buf + off, (size_t)(n - off));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		off += w;
	}
	return 1;
}

static void pass_winsize(int from, int to)
{
	struct winsize ws;

	if (from >= 0 && to >= 0 && ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

int ctr_engine_wait(struct ctr_engine *c, int relay_in, int relay_out, struct ctr_err *e)
{
	struct signalfd_siginfo si;
	struct pollfd p[3];
	sigset_t set, old;
	int sfd, st = 0, m = c->pty_master, in = relay_in, mpoll = m;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++)
		sigaddset(&set, fwd[i]);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (m < 0) {
		/* Nothing to relay: the library's sigwaitinfo loop. SIGWINCH,
		 * blocked but not passed on, is dropped with the mask. */
		sigset_t fwd_set = set;

		sigdelset(&fwd_set, SIGCHLD);
		sigdelset(&fwd_set, SIGWINCH);
		if (ctr_spawn_forward_wait(c->pid, c->pidfd, &fwd_set, &st) < 0)
			st = 0;
		sigprocmask(SIG_SETMASK, &old, NULL);
		c->pid = -1;
		return st;
	}
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return ctr_err_sys(e, "signalfd", NULL);
	}
	if (m >= 0)
		pass_winsize(relay_out, m);
	for (;;) {
		/* reaped before polling: the SIGCHLD may predate the mask */
		if (waitpid(c->pid, &st, WNOHANG) == c->pid)
			break;
		p[0].fd = sfd;
		p[0].events = POLLIN;
		p[1].fd = mpoll;
		p[1].events = POLLIN;
		p[2].fd = m >= 0 ? in : -1;
		p[2].events = POLLIN;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents & POLLIN) {
			if (!copy(m, relay_out))
				mpoll = -1;
		} else if (p[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			mpoll = -1;   /* every slave closed: wait for the exit */
		}
		if (p[2].revents & (POLLIN | POLLHUP)) {
			if (!copy(in, m))
				in = -1;   /* EOF on our stdin: stop copying, as docker -i */
		}
		if (!(p[0].revents & POLLIN))
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGCHLD)
			continue;
		if (si.ssi_signo == SIGWINCH) {
			pass_winsize(relay_out, m);
			continue;
		}
		if (c->pidfd >= 0)
			ctr_pidfd_send_signal(c->pidfd, (int)si.ssi_signo);
		else
			kill(c->pid, (int)si.ssi_signo);
	}
	/* what the container wrote last, still in the pty */
	if (m >= 0) {
		struct pollfd q = { .fd = m, .events = POLLIN };

		while (poll(&q, 1, 0) > 0 && (q.revents & POLLIN) && copy(m, relay_out))
			;
	}
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	c->pid = -1;
	return st;
}
