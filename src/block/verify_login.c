/*
 * The verification's login and envelope: AUTH exactly when and as
 * SMTPTransport.protocolConnect() and authenticate() would (step 5's
 * exchange does the talking, credentials kept out of the transcript),
 * never without TLS unless the user allowed it; then MAIL FROM, RCPT TO
 * when given, and RSET.  No message is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "mail_test.h"
#include "sasl.h"
#include "session.h"
#include "verify_int.h"

/* ---- logging in ---- */

/* The password Java would have: the one given, or the block's. */
static const char *
block_password(const struct vrun *v)
{
	const char *pw = v->env.opt.password;

	if (pw == NULL)
		pw = settings_get(v->env.set, "mail.smtp.password");
	if (pw != NULL && (*pw == '\0' || strcmp(pw, BLOCK_PLACEHOLDER) == 0))
		pw = NULL;
	return pw;
}

/* One AUTH exchange with the mechanism Java picks (step 5's code). */
static int
auth_exchange(struct vrun *v, enum sasl_mech mech, struct sw_error *err)
{
	struct auth_attempt *at = NULL;
	struct sw_error e = { 0 };
	char exc[700];
	enum sw_err rc;

	if ((v->a.r = calloc(1, sizeof(*v->a.r))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory"), ERR;
	v->a.d = &v->a.r->d.auth;
	v->a.env = &v->env;
	snprintf(v->a.host, sizeof(v->a.host), "%s", v->host);
	v->a.port = v->port;
	v->a.mode = v->ssl || v->sf_ssl ? MODE_SSL : v->tls_on ?
	    MODE_STARTTLS : MODE_PLAIN;
	v->a.caps = v->caps;
	auth_scrub_plug(&v->a);
	rc = auth_try(&v->a, mech, 1, &at, &e);
	if (rc == SW_EUSAGE)
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_AUTH, STEP_AUTH, NULL,
		    "Java would log in with %s, which smtpwiz cannot do: %s.",
		    sasl_mech_name(mech), sw_error_text(&e));
	if (rc == SW_ENOMEM)
		return sw_fail(err, rc, "out of memory"), ERR;
	if (rc != SW_OK)
		return verify_io_failed(v, rc, &e, VSTAGE_AUTH, STEP_AUTH,
		    "the reply to AUTH");
	snprintf(v->res->mech, sizeof(v->res->mech), "%.23s", at->mech);
	if (at->ok) {
		v->res->plaintext_auth = !v->tls_on;
		return GO;
	}
	snprintf(exc, sizeof(exc), "javax.mail.AuthenticationFailedException:"
	    " %s", at->java_sees[0] ? at->java_sees : at->reply);
	return verify_stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_AUTH, exc, "The "
	    "server refused the login with %s: \"%s\".", at->mech, at->reply);
}

/*
 * SMTPTransport.protocolConnect(): with mail.smtp.auth, or with a user
 * and a password, Java logs in when the server lists AUTH -- and skips
 * the login without a word when it does not.
 */
int
verify_login(struct vrun *v, struct sw_error *err)
{
	const struct settings *set = v->env.set;
	const char *user = settings_effective(set, "mail.smtp.user");
	const char *pass = block_password(v);
	int use_auth = settings_bool(set, "mail.smtp.auth");
	struct sasl_choice ch;

	if (user != NULL && *user == '\0')
		user = NULL;
	if (!use_auth && (user == NULL || pass == NULL))
		return GO;
	if (user == NULL)
		return verify_stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_AUTH,
		    "javax.mail.AuthenticationFailedException", "mail.smtp."
		    "auth is true but the block names no mail.smtp.user: Java "
		    "gives up before it connects.");
	if (pass == NULL)
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_AUTH, STEP_AUTH, NULL,
		    "No password was given for %s, so the login could not be "
		    "checked (give it with --password-file, SMTPWIZ_PASSWORD "
		    "or at the prompt).", user);
	if (v->caps.auth != TRI_YES) {
		if (v->env.opt.rcpt_to != NULL) {
			v->res->mech[0] = '\0';
			return GO;	/* RCPT TO tells whether it relays */
		}
		return verify_stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_AUTH,
		    "(none: Java skips the login without a word)", "The "
		    "server offers no AUTH on this connection%s, so Java does "
		    "not log in as %s; a server that wants a login then "
		    "refuses the mail (\"554 5.7.1 Relay access denied\" or "
		    "similar). Use the port and connection type where the "
		    "server offers AUTH, or give --rcpt-to to check whether it "
		    "relays without a login.", v->tls_on ? "" :
		    " (no TLS)", user);
	}
	if (!v->tls_on && !v->env.opt.allow_plaintext_auth)
		return verify_stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_CONN,
		    "(none: the password would cross the network in clear)",
		    "Java would send the password of %s without TLS. Use "
		    "STARTTLS or implicit TLS; only if this network is trusted, "
		    "allow it explicitly (--allow-plaintext-auth).", user);
	sasl_java_choice(set, v->caps.mechanisms, &ch);
	if (ch.mech == SASL_NONE)
		return verify_stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_AUTH,
		    "javax.mail.AuthenticationFailedException: No "
		    "authentication mechanisms supported by both server and "
		    "client", "%s", ch.why);
	v->a.user = user;
	v->a.pass = pass;
	v->a.authzid = settings_get(set, "mail.smtp.sasl.authorizationid");
	return auth_exchange(v, ch.mech, err);
}

