/*
 * Step 3: the protocol versions.  The sweep's answers as the step's
 * data; proto_judge.c says what they mean.
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

static int
secure_version(uint16_t v)
{
	return v >= HELLO_TLS12;
}

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

static void
proto_result(const struct probe_env *env, struct step_result *r,
    const struct sweep_plan *pl, struct suites *reg)
{
	(void)reg;	/* proto_judge() reads the registry itself */
	r->d.proto.available = 1;
	proto_fill(&r->d.proto, pl);
	proto_judge(r, env);
}

enum sw_err
proto_probe(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	return tls_steps_run(env, r, &r->d.proto.sweep, 0, proto_result, err);
}
