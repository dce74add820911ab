/*
 * provider.c: assets/providers.txt read whole and matched by host name
 * and by greeting (real greetings of Microsoft 365, on-premises
 * Exchange, Gmail, Amazon SES), a host match beating a greeting match,
 * lookup by id, what each requires, and malformed records named by
 * their line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "tap.h"

static const char *
match(const char *host, const char *greeting, enum provider_by *by)
{
	static struct provider p;
	struct sw_error e = { 0 };

	memset(&p, 0, sizeof(p));
	if (provider_lookup(NULL, host, greeting, &p, by, &e) != SW_OK) {
		printf("# %s\n", sw_error_text(&e));
		return "(error)";
	}
	return *by == PROVIDER_BY_NONE ? "" : p.id;
}

static void
test_hosts(void)
{
	static const char *const v[][2] = {
		{ "smtp.office365.com", "microsoft365" },
		{ "SMTP.Office365.COM", "microsoft365" },
		{ "smtp-mail.outlook.com", "outlook" },
		{ "smtp.gmail.com", "gmail" },
		{ "smtp-relay.gmail.com", "gmail" },
		{ "email-smtp.eu-west-1.amazonaws.com", "ses" },
		{ "email-smtp.us-east-1.amazonaws.com", "ses" },
		{ "smtp.sendgrid.net", "sendgrid" },
		{ "smtp.eu.mailgun.org", "mailgun" },
		{ "smtp.mail.yahoo.com", "yahoo" },
		{ "localhost", "" },
		{ "mail.example.com", "" },
		{ "gmail.com.evil.example", "" },
		{ "ec2-1-2-3-4.compute.amazonaws.com", "" },
	};
	enum provider_by by;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_STR(match(v[i][0], NULL, &by), v[i][1]);
		if (v[i][1][0] != '\0')
			CHECK(by == PROVIDER_BY_HOST);
	}
}

static void
test_greetings(void)
{
	static const char *const v[][2] = {
		{ "220 AM0PR10CA0001.outlook.office365.com Microsoft ESMTP "
		    "MAIL Service ready at Sat, 29 Nov 2025 12:00:00 +0000",
		    "microsoft365" },
		{ "220 ex01.corp.example Microsoft ESMTP MAIL Service ready "
		    "at Mon, 7 Dec 2026 09:00:00 +0100", "exchange" },
		{ "220 smtp.gmail.com ESMTP d9443c01a7336-21c0 - gsmtp",
		    "gmail" },
		{ "220 email-smtp.amazonaws.com ESMTP SimpleEmailService-"
		    "d-ABCDEF123", "ses" },
		{ "220 SG ESMTP service ready at ismtpd0005p1lon1.sendgrid."
		    "net", "sendgrid" },
		{ "220 localhost ESMTP Postfix (Debian/GNU)", "" },
		{ "220 mail.example.com ESMTP mentions gsmtp but is not", "" },
	};
	enum provider_by by;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_STR(match("localhost", v[i][0], &by), v[i][1]);
		if (v[i][1][0] != '\0')
			CHECK(by == PROVIDER_BY_GREETING);
	}
	/* Only the first line of a multi-line greeting counts. */
	CHECK_STR(match(NULL, "220-mx.example.org ESMTP\r\n220 smtp.gmail."
	    "com ESMTP x - gsmtp", &by), "");
	/* The host name wins over a greeting of another provider. */
	CHECK_STR(match("smtp.gmail.com", "220 x.outlook.com Microsoft "
	    "ESMTP MAIL Service ready", &by), "gmail");
	CHECK(by == PROVIDER_BY_HOST);
}

static void
test_facts(void)
{
	struct provider p;
	enum provider_by by;
	struct sw_error e = { 0 };
	char buf[200];

	CHECK(provider_lookup("microsoft365", NULL, NULL, &p, &by, &e) ==
	    SW_OK && by == PROVIDER_BY_HOST);
	CHECK(p.oauth2 == OAUTH2_REQUIRED);
	CHECK(strstr(p.password, "December 2026") != NULL);
	CHECK(strstr(p.scope, "https://outlook.office365.com/.default") !=
	    NULL);
	CHECK(p.nerror >= 2 && strncmp(p.error[0], "535 5.7.139", 11) == 0);
	CHECK(provider_takes(&p, 587, "starttls"));
	CHECK(!provider_takes(&p, 465, "ssl"));
	CHECK(provider_lookup("gmail", NULL, NULL, &p, &by, &e) == SW_OK);
	provider_submit_text(&p, buf, sizeof(buf));
	CHECK_STR(buf, "587 with STARTTLS, 465 with implicit TLS (SSL)");
	CHECK(p.oauth2 == OAUTH2_RECOMMENDED);
	CHECK_STR(provider_oauth2_name(p.oauth2), "recommended");
	CHECK(provider_lookup("sendgrid", NULL, NULL, &p, &by, &e) == SW_OK);
	CHECK(strstr(p.login, "apikey") != NULL && p.oauth2 == OAUTH2_NO);
	CHECK(provider_lookup("nosuch", NULL, NULL, &p, &by, &e) == SW_OK &&
	    by == PROVIDER_BY_NONE);
}

static void
test_malformed(void)
{
	static const char *const bad[][2] = {
		{ "name: x\n", "line 1" },
		{ "id: a\nsubmit: 587 tls\n", "line 2" },
		{ "id: a\n\n# c\noauth2: maybe\n", "line 4" },
		{ "id: a\nfoo: bar\n", "line 2" },
		{ "  continued\n", "line 1" },
		{ "id: a\nno colon here\n", "line 2" },
	};
	struct provider p;
	enum provider_by by;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sw_error e = { 0 };

		CHECK(provider_match_text(bad[i][0], NULL, "h", NULL, &p, &by,
		    &e) == SW_EASSET);
		CHECK(strstr(sw_error_text(&e), bad[i][1]) != NULL);
	}
	{
		struct sw_error e = { 0 };

		CHECK(provider_match_text("id: a\nname: A\n  b\nhost: h*\n",
		    NULL, "host", NULL, &p, &by, &e) == SW_OK);
		CHECK_STR(p.name, "A b");
	}
}

int
main(void)
{
	setenv("SMTPWIZ_ASSETS", "assets", 0);
	test_hosts();
	test_greetings();
	test_facts();
	test_malformed();
	return tap_done();
}
