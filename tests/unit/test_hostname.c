/*
 * Host-name matching as Jakarta Mail's checkserveridentity does it (the
 * JDK's LDAP rules, hostname.h): wildcards, case, trailing dots, IP
 * addresses against IP and DNS entries, the CN fallback.
 */
#include <stdio.h>
#include <string.h>

#include "hostname.h"
#include "tap.h"

static const struct {
	const char	*pattern, *host;
	int		 match;
} patterns[] = {
	/* exact, case-blind */
	{ "mail.example.com", "mail.example.com", 1 },
	{ "MAIL.Example.COM", "mail.example.com", 1 },
	{ "mail.example.com", "MAIL.EXAMPLE.COM", 1 },
	{ "mail.example.com", "mail.example.org", 0 },
	{ "mail.example.com", "mail.example.co", 0 },
	{ "mail.example.com", "xmail.example.com", 0 },
	{ "example.com", "mail.example.com", 0 },
	/* one whole left-most label */
	{ "*.example.com", "mail.example.com", 1 },
	{ "*.EXAMPLE.com", "Mail.example.COM", 1 },
	{ "*.example.com", "a.b.example.com", 0 },
	{ "*.example.com", "example.com", 0 },
	{ "*.example.com", ".example.com", 0 },
	{ "*.example.com", "mail.example.org", 0 },
	{ "*.example.com", "mailexample.com", 0 },
	{ "*.b.example.com", "a.b.example.com", 1 },
	/* wildcards that never match */
	{ "*", "localhost", 0 },
	{ "*.", "localhost", 0 },
	{ "*.com", "example.com", 0 },
	{ "*.local", "mail.local", 0 },
	{ "f*o.example.com", "foo.example.com", 0 },
	{ "f*o.example.com", "f*o.example.com", 0 },
	{ "*o.example.com", "foo.example.com", 0 },
	{ "fo*.example.com", "foo.example.com", 0 },
	{ "mail.*.com", "mail.example.com", 0 },
	{ "*.*.example.com", "a.b.example.com", 0 },
	{ "**.example.com", "a.example.com", 0 },
	{ "*.example.*", "a.example.com", 0 },
	/* IDN-ish: A-labels compare as ASCII, U-labels byte for byte */
	{ "xn--bcher-kva.example", "xn--bcher-kva.example", 1 },
	{ "XN--BCHER-KVA.example", "xn--bcher-kva.example", 1 },
	{ "*.xn--bcher-kva.example", "mail.xn--bcher-kva.example", 1 },
	{ "*.example", "xn--bcher-kva.example", 0 },
	{ "xn--bcher-kva.example", "b\xc3\xbc" "cher.example", 0 },
	{ "b\xc3\xbc" "cher.example", "b\xc3\xbc" "cher.example", 1 },
	{ "B\xc3\x9c" "CHER.example", "b\xc3\xbc" "cher.example", 0 },
	{ "*.xn--bcher-kva.example", "xn--bcher-kva.example", 0 },
	/* trailing dots: never equal to the dot-less form */
	{ "mail.example.com.", "mail.example.com", 0 },
	{ "mail.example.com", "mail.example.com.", 0 },
	{ "mail.example.com.", "mail.example.com.", 0 },
	{ "*.example.com.", "mail.example.com", 0 },
	/* malformed */
	{ "", "mail.example.com", 0 },
	{ "mail..example.com", "mail..example.com", 0 },
	{ ".example.com", ".example.com", 0 },
	{ "mail.example.com", "", 0 },
	/* single-label names */
	{ "localhost", "localhost", 1 },
	{ "LOCALHOST", "localhost", 1 },
};

static void
test_patterns(void)
{
	size_t i;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		int got = hostname_pattern_match(patterns[i].pattern,
		    patterns[i].host);

		tap_result(got == patterns[i].match, __FILE__, __LINE__,
		    patterns[i].pattern);
		if (got != patterns[i].match)
			printf("#   \"%s\" vs \"%s\": got %d\n",
			    patterns[i].pattern, patterns[i].host, got);
	}
	CHECK(!hostname_pattern_match(NULL, "a.b"));
	CHECK(!hostname_pattern_match("a.b", NULL));
}

