/* floor-ctrrun: the physical floor of `ctrrun --rm --cpu-quota 50000 IMAGE
 * PROG`: the fewest syscalls that leave the kernel in the state ctrrun
 * leaves it in, on a pure cgroup-v1 host (the layout bench/ctrrun.sh runs
 * in). bench/ctrrun.sh measures ctrrun against it; tests/floor.bats checks
 * that its container is ctrrun's (mountinfo, cgroups, devices rules,
 * capabilities, seccomp program, namespaces, /dev, /etc files, state files).
 *
 * The same end state: a state dir with ctrrun's files (lock, state through
 * created/running/exited, name, cgroup, autoremove, hostname, hosts,
 * resolv.conf, config.json of the same size); a group in each docker
 * hierarchy (cpu cpuacct cpuset memory devices freezer pids) with the CPU
 * quota, cpuset copied from the parent, docker's devices allowlist; mnt uts
 * ipc pid net namespaces and a cgroup namespace rooted at the groups; an
 * overlay root with a fresh upper/work, /proc, /dev (6 nodes, 5 links, pts,
 * mqueue, shm), /sys read-only with every v1 hierarchy under /sys/fs/cgroup,
 * the 3 /etc binds, docker's masked and read-only paths, pivot_root with the
 * old root detached; loopback up, the hostname; stdin /dev/null, a new
 * session, the parent-death signal; ctrrun's seccomp program (the bench
 * dumps it from ctrrun: FLOOR_BPF), docker's capability sets, no
 * supplementary groups, umask 022, HOME from the image's passwd; the
 * supervisor forwards signals; then every group, dir and file removed.
 *
 * Not the same work, what ctrrun does that this floor does not, on purpose:
 * its checks and discovery (mountinfo reads, stats, probes, cap_last_cap,
 * the stale-state scan), the parent/child sync messages, path safety for
 * hostile images (/proc/self/fd paths, openat2), close_range and
 * dumpable=0 (no stray fds or ptracers here), redundant calls (the MS_SLAVE
 * after pivot, keepcaps toggles and setres[ug]id(0) as root, ambient clear:
 * capset with an empty inheritable set clears it). Discovery is given on the
 * command line instead: the hierarchies (HIER) and the seccomp program.
 *
 *   floor-ctrrun ROOT CGPARENT IMAGE HIER... -- PROG [ARG...]
 *
 * ROOT: the state root (ctrrun's --root); CGPARENT: the parent group (ctrrun's
 * --cgroup-parent, default ctrbox), existing in each hierarchy, its cpuset
 * filled; HIER: MOUNTPOINT:OPTIONS of each v1 hierarchy, as in mountinfo
 * (/sys/fs/cgroup/cpu:cpu, /sys/fs/cgroup/systemd:name=systemd).
 * PROG: an absolute path.  Built static by bench/floor-build.sh, with
 * floor-container.c (the container's setup, in the child). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "floor-ctrrun.h"

struct hier h[MAXH];
int nh;
char id[65], dir[512], host[13];
static int self;   /* our pid, asked once */

/* ---- files ------------------------------------------------------------- */

/* openat, not open: musl's open() adds an fcntl(F_SETFD) per O_CLOEXEC */
int put(const char *path, const char *s, size_t n, int flags)
{
	/* ctrrun's modes: state and config.json private, the rest 0644 */
	int fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC | flags,
			strstr(path, "state") || strstr(path, "config.json") ? 0600 : 0644), rc;

	if (fd < 0)
		return -1;
	rc = write(fd, s, n) == (ssize_t)n ? 0 : -1;
	close(fd);
	return rc;
}

static int put_new(const char *name, const char *s, size_t n)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return put(p, s, n, O_CREAT | O_TRUNC);
}

ssize_t get(const char *path, char *buf, size_t n)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

/* state: a reader may open it any time, so a new one replaces it whole */
static void state(const char *s)
{
	char tmp[1024], p[1024];

	snprintf(tmp, sizeof(tmp), "%s/.state", dir);
	snprintf(p, sizeof(p), "%s/state", dir);
	if (put(tmp, s, strlen(s), O_CREAT | O_TRUNC) == 0)
		rename(tmp, p);
}

/* field 22 of /proc/PID/stat: the start time that tells a reused pid */
static unsigned long long starttime(const char *path)
{
	char b[1024], *p;
	int i;

	if (get(path, b, sizeof(b)) <= 0 || !(p = strrchr(b, ')')))
		return 0;
	for (i = 2; i < 22 && p; i++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

static void now_iso(char *b, size_t n)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);   /* vDSO: no syscall */
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(b, n, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec % 1000000000));
}

