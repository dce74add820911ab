/*
 * Step 5's judge, table-driven: what the login learnt (struct
 * auth_data: EHLO's AUTH, the session, Java's choice, the attempts,
 * the OAuth2 token, the test message) in, the finding ids in order,
 * the verdict, a suggestion and the words that must be said out, no
 * server.  auth_judge() runs from the table of steps (step.c), with the
 * reply decoder and the provider table of assets/ (SMTPWIZ_ASSETS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "probe.h"
#include "judgeutil.h"
#include "tap.h"

/* One AUTH exchange as auth_try() records it. */
struct att {
	const char	*mech;
	int		 java;		/* Java's choice */
	int		 code;		/* 0: the connection broke */
	const char	*enhanced;
	const char	*reply;
	const char	*detail;
	const char	*java_sees;
};

enum tok { TOK_NONE, TOK_GOT, TOK_REFUSED, TOK_NO_ANSWER };

struct auth_case {
	const char	*name;
	const char	*settings;	/* beyond mail.smtp.user=alice */
	int		 angus;		/* Jakarta Mail 2 (Angus) */
	enum smtp_mode	 mode;
	unsigned	 port;
	/* AUTH without TLS: in_clear the list (NULL: none), seen by
	 * step 1 or (clear_in_session) by the login's own session. */
	const char	*in_clear;
	int		 clear_in_session;
	enum tri	 session;
	const char	*session_error;
	int		 beyond_build;
	enum tri	 session_auth;
	enum auth_result result;
	const char	*reason;
	const char	*java_mech;
	struct att	 at[3];
	const char	*working;
	enum tok	 token;
	enum mail_result mail;
	const char	*mail_reply;	/* "550 5.7.1 ..." */
	const char	*provider;	/* step 1 recognised it: "gmail" */
	/* Out. */
	const char	*ids;		/* the findings, in order */
	enum verdict	 verdict;
	const char	*suggest;	/* "id:key=value", or NULL */
	const char	*says;		/* "id:words", or NULL */
};

#define WHY	"Java picks LOGIN: the first of LOGIN PLAIN the server offers."
#define OK_LOGIN	{ "LOGIN", 1, 235, "2.7.0", "235 2.7.0 Authentication " \
	"successful", NULL, NULL }
#define BAD_LOGIN	{ "LOGIN", 1, 535, "5.7.8", "535 5.7.8 Error: " \
	"authentication failed", NULL, NULL }

