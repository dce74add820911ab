/*
 * Building the settings block from the steps' decisions, and rendering
 * it in the forms users paste.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "json.h"
#include "settings_findings.h"
#include "verify.h"
#include "version.h"

/* The order keys are written in; other keys follow in given order. */
static const char *const block_order[] = {
	"mail.smtp.host", "mail.smtp.port", "mail.smtp.ssl.enable",
	"mail.smtp.starttls.enable", "mail.smtp.starttls.required",
	"mail.smtp.ssl.protocols", "mail.smtp.ssl.ciphersuites",
	"mail.smtp.ssl.checkserveridentity", "mail.smtp.ssl.trust",
	"mail.smtp.auth", "mail.smtp.user", "mail.smtp.password",
	"mail.smtp.auth.mechanisms", "mail.smtp.auth.login.disable",
	"mail.smtp.auth.plain.disable", "mail.smtp.localhost",
	"mail.smtp.connectiontimeout", "mail.smtp.timeout",
	"mail.smtp.writetimeout", "mail.smtp.socks.host", "mail.smtp.socks.port",
	"mail.smtp.proxy.host", "mail.smtp.proxy.port", "mail.smtp.proxy.user",
	"mail.smtp.proxy.password",
};
#define NORDER (sizeof(block_order) / sizeof(block_order[0]))

static enum sw_err
put(struct block *b, const char *key, const char *value, const char *why,
    struct sw_error *err)
{
	if (value == NULL || *value == '\0') {
		props_unset(b->p, key);
		props_unset(b->why, key);
		return SW_OK;
	}
	if (props_set(b->p, key, value, err) != SW_OK)
		return err->code;
	return props_set(b->why, key, why, err);
}

/* Why a key is in the block when a finding put it there. */
static const char *
key_reason(const char *key)
{
	static const char *const reasons[][2] = {
		{ "mail.smtp.connectiontimeout", "milliseconds; without it "
		    "Java waits forever" },
		{ "mail.smtp.timeout", "milliseconds; without it Java waits "
		    "forever" },
		{ "mail.smtp.writetimeout", "milliseconds; without it Java "
		    "waits forever" },
		{ "mail.smtp.ssl.protocols", "one version: the highest both "
		    "sides accept" },
		{ "mail.smtp.ssl.ciphersuites", "the suites this server and "
		    "this Java have in common" },
		{ "mail.smtp.localhost", "the name this host gives in EHLO" },
		{ "mail.smtp.auth.mechanisms", "the login method that works "
		    "with this server" },
		{ "mail.smtp.ssl.trust", "LAST RESORT: no certificate check "
		    "for this host" },
	};
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(key, reasons[i][0]) == 0)
			return reasons[i][1];
	return NULL;
}

/* One finding's suggestions, but for keys a stronger one has set. */
static enum sw_err
apply_finding(struct block *b, struct props *done, const struct finding *f,
    int step, struct sw_error *err)
{
	char why[96];
	size_t k;

	for (k = 0; k < f->nsuggest; k++) {
		const struct suggestion *g = &f->suggest[k];
		const char *reason = key_reason(g->key);

		if (props_get(done, g->key) != NULL)
			continue;
		props_set(done, g->key, "", NULL);
		if (step > 0)
			snprintf(why, sizeof(why), "%s (step %d: %s)", reason ?
			    reason : "fixes", step, f->id);
		else
			snprintf(why, sizeof(why), "corrected: %s", f->id);
		if (put(b, g->key, g->value, why, err) != SW_OK)
			return err->code;
	}
	return SW_OK;
}

/*
 * The suggestions of all findings -- the steps', then those on the
 * user's settings -- strongest severity first.
 */
static enum sw_err
apply_findings(struct block *b, const struct block_input *in,
    struct sw_error *err)
{
	struct props *done = props_new();
	struct step_result *own = malloc(sizeof(*own));
	int sev, s;
	size_t i;

