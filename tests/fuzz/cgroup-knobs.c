/* cgroup-knobs.c: cgset/cgget's v1 <-> v2 translation (ctr_cgroup_set and
 * ctr_cgroup_get of include/ctr/cgroup.h) on a fake layout: a cgroup2 tree
 * and a v1 hierarchy that are plain directories under a scratch directory,
 * with every translated knob file present (O_WRONLY without O_CREAT: no new
 * file appears). Input: byte 0 picks v2 or v1, the rest is NAME=VALUE. After
 * a successful set, the same name is read back, then the undo list puts the
 * files back. Checks: the sanitizers, and a read that stays in its buffer.
 * The scratch directory is removed at exit. */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctr/cgroup.h"
#include "fuzz.h"

static char root[] = "/tmp/ctrbox-fuzz-cg-XXXXXX";
static struct ctr_cg_layout lay[2];

static const char *const files[][2] = {
	{ "cpu.max", "max 100000" }, { "cpu.weight", "100" }, { "cpu.stat", "usage_usec 5\n" },
	{ "memory.max", "max" }, { "pids.max", "max" }, { "cpuset.cpus", "" }, { "cpuset.mems", "" },
	{ "cpu.cfs_quota_us", "-1" }, { "cpu.cfs_period_us", "100000" }, { "cpu.shares", "1024" },
	{ "memory.limit_in_bytes", "9223372036854771712" }, { "cpuacct.usage", "12345" },
	{ "cpu.idle", "0" }, { "memory.swap.max", "max" },
};

static void mk(const char *dir)
{
	char p[512];
	size_t i;
	int fd;

	mkdir(dir, 0700);
	snprintf(p, sizeof(p), "%s/g", dir);
	mkdir(p, 0700);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/g/%s", dir, files[i][0]);
		fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, files[i][1], strlen(files[i][1])) < 0)
			abort();
		close(fd);
	}
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

static void cleanup(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!mkdtemp(root))
		abort();
	atexit(cleanup);
	/* v2 only */
	lay[0].n = 1, lay[0].v2 = 0;
	lay[0].h[0].version = 2;
	snprintf(lay[0].h[0].mnt, sizeof(lay[0].h[0].mnt), "%s/v2", root);
	snprintf(lay[0].h[0].ctrls, sizeof(lay[0].h[0].ctrls), "cpuset,cpu,io,memory,pids");
	mk(lay[0].h[0].mnt);
	/* v1 only */
	lay[1].n = 1, lay[1].v2 = -1;
	lay[1].h[0].version = 1;
	snprintf(lay[1].h[0].mnt, sizeof(lay[1].h[0].mnt), "%s/v1", root);
	snprintf(lay[1].h[0].ctrls, sizeof(lay[1].h[0].ctrls), "cpu,cpuacct,memory,pids,cpuset");
	mk(lay[1].h[0].mnt);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctr_cg_layout *l;
	char *s, *name, *value, buf[512], canary[8];
	struct ctr_cg_undo u = { 0 };
	struct ctr_err e;

	if (size < 1)
		return 0;
	l = &lay[data[0] & 1];
	s = fuzz_str(data + 1, size - 1);
	memset(&e, 0, sizeof(e));
	if (ctr_cgroup_split_setting(s, &name, &value) == 0 &&
	    ctr_cgroup_set(l, "g", name, value, &u, &e) == 0) {
		memcpy(canary, "canary!", 8);
		if (ctr_cgroup_get(l, "g", name, buf, sizeof(buf), &e) == 0 &&
		    strlen(buf) >= sizeof(buf))
			abort();
		if (memcmp(canary, "canary!", 8) != 0)
			abort();
	}
	/* put the files back as they were: the next input starts the same */
	ctr_cgroup_undo(&u);
	ctr_cgroup_undo_free(&u);
	free(s);
	return 0;
}
