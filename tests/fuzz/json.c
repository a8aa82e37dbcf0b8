/* json.c: libFuzzer harness for libctr's JSON reader and writer.
 *
 * Property: whatever parses is written back (compact), the output parses
 * again and writes back byte for byte the same; whatever does not parse
 * fails with an error message. Integer conversions run on every number.
 *
 *   libFuzzer:  clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 -D_GNU_SOURCE tests/fuzz/json.c libctr/json.c libctr/jsonw.c \
 *                 libctr/err.c -o build-fuzz/json
 *               build-fuzz/json -max_total_time=60 tests/fuzz/corpus/json
 *   standalone: the same without -fsanitize=fuzzer plus -DJSON_FUZZ_MAIN: runs
 *               each FILE argument through the harness, prints "FILE: ok" or
 *               "FILE: <error>", exits 1 when any file did not parse. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ctr/json.h"

static void walk(const struct ctr_json *n)
{
	int64_t i;
	uint64_t u;

	for (; n; n = n->next) {
		if (n->type == CTR_JSON_NUMBER) {
			(void)ctr_json_i64(n, &i);
			(void)ctr_json_u64(n, &u);
		}
		if (n->type == CTR_JSON_OBJECT || n->type == CTR_JSON_ARRAY)
			walk(n->v.kid);
		if (n->key)
			(void)ctr_json_get(n, n->key);
	}
}

/* Serialize n into a fresh memfd; returns its bytes (malloc'd), *len set. */
static char *dump(const struct ctr_json *n, size_t *len)
{
	struct ctr_json_w w;
	int fd = memfd_create("json", MFD_CLOEXEC);
	off_t end;
	char *buf;

	if (fd < 0)
		abort();
	ctr_json_w_init(&w, fd, 0);
	ctr_json_w_value(&w, n);
	if (ctr_json_w_flush(&w, 0) < 0)
		abort();
	end = lseek(fd, 0, SEEK_END);
	buf = malloc((size_t)end + 1);
	if (!buf || pread(fd, buf, (size_t)end, 0) != end)
		abort();
	close(fd);
	*len = (size_t)end;
	return buf;
}

static int one(const uint8_t *data, size_t size, struct ctr_err *e)
{
	struct ctr_json *a, *b;
	char *ta, *tb;
	size_t la, lb;

	a = ctr_json_parse((const char *)data, size, 0, e);
	if (!a) {
		if (!e->detail[0] || e->err == 0)
			abort();
		return -1;
	}
	walk(a);
	ta = dump(a, &la);
	b = ctr_json_parse(ta, la, 0, e);
	if (!b)
		abort();               /* our own output must parse */
	tb = dump(b, &lb);
	if (la != lb || memcmp(ta, tb, la) != 0)
		abort();               /* and be stable */
	free(ta);
	free(tb);
	ctr_json_free(a);
	ctr_json_free(b);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctr_err e;

	one(data, size, &e);
	return 0;
}

#ifdef JSON_FUZZ_MAIN
int main(int argc, char *argv[])
{
	static uint8_t buf[8 << 20];
	struct ctr_err e;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		if (one(buf, n, &e) == 0) {
			printf("%s: ok\n", argv[i]);
		} else {
			printf("%s: %s: %s\n", argv[i], e.what, e.detail);
			rc = 1;
		}
	}
	return rc;
}
#endif
