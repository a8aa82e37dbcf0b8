/* err.c: filling struct ctr_err. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include "ctr/err.h"

int ctr_err_set(struct ctr_err *e, int err, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (!e) {
		errno = err;
		return -1;
	}
	e->what = what;
	e->err = err;
	e->detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
		va_end(ap);
	}
	errno = err;
	return -1;
}
