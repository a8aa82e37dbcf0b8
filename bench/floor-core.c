/* floor-core (was floor-ctrrun): the least a program can do for what `ctrrun --rm IMAGE
 * /bin/true` does at its core, the floor bench/ctrrun.sh measures ctrrun
 * against: a cgroup with a CPU limit, an overlay root with a fresh upper
 * and work dir, five new namespaces, /proc and a /dev with a null node,
 * pivot_root with the old root detached, exec; then the cgroup and the dirs
 * removed. No checks, no messages, no docker baseline (caps, seccomp,
 * masked paths, /sys, /etc files, state) - ctrrun does all of those too.
 * What ctrrun does beyond this floor (bench/ctrrun.sh's ratio includes it):
 * its groups in every hierarchy (docker's: 7 v1 + the v2 one here, this
 * floor the cpu one), the devices rules, a cgroup namespace, /sys and
 * /sys/fs/cgroup (one mount per hierarchy), /dev's 6 nodes, links, pts,
 * shm and mqueue, the /etc files, masked and read-only paths, the
 * capability bounding set (41 prctl), seccomp, no_new_privs off, its state
 * directory (lock, state, config.json) and the stale-state scan.
 * The join is the cheapest the kernel has, as ctrrun's: the child writes
 * "0" to the group's tasks (v1) itself, which skips the threadgroup lock
 * and its RCU grace period that writing another pid (or cgroup.procs)
 * costs.
 *
 *   floor-core STATEDIR CPU_CGROUP_DIR IMAGE PROG [ARG...]
 *
 * CPU_CGROUP_DIR: where the cpu controller is (v1 hierarchy or a v2 group
 * with cpu enabled for its children).
 *
 * Built static by bench/ctrrun.sh: musl-gcc -static -Os -s. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = -1;

	if (fd >= 0) {
		rc = write(fd, s, strlen(s)) < 0 ? -1 : 0;
		close(fd);
	}
	return rc;
}

int main(int argc, char *argv[])
{
	char st[512], up[600], wk[600], mg[600], cg[600], f[700], opts[2048];
	int p[2], status;
	pid_t child;

	if (argc < 5)
		return 2;
	snprintf(st, sizeof(st), "%s/%d", argv[1], (int)getpid());
	snprintf(up, sizeof(up), "%s/upper", st);
	snprintf(wk, sizeof(wk), "%s/work", st);
	snprintf(mg, sizeof(mg), "%s/merged", st);
	mkdir(st, 0700);
	mkdir(up, 0755);
	mkdir(wk, 0755);
	mkdir(mg, 0755);
	snprintf(cg, sizeof(cg), "%s/floor-%d", argv[2], (int)getpid());
	mkdir(cg, 0755);
	snprintf(f, sizeof(f), "%s/cpu.cfs_quota_us", cg);
	put(f, "50000");
	snprintf(f, sizeof(f), "%s/cpu.max", cg);   /* cgroup v2 */
	put(f, "50000 100000");
	if (pipe2(p, O_CLOEXEC) < 0)
		return 1;
	child = (pid_t)syscall(SYS_clone, SIGCHLD | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
			       CLONE_NEWPID | CLONE_NEWNET, 0, 0, 0, 0);
	if (child == 0) {
		char c;

		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(1);
		snprintf(f, sizeof(f), "%s/tasks", cg);
		if (put(f, "0") < 0) {   /* cgroup v2: no tasks file */
			snprintf(f, sizeof(f), "%s/cgroup.procs", cg);
			put(f, "0");
		}
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
		snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", argv[3], up, wk);
		mount("overlay", mg, "overlay", 0, opts);
		if (chdir(mg) < 0)
			_exit(1);
		mkdir("proc", 0755);
		mkdir("dev", 0755);
		mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		mount("tmpfs", "dev", "tmpfs", MS_NOSUID, "mode=755");
		mknod("dev/null", S_IFCHR | 0666, makedev(1, 3));
		syscall(SYS_pivot_root, ".", ".");
		umount2(".", MNT_DETACH);
		if (chdir("/") < 0)
			_exit(1);
		execv(argv[4], argv + 4);
		_exit(127);
	}
	close(p[0]);
	if (write(p[1], "x", 1) < 0)
		return 1;
	close(p[1]);
	waitpid(child, &status, 0);
	rmdir(cg);
	rmdir(mg);
	rmdir(wk);   /* the kernel's work/work */
	snprintf(f, sizeof(f), "%s/work", wk);
	rmdir(f);
	rmdir(wk);
	rmdir(up);   /* /bin/true wrote nothing, but pivot made no dirs: proc, dev */
	snprintf(f, sizeof(f), "%s/proc", up);
	rmdir(f);
	snprintf(f, sizeof(f), "%s/dev", up);
	rmdir(f);
	rmdir(up);
	rmdir(st);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
