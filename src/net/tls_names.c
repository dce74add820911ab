/*
 * Names and numbers: TLS versions as Java writes them, alerts as RFC
 * 8446 §6 does, failures, mbedTLS's suite names and error texts, and
 * what the linked mbedTLS can do (its version string, suites and
 * version range).  No handshake here; tls.c runs it.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/version.h>

#include "tls_int.h"

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
 * The version text, process-wide state set once under pthread_once
 * (PSA's init, the other such piece, is tls_setup.c's).
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

/* "TLS-ECDHE-RSA-WITH-..." and 3.x's "TLS1-3-AES-..." to IANA names. */
void
tls_iana_name(const char *mbed, char *out, size_t cap)
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

const char *
tls_mbed_error(int ret, char *buf, size_t cap)
{
	size_t n;

	mbedtls_strerror(ret, buf, cap);
	n = strlen(buf);
	snprintf(buf + n, cap - n, " (-0x%04x)", (unsigned)-ret);
	return buf;
}

/* "TLSv1.2 only" or "TLSv1 to TLSv1.2", for messages. */
const char *
tls_range_text(uint16_t lo, uint16_t hi, char *buf, size_t cap)
{
	if (lo == hi)
		snprintf(buf, cap, "%s only", tls_version_name(lo));
	else
		snprintf(buf, cap, "%s to %s", tls_version_name(lo),
		    tls_version_name(hi));
	return buf;
}
