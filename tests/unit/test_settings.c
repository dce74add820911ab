/*
 * settings.c: the key table, defaults of both libraries and the values
 * computed from other keys, Java's reading of booleans and numbers,
 * the checks and their messages (commas in lists, "did you mean",
 * mail.smtps.*), settings_set/assign, and loading a file as it is
 * followed by settings_validate().
 */
#include <stdlib.h>
#include <unistd.h>

#include "settings.h"
#include "settings_findings.h"
#include "tap.h"

/* The keys the product must know (the brief's list). */
static const char *const required[] = {
	"host", "port", "connectiontimeout", "timeout", "writetimeout",
	"localhost", "localaddress", "ehlo", "starttls.enable",
	"starttls.required", "ssl.enable", "ssl.protocols", "ssl.ciphersuites",
	"ssl.trust", "ssl.checkserveridentity", "ssl.socketFactory.class",
	"ssl.socketFactory.port", "socketFactory.class", "socketFactory.port",
	"socketFactory.fallback", "auth", "user", "password",
	"auth.mechanisms", "auth.login.disable", "auth.plain.disable",
	"auth.ntlm.disable", "auth.xoauth2.disable", "sasl.enable", "from",
	"socks.host", "socks.port", "proxy.host", "proxy.port", "quitwait",
};

static void
test_table(void)
{
	const struct settings_key *t, *k;
	char name[128];
	size_t n, i, j;
	int bad = 0;

	t = settings_keys(&n);
	CHECK(n >= sizeof(required) / sizeof(required[0]));
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		snprintf(name, sizeof(name), "mail.smtp.%s", required[i]);
		k = settings_key_info(name);
		if (k == NULL || !(k->flags & SETTINGS_CORE))
			printf("# missing or not core: %s\n", name);
		CHECK(k != NULL && (k->flags & SETTINGS_CORE));
	}
	for (i = 0; i < n; i++) {
		k = &t[i];
		if (strncmp(k->name, "mail.smtp.", 10) != 0 || !k->desc ||
		    !*k->desc || !k->def_text ||
		    settings_key_info(k->name) != k)
			bad++;
		if (k->type == SETTINGS_BOOL && (!k->def16 || !k->def2 ||
		    (strcmp(k->def16, "true") && strcmp(k->def16, "false"))))
			bad++;
		if ((k->type == SETTINGS_INT || k->type == SETTINGS_MS) &&
		    k->def16 && (strtol(k->def16, NULL, 10) < k->min ||
		    strtol(k->def16, NULL, 10) > k->max))
			bad++;
		for (j = 0; j < i; j++)
			if (strcmp(t[j].name, k->name) == 0)
				bad++;
		if (bad)
			printf("# bad entry %s\n", k->name);
	}
	CHECK_INT(bad, 0);
	CHECK(settings_key_info("mail.smtp.port")->type == SETTINGS_INT);
	CHECK(settings_key_info("mail.smtp.timeout")->type == SETTINGS_MS);
	CHECK(settings_key_info("mail.smtp.ssl.protocols")->type ==
	    SETTINGS_LIST);
	CHECK(settings_key_info("mail.smtps.port") == NULL);
	CHECK(settings_key_info("mail.smtp.nonsense") == NULL);
	CHECK(settings_key_info("mail.debug") == NULL);
	CHECK(settings_is_secret("mail.smtp.password"));
	CHECK(settings_is_secret("mail.smtps.password"));
	CHECK(settings_is_secret("mail.smtp.proxy.password"));
	CHECK(!settings_is_secret("mail.smtp.user"));
	CHECK(!settings_is_secret("password"));
	CHECK(strstr(settings_lib_name(MAIL_LIB_JAVAMAIL16), "1.6.2"));
	CHECK(strstr(settings_lib_name(MAIL_LIB_ANGUS2), "Angus"));
}

/* ---- defaults -------------------------------------------------------- */

struct def_case {
	const char	*key;
	const char	*javamail16, *angus2;	/* NULL: none */
};

static const struct def_case def_cases[] = {
	{ "mail.smtp.host", "localhost", "localhost" },
	{ "mail.smtp.port", "25", "25" },
	{ "mail.smtp.connectiontimeout", NULL, NULL },
	{ "mail.smtp.timeout", NULL, NULL },
	{ "mail.smtp.writetimeout", NULL, NULL },
	{ "mail.smtp.ssl.checkserveridentity", "false", "true" },
	{ "mail.smtp.ssl.enable", "false", "false" },
	{ "mail.smtp.starttls.enable", "false", "false" },
	{ "mail.smtp.starttls.required", "false", "false" },
	{ "mail.smtp.ehlo", "true", "true" },
	{ "mail.smtp.quitwait", "true", "true" },
	{ "mail.smtp.auth", "false", "false" },
	{ "mail.smtp.auth.mechanisms", "LOGIN PLAIN DIGEST-MD5 NTLM",
	    "LOGIN PLAIN DIGEST-MD5 NTLM" },
	{ "mail.smtp.auth.xoauth2.disable", "true", "true" },
	{ "mail.smtp.socketFactory.fallback", "true", "true" },
	{ "mail.smtp.socks.port", "1080", "1080" },
	{ "mail.smtp.proxy.port", "80", "80" },
	{ "mail.smtp.ssl.protocols", NULL, NULL },
	{ "mail.smtp.socketFactory.port", "25", "25" },
	{ "mail.smtp.ssl.socketFactory.port", "25", "25" },
	{ "mail.smtp.user", NULL, NULL },
	{ "mail.smtp.password", NULL, NULL },
};

static void
check_maybe_null(const char *got, const char *want)
{
	if (want == NULL)
		CHECK(got == NULL);
	else
		CHECK_STR(got, want);
}