static const struct auth_case cases[] = {
	{ .name = "skipped: no user", .mode = MODE_STARTTLS, .port = 587,
	  .settings = "-", .result = AUTH_SKIPPED,
	  .reason = "no user name given (mail.smtp.user): the login is not "
	  "tested", .ids = "", .verdict = VERDICT_SKIPPED },
	{ .name = "skipped: no password, test mail asked",
	  .mode = MODE_STARTTLS, .port = 587, .result = AUTH_SKIPPED,
	  .reason = "no password given for alice",
	  .mail = MAIL_SKIPPED, .ids = "mail-skipped",
	  .verdict = VERDICT_PASS,
	  .says = "mail-skipped:Java does not connect without the password" },
	{ .name = "login ok", .mode = MODE_STARTTLS, .port = 587,
	  .session = TRI_YES, .session_auth = TRI_YES, .result = AUTH_OK,
	  .java_mech = "LOGIN", .at = { OK_LOGIN }, .ids = "auth-ok",
	  .verdict = VERDICT_PASS, .suggest = "auth-ok:mail.smtp.user=alice",
	  .says = "auth-ok:Logged in as alice with LOGIN, the mechanism Java "
	  "will use (235 2.7.0 Authentication successful)." },
	{ .name = "no AUTH offered after TLS", .mode = MODE_STARTTLS,
	  .port = 587, .session = TRI_YES, .session_auth = TRI_NO,
	  .result = AUTH_UNSUPPORTED, .ids = "auth-not-offered",
	  .verdict = VERDICT_WARN, .says = "auth-not-offered:no AUTH after "
	  "TLS" },
	{ .name = "AUTH only before TLS", .mode = MODE_STARTTLS, .port = 587,
	  .in_clear = "PLAIN LOGIN", .session = TRI_YES,
	  .session_auth = TRI_NO, .result = AUTH_UNSUPPORTED,
	  .ids = "auth-in-clear auth-not-offered", .verdict = VERDICT_WARN,
	  .suggest = "auth-in-clear:mail.smtp.starttls.required=true",
	  .says = "auth-in-clear:offers AUTH (PLAIN LOGIN) before STARTTLS" },
	{ .name = "AUTH before TLS too, challenge-response only",
	  .mode = MODE_STARTTLS, .port = 587, .in_clear = "CRAM-MD5",
	  .session = TRI_YES, .session_auth = TRI_YES, .result = AUTH_OK,
	  .java_mech = "LOGIN", .at = { OK_LOGIN },
	  .ids = "auth-in-clear auth-ok", .verdict = VERDICT_PASS,
	  .says = "auth-in-clear:challenge-response" },
	{ .name = "plain port: refused without consent", .mode = MODE_PLAIN,
	  .port = 25, .in_clear = "PLAIN LOGIN",
	  .result = AUTH_REFUSED_PLAINTEXT, .mail = MAIL_SKIPPED,
	  .ids = "auth-in-clear auth-refused-plaintext mail-skipped",
	  .verdict = VERDICT_WARN,
	  .says = "auth-refused-plaintext:Port 25 offers no TLS, so smtpwiz "
	  "did not send the password of alice" },
	{ .name = "plain port, --allow-plaintext-auth, seen in the session",
	  .settings = "mail.smtp.starttls.enable=false", .mode = MODE_PLAIN,
	  .port = 25, .in_clear = "LOGIN", .clear_in_session = 1,
	  .session = TRI_YES, .session_auth = TRI_YES, .result = AUTH_OK,
	  .java_mech = "LOGIN", .at = { OK_LOGIN },
	  .ids = "auth-in-clear auth-sent-in-clear auth-ok",
	  .verdict = VERDICT_WARN, .says = "auth-in-clear:Port 25 offers AUTH "
	  "(LOGIN) without any TLS" },
	{ .name = "535 rejected, decoded", .mode = MODE_STARTTLS,
	  .port = 587, .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_REJECTED, .java_mech = "LOGIN", .at = { BAD_LOGIN },
	  .ids = "auth-rejected", .verdict = VERDICT_FAIL,
	  .says = "auth-rejected:Java reports \"javax.mail."
	  "AuthenticationFailedException: 535 5.7.8 Error: authentication "
	  "failed\". The server rejected the user name or password. The "
	  "credentials are wrong" },
	{ .name = "535 on Jakarta Mail 2", .angus = 1, .mode = MODE_SSL,
	  .port = 465, .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_REJECTED, .java_mech = "LOGIN", .at = { BAD_LOGIN },
	  .ids = "auth-rejected", .verdict = VERDICT_FAIL,
	  .says = "auth-rejected:jakarta.mail.AuthenticationFailedException" },
	{ .name = "530 on a plain port", .mode = MODE_PLAIN, .port = 25,
	  .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_REJECTED, .java_mech = "PLAIN",
	  .at = { { "PLAIN", 1, 530, "5.7.0", "530 5.7.0 Must issue a "
	  "STARTTLS command first", NULL, NULL } },
	  .ids = "auth-sent-in-clear auth-rejected", .verdict = VERDICT_FAIL,
	  .suggest = "auth-rejected:mail.smtp.starttls.enable=true",
	  .says = "auth-rejected:Java answers a 530 to AUTH by sending "
	  "STARTTLS" },
	{ .name = "the server hung up during AUTH", .mode = MODE_STARTTLS,
	  .port = 587, .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_REJECTED, .java_mech = "LOGIN",
	  .at = { { "LOGIN", 1, 0, "", "[EOF]", "connection closed", NULL } },
	  .ids = "auth-rejected", .verdict = VERDICT_FAIL,
	  .says = "auth-rejected:closed the connection during AUTH LOGIN "
	  "(connection closed)" },
	{ .name = "endless 334", .mode = MODE_STARTTLS, .port = 587,
	  .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_REJECTED, .java_mech = "LOGIN",
	  .at = { { "LOGIN", 1, 334, "", "334 VXNlcm5hbWU6", NULL, NULL } },
	  .ids = "auth-endless-challenge", .verdict = VERDICT_FAIL },
	{ .name = "XOAUTH2 token refused at the 334",
	  .settings = "mail.smtp.auth.mechanisms=XOAUTH2",
	  .mode = MODE_STARTTLS, .port = 587, .session = TRI_YES,
	  .session_auth = TRI_YES, .result = AUTH_REJECTED,
	  .java_mech = "XOAUTH2",
	  .at = { { "XOAUTH2", 1, 535, "5.7.8", "535 5.7.8 Username and "
	  "Password not accepted", "{\"status\":\"401\"}", "334 eyJzdGF0dXMi"
	  "OiI0MDEifQ==" } },
	  .ids = "auth-rejected", .verdict = VERDICT_FAIL,
	  .says = "auth-rejected:refused the OAuth2 access token of alice "
	  "(XOAUTH2): {\"status\":\"401\"}" },
	{ .name = "a second mechanism worked", .mode = MODE_STARTTLS,
	  .port = 587, .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_REJECTED, .java_mech = "LOGIN",
	  .at = { BAD_LOGIN, { "PLAIN", 0, 235, "2.7.0", "235 2.7.0 OK",
	  NULL, NULL } }, .working = "PLAIN",
	  .ids = "auth-rejected auth-other-mechanism-works",
	  .verdict = VERDICT_FAIL,
	  .suggest = "auth-other-mechanism-works:mail.smtp.auth.mechanisms="
	  "PLAIN", .says = "auth-other-mechanism-works:LOGIN does not work "
	  "here but PLAIN does" },
	{ .name = "CRAM-MD5 worked", .mode = MODE_STARTTLS, .port = 587,
	  .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_REJECTED, .java_mech = "LOGIN",
	  .at = { BAD_LOGIN, { "CRAM-MD5", 0, 235, "2.7.0", "235 2.7.0 OK",
	  NULL, NULL } }, .working = "CRAM-MD5",
	  .ids = "auth-rejected auth-other-mechanism-works",
	  .verdict = VERDICT_FAIL,
	  .suggest = "auth-other-mechanism-works:mail.smtp.sasl.mechanisms="
	  "CRAM-MD5" },
	{ .name = "the others refused too", .mode = MODE_STARTTLS,
	  .port = 587, .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_REJECTED, .java_mech = "LOGIN",
	  .at = { BAD_LOGIN, { "PLAIN", 0, 535, "5.7.3", "535 5.7.3 "
	  "Authentication unsuccessful", NULL, NULL }, { "CRAM-MD5", 0, 535,
	  "5.7.3", "535 5.7.3 Authentication unsuccessful", NULL, NULL } },
	  .ids = "auth-rejected auth-other-mechanisms-refused",
	  .verdict = VERDICT_FAIL,
	  .says = "auth-other-mechanisms-refused:also tried PLAIN, CRAM-MD5," },
	{ .name = "Java's choice smtpwiz cannot try, another works",
	  .mode = MODE_STARTTLS, .port = 587, .session = TRI_YES,
	  .session_auth = TRI_YES, .result = AUTH_UNSUPPORTED,
	  .java_mech = "NTLM",
	  .at = { { "LOGIN", 0, 235, "2.7.0", "235 2.7.0 OK", NULL, NULL } },
	  .working = "LOGIN",
	  .ids = "auth-mechanism-untested auth-other-mechanism-works",
	  .verdict = VERDICT_WARN,
	  .says = "auth-other-mechanism-works:NTLM does not work here but "
	  "LOGIN does" },
	{ .name = "no mechanism in common, another refused",
	  .mode = MODE_STARTTLS, .port = 587, .session = TRI_YES,
	  .session_auth = TRI_YES, .result = AUTH_UNSUPPORTED,
	  .java_mech = "",
	  .at = { { "CRAM-MD5", 0, 535, "5.7.8", "535 5.7.8 no", NULL,
	  NULL } },
	  .ids = "auth-no-common-mechanism auth-other-mechanisms-refused",
	  .verdict = VERDICT_FAIL, .says = "auth-no-common-mechanism:" WHY },
	{ .name = "no session", .mode = MODE_STARTTLS, .port = 587,
	  .session = TRI_NO, .session_error = "connection refused",
	  .result = AUTH_SKIPPED, .reason = "smtpwiz could not open a "
	  "session to log in: connection refused", .ids = "auth-no-session",
	  .verdict = VERDICT_WARN },
	{ .name = "no session: TLS beyond this build", .mode = MODE_SSL,
	  .port = 465, .session = TRI_NO, .beyond_build = 1,
	  .session_error = "protocol version", .result = AUTH_SKIPPED,
	  .reason = "smtpwiz could not open a session to log in",
	  .ids = "auth-not-checked", .verdict = VERDICT_FAIL,
	  .says = "auth-not-checked:can complete (protocol version)" },
	{ .name = "OAuth2 token fetched, login ok",
	  .settings = "mail.smtp.auth.mechanisms=XOAUTH2",
	  .mode = MODE_STARTTLS, .port = 587, .in_clear = "XOAUTH2",
	  .session = TRI_YES, .session_auth = TRI_YES, .result = AUTH_OK,
	  .java_mech = "XOAUTH2", .at = { { "XOAUTH2", 1, 235, "2.7.0",
	  "235 2.7.0 Accepted", NULL, NULL } }, .token = TOK_GOT,
	  .ids = "auth-in-clear oauth2-token auth-ok",
	  .verdict = VERDICT_WARN,
	  .says = "oauth2-token:Got an OAuth2 access token from "
	  "login.example with the client-credentials grant (type Bearer, "
	  "valid for 3599 s, scope SMTP.Send)" },
	{ .name = "OAuth2 token refused, decoded", .mode = MODE_STARTTLS,
	  .port = 587, .result = AUTH_SKIPPED, .token = TOK_REFUSED,
	  .reason = "no OAuth2 access token from login.example: the client "
	  "secret is wrong",
	  .mail = MAIL_SKIPPED, .ids = "oauth2-token-refused mail-skipped",
	  .verdict = VERDICT_FAIL,
	  .says = "oauth2-token-refused:refused the client-credentials "
	  "request (HTTP 401, invalid_client: bad secret). " },
	{ .name = "OAuth2 token endpoint not reached", .mode = MODE_SSL,
	  .port = 465, .result = AUTH_SKIPPED, .token = TOK_NO_ANSWER,
	  .reason = "no OAuth2 access token from login.example: connection "
	  "refused",
	  .ids = "oauth2-token-failed", .verdict = VERDICT_FAIL,
	  .says = "oauth2-token-failed:could not ask the token endpoint "
	  "login.example: connection refused." },
	{ .name = "test mail sent", .mode = MODE_STARTTLS, .port = 587,
	  .session = TRI_YES, .session_auth = TRI_YES, .result = AUTH_OK,
	  .java_mech = "LOGIN", .at = { OK_LOGIN }, .mail = MAIL_ACCEPTED,
	  .mail_reply = "250 2.0.0 Ok: queued as 4XyZ",
	  .ids = "auth-ok mail-accepted", .verdict = VERDICT_PASS,
	  .says = "mail-accepted:from <a@example.org> to <b@example.org>, "
	  "queue id 4XyZ: 250 2.0.0 Ok: queued as 4XyZ." },
	{ .name = "test mail refused, decoded", .mode = MODE_STARTTLS,
	  .port = 587, .session = TRI_YES, .session_auth = TRI_YES,
	  .result = AUTH_OK, .java_mech = "LOGIN", .at = { OK_LOGIN },
	  .mail = MAIL_REJECTED, .mail_reply = "530 5.7.0 Must issue a "
	  "STARTTLS command first", .ids = "auth-ok mail-rejected",
	  .verdict = VERDICT_FAIL,
	  .suggest = "mail-rejected:mail.smtp.starttls.required=true",
	  .says = "mail-rejected:refused the test message at RCPT: 530 5.7.0 "
	  "Must issue a STARTTLS command first. The server wants STARTTLS" },
	{ .name = "test mail broke off", .mode = MODE_STARTTLS, .port = 587,
	  .session = TRI_YES, .session_auth = TRI_YES, .result = AUTH_OK,
	  .java_mech = "LOGIN", .at = { OK_LOGIN }, .mail = MAIL_FAILED,
	  .ids = "auth-ok mail-failed", .verdict = VERDICT_WARN },
	{ .name = "provider wants OAuth2, Java picks LOGIN",
	  .mode = MODE_STARTTLS, .port = 587, .session = TRI_YES,
	  .session_auth = TRI_YES, .result = AUTH_OK, .java_mech = "LOGIN",
	  .at = { OK_LOGIN }, .provider = "microsoft365",
	  .ids = "auth-ok provider-auth", .verdict = VERDICT_WARN,
	  .suggest = "provider-auth:mail.smtp.auth.mechanisms=XOAUTH2" },
	{ .name = "provider wants OAuth2, Java picks XOAUTH2",
	  .settings = "mail.smtp.auth.mechanisms=XOAUTH2",
	  .mode = MODE_STARTTLS, .port = 587, .session = TRI_YES,
	  .session_auth = TRI_YES, .result = AUTH_OK,
	  .java_mech = "XOAUTH2", .at = { { "XOAUTH2", 1, 235, "2.7.0",
	  "235 2.7.0 Accepted", NULL, NULL } }, .provider = "microsoft365",
	  .ids = "auth-ok provider-auth", .verdict = VERDICT_PASS,
	  .says = "provider-auth:Java logs in with XOAUTH2" },
	{ .name = "skipped, a provider recognised: still skipped",
	  .settings = "-", .mode = MODE_STARTTLS, .port = 587,
	  .result = AUTH_SKIPPED, .reason = "no user name given",
	  .provider = "gmail", .ids = "provider-auth",
	  .verdict = VERDICT_SKIPPED },
};

