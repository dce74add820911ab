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
 * This file runs the step: the settings and the trust store, then the
 * chain.  Getting the chain is cert_fetch.c's job (also when the
 * linked mbedTLS cannot complete a handshake with the server),
 * recording what it says cert_facts.c's, judging those facts
 * cert_judge.c's (pure), the fixes are cert_fix.c's, the report
 * cert_render.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "javaprof.h"
#include "javart.h"
#include "cert_int.h"
#include "sanitize.h"

/* Java's default limit on a server's chain (SSLConfiguration). */

void
cert_chain_free(struct cert_chain *ch)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		free(ch->der[i]);
	ch->n = 0;
	ch->dropped = 0;
}

int
cert_chain_add(struct cert_chain *ch, const unsigned char *der, size_t len)
{
	if (ch->n >= CHAIN_MAX) {
		ch->dropped++;
		return 0;
	}
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

/* ---- the trust store ---------------------------------------------------- */

/* The store's relation to the Java runtime, copied into the data. */
static void
report_java_fields(struct cert_run *x)
{
	const struct truststore *ts = &x->ts;
	struct cert_data *d = x->d;

	d->store_java_default = ts->java_default;
	d->store_not_java = ts->not_java;
	d->store_needs_java_setting = ts->needs_java_setting;
	cert_clean(d->store_java_setting, sizeof(d->store_java_setting),
	    ts->java_setting);
	if (ts->java_cacerts[0] == '\0')
		return;
	cert_clean(d->java_cacerts, sizeof(d->java_cacerts), ts->java_cacerts);
	snprintf(d->java_source, sizeof(d->java_source), "%s", ts->java_source);
	cert_clean(d->java_home, sizeof(d->java_home), ts->java_home);
	snprintf(d->java_version, sizeof(d->java_version), "%s",
	    ts->java_version);
	d->java_jsse = ts->java_jsse;
}

/* The store as loaded: its sources (cert_judge() says what is wrong). */
static void
report_store(struct cert_run *x)
{
	const struct truststore *ts = &x->ts;
	struct cert_data *d = x->d;
	const struct truststore_source *s;
	size_t i;

	report_java_fields(x);
	d->store_password_given = ts->password_given;
	for (i = 0; i < ts->nsrc && i < CERT_STORE_SOURCES; i++) {
		struct cert_store_source *o = &d->sources[d->nsources++];

		s = &ts->src[i];
		snprintf(o->path, sizeof(o->path), "%s", s->path);
		snprintf(o->error, sizeof(o->error), "%s", s->error);
		o->keystore = s->kind == TS_KEYSTORE;
		o->system = s->kind == TS_SYSTEM;
		o->loaded = s->loaded;
		o->ncerts = s->ncerts;
		o->nbad = s->nbad;
		o->over = s->over;
		if (o->keystore) {
			snprintf(o->format, sizeof(o->format), "%s",
			    s->ks.format);
			o->integrity_bad = s->ks.integrity == KS_INTEGRITY_BAD;
		}
		o->nignored = s->ks.nignored;
	}
	if (ts->nsrc == 0) {
		snprintf(d->store_kind, sizeof(d->store_kind), "none");
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
	if (s->error[0] != '\0')
		cert_clean(d->store_error, sizeof(d->store_error), s->error);
}

/* One line telling where Java's trust comes from, and what to do. */
static void
report_java_store(struct cert_run *x)
{
	const struct truststore *ts = &x->ts;
	const struct cert_data *d = x->d;
	char where[900], version[48] = "";
	const char *file = ts->java_jsse ? "jssecacerts (read instead of "
	    "cacerts when present)" : "cacerts";

	if (ts->java_version[0] != '\0')
		snprintf(version, sizeof(version), ", Java %s",
		    d->java_version);
	if (ts->java_cacerts[0] == '\0')
		snprintf(where, sizeof(where), "No Java runtime was found here "
		    "(JAVA_HOME is not set and there is no java on PATH); Java "
		    "reads $JAVA_HOME/lib/security/cacerts (Java 8: "
		    "jre/lib/security/cacerts).");
	else if (strcmp(ts->java_cacerts, ts->java_cacerts_real) != 0)
		cert_put(where, sizeof(where), "The Java runtime found here "
		    "(%s: %s%s) reads %s (a link to %s), its %s.",
		    ts->java_source, d->java_home, version, d->java_cacerts,
		    ts->java_cacerts_real, file);
	else
		cert_put(where, sizeof(where), "The Java runtime found here "
		    "(%s: %s%s) reads %s, its %s.", ts->java_source,
		    d->java_home, version, d->java_cacerts, file);
	if (ts->java_default)
		result_add(x->r, "truststore", SEV_INFO, "Trust store: the one "
		    "Java uses by default (%zu certificate%s). %s Java uses "
		    "another only when started with "
		    "-Djavax.net.ssl.trustStore; then check with --truststore "
		    "FILE.", d->store_certs, d->store_certs == 1 ? "" : "s",
		    where);
	else if (ts->java_cacerts_used)
		result_add(x->r, "truststore", SEV_INFO, "Trust store: %s, "
		    "the Java runtime's own (%zu certificate%s). %s",
		    d->store_path, d->store_certs, d->store_certs == 1 ? "" :
		    "s", where);
	else if (ts->not_java)
		result_add(x->r, "truststore", SEV_INFO, "Trust store: %s %s "
		    "(%zu certificate%s). Java does not read the system "
		    "bundle: by default it trusts only its own cacerts "
		    "keystore. %s",
		    d->store_what, d->store_path, d->store_certs,
		    d->store_certs == 1 ? "" : "s", where);
	else
		result_add(x->r, "truststore", SEV_INFO, "Trust store: %s %s "
		    "(%zu certificate%s), given on the command line. Java does "
		    "not read it by itself: by default it trusts only its own "
		    "cacerts. %s", d->store_what, d->store_path,
		    d->store_certs, d->store_certs == 1 ? "" : "s", where);
	if (ts->needs_java_setting)
		result_add(x->r, "truststore-java-setting", SEV_INFO, "Java "
		    "must be given this trust store, or it judges the server "
		    "by its own cacerts instead: %s.", d->store_java_setting);
}

/* ---- the step ----------------------------------------------------------- */

/*
 * The profile's certpath rules from assets/java (and the user's
 * java.security); without the assets there are none to apply, and
 * certpath.c gives only smtpwiz's own warnings (d->profile_failed).
 */
static void
load_profile(struct cert_run *x)
{
	const char *file = x->env->opt.java_security;
	struct sw_error e = { 0 };
	int applied;

	snprintf(x->d->certpath_rules, sizeof(x->d->certpath_rules),
	    "none: the Java profiles could not be loaded");
	if (suites_load(&x->reg, &e) != SW_OK ||
	    javaprof_load(x->reg, x->prof->name, &x->jp, &e) != SW_OK) {
		javaprof_free(x->jp);
		x->jp = NULL;
		x->d->profile_failed = 1;
		snprintf(x->d->profile_error, sizeof(x->d->profile_error),
		    "%s", sw_error_text(&e));
		return;
	}
	cert_put(x->d->certpath_rules, sizeof(x->d->certpath_rules), "%s",
	    javaprof_source(x->jp));
	if (file == NULL && x->env->opt.runtime == NULL)
		return;
	sw_error_clear(&e);
	if (javart_apply(x->jp, file, x->env->opt.runtime, &applied, &e) !=
	    SW_OK) {
		x->d->profile_failed = 2;
		snprintf(x->d->profile_error, sizeof(x->d->profile_error),
		    "%s", sw_error_text(&e));
	} else
		cert_put(x->d->certpath_rules,
		    sizeof(x->d->certpath_rules), "%s",
		    javaprof_source(x->jp));
}

static void
settings_view(struct cert_run *x)
{
	struct cert_data *d = x->d;

	cert_judge_settings(d, x->env->set);
	x->prof = cert_profile(x->env, NULL);
	snprintf(d->java_profile, sizeof(d->java_profile), "%s",
	    x->prof->name);
	load_profile(x);
}

static enum sw_err
analyse(struct cert_run *x, struct sw_error *err)
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
	x->d->chain_more = x->ch.dropped;
	if (rc != SW_OK)
		cert_facts_unreadable(x, sw_error_text(&e));
	else {
		cert_facts(x);
		/* The files to import first: the judge names them. */
		cert_save_files(x);
		cert_make_keytool(x);
	}
	return SW_OK;
}

static void
report_saved(struct cert_run *x)
{
	const struct cert_data *d = x->d;

	if (d->saved_chain[0] == '\0')
		return;
	result_add(x->r, "chain-saved", SEV_INFO, "Saved the chain as sent "
	    "(%zu certificate%s, PEM) to %s%s%s.", x->ch.n, x->ch.n == 1 ?
	    "" : "s", d->saved_chain, d->saved_ca[0] ? " and the CA to "
	    "import to " : "", d->saved_ca);
}

/* The step's data before the chain is read: target and settings. */
static void
start(struct cert_run *x)
{
	cert_clean(x->d->host, sizeof(x->d->host), x->host);
	x->d->port = x->port;
	x->d->mode = x->mode;
	x->d->trusted = x->d->hostname_match = TRI_UNKNOWN;
	x->d->ca_idx = x->d->not_ca = -1;
	settings_view(x);
}

static void
finish(struct cert_run *x)
{
	truststore_free(&x->ts);
	javaprof_free(x->jp);
	suites_free(x->reg);
	cert_chain_free(&x->ch);
	free(x->info);
	free(x->path);
}

enum sw_err
cert_probe(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct cert_run x;
	const char *why;
	enum sw_err rc;

	memset(&x, 0, sizeof(x));
	x.env = env;
	x.r = r;
	x.d = &r->d.cert;
	x.now = time(NULL);
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
	start(&x);
	if ((rc = truststore_load_rt(&x.ts, env->opt.cafile,
	    env->opt.truststore, env->opt.storepass, env->opt.runtime,
	    err)) != SW_OK)
		goto out;
	report_store(&x);
	if ((rc = cert_fetch(&x, err)) != SW_OK)
		goto out;
	if (x.ch.n > 0 && (rc = analyse(&x, err)) != SW_OK)
		goto out;
	cert_judge(r, env);
	report_saved(&x);
	report_java_store(&x);
	if (r->verdict == VERDICT_SKIPPED)
		r->verdict = VERDICT_PASS;
out:
	finish(&x);
	return rc;
}

/*
 * The verification's view of step 2: the chain one handshake got,
 * judged with env->set (the final block) as step 2 judges the chain it
 * fetched.  No file is written and nothing is fetched.
 */
enum sw_err
cert_judge_chain(const struct probe_env *env, const char *host,
    unsigned port, enum smtp_mode mode, const unsigned char *const *der,
    const size_t *len, size_t n, struct step_result *r, struct sw_error *err)
{
	struct probe_env quiet = *env;
	struct cert_run x;
	size_t i;
	enum sw_err rc;

	quiet.opt.save_chain = NULL;
	memset(&x, 0, sizeof(x));
	memset(r, 0, sizeof(*r));
	r->step = STEP_CERT;
	x.env = &quiet;
	x.r = r;
	x.d = &r->d.cert;
	x.now = time(NULL);
	snprintf(x.host, sizeof(x.host), "%s", host);
	x.port = port;
	x.mode = mode;
	start(&x);
	rc = truststore_load_rt(&x.ts, env->opt.cafile, env->opt.truststore,
	    env->opt.storepass, env->opt.runtime, err);
	if (rc == SW_OK)
		report_store(&x);
	for (i = 0; rc == SW_OK && i < n; i++)
		if (cert_chain_add(&x.ch, der[i], len[i]) != 0)
			rc = sw_fail(err, SW_ENOMEM, "out of memory");
	if (rc == SW_OK && x.ch.n > 0)
		rc = analyse(&x, err);
	if (rc == SW_OK)
		cert_judge(r, &quiet);
	if (r->verdict == VERDICT_SKIPPED)
		r->verdict = VERDICT_PASS;
	finish(&x);
	return rc;
}
