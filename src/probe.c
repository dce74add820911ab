/*
 * What every step shares: names, the findings list, the dispatcher.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe.h"

static const char *const step_names[STEP_COUNT + 1] = {
	"", "connection", "certificates", "protocols", "ciphers",
	"authentication",
};

static const char *const step_titles[STEP_COUNT + 1] = {
	"", "Protocol and port", "Certificates", "TLS protocol version",
	"Cipher suites", "Authentication",
};

const char *
step_name(enum step s)
{
	return s >= 1 && s <= STEP_COUNT ? step_names[s] : "?";
}

const char *
step_title(enum step s)
{
	return s >= 1 && s <= STEP_COUNT ? step_titles[s] : "?";
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS:	return "pass";
	case VERDICT_WARN:	return "warn";
	case VERDICT_FAIL:	return "fail";
	default:		return "skipped";
	}
}

const char *
severity_name(enum severity s)
{
	return s == SEV_FAIL ? "fail" : s == SEV_WARN ? "warn" : "info";
}

const char *
smtp_mode_name(enum smtp_mode m)
{
	switch (m) {
	case MODE_PLAIN:	return "plain";
	case MODE_STARTTLS:	return "starttls";
	case MODE_SSL:		return "ssl";
	default:		return "unknown";
	}
}

enum smtp_mode
smtp_mode_parse(const char *s)
{
	if (strcasecmp(s, "plain") == 0)
		return MODE_PLAIN;
	if (strcasecmp(s, "starttls") == 0)
		return MODE_STARTTLS;
	if (strcasecmp(s, "ssl") == 0 || strcasecmp(s, "tls") == 0)
		return MODE_SSL;
	return MODE_UNKNOWN;
}

enum smtp_mode
settings_mode(const struct settings *set)
{
	/* SocketFetcher: an SSL socketFactory.class is TLS from the start. */
	if (settings_bool(set, "mail.smtp.ssl.enable") ||
	    settings_socket_factory_ssl(set))
		return MODE_SSL;
	if (settings_bool(set, "mail.smtp.starttls.enable") ||
	    settings_bool(set, "mail.smtp.starttls.required"))
		return MODE_STARTTLS;
	return MODE_PLAIN;
}

void
probe_env_init(struct probe_env *env, const struct settings *set)
{
	memset(env, 0, sizeof(*env));
	env->set = set;
	env->cancel_fd = -1;
	env->connect_timeout_ms = 10000;
	env->read_timeout_ms = 30000;
}

static enum verdict
worse(enum verdict v, enum severity s)
{
	if (s == SEV_FAIL)
		return VERDICT_FAIL;
	if (s == SEV_WARN && v != VERDICT_FAIL)
		return VERDICT_WARN;
	return v == VERDICT_SKIPPED ? VERDICT_PASS : v;
}

struct finding *
result_add(struct step_result *r, const char *id, enum severity sev,
    const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	r->verdict = worse(r->verdict, sev);
	if (r->nfindings >= STEP_FINDINGS_MAX)
		return NULL;
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->sev = sev;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	return f;
}

void
finding_suggest(struct finding *f, const char *key, const char *value)
{
	struct suggestion *s;

	if (f == NULL || f->nsuggest >= FINDING_SUGGEST_MAX)
		return;
	s = &f->suggest[f->nsuggest++];
	snprintf(s->key, sizeof(s->key), "%s", key);
	snprintf(s->value, sizeof(s->value), "%s", value);
}

const struct finding *
result_find(const struct step_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}

typedef enum sw_err (*step_fn)(const struct probe_env *,
    struct step_result *, struct sw_error *);

static const step_fn step_probes[STEP_COUNT + 1] = {
	[STEP_CONNECTION] = probe_connection,
	[STEP_CERTIFICATES] = probe_certificates,
	[STEP_PROTOCOLS] = probe_protocols,
	[STEP_CIPHERS] = probe_ciphers,
	[STEP_AUTH] = probe_auth,
};

