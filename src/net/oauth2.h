/*
 * Getting an OAuth2 access token the way a Java application does before
 * it logs in with XOAUTH2: the client-credentials grant (RFC 6749 §4.4;
 * Microsoft Entra ID, a service with no user) or the refresh-token
 * grant (§6; Google and Microsoft, a user who signed in once), POSTed
 * to the token endpoint over verified HTTPS (http.h).  The answer is
 * read with the bounded JSON reader: the access token goes into a
 * struct secret, an error answer (§5.2, with Entra ID's AADSTS codes)
 * into words the caller decodes with explain.h.
 *
 * The client secret, the refresh token and the access token are never
 * printed, logged or put in a transcript; every buffer that held them
 * is wiped, and any text from the endpoint that repeats one of them is
 * cut out before anyone sees it.
 */
#ifndef SW_OAUTH2_H
#define SW_OAUTH2_H

#include "err.h"
#include "secret.h"

#define OAUTH2_SECRET_ENV	"SMTPWIZ_OAUTH2_CLIENT_SECRET"
#define OAUTH2_REFRESH_ENV	"SMTPWIZ_OAUTH2_REFRESH_TOKEN"

/* Microsoft Entra ID's endpoint for a tenant, and the scopes. */
#define OAUTH2_MS_URL_FMT	"https://login.microsoftonline.com/%s/oauth2/v2.0/token"
#define OAUTH2_MS_SCOPE_APP	"https://outlook.office365.com/.default"
#define OAUTH2_MS_SCOPE_USER	"https://outlook.office.com/SMTP.Send offline_access"
#define OAUTH2_GOOGLE_URL	"https://oauth2.googleapis.com/token"

enum oauth2_flow {
	OAUTH2_CLIENT_CREDENTIALS,
	OAUTH2_REFRESH_TOKEN
};

/* What to ask for; the strings are borrowed. */
struct oauth2_request {
	enum oauth2_flow flow;
	const char	*token_url;	/* https://... */
	const char	*client_id;
	const char	*client_secret;	/* NULL: a public client */
	const char	*refresh_token;	/* OAUTH2_REFRESH_TOKEN */
	const char	*scope;		/* NULL: none sent */
	const char	*cafile;	/* anchors; NULL: the system bundle */
	int		 cancel_fd;
	int		 connect_timeout_ms;
	int		 timeout_ms;
	void	       (*note)(void *arg, const char *text);
	void		*arg;
};

/* What came back.  All text sanitised and free of the secrets. */
struct oauth2_answer {
	int		 got_token;	/* token holds an access token */
	int		 status;	/* HTTP status; 0: no answer */
	char		 host[256];	/* of the endpoint */
	char		 error[64];	/* RFC 6749 §5.2 "invalid_client" */
	char		 description[600]; /* error_description, or what
					   else the answer said */
	long		 expires_in;	/* seconds; -1: not said */
	char		 token_type[32];
	char		 scope[300];	/* as granted, when said */
	char		 failure[256];	/* no answer: why (connection, TLS,
					   not JSON); "" */
};

/* "client-credentials", "refresh-token". */
const char	*oauth2_flow_name(enum oauth2_flow);

/*
 * Asks the token endpoint.  On an access token: SW_OK, a->got_token,
 * token holds it (guarded as a password).  On an error answer or no
 * answer at all: SW_OK, a->got_token 0 and a->error/description or
 * a->failure say why -- these are findings, not errors.
 * Errors: SW_EUSAGE (a request with no URL, client id or refresh
 * token), SW_ECANCEL, SW_ENOMEM.
 */
enum sw_err	oauth2_fetch(const struct oauth2_request *rq,
		    struct secret *token, struct oauth2_answer *a,
		    struct sw_error *err);

/*
 * The form body of rq (application/x-www-form-urlencoded) into s.
 * Exposed for the unit test.  Errors: SW_EUSAGE (longer than
 * SECRET_MAX * 3 + 1024), SW_ENOMEM.
 */
enum sw_err	oauth2_form(const struct oauth2_request *rq, struct secret *s,
		    struct sw_error *err);

/*
 * Reads a token endpoint's JSON answer body[0..len) with HTTP status
 * into a and token (the pure half of oauth2_fetch(), for the tests).
 * Errors: SW_ENOMEM.
 */
enum sw_err	oauth2_read_answer(const struct oauth2_request *rq, int status,
		    const char *body, size_t len, struct secret *token,
		    struct oauth2_answer *a, struct sw_error *err);

#endif
