/*
 * The verification (verify.h): one session with the final settings,
 * each stage as JavaMail's SMTPTransport and SocketFetcher do it, the
 * first one that breaks reported with the exception Java would throw.
 * The pieces of the steps are reused: the handshake from tls.c with the
 * offer javaneg.c computes for the block, the chain judged by step 2's
 * judge (cert_judge_chain), AUTH by step 5's exchanges (auth_try).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "block.h"
#include "javaprof.h"
#include "javasec.h"
#include "mail_test.h"
#include "net.h"
#include "probe_auth_int.h"
#include "probe_cert_int.h"
#include "sanitize.h"
#include "session.h"
#include "suites.h"
#include "tls.h"
#include "verify.h"

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
	struct tls_info		 ti;
};

/* ---- outcomes ---- */

static int
stop(struct vrun *v, enum verify_outcome o, enum verify_stage st,
    enum step step, const char *exc, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int
stop(struct vrun *v, enum verify_outcome o, enum verify_stage st,
    enum step step, const char *exc, const char *fmt, ...)
{
	struct verify_result *r = v->res;
	char raw[sizeof(r->detail)];
	va_list ap;

	r->result = o;
	r->stage = st;
	r->step = step;
	sanitize_str(exc ? exc : "", r->java_exception,
	    sizeof(r->java_exception), 0);
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	sanitize_str(raw, r->detail, sizeof(r->detail), 0);
	return STOP;
}

/* The reply's first line as "CODE text", sanitised. */
static void
reply_line(const struct smtp_reply *rp, char *buf, size_t cap)
{
	size_t len = 0;
	const char *l = smtp_reply_line(rp, 0, &len);
	char raw[600];

	if (rp->code == 0) {
		snprintf(buf, cap, "[EOF]");
		return;
	}
	snprintf(raw, sizeof(raw), "%d %.*s", rp->code, l ? (int)len : 0,
	    l ? l : "");
	sanitize_str(raw, buf, cap, 0);
}

/*
 * An I/O failure while waiting for the server: what Java would say.
 * what: "the greeting", "the reply to EHLO" ...
 */
static int
io_failed(struct vrun *v, enum sw_err rc, const struct sw_error *e,
    enum verify_stage st, enum step step, const char *what)
{
	char exc[300];

	if (rc == SW_ECANCEL)
		return stop(v, VERIFY_NOT_RUN, st, step, NULL, "cancelled");
	if (rc == SW_ETIMEOUT && v->to_set)
		return stop(v, VERIFY_FAILED, st, step, "javax.mail."
		    "MessagingException: Exception reading response; nested "
		    "exception is: java.net.SocketTimeoutException: Read "
		    "timed out", "No answer (%s) within mail.smtp.timeout "
		    "(%d ms): the server is slower than the block allows. "
		    "Raise mail.smtp.timeout.", what, v->env.read_timeout_ms);
	if (rc == SW_ETIMEOUT)
		return stop(v, VERIFY_FAILED, st, step, "(none: Java hangs)",
		    "No answer (%s) within %d s. The block sets no "
		    "mail.smtp.timeout, so Java would wait forever.", what,
		    v->env.read_timeout_ms / 1000);
	snprintf(exc, sizeof(exc), "javax.mail.MessagingException: %s",
	    rc == SW_ECLOSED ? "[EOF]" : "Exception reading response");
	return stop(v, VERIFY_FAILED, st, step, exc, "The connection broke "
	    "while waiting for %s: %s.", what, sw_error_text(e));
}

/* ---- reading the block as Java does ---- */

static long
block_ms(const struct settings *set, const char *key, int *given)
{
	long ms = 0;

	*given = settings_int(set, key, &ms) && ms > 0;
	if (!*given)
		return 0;
	return ms > VERIFY_WAIT_MAX_MS ? VERIFY_WAIT_MAX_MS : ms;
}

/* A socket factory class that makes TLS sockets (SocketFetcher). */
static int
ssl_factory(const char *cls)
{
	return cls != NULL && (strcmp(cls, "javax.net.ssl.SSLSocketFactory")
	    == 0 || strstr(cls, "MailSSLSocketFactory") != NULL);
}

static int
read_block(struct vrun *v, const struct probe_env *env,
    const struct settings *set)
{
	const char *h = settings_effective(set, "mail.smtp.host");
	const char *sf = settings_get(set, "mail.smtp.socketFactory.class");
	long n = 0, ms;

	v->env = *env;
	v->env.set = set;
	v->exc_pkg = set->lib == MAIL_LIB_ANGUS2 ? "org.eclipse.angus.mail" :
	    "com.sun.mail";
	snprintf(v->host, sizeof(v->host), "%s", h ? h : "localhost");
	v->port = settings_int(set, "mail.smtp.port", &n) && n > 0 &&
	    n < 65536 ? (unsigned)n : settings_bool(set,
	    "mail.smtp.ssl.enable") ? 465 : 25;
	v->ssl = settings_bool(set, "mail.smtp.ssl.enable");
	v->sf_ssl = !v->ssl && ssl_factory(sf);
	v->sf_fallback = settings_bool(set, "mail.smtp.socketFactory.fallback");
	v->sf_port = settings_int(set, "mail.smtp.socketFactory.port", &n) &&
	    n > 0 && n < 65536 ? (unsigned)n : v->port;
	v->starttls = settings_bool(set, "mail.smtp.starttls.enable");
	v->starttls_req = settings_bool(set, "mail.smtp.starttls.required");
	if ((ms = block_ms(set, "mail.smtp.connectiontimeout",
	    &v->cto_set)) > 0)
		v->env.connect_timeout_ms = (int)ms;
	if ((ms = block_ms(set, "mail.smtp.timeout", &v->to_set)) > 0)
		v->env.read_timeout_ms = (int)ms;
	snprintf(v->res->target, sizeof(v->res->target), "%s:%u", v->host,
	    v->port);
	if (strchr(v->host, '\n') || strchr(v->host, ' ') || *v->host == '\0')
		return stop(v, VERIFY_FAILED, VSTAGE_SETTINGS, STEP_CONNECTION,
		    "java.net.UnknownHostException", "mail.smtp.host \"%s\" "
		    "is not a host name.", v->host);
	return GO;
}

/* ---- what Java offers in the handshake ---- */

static int
load_java(struct vrun *v, struct sw_error *err)
{
	const char *want = v->env.opt.java ? v->env.opt.java : "17";
	struct javaprof_client c = { 0 };
	struct javasec *sec = NULL;
	struct sw_error e = { 0 };
	uint16_t lib[JAVAPROF_SUITES_MAX], lo, hi;
	size_t nlib, i, k;

	snprintf(v->res->java, sizeof(v->res->java), "%s", want);
	if (suites_load(&v->reg, &e) != SW_OK ||
	    javaprof_load(v->reg, want, &v->jp, &e) != SW_OK)
		return stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE,
		    STEP_PROTOCOLS, NULL, "The Java profile could not be "
		    "loaded: %s.", sw_error_text(&e));
	if (v->env.opt.java_security != NULL) {
		if (javasec_load_file(v->env.opt.java_security, &sec, &e) !=
		    SW_OK || javaprof_apply_security(v->jp, sec, 1, &e) !=
		    SW_OK) {
			javasec_free(sec);
			return stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE,
			    STEP_PROTOCOLS, NULL, "%s", sw_error_text(&e));
		}
		javasec_free(sec);
	}
	c.protocols = settings_get(v->env.set, "mail.smtp.ssl.protocols");
	c.ciphersuites = settings_get(v->env.set,
	    "mail.smtp.ssl.ciphersuites");
	if (javaprof_offer(v->jp, &c, &v->offer, err) != SW_OK)
		return ERR;
	if (v->offer.bad_setting[0] != '\0')
		return stop(v, VERIFY_FAILED, VSTAGE_HANDSHAKE,
		    v->offer.bad_suite ? STEP_CIPHERS : STEP_PROTOCOLS,
		    v->offer.bad_suite ? "java.lang.IllegalArgumentException: "
		    "Unsupported CipherSuite" : "java.lang."
		    "IllegalArgumentException: Unsupported protocol",
		    "Java rejects \"%s\" in mail.smtp.ssl.%s.",
		    v->offer.bad_setting, v->offer.bad_suite ? "ciphersuites"
		    : "protocols");
	if (v->offer.nversions == 0 || v->offer.nsuites == 0)
		return stop(v, VERIFY_FAILED, VSTAGE_HANDSHAKE, STEP_PROTOCOLS,
		    "javax.net.ssl.SSLHandshakeException: No appropriate "
		    "protocol (protocol is disabled or cipher suites are "
		    "inappropriate)", "With these settings Java %s offers no "
		    "TLS version or cipher suite at all.", want);
	/* Offer what Java offers, as far as this build can. */
	tls_library_range(&lo, &hi);
	v->maxv = v->offer.versions[0];
	v->minv = v->offer.versions[v->offer.nversions - 1];
	if (v->maxv > hi || v->minv < lo) {
		snprintf(v->narrowed_why, sizeof(v->narrowed_why), "Java %s "
		    "offers %s to %s; this build of smtpwiz (%s) can complete "
		    "%s to %s only", want, tls_version_name(v->minv),
		    tls_version_name(v->maxv), tls_library_version(),
		    tls_version_name(lo), tls_version_name(hi));
		v->narrowed = 1;
		v->maxv = v->maxv > hi ? hi : v->maxv;
		v->minv = v->minv < lo ? lo : v->minv;
	}
	if (v->minv > v->maxv)
		return stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE,
		    STEP_PROTOCOLS, NULL, "%s: the handshake Java would make "
		    "cannot be checked here.", v->narrowed_why);
	nlib = tls_library_suites(lib, JAVAPROF_SUITES_MAX);
	for (i = 0; i < v->offer.nsuites; i++) {
		for (k = 0; k < nlib && lib[k] != v->offer.suites[i]; k++)
			;
		if (k < nlib)
			v->suites[v->nsuites++] = v->offer.suites[i];
		else if (!v->narrowed) {
			v->narrowed = 1;
			snprintf(v->narrowed_why, sizeof(v->narrowed_why),
			    "Java %s offers cipher suites this build of "
			    "smtpwiz (%s) cannot", want,
			    tls_library_version());
		}
	}
	if (v->nsuites == 0)
		return stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE, STEP_CIPHERS,
		    NULL, "%s: none of the suites Java would offer can be "
		    "offered here.", v->narrowed_why);
	return GO;
}

