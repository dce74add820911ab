/*
 * Step 2: certificates and trust.  Fetches the server's chain over the
 * connection type step 1 found (STARTTLS after a fresh EHLO, or
 * implicit TLS; always with SNI), then judges it the way the user's Java
 * would: the path PKIX would build to the chosen trust store
 * (x509.c, truststore.c), validity, the host-name check of
 * mail.smtp.ssl.checkserveridentity (hostname.c), and the selected
 * profile's certpath limits (certpath.c).  Every problem is reported,
 * not only the first, each as a finding with the fix: the PEM files to
 * import, the exact keytool command, and -- only as a last resort, with
 * a plain warning -- mail.smtp.ssl.trust.
 *
 * When the linked mbedTLS cannot complete a handshake at any version
 * the server accepts (a TLSv1.3-only server and 2.28, a TLSv1.0 server
 * and 3.6), raw ClientHellos (hello.c) find the versions the server
 * wants, and for TLS <= 1.2 read the chain from its Certificate message.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certpath.h"
#include "hello.h"
#include "hostname.h"
#include "javaprof.h"
#include "javasec.h"
#include "json.h"
#include "probe.h"
#include "props.h"
#include "sanitize.h"
#include "session.h"
#include "tls.h"
#include "truststore.h"
#include "x509.h"

#define SOON_DAYS	30		/* "expiring-soon" below this */
#define RAW_WAIT_MS	10000		/* per raw hello */

static const char *const problem_names[CERT_PROBLEM_COUNT] = {
	"expired", "not-yet-valid", "expiring-soon", "self-signed",
	"untrusted", "incomplete-chain", "hostname-mismatch", "weak-key",
	"weak-signature", "java-certpath",
};

const char *
cert_problem_name(unsigned i)
{
	return i < CERT_PROBLEM_COUNT ? problem_names[i] : "?";
}

/* The chain as sent, leaf first; owned copies. */
struct chain {
	size_t		 n;
	unsigned char	*der[X509_CHAIN_MAX];
	size_t		 len[X509_CHAIN_MAX];
};

struct ctx {
	const struct probe_env		*env;
	struct step_result		*r;
	struct cert_data		*d;
	char				 host[256];
	unsigned			 port;
	enum smtp_mode			 mode;
	struct truststore		 ts;
	struct chain			 ch;
	struct x509_info		*info;		/* ch.n of them */
	struct x509_path		*path;
	const struct certpath_profile	*prof;
	struct suites			*reg;		/* for jp */
	struct javaprof			*jp;		/* NULL: the table */
	struct certpath_issue		 issues[CERTPATH_ISSUES_MAX];
	size_t				 nissues;
	time_t				 now;
	int				 java_checks;	/* not the leaf itself
							   trusted */
	int				 ssl_trust_set;
	int				 ssl_trust_covers;
	int				 ca_idx;	/* sent cert to import */
	int				 store_fails;	/* Java cannot load it */
	int				 cancelled;	/* cancel_fd fired */
};

static void
chain_free(struct chain *ch)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		free(ch->der[i]);
	ch->n = 0;
}