static void
test_defaults(void)
{
	struct settings s16, s2;
	size_t i;
	long v = -7;

	CHECK_INT(settings_init(&s16, MAIL_LIB_JAVAMAIL16), SW_OK);
	CHECK_INT(settings_init(&s2, MAIL_LIB_ANGUS2), SW_OK);
	for (i = 0; i < sizeof(def_cases) / sizeof(def_cases[0]); i++) {
		printf("# %s\n", def_cases[i].key);
		check_maybe_null(settings_effective(&s16, def_cases[i].key),
		    def_cases[i].javamail16);
		check_maybe_null(settings_effective(&s2, def_cases[i].key),
		    def_cases[i].angus2);
		CHECK(settings_get(&s16, def_cases[i].key) == NULL);
	}
	CHECK_STR(settings_default(MAIL_LIB_JAVAMAIL16,
	    "mail.smtp.ssl.checkserveridentity"), "false");
	CHECK_STR(settings_default(MAIL_LIB_ANGUS2,
	    "mail.smtp.ssl.checkserveridentity"), "true");
	CHECK(settings_default(MAIL_LIB_ANGUS2, "mail.smtp.nope") == NULL);
	CHECK(!settings_bool(&s16, "mail.smtp.ssl.checkserveridentity"));
	CHECK(settings_bool(&s2, "mail.smtp.ssl.checkserveridentity"));
	CHECK(settings_bool(&s16, "mail.smtp.ehlo"));
	CHECK(!settings_bool(&s16, "mail.smtp.auth"));
	CHECK(!settings_bool(&s16, "mail.smtp.unknown"));
	CHECK_INT(settings_int(&s16, "mail.smtp.timeout", &v), 0);
	CHECK_INT(v, -7);
	CHECK_INT(settings_int(&s16, "mail.smtp.port", &v), 1);
	CHECK_INT(v, 25);
	/* Computed: the port follows ssl.enable, the factories the port. */
	CHECK_INT(settings_set(&s16, "mail.smtp.ssl.enable", "true", NULL),
	    SW_OK);
	CHECK_STR(settings_effective(&s16, "mail.smtp.port"), "465");
	CHECK_STR(settings_effective(&s16, "mail.smtp.socketFactory.port"),
	    "465");
	CHECK_INT(settings_set(&s16, "mail.smtp.port", "2465", NULL), SW_OK);
	CHECK_STR(settings_effective(&s16, "mail.smtp.port"), "2465");
	CHECK_STR(settings_effective(&s16, "mail.smtp.ssl.socketFactory.port"),
	    "2465");
	/* host and user fall back to mail.host and mail.user. */
	CHECK_INT(settings_set(&s2, "mail.host", "relay.example.com", NULL),
	    SW_OK);
	CHECK_INT(settings_set(&s2, "mail.user", "u", NULL), SW_OK);
	CHECK_STR(settings_effective(&s2, "mail.smtp.host"),
	    "relay.example.com");
	CHECK_STR(settings_effective(&s2, "mail.smtp.user"), "u");
	CHECK_INT(settings_set(&s2, "mail.smtp.host", "smtp.example.com",
	    NULL), SW_OK);
	CHECK_STR(settings_effective(&s2, "mail.smtp.host"),
	    "smtp.example.com");
	settings_free(&s16);
	settings_free(&s2);
}

/* Java's reading of values that pass the file format but not a check. */
static void
test_java_reading(void)
{
	struct settings s;
	long v = 0;

	settings_init(&s, MAIL_LIB_JAVAMAIL16);
	props_set(s.p, "mail.smtp.auth", "TRUE", NULL);
	props_set(s.p, "mail.smtp.starttls.enable", "yes", NULL);
	props_set(s.p, "mail.smtp.ssl.enable", "true ", NULL);
	props_set(s.p, "mail.smtp.ehlo", "no", NULL);
	props_set(s.p, "mail.smtp.quitwait", "False", NULL);
	props_set(s.p, "mail.smtp.port", "587 ", NULL);
	props_set(s.p, "mail.smtp.timeout", "0x7530", NULL);
	props_set(s.p, "mail.smtp.connectiontimeout", "+5000", NULL);
	props_set(s.p, "mail.smtp.writetimeout", "", NULL);
	CHECK(settings_bool(&s, "mail.smtp.auth"));
	CHECK(!settings_bool(&s, "mail.smtp.starttls.enable"));
	CHECK(!settings_bool(&s, "mail.smtp.ssl.enable"));
	CHECK(settings_bool(&s, "mail.smtp.ehlo"));	/* default true */
	CHECK(!settings_bool(&s, "mail.smtp.quitwait"));
	CHECK_STR(settings_get(&s, "mail.smtp.port"), "587 ");
	CHECK_STR(settings_effective(&s, "mail.smtp.port"), "25");
	CHECK_INT(settings_int(&s, "mail.smtp.port", &v), 1);
	CHECK_INT(v, 25);
	CHECK_INT(settings_int(&s, "mail.smtp.timeout", &v), 1);
	CHECK_INT(v, 30000);
	CHECK_INT(settings_int(&s, "mail.smtp.connectiontimeout", &v), 1);
	CHECK_INT(v, 5000);
	CHECK(settings_effective(&s, "mail.smtp.writetimeout") == NULL);
	CHECK_INT(settings_int(&s, "mail.smtp.writetimeout", &v), 0);
	settings_free(&s);
}

/* ---- checks ------------------------------------------------------------ */

struct check_case {
	enum mail_lib		 lib;
	const char		*key, *value;
	enum settings_level	 level;
	const char		*msg;		/* part of it; NULL: none */
};

#define J16	MAIL_LIB_JAVAMAIL16
#define A2	MAIL_LIB_ANGUS2
#define OK	SETTINGS_OK
#define WARN	SETTINGS_WARN
#define ERR	SETTINGS_ERROR

