/*
 * Step 2's judge: the facts cert_probe.c, cert_fetch.c and
 * cert_facts.c recorded in r->d.cert -- the Java profile's rules as
 * loaded, the trust store's sources, how the chain was got, validity
 * dates, the trust path, the host-name check, the profile's certpath
 * issues, the order, the Java runtime's own cacerts -- the settings
 * (checkserveridentity, mail.smtp.ssl.trust) and the Java profile asked
 * for in; each problem a finding with its fix out, then the verdict:
 * would Java accept this chain?  Pure: no server, no files, no trust
 * store; a test fills the data and calls cert_judge().  After it the
 * probe adds only what it did and where Java's trust comes from
 * (chain-saved, truststore).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certpath.h"
#include "hostname.h"
#include "javaprof.h"
#include "javart.h"
#include "cert_int.h"

#define SOON_DAYS	30		/* "expiring-soon" below this */

/* The judging of one result. */
struct judging {
	struct step_result		*r;
	struct cert_data		*d;
	const struct probe_env		*env;
	const struct certpath_profile	*prof;
	int				 java_checks;	/* not the leaf itself
							   trusted */
	int				 ssl_trust_set;
	int				 ssl_trust_covers;
};

/* ---- judging ------------------------------------------------------------ */

static int
problem(const struct judging *x, unsigned bit)
{
	return (x->d->problems & bit) != 0;
}

/* The path certificates Java checks (not the anchor itself). */
static size_t
checked(const struct judging *x, const struct cert_entry **out)
{
	const struct cert_data *d = x->d;
	size_t i, n = d->npath;

	if (d->trusted == TRI_YES && d->anchor_sent && n > 0)
		n--;
	for (i = 0; i < n; i++)
		out[i] = &d->chain[d->path[i]];
	return n;
}

static void
judge_dates(struct judging *x)
{
	const struct cert_entry *c[CHAIN_MAX];
	size_t n = checked(x, c), i;
	long long now = x->d->now;
	int sev;

	for (i = 0; i < n; i++) {
		const char *which = i == 0 ? "The server certificate" :
		    "An intermediate certificate";
		const char *subj = c[i]->subject;
		long days;

		sev = x->java_checks && !x->ssl_trust_covers ? SEV_FAIL :
		    SEV_WARN;
		if (c[i]->not_after_t < now) {
			x->d->problems |= CERT_P_EXPIRED;
			days = (long)((now - c[i]->not_after_t) / 86400);
			result_add(x->r, "cert-expired", sev, "%s (%s) expired "
			    "on %s, %ld days ago. Java fails with \"PKIX path "
			    "validation failed: ... validity check failed\" "
			    "(CertificateExpiredException). The server needs "
			    "a renewed certificate; check the clock of this "
			    "host too.", which, subj, c[i]->not_after, days);
		} else if (c[i]->not_before_t > now) {
			x->d->problems |= CERT_P_NOT_YET_VALID;
			result_add(x->r, "cert-not-yet-valid", sev, "%s (%s) "
			    "is valid only from %s. Java fails with \"validity "
			    "check failed\" (CertificateNotYetValidException). "
			    "Check the clocks of this host and of the server.",
			    which, subj, c[i]->not_before);
		} else if (c[i]->not_after_t - now < SOON_DAYS * 86400L) {
			x->d->problems |= CERT_P_EXPIRING_SOON;
			days = (long)((c[i]->not_after_t - now) / 86400);
			result_add(x->r, "cert-expiring-soon", SEV_WARN, "%s "
			    "(%s) expires on %s, in %ld days: mail will stop "
			    "then unless it is renewed.", which, subj,
			    c[i]->not_after, days);
		}
	}
}

