/* table.c: libsmartcols-compatible table output into a buffer.
 *
 * What it reproduces of libsmartcols (util-linux), because scripts and eyes
 * rely on it: a column is as wide as its widest cell but never narrower than
 * its header; an absolute width hint widens a column whose data is at least
 * header-wide; the last column is not padded; non-printable bytes are shown
 * as \xHH; on a terminal the last column is widened to the terminal width and
 * truncatable columns shrink to fit; trees are drawn in the tree column and
 * printed depth-first; raw output escapes blanks and non-ASCII as \xHH; JSON
 * is indented by three spaces with lower-case keys and null for empty cells. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include "ctr/table.h"

static void buf_pad(struct ctr_buf *b, size_t n)
{
	static const char sp[] = "                                ";

	while (n) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		ctr_buf_add(b, sp, k);
		n -= k;
	}
}

/* ---- characters ---- */

/* Decode one UTF-8 character: its length, or -1 if invalid/incomplete. */
static int u8_decode(const unsigned char *p, wchar_t *wc)
{
	unsigned c = p[0], n, i;
	unsigned v;

	if (c < 0x80) {
		*wc = (wchar_t)c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 1, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 2, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 3, v = c & 0x07;
	else
		return -1;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && v < 0x800) || (n == 3 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return -1;
	*wc = (wchar_t)v;
	return (int)n + 1;
}

static int is_cntrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static void hex(struct ctr_buf *b, unsigned char c)
{
	static const char x[] = "0123456789abcdef";
	char s[4] = { '\\', 'x', x[c >> 4], x[c & 15] };

	ctr_buf_add(b, s, 4);
}

/* util-linux's mbs_safe_encode_to_buffer: control and non-printable
 * characters (and a literal "\x") become \xHH; returns the width in cells.
 * b may be NULL to only measure. */
static size_t safe_encode(const char *s, const char *safechars, int utf8, struct ctr_buf *b)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t width = 0;

	while (p && *p) {
		wchar_t wc;
		int len;

		if (safechars && strchr(safechars, *p)) {
			if (b)
				ctr_buf_add(b, (const char *)p, 1);
			p++;
			continue;
		}
		if ((p[0] == '\\' && p[1] == 'x') || is_cntrl(*p)) {
			if (b)
				hex(b, *p);
			width += 4;
			p++;
			continue;
		}
		if (*p < 0x80) {
			if (b)
				ctr_buf_add(b, (const char *)p, 1);
			width++;
			p++;
			continue;
		}
		len = utf8 ? u8_decode(p, &wc) : -1;
		if (len < 0) {
			if (b)
				hex(b, *p);
			width += 4;
			p++;
		} else if (!iswprint((wint_t)wc) || wcwidth(wc) < 0) {
			int i;

			for (i = 0; i < len; i++) {
				if (b)
					hex(b, p[i]);
				width += 4;
			}
			p += len;
		} else {
			if (b)
				ctr_buf_add(b, (const char *)p, (size_t)len);
			width += (size_t)wcwidth(wc);
			p += len;
		}
	}
	return width;
}

/* Cut an encoded (printable) string to at most *width cells; returns bytes. */
static size_t truncate_cells(const char *s, size_t *width, int utf8)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t cells = 0;

	while (*p) {
		wchar_t wc = *p;
		int len = 1, w = 1;

		if (utf8 && *p >= 0x80 && (len = u8_decode(p, &wc)) > 0)
			w = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		if (len < 0)
			len = 1;
		if (cells + (size_t)w > *width)
			break;
		cells += (size_t)w;
		p += len;
	}
	*width = cells;
	return (size_t)((const char *)p - s);
}

/* util-linux's fputs_nonblank for raw output. */
static void nonblank(struct ctr_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; p && *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\\' || *p >= 0x7f || *p < 0x20)
			hex(b, *p);
		else
			ctr_buf_add(b, (const char *)p, 1);
	}
}

/* ---- lines ---- */

