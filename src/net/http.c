/*
 * One HTTPS form POST and its answer: the URL, the connection (the
 * certificate verified before anything is sent), the request, and a
 * pure parser for the response (RFC 9112: status line, headers,
 * Content-Length, chunked, or the body up to the close).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "link.h"
#include "hostname.h"
#include "http.h"
#include "net.h"
#include "sanitize.h"
#include "secret.h"
#include "tls.h"
#include "version.h"

/* What a response may take on the wire beyond its decoded body:
 * the head and, for chunked bodies, the chunk lines. */
#define HTTP_WIRE_MAX	(HTTP_HEAD_MAX + 2 * HTTP_BODY_MAX)

enum sw_err
http_url_parse(const char *url, struct http_url *u, struct sw_error *err)
{
	const char *h, *end, *slash, *colon;
	struct host_ip ip;
	unsigned long port = 443;
	char *stop;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (strncasecmp(url, "https://", 8) != 0)
		return sw_fail(err, SW_EUSAGE, "the token endpoint must be an "
		    "https:// URL (the request carries a secret)");
	h = url + 8;
	slash = strchr(h, '/');
	end = slash ? slash : h + strlen(h);
	if (memchr(h, '@', (size_t)(end - h)) != NULL)
		return sw_fail(err, SW_EUSAGE, "no user:password@ in the "
		    "token endpoint's URL");
	colon = memchr(h, ':', (size_t)(end - h));
	if (colon != NULL) {
		port = strtoul(colon + 1, &stop, 10);
		if (stop != end || colon + 1 == end || port == 0 ||
		    port > 65535)
			return sw_fail(err, SW_EUSAGE, "bad port in the token "
			    "endpoint's URL");
	}
	n = (size_t)((colon ? colon : end) - h);
	if (n == 0 || n >= sizeof(u->host))
		return sw_fail(err, SW_EUSAGE, "no host name in the token "
		    "endpoint's URL");
	memcpy(u->host, h, n);
	if (!hostname_valid(u->host) || hostname_parse_ip(u->host, &ip))
		return sw_fail(err, SW_EUSAGE, "the token endpoint's URL must "
		    "name its host (not an address), so that its certificate "
		    "can be checked");
	u->port = (unsigned)port;
	if (snprintf(u->path, sizeof(u->path), "%s", slash ? slash : "/") >=
	    (int)sizeof(u->path) || strpbrk(u->path, " \t\r\n#") != NULL)
		return sw_fail(err, SW_EUSAGE, "bad path in the token "
		    "endpoint's URL");
	return SW_OK;
}

void
http_response_free(struct http_response *rs)
{
	if (rs->body != NULL) {
		secret_wipe(rs->body, rs->body_len + 1);
		free(rs->body);
	}
	memset(rs, 0, sizeof(*rs));
}

/* ---- the response parser ---------------------------------------------- */

/* The line at buf[*pos..) up to CRLF (or LF); NULL when incomplete. */
static const char *
line_at(const char *buf, size_t len, size_t *pos, size_t *llen)
{
	const char *s = buf + *pos, *nl;

	nl = memchr(s, '\n', len - *pos);
	if (nl == NULL)
		return NULL;
	*llen = (size_t)(nl - s);
	if (*llen > 0 && s[*llen - 1] == '\r')
		(*llen)--;
	*pos = (size_t)(nl - buf) + 1;
	return s;
}

static int
fail(struct sw_error *err, const char *msg)
{
	sw_fail(err, SW_EPROTO, "%s", msg);
	return -1;
}

static int
status_line(const char *l, size_t n, struct http_response *rs,
    struct sw_error *err)
{
	char code[4];

	if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || l[8] != ' ' ||
	    (n > 12 && l[12] != ' '))
		return fail(err, "the token endpoint's answer is not "
		    "HTTP/1.x");
	memcpy(code, l + 9, 3);
	code[3] = '\0';
	if (strspn(code, "0123456789") != 3)
		return fail(err, "the token endpoint's answer has no "
		    "status code");
	rs->status = atoi(code);
	sanitize(n > 13 ? l + 13 : "", n > 13 ? n - 13 : 0, rs->reason,
	    sizeof(rs->reason), 0);
	return 0;
}

