/*
 * Step 5: authentication, written straight through (msmtp_serverinfo()
 * style):
 *   1. the AUTH mechanisms before and after TLS (step 1's EHLO replies
 *      when it ran); AUTH offered without TLS is flagged;
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
 * This file decides and judges: the preconditions, the findings, the
 * result.  The exchanges themselves (3 to 5), and how the credentials
 * are kept out of the transcript, are auth_try.c's; the text and
 * JSON output is auth_render.c's.
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
#include "provider_judge.h"
#include "sanitize.h"
#include "sasl.h"
#include "secret.h"
#include "session.h"
#include "tls.h"

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
	const struct step_result *s1 = a->env->prev[STEP_CONNECTION - 1];
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

/* The mechanisms that send the password itself (base64 is no cipher). */
static int
sends_password(const char *list)
{
	return sasl_offered(list, "PLAIN") || sasl_offered(list, "LOGIN") ||
	    sasl_offered(list, "XOAUTH2");
}

static void
flag_auth_in_clear(struct auth_run *a)
{
	struct auth_data *d = a->d;
	struct finding *f;
	const char *what;
	int weak;

	if (a->mode == MODE_SSL || d->auth_before == TRI_UNKNOWN) {
		d->auth_in_clear = a->mode == MODE_SSL ? TRI_NO : TRI_UNKNOWN;
		return;
	}
	d->auth_in_clear = d->auth_before == TRI_YES ? TRI_YES : TRI_NO;
	if (d->auth_before != TRI_YES)
		return;
	weak = sends_password(d->mech_before);
	what = weak ? "the password itself, readable by anyone on the path "
	    "(base64 is no encryption)" : "its login in clear text (a "
	    "challenge-response one, not the password itself)";
	if (a->mode == MODE_STARTTLS) {
		f = result_add(a->r, "auth-in-clear", weak ? SEV_WARN :
		    SEV_INFO, "The server offers AUTH (%s) before STARTTLS: a "
		    "client that does not insist on STARTTLS would send %s. "
		    "Keep mail.smtp.starttls.enable=true and require it; the "
		    "mail administrator should offer AUTH only after STARTTLS "
		    "(Postfix: smtpd_tls_auth_only=yes).", d->mech_before,
		    what);
		finding_suggest(f, "mail.smtp.starttls.enable", "true");
		finding_suggest(f, "mail.smtp.starttls.required", "true");
	} else
		result_add(a->r, "auth-in-clear", weak ? SEV_WARN : SEV_INFO,
		    "Port %u offers AUTH (%s) without any TLS: a client "
		    "logging in here sends %s. Use the server's submission "
		    "port with STARTTLS (587) or implicit TLS (465) if it has "
		    "one.", a->port, d->mech_before, what);
}

/* ---- findings ---- */

