/* cgroup_weight.c: cpu.shares <-> cpu.weight as crun and runc convert it.
 * No libm: the conversion uses its own logarithm. */
#include <stdint.h>
#include "ctr/cgroup.h"

/* ---- cpu.shares <-> cpu.weight, without libm ----------------------------- */

#define LN2 0.69314718055994530942
#define LN10 2.30258509299404568402

/* Natural logarithm of x > 0: x = m * 2^k with m in [1, 2), then
 * ln m = 2 atanh((m - 1) / (m + 1)), a series that converges fast there. */
static double ln(double x)
{
	double t, t2, term, sum = 0;
	int k = 0, n;

	while (x >= 2) {
		x /= 2;
		k++;
	}
	while (x < 1) {
		x *= 2;
		k--;
	}
	t = (x - 1) / (x + 1);
	t2 = t * t;
	term = t;
	for (n = 1; n < 80 && term > 1e-20; n += 2) {
		sum += term / n;
		term *= t2;
	}
	return k * LN2 + 2 * sum;
}

uint64_t ctr_cgroup_shares_to_weight(uint64_t shares)
{
	double l, rhs;
	uint64_t lo = 1, hi = 10000, mid;

	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	l = ln((double)shares) / LN2;
	/* Exact at powers of two (ln of m = 1 is 0): l = 10 for 1024. */
	if ((shares & (shares - 1)) == 0)
		l = __builtin_ctzll(shares);
	rhs = l * l + 125 * l;
	/* weight = ceil(10^e), e = (l*l + 125*l)/612 - 7/34: the smallest w with
	 * log10(w) >= e, i.e. 612 log10(w) + 126 >= l*l + 125*l. A bisection
	 * on that keeps the equality cases exact (1024 -> 100, not 101). */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (612 * ln((double)mid) / LN10 + 126 >= rhs - 1e-9)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Smallest shares in 2..262144 whose weight is at least weight. */
static uint64_t first_shares(uint64_t weight)
{
	uint64_t lo = 2, hi = 262144, mid;

	/* The weight is non-decreasing in shares and grows slower than it
	 * (about shares^0.87 at the top), so every weight is hit: bisect. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ctr_cgroup_shares_to_weight(mid) >= weight)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

uint64_t ctr_cgroup_weight_to_shares(uint64_t weight)
{
	uint64_t lo, hi, m;
	int k;

	if (weight < 1)
		weight = 1;
	if (weight > 10000)
		weight = 10000;
	/* The shares giving this weight form an interval [lo, hi]: take the
	 * one with the most trailing zero bits, so that the values people
	 * write (512, 1024, 1536, 2048, 2560...) read back unchanged. */
	lo = first_shares(weight);
	hi = weight == 10000 ? 262144 : first_shares(weight + 1) - 1;
	for (k = 18; k > 0; k--) {
		m = (lo + (1ULL << k) - 1) >> k << k;
		if (m <= hi)
			return m;
	}
	return lo;
}

