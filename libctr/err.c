/* err.c: filling struct ctr_err. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ctr/err.h"

int ctr_err_set(struct ctr_err *e, int err, const char *what, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e) {
		errno = err;
		return -1;
	}
	e->what = what;
	e->err = err;
	e->detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		n = vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
		va_end(ap);
		/* A detail longer than the buffer (a path past PATH_MAX) is cut,
		 * visibly: it ends in "...". */
		if (n >= (int)sizeof(e->detail))
			memcpy(e->detail + sizeof(e->detail) - 4, "...", 4);
	}
	errno = err;
	return -1;
}
