/* ocirun: an OCI runtime speaking runc's command line, on ctrbox's engine.
 *
 * ocirun [GLOBAL OPTIONS] COMMAND [OPTIONS] [ID] [ARGS]
 *
 * Podman (--runtime /path/ocirun), conmon and containerd's runc shim
 * (BinaryName, or `ctr run --runc-binary`) drive it as they drive runc:
 * config.json of a bundle is read into the same struct ctr_spec ctrrun
 * fills from docker's flags (libctr/oci.c), and the one engine (libctr/
 * engine*.c) makes the container. The lifecycle is the runtime spec's:
 * `create` leaves init parked on <root>/<id>/exec.fifo before the user's
 * program, `start` opens the fifo and runs poststart hooks, `delete`
 * removes everything and runs poststop hooks.
 *
 * As runc: long options with one or two dashes (go-runc sends
 * `-no-subreaper`), errors as JSON lines with "level":"error" in --log when
 * --log-format json (containerd reports the last one), `kill` takes 9, KILL
 * or SIGKILL, `--version` prints three lines. Differences: cgroupfs only
 * (--systemd-cgroup is refused), no checkpoint/restore/update, no
 * AppArmor/SELinux (labels are ignored with a warning when the host has
 * neither, as runc does), `ps` filters `ps -ef` by the container's cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"
#include "ctr/engine.h"
#include "ctr/oci.h"
#include "ctr/ocistate.h"
#include "ctr/opt.h"
#include "ctr/proc.h"
#include "ctr/tty.h"
#include "ocirun.h"

static const char usage_text[] =
	"Usage: ocirun [GLOBAL OPTIONS] COMMAND [OPTIONS] [ID] [ARGS]\n"
	"\n"
	"An OCI runtime with runc's command line (podman --runtime, containerd's\n"
	"BinaryName) on ctrbox's container engine.\n"
	"\n"
	"Commands:\n"
	"  create [-b BUNDLE] [--console-socket S] [--pid-file F] [--no-pivot]\n"
	"         [--no-new-keyring] [--preserve-fds N] ID   set up, park before the program\n"
	"  start ID                        run the program of a created container\n"
	"  run [create's options] [-d] [--keep] [--no-subreaper] ID\n"
	"                                  create + start; wait unless -d\n"
	"  state ID                        the runtime spec's state as JSON\n"
	"  kill [-a] ID [SIGNAL]           signal init (-a: every process); SIGTERM\n"
	"  delete [-f] ID                  remove a stopped (-f: any) container\n"
	"  exec [-p FILE | CMD...] [-t] [-d] [--pid-file F] [--console-socket S]\n"
	"       [--cwd D] [-e K=V] [-u UID[:GID]] [-c CAP] ID   (see README)\n"
	"  ps [-f table|json] ID [PS ARGS]  processes of the container\n"
	"  list [-f table|json] [-q]       containers under --root\n"
	"  pause ID, resume ID             freeze / thaw (freezer v1, cgroup.freeze v2)\n"
	"  spec [-b BUNDLE]                write a default config.json\n"
	"  features                        what this runtime supports, as JSON\n"
	"\n"
	"Global options:\n"
	"  --root DIR           state directory (default /run/ocirun, tmpfs)\n"
	"  --log FILE           log file (errors also go to stderr)\n"
	"  --log-format F       text or json\n"
	"  --debug              debug messages in the log\n"
	"  --systemd-cgroup     refused: cgroupfs only\n"
	"  -h, --help           this text; -v, --version  version\n";

const char *g_root = "/run/ocirun";
int g_logfd = -1, g_logjson, g_debug;

/* ---- messages: stderr and the log ------------------------------------- */

