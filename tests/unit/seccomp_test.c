/* seccomp_test.c: the syscall tables, docker's default filter on both
 * arches through the interpreter and loaded for real (ENGINE-NOTES 5), and
 * the comparison with runc's filter (modes --oci-json, --pause, --diff PID).
 * The compiler's semantics are in seccomp_compile_test.c. */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "ctr/seccomp.h"
#include "unit.h"

#define RET_ALLOW 0x7fff0000u
#define RET_KILL_PROCESS 0x80000000u
#define RET_ERRNO(e) (0x00050000u | (e))
#define CAP_SYS_ADMIN 21
/* docker's default bounding set (moby caps/defaults.go) */
#define DOCKER_CAPS 0xa80425fbULL

static struct ctr_seccomp_prog prog;

static uint32_t ev(int arch, int nr, uint64_t a0)
{
	uint64_t a[6] = { a0, 0, 0, 0, 0, 0 };

	return ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(arch), nr, a);
}

static int nr_of(const char *name, int arch)
{
	int nr = ctr_seccomp_syscall_nr(name, arch);

	if (nr < 0)
		printf("#   no syscall %s on arch %d\n", name, arch);
	return nr;
}

static void build_default(int arch, uint64_t caps)
{
	struct ctr_seccomp_policy p;
	struct ctr_err e = { 0 };

	CHECK(ctr_seccomp_docker_default(&p, arch, caps, &e) == 0);
	CHECK(ctr_seccomp_compile(&p, &prog, &e) == 0);
	ctr_seccomp_policy_free(&p);
}

