/*
 * Step 1's result as text (the batch report) and as the JSON "data"
 * object of the JSON contract (README, "JSON for scripts").
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "probe.h"
#include "textout.h"

void
conn_data_text(FILE *f, const struct step_result *r)
{
	const struct conn_data *d = &r->d.conn;
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

void
conn_data_json(struct json *j, const struct step_result *r)
{
	const struct conn_data *d = &r->d.conn;
	size_t i;

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
}