/* ---- the envelope ---- */

/* MAIL FROM as Java fills it: --mail-from, mail.smtp.from, the user. */
static void
envelope_from(const struct vrun *v, char *buf, size_t cap)
{
	const char *c[3] = { v->env.opt.mail_from, settings_get(v->env.set,
	    "mail.smtp.from"), settings_effective(v->env.set,
	    "mail.smtp.user") };
	struct sw_error e = { 0 };
	size_t i;

	for (i = 0; i < 3; i++)
		if (c[i] != NULL && strchr(c[i], '@') != NULL &&
		    mail_test_check_address(c[i], &e) == SW_OK) {
			snprintf(buf, cap, "%s", c[i]);
			return;
		}
	snprintf(buf, cap, "postmaster@localhost");
}

/* The step a refusal of the envelope belongs to. */
static enum step
envelope_step(const struct smtp_reply *rp)
{
	char text[600];

	verify_reply_line(rp, text, sizeof(text));
	return strcasestr(text, "STARTTLS") != NULL ||
	    strcasestr(text, "TLS first") != NULL ? STEP_CONN :
	    STEP_AUTH;
}

int
verify_envelope(struct vrun *v)
{
	struct sw_error e = { 0 };
	char cmd[300], line[300], exc[500];
	enum sw_err rc;

	envelope_from(v, v->res->from, sizeof(v->res->from));
	snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>", v->res->from);
	if ((rc = session_command(&v->a.s, cmd, &e)) != SW_OK)
		return verify_io_failed(v, rc, &e, VSTAGE_MAIL_FROM, STEP_AUTH,
		    "the reply to MAIL FROM");
	if (v->a.s.reply.code != 250) {
		verify_reply_line(&v->a.s.reply, line, sizeof(line));
		snprintf(exc, sizeof(exc), "%s.smtp.SMTPSendFailedException: "
		    "%s", v->exc_pkg, line);
		return verify_stop(v, VERIFY_FAILED, VSTAGE_MAIL_FROM,
		    envelope_step(&v->a.s.reply), exc, "The server refused "
		    "MAIL FROM:<%s>: \"%s\".", v->res->from, line);
	}
	if (v->env.opt.rcpt_to == NULL)
		return GO;
	snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>", v->env.opt.rcpt_to);
	if ((rc = session_command(&v->a.s, cmd, &e)) != SW_OK)
		return verify_io_failed(v, rc, &e, VSTAGE_RCPT_TO, STEP_AUTH,
		    "the reply to RCPT TO");
	if (v->a.s.reply.code != 250 && v->a.s.reply.code != 251) {
		verify_reply_line(&v->a.s.reply, line, sizeof(line));
		snprintf(exc, sizeof(exc), "javax.mail.SendFailedException: "
		    "Invalid Addresses; nested exception is: %s.smtp."
		    "SMTPAddressFailedException: %s", v->exc_pkg, line);
		return verify_stop(v, VERIFY_FAILED, VSTAGE_RCPT_TO,
		    envelope_step(&v->a.s.reply), exc, "The server refused "
		    "RCPT TO:<%s>: \"%s\".", v->env.opt.rcpt_to, line);
	}
	v->res->rcpt_checked = 1;
	session_command(&v->a.s, "RSET", &e);
	return GO;
}

