/*
 * The verification: the final settings block run the way the chosen
 * mail library on the chosen Java would run it, in one session, to
 * prove the block's promise ("paste this and your application sends
 * mail") or to name the first stage that breaks it.
 *
 * The session follows JavaMail's SMTPTransport.protocolConnect() and
 * SocketFetcher.getSocket(): resolve the host (Java connects to the
 * first address only), connect within mail.smtp.connectiontimeout,
 * TLS from the first byte when ssl.enable (or socketFactory.class names
 * an SSL factory, falling back to plain when socketFactory.fallback
 * allows), the greeting and every reply within mail.smtp.timeout, EHLO
 * (HELO when EHLO is refused), STARTTLS when starttls.enable and the
 * server offers it (a failure when starttls.required and it does not),
 * a real handshake offering only the versions and suites that Java
 * would offer with the block's ssl.protocols and ssl.ciphersuites, the
 * chain judged with the block's checkserveridentity and ssl.trust
 * against the trust store Java uses, EHLO again, AUTH with the
 * mechanism Java picks, MAIL FROM (and RCPT TO when given), RSET,
 * QUIT.  No message is sent.
 *
 * Outcomes: VERIFIED, FAILED at a stage (with the exception Java would
 * throw and the step that deals with it), or NOT_RUN when smtpwiz
 * could not find out (no password to log in with, a TLS version this
 * build cannot speak, cancelled): an unknown is never a pass.
 *
 * Credentials: logging in without TLS fails the verification unless
 * opt.allow_plaintext_auth is set; then plaintext_auth records it.
 */
#ifndef SW_VERIFY_H
#define SW_VERIFY_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "err.h"
#include "probe.h"
#include "settings.h"

struct json;

enum verify_outcome {
	VERIFY_NOT_RUN,		/* could not be checked: reason in detail */
	VERIFY_VERIFIED,
	VERIFY_FAILED
};

/* Where the session stopped, in the order a session gets there. */
enum verify_stage {
	VSTAGE_NONE,
	VSTAGE_SETTINGS,	/* the block itself (no host, bad value) */
	VSTAGE_RESOLVE,
	VSTAGE_CONNECT,
	VSTAGE_GREETING,
	VSTAGE_EHLO,
	VSTAGE_STARTTLS,
	VSTAGE_HANDSHAKE,
	VSTAGE_TRUST,
	VSTAGE_HOSTNAME,
	VSTAGE_AUTH,
	VSTAGE_MAIL_FROM,
	VSTAGE_RCPT_TO,
	VSTAGE_DONE
};

struct verify_result {
	enum verify_outcome	 result;
	enum verify_stage	 stage;		/* failed or stopped here */
	enum step		 step;		/* the step that deals with
						   it; 0 when verified */
	char			 java_exception[512]; /* what Java throws */
	char			 detail[768];	/* plain words, sanitised */
	char			 java[32];	/* profile: "17" */
	char			 mail_lib[32];	/* "javamail-1.6.2" */
	char			 target[300];	/* "host:port" */
	char			 addr[64];	/* the address connected to */
	time_t			 when;		/* start of the session */
	int64_t			 elapsed_ms;
	unsigned		 connections;	/* opened by the session */
	char			 tls[128];	/* "TLSv1.3 TLS_AES_..."; "" */
	char			 groups[200];	/* the named groups offered,
						   Java's names, in order;
						   "" before the handshake */
	char			 trust[600];	/* the store that judged the
						   chain, as the user must
						   give it to Java */
	int			 trust_needs_java_setting; /* a PEM/keystore
						   Java does not read by
						   itself */
	char			 trust_setting[1024]; /* how to give it; "" */
	char			 mech[24];	/* AUTH mechanism; "" none */
	int			 plaintext_auth; /* logged in without TLS,
						   as the user allowed */
	char			 from[256];	/* MAIL FROM used */
	int			 rcpt_checked;	/* RCPT TO was given and sent */
};

/*
 * Runs the verification of final (the block as Java will read it)
 * with env's Java profile, java.security, trust store, password, mail
 * addresses, timeouts, cancel fd and transcript; env->set is not read.
 * res is overwritten.  A server or a setting that breaks the session is
 * a result (VERIFY_FAILED), not an error.
 * Errors: SW_ECANCEL (res: NOT_RUN), SW_ENOMEM.
 */
enum sw_err	 verify_run(const struct probe_env *env,
		    const struct settings *final, struct verify_result *res,
		    struct sw_error *err);

/* "verified", "failed", "not-run" (the JSON words). */
const char	*verify_outcome_name(enum verify_outcome);

/* "connect", "greeting", ... (the JSON words; "" for NONE/DONE). */
const char	*verify_stage_name(enum verify_stage);

/*
 * One line for the block's header and the wizard's status: "VERIFIED
 * against HOST:PORT (ADDR) on DATE with Java 17 and JavaMail 1.6.2" or
 * "NOT WORKING YET: ..." / "NOT VERIFIED: ...".  Pure.
 */
void		 verify_headline(const struct verify_result *, char *buf,
		    size_t cap);

/* The report's "verification" object and text section. */
void		 verify_json(struct json *, const struct verify_result *);
void		 verify_text(FILE *, const struct verify_result *, int color);

#endif