/* Whether header line l names name (case-blind); *v its value. */
static int
header_is(const char *l, size_t n, const char *name, const char **v,
    size_t *vn)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(l, name, k) != 0 || l[k] != ':')
		return 0;
	*v = l + k + 1;
	*vn = n - k - 1;
	while (*vn > 0 && (**v == ' ' || **v == '\t'))
		(*v)++, (*vn)--;
	while (*vn > 0 && ((*v)[*vn - 1] == ' ' || (*v)[*vn - 1] == '\t'))
		(*vn)--;
	return 1;
}

static int
header(const char *l, size_t n, struct http_response *rs,
    struct sw_error *err)
{
	const char *v;
	size_t vn, i;
	long long cl = 0;

	if (header_is(l, n, "Content-Length", &v, &vn)) {
		if (vn == 0 || vn > 12)
			return fail(err, "bad Content-Length");
		for (i = 0; i < vn; i++) {
			if (v[i] < '0' || v[i] > '9')
				return fail(err, "bad Content-Length");
			cl = cl * 10 + (v[i] - '0');
		}
		if (rs->content_length >= 0 && rs->content_length != cl)
			return fail(err, "two different Content-Length "
			    "headers");
		if (cl > HTTP_BODY_MAX)
			return fail(err, "the token endpoint's answer is "
			    "larger than 65536 bytes");
		rs->content_length = cl;
	} else if (header_is(l, n, "Transfer-Encoding", &v, &vn)) {
		if (vn != 7 || strncasecmp(v, "chunked", 7) != 0)
			return fail(err, "a Transfer-Encoding other "
			    "than chunked");
		rs->chunked = 1;
	} else if (header_is(l, n, "Content-Type", &v, &vn))
		sanitize(v, vn, rs->content_type, sizeof(rs->content_type),
		    0);
	else if (n == 0 || memchr(l, ':', n) == NULL || l[0] == ' ' ||
	    l[0] == '\t')
		return fail(err, "a malformed header line");
	return 0;
}

/* The head from buf; 1 done (rs->head_len set), 0 more, -1 bad. */
static int
head(const char *buf, size_t len, struct http_response *rs,
    struct sw_error *err)
{
	size_t pos = 0, n, lines = 0;
	const char *l;

	for (;;) {
		rs->content_length = -1;
		rs->chunked = 0;
		rs->content_type[0] = '\0';
		if ((l = line_at(buf, len, &pos, &n)) == NULL)
			goto more;
		if (status_line(l, n, rs, err) < 0)
			return -1;
		while ((l = line_at(buf, len, &pos, &n)) != NULL && n > 0) {
			if (++lines > HTTP_HEADERS_MAX)
				return fail(err, "the token endpoint's answer "
				    "has more than 100 header lines");
			if (header(l, n, rs, err) < 0)
				return -1;
		}
		if (l == NULL)
			goto more;
		if (rs->status >= 200 || rs->status < 100)
			break;
		/* 1xx: informational, another head follows. */
		buf += pos;
		len -= pos;
		rs->head_len += pos;
		pos = 0;
	}
	rs->head_len += pos;
	if (rs->head_len > HTTP_HEAD_MAX)
		return fail(err, "the token endpoint's head is over "
		    "16384 bytes");
	return 1;
more:
	if (rs->head_len + len > HTTP_HEAD_MAX)
		return fail(err, "the token endpoint's head is over "
		    "16384 bytes");
	rs->head_len = 0;
	return 0;
}

/* A chunked body (RFC 9112 §7.1) from b[0..n) into out. */
static int
dechunk(const char *b, size_t n, int eof, char *out, size_t *olen,
    struct sw_error *err)
{
	size_t pos = 0, ln, size, k;
	const char *l;

