/* Parsing of option values. Every parser returns 0 on success and -1 with
 * errno = EINVAL (not a number, trailing junk, empty) or ERANGE (out of the
 * allowed range); nothing is printed. */
#ifndef CTR_OPT_H
#define CTR_OPT_H

#include <stdint.h>
#include <sys/types.h>

/* Decimal (or 0x hex when base 0) unsigned integer in [min, max]. */
int ctr_opt_ullong(const char *s, unsigned long long min, unsigned long long max,
		   unsigned long long *out);
/* Signed integer in [min, max]. */
int ctr_opt_llong(const char *s, long long min, long long max, long long *out);
/* A PID: 1 .. 4194304 (PID_MAX_LIMIT). */
int ctr_opt_pid(const char *s, pid_t *out);
/* A uid or gid: 0 .. 4294967294 ((uid_t)-1 is not a valid id). */
int ctr_opt_id(const char *s, uint32_t *out);
/* A signal as a number, NAME or SIGNAME (case-insensitive): 1 .. 64. */
int ctr_opt_signal(const char *s, int *out);
/* The name of a signal number without "SIG", or NULL. */
const char *ctr_signal_name(int sig);

/* Split "a,b,c" in place: calls fn(item, arg) for each non-empty item, stops
 * at the first non-zero return and returns it. */
int ctr_opt_foreach_csv(char *list, int (*fn)(const char *item, void *arg), void *arg);

#endif
