/*
 * Step 1's verdicts: what the detected connection type, the TLS outcome
 * and the settings mean for a Java client, as findings with the
 * settings that fix them.  Pure: reads r->d.conn and the settings.
 */
#include <stdio.h>
#include <string.h>

#include "conn_int.h"

/* The settings for a mode, as suggestions (JavaMail reads "" as unset). */
void
conn_suggest_mode(struct finding *f, enum smtp_mode m)
{
	finding_suggest(f, "mail.smtp.ssl.enable", m == MODE_SSL ? "true" :
	    "false");
	finding_suggest(f, "mail.smtp.starttls.enable",
	    m == MODE_STARTTLS ? "true" : "false");
	finding_suggest(f, "mail.smtp.starttls.required",
	    m == MODE_STARTTLS ? "true" : "false");
}

/* Settings ask for implicit TLS, the port speaks plain SMTP first. */
static void
judge_ssl_on_text_port(struct step_result *r, const struct conn_data *d)
{
	struct finding *f;
	int tls = d->detected_mode == MODE_STARTTLS;

	f = result_add(r, tls ? "ssl-on-starttls-port" : "ssl-on-plain-port",
	    SEV_FAIL, "mail.smtp.ssl.enable=true makes Java start TLS at "
	    "once, but port %u greets in plain text and %s. Java fails "
	    "with \"Unsupported or unrecognized SSL message\". %s", d->port,
	    tls ? "upgrades with STARTTLS" : "offers no STARTTLS",
	    tls ? "Use STARTTLS on this port: ssl.enable=false, "
	    "starttls.enable=true, starttls.required=true." :
	    "This port offers no encryption; use port 465 (SSL) or 587 "
	    "(STARTTLS) if the server has them (--discover).");
	conn_suggest_mode(f, tls ? MODE_STARTTLS : MODE_PLAIN);
}

/* Settings ask for plain text or STARTTLS; the port wants TLS first. */
static void
judge_text_on_ssl_port(struct step_result *r, const struct conn_data *d)
{
	struct finding *f;
	int st = d->configured_mode == MODE_STARTTLS;

	f = result_add(r, st ? "starttls-on-ssl-port" : "plain-on-ssl-port",
	    SEV_FAIL, "Port %u speaks implicit TLS (\"SSL\"): the server "
	    "says nothing until the client starts TLS. %s Java waits for a "
	    "greeting that never comes: \"Could not connect to SMTP host: "
	    "%s, port: %u, response: -1\" or \"Read timed out\". Set "
	    "mail.smtp.ssl.enable=true%s.", d->port,
	    st ? "STARTTLS cannot work here." : "", d->host, d->port,
	    st ? " and drop the STARTTLS settings" : "");
	conn_suggest_mode(f, MODE_SSL);
}

static void
judge_mode(struct step_result *r, const struct conn_data *d)
{
	enum smtp_mode want = d->configured_mode, got = d->detected_mode;
	struct finding *f;

	if (got == MODE_UNKNOWN)
		return;
	if (want == MODE_SSL && got != MODE_SSL)
		judge_ssl_on_text_port(r, d);
	else if (want != MODE_SSL && got == MODE_SSL)
		judge_text_on_ssl_port(r, d);
	else if (got == MODE_PLAIN && want == MODE_STARTTLS) {
		f = result_add(r, "starttls-not-offered", SEV_FAIL, "Port %u "
		    "does not offer STARTTLS. With starttls.required=true "
		    "Java fails with \"STARTTLS is required but host does "
		    "not support STARTTLS\"; without it, Java silently sends "
		    "everything, the password too, unencrypted. Use port 465 "
		    "(SSL) or 587 if the server has them (--discover); a "
		    "firewall that rewrites SMTP can also hide STARTTLS.",
		    d->port);
		(void)f;
	} else if (got == MODE_PLAIN)
		result_add(r, "no-encryption", SEV_WARN, "Port %u offers no "
		    "encryption (no STARTTLS): mail and credentials travel "
		    "in clear text. Prefer port 587 with STARTTLS or 465 "
		    "with SSL (--discover).", d->port);
	else if (got == MODE_STARTTLS && want == MODE_PLAIN) {
		f = result_add(r, "starttls-not-enabled", SEV_WARN, "Port %u "
		    "offers STARTTLS but the settings do not use it, so Java "
		    "sends mail and password unencrypted.", d->port);
		conn_suggest_mode(f, MODE_STARTTLS);
	}
}

