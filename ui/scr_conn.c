/*
 * Step 1: protocol and port.  Besides the shared step screen it shows
 * what the server really said: the addresses and how fast each one
 * connected, the greeting, the EHLO lines before and after TLS,
 * whether STARTTLS was offered, the TLS handshake in one line, and the
 * connection type detected next to the one configured.
 */
#include <stdio.h>
#include <string.h>

#include "step_view.h"

/* The rows every path shows, then the proxy's (conn_shown). */
#define CONN_BASE_FIELDS \
	{ .label = "host",	.key = "mail.smtp.host", .kind = FK_TEXT }, \
	{ .label = "port",	.key = "mail.smtp.port", .kind = FK_NUMBER }, \
	{ .label = "mode",	.kind = FK_MODE, \
	  .hint = "plain, starttls or ssl: sets mail.smtp.ssl.enable, " \
	      "starttls.enable and starttls.required together" }, \
	{ .label = "EHLO name",	.key = "mail.smtp.localhost", .kind = FK_TEXT, \
	  .unset = "(this host's name)" }, \
	{ .label = "connect",	.key = "mail.smtp.connectiontimeout", \
	  .kind = FK_MS }, \
	{ .label = "read",	.key = "mail.smtp.timeout", .kind = FK_MS }, \
	{ .label = "write",	.key = "mail.smtp.writetimeout", \
	  .kind = FK_MS }, \
	{ .label = "try ports",	.kind = FK_DISCOVER, \
	  .hint = "also probe ports 587, 465, 25 and 2525 and say which " \
	      "works best (a wizard option, not a Java setting)" }, \
	{ .label = "SOCKS host", .key = "mail.smtp.socks.host", .kind = FK_TEXT, \
	  .unset = "(direct)" }, \
	{ .label = "HTTP proxy", .key = "mail.smtp.proxy.host", .kind = FK_TEXT, \
	  .unset = "(direct)" }

#define PROXY_PASS_FIELD \
	{ .label = "proxy pass", .kind = FK_OPT_SECRET, .opt = OPT_PROXY_PASS, \
	  .hint = "the proxy's password; typed hidden, never shown, printed " \
	      "or copied (also SMTPWIZ_PROXY_PASSWORD)" }

static const struct field conn_fields[] = { CONN_BASE_FIELDS };

/* A SOCKS proxy: its port and login (Java: java.net.socks.*). */
static const struct field conn_socks_fields[] = { CONN_BASE_FIELDS,
	{ .label = "SOCKS port", .key = "mail.smtp.socks.port",
	  .kind = FK_NUMBER },
	{ .label = "SOCKS user", .kind = FK_OPTION, .opt = OPT_SOCKS_USER,
	  .unset = "(no login)",
	  .hint = "the SOCKS5 login (RFC 1929); Java takes it from "
	      "-Djava.net.socks.username, not from a mail.smtp key" },
	PROXY_PASS_FIELD,
};

/* An HTTP proxy (JavaMail prefers it when both are set). */
static const struct field conn_http_fields[] = { CONN_BASE_FIELDS,
	{ .label = "proxy port", .key = "mail.smtp.proxy.port",
	  .kind = FK_NUMBER },
	{ .label = "proxy user", .key = "mail.smtp.proxy.user", .kind = FK_TEXT,
	  .unset = "(no login)" },
	PROXY_PASS_FIELD,
};

#define NFIELDS(f)	((int)(sizeof(f) / sizeof((f)[0])))

/* A direct path keeps the room for the findings; a proxy adds its
 * port and login rows. */
static const struct field *
conn_shown(const struct app *a, int *n)
{
	if (settings_get(&a->set, "mail.smtp.proxy.host") != NULL) {
		*n = NFIELDS(conn_http_fields);
		return conn_http_fields;
	}
	if (settings_get(&a->set, "mail.smtp.socks.host") != NULL) {
		*n = NFIELDS(conn_socks_fields);
		return conn_socks_fields;
	}
	*n = NFIELDS(conn_fields);
	return conn_fields;
}

/* Adds "label  text", with text's '\n'-separated lines indented. */
static void
add_lines(struct textbuf *tb, const char *label, const char *text)
{
	char line[1100];
	const char *nl;
	int first = 1;

	if (*text == '\0') {
		tb_addf(tb, "%-15s(none)", label);
		return;
	}
	while (*text != '\0') {
		nl = strchr(text, '\n');
		snprintf(line, sizeof(line), "%-15s%.*s", first ? label : "",
		    (int)(nl ? nl - text : (long)strlen(text)), text);
		tb_add(tb, line);
		first = 0;
		if (nl == NULL)
			break;
		text = nl + 1;
	}
}

