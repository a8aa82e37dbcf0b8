/* passwd.c: /etc/passwd and /etc/group lookups, whole files of any length,
 * read through a root fd. See include/ctr/passwd.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctr/opt.h"
#include "ctr/passwd.h"
#include "ctr/path.h"

int ctr_passwd_read(int rootfd, const char *rel, struct ctr_buf *b)
{
	int fd, rc, err;

	if (rootfd == AT_FDCWD) {
		char abs[32] = "/";

		strncat(abs, rel, sizeof(abs) - 2);
		fd = open(abs, O_RDONLY | O_CLOEXEC);
	} else {
		fd = ctr_path_open(rootfd, rel, O_RDONLY, 0, 0);
	}
	if (fd < 0)
		return -1;
	ctr_buf_reset(b);
	rc = ctr_buf_read_fd(b, fd);
	err = errno;
	close(fd);
	errno = err;
	if (rc == 0 && !b->p)   /* an empty file */
		rc = ctr_buf_add(b, "", 0);
	return rc;
}

/* Split a line in place at ':' into at most max fields; the count. */
static int fields(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	while (n < max && (line = strchr(line, ':'))) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

/* Call fn on each line (newline removed) of b, in place; stop at the first
 * non-zero return and return it. */
static int each_line(struct ctr_buf *b, int (*fn)(char *line, void *arg), void *arg)
{
	char *p = b->p, *nl;
	int rc;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p && *p != '#' && (rc = fn(p, arg)) != 0)
			return rc;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

struct pw_query {
	const char *name;
	uint32_t uid;
	struct ctr_passwd *pw;
};

/* name:password:uid:gid:gecos:home:shell */
static int pw_match(char *line, void *arg)
{
	struct pw_query *q = arg;
	char *f[7] = { NULL };
	uint32_t uid, gid;

	if (fields(line, f, 7) < 4 || ctr_opt_id(f[2], &uid) < 0 || ctr_opt_id(f[3], &gid) < 0)
		return 0;
	if (q->name ? strcmp(f[0], q->name) != 0 : uid != q->uid)
		return 0;
	q->pw->name = f[0];
	q->pw->uid = uid;
	q->pw->gid = gid;
	q->pw->home = f[5] ? f[5] : "";
	q->pw->shell = f[6] ? f[6] : "";
	return 1;
}

int ctr_passwd_find(const struct ctr_buf *file, const char *name, uint32_t uid,
		    struct ctr_passwd *pw)
{
	struct pw_query q = { name, uid, pw };
	const char *p = file->p, *eol;

	memset(pw, 0, sizeof(*pw));
	/* The file stays as it is (a caller may keep it for many lookups):
	 * each line is split in a copy. */
	for (; p && *p; p = *eol ? eol + 1 : eol) {
		eol = strchrnul(p, '\n');
		if (eol == p || *p == '#')
			continue;
		if (name && (strncmp(p, name, strlen(name)) != 0 || p[strlen(name)] != ':'))
			continue;
		ctr_buf_reset(&pw->data);
		if (ctr_buf_add(&pw->data, p, (size_t)(eol - p)) < 0) {
			ctr_passwd_free(pw);
			return -1;
		}
		if (pw_match(pw->data.p, &q) == 1)
			return 1;
	}
	ctr_passwd_free(pw);
	return 0;
}

static int pw_lookup(int rootfd, struct pw_query *q)
{
	struct ctr_buf file = CTR_BUF_INIT;
	int rc;

	memset(q->pw, 0, sizeof(*q->pw));
	if (ctr_passwd_read(rootfd, "etc/passwd", &file) < 0)
		return -1;
	rc = ctr_passwd_find(&file, q->name, q->uid, q->pw);
	ctr_buf_free(&file);
	return rc;
}

int ctr_passwd_user(int rootfd, const char *name, struct ctr_passwd *pw)
{
	struct pw_query q = { name, 0, pw };

	return pw_lookup(rootfd, &q);
}

int ctr_passwd_uid(int rootfd, uint32_t uid, struct ctr_passwd *pw)
{
	struct pw_query q = { NULL, uid, pw };

	return pw_lookup(rootfd, &q);
}

void ctr_passwd_free(struct ctr_passwd *pw)
{
	ctr_buf_free(&pw->data);
	pw->name = pw->home = pw->shell = NULL;
}

struct gr_query {
	const char *name;     /* group name, or NULL */
	const char *user;     /* member to look for, or NULL */
	uint32_t gid;
	uint32_t *gids;
	size_t n, cap;
	int oom;
};

static int add_gid(struct gr_query *q, uint32_t gid)
{
	uint32_t *n;
	size_t i;

	for (i = 0; i < q->n; i++)
		if (q->gids[i] == gid)
			return 0;
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		n = realloc(q->gids, q->cap * sizeof(*n));
		if (!n) {
			q->oom = 1;
			return -1;
		}
		q->gids = n;
	}
	q->gids[q->n++] = gid;
	return 0;
}

/* name:password:gid:member,member */
static int gr_match(char *line, void *arg)
{
	struct gr_query *q = arg;
	char *f[4] = { NULL }, *m, *save = NULL;
	uint32_t gid;

	if (fields(line, f, 4) < 3 || ctr_opt_id(f[2], &gid) < 0)
		return 0;
	if (q->name) {
		if (strcmp(f[0], q->name) != 0)
			return 0;
		q->gid = gid;
		return 1;
	}
	if (!f[3])
		return 0;
	for (m = strtok_r(f[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
		if (strcmp(m, q->user) == 0)
			return add_gid(q, gid) < 0 ? -1 : 0;
	return 0;
}

int ctr_passwd_group(int rootfd, const char *name, uint32_t *gid)
{
	struct ctr_buf b = CTR_BUF_INIT;
	struct gr_query q = { .name = name };
	int rc;

	if (ctr_passwd_read(rootfd, "etc/group", &b) < 0)
		return -1;
	rc = each_line(&b, gr_match, &q);
	ctr_buf_free(&b);
	if (rc == 1)
		*gid = q.gid;
	return rc;
}

int ctr_passwd_groups(int rootfd, const char *user, uint32_t gid, uint32_t **gids, size_t *n)
{
	struct ctr_buf b = CTR_BUF_INIT;
	struct gr_query q = { .user = user };

	*gids = NULL;
	*n = 0;
	if (gid != (uint32_t)-1 && add_gid(&q, gid) < 0)
		goto oom;
	if (ctr_passwd_read(rootfd, "etc/group", &b) < 0) {
		if (errno != ENOENT) {
			free(q.gids);
			return -1;
		}
	} else {
		each_line(&b, gr_match, &q);
		ctr_buf_free(&b);
		if (q.oom)
			goto oom;
	}
	*gids = q.gids;
	*n = q.n;
	return 0;
oom:
	free(q.gids);
	errno = ENOMEM;
	return -1;
}