/* ---- connecting ---- */

static int
connect_to(struct vrun *v, unsigned port)
{
	struct net_addr addrs[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	char exc[1000];
	size_t n = 0, i, pick = 0;
	enum sw_err rc;
	int fd = -1;

	if (net_resolve(v->host, port, addrs, &n, &e) != SW_OK || n == 0) {
		snprintf(exc, sizeof(exc), "javax.mail.MessagingException: "
		    "Unknown SMTP host: %s; nested exception is: java.net."
		    "UnknownHostException: %s", v->host, v->host);
		return stop(v, VERIFY_FAILED, VSTAGE_RESOLVE, STEP_CONNECTION,
		    exc, "%s", sw_error_text(&e));
	}
	/* InetAddress.getByName(): the first address, IPv4 first. */
	for (i = 0; i < n; i++)
		if (addrs[i].family == AF_INET) {
			pick = i;
			break;
		}
	snprintf(v->res->addr, sizeof(v->res->addr), "%s", addrs[pick].text);
	v->res->connections++;
	rc = net_connect(&addrs[pick], net_deadline(v->env.connect_timeout_ms),
	    v->env.cancel_fd, &fd, &e);
	if (rc == SW_ECANCEL)
		return stop(v, VERIFY_NOT_RUN, VSTAGE_CONNECT, STEP_CONNECTION,
		    NULL, "cancelled");
	if (rc != SW_OK) {
		snprintf(exc, sizeof(exc), "%s.util.MailConnectException: "
		    "Couldn't connect to host, port: %s, %u; timeout %d; "
		    "nested exception is: java.net.%s", v->exc_pkg, v->host,
		    port, v->cto_set ? v->env.connect_timeout_ms : -1,
		    rc == SW_ETIMEOUT ? "SocketTimeoutException: connect "
		    "timed out" : "ConnectException: Connection refused");
		return stop(v, VERIFY_FAILED, VSTAGE_CONNECT, STEP_CONNECTION,
		    exc, "%s%s", sw_error_text(&e), rc == SW_ETIMEOUT &&
		    !v->cto_set ? " (the block sets no mail.smtp."
		    "connectiontimeout: Java would wait for the system's "
		    "limit)" : "");
	}
	session_attach(&v->a.s, &v->env, fd);
	v->a.s.addr = addrs[pick];
	v->open = 1;
	return GO;
}

/* Java's words for a handshake that failed, and the step for it. */
static void
tls_exception(const struct tls_info *ti, const struct sw_error *e,
    char *buf, size_t cap, enum step *step)
{
	*step = STEP_PROTOCOLS;
	switch (ti->failure) {
	case TLS_FAIL_NOT_TLS:
		*step = STEP_CONNECTION;
		snprintf(buf, cap, "javax.net.ssl.SSLException: Unsupported "
		    "or unrecognized SSL message");
		break;
	case TLS_FAIL_ALERT:
		if (ti->alert == 40 || ti->alert == 71)
			*step = STEP_CIPHERS;
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

/* The chain as Java's trust manager and the library judge it. */
static int
judge_chain(struct vrun *v, const char *wrap, struct sw_error *err)
{
	struct step_result *r = calloc(1, sizeof(*r));
	const struct cert_data *d;
	const struct finding *f;
	char exc[700];
	int hostname, go;

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
	if (d->java_accepts && d->store_not_java) {
		free(r);
		return stop(v, VERIFY_NOT_RUN, VSTAGE_TRUST, STEP_CERTIFICATES,
		    NULL, "No Java runtime was found here, so the chain was "
		    "judged against the system's CA bundle, which Java does "
		    "not read. Point JAVA_HOME at the application's Java, or "
		    "give its trust store with --truststore.");
	}
	if (d->java_accepts) {
		free(r);
		return GO;
	}
	f = first_fail(r);
	hostname = (d->problems & CERT_P_HOSTNAME) && d->trusted == TRI_YES;
	if (hostname)
		snprintf(exc, sizeof(exc), "%s%s java.io.IOException: Can't "
		    "verify identity of server: %s", wrap, wrap[0] ? "" : "",
		    v->host);
	else
		snprintf(exc, sizeof(exc), "%sjavax.net.ssl.SSLHandshakeException:"
		    " %s", wrap, d->problems & (CERT_P_EXPIRED |
		    CERT_P_NOT_YET_VALID) && d->trusted == TRI_YES ? "PKIX path "
		    "validation failed: java.security.cert."
		    "CertPathValidatorException: validity check failed" :
		    d->problems & CERT_P_JAVA_CERTPATH ? "PKIX path validation "
		    "failed: java.security.cert.CertPathValidatorException: "
		    "Algorithm constraints check failed" : "PKIX path building "
		    "failed: sun.security.provider.certpath."
		    "SunCertPathBuilderException: unable to find valid "
		    "certification path to requested target");
	go = stop(v, VERIFY_FAILED, hostname ? VSTAGE_HOSTNAME : VSTAGE_TRUST,
	    STEP_CERTIFICATES, exc, "%s", f ? f->message : "Java refuses "
	    "this chain.");
	free(r);
	return go;
}

/*
 * The handshake Java makes (on the open plain connection), then the
 * chain.  wrap: how JavaMail wraps the exception.
 */
static int
handshake(struct vrun *v, const char *wrap, struct sw_error *err)
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
		return io_failed(v, rc, &e, VSTAGE_HANDSHAKE, STEP_PROTOCOLS,
		    "the TLS handshake");
	if (rc == SW_ENOMEM)
		return sw_fail(err, rc, "out of memory"), ERR;
	tls_exception(&v->ti, &e, jx, sizeof(jx), &step);
	if (v->narrowed && v->ti.failure != TLS_FAIL_NOT_TLS)
		return stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE, step, NULL,
		    "The handshake failed (%s), and %s: whether Java's "
		    "handshake works cannot be told here.", sw_error_text(&e),
		    v->narrowed_why);
	if (v->ti.failure == TLS_FAIL_OTHER && tp.max_version >= TLS_V13 &&
	    tp.min_version <= TLS_V12 && !v->version_cap)
		v->version_cap = TLS_V12;	/* see verify_run() */
	snprintf(exc, sizeof(exc), "%s%s", wrap, jx);
	return stop(v, VERIFY_FAILED, VSTAGE_HANDSHAKE, step, exc, "The TLS "
	    "handshake failed: %s.", sw_error_text(&e));
}

/* ---- the dialogue ---- */

static int
greeting(struct vrun *v)
{
	struct sw_error e = { 0 };
	char exc[400], line[300];
	enum sw_err rc;

	v->a.s.c.deadline = net_deadline(v->env.read_timeout_ms);
	if ((rc = session_reply(&v->a.s, &e)) != SW_OK)
		return io_failed(v, rc, &e, VSTAGE_GREETING, STEP_CONNECTION,
		    "the greeting");
	if (v->a.s.reply.code == 220)
		return GO;
	reply_line(&v->a.s.reply, line, sizeof(line));
	snprintf(exc, sizeof(exc), "javax.mail.MessagingException: Could not "
	    "connect to SMTP host: %s, port: %u, response: %d", v->host,
	    v->port, v->a.s.reply.code);
	return stop(v, VERIFY_FAILED, VSTAGE_GREETING, STEP_CONNECTION, exc,
	    "The server greeted with \"%s\".", line);
}

/*
 * EHLO, and HELO when EHLO is refused (SMTPTransport); after STARTTLS
 * any refusal fails (Java would go on with the capabilities it read
 * in the clear, which no longer hold).
 */
static int
ehlo(struct vrun *v, int after_tls)
{
	struct sw_error e = { 0 };
	char name[256], cmd[300], line[300], exc[400];
	const char *src;
	enum sw_err rc;

	session_ehlo_name(v->env.set, name, sizeof(name), &src);
	smtp_caps_unknown(&v->caps);
	if (settings_bool(v->env.set, "mail.smtp.ehlo")) {
		v->a.s.c.deadline = net_deadline(v->env.read_timeout_ms);
		if ((rc = session_ehlo(&v->a.s, name, &v->caps, &e)) != SW_OK)
			return io_failed(v, rc, &e, VSTAGE_EHLO,
			    STEP_CONNECTION, "the reply to EHLO");
		if (v->a.s.reply.code == 250)
			return GO;
		if (after_tls) {
			reply_line(&v->a.s.reply, line, sizeof(line));
			return stop(v, VERIFY_FAILED, VSTAGE_EHLO,
			    STEP_CONNECTION, "javax.mail.MessagingException",
			    "After STARTTLS the server refused EHLO: \"%s\".",
			    line);
		}
	}
	snprintf(cmd, sizeof(cmd), "HELO %s", name);
	if ((rc = session_command(&v->a.s, cmd, &e)) != SW_OK)
		return io_failed(v, rc, &e, VSTAGE_EHLO, STEP_CONNECTION,
		    "the reply to HELO");
	smtp_caps_unknown(&v->caps);
	if (v->a.s.reply.code == 250)
		return GO;
	reply_line(&v->a.s.reply, line, sizeof(line));
	snprintf(exc, sizeof(exc), "javax.mail.MessagingException: %s", line);
	return stop(v, VERIFY_FAILED, VSTAGE_EHLO, STEP_CONNECTION, exc,
	    "The server refused both EHLO and HELO %s (%s).", name, src);
}

static int
starttls(struct vrun *v, struct sw_error *err)
{
	struct sw_error e = { 0 };
	char line[300], exc[400];
	enum sw_err rc;
	int go;

	if (!(v->starttls || v->starttls_req) || v->tls_on)
		return GO;
	if (v->caps.starttls != TRI_YES) {
		if (!v->starttls_req)
			return GO;
		return stop(v, VERIFY_FAILED, VSTAGE_STARTTLS, STEP_CONNECTION,
		    "javax.mail.MessagingException: STARTTLS is required but "
		    "host does not support STARTTLS", "The server does not "
		    "offer STARTTLS after EHLO, and the block requires it.");
	}
	if ((rc = session_command(&v->a.s, "STARTTLS", &e)) != SW_OK)
		return io_failed(v, rc, &e, VSTAGE_STARTTLS, STEP_CONNECTION,
		    "the reply to STARTTLS");
	if (v->a.s.reply.code != 220) {
		reply_line(&v->a.s.reply, line, sizeof(line));
		snprintf(exc, sizeof(exc), "javax.mail.MessagingException: %s",
		    line);
		return stop(v, VERIFY_FAILED, VSTAGE_STARTTLS, STEP_CONNECTION,
		    exc, "The server refused STARTTLS: \"%s\".", line);
	}
	if (conn_pending(&v->a.s.c) > 0)
		conn_discard(&v->a.s.c);
	if ((go = handshake(v, "javax.mail.MessagingException: Could not "
	    "convert socket to TLS; nested exception is: ", err)) != GO)
		return go;
	return ehlo(v, 1);
}

/* ---- logging in ---- */

/* The password Java would have: the one given, or the block's. */
static const char *
block_password(const struct vrun *v)
{
	const char *pw = v->env.opt.password;

	if (pw == NULL)
		pw = settings_get(v->env.set, "mail.smtp.password");
	if (pw != NULL && (*pw == '\0' || strcmp(pw, BLOCK_PLACEHOLDER) == 0))
		pw = NULL;
	return pw;
}

/* One AUTH exchange with the mechanism Java picks (step 5's code). */
static int
auth_exchange(struct vrun *v, enum sasl_mech mech, struct sw_error *err)
{
	struct auth_attempt *at = NULL;
	struct sw_error e = { 0 };
	char exc[700];
	enum sw_err rc;

	if ((v->a.r = calloc(1, sizeof(*v->a.r))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory"), ERR;
	v->a.d = &v->a.r->d.auth;
	v->a.env = &v->env;
	snprintf(v->a.host, sizeof(v->a.host), "%s", v->host);
	v->a.port = v->port;
	v->a.mode = v->ssl || v->sf_ssl ? MODE_SSL : v->tls_on ?
	    MODE_STARTTLS : MODE_PLAIN;
	v->a.caps = v->caps;
	auth_scrub_plug(&v->a);
	rc = auth_try(&v->a, mech, 1, &at, &e);
	if (rc == SW_EUSAGE)
		return stop(v, VERIFY_NOT_RUN, VSTAGE_AUTH, STEP_AUTH, NULL,
		    "Java would log in with %s, which smtpwiz cannot do: %s.",
		    sasl_mech_name(mech), sw_error_text(&e));
	if (rc == SW_ENOMEM)
		return sw_fail(err, rc, "out of memory"), ERR;
	if (rc != SW_OK)
		return io_failed(v, rc, &e, VSTAGE_AUTH, STEP_AUTH,
		    "the reply to AUTH");
	snprintf(v->res->mech, sizeof(v->res->mech), "%.23s", at->mech);
	if (at->ok) {
		v->res->plaintext_auth = !v->tls_on;
		return GO;
	}
	snprintf(exc, sizeof(exc), "javax.mail.AuthenticationFailedException:"
	    " %s", at->java_sees[0] ? at->java_sees : at->reply);
	return stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_AUTH, exc, "The "
	    "server refused the login with %s: \"%s\".", at->mech, at->reply);
}

/*
 * SMTPTransport.protocolConnect(): with mail.smtp.auth, or with a user
 * and a password, Java logs in when the server lists AUTH -- and skips
 * the login without a word when it does not.
 */
static int
login(struct vrun *v, struct sw_error *err)
{
	const struct settings *set = v->env.set;
	const char *user = settings_effective(set, "mail.smtp.user");
	const char *pass = block_password(v);
	int use_auth = settings_bool(set, "mail.smtp.auth");
	struct sasl_choice ch;

	if (user != NULL && *user == '\0')
		user = NULL;
	if (!use_auth && (user == NULL || pass == NULL))
		return GO;
	if (user == NULL)
		return stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_AUTH,
		    "javax.mail.AuthenticationFailedException", "mail.smtp."
		    "auth is true but the block names no mail.smtp.user: Java "
		    "gives up before it connects.");
	if (pass == NULL)
		return stop(v, VERIFY_NOT_RUN, VSTAGE_AUTH, STEP_AUTH, NULL,
		    "No password was given for %s, so the login could not be "
		    "checked (give it with --password-file, SMTPWIZ_PASSWORD "
		    "or at the prompt).", user);
	if (v->caps.auth != TRI_YES) {
		if (v->env.opt.rcpt_to != NULL) {
			v->res->mech[0] = '\0';
			return GO;	/* RCPT TO tells whether it relays */
		}
		return stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_AUTH,
		    "(none: Java skips the login without a word)", "The "
		    "server offers no AUTH on this connection%s, so Java does "
		    "not log in as %s; a server that wants a login then "
		    "refuses the mail (\"554 5.7.1 Relay access denied\" or "
		    "similar). Use the port and connection type where the "
		    "server offers AUTH, or give --rcpt-to to check whether it "
		    "relays without a login.", v->tls_on ? "" :
		    " (no TLS)", user);
	}
	if (!v->tls_on && !v->env.opt.allow_plaintext_auth)
		return stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_CONNECTION,
		    "(none: the password would cross the network in clear)",
		    "Java would send the password of %s without TLS. Use "
		    "STARTTLS or implicit TLS; only if this network is trusted, "
		    "allow it explicitly (--allow-plaintext-auth).", user);
	sasl_java_choice(set, v->caps.mechanisms, &ch);
	if (ch.mech == SASL_NONE)
		return stop(v, VERIFY_FAILED, VSTAGE_AUTH, STEP_AUTH,
		    "javax.mail.AuthenticationFailedException: No "
		    "authentication mechanisms supported by both server and "
		    "client", "%s", ch.why);
	v->a.user = user;
	v->a.pass = pass;
	v->a.authzid = settings_get(set, "mail.smtp.sasl.authorizationid");
	return auth_exchange(v, ch.mech, err);
}

