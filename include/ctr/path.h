/* Paths inside a root, resolved by file descriptor, never by string: what a
 * container's image or a volume holds cannot redirect a lookup, a mkdir or a
 * mount outside the root, even when it swaps a directory for a symlink while
 * we work (CVE-2021-30465 and its kin).
 *
 * Every lookup resolves as if rootfd were "/": an absolute symlink inside the
 * image points inside the image, ".." stops at the root. The kernel does that
 * with openat2(RESOLVE_IN_ROOT) (Linux >= 5.6); where openat2 is missing
 * (ENOSYS) or refused (a seccomp filter's EPERM, EINVAL) a component-by-
 * component walk with O_NOFOLLOW does the same in user space.
 *
 * Then mount by fd: open_tree(2) + move_mount(2) or fsopen(2) where the
 * kernel has them (probed once), else mount(2) onto /proc/self/fd/N after
 * checking that /proc is a procfs. */
#ifndef CTR_PATH_H
#define CTR_PATH_H

#include <sys/types.h>
#include "ctr/err.h"

/* flags of ctr_path_open and friends */
#define CTR_PATH_NOFOLLOW     0x1   /* the last component must not be a symlink:
				     * O_NOFOLLOW (with O_PATH: the link itself) */
#define CTR_PATH_NO_SYMLINKS  0x2   /* no symlink anywhere (RESOLVE_NO_SYMLINKS):
				     * ELOOP */

/* openat(rootfd, path, oflags, mode) with path resolved inside rootfd (a
 * leading "/" means rootfd). O_CLOEXEC is always added. A path of any length
 * (longer than PATH_MAX too); ENAMETOOLONG only for a component over
 * NAME_MAX. -1 with errno (EXDEV: a rename moved the result out of the root
 * while it was being looked up, and retrying did not help). */
int ctr_path_open(int rootfd, const char *path, int oflags, mode_t mode, int flags);

/* mkdir -p of path inside rootfd; symlinks on the way resolve inside the
 * root. Returns an O_PATH|O_DIRECTORY fd of the final directory, or -1 with
 * errno. made(arg, rel), if not NULL, is told each directory created, as
 * "/a/b" relative to the root, parents first (for an undo log); when it
 * returns non-zero the walk stops there and fails with the errno it set. */
int ctr_path_mkdir(int rootfd, const char *path, mode_t mode,
		   int (*made)(void *arg, const char *rel), void *arg);

/* A target to bind a file onto: what is at path already (but not a
 * symlink: those resolve inside the root), else a new empty regular file
 * (missing parents made as by ctr_path_mkdir, mode 0755). made() as above.
 * Returns an O_PATH fd of what was there, a write fd of a file made (as a
 * mount target both serve), or -1 with errno. */
int ctr_path_mkfile(int rootfd, const char *path, mode_t mode,
		    int (*made)(void *arg, const char *rel), void *arg);

/* Remove path inside rootfd: unlinkat(parent, name, flags), flags 0 or
 * AT_REMOVEDIR; the parent resolved inside the root, the last component not
 * followed (for an undo log's rmdir and unlink). -1 with errno. */
int ctr_path_unlink(int rootfd, const char *path, int flags);

/* The path of fd as the kernel sees it (readlink of /proc/self/fd/N), into
 * a malloc'd string. NULL with errno. */
char *ctr_path_of_fd(int fd);

/* Is fd (an object) at or below rootfd (a directory)? By the kernel's own
 * names of the two (1 yes, 0 no, -1 with errno when /proc is missing). */
int ctr_path_fd_under(int rootfd, int fd);

/* Mount onto what dstfd refers to (an fd from ctr_path_open/mkdir/mkfile;
 * O_PATH is enough). With MS_BIND (| MS_REC) the source is srcfd when >= 0,
 * else the path src; per-mount flags (MS_RDONLY...) go on the new bind's top
 * before it is attached where the kernel has open_tree and mount_setattr
 * (5.12), else - as with mount(2) - not at all: call ctr_path_remount on a
 * fresh fd of the target in any case (a harmless repeat then). Else a new
 * filesystem of type fstype from source src with options data
 * ("mode=755,size=64k": a comma separates, no escapes) and MS_* flags.
 * -1 with errno (ENOTSUP: no new mount API and /proc is not a procfs). */
int ctr_path_mount(const char *src, int srcfd, int dstfd, const char *fstype,
		   unsigned long flags, const char *data);
/* Set per-mount flags (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, atime) on
 * the mount whose root fd is, keeping the flags it has (the kernel refuses
 * to clear locked ones). fd must name the mount's root: after mounting onto
 * an fd, open the path again (the old fd names the dir beneath). */
int ctr_path_remount(int fd, unsigned long flags);
/* The same on the mount at path (its root; a symlink there is followed). */
int ctr_path_remount_at(const char *path, unsigned long flags);
/* umount2 of the mount whose root fd is, MNT_DETACH. -1 with errno. */
int ctr_path_umount(int fd);

/* Does this kernel have open_tree/move_mount/fsopen (and may we use them)?
 * Probed once. CTRBOX_MOUNT_API=legacy in the environment forces the
 * /proc/self/fd way (for tests of the older kernels' path). */
int ctr_path_new_mount_api(void);
/* Does this kernel have openat2 (and may we use it)? Probed once;
 * CTRBOX_OPENAT2=0 forces the user-space walk. */
int ctr_path_have_openat2(void);

#endif
