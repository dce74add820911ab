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
	const struct step_def *sd = step_def(r->step);

	if (r->verdict != VERDICT_SKIPPED && sd != NULL)
		sd->text(f, r);
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

static void
json_step(struct json *j, int n, const struct step_result *r)
{
	const struct step_def *sd = step_def(n);

	json_open(j, NULL, '{');
	json_int(j, "step", n);
	json_str(j, "name", step_name(n));
	json_str(j, "verdict", r ? verdict_name(r->verdict) : "skipped");
	if (r == NULL || r->verdict == VERDICT_SKIPPED)
		json_str(j, "reason", r ? r->skip_reason : "not requested");
	if (r == NULL)
		goto out;
	json_findings(j, r);
	if (r->verdict == VERDICT_SKIPPED && !sd->data_when_skipped)
		goto out;
	json_open(j, "data", '{');
	sd->json(j, r);
	json_close(j, '}');
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
