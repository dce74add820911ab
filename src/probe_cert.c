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
 * Getting the chain is cert_fetch.c's job (also when the linked
 * mbedTLS cannot complete a handshake with the server), the fixes are
 * probe_cert_fix.c's, the report probe_cert_render.c's.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hostname.h"
#include "javaprof.h"
#include "javasec.h"
#include "probe_cert_int.h"
#include "sanitize.h"

#define SOON_DAYS	30		/* "expiring-soon" below this */

void
cert_chain_free(struct cert_chain *ch)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		free(ch->der[i]);
	ch->n = 0;
}

int
cert_chain_add(struct cert_chain *ch, const unsigned char *der, size_t len)
{
	if (ch->n >= X509_CHAIN_MAX)
		return 0;
	if ((ch->der[ch->n] = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(ch->der[ch->n], der, len);
	ch->len[ch->n++] = len;
	return 0;
}

void
cert_clean(char *dst, size_t cap, const char *src)
{
	sanitize_str(src, dst, cap, 0);
}

/* snprintf for texts that may be cut (paths can be long). */
void
cert_put(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

/* ---- reading the chain into the report ---------------------------------- */

static void
fill_entry(struct cert_probe *x, size_t i)
{
	const struct x509_info *c = &x->info[i];
	struct cert_entry *e = &x->d->chain[i];
	char tmp[300];
	size_t k;

	e->path_pos = -1;
	x509_fingerprint_text(c->sha256, e->sha256);
	cert_clean(e->key, sizeof(e->key), c->key_text[0] ? c->key_text :
	    "unknown");
	cert_clean(e->signature, sizeof(e->signature), c->signature[0] ?
	    c->signature : "unknown");
	if (!e->parsed) {
		snprintf(e->subject, sizeof(e->subject), "(unreadable)");
		return;
	}
	cert_clean(e->subject, sizeof(e->subject), c->subject);
	cert_clean(e->issuer, sizeof(e->issuer), c->issuer);
	for (k = 0; k < c->ndns; k++) {
		if (e->nsan >= CERT_SAN_MAX) {
			e->san_more++;
			continue;
		}
		snprintf(tmp, sizeof(tmp), "DNS:%s", c->dns[k]);
		cert_clean(e->san[e->nsan++], sizeof(e->san[0]), tmp);
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
fill_chain(struct cert_probe *x)
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
		cert_clean(d->anchor, sizeof(d->anchor), p->anchor.subject);
		cert_clean(d->anchor_alias, sizeof(d->anchor_alias),
		    p->anchor_label);
	} else if (p->missing_issuer[0] != '\0')
		cert_clean(d->missing_issuer, sizeof(d->missing_issuer),
		    p->missing_issuer);
}

/* ---- the trust store ---------------------------------------------------- */

static void
report_store(struct cert_probe *x)
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
	cert_clean(d->store_path, sizeof(d->store_path), s->path);
	snprintf(d->store_what, sizeof(d->store_what), "%s", s->what);
	d->store_certs = x509_anchors_count(ts->anchors);
	if (s->kind == TS_KEYSTORE)
		snprintf(d->store_integrity, sizeof(d->store_integrity), "%s",
		    keystore_integrity_name(s->ks.integrity));
	if (ts->java_cacerts[0] != '\0') {
		cert_clean(d->java_cacerts, sizeof(d->java_cacerts),
		    ts->java_cacerts);
		snprintf(d->java_source, sizeof(d->java_source), "%s",
		    ts->java_source);
	}
	for (i = 0; i < ts->nsrc; i++) {
		s = &ts->src[i];
		if (s->error[0] == '\0')
			continue;
		if (i == 0)
			cert_clean(d->store_error, sizeof(d->store_error),
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
			result_add(x->r, "truststore-unreadable", !s->loaded ||
			    s->ncerts == 0 ? SEV_FAIL : s->kind == TS_SYSTEM ?
			    SEV_INFO : SEV_WARN, "%s.", s->error);
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
report_java_store(struct cert_probe *x)
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
		cert_put(where, sizeof(where), "The Java runtime found here "
		    "(%s: %s) reads %s (a link to %s).", ts->java_source,
		    ts->java_home, ts->java_cacerts, ts->java_cacerts_real);
	else
		cert_put(where, sizeof(where), "The Java runtime found here "
		    "(%s: %s) reads %s.", ts->java_source, ts->java_home,
		    ts->java_cacerts);
	if (ts->java_cacerts_used)
		result_add(x->r, "truststore", SEV_INFO, "Trust store: %s, "
		    "the Java runtime's own (%zu certificate%s). %s",
		    d->store_path, d->store_certs, d->store_certs == 1 ? "" :
		    "s", where);
	else if (ts->nsrc > 0 && ts->src[0].kind == TS_KEYSTORE)
		result_add(x->r, "truststore", SEV_INFO, "Trust store: %s %s "
		    "(%zu certificate%s). Java uses it only when started with "
		    "-Djavax.net.ssl.trustStore=%s (and "
		    "javax.net.ssl.trustStorePassword); otherwise it trusts its "
		    "own cacerts. %s", d->store_what, d->store_path,
		    d->store_certs, d->store_certs == 1 ? "" : "s",
		    d->store_path, where);
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
problem(struct cert_probe *x, unsigned bit)
{
	return (x->d->problems & bit) != 0;
}

/* The path certificates Java checks (not the anchor itself). */
static size_t
checked(const struct cert_probe *x, const struct x509_info **out)
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
judge_dates(struct cert_probe *x)
{
	const struct x509_info *c[X509_CHAIN_MAX];
	size_t n = checked(x, c), i;
	int sev;

	for (i = 0; i < n; i++) {
		const char *which = i == 0 ? "The server certificate" :
		    "An intermediate certificate";
		char subj[256], when[24];
		long days;

		cert_clean(subj, sizeof(subj), c[i]->subject);
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
			result_add(x->r, "cert-not-yet-valid", sev, "%s (%s) "
			    "is valid only from %s. Java fails with \"validity "
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
judge_certpath(struct cert_probe *x)
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
judge_hostname(struct cert_probe *x)
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
			cert_clean(first, sizeof(first), leaf->dns[i]);
	}
	ids.dns = dns;
	ids.ndns = leaf->ndns;
	ids.ips = leaf->ips;
	ids.nips = leaf->nips;
	ids.cn = leaf->cn[0] ? leaf->cn : NULL;
	m = hostname_check(x->host, &ids, &matched, why, sizeof(why));
	cert_clean(d->hostname_why, sizeof(d->hostname_why), why);
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
			cert_put(java_says, sizeof(java_says), "\"%s\"", why);
		else
			cert_put(java_says, sizeof(java_says), "\"Can't verify "
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
			    "checkserveridentity is false (%s; Angus Mail "
			    "checks by default), which lets anyone with any "
			    "trusted certificate pose as this server. With the "
			    "check on, Java fails with %s.", d->hostname_why,
			    d->mail_lib,
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
read_ssl_trust(struct cert_probe *x)
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

static void
judge_trust(struct cert_probe *x)
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
	    "target\": the chain does not end at a certificate in %s%s%s%s.%s",
	    store, d->missing_issuer[0] ? " (its last issuer, " : "",
	    d->missing_issuer[0] ? d->missing_issuer : "",
	    d->missing_issuer[0] ? ", is neither sent nor in the store)" : "",
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
		cert_suggest_import(x);
		cert_last_resort(x);
	}
}

static void
judge_order(struct cert_probe *x)
{
	const struct x509_path *p = x->path;

	if (!p->ordered)
		result_add(x->r, "chain-order", SEV_WARN, "The server sends "
		    "its certificates out of order (TLS 1.2 requires each to "
		    "certify the one before it). Java sorts them out, other "
		    "clients may not: fix the order on the server.");
	else if (p->unused > 0)
		result_add(x->r, "chain-extra", SEV_INFO, "The server sends "
		    "%zu certificate(s) that are not part of its chain; "
		    "harmless for Java, but worth cleaning up.", p->unused);
}

static void
judge_ssl_trust(struct cert_probe *x)
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
judge_java_store(struct cert_probe *x)
{
	const struct x509_path *p = x->path;
	struct finding *f;
	char subj[256];

	if (!p->trusted || x->ts.java_cacerts_used ||
	    truststore_java_has(&x->ts, p->anchor.sha256) != 0)
		return;
	cert_clean(subj, sizeof(subj), p->anchor.subject);
	f = result_add(x->r, "java-cacerts-lacks-ca", SEV_INFO, "%s trusts "
	    "the chain through %s, but the Java runtime found here does not: "
	    "its %s lacks that CA. If the application runs on this Java "
	    "without -Djavax.net.ssl.trustStore, import the CA there.",
	    x->d->store_what, subj, x->ts.java_cacerts);
	if (f != NULL && x->ts.nsrc > 0 && x->ts.src[0].kind == TS_PEM &&
	    x->ts.src[0].ncerts == 1) {
		cert_make_keytool(x, &p->anchor, x->ts.src[0].path);
		snprintf(f->message + strlen(f->message), sizeof(f->message) -
		    strlen(f->message), " %s", x->d->keytool);
	}
}

static void
verdict(struct cert_probe *x)
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

/* ---- the step ----------------------------------------------------------- */

/*
 * The profile's certpath properties from assets/java (and the user's
 * java.security); without the assets, certpath.c's table decides.
 */
static void
load_profile(struct cert_probe *x)
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
	cert_put(x->d->certpath_rules, sizeof(x->d->certpath_rules), "%s",
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
		cert_put(x->d->certpath_rules,
		    sizeof(x->d->certpath_rules), "%s",
		    javaprof_source(x->jp));
	javasec_free(sec);
}

static void
settings_view(struct cert_probe *x)
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
analyse(struct cert_probe *x, struct sw_error *err)
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
		/* The leaf cannot be read: show what is known, judge
		 * nothing. */
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
	x->ca_idx = cert_ca_to_import(x);
	cert_save_files(x);
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
report_saved(struct cert_probe *x)
{
	const struct cert_data *d = x->d;

	if (d->saved_chain[0] == '\0')
		return;
	result_add(x->r, "chain-saved", SEV_INFO, "Saved the chain as sent "
	    "(%zu certificate%s, PEM) to %s%s%s.", x->ch.n, x->ch.n == 1 ?
	    "" : "s", d->saved_chain, d->saved_ca[0] ? " and the CA to "
	    "import to " : "", d->saved_ca);
}

enum sw_err
probe_certificates(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct cert_probe x;
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
	cert_clean(x.d->host, sizeof(x.d->host), x.host);
	x.d->port = x.port;
	x.d->mode = x.mode;
	x.d->trusted = x.d->hostname_match = TRI_UNKNOWN;
	settings_view(&x);
	if ((rc = truststore_load(&x.ts, env->opt.cafile, env->opt.truststore,
	    env->opt.storepass, err)) != SW_OK)
		goto out;
	report_store(&x);
	if ((rc = cert_fetch(&x, err)) != SW_OK)
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
	cert_chain_free(&x.ch);
	free(x.info);
	free(x.path);
	return rc;
}

