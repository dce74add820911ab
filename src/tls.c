/*
 * The TLS client over mbedTLS 2.28 (Debian 12, Ubuntu) and 3.6 LTS
 * (Debian 13, Alpine, Homebrew).  mbedTLS never touches the socket
 * itself: our bio callbacks go through net_read()/net_write(), so every
 * wait honours the conn's deadline and cancel fd, and they remember what
 * the transport did (EOF, reset, timeout, the first bytes received) so
 * that a failed handshake can be told apart: alert, closed, not TLS, no
 * common version.  Every MBEDTLS_VERSION_NUMBER branch of the project is
 * in this file (and x509.c): the version API, the negotiated version,
 * the received alert (a private field in 3.x) and PSA's global init.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include <psa/crypto.h>
#define TLS_PRIV(ssl, field)	((ssl)->MBEDTLS_PRIVATE(field))
#define TLS_ERR_BAD_VERSION	MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION
#else
#define TLS_PRIV(ssl, field)	((ssl)->field)
#define TLS_ERR_BAD_VERSION	MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION
#endif

#include "net.h"
#include "tls.h"

struct tls_state {
	struct conn		*c;
	mbedtls_ssl_context	 ssl;
	mbedtls_ssl_config	 conf;
	mbedtls_entropy_context	 entropy;
	mbedtls_ctr_drbg_context drbg;
	int			*suites;	/* 0-terminated; conf keeps it */
	struct tls_info		*info;		/* during the handshake only */
	uint16_t		 lo, hi;	/* the versions offered */
	int64_t			 started;	/* net_now_ms() at tls_start */
	/* What the transport did, for telling failures apart. */
	enum sw_err		 io_rc;		/* first failure of net_* */
	struct sw_error		 io_err;
	int			 closing;	/* close_notify: never wait */
	unsigned char		 head[64];	/* first bytes received */
	size_t			 nhead;
};

/* ---- names and numbers ----------------------------------------------- */

static const struct {
	uint16_t	 version;
	const char	*name;
} tls_versions[] = {
	{ TLS_SSL3, "SSLv3" }, { TLS_V10, "TLSv1" }, { TLS_V11, "TLSv1.1" },
	{ TLS_V12, "TLSv1.2" }, { TLS_V13, "TLSv1.3" },
};

const char *
tls_version_name(uint16_t version)
{
	size_t i;

	for (i = 0; i < sizeof(tls_versions) / sizeof(tls_versions[0]); i++)
		if (tls_versions[i].version == version)
			return tls_versions[i].name;
	return "unknown";
}

uint16_t
tls_version_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(tls_versions) / sizeof(tls_versions[0]); i++)
		if (strcmp(tls_versions[i].name, name) == 0)
			return tls_versions[i].version;
	return 0;
}

const char *
tls_alert_name(int alert)
{
	static const struct {
		int		 alert;
		const char	*name;
	} alerts[] = {
		{ 0, "close_notify" }, { 10, "unexpected_message" },
		{ 20, "bad_record_mac" }, { 21, "decryption_failed" },
		{ 22, "record_overflow" }, { 30, "decompression_failure" },
		{ 40, "handshake_failure" }, { 41, "no_certificate" },
		{ 42, "bad_certificate" }, { 43, "unsupported_certificate" },
		{ 44, "certificate_revoked" }, { 45, "certificate_expired" },
		{ 46, "certificate_unknown" }, { 47, "illegal_parameter" },
		{ 48, "unknown_ca" }, { 49, "access_denied" },
		{ 50, "decode_error" }, { 51, "decrypt_error" },
		{ 60, "export_restriction" }, { 70, "protocol_version" },
		{ 71, "insufficient_security" }, { 80, "internal_error" },
		{ 86, "inappropriate_fallback" }, { 90, "user_canceled" },
		{ 100, "no_renegotiation" }, { 109, "missing_extension" },
		{ 110, "unsupported_extension" },
		{ 111, "certificate_unobtainable" },
		{ 112, "unrecognized_name" },
		{ 113, "bad_certificate_status_response" },
		{ 114, "bad_certificate_hash_value" },
		{ 115, "unknown_psk_identity" }, { 116, "certificate_required" },
		{ 120, "no_application_protocol" },
	};
	size_t i;

	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (alerts[i].alert == alert)
			return alerts[i].name;
	return "unknown";
}

