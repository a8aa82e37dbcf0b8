/* Running a child and passing signals on to it, with no window in which a
 * signal is lost: the signals to forward are blocked before fork(2), so one
 * that arrives at any moment stays pending until ctr_spawn_wait takes it
 * with sigwaitinfo(2) and sends it on (pidfd_send_signal(2) where the kernel
 * has it: no PID reuse race). No handler is installed, so the child inherits
 * the caller's dispositions untouched: a signal ignored on entry (nohup's
 * SIGHUP, a background job's SIGINT) stays ignored in the child, and is not
 * forwarded. The child gets the caller's signal mask back.
 *
 * For unshare -f, cgexec -r and the container engine's supervisor. */
#ifndef CTR_SPAWN_H
#define CTR_SPAWN_H

#include <signal.h>
#include <sys/types.h>

struct ctr_spawn {
	pid_t pid;
	int pidfd;              /* -1 when the kernel has no pidfd_open */
	sigset_t forward;       /* passed on by ctr_spawn_wait */
	sigset_t blocked;       /* forward + hold + SIGCHLD, blocked here */
	sigset_t oldmask;       /* the caller's mask (the child's) */
};

/* Block the signals of forward and hold (lists ending with 0; either may be
 * NULL) and SIGCHLD (set to SIG_DFL: an inherited SIG_IGN would reap the
 * child behind waitpid's back). forward: passed on to the child; hold: kept
 * pending in the parent, never passed on (the terminal already sends its
 * SIGINT to the whole process group: the child has it). A signal ignored on
 * entry is left alone. Call it before the setup the child needs (a cgroup
 * to create...): a signal that comes meanwhile waits for the child instead
 * of killing us halfway. 0, or -1 with errno. */
int ctr_spawn_block(struct ctr_spawn *s, const int *forward, const int *hold);
/* fork(2) after ctr_spawn_block. 0 in the child (the caller's mask back),
 * the child's pid in the parent, -1 with errno. */
pid_t ctr_spawn_fork(struct ctr_spawn *s);

/* Wait for the child, passing on what arrives of s->forward. Its wait
 * status in *status; 0, or -1 with errno. Then ctr_spawn_done. */
int ctr_spawn_wait(struct ctr_spawn *s, int *status);
/* Close the pidfd; with restore_mask also give the caller's mask back (a
 * held signal that came meanwhile is delivered then). */
void ctr_spawn_done(struct ctr_spawn *s, int restore_mask);

/* The general loop, for a child the caller made: wait for pid (pidfd may
 * be -1), forwarding each signal of forward as it comes. The caller has
 * blocked forward and SIGCHLD. 0 and *status, or -1 with errno. */
int ctr_spawn_forward_wait(pid_t pid, int pidfd, const sigset_t *forward, int *status);

#endif
