/*
 * Steps 3 and 4: protocol versions and cipher suites.  Sets up the
 * sweep (target, mode, address, the registry's candidate suites),
 * turns its answers into the step data, asks javaprof.c what every
 * Java profile would negotiate with what was found, and writes the
 * findings with the one setting to change.  The network part is the
 * sweep (sweep_plan.c, sweep_pace.c, sweep_run.c); the Java model is
 * javaprof.c, and probe_tls_java.c turns it into the table and the advice;
 * probe_tls_render.c prints the result.  This file only joins them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "javaprof.h"
#include "probe.h"
#include "probe_tls_int.h"
#include "sanitize.h"
#include "session.h"
#include "suites.h"
#include "sweep.h"

static const char *
vname(uint16_t v)
{
	return hello_version_name(v);
}

static int
secure_version(uint16_t v)
{
	return v >= HELLO_TLS12;
}

/* ---- the sweep's set-up, shared by both steps ---- */

struct tls_ctx {
	char			 host[256];
	unsigned		 port;
	char			 ehlo[256];
	struct sweep_target	 t;
	struct suites		*reg;		/* NULL: built-in lists */
	uint16_t		*cand[SWEEP_NVERS];
	size_t			 ncand[SWEEP_NVERS];
	struct tls_sweep_info	*info;
};

static void
ctx_free(struct tls_ctx *x)
{
	int i;

	for (i = 0; i < SWEEP_NVERS; i++)
		free(x->cand[i]);
	suites_free(x->reg);
}

/* The candidates per version: the registry's offer lists (no suite
 * that needs a secret we lack), or hello_build.c's built-in ones. */
static enum sw_err
load_candidates(struct tls_ctx *x, struct step_result *r,
    struct sw_error *err)
{
	struct sw_error e = { 0 };
	struct hello_spec spec;
	int i;

	if (suites_load(&x->reg, &e) != SW_OK) {
		x->reg = NULL;
		result_add(r, "registry-missing", SEV_WARN, "The cipher-suite "
		    "registry could not be read (%s); offering the built-in "
		    "suite lists, and suites are named by number.",
		    sw_error_text(&e));
	}
	for (i = 0; i < SWEEP_NVERS; i++) {
		uint16_t v = SWEEP_VERSION(i);
		size_t n;

		if (x->reg != NULL)
			n = suites_for_version(x->reg, v, SUITE_F_SECRET,
			    NULL, 0);
		else {
			hello_spec_default(&spec, v, NULL);
			n = spec.nsuites;
		}
		if ((x->cand[i] = malloc((n ? n : 1) * sizeof(uint16_t))) ==
		    NULL)
			return sw_fail(err, SW_ENOMEM, "out of memory");
		if (x->reg != NULL)
			suites_for_version(x->reg, v, SUITE_F_SECRET,
			    x->cand[i], n);
		else
			memcpy(x->cand[i], spec.suites, n * sizeof(uint16_t));
		x->ncand[i] = n;
	}
	return SW_OK;
}

/*
 * Host, port, mode and address.  Returns 0 when the step cannot run
 * (r is then skipped or has a failing finding), 1 to go on.
 */
