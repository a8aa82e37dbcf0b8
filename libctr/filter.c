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

/* "12" or "1.5" as a number; -1 if it is not one. */
static int parse_float(const char *s, size_t n, long double *v)
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
		parse_float(t, f->tlen, &f->nodes[n].fnum);
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

static int parse_u64(const char *s, size_t n, unsigned long long *v)
{
	unsigned long long x = 0;
	size_t i;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > (~0ULL - 9) / 10)
			return -1;
		x = x * 10 + (unsigned)(s[i] - '0');
	}
	*v = x;
	return 0;
}

int ctr_filter_bind(struct ctr_filter *f, size_t i, int type, int id, char *err, size_t errsz)
{
	size_t k;

	f->types[i] = type;
	f->ids[i] = id;
	if (type != CTR_FILTER_NUMBER)
		return 0;
	/* a string literal compared with a number column must be a number */
	for (k = 0; k < f->nnodes; k++) {
		struct node *n = &f->nodes[k], *a, *b;
		unsigned long long v;

		if (n->kind != N_CMP)
			continue;
		a = &f->nodes[n->l];
		b = &f->nodes[n->r];
		if (a->kind == N_COL && a->col == i && b->kind == N_STR &&
		    parse_u64(b->str, strlen(b->str), &v) < 0) {
			snprintf(err, errsz, "cannot compare number column %s with \"%s\"",
				 f->cols[i], b->str);
			return -1;
		}
		if (b->kind == N_COL && b->col == i && a->kind == N_STR &&
		    parse_u64(a->str, strlen(a->str), &v) < 0) {
			snprintf(err, errsz, "cannot compare number column %s with \"%s\"",
				 f->cols[i], a->str);
			return -1;
		}
	}
	return 0;
}

/* ---- evaluation ---- */

struct ectx {
	struct ctr_filter *f;
	const char *(*get)(int, void *);
	void *arg;
	char num[2][32];
};

static int eval_bool(struct ectx *x, int n);

static void value(struct ectx *x, int k, struct val *v)
{
	struct node *n = &x->f->nodes[k];
	const char *s;
	size_t len;

	memset(v, 0, sizeof(*v));
	switch (n->kind) {
	case N_NUM:
		v->type = V_NUM;
		v->num = n->num;
		return;
	case N_FLOAT:
		v->type = V_FLOAT;
		v->fnum = n->fnum;
		return;
	case N_STR:
		v->type = V_STR;
		v->s = n->str;
		v->slen = strlen(n->str);
		return;
	case N_BOOL:
		v->type = V_BOOL;
		v->b = (int)n->num;
		return;
	case N_COL:
		v->type = x->f->types[n->col] == CTR_FILTER_NUMBER ? V_NUM : V_STR;
		s = x->get(x->f->ids[n->col], x->arg);
		if (!s) {
			v->empty = 1;
			return;
		}
		len = strlen(s);
		while (len && isspace((unsigned char)*s))
			s++, len--;
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (v->type == V_NUM) {
			if (parse_u64(s, len, &v->num) < 0)
				v->empty = 1;
		} else {
			v->s = s;
			v->slen = len;
		}
		return;
	default:
		v->type = V_BOOL;
		v->b = eval_bool(x, k);
		return;
	}
}

static int truthy(const struct val *v)
{
	if (v->empty)
		return 0;
	switch (v->type) {
	case V_STR:
		return v->slen > 0;
	case V_NUM:
		return v->num != 0;
	case V_FLOAT:
		return v->fnum != 0;
	default:
		return v->b;
	}
}

