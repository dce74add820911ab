/*
 * The mbedTLS client context one handshake runs on: the version range
 * and suite list narrowed to what this build can offer, the config
 * (VERIFY_OPTIONAL, our verify callback, the signature algorithms 3.6
 * should offer), SNI, and the bio callbacks that take every byte
 * through net.c, so that each wait honours the conn's deadline and
 * cancel fd.  The MBEDTLS_VERSION_NUMBER branches for the version API
 * and PSA's global init are here; tls.c runs the handshake.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/debug.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/version.h>

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include <psa/crypto.h>
#else
#include <mbedtls/ecp.h>
#endif

#include "net.h"
#include "tls_int.h"

/* ---- the library ------------------------------------------------------ */

/*
 * PSA's init, process-wide state set once under pthread_once (3.x):
 * the TLS 1.3 code needs it before any handshake.
 */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
static pthread_once_t	 tls_psa_once = PTHREAD_ONCE_INIT;
static psa_status_t	 tls_psa_status;

static void
tls_psa_init(void)
{
	tls_psa_status = psa_crypto_init();
}
#endif

enum sw_err
tls_global_init(struct sw_error *err)
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

/*
 * Follows the record headers in the received bytes, so that a failure
 * can say "a record of 65535 bytes" instead of mbedTLS's generic error.
 */