static void t_names(void)
{
	CHECK_EQ(ctr_seccomp_syscall_nr("open", CTR_SECCOMP_X86_64), 2);
	CHECK_EQ(ctr_seccomp_syscall_nr("open", CTR_SECCOMP_AARCH64), -1);
	CHECK_EQ(ctr_seccomp_syscall_nr("fork", CTR_SECCOMP_AARCH64), -1);
	CHECK_EQ(ctr_seccomp_syscall_nr("openat", CTR_SECCOMP_AARCH64), 56);
	CHECK_EQ(ctr_seccomp_syscall_nr("getpid", CTR_SECCOMP_X86_64), 39);
	CHECK_EQ(ctr_seccomp_syscall_nr("getpid", CTR_SECCOMP_AARCH64), 172);
	CHECK_EQ(ctr_seccomp_syscall_nr("clone3", CTR_SECCOMP_X86_64), 435);
	CHECK_EQ(ctr_seccomp_syscall_nr("_sysctl", CTR_SECCOMP_X86_64), 156);
	CHECK_EQ(ctr_seccomp_syscall_nr("zzz", CTR_SECCOMP_X86_64), -1);
	CHECK_EQ(ctr_seccomp_syscall_nr("socket", CTR_SECCOMP_NATIVE), SYS_socket);
	CHECK_EQ(ctr_seccomp_syscall_nr("personality", CTR_SECCOMP_NATIVE), SYS_personality);
	CHECK(strcmp(ctr_seccomp_syscall_name(SYS_getppid, CTR_SECCOMP_NATIVE), "getppid") == 0);
	CHECK_EQ(ctr_seccomp_arch_by_name("SCMP_ARCH_AARCH64"), CTR_SECCOMP_AARCH64);
	CHECK_EQ(ctr_seccomp_act_by_name("SCMP_ACT_KILL"), CTR_SCMP_KILL_THREAD);
	CHECK_EQ(ctr_seccomp_act_by_name("SCMP_ACT_ALLOW"), CTR_SCMP_ALLOW);
	CHECK_EQ(ctr_seccomp_op_by_name("SCMP_CMP_MASKED_EQ"), CTR_SCMP_MASKED_EQ);
	CHECK_EQ(ctr_seccomp_op_by_name("SCMP_CMP_XX"), -1);
	CHECK_EQ(ctr_seccomp_flag_by_name("SECCOMP_FILTER_FLAG_LOG"), 2);
	CHECK_EQ(ctr_seccomp_flag_by_name("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), 32);
	CHECK_EQ(ctr_seccomp_flag_by_name("SECCOMP_FILTER_FLAG_NEW_LISTENER"), -1);
}

/* docker's policy through the interpreter, on both arches */
static void check_default(int arch)
{
	static const char *const allowed[] = { "read", "write", "openat", "execve", "prctl",
		"capset", "setresuid", "seccomp", "close_range", "openat2", "getpid", "chroot",
		"ptrace", "rseq", "mknodat" };
	static const char *const denied[] = { "mount", "umount2", "unshare", "setns",
		"reboot", "init_module", "bpf", "kexec_load", "open_by_handle_at",
		"settimeofday", "acct", "add_key", "keyctl", "perf_event_open" };
	size_t i;

	build_default(arch, DOCKER_CAPS);
	printf("# docker default, arch %d (caps 0x%llx): %zu instructions\n", arch,
	       (unsigned long long)DOCKER_CAPS, prog.len);
	CHECK(prog.len > 0 && prog.len <= 4096);
	for (i = 0; i < sizeof(allowed) / sizeof(*allowed); i++)
		if (ev(arch, nr_of(allowed[i], arch), 0) != RET_ALLOW) {
			printf("#   %s not allowed\n", allowed[i]);
			unit_failures++;
		}
	for (i = 0; i < sizeof(denied) / sizeof(*denied); i++)
		if (ev(arch, nr_of(denied[i], arch), 0) != RET_ERRNO(EPERM)) {
			printf("#   %s not EPERM\n", denied[i]);
			unit_failures++;
		}
	CHECK_EQ(ev(arch, 1000, 0), RET_ERRNO(ENOSYS));
	CHECK_EQ(ev(arch, -1, 0), RET_ERRNO(ENOSYS));
	CHECK_EQ(ev(arch, 0x7fffffff, 0),
		 arch == CTR_SECCOMP_X86_64 ? RET_KILL_PROCESS : RET_ERRNO(ENOSYS));
	CHECK_EQ(ev(arch, nr_of("clone3", arch), 0), RET_ERRNO(ENOSYS));
	CHECK_EQ(ev(arch, nr_of("clone", arch), 0x11 /* SIGCHLD */), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("clone", arch), CLONE_NEWUSER | 0x11), RET_ERRNO(EPERM));
	CHECK_EQ(ev(arch, nr_of("clone", arch), CLONE_NEWNET), RET_ERRNO(EPERM));
	CHECK_EQ(ev(arch, nr_of("clone", arch), 0x100000000ULL | CLONE_THREAD), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("socket", arch), AF_UNIX), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("socket", arch), AF_INET6), RET_ALLOW);
	for (i = 0; i < 64; i++) {
		/* moby's allowed families: < 12 and these */
		static const char ok[] = { 13, 14, 15, 16, 17, 18, 21, 22, 24, 26, 27, 28, 29, 30,
			31, 32, 33, 35, 36, 39, 41, 42, 43, 44, 45, 0 };
		int want = i < 12 || strchr(ok, (int)i) != NULL;

		if (ev(arch, nr_of("socket", arch), i) != (want ? RET_ALLOW : RET_ERRNO(EPERM))) {
			printf("#   socket family %zu\n", i);
			unit_failures++;
		}
	}
	CHECK_EQ(ev(arch, nr_of("socket", arch), 38 /* AF_ALG */), RET_ERRNO(EPERM));
	CHECK_EQ(ev(arch, nr_of("socket", arch), 40 /* AF_VSOCK */), RET_ERRNO(EPERM));
	CHECK_EQ(ev(arch, nr_of("socket", arch), 0x100000000ULL | 2), RET_ERRNO(EPERM));
	CHECK_EQ(ev(arch, nr_of("personality", arch), 0xffffffff), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("personality", arch), 0x20008), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("personality", arch), ADDR_NO_RANDOMIZE), RET_ERRNO(EPERM));
	/* another arch, i386 (int $0x80) */
	CHECK_EQ(ctr_seccomp_eval(&prog, 0x40000003, 20, (uint64_t[6]){ 0 }), RET_KILL_PROCESS);
	CHECK_EQ(ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(!arch), 20, (uint64_t[6]){ 0 }),
		 RET_KILL_PROCESS);
	if (arch == CTR_SECCOMP_X86_64)
		CHECK_EQ(ev(arch, 0x40000000 | 39, 0), RET_KILL_PROCESS);
	else
		CHECK_EQ(ev(arch, 0x40000000 | 172, 0), RET_ERRNO(ENOSYS));

	/* with CAP_SYS_ADMIN in the bounding set */
	build_default(arch, DOCKER_CAPS | 1ULL << CAP_SYS_ADMIN);
	printf("# docker default + CAP_SYS_ADMIN, arch %d: %zu instructions\n", arch, prog.len);
	CHECK_EQ(ev(arch, nr_of("mount", arch), 0), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("unshare", arch), CLONE_NEWNS), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("clone", arch), CLONE_NEWUSER), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("clone3", arch), 0), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("reboot", arch), 0), RET_ERRNO(EPERM));

	/* everything: 4096 is far away */
	build_default(arch, ~0ULL);
	printf("# docker default, all caps, arch %d: %zu instructions\n", arch, prog.len);
	CHECK_EQ(ev(arch, nr_of("reboot", arch), 0), RET_ALLOW);
	CHECK_EQ(ev(arch, nr_of("kexec_load", arch), 0), RET_ERRNO(EPERM));
}