/* ---- the envelope ---- */

/* MAIL FROM as Java fills it: --mail-from, mail.smtp.from, the user. */
static void
envelope_from(const struct vrun *v, char *buf, size_t cap)
{
	const char *c[3] = { v->env.opt.mail_from, settings_get(v->env.set,
	    "mail.smtp.from"), settings_effective(v->env.set,
	    "mail.smtp.user") };
	struct sw_error e = { 0 };
	size_t i;

	for (i = 0; i < 3; i++)
		if (c[i] != NULL && strchr(c[i], '@') != NULL &&
		    mail_test_check_address(c[i], &e) == SW_OK) {
			snprintf(buf, cap, "%s", c[i]);
			return;
		}
	snprintf(buf, cap, "postmaster@localhost");
}

/* The step a refusal of the envelope belongs to. */
static enum step
envelope_step(const struct smtp_reply *rp)
{
	char text[600];

	reply_line(rp, text, sizeof(text));
	return strcasestr(text, "STARTTLS") != NULL ||
	    strcasestr(text, "TLS first") != NULL ? STEP_CONNECTION :
	    STEP_AUTH;
}

static int
envelope(struct vrun *v)
{
	struct sw_error e = { 0 };
	char cmd[300], line[300], exc[500];
	enum sw_err rc;

	envelope_from(v, v->res->from, sizeof(v->res->from));
	snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>", v->res->from);
	if ((rc = session_command(&v->a.s, cmd, &e)) != SW_OK)
		return io_failed(v, rc, &e, VSTAGE_MAIL_FROM, STEP_AUTH,
		    "the reply to MAIL FROM");
	if (v->a.s.reply.code != 250) {
		reply_line(&v->a.s.reply, line, sizeof(line));
		snprintf(exc, sizeof(exc), "%s.smtp.SMTPSendFailedException: "
		    "%s", v->exc_pkg, line);
		return stop(v, VERIFY_FAILED, VSTAGE_MAIL_FROM,
		    envelope_step(&v->a.s.reply), exc, "The server refused "
		    "MAIL FROM:<%s>: \"%s\".", v->res->from, line);
	}
	if (v->env.opt.rcpt_to == NULL)
		return GO;
	snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>", v->env.opt.rcpt_to);
	if ((rc = session_command(&v->a.s, cmd, &e)) != SW_OK)
		return io_failed(v, rc, &e, VSTAGE_RCPT_TO, STEP_AUTH,
		    "the reply to RCPT TO");
	if (v->a.s.reply.code != 250 && v->a.s.reply.code != 251) {
		reply_line(&v->a.s.reply, line, sizeof(line));
		snprintf(exc, sizeof(exc), "javax.mail.SendFailedException: "
		    "Invalid Addresses; nested exception is: %s.smtp."
		    "SMTPAddressFailedException: %s", v->exc_pkg, line);
		return stop(v, VERIFY_FAILED, VSTAGE_RCPT_TO,
		    envelope_step(&v->a.s.reply), exc, "The server refused "
		    "RCPT TO:<%s>: \"%s\".", v->env.opt.rcpt_to, line);
	}
	v->res->rcpt_checked = 1;
	session_command(&v->a.s, "RSET", &e);
	return GO;
}

