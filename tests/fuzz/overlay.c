/* overlay.c: overlay options as mountinfo shows them (libctr/overlay.c):
 * "lowerdir=a\:b:c" with overlay's backslash escapes and mountinfo's octal
 * ones, "lowerdir+=", "datadir+=", upperdir, workdir, relative layers
 * resolved through ovlmount's link dir. Input: the super options of one
 * overlay mount on /fuzz/m. Checks: every layer is a string, their count is
 * at most the number of ':' and '+=' separators plus one per lowerdir. */
#include "ctr/mount.h"
#include "ctr/overlay.h"
#include "fuzz.h"

static size_t limit;

static int check(const struct ctr_ovl_info *ov, void *arg)
{
	size_t i;

	(void)arg;
	if (ov->nlower > limit)
		abort();
	for (i = 0; i < ov->nlower; i++)
		(void)strlen(ov->lower[i]);
	if (ov->upper)
		(void)strlen(ov->upper);
	if (ov->work)
		(void)strlen(ov->work);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *opts = fuzz_str(data, size), target[] = "/fuzz/m", fstype[] = "overlay";
	struct ctr_mountinfo mi = { 0 };
	size_t i;

	limit = 1;
	for (i = 0; i < size; i++)
		limit += data[i] == ':' || data[i] == ',' || data[i] == '=';
	mi.id = 1;
	mi.target = target;
	mi.fstype = fstype;
	mi.super_opts = opts;
	ctr_ovl_from_mountinfo(&mi, check, NULL);
	free(opts);
	return 0;
}