static void
test_ip_parse(void)
{
	struct host_ip ip;

	CHECK(hostname_parse_ip("127.0.0.1", &ip));
	CHECK_INT(ip.len, 4);
	CHECK(ip.addr[0] == 127 && ip.addr[3] == 1);
	CHECK(hostname_parse_ip("::1", &ip));
	CHECK_INT(ip.len, 16);
	CHECK(ip.addr[15] == 1);
	CHECK(hostname_parse_ip("[2001:db8::25]", &ip));
	CHECK_INT(ip.len, 16);
	CHECK(!hostname_parse_ip("mail.example.com", &ip));
	CHECK(!hostname_parse_ip("127.0.0.1.example.com", &ip));
	CHECK(!hostname_parse_ip("256.0.0.1", &ip));
	CHECK(!hostname_parse_ip("[]", &ip));
	CHECK(!hostname_parse_ip("", &ip));
	CHECK(!hostname_parse_ip(NULL, &ip));
}

static void
test_check(void)
{
	static const char *const dns[] = { "mail.example.com",
		"*.smtp.example.com", "127.0.0.1" };
	struct host_ip ips[2];
	struct host_ids ids = { dns, 3, ips, 2, "cn.example.com" };
	struct host_ids cn_only = { NULL, 0, NULL, 0, "cn.example.com" };
	struct host_ids ip_only = { NULL, 0, ips, 2, "cn.example.com" };
	struct host_ids nothing = { NULL, 0, NULL, 0, NULL };
	const char *m;
	char why[256];

	hostname_parse_ip("192.0.2.25", &ips[0]);
	hostname_parse_ip("2001:db8::25", &ips[1]);

	CHECK_INT(hostname_check("mail.example.com", &ids, &m, why,
	    sizeof(why)), HOST_MATCH);
	CHECK_STR(m, "mail.example.com");
	CHECK_INT(hostname_check("Relay.SMTP.example.com", &ids, &m, why,
	    sizeof(why)), HOST_MATCH);
	CHECK_STR(m, "*.smtp.example.com");
	CHECK_INT(hostname_check("a.relay.smtp.example.com", &ids, &m, why,
	    sizeof(why)), HOST_MISMATCH);
	CHECK(m == NULL);
	CHECK_STR(why, "No subject alternative DNS name matching "
	    "a.relay.smtp.example.com found.");
	/* With DNS names present, the CN is not consulted. */
	CHECK_INT(hostname_check("cn.example.com", &ids, &m, why, sizeof(why)),
	    HOST_MISMATCH);
	/* ... and it is when there are none, also beside IP entries. */
	CHECK_INT(hostname_check("cn.example.com", &cn_only, &m, why,
	    sizeof(why)), HOST_MATCH);
	CHECK_STR(m, "cn.example.com");
	CHECK_INT(hostname_check("CN.example.com", &ip_only, &m, why,
	    sizeof(why)), HOST_MATCH);
	CHECK_INT(hostname_check("other.example.com", &cn_only, &m, why,
	    sizeof(why)), HOST_MISMATCH);
	CHECK_STR(why, "No name matching other.example.com found.");
	CHECK_INT(hostname_check("other.example.com", &nothing, &m, why,
	    sizeof(why)), HOST_MISMATCH);

	/* IP targets: IP entries only, compared as addresses. */
	CHECK_INT(hostname_check("192.0.2.25", &ids, &m, why, sizeof(why)),
	    HOST_MATCH);
	CHECK_INT(hostname_check("2001:DB8:0:0:0:0:0:25", &ids, NULL, why,
	    sizeof(why)), HOST_MATCH);
	CHECK_INT(hostname_check("[2001:db8::25]", &ids, NULL, NULL, 0),
	    HOST_MATCH);
	CHECK_INT(hostname_check("192.0.2.26", &ids, NULL, why, sizeof(why)),
	    HOST_MISMATCH);
	CHECK_STR(why, "No subject alternative names matching IP address "
	    "192.0.2.26 found.");
	/* A DNS entry spelling an address does not count for an IP. */
	CHECK_INT(hostname_check("127.0.0.1", &ids, NULL, why, sizeof(why)),
	    HOST_MISMATCH);
	/* Nor does a CN, even when it is the address. */
	{
		struct host_ids cn_ip = { NULL, 0, NULL, 0, "192.0.2.25" };

		CHECK_INT(hostname_check("192.0.2.25", &cn_ip, NULL, why,
		    sizeof(why)), HOST_MISMATCH);
		CHECK(strstr(why, "No subject alternative names present") !=
		    NULL);
	}
	/* Java's InetAddress takes ::ffff:a.b.c.d as the IPv4 address. */
	CHECK_INT(hostname_check("::ffff:192.0.2.25", &ids, NULL, NULL, 0),
	    HOST_MATCH);
	CHECK_INT(hostname_check("::ffff:192.0.2.26", &ids, NULL, NULL, 0),
	    HOST_MISMATCH);
	/* An IP entry never matches a name. */
	CHECK_INT(hostname_check("mail.example.org", &ip_only, NULL, NULL, 0),
	    HOST_MISMATCH);

	/* Host names Java refuses before comparing. */
	CHECK_INT(hostname_check("mail.example.com.", &ids, NULL, why,
	    sizeof(why)), HOST_BAD_NAME);
	CHECK(strstr(why, "ends in a dot") != NULL);
	CHECK_INT(hostname_check("", &ids, NULL, why, sizeof(why)),
	    HOST_BAD_NAME);
	CHECK_INT(hostname_check(NULL, &ids, NULL, why, sizeof(why)),
	    HOST_BAD_NAME);
	CHECK_INT(hostname_check("mail..example.com", &ids, NULL, why,
	    sizeof(why)), HOST_BAD_NAME);
}