/* ---- the session ---- */

/* Implicit TLS: connect, then the handshake before anything else. */
static int
open_tls(struct vrun *v, unsigned port, struct sw_error *err)
{
	char wrap[400];
	int go;

	if ((go = connect_to(v, port)) != GO)
		return go;
	snprintf(wrap, sizeof(wrap), "javax.mail.MessagingException: Could "
	    "not connect to SMTP host: %s, port: %u; nested exception is: ",
	    v->host, port);
	return handshake(v, wrap, err);
}

static void
close_session(struct vrun *v)
{
	if (v->open)
		session_close(&v->a.s);
	v->open = v->tls_on = 0;
	tls_info_free(&v->ti);
	free(v->a.r);
	v->a.r = NULL;
	v->a.d = NULL;
}

/*
 * SocketFetcher.getSocket(): ssl.enable makes the socket TLS; a socket
 * factory class that makes TLS sockets does too, and when it fails for
 * any reason but a read time-out, socketFactory.fallback (true unless
 * set false) quietly connects again without TLS.
 */
static int
open_session(struct vrun *v, struct sw_error *err)
{
	int go;

	if (v->ssl)
		return open_tls(v, v->port, err);
	if (!v->sf_ssl)
		return connect_to(v, v->port);
	go = open_tls(v, v->sf_port, err);
	if (go != STOP || !v->sf_fallback ||
	    v->res->result == VERIFY_NOT_RUN ||
	    strstr(v->res->java_exception, "SocketTimeoutException") != NULL)
		return go;
	close_session(v);
	v->sf_ssl = 0;
	v->fell_back = 1;
	v->res->result = VERIFY_NOT_RUN;
	return connect_to(v, v->port);
}

