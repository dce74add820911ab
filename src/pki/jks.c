/*
 * The JKS/JCEKS reader (format in jks.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jks.h"
#include "x509.h"

/* Keystores are small; these bound what a corrupt header can claim. */
#define JKS_MAX_ENTRIES		100000
#define JKS_MAX_CHAIN		64

struct rd {
	const unsigned char	*p;
	size_t			 len, off;
	struct sw_error		*err;
};

const char *
keystore_integrity_name(enum keystore_integrity i)
{
	switch (i) {
	case KS_INTEGRITY_NONE:	return "none";
	case KS_INTEGRITY_OK:	return "ok";
	case KS_INTEGRITY_BAD:	return "bad";
	default:		return "unchecked";
	}
}

static enum sw_err
short_file(struct rd *r, const char *what, size_t need)
{
	return sw_fail(r->err, SW_EFILE, "keystore truncated or corrupt: %s "
	    "at offset %zu needs %zu bytes, %zu left", what, r->off, need,
	    r->len - r->off);
}

static enum sw_err
take(struct rd *r, size_t n, const unsigned char **out, const char *what)
{
	if (n > r->len - r->off)
		return short_file(r, what, n);
	*out = r->p + r->off;
	r->off += n;
	return SW_OK;
}

static enum sw_err
u16(struct rd *r, uint32_t *v, const char *what)
{
	const unsigned char *b = NULL;
	enum sw_err rc = take(r, 2, &b, what);

	if (rc == SW_OK)
		*v = (uint32_t)b[0] << 8 | b[1];
	return rc;
}

static enum sw_err
u32(struct rd *r, uint32_t *v, const char *what)
{
	const unsigned char *b = NULL;
	enum sw_err rc = take(r, 4, &b, what);

	if (rc == SW_OK)
		*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | b[3];
	return rc;
}

/* DataOutput.writeUTF: u16 length + modified UTF-8; copied, cut. */
static enum sw_err
utf(struct rd *r, char *out, size_t cap, const char *what)
{
	const unsigned char *b = NULL;
	uint32_t n;
	size_t i, o = 0;
	enum sw_err rc;

	if ((rc = u16(r, &n, what)) != SW_OK ||
	    (rc = take(r, n, &b, what)) != SW_OK)
		return rc;
	for (i = 0; i < n && o + 1 < cap; i++) {
		/* Modified UTF-8 writes U+0000 as C0 80: keep it visible. */
		if (b[i] == 0xc0 && i + 1 < n && b[i + 1] == 0x80) {
			out[o++] = '?';
			i++;
			continue;
		}
		out[o++] = b[i] == 0 ? '?' : (char)b[i];
	}
	out[o] = '\0';
	return SW_OK;
}

/* One certificate: [type] length + DER.  Delivers it when fn != NULL. */
static enum sw_err
cert(struct rd *r, unsigned version, const char *alias, int key_entry,
    keystore_cert_fn fn, void *arg, struct keystore_info *info)
{
	const unsigned char *der = NULL;
	char type[32] = "X.509";
	uint32_t n;
	enum sw_err rc;

	if (version == 2 && (rc = utf(r, type, sizeof(type),
	    "certificate type")) != SW_OK)
		return rc;
	if ((rc = u32(r, &n, "certificate length")) != SW_OK ||
	    (rc = take(r, n, &der, "certificate")) != SW_OK)
		return rc;
	if (fn == NULL || strcmp(type, "X.509") != 0)
		return SW_OK;
	info->ncerts++;
	return fn(arg, alias, der, n, key_entry);
}

static enum sw_err
key_entry(struct rd *r, unsigned version, const char *alias,
    keystore_cert_fn fn, void *arg, struct keystore_info *info)
{
	const unsigned char *skip = NULL;
	uint32_t n, chain, i;
	enum sw_err rc;

	/* The protected private key itself is of no interest: skip it. */
	if ((rc = u32(r, &n, "private key length")) != SW_OK ||
	    (rc = take(r, n, &skip, "private key")) != SW_OK ||
	    (rc = u32(r, &chain, "certificate chain length")) != SW_OK)
		return rc;
	if (chain > JKS_MAX_CHAIN)
		return sw_fail(r->err, SW_EFILE, "keystore corrupt: a chain of "
		    "%u certificates at offset %zu (at most %d)", chain,
		    r->off - 4, JKS_MAX_CHAIN);
	info->nkeys++;
	for (i = 0; i < chain; i++)
		if ((rc = cert(r, version, alias, 1, i == 0 ? fn : NULL, arg,
		    info)) != SW_OK)
			return rc;
	return SW_OK;
}

static enum sw_err
entries(struct rd *r, unsigned version, uint32_t count, int jceks,
    keystore_cert_fn fn, void *arg, struct keystore_info *info)
{
	const unsigned char *date = NULL;
	char alias[256];
	uint32_t i, tag;
	enum sw_err rc;

	for (i = 0; i < count; i++) {
		size_t at = r->off;

		if ((rc = u32(r, &tag, "entry tag")) != SW_OK ||
		    (rc = utf(r, alias, sizeof(alias), "alias")) != SW_OK ||
		    (rc = take(r, 8, &date, "entry date")) != SW_OK)
			return rc;
		info->nentries++;
		if (tag == 1)
			rc = key_entry(r, version, alias, fn, arg, info);
		else if (tag == 2)
			rc = cert(r, version, alias, 0, fn, arg, info);
		else if (tag == 3 && jceks) {
			info->nsecret++;
			return sw_fail(r->err, SW_EFILE, "JCEKS entry %u is a "
			    "secret key (a serialised Java object smtpwiz "
			    "cannot skip): export the trusted certificates "
			    "with keytool to a JKS or PKCS12 file", i + 1);
		} else
			return sw_fail(r->err, SW_EFILE, "keystore corrupt: "
			    "entry %u at offset %zu has the unknown tag %u",
			    i + 1, at, tag);
		if (rc != SW_OK)
			return rc;
	}
	return SW_OK;
}

