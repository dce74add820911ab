/*
 * Step 4's judge: the suites the sweep found (r->d.ciphers, filled by
 * cipher_probe.c) in, the findings out: the server's (no version,
 * incomplete lists, weak suites, whose order), what every Java profile
 * would negotiate (tls_steps_java.c) and, when only that helps, the
 * java.security edit.  No server: a test fills the data and calls
 * cipher_judge().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "javaprof.h"
#include "probe.h"
#include "suites.h"
#include "sweep.h"
#include "tls_steps_int.h"

/* The same server, with its suites, for javaprof; ids in ids[][]. */
static void
server_from_ciphers(const struct cipher_data *d,
    uint16_t ids[TLS_NVERS][CIPHER_SUITES_MAX],
    struct javaprof_server_version *sv, struct javaprof_server *s)
{
	size_t k;
	int i;

	s->v = sv;
	s->nv = 0;
	for (i = 0; i < TLS_NVERS; i++) {
		const struct cipher_version *v = &d->v[i];

		if (v->accepted != TRI_YES)
			continue;
		for (k = 0; k < v->nsuites; k++)
			ids[i][k] = v->suites[k].id;
		memset(&sv[s->nv], 0, sizeof(sv[0]));
		sv[s->nv].version = v->version;
		sv[s->nv].suites = ids[i];
		sv[s->nv].nsuites = v->nsuites;
		sv[s->nv].server_order = v->server_order == TRI_YES ? 1 :
		    v->server_order == TRI_NO ? 0 : -1;
		s->nv++;
	}
}

static void
cipher_server_findings(struct step_result *r, const struct cipher_data *d)
{
	char list[400];
	size_t k, o = 0, n = 0, yes = 0, unk = 0;
	int i;

	for (i = 0; i < TLS_NVERS; i++) {
		yes += d->v[i].accepted == TRI_YES;
		unk += d->v[i].accepted == TRI_UNKNOWN;
	}
	if (yes == 0 && unk > 0)
		result_add(r, "tls-unknown", unk == TLS_NVERS ? SEV_FAIL :
		    SEV_WARN, "No accepted TLS version is known, so no cipher "
		    "suite could be listed: %s.", d->v[4].accepted ==
		    TRI_UNKNOWN ? d->v[4].why : d->v[3].why);
	else if (yes == 0)
		result_add(r, "no-tls-version", SEV_FAIL, "The server accepts "
		    "no TLS version, so it has no cipher suite either.");
	for (i = 0; i < TLS_NVERS; i++) {
		const struct cipher_version *v = &d->v[i];

		if (v->accepted == TRI_YES && v->complete != TRI_YES)
			result_add(r, "suites-incomplete", SEV_WARN, "The list "
			    "of %s suites may be incomplete: %s. Suites not "
			    "listed are unknown, not refused.",
			    hello_version_name(v->version), v->incomplete_why[0] ?
			    v->incomplete_why : "some probes got no answer");
		for (k = 0; k < v->nsuites; k++) {
			const struct cipher_entry *e = &v->suites[k];

			if (strcmp(e->grade, "weak") != 0 &&
			    strcmp(e->grade, "insecure") != 0)
				continue;
			if (n++ < 6 && o < sizeof(list))
				o += (size_t)snprintf(list + o,
				    sizeof(list) - o, "%s%s (%s)",
				    n > 1 ? ", " : "", e->iana,
				    hello_version_name(v->version));
		}
	}
	if (n > 0)
		result_add(r, "weak-suites-accepted", SEV_WARN, "The server "
		    "accepts %zu weak or insecure cipher suite%s: %s%s. Java "
		    "does not use them by default; the server should drop "
		    "them.", n, n == 1 ? "" : "s", list, n > 6 ? ", ..." : "");
	if (d->server_order == TRI_YES)
		result_add(r, "server-order", SEV_INFO, "The server imposes "
		    "its own cipher-suite order: it picks the first suite of "
		    "its list that the client offers.");
	else if (d->server_order == TRI_NO)
		result_add(r, "client-order", SEV_INFO, "The server follows "
		    "the client's order: Java's own preference decides which "
		    "suite is used.");
}

