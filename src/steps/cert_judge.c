/*
 * Step 2: judging the chain the way the user's Java would -- validity
 * dates, the trust path, the host-name check, the profile's certpath
 * limits, the order, mail.smtp.ssl.trust and the Java runtime's own
 * cacerts -- each problem a finding with its fix, then the verdict:
 * would Java accept this chain?  cert_probe.c has read the chain and
 * the settings into the cert_probe first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostname.h"
#include "javart.h"
#include "net.h"
#include "cert_int.h"

#define SOON_DAYS	30		/* "expiring-soon" below this */

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
	const struct x509_info *c[CHAIN_MAX];
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
	const struct x509_info *c[CHAIN_MAX];
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

/*
 * A name of the certificate worth naming when it does not cover the
 * host: the first dNSName that is a valid host name and resolves.  A
 * SAN is server-controlled text ("${...}", quotes, '#' and worse have
 * been seen), so it is never a settings value, only advice, and only a
 * name that passes hostname_valid() and getaddrinfo() (the probes'
 * resolver; at most ADVICE_TRIES look-ups).  Returns 1 with the name
 * in name and its first address in addr.
 */
#define ADVICE_TRIES	3

static int
advice_name(const struct cert_probe *x, char *name, size_t cap, char *addr,
    size_t acap)
{
	const struct x509_info *leaf = &x->info[0];
	struct net_addr addrs[NET_ADDR_MAX];
	size_t i, n, tries = 0;

	for (i = 0; i < leaf->ndns && tries < ADVICE_TRIES; i++) {
		if (!hostname_valid(leaf->dns[i]))
			continue;
		tries++;
		if (net_resolve(leaf->dns[i], x->port, addrs, &n, NULL) !=
		    SW_OK || n == 0)
			continue;
		snprintf(name, cap, "%s", leaf->dns[i]);
		snprintf(addr, acap, "%s", addrs[0].text);
		return 1;
	}
	return 0;
}

static void
judge_hostname(struct cert_probe *x)
{
	const struct x509_info *leaf = &x->info[0];
	const char *dns[X509_DNS_MAX], *matched = NULL;
	struct cert_data *d = x->d;
	struct host_ids ids;
	enum host_match m;
	char why[256], other[256], other_addr[64];
	size_t i;

	for (i = 0; i < leaf->ndns; i++)
		dns[i] = leaf->dns[i];
	ids.dns = dns;
	ids.ndns = leaf->ndns;
	ids.ips = leaf->ips;
	ids.nips = leaf->nips;
	ids.cn = leaf->cn[0] ? leaf->cn : NULL;
	/*
	 * Both libraries ask the JDK's sun.security.util.HostnameChecker
	 * by reflection; from Java 16 on the module system refuses that,
	 * and their own fall-back (SocketFetcher.matchCert, Angus's
	 * MailHostnameVerifier) reads only dNSName entries, then the CN:
	 * an iPAddress entry no longer counts.
	 */
	if (atoi(x->prof->name) >= 16)
		ids.nips = 0;
	m = hostname_check(x->host, &ids, &matched, why, sizeof(why));
	if (m != HOST_MATCH && atoi(x->prof->name) >= 16 && leaf->nips > 0 &&
	    hostname_parse_ip(x->host, NULL))
		snprintf(why + strlen(why), sizeof(why) - strlen(why), " On "
		    "Java %s the mail library cannot use the JDK's own check "
		    "and reads only the DNS names and the CN: the address in "
		    "the certificate does not count; connect by name.",
		    x->prof->name);
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
		/*
		 * Never mail.smtp.host: a name from the certificate is the
		 * server's word, and where to connect changes only after a
		 * probe of that name (issue 11).  Advice, when it is a
		 * valid name that resolves.
		 */
		finding_suggest(f, "mail.smtp.ssl.checkserveridentity",
		    "true");
		if (f != NULL && m == HOST_MISMATCH &&
		    advice_name(x, other, sizeof(other), other_addr,
		    sizeof(other_addr)))
			snprintf(f->message + strlen(f->message),
			    sizeof(f->message) - strlen(f->message), " The "
			    "certificate names %s (it resolves to %s): if that "
			    "name reaches this same server, connect with it "
			    "(check it with smtpwiz first); otherwise have the "
			    "server's certificate include %s.", other,
			    other_addr, x->host);
		else if (f != NULL && m == HOST_MISMATCH)
			snprintf(f->message + strlen(f->message),
			    sizeof(f->message) - strlen(f->message), " Have "
			    "the server's certificate include %s.", x->host);
	}
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
	int needed;

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
	/*
	 * "Not needed" only when Java's own chain check would pass: a
	 * trusted anchor is not enough when the certificate is expired or
	 * breaks a certpath rule (issue 11: an expired chain under
	 * ssl.trust=* was told "remove the setting", and Java then failed).
	 */
	needed = x->d->trusted != TRI_YES || (x->java_checks &&
	    (x->d->problems & (CERT_P_EXPIRED | CERT_P_NOT_YET_VALID |
	    CERT_P_JAVA_CERTPATH)) != 0);
	f = result_add(x->r, "ssl-trust-set", needed ? SEV_INFO : SEV_WARN,
	    "mail.smtp.ssl.trust=%s switches certificate validation off for "
	    "this host: Java accepts any certificate there, also one an "
	    "attacker presents.%s", v, !needed ? " The chain passes Java's "
	    "checks without it: remove the setting." :
	    x->d->trusted == TRI_YES ? " Java needs it here only because the "
	    "certificate fails Java's checks (see above): fix the "
	    "certificate, then remove the setting." : "");
	if (!needed)
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

