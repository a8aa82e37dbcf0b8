/* filter-int.h: the parsed form of a filter, shared by filter.c (lexer and
 * parser) and filtereval.c (binding and evaluation). Not an API. */
#ifndef CTR_FILTER_INT_H
#define CTR_FILTER_INT_H

#include <stddef.h>
#include "ctr/filter.h"

enum tok {
	T_END, T_LP, T_RP, T_AND, T_OR, T_NOT, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
	T_REG, T_NREG, T_NUM, T_FLOAT, T_NAME, T_STR, T_TRUE, T_FALSE, T_BAD
};

enum kind { N_NUM, N_FLOAT, N_STR, N_BOOL, N_COL, N_AND, N_OR, N_NOT, N_CMP, N_REG };

enum vtype { V_STR, V_NUM, V_FLOAT, V_BOOL };

struct node {
	int kind;
	int op;               /* N_CMP: T_EQ..T_GE; N_REG: T_REG/T_NREG */
	int l, r;             /* children (node indexes), -1 */
	unsigned long long num;
	long double fnum;
	char *str;            /* N_STR (unquoted, trimmed), N_COL name */
	size_t col;           /* N_COL: index in columns */
	int re;               /* N_STR: a checked regular expression */
	size_t at;            /* offset in the expression, for messages */
};

struct ctr_filter {
	const char *src;
	size_t pos;
	/* current token */
	int tok;
	size_t tstart, tlen;
	struct node *nodes;
	size_t nnodes, cap;
	int root;
	char **cols;
	int *types, *ids;
	size_t ncols;
	char *err;
	size_t errsz;
	int failed;
	int utf8;             /* regular expressions match UTF-8 characters */
};

struct val {
	int type;
	int empty;
	unsigned long long num;
	long double fnum;
	const char *s;        /* V_STR: not NUL-terminated */
	size_t slen;
	int b;
};

/* "12" or "1.5" as a number; -1 if it is not one. */
int filter_parse_float(const char *s, size_t n, long double *v);

#endif
