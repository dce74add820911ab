/*
 * The steps' judges, table-driven: step data in, finding ids and the
 * verdict out, no server.  Step 1: conn_judge() (conn_judge.c) over the
 * configured and detected connection types, the TLS outcome, a slow
 * greeting and the timeouts set.  Step 3: proto_judge() (proto_judge.c)
 * over the versions the sweep found and the protocols set, with the
 * Java profiles of assets/ (SMTPWIZ_ASSETS).  Step 4: cipher_judge()
 * (cipher_judge.c) over the suites found per version, graded by the
 * registry (assets/ciphersuites.tsv), and the server's order.  Step 2:
 * cert_judge() (cert_judge.c) over the facts of a chain -- the path,
 * the dates, the host-name check, certpath issues, the trust store --
 * with no certificate at all; and cert_judge_chain() (cert_probe.c,
 * cert_facts.c, cert_judge.c) over the certificates of tests/data/jks,
 * ca.pem the trust store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_int.h"
#include "conn_int.h"
#include "hello.h"
#include "hostname.h"
#include "proto.h"
#include "cipher.h"
#include "suites.h"
#include "x509.h"
#include "judgeutil.h"
#include "tls_steps_int.h"
#include "tap.h"
#include "testutil.h"

struct conn_case {
	const char	*name;
	const char	*settings;	/* "key=value key=value" */
	enum smtp_mode	 detected;
	enum tri	 tls_ok;
	int64_t		 greeting_ms;
	const char	*ids;		/* the findings, in order */
	enum verdict	 verdict;
	const char	*suggest;	/* "id:key=value", or NULL */
};

#define TIMEOUTS "mail.smtp.connectiontimeout=10000 mail.smtp.timeout=30000 " \
	"mail.smtp.writetimeout=30000"
#define STARTTLS "mail.smtp.starttls.enable=true mail.smtp.starttls.required=true"

static const struct conn_case conn_cases[] = {
	{ "STARTTLS as configured", STARTTLS " " TIMEOUTS, MODE_STARTTLS,
	  TRI_YES, 100, "mode-ok", VERDICT_PASS,
	  "mode-ok:mail.smtp.starttls.enable=true" },
	{ "no timeouts set", STARTTLS, MODE_STARTTLS, TRI_YES, 100,
	  "timeouts-unset mode-ok", VERDICT_PASS,
	  "timeouts-unset:mail.smtp.timeout=30000" },
	{ "ssl.enable on a STARTTLS port",
	  "mail.smtp.ssl.enable=true " TIMEOUTS, MODE_STARTTLS, TRI_YES, 100,
	  "ssl-on-starttls-port", VERDICT_FAIL,
	  "ssl-on-starttls-port:mail.smtp.ssl.enable=false" },
	{ "ssl.enable on a plain port", "mail.smtp.ssl.enable=true " TIMEOUTS,
	  MODE_PLAIN, TRI_UNKNOWN, 100, "ssl-on-plain-port", VERDICT_FAIL,
	  NULL },
	{ "STARTTLS settings on an SSL port", STARTTLS " " TIMEOUTS, MODE_SSL,
	  TRI_YES, 0, "starttls-on-ssl-port", VERDICT_FAIL,
	  "starttls-on-ssl-port:mail.smtp.ssl.enable=true" },
	{ "plain settings on an SSL port", TIMEOUTS, MODE_SSL, TRI_YES, 0,
	  "plain-on-ssl-port", VERDICT_FAIL, NULL },
	{ "STARTTLS required, none offered", STARTTLS " " TIMEOUTS,
	  MODE_PLAIN, TRI_UNKNOWN, 100, "starttls-not-offered", VERDICT_FAIL,
	  NULL },
	{ "plain as configured", TIMEOUTS, MODE_PLAIN, TRI_UNKNOWN, 100,
	  "no-encryption mode-ok", VERDICT_WARN, NULL },
	{ "STARTTLS offered, not used", TIMEOUTS, MODE_STARTTLS, TRI_YES, 100,
	  "starttls-not-enabled", VERDICT_WARN,
	  "starttls-not-enabled:mail.smtp.starttls.required=true" },
	{ "starttls.enable alone",
	  "mail.smtp.starttls.enable=true " TIMEOUTS, MODE_STARTTLS, TRI_YES,
	  100, "starttls-not-required mode-ok", VERDICT_PASS,
	  "starttls-not-required:mail.smtp.starttls.required=true" },
	{ "both ssl.enable and starttls.enable",
	  "mail.smtp.ssl.enable=true mail.smtp.starttls.enable=true " TIMEOUTS,
	  MODE_SSL, TRI_YES, 0, "mixed-ssl-starttls mode-ok", VERDICT_WARN,
	  NULL },
	{ "the handshake failed", STARTTLS " " TIMEOUTS, MODE_STARTTLS,
	  TRI_NO, 100, "tls-handshake-failed mode-ok", VERDICT_WARN, NULL },
	{ "a slow greeting: three times its wait", STARTTLS " " TIMEOUTS,
	  MODE_STARTTLS, TRI_YES, 12500, "greeting-slow mode-ok",
	  VERDICT_WARN, "greeting-slow:mail.smtp.timeout=40000" },
	{ "nothing detected: only the settings", TIMEOUTS, MODE_UNKNOWN,
	  TRI_UNKNOWN, 0, "", VERDICT_PASS, NULL },
};

