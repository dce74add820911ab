/*
 * The verification's TLS: what Java offers with the block's
 * ssl.protocols and ssl.ciphersuites and the runtime's java.security
 * (javaneg.c), narrowed to what this build can speak; the handshake;
 * the chain judged by step 2's judge with the block's settings, and the
 * exception Java throws when it refuses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "javart.h"
#include "net.h"
#include "cert_int.h"
#include "suites.h"
#include "verify_int.h"

/* ---- what Java offers in the handshake ---- */

/* The Java profile, with the user's java.security when given. */
static int
load_profile(struct vrun *v)
{
	const char *want = v->env.opt.java ? v->env.opt.java :
	    JAVAPROF_DEFAULT;
	struct sw_error e = { 0 };
	int applied;

	snprintf(v->res->java, sizeof(v->res->java), "%s", want);
	if (suites_load(&v->reg, &e) != SW_OK ||
	    javaprof_load(v->reg, want, &v->jp, &e) != SW_OK)
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE,
		    STEP_PROTO, NULL, "The Java profile could not be "
		    "loaded: %s.", sw_error_text(&e));
	if (javart_apply(v->jp, v->env.opt.java_security, v->env.opt.runtime,
	    &applied, &e) != SW_OK)
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE,
		    STEP_PROTO, NULL, "%s", sw_error_text(&e));
	return GO;
}

/* What Java offers in the handshake with the block's settings. */
int
verify_load_java(struct vrun *v, struct sw_error *err)
{
	struct javaprof_client c = { 0 };
	char dp[128], ds[4096];
	const char *rp;
	int go;

	if ((go = load_profile(v)) != GO)
		return go;
	/* Unset, the -Djdk.tls.client.* of the application's Java apply;
	 * its protocols also narrow the default suites. */
	rp = javart_client_default(v->env.opt.runtime, 0, dp, sizeof(dp));
	if ((c.protocols = settings_get(v->env.set,
	    "mail.smtp.ssl.protocols")) == NULL)
		c.protocols = rp;
	if ((c.ciphersuites = settings_get(v->env.set,
	    "mail.smtp.ssl.ciphersuites")) == NULL)
		c.ciphersuites = javart_client_default(v->env.opt.runtime, 1,
		    ds, sizeof(ds));
	if (c.ciphersuites == NULL && rp != NULL)
		c.ciphersuites = javaprof_default_suites_for(v->jp, rp, ds,
		    sizeof(ds));
	if (javaprof_offer(v->jp, &c, &v->offer, err) != SW_OK)
		return ERR;
	if (v->offer.bad_setting[0] != '\0')
		return verify_stop(v, VERIFY_FAILED, VSTAGE_HANDSHAKE,
		    v->offer.bad_suite ? STEP_CIPHER : STEP_PROTO,
		    v->offer.bad_suite ? "java.lang.IllegalArgumentException: "
		    "Unsupported CipherSuite" : "java.lang."
		    "IllegalArgumentException: Unsupported protocol",
		    "Java rejects \"%s\" in mail.smtp.ssl.%s.",
		    v->offer.bad_setting, v->offer.bad_suite ? "ciphersuites"
		    : "protocols");
	if (v->offer.nversions == 0 || v->offer.nsuites == 0)
		return verify_stop(v, VERIFY_FAILED, VSTAGE_HANDSHAKE, STEP_PROTO,
		    "javax.net.ssl.SSLHandshakeException: No appropriate "
		    "protocol (protocol is disabled or cipher suites are "
		    "inappropriate)", "With these settings Java %s offers no "
		    "TLS version or cipher suite at all.", v->res->java);
	return verify_narrow(v);
}

static void
tls_exception(const struct tls_info *ti, const struct sw_error *e,
    char *buf, size_t cap, enum step *step)
{
	*step = STEP_PROTO;
	if (ti->dh_bits > 0) {
		/* DHServerKeyExchange: the key against the constraints. */
		*step = STEP_CIPHER;
		snprintf(buf, cap, "javax.net.ssl.SSLHandshakeException: DH "
		    "ServerKeyExchange does not comply to algorithm "
		    "constraints");
		return;
	}
	switch (ti->failure) {
	case TLS_FAIL_NOT_TLS:
		*step = STEP_CONN;
		snprintf(buf, cap, "javax.net.ssl.SSLException: Unsupported "
		    "or unrecognized SSL message");
		break;
	case TLS_FAIL_ALERT:
		if (ti->alert == 40 || ti->alert == 71)
			*step = STEP_CIPHER;
		snprintf(buf, cap, "javax.net.ssl.SSLHandshakeException: "
		    "Received fatal alert: %s", tls_alert_name(ti->alert));
		break;
	case TLS_FAIL_VERSION:
		snprintf(buf, cap, "javax.net.ssl.SSLHandshakeException: No "
		    "appropriate protocol (protocol is disabled or cipher "
		    "suites are inappropriate)");
		break;
	case TLS_FAIL_CLOSED:
		snprintf(buf, cap, "javax.net.ssl.SSLHandshakeException: "
		    "Remote host terminated the handshake");
		break;
	default:
		snprintf(buf, cap, "javax.net.ssl.SSLException: %s",
		    sw_error_text(e));
	}
}

