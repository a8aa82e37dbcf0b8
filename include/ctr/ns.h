/* Namespaces: the table of types, and thin wrappers over unshare(2),
 * setns(2), pidfd_open(2), pidfd_getfd(2) and nsfs bind mounts. */
#ifndef CTR_NS_H
#define CTR_NS_H

#include <sys/types.h>
#include "ctr/compat.h"
#include "ctr/err.h"

struct ctr_ns_type {
	const char *name;  /* file name in /proc/PID/ns and lsns TYPE: "mnt" */
	int flag;          /* CLONE_NEW* */
	char opt;          /* util-linux short option: 'm' */
	const char *longopt; /* util-linux long option: "mount" */
};

/* In util-linux's lsns order: mnt net pid user uts ipc cgroup time. */
extern const struct ctr_ns_type ctr_ns_types[];
#define CTR_NS_NTYPES 8

const struct ctr_ns_type *ctr_ns_by_name(const char *name);
const struct ctr_ns_type *ctr_ns_by_flag(int flag);
const struct ctr_ns_type *ctr_ns_by_opt(char opt);

/* open("/proc/PID/ns/NAME") read-only, close-on-exec; pid 0 means self. */
int ctr_ns_open(pid_t pid, const char *name);
/* Inode of a namespace file (any path: /proc/PID/ns/x or a bind mount). */
int ctr_ns_ino(const char *path, ino_t *ino);

int ctr_ns_unshare(int flags);
int ctr_ns_setns(int fd, int nstype);

int ctr_pidfd_open(pid_t pid, unsigned int flags);
int ctr_pidfd_getfd(int pidfd, int targetfd, unsigned int flags);
int ctr_pidfd_send_signal(int pidfd, int sig);

/* Persist the namespace at src (e.g. /proc/PID/ns/uts) by bind-mounting it on
 * target, creating target as an empty file if it does not exist (*created = 1
 * then, so that ctr_ns_unpersist can undo exactly what it did). On failure a
 * file this call created is removed again. */
int ctr_ns_persist_ex(const char *src, const char *target, int *created,
		      struct ctr_err *e);
/* Undo a persist: detach the bind mount on target, and remove target when
 * the persist created it. */
int ctr_ns_unpersist(const char *target, int created, struct ctr_err *e);

/* Set the offset of clock (CLOCK_MONOTONIC or CLOCK_BOOTTIME) in the time
 * namespace this process will enter (/proc/self/timens_offsets). Kernel rule:
 * allowed only until the first process has entered the namespace. */
int ctr_ns_time_offset(int clock, long long seconds, struct ctr_err *e);

/* Enter the time namespace this process's children get
 * (/proc/self/ns/time_for_children) itself. Before Linux 6.3 execve does not
 * do it (util-linux unshare does the same setns when it does not fork). */
int ctr_ns_time_enter(struct ctr_err *e);

#endif