static void
judge_certpath(struct judging *x)
{
	const struct cert_entry *c[CHAIN_MAX];
	struct cert_data *d = x->d;
	size_t n = checked(x, c), i;

	if (!x->java_checks)
		return;
	for (i = 0; i < d->nissues && i < CERT_ISSUES_MAX; i++) {
		const struct cert_issue *is = &d->issues[i];

		if (is->key)
			d->problems |= CERT_P_WEAK_KEY;
		else
			d->problems |= CERT_P_WEAK_SIG;
		if (is->fatal)
			d->problems |= CERT_P_JAVA_CERTPATH;
		result_add(x->r, is->fatal ? "java-certpath" :
		    is->key ? "weak-key" : "weak-signature",
		    is->fatal ? SEV_FAIL : SEV_WARN, "%s%s", is->text,
		    is->fatal ? " Java fails with \"Algorithm constraints "
		    "check failed\" even when the chain is trusted, also with "
		    "mail.smtp.ssl.trust. The server needs a new "
		    "certificate." : "");
	}
	/* What Java's end-entity and path checks add. */
	if (n > 1 && !d->leaf_server_auth) {
		d->problems |= CERT_P_JAVA_CERTPATH;
		result_add(x->r, "leaf-not-server-auth", SEV_FAIL, "The server "
		    "certificate's extended key usage does not include "
		    "serverAuth: Java fails with \"Extended key usage does not "
		    "permit use for TLS server authentication\".");
	}
	if (d->not_ca >= 0) {
		d->problems |= CERT_P_JAVA_CERTPATH;
		result_add(x->r, "not-a-ca", SEV_FAIL, "Certificate %d of the "
		    "path signs another certificate but is not a CA "
		    "(basicConstraints): Java fails with \"basic constraints "
		    "check failed: this is not a CA certificate\".",
		    d->not_ca);
	}
}

static void
judge_hostname(struct judging *x)
{
	struct cert_data *d = x->d;
	const struct settings *set = x->env->set;
	int explicit, angus;
	char java_says[160];
	struct finding *f;

	d->hostname_match = d->host_result == HOST_MATCH ? TRI_YES : TRI_NO;
	if (d->host_result == HOST_MATCH) {
		if (!d->checks_identity) {
			f = result_add(x->r, "checkserveridentity-off",
			    SEV_INFO, "The certificate matches %s, but %s does "
			    "not check that by default (mail.smtp.ssl."
			    "checkserveridentity=false): turn the check on, "
			    "so that a certificate for another name is "
			    "refused.", d->host, d->mail_lib);
			finding_suggest(f, "mail.smtp.ssl.checkserveridentity",
			    "true");
		}
		return;
	}
	d->problems |= CERT_P_HOSTNAME;
	explicit = settings_get(set, "mail.smtp.ssl.checkserveridentity") !=
	    NULL;
	angus = set->lib == MAIL_LIB_ANGUS2;
	if (angus)
		cert_put(java_says, sizeof(java_says), "\"%s\"",
		    d->hostname_why);
	else
		cert_put(java_says, sizeof(java_says), "\"Can't verify "
		    "identity of server: %s\"", d->host);
	if (d->checks_identity)
		f = result_add(x->r, "hostname-mismatch", SEV_FAIL, "%s %s "
		    "checks the server's identity (mail.smtp.ssl."
		    "checkserveridentity=true, %s) and refuses this server: "
		    "%s.", d->hostname_why, d->mail_lib, explicit ? "as set" :
		    "its default", java_says);
	else
		f = result_add(x->r, "hostname-mismatch", SEV_WARN, "%s %s "
		    "accepts it now only because mail.smtp.ssl."
		    "checkserveridentity is false (%s; Angus Mail checks by "
		    "default), which lets anyone with any trusted certificate "
		    "pose as this server. With the check on, Java fails with "
		    "%s.", d->hostname_why, d->mail_lib, explicit ? "as set" :
		    "JavaMail 1.6.2's default", java_says);
	/*
	 * Never mail.smtp.host: a name from the certificate is the
	 * server's word, and where to connect changes only after a probe
	 * of that name (issue 11).  Advice, when it is a valid name that
	 * resolves (cert_facts.c looked it up).
	 */
	finding_suggest(f, "mail.smtp.ssl.checkserveridentity", "true");
	if (f != NULL && d->host_result == HOST_MISMATCH &&
	    d->advice_name[0] != '\0')
		snprintf(f->message + strlen(f->message),
		    sizeof(f->message) - strlen(f->message), " The "
		    "certificate names %s (it resolves to %s): if that name "
		    "reaches this same server, connect with it (check it with "
		    "smtpwiz first); otherwise have the server's certificate "
		    "include %s.", d->advice_name, d->advice_addr, d->host);
	else if (f != NULL && d->host_result == HOST_MISMATCH)
		snprintf(f->message + strlen(f->message),
		    sizeof(f->message) - strlen(f->message), " Have the "
		    "server's certificate include %s.", d->host);
}

