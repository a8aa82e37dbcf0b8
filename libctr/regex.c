/* regex.c: the POSIX ERE subset of ctr/regex.h. A backtracking matcher over
 * the pattern text; ctr_re_check accepts only what ctr_re_match implements,
 * so nothing is silently read another way than glibc's regcomp would. */
#include <string.h>
#include <ctype.h>
#include "ctr/str.h"
#include "ctr/regex.h"

static const char *const classes[] = {
	"alnum", "alpha", "blank", "cntrl", "digit", "graph",
	"lower", "print", "punct", "space", "upper", "xdigit",
};

/* The classes of the C locale: a character outside ASCII is in none. */
static int in_class(int k, unsigned c)
{
	if (c >= 0x80)
		return 0;
	switch (k) {
	case 0: return isalnum((int)c) != 0;
	case 1: return isalpha((int)c) != 0;
	case 2: return c == ' ' || c == '\t';
	case 3: return iscntrl((int)c) != 0;
	case 4: return isdigit((int)c) != 0;
	case 5: return isgraph((int)c) != 0;
	case 6: return islower((int)c) != 0;
	case 7: return isprint((int)c) != 0;
	case 8: return ispunct((int)c) != 0;
	case 9: return isspace((int)c) != 0;
	case 10: return isupper((int)c) != 0;
	default: return isxdigit((int)c) != 0;
	}
}

/* "[:name:]" at p: the class index and its length in *n, -1 if unknown. */
static int class_at(const char *p, size_t *n)
{
	const char *e = ctr_strstr(p + 2, ":]");
	size_t i, len;

	if (!e)
		return -1;
	len = (size_t)(e - (p + 2));
	*n = len + 4;
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i]) == len && memcmp(classes[i], p + 2, len) == 0)
			return (int)i;
	return -1;
}

/* One character of the subject: in UTF-8 mode a whole UTF-8 sequence when
 * valid, else one byte. Its length goes to *n. */
static unsigned next_char(const unsigned char *s, size_t left, size_t *n, int utf8)
{
	unsigned c = s[0], need, min, i;

	*n = 1;
	if (!utf8 || c < 0xc2 || c > 0xf4)
		return c;
	need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
	min = need == 3 ? 0x10000 : need == 2 ? 0x800 : 0x80;
	if (left <= need)
		return c;
	c &= 0x3fu >> need;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return s[0];
		c = c << 6 | (s[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return s[0];
	*n = need + 1;
	return c;
}

/* Length of the atom at re (checked pattern). */
static size_t atom_len(const char *re)
{
	const char *p = re + 1;
	size_t n;

	if (*re == '\\')
		return 2;
	if (*re != '[')
		return 1;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p != ']') {
		if (p[0] == '[' && p[1] == ':' && class_at(p, &n) >= 0)
			p += n;
		else
			p++;
	}
	return (size_t)(p + 1 - re);
}

static int bracket_match(const char *re, unsigned c)
{
	const char *p = re + 1;
	int neg = 0, hit = 0, first = 1;
	size_t n;
	int k;

	if (*p == '^')
		neg = 1, p++;
	while (first || *p != ']') {
		first = 0;
		if (p[0] == '[' && p[1] == ':' && (k = class_at(p, &n)) >= 0) {
			hit |= in_class(k, c);
			p += n;
		} else if (p[1] == '-' && p[2] != ']') {
			hit |= c >= (unsigned char)p[0] && c <= (unsigned char)p[2];
			p += 3;
		} else {
			hit |= c == (unsigned char)*p;
			p++;
		}
	}
	return hit != neg;
}

/* Does the atom at re take the character at s? Its length in *n. */
static int atom_match(const char *re, const unsigned char *s, size_t left, size_t *n, int utf8)
{
	unsigned c;

	if (!left)
		return 0;
	c = next_char(s, left, n, utf8);
	if (utf8 && c >= 0x80 && *n == 1)
		return 0;      /* not UTF-8: no atom takes it (as glibc) */
	if (*re == '\\')
		return (unsigned char)re[1] == c;
	if (*re == '.')
		return 1;
	if (*re == '[')
		return bracket_match(re, c);
	return (unsigned char)*re == c;
}

static int here(const char *re, const unsigned char *s, size_t len, size_t at, int depth,
		int utf8)
{
	size_t n, k;
	char q;

	if (depth > 10000)
		return 0;
	if (!*re)
		return 1;
	if (re[0] == '$' && !re[1])
		return at == len;
	n = atom_len(re);
	q = re[n];
	if (q == '*' || q == '+') {
		size_t ends[64], cnt = 0, e = at;

		/* greedy: as many as the atom takes, then give back one by one */
		while (atom_match(re, s + e, len - e, &k, utf8)) {
			e += k;
			if (cnt < sizeof(ends) / sizeof(ends[0]))
				ends[cnt] = e;
			cnt++;
		}
		for (;;) {
			if (cnt >= (q == '+') && here(re + n + 1, s, len, e, depth + 1, utf8))
				return 1;
			if (!cnt)
				return 0;
			cnt--;
			if (cnt == 0)
				e = at;
			else if (cnt <= sizeof(ends) / sizeof(ends[0]))
				e = ends[cnt - 1];
			else   /* past the recorded ends: recount from the start */
				for (e = at, k = 0; k < cnt; k++) {
					size_t m;

					atom_match(re, s + e, len - e, &m, utf8);
					e += m;
				}
		}
	}
	if (q == '?') {
		if (atom_match(re, s + at, len - at, &k, utf8) &&
		    here(re + n + 1, s, len, at + k, depth + 1, utf8))
			return 1;
		return here(re + n + 1, s, len, at, depth + 1, utf8);
	}
	return atom_match(re, s + at, len - at, &k, utf8) && here(re + n, s, len, at + k, depth + 1, utf8);
}

int ctr_re_match(const char *re, const char *s, size_t len, int utf8)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t at = 0, k;

	if (*re == '^')
		return here(re + 1, u, len, 0, 0, utf8);
	for (;;) {
		if (here(re, u, len, at, 0, utf8))
			return 1;
		if (at >= len)
			return 0;
		next_char(u + at, len - at, &k, utf8);
		at += k;
	}
}