/* The first failing finding of the chain's judgement. */
static const struct finding *
first_fail(const struct step_result *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].sev == SEV_FAIL)
			return &r->findings[i];
	return NULL;
}

/*
 * What Java throws for a chain step 2's judge refused, and at which
 * stage: the PKIX validator inside the handshake (a path that cannot
 * be built fails before the dates are looked at), then the library's
 * own checks after it (the host name, then MailSSLSocketFactory's list
 * of ssl.trust hosts).
 */
static enum verify_stage
chain_exception(const struct vrun *v, const struct step_result *r,
    char *buf, size_t cap)
{
	const struct cert_data *d = &r->d.cert;

	if (d->java_chain_max > 0) {
		/* CertificateMessage: counted before any is checked. */
		snprintf(buf, cap, "javax.net.ssl.SSLProtocolException: The "
		    "certificate chain length (%zu) exceeds the maximum "
		    "allowed length (%d)", d->nchain + d->chain_more,
		    d->java_chain_max);
		return VSTAGE_HANDSHAKE;
	}
	if (result_find(r, "ssl-trust-excludes-host") != NULL) {
		snprintf(buf, cap, "java.io.IOException: Server is not "
		    "trusted: %s", v->host);
		return VSTAGE_TRUST;
	}
	if ((d->problems & CERT_P_HOSTNAME) && d->trusted == TRI_YES &&
	    !(d->problems & (CERT_P_EXPIRED | CERT_P_NOT_YET_VALID |
	    CERT_P_JAVA_CERTPATH))) {
		snprintf(buf, cap, "java.io.IOException: Can't verify identity "
		    "of server: %s", v->host);
		return VSTAGE_HOSTNAME;
	}
	snprintf(buf, cap, "javax.net.ssl.SSLHandshakeException: %s",
	    d->trusted != TRI_YES ? "PKIX path building failed: sun.security."
	    "provider.certpath.SunCertPathBuilderException: unable to find "
	    "valid certification path to requested target" :
	    d->problems & (CERT_P_EXPIRED | CERT_P_NOT_YET_VALID) ? "PKIX "
	    "path validation failed: java.security.cert."
	    "CertPathValidatorException: validity check failed" : "PKIX path "
	    "validation failed: java.security.cert.CertPathValidatorException:"
	    " Algorithm constraints check failed");
	return VSTAGE_TRUST;
}

