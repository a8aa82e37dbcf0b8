/* Row filters in libsmartcols' expression language (util-linux -Q/--filter):
 *   NPROCS > 1 and TYPE == "net"        not (PID == 1)       COMMAND =~ "^sle"
 * Operators: == != < <= > >= (eq ne lt le gt ge), and or not (&& || !), =~ !~
 * (the POSIX ERE subset of ctr/regex.h), parentheses; operands: column names (any case),
 * numbers, floats, "strings" or 'strings', true/false. As in libsmartcols,
 * and/or share one precedence level and bind left to right, comparisons bind
 * tighter, and not binds tightest. */
#ifndef CTR_FILTER_H
#define CTR_FILTER_H

#include <stddef.h>

struct ctr_filter;

enum { CTR_FILTER_STRING = 1, CTR_FILTER_NUMBER = 2 };

/* Parse expr; NULL with a message in err on a syntax error or no memory. */
struct ctr_filter *ctr_filter_parse(const char *expr, char *err, size_t errsz);
void ctr_filter_free(struct ctr_filter *f);
/* Match regular expressions by UTF-8 character (a UTF-8 locale), not byte. */
void ctr_filter_set_utf8(struct ctr_filter *f, int utf8);

/* The column names the expression uses, each once, as written. */
size_t ctr_filter_ncolumns(const struct ctr_filter *f);
const char *ctr_filter_column(const struct ctr_filter *f, size_t i);
/* Give column i (as listed above) its type and the caller's id, which
 * ctr_filter_eval passes back to get(). -1 with err when a literal cannot be
 * compared with it (e.g. NPROCS > "abc"). */
int ctr_filter_bind(struct ctr_filter *f, size_t i, int type, int id, char *err, size_t errsz);

/* Evaluate on one row: get(id, arg) returns the column's text or NULL when
 * the cell is empty. 1 match, 0 no match. */
int ctr_filter_eval(struct ctr_filter *f, const char *(*get)(int id, void *arg), void *arg);

#endif
