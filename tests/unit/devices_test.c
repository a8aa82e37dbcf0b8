/* devices_test.c: device rules (parse/format, docker's default decisions),
 * the cgroup v2 device program through a small eBPF interpreter against
 * ctr_devices_allowed, and both versions for real: in a child cgroup of our
 * own, a mknod'ed /dev/mem-style node (1:1) and a loop block node (7:0) fail
 * to open with EPERM while null (1:3) works. Device nodes live on a private
 * tmpfs in a mount namespace of the test's own. */
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "ctr/devices.h"
#include "unit.h"

static void t_parse_format(void)
{
	static const char *const good[] = { "c 1:3 rwm", "b *:* m", "c 136:* rw", "a *:* rwm",
		"c 5:1 r", "b 7:0 w", "c 4294967295:0 rwm" };
	static const char *const bad[] = { "", "x 1:3 rwm", "c 1:3 rwx", "c 1-3 r", "c :3 r",
		"c 1:3 ", "c1:3 r", "c 1:3 r ", "c 4294967296:0 r", "c -1:3 r" };
	struct ctr_dev_rule r;
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		CHECK(ctr_devices_parse(good[i], &r) == 0);
		CHECK(ctr_devices_format(&r, buf, sizeof(buf)) == (int)strlen(good[i]));
		CHECK(strcmp(buf, good[i]) == 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (ctr_devices_parse(bad[i], &r) == 0) {
			printf("#   accepted '%s'\n", bad[i]);
			unit_failures++;
		}
	CHECK(ctr_devices_parse("a", &r) == 0 && r.type == 'a' && r.major == CTR_DEV_WILDCARD &&
	      r.access == 7);
	CHECK(ctr_devices_parse("c 1:3", &r) == 0 && r.access == 7);
	CHECK(ctr_devices_format(&r, buf, 5) == -1);
}

/* Random text over the rules' alphabet: parse never reads past the string,
 * and what it accepts formats back to text that parses to the same rule. */
static void t_parse_fuzz(void)
{
	static const char abc[] = "abcmrw*: 0123456789x";
	uint32_t s = 99;
	char in[24], out[64];
	int iter, bad = 0, accepted = 0;

	for (iter = 0; iter < 200000; iter++) {
		struct ctr_dev_rule r, r2;
		size_t n = s % 14, i;

		s ^= s << 13, s ^= s >> 17, s ^= s << 5;
		for (i = 0; i < n; i++) {
			s ^= s << 13, s ^= s >> 17, s ^= s << 5;
			in[i] = abc[s % (sizeof(abc) - 1)];
		}
		in[n] = 0;
		if (ctr_devices_parse(in, &r) < 0)
			continue;
		accepted++;
		if (ctr_devices_format(&r, out, sizeof(out)) < 0 || ctr_devices_parse(out, &r2) < 0 ||
		    r.type != r2.type || r.major != r2.major || r.minor != r2.minor ||
		    r.access != r2.access)
			bad++;
	}
	printf("# %d of 200000 accepted\n", accepted);
	CHECK(accepted > 0);
	CHECK_EQ(bad, 0);
}

static void t_default(void)
{
	size_t n;
	const struct ctr_dev_rule *d = ctr_devices_docker_default(&n);
	const unsigned R = CTR_DEV_READ, W = CTR_DEV_WRITE, M = CTR_DEV_MKNOD;

	CHECK(ctr_devices_allowed(d, n, 'c', 1, 3, R | W));
	CHECK(ctr_devices_allowed(d, n, 'c', 1, 9, R));
	CHECK(ctr_devices_allowed(d, n, 'c', 5, 2, R | W | M));
	CHECK(ctr_devices_allowed(d, n, 'c', 136, 42, R | W));
	CHECK(ctr_devices_allowed(d, n, 'c', 5, 1, R | W));
	CHECK(ctr_devices_allowed(d, n, 'c', 1, 1, M));
	CHECK(ctr_devices_allowed(d, n, 'b', 7, 0, M));
	CHECK(!ctr_devices_allowed(d, n, 'c', 1, 1, R));
	CHECK(!ctr_devices_allowed(d, n, 'c', 1, 1, M | R));
	CHECK(!ctr_devices_allowed(d, n, 'b', 7, 0, R));
	CHECK(!ctr_devices_allowed(d, n, 'c', 10, 229, R | W));   /* fuse */
	CHECK(!ctr_devices_allowed(d, n, 'c', 10, 200, R | W));   /* tun */
	CHECK(!ctr_devices_allowed(d, n, 'b', 1, 3, R));

	/* a partial deny after an allow, as v1's exceptions */
	struct ctr_dev_rule r[2];
	CHECK(ctr_devices_parse("c 1:3 rwm", &r[0]) == 0);
	CHECK(ctr_devices_parse("c 1:3 w", &r[1]) == 0);
	r[1].allow = 0;
	CHECK(ctr_devices_allowed(r, 2, 'c', 1, 3, R));
	CHECK(!ctr_devices_allowed(r, 2, 'c', 1, 3, W));
	CHECK(!ctr_devices_allowed(r, 2, 'c', 1, 3, R | W));
	CHECK(ctr_devices_allowed(r, 2, 'c', 1, 3, R | M));
}

/* The eBPF subset ctr_devices_bpf_build emits, run as the kernel would. */
static int run_prog(const uint64_t *p, int len, unsigned type, unsigned acc, unsigned maj,
		    unsigned min)
{
	uint32_t ctx[3] = { acc << 16 | type, maj, min };
	uint64_t r[11] = { 0 };
	int pc = 0;

	while (pc >= 0 && pc < len) {
		struct { uint8_t code, regs; int16_t off; int32_t imm; } in;
		int d, s;

		memcpy(&in, &p[pc++], 8);
		d = in.regs & 15;
		s = in.regs >> 4;
		switch (in.code) {
		case 0x61: r[d] = s == 1 ? ctx[in.off / 4] : 0; break;
		case 0xbc: r[d] = (uint32_t)r[s]; break;
		case 0xb4: r[d] = (uint32_t)in.imm; break;
		case 0x54: r[d] = (uint32_t)r[d] & (uint32_t)in.imm; break;
		case 0x74: r[d] = (uint32_t)r[d] >> in.imm; break;
		case 0x56: if ((uint32_t)r[d] != (uint32_t)in.imm) pc += in.off; break;
		case 0x16: if ((uint32_t)r[d] == (uint32_t)in.imm) pc += in.off; break;
		case 0x95: return (int)r[0];
		default: return -1;
		}
	}
	return -1;
}

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void t_bpf_vs_rules(void)
{
	static uint64_t prog[CTR_DEVICES_MAXINSNS];
	struct ctr_dev_rule rules[12];
	uint32_t s = 12345;
	int iter, len, bad = 0;
	size_t n, i;
	const struct ctr_dev_rule *d = ctr_devices_docker_default(&n);

	len = ctr_devices_bpf_build(d, n, prog, CTR_DEVICES_MAXINSNS);
	printf("# docker default device program: %d insns\n", len);
	CHECK(len > 0);
	for (iter = 0; iter < 2000; iter++) {
		size_t nr = rnd(&s) % 12;

		for (i = 0; i < nr; i++) {
			rules[i].type = "abcc"[rnd(&s) % 4];
			rules[i].major = rnd(&s) % 3 ? (int64_t)(rnd(&s) % 4) : CTR_DEV_WILDCARD;
			rules[i].minor = rnd(&s) % 3 ? (int64_t)(rnd(&s) % 4) : CTR_DEV_WILDCARD;
			rules[i].access = (uint8_t)(1 + rnd(&s) % 7);
			rules[i].allow = (uint8_t)(rnd(&s) % 2);
		}
		len = ctr_devices_bpf_build(rules, nr, prog, CTR_DEVICES_MAXINSNS);
		for (i = 0; i < 40; i++) {
			char t = rnd(&s) % 2 ? 'c' : 'b';
			unsigned maj = rnd(&s) % 5, min = rnd(&s) % 5, acc = 1 + rnd(&s) % 7;
			/* kernel access bits: MKNOD 1, READ 2, WRITE 4 */
			unsigned kacc = (acc & CTR_DEV_MKNOD ? 1 : 0) | (acc & CTR_DEV_READ ? 2 : 0) |
					(acc & CTR_DEV_WRITE ? 4 : 0);

			if (run_prog(prog, len, t == 'b' ? 1 : 2, kacc, maj, min) !=
			    ctr_devices_allowed(rules, nr, t, maj, min, acc))
				bad++;
		}
	}
	CHECK_EQ(bad, 0);
}

/* ---- for real ---- */

/* The mount point of the v1 hierarchy with controller ctl, or of cgroup2
 * when ctl is NULL. */
static int cg_mount(const char *ctl, char *out, size_t n)
{
	char line[1024], mnt[512], fst[64], opts[512];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(dash, " - %63s %*s %511s", fst, opts) != 2)
			continue;
		if (ctl ? strcmp(fst, "cgroup") == 0 && strstr(opts, ctl) : strcmp(fst, "cgroup2") == 0)
			found = snprintf(out, n, "%s", mnt) > 0;
	}
	fclose(f);
	return found ? 0 : -1;
}