static const struct check_case check_cases[] = {
	/* booleans */
	{ J16, "mail.smtp.auth", "true", OK, NULL },
	{ J16, "mail.smtp.auth", "TRUE", OK, NULL },
	{ J16, "mail.smtp.auth", "False", OK, NULL },
	{ J16, "mail.smtp.auth", "", OK, NULL },
	{ J16, "mail.smtp.auth", "yes", ERR,
	    "mail.smtp.auth must be true or false, not \"yes\"; Java reads "
	    "it as false" },
	{ J16, "mail.smtp.ehlo", "no", ERR, "Java reads it as true" },
	{ J16, "mail.smtp.starttls.enable", "true ", ERR,
	    "\"true \" has blanks around it; Java compares the whole text "
	    "and reads it as false" },
	{ J16, "mail.smtp.ssl.enable", "1", ERR, "must be true or false" },
	/* numbers */
	{ J16, "mail.smtp.port", "587", OK, NULL },
	{ J16, "mail.smtp.port", "", OK, NULL },
	{ J16, "mail.smtp.port", "abc", ERR,
	    "mail.smtp.port: \"abc\" is not a number; Java ignores it and "
	    "uses the default (25; 465 when ssl.enable is true)" },
	{ J16, "mail.smtp.port", "587 ", ERR, "(blanks around it)" },
	{ J16, "mail.smtp.port", "0", ERR,
	    "mail.smtp.port must be 1-65535, not 0" },
	{ J16, "mail.smtp.port", "65536", ERR, "must be 1-65535" },
	{ J16, "mail.smtp.port", "-1", ERR, "must be 1-65535" },
	{ J16, "mail.smtp.port", "99999999999", ERR, "is not a number" },
	{ J16, "mail.smtp.port", "+587", WARN,
	    "Java reads \"+587\" as 587; write 587" },
	{ J16, "mail.smtp.port", "0x24b", WARN, "as 587" },
	{ J16, "mail.smtp.socks.port", "1080", OK, NULL },
	{ J16, "mail.smtp.timeout", "30000", OK, NULL },
	{ J16, "mail.smtp.timeout", "30s", ERR, "is not a number" },
	{ J16, "mail.smtp.timeout", "-1", ERR, "negative" },
	{ J16, "mail.smtp.timeout", "0", WARN, "0 makes Java wait forever" },
	{ J16, "mail.smtp.connectiontimeout", "30", WARN,
	    "30 ms is less than a second" },
	{ J16, "mail.smtp.auth.ntlm.flags", "-5", OK, NULL },
	/* lists */
	{ J16, "mail.smtp.ssl.protocols", "TLSv1.2", OK, NULL },
	{ J16, "mail.smtp.ssl.protocols", " TLSv1.2  TLSv1.3 ", OK, NULL },
	{ J16, "mail.smtp.ssl.protocols", "TLSv1.2,TLSv1.3", ERR,
	    "mail.smtp.ssl.protocols: \"TLSv1.2,TLSv1.3\" has a comma, but "
	    "Java splits this list on spaces only and would take it as one "
	    "name; write \"TLSv1.2 TLSv1.3\"" },
	{ J16, "mail.smtp.ssl.protocols", "TLSv1.2, TLSv1.3", ERR,
	    "write \"TLSv1.2 TLSv1.3\"" },
	{ J16, "mail.smtp.ssl.protocols", "TLSv1.1,TLSv.1.2", ERR,
	    "has a comma" },
	{ J16, "mail.smtp.ssl.protocols", "TLSv.1.2", ERR,
	    "Java knows no protocol \"TLSv.1.2\" and fails the handshake; "
	    "did you mean TLSv1.2?" },
	{ J16, "mail.smtp.ssl.protocols", "tlsv1.3", ERR,
	    "did you mean TLSv1.3?" },
	{ J16, "mail.smtp.ssl.protocols", "TLS1.2", ERR, "did you mean" },
	{ J16, "mail.smtp.ssl.protocols", "TLSv1", WARN, "insecure" },
	{ J16, "mail.smtp.ssl.protocols", "", ERR, "empty" },
	{ J16, "mail.smtp.ssl.ciphersuites",
	    "TLS_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	    OK, NULL },
	{ J16, "mail.smtp.ssl.ciphersuites",
	    "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384", ERR,
	    "has a comma" },
	{ J16, "mail.smtp.ssl.ciphersuites", "TLS_AES_128_GCM_SHA256,"
	    "TLS_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ERR,
	    "mail.smtp.ssl.ciphersuites has commas, but Java splits this list "
	    "on spaces only and would take "
	    "\"TLS_AES_128_GCM_SHA256,TLS_AES...\" as one name; separate the "
	    "names with spaces" },
	{ J16, "mail.smtp.ssl.ciphersuites", "ECDHE-RSA-AES128-GCM-SHA256",
	    ERR, "not a Java suite name" },
	{ J16, "mail.smtp.auth.mechanisms", "LOGIN PLAIN", OK, NULL },
	{ J16, "mail.smtp.auth.mechanisms", "xoauth2", OK, NULL },
	{ J16, "mail.smtp.auth.mechanisms", "LOGIN,PLAIN", ERR,
	    "write \"LOGIN PLAIN\"" },
	{ J16, "mail.smtp.auth.mechanisms", "CRAM-MD5", WARN,
	    "no \"CRAM-MD5\" mechanism" },
	{ J16, "mail.smtp.ssl.trust", "*", OK, NULL },
	{ J16, "mail.smtp.ssl.trust", "a.example.com b.example.com", OK,
	    NULL },
	{ J16, "mail.smtp.ssl.trust", "a.example.com,b.example.com", ERR,
	    "has a comma" },
	/* strings */
	{ J16, "mail.smtp.host", "smtp.example.com", OK, NULL },
	{ J16, "mail.smtp.host", "::1", OK, NULL },
	{ J16, "mail.smtp.host", "smtp.example.com:587", ERR,
	    "has a port in it" },
	{ J16, "mail.smtp.host", " smtp.example.com", ERR,
	    "the name will not resolve" },
	{ J16, "mail.smtp.host", "\"smtp.example.com\"", WARN,
	    "the quotes are part of the value" },
	{ J16, "mail.smtp.from", "jobs@example.com ", WARN, "Java keeps them" },
	{ J16, "mail.smtp.password", " s3cret, \"x\" ", OK, NULL },
	/* keys */
	{ J16, "mail.smtp.starttls.enabled", "true", WARN,
	    "mail.smtp.starttls.enabled is not a key the mail library reads; "
	    "did you mean mail.smtp.starttls.enable?" },
	{ J16, "mail.smtp.ssl.socketfactory.class", "x", WARN,
	    "did you mean mail.smtp.ssl.socketFactory.class?" },
	{ J16, "mail.smtp.ssl.protocol", "TLSv1.2", WARN,
	    "did you mean mail.smtp.ssl.protocols?" },
	{ J16, "mail.smtp.connectiontimout", "1000", WARN,
	    "did you mean mail.smtp.connectiontimeout?" },
	{ J16, "mail.smpt.host", "x", WARN, "did you mean mail.smtp.host?" },
	{ J16, "mail.smtp.frobnicate", "x", WARN, "not a key the mail "
	    "library reads" },
	{ J16, "smtp.host", "x", WARN, "not a mail.* property: the mail "
	    "library ignores it; did you mean mail.smtp.host?" },
	{ J16, "spring.mail.properties.mail.smtp.auth", "true", WARN,
	    "did you mean mail.smtp.auth?" },
	{ J16, "server.port", "8080", WARN, "not a mail.* property" },
	{ J16, "mail.debug", "true", OK, NULL },
	{ J16, "mail.transport.protocol", "smtp", OK, NULL },
	{ J16, "mail.imap.host", "x", OK, NULL },
	{ J16, "mail.pop3.port", "110", OK, NULL },
	{ J16, "mail.stmp.auth", "true", WARN, "did you mean mail.smtp.auth?" },
	{ J16, "mail.debgu", "true", WARN, "did you mean mail.debug?" },
	{ J16, "mail.smtps.port", "465", WARN,
	    "mail.smtps.port is read only by the smtps transport; the smtp "
	    "transport (used by JS7 notifications) reads mail.smtp.port" },
	{ J16, "mail.smtps.port", "465x", ERR, "is not a number" },
	{ J16, "mail.smtps.starttls.enabled", "true", WARN,
	    "did you mean mail.smtp.starttls.enable?" },
	{ J16, "mail.smtp.ssl.socketFactory", "javax.net.ssl.SSLSocketFactory",
	    WARN, "must be a Java object set from code (Properties.put); as "
	    "text it is ignored: use mail.smtp.ssl.socketFactory.class" },
	{ J16, "mail.smtp.quitonsessionreject", "true", WARN,
	    "read only by Angus Mail" },
	{ A2, "mail.smtp.quitonsessionreject", "true", OK, NULL },
	{ A2, "mail.smtp.quitonsessionreject", "maybe", ERR,
	    "must be true or false" },
	{ J16, "mail.smtp.dsn.notify", "SUCCESS,FAILURE", OK, NULL },
};

static void
test_checks(void)
{
	const struct check_case *c;
	struct sw_error msg;
	enum settings_level lv;
	size_t i;

	for (i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		c = &check_cases[i];
		sw_error_clear(&msg);
		lv = settings_check(c->lib, c->key, c->value, &msg);
		printf("# %s=%s: %s\n", c->key, c->value, msg.msg);
		CHECK_INT(lv, c->level);
		if (c->msg == NULL)
			CHECK_STR(msg.msg, "");
		else
			CHECK(strstr(msg.msg, c->msg) != NULL);
		if (c->level != OK)
			CHECK_INT(msg.code, SW_EUSAGE);
	}
	/* msg may be NULL. */
	CHECK_INT(settings_check(J16, "mail.smtp.port", "x", NULL), ERR);
}

/* ---- set / assign ------------------------------------------------------ */

static void
test_set(void)
{
	struct sw_error err = { 0 };
	struct settings s;

	settings_init(&s, MAIL_LIB_JAVAMAIL16);
	CHECK_INT(settings_set(&s, "mail.smtp.port", "587", &err), SW_OK);
	CHECK_INT(err.code, SW_OK);
	CHECK_STR(settings_get(&s, "mail.smtp.port"), "587");
	/* An error leaves the old value. */
	CHECK_INT(settings_set(&s, "mail.smtp.port", "587 ", &err), SW_EUSAGE);
	CHECK(strstr(err.msg, "not a number") != NULL);
	CHECK_STR(settings_get(&s, "mail.smtp.port"), "587");
	/* A warning stores, returns SW_OK, and fills err. */
	sw_error_clear(&err);
	CHECK_INT(settings_set(&s, "mail.smtp.starttls.enabled", "true", &err),
	    SW_OK);
	CHECK_INT(err.code, SW_EUSAGE);
	CHECK(strstr(err.msg, "did you mean mail.smtp.starttls.enable?"));
	CHECK_STR(settings_get(&s, "mail.smtp.starttls.enabled"), "true");
	/* NULL removes. */
	sw_error_clear(&err);
	CHECK_INT(settings_set(&s, "mail.smtp.starttls.enabled", NULL, &err),
	    SW_OK);
	CHECK(settings_get(&s, "mail.smtp.starttls.enabled") == NULL);
	CHECK_INT(settings_unset(&s, "mail.smtp.port"), 1);
	CHECK_INT(settings_unset(&s, "mail.smtp.port"), 0);
	/* A secret's value never appears in a message. */
	CHECK_INT(settings_set(&s, "mail.smtps.password", "hunter2", &err),
	    SW_OK);
	CHECK(strstr(err.msg, "hunter2") == NULL);
	/* Assignments. */
	sw_error_clear(&err);
	CHECK_INT(settings_assign(&s, "mail.smtp.ssl.protocols=TLSv1.2 TLSv1.3",
	    &err), SW_OK);
	CHECK_STR(settings_get(&s, "mail.smtp.ssl.protocols"),
	    "TLSv1.2 TLSv1.3");
	CHECK_INT(settings_assign(&s, " mail.smtp.port =2525", &err), SW_OK);
	CHECK_STR(settings_get(&s, "mail.smtp.port"), "2525");
	CHECK_INT(settings_assign(&s, "mail.smtp.ssl.trust=a=b", &err), SW_OK);
	CHECK_STR(settings_get(&s, "mail.smtp.ssl.trust"), "a=b");
	CHECK_INT(err.code, SW_OK);
	CHECK_INT(settings_assign(&s, "mail.smtp.port = 25", &err), SW_EUSAGE);
	sw_error_clear(&err);
	CHECK_INT(settings_assign(&s, "mail.smtp.port", &err), SW_EUSAGE);
	CHECK(strstr(err.msg, "is not KEY=VALUE") != NULL);
	sw_error_clear(&err);
	CHECK_INT(settings_assign(&s, " =x", &err), SW_EUSAGE);
	CHECK(strstr(err.msg, "no key") != NULL);
	sw_error_clear(&err);
	CHECK_INT(settings_assign(&s, "mail.smtp.auth.mechanisms=LOGIN,PLAIN",
	    &err), SW_EUSAGE);
	CHECK(strstr(err.msg, "spaces only") != NULL);
	settings_free(&s);
}

/* ---- load and validate -------------------------------------------------- */

struct issues {
	int	n, errors, warnings;
	char	all[4096];
};

static void
collect(void *arg, enum settings_level lv, const char *key, const char *msg)
{
	struct issues *is = arg;
	size_t len = strlen(is->all);

	is->n++;
	is->errors += lv == SETTINGS_ERROR;
	is->warnings += lv == SETTINGS_WARN;
	snprintf(is->all + len, sizeof(is->all) - len, "[%s] %s\n", key, msg);
}

static void
test_load_validate(void)
{
	char dir[] = "/tmp/test_settings.XXXXXX", path[128], path2[128];
	struct sw_error err = { 0 };
	struct issues is = { 0 };
	struct settings s;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/mail.properties", dir);
	f = fopen(path, "w");
	fputs("# deployed\n"
	    "mail.smtp.port=587 \n"
	    "mail.smtp.starttls.enabled=true\n"
	    "mail.smtp.ssl.protocols=TLSv1.2,TLSv1.3\n"
	    "mail.smtp.password=top secret \n"
	    "mail.smtp.port=465\n"
	    "mail.smtp.host=smtp.example.com\n", f);
	fclose(f);
	settings_init(&s, MAIL_LIB_JAVAMAIL16);
	CHECK_INT(settings_load(&s, path, &err), SW_OK);
	/* Stored as written: a deployed file is tested as it is. */
	CHECK_STR(settings_get(&s, "mail.smtp.ssl.protocols"),
	    "TLSv1.2,TLSv1.3");
	CHECK_STR(settings_get(&s, "mail.smtp.port"), "465");
	CHECK_STR(props_key(s.p, 0), "mail.smtp.port");
	CHECK_INT(settings_validate(&s, collect, &is), SETTINGS_ERROR);
	printf("%s", is.all);
	CHECK_INT(is.errors, 1);
	CHECK_INT(is.warnings, 2);
	CHECK(strstr(is.all, "mail.properties:3: mail.smtp.starttls.enabled "
	    "is not a key") != NULL);
	CHECK(strstr(is.all, "mail.properties:4: mail.smtp.ssl.protocols: "
	    "\"TLSv1.2,TLSv1.3\" has a comma") != NULL);
	CHECK(strstr(is.all, "mail.properties:6: mail.smtp.port is set twice "
	    "(lines 2 and 6); Java uses the later value") != NULL);
	CHECK(strstr(is.all, "top secret") == NULL);
	CHECK(strstr(is.all, path) != NULL);
	CHECK_INT(settings_validate(&s, NULL, NULL), SETTINGS_ERROR);
	/* A second file: line numbers can no longer name one file. */
	snprintf(path2, sizeof(path2), "%s/more.properties", dir);
	f = fopen(path2, "w");
	fputs("mail.smtp.timeout=0\n", f);
	fclose(f);
	CHECK_INT(settings_load(&s, path2, &err), SW_OK);
	memset(&is, 0, sizeof(is));
	settings_validate(&s, collect, &is);
	CHECK(strstr(is.all, "line 1: mail.smtp.timeout: 0 makes Java wait "
	    "forever") != NULL);
	/* Errors of the file itself. */
	unlink(path2);
	CHECK_INT(settings_load(&s, path2, &err), SW_EFILE);
	CHECK(strstr(err.msg, path2) != NULL);
	settings_free(&s);
	settings_init(&s, MAIL_LIB_ANGUS2);
	memset(&is, 0, sizeof(is));
	CHECK_INT(settings_validate(&s, collect, &is), SETTINGS_OK);
	CHECK_INT(is.n, 0);
	settings_free(&s);
	unlink(path);
	rmdir(dir);
}

/* ---- findings: Java's reading of the user's settings ------------------- */

/* The finding with id whose message holds text (NULL: any), or NULL. */
static const struct finding *
find(const struct finding *f, size_t n, const char *id, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].id, id) == 0 &&
		    (text == NULL || strstr(f[i].message, text) != NULL))
			return &f[i];
	return NULL;
}

