/* floor-container.c: the container's half of bench/floor-ctrrun.c, run in
 * the child the supervisor cloned into new mnt uts ipc pid net namespaces:
 * join the groups, cgroup namespace, ctrrun's mount table, loopback,
 * hostname, pivot_root, docker's masks, ctrrun's seccomp program, docker's
 * capabilities, exec. Each step as ctrrun leaves it (tests/floor.bats). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "floor-ctrrun.h"

/* the kernel ABI bits musl's headers lack (linux/filter.h, seccomp.h,
 * capability.h): the same layouts */
struct sock_filter { unsigned short code; unsigned char jt, jf; unsigned int k; };
struct sock_fprog { unsigned short len; struct sock_filter *filter; };
#define BPF_STMT(code, k) { (unsigned short)(code), 0, 0, k }
#define BPF_JUMP(code, k, jt, jf) { (unsigned short)(code), jt, jf, k }
#define SECCOMP_SET_MODE_FILTER 1
struct cap_hdr { unsigned int version; int pid; };
struct cap_data { unsigned int effective, permitted, inheritable; };
#define CAP_V3 0x20080522
enum { CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_FOWNER = 3, CAP_FSETID = 4, CAP_KILL = 5,
	CAP_SETGID = 6, CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_NET_BIND_SERVICE = 10,
	CAP_NET_RAW = 13, CAP_SYS_CHROOT = 18, CAP_MKNOD = 27, CAP_AUDIT_WRITE = 29,
	CAP_SETFCAP = 31 };

/* ctrrun's seccomp program, dumped from it by bench/floor-build.sh */
static struct sock_filter filter[] = {
#include FLOOR_BPF
};

/* ---- the container (the child) ----------------------------------------- */

/* a mount whose target may be missing from the image: made on ENOENT */
static void mnt(const char *src, const char *tgt, const char *type, unsigned long fl,
		const char *data)
{
	if (mount(src, tgt, type, fl, data) < 0 && errno == ENOENT && mkdir(tgt, 0755) == 0)
		mount(src, tgt, type, fl, data);
}

/* cwd: the merged root. Relative paths: no walk from / per call. */
static void dev_fill(void)
{
	static const struct { const char *n; int ma, mi; } nodes[] = {
		{ "dev/null", 1, 3 }, { "dev/zero", 1, 5 }, { "dev/full", 1, 7 },
		{ "dev/random", 1, 8 }, { "dev/urandom", 1, 9 }, { "dev/tty", 5, 0 } };
	static const char *const links[][2] = { { "/proc/self/fd", "dev/fd" },
		{ "/proc/self/fd/0", "dev/stdin" }, { "/proc/self/fd/1", "dev/stdout" },
		{ "/proc/self/fd/2", "dev/stderr" }, { "pts/ptmx", "dev/ptmx" } };
	size_t i;

	mnt("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
	umask(0);   /* 0666 nodes without a chmod each */
	for (i = 0; i < sizeof(nodes) / sizeof(*nodes); i++)
		mknod(nodes[i].n, S_IFCHR | 0666, makedev(nodes[i].ma, nodes[i].mi));
	/* a fresh tmpfs: the dirs are missing, no probe needed */
	mkdir("dev/pts", 0755);
	/* newinstance: the container's own ptys, not the host's */
	mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
	      "newinstance,ptmxmode=0666,mode=0620,gid=5");
	for (i = 0; i < sizeof(links) / sizeof(*links); i++)
		symlink(links[i][0], links[i][1]);
}

/* /sys read-only, and every v1 hierarchy under a read-only tmpfs: inside
 * the cgroup namespace each shows the container's group as its root */
static void sys_fill(void)
{
	char p[1024];
	int i;

	mnt("sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount("tmpfs", "sys/fs/cgroup", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
	for (i = 0; i < nh; i++) {
		snprintf(p, sizeof(p), "sys/fs/cgroup/%s", h[i].name);
		mkdir(p, 0555);
		mount("cgroup", p, "cgroup", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, h[i].opts);
	}
	/* read-only only now: the mountpoints had to be made first */
	mount(NULL, "sys/fs/cgroup", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV |
	      MS_NOEXEC, "mode=755");
}

/* /etc/hostname, hosts, resolv.conf: the state dir's files bound over
 * empty files (mknod makes a regular file without an fd to close) */
static void etc_binds(void)
{
	static const char *const f[] = { "hostname", "hosts", "resolv.conf" };
	char src[1024], tgt[64];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(src, sizeof(src), "%s/%s", dir, f[i]);
		snprintf(tgt, sizeof(tgt), "etc/%s", f[i]);
		if (mknod(tgt, S_IFREG | 0644, 0) < 0 && errno == ENOENT) {
			mkdir("etc", 0755);
			mknod(tgt, S_IFREG | 0644, 0);
		}
		mount(src, tgt, NULL, MS_BIND, NULL);
	}
}

/* docker's read-only and masked paths, after pivot_root. A bind ignores
 * MS_RDONLY: read-only takes a second, remount call. A missing path costs
 * the one failed mount (ENOENT), no probe. */
