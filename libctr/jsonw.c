/* jsonw.c: the JSON writer (see include/ctr/json.h). Buffered writes to an
 * fd; the first failed write is remembered and later output dropped. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include "ctr/json.h"

void ctr_json_w_init(struct ctr_json_w *w, int fd, int pretty)
{
	memset(w, 0, offsetof(struct ctr_json_w, buf));
	w->fd = fd;
	w->pretty = pretty;
}

static void drain(struct ctr_json_w *w)
{
	size_t off = 0;
	ssize_t r;

	while (off < w->n && !w->err) {
		r = write(w->fd, w->buf + off, w->n - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			w->err = r < 0 ? errno : EIO;
		else
			off += (size_t)r;
	}
	w->n = 0;
}

static void put(struct ctr_json_w *w, const char *s, size_t len)
{
	while (len) {
		size_t k = sizeof(w->buf) - w->n;
		if (k > len)
			k = len;
		memcpy(w->buf + w->n, s, k);
		w->n += k;
		s += k;
		len -= k;
		if (w->n == sizeof(w->buf))
			drain(w);
	}
}

static void putc_(struct ctr_json_w *w, char c)
{
	put(w, &c, 1);
}

static void newline(struct ctr_json_w *w)
{
	unsigned i;

	if (!w->pretty)
		return;
	putc_(w, '\n');
	for (i = 0; i < w->depth; i++)
		put(w, "  ", 2);
}

/* Before any value: the comma and indent of an element, unless a key
 * already placed us. */
static void element(struct ctr_json_w *w)
{
	uint64_t bit;

	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (!w->depth)
		return;
	bit = (uint64_t)1 << (w->depth - 1);
	if (w->nonempty & bit)
		putc_(w, ',');
	w->nonempty |= bit;
	newline(w);
}

static void open_(struct ctr_json_w *w, char c)
{
	element(w);
	putc_(w, c);
	if (w->depth >= 64) {
		w->err = w->err ? w->err : EOVERFLOW;
		return;
	}
	if (c == '{')
		w->closers |= (uint64_t)1 << w->depth;
	else
		w->closers &= ~((uint64_t)1 << w->depth);
	w->depth++;
	w->nonempty &= ~((uint64_t)1 << (w->depth - 1));
}

void ctr_json_w_obj(struct ctr_json_w *w)
{
	open_(w, '{');
}

void ctr_json_w_arr(struct ctr_json_w *w)
{
	open_(w, '[');
}

void ctr_json_w_end(struct ctr_json_w *w)
{
	int had;

	if (!w->depth)
		return;
	had = !!(w->nonempty & ((uint64_t)1 << (w->depth - 1)));
	w->depth--;
	if (had)
		newline(w);
	putc_(w, w->closers & ((uint64_t)1 << w->depth) ? '}' : ']');
}

static void string(struct ctr_json_w *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	char esc[6];

	putc_(w, '"');
	while (p < end) {
		const unsigned char *run = p;
		size_t l;

		while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80)
			p++;
		put(w, (const char *)run, (size_t)(p - run));
		if (p == end)
			break;
		if (*p >= 0x80) {
			l = ctr_json_utf8_len(p, (size_t)(end - p));
			if (l) {
				put(w, (const char *)p, l);
				p += l;
			} else {
				put(w, "\\ufffd", 6);
				p++;
			}
			continue;
		}
		esc[0] = '\\';
		switch (*p) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			put(w, esc, 6);
			p++;
			continue;
		}
		put(w, esc, 2);
		p++;
	}
	putc_(w, '"');
}

void ctr_json_w_key(struct ctr_json_w *w, const char *key)
{
	element(w);
	string(w, key, strlen(key));
	put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = 1;
}

void ctr_json_w_strn(struct ctr_json_w *w, const char *s, size_t len)
{
	element(w);
	string(w, s, len);
}

void ctr_json_w_str(struct ctr_json_w *w, const char *s)
{
	if (!s)
		ctr_json_w_null(w);
	else
		ctr_json_w_strn(w, s, strlen(s));
}

void ctr_json_w_uint(struct ctr_json_w *w, uint64_t v)
{
	char b[24], *p = b + sizeof(b);

	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	element(w);
	put(w, p, (size_t)(b + sizeof(b) - p));
}

void ctr_json_w_int(struct ctr_json_w *w, int64_t v)
{
	if (v >= 0) {
		ctr_json_w_uint(w, (uint64_t)v);
		return;
	}
	element(w);
	putc_(w, '-');
	w->after_key = 1;     /* the digits follow without a separator */
	ctr_json_w_uint(w, 0 - (uint64_t)v);
}

void ctr_json_w_bool(struct ctr_json_w *w, int v)
{
	element(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void ctr_json_w_null(struct ctr_json_w *w)
{
	element(w);
	put(w, "null", 4);
}

void ctr_json_w_value(struct ctr_json_w *w, const struct ctr_json *n)
{
	const struct ctr_json *k;

	switch (n->type) {
	case CTR_JSON_NULL: ctr_json_w_null(w); break;
	case CTR_JSON_FALSE: ctr_json_w_bool(w, 0); break;
	case CTR_JSON_TRUE: ctr_json_w_bool(w, 1); break;
	case CTR_JSON_NUMBER:
		element(w);
		put(w, n->v.s, n->len);
		break;
	case CTR_JSON_STRING: ctr_json_w_strn(w, n->v.s, n->len); break;
	default:
		if (n->type == CTR_JSON_OBJECT)
			ctr_json_w_obj(w);
		else
			ctr_json_w_arr(w);
		for (k = n->v.kid; k; k = k->next) {
			if (n->type == CTR_JSON_OBJECT)
				ctr_json_w_key(w, k->key);
			ctr_json_w_value(w, k);
		}
		ctr_json_w_end(w);
	}
}

int ctr_json_w_flush(struct ctr_json_w *w, int end_line)
{
	if (end_line)
		putc_(w, '\n');
	drain(w);
	if (w->err) {
		errno = w->err;
		return -1;
	}
	return 0;
}

void ctr_json_w_kstr(struct ctr_json_w *w, const char *key, const char *s)
{
	ctr_json_w_key(w, key);
	ctr_json_w_str(w, s);
}

void ctr_json_w_kint(struct ctr_json_w *w, const char *key, int64_t v)
{
	ctr_json_w_key(w, key);
	ctr_json_w_int(w, v);
}

void ctr_json_w_kbool(struct ctr_json_w *w, const char *key, int v)
{
	ctr_json_w_key(w, key);
	ctr_json_w_bool(w, v);
}
