/*
 * The OAuth2 options of `smtpwiz check`, turned into a token request.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "check_oauth2.h"
#include "http.h"

void
check_oauth2_init(struct check_oauth2 *o)
{
	memset(o, 0, sizeof(*o));
	secret_init(&o->secret);
	secret_init(&o->refresh);
	secret_init(&o->token);
}

enum sw_err
check_oauth2_option(struct check_oauth2 *o, int c, const char *arg,
    int *taken, struct sw_error *err)
{
	*taken = 1;
	switch (c) {
	case OPT_OAUTH2_URL:		o->url = arg; break;
	case OPT_OAUTH2_TENANT:		o->tenant = arg; break;
	case OPT_OAUTH2_CLIENT_ID:	o->client_id = arg; break;
	case OPT_OAUTH2_SECRET_FILE:	o->secret_file = arg; break;
	case OPT_OAUTH2_REFRESH_FILE:	o->refresh_file = arg; break;
	case OPT_OAUTH2_SCOPE:		o->scope = arg; break;
	case OPT_OAUTH2_FLOW:
		o->flow_given = 1;
		if (strcmp(arg, "client-credentials") == 0)
			o->flow = OAUTH2_CLIENT_CREDENTIALS;
		else if (strcmp(arg, "refresh-token") == 0)
			o->flow = OAUTH2_REFRESH_TOKEN;
		else
			return sw_fail(err, SW_EUSAGE, "--oauth2-flow must be "
			    "client-credentials or refresh-token, not \"%s\"",
			    arg);
		break;
	default:
		*taken = 0;
		return SW_OK;
	}
	o->used = 1;
	return SW_OK;
}

/* host ends in one of the dot-separated domains of list. */
static int
host_in(const char *host, const char *const *list)
{
	size_t hn = host ? strlen(host) : 0, n;

	for (; *list != NULL; list++) {
		n = strlen(*list);
		if (hn >= n && strcasecmp(host + hn - n, *list) == 0 &&
		    (hn == n || host[hn - n - 1] == '.'))
			return 1;
	}
	return 0;
}

static const char *const google[] = { "gmail.com", "googlemail.com",
	"google.com", NULL };
static const char *const microsoft[] = { "office365.com", "outlook.com",
	"office.com", NULL };

/* The token endpoint: given, Entra ID's tenant, or the host's. */
static enum sw_err
endpoint(struct check_oauth2 *o, const char *host, struct sw_error *err)
{
	const char *tenant = o->tenant;

	if (o->url != NULL) {
		o->rq.token_url = o->url;
		return SW_OK;
	}
	if (tenant == NULL && host_in(host, microsoft) &&
	    o->flow == OAUTH2_REFRESH_TOKEN)
		tenant = "organizations";	/* any work account */
	if (tenant != NULL) {
		if (strspn(tenant, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
		    "OPQRSTUVWXYZ0123456789-.") != strlen(tenant) ||
		    *tenant == '\0')
			return sw_fail(err, SW_EUSAGE, "--oauth2-tenant wants "
			    "the directory (tenant) id or domain, not \"%s\"",
			    tenant);
		if (snprintf(o->url_buf, sizeof(o->url_buf), OAUTH2_MS_URL_FMT,
		    tenant) >= (int)sizeof(o->url_buf))
			return sw_fail(err, SW_EUSAGE, "--oauth2-tenant is too "
			    "long");
		o->rq.token_url = o->url_buf;
		return SW_OK;
	}
	if (host_in(host, google) && o->flow == OAUTH2_REFRESH_TOKEN) {
		o->rq.token_url = OAUTH2_GOOGLE_URL;
		return SW_OK;
	}
	return sw_fail(err, SW_EUSAGE, "%s", host_in(host, microsoft) ?
	    "the client-credentials grant at Microsoft needs "
	    "--oauth2-tenant (the directory id of the app registration)" :
	    host_in(host, google) ? "Google gives SMTP tokens to a signed-in "
	    "user only: give --oauth2-refresh-token-file" :
	    "which token endpoint? Give --oauth2-token-url (or "
	    "--oauth2-tenant for Microsoft Entra ID)");
}

