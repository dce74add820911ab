/*
 * Step 5's pure parts.  sasl.c: base64 against RFC 4648's vectors, the
 * PLAIN, LOGIN, CRAM-MD5 (RFC 2195's own example) and XOAUTH2
 * (Google's example) responses, leak detection in every base64
 * alignment, and Java's choice of mechanism as a table: library,
 * settings, server list -> mechanism.  mail_test.c (here until it has
 * a file of its own): dot-stuffing, the message, queue ids from real
 * servers' 250 replies, address checks.
 */
#include <stdlib.h>
#include <string.h>

#include "mail_test.h"
#include "props.h"
#include "sasl.h"
#include "tls.h"
#include "secret.h"
#include "settings.h"
#include "tap.h"

static void
test_b64(void)
{
	static const char *const v[][2] = {	/* RFC 4648 §10 */
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	unsigned char raw[64];
	char out[64];
	size_t i, n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_INT(sasl_b64_encode(v[i][0], strlen(v[i][0]), out,
		    sizeof(out)), strlen(v[i][1]));
		CHECK_STR(out, v[i][1]);
		CHECK(sasl_b64_decode(v[i][1], strlen(v[i][1]), raw,
		    sizeof(raw), &n, NULL) == SW_OK);
		CHECK(n == strlen(v[i][0]) && memcmp(raw, v[i][0], n) == 0);
	}
	/* Binary, and the buffer limits. */
	CHECK_INT(sasl_b64_encode("\0\377\1", 3, out, sizeof(out)), 4);
	CHECK_STR(out, "AP8B");
	CHECK_INT(sasl_b64_encode("foobar", 6, out, 8), 0);
	CHECK_STR(out, "");
	CHECK_INT(sasl_b64_encode("foobar", 6, out, 9), 8);
	/* RFC 4954's "=" is an empty response; blanks around are fine. */
	CHECK(sasl_b64_decode("=", 1, raw, sizeof(raw), &n, NULL) == SW_OK &&
	    n == 0);
	CHECK(sasl_b64_decode(" Zm9v \r", 7, raw, sizeof(raw), &n, NULL) ==
	    SW_OK && n == 3);
	CHECK(sasl_b64_decode("Zm9", 3, raw, sizeof(raw), &n, NULL) ==
	    SW_EPROTO);
	CHECK(sasl_b64_decode("Zm9v!", 5, raw, sizeof(raw), &n, NULL) ==
	    SW_EPROTO);
	CHECK(sasl_b64_decode("Zg=a", 4, raw, sizeof(raw), &n, NULL) ==
	    SW_EPROTO);
	CHECK(sasl_b64_decode("Zm9vYmFy", 8, raw, 5, &n, NULL) == SW_EPROTO);
}