static void
token_from(struct auth_token *t, enum tok tok)
{
	if (tok == TOK_NONE)
		return;
	t->asked = 1;
	t->expires_in = -1;
	snprintf(t->flow, sizeof(t->flow), "client-credentials");
	snprintf(t->endpoint, sizeof(t->endpoint), "login.example");
	if (tok == TOK_GOT) {
		t->got = 1;
		t->status = 200;
		t->expires_in = 3599;
		snprintf(t->token_type, sizeof(t->token_type), "Bearer");
		snprintf(t->scope, sizeof(t->scope), "SMTP.Send");
	} else if (tok == TOK_REFUSED) {
		t->status = 401;
		snprintf(t->error, sizeof(t->error), "invalid_client");
		snprintf(t->description, sizeof(t->description), "bad secret");
		snprintf(t->decoded, sizeof(t->decoded),
		    "oauth2-invalid-client");
	} else
		snprintf(t->failure, sizeof(t->failure),
		    "connection refused");
}

static void
mail_from_case(struct mail_test *mt, const struct auth_case *c)
{
	mt->result = c->mail;
	if (c->mail == MAIL_NOT_REQUESTED)
		return;
	snprintf(mt->from, sizeof(mt->from), "a@example.org");
	snprintf(mt->to, sizeof(mt->to), "b@example.org");
	if (c->mail == MAIL_SKIPPED)
		snprintf(mt->reason, sizeof(mt->reason), "%s",
		    c->result == AUTH_REFUSED_PLAINTEXT ?
		    "the login was not tried" : "Java does not connect "
		    "without the password");
	else if (c->mail == MAIL_FAILED)
		snprintf(mt->reason, sizeof(mt->reason), "reset by peer");
	if (c->mail_reply == NULL)
		return;
	mt->code = atoi(c->mail_reply);
	snprintf(mt->enhanced, sizeof(mt->enhanced), "%.*s",
	    (int)strcspn(c->mail_reply + 4, " "), c->mail_reply + 4);
	snprintf(mt->reply, sizeof(mt->reply), "%s", c->mail_reply);
	snprintf(mt->stage, sizeof(mt->stage), "%s",
	    c->mail == MAIL_REJECTED ? "RCPT" : ".");
	if (c->mail == MAIL_ACCEPTED)
		snprintf(mt->queue_id, sizeof(mt->queue_id), "4XyZ");
}

