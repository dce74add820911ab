/*
 * Step 5's OAuth2 part: before the login, the access token is fetched
 * the way the application fetches it (oauth2.h), and what the token
 * endpoint said is recorded in r->d.auth.token -- the grant it gave,
 * or its refusal and the error tables' entry for it (AADSTS codes, RFC
 * 6749 §5.2 errors), which auth_judge.c turns into a cause and a fix.
 * The token itself goes only to the login.
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
	snprintf(t->token_type, sizeof(t->token_type), "%s", ans.token_type);
	snprintf(t->scope, sizeof(t->scope), "%s", ans.scope);
	snprintf(t->description, sizeof(t->description), "%s",
	    ans.description);
	snprintf(t->failure, sizeof(t->failure), "%s", ans.failure);
	if (ans.got_token) {
		t->got = 1;
		t->expires_in = ans.expires_in;
		a->pass = env->opt.oauth2_token->buf;
		return SW_OK;
	}
	*ok = 0;
	x = decode(a, &ans);
	if (x != NULL)
		snprintf(t->decoded, sizeof(t->decoded), "%s", x->id);
	snprintf(why, cap, "no OAuth2 access token from %s: %s",
	    ans.host[0] ? ans.host : "the token endpoint",
	    x != NULL ? x->title : ans.error[0] ? ans.error :
	    ans.status ? "refused" : ans.failure);
	return SW_OK;
}
