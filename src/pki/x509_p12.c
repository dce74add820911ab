/*
 * The PKCS#12 trust-store reader (scope in x509_p12.h): the PFX, the
 * AuthenticatedSafe and its bags; what needs the password (the MAC,
 * encryptedData) is x509_p12_pbe.c's.  DER only: every element is read
 * with mbedtls_asn1_get_tag() against the end of its parent, so a lying
 * length ends in an error, never past the buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/platform_util.h>

#include "x509_p12.h"
#include "x509_p12_int.h"

#define P12_MAX_DEPTH		4	/* nested safeContentsBags */

static const char oid_data[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01";
static const char oid_encrypted[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x06";
static const char oid_keybag[] =
    "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x0a\x01\x01";
static const char oid_shrouded[] =
    "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x0a\x01\x02";
static const char oid_certbag[] =
    "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x0a\x01\x03";
static const char oid_secretbag[] =
    "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x0a\x01\x05";
static const char oid_safebag[] =
    "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x0a\x01\x06";
static const char oid_x509[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x16\x01";
static const char oid_friendly[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x14";
static const char oid_localkey[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x15";
static const char oid_trusted[] =
    "\x60\x86\x48\x01\x86\xf9\x66\xad\xca\x7b\x01\x01";

/* ---- bags --------------------------------------------------------------- */

static enum sw_err safe_contents(struct p12 *, struct der, int depth);

/* friendlyName (BMPString) to UTF-8, localKeyId, Java's trusted usage. */
static void
attributes(struct der attrs, char *alias, size_t cap, int *keyid,
    int *trusted)
{
	struct der a, oid, vals, v;

	while (get(&attrs, SEQ, &a) == 0) {
		if (get(&a, MBEDTLS_ASN1_OID, &oid) != 0 ||
		    get(&a, SET, &vals) != 0)
			continue;
		if (is_oid(&oid, oid_localkey))
			*keyid = 1;
		else if (is_oid(&oid, oid_trusted))
			*trusted = 1;
		else if (is_oid(&oid, oid_friendly) &&
		    get(&vals, MBEDTLS_ASN1_BMP_STRING, &v) == 0) {
			size_t o = 0;

			for (; v.p + 1 < v.end && o + 4 < cap; v.p += 2) {
				unsigned c = (unsigned)v.p[0] << 8 | v.p[1];

				if (c < 0x80)
					alias[o++] = c ? (char)c : '?';
				else if (c < 0x800) {
					alias[o++] = (char)(0xc0 | c >> 6);
					alias[o++] = (char)(0x80 | (c & 0x3f));
				} else {
					/* Surrogates come out as '?'. */
					if (c >= 0xd800 && c <= 0xdfff) {
						alias[o++] = '?';
						continue;
					}
					alias[o++] = (char)(0xe0 | c >> 12);
					alias[o++] = (char)(0x80 |
					    ((c >> 6) & 0x3f));
					alias[o++] = (char)(0x80 | (c & 0x3f));
				}
			}
			alias[o] = '\0';
		}
	}
}

static enum sw_err
cert_bag(struct p12 *x, struct der value, struct der attrs)
{
	struct der bag, oid, wrap, der;
	char alias[256] = "";
	int keyid = 0, trusted = 0;

	if (get(&value, SEQ, &bag) != 0 || get(&bag, MBEDTLS_ASN1_OID,
	    &oid) != 0 || get(&bag, CTX0, &wrap) != 0)
		return bad(x, "certBag");
	if (!is_oid(&oid, oid_x509))
		return SW_OK;		/* SDSI certificates: not for TLS */
	if (get(&wrap, MBEDTLS_ASN1_OCTET_STRING, &der) != 0)
		return bad(x, "certBag value");
	attributes(attrs, alias, sizeof(alias), &keyid, &trusted);
	if (!trusted && !keyid) {
		x->info->nignored++;
		return SW_OK;
	}
	x->info->ncerts++;
	return x->fn(x->arg, alias, der.p, (size_t)(der.end - der.p),
	    !trusted);
}

static enum sw_err
safe_bag(struct p12 *x, struct der bag, int depth)
{
	struct der oid, value, attrs = { NULL, NULL };

	if (get(&bag, MBEDTLS_ASN1_OID, &oid) != 0 ||
	    get(&bag, CTX0, &value) != 0)
		return bad(x, "SafeBag");
	if (peek(&bag) == SET && get(&bag, SET, &attrs) != 0)
		return bad(x, "SafeBag attributes");
	x->info->nentries++;
	if (is_oid(&oid, oid_certbag))
		return cert_bag(x, value, attrs);
	if (is_oid(&oid, oid_keybag) || is_oid(&oid, oid_shrouded))
		x->info->nkeys++;
	else if (is_oid(&oid, oid_secretbag))
		x->info->nsecret++;
	else if (is_oid(&oid, oid_safebag)) {
		struct der inner;

		x->info->nentries--;
		if (depth >= P12_MAX_DEPTH)
			return bad(x, "safeContentsBags nested too deep");
		if (get(&value, SEQ, &inner) != 0)
			return bad(x, "safeContentsBag");
		return safe_contents(x, inner, depth + 1);
	}
	return SW_OK;
}

/* SafeContents ::= SEQUENCE OF SafeBag (the SEQUENCE already opened). */
static enum sw_err
safe_contents(struct p12 *x, struct der d, int depth)
{
	struct der bag;
	enum sw_err rc;

	while (d.p < d.end) {
		if (get(&d, SEQ, &bag) != 0)
			return bad(x, "SafeContents");
		if ((rc = safe_bag(x, bag, depth)) != SW_OK)
			return rc;
	}
	return SW_OK;
}

enum sw_err
x509_p12_plain_contents(struct p12 *x, unsigned char *p, size_t len)
{
	struct der d = { p, p + len }, seq;

	if (get(&d, SEQ, &seq) != 0)
		return bad(x, "SafeContents");
	return safe_contents(x, seq, 0);
}

/* AuthenticatedSafe ::= SEQUENCE OF ContentInfo. */
static enum sw_err
authenticated_safe(struct p12 *x, struct der d)
{
	struct der seq, ci, type, content, octets;
	enum sw_err rc;

	if (get(&d, SEQ, &seq) != 0)
		return bad(x, "AuthenticatedSafe");
	while (seq.p < seq.end) {
		if (get(&seq, SEQ, &ci) != 0 || get(&ci, MBEDTLS_ASN1_OID,
		    &type) != 0 || get(&ci, CTX0, &content) != 0)
			return bad(x, "ContentInfo");
		if (is_oid(&type, oid_data)) {
			if (get(&content, MBEDTLS_ASN1_OCTET_STRING,
			    &octets) != 0)
				return bad(x, "data ContentInfo");
			rc = x509_p12_plain_contents(x, octets.p,
			    (size_t)(octets.end - octets.p));
		} else if (is_oid(&type, oid_encrypted))
			rc = x509_p12_encrypted_data(x, content);
		else
			rc = SW_OK;	/* envelopedData: public-key mode */
		if (rc != SW_OK)
			return rc;
	}
	return SW_OK;
}

int
x509_p12_sniff(const unsigned char *data, size_t len)
{
	struct der d = { (unsigned char *)data, data + len }, pfx;
	long v;

	return get(&d, SEQ, &pfx) == 0 && get_int(&pfx, &v) == 0 && v == 3;
}

enum sw_err
x509_p12_read(const unsigned char *data, size_t len, const char *password,
    keystore_cert_fn fn, void *arg, struct keystore_info *info,
    struct sw_error *err)
{
	struct der d = { (unsigned char *)data, data + len };
	struct der pfx, auth, type, wrap, content, mac;
	struct p12 *x;
	long version;
	enum sw_err rc;
	size_t n;

	memset(info, 0, sizeof(*info));
	snprintf(info->format, sizeof(info->format), "PKCS12");
	snprintf(info->protection, sizeof(info->protection), "none");
	snprintf(info->mac, sizeof(info->mac), "none");
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	x->password = password;
	x->fn = fn;
	x->arg = arg;
	x->info = info;
	x->err = err;
	if (password != NULL) {
		n = keystore_utf16be(password, x->bmp, sizeof(x->bmp) - 2);
		if (n == (size_t)-1) {
			free(x);
			return sw_fail(err, SW_EUSAGE, "the keystore password "
			    "is not valid UTF-8 or longer than 256 characters");
		}
		x->bmp[n] = x->bmp[n + 1] = 0;
		x->bmplen = n + 2;
	}
	rc = SW_OK;
	if (get(&d, SEQ, &pfx) != 0 || get_int(&pfx, &version) != 0)
		rc = sw_fail(err, SW_EFILE, "not a PKCS12 keystore");
	else if (version != 3)
		rc = sw_fail(err, SW_EFILE, "PKCS12 version %ld is unknown "
		    "(3 exists)", version);
	else if (get(&pfx, SEQ, &auth) != 0 || get(&auth, MBEDTLS_ASN1_OID,
	    &type) != 0 || get(&auth, CTX0, &wrap) != 0)
		rc = bad(x, "authSafe");
	else if (!is_oid(&type, oid_data))
		rc = sw_fail(err, SW_EFILE, "PKCS12 keystore in public-key "
		    "integrity mode: not supported");
	else if (get(&wrap, MBEDTLS_ASN1_OCTET_STRING, &content) != 0)
		rc = bad(x, "authSafe content (BER constructed strings are "
		    "not supported)");
	info->version = 3;
	info->integrity = KS_INTEGRITY_NONE;
	/* The MAC first: with a wrong password nothing is delivered. */
	if (rc == SW_OK && peek(&pfx) == SEQ) {
		if (get(&pfx, SEQ, &mac) != 0)
			rc = bad(x, "MacData");
		else
			rc = x509_p12_check_mac(x, mac, &content);
	}
	if (rc == SW_OK)
		rc = authenticated_safe(x, content);
	if (rc == SW_OK && x->need_password && info->ncerts == 0)
		rc = sw_fail(err, SW_EFILE, "the keystore's certificates are "
		    "encrypted: give its password (--storepass)");
	mbedtls_platform_zeroize(x->bmp, sizeof(x->bmp));
	free(x);
	return rc;
}