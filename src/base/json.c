/*
 * Streaming JSON output.  key is NULL inside arrays.
 */
#include <stdint.h>
#include <string.h>

#include "json.h"

void
json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void
indent(struct json *j)
{
	int i;

	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void
escape(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', f);
	while (i < n) {
		unsigned char c = p[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 :
		    (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		size_t k;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, f);
		else {
			uint32_t cp = c & (0xff >> (len + 1));

			for (k = 1; len > 1 && k < len && i + k < n; k++) {
				if ((p[i + k] & 0xc0) != 0x80)
					break;
				cp = cp << 6 | (p[i + k] & 0x3f);
			}
			/*
			 * Overlong forms, UTF-16 surrogates and values above
			 * U+10FFFF are not UTF-8 either (RFC 3629 §3); strict
			 * decoders (Python's json.loads on bytes) reject the
			 * whole document for one of them (found by the json
			 * fuzzer).
			 */
			if (len < 2 || k != len ||
			    cp < (len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u) ||
			    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
				fputs("\\ufffd", f);
				i++;
				continue;
			}
			fwrite(p + i, 1, len, f);
			i += len;
			continue;
		}
		i++;
	}
	fputc('"', f);
}

static void
member(struct json *j, const char *key)
{
	if (j->count[j->depth]++ > 0)
		fputc(',', j->f);
	if (j->depth > 0)
		fputc('\n', j->f);
	indent(j);
	if (key != NULL) {
		escape(j->f, key, strlen(key));
		fputs(": ", j->f);
	}
}

void
json_open(struct json *j, const char *key, char bracket)
{
	if (j->depth > 0 || j->count[0] > 0)
		member(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 < JSON_DEPTH)
		j->depth++;
	j->count[j->depth] = 0;
}

void
json_close(struct json *j, char bracket)
{
	int had = j->count[j->depth] > 0;

	if (j->depth > 0)
		j->depth--;
	if (had) {
		fputc('\n', j->f);
		indent(j);
	}
	fputc(bracket, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void
json_strn(struct json *j, const char *key, const char *v, size_t n)
{
	member(j, key);
	escape(j->f, v, n);
}

void
json_str(struct json *j, const char *key, const char *value)
{
	if (value == NULL) {
		json_null(j, key);
		return;
	}
	json_strn(j, key, value, strlen(value));
}

void
json_int(struct json *j, const char *key, long long value)
{
	member(j, key);
	fprintf(j->f, "%lld", value);
}

void
json_bool(struct json *j, const char *key, int value)
{
	member(j, key);
	fputs(value ? "true" : "false", j->f);
}

void
json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

void
json_tri(struct json *j, const char *key, enum tri t)
{
	if (t == TRI_UNKNOWN)
		json_null(j, key);
	else
		json_bool(j, key, t == TRI_YES);
}

void
json_words(struct json *j, const char *key, const char *words)
{
	const char *p = words;

	json_open(j, key, '[');
	for (;;) {
		size_t n;

		p += strspn(p, " ");
		if (*p == '\0')
			break;
		n = strcspn(p, " ");
		json_strn(j, NULL, p, n);
		p += n;
	}
	json_close(j, ']');
}
