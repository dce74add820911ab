/*
 * What step 5's pieces share: auth_probe.c runs the step (what the
 * server offers, the preconditions, what is tried next, the test
 * message) and records what it learns in struct auth_data,
 * auth_try.c does the AUTH exchanges (the session, one mechanism
 * with the credentials kept out of the transcript, the other
 * mechanisms when Java's fails).  auth_judge.c and auth_render.c need
 * only probe.h.  Not part of the engine API.
 */
#ifndef SW_AUTH_INT_H
#define SW_AUTH_INT_H

#include "link.h"
#include "err.h"
#include "probe.h"
#include "sasl.h"
#include "session.h"
#include "smtp.h"

struct explain_db;

/* Kept instead of a line or a reply that holds the credentials. */
#define AUTH_REDACTED	"<line redacted: it holds the credentials>"

#define AUTH_HELD_MAX	8192	/* reply lines held back for the check */

struct auth_run {
	const struct probe_env	*env;
	struct step_result	*r;
	struct auth_data	*d;
	struct explain_db	*db;		/* NULL: no decoder */
	char			 host[256];
	unsigned		 port;
	enum smtp_mode		 mode;
	const char		*user;
	const char		*pass;		/* NULL: none */
	const char		*authzid;	/* PLAIN's; Java: the user */
	struct session		 s;
	struct smtp_caps	 caps;		/* this session's, after TLS */
	link_log_fn		 log;		/* the transcript, under us */
	void			*log_arg;
	int			 beyond_build;	/* the session failed on a TLS
						   version this build cannot
						   speak (1.3 on 2.28) */
	/* "NNN-" lines of the reply being read, '\n'-terminated: they
	 * reach the transcript when the reply ends, once the whole
	 * reply was checked for an echo cut over its lines. */
	char			 held[AUTH_HELD_MAX];
	size_t			 held_len;
};

/*
 * With an OAuth2 flow configured (probe_opts.oauth2): fetches the
 * access token into probe_opts.oauth2_token and points a->pass at it,
 * and records the grant or the refusal (decoded) in a->d->token.
 * *ok is 0 when there is no token: why (cap bytes) says
 * so for the step's result.  Without a flow, *ok is 1 and nothing
 * changes.  auth_token.c.
 * Errors: SW_ECANCEL, SW_ENOMEM (everything else is a finding).
 */
enum sw_err	auth_token(struct auth_run *a, int *ok, char *why, size_t cap,
		    struct sw_error *err);

/*
 * Opens a->s as Java would connect (a->mode); the EHLO after TLS fills
 * a->caps, and from then on the transcript passes the scrubber.  On
 * failure the session is closed, and a->beyond_build says whether the
 * handshake failed on a version this build cannot complete.  Errors: those of session_open() and
 * session_open_secure() (SW_ECANCEL among them), SW_EPROTO.
 */
enum sw_err	auth_open_session(struct auth_run *a, struct sw_error *err);

/*
 * From now on every line of a->s passes the credential scrubber before
 * it reaches the transcript (auth_open_session() does it itself).
 */
void		auth_scrub_plug(struct auth_run *a);

/*
 * Tries mechanism m on the open session and records the attempt in
 * a->d (*out; NULL when none could be recorded).  An I/O failure is
 * recorded too (code 0, detail) and returned.  Errors: SW_EUSAGE (too
 * many attempts, a mechanism smtpwiz cannot do), SW_ENOMEM, and the
 * session's (SW_ECANCEL, SW_EIO, ...).
 */
enum sw_err	auth_try(struct auth_run *a, enum sasl_mech m,
		    int java_choice, struct auth_attempt **out,
		    struct sw_error *err);

/*
 * Tries the other mechanisms the server offers (at most AUTH_ALT_MAX,
 * in Java's order), reopening the session when it died; the one that
 * works goes to a->d->working_mech.  first: Java's attempt, or NULL.
 * A refusal or a session that cannot be reopened is no error.
 * Errors: SW_ECANCEL, SW_ENOMEM, SW_EUSAGE.
 */
enum sw_err	auth_try_others(struct auth_run *a,
		    const struct auth_attempt *first, struct sw_error *err);

#endif
