/* Joining a running process: what nsenter (and later `ctrrun exec`) does
 * besides setns(2): the net namespace of a socket the process holds, the
 * parent user namespace, its cgroups (cgroup2 and every v1 hierarchy), its
 * root, environment and ids. */
#ifndef CTR_NSJOIN_H
#define CTR_NSJOIN_H

#include <stdint.h>
#include <sys/types.h>
#include "ctr/err.h"

/* open(path) read-only and close-on-exec: an nsfs file, a directory to
 * fchdir(2) to, a /proc/PID file to read later. -1 with errno. */
int ctr_nsjoin_open(const char *path);
/* The pidfs inode number of a pidfd: with the PID it names one process for
 * the whole life of the system (PID:INODE). EOPNOTSUPP before pidfs (6.9). */
int ctr_nsjoin_pidfd_ino(int pidfd, uint64_t *ino);
/* Can setns(2) take a pidfd and a set of CLONE_NEW* flags (Linux >= 5.8)? */
int ctr_nsjoin_pidfd_setns_ok(void);
/* An fd of the network namespace of socket sockfd of the process pidfd
 * (pidfd_getfd(2), then the SIOCGSKNS ioctl). */
int ctr_nsjoin_sock_netns(int pidfd, int sockfd, struct ctr_err *e);
/* The CLONE_NEW* mask of the namespace types this kernel has (the entries
 * of /proc/self/ns). -1 with errno. */
int ctr_nsjoin_types_here(void);
/* Is the user namespace of the process pidfd the caller's own? 1 or 0, by
 * pidfs ioctls and no /proc path walk; -1 with errno (ENOTTY before 6.11). */
int ctr_nsjoin_pidfd_own_userns(int pidfd);
/* NS_GET_USERNS: the user namespace owning the namespace nsfd; for a user
 * namespace, its parent. -1 with errno. */
int ctr_nsjoin_owner_userns(int nsfd);

/* The cgroup.procs files of every hierarchy a process is in, opened before
 * any setns(2) changes what our /proc and mounts show. */
#define CTR_CGJOIN_MAX 16
struct ctr_cgjoin {
	int n;
	int fd[CTR_CGJOIN_MAX];
	char path[CTR_CGJOIN_MAX][256]; /* for messages; may be truncated */
};
/* Open cgroup.procs of each of the target's cgroups read from cgroupfd (an
 * open /proc/PID/cgroup): the cgroup2 one and one per mounted v1 hierarchy.
 * Hierarchies not mounted in our mount namespace are skipped; none at all is
 * an error. On failure everything opened is closed again. */
int ctr_nsjoin_cgroup_open(int cgroupfd, struct ctr_cgjoin *cg, struct ctr_err *e);
/* Move the calling process into every cgroup opened; closes the fds. */
int ctr_nsjoin_cgroup_enter(struct ctr_cgjoin *cg, struct ctr_err *e);
void ctr_nsjoin_cgroup_close(struct ctr_cgjoin *cg);

/* Replace our environment with the one in an open /proc/PID/environ
 * ("A=1\0B=2\0", any length); entries without '=' are skipped. -1 with e. */
int ctr_nsjoin_take_env(int fd, struct ctr_err *e);
/* fchdir(rootfd), chroot("."), chdir("/"). */
int ctr_nsjoin_chroot(int rootfd, struct ctr_err *e);
/* fchdir(fd), naming what failed. */
int ctr_nsjoin_fchdir(int fd, struct ctr_err *e);
/* The owner uid and gid of an open file (fstat). */
int ctr_nsjoin_owner(int fd, uid_t *uid, gid_t *gid);
/* Drop supplementary groups: setgroups(0, NULL). */
int ctr_nsjoin_clear_groups(void);
/* setgid (if set_gid) then setuid (if set_uid). */
int ctr_nsjoin_set_ids(int set_uid, uid_t uid, int set_gid, gid_t gid, struct ctr_err *e);

#endif
