/*
 * Rendering results: text for people, JSON for scripts.
 */
#include <stdlib.h>
#include <string.h>

#include "confirm.h"
#include "json.h"
#include "report.h"
#include "textout.h"
#include "tls.h"
#include "version.h"

int
report_exit_status(const struct report *rep)
{
	int i;

	/* The user's own Java is the judge when it could run. */
	if (rep->confirm != NULL && rep->confirm->result == CONFIRM_OK)
		return 0;
	if (rep->confirm != NULL && rep->confirm->result == CONFIRM_FAILED) {
		if (rep->confirm->step >= 1 && rep->confirm->step <= STEP_COUNT)
			return rep->confirm->step;
		if (rep->verify != NULL && rep->verify->step != 0)
			return (int)rep->verify->step;
		for (i = 0; i < STEP_COUNT; i++)
			if (rep->steps[i] != NULL &&
			    rep->steps[i]->verdict == VERDICT_FAIL)
				return i + 1;
		return 1;
	}
	/* A verified block works: what failed were the settings it fixed. */
	if (rep->verify != NULL && rep->verify->result == VERIFY_VERIFIED)
		return 0;
	for (i = 0; i < STEP_COUNT; i++)
		if (rep->steps[i] != NULL &&
		    rep->steps[i]->verdict == VERDICT_FAIL)
			return i + 1;
	if (rep->verify != NULL)
		return rep->verify->step ? (int)rep->verify->step : 1;
	return 0;
}

/* ---- text ---- */

static const char *
paint(int color, enum verdict v)
{
	if (!color)
		return "";
	switch (v) {
	case VERDICT_PASS:	return "\033[32m";
	case VERDICT_WARN:	return "\033[33m";
	case VERDICT_FAIL:	return "\033[31m";
	default:		return "\033[2m";
	}
}

static void
text_conn(FILE *f, const struct conn_data *d)
{
	size_t i;

	for (i = 0; i < d->naddrs; i++) {
		const struct addr_result *a = &d->addrs[i];

		if (a->status == SW_OK)
			fprintf(f, "  %-12s%s  connected in %lld ms\n",
			    i ? "" : "address", a->text,
			    (long long)a->connect_ms);
		else
			fprintf(f, "  %-12s%s  %s\n", i ? "" : "address",
			    a->text, a->status == SW_ERR_COUNT ? "not tried" :
			    a->error);
	}
	if (d->greeting[0] != '\0') {
		textout_lines(f, "greeting", d->greeting);
		fprintf(f, "  %-12safter %.1f s\n", "",
		    (double)d->greeting_ms / 1000);
	}
	if (d->nehlo > 0 || d->ehlo_code != 0 || d->nehlo_tls > 0)
		fprintf(f, "  %-12sEHLO %s (%s)\n", "sent", d->ehlo_name,
		    d->ehlo_name_source);
	if (d->nehlo > 0 || d->ehlo_code != 0)
		textout_lines(f, "EHLO", d->nehlo ? d->ehlo : "(nothing)");
	fprintf(f, "  %-12s%s\n", "STARTTLS", tri_name(d->starttls_offered));
	if (d->tls_ok == TRI_YES)
		fprintf(f, "  %-12s%s\n", "TLS", d->tls_summary);
	else if (d->tls_ok == TRI_NO)
		fprintf(f, "  %-12sfailed: %s\n", "TLS", d->tls_error);
	if (d->nehlo_tls > 0)
		textout_lines(f, "after TLS", d->ehlo_tls);
	fprintf(f, "  %-12s%s (settings: %s)\n", "detected",
	    smtp_mode_name(d->detected_mode),
	    smtp_mode_name(d->configured_mode));
	if (d->proxy[0] != '\0')
		fprintf(f, "  %-12s%s %s\n", "proxy", d->proxy_kind, d->proxy);
	if (d->provider[0] != '\0')
		fprintf(f, "  %-12s%s (by its %s)\n", "provider",
		    d->provider_name, d->provider_by);
	for (i = 0; i < d->ndiscover; i++)
		fprintf(f, "  %-12s%-5u %s%s%s\n", i ? "" : "discover",
		    d->discover[i].port,
		    d->discover[i].reachable ?
		    smtp_mode_name(d->discover[i].mode) : "unreachable",
		    d->discover[i].greeting[0] ? "  " : "",
		    d->discover[i].greeting);
}

