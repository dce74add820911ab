/*
 * The TLS client over mbedTLS 2.28 (Debian 12, Ubuntu) and 3.6 LTS
 * (Debian 13, Alpine, Homebrew): the handshake, why it failed, and the
 * conn ops after it.  mbedTLS never touches the socket itself: our bio
 * callbacks (tls_setup.c) go through net_read()/net_write(), so every
 * wait honours the conn's deadline and cancel fd, and they remember what
 * the transport did (EOF, reset, timeout, the first bytes received) so
 * that a failed handshake can be told apart: alert, closed, not TLS, no
 * common version.  Every MBEDTLS_VERSION_NUMBER branch of the project is
 * in the tls*.c files (and x509*.c): here the negotiated version and
 * the received alert (a private field in 3.x), in tls_setup.c the
 * version API and PSA's global init.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/md.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define TLS_PRIV(ssl, field)	((ssl)->MBEDTLS_PRIVATE(field))
#define TLS_ERR_BAD_VERSION	MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION
#else
#define TLS_PRIV(ssl, field)	((ssl)->field)
#define TLS_ERR_BAD_VERSION	MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION
#endif

#include "net.h"
#include "tls_int.h"

static uint16_t
negotiated_version(const mbedtls_ssl_context *ssl)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return (uint16_t)mbedtls_ssl_get_version_number(ssl);
#else
	return (uint16_t)(ssl->major_ver << 8 | ssl->minor_ver);
#endif
}

/* The alert the last record carried: mbedTLS keeps it in in_msg. */
static int
received_alert(const mbedtls_ssl_context *ssl)
{
	const unsigned char *msg = TLS_PRIV(ssl, in_msg);

	if (TLS_PRIV(ssl, in_msgtype) != MBEDTLS_SSL_MSG_ALERT || msg == NULL)
		return -1;
	return msg[1];
}

/* ---- the peer chain --------------------------------------------------- */

static void
capture_chain(struct tls_info *info, const mbedtls_x509_crt *crt)
{
	for (; crt != NULL; crt = crt->next) {
		unsigned char *der;

		if (crt->raw.p == NULL || crt->raw.len == 0)
			continue;
		if (info->nchain >= CHAIN_MAX) {
			info->chain_dropped++;
			continue;
		}
		if ((der = malloc(crt->raw.len)) == NULL)
			return;		/* a shorter chain, not a failure */
		memcpy(der, crt->raw.p, crt->raw.len);
		info->chain_der[info->nchain] = der;
		info->chain_len[info->nchain] = crt->raw.len;
		info->nchain++;
	}
}

/*
 * Called by mbedTLS for each certificate of the path it verifies, the
 * leaf (depth 0) last.  The leaf's next pointers are the chain exactly
 * as the server sent it, so capturing here works with no trust anchors
 * and also when the handshake fails later on.
 */
int
tls_verify_cb(void *arg, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	struct tls_state *st = arg;

	(void)flags;
	if (depth == 0 && st->info != NULL && st->info->nchain == 0)
		capture_chain(st->info, crt);
	return 0;
}

/* ---- the ops after a handshake --------------------------------------- */

/* Starts an operation with a clean record of the transport. */
static void
bio_reset(struct tls_state *st)
{
	st->io_rc = SW_OK;
	sw_error_clear(&st->io_err);
}

static enum sw_err
op_failed(struct tls_state *st, int ret, const char *what,
    struct sw_error *err)
{
	char msg[128];
	int alert;

	if (st->io_rc != SW_OK)
		return sw_fail(err, st->io_rc, "%s", sw_error_text(&st->io_err));
	if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
	    ret == MBEDTLS_ERR_SSL_CONN_EOF)
		return sw_fail(err, SW_ECLOSED, "the server closed the TLS "
		    "connection");
	if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE &&
	    (alert = received_alert(&st->ssl)) >= 0)
		return sw_fail(err, SW_ETLS, "the server sent alert %d (%s)",
		    alert, tls_alert_name(alert));
	return sw_fail(err, SW_ETLS, "TLS %s failed: %s", what,
	    tls_mbed_error(ret, msg, sizeof(msg)));
}

