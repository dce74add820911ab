/*
 * Fuzzes the .properties reader (Properties.load() rules) and checks
 * the writer against it: text that parses is formatted with
 * props_format() and read back, and when every key and value was
 * valid UTF-8 (the writer takes other bytes as ISO-8859-1, as Java 8
 * did) the round trip must give the same pairs in the same order.
 * settings-fuzz.c takes the pairs on into the settings model.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "props.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
valid_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned long c, min;
	size_t n, i;

	while (*s) {
		c = *s;
		if (c < 0x80) { s++; continue; }
		if ((c & 0xe0) == 0xc0) { n = 2; c &= 0x1f; min = 0x80; }
		else if ((c & 0xf0) == 0xe0) { n = 3; c &= 0x0f; min = 0x800; }
		else if ((c & 0xf8) == 0xf0) { n = 4; c &= 0x07; min = 0x10000; }
		else
			return 0;
		for (i = 1; i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		s += n;
	}
	return 1;
}

static const char *
comment(void *arg, const char *key, const char *value)
{
	(void)arg; (void)value;
	return key[0] == 'm' ? "a comment\nover two lines" : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct props *p, *q;
	struct sw_error err = { 0 };
	char *text = NULL;
	size_t i, n;
	int utf8 = 1;

	if ((p = props_new()) == NULL)
		return 0;
	if (props_parse(p, (const char *)data, size, "fuzz", &err) != SW_OK) {
		if (props_count(p) != 0)
			abort();		/* all or nothing */
		props_free(p);
		return 0;
	}
	n = props_count(p);
	for (i = 0; i < n; i++) {
		const char *k = props_key(p, i), *v = props_value(p, i);

		if (k == NULL || v == NULL || props_get(p, k) != v)
			abort();
		(void)props_line(p, i);
		(void)props_first_line(p, i);
		utf8 &= valid_utf8(k) && valid_utf8(v);
	}
	sw_error_clear(&err);
	if (props_format(p, "header\nline two", comment, NULL, &text,
	    &err) == SW_OK) {
		q = props_new();
		sw_error_clear(&err);
		if (q != NULL && props_parse(q, text, strlen(text), "again",
		    &err) != SW_OK && utf8)
			abort();		/* we wrote what we cannot read */
		if (q != NULL && utf8) {
			if (props_count(q) != n)
				abort();
			for (i = 0; i < n; i++)
				if (strcmp(props_key(p, i), props_key(q, i)) ||
				    strcmp(props_value(p, i), props_value(q, i)))
					abort();
		}
		props_free(q);
	}
	free(text);
	props_free(p);

	return 0;
}