static int
setup_target(const struct probe_env *env, struct tls_ctx *x,
    struct step_result *r)
{
	const struct step_result *s1 = env->prev[STEP_CONNECTION - 1];
	struct net_addr addrs[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	enum smtp_mode mode;
	const char *why, *src;
	size_t n, i, pick = 0;

	if (!probe_target(env, x->host, sizeof(x->host), &x->port, &mode,
	    &why))
		return 0;		/* probe_step() skipped it already */
	if (s1 != NULL && mode == MODE_PLAIN) {
		r->verdict = VERDICT_SKIPPED;
		snprintf(r->skip_reason, sizeof(r->skip_reason), "skipped: "
		    "port %u speaks plain SMTP without STARTTLS (%s), so "
		    "there is no TLS to examine", x->port, env->target ?
		    "found out first, as step 1 would" : "step 1");
		return 0;
	}
	/* probe_step() found out what the port speaks (env->target). */
	x->info->mode_detected = env->target != NULL;
	if (s1 == NULL && mode == MODE_PLAIN) {
		/* Without step 1 and without a mode in the settings:
		 * 465 is implicit TLS, every other port STARTTLS. */
		mode = x->port == 465 ? MODE_SSL : MODE_STARTTLS;
		x->info->mode_assumed = 1;
	}
	x->t.starttls = mode == MODE_STARTTLS;
	x->info->starttls = x->t.starttls;
	if (session_resolve(env, x->host, x->port, addrs, &n, &e) !=
	    SW_OK) {
		result_add(r, "dns-failure", SEV_FAIL, "%s: the TLS versions "
		    "and suites could not be probed.", sw_error_text(&e));
		return 0;
	}
	/* The address step 1 talked to, so that both see one server. */
	if (s1 != NULL && s1->d.conn.used_addr != NULL)
		for (i = 0; i < n; i++)
			if (strcmp(addrs[i].text, s1->d.conn.used_addr) == 0)
				pick = i;
	x->t.addr = addrs[pick];
	snprintf(x->info->addr, sizeof(x->info->addr), "%s", addrs[pick].text);
	session_ehlo_name(env->set, x->ehlo, sizeof(x->ehlo), &src);
	x->t.ehlo_name = x->ehlo;
	x->t.sni = x->host;
	return 1;
}

/* Step 3's answers as the seed of step 4's plan. */
static void
seed_from_step3(const struct probe_env *env, struct sweep_cfg *cfg)
{
	const struct step_result *s3 = env->prev[STEP_PROTOCOLS - 1];
	int i;

	if (s3 == NULL || !s3->d.proto.available)
		return;
	/* Step 3's pacing: step 4 starts where it left the server. */
	cfg->server_limit = s3->d.proto.sweep.server_limit;
	cfg->hold_ms = s3->d.proto.sweep.hold_ms;
	for (i = 0; i < SWEEP_NVERS; i++) {
		const struct proto_version *v = &s3->d.proto.v[i];

		cfg->known[i] = v->accepted;
		cfg->first[i] = v->suite;
		cfg->first_inferred[i] = v->inferred;
		cfg->known_why[i] = v->why;
		/* Unknown in step 3 stays unknown: probing it again
		 * would only hit the same rate limit. */
		if (v->accepted == TRI_UNKNOWN)
			cfg->versions &= ~(1u << i);
	}
}

static void
cfg_fill(const struct probe_env *env, const struct tls_ctx *x,
    struct sweep_cfg *cfg, int enumerate)
{
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->versions = SWEEP_ALL_VERSIONS;
	cfg->enumerate = enumerate;
	cfg->concurrency = env->opt.concurrency;
	cfg->exhaustive = env->opt.exhaustive;
	for (i = 0; i < SWEEP_NVERS; i++) {
		cfg->suites[i] = x->cand[i];
		cfg->nsuites[i] = x->ncand[i];
		cfg->max_offer[i] = sweep_max_offer(SWEEP_VERSION(i), x->host);
	}
}

/* Runs the plan; *plan is the caller's to free, also on error. */
static enum sw_err
run_sweep(const struct probe_env *env, struct tls_ctx *x,
    const struct sweep_cfg *cfg, struct sweep_plan **plan,
    struct sw_error *err)
{
	struct sweep_stats st;
	struct sweep_counts n;
	enum sw_err rc;

