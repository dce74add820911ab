/*
 * What steps 3 and 4 print alike: the sweep's figures and the Java
 * table, as text (the batch report) and as fields of the JSON "data"
 * object (proto_render.c, cipher_render.c).
 */
#include <stdio.h>
#include <string.h>

#include "hello.h"
#include "json.h"
#include "probe.h"
#include "tls_steps_int.h"

const char *
tls_steps_java_label(const char *profile, char *buf, size_t cap)
{
	size_t n = strlen(profile);

	if (strchr(profile, '/') != NULL)
		snprintf(buf, cap, "the Java of the profile %s", profile);
	else if (n > 5 && strcmp(profile + n - 5, "+file") == 0)
		snprintf(buf, cap, "Java %.*s with its java.security",
		    (int)(n - 5), profile);
	else
		snprintf(buf, cap, "Java %s", profile);
	return buf;
}

void
tls_steps_sweep_text(FILE *f, const struct tls_sweep_info *s)
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

void
tls_steps_java_text(FILE *f, const struct java_verdict *jv, size_t n,
    int suites)
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
tls_steps_sweep_json(struct json *j, const struct tls_sweep_info *s)
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

void
tls_steps_java_json(struct json *j, const struct java_verdict *jv, size_t n)
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
