/* filtereval.c: columns bound to their types, and the evaluation of a
 * parsed filter on one row, with libsmartcols' casts and comparisons. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctr/filter.h"
#include "ctr/regex.h"
#include "filter-int.h"

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
			v->empty = filter_parse_float(v->s, v->slen, &v->fnum) < 0;
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
