/*
 * The steps' judges, table-driven: step data in, finding ids and the
 * verdict out, no server.  Step 1: conn_judge() (conn_judge.c) over the
 * configured and detected connection types, the TLS outcome, a slow
 * greeting and the timeouts set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn_int.h"
#include "tap.h"

struct conn_case {
	const char	*name;
	const char	*settings;	/* "key=value key=value" */
	enum smtp_mode	 detected;
	enum tri	 tls_ok;
	int64_t		 greeting_ms;
	const char	*ids;		/* the findings, in order */
	enum verdict	 verdict;
	const char	*suggest;	/* "id:key=value", or NULL */
};

#define TIMEOUTS "mail.smtp.connectiontimeout=10000 mail.smtp.timeout=30000 " \
	"mail.smtp.writetimeout=30000"
#define STARTTLS "mail.smtp.starttls.enable=true mail.smtp.starttls.required=true"

static const struct conn_case conn_cases[] = {
	{ "STARTTLS as configured", STARTTLS " " TIMEOUTS, MODE_STARTTLS,
	  TRI_YES, 100, "mode-ok", VERDICT_PASS,
	  "mode-ok:mail.smtp.starttls.enable=true" },
	{ "no timeouts set", STARTTLS, MODE_STARTTLS, TRI_YES, 100,
	  "timeouts-unset mode-ok", VERDICT_PASS,
	  "timeouts-unset:mail.smtp.timeout=30000" },
	{ "ssl.enable on a STARTTLS port",
	  "mail.smtp.ssl.enable=true " TIMEOUTS, MODE_STARTTLS, TRI_YES, 100,
	  "ssl-on-starttls-port", VERDICT_FAIL,
	  "ssl-on-starttls-port:mail.smtp.ssl.enable=false" },
	{ "ssl.enable on a plain port", "mail.smtp.ssl.enable=true " TIMEOUTS,
	  MODE_PLAIN, TRI_UNKNOWN, 100, "ssl-on-plain-port", VERDICT_FAIL,
	  NULL },
	{ "STARTTLS settings on an SSL port", STARTTLS " " TIMEOUTS, MODE_SSL,
	  TRI_YES, 0, "starttls-on-ssl-port", VERDICT_FAIL,
	  "starttls-on-ssl-port:mail.smtp.ssl.enable=true" },
	{ "plain settings on an SSL port", TIMEOUTS, MODE_SSL, TRI_YES, 0,
	  "plain-on-ssl-port", VERDICT_FAIL, NULL },
	{ "STARTTLS required, none offered", STARTTLS " " TIMEOUTS,
	  MODE_PLAIN, TRI_UNKNOWN, 100, "starttls-not-offered", VERDICT_FAIL,
	  NULL },
	{ "plain as configured", TIMEOUTS, MODE_PLAIN, TRI_UNKNOWN, 100,
	  "no-encryption mode-ok", VERDICT_WARN, NULL },
	{ "STARTTLS offered, not used", TIMEOUTS, MODE_STARTTLS, TRI_YES, 100,
	  "starttls-not-enabled", VERDICT_WARN,
	  "starttls-not-enabled:mail.smtp.starttls.required=true" },
	{ "starttls.enable alone",
	  "mail.smtp.starttls.enable=true " TIMEOUTS, MODE_STARTTLS, TRI_YES,
	  100, "starttls-not-required mode-ok", VERDICT_PASS,
	  "starttls-not-required:mail.smtp.starttls.required=true" },
	{ "both ssl.enable and starttls.enable",
	  "mail.smtp.ssl.enable=true mail.smtp.starttls.enable=true " TIMEOUTS,
	  MODE_SSL, TRI_YES, 0, "mixed-ssl-starttls mode-ok", VERDICT_WARN,
	  NULL },
	{ "the handshake failed", STARTTLS " " TIMEOUTS, MODE_STARTTLS,
	  TRI_NO, 100, "tls-handshake-failed mode-ok", VERDICT_WARN, NULL },
	{ "a slow greeting: three times its wait", STARTTLS " " TIMEOUTS,
	  MODE_STARTTLS, TRI_YES, 12500, "greeting-slow mode-ok",
	  VERDICT_WARN, "greeting-slow:mail.smtp.timeout=40000" },
	{ "nothing detected: only the settings", TIMEOUTS, MODE_UNKNOWN,
	  TRI_UNKNOWN, 0, "", VERDICT_PASS, NULL },
};

/* The ids of r's findings, space-separated. */
static const char *
ids_of(const struct step_result *r, char *buf, size_t cap)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nfindings && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "",
		    r->findings[i].id);
	return buf;
}

/* Does finding id suggest key=value ("id:key=value")? */
static int
suggests(const struct step_result *r, const char *spec)
{
	const char *colon = strchr(spec, ':'), *eq = strchr(spec, '=');
	size_t i, k;

	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (strlen(f->id) != (size_t)(colon - spec) ||
		    strncmp(f->id, spec, (size_t)(colon - spec)) != 0)
			continue;
		for (k = 0; k < f->nsuggest; k++)
			if (strlen(f->suggest[k].key) ==
			    (size_t)(eq - colon - 1) &&
			    strncmp(f->suggest[k].key, colon + 1,
			    (size_t)(eq - colon - 1)) == 0 &&
			    strcmp(f->suggest[k].value, eq + 1) == 0)
				return 1;
	}
	return 0;
}

static void
settings_from(struct settings *set, const char *pairs)
{
	char buf[512], *p, *save = NULL, *eq;
	struct sw_error e = { 0 };

	snprintf(buf, sizeof(buf), "%s", pairs);
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		eq = strchr(p, '=');
		*eq = '\0';
		if (settings_set(set, p, eq + 1, &e) != SW_OK)
			printf("# %s\n", sw_error_text(&e));
	}
}

static void
test_conn(void)
{
	size_t i;

	for (i = 0; i < sizeof(conn_cases) / sizeof(conn_cases[0]); i++) {
		const struct conn_case *c = &conn_cases[i];
		struct step_result *r = calloc(1, sizeof(*r));
		struct settings set;
		struct probe_env env;
		char ids[512];

		if (r == NULL || settings_init(&set, MAIL_LIB_JAVAMAIL16) !=
		    SW_OK)
			abort();
		settings_from(&set, c->settings);
		probe_env_init(&env, &set);
		r->step = STEP_CONNECTION;
		r->verdict = VERDICT_PASS;
		r->d.conn.port = 587;
		snprintf(r->d.conn.host, sizeof(r->d.conn.host), "mail.example");
		r->d.conn.configured_mode = settings_mode(&set);
		r->d.conn.detected_mode = c->detected;
		r->d.conn.tls_ok = c->tls_ok;
		snprintf(r->d.conn.tls_error, sizeof(r->d.conn.tls_error),
		    "handshake failure");
		r->d.conn.greeting_code = c->detected == MODE_SSL ? 0 : 220;
		r->d.conn.greeting_ms = c->greeting_ms;
		conn_judge(r, &env);
		printf("# %s\n", c->name);
		CHECK_STR(ids_of(r, ids, sizeof(ids)), c->ids);
		CHECK_STR(verdict_name(r->verdict), verdict_name(c->verdict));
		if (c->suggest != NULL) {
			printf("# suggests %s\n", c->suggest);
			CHECK(suggests(r, c->suggest));
		}
		settings_free(&set);
		free(r);
	}
}

int
main(void)
{
	setenv("SMTPWIZ_ASSETS", "assets", 0);
	test_conn();
	return tap_done();
}
