/*
 * A small reader of Java's JKS (and JCEKS) keystore files, enough to
 * find the trust anchors a Java runtime would use: cacerts before Java
 * 9 (and on Debian today), and trust stores made with
 * `keytool -storetype JKS`.
 *
 * The format (sun.security.provider.JavaKeyStore), big-endian:
 *   u32 magic 0xFEEDFEED (JKS) or 0xCECECECE (JCEKS), u32 version 1|2,
 *   u32 count, then count entries:
 *     u32 tag: 1 private key, 2 trusted certificate, 3 secret key (JCEKS)
 *     UTF alias (u16 length + modified UTF-8), u64 date (ms)
 *     tag 1: u32 length + protected key, u32 chain length, certificates
 *     tag 2: one certificate
 *     certificate: [version 2: UTF type "X.509"] u32 length + DER
 *   then 20 bytes: SHA-1 over the password as UTF-16BE, the bytes of
 *   "Mighty Aphrodite", and everything before the digest.
 * A secret key entry (JCEKS only) is a serialised Java object that
 * cannot be skipped without a Java deserialiser: the reader stops there
 * with a message saying so.
 *
 * Pure apart from SHA-1 (x509.c): bytes in, certificates out through
 * the callback; no I/O, no allocation, no globals.  Every length is
 * checked against what is left; the reader is fuzzed with truncations
 * at every offset.
 */
#ifndef SW_JKS_H
#define SW_JKS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "keystore.h"

#define JKS_MAGIC	0xfeedfeedu
#define JCEKS_MAGIC	0xcecececeu

/* 1 when data starts like a JKS or JCEKS file. */
int		jks_sniff(const unsigned char *data, size_t len);

/*
 * Reads the keystore in data[0..len) and calls fn for each trust
 * anchor in file order (see keystore.h), filling info.  password
 * (UTF-8) is checked against the integrity digest; NULL skips the
 * check, as Java does when it loads a keystore without a password.
 * The structure is read and every certificate delivered before the
 * digest is compared, so a wrong password still yields the
 * certificates.
 * Errors: SW_EFILE (not a JKS file, an unknown version, a length that
 * runs past the end, a JCEKS secret key entry, or a digest mismatch:
 * then info->integrity is KS_INTEGRITY_BAD and the message says that
 * the password is wrong or the file was altered), SW_EUSAGE (password
 * is not valid UTF-8), or what fn returned.
 */
enum sw_err	jks_read(const unsigned char *data, size_t len,
		    const char *password, keystore_cert_fn fn, void *arg,
		    struct keystore_info *info, struct sw_error *err);

#endif
