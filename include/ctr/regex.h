/* A POSIX extended regular expression subset for filters (lsns -Q "=~"),
 * without libc's regex engine: musl's regcomp/regexec add about 40 KiB to
 * the static binary (measured: 198,328 -> 239,288 bytes), a fifth of it.
 *
 * Supported, with glibc's meaning: literal characters, "\" before a
 * punctuation character, ".", bracket expressions ("[a-z]", "[^...]", "]"
 * first, "-" first or last, the classes "[:alpha:]" "[:digit:]" "[:alnum:]"
 * "[:upper:]" "[:lower:]" "[:space:]" "[:blank:]" "[:punct:]" "[:print:]"
 * "[:graph:]" "[:cntrl:]" "[:xdigit:]"), one of "*" "+" "?" after an atom,
 * "^" at the start, "$" at the end. Matching is leftmost, unanchored unless
 * anchored; "." and "[^...]" take one byte, or one UTF-8 character in
 * UTF-8 mode (as glibc in a UTF-8 locale); the classes are the C locale's
 * (a character outside ASCII is in none of them, unlike glibc's UTF-8
 * locales, where letters outside ASCII are alpha). Everything else is refused by ctr_re_check with the reason:
 * groups, alternation, intervals, back-references and GNU escapes ("\w",
 * "\<", ...), equivalence classes and collating symbols, anchors elsewhere,
 * and bytes outside ASCII in the pattern. */
#ifndef CTR_REGEX_H
#define CTR_REGEX_H

#include <stddef.h>

/* NULL when re is in the subset, else why not (a static string). */
const char *ctr_re_check(const char *re);
/* 1 when the checked re matches somewhere in s[0..len), else 0. utf8: "."
 * and "[^...]" take a whole UTF-8 character (glibc in a UTF-8 locale), else
 * one byte (the C locale). */
int ctr_re_match(const char *re, const char *s, size_t len, int utf8);

#endif