static void
track_records(struct tls_state *st, const unsigned char *buf, size_t len)
{
	size_t i = 0, take;
	unsigned rlen;

	while (i < len) {
		if (st->rec_need > 0) {
			take = len - i < st->rec_need ? len - i : st->rec_need;
			st->rec_need -= take;
			i += take;
			continue;
		}
		st->rec_hdr[st->rec_nhdr++] = buf[i++];
		if (st->rec_nhdr < sizeof(st->rec_hdr))
			continue;
		st->rec_nhdr = 0;
		rlen = (unsigned)st->rec_hdr[3] << 8 | st->rec_hdr[4];
		if (rlen > TLS_RECORD_MAX && st->rec_bad == 0)
			st->rec_bad = rlen;
		st->rec_need = rlen;
	}
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
	track_records(st, buf, got);
	return (int)got;
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
		tls_range_text(p->min_version, p->max_version, asked,
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

size_t
tls_library_groups(uint16_t *out, size_t cap)
{
	mbedtls_ssl_config conf;
	size_t n = 0;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	const uint16_t *g;
#else
	const mbedtls_ecp_group_id *g;
	const mbedtls_ecp_curve_info *ci;
#endif

	/* What a default client config offers: the library's own list
	 * (3.6 has no getter; its field is read as the library fills it). */
	mbedtls_ssl_config_init(&conf);
	if (mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
		mbedtls_ssl_config_free(&conf);
		return 0;
	}
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	for (g = conf.MBEDTLS_PRIVATE(group_list); g != NULL && *g != 0; g++)
		if (n++ < cap)
			out[n - 1] = *g;
#else
	for (g = conf.curve_list; g != NULL && *g != MBEDTLS_ECP_DP_NONE; g++)
		if ((ci = mbedtls_ecp_curve_info_from_grp_id(*g)) != NULL &&
		    n++ < cap)
			out[n - 1] = ci->tls_id;
#endif
	mbedtls_ssl_config_free(&conf);
	return n;
}

/*
 * The group list for the config: those asked for that this build
 * offers by default, in the order asked.  None asked: the default.
 */
static enum sw_err
make_groups(struct tls_state *st, const struct tls_params *p,
    struct sw_error *err)
{
	uint16_t lib[64];
	size_t nlib, i, k, n = 0;

	if (p->groups == NULL)
		return SW_OK;
	nlib = tls_library_groups(lib, sizeof(lib) / sizeof(lib[0]));
	if (nlib > sizeof(lib) / sizeof(lib[0]))
		nlib = sizeof(lib) / sizeof(lib[0]);
	if ((st->groups = calloc(p->ngroups + 1, sizeof(*st->groups))) ==
	    NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (i = 0; i < p->ngroups; i++) {
		for (k = 0; k < nlib && lib[k] != p->groups[i]; k++)
			;
		if (k == nlib)
			continue;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
		st->groups[n++] = p->groups[i];
#else
		st->groups[n++] = mbedtls_ecp_curve_info_from_tls_id(
		    p->groups[i])->grp_id;
#endif
	}
#if MBEDTLS_VERSION_NUMBER < 0x03000000
	st->groups[n] = MBEDTLS_ECP_DP_NONE;
#endif
	return SW_OK;
}

/*
 * mbedTLS says why it refused a DHE group only in its debug output:
 * level 1 messages reach the contexts that set a callback (ours), at
 * a cost of a few lines per failed handshake.
 */
#if defined(MBEDTLS_DEBUG_C)
static pthread_once_t	 tls_debug_once = PTHREAD_ONCE_INIT;

static void
tls_debug_init(void)
{
	mbedtls_debug_set_threshold(1);
}

/* "DHM prime too short: 1024 < 2048" (2.28 and 3.6 alike). */
static void
tls_debug_cb(void *arg, int level, const char *file, int line,
    const char *msg)
{
	static const char tag[] = "DHM prime too short: ";
	struct tls_state *st = arg;
	const char *m = strstr(msg, tag);
	unsigned bits, min;

	(void)level, (void)file, (void)line;
	if (m != NULL && st->info != NULL && sscanf(m + sizeof(tag) - 1,
	    "%u < %u", &bits, &min) == 2) {
		st->info->dh_bits = bits;
		st->info->dh_min = min;
	}
}
#endif

static void
conf_groups(struct tls_state *st)
{
	if (st->groups == NULL)
		return;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	mbedtls_ssl_conf_groups(&st->conf, st->groups);
#else
	mbedtls_ssl_conf_curves(&st->conf, st->groups);
#endif
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
		    tls_mbed_error(ret, msg, sizeof(msg)));
	/* Report, never enforce: judging the chain is x509.c's job. */
	mbedtls_ssl_conf_authmode(&st->conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
	mbedtls_ssl_conf_verify(&st->conf, tls_verify_cb, st);
	if (p->ca_chain != NULL)
		mbedtls_ssl_conf_ca_chain(&st->conf,
		    (mbedtls_x509_crt *)p->ca_chain, NULL);
	mbedtls_ssl_conf_rng(&st->conf, mbedtls_ctr_drbg_random, &st->drbg);
	conf_versions(&st->conf, st->lo, st->hi);
	if (st->suites != NULL)
		mbedtls_ssl_conf_ciphersuites(&st->conf, st->suites);
	conf_groups(st);
#if defined(MBEDTLS_DHM_C) && defined(MBEDTLS_SSL_CLI_C)
	if (p->dh_min_bits > 0)
		mbedtls_ssl_conf_dhm_min_bitlen(&st->conf, p->dh_min_bits);
#endif
#if defined(MBEDTLS_DEBUG_C)
	pthread_once(&tls_debug_once, tls_debug_init);
	mbedtls_ssl_conf_dbg(&st->conf, tls_debug_cb, st);
#endif
	if ((ret = mbedtls_ssl_setup(&st->ssl, &st->conf)) != 0)
		return sw_fail(err, ret == MBEDTLS_ERR_SSL_ALLOC_FAILED ?
		    SW_ENOMEM : SW_ETLS, "TLS set-up failed: %s",
		    tls_mbed_error(ret, msg, sizeof(msg)));
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
		    sni != NULL ? sni : "", tls_mbed_error(ret, msg,
		    sizeof(msg)));
	mbedtls_ssl_set_bio(&st->ssl, st, bio_send, bio_recv, NULL);
	return SW_OK;
}

void
tls_state_free(struct tls_state *st)
{
	if (st == NULL)
		return;
	mbedtls_ssl_free(&st->ssl);
	mbedtls_ssl_config_free(&st->conf);
	mbedtls_ctr_drbg_free(&st->drbg);
	mbedtls_entropy_free(&st->entropy);
	free(st->suites);
	free(st->groups);
	free(st);
}

enum sw_err
tls_state_new(struct link *c, const struct tls_params *p,
    struct tls_info *info, struct tls_state **out, struct sw_error *err)
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
	if ((rc = make_suites(st, p, err)) != SW_OK ||
	    (rc = make_groups(st, p, err)) != SW_OK)
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
