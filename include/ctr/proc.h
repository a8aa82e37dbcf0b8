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
/* The one "exec CMD" of every applet: execvp(argv[0], argv) as glibc does it
 * (PATH search; a file without "#!" that the kernel refuses with ENOEXEC
 * runs through /bin/sh, as POSIX asks and musl's execvp does not). Returns
 * only on failure, with errno (ENOENT: not found; others: found, cannot run:
 * the applet exits 127 / 126). */
int ctr_proc_exec(char *const argv[]);
/* $SHELL (else /bin/sh) as a login shell, argv[0] "-NAME", as util-linux's
 * exec_shell(). *shell: what was tried, for the message. Returns only on
 * failure, with errno. */
int ctr_proc_exec_shell(const char **shell);

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
/* pid's start time (/proc/PID/stat field 22, clock ticks since boot): with
 * the pid, it names one process. 0 if it is gone or a zombie. */
unsigned long long ctr_proc_start_time(pid_t pid);

#endif
