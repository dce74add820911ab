/*
 * SASL for SMTP AUTH (RFC 4954), the client side only: base64 (RFC
 * 4648), the responses of PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195)
 * and XOAUTH2 (Google's format), and the mechanism Jakarta Mail would
 * pick -- JavaMail 1.6.2's and Angus Mail's SMTPTransport.authenticate()
 * written out as a pure function, so that step 5 tests the mechanism
 * the application will use and unit tests can hold the rules.
 *
 * Everything here is pure: no I/O, no allocation, no globals.  Buffers
 * that receive credentials (anything an encoder writes) belong to the
 * caller, who wipes them with secret_wipe() as soon as they are sent.
 */
#ifndef SW_SASL_H
#define SW_SASL_H

#include <stddef.h>

#include "err.h"
#include "settings.h"

enum sasl_mech {
	SASL_NONE,
	SASL_LOGIN,
	SASL_PLAIN,
	SASL_DIGEST_MD5,
	SASL_NTLM,
	SASL_XOAUTH2,
	SASL_CRAM_MD5,
	SASL_GSSAPI,
	SASL_EXTERNAL,
	SASL_OTHER		/* a name nobody here knows */
};

/* "LOGIN", "CRAM-MD5" ...; "" for SASL_NONE, "?" for SASL_OTHER. */
const char	*sasl_mech_name(enum sasl_mech);

/* The mechanism called name (any case); SASL_OTHER if unknown. */
enum sasl_mech	 sasl_mech_parse(const char *name);

/* 1 for the mechanisms smtpwiz can try: PLAIN, LOGIN, CRAM-MD5, XOAUTH2. */
int		 sasl_mech_testable(enum sasl_mech);

/*
 * 1 when the space-separated list (EHLO's AUTH parameters as
 * smtp_caps keeps them) names mech, compared without case.
 */
int		 sasl_offered(const char *list, const char *mech);

/*
 * base64 of in[0..len) (RFC 4648 §4, with padding, no line breaks)
 * into out, NUL-terminated.  Returns the length written, or 0 when it
 * does not fit in cap (out is then "").  An empty input gives "" and 0.
 */
size_t		 sasl_b64_encode(const void *in, size_t len, char *out,
		    size_t cap);

/*
 * Decodes base64 text in[0..len) into out (cap bytes; not terminated),
 * *outlen its length.  Blanks around the text are ignored; "=" alone
 * (RFC 4954's empty response) decodes to nothing.
 * Errors: SW_EPROTO (not base64, or longer than cap).
 */
enum sw_err	 sasl_b64_decode(const char *in, size_t len,
		    unsigned char *out, size_t cap, size_t *outlen,
		    struct sw_error *);

/*
 * The PLAIN initial response: base64 of "authzid NUL user NUL pass"
 * (RFC 4616; Java sends authzid = mail.smtp.sasl.authorizationid, else
 * the user name).  authzid may be NULL or "" (left out).
 * Errors: SW_EUSAGE (a NUL-free string is too long for out).
 */
enum sw_err	 sasl_plain(const char *authzid, const char *user,
		    const char *pass, char *out, size_t cap,
		    struct sw_error *);

/*
 * The XOAUTH2 initial response: base64 of
 * "user=USER ^A auth=Bearer TOKEN ^A ^A" (as JavaMail builds it).
 * Errors: SW_EUSAGE (too long for out).
 */
enum sw_err	 sasl_xoauth2(const char *user, const char *token, char *out,
		    size_t cap, struct sw_error *);

/*
 * The CRAM-MD5 response to challenge (the base64 text of the server's
 * 334 line): base64 of "USER HEX(HMAC-MD5(pass, challenge))".
 * Errors: SW_EPROTO (the challenge is not base64 or over 512 bytes),
 * SW_EUSAGE (too long for out), SW_ETLS (no MD5 in this mbedTLS).
 */
enum sw_err	 sasl_cram_md5(const char *user, const char *pass,
		    const char *challenge_b64, char *out, size_t cap,
		    struct sw_error *);

/*
 * 1 when text[0..len) contains secret as it is or base64-encoded at
 * any of the three byte alignments (so also inside the base64 of
 * "\0user\0secret" or "user=..\1auth=Bearer secret").  Control bytes
 * (C0 and DEL: CR, LF, TAB, ESC, NUL ...) are ignored on both sides, so
 * an echo cut over the lines of a reply (text joined with '\n'), or
 * with escapes or NULs put into it, is still found; pass raw bytes, not
 * sanitised text (which turns TAB into a space).  Secrets shorter than
 * 3 bytes (without control bytes) are not looked for: they would match
 * everywhere.
 */
int		 sasl_leaks(const char *text, size_t len, const char *secret);

/*
 * sasl_leaks() for the '\n'-joined lines of one reply, also when the
 * secret is cut over them: each line's reply code ("535-") and
 * enhanced code ("5.7.8 ") are left out and the rest joined.
 */
int		 sasl_leaks_reply(const char *text, size_t len,
		    const char *secret);

/* The mechanism Java would try, and how it got there. */
struct sasl_choice {
	enum sasl_mech	mech;		/* SASL_NONE: nothing in common */
	char		name[32];	/* "LOGIN"; "" when none */
	int		via_sasl;	/* picked by mail.smtp.sasl.enable */
	int		explicit_list;	/* mail.smtp.auth.mechanisms is set */
	char		order[192];	/* the list walked, disabled ones out */
	char		why[640];	/* one or two sentences, plain words */
};

/*
 * What SMTPTransport.authenticate() of set->lib does with the server's
 * mechanisms (offered: EHLO's AUTH list after TLS, upper case, space
 * separated):
 *  - mail.smtp.sasl.enable=true: the first mechanism of
 *    mail.smtp.sasl.mechanisms (or, unset, the server's list) that the
 *    server offers and the JDK's SASL clients implement (CRAM-MD5,
 *    DIGEST-MD5, PLAIN, NTLM, GSSAPI, EXTERNAL); none: Java falls back
 *    to the list below;
 *  - mail.smtp.auth.mechanisms when set (a space-separated list; the
 *    auth.*.disable keys are then ignored), else the library's default
 *    "LOGIN PLAIN DIGEST-MD5 NTLM XOAUTH2" minus each mechanism whose
 *    mail.smtp.auth.<mech>.disable is true (XOAUTH2's defaults to true);
 *  - the first name there that Java implements and the server offers
 *    is the one: only it is tried.
 * Errors: none (c->mech is SASL_NONE when nothing matches, as Java's
 * "No authentication mechanisms supported by both server and client").
 */
void		 sasl_java_choice(const struct settings *set,
		    const char *offered, struct sasl_choice *c);

#endif
