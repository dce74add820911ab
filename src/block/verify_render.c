/*
 * The verification's result in words: the names of the JSON contract,
 * the one line that heads every settings block, and the report's
 * section in text and JSON.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "verify.h"

const char *
verify_outcome_name(enum verify_outcome o)
{
	return o == VERIFY_VERIFIED ? "verified" : o == VERIFY_FAILED ?
	    "failed" : "not-run";
}

const char *
verify_stage_name(enum verify_stage s)
{
	static const char *const names[] = {
		[VSTAGE_NONE] = "", [VSTAGE_SETTINGS] = "settings",
		[VSTAGE_RESOLVE] = "resolve", [VSTAGE_CONNECT] = "connect",
		[VSTAGE_GREETING] = "greeting", [VSTAGE_EHLO] = "ehlo",
		[VSTAGE_STARTTLS] = "starttls",
		[VSTAGE_HANDSHAKE] = "handshake", [VSTAGE_TRUST] = "trust",
		[VSTAGE_HOSTNAME] = "hostname", [VSTAGE_AUTH] = "auth",
		[VSTAGE_MAIL_FROM] = "mail-from",
		[VSTAGE_RCPT_TO] = "rcpt-to", [VSTAGE_DONE] = "",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "";
}

static const char *
lib_title(const char *lib)
{
	return strcmp(lib, "jakarta-mail-2") == 0 ? "Jakarta Mail 2.x" :
	    "JavaMail 1.6.2";
}

void
verify_headline(const struct verify_result *v, char *buf, size_t cap)
{
	char when[32] = "";
	struct tm tm;

	if (gmtime_r(&v->when, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	if (v->result == VERIFY_VERIFIED)
		snprintf(buf, cap, "VERIFIED: Java %s with %s connected to %s "
		    "(%s)%s%s, %s%s%s MAIL FROM accepted%s (%s).", v->java,
		    lib_title(v->mail_lib), v->target, v->addr,
		    v->tls[0] ? " over " : " without TLS", v->tls,
		    v->mech[0] ? "logged in with " : "", v->mech,
		    v->mech[0] ? "," : "", v->rcpt_checked ? ", RCPT TO "
		    "accepted" : "", when);
	else if (v->result == VERIFY_FAILED)
		snprintf(buf, cap, "NOT WORKING YET: Java %s with %s fails at "
		    "%s (step %d) against %s: %s", v->java,
		    lib_title(v->mail_lib), verify_stage_name(v->stage),
		    (int)v->step, v->target, v->java_exception[0] ?
		    v->java_exception : v->detail);
	else
		snprintf(buf, cap, "NOT VERIFIED: %s", v->detail[0] ?
		    v->detail : "the verification did not run");
}

void
verify_json(struct json *j, const struct verify_result *v)
{
	json_open(j, "verification", '{');
	json_str(j, "result", verify_outcome_name(v->result));
	if (v->stage != VSTAGE_NONE && v->stage != VSTAGE_DONE)
		json_str(j, "stage", verify_stage_name(v->stage));
	else
		json_null(j, "stage");
	if (v->java_exception[0])
		json_str(j, "java_exception", v->java_exception);
	else
		json_null(j, "java_exception");
	if (v->step)
		json_int(j, "step", v->step);
	else
		json_null(j, "step");
	json_str(j, "java", v->java);
	json_str(j, "mail_lib", v->mail_lib);
	json_str(j, "detail", v->detail);
	json_str(j, "target", v->target);
	json_str(j, "address", v->addr);
	json_str(j, "tls", v->tls);
	json_str(j, "groups", v->groups);
	json_str(j, "trust", v->trust);
	json_bool(j, "trust_needs_java_setting", v->trust_needs_java_setting);
	json_str(j, "trust_setting", v->trust_setting);
	json_str(j, "mechanism", v->mech);
	json_bool(j, "plaintext_auth", v->plaintext_auth);
	json_str(j, "mail_from", v->from);
	json_bool(j, "rcpt_to_checked", v->rcpt_checked);
	json_int(j, "connections", v->connections);
	json_int(j, "elapsed_ms", v->elapsed_ms);
	json_close(j, '}');
}

void
verify_text(FILE *f, const struct verify_result *v, int color)
{
	char line[1400];
	const char *on = "", *off = "";

	if (color) {
		on = v->result == VERIFY_VERIFIED ? "\033[32m" : "\033[31m";
		off = "\033[0m";
	}
	verify_headline(v, line, sizeof(line));
	fprintf(f, "\nVerification of the settings block: %s%s%s\n  %s\n",
	    on, verify_outcome_name(v->result), off, line);
	if (v->result != VERIFY_VERIFIED && v->detail[0] &&
	    v->java_exception[0])
		fprintf(f, "  %s\n", v->detail);
	if (v->result == VERIFY_VERIFIED && v->detail[0])
		fprintf(f, "  Note: %s\n", v->detail);
	if (v->trust[0])
		fprintf(f, "  Trust store: %s%s\n", v->trust,
		    v->trust_needs_java_setting ? " (Java must be given it)" :
		    "");
	if (v->plaintext_auth)
		fprintf(f, "  The password went without TLS, as allowed by "
		    "--allow-plaintext-auth.\n");
	if (v->result == VERIFY_VERIFIED && !v->rcpt_checked)
		fprintf(f, "  RCPT TO was not checked (give --rcpt-to).\n");
	fprintf(f, "  %u connection%s, %lld ms.\n", v->connections,
	    v->connections == 1 ? "" : "s", (long long)v->elapsed_ms);
}
