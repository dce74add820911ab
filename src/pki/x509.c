/*
 * Certificates over mbedTLS 2.28 and 3.6: reading one into a summary,
 * and digests (see x509.h); trust-anchor sets and Java-style path
 * building are x509_path.c's, PEM x509_pem.c's.  3.x made the signature
 * fields of mbedtls_x509_crt and the basicConstraints flag private;
 * X509_PRIV() (x509_int.h) is the one place that reaches them, for the
 * signature check a path builder cannot do without.  The algorithm and
 * curve names come from our own OID tables so that certificates mbedTLS
 * cannot use (MD2, unsupported curves) still get a name.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mbedtls/asn1.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include <psa/crypto.h>
#endif

#include "x509_int.h"

/* ---- library set-up ----------------------------------------------------- */

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
static pthread_once_t	x509_psa_once = PTHREAD_ONCE_INIT;

static void
x509_psa_init(void)
{
	/* Hashes and keys may be PSA-backed in a distribution's 3.x. */
	(void)psa_crypto_init();
}
#endif

static void
lib_init(void)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	pthread_once(&x509_psa_once, x509_psa_init);
#endif
}

/* ---- names of algorithms ------------------------------------------------ */

struct oid_name {
	const char	*oid;		/* DER content bytes */
	size_t		 len;
	const char	*name;
	int		 kind;		/* enum x509_md or enum x509_key */
};

#define OID(s)	s, sizeof(s) - 1

static const struct oid_name sig_oids[] = {
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x02"), "md2WithRSAEncryption",
	  X509_MD_MD2 },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x04"), "md5WithRSAEncryption",
	  X509_MD_MD5 },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x05"),
	  "sha1WithRSAEncryption", X509_MD_SHA1 },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0e"),
	  "sha224WithRSAEncryption", X509_MD_SHA224 },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"),
	  "sha256WithRSAEncryption", X509_MD_SHA256 },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0c"),
	  "sha384WithRSAEncryption", X509_MD_SHA384 },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0d"),
	  "sha512WithRSAEncryption", X509_MD_SHA512 },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a"), "rsassaPss",
	  X509_MD_UNKNOWN },
	{ OID("\x2a\x86\x48\xce\x3d\x04\x01"), "ecdsa-with-SHA1",
	  X509_MD_SHA1 },
	{ OID("\x2a\x86\x48\xce\x3d\x04\x03\x01"), "ecdsa-with-SHA224",
	  X509_MD_SHA224 },
	{ OID("\x2a\x86\x48\xce\x3d\x04\x03\x02"), "ecdsa-with-SHA256",
	  X509_MD_SHA256 },
	{ OID("\x2a\x86\x48\xce\x3d\x04\x03\x03"), "ecdsa-with-SHA384",
	  X509_MD_SHA384 },
	{ OID("\x2a\x86\x48\xce\x3d\x04\x03\x04"), "ecdsa-with-SHA512",
	  X509_MD_SHA512 },
	{ OID("\x2a\x86\x48\xce\x38\x04\x03"), "dsa-with-sha1", X509_MD_SHA1 },
	{ OID("\x60\x86\x48\x01\x65\x03\x04\x03\x02"), "dsa-with-sha256",
	  X509_MD_SHA256 },
	{ OID("\x2b\x65\x70"), "Ed25519", X509_MD_SHA512 },
	{ OID("\x2b\x65\x71"), "Ed448", X509_MD_UNKNOWN },
};

static const struct oid_name key_oids[] = {
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"), "RSA", X509_KEY_RSA },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a"), "RSA", X509_KEY_RSA },
	{ OID("\x2a\x86\x48\xce\x3d\x02\x01"), "EC", X509_KEY_EC },
	{ OID("\x2a\x86\x48\xce\x38\x04\x01"), "DSA", X509_KEY_DSA },
	{ OID("\x2b\x65\x70"), "Ed25519", X509_KEY_ED },
	{ OID("\x2b\x65\x71"), "Ed448", X509_KEY_ED },
};