/* The value f suggests for key, or NULL when it suggests nothing. */
static const char *
suggested(const struct finding *f, const char *key)
{
	size_t i;

	for (i = 0; f != NULL && i < f->nsuggest; i++)
		if (strcmp(f->suggest[i].key, key) == 0)
			return f->suggest[i].value;
	return NULL;
}

static void
dump(const struct finding *f, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		printf("# %s [%s] %s\n", f[i].id, severity_name(f[i].sev),
		    f[i].message);
		for (k = 0; k < f[i].nsuggest; k++)
			printf("#     %s=\"%s\"\n", f[i].suggest[k].key,
			    f[i].suggest[k].value);
	}
}

/* settings_findings() into out (SETTINGS_FINDINGS_MAX), shown as comments. */
static size_t
findings(const struct settings *s, struct finding *out)
{
	size_t n = settings_findings(s, out, SETTINGS_FINDINGS_MAX);

	dump(out, n < SETTINGS_FINDINGS_MAX ? n : SETTINGS_FINDINGS_MAX);
	return n;
}

static void
test_findings_file(void)
{
	char dir[] = "/tmp/test_settings.XXXXXX", path[128], loc[256];
	struct finding out[SETTINGS_FINDINGS_MAX];
	const struct finding *f;
	struct sw_error err = { 0 };
	struct settings s;
	size_t n;
	FILE *fp;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/deployed.properties", dir);
	fp = fopen(path, "w");
	fputs("mail.smtp.host=mail.example.com\n"		/* 1 */
	    "mail.smtp.starttls.enable=true \n"			/* 2 */
	    "mail.smtp.starttls.enabled=true\n"			/* 3 */
	    "mail.smtp.socketFactory.fallback=false \n"		/* 4 */
	    "mail.smtp.auth=yes\n"				/* 5 */
	    "mail.smtp.port=587\t\n"				/* 6 */
	    "mail.smtps.user=bob\n"				/* 7 */
	    "mail.smtp.ssl.protocols=TLSv1.2,TLSv1.3\n"		/* 8 */
	    "mail.smtp.timeout=0x7530\n"			/* 9 */
	    "mail.smtp.password=top secret \n"			/* 10 */
	    "mail.smtp.user=bob \n"				/* 11 */
	    "mail.imap.host=imap.example.com\n"			/* 12 */
	    "mail.smtp.ssl.checkserveridentity=false \n"	/* 13 */
	    "mail.smtp.from=\"jobs@example.com\"\n"		/* 14 */
	    "mail.smtp.timeout=30000\n", fp);			/* 15 */
	fclose(fp);
	settings_init(&s, MAIL_LIB_JAVAMAIL16);
	CHECK_INT(settings_load(&s, path, &err), SW_OK);
	n = findings(&s, out);
	CHECK_INT(settings_findings(&s, NULL, 0), n);
	/* "true ": false for Java, quoted with its blank, the line named */
	snprintf(loc, sizeof(loc), "%s:2: \"mail.smtp.starttls.enable=true \": "
	    "Properties.load() keeps the blank", path);
	f = find(out, n, "setting-blank-value", loc);
	CHECK(f != NULL && f->sev == SEV_FAIL);
	CHECK(f != NULL && strstr(f->message, "equalsIgnoreCase(\"true\"), "
	    "so Java reads it as false, the opposite") != NULL);
	CHECK(f != NULL && strstr(f->message, "clear text") != NULL);
	CHECK_STR(suggested(f, "mail.smtp.starttls.enable"), "true");
	CHECK(!f || !f->optin);
	/* the misspelt key: ignored, the real one unset, removal suggested */
	f = find(out, n, "setting-unknown-key", ":3: ");
	CHECK(f != NULL && f->sev == SEV_WARN);	/* line 2 sets the key */
	CHECK(f != NULL && strstr(f->message, "did you mean mail.smtp."
	    "starttls.enable? Java ignores this line; mail.smtp.starttls."
	    "enable is set to \"true \"") != NULL);
	CHECK_STR(suggested(f, "mail.smtp.starttls.enabled"), "");
	CHECK(suggested(f, "mail.smtp.starttls.enable") == NULL);
	/* a default-true key stays true with "false " */
	f = find(out, n, "setting-blank-value", ":4: ");
	CHECK(f != NULL && f->sev == SEV_FAIL);
	CHECK(f != NULL && strstr(f->message, "equalsIgnoreCase(\"false\"), "
	    "so Java reads it as true") != NULL);
	/* the socketFactory.fallback without a factory is ignored too */
	f = find(out, n, "setting-socketfactory-ignored", ":4: ");
	CHECK_STR(suggested(f, "mail.smtp.socketFactory.fallback"), "");
	/* "yes": false for Java */
	f = find(out, n, "setting-not-boolean", ":5: ");
	CHECK(f != NULL && f->sev == SEV_FAIL);
	CHECK(f != NULL && strstr(f->message, "reads it as false") != NULL);
	CHECK_STR(suggested(f, "mail.smtp.auth"), "true");
	/* "587\t": the default port */
	f = find(out, n, "setting-blank-value", ":6: \"mail.smtp.port=587\\t\"");
	CHECK(f != NULL && f->sev == SEV_FAIL);
	CHECK(f != NULL && strstr(f->message, "uses the default, 25, not "
	    "587") != NULL);
	CHECK_STR(suggested(f, "mail.smtp.port"), "587");
	/* mail.smtps.* with protocol smtp */
	f = find(out, n, "setting-smtps-key", ":7: ");
	CHECK(f != NULL && f->sev == SEV_WARN);
	CHECK(f != NULL && strstr(f->message, "mail.smtp.user is set to "
	    "\"bob \"") != NULL);
	CHECK_STR(suggested(f, "mail.smtps.user"), "");
	/* commas in a list; hex number */
	f = find(out, n, "setting-bad-value", ":8: ");
	CHECK(f != NULL && f->sev == SEV_FAIL);
	CHECK_STR(suggested(f, "mail.smtp.ssl.protocols"), "TLSv1.2 TLSv1.3");
	/* line 9 is overridden by line 15: a duplicate, nothing else */
	CHECK(find(out, n, "setting-bad-value", ":9: ") == NULL);
	CHECK(find(out, n, "setting-duplicate", "lines 9 and 15") != NULL);
	/* a password is never shown, nor judged */
	CHECK(find(out, n, "setting-blank-value", ":10: ") == NULL);
	for (size_t i = 0; i < n; i++)
		CHECK(strstr(out[i].message, "top secret") == NULL);
	/* a user name with a blank: kept by Java */
	f = find(out, n, "setting-blank-value", ":11: ");
	CHECK(f != NULL && f->sev == SEV_WARN);
	CHECK_STR(suggested(f, "mail.smtp.user"), "bob");
	/* other protocols' keys are not our business */
	CHECK(find(out, n, "setting-unknown-key", ":12: ") == NULL);
	/* "false " for a default-false key: harmless, but still written */
	f = find(out, n, "setting-blank-value", ":13: ");
	CHECK(f != NULL && f->sev == SEV_WARN);
	CHECK_STR(suggested(f, "mail.smtp.ssl.checkserveridentity"), "false");
	/* quotes are part of the value */
	f = find(out, n, "setting-bad-value", ":14: ");
	CHECK_STR(suggested(f, "mail.smtp.from"), "jobs@example.com");
	/* fewer slots than findings: counted, not written past max */
	memset(out, 0, sizeof(out));
	CHECK_INT(settings_findings(&s, out, 2), n);
	CHECK(out[1].id[0] != '\0' && out[2].id[0] == '\0');
	settings_free(&s);
	unlink(path);
	rmdir(dir);
}

