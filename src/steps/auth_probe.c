/*
 * Step 5: authentication, written straight through (msmtp_serverinfo()
 * style):
 *   1. the AUTH mechanisms before and after TLS (step 1's EHLO replies
 *      when it ran); AUTH offered without TLS is noted;
 *   2. no user, no password, or no TLS without --allow-plaintext-auth:
 *      stop and say why (results "skipped", "refused-plaintext");
 *   3. a session opened the way Java connects (session_open_secure);
 *   4. the mechanism Java would choose (sasl_java_choice()) is tried;
 *   5. when it fails, or cannot be tried, up to AUTH_ALT_MAX other
 *      mechanisms the server offers -- each failed login counts towards
 *      the server's lockout, so no more -- and the one that works is
 *      suggested as mail.smtp.auth.mechanisms;
 *   6. the test message, when --mail-from and --rcpt-to ask for it.
 *
 * This file decides: the preconditions, what is tried next, the
 * result.  What it learns goes into r->d.auth as facts (each attempt,
 * the token, the sessions' AUTH, the test message), its decisions read
 * those facts, and auth_judge() makes the findings and the verdict of
 * them at the end.  The exchanges themselves (3 to 5), and how the
 * credentials are kept out of the transcript, are auth_try.c's; the
 * text and JSON output is auth_render.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "mail_test.h"
#include "probe.h"
#include "auth_int.h"
#include "sanitize.h"
#include "sasl.h"
#include "secret.h"
#include "session.h"

const char *
auth_result_name(enum auth_result r)
{
	switch (r) {
	case AUTH_OK:			return "ok";
	case AUTH_REJECTED:		return "rejected";
	case AUTH_REFUSED_PLAINTEXT:	return "refused-plaintext";
	case AUTH_UNSUPPORTED:		return "unsupported";
	default:			return "skipped";
	}
}

size_t
auth_reply_format(const struct smtp_reply *rp, char *buf, size_t cap)
{
	char line[600];
	const char *l;
	size_t i, len, o = 0;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	for (i = 0; (l = smtp_reply_line(rp, i, &len)) != NULL; i++) {
		sanitize(l, len, line, sizeof(line), 0);
		o += (size_t)snprintf(buf + o, cap - o, "%s%d%c%s",
		    i ? "\n" : "", rp->code, i + 1 < rp->nlines ? '-' : ' ',
		    line);
		if (o >= cap) {
			o = cap - 1;
			break;
		}
	}
	while (o > 0 && buf[o - 1] == ' ')	/* a bare "334 " */
		buf[--o] = '\0';
	return o;
}

/* ---- what step 1 saw, and AUTH in the clear ---- */

static void
mechanisms_seen(struct auth_run *a)
{
	const struct step_result *s1 = a->env->prev[STEP_CONN - 1];
	struct auth_data *d = a->d;
	const struct conn_data *c;

	if (s1 == NULL || s1->verdict == VERDICT_SKIPPED)
		return;
	c = &s1->d.conn;
	if (a->mode != MODE_SSL && c->caps.auth != TRI_UNKNOWN) {
		d->auth_before = c->caps.auth;
		snprintf(d->mech_before, sizeof(d->mech_before), "%s",
		    c->caps.mechanisms);
	}
	if (a->mode != MODE_PLAIN && c->caps_tls.auth != TRI_UNKNOWN) {
		d->auth_after = c->caps_tls.auth;
		snprintf(d->mech_after, sizeof(d->mech_after), "%s",
		    c->caps_tls.mechanisms);
	}
}

/*
 * AUTH offered without TLS, judged on d->auth_before: in_session when
 * the login's own session saw it (plain SMTP, step 1 had not).
 */
static void
note_auth_in_clear(struct auth_run *a, int in_session)
{
	struct auth_data *d = a->d;

	if (a->mode == MODE_SSL || d->auth_before == TRI_UNKNOWN) {
		d->auth_in_clear = a->mode == MODE_SSL ? TRI_NO : TRI_UNKNOWN;
		return;
	}
	d->auth_in_clear = d->auth_before == TRI_YES ? TRI_YES : TRI_NO;
	if (d->auth_in_clear != TRI_YES)
		return;
	snprintf(d->clear_mech, sizeof(d->clear_mech), "%s", d->mech_before);
	d->clear_in_session = in_session;
}

/* ---- trying ---- */

/* Would another mechanism help after this failure? */
static int
worth_others(const struct auth_attempt *at)
{
	if (at->code == 0 || at->code == 421 || at->code == 454 ||
	    at->code == 432)
		return 0;	/* gone, busy, or broken on the server side */
	if (strcmp(at->enhanced, "5.7.139") == 0 ||
	    strcmp(at->enhanced, "5.7.14") == 0)
		return 0;	/* account policy: no mechanism changes it */
	if (at->code == 534 && strcasestr(at->reply, "weak") == NULL)
		return 0;	/* Gmail's "application-specific password" */
	return 1;
}

