/*
 * What steps 3 and 4 share: the sweep's set-up (target, mode, address,
 * the registry's candidate suites), one sweep run (step 4 seeded with
 * step 3's answers), then the step's own result function turns the
 * plan into its data and findings (proto_probe.c, cipher_probe.c).
 * The network part is the sweep (sweep_plan.c, sweep_pace.c,
 * sweep_run.c); the Java table is tls_steps_java.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "javaprof.h"
#include "probe.h"
#include "sanitize.h"
#include "session.h"
#include "suites.h"
#include "sweep.h"
#include "tls_steps_int.h"

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
	const struct step_result *s1 = env->prev[STEP_CONN - 1];
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
	const struct step_result *s3 = env->prev[STEP_PROTO - 1];
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
enum sw_err
tls_steps_run(const struct probe_env *env, struct step_result *r,
    struct tls_sweep_info *info, int enumerate, tls_steps_result_fn result,
    struct sw_error *err)
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
