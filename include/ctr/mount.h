/* Mounts: wrappers over mount(2)/umount2(2) that name what failed, and a
 * reader of /proc/PID/mountinfo. */
#ifndef CTR_MOUNT_H
#define CTR_MOUNT_H

#include <sys/mount.h>
#include "ctr/err.h"

int ctr_mount(const char *src, const char *target, const char *fstype,
	      unsigned long flags, const void *data, struct ctr_err *e);
/* Change propagation of target (MS_PRIVATE, MS_SLAVE, MS_SHARED), with
 * MS_REC when recursive. */
int ctr_mount_propagation(const char *target, unsigned long type, int recursive,
			  struct ctr_err *e);
/* The MOUNT_ATTR_* bits (fsmount, mount_setattr) of MS_* mount flags. */
unsigned int ctr_mount_attr(unsigned long ms);
/* mount -t proc proc DIR with nosuid,nodev,noexec. */
int ctr_mount_proc(const char *dir, struct ctr_err *e);

/* One line of mountinfo (see proc(5)), strings decoded from the kernel's
 * octal escapes (\040 etc.). Pointers are valid only during the callback. */
struct ctr_mountinfo {
	int id, parent_id;
	unsigned int major, minor;
	char *root;        /* root of the mount within its filesystem */
	char *target;      /* mount point, relative to the reader's root */
	char *vfs_opts;    /* per-mount options: rw,nosuid,... */
	char *fields;      /* optional fields: "shared:1 master:2" or "" */
	char *fstype;
	char *source;
	char *super_opts;  /* per-superblock options: lowerdir=...,upperdir=... */
};

/* Call fn for each mount in /proc/<pid>/mountinfo (pid 0: self) in order;
 * stop at the first non-zero return of fn and return it. -1 with errno if the
 * file cannot be read. */
int ctr_mountinfo_foreach(int pid, int (*fn)(const struct ctr_mountinfo *mi, void *arg),
			  void *arg);
/* Decode mountinfo octal escapes in place. */
void ctr_mountinfo_unescape(char *s);
/* Is path (resolved with realpath) the target of a mount? 1 yes, 0 no,
 * -1 with errno if it cannot be resolved. */
int ctr_mount_is_mountpoint(const char *path);

#endif