size_t
keystore_utf16be(const char *pw, unsigned char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)pw;
	size_t o = 0;

	while (*s != '\0') {
		uint32_t c;
		int n, k;

		if (*s < 0x80) {
			c = *s;
			n = 0;
		} else if ((*s & 0xe0) == 0xc0) {
			c = *s & 0x1f;
			n = 1;
		} else if ((*s & 0xf0) == 0xe0) {
			c = *s & 0x0f;
			n = 2;
		} else if ((*s & 0xf8) == 0xf0) {
			c = *s & 0x07;
			n = 3;
		} else
			return (size_t)-1;
		for (k = 1; k <= n; k++) {
			if ((s[k] & 0xc0) != 0x80)
				return (size_t)-1;
			c = c << 6 | (s[k] & 0x3f);
		}
		s += n + 1;
		if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
		    o + 4 > cap)
			return (size_t)-1;
		if (c >= 0x10000) {
			c -= 0x10000;
			out[o++] = (unsigned char)(0xd8 | (c >> 18));
			out[o++] = (unsigned char)(c >> 10);
			out[o++] = (unsigned char)(0xdc | ((c >> 8) & 0x03));
			out[o++] = (unsigned char)c;
		} else {
			out[o++] = (unsigned char)(c >> 8);
			out[o++] = (unsigned char)c;
		}
	}
	return o;
}

static enum sw_err
check_digest(struct rd *r, const char *password, struct keystore_info *info)
{
	static const char whitener[] = "Mighty Aphrodite";
	const unsigned char *want = NULL;
	unsigned char pw[1024], got[20], *buf;
	size_t pwlen, body = r->off, n;
	enum sw_err rc;

	if ((rc = take(r, 20, &want, "integrity digest")) != SW_OK)
		return rc;
	if (password == NULL) {
		info->integrity = KS_INTEGRITY_UNCHECKED;
		return SW_OK;
	}
	pwlen = keystore_utf16be(password, pw, sizeof(pw));
	if (pwlen == (size_t)-1)
		return sw_fail(r->err, SW_EUSAGE, "the keystore password is "
		    "not valid UTF-8 or longer than 256 characters");
	n = pwlen + sizeof(whitener) - 1 + body;
	if ((buf = malloc(n)) == NULL)
		return sw_fail(r->err, SW_ENOMEM, "out of memory");
	memcpy(buf, pw, pwlen);
	memcpy(buf + pwlen, whitener, sizeof(whitener) - 1);
	memcpy(buf + pwlen + sizeof(whitener) - 1, r->p, body);
	rc = x509_sha1(buf, n, got, r->err);
	free(buf);
	if (rc != SW_OK)
		return rc;
	if (memcmp(got, want, 20) != 0) {
		info->integrity = KS_INTEGRITY_BAD;
		return sw_fail(r->err, SW_EFILE, "keystore integrity check "
		    "failed: the password is wrong or the file was altered "
		    "(Java: \"Keystore was tampered with, or password was "
		    "incorrect\")");
	}
	info->integrity = KS_INTEGRITY_OK;
	return SW_OK;
}

int
jks_sniff(const unsigned char *data, size_t len)
{
	uint32_t m;

	if (len < 4)
		return 0;
	m = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
	    (uint32_t)data[2] << 8 | data[3];
	return m == JKS_MAGIC || m == JCEKS_MAGIC;
}

enum sw_err
jks_read(const unsigned char *data, size_t len, const char *password,
    keystore_cert_fn fn, void *arg, struct keystore_info *info,
    struct sw_error *err)
{
	struct rd r = { data, len, 0, err };
	uint32_t magic, version, count;
	enum sw_err rc;

	memset(info, 0, sizeof(*info));
	if ((rc = u32(&r, &magic, "magic number")) != SW_OK)
		return rc;
	if (magic != JKS_MAGIC && magic != JCEKS_MAGIC)
		return sw_fail(err, SW_EFILE, "not a JKS keystore (magic "
		    "number %08x, expected feedfeed)", magic);
	snprintf(info->format, sizeof(info->format), "%s",
	    magic == JKS_MAGIC ? "JKS" : "JCEKS");
	snprintf(info->mac, sizeof(info->mac), "SHA-1 keyed digest");
	snprintf(info->protection, sizeof(info->protection), "none");
	if ((rc = u32(&r, &version, "version")) != SW_OK ||
	    (rc = u32(&r, &count, "entry count")) != SW_OK)
		return rc;
	if (version != 1 && version != 2)
		return sw_fail(err, SW_EFILE, "%s version %u is unknown "
		    "(1 and 2 exist)", info->format, version);
	info->version = version;
	/* Each entry takes at least 14 bytes: a count cannot exceed that. */
	if (count > JKS_MAX_ENTRIES || count > (len - r.off) / 14)
		return sw_fail(err, SW_EFILE, "keystore corrupt: it claims "
		    "%u entries in %zu bytes", count, len);
	if ((rc = entries(&r, version, count, magic == JCEKS_MAGIC, fn, arg,
	    info)) != SW_OK)
		return rc;
	/* Bytes after the digest are ignored, as Java ignores them. */
	return check_digest(&r, password, info);
}
