/*
 * The reply assembler and the EHLO capability parser: table-driven,
 * no sockets.
 */
#include <stdlib.h>
#include <string.h>

#include "smtp.h"
#include "tap.h"

/* Feeds lines into r; returns the first error code. */
static enum sw_err
feed(struct smtp_reply *r, const char *const *lines, struct sw_error *e)
{
	enum sw_err rc = SW_OK;

	smtp_reply_init(r);
	for (; *lines != NULL && rc == SW_OK; lines++)
		rc = smtp_reply_feed(r, *lines, strlen(*lines), e);
	return rc;
}

static void
test_single_line(void)
{
	const char *lines[] = { "220 mail.example.com ESMTP Postfix", NULL };
	struct smtp_reply r;
	struct sw_error e = { 0 };
	size_t len;
	const char *l;

	CHECK_INT(feed(&r, lines, &e), SW_OK);
	CHECK_INT(r.code, 220);
	CHECK(r.done);
	CHECK_INT(r.nlines, 1);
	l = smtp_reply_line(&r, 0, &len);
	CHECK(l != NULL && len == 30 && strncmp(l, "mail.example.com", 16) == 0);
	CHECK(smtp_reply_line(&r, 1, &len) == NULL);
	smtp_reply_free(&r);
}

static void
test_multi_line(void)
{
	const char *lines[] = { "250-mx.example.org Hello", "250-PIPELINING",
	    "250-SIZE 10240000", "250-AUTH=LOGIN", "250-auth plain login "
	    "CRAM-MD5", "250-8BITMIME", "250-ENHANCEDSTATUSCODES",
	    "250 STARTTLS", NULL };
	struct smtp_reply r;
	struct smtp_caps c;
	struct sw_error e = { 0 };

	CHECK_INT(feed(&r, lines, &e), SW_OK);
	CHECK(r.done);
	CHECK_INT(r.nlines, 8);
	smtp_caps_parse(&r, &c);
	CHECK_STR(c.domain, "mx.example.org");
	CHECK_INT(c.starttls, TRI_YES);
	CHECK_INT(c.auth, TRI_YES);
	CHECK_STR(c.mechanisms, "LOGIN PLAIN CRAM-MD5");
	CHECK_INT(c.pipelining, TRI_YES);
	CHECK_INT(c.size, 10240000);
	CHECK_INT(c.eightbitmime, TRI_YES);
	CHECK_INT(c.smtputf8, TRI_NO);
	CHECK_INT(c.chunking, TRI_NO);
	smtp_reply_free(&r);
}

static void
test_not_done_until_last(void)
{
	const char *lines[] = { "250-first", "250-second", NULL };
	struct smtp_reply r;
	struct sw_error e = { 0 };

	CHECK_INT(feed(&r, lines, &e), SW_OK);
	CHECK(!r.done);
	CHECK_INT(smtp_reply_feed(&r, "250", 3, &e), SW_OK);
	CHECK(r.done);
	CHECK_INT(r.nlines, 3);
	CHECK_INT(smtp_reply_feed(&r, "250 more", 8, &e), SW_EPROTO);
	smtp_reply_free(&r);
}

static void
test_enhanced(void)
{
	static const struct { const char *line, *enh; } cases[] = {
		{ "535 5.7.8 Authentication credentials invalid", "5.7.8" },
		{ "535 5.7.139 Authentication unsuccessful", "5.7.139" },
		{ "454 4.7.0 TLS not available", "4.7.0" },
		{ "250 2.0.0 Ok: queued as 1234", "2.0.0" },
		{ "530 Must issue a STARTTLS command first", "" },
		{ "250 5.7", "" },
		{ "550 5.7.1234 too many digits", "" },
		{ "550 5..1 bad", "" },
		{ "250 1.2.3 class must be 2, 4 or 5", "" },
		{ "550 5.7.1", "5.7.1" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct smtp_reply r;
		struct sw_error e = { 0 };

		smtp_reply_init(&r);
		CHECK_INT(smtp_reply_feed(&r, cases[i].line,
		    strlen(cases[i].line), &e), SW_OK);
		CHECK_STR(r.enhanced, cases[i].enh);
		smtp_reply_free(&r);
	}
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
		"", "22", "2x0 hello", "220Xhello", "hello world",
		"600 out of range", "120 below range", "\033[2J220 x",
		"SSH-2.0-OpenSSH_9.2", "HTTP/1.1 400 Bad Request",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct smtp_reply r;
		struct sw_error e = { 0 };

		smtp_reply_init(&r);
		CHECK_INT(smtp_reply_feed(&r, bad[i], strlen(bad[i]), &e),
		    SW_EPROTO);
		CHECK(e.msg[0] != '\0');
		smtp_reply_free(&r);
	}
}

