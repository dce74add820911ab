/*
 * Fuzzes the JSON writer's string escaping: any bytes a server sends
 * (json_strn) must come out as one valid JSON string -- quotes,
 * escapes, no raw control byte, valid UTF-8 -- so that `smtpwiz check
 * --format json` always prints a document scripts can parse.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Length of the valid UTF-8 sequence at s, 0 when invalid. */
static size_t
utf8_len(const unsigned char *s, size_t len)
{
	unsigned long c = s[0], min;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) { n = 2; c &= 0x1f; min = 0x80; }
	else if ((c & 0xf0) == 0xe0) { n = 3; c &= 0x0f; min = 0x800; }
	else if ((c & 0xf8) == 0xf0) { n = 4; c &= 0x07; min = 0x10000; }
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

/* Checks one JSON string starting at s[0] == '"'; returns its end. */
static size_t
check_string(const unsigned char *s, size_t len)
{
	size_t i = 1, n;

	if (len == 0 || s[0] != '"')
		abort();
	while (i < len && s[i] != '"') {
		if (s[i] < 0x20)
			abort();			/* raw control */
		if (s[i] == '\\') {
			if (i + 1 >= len)
				abort();
			if (s[i + 1] == 'u') {
				if (i + 6 > len)
					abort();
				for (n = 2; n < 6; n++)
					if (!strchr("0123456789abcdefABCDEF",
					    s[i + n]) || s[i + n] == 0)
						abort();
				i += 6;
			} else if (strchr("\"\\/bfnrt", s[i + 1]) &&
			    s[i + 1] != 0)
				i += 2;
			else
				abort();
			continue;
		}
		if ((n = utf8_len(s + i, len - i)) == 0)
			abort();			/* invalid UTF-8 */
		i += n;
	}
	if (i >= len)
		abort();				/* unterminated */
	return i + 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json j;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return 0;
	json_init(&j, f);
	json_open(&j, NULL, '[');
	json_strn(&j, NULL, (const char *)data, size);
	json_close(&j, ']');
	fclose(f);
	/* The one string inside the array. */
	for (i = 0; i < len && buf[i] != '"'; i++)
		if (buf[i] != '[' && buf[i] != ' ' && buf[i] != '\n')
			abort();
	i += check_string((unsigned char *)buf + i, len - i);
	for (; i < len; i++)
		if (buf[i] != ']' && buf[i] != ' ' && buf[i] != '\n')
			abort();
	free(buf);
	return 0;
}
