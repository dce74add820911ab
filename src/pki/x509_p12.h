/*
 * A minimal PKCS#12 (RFC 7292) reader for Java trust stores: Java 9+
 * keystores, keytool's default type, and the password-less cacerts of
 * recent JDKs.  It reads exactly what a Java trust manager takes from
 * the file (see keystore.h):
 *
 *  - certBags in plain SafeContents (password-less stores, JDK 18+
 *    cacerts, keystore.pkcs12.certProtectionAlgorithm=NONE) and in
 *    encryptedData, with PBES2 (PBKDF2 with HMAC-SHA1/224/256/384/512,
 *    AES-128/192/256-CBC or 3DES-CBC: Java 11.0.12+/17 writes
 *    PBEWithHmacSHA256AndAES_256) or the PKCS#12 PBE schemes
 *    pbeWithSHAAnd3-KeyTripleDES-CBC and pbeWithSHAAnd40/128BitRC2-CBC
 *    (older Java wrote RC2-40; mbedTLS has no RC2, so it is here);
 *  - the MAC (HmacPBESHA1/224/256/384/512), checked with the password;
 *  - like Java's PKCS12KeyStore, a certificate counts as a trusted
 *    entry only with Oracle's trusted-key-usage attribute
 *    (2.16.840.1.113894.746875.1.1); one with a localKeyId belongs to a
 *    private key entry; any other certificate (what `openssl pkcs12
 *    -export -nokeys` writes without -jdktrust) is ignored by Java and
 *    counted as such.
 * Private keys are never decrypted.  Not supported (an error says so):
 * public-key integrity mode, BER indefinite lengths, PBMAC1.
 */
#ifndef SW_X509_P12_H
#define SW_X509_P12_H

#include <stddef.h>

#include "err.h"
#include "keystore.h"

/* 1 when data looks like a PKCS#12 PFX (SEQUENCE, INTEGER 3). */
int		x509_p12_sniff(const unsigned char *data, size_t len);

/*
 * Reads the PFX in data[0..len) and passes each trust anchor to fn (see
 * keystore.h), filling info.  password (UTF-8) checks the MAC and
 * decrypts encrypted SafeContents; NULL reads only what is not
 * encrypted and leaves the MAC unchecked.  With a wrong password
 * nothing is delivered.
 * Errors: SW_EFILE (malformed or truncated, an unsupported scheme, an
 * iteration count above 10 000 000, for one derivation or for the
 * whole file, a wrong password: then
 * info->integrity is KS_INTEGRITY_BAD, or encrypted certificates and
 * no password), SW_EUSAGE (password not UTF-8), SW_ENOMEM, or what fn
 * returned.
 */
enum sw_err	x509_p12_read(const unsigned char *data, size_t len,
		    const char *password, keystore_cert_fn fn, void *arg,
		    struct keystore_info *info, struct sw_error *err);

#endif
