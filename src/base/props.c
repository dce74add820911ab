/*
 * The .properties list and its reader.  The reader is a transliteration
 * of OpenJDK 17's Properties.LineReader.readLine() and load0()/
 * loadConvert() onto a byte buffer (every character the rules look at
 * is ASCII, so UTF-8 passes through untouched), checked against
 * java.util.Properties with the cases in tests/data/props/.  Pairs live
 * in an array in insertion order; lookups are linear (at most
 * PROPS_MAX_KEYS).  The writer is props_format.c's, the files
 * props_file.c's; the growable string below serves all three.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "props.h"
#include "props_int.h"

struct pair {
	char		*key;
	char		*value;
	unsigned	 line;		/* 0: set by props_set() */
	unsigned	 first;		/* an overridden definition */
};

struct props {
	struct pair	*v;
	size_t		 n, cap;
};

/* One logical line being assembled by the reader. */
struct reader {
	const char	*s;		/* the whole text */
	size_t		 len, pos;
	unsigned	 lineno;	/* physical line of s[pos], from 1 */
	int		 crlf;		/* the last line end was CR LF */
	const char	*name;
	struct props_buf line;		/* logical line, escapes kept */
	unsigned	 start;		/* its first physical line */
	size_t		*joins;		/* where continuations begin */
	size_t		 njoin, capjoin;
};

struct props *
props_new(void)
{
	return calloc(1, sizeof(struct props));
}

void
props_free(struct props *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].key);
		/* A value may be a password: leave nothing in freed memory. */
		explicit_bzero(p->v[i].value, strlen(p->v[i].value));
		free(p->v[i].value);
	}
	free(p->v);
	free(p);
}

size_t
props_count(const struct props *p)
{
	return p->n;
}

const char *
props_key(const struct props *p, size_t i)
{
	return i < p->n ? p->v[i].key : NULL;
}

const char *
props_value(const struct props *p, size_t i)
{
	return i < p->n ? p->v[i].value : NULL;
}

unsigned
props_line(const struct props *p, size_t i)
{
	return i < p->n ? p->v[i].line : 0;
}

unsigned
props_first_line(const struct props *p, size_t i)
{
	return i < p->n ? p->v[i].first : 0;
}

static struct pair *
find(const struct props *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			return &p->v[i];
	return NULL;
}

const char *
props_get(const struct props *p, const char *key)
{
	struct pair *e = find(p, key);

	return e != NULL ? e->value : NULL;
}

/* Room for one more pair; -1 when out of memory. */
static int
grow(struct props *p)
{
	size_t cap = p->cap ? p->cap * 2 : 16;
	struct pair *nv;

	if (p->n < p->cap)
		return 0;
	if ((nv = realloc(p->v, cap * sizeof(*nv))) == NULL)
		return -1;
	p->v = nv;
	p->cap = cap;
	return 0;
}