static void
set_result(struct auth_run *a, enum auth_result res, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_result(struct auth_run *a, enum auth_result res, const char *fmt, ...)
{
	va_list ap;

	a->d->result = res;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(a->d->reason, sizeof(a->d->reason), fmt, ap);
	va_end(ap);
}

/* Logs in with Java's mechanism, then the others if that fails. */
static enum sw_err
log_in(struct auth_run *a, struct sw_error *err)
{
	struct auth_data *d = a->d;
	struct sasl_choice ch;
	struct auth_attempt *at = NULL;
	struct sw_error e = { 0 };
	enum sw_err rc;

	sasl_java_choice(a->env->set, a->caps.mechanisms, &ch);
	snprintf(d->java_mech, sizeof(d->java_mech), "%s", ch.name);
	snprintf(d->java_why, sizeof(d->java_why), "%s", ch.why);
	if (ch.mech == SASL_NONE)
		set_result(a, AUTH_UNSUPPORTED, "no mechanism in common");
	else if (!sasl_mech_testable(ch.mech))
		set_result(a, AUTH_UNSUPPORTED, "Java would use %s, which "
		    "smtpwiz cannot try", ch.name);
	else {
		rc = auth_try(a, ch.mech, 1, &at, &e);
		if (rc == SW_ECANCEL || rc == SW_ENOMEM || at == NULL)
			return sw_fail(err, rc, "%s", sw_error_text(&e));
		snprintf(d->mechanism, sizeof(d->mechanism), "%s", ch.name);
		d->code = at->code;
		snprintf(d->enhanced, sizeof(d->enhanced), "%s", at->enhanced);
		snprintf(d->reply, sizeof(d->reply), "%s", at->reply);
		if (at->ok) {
			set_result(a, AUTH_OK, NULL);
			return SW_OK;
		}
		set_result(a, AUTH_REJECTED, "the server refused %s", ch.name);
		if (!worth_others(at))
			return SW_OK;
	}
	/* XOAUTH2's "password" is a token: no other mechanism takes it. */
	if (ch.mech == SASL_XOAUTH2)
		return SW_OK;
	return auth_try_others(a, at, err);
}

/* ---- the test message ---- */

static void
mail_skip(struct auth_data *d, const char *why)
{
	d->mail.result = MAIL_SKIPPED;
	snprintf(d->mail.reason, sizeof(d->mail.reason), "%s", why);
}

static enum sw_err
send_mail(struct auth_run *a, const char *why_not, struct sw_error *err)
{
	const struct probe_opts *o = &a->env->opt;
	struct auth_data *d = a->d;
	struct sw_error e = { 0 };
	char server[300];
	enum sw_err rc;

	if (o->mail_from == NULL && o->rcpt_to == NULL)
		return SW_OK;
	if (o->mail_from == NULL || o->rcpt_to == NULL)
		mail_skip(d, "give both --mail-from and --rcpt-to");
	else if (mail_test_check_address(o->mail_from, &e) != SW_OK ||
	    mail_test_check_address(o->rcpt_to, &e) != SW_OK)
		mail_skip(d, sw_error_text(&e));
	else if (why_not != NULL)
		mail_skip(d, why_not);
	if (d->mail.result == MAIL_SKIPPED)
		return SW_OK;
	if (!a->s.open || a->s.dead) {
		session_close(&a->s);
		if ((rc = auth_open_session(a, &e)) != SW_OK) {
			if (rc == SW_ECANCEL)
				return sw_fail(err, rc, "%s",
				    sw_error_text(&e));
			d->mail.result = MAIL_FAILED;
			snprintf(d->mail.reason, sizeof(d->mail.reason),
			    "no session: %s", sw_error_text(&e));
			return SW_OK;
		}
	}
	snprintf(server, sizeof(server), "%s:%u", a->host, a->port);
	rc = mail_test_run(&a->s, o->mail_from, o->rcpt_to, server, &d->mail,
	    &e);
	if (a->pass != NULL && sasl_leaks(d->mail.reply,
	    strlen(d->mail.reply), a->pass))
		snprintf(d->mail.reply, sizeof(d->mail.reply), "%d %s",
		    d->mail.code, AUTH_REDACTED);
	if (rc == SW_ECANCEL || rc == SW_ENOMEM)
		return sw_fail(err, rc, "%s", sw_error_text(&e));
	return SW_OK;
}

/* ---- the step ---- */

static void
copy_caps(struct auth_run *a)
{
	struct auth_data *d = a->d;

	d->session = TRI_YES;
	d->session_auth = a->caps.auth;
	if (a->mode == MODE_PLAIN) {
		d->auth_before = a->caps.auth;
		snprintf(d->mech_before, sizeof(d->mech_before), "%s",
		    a->caps.mechanisms);
		if (d->auth_in_clear != TRI_YES)
			note_auth_in_clear(a, 1);
	} else {
		d->auth_after = a->caps.auth;
		snprintf(d->mech_after, sizeof(d->mech_after), "%s",
		    a->caps.mechanisms);
	}
}

/* The credentials as Java reads them, and the reply decoder. */
static void
read_inputs(struct auth_run *a)
{
	const struct probe_env *env = a->env;
	struct sw_error e = { 0 };

	a->user = settings_effective(env->set, "mail.smtp.user");
	a->pass = env->opt.password ? env->opt.password :
	    settings_get(env->set, "mail.smtp.password");
	a->authzid = settings_get(env->set, "mail.smtp.sasl.authorizationid");
	if (a->authzid == NULL)
		a->authzid = a->user;	/* as Java: authzid = user */
	if (explain_db_load(&a->db, NULL, &e) != SW_OK) {
		probe_progress(env, "replies not decoded: %s",
		    sw_error_text(&e));
		a->db = NULL;
	}
}

/* Everything up to the login; returns 0 when the step stops here. */
static int
preconditions(struct auth_run *a, const char **mail_why)
{
	const struct probe_env *env = a->env;
	struct auth_data *d = a->d;

	if (a->user == NULL || *a->user == '\0') {
		set_result(a, AUTH_SKIPPED, "no user name given "
		    "(mail.smtp.user): the login is not tested");
		*mail_why = NULL;	/* Java sends without logging in */
		return 0;
	}
	sanitize_str(a->user, d->user, sizeof(d->user), 0);
	if (a->pass == NULL) {
		set_result(a, AUTH_SKIPPED, "no password given for %s (in "
		    "batch mode: --password-file FILE, the %s variable, or a "
		    "terminal to be asked on)", d->user, SECRET_ENV);
		*mail_why = "Java does not connect without the password";
		return 0;
	}
	if (a->mode == MODE_PLAIN && !env->opt.allow_plaintext_auth) {
		set_result(a, AUTH_REFUSED_PLAINTEXT, "port %u has no TLS: "
		    "the password would cross the network readable by anyone "
		    "on the path", a->port);
		*mail_why = "the login was not tried";
		return 0;
	}
	return 1;
}

enum sw_err
auth_probe(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct auth_run a;
	struct auth_data *d = &r->d.auth;
	struct sw_error e = { 0 };
	const char *why = NULL, *mail_why = NULL;
	enum sw_err rc = SW_OK;

	memset(&a, 0, sizeof(a));
	a.env = env;
	a.r = r;
	a.d = d;
	if (!probe_target(env, a.host, sizeof(a.host), &a.port, &a.mode,
	    &why)) {
		r->verdict = VERDICT_SKIPPED;
		snprintf(r->skip_reason, sizeof(r->skip_reason), "skipped: %s",
		    why ? why : "no host");
		return SW_OK;
	}
	d->mode = a.mode;
	d->port = a.port;
	mechanisms_seen(&a);
	note_auth_in_clear(&a, 0);
	read_inputs(&a);
	if (a.user != NULL && *a.user != '\0') {
		char tw[256];
		int ok;

		if ((rc = auth_token(&a, &ok, tw, sizeof(tw), err)) != SW_OK)
			goto out;
		if (!ok) {
			set_result(&a, AUTH_SKIPPED, "%s", tw);
			rc = send_mail(&a, "Java does not connect without the "
			    "access token", err);
			goto out;
		}
	}
	if (!preconditions(&a, &mail_why)) {
		rc = send_mail(&a, mail_why, err);
		goto out;
	}
	rc = auth_open_session(&a, &e);
	if (rc != SW_OK) {
		if (rc == SW_ECANCEL) {
			sw_fail(err, rc, "%s", sw_error_text(&e));
			goto out;
		}
		set_result(&a, AUTH_SKIPPED, "smtpwiz could not open a "
		    "session to log in: %s", sw_error_text(&e));
		d->session = TRI_NO;
		d->beyond_build = a.beyond_build;
		snprintf(d->session_error, sizeof(d->session_error), "%s",
		    sw_error_text(&e));
		rc = send_mail(&a, "no session", err);
		goto out;
	}
	copy_caps(&a);
	if (a.caps.auth != TRI_YES) {
		set_result(&a, AUTH_UNSUPPORTED, "the server offers no AUTH");
		rc = send_mail(&a, NULL, err);
		goto out;
	}
	rc = log_in(&a, err);
	if (rc != SW_OK)
		goto out;
	if (d->result == AUTH_OK || d->working_mech[0] != '\0')
		rc = send_mail(&a, NULL, err);
	else
		rc = send_mail(&a, "the login failed, so Java would not get "
		    "as far as sending", err);
out:
	session_close(&a.s);
	explain_db_free(a.db);
	if (rc != SW_ECANCEL)
		auth_judge(r, env);
	return rc;
}
