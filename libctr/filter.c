/* filter.c: libsmartcols-style row filter expressions (see ctr/filter.h).
 * A hand-written lexer and recursive-descent parser in place of flex+bison;
 * nodes live in one array and refer to each other by index. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ctr/filter.h"
#include "ctr/regex.h"
#include "filter-int.h"

static void fail(struct ctr_filter *f, const char *fmt, ...)
{
	va_list ap;

	if (f->failed)
		return;
	f->failed = 1;
	va_start(ap, fmt);
	vsnprintf(f->err, f->errsz, fmt, ap);
	va_end(ap);
}

/* ---- lexer ---- */

static const struct {
	const char *word;
	int tok;
} keywords[] = {
	{ "and", T_AND }, { "AND", T_AND }, { "or", T_OR }, { "OR", T_OR },
	{ "not", T_NOT }, { "NOT", T_NOT }, { "eq", T_EQ }, { "ne", T_NE },
	{ "le", T_LE }, { "lt", T_LT }, { "ge", T_GE }, { "gt", T_GT },
	{ "false", T_FALSE }, { "FALSE", T_FALSE }, { "true", T_TRUE }, { "TRUE", T_TRUE },
};

static const struct {
	const char *op;
	int tok;
} symbols[] = {    /* longest first */
	{ "&&", T_AND }, { "||", T_OR }, { "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE },
	{ ">=", T_GE }, { "=~", T_REG }, { "!~", T_NREG }, { "!", T_NOT }, { "<", T_LT },
	{ ">", T_GT }, { "(", T_LP }, { ")", T_RP },
};

static void next(struct ctr_filter *f)
{
	const char *s = f->src;
	size_t p = f->pos, i;

	while (s[p] == ' ' || s[p] == '\t' || s[p] == '\n')
		p++;
	f->tstart = p;
	f->tlen = 0;
	if (!s[p]) {
		f->tok = T_END;
		f->pos = p;
		return;
	}
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		size_t n = strlen(symbols[i].op);

		if (strncmp(s + p, symbols[i].op, n) == 0) {
			f->tok = symbols[i].tok;
			f->tlen = n;
			f->pos = p + n;
			return;
		}
	}
	if (isdigit((unsigned char)s[p])) {
		size_t q = p;

		while (isdigit((unsigned char)s[q]))
			q++;
		f->tok = T_NUM;
		if (s[q] == '.' && isdigit((unsigned char)s[q + 1])) {
			for (q++; isdigit((unsigned char)s[q]); q++)
				;
			f->tok = T_FLOAT;
		}
		f->tlen = q - p;
		f->pos = q;
		return;
	}
	if (isalpha((unsigned char)s[p])) {
		size_t q = p;

		while (isalnum((unsigned char)s[q]) || s[q] == '_')
			q++;
		f->tok = T_NAME;
		f->tlen = q - p;
		f->pos = q;
		for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (strlen(keywords[i].word) == f->tlen &&
			    strncmp(keywords[i].word, s + p, f->tlen) == 0)
				f->tok = keywords[i].tok;
		return;
	}
	if (s[p] == '"' || s[p] == '\'') {
		const char *end = s + p + 1;

		while (*end && *end != s[p] && *end != '\n')
			end++;
		if (*end != s[p]) {
			fail(f, "unterminated string at position %zu", p + 1);
			f->tok = T_BAD;
			return;
		}
		f->tok = T_STR;
		f->tlen = (size_t)(end - (s + p)) + 1;
		f->pos = p + f->tlen;
		return;
	}
	fail(f, "unexpected character '%c' at position %zu", s[p], p + 1);
	f->tok = T_BAD;
}

static void unexpected(struct ctr_filter *f)
{
	if (f->tok == T_END)
		fail(f, "unexpected end of expression");
	else
		fail(f, "unexpected '%.*s' at position %zu", (int)f->tlen, f->src + f->tstart,
		     f->tstart + 1);
}

/* ---- parser ---- */

