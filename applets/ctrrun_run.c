/* ctrrun_run.c: `ctrrun run`: the image and the /etc files into the spec,
 * the state directory, create + start through the engine, and the
 * supervisor (ctrrun itself, or a monitor process for -d). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "ctr/proc.h"
#include "ctr/tty.h"
#include "ctr/ocistate.h"
#include "ctrrun.h"

static struct ctr_tty_saved saved = { .fd = -1 };

static void restore(void)
{
	ctr_tty_restore(&saved);
}

static noreturn void fail(struct ctrrun_run *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static noreturn void fail(struct ctrrun_run *r, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctr_warnx("%s", msg);
	if (r->dir[0])
		ctrrun_remove(r->dir, 1);
	exit(status);
}

static void make_id(char *id)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[32];
	size_t i;

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		ctr_errn("getrandom");
	for (i = 0; i < 32; i++) {
		id[2 * i] = hex[raw[i] >> 4];
		id[2 * i + 1] = hex[raw[i] & 15];
	}
	id[64] = '\0';
}

static void mkdir_p(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0700);
}

/* IMAGE: DIR or DIR:DIR:... (topmost first), each resolved and checked. */
static __attribute__((noinline)) void set_image(struct ctrrun_run *r, const char *image)
{
	struct ctr_err e;
	char *copy = ctr_spec_strf(&r->spec, &e, "%s", image), *p, *save = NULL;
	char real[PATH_MAX], *dup;
	struct stat st;

	if (!copy)
		ctr_errx("out of memory");
	for (p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (!realpath(p, real) || stat(real, &st) < 0)
			ctr_errn("cannot use image: %s", p);
		if (!S_ISDIR(st.st_mode))
			ctr_errx("cannot use image: %s: not a directory", p);
		dup = ctr_spec_strf(&r->spec, &e, "%s", real);
		if (!dup || ctr_spec_add_str(&r->spec, &r->spec.root.layers, dup, &e) < 0)
			ctr_errx("out of memory");
		r->spec.root.nlayers++;
	}
	if (!r->spec.root.nlayers)
		ctr_usage_error("invalid image: '%s'", image);
	r->image = image;
}

static int name_taken(const char *dir, const char *id, void *arg)
{
	char path[4200], name[300];

	(void)id;
	snprintf(path, sizeof(path), "%s/name", dir);
	return ctr_read_file_at(AT_FDCWD, path, name, sizeof(name)) > 0 && !strcmp(name, arg);
}

static void write_file(struct ctrrun_run *r, const char *name, const char *text)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail(r, 125, "cannot write %s: %s", path, strerror(errno));
	close(fd);
}

/* The three files docker binds in: hostname, hosts (localhost and the
 * container's own name), resolv.conf (the host's, loopback servers
 * dropped in a network namespace of our own, where they cannot answer). */
static __attribute__((noinline)) void etc_files(struct ctrrun_run *r, int own_net)
{
	static const char *const names[] = { "hostname", "hosts", "resolv.conf" };
	char buf[8192], out[8192], *line, *save = NULL;
	size_t n = 0, i, servers = 0;
	struct ctr_err e;

	snprintf(buf, sizeof(buf), "%s\n", r->hostname);
	write_file(r, "hostname", buf);
	snprintf(buf, sizeof(buf),
		 "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
		 "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
		 "ff02::2\tip6-allrouters\n127.0.1.1\t%s\n", r->hostname);
	write_file(r, "hosts", buf);
	if (ctr_read_file_at(AT_FDCWD, "/etc/resolv.conf", buf, sizeof(buf)) < 0)
		buf[0] = 0;
	out[0] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "nameserver", 10)) {
			const char *a = line + 10 + strspn(line + 10, " \t");

			if (own_net && (!strncmp(a, "127.", 4) || !strcmp(a, "::1")))
				continue;
			servers++;
		}
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s\n", line);
		if (n >= sizeof(out))
			break;
	}
	if (!servers && n < sizeof(out) - 64)
		snprintf(out + n, sizeof(out) - n, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	write_file(r, "resolv.conf", out);
	for (i = 0; i < 3; i++) {
		struct ctr_spec_mount m = { .type = "bind" };
		m.source = ctr_spec_strf(&r->spec, &e, "%s/%s", r->dir, names[i]);
		m.dest = ctr_spec_strf(&r->spec, &e, "/etc/%s", names[i]);
		if (!m.source || !m.dest)
			ctr_errx("out of memory");
		m.flags = MS_BIND | (r->read_only ? MS_RDONLY : 0);
		m.bind_nonrec = 1;
		if (ctr_spec_add_mount(&r->spec, &m, &e) < 0)
			fail(r, 125, "%s", "out of memory");
	}
}

