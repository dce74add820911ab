/*
 * The cipher-suite registry (assets/ciphersuites.tsv) and the asset
 * locator: every line of OpenSSL's own listing agrees with the
 * registry, the grades follow the documented rule, the lookups and the
 * prober's offer lists behave, broken files are refused with a line
 * number, and every
 * suite the linked mbedTLS knows is in the registry.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "suites.h"
#include "tap.h"
#include "tls.h"


/* OpenSSL's Kx/Au words for a registry suite. */
static void
openssl_kx_au(const struct suite *s, char *kx, char *au, size_t cap)
{
	const char *k = suite_kx_name(s->kx), *a = suite_auth_name(s->auth);

	if (s->kx == SUITE_KX_TLS13)
		k = a = "any";
	else if (s->auth == SUITE_AUTH_PSK && s->kx != SUITE_KX_PSK) {
		snprintf(kx, cap, "%sPSK", suite_kx_name(s->kx));
		snprintf(au, cap, "%s", s->kx == SUITE_KX_RSA ? "RSA" : "PSK");
		return;
	} else if (s->kx == SUITE_KX_ECDHE)
		k = "ECDH";
	else if (s->kx == SUITE_KX_DHE)
		k = "DH";
	if (s->auth == SUITE_AUTH_ANON)
		a = "None";
	snprintf(kx, cap, "%s", k);
	snprintf(au, cap, "%s", a);
}

/* OpenSSL's Enc word: "AESGCM(128)", "Camellia(256)", "None" ... */
static void
openssl_enc(const struct suite *s, char *out, size_t cap)
{
	static const struct { const char *ours, *theirs; } map[] = {
		{ "AES_128_GCM", "AESGCM" }, { "AES_256_GCM", "AESGCM" },
		{ "AES_128_CBC", "AES" }, { "AES_256_CBC", "AES" },
		{ "AES_128_CCM_8", "AESCCM8" }, { "AES_256_CCM_8", "AESCCM8" },
		{ "AES_128_CCM", "AESCCM" }, { "AES_256_CCM", "AESCCM" },
		{ "CAMELLIA_128_CBC", "Camellia" },
		{ "CAMELLIA_256_CBC", "Camellia" },
		{ "ARIA_128_GCM", "ARIAGCM" }, { "ARIA_256_GCM", "ARIAGCM" },
		{ "CHACHA20_POLY1305", "CHACHA20/POLY1305" },
		{ "3DES_EDE_CBC", "3DES" }, { "SEED_CBC", "SEED" },
	};
	size_t i;

	if (strcmp(s->enc, "NULL") == 0) {
		snprintf(out, cap, "None");
		return;
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].ours, s->enc) == 0)
			break;
	snprintf(out, cap, "%s(%u)", i < sizeof(map) / sizeof(map[0]) ?
	    map[i].theirs : s->enc, strcmp(s->enc, "3DES_EDE_CBC") ? s->bits :
	    168);
}

/* One line of `openssl ciphers -V -stdname`: 1 when it agrees. */
static int
check_openssl_line(const struct suites *reg, const char *line)
{
	unsigned hi, lo;
	char iana[96], name[96], ver[16], kx[32], au[32], enc[48], mac[16];
	char wkx[32], wau[32], wenc[48];
	const struct suite *s;

	if (sscanf(line, " 0x%2x,0x%2x - %95s - %95s %15s Kx=%31s Au=%31s "
	    "Enc=%47s Mac=%15s", &hi, &lo, iana, name, ver, kx, au, enc,
	    mac) != 9) {
		printf("# unparsable: %s", line);
		return 0;
	}
	if ((s = suites_by_id(reg, (uint16_t)(hi << 8 | lo))) == NULL) {
		printf("# 0x%02X%02X %s missing\n", hi, lo, iana);
		return 0;
	}
	openssl_kx_au(s, wkx, wau, sizeof(wkx));
	openssl_enc(s, wenc, sizeof(wenc));
	if (strcmp(s->iana, iana) || strcmp(s->openssl, name) ||
	    suites_by_openssl(reg, name) != s ||
	    strcmp(suite_version_name(s->min_version), ver) ||
	    strcmp(wkx, kx) || strcmp(wau, au) || strcmp(wenc, enc) ||
	    strcmp(s->mac, mac)) {
		printf("# openssl: %s %s %s %s %s %s %s\n#    ours: %s %s %s "
		    "%s %s %s %s\n", iana, name, ver, kx, au, enc, mac, s->iana,
		    s->openssl, suite_version_name(s->min_version), wkx, wau,
		    wenc, s->mac);
		return 0;
	}
	return 1;
}