static void
test_plain_login(void)
{
	char out[256];

	/* RFC 4616 §4: no authzid. */
	CHECK(sasl_plain(NULL, "tim", "tanstaaftanstaaf", out, sizeof(out),
	    NULL) == SW_OK);
	CHECK_STR(out, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
	/* Java sends authzid = the user name. */
	CHECK(sasl_plain("tim", "tim", "tanstaaftanstaaf", out, sizeof(out),
	    NULL) == SW_OK);
	CHECK_STR(out, "dGltAHRpbQB0YW5zdGFhZnRhbnN0YWFm");
	CHECK(sasl_plain("", "tim", "tanstaaftanstaaf", out, 10, NULL) ==
	    SW_EUSAGE);
	CHECK_STR(out, "");
	/* LOGIN is base64 of each answer. */
	sasl_b64_encode("alice", 5, out, sizeof(out));
	CHECK_STR(out, "YWxpY2U=");
}

static void
test_cram_md5(void)
{
	char out[256];
	struct sw_error e = { 0 };

	/* RFC 2195 §2: the example exchange. */
	CHECK(sasl_cram_md5("tim", "tanstaaftanstaaf",
	    "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
	    out, sizeof(out), &e) == SW_OK);
	CHECK_STR(out, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
	/* RFC 2104 test case 2 for the HMAC itself. */
	{
		unsigned char mac[16];
		static const unsigned char want[16] = {
			0x75, 0x0c, 0x78, 0x3e, 0x6a, 0xb0, 0xb5, 0x03,
			0xea, 0xa8, 0x6e, 0x31, 0x0a, 0x5d, 0xb7, 0x38 };

		CHECK(tls_hmac_md5("Jefe", 4, "what do ya want for nothing?",
		    28, mac, NULL) == SW_OK);
		CHECK(memcmp(mac, want, 16) == 0);
	}
	sw_error_clear(&e);
	CHECK(sasl_cram_md5("tim", "x", "not base64!", out, sizeof(out),
	    &e) == SW_EPROTO);
	CHECK(strstr(sw_error_text(&e), "x") == NULL ||
	    strstr(sw_error_text(&e), "base64") != NULL);
}

static void
test_xoauth2(void)
{
	char out[512];

	/* developers.google.com/gmail/imap/xoauth2-protocol's example. */
	CHECK(sasl_xoauth2("someuser@example.com",
	    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg", out,
	    sizeof(out), NULL) == SW_OK);
	CHECK_STR(out, "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5"
	    "YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ"
	    "==");
}

static void
test_leaks(void)
{
	const char *pw = "Tr0ub4dor&3";
	char buf[256], text[300], raw[64];
	size_t n, k;

	CHECK(sasl_leaks(pw, strlen(pw), pw));
	snprintf(text, sizeof(text), "535 bad password %s here", pw);
	CHECK(sasl_leaks(text, strlen(text), pw));
	CHECK(!sasl_leaks("535 5.7.8 Authentication credentials invalid", 44,
	    pw));
	/* base64 of the password behind 0, 1, 2 ... bytes of anything. */
	for (k = 0; k < 6; k++) {
		memset(raw, 'u', k);
		memcpy(raw + k, pw, strlen(pw));
		memcpy(raw + k + strlen(pw), "tail", 4);
		n = sasl_b64_encode(raw, k + strlen(pw) + 4, buf, sizeof(buf));
		snprintf(text, sizeof(text), "C: AUTH PLAIN %s", buf);
		CHECK(n > 0 && sasl_leaks(text, strlen(text), pw));
	}
	sasl_plain("alice", "alice", pw, buf, sizeof(buf), NULL);
	CHECK(sasl_leaks(buf, strlen(buf), pw));
	sasl_plain(NULL, "alice", pw, buf, sizeof(buf), NULL);
	CHECK(sasl_leaks(buf, strlen(buf), pw));
	sasl_xoauth2("alice", pw, buf, sizeof(buf), NULL);
	CHECK(sasl_leaks(buf, strlen(buf), pw));
	/* Too short to tell from noise: never reported. */
	CHECK(!sasl_leaks("pw", 2, "pw"));
	CHECK(!sasl_leaks("", 0, pw));
	/* Inserted control bytes and escape sequences are ignored (issue
	 * 12); raw bytes, so a NUL counts too. */
#define LEAKS(lit, pw)	sasl_leaks(lit, sizeof(lit) - 1, pw)
#define RLEAKS(lit, pw)	sasl_leaks_reply(lit, sizeof(lit) - 1, pw)
	CHECK(LEAKS("sent Zq7-kn\x1b[1;31mown-Pa55", "Zq7-known-Pa55"));
	CHECK(LEAKS("sent Zq7-kn\x1b]0;t\x07own-Pa55", "Zq7-known-Pa55"));
	CHECK(LEAKS("sent Zq7-known\0-Pa55", "Zq7-known-Pa55"));
	CHECK(LEAKS("x Tab\tpass-77 y", "Tab\tpass-77"));
	CHECK(!LEAKS("x Tab pass-77 y", "Tab\tpass-77x"));
	/* Cut over the lines of one reply, codes in between. */
	CHECK(!LEAKS("5.7.8 Zq7-known-\n5.7.8 Pa55", "Zq7-known-Pa55"));
	CHECK(RLEAKS("5.7.8 Zq7-known-\n5.7.8 Pa55", "Zq7-known-Pa55"));
	CHECK(RLEAKS("535-5.7.8 Zq7-kn\n535 5.7.8 own-Pa55", "Zq7-known-Pa55"));
	CHECK(RLEAKS("535-Zq7-\n535-kno\n535 wn-Pa55", "Zq7-known-Pa55"));
	CHECK(!RLEAKS("535-5.7.8 Authentication\n535 5.7.8 failed",
	    "Zq7-known-Pa55"));
#undef LEAKS
#undef RLEAKS
}

/* One row of the choice table. */
struct choice_case {
	enum mail_lib	 lib;
	const char	*settings[4];	/* "key=value", raw (unchecked) */
	const char	*offered;
	const char	*want;		/* "" for none */
	int		 via_sasl;
};

static const struct choice_case choices[] = {
	/* The default order: LOGIN PLAIN DIGEST-MD5 NTLM; XOAUTH2 off. */
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "PLAIN LOGIN", "LOGIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "PLAIN", "PLAIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "CRAM-MD5 PLAIN LOGIN", "LOGIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "NTLM LOGIN", "LOGIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "NTLM DIGEST-MD5", "DIGEST-MD5", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "GSSAPI NTLM", "NTLM", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "CRAM-MD5", "", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "", "", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "XOAUTH2 PLAIN", "PLAIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { NULL }, "XOAUTH2", "", 0 },
	/* auth.*.disable, read as Java reads booleans. */
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.login.disable=true" },
	    "LOGIN PLAIN", "PLAIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.login.disable=TRUE" },
	    "LOGIN PLAIN", "PLAIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.login.disable=yes" },
	    "LOGIN PLAIN", "LOGIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.login.disable=true",
	    "mail.smtp.auth.plain.disable=true" }, "LOGIN PLAIN", "", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.ntlm.disable=true" },
	    "NTLM LOGIN", "LOGIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.ntlm.disable=true" },
	    "NTLM", "", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.xoauth2.disable=false" },
	    "XOAUTH2", "XOAUTH2", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.xoauth2.disable=false" },
	    "XOAUTH2 PLAIN", "PLAIN", 0 },
	/* auth.mechanisms: its order; the disable keys no longer count. */
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=PLAIN LOGIN" },
	    "LOGIN PLAIN", "PLAIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=plain login" },
	    "LOGIN PLAIN", "PLAIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=PLAIN LOGIN",
	    "mail.smtp.auth.plain.disable=true" }, "LOGIN PLAIN", "PLAIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=XOAUTH2" },
	    "LOGIN PLAIN XOAUTH2", "XOAUTH2", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=XOAUTH2" },
	    "LOGIN PLAIN", "", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=CRAM-MD5" },
	    "CRAM-MD5 PLAIN", "", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=CRAM-MD5 PLAIN" },
	    "CRAM-MD5 PLAIN", "PLAIN", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=LOGIN,PLAIN" },
	    "LOGIN PLAIN", "", 0 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.auth.mechanisms=" },
	    "LOGIN PLAIN", "", 0 },
	/* sasl.enable: the JDK's SASL clients (no LOGIN, no XOAUTH2). */
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.sasl.enable=true" },
	    "PLAIN LOGIN CRAM-MD5", "PLAIN", 1 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.sasl.enable=true" },
	    "LOGIN CRAM-MD5 PLAIN", "CRAM-MD5", 1 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.sasl.enable=true",
	    "mail.smtp.sasl.mechanisms=CRAM-MD5" }, "PLAIN CRAM-MD5",
	    "CRAM-MD5", 1 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.sasl.enable=true",
	    "mail.smtp.sasl.mechanisms=XOAUTH2,CRAM-MD5" }, "PLAIN CRAM-MD5",
	    "CRAM-MD5", 1 },
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.sasl.enable=true" },
	    "LOGIN XOAUTH2", "LOGIN", 0 },	/* falls back */
	{ MAIL_LIB_JAVAMAIL16, { "mail.smtp.sasl.enable=true",
	    "mail.smtp.sasl.mechanisms=CRAM-MD5" }, "LOGIN PLAIN", "LOGIN",
	    0 },
	/* Angus Mail 2.x: the same authenticators, the same order. */
	{ MAIL_LIB_ANGUS2, { NULL }, "PLAIN LOGIN", "LOGIN", 0 },
	{ MAIL_LIB_ANGUS2, { NULL }, "XOAUTH2 NTLM", "NTLM", 0 },
	{ MAIL_LIB_ANGUS2, { "mail.smtp.auth.login.disable=true" },
	    "PLAIN LOGIN", "PLAIN", 0 },
	{ MAIL_LIB_ANGUS2, { "mail.smtp.auth.mechanisms=XOAUTH2" },
	    "LOGIN XOAUTH2", "XOAUTH2", 0 },
};

