/*
 * Step 3's result as text (the batch report) and as the JSON "data"
 * object of the JSON contract (README, "JSON for scripts"): the
 * versions accepted, the sweep's figures and the Java table.
 */
#include <stdio.h>
#include <string.h>

#include "hello.h"
#include "json.h"
#include "probe.h"
#include "tls_steps_int.h"

static const char *
tri_word(enum tri t, const char *yes, const char *no)
{
	return t == TRI_YES ? yes : t == TRI_NO ? no : "unknown";
}

void
proto_data_text(FILE *f, const struct step_result *r)
{
	char label[320];	/* tls_steps_java_label() */
	const struct proto_data *d = &r->d.proto;
	int i;

	if (!d->available)
		return;
	for (i = 0; i < TLS_NVERS; i++) {
		const struct proto_version *v = &d->v[i];

		fprintf(f, "  %-12s%-8s%s%s%s%s\n",
		    hello_version_name(v->version),
		    tri_word(v->accepted, "yes", "no"),
		    v->accepted == TRI_YES ? (v->secure ? "secure" :
		    "insecure") : "", v->accepted != TRI_YES && v->why[0] ?
		    "(" : "", v->accepted != TRI_YES ? v->why : "",
		    v->accepted != TRI_YES && v->why[0] ? ")" : "");
	}
	if (d->java_profile[0] != '\0')
		fprintf(f, "  %-12s%s enables %s\n", "client",
		    tls_steps_java_label(d->java_profile, label,
		    sizeof(label)), d->java_enabled[0] ? d->java_enabled :
		    "no version");
	if (d->recommended[0] != '\0')
		fprintf(f, "  %-12smail.smtp.ssl.protocols=%s\n", "recommended",
		    d->recommended);
	tls_steps_sweep_text(f, &d->sweep);
	tls_steps_java_text(f, d->java, d->njava, 0);
}

void
proto_data_json(struct json *j, const struct step_result *r)
{
	const struct proto_data *d = &r->d.proto;
	int i;

	if (!d->available)
		return;
	json_open(j, "accepted", '{');
	for (i = 0; i < TLS_NVERS; i++)
		json_tri(j, hello_version_name(d->v[i].version),
		    d->v[i].accepted);
	json_close(j, '}');
	json_open(j, "considered_secure", '{');
	for (i = 0; i < TLS_NVERS; i++)
		json_bool(j, hello_version_name(d->v[i].version),
		    d->v[i].secure);
	json_close(j, '}');
	json_open(j, "reasons", '{');
	for (i = 0; i < TLS_NVERS; i++)
		if (d->v[i].accepted != TRI_YES)
			json_str(j, hello_version_name(d->v[i].version),
			    d->v[i].why);
	json_close(j, '}');
	json_open(j, "inferred", '{');
	for (i = 0; i < TLS_NVERS; i++)
		json_bool(j, hello_version_name(d->v[i].version),
		    d->v[i].inferred);
	json_close(j, '}');
	json_bool(j, "tls13_hello_retry", d->v[4].hrr);
	json_words(j, "java_enabled", d->java_enabled);
	if (d->recommended[0] != '\0')
		json_str(j, "recommended", d->recommended);
	else
		json_null(j, "recommended");
	json_str(j, "java_profile", d->java_profile);
	tls_steps_java_json(j, d->java, d->njava);
	tls_steps_sweep_json(j, &d->sweep);
}
