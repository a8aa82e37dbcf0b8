/* Errors of multi-step libctr operations. libctr never prints and never exits:
 * a one-syscall wrapper returns -1 with errno set, an operation of several
 * steps fills a caller-owned struct ctr_err naming the step and the path or
 * value it was working on, and the applet reports it as
 *   applet: <what>: <detail>: <strerror(err)>
 * No heap allocation happens on the error path. */
#ifndef CTR_ERR_H
#define CTR_ERR_H

#include <stddef.h>

struct ctr_err {
	const char *what;     /* the failing step, a string literal: "pivot_root" */
	char detail[512];     /* the path or value it was applied to; may be "" */
	int err;              /* errno; 0 when the failure is not a syscall's */
};

/* Fill e (if not NULL) and return -1. detail is printf-style; may be NULL. */
int ctr_err_set(struct ctr_err *e, int err, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Same with err = errno, for use right after a failed syscall. */
#define ctr_err_sys(e, what, ...) ctr_err_set((e), errno, (what), __VA_ARGS__)

#endif