static void log_line(const char *level, const char *msg)
{
	struct ctr_json_w w;
	char now[40];

	if (g_logfd < 0)
		return;
	ctr_ocist_now(now, sizeof(now));
	if (g_logjson) {
		ctr_json_w_init(&w, g_logfd, 0);
		ctr_json_w_obj(&w);
		ctr_json_w_kstr(&w, "level", level);
		ctr_json_w_kstr(&w, "msg", msg);
		ctr_json_w_kstr(&w, "time", now);
		ctr_json_w_end(&w);
		ctr_json_w_flush(&w, 1);
	} else {
		dprintf(g_logfd, "time=\"%s\" level=%s msg=\"%s\"\n", now, level, msg);
	}
}

static void vsay(const char *level, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s: %s%s\n", ctr_applet, strcmp(level, "error") ? "warning: " : "", msg);
	log_line(level, msg);
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("warning", fmt, ap);
	va_end(ap);
}

noreturn void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("error", fmt, ap);
	va_end(ap);
	exit(1);
}

static void err_text(const struct ctr_err *e, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s", e->what ? e->what : "error", e->detail[0] ? ": " : "",
		 e->detail, e->err ? ": " : "", e->err ? strerror(e->err) : "");
}

noreturn void die_e(const struct ctr_err *e)
{
	char msg[900];

	err_text(e, msg, sizeof(msg));
	die("%s", msg);
}

void warn_e(const struct ctr_err *e)
{
	char msg[900];

	err_text(e, msg, sizeof(msg));
	warnx_("%s", msg);
}

/* ---- options ------------------------------------------------------------ */

static const struct option cmd_opts[] = {
	{ "bundle", required_argument, 0, O_BUNDLE },
	{ "console-socket", required_argument, 0, O_CONSOLE },
	{ "pid-file", required_argument, 0, O_PIDFILE },
	{ "no-pivot", no_argument, 0, O_NOPIVOT },
	{ "no-new-keyring", no_argument, 0, O_NOKEYRING },
	{ "preserve-fds", required_argument, 0, O_PRESERVE },
	{ "detach", no_argument, 0, O_DETACH },
	{ "keep", no_argument, 0, O_KEEP },
	{ "no-subreaper", no_argument, 0, O_NOSUBREAPER },
	{ "all", no_argument, 0, O_ALL },
	{ "force", no_argument, 0, O_FORCE },
	{ "format", required_argument, 0, O_FORMAT },
	{ "quiet", no_argument, 0, O_QUIET },
	{ "rootless", required_argument, 0, O_ROOTLESS },
	{ "tty", no_argument, 0, O_TTY },
	{ "cwd", required_argument, 0, O_CWD },
	{ "env", required_argument, 0, O_ENV },
	{ "user", required_argument, 0, O_USER },
	{ "additional-gids", required_argument, 0, O_GIDS },
	{ "process", required_argument, 0, O_PROCESS },
	{ "process-label", required_argument, 0, O_LABEL },
	{ "apparmor", required_argument, 0, O_APPARMOR },
	{ "no-new-privs", no_argument, 0, O_NNP },
	{ "cap", required_argument, 0, O_CAP },
	{ "cgroup", required_argument, 0, O_CGROUP },
	{ "ignore-paused", no_argument, 0, O_IGNPAUSED },
	{ "help", no_argument, 0, 'h' },
	{ 0, 0, 0, 0 }
};

/* Parse a command's options; allowed: the option codes it takes. Returns
 * the index of the first operand. */
int parse_cmd(int argc, char *argv[], const char *cmd, const int *allowed,
		     struct opts *o)
{
	int c, i, ok;
	long long n;

