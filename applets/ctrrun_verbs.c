/* ctrrun_verbs.c: logs [-f], stop [-t SECS], kill [-s SIG], rm [-f], wait:
 * docker's verbs on the state directory and the container's pid. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "common.h"
#include "ctr/opt.h"
#include "ctr/proc.h"
#include "ctrrun.h"

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int running(const struct ctrrun_state *st)
{
	return !strcmp(st->status, "running") && st->pid > 0 &&
	       ctrrun_start_time(st->pid) == st->pid_start;
}

/* Wait until the monitor has recorded the end (or died): 1, or 0 after
 * timeout_ms (< 0: forever). */
static int wait_exited(const char *dir, int timeout_ms)
{
	struct ctrrun_state st;
	int waited = 0;

	for (;;) {
		if (ctrrun_state_load(dir, &st) < 0 || !strcmp(st.status, "exited") ||
		    !ctrrun_monitor_alive(&st))
			return 1;
		if (timeout_ms >= 0 && waited >= timeout_ms)
			return 0;
		sleep_ms(10);
		waited += 10;
	}
}

static int parse_simple(int argc, char **argv, const char *opts, const struct option *lo,
			const char *help, void (*fn)(int c, const char *arg))
{
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, opts, lo, NULL)) != -1) {
		if (c == 'h' && !strchr(opts, 'h'))
			ctr_bad_option(c, argv, lo);
		if (c == 'H')
			ctr_print_help(help);
		if (c == '?' || c == ':')
			ctr_bad_option(c, argv, lo);
		fn(c, optarg);
	}
	return optind;
}

/* ---- logs ---------------------------------------------------------------- */

static int follow;
static void logs_opt(int c, const char *a) { (void)a; if (c == 'f') follow = 1; }

int ctrrun_logs(int argc, char **argv)
{
	static const struct option lo[] = { { "follow", no_argument, NULL, 'f' },
					    { "help", no_argument, NULL, 'H' }, { 0, 0, 0, 0 } };
	char dir[4200], id[65], path[4300], buf[8192];
	struct ctrrun_state st;
	ssize_t n;
	int fd, i = parse_simple(argc, argv, "+:f", lo, "Usage: ctrrun logs [-f] NAME\n", logs_opt);

	if (argc - i != 1)
		ctr_usage_error("\"logs\" requires exactly 1 argument");
	if (ctrrun_find(argv[i], dir, sizeof(dir), id) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/log", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;   /* a foreground container: its output went to its caller */
		ctr_errn("cannot open %s", path);
	}
	for (;;) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(1, buf, (size_t)n) != n)
				return 1;
		if (!follow || ctrrun_state_load(dir, &st) < 0 || !strcmp(st.status, "exited") ||
		    !ctrrun_monitor_alive(&st))
			break;
		sleep_ms(100);
	}
	/* what came between the last read and the exit */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			return 1;
	close(fd);
	return 0;
}

/* ---- stop, kill ---------------------------------------------------------- */

static int stop_secs = -2;
static void stop_opt(int c, const char *a)
{
	long long v;

	if (c == 't') {
		if (ctr_opt_llong(a, -1, 1 << 30, &v) < 0)
			ctr_usage_error("invalid value for -t: '%s'", a);
		stop_secs = (int)v;
	}
}

int ctrrun_stop(int argc, char **argv)
{
	static const struct option lo[] = { { "time", required_argument, NULL, 't' },
					    { "timeout", required_argument, NULL, 't' },
					    { "help", no_argument, NULL, 'H' }, { 0, 0, 0, 0 } };
	char dir[4200], id[65];
	struct ctrrun_state st;
	struct ctr_json *cfg;
	int i = parse_simple(argc, argv, "+:t:", lo, "Usage: ctrrun stop [-t SECS] NAME...\n",
			     stop_opt), rc = 0;

	if (i >= argc)
		ctr_usage_error("\"stop\" requires at least 1 argument");
	for (; i < argc; i++) {
		int64_t sig = SIGTERM, tmo = 10;

		if (ctrrun_find(argv[i], dir, sizeof(dir), id) < 0) {
			rc = 1;
			continue;
		}
		if ((cfg = ctrrun_config_load(dir))) {
			ctr_json_i64(ctr_json_get(ctr_json_get(cfg, "Ctrbox"), "StopSignal"), &sig);
			ctr_json_i64(ctr_json_get(ctr_json_get(cfg, "Ctrbox"), "StopTimeout"), &tmo);
			ctr_json_free(cfg);
		}
		if (stop_secs != -2)
			tmo = stop_secs;
		if (ctrrun_state_load(dir, &st) == 0 && running(&st)) {
			kill(st.pid, (int)sig);
			/* pid 1 ignores what it has no handler for: then KILL */
			if (!wait_exited(dir, tmo < 0 ? -1 : (int)tmo * 1000)) {
				kill(st.pid, SIGKILL);
				wait_exited(dir, 5000);
			}
		}
		puts(argv[i]);
	}
	return rc;
}