/* ---- the state dir ------------------------------------------------------ */

/* config.json as ctrrun writes it for this command line (same size) */
static void config(const char *cgparent, const char *img, char **argv, const char *created)
{
	char args[1024] = "", cmd[1200], buf[4096];
	size_t n = 0;
	int i, len;

	for (i = 1; argv[i]; i++)
		n += (size_t)snprintf(args + n, sizeof(args) - n, "%s\"%s\"", i > 1 ? "," : "", argv[i]);
	snprintf(cmd, sizeof(cmd), "\"%s\"%s%s", argv[0], n ? "," : "", args);
	len = snprintf(buf, sizeof(buf),
		"{\"Id\":\"%s\",\"Created\":\"%s\",\"Path\":\"%s\",\"Args\":[%s],\"Image\":\"%s\","
		"\"ResolvConfPath\":\"%s/resolv.conf\",\"HostnamePath\":\"%s/hostname\","
		"\"HostsPath\":\"%s/hosts\",\"LogPath\":\"%s/log\",\"Name\":\"/ctr_%.10s\","
		"\"Driver\":\"overlay2\",\"HostConfig\":{\"Binds\":null,\"NetworkMode\":\"none\","
		"\"AutoRemove\":true,\"CapAdd\":null,\"CapDrop\":null,\"Privileged\":false,"
		"\"ReadonlyRootfs\":false,\"SecurityOpt\":null,\"Tmpfs\":null,\"CpuShares\":0,"
		"\"Memory\":0,\"NanoCpus\":0,\"CpuPeriod\":0,\"CpuQuota\":50000,\"CpusetCpus\":\"\","
		"\"CpusetMems\":\"\",\"MemorySwap\":0,\"PidsLimit\":null,\"Ulimits\":null,\"Init\":false,"
		"\"CgroupParent\":\"%s\"},\"GraphDriver\":{\"Name\":\"overlay2\",\"Data\":{"
		"\"LowerDir\":\"%s\",\"MergedDir\":\"%s/merged\",\"UpperDir\":\"%s/upper\","
		"\"WorkDir\":\"%s/work\"}},\"Mounts\":[],\"Config\":{\"Hostname\":\"%s\",\"User\":\"\","
		"\"Tty\":false,\"OpenStdin\":false,\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:"
		"/usr/sbin:/usr/bin:/sbin:/bin\",\"HOSTNAME=%s\"],\"Cmd\":[%s],\"Image\":\"%s\","
		"\"WorkingDir\":\"\",\"Entrypoint\":null,\"StopSignal\":\"SIGTERM\",\"StopTimeout\":10},"
		"\"Ctrbox\":{\"StateDir\":\"%s\",\"Cgroup\":\"%s/%s\",\"StopSignal\":15,"
		"\"StopTimeout\":10,\"CreatedUnix\":%lld,\"Tty\":false,\"Process\":{\"User\":\"\","
		"\"CapBnd\":2818844155,\"NoNewPrivileges\":false,\"Seccomp\":true,\"Env\":["
		"\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
		"\"HOSTNAME=%s\"]}}}\n",
		id, created, argv[0], args, img, dir, dir, dir, dir, id,
		strcmp(cgparent, "ctrbox") ? cgparent : "", img, dir, dir, dir,
		host, host, cmd, img, dir, cgparent, id, (long long)time(NULL), host);
	put_new("config.json", buf, (size_t)len);
}

/* Made under a hidden name and renamed: other ctrrun verbs see all or none */
static int state_dir(const char *root, const char *cgparent, const char *img, char **argv,
		     unsigned long long self_start)
{
	char tmp[1024], b[2048], created[96];
	int lock, n;

	snprintf(tmp, sizeof(tmp), "%s/.new-%s", root, id);
	if (mkdir(tmp, 0700) < 0)
		return -1;
	/* the lock, held until the end: a free lock means a dead supervisor */
	snprintf(b, sizeof(b), "%s/lock", tmp);
	lock = openat(AT_FDCWD, b, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	flock(lock, LOCK_EX);
	snprintf(dir, sizeof(dir), "%s", tmp);   /* the files go in under the hidden name */
	n = snprintf(b, sizeof(b), "created 0 0 %d %llu 0 - - \n", self, self_start);
	put_new("state", b, (size_t)n);
	n = snprintf(b, sizeof(b), "ctr_%.10s", id);
	put_new("name", b, (size_t)n);
	n = snprintf(b, sizeof(b), "%s/%s", cgparent, id);
	put_new("cgroup", b, (size_t)n);
	put_new("autoremove", "1", 1);
	snprintf(dir, sizeof(dir), "%s/%s", root, id);
	if (rename(tmp, dir) < 0)
		return -1;
	n = snprintf(b, sizeof(b), "%s\n", host);
	put_new("hostname", b, (size_t)n);
	n = snprintf(b, sizeof(b), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
		     "ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\n"
		     "ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n127.0.1.1\t%s\n", host);
	put_new("hosts", b, (size_t)n);
	n = (int)get("/etc/resolv.conf", b, sizeof(b));
	put_new("resolv.conf", b, n > 0 ? (size_t)n : 0);
	now_iso(created, sizeof(created));
	config(cgparent, img, argv, created);
	return lock;
}

/* ---- cgroups ------------------------------------------------------------ */

static int has_ctrl(const char *opts, const char *c)
{
	size_t n = strlen(c);
	const char *p;

	for (p = opts; (p = strstr(p, c)); p += n)
		if ((p == opts || p[-1] == ',') && (!p[n] || p[n] == ','))
			return 1;
	return 0;
}

static int knob(const struct hier *g, const char *file, const char *v)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", g->grp, file);
	return put(p, v, strlen(v), 0);
}

