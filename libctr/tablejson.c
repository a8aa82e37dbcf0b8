/* tablejson.c: a table as JSON, the way libsmartcols writes it (util-linux's
 * jsonwrt): indented by three spaces, lower-case keys, null for empty cells,
 * numbers unquoted for number columns, children nested under "children"
 * when the table is a tree. */
#include <string.h>
#include "ctr/table.h"

struct json {
	struct ctr_buf *b;
	int indent, after_close;
};

static void j_indent(struct json *j)
{
	ctr_buf_pad(j->b, (size_t)j->indent * 3);
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

static void json_line(struct ctr_table *t, struct json *j, int l, int tree)
{
	size_t c;
	int ch;

	j_open(j, NULL, '{');
	for (c = 0; c < t->ncols; c++)
		if (!(t->cols[c].flags & CTR_TCOL_HIDDEN))
			j_value(j, t->cols[c].name, t->lines[l].cells[c],
				t->cols[c].flags & CTR_TCOL_NUMBER);
	if (tree && t->lines[l].first >= 0) {
		j_open(j, "children", '[');
		for (ch = t->lines[l].first; ch >= 0; ch = t->lines[ch].next)
			json_line(t, j, ch, tree);
		j_close(j, ']');
	}
	j_close(j, '}');
}

int ctr_table_render_json(struct ctr_table *t, struct ctr_buf *out)
{
	struct json j = { out, 0, 0 };
	int tree = ctr_table_is_tree(t);
	size_t i;

	if (t->oom)
		return -1;
	j_open(&j, NULL, '{');
	j_open(&j, t->name, '[');
	for (i = 0; i < t->nlines; i++)
		if (t->lines[i].parent < 0 || !tree)
			json_line(t, &j, (int)i, tree);
	j_close(&j, ']');
	j_close(&j, '}');
	return out->oom ? -1 : 0;
}
