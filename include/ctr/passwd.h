/* The one reader of /etc/passwd and /etc/group: files of any length, read
 * whole, lines of any length; no NSS, no stdio (musl's getpwnam would pull
 * nscd's client and stdio into the static binary). Inside an image: the
 * files are opened through a root fd with libctr/path.c, so a symlinked
 * /etc/passwd cannot make us read the host's files.
 *
 * rootfd: a directory fd whose etc/passwd and etc/group are read (resolved
 * inside it), or AT_FDCWD for this system's /etc. Lookups return 1 found,
 * 0 not found, -1 with errno (the file cannot be read). */
#ifndef CTR_PASSWD_H
#define CTR_PASSWD_H

#include <stddef.h>
#include <stdint.h>
#include "ctr/buf.h"

struct ctr_passwd {
	const char *name, *home, *shell;   /* into data; valid until _free */
	uint32_t uid, gid;
	struct ctr_buf data;
};

/* A user by name, or by uid. */
int ctr_passwd_user(int rootfd, const char *name, struct ctr_passwd *pw);
int ctr_passwd_uid(int rootfd, uint32_t uid, struct ctr_passwd *pw);
void ctr_passwd_free(struct ctr_passwd *pw);
/* The same in a passwd file already read (ctr_passwd_read), left as it is,
 * for a caller with many lookups (lsns: a user name per uid): by name when
 * name is not NULL, else by uid. 1, 0, or -1 with ENOMEM. */
int ctr_passwd_find(const struct ctr_buf *file, const char *name, uint32_t uid,
		    struct ctr_passwd *pw);

/* A group's gid by name. */
int ctr_passwd_group(int rootfd, const char *name, uint32_t *gid);

/* The supplementary groups of user: every group whose member list (4th
 * field) names it, plus gid (the primary group) first when gid is not
 * (uint32_t)-1; each gid once. *gids is malloc'd (free it), *n its count.
 * 0, or -1 with errno. A missing /etc/group gives only gid. */
int ctr_passwd_groups(int rootfd, const char *user, uint32_t gid, uint32_t **gids, size_t *n);

/* Read etc/passwd or etc/group (rel: "etc/passwd") of rootfd whole into b.
 * 0, or -1 with errno. */
int ctr_passwd_read(int rootfd, const char *rel, struct ctr_buf *b);

#endif
