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

#endif