/* socketFactory.*, ssl.socketFactory.*, ssl.trust, and --set pairs. */
static void
test_findings_factories(void)
{
	struct finding out[SETTINGS_FINDINGS_MAX];
	const struct finding *f;
	struct settings s;
	size_t n;

	settings_init(&s, MAIL_LIB_JAVAMAIL16);
	props_set(s.p, "mail.smtp.host", "mail.example.com", NULL);
	props_set(s.p, "mail.smtp.socketFactory.class",
	    "javax.net.ssl.SSLSocketFactory", NULL);
	CHECK_INT(settings_mode(&s), MODE_SSL);
	CHECK(settings_socket_factory_ssl(&s));
	n = findings(&s, out);
	f = find(out, n, "setting-socketfactory", "\"mail.smtp.socketFactory."
	    "class=javax.net.ssl.SSLSocketFactory\": JavaMail's SocketFetcher");
	CHECK(f != NULL && f->sev == SEV_WARN);
	CHECK(f != NULL && strstr(f->message, "TLS from the first byte") &&
	    strstr(f->message, "silently retried as a plain connection to "
	    "port 25") && strstr(f->message, "ssl.trust is ignored"));
	CHECK_STR(suggested(f, "mail.smtp.socketFactory.class"), "");
	CHECK_STR(suggested(f, "mail.smtp.ssl.enable"), "true");
	CHECK_STR(suggested(f, "mail.smtp.port"), "25");
	/* with fallback=false and a factory port */
	props_set(s.p, "mail.smtp.socketFactory.fallback", "false", NULL);
	props_set(s.p, "mail.smtp.socketFactory.port", "465", NULL);
	n = findings(&s, out);
	f = find(out, n, "setting-socketfactory", "to port 465");
	CHECK(f != NULL && strstr(f->message, "fails at once") != NULL);
	CHECK_STR(suggested(f, "mail.smtp.port"), "465");
	CHECK_STR(suggested(f, "mail.smtp.socketFactory.port"), "");
	CHECK_STR(suggested(f, "mail.smtp.socketFactory.fallback"), "");
	CHECK(find(out, n, "setting-socketfactory-ignored", NULL) == NULL);
	/* a blank after the class name: Class.forName() finds nothing */
	props_set(s.p, "mail.smtp.socketFactory.class",
	    "javax.net.ssl.SSLSocketFactory ", NULL);
	props_unset(s.p, "mail.smtp.socketFactory.fallback");
	CHECK_INT(settings_mode(&s), MODE_PLAIN);
	n = findings(&s, out);
	f = find(out, n, "setting-socketfactory", "no such class");
	CHECK(f != NULL && f->sev == SEV_FAIL);
	CHECK(f != NULL && strstr(f->message, "plain connection") != NULL);
	CHECK_STR(suggested(f, "mail.smtp.ssl.enable"), "true");
	/* MailSSLSocketFactory inherits getDefault(): TLS as well */
	props_set(s.p, "mail.smtp.socketFactory.class",
	    "com.sun.mail.util.MailSSLSocketFactory", NULL);
	CHECK_INT(settings_mode(&s), MODE_SSL);
	/* some other factory: explained, nothing suggested */
	props_set(s.p, "mail.smtp.socketFactory.class", "com.example.Socks",
	    NULL);
	CHECK_INT(settings_mode(&s), MODE_PLAIN);
	n = findings(&s, out);
	f = find(out, n, "setting-socketfactory", "cannot tell");
	CHECK(f != NULL && f->nsuggest == 0);
	settings_free(&s);

	/* ssl.socketFactory.* */
	settings_init(&s, MAIL_LIB_JAVAMAIL16);
	props_set(s.p, "mail.smtp.starttls.enable", "true", NULL);
	props_set(s.p, "mail.smtp.ssl.socketFactory.class",
	    "javax.net.ssl.SSLSocketFactory", NULL);
	props_set(s.p, "mail.smtp.ssl.socketFactory.port", "465", NULL);
	n = findings(&s, out);
	f = find(out, n, "setting-ssl-socketfactory", "default factory");
	CHECK_STR(suggested(f, "mail.smtp.ssl.socketFactory.class"), "");
	f = find(out, n, "setting-socketfactory-ignored",
	    "ssl.socketFactory.port=465");
	CHECK_STR(suggested(f, "mail.smtp.ssl.socketFactory.port"), "");
	/* with ssl.trust set, the JDK factory is not a no-op: it hides it */
	props_set(s.p, "mail.smtp.ssl.trust", "*", NULL);
	n = findings(&s, out);
	f = find(out, n, "setting-ssl-socketfactory", "(which is set here)");
	CHECK(f != NULL && f->nsuggest == 0);
	f = find(out, n, "setting-ssl-trust", "Java ignores it here");
	CHECK(f != NULL && f->sev == SEV_INFO);
	settings_free(&s);
}

