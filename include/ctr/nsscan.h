/* Namespace scanning for lsns: every namespace reachable from /proc/PID/ns,
 * from nsfs bind mounts (mountinfo) and from open file descriptors
 * (/proc/PID/fd links to nsfs, and sockets' network namespaces), with the
 * processes in each, without stdio: getdents64 over /proc, readlinkat on the
 * ns links relative to one /proc dirfd, hash tables keyed by inode and PID. */
#ifndef CTR_NSSCAN_H
#define CTR_NSSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "ctr/buf.h"
#include "ctr/err.h"
#include "ctr/ns.h"

#define CTR_NSSCAN_RELATIONS 0x1  /* parent (NS_GET_PARENT) and owner (NS_GET_USERNS) */
#define CTR_NSSCAN_GHOSTS    0x2  /* add parents/owners no process holds (tree views) */
#define CTR_NSSCAN_NETNSID   0x4  /* RTM_GETNSID for every net namespace */

struct ctr_nsproc {
	pid_t pid;
	pid_t ppid;        /* valid once ctr_nsscan_proc_stat() returned 0 */
	uid_t uid;         /* owner of /proc/PID, idem */
	int parent;        /* index of the parent process in procs, -1 */
	int stat_state;    /* 0 not read, 1 read, -1 failed (process gone) */
	ino_t ns[CTR_NS_NTYPES];  /* 0: not wanted or not readable */
};

struct ctr_nsinfo {
	ino_t ino;
	int type;          /* index in ctr_ns_types */
	int nprocs;
	int proc;          /* index of the lowest-PID process, -1 if none */
	ino_t pns, ons;    /* parent and owner namespace (0: none or unknown) */
	uid_t owner_uid;   /* NS_GET_OWNER_UID, shown when no process holds it */
	int netnsid;       /* CTR_NETNSID_* or >= 0 */
};

#define CTR_NETNSID_UNUSABLE   (-2)
#define CTR_NETNSID_UNASSIGNED (-1)

struct ctr_nsmount {       /* one nsfs mount of mountinfo */
	ino_t ino;
	char *root;         /* "net:[4026531840]" */
	char *target;
};

struct ctr_nsscan {
	unsigned types;     /* bit i: ctr_ns_types[i] wanted (0: all) */
	unsigned flags;     /* CTR_NSSCAN_* */
	int procfd;
	dev_t nsfs_dev;
	struct ctr_nsproc *procs;
	size_t nprocs, procs_cap;
	struct ctr_nsinfo *ns;
	size_t nns, ns_cap;
	struct ctr_nsmount *mounts;
	size_t nmounts, mounts_cap;
	/* private */
	uint32_t *ns_hash, *pid_hash;
	size_t ns_hcap, pid_hcap;
	void *pending;      /* fd-held candidates found while scanning */
	size_t npending, pending_cap;
	struct ctr_buf passwd; /* /etc/passwd, read on first user lookup */
	int passwd_state;
};

/* Scan. s must be zeroed except types and flags. Processes that exit during
 * the scan are skipped. Namespaces come back sorted by inode. -1 with e
 * filled only when /proc cannot be read at all or memory runs out. */
int ctr_nsscan_run(struct ctr_nsscan *s, struct ctr_err *e);
void ctr_nsscan_free(struct ctr_nsscan *s);

/* The namespace of an inode, or NULL. */
struct ctr_nsinfo *ctr_nsscan_find(struct ctr_nsscan *s, ino_t ino);
/* Read PPID and UID of procs[i] (lazily: only shown processes need them) and
 * link parent. 0, or -1 if the process is gone. */
int ctr_nsscan_proc_stat(struct ctr_nsscan *s, int i);
/* util-linux's COMMAND: /proc/PID/cmdline with NULs as spaces, or comm for
 * kernel threads, whatever its length; malloc'd. NULL if the process is
 * gone (or memory ran out). */
char *ctr_nsscan_command(struct ctr_nsscan *s, pid_t pid);
/* User name of uid from /etc/passwd (no NSS), or the number as text. */
const char *ctr_nsscan_user(struct ctr_nsscan *s, uid_t uid, char *buf, size_t size);

#endif