static void
test_choice(void)
{
	size_t i, k;

	for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		const struct choice_case *c = &choices[i];
		struct settings set;
		struct sasl_choice ch;
		char key[128];
		int ok;

		settings_init(&set, c->lib);
		for (k = 0; k < 4 && c->settings[k] != NULL; k++) {
			const char *eq = strchr(c->settings[k], '=');

			snprintf(key, sizeof(key), "%.*s",
			    (int)(eq - c->settings[k]), c->settings[k]);
			props_set(set.p, key, eq + 1, NULL);
		}
		sasl_java_choice(&set, c->offered, &ch);
		ok = strcmp(ch.name, c->want) == 0 &&
		    ch.via_sasl == c->via_sasl &&
		    (ch.mech == SASL_NONE) == (c->want[0] == '\0') &&
		    ch.why[0] != '\0';
		CHECK(ok);
		if (!ok)
			printf("#   case %zu: offered \"%s\", %s: got \"%s\" "
			    "(sasl %d), want \"%s\"\n#   why: %s\n", i,
			    c->offered, c->settings[0] ? c->settings[0] :
			    "defaults", ch.name, ch.via_sasl, c->want, ch.why);
		settings_free(&set);
	}
}

static void
test_choice_words(void)
{
	struct settings set;
	struct sasl_choice ch;

	settings_init(&set, MAIL_LIB_JAVAMAIL16);
	sasl_java_choice(&set, "CRAM-MD5", &ch);
	CHECK(strstr(ch.why, "No authentication mechanisms supported by "
	    "both server and client") != NULL);
	CHECK_STR(ch.order, "LOGIN PLAIN DIGEST-MD5 NTLM");
	props_set(set.p, "mail.smtp.auth.mechanisms", "LOGIN,PLAIN", NULL);
	sasl_java_choice(&set, "LOGIN PLAIN", &ch);
	CHECK(strstr(ch.why, "not commas") != NULL);
	CHECK(ch.explicit_list);
	settings_free(&set);
	settings_init(&set, MAIL_LIB_JAVAMAIL16);
	sasl_java_choice(&set, "PLAIN LOGIN", &ch);
	CHECK(strstr(ch.why, "JavaMail 1.6.2") != NULL);
	CHECK(!ch.explicit_list);
	settings_free(&set);
}