static void
test_code_change(void)
{
	const char *lines[] = { "250-one", "251 two", NULL };
	struct smtp_reply r;
	struct sw_error e = { 0 };

	CHECK_INT(feed(&r, lines, &e), SW_EPROTO);
	CHECK(strstr(e.msg, "250") != NULL && strstr(e.msg, "251") != NULL);
	smtp_reply_free(&r);
}

static void
test_limits(void)
{
	struct smtp_reply r;
	struct sw_error e = { 0 };
	char line[SMTP_LINE_MAX];
	size_t i;
	enum sw_err rc = SW_OK;

	smtp_reply_init(&r);
	for (i = 0; i <= SMTP_REPLY_LINES && rc == SW_OK; i++)
		rc = smtp_reply_feed(&r, "250-x", 5, &e);
	CHECK_INT(rc, SW_EPROTO);
	CHECK_INT(i, SMTP_REPLY_LINES + 1);
	CHECK(strstr(e.msg, "lines") != NULL);
	smtp_reply_free(&r);

	memset(line, 'a', sizeof(line));
	memcpy(line, "250-", 4);
	sw_error_clear(&e);
	rc = SW_OK;
	for (i = 0; i < 100 && rc == SW_OK; i++)
		rc = smtp_reply_feed(&r, line, sizeof(line), &e);
	CHECK_INT(rc, SW_EPROTO);
	CHECK(strstr(e.msg, "bytes") != NULL);
	smtp_reply_free(&r);
}

static void
test_caps_empty_and_helo_style(void)
{
	const char *lines[] = { "250 only.the.name", NULL };
	struct smtp_reply r;
	struct smtp_caps c;
	struct sw_error e = { 0 };

	CHECK_INT(feed(&r, lines, &e), SW_OK);
	smtp_caps_parse(&r, &c);
	CHECK_STR(c.domain, "only.the.name");
	CHECK_INT(c.starttls, TRI_NO);
	CHECK_INT(c.auth, TRI_NO);
	CHECK_STR(c.mechanisms, "");
	CHECK_INT(c.size, -1);
	smtp_reply_free(&r);

	smtp_caps_unknown(&c);
	CHECK_INT(c.starttls, TRI_UNKNOWN);
	CHECK_INT(c.auth, TRI_UNKNOWN);
}

static void
test_keyword_boundaries(void)
{
	const char *lines[] = { "250-x", "250-STARTTLSX", "250-AUTHENTICATE",
	    "250-X-AUTH PLAIN", "250 SIZE", NULL };
	struct smtp_reply r;
	struct smtp_caps c;
	struct sw_error e = { 0 };

	CHECK_INT(feed(&r, lines, &e), SW_OK);
	smtp_caps_parse(&r, &c);
	CHECK_INT(c.starttls, TRI_NO);
	CHECK_INT(c.auth, TRI_NO);
	CHECK_INT(c.size, 0);
	smtp_reply_free(&r);
}

/* Server text in capabilities: only valid SASL names, a clean domain. */
static void
test_caps_hostile(void)
{
	const char *lines[] = { "250-evil\033[2J.example", "250-AUTH PLAIN "
	    "\033[31mLOGIN \xff\xfe X-THIS-NAME-IS-WAY-TOO-LONG-FOR-SASL "
	    "CRAM-MD5 a_b", NULL };
	struct smtp_reply r;
	struct smtp_caps c;
	struct sw_error e = { 0 };

	CHECK_INT(feed(&r, lines, &e), SW_OK);
	smtp_caps_parse(&r, &c);
	CHECK_STR(c.mechanisms, "PLAIN CRAM-MD5 A_B");
	CHECK(strchr(c.domain, '\033') == NULL);
	CHECK_STR(c.domain, "evil\\x1b[2J.example");
	smtp_reply_free(&r);
}

int
main(void)
{
	test_caps_hostile();
	test_single_line();
	test_multi_line();
	test_not_done_until_last();
	test_enhanced();
	test_malformed();
	test_code_change();
	test_limits();
	test_caps_empty_and_helo_style();
	test_keyword_boundaries();
	return tap_done();
}
