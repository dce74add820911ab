/*
 * Step 4: the cipher suites.  The sweep's answers (every suite per
 * version) as the step's data; cipher_judge.c says what they mean.
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

static void
cipher_result(const struct probe_env *env, struct step_result *r,
    const struct sweep_plan *pl, struct suites *reg)
{
	r->d.ciphers.available = 1;
	cipher_fill(&r->d.ciphers, pl, reg);
	cipher_judge(r, env);	/* reads the registry itself */
}

enum sw_err
cipher_probe(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	return tls_steps_run(env, r, &r->d.ciphers.sweep, 1, cipher_result, err);
}