const char *
tls_failure_name(enum tls_failure f)
{
	switch (f) {
	case TLS_FAIL_NONE:	return "none";
	case TLS_FAIL_ALERT:	return "alert";
	case TLS_FAIL_CLOSED:	return "closed";
	case TLS_FAIL_NOT_TLS:	return "not-tls";
	case TLS_FAIL_VERSION:	return "version";
	case TLS_FAIL_OTHER:	break;
	}
	return "other";
}

/* ---- the library ------------------------------------------------------ */

/*
 * The two pieces of process-wide state, each set once under
 * pthread_once: the version text and, in 3.x, PSA's init, which the
 * TLS 1.3 code needs before any handshake.
 */
static pthread_once_t	 tls_version_once = PTHREAD_ONCE_INIT;
static char		 tls_version_text[32];

static void
tls_version_init(void)
{
	/* At run time, from the library: it may differ from the headers. */
	mbedtls_version_get_string_full(tls_version_text);
}

const char *
tls_library_version(void)
{
	pthread_once(&tls_version_once, tls_version_init);
	return tls_version_text;
}

size_t
tls_library_suites(uint16_t *out, size_t cap)
{
	const int *ids = mbedtls_ssl_list_ciphersuites();
	size_t n = 0;

	for (; ids[n] != 0; n++)
		if (n < cap)
			out[n] = (uint16_t)ids[n];
	return n;
}

const char *
tls_library_suite_name(uint16_t id)
{
	const char *name = mbedtls_ssl_get_ciphersuite_name(id);

	return name == NULL || strcmp(name, "unknown") == 0 ? NULL : name;
}

void
tls_library_range(uint16_t *min, uint16_t *max)
{
	/*
	 * From the headers we were built with; both builds link the
	 * matching library.  SSLv3 is off in 2.28's default config (and
	 * Debian's); 3.x dropped SSLv3, TLS 1.0 and 1.1 altogether.
	 */
#if defined(MBEDTLS_SSL_PROTO_TLS1)
	*min = TLS_V10;
#elif defined(MBEDTLS_SSL_PROTO_TLS1_1)
	*min = TLS_V11;
#elif defined(MBEDTLS_SSL_PROTO_TLS1_2)
	*min = TLS_V12;
#else
	*min = TLS_V13;
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
	*max = TLS_V13;
#elif defined(MBEDTLS_SSL_PROTO_TLS1_2)
	*max = TLS_V12;
#elif defined(MBEDTLS_SSL_PROTO_TLS1_1)
	*max = TLS_V11;
#else
	*max = TLS_V10;
#endif
}

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
static pthread_once_t	 tls_psa_once = PTHREAD_ONCE_INIT;
static psa_status_t	 tls_psa_status;

static void
tls_psa_init(void)
{
	tls_psa_status = psa_crypto_init();
}
#endif

static enum sw_err
global_init(struct sw_error *err)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	pthread_once(&tls_psa_once, tls_psa_init);
	if (tls_psa_status != PSA_SUCCESS)
		return sw_fail(err, SW_ETLS, "cannot initialise PSA crypto "
		    "(psa_crypto_init: %d)", (int)tls_psa_status);
#else
	(void)err;
#endif
	return SW_OK;
}

/* "TLS-ECDHE-RSA-WITH-..." and 3.x's "TLS1-3-AES-..." to IANA names. */
static void
iana_name(const char *mbed, char *out, size_t cap)
{
	char *p;

	if (strncmp(mbed, "TLS1-3-", 7) == 0)
		snprintf(out, cap, "TLS_%s", mbed + 7);
	else
		snprintf(out, cap, "%s", mbed);
	for (p = out; *p != '\0'; p++)
		if (*p == '-')
			*p = '_';
}

static uint16_t
negotiated_version(const mbedtls_ssl_context *ssl)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return (uint16_t)mbedtls_ssl_get_version_number(ssl);
#else
	return (uint16_t)(ssl->major_ver << 8 | ssl->minor_ver);
#endif
}

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
/*
 * 3.6's default signature_algorithms list, with RSA PKCS#1 before
 * RSA-PSS.  When TLS 1.3 is offered, mbedTLS advertises rsa_pss_rsae_*,
 * yet its TLS 1.2 code rejects a ServerKeyExchange signed with them
 * (illegal_parameter; Mbed-TLS/mbedtls#10668, seen with 3.6.6).  An
 * OpenSSL TLS 1.2 server with an RSA key picks the first usable entry
 * of the client's list unless it prefers its own order, so putting
 * PKCS#1 first avoids the bug; TLS 1.3 skips PKCS#1 (RFC 8446 §4.2.3).
 */
static const uint16_t tls_sig_algs[] = {
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256,
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384,
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP521R1_SHA512,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA512,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256,
	MBEDTLS_TLS1_3_SIG_NONE
};
#endif