static void
test_findings_trust(void)
{
	struct finding out[SETTINGS_FINDINGS_MAX];
	const struct finding *f;
	struct settings s;
	size_t n;

	settings_init(&s, MAIL_LIB_ANGUS2);
	props_set(s.p, "mail.smtp.host", "mail.example.com", NULL);
	props_set(s.p, "mail.smtp.starttls.enable", "true", NULL);
	props_set(s.p, "mail.smtp.ssl.trust", "*", NULL);
	n = findings(&s, out);
	/* a pair from --set: quoted without a place */
	f = find(out, n, "setting-ssl-trust", "\"mail.smtp.ssl.trust=*\": "
	    "JavaMail's MailSSLSocketFactory then trusts every server");
	CHECK(f != NULL && f->sev == SEV_WARN && f->nsuggest == 0);
	CHECK_INT(n, 1);
	props_set(s.p, "mail.smtp.ssl.trust", "relay.example.com "
	    "Mail.Example.com", NULL);
	n = findings(&s, out);
	f = find(out, n, "setting-ssl-trust", "Server is not trusted: "
	    "mail.example.com");
	CHECK(f != NULL && f->sev == SEV_FAIL);
	props_set(s.p, "mail.smtp.ssl.trust", "relay.example.com "
	    "mail.example.com", NULL);
	n = findings(&s, out);
	f = find(out, n, "setting-ssl-trust", "For mail.example.com");
	CHECK(f != NULL && f->sev == SEV_WARN);
	/* "* " is not "*": a list naming a host called "*" */
	props_set(s.p, "mail.smtp.ssl.trust", "* ", NULL);
	n = findings(&s, out);
	f = find(out, n, "setting-ssl-trust", "Only the value * alone");
	CHECK(f != NULL && f->sev == SEV_FAIL);
	/* no TLS at all: ssl.trust does nothing */
	props_unset(s.p, "mail.smtp.starttls.enable");
	n = findings(&s, out);
	f = find(out, n, "setting-ssl-trust", "use no TLS");
	CHECK(f != NULL && f->sev == SEV_INFO);
	settings_free(&s);

	/* protocol smtps: the smtps keys are the ones Java reads */
	settings_init(&s, MAIL_LIB_JAVAMAIL16);
	props_set(s.p, "mail.transport.protocol", "smtps", NULL);
	props_set(s.p, "mail.smtps.host", "mail.example.com", NULL);
	props_set(s.p, "mail.smtp.ssl.socketFactory", "x", NULL);
	props_set(s.p, "mail.smpt.port", "587", NULL);
	props_set(s.p, "smtp.host", "x", NULL);
	n = findings(&s, out);
	CHECK(find(out, n, "setting-protocol-smtps", NULL) != NULL);
	CHECK(find(out, n, "setting-smtps-key", NULL) == NULL);
	f = find(out, n, "setting-not-a-string", NULL);
	CHECK_STR(suggested(f, "mail.smtp.ssl.socketFactory"), "");
	f = find(out, n, "setting-unknown-key", "did you mean mail.smtp.port?");
	CHECK(f != NULL && f->sev == SEV_FAIL);
	CHECK_STR(suggested(f, "mail.smpt.port"), "");
	f = find(out, n, "setting-unknown-key", "\"smtp.host=x\"");
	CHECK(f != NULL && f->sev == SEV_WARN && f->nsuggest == 0);
	settings_free(&s);
}