int ctr_table_new_line(struct ctr_table *t, int parent)
{
	struct ctr_tline *l;

	if (t->nlines == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		void *p = realloc(t->lines, cap * sizeof(*l));

		if (!p) {
			t->oom = 1;
			return -1;
		}
		t->lines = p;
		t->cap = cap;
	}
	l = &t->lines[t->nlines];
	l->cells = calloc(t->ncols ? t->ncols : 1, sizeof(char *));
	if (!l->cells) {
		t->oom = 1;
		return -1;
	}
	l->parent = parent;
	l->first = l->last = l->next = -1;
	if (parent >= 0) {
		struct ctr_tline *p = &t->lines[parent];

		if (p->last >= 0)
			t->lines[p->last].next = (int)t->nlines;
		else
			p->first = (int)t->nlines;
		p->last = (int)t->nlines;
	}
	return (int)t->nlines++;
}

void ctr_table_set(struct ctr_table *t, int line, size_t col, const char *s)
{
	char **c = &t->lines[line].cells[col];

	free(*c);
	*c = NULL;
	if (s && !(*c = strdup(s)))
		t->oom = 1;
}

void ctr_table_free(struct ctr_table *t)
{
	size_t i, j;

	for (i = 0; i < t->nlines; i++) {
		for (j = 0; j < t->ncols; j++)
			free(t->lines[i].cells[j]);
		free(t->lines[i].cells);
	}
	free(t->lines);
	t->lines = NULL;
	t->nlines = t->cap = 0;
}

/* ---- rendering ---- */

struct walk {
	int *order;        /* lines in print order */
	char **art;        /* tree art in front of each line's tree cell */
	char **vert;       /* art of continuation rows (multi-line cells) */
	size_t n;
};

static int is_last_child(const struct ctr_table *t, int l)
{
	return t->lines[l].next < 0;
}

static int walk_line(struct ctr_table *t, struct walk *w, int l, const char *prefix)
{
	const char *branch = t->utf8 ? "\u251c\u2500" : "|-";
	const char *right = t->utf8 ? "\u2514\u2500" : "`-";
	const char *vsym = t->utf8 ? "\u2502 " : "| ";
	size_t plen = strlen(prefix);
	char *child_prefix;
	int c, rc = 0;

	w->order[w->n++] = l;
	if (t->lines[l].parent < 0) {
		w->art[l] = strdup("");
		child_prefix = strdup("");
	} else {
		const char *sym = is_last_child(t, l) ? right : branch;
		const char *cont = is_last_child(t, l) ? "  " : vsym;

		w->art[l] = malloc(plen + strlen(sym) + 1);
		child_prefix = malloc(plen + strlen(cont) + 1);
		if (w->art[l])
			strcat(strcpy(w->art[l], prefix), sym);
		if (child_prefix)
			strcat(strcpy(child_prefix, prefix), cont);
	}
	if (!w->art[l] || !child_prefix) {
		free(child_prefix);
		return -1;
	}
	w->vert[l] = malloc(strlen(child_prefix) + strlen(vsym) + 1);
	if (!w->vert[l]) {
		free(child_prefix);
		return -1;
	}
	strcpy(w->vert[l], child_prefix);
	if (t->lines[l].first >= 0)
		strcat(w->vert[l], vsym);
	for (c = t->lines[l].first; c >= 0 && !rc; c = t->lines[c].next)
		rc = walk_line(t, w, c, child_prefix);
	free(child_prefix);
	return rc;
}

static int is_last_col(const struct ctr_table *t, size_t c)
{
	for (c++; c < t->ncols; c++)
		if (!(t->cols[c].flags & CTR_TCOL_HIDDEN))
			return 0;
	return 1;
}

/* The cell as printed: tree art + data, or a chunk of a multi-line cell. */
static const char *cell_text(struct ctr_table *t, struct walk *w, int l, size_t c,
			     struct ctr_buf *tmp)
{
	const char *d = t->lines[l].cells[c];

	if (!(t->cols[c].flags & CTR_TCOL_TREE) || t->json)
		return d ? d : "";
	tmp->len = 0;
	ctr_buf_puts(tmp, w->art[l]);
	if (d)
		ctr_buf_puts(tmp, d);
	return tmp->p ? tmp->p : "";
}

