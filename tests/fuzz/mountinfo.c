/* mountinfo.c: one line of /proc/PID/mountinfo (ctr_mountinfo_parse) and
 * the octal unescaping. Input: lines; each parsed on its own. Checks: every
 * field of a parsed line points into that line. */
#include "ctr/mount.h"
#include "fuzz.h"

static void inside(const char *p, const char *b, size_t n)
{
	if (p && (p < b || p > b + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *line, *save = NULL;
	struct ctr_mountinfo mi;
	size_t n;

	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		n = strlen(line);
		memset(&mi, 0, sizeof(mi));
		if (ctr_mountinfo_parse(line, &mi) < 0)
			continue;
		if (!mi.root || !mi.target || !mi.vfs_opts || !mi.fields || !mi.fstype ||
		    !mi.source || !mi.super_opts)
			abort();
		inside(mi.root, line, n);
		inside(mi.target, line, n);
		inside(mi.source, line, n);
		(void)strlen(mi.fstype);
		(void)strlen(mi.super_opts);
		(void)strlen(mi.fields);
	}
	free(s);
	return 0;
}
