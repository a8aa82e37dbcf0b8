/* One growable buffer: strings built piece by piece (mount data, paths) and
 * whole files of any length (mountinfo, /etc/passwd, /proc/PID/cgroup),
 * always NUL-terminated. No silent truncation: a failed allocation sticks in
 * oom and every later call returns -1 with ENOMEM. */
#ifndef CTR_BUF_H
#define CTR_BUF_H

#include <stddef.h>

struct ctr_buf {
	char *p;        /* NULL until the first add; then always NUL-terminated */
	size_t len, cap;
	int oom;
};

#define CTR_BUF_INIT { NULL, 0, 0, 0 }

/* Append n bytes / a string / one char. -1 with ENOMEM (then b->oom stays
 * set: a caller may append many pieces and check b->oom once). */
int ctr_buf_add(struct ctr_buf *b, const char *s, size_t n);
int ctr_buf_puts(struct ctr_buf *b, const char *s);
int ctr_buf_chr(struct ctr_buf *b, char c);
/* Make room for n more bytes (b->p + b->len then holds n + 1 writable
 * bytes). -1 with ENOMEM. */
int ctr_buf_reserve(struct ctr_buf *b, size_t n);
/* Empty it, keeping the memory. */
void ctr_buf_reset(struct ctr_buf *b);
/* Free and reset. */
void ctr_buf_free(struct ctr_buf *b);

/* Append everything fd has to read (to EOF, EINTR retried). -1 with errno. */
int ctr_buf_read_fd(struct ctr_buf *b, int fd);
/* Append the whole file dirfd/path (dirfd may be AT_FDCWD). -1 with errno. */
int ctr_buf_read_at(struct ctr_buf *b, int dirfd, const char *path);

/* Everything fd has to read, in a malloc'd NUL-terminated string (free
 * it); its length in *len if len is not NULL. NULL with errno. */
char *ctr_buf_slurp(int fd, size_t *len);

#endif