static __attribute__((noinline)) void set_network(struct ctrrun_run *r)
{
	struct ctr_err e;
	char dir[4200], id[65];
	struct ctrrun_state st;
	static char path[64];

	if (!r->network || !strcmp(r->network, "none"))
		return;
	if (!strcmp(r->network, "host")) {
		ctr_spec_del_ns(&r->spec, CLONE_NEWNET);
		return;
	}
	if (strncmp(r->network, "container:", 10))
		ctr_usage_error("--network %s is not supported (none, host, container:NAME)",
				r->network);
	if (ctrrun_find(r->network + 10, dir, sizeof(dir), id) < 0)
		exit(125);
	if (ctrrun_state_load(dir, &st) < 0 || strcmp(st.status, "running") ||
	    ctrrun_start_time(st.pid) != st.pid_start)
		ctr_errx("cannot join network of a non running container: %s", r->network + 10);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)st.pid);
	if (ctr_spec_set_ns(&r->spec, CLONE_NEWNET, path, &e) < 0)
		ctr_die(&e);
}

/* ---- create, start, supervise -------------------------------------------- */

/* Create and start; on failure the status to exit with (and the message
 * printed). */
static int create_start(struct ctrrun_run *r, struct ctr_engine *c, int out_fd)
{
	struct ctr_engine_opts o = { .id = r->id, .state_dir = r->dir, .stdio = { -1, -1, -1 },
				     .start_now = 1 };
	struct ctrrun_state st = { .status = "created" };
	struct ctr_err e = { 0 };
	int null = -1;

	if (!r->interactive || r->detach) {
		null = openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
		o.stdio[0] = null;
	}
	if (out_fd >= 0)
		o.stdio[1] = o.stdio[2] = out_fd;
	st.monitor = getpid();
	st.monitor_start = r->detach ? ctrrun_start_time(st.monitor) : r->start;
	/* recorded before the container exists: a crash from here on leaves
	 * state the next call can clean up */
	ctr_engine_paths(&r->spec, &o, c);
	/* the state run() wrote says the same but for a -d monitor's pid */
	if (ctrrun_config_save(r, c) < 0 ||
	    (r->detach && ctrrun_state_save(r->dir, &st) < 0)) {
		ctr_warn("cannot write state: %s", r->dir);
		return 125;
	}
	if (ctr_engine_create(&r->spec, &o, c, &e) < 0) {
		ctr_report(&e);
		if (null >= 0)
			close(null);
		return c->exec_status ? c->exec_status : 125;
	}
	if (null >= 0)
		close(null);
	/* started first: "running" is written while the container runs
	 * (a crash before leaves "created" and a dead monitor: cleaned up,
	 * the container killed by its parent-death signal) */
	if (ctr_engine_start(c, &e) < 0) {
		ctr_report(&e);
		return c->exec_status;
	}
	st.pid = c->pid;
	st.pid_start = c->start_time;
	strcpy(st.status, "running");
	ctr_ocist_now(st.started, sizeof(st.started));
	if (ctrrun_state_save(r->dir, &st) < 0) {
		ctr_warn("cannot write state: %s", r->dir);
		ctr_engine_destroy(c);
		return 125;
	}
	r->state = st;
	return 0;
}

/* Wait for the container, record its end, tear it down. */
static int supervise(struct ctrrun_run *r, struct ctr_engine *c, int in, int out)
{
	struct ctrrun_state *st = &r->state;   /* only its monitor writes it */
	struct ctr_err e;
	int ws, code;

	ws = ctr_engine_wait(c, in, out, &e);
	code = ctr_engine_exit_code(ws);
	restore();
	strcpy(st->status, "exited");
	st->exit_code = code;
	ctr_ocist_now(st->finished, sizeof(st->finished));
	ctrrun_state_save(r->dir, st);
	/* for waiters, who may find the state gone (--rm) */
	ctrrun_lock_record(r->lock_fd, code);
	if (r->rm) {
		ctr_engine_destroy(c);
		/* its group gone: the files only; else the full pass */
		ctrrun_remove(r->dir, c->cgroup_made ? 1 : 2);
	} else {
		/* docker keeps a stopped container's files until rm */
		c->upper[0] = c->work[0] = c->merged[0] = 0;
		ctr_engine_destroy(c);
	}
	return code;
}

/* -d: a monitor process owns the container; we print the ID once it runs. */
static int run_detached(struct ctrrun_run *r)
{
	static struct ctr_engine c;
	char path[4200];
	int p[2], log, rc, st;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/log", r->dir);
	log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (log < 0 || pipe2(p, O_CLOEXEC) < 0)
		fail(r, 125, "cannot create %s: %s", path, strerror(errno));
	pid = fork();
	if (pid < 0)
		fail(r, 125, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[0]);
		setsid();
		rc = create_start(r, &c, r->tty ? -1 : log);
		if (write(p[1], &rc, sizeof(rc)) < 0)
			rc = rc ? rc : 0;
		close(p[1]);
		if (rc) {
			ctrrun_remove(r->dir, 1);
			_exit(rc);
		}
		/* the monitor's stdio: nothing of the caller's terminal */
		rc = open("/dev/null", O_RDWR);
		dup2(rc, 0);
		dup2(rc, 1);
		dup2(rc, 2);
		if (rc > 2)
			close(rc);
		_exit(supervise(r, &c, -1, r->tty ? log : -1));
	}
	close(p[1]);
	close(log);
	if (read(p[0], &rc, sizeof(rc)) != sizeof(rc)) {
		waitpid(pid, &st, 0);
		rc = 125;
	}
	if (rc)
		return rc;
	printf("%s\n", r->id);
	return 0;
}

