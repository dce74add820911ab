/*
 * SOCKS5 (RFC 1928, RFC 1929) and HTTP CONNECT tunnels, spoken the way
 * Java's SocksSocketImpl and JavaMail's SocketFetcher.proxyConnect()
 * speak them, with their exception texts for every refusal.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"
#include "sasl.h"
#include "secret.h"

#define HTTP_REPLY_MAX	8192	/* bytes of a CONNECT answer's head */

const char *
proxy_kind_name(enum proxy_kind k)
{
	return k == PROXY_SOCKS ? "SOCKS5" : k == PROXY_HTTP ? "HTTP" :
	    "none";
}

static unsigned
addr_port(const struct net_addr *a)
{
	return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
}

enum sw_err
proxy_resolve(const struct proxy *px, const char *host, unsigned port,
    struct net_addr *out, size_t *count, struct sw_error *err)
{
	struct sw_error e = { 0 };
	struct sockaddr_in *sin;

	if (net_resolve(host, port, out, count, &e) == SW_OK && *count > 0)
		return SW_OK;
	if (px == NULL || px->kind == PROXY_NONE)
		return sw_fail(err, e.code ? e.code : SW_ERESOLVE, "%s",
		    sw_error_text(&e));
	/* Java passes an unresolved address on: the proxy resolves it. */
	memset(&out[0], 0, sizeof(out[0]));
	sin = (struct sockaddr_in *)&out[0].ss;
	sin->sin_family = AF_UNSPEC;
	sin->sin_port = htons((uint16_t)port);
	out[0].family = AF_UNSPEC;
	out[0].len = sizeof(*sin);
	snprintf(out[0].text, sizeof(out[0].text), "%s", host);
	*count = 1;
	return SW_OK;
}