int
probe_target(const struct probe_env *env, char *host, size_t cap,
    unsigned *port, enum smtp_mode *mode, const char **why)
{
	const struct step_result *s1 = env->prev[STEP_CONNECTION - 1];
	const char *p = settings_effective(env->set, "mail.smtp.port");
	const char *h = settings_get(env->set, "mail.smtp.host");

	snprintf(host, cap, "%s", h ? h : "");
	*port = p ? (unsigned)strtoul(p, NULL, 10) : 25;
	*mode = settings_mode(env->set);
	*why = NULL;
	/* Step 1's result counts only for the target the settings name. */
	if (s1 != NULL && (strcmp(s1->d.conn.host, host) != 0 ||
	    s1->d.conn.port != *port))
		s1 = NULL;
	if (s1 == NULL)
		return host[0] != '\0';
	*port = s1->d.conn.port;
	if (s1->d.conn.detected_mode != MODE_UNKNOWN)
		*mode = s1->d.conn.detected_mode;
	else {
		*why = "step 1 could not talk SMTP to the server";
		return 0;
	}
	return 1;
}

/* Step 1's result, if it describes the target the settings name. */
static const struct step_result *
step1_of(const struct probe_env *env)
{
	const struct step_result *s1 = env->prev[STEP_CONNECTION - 1];
	const char *p = settings_effective(env->set, "mail.smtp.port");
	const char *h = settings_get(env->set, "mail.smtp.host");

	if (s1 == NULL || h == NULL || strcmp(s1->d.conn.host, h) != 0 ||
	    s1->d.conn.port != (p ? (unsigned)strtoul(p, NULL, 10) : 25))
		return NULL;
	return s1;
}

enum sw_err
probe_step(enum step s, const struct probe_env *env, struct step_result *res,
    struct sw_error *err)
{
	struct probe_env own;
	struct step_result *s1 = NULL;
	struct sw_error e1 = { 0 };
	char host[256];
	unsigned port;
	enum smtp_mode mode;
	const char *why;
	enum sw_err rc;

	memset(res, 0, sizeof(*res));
	res->step = s;
	if (s < 1 || s > STEP_COUNT)
		return sw_fail(err, SW_EUSAGE, "no step %d", (int)s);
	/*
	 * A later step alone (check --steps 2, a jump from the error
	 * decoder) first finds out what the port speaks, as step 1 does,
	 * rather than take plain SMTP for a connection type nobody named.
	 * A type the settings name (--mode, ssl.enable, starttls.enable)
	 * is probed as named: steps 3-4 then cost only their hellos.
	 */
	if (s > STEP_CONNECTION && step1_of(env) == NULL &&
	    settings_get(env->set, "mail.smtp.host") != NULL &&
	    settings_get(env->set, "mail.smtp.ssl.enable") == NULL &&
	    settings_get(env->set, "mail.smtp.starttls.enable") == NULL) {
		if ((s1 = malloc(sizeof(*s1))) == NULL)
			return sw_fail(err, SW_ENOMEM, "out of memory");
		memset(s1, 0, sizeof(*s1));
		rc = probe_connection(env, s1, &e1);
		if (rc == SW_ECANCEL) {
			free(s1);
			return sw_fail(err, rc, "%s", e1.msg);
		}
		own = *env;
		if (rc == SW_OK)
			own.prev[STEP_CONNECTION - 1] = s1;
		env = &own;
	}
	if (s > STEP_CONNECTION &&
	    !probe_target(env, host, sizeof(host), &port, &mode, &why)) {
		res->verdict = VERDICT_SKIPPED;
		snprintf(res->skip_reason, sizeof(res->skip_reason),
		    "skipped: %s", why ? why : "no host");
		free(s1);
		return SW_OK;
	}
	rc = step_probes[s](env, res, err);
	free(s1);
	return rc;
}
