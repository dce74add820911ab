/*
 * Step 4's result as text (the batch report) and as the JSON "data"
 * object of the JSON contract (README, "JSON for scripts"): the suites
 * per version, the sweep's figures and the Java table.
 */
#include <stdio.h>
#include <string.h>

#include "hello.h"
#include "json.h"
#include "probe.h"
#include "tls_steps_int.h"

void
cipher_data_text(FILE *f, const struct step_result *r)
{
	char label[320];	/* tls_steps_java_label() */
	const struct cipher_data *d = &r->d.ciphers;
	size_t k;
	int i;

	if (!d->available)
		return;
	for (i = TLS_NVERS - 1; i >= 0; i--) {
		const struct cipher_version *v = &d->v[i];

		if (v->accepted == TRI_NO)
			continue;
		if (v->accepted == TRI_UNKNOWN) {
			fprintf(f, "  %-9s unknown (%s)\n",
			    hello_version_name(v->version), v->why);
			continue;
		}
		fprintf(f, "  %-9s %zu suite%s%s, %s\n",
		    hello_version_name(v->version),
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
		fprintf(f, "  %-12s%s: %s %s\n", "negotiates",
		    tls_steps_java_label(d->java_profile, label,
		    sizeof(label)), hello_version_name(d->java_version),
		    d->java_suite_name);
	if (d->edit.key[0] != '\0')
		fprintf(f, "  java.security change (LOWERS SECURITY), best "
		    "in a file of its own\n  that only this application "
		    "reads, started with\n  -Djava.security.properties=FILE "
		    "(not $JAVA_HOME/%s,\n  which every application of this "
		    "Java reads); FILE holds the one line:\n    %s=%s\n",
		    d->edit.file, d->edit.key, d->edit.value);
	tls_steps_sweep_text(f, &d->sweep);
	tls_steps_java_text(f, d->java, d->njava, 1);
}

/* Per accepted version, the suites' IANA names; null when unknown. */
static void
accepted_json(struct json *j, const struct cipher_data *d)
{
	size_t k;
	int i;

	json_open(j, "accepted", '{');
	for (i = 0; i < TLS_NVERS; i++) {
		const struct cipher_version *v = &d->v[i];

		if (v->accepted == TRI_UNKNOWN)
			json_null(j, hello_version_name(v->version));
		if (v->accepted != TRI_YES)
			continue;
		json_open(j, hello_version_name(v->version), '[');
		for (k = 0; k < v->nsuites; k++)
			json_str(j, NULL, v->suites[k].iana);
		json_close(j, ']');
	}
	json_close(j, '}');
}

/* Per accepted version, every suite with its registry entry. */
static void
suites_json(struct json *j, const struct cipher_data *d)
{
	size_t k;
	int i;

	json_open(j, "suites", '{');
	for (i = 0; i < TLS_NVERS; i++) {
		const struct cipher_version *v = &d->v[i];

		if (v->accepted != TRI_YES)
			continue;
		json_open(j, hello_version_name(v->version), '[');
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
}

static void
edit_json(struct json *j, const struct java_edit *ed)
{
	if (ed->key[0] == '\0') {
		json_null(j, "java_security_edit");
		return;
	}
	json_open(j, "java_security_edit", '{');
	json_str(j, "file", ed->file);
	json_str(j, "key", ed->key);
	json_str(j, "value", ed->value);
	json_str(j, "removes", ed->removed);
	json_bool(j, "lowers_security", 1);
	json_close(j, '}');
}

void
cipher_data_json(struct json *j, const struct step_result *r)
{
	const struct cipher_data *d = &r->d.ciphers;
	int i;

	if (!d->available)
		return;
	accepted_json(j, d);
	json_tri(j, "server_order", d->server_order);
	json_open(j, "server_order_by_version", '{');
	for (i = 0; i < TLS_NVERS; i++)
		if (d->v[i].accepted == TRI_YES)
			json_tri(j, hello_version_name(d->v[i].version),
			    d->v[i].server_order);
	json_close(j, '}');
	json_open(j, "complete", '{');
	for (i = 0; i < TLS_NVERS; i++)
		if (d->v[i].accepted == TRI_YES)
			json_tri(j, hello_version_name(d->v[i].version),
			    d->v[i].complete);
	json_close(j, '}');
	suites_json(j, d);
	/* Suites counted from another version's answers (one suite list
	 * below TLS 1.3), no hello of their own. */
	json_open(j, "inferred_from", '{');
	for (i = 0; i < TLS_NVERS; i++)
		if (d->v[i].accepted == TRI_YES && d->v[i].inferred_from)
			json_str(j, hello_version_name(d->v[i].version),
			    hello_version_name(d->v[i].inferred_from));
	json_close(j, '}');
	if (d->java_version != 0) {
		json_open(j, "java_negotiates", '{');
		json_str(j, "version", hello_version_name(d->java_version));
		json_str(j, "suite", d->java_suite_name);
		json_close(j, '}');
	} else
		json_null(j, "java_negotiates");
	edit_json(j, &d->edit);
	json_str(j, "java_profile", d->java_profile);
	tls_steps_java_json(j, d->java, d->njava);
	tls_steps_sweep_json(j, &d->sweep);
}