static void count_widths(struct ctr_table *t, struct walk *w)
{
	struct ctr_buf tmp = { 0 };
	size_t c, i;

	for (c = 0; c < t->ncols; c++) {
		struct ctr_tcol *cl = &t->cols[c];

		if (cl->flags & CTR_TCOL_HIDDEN)
			continue;
		cl->width = cl->width_max = cl->treeart = 0;
		cl->width_min = safe_encode(cl->name, NULL, t->utf8, NULL);
		if (!cl->width_min)
			cl->width_min = 1;
		for (i = 0; i < t->nlines; i++) {
			const char *s = cell_text(t, w, (int)i, c, &tmp);
			size_t len = 0;

			if (cl->flags & CTR_TCOL_WRAP) {
				/* multi-line: the widest line */
				char *dup = strdup(s), *save = NULL, *tok;

				for (tok = dup ? strtok_r(dup, "\n", &save) : NULL; tok;
				     tok = strtok_r(NULL, "\n", &save)) {
					size_t k = safe_encode(tok, NULL, t->utf8, NULL);

					if (k > len)
						len = k;
				}
				free(dup);
			} else {
				len = safe_encode(s, NULL, t->utf8, NULL);
			}
			if (len > cl->width_max)
				cl->width_max = len;
			if (len > cl->width)
				cl->width = len;
			if (cl->flags & CTR_TCOL_TREE) {
				size_t a = safe_encode(w->art[i], NULL, t->utf8, NULL);

				if (a > cl->treeart)
					cl->treeart = a;
			}
		}
		if (cl->width < cl->width_min)
			cl->width = cl->width_min;
		else if (cl->whint >= 1 && cl->width < (size_t)cl->whint &&
			 cl->width_min < (size_t)cl->whint)
			cl->width = (size_t)cl->whint;
	}
	ctr_buf_free(&tmp);
}

/* On a terminal: widen the last column, or shrink truncatable ones. */
static void fit_terminal(struct ctr_table *t)
{
	size_t c, width = 0;
	int changed = 1;

	for (c = 0; c < t->ncols; c++)
		if (!(t->cols[c].flags & CTR_TCOL_HIDDEN))
			width += t->cols[c].width + (is_last_col(t, c) ? 0 : 1);
	if (width < t->termwidth) {
		struct ctr_tcol *last = &t->cols[t->ncols - 1];

		if (!(last->flags & CTR_TCOL_RIGHT))
			last->width += t->termwidth - width;
		return;
	}
	/* libsmartcols' stage 2 (lsns has no relative width hints, so stages
	 * 1 and 3 never apply): one cell at a time from every truncatable
	 * column, left to right, until it fits or nothing shrinks */
	while (width > t->termwidth && changed) {
		changed = 0;
		for (c = 0; c < t->ncols && width > t->termwidth; c++) {
			struct ctr_tcol *cl = &t->cols[c];

			if (cl->flags & CTR_TCOL_HIDDEN || cl->width == cl->width_min)
				continue;
			if ((cl->flags & CTR_TCOL_TREE) && width <= cl->treeart)
				continue;
			if (!cl->width || !(cl->flags & CTR_TCOL_TRUNC))
				continue;
			cl->width--;
			width--;
			changed = 1;
			if (!cl->width)
				cl->flags |= CTR_TCOL_HIDDEN;
		}
	}
}

/* libsmartcols' print_data for the human format. */
static void print_cell(struct ctr_table *t, size_t c, const char *data, struct ctr_buf *out,
		       struct ctr_buf *enc)
{
	struct ctr_tcol *cl = &t->cols[c];
	int last = is_last_col(t, c);
	size_t len, width = cl->width, bytes;

	enc->len = 0;
	ctr_buf_add(enc, "", 0);
	len = safe_encode(data, NULL, t->utf8, enc);
	bytes = enc->len;
	if (last && len < width && !(cl->flags & CTR_TCOL_RIGHT))
		width = len;
	if (len > width && (cl->flags & CTR_TCOL_TRUNC)) {
		len = width;
		bytes = truncate_cells(enc->p, &len, t->utf8);
	}
	if (bytes) {
		if (cl->flags & CTR_TCOL_RIGHT) {
			if (len < width)
				buf_pad(out, width - len);
			len = width;
		}
		ctr_buf_add(out, enc->p, bytes);
	}
	if (last)
		return;
	if (len < width)
		buf_pad(out, width - len);
	ctr_buf_add(out, " ", 1);
}