static void
text_findings(FILE *f, const struct step_result *r, int color)
{
	size_t i, k;

	for (i = 0; i < r->nfindings; i++) {
		const struct finding *x = &r->findings[i];
		enum verdict v = x->sev == SEV_FAIL ? VERDICT_FAIL :
		    x->sev == SEV_WARN ? VERDICT_WARN : VERDICT_PASS;

		fprintf(f, "\n  %s%-4s%s %s\n", paint(color, v),
		    x->sev == SEV_FAIL ? "FAIL" : x->sev == SEV_WARN ?
		    "WARN" : "info", color ? "\033[0m" : "", x->id);
		textout_wrap(f, "       ", "       ", x->message, 1);
		for (k = 0; k < x->nsuggest; k++)
			fprintf(f, "       set: %s=%s\n", x->suggest[k].key,
			    x->suggest[k].value);
	}
}

void
report_data_text(FILE *f, const struct step_result *r)
{
	if (r->verdict == VERDICT_SKIPPED)
		return;
	switch (r->step) {
	case STEP_CONNECTION:	text_conn(f, &r->d.conn); break;
	case STEP_CERTIFICATES:	cert_data_text(f, &r->d.cert); break;
	case STEP_PROTOCOLS:	proto_data_text(f, &r->d.proto); break;
	case STEP_CIPHERS:	cipher_data_text(f, &r->d.ciphers); break;
	case STEP_AUTH:		auth_data_text(f, &r->d.auth); break;
	}
}

static int
failing_step(const struct report *rep)
{
	int i;

	for (i = 0; i < STEP_COUNT; i++)
		if (rep->steps[i] != NULL &&
		    rep->steps[i]->verdict == VERDICT_FAIL)
			return i + 1;
	return 0;
}

void
report_text(FILE *f, const struct report *rep, int color)
{
	int i, rc;

	fprintf(f, "smtpwiz %s  %s port %u  (%s: %s, %s)\n",
	    SMTPWIZ_VERSION, rep->host, rep->port,
	    rep->mode_probed ? "probed" : "settings",
	    smtp_mode_name(rep->mode), tls_library_version());
	report_runtime_text(f, rep->runtime, rep->runtime_used,
	    rep->java_profile, "");
	if (rep->settings != NULL && rep->settings->nfindings > 0) {
		fprintf(f, "\nYour settings, as Java reads them\n");
		text_findings(f, rep->settings, color);
	}
	for (i = 0; i < STEP_COUNT; i++) {
		const struct step_result *r = rep->steps[i];

		if (r == NULL)
			continue;
		fprintf(f, "\nStep %d  %-40s %s%s%s\n", i + 1,
		    step_title(i + 1), paint(color, r->verdict),
		    verdict_name(r->verdict), color ? "\033[0m" : "");
		if (r->verdict == VERDICT_SKIPPED) {
			textout_wrap(f, "  ", "  ", r->skip_reason, 1);
			continue;
		}
		report_data_text(f, r);
		text_findings(f, r, color);
	}
	if (rep->block != NULL) {
		char *text = NULL;

		if (block_to_text(rep->block, BLOCK_PROPERTIES, &text, NULL) ==
		    SW_OK) {
			fprintf(f, "\nSettings block (Jakarta Mail "
			    ".properties; --format js7, js7-json or spring "
			    "for the other forms):\n\n%s", text);
		}
		free(text);
	}
	if (rep->verify != NULL)
		verify_text(f, rep->verify, color);
	else if (rep->verify_skipped != NULL)
		fprintf(f, "\nVerification of the settings block: not-run\n  "
		    "%s\n", rep->verify_skipped);
	report_confirm_text(f, rep);
	rc = report_exit_status(rep);
	if (rep->confirm != NULL && rep->confirm->result == CONFIRM_OK)
		fprintf(f, "\nResult: your Java confirmed the settings "
		    "block.\n");
	else if (rep->confirm != NULL &&
	    rep->confirm->result == CONFIRM_FAILED)
		fprintf(f, "\nResult: your Java fails with the settings block "
		    "(step %d, %s).\n", rc, step_title(rc));
	else if (rc == 0 && rep->verify != NULL)
		fprintf(f, "\nResult: the settings block was verified%s.\n",
		    failing_step(rep) ? " (what failed above is fixed in it)" :
		    "");
	else if (rc == 0)
		fprintf(f, "\nResult: no step failed (the block was not "
		    "verified).\n");
	else if (rep->steps[rc - 1] != NULL &&
	    rep->steps[rc - 1]->verdict == VERDICT_FAIL)
		fprintf(f, "\nResult: step %d (%s) failed.\n", rc,
		    step_title(rc));
	else
		fprintf(f, "\nResult: the block is not verified: %s (step %d, "
		    "%s).\n", rep->verify->result == VERIFY_FAILED ? "it fails"
		    : "it could not be checked", rc, step_title(rc));
}

