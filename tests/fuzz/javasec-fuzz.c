/*
 * Fuzzes the java.security reader and the JDK's algorithm-constraint
 * rules: javasec_parse() over the file, javasec_list_parse() over each
 * constraint property (and over the raw input as one value), then the
 * queries the probes make -- bad entries, names, suites of a small
 * built-in set, key sizes, signatures -- and the rewritten value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "javasec.h"
#include "suites.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct suite some_suites[] = {
	{ .id = 0x1302, .iana = "TLS_AES_256_GCM_SHA384",
	  .java = "TLS_AES_256_GCM_SHA384", .kx = SUITE_KX_TLS13,
	  .auth = SUITE_AUTH_TLS13, .enc = "AES_256_GCM", .bits = 256,
	  .mac = "AEAD", .min_version = SUITE_TLS13,
	  .max_version = SUITE_TLS13 },
	{ .id = 0xc030, .iana = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	  .java = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	  .kx = SUITE_KX_ECDHE, .auth = SUITE_AUTH_RSA, .enc = "AES_256_GCM",
	  .bits = 256, .mac = "AEAD", .min_version = SUITE_TLS12,
	  .max_version = SUITE_TLS12 },
	{ .id = 0x000a, .iana = "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
	  .java = "SSL_RSA_WITH_3DES_EDE_CBC_SHA", .kx = SUITE_KX_RSA,
	  .auth = SUITE_AUTH_RSA, .enc = "3DES_EDE_CBC", .bits = 112,
	  .mac = "SHA1", .min_version = SUITE_SSL3,
	  .max_version = SUITE_TLS12 },
	{ .id = 0x0018, .iana = "TLS_DH_anon_WITH_RC4_128_MD5",
	  .java = "SSL_DH_anon_WITH_RC4_128_MD5", .kx = SUITE_KX_DHE,
	  .auth = SUITE_AUTH_ANON, .enc = "RC4_128", .bits = 128,
	  .mac = "MD5", .min_version = SUITE_SSL3,
	  .max_version = SUITE_TLS12, .flags = SUITE_F_ANON },
};

static const char *const props[] = { JAVASEC_TLS, JAVASEC_CERTPATH,
	JAVASEC_LEGACY, JAVASEC_CURVES };

static void
query(const struct javasec_list *l)
{
	static const char *const names[] = { "TLSv1", "TLSv1.1", "SSLv3",
	    "TLSv1.3", "RC4", "DH", "X25519", "secp256r1", "" };
	const struct javasec_entry *hits[8];
	const char *why, *comp[16];
	unsigned char drop[64];
	char value[2048];
	size_t i, m, n;

	for (m = 0; m < 4; m++)
		(void)javasec_list_bad(l, (unsigned)m, &why);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (javasec_match_name(l, names[i], hits, 8) > l->n)
			abort();
	for (i = 0; i < sizeof(some_suites) / sizeof(some_suites[0]); i++)
		for (m = 0; m < 4; m++) {
			n = javasec_match_suite(l, &some_suites[i],
			    (unsigned)m, hits, 8);
			if (n > l->n)
				abort();
			(void)javasec_components(&some_suites[i],
			    (unsigned)m, comp, 16);
		}
	(void)javasec_check_key(l, "RSA", 1024);
	(void)javasec_check_key(l, "EC", 224);
	(void)javasec_check_key(l, "DSA", 2048);
	(void)javasec_check_sig(l, "SHA1withRSA", 1,
	    JAVASEC_CTX_TLS_SERVER, (time_t)1767225600);
	(void)javasec_check_sig(l, "SHA256withECDSA", 0, JAVASEC_CTX_TLS,
	    (time_t)1767225600);
	(void)javasec_check_sig(l, "MD5withRSA", 0, JAVASEC_CTX_TLS_SERVER,
	    (time_t)0);
	javasec_list_value(l, NULL, value, sizeof(value));
	for (i = 0; i < sizeof(drop); i++)
		drop[i] = i & 1;
	if (l->n <= sizeof(drop))
		javasec_list_value(l, drop, value, 37);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct javasec *sec = NULL;
	struct javasec_list l;
	struct sw_error err = { 0 };
	char *value;
	size_t i;

	if (javasec_parse((const char *)data, size, "fuzz", &sec, &err) ==
	    SW_OK) {
		for (i = 0; i < 4; i++) {
			memset(&l, 0, sizeof(l));
			sw_error_clear(&err);
			if (javasec_list_parse(javasec_get(sec, props[i]),
			    props[i], sec, &l, &err) == SW_OK)
				query(&l);
			javasec_list_free(&l);
			(void)javasec_line(sec, props[i]);
		}
		(void)javasec_name(sec);
		javasec_free(sec);
	}

	/* The input as one property value (NUL-terminated copy). */
	if ((value = malloc(size + 1)) == NULL)
		return 0;
	memcpy(value, data, size);
	value[size] = '\0';
	memset(&l, 0, sizeof(l));
	sw_error_clear(&err);
	if (javasec_list_parse(value, JAVASEC_TLS, NULL, &l, &err) == SW_OK)
		query(&l);
	javasec_list_free(&l);
	free(value);
	return 0;
}
