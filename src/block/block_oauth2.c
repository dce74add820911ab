/*
 * The settings block for OAuth2 (XOAUTH2): when the block logs in with
 * a token -- the user's settings ask for XOAUTH2, or step 5 logged in
 * with it -- the block names XOAUTH2 alone, keeps LOGIN and PLAIN off
 * where the server offers them (a token sent as a LOGIN password is a
 * token leaked to a log), and its header says what Java must do that a
 * properties file cannot: fetch a fresh access token and give it as
 * the password.
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "sasl.h"

static int
wants_xoauth2(const struct block *b, const struct block_input *in)
{
	const struct step_result *s5 = in->steps[STEP_AUTH - 1];
	const char *m = props_get(b->p, "mail.smtp.auth.mechanisms");
	const char *off = props_get(b->p, "mail.smtp.auth.xoauth2.disable");

	if (m != NULL)
		return sasl_offered(m, "XOAUTH2");
	if (off != NULL && strcmp(off, "false") == 0)
		return 1;
	return s5 != NULL && s5->verdict != VERDICT_SKIPPED &&
	    s5->d.auth.result == AUTH_OK &&
	    strcmp(s5->d.auth.mechanism, "XOAUTH2") == 0;
}

/* Does the server offer mech (after TLS, else before)?  Unknown: yes. */
static int
offers(const struct block_input *in, const char *mech)
{
	const struct step_result *s5 = in->steps[STEP_AUTH - 1];
	const struct auth_data *d;

	if (s5 == NULL || s5->verdict == VERDICT_SKIPPED)
		return 1;
	d = &s5->d.auth;
	if (d->auth_after == TRI_YES)
		return sasl_offered(d->mech_after, mech);
	if (d->auth_before == TRI_YES)
		return sasl_offered(d->mech_before, mech);
	return 1;
}

static enum sw_err
set(struct block *b, const char *key, const char *value, const char *why,
    struct sw_error *err)
{
	if (props_set(b->p, key, value, err) != SW_OK)
		return err->code;
	return props_set(b->why, key, why, err);
}

enum sw_err
block_oauth2(struct block *b, const struct block_input *in,
    struct sw_error *err)
{
	b->oauth2 = wants_xoauth2(b, in);
	if (!b->oauth2)
		return SW_OK;
	if (set(b, "mail.smtp.auth.mechanisms", "XOAUTH2", "OAuth2: the "
	    "password is an access token (see the header)", err) != SW_OK)
		return err->code;
	props_unset(b->p, "mail.smtp.auth.xoauth2.disable");
	if (offers(in, "LOGIN") && set(b, "mail.smtp.auth.login.disable",
	    "true", "never send the token as a LOGIN password", err) != SW_OK)
		return err->code;
	if (offers(in, "PLAIN") && set(b, "mail.smtp.auth.plain.disable",
	    "true", "never send the token as a PLAIN password", err) != SW_OK)
		return err->code;
	return SW_OK;
}

const char *
block_oauth2_note(void)
{
	return "OAuth2 (XOAUTH2): mail.smtp.password must be a current "
	    "OAuth2 access token, not the account's password.\n"
	    "Access tokens expire after about an hour: the application "
	    "must fetch a fresh one (client credentials or refresh token, "
	    "e.g. with MSAL or Google's client library)\n"
	    "and pass it as the password of each connection "
	    "(Transport.connect(host, user, token) or an Authenticator); a "
	    "properties file cannot do that.\n"
	    "JS7 takes the password from the Job Resource as it stands: a "
	    "job must renew the token there before it expires.\n";
}
