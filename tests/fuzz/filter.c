/* filter.c: lsns -Q/--filter expressions (libctr/filter.c: the expression
 * parser and the regex subset), through the public API only: parse, bind
 * every column (as a string or a number, chosen by the input), and evaluate
 * on rows whose cells come from the input too. */
#include "ctr/filter.h"
#include "fuzz.h"

static const char *cells[4] = { "net", "12", "", "/usr/bin/sleep 100" };

static const char *get(int id, void *arg)
{
	(void)arg;
	return id == 2 ? NULL : cells[id & 3];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctr_filter *f;
	char err[256], *s;
	size_t i, n;
	uint8_t types = 0;

	if (size > 0) {
		types = data[0];
		data++, size--;
	}
	s = fuzz_str(data, size);
	/* "expr\0cell": a row cell from the input */
	if (strlen(s) < size)
		cells[3] = s + strlen(s) + 1;
	else
		cells[3] = "/usr/bin/sleep 100";
	f = ctr_filter_parse(s, err, sizeof(err));
	if (!f) {
		if (!memchr(err, '\0', sizeof(err)))
			abort();
		free(s);
		return 0;
	}
	n = ctr_filter_ncolumns(f);
	for (i = 0; i < n; i++) {
		if (!ctr_filter_column(f, i))
			abort();
		if (ctr_filter_bind(f, i, (types >> (i & 7)) & 1 ? CTR_FILTER_NUMBER : CTR_FILTER_STRING,
				    (int)(i & 3), err, sizeof(err)) < 0)
			goto done;
	}
	ctr_filter_eval(f, get, NULL);
	ctr_filter_eval(f, get, NULL);
done:
	ctr_filter_free(f);
	free(s);
	return 0;
}
