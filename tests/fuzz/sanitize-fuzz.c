/*
 * Fuzzes sanitize() and checks its promise, not just its memory
 * safety: whatever the server sent, the output is valid UTF-8 (ASCII
 * with SAN_ASCII), holds no C0/C1 control, DEL, zero-width or
 * bidirectional-override character (a '\n' only with SAN_KEEP_NL),
 * fits in cap with its NUL, and the returned length is strlen(out).
 * The transcript formatter, which passes server lines through it, gets
 * the same input.  Byte 0 picks cap, byte 1 the flags.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "sanitize.h"
#include "transcript.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The code point at s, its length in *n; -1 when not valid UTF-8. */
static long
utf8_next(const unsigned char *s, size_t len, size_t *n)
{
	unsigned long c = s[0], min;
	size_t i;

	if (c < 0x80) {
		*n = 1;
		return (long)c;
	}
	if ((c & 0xe0) == 0xc0) { *n = 2; c &= 0x1f; min = 0x80; }
	else if ((c & 0xf0) == 0xe0) { *n = 3; c &= 0x0f; min = 0x800; }
	else if ((c & 0xf8) == 0xf0) { *n = 4; c &= 0x07; min = 0x10000; }
	else
		return -1;
	if (*n > len)
		return -1;
	for (i = 1; i < *n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	return (long)c;
}

static void
check_safe(const char *out, size_t len, int flags)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t i = 0, n;
	long c;

	while (i < len) {
		if ((c = utf8_next(s + i, len - i, &n)) < 0)
			abort();		/* invalid UTF-8 came out */
		if (c == '\n' && (flags & SAN_KEEP_NL)) {
			i += n;
			continue;
		}
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
		    (c >= 0x200b && c <= 0x200f) ||
		    (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff)
			abort();		/* unsafe character came out */
		if ((flags & SAN_ASCII) && c >= 0x80)
			abort();
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[70000];
	static char line[2000];
	struct probe_note note;
	size_t cap, len;
	int flags;

	if (size < 2)
		return 0;
	cap = data[0] == 0xff ? sizeof(out) : data[0];
	flags = data[1] & (SAN_ASCII | SAN_KEEP_NL);
	memset(out, 'X', cap < sizeof(out) ? cap + 1 : sizeof(out));
	len = sanitize((const char *)data + 2, size - 2, out, cap, flags);
	if (cap >= 8) {
		if (len >= cap || out[len] != '\0' || strlen(out) != len)
			abort();
		check_safe(out, len, flags);
	} else if (cap < sizeof(out) && out[cap] != 'X')
		abort();			/* wrote past cap */

	/* Server lines and TLS notes in the transcript. */
	note.kind = (enum probe_note_kind)(data[1] >> 2 & 3);
	note.text = (const char *)data + 2;
	note.len = size - 2;
	len = transcript_format(&note, line, sizeof(line));
	if (note.kind != NOTE_SENT)	/* what the server or a probe said */
		check_safe(line, strlen(line), 0);
	return 0;
}