/* settings_bool() and settings_java_bool(): PropUtil.getBoolean(). */
static void
test_java_bool(void)
{
	struct settings s;

	CHECK(settings_java_bool("true", 0));
	CHECK(settings_java_bool("TrUe", 0));
	CHECK(!settings_java_bool("true ", 0));
	CHECK(!settings_java_bool(" true", 0));
	CHECK(!settings_java_bool("yes", 0));
	CHECK(!settings_java_bool("1", 0));
	CHECK(!settings_java_bool("on", 0));
	CHECK(!settings_java_bool("", 0));
	CHECK(!settings_java_bool(NULL, 0));
	CHECK(!settings_java_bool("false", 1));
	CHECK(!settings_java_bool("FALSE", 1));
	CHECK(settings_java_bool("false ", 1));
	CHECK(settings_java_bool("no", 1));
	CHECK(settings_java_bool("0", 1));
	CHECK(settings_java_bool("", 1));
	CHECK(settings_java_bool(NULL, 1));
	settings_init(&s, MAIL_LIB_JAVAMAIL16);
	props_set(s.p, "mail.smtp.socketFactory.fallback", "false ", NULL);
	CHECK(settings_bool(&s, "mail.smtp.socketFactory.fallback"));
	props_set(s.p, "mail.smtp.socketFactory.fallback", "False", NULL);
	CHECK(!settings_bool(&s, "mail.smtp.socketFactory.fallback"));
	props_set(s.p, "mail.smtp.starttls.enable", "true\t", NULL);
	CHECK(!settings_bool(&s, "mail.smtp.starttls.enable"));
	CHECK_INT(settings_mode(&s), MODE_PLAIN);
	props_set(s.p, "mail.smtp.starttls.enable", "TRUE", NULL);
	CHECK_INT(settings_mode(&s), MODE_STARTTLS);
	/* checkserveridentity: false in 1.6.2, true in Angus */
	CHECK(!settings_bool(&s, "mail.smtp.ssl.checkserveridentity"));
	s.lib = MAIL_LIB_ANGUS2;
	CHECK(settings_bool(&s, "mail.smtp.ssl.checkserveridentity"));
	props_set(s.p, "mail.smtp.ssl.checkserveridentity", "off", NULL);
	CHECK(settings_bool(&s, "mail.smtp.ssl.checkserveridentity"));
	settings_free(&s);
}

