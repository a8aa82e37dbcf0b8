/* json.c: the strict JSON reader (see include/ctr/json.h).
 *
 * One pass counts an upper bound of the nodes (every value but the first
 * follows a ',', '[' or '{'), one malloc holds that many nodes and a copy of
 * the text, and a recursive descent parser (depth-capped) fills them. Strings
 * are decoded in place: an escape is never shorter than what it decodes to. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctr/json.h"

struct parser {
	char *p, *end;            /* cursor in the copy */
	char *copy;
	const char *text;         /* the caller's text, for line numbers */
	struct ctr_json *nodes;
	size_t n, cap;
	unsigned depth;
	const char *msg;          /* what went wrong, NULL while fine */
	char *at;                 /* where */
};

size_t ctr_json_utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c < 0xc2)             /* continuation byte, or overlong 2-byte lead */
		return 0;
	if (c < 0xe0) {
		len = 2;
		cp = c & 0x1f;
	} else if (c < 0xf0) {
		len = 3;
		cp = c & 0x0f;
	} else if (c < 0xf5) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int fail(struct parser *ps, const char *msg)
{
	if (!ps->msg) {
		ps->msg = msg;
		ps->at = ps->p;
	}
	return -1;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int hex4(struct parser *ps, const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	if (ps->end - s < 4)
		return fail(ps, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return fail(ps, "bad hex digit in \\u escape");
	}
	*out = v;
	return 0;
}

static char *put_utf8(char *w, uint32_t cp)
{
	if (cp < 0x80) {
		*w++ = (char)cp;
	} else if (cp < 0x800) {
		*w++ = (char)(0xc0 | cp >> 6);
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*w++ = (char)(0xe0 | cp >> 12);
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*w++ = (char)(0xf0 | cp >> 18);
		*w++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	}
	return w;
}

/* At the opening quote: decode the string in place, NUL-terminate it. */
static int string(struct parser *ps, const char **out, uint32_t *outlen)
{
	char *start = ++ps->p, *w = start;
	uint32_t cp, lo;
	size_t l;

	for (;;) {
		unsigned char c;

		if (ps->p >= ps->end)
			return fail(ps, "unterminated string");
		c = (unsigned char)*ps->p;
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(ps, "control character in string");
		if (c < 0x80 && c != '\\') {  /* ASCII: the common case, no call */
			*w++ = (char)c;
			ps->p++;
			continue;
		}
		if (c != '\\') {
			l = ctr_json_utf8_len((const unsigned char *)ps->p, (size_t)(ps->end - ps->p));
			if (!l)
				return fail(ps, "invalid UTF-8 in string");
			memmove(w, ps->p, l);
			w += l;
			ps->p += l;
			continue;
		}
		if (ps->end - ps->p < 2)
			return fail(ps, "unterminated string");
		switch (ps->p[1]) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '/': *w++ = '/'; break;
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'u':
			if (hex4(ps, ps->p + 2, &cp) < 0)
				return -1;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return fail(ps, "unpaired surrogate in \\u escape");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->end - ps->p < 12 || ps->p[6] != '\\' || ps->p[7] != 'u')
					return fail(ps, "unpaired surrogate in \\u escape");
				if (hex4(ps, ps->p + 8, &lo) < 0)
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail(ps, "unpaired surrogate in \\u escape");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				ps->p += 6;
			}
			if (cp == 0)
				return fail(ps, "\\u0000 in string not supported");
			w = put_utf8(w, cp);
			ps->p += 4;
			break;
		default:
			return fail(ps, "bad escape in string");
		}
		ps->p += 2;
	}
	ps->p++;
	*w = '\0';
	*out = start;
	*outlen = (uint32_t)(w - start);
	return 0;
}

static int digits(struct parser *ps)
{
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return fail(ps, "bad number");
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return 0;
}

