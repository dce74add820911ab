/*
 * The settings block: decisions from synthetic step results, every
 * output form, and the .properties form read back by our own reader.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block.h"
#include "tap.h"

static struct step_result *
step1(enum smtp_mode detected, unsigned port)
{
	struct step_result *r = calloc(1, sizeof(*r));

	r->step = STEP_CONN;
	r->verdict = VERDICT_PASS;
	r->d.conn.detected_mode = detected;
	r->d.conn.port = port;
	return r;
}

static struct block
build(struct settings *set, struct step_result *r1, enum block_password pw,
    const char *password)
{
	struct block_input in = { .set = set, .pw = pw,
	    .password = password };
	struct block b;
	struct sw_error e = { 0 };

	in.steps[0] = r1;
	CHECK_INT(block_build(&in, &b, &e), SW_OK);
	return b;
}

static void
test_starttls_fixes_ssl(void)
{
	struct settings set;
	struct sw_error e = { 0 };
	struct step_result *r = step1(MODE_STARTTLS, 587);
	struct finding *f;
	struct block b;

	settings_init(&set, MAIL_LIB_JAVAMAIL16);
	settings_set(&set, "mail.smtp.host", "mail.example.com", &e);
	settings_set(&set, "mail.smtp.port", "587", &e);
	settings_set(&set, "mail.smtp.ssl.enable", "true", &e);
	settings_set(&set, "mail.smtp.from", "app@example.com", &e);
	f = result_add(r, "ssl-on-starttls-port", SEV_FAIL, "x");
	finding_suggest(f, "mail.smtp.ssl.enable", "false");
	f = result_add(r, "greeting-slow", SEV_WARN, "x");
	finding_suggest(f, "mail.smtp.timeout", "60000");
	f = result_add(r, "timeouts-unset", SEV_INFO, "x");
	finding_suggest(f, "mail.smtp.timeout", "30000");
	f = result_add(r, "trust-last-resort", SEV_WARN, "x");
	f->optin = 1;
	finding_suggest(f, "mail.smtp.ssl.trust", "mail.example.com");
	b = build(&set, r, PW_OMIT, NULL);
	CHECK_STR(props_get(b.p, "mail.smtp.ssl.enable"), "false");
	CHECK_STR(props_get(b.p, "mail.smtp.starttls.enable"), "true");
	CHECK_STR(props_get(b.p, "mail.smtp.starttls.required"), "true");
	CHECK_STR(props_get(b.p, "mail.smtp.timeout"), "60000");
	CHECK_STR(props_get(b.p, "mail.smtp.connectiontimeout"), "10000");
	CHECK_STR(props_get(b.p, "mail.smtp.ssl.checkserveridentity"),
	    "true");
	CHECK(props_get(b.p, "mail.smtp.ssl.trust") == NULL);
	CHECK(props_get(b.p, "mail.smtp.auth") == NULL);
	CHECK_STR(props_get(b.p, "mail.smtp.from"), "app@example.com");
	CHECK_STR(props_key(b.p, 0), "mail.smtp.host");
	CHECK_STR(props_key(b.p, 1), "mail.smtp.port");
	CHECK(props_get(b.why, "mail.smtp.timeout") != NULL &&
	    strstr(props_get(b.why, "mail.smtp.timeout"), "greeting-slow"));
	block_free(&b);
	settings_free(&set);
	free(r);
}

static void
test_ssl_and_passwords(void)
{
	struct settings set;
	struct sw_error e = { 0 };
	struct step_result *r = step1(MODE_SSL, 465);
	struct block b;

	settings_init(&set, MAIL_LIB_JAVAMAIL16);
	settings_set(&set, "mail.smtp.host", "smtp.example.com", &e);
	settings_set(&set, "mail.smtp.starttls.enable", "true", &e);
	settings_set(&set, "mail.smtp.user", "alice", &e);
	b = build(&set, r, PW_OMIT, "s3cret");
	CHECK_STR(props_get(b.p, "mail.smtp.ssl.enable"), "true");
	CHECK(props_get(b.p, "mail.smtp.starttls.enable") == NULL);
	CHECK_STR(props_get(b.p, "mail.smtp.port"), "465");
	CHECK_STR(props_get(b.p, "mail.smtp.auth"), "true");
	CHECK(props_get(b.p, "mail.smtp.password") == NULL);
	CHECK(!block_has_secret(&b));
	block_free(&b);
	b = build(&set, r, PW_PLACEHOLDER, "s3cret");
	CHECK_STR(props_get(b.p, "mail.smtp.password"), BLOCK_PLACEHOLDER);
	CHECK(!block_has_secret(&b));
	block_free(&b);
	b = build(&set, r, PW_INCLUDE, "s3cret");
	CHECK_STR(props_get(b.p, "mail.smtp.password"), "s3cret");
	CHECK(block_has_secret(&b));
	block_free(&b);
	settings_free(&set);
	free(r);
}

/* Every form renders; .properties reads back to the same pairs. */
static void
test_render_round_trip(void)
{
	struct settings set;
	struct sw_error e = { 0 };
	struct step_result *r = step1(MODE_STARTTLS, 587);
	struct props *back = props_new();
	struct block b;
	struct stat st;
	char *text = NULL, path[] = "/tmp/test_block.XXXXXX";
	size_t i;
	int fmt, fd;

	settings_init(&set, MAIL_LIB_ANGUS2);
	settings_set(&set, "mail.smtp.host", "smtp.example.com", &e);
	settings_set(&set, "mail.smtp.user", "o'neil \"quoted\" = : #", &e);
	b = build(&set, r, PW_INCLUDE, "p=ss w\\rd\xc3\xa9");
	CHECK_INT(block_to_text(&b, BLOCK_PROPERTIES, &text, &e), SW_OK);
	CHECK(strstr(text, "Jakarta") != NULL || strstr(text, "Angus"));
	CHECK_INT(props_parse(back, text, strlen(text), "block", &e), SW_OK);
	CHECK_INT(props_count(back), props_count(b.p));
	for (i = 0; i < props_count(b.p); i++)
		CHECK_STR(props_get(back, props_key(b.p, i)),
		    props_value(b.p, i));
	fd = mkstemp(path);
	close(fd);
	CHECK_INT(props_write_file(path, text, strlen(text), 0600, &e), SW_OK);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	props_free(back);
	back = props_new();
	CHECK_INT(props_load_file(back, path, &e), SW_OK);
	CHECK_STR(props_get(back, "mail.smtp.password"),
	    "p=ss w\\rd\xc3\xa9");
	unlink(path);
	free(text);
	for (fmt = BLOCK_JS7; fmt <= BLOCK_JSON; fmt++) {
		CHECK_INT(block_to_text(&b, fmt, &text, &e), SW_OK);
		CHECK(text != NULL && strstr(text, "smtp.example.com"));
		free(text);
	}
	CHECK_INT(block_to_text(&b, BLOCK_SPRING, &text, &e), SW_OK);
	CHECK(strstr(text, "spring.mail.host=smtp.example.com\n") != NULL);
	CHECK(strstr(text, "spring.mail.properties.mail.smtp.starttls."
	    "required=true") != NULL);
	free(text);
	CHECK_INT(block_to_text(&b, BLOCK_JS7_JSON, &text, &e), SW_OK);
	CHECK(strstr(text, "\"TYPE\": \"JobResource\"") != NULL);
	CHECK(strstr(text, "\"mail.smtp.port\": \"587\"") != NULL);
	CHECK(strstr(text, "\"mail.smtp.host\": \"\\\"smtp.example.com\\\"\""));
	free(text);
	CHECK_INT(block_format_parse("js7-json"), BLOCK_JS7_JSON);
	CHECK_INT(block_format_parse("xml"), -1);
	props_free(back);
	block_free(&b);
	settings_free(&set);
	free(r);
}

int
main(void)
{
	test_starttls_fixes_ssl();
	test_ssl_and_passwords();
	test_render_round_trip();
	return tap_done();
}
