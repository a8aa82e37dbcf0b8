/* Tables the way util-linux's libsmartcols prints them (column widths, width
 * hints, truncation on a terminal, tree art, raw and JSON formats), rendered
 * into a memory buffer: libctr never prints, the applet writes the buffer. */
#ifndef CTR_TABLE_H
#define CTR_TABLE_H

#include <stddef.h>
#include "ctr/buf.h"

#define CTR_TCOL_RIGHT  0x01   /* right-aligned */
#define CTR_TCOL_TRUNC  0x02   /* may be truncated on a terminal */
#define CTR_TCOL_TREE   0x04   /* carries the tree art */
#define CTR_TCOL_WRAP   0x08   /* multi-line: data lines separated by '\n' */
#define CTR_TCOL_HIDDEN 0x10
#define CTR_TCOL_NUMBER 0x20   /* JSON number (else string) */

struct ctr_tcol {
	const char *name;
	double whint;          /* libsmartcols width hint (>= 1: absolute) */
	unsigned flags;
	/* computed */
	size_t width, width_min, width_max, treeart;
};

struct ctr_tline {
	char **cells;          /* ncols strings, NULL = empty */
	int parent, first, last, next;   /* tree links (line indexes), -1 */
};

struct ctr_table {
	const char *name;      /* JSON array name */
	struct ctr_tcol *cols;
	size_t ncols;
	struct ctr_tline *lines;
	size_t nlines, cap;
	int raw, json, noheadings;
	int is_term;           /* stdout is a terminal: fit termwidth */
	size_t termwidth;
	int utf8;              /* UTF-8 locale: wide chars and box-drawing art */
	int oom;
};

/* A new line under parent (-1: a root); returns its index or -1. */
int ctr_table_new_line(struct ctr_table *t, int parent);
/* Set (copy) the data of a cell; s may be NULL. */
void ctr_table_set(struct ctr_table *t, int line, size_t col, const char *s);
/* Render the whole table into out. -1 when memory ran out. */
int ctr_table_render(struct ctr_table *t, struct ctr_buf *out);
void ctr_table_free(struct ctr_table *t);

#endif
