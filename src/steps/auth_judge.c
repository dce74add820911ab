/*
 * Step 5's judge: what the login learnt (r->d.auth, filled by
 * auth_probe.c) in, the findings and the verdict out, in the order the
 * step met them: AUTH offered in the clear, the OAuth2 token, why the
 * login was not tried, the session's AUTH, Java's mechanism and the
 * others tried, the test message, the provider's login form.  No
 * server: a test fills the data and calls auth_judge().  The reply
 * decoder (explain.h) and the provider table are read from assets/.
 */
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "probe.h"
#include "provider_judge.h"
#include "sasl.h"
#include "tls.h"

/* The mechanisms that send the password itself (base64 is no cipher). */
static int
sends_password(const char *list)
{
	return sasl_offered(list, "PLAIN") || sasl_offered(list, "LOGIN") ||
	    sasl_offered(list, "XOAUTH2");
}

static void
judge_in_clear(struct step_result *r, const struct auth_data *d)
{
	struct finding *f;
	const char *what;
	int weak = sends_password(d->clear_mech);

	what = weak ? "the password itself, readable by anyone on the path "
	    "(base64 is no encryption)" : "its login in clear text (a "
	    "challenge-response one, not the password itself)";
	if (d->mode == MODE_STARTTLS) {
		f = result_add(r, "auth-in-clear", weak ? SEV_WARN : SEV_INFO,
		    "The server offers AUTH (%s) before STARTTLS: a client "
		    "that does not insist on STARTTLS would send %s. Keep "
		    "mail.smtp.starttls.enable=true and require it; the mail "
		    "administrator should offer AUTH only after STARTTLS "
		    "(Postfix: smtpd_tls_auth_only=yes).", d->clear_mech,
		    what);
		finding_suggest(f, "mail.smtp.starttls.enable", "true");
		finding_suggest(f, "mail.smtp.starttls.required", "true");
	} else
		result_add(r, "auth-in-clear", weak ? SEV_WARN : SEV_INFO,
		    "Port %u offers AUTH (%s) without any TLS: a client "
		    "logging in here sends %s. Use the server's submission "
		    "port with STARTTLS (587) or implicit TLS (465) if it has "
		    "one.", d->port, d->clear_mech, what);
}

/* ---- the OAuth2 token ---- */

static void
judge_token(struct step_result *r, const struct auth_data *d,
    const struct explain_db *db)
{
	const struct auth_token *t = &d->token;
	const struct explain_entry *x = NULL;
	char valid[64] = "", scope[340] = "", said[800];

	if (!t->asked)
		return;
	if (t->got) {
		if (t->expires_in >= 0)
			snprintf(valid, sizeof(valid), ", valid for %ld s",
			    t->expires_in);
		if (t->scope[0] != '\0')
			snprintf(scope, sizeof(scope), ", scope %s", t->scope);
		result_add(r, "oauth2-token", SEV_INFO, "Got an OAuth2 access "
		    "token from %s with the %s grant (type %s%s%s), as the "
		    "application would; the login below uses it (XOAUTH2). "
		    "The application must fetch a new one before it expires.",
		    t->endpoint, t->flow, t->token_type[0] ? t->token_type :
		    "not said", valid, scope);
		return;
	}
	if (db != NULL && t->decoded[0] != '\0')
		x = explain_db_find(db, t->decoded);
	if (t->error[0] != '\0' || t->status != 0)
		snprintf(said, sizeof(said), "HTTP %d%s%s%s%s", t->status,
		    t->error[0] ? ", " : "", t->error,
		    t->description[0] ? ": " : "", t->description);
	else
		snprintf(said, sizeof(said), "%s", t->failure);
	if (x != NULL)
		result_add(r, "oauth2-token-refused", SEV_FAIL, "No OAuth2 "
		    "access token: the token endpoint %s refused the %s "
		    "request (%s). %s: %s Fix: %s", t->endpoint, t->flow, said,
		    x->title, x->cause, x->fix);
	else if (t->status != 0)
		result_add(r, "oauth2-token-refused", SEV_FAIL, "No OAuth2 "
		    "access token: the token endpoint %s refused the %s "
		    "request (%s). Check the token endpoint's URL, the client "
		    "id and secret, and the refresh token.", t->endpoint,
		    t->flow, said);
	else
		result_add(r, "oauth2-token-failed", SEV_FAIL, "No OAuth2 "
		    "access token: smtpwiz could not ask the token endpoint "
		    "%s: %s. The application would fail the same way before "
		    "it reaches the mail server.", t->endpoint[0] ?
		    t->endpoint : "(none)", said);
}

