/*
 * Small helpers the unit tests share beyond tap.h.
 */
#ifndef SW_TESTUTIL_H
#define SW_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

/*
 * Reads the whole file at path into a NUL-terminated malloc'ed buffer
 * and sets *len (when len is not NULL).  NULL: no such file, a read
 * error or no memory.
 */
static inline char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	if (s != NULL) {
		s[n] = '\0';
		if (len != NULL)
			*len = (size_t)n;
	}
	return s;
}

#endif