/* mbedTLS asks to be called again after records that carry no data. */
static int
try_again(int ret)
{
	if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
	    ret == MBEDTLS_ERR_SSL_WANT_WRITE)
		return 1;
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
	if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
		return 1;
#endif
	return 0;
}

static enum sw_err
tls_read(struct link *c, void *buf, size_t cap, size_t *got,
    struct sw_error *err)
{
	struct tls_state *st = c->tls;
	int ret;

	*got = 0;
	bio_reset(st);
	do
		ret = mbedtls_ssl_read(&st->ssl, buf, cap);
	while (try_again(ret));
	if (ret <= 0)
		return op_failed(st, ret, "read", err);
	*got = (size_t)ret;
	return SW_OK;
}

static enum sw_err
tls_write(struct link *c, const void *buf, size_t len, struct sw_error *err)
{
	struct tls_state *st = c->tls;
	const unsigned char *p = buf;
	int ret;

	bio_reset(st);
	while (len > 0) {
		ret = mbedtls_ssl_write(&st->ssl, p, len);
		if (try_again(ret))
			continue;
		if (ret <= 0)
			return op_failed(st, ret, "write", err);
		p += ret;
		len -= (size_t)ret;
	}
	return SW_OK;
}

static void
tls_close(struct link *c)
{
	struct tls_state *st = c->tls;

	if (st == NULL)
		return;
	st->closing = 1;
	(void)mbedtls_ssl_close_notify(&st->ssl);
	tls_state_free(st);
	c->tls = NULL;
}

static const struct link_ops tls_ops = {
	.name = "tls",
	.read = tls_read,
	.write = tls_write,
	.close = tls_close,
};

/* ---- the handshake ---------------------------------------------------- */

static int
looks_like_tls(const unsigned char *p, size_t n)
{
	/* A record header: content type 20..24, then major version 3. */
	if (n >= 1 && (p[0] < 20 || p[0] > 24))
		return 0;
	return n < 2 || p[1] == 3;
}

/* The greeting is usually in one segment: collect up to a line of it. */
static void
read_more_head(struct tls_state *st)
{
	int64_t deadline = net_now_ms() + 500;
	size_t got;

	if (deadline > st->c->deadline)
		deadline = st->c->deadline;
	while (st->nhead < sizeof(st->head) &&
	    memchr(st->head, '\n', st->nhead) == NULL) {
		if (net_read(st->c->fd, st->head + st->nhead,
		    sizeof(st->head) - st->nhead, &got, deadline,
		    st->c->cancel_fd, NULL) != SW_OK)
			break;
		st->nhead += got;
	}
}

