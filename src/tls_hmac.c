/*
 * HMAC-MD5 for CRAM-MD5 (RFC 2195), from mbedTLS.  A file of its own
 * only because step 5 was written while tls.c had another owner: the
 * function belongs in tls.c, and its prototype (now in sasl.h) in
 * tls.h, beside the other mbedTLS services.
 */
#include <mbedtls/md.h>

#include "sasl.h"

enum sw_err
tls_hmac_md5(const void *key, size_t keylen, const void *msg, size_t msglen,
    unsigned char out[16], struct sw_error *err)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_MD5);

	/* mbedtls_md_hmac() zeroizes its key schedule (md_free). */
	if (md == NULL)
		return sw_fail(err, SW_ETLS, "this mbed TLS has no MD5, "
		    "which CRAM-MD5 needs");
	if (mbedtls_md_hmac(md, key, keylen, msg, msglen, out) != 0)
		return sw_fail(err, SW_ETLS, "HMAC-MD5 failed in mbed TLS");
	return SW_OK;
}