/* Names from a certificate that may become a settings value, and not. */
static const struct {
	const char	*name;
	int		 valid;
} names[] = {
	{ "localhost", 1 },
	{ "mail.example.com", 1 },
	{ "MAIL.Example.COM", 1 },
	{ "xn--bcher-kva.example", 1 },
	{ "a-b.c-d.example", 1 },
	{ "1mail.example.com", 1 },
	{ "mail.123a", 1 },
	{ "", 0 },
	{ ".", 0 },
	{ "mail.example.com.", 0 },		/* Java refuses it */
	{ ".example.com", 0 },
	{ "mail..example.com", 0 },
	{ "*.example.com", 0 },
	{ "*", 0 },
	{ "-mail.example.com", 0 },
	{ "mail-.example.com", 0 },
	{ "mail.-x.com", 0 },
	{ "127.0.0.1", 0 },			/* an address */
	{ "10.1", 0 },
	{ "${jndi:ldap://x}", 0 },
	{ "${smtp.host}", 0 },
	{ "mail.example.com${x}", 0 },
	{ "\"mail.example.com\"", 0 },
	{ "'mail.example.com'", 0 },
	{ "mail.example.com#x", 0 },
	{ "mail.example.com x", 0 },
	{ " mail.example.com", 0 },
	{ "mail.example.com ", 0 },
	{ "mail\texample.com", 0 },
	{ "mail.example.com\r\nX: y", 0 },
	{ "mail\x1b[31m.example", 0 },
	{ "b\xc3\xbc" "cher.example", 0 },
	{ "mail_1.example.com", 0 },
	{ "mail.example.com:25", 0 },
	{ "mail.example.com=x", 0 },
	{ "mail\\.example.com", 0 },
	{ "mail/x.example.com", 0 },
	{ "[::1]", 0 },
	{ "::1", 0 },
};

static void
test_valid(void)
{
	char label[80], name[512];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int got = hostname_valid(names[i].name);

		tap_result(got == names[i].valid, __FILE__, __LINE__,
		    "hostname_valid");
		if (got != names[i].valid)
			printf("#   \"%s\": got %d\n", names[i].name, got);
	}
	CHECK(!hostname_valid(NULL));
	/* 63 bytes a label, 253 in all */
	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(name, sizeof(name), "%s.example", label);
	CHECK(hostname_valid(name));
	snprintf(name, sizeof(name), "a%s.example", label);
	CHECK(!hostname_valid(name));
	snprintf(name, sizeof(name), "%s.%s.%s.%.61s", label, label, label,
	    label);
	CHECK_INT(strlen(name), 253);
	CHECK(hostname_valid(name));
	snprintf(name, sizeof(name), "%s.%s.%s.%.62s", label, label, label,
	    label);
	CHECK(!hostname_valid(name));
}

int
main(void)
{
	test_patterns();
	test_valid();
	test_ip_parse();
	test_check();
	return tap_done();
}