	if ((*plan = sweep_plan_new(cfg, err)) == NULL)
		return err->code;
	probe_progress(env, "%s: TLS %s on %s port %u, up to %d "
	    "connections", cfg->enumerate ? "cipher suites" :
	    "protocol versions", x->t.starttls ? "via STARTTLS" : "(implicit)",
	    x->info->addr, x->port, cfg->concurrency ? cfg->concurrency :
	    SWEEP_CONCURRENCY);
	rc = sweep_run(*plan, &x->t, env, &st, err);
	sweep_plan_counts(*plan, &n);
	x->info->concurrency = cfg->concurrency ? cfg->concurrency :
	    SWEEP_CONCURRENCY;
	x->info->min_concurrency = n.min_limit;
	x->info->server_limit = n.server_limit;
	x->info->hold_ms = n.hold_ms;
	x->info->exhaustive = cfg->exhaustive;
	x->info->inferred = n.inferred;
	x->info->connections = st.connections;
	x->info->retries = n.retries;
	x->info->greeting_4xx = st.greeting_4xx;
	x->info->refused = st.refused;
	x->info->resets = st.resets;
	x->info->timeouts = st.timeouts;
	x->info->elapsed_ms = st.elapsed_ms;
	probe_progress(env, "%u connections in %.1f s", st.connections,
	    (double)st.elapsed_ms / 1000);
	return rc;
}

/*
 * Steps 3 and 4 alike: the target, the candidates, one sweep (step 4
 * enumerates the suites, seeded with step 3's answers), then result()
 * turns the plan into the step's data and findings.
 */
static enum sw_err
sweep_step(const struct probe_env *env, struct step_result *r,
    struct tls_sweep_info *info, int enumerate,
    void (*result)(const struct probe_env *, struct step_result *,
    const struct sweep_plan *, struct suites *), struct sw_error *err)
{
	struct sweep_plan *pl = NULL;
	struct sweep_cfg cfg;
	struct tls_ctx x;
	enum sw_err rc;

	memset(&x, 0, sizeof(x));
	x.info = info;
	r->verdict = VERDICT_PASS;
	if (!setup_target(env, &x, r))
		return SW_OK;
	if ((rc = load_candidates(&x, r, err)) != SW_OK)
		goto out;
	cfg_fill(env, &x, &cfg, enumerate);
	if (enumerate)
		seed_from_step3(env, &cfg);
	if ((rc = run_sweep(env, &x, &cfg, &pl, err)) != SW_OK)
		goto out;
	if (info->server_limit > 0 && info->retries > 0)
		result_add(r, "connection-limit", SEV_INFO, "The server allows "
		    "%d connection%s from this client at once and answers "
		    "421 (or refuses) beyond that%s; the probes were paced to "
		    "it. A Java application that opens more connections at "
		    "once (several threads, a pool) meets the same 421 and "
		    "fails with \"421 ... Too many connections\".",
		    info->server_limit, info->server_limit == 1 ? "" : "s",
		    info->hold_ms > 0 ? ", and counts a closed one for a "
		    "while after it closed" : "");
	result(env, r, pl, x.reg);
out:
	sweep_plan_free(pl);
	ctx_free(&x);
	return rc;
}

/* ---- step 3 ---- */

static void
proto_fill(struct proto_data *d, const struct sweep_plan *pl)
{
	int i;

	for (i = 0; i < TLS_NVERS; i++) {
		const struct sweep_vresult *vr =
		    sweep_plan_result(pl, SWEEP_VERSION(i));
		struct proto_version *v = &d->v[i];

		v->version = SWEEP_VERSION(i);
		v->secure = secure_version(v->version);
		v->accepted = vr->accepted;
		v->suite = vr->first;
		v->hrr = vr->hrr;
		v->downgrade = vr->downgrade;
		v->inferred = vr->inferred;
		sanitize_str(vr->why, v->why, sizeof(v->why), 0);
	}
}

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
		    n ? ", " : "", vname(d->v[i].version));
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
		    "%s). No Java can connect to it with TLS; its TLS "
		    "configuration (certificate, protocols) is broken.",
		    d->v[3].why);
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
	    SEV_INFO, "Java %s enables %s; the server accepts them up to "
	    "%s. Set mail.smtp.ssl.protocols=%s: one version, the highest "
	    "%sone both speak (several versions are separated by spaces, "
	    "never commas).", d->java_profile, d->java_enabled[0] ?
	    d->java_enabled : "no version", vname(sv[s.nv - 1].version),
	    adv->protocols, adv->insecure ? "" : "secure ");
	finding_suggest(f, "mail.smtp.ssl.protocols", adv->protocols);
