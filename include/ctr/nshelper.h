/* The helper process that unshare needs for what only the original
 * namespaces allow: binding namespace files (--TYPE=FILE) and writing id
 * ranges (--map-users/--map-groups). Forked (detached) before unshare(2); see
 * libctr/nshelper.c for the kernel rules behind it. The helper itself is a
 * child process that _exits; the caller never exits or prints here. */
#ifndef CTR_NSHELPER_H
#define CTR_NSHELPER_H

#include <sys/types.h>
#include "ctr/err.h"
#include "ctr/ns.h"

struct ctr_idmap;

struct ctr_nshelper {
	int req, rep;                       /* pipes to and from it; -1: none */
	pid_t target;                       /* whose /proc/PID/ns files are bound */
	const char *persist[CTR_NS_NTYPES]; /* FILE per ctr_ns_types[] entry, or NULL */
	const struct ctr_idmap *usermap, *groupmap;  /* ranges to write, or NULL */
};

/* Fill persist, usermap and groupmap, then start the helper for the calling
 * process. -1 with e on failure (nothing left behind). */
int ctr_nshelper_start(struct ctr_nshelper *h, struct ctr_err *e);
/* Ask the helper and wait for its answer: 'M' write the id ranges into the
 * target's uid_map/gid_map, 'B' bind the target's namespace files, 'U' undo
 * the binds (and the helper exits). 0 when there is no helper; -1 with e. */
int ctr_nshelper_call(struct ctr_nshelper *h, char cmd, struct ctr_err *e);
/* Close our ends: once the process that execs holds the only request pipe,
 * its exec (close-on-exec) tells the helper to keep what it did and exit. */
void ctr_nshelper_close(struct ctr_nshelper *h);

#endif