static const char *
grade_of(const struct cipher_data *d, uint16_t v, uint16_t id)
{
	const struct cipher_version *cv = &d->v[SWEEP_VIDX(v)];
	size_t k;

	for (k = 0; k < cv->nsuites; k++)
		if (cv->suites[k].id == id)
			return cv->suites[k].grade;
	return "";
}

static void
cipher_java(const struct probe_env *env, struct step_result *r,
    struct cipher_data *d, struct suites *reg)
{
	uint16_t (*ids)[CIPHER_SUITES_MAX] = calloc(TLS_NVERS, sizeof(*ids));
	struct javaprof_server_version sv[TLS_NVERS];
	struct javaprof_server s;
	struct javaprof_result *sel = calloc(1, sizeof(*sel));
	struct javaprof_advice *adv = calloc(1, sizeof(*adv));
	struct java_set js;
	struct sw_error e = { 0 };
	const char *grade;
	char label[320];	/* tls_steps_java_label() */
	int have_adv;

	java_load(env, reg, &js, r);
	if (js.sel < 0 || ids == NULL || sel == NULL || adv == NULL)
		goto out;
	server_from_ciphers(d, ids, sv, &s);
	d->njava = java_table(&js, &s, d->java, sel);
	snprintf(d->java_profile, sizeof(d->java_profile), "%s%s",
	    javaprof_name(js.p[js.sel]), js.custom[js.sel] ? "+file" : "");
	if (s.nv == 0)
		goto out;
	if (sel->verdict == JAVAPROF_OK) {
		d->java_version = sel->version;
		d->java_suite = sel->suite;
		snprintf(d->java_suite_name, sizeof(d->java_suite_name), "%s",
		    suites_by_id(reg, sel->suite) ?
		    suites_by_id(reg, sel->suite)->iana : "?");
		grade = grade_of(d, sel->version, sel->suite);
		result_add(r, "java-negotiates", strcmp(grade, "weak") == 0 ||
		    strcmp(grade, "insecure") == 0 ? SEV_WARN : SEV_INFO,
		    "%s would negotiate %s with %s (%s).",
		    tls_steps_java_label(d->java_profile, label,
		    sizeof(label)), hello_version_name(sel->version), d->java_suite_name,
		    grade[0] ? grade : "grade unknown");
		goto out;
	}
	if (sel->verdict == JAVAPROF_UNKNOWN) {
		result_add(r, "java-unknown", SEV_WARN, "%s", sel->message);
		goto out;
	}
	have_adv = javaprof_recommend(js.p[js.sel], &js.client, &s, adv,
	    &e) == SW_OK;
	java_failure(r, sel, have_adv ? adv : NULL, 1,
	    javaprof_security_file(js.p[js.sel]));
	if (have_adv && adv->works && adv->security_key[0] != '\0') {
		struct java_edit *ed = &d->edit;

		snprintf(ed->file, sizeof(ed->file), "%s",
		    javaprof_security_file(js.p[js.sel]));
		snprintf(ed->key, sizeof(ed->key), "%s", adv->security_key);
		snprintf(ed->value, sizeof(ed->value), "%s",
		    adv->security_value);
		snprintf(ed->removed, sizeof(ed->removed), "%s",
		    adv->security_removed);
	}
out:
	free(ids);
	free(sel);
	free(adv);
	java_free(&js);
}

void
cipher_judge(struct step_result *r, const struct probe_env *env)
{
	struct suites *reg = NULL;
	struct sw_error e = { 0 };

	cipher_server_findings(r, &r->d.ciphers);
	/* Unreadable, tls_steps.c said so (registry-missing): no Java. */
	if (suites_load(&reg, &e) != SW_OK)
		reg = NULL;
	cipher_java(env, r, &r->d.ciphers, reg);
	suites_free(reg);
}