/* Named curves by OID, with the bit sizes Java's "EC keySize" uses. */
static const struct oid_name curve_oids[] = {
	{ OID("\x2a\x86\x48\xce\x3d\x03\x01\x07"), "secp256r1", 256 },
	{ OID("\x2b\x81\x04\x00\x22"), "secp384r1", 384 },
	{ OID("\x2b\x81\x04\x00\x23"), "secp521r1", 521 },
	{ OID("\x2b\x81\x04\x00\x21"), "secp224r1", 224 },
	{ OID("\x2a\x86\x48\xce\x3d\x03\x01\x01"), "secp192r1", 192 },
	{ OID("\x2b\x81\x04\x00\x0a"), "secp256k1", 256 },
	{ OID("\x2b\x81\x04\x00\x20"), "secp224k1", 224 },
	{ OID("\x2b\x81\x04\x00\x1f"), "secp192k1", 192 },
	{ OID("\x2b\x81\x04\x00\x08"), "secp160r1", 160 },
	{ OID("\x2b\x24\x03\x03\x02\x08\x01\x01\x07"), "brainpoolP256r1",
	  256 },
	{ OID("\x2b\x24\x03\x03\x02\x08\x01\x01\x0b"), "brainpoolP384r1",
	  384 },
	{ OID("\x2b\x24\x03\x03\x02\x08\x01\x01\x0d"), "brainpoolP512r1",
	  512 },
	{ OID("\x2b\x81\x04\x00\x10"), "sect283k1", 283 },
	{ OID("\x2b\x81\x04\x00\x11"), "sect283r1", 283 },
	{ OID("\x2b\x81\x04\x00\x24"), "sect409k1", 409 },
	{ OID("\x2b\x81\x04\x00\x25"), "sect409r1", 409 },
	{ OID("\x2b\x81\x04\x00\x26"), "sect571k1", 571 },
	{ OID("\x2b\x81\x04\x00\x27"), "sect571r1", 571 },
};

static const struct oid_name *
oid_find(const struct oid_name *t, size_t n, const unsigned char *p,
    size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].len == len && memcmp(t[i].oid, p, len) == 0)
			return &t[i];
	return NULL;
}

const char *
x509_key_name(enum x509_key k)
{
	switch (k) {
	case X509_KEY_RSA:	return "RSA";
	case X509_KEY_EC:	return "EC";
	case X509_KEY_DSA:	return "DSA";
	case X509_KEY_ED:	return "EdDSA";
	default:		return "unknown";
	}
}

const char *
x509_md_name(enum x509_md md)
{
	switch (md) {
	case X509_MD_MD2:	return "MD2";
	case X509_MD_MD5:	return "MD5";
	case X509_MD_SHA1:	return "SHA-1";
	case X509_MD_SHA224:	return "SHA-224";
	case X509_MD_SHA256:	return "SHA-256";
	case X509_MD_SHA384:	return "SHA-384";
	case X509_MD_SHA512:	return "SHA-512";
	default:		return "unknown";
	}
}

/* ---- digests, text ------------------------------------------------------ */

static enum sw_err
digest(mbedtls_md_type_t type, const void *data, size_t len,
    unsigned char *out, struct sw_error *err)
{
	const mbedtls_md_info_t *md;

	lib_init();
	md = mbedtls_md_info_from_type(type);
	if (md == NULL || mbedtls_md(md, data, len, out) != 0)
		return sw_fail(err, SW_ETLS, "%s is not available in %s",
		    type == MBEDTLS_MD_SHA1 ? "SHA-1" : "SHA-256",
		    MBEDTLS_VERSION_STRING);
	return SW_OK;
}

enum sw_err
x509_sha256(const void *data, size_t len, unsigned char out[32],
    struct sw_error *err)
{
	return digest(MBEDTLS_MD_SHA256, data, len, out, err);
}

enum sw_err
x509_sha1(const void *data, size_t len, unsigned char out[20],
    struct sw_error *err)
{
	return digest(MBEDTLS_MD_SHA1, data, len, out, err);
}

void
x509_fingerprint_text(const unsigned char sha256[32], char out[96])
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	for (i = 0; i < 32; i++) {
		if (i > 0)
			out[o++] = ':';
		out[o++] = hex[sha256[i] >> 4];
		out[o++] = hex[sha256[i] & 15];
	}
	out[o] = '\0';
}

void
x509_time_text(time_t t, char out[24])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 24, "unknown");
}

static time_t
x509_time(const mbedtls_x509_time *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = t->year - 1900;
	tm.tm_mon = t->mon - 1;
	tm.tm_mday = t->day;
	tm.tm_hour = t->hour;
	tm.tm_min = t->min;
	tm.tm_sec = t->sec;
	return timegm(&tm);
}