static void proc_protect(void)
{
	static const char *const ro[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
		"/proc/sysrq-trigger" };
	static const char *const dirs[] = { "/proc/acpi", "/proc/asound", "/proc/scsi",
		"/sys/devices/virtual/powercap", "/sys/firmware" };
	static const char *const files[] = { "/proc/interrupts", "/proc/kcore", "/proc/keys",
		"/proc/latency_stats", "/proc/sched_debug", "/proc/timer_list",
		"/proc/timer_stats" };
	size_t i;

	for (i = 0; i < sizeof(ro) / sizeof(*ro); i++)
		if (mount(ro[i], ro[i], NULL, MS_BIND | MS_REC, NULL) == 0)
			mount(NULL, ro[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
			      MS_NODEV | MS_NOEXEC, NULL);
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		mount("tmpfs", dirs[i], "tmpfs", MS_RDONLY, "nr_blocks=1,nr_inodes=1");
	for (i = 0; i < sizeof(files) / sizeof(*files); i++)
		mount("/dev/null", files[i], NULL, MS_BIND, NULL);
}

/* root's HOME from the image's passwd, "/" without one */
static void home_of_root(char *home, size_t n)
{
	char b[4096], *p;
	int i;

	snprintf(home, n, "/");
	if (get("/etc/passwd", b, sizeof(b)) <= 0)
		return;
	for (p = b; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, "root:", 5))
			continue;
		for (i = 0; i < 5 && p; i++)
			p = strchr(p + 1, ':');
		if (p)
			snprintf(home, n, "%.*s", (int)strcspn(p + 1, ":\n"), p + 1);
		return;
	}
}

/* docker's default set: bounding, permitted, effective. Inheritable empty,
 * which also empties the ambient set (ambient must be within P and I). */
#define DOCKER_CAPS (1ULL << CAP_CHOWN | 1ULL << CAP_DAC_OVERRIDE | 1ULL << CAP_FOWNER | \
	1ULL << CAP_FSETID | 1ULL << CAP_KILL | 1ULL << CAP_SETGID | 1ULL << CAP_SETUID | \
	1ULL << CAP_SETPCAP | 1ULL << CAP_NET_BIND_SERVICE | 1ULL << CAP_NET_RAW | \
	1ULL << CAP_SYS_CHROOT | 1ULL << CAP_MKNOD | 1ULL << CAP_AUDIT_WRITE | 1ULL << CAP_SETFCAP)

static void security(void)
{
	struct sock_fprog prog = { sizeof(filter) / sizeof(*filter), filter };
	struct cap_hdr hd = { CAP_V3, 0 };
	struct cap_data d[2] = { { (unsigned)DOCKER_CAPS, (unsigned)DOCKER_CAPS, 0 },
		{ (unsigned)(DOCKER_CAPS >> 32), (unsigned)(DOCKER_CAPS >> 32), 0 } };
	int c;

	/* without no_new_privs a filter needs CAP_SYS_ADMIN: load it first */
	syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	/* one prctl per cap; the first past cap_last_cap fails EINVAL */
	for (c = 0; c < 64; c++)
		if (!(DOCKER_CAPS >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 &&
		    errno == EINVAL)
			break;
	setgroups(0, NULL);
	syscall(SYS_capset, &hd, d);
}

void container(int nullfd, char *img, char **argv)
{
	char opts[2048], mrg[1024], home[256], env[3][300];
	char *envp[] = { env[0], env[1], env[2], NULL };
	sigset_t none;
	struct ifreq ifr = { .ifr_name = "lo", .ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING };
	int i, s;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);   /* the container dies with ctrrun */
	setsid();
	dup2(nullfd, 0);
	/* "0" into tasks: the writer itself, no threadgroup lock, no RCU wait */
	for (i = 0; i < nh; i++)
		if (h[i].join) {
			snprintf(opts, sizeof(opts), "%s/tasks", h[i].grp);
			put(opts, "0", 1, 0);
		}
	/* after the join: the namespace's root is the container's group */
	unshare(CLONE_NEWCGROUP);
	/* a shared / would propagate our mounts out and pivot_root refuses it */
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", img, dir, dir);
	snprintf(mrg, sizeof(mrg), "%s/merged", dir);
	mount("overlay", mrg, "overlay", 0, opts);
	if (chdir(mrg) < 0)
		_exit(125);
	mnt("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	dev_fill();
	sys_fill();
	mkdir("dev/mqueue", 0755);
	mount("mqueue", "dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mkdir("dev/shm", 0755);
	mount("shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
	etc_binds();
	/* a new net namespace's lo is down */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ioctl(s, SIOCSIFFLAGS, &ifr);
	sethostname(host, 12);
	/* pivot_root(".", "."): the old root ends up stacked on the new one,
	 * and the detach takes it away; cwd stays on the new root */
	syscall(SYS_pivot_root, ".", ".");
	umount2(".", MNT_DETACH);
	proc_protect();
	umask(022);
	home_of_root(home, sizeof(home));
	snprintf(env[0], sizeof(env[0]), "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	snprintf(env[1], sizeof(env[1]), "HOSTNAME=%s", host);
	snprintf(env[2], sizeof(env[2]), "HOME=%s", home);
	security();
	execve(argv[0], argv, envp);
	_exit(errno == ENOENT ? 127 : 126);
}
