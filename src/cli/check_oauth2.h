/*
 * `smtpwiz check`'s OAuth2 options: which grant, which token endpoint,
 * the client id, and the client secret and refresh token -- from a
 * file, the environment or (the secret) a no-echo prompt, never from
 * argv.  Turns them into the oauth2_request step 5 runs (oauth2.h) and
 * holds the secrets and the access token, guarded like the password.
 */
#ifndef SW_CHECK_OAUTH2_H
#define SW_CHECK_OAUTH2_H

#include "err.h"
#include "oauth2.h"
#include "opts.h"		/* OPT_OAUTH2_*: the options */
#include "secret.h"
#include "settings.h"

struct check_oauth2 {
	int		 used;		/* an --oauth2-* option was given */
	int		 flow_given;
	enum oauth2_flow flow;
	const char	*url, *tenant, *client_id, *scope;
	const char	*secret_file, *refresh_file;
	char		 url_buf[512];
	struct secret	 secret, refresh, token;
	struct oauth2_request rq;
};

void		check_oauth2_init(struct check_oauth2 *);

/* Takes option c (OPT_OAUTH2_*) with arg.  Returns 1 when it was one,
 * 0 when not.  Errors: SW_EUSAGE (a bad --oauth2-flow). */
enum sw_err	check_oauth2_option(struct check_oauth2 *, int c,
		    const char *arg, int *taken, struct sw_error *err);

/*
 * After the options: without any --oauth2-* option, drops the secret
 * variables from the environment and does nothing else.  Otherwise
 * chooses the grant (refresh token when one is given), the endpoint
 * (--oauth2-token-url; else Entra ID's for --oauth2-tenant; else
 * Google's for a refresh token and a Gmail host), the scope, reads the
 * secrets, and makes XOAUTH2 the mechanism unless the settings name
 * one.  cafile: the anchors for the endpoint (NULL: system bundle).
 * Not thread-safe (the environment): call before the steps run.
 * Errors: SW_EUSAGE (what is missing or wrong, named), SW_EFILE,
 * SW_ENOMEM.
 */
enum sw_err	check_oauth2_prepare(struct check_oauth2 *,
		    struct settings *set, const char *cafile, char *warn,
		    size_t cap, struct sw_error *err);

/* Wipes the access token, the refresh token and the secret. */
void		check_oauth2_clear(struct check_oauth2 *);

#endif