/* Next line of a multi-line cell: *pos walks through data. */
static char *next_chunk(const char *data, size_t *pos, struct ctr_buf *tmp)
{
	const char *s = data + *pos, *nl = strchr(s, '\n');
	size_t n = nl ? (size_t)(nl - s) : strlen(s);

	tmp->len = 0;
	ctr_buf_add(tmp, "", 0);
	ctr_buf_add(tmp, s, n);
	*pos += n + (nl ? 1 : 0);
	return tmp->p ? tmp->p : (char *)"";
}

static void print_human_line(struct ctr_table *t, struct walk *w, int l, struct ctr_buf *out,
			     struct ctr_buf *enc, struct ctr_buf *tmp, size_t *pos)
{
	size_t c;
	int pending = 0;

	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & CTR_TCOL_HIDDEN)
			continue;
		pos[c] = 0;
		if (t->cols[c].flags & CTR_TCOL_WRAP) {
			const char *d = t->lines[l].cells[c] ? t->lines[l].cells[c] : "";
			print_cell(t, c, next_chunk(d, &pos[c], tmp), out, enc);
			if (d[pos[c]])
				pending = 1;
		} else {
			print_cell(t, c, cell_text(t, w, l, c, tmp), out, enc);
		}
	}
	ctr_buf_add(out, "\n", 1);
	while (pending) {
		pending = 0;
		for (c = 0; c < t->ncols; c++) {
			struct ctr_tcol *cl = &t->cols[c];
			const char *d = t->lines[l].cells[c];
			size_t len = 0;

			if (cl->flags & CTR_TCOL_HIDDEN)
				continue;
			if ((cl->flags & CTR_TCOL_WRAP) && d && d[pos[c]]) {
				char *chunk = next_chunk(d, &pos[c], tmp);

				enc->len = 0;
				len = safe_encode(chunk, NULL, t->utf8, enc);
				ctr_buf_add(out, enc->p, enc->len);
				if (d[pos[c]])
					pending = 1;
			} else if (cl->flags & CTR_TCOL_TREE) {
				enc->len = 0;
				len = safe_encode(w->vert[l], NULL, t->utf8, enc);
				ctr_buf_add(out, enc->p, enc->len);
			}
			if (is_last_col(t, c))
				break;
			if (len < cl->width)
				buf_pad(out, cl->width - len);
			ctr_buf_add(out, " ", 1);
		}
		ctr_buf_add(out, "\n", 1);
	}
}

/* ---- JSON, after util-linux's jsonwrt ---- */

struct json {
	struct ctr_buf *b;
	int indent, after_close;
};

static void j_indent(struct json *j)
{
	buf_pad(j->b, (size_t)j->indent * 3);
}

