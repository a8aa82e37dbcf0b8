/* Small string helpers shared by libctr and the applets. */
#ifndef CTR_STR_H
#define CTR_STR_H

#include <string.h>

/* strstr(3) for the short needles ctrbox looks for (" - " in mountinfo,
 * "{{" in a format, a knob name): a plain scan. musl's two-way strstr is
 * 2 KB of static binary for inputs that never need it. */
static inline char *ctr_strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return (char *)hay;
	return *needle ? NULL : (char *)hay;
}

/* The index of name in list ("a\0b\0", ending in an empty string), counted
 * from first; -1 if absent. A packed list costs no table of pointers. */
static inline int ctr_str_lookup(const char *list, const char *name, int first)
{
	for (; *list; list += strlen(list) + 1, first++)
		if (strcmp(list, name) == 0)
			return first;
	return -1;
}

#endif