/* The attempts, decoded as auth_try() decodes them. */
static void
attempts_from(struct auth_data *d, const struct auth_case *c,
    const struct explain_db *db)
{
	const struct explain_entry *x;
	size_t i;

	for (i = 0; i < 3 && c->at[i].mech != NULL; i++) {
		const struct att *a = &c->at[i];
		struct auth_attempt *at = &d->attempts[d->nattempts++];

		snprintf(at->mech, sizeof(at->mech), "%s", a->mech);
		at->java_choice = a->java;
		at->code = a->code;
		at->ok = a->code == 235;
		snprintf(at->enhanced, sizeof(at->enhanced), "%s",
		    a->enhanced);
		snprintf(at->reply, sizeof(at->reply), "%s", a->reply);
		snprintf(at->detail, sizeof(at->detail), "%s",
		    a->detail ? a->detail : "");
		snprintf(at->java_sees, sizeof(at->java_sees), "%s",
		    a->java_sees ? a->java_sees : "");
		if (!at->ok && at->code != 0 && (x = explain_reply(db,
		    at->code, at->enhanced, at->reply)) != NULL)
			snprintf(at->explain_id, sizeof(at->explain_id), "%s",
			    x->id);
	}
	if (d->nattempts > 0 && d->attempts[0].java_choice) {
		snprintf(d->mechanism, sizeof(d->mechanism), "%s",
		    d->attempts[0].mech);
		d->code = d->attempts[0].code;
	}
}