/* The fix for an untrusted chain, as its own finding. */
static void
suggest_import(struct judging *x)
{
	struct cert_data *d = x->d;
	const struct cert_entry *ca;
	char note[400] = "";

	if (d->ca_idx < 0 || (size_t)d->ca_idx >= d->nchain)
		return;
	ca = &d->chain[d->ca_idx];
	snprintf(d->keytool, sizeof(d->keytool), "%s", d->fix_keytool);
	snprintf(d->keytool_copy, sizeof(d->keytool_copy), "%s",
	    d->fix_keytool_copy);
	if (!ca->self_signed && d->missing_issuer[0] != '\0')
		cert_put(note, sizeof(note), " (the server does not send its "
		    "root, %s: Java takes the intermediate as the anchor, but "
		    "the root, from the CA's administrator, lasts longer)",
		    d->missing_issuer);
	if (d->ca_idx == 0) {
		/*
		 * Self-signed: the same advice as `smtpwiz explain` (import a
		 * CA, never a server's own certificate) first; pinning this
		 * one certificate only where there is no CA.
		 */
		result_add(x->r, "import-ca", SEV_INFO, "Fix: give the server "
		    "a certificate from a CA (a public one or your company's) "
		    "and import that CA; never import a server's own "
		    "certificate when a CA exists. Only if this server has no "
		    "CA: import %s itself, which trusts exactly this "
		    "certificate (repeat it when the server gets a new one)%s. "
		    "The command%s:\n%s%s%s%s", ca->subject, d->saved_ca[0] ?
		    "" : "; the wizard saves it with s on step 2 (check: "
		    "--save-chain FILE)", d->keytool_copy[0] ? ", into a copy "
		    "of this Java's cacerts that the application names with "
		    "-Djavax.net.ssl.trustStore" : "", d->keytool_copy,
		    d->keytool_copy[0] ? "\n" : "", d->keytool,
		    d->keytool_copy[0] ? "\n-Djavax.net.ssl.trustStore=$PWD/"
		    "mail-cacerts" : "");
		return;
	}
	result_add(x->r, "import-ca", SEV_INFO, "Fix: import the CA %s into "
	    "the trust store Java uses%s%s. The command%s:\n%s%s%s%s",
	    ca->subject, note, d->saved_ca[0] ? "" : "; the wizard saves it "
	    "with s on step 2 (check: --save-chain FILE)",
	    d->keytool_copy[0] ? ", into a copy of this Java's cacerts that "
	    "the application names with -Djavax.net.ssl.trustStore" : "",
	    d->keytool_copy, d->keytool_copy[0] ? "\n" : "", d->keytool,
	    d->keytool_copy[0] ? "\n-Djavax.net.ssl.trustStore=$PWD/"
	    "mail-cacerts" : "");
}

static void
last_resort(struct judging *x)
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
	    x->d->host);
	if (f != NULL)
		f->optin = 1;	/* never applied without the user's choice */
	finding_suggest(f, "mail.smtp.ssl.trust", x->d->host);
	finding_suggest(f, "mail.smtp.ssl.checkserveridentity", "true");
}

static void
judge_trust(struct judging *x)
{
	struct cert_data *d = x->d;
	const struct cert_entry *leaf = &d->chain[0];
	struct finding *f;
	char store[700];

	snprintf(store, sizeof(store), "%s%s%s", d->store_what[0] ?
	    d->store_what : "no trust store", d->store_path[0] ? " " : "",
	    d->store_path);
	if (leaf->self_signed)
		d->problems |= CERT_P_SELF_SIGNED;
	if (d->trusted == TRI_YES) {
		if (leaf->self_signed)
			result_add(x->r, "cert-self-signed", SEV_INFO, "The "
			    "server certificate is self-signed, and %s holds "
			    "it, so Java trusts exactly this certificate: "
			    "import it again whenever the server gets a new "
			    "one.", store);
		return;
	}
	d->problems |= CERT_P_UNTRUSTED;
	if (!d->top_self_signed && d->npath == 1 && !leaf->ca)
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
	if (problem(x, CERT_P_INCOMPLETE) && d->ca_idx < 0 && f != NULL)
		snprintf(f->message + strlen(f->message), sizeof(f->message) -
		    strlen(f->message), " The server did not send the "
		    "issuer, so there is nothing here to import: fix the "
		    "server's chain, or get \"%s\" from the CA and import it.",
		    d->missing_issuer);
	if (!x->ssl_trust_covers) {
		suggest_import(x);
		last_resort(x);
	}
}