static int number(struct parser *ps, struct ctr_json *n)
{
	char *start = ps->p;

	if (*ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0') {
		ps->p++;
		if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			return fail(ps, "leading zero in number");
	} else if (digits(ps) < 0) {
		return -1;
	}
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (digits(ps) < 0)
			return -1;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (digits(ps) < 0)
			return -1;
	}
	n->type = CTR_JSON_NUMBER;
	n->v.s = start;
	n->len = (uint32_t)(ps->p - start);
	return 0;
}

static int literal(struct parser *ps, const char *word, size_t len)
{
	if ((size_t)(ps->end - ps->p) < len || memcmp(ps->p, word, len) != 0)
		return fail(ps, "unexpected character");
	ps->p += len;
	return 0;
}

static struct ctr_json *new_node(struct parser *ps)
{
	struct ctr_json *n;

	if (ps->n >= ps->cap) {   /* cannot happen: cap is an upper bound */
		fail(ps, "too many values");
		return NULL;
	}
	n = &ps->nodes[ps->n++];
	memset(n, 0, sizeof(*n));
	return n;
}

static int value(struct parser *ps, struct ctr_json *n);

/* At '[' or '{'. */
static int container(struct parser *ps, struct ctr_json *n, int obj)
{
	struct ctr_json **link = &n->v.kid, *kid;
	const char *key = NULL;
	uint32_t keylen;
	char close = obj ? '}' : ']';

	if (++ps->depth > CTR_JSON_MAX_DEPTH)
		return fail(ps, "nested too deeply");
	n->type = obj ? CTR_JSON_OBJECT : CTR_JSON_ARRAY;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return 0;
	}
	for (;;) {
		if (obj) {
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "expected a member name");
			if (string(ps, &key, &keylen) < 0)
				return -1;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return fail(ps, "expected ':'");
			ps->p++;
			skip_ws(ps);
		}
		kid = new_node(ps);
		if (!kid || value(ps, kid) < 0)
			return -1;
		kid->key = key;
		*link = kid;
		link = &kid->next;
		n->len++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == close)
			break;
		return fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
	ps->p++;
	ps->depth--;
	return 0;
}

static int value(struct parser *ps, struct ctr_json *n)
{
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end of input");
	switch (*ps->p) {
	case '{':
		return container(ps, n, 1);
	case '[':
		return container(ps, n, 0);
	case '"':
		n->type = CTR_JSON_STRING;
		return string(ps, &n->v.s, &n->len);
	case 't':
		n->type = CTR_JSON_TRUE;
		return literal(ps, "true", 4);
	case 'f':
		n->type = CTR_JSON_FALSE;
		return literal(ps, "false", 5);
	case 'n':
		n->type = CTR_JSON_NULL;
		return literal(ps, "null", 4);
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return number(ps, n);
		return fail(ps, "unexpected character");
	}
}