	*olen = 0;
	for (;;) {
		if ((l = line_at(b, n, &pos, &ln)) == NULL)
			goto more;
		size = 0;
		for (k = 0; k < ln && l[k] != ';' && l[k] != ' '; k++) {
			int c = l[k], d = c >= '0' && c <= '9' ? c - '0' :
			    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			if (d < 0 || size > HTTP_BODY_MAX)
				return fail(err, "a bad chunk size in "
				    "the token endpoint's answer");
			size = size * 16 + (size_t)d;
		}
		if (k == 0)
			return fail(err, "a bad chunk size in the token "
			    "endpoint's answer");
		if (size == 0)
			break;
		if (*olen + size > HTTP_BODY_MAX)
			return fail(err, "the token endpoint's answer is "
			    "larger than 65536 bytes");
		if (n - pos < size + 2)
			goto more;
		memcpy(out + *olen, b + pos, size);
		*olen += size;
		pos += size;
		if (b[pos] == '\r')
			pos++;
		if (b[pos] != '\n')
			return fail(err, "a chunk without its CRLF");
		pos++;
	}
	/* Trailer lines, up to the empty one. */
	while ((l = line_at(b, n, &pos, &ln)) != NULL)
		if (ln == 0)
			return 1;
more:
	if (eof)
		return fail(err, "the token endpoint closed the "
		    "connection in the middle of its answer");
	return 0;
}

int
http_response_parse(const char *buf, size_t len, int eof,
    struct http_response *rs, struct sw_error *err)
{
	const char *b;
	size_t n, olen = 0;
	int r;

	http_response_free(rs);
	if ((r = head(buf, len, rs, err)) <= 0) {
		if (r == 0 && eof)
			return fail(err, len ? "the token endpoint "
			    "closed the connection in the middle of its "
			    "answer" : "the token endpoint closed the "
			    "connection without answering");
		return r;
	}
	b = buf + rs->head_len;
	n = len - rs->head_len;
	if ((rs->body = calloc(1, HTTP_BODY_MAX + 1)) == NULL) {
		sw_fail(err, SW_ENOMEM, "out of memory");
		return -1;
	}
	if (rs->chunked)
		r = dechunk(b, n, eof, rs->body, &olen, err);
	else if (rs->content_length >= 0) {
		if (n < (size_t)rs->content_length)
			r = eof ? fail(err, "the token endpoint closed "
			    "the connection in the middle of its answer") : 0;
		else {
			olen = (size_t)rs->content_length;
			memcpy(rs->body, b, olen);
			r = 1;
		}
	} else if (n > HTTP_BODY_MAX)
		r = fail(err, "the token endpoint's answer is larger than "
		    "65536 bytes");
	else if (eof) {
		olen = n;
		memcpy(rs->body, b, olen);
		r = 1;
	} else
		r = 0;
	rs->body_len = olen;
	if (r != 1) {
		secret_wipe(rs->body, HTTP_BODY_MAX + 1);
		free(rs->body);
		rs->body = NULL;
		rs->body_len = 0;
	}
	return r;
}

/* ---- the exchange ------------------------------------------------------- */

static void
note(const struct http_client *hc, const char *what, const char *a,
    unsigned port)
{
	char line[400];

	if (hc->note == NULL)
		return;
	snprintf(line, sizeof(line), "%s %s port %u", what, a, port);
	hc->note(hc->arg, line);
}

/* A TCP connection to the first address of u->host that answers. */
static enum sw_err
dial(const struct http_client *hc, const struct http_url *u, int *fd,
    struct sw_error *err)
{
	struct net_addr addr[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	int64_t deadline = net_deadline(hc->connect_timeout_ms);
	size_t n, i;
	enum sw_err rc;

	if ((rc = net_resolve(u->host, u->port, addr, &n, err)) != SW_OK)
		return rc;
	rc = SW_ECONNECT;
	for (i = 0; i < n; i++) {
		sw_error_clear(&e);
		rc = net_connect(&addr[i], deadline, hc->cancel_fd, fd, &e);
		if (rc == SW_OK) {
			note(hc, "connected to", addr[i].text,
			    u->port);
			return SW_OK;
		}
		if (rc == SW_ECANCEL || rc == SW_ETIMEOUT)
			break;
	}
	return sw_fail(err, rc, "token endpoint %s port %u: %s", u->host,
	    u->port, sw_error_text(&e));
}

/* TLS with the anchors given; refuses a peer that does not verify. */
static enum sw_err
secure(const struct http_client *hc, const struct http_url *u,
    struct link *c, struct sw_error *err)
{
	struct tls_params tp = { .sni = u->host, .ca_chain = hc->ca };
	struct tls_info info;
	char why[200];
	enum sw_err rc;