/* One case: a result of step s judged with settings "key=value ...". */
struct judge_run {
	struct step_result	*r;
	struct settings		 set;
	struct probe_env	 env;
};

static void
run_begin(struct judge_run *j, enum step s, const char *settings)
{
	if ((j->r = calloc(1, sizeof(*j->r))) == NULL ||
	    settings_init(&j->set, MAIL_LIB_JAVAMAIL16) != SW_OK)
		abort();
	judge_settings(&j->set, settings);
	probe_env_init(&j->env, &j->set);
	j->r->step = s;
	j->r->verdict = VERDICT_PASS;
}

/* Runs the step's judge from the table; checks ids, verdict, suggest. */
static void
run_judge(struct judge_run *j, const char *name, const char *want_ids,
    enum verdict verdict, const char *suggest)
{
	char ids[512];

	step_def(j->r->step)->judge(j->r, &j->env);
	printf("# %s\n", name);
	CHECK_STR(judge_ids(j->r, ids, sizeof(ids)), want_ids);
	CHECK_STR(verdict_name(j->r->verdict), verdict_name(verdict));
	if (suggest != NULL) {
		printf("# suggests %s\n", suggest);
		CHECK(judge_suggests(j->r, suggest));
	}
}

static void
run_end(struct judge_run *j)
{
	settings_free(&j->set);
	free(j->r);
}

static void
test_conn(void)
{
	size_t i;

	for (i = 0; i < sizeof(conn_cases) / sizeof(conn_cases[0]); i++) {
		const struct conn_case *c = &conn_cases[i];
		struct judge_run j;
		struct conn_data *d;

		run_begin(&j, STEP_CONN, c->settings);
		d = &j.r->d.conn;
		d->port = 587;
		snprintf(d->host, sizeof(d->host), "mail.example");
		d->configured_mode = settings_mode(&j.set);
		d->detected_mode = c->detected;
		d->tls_ok = c->tls_ok;
		snprintf(d->tls_error, sizeof(d->tls_error),
		    "handshake failure");
		d->greeting_code = c->detected == MODE_SSL ? 0 : 220;
		d->greeting_ms = c->greeting_ms;
		run_judge(&j, c->name, c->ids, c->verdict, c->suggest);
		run_end(&j);
	}
}

/*
 * Step 2's judge on facts alone.  The base: mail.example's leaf and an
 * intermediate, trusted through a root not sent, valid for 300 more
 * days, the name matched, Java 17, a PEM trust store.  Each flag
 * changes the facts as cert_facts.c would record them for such a chain.
 */
enum {
	CF_EXPIRED	= 1 << 0,	/* the leaf expired 5 days ago */
	CF_NOTYET	= 1 << 1,	/* valid from in 2 days */
	CF_SOON		= 1 << 2,	/* expires in 10 days */
	CF_SELF		= 1 << 3,	/* one self-signed leaf, untrusted */
	CF_UNTRUSTED	= 1 << 4,	/* leaf and intermediate, root unknown */
	CF_INCOMPLETE	= 1 << 5,	/* the leaf alone, its issuer unknown */
	CF_MISMATCH	= 1 << 6,	/* the name is not in the certificate */
	CF_ADVICE	= 1 << 7,	/* ... which names one that resolves */
	CF_WEAKKEY	= 1 << 8,	/* a certpath warning on the key */
	CF_WEAKSIG	= 1 << 9,	/* ... on the signature */
	CF_CERTPATH	= 1 << 10,	/* a signature Java refuses */
	CF_LONG		= 1 << 11,	/* 11 sent, 2 kept */
	CF_STORE	= 1 << 12,	/* Java cannot load the store */
	CF_PINNED	= 1 << 13,	/* the self-signed leaf is trusted */
	CF_UNREADABLE	= 1 << 14,	/* no path: the leaf unreadable */
	CF_JAVA_LACKS	= 1 << 15,	/* the runtime's cacerts lacks the CA */
	CF_MANY_SANS	= 1 << 16,	/* 40 names, the host's not shown */
	CF_STORE_PASS	= 1 << 17,	/* a keystore's integrity check failed
					   with "changeit" */
	CF_NO_STORE	= 1 << 18,	/* no trust store found */
	CF_LATE		= 1 << 19,	/* the handshake failed after the
					   Certificate message */
	CF_NO_TLS	= 1 << 20,	/* no TLS: no chain */
	CF_RAW_13	= 1 << 21,	/* raw hellos: TLSv1.3 only, no
					   chain, the build cannot */
	CF_JAVA_UNKNOWN	= 1 << 22	/* --java 7 */
};

struct certj_case {
	const char	*name;
	const char	*settings;
	unsigned	 facts;
	const char	*ids;
	enum verdict	 verdict;
	int		 accepts;	/* d->java_accepts */
	const char	*problems;	/* the problem words, in order */
	const char	*suggest;	/* "id:key=value", or NULL */
	const char	*says;		/* in some finding's message; NULL */
};

