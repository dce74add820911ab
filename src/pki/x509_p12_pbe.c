/*
 * What the PKCS#12 reader needs the password for: the MAC over the
 * AuthenticatedSafe (HmacPBESHA*, keyed by the PKCS#12 KDF), and the
 * decryption of encryptedData -- PBES2 with PBKDF2 and AES-CBC or
 * 3DES-CBC, and the PKCS#12 PBE schemes with 3DES or RC2, which mbedTLS
 * lacks and RFC 2268 below provides (decryption only).  Keys and
 * plaintext are wiped after use.  x509_p12.c walks the bags.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/aes.h>
#include <mbedtls/asn1.h>
#include <mbedtls/des.h>
#include <mbedtls/md.h>
#include <mbedtls/pkcs12.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/version.h>

#include "x509_p12_int.h"

#define P12_MAX_ITERATIONS	10000000
/*
 * Key-derivation iterations per file, all derivations together (the MAC
 * and every encrypted bag): a file with several bags at the maximum each
 * would otherwise cost seconds of CPU per bag.
 */
#define P12_MAX_WORK		10000000
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#undef P12_MAX_WORK			/* the fuzzer measures the parser */
#define P12_MAX_WORK		200000
#endif

#define OID(s)	s, sizeof(s) - 1

static const char oid_pbes2[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0d";
static const char oid_pbkdf2[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0c";
static const char oid_pbmac1[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0e";
static const char oid_3des[] = "\x2a\x86\x48\x86\xf7\x0d\x03\x07";
static const char oid_p12_3des[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x01\x03";
static const char oid_p12_rc2_128[] =
    "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x01\x05";
static const char oid_p12_rc2_40[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x01\x06";

/* Digests by OID: as HMAC PRF for PBKDF2 and as MAC digest. */
static const struct {
	const char		*oid;
	size_t			 len;
	mbedtls_md_type_t	 md;
	const char		*name;
} md_oids[] = {
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x02\x07"), MBEDTLS_MD_SHA1, "SHA1" },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x02\x08"), MBEDTLS_MD_SHA224,
	  "SHA224" },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x02\x09"), MBEDTLS_MD_SHA256,
	  "SHA256" },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x02\x0a"), MBEDTLS_MD_SHA384,
	  "SHA384" },
	{ OID("\x2a\x86\x48\x86\xf7\x0d\x02\x0b"), MBEDTLS_MD_SHA512,
	  "SHA512" },
	{ OID("\x2b\x0e\x03\x02\x1a"), MBEDTLS_MD_SHA1, "SHA1" },
	{ OID("\x60\x86\x48\x01\x65\x03\x04\x02\x01"), MBEDTLS_MD_SHA256,
	  "SHA256" },
	{ OID("\x60\x86\x48\x01\x65\x03\x04\x02\x02"), MBEDTLS_MD_SHA384,
	  "SHA384" },
	{ OID("\x60\x86\x48\x01\x65\x03\x04\x02\x03"), MBEDTLS_MD_SHA512,
	  "SHA512" },
	{ OID("\x60\x86\x48\x01\x65\x03\x04\x02\x04"), MBEDTLS_MD_SHA224,
	  "SHA224" },
};

static const mbedtls_md_info_t *
md_by_oid(const struct der *o, const char **name)
{
	size_t i;

	for (i = 0; i < sizeof(md_oids) / sizeof(md_oids[0]); i++)
		if ((size_t)(o->end - o->p) == md_oids[i].len &&
		    memcmp(o->p, md_oids[i].oid, md_oids[i].len) == 0) {
			if (name != NULL)
				*name = md_oids[i].name;
			return mbedtls_md_info_from_type(md_oids[i].md);
		}
	return NULL;
}

/* ---- RC2 (RFC 2268), decryption only ------------------------------------ */

static const unsigned char rc2_pitable[256] = {
	0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd,
	0x79, 0x4a, 0xa0, 0xd8, 0x9d, 0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76,
	0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2, 0x17,
	0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d,
	0x09, 0x81, 0x7d, 0x32, 0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b,
	0x0b, 0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82, 0x54, 0xd6,
	0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14, 0xa7,
	0x8c, 0xf1, 0xdc, 0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1,
	0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26, 0x6f, 0xbf, 0x0e,
	0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94,
	0x43, 0x03, 0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06,
	0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7, 0x08, 0xe8, 0xea, 0xde,
	0x80, 0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a,
	0x2a, 0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74, 0x4b, 0x9f,
	0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec, 0xc2, 0xe0, 0x41, 0x6e, 0x0f,
	0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
	0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36,
	0x5b, 0x25, 0x55, 0x97, 0x31, 0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a,
	0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9, 0xd3,
	0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f,
	0x58, 0xe2, 0x89, 0xa9, 0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff,
	0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e, 0xc5, 0xf3,
	0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe,
	0x7f, 0xc1, 0xad,
};

/* RFC 2268 §2: key expansion with an effective key of bits bits. */
static void
rc2_expand(const unsigned char *key, size_t len, unsigned bits,
    uint16_t k[64])
{
	unsigned char l[128];
	size_t t8 = (bits + 7) / 8, i;
	unsigned tm = 0xffu >> (8 * t8 - bits);

	memcpy(l, key, len);
	for (i = len; i < 128; i++)
		l[i] = rc2_pitable[(l[i - 1] + l[i - len]) & 0xff];
	l[128 - t8] = rc2_pitable[l[128 - t8] & tm];
	for (i = 128 - t8; i-- > 0;)
		l[i] = rc2_pitable[l[i + 1] ^ l[i + t8]];
	for (i = 0; i < 64; i++)
		k[i] = (uint16_t)(l[2 * i] | l[2 * i + 1] << 8);
	mbedtls_platform_zeroize(l, sizeof(l));
}

#define ROR16(x, n)	((uint16_t)(((x) >> (n)) | ((x) << (16 - (n)))))

static void
rc2_decrypt_block(const uint16_t k[64], unsigned char b[8])
{
	static const int s[4] = { 1, 2, 3, 5 };
	uint16_t r[4];
	int j = 63, round, i;

	for (i = 0; i < 4; i++)
		r[i] = (uint16_t)(b[2 * i] | b[2 * i + 1] << 8);
	for (round = 16; round-- > 0;) {
		for (i = 3; i >= 0; i--) {
			r[i] = ROR16(r[i], s[i]);
			r[i] = (uint16_t)(r[i] - k[j--] -
			    (r[(i + 3) & 3] & r[(i + 2) & 3]) -
			    ((uint16_t)~r[(i + 3) & 3] & r[(i + 1) & 3]));
		}
		/* R-mashing after the 5th and 11th mixing (counting back). */
		if (round == 11 || round == 5)
			for (i = 3; i >= 0; i--)
				r[i] = (uint16_t)(r[i] -
				    k[r[(i + 3) & 3] & 63]);
	}
	for (i = 0; i < 4; i++) {
		b[2 * i] = (unsigned char)r[i];
		b[2 * i + 1] = (unsigned char)(r[i] >> 8);
	}
}

static void
rc2_cbc_decrypt(const unsigned char *key, size_t klen, unsigned bits,
    const unsigned char iv[8], unsigned char *buf, size_t len)
{
	unsigned char prev[8], save[8];
	uint16_t k[64];
	size_t o, i;

	rc2_expand(key, klen, bits, k);
	memcpy(prev, iv, 8);
	for (o = 0; o + 8 <= len; o += 8) {
		memcpy(save, buf + o, 8);
		rc2_decrypt_block(k, buf + o);
		for (i = 0; i < 8; i++)
			buf[o + i] ^= prev[i];
		memcpy(prev, save, 8);
	}
	mbedtls_platform_zeroize(k, sizeof(k));
}

/* ---- decryption --------------------------------------------------------- */

/* PKCS#7 padding; 0 and the plain length, or -1 (wrong key). */
static int
unpad(const unsigned char *buf, size_t len, size_t block, size_t *out)
{
	size_t n, i;

	if (len == 0 || len % block != 0)
		return -1;
	n = buf[len - 1];
	if (n == 0 || n > block)
		return -1;
	for (i = len - n; i < len; i++)
		if (buf[i] != n)
			return -1;
	*out = len - n;
	return 0;
}

static enum sw_err
pbkdf2(struct p12 *x, mbedtls_md_type_t md, const struct der *salt,
    long iter, unsigned char *key, size_t klen)
{
	int ret;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	ret = mbedtls_pkcs5_pbkdf2_hmac_ext(md,
	    (const unsigned char *)x->password, strlen(x->password), salt->p,
	    (size_t)(salt->end - salt->p), (unsigned)iter, (uint32_t)klen,
	    key);
#else
	mbedtls_md_context_t ctx;

	mbedtls_md_init(&ctx);
	ret = mbedtls_md_setup(&ctx, mbedtls_md_info_from_type(md), 1);
	if (ret == 0)
		ret = mbedtls_pkcs5_pbkdf2_hmac(&ctx,
		    (const unsigned char *)x->password, strlen(x->password),
		    salt->p, (size_t)(salt->end - salt->p), (unsigned)iter,
		    (uint32_t)klen, key);
	mbedtls_md_free(&ctx);
#endif
	if (ret != 0)
		return sw_fail(x->err, SW_EFILE, "PBKDF2 failed (-0x%04x)",
		    (unsigned)-ret);
	return SW_OK;
}

static int
check_iterations(struct p12 *x, long iter)
{
	if (iter < 1 || iter > P12_MAX_ITERATIONS) {
		sw_fail(x->err, SW_EFILE, "PKCS12 keystore asks for %ld key "
		    "derivation iterations (at most %d are accepted)", iter,
		    P12_MAX_ITERATIONS);
		return -1;
	}
	if (iter > P12_MAX_WORK - x->work) {
		sw_fail(x->err, SW_EFILE, "PKCS12 keystore asks for more than "
		    "%d key derivation iterations in all (%ld done, %ld more "
		    "asked): smtpwiz stops there", P12_MAX_WORK, x->work,
		    iter);
		return -1;
	}
	x->work += iter;
	return 0;
}

/*
 * PBES2 (RFC 8018 §6.2): params = SEQUENCE { keyDerivationFunc,
 * encryptionScheme }; decrypts buf in place.
 */
static enum sw_err
pbes2(struct p12 *x, struct der *params, unsigned char *buf, size_t len,
    size_t *plain)
{
	struct der kdf, kdfoid, kp, salt, enc, encoid, iv, prf, prfoid;
	mbedtls_md_type_t md = MBEDTLS_MD_SHA1;
	const char *mdname = "SHA1";
	unsigned char key[32];
	size_t klen;
	long iter, keylen = 0;
	int ret = 0;
	enum sw_err rc;

	if (get(params, SEQ, &kdf) != 0 || get(&kdf, MBEDTLS_ASN1_OID,
	    &kdfoid) != 0 || !is_oid(&kdfoid, oid_pbkdf2) ||
	    get(&kdf, SEQ, &kp) != 0 || get(&kp, MBEDTLS_ASN1_OCTET_STRING,
	    &salt) != 0 || get_int(&kp, &iter) != 0)
		return bad(x, "PBES2 parameters (only PBKDF2 is supported)");
	if (peek(&kp) == MBEDTLS_ASN1_INTEGER && get_int(&kp, &keylen) != 0)
		return bad(x, "PBKDF2 key length");
	if (peek(&kp) == SEQ) {
		const mbedtls_md_info_t *mi;

		if (get(&kp, SEQ, &prf) != 0 || get(&prf, MBEDTLS_ASN1_OID,
		    &prfoid) != 0 || (mi = md_by_oid(&prfoid,
		    &mdname)) == NULL)
			return sw_fail(x->err, SW_EFILE, "PKCS12 keystore uses "
			    "a PBKDF2 PRF smtpwiz does not know");
		md = mbedtls_md_get_type(mi);
	}
	if (check_iterations(x, iter) != 0)
		return SW_EFILE;
	if (get(params, SEQ, &enc) != 0 || get(&enc, MBEDTLS_ASN1_OID,
	    &encoid) != 0 || get(&enc, MBEDTLS_ASN1_OCTET_STRING, &iv) != 0)
		return bad(x, "PBES2 encryption scheme");
	if (is_oid(&encoid, "\x60\x86\x48\x01\x65\x03\x04\x01\x02"))
		klen = 16;
	else if (is_oid(&encoid, "\x60\x86\x48\x01\x65\x03\x04\x01\x16"))
		klen = 24;
	else if (is_oid(&encoid, "\x60\x86\x48\x01\x65\x03\x04\x01\x2a"))
		klen = 32;
	else if (is_oid(&encoid, oid_3des))
		klen = 24;
	else
		return sw_fail(x->err, SW_EFILE, "PKCS12 keystore encrypts "
		    "its certificates with a cipher smtpwiz does not know "
		    "(AES-CBC and 3DES-CBC are supported)");
	if (keylen != 0 && (size_t)keylen != klen)
		return bad(x, "PBKDF2 key length does not fit the cipher");
	if ((size_t)(iv.end - iv.p) != (klen == 24 &&
	    is_oid(&encoid, oid_3des) ? 8u : 16u))
		return bad(x, "PBES2 IV length");
	if ((rc = pbkdf2(x, md, &salt, iter, key, klen)) != SW_OK)
		return rc;
	if (is_oid(&encoid, oid_3des)) {
		mbedtls_des3_context d;
		unsigned char ivc[8];

		memcpy(ivc, iv.p, 8);
		mbedtls_des3_init(&d);
		ret = len % 8 != 0 || mbedtls_des3_set3key_dec(&d, key) != 0 ||
		    mbedtls_des3_crypt_cbc(&d, MBEDTLS_DES_DECRYPT, len, ivc,
		    buf, buf) != 0;
		mbedtls_des3_free(&d);
		snprintf(x->info->protection, sizeof(x->info->protection),
		    "PBES2 PBKDF2-Hmac%s 3DES-CBC", mdname);
	} else {
		mbedtls_aes_context a;
		unsigned char ivc[16];

		memcpy(ivc, iv.p, 16);
		mbedtls_aes_init(&a);
		ret = len % 16 != 0 || mbedtls_aes_setkey_dec(&a, key,
		    (unsigned)klen * 8) != 0 || mbedtls_aes_crypt_cbc(&a,
		    MBEDTLS_AES_DECRYPT, len, ivc, buf, buf) != 0;
		mbedtls_aes_free(&a);
		snprintf(x->info->protection, sizeof(x->info->protection),
		    "PBES2 PBKDF2-Hmac%s AES-%zu-CBC", mdname, klen * 8);
	}
	mbedtls_platform_zeroize(key, sizeof(key));
	if (ret != 0 || unpad(buf, len, is_oid(&encoid, oid_3des) ? 8 : 16,
	    plain) != 0)
		return sw_fail(x->err, SW_EFILE, "cannot decrypt the "
		    "keystore's certificates: the password is wrong");
	return SW_OK;
}

/* PKCS#12 PBE (RFC 7292 Appendix B, C): params = SEQUENCE { salt, n }. */
static enum sw_err
pbe12(struct p12 *x, const struct der *alg, struct der *params,
    unsigned char *buf, size_t len, size_t *plain)
{
	struct der salt;
	unsigned char key[24], iv[8];
	size_t klen;
	long iter;
	int rc2 = 0, ret;

	if (get(params, MBEDTLS_ASN1_OCTET_STRING, &salt) != 0 ||
	    get_int(params, &iter) != 0)
		return bad(x, "PKCS12 PBE parameters");
	if (check_iterations(x, iter) != 0)
		return SW_EFILE;
	if (is_oid(alg, oid_p12_3des))
		klen = 24;
	else if (is_oid(alg, oid_p12_rc2_128)) {
		klen = 16;
		rc2 = 128;
	} else {
		klen = 5;
		rc2 = 40;
	}
	ret = mbedtls_pkcs12_derivation(key, klen, x->bmp, x->bmplen, salt.p,
	    (size_t)(salt.end - salt.p), MBEDTLS_MD_SHA1,
	    MBEDTLS_PKCS12_DERIVE_KEY, (int)iter);
	if (ret == 0)
		ret = mbedtls_pkcs12_derivation(iv, 8, x->bmp, x->bmplen,
		    salt.p, (size_t)(salt.end - salt.p), MBEDTLS_MD_SHA1,
		    MBEDTLS_PKCS12_DERIVE_IV, (int)iter);
	if (ret != 0 || len % 8 != 0)
		return bad(x, "PKCS12 PBE key derivation");
	if (rc2) {
		rc2_cbc_decrypt(key, klen, (unsigned)rc2, iv, buf, len);
		snprintf(x->info->protection, sizeof(x->info->protection),
		    "PBEWithSHA1AndRC2_%d", rc2);
	} else {
		mbedtls_des3_context d;

		mbedtls_des3_init(&d);
		ret = mbedtls_des3_set3key_dec(&d, key) != 0 ||
		    mbedtls_des3_crypt_cbc(&d, MBEDTLS_DES_DECRYPT, len, iv,
		    buf, buf) != 0;
		mbedtls_des3_free(&d);
		snprintf(x->info->protection, sizeof(x->info->protection),
		    "PBEWithSHA1AndDESede");
	}
	mbedtls_platform_zeroize(key, sizeof(key));
	if (ret != 0 || unpad(buf, len, 8, plain) != 0)
		return sw_fail(x->err, SW_EFILE, "cannot decrypt the "
		    "keystore's certificates: the password is wrong");
	return SW_OK;
}

/* EncryptedData ::= SEQUENCE { version, EncryptedContentInfo }. */
enum sw_err
x509_p12_encrypted_data(struct p12 *x, struct der content)
{
	struct der ed, eci, type, alg, algoid, params, enc;
	unsigned char *buf;
	size_t len, plain = 0;
	long version;
	enum sw_err rc;

	if (get(&content, SEQ, &ed) != 0 || get_int(&ed, &version) != 0 ||
	    get(&ed, SEQ, &eci) != 0 || get(&eci, MBEDTLS_ASN1_OID,
	    &type) != 0 || get(&eci, SEQ, &alg) != 0 ||
	    get(&alg, MBEDTLS_ASN1_OID, &algoid) != 0 ||
	    get(&alg, SEQ, &params) != 0 ||
	    get(&eci, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 0, &enc) != 0)
		return bad(x, "EncryptedData");
	if (x->password == NULL) {
		x->need_password = 1;
		return SW_OK;
	}
	if (!is_oid(&algoid, oid_pbes2) && !is_oid(&algoid, oid_p12_3des) &&
	    !is_oid(&algoid, oid_p12_rc2_128) &&
	    !is_oid(&algoid, oid_p12_rc2_40))
		return sw_fail(x->err, SW_EFILE, "PKCS12 keystore encrypts "
		    "its certificates with a scheme smtpwiz does not know "
		    "(PBES2 and the PKCS#12 3DES/RC2 schemes are supported)");
	len = (size_t)(enc.end - enc.p);
	if ((buf = malloc(len ? len : 1)) == NULL)
		return sw_fail(x->err, SW_ENOMEM, "out of memory");
	memcpy(buf, enc.p, len);
	if (is_oid(&algoid, oid_pbes2))
		rc = pbes2(x, &params, buf, len, &plain);
	else
		rc = pbe12(x, &algoid, &params, buf, len, &plain);
	if (rc == SW_OK)
		rc = x509_p12_plain_contents(x, buf, plain);
	mbedtls_platform_zeroize(buf, len);
	free(buf);
	return rc;
}

/*
 * MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING,
 * iterations INTEGER DEFAULT 1 }; HMAC keyed by the PKCS#12 KDF (ID 3)
 * over the authSafe's content octets.
 */
enum sw_err
x509_p12_check_mac(struct p12 *x, struct der mac, const struct der *content)
{
	struct der di, alg, algoid, digest, salt;
	const mbedtls_md_info_t *md;
	const char *name = "?";
	unsigned char key[64], out[64];
	long iter = 1;
	size_t n;
	int ret;

	if (get(&mac, SEQ, &di) != 0 || get(&di, SEQ, &alg) != 0 ||
	    get(&alg, MBEDTLS_ASN1_OID, &algoid) != 0 ||
	    get(&di, MBEDTLS_ASN1_OCTET_STRING, &digest) != 0 ||
	    get(&mac, MBEDTLS_ASN1_OCTET_STRING, &salt) != 0)
		return bad(x, "MacData");
	if (peek(&mac) == MBEDTLS_ASN1_INTEGER && get_int(&mac, &iter) != 0)
		return bad(x, "MacData iterations");
	if (is_oid(&algoid, oid_pbmac1))
		return sw_fail(x->err, SW_EFILE, "PKCS12 keystore uses a "
		    "PBMAC1 integrity check, which smtpwiz cannot verify yet");
	if ((md = md_by_oid(&algoid, &name)) == NULL)
		return sw_fail(x->err, SW_EFILE, "PKCS12 keystore uses a MAC "
		    "digest smtpwiz does not know");
	snprintf(x->info->mac, sizeof(x->info->mac), "HmacPBE%s", name);
	if (x->password == NULL) {
		x->info->integrity = KS_INTEGRITY_UNCHECKED;
		return SW_OK;
	}
	if (check_iterations(x, iter) != 0)
		return SW_EFILE;
	n = mbedtls_md_get_size(md);
	if ((size_t)(digest.end - digest.p) != n)
		return bad(x, "MAC length");
	ret = mbedtls_pkcs12_derivation(key, n, x->bmp, x->bmplen, salt.p,
	    (size_t)(salt.end - salt.p), mbedtls_md_get_type(md),
	    MBEDTLS_PKCS12_DERIVE_MAC_KEY, (int)iter);
	if (ret == 0)
		ret = mbedtls_md_hmac(md, key, n, content->p,
		    (size_t)(content->end - content->p), out);
	mbedtls_platform_zeroize(key, sizeof(key));
	if (ret != 0)
		return bad(x, "MAC computation");
	if (memcmp(out, digest.p, n) != 0) {
		x->info->integrity = KS_INTEGRITY_BAD;
		return sw_fail(x->err, SW_EFILE, "keystore integrity check "
		    "failed: the password is wrong or the file was altered "
		    "(Java: \"keystore password was incorrect\")");
	}
	x->info->integrity = KS_INTEGRITY_OK;
	return SW_OK;
}
