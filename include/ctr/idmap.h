/* User namespace id maps: /proc/PID/uid_map, gid_map and setgroups.
 *
 * A map is a list of ranges "inner outer count" (user_namespaces(7)): ids
 * inner..inner+count-1 inside the namespace are outer..outer+count-1 in its
 * parent. The kernel takes the whole map in one write(2), at most once. */
#ifndef CTR_IDMAP_H
#define CTR_IDMAP_H

#include <stdint.h>
#include <sys/types.h>
#include "ctr/err.h"

/* UID_GID_MAP_MAX_EXTENTS since Linux 4.15 */
#define CTR_IDMAP_MAX 340

struct ctr_idmap_range {
	uint32_t inner, outer, count;
};

struct ctr_idmap {
	int n;
	struct ctr_idmap_range r[CTR_IDMAP_MAX];
};

/* Parse "inner:outer:count" (util-linux >= 2.39, the order of uid_map) or the
 * deprecated "outer,inner,count". count >= 1 and neither block may pass
 * 4294967294. -1 with errno EINVAL/ERANGE. */
int ctr_idmap_parse_range(const char *s, struct ctr_idmap_range *r);
/* Append a range; -1 with E2BIG when the map is full. */
int ctr_idmap_add(struct ctr_idmap *m, const struct ctr_idmap_range *r);
/* Put the single mapping inner -> outer first in m and punch the two ids out
 * of every range that holds either (the rest of such a range keeps its order,
 * one id shorter at the top), as util-linux does for --map-user together with
 * --map-users. -1 with E2BIG when the result does not fit. */
int ctr_idmap_add_single(struct ctr_idmap *m, uint32_t outer, uint32_t inner);
/* Pass-through ranges for every id mapped in /proc/PID/<file> (pid 0: self),
 * for --map-users=all. file: "uid_map" or "gid_map". */
int ctr_idmap_add_all(struct ctr_idmap *m, pid_t pid, const char *file);
/* "inner outer count\n" lines into buf; the length, or -1 with ENOSPC. */
int ctr_idmap_format(const struct ctr_idmap *m, char *buf, size_t size);

/* Write m to /proc/PID/<file> (pid 0: self) in one write. */
int ctr_idmap_write(pid_t pid, const char *file, const struct ctr_idmap *m,
		    struct ctr_err *e);
/* Write the one-line map "inner outer 1". */
int ctr_idmap_write_single(pid_t pid, const char *file, uint32_t inner, uint32_t outer,
			   struct ctr_err *e);
/* Write "allow" or "deny" to /proc/PID/setgroups. Kernel rule: only before
 * gid_map is written, and "deny" is what lets a process without CAP_SETGID
 * in the parent namespace write its own one-line gid_map. A kernel without
 * the file (< 3.19) is not an error. */
int ctr_idmap_setgroups(pid_t pid, int allow, struct ctr_err *e);

/* A user or group given as a name (passwd/group database) or a number. */
int ctr_idmap_user(const char *s, uint32_t *id);
int ctr_idmap_group(const char *s, uint32_t *id);

#endif