#define CSI	"mail.smtp.ssl.checkserveridentity=true"
#define DAY	86400LL
#define NOW	1800000000LL

static const struct certj_case certj_cases[] = {
	{ "trusted, the name matches and is checked", CSI, 0, "cert-ok",
	  VERDICT_PASS, 1, "", NULL, "Java 17 with JavaMail 1.6.2 would "
	  "accept this chain: CN=Test Root" },
	{ "trusted, the name not checked", "", 0,
	  "checkserveridentity-off cert-ok", VERDICT_PASS, 1, "",
	  "checkserveridentity-off:mail.smtp.ssl.checkserveridentity=true",
	  NULL },
	{ "the name beyond the SANs shown still matches", CSI, CF_MANY_SANS,
	  "cert-ok", VERDICT_PASS, 1, "", NULL, NULL },
	{ "expired", CSI, CF_EXPIRED, "cert-expired", VERDICT_FAIL, 0,
	  "expired", NULL, "expired on 2027-01-10T08:00:00Z, 5 days ago" },
	{ "not yet valid", CSI, CF_NOTYET, "cert-not-yet-valid",
	  VERDICT_FAIL, 0, "not-yet-valid", NULL, "valid only from "
	  "2027-01-17T08:00:00Z" },
	{ "expiring soon", CSI, CF_SOON, "cert-expiring-soon cert-ok",
	  VERDICT_WARN, 1, "expiring-soon", NULL, "in 10 days" },
	{ "self-signed, untrusted", CSI, CF_SELF, "cert-self-signed "
	  "cert-untrusted import-ca ssl-trust-last-resort", VERDICT_FAIL, 0,
	  "self-signed untrusted",
	  "ssl-trust-last-resort:mail.smtp.ssl.trust=mail.example",
	  "import CN=mail.example itself" },
	{ "self-signed, pinned in the store", CSI, CF_PINNED,
	  "cert-self-signed cert-pinned cert-ok", VERDICT_PASS, 1,
	  "self-signed", NULL, NULL },
	{ "untrusted, the intermediate to import", CSI, CF_UNTRUSTED,
	  "cert-untrusted import-ca ssl-trust-last-resort", VERDICT_FAIL, 0,
	  "untrusted", NULL, "Fix: import the CA CN=Test Intermediate into "
	  "the trust store Java uses (the server does not send its root, "
	  "CN=Unknown Root" },
	{ "incomplete chain: nothing to import", CSI, CF_INCOMPLETE,
	  "chain-incomplete cert-untrusted ssl-trust-last-resort",
	  VERDICT_FAIL, 0, "untrusted incomplete-chain", NULL,
	  "nothing here to import" },
	{ "hostname mismatch, checked", CSI, CF_MISMATCH, "hostname-mismatch",
	  VERDICT_FAIL, 0, "hostname-mismatch",
	  "hostname-mismatch:mail.smtp.ssl.checkserveridentity=true",
	  "as set) and refuses this server: \"Can't verify identity of "
	  "server: mail.example\". Have the server's certificate include "
	  "mail.example." },
	{ "hostname mismatch, not checked", "", CF_MISMATCH | CF_ADVICE,
	  "hostname-mismatch cert-ok", VERDICT_WARN, 1, "hostname-mismatch",
	  "hostname-mismatch:mail.smtp.ssl.checkserveridentity=true",
	  "The certificate names smtp.example (it resolves to 192.0.2.7)" },
	/* Angus Mail checks by default and says what its own check found. */
	{ "hostname mismatch, Angus Mail's default and words", "",
	  CF_MISMATCH, "hostname-mismatch", VERDICT_FAIL, 0,
	  "hostname-mismatch", NULL, "checkserveridentity=true, its default) "
	  "and refuses this server: \"The certificate is for smtp.example, "
	  "not mail.example.\"" },
	{ "ssl.trust covers the untrusted host", CSI
	  " mail.smtp.ssl.trust=mail.example", CF_UNTRUSTED,
	  "cert-untrusted ssl-trust-set cert-ok", VERDICT_WARN, 1, "untrusted",
	  NULL, "accepted only because mail.smtp.ssl.trust covers this host" },
	{ "ssl.trust names another host", CSI
	  " mail.smtp.ssl.trust=other.example", 0, "ssl-trust-excludes-host",
	  VERDICT_FAIL, 0, "", "ssl-trust-excludes-host:mail.smtp.ssl.trust=",
	  NULL },
	{ "ssl.trust=* on a chain that passes", CSI " mail.smtp.ssl.trust=*",
	  0, "ssl-trust-set cert-ok", VERDICT_WARN, 1, "",
	  "ssl-trust-set:mail.smtp.ssl.trust=", "remove the setting" },
	{ "ssl.trust=* on an expired chain: still needed", CSI
	  " mail.smtp.ssl.trust=*", CF_EXPIRED,
	  "cert-expired ssl-trust-set cert-ok", VERDICT_WARN, 1, "expired",
	  NULL, "fix the certificate, then remove the setting" },
	{ "a weak key", CSI, CF_WEAKKEY, "weak-key cert-ok", VERDICT_WARN, 1,
	  "weak-key", NULL, NULL },
	{ "a weak signature", CSI, CF_WEAKSIG, "weak-signature cert-ok",
	  VERDICT_WARN, 1, "weak-signature", NULL, NULL },
	{ "a signature Java refuses", CSI, CF_CERTPATH, "java-certpath",
	  VERDICT_FAIL, 0, "weak-signature java-certpath", NULL,
	  "Algorithm constraints check failed" },
	/* Java counts the certificates first: the handshake fails before
	 * any is checked (a real JDK 17.0.15 said so where the
	 * verification said "verified"). */
	{ "chain too long for Java 17", CSI, CF_LONG,
	  "chain-too-long", VERDICT_FAIL, 0, "", NULL,
	  "The server sends 11 certificates, and Java 17 takes at most 10" },
	{ "a trust store Java cannot load", CSI, CF_STORE,
	  "truststore-unreadable", VERDICT_FAIL, 0, "", NULL, "Java cannot "
	  "use /etc/trust.jks as its trust store: not a keystore." },
	{ "a keystore's password check failed, no --storepass", CSI,
	  CF_STORE_PASS, "truststore-password cert-ok", VERDICT_WARN, 1, "",
	  NULL, "failed with the default password \"changeit\" (JKS)" },
	{ "no trust store at all", CSI, CF_NO_STORE, "truststore-missing "
	  "cert-untrusted import-ca ssl-trust-last-resort", VERDICT_FAIL, 0,
	  "untrusted", NULL, "does not end at a certificate in no trust "
	  "store" },
	{ "the handshake failed after the chain came", CSI, CF_LATE,
	  "tls-handshake-failed cert-ok", VERDICT_WARN, 1, "", NULL,
	  "after the server sent its certificates: alert 40." },
	{ "no TLS: no chain", CSI, CF_NO_TLS, "tls-unavailable", VERDICT_FAIL,
	  0, "", NULL, "No TLS connection to check: refused." },
	{ "TLS 1.3 only on a 2.28 build: not checked", CSI, CF_RAW_13,
	  "tls-version-unsupported-by-build", VERDICT_FAIL, 0, "", NULL,
	  "Not checked: The server accepts TLSv1.3 only; this build of "
	  "smtpwiz (mbed TLS 2.28.3) can complete TLS handshakes with TLSv1 "
	  "to TLSv1.2" },
	{ "an unknown Java profile", CSI, CF_JAVA_UNKNOWN,
	  "java-profile-unknown cert-ok", VERDICT_WARN, 1, "", NULL,
	  "No certificate rules for Java \"7\"" },
	{ "the leaf unreadable", CSI, CF_UNREADABLE, "cert-unreadable",
	  VERDICT_WARN, 0, "", NULL, "bad leaf: smtpwiz cannot judge" },
	{ "the runtime's cacerts lacks the CA", CSI, CF_JAVA_LACKS,
	  "java-cacerts-lacks-ca cert-ok", VERDICT_PASS, 1, "", NULL,
	  "keytool -importcert -alias test-root" },
};