int ctrrun_run_main(struct ctrrun_run *r, int argc, char **argv)
{
	static struct ctr_engine c;
	struct ctr_err e;
	char **args = NULL;
	char *env;
	int i, rc, own_net;

	set_image(r, argv[0]);
	r->cmd = argv + 1;
	if (r->entrypoint) {
		if (ctr_spec_add_str(&r->spec, &args, r->entrypoint, &e) < 0)
			ctr_die(&e);
	}
	for (i = 1; i < argc; i++)
		if (ctr_spec_add_str(&r->spec, &args, argv[i], &e) < 0)
			ctr_die(&e);
	if (!args)
		ctr_usage_error("No command specified (an image directory has no default CMD)");
	r->spec.process.args = args;
	r->spec.process.terminal = r->tty;
	if (r->tty && r->interactive && !isatty(0))
		ctr_errx("the input device is not a TTY");
	set_network(r);
	own_net = ctr_spec_get_ns(&r->spec, CLONE_NEWNET) &&
		  !ctr_spec_get_ns(&r->spec, CLONE_NEWNET)->path;

	make_id(r->id);
	{
		/* named here (the engine's default is the same), so that the
		 * state dir records it before the group exists */
		const char *parent = r->cgroup_parent ? r->cgroup_parent : "ctrbox";
		r->spec.cgroup.path = ctr_spec_strf(&r->spec, &e, "%s/%s", parent, r->id);
		if (!r->spec.cgroup.path)
			ctr_errx("out of memory");
	}
	if (!r->name) {
		static char def[32];

		snprintf(def, sizeof(def), "ctr_%.10s", r->id);
		r->name = def;
	}
	if (!r->name[0] || strchr(r->name, '/') || strlen(r->name) > 200)
		ctr_usage_error("invalid container name: '%s'", r->name);
	if (ctrrun_left > 0 && ctrrun_foreach(name_taken, (void *)r->name))
		ctr_errx("Conflict. The container name \"/%s\" is already in use", r->name);
	if (ctrrun_left < 0)
		mkdir_p(ctrrun_root);
	/* made under a temporary name holding the lock, then renamed into
	 * place: cleanup never sees a container dir whose lock is free while
	 * its creator lives (see ctrrun_gc) */
	snprintf(r->dir, sizeof(r->dir), "%s/.new-%s", ctrrun_root, r->id);
	if (mkdir(r->dir, 0700) < 0) {
		r->dir[0] = 0;
		ctr_errn("cannot create %s/%s", ctrrun_root, r->id);
	}
	r->lock_fd = ctrrun_lock_open(r->dir, 1);
	if (r->lock_fd < 0)
		fail(r, 125, "cannot create %s: %s", r->dir, strerror(errno));
	{
		/* a state first: if we are killed from here on, the next
		 * call sees a dead monitor and cleans up at once */
		struct ctrrun_state st = { .status = "created" };

		st.monitor = getpid();
		st.monitor_start = r->start = ctrrun_start_time(st.monitor);
		if (ctrrun_state_save(r->dir, &st) < 0)
			fail(r, 125, "cannot write state: %s", r->dir);
	}
	write_file(r, "name", r->name);
	/* what a kill -9 at any later point leaves for the next call's
	 * cleanup: the group to remove, and whether an exited container goes */
	write_file(r, "cgroup", r->spec.cgroup.path);
	if (r->rm)
		write_file(r, "autoremove", "1");
	{
		char final[4096];

		snprintf(final, sizeof(final), "%s/%s", ctrrun_root, r->id);
		if (rename(r->dir, final) < 0)
			fail(r, 125, "cannot create %s: %s", final, strerror(errno));
		memcpy(r->dir, final, sizeof(final));
	}
	if (r->spec.hostname) {
		snprintf(r->hostname, sizeof(r->hostname), "%s", r->spec.hostname);
	} else if (r->network && !strcmp(r->network, "host")) {
		gethostname(r->hostname, sizeof(r->hostname) - 1);
		r->spec.hostname = r->hostname;
	} else {
		snprintf(r->hostname, sizeof(r->hostname), "%.12s", r->id);
		r->spec.hostname = r->hostname;
	}
	env = ctr_spec_strf(&r->spec, &e, "HOSTNAME=%s", r->hostname);
	if (!env || ctr_spec_setenv(&r->spec, env, &e) < 0 ||
	    (r->tty && ctr_spec_setenv(&r->spec, "TERM=xterm", &e) < 0))
		ctr_die(&e);
	etc_files(r, own_net);

	if (r->detach)
		return run_detached(r);
	/* raw before the container can write; restored on every way out */
	if (r->tty && ctr_tty_raw(0, &saved) == 0)
		atexit(restore);
	rc = create_start(r, &c, -1);
	if (rc) {
		restore();
		ctrrun_remove(r->dir, 1);
		return rc;
	}
	return supervise(r, &c, r->tty && r->interactive ? 0 : -1, r->tty ? 1 : -1);
}
