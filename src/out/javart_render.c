/*
 * The user's Java in the report (report.h): the runtime a check read --
 * which one, from where, the profile chosen for it, its java.security,
 * trust store and command-line overrides -- and its confirmation of the
 * block, beside smtpwiz's own verification.
 */
#include <stdio.h>
#include <string.h>

#include "confirm.h"
#include "javart.h"
#include "json.h"
#include "report.h"
#include "textout.h"

/* The java.security judged, one phrase. */
static void
security_text(const struct javart *rt, char *buf, size_t cap)
{
	if (rt->security[0] == '\0') {
		snprintf(buf, cap, "(none found: the profile's)");
		return;
	}
	if (rt->security_props[0] != '\0' && rt->override_allowed)
		snprintf(buf, cap, "%.200s %s %.200s (-Djava.security."
		    "properties%s)", rt->security, rt->security_replace ?
		    "replaced by" : "with", rt->security_props,
		    rt->security_replace ? "==" : "=");
	else
		snprintf(buf, cap, "%s", rt->security);
}

void
report_runtime_text(FILE *f, const struct javart *rt, int used,
    const char *profile, const char *prefix)
{
	char line[1400], sec[600];
	size_t i;

	if (rt == NULL || !rt->found) {
		fprintf(f, "%sJava: no runtime found (--java-home, JAVA_HOME, "
		    "java on PATH): judged with the built-in profile %s\n",
		    prefix, profile);
		return;
	}
	javart_describe(rt, line, sizeof(line));
	fprintf(f, "%sJava: %s\n", prefix, line);
	if (!used) {
		fprintf(f, "%s  profile %s chosen by --java: this runtime's "
		    "java.security is not read\n", prefix, profile);
		return;
	}
	fprintf(f, "%s  profile %s: %s\n", prefix, profile, rt->profile_why);
	security_text(rt, sec, sizeof(sec));
	fprintf(f, "%s  java.security: %s\n", prefix, sec);
	if (rt->truststore[0] != '\0')
		fprintf(f, "%s  trust store: %s (-Djavax.net.ssl.trustStore)\n",
		    prefix, rt->truststore);
	if (rt->pid > 0)
		fprintf(f, "%s  command: %s\n", prefix, rt->command);
	for (i = 0; i < rt->nnotes; i++) {
		snprintf(line, sizeof(line), "%s  ", prefix);
		textout_wrap(f, line, line, rt->notes[i], 1);
	}
}

void
report_runtime_json(struct json *j, const struct javart *rt, int used,
    const char *profile)
{
	char sec[600];
	size_t i;

	if (rt == NULL || !rt->found) {
		json_null(j, "java_runtime");
		return;
	}
	json_open(j, "java_runtime", '{');
	json_str(j, "home", rt->home);
	json_str(j, "java", rt->java);
	json_str(j, "source", rt->source);
	json_str(j, "version", rt->version[0] ? rt->version : NULL);
	json_bool(j, "used", used);
	json_str(j, "profile", profile);
	json_str(j, "profile_reason", used ? rt->profile_why :
	    "chosen by --java");
	json_str(j, "java_security", rt->security[0] ? rt->security : NULL);
	security_text(rt, sec, sizeof(sec));
	json_str(j, "java_security_read", sec);
	json_str(j, "security_properties", rt->security_props[0] ?
	    rt->security_props : NULL);
	json_bool(j, "override_allowed", rt->override_allowed);
	json_str(j, "truststore", rt->truststore[0] ? rt->truststore : NULL);
	json_str(j, "client_protocols", rt->client_protocols[0] ?
	    rt->client_protocols : NULL);
	json_str(j, "https_protocols", rt->https_protocols[0] ?
	    rt->https_protocols : NULL);
	if (rt->pid > 0) {
		json_int(j, "pid", rt->pid);
		json_str(j, "name", rt->name);
		json_str(j, "command", rt->command);
	} else
		json_null(j, "pid");
	json_open(j, "notes", '[');
	for (i = 0; i < rt->nnotes; i++)
		json_str(j, NULL, rt->notes[i]);
	json_close(j, ']');
	json_close(j, '}');
}

