/* proc-cgroup.c: /proc/PID/cgroup as nsenter -c reads it
 * (ctr_nsjoin_cgroup_open: "ID:CONTROLLERS:PATH" lines, matched against this
 * machine's cgroup mounts). The input is served through a memfd; cgroup.procs
 * files found are only opened (never written) and closed again. */
#include <sys/mman.h>
#include <unistd.h>
#include "ctr/err.h"
#include "ctr/nsjoin.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctr_cgjoin cg = { 0 };
	struct ctr_err e;
	int fd = memfd_create("fuzz-cgroup", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	memset(&e, 0, sizeof(e));
	if (ctr_nsjoin_cgroup_open(fd, &cg, &e) == 0) {
		if (cg.n < 1 || cg.n > CTR_CGJOIN_MAX)
			abort();
		ctr_nsjoin_cgroup_close(&cg);
	}
	if (cg.n != 0)
		abort();	/* every fd closed, on failure too */
	close(fd);
	return 0;
}