/* ---- why the login was not tried ---- */

static void
judge_not_tried(struct step_result *r, const struct auth_data *d)
{
	if (d->result == AUTH_REFUSED_PLAINTEXT)
		result_add(r, "auth-refused-plaintext", SEV_WARN, "Port %u "
		    "offers no TLS, so smtpwiz did not send the password of "
		    "%s: it would cross the network readable by anyone on the "
		    "path (Java would send it). Use a port with STARTTLS "
		    "(587) or implicit TLS (465); to test here anyway, give "
		    "--allow-plaintext-auth.", d->port, d->user);
	else if (d->session == TRI_NO && d->beyond_build)
		/* Not checked is never a pass (issue 13). */
		result_add(r, "auth-not-checked", SEV_FAIL, "Not checked: the "
		    "server accepts no TLS version this build of smtpwiz (%s) "
		    "can complete (%s), so the login could not be tried. This "
		    "is a limit of smtpwiz, not a verdict on the server: Java "
		    "11+ and 8u261+ speak TLSv1.3; an smtpwiz linked with "
		    "mbedTLS 3.6 can check the login.", tls_library_version(),
		    d->session_error);
	else if (d->session == TRI_NO)
		result_add(r, "auth-no-session", SEV_WARN, "smtpwiz could not "
		    "open a session to log in: %s.", d->session_error);
}

/* ---- the login ---- */

static const char *
exception_name(const struct probe_env *env)
{
	return env->set->lib == MAIL_LIB_ANGUS2 ?
	    "jakarta.mail.AuthenticationFailedException" :
	    "javax.mail.AuthenticationFailedException";
}

/* The first line of a formatted reply, for quoting in one sentence. */
static const char *
first_line(const char *reply, char *buf, size_t cap)
{
	snprintf(buf, cap, "%.*s", (int)strcspn(reply, "\n"), reply);
	return buf;
}

/* Appends " text" to f's message when all of it still fits. */
static void
append_whole(struct finding *f, const char *sep, const char *text)
{
	size_t n;

	if (f == NULL || text == NULL || *text == '\0')
		return;
	n = strlen(f->message);
	if (n + strlen(sep) + strlen(text) < sizeof(f->message))
		snprintf(f->message + n, sizeof(f->message) - n, "%s%s", sep,
		    text);
}

/* The decoder's title, cause and fix, and its settings, on f. */
static void
append_decoded(struct finding *f, const struct explain_entry *x)
{
	size_t i;

	if (f == NULL || x == NULL)
		return;
	/* Title and fix always; the cause when there is room. */
	append_whole(f, " ", x->title);
	append_whole(f, ". ", x->cause);
	append_whole(f, strchr(".!?", f->message[strlen(f->message) - 1]) ?
	    " Fix: " : ". Fix: ", x->fix);
	for (i = 0; i < x->nset; i++)
		finding_suggest(f, x->set[i].key, x->set[i].value);
}

static void
judge_ok(struct step_result *r, const struct probe_env *env,
    const struct auth_data *d, const struct auth_attempt *at)
{
	struct finding *f;
	char line[300];
	const char *user = settings_effective(env->set, "mail.smtp.user");

	f = result_add(r, "auth-ok", SEV_INFO, "Logged in as %s with %s, the "
	    "mechanism Java will use (%s).", d->user, at->mech,
	    first_line(at->reply, line, sizeof(line)));
	finding_suggest(f, "mail.smtp.auth", "true");
	finding_suggest(f, "mail.smtp.user", user ? user : "");
}

