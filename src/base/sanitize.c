/*
 * Sanitising untrusted text for terminals and reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sanitize.h"

/*
 * Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not
 * valid (overlong forms, surrogates and values above U+10FFFF are
 * invalid, RFC 3629 §3).  *cp is the code point.
 */
static size_t
utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2; c &= 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3; c &= 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4; c &= 0x07; min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Code points that must not reach a terminal as they are. */
static int
unsafe_cp(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

size_t
sanitize(const char *in, size_t len, char *out, size_t cap, int flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, n;
	uint32_t cp;
	char esc[12];

	if (cap < 8) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	while (i < len) {
		n = utf8_seq(s + i, len - i, &cp);
		if (n == 1 && cp == '\n' && (flags & SAN_KEEP_NL)) {
			memcpy(esc, "\n", 2);
		} else if (n == 1 && cp == '\t') {
			memcpy(esc, " ", 2);
		} else if (n == 0) {
			snprintf(esc, sizeof(esc), "\\x%02x", s[i]);
			n = 1;
		} else if (unsafe_cp(cp) || (n > 1 && (flags & SAN_ASCII))) {
			if (cp < 0x100)
				snprintf(esc, sizeof(esc), "\\x%02x", cp);
			else
				snprintf(esc, sizeof(esc), "\\u%04x", cp);
		} else {
			memcpy(esc, s + i, n);
			esc[n] = '\0';
		}
		if (o + strlen(esc) + 4 > cap) {
			memcpy(out + o, "...", 4);
			return o + 3;
		}
		memcpy(out + o, esc, strlen(esc));
		o += strlen(esc);
		i += n;
	}
	out[o] = '\0';
	return o;
}

size_t
sanitize_str(const char *in, char *out, size_t cap, int flags)
{
	return sanitize(in, strlen(in), out, cap, flags);
}
