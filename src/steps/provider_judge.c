/*
 * Findings about the provider a server belongs to: what Microsoft 365,
 * Gmail, Amazon SES and the others require of a Java client, said in
 * step 1 (ports, login, passwords, OAuth2, the replies they give) and
 * in step 5 (what that means for this login).  The facts come from
 * assets/providers.txt through provider.c.
 */
#include <stdio.h>
#include <string.h>

#include "provider.h"
#include "provider_judge.h"
#include "sasl.h"
#include "session.h"

/* Appends text to buf when all of it fits. */
static void
add(char *buf, size_t cap, const char *sep, const char *text)
{
	size_t n = strlen(buf);

	if (text == NULL || *text == '\0')
		return;
	if (n + strlen(sep) + strlen(text) + 1 < cap)
		snprintf(buf + n, cap - n, "%s%s", sep, text);
}

static const char *
oauth2_words(const struct provider *p)
{
	switch (p->oauth2) {
	case OAUTH2_REQUIRED:
		return "OAuth2 (XOAUTH2) is the way to log in from now on";
	case OAUTH2_RECOMMENDED:
		return "OAuth2 (XOAUTH2) is the login that keeps working";
	case OAUTH2_SUPPORTED:
		return "it also takes OAuth2 (XOAUTH2)";
	default:
		return "it has no OAuth2 login";
	}
}

static void
errors_text(const struct provider *p, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; i < p->nerror; i++)
		add(buf, cap, i ? "; " : " Replies it gives: ", p->error[i]);
	add(buf, cap, "", p->nerror ? "." : "");
}

static void
port_finding(struct step_result *r, const struct conn_data *d,
    const struct provider *p)
{
	enum smtp_mode m = d->detected_mode != MODE_UNKNOWN ?
	    d->detected_mode : d->configured_mode;
	char where[160];

	if (p->nsubmit == 0 || provider_takes(p, d->port, smtp_mode_name(m)))
		return;
	provider_submit_text(p, where, sizeof(where));
	result_add(r, "provider-port", SEV_WARN, "%s takes logins on %s; "
	    "these settings use port %u with %s. Use the provider's port "
	    "and connection type (--discover probes them).", p->name, where,
	    d->port, m == MODE_SSL ? "implicit TLS (SSL)" : m ==
	    MODE_STARTTLS ? "STARTTLS" : "no TLS");
}

void
provider_judge_conn(struct step_result *r, const struct probe_env *env)
{
	struct conn_data *d = &r->d.conn;
	struct provider p;
	enum provider_by by;
	struct sw_error e = { 0 };
	char msg[sizeof(r->findings[0].message)], where[160], more[600];

	if (provider_lookup(NULL, d->host, d->greeting, &p, &by, &e) !=
	    SW_OK) {
		probe_progress(env, "providers not recognised: %s",
		    sw_error_text(&e));
		return;
	}
	if (by == PROVIDER_BY_NONE)
		return;
	snprintf(d->provider, sizeof(d->provider), "%s", p.id);
	snprintf(d->provider_name, sizeof(d->provider_name), "%s", p.name);
	snprintf(d->provider_by, sizeof(d->provider_by), "%s",
	    by == PROVIDER_BY_HOST ? "host name" : "greeting");
	provider_submit_text(&p, where, sizeof(where));
	snprintf(msg, sizeof(msg), "%s is %s (recognised by its %s). It "
	    "takes logins on %s. Login: %s. Passwords: %s", d->host, p.name,
	    d->provider_by, where[0] ? where : "the ports it documents",
	    p.login, p.password);
	add(msg, sizeof(msg), "", msg[strlen(msg) - 1] == '.' ? "" : ".");
	add(msg, sizeof(msg), " ", oauth2_words(&p));
	if (p.scope[0] != '\0') {
		snprintf(more, sizeof(more), "; the token's scope: %s", p.scope);
		add(msg, sizeof(msg), "", more);
	}
	add(msg, sizeof(msg), "", ".");
	errors_text(&p, msg, sizeof(msg));
	result_add(r, "provider", SEV_INFO, "%s", msg);
	port_finding(r, d, &p);
}

/* The mechanism Java would use when the server offered XOAUTH2 too. */
static int
java_wants_xoauth2(const struct settings *set, const char *java_mech)
{
	struct sasl_choice ch;

	if (java_mech != NULL && *java_mech != '\0')
		return strcmp(java_mech, "XOAUTH2") == 0;
	sasl_java_choice(set, "XOAUTH2 LOGIN PLAIN", &ch);
	return ch.mech == SASL_XOAUTH2;
}

static void
token_words(const struct provider *p, char *buf, size_t cap)
{
	char t[1024];

	snprintf(t, sizeof(t), "The access token must carry %s%s%s%s, and "
	    "it expires after about an hour: the application must fetch a "
	    "fresh one (client credentials or refresh token) and pass it as "
	    "the password of every connection; a properties file cannot do "
	    "that.", p->scope[0] ? "the scope " : "the provider's SMTP scope",
	    p->scope, p->token[0] ? " from " : "", p->token);
	add(buf, cap, " ", t);
}

void
provider_judge_auth(struct step_result *r, const struct probe_env *env,
    const char *java_mech)
{
	const struct step_result *s1 = env->prev[STEP_CONN - 1];
	struct provider p;
	enum provider_by by;
	struct sw_error e = { 0 };
	struct finding *f;
	enum verdict was = r->verdict;
	enum severity sev = SEV_INFO;
	char msg[sizeof(r->findings[0].message)];
	int oauth = java_wants_xoauth2(env->set, java_mech);

	if (s1 == NULL || s1->d.conn.provider[0] == '\0' ||
	    provider_lookup(s1->d.conn.provider, NULL, NULL, &p, &by, &e) !=
	    SW_OK || by == PROVIDER_BY_NONE)
		return;
	snprintf(msg, sizeof(msg), "%s: the login is %s. Passwords: %s",
	    p.name, p.login, p.password);
	add(msg, sizeof(msg), "", msg[strlen(msg) - 1] == '.' ? "" : ".");
	if (oauth) {
		add(msg, sizeof(msg), " ", "Java logs in with XOAUTH2, the "
		    "password being an OAuth2 access token.");
		token_words(&p, msg, sizeof(msg));
	} else if (p.oauth2 >= OAUTH2_RECOMMENDED) {
		sev = p.oauth2 == OAUTH2_REQUIRED ? SEV_WARN : SEV_INFO;
		add(msg, sizeof(msg), " ", "For OAuth2 set "
		    "mail.smtp.auth.mechanisms=XOAUTH2 (offered below; "
		    "applied only when you choose it) and give an access "
		    "token as the password.");
		token_words(&p, msg, sizeof(msg));
	}
	f = result_add(r, "provider-auth", sev, "%s", msg);
	if (f != NULL && !oauth && p.oauth2 >= OAUTH2_RECOMMENDED) {
		f->optin = 1;
		finding_suggest(f, "mail.smtp.auth.mechanisms", "XOAUTH2");
		finding_suggest(f, "mail.smtp.auth.login.disable", "true");
		finding_suggest(f, "mail.smtp.auth.plain.disable", "true");
	}
	if (was == VERDICT_SKIPPED)
		r->verdict = was;
}