static int new_node(struct ctr_filter *f, int kind)
{
	struct node *n;

	if (f->nnodes == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		void *p = realloc(f->nodes, cap * sizeof(*n));

		if (!p) {
			fail(f, "out of memory");
			return -1;
		}
		f->nodes = p;
		f->cap = cap;
	}
	n = &f->nodes[f->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->l = n->r = -1;
	n->at = f->tstart + 1;
	return (int)f->nnodes++;
}

static char *trimmed(const char *s, size_t n)
{
	char *r;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	r = malloc(n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

static int parse_logic(struct ctr_filter *f, int depth);

static int add_column(struct ctr_filter *f, const char *name, size_t len)
{
	size_t i;
	void *p;

	for (i = 0; i < f->ncols; i++)
		if (strlen(f->cols[i]) == len && strncmp(f->cols[i], name, len) == 0)
			return (int)i;
	p = realloc(f->cols, (f->ncols + 1) * sizeof(char *));
	if (!p)
		return -1;
	f->cols = p;
	f->cols[f->ncols] = strndup(name, len);
	if (!f->cols[f->ncols])
		return -1;
	return (int)f->ncols++;
}

static int parse_primary(struct ctr_filter *f, int depth)
{
	const char *t = f->src + f->tstart;
	int n = -1, c;

	switch (f->tok) {
	case T_LP:
		next(f);
		n = parse_logic(f, depth + 1);
		if (n < 0)
			return -1;
		if (f->tok != T_RP) {
			if (f->tok == T_END)
				fail(f, "missing ')'");
			else
				unexpected(f);
			return -1;
		}
		break;
	case T_NUM:
		if ((n = new_node(f, N_NUM)) < 0)
			return -1;
		errno = 0;
		f->nodes[n].num = strtoull(t, NULL, 10);
		break;
	case T_FLOAT:
		if ((n = new_node(f, N_FLOAT)) < 0)
			return -1;
		filter_parse_float(t, f->tlen, &f->nodes[n].fnum);
		break;
	case T_STR:
		if ((n = new_node(f, N_STR)) < 0)
			return -1;
		if (!(f->nodes[n].str = trimmed(t + 1, f->tlen - 2))) {
			fail(f, "out of memory");
			return -1;
		}
		break;
	case T_TRUE:
	case T_FALSE:
		if ((n = new_node(f, N_BOOL)) < 0)
			return -1;
		f->nodes[n].num = f->tok == T_TRUE;
		break;
	case T_NAME:
		if ((n = new_node(f, N_COL)) < 0)
			return -1;
		c = add_column(f, t, f->tlen);
		if (c < 0) {
			fail(f, "out of memory");
			return -1;
		}
		f->nodes[n].col = (size_t)c;
		break;
	default:
		unexpected(f);
		return -1;
	}
	next(f);
	return n;
}

static int parse_unary(struct ctr_filter *f, int depth)
{
	int n, r;

	if (depth > 200) {
		fail(f, "expression nested too deeply");
		return -1;
	}
	if (f->tok != T_NOT)
		return parse_primary(f, depth);
	next(f);
	r = parse_unary(f, depth + 1);
	if (r < 0 || (n = new_node(f, N_NOT)) < 0)
		return -1;
	f->nodes[n].r = r;
	return n;
}

static int parse_cmp(struct ctr_filter *f, int depth)
{
	int l = parse_unary(f, depth), r, n, op;

	while (l >= 0 && f->tok >= T_EQ && f->tok <= T_NREG) {
		size_t at = f->tstart + 1;

		op = f->tok;
		next(f);
		r = parse_unary(f, depth);
		if (r < 0)
			return -1;
		if (op == T_REG || op == T_NREG) {
			struct node *rn = &f->nodes[r];
			const char *why;

			if (rn->kind != N_STR) {
				fail(f, "%s at position %zu needs a \"string\" on its right",
				     op == T_REG ? "=~" : "!~", at);
				return -1;
			}
			if ((why = ctr_re_check(rn->str))) {
				fail(f, "invalid regular expression \"%s\": %s", rn->str, why);
				return -1;
			}
			rn->re = 1;
		}
		if ((n = new_node(f, op == T_REG || op == T_NREG ? N_REG : N_CMP)) < 0)
			return -1;
		f->nodes[n].op = op;
		f->nodes[n].l = l;
		f->nodes[n].r = r;
		f->nodes[n].at = at;
		l = n;
	}
	return l;
}

static int parse_logic(struct ctr_filter *f, int depth)
{
	int l = parse_cmp(f, depth), r, n, op;

	while (l >= 0 && (f->tok == T_AND || f->tok == T_OR)) {
		op = f->tok;
		next(f);
		r = parse_cmp(f, depth);
		if (r < 0 || (n = new_node(f, op == T_AND ? N_AND : N_OR)) < 0)
			return -1;
		f->nodes[n].l = l;
		f->nodes[n].r = r;
		l = n;
	}
	return l;
}

void ctr_filter_free(struct ctr_filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nnodes; i++) {
		free(f->nodes[i].str);
	}
	for (i = 0; i < f->ncols; i++)
		free(f->cols[i]);
	free(f->cols);
	free(f->types);
	free(f->ids);
	free(f->nodes);
	free(f);
}

struct ctr_filter *ctr_filter_parse(const char *expr, char *err, size_t errsz)
{
	struct ctr_filter *f = calloc(1, sizeof(*f));

	if (!f) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	f->src = expr;
	f->err = err;
	f->errsz = errsz;
	next(f);
	if (!f->failed && f->tok == T_END)
		fail(f, "empty expression");
	if (!f->failed)
		f->root = parse_logic(f, 0);
	if (!f->failed && f->tok != T_END)
		unexpected(f);
	if (!f->failed && f->ncols) {
		f->types = calloc(f->ncols, sizeof(int));
		f->ids = calloc(f->ncols, sizeof(int));
		if (!f->types || !f->ids)
			fail(f, "out of memory");
	}
	if (f->failed) {
		ctr_filter_free(f);
		return NULL;
	}
	return f;
}

void ctr_filter_set_utf8(struct ctr_filter *f, int utf8)
{
	f->utf8 = utf8;
}

size_t ctr_filter_ncolumns(const struct ctr_filter *f)
{
	return f->ncols;
}

const char *ctr_filter_column(const struct ctr_filter *f, size_t i)
{
	return f->cols[i];
}

/* "12" or "1.5" as a number; -1 if it is not one. */
int filter_parse_float(const char *s, size_t n, long double *v)
{
	long double x = 0, scale = 1;
	size_t i = 0;
	int digits = 0;

	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		x = x * 10 + (s[i] - '0');
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			scale /= 10;
			x += (s[i] - '0') * scale;
		}
	if (!digits || i != n)
		return -1;
	*v = x;
	return 0;
}