/* Convert v to type t (libsmartcols' cast_param); buf holds number text. */
static void cast(struct val *v, int t, char *buf)
{
	if (v->type == t || v->empty) {
		v->type = t;
		return;
	}
	switch (t) {
	case V_STR:
		if (v->type == V_NUM)
			snprintf(buf, 32, "%llu", v->num);
		else if (v->type == V_FLOAT)
			snprintf(buf, 32, "%Lg", v->fnum);
		else
			strcpy(buf, v->b ? "true" : "false");
		v->s = buf;
		v->slen = strlen(buf);
		break;
	case V_NUM:
		if (v->type == V_STR)
			v->empty = parse_u64(v->s, v->slen, &v->num) < 0;
		else if (v->type == V_FLOAT)
			v->num = (unsigned long long)v->fnum;
		else
			v->num = (unsigned long long)v->b;
		break;
	case V_FLOAT:
		if (v->type == V_STR)
			v->empty = parse_float(v->s, v->slen, &v->fnum) < 0;
		else if (v->type == V_NUM) {
			v->fnum = (long double)v->num;
		} else {
			v->fnum = v->b;
		}
		break;
	case V_BOOL:
		if (v->type == V_STR)
			v->b = (v->slen == 1 && (*v->s == '1' || tolower(*v->s) == 'y')) ||
			       (v->slen == 4 && strncasecmp(v->s, "true", 4) == 0) ||
			       (v->slen == 3 && strncasecmp(v->s, "yes", 3) == 0);
		else
			v->b = truthy(v);
		break;
	}
	v->type = t;
}

static int compare(int op, int c)
{
	switch (op) {
	case T_EQ: return c == 0;
	case T_NE: return c != 0;
	case T_LT: return c < 0;
	case T_LE: return c <= 0;
	case T_GT: return c > 0;
	default: return c >= 0;
	}
}

static int eval_cmp(struct ectx *x, struct node *n)
{
	struct node *ln = &x->f->nodes[n->l], *rn = &x->f->nodes[n->r];
	struct val l, r;
	int t, c;

	value(x, n->l, &l);
	value(x, n->r, &r);
	if (n->kind == N_REG) {
		cast(&l, V_STR, x->num[0]);
		c = ctr_re_match(rn->str, l.empty ? "" : l.s, l.empty ? 0 : l.slen, x->f->utf8);
		return n->op == T_REG ? c : !c;
	}
	/* the column decides the type; a float literal makes it a float */
	if (l.type == V_FLOAT || r.type == V_FLOAT)
		t = V_FLOAT;
	else if (ln->kind == N_COL)
		t = l.type;
	else if (rn->kind == N_COL)
		t = r.type;
	else
		t = l.type;
	cast(&l, t, x->num[0]);
	cast(&r, t, x->num[1]);
	if (t == V_STR) {
		/* an empty cell sorts before everything (libsmartcols' xstrcmp) */
		if (l.empty || r.empty)
			c = l.empty && r.empty ? 0 : l.empty ? -1 : 1;
		else {
			size_t m = l.slen < r.slen ? l.slen : r.slen;

			c = memcmp(l.s, r.s, m);
			if (!c)
				c = l.slen < r.slen ? -1 : l.slen > r.slen;
		}
		return compare(n->op, c);
	}
	if (l.empty || r.empty)
		return 0;
	if (t == V_NUM)
		c = l.num < r.num ? -1 : l.num > r.num;
	else if (t == V_FLOAT)
		c = l.fnum < r.fnum ? -1 : l.fnum > r.fnum;
	else
		c = l.b < r.b ? -1 : l.b > r.b;
	return compare(n->op, c);
}

static int eval_bool(struct ectx *x, int k)
{
	struct node *n = &x->f->nodes[k];
	struct val v;

	switch (n->kind) {
	case N_AND:
		return eval_bool(x, n->l) && eval_bool(x, n->r);
	case N_OR:
		return eval_bool(x, n->l) || eval_bool(x, n->r);
	case N_NOT:
		return !eval_bool(x, n->r);
	case N_CMP:
	case N_REG:
		return eval_cmp(x, n);
	default:
		value(x, k, &v);
		return truthy(&v);
	}
}

int ctr_filter_eval(struct ctr_filter *f, const char *(*get)(int id, void *arg), void *arg)
{
	struct ectx x = { f, get, arg, { "", "" } };

	return eval_bool(&x, f->root);
}