static void
data_from(struct auth_data *d, const struct auth_case *c,
    const struct explain_db *db)
{
	d->mode = c->mode;
	d->port = c->port;
	d->auth_in_clear = c->mode == MODE_SSL ? TRI_NO : TRI_UNKNOWN;
	if (c->in_clear != NULL) {
		d->auth_before = d->auth_in_clear = TRI_YES;
		snprintf(d->mech_before, sizeof(d->mech_before), "%s",
		    c->in_clear);
		snprintf(d->clear_mech, sizeof(d->clear_mech), "%s",
		    c->in_clear);
		d->clear_in_session = c->clear_in_session;
	}
	if (c->settings == NULL || strcmp(c->settings, "-") != 0)
		snprintf(d->user, sizeof(d->user), "alice");
	d->session = c->session;
	snprintf(d->session_error, sizeof(d->session_error), "%s",
	    c->session_error ? c->session_error : "");
	d->beyond_build = c->beyond_build;
	d->session_auth = c->session == TRI_YES ? c->session_auth :
	    TRI_UNKNOWN;
	d->result = c->result;
	snprintf(d->reason, sizeof(d->reason), "%s",
	    c->reason ? c->reason : "");
	snprintf(d->java_mech, sizeof(d->java_mech), "%s",
	    c->java_mech ? c->java_mech : "");
	if (c->java_mech != NULL)
		snprintf(d->java_why, sizeof(d->java_why), "%s", WHY);
	attempts_from(d, c, db);
	snprintf(d->working_mech, sizeof(d->working_mech), "%s",
	    c->working ? c->working : "");
	token_from(&d->token, c->token);
	mail_from_case(&d->mail, c);
}