static char nodes[64];

/* Private tmpfs with null (1:3), mem (1:1) and a loop block node (7:0). */
static void make_nodes(void)
{
	char p[128];

	strcpy(nodes, "/tmp/ctrbox-unit-devices-XXXXXX");
	CHECK(mkdtemp(nodes) != NULL);
	CHECK(unshare(CLONE_NEWNS) == 0);
	CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	CHECK(mount("none", nodes, "tmpfs", 0, "size=16k") == 0);
	snprintf(p, sizeof(p), "%s/null", nodes);
	CHECK(mknod(p, S_IFCHR | 0666, makedev(1, 3)) == 0);
	snprintf(p, sizeof(p), "%s/zero", nodes);
	CHECK(mknod(p, S_IFCHR | 0666, makedev(1, 5)) == 0);
	snprintf(p, sizeof(p), "%s/mem", nodes);
	CHECK(mknod(p, S_IFCHR | 0600, makedev(1, 1)) == 0);
	snprintf(p, sizeof(p), "%s/loop", nodes);
	CHECK(mknod(p, S_IFBLK | 0600, makedev(7, 0)) == 0);
}

static void drop_nodes(void)
{
	CHECK(umount2(nodes, MNT_DETACH) == 0);
	CHECK(rmdir(nodes) == 0);
}