void
cert_judge(struct cert_probe *x)
{
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
}

/*
 * A chain longer than Java takes, or than smtpwiz keeps.  A Java that
 * enforces a limit (certpath_chain_limit(): the runtime read, else the
 * profile) fails the handshake, so step 2 fails and names the property
 * that sets the limit there; one that does not is warned that the
 * next update will.  smtpwiz itself keeps CHAIN_MAX.
 */
void
cert_judge_length(struct cert_probe *x)
{
	const struct javart *rt = x->env->opt.runtime;
	int real = rt != NULL && rt->found && rt->major > 0;
	size_t sent = x->ch.n + x->ch.dropped;
	struct certpath_chain_limit lim;
	char shown[96] = "", java[64];

	certpath_chain_limit(x->prof->name, real ? rt->major : 0,
	    real ? rt->update : 0, real ? rt->chain_max : NULL,
	    real ? rt->client_chain_max : NULL, &lim);
	if (real)
		snprintf(java, sizeof(java), "Java %s", rt->version);
	else
		snprintf(java, sizeof(java), "%s", x->prof->title);
	if (x->ch.dropped > 0)
		snprintf(shown, sizeof(shown), " Chain longer than %d: first %d "
		    "shown and analysed.", CHAIN_MAX, CHAIN_MAX);
	if (lim.limited && sent > (size_t)lim.max)
		result_add(x->r, "chain-too-long", SEV_FAIL, "The server sends "
		    "%zu certificates, and %s takes at most %d from a server "
		    "(%s%s): the handshake fails with \"The certificate chain "
		    "length (%zu) exceeds the maximum allowed length (%d)\". "
		    "Fix the server: send its certificate and the intermediates "
		    "only, not a whole CA bundle. Or start Java with -D%s=%zu.%s",
		    sent, java, lim.max, lim.property, lim.from_property ?
		    ", as set on its command line" : ", default", sent,
		    lim.max, lim.property, sent, shown);
	else if (!lim.limited && sent > CERTPATH_JAVA_CHAIN_DEFAULT)
		result_add(x->r, "chain-too-long", SEV_WARN, "The server sends "
		    "%zu certificates. %s takes them, but Java from 8u261, "
		    "11.0.8 and 15 on takes at most %d (jdk.tls."
		    "maxCertificateChainLength; from Java 22 jdk.tls.client."
		    "maxInboundCertificateChainLength), so an update breaks "
		    "the connection. Send the server certificate and its "
		    "intermediates only, not a whole CA bundle.%s", sent, java,
		    CERTPATH_JAVA_CHAIN_DEFAULT, shown);
	else if (x->ch.dropped > 0)
		result_add(x->r, "chain-too-long", SEV_WARN, "The server sends "
		    "%zu certificates; %s takes them (-D%s=%d).%s", sent, java,
		    lim.property, lim.max, shown);
}