	memset(o, 0, sizeof(*o));
	o->format = "table";
	optind = 0;
	opterr = 0;
	while ((c = getopt_long_only(argc, argv, "+:b:afdteucpqh", cmd_opts, NULL)) != -1) {
		if (c == 'h')
			ctr_print_help(usage_text);
		if (c == '?' || c == ':')
			ctr_bad_option(c, argv, cmd_opts);
		for (ok = 0, i = 0; allowed[i]; i++)
			ok |= allowed[i] == c;
		if (!ok)
			ctr_usage_error("%s: unsupported option '%s'", cmd, argv[optind - 1]);
		switch (c) {
		case O_BUNDLE: o->bundle = optarg; break;
		case O_CONSOLE: o->console = optarg; break;
		case O_PIDFILE: o->pidfile = optarg; break;
		case O_NOPIVOT: o->nopivot = 1; break;
		case O_NOKEYRING: break;   /* no session keyring is made anyway */
		case O_NOSUBREAPER: break; /* we never become a subreaper */
		case O_PRESERVE:
			if (ctr_opt_llong(optarg, 0, 1000, &n) < 0)
				ctr_usage_error("invalid --preserve-fds: %s", optarg);
			o->preserve = (int)n;
			break;
		case O_DETACH: o->detach = 1; break;
		case O_KEEP: o->keep = 1; break;
		case O_ALL: o->all = 1; break;
		case O_FORCE: o->force = 1; break;
		case O_FORMAT:
			if (strcmp(optarg, "table") && strcmp(optarg, "json"))
				ctr_usage_error("invalid format: %s (table or json)", optarg);
			o->format = optarg;
			break;
		case O_QUIET: o->quiet = 1; break;
		case O_ROOTLESS:
			if (strcmp(optarg, "false") && strcmp(optarg, "auto"))
				die("--rootless %s: rootless containers are not supported", optarg);
			break;
		case O_TTY: o->tty = 1; break;
		case O_CWD: o->cwd = optarg; break;
		case O_ENV:
			if (o->nenv < 63)
				o->env[o->nenv++] = optarg;
			break;
		case O_USER: o->user = optarg; break;
		case O_PROCESS: o->process = optarg; break;
		case O_NNP: o->nnp = 1; break;
		case O_CAP:
			if (o->ncaps < 63)
				o->caps[o->ncaps++] = optarg;
			break;
		default:
			die("%s: option '%s' is not supported by ocirun", cmd, argv[optind - 1]);
		}
	}
	return optind;
}

const char *need_id(int argc, char *argv[], int i, const char *cmd)
{
	if (i >= argc)
		ctr_usage_error("%s: a container id is needed", cmd);
	return argv[i];
}


/* ---- create, start, run ------------------------------------------------- */


/* The engine's hook points: the spec's hooks with the state on stdin. In
 * the child (pid 0) the state's pid is the one the container sees. */
static int run_hook_point(void *arg, int point, pid_t pid, struct ctr_err *e)
{
	static const char *const names[CTR_HOOK_NPOINTS] = {
		"prestart", "createRuntime", "createContainer", "startContainer",
		"poststart", "poststop",
	};
	struct creation *cr = arg;

	cr->st.pid = pid ? pid : getpid();
	return ctr_ocist_run_hooks(cr->hooks, names[point], &cr->st,
				   point == CTR_HOOK_START_CONTAINER ? CTR_OCIST_CREATED :
				   CTR_OCIST_CREATING, e);
}

void write_pid_file(const char *path, pid_t pid)
{
	char tmp[4096], num[16];
	const char *slash = strrchr(path, '/');
	int fd, n;

	/* runc: ".<name>" next to it, then rename: readers never see it half */
	if (slash)
		snprintf(tmp, sizeof(tmp), "%.*s/.%s", (int)(slash - path), path, slash + 1);
	else
		snprintf(tmp, sizeof(tmp), ".%s", path);
	n = snprintf(num, sizeof(num), "%d", (int)pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, num, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0)
		die("cannot write the pid file %s: %s", path, strerror(errno));
}

/* create, and run's first half. exec_fifo: OCI create (parked on the fifo)
 * vs run (started through the engine's socket). */
