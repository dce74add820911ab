/*
 * What the keystore readers (jks.c for JKS and JCEKS, x509_p12.c for
 * PKCS#12) share: the callback that receives each certificate a Java
 * trust manager would take as a trust anchor, and a summary of the
 * file.  Java's TrustManagerFactory (PKIX) trusts every trusted
 * certificate entry and, of each private key entry, the first
 * certificate of its chain (sun.security.validator.TrustStoreUtil):
 * the readers deliver both and say which it was.
 */
#ifndef SW_KEYSTORE_H
#define SW_KEYSTORE_H

#include <stddef.h>

#include "err.h"

/* The password Java's cacerts ships with, and keytool's habit. */
#define KEYSTORE_DEFAULT_PASSWORD	"changeit"

enum keystore_integrity {
	KS_INTEGRITY_UNCHECKED,	/* no password given, or nothing to check */
	KS_INTEGRITY_NONE,	/* the file carries no integrity data */
	KS_INTEGRITY_OK,	/* checked with the password: intact */
	KS_INTEGRITY_BAD	/* wrong password, or the file was altered */
};

struct keystore_info {
	char			 format[16];	/* "JKS" "JCEKS" "PKCS12" */
	unsigned		 version;	/* JKS 1 or 2; PKCS12 3 */
	size_t			 nentries;	/* entries in the file */
	size_t			 ncerts;	/* certificates delivered */
	size_t			 nkeys;		/* private key entries */
	size_t			 nsecret;	/* secret key entries */
	size_t			 nignored;	/* certificates Java ignores
						   (PKCS12 without Java's
						   trusted-usage attribute) */
	enum keystore_integrity	 integrity;
	char			 mac[48];	/* "SHA-1 keyed digest",
						   "HmacPBESHA256" ... */
	char			 protection[64]; /* how certificates are
						   stored: "none", "PBES2
						   AES-256-CBC" ... */
};

/*
 * Receives one certificate (DER, valid only during the call).  alias is
 * the entry's name as stored (UTF-8, not sanitised: it comes from a
 * file).  key_entry is 1 for the first certificate of a private key
 * entry.  A return other than SW_OK stops the reader, which returns it.
 */
typedef enum sw_err (*keystore_cert_fn)(void *arg, const char *alias,
		    const unsigned char *der, size_t len, int key_entry);

/* "unchecked", "none", "ok", "bad" (the JSON report's words). */
const char	*keystore_integrity_name(enum keystore_integrity);

/*
 * A UTF-8 password as Java's char[] in UTF-16BE (surrogate pairs beyond
 * U+FFFF): what the JKS digest and the PKCS#12 key derivation hash.
 * Returns the byte count, or (size_t)-1 when pw is not valid UTF-8 or
 * does not fit in cap bytes.
 */
size_t		 keystore_utf16be(const char *pw, unsigned char *out,
		    size_t cap);

#endif
