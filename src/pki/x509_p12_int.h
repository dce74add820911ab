/*
 * What the PKCS#12 reader's two files share: x509_p12.c walks the PFX
 * and its bags, x509_p12_pbe.c does everything the password is for (the
 * MAC check and the decryption of encryptedData).  Both read DER with
 * the cursor below.  Not part of the engine API: x509_p12.h is.
 */
#ifndef SW_X509_P12_INT_H
#define SW_X509_P12_INT_H

#include <stddef.h>
#include <string.h>

#include <mbedtls/asn1.h>

#include "err.h"
#include "keystore.h"

/* ---- DER cursor --------------------------------------------------------- */

struct der {
	unsigned char		*p;
	const unsigned char	*end;
};

struct p12 {
	const char		*password;
	unsigned char		 bmp[1028];	/* UTF-16BE + 00 00 */
	size_t			 bmplen;
	keystore_cert_fn	 fn;
	void			*arg;
	struct keystore_info	*info;
	struct sw_error		*err;
	int			 need_password;	/* encrypted, no password */
	long			 work;		/* iterations derived so far */
};

static inline enum sw_err
bad(struct p12 *x, const char *what)
{
	return sw_fail(x->err, SW_EFILE, "PKCS12 keystore truncated or "
	    "malformed: %s", what);
}

/* Reads one element of tag into *in; d moves past it. */
static inline int
get(struct der *d, int tag, struct der *in)
{
	size_t len;

	if (d->p >= d->end || mbedtls_asn1_get_tag(&d->p, d->end, &len,
	    tag) != 0)
		return -1;
	in->p = d->p;
	in->end = d->p + len;
	d->p += len;
	return 0;
}

static inline int
peek(const struct der *d)
{
	return d->p < d->end ? *d->p : -1;
}

#define SEQ	(MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define SET	(MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SET)
#define CTX0	(MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_CONTEXT_SPECIFIC | 0)

static inline int
is_oid(const struct der *o, const char *oid)
{
	size_t n = strlen(oid);

	return (size_t)(o->end - o->p) == n && memcmp(o->p, oid, n) == 0;
}

static inline int
get_int(struct der *d, long *v)
{
	struct der in;

	if (get(d, MBEDTLS_ASN1_INTEGER, &in) != 0 || in.end - in.p > 4 ||
	    in.end == in.p)
		return -1;
	for (*v = 0; in.p < in.end; in.p++)
		*v = *v << 8 | *in.p;
	return 0;
}

/* ---- between the files -------------------------------------------------- */

/* SafeContents in p[0..len) (x509_p12.c): delivers the certBags. */
enum sw_err	x509_p12_plain_contents(struct p12 *x, unsigned char *p,
		    size_t len);

/* EncryptedData (x509_p12_pbe.c): decrypts it with the password and
 * passes the plain SafeContents on; only notes need_password without
 * one. */
enum sw_err	x509_p12_encrypted_data(struct p12 *x, struct der content);

/* MacData (x509_p12_pbe.c): checks the MAC over content with the
 * password and sets info->mac and info->integrity. */
enum sw_err	x509_p12_check_mac(struct p12 *x, struct der mac,
		    const struct der *content);

#endif