/* ---- JSON ---- */

static void
json_lines(struct json *j, const char *key, const char *lines)
{
	const char *p = lines;

	json_open(j, key, '[');
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		json_strn(j, NULL, p, n);
		p += n;
		if (*p == '\n')
			p++;
	}
	json_close(j, ']');
}

static void
json_mechanisms(struct json *j, const char *key, const struct smtp_caps *c)
{
	if (c->auth == TRI_UNKNOWN)	/* never saw an EHLO reply */
		json_null(j, key);
	else
		json_words(j, key, c->mechanisms);
}

static void
json_conn_addrs(struct json *j, const struct conn_data *d)
{
	size_t i;

	json_open(j, "addresses", '[');
	for (i = 0; i < d->naddrs; i++)
		json_str(j, NULL, d->addrs[i].text);
	json_close(j, ']');
	json_open(j, "connect", '[');
	for (i = 0; i < d->naddrs; i++) {
		const struct addr_result *a = &d->addrs[i];

		json_open(j, NULL, '{');
		json_str(j, "address", a->text);
		json_str(j, "status", a->status == SW_OK ? "connected" :
		    a->status == SW_ETIMEOUT ? "timeout" :
		    a->status == SW_ERR_COUNT ? "not-tried" : "refused");
		json_int(j, "ms", a->connect_ms);
		if (a->status != SW_OK && a->status != SW_ERR_COUNT)
			json_str(j, "error", a->error);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void
json_conn(struct json *j, const struct conn_data *d)
{
	size_t i;

	json_open(j, "data", '{');
	json_conn_addrs(j, d);
	json_str(j, "greeting", d->greeting[0] ? d->greeting : NULL);
	json_int(j, "greeting_code", d->greeting_code);
	json_int(j, "greeting_ms", d->greeting_ms);
	json_str(j, "ehlo_name", d->ehlo_name);
	if (d->caps.auth == TRI_UNKNOWN)
		json_null(j, "ehlo");
	else
		json_lines(j, "ehlo", d->ehlo);
	json_tri(j, "starttls_offered", d->starttls_offered);
	json_mechanisms(j, "auth_before_tls", &d->caps);
	json_tri(j, "tls_ok", d->tls_ok);
	json_str(j, "tls", d->tls_ok == TRI_YES ? d->tls_summary : NULL);
	json_str(j, "tls_error", d->tls_ok == TRI_NO ? d->tls_error : NULL);
	if (d->caps_tls.auth == TRI_UNKNOWN)
		json_null(j, "ehlo_after_tls");
	else
		json_lines(j, "ehlo_after_tls", d->ehlo_tls);
	json_mechanisms(j, "auth_after_tls", &d->caps_tls);
	json_str(j, "configured_mode", smtp_mode_name(d->configured_mode));
	json_str(j, "detected_mode", smtp_mode_name(d->detected_mode));
	if (d->proxy[0] == '\0')
		json_null(j, "proxy");
	else {
		json_open(j, "proxy", '{');
		json_str(j, "kind", d->proxy_kind);
		json_str(j, "address", d->proxy);
		json_close(j, '}');
	}
	if (d->provider[0] == '\0')
		json_null(j, "provider");
	else {
		json_open(j, "provider", '{');
		json_str(j, "id", d->provider);
		json_str(j, "name", d->provider_name);
		json_str(j, "recognised_by", d->provider_by);
		json_close(j, '}');
	}
	json_open(j, "discover", '[');
	for (i = 0; i < d->ndiscover; i++) {
		json_open(j, NULL, '{');
		json_int(j, "port", d->discover[i].port);
		json_bool(j, "reachable", d->discover[i].reachable);
		json_str(j, "mode", smtp_mode_name(d->discover[i].mode));
		json_str(j, "greeting", d->discover[i].greeting);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
}

static void
json_findings(struct json *j, const struct step_result *r)
{
	size_t i, k;

	json_open(j, "findings", '[');
	for (i = 0; i < r->nfindings; i++) {
		const struct finding *x = &r->findings[i];

		json_open(j, NULL, '{');
		json_str(j, "id", x->id);
		json_str(j, "severity", severity_name(x->sev));
		json_str(j, "message", x->message);
		if (x->optin)
			json_bool(j, "optin", 1);
		json_open(j, "suggest", '{');
		for (k = 0; k < x->nsuggest; k++)
			json_str(j, x->suggest[k].key, x->suggest[k].value);
		json_close(j, '}');
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* Wraps a step's data writer in the "data" object. */
#define step_data_json(j, fn, data) do {				\
	json_open((j), "data", '{');					\
	fn((j), (data));						\
	json_close((j), '}');						\
} while (0)

static void
json_step(struct json *j, int n, const struct step_result *r)
{
	json_open(j, NULL, '{');
	json_int(j, "step", n);
	json_str(j, "name", step_name(n));
	json_str(j, "verdict", r ? verdict_name(r->verdict) : "skipped");
	if (r == NULL || r->verdict == VERDICT_SKIPPED)
		json_str(j, "reason", r ? r->skip_reason : "not requested");
	if (r == NULL)
		goto out;
	json_findings(j, r);
	/* Step 5's data says "skipped" and why: scripts read its result. */
	if (r->verdict == VERDICT_SKIPPED && n != STEP_AUTH)
		goto out;
	switch (n) {
	case STEP_CONNECTION:	json_conn(j, &r->d.conn); break;
	case STEP_CERTIFICATES:	step_data_json(j, cert_data_json, &r->d.cert);
				break;
	case STEP_PROTOCOLS:	step_data_json(j, proto_data_json, &r->d.proto);
				break;
	case STEP_CIPHERS:	step_data_json(j, cipher_data_json,
				    &r->d.ciphers);
				break;
	case STEP_AUTH:		step_data_json(j, auth_data_json, &r->d.auth);
				break;
	}
out:
	json_close(j, '}');
}

void
report_json(FILE *f, const struct report *rep)
{
	struct json j;
	int i;

	json_init(&j, f);
	json_open(&j, NULL, '{');
	json_open(&j, "tool", '{');
	json_str(&j, "name", "smtpwiz");
	json_str(&j, "version", SMTPWIZ_VERSION);
	json_str(&j, "tls_library", tls_library_version());
	json_close(&j, '}');
	json_open(&j, "target", '{');
	json_str(&j, "host", rep->host);
	json_int(&j, "port", rep->port);
	json_str(&j, "mode", smtp_mode_name(rep->mode));
	json_close(&j, '}');
	json_str(&j, "java_profile", rep->java_profile);
	report_runtime_json(&j, rep->runtime, rep->runtime_used,
	    rep->java_profile);
	json_open(&j, "settings", '{');
	if (rep->settings != NULL)
		json_findings(&j, rep->settings);
	json_close(&j, '}');
	json_open(&j, "steps", '[');
	for (i = 0; i < STEP_COUNT; i++)
		json_step(&j, i + 1, rep->steps[i]);
	json_close(&j, ']');
	json_open(&j, "properties", '{');
	for (i = 0; rep->block != NULL && i < (int)props_count(rep->block->p);
	    i++)
		json_str(&j, props_key(rep->block->p, i),
		    props_value(rep->block->p, i));
	json_close(&j, '}');
	if (rep->verify != NULL)
		verify_json(&j, rep->verify);
	else {
		json_open(&j, "verification", '{');
		json_str(&j, "result", "not-run");
		json_null(&j, "stage");
		json_null(&j, "java_exception");
		json_null(&j, "step");
		json_str(&j, "detail", rep->verify_skipped ?
		    rep->verify_skipped : "");
		json_close(&j, '}');
	}
	report_confirm_json(&j, rep);
	json_int(&j, "exit_status", report_exit_status(rep));
	json_close(&j, '}');
}
