/*
 * Fuzzes step 2's chain analysis as the verification runs it
 * (cert_judge_chain: x509_info_parse for each certificate, the path a
 * Java PKIX validator would build, the report's chain with roles and
 * path positions, the Java certpath checks) on a chain read from the
 * input: certificates as 2-byte big-endian lengths and DER, up to 64 of
 * them, more than the CHAIN_MAX kept, so that long and reordered chains
 * (the out-of-bounds write of issue 12) are reached.  The trust store is
 * tests/data/jks/ca.pem.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "cert_int.h"
#include "settings.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define PIECES	64

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct step_result *r;
	const unsigned char *der[PIECES];
	size_t len[PIECES], n = 0, off = 0, l;
	struct settings set;
	struct probe_env env;
	struct sw_error err = { 0 };

	while (n < PIECES && size - off >= 2) {
		l = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (l > size - off)
			l = size - off;
		der[n] = data + off;
		len[n++] = l;
		off += l;
	}
	if (n == 0)
		return 0;
	if (r == NULL && (r = malloc(sizeof(*r))) == NULL)
		return 0;
	if (settings_init(&set, MAIL_LIB_JAVAMAIL16) != SW_OK)
		return 0;
	probe_env_init(&env, &set);
	env.opt.cafile = FUZZ_ASSETS "/../tests/data/jks/ca.pem";
	env.cancel_fd = -1;
	(void)cert_judge_chain(&env, "localhost", 465, MODE_SSL, der, len, n,
	    r, &err);
	settings_free(&set);
	return 0;
}
