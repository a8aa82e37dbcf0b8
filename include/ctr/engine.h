/* The container engine: a struct ctr_spec (spec.h) compiled into an ordered
 * plan of setup operations, each tagged with the phase it runs in, and one
 * executor that runs them:
 *
 *   HOST    in the caller, before clone: cgroup made, limited and given
 *           its device policy, overlay dirs
 *   PARENT  in the caller, after clone: id maps, cgroup join (none on v2:
 *           born there), createRuntime hooks; then "go" to the child
 *   CHILD   in the container before pivot_root: cgroup ns, propagation,
 *           root (overlay or self bind), mounts in order, /dev, hostname,
 *           createContainer hooks
 *   ROOT    in the container after pivot_root: masked and read-only
 *           paths, read-only root, sysctls, pty, cwd, user, rlimits,
 *           oom_score_adj, capabilities, no_new_privs, seccomp
 *   FINAL   the wait point ("created": parked until started), then
 *           startContainer hooks, fd closing, exec
 *
 * The child reports a failure as text over a SOCK_SEQPACKET pair: the parent
 * gets it in its struct ctr_err with the exit status docker uses (125 setup,
 * 126 cannot execute, 127 not found) in ctr_engine.exec_status, and removes
 * what the HOST and PARENT phases made. Nothing is printed here.
 *
 * The container dies with its creator: PR_SET_PDEATHSIG(SIGKILL), re-armed
 * after the uid change, and a check on the sync socket for a creator that died
 * before that. Every process of the container sees ctrbox non-dumpable
 * (CVE-2019-5736: /proc/PID/exe of a ctrbox process is never reachable). */
#ifndef CTR_ENGINE_H
#define CTR_ENGINE_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>
#include "ctr/cgroup.h"
#include "ctr/err.h"
#include "ctr/spec.h"

enum ctr_phase {
	CTR_PHASE_HOST = 0,
	CTR_PHASE_PARENT,
	CTR_PHASE_CHILD,
	CTR_PHASE_ROOT,
	CTR_PHASE_FINAL,
	CTR_PHASE_N
};

/* How the front end talks to the engine. */
struct ctr_engine_opts {
	const char *id;          /* container id: names the cgroup "ctrbox/<id>" */
	const char *state_dir;   /* the container's own directory (exists): the
				  * overlay's upper, work and merged dirs go here */
	int stdio[3];            /* the container's fds 0-2; -1: inherit */
	/* The wait point. exec_fifo set (OCI create): after all setup the
	 * container opens this fifo for writing and blocks until a reader
	 * (ctr_engine_start_fifo) opens it. NULL: it waits for
	 * ctr_engine_start() on the sync socket. */
	const char *exec_fifo;
	/* Called at the hook points the engine owns (CTR_HOOK_CREATE_RUNTIME
	 * in the parent, CREATE_CONTAINER and START_CONTAINER in the child);
	 * pid is the container's host pid (0 in the child). Non-zero aborts
	 * with e filled. NULL: no hooks. */
	int (*hook)(void *arg, int point, pid_t pid, struct ctr_err *e);
	void *hook_arg;
	int preserve_fds;        /* fds 3..3+n-1 stay open in the container */
	/* The container outlives its creator (OCI create, ctrrun -d's
	 * monitor hands over): no PR_SET_PDEATHSIG. */
	int detach;
	/* No wait point (exec_fifo NULL): the child reports ready and goes on
	 * to exec at once; ctr_engine_start then only waits for the exec. */
	int start_now;
};