static void
test_openssl_listing(const struct suites *reg)
{
	FILE *f = fopen("tests/data/suites/openssl-ciphers-V.txt", "r");
	char line[512];
	int n = 0, good = 0;

	CHECK(f != NULL);
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		n++;
		good += check_openssl_line(reg, line);
	}
	if (f != NULL)
		fclose(f);
	CHECK_INT(n, 158);
	CHECK_INT(good, n);
}

static void
test_registry(const struct suites *reg)
{
	const struct suite *s;
	size_t i, fam[8] = { 0 };
	int bad = 0;

	CHECK(suites_count(reg) >= 300);
	for (i = 0; i < suites_count(reg); i++) {
		s = suites_at(reg, i);
		if (suite_grade_rule(s) != s->grade) {
			printf("# %s graded %s, rule says %s\n", s->iana,
			    suite_grade_name(s->grade),
			    suite_grade_name(suite_grade_rule(s)));
			bad++;
		}
		fam[0] += s->kx == SUITE_KX_TLS13;
		fam[1] += strstr(s->enc, "CAMELLIA") != NULL;
		fam[2] += strstr(s->enc, "ARIA") != NULL;
		fam[3] += strcmp(s->enc, "3DES_EDE_CBC") == 0;
		fam[4] += strncmp(s->enc, "RC4", 3) == 0;
		fam[5] += (s->flags & SUITE_F_NULL) != 0;
		fam[6] += (s->flags & SUITE_F_EXPORT) != 0;
		fam[7] += (s->flags & SUITE_F_ANON) != 0;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(fam[0], 5);
	for (i = 1; i < 8; i++)
		CHECK(fam[i] >= 5);
	CHECK_INT(suites_at(reg, 0)->id, 0x1302);	/* offer order */
	CHECK(suites_at(reg, suites_count(reg)) == NULL);
}

static void
test_lookups(const struct suites *reg)
{
	const struct suite *s;

	s = suites_by_id(reg, 0xC02F);
	CHECK(s != NULL && strcmp(s->iana,
	    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") == 0);
	CHECK(s != NULL && s->kx == SUITE_KX_ECDHE && s->auth ==
	    SUITE_AUTH_RSA && s->grade == SUITE_STRONG && s->bits == 128 &&
	    (s->flags & (SUITE_F_AEAD | SUITE_F_FS)) == (SUITE_F_AEAD |
	    SUITE_F_FS) && s->min_version == SUITE_TLS12);
	CHECK(suites_by_openssl(reg, "ECDHE-RSA-AES128-GCM-SHA256") == s);
	CHECK(suites_by_openssl(reg, "ecdhe-rsa-aes128-gcm-sha256") == s);
	CHECK(suites_by_iana(reg, "tls_ecdhe_rsa_with_aes_128_gcm_sha256") ==
	    NULL);
	CHECK(suites_by_name(reg, "tls_ecdhe_rsa_with_aes_128_gcm_sha256") ==
	    s);
	s = suites_by_openssl(reg, "EDH-RSA-DES-CBC3-SHA");
	CHECK(s != NULL && s->id == 0x0016 && strcmp(s->openssl,
	    "DHE-RSA-DES-CBC3-SHA") == 0 && s->grade == SUITE_WEAK);
	s = suites_by_java(reg, "SSL_RSA_WITH_3DES_EDE_CBC_SHA");
	CHECK(s != NULL && s->id == 0x000A);
	CHECK(suites_by_java(reg, "TLS_RSA_WITH_3DES_EDE_CBC_SHA") == s);
	CHECK(suites_by_java(reg, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA") ==
	    NULL);		/* no Java implements it */
	s = suites_by_id(reg, 0x00A7);
	CHECK(s != NULL && s->kx == SUITE_KX_DHE && s->auth ==
	    SUITE_AUTH_ANON && (s->flags & SUITE_F_ANON) &&
	    s->grade == SUITE_INSECURE);
	s = suites_by_id(reg, 0x0003);
	CHECK(s != NULL && (s->flags & SUITE_F_EXPORT) &&
	    s->max_version == SUITE_TLS10);
	s = suites_by_id(reg, 0x00FF);
	CHECK(s != NULL && s->grade == SUITE_SIGNAL &&
	    (s->flags & SUITE_F_SCSV));
	CHECK(suites_by_id(reg, 0x0000) == NULL);
	CHECK(suites_by_name(reg, "") == NULL);
	CHECK_INT(suite_version_parse("TLSv1.1"), SUITE_TLS11);
	CHECK_INT(suite_version_parse("TLSv1.4"), 0);
	CHECK_STR(suite_version_name(SUITE_SSL3), "SSLv3");
}

static void
test_offer_lists(const struct suites *reg)
{
	uint16_t ids[400];
	const struct suite *s;
	size_t n, i, psk = 0, exp = 0, t12 = 0;

	n = suites_for_version(reg, SUITE_TLS13, 0, ids, 400);
	CHECK_INT(n, 5);
	CHECK(n == 5 && ids[0] == 0x1302 && ids[1] == 0x1301 &&
	    ids[2] == 0x1303);
	n = suites_for_version(reg, SUITE_TLS12, SUITE_F_SECRET, NULL, 0);
	CHECK(n > 150 && n == suites_for_version(reg, SUITE_TLS12,
	    SUITE_F_SECRET, ids, 400));
	for (i = 0; i < n; i++) {
		s = suites_by_id(reg, ids[i]);
		psk += (s->flags & SUITE_F_SECRET) != 0;
		CHECK(i > 0 || s->grade == SUITE_STRONG);
	}
	CHECK_INT(psk, 0);
	n = suites_for_version(reg, SUITE_SSL3, 0, ids, 400);
	for (i = 0; i < n; i++) {
		s = suites_by_id(reg, ids[i]);
		t12 += s->min_version > SUITE_SSL3 || s->kx == SUITE_KX_ECDHE;
		exp += (s->flags & SUITE_F_EXPORT) != 0;
	}
	CHECK(n > 40);
	CHECK_INT(t12, 0);
	CHECK(exp > 0);
	n = suites_for_version(reg, SUITE_TLS11, 0, ids, 400);
	for (i = 0, exp = 0; i < n; i++)
		exp += (suites_by_id(reg, ids[i])->flags & SUITE_F_EXPORT) != 0;
	CHECK_INT(exp, 0);
	CHECK_INT(suites_for_version(reg, 0x0305, 0, ids, 400), 0);
}

static void
test_java_value(const struct suites *reg)
{
	char out[512], bad[128];
	int changed = -1;

	CHECK_INT(suites_java_value(reg, "ECDHE-RSA-AES128-GCM-SHA256,"
	    "AES128-SHA:des-cbc3-sha bogus ECDHE-RSA-AES128-GCM-SHA256", out,
	    sizeof(out), bad, sizeof(bad), &changed), 1);
	CHECK_STR(out, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 "
	    "TLS_RSA_WITH_AES_128_CBC_SHA SSL_RSA_WITH_3DES_EDE_CBC_SHA");
	CHECK_STR(bad, "bogus");
	CHECK_INT(changed, 1);
	CHECK_INT(suites_java_value(reg, "TLS_AES_128_GCM_SHA256 "
	    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", out, sizeof(out), NULL, 0,
	    &changed), 0);
	CHECK_INT(changed, 0);
	CHECK_INT(suites_java_value(reg, "CAMELLIA128-SHA", out, sizeof(out),
	    NULL, 0, NULL), 0);
	CHECK_STR(out, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA");
}

static void
check_bad_file(const char *text, const char *want)
{
	struct suites *reg = NULL;
	struct sw_error err = { 0 };

	CHECK_INT(suites_parse(text, strlen(text), "t.tsv", &reg, &err),
	    SW_EASSET);
	CHECK(reg == NULL);
	if (strstr(err.msg, want) == NULL)
		printf("# message \"%s\" lacks \"%s\"\n", err.msg, want);
	CHECK(strstr(err.msg, want) != NULL);
}

static void
test_parse_errors(void)
{
	const char *row = "0x002F\tTLS_RSA_WITH_AES_128_CBC_SHA\tAES128-SHA\t"
	    "TLS_RSA_WITH_AES_128_CBC_SHA\tRSA\tRSA\tAES_128_CBC\t128\tSHA1\t"
	    "SSLv3\tTLSv1.2\tweak\t-\n";
	char text[1024];
	struct suites *reg = NULL;
	struct sw_error err = { 0 };

	snprintf(text, sizeof(text), "# c\n\n%s", row);
	CHECK_INT(suites_parse(text, strlen(text), "t", &reg, &err), SW_OK);
	CHECK(reg != NULL && suites_count(reg) == 1);
	suites_free(reg);
	check_bad_file("", "no cipher suites");
	check_bad_file("0x002F\tTLS_X\n", "t.tsv:1: 2 fields");
	snprintf(text, sizeof(text), "#\n%s%s", row, row);
	check_bad_file(text, "0x002F listed twice");
	snprintf(text, sizeof(text), "%s", row);
	memcpy(strstr(text, "\tRSA\tRSA"), "\tXXX", 4);
	check_bad_file(text, "t.tsv:1: bad kx field");
	snprintf(text, sizeof(text), "%s", row);
	memcpy(strstr(text, "SSLv3\tTLSv1.2"), "TLSv1.2\tSSLv3", 13);
	check_bad_file(text, "bad max field");
}

static void
test_locator(void)
{
	char dir[] = "/tmp/sw-assets-XXXXXX", path[512], out[512];
	struct sw_error err = { 0 };
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/bin", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/share", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/share/smtpwiz", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/share/smtpwiz/x.tsv", dir);
	if ((f = fopen(path, "w")) != NULL)
		fclose(f);
	snprintf(path, sizeof(path), "%s/bin/smtpwiz", dir);
	CHECK_INT(assets_path_from(path, NULL, "x.tsv", out, sizeof(out),
	    &err), SW_OK);
	CHECK(strstr(out, "/bin/../share/smtpwiz/x.tsv") != NULL);
	sw_error_clear(&err);
	CHECK_INT(assets_path_from(path, NULL, "y.tsv", out, sizeof(out),
	    &err), SW_EASSET);
	CHECK(strstr(err.msg, "/bin/../assets/y.tsv") != NULL &&
	    strstr(err.msg, "SMTPWIZ_ASSETS") != NULL);
	sw_error_clear(&err);
	CHECK_INT(assets_path_from(path, "assets", "java/17.profile", out,
	    sizeof(out), &err), SW_OK);
	CHECK_STR(out, "assets/java/17.profile");
	CHECK_INT(assets_path_from(path, "/nonexistent", "java/17.profile",
	    out, sizeof(out), &err), SW_EASSET);
	CHECK_INT(assets_path_from(path, NULL, "../etc/passwd", out,
	    sizeof(out), &err), SW_EUSAGE);
	CHECK_INT(assets_path_from(path, NULL, "/etc/passwd", out,
	    sizeof(out), &err), SW_EUSAGE);
	CHECK_INT(assets_path_from(path, NULL, "a..b", out, sizeof(out),
	    &err), SW_EASSET);		/* ".." inside a name is fine */
	snprintf(path, sizeof(path), "%s/share/smtpwiz/x.tsv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/share/smtpwiz", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/share", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/bin", dir);
	rmdir(path);
	rmdir(dir);
}

/* Every suite the linked mbedTLS offers is in the registry, under the
 * same name (mbedTLS spells "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"). */
static void
test_mbedtls(const struct suites *reg)
{
	uint16_t ids[512];
	char name[128], *p;
	const struct suite *s;
	size_t n, i, missing = 0, misnamed = 0;

	n = tls_library_suites(ids, 512);
	CHECK(n > 0 && n <= 512);
	for (i = 0; i < n && i < 512; i++) {
		if ((s = suites_by_id(reg, ids[i])) == NULL) {
			printf("# mbedTLS suite 0x%04X not in the registry\n",
			    ids[i]);
			missing++;
			continue;
		}
		if (tls_library_suite_name(ids[i]) == NULL)
			continue;
		snprintf(name, sizeof(name), "%s",
		    tls_library_suite_name(ids[i]));
		for (p = name; *p; p++)
			*p = *p == '-' ? '_' : *p;
		if (strcmp(name, s->iana) != 0 && strncmp(name, "TLS1_3_", 7) &&
		    strcmp(name, "TLS_DHE_PSK_WITH_AES_128_CCM_8") &&
		    strcmp(name, "TLS_DHE_PSK_WITH_AES_256_CCM_8")) {
			printf("# mbedTLS calls 0x%04X %s, we %s\n", ids[i],
			    name, s->iana);
			misnamed++;
		}
	}
	CHECK_INT(missing, 0);
	CHECK_INT(misnamed, 0);
}

int
main(void)
{
	struct suites *reg = NULL;
	struct sw_error err = { 0 };

	setenv(ASSETS_ENV, "assets", 0);	/* tests run from the top */
	printf("# linked: %s\n", tls_library_version());
	CHECK_INT(suites_load(&reg, &err), SW_OK);
	if (reg == NULL) {
		printf("# %s\n", sw_error_text(&err));
		return tap_done();
	}
	test_registry(reg);
	test_openssl_listing(reg);
	test_lookups(reg);
	test_offer_lists(reg);
	test_java_value(reg);
	test_mbedtls(reg);
	suites_free(reg);
	test_parse_errors();
	test_locator();
	return tap_done();
}
