/* idmap.c: uid_map, gid_map and setgroups of user namespaces. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "ctr/idmap.h"
#include "ctr/opt.h"
#include "ctr/passwd.h"
#include "ctr/proc.h"

#define ID_MAX 4294967294ULL

/* Three numbers separated by sep, each checked by ctr_opt_ullong. */
static int parse3(const char *s, char sep, unsigned long long v[3])
{
	char buf[96], *p = buf, *q;
	int i;

	if (strlen(s) >= sizeof(buf)) {
		errno = EINVAL;
		return -1;
	}
	strcpy(buf, s);
	for (i = 0; i < 3; i++) {
		q = strchr(p, sep);
		if ((i < 2) != (q != NULL)) {
			errno = EINVAL;
			return -1;
		}
		if (q)
			*q = '\0';
		if (ctr_opt_ullong(p, 0, ID_MAX, &v[i]) < 0)
			return -1;
		p = q + 1;
	}
	return 0;
}

int ctr_idmap_parse_range(const char *s, struct ctr_idmap_range *r)
{
	unsigned long long v[3];

	if (parse3(s, ':', v) == 0) {
		r->inner = (uint32_t)v[0];
		r->outer = (uint32_t)v[1];
	} else if (errno == EINVAL && parse3(s, ',', v) == 0) {
		r->outer = (uint32_t)v[0];
		r->inner = (uint32_t)v[1];
	} else {
		return -1;
	}
	r->count = (uint32_t)v[2];
	if (r->count == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((unsigned long long)r->inner + r->count - 1 > ID_MAX ||
	    (unsigned long long)r->outer + r->count - 1 > ID_MAX) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

int ctr_idmap_add(struct ctr_idmap *m, const struct ctr_idmap_range *r)
{
	if (m->n >= CTR_IDMAP_MAX) {
		errno = E2BIG;
		return -1;
	}
	m->r[m->n++] = *r;
	return 0;
}

/* Position of id in [start, start+count), or -1. */
static long long hole_at(uint32_t id, uint32_t start, uint32_t count)
{
	return id >= start && (unsigned long long)id < (unsigned long long)start + count ?
		       (long long)(id - start) : -1;
}

int ctr_idmap_add_single(struct ctr_idmap *m, uint32_t outer, uint32_t inner)
{
	struct ctr_idmap out;
	int i;

	out.n = 0;
	out.r[out.n++] = (struct ctr_idmap_range){ inner, outer, 1 };
	for (i = 0; i < m->n; i++) {
		const struct ctr_idmap_range *r = &m->r[i];
		long long hi = hole_at(inner, r->inner, r->count);
		long long ho = hole_at(outer, r->outer, r->count);
		long long len, cut[4], s, t;
		int k, ncut = 0;

		if (hi < 0 && ho < 0) {
			if (ctr_idmap_add(&out, r) < 0)
				return -1;
			continue;
		}
		/* Pair the inner ids without `inner` with the outer ids
		 * without `outer`, in order: k-th pair is r->inner + k (+1 past
		 * the inner hole) -> r->outer + k (+1 past the outer hole). The
		 * pairs stay contiguous except where k crosses a hole. */
		len = (long long)r->count - 1;
		cut[ncut++] = 0;
		if (hi > 0 && hi < len)
			cut[ncut++] = hi;
		if (ho > 0 && ho < len && ho != hi)
			cut[ncut++] = ho;
		if (ncut == 3 && cut[1] > cut[2]) {
			s = cut[1];
			cut[1] = cut[2];
			cut[2] = s;
		}
		cut[ncut] = len;
		for (k = 0; k < ncut; k++) {
			struct ctr_idmap_range seg;

			s = cut[k];
			t = cut[k + 1];
			if (t <= s)
				continue;
			seg.inner = r->inner + (uint32_t)s + (hi >= 0 && s >= hi);
			seg.outer = r->outer + (uint32_t)s + (ho >= 0 && s >= ho);
			seg.count = (uint32_t)(t - s);
			if (ctr_idmap_add(&out, &seg) < 0)
				return -1;
		}
	}
	*m = out;
	return 0;
}

static void proc_path(char *buf, size_t size, pid_t pid, const char *file)
{
	if (pid)
		snprintf(buf, size, "/proc/%d/%s", (int)pid, file);
	else
		snprintf(buf, size, "/proc/self/%s", file);
}

/* The next unsigned decimal number at *p, skipping blanks; -1 if none. */
static long long next_num(const char **p)
{
	unsigned long long v = 0;
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9' && v <= ID_MAX + 1ULL)
		v = v * 10 + (unsigned long long)(*s++ - '0');
	*p = s;
	return v > ID_MAX + 1ULL ? -1 : (long long)v;
}

int ctr_idmap_add_all(struct ctr_idmap *m, pid_t pid, const char *file)
{
	char path[64], buf[16384];
	const char *p = buf;
	long long inner, outer, count;

	proc_path(path, sizeof(path), pid, file);
	if (ctr_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return -1;
	/* Lines "inner outer count": pass through every inner id we have. */
	while (*p) {
		struct ctr_idmap_range r;

		inner = next_num(&p);
		outer = next_num(&p);
		count = next_num(&p);
		p += strcspn(p, "\n");
		if (*p)
			p++;
		if (inner < 0 || outer < 0 || count <= 0)
			continue;
		r.inner = r.outer = (uint32_t)inner;
		r.count = (uint32_t)count;
		if (ctr_idmap_add(m, &r) < 0)
			return -1;
	}
	return 0;
}

int ctr_idmap_format(const struct ctr_idmap *m, char *buf, size_t size)
{
	size_t len = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < m->n; i++) {
		n = snprintf(buf + len, size - len, "%u %u %u\n", m->r[i].inner, m->r[i].outer,
			     m->r[i].count);
		if (n < 0 || (size_t)n >= size - len) {
			errno = ENOSPC;
			return -1;
		}
		len += (size_t)n;
	}
	return (int)len;
}

int ctr_idmap_write(pid_t pid, const char *file, const struct ctr_idmap *m,
		    struct ctr_err *e)
{
	char path[64], buf[4096];
	int len;

	proc_path(path, sizeof(path), pid, file);
	/* The kernel reads at most one page, in one write. */
	len = ctr_idmap_format(m, buf, sizeof(buf));
	if (len < 0)
		return ctr_err_set(e, E2BIG, "map too large for one page", "%s", path);
	if (ctr_write_file(path, buf, (size_t)len) < 0)
		return ctr_err_sys(e, "cannot write", "%s", path);
	return 0;
}

int ctr_idmap_write_single(pid_t pid, const char *file, uint32_t inner, uint32_t outer,
			   struct ctr_err *e)
{
	struct ctr_idmap m;

	m.n = 1;
	m.r[0] = (struct ctr_idmap_range){ inner, outer, 1 };
	return ctr_idmap_write(pid, file, &m, e);
}

int ctr_idmap_setgroups(pid_t pid, int allow, struct ctr_err *e)
{
	char path[64];

	proc_path(path, sizeof(path), pid, "setgroups");
	if (ctr_write_str(path, allow ? "allow" : "deny") < 0 && errno != ENOENT)
		return ctr_err_sys(e, "cannot write", "%s", path);
	return 0;
}

int ctr_idmap_user(const char *s, uint32_t *id)
{
	if (ctr_opt_id(s, id) == 0)
		return 0;
	struct ctr_passwd pw;

	if (ctr_passwd_user(AT_FDCWD, s, &pw) != 1) {
		errno = EINVAL;
		return -1;
	}
	*id = pw.uid;
	ctr_passwd_free(&pw);
	return 0;
}

int ctr_idmap_group(const char *s, uint32_t *id)
{
	if (ctr_opt_id(s, id) == 0)
		return 0;
	if (ctr_passwd_group(AT_FDCWD, s, id) != 1) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}