/*
 * A distinguished name, most specific first (as Java and RFC 4514 write
 * it): "CN=mail.example.com, O=Example".  Special characters are
 * escaped; other bytes are left for the caller's sanitiser.
 */
void
x509_dn_text(const mbedtls_x509_name *dn, char *out, size_t cap)
{
	const mbedtls_x509_name *n, *rdn[64];
	size_t count = 0, o = 0, i, k;

	for (n = dn; n != NULL && count < NELEM(rdn); n = n->next)
		if (n->oid.p != NULL)
			rdn[count++] = n;
	out[0] = '\0';
	for (i = count; i-- > 0 && o + 8 < cap;) {
		const char *sn = NULL;
		char num[64];

		n = rdn[i];
		if (mbedtls_oid_get_attr_short_name(&n->oid, &sn) != 0) {
			if (mbedtls_oid_get_numeric_string(num, sizeof(num),
			    &n->oid) < 0)
				snprintf(num, sizeof(num), "?");
			sn = num;
		}
		o += (size_t)snprintf(out + o, cap - o, "%s%s=",
		    o ? ", " : "", sn);
		for (k = 0; k < n->val.len && o + 3 < cap; k++) {
			unsigned char c = n->val.p[k];

			if (strchr(",+\"\\<>;", c) != NULL && c != '\0')
				out[o++] = '\\';
			out[o++] = c == '\0' ? '?' : (char)c;
		}
		out[o] = '\0';
	}
	if (o >= cap)
		out[cap - 1] = '\0';
}

/* The last (most specific) CN of a name. */
static void
dn_cn(const mbedtls_x509_name *dn, char *out, size_t cap)
{
	const mbedtls_x509_name *n;

	out[0] = '\0';
	for (n = dn; n != NULL; n = n->next)
		if (n->oid.p != NULL &&
		    MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) == 0) {
			size_t k, len = n->val.len < cap - 1 ? n->val.len :
			    cap - 1;

			for (k = 0; k < len; k++)
				out[k] = n->val.p[k] == 0 ? '?' :
				    (char)n->val.p[k];
			out[len] = '\0';
		}
}

/* ---- what mbedTLS does not tell: from the raw DER ----------------------- */

/* RSA modulus bits from RSAPublicKey ::= SEQUENCE { n INTEGER, e }. */
static unsigned
rsa_bits(unsigned char *p, const unsigned char *end)
{
	size_t len;

	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
	    MBEDTLS_ASN1_SEQUENCE) != 0 ||
	    mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_INTEGER) != 0)
		return 0;
	while (len > 0 && *p == 0) {
		p++;
		len--;
	}
	if (len == 0)
		return 0;
	{
		unsigned bits = (unsigned)len * 8, top = *p;

		while (!(top & 0x80)) {
			top <<= 1;
			bits--;
		}
		return bits;
	}
}

/* Key type, size and curve from a SubjectPublicKeyInfo. */
static void
spki_info(unsigned char *p, const unsigned char *end, struct x509_info *out)
{
	mbedtls_asn1_buf alg, params;
	const struct oid_name *k, *c;
	size_t len;

	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
	    MBEDTLS_ASN1_SEQUENCE) != 0)
		return;
	end = p + len;
	if (mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0)
		return;
	if ((k = oid_find(key_oids, NELEM(key_oids), alg.p, alg.len)) == NULL)
		return;
	out->key = (enum x509_key)k->kind;
	if (out->key == X509_KEY_EC && params.tag == MBEDTLS_ASN1_OID &&
	    (c = oid_find(curve_oids, NELEM(curve_oids), params.p,
	    params.len)) != NULL) {
		snprintf(out->curve, sizeof(out->curve), "%s", c->name);
		out->key_bits = (unsigned)c->kind;
	} else if (out->key == X509_KEY_EC && params.tag == MBEDTLS_ASN1_OID)
		snprintf(out->curve, sizeof(out->curve), "unknown curve");
	else if (out->key == X509_KEY_ED)
		out->key_bits = k->name[2] == '2' ? 255 : 448;
	if (out->key == X509_KEY_RSA &&
	    mbedtls_asn1_get_bitstring_null(&p, end, &len) == 0)
		out->key_bits = rsa_bits(p, p + len);
	if (out->key == X509_KEY_ED)
		snprintf(out->key_text, sizeof(out->key_text), "%s", k->name);
	else if (out->curve[0] != '\0')
		snprintf(out->key_text, sizeof(out->key_text), "EC %u %s",
		    out->key_bits, out->curve);
	else
		snprintf(out->key_text, sizeof(out->key_text), "%s %u",
		    k->name, out->key_bits);
}

