/*
 * A small, bounded HTTP/1.1 client for one thing: POSTing a form to an
 * HTTPS endpoint (an OAuth2 token endpoint, RFC 6749 §3.2) and reading
 * its answer.  One request per connection ("Connection: close"); the
 * peer's certificate must verify against the anchors given, and its
 * name must match, before a byte of the request is sent.  Every wait
 * has a deadline and watches the cancel fd; the head and the body have
 * size caps; Content-Length, chunked and read-to-close bodies are
 * understood.  Request and response pass through no transcript: both
 * may hold secrets, and both are wiped when freed.
 */
#ifndef SW_HTTP_H
#define SW_HTTP_H

#include <stddef.h>

#include "err.h"

#define HTTP_HEAD_MAX	(16 * 1024)	/* status line and headers */
#define HTTP_HEADERS_MAX 100		/* header lines */
#define HTTP_BODY_MAX	(64 * 1024)	/* the body, decoded */

struct mbedtls_x509_crt;

struct http_url {
	char		 host[256];
	unsigned	 port;		/* 443 unless given */
	char		 path[1024];	/* "/" at least; with the query */
};

struct http_response {
	int		 status;		/* 200 */
	char		 reason[128];		/* sanitised */
	char		 content_type[128];	/* sanitised */
	char		*body;		/* decoded, NUL-terminated; owned */
	size_t		 body_len;
	/* parser state */
	int		 chunked;
	long long	 content_length;	/* -1: none given */
	size_t		 head_len;		/* bytes of the head */
};

/* How to reach the endpoint. */
struct http_client {
	const struct mbedtls_x509_crt *ca;	/* anchors; required */
	int		 cancel_fd;		/* -1: none */
	int		 connect_timeout_ms;
	int		 timeout_ms;		/* the whole exchange after
						   the connect */
	/* Progress ("connected to 127.0.0.1 port 8443"); may be NULL. */
	void	       (*note)(void *arg, const char *text);
	void		*arg;
};

/*
 * Splits "https://host[:port]/path?query" into u.  Only https: a form
 * that carries a secret never crosses the network in the clear.  The
 * host must be a name, not an address literal, so that the
 * certificate's name can be checked.
 * Errors: SW_EUSAGE (the message says what is wrong with the URL).
 */
enum sw_err	http_url_parse(const char *url, struct http_url *u,
		    struct sw_error *err);

/*
 * Feeds the pure response parser everything received so far,
 * buf[0..len); eof says the peer has closed.  Returns 1 when the
 * response is complete (rs filled, rs->body allocated), 0 when more
 * is needed, -1 on an error (err says which: a malformed head, a head
 * over HTTP_HEAD_MAX or HTTP_HEADERS_MAX lines, a body over
 * HTTP_BODY_MAX, a bad chunk, a close before the end).  1xx responses
 * are skipped.  Call again with the longer buffer after 0; free rs
 * with http_response_free() in every case.
 */
int		http_response_parse(const char *buf, size_t len, int eof,
		    struct http_response *rs, struct sw_error *err);

/*
 * POSTs body (len bytes, application/x-www-form-urlencoded) to u and
 * reads the answer into rs (free it with http_response_free(), also
 * after an error).  Any HTTP status is SW_OK: the caller judges it.
 * Errors: SW_ERESOLVE, SW_ECONNECT, SW_ETIMEOUT, SW_ECANCEL, SW_ETLS
 * (handshake failed, or the certificate did not verify: the message
 * says why, and nothing was sent), SW_ECLOSED, SW_EIO, SW_EPROTO (the
 * answer is not HTTP or is over a cap), SW_ENOMEM.
 */
enum sw_err	http_post_form(const struct http_client *hc,
		    const struct http_url *u, const char *body, size_t len,
		    struct http_response *rs, struct sw_error *err);

/* Wipes and frees rs->body; rs may be reused. */
void		http_response_free(struct http_response *rs);

#endif