static const char *
exception_name(const struct auth_run *a)
{
	return a->env->set->lib == MAIL_LIB_ANGUS2 ?
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

static void
found_ok(struct auth_run *a, const struct auth_attempt *at)
{
	struct finding *f;
	char line[300];

	f = result_add(a->r, "auth-ok", SEV_INFO, "Logged in as %s with %s, "
	    "the mechanism Java will use (%s).", a->d->user, at->mech,
	    first_line(at->reply, line, sizeof(line)));
	finding_suggest(f, "mail.smtp.auth", "true");
	finding_suggest(f, "mail.smtp.user", a->user);
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

static void
found_rejected(struct auth_run *a, const struct auth_attempt *at)
{
	const struct explain_entry *x = NULL;
	struct finding *f;
	char line[300], java[300];
	size_t i;

	if (at->code == 0) {
		result_add(a->r, "auth-rejected", SEV_FAIL, "The server "
		    "closed the connection during AUTH %s (%s). Java reports "
		    "\"%s: [EOF]\". Servers do this to an address after too "
		    "many failed logins (fail2ban and the like), or when the "
		    "port is not the one they take logins on.", at->mech,
		    at->detail, exception_name(a));
		return;
	}
	first_line(at->reply, line, sizeof(line));
	if (at->java_sees[0] != '\0') {
		/* XOAUTH2: Java stops at the 334 and quotes it. */
		f = result_add(a->r, "auth-rejected", SEV_FAIL, "The server "
		    "refused the OAuth2 access token of %s (XOAUTH2): %s. "
		    "Java reports \"%s: %.120s\".", a->d->user, at->detail,
		    exception_name(a), at->java_sees);
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
		result_add(a->r, "auth-endless-challenge", SEV_FAIL, "The "
		    "server kept asking for more (334) after the credentials "
		    "of %s were sent with %s: it never finishes the login. "
		    "This is not a wrong password; the server, or a proxy in "
		    "front of it, is broken. Report it to the mail "
		    "administrator.", a->d->user, at->mech);
		return;
	}
	f = result_add(a->r, "auth-rejected", SEV_FAIL, "The server refused "
	    "the login of %s with %s: %s. Java reports \"%s: %s\".",
	    a->d->user, at->mech, line, exception_name(a), line);
	if (at->detail[0] != '\0') {
		snprintf(java, sizeof(java), "(%s.)", at->detail);
		append_whole(f, " ", java);
	}
	if (at->code == 530 && a->mode == MODE_PLAIN)
		append_whole(f, " ", "Java answers a 530 to AUTH by sending "
		    "STARTTLS and trying once more, which fails on a port "
		    "without STARTTLS.");
	if (a->db != NULL && at->explain_id[0] != '\0')
		x = explain_db_find(a->db, at->explain_id);
	if (f == NULL || x == NULL)
		return;
	/* Title and fix always; the cause when there is room. */
	append_whole(f, " ", x->title);
	append_whole(f, ". ", x->cause);
	append_whole(f, strchr(".!?", f->message[strlen(f->message) - 1]) ?
	    " Fix: " : ". Fix: ", x->fix);
	f->optin = 1;	/* the table's generic fix: the user decides */
	for (i = 0; i < x->nset; i++)
		finding_suggest(f, x->set[i].key, x->set[i].value);
}

static void
found_other_works(struct auth_run *a, const char *failed, const char *mech)
{
	struct finding *f;

	if (strcmp(mech, "CRAM-MD5") == 0) {
		f = result_add(a->r, "auth-other-mechanism-works", SEV_WARN,
		    "%s does not work here but CRAM-MD5 does. Java speaks "
		    "CRAM-MD5 only through the JDK's SASL support: set "
		    "mail.smtp.sasl.enable=true and "
		    "mail.smtp.sasl.mechanisms=CRAM-MD5.", failed);
		finding_suggest(f, "mail.smtp.sasl.enable", "true");
		finding_suggest(f, "mail.smtp.sasl.mechanisms", "CRAM-MD5");
	} else {
		f = result_add(a->r, "auth-other-mechanism-works", SEV_WARN,
		    "%s does not work here but %s does: set "
		    "mail.smtp.auth.mechanisms=%s so that Java uses it.",
		    failed, mech, mech);
		finding_suggest(f, "mail.smtp.auth.mechanisms", mech);
	}
	finding_suggest(f, "mail.smtp.auth", "true");
	finding_suggest(f, "mail.smtp.user", a->user);
}

/* The attempts from index from on were all refused too. */
static void
found_others_refused(struct auth_run *a, size_t from)
{
	const struct auth_data *d = a->d;
	char list[128] = "";
	size_t i;

	for (i = from; i < d->nattempts; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", list[0] ? ", " : "", d->attempts[i].mech);
	result_add(a->r, "auth-other-mechanisms-refused", SEV_INFO, "smtpwiz "
	    "also tried %s, which the server offers too: refused as well, "
	    "so the user name or password (or the account's right to use "
	    "SMTP AUTH) is the problem, not the mechanism.", list);
}

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

/* ---- trying ---- */

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
	if (ch.mech == SASL_NONE) {
		set_result(a, AUTH_UNSUPPORTED, "no mechanism in common");
		result_add(a->r, "auth-no-common-mechanism", SEV_FAIL, "%s",
		    ch.why);
	} else if (!sasl_mech_testable(ch.mech)) {
		set_result(a, AUTH_UNSUPPORTED, "Java would use %s, which "
		    "smtpwiz cannot try", ch.name);
		result_add(a->r, "auth-mechanism-untested", SEV_WARN, "Java "
		    "would log in with %s, which smtpwiz cannot try (it does "
		    "PLAIN, LOGIN, CRAM-MD5 and XOAUTH2). %s", ch.name,
		    ch.why);
	} else {
		rc = auth_try(a, ch.mech, 1, &at, &e);
		if (rc == SW_ECANCEL || rc == SW_ENOMEM || at == NULL)
			return sw_fail(err, rc, "%s", sw_error_text(&e));
		snprintf(d->mechanism, sizeof(d->mechanism), "%s", ch.name);
		d->code = at->code;
		snprintf(d->enhanced, sizeof(d->enhanced), "%s", at->enhanced);
		snprintf(d->reply, sizeof(d->reply), "%s", at->reply);
		if (at->ok) {
			set_result(a, AUTH_OK, NULL);
			found_ok(a, at);
			return SW_OK;
		}
		set_result(a, AUTH_REJECTED, "the server refused %s", ch.name);
		found_rejected(a, at);
		if (!worth_others(at))
			return SW_OK;
	}
	/* XOAUTH2's "password" is a token: no other mechanism takes it. */
	if (ch.mech == SASL_XOAUTH2)
		return SW_OK;
	rc = auth_try_others(a, at, err);
	if (rc != SW_OK)
		return rc;
	if (d->working_mech[0] != '\0')
		found_other_works(a, ch.name[0] ? ch.name : "Java's choice",
		    d->working_mech);
	else if (d->nattempts > (at != NULL ? 1u : 0u))
		found_others_refused(a, at != NULL ? 1 : 0);
	return SW_OK;
}

/* ---- the test message ---- */

static void
mail_skip(struct auth_data *d, const char *why)
{
	d->mail.result = MAIL_SKIPPED;
	snprintf(d->mail.reason, sizeof(d->mail.reason), "%s", why);
}

static void
mail_findings(struct auth_run *a)
{
	const struct mail_test *mt = &a->d->mail;
	const struct explain_entry *x = NULL;
	struct finding *f;
	char line[300];
	size_t i;

	switch (mt->result) {
	case MAIL_ACCEPTED:
		result_add(a->r, "mail-accepted", SEV_INFO, "The server "
		    "accepted the test message from <%s> to <%s>%s%s: %s.",
		    mt->from, mt->to, mt->queue_id[0] ? ", queue id " : "",
		    mt->queue_id, first_line(mt->reply, line, sizeof(line)));
		break;
	case MAIL_REJECTED:
		if (a->db != NULL)
			x = explain_reply(a->db, mt->code, mt->enhanced,
			    mt->reply);
		f = result_add(a->r, "mail-rejected", SEV_FAIL, "The server "
		    "refused the test message at %s: %s.", mt->stage,
		    first_line(mt->reply, line, sizeof(line)));
		if (f == NULL || x == NULL)
			break;
		append_whole(f, " ", x->title);
		append_whole(f, ". ", x->cause);
		append_whole(f, strchr(".!?", f->message[strlen(f->message) -
		    1]) ? " Fix: " : ". Fix: ", x->fix);
		for (i = 0; i < x->nset; i++)
			finding_suggest(f, x->set[i].key, x->set[i].value);
		break;
	case MAIL_FAILED:
		result_add(a->r, "mail-failed", SEV_WARN, "The test message "
		    "did not get through: %s.", mt->reason);
		break;
	case MAIL_SKIPPED:
		result_add(a->r, "mail-skipped", SEV_INFO, "No test message "
		    "was sent: %s.", mt->reason);
		break;
	default:
		break;
	}
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
	if (d->mail.result == MAIL_SKIPPED) {
		mail_findings(a);
		return SW_OK;
	}
	if (!a->s.open || a->s.dead) {
		session_close(&a->s);
		if ((rc = auth_open_session(a, &e)) != SW_OK) {
			if (rc == SW_ECANCEL)
				return sw_fail(err, rc, "%s",
				    sw_error_text(&e));
			d->mail.result = MAIL_FAILED;
			snprintf(d->mail.reason, sizeof(d->mail.reason),
			    "no session: %s", sw_error_text(&e));
			mail_findings(a);
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
	mail_findings(a);
	return SW_OK;
}

/* ---- the step ---- */

static void
found_not_offered(struct auth_run *a)
{
	set_result(a, AUTH_UNSUPPORTED, "the server offers no AUTH");
	result_add(a->r, "auth-not-offered", SEV_WARN, "The server offers no "
	    "AUTH %s. Java then does not log in at all, even with "
	    "mail.smtp.auth=true, and sends without authentication: the "
	    "server decides at MAIL FROM and RCPT TO. If it needs a login, "
	    "AUTH must be enabled on this port; if it relays by address, no "
	    "user is needed.", a->mode == MODE_PLAIN ? "on this port" :
	    "after TLS");
}

static void
copy_caps(struct auth_run *a)
{
	struct auth_data *d = a->d;

	if (a->mode == MODE_PLAIN) {
		d->auth_before = a->caps.auth;
		snprintf(d->mech_before, sizeof(d->mech_before), "%s",
		    a->caps.mechanisms);
		if (result_find(a->r, "auth-in-clear") == NULL)
			flag_auth_in_clear(a);
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
		result_add(a->r, "auth-refused-plaintext", SEV_WARN, "Port %u "
		    "offers no TLS, so smtpwiz did not send the password of "
		    "%s: it would cross the network readable by anyone on the "
		    "path (Java would send it). Use a port with STARTTLS "
		    "(587) or implicit TLS (465); to test here anyway, give "
		    "--allow-plaintext-auth.", a->port, d->user);
		*mail_why = "the login was not tried";
		return 0;
	}
	return 1;
}

enum sw_err
probe_auth(const struct probe_env *env, struct step_result *r,
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
	mechanisms_seen(&a);
	flag_auth_in_clear(&a);
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
		if (a.beyond_build)
			/* Not checked is never a pass (issue 13). */
			result_add(r, "auth-not-checked", SEV_FAIL, "Not "
			    "checked: the server accepts no TLS version this "
			    "build of smtpwiz (%s) can complete (%s), so the "
			    "login could not be tried. This is a limit of "
			    "smtpwiz, not a verdict on the server: Java 11+ "
			    "and 8u261+ speak TLSv1.3; an smtpwiz linked with "
			    "mbedTLS 3.6 can check the login.",
			    tls_library_version(), sw_error_text(&e));
		else
			result_add(r, "auth-no-session", SEV_WARN, "smtpwiz "
			    "could not open a session to log in: %s.",
			    sw_error_text(&e));
		rc = send_mail(&a, "no session", err);
		goto out;
	}
	copy_caps(&a);
	if (a.caps.auth != TRI_YES) {
		found_not_offered(&a);
		rc = send_mail(&a, NULL, err);
		goto out;
	}
	if (a.mode == MODE_PLAIN)
		result_add(r, "auth-sent-in-clear", SEV_WARN, "As "
		    "--allow-plaintext-auth allowed, the credentials crossed "
		    "the network without TLS, readable by anyone on the path.");
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
		provider_judge_auth(r, env, d->java_mech);
	if (r->verdict == VERDICT_SKIPPED || d->result == AUTH_SKIPPED)
		snprintf(r->skip_reason, sizeof(r->skip_reason), "%s",
		    d->reason);
	return rc;
}
