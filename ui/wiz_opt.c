/*
 * The wizard's options, each once (wiz_opt.h): the table the fields,
 * the jobs' options and the staleness fingerprints read.
 */
#include <stddef.h>
#include <string.h>

#include "wiz_opt.h"

#define STEPS(a, b)	(((1u << ((b) + 1)) - 1) & ~((1u << (a)) - 1))
#define EVERY_STEP	STEPS(STEP_CONN, STEP_AUTH)
/* offsetof + 1: 0 means a secret, which the caller hands over itself. */
#define PO(f)		(offsetof(struct probe_opts, f) + 1)

static const struct {
	const char	*name;
	size_t		 field;
	unsigned	 steps;		/* bit s: step s reads it */
} wiz_opts[OPT_COUNT] = {
	[OPT_CAFILE] = { "CA file", PO(cafile), STEPS(2, 2) },
	[OPT_TRUSTSTORE] = { "trust store", PO(truststore), STEPS(2, 2) },
	[OPT_STOREPASS] = { "trust store password", 0, STEPS(2, 2) },
	/* Its disabled algorithms and protocols: steps 2-4. */
	[OPT_JAVA_SECURITY] = { "java.security file", PO(java_security),
	    STEPS(2, 4) },
	[OPT_MAIL_FROM] = { "test mail sender", PO(mail_from), STEPS(5, 5) },
	[OPT_RCPT_TO] = { "test mail recipient", PO(rcpt_to), STEPS(5, 5) },
	/* Every connection goes through the proxy. */
	[OPT_SOCKS_USER] = { "SOCKS user", PO(socks_user), EVERY_STEP },
	[OPT_PROXY_PASS] = { "proxy password", 0, EVERY_STEP },
};

const char *
wiz_opt_name(enum wiz_opt o)
{
	return (unsigned)o < OPT_COUNT ? wiz_opts[o].name : "?";
}

int
wiz_opt_read_by(enum wiz_opt o, enum step s)
{
	return (unsigned)o < OPT_COUNT && s >= 1 && s <= STEP_COUNT &&
	    (wiz_opts[o].steps >> s & 1);
}

int
wiz_opt_secret(enum wiz_opt o)
{
	return (unsigned)o < OPT_COUNT && wiz_opts[o].field == 0;
}

const char *
wiz_opt_in(const struct probe_opts *p, enum wiz_opt o)
{
	const char *v = NULL;

	if (!wiz_opt_secret(o) && (unsigned)o < OPT_COUNT)
		memcpy(&v, (const char *)p + wiz_opts[o].field - 1,
		    sizeof(v));
	return v;
}

void
wiz_opt_to(struct probe_opts *p, enum wiz_opt o, const char *v)
{
	if (!wiz_opt_secret(o) && (unsigned)o < OPT_COUNT)
		memcpy((char *)p + wiz_opts[o].field - 1, &v, sizeof(v));
}