static void
sig_info(const unsigned char *oid, size_t len, struct x509_info *out)
{
	const struct oid_name *s = oid_find(sig_oids, NELEM(sig_oids), oid,
	    len);

	if (s == NULL) {
		snprintf(out->signature, sizeof(out->signature), "unknown");
		return;
	}
	snprintf(out->signature, sizeof(out->signature), "%s", s->name);
	out->sig_md = (enum x509_md)s->kind;
}

/*
 * For a certificate mbedTLS refused: the signature algorithm and the
 * key from Certificate ::= SEQUENCE { tbs, sigAlg, sig }, tbs being
 * SEQUENCE { [0] version OPTIONAL, serial, sigAlg, issuer, validity,
 * subject, spki, ... }.
 */
static void
raw_info(const unsigned char *der, size_t dlen, struct x509_info *out)
{
	unsigned char *p = (unsigned char *)der, *end = p + dlen, *tbs_end;
	mbedtls_asn1_buf alg, params;
	size_t len;
	int i;

	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
	    MBEDTLS_ASN1_SEQUENCE) != 0)
		return;
	end = p + len;
	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED |
	    MBEDTLS_ASN1_SEQUENCE) != 0)
		return;
	tbs_end = p + len;
	{
		unsigned char *q = tbs_end;

		if (mbedtls_asn1_get_alg(&q, end, &alg, &params) == 0)
			sig_info(alg.p, alg.len, out);
	}
	if (mbedtls_asn1_get_tag(&p, tbs_end, &len,
	    MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0) == 0)
		p += len;
	/* serial, sigAlg, issuer, validity, subject */
	for (i = 0; i < 5; i++) {
		unsigned char *q = p;

		if (q >= tbs_end)
			return;
		q++;
		if (mbedtls_asn1_get_len(&q, tbs_end, &len) != 0)
			return;
		p = q + len;
	}
	spki_info(p, tbs_end, out);
}

/* ---- one certificate ---------------------------------------------------- */

static void
names(const mbedtls_x509_crt *crt, struct x509_info *out)
{
	const mbedtls_x509_sequence *s;

	for (s = &crt->subject_alt_names; s != NULL; s = s->next) {
		const mbedtls_x509_buf *b = &s->buf;

		if (b->p == NULL)
			continue;
		if (b->tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2)) {
			size_t k, n;

			if (out->ndns >= X509_DNS_MAX) {
				out->dns_dropped++;
				continue;
			}
			n = b->len < 255 ? b->len : 255;
			for (k = 0; k < n; k++)
				out->dns[out->ndns][k] = b->p[k] == 0 ? '?' :
				    (char)b->p[k];
			out->dns[out->ndns++][n] = '\0';
		} else if (b->tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) &&
		    (b->len == 4 || b->len == 16)) {
			if (out->nips >= X509_IP_MAX) {
				out->ips_dropped++;
				continue;
			}
			out->ips[out->nips].len = b->len;
			memcpy(out->ips[out->nips++].addr, b->p, b->len);
		}
	}
}

int
x509_same_name(const mbedtls_x509_crt *issued, const mbedtls_x509_crt *issuer)
{
	char a[512], b[512];
	size_t i, j;

	if (issued->issuer_raw.len == issuer->subject_raw.len &&
	    memcmp(issued->issuer_raw.p, issuer->subject_raw.p,
	    issuer->subject_raw.len) == 0)
		return 1;
	/* X500Principal equality is case-blind on string values. */
	x509_dn_text(&issued->issuer, a, sizeof(a));
	x509_dn_text(&issuer->subject, b, sizeof(b));
	for (i = j = 0; a[i] != '\0' && b[j] != '\0'; i++, j++)
		if (tolower((unsigned char)a[i]) !=
		    tolower((unsigned char)b[j]))
			return 0;
	return a[i] == '\0' && b[j] == '\0' && a[0] != '\0';
}

