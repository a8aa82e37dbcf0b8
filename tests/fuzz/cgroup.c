/* cgroup.c: the cgroup parsers that take user input, through the public
 * API (include/ctr/cgroup.h): -r NAME=VALUE splitting, the check of a
 * setting's form, the knob's controller, group path normalisation, and the
 * v1 cpu.shares <-> v2 cpu.weight translation (weight -> shares -> weight is
 * the identity on 1..10000; shares -> weight stays in 1..10000). */
#include "ctr/cgroup.h"
#include "ctr/err.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *copy, *name, *value, out[4096];
	struct ctr_err e;
	uint64_t x = 0, w;
	size_t i;

	copy = strdup(s);
	if (ctr_cgroup_split_setting(copy, &name, &value) == 0) {
		if (!*name || value < name)
			abort();
		memset(&e, 0, sizeof(e));
		ctr_cgroup_check(name, value, &e);
		ctr_cgroup_knob_ctrl(name, out, sizeof(out));
		ctr_cgroup_knob_ctrl(name, out, 3);
	} else if (strcmp(copy, s) != 0) {
		abort();	/* refused: arg untouched */
	}
	if (ctr_cgroup_norm(s, out, sizeof(out)) == 0 && strlen(out) >= sizeof(out))
		abort();
	ctr_cgroup_norm(s, out, 8);
	for (i = 0; i < size && i < 8; i++)
		x = x << 8 | data[i];
	w = ctr_cgroup_shares_to_weight(x);
	if (w < 1 || w > 10000)
		abort();
	w = x % 10000 + 1;
	if (ctr_cgroup_shares_to_weight(ctr_cgroup_weight_to_shares(w)) != w)
		abort();
	free(copy);
	free(s);
	return 0;
}
