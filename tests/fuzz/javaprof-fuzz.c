/*
 * Fuzzes the Java profile loader (assets/java/NAME.profile, parsed by
 * javaprof_parse() against the shipped cipher-suite registry) and, for
 * a profile that loads, the negotiation model and the recommender
 * with a server made of the input's last bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "javaprof.h"
#include "suites.h"

#ifndef FUZZ_ASSETS
#define FUZZ_ASSETS "assets"
#endif

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct suites *reg;
static struct javaprof_result res;
static struct javaprof_advice adv;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sw_error err = { 0 };

	(void)argc; (void)argv;
	setenv(ASSETS_ENV, FUZZ_ASSETS, 0);
	if (suites_load(&reg, &err) != SW_OK)
		abort();
	return 0;
}

static void
negotiate(const struct javaprof *p, const uint8_t *data, size_t size)
{
	static const struct javaprof_client clients[] = {
		{ NULL, NULL, 0 },
		{ NULL, NULL, 1 },
		{ "TLSv1.2", NULL, 0 },
		{ "TLSv1 TLSv1.1", "TLS_RSA_WITH_AES_128_CBC_SHA", 0 },
		{ "TLSv1.2,TLSv1.3", "SSL_RSA_WITH_RC4_128_MD5 nonsense", 0 },
	};
	struct javaprof_server_version v[5];
	struct javaprof_server srv = { v, 0 };
	struct javaprof_offer offer;
	struct sw_error err = { 0 };
	uint16_t ids[5][8];
	size_t i, j, c;
	char why[128];

	/* Up to five versions, each with up to eight suites, from the
	 * input's tail. */
	for (i = 0; i < 5 && size >= 2; i++) {
		v[i].version = (uint16_t)(0x0300 + data[size - 1] % 5);
		v[i].server_order = (int)(data[size - 2] % 3) - 1;
		v[i].nsuites = 0;
		for (j = 0; j < 8 && size >= 4; j++) {
			const struct suite *s = suites_at(reg,
			    (size_t)(data[size - 3] * 7 + data[size - 4]) %
			    suites_count(reg));

			ids[i][v[i].nsuites++] = s->id;
			size -= 2;
		}
		v[i].suites = ids[i];
		srv.nv++;
		size -= 2;
	}
	for (c = 0; c < sizeof(clients) / sizeof(clients[0]); c++) {
		sw_error_clear(&err);
		(void)javaprof_offer(p, &clients[c], &offer, &err);
		sw_error_clear(&err);
		(void)javaprof_negotiate(p, &clients[c], &srv, &res, &err);
		sw_error_clear(&err);
		(void)javaprof_recommend(p, &clients[c], &srv, &adv, &err);
	}
	(void)javaprof_certpath_check(p, "RSA", 1024, "SHA1withRSA", 1,
	    why, sizeof(why));
	(void)javaprof_certpath_check(p, "EC", 256, NULL, 0, why,
	    sizeof(why));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct javaprof *p = NULL;
	struct sw_error err = { 0 };
	uint16_t ids[JAVAPROF_SUITES_MAX];

	if (javaprof_parse(reg, (const char *)data, size, "fuzz", &p,
	    &err) != SW_OK)
		return 0;
	(void)javaprof_name(p);
	(void)javaprof_title(p);
	(void)javaprof_source(p);
	(void)javaprof_security_file(p);
	(void)javaprof_property(p, "jdk.tls.disabledAlgorithms");
	(void)javaprof_default_suites(p, ids, JAVAPROF_SUITES_MAX);
	(void)javaprof_groups(p, ids, 4);
	(void)javaprof_tls13_client(p);
	(void)javaprof_version_disabled_by(p, 0x0301);
	(void)javaprof_suite_disabled_by(p, 0xc030);
	negotiate(p, data, size);
	javaprof_free(p);
	return 0;
}