static void j_quoted(struct ctr_buf *b, const char *s, int lower)
{
	const unsigned char *p = (const unsigned char *)s;

	ctr_buf_add(b, "\"", 1);
	for (; *p; p++) {
		char c = (char)*p;

		if (*p == '"' || *p == '\\') {
			ctr_buf_add(b, "\\", 1);
			ctr_buf_add(b, &c, 1);
		} else if (*p >= 0x20) {
			if (lower && c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			ctr_buf_add(b, &c, 1);
		} else if (*p == '\b') {
			ctr_buf_puts(b, "\\b");
		} else if (*p == '\t') {
			ctr_buf_puts(b, "\\t");
		} else if (*p == '\n') {
			ctr_buf_puts(b, "\\n");
		} else if (*p == '\f') {
			ctr_buf_puts(b, "\\f");
		} else if (*p == '\r') {
			ctr_buf_puts(b, "\\r");
		} else {
			static const char x[] = "0123456789abcdef";
			char u[6] = { '\\', 'u', '0', '0', x[*p >> 4], x[*p & 15] };

			ctr_buf_add(b, u, 6);
		}
	}
	ctr_buf_add(b, "\"", 1);
}

static void j_name(struct json *j, const char *name)
{
	if (j->after_close)
		ctr_buf_puts(j->b, name ? ",\n" : ",");
	if (name || !j->after_close)
		j_indent(j);
	if (name)
		j_quoted(j->b, name, 1);
}

static void j_open(struct json *j, const char *name, char c)
{
	j_name(j, name);
	ctr_buf_puts(j->b, name ? ": " : "");
	ctr_buf_add(j->b, &c, 1);
	ctr_buf_add(j->b, "\n", 1);
	j->indent++;
	j->after_close = 0;
}

static void j_close(struct json *j, char c)
{
	j->indent--;
	ctr_buf_add(j->b, "\n", 1);
	j_indent(j);
	ctr_buf_add(j->b, &c, 1);
	if (c == '}' && j->indent == 0)
		ctr_buf_add(j->b, "\n", 1);
	j->after_close = 1;
}

static void j_value(struct json *j, const char *name, const char *data, int number)
{
	j_name(j, name);
	ctr_buf_puts(j->b, ": ");
	if (!data || !*data)
		ctr_buf_puts(j->b, "null");
	else if (number)
		ctr_buf_puts(j->b, data);
	else
		j_quoted(j->b, data, 0);
	j->after_close = 1;
}

static void json_line(struct ctr_table *t, struct json *j, int l)
{
	size_t c;
	int ch;

	j_open(j, NULL, '{');
	for (c = 0; c < t->ncols; c++)
		if (!(t->cols[c].flags & CTR_TCOL_HIDDEN))
			j_value(j, t->cols[c].name, t->lines[l].cells[c],
				t->cols[c].flags & CTR_TCOL_NUMBER);
	if (t->lines[l].first >= 0) {
		j_open(j, "children", '[');
		for (ch = t->lines[l].first; ch >= 0; ch = t->lines[ch].next)
			json_line(t, j, ch);
		j_close(j, ']');
	}
	j_close(j, '}');
}

int ctr_table_render(struct ctr_table *t, struct ctr_buf *out)
{
	struct walk w = { 0 };
	struct ctr_buf enc = { 0 }, tmp = { 0 };
	size_t i, c, *pos = NULL;
	int rc = -1;

	if (t->oom)
		return -1;
	if (t->json) {
		struct json j = { out, 0, 0 };

		j_open(&j, NULL, '{');
		j_open(&j, t->name, '[');
		for (i = 0; i < t->nlines; i++)
			if (t->lines[i].parent < 0)
				json_line(t, &j, (int)i);
		j_close(&j, ']');
		j_close(&j, '}');
		return out->oom ? -1 : 0;
	}
	w.order = calloc(t->nlines + 1, sizeof(int));
	w.art = calloc(t->nlines + 1, sizeof(char *));
	w.vert = calloc(t->nlines + 1, sizeof(char *));
	pos = calloc(t->ncols + 1, sizeof(size_t));
	if (!w.order || !w.art || !w.vert || !pos)
		goto done;
	for (i = 0; i < t->nlines; i++)
		if (t->lines[i].parent < 0 && walk_line(t, &w, (int)i, "") < 0)
			goto done;
	if (!t->nlines) {
		rc = 0;
		goto done;
	}
	if (t->raw) {
		if (!t->noheadings) {
			for (c = 0; c < t->ncols; c++) {
				if (t->cols[c].flags & CTR_TCOL_HIDDEN)
					continue;
				nonblank(out, t->cols[c].name);
				ctr_buf_puts(out, is_last_col(t, c) ? "\n" : " ");
			}
		}
		for (i = 0; i < w.n; i++) {
			for (c = 0; c < t->ncols; c++) {
				if (t->cols[c].flags & CTR_TCOL_HIDDEN)
					continue;
				nonblank(out, cell_text(t, &w, w.order[i], c, &tmp));
				ctr_buf_puts(out, is_last_col(t, c) ? "\n" : " ");
			}
		}
		rc = out->oom ? -1 : 0;
		goto done;
	}
	count_widths(t, &w);
	if (t->is_term)
		fit_terminal(t);
	if (!t->noheadings) {
		for (c = 0; c < t->ncols; c++)
			if (!(t->cols[c].flags & CTR_TCOL_HIDDEN))
				print_cell(t, c, t->cols[c].name, out, &enc);
		ctr_buf_add(out, "\n", 1);
	}
	for (i = 0; i < w.n; i++)
		print_human_line(t, &w, w.order[i], out, &enc, &tmp, pos);
	rc = out->oom || enc.oom || tmp.oom ? -1 : 0;
done:
	for (i = 0; i < t->nlines && w.art; i++) {
		free(w.art[i]);
		if (w.vert)
			free(w.vert[i]);
	}
	free(w.order);
	free(w.art);
	free(w.vert);
	free(pos);
	ctr_buf_free(&enc);
	ctr_buf_free(&tmp);
	return rc;
}