/* Connects to the proxy itself: its first address that answers. */
static enum sw_err
reach_proxy(const struct proxy *px, int64_t deadline, int cancel_fd,
    int *fd, struct sw_error *err)
{
	struct net_addr a[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	size_t n = 0, i;
	enum sw_err rc = SW_ECONNECT;

	if (net_resolve(px->host, px->port, a, &n, &e) != SW_OK)
		return sw_fail(err, SW_EPROXY, "java.net.UnknownHostException: "
		    "%s (the %s proxy's name does not resolve)", px->host,
		    proxy_kind_name(px->kind));
	for (i = 0; i < n; i++) {
		sw_error_clear(&e);
		rc = net_connect(&a[i], deadline, cancel_fd, fd, &e);
		if (rc == SW_OK || rc == SW_ECANCEL)
			return rc == SW_OK ? SW_OK : sw_fail(err, rc,
			    "cancelled");
	}
	if (rc == SW_ETIMEOUT)
		return sw_fail(err, SW_EPROXY, "java.net.SocketTimeoutException:"
		    " connect timed out (the %s proxy %s:%u does not answer)",
		    proxy_kind_name(px->kind), px->host, px->port);
	return sw_fail(err, SW_EPROXY, "java.net.ConnectException: Connection "
	    "refused (the %s proxy %s:%u: %s)", proxy_kind_name(px->kind),
	    px->host, px->port, sw_error_text(&e));
}

/* Reads exactly n bytes; a short answer is the proxy's failure. */
static enum sw_err
read_n(int fd, void *buf, size_t n, int64_t deadline, int cancel_fd,
    const char *java, struct sw_error *err)
{
	size_t have = 0, got;
	struct sw_error e = { 0 };
	enum sw_err rc;

	while (have < n) {
		rc = net_read(fd, (char *)buf + have, n - have, &got, deadline,
		    cancel_fd, &e);
		if (rc == SW_ECANCEL)
			return sw_fail(err, rc, "cancelled");
		if (rc != SW_OK)
			return sw_fail(err, SW_EPROXY, "%s (%s)", java,
			    sw_error_text(&e));
		have += got;
	}
	return SW_OK;
}

static enum sw_err
send_all(int fd, const void *buf, size_t n, int64_t deadline, int cancel_fd,
    struct sw_error *err)
{
	struct sw_error e = { 0 };
	enum sw_err rc = net_write(fd, buf, n, deadline, cancel_fd, &e);

	if (rc == SW_ECANCEL)
		return sw_fail(err, rc, "cancelled");
	if (rc != SW_OK)
		return sw_fail(err, SW_EPROXY, "java.net.SocketException: %s "
		    "(writing to the proxy)", sw_error_text(&e));
	return SW_OK;
}

/* RFC 1929: the user name and password, as Java sends them. */
static enum sw_err
socks_auth(const struct proxy *px, int fd, int64_t dl, int cfd,
    struct sw_error *err)
{
	unsigned char b[3 + 2 * 255], r[2];
	size_t ul = strlen(px->user), pl = px->password ?
	    strlen(px->password) : 0, n = 0;
	enum sw_err rc;

	if (ul > 255 || pl > 255)
		return sw_fail(err, SW_EPROXY, "java.net.SocketException: "
		    "SOCKS : authentication failed (user name or password "
		    "longer than 255 bytes)");
	b[n++] = 1;
	b[n++] = (unsigned char)ul;
	memcpy(b + n, px->user, ul);
	n += ul;
	b[n++] = (unsigned char)pl;
	if (pl > 0)
		memcpy(b + n, px->password, pl);
	n += pl;
	rc = send_all(fd, b, n, dl, cfd, err);
	secret_wipe(b, sizeof(b));
	if (rc != SW_OK)
		return rc;
	if (read_n(fd, r, 2, dl, cfd, "java.net.SocketException: SOCKS : "
	    "authentication failed", err) != SW_OK)
		return err->code;
	if (r[1] != 0)
		return sw_fail(err, SW_EPROXY, "java.net.SocketException: SOCKS "
		    ": authentication failed (the proxy %s:%u refused the user "
		    "%s)", px->host, px->port, px->user);
	return SW_OK;
}

/* SocksSocketImpl's text for each REP code of RFC 1928 §6. */
static const char *
socks_reply_text(unsigned rep)
{
	static const char *const t[] = {
		"", "SOCKS server general failure",
		"SOCKS: Connection not allowed by ruleset",
		"SOCKS: Network unreachable", "SOCKS: Host unreachable",
		"SOCKS: Connection refused", "SOCKS: TTL expired",
		"SOCKS: Command not supported",
		"SOCKS: address type not supported",
	};

	return rep < sizeof(t) / sizeof(t[0]) ? t[rep] :
	    "Reply from SOCKS server contains wrong code";
}

static size_t
socks_request(const struct net_addr *a, unsigned char *b)
{
	unsigned port = addr_port(a);
	size_t n = 0, l;

	b[n++] = 5;
	b[n++] = 1;		/* CONNECT */
	b[n++] = 0;
	if (a->family == AF_INET) {
		b[n++] = 1;
		memcpy(b + n, &((const struct sockaddr_in *)&a->ss)->sin_addr,
		    4);
		n += 4;
	} else if (a->family == AF_INET6) {
		b[n++] = 4;
		memcpy(b + n,
		    &((const struct sockaddr_in6 *)&a->ss)->sin6_addr, 16);
		n += 16;
	} else {
		l = strlen(a->text);
		b[n++] = 3;
		b[n++] = (unsigned char)l;
		memcpy(b + n, a->text, l);
		n += l;
	}
	b[n++] = (unsigned char)(port >> 8);
	b[n++] = (unsigned char)port;
	return n;
}

static enum sw_err
socks_connect(const struct proxy *px, const struct net_addr *a, int fd,
    int64_t dl, int cfd, struct sw_error *err)
{
	unsigned char b[300], r[4 + 256 + 2];
	size_t n = 0, rest;
	int auth = px->user[0] != '\0';
	const char *bad = "java.net.SocketException: Reply from SOCKS server "
	    "has bad version";

	b[n++] = 5;
	b[n++] = auth ? 2 : 1;
	b[n++] = 0;		/* no authentication */
	if (auth)
		b[n++] = 2;	/* user name and password */
	if (send_all(fd, b, n, dl, cfd, err) != SW_OK ||
	    read_n(fd, r, 2, dl, cfd, "java.net.SocketException: Malformed "
	    "reply from SOCKS server", err) != SW_OK)
		return err->code;
	if (r[0] != 5)
		return sw_fail(err, SW_EPROXY, "%s (%s:%u is no SOCKS5 proxy)",
		    bad, px->host, px->port);
	if (r[1] == 0xff || (r[1] == 2 && !auth) || r[1] > 2)
		return sw_fail(err, SW_EPROXY, "java.net.SocketException: SOCKS "
		    ": No acceptable methods (the proxy %s:%u wants %s)",
		    px->host, px->port, auth ? "another kind of login" :
		    "a user name and password: java.net.socks.username and "
		    "java.net.socks.password");
	if (r[1] == 2 && socks_auth(px, fd, dl, cfd, err) != SW_OK)
		return err->code;
	n = socks_request(a, b);
	if (send_all(fd, b, n, dl, cfd, err) != SW_OK ||
	    read_n(fd, r, 4, dl, cfd, "java.net.SocketException: Reply from "
	    "SOCKS server too short", err) != SW_OK)
		return err->code;
	if (r[0] != 5)
		return sw_fail(err, SW_EPROXY, "%s", bad);
	if (r[1] != 0)
		return sw_fail(err, SW_EPROXY, "java.net.SocketException: %s "
		    "(the SOCKS proxy %s:%u, reply %u, asked for %s port %u)",
		    socks_reply_text(r[1]), px->host, px->port, r[1], a->text,
		    addr_port(a));
	/* The bound address: 4 or 16 bytes, or a length and a name. */
	if (r[3] == 3) {
		if (read_n(fd, r + 4, 1, dl, cfd, "java.net.SocketException: "
		    "Reply from SOCKS server too short", err) != SW_OK)
			return err->code;
		rest = (size_t)r[4] + 2;
	} else
		rest = (r[3] == 4 ? 16 : 4) + 2;
	return read_n(fd, r + 4, rest, dl, cfd, "java.net.SocketException: "
	    "Reply from SOCKS server too short", err);
}

/* Reads the CONNECT answer's head byte by byte: what follows is SMTP. */
static enum sw_err
http_head(int fd, char *buf, size_t cap, int64_t dl, int cfd,
    const char *java, struct sw_error *err)
{
	size_t n = 0;

	while (n + 1 < cap) {
		if (read_n(fd, buf + n, 1, dl, cfd, java, err) != SW_OK)
			return err->code;
		buf[++n] = '\0';
		if (n >= 4 && memcmp(buf + n - 4, "\r\n\r\n", 4) == 0)
			return SW_OK;
		if (n >= 2 && memcmp(buf + n - 2, "\n\n", 2) == 0)
			return SW_OK;
	}
	return sw_fail(err, SW_EPROXY, "%s (an answer longer than %zu bytes)",
	    java, cap);
}

static enum sw_err
http_connect(const struct proxy *px, const char *name,
    const struct net_addr *a, int fd, int64_t dl, int cfd,
    struct sw_error *err)
{
	char req[1024 + 4 * 170], target[300], cred[520], b64[720];
	char *head = malloc(HTTP_REPLY_MAX), java[600];
	unsigned port = addr_port(a), code = 0;
	size_t n;
	enum sw_err rc;

	if (head == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	if (name == NULL || *name == '\0')
		name = a->text;
	snprintf(target, sizeof(target), strchr(name, ':') ? "[%s]:%u" :
	    "%s:%u", name, port);
	n = (size_t)snprintf(req, sizeof(req), "CONNECT %s HTTP/1.1\r\n"
	    "Host: %s\r\n", target, target);
	if (px->user[0] != '\0' && px->password != NULL) {
		snprintf(cred, sizeof(cred), "%s:%s", px->user, px->password);
		sasl_b64_encode(cred, strlen(cred), b64, sizeof(b64));
		n += (size_t)snprintf(req + n, sizeof(req) - n,
		    "Proxy-Authorization: Basic %s\r\n", b64);
		secret_wipe(cred, sizeof(cred));
		secret_wipe(b64, sizeof(b64));
	}
	n += (size_t)snprintf(req + n, sizeof(req) - n, "\r\n");
	snprintf(java, sizeof(java), "java.net.ConnectException: connection "
	    "through proxy %s:%u to %s:%u failed: ", px->host, px->port, name,
	    port);
	rc = send_all(fd, req, n < sizeof(req) ? n : sizeof(req), dl, cfd,
	    err);
	secret_wipe(req, sizeof(req));
	if (rc == SW_OK)
		rc = http_head(fd, head, HTTP_REPLY_MAX, dl, cfd, java, err);
	if (rc == SW_OK && (sscanf(head, "HTTP/1.%*u %u", &code) != 1 ||
	    code != 200)) {
		head[strcspn(head, "\r\n")] = '\0';
		rc = sw_fail(err, SW_EPROXY, "%s%.160s", java, head);
	}
	free(head);
	return rc;
}

enum sw_err
proxy_dial(const struct proxy *px, const char *name,
    const struct net_addr *addr, int64_t deadline, int cancel_fd, int *fd,
    struct sw_error *err)
{
	enum sw_err rc;

	*fd = -1;
	if (px == NULL || px->kind == PROXY_NONE)
		return net_connect(addr, deadline, cancel_fd, fd, err);
	if (reach_proxy(px, deadline, cancel_fd, fd, err) != SW_OK)
		return err->code;
	rc = px->kind == PROXY_SOCKS ?
	    socks_connect(px, addr, *fd, deadline, cancel_fd, err) :
	    http_connect(px, name, addr, *fd, deadline, cancel_fd, err);
	if (rc != SW_OK) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}
