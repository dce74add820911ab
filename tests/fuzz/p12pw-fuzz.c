/*
 * Fuzzes the PKCS#12 reader with a password ("changeit", the one the
 * seeds in corpus/p12pw were made with), so the MAC check and the
 * decryption of encrypted SafeContents (x509_p12_pbe.c) are reached,
 * which p12-fuzz.c (no password) never does.  The fuzz build
 * (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) lowers the per-file
 * key-derivation cap so that an input asking for millions of
 * iterations measures the parser, not PBKDF2.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "x509_p12.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static enum sw_err
cert(void *arg, const char *alias, const unsigned char *der, size_t len,
    int key_entry)
{
	size_t *n = arg;

	(void)alias; (void)key_entry;
	if (len > 0 && der[0] == 0 && der[len - 1] == 0)	/* read it */
		(*n)++;
	(*n)++;
	return SW_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keystore_info info;
	struct sw_error err = { 0 };
	size_t n = 0;

	memset(&info, 0, sizeof(info));
	(void)x509_p12_read(data, size, "changeit", cert, &n, &info, &err);
	return 0;
}
