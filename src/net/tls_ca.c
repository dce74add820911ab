/*
 * Trust anchors handed to mbedTLS itself, for the connections smtpwiz
 * makes on its own behalf and must not make to an untrusted peer (the
 * OAuth2 token endpoint gets a client secret): a PEM bundle loaded as
 * an mbedtls_x509_crt chain, and the verification flags in words.
 * The SMTP probes never use this: they report, x509.c judges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/x509_crt.h>

#include "tls.h"
#include "tls_int.h"

enum sw_err
tls_ca_load(const char *path, struct mbedtls_x509_crt **out,
    struct sw_error *err)
{
	mbedtls_x509_crt *crt;
	char msg[128];
	int ret;

	*out = NULL;
	if ((crt = calloc(1, sizeof(*crt))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	mbedtls_x509_crt_init(crt);
	/* A positive return counts the certificates it could not read:
	 * the others still count (the system bundle holds odd ones). */
	ret = mbedtls_x509_crt_parse_file(crt, path);
	if (ret < 0 || crt->raw.len == 0) {
		mbedtls_x509_crt_free(crt);
		free(crt);
		return sw_fail(err, SW_EFILE, "cannot read CA certificates "
		    "from \"%s\": %s", path, ret < 0 ?
		    tls_mbed_error(ret, msg, sizeof(msg)) : "none found");
	}
	*out = crt;
	return SW_OK;
}

void
tls_ca_free(struct mbedtls_x509_crt *crt)
{
	if (crt == NULL)
		return;
	mbedtls_x509_crt_free(crt);
	free(crt);
}

const char *
tls_verify_text(uint32_t flags, char *buf, size_t cap)
{
	static const struct {
		uint32_t	 bit;
		const char	*text;
	} words[] = {
		{ MBEDTLS_X509_BADCERT_NOT_TRUSTED, "not issued by a trusted "
		    "CA" },
		{ MBEDTLS_X509_BADCERT_CN_MISMATCH, "issued for another host "
		    "name" },
		{ MBEDTLS_X509_BADCERT_EXPIRED, "expired" },
		{ MBEDTLS_X509_BADCERT_FUTURE, "not yet valid" },
		{ MBEDTLS_X509_BADCERT_REVOKED, "revoked" },
		{ MBEDTLS_X509_BADCERT_MISSING, "no certificate sent" },
		{ MBEDTLS_X509_BADCERT_KEY_USAGE, "wrong key usage" },
		{ MBEDTLS_X509_BADCERT_EXT_KEY_USAGE, "not for TLS servers" },
		{ MBEDTLS_X509_BADCERT_BAD_MD, "weak signature hash" },
		{ MBEDTLS_X509_BADCERT_BAD_KEY, "weak key" },
	};
	size_t i, o = 0;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (flags == TLS_VERIFY_UNKNOWN) {
		snprintf(buf, cap, "not verified");
		return buf;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]) && o < cap; i++)
		if (flags & words[i].bit) {
			o += (size_t)snprintf(buf + o, cap - o, "%s%s",
			    o ? ", " : "", words[i].text);
			flags &= ~words[i].bit;
		}
	if (flags != 0 && o < cap)
		snprintf(buf + o, cap - o, "%sflags 0x%x", o ? ", " : "",
		    (unsigned)flags);
	return buf;
}
