/* oci-config.c: libFuzzer harness for config.json -> struct ctr_spec
 * (libctr/oci.c, ocilinux.c, ociseccomp.c): whatever the input, parsing
 * either fills a spec that validates or fails with a message; no crash, no
 * leak. Corpus: tests/fuzz/corpus/oci-config (runc, crun, podman and
 * containerd's configs); branch compat's tests/fuzz/run.sh runs it by name.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -D_GNU_SOURCE \
 *     tests/fuzz/oci-config.c libctr/[a-z]*.c -o build-fuzz/oci-config (every libctr file)
 *   build-fuzz/oci-config -max_total_time=60 tests/fuzz/corpus/oci-config */
#include <stdint.h>
#include <stdlib.h>
#include "ctr/oci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctr_json *doc;
	struct ctr_oci o;
	struct ctr_err e = { 0 };

	doc = ctr_json_parse((const char *)data, size, 0, &e);
	if (!doc)
		return 0;
	if (ctr_oci_from_json(&o, doc, "/nonexistent-bundle", &e) < 0) {
		if (!e.what)
			abort();     /* a failure always says what */
		return 0;
	}
	if (o.seccomp)
		ctr_oci_seccomp_attach(&o, &e);
	if (ctr_spec_validate(&o.spec, &e) < 0)
		abort();             /* from_json validated it */
	ctr_oci_free(&o);
	return 0;
}