static void
run_case(const struct auth_case *c, const struct explain_db *db)
{
	struct step_result *r = calloc(1, sizeof(*r)), *s1 = NULL;
	struct settings set;
	struct probe_env env;
	char ids[512];

	if (r == NULL || settings_init(&set, c->angus ? MAIL_LIB_ANGUS2 :
	    MAIL_LIB_JAVAMAIL16) != SW_OK)
		abort();
	if (c->settings == NULL || strcmp(c->settings, "-") != 0)
		judge_settings(&set, "mail.smtp.user=alice");
	judge_settings(&set, c->settings ? c->settings : "");
	probe_env_init(&env, &set);
	if (c->provider != NULL) {
		if ((s1 = calloc(1, sizeof(*s1))) == NULL)
			abort();
		s1->step = STEP_CONN;
		s1->verdict = VERDICT_PASS;
		snprintf(s1->d.conn.provider, sizeof(s1->d.conn.provider),
		    "%s", c->provider);
		env.prev[STEP_CONN - 1] = s1;
	}
	r->step = STEP_AUTH;
	r->verdict = VERDICT_PASS;	/* the judge decides it all */
	r->nfindings = 3;
	data_from(&r->d.auth, c, db);
	step_def(STEP_AUTH)->judge(r, &env);
	printf("# %s\n", c->name);
	CHECK_STR(judge_ids(r, ids, sizeof(ids)), c->ids);
	CHECK_STR(verdict_name(r->verdict), verdict_name(c->verdict));
	if (c->result == AUTH_SKIPPED)
		CHECK_STR(r->skip_reason, c->reason ? c->reason : "");
	if (c->suggest != NULL) {
		printf("# suggests %s\n", c->suggest);
		CHECK(judge_suggests(r, c->suggest));
	}
	if (c->says != NULL) {
		printf("# says %s\n", c->says);
		CHECK(judge_says(r, c->says));
	}
	/* Judged twice, the same: nothing but the data counts. */
	{
		struct step_result *again = malloc(sizeof(*again));

		if (again == NULL)
			abort();
		*again = *r;
		step_def(STEP_AUTH)->judge(again, &env);
		CHECK(memcmp(again->findings, r->findings,
		    sizeof(r->findings)) == 0 &&
		    again->nfindings == r->nfindings);
		free(again);
	}
	settings_free(&set);
	free(s1);
	free(r);
}

