/*
 * Certificates as PEM text: writing DER certificates out (--save-chain,
 * the files to import) and finding every certificate block in a PEM
 * file (trust bundles, --cafile), TRUSTED CERTIFICATE's aux data cut
 * off.  See x509.h.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>

#include "x509_int.h"

enum sw_err
x509_pem(const unsigned char *const *der, const size_t *len, size_t n,
    char **out, size_t *outlen, struct sw_error *err)
{
	static const char head[] = "-----BEGIN CERTIFICATE-----\n";
	static const char foot[] = "-----END CERTIFICATE-----\n";
	size_t i, cap = 1, o = 0, b64len, k;
	unsigned char *b64;
	char *buf;

	for (i = 0; i < n; i++)
		cap += sizeof(head) + sizeof(foot) + (len[i] + 2) / 3 * 4 +
		    (len[i] + 2) / 3 * 4 / 64 + 2;
	if ((buf = malloc(cap)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		size_t need = (len[i] + 2) / 3 * 4 + 1;

		if ((b64 = malloc(need)) == NULL) {
			free(buf);
			return sw_fail(err, SW_ENOMEM, "out of memory");
		}
		if (mbedtls_base64_encode(b64, need, &b64len, der[i],
		    len[i]) != 0)
			b64len = 0;
		memcpy(buf + o, head, sizeof(head) - 1);
		o += sizeof(head) - 1;
		for (k = 0; k < b64len; k += 64) {
			size_t line = b64len - k < 64 ? b64len - k : 64;

			memcpy(buf + o, b64 + k, line);
			o += line;
			buf[o++] = '\n';
		}
		memcpy(buf + o, foot, sizeof(foot) - 1);
		o += sizeof(foot) - 1;
		free(b64);
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return SW_OK;
}

/* The length of the outer SEQUENCE (a TRUSTED CERTIFICATE adds aux). */
static size_t
der_outer_len(const unsigned char *der, size_t len)
{
	unsigned char *p = (unsigned char *)der;
	size_t inner;

	if (mbedtls_asn1_get_tag(&p, der + len, &inner,
	    MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
		return len;
	return (size_t)(p - der) + inner;
}

static const char *
find(const char *s, const char *end, const char *what)
{
	size_t n = strlen(what);

	for (; s + n <= end; s++)
		if (memcmp(s, what, n) == 0)
			return s;
	return NULL;
}

enum sw_err
x509_pem_each(const char *text, size_t len,
    enum sw_err (*fn)(void *, const unsigned char *, size_t), void *arg,
    size_t *found, size_t *bad)
{
	static const char *const labels[] = { "CERTIFICATE-----",
		"X509 CERTIFICATE-----", "TRUSTED CERTIFICATE-----" };
	const char *p = text, *end = text + len, *b, *e;
	unsigned char *clean = NULL, *der = NULL;
	size_t cap = 0, n, dlen, i;
	enum sw_err rc = SW_OK;

	if (found)
		*found = 0;
	if (bad)
		*bad = 0;
	while ((b = find(p, end, "-----BEGIN ")) != NULL) {
		const char *label = NULL;

		b += 11;
		for (i = 0; i < NELEM(labels); i++)
			if ((size_t)(end - b) >= strlen(labels[i]) &&
			    memcmp(b, labels[i], strlen(labels[i])) == 0)
				label = labels[i];
		if ((e = find(b, end, "-----END ")) == NULL)
			break;
		p = e + 9;
		if (label == NULL)
			continue;
		b += strlen(label);
		if ((size_t)(e - b) + 1 > cap) {
			cap = (size_t)(e - b) + 1;
			free(clean);
			free(der);
			clean = malloc(cap);
			der = malloc(cap);
			if (clean == NULL || der == NULL) {
				rc = SW_ENOMEM;
				break;
			}
		}
		for (n = 0; b < e; b++)
			if (!isspace((unsigned char)*b))
				clean[n++] = (unsigned char)*b;
		if (n == 0 || mbedtls_base64_decode(der, cap, &dlen, clean,
		    n) != 0 || dlen == 0) {
			if (bad)
				(*bad)++;
			continue;
		}
		if (found)
			(*found)++;
		if ((rc = fn(arg, der, der_outer_len(der, dlen))) != SW_OK)
			break;
	}
	free(clean);
	free(der);
	return rc;
}