	if (done == NULL || own == NULL) {
		props_free(done);
		free(own);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	settings_findings_result(in->set, own);
	for (sev = SEV_FAIL; sev >= SEV_INFO; sev--)
		for (s = 0; s <= STEP_COUNT; s++) {
			const struct step_result *r = s < STEP_COUNT ?
			    in->steps[s] : own;

			for (i = 0; r != NULL && i < r->nfindings; i++)
				if ((int)r->findings[i].sev == sev &&
				    !r->findings[i].optin &&
				    apply_finding(b, done, &r->findings[i],
				    s < STEP_COUNT ? s + 1 : 0, err) != SW_OK)
					goto out;
		}
out:
	props_free(done);
	free(own);
	return err->code;
}

/*
 * The socket factory keys make SocketFetcher open TLS sockets (and with
 * socketFactory.fallback quietly plain ones when TLS fails): the block
 * says the same with ssl.enable and starttls.*, so they go.
 */
static void
drop_factories(struct block *b, const struct settings *set,
    struct sw_error *err)
{
	static const char *const keys[] = {
		"mail.smtp.socketFactory.class", "mail.smtp.socketFactory.port",
		"mail.smtp.socketFactory.fallback",
		"mail.smtp.ssl.socketFactory.class",
		"mail.smtp.ssl.socketFactory.port",
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (settings_get(set, keys[i]) != NULL) {
			put(b, keys[i], NULL, "", err);
			props_set(b->dropped, keys[i], "replaced by "
			    "mail.smtp.ssl.enable / starttls.enable, which "
			    "say the connection type without a silent "
			    "fall-back to plain text", err);
		}
}

/* What step 1 saw decides the connection type and the port. */
static enum sw_err
apply_mode(struct block *b, const struct block_input *in,
    struct sw_error *err)
{
	const struct step_result *r = in->steps[0];
	const struct conn_data *d;
	char port[8], why[96];

	if (r == NULL || r->d.conn.detected_mode == MODE_UNKNOWN)
		return SW_OK;
	d = &r->d.conn;
	drop_factories(b, in->set, err);
	snprintf(port, sizeof(port), "%u", d->port);
	snprintf(why, sizeof(why), "probed: port %u speaks %s", d->port,
	    d->detected_mode == MODE_SSL ? "implicit TLS" :
	    d->detected_mode == MODE_STARTTLS ? "STARTTLS" : "plain SMTP");
	if (props_get(b->p, "mail.smtp.port") == NULL ||
	    strcmp(props_get(b->p, "mail.smtp.port"), port) != 0)
		put(b, "mail.smtp.port", port, why, err);
	else
		props_set(b->why, "mail.smtp.port", why, err);
	switch (d->detected_mode) {
	case MODE_SSL:
		put(b, "mail.smtp.ssl.enable", "true", "TLS from the first "
		    "byte; no STARTTLS with it", err);
		put(b, "mail.smtp.starttls.enable", NULL, "", err);
		put(b, "mail.smtp.starttls.required", NULL, "", err);
		break;
	case MODE_STARTTLS:
		put(b, "mail.smtp.ssl.enable", "false", "the port starts in "
		    "plain text; never mix SSL and STARTTLS", err);
		put(b, "mail.smtp.starttls.enable", "true", "upgrade to TLS "
		    "before logging in", err);
		put(b, "mail.smtp.starttls.required", "true", "fail rather "
		    "than fall back to clear text", err);
		break;
	default:
		put(b, "mail.smtp.ssl.enable", NULL, "", err);
		put(b, "mail.smtp.starttls.enable", NULL, "", err);
		put(b, "mail.smtp.starttls.required", NULL, "", err);
	}
	return err->code;
}

/* What every block should have, when nothing above set it. */
static enum sw_err
apply_defaults(struct block *b, const struct block_input *in,
    struct sw_error *err)
{
	const char *user = props_get(b->p, "mail.smtp.user");
	const char *tls = props_get(b->p, "mail.smtp.ssl.enable");
	const char *st = props_get(b->p, "mail.smtp.starttls.enable");
	static const char *const t[][2] = {
		{ "mail.smtp.connectiontimeout", "10000" },
		{ "mail.smtp.timeout", "30000" },
		{ "mail.smtp.writetimeout", "30000" },
	};
	const char *pw;
	size_t i;