static void
test_names(void)
{
	CHECK(sasl_mech_parse("cram-md5") == SASL_CRAM_MD5);
	CHECK(sasl_mech_parse("SCRAM-SHA-1") == SASL_OTHER);
	CHECK_STR(sasl_mech_name(SASL_XOAUTH2), "XOAUTH2");
	CHECK(sasl_mech_testable(SASL_LOGIN) && sasl_mech_testable(SASL_PLAIN)
	    && sasl_mech_testable(SASL_CRAM_MD5) &&
	    sasl_mech_testable(SASL_XOAUTH2));
	CHECK(!sasl_mech_testable(SASL_NTLM) &&
	    !sasl_mech_testable(SASL_DIGEST_MD5) &&
	    !sasl_mech_testable(SASL_NONE));
	CHECK(sasl_offered("PLAIN LOGIN", "login"));
	CHECK(!sasl_offered("PLAIN-CLIENTTOKEN", "PLAIN"));
	CHECK(!sasl_offered("XOAUTH2", "XOAUTH"));
	CHECK(!sasl_offered(NULL, "PLAIN"));
}

static void
test_dot_stuff(void)
{
	char out[128];

	CHECK_INT(mail_dot_stuff("a\n.b\n..c\n.", 11, out, sizeof(out)), 17);
	CHECK_STR(out, "a\r\n..b\r\n...c\r\n..");
	CHECK(mail_dot_stuff(".x\r\ny\rz", 8, out, sizeof(out)) > 0);
	CHECK_STR(out, "..x\r\ny\r\nz");
	CHECK_INT(mail_dot_stuff("abc", 3, out, 4), 0);
}