static void
judge_order(struct judging *x)
{
	if (!x->d->ordered)
		result_add(x->r, "chain-order", SEV_WARN, "The server sends "
		    "its certificates out of order (TLS 1.2 requires each to "
		    "certify the one before it). Java sorts them out, other "
		    "clients may not: fix the order on the server.");
	else if (x->d->unused > 0)
		result_add(x->r, "chain-extra", SEV_INFO, "The server sends "
		    "%zu certificate(s) that are not part of its chain; "
		    "harmless for Java, but worth cleaning up.", x->d->unused);
}

static void
judge_ssl_trust(struct judging *x)
{
	const char *v = settings_get(x->env->set, "mail.smtp.ssl.trust");
	const struct cert_data *d = x->d;
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
		    "exact mail.smtp.host value in it.", v, d->host, d->host);
		finding_suggest(f, "mail.smtp.ssl.trust", "");
		return;
	}
	/*
	 * "Not needed" only when Java's own chain check would pass: a
	 * trusted anchor is not enough when the certificate is expired or
	 * breaks a certpath rule (issue 11: an expired chain under
	 * ssl.trust=* was told "remove the setting", and Java then failed).
	 */
	needed = d->trusted != TRI_YES || (x->java_checks &&
	    (d->problems & (CERT_P_EXPIRED | CERT_P_NOT_YET_VALID |
	    CERT_P_JAVA_CERTPATH)) != 0);
	f = result_add(x->r, "ssl-trust-set", needed ? SEV_INFO : SEV_WARN,
	    "mail.smtp.ssl.trust=%s switches certificate validation off for "
	    "this host: Java accepts any certificate there, also one an "
	    "attacker presents.%s", v, !needed ? " The chain passes Java's "
	    "checks without it: remove the setting." :
	    d->trusted == TRI_YES ? " Java needs it here only because the "
	    "certificate fails Java's checks (see above): fix the "
	    "certificate, then remove the setting." : "");
	if (!needed)
		finding_suggest(f, "mail.smtp.ssl.trust", "");
}

/* Trusted here, but by a store Java does not read? */
static void
judge_java_store(struct judging *x)
{
	struct cert_data *d = x->d;
	struct finding *f;

	if (d->trusted != TRI_YES || !d->java_lacks_anchor)
		return;
	f = result_add(x->r, "java-cacerts-lacks-ca", SEV_INFO, "%s trusts "
	    "the chain through %s, but the Java runtime found here does not: "
	    "its %s lacks that CA. If the application runs on this Java "
	    "without -Djavax.net.ssl.trustStore, import the CA there.",
	    d->store_what, d->anchor, d->java_cacerts);
	if (f != NULL && d->fix_keytool[0] != '\0') {
		snprintf(d->keytool, sizeof(d->keytool), "%s", d->fix_keytool);
		snprintf(d->keytool_copy, sizeof(d->keytool_copy), "%s",
		    d->fix_keytool_copy);
		snprintf(f->message + strlen(f->message), sizeof(f->message) -
		    strlen(f->message), " %s", d->keytool);
	}
}

static void
verdict(struct judging *x)
{
	struct cert_data *d = x->d;
	int rejects = 0;

	if (d->store_fails)
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
	/* Java counts the certificates before it looks at any of them. */
	if (d->java_chain_max > 0)
		rejects = 1;
	d->java_accepts = !rejects;
	if (d->java_accepts)
		result_add(x->r, "cert-ok", SEV_INFO, "%s with %s would accept "
		    "this chain%s: %s.", x->prof->title, d->mail_lib,
		    d->trusted == TRI_YES ? "" : " (mail.smtp.ssl.trust)",
		    d->trusted == TRI_YES ? d->anchor : "validation is off");
}