/* A secret from its file, else its variable. */
static enum sw_err
read_secret(struct secret *s, const char *file, const char *what,
    const char *env, char *warn, size_t cap, struct sw_error *err)
{
	if (file != NULL) {
		secret_env_drop(env);
		return secret_from_file(s, file, what, warn, cap, err);
	}
	return secret_from_env(s, env, err);
}

static enum sw_err
secrets(struct check_oauth2 *o, char *warn, size_t cap, struct sw_error *err)
{
	char prompt[300];
	enum sw_err rc;

	if ((rc = read_secret(&o->secret, o->secret_file,
	    "client secret file", OAUTH2_SECRET_ENV,
	    warn, cap, err)) != SW_OK)
		return rc;
	if ((rc = read_secret(&o->refresh, o->refresh_file,
	    "refresh token file", OAUTH2_REFRESH_ENV, warn[0] ? NULL : warn,
	    cap, err)) != SW_OK)
		return rc;
	if (!o->flow_given)
		o->flow = secret_held(&o->refresh) ? OAUTH2_REFRESH_TOKEN :
		    OAUTH2_CLIENT_CREDENTIALS;
	if (o->flow == OAUTH2_REFRESH_TOKEN && !secret_held(&o->refresh))
		return sw_fail(err, SW_EUSAGE, "the refresh-token grant needs "
		    "the refresh token: --oauth2-refresh-token-file FILE or "
		    "%s", OAUTH2_REFRESH_ENV);
	if (o->flow == OAUTH2_CLIENT_CREDENTIALS && !secret_held(&o->secret)) {
		snprintf(prompt, sizeof(prompt), "Client secret of %.200s: ",
		    o->client_id);
		if (secret_tty_available() && (rc = secret_prompt(&o->secret,
		    prompt, err)) != SW_OK)
			return rc;
		if (!secret_held(&o->secret))
			return sw_fail(err, SW_EUSAGE, "the client-credentials "
			    "grant needs the client secret: "
			    "--oauth2-client-secret-file FILE, %s or a "
			    "terminal to be asked on", OAUTH2_SECRET_ENV);
	}
	return SW_OK;
}

enum sw_err
check_oauth2_prepare(struct check_oauth2 *o, struct settings *set,
    const char *cafile, char *warn, size_t cap, struct sw_error *err)
{
	const char *host = settings_get(set, "mail.smtp.host");
	struct http_url u;
	enum sw_err rc;

	if (cap > 0)
		warn[0] = '\0';
	if (!o->used) {
		secret_env_drop(OAUTH2_SECRET_ENV);
		secret_env_drop(OAUTH2_REFRESH_ENV);
		return SW_OK;
	}
	if (o->client_id == NULL || *o->client_id == '\0')
		return sw_fail(err, SW_EUSAGE, "OAuth2 needs --oauth2-client-id "
		    "(the application's client id)");
	if ((rc = secrets(o, warn, cap, err)) != SW_OK ||
	    (rc = endpoint(o, host, err)) != SW_OK ||
	    (rc = http_url_parse(o->rq.token_url, &u, err)) != SW_OK)
		return rc;
	o->rq.flow = o->flow;
	o->rq.client_id = o->client_id;
	o->rq.client_secret = secret_held(&o->secret) ? o->secret.buf : NULL;
	o->rq.refresh_token = o->flow == OAUTH2_REFRESH_TOKEN ?
	    o->refresh.buf : NULL;
	o->rq.scope = o->scope;
	if (o->scope == NULL && o->flow == OAUTH2_CLIENT_CREDENTIALS)
		o->rq.scope = OAUTH2_MS_SCOPE_APP;
	else if (o->scope == NULL && strstr(o->rq.token_url,
	    "login.microsoftonline.com") != NULL)
		o->rq.scope = OAUTH2_MS_SCOPE_USER;
	o->rq.cafile = cafile;
	o->rq.cancel_fd = -1;
	if (settings_get(set, "mail.smtp.auth.mechanisms") == NULL)
		return settings_set(set, "mail.smtp.auth.mechanisms", "XOAUTH2",
		    err);
	return SW_OK;
}

void
check_oauth2_clear(struct check_oauth2 *o)
{
	secret_clear(&o->token);	/* the reverse order of loading */
	secret_clear(&o->refresh);
	secret_clear(&o->secret);
}