/* v1 cpuset: a new group has no cpus nor mems, and a task cannot join it
 * until both are set: copy the parent's */
static void cpuset_fill(const struct hier *g, const char *parent)
{
	static const char *const f[] = { "cpuset.cpus", "cpuset.mems" };
	char p[1024], v[256];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/%s", parent, f[i]);
		if (get(p, v, sizeof(v)) > 0)
			knob(g, f[i], v);
	}
}

/* docker's default devices rules: deny all, then mknod of any, and rwm on
 * the nodes /dev has (null zero full random urandom tty console ptmx, pts).
 * The v1 parser takes one rule per write. */
static void devices_allow(const struct hier *g)
{
	static const char *const allow[] = { "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm",
		"c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm",
		"c 136:* rwm", "c 10:200 rwm" };
	char p[1024];
	int fd;
	size_t i;

	knob(g, "devices.deny", "a");
	snprintf(p, sizeof(p), "%s/devices.allow", g->grp);
	if ((fd = openat(AT_FDCWD, p, O_WRONLY | O_CLOEXEC)) < 0)
		return;
	for (i = 0; i < sizeof(allow) / sizeof(*allow); i++)
		if (write(fd, allow[i], strlen(allow[i])) < 0)
			break;
	close(fd);
}

static int groups_make(const char *cgparent)
{
	char parent[512];
	int i;

	for (i = 0; i < nh; i++) {
		if (!h[i].join)
			continue;
		snprintf(parent, sizeof(parent), "%s/%s", h[i].mnt, cgparent);
		snprintf(h[i].grp, sizeof(h[i].grp), "%s/%s", parent, id);
		if (mkdir(h[i].grp, 0755) < 0)
			return -1;
		if (has_ctrl(h[i].opts, "cpuset"))
			cpuset_fill(&h[i], parent);
		if (has_ctrl(h[i].opts, "cpu"))
			knob(&h[i], "cpu.cfs_quota_us", "50000");
		if (has_ctrl(h[i].opts, "devices"))
			devices_allow(&h[i]);
	}
	return 0;
}

/* ---- teardown ----------------------------------------------------------- */

/* what the container wrote into upper: unknown, so walked (d_type: no stat) */
static void rm_tree(int at, const char *name)
{
	char b[4096];
	long n, off;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	while (fd >= 0 && (n = syscall(SYS_getdents64, fd, b, sizeof(b))) > 0)
		for (off = 0; off < n; off += *(unsigned short *)(b + off + 16)) {
			const char *e = b + off + 19;
			unsigned char type = (unsigned char)b[off + 18];

			if (!strcmp(e, ".") || !strcmp(e, ".."))
				continue;
			if (type == DT_DIR)
				rm_tree(fd, e);
			else
				unlinkat(fd, e, 0);
		}
	if (fd >= 0)
		close(fd);
	unlinkat(at, name, AT_REMOVEDIR);
}

static void teardown(const char *root)
{
	static const char *const files[] = { "state", "name", "cgroup", "autoremove",
		"hostname", "hosts", "resolv.conf", "config.json", "lock" };
	char gone[1024], p[1024];
	size_t i;
	int j;

	/* pid namespace: its init gone, every task is; the groups are empty */
	for (j = 0; j < nh; j++)
		if (h[j].join)
			rmdir(h[j].grp);
	snprintf(p, sizeof(p), "%s/upper", dir);
	rm_tree(AT_FDCWD, p);
	/* work: the kernel's work/work only */
	snprintf(p, sizeof(p), "%s/work/work", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/work", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/merged", dir);
	rmdir(p);
	/* out of sight first, then emptied: the files are ours, no walk */
	snprintf(gone, sizeof(gone), "%s/.rm-%s", root, id);
	rename(dir, gone);
	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(p, sizeof(p), "%s/%s", gone, files[i]);
		unlink(p);
	}
	rmdir(gone);
}

