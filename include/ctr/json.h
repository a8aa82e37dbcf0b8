/* JSON: a strict reader (RFC 8259) building a small DOM on one arena, and a
 * streaming writer.
 *
 * Reader: the input is size-capped and depth-capped; strings must be valid
 * UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), escapes
 * exactly those of the RFC, \u surrogates paired; "\u0000" is refused since
 * every string is handed out NUL-terminated. Numbers keep their text and are
 * converted on request to int64/uint64 with range errors (as Go's
 * encoding/json, which runc and containerd use, converts them). Duplicate
 * members are kept; ctr_json_get returns the last one, as Go does.
 * One malloc holds the nodes and a decoded copy of the input; free the
 * document by ctr_json_free(root).
 *
 * Writer: objects, arrays, escaped strings (invalid UTF-8 bytes become
 * U+FFFD, as Go's encoder does), integers; compact or indented by two spaces
 * (runc's `state` output). Buffered, to an fd; errors are sticky and reported
 * once by ctr_json_w_flush. */
#ifndef CTR_JSON_H
#define CTR_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "ctr/err.h"

#define CTR_JSON_MAX_SIZE  (4u << 20)   /* default input cap: 4 MiB */
#define CTR_JSON_MAX_DEPTH 64u

enum ctr_json_type {
	CTR_JSON_NULL,
	CTR_JSON_FALSE,
	CTR_JSON_TRUE,
	CTR_JSON_NUMBER,   /* s: its text (not NUL-terminated), len bytes */
	CTR_JSON_STRING,   /* s: decoded UTF-8, NUL-terminated, len bytes */
	CTR_JSON_ARRAY,    /* kid: first element, len elements */
	CTR_JSON_OBJECT,   /* kid: first member (its key set), len members */
};

struct ctr_json {
	uint8_t type;
	uint32_t len;
	const char *key;          /* member name when inside an object, else NULL */
	union {
		const char *s;
		struct ctr_json *kid;
	} v;
	struct ctr_json *next;    /* next element or member */
};

/* Parse len bytes of text (at most max bytes; 0 means CTR_JSON_MAX_SIZE).
 * Returns the root, or NULL with e filled: what "json", detail
 * "line L, column C: problem" (err EINVAL, EFBIG when too large, ENOMEM). */
struct ctr_json *ctr_json_parse(const char *text, size_t len, size_t max, struct ctr_err *e);
/* Read a whole file (at most max bytes, 0: CTR_JSON_MAX_SIZE) and parse it;
 * errors name the path. dirfd as openat(2). */
struct ctr_json *ctr_json_load(int dirfd, const char *path, size_t max, struct ctr_err *e);
void ctr_json_free(struct ctr_json *root);

/* The member named key of an object (the last one of that name), or NULL
 * when absent or when obj is NULL or not an object. */
struct ctr_json *ctr_json_get(const struct ctr_json *obj, const char *key);
/* The string, or NULL when n is not a string. */
const char *ctr_json_str(const struct ctr_json *n);
/* Integer conversions: 0, or -1 with errno EINVAL (not a number, or not an
 * integer: a fraction or exponent) or ERANGE (does not fit). */
int ctr_json_i64(const struct ctr_json *n, int64_t *out);
int ctr_json_u64(const struct ctr_json *n, uint64_t *out);

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
size_t ctr_json_utf8_len(const unsigned char *p, size_t n);

/* ---- writer ---- */
struct ctr_json_w {
	int fd;
	int err;                  /* first errno of a failed write, sticky */
	int pretty;               /* indent by two spaces, newline per element */
	unsigned depth;
	uint64_t nonempty;        /* bit d: the container at depth d has an element */
	uint64_t closers;         /* bit d: the container at depth d is an object */
	int after_key;            /* a key was written, its value is next */
	size_t n;
	char buf[4096];
};

void ctr_json_w_init(struct ctr_json_w *w, int fd, int pretty);
void ctr_json_w_obj(struct ctr_json_w *w);
void ctr_json_w_arr(struct ctr_json_w *w);
void ctr_json_w_end(struct ctr_json_w *w);       /* closes the innermost */
void ctr_json_w_key(struct ctr_json_w *w, const char *key);
void ctr_json_w_str(struct ctr_json_w *w, const char *s);   /* NULL: null */
void ctr_json_w_strn(struct ctr_json_w *w, const char *s, size_t len);
void ctr_json_w_int(struct ctr_json_w *w, int64_t v);
void ctr_json_w_uint(struct ctr_json_w *w, uint64_t v);
void ctr_json_w_bool(struct ctr_json_w *w, int v);
void ctr_json_w_null(struct ctr_json_w *w);
/* Re-emit a parsed value (a subtree of a document) as it is. */
void ctr_json_w_value(struct ctr_json_w *w, const struct ctr_json *n);
/* Write what is buffered (and a final newline if end_line): 0, or -1 with
 * errno of the first failed write. */
int ctr_json_w_flush(struct ctr_json_w *w, int end_line);

/* Member shorthands: key then value. */
void ctr_json_w_kstr(struct ctr_json_w *w, const char *key, const char *s);
void ctr_json_w_kint(struct ctr_json_w *w, const char *key, int64_t v);
void ctr_json_w_kbool(struct ctr_json_w *w, const char *key, int v);

#endif
