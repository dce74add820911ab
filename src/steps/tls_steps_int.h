/*
 * What the pieces of steps 3 and 4 share: tls_steps.c runs the sweep
 * for either step, proto_probe.c and cipher_probe.c turn its answers
 * into their step's data and findings, tls_steps_java.c loads the Java
 * profiles and turns their negotiations into the table and the
 * findings, tls_steps_render.c holds what both renderers print.  Not
 * part of the engine API.
 */
#ifndef SW_TLS_STEPS_INT_H
#define SW_TLS_STEPS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "javaprof.h"
#include "probe.h"

struct json;
struct suites;
struct sweep_plan;

/* Turns the sweep's plan into step r's data and findings. */
typedef void (*tls_steps_result_fn)(const struct probe_env *,
    struct step_result *r, const struct sweep_plan *, struct suites *);

/*
 * Steps 3 and 4 alike: the target, the candidates, one sweep (step 4,
 * enumerate, lists the suites, seeded with step 3's answers), then
 * result().  info: the step's sweep figures.  Errors: SW_ECANCEL,
 * SW_ENOMEM.
 */
enum sw_err	tls_steps_run(const struct probe_env *env,
		    struct step_result *r, struct tls_sweep_info *info,
		    int enumerate, tls_steps_result_fn result,
		    struct sw_error *err);

/* The sweep's figures and the Java table, as text and JSON fields. */
void	tls_steps_sweep_text(FILE *, const struct tls_sweep_info *);
void	tls_steps_java_text(FILE *, const struct java_verdict *, size_t n,
	    int suites);
void	tls_steps_sweep_json(struct json *, const struct tls_sweep_info *);
void	tls_steps_java_json(struct json *, const struct java_verdict *,
	    size_t n);

/* The profiles of the Java table, loaded once per step. */
struct java_set {
	struct suites		*reg;		/* borrowed */
	struct javaprof		*p[JAVA_VERDICTS_MAX];
	int			 custom[JAVA_VERDICTS_MAX];
	size_t			 n;
	int			 sel;		/* -1: none loaded */
	struct javaprof_client	 client;
	char			 dflt_protocols[128];	/* -Djdk.tls.client.*
							   of the runtime, */
	char			 dflt_suites[4096];	/* when unset */
};

/*
 * Fills js with every built-in profile and the selected one (--java,
 * --java-security); problems become findings in r.  js->sel < 0 when
 * nothing could be loaded.  java_free() releases the profiles.
 */
void	java_load(const struct probe_env *env, struct suites *reg,
	    struct java_set *js, struct step_result *r);
void	java_free(struct java_set *js);

/* Versions joined by spaces, highest first. */
void	java_versions_text(const uint16_t *v, size_t n, char *buf,
	    size_t cap);

/*
 * Negotiates every profile of js against s into jv[] (at most
 * JAVA_VERDICTS_MAX rows) and the selected one into *sel.  Returns the
 * number of rows.
 */
size_t	java_table(const struct java_set *js,
	    const struct javaprof_server *s, struct java_verdict *jv,
	    struct javaprof_result *sel);

/*
 * The finding for a selected profile that cannot talk to the server;
 * adv (NULL: none) says what works.  suites_known: step 4 (an edit of
 * java.security can be worked out); file: the java.security to edit.
 */
void	java_failure(struct step_result *r,
	    const struct javaprof_result *res,
	    const struct javaprof_advice *adv, int suites_known,
	    const char *file);

/*
 * The Java a step judged with, for messages: "Java 17"; a profile with
 * the runtime's or the user's java.security ("17+file", the JSON's
 * java_profile) "Java 17 with its java.security"; a profile file
 * "the Java of the profile FILE".  Returns buf.
 */
const char	*tls_steps_java_label(const char *profile, char *buf,
		    size_t cap);

#endif
