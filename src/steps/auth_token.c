/*
 * Step 5's OAuth2 part: before the login, the access token is fetched
 * the way the application fetches it (oauth2.h), and what the token
 * endpoint said becomes a finding -- the grant it gave, or its refusal
 * decoded by the error tables (AADSTS codes, RFC 6749 §5.2 errors)
 * into a cause and a fix.  The token itself goes only to the login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "oauth2.h"
#include "auth_int.h"
#include "secret.h"

static void
endpoint_note(void *arg, const char *text)
{
	probe_progress(arg, "token endpoint: %s", text);
}

/* The table entry for the endpoint's words, the description's first
 * (an AADSTS code is more precise than the error code around it). */
static const struct explain_entry *
decode(const struct auth_run *a, const struct oauth2_answer *ans)
{
	const char *text[2] = { ans->description, ans->error };
	struct explain_result *res;
	const struct explain_entry *x = NULL;
	size_t i;

	if (a->db == NULL || (res = malloc(sizeof(*res))) == NULL)
		return NULL;
	for (i = 0; i < 2 && x == NULL; i++)
		if (text[i][0] != '\0' && explain_text(a->db, text[i],
		    strlen(text[i]), res, NULL) == SW_OK && res->n > 0)
			x = res->hits[0].entry;
	free(res);
	return x;
}

static void
found_token(struct auth_run *a, const struct oauth2_answer *ans)
{
	char valid[64] = "", scope[340] = "";

	if (ans->expires_in >= 0)
		snprintf(valid, sizeof(valid), ", valid for %ld s",
		    ans->expires_in);
	if (ans->scope[0] != '\0')
		snprintf(scope, sizeof(scope), ", scope %s", ans->scope);
	result_add(a->r, "oauth2-token", SEV_INFO, "Got an OAuth2 access "
	    "token from %s with the %s grant (type %s%s%s), as the "
	    "application would; the login below uses it (XOAUTH2). The "
	    "application must fetch a new one before it expires.",
	    ans->host, a->d->token.flow, ans->token_type[0] ?
	    ans->token_type : "not said", valid, scope);
}

static void
found_refused(struct auth_run *a, const struct oauth2_answer *ans,
    const struct explain_entry *x)
{
	char said[800];

	if (ans->error[0] != '\0' || ans->status != 0)
		snprintf(said, sizeof(said), "HTTP %d%s%s%s%s", ans->status,
		    ans->error[0] ? ", " : "", ans->error,
		    ans->description[0] ? ": " : "", ans->description);
	else
		snprintf(said, sizeof(said), "%s", ans->failure);
	if (x != NULL)
		result_add(a->r, "oauth2-token-refused", SEV_FAIL, "No OAuth2 "
		    "access token: the token endpoint %s refused the %s "
		    "request (%s). %s: %s Fix: %s", ans->host,
		    a->d->token.flow, said, x->title, x->cause, x->fix);
	else if (ans->status != 0)
		result_add(a->r, "oauth2-token-refused", SEV_FAIL, "No OAuth2 "
		    "access token: the token endpoint %s refused the %s "
		    "request (%s). Check the token endpoint's URL, the "
		    "client id and secret, and the refresh token.", ans->host,
		    a->d->token.flow, said);
	else
		result_add(a->r, "oauth2-token-failed", SEV_FAIL, "No OAuth2 "
		    "access token: smtpwiz could not ask the token endpoint "
		    "%s: %s. The application would fail the same way before "
		    "it reaches the mail server.", ans->host[0] ? ans->host :
		    "(none)", said);
}

enum sw_err
auth_token(struct auth_run *a, int *ok, char *why, size_t cap,
    struct sw_error *err)
{
	const struct probe_env *env = a->env;
	struct oauth2_request rq;
	struct oauth2_answer ans;
	struct auth_token *t = &a->d->token;
	const struct explain_entry *x;
	enum sw_err rc;

	*ok = 1;
	if (env->opt.oauth2 == NULL || env->opt.oauth2_token == NULL)
		return SW_OK;
	rq = *env->opt.oauth2;
	t->asked = 1;
	t->expires_in = -1;
	snprintf(t->flow, sizeof(t->flow), "%s", oauth2_flow_name(rq.flow));
	rq.cancel_fd = env->cancel_fd;
	rq.connect_timeout_ms = env->connect_timeout_ms;
	rq.timeout_ms = env->read_timeout_ms;
	rq.note = endpoint_note;
	rq.arg = (void *)env;
	probe_progress(env, "asking for an OAuth2 access token (%s grant)",
	    t->flow);
	secret_clear(env->opt.oauth2_token);
	rc = oauth2_fetch(&rq, env->opt.oauth2_token, &ans, err);
	if (rc == SW_ECANCEL || rc == SW_ENOMEM)
		return rc;
	if (rc != SW_OK)
		snprintf(ans.failure, sizeof(ans.failure), "%s",
		    sw_error_text(err));
	sw_error_clear(err);
	snprintf(t->endpoint, sizeof(t->endpoint), "%s", ans.host);
	t->status = ans.status;
	snprintf(t->error, sizeof(t->error), "%s", ans.error);
	if (ans.got_token) {
		t->got = 1;
		t->expires_in = ans.expires_in;
		a->pass = env->opt.oauth2_token->buf;
		found_token(a, &ans);
		return SW_OK;
	}
	*ok = 0;
	x = decode(a, &ans);
	if (x != NULL)
		snprintf(t->decoded, sizeof(t->decoded), "%s", x->id);
	found_refused(a, &ans, x);
	snprintf(why, cap, "no OAuth2 access token from %s: %s",
	    ans.host[0] ? ans.host : "the token endpoint",
	    x != NULL ? x->title : ans.error[0] ? ans.error :
	    ans.status ? "refused" : ans.failure);
	return SW_OK;
}