static int kill_sig = SIGKILL;
static void kill_opt(int c, const char *a)
{
	if (c == 's' && ctr_opt_signal(a, &kill_sig) < 0)
		ctr_usage_error("invalid signal: %s", a);
}

int ctrrun_kill(int argc, char **argv)
{
	static const struct option lo[] = { { "signal", required_argument, NULL, 's' },
					    { "help", no_argument, NULL, 'H' }, { 0, 0, 0, 0 } };
	char dir[4200], id[65];
	struct ctrrun_state st;
	int i = parse_simple(argc, argv, "+:s:", lo, "Usage: ctrrun kill [-s SIG] NAME...\n",
			     kill_opt), rc = 0;

	if (i >= argc)
		ctr_usage_error("\"kill\" requires at least 1 argument");
	for (; i < argc; i++) {
		if (ctrrun_find(argv[i], dir, sizeof(dir), id) < 0) {
			rc = 1;
			continue;
		}
		if (ctrrun_state_load(dir, &st) < 0 || !running(&st)) {
			ctr_warnx("Error response from daemon: Cannot kill container: %s: "
				  "Container %s is not running", argv[i], id);
			rc = 1;
			continue;
		}
		if (kill(st.pid, kill_sig) < 0) {
			ctr_warn("cannot kill %s", argv[i]);
			rc = 1;
			continue;
		}
		if (kill_sig == SIGKILL)
			wait_exited(dir, 5000);
		puts(argv[i]);
	}
	return rc;
}

/* ---- rm, wait ------------------------------------------------------------ */

static int rm_force;
static void rm_opt(int c, const char *a) { (void)a; if (c == 'f') rm_force = 1; }

int ctrrun_rm(int argc, char **argv)
{
	static const struct option lo[] = { { "force", no_argument, NULL, 'f' },
					    { "help", no_argument, NULL, 'H' }, { 0, 0, 0, 0 } };
	char dir[4200], id[65];
	struct ctrrun_state st;
	int i = parse_simple(argc, argv, "+:f", lo, "Usage: ctrrun rm [-f] NAME...\n", rm_opt),
	    rc = 0;

	if (i >= argc)
		ctr_usage_error("\"rm\" requires at least 1 argument");
	for (; i < argc; i++) {
		if (ctrrun_find(argv[i], dir, sizeof(dir), id) < 0) {
			rc = 1;
			continue;
		}
		if (ctrrun_state_load(dir, &st) == 0 && running(&st)) {
			if (!rm_force) {
				ctr_warnx("Error response from daemon: You cannot remove a running "
					  "container %s. Stop the container before attempting "
					  "removal or force remove", id);
				rc = 1;
				continue;
			}
			kill(st.pid, SIGKILL);
			/* the monitor records the end and tears down: let it */
			wait_exited(dir, 5000);
			for (int n = 0; n < 500 && ctrrun_monitor_alive(&st); n++)
				sleep_ms(10);
		}
		ctrrun_remove(dir, 1);
		puts(argv[i]);
	}
	return rc;
}

static void no_opt(int c, const char *a) { (void)c; (void)a; }

int ctrrun_wait(int argc, char **argv)
{
	static const struct option lo[] = { { "help", no_argument, NULL, 'H' }, { 0, 0, 0, 0 } };
	char dir[4200], id[65];
	struct ctrrun_state st;
	int i = parse_simple(argc, argv, "+:", lo, "Usage: ctrrun wait NAME...\n", no_opt), rc = 0,
	    fd, code;

	if (i >= argc)
		ctr_usage_error("\"wait\" requires at least 1 argument");
	for (; i < argc; i++) {
		if (ctrrun_find(argv[i], dir, sizeof(dir), id) < 0) {
			rc = 1;
			continue;
		}
		/* the lock's holder, the monitor, records the exit code in it
		 * before removing a --rm container's dir */
		fd = ctrrun_lock_open(dir, 0);
		if (fd >= 0 && ctrrun_lock_wait(fd, &code) == 0) {
			close(fd);
			printf("%d\n", code);
			fflush(stdout);
			continue;
		}
		if (fd >= 0)
			close(fd);
		wait_exited(dir, -1);
		if (ctrrun_state_load(dir, &st) == 0 && !strcmp(st.status, "exited"))
			printf("%d\n", st.exit_code);
		else
			printf("%d\n", 137);
		fflush(stdout);
	}
	return rc;
}
