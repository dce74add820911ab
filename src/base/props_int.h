/*
 * What the three parts of the .properties module share: props.c (the
 * list and the reader), props_format.c (the writer) and props_file.c
 * (reading a file, replacing one atomically).  Only the growable byte
 * string is common to them.  Not part of the engine API: callers
 * include props.h.
 */
#ifndef SW_PROPS_INT_H
#define SW_PROPS_INT_H

#include <stddef.h>

/* A growable byte string; on allocation failure it sets oom and stops. */
struct props_buf {
	char		*s;
	size_t		 n, cap;
	int		 oom;
};

/*
 * Appends n bytes of s (one byte c) to b and keeps b->s NUL-terminated.
 * Out of memory sets b->oom and makes every later call do nothing; the
 * caller checks oom once at the end and frees b->s either way.
 */
void	props_buf_add(struct props_buf *b, const char *s, size_t n);
void	props_buf_addc(struct props_buf *b, char c);

#endif