out:
	free(sel);
	free(adv);
	java_free(&js);
}

static void
proto_result(const struct probe_env *env, struct step_result *r,
    const struct sweep_plan *pl, struct suites *reg)
{
	struct proto_data *d = &r->d.proto;

	d->available = 1;
	proto_fill(d, pl);
	proto_server_findings(r, d);
	proto_java(env, r, d, reg);
}

enum sw_err
probe_protocols(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	return sweep_step(env, r, &r->d.proto.sweep, 0, proto_result, err);
}

/* ---- step 4 ---- */

static void
entry_fill(const struct suites *reg, uint16_t id, struct cipher_entry *e)
{
	const struct suite *s = reg ? suites_by_id(reg, id) : NULL;

	memset(e, 0, sizeof(*e));
	e->id = id;
	if (s == NULL) {
		snprintf(e->iana, sizeof(e->iana), "0x%04X", id);
		return;
	}
	snprintf(e->iana, sizeof(e->iana), "%s", s->iana);
	snprintf(e->openssl, sizeof(e->openssl), "%s", s->openssl);
	snprintf(e->kx, sizeof(e->kx), "%s", suite_kx_name(s->kx));
	snprintf(e->grade, sizeof(e->grade), "%s", suite_grade_name(s->grade));
}

static void
cipher_fill(struct cipher_data *d, const struct sweep_plan *pl,
    const struct suites *reg)
{
	int i, any_yes = 0, any_no = 0;
	size_t k;

	for (i = 0; i < TLS_NVERS; i++) {
		const struct sweep_vresult *vr =
		    sweep_plan_result(pl, SWEEP_VERSION(i));
		struct cipher_version *v = &d->v[i];

		v->version = SWEEP_VERSION(i);
		v->accepted = vr->accepted;
		v->complete = vr->complete;
		v->server_order = vr->server_order;
		v->inferred_from = vr->inferred_from;
		v->ninferred = vr->ninferred;
		sanitize_str(vr->why, v->why, sizeof(v->why), 0);
		sanitize_str(vr->incomplete_why, v->incomplete_why,
		    sizeof(v->incomplete_why), 0);
		sanitize_str(vr->order_why, v->order_why,
		    sizeof(v->order_why), 0);
		for (k = 0; k < vr->nsuites; k++) {
			if (v->nsuites == CIPHER_SUITES_MAX) {
				v->dropped++;
				continue;
			}
			entry_fill(reg, vr->suites[k],
			    &v->suites[v->nsuites++]);
		}
		any_yes |= v->server_order == TRI_YES;
		any_no |= v->server_order == TRI_NO;
	}
	d->server_order = any_yes ? TRI_YES : any_no ? TRI_NO : TRI_UNKNOWN;
}

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
			    vname(v->version), v->incomplete_why[0] ?
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
				    vname(v->version));
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
		    "Java %s would negotiate %s with %s (%s).",
		    d->java_profile, vname(sel->version), d->java_suite_name,
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

static void
cipher_result(const struct probe_env *env, struct step_result *r,
    const struct sweep_plan *pl, struct suites *reg)
{
	struct cipher_data *d = &r->d.ciphers;

	d->available = 1;
	cipher_fill(d, pl, reg);
	cipher_server_findings(r, d);
	cipher_java(env, r, d, reg);
}

enum sw_err
probe_ciphers(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	return sweep_step(env, r, &r->d.ciphers.sweep, 1, cipher_result, err);
}
