/*
 * Mail providers: which well-known service a host is (Microsoft 365,
 * Gmail, Amazon SES, SendGrid, Mailgun, ...) and what it requires of a
 * Java client -- ports, login form, whether passwords still work, OAuth2
 * and the replies it gives.  The facts are data (assets/providers.txt);
 * this file only reads and matches them.  Pure apart from
 * provider_lookup()'s read of the asset; no globals, any thread.
 */
#ifndef SW_PROVIDER_H
#define SW_PROVIDER_H

#include <stddef.h>

#include "err.h"

#define PROVIDER_PATTERNS_MAX	8
#define PROVIDER_SUBMIT_MAX	4
#define PROVIDER_ERRORS_MAX	6

enum provider_oauth2 {
	OAUTH2_NO,		/* the provider has no XOAUTH2 */
	OAUTH2_SUPPORTED,	/* offered, passwords work too */
	OAUTH2_RECOMMENDED,	/* passwords only in special cases */
	OAUTH2_REQUIRED,	/* passwords end (or have ended) */
};

struct provider_submit {
	unsigned	port;
	char		mode[16];		/* "starttls" "ssl" "plain" */
};

struct provider {
	char			id[32];
	char			name[96];
	size_t			nhost, ngreeting;
	char			host[PROVIDER_PATTERNS_MAX][128];
	char			greeting[PROVIDER_PATTERNS_MAX][128];
	size_t			nsubmit;
	struct provider_submit	submit[PROVIDER_SUBMIT_MAX];
	char			login[256];
	char			password[512];
	enum provider_oauth2	oauth2;
	char			scope[320];
	char			token[160];
	size_t			nerror;
	char			error[PROVIDER_ERRORS_MAX][256];
};

/* How a provider was recognised. */
enum provider_by { PROVIDER_BY_NONE, PROVIDER_BY_HOST, PROVIDER_BY_GREETING };

/*
 * Finds in text (the asset's content; left unchanged) the first record
 * whose host pattern matches host or, failing that for every record,
 * whose greeting pattern matches greeting's first line (either may be
 * NULL or "").  A host match wins over a greeting match of an earlier
 * record.  Fills *out and returns how it matched; PROVIDER_BY_NONE
 * when nothing did.  With id non-NULL, the record of that id instead
 * (PROVIDER_BY_HOST when found).
 * Errors: SW_EASSET for a malformed record (the message names the
 * line), SW_ENOMEM.
 */
enum sw_err	provider_match_text(const char *text, const char *id,
		    const char *host, const char *greeting,
		    struct provider *out, enum provider_by *by,
		    struct sw_error *err);

/* provider_match_text() over assets/providers.txt.  Errors: as that,
 * and assets_read()'s. */
enum sw_err	provider_lookup(const char *id, const char *host,
		    const char *greeting, struct provider *out,
		    enum provider_by *by, struct sw_error *err);

/* "required" "recommended" "supported" "no". */
const char	*provider_oauth2_name(enum provider_oauth2);

/* 1 when the provider takes logins on port with mode ("starttls"...). */
int		 provider_takes(const struct provider *, unsigned port,
		    const char *mode);

/* "587 with STARTTLS, 465 with implicit TLS (SSL)" into buf. */
void		 provider_submit_text(const struct provider *, char *buf,
		    size_t cap);

#endif