static void
judge_rejected(struct step_result *r, const struct probe_env *env,
    const struct auth_data *d, const struct auth_attempt *at,
    const struct explain_db *db)
{
	const struct explain_entry *x = NULL;
	struct finding *f;
	char line[300], java[300];

	if (at->code == 0) {
		result_add(r, "auth-rejected", SEV_FAIL, "The server closed "
		    "the connection during AUTH %s (%s). Java reports \"%s: "
		    "[EOF]\". Servers do this to an address after too many "
		    "failed logins (fail2ban and the like), or when the port "
		    "is not the one they take logins on.", at->mech,
		    at->detail, exception_name(env));
		return;
	}
	first_line(at->reply, line, sizeof(line));
	if (at->java_sees[0] != '\0') {
		/* XOAUTH2: Java stops at the 334 and quotes it. */
		f = result_add(r, "auth-rejected", SEV_FAIL, "The server "
		    "refused the OAuth2 access token of %s (XOAUTH2): %s. "
		    "Java reports \"%s: %.120s\".", d->user, at->detail,
		    exception_name(env), at->java_sees);
		append_whole(f, " ", "Status 401 means the token is expired, "
		    "revoked or lacks the scope named (Gmail "
		    "https://mail.google.com/, Microsoft 365 "
		    "https://outlook.office.com/SMTP.Send); 400 that the user "
		    "name does not match the token. Give a fresh access token "
		    "as the password.");
		return;
	}
	if (at->code == 334) {
		/* Everything was sent, yet the server asks for more. */
		result_add(r, "auth-endless-challenge", SEV_FAIL, "The server "
		    "kept asking for more (334) after the credentials of %s "
		    "were sent with %s: it never finishes the login. This is "
		    "not a wrong password; the server, or a proxy in front of "
		    "it, is broken. Report it to the mail administrator.",
		    d->user, at->mech);
		return;
	}
	f = result_add(r, "auth-rejected", SEV_FAIL, "The server refused the "
	    "login of %s with %s: %s. Java reports \"%s: %s\".", d->user,
	    at->mech, line, exception_name(env), line);
	if (at->detail[0] != '\0') {
		snprintf(java, sizeof(java), "(%s.)", at->detail);
		append_whole(f, " ", java);
	}
	if (at->code == 530 && d->mode == MODE_PLAIN)
		append_whole(f, " ", "Java answers a 530 to AUTH by sending "
		    "STARTTLS and trying once more, which fails on a port "
		    "without STARTTLS.");
	if (db != NULL && at->explain_id[0] != '\0')
		x = explain_db_find(db, at->explain_id);
	if (f == NULL || x == NULL)
		return;
	append_decoded(f, x);
	f->optin = 1;	/* the table's generic fix: the user decides */
}

static void
judge_other_works(struct step_result *r, const struct probe_env *env,
    const char *failed, const char *mech)
{
	struct finding *f;
	const char *user = settings_effective(env->set, "mail.smtp.user");

	if (strcmp(mech, "CRAM-MD5") == 0) {
		f = result_add(r, "auth-other-mechanism-works", SEV_WARN,
		    "%s does not work here but CRAM-MD5 does. Java speaks "
		    "CRAM-MD5 only through the JDK's SASL support: set "
		    "mail.smtp.sasl.enable=true and "
		    "mail.smtp.sasl.mechanisms=CRAM-MD5.", failed);
		finding_suggest(f, "mail.smtp.sasl.enable", "true");
		finding_suggest(f, "mail.smtp.sasl.mechanisms", "CRAM-MD5");
	} else {
		f = result_add(r, "auth-other-mechanism-works", SEV_WARN,
		    "%s does not work here but %s does: set "
		    "mail.smtp.auth.mechanisms=%s so that Java uses it.",
		    failed, mech, mech);
		finding_suggest(f, "mail.smtp.auth.mechanisms", mech);
	}
	finding_suggest(f, "mail.smtp.auth", "true");
	finding_suggest(f, "mail.smtp.user", user ? user : "");
}