static void
test_message(void)
{
	struct mail_msg m = { "js7@example.com", "ops@example.org",
	    "smtp.example.com:587", "joc.example.com",
	    "<smtpwiz.1.2@joc.example.com>", 1767225600 };
	char buf[4096];
	size_t n = mail_test_message(&m, buf, sizeof(buf));

	CHECK(n > 0 && n == strlen(buf));
	CHECK(strncmp(buf, "Date: ", 6) == 0);
	CHECK(strstr(buf, "\r\nFrom: <js7@example.com>\r\n") != NULL);
	CHECK(strstr(buf, "\r\nTo: <ops@example.org>\r\n") != NULL);
	CHECK(strstr(buf, "\r\nMessage-ID: <smtpwiz.1.2@joc.example.com>"
	    "\r\n") != NULL);
	CHECK(strstr(buf, "Subject: smtpwiz test message") != NULL);
	CHECK(strstr(buf, "smtpwiz 0") != NULL);
	/* The dot line is stuffed; the message ends in CRLF . CRLF. */
	CHECK(strstr(buf, "\r\n..This line starts with a dot") != NULL);
	CHECK(n > 5 && strcmp(buf + n - 5, "\r\n.\r\n") == 0);
	/* Only CRLF line ends, no bare LF. */
	{
		size_t i;
		int bare = 0;

		for (i = 0; i < n; i++)
			bare |= buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r');
		CHECK(!bare);
	}
	CHECK_INT(mail_test_message(&m, buf, 100), 0);
}

static void
test_queue_id(void)
{
	static const char *const v[][2] = {
		{ "2.0.0 Ok: queued as 4XbQ2m1Jz9z9sZ", "4XbQ2m1Jz9z9sZ" },
		{ "OK id=1tXyZa-000AbC-9Q", "1tXyZa-000AbC-9Q" },
		{ "2.0.0 5BJ9rT1q012345 Message accepted for delivery",
		    "5BJ9rT1q012345" },
		{ "2.0.0 6d3bd5a9 Message accepted for delivery", "6d3bd5a9" },
		{ "2.6.0 <abc@host.example> [InternalId=123456789, "
		    "Hostname=AM0PR01MB1234.eurprd01.prod.exchangelabs.com] "
		    "Queued mail for delivery", "123456789" },
		{ "2.0.0 OK  1767225600 d9443c01a7336-1d0c1a2b3c4si1234567"
		    "plb.123 - gsmtp",
		    "d9443c01a7336-1d0c1a2b3c4si1234567plb.123" },
		{ "2.0.0 Ok: queued as 75D5E62C45C3.", "75D5E62C45C3" },
	};
	char out[80];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK(mail_queue_id(v[i][0], out, sizeof(out)) == 1);
		CHECK_STR(out, v[i][1]);
	}
	CHECK(mail_queue_id("2.0.0 Message accepted", out, sizeof(out)) == 0);
	CHECK(mail_queue_id("2.0.0 Ok", out, sizeof(out)) == 0);
	CHECK_STR(out, "");
}

static void
test_addresses(void)
{
	CHECK(mail_test_check_address("js7@example.com", NULL) == SW_OK);
	CHECK(mail_test_check_address("a.b+c@d-e.example", NULL) == SW_OK);
	CHECK(mail_test_check_address("", NULL) == SW_EUSAGE);
	CHECK(mail_test_check_address("no-at-sign", NULL) == SW_EUSAGE);
	CHECK(mail_test_check_address("@example.com", NULL) == SW_EUSAGE);
	CHECK(mail_test_check_address("a@", NULL) == SW_EUSAGE);
	CHECK(mail_test_check_address("a@b@c", NULL) == SW_EUSAGE);
	CHECK(mail_test_check_address("a b@c", NULL) == SW_EUSAGE);
	CHECK(mail_test_check_address("<a@b>", NULL) == SW_EUSAGE);
	CHECK(mail_test_check_address("a@b\r\nRCPT TO:<x@y>", NULL) ==
	    SW_EUSAGE);
	CHECK(mail_test_check_address("j\xc3\xb6rg@example.com", NULL) ==
	    SW_EUSAGE);
	CHECK_STR(mail_result_name(MAIL_ACCEPTED), "accepted");
	CHECK_STR(mail_result_name(MAIL_NOT_REQUESTED), "not-requested");
}

int
main(void)
{
	test_b64();
	test_plain_login();
	test_cram_md5();
	test_xoauth2();
	test_leaks();
	test_choice();
	test_choice_words();
	test_names();
	test_dot_stuff();
	test_message();
	test_queue_id();
	test_addresses();
	return tap_done();
}