static void
certj_entry(struct cert_entry *e, const char *subject, const char *issuer,
    long long nb, long long na, int ca)
{
	snprintf(e->subject, sizeof(e->subject), "%s", subject);
	snprintf(e->issuer, sizeof(e->issuer), "%s", issuer);
	e->parsed = 1;
	e->ca = ca;
	e->self_signed = strcmp(subject, issuer) == 0;
	e->not_before_t = nb;
	e->not_after_t = na;
	x509_time_text((time_t)nb, e->not_before);
	x509_time_text((time_t)na, e->not_after);
	e->days_left = (long)((na - NOW) / DAY);
}

/* The facts cert_facts.c would record for case c. */
static void
certj_facts(struct cert_data *d, unsigned f)
{
	struct cert_entry *leaf = &d->chain[0];
	long long nb = NOW - 100 * DAY, na = NOW + 300 * DAY;
	size_t i;

	d->available = 1;
	snprintf(d->host, sizeof(d->host), "mail.example");
	d->port = 465;
	d->mode = MODE_SSL;
	snprintf(d->java_profile, sizeof(d->java_profile), "17");
	snprintf(d->store_kind, sizeof(d->store_kind), "pem");
	snprintf(d->store_what, sizeof(d->store_what), "the PEM file");
	snprintf(d->store_path, sizeof(d->store_path), "/etc/ca.pem");
	d->now = NOW;
	d->ordered = 1;
	d->not_ca = -1;
	d->ca_idx = -1;
	d->leaf_server_auth = 1;
	d->host_result = HOST_MATCH;
	if (f & CF_EXPIRED)
		na = NOW - 5 * DAY;
	if (f & CF_NOTYET)
		nb = NOW + 2 * DAY;
	if (f & CF_SOON)
		na = NOW + 10 * DAY;
	if (f & (CF_SELF | CF_PINNED)) {
		certj_entry(leaf, "CN=mail.example", "CN=mail.example", nb, na,
		    0);
		d->nchain = d->npath = 1;
		d->trusted = f & CF_PINNED ? TRI_YES : TRI_NO;
		d->anchor_sent = d->top_self_signed = 1;
		if (f & CF_PINNED)
			snprintf(d->anchor, sizeof(d->anchor),
			    "CN=mail.example");
		else
			d->ca_idx = 0;
	} else if (f & CF_INCOMPLETE) {
		certj_entry(leaf, "CN=mail.example", "CN=Test Intermediate", nb,
		    na, 0);
		d->nchain = d->npath = 1;
		d->trusted = TRI_NO;
		snprintf(d->missing_issuer, sizeof(d->missing_issuer),
		    "CN=Test Intermediate");
	} else {
		certj_entry(leaf, "CN=mail.example", "CN=Test Intermediate", nb,
		    na, 0);
		certj_entry(&d->chain[1], "CN=Test Intermediate",
		    f & CF_UNTRUSTED ? "CN=Unknown Root" : "CN=Test Root",
		    NOW - 1000 * DAY, NOW + 1000 * DAY, 1);
		d->nchain = d->npath = 2;
		d->path[1] = 1;
		d->trusted = f & CF_UNTRUSTED ? TRI_NO : TRI_YES;
		if (f & CF_UNTRUSTED) {
			snprintf(d->missing_issuer, sizeof(d->missing_issuer),
			    "CN=Unknown Root");
			d->ca_idx = 1;
		} else
			snprintf(d->anchor, sizeof(d->anchor), "CN=Test Root");
	}
	if (d->ca_idx >= 0 || (f & CF_JAVA_LACKS))
		snprintf(d->fix_keytool, sizeof(d->fix_keytool), "keytool "
		    "-importcert -alias test-root -file ca.pem");
	d->java_lacks_anchor = (f & CF_JAVA_LACKS) != 0;
	snprintf(d->java_cacerts, sizeof(d->java_cacerts),
	    "/usr/lib/jvm/java-17/lib/security/cacerts");
	if (f & CF_MANY_SANS) {
		for (i = 0; i < CERT_SAN_MAX; i++)
			snprintf(leaf->san[i], sizeof(leaf->san[0]),
			    "DNS:n%zu.example", i);
		leaf->nsan = CERT_SAN_MAX;
		leaf->san_more = 40 - CERT_SAN_MAX;
	}
	if (f & CF_MISMATCH) {
		d->host_result = HOST_MISMATCH;
		snprintf(d->hostname_why, sizeof(d->hostname_why), "The "
		    "certificate is for smtp.example, not mail.example.");
	}
	if (f & CF_ADVICE) {
		snprintf(d->advice_name, sizeof(d->advice_name),
		    "smtp.example");
		snprintf(d->advice_addr, sizeof(d->advice_addr), "192.0.2.7");
	}
	if (f & (CF_WEAKKEY | CF_WEAKSIG | CF_CERTPATH)) {
		struct cert_issue *is = &d->issues[d->nissues++];

		is->key = (f & CF_WEAKKEY) != 0;
		is->fatal = (f & CF_CERTPATH) != 0;
		snprintf(is->text, sizeof(is->text), "Certificate 0 is %s.",
		    is->key ? "RSA 1024" : "signed with MD5");
	}
	if (f & CF_LONG)
		d->chain_more = 9;
	if (f & (CF_STORE | CF_STORE_PASS)) {
		struct cert_store_source *src = &d->sources[d->nsources++];

		snprintf(d->store_kind, sizeof(d->store_kind), "keystore");
		snprintf(d->store_path, sizeof(d->store_path),
		    "/etc/trust.jks");
		snprintf(src->path, sizeof(src->path), "/etc/trust.jks");
		snprintf(src->format, sizeof(src->format), "JKS");
		src->keystore = 1;
		src->loaded = (f & CF_STORE_PASS) != 0;
		src->ncerts = src->loaded ? 1 : 0;
		src->integrity_bad = (f & CF_STORE_PASS) != 0;
		snprintf(src->error, sizeof(src->error), "%s",
		    src->integrity_bad ? "integrity check failed" :
		    "not a keystore");
	}
	if (f & CF_NO_STORE) {
		snprintf(d->store_kind, sizeof(d->store_kind), "none");
		d->store_what[0] = d->store_path[0] = '\0';
		d->trusted = TRI_NO;
		d->ca_idx = 1;
		snprintf(d->missing_issuer, sizeof(d->missing_issuer),
		    "CN=Test Root");
		d->anchor[0] = '\0';
	}
	if (f & CF_LATE) {
		d->fetch = CERT_FETCH_LATE;
		snprintf(d->fetch_error, sizeof(d->fetch_error), "alert 40");
	}
	if (f & (CF_NO_TLS | CF_RAW_13)) {
		memset(d->chain, 0, sizeof(d->chain));
		d->available = 0;
		d->nchain = d->npath = 0;
		d->trusted = TRI_UNKNOWN;
		d->fetch = f & CF_NO_TLS ? CERT_FETCH_NO_TLS : CERT_FETCH_RAW;
		snprintf(d->fetch_error, sizeof(d->fetch_error), "%s",
		    f & CF_NO_TLS ? "refused" : "protocol version");
		d->raw_any = 1;
		snprintf(d->server_versions, sizeof(d->server_versions),
		    "TLSv1.3");
		snprintf(d->build_versions, sizeof(d->build_versions),
		    "TLSv1 to TLSv1.2");
		snprintf(d->tls_library, sizeof(d->tls_library),
		    "mbed TLS 2.28.3");
	}
	if (f & CF_UNREADABLE) {
		d->npath = 0;
		d->trusted = TRI_UNKNOWN;
		snprintf(d->unreadable, sizeof(d->unreadable), "bad leaf");
	}
}