/* The bracket expression at p ('['): its length, or 0 with *why. */
static size_t check_bracket(const char *p, const char **why)
{
	const char *b = p + 1;
	int first = 1;
	size_t n;

	if (*b == '^')
		b++;
	while (first || *b != ']') {
		unsigned lo;

		first = 0;
		if (!*b) {
			*why = "missing ']'";
			return 0;
		}
		if (b[0] == '[' && (b[1] == '=' || b[1] == '.')) {
			*why = "equivalence classes and collating symbols are not supported";
			return 0;
		}
		if (b[0] == '[' && b[1] == ':') {
			if (class_at(b, &n) < 0) {
				*why = "unknown character class";
				return 0;
			}
			b += n;
			if (b[0] == '-' && b[1] != ']') {
				*why = "a character class cannot start a range";
				return 0;
			}
			continue;
		}
		lo = (unsigned char)b[0];
		if (b[1] == '-' && b[2] && b[2] != ']') {
			if (b[2] == '[' && (b[3] == ':' || b[3] == '=' || b[3] == '.')) {
				*why = "a character class cannot end a range";
				return 0;
			}
			if ((unsigned char)b[2] < lo) {
				*why = "invalid range end";
				return 0;
			}
			b += 3;
			if (b[0] == '-' && b[1] != ']') {
				*why = "invalid range end";
				return 0;
			}
		} else {
			b++;
		}
	}
	return (size_t)(b + 1 - p);
}

const char *ctr_re_check(const char *re)
{
	const char *p = re, *why = NULL;

	for (; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return "characters outside ASCII are not supported";
	p = *re == '^' ? re + 1 : re;
	while (*p) {
		size_t n = 1;

		if (strchr("()|", *p))
			return "groups and alternation are not supported";
		if (*p == '{' || *p == '}')
			return "intervals are not supported";
		if (strchr("*+?", *p))
			return "repetition without an operand";
		if (*p == '^')
			return "'^' is supported only at the start";
		if (*p == '$' && p[1])
			return "'$' is supported only at the end";
		if (*p == '\\') {
			if (!p[1])
				return "trailing backslash";
			if ((p[1] >= '0' && p[1] <= '9') || (p[1] >= 'a' && p[1] <= 'z') ||
			    (p[1] >= 'A' && p[1] <= 'Z'))
				return "back-references and GNU escapes (\\w, \\s, \\<, ...) are not supported";
			if (p[1] == '`' || p[1] == '\'' || p[1] == '<' || p[1] == '>')
				return "back-references and GNU escapes (\\w, \\s, \\<, ...) are not supported";
			n = 2;
		} else if (*p == '[') {
			n = check_bracket(p, &why);
			if (!n)
				return why;
		}
		p += n;
		if (*p && strchr("*+?", *p))
			p++;
	}
	return NULL;
}