/* ---- the supervisor ----------------------------------------------------- */

static int parse_hier(char **argv, int *i)
{
	for (; argv[*i] && strcmp(argv[*i], "--") && nh < MAXH; (*i)++) {
		char *c = strchr(argv[*i], ':');
		const char *s;

		if (!c)
			return -1;
		*c = 0;
		h[nh].mnt = argv[*i];
		h[nh].opts = c + 1;
		h[nh].name = (s = strrchr(argv[*i], '/')) ? s + 1 : argv[*i];
		h[nh].join = has_ctrl(c + 1, "cpu") || has_ctrl(c + 1, "cpuacct") ||
			     has_ctrl(c + 1, "cpuset") || has_ctrl(c + 1, "memory") ||
			     has_ctrl(c + 1, "devices") || has_ctrl(c + 1, "freezer") ||
			     has_ctrl(c + 1, "pids");
		nh++;
	}
	return argv[*i] ? 0 : -1;
}

/* forwards the docker set of signals until the container's init is gone */
static int supervise(pid_t child, const sigset_t *set)
{
	int status = 0, sig;

	while ((sig = sigwaitinfo(set, NULL)) != SIGCHLD)
		if (sig > 0)
			kill(child, sig);
	waitpid(child, &status, 0);
	return status;
}

int main(int argc, char *argv[])
{
	static const int fwd[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGCHLD,
		SIGWINCH };
	unsigned char rnd[32];
	unsigned long long self_start, child_start;
	char p[1024], b[512], t0[96], t1[96];
	sigset_t set;
	int i = 4, lock, nullfd, status, code, ready[2];
	size_t k;
	pid_t child;

	if (argc < 6 || parse_hier(argv, &i) < 0 || !argv[i + 1]) {
		fprintf(stderr, "usage: floor-ctrrun ROOT CGPARENT IMAGE HIER... -- PROG [ARG...]\n");
		return 125;
	}
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return 125;
	for (k = 0; k < sizeof(rnd); k++)
		snprintf(id + 2 * k, 3, "%02x", rnd[k]);
	memcpy(host, id, 12);
	self = (int)getpid();
	self_start = starttime("/proc/self/stat");
	if ((lock = state_dir(argv[1], argv[2], argv[3], argv + i + 1, self_start)) < 0)
		return 125;
	snprintf(p, sizeof(p), "%s/upper", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/work", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/merged", dir);
	mkdir(p, 0755);
	if (groups_make(argv[2]) < 0)
		return 125;
	nullfd = openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
	/* blocked before the clone: a SIGCHLD cannot slip by unseen */
	sigemptyset(&set);
	for (k = 0; k < sizeof(fwd) / sizeof(*fwd); k++)
		sigaddset(&set, fwd[k]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* "running" once the container is set up, as ctrrun says it: the
	 * child's end closes at its exec (O_CLOEXEC), which ends our read */
	if (pipe2(ready, O_CLOEXEC) < 0)
		return 125;
	child = (pid_t)syscall(SYS_clone, SIGCHLD | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
			       CLONE_NEWPID | CLONE_NEWNET, 0, 0, 0, 0);
	if (child == 0)
		container(nullfd, argv[3], argv + i + 1);
	if (child < 0)
		return 125;
	close(ready[1]);
	if (read(ready[0], b, 1) < 0)
		return 125;
	close(ready[0]);
	snprintf(p, sizeof(p), "/proc/%d/stat", (int)child);
	child_start = starttime(p);
	now_iso(t0, sizeof(t0));
	snprintf(b, sizeof(b), "running %d %llu %d %llu 0 %s - \n", (int)child, child_start,
		 self, self_start, t0);
	state(b);
	status = supervise(child, &set);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	now_iso(t1, sizeof(t1));
	snprintf(b, sizeof(b), "exited %d %llu %d %llu %d %s %s \n", (int)child, child_start,
		 self, self_start, code, t0, t1);
	state(b);
	/* the exit code for `ctrrun wait`, which takes the lock once freed */
	snprintf(p, sizeof(p), "%d\n", code);
	if (pwrite(lock, p, strlen(p), 0) < 0)
		code = 125;
	teardown(argv[1]);
	return code;
}