static void create_container(struct creation *cr, const char *id, const struct opts *o,
			     int fifo, struct ctr_engine *eng)
{
	struct ctr_engine_opts eo;
	struct ctr_err e = { 0 };
	char bundle[4096], fifo_path[4200], name[64];
	int i;

	if (!realpath(o->bundle ? o->bundle : ".", bundle))
		die("bundle %s: %s", o->bundle ? o->bundle : ".", strerror(errno));
	if (ctr_ocist_create(&cr->st, g_root, id, &e) < 0)
		die_e(&e);
	if (ctr_oci_load(&cr->oci, bundle, &e) < 0) {
		ctr_ocist_remove(&cr->st);
		die_e(&e);
	}
	cr->hooks = ctr_json_get(cr->oci.doc, "hooks");
	cr->st.annotations = cr->oci.annotations;
	cr->st.oci_version = cr->oci.oci_version;
	if (cr->oci.seccomp && ctr_oci_seccomp_attach(&cr->oci, &e) < 0)
		goto fail;
	for (i = 0; i < cr->oci.nwarn; i++)   /* the seccomp's too */
		warnx_("%s", cr->oci.warn[i]);
	if (cr->oci.spec.process.terminal && !o->console && (fifo || o->detach)) {
		ctr_err_set(&e, 0, "cannot allocate tty if ocirun will detach without setting "
			    "console socket", NULL);
		goto fail;
	}
	if (!cr->oci.spec.process.terminal && o->console) {
		ctr_err_set(&e, 0, "cannot use console socket if ocirun will not detach or "
			    "allocate tty", NULL);
		goto fail;
	}
	cr->oci.spec.no_pivot = o->nopivot;
	snprintf(cr->st.bundle, sizeof(cr->st.bundle), "%s", bundle);
	snprintf(cr->st.rootfs, sizeof(cr->st.rootfs), "%s", cr->oci.root);
	ctr_ocist_now(cr->st.created, sizeof(cr->st.created));
	if (cr->oci.spec.cgroup.path)
		snprintf(cr->st.cgroup, sizeof(cr->st.cgroup), "%s", cr->oci.spec.cgroup.path);
	else
		snprintf(cr->st.cgroup, sizeof(cr->st.cgroup), "ctrbox/%s", id);
	/* state first: a creator killed from here on leaves a state the next
	 * call recognizes (creating, unlocked) and removes */
	cr->st.cgroup_made = 1;
	if (ctr_ocist_save(&cr->st, cr->oci.oci_version, cr->oci.annotations, cr->hooks, &e) < 0)
		goto fail;
	snprintf(fifo_path, sizeof(fifo_path), "%s/exec.fifo", cr->st.dir);
	if (fifo && mkfifo(fifo_path, 0622) < 0) {
		ctr_err_sys(&e, "cannot make the exec fifo", "%s", fifo_path);
		goto fail;
	}
	memset(&eo, 0, sizeof(eo));
	eo.id = id;
	eo.state_dir = cr->st.dir;
	eo.stdio[0] = eo.stdio[1] = eo.stdio[2] = -1;
	eo.exec_fifo = fifo ? fifo_path : NULL;
	eo.hook = run_hook_point;
	eo.hook_arg = cr;
	eo.preserve_fds = o->preserve;
	eo.detach = fifo || o->detach;
	if (ctr_engine_create(&cr->oci.spec, &eo, eng, &e) < 0)
		goto fail;
	if (o->console) {
		if (eng->pty_master < 0) {
			ctr_err_set(&e, 0, "the container has no terminal", NULL);
			goto fail_eng;
		}
		if (ioctl(eng->pty_master, TIOCGPTN, &i) < 0)
			i = 0;
		snprintf(name, sizeof(name), "/dev/pts/%d", i);
		if (ctr_tty_send_console(o->console, eng->pty_master, name, &e) < 0)
			goto fail_eng;
	}
	cr->st.pid = eng->pid;
	cr->st.start_time = eng->start_time;
	if (eng->cgroup[0])
		snprintf(cr->st.cgroup, sizeof(cr->st.cgroup), "%s", eng->cgroup);
	cr->st.cgroup_made = eng->cgroup_made;
	cr->st.creating = 0;
	if (ctr_ocist_save(&cr->st, cr->oci.oci_version, cr->oci.annotations, cr->hooks, &e) < 0)
		goto fail_eng;
	if (o->pidfile)
		write_pid_file(o->pidfile, eng->pid);
	return;
fail_eng:
	ctr_engine_destroy(eng);
fail:
	{
		char msg[900];
		err_text(&e, msg, sizeof(msg));
		ctr_ocist_remove(&cr->st);
		ctr_oci_free(&cr->oci);
		die("%s", msg);
	}
}

