/* opt.c: the number, id, PID and signal parsers of libctr/opt.c, checked
 * against an oracle: util-linux's grammar written the slow way (blanks, one
 * sign, decimal digits, nothing after). */
#include <ctype.h>
#include <errno.h>
#include "ctr/opt.h"
#include "fuzz.h"

/* 0 ok (*v, *neg), EINVAL, or ERANGE when > 2^64-1. */
static int oracle(const char *s, int base, unsigned long long *v, int *neg)
{
	unsigned __int128 x = 0;
	int digits = 0;

	*neg = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		*neg = *s++ == '-';
	for (; *s; s++, digits++) {
		if (*s < '0' || *s >= '0' + base)
			return EINVAL;
		if (x <= (unsigned __int128)~0ULL)
			x = x * (unsigned)base + (unsigned)(*s - '0');
	}
	if (!digits)
		return EINVAL;
	if (x > (unsigned __int128)~0ULL)
		return ERANGE;
	*v = (unsigned long long)x;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	unsigned long long u, ov, lo = 0, hi = ~0ULL;
	long long l;
	uint32_t id;
	pid_t pid;
	int sig, neg, rc, want, base = 10;

	if (size > 0 && data[0] < 9) {	/* first byte picks the base 2..10 */
		base = data[0] + 2;
		data++, size--;
	}
	if (size > 0 && data[0] == 'L') {	/* and an optional range */
		lo = 5, hi = 1000;
		data++, size--;
	}
	s = fuzz_str(data, size);
	if (strlen(s) != size)	/* an embedded NUL: C strings end there */
		goto out;
	want = oracle(s, base, &ov, &neg);
	if (!want && neg && ov)
		want = ERANGE;
	if (!want && (ov < lo || ov > hi))
		want = ERANGE;
	errno = 0;
	rc = ctr_opt_ullong_base(s, base, lo, hi, &u);
	if (rc != (want ? -1 : 0) || (rc == 0 && u != ov) || (rc < 0 && errno != want))
		abort();
	if (base == 10) {
		rc = ctr_opt_ullong(s, lo, hi, &u);
		if (rc != (want ? -1 : 0) || (rc == 0 && u != ov))
			abort();
		/* signed: -2^63 .. 2^63-1 */
		want = oracle(s, 10, &ov, &neg);
		if (!want && (neg ? ov > (1ULL << 63) : ov > (1ULL << 63) - 1))
			want = ERANGE;
		rc = ctr_opt_llong(s, INT64_MIN, INT64_MAX, &l);
		if (rc != (want ? -1 : 0) || (rc < 0 && errno != want) ||
		    (rc == 0 && l != (neg ? (long long)(0 - ov) : (long long)ov)))
			abort();
		if (ctr_opt_id(s, &id) == 0 && id == UINT32_MAX)
			abort();
		if (ctr_opt_pid(s, &pid) == 0 && (pid < 1 || pid > 4194304))
			abort();
		if (ctr_opt_signal(s, &sig) == 0 && (sig < 1 || sig > 64))
			abort();
	}
out:
	free(s);
	return 0;
}