/* The problem words of d, space-separated. */
static const char *
problem_words(const struct cert_data *d, char *buf, size_t cap)
{
	size_t o = 0;
	unsigned b;

	buf[0] = '\0';
	for (b = 0; b < CERT_PROBLEM_COUNT && o < cap; b++)
		if (d->problems & (1u << b))
			o += (size_t)snprintf(buf + o, cap - o, "%s%s",
			    o ? " " : "", cert_problem_name(b));
	return buf;
}

static int
some_message_says(const struct step_result *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strstr(r->findings[i].message, text) != NULL)
			return 1;
	return 0;
}

static void
test_cert_facts(void)
{
	size_t i;

	for (i = 0; i < sizeof(certj_cases) / sizeof(certj_cases[0]); i++) {
		const struct certj_case *c = &certj_cases[i];
		struct judge_run j;
		struct cert_data *d;
		char words[256];

		run_begin(&j, STEP_CERT, c->settings);
		if (strstr(c->name, "Angus") != NULL)
			j.set.lib = MAIL_LIB_ANGUS2;
		if (c->facts & CF_JAVA_UNKNOWN)
			j.env.opt.java = "7";
		d = &j.r->d.cert;
		certj_facts(d, c->facts);
		run_judge(&j, c->name, c->ids, c->verdict, c->suggest);
		CHECK(d->java_accepts == c->accepts);
		CHECK_STR(problem_words(d, words, sizeof(words)), c->problems);
		if (c->says != NULL) {
			printf("# says \"%s\"\n", c->says);
			CHECK(some_message_says(j.r, c->says));
		}
		/* The import command is shown only where a finding uses it. */
		CHECK(strcmp(d->keytool, result_find(j.r, "import-ca") ||
		    result_find(j.r, "java-cacerts-lacks-ca") ?
		    d->fix_keytool : "") == 0);
		CHECK(d->store_fails == ((c->facts & CF_STORE) != 0));
		if (!(c->facts & (CF_UNREADABLE | CF_NO_TLS | CF_RAW_13)))
			CHECK(d->hostname_match == (c->facts & CF_MISMATCH ?
			    TRI_NO : TRI_YES));
		run_end(&j);
	}
}

