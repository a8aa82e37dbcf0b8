/* common.c: messages and exit statuses shared by the applets. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "ctr/proc.h"

const char *ctr_applet = "ctrbox";
int ctr_fail_status = 1;
const char *ctr_usage_hint = "Try '%s --help' for more information.\n";
int ctr_usage_status = -1;

static void vmsg(int with_errno, const char *fmt, va_list ap)
{
	int err = errno;

	fflush(stdout);
	fprintf(stderr, "%s: ", ctr_applet);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void ctr_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void ctr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(1, fmt, ap);
	va_end(ap);
}

void ctr_errx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	exit(ctr_fail_status);
}

void ctr_errn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(1, fmt, ap);
	va_end(ap);
	exit(ctr_fail_status);
}

void ctr_report(const struct ctr_err *e)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", ctr_applet, e->what ? e->what : "error");
	if (e->detail[0])
		fprintf(stderr, ": %s", e->detail);
	if (e->err)
		fprintf(stderr, ": %s", strerror(e->err));
	fputc('\n', stderr);
}

void ctr_die(const struct ctr_err *e)
{
	ctr_report(e);
	exit(ctr_fail_status);
}

void ctr_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	fprintf(stderr, ctr_usage_hint, ctr_applet);
	exit(ctr_usage_status >= 0 ? ctr_usage_status : ctr_fail_status);
}

/* The text the user typed for the option getopt stopped at. */
static const char *offending_word(char *const argv[])
{
	extern int optind;

	/* musl leaves optind at argc + 1 when the last option lacks its
	 * argument: argv[optind - 1] is the NULL after the last word then. */
	if (optind > 1 && !argv[optind - 1])
		return argv[optind - 2];
	return optind > 0 && argv[optind - 1] ? argv[optind - 1] : "";
}

/* The long option "--word[=...]" names: an exact name, else the one option
 * it is an unambiguous prefix of (getopt_long accepts those too). */
static const struct option *find_long(const struct option *longopts, const char *word)
{
	const struct option *o, *found = NULL;
	size_t n = strcspn(word, "=");

	for (o = longopts; o && o->name; o++) {
		if (strncmp(o->name, word, n) != 0)
			continue;
		if (strlen(o->name) == n)
			return o;
		if (found)
			return NULL;
		found = o;
	}
	return found;
}

void ctr_bad_option(int c, char *const argv[], const struct option *longopts)
{
	const char *word = offending_word(argv);
	const struct option *o;

	if (word[0] == '-' && word[1] == '-') {
		o = find_long(longopts, word + 2);
		if (!o)
			ctr_usage_error("unrecognized option '%s'", word);
		if (c == ':')
			ctr_usage_error("option '--%s' requires an argument", o->name);
		ctr_usage_error("option '--%s' doesn't allow an argument", o->name);
	}
	if (c == ':')
		ctr_usage_error("option requires an argument -- '%c'", optopt);
	ctr_usage_error("invalid option -- '%c'", optopt);
}

void ctr_print_help(const char *text)
{
	fputs(text, stdout);
	exit(0);
}

void ctr_print_version(void)
{
	printf("%s from ctrbox %s\n", ctr_applet, CTRBOX_VERSION);
	exit(0);
}

void ctr_exit_like(int wstatus)
{
	sigset_t set;
	int sig;

	if (WIFEXITED(wstatus))
		exit(WEXITSTATUS(wstatus));
	if (!WIFSIGNALED(wstatus))
		exit(ctr_fail_status);
	sig = WTERMSIG(wstatus);
	fflush(stdout);
	/* Die of the same signal so that our own parent sees the same wait
	 * status, as util-linux's unshare and nsenter do. */
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	exit(128 + sig);
}

void ctr_exec_or_die(char *const argv[])
{
	ctr_proc_exec(argv);
	ctr_warn("failed to execute %s", argv[0]);
	exit(errno == ENOENT ? 127 : 126);
}
