/*
 * Reading one member of a JSON object from untrusted text: a recursive
 * descent over RFC 8259's grammar with a depth cap, copying out only
 * what was asked for.
 */
#include <string.h>

#include "json_read.h"

struct jr {
	const char		*s;
	size_t			 n, i;
	struct sw_error		*err;
};

/* Where decoded string bytes go; NULL buf: nowhere (only checked). */
struct jr_out {
	char	*buf;
	size_t	 cap, len;
	int	 overflow;
};

static enum sw_err
bad(struct jr *p, const char *what)
{
	return sw_fail(p->err, SW_EPROTO, "not valid JSON: %s at byte %zu",
	    what, p->i);
}

static void
ws(struct jr *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
	    p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static void
put(struct jr_out *o, const char *b, size_t n)
{
	if (o == NULL || o->buf == NULL)
		return;
	if (o->len + n >= o->cap) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->len, b, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static int
hex4(struct jr *p, unsigned *v)
{
	size_t k;
	int c;

	if (p->n - p->i < 4)
		return -1;
	*v = 0;
	for (k = 0; k < 4; k++) {
		c = (unsigned char)p->s[p->i + k];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	p->i += 4;
	return 0;
}

static void
put_utf8(struct jr_out *o, unsigned cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		put(o, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		put(o, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		put(o, b, 3);
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		put(o, b, 4);
	}
}

/* \uXXXX, with a surrogate pair when it starts one (RFC 8259 §7). */
static enum sw_err
unicode_escape(struct jr *p, struct jr_out *o)
{
	unsigned hi, lo;

	if (hex4(p, &hi) < 0)
		return bad(p, "bad \\u escape");
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return bad(p, "lone low surrogate");
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (p->n - p->i < 2 || p->s[p->i] != '\\' ||
		    p->s[p->i + 1] != 'u')
			return bad(p, "lone high surrogate");
		p->i += 2;
		if (hex4(p, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
			return bad(p, "bad surrogate pair");
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (hi == 0)
		return bad(p, "\\u0000 in a string");
	put_utf8(o, hi);
	return SW_OK;
}

static enum sw_err
string(struct jr *p, struct jr_out *o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	char c;

	p->i++;				/* the opening quote */
	while (p->i < p->n) {
		c = p->s[p->i];
		if (c == '"') {
			p->i++;
			return SW_OK;
		}
		if ((unsigned char)c < 0x20)
			return bad(p, "control character in a string");
		if (c != '\\') {
			put(o, &c, 1);
			p->i++;
			continue;
		}
		if (++p->i >= p->n)
			break;
		c = p->s[p->i++];
		if (c == 'u') {
			if (unicode_escape(p, o) != SW_OK)
				return SW_EPROTO;
		} else if ((e = strchr(from, c)) != NULL && c != '\0')
			put(o, &to[e - from], 1);
		else
			return bad(p, "bad escape");
	}
	return bad(p, "unterminated string");
}

static enum sw_err
number(struct jr *p, struct jr_out *o)
{
	size_t st = p->i;

	if (p->s[p->i] == '-')
		p->i++;
	if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
		return bad(p, "bad number");
	if (p->s[p->i] == '0')
		p->i++;
	else
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	if (p->i < p->n && p->s[p->i] == '.') {
		if (++p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
			return bad(p, "bad fraction");
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		if (++p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
			return bad(p, "bad exponent");
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	}
	put(o, p->s + st, p->i - st);
	return SW_OK;
}

static enum sw_err value(struct jr *, int, struct jr_out *, enum json_type *);

static enum sw_err
literal(struct jr *p, const char *word, struct jr_out *o)
{
	size_t n = strlen(word);

	if (p->n - p->i < n || memcmp(p->s + p->i, word, n) != 0)
		return bad(p, "unexpected character");
	put(o, word, n);
	p->i += n;
	return SW_OK;
}

/* An array or, with key set, an object; at depth 1 the member key's
 * value goes to o (the first one only: *found). */
static enum sw_err
container(struct jr *p, int depth, char close, const char *key,
    struct jr_out *o, enum json_type *found)
{
	char name[256];
	struct jr_out no = { NULL, 0, 0, 0 }, kn;
	enum json_type t = JSON_NONE;
	int hit;

	if (depth > JSON_READ_DEPTH)
		return sw_fail(p->err, SW_EPROTO, "not accepted JSON: nested "
		    "deeper than %d at byte %zu", JSON_READ_DEPTH, p->i);
	p->i++;
	ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return SW_OK;
	}
	for (;;) {
		hit = 0;
		if (close == '}') {
			ws(p);
			if (p->i >= p->n || p->s[p->i] != '"')
				return bad(p, "member name expected");
			memset(&kn, 0, sizeof(kn));
			kn.buf = name;
			kn.cap = sizeof(name);
			name[0] = '\0';
			if (string(p, &kn) != SW_OK)
				return SW_EPROTO;
			hit = key != NULL && !kn.overflow &&
			    strcmp(name, key) == 0 && *found == JSON_NONE;
			ws(p);
			if (p->i >= p->n || p->s[p->i] != ':')
				return bad(p, "':' expected");
			p->i++;
		}
		if (value(p, depth, hit ? o : &no, &t) != SW_OK)
			return SW_EPROTO;
		if (hit)
			*found = t;
		ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			ws(p);
			continue;
		}
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return SW_OK;
		}
		return bad(p, close == '}' ? "',' or '}' expected" :
		    "',' or ']' expected");
	}
}

static enum sw_err
value(struct jr *p, int depth, struct jr_out *o, enum json_type *t)
{
	enum json_type dummy = JSON_NONE;

	ws(p);
	if (p->i >= p->n)
		return bad(p, "value expected");
	switch (p->s[p->i]) {
	case '{':
		*t = JSON_OBJECT;
		return container(p, depth + 1, '}', NULL, NULL, &dummy);
	case '[':
		*t = JSON_ARRAY;
		return container(p, depth + 1, ']', NULL, NULL, &dummy);
	case '"':
		*t = JSON_STRING;
		return string(p, o);
	case 't':
		*t = JSON_TRUE;
		return literal(p, "true", o);
	case 'f':
		*t = JSON_FALSE;
		return literal(p, "false", o);
	case 'n':
		*t = JSON_NULL;
		return literal(p, "null", o);
	default:
		*t = JSON_NUMBER;
		return number(p, o);
	}
}

enum sw_err
json_read_member(const char *text, size_t len, const char *key,
    enum json_type *type, char *out, size_t cap, struct sw_error *err)
{
	struct jr p = { text, len, 0, err };
	struct jr_out o = { out, cap, 0, 0 };

	*type = JSON_NONE;
	if (cap > 0)
		out[0] = '\0';
	if (len > JSON_READ_MAX)
		return sw_fail(err, SW_EPROTO, "not accepted JSON: %zu bytes, "
		    "more than %u", len, JSON_READ_MAX);
	ws(&p);
	if (p.i >= p.n || p.s[p.i] != '{')
		return bad(&p, "an object expected");
	if (container(&p, 1, '}', key, &o, type) != SW_OK)
		goto fail;
	ws(&p);
	if (p.i != p.n) {
		bad(&p, "text after the object");
		goto fail;
	}
	if (o.overflow) {
		sw_fail(err, SW_EPROTO, "the JSON member \"%s\" is longer "
		    "than %zu bytes", key, cap ? cap - 1 : 0);
		goto fail;
	}
	if (*type == JSON_OBJECT || *type == JSON_ARRAY)
		out[0] = '\0';
	return SW_OK;
fail:
	*type = JSON_NONE;
	if (cap > 0)
		memset(out, 0, cap);
	return err != NULL && err->code != SW_OK ? err->code : SW_EPROTO;
}
