/*
 * Step 5: authentication -- the data the step produces.  auth_probe()
 * (declared in probe.h) reports the AUTH mechanisms before and after
 * TLS, tries the credentials with the mechanism Jakarta Mail would
 * choose, tries the others the server offers when that one fails, and
 * optionally sends a test message.  Credentials never go over a
 * connection without TLS unless opt.allow_plaintext_auth says so, and
 * never reach the transcript, the report or an error message, in
 * base64 neither.
 */
#ifndef SW_AUTH_H
#define SW_AUTH_H

#include <stdio.h>

#include "mail_test.h"
#include "smtp.h"
#include "tri.h"

struct json;
struct step_result;

/* The JSON contract's step 5 "result" words (README), in this order. */
enum auth_result {
	AUTH_SKIPPED,		/* "skipped": no user, no password, no server */
	AUTH_OK,		/* "ok": Java's mechanism logged in */
	AUTH_REJECTED,		/* "rejected": the server refused it */
	AUTH_REFUSED_PLAINTEXT,	/* "refused-plaintext": no TLS, not allowed */
	AUTH_UNSUPPORTED	/* "unsupported": no usable mechanism */
};

#define AUTH_ATTEMPTS_MAX	4

/* One AUTH exchange. */
struct auth_attempt {
	char		mech[32];	/* "LOGIN" */
	int		java_choice;	/* the one Java would try */
	int		ok;		/* 235 */
	int		code;		/* final reply; 0: none (I/O) */
	char		enhanced[16];
	char		reply[512];	/* sanitised, credentials scrubbed */
	char		detail[256];	/* XOAUTH2 error JSON, I/O error */
	char		java_sees[256];	/* what Java's exception quotes if
					   not the final reply (XOAUTH2) */
	char		explain_id[48];	/* the decoder's entry, or "" */
};

/*
 * What the step learnt, as facts: auth_probe() (auth_probe.c) fills
 * them, its decisions read them, and auth_judge() (auth_judge.c) turns
 * them into the findings and the verdict without a server.
 */
struct auth_data {
	int		mode;		/* enum smtp_mode of the connection */
	unsigned	port;		/* the port logged in on */
	/* EHLO's AUTH before and after TLS: TRI_UNKNOWN not seen. */
	enum tri	auth_before, auth_after;
	char		mech_before[256], mech_after[256];
	enum tri	auth_in_clear;	/* AUTH offered without TLS */
	/* auth_in_clear TRI_YES: the mechanisms it was seen with, and
	 * whether the login's own session saw them (plain SMTP, step 1
	 * had not) rather than step 1's EHLO. */
	char		clear_mech[256];
	int		clear_in_session;
	char		user[256];	/* mail.smtp.user as Java reads it */
	/* The login's own session: TRI_UNKNOWN not tried (the step
	 * stopped before: result and reason say why), TRI_NO it could
	 * not be opened (session_error; beyond_build: the server accepts
	 * no TLS version this build can complete), TRI_YES opened, its
	 * EHLO's AUTH in session_auth. */
	enum tri	session;
	char		session_error[256];
	int		beyond_build;
	enum tri	session_auth;
	/* Java's choice among mech_after (sasl_java_choice()); tried
	 * when smtpwiz can (attempts[0], java_choice set). */
	char		java_mech[32];	/* "" when none */
	char		java_why[640];
	enum auth_result result;
	char		reason[256];	/* skipped/unsupported/refused: why */
	char		mechanism[32];	/* the mechanism the result is for */
	int		code;		/* its final reply */
	char		enhanced[16];
	char		reply[512];	/* "535 5.7.8 ..." as Java shows it */
	char		working_mech[32]; /* another one that worked, or "" */
	size_t		nattempts;
	struct auth_attempt attempts[AUTH_ATTEMPTS_MAX];
	struct mail_test mail;		/* the optional test message */
	/* The OAuth2 token fetched before the login (--oauth2-*). */
	struct auth_token {
		int	 asked;		/* a flow was configured */
		int	 got;		/* an access token came back */
		char	 flow[24];	/* "client-credentials" */
		char	 endpoint[256];	/* the token endpoint's host */
		int	 status;	/* HTTP status; 0: no answer */
		char	 error[64];	/* RFC 6749 error code, or "" */
		char	 decoded[40];	/* explain id, or "" */
		long	 expires_in;	/* seconds; -1 */
		char	 token_type[32]; /* as granted, when said */
		char	 scope[300];
		char	 description[600]; /* the refusal's words */
		char	 failure[256];	/* no answer: why; "" */
	}		token;
};

/* "skipped", "ok", "rejected", "refused-plaintext", "unsupported". */
const char	*auth_result_name(enum auth_result);

/*
 * A reply as Java's exception shows it: "CODE-text" lines and a last
 * "CODE text", '\n'-joined, sanitised.  Returns the length.
 */
size_t		 auth_reply_format(const struct smtp_reply *, char *buf,
		    size_t cap);

/* The step's data in the text report and in the JSON "data" object. */
void	auth_data_text(FILE *, const struct step_result *);
void	auth_data_json(struct json *, const struct step_result *);

#endif
