/*
 * What the pieces of the verification share: verify.c runs the session
 * (reading the block, connecting, the dialogue up to STARTTLS, the
 * outcome), verify_tls.c what Java offers and the handshake with its
 * chain, verify_login.c the login and the envelope.  Each stage returns
 * GO to go on, STOP when the outcome is decided (res filled by
 * verify_stop()), ERR with err set when the verification itself
 * cannot go on.  Not part of the engine API.
 */
#ifndef SW_VERIFY_INT_H
#define SW_VERIFY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "javaprof.h"
#include "auth_int.h"
#include "smtp.h"
#include "tls.h"
#include "verify.h"

struct suites;

#define VERIFY_WAIT_MAX_MS	(10 * 60 * 1000)	/* a block's timeout */

enum { STOP = 0, GO = 1, ERR = -1 };

struct vrun {
	struct probe_env	 env;		/* set = the block */
	struct verify_result	*res;
	char			 host[256];
	unsigned		 port, sf_port;
	int			 ssl, sf_ssl, sf_fallback;
	int			 starttls, starttls_req;
	int			 cto_set, to_set;
	const char		*exc_pkg;	/* "com.sun.mail" */
	struct auth_run		 a;		/* a.s: the session */
	int			 open, tls_on, fell_back;
	struct smtp_caps	 caps;
	struct suites		*reg;
	struct javaprof		*jp;
	struct javaprof_offer	 offer;
	uint16_t		 suites[JAVAPROF_SUITES_MAX];
	size_t			 nsuites;
	uint16_t		 minv, maxv, version_cap;
	int			 narrowed;	/* we offer less than Java */
	char			 narrowed_why[160];
	uint16_t		 vmissing[5];	/* Java's versions left out */
	size_t			 nvmissing;
	uint16_t		 smissing[JAVAPROF_SUITES_MAX]; /* suites */
	size_t			 nsmissing;
	unsigned		 conn_port;	/* of the open connection */
	uint16_t		 groups[JAVAPROF_GROUPS_MAX];
	size_t			 ngroups;
	/* Named groups Java offers that this build cannot, and which
	 * could have been picked in a handshake that failed. */
	char			 groups_missing[160];
	struct tls_info		 ti;
};

/* Decides the outcome (sanitising exc and the detail); returns STOP. */
int	verify_stop(struct vrun *v, enum verify_outcome o,
	    enum verify_stage st, enum step step, const char *exc,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* An I/O failure while waiting for what: Java's words; returns STOP. */
int	verify_io_failed(struct vrun *v, enum sw_err rc,
	    const struct sw_error *e, enum verify_stage st, enum step step,
	    const char *what);

/* The reply's first line as "CODE text", sanitised; "[EOF]" for none. */
void	verify_reply_line(const struct smtp_reply *rp, char *buf, size_t cap);

/* verify_tls.c: Java's offer for the block, narrowed to this build. */
int	verify_load_java(struct vrun *v, struct sw_error *err);

/* verify_narrow.c: what of Java's offer this build offers (versions,
 * suites, named groups; the rest in vmissing, smissing,
 * groups_missing).  GO, or STOP when nothing is left to offer. */
int	verify_narrow(struct vrun *v);

/* verify_narrow.c: could what was left out have made this failed
 * handshake work for Java?  No only when steps 3 and 4, on the same
 * server, saw each left-out version and suite refused. */
int	verify_narrowing_matters(const struct vrun *v);

/* verify_narrow.c: could a named group this build lacks have avoided
 * this failure (not "no version in common", not protocol_version)? */
int	verify_groups_matter(const struct tls_info *ti);

/* verify_tls.c: the handshake on the open connection, then the chain;
 * wrap is how JavaMail wraps the exception. */
int	verify_handshake(struct vrun *v, const char *wrap,
	    struct sw_error *err);

/* verify_login.c: AUTH as SMTPTransport decides it. */
int	verify_login(struct vrun *v, struct sw_error *err);

/* verify_login.c: MAIL FROM, RCPT TO when given, RSET. */
int	verify_envelope(struct vrun *v);

#endif