/* A created container, as its creator holds it. */
struct ctr_engine {
	pid_t pid;               /* container init, host pid */
	int pidfd;               /* -1 where pidfd_open is missing */
	int sock;                /* sync socket, -1 once started */
	int pty_master;          /* with process.terminal, else -1 */
	int exec_status;         /* after a failure: 125, 126 or 127 */
	int start_now;           /* opts' start_now: no MSG_START to send */
	unsigned long long start_time; /* /proc/PID/stat field 22 */
	char cgroup[256];        /* the group path, "" if none */
	int cgroup_made;         /* the engine created it (and removes it) */
	int have_cgl;            /* cgl is the layout the group was made in, */
	unsigned int cgmask;     /* and these its hierarchies (bit i: cgl.h[i]) */
	struct ctr_cg_layout cgl; /* (teardown reads no mountinfo then) */
	/* GraphDriver: the overlay's dirs ("" without layers) */
	char upper[PATH_MAX], work[PATH_MAX], merged[PATH_MAX];
};

/* Build the plan and run HOST, clone, PARENT; the child runs CHILD and ROOT
 * and parks at the wait point. On failure everything made is removed, the
 * child is reaped and c->exec_status says 125. */
int ctr_engine_create(const struct ctr_spec *s, const struct ctr_engine_opts *o,
		      struct ctr_engine *c, struct ctr_err *e);
/* A new process in the running container whose init is target (docker
 * exec, OCI exec): its cgroups and namespaces joined (pid for the process
 * only), then s->process set up as a first process is (terminal, user, cwd,
 * rlimits, umask, capabilities, no_new_privs, seccomp) and parked at the
 * wait point: release it with ctr_engine_start, supervise it with
 * ctr_engine_wait. Only s->process, s->seccomp(_prog) are used. */
int ctr_engine_exec(const struct ctr_spec *s, pid_t target, const struct ctr_engine_opts *o,
		    struct ctr_engine *c, struct ctr_err *e);
/* What ctr_engine_create will use, without doing anything: the overlay's
 * upper, work and merged dirs and the cgroup path into c (for a front end
 * that records them before the container exists). */
void ctr_engine_paths(const struct ctr_spec *s, const struct ctr_engine_opts *o,
		      struct ctr_engine *c);
/* Release a container created without exec_fifo: it runs startContainer
 * hooks and execs. Returns 0 once the exec happened; -1 with e and
 * c->exec_status 126/127 (exec failed) or 125. */
int ctr_engine_start(struct ctr_engine *c, struct ctr_err *e);
/* Release a container parked on its exec fifo (from any process). */
int ctr_engine_start_fifo(const char *fifo, struct ctr_err *e);
/* Kill (SIGKILL) whatever is left of the container, reap it if it is our
 * child, remove its cgroup and its overlay dirs. Safe to call twice and on a
 * container whose creator died (the fields come from its state file).
 * c->cgroup_made stays 1 when the group could not be removed (something in
 * it still dying after 2 s): call it again later. */
void ctr_engine_destroy(struct ctr_engine *c);
/* Close the handle's fds (after start, in a front end that does not
 * supervise). */
void ctr_engine_release(struct ctr_engine *c);

/* The plan, for --dry-run style printing and tests. */
struct ctr_op {
	unsigned char phase;     /* enum ctr_phase */
	unsigned char kind;      /* enum in engine_plan.c */
	short index;             /* into the spec's array the op stems from */
	const char *name;        /* "mount", "pivot_root", ... */
};

#define CTR_PLAN_MAX 256
struct ctr_plan {
	size_t n;
	struct ctr_op op[CTR_PLAN_MAX];
};
int ctr_plan_build(const struct ctr_spec *s, struct ctr_plan *p, struct ctr_err *e);

/* ---- supervision ------------------------------------------------------- */

/* Wait for the container's init to end, forwarding SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1, SIGUSR2 to it. relay_fd >= 0: also copy the pty master to
 * and from the caller's stdin/stdout until it closes (-t). Returns the wait
 * status. */
int ctr_engine_wait(struct ctr_engine *c, int relay_in, int relay_out,
		    struct ctr_err *e);

/* rm -rf path without following symlinks (an upper dir, a state dir). */
void ctr_engine_rm_tree(const char *path);

/* Docker's exit status for a wait status: the code, or 128+N for signal N. */
int ctr_engine_exit_code(int wstatus);

#endif
