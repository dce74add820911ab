/*
 * The two token grants an SMTP client uses (RFC 6749 §4.4 client
 * credentials, §6 refresh token): the form, the POST, the answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "json_read.h"
#include "oauth2.h"
#include "sanitize.h"
#include "tls.h"
#include "truststore.h"

#define FORM_MAX	(3 * 3 * SECRET_MAX + 1024)

const char *
oauth2_flow_name(enum oauth2_flow f)
{
	return f == OAUTH2_REFRESH_TOKEN ? "refresh-token" :
	    "client-credentials";
}

/* Appends "&key=value", value percent-encoded (RFC 6749 App. B). */
static int
form_add(struct secret *s, const char *key, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *v = (const unsigned char *)value;
	size_t need = strlen(key) + 2 + 3 * strlen(value);
	char *o;

	if (s->len + need + 1 > s->cap)
		return -1;
	o = s->buf + s->len;
	o += sprintf(o, "%s%s=", s->len ? "&" : "", key);
	for (; *v != '\0'; v++) {
		if ((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || strchr("-._~", *v) != NULL)
			*o++ = (char)*v;
		else if (*v == ' ')
			*o++ = '+';
		else {
			*o++ = '%';
			*o++ = hex[*v >> 4];
			*o++ = hex[*v & 15];
		}
	}
	*o = '\0';
	s->len = (size_t)(o - s->buf);
	return 0;
}

enum sw_err
oauth2_form(const struct oauth2_request *rq, struct secret *s,
    struct sw_error *err)
{
	int bad = 0;
	enum sw_err rc;

	if ((rc = secret_reserve(s, FORM_MAX, err)) != SW_OK)
		return rc;
	if (rq->flow == OAUTH2_REFRESH_TOKEN) {
		bad |= form_add(s, "grant_type", "refresh_token");
		bad |= form_add(s, "refresh_token", rq->refresh_token);
	} else
		bad |= form_add(s, "grant_type", "client_credentials");
	bad |= form_add(s, "client_id", rq->client_id);
	/* client_secret_post (§2.3.1): what Entra ID and Google take and
	 * what the Java samples of both send. */
	if (rq->client_secret != NULL)
		bad |= form_add(s, "client_secret", rq->client_secret);
	if (rq->scope != NULL && *rq->scope != '\0')
		bad |= form_add(s, "scope", rq->scope);
	if (bad) {
		secret_clear(s);
		return sw_fail(err, SW_EUSAGE, "the OAuth2 request is longer "
		    "than %d bytes", FORM_MAX);
	}
	return SW_OK;
}

/* Cuts every occurrence of the secrets out of text (a hostile or
 * careless endpoint may repeat what it was sent). */
static void
scrub(const struct oauth2_request *rq, const struct secret *token,
    char *text)
{
	const char *sec[3] = { rq->client_secret, rq->refresh_token,
	    token->buf };
	static const char mark[] = "<redacted>";
	size_t i, n;
	char *p;

	for (i = 0; i < 3; i++) {
		if (sec[i] == NULL || (n = strlen(sec[i])) < 4)
			continue;
		while ((p = strstr(text, sec[i])) != NULL) {
			if (n >= sizeof(mark) - 1) {
				memcpy(p, mark, sizeof(mark) - 1);
				memmove(p + sizeof(mark) - 1, p + n,
				    strlen(p + n) + 1);
			} else
				memset(p, '*', n);
		}
	}
}

/* A string member, sanitised, into out ("" when absent or not one). */
static void
member(const char *body, size_t len, const char *key, char *out, size_t cap)
{
	char raw[1024];
	enum json_type t;

	if (json_read_member(body, len, key, &t, raw, sizeof(raw), NULL) !=
	    SW_OK || (t != JSON_STRING && t != JSON_NUMBER))
		raw[0] = '\0';
	sanitize_str(raw, out, cap, 0);
	secret_wipe(raw, sizeof(raw));
}

enum sw_err
oauth2_read_answer(const struct oauth2_request *rq, int status,
    const char *body, size_t len, struct secret *token,
    struct oauth2_answer *a, struct sw_error *err)
{
	char *tok, num[32];
	struct sw_error je = { 0 };
	enum json_type t;
	enum sw_err rc = SW_OK;

	a->status = status;
	a->expires_in = -1;
	if ((tok = calloc(1, SECRET_MAX + 1)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	if (json_read_member(body, len, "access_token", &t, tok,
	    SECRET_MAX + 1, &je) != SW_OK) {
		/* Not JSON at all: say what it was, briefly. */
		snprintf(a->failure, sizeof(a->failure), "%s", je.msg);
		sanitize(body, len < 200 ? len : 200, a->description,
		    sizeof(a->description), 0);
	} else if (status == 200 && t == JSON_STRING && tok[0] != '\0') {
		if ((rc = secret_set(token, tok, err)) == SW_OK)
			a->got_token = 1;
		member(body, len, "token_type", a->token_type,
		    sizeof(a->token_type));
		member(body, len, "scope", a->scope, sizeof(a->scope));
		member(body, len, "expires_in", num, sizeof(num));
		if (num[0] != '\0')
			a->expires_in = strtol(num, NULL, 10);
	} else {
		member(body, len, "error", a->error, sizeof(a->error));
		member(body, len, "error_description", a->description,
		    sizeof(a->description));
		if (status == 200 && a->error[0] == '\0')
			snprintf(a->failure, sizeof(a->failure), "the answer "
			    "(HTTP 200) holds no access_token");
	}
	secret_wipe(tok, SECRET_MAX + 1);
	free(tok);
	scrub(rq, token, a->description);
	scrub(rq, token, a->error);
	scrub(rq, token, a->scope);
	return rc;
}

static void
load_anchors(const struct oauth2_request *rq, struct mbedtls_x509_crt **ca,
    struct oauth2_answer *a)
{
	struct sw_error e = { 0 };
	const char *path = rq->cafile, *label;

	if (path == NULL && (path = truststore_system_bundle(&label)) ==
	    NULL) {
		snprintf(a->failure, sizeof(a->failure), "no CA bundle on "
		    "this system to check the token endpoint's certificate "
		    "with (give one with --cafile)");
		return;
	}
	if (tls_ca_load(path, ca, &e) != SW_OK)
		snprintf(a->failure, sizeof(a->failure), "%s",
		    sw_error_text(&e));
}

enum sw_err
oauth2_fetch(const struct oauth2_request *rq, struct secret *token,
    struct oauth2_answer *a, struct sw_error *err)
{
	struct http_client hc = { .cancel_fd = rq->cancel_fd,
	    .connect_timeout_ms = rq->connect_timeout_ms,
	    .timeout_ms = rq->timeout_ms, .note = rq->note, .arg = rq->arg };
	struct mbedtls_x509_crt *ca = NULL;
	struct http_response rs = { 0 };
	struct http_url u;
	struct secret form;
	struct sw_error e = { 0 };
	enum sw_err rc;

	memset(a, 0, sizeof(*a));
	a->expires_in = -1;
	secret_init(&form);
	if (rq->token_url == NULL || rq->client_id == NULL ||
	    (rq->flow == OAUTH2_REFRESH_TOKEN && rq->refresh_token == NULL))
		return sw_fail(err, SW_EUSAGE, "an OAuth2 request needs the "
		    "token endpoint, the client id%s",
		    rq->flow == OAUTH2_REFRESH_TOKEN ?
		    " and the refresh token" : "");
	if ((rc = http_url_parse(rq->token_url, &u, err)) != SW_OK)
		return rc;
	snprintf(a->host, sizeof(a->host), "%s", u.host);
	load_anchors(rq, &ca, a);
	if (ca == NULL)
		return SW_OK;
	hc.ca = ca;
	if ((rc = oauth2_form(rq, &form, err)) != SW_OK)
		goto out;
	rc = http_post_form(&hc, &u, form.buf, form.len, &rs, &e);
	secret_clear(&form);
	if (rc == SW_ECANCEL || rc == SW_ENOMEM) {
		rc = sw_fail(err, rc, "%s", sw_error_text(&e));
		goto out;
	}
	if (rc != SW_OK) {
		snprintf(a->failure, sizeof(a->failure), "%s",
		    sw_error_text(&e));
		rc = SW_OK;
		goto out;
	}
	rc = oauth2_read_answer(rq, rs.status, rs.body, rs.body_len, token,
	    a, err);
	if (!a->got_token && a->error[0] == '\0') {
		char was[sizeof(a->failure)];

		snprintf(was, sizeof(was), "%s", a->failure);
		if (snprintf(a->failure, sizeof(a->failure), "HTTP %d %s%s%s",
		    rs.status, rs.reason, was[0] ? ": " : "", was) < 0)
			a->failure[0] = '\0';
	}
out:
	http_response_free(&rs);
	tls_ca_free(ca);
	return rc;
}
