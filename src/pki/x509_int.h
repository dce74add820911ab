/*
 * What the x509*.c files share beyond x509.h: x509.c reads one
 * certificate, x509_path.c keeps trust anchors and builds the path from
 * them, x509_pem.c writes and reads PEM.  It holds X509_PRIV (the
 * mbedTLS 2.28/3.6 difference in mbedtls_x509_crt) and x509.c's helpers
 * for a parsed certificate.  Not part of the engine API: only
 * x509*.c include it (make check-layers keeps mbedTLS there).
 */
#ifndef SW_X509_INT_H
#define SW_X509_INT_H

#include <stddef.h>
#include <stdlib.h>

#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "x509.h"

/* 3.x made the signature fields of mbedtls_x509_crt and the
 * basicConstraints flag private; this is the one place that reaches
 * them. */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define X509_PRIV(crt, field)	((crt)->MBEDTLS_PRIVATE(field))
#else
#define X509_PRIV(crt, field)	((crt)->field)
#endif

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * A distinguished name, most specific first (as Java and RFC 4514 write
 * it): "CN=mail.example.com, O=Example", cut to cap.
 */
void		x509_dn_text(const mbedtls_x509_name *dn, char *out,
		    size_t cap);

/* 1 when issuer's subject is issued's issuer (X500Principal equality). */
int		x509_same_name(const mbedtls_x509_crt *issued,
		    const mbedtls_x509_crt *issuer);

/* 1 when parent's key verifies child's signature. */
int		x509_signed_by(const mbedtls_x509_crt *child,
		    mbedtls_x509_crt *parent);

/* The summary of a parsed certificate (all but the fingerprint). */
void		x509_fill_info(mbedtls_x509_crt *crt, struct x509_info *out);

/*
 * Parses DER into a malloc'ed certificate (free it with free_crt()).
 * Errors: SW_EFILE (mbedTLS cannot read it: the message says why),
 * SW_ENOMEM.
 */
enum sw_err	x509_parse_crt(const unsigned char *der, size_t len,
		    mbedtls_x509_crt **out, struct sw_error *err);

static inline void
free_crt(mbedtls_x509_crt *crt)
{
	if (crt != NULL) {
		mbedtls_x509_crt_free(crt);
		free(crt);
	}
}

#endif