/* Does parent's key verify child's signature? */
int
x509_signed_by(const mbedtls_x509_crt *child, mbedtls_x509_crt *parent)
{
	unsigned char hash[64];
	const mbedtls_md_info_t *md;

	md = mbedtls_md_info_from_type(X509_PRIV(child, sig_md));
	if (md == NULL || mbedtls_md_get_size(md) > sizeof(hash) ||
	    mbedtls_md(md, child->tbs.p, child->tbs.len, hash) != 0)
		return 0;
	if (!mbedtls_pk_can_do(&parent->pk, X509_PRIV(child, sig_pk)))
		return 0;
	return mbedtls_pk_verify_ext(X509_PRIV(child, sig_pk),
	    X509_PRIV(child, sig_opts), &parent->pk, X509_PRIV(child, sig_md),
	    hash, mbedtls_md_get_size(md), X509_PRIV(child, sig).p,
	    X509_PRIV(child, sig).len) == 0;
}

void
x509_fill_info(mbedtls_x509_crt *crt, struct x509_info *out)
{
	x509_dn_text(&crt->subject, out->subject, sizeof(out->subject));
	x509_dn_text(&crt->issuer, out->issuer, sizeof(out->issuer));
	dn_cn(&crt->subject, out->cn, sizeof(out->cn));
	names(crt, out);
	out->not_before = x509_time(&crt->valid_from);
	out->not_after = x509_time(&crt->valid_to);
	out->version = crt->version;
	out->is_ca = X509_PRIV(crt, ca_istrue) != 0;
	out->self_issued = x509_same_name(crt, crt);
	out->self_signed = out->self_issued && x509_signed_by(crt, crt);
	out->server_auth_ok = mbedtls_x509_crt_check_extended_key_usage(crt,
	    MBEDTLS_OID_SERVER_AUTH,
	    MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)) == 0;
	out->key_cert_sign = mbedtls_x509_crt_check_key_usage(crt,
	    MBEDTLS_X509_KU_KEY_CERT_SIGN) == 0;
	sig_info(crt->sig_oid.p, crt->sig_oid.len, out);
	if (strcmp(out->signature, "rsassaPss") == 0) {
		switch (X509_PRIV(crt, sig_md)) {
		case MBEDTLS_MD_SHA1:	out->sig_md = X509_MD_SHA1; break;
		case MBEDTLS_MD_SHA256:	out->sig_md = X509_MD_SHA256; break;
		case MBEDTLS_MD_SHA384:	out->sig_md = X509_MD_SHA384; break;
		case MBEDTLS_MD_SHA512:	out->sig_md = X509_MD_SHA512; break;
		default:		break;
		}
		snprintf(out->signature, sizeof(out->signature),
		    "rsassaPss with %s", x509_md_name(out->sig_md));
	}
	spki_info(crt->pk_raw.p, crt->pk_raw.p + crt->pk_raw.len, out);
	if (out->key_bits == 0)
		out->key_bits = (unsigned)mbedtls_pk_get_bitlen(&crt->pk);
}

enum sw_err
x509_parse_crt(const unsigned char *der, size_t len, mbedtls_x509_crt **out,
    struct sw_error *err)
{
	mbedtls_x509_crt *crt;
	char msg[120];
	int ret;

	lib_init();
	*out = NULL;
	if ((crt = malloc(sizeof(*crt))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	mbedtls_x509_crt_init(crt);
	if ((ret = mbedtls_x509_crt_parse_der(crt, der, len)) != 0) {
		mbedtls_x509_crt_free(crt);
		free(crt);
		if (ret == MBEDTLS_ERR_X509_ALLOC_FAILED)
			return sw_fail(err, SW_ENOMEM, "out of memory");
		mbedtls_strerror(ret, msg, sizeof(msg));
		return sw_fail(err, SW_EFILE, "%s cannot read this "
		    "certificate: %s (-0x%04x)", MBEDTLS_VERSION_STRING, msg,
		    (unsigned)-ret);
	}
	*out = crt;
	return SW_OK;
}

enum sw_err
x509_info_parse(const unsigned char *der, size_t len, struct x509_info *out,
    struct sw_error *err)
{
	mbedtls_x509_crt *crt;
	enum sw_err rc;

	memset(out, 0, sizeof(*out));
	if ((rc = x509_sha256(der, len, out->sha256, err)) != SW_OK)
		return rc;
	if ((rc = x509_parse_crt(der, len, &crt, err)) != SW_OK) {
		raw_info(der, len, out);
		return rc;
	}
	x509_fill_info(crt, out);
	free_crt(crt);
	return SW_OK;
}
