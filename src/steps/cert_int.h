/*
 * Step 2's pieces share one context: cert_probe.c runs the step,
 * cert_fetch.c gets the chain off the server, cert_facts.c records
 * what the chain, the trust store and the profile say in the step's
 * data, cert_judge.c (pure) judges those facts, cert_fix.c writes the
 * files and commands that fix it, cert_render.c prints the result.
 * Not part of the engine API.
 */
#ifndef SW_CERT_INT_H
#define SW_CERT_INT_H

#include <stddef.h>
#include <time.h>

#include "certpath.h"
#include "probe.h"
#include "truststore.h"
#include "x509.h"

struct javaprof;
struct suites;

/* The chain as sent, leaf first; owned copies. */
struct cert_chain {
	size_t		 n;
	size_t		 dropped;	/* sent beyond CHAIN_MAX */
	unsigned char	*der[CHAIN_MAX];
	size_t		 len[CHAIN_MAX];
};

struct cert_run {
	const struct probe_env		*env;
	struct step_result		*r;
	struct cert_data		*d;
	char				 host[256];
	unsigned			 port;
	enum smtp_mode			 mode;
	struct truststore		 ts;
	struct cert_chain			 ch;
	struct x509_info		*info;		/* ch.n of them */
	struct x509_path		*path;
	const struct certpath_profile	*prof;
	struct suites			*reg;		/* for jp */
	struct javaprof			*jp;		/* NULL: the table */
	time_t				 now;
	int				 cancelled;	/* cancel_fd fired */
};

/* Owned copies of the chain. */
void	cert_chain_free(struct cert_chain *);
int	cert_chain_add(struct cert_chain *, const unsigned char *der,
	    size_t len);		/* -1: out of memory; 0 (beyond
					   CHAIN_MAX: counted in dropped) */

/* Sanitised copy of server (or file) text. */
void	cert_clean(char *dst, size_t cap, const char *src);

/* snprintf for texts that may be cut (paths can be long). */
void	cert_put(char *buf, size_t cap, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Fills x->ch from a handshake the way Java makes it, or, when that
 * fails, from raw hellos (adding the findings that say why).
 * Errors: SW_ECANCEL, SW_ENOMEM.
 */
enum sw_err cert_fetch(struct cert_run *x, struct sw_error *err);

/*
 * Records in x->d what x->info and x->path say (cert_facts.c): the
 * chain as sent, Java's path, the dates, the host-name check as the
 * mail library makes it (with a certificate name that resolves, for
 * advice), the profile's certpath issues, the CA to import and what
 * the runtime's cacerts holds.  Needs the certificates, the trust store
 * and the resolver; the judge then needs none of them.
 */
void	cert_facts(struct cert_run *x);
/* The leaf cannot be read (why: the error): what is known of the chain. */
void	cert_facts_unreadable(struct cert_run *x, const char *why);

/*
 * The certpath rules step 2 judges with: those of the profile
 * env->opt.java names ("17" when none); Java 17's when it names none
 * known (a profile file from a debug log holds none).  *asked, when
 * asked for: the name given.
 */
const struct certpath_profile *cert_profile(const struct probe_env *env,
	    const char **asked);

/* What step 2 reads of the settings into d: checkserveridentity, the
 * mail library (cert_judge.c; the probe and the judge both call it). */
void	cert_judge_settings(struct cert_data *d, const struct settings *);

/* Fixes (cert_fix.c): the files --save-chain writes (a failure goes to
 * d->save_error), then the keytool command in d->fix_keytool. */
void	cert_save_files(struct cert_run *x);
void	cert_make_keytool(struct cert_run *x);

/*
 * Judges the n DER certificates one handshake got (leaf first) the way
 * step 2 does, with env->set's checkserveridentity and ssl.trust and
 * env's trust store, into r (overwritten): r->d.cert.java_accepts,
 * problems and the findings.  For the verification (verify.c).
 * Errors: SW_ENOMEM.
 */
enum sw_err cert_judge_chain(const struct probe_env *env, const char *host,
	    unsigned port, enum smtp_mode mode,
	    const unsigned char *const *der, const size_t *len, size_t n,
	    struct step_result *r, struct sw_error *err);

#endif
