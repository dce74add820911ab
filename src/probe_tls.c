/*
 * Steps 3 and 4: protocol versions and cipher suites.  Sets up the
 * sweep (target, mode, address, the registry's candidate suites),
 * turns its answers into the step data, asks javaprof.c what every
 * Java profile would negotiate with what was found, and writes the
 * findings with the one setting to change.  The network part is
 * sweep.c; the Java model is javaprof.c; this file only joins them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "javaprof.h"
#include "javasec.h"
#include "json.h"
#include "probe.h"
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
 * that needs a secret we lack), or hello.c's built-in ones. */
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
		    "port %u speaks plain SMTP without STARTTLS (step 1), so "
		    "there is no TLS to examine", x->port);
		return 0;
	}
	if (s1 == NULL && mode == MODE_PLAIN) {
		/* Without step 1 and without a mode in the settings:
		 * 465 is implicit TLS, every other port STARTTLS. */
		mode = x->port == 465 ? MODE_SSL : MODE_STARTTLS;
		x->info->mode_assumed = 1;
	}
	x->t.starttls = mode == MODE_STARTTLS;
	x->info->starttls = x->t.starttls;
	if (net_resolve(x->host, x->port, addrs, &n, &e) != SW_OK) {
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

static void
cfg_fill(const struct probe_env *env, const struct tls_ctx *x,
    struct sweep_cfg *cfg, int enumerate)
{
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->versions = SWEEP_ALL_VERSIONS;
	cfg->enumerate = enumerate;
	cfg->concurrency = env->opt.concurrency;
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

/* ---- Java ---- */

struct java_set {
	struct suites		*reg;		/* borrowed */
	struct javaprof		*p[JAVA_VERDICTS_MAX];
	int			 custom[JAVA_VERDICTS_MAX];
	size_t			 n;
	int			 sel;		/* -1: none loaded */
	struct javaprof_client	 client;
};

static void
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
java_load(const struct probe_env *env, struct suites *reg,
    struct java_set *js, struct step_result *r)
{
	const char *want = env->opt.java ? env->opt.java : JAVAPROF_DEFAULT;
	const char *const *names;
	struct sw_error e = { 0 };
	struct javasec *sec = NULL;
	size_t n, i;

	memset(js, 0, sizeof(*js));
	js->sel = -1;
	js->reg = reg;
	js->client.protocols = settings_get(env->set,
	    "mail.smtp.ssl.protocols");
	js->client.ciphersuites = settings_get(env->set,
	    "mail.smtp.ssl.ciphersuites");
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
	if (js->sel < 0 && js->n > 0) {
		result_add(r, "java-profile-unknown", SEV_WARN, "There is no "
		    "Java profile \"%s\"; using %s.", want,
		    javaprof_name(js->p[js->n - 1]));
		js->sel = (int)js->n - 1;
	}
	if (env->opt.java_security == NULL || js->sel < 0)
		return;
	sw_error_clear(&e);
	if (javasec_load_file(env->opt.java_security, &sec, &e) != SW_OK ||
	    javaprof_load(reg, javaprof_name(js->p[js->sel]), &js->p[js->n],
	    &e) != SW_OK) {
		result_add(r, "java-security-unreadable", SEV_FAIL, "%s: the "
		    "verdict below uses the built-in profile instead.",
		    sw_error_text(&e));
		javasec_free(sec);
		return;
	}
	if (javaprof_apply_security(js->p[js->n], sec, 1, &e) != SW_OK) {
		javaprof_free(js->p[js->n]);
		javasec_free(sec);
		return;
	}
	javasec_free(sec);
	js->custom[js->n] = 1;
	js->sel = (int)js->n++;
}

/* Versions joined by spaces, highest first. */
static void
versions_text(const uint16_t *v, size_t n, char *buf, size_t cap)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "",
		    vname(v[i]));
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
	versions_text(res->offer.versions, res->offer.nversions, jv->enabled,
	    sizeof(jv->enabled));
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
static size_t
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
static void
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
		    "is enough. Editing java.security makes it work but "
		    "LOWERS SECURITY for every TLS connection of this Java: "
		    "in $JAVA_HOME/%s remove %.80s from %s (the new line is "
		    "shown with the step's data), and set "
		    "mail.smtp.ssl.protocols=%s%s. Better: %s",
		    sentences(res->message, why, sizeof(why)),
		    file, adv->security_removed, adv->security_key,
		    adv->protocols, adv->ciphersuites[0] ? " and "
		    "mail.smtp.ssl.ciphersuites (suggested below)" : "",
		    adv->insecure ? "have the server accept TLSv1.2 or "
		    "TLSv1.3." : "have the server accept a suite Java "
		    "enables by default.");
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
	versions_text(sel->offer.versions, sel->offer.nversions,
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

enum sw_err
probe_protocols(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct proto_data *d = &r->d.proto;
	struct sweep_plan *pl = NULL;
	struct sweep_cfg cfg;
	struct tls_ctx x;
	enum sw_err rc;

	memset(&x, 0, sizeof(x));
	x.info = &d->sweep;
	r->verdict = VERDICT_PASS;
	if (!setup_target(env, &x, r))
		return SW_OK;
	if ((rc = load_candidates(&x, r, err)) != SW_OK)
		goto out;
	cfg_fill(env, &x, &cfg, 0);
	if ((rc = run_sweep(env, &x, &cfg, &pl, err)) != SW_OK)
		goto out;
	d->available = 1;
	proto_fill(d, pl);
	proto_server_findings(r, d);
	proto_java(env, r, d, x.reg);
out:
	sweep_plan_free(pl);
	ctx_free(&x);
	return rc;
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

/* Step 3's answers as the seed of step 4's plan. */
static void
seed_from_step3(const struct probe_env *env, struct sweep_cfg *cfg)
{
	const struct step_result *s3 = env->prev[STEP_PROTOCOLS - 1];
	int i;

	if (s3 == NULL || !s3->d.proto.available)
		return;
	for (i = 0; i < SWEEP_NVERS; i++) {
		const struct proto_version *v = &s3->d.proto.v[i];

		cfg->known[i] = v->accepted;
		cfg->first[i] = v->suite;
		cfg->known_why[i] = v->why;
		/* Unknown in step 3 stays unknown: probing it again
		 * would only hit the same rate limit. */
		if (v->accepted == TRI_UNKNOWN)
			cfg->versions &= ~(1u << i);
	}
}

enum sw_err
probe_ciphers(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct cipher_data *d = &r->d.ciphers;
	struct sweep_plan *pl = NULL;
	struct sweep_cfg cfg;
	struct tls_ctx x;
	enum sw_err rc;

	memset(&x, 0, sizeof(x));
	x.info = &d->sweep;
	r->verdict = VERDICT_PASS;
	if (!setup_target(env, &x, r))
		return SW_OK;
	if ((rc = load_candidates(&x, r, err)) != SW_OK)
		goto out;
	cfg_fill(env, &x, &cfg, 1);
	seed_from_step3(env, &cfg);
	if ((rc = run_sweep(env, &x, &cfg, &pl, err)) != SW_OK)
		goto out;
	d->available = 1;
	cipher_fill(d, pl, x.reg);
	cipher_server_findings(r, d);
	cipher_java(env, r, d, x.reg);
out:
	sweep_plan_free(pl);
	ctx_free(&x);
	return rc;
}

/* ---- rendering ---- */

static const char *
tri_word(enum tri t, const char *yes, const char *no)
{
	return t == TRI_YES ? yes : t == TRI_NO ? no : "unknown";
}

static void
sweep_text(FILE *f, const struct tls_sweep_info *s)
{
	fprintf(f, "  %-12s%u connections to %s (%s%s) in %.1f s, up to %d "
	    "at once", "probes", s->connections, s->addr,
	    s->starttls ? "STARTTLS" : "implicit TLS",
	    s->mode_assumed ? ", assumed" : "",
	    (double)s->elapsed_ms / 1000, s->concurrency);
	if (s->retries > 0)
		fprintf(f, "; %u retried (421: %u, refused: %u, reset: %u, "
		    "timeout: %u), bound lowered to %d", s->retries,
		    s->greeting_4xx, s->refused, s->resets, s->timeouts,
		    s->min_concurrency);
	fputc('\n', f);
}

static void
java_text(FILE *f, const struct java_verdict *jv, size_t n, int suites)
{
	size_t i;

	if (n == 0)
		return;
	fprintf(f, "\n  %-10s %-26s %s\n", "Java", "enabled", "negotiates");
	for (i = 0; i < n; i++) {
		const struct java_verdict *j = &jv[i];
		char neg[160];

		if (j->ok == TRI_YES || (!suites && j->version != 0))
			snprintf(neg, sizeof(neg), "%s%s%s",
			    vname(j->version), suites ? " " : "",
			    suites ? j->suite_name : "");
		else
			snprintf(neg, sizeof(neg), "%s", j->ok == TRI_UNKNOWN ?
			    "unknown" : "nothing (see below)");
		fprintf(f, "  %-10s %-26s %s\n", j->profile,
		    j->enabled[0] ? j->enabled : "(none)", neg);
	}
}

void
proto_data_text(FILE *f, const struct proto_data *d)
{
	int i;

	if (!d->available)
		return;
	for (i = 0; i < TLS_NVERS; i++) {
		const struct proto_version *v = &d->v[i];

		fprintf(f, "  %-12s%-8s%s%s%s%s\n", vname(v->version),
		    tri_word(v->accepted, "yes", "no"),
		    v->accepted == TRI_YES ? (v->secure ? "secure" :
		    "insecure") : "", v->accepted != TRI_YES && v->why[0] ?
		    "(" : "", v->accepted != TRI_YES ? v->why : "",
		    v->accepted != TRI_YES && v->why[0] ? ")" : "");
	}
	if (d->java_profile[0] != '\0')
		fprintf(f, "  %-12sJava %s enables %s\n", "client",
		    d->java_profile, d->java_enabled[0] ? d->java_enabled :
		    "no version");
	if (d->recommended[0] != '\0')
		fprintf(f, "  %-12smail.smtp.ssl.protocols=%s\n", "recommended",
		    d->recommended);
	sweep_text(f, &d->sweep);
	java_text(f, d->java, d->njava, 0);
}

void
cipher_data_text(FILE *f, const struct cipher_data *d)
{
	size_t k;
	int i;

	if (!d->available)
		return;
	for (i = TLS_NVERS - 1; i >= 0; i--) {
		const struct cipher_version *v = &d->v[i];

		if (v->accepted == TRI_NO)
			continue;
		if (v->accepted == TRI_UNKNOWN) {
			fprintf(f, "  %-9s unknown (%s)\n", vname(v->version),
			    v->why);
			continue;
		}
		fprintf(f, "  %-9s %zu suite%s%s, %s\n", vname(v->version),
		    v->nsuites + v->dropped, v->nsuites + v->dropped == 1 ?
		    "" : "s", v->complete == TRI_YES ? "" : " (incomplete)",
		    v->server_order == TRI_YES ? "in the server's order" :
		    v->server_order == TRI_NO ? "server follows the client's "
		    "order" : "order unknown");
		for (k = 0; k < v->nsuites; k++)
			fprintf(f, "    %-46s %-30s %-6s %s\n",
			    v->suites[k].iana, v->suites[k].openssl,
			    v->suites[k].kx, v->suites[k].grade);
		if (v->dropped > 0)
			fprintf(f, "    ... and %zu more\n", v->dropped);
	}
	if (d->java_version != 0)
		fprintf(f, "  %-12sJava %s: %s %s\n", "negotiates",
		    d->java_profile, vname(d->java_version),
		    d->java_suite_name);
	if (d->edit.key[0] != '\0')
		fprintf(f, "  java.security edit in $JAVA_HOME/%s (LOWERS "
		    "SECURITY):\n    %s=%s\n", d->edit.file, d->edit.key,
		    d->edit.value);
	sweep_text(f, &d->sweep);
	java_text(f, d->java, d->njava, 1);
}

static void
json_tri(struct json *j, const char *key, enum tri t)
{
	if (t == TRI_UNKNOWN)
		json_null(j, key);
	else
		json_bool(j, key, t == TRI_YES);
}

static void
sweep_json(struct json *j, const struct tls_sweep_info *s)
{
	json_open(j, "sweep", '{');
	json_str(j, "address", s->addr);
	json_str(j, "mode", s->starttls ? "starttls" : "ssl");
	json_bool(j, "mode_assumed", s->mode_assumed);
	json_int(j, "connections", s->connections);
	json_int(j, "elapsed_ms", s->elapsed_ms);
	json_int(j, "concurrency", s->concurrency);
	json_int(j, "min_concurrency", s->min_concurrency);
	json_int(j, "retries", s->retries);
	json_int(j, "greeting_4xx", s->greeting_4xx);
	json_int(j, "refused", s->refused);
	json_int(j, "resets", s->resets);
	json_int(j, "timeouts", s->timeouts);
	json_close(j, '}');
}

static void
java_json(struct json *j, const struct java_verdict *jv, size_t n)
{
	size_t i;

	json_open(j, "java", '[');
	for (i = 0; i < n; i++) {
		const struct java_verdict *x = &jv[i];
		char buf[64], *save, *tok;

		json_open(j, NULL, '{');
		json_str(j, "profile", x->profile);
		json_str(j, "title", x->title);
		json_open(j, "enabled", '[');
		snprintf(buf, sizeof(buf), "%s", x->enabled);
		for (tok = strtok_r(buf, " ", &save); tok != NULL;
		    tok = strtok_r(NULL, " ", &save))
			json_str(j, NULL, tok);
		json_close(j, ']');
		json_tri(j, "ok", x->ok);
		if (x->version != 0)
			json_str(j, "version", vname(x->version));
		else
			json_null(j, "version");
		if (x->suite != 0)
			json_str(j, "suite", x->suite_name);
		else
			json_null(j, "suite");
		json_str(j, "why", x->why);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void
json_words(struct json *j, const char *key, const char *words)
{
	char buf[128], *save, *tok;

	json_open(j, key, '[');
	snprintf(buf, sizeof(buf), "%s", words);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		json_str(j, NULL, tok);
	json_close(j, ']');
}

void
proto_data_json(struct json *j, const struct proto_data *d)
{
	int i;

	if (!d->available)
		return;
	json_open(j, "accepted", '{');
	for (i = 0; i < TLS_NVERS; i++)
		json_tri(j, vname(d->v[i].version), d->v[i].accepted);
	json_close(j, '}');
	json_open(j, "considered_secure", '{');
	for (i = 0; i < TLS_NVERS; i++)
		json_bool(j, vname(d->v[i].version), d->v[i].secure);
	json_close(j, '}');
	json_open(j, "reasons", '{');
	for (i = 0; i < TLS_NVERS; i++)
		if (d->v[i].accepted != TRI_YES)
			json_str(j, vname(d->v[i].version), d->v[i].why);
	json_close(j, '}');
	json_bool(j, "tls13_hello_retry", d->v[4].hrr);
	json_words(j, "java_enabled", d->java_enabled);
	if (d->recommended[0] != '\0')
		json_str(j, "recommended", d->recommended);
	else
		json_null(j, "recommended");
	json_str(j, "java_profile", d->java_profile);
	java_json(j, d->java, d->njava);
	sweep_json(j, &d->sweep);
}

void
cipher_data_json(struct json *j, const struct cipher_data *d)
{
	size_t k;
	int i;

	if (!d->available)
		return;
	json_open(j, "accepted", '{');
	for (i = 0; i < TLS_NVERS; i++) {
		const struct cipher_version *v = &d->v[i];

		if (v->accepted == TRI_UNKNOWN)
			json_null(j, vname(v->version));
		if (v->accepted != TRI_YES)
			continue;
		json_open(j, vname(v->version), '[');
		for (k = 0; k < v->nsuites; k++)
			json_str(j, NULL, v->suites[k].iana);
		json_close(j, ']');
	}
	json_close(j, '}');
	json_tri(j, "server_order", d->server_order);
	json_open(j, "server_order_by_version", '{');
	for (i = 0; i < TLS_NVERS; i++)
		if (d->v[i].accepted == TRI_YES)
			json_tri(j, vname(d->v[i].version),
			    d->v[i].server_order);
	json_close(j, '}');
	json_open(j, "complete", '{');
	for (i = 0; i < TLS_NVERS; i++)
		if (d->v[i].accepted == TRI_YES)
			json_tri(j, vname(d->v[i].version), d->v[i].complete);
	json_close(j, '}');
	json_open(j, "suites", '{');
	for (i = 0; i < TLS_NVERS; i++) {
		const struct cipher_version *v = &d->v[i];

		if (v->accepted != TRI_YES)
			continue;
		json_open(j, vname(v->version), '[');
		for (k = 0; k < v->nsuites; k++) {
			const struct cipher_entry *e = &v->suites[k];
			char hex[8];

			snprintf(hex, sizeof(hex), "0x%04X", e->id);
			json_open(j, NULL, '{');
			json_str(j, "id", hex);
			json_str(j, "iana", e->iana);
			json_str(j, "openssl", e->openssl);
			json_str(j, "kx", e->kx);
			json_str(j, "grade", e->grade);
			json_close(j, '}');
		}
		json_close(j, ']');
	}
	json_close(j, '}');
	if (d->java_version != 0) {
		json_open(j, "java_negotiates", '{');
		json_str(j, "version", vname(d->java_version));
		json_str(j, "suite", d->java_suite_name);
		json_close(j, '}');
	} else
		json_null(j, "java_negotiates");
	if (d->edit.key[0] != '\0') {
		json_open(j, "java_security_edit", '{');
		json_str(j, "file", d->edit.file);
		json_str(j, "key", d->edit.key);
		json_str(j, "value", d->edit.value);
		json_str(j, "removes", d->edit.removed);
		json_bool(j, "lowers_security", 1);
		json_close(j, '}');
	} else
		json_null(j, "java_security_edit");
	json_str(j, "java_profile", d->java_profile);
	java_json(j, d->java, d->njava);
	sweep_json(j, &d->sweep);
}
