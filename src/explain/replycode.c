/*
 * SMTP reply codes: enhanced-code parsing, the patterns the error
 * tables use, and the scanner that finds replies inside pasted text.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "replycode.h"

#define GROUP_LINES_MAX	100	/* continuation lines joined into one reply */

static int
dig(const char *t, size_t i, size_t len)
{
	return i < len && t[i] >= '0' && t[i] <= '9';
}

/* 1-3 digits at s[*i]; -1 when there are none or more than three. */
static int
number3(const char *s, size_t len, size_t *i)
{
	int v = 0, n = 0;

	while (dig(s, *i, len)) {
		if (++n > 3)
			return -1;
		v = v * 10 + (s[(*i)++] - '0');
	}
	return n == 0 ? -1 : v;
}

size_t
replycode_enh_parse(const char *s, size_t len, struct replycode_enh *e)
{
	size_t i = 2;
	int subj, detail;

	memset(e, 0, sizeof(*e));
	if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') ||
	    s[1] != '.')
		return 0;
	if ((subj = number3(s, len, &i)) < 0 || i >= len || s[i] != '.')
		return 0;
	i++;
	if ((detail = number3(s, len, &i)) < 0)
		return 0;
	/* "5.7.8.1" or "5.7.1234" is a version number, not a status. */
	if (i < len && s[i] == '.' && dig(s, i + 1, len))
		return 0;
	e->cls = s[0] - '0';
	e->subj = subj;
	e->detail = detail;
	return i;
}

void
replycode_enh_format(const struct replycode_enh *e, char *buf, size_t cap)
{
	if (e == NULL || e->cls == 0)
		snprintf(buf, cap, "%s", "");
	else
		snprintf(buf, cap, "%d.%d.%d", e->cls, e->subj, e->detail);
}

static enum sw_err
pat_code(const char *tok, size_t n, struct replycode_pat *p,
    struct sw_error *err)
{
	if (n == 1 && tok[0] == '*')
		return SW_OK;
	if (n == 3 && tok[0] >= '2' && tok[0] <= '5' && isdigit((unsigned char)
	    tok[1]) && isdigit((unsigned char)tok[2])) {
		p->code = (tok[0] - '0') * 100 + (tok[1] - '0') * 10 +
		    (tok[2] - '0');
		return SW_OK;
	}
	if (n == 3 && tok[0] >= '2' && tok[0] <= '5' &&
	    strncasecmp(tok + 1, "xx", 2) == 0) {
		p->cls = tok[0] - '0';
		return SW_OK;
	}
	return sw_fail(err, SW_EASSET, "reply code \"%.*s\" is not 535, 5xx "
	    "or *", (int)n, tok);
}

static enum sw_err
pat_enh(const char *tok, size_t n, struct replycode_pat *p,
    struct sw_error *err)
{
	size_t i = 2;

	if (n == 1 && tok[0] == '*')
		return SW_OK;
	if (n < 5 || tok[1] != '.')
		goto bad;
	if (tok[0] == 'x' || tok[0] == 'X')
		p->ecls = 0;
	else if (tok[0] == '2' || tok[0] == '4' || tok[0] == '5')
		p->ecls = tok[0] - '0';
	else
		goto bad;
	if ((p->esubj = number3(tok, n, &i)) < 0 || i >= n || tok[i] != '.')
		goto bad;
	i++;
	if (i + 1 == n && tok[i] == '*') {
		p->edetail = -1;
		i++;
	} else if ((p->edetail = number3(tok, n, &i)) < 0)
		goto bad;
	if (i != n)
		goto bad;
	p->has_enh = 1;
	return SW_OK;
bad:
	return sw_fail(err, SW_EASSET, "enhanced code \"%.*s\" is not 5.7.8, "
	    "x.7.8, x.7.* or *", (int)n, tok);
}

enum sw_err
replycode_pat_parse(const char *s, struct replycode_pat *p,
    struct sw_error *err)
{
	const char *tok[3];
	size_t n[3], k = 0;

	memset(p, 0, sizeof(*p));
	while (*s != '\0') {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (k == 2)
			return sw_fail(err, SW_EASSET, "reply pattern has more "
			    "than two words (\"CODE [ENHANCED]\")");
		tok[k] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		n[k] = (size_t)(s - tok[k]);
		k++;
	}
	if (k == 0)
		return sw_fail(err, SW_EASSET, "empty reply pattern");
	if (pat_code(tok[0], n[0], p, err) != SW_OK)
		return err->code;
	if (k == 2 && pat_enh(tok[1], n[1], p, err) != SW_OK)
		return err->code;
	if (p->code == 0 && p->cls == 0 && !p->has_enh)
		return sw_fail(err, SW_EASSET, "reply pattern \"*\" matches "
		    "everything; give a code or an enhanced code");
	return SW_OK;
}

