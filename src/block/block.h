/*
 * The settings block: what the user came for.  Built from the settings
 * they started with and every step's findings, each key with a
 * one-line reason, then rendered as Jakarta Mail .properties, as JS7
 * Job Resource arguments (the list for the JOC Cockpit editor and an
 * importable JSON snippet), as Spring Boot spring.mail.* or as JSON.
 *
 * Decisions: the connection type step 1 detected (never a mix of SSL
 * and STARTTLS), starttls.required with STARTTLS, finite timeouts,
 * checkserveridentity on, ssl.protocols with ONE version when step 3
 * recommends one, ssl.ciphersuites only when a step says it is needed,
 * ssl.trust only when the user chose it (a finding marked optin is
 * never applied by itself), auth only with a user.  The user's pairs
 * are taken as Java reads them: the certain corrections of
 * settings_findings() apply, and mail.* keys Java does not read are
 * left out (and listed in the header).  The password is
 * left out, a placeholder, or included, as the caller says.
 */
#ifndef SW_BLOCK_H
#define SW_BLOCK_H

#include "err.h"
#include "probe.h"
#include "props.h"
#include "settings.h"

enum block_format {
	BLOCK_PROPERTIES,	/* Jakarta Mail .properties */
	BLOCK_JS7,		/* JS7 Job Resource arguments: name, value */
	BLOCK_JS7_JSON,		/* importable JS7 Job Resource JSON */
	BLOCK_SPRING,		/* Spring Boot application.properties */
	BLOCK_JSON,		/* {"mail.smtp.host": "...", ...} */
};

enum block_password { PW_OMIT, PW_PLACEHOLDER, PW_INCLUDE };

#define BLOCK_PLACEHOLDER "<password>"

struct verify_result;

struct block_input {
	const struct settings		*set;		/* what the user had */
	const struct step_result	*steps[STEP_COUNT]; /* NULL: not run */
	enum block_password		 pw;
	const char			*password;	/* for PW_INCLUDE */
};

struct block {
	struct props	*p;		/* the keys, in a sensible order */
	struct props	*why;		/* key -> one-line reason */
	enum mail_lib	 lib;
	char		 target[300];	/* "host:port" for the header */
	int		 probed;	/* step 1 talked SMTP to the server */
	char		*verdict;	/* header lines (block_set_verdict),
					   malloc'ed; NULL: not verified */
	int		 verified;	/* the verification passed */
	struct props	*dropped;	/* user keys left out -> why */
	int		 oauth2;	/* logs in with XOAUTH2 (a token) */
};

/*
 * block_build()'s OAuth2 part (block_oauth2.c): when b logs in with
 * XOAUTH2 (the settings ask for it, or step 5 logged in with it), sets
 * b->oauth2, auth.mechanisms=XOAUTH2 and the login/plain.disable keys
 * for mechanisms the server offers.  Errors: SW_ENOMEM.
 */
enum sw_err	block_oauth2(struct block *b, const struct block_input *in,
		    struct sw_error *err);

/* The header lines of an OAuth2 block: what the Java side must do. */
const char	*block_oauth2_note(void);

/* Builds b (free with block_free).  Errors: SW_ENOMEM, SW_EUSAGE. */
enum sw_err	block_build(const struct block_input *, struct block *b,
		    struct sw_error *);
void		block_free(struct block *b);

/*
 * Puts the verdict into b's header: the verification's outcome (v NULL:
 * not run) and every step that failed -- as NOT WORKING YET, or, when
 * the block was verified, as corrected in it (those steps judged the
 * user's settings).  Only a VERIFY_VERIFIED outcome makes b->verified.
 * Errors: SW_ENOMEM.
 */
enum sw_err	block_set_verdict(struct block *b,
		    const struct verify_result *v,
		    const struct step_result *const steps[STEP_COUNT],
		    struct sw_error *err);

/*
 * The block as Java will read it, for verify_run(): a settings of
 * b->lib holding b's pairs (the password too, when included).
 * Free with settings_free().  Errors: SW_ENOMEM.
 */
enum sw_err	block_settings(const struct block *b, struct settings *out,
		    struct sw_error *err);

/* Renders b into *out (malloc'ed).  Errors: SW_ENOMEM. */
enum sw_err	block_to_text(const struct block *b, enum block_format,
		    char **out, struct sw_error *);

/* "properties", "js7", "js7-json", "spring", "json"; -1 if unknown. */
int		block_format_parse(const char *);

/* Does the block hold a real password (write its file 0600)? */
int		block_has_secret(const struct block *b);

#endif
