/* Parsing of option values. Every parser returns 0 on success and -1 with
 * errno = EINVAL (not a number, trailing junk, empty) or ERANGE (out of the
 * allowed range); nothing is printed. */
#ifndef CTR_OPT_H
#define CTR_OPT_H

#include <stdint.h>
#include <sys/types.h>

/* Numbers as util-linux and libcgroup read them: decimal, leading blanks and
 * a '+' allowed, nothing after the digits; no 0x or leading-0 octal. An
 * unsigned number in [min, max] ("-0" is 0; any other '-' is ERANGE). */
int ctr_opt_ullong(const char *s, unsigned long long min, unsigned long long max,
		   unsigned long long *out);
/* The same in another base (2..10): only where the model documents it, e.g.
 * an octal permission mode. */
int ctr_opt_ullong_base(const char *s, int base, unsigned long long min,
			unsigned long long max, unsigned long long *out);
/* Signed decimal integer in [min, max]. */
int ctr_opt_llong(const char *s, long long min, long long max, long long *out);
/* A PID: 1 .. 4194304 (PID_MAX_LIMIT). */
int ctr_opt_pid(const char *s, pid_t *out);
/* A uid or gid: 0 .. 4294967294 ((uid_t)-1 is not a valid id). */
int ctr_opt_id(const char *s, uint32_t *out);
/* A signal as a number, NAME or SIGNAME (case-insensitive): 1 .. 64. */
int ctr_opt_signal(const char *s, int *out);

#endif