/* Step 2: the chain sent, files of tests/data/jks. */
struct cert_case {
	const char	*name;
	const char	*settings;
	const char	*chain;		/* "ca.pem two.pem" */
	const char	*ids;
	enum verdict	 verdict;
};

static const struct cert_case cert_cases[] = {
	{ "the trusted CA itself, named otherwise", "", "ca.pem",
	  "cert-self-signed hostname-mismatch cert-pinned cert-ok",
	  VERDICT_WARN },
	{ "the same, its name checked",
	  "mail.smtp.ssl.checkserveridentity=true", "ca.pem",
	  "cert-self-signed hostname-mismatch cert-pinned", VERDICT_FAIL },
	{ "an untrusted self-signed certificate", "", "two.pem",
	  "cert-self-signed cert-untrusted import-ca ssl-trust-last-resort "
	  "hostname-mismatch", VERDICT_FAIL },
	{ "untrusted, ssl.trust=*", "mail.smtp.ssl.trust=*", "two.pem",
	  "cert-self-signed cert-untrusted hostname-mismatch ssl-trust-set "
	  "cert-ok", VERDICT_WARN },
	{ "the CA and another", "", "ca.pem two.pem",
	  "cert-self-signed hostname-mismatch chain-extra cert-pinned "
	  "cert-ok", VERDICT_WARN },
};

struct der_list {
	unsigned char	*der[4];
	size_t		 len[4];
	size_t		 n;
};

static enum sw_err
der_add(void *arg, const unsigned char *der, size_t len)
{
	struct der_list *l = arg;

	if (l->n == 4 || (l->der[l->n] = malloc(len)) == NULL)
		abort();
	memcpy(l->der[l->n], der, len);
	l->len[l->n++] = len;
	return SW_OK;
}

/* The certificates of the files in names, in order. */
static void
der_read(struct der_list *l, const char *names)
{
	char buf[256], path[512], *p, *save = NULL, *text;
	size_t n;

	snprintf(buf, sizeof(buf), "%s", names);
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		snprintf(path, sizeof(path), "tests/data/jks/%s", p);
		if ((text = slurp(path, &n)) == NULL ||
		    x509_pem_each(text, n, der_add, l, NULL, NULL) != SW_OK)
			abort();
		free(text);
	}
}

