/* buf.c: the one growable buffer, and reading whole files into it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctr/buf.h"

int ctr_buf_reserve(struct ctr_buf *b, size_t n)
{
	size_t cap;
	char *np;

	if (b->oom) {
		errno = ENOMEM;
		return -1;
	}
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1) {
		if (cap > (size_t)-1 / 2)
			goto oom;
		cap *= 2;
	}
	np = realloc(b->p, cap);
	if (!np)
		goto oom;
	b->p = np;
	b->cap = cap;
	b->p[b->len] = '\0';
	return 0;
oom:
	b->oom = 1;
	errno = ENOMEM;
	return -1;
}

int ctr_buf_add(struct ctr_buf *b, const char *s, size_t n)
{
	if (ctr_buf_reserve(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int ctr_buf_puts(struct ctr_buf *b, const char *s)
{
	return ctr_buf_add(b, s, strlen(s));
}

int ctr_buf_chr(struct ctr_buf *b, char c)
{
	return ctr_buf_add(b, &c, 1);
}

void ctr_buf_reset(struct ctr_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void ctr_buf_free(struct ctr_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

int ctr_buf_read_fd(struct ctr_buf *b, int fd)
{
	ssize_t n;

	for (;;) {
		/* /proc files report size 0: grow by reading, not by fstat;
		 * and only when full (the read that finds the end needs no
		 * room: most files fit the first 4 KiB) */
		if (b->len + 1 >= b->cap && ctr_buf_reserve(b, b->cap > 4095 ? b->cap : 4095) < 0)
			return -1;
		n = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->p[b->len] = '\0';
	}
	return 0;
}

int ctr_buf_read_at(struct ctr_buf *b, int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC), rc, err;

	if (fd < 0)
		return -1;
	rc = ctr_buf_read_fd(b, fd);
	err = errno;
	close(fd);
	errno = err;
	return rc;
}

char *ctr_buf_slurp(int fd, size_t *len)
{
	struct ctr_buf b = CTR_BUF_INIT;

	if (ctr_buf_read_fd(&b, fd) < 0 || (!b.p && ctr_buf_add(&b, "", 0) < 0)) {
		int err = errno;

		ctr_buf_free(&b);
		errno = err;
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.p;
}
