/*
 * The Java side of steps 3 and 4: loads every built-in Java profile
 * and the selected one with the user's java.security, negotiates each
 * with what the sweep found (javaprof.c) into the table the report
 * shows, and writes the finding for a selected profile that cannot
 * talk to the server, with the mail.smtp.* settings -- or, when no
 * setting is enough, the java.security edit -- that make it work.
 * tls_steps.c runs the steps, proto_probe.c and cipher_probe.c call this.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "javaprof.h"
#include "javart.h"
#include "javasec.h"
#include "probe.h"
#include "tls_steps_int.h"
#include "suites.h"

void
java_free(struct java_set *js)
{
	size_t i;

	for (i = 0; i < js->n; i++)
		javaprof_free(js->p[i]);
	js->n = 0;
}

/*
 * Every built-in profile for the table, and the selected one (--java)
 * with the user's java.security (--java-security) when given, as an
 * extra row.  Problems become findings; js->sel < 0 when nothing could
 * be loaded.
 */
static void
java_load_profiles(const struct probe_env *env, struct suites *reg,
    struct java_set *js, struct step_result *r)
{
	const char *want = env->opt.java ? env->opt.java : JAVAPROF_DEFAULT;
	const char *const *names;
	struct sw_error e = { 0 };
	size_t n, i;
	int applied = 0;

	memset(js, 0, sizeof(*js));
	js->sel = -1;
	js->reg = reg;
	/* Unset, the -Djdk.tls.client.* of the application's Java apply. */
	if ((js->client.protocols = settings_get(env->set,
	    "mail.smtp.ssl.protocols")) == NULL)
		js->client.protocols = javart_client_default(env->opt.runtime,
		    0, js->dflt_protocols, sizeof(js->dflt_protocols));
	if ((js->client.ciphersuites = settings_get(env->set,
	    "mail.smtp.ssl.ciphersuites")) == NULL)
		js->client.ciphersuites = javart_client_default(
		    env->opt.runtime, 1, js->dflt_suites,
		    sizeof(js->dflt_suites));
	if (reg == NULL)
		return;
	names = javaprof_names(&n);
	for (i = 0; i < n && js->n < JAVA_VERDICTS_MAX - 1; i++) {
		sw_error_clear(&e);
		if (javaprof_load(reg, names[i], &js->p[js->n], &e) != SW_OK) {
			result_add(r, "java-profile-missing", SEV_WARN, "Java "
			    "profile %s could not be loaded: %s", names[i],
			    sw_error_text(&e));
			continue;
		}
		if (strcmp(names[i], want) == 0)
			js->sel = (int)js->n;
		js->n++;
	}
	/* --java FILE (--java-from-debug-log): the user's own profile. */
	if (js->sel < 0 && strchr(want, '/') != NULL) {
		sw_error_clear(&e);
		if (javaprof_load(reg, want, &js->p[js->n], &e) == SW_OK)
			js->sel = (int)js->n++;
		else
			result_add(r, "java-profile-missing", SEV_WARN, "%s",
			    sw_error_text(&e));
	}
	if (js->sel < 0 && js->n > 0) {
		result_add(r, "java-profile-unknown", SEV_WARN, "There is no "
		    "Java profile \"%s\"; using %s.", want,
		    javaprof_name(js->p[js->n - 1]));
		js->sel = (int)js->n - 1;
	}
	if ((env->opt.java_security == NULL && env->opt.runtime == NULL) ||
	    js->sel < 0)
		return;
	sw_error_clear(&e);
	if (javaprof_load(reg, javaprof_name(js->p[js->sel]), &js->p[js->n],
	    &e) != SW_OK)
		js->p[js->n] = NULL;
	else if (javart_apply(js->p[js->n], env->opt.java_security,
	    env->opt.runtime, &applied, &e) == SW_OK && !applied)
		sw_fail(&e, SW_EFILE, "%s reads no java.security smtpwiz "
		    "could find", env->opt.runtime->home);
	if (js->p[js->n] == NULL || !applied) {
		result_add(r, "java-security-unreadable", SEV_FAIL, "%s: the "
		    "verdict below uses the built-in profile instead.",
		    sw_error_text(&e));
		javaprof_free(js->p[js->n]);
		js->p[js->n] = NULL;
		return;
	}
	js->custom[js->n] = 1;
	js->sel = (int)js->n++;
}

