/*
 * Steps 3 and 4's results as text (the batch report) and as the JSON
 * "data" objects of the contract in DESIGN.md: the versions accepted,
 * the suites per version, the sweep's figures and the Java table.
 */
#include <stdio.h>
#include <string.h>

#include "hello.h"
#include "json.h"
#include "probe.h"

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
	    s->mode_assumed ? ", assumed" : s->mode_detected ?
	    ", found out first" : "",
	    (double)s->elapsed_ms / 1000, s->concurrency);
	if (s->retries > 0)
		fprintf(f, "; %u retried (421: %u, refused: %u, reset: %u, "
		    "timeout: %u), bound lowered to %d", s->retries,
		    s->greeting_4xx, s->refused, s->resets, s->timeouts,
		    s->min_concurrency);
	if (s->inferred > 0)
		fprintf(f, "; %u answer%s inferred (--exhaustive for none)",
		    s->inferred, s->inferred == 1 ? "" : "s");
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
			    hello_version_name(j->version), suites ? " " : "",
			    suites ? j->suite_name : "");
		else
			snprintf(neg, sizeof(neg), "%s", j->ok == TRI_UNKNOWN ?
			    "unknown" : "nothing (see below)");
		fprintf(f, "  %-10s %-26s %s\n", j->profile,
		    j->enabled[0] ? j->enabled : "(none)", neg);
	}
}

void
proto_data_text(FILE *f, const struct step_result *r)
{
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
cipher_data_text(FILE *f, const struct step_result *r)
{
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
		fprintf(f, "  %-12sJava %s: %s %s\n", "negotiates",
		    d->java_profile, hello_version_name(d->java_version),
		    d->java_suite_name);
	if (d->edit.key[0] != '\0')
		fprintf(f, "  java.security change (LOWERS SECURITY), best "
		    "in a file of its own\n  that only this application "
		    "reads, started with\n  -Djava.security.properties=FILE "
		    "(not $JAVA_HOME/%s,\n  which every application of this "
		    "Java reads); FILE holds the one line:\n    %s=%s\n",
		    d->edit.file, d->edit.key, d->edit.value);
	sweep_text(f, &d->sweep);
	java_text(f, d->java, d->njava, 1);
}

static void
sweep_json(struct json *j, const struct tls_sweep_info *s)
{
	json_open(j, "sweep", '{');
	json_str(j, "address", s->addr);
	json_str(j, "mode", s->starttls ? "starttls" : "ssl");
	json_bool(j, "mode_assumed", s->mode_assumed);
	json_bool(j, "mode_detected", s->mode_detected);
	json_int(j, "connections", s->connections);
	json_int(j, "elapsed_ms", s->elapsed_ms);
	json_int(j, "concurrency", s->concurrency);
	json_int(j, "min_concurrency", s->min_concurrency);
	json_int(j, "server_limit", s->server_limit);
	json_int(j, "hold_ms", (int)s->hold_ms);
	json_int(j, "retries", s->retries);
	json_int(j, "greeting_4xx", s->greeting_4xx);
	json_int(j, "refused", s->refused);
	json_int(j, "resets", s->resets);
	json_int(j, "timeouts", s->timeouts);
	json_bool(j, "exhaustive", s->exhaustive);
	json_int(j, "inferred", s->inferred);
	json_close(j, '}');
}

static void
java_json(struct json *j, const struct java_verdict *jv, size_t n)
{
	size_t i;

	json_open(j, "java", '[');
	for (i = 0; i < n; i++) {
		const struct java_verdict *x = &jv[i];

		json_open(j, NULL, '{');
		json_str(j, "profile", x->profile);
		json_str(j, "title", x->title);
		json_words(j, "enabled", x->enabled);
		json_tri(j, "ok", x->ok);
		if (x->version != 0)
			json_str(j, "version", hello_version_name(x->version));
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
	java_json(j, d->java, d->njava);
	sweep_json(j, &d->sweep);
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
	java_json(j, d->java, d->njava);
	sweep_json(j, &d->sweep);
}
