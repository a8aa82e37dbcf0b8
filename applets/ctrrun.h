/* ctrrun.h: what ctrrun's files share (the applet is ctrrun.c: run;
 * ctrrun_state.c: the state directory; ctrrun_verbs.c: ps, inspect, logs,
 * stop, kill, rm, wait; ctrrun_exec.c: exec). */
#ifndef CTRRUN_H
#define CTRRUN_H

#include <stdint.h>
#include <sys/types.h>
#include "ctr/engine.h"
#include "ctr/json.h"
#include "ctr/proc.h"
#include "ctr/spec.h"

#define CTRRUN_ROOT "/run/ctrbox"

/* The state file's line (inspect's State). */
struct ctrrun_state {
	char status[16];         /* created running exited dead */
	pid_t pid, monitor;
	unsigned long long pid_start, monitor_start;
	int exit_code;
	char started[40], finished[40];
	char error[256];
};

/* What `run` was asked, kept for inspect (Config, HostConfig). */
struct ctrrun_run {
	struct ctr_spec spec;
	const char *name, *image, *workdir, *user, *entrypoint, *network;
	const char *stop_signal_name, *cgroup_parent;
	char **cmd;              /* CMD as given (without the entrypoint) */
	char **cap_add, **cap_drop, **binds, **tmpfs, **secopts, **ulimits;
	int rm, detach, interactive, tty, privileged, read_only, init;
	int stop_signal, stop_timeout;
	int64_t nano_cpus;
	char id[65];
	char dir[4096];          /* <root>/<id> (<root>/.new-<id> while made) */
	struct ctrrun_state state; /* as this monitor last wrote it */
	int lock_fd;             /* <dir>/lock, held (flock) for the container's life */
	unsigned long long start; /* run()'s own start time (the monitor's without -d) */
	char hostname[256];
};

extern const char *ctrrun_root;

/* ctrrun_state.c */
/* The container dir of NAME|ID|unique ID prefix into dir, its id into id.
 * -1 with a message printed. */
int ctrrun_find(const char *ref, char *dir, size_t size, char *id);
/* Remove containers whose monitor died (SIGKILL): their cgroup, overlay
 * dirs and state. Run by every verb. */
void ctrrun_gc(void);
/* After ctrrun_gc: the container dirs left, -1 when the root is missing. */
extern int ctrrun_left;
/* Destroy what is left of a container and (rm) its directory. */
void ctrrun_remove(const char *dir, int rm);
/* The state file (State of inspect): write atomically. */
int ctrrun_state_save(const char *dir, const struct ctrrun_state *st);
int ctrrun_state_load(const char *dir, struct ctrrun_state *st);
/* <dir>/lock: flock()ed by the creator, then its monitor, for the
 * container's life (cleanup judges death by taking it); the monitor writes
 * the exit code into it at the end, readable after the dir is gone by who
 * opened it before. open: an fd (create: a new one, locked), -1 on error;
 * wait: block until the holder is gone, then its recorded code (0) or -1. */
int ctrrun_lock_open(const char *dir, int create);
void ctrrun_lock_record(int fd, int code);
int ctrrun_lock_wait(int fd, int *code);
/* Is the container's monitor (supervisor) alive? */
int ctrrun_monitor_alive(const struct ctrrun_state *st);
#define ctrrun_start_time ctr_proc_start_time   /* ctr/proc.h */
/* config.json: everything inspect shows but State. */
int ctrrun_config_save(const struct ctrrun_run *r, const struct ctr_engine *c);
/* Load <dir>/config.json; NULL with a message printed. */
struct ctr_json *ctrrun_config_load(const char *dir);
/* Call fn for each container dir (sorted by nothing), stop at non-zero. */
int ctrrun_foreach(int (*fn)(const char *dir, const char *id, void *arg), void *arg);

/* ctrrun_run.c */
int ctrrun_run_main(struct ctrrun_run *r, int argc, char **argv);

/* ctrrun_verbs.c */
int ctrrun_ps(int argc, char **argv);
int ctrrun_inspect(int argc, char **argv);
int ctrrun_logs(int argc, char **argv);
int ctrrun_stop(int argc, char **argv);
int ctrrun_kill(int argc, char **argv);
int ctrrun_rm(int argc, char **argv);
int ctrrun_wait(int argc, char **argv);
/* ctrrun_exec.c */
int ctrrun_exec(int argc, char **argv);

#endif