/* The decoded 535: its settings come as a choice, never by themselves. */
static void
test_decoded_optin(const struct explain_db *db)
{
	const struct auth_case *c = NULL;
	struct step_result *r = calloc(1, sizeof(*r));
	struct settings set;
	struct probe_env env;
	const struct finding *f;

	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(cases[i].name, "535 rejected, decoded") == 0)
			c = &cases[i];
	if (c == NULL || r == NULL ||
	    settings_init(&set, MAIL_LIB_JAVAMAIL16) != SW_OK)
		abort();
	judge_settings(&set, "mail.smtp.user=alice");
	probe_env_init(&env, &set);
	data_from(&r->d.auth, c, db);
	CHECK_STR(r->d.auth.attempts[0].explain_id, "smtp-535-5.7.8");
	auth_judge(r, &env);
	f = result_find(r, "auth-rejected");
	CHECK(f != NULL && f->optin == 1);
	settings_free(&set);
	free(r);
}

int
main(void)
{
	struct explain_db *db = NULL;
	struct sw_error e = { 0 };
	size_t i;

	setenv("SMTPWIZ_ASSETS", "assets", 0);
	if (explain_db_load(&db, NULL, &e) != SW_OK) {
		printf("# %s\n", sw_error_text(&e));
		abort();
	}
	CHECK(step_def(STEP_AUTH)->judge == auth_judge);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i], db);
	test_decoded_optin(db);
	explain_db_free(db);
	return tap_done();
}
