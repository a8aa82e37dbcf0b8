/* cgroup_int.h: what the libctr/cgroup*.c files share; not a public API.
 *   cgroup.c         layout discovery (mountinfo), controllers, group specs,
 *                    listing a group's knobs and controllers
 *   cgroup_group.c   groups: create (v2 subtree_control, v1 cpuset), owners,
 *                    delete, attach, drain, and the undo log
 *   cgroup_knob.c    knob names and values: checks, v1 <-> v2 translation,
 *                    reading and writing
 *   cgroup_weight.c  cpu.shares <-> cpu.weight */
#ifndef CTR_CGROUP_INT_H
#define CTR_CGROUP_INT_H

#include <stddef.h>
#include "ctr/cgroup.h"

#define CG_PATHSZ 4096

/* Is item in the comma-separated list? */
int cg_list_has(const char *list, const char *item);
/* Append item to the comma-separated list unless there (ENAMETOOLONG). */
int cg_list_add(char *list, size_t size, const char *item);
/* "a/b" into out, or "a" when b is empty (ENAMETOOLONG). */
int cg_path_join(char *out, size_t size, const char *a, const char *b);
/* Drop trailing newlines. */
void cg_chomp(char *s);
int cg_is_dir(const char *path);
void cg_sleep_ms(long ms);

/* Read a whole file into buf, NUL-terminated: -1 with EFBIG when it does
 * not fit (never a silently cut value). */
int cg_read(const char *path, char *buf, size_t size);
/* Read a list of PIDs (cgroup.procs): when it does not fit, the complete
 * lines that did (the cut last one is dropped: it could name another
 * process); the caller reads again for the rest. */
int cg_read_pids(const char *path, char *buf, size_t size);

/* The undo log (ctr_cg_undo): U_RMDIR path, or U_WRITE data to path. */
enum { U_RMDIR, U_WRITE };
int cg_undo_push(struct ctr_cg_undo *u, int kind, const char *path, const char *data);

/* dir/file into buf without the trailing newline; e may be NULL. */
int cg_read_knob(const char *dir, const char *file, char *buf, size_t size,
		 struct ctr_err *e);

#endif