/*
 * A chain longer than Java takes, or than smtpwiz keeps.  A Java that
 * enforces a limit (certpath_chain_limit(): the runtime read, else the
 * profile) fails the handshake, so step 2 fails and names the property
 * that sets the limit there; one that does not is warned that the
 * next update will.  smtpwiz itself keeps CHAIN_MAX.
 */
static void
judge_length(struct judging *x)
{
	const struct javart *rt = x->env->opt.runtime;
	struct cert_data *d = x->d;
	int real = rt != NULL && rt->found && rt->major > 0;
	size_t sent = d->nchain + d->chain_more;
	struct certpath_chain_limit lim;
	char shown[96] = "", java[64];

	certpath_chain_limit(x->prof->name, real ? rt->major : 0,
	    real ? rt->update : 0, real ? rt->chain_max : NULL,
	    real ? rt->client_chain_max : NULL, &lim);
	if (real)
		snprintf(java, sizeof(java), "Java %s", rt->version);
	else
		snprintf(java, sizeof(java), "%s", x->prof->title);
	if (d->chain_more > 0)
		snprintf(shown, sizeof(shown), " Chain longer than %d: first %d "
		    "shown and analysed.", CHAIN_MAX, CHAIN_MAX);
	d->java_chain_max = lim.limited && sent > (size_t)lim.max ? lim.max :
	    0;
	if (d->java_chain_max > 0)
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
	else if (d->chain_more > 0)
		result_add(x->r, "chain-too-long", SEV_WARN, "The server sends "
		    "%zu certificates; %s takes them (-D%s=%d).%s", sent, java,
		    lim.property, lim.max, shown);
}

/* ---- before the chain: the profile, the store, the handshake ------------- */

const struct certpath_profile *
cert_profile(const struct probe_env *env, const char **asked)
{
	const char *java = env->opt.java ? env->opt.java : JAVAPROF_DEFAULT;
	const struct certpath_profile *p = certpath_profile(java);

	if (asked != NULL)
		*asked = java;
	return p != NULL ? p : certpath_profile(JAVAPROF_DEFAULT);
}

static void
judge_profile(struct judging *x)
{
	const char *java, *file = x->env->opt.java_security;
	const struct certpath_profile *prof = cert_profile(x->env, &java);
	char list[64];

	if (certpath_profile(java) == NULL && strchr(java, '/') != NULL)
		/* A profile from a debug log holds no certificate rules. */
		result_add(x->r, "java-profile-file", SEV_INFO, "The Java "
		    "profile %s says what that Java offers, not its "
		    "certificate rules: judging the chain with Java 17's.",
		    java);
	else if (certpath_profile(java) == NULL)
		result_add(x->r, "java-profile-unknown", SEV_WARN, "No "
		    "certificate rules for Java \"%s\" (known: %s): judging "
		    "with Java 17's.", java, javaprof_list(list, sizeof(list),
		    ", "));
	if (x->d->profile_failed == 1)
		result_add(x->r, file != NULL ? "java-security-unused" :
		    "java-profile-unloadable", SEV_WARN, "%s: the Java "
		    "profiles could not be loaded, so %s%s%s's certificate "
		    "rules are not checked.", x->d->profile_error, file ?
		    file : "", file ? " is not applied and " : "",
		    prof->title);
	else if (x->d->profile_failed == 2)
		result_add(x->r, "java-security-unreadable", SEV_WARN, "%s: "
		    "judging with the built-in limits of %s.",
		    x->d->profile_error, prof->title);
}

