/*
 * Step 2: getting the server's chain.  First the handshake Java would
 * make (STARTTLS after a fresh EHLO, or implicit TLS; SNI always).  When
 * it fails, raw ClientHellos (hello.h) find the versions the server
 * accepts -- so that a server this build of mbedTLS cannot talk to
 * (TLSv1.3 only with 2.28, TLSv1.0/1.1 only with 3.6) is reported as
 * such, not as a certificate problem -- and read the chain from the
 * server's Certificate message where TLS <= 1.2 sends it in the clear.
 * How it went is recorded in the step's data (d->fetch); cert_judge()
 * says what that means.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "cert_int.h"
#include "session.h"
#include "tls.h"

#define RAW_WAIT_MS	10000		/* per raw hello */

static void
range_text(uint16_t lo, uint16_t hi, char *buf, size_t cap)
{
	if (lo == hi)
		snprintf(buf, cap, "%s", tls_version_name(lo));
	else
		snprintf(buf, cap, "%s to %s", tls_version_name(lo),
		    tls_version_name(hi));
}

/* The handshake the way Java makes it; the chain from tls_info. */
static enum sw_err
fetch_handshake(struct cert_run *x, struct tls_info *ti, struct sw_error *e)
{
	struct session s;
	struct tls_params tp;
	struct smtp_caps caps;
	enum sw_err rc;

	memset(&tp, 0, sizeof(tp));
	tp.sni = x->host;
	probe_progress(x->env, "step 2: %s handshake with %s port %u",
	    x->mode == MODE_SSL ? "TLS" : "STARTTLS", x->host, x->port);
	if ((rc = session_open(&s, x->env, x->host, x->port, e)) != SW_OK)
		return rc;
	rc = session_secure(&s, x->mode, &tp, ti, &caps, e);
	session_close(&s);
	return rc;
}

/*
 * One raw ClientHello offering only version; fills rep.  For STARTTLS
 * the SMTP dialogue comes first.  Returns the verdict, HELLO_NEED_MORE
 * when nothing usable came (the connection or the dialogue failed).
 */
/*
 * Java's groups plus the curves a certificate may still be on
 * (secp256k1, brainpool): a TLS 1.2 server with such a certificate
 * answers only a client that lists its curve (RFC 8422 §5.1).
 */
static const uint16_t wide_groups[] = { 0x001d, 0x0017, 0x0018, 0x0019,
	0x0016, 0x001a, 0x001b, 0x001c, 0x0100 };

static enum hello_kind
raw_hello(struct cert_run *x, uint16_t version, int wide,
    struct hello_reply *rep)
{
	struct hello_spec spec;
	struct session s;
	struct smtp_caps caps;
	struct sw_error e = { 0 };
	unsigned char hello[HELLO_BUILD_MAX], *buf = NULL;
	size_t len, got = 0, n, cap = HELLO_HS_MAX + 8192;
	enum hello_kind kind = HELLO_NEED_MORE;
	int64_t deadline;
	char name[256];
	const char *src;

	memset(rep, 0, sizeof(*rep));
	if (session_open(&s, x->env, x->host, x->port, &e) != SW_OK) {
		x->cancelled |= e.code == SW_ECANCEL;
		return HELLO_NEED_MORE;
	}
	if (x->mode == MODE_STARTTLS) {
		session_ehlo_name(x->env->set, name, sizeof(name), &src);
		if (session_reply(&s, &e) != SW_OK || s.reply.code != 220 ||
		    session_ehlo(&s, name, &caps, &e) != SW_OK ||
		    s.reply.code != 250 ||
		    session_command(&s, "STARTTLS", &e) != SW_OK ||
		    s.reply.code != 220)
			goto out;
	}
	hello_spec_default(&spec, version, x->host);
	if (wide) {
		spec.groups = wide_groups;
		spec.ngroups = sizeof(wide_groups) / sizeof(wide_groups[0]);
	}
	if (hello_build(&spec, hello, sizeof(hello), &len, &e) != SW_OK)
		goto out;
	deadline = net_deadline(x->env->read_timeout_ms < RAW_WAIT_MS ?
	    x->env->read_timeout_ms : RAW_WAIT_MS);
	if (net_write(s.c.fd, hello, len, deadline, x->env->cancel_fd,
	    &e) != SW_OK || (buf = malloc(cap)) == NULL)
		goto out;
	while (got < cap && net_read(s.c.fd, buf + got, cap - got, &n,
	    deadline, x->env->cancel_fd, &e) == SW_OK) {
		got += n;
		kind = hello_parse(buf, got, rep);
		if (kind == HELLO_NEED_MORE)
			continue;
		if (kind != HELLO_SERVER_HELLO || rep->version >= HELLO_TLS13 ||
		    rep->cert_complete || rep->cert_absent ||
		    rep->alert_level != 0)
			break;
	}
	if (got > 0 && kind == HELLO_NEED_MORE)
		kind = hello_parse(buf, got, rep);
out:
	x->cancelled |= e.code == SW_ECANCEL;
	free(buf);
	s.dead = 1;		/* no QUIT inside a TLS handshake */
	session_close(&s);
	return kind;
}