/* What the settings get wrong whatever the server does. */
static void
judge_settings(struct step_result *r, const struct probe_env *env,
    const struct conn_data *d)
{
	const struct settings *set = env->set;
	struct finding *f;
	char ms[24];
	int64_t tmo;
	int slow;

	if (d->detected_mode == MODE_STARTTLS &&
	    d->configured_mode == MODE_STARTTLS &&
	    !settings_bool(set, "mail.smtp.starttls.required")) {
		f = result_add(r, "starttls-not-required", SEV_INFO, "With "
		    "starttls.enable alone, Java falls back to clear text "
		    "when STARTTLS is missing (a middlebox can strip it). "
		    "starttls.required=true makes it fail instead.");
		finding_suggest(f, "mail.smtp.starttls.required", "true");
	}
	if (settings_bool(set, "mail.smtp.ssl.enable") &&
	    settings_bool(set, "mail.smtp.starttls.enable"))
		result_add(r, "mixed-ssl-starttls", SEV_WARN, "Both "
		    "ssl.enable and starttls.enable are true. Java uses "
		    "implicit TLS and ignores STARTTLS; keep only the one "
		    "that matches the port.");
	/*
	 * One read timeout for both findings: 30 s, or more when the
	 * greeting is slow (three times its wait), with the reason once.
	 */
	slow = d->greeting_code == 220 && d->greeting_ms > SLOW_GREETING_MS;
	tmo = slow ? (d->greeting_ms * 3 / 10000 + 1) * 10000 : 30000;
	if (tmo < 30000)
		tmo = 30000;
	snprintf(ms, sizeof(ms), "%lld", (long long)tmo);
	if (slow) {
		f = result_add(r, "greeting-slow", SEV_WARN, "The server "
		    "took %.1f s to greet (a tarpit or slow DNS checks on "
		    "its side). Other scanners report such servers as "
		    "\"not SMTP\"; Java needs mail.smtp.timeout well above "
		    "that: %s ms, three times the wait.",
		    (double)d->greeting_ms / 1000, ms);
		finding_suggest(f, "mail.smtp.timeout", ms);
	}
	if (settings_get(set, "mail.smtp.connectiontimeout") == NULL ||
	    settings_get(set, "mail.smtp.timeout") == NULL ||
	    settings_get(set, "mail.smtp.writetimeout") == NULL) {
		f = result_add(r, "timeouts-unset", SEV_INFO, "Without "
		    "timeouts Java waits forever for a server that does not "
		    "answer, and the application hangs. Set finite ones%s.",
		    slow ? " (the read timeout is the slow greeting's, "
		    "not the usual 30000)" : "");
		if (!settings_get(set, "mail.smtp.connectiontimeout"))
			finding_suggest(f, "mail.smtp.connectiontimeout",
			    "10000");
		if (!settings_get(set, "mail.smtp.timeout"))
			finding_suggest(f, "mail.smtp.timeout", ms);
		if (!settings_get(set, "mail.smtp.writetimeout"))
			finding_suggest(f, "mail.smtp.writetimeout", "30000");
	}
}

/* The TLS outcome, as far as step 1 cares: details are steps 2–4. */
static void
judge_tls(struct step_result *r, const struct conn_data *d)
{
	if (d->tls_ok != TRI_NO)
		return;
	result_add(r, "tls-handshake-failed", SEV_WARN, "The TLS "
	    "handshake did not complete: %s. The connection type is right; "
	    "steps 2 to 4 find out why TLS fails. Capabilities after TLS "
	    "are unknown.", d->tls_error);
}

static void
judge_ok(struct step_result *r, const struct conn_data *d)
{
	struct finding *f;

	if (d->detected_mode == MODE_UNKNOWN ||
	    d->detected_mode != d->configured_mode)
		return;
	f = result_add(r, "mode-ok", SEV_INFO, "Port %u speaks %s, as the "
	    "settings expect.", d->port,
	    d->detected_mode == MODE_SSL ? "implicit TLS (SSL)" :
	    d->detected_mode == MODE_STARTTLS ? "SMTP with STARTTLS" :
	    "plain SMTP");
	conn_suggest_mode(f, d->detected_mode);
}

void
conn_judge(struct step_result *r, const struct probe_env *env)
{
	const struct conn_data *d = &r->d.conn;

	judge_mode(r, d);
	judge_tls(r, d);
	judge_settings(r, env, d);
	judge_ok(r, d);
}
