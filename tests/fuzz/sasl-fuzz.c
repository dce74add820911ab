/*
 * Fuzzes the SASL pieces that take server bytes: base64 decoding of a
 * 334 challenge, the CRAM-MD5 response to it, and the echo detector
 * (sasl_leaks, sasl_leaks_reply) that keeps a password out of reports
 * and the transcript.  Input: byte 0 is the secret's length (mod 64),
 * then the secret, then the server's text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sasl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_error err = { 0 };
	unsigned char out[2048];
	char secret[65], resp[2048], *text;
	size_t n, outlen;

	if (size < 1)
		return 0;
	n = data[0] % 64;
	if (n > size - 1)
		n = size - 1;
	memcpy(secret, data + 1, n);
	secret[n] = '\0';		/* may be cut at an inner NUL */
	size -= 1 + n;
	data += 1 + n;
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)sasl_b64_decode(text, size, out, sizeof(out), &outlen, &err);
	sw_error_clear(&err);
	(void)sasl_cram_md5("alice", secret, text, resp, sizeof(resp), &err);
	(void)sasl_leaks(text, size, secret);
	(void)sasl_leaks_reply(text, size, secret);
	free(text);
	return 0;
}
