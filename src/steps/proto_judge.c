/*
 * Step 3's judge: the versions the sweep found (r->d.proto, filled by
 * proto_probe.c) in, the findings out: the server's (unknown, none,
 * insecure versions, an inconsistent TLS 1.3), what every Java profile
 * would negotiate (tls_steps_java.c) and the one setting to change.
 * No server: a test fills the data and calls proto_judge().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "javaprof.h"
#include "probe.h"
#include "suites.h"
#include "tls_steps_int.h"

/* Names of the versions with accepted == t, "TLSv1, TLSv1.1". */
static size_t
proto_list(const struct proto_data *d, enum tri t, int insecure_only,
    char *buf, size_t cap)
{
	size_t n = 0, o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < TLS_NVERS; i++) {
		if (d->v[i].accepted != t || (insecure_only && d->v[i].secure))
			continue;
		o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "%s%s",
		    n ? ", " : "", hello_version_name(d->v[i].version));
		n++;
	}
	return n;
}

static void
proto_server_findings(struct step_result *r, const struct proto_data *d)
{
	char list[128];
	size_t i, nunk;

	nunk = proto_list(d, TRI_UNKNOWN, 0, list, sizeof(list));
	for (i = 0; i < TLS_NVERS && d->v[i].accepted != TRI_UNKNOWN; i++)
		;
	if (nunk == TLS_NVERS)
		result_add(r, "tls-unknown", SEV_FAIL, "Could not find out "
		    "which TLS versions the server accepts: %s. Every probe "
		    "was turned away (after retries with back-off), so "
		    "nothing is reported as refused; Java would be turned "
		    "away the same way. Try again later.", d->v[i].why);
	else if (nunk > 0) {
		result_add(r, "versions-unknown", SEV_WARN, "Could not find "
		    "out whether the server accepts %s: %s. The server "
		    "refused or dropped the probes (a rate limit, 421), so "
		    "these are reported as unknown, not as refused. Try "
		    "again later or with --concurrency 1.", list,
		    d->v[i].why);
	}
	if (proto_list(d, TRI_YES, 0, list, sizeof(list)) == 0 && nunk == 0)
		result_add(r, "no-tls-version", SEV_FAIL, "The server accepted "
		    "no ClientHello at all, from SSLv3 to TLSv1.3 (TLSv1.2: "
		    "%s), though each offered Java's key exchange groups "
		    "(x25519, secp256r1-521, x448, ffdhe2048-8192). No Java "
		    "can connect to it with TLS: its TLS configuration "
		    "(certificate, protocols) is broken, or its ECDHE "
		    "suites take only curves Java does not offer "
		    "(brainpool, secp256k1).", d->v[3].why);
	/* RFC 8446 §4.1.3: a TLS 1.3 server answering a TLS 1.2 hello
	 * marks its random with "DOWNGRD\1".  Refusing the TLS 1.3 hello
	 * all the same points at a middlebox or a broken configuration. */
	if (d->v[3].accepted == TRI_YES && d->v[3].downgrade == HELLO_TLS13 &&
	    d->v[4].accepted == TRI_NO)
		result_add(r, "tls13-inconsistent", SEV_WARN, "The server's "
		    "TLSv1.2 answer carries the RFC 8446 downgrade marker "
		    "that only TLS 1.3 servers send, yet it refused the TLSv1.3 "
		    "hello (%s). A middlebox between here and the server may "
		    "be interfering.", d->v[4].why);
	if (proto_list(d, TRI_YES, 1, list, sizeof(list)) > 0)
		result_add(r, "insecure-versions-accepted", SEV_WARN, "The "
		    "server still accepts %s, considered insecure (RFC 8996 "
		    "deprecates TLSv1 and TLSv1.1; SSLv3 is broken by "
		    "POODLE). Current Java runtimes refuse them; the server "
		    "should turn them off.", list);
}

/* What the sweep found, as javaprof sees it; s->v points into sv. */
static void
server_from_proto(const struct proto_data *d,
    struct javaprof_server_version *sv, struct javaprof_server *s)
{
	int i;

	s->v = sv;
	s->nv = 0;
	for (i = 0; i < TLS_NVERS; i++)
		if (d->v[i].accepted == TRI_YES) {
			memset(&sv[s->nv], 0, sizeof(sv[0]));
			sv[s->nv].version = d->v[i].version;
			sv[s->nv].server_order = -1;
			s->nv++;
		}
}

static void
proto_java(const struct probe_env *env, struct step_result *r,
    struct proto_data *d, struct suites *reg)
{
	char label[320];	/* tls_steps_java_label() */
	struct javaprof_server_version sv[TLS_NVERS];
	struct javaprof_server s;
	struct javaprof_result *sel;
	struct javaprof_advice *adv;
	struct java_set js;
	struct sw_error e = { 0 };
	struct finding *f;
	int have_adv;

	java_load(env, reg, &js, r);
	sel = calloc(1, sizeof(*sel));
	adv = calloc(1, sizeof(*adv));
	if (js.sel < 0 || sel == NULL || adv == NULL)
		goto out;
	server_from_proto(d, sv, &s);
	d->njava = java_table(&js, &s, d->java, sel);
	snprintf(d->java_profile, sizeof(d->java_profile), "%s%s",
	    javaprof_name(js.p[js.sel]), js.custom[js.sel] ? "+file" : "");
	java_versions_text(sel->offer.versions, sel->offer.nversions,
	    d->java_enabled, sizeof(d->java_enabled));
	if (s.nv == 0)
		goto out;		/* findings above said why */
	have_adv = javaprof_recommend(js.p[js.sel], &js.client, &s, adv,
	    &e) == SW_OK;
	if (have_adv && adv->works && adv->protocols[0] != '\0')
		snprintf(d->recommended, sizeof(d->recommended), "%s",
		    adv->protocols);
	if (sel->verdict == JAVAPROF_BAD_SETTING ||
	    sel->verdict == JAVAPROF_NO_PROTOCOL ||
	    sel->verdict == JAVAPROF_NO_VERSION) {
		java_failure(r, sel, have_adv ? adv : NULL, 0, "");
		goto out;
	}
	if (!have_adv || !adv->works || adv->protocols[0] == '\0')
		goto out;
	f = result_add(r, "protocols-recommended", adv->insecure ? SEV_WARN :
	    SEV_INFO, "%s enables %s; the server accepts them up to "
	    "%s. Set mail.smtp.ssl.protocols=%s: one version, the highest "
	    "%sone both speak (several versions are separated by spaces, "
	    "never commas).", tls_steps_java_label(d->java_profile, label,
	    sizeof(label)), d->java_enabled[0] ?
	    d->java_enabled : "no version", hello_version_name(sv[s.nv - 1].version),
	    adv->protocols, adv->insecure ? "" : "secure ");
	finding_suggest(f, "mail.smtp.ssl.protocols", adv->protocols);
out:
	free(sel);
	free(adv);
	java_free(&js);
}

void
proto_judge(struct step_result *r, const struct probe_env *env)
{
	struct proto_data *d = &r->d.proto;
	struct suites *reg = NULL;
	struct sw_error e = { 0 };

	proto_server_findings(r, d);
	/* Unreadable, tls_steps.c said so (registry-missing): no Java. */
	if (suites_load(&reg, &e) != SW_OK)
		reg = NULL;
	proto_java(env, r, d, reg);
	suites_free(reg);
}