static void
conf_versions(mbedtls_ssl_config *conf, uint16_t lo, uint16_t hi)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	mbedtls_ssl_conf_min_tls_version(conf, (mbedtls_ssl_protocol_version)lo);
	mbedtls_ssl_conf_max_tls_version(conf, (mbedtls_ssl_protocol_version)hi);
	/* Entries this build cannot use are left out of the ClientHello. */
	mbedtls_ssl_conf_sig_algs(conf, tls_sig_algs);
#else
	mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    lo & 0xff);
	mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    hi & 0xff);
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

static const char *
mbed_error(int ret, char *buf, size_t cap)
{
	size_t n;

	mbedtls_strerror(ret, buf, cap);
	n = strlen(buf);
	snprintf(buf + n, cap - n, " (-0x%04x)", (unsigned)-ret);
	return buf;
}

/* "TLSv1.2 only" or "TLSv1 to TLSv1.2", for messages. */
static const char *
range_text(uint16_t lo, uint16_t hi, char *buf, size_t cap)
{
	if (lo == hi)
		snprintf(buf, cap, "%s only", tls_version_name(lo));
	else
		snprintf(buf, cap, "%s to %s", tls_version_name(lo),
		    tls_version_name(hi));
	return buf;
}

/* ---- transport: mbedTLS bio over net.c -------------------------------- */

static int64_t
bio_deadline(const struct tls_state *st)
{
	/* close_notify is best-effort: never wait for a full buffer. */
	return st->closing ? net_now_ms() : st->c->deadline;
}

static void
bio_failed(struct tls_state *st, enum sw_err rc)
{
	if (st->io_rc == SW_OK)
		st->io_rc = rc;
}

static int
bio_send(void *arg, const unsigned char *buf, size_t len)
{
	struct tls_state *st = arg;
	enum sw_err rc;

	rc = net_write(st->c->fd, buf, len, bio_deadline(st), st->c->cancel_fd,
	    &st->io_err);
	if (rc != SW_OK) {
		bio_failed(st, rc);
		return MBEDTLS_ERR_NET_SEND_FAILED;
	}
	return (int)len;
}

static int
bio_recv(void *arg, unsigned char *buf, size_t len)
{
	struct tls_state *st = arg;
	size_t got, n;
	enum sw_err rc;

	rc = net_read(st->c->fd, buf, len, &got, bio_deadline(st),
	    st->c->cancel_fd, &st->io_err);
	if (rc != SW_OK) {
		bio_failed(st, rc);
		/* 0 is EOF to mbedTLS: it then reports CONN_EOF. */
		return rc == SW_ECLOSED ? 0 : MBEDTLS_ERR_NET_RECV_FAILED;
	}
	n = sizeof(st->head) - st->nhead;
	if (n > got)
		n = got;
	memcpy(st->head + st->nhead, buf, n);
	st->nhead += n;
	return (int)got;
}

/* Starts an operation with a clean record of the transport. */
static void
bio_reset(struct tls_state *st)
{
	st->io_rc = SW_OK;
	sw_error_clear(&st->io_err);
}

/* ---- the peer chain --------------------------------------------------- */