static enum sw_err
fail_not_tls(struct tls_state *st, struct sw_error *err)
{
	char text[61];
	size_t i, n = 0;

	read_more_head(st);
	if (st->head[0] >= 0x20 && st->head[0] < 0x7f) {
		for (i = 0; i < st->nhead && n < sizeof(text) - 1; i++) {
			unsigned char ch = st->head[i];

			if (ch == '\r' || ch == '\n')
				break;
			text[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		}
		text[n] = '\0';
		return sw_fail(err, SW_ETLS, "the server did not answer in TLS "
		    "(it sent plain text: '%s')", text);
	}
	for (i = 0; i < st->nhead && i < 8; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, " %02x",
		    st->head[i]);
	return sw_fail(err, SW_ETLS, "the server did not answer in TLS (it "
	    "sent bytes that are no TLS record:%s)", text);
}

static enum sw_err
fail_version(struct tls_state *st, int alert, struct sw_error *err)
{
	uint16_t lib_lo, lib_hi;
	char offered[40], sent[48] = "";

	tls_library_range(&lib_lo, &lib_hi);
	tls_range_text(st->lo, st->hi, offered, sizeof(offered));
	if (alert >= 0)
		snprintf(sent, sizeof(sent), "the server sent alert %d (%s): ",
		    alert, tls_alert_name(alert));
	return sw_fail(err, SW_ETLS, "%sno TLS version in common: smtpwiz "
	    "offered %s (this build can do %s to %s)", sent, offered,
	    tls_version_name(lib_lo), tls_version_name(lib_hi));
}

static enum sw_err
fail_io(struct tls_state *st, struct sw_error *err)
{
	int64_t secs = (st->c->deadline - st->started + 999) / 1000;

	switch (st->io_rc) {
	case SW_ETIMEOUT:
		return sw_fail(err, SW_ETIMEOUT, "the server did not complete "
		    "the TLS handshake within %lld s", (long long)secs);
	case SW_ECANCEL:
		return sw_fail(err, SW_ECANCEL, "TLS handshake cancelled");
	case SW_ECLOSED:
		return sw_fail(err, SW_ECLOSED, "the server closed the "
		    "connection during the TLS handshake");
	default:
		return sw_fail(err, SW_ECLOSED, "%s during the TLS handshake",
		    sw_error_text(&st->io_err));
	}
}

/*
 * 3.6 rejects an RSA-PSS ServerKeyExchange in TLS 1.2 although it offered
 * RSA-PSS for TLS 1.3 (see tls_sig_algs in tls_setup.c): that list
 * avoids it unless the server insists on its own order.  A TLS 1.2-only
 * offer has no RSA-PSS in it, so that is what to retry with.
 */
static int
pss_flaw(struct tls_state *st, int ret)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return ret == MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER &&
	    st->hi >= TLS_V13 && st->lo <= TLS_V12 &&
	    negotiated_version(&st->ssl) == TLS_V12;
#else
	(void)st;
	(void)ret;
	return 0;
#endif
}

static enum sw_err
fail_other(struct tls_state *st, int ret, struct sw_error *err)
{
	char msg[128];

	if (pss_flaw(st, ret))
		return sw_fail(err, SW_ETLS, "TLS handshake failed: %s; the "
		    "server chose TLSv1.2, and if it signed with RSA-PSS this "
		    "is a flaw of %s when TLSv1.3 is offered too: retry with "
		    "TLSv1.2 only", tls_mbed_error(ret, msg, sizeof(msg)),
		    tls_library_version());
	return sw_fail(err, SW_ETLS, "TLS handshake failed: %s",
	    tls_mbed_error(ret, msg, sizeof(msg)));
}

/* Tells why a handshake failed; fills info->failure and info->alert. */
static enum sw_err
handshake_failed(struct tls_state *st, int ret, struct tls_info *info,
    struct sw_error *err)
{
	info->failure = TLS_FAIL_OTHER;
	if (st->io_rc == SW_ETIMEOUT || st->io_rc == SW_ECANCEL)
		return fail_io(st, err);
	if (!looks_like_tls(st->head, st->nhead)) {
		info->failure = TLS_FAIL_NOT_TLS;
		return fail_not_tls(st, err);
	}
	if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE &&
	    (info->alert = received_alert(&st->ssl)) >= 0) {
		if (info->alert == MBEDTLS_SSL_ALERT_MSG_PROTOCOL_VERSION) {
			info->failure = TLS_FAIL_VERSION;
			return fail_version(st, info->alert, err);
		}
		info->failure = TLS_FAIL_ALERT;
		return sw_fail(err, SW_ETLS, "the server sent alert %d (%s)",
		    info->alert, tls_alert_name(info->alert));
	}
	if (st->io_rc != SW_OK || ret == MBEDTLS_ERR_SSL_CONN_EOF ||
	    ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
		info->failure = TLS_FAIL_CLOSED;
		if (st->io_rc == SW_OK)
			st->io_rc = SW_ECLOSED;
		return fail_io(st, err);
	}
	if (ret == TLS_ERR_BAD_VERSION) {
		info->failure = TLS_FAIL_VERSION;
		return fail_version(st, -1, err);
	}
	if (st->rec_bad != 0)
		return sw_fail(err, SW_ETLS, "the server sent a TLS record of "
		    "%u bytes; TLS allows at most %u (RFC 5246 6.2.3): its "
		    "TLS is broken", st->rec_bad, TLS_RECORD_MAX);
	return fail_other(st, ret, err);
}