static int
chain_add(struct chain *ch, const unsigned char *der, size_t len)
{
	if (ch->n >= X509_CHAIN_MAX)
		return 0;
	if ((ch->der[ch->n] = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(ch->der[ch->n], der, len);
	ch->len[ch->n++] = len;
	return 0;
}

static void
clean(char *dst, size_t cap, const char *src)
{
	sanitize_str(src, dst, cap, 0);
}

static void put(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* snprintf for texts that may be cut (paths can be long). */
static void
put(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

/* ---- fetching the chain ------------------------------------------------ */

static void
range_text(uint16_t lo, uint16_t hi, char *buf, size_t cap)
{
	if (lo == hi)
		snprintf(buf, cap, "%s", tls_version_name(lo));
	else
		snprintf(buf, cap, "%s to %s", tls_version_name(lo),
		    tls_version_name(hi));
}

/* The handshake the way Java makes it; the chain from tls_info. */
static enum sw_err
fetch_handshake(struct ctx *x, struct tls_info *ti, struct sw_error *e)
{
	struct session s;
	struct tls_params tp;
	struct smtp_caps caps;
	enum sw_err rc;

	memset(&tp, 0, sizeof(tp));
	tp.sni = x->host;
	probe_progress(x->env, "step 2: %s handshake with %s port %u",
	    x->mode == MODE_SSL ? "TLS" : "STARTTLS", x->host, x->port);
	if ((rc = session_open(&s, x->env, x->host, x->port, e)) != SW_OK)
		return rc;
	rc = session_secure(&s, x->mode, &tp, ti, &caps, e);
	session_close(&s);
	return rc;
}

/*
 * One raw ClientHello offering only version; fills rep.  For STARTTLS
 * the SMTP dialogue comes first.  Returns the verdict, HELLO_NEED_MORE
 * when nothing usable came (the connection or the dialogue failed).
 */
/*
 * Java's groups plus the curves a certificate may still be on
 * (secp256k1, brainpool): a TLS 1.2 server with such a certificate
 * answers only a client that lists its curve (RFC 8422 §5.1).
 */
static const uint16_t wide_groups[] = { 0x001d, 0x0017, 0x0018, 0x0019,
	0x0016, 0x001a, 0x001b, 0x001c, 0x0100 };

static enum hello_kind
raw_hello(struct ctx *x, uint16_t version, int wide, struct hello_reply *rep)
{
	struct hello_spec spec;
	struct session s;
	struct smtp_caps caps;
	struct sw_error e = { 0 };
	unsigned char hello[HELLO_BUILD_MAX], *buf = NULL;
	size_t len, got = 0, n, cap = HELLO_HS_MAX + 8192;
	enum hello_kind kind = HELLO_NEED_MORE;
	int64_t deadline;
	char name[256];
	const char *src;

	memset(rep, 0, sizeof(*rep));
	if (session_open(&s, x->env, x->host, x->port, &e) != SW_OK) {
		x->cancelled |= e.code == SW_ECANCEL;
		return HELLO_NEED_MORE;
	}
	if (x->mode == MODE_STARTTLS) {
		session_ehlo_name(x->env->set, name, sizeof(name), &src);
		if (session_reply(&s, &e) != SW_OK || s.reply.code != 220 ||
		    session_ehlo(&s, name, &caps, &e) != SW_OK ||
		    s.reply.code != 250 ||
		    session_command(&s, "STARTTLS", &e) != SW_OK ||
		    s.reply.code != 220)
			goto out;
	}
	hello_spec_default(&spec, version, x->host);
	if (wide) {
		spec.groups = wide_groups;
		spec.ngroups = sizeof(wide_groups) / sizeof(wide_groups[0]);
	}
	if (hello_build(&spec, hello, sizeof(hello), &len, &e) != SW_OK)
		goto out;
	deadline = net_deadline(x->env->read_timeout_ms < RAW_WAIT_MS ?
	    x->env->read_timeout_ms : RAW_WAIT_MS);
	if (net_write(s.c.fd, hello, len, deadline, x->env->cancel_fd,
	    &e) != SW_OK || (buf = malloc(cap)) == NULL)
		goto out;
	while (got < cap && net_read(s.c.fd, buf + got, cap - got, &n,
	    deadline, x->env->cancel_fd, &e) == SW_OK) {
		got += n;
		kind = hello_parse(buf, got, rep);
		if (kind == HELLO_NEED_MORE)
			continue;
		if (kind != HELLO_SERVER_HELLO || rep->version >= HELLO_TLS13 ||
		    rep->cert_complete || rep->cert_absent ||
		    rep->alert_level != 0)
			break;
	}
	if (got > 0 && kind == HELLO_NEED_MORE)
		kind = hello_parse(buf, got, rep);
out:
	x->cancelled |= e.code == SW_ECANCEL;
	free(buf);
	s.dead = 1;		/* no QUIT inside a TLS handshake */
	session_close(&s);
	return kind;
}

static int
accepted(enum hello_kind kind, const struct hello_reply *rep, uint16_t v)
{
	return (kind == HELLO_SERVER_HELLO && rep->version == v) ||
	    (kind == HELLO_RETRY && v == HELLO_TLS13);
}

/*
 * The handshake failed: which versions does the server accept, and can
 * the chain be read without a full handshake?
 */
static void
fetch_raw(struct ctx *x, const struct tls_info *ti, const struct sw_error *he)
{
	static const uint16_t versions[] = { HELLO_TLS13, HELLO_TLS12,
		HELLO_TLS11, HELLO_TLS10, HELLO_SSL3 };
	struct cert_data *d = x->d;
	struct hello_reply *rep;
	enum hello_kind kind;
	uint16_t lo, hi, best = 0;
	size_t i, o = 0, k;
	int common = 0, any = 0;
	char build[40];

	tls_library_range(&lo, &hi);
	range_text(lo, hi, build, sizeof(build));
	snprintf(d->build_versions, sizeof(d->build_versions), "%s", build);
	if ((rep = malloc(sizeof(*rep))) == NULL)
		return;
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]) &&
	    !x->cancelled; i++) {
		if (versions[i] == HELLO_SSL3 && any)
			break;
		probe_progress(x->env, "step 2: does the server accept %s?",
		    tls_version_name(versions[i]));
		kind = raw_hello(x, versions[i], 0, rep);
		if (!accepted(kind, rep, versions[i]) &&
		    versions[i] <= HELLO_TLS12 && versions[i] >= HELLO_TLS10)
			kind = raw_hello(x, versions[i], 1, rep);
		if (!accepted(kind, rep, versions[i]))
			continue;
		any = 1;
		o += (size_t)snprintf(d->server_versions + o,
		    sizeof(d->server_versions) - o, "%s%s", o ? ", " : "",
		    tls_version_name(versions[i]));
		if (o >= sizeof(d->server_versions))
			o = sizeof(d->server_versions) - 1;
		if (versions[i] >= lo && versions[i] <= hi)
			common = 1;
		if (best == 0 && versions[i] <= HELLO_TLS12 &&
		    kind == HELLO_SERVER_HELLO && rep->ncerts > 0) {
			best = versions[i];
			for (k = 0; k < rep->ncerts; k++) {
				size_t clen;
				const unsigned char *c = hello_cert(rep, k,
				    &clen);

				if (c != NULL && chain_add(&x->ch, c,
				    clen) < 0)
					break;
			}
		}
	}
	free(rep);
	if (x->cancelled)
		return;
	if (best != 0)
		snprintf(d->source, sizeof(d->source), "raw %s hello "
		    "(Certificate message)", tls_version_name(best));
	if (!any) {
		result_add(x->r, "tls-failed", SEV_WARN, "The TLS handshake "
		    "failed (%s) and the server answered no ClientHello, so "
		    "its certificates cannot be read. Steps 3 and 4 look at "
		    "versions and cipher suites.", sw_error_text(he));
		return;
	}
	if (!common) {
		result_add(x->r, "tls-version-unsupported-by-build", SEV_WARN,
		    "The server accepts %s only; this build of smtpwiz (%s) "
		    "can complete TLS handshakes with %s, so it cannot %s. "
		    "This is a limit of smtpwiz, not a verdict on the server: "
		    "%s", d->server_versions, tls_library_version(), build,
		    best ? "verify the handshake itself; the chain below was "
		    "read from the server's Certificate message" : "read the "
		    "certificates (TLS 1.3 encrypts them)",
		    best ? "step 3 says whether Java accepts that version." :
		    "Java 11+ and 8u261+ speak TLSv1.3; an smtpwiz linked "
		    "with mbedTLS 3.6 can check these certificates.");
		return;
	}
	result_add(x->r, "tls-handshake-failed", SEV_WARN, "The TLS handshake "
	    "failed although the server accepts %s and this build can do %s: "
	    "%s.%s Steps 3 and 4 look at versions and cipher suites.",
	    d->server_versions, build, sw_error_text(he), best ? " The chain "
	    "below was read from the server's Certificate message." : "");
	(void)ti;
}

/* ---- reading the chain into the report ---------------------------------- */

static void
fill_entry(struct ctx *x, size_t i)
{
	const struct x509_info *c = &x->info[i];
	struct cert_entry *e = &x->d->chain[i];
	char tmp[300];
	size_t k;

	e->path_pos = -1;
	x509_fingerprint_text(c->sha256, e->sha256);
	clean(e->key, sizeof(e->key), c->key_text[0] ? c->key_text :
	    "unknown");
	clean(e->signature, sizeof(e->signature), c->signature[0] ?
	    c->signature : "unknown");
	if (!e->parsed) {
		snprintf(e->subject, sizeof(e->subject), "(unreadable)");
		return;
	}
	clean(e->subject, sizeof(e->subject), c->subject);
	clean(e->issuer, sizeof(e->issuer), c->issuer);
	for (k = 0; k < c->ndns; k++) {
		if (e->nsan >= CERT_SAN_MAX) {
			e->san_more++;
			continue;
		}
		snprintf(tmp, sizeof(tmp), "DNS:%s", c->dns[k]);
		clean(e->san[e->nsan++], sizeof(e->san[0]), tmp);
	}
	for (k = 0; k < c->nips; k++) {
		char ip[64] = "?";

		if (e->nsan >= CERT_SAN_MAX) {
			e->san_more++;
			continue;
		}
		inet_ntop(c->ips[k].len == 4 ? AF_INET : AF_INET6,
		    c->ips[k].addr, ip, sizeof(ip));
		snprintf(e->san[e->nsan++], sizeof(e->san[0]), "IP:%s", ip);
	}
	e->san_more += c->dns_dropped + c->ips_dropped;
	x509_time_text(c->not_before, e->not_before);
	x509_time_text(c->not_after, e->not_after);
	e->days_left = (long)((c->not_after - x->now) / 86400);
	if (c->not_after < x->now && (x->now - c->not_after) % 86400)
		e->days_left--;
	e->ca = c->is_ca;
	e->self_signed = c->self_signed;
}

static void
fill_chain(struct ctx *x)
{
	struct cert_data *d = x->d;
	const struct x509_path *p = x->path;
	size_t i;

	d->nchain = x->ch.n < CERT_CHAIN_MAX ? x->ch.n : CERT_CHAIN_MAX;
	for (i = 0; i < d->nchain; i++) {
		d->chain[i].parsed = p->parsed[i];
		fill_entry(x, i);
	}
	for (i = 0; i < p->len; i++) {
		struct cert_entry *e = &d->chain[p->idx[i]];

		e->path_pos = (int)i;
		snprintf(e->role, sizeof(e->role), "%s", i == 0 ? "leaf" :
		    x->info[p->idx[i]].self_signed ? "root" : "intermediate");
	}
	for (i = 0; i < d->nchain; i++) {
		struct cert_entry *e = &d->chain[i];

		if (e->role[0] != '\0')
			continue;
		if (p->trusted && memcmp(x->info[i].sha256,
		    p->anchor.sha256, 32) == 0)
			snprintf(e->role, sizeof(e->role), "root");
		else
			snprintf(e->role, sizeof(e->role), "unrelated");
	}
	d->ordered = p->ordered;
	d->trusted = p->trusted ? TRI_YES : TRI_NO;
	if (p->trusted) {
		clean(d->anchor, sizeof(d->anchor), p->anchor.subject);
		clean(d->anchor_alias, sizeof(d->anchor_alias),
		    p->anchor_label);
	} else if (p->missing_issuer[0] != '\0')
		clean(d->missing_issuer, sizeof(d->missing_issuer),
		    p->missing_issuer);
}

/* ---- the trust store ------------------------------------------------------ */

static void
report_store(struct ctx *x)
{
	const struct truststore *ts = &x->ts;
	struct cert_data *d = x->d;
	const struct truststore_source *s;
	size_t i;

	if (ts->nsrc == 0) {
		snprintf(d->store_kind, sizeof(d->store_kind), "none");
		result_add(x->r, "truststore-missing", SEV_WARN, "No trust "
		    "store: none of the system bundles (Debian/Ubuntu, "
		    "RHEL/Fedora, Alpine, SUSE) exists here. Give the trust "
		    "store Java uses with --truststore FILE (usually %s) or a "
		    "PEM file with --cafile.", ts->java_cacerts[0] ?
		    ts->java_cacerts : "$JAVA_HOME/lib/security/cacerts");
		return;
	}
	s = &ts->src[0];
	snprintf(d->store_kind, sizeof(d->store_kind), "%s",
	    truststore_kind_name(s->kind));
	clean(d->store_path, sizeof(d->store_path), s->path);
	snprintf(d->store_what, sizeof(d->store_what), "%s", s->what);
	d->store_certs = x509_anchors_count(ts->anchors);
	if (s->kind == TS_KEYSTORE)
		snprintf(d->store_integrity, sizeof(d->store_integrity), "%s",
		    keystore_integrity_name(s->ks.integrity));
	if (ts->java_cacerts[0] != '\0') {
		clean(d->java_cacerts, sizeof(d->java_cacerts),
		    ts->java_cacerts);
		snprintf(d->java_source, sizeof(d->java_source), "%s",
		    ts->java_source);
	}
	for (i = 0; i < ts->nsrc; i++) {
		s = &ts->src[i];
		if (s->error[0] == '\0')
			continue;
		if (i == 0)
			clean(d->store_error, sizeof(d->store_error),
			    s->error);
		if (s->kind == TS_KEYSTORE && s->ks.integrity ==
		    KS_INTEGRITY_BAD && !ts->password_given) {
			result_add(x->r, "truststore-password", SEV_WARN, "The "
			    "integrity check of %s failed with the default "
			    "password \"changeit\" (%s). Java loads a JKS "
			    "trust store unchecked when "
			    "javax.net.ssl.trustStorePassword is not set, but "
			    "fails with \"Keystore was tampered with, or "
			    "password was incorrect\" when it is set to a "
			    "wrong one: give the password with --storepass.",
			    d->store_path, s->ks.format);
			continue;
		}
		if (s->kind == TS_KEYSTORE) {
			x->store_fails = 1;
			result_add(x->r, s->ks.integrity == KS_INTEGRITY_BAD ?
			    "truststore-password" : "truststore-unreadable",
			    SEV_FAIL, "Java cannot use %s as its trust store: "
			    "%s.%s", s->path, s->error, s->ks.integrity ==
			    KS_INTEGRITY_BAD ? " Check the password "
			    "(javax.net.ssl.trustStorePassword, --storepass)."
			    : "");
		} else
			result_add(x->r, "truststore-unreadable", s->loaded &&
			    s->ncerts > 0 ? SEV_WARN : SEV_FAIL, "%s.",
			    s->error);
	}
	for (i = 0; i < ts->nsrc; i++)
		if (ts->src[i].ks.nignored > 0)
			result_add(x->r, "truststore-ignored-certs", SEV_WARN,
			    "%zu certificate(s) in %s lack Java's "
			    "trusted-certificate attribute, so Java ignores "
			    "them (typical of `openssl pkcs12 -export` without "
			    "-jdktrust): import them with keytool "
			    "-importcert instead.", ts->src[i].ks.nignored,
			    ts->src[i].path);
}

/* One line telling where Java's trust comes from. */
static void
report_java_store(struct ctx *x)
{
	const struct truststore *ts = &x->ts;
	const struct cert_data *d = x->d;
	char where[700];

	if (ts->java_cacerts[0] == '\0')
		snprintf(where, sizeof(where), "No Java runtime was found here "
		    "(JAVA_HOME is not set and there is no java on PATH); Java "
		    "reads $JAVA_HOME/lib/security/cacerts (Java 8: "
		    "jre/lib/security/cacerts).");
	else if (strcmp(ts->java_cacerts, ts->java_cacerts_real) != 0)
		put(where, sizeof(where), "The Java runtime found here "
		    "(%s: %s) reads %s (a link to %s).", ts->java_source,
		    ts->java_home, ts->java_cacerts, ts->java_cacerts_real);
	else
		put(where, sizeof(where), "The Java runtime found here "
		    "(%s: %s) reads %s.", ts->java_source, ts->java_home,
		    ts->java_cacerts);
	if (ts->java_cacerts_used)
		result_add(x->r, "truststore", SEV_INFO, "Trust store: %s, "
		    "the Java runtime's own (%zu certificate%s). %s",
		    d->store_path, d->store_certs, d->store_certs == 1 ? "" :
		    "s", where);
	else
		result_add(x->r, "truststore", SEV_INFO, "Trust store: %s %s "
		    "(%zu certificate%s). Java does not read the system bundle "
		    "or PEM files: by default it trusts only its own cacerts "
		    "keystore, unless -Djavax.net.ssl.trustStore names "
		    "another. %s Run with --truststore FILE to check against "
		    "the file Java really uses.", d->store_what,
		    d->store_path, d->store_certs, d->store_certs == 1 ? "" :
		    "s", where);
}

/* ---- judging ------------------------------------------------------------ */

static int
problem(struct ctx *x, unsigned bit)
{
	return (x->d->problems & bit) != 0;
}

/* The path certificates Java checks (not the anchor itself). */
static size_t
checked(const struct ctx *x, const struct x509_info **out)
{
	const struct x509_path *p = x->path;
	size_t i, n = p->len;

	if (p->trusted && p->anchor_sent)
		n--;
	for (i = 0; i < n; i++)
		out[i] = &x->info[p->idx[i]];
	return n;
}

static void
judge_dates(struct ctx *x)
{
	const struct x509_info *c[X509_CHAIN_MAX];
	size_t n = checked(x, c), i;
	int sev;

	for (i = 0; i < n; i++) {
		const char *which = i == 0 ? "The server certificate" :
		    "An intermediate certificate";
		char subj[256], when[24];
		long days;

		clean(subj, sizeof(subj), c[i]->subject);
		sev = x->java_checks && !x->ssl_trust_covers ? SEV_FAIL :
		    SEV_WARN;
		if (c[i]->not_after < x->now) {
			x->d->problems |= CERT_P_EXPIRED;
			x509_time_text(c[i]->not_after, when);
			days = (long)((x->now - c[i]->not_after) / 86400);
			result_add(x->r, "cert-expired", sev, "%s (%s) expired "
			    "on %s, %ld days ago. Java fails with \"PKIX path "
			    "validation failed: ... validity check failed\" "
			    "(CertificateExpiredException). The server needs "
			    "a renewed certificate; check the clock of this "
			    "host too.", which, subj, when, days);
		} else if (c[i]->not_before > x->now) {
			x->d->problems |= CERT_P_NOT_YET_VALID;
			x509_time_text(c[i]->not_before, when);
			result_add(x->r, "cert-not-yet-valid", sev, "%s (%s) is "
			    "valid only from %s. Java fails with \"validity "
			    "check failed\" (CertificateNotYetValidException). "
			    "Check the clocks of this host and of the server.",
			    which, subj, when);
		} else if (c[i]->not_after - x->now < SOON_DAYS * 86400L) {
			x->d->problems |= CERT_P_EXPIRING_SOON;
			x509_time_text(c[i]->not_after, when);
			days = (long)((c[i]->not_after - x->now) / 86400);
			result_add(x->r, "cert-expiring-soon", SEV_WARN, "%s "
			    "(%s) expires on %s, in %ld days: mail will stop "
			    "then unless it is renewed.", which, subj, when,
			    days);
		}
	}
}

static void
judge_certpath(struct ctx *x)
{
	const struct x509_info *c[X509_CHAIN_MAX];
	const struct x509_path *p = x->path;
	const struct x509_info *anchor = NULL;
	size_t n = checked(x, c), i;
	int jdk = -1;

	if (p->trusted) {
		anchor = &p->anchor;
		jdk = p->anchor_jdk ? 1 : truststore_is_jdk_ca(&x->ts,
		    p->anchor.sha256);
	}
	if (!x->java_checks)
		return;
	x->nissues = certpath_check(x->prof, x->jp, c, n, anchor, jdk,
	    x->issues, CERTPATH_ISSUES_MAX);
	for (i = 0; i < x->nissues; i++) {
		const struct certpath_issue *is = &x->issues[i];

		if (is->kind == CERTPATH_KEY)
			x->d->problems |= CERT_P_WEAK_KEY;
		else
			x->d->problems |= CERT_P_WEAK_SIG;
		if (is->fatal)
			x->d->problems |= CERT_P_JAVA_CERTPATH;
		result_add(x->r, is->fatal ? "java-certpath" :
		    is->kind == CERTPATH_KEY ? "weak-key" : "weak-signature",
		    is->fatal ? SEV_FAIL : SEV_WARN, "%s%s", is->text,
		    is->fatal ? " Java fails with \"Algorithm constraints "
		    "check failed\" even when the chain is trusted, also with "
		    "mail.smtp.ssl.trust. The server needs a new "
		    "certificate." : "");
	}
	/* What Java's end-entity and path checks add. */
	if (n > 1 && !x->info[0].server_auth_ok) {
		x->d->problems |= CERT_P_JAVA_CERTPATH;
		result_add(x->r, "leaf-not-server-auth", SEV_FAIL, "The server "
		    "certificate's extended key usage does not include "
		    "serverAuth: Java fails with \"Extended key usage does not "
		    "permit use for TLS server authentication\".");
	}
	if (p->not_ca >= 0) {
		x->d->problems |= CERT_P_JAVA_CERTPATH;
		result_add(x->r, "not-a-ca", SEV_FAIL, "Certificate %d of the "
		    "path signs another certificate but is not a CA "
		    "(basicConstraints): Java fails with \"basic constraints "
		    "check failed: this is not a CA certificate\".",
		    p->not_ca);
	}
}

static void
judge_hostname(struct ctx *x)
{
	const struct x509_info *leaf = &x->info[0];
	const char *dns[X509_DNS_MAX], *matched = NULL;
	struct cert_data *d = x->d;
	struct host_ids ids;
	enum host_match m;
	char why[256], first[128] = "";
	size_t i;

	for (i = 0; i < leaf->ndns; i++) {
		dns[i] = leaf->dns[i];
		if (first[0] == '\0' && strchr(leaf->dns[i], '*') == NULL)
			clean(first, sizeof(first), leaf->dns[i]);
	}
	ids.dns = dns;
	ids.ndns = leaf->ndns;
	ids.ips = leaf->ips;
	ids.nips = leaf->nips;
	ids.cn = leaf->cn[0] ? leaf->cn : NULL;
	m = hostname_check(x->host, &ids, &matched, why, sizeof(why));
	clean(d->hostname_why, sizeof(d->hostname_why), why);
	d->hostname_match = m == HOST_MATCH ? TRI_YES : TRI_NO;
	if (m == HOST_MATCH) {
		if (!d->checks_identity) {
			struct finding *f = result_add(x->r,
			    "checkserveridentity-off", SEV_INFO, "The "
			    "certificate matches %s, but %s does not check "
			    "that by default (mail.smtp.ssl.checkserveridentity"
			    "=false): turn the check on, so that a "
			    "certificate for another name is refused.",
			    x->host, d->mail_lib);

			finding_suggest(f, "mail.smtp.ssl.checkserveridentity",
			    "true");
		}
		return;
	}
	d->problems |= CERT_P_HOSTNAME;
	{
		const struct settings *set = x->env->set;
		int explicit = settings_get(set,
		    "mail.smtp.ssl.checkserveridentity") != NULL;
		int angus = set->lib == MAIL_LIB_ANGUS2;
		char java_says[160];
		struct finding *f;

		if (angus)
			put(java_says, sizeof(java_says), "\"%s\"", why);
		else
			put(java_says, sizeof(java_says), "\"Can't verify "
			    "identity of server: %s\"", x->host);
		if (d->checks_identity)
			f = result_add(x->r, "hostname-mismatch", SEV_FAIL,
			    "%s %s checks the server's identity (mail.smtp.ssl."
			    "checkserveridentity=true, %s) and refuses this "
			    "server: %s.", d->hostname_why, d->mail_lib,
			    explicit ? "as set" : "its default", java_says);
		else
			f = result_add(x->r, "hostname-mismatch", SEV_WARN,
			    "%s %s accepts it now only because mail.smtp.ssl."
			    "checkserveridentity is false (%s; Angus Mail checks "
			    "by default), which lets anyone with any trusted "
			    "certificate pose as this server. With the check on, "
			    "Java fails with %s.", d->hostname_why, d->mail_lib,
			    explicit ? "as set" : "JavaMail 1.6.2's default",
			    java_says);
		if (m == HOST_MISMATCH && first[0] != '\0')
			finding_suggest(f, "mail.smtp.host", first);
		finding_suggest(f, "mail.smtp.ssl.checkserveridentity",
		    "true");
		if (f != NULL && first[0] != '\0' && m == HOST_MISMATCH)
			snprintf(f->message + strlen(f->message),
			    sizeof(f->message) - strlen(f->message), " Connect "
			    "with a name the certificate lists (%s) if it "
			    "reaches this server, or have the server's "
			    "certificate include %s.", first, x->host);
	}
}

/* mail.smtp.ssl.trust as JavaMail applies it (exact host strings). */
static void
read_ssl_trust(struct ctx *x)
{
	const char *v = settings_get(x->env->set, "mail.smtp.ssl.trust");
	char buf[512], *tok, *save;

	if (v == NULL || *v == '\0')
		return;
	x->ssl_trust_set = 1;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " \t\r\n\f", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n\f", &save))
		if (strcmp(tok, "*") == 0 || strcmp(tok, x->host) == 0)
			x->ssl_trust_covers = 1;
}

/* ---- fixes ----------------------------------------------------------------- */

/* 'text' for a shell, quoted only when it needs it. */
static void
shell_word(char *out, size_t cap, const char *text)
{
	size_t o = 0;
	const char *p;

	if (text[strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789-_./:=+@")] == '\0' && *text != '\0') {
		snprintf(out, cap, "%s", text);
		return;
	}
	out[o++] = '\'';
	for (p = text; *p != '\0' && o + 6 < cap; p++) {
		if (*p == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else
			out[o++] = *p;
	}
	out[o++] = '\'';
	out[o] = '\0';
}

/* A keytool alias from the CA's CN: "smtpwiz-test-root-ca". */
static void
alias_for(const struct x509_info *c, char *out, size_t cap)
{
	const char *s = c->cn[0] ? c->cn : "smtp-server-ca";
	size_t o = 0;
	int dash = 0;

	for (; *s != '\0' && o + 2 < cap && o < 48; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch)) {
			out[o++] = (char)tolower(ch);
			dash = 0;
		} else if (!dash && o > 0) {
			out[o++] = '-';
			dash = 1;
		}
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	if (o == 0)
		o = (size_t)snprintf(out, cap, "smtp-server-ca");
	out[o] = '\0';
}

/* The CA a trust store lacks, among the sent certificates; -1: none. */
static int
ca_to_import(const struct ctx *x)
{
	const struct x509_path *p = x->path;
	int top = p->idx[p->len - 1];

	if (p->trusted)
		return -1;
	if (p->top_self_signed)
		return top;		/* the root, or the self-signed leaf */
	if (p->len > 1)
		return top;		/* an intermediate: Java takes it */
	return -1;
}

/* FILE.pem -> FILE-ca.pem; FILE -> FILE-ca.pem. */
static void
ca_path(const char *chain, char *out, size_t cap)
{
	size_t n = strlen(chain);

	if (n > 4 && strcmp(chain + n - 4, ".pem") == 0)
		snprintf(out, cap, "%.*s-ca.pem", (int)(n - 4), chain);
	else
		snprintf(out, cap, "%s-ca.pem", chain);
}

static enum sw_err
write_pem(const char *path, const unsigned char *const *der,
    const size_t *len, size_t n, struct sw_error *e)
{
	char *pem;
	size_t plen;
	enum sw_err rc;

	if ((rc = x509_pem(der, len, n, &pem, &plen, e)) != SW_OK)
		return rc;
	/* Certificates are public: 0644, but still never half-written. */
	rc = props_write_file(path, pem, plen, 0644, e);
	free(pem);
	return rc;
}

static void
save_files(struct ctx *x)
{
	const char *path = x->env->opt.save_chain;
	struct cert_data *d = x->d;
	struct sw_error e = { 0 };
	char ca[600];

	if (path == NULL || *path == '\0')
		return;
	if (write_pem(path, (const unsigned char *const *)x->ch.der,
	    x->ch.len, x->ch.n, &e) != SW_OK) {
		result_add(x->r, "save-chain-failed", SEV_WARN, "The chain "
		    "could not be saved: %s.", sw_error_text(&e));
		return;
	}
	snprintf(d->saved_chain, sizeof(d->saved_chain), "%s", path);
	if (x->ca_idx < 0)
		return;
	ca_path(path, ca, sizeof(ca));
	{
		const unsigned char *der = x->ch.der[x->ca_idx];
		size_t len = x->ch.len[x->ca_idx];

		if (write_pem(ca, &der, &len, 1, &e) != SW_OK) {
			result_add(x->r, "save-chain-failed", SEV_WARN, "The CA "
			    "certificate could not be saved: %s.",
			    sw_error_text(&e));
			return;
		}
	}
	put(d->saved_ca, sizeof(d->saved_ca), "%s", ca);
}

/*
 * The exact import command for the trust store Java uses: the
 * --truststore keystore, else the runtime's cacerts.
 */
static void
make_keytool(struct ctx *x, const struct x509_info *ca, const char *file)
{
	const struct truststore *ts = &x->ts;
	char alias[64], qfile[600], qstore[600], pass[64];
	const char *store = NULL;

	alias_for(ca, alias, sizeof(alias));
	if (ts->nsrc > 0 && ts->src[0].kind == TS_KEYSTORE)
		store = ts->src[0].path;
	else if (ts->java_cacerts[0] != '\0')
		store = ts->java_cacerts;
	shell_word(qfile, sizeof(qfile), file);
	if (store != NULL)
		shell_word(qstore, sizeof(qstore), store);
	else
		snprintf(qstore, sizeof(qstore),
		    "\"$JAVA_HOME/lib/security/cacerts\"");
	/* Never the user's password in a report: an environment variable. */
	if (ts->password_given && !(store == ts->src[0].path &&
	    x->env->opt.storepass != NULL &&
	    strcmp(x->env->opt.storepass, KEYSTORE_DEFAULT_PASSWORD) == 0))
		snprintf(pass, sizeof(pass), "-storepass:env STOREPASS");
	else
		snprintf(pass, sizeof(pass), "-storepass %s",
		    KEYSTORE_DEFAULT_PASSWORD);
	put(x->d->keytool, sizeof(x->d->keytool), "keytool -importcert "
	    "-noprompt -alias %s -file %s -keystore %s %s", alias, qfile,
	    qstore, pass);
}

static void
suggest_import(struct ctx *x, struct finding *f)
{
	struct cert_data *d = x->d;
	char file[600], subj[256];
	const struct x509_info *ca;

	if (x->ca_idx < 0 || f == NULL)
		return;
	ca = &x->info[x->ca_idx];
	clean(subj, sizeof(subj), ca->subject);
	if (d->saved_ca[0] != '\0')
		snprintf(file, sizeof(file), "%s", d->saved_ca);
	else
		snprintf(file, sizeof(file), "%s-ca.pem", x->host);
	make_keytool(x, ca, file);
	snprintf(f->message + strlen(f->message), sizeof(f->message) -
	    strlen(f->message), " Fix: import %s%s into the trust store Java "
	    "uses: %s%s", x->ca_idx == 0 ? "the server's own certificate "
	    "(it is its own CA; this trusts exactly this certificate) " :
	    "the CA ", subj, d->keytool, d->saved_ca[0] ? "" : " (run "
	    "again with --save-chain FILE to get the CA as FILE-ca.pem).");
}

static void
last_resort(struct ctx *x)
{
	struct finding *f;

	if (x->ssl_trust_set)
		return;
	f = result_add(x->r, "ssl-trust-last-resort", SEV_INFO, "Only if "
	    "the CA cannot be imported: mail.smtp.ssl.trust=%s makes Java "
	    "skip certificate validation for this host entirely. Anyone who "
	    "can intercept the connection (a hostile network, a spoofed DNS "
	    "answer) can then pose as the server and read the mail and the "
	    "SMTP password. Keep mail.smtp.ssl.checkserveridentity=true.",
	    x->host);
	if (f != NULL)
		f->optin = 1;	/* never applied without the user's choice */
	finding_suggest(f, "mail.smtp.ssl.trust", x->host);
	finding_suggest(f, "mail.smtp.ssl.checkserveridentity", "true");
}

static void
judge_trust(struct ctx *x)
{
	const struct x509_path *p = x->path;
	struct cert_data *d = x->d;
	const struct x509_info *leaf = &x->info[0];
	struct finding *f;
	char store[700];

	snprintf(store, sizeof(store), "%s%s%s", d->store_what[0] ?
	    d->store_what : "no trust store", d->store_path[0] ? " " : "",
	    d->store_path);
	if (leaf->self_signed)
		d->problems |= CERT_P_SELF_SIGNED;
	if (p->trusted) {
		if (leaf->self_signed)
			result_add(x->r, "cert-self-signed", SEV_INFO, "The "
			    "server certificate is self-signed, and %s holds "
			    "it, so Java trusts exactly this certificate: "
			    "import it again whenever the server gets a new "
			    "one.", store);
		return;
	}
	d->problems |= CERT_P_UNTRUSTED;
	if (!p->top_self_signed && p->len == 1 && !leaf->is_ca)
		d->problems |= CERT_P_INCOMPLETE;
	if (problem(x, CERT_P_INCOMPLETE)) {
		f = result_add(x->r, "chain-incomplete", x->ssl_trust_covers ?
		    SEV_WARN : SEV_FAIL, "The server sends its certificate "
		    "without the intermediate CA certificate that issued it "
		    "(%s). Java does not fetch missing intermediates, so it "
		    "fails with \"PKIX path building failed\" unless the "
		    "trust store holds that intermediate. Fix on the server: "
		    "configure the full chain (certificate followed by the "
		    "intermediates, e.g. fullchain.pem).", d->missing_issuer);
	}
	if (leaf->self_signed)
		result_add(x->r, "cert-self-signed", x->ssl_trust_covers ?
		    SEV_WARN : SEV_FAIL, "The server certificate is "
		    "self-signed: no CA vouches for it, and %s does not hold "
		    "it.", store);
	f = result_add(x->r, "cert-untrusted", x->ssl_trust_covers ?
	    SEV_WARN : SEV_FAIL, "Java would fail with \"PKIX path building "
	    "failed: unable to find valid certification path to requested "
	    "target\": the chain does not end at a certificate in %s%s%s.%s",
	    store, d->missing_issuer[0] ? "; the last issuer, " : "",
	    d->missing_issuer[0] ? d->missing_issuer : "",
	    x->ssl_trust_covers ? " It is accepted only because "
	    "mail.smtp.ssl.trust covers this host, which switches "
	    "certificate validation off." : "");
	if (problem(x, CERT_P_INCOMPLETE) && x->ca_idx < 0 && f != NULL)
		snprintf(f->message + strlen(f->message), sizeof(f->message) -
		    strlen(f->message), " The server did not send the "
		    "issuer, so there is nothing here to import: fix the "
		    "server's chain, or get \"%s\" from the CA and import it.",
		    d->missing_issuer);
	if (!x->ssl_trust_covers) {
		suggest_import(x, f);
		last_resort(x);
	}
}

static void
judge_order(struct ctx *x)
{
	const struct x509_path *p = x->path;

	if (!p->ordered)
		result_add(x->r, "chain-order", SEV_WARN, "The server sends its "
		    "certificates out of order (TLS 1.2 requires each to "
		    "certify the one before it). Java sorts them out, other "
		    "clients may not: fix the order on the server.");
	else if (p->unused > 0)
		result_add(x->r, "chain-extra", SEV_INFO, "The server sends %zu "
		    "certificate(s) that are not part of its chain; harmless "
		    "for Java, but worth cleaning up.", p->unused);
}

static void
judge_ssl_trust(struct ctx *x)
{
	const char *v = settings_get(x->env->set, "mail.smtp.ssl.trust");
	struct finding *f;

	if (!x->ssl_trust_set)
		return;
	if (!x->ssl_trust_covers) {
		f = result_add(x->r, "ssl-trust-excludes-host", SEV_FAIL,
		    "mail.smtp.ssl.trust=%s does not name %s exactly, so "
		    "JavaMail refuses the server after the handshake with "
		    "\"Server is not trusted: %s\", however good the "
		    "certificate is. Remove the setting (best) or put the "
		    "exact mail.smtp.host value in it.", v, x->host, x->host);
		finding_suggest(f, "mail.smtp.ssl.trust", "");
		return;
	}
	f = result_add(x->r, "ssl-trust-set", x->d->trusted == TRI_YES ?
	    SEV_WARN : SEV_INFO, "mail.smtp.ssl.trust=%s switches certificate "
	    "validation off for this host: Java accepts any certificate "
	    "there, also one an attacker presents.%s", v,
	    x->d->trusted == TRI_YES ? " The chain is trusted without it: "
	    "remove the setting." : "");
	if (x->d->trusted == TRI_YES)
		finding_suggest(f, "mail.smtp.ssl.trust", "");
}

/* Trusted here, but by a store Java does not read? */
static void
judge_java_store(struct ctx *x)
{
	const struct x509_path *p = x->path;
	struct finding *f;
	char subj[256];

	if (!p->trusted || x->ts.java_cacerts_used ||
	    truststore_java_has(&x->ts, p->anchor.sha256) != 0)
		return;
	clean(subj, sizeof(subj), p->anchor.subject);
	f = result_add(x->r, "java-cacerts-lacks-ca", SEV_INFO, "%s trusts "
	    "the chain through %s, but the Java runtime found here does not: "
	    "its %s lacks that CA. If the application runs on this Java "
	    "without -Djavax.net.ssl.trustStore, import the CA there.",
	    x->d->store_what, subj, x->ts.java_cacerts);
	if (f != NULL && x->ts.nsrc > 0 && x->ts.src[0].kind == TS_PEM &&
	    x->ts.src[0].ncerts == 1) {
		make_keytool(x, &p->anchor, x->ts.src[0].path);
		snprintf(f->message + strlen(f->message), sizeof(f->message) -
		    strlen(f->message), " %s", x->d->keytool);
	}
}

static void
verdict(struct ctx *x)
{
	struct cert_data *d = x->d;
	int rejects = 0;

	if (x->store_fails)
		rejects = 1;
	if (d->trusted != TRI_YES && !x->ssl_trust_covers)
		rejects = 1;
	if (x->java_checks && !x->ssl_trust_covers &&
	    (problem(x, CERT_P_EXPIRED) || problem(x, CERT_P_NOT_YET_VALID)))
		rejects = 1;
	if (problem(x, CERT_P_JAVA_CERTPATH))
		rejects = 1;
	if (problem(x, CERT_P_HOSTNAME) && d->checks_identity)
		rejects = 1;
	if (x->ssl_trust_set && !x->ssl_trust_covers)
		rejects = 1;
	d->java_accepts = !rejects;
	if (d->java_accepts)
		result_add(x->r, "cert-ok", SEV_INFO, "%s with %s would accept "
		    "this chain%s: %s.", x->prof->title, d->mail_lib,
		    d->trusted == TRI_YES ? "" : " (mail.smtp.ssl.trust)",
		    d->trusted == TRI_YES ? d->anchor : "validation is off");
}

/* ---- the step ------------------------------------------------------------- */

/*
 * The profile's certpath properties from assets/java (and the user's
 * java.security); without the assets, certpath.c's table decides.
 */
static void
load_profile(struct ctx *x)
{
	const char *file = x->env->opt.java_security;
	struct javasec *sec = NULL;
	struct sw_error e = { 0 };

	snprintf(x->d->certpath_rules, sizeof(x->d->certpath_rules),
	    "smtpwiz's built-in table for %s", x->prof->title);
	if (suites_load(&x->reg, &e) != SW_OK ||
	    javaprof_load(x->reg, x->prof->name, &x->jp, &e) != SW_OK) {
		javaprof_free(x->jp);
		x->jp = NULL;
		if (file != NULL)
			result_add(x->r, "java-security-unused", SEV_WARN,
			    "%s: the Java profiles could not be loaded, so "
			    "%s is not applied; judging with the built-in "
			    "limits of %s.", sw_error_text(&e), file,
			    x->prof->title);
		return;
	}
	put(x->d->certpath_rules, sizeof(x->d->certpath_rules), "%s",
	    javaprof_source(x->jp));
	if (file == NULL)
		return;
	sw_error_clear(&e);
	if (javasec_load_file(file, &sec, &e) != SW_OK ||
	    javaprof_apply_security(x->jp, sec, 1, &e) != SW_OK)
		result_add(x->r, "java-security-unreadable", SEV_WARN, "%s: "
		    "judging with the built-in limits of %s.",
		    sw_error_text(&e), x->prof->title);
	else
		put(x->d->certpath_rules, sizeof(x->d->certpath_rules), "%s",
		    javaprof_source(x->jp));
	javasec_free(sec);
}

static void
settings_view(struct ctx *x)
{
	const struct settings *set = x->env->set;
	struct cert_data *d = x->d;
	const char *java = x->env->opt.java ? x->env->opt.java : "17";

	d->checks_identity = settings_bool(set,
	    "mail.smtp.ssl.checkserveridentity");
	snprintf(d->mail_lib, sizeof(d->mail_lib), "%s",
	    settings_lib_name(set->lib));
	if ((x->prof = certpath_profile(java)) == NULL) {
		result_add(x->r, "java-profile-unknown", SEV_WARN, "No "
		    "certificate rules for Java \"%s\" (known: 8u202, 8u291, "
		    "11, 17, 21): judging with Java 17's.", java);
		x->prof = certpath_profile("17");
	}
	snprintf(d->java_profile, sizeof(d->java_profile), "%s",
	    x->prof->name);
	load_profile(x);
	read_ssl_trust(x);
}

static enum sw_err
fetch(struct ctx *x, struct sw_error *err)
{
	struct tls_info ti;
	struct sw_error e = { 0 };
	struct cert_data *d = x->d;
	enum sw_err rc;
	size_t i;

	memset(&ti, 0, sizeof(ti));
	rc = fetch_handshake(x, &ti, &e);
	if (rc == SW_ECANCEL) {
		tls_info_free(&ti);
		return sw_fail(err, rc, "%s", sw_error_text(&e));
	}
	for (i = 0; i < ti.nchain; i++)
		if (chain_add(&x->ch, ti.chain_der[i], ti.chain_len[i]) < 0) {
			tls_info_free(&ti);
			return sw_fail(err, SW_ENOMEM, "out of memory");
		}
	if (rc == SW_OK) {
		snprintf(d->tls, sizeof(d->tls), "%s %s",
		    tls_version_name(ti.version), ti.suite_name);
		snprintf(d->source, sizeof(d->source), "handshake");
	} else if (ti.nchain > 0) {
		snprintf(d->source, sizeof(d->source), "handshake (failed "
		    "after the Certificate message)");
		result_add(x->r, "tls-handshake-failed", SEV_WARN, "The TLS "
		    "handshake failed after the server sent its certificates: "
		    "%s. Steps 3 and 4 look at versions and cipher suites.",
		    sw_error_text(&e));
	} else if (ti.failure == TLS_FAIL_NONE || rc == SW_ERESOLVE ||
	    rc == SW_ECONNECT || rc == SW_EPROTO || rc == SW_ETIMEOUT) {
		/* Never reached TLS (step 1's ground), or a silent server
		 * that more hellos would only wait for again. */
		result_add(x->r, "tls-unavailable", SEV_WARN, "No TLS "
		    "connection to check: %s.", sw_error_text(&e));
	} else
		fetch_raw(x, &ti, &e);
	tls_info_free(&ti);
	if (x->cancelled)
		return sw_fail(err, SW_ECANCEL, "cancelled");
	return SW_OK;
}

static enum sw_err
analyse(struct ctx *x, struct sw_error *err)
{
	struct sw_error e = { 0 };
	size_t i;
	enum sw_err rc;

	if ((x->info = calloc(x->ch.n, sizeof(*x->info))) == NULL ||
	    (x->path = calloc(1, sizeof(*x->path))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (i = 0; i < x->ch.n; i++) {
		sw_error_clear(&e);
		if (x509_info_parse(x->ch.der[i], x->ch.len[i], &x->info[i],
		    &e) == SW_ENOMEM)
			return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	rc = x509_build_path((const unsigned char *const *)x->ch.der,
	    x->ch.len, x->ch.n, x->ts.anchors, x->path, &e);
	if (rc == SW_ENOMEM)
		return sw_fail(err, rc, "out of memory");
	x->d->available = 1;
	x->d->chain_more = x->ch.n > CERT_CHAIN_MAX ? x->ch.n -
	    CERT_CHAIN_MAX : 0;
	if (rc != SW_OK) {
		/* The leaf cannot be read: show what is known, judge nothing. */
		x->d->nchain = x->ch.n < CERT_CHAIN_MAX ? x->ch.n :
		    CERT_CHAIN_MAX;
		for (i = 0; i < x->d->nchain; i++)
			fill_entry(x, i);
		result_add(x->r, "cert-unreadable", SEV_WARN, "%s: smtpwiz "
		    "cannot judge this chain (Java may still read it).",
		    sw_error_text(&e));
		return SW_OK;
	}
	fill_chain(x);
	x->java_checks = !(x->path->trusted && x->path->anchor_sent &&
	    x->path->len == 1);
	x->ca_idx = ca_to_import(x);
	save_files(x);
	judge_trust(x);
	judge_dates(x);
	judge_hostname(x);
	judge_certpath(x);
	judge_order(x);
	judge_ssl_trust(x);
	judge_java_store(x);
	if (!x->java_checks)
		result_add(x->r, "cert-pinned", SEV_INFO, "The server's own "
		    "certificate is in the trust store: Java accepts it as it "
		    "is, without checking dates or algorithms.");
	verdict(x);
	return SW_OK;
}

static void
report_saved(struct ctx *x)
{
	const struct cert_data *d = x->d;

	if (d->saved_chain[0] == '\0')
		return;
	result_add(x->r, "chain-saved", SEV_INFO, "Saved the chain as sent "
	    "(%zu certificates, PEM) to %s%s%s.", x->ch.n, d->saved_chain,
	    d->saved_ca[0] ? " and the CA to import to " : "",
	    d->saved_ca);
}

enum sw_err
probe_certificates(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct ctx x;
	const char *why;
	enum sw_err rc;

	memset(&x, 0, sizeof(x));
	x.env = env;
	x.r = r;
	x.d = &r->d.cert;
	x.now = time(NULL);
	x.ca_idx = -1;
	if (!probe_target(env, x.host, sizeof(x.host), &x.port, &x.mode,
	    &why)) {
		r->verdict = VERDICT_SKIPPED;
		snprintf(r->skip_reason, sizeof(r->skip_reason), "skipped: %s",
		    why ? why : "no host");
		return SW_OK;
	}
	if (x.mode != MODE_STARTTLS && x.mode != MODE_SSL) {
		r->verdict = VERDICT_SKIPPED;
		snprintf(r->skip_reason, sizeof(r->skip_reason), "skipped: "
		    "port %u speaks plain SMTP without STARTTLS, so there is "
		    "no certificate to check", x.port);
		return SW_OK;
	}
	clean(x.d->host, sizeof(x.d->host), x.host);
	x.d->port = x.port;
	x.d->mode = x.mode;
	x.d->trusted = x.d->hostname_match = TRI_UNKNOWN;
	settings_view(&x);
	if ((rc = truststore_load(&x.ts, env->opt.cafile, env->opt.truststore,
	    env->opt.storepass, err)) != SW_OK)
		goto out;
	report_store(&x);
	if ((rc = fetch(&x, err)) != SW_OK)
		goto out;
	if (x.ch.n > 0 && (rc = analyse(&x, err)) != SW_OK)
		goto out;
	report_saved(&x);
	report_java_store(&x);
	if (r->verdict == VERDICT_SKIPPED)
		r->verdict = VERDICT_PASS;
out:
	truststore_free(&x.ts);
	javaprof_free(x.jp);
	suites_free(x.reg);
	chain_free(&x.ch);
	free(x.info);
	free(x.path);
	return rc;
}

/* ---- rendering -------------------------------------------------------------- */

static const char *
mode_word(int mode)
{
	return smtp_mode_name((enum smtp_mode)mode);
}

static void
text_entry(FILE *f, size_t i, const struct cert_entry *e)
{
	size_t k;

	fprintf(f, "  [%zu] %-13s%s\n", i, e->role, e->subject);
	if (!e->parsed) {
		fprintf(f, "      %-13s%s  %s\n", "key", e->key, e->signature);
		fprintf(f, "      %-13s%s\n", "SHA-256", e->sha256);
		return;
	}
	fprintf(f, "      %-13s%s\n", "issuer", e->issuer);
	if (e->nsan > 0) {
		fprintf(f, "      %-13s", "SANs");
		for (k = 0; k < e->nsan; k++)
			fprintf(f, "%s%s", k ? " " : "", e->san[k]);
		if (e->san_more)
			fprintf(f, " (+%zu more)", e->san_more);
		fputc('\n', f);
	}
	fprintf(f, "      %-13s%s .. %s (%s%ld days %s)\n", "valid",
	    e->not_before, e->not_after, e->days_left < 0 ? "expired " : "",
	    e->days_left < 0 ? -e->days_left : e->days_left,
	    e->days_left < 0 ? "ago" : "left");
	fprintf(f, "      %-13s%s, signed %s\n", "key", e->key, e->signature);
	fprintf(f, "      %-13s%s\n", "SHA-256", e->sha256);
}

void
cert_data_text(FILE *f, const struct cert_data *d)
{
	size_t i;
	unsigned b;
	int first = 1;

	fprintf(f, "  %-12s%s port %u, %s%s%s\n", "server", d->host, d->port,
	    mode_word(d->mode), d->tls[0] ? ", " : "", d->tls);
	if (d->server_versions[0] != '\0')
		fprintf(f, "  %-12sserver accepts %s; this build can do %s\n",
		    "versions", d->server_versions, d->build_versions);
	if (d->store_kind[0] != '\0')
		fprintf(f, "  %-12s%s %s (%zu certificate%s%s%s)\n",
		    "trust store", d->store_what, d->store_path,
		    d->store_certs, d->store_certs == 1 ? "" : "s",
		    d->store_integrity[0] ? ", integrity " : "",
		    d->store_integrity);
	if (d->java_cacerts[0] != '\0')
		fprintf(f, "  %-12s%s (%s)\n", "Java reads", d->java_cacerts,
		    d->java_source);
	if (!d->available) {
		fprintf(f, "  %-12s(no certificates could be read)\n", "chain");
		return;
	}
	fprintf(f, "  %-12s%zu certificate(s) via %s%s\n", "chain",
	    d->nchain + d->chain_more, d->source,
	    d->ordered ? "" : ", out of order");
	for (i = 0; i < d->nchain; i++)
		text_entry(f, i, &d->chain[i]);
	fprintf(f, "  %-12s%s%s%s\n", "trusted", tri_name(d->trusted),
	    d->anchor[0] ? " -- anchor: " : "", d->anchor);
	fprintf(f, "  %-12s%s: %s (%s: checkserveridentity %s)\n",
	    "host name", tri_name(d->hostname_match), d->hostname_why,
	    d->mail_lib, d->checks_identity ? "on" : "off");
	fprintf(f, "  %-12s", "problems");
	for (b = 0; b < CERT_PROBLEM_COUNT; b++)
		if (d->problems & (1u << b)) {
			fprintf(f, "%s%s", first ? "" : ", ",
			    cert_problem_name(b));
			first = 0;
		}
	fprintf(f, "%s\n", first ? "none" : "");
	fprintf(f, "  %-12sJava %s: %s\n", "verdict", d->java_profile,
	    d->java_accepts ? "accepts this chain" : "refuses this chain");
	if (d->saved_chain[0] != '\0')
		fprintf(f, "  %-12s%s%s%s\n", "saved", d->saved_chain,
		    d->saved_ca[0] ? ", CA: " : "", d->saved_ca);
	if (d->keytool[0] != '\0')
		fprintf(f, "  %-12s%s\n", "import", d->keytool);
}

static void
json_tri_val(struct json *j, const char *key, enum tri t)
{
	if (t == TRI_UNKNOWN)
		json_null(j, key);
	else
		json_bool(j, key, t == TRI_YES);
}

static void
json_entry(struct json *j, const struct cert_entry *e)
{
	size_t k;

	json_open(j, NULL, '{');
	json_str(j, "subject", e->subject);
	json_str(j, "issuer", e->parsed ? e->issuer : NULL);
	json_open(j, "san", '[');
	for (k = 0; k < e->nsan; k++)
		json_str(j, NULL, e->san[k]);
	json_close(j, ']');
	json_str(j, "not_before", e->parsed ? e->not_before : NULL);
	json_str(j, "not_after", e->parsed ? e->not_after : NULL);
	json_int(j, "days_left", e->days_left);
	json_str(j, "key", e->key);
	json_str(j, "signature", e->signature);
	json_str(j, "sha256", e->sha256);
	json_str(j, "role", e->role);
	json_bool(j, "ca", e->ca);
	json_bool(j, "self_signed", e->self_signed);
	json_int(j, "path_position", e->path_pos);
	json_close(j, '}');
}

void
cert_data_json(struct json *j, const struct cert_data *d)
{
	size_t i;
	unsigned b;

	json_open(j, "chain", '[');
	for (i = 0; i < d->nchain; i++)
		json_entry(j, &d->chain[i]);
	json_close(j, ']');
	if (d->available) {
		json_tri_val(j, "trusted", d->trusted);
		json_tri_val(j, "hostname_match", d->hostname_match);
	} else {
		json_null(j, "trusted");
		json_null(j, "hostname_match");
	}
	json_open(j, "problems", '[');
	for (b = 0; b < CERT_PROBLEM_COUNT; b++)
		if (d->problems & (1u << b))
			json_str(j, NULL, cert_problem_name(b));
	json_close(j, ']');
	if (d->available)
		json_bool(j, "java_accepts", d->java_accepts);
	else
		json_null(j, "java_accepts");
	json_str(j, "host", d->host);
	json_str(j, "tls", d->tls[0] ? d->tls : NULL);
	json_str(j, "source", d->source[0] ? d->source : NULL);
	json_str(j, "server_versions", d->server_versions[0] ?
	    d->server_versions : NULL);
	json_str(j, "build_versions", d->build_versions[0] ?
	    d->build_versions : NULL);
	json_bool(j, "ordered", d->available ? d->ordered : 1);
	json_int(j, "chain_dropped", (long long)d->chain_more);
	json_str(j, "anchor", d->anchor[0] ? d->anchor : NULL);
	json_str(j, "anchor_alias", d->anchor_alias[0] ? d->anchor_alias :
	    NULL);
	json_str(j, "missing_issuer", d->missing_issuer[0] ?
	    d->missing_issuer : NULL);
	json_str(j, "hostname_detail", d->hostname_why[0] ? d->hostname_why :
	    NULL);
	json_bool(j, "checkserveridentity", d->checks_identity);
	json_str(j, "mail_library", d->mail_lib);
	json_str(j, "java_profile", d->java_profile);
	json_str(j, "certpath_rules", d->certpath_rules);
	json_open(j, "trust_store", '{');
	json_str(j, "kind", d->store_kind[0] ? d->store_kind : "none");
	json_str(j, "path", d->store_path[0] ? d->store_path : NULL);
	json_str(j, "description", d->store_what[0] ? d->store_what : NULL);
	json_int(j, "certificates", (long long)d->store_certs);
	json_str(j, "integrity", d->store_integrity[0] ? d->store_integrity :
	    NULL);
	json_str(j, "error", d->store_error[0] ? d->store_error : NULL);
	json_close(j, '}');
	json_str(j, "java_cacerts", d->java_cacerts[0] ? d->java_cacerts :
	    NULL);
	json_open(j, "saved", '{');
	json_str(j, "chain", d->saved_chain[0] ? d->saved_chain : NULL);
	json_str(j, "ca", d->saved_ca[0] ? d->saved_ca : NULL);
	json_close(j, '}');
	json_str(j, "keytool", d->keytool[0] ? d->keytool : NULL);
}
