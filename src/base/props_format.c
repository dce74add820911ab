/*
 * The .properties writer: props_format() renders a list as text with
 * the escapes of OpenJDK 17's Properties.store() (saveConvert()), pure
 * ASCII whatever the values hold, with optional comments above the
 * pairs.  It reads the list through props.h only; writing the text to
 * a file is props_file.c's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "props.h"
#include "props_int.h"

/* ---- writer (saveConvert) ------------------------------------------- */

static void
buf_adds(struct props_buf *b, const char *s)
{
	props_buf_add(b, s, strlen(s));
}

/*
 * Decodes one UTF-8 sequence at s; a byte that does not start a valid
 * sequence is taken as ISO-8859-1.  Returns its length.
 */
static size_t
utf8_get(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t v;

	if (s[0] < 0x80 || s[0] < 0xc2 || s[0] > 0xf4) {
		*cp = s[0];
		return 1;
	}
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	v = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = s[0];
			return 1;
		}
		v = v << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
	    (n == 4 && (v < 0x10000 || v > 0x10ffff))) {
		*cp = s[0];
		return 1;
	}
	*cp = v;
	return n;
}

static void
put_u(struct props_buf *b, uint32_t unit)
{
	static const char hex[] = "0123456789ABCDEF";
	char tmp[6] = { '\\', 'u', hex[unit >> 12 & 0xf],
	    hex[unit >> 8 & 0xf], hex[unit >> 4 & 0xf], hex[unit & 0xf] };

	props_buf_add(b, tmp, sizeof(tmp));
}

/* Writes code point cp as \uXXXX, a surrogate pair above the BMP. */
static void
put_cp(struct props_buf *b, uint32_t cp)
{
	if (cp < 0x10000) {
		put_u(b, cp);
		return;
	}
	cp -= 0x10000;
	put_u(b, 0xd800 + (cp >> 10));
	put_u(b, 0xdc00 + (cp & 0x3ff));
}

/* Appends s escaped as a key (is_key) or a value. */
static void
put_escaped(struct props_buf *b, const char *s, int is_key)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (u[i] != '\0') {
		int first = i == 0;

		i += utf8_get(u + i, &cp);
		switch (cp) {
		case ' ':
			buf_adds(b, is_key || first ? "\\ " : " ");
			break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\f': buf_adds(b, "\\f"); break;
		case '=': case ':': case '#': case '!':
			if (is_key)
				props_buf_addc(b, '\\');
			props_buf_addc(b, (char)cp);
			break;
		default:
			if (cp < 0x20 || cp > 0x7e)
				put_cp(b, cp);
			else
				props_buf_addc(b, (char)cp);
		}
	}
}

/* Appends text as comment lines "# ...", non-ASCII as \uXXXX. */
static void
put_comment(struct props_buf *b, const char *text)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i = 0;
	uint32_t cp;

	buf_adds(b, "#");
	if (u[0] != '\0' && u[0] != '\n' && u[0] != '\r')
		props_buf_addc(b, ' ');
	while (u[i] != '\0') {
		i += utf8_get(u + i, &cp);
		if (cp == '\r' && u[i] == '\n')
			continue;	/* the '\n' ends the line */
		if ((cp == '\n' || cp == '\r') && u[i] == '\0')
			break;	/* a final line end adds no line */
		if (cp == '\n' || cp == '\r') {
			buf_adds(b, u[i] == '\0' || u[i] == '\n' ||
			    u[i] == '\r' ? "\n#" : "\n# ");
			continue;
		}
		if (cp < 0x20 || cp > 0x7e)
			put_cp(b, cp);
		else
			props_buf_addc(b, (char)cp);
	}
	props_buf_addc(b, '\n');
}

enum sw_err
props_format(const struct props *p, const char *header,
    props_comment_fn comment_fn, void *arg, char **out, struct sw_error *err)
{
	struct props_buf b = { 0 };
	const char *c, *key, *value;
	size_t i;

	*out = NULL;
	buf_adds(&b, "");
	if (header != NULL) {
		put_comment(&b, header);
		props_buf_addc(&b, '\n');
	}
	for (i = 0; i < props_count(p); i++) {
		key = props_key(p, i);
		value = props_value(p, i);
		c = comment_fn ? comment_fn(arg, key, value) : NULL;
		if (c != NULL) {
			if (i > 0)
				props_buf_addc(&b, '\n');
			put_comment(&b, c);
		}
		put_escaped(&b, key, 1);
		props_buf_addc(&b, '=');
		put_escaped(&b, value, 0);
		props_buf_addc(&b, '\n');
	}
	if (b.oom) {
		free(b.s);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	*out = b.s;
	return SW_OK;
}