static void
handshake_done(struct tls_state *st, struct tls_info *info)
{
	const char *name = mbedtls_ssl_get_ciphersuite(&st->ssl);
	char note[160];

	info->version = negotiated_version(&st->ssl);
	if (name != NULL) {
		info->suite = (uint16_t)mbedtls_ssl_get_ciphersuite_id(name);
		tls_iana_name(name, info->suite_name, sizeof(info->suite_name));
	}
	info->verify_flags = mbedtls_ssl_get_verify_result(&st->ssl);
	if (info->nchain == 0)
		capture_chain(info, mbedtls_ssl_get_peer_cert(&st->ssl));
	snprintf(note, sizeof(note), "TLS handshake: %s %s",
	    tls_version_name(info->version), info->suite_name);
	link_note(st->c, note);
}

static void
info_reset(struct tls_info *info)
{
	memset(info, 0, sizeof(*info));
	info->alert = -1;
	info->verify_flags = TLS_VERIFY_UNKNOWN;
}

static enum sw_err
run_handshake(struct tls_state *st, struct tls_info *info,
    struct sw_error *err)
{
	char note[300];
	enum sw_err rc;
	int ret;

	do
		ret = mbedtls_ssl_handshake(&st->ssl);
	while (ret == MBEDTLS_ERR_SSL_WANT_READ ||
	    ret == MBEDTLS_ERR_SSL_WANT_WRITE);
	if (ret == 0) {
		handshake_done(st, info);
		return SW_OK;
	}
	if (info->nchain > 0)	/* verification ran before the failure */
		info->verify_flags = mbedtls_ssl_get_verify_result(&st->ssl);
	rc = handshake_failed(st, ret, info, err);
	snprintf(note, sizeof(note), "TLS handshake failed: %s",
	    err != NULL ? sw_error_text(err) : sw_strerror(rc));
	link_note(st->c, note);
	return rc;
}

enum sw_err
tls_start(struct link *c, const struct tls_params *p, struct tls_info *info,
    struct sw_error *err)
{
	struct tls_info scratch;
	struct tls_state *st = NULL;
	enum sw_err rc;

	if (info == NULL)
		info = &scratch;
	info_reset(info);
	rc = tls_global_init(err);
	if (rc == SW_OK)
		rc = tls_state_new(c, p, info, &st, err);
	if (rc != SW_OK && info->failure == TLS_FAIL_NONE)
		info->failure = TLS_FAIL_OTHER;
	if (rc == SW_OK) {
		link_discard(c);	/* RFC 3207 §6: not protected */
		rc = run_handshake(st, info, err);
	}
	if (st != NULL)
		st->info = NULL;	/* renegotiation must not write */
	if (rc == SW_OK) {
		c->tls = st;
		c->ops = &tls_ops;
	} else
		tls_state_free(st);
	if (info == &scratch)
		tls_info_free(info);
	return rc;
}

void
tls_info_free(struct tls_info *info)
{
	size_t i;

	if (info == NULL)
		return;
	for (i = 0; i < info->nchain; i++) {
		free(info->chain_der[i]);
		info->chain_der[i] = NULL;
		info->chain_len[i] = 0;
	}
	info->nchain = 0;
}

enum sw_err
tls_hmac_md5(const void *key, size_t keylen, const void *msg, size_t msglen,
    unsigned char out[16], struct sw_error *err)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_MD5);

	/* mbedtls_md_hmac() zeroizes its key schedule (md_free). */
	if (md == NULL)
		return sw_fail(err, SW_ETLS, "this mbed TLS has no MD5, "
		    "which CRAM-MD5 needs");
	if (mbedtls_md_hmac(md, key, keylen, msg, msglen, out) != 0)
		return sw_fail(err, SW_ETLS, "HMAC-MD5 failed in mbed TLS");
	return SW_OK;
}
