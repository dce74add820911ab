/*
 * Server text is untrusted.  Everything the server sends (greeting,
 * EHLO lines, replies, certificate names) passes through here before a
 * terminal, a report or a log shows it: control bytes, escape
 * sequences, invalid UTF-8 and bidirectional overrides become visible
 * escapes ("\x1b"), and text that does not fit is cut visibly.
 */
#ifndef SW_SANITIZE_H
#define SW_SANITIZE_H

#include <stddef.h>

#define SAN_ASCII	0x1	/* escape every non-ASCII character too */
#define SAN_KEEP_NL	0x2	/* keep '\n' (multi-line text) */

/*
 * Writes a sanitised, NUL-terminated copy of in[0..len) to out (cap >=
 * 8).  When it does not fit, the copy ends in "..." so the cut is
 * visible.  Returns the length written.
 */
size_t	sanitize(const char *in, size_t len, char *out, size_t cap,
	    int flags);

/* sanitize() of a NUL-terminated string. */
size_t	sanitize_str(const char *in, char *out, size_t cap, int flags);

#endif