static void where(const struct parser *ps, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (ps->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

struct ctr_json *ctr_json_parse(const char *text, size_t len, size_t max, struct ctr_err *e)
{
	struct parser ps;
	size_t i, cap = 1, line, col;
	char *mem;

	if (!max)
		max = CTR_JSON_MAX_SIZE;
	if (len > max) {
		ctr_err_set(e, EFBIG, "json", "input of %zu bytes, the limit is %zu", len, max);
		return NULL;
	}
	for (i = 0; i < len; i++)
		if (text[i] == ',' || text[i] == '[' || text[i] == '{')
			cap++;
	mem = malloc(cap * sizeof(struct ctr_json) + len + 1);
	if (!mem) {
		ctr_err_set(e, ENOMEM, "json", "input of %zu bytes", len);
		return NULL;
	}
	memset(&ps, 0, sizeof(ps));
	ps.nodes = (struct ctr_json *)(void *)mem;
	ps.cap = cap;
	ps.copy = mem + cap * sizeof(struct ctr_json);
	memcpy(ps.copy, text, len);
	ps.copy[len] = '\0';
	ps.p = ps.copy;
	ps.end = ps.copy + len;
	ps.text = text;
	skip_ws(&ps);
	if (value(&ps, new_node(&ps)) == 0) {
		skip_ws(&ps);
		if (ps.p == ps.end)
			return ps.nodes;
		fail(&ps, "trailing data after the value");
	}
	where(&ps, (size_t)(ps.at - ps.copy), &line, &col);
	ctr_err_set(e, EINVAL, "json", "line %zu, column %zu: %s", line, col, ps.msg);
	free(mem);
	return NULL;
}

struct ctr_json *ctr_json_load(int dirfd, const char *path, size_t max, struct ctr_err *e)
{
	struct ctr_json *root = NULL;
	struct stat st;
	size_t len = 0, cap;
	char *buf = NULL;
	ssize_t r;
	int fd;

	if (!max)
		max = CTR_JSON_MAX_SIZE;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ctr_err_sys(e, "open", "%s", path);
		return NULL;
	}
	cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size < max ?
		(size_t)st.st_size + 1 : 4096;
	buf = malloc(cap);
	while (buf) {
		if (len == cap) {   /* grown since fstat, or not a regular file */
			char *nb = len > max ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				if (len > max)
					ctr_err_set(e, EFBIG, "read", "%s: larger than %zu bytes",
						    path, max);
				else
					ctr_err_set(e, ENOMEM, "read", "%s", path);
				goto out;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ctr_err_sys(e, "read", "%s", path);
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (!buf) {
		ctr_err_set(e, ENOMEM, "read", "%s", path);
		goto out;
	}
	root = ctr_json_parse(buf, len, max, e);
	if (!root && e) {   /* name the file in front of "line L, column C" */
		char d[sizeof(e->detail)];
		memcpy(d, e->detail, sizeof(d));
		ctr_err_set(e, e->err, "parse", "%s: %s", path, d);
	}
out:
	free(buf);
	close(fd);
	return root;
}

void ctr_json_free(struct ctr_json *root)
{
	free(root);
}

struct ctr_json *ctr_json_get(const struct ctr_json *obj, const char *key)
{
	struct ctr_json *k, *found = NULL;

	if (!obj || obj->type != CTR_JSON_OBJECT)
		return NULL;
	for (k = obj->v.kid; k; k = k->next)
		if (strcmp(k->key, key) == 0)
			found = k;
	return found;
}

const char *ctr_json_str(const struct ctr_json *n)
{
	return n && n->type == CTR_JSON_STRING ? n->v.s : NULL;
}

/* The magnitude of an integer's text; -1 EINVAL for a fraction/exponent. */
static int magnitude(const struct ctr_json *n, uint64_t *mag, int *neg)
{
	const char *s, *end;
	uint64_t v = 0;

	if (!n || n->type != CTR_JSON_NUMBER) {
		errno = EINVAL;
		return -1;
	}
	s = n->v.s;
	end = s + n->len;
	*neg = *s == '-';
	s += *neg;
	for (; s < end; s++) {
		unsigned d;
		if (*s < '0' || *s > '9') {
			errno = EINVAL;
			return -1;
		}
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10) {
			errno = ERANGE;
			return -1;
		}
		v = v * 10 + d;
	}
	*mag = v;
	return 0;
}

int ctr_json_u64(const struct ctr_json *n, uint64_t *out)
{
	uint64_t m;
	int neg;

	if (magnitude(n, &m, &neg) < 0)
		return -1;
	if (neg && m) {
		errno = ERANGE;
		return -1;
	}
	*out = m;
	return 0;
}

int ctr_json_i64(const struct ctr_json *n, int64_t *out)
{
	uint64_t m;
	int neg;

	if (magnitude(n, &m, &neg) < 0)
		return -1;
	if (m > (uint64_t)INT64_MAX + (uint64_t)neg) {
		errno = ERANGE;
		return -1;
	}
	*out = neg ? (int64_t)(0 - m) : (int64_t)m;
	return 0;
}