static int cmd_create(int argc, char *argv[])
{
	static const int ok[] = { O_BUNDLE, O_CONSOLE, O_PIDFILE, O_NOPIVOT, O_NOKEYRING,
				  O_PRESERVE, 0 };
	struct creation cr;
	struct ctr_engine eng;
	struct opts o;
	const char *id = need_id(argc, argv, parse_cmd(argc, argv, "create", ok, &o), "create");

	create_container(&cr, id, &o, 1, &eng);
	ctr_engine_release(&eng);
	ctr_ocist_close(&cr.st);
	ctr_oci_free(&cr.oci);
	return 0;
}

static int cmd_start(int argc, char *argv[])
{
	static const int ok[] = { 0 };
	struct ctr_ocist st;
	struct ctr_err e = { 0 };
	struct opts o;
	char fifo[4200];
	const char *id = need_id(argc, argv, parse_cmd(argc, argv, "start", ok, &o), "start");
	int status = open_container(&st, id, F_WRLCK);

	if (status != CTR_OCIST_CREATED)
		die(status == CTR_OCIST_STOPPED ? "cannot start a container that has stopped" :
		    "cannot start an already running container");
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", st.dir);
	if (ctr_engine_start_fifo(fifo, &e) < 0)
		die_e(&e);
	/* poststart: failures are warnings (runtime spec) */
	if (ctr_ocist_run_hooks(st.hooks, "poststart", &st, CTR_OCIST_RUNNING, &e) < 0)
		warn_e(&e);
	ctr_ocist_close(&st);
	return 0;
}

static int cmd_run(int argc, char *argv[])
{
	static const int ok[] = { O_BUNDLE, O_CONSOLE, O_PIDFILE, O_NOPIVOT, O_NOKEYRING,
				  O_PRESERVE, O_DETACH, O_KEEP, O_NOSUBREAPER, 0 };
	struct creation cr;
	struct ctr_engine eng;
	struct ctr_err e = { 0 };
	struct opts o;
	const char *id = need_id(argc, argv, parse_cmd(argc, argv, "run", ok, &o), "run");
	int wst, tty, code;

	create_container(&cr, id, &o, 0, &eng);
	tty = cr.oci.spec.process.terminal && !o.console;
	if (ctr_engine_start(&eng, &e) < 0) {
		code = eng.exec_status;
		warn_e(&e);
		ctr_engine_destroy(&eng);
		destroy_container(&cr.st, 1);
		ctr_oci_free(&cr.oci);
		return code ? code : 1;
	}
	if (ctr_ocist_run_hooks(cr.hooks, "poststart", &cr.st, CTR_OCIST_RUNNING, &e) < 0)
		warn_e(&e);
	if (o.detach) {
		ctr_engine_release(&eng);
		ctr_ocist_close(&cr.st);
		ctr_oci_free(&cr.oci);
		return 0;
	}
	wst = ctr_engine_wait(&eng, tty ? 0 : -1, tty ? 1 : -1, &e);
	if (wst < 0) {
		warn_e(&e);
		wst = 0;
	}
	code = ctr_engine_exit_code(wst);
	ctr_engine_destroy(&eng);
	/* its group gone: destroy_container has no second pass to make */
	cr.st.cgroup_made &= eng.cgroup_made;
	if (!o.keep)
		destroy_container(&cr.st, 1);
	else
		ctr_ocist_close(&cr.st);
	ctr_oci_free(&cr.oci);
	return code;
}