static void
add_addresses(struct textbuf *tb, const struct conn_data *d)
{
	size_t i;

	if (d->naddrs == 0)
		tb_addf(tb, "%-15s(none resolved)", "Addresses");
	for (i = 0; i < d->naddrs; i++) {
		const struct addr_result *ad = &d->addrs[i];
		const char *used = d->used_addr == ad->text ? "  (used)" : "";

		if (ad->status == SW_OK)
			tb_addf(tb, "%-15s%s  connected in %lld ms%s",
			    i ? "" : "Addresses", ad->text,
			    (long long)ad->connect_ms, used);
		else if (ad->status == SW_ERR_COUNT)
			tb_addf(tb, "%-15s%s  not tried", i ? "" : "Addresses",
			    ad->text);
		else
			tb_addf(tb, "%-15s%s  failed after %lld ms: %s",
			    i ? "" : "Addresses", ad->text,
			    (long long)ad->connect_ms, ad->error);
	}
}

static void
add_caps(struct textbuf *tb, const char *label, const struct smtp_caps *c)
{
	tb_addf(tb, "%-15sSTARTTLS %s, AUTH %s%s%s, PIPELINING %s, "
	    "8BITMIME %s, SMTPUTF8 %s", label, tri_name(c->starttls),
	    tri_name(c->auth), c->mechanisms[0] ? " " : "", c->mechanisms,
	    tri_name(c->pipelining), tri_name(c->eightbitmime),
	    tri_name(c->smtputf8));
	if (c->size >= 0)
		tb_addf(tb, "%-15sSIZE %ld", "", c->size);
}

static void
add_tls(struct textbuf *tb, const struct conn_data *d)
{
	if (d->tls_ok == TRI_YES)
		tb_addf(tb, "%-15s%s", "TLS", d->tls_summary);
	else if (d->tls_ok == TRI_NO)
		tb_addf(tb, "%-15sfailed: %s", "TLS", d->tls_error);
	else
		tb_addf(tb, "%-15snot tried", "TLS");
	if (d->tls_ok == TRI_YES) {
		add_lines(tb, "EHLO after TLS", d->ehlo_tls);
		add_caps(tb, "Capabilities", &d->caps_tls);
	}
}

static void
add_discover(struct textbuf *tb, const struct conn_data *d)
{
	size_t i;

	for (i = 0; i < d->ndiscover; i++) {
		const struct discover_result *r = &d->discover[i];

		tb_addf(tb, "%-15sport %-5u %s%s%s", i ? "" : "Other ports",
		    r->port, r->reachable ? smtp_mode_name(r->mode) :
		    "unreachable", r->error[0] ? "  " : "", r->error);
	}
}

static void
conn_data(const struct step_result *r, struct textbuf *tb)
{
	const struct conn_data *d = &r->d.conn;

	tb_addf(tb, "%-15s%s port %u", "Target", d->host, d->port);
	tb_addf(tb, "%-15sdetected %s, configured %s%s", "Mode",
	    smtp_mode_name(d->detected_mode),
	    smtp_mode_name(d->configured_mode),
	    d->detected_mode != MODE_UNKNOWN &&
	    d->detected_mode != d->configured_mode ? "  <-- mismatch" : "");
	add_addresses(tb, d);
	if (d->greeting_code > 0)
		tb_addf(tb, "%-15s%d after %lld ms", "Greeting",
		    d->greeting_code, (long long)d->greeting_ms);
	add_lines(tb, d->greeting_code > 0 ? "" : "Greeting", d->greeting);
	if (d->tls_sniffed)
		tb_addf(tb, "%-15sa ClientHello was sent to find implicit TLS",
		    "");
	tb_addf(tb, "%-15s%s (%s)", "EHLO name", d->ehlo_name,
	    d->ehlo_name_source);
	add_lines(tb, "EHLO reply", d->ehlo);
	add_caps(tb, "Capabilities", &d->caps);
	tb_addf(tb, "%-15soffered: %s", "STARTTLS",
	    tri_name(d->starttls_offered));
	if (d->starttls_code > 0)
		tb_addf(tb, "%-15sanswered %d", "", d->starttls_code);
	add_tls(tb, d);
	add_discover(tb, d);
}

static const struct step_view conn_view = {
	.step = STEP_CONN,
	.fields = conn_fields,
	.nfields = sizeof(conn_fields) / sizeof(conn_fields[0]),
	.shown = conn_shown,
	.data = conn_data,
};

const struct screen scr_conn = {
	.name = "1 Port",
	.help = "help/step1.txt",
	.step = STEP_CONN,
	.view = &conn_view,
};
