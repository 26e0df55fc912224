/* names.c: machine names of shown names (names.h); any thread, pure. */
#include <stdbool.h>

#include "names.h"

const char *
evf_snake_name(const char *shown, char *buf, size_t len)
{
	size_t o = 0;
	bool sep = false;

	if (len == 0)
		return buf;
	for (const char *p = shown; *p != '\0' && o + 1 < len; p++) {
		char c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
			if (sep && o > 0 && o + 2 < len)
				buf[o++] = '_';
			sep = false;
			buf[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		} else {
			sep = true;
		}
	}
	buf[o] = '\0';
	return buf;
}