static int
attempt(struct vrun *v, struct sw_error *err)
{
	int go;

	if ((go = open_session(v, err)) != GO || (go = greeting(v)) != GO ||
	    (go = ehlo(v, 0)) != GO || (go = starttls(v, err)) != GO ||
	    (go = login(v, err)) != GO)
		return go;
	return envelope(v);
}

enum sw_err
verify_run(const struct probe_env *env, const struct settings *final,
    struct verify_result *res, struct sw_error *err)
{
	struct vrun v;
	int64_t start = net_now_ms();
	int go;

	memset(&v, 0, sizeof(v));
	memset(res, 0, sizeof(*res));
	v.res = res;
	res->when = time(NULL);
	snprintf(res->mail_lib, sizeof(res->mail_lib), "%s",
	    final->lib == MAIL_LIB_ANGUS2 ? "jakarta-mail-2" :
	    "javamail-1.6.2");
	go = read_block(&v, env, final);
	if (go == GO)
		go = load_java(&v, err);
	if (go == GO) {
		probe_progress(env, "verifying the settings block as Java %s "
		    "with %s would run it", res->java,
		    settings_lib_name(final->lib));
		go = attempt(&v, err);
	}
	if (go == STOP && v.version_cap && res->stage == VSTAGE_HANDSHAKE &&
	    res->result == VERIFY_FAILED) {
		/* mbedTLS 3.6 refuses an RSA-PSS signature on TLS 1.2 that
		 * it offered itself (see tls.c); Java would not fail there. */
		close_session(&v);
		go = attempt(&v, err);
	}
	if (go == GO) {
		res->result = VERIFY_VERIFIED;
		res->stage = VSTAGE_DONE;
		res->step = 0;
		res->java_exception[0] = '\0';
		snprintf(res->detail, sizeof(res->detail), "%s", v.fell_back ?
		    "The TLS connection failed and socketFactory.fallback "
		    "let Java connect without TLS." : "");
	}
	close_session(&v);
	javaprof_free(v.jp);
	suites_free(v.reg);
	res->elapsed_ms = net_now_ms() - start;
	if (go == ERR)
		return err->code;
	if (res->result == VERIFY_NOT_RUN && strcmp(res->detail,
	    "cancelled") == 0)
		return sw_fail(err, SW_ECANCEL, "cancelled");
	return SW_OK;
}