/* The chain as Java's trust manager and the library judge it. */
static int
judge_chain(struct vrun *v, const char *wrap, struct sw_error *err)
{
	struct step_result *r = calloc(1, sizeof(*r));
	const struct cert_data *d;
	const struct finding *f;
	char exc[600], full[1200];
	enum verify_stage st;
	int go = GO;

	if (r == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory"), ERR;
	if (cert_judge_chain(&v->env, v->host, v->port, v->ssl || v->sf_ssl ?
	    MODE_SSL : MODE_STARTTLS, (const unsigned char *const *)
	    v->ti.chain_der, v->ti.chain_len, v->ti.nchain, r, err) !=
	    SW_OK) {
		free(r);
		return ERR;
	}
	d = &r->d.cert;
	snprintf(v->res->trust, sizeof(v->res->trust), "%.80s%s%.500s",
	    d->store_what, d->store_path[0] ? " " : "", d->store_path);
	v->res->trust_needs_java_setting = d->store_needs_java_setting;
	snprintf(v->res->trust_setting, sizeof(v->res->trust_setting), "%s",
	    d->store_java_setting);
	if (d->java_accepts && d->store_not_java)
		go = verify_stop(v, VERIFY_NOT_RUN, VSTAGE_TRUST, STEP_CERT,
		    NULL, "No Java runtime was found here, so the chain was "
		    "judged against the system's CA bundle, which Java does "
		    "not read. Point JAVA_HOME at the application's Java, or "
		    "give its trust store with --truststore.");
	else if (!d->java_accepts) {
		st = chain_exception(v, r, exc, sizeof(exc));
		snprintf(full, sizeof(full), "%s%s", wrap, exc);
		f = first_fail(r);
		go = verify_stop(v, VERIFY_FAILED, st, STEP_CERT, full, "%s",
		    f ? f->message : "Java refuses this chain.");
	}
	free(r);
	return go;
}

/*
 * The handshake Java makes (on the open plain connection), then the
 * chain.  wrap: how JavaMail wraps the exception.
 */
int
verify_handshake(struct vrun *v, const char *wrap, struct sw_error *err)
{
	struct tls_params tp;
	struct sw_error e = { 0 };
	char exc[1100], jx[400];
	enum step step;
	enum sw_err rc;

	memset(&tp, 0, sizeof(tp));
	tp.sni = v->host;
	tp.min_version = v->minv;
	tp.max_version = v->version_cap && v->version_cap < v->maxv ?
	    v->version_cap : v->maxv;
	tp.suites = v->suites;
	tp.nsuites = v->nsuites;
	tp.groups = v->groups;
	tp.ngroups = v->ngroups;
	/* Without a "DH keySize <" limit the library's own (1024) stays:
	 * a smaller group is then "not checked" below, never a pass. */
	tp.dh_min_bits = javaprof_dh_min(v->jp);
	tls_info_free(&v->ti);
	v->a.s.c.deadline = net_deadline(v->env.read_timeout_ms);
	rc = tls_start(&v->a.s.c, &tp, &v->ti, &e);
	if (rc == SW_OK) {
		v->tls_on = 1;
		snprintf(v->res->tls, sizeof(v->res->tls), "%s %s",
		    tls_version_name(v->ti.version), v->ti.suite_name);
		return judge_chain(v, wrap, err);
	}
	v->a.s.dead = 1;
	if (rc == SW_ECANCEL || rc == SW_ETIMEOUT)
		return verify_io_failed(v, rc, &e, VSTAGE_HANDSHAKE, STEP_PROTO,
		    "the TLS handshake");
	if (rc == SW_ENOMEM)
		return sw_fail(err, rc, "out of memory"), ERR;
	tls_exception(&v->ti, &e, jx, sizeof(jx), &step);
	if (v->ti.failure == TLS_FAIL_OTHER && !v->ti.dh_bits &&
	    tp.max_version >= TLS_V13 &&
	    tp.min_version <= TLS_V12 && !v->version_cap)
		v->version_cap = TLS_V12;	/* see verify_run() */
	if (v->narrowed && v->ti.failure != TLS_FAIL_NOT_TLS &&
	    verify_narrowing_matters(v))
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE, step, NULL,
		    "The handshake failed (%s), and %s: whether Java's "
		    "handshake works cannot be told here.", sw_error_text(&e),
		    v->narrowed_why);
	if (v->groups_missing[0] != '\0' && verify_groups_matter(&v->ti))
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE, step, NULL,
		    "The handshake failed (%s), and Java %s also offers the "
		    "named groups %s, which this build of smtpwiz (%s) "
		    "cannot: whether the server would take one, and so "
		    "whether Java's handshake works, cannot be told here.",
		    sw_error_text(&e), v->res->java, v->groups_missing,
		    tls_library_version());
	if (v->ti.dh_bits > 0 && tp.dh_min_bits == 0)
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE, step, NULL,
		    "The server's DHE group has %u bits, fewer than this build "
		    "of smtpwiz takes (%u); Java %s sets no \"DH keySize <\" "
		    "limit, so whether its provider takes the group cannot be "
		    "told here.", v->ti.dh_bits, v->ti.dh_min, v->res->java);
	snprintf(exc, sizeof(exc), "%s%s", wrap, jx);
	if (v->ti.dh_bits > 0)
		return verify_stop(v, VERIFY_FAILED, VSTAGE_HANDSHAKE, step, exc,
		    "The server's DHE group has %u bits; Java %s takes no "
		    "fewer than %u (\"DH keySize < %u\" in "
		    "jdk.tls.disabledAlgorithms).", v->ti.dh_bits,
		    v->res->java, v->ti.dh_min, v->ti.dh_min);
	return verify_stop(v, VERIFY_FAILED, VSTAGE_HANDSHAKE, step, exc, "The TLS "
	    "handshake failed: %s.", sw_error_text(&e));
}