/* props_set() with the source line; line 0 means "not from a file". */
static enum sw_err
set_line(struct props *p, const char *key, const char *value,
    unsigned line, struct sw_error *err)
{
	struct pair *e;
	char *k, *v;

	if (strlen(key) > PROPS_MAX_KEY)
		return sw_fail(err, SW_EUSAGE, "key longer than %d bytes",
		    PROPS_MAX_KEY);
	if (strlen(value) > PROPS_MAX_VALUE)
		return sw_fail(err, SW_EUSAGE, "value of %.60s longer than "
		    "%d bytes", key, PROPS_MAX_VALUE);
	if ((v = strdup(value)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	if ((e = find(p, key)) != NULL) {
		/* The old value may be a password. */
		explicit_bzero(e->value, strlen(e->value));
		free(e->value);
		e->value = v;
		/* Only duplicates within one parse are remembered. */
		if (line == 0)
			e->first = 0;
		else if (e->first == 0)
			e->first = e->line;
		e->line = line;
		return SW_OK;
	}
	if (p->n == PROPS_MAX_KEYS) {
		free(v);
		return sw_fail(err, SW_EUSAGE, "more than %d keys",
		    PROPS_MAX_KEYS);
	}
	if (grow(p) < 0 || (k = strdup(key)) == NULL) {
		free(v);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	p->v[p->n++] = (struct pair){ k, v, line, 0 };
	return SW_OK;
}

enum sw_err
props_set(struct props *p, const char *key, const char *value,
    struct sw_error *err)
{
	return set_line(p, key, value, 0, err);
}

int
props_unset(struct props *p, const char *key)
{
	struct pair *e = find(p, key);
	size_t i;

	if (e == NULL)
		return 0;
	i = (size_t)(e - p->v);
	free(e->key);
	explicit_bzero(e->value, strlen(e->value));
	free(e->value);
	memmove(&p->v[i], &p->v[i + 1], (p->n - i - 1) * sizeof(*e));
	p->n--;
	return 1;
}

/* ---- growable string ------------------------------------------------ */

static void
buf_grow(struct props_buf *b, size_t more)
{
	size_t cap;
	char *s;

	if (b->oom || b->n + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->n + more + 1)
		cap *= 2;
	if ((s = realloc(b->s, cap)) == NULL) {
		b->oom = 1;
		return;
	}
	b->s = s;
	b->cap = cap;
}

void
props_buf_add(struct props_buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	if (b->oom)
		return;
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void
props_buf_addc(struct props_buf *b, char c)
{
	props_buf_add(b, &c, 1);
}

/* ---- reader: logical lines (LineReader.readLine) -------------------- */

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

/*
 * Takes the next byte, folding CRLF and CR into '\n' (Java's skipLF)
 * and counting physical lines.
 */
static int
next_byte(struct reader *r)
{
	int c = (unsigned char)r->s[r->pos++];

	r->crlf = 0;
	if (c == '\r') {
		if (r->pos < r->len && r->s[r->pos] == '\n') {
			r->pos++;
			r->crlf = 1;
		}
		c = '\n';
	}
	if (c == '\n')
		r->lineno++;
	return c;
}

/* Skips a comment up to and including its line end. */
static void
skip_comment(struct reader *r)
{
	while (r->pos < r->len)
		if (next_byte(r) == '\n')
			return;
}

static int
add_join(struct reader *r)
{
	if (r->njoin == r->capjoin) {
		size_t cap = r->capjoin ? r->capjoin * 2 : 16;
		size_t *nj = realloc(r->joins, cap * sizeof(*nj));

		if (nj == NULL)
			return -1;
		r->joins = nj;
		r->capjoin = cap;
	}
	r->joins[r->njoin++] = r->line.n;
	return 0;
}

/*
 * A line end inside a logical line: ends it, or continues it when an
 * odd number of backslashes precedes.  Returns 1 when the line is
 * complete, 0 to read on, -1 when out of memory.
 */
static int
line_end(struct reader *r, int *bs, int *skipws, int *appended)
{
	if (!*bs)
		return 1;
	/* The backslash before the line end is not part of the line. */
	r->line.s[--r->line.n] = '\0';
	/*
	 * Java looks for EOF right after the line end character, before
	 * continuing; after CR LF it still has the LF to skip, so it
	 * continues (which only matters for a line that was a lone "\").
	 */
	if (r->pos >= r->len && !r->crlf)
		return 1;
	*bs = 0;
	*skipws = 1;
	*appended = 1;
	if (r->line.n == 0) {
		/* A line that was a lone "\": it starts afresh, anew. */
		r->start = 0;
		r->njoin = 0;
		return 0;
	}
	return add_join(r) < 0 ? -1 : 0;
}

/*
 * Reads the next logical line into r->line.  Returns 1 for a line, 0
 * at the end of the text, -1 when out of memory.  Whitespace and
 * comment rules as LineReader: leading ' ', '\t', '\f' skipped, blank
 * lines skipped, '#'/'!' first starts a comment only on a new logical
 * line, a continuation drops the next line's leading whitespace.
 */
static int
read_line(struct reader *r)
{
	int c, skipws = 1, appended = 0, bs = 0, rc;

	r->line.n = 0;
	r->start = 0;
	r->njoin = 0;
	while (r->pos < r->len) {
		c = next_byte(r);
		if (skipws) {
			if (is_blank(c) || (c == '\n' && !appended))
				continue;
			skipws = 0;
			appended = 0;
		}
		if (r->line.n == 0 && (c == '#' || c == '!')) {
			skip_comment(r);
			skipws = 1;
			continue;
		}
		if (c != '\n') {
			if (r->start == 0)
				r->start = r->lineno;
			props_buf_addc(&r->line, (char)c);
			if (r->line.oom)
				return -1;
			bs = c == '\\' ? !bs : 0;
			continue;
		}
		if (r->line.n == 0) {
			skipws = 1;
			continue;
		}
		if ((rc = line_end(r, &bs, &skipws, &appended)) != 0)
			return rc;
	}
	if (r->line.n == 0 && r->start == 0)
		return 0;
	if (bs)
		r->line.s[--r->line.n] = '\0';
	return 1;
}

/* The physical line of offset off of the current logical line. */
static unsigned
line_of(const struct reader *r, size_t off)
{
	unsigned line = r->start;
	size_t i;

	for (i = 0; i < r->njoin && r->joins[i] <= off; i++)
		line++;
	return line;
}

/* ---- reader: escapes (loadConvert) ---------------------------------- */

static size_t
utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Four hex digits at s[i..end); -1 when malformed (as Java throws). */
static long
hex4(const char *s, size_t i, size_t end)
{
	long v = 0;
	size_t k;

	if (end - i < 4)
		return -1;
	for (k = i; k < i + 4; k++) {
		char c = s[k];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return -1;
	}
	return v;
}

/* Length of the run of letters and digits at s[i], at most 4 (messages). */
static int
alnum_run(const char *s, size_t i, size_t end)
{
	int n = 0;

	while (n < 4 && i + (size_t)n < end &&
	    ((s[i + n] >= '0' && s[i + n] <= '9') ||
	    ((s[i + n] | 0x20) >= 'a' && (s[i + n] | 0x20) <= 'z')))
		n++;
	return n;
}

/*
 * Decodes the \u escape at s[*i] (just after "\u") into a code point,
 * combining a surrogate pair written as two escapes.  Advances *i.
 */
static enum sw_err
unicode_esc(const struct reader *r, size_t *i, size_t end, uint32_t *cp,
    struct sw_error *err)
{
	const char *s = r->line.s;
	long hi = hex4(s, *i, end), lo;
	unsigned line = line_of(r, *i);

	if (hi < 0)
		return sw_fail(err, SW_EFILE, "%s:%u: malformed \\uXXXX escape "
		    "\"\\u%.*s\": four hex digits must follow \\u", r->name,
		    line, alnum_run(s, *i, end), s + *i);
	*i += 4;
	if (hi == 0)
		return sw_fail(err, SW_EFILE, "%s:%u: \\u0000 (a NUL "
		    "character) is not supported", r->name, line);
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return sw_fail(err, SW_EFILE, "%s:%u: \\u%04lX is the second "
		    "half of a surrogate pair, without the first", r->name,
		    line, hi);
	*cp = (uint32_t)hi;
	if (hi < 0xd800 || hi > 0xdbff)
		return SW_OK;
	lo = end - *i >= 2 && s[*i] == '\\' && s[*i + 1] == 'u' ?
	    hex4(s, *i + 2, end) : -1;
	if (lo < 0xdc00 || lo > 0xdfff)
		return sw_fail(err, SW_EFILE, "%s:%u: \\u%04lX is the first "
		    "half of a surrogate pair; \\uDC00-\\uDFFF must follow",
		    r->name, line, hi);
	*i += 6;
	*cp = 0x10000 + (((uint32_t)hi - 0xd800) << 10) +
	    ((uint32_t)lo - 0xdc00);
	return SW_OK;
}

/*
 * Unescapes line[off, off+len) into out (room for len + 1 bytes: no
 * escape grows).  Other "\x" give "x", as Java does.
 */
static enum sw_err
unescape(const struct reader *r, size_t off, size_t len, char *out,
    struct sw_error *err)
{
	const char *s = r->line.s;
	size_t i = off, end = off + len, n = 0;
	uint32_t cp = 0;
	enum sw_err rc;
	char c;

	while (i < end) {
		c = s[i++];
		if (c != '\\' || i == end) {
			out[n++] = c;
			continue;
		}
		c = s[i++];
		if (c == 'u') {
			if ((rc = unicode_esc(r, &i, end, &cp, err)) != SW_OK)
				return rc;
			n += utf8_put(out + n, cp);
			continue;
		}
		out[n++] = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ?
		    '\r' : c == 'f' ? '\f' : c;
	}
	out[n] = '\0';
	return SW_OK;
}

/*
 * Splits a logical line into key and value as load0(): the key ends at
 * the first unescaped '=', ':' or blank; blanks and at most one '=' or
 * ':' after it are skipped.
 */
static void
split(const char *s, size_t n, size_t *keylen, size_t *valstart)
{
	size_t k = 0, v = n;
	int bs = 0, sep = 0;

	for (; k < n; k++) {
		char c = s[k];

		if (!bs && (c == '=' || c == ':')) {
			v = k + 1;
			sep = 1;
			break;
		}
		if (!bs && is_blank(c)) {
			v = k + 1;
			break;
		}
		bs = c == '\\' ? !bs : 0;
	}
	for (; v < n; v++) {
		char c = s[v];

		if (is_blank(c))
			continue;
		if (sep || (c != '=' && c != ':'))
			break;
		sep = 1;
	}
	*keylen = k;
	*valstart = v;
}

/* Converts the logical line in r into a pair of dst. */
static enum sw_err
take_line(struct reader *r, struct props *dst, struct sw_error *err)
{
	size_t keylen, vstart, n = r->line.n;
	char *key, *value;
	enum sw_err rc;

	split(r->line.s, n, &keylen, &vstart);
	key = malloc(keylen + 1);
	value = malloc(n - vstart + 1);
	if (key == NULL || value == NULL)
		rc = sw_fail(err, SW_ENOMEM, "out of memory");
	else if ((rc = unescape(r, 0, keylen, key, err)) != SW_OK ||
	    (rc = unescape(r, vstart, n - vstart, value, err)) != SW_OK)
		;
	else if (strlen(key) > PROPS_MAX_KEY)
		rc = sw_fail(err, SW_EFILE, "%s:%u: key longer than %d bytes",
		    r->name, r->start, PROPS_MAX_KEY);
	else if (strlen(value) > PROPS_MAX_VALUE)
		rc = sw_fail(err, SW_EFILE, "%s:%u: value of %.60s longer "
		    "than %d bytes", r->name, r->start, key, PROPS_MAX_VALUE);
	else if (dst->n == PROPS_MAX_KEYS && find(dst, key) == NULL)
		rc = sw_fail(err, SW_EFILE, "%s:%u: more than %d keys",
		    r->name, r->start, PROPS_MAX_KEYS);
	else
		rc = set_line(dst, key, value, r->start, err);
	free(key);
	free(value);
	return rc;
}

/* Adds all pairs of src to dst, or none when dst would grow too big. */
static enum sw_err
merge(struct props *dst, const struct props *src, const char *name,
    struct sw_error *err)
{
	size_t i, fresh = 0;
	enum sw_err rc;

	for (i = 0; i < src->n; i++)
		if (find(dst, src->v[i].key) == NULL)
			fresh++;
	if (dst->n + fresh > PROPS_MAX_KEYS)
		return sw_fail(err, SW_EFILE, "%s: together with the %zu "
		    "keys already set, more than %d keys", name, dst->n,
		    PROPS_MAX_KEYS);
	for (i = 0; i < src->n; i++) {
		rc = set_line(dst, src->v[i].key, src->v[i].value,
		    src->v[i].line, err);
		if (rc != SW_OK)
			return rc;	/* only ENOMEM can happen here */
		find(dst, src->v[i].key)->first = src->v[i].first;
	}
	return SW_OK;
}

enum sw_err
props_parse(struct props *p, const char *text, size_t len,
    const char *name, struct sw_error *err)
{
	struct reader r = { .s = text, .len = len, .lineno = 1, .name = name };
	struct props *tmp;
	const char *nul;
	enum sw_err rc = SW_OK;
	int got;

	if ((nul = memchr(text, '\0', len)) != NULL) {
		unsigned line = 1;

		for (; text < nul; text++)
			line += *text == '\n';
		return sw_fail(err, SW_EFILE, "%s:%u: NUL byte: this is not a "
		    "text file", name, line);
	}
	if ((tmp = props_new()) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	while (rc == SW_OK && (got = read_line(&r)) != 0) {
		if (got < 0)
			rc = sw_fail(err, SW_ENOMEM, "out of memory");
		else
			rc = take_line(&r, tmp, err);
	}
	if (rc == SW_OK)
		rc = merge(p, tmp, name, err);
	props_free(tmp);
	free(r.line.s);
	free(r.joins);
	return rc;
}
