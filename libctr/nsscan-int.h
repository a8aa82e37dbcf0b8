/* nsscan-int.h: what the parts of the namespace scan (nsscan.c: the /proc
 * walk and the tables; nsfd.c: namespaces known through an fd, relations,
 * NETNSID; nsshow.c: what is shown of a process) share. Not an API. */
#ifndef CTR_NSSCAN_INT_H
#define CTR_NSSCAN_INT_H

#include <sys/types.h>
#include "ctr/nsscan.h"

struct pending {           /* an fd of a process that may hold a namespace */
	pid_t pid;
	int fd;
	ino_t ino;         /* nsfs inode, or socket inode */
	int socket;
};

/* *p grown to hold need elements (doubling); -1 when memory runs out */
int nsscan_grow(void **p, size_t *cap, size_t need, size_t elem);
/* a new namespace: its index in s->ns, -1 when memory runs out */
int nsscan_ns_add(struct ctr_nsscan *s, ino_t ino, int type);
int nsscan_pid_index(struct ctr_nsscan *s, pid_t pid);
/* decimal digits of a non-negative number, NUL-terminated */
void nsscan_fmt_pid(char *p, pid_t pid);
int nsscan_type_of_flag(int flag);
int nsscan_wanted(const struct ctr_nsscan *s, int type);
/* the whole of dirfd/path, NUL-terminated, however long: malloc'd, its
 * length in *len (hint: the first buffer size, 0 for a default); NULL with
 * errno (ENOMEM, or the open or read error). short_eof: a short read is the
 * end (true of /proc/PID/cmdline, which fills what it is asked for; not of
 * seq_file files such as mountinfo, which stop at a record boundary). */
char *nsscan_read_all(int dirfd, const char *path, size_t hint, int short_eof, size_t *len);

/* nsfd.c */
ino_t nsscan_fd_ino(int fd);
int nsscan_add_nsfd(struct ctr_nsscan *s, int fd, ino_t ino, int depth);
int nsscan_read_mounts(struct ctr_nsscan *s);
int nsscan_add_persistent(struct ctr_nsscan *s);
int nsscan_add_pending_ns(struct ctr_nsscan *s);
void nsscan_relations(struct ctr_nsscan *s);
int nsscan_ghosts(struct ctr_nsscan *s);
void nsscan_netnsids(struct ctr_nsscan *s);

#endif
