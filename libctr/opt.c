/* opt.c: strict parsing of numbers, ids and signals given on command lines. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ctr/opt.h"

int ctr_opt_ullong(const char *s, unsigned long long min, unsigned long long max,
		   unsigned long long *out)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts leading blanks and a minus sign: refuse both. */
	if (!s || !isdigit((unsigned char)*s)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end) {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int ctr_opt_llong(const char *s, long long min, long long max, long long *out)
{
	long long v;
	char *end;
	const char *p = s;

	if (p && (*p == '-' || *p == '+'))
		p++;
	if (!s || !isdigit((unsigned char)*p)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end) {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int ctr_opt_pid(const char *s, pid_t *out)
{
	unsigned long long v;

	if (ctr_opt_ullong(s, 1, 4194304, &v) < 0)
		return -1;
	*out = (pid_t)v;
	return 0;
}

int ctr_opt_id(const char *s, uint32_t *out)
{
	unsigned long long v;

	if (ctr_opt_ullong(s, 0, 4294967294ULL, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static const struct {
	int sig;
	const char *name;
} signal_names[] = {
	{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGILL, "ILL" },
	{ SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" }, { SIGABRT, "IOT" }, { SIGBUS, "BUS" },
	{ SIGFPE, "FPE" }, { SIGKILL, "KILL" }, { SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" },
	{ SIGUSR2, "USR2" }, { SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" },
	{ SIGSTKFLT, "STKFLT" }, { SIGCHLD, "CHLD" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" },
	{ SIGTSTP, "TSTP" }, { SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" }, { SIGURG, "URG" },
	{ SIGXCPU, "XCPU" }, { SIGXFSZ, "XFSZ" }, { SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" },
	{ SIGWINCH, "WINCH" }, { SIGIO, "IO" }, { SIGIO, "POLL" }, { SIGPWR, "PWR" },
	{ SIGSYS, "SYS" },
};

const char *ctr_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
		if (signal_names[i].sig == sig)
			return signal_names[i].name;
	return NULL;
}

int ctr_opt_signal(const char *s, int *out)
{
	unsigned long long v;
	size_t i;

	if (s && isdigit((unsigned char)*s)) {
		if (ctr_opt_ullong(s, 1, 64, &v) < 0)
			return -1;
		*out = (int)v;
		return 0;
	}
	if (!s) {
		errno = EINVAL;
		return -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++) {
		if (strcasecmp(s, signal_names[i].name) == 0) {
			*out = signal_names[i].sig;
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

int ctr_opt_foreach_csv(char *list, int (*fn)(const char *item, void *arg), void *arg)
{
	char *save = NULL, *item;
	int rc;

	for (item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		rc = fn(item, arg);
		if (rc)
			return rc;
	}
	return 0;
}
