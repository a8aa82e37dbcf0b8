/* diff-regex.c: ctrbox's regular-expression subset (libctr/regex.c) against
 * glibc's regcomp/regexec (REG_EXTENDED, as libsmartcols uses it) on random
 * patterns and subjects: every pattern the subset accepts must compile in
 * glibc and match the same subjects, in the C locale (bytes) and in
 * C.UTF-8 (characters; invalid bytes match no atom). Built by
 * tests/diff-lsns.bats with the host's cc (glibc).
 *   diff-regex [utf8] [iterations] */
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctr/regex.h"

int main(int argc, char **argv)
{
	static const char al[] = "ab.[]^$*+?\\-:xyz019 =\xc3\xa9";
	static const char *const cls[] = { "[[:alpha:]]", "[^[:digit:]]", "[[:punct:][:space:]]",
					   "[x-z[:upper:]]" };
	int utf8 = argc > 1 && strcmp(argv[1], "utf8") == 0;
	long iters = argc > 2 ? atol(argv[2]) : 300000, it;
	unsigned long compared = 0, differ = 0, rejected = 0;
	char re[32], s[32];

	if (!setlocale(LC_ALL, utf8 ? "C.UTF-8" : "C")) {
		fprintf(stderr, "no locale C.UTF-8\n");
		return 2;
	}
	srand(1);
	for (it = 0; it < iters; it++) {
		int n = rand() % 12, m = rand() % 24, i;
		regex_t rx;
		int want, got;

		for (i = 0; i < n; i++)
			re[i] = al[rand() % (int)(sizeof(al) - 1)];
		re[n] = '\0';
		if (rand() % 3 == 0) {      /* a bracket class somewhere */
			const char *c = cls[rand() % 4];
			int at = n ? rand() % n : 0;

			memmove(re + at + strlen(c), re + at, (size_t)(n - at) + 1);
			memcpy(re + at, c, strlen(c));
		}
		for (i = 0; i < m; i++)
			s[i] = al[rand() % (int)(sizeof(al) - 1)];
		s[m] = '\0';
		if (ctr_re_check(re))
			continue;
		if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0) {
			if (rejected++ < 10)
				printf("accepted here, refused by glibc: [%s]\n", re);
			continue;
		}
		want = regexec(&rx, s, 0, NULL, 0) == 0;
		regfree(&rx);
		/* intended: letters outside ASCII are in no class here */
		if (utf8 && strstr(re, "[:") && strchr(s, '\xc3'))
			continue;
		got = ctr_re_match(re, s, (size_t)m, utf8);
		compared++;
		if (want != got && differ++ < 10)
			printf("[%s] on [%s]: glibc %d, ctrbox %d\n", re, s, want, got);
	}
	printf("%s: %lu compared, %lu differ, %lu refused by glibc\n",
	       utf8 ? "C.UTF-8" : "C", compared, differ, rejected);
	return differ || rejected || compared < (unsigned long)iters / 10;
}