static int
accepted(enum hello_kind kind, const struct hello_reply *rep, uint16_t v)
{
	return (kind == HELLO_SERVER_HELLO && rep->version == v) ||
	    (kind == HELLO_RETRY && v == HELLO_TLS13);
}

/*
 * The handshake failed: which versions does the server accept, and can
 * the chain be read without a full handshake?
 */
static void
fetch_raw(struct cert_run *x, const struct tls_info *ti,
    const struct sw_error *he)
{
	static const uint16_t versions[] = { HELLO_TLS13, HELLO_TLS12,
		HELLO_TLS11, HELLO_TLS10, HELLO_SSL3 };
	struct cert_data *d = x->d;
	struct hello_reply *rep;
	enum hello_kind kind;
	uint16_t lo, hi, best = 0;
	size_t i, o = 0, k;
	int common = 0, any = 0;
	char build[40];

	tls_library_range(&lo, &hi);
	range_text(lo, hi, build, sizeof(build));
	snprintf(d->build_versions, sizeof(d->build_versions), "%s", build);
	if ((rep = malloc(sizeof(*rep))) == NULL)
		return;
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]) &&
	    !x->cancelled; i++) {
		if (versions[i] == HELLO_SSL3 && any)
			break;
		probe_progress(x->env, "step 2: does the server accept %s?",
		    tls_version_name(versions[i]));
		kind = raw_hello(x, versions[i], 0, rep);
		if (!accepted(kind, rep, versions[i]) &&
		    versions[i] <= HELLO_TLS12 && versions[i] >= HELLO_TLS10)
			kind = raw_hello(x, versions[i], 1, rep);
		if (!accepted(kind, rep, versions[i]))
			continue;
		any = 1;
		o += (size_t)snprintf(d->server_versions + o,
		    sizeof(d->server_versions) - o, "%s%s", o ? ", " : "",
		    tls_version_name(versions[i]));
		if (o >= sizeof(d->server_versions))
			o = sizeof(d->server_versions) - 1;
		if (versions[i] >= lo && versions[i] <= hi)
			common = 1;
		if (best == 0 && versions[i] <= HELLO_TLS12 &&
		    kind == HELLO_SERVER_HELLO && rep->ncerts > 0) {
			best = versions[i];
			for (k = 0; k < rep->ncerts; k++) {
				size_t clen;
				const unsigned char *c = hello_cert(rep, k,
				    &clen);

				if (c != NULL && cert_chain_add(&x->ch, c,
				    clen) < 0)
					break;
			}
			x->ch.dropped += rep->certs_dropped;
		}
	}
	free(rep);
	if (x->cancelled)
		return;
	if (best != 0)
		snprintf(d->source, sizeof(d->source), "raw %s hello "
		    "(Certificate message)", tls_version_name(best));
	/* What it means is cert_judge()'s to say. */
	d->fetch = CERT_FETCH_RAW;
	snprintf(d->fetch_error, sizeof(d->fetch_error), "%s",
	    sw_error_text(he));
	snprintf(d->tls_library, sizeof(d->tls_library), "%s",
	    tls_library_version());
	d->raw_any = any;
	d->raw_common = common;
	d->raw_chain = best != 0;
	(void)ti;
}

enum sw_err
cert_fetch(struct cert_run *x, struct sw_error *err)
{
	struct tls_info ti;
	struct sw_error e = { 0 };
	struct cert_data *d = x->d;
	enum sw_err rc;
	size_t i;

	memset(&ti, 0, sizeof(ti));
	rc = fetch_handshake(x, &ti, &e);
	if (rc == SW_ECANCEL) {
		tls_info_free(&ti);
		return sw_fail(err, rc, "%s", sw_error_text(&e));
	}
	for (i = 0; i < ti.nchain; i++)
		if (cert_chain_add(&x->ch, ti.chain_der[i],
		    ti.chain_len[i]) < 0) {
			tls_info_free(&ti);
			return sw_fail(err, SW_ENOMEM, "out of memory");
		}
	x->ch.dropped += ti.chain_dropped;
	if (rc == SW_OK) {
		snprintf(d->tls, sizeof(d->tls), "%s %s",
		    tls_version_name(ti.version), ti.suite_name);
		snprintf(d->source, sizeof(d->source), "handshake");
	} else if (ti.nchain > 0) {
		snprintf(d->source, sizeof(d->source), "handshake (failed "
		    "after the Certificate message)");
		d->fetch = CERT_FETCH_LATE;
		snprintf(d->fetch_error, sizeof(d->fetch_error), "%s",
		    sw_error_text(&e));
	} else if (ti.failure == TLS_FAIL_NONE || rc == SW_ERESOLVE ||
	    rc == SW_ECONNECT || rc == SW_EPROTO || rc == SW_ETIMEOUT) {
		/* Never reached TLS (step 1's ground), or a silent server
		 * that more hellos would only wait for again. */
		d->fetch = CERT_FETCH_NO_TLS;
		snprintf(d->fetch_error, sizeof(d->fetch_error), "%s",
		    sw_error_text(&e));
	} else
		fetch_raw(x, &ti, &e);
	tls_info_free(&ti);
	if (x->cancelled)
		return sw_fail(err, SW_ECANCEL, "cancelled");
	return SW_OK;
}