void
java_load(const struct probe_env *env, struct suites *reg,
    struct java_set *js, struct step_result *r)
{
	const char *rp;
	char dp[128];

	java_load_profiles(env, reg, js, r);
	/* -Djdk.tls.client.protocols also narrows the default suites. */
	rp = javart_client_default(env->opt.runtime, 0, dp, sizeof(dp));
	if (rp != NULL && js->sel >= 0 && js->client.ciphersuites == NULL &&
	    settings_get(env->set, "mail.smtp.ssl.ciphersuites") == NULL)
		js->client.ciphersuites = javaprof_default_suites_for(
		    js->p[js->sel], rp, js->dflt_suites,
		    sizeof(js->dflt_suites));
}

/* Versions joined by spaces, highest first. */
void
java_versions_text(const uint16_t *v, size_t n, char *buf, size_t cap)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "",
		    hello_version_name(v[i]));
}

static const char *
suite_iana(const struct suites *reg, uint16_t id, char *buf, size_t cap)
{
	const struct suite *s = reg ? suites_by_id(reg, id) : NULL;

	if (s != NULL)
		return s->iana;
	snprintf(buf, cap, "0x%04X", id);
	return buf;
}

/* One row of the table from a negotiation. */
static void
verdict_fill(const struct java_set *js, size_t i,
    const struct javaprof_result *res, struct java_verdict *jv)
{
	char hex[16];

	memset(jv, 0, sizeof(*jv));
	snprintf(jv->profile, sizeof(jv->profile), "%s%s",
	    javaprof_name(js->p[i]), js->custom[i] ? "+file" : "");
	snprintf(jv->title, sizeof(jv->title), "%s", js->custom[i] ?
	    javaprof_source(js->p[i]) : javaprof_title(js->p[i]));
	java_versions_text(res->offer.versions, res->offer.nversions,
	    jv->enabled, sizeof(jv->enabled));
	jv->ok = res->verdict == JAVAPROF_OK ? TRI_YES :
	    res->verdict == JAVAPROF_UNKNOWN ? TRI_UNKNOWN : TRI_NO;
	if (res->verdict == JAVAPROF_OK || res->verdict == JAVAPROF_UNKNOWN ||
	    res->verdict == JAVAPROF_NO_SUITE)
		jv->version = res->version;
	if (res->verdict == JAVAPROF_OK) {
		jv->suite = res->suite;
		snprintf(jv->suite_name, sizeof(jv->suite_name), "%s",
		    suite_iana(js->reg, res->suite, hex, sizeof(hex)));
	}
	snprintf(jv->why, sizeof(jv->why), "%.*s", (int)sizeof(jv->why) - 1,
	    res->message);
}

/*
 * Negotiates every profile against server s into jv[] (at most
 * JAVA_VERDICTS_MAX) and the selected one into *sel.  Returns the
 * number of rows.
 */
size_t
java_table(const struct java_set *js, const struct javaprof_server *s,
    struct java_verdict *jv, struct javaprof_result *sel)
{
	struct javaprof_result *res = malloc(sizeof(*res));
	struct sw_error e = { 0 };
	size_t i, rows = 0;

	if (res == NULL)
		return 0;
	for (i = 0; i < js->n; i++) {
		sw_error_clear(&e);
		if (javaprof_negotiate(js->p[i], &js->client, s, res, &e) !=
		    SW_OK)
			continue;
		verdict_fill(js, i, res, &jv[rows++]);
		if ((int)i == js->sel)
			*sel = *res;
	}
	free(res);
	return rows;
}