static int open_errno(const char *name, int flags)
{
	char p[128];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", nodes, name);
	fd = open(p, flags | O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* In a child that joined group dir (via its cgroup.procs): null opens,
 * mem and loop do not, and a new node can still be made (mknod "m"). */
static void check_in_group(const char *dir)
{
	char procs[600], p[128];
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		int fd = open(procs, O_WRONLY);
		CHECK(fd >= 0 && write(fd, "0", 1) == 1);
		close(fd);
		CHECK_EQ(open_errno("null", O_RDWR), 0);
		CHECK_EQ(open_errno("mem", O_RDONLY), EPERM);
		CHECK_EQ(open_errno("loop", O_RDONLY), EPERM);
		snprintf(p, sizeof(p), "%s/mem2", nodes);
		CHECK(mknod(p, S_IFCHR | 0600, makedev(1, 1)) == 0);
		CHECK_EQ(open_errno("mem2", O_RDONLY), EPERM);
		fflush(stdout);
		_exit(unit_failures ? 1 : 0);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* outside the group the cgroup lets them through (the driver may
	 * still say ENXIO: /dev/mem is often compiled out) */
	CHECK(open_errno("mem", O_RDONLY) != EPERM);
	CHECK(open_errno("loop", O_RDONLY) != EPERM);
}

static void t_v1(void)
{
	char root[512], dir[600], list[4096];
	struct ctr_err e = { 0 };
	size_t n;
	const struct ctr_dev_rule *d = ctr_devices_docker_default(&n);
	int fd;
	ssize_t len;

	if (cg_mount("devices", root, sizeof(root)) < 0)
		UNIT_SKIP("no cgroup v1 devices hierarchy");
	snprintf(dir, sizeof(dir), "%s/ctrbox-test-secdev-%d", root, (int)getpid());
	make_nodes();
	CHECK(mkdir(dir, 0755) == 0);
	CHECK(ctr_devices_apply_v1(dir, d, n, &e) == 0);
	snprintf(list, sizeof(list), "%s/devices.list", dir);
	fd = open(list, O_RDONLY);
	len = read(fd, list, sizeof(list) - 1);
	close(fd);
	list[len > 0 ? len : 0] = 0;
	CHECK(strstr(list, "c 1:3 rwm\n") && strstr(list, "c *:* m\n") &&
	      strstr(list, "c 136:* rwm\n") && !strstr(list, "a *:*"));
	check_in_group(dir);
	CHECK(rmdir(dir) == 0);
	drop_nodes();
	/* a bad directory is an error naming it */
	CHECK(ctr_devices_apply_v1("/nonexistent-ctrbox", d, n, &e) == -1 && e.err == ENOENT);
}

static void t_v2(void)
{
	char root[512], dir[600];
	struct ctr_err e = { 0 };
	size_t n;
	const struct ctr_dev_rule *d = ctr_devices_docker_default(&n);
	int cg, prog;

	if (cg_mount(NULL, root, sizeof(root)) < 0)
		UNIT_SKIP("no cgroup2 mount");
	snprintf(dir, sizeof(dir), "%s/ctrbox-test-secdev-%d", root, (int)getpid());
	make_nodes();
	CHECK(mkdir(dir, 0755) == 0);
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(cg >= 0);
	prog = ctr_devices_apply_v2(cg, d, n, &e);
	if (prog < 0)
		printf("#   %s: %s: %s\n", e.what, e.detail, strerror(e.err));
	CHECK(prog >= 0);
	check_in_group(dir);
	CHECK(ctr_devices_detach_v2(cg, prog) == 0);
	/* detached: the same group lets everything through again */
	if (fork() == 0) {
		char procs[640];
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		int fd = open(procs, O_WRONLY);
		CHECK(fd >= 0 && write(fd, "0", 1) == 1);
		CHECK(open_errno("mem", O_RDONLY) != EPERM);
		fflush(stdout);
		_exit(unit_failures ? 1 : 0);
	}
	{
		int st;
		CHECK(wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	close(prog);
	close(cg);
	CHECK(rmdir(dir) == 0);
	drop_nodes();
}

/* Probe what a process in group dir may do: bit k set when probe k works
 * (null/zero: read, write, read-write, mknod; block 1:3 mknod). */
static const struct { char type; unsigned maj, min, acc; } probes[] = {
	{ 'c', 1, 3, CTR_DEV_READ }, { 'c', 1, 3, CTR_DEV_WRITE },
	{ 'c', 1, 3, CTR_DEV_READ | CTR_DEV_WRITE }, { 'c', 1, 3, CTR_DEV_MKNOD },
	{ 'c', 1, 5, CTR_DEV_READ }, { 'c', 1, 5, CTR_DEV_WRITE },
	{ 'c', 1, 5, CTR_DEV_READ | CTR_DEV_WRITE }, { 'c', 1, 5, CTR_DEV_MKNOD },
	{ 'b', 1, 3, CTR_DEV_MKNOD },
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

static int probe_in(const char *dir)
{
	char p[640];
	int st, fd, bits = -1, pp[2];
	size_t k;
	pid_t pid;

	if (pipe(pp) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(pp[0]);
		bits = 0;

		snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
		fd = open(p, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(255);
		close(fd);
		for (k = 0; k < NPROBES; k++) {
			int ok;

			if (probes[k].acc == CTR_DEV_MKNOD) {
				snprintf(p, sizeof(p), "%s/probe", nodes);
				ok = mknod(p, (probes[k].type == 'b' ? S_IFBLK : S_IFCHR) | 0600,
					   makedev(probes[k].maj, probes[k].min)) == 0;
				unlink(p);
			} else {
				int fl = probes[k].acc == CTR_DEV_READ ? O_RDONLY :
					 probes[k].acc == CTR_DEV_WRITE ? O_WRONLY : O_RDWR;
				int err = open_errno(probes[k].min == 3 ? "null" : "zero", fl);

				if (err && err != EPERM)
					_exit(254);
				ok = !err;
			}
			bits |= ok << k;
		}
		_exit(write(pp[1], &bits, sizeof(bits)) == sizeof(bits) ? 0 : 1);
	}
	close(pp[1]);
	if (read(pp[0], &bits, sizeof(bits)) != sizeof(bits))
		bits = -1;
	close(pp[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? bits : -1 - (WIFEXITED(st) ? WEXITSTATUS(st) : 0);
}

/* Record an outcome (what >= 0) or count the distinct ones (what < 0). */
static int popcount_seen(int model, int what)
{
	static unsigned char seen[1 << NPROBES];
	int i, c = 0;

	if (what >= 0) {
		seen[model & ((1 << NPROBES) - 1)] = 1;
		return 0;
	}
	for (i = 0; i < (1 << NPROBES); i++)
		c += seen[i];
	return c;
}

/* Random rule lists (deny/allow, partial access, wildcards, "a" resets)
 * through the real v1 devices cgroup, the v2 device program and
 * ctr_devices_allowed: the three agree on every probe. */
static void t_v1_v2_model(void)
{
	char root1[512], root2[512], d1[600], d2[600], buf[64];
	struct ctr_dev_rule rules[8];
	struct ctr_err e = { 0 };
	uint32_t s = 777;
	int iter, cg, prog = -1, bad = 0;
	size_t n, i, k;

	if (cg_mount("devices", root1, sizeof(root1)) < 0 || cg_mount(NULL, root2, sizeof(root2)) < 0)
		UNIT_SKIP("needs a v1 devices hierarchy and cgroup2");
	snprintf(d1, sizeof(d1), "%s/ctrbox-test-secdev-%d", root1, (int)getpid());
	snprintf(d2, sizeof(d2), "%s/ctrbox-test-secdev-%d", root2, (int)getpid());
	make_nodes();
	CHECK(mkdir(d1, 0755) == 0 && mkdir(d2, 0755) == 0);
	cg = open(d2, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (iter = 0; iter < 150 && !bad; iter++) {
		int v1, v2, model = 0;

		n = 1 + rnd(&s) % 8;
		for (i = 0; i < n; i++) {
			rules[i].type = rnd(&s) % 10 == 0 ? 'a' : rnd(&s) % 4 ? 'c' : 'b';
			rules[i].major = rnd(&s) % 3 ? 1 : CTR_DEV_WILDCARD;
			rules[i].minor = "\3\5\377"[rnd(&s) % 3] == '\377' ? CTR_DEV_WILDCARD
									: (rnd(&s) % 2 ? 3 : 5);
			rules[i].access = (uint8_t)(1 + rnd(&s) % 7);
			rules[i].allow = (uint8_t)(rnd(&s) % 2);
		}
		CHECK(ctr_devices_apply_v1(d1, rules, n, &e) == 0);
		if (prog >= 0) {
			CHECK(ctr_devices_detach_v2(cg, prog) == 0);
			close(prog);
		}
		prog = ctr_devices_apply_v2(cg, rules, n, &e);
		CHECK(prog >= 0);
		for (k = 0; k < NPROBES; k++)
			model |= ctr_devices_allowed(rules, n, probes[k].type, probes[k].maj,
						     probes[k].min, probes[k].acc) << k;
		popcount_seen(model, 0);
		v1 = probe_in(d1);
		v2 = probe_in(d2);
		if (v1 != model || v2 != model) {
			printf("#   v1 0x%x v2 0x%x model 0x%x for:", v1, v2, model);
			for (i = 0; i < n; i++) {
				ctr_devices_format(&rules[i], buf, sizeof(buf));
				printf(" %s %s;", rules[i].allow ? "allow" : "deny", buf);
			}
			printf("\n");
			bad++;
		}
	}
	printf("# %d rule lists, %d distinct outcomes\n", iter, popcount_seen(0, -1));
	CHECK_EQ(bad, 0);
	if (prog >= 0) {
		ctr_devices_detach_v2(cg, prog);
		close(prog);
	}
	close(cg);
	CHECK(rmdir(d1) == 0 && rmdir(d2) == 0);
	drop_nodes();
}

static const struct unit_case cases[] = {
	UNIT(t_parse_format), UNIT(t_parse_fuzz), UNIT(t_default), UNIT(t_bpf_vs_rules), UNIT(t_v1), UNIT(t_v2),
	UNIT(t_v1_v2_model),
};

int main(int argc, char **argv)
{
	return UNIT_MAIN(argc, argv, cases);
}
