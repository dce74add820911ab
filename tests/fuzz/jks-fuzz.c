/*
 * Fuzzes the JKS / JCEKS trust-store reader: jks_read() without a
 * password (structure only) and with keytool's default one (the
 * integrity digest too).  Every certificate it delivers must lie
 * inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jks.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint8_t *in_data;
static size_t in_size;

static enum sw_err
cert(void *arg, const char *alias, const unsigned char *der, size_t len,
    int key_entry)
{
	(void)arg; (void)key_entry;
	if (alias == NULL || (len > 0 && (der < in_data ||
	    der + len > in_data + in_size)))
		abort();
	(void)strlen(alias);
	return SW_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keystore_info info;
	struct sw_error err = { 0 };

	in_data = data;
	in_size = size;
	(void)jks_sniff(data, size);
	memset(&info, 0, sizeof(info));
	(void)jks_read(data, size, NULL, cert, NULL, &info, &err);
	memset(&info, 0, sizeof(info));
	sw_error_clear(&err);
	(void)jks_read(data, size, KEYSTORE_DEFAULT_PASSWORD, cert, NULL,
	    &info, &err);
	(void)keystore_integrity_name(info.integrity);
	return 0;
}
