/* spawn.c: fork with the signals to forward blocked, and a wait loop that
 * takes them with sigwaitinfo and passes them on. See include/ctr/spawn.h. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ctr/compat.h"
#include "ctr/spawn.h"

static int ignored(int sig)
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN;
}

static void add_list(sigset_t *set, sigset_t *also, const int *sigs)
{
	for (; sigs && *sigs; sigs++) {
		if (ignored(*sigs))
			continue;
		sigaddset(set, *sigs);
		if (also)
			sigaddset(also, *sigs);
	}
}

int ctr_spawn_block(struct ctr_spawn *s, const int *forward, const int *hold)
{
	memset(s, 0, sizeof(*s));
	s->pid = -1;
	s->pidfd = -1;
	sigemptyset(&s->forward);
	sigemptyset(&s->blocked);
	add_list(&s->forward, &s->blocked, forward);
	add_list(&s->blocked, NULL, hold);
	sigaddset(&s->blocked, SIGCHLD);
	signal(SIGCHLD, SIG_DFL);
	return sigprocmask(SIG_BLOCK, &s->blocked, &s->oldmask);
}

pid_t ctr_spawn_fork(struct ctr_spawn *s)
{
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		sigprocmask(SIG_SETMASK, &s->oldmask, NULL);
		return 0;
	}
	/* Not reaped yet, so the pid cannot be reused: a pidfd of it now is
	 * the child's. */
	s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	return s->pid;
}

static int send_on(pid_t pid, int pidfd, int sig)
{
	if (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) == 0)
		return 0;
	if (pidfd >= 0 && errno != ENOSYS && errno != EPERM)
		return -1;
	return kill(pid, sig);
}

int ctr_spawn_forward_wait(pid_t pid, int pidfd, const sigset_t *forward, int *status)
{
	sigset_t wait_for = *forward;
	siginfo_t si;
	pid_t r;
	int sig;

	sigaddset(&wait_for, SIGCHLD);
	for (;;) {
		/* Reap first: a SIGCHLD that came before is pending, so the
		 * sigwaitinfo below cannot sleep through the child's exit. */
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		sig = sigwaitinfo(&wait_for, &si);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* The child gone already: ESRCH, and the next waitpid reaps it. */
		if (sig != SIGCHLD)
			send_on(pid, pidfd, sig);
	}
}

int ctr_spawn_wait(struct ctr_spawn *s, int *status)
{
	return ctr_spawn_forward_wait(s->pid, s->pidfd, &s->forward, status);
}

void ctr_spawn_done(struct ctr_spawn *s, int restore_mask)
{
	if (s->pidfd >= 0)
		close(s->pidfd);
	s->pidfd = -1;
	if (restore_mask)
		sigprocmask(SIG_SETMASK, &s->oldmask, NULL);
}
