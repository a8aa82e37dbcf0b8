/* The OCI runtime's containers on disk, and the OCI state and hooks.
 *
 * A container is the directory <root>/<id> (root: tmpfs, /run/ocirun by
 * default) holding state.json (ours: pid, its start time against pid reuse,
 * bundle, cgroup, annotations and the hooks later verbs run) and, between
 * create and start, exec.fifo (the container's init is parked opening it).
 * The creator holds a record lock on <dir>/lock until state.json says the
 * container is created: a directory whose state is "creating" and whose
 * lock is free belongs to a creator that died, and the next call removes it
 * (ctr_ocist_open reports it as CTR_OCIST_STALE).
 *
 * Status, as the runtime spec and runc define it: creating (the creator is
 * at work), created (init parked on exec.fifo), running, paused (the
 * freezer holds the cgroup), stopped (init is gone). */
#ifndef CTR_OCISTATE_H
#define CTR_OCISTATE_H

#include <limits.h>
#include <sys/types.h>
#include "ctr/err.h"
#include "ctr/json.h"

enum ctr_ocist_status {
	CTR_OCIST_CREATING, CTR_OCIST_CREATED, CTR_OCIST_RUNNING, CTR_OCIST_PAUSED,
	CTR_OCIST_STOPPED, CTR_OCIST_STALE,
};

struct ctr_ocist {
	char id[256];
	char dir[PATH_MAX];              /* <root>/<id> */
	int dirfd;                       /* O_DIRECTORY; -1 if none */
	int lockfd;                      /* <dir>/lock, fcntl-locked */
	pid_t pid;                       /* host pid of init, 0 while creating */
	unsigned long long start_time;   /* /proc/PID/stat field 22 */
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	char created[40];                /* RFC 3339, UTC, nanoseconds */
	char cgroup[256];                /* group path, "" if none */
	int cgroup_made;
	int creating;                    /* state.json written before the engine ran */
	const char *oci_version;
	const struct ctr_json *annotations, *hooks;  /* in doc, may be NULL */
	struct ctr_json *doc;            /* the parsed state.json */
};

/* An id as runc accepts it: [A-Za-z0-9_+.-]+, not "." or "..", < 256. */
int ctr_ocist_valid_id(const char *id);

/* Make <root>/<id> (root created 0700 if missing); EEXIST when the id is
 * taken. The directory is locked (F_WRLCK) while st lives. */
int ctr_ocist_create(struct ctr_ocist *st, const char *root, const char *id,
		     struct ctr_err *e);
/* Open and load an existing container; lock: F_RDLCK or F_WRLCK (waits for
 * a creator at work, unless nonblock: then status CREATING is returned).
 * Returns the status, or -1 with e ("container does not exist": ENOENT). */
int ctr_ocist_open(struct ctr_ocist *st, const char *root, const char *id, int lock,
		   int nonblock, struct ctr_err *e);
/* The status now (pid alive with its start time, exec.fifo, freezer). */
int ctr_ocist_status(const struct ctr_ocist *st);
const char *ctr_ocist_status_name(int status);
/* Write state.json (temp file + rename). annotations, hooks: JSON values
 * to keep (may be NULL). */
int ctr_ocist_save(const struct ctr_ocist *st, const char *oci_version,
		   const struct ctr_json *annotations, const struct ctr_json *hooks,
		   struct ctr_err *e);
/* Remove the directory and everything in it; unlock. */
void ctr_ocist_remove(struct ctr_ocist *st);
/* Unlock and free (the directory stays). */
void ctr_ocist_close(struct ctr_ocist *st);
/* The runtime spec's state object (ociVersion, id, status, pid, bundle,
 * annotations; plus runc's rootfs, created, owner when full). */
void ctr_ocist_write_json(struct ctr_json_w *w, const struct ctr_ocist *st, int status,
			  int full);
/* Now as RFC 3339 with nanoseconds, UTC. */
void ctr_ocist_now(char *buf, size_t size);

/* PIDs of the container's cgroup (cgroup.procs of its freezer, pids or cpu
 * hierarchy, whichever it is in): count, up to max in pids; -1 with e. */
int ctr_ocist_pids(const struct ctr_ocist *st, pid_t *pids, int max, struct ctr_err *e);
/* Freeze (1) or thaw (0) the container's cgroup: v1 freezer.state, v2
 * cgroup.freeze; waits until the freezer reports the state. */
int ctr_ocist_freeze(const struct ctr_ocist *st, int freeze, struct ctr_err *e);
int ctr_ocist_frozen(const struct ctr_ocist *st);

/* Run the hooks of one point (an array of {path, args, env, timeout}) in
 * order, each with the state JSON on stdin; the first failure stops them
 * (e: "hook PATH: exit status N" or "timed out"). */
int ctr_ocist_run_hooks(const struct ctr_json *hooks, const char *point,
			const struct ctr_ocist *st, int status, struct ctr_err *e);

#endif