/* judge_ids() less java-cacerts-lacks-ca, given only where a Java's
 * cacerts was found (this machine's, not the test's). */
static const char *
cert_ids(const struct step_result *r, char *buf, size_t cap)
{
	static const char drop[] = " java-cacerts-lacks-ca";
	char *p;

	judge_ids(r, buf, cap);
	if ((p = strstr(buf, drop)) != NULL)
		memmove(p, p + strlen(drop), strlen(p + strlen(drop)) + 1);
	return buf;
}

static void
test_cert(void)
{
	size_t i, k;

	for (i = 0; i < sizeof(cert_cases) / sizeof(cert_cases[0]); i++) {
		const struct cert_case *c = &cert_cases[i];
		struct der_list l = { .n = 0 };
		struct sw_error e = { 0 };
		struct judge_run j;
		char ids[512];

		run_begin(&j, STEP_CERT, c->settings);
		j.env.opt.cafile = "tests/data/jks/ca.pem";
		j.env.cancel_fd = -1;
		der_read(&l, c->chain);
		CHECK(cert_judge_chain(&j.env, "localhost", 465, MODE_SSL,
		    (const unsigned char *const *)l.der, l.len, l.n, j.r,
		    &e) == SW_OK);
		printf("# %s\n", c->name);
		CHECK_STR(cert_ids(j.r, ids, sizeof(ids)), c->ids);
		CHECK_STR(verdict_name(j.r->verdict), verdict_name(c->verdict));
		for (k = 0; k < l.n; k++)
			free(l.der[k]);
		run_end(&j);
	}
}

/* Step 3: accepted per version, SSLv3 .. TLSv1.3: Y, N, ? (unknown). */
struct proto_case {
	const char	*name;
	const char	*settings;
	const char	*accepted;
	int		 downgrade;	/* TLSv1.2's answer has the marker */
	const char	*ids;
	enum verdict	 verdict;
	const char	*suggest;
	const char	*recommended;	/* d->recommended */
};

static const struct proto_case proto_cases[] = {
	{ "TLSv1.2 and 1.3", "", "NNNYY", 0, "protocols-recommended",
	  VERDICT_PASS, "protocols-recommended:mail.smtp.ssl.protocols=TLSv1.3",
	  "TLSv1.3" },
	{ "TLSv1.2 only", "", "NNNYN", 0, "protocols-recommended",
	  VERDICT_PASS, "protocols-recommended:mail.smtp.ssl.protocols=TLSv1.2",
	  "TLSv1.2" },
	{ "legacy only: TLSv1 and 1.1", "", "NYYNN", 0,
	  "insecure-versions-accepted no-common-protocol", VERDICT_FAIL,
	  NULL, "" },
	{ "everything up to TLSv1.2", "", "YYYYN", 0,
	  "insecure-versions-accepted protocols-recommended", VERDICT_WARN,
	  NULL, "TLSv1.2" },
	{ "nothing accepted", "", "NNNNN", 0, "no-tls-version", VERDICT_FAIL,
	  NULL, "" },
	{ "nothing known", "", "?????", 0, "tls-unknown", VERDICT_FAIL, NULL,
	  "" },
	{ "two versions unknown", "", "NN?Y?", 0,
	  "versions-unknown protocols-recommended", VERDICT_WARN, NULL,
	  "TLSv1.2" },
	{ "the TLS 1.3 downgrade marker, TLSv1.3 refused", "", "NNNYN", 1,
	  "tls13-inconsistent protocols-recommended", VERDICT_WARN, NULL,
	  "TLSv1.2" },
	{ "protocols set to TLSv1.1 alone", "mail.smtp.ssl.protocols=TLSv1.1",
	  "NNNYY", 0, "no-common-protocol", VERDICT_FAIL, NULL, "TLSv1.3" },
};

/* How messages name the Java judged with (the JSON keeps the id). */
static void
test_java_label(void)
{
	char b[320];

	CHECK_STR(tls_steps_java_label("17", b, sizeof(b)), "Java 17");
	CHECK_STR(tls_steps_java_label("8u202+file", b, sizeof(b)),
	    "Java 8u202 with its java.security");
	CHECK_STR(tls_steps_java_label("/tmp/j.profile", b, sizeof(b)),
	    "the Java of the profile /tmp/j.profile");
	CHECK_STR(tls_steps_java_label("+file", b, sizeof(b)), "Java +file");
}

static void
test_proto(void)
{
	size_t i;
	int k;

	for (i = 0; i < sizeof(proto_cases) / sizeof(proto_cases[0]); i++) {
		const struct proto_case *c = &proto_cases[i];
		struct judge_run j;
		struct proto_data *d;

		run_begin(&j, STEP_PROTO, c->settings);
		d = &j.r->d.proto;
		d->available = 1;
		for (k = 0; k < TLS_NVERS; k++) {
			struct proto_version *v = &d->v[k];

			v->version = (uint16_t)(HELLO_SSL3 + k);
			v->secure = v->version >= HELLO_TLS12;
			v->accepted = c->accepted[k] == 'Y' ? TRI_YES :
			    c->accepted[k] == 'N' ? TRI_NO : TRI_UNKNOWN;
			snprintf(v->why, sizeof(v->why), "%s",
			    v->accepted == TRI_NO ? "handshake_failure" :
			    v->accepted == TRI_UNKNOWN ? "421 too many" : "");
		}
		if (c->downgrade)
			d->v[3].downgrade = HELLO_TLS13;
		run_judge(&j, c->name, c->ids, c->verdict, c->suggest);
		CHECK_STR(d->recommended, c->recommended);
		run_end(&j);
	}
}

