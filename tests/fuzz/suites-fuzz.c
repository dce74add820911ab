/*
 * Fuzzes the cipher-suite registry loader (suites_parse(), the
 * ciphersuites.tsv format) and, for a registry that loads, every
 * lookup and the ciphersuites-value rewriter that the probes and the
 * settings checks use.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
use(const struct suites *reg, const uint8_t *data, size_t size)
{
	static const uint16_t versions[] = { 0, SUITE_SSL3, SUITE_TLS10,
	    SUITE_TLS11, SUITE_TLS12, SUITE_TLS13, 0x0305 };
	uint16_t ids[512];
	char in[256], out[512], bad[128];
	size_t i, n, cnt = suites_count(reg);
	int changed;

	for (i = 0; i < cnt; i++) {
		const struct suite *s = suites_at(reg, i);

		if (s == NULL || suites_by_id(reg, s->id) == NULL ||
		    suites_by_iana(reg, s->iana) == NULL)
			abort();
		(void)suites_by_name(reg, s->iana);
		(void)suites_by_openssl(reg, s->openssl);
		(void)suites_by_java(reg, s->java);
		(void)suite_grade_rule(s);
		(void)suite_kx_name(s->kx);
		(void)suite_auth_name(s->auth);
		(void)suite_grade_name(s->grade);
		(void)suite_version_name(s->min_version);
		(void)suite_usable_at(s, SUITE_TLS12);
	}
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		n = suites_for_version(reg, versions[i], 0, ids, 512);
		(void)suites_for_version(reg, versions[i],
		    SUITE_F_SECRET | SUITE_F_EXPORT, NULL, 0);
		(void)n;
	}
	/* A user's mail.smtp.ssl.ciphersuites made of the input. */
	n = size < sizeof(in) ? size : sizeof(in) - 1;
	memcpy(in, data, n);
	in[n] = '\0';
	(void)suites_java_value(reg, in, out, sizeof(out), bad, sizeof(bad),
	    &changed);
	(void)suites_java_value(reg, in, out, 9, NULL, 0, NULL);
	(void)suite_version_parse(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct suites *reg = NULL;
	struct sw_error err = { 0 };

	if (suites_parse((const char *)data, size, "fuzz", &reg, &err) ==
	    SW_OK)
		use(reg, data, size);
	suites_free(reg);
	return 0;
}