/* The attempts from index from on were all refused too. */
static void
judge_others_refused(struct step_result *r, const struct auth_data *d,
    size_t from)
{
	char list[128] = "";
	size_t i;

	for (i = from; i < d->nattempts; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", list[0] ? ", " : "", d->attempts[i].mech);
	result_add(r, "auth-other-mechanisms-refused", SEV_INFO, "smtpwiz "
	    "also tried %s, which the server offers too: refused as well, so "
	    "the user name or password (or the account's right to use SMTP "
	    "AUTH) is the problem, not the mechanism.", list);
}

/* Java's mechanism (attempts[0] when tried), then the others. */
static void
judge_login(struct step_result *r, const struct probe_env *env,
    const struct auth_data *d, const struct explain_db *db)
{
	const struct auth_attempt *java = NULL;

	if (d->nattempts > 0 && d->attempts[0].java_choice)
		java = &d->attempts[0];
	if (d->java_mech[0] == '\0')
		result_add(r, "auth-no-common-mechanism", SEV_FAIL, "%s",
		    d->java_why);
	else if (java == NULL)
		result_add(r, "auth-mechanism-untested", SEV_WARN, "Java would "
		    "log in with %s, which smtpwiz cannot try (it does PLAIN, "
		    "LOGIN, CRAM-MD5 and XOAUTH2). %s", d->java_mech,
		    d->java_why);
	else if (java->ok) {
		judge_ok(r, env, d, java);
		return;
	} else
		judge_rejected(r, env, d, java, db);
	if (d->working_mech[0] != '\0')
		judge_other_works(r, env, d->java_mech[0] ? d->java_mech :
		    "Java's choice", d->working_mech);
	else if (d->nattempts > (java != NULL ? 1u : 0u))
		judge_others_refused(r, d, java != NULL ? 1 : 0);
}

static void
judge_session(struct step_result *r, const struct probe_env *env,
    const struct auth_data *d, const struct explain_db *db)
{
	if (d->auth_in_clear == TRI_YES && d->clear_in_session)
		judge_in_clear(r, d);
	if (d->session_auth != TRI_YES) {
		result_add(r, "auth-not-offered", SEV_WARN, "The server offers "
		    "no AUTH %s. Java then does not log in at all, even with "
		    "mail.smtp.auth=true, and sends without authentication: "
		    "the server decides at MAIL FROM and RCPT TO. If it needs "
		    "a login, AUTH must be enabled on this port; if it relays "
		    "by address, no user is needed.", d->mode == MODE_PLAIN ?
		    "on this port" : "after TLS");
		return;
	}
	if (d->mode == MODE_PLAIN)
		result_add(r, "auth-sent-in-clear", SEV_WARN, "As "
		    "--allow-plaintext-auth allowed, the credentials crossed "
		    "the network without TLS, readable by anyone on the path.");
	judge_login(r, env, d, db);
}

/* ---- the test message ---- */

static void
judge_mail(struct step_result *r, const struct mail_test *mt,
    const struct explain_db *db)
{
	char line[300];

	switch (mt->result) {
	case MAIL_ACCEPTED:
		result_add(r, "mail-accepted", SEV_INFO, "The server accepted "
		    "the test message from <%s> to <%s>%s%s: %s.", mt->from,
		    mt->to, mt->queue_id[0] ? ", queue id " : "",
		    mt->queue_id, first_line(mt->reply, line, sizeof(line)));
		break;
	case MAIL_REJECTED:
		append_decoded(result_add(r, "mail-rejected", SEV_FAIL, "The "
		    "server refused the test message at %s: %s.", mt->stage,
		    first_line(mt->reply, line, sizeof(line))),
		    db != NULL ? explain_reply(db, mt->code, mt->enhanced,
		    mt->reply) : NULL);
		break;
	case MAIL_FAILED:
		result_add(r, "mail-failed", SEV_WARN, "The test message did "
		    "not get through: %s.", mt->reason);
		break;
	case MAIL_SKIPPED:
		result_add(r, "mail-skipped", SEV_INFO, "No test message was "
		    "sent: %s.", mt->reason);
		break;
	default:
		break;
	}
}

void
auth_judge(struct step_result *r, const struct probe_env *env)
{
	const struct auth_data *d = &r->d.auth;
	struct explain_db *db = NULL;
	struct sw_error e = { 0 };

	r->nfindings = 0;
	r->verdict = VERDICT_SKIPPED;
	if (explain_db_load(&db, NULL, &e) != SW_OK)
		db = NULL;		/* the probe said so: not decoded */
	if (d->auth_in_clear == TRI_YES && !d->clear_in_session)
		judge_in_clear(r, d);
	judge_token(r, d, db);
	if (d->session == TRI_YES)
		judge_session(r, env, d, db);
	else
		judge_not_tried(r, d);
	judge_mail(r, &d->mail, db);
	explain_db_free(db);
	provider_judge_auth(r, env, d->java_mech);
	if (r->verdict == VERDICT_SKIPPED || d->result == AUTH_SKIPPED)
		snprintf(r->skip_reason, sizeof(r->skip_reason), "%s",
		    d->reason);
}
