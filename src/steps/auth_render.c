/*
 * Step 5's result as text (the batch report) and as the JSON "data"
 * object of the JSON contract (README, "JSON for scripts"): the
 * mechanisms before and after TLS, Java's choice, each attempt with
 * the server's reply, the result and the test message.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "mail_test.h"
#include "probe.h"
#include "textout.h"

/*
 * Prints text after a 14-column label and indent more columns, wrapped
 * at 78 columns, continuation lines indented the same.
 */
static void
text_wrapped(FILE *f, const char *label, int indent, const char *text)
{
	char first[80], pad[80];

	snprintf(first, sizeof(first), "  %-12s%*s", label, indent, "");
	snprintf(pad, sizeof(pad), "  %-12s%*s", "", indent, "");
	textout_wrap(f, first, pad, text, 0);
}

static const char *
mech_list_text(enum tri auth, const char *list, const char *unknown)
{
	if (auth == TRI_UNKNOWN)
		return unknown;
	if (auth == TRI_NO || list[0] == '\0')
		return "no AUTH offered";
	return list;
}

static void
text_reply(FILE *f, const char *label, const char *mech, const char *reply)
{
	const char *p = reply;
	int first = 1;

	while (first || *p != '\0') {
		size_t n = strcspn(p, "\n");

		fprintf(f, "  %-12s%-9s %.*s\n", first ? label : "",
		    first ? mech : "", (int)n, p);
		first = 0;
		p += n;
		if (*p == '\n')
			p++;
	}
}

void
auth_data_text(FILE *f, const struct step_result *r)
{
	const struct auth_data *d = &r->d.auth;
	const struct mail_test *mt = &d->mail;
	char buf[700];
	size_t i;

	if (d->mode != MODE_SSL)
		fprintf(f, "  %-12s%s\n", d->mode == MODE_PLAIN ? "AUTH" :
		    "before TLS", mech_list_text(d->auth_before,
		    d->mech_before, "not seen (step 1 did not run)"));
	if (d->mode != MODE_PLAIN)
		fprintf(f, "  %-12s%s\n", d->mode == MODE_SSL ? "AUTH" :
		    "after TLS", mech_list_text(d->auth_after, d->mech_after,
		    "not seen"));
	if (d->user[0] != '\0')
		fprintf(f, "  %-12s%s\n", "user", d->user);
	if (d->java_why[0] != '\0')
		text_wrapped(f, "Java picks", 0, d->java_why);
	for (i = 0; i < d->nattempts; i++) {
		const struct auth_attempt *at = &d->attempts[i];

		text_reply(f, i ? "" : "tried", at->mech, at->reply);
		if (at->detail[0] != '\0')
			text_wrapped(f, "", 10, at->detail);
	}
	snprintf(buf, sizeof(buf), "%s%s%s%s%s", auth_result_name(d->result),
	    d->working_mech[0] ? " (" : "", d->working_mech,
	    d->working_mech[0] ? " works)" : "",
	    d->result != AUTH_OK && d->reason[0] ? ": " : "");
	if (d->result != AUTH_OK && d->reason[0] != '\0')
		strncat(buf, d->reason, sizeof(buf) - strlen(buf) - 1);
	text_wrapped(f, "result", 0, buf);
	if (mt->result == MAIL_NOT_REQUESTED)
		return;
	if (mt->result == MAIL_ACCEPTED || mt->result == MAIL_REJECTED)
		snprintf(buf, sizeof(buf), "%s: <%s> to <%s>%s%s",
		    mail_result_name(mt->result), mt->from, mt->to,
		    mt->result == MAIL_REJECTED ? ", at " : "",
		    mt->result == MAIL_REJECTED ? mt->stage : "");
	else
		snprintf(buf, sizeof(buf), "%s: %s",
		    mail_result_name(mt->result), mt->reason);
	text_wrapped(f, "test mail", 0, buf);
	textout_lines(f, "", mt->reply);
	if (mt->queue_id[0] != '\0')
		fprintf(f, "  %-12s%s\n", "queue id", mt->queue_id);
}

