/*
 * java.security reading and the JDK's constraint matching.  The
 * matching is checked against what two real JDKs answered for 92
 * jdk.tls.disabledAlgorithms values (tests/data/javasec/tokens-jdk*.txt,
 * made by JsseOracle.java): every suite and protocol, both ways.  The
 * reader is checked on the real java.security files of OpenJDK 17.0.15
 * and Temurin 25.0.3, edited variants and syntax edge cases whose
 * values java.util.Properties gave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "javasec.h"
#include "suites.h"
#include "tap.h"

#define DATA	"tests/data/javasec/"

static const struct suites *reg;

static struct javasec *
load(const char *file)
{
	struct javasec *sec = NULL;
	struct sw_error err = { 0 };

	if (javasec_load_file(file, &sec, &err) != SW_OK)
		printf("# %s\n", sw_error_text(&err));
	CHECK(sec != NULL);
	return sec;
}

/* Does the space-separated list want hold word? */
static int
listed(const char *want, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = want; (p = strstr(p, word)) != NULL; p += n)
		if ((p == want || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* One oracle line: VALUE \t (protocols and hex ids | "error ..."). */
static int
oracle_line(char *line, unsigned mode)
{
	static const char *const protos[] = { "SSLv3", "TLSv1", "TLSv1.1",
		"TLSv1.2", "TLSv1.3" };
	struct javasec_list l;
	const struct suite *s;
	const char *why;
	char *want, hex[8];
	size_t i;
	int ok = 1, got, exp;

	if ((want = strchr(line, '\t')) == NULL)
		return 0;
	*want++ = '\0';
	want[strcspn(want, "\n")] = '\0';
	if (javasec_list_parse(line, JAVASEC_TLS, NULL, &l, NULL) != SW_OK)
		return 0;
	if (strncmp(want, "error", 5) == 0) {
		ok = javasec_list_bad(&l, mode, &why) != NULL;
		javasec_list_free(&l);
		return ok;
	}
	for (i = 0; i < 5; i++)
		if ((javasec_match_name(&l, protos[i], NULL, 0) > 0) !=
		    listed(want, protos[i])) {
			printf("# [%s] %s\n", line, protos[i]);
			ok = 0;
		}
	for (i = 0; i < suites_count(reg); i++) {
		s = suites_at(reg, i);
		if (s->java[0] == '\0' || (s->flags & SUITE_F_SCSV))
			continue;
		snprintf(hex, sizeof(hex), "%04X", s->id);
		got = javasec_match_suite(&l, s, mode, NULL, 0) > 0;
		if (got != (exp = listed(want, hex))) {
			printf("# [%s] %s: JDK %s, we %s\n", line, s->java,
			    exp ? "disables" : "allows", got ? "disable" :
			    "allow");
			ok = 0;
		}
	}
	javasec_list_free(&l);
	return ok;
}

static void
test_oracle(const char *file, unsigned mode, int lines)
{
	FILE *f = fopen(file, "r");
	char line[2048];
	int n = 0, good = 0;

	CHECK(f != NULL);
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		n++;
		good += oracle_line(line, mode);
	}
	if (f != NULL)
		fclose(f);
	CHECK_INT(n, lines);
	CHECK_INT(good, n);
}

static const char tls17[] = "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, "
    "MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, "
    "NULL, ECDH";

static void
test_real_files(void)
{
	struct javasec *sec = load(DATA "java.security-17.0.15");
	struct javasec_list l;
	const struct javasec_entry *e;
	const char *why;

	if (sec == NULL)
		return;
	CHECK_STR(javasec_get(sec, JAVASEC_TLS), tls17);
	CHECK_INT(javasec_line(sec, JAVASEC_TLS), 729);
	CHECK_STR(javasec_get(sec, JAVASEC_CERTPATH), "MD2, MD5, SHA1 jdkCA & "
	    "usage TLSServer, RSA keySize < 1024, DSA keySize < 1024, EC "
	    "keySize < 224, SHA1 usage SignedJAR & denyAfter 2019-01-01");
	CHECK(javasec_get(sec, JAVASEC_CURVES) == NULL);
	CHECK_STR(javasec_get(sec, "security.provider.1"), "SUN");
	CHECK_INT(javasec_list_parse(javasec_get(sec, JAVASEC_TLS),
	    JAVASEC_TLS, sec, &l, NULL), SW_OK);
	CHECK_INT(l.n, 13);
	e = &l.v[7];
	CHECK_STR(e->text, "DH keySize < 1024");
	CHECK(strcmp(e->alg, "DH") == 0 && (e->flags & JAVASEC_E_COND) &&
	    e->ncond == 1 && e->cond[0].kind == JAVASEC_KEYSIZE &&
	    e->cond[0].op == JAVASEC_LT && e->cond[0].size == 1024);
	CHECK(javasec_list_bad(&l, JAVASEC_M_WILDCARDS, &why) == NULL);
	javasec_list_free(&l);
	javasec_list_parse(javasec_get(sec, JAVASEC_CERTPATH),
	    JAVASEC_CERTPATH, sec, &l, NULL);
	CHECK(l.n == 7 && l.v[2].ncond == 2 && l.v[2].cond[0].kind ==
	    JAVASEC_JDKCA && l.v[2].cond[1].kind == JAVASEC_USAGE &&
	    strcmp(l.v[2].cond[1].arg, "TLSServer") == 0);
	CHECK(l.n == 7 && l.v[6].cond[1].kind == JAVASEC_DENYAFTER &&
	    strcmp(l.v[6].cond[1].arg, "2019-01-01") == 0);
	javasec_list_free(&l);
	javasec_free(sec);

	sec = load(DATA "java.security-25.0.3");
	CHECK(sec != NULL && strstr(javasec_get(sec, JAVASEC_TLS),
	    "ECDH, TLS_RSA_*, rsa_pkcs1_sha1 usage HandshakeSignature") !=
	    NULL);
	javasec_free(sec);
}

static void
test_variants(void)
{
	struct javasec *sec = load(DATA "java.security-17-include"), *over;
	struct javasec_list l;
	const struct suite *rsa = suites_by_id(reg, 0x009C);
	struct sw_error err = { 0 };
	char value[512];
	unsigned char drop[64] = { 0 };

	if (sec == NULL)
		return;
	javasec_list_parse(javasec_get(sec, JAVASEC_TLS), JAVASEC_TLS, sec, &l,
	    NULL);
	CHECK_INT(l.n, 14 + 4);		/* 13, the include, 4 curves */
	CHECK(javasec_match_name(&l, "secp256k1", NULL, 0) == 1);
	CHECK(javasec_match_name(&l, "X9.62 prime192v2", NULL, 0) == 1);
	CHECK(javasec_match_name(&l, "include jdk.disabled.namedCurves",
	    NULL, 0) == 0);
	drop[0] = drop[13] = 1;		/* SSLv3 and the include */
	javasec_list_value(&l, drop, value, sizeof(value));
	CHECK_STR(value, tls17 + 7);
	javasec_list_value(&l, NULL, value, sizeof(value));
	CHECK(strstr(value, "ECDH, include jdk.disabled.namedCurves") != NULL &&
	    strstr(value, "secp256k1") == NULL);
	javasec_list_free(&l);

	/* -Djava.security.properties=override: one key changes. */
	over = load(DATA "override-17.0.18.security");
	CHECK_INT(javasec_merge(sec, over, &err), SW_OK);
	javasec_list_parse(javasec_get(sec, JAVASEC_TLS), JAVASEC_TLS, sec, &l,
	    NULL);
	CHECK(javasec_match_suite(&l, rsa, JAVASEC_M_WILDCARDS, NULL, 0) == 1);
	CHECK(javasec_match_suite(&l, rsa, 0, NULL, 0) == 0);
	CHECK(javasec_get(sec, JAVASEC_CERTPATH) != NULL);
	javasec_list_free(&l);
	javasec_free(over);
	javasec_free(sec);

	sec = load(DATA "java.security-17-tls10");
	javasec_list_parse(javasec_get(sec, JAVASEC_TLS), JAVASEC_TLS, sec, &l,
	    NULL);
	CHECK(javasec_match_name(&l, "TLSv1", NULL, 0) == 0 &&
	    javasec_match_name(&l, "SSLv3", NULL, 0) == 1);
	javasec_list_free(&l);
	javasec_free(sec);
}

static void
test_edge_syntax(void)
{
	struct javasec *sec = load(DATA "edge-syntax.security");
	struct javasec_list l;

	if (sec == NULL)
		return;
	CHECK_STR(javasec_get(sec, JAVASEC_TLS), "SSLv3, RC4, # DES, "
	    "MD5withRSA");
	CHECK_STR(javasec_get(sec, JAVASEC_CERTPATH), "MD5,SHA1 jdkCA & usage "
	    "TLSServer , RSA keySize < 1024");
	CHECK_STR(javasec_get(sec, JAVASEC_LEGACY), "\"NULL, anon\"");
	CHECK_STR(javasec_get(sec, "escaped"), "RC4, DES");
	CHECK_STR(javasec_get(sec, "twice"), "RC4");
	CHECK_STR(javasec_get(sec, JAVASEC_CURVES),
	    "secp256k1, X9.62 prime192v2");
	javasec_list_parse(javasec_get(sec, JAVASEC_TLS), JAVASEC_TLS, sec, &l,
	    NULL);
	CHECK(l.n == 4 && javasec_match_name(&l, "DES", NULL, 0) == 0);
	javasec_list_free(&l);
	javasec_list_parse(javasec_get(sec, JAVASEC_LEGACY), JAVASEC_LEGACY,
	    sec, &l, NULL);
	CHECK(l.n == 2 && strcmp(l.v[0].text, "NULL") == 0 &&
	    strcmp(l.v[1].text, "anon") == 0);	/* quotes stripped */
	javasec_list_free(&l);
	javasec_list_parse(javasec_get(sec, "withInclude"), "withInclude",
	    sec, &l, NULL);
	CHECK(l.n == 4 && (l.v[3].flags & JAVASEC_E_INCLUDED) &&
	    strcmp(l.v[3].text, "X9.62 prime192v2") == 0 &&
	    !(l.v[3].flags & JAVASEC_E_COND));
	javasec_list_free(&l);
	javasec_free(sec);

	sec = load(DATA "edge-crlf-eof.security");
	if (sec == NULL)
		return;
	CHECK_STR(javasec_get(sec, "crlf"), "SSLv3, TLSv1");
	CHECK_STR(javasec_get(sec, "after"), "yes");
	CHECK_STR(javasec_get(sec, "lastline"), "RC4, ");
	javasec_list_parse(javasec_get(sec, "lastline"), JAVASEC_TLS, sec, &l,
	    NULL);
	CHECK(l.n == 1 && strcmp(l.v[0].text, "RC4") == 0);
	javasec_list_free(&l);
	javasec_free(sec);
}

static void
check_bad(const char *value, unsigned mode, const char *want)
{
	struct javasec_list l;
	const struct javasec_entry *e;
	const char *why = NULL;

	javasec_list_parse(value, JAVASEC_TLS, NULL, &l, NULL);
	e = javasec_list_bad(&l, mode, &why);
	CHECK(want == NULL ? e == NULL : e != NULL && why != NULL &&
	    strstr(why, want) != NULL);
	if (e != NULL && want != NULL && strstr(why, want) == NULL)
		printf("# %s: %s\n", value, why);
	javasec_list_free(&l);
}

static void
test_bad_entries(void)
{
	check_bad("RC4, include jdk.foo", 0, "Constraint unknown: jdk.foo");
	check_bad("RSA keySize", 0, "Constraint unknown");
	check_bad("RSA keySize < x", 0, "Constraint unknown");
	check_bad("RSA keySize < 1024 & jdkCA & usage TLSServer", 0, NULL);
	check_bad("SHA1 denyAfter 2019-1-01", 0, "Constraint unknown");
	check_bad("SHA1 denyAfter  2019-01-01 & usage TLSServer", 0, NULL);
	check_bad("RSA keySize < 1024 bits", 0, NULL);	/* extra ignored */
	check_bad("tls_rsa_*", JAVASEC_M_WILDCARDS, "must start with");
	check_bad("tls_rsa_*", 0, NULL);
	check_bad("TLS_RSA_*, include jdk.disabled.namedCurves",
	    JAVASEC_M_WILDCARDS, NULL);
}

static void
test_components(void)
{
	const char *c[16];
	size_t n, i;
	char all[400] = "";

	n = javasec_components(suites_by_id(reg, 0xC02F), 0, c, 16);
	for (i = 0; i < n; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s ",
		    c[i]);
	CHECK_STR(all, "ECDHE RSA ECDHE_RSA AES GCM NoPadding AES_128_GCM "
	    "SHA256 SHA-256 HmacSHA256 ");
	CHECK_INT(javasec_components(suites_by_id(reg, 0xC02F),
	    JAVASEC_M_LEGACY_JSSE, c, 16), 7);
	CHECK_INT(javasec_components(suites_by_id(reg, 0x1301), 0, c, 16), 6);
	CHECK_INT(javasec_components(suites_by_id(reg, 0x0041), 0, c, 16), 0);
	CHECK_INT(javasec_components(suites_by_id(reg, 0x00FF), 0, c, 16), 0);
}

static void
test_cert_checks(void)
{
	struct javasec_list cp, tls;
	time_t now = 1798761600;	/* 2027-01-01 */

	javasec_list_parse("MD2, MD5, SHA1 jdkCA & usage TLSServer, RSA "
	    "keySize < 1024, DSA keySize < 1024, EC keySize < 224, SHA1 usage "
	    "SignedJAR & denyAfter 2019-01-01, SHA-224 denyAfter 2030-01-01",
	    JAVASEC_CERTPATH, NULL, &cp, NULL);
	javasec_list_parse(tls17, JAVASEC_TLS, NULL, &tls, NULL);
	CHECK(javasec_check_key(&cp, "RSA", 2048) == NULL);
	CHECK(javasec_check_key(&cp, "RSA", 1024) == NULL);
	CHECK_STR(javasec_check_key(&cp, "RSA", 1023)->text,
	    "RSA keySize < 1024");
	CHECK_STR(javasec_check_key(&cp, "EC", 192)->text, "EC keySize < 224");
	CHECK(javasec_check_key(&cp, "EC", 256) == NULL);
	CHECK_STR(javasec_check_key(&tls, "EC", 160)->text,
	    "EC keySize < 224");
	CHECK(javasec_check_sig(&cp, "SHA256withRSA", 1,
	    JAVASEC_CTX_TLS_SERVER, now) == NULL);
	CHECK_STR(javasec_check_sig(&cp, "SHA1withRSA", 1,
	    JAVASEC_CTX_TLS_SERVER, now)->text, "SHA1 jdkCA & usage TLSServer");
	CHECK(javasec_check_sig(&cp, "SHA1withRSA", 0,
	    JAVASEC_CTX_TLS_SERVER, now) == NULL);
	CHECK_STR(javasec_check_sig(&cp, "MD5withRSA", 0,
	    JAVASEC_CTX_TLS_SERVER, now)->text, "MD5");
	CHECK_STR(javasec_check_sig(&tls, "MD5withRSA", 0, JAVASEC_CTX_TLS,
	    now)->text, "MD5withRSA");
	CHECK(javasec_check_sig(&cp, "SHA224withECDSA", 0,
	    JAVASEC_CTX_TLS_SERVER, now) == NULL);
	CHECK_STR(javasec_check_sig(&cp, "SHA224withECDSA", 0,
	    JAVASEC_CTX_TLS_SERVER, now + 4 * 366 * 86400)->text,
	    "SHA-224 denyAfter 2030-01-01");
	CHECK(javasec_check_sig(&tls, "SHA1withRSA", 1, JAVASEC_CTX_TLS,
	    now) == NULL);
	javasec_list_free(&cp);
	javasec_list_free(&tls);
}

int
main(void)
{
	struct suites *r = NULL;
	struct sw_error err = { 0 };

	setenv("SMTPWIZ_ASSETS", "assets", 0);
	if (suites_load(&r, &err) != SW_OK) {
		printf("# %s\n", sw_error_text(&err));
		CHECK(0);
		return tap_done();
	}
	reg = r;
	test_oracle(DATA "tokens-jdk17.txt", 0, 92);
	test_oracle(DATA "tokens-jdk25.txt", JAVASEC_M_WILDCARDS, 92);
	test_real_files();
	test_variants();
	test_edge_syntax();
	test_bad_entries();
	test_components();
	test_cert_checks();
	suites_free(r);
	return tap_done();
}