/* The "set:" lines of an advice. */
static void
suggest_advice(struct finding *f, const struct javaprof_advice *adv)
{
	if (adv->protocols[0] != '\0')
		finding_suggest(f, "mail.smtp.ssl.protocols", adv->protocols);
	if (adv->ciphersuites[0] != '\0')
		finding_suggest(f, "mail.smtp.ssl.ciphersuites",
		    adv->ciphersuites);
	else if (adv->remove_ciphersuites)
		finding_suggest(f, "mail.smtp.ssl.ciphersuites", "");
}

/* The whole sentences of text that fit in cap bytes (at least one cut
 * visibly when even the first does not). */
static const char *
sentences(const char *text, char *buf, size_t cap)
{
	size_t n = strlen(text), end = 0, i;

	if (n < cap) {
		memcpy(buf, text, n + 1);
		return buf;
	}
	for (i = 0; i + 1 < cap && i < n; i++)
		if (text[i] == '.' && (text[i + 1] == ' ' ||
		    text[i + 1] == '\0'))
			end = i + 1;
	if (end == 0) {
		snprintf(buf, cap, "%.*s...", (int)(cap - 4), text);
		return buf;
	}
	snprintf(buf, cap, "%.*s", (int)end, text);
	return buf;
}

/*
 * The finding for a selected profile that cannot talk to the server.
 * adv (NULL: none) says what works, or -- with suites known -- that
 * nothing on the Java side does (its message then repeats res's).
 * Without suites (step 3), an edit of java.security cannot be worked
 * out yet: step 4 does it.
 */
void
java_failure(struct step_result *r, const struct javaprof_result *res,
    const struct javaprof_advice *adv, int suites_known, const char *file)
{
	const char *id, *first = res->message, *last = "";
	struct finding *f;
	char why[240];

	switch (res->verdict) {
	case JAVAPROF_BAD_SETTING:	id = "java-bad-setting"; break;
	case JAVAPROF_NO_SUITE:		id = "no-common-suite"; break;
	default:			id = "no-common-protocol"; break;
	}
	if (adv != NULL && adv->works && adv->security_key[0] != '\0') {
		/* The whole new line is in the step data (java_edit): a
		 * finding holds a few sentences. */
		f = result_add(r, id, SEV_FAIL, "%s No mail.smtp.* setting "
		    "is enough. A java.security change makes it work but "
		    "LOWERS SECURITY: put only the new %s line (without "
		    "%.80s; shown with the step's data) into a file of its "
		    "own and start the application with "
		    "-Djava.security.properties=FILE, so that no other "
		    "application of this Java is touched (an edit of "
		    "$JAVA_HOME/%s would change them all), and set "
		    "mail.smtp.ssl.protocols=%s%s. Better: %s",
		    sentences(res->message, why, sizeof(why)),
		    adv->security_key, adv->security_removed, file,
		    adv->protocols, adv->ciphersuites[0] ? " and "
		    "mail.smtp.ssl.ciphersuites (suggested below)" : "",
		    adv->insecure ? "have the server accept TLSv1.2 or "
		    "TLSv1.3." : "have the server accept a suite Java "
		    "enables by default.");
		/* The line itself, on its own, for y to copy; only whole. */
		if (f != NULL && strlen(f->message) + strlen(adv->security_key)
		    + strlen(adv->security_value) + 3 < sizeof(f->message))
			snprintf(f->message + strlen(f->message),
			    sizeof(f->message) - strlen(f->message), "\n%s=%s",
			    adv->security_key, adv->security_value);
		suggest_advice(f, adv);
		return;
	}
	if (adv != NULL && adv->works)
		last = adv->message;
	else if (adv != NULL && suites_known)
		first = adv->message;
	else
		last = "Step 4 works out the exact change once the server's "
		    "cipher suites are known.";
	f = result_add(r, id, SEV_FAIL, "%s%s%s%s%s", first,
	    res->java_error[0] ? " Java reports: " : "", res->java_error,
	    last[0] ? " " : "", last);
	if (adv != NULL && adv->works)
		suggest_advice(f, adv);
}