static void
json_mech_list(struct json *j, const char *key, enum tri auth,
    const char *list)
{
	if (auth == TRI_UNKNOWN)
		json_null(j, key);
	else
		json_words(j, key, auth == TRI_YES ? list : "");
}

static void
json_opt_str(struct json *j, const char *key, const char *v)
{
	if (v[0] == '\0')
		json_null(j, key);
	else
		json_str(j, key, v);
}

static void
json_mail(struct json *j, const struct mail_test *mt)
{
	json_open(j, "test_mail", '{');
	json_str(j, "result", mail_result_name(mt->result));
	if (mt->result != MAIL_NOT_REQUESTED) {
		json_opt_str(j, "from", mt->from);
		json_opt_str(j, "to", mt->to);
		json_opt_str(j, "stage", mt->stage);
		if (mt->code != 0)
			json_int(j, "code", mt->code);
		else
			json_null(j, "code");
		json_opt_str(j, "reply", mt->reply);
		json_opt_str(j, "queue_id", mt->queue_id);
		json_opt_str(j, "message_id", mt->message_id);
		json_opt_str(j, "reason", mt->reason);
	}
	json_close(j, '}');
}

void
auth_data_json(struct json *j, const struct step_result *r)
{
	const struct auth_data *d = &r->d.auth;
	size_t i;

	/* "mechanisms": what Java chooses from (after TLS, if any). */
	if (d->mode == MODE_PLAIN)
		json_mech_list(j, "mechanisms", d->auth_before,
		    d->mech_before);
	else
		json_mech_list(j, "mechanisms", d->auth_after, d->mech_after);
	json_mech_list(j, "mechanisms_before_tls", d->mode == MODE_SSL ?
	    TRI_UNKNOWN : d->auth_before, d->mech_before);
	json_mech_list(j, "mechanisms_after_tls", d->mode == MODE_PLAIN ?
	    TRI_UNKNOWN : d->auth_after, d->mech_after);
	json_tri(j, "auth_in_clear", d->auth_in_clear);
	json_str(j, "result", auth_result_name(d->result));
	json_opt_str(j, "reason", d->result == AUTH_OK ? "" : d->reason);
	json_opt_str(j, "user", d->user);
	json_opt_str(j, "java_mechanism", d->java_mech);
	json_opt_str(j, "java_choice", d->java_why);
	json_opt_str(j, "mechanism", d->mechanism);
	json_opt_str(j, "reply", d->reply);
	if (d->code != 0)
		json_int(j, "code", d->code);
	else
		json_null(j, "code");
	json_opt_str(j, "enhanced", d->enhanced);
	json_opt_str(j, "working_mechanism", d->working_mech);
	json_open(j, "attempts", '[');
	for (i = 0; i < d->nattempts; i++) {
		const struct auth_attempt *at = &d->attempts[i];

		json_open(j, NULL, '{');
		json_str(j, "mechanism", at->mech);
		json_bool(j, "java_choice", at->java_choice);
		json_bool(j, "ok", at->ok);
		if (at->code != 0)
			json_int(j, "code", at->code);
		else
			json_null(j, "code");
		json_opt_str(j, "enhanced", at->enhanced);
		json_opt_str(j, "reply", at->reply);
		json_opt_str(j, "detail", at->detail);
		json_opt_str(j, "decoded", at->explain_id);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_mail(j, &d->mail);
	if (!d->token.asked) {
		json_null(j, "oauth2_token");
		return;
	}
	json_open(j, "oauth2_token", '{');
	json_str(j, "flow", d->token.flow);
	json_str(j, "endpoint", d->token.endpoint);
	json_bool(j, "got_token", d->token.got);
	if (d->token.status != 0)
		json_int(j, "http_status", d->token.status);
	else
		json_null(j, "http_status");
	json_opt_str(j, "error", d->token.error);
	json_opt_str(j, "decoded", d->token.decoded);
	if (d->token.expires_in >= 0)
		json_int(j, "expires_in", d->token.expires_in);
	else
		json_null(j, "expires_in");
	json_close(j, '}');
}