	for (i = 0; i < 3; i++)
		if (props_get(b->p, t[i][0]) == NULL)
			put(b, t[i][0], t[i][1], "milliseconds; without it "
			    "Java waits forever", err);
	if ((tls && !strcmp(tls, "true")) || (st && !strcmp(st, "true")))
		put(b, "mail.smtp.ssl.checkserveridentity", "true", "check "
		    "that the certificate names this host", err);
	if (user == NULL || *user == '\0') {
		put(b, "mail.smtp.password", NULL, "", err);
		return err->code;
	}
	put(b, "mail.smtp.auth", "true", "log in (JS7 sets this itself "
	    "when a user is given)", err);
	props_set(b->why, "mail.smtp.user", "the account to log in with",
	    err);
	pw = in->pw == PW_PLACEHOLDER ? BLOCK_PLACEHOLDER :
	    in->pw == PW_INCLUDE ? (in->password ? in->password :
	    settings_get(in->set, "mail.smtp.password")) : NULL;
	return put(b, "mail.smtp.password", pw, in->pw == PW_PLACEHOLDER ?
	    "JS7 reads it (Jakarta Mail does not): fill it in" :
	    "JS7 reads it (Jakarta Mail does not)", err);
}

/* Rebuilds p in block_order, other keys after them. */
static enum sw_err
reorder(struct block *b, struct sw_error *err)
{
	struct props *np = props_new();
	size_t i;
	const char *v;

	if (np == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (i = 0; i < NORDER; i++)
		if ((v = props_get(b->p, block_order[i])) != NULL)
			props_set(np, block_order[i], v, err);
	for (i = 0; i < props_count(b->p); i++)
		if (props_get(np, props_key(b->p, i)) == NULL)
			props_set(np, props_key(b->p, i), props_value(b->p, i),
			    err);
	props_free(b->p);
	b->p = np;
	return err->code;
}

/*
 * One pair of the user's settings into the block: a mail.* key the
 * library does not know (a misspelling, or mail.smtps.* for the smtp
 * transport) is left out and listed in the header.
 */
static void
take_user_pair(struct block *b, const struct settings *set, const char *key,
    const char *value, struct sw_error *err)
{
	struct sw_error e = { 0 };

	if (settings_key_info(key) == NULL && strncmp(key, "mail.", 5) == 0 &&
	    settings_check(set->lib, key, value, &e) != SETTINGS_OK) {
		props_set(b->dropped, key, sw_error_text(&e), err);
		return;
	}
	put(b, key, value, "as in your settings", err);
}

enum sw_err
block_build(const struct block_input *in, struct block *b,
    struct sw_error *err)
{
	const struct settings *set = in->set;
	const char *port;
	size_t i;

	memset(b, 0, sizeof(*b));
	b->lib = set->lib;
	b->p = props_new();
	b->why = props_new();
	b->dropped = props_new();
	if (b->p == NULL || b->why == NULL || b->dropped == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (i = 0; i < props_count(set->p); i++)
		if (!settings_is_secret(props_key(set->p, i)))
			take_user_pair(b, set, props_key(set->p, i),
			    props_value(set->p, i), err);
	port = settings_effective(set, "mail.smtp.port");
	snprintf(b->target, sizeof(b->target), "%s:%s",
	    settings_get(set, "mail.smtp.host") ?
	    settings_get(set, "mail.smtp.host") : "?", port ? port : "25");
	props_set(b->why, "mail.smtp.host", "the mail server", err);
	b->probed = in->steps[0] != NULL &&
	    in->steps[0]->d.conn.detected_mode != MODE_UNKNOWN;
	if (apply_findings(b, in, err) != SW_OK ||
	    apply_mode(b, in, err) != SW_OK ||
	    apply_defaults(b, in, err) != SW_OK ||
	    block_oauth2(b, in, err) != SW_OK)
		return err->code;
	return reorder(b, err);
}

void
block_free(struct block *b)
{
	props_free(b->p);
	props_free(b->why);
	props_free(b->dropped);
	free(b->verdict);
	b->p = b->why = b->dropped = NULL;
	b->verdict = NULL;
}

int
block_has_secret(const struct block *b)
{
	const char *pw = props_get(b->p, "mail.smtp.password");

	return pw != NULL && strcmp(pw, BLOCK_PLACEHOLDER) != 0;
}

int
block_format_parse(const char *s)
{
	static const char *const names[] = {
		[BLOCK_PROPERTIES] = "properties", [BLOCK_JS7] = "js7",
		[BLOCK_JS7_JSON] = "js7-json", [BLOCK_SPRING] = "spring",
		[BLOCK_JSON] = "json",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- rendering ---- */

static const char *
why_comment(void *arg, const char *key, const char *value)
{
	(void)value;
	return props_get(((const struct block *)arg)->why, key);
}

/*
 * The header every form starts with: who wrote it for what, then the
 * verdict -- VERIFIED, or what still fails -- and the keys left out.
 */
static char *
head_text(const struct block *b)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	fprintf(f, "Written by smtpwiz %s for %s.\nFor %s.\n%s",
	    SMTPWIZ_VERSION, b->target, settings_lib_name(b->lib),
	    b->verdict ? b->verdict : "NOT VERIFIED: the settings were not "
	    "run against the server.\n");
	if (b->oauth2)
		fputs(block_oauth2_note(), f);
	for (i = 0; b->dropped != NULL && i < props_count(b->dropped); i++)
		fprintf(f, "Left out %s: %s\n", props_key(b->dropped, i),
		    props_value(b->dropped, i));
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	if (len > 0 && text[len - 1] == '\n')
		text[len - 1] = '\0';
	return text;
}

static void
header(FILE *f, const struct block *b, const char *prefix)
{
	char *text = head_text(b), *line, *save = NULL;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		fprintf(f, "%s%s\n", prefix, line);
	free(text);
}

/* JS7 argument values are expressions: strings quoted, the rest bare. */
static void
js7_value(const char *v, char *out, size_t cap)
{
	const char *p = v;
	int number = *v != '\0';

	for (; *p != '\0'; p++)
		number &= *p >= '0' && *p <= '9';
	if (number || strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
		snprintf(out, cap, "%s", v);
	else if (strchr(v, '"') == NULL)
		snprintf(out, cap, "\"%s\"", v);
	else
		snprintf(out, cap, "'%s'", v);
}

static void
render_js7(FILE *f, const struct block *b)
{
	char v[1024];
	size_t i;

	header(f, b, "# ");
	fprintf(f, "# JS7 Job Resource (e.g. eMailDefault), tab Arguments: "
	    "one row per line.\n\n");
	for (i = 0; i < props_count(b->p); i++) {
		js7_value(props_value(b->p, i), v, sizeof(v));
		fprintf(f, "%-36s %s\n", props_key(b->p, i), v);
	}
}

/* The header as one JSON string (JSON has no comments). */
static void
header_json(struct json *j, const char *key, const struct block *b)
{
	char *text = head_text(b);

	json_str(j, key, text ? text : "");
	free(text);
}

/*
 * A Job Resource has no comments: its title carries the verdict's
 * first line (JOC Cockpit shows titles in lists, so it is kept short).
 */
static void
verdict_title(const struct block *b, char *buf, size_t cap)
{
	const char *v = b->verdict ? b->verdict : "NOT VERIFIED";
	size_t n = strcspn(v, "\n");

	snprintf(buf, cap, "Mail settings by smtpwiz: %.*s%s", n > 160 ? 160 :
	    (int)n, v, n > 160 ? "..." : "");
}

static void
render_js7_json(FILE *f, const struct block *b)
{
	struct json j;
	char v[1024], title[200];
	size_t i;

	json_init(&j, f);
	json_open(&j, NULL, '{');
	json_str(&j, "TYPE", "JobResource");
	verdict_title(b, title, sizeof(title));
	json_str(&j, "title", title);
	json_open(&j, "arguments", '{');
	for (i = 0; i < props_count(b->p); i++) {
		js7_value(props_value(b->p, i), v, sizeof(v));
		json_str(&j, props_key(b->p, i), v);
	}
	json_close(&j, '}');
	json_open(&j, "env", '{');
	json_close(&j, '}');
	json_close(&j, '}');
}

static void
render_json(FILE *f, const struct block *b)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_open(&j, NULL, '{');
	header_json(&j, "_smtpwiz", b);
	for (i = 0; i < props_count(b->p); i++)
		json_str(&j, props_key(b->p, i), props_value(b->p, i));
	json_close(&j, '}');
}

/* Spring Boot: its own names for four keys, the rest passed through. */
static enum sw_err
spring_props(const struct block *b, struct props *sp, struct sw_error *err)
{
	static const char *const own[][2] = {
		{ "mail.smtp.host", "spring.mail.host" },
		{ "mail.smtp.port", "spring.mail.port" },
		{ "mail.smtp.user", "spring.mail.username" },
		{ "mail.smtp.password", "spring.mail.password" },
	};
	char key[PROPS_MAX_KEY];
	size_t i, k;

	for (i = 0; i < props_count(b->p); i++) {
		const char *name = props_key(b->p, i);

		snprintf(key, sizeof(key), "spring.mail.properties.%s", name);
		for (k = 0; k < 4; k++)
			if (strcmp(name, own[k][0]) == 0)
				snprintf(key, sizeof(key), "%s", own[k][1]);
		if (strcmp(name, "mail.smtp.auth") == 0 ||
		    strncmp(name, "mail.", 5) != 0 || props_set(sp, key,
		    props_value(b->p, i), err) == SW_OK)
			continue;
		return err->code;
	}
	return props_set(sp, "spring.mail.properties.mail.smtp.auth",
	    props_get(b->p, "mail.smtp.auth") ?
	    props_get(b->p, "mail.smtp.auth") : "false", err);
}

static enum sw_err
render_props(const struct block *b, const struct props *p,
    props_comment_fn fn, char **out, struct sw_error *err)
{
	char *head = head_text(b);
	enum sw_err rc;

	if (head == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	rc = props_format(p, head, fn, (void *)b, out, err);
	free(head);
	return rc;
}

enum sw_err
block_to_text(const struct block *b, enum block_format fmt, char **out,
    struct sw_error *err)
{
	struct props *sp;
	size_t len;
	FILE *f;
	enum sw_err rc;

	*out = NULL;
	if (fmt == BLOCK_PROPERTIES)
		return render_props(b, b->p, why_comment, out, err);
	if (fmt == BLOCK_SPRING) {
		if ((sp = props_new()) == NULL)
			return sw_fail(err, SW_ENOMEM, "out of memory");
		rc = spring_props(b, sp, err);
		if (rc == SW_OK)
			rc = render_props(b, sp, NULL, out, err);
		props_free(sp);
		return rc;
	}
	if ((f = open_memstream(out, &len)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	if (fmt == BLOCK_JS7)
		render_js7(f, b);
	else if (fmt == BLOCK_JS7_JSON)
		render_js7_json(f, b);
	else
		render_json(f, b);
	if (fclose(f) != 0)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	return SW_OK;
}

/* ---- the verdict ---- */

/* The first failing finding of r, cut to a header line. */
static void
step_failure(FILE *f, const char *lead, const struct step_result *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].sev == SEV_FAIL) {
			fprintf(f, "%s step %d %s: %.200s%s\n", lead,
			    (int)r->step, step_title(r->step),
			    r->findings[i].message,
			    strlen(r->findings[i].message) > 200 ? "..." : "");
			return;
		}
	fprintf(f, "%s step %d %s failed.\n", lead, (int)r->step,
	    step_title(r->step));
}

enum sw_err
block_set_verdict(struct block *b, const struct verify_result *v,
    const struct step_result *const steps[STEP_COUNT], struct sw_error *err)
{
	char line[1400];
	size_t len = 0;
	int s, works = v != NULL && v->result == VERIFY_VERIFIED;
	FILE *f;

	free(b->verdict);
	b->verdict = NULL;
	if ((f = open_memstream(&b->verdict, &len)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	if (v != NULL) {
		verify_headline(v, line, sizeof(line));
		fprintf(f, "%s\n", line);
		if (v->result != VERIFY_VERIFIED && v->java_exception[0] &&
		    v->detail[0])
			fprintf(f, "Why: %s\n", v->detail);
	} else
		fprintf(f, "NOT VERIFIED: the settings were not run against "
		    "the server.\n");
	for (s = 0; s < STEP_COUNT; s++)
		if (steps[s] != NULL && steps[s]->verdict == VERDICT_FAIL)
			step_failure(f, works ? "Corrected here (your settings "
			    "failed):" : "NOT WORKING YET:", steps[s]);
	if (v != NULL && v->trust_needs_java_setting)
		fprintf(f, "Java must be given the trust store this was checked "
		    "with: %s%s%s\n", v->trust, v->trust_setting[0] ? ". " :
		    "", v->trust_setting);
	if (v != NULL && v->plaintext_auth)
		fprintf(f, "WARNING: the password goes to the server without "
		    "TLS (allowed with --allow-plaintext-auth).\n");
	if (fclose(f) != 0) {
		b->verdict = NULL;
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	b->verified = works;
	return SW_OK;
}

enum sw_err
block_settings(const struct block *b, struct settings *out,
    struct sw_error *err)
{
	size_t i;
	enum sw_err rc;

	if ((rc = settings_init(out, b->lib)) != SW_OK)
		return sw_fail(err, rc, "out of memory");
	for (i = 0; i < props_count(b->p); i++)
		if ((rc = props_set(out->p, props_key(b->p, i),
		    props_value(b->p, i), err)) != SW_OK) {
			settings_free(out);
			return rc;
		}
	return SW_OK;
}
