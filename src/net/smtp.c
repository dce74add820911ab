/*
 * SMTP replies, EHLO capabilities and the command/reply step.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sanitize.h"
#include "smtp.h"

void
smtp_reply_init(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
}

void
smtp_reply_free(struct smtp_reply *r)
{
	free(r->text);
	smtp_reply_init(r);
}

/* "5.7.8" at the start of s (RFC 3463: class.subject.detail). */
static void
parse_enhanced(const char *s, size_t len, char *out, size_t cap)
{
	size_t i = 0, parts = 0, digits = 0;

	out[0] = '\0';
	if (len == 0 || (s[0] != '2' && s[0] != '4' && s[0] != '5'))
		return;
	for (; i < len; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (++digits > 3)
				return;
		} else if (s[i] == '.' && digits > 0 && parts < 2) {
			parts++;
			digits = 0;
		} else
			break;
	}
	if (parts != 2 || digits == 0 || (i < len && s[i] != ' ') || i >= cap)
		return;
	memcpy(out, s, i);
	out[i] = '\0';
}

static enum sw_err
append_text(struct smtp_reply *r, const char *s, size_t n,
    struct sw_error *err)
{
	size_t need = r->len + (r->nlines > 0) + n + 1;
	char *p;

	if (need > SMTP_REPLY_BYTES)
		return sw_fail(err, SW_EPROTO, "the server's reply is longer "
		    "than %d bytes", SMTP_REPLY_BYTES);
	if ((p = realloc(r->text, need)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	r->text = p;
	if (r->nlines > 0)
		p[r->len++] = '\n';
	memcpy(p + r->len, s, n);
	r->len += n;
	p[r->len] = '\0';
	return SW_OK;
}

enum sw_err
smtp_reply_feed(struct smtp_reply *r, const char *line, size_t len,
    struct sw_error *err)
{
	int code;
	enum sw_err rc;

	if (r->done)
		return sw_fail(err, SW_EPROTO, "reply already complete");
	if (len < 3 || !isdigit((unsigned char)line[0]) ||
	    !isdigit((unsigned char)line[1]) ||
	    !isdigit((unsigned char)line[2]) || line[0] < '2' ||
	    line[0] > '5' || (len > 3 && line[3] != '-' && line[3] != ' '))
		return sw_fail(err, SW_EPROTO, "the server did not answer in "
		    "SMTP: a reply line must start with a 3-digit code");
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (r->nlines > 0 && code != r->code)
		return sw_fail(err, SW_EPROTO, "the server changed the reply "
		    "code from %d to %d inside one reply", r->code, code);
	if (r->nlines >= SMTP_REPLY_LINES)
		return sw_fail(err, SW_EPROTO, "the server's reply has more "
		    "than %d lines", SMTP_REPLY_LINES);
	rc = append_text(r, len > 4 ? line + 4 : "", len > 4 ? len - 4 : 0,
	    err);
	if (rc != SW_OK)
		return rc;
	if (r->nlines == 0) {
		r->code = code;
		if (len > 4)
			parse_enhanced(line + 4, len - 4, r->enhanced,
			    sizeof(r->enhanced));
	}
	r->nlines++;
	r->done = len == 3 || line[3] == ' ';
	return SW_OK;
}

const char *
smtp_reply_line(const struct smtp_reply *r, size_t i, size_t *len)
{
	const char *p = r->text, *stop, *end;

	if (i >= r->nlines || p == NULL)
		return NULL;
	/*
	 * memchr over the stored length, not strchr: a line may hold NUL
	 * bytes (link_read_line() keeps them), and a greeting with a NUL
	 * in it made strchr() stop early and return NULL + 1 (found by
	 * hostile_smtp.py --behaviour escapes and the smtp fuzzer).
	 */
	stop = r->text + r->len;
	while (i-- > 0) {
		if ((end = memchr(p, '\n', (size_t)(stop - p))) == NULL)
			return NULL;
		p = end + 1;
	}
	end = memchr(p, '\n', (size_t)(stop - p));
	*len = (size_t)((end ? end : stop) - p);
	return p;
}

void
smtp_caps_unknown(struct smtp_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->size = -1;
}

/* Does the line start with keyword kw, followed by the end, ' ' or '='? */
static int
keyword(const char *s, size_t len, const char *kw)
{
	size_t n = strlen(kw);

	return len >= n && strncasecmp(s, kw, n) == 0 &&
	    (len == n || s[n] == ' ' || s[n] == '=');
}

/* Is word one of the blank-separated words of list? */
static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Adds the mechanisms after "AUTH " / "AUTH=" to caps, once each. */
/*
 * A SASL mechanism name (RFC 4422 §3.1: upper-case letters, digits,
 * '-' and '_', at most 20).  Anything else in an AUTH line is not a
 * mechanism and is dropped here, so no caller can print a server's
 * escape sequence as a mechanism name.
 */
static int
sasl_name(const char *m)
{
	size_t n = 0;

	for (; m[n] != '\0'; n++)
		if (!(isupper((unsigned char)m[n]) ||
		    isdigit((unsigned char)m[n]) || m[n] == '-' || m[n] == '_'))
			return 0;
	return n > 0 && n <= 20;
}

static void
add_mechanisms(struct smtp_caps *caps, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		char mech[64];
		size_t n = 0;

		while (i < len && (s[i] == ' ' || s[i] == '='))
			i++;
		while (i < len && s[i] != ' ' && n + 1 < sizeof(mech))
			mech[n++] = (char)toupper((unsigned char)s[i++]);
		while (i < len && s[i] != ' ')
			i++;
		mech[n] = '\0';
		/*
		 * Whole words: a substring test took Gmail's "XOAUTH" for a
		 * duplicate of "XOAUTH2", and "PLAIN" after
		 * "PLAIN-CLIENTTOKEN" too.
		 */
		if (n == 0 || mech[0] == '\0' || !sasl_name(mech) ||
		    has_word(caps->mechanisms, mech))
			continue;
		if (strlen(caps->mechanisms) + n + 2 > sizeof(caps->mechanisms))
			return;
		if (caps->mechanisms[0] != '\0')
			strcat(caps->mechanisms, " ");
		strcat(caps->mechanisms, mech);
	}
}

static void
parse_cap_line(struct smtp_caps *caps, const char *s, size_t len)
{
	if (keyword(s, len, "STARTTLS"))
		caps->starttls = TRI_YES;
	else if (keyword(s, len, "AUTH")) {
		caps->auth = TRI_YES;
		add_mechanisms(caps, s + 4, len - 4);
	} else if (keyword(s, len, "PIPELINING"))
		caps->pipelining = TRI_YES;
	else if (keyword(s, len, "8BITMIME"))
		caps->eightbitmime = TRI_YES;
	else if (keyword(s, len, "SMTPUTF8"))
		caps->smtputf8 = TRI_YES;
	else if (keyword(s, len, "CHUNKING"))
		caps->chunking = TRI_YES;
	else if (keyword(s, len, "ENHANCEDSTATUSCODES"))
		caps->enhancedstatuscodes = TRI_YES;
	else if (keyword(s, len, "DSN"))
		caps->dsn = TRI_YES;
	else if (keyword(s, len, "SIZE"))
		caps->size = len > 5 ? strtol(s + 5, NULL, 10) : 0;
}

void
smtp_caps_parse(const struct smtp_reply *r, struct smtp_caps *caps)
{
	size_t i, len, n;
	const char *s;

	memset(caps, 0, sizeof(*caps));
	caps->starttls = caps->auth = caps->pipelining = TRI_NO;
	caps->eightbitmime = caps->smtputf8 = caps->chunking = TRI_NO;
	caps->enhancedstatuscodes = caps->dsn = TRI_NO;
	caps->size = -1;
	if ((s = smtp_reply_line(r, 0, &len)) != NULL) {
		for (n = 0; n < len && s[n] != ' '; n++)
			;
		/* Server text: kept only in its sanitised form. */
		sanitize(s, n, caps->domain, sizeof(caps->domain), SAN_ASCII);
	}
	for (i = 1; (s = smtp_reply_line(r, i, &len)) != NULL; i++)
		parse_cap_line(caps, s, len);
}

enum sw_err
smtp_read_reply(struct link *c, struct smtp_reply *r, struct sw_error *err)
{
	char line[SMTP_LINE_MAX + 1];
	size_t len;
	enum sw_err rc;

	smtp_reply_free(r);
	do {
		rc = link_read_line(c, line, sizeof(line), &len, err);
		if (rc != SW_OK)
			return rc;
		rc = smtp_reply_feed(r, line, len, err);
		if (rc != SW_OK)
			return rc;
	} while (!r->done);
	return SW_OK;
}

enum sw_err
smtp_command(struct link *c, const char *cmd, struct smtp_reply *r,
    struct sw_error *err)
{
	char buf[1024];
	size_t n = strlen(cmd);
	enum sw_err rc;

	if (strpbrk(cmd, "\r\n") != NULL || n + 3 > sizeof(buf))
		return sw_fail(err, SW_EUSAGE, "refusing to send a command "
		    "with a line break or longer than %zu bytes",
		    sizeof(buf) - 3);
	memcpy(buf, cmd, n);
	memcpy(buf + n, "\r\n", 3);
	rc = link_write(c, buf, n + 2, err);
	if (rc != SW_OK)
		return rc;
	return smtp_read_reply(c, r, err);
}