/* The trust store's sources: missing, unreadable, cut short. */
static void
judge_store(struct judging *x)
{
	struct cert_data *d = x->d;
	const struct cert_store_source *s;
	size_t i;

	if (strcmp(d->store_kind, "none") == 0) {
		result_add(x->r, "truststore-missing", SEV_WARN, "No trust "
		    "store: no Java runtime was found (JAVA_HOME, java on "
		    "PATH) and none of the system bundles (Debian/Ubuntu, "
		    "RHEL/Fedora, Alpine, SUSE) exists here. Give the trust "
		    "store the application's Java uses with --truststore FILE "
		    "(usually $JAVA_HOME/lib/security/cacerts) or a PEM file "
		    "with --cafile.");
		return;
	}
	if (d->store_not_java)
		result_add(x->r, "truststore-not-java", SEV_WARN, "No Java "
		    "runtime found: judged against the system bundle %s, "
		    "which Java does not read; give --truststore with the "
		    "application's trust store (its "
		    "$JAVA_HOME/lib/security/cacerts, Java 8: "
		    "jre/lib/security/cacerts, or the file its "
		    "-Djavax.net.ssl.trustStore names), or set JAVA_HOME to "
		    "its Java.", d->store_path);
	for (i = 0; i < d->nsources && i < CERT_STORE_SOURCES; i++) {
		s = &d->sources[i];
		if (s->error[0] == '\0')
			continue;
		if (s->keystore && s->integrity_bad &&
		    !d->store_password_given) {
			result_add(x->r, "truststore-password", SEV_WARN, "The "
			    "integrity check of %s failed with the default "
			    "password \"changeit\" (%s). Java loads a JKS "
			    "trust store unchecked when "
			    "javax.net.ssl.trustStorePassword is not set, but "
			    "fails with \"Keystore was tampered with, or "
			    "password was incorrect\" when it is set to a "
			    "wrong one: give the password with --storepass.",
			    d->store_path, s->format);
			continue;
		}
		if (s->keystore) {
			d->store_fails = 1;
			result_add(x->r, s->integrity_bad ?
			    "truststore-password" : "truststore-unreadable",
			    SEV_FAIL, "Java cannot use %s as its trust store: "
			    "%s.%s", s->path, s->error, s->integrity_bad ?
			    " Check the password "
			    "(javax.net.ssl.trustStorePassword, --storepass)."
			    : "");
		} else
			result_add(x->r, "truststore-unreadable", !s->loaded ||
			    s->ncerts == 0 ? SEV_FAIL : s->system ? SEV_INFO :
			    SEV_WARN, "%s.", s->error);
	}
	for (i = 0; i < d->nsources && i < CERT_STORE_SOURCES; i++)
		if (d->sources[i].over > 0)
			result_add(x->r, "truststore-too-many", SEV_WARN,
			    "%s holds more than %d certificates: smtpwiz read "
			    "the first %zu and left %zu out (its limit; Java "
			    "reads them all), so a CA among those is not seen "
			    "here.", d->sources[i].path, TRUSTSTORE_MAX_CERTS,
			    d->sources[i].ncerts + d->sources[i].nbad,
			    d->sources[i].over);
	for (i = 0; i < d->nsources && i < CERT_STORE_SOURCES; i++)
		if (d->sources[i].nignored > 0)
			result_add(x->r, "truststore-ignored-certs", SEV_WARN,
			    "%zu certificate(s) in %s lack Java's "
			    "trusted-certificate attribute, so Java ignores "
			    "them (typical of `openssl pkcs12 -export` without "
			    "-jdktrust): import them with keytool "
			    "-importcert instead.", d->sources[i].nignored,
			    d->sources[i].path);
}