/* Which keys only step 5 reads (the wizard keeps steps 1-4 then). */
static void
test_step5_only(void)
{
	static const char *const login[] = { "mail.smtp.auth",
	    "mail.smtp.user", "mail.user", "mail.smtp.password",
	    "mail.smtp.auth.mechanisms", "mail.smtp.auth.ntlm.domain",
	    "mail.smtp.sasl.enable", "mail.smtp.saslrealm", "mail.smtp.from",
	    "mail.smtp.authx" };
	static const char *const others[] = { "mail.smtp.host",
	    "mail.smtp.port", "mail.smtp.ssl.enable", "mail.smtp.timeout",
	    "mail.smtp.ssl.trust", "mail.smtp.socks.host", "mail.smtps.auth",
	    "mail.smtp.localhost" };
	size_t i;

	for (i = 0; i < sizeof(login) / sizeof(login[0]); i++) {
		printf("# %s\n", login[i]);
		CHECK(settings_step5_only(login[i]));
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		printf("# %s\n", others[i]);
		CHECK(!settings_step5_only(others[i]));
	}
}

int
main(void)
{
	test_table();
	test_step5_only();
	test_defaults();
	test_java_reading();
	test_checks();
	test_set();
	test_load_validate();
	test_java_bool();
	test_findings_file();
	test_findings_factories();
	test_findings_trust();
	return tap_done();
}
