/* Processes and /proc: small file I/O without stdio, the PID list of /proc
 * through getdents64, and fork/exec/wait. */
#ifndef CTR_PROC_H
#define CTR_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* Read at most size-1 bytes of dirfd/path (dirfd may be AT_FDCWD) into buf
 * and NUL-terminate it. Returns the length, or -1 with errno. */
ssize_t ctr_read_file_at(int dirfd, const char *path, char *buf, size_t size);
/* Write buf to an existing file in one write(2), as the kernel's control
 * files (uid_map, cgroup knobs) want. -1 with errno. */
int ctr_write_file(const char *path, const char *buf, size_t len);
/* Same, with a NUL-terminated string. */
int ctr_write_str(const char *path, const char *s);

/* Call fn(pid, arg) for every numeric entry of /proc (procfd: an open fd of
 * /proc, or -1 to open /proc itself). Stops at the first non-zero return. */
int ctr_proc_foreach_pid(int procfd, int (*fn)(pid_t pid, void *arg), void *arg);

/* waitpid() that retries on EINTR. Returns pid or -1. */
pid_t ctr_proc_wait(pid_t pid, int *status, int flags);
/* execvp(argv[0], argv); returns only on failure, with errno. */
int ctr_proc_exec(char *const argv[]);

/* Drop the supplementary groups, then set real, effective and saved gid;
 * set real, effective and saved uid. -1 with errno (setgroups(2) fails
 * with EPERM in a user namespace whose setgroups is "deny"). */
int ctr_proc_setgid(gid_t gid);
int ctr_proc_setuid(uid_t uid);
/* Have sig sent to us when our parent dies (PR_SET_PDEATHSIG). The kernel
 * clears this on any change of euid/egid/fsuid/fsgid, so arm it after those.
 * parent_pidfd (a pidfd of the parent taken before fork, or -1) closes the
 * race with a parent that died before the call: -1 with ESRCH then. */
int ctr_proc_pdeathsig(int sig, int parent_pidfd);
/* execv(path, argv): argv[0] may differ from path (a login shell's "-sh").
 * Returns only on failure, with errno. */
int ctr_proc_exec_path(const char *path, char *const argv[]);

#endif