int
replycode_pat_score(const struct replycode_pat *p, int code,
    const struct replycode_enh *e)
{
	int score = 0;

	if (code != 0) {
		if (p->code != 0 && p->code != code)
			return -1;
		if (p->cls != 0 && code / 100 != p->cls)
			return -1;
		score += p->code != 0 ? 4 : p->cls != 0 ? 1 : 0;
	} else if (!p->has_enh)
		return -1;	/* a bare enhanced code says nothing here */
	if (p->has_enh) {
		if (e == NULL || e->cls == 0)
			return -1;
		if ((p->ecls != 0 && p->ecls != e->cls) ||
		    p->esubj != e->subj ||
		    (p->edetail >= 0 && p->edetail != e->detail))
			return -1;
		score += p->edetail < 0 ? 5 : p->ecls != 0 ? 12 : 10;
	}
	return score;
}

static size_t
line_end(const char *t, size_t i, size_t len)
{
	const char *nl = memchr(t + i, '\n', len - i);

	return nl != NULL ? (size_t)(nl - t) : len;
}

/*
 * Is t[i] the first thing on its line?  Blanks before it are fine, and
 * so is a transcript arrow ("<<< ", "<~ ", "S: ").
 */
static int
at_line_start(const char *t, size_t i)
{
	size_t k = i;

	while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t'))
		k--;
	if (k >= 2 && t[k - 1] == ':' && (t[k - 2] == 's' || t[k - 2] == 'S'))
		k -= 2;
	else
		while (k > 0 && strchr("<>~*-", t[k - 1]) != NULL)
			k--;
	while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t'))
		k--;
	return k == 0 || t[k - 1] == '\n';
}

static int
after(const char *t, size_t i, const char *what)
{
	size_t n = strlen(what);

	return i >= n && strncasecmp(t + i - n, what, n) == 0;
}

/* A byte that, right before a code, makes it part of something else. */
static int
glued(char c)
{
	return isalnum((unsigned char)c) || strchr(".,-_/+:=#", c) != NULL;
}

/*
 * The line after `end` continues a multi-line reply of `code` when it
 * starts with the same three digits and ' ', '-' or its end (RFC 5321
 * §4.2.1).  Returns the new end of the span.
 */
static size_t
group_lines(const char *t, size_t len, size_t end, const char *code)
{
	size_t n, ls, i;

	for (n = 0; n < GROUP_LINES_MAX && end < len; n++) {
		ls = end + 1;
		for (i = ls; i < len && (t[i] == ' ' || t[i] == '\t'); i++)
			;
		if (i + 3 > len || memcmp(t + i, code, 3) != 0 ||
		    (i + 3 < len && t[i + 3] != ' ' && t[i + 3] != '-' &&
		    t[i + 3] != '\n'))
			break;
		end = line_end(t, i, len);
		if (i + 3 >= len || t[i + 3] != '-')
			break;
	}
	return end;
}

/* A basic code at t[i]: fills out and returns 1 when it is a reply. */
static int
basic_at(const char *t, size_t len, size_t i, struct replycode_span *out)
{
	char sep = i + 3 < len ? t[i + 3] : '\n';
	size_t k, text;
	int code, resp;

	if ((t[i] != '4' && t[i] != '5') || !dig(t, i + 1, len) ||
	    !dig(t, i + 2, len) || dig(t, i + 3, len))
		return 0;
	code = (t[i] - '0') * 100 + (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
	memset(out, 0, sizeof(*out));
	if ((sep == ' ' || sep == '-') &&
	    (k = replycode_enh_parse(t + i + 4, len - i - 4, &out->enh)) > 0 &&
	    (i + 4 + k >= len || !isalnum((unsigned char)t[i + 4 + k]))) {
		text = i + 4 + k;
	} else {
		memset(&out->enh, 0, sizeof(out->enh));
		resp = after(t, i, "response: ");
		if (!at_line_start(t, i) && !after(t, i, "exception: ") &&
		    !resp)
			return 0;
		if (sep != ' ' && sep != '-' && sep != '\n' && !resp)
			return 0;
		text = sep == ' ' || sep == '-' ? i + 4 : i + 3;
	}
	while (text < len && t[text] == ' ')
		text++;
	out->start = i;
	out->code = code;
	out->end = line_end(t, i, len);
	if (text > out->end)
		text = out->end;
	out->text = text;
	if (sep == '-')
		out->end = group_lines(t, len, out->end, t + i);
	return 1;
}

/* A bare enhanced code ("5.7.139") at the start of a line. */
static int
bare_enh_at(const char *t, size_t len, size_t i, struct replycode_span *out)
{
	size_t k;

	memset(out, 0, sizeof(*out));
	if ((t[i] != '4' && t[i] != '5') || !at_line_start(t, i) ||
	    (k = replycode_enh_parse(t + i, len - i, &out->enh)) == 0 ||
	    (i + k < len && t[i + k] != ' ' && t[i + k] != '\n'))
		return 0;
	out->start = i;
	out->end = line_end(t, i, len);
	out->text = i + k < out->end ? i + k + 1 : out->end;
	return 1;
}

int
replycode_scan(const char *t, size_t len, size_t *pos,
    struct replycode_span *out)
{
	size_t i;

	for (i = *pos; i < len; i++) {
		if (t[i] != '4' && t[i] != '5')
			continue;
		if (i > 0 && glued(t[i - 1]))
			continue;
		if (basic_at(t, len, i, out) || bare_enh_at(t, len, i, out)) {
			*pos = out->end > i ? out->end : i + 1;
			return 1;
		}
	}
	*pos = len;
	return 0;
}
