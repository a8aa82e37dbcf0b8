/* opt.c: strict parsing of numbers, ids and signals given on command lines. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ctr/opt.h"

/* The one number parser: util-linux's strtoul_or_err()/ul_strtou64() and
 * libcgroup's grammar, in the given base (10 everywhere but a chmod-style
 * mode): blanks before and one sign allowed, digits required, nothing after.
 * No "0x" or leading-zero octal guessing: "010" is ten in base 10. */
static int parse_num(const char *s, int base, int neg_ok, long long smin, long long smax,
		     unsigned long long umin, unsigned long long umax, long long *sout,
		     unsigned long long *uout)
{
	const char *p = s;
	unsigned long long v = 0, lim;
	int neg = 0, any = 0, d;	/* any: 0 no digit yet, 1 digits, -1 too large */

	if (!s) {
		errno = EINVAL;
		return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	/* Unsigned: the magnitude limit; signed: |smin| or smax. */
	lim = !neg_ok ? umax : neg ? 0ULL - (unsigned long long)smin : (unsigned long long)smax;
	for (; *p; p++) {
		d = *p - '0';
		if (d < 0 || d >= base) {
			errno = EINVAL;
			return -1;
		}
		if ((unsigned long long)d > lim ||
		    v > (lim - (unsigned long long)d) / (unsigned long long)base)
			any = -1;	/* too large: keep reading, junk is EINVAL */
		else if (any >= 0)
			v = v * (unsigned long long)base + (unsigned long long)d, any = 1;
	}
	if (!any) {
		errno = EINVAL;
		return -1;
	}
	if (any < 0 || (neg && !neg_ok && v) || (!neg_ok && v < umin)) {
		errno = ERANGE;
		return -1;
	}
	if (neg_ok) {
		long long sv = neg ? (long long)(0ULL - v) : (long long)v;

		if (sv < smin || sv > smax) {
			errno = ERANGE;
			return -1;
		}
		*sout = sv;
	} else {
		*uout = v;
	}
	return 0;
}

int ctr_opt_ullong_base(const char *s, int base, unsigned long long min,
			unsigned long long max, unsigned long long *out)
{
	return parse_num(s, base, 0, 0, 0, min, max, NULL, out);
}

int ctr_opt_ullong(const char *s, unsigned long long min, unsigned long long max,
		   unsigned long long *out)
{
	return parse_num(s, 10, 0, 0, 0, min, max, NULL, out);
}

int ctr_opt_llong(const char *s, long long min, long long max, long long *out)
{
	return parse_num(s, 10, 1, min, max, 0, 0, out, NULL);
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

/* Names in place (8 bytes an entry, no pointers). */
static const struct {
	unsigned char sig;
	char name[7];
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
