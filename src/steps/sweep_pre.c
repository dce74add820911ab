/*
 * The sweep's line handling (sweep_pre.h): the STARTTLS preamble read
 * line by line, and an SMTP answer instead of TLS.  No sockets, no
 * clock: sweep_run.c does the I/O.
 */
#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "sweep_pre.h"

static const char *const stage_name[] = { "greeting", "EHLO", "STARTTLS" };

/* The next whole line of in: 1 (*used bytes, *len without CR LF), 0
 * none yet, -1 none within SMTP_LINE_MAX bytes. */
static int
take_line(const unsigned char *in, size_t inlen, size_t *used, size_t *len)
{
	const unsigned char *nl = memchr(in, '\n', inlen);

	if (nl == NULL)
		return inlen > SMTP_LINE_MAX ? -1 : 0;
	*used = (size_t)(nl - in) + 1;
	*len = *used - 1;
	if (*len > 0 && in[*len - 1] == '\r')
		(*len)--;
	return 1;
}

/* "421 busy": the code and the first line of the reply, sanitised. */
static void
reply_text(const struct smtp_reply *r, char *buf, size_t cap)
{
	size_t len = 0;
	const char *l = smtp_reply_line(r, 0, &len);
	char tmp[200];

	sanitize(l ? l : "", l ? len : 0, tmp, sizeof(tmp), 0);
	snprintf(buf, cap, "%d %s", r->code, tmp);
}

/* A whole reply for *stage: what to do next. */
static enum sweep_pre_ev
judge(enum sweep_pre_stage *stage, struct smtp_reply *r, char *why,
    size_t cap)
{
	int want = *stage == PRE_EHLO ? 250 : 220;
	struct smtp_caps caps;
	char text[240];

	if (r->code != want) {
		reply_text(r, text, sizeof(text));
		if (r->code >= 400 && r->code < 500) {
			snprintf(why, cap, "%s answered %s",
			    stage_name[*stage], text);
			return SWP_RETRY;
		}
		snprintf(why, cap, "the server answered the %s with %s",
		    stage_name[*stage], text);
		return SWP_FATAL;
	}
	switch (*stage) {
	case PRE_GREETING:
		*stage = PRE_EHLO;
		break;
	case PRE_EHLO:
		smtp_caps_parse(r, &caps);
		if (caps.starttls != TRI_YES) {
			snprintf(why, cap, "the server does not offer "
			    "STARTTLS");
			return SWP_FATAL;
		}
		*stage = PRE_STARTTLS;
		break;
	case PRE_STARTTLS:
		return SWP_HELLO;
	}
	smtp_reply_free(r);
	smtp_reply_init(r);
	return *stage == PRE_EHLO ? SWP_EHLO : SWP_STARTTLS;
}

enum sweep_pre_ev
sweep_pre_feed(enum sweep_pre_stage *stage, struct smtp_reply *reply,
    unsigned char *in, size_t *inlen, char *why, size_t cap)
{
	struct sw_error e = { 0 };
	size_t used = 0, len = 0;
	int got;

	if (cap > 0)
		why[0] = '\0';
	while ((got = take_line(in, *inlen, &used, &len)) == 1) {
		if (smtp_reply_feed(reply, (const char *)in, len, &e) != SW_OK) {
			snprintf(why, cap, "%s", sw_error_text(&e));
			return SWP_FATAL;
		}
		memmove(in, in + used, *inlen - used);
		*inlen -= used;
		if (reply->done)
			return judge(stage, reply, why, cap);
	}
	if (got < 0) {
		snprintf(why, cap, "a reply line longer than %d bytes",
		    SMTP_LINE_MAX);
		return SWP_FATAL;
	}
	return SWP_MORE;
}

int
sweep_pre_smtp_line(const unsigned char *b, size_t n, char *line, size_t cap)
{
	const unsigned char *nl;
	size_t len;

	if (n < 4 || b[0] < '4' || b[0] > '5' || b[1] < '0' || b[1] > '9' ||
	    b[2] < '0' || b[2] > '9' ||
	    (b[3] != ' ' && b[3] != '-' && b[3] != '\r'))
		return 0;
	nl = memchr(b, '\n', n);
	len = nl ? (size_t)(nl - b) : n;
	if (len > 0 && b[len - 1] == '\r')
		len--;
	sanitize((const char *)b, len, line, cap, 0);
	return b[0] - '0';
}