/* How getting the chain went, when the handshake did not complete. */
static void
judge_fetch(struct judging *x)
{
	const struct cert_data *d = x->d;
	int best = d->raw_chain;

	if (d->fetch == CERT_FETCH_LATE) {
		result_add(x->r, "tls-handshake-failed", SEV_WARN, "The TLS "
		    "handshake failed after the server sent its certificates: "
		    "%s. Steps 3 and 4 look at versions and cipher suites.",
		    d->fetch_error);
		return;
	}
	if (d->fetch == CERT_FETCH_NO_TLS) {
		result_add(x->r, "tls-unavailable", SEV_FAIL, "No TLS "
		    "connection to check: %s.", d->fetch_error);
		return;
	}
	if (d->fetch != CERT_FETCH_RAW)
		return;
	if (!d->raw_any) {
		/* No certificate to judge: Java fails here too. */
		result_add(x->r, "tls-failed", SEV_FAIL, "The TLS handshake "
		    "failed (%s) and the server answered no ClientHello, so "
		    "its certificates cannot be read. Steps 3 and 4 look at "
		    "versions and cipher suites.", d->fetch_error);
		return;
	}
	if (!d->raw_common) {
		/* Without a chain nothing was checked: never a pass. */
		result_add(x->r, "tls-version-unsupported-by-build",
		    best ? SEV_WARN : SEV_FAIL, "%sThe server accepts %s only; "
		    "this build of smtpwiz (%s) "
		    "can complete TLS handshakes with %s, so it cannot %s. "
		    "This is a limit of smtpwiz, not a verdict on the server: "
		    "%s", best ? "" : "Not checked: ", d->server_versions,
		    d->tls_library, d->build_versions,
		    best ? "verify the handshake itself; the chain below was "
		    "read from the server's Certificate message" : "read the "
		    "certificates (TLS 1.3 encrypts them)",
		    best ? "step 3 says whether Java accepts that version." :
		    "Java 11+ and 8u261+ speak TLSv1.3; an smtpwiz linked "
		    "with mbedTLS 3.6 can check these certificates.");
		return;
	}
	result_add(x->r, "tls-handshake-failed", best ? SEV_WARN : SEV_FAIL,
	    "The TLS handshake "
	    "failed although the server accepts %s and this build can do %s: "
	    "%s.%s Steps 3 and 4 look at versions and cipher suites.",
	    d->server_versions, d->build_versions, d->fetch_error, best ?
	    " The chain below was read from the server's Certificate "
	    "message." : "");
}

void
cert_judge_settings(struct cert_data *d, const struct settings *set)
{
	d->checks_identity = settings_bool(set,
	    "mail.smtp.ssl.checkserveridentity");
	snprintf(d->mail_lib, sizeof(d->mail_lib), "%s",
	    settings_lib_name(set->lib));
}

/* mail.smtp.ssl.trust as JavaMail applies it (exact host strings). */
static void
read_ssl_trust(struct judging *x)
{
	const char *v = settings_get(x->env->set, "mail.smtp.ssl.trust");
	char buf[512], *tok, *save;

	if (v == NULL || *v == '\0')
		return;
	x->ssl_trust_set = 1;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " \t\r\n\f", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n\f", &save))
		if (strcmp(tok, "*") == 0 || strcmp(tok, x->d->host) == 0)
			x->ssl_trust_covers = 1;
}

void
cert_judge(struct step_result *r, const struct probe_env *env)
{
	struct judging x;
	struct cert_data *d = &r->d.cert;

	memset(&x, 0, sizeof(x));
	x.r = r;
	x.d = d;
	x.env = env;
	d->java_chain_max = 0;
	if ((x.prof = certpath_profile(d->java_profile)) == NULL)
		x.prof = certpath_profile(JAVAPROF_DEFAULT);
	cert_judge_settings(d, env->set);
	judge_profile(&x);
	judge_store(&x);
	judge_fetch(&x);
	if (!d->available)
		return;		/* no chain to judge */
	read_ssl_trust(&x);
	judge_length(&x);
	if (d->unreadable[0] != '\0' || d->npath == 0 || d->nchain == 0) {
		/* The leaf cannot be read: show what is known, judge
		 * nothing. */
		result_add(r, "cert-unreadable", SEV_WARN, "%s: smtpwiz "
		    "cannot judge this chain (Java may still read it).",
		    d->unreadable[0] ? d->unreadable : "no path");
		return;
	}
	if (d->save_error[0] != '\0')
		result_add(r, "save-chain-failed", SEV_WARN, "The %s could not "
		    "be saved: %s.", d->save_error_ca ? "CA certificate" :
		    "chain", d->save_error);
	x.java_checks = !(d->trusted == TRI_YES && d->anchor_sent &&
	    d->npath == 1);
	judge_trust(&x);
	judge_dates(&x);
	judge_hostname(&x);
	judge_certpath(&x);
	judge_order(&x);
	judge_ssl_trust(&x);
	judge_java_store(&x);
	if (!x.java_checks)
		result_add(r, "cert-pinned", SEV_INFO, "The server's own "
		    "certificate is in the trust store: Java accepts it as it "
		    "is, without checking dates or algorithms.");
	verdict(&x);
}