/*
 * What smtpwiz itself says of the block, to set against the real
 * Java's outcome: its verification's, when that ran; when it could
 * not (this build cannot complete the TLS version that Java would use,
 * or the steps stopped it), the steps' verdicts: the block works
 * unless a step failed.  *basis: "verification" or "steps".
 */
int
report_own_outcome(const struct report *rep, const char **basis)
{
	int i;

	*basis = "verification";
	if (rep->verify != NULL && rep->verify->result != VERIFY_NOT_RUN)
		return rep->verify->result == VERIFY_VERIFIED;
	*basis = "steps";
	for (i = 0; i < STEP_COUNT; i++)
		if (rep->steps[i] != NULL &&
		    rep->steps[i]->verdict == VERDICT_FAIL)
			return 0;
	return 1;
}

/* Did smtpwiz come to the same outcome? */
static int
agrees(const struct report *rep)
{
	const char *basis;

	return report_own_outcome(rep, &basis) ==
	    (rep->confirm->result == CONFIRM_OK);
}

void
report_confirm_text(FILE *f, const struct report *rep)
{
	const struct confirm_result *c = rep->confirm;
	const char *basis;
	char line[1600];

	if (c == NULL)
		return;
	fprintf(f, "\nConfirmation by your Java: %s\n",
	    confirm_outcome_name(c->result));
	if (c->result == CONFIRM_NOT_RUN) {
		textout_wrap(f, "  ", "  ", c->detail, 1);
		return;
	}
	fprintf(f, "  Java %s\n  mail library %s\n  from %s\n", c->java,
	    c->lib, c->jar_source);
	if (c->result == CONFIRM_FAILED) {
		snprintf(line, sizeof(line), "Java threw: %s", c->exception);
		textout_wrap(f, "  ", "    ", line, 1);
		if (c->step != 0)
			fprintf(f, "  the decoder: %s, step %d (%s)\n",
			    c->explain_id, c->step, step_title(c->step));
	}
	report_own_outcome(rep, &basis);
	if (!agrees(rep) && strcmp(basis, "verification") == 0)
		fprintf(f, "  DISAGREES with smtpwiz's verification (%s): "
		    "the real Java's outcome decides the result.\n",
		    verify_outcome_name(rep->verify->result));
	else if (!agrees(rep))
		fprintf(f, "  DISAGREES with smtpwiz's steps (the verification "
		    "could not run; %s): the real Java's outcome decides the "
		    "result.\n", report_own_outcome(rep, &basis) ? "no step "
		    "failed" : "a step failed");
	else if (strcmp(basis, "steps") == 0)
		fprintf(f, "  agrees with smtpwiz's steps (this build could "
		    "not run the verification itself)\n");
}

void
report_confirm_json(struct json *j, const struct report *rep)
{
	const struct confirm_result *c = rep->confirm;
	const char *basis;

	if (c == NULL)
		return;
	json_open(j, "confirmation", '{');
	json_str(j, "result", confirm_outcome_name(c->result));
	json_str(j, "java", c->java[0] ? c->java : NULL);
	json_str(j, "mail_lib", c->lib[0] ? c->lib : NULL);
	json_str(j, "classpath", c->classpath[0] ? c->classpath : NULL);
	json_str(j, "jar_source", c->jar_source[0] ? c->jar_source : NULL);
	json_str(j, "java_exception", c->exception[0] ? c->exception : NULL);
	json_str(j, "explain_id", c->explain_id[0] ? c->explain_id : NULL);
	if (c->step != 0)
		json_int(j, "step", c->step);
	else
		json_null(j, "step");
	json_str(j, "detail", c->detail);
	if (c->result != CONFIRM_NOT_RUN) {
		json_bool(j, "agrees", agrees(rep));
		report_own_outcome(rep, &basis);
		json_str(j, "compared_with", basis);
	} else {
		json_null(j, "agrees");
		json_null(j, "compared_with");
	}
	json_int(j, "elapsed_ms", c->elapsed_ms);
	json_close(j, '}');
}