static int cmd_delete(int argc, char *argv[])
{
	static const int ok[] = { O_FORCE, 0 };
	struct ctr_ocist st;
	struct ctr_err e = { 0 };
	struct opts o;
	const char *id = need_id(argc, argv, parse_cmd(argc, argv, "delete", ok, &o), "delete");
	int status;

	status = ctr_ocist_open(&st, g_root, id, F_WRLCK, 0, &e);
	if (status < 0) {
		if (o.force && e.err == ENOENT)
			return 0;   /* runc: delete --force of nothing succeeds */
		die_e(&e);
	}
	if ((status == CTR_OCIST_RUNNING || status == CTR_OCIST_PAUSED) && !o.force)
		die("cannot delete container %s that is not stopped: %s", id,
		    ctr_ocist_status_name(status));
	destroy_container(&st, status != CTR_OCIST_STALE);
	return 0;
}

int ocirun_main(int argc, char *argv[])
{
	static const struct option gopts[] = {
		{ "root", required_argument, 0, 'r' },
		{ "log", required_argument, 0, 'l' },
		{ "log-format", required_argument, 0, 'F' },
		{ "debug", no_argument, 0, 'D' },
		{ "systemd-cgroup", no_argument, 0, 'S' },
		{ "rootless", required_argument, 0, 'R' },
		{ "criu", required_argument, 0, 'C' },
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'v' },
		{ 0, 0, 0, 0 }
	};
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{ "create", cmd_create }, { "start", cmd_start }, { "run", cmd_run },
		{ "state", cmd_state }, { "kill", cmd_kill }, { "delete", cmd_delete },
		{ "exec", cmd_exec }, { "ps", cmd_ps }, { "list", cmd_list },
		{ "spec", cmd_spec }, { "features", cmd_features },
	};
	const char *log = NULL;
	size_t i;
	int c;

	ctr_applet = "ocirun";
	opterr = 0;
	while ((c = getopt_long_only(argc, argv, "+:hv", gopts, NULL)) != -1) {
		switch (c) {
		case 'r': g_root = optarg; break;
		case 'l': log = optarg; break;
		case 'F':
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				ctr_usage_error("invalid --log-format: %s (text or json)", optarg);
			g_logjson = strcmp(optarg, "json") == 0;
			break;
		case 'D': g_debug = 1; break;
		case 'S':
			die("--systemd-cgroup is not supported: ocirun manages cgroups itself "
			    "(cgroupfs); use podman --cgroup-manager cgroupfs or containerd's "
			    "SystemdCgroup = false");
		case 'R':
			if (strcmp(optarg, "false") && strcmp(optarg, "auto"))
				die("--rootless %s: rootless containers are not supported", optarg);
			break;
		case 'C': break;   /* no checkpoint/restore: the path is unused */
		case 'h': ctr_print_help(usage_text);
		case 'v':
			printf("ocirun version %s\ncommit: ctrbox-%s\nspec: 1.0.2\n",
			       CTRBOX_VERSION, CTRBOX_VERSION);
			return 0;
		default:
			ctr_bad_option(c, argv, gopts);
		}
	}
	if (log) {
		g_logfd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (g_logfd < 0)
			die("cannot open the log %s: %s", log, strerror(errno));
	}
	if (optind >= argc)
		ctr_usage_error("a command is needed");
	argc -= optind;
	argv += optind;
	if (strcmp(argv[0], "pause") == 0 || strcmp(argv[0], "resume") == 0)
		return cmd_pause(argc, argv, argv[0][0] == 'p');
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			return cmds[i].fn(argc, argv);
	if (strcmp(argv[0], "checkpoint") == 0 || strcmp(argv[0], "restore") == 0 ||
	    strcmp(argv[0], "update") == 0 || strcmp(argv[0], "events") == 0)
		die("%s: not supported by ocirun", argv[0]);
	ctr_usage_error("unknown command '%s'", argv[0]);
}