	memset(&info, 0, sizeof(info));
	rc = tls_start(c, &tp, &info, err);
	if (rc == SW_OK && info.verify_flags != 0)
		rc = sw_fail(err, SW_ETLS, "the certificate of the token "
		    "endpoint %s is %s; nothing was sent to it (give its CA "
		    "with --cafile)", u->host, tls_verify_text(
		    info.verify_flags, why, sizeof(why)));
	tls_info_free(&info);
	return rc;
}

/* Reads until the parser is content. */
static enum sw_err
receive(struct link *c, struct http_response *rs, struct sw_error *err)
{
	char *buf = malloc(HTTP_WIRE_MAX);
	size_t len = 0, got;
	enum sw_err rc = SW_OK;
	int r = 0, eof = 0;

	if (buf == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	while (r == 0) {
		if (len == HTTP_WIRE_MAX) {
			rc = sw_fail(err, SW_EPROTO, "the token endpoint's "
			    "answer is over %d bytes", HTTP_WIRE_MAX);
			break;
		}
		rc = link_read(c, buf + len, HTTP_WIRE_MAX - len, &got, err);
		if (rc == SW_ECLOSED) {
			sw_error_clear(err);
			eof = 1;
			got = 0;
		} else if (rc != SW_OK)
			break;
		len += got;
		rc = SW_OK;
		if ((r = http_response_parse(buf, len, eof, rs, err)) < 0)
			rc = err->code != SW_OK ? err->code : SW_EPROTO;
	}
	secret_wipe(buf, HTTP_WIRE_MAX);
	free(buf);
	return rc;
}

enum sw_err
http_post_form(const struct http_client *hc, const struct http_url *u,
    const char *body, size_t len, struct http_response *rs,
    struct sw_error *err)
{
	struct link c;
	char head[1600], hostport[300];
	enum sw_err rc;
	int fd = -1, n;

	memset(rs, 0, sizeof(*rs));
	if (hc->ca == NULL)
		return sw_fail(err, SW_EUSAGE, "no trust anchors for the "
		    "token endpoint");
	if ((rc = dial(hc, u, &fd, err)) != SW_OK)
		return rc;
	link_init_plain(&c, fd, hc->cancel_fd);
	c.deadline = net_deadline(hc->timeout_ms);
	if ((rc = secure(hc, u, &c, err)) != SW_OK)
		goto out;
	note(hc, "TLS verified, POST to", u->host, u->port);
	if (u->port == 443)
		snprintf(hostport, sizeof(hostport), "%s", u->host);
	else
		snprintf(hostport, sizeof(hostport), "%s:%u", u->host, u->port);
	n = snprintf(head, sizeof(head), "POST %s HTTP/1.1\r\nHost: %s\r\n"
	    "User-Agent: smtpwiz/" SMTPWIZ_VERSION "\r\nAccept: "
	    "application/json\r\nContent-Type: application/"
	    "x-www-form-urlencoded\r\nContent-Length: %zu\r\nConnection: "
	    "close\r\n\r\n", u->path, hostport, len);
	if (n < 0 || (size_t)n >= sizeof(head)) {
		rc = sw_fail(err, SW_EUSAGE, "the token endpoint's URL is too "
		    "long");
		goto out;
	}
	if ((rc = link_write(&c, head, (size_t)n, err)) != SW_OK ||
	    (rc = link_write(&c, body, len, err)) != SW_OK)
		goto out;
	rc = receive(&c, rs, err);
out:
	link_close(&c);
	secret_wipe(&c, sizeof(c));
	return rc;
}