/* Step 4: accepted as for step 3; the suites of TLSv1.2 and 1.3 (hex). */
struct cipher_case {
	const char	*name;
	const char	*settings;
	const char	*accepted;
	const char	*tls12, *tls13;
	enum tri	 complete;	/* TLSv1.2's list */
	enum tri	 order;		/* the server imposes its order */
	const char	*ids;
	enum verdict	 verdict;
	const char	*java_suite;	/* d->java_suite_name */
};

static const struct cipher_case cipher_cases[] = {
	{ "strong suites, the client's order", "", "NNNYY", "C02F C030",
	  "1301 1302", TRI_YES, TRI_NO, "client-order java-negotiates",
	  VERDICT_PASS, "TLS_AES_256_GCM_SHA384" },
	{ "weak and insecure suites too, the server's order", "", "NNNYN",
	  "C02F 000A 0005", "", TRI_YES, TRI_YES,
	  "weak-suites-accepted server-order java-negotiates", VERDICT_WARN,
	  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ "3DES alone", "", "NNNYN", "000A", "", TRI_YES, TRI_UNKNOWN,
	  "weak-suites-accepted no-common-suite", VERDICT_FAIL, "" },
	{ "TLSv1.2's list incomplete", "", "NNNYN", "C02F", "", TRI_NO,
	  TRI_NO, "suites-incomplete client-order java-negotiates",
	  VERDICT_WARN, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ "nothing accepted", "", "NNNNN", "", "", TRI_YES, TRI_UNKNOWN,
	  "no-tls-version", VERDICT_FAIL, "" },
	{ "nothing known", "", "?????", "", "", TRI_YES, TRI_UNKNOWN,
	  "tls-unknown", VERDICT_FAIL, "" },
	{ "the suites set match none",
	  "mail.smtp.ssl.ciphersuites=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
	  "NNNYN", "C02F C030", "", TRI_YES, TRI_NO,
	  "client-order no-common-suite", VERDICT_FAIL, "" },
};

/* The suites in hex, "C02F C030", into v, named and graded by reg. */
static void
suites_into(struct cipher_version *v, const char *hex,
    const struct suites *reg)
{
	const char *p = hex;
	char *end;

	while (*p != '\0' && v->nsuites < CIPHER_SUITES_MAX) {
		struct cipher_entry *e = &v->suites[v->nsuites++];
		const struct suite *s;

		e->id = (uint16_t)strtoul(p, &end, 16);
		if ((s = suites_by_id(reg, e->id)) == NULL)
			abort();
		snprintf(e->iana, sizeof(e->iana), "%s", s->iana);
		snprintf(e->grade, sizeof(e->grade), "%s",
		    suite_grade_name(s->grade));
		p = end + strspn(end, " ");
	}
}

static void
test_cipher(void)
{
	struct suites *reg = NULL;
	struct sw_error e = { 0 };
	size_t i;
	int k;

	if (suites_load(&reg, &e) != SW_OK) {
		printf("# %s\n", sw_error_text(&e));
		abort();
	}
	for (i = 0; i < sizeof(cipher_cases) / sizeof(cipher_cases[0]); i++) {
		const struct cipher_case *c = &cipher_cases[i];
		struct judge_run j;
		struct cipher_data *d;

		run_begin(&j, STEP_CIPHER, c->settings);
		d = &j.r->d.ciphers;
		d->available = 1;
		for (k = 0; k < TLS_NVERS; k++) {
			struct cipher_version *v = &d->v[k];

			v->version = (uint16_t)(HELLO_SSL3 + k);
			v->accepted = c->accepted[k] == 'Y' ? TRI_YES :
			    c->accepted[k] == 'N' ? TRI_NO : TRI_UNKNOWN;
			v->complete = TRI_YES;
			v->server_order = v->accepted == TRI_YES ? c->order :
			    TRI_UNKNOWN;
			snprintf(v->why, sizeof(v->why), "%s",
			    v->accepted == TRI_UNKNOWN ? "421 too many" : "");
		}
		suites_into(&d->v[3], c->tls12, reg);
		suites_into(&d->v[4], c->tls13, reg);
		d->v[3].complete = c->complete;
		d->server_order = c->order;
		run_judge(&j, c->name, c->ids, c->verdict, NULL);
		CHECK_STR(d->java_suite_name, c->java_suite);
		run_end(&j);
	}
	suites_free(reg);
}

int
main(void)
{
	setenv("SMTPWIZ_ASSETS", "assets", 0);
	test_conn();
	test_cert_facts();
	test_cert();
	test_java_label();
	test_proto();
	test_cipher();
	return tap_done();
}