static void t_default_x86_64(void) { check_default(CTR_SECCOMP_X86_64); }
static void t_default_aarch64(void) { check_default(CTR_SECCOMP_AARCH64); }

/* ---- docker's filter on this process, for real (ENGINE-NOTES 5) ---- */

static void load_default(uint64_t caps)
{
	struct ctr_err e = { 0 };

	build_default(CTR_SECCOMP_NATIVE, caps);
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	CHECK(ctr_seccomp_load(&prog, 0, &e) == 0);
}

static long sc_errno(long r)
{
	return r < 0 ? errno : 0;
}

#if defined(__x86_64__)
/* Run fn in a child; return its wait status. */
static int in_child(void (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void do_x32_getpid(void) { syscall(0x40000000 | SYS_getpid); }
static void do_int80_getpid(void)
{
	long r = 20;    /* __NR_getpid on i386 */

	__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
}
#endif

static void *thread_fn(void *arg)
{
	return arg;
}

static void t_live(void)
{
	char buf[4096];
	ssize_t n;
	int fd, st;
	pid_t pid;

	load_default(DOCKER_CAPS);
	errno = 0;
	CHECK_EQ(sc_errno(syscall(1000)), ENOSYS);
	CHECK_EQ(sc_errno(syscall(SYS_clone3, NULL, 0)), ENOSYS);
	CHECK_EQ(sc_errno(unshare(CLONE_NEWNS)), EPERM);
	CHECK_EQ(sc_errno(unshare(CLONE_NEWUSER)), EPERM);
	CHECK_EQ(sc_errno(syscall(SYS_mount, "none", "/", "tmpfs", 0, NULL)), EPERM);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	CHECK_EQ(pid < 0 ? errno : 0, EPERM);
	pid = fork();   /* musl: clone(SIGCHLD) */
	if (pid == 0)
		_exit(3);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 3);
	{       /* threads: clone(CLONE_VM|CLONE_THREAD|...) has no namespace flag */
		pthread_t t;
		void *ret = NULL;

		CHECK(pthread_create(&t, NULL, thread_fn, &st) == 0 && pthread_join(t, &ret) == 0 &&
		      ret == &st);
	}
	CHECK_EQ(sc_errno(socket(40 /* AF_VSOCK */, SOCK_STREAM, 0)), EPERM);
	CHECK_EQ(sc_errno(socket(38 /* AF_ALG */, SOCK_SEQPACKET, 0)), EPERM);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	close(fd);
	CHECK(personality(0xffffffff) >= 0);
	CHECK_EQ(sc_errno(personality(ADDR_NO_RANDOMIZE)), EPERM);
#if defined(__aarch64__)
	/* no x32 on aarch64: a high number is just above the table */
	CHECK_EQ(sc_errno(syscall(0x40000000 | SYS_getpid)), ENOSYS);
#elif defined(__x86_64__)
	st = in_child(do_x32_getpid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
	st = in_child(do_int80_getpid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
#endif
	fd = open("/proc/self/status", O_RDONLY);
	CHECK(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(strstr(buf, "\nSeccomp:\t2\n") != NULL);
	CHECK(strstr(buf, "\nNoNewPrivs:\t1\n") != NULL);
	close(fd);
}

static void t_live_sys_admin(void)
{
	char dir[] = "/tmp/ctrbox-unit-seccomp-XXXXXX";
	struct ctr_seccomp_policy p;
	struct ctr_err e = { 0 };

	CHECK(mkdtemp(dir) != NULL);
	/* the one-call path this time */
	CHECK(ctr_seccomp_docker_default(&p, CTR_SECCOMP_NATIVE,
					 DOCKER_CAPS | 1ULL << CAP_SYS_ADMIN, &e) == 0);
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	CHECK(ctr_seccomp_apply(&p, 0, &e) == 0);
	ctr_seccomp_policy_free(&p);
	CHECK(unshare(CLONE_NEWNS) == 0);
	CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	CHECK(mount("none", dir, "tmpfs", 0, "size=4k") == 0);
	CHECK(umount2(dir, 0) == 0);
	CHECK_EQ(sc_errno(syscall(1000)), ENOSYS);
	CHECK(rmdir(dir) == 0);
}

/* ---- against runc: tests/unit.bats runs runc with the OCI JSON of our
 * docker policy (--oci-json), this binary as the container's process
 * (--pause), then fetches the filter runc+libseccomp loaded into it
 * (PTRACE_SECCOMP_GET_FILTER) and compares verdicts with ours (--diff PID). */

static const char *act_name(int a)
{
	static const char *const n[] = { "", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
		"SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_LOG",
		"SCMP_ACT_ALLOW" };
	return n[a];
}

static int oci_json(void)
{
	static const char *const ops[] = { "", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
		"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };
	struct ctr_seccomp_policy p;
	struct ctr_err e = { 0 };
	size_t i, j;

	if (ctr_seccomp_docker_default(&p, CTR_SECCOMP_NATIVE, DOCKER_CAPS, &e) < 0)
		return 1;
	printf("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":%d,"
	       "\"architectures\":[\"%s\"],\"syscalls\":[", p.default_data,
	       CTR_SECCOMP_NATIVE == CTR_SECCOMP_X86_64 ? "SCMP_ARCH_X86_64" : "SCMP_ARCH_AARCH64");
	for (i = 0; i < p.nrules; i++) {
		const struct ctr_seccomp_prule *r = &p.rules[i];
		const struct ctr_seccomp_arg *a = p.args + r->arg;

		printf("%s{\"names\":[\"%s\"],\"action\":\"%s\"", i ? "," : "",
		       ctr_seccomp_syscall_name(r->nr, p.arch), act_name(r->action));
		if (r->action == CTR_SCMP_ERRNO)
			printf(",\"errnoRet\":%d", r->data);
		printf(",\"args\":[");
		for (j = 0; j < r->nargs; j++)
			printf("%s{\"index\":%d,\"value\":%llu,\"valueTwo\":%llu,\"op\":\"%s\"}",
			       j ? "," : "", a[j].index, (unsigned long long)a[j].value,
			       (unsigned long long)a[j].value2, ops[a[j].op]);
		printf("]}");
	}
	printf("]}\n");
	ctr_seccomp_policy_free(&p);
	return 0;
}

static int diff_with(pid_t pid)
{
	static struct ctr_seccomp_prog theirs;
	static const uint64_t v[] = { 0, 1, 2, 8, 0x11, 37, 38, 39, 40, 41, 46, 0x20000, 0x20008,
		0xffffffff, ADDR_NO_RANDOMIZE, CLONE_NEWUSER | 0x11, CLONE_NEWNS, CLONE_NEWNET,
		CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, 0x100000000ULL | 40, 0x100000000ULL };
	int st, nr, unexpected = 0, expected = 0;
	long n;
	size_t i;

	if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0 || waitpid(pid, &st, 0) != pid) {
		perror("ptrace attach");
		return 2;
	}
	n = ptrace(0x420c /* PTRACE_SECCOMP_GET_FILTER */, pid, 0, NULL);
	if (n <= 0 || n > CTR_SECCOMP_MAXINSNS ||
	    ptrace(0x420c, pid, 0, theirs.insns) != n) {
		perror("PTRACE_SECCOMP_GET_FILTER");
		return 2;
	}
	theirs.len = (size_t)n;
	ptrace(PTRACE_DETACH, pid, 0, 0);
	build_default(CTR_SECCOMP_NATIVE, DOCKER_CAPS);
	printf("# runc's filter: %zu instructions, ours: %zu\n", theirs.len, prog.len);
	for (nr = -1; nr < 1100; nr++) {
		for (i = 0; i < sizeof(v) / sizeof(*v); i++) {
			uint64_t a[6] = { v[i], 0, 0, 0, 0, 0 };
			uint32_t arch = ctr_seccomp_audit_arch(CTR_SECCOMP_NATIVE);
			uint32_t t = ctr_seccomp_eval(&theirs, arch, nr, a);
			uint32_t o = ctr_seccomp_eval(&prog, arch, nr, a);
			const char *name = ctr_seccomp_syscall_name(nr, CTR_SECCOMP_NATIVE);

			if (t == o)
				continue;
			/* syscalls newer than runc 1.1.5's libseccomp 2.5.4 (Debian
			 * 12): it drops their names, so they get the default or,
			 * above its highest known one, its ENOSYS stub; nr -1:
			 * ENOSYS here as the kernel's own answer, EPERM there */
			if (((nr == 335 || (nr > 450 && nr <= 470)) &&
			     (t == RET_ERRNO(ENOSYS) || t == RET_ERRNO(EPERM))) ||
			    (nr == -1 && t == RET_ERRNO(EPERM) && o == RET_ERRNO(ENOSYS))) {
				if (i == 0)
					printf("# expected: nr %d (%s) runc ENOSYS, ours 0x%x\n", nr,
					       name ? name : "?", o);
				expected++;
				continue;
			}
			printf("DIFF nr %d (%s) arg0 0x%llx: runc 0x%x, ours 0x%x\n", nr,
			       name ? name : "?", (unsigned long long)v[i], t, o);
			unexpected++;
		}
	}
	/* the other ABIs */
	for (nr = 0; nr < 450; nr++) {
		uint64_t a[6] = { 0 };
		uint32_t t = ctr_seccomp_eval(&theirs, 0x40000003, nr, a);
		uint32_t t32 = ctr_seccomp_eval(&theirs, ctr_seccomp_audit_arch(CTR_SECCOMP_NATIVE),
						0x40000000 | nr, a);

		if (t == RET_ALLOW || (CTR_SECCOMP_NATIVE == CTR_SECCOMP_X86_64 && t32 == RET_ALLOW)) {
			printf("DIFF other ABI nr %d: runc i386 0x%x x32 0x%x\n", nr, t, t32);
			unexpected++;
		}
	}
	printf("# %d expected differences, %d unexpected\n", expected, unexpected);
	return unexpected ? 1 : 0;
}

/* An architecture without a syscall table (CTR_SECCOMP_NATIVE on armhf) is
 * an ENOSYS error from both entry points, never a filter. */
static void t_no_arch(void)
{
	static struct ctr_seccomp_prog prog;
	struct ctr_seccomp_policy p;
	struct ctr_err e = { 0 };

	CHECK(ctr_seccomp_docker_default(&p, CTR_SECCOMP_NOARCH, ~0ull, &e) == -1);
	CHECK(e.err == ENOSYS && strcmp(e.what, "seccomp") == 0 &&
	      strcmp(e.detail, "no syscall table for this architecture") == 0);
	ctr_seccomp_policy_init(&p, CTR_SECCOMP_NOARCH, CTR_SCMP_ALLOW, 0);
	e.err = 0;
	CHECK(ctr_seccomp_compile(&p, &prog, &e) == -1 && e.err == ENOSYS);
	ctr_seccomp_policy_free(&p);
}

static const struct unit_case cases[] = {
	UNIT(t_names), UNIT(t_no_arch), UNIT(t_default_x86_64), UNIT(t_default_aarch64), UNIT(t_live),
	UNIT(t_live_sys_admin),
};

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--pause") == 0)
		for (;;)
			pause();
	if (argc == 2 && strcmp(argv[1], "--oci-json") == 0)
		return oci_json();
	if (argc == 3 && strcmp(argv[1], "--diff") == 0)
		return diff_with((pid_t)atoi(argv[2]));
	return UNIT_MAIN(argc, argv, cases);
}