static void
capture_chain(struct tls_info *info, const mbedtls_x509_crt *crt)
{
	for (; crt != NULL && info->nchain < TLS_CHAIN_MAX; crt = crt->next) {
		unsigned char *der;

		if (crt->raw.p == NULL || crt->raw.len == 0)
			continue;
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
static int
verify_cb(void *arg, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	struct tls_state *st = arg;

	(void)flags;
	if (depth == 0 && st->info != NULL && st->info->nchain == 0)
		capture_chain(st->info, crt);
	return 0;
}

/* ---- set-up ----------------------------------------------------------- */

static enum sw_err
pick_range(const struct tls_params *p, uint16_t *lo, uint16_t *hi,
    struct sw_error *err)
{
	uint16_t lib_lo, lib_hi;
	char asked[40];

	tls_library_range(&lib_lo, &lib_hi);
	*lo = p->min_version != 0 ? p->min_version : lib_lo;
	*hi = p->max_version != 0 ? p->max_version : lib_hi;
	if (*lo < TLS_SSL3 || *lo > TLS_V13 || *hi < TLS_SSL3 || *hi > TLS_V13)
		return sw_fail(err, SW_EUSAGE, "unknown TLS version 0x%04x",
		    *lo < TLS_SSL3 || *lo > TLS_V13 ? *lo : *hi);
	/* Offer what this build can of what was asked for. */
	if (*lo < lib_lo)
		*lo = lib_lo;
	if (*hi > lib_hi)
		*hi = lib_hi;
	if (*lo <= *hi)
		return SW_OK;
	if (p->min_version == 0 || p->max_version == 0)
		snprintf(asked, sizeof(asked), "%s or %s",
		    tls_version_name(p->min_version ? p->min_version :
		    p->max_version), p->min_version ? "higher" : "lower");
	else
		range_text(p->min_version, p->max_version, asked,
		    sizeof(asked));
	return sw_fail(err, SW_EUSAGE, "%s asked for, but this build (%s) "
	    "can do %s to %s only", asked, tls_library_version(),
	    tls_version_name(lib_lo), tls_version_name(lib_hi));
}

/*
 * The suite list for mbedtls_ssl_conf_ciphersuites(): the ids this
 * build knows, 0-terminated.  A list with no TLS 1.3 suite caps the
 * range at TLS 1.2 and one with only TLS 1.3 suites raises it to 1.3:
 * a ClientHello offering a version with no suite for it is refused.
 */
static enum sw_err
make_suites(struct tls_state *st, const struct tls_params *p,
    struct sw_error *err)
{
	size_t i, n = 0, n13 = 0;

	if (p->suites == NULL || p->nsuites == 0)
		return SW_OK;
	if ((st->suites = calloc(p->nsuites + 1, sizeof(int))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (i = 0; i < p->nsuites; i++) {
		if (mbedtls_ssl_ciphersuite_from_id(p->suites[i]) == NULL)
			continue;
		st->suites[n++] = p->suites[i];
		n13 += (p->suites[i] >> 8) == 0x13;
	}
	if (n == 0)
		return sw_fail(err, SW_EUSAGE, "%s supports none of the %zu "
		    "cipher suites asked for", tls_library_version(),
		    p->nsuites);
	if (n13 == 0 && st->hi > TLS_V12)
		st->hi = TLS_V12;
	if (n13 == n && st->lo < TLS_V13)
		st->lo = TLS_V13;
	if (st->lo > st->hi)
		return sw_fail(err, SW_EUSAGE, "the cipher suites asked for "
		    "are all %s suites, outside the versions asked for",
		    n13 ? "TLSv1.3" : "TLSv1.2 and older");
	return SW_OK;
}

static enum sw_err
configure(struct tls_state *st, const struct tls_params *p,
    struct sw_error *err)
{
	char msg[128];
	int ret;

	ret = mbedtls_ssl_config_defaults(&st->conf, MBEDTLS_SSL_IS_CLIENT,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
	if (ret != 0)
		return sw_fail(err, SW_ETLS, "TLS set-up failed: %s",
		    mbed_error(ret, msg, sizeof(msg)));
	/* Report, never enforce: judging the chain is x509.c's job. */
	mbedtls_ssl_conf_authmode(&st->conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
	mbedtls_ssl_conf_verify(&st->conf, verify_cb, st);
	if (p->ca_chain != NULL)
		mbedtls_ssl_conf_ca_chain(&st->conf,
		    (mbedtls_x509_crt *)p->ca_chain, NULL);
	mbedtls_ssl_conf_rng(&st->conf, mbedtls_ctr_drbg_random, &st->drbg);
	conf_versions(&st->conf, st->lo, st->hi);
	if (st->suites != NULL)
		mbedtls_ssl_conf_ciphersuites(&st->conf, st->suites);
	if ((ret = mbedtls_ssl_setup(&st->ssl, &st->conf)) != 0)
		return sw_fail(err, ret == MBEDTLS_ERR_SSL_ALLOC_FAILED ?
		    SW_ENOMEM : SW_ETLS, "TLS set-up failed: %s",
		    mbed_error(ret, msg, sizeof(msg)));
	return SW_OK;
}

static int
is_ip_literal(const char *s)
{
	return strchr(s, ':') != NULL || strspn(s, "0123456789.") == strlen(s);
}

static enum sw_err
name_and_bio(struct tls_state *st, const struct tls_params *p,
    struct sw_error *err)
{
	const char *sni = p->sni;
	char msg[128];
	int ret;

	/*
	 * RFC 6066 §3: no IP literals in SNI.  Setting NULL explicitly
	 * tells 3.6.3+ that verifying without a name is intended.
	 */
	if (sni != NULL && (sni[0] == '\0' || is_ip_literal(sni)))
		sni = NULL;
	if ((ret = mbedtls_ssl_set_hostname(&st->ssl, sni)) != 0)
		return sw_fail(err, SW_EUSAGE, "server name '%s' refused: %s",
		    sni != NULL ? sni : "", mbed_error(ret, msg, sizeof(msg)));
	mbedtls_ssl_set_bio(&st->ssl, st, bio_send, bio_recv, NULL);
	return SW_OK;
}

static void
state_free(struct tls_state *st)
{
	if (st == NULL)
		return;
	mbedtls_ssl_free(&st->ssl);
	mbedtls_ssl_config_free(&st->conf);
	mbedtls_ctr_drbg_free(&st->drbg);
	mbedtls_entropy_free(&st->entropy);
	free(st->suites);
	free(st);
}

static enum sw_err
state_new(struct conn *c, const struct tls_params *p, struct tls_info *info,
    struct tls_state **out, struct sw_error *err)
{
	static const char pers[] = "smtpwiz tls";
	struct tls_state *st;
	enum sw_err rc;
	int ret;

	if ((*out = st = calloc(1, sizeof(*st))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	st->c = c;
	st->info = info;
	st->started = net_now_ms();
	mbedtls_ssl_init(&st->ssl);
	mbedtls_ssl_config_init(&st->conf);
	mbedtls_entropy_init(&st->entropy);
	mbedtls_ctr_drbg_init(&st->drbg);
	if ((rc = pick_range(p, &st->lo, &st->hi, err)) != SW_OK) {
		info->failure = TLS_FAIL_VERSION;
		return rc;
	}
	if ((rc = make_suites(st, p, err)) != SW_OK)
		return rc;
	ret = mbedtls_ctr_drbg_seed(&st->drbg, mbedtls_entropy_func,
	    &st->entropy, (const unsigned char *)pers, sizeof(pers) - 1);
	if (ret != 0)
		return sw_fail(err, SW_ETLS, "cannot seed the random number "
		    "generator (-0x%04x)", (unsigned)-ret);
	if ((rc = configure(st, p, err)) != SW_OK)
		return rc;
	return name_and_bio(st, p, err);
}

/* ---- the ops after a handshake --------------------------------------- */

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
	    mbed_error(ret, msg, sizeof(msg)));
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
tls_read(struct conn *c, void *buf, size_t cap, size_t *got,
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
tls_write(struct conn *c, const void *buf, size_t len, struct sw_error *err)
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
tls_close(struct conn *c)
{
	struct tls_state *st = c->tls;

	if (st == NULL)
		return;
	st->closing = 1;
	(void)mbedtls_ssl_close_notify(&st->ssl);
	state_free(st);
	c->tls = NULL;
}

static const struct conn_ops tls_ops = {
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
	range_text(st->lo, st->hi, offered, sizeof(offered));
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
 * RSA-PSS for TLS 1.3 (see tls_sig_algs): tls_sig_algs avoids it unless
 * the server insists on its own order.  A TLS 1.2-only offer has no
 * RSA-PSS in it, so that is what to retry with.
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
		    "TLSv1.2 only", mbed_error(ret, msg, sizeof(msg)),
		    tls_library_version());
	return sw_fail(err, SW_ETLS, "TLS handshake failed: %s",
	    mbed_error(ret, msg, sizeof(msg)));
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
		iana_name(name, info->suite_name, sizeof(info->suite_name));
	}
	info->verify_flags = mbedtls_ssl_get_verify_result(&st->ssl);
	if (info->nchain == 0)
		capture_chain(info, mbedtls_ssl_get_peer_cert(&st->ssl));
	snprintf(note, sizeof(note), "TLS handshake: %s %s",
	    tls_version_name(info->version), info->suite_name);
	conn_note(st->c, note);
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
	conn_note(st->c, note);
	return rc;
}

enum sw_err
tls_start(struct conn *c, const struct tls_params *p, struct tls_info *info,
    struct sw_error *err)
{
	struct tls_info scratch;
	struct tls_state *st = NULL;
	enum sw_err rc;

	if (info == NULL)
		info = &scratch;
	info_reset(info);
	rc = global_init(err);
	if (rc == SW_OK)
		rc = state_new(c, p, info, &st, err);
	if (rc != SW_OK && info->failure == TLS_FAIL_NONE)
		info->failure = TLS_FAIL_OTHER;
	if (rc == SW_OK) {
		conn_discard(c);	/* RFC 3207 §6: not protected */
		rc = run_handshake(st, info, err);
	}
	if (st != NULL)
		st->info = NULL;	/* renegotiation must not write */
	if (rc == SW_OK) {
		c->tls = st;
		c->ops = &tls_ops;
	} else
		state_free(st);
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
