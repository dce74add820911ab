/*
 * Java profiles and negotiation.  The default ClientHello of every
 * profile is compared with the reference's effective lists (java-tls-
 * profiles.md 3.1) and with what two real JDKs enable
 * (tests/data/javasec/defaults-jdk*.txt); negotiation and advice are
 * table-driven over small servers; certpath limits per profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certpath.h"
#include "javaprof.h"
#include "javasec.h"
#include "suites.h"
#include "tap.h"

#define DATA	"tests/data/javasec/"

static struct suites *reg;
static struct javaprof *prof[5];	/* 8u202 8u291 11 17 21 */
enum { P8u202, P8u291, P11, P17, P21 };

/* ---- servers ---- */

static const uint16_t t13[] = { 0x1302, 0x1301, 0x1303 };
static const uint16_t modern12[] = { 0xC030, 0xC02F, 0xCCA8, 0xC028, 0xC027,
	0xC014, 0xC013 };
static const uint16_t old10[] = { 0xC014, 0xC013, 0x0035, 0x002F };
static const uint16_t rsa12[] = { 0x009D, 0x009C, 0x003D, 0x003C, 0x0035,
	0x002F };
static const uint16_t rsa10[] = { 0x0035, 0x002F };
static const uint16_t des3[] = { 0x000A };
static const uint16_t order12[] = { 0xC013, 0xC030 };
static const uint16_t anon12[] = { 0x00A6 };
static const uint16_t cam12[] = { 0x0041, 0x0084 };

#define SV(v, list, order) { v, list, sizeof(list) / sizeof(list[0]), order }

static const struct javaprof_server_version modern_v[] = {
	SV(SUITE_TLS13, t13, 0), SV(SUITE_TLS12, modern12, 0) };
static const struct javaprof_server_version tls10_v[] = {
	SV(SUITE_TLS10, old10, 0) };
static const struct javaprof_server_version rsa_v[] = {
	SV(SUITE_TLS12, rsa12, 1), SV(SUITE_TLS11, rsa10, 1),
	SV(SUITE_TLS10, rsa10, 1) };
static const struct javaprof_server_version des3_v[] = {
	SV(SUITE_TLS12, des3, 0), SV(SUITE_TLS11, des3, 0),
	SV(SUITE_TLS10, des3, 0) };
static const struct javaprof_server_version sorder_v[] = {
	SV(SUITE_TLS12, order12, 1) };
static const struct javaprof_server_version corder_v[] = {
	SV(SUITE_TLS12, order12, 0) };
static const struct javaprof_server_version t13_v[] = {
	SV(SUITE_TLS13, t13, 1) };
static const struct javaprof_server_version anon_v[] = {
	SV(SUITE_TLS12, anon12, 0) };
static const struct javaprof_server_version mixed_v[] = {
	SV(SUITE_TLS12, des3, 0), SV(SUITE_TLS10, old10, 0) };
static const struct javaprof_server_version cam_v[] = {
	SV(SUITE_TLS12, cam12, 0) };
static const struct javaprof_server_version unk_v[] = {
	{ SUITE_TLS12, NULL, 0, -1 } };

#define SERVER(v) { v, sizeof(v) / sizeof(v[0]) }
static const struct javaprof_server modern = SERVER(modern_v);
static const struct javaprof_server tls10 = SERVER(tls10_v);
static const struct javaprof_server rsaonly = SERVER(rsa_v);
static const struct javaprof_server des3only = SERVER(des3_v);
static const struct javaprof_server sorder = SERVER(sorder_v);
static const struct javaprof_server corder = SERVER(corder_v);
static const struct javaprof_server tls13only = SERVER(t13_v);
static const struct javaprof_server anononly = SERVER(anon_v);
static const struct javaprof_server mixed = SERVER(mixed_v);
static const struct javaprof_server camonly = SERVER(cam_v);
static const struct javaprof_server unknown = SERVER(unk_v);

/* ---- the default ClientHello ---- */

static void
offer_hex(const struct javaprof *p, const struct javaprof_client *c,
    char *out, size_t cap)
{
	struct javaprof_offer o;
	size_t i;

	out[0] = '\0';
	javaprof_offer(p, c, &o, NULL);
	for (i = 0; i < o.nsuites; i++)
		snprintf(out + strlen(out), cap - strlen(out), "%s%04X",
		    i ? " " : "", o.suites[i]);
}

/* The versions the offer has, "TLSv1.3 TLSv1.2" (JDK order). */
static void
offer_versions(const struct javaprof *p, char *out, size_t cap)
{
	struct javaprof_offer o;
	size_t i;

	out[0] = '\0';
	javaprof_offer(p, NULL, &o, NULL);
	for (i = 0; i < o.nversions; i++)
		snprintf(out + strlen(out), cap - strlen(out), "%s%s",
		    i ? " " : "", suite_version_name(o.versions[i]));
}

/* A defaults-jdk*.txt file's "protocols" line. */
static void
jdk_protocols(const char *file, char *out, size_t cap)
{
	FILE *f = fopen(file, "r");
	char line[4096];

	out[0] = '\0';
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "protocols\t", 10) == 0)
			snprintf(out, cap, "%.*s", (int)strcspn(line + 10,
			    "\n"), line + 10);
	if (f != NULL)
		fclose(f);
}

/* The names in a defaults-jdk*.txt "suites" line as hex, SCSV out. */
static void
jdk_defaults(const char *file, char *out, size_t cap)
{
	FILE *f = fopen(file, "r");
	char line[4096], *tok, *save = NULL;
	const struct suite *s;

	out[0] = '\0';
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "suites\t", 7) != 0)
			continue;
		for (tok = strtok_r(line + 7, " \n", &save); tok != NULL;
		    tok = strtok_r(NULL, " \n", &save))
			if ((s = suites_by_java(reg, tok)) != NULL &&
			    !(s->flags & SUITE_F_SCSV))
				snprintf(out + strlen(out), cap - strlen(out),
				    "%s%04X", out[0] ? " " : "", s->id);
	}
	if (f != NULL)
		fclose(f);
}

static void
test_defaults(void)
{
	static const char *const want[] = {
		/* 8u202, 8u291, 11/17/21: java-tls-profiles.md 3.1 */
		"C024 C028 003D C026 C02A 006B 006A C00A C014 0035 C005 C00F "
		"0039 0038 C023 C027 003C C025 C029 0067 0040 C009 C013 002F "
		"C004 C00E 0033 0032 C02C C02B C030 009D C02E C032 009F 00A3 "
		"C02F 009C C02D C031 009E 00A2",
		"C02C C02B C030 009D C02E C032 009F 00A3 C02F 009C C02D C031 "
		"009E 00A2 C024 C028 003D C026 C02A 006B 006A C00A C014 0035 "
		"C005 C00F 0039 0038 C023 C027 003C C025 C029 0067 0040 C009 "
		"C013 002F C004 C00E 0033 0032",
		"1302 1301 1303 C02C C02B CCA9 C030 CCA8 C02F 009F CCAA 00A3 "
		"009E 00A2 C024 C028 C023 C027 006B 006A 0067 0040 C00A C014 "
		"C009 C013 0039 0038 0033 0032",
	};
	static const size_t ndef[] = { 49, 51, 55, 55, 55 };
	char got[2048], jdk[2048];
	uint16_t ids[128];
	size_t i;

	for (i = 0; i < 5; i++) {
		offer_hex(prof[i], NULL, got, sizeof(got));
		CHECK_STR(got, want[i < 2 ? i : 2]);
		CHECK_INT(javaprof_default_suites(prof[i], ids, 128), ndef[i]);
	}
	/* Temurin 25.0.3 ships 17.0.18's / 21.0.10's list exactly. */
	jdk_defaults(DATA "defaults-jdk25.txt", jdk, sizeof(jdk));
	offer_hex(prof[P17], NULL, got, sizeof(got));
	CHECK_STR(got, jdk);
	jdk_protocols(DATA "defaults-jdk25.txt", jdk, sizeof(jdk));
	offer_versions(prof[P17], got, sizeof(got));
	CHECK_STR(got, jdk);
}

static void
test_versions(void)
{
	struct javaprof_offer o;

	javaprof_offer(prof[P8u202], NULL, &o, NULL);
	CHECK(o.nversions == 3 && o.versions[0] == SUITE_TLS12 &&
	    o.versions[2] == SUITE_TLS10);
	javaprof_offer(prof[P8u291], NULL, &o, NULL);
	CHECK(o.nversions == 1 && o.versions[0] == SUITE_TLS12);
	javaprof_offer(prof[P17], NULL, &o, NULL);
	CHECK(o.nversions == 2 && o.versions[0] == SUITE_TLS13);
	CHECK(!javaprof_tls13_client(prof[P8u202]) &&
	    !javaprof_tls13_client(prof[P8u291]) &&
	    javaprof_tls13_client(prof[P11]) &&
	    javaprof_tls13_client(prof[P21]));
	CHECK(!javaprof_version_known(prof[P8u202], SUITE_TLS13) &&
	    javaprof_version_known(prof[P8u291], SUITE_TLS13) &&
	    !javaprof_version_default(prof[P8u291], SUITE_TLS13));
	CHECK_STR(javaprof_version_disabled_by(prof[P8u291], SUITE_TLS10),
	    "TLSv1");
	CHECK(javaprof_version_disabled_by(prof[P8u202], SUITE_TLS10) == NULL);
	CHECK_STR(javaprof_suite_disabled_by(prof[P17], 0x009C), "TLS_RSA_*");
	CHECK_STR(javaprof_suite_disabled_by(prof[P11], 0xC02F) ?
	    javaprof_suite_disabled_by(prof[P11], 0xC02F) : "(null)", "(null)");
	CHECK_STR(javaprof_suite_disabled_by(prof[P8u202], 0x000A),
	    "3DES_EDE_CBC");
	CHECK(javaprof_suite_known(prof[P17], 0x00A6) &&
	    !javaprof_suite_default(prof[P17], 0x00A6) &&
	    !javaprof_suite_known(prof[P17], 0x0041) &&
	    !javaprof_suite_known(prof[P8u202], 0x1301));
}

/* ---- negotiation ---- */

struct ncase {
	int				 prof;
	const char			*protocols, *ciphersuites;
	int				 old_javamail;
	const struct javaprof_server	*server;
	enum javaprof_verdict		 verdict;
	uint16_t			 version, suite;
	const char			*token;		/* in some reason */
	enum javaprof_why		 why;		/* of that reason */
	const char			*java_error;	/* substring */
};

static const struct ncase ncases[] = {
	{ P17, 0, 0, 0, &modern, JAVAPROF_OK, SUITE_TLS13, 0x1302, 0, 0, "" },
	{ P11, 0, 0, 0, &modern, JAVAPROF_OK, SUITE_TLS13, 0x1302, 0, 0, "" },
	{ P8u202, 0, 0, 0, &modern, JAVAPROF_OK, SUITE_TLS12, 0xC028, 0, 0,
	    "" },
	{ P8u291, 0, 0, 0, &modern, JAVAPROF_OK, SUITE_TLS12, 0xC030, 0, 0,
	    "" },
	{ P8u291, 0, 0, 0, &tls10, JAVAPROF_NO_VERSION, 0, 0, "TLSv1",
	    JAVAPROF_WHY_DISABLED, "Received fatal alert: protocol_version "
	    "(from servers that ignore supported_versions: The server "
	    "selected protocol version TLS10 is not accepted by client "
	    "preferences [TLS12])" },
	{ P8u202, 0, 0, 0, &tls10, JAVAPROF_OK, SUITE_TLS10, 0xC014, 0, 0,
	    "" },
	{ P17, 0, 0, 0, &rsaonly, JAVAPROF_NO_SUITE, SUITE_TLS12, 0,
	    "TLS_RSA_*", JAVAPROF_WHY_DISABLED, "handshake_failure" },
	{ P21, 0, 0, 0, &rsaonly, JAVAPROF_NO_SUITE, SUITE_TLS12, 0,
	    "TLS_RSA_*", JAVAPROF_WHY_DISABLED, "handshake_failure" },
	{ P8u202, 0, 0, 0, &rsaonly, JAVAPROF_OK, SUITE_TLS12, 0x009D, 0, 0,
	    "" },
	{ P8u291, 0, 0, 0, &rsaonly, JAVAPROF_OK, SUITE_TLS12, 0x009D, 0, 0,
	    "" },
	{ P17, 0, 0, 0, &des3only, JAVAPROF_NO_SUITE, SUITE_TLS12, 0,
	    "3DES_EDE_CBC", JAVAPROF_WHY_DISABLED, "handshake_failure" },
	{ P8u202, 0, 0, 0, &des3only, JAVAPROF_NO_SUITE, SUITE_TLS12, 0,
	    "3DES_EDE_CBC", JAVAPROF_WHY_DISABLED, "handshake_failure" },
	{ P17, 0, 0, 0, &sorder, JAVAPROF_OK, SUITE_TLS12, 0xC013, 0, 0, "" },
	{ P17, 0, 0, 0, &corder, JAVAPROF_OK, SUITE_TLS12, 0xC030, 0, 0, "" },
	{ P8u202, 0, 0, 0, &tls13only, JAVAPROF_NO_VERSION, 0, 0, 0,
	    JAVAPROF_WHY_UNKNOWN, "Received fatal alert: protocol_version" },
	{ P8u291, 0, 0, 0, &tls13only, JAVAPROF_NO_VERSION, 0, 0, 0,
	    JAVAPROF_WHY_NOT_ENABLED, "protocol_version" },
	{ P8u291, "TLSv1.3", 0, 0, &tls13only, JAVAPROF_OK, SUITE_TLS13,
	    0x1302, 0, 0, "" },
	{ P17, "TLSv1.1,TLSv1.2", 0, 0, &modern, JAVAPROF_BAD_SETTING, 0, 0,
	    0, 0, "IllegalArgumentException: Unsupported protocolTLSv1.1,"
	    "TLSv1.2" },
	{ P8u202, "TLSv1.3 TLSv1.2", 0, 0, &modern, JAVAPROF_BAD_SETTING, 0,
	    0, 0, 0, "java.lang.IllegalArgumentException: TLSv1.3" },
	{ P17, 0, "ECDHE-RSA-AES128-GCM-SHA256", 0, &modern,
	    JAVAPROF_BAD_SETTING, 0, 0, 0, 0, "Unsupported CipherSuite: "
	    "ECDHE-RSA-AES128-GCM-SHA256" },
	{ P8u202, 0, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 0, &modern,
	    JAVAPROF_BAD_SETTING, 0, 0, 0, 0, "Unsupported ciphersuite "
	    "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
	{ P17, 0, 0, 1, &modern, JAVAPROF_NO_PROTOCOL, 0, 0, "TLSv1",
	    JAVAPROF_WHY_DISABLED, "No appropriate protocol" },
	{ P17, 0, "TLS_RSA_WITH_AES_128_CBC_SHA", 0, &modern,
	    JAVAPROF_NO_PROTOCOL, 0, 0, 0, JAVAPROF_WHY_NO_SUITE,
	    "No appropriate protocol" },
	{ P17, "TLSv1.3 TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0,
	    &tls13only, JAVAPROF_NO_VERSION, 0, 0, 0, JAVAPROF_WHY_NO_SUITE,
	    "protocol_version" },
	{ P17, 0, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0, &corder,
	    JAVAPROF_NO_SUITE, SUITE_TLS12, 0, 0, JAVAPROF_WHY_NOT_ENABLED,
	    "handshake_failure" },
	{ P17, 0, 0, 0, &camonly, JAVAPROF_NO_SUITE, SUITE_TLS12, 0, 0,
	    JAVAPROF_WHY_UNKNOWN, "handshake_failure" },
	{ P17, 0, 0, 0, &unknown, JAVAPROF_UNKNOWN, SUITE_TLS12, 0, 0, 0,
	    "" },
};

/* The case's reason is there: its token, or its why when no token. */
static int
has_reason(const struct javaprof_result *r, const struct ncase *c)
{
	size_t i;

	if (c->verdict == JAVAPROF_OK || c->verdict == JAVAPROF_BAD_SETTING ||
	    c->verdict == JAVAPROF_UNKNOWN)
		return r->nreasons == 0;
	for (i = 0; i < r->nreasons; i++)
		if (r->reasons[i].why == c->why && (c->token == NULL ||
		    strcmp(r->reasons[i].token, c->token) == 0))
			return 1;
	return 0;
}

static void
test_negotiate(void)
{
	struct javaprof_result *r = malloc(sizeof(*r));
	struct javaprof_client cl;
	const struct ncase *c;
	size_t i;
	int ok;

	for (i = 0; r != NULL && i < sizeof(ncases) / sizeof(ncases[0]); i++) {
		c = &ncases[i];
		cl.protocols = c->protocols;
		cl.ciphersuites = c->ciphersuites;
		cl.old_javamail = c->old_javamail;
		javaprof_negotiate(prof[c->prof], &cl, c->server, r, NULL);
		ok = r->verdict == c->verdict && r->version == c->version &&
		    r->suite == c->suite && has_reason(r, c) &&
		    strstr(r->java_error, c->java_error) != NULL &&
		    r->message[0] != '\0';
		if (!ok)
			printf("# case %zu: %s %s v%04X s%04X\n#   %s\n#   %s\n",
			    i, javaprof_name(prof[c->prof]),
			    javaprof_verdict_name(r->verdict), r->version,
			    r->suite, r->message, r->java_error);
		CHECK(ok);
	}
	/* Only the protocols set are reasons ("TLSv1.2" is not "TLSv1"). */
	cl.protocols = "TLSv1.2";
	cl.ciphersuites = "TLS_AES_128_GCM_SHA256";
	cl.old_javamail = 0;
	javaprof_negotiate(prof[P17], &cl, &modern, r, NULL);
	CHECK(r->verdict == JAVAPROF_NO_PROTOCOL && r->nreasons == 1 &&
	    r->reasons[0].version == SUITE_TLS12 &&
	    r->reasons[0].why == JAVAPROF_WHY_NO_SUITE);
	free(r);
}

/* ---- advice ---- */

struct rcase {
	int				 prof;
	const char			*ciphersuites;
	int				 old_javamail;
	const struct javaprof_server	*server;
	int				 works;
	const char			*protocols, *set_ciphers;
	int				 remove, insecure;
	const char			*removed;	/* security_removed */
	uint16_t			 suite;
	const char			*message;	/* substring */
};

static const struct rcase rcases[] = {
	{ P17, 0, 0, &modern, 1, "TLSv1.3", "", 0, 0, "", 0x1302,
	    "Set mail.smtp.ssl.protocols=TLSv1.3: Java 17 then negotiates" },
	{ P8u202, 0, 0, &modern, 1, "TLSv1.2", "", 0, 0, "", 0xC028, "" },
	{ P8u291, 0, 0, &tls13only, 1, "TLSv1.3", "", 0, 0, "", 0x1302, "" },
	{ P17, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0, &modern, 1,
	    "TLSv1.3", "", 1, 0, "", 0x1302, "remove mail.smtp.ssl.ciphersuites" },
	{ P17, 0, 1, &modern, 1, "TLSv1.3", "", 0, 0, "", 0x1302, "" },
	{ P8u202, 0, 0, &mixed, 1, "TLSv1", "", 0, 1, "", 0xC014,
	    "TLSv1 is not secure" },
	{ P8u291, 0, 0, &tls10, 1, "TLSv1", "", 0, 1, "TLSv1", 0xC014,
	    "LOWERS SECURITY" },
	{ P17, 0, 0, &rsaonly, 1, "TLSv1.2", "", 0, 0, "TLS_RSA_*", 0x009D,
	    "$JAVA_HOME/conf/security/java.security" },
	{ P17, 0, 0, &des3only, 1, "TLSv1.2", "", 0, 0, "3DES_EDE_CBC",
	    0x000A, "-Djava.security.properties=FILE" },
	{ P8u202, 0, 0, &tls13only, 0, "", "", 0, 0, "", 0,
	    "does not implement TLS 1.3" },
	{ P17, 0, 0, &camonly, 0, "", "", 0, 0, "", 0, "not implemented" },
	{ P17, 0, 0, &unknown, 1, "TLSv1.2", "", 0, 0, "", 0, "not checked" },
};

static void
test_recommend(void)
{
	struct javaprof_advice *a = malloc(sizeof(*a));
	struct javaprof_client cl;
	const struct rcase *c;
	size_t i;
	int ok;

	for (i = 0; a != NULL && i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		c = &rcases[i];
		cl.protocols = NULL;
		cl.ciphersuites = c->ciphersuites;
		cl.old_javamail = c->old_javamail;
		CHECK_INT(javaprof_recommend(prof[c->prof], &cl, c->server, a,
		    NULL), SW_OK);
		ok = a->works == c->works && strcmp(a->protocols,
		    c->protocols) == 0 && strcmp(a->ciphersuites,
		    c->set_ciphers) == 0 && a->remove_ciphersuites ==
		    c->remove && a->insecure == c->insecure &&
		    strcmp(a->security_removed, c->removed) == 0 &&
		    a->suite == c->suite && strstr(a->message, c->message);
		if (!ok)
			printf("# advice %zu: works %d [%s] [%s] rm %d ins %d "
			    "[%s] %04X\n#   %s\n", i, a->works, a->protocols,
			    a->ciphersuites, a->remove_ciphersuites,
			    a->insecure, a->security_removed, a->suite,
			    a->message);
		CHECK(ok);
	}
	/* The exact edit for 17 and a static-RSA server. */
	cl.ciphersuites = NULL;
	cl.old_javamail = 0;
	javaprof_recommend(prof[P17], &cl, &rsaonly, a, NULL);
	CHECK_STR(a->security_key, "jdk.tls.disabledAlgorithms");
	CHECK_STR(a->security_value, "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, "
	    "DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, "
	    "3DES_EDE_CBC, anon, NULL, ECDH, rsa_pkcs1_sha1 usage "
	    "HandshakeSignature, ecdsa_sha1 usage HandshakeSignature, "
	    "dsa_sha1 usage HandshakeSignature");
	free(a);
}

/* ---- java.security files ---- */

/* Applies a java.security file (replace) or an override (merge). */
static void
apply(struct javaprof *p, const char *file, int replace)
{
	struct javasec *sec = NULL;
	struct sw_error err = { 0 };

	if (p == NULL || javasec_load_file(file, &sec, &err) != SW_OK ||
	    javaprof_apply_security(p, sec, replace, &err) != SW_OK)
		printf("# %s: %s\n", file, sw_error_text(&err));
	CHECK(err.code == SW_OK);
	javasec_free(sec);
}

static struct javaprof *
with_file(const char *name, const char *file, int replace)
{
	struct javaprof *p = NULL;

	CHECK_INT(javaprof_load(reg, name, &p, NULL), SW_OK);
	apply(p, file, replace);
	return p;
}

/* Named group ids as "29 23 ..." into buf. */
static void
groups_text(const struct javaprof *p, char *buf, size_t cap)
{
	uint16_t g[JAVAPROF_GROUPS_MAX];
	size_t i, n = javaprof_groups(p, g, JAVAPROF_GROUPS_MAX), len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && i < JAVAPROF_GROUPS_MAX && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%u",
		    i ? " " : "", g[i]);
}

static void
test_groups(void)
{
	struct javaprof *p;
	char got[256];

	/* SunJSSE's default order (NamedGroup, JDK 11+); 8u202's has the
	 * sect* curves and no X25519. */
	groups_text(prof[P17], got, sizeof(got));
	CHECK_STR(got, "29 23 24 25 30 256 257 258 259 260");
	groups_text(prof[P8u202], got, sizeof(got));
	CHECK(strncmp(got, "23 24 25 9 ", 11) == 0 &&
	    strstr(got, "29") == NULL);
	CHECK_STR(javaprof_group_name(29), "x25519");
	CHECK(javaprof_group_name(31) == NULL);
	/* Disabled by name (the JDK ignores case) and through
	 * jdk.disabled.namedCurves: left out. */
	p = with_file("17", DATA "override-groups.security", 0);
	groups_text(p, got, sizeof(got));
	CHECK_STR(got, "23 25 30 256 257 258 259 260");
	javaprof_free(p);
}

/* The smallest DHE group taken: jdk.tls.disabledAlgorithms' DH sizes. */
static void
test_dh_min(void)
{
	struct javaprof *p;

	CHECK_INT(javaprof_dh_min(prof[P17]), 1024);
	p = with_file("17", DATA "override-dh.security", 0);
	CHECK_INT(javaprof_dh_min(p), 2048);
	javaprof_free(p);
	p = with_file("17", DATA "override-groups.security", 0);
	CHECK_INT(javaprof_dh_min(p), 0);
	javaprof_free(p);
}

static void
test_security_files(void)
{
	struct javaprof_result *r = malloc(sizeof(*r));
	struct javaprof_advice *a = malloc(sizeof(*a));
	struct javaprof *p;
	char got[2048], jdk[2048];

	/* 17 with this machine's real 17.0.15 file: what that JDK does. */
	p = with_file("17", DATA "java.security-17.0.15", 1);
	offer_hex(p, NULL, got, sizeof(got));
	jdk_defaults(DATA "defaults-jdk17.txt", jdk, sizeof(jdk));
	CHECK_STR(got, jdk);
	offer_versions(p, got, sizeof(got));
	jdk_protocols(DATA "defaults-jdk17.txt", jdk, sizeof(jdk));
	CHECK_STR(got, jdk);
	CHECK_STR(javaprof_source(p), DATA "java.security-17.0.15");
	javaprof_negotiate(p, NULL, &rsaonly, r, NULL);
	CHECK(r->verdict == JAVAPROF_OK && r->suite == 0x009D);
	CHECK(javaprof_suite_disabled_by(p, 0x009C) == NULL);
	javaprof_free(p);

	/* ... plus a 17.0.18 override (one '='): static RSA is gone, the
	 * other keys stay as the file has them. */
	p = with_file("17", DATA "java.security-17.0.15", 1);
	apply(p, DATA "override-17.0.18.security", 0);
	CHECK_STR(javaprof_suite_disabled_by(p, 0x009C), "TLS_RSA_*");
	CHECK_STR(javaprof_property(p, JAVASEC_LEGACY), "NULL, anon, RC4, "
	    "DES, 3DES_EDE_CBC");
	CHECK_STR(javaprof_source(p), DATA "override-17.0.18.security");
	javaprof_free(p);

	/* The real 25.0.3 file has TLS_RSA_* at line 758: the message
	 * says where. */
	p = with_file("21", DATA "java.security-25.0.3", 1);
	javaprof_negotiate(p, NULL, &rsaonly, r, NULL);
	CHECK(r->verdict == JAVAPROF_NO_SUITE && strstr(r->message,
	    "disabled by \"TLS_RSA_*\" in jdk.tls.disabledAlgorithms "
	    "(" DATA "java.security-25.0.3, line 758)") != NULL);
	javaprof_free(p);

	/* TLS 1.0 re-enabled, as JDK 17.0.15 itself enables it. */
	p = with_file("17", DATA "java.security-17-tls10", 1);
	offer_versions(p, got, sizeof(got));
	jdk_protocols(DATA "defaults-jdk17-tls10.txt", jdk, sizeof(jdk));
	CHECK_STR(got, jdk);
	offer_hex(p, NULL, got, sizeof(got));
	jdk_defaults(DATA "defaults-jdk17-tls10.txt", jdk, sizeof(jdk));
	CHECK_STR(got, jdk);
	javaprof_free(p);

	/* TLS 1.0 re-enabled: 8u291 reaches the old server. */
	p = with_file("8u291", DATA "java.security-17-tls10", 1);
	javaprof_negotiate(p, NULL, &tls10, r, NULL);
	CHECK(r->verdict == JAVAPROF_OK && r->version == SUITE_TLS10);
	CHECK(strcmp(javaprof_property(p, JAVASEC_CURVES), "") == 0);
	javaprof_free(p);

	/* anon allowed again: only mail.smtp.ssl.ciphersuites is missing. */
	p = with_file("17", DATA "override-anon.security", 0);
	javaprof_recommend(p, NULL, &anononly, a, NULL);
	CHECK(a->works && a->security_key[0] == '\0');
	CHECK_STR(a->ciphersuites, "TLS_DH_anon_WITH_AES_128_GCM_SHA256");
	CHECK_STR(a->protocols, "TLSv1.2");
	javaprof_free(p);
	free(r);
	free(a);
}

static void
check_cert(int prof_i, const char *key, unsigned bits, const char *sig,
    int jdkca, const char *want)
{
	char why[200];
	int ok;

	ok = javaprof_certpath_check(prof[prof_i], key, bits, sig, jdkca, why,
	    sizeof(why));
	CHECK(want == NULL ? ok == 1 && why[0] == '\0' : ok == 0 &&
	    strcmp(why, want) == 0);
	if (want != NULL && strcmp(why, want) != 0)
		printf("# got \"%s\"\n", why);
}

/*
 * Java's limit on a server's chain: which versions enforce it, which
 * property sets it there, and the -D values that change it.
 */
static void
test_chain_limit(void)
{
	static const struct {
		const char	*profile;
		int		 major, update;
		const char	*global, *client;
		int		 limited, max;
		const char	*property;
	} t[] = {
		{ "8u202", 0, 0, NULL, NULL, 0, 0, NULL },
		{ "8u291", 0, 0, NULL, NULL, 1, 10,
		  "jdk.tls.maxCertificateChainLength" },
		{ "17", 0, 0, NULL, NULL, 1, 10,
		  "jdk.tls.maxCertificateChainLength" },
		{ "21", 0, 0, NULL, NULL, 1, 10,
		  "jdk.tls.maxCertificateChainLength" },
		{ "8u291", 8, 252, NULL, NULL, 0, 0, NULL },	/* the runtime */
		{ "8u291", 8, 261, NULL, NULL, 1, 10,
		  "jdk.tls.maxCertificateChainLength" },
		{ "11", 11, 7, NULL, NULL, 0, 0, NULL },
		{ "11", 11, 8, "20", NULL, 1, 20,
		  "jdk.tls.maxCertificateChainLength" },
		{ "17", 17, 15, "x", "30", 1, 10,	/* client: not before 22 */
		  "jdk.tls.maxCertificateChainLength" },
		{ "21", 25, 3, NULL, NULL, 1, 10,
		  "jdk.tls.client.maxInboundCertificateChainLength" },
		{ "21", 22, 0, "12", NULL, 1, 12,
		  "jdk.tls.maxCertificateChainLength" },
		{ "21", 22, 0, "12", "14", 1, 14,
		  "jdk.tls.client.maxInboundCertificateChainLength" },
		{ "21", 22, 0, "-1", "", 1, 10,
		  "jdk.tls.client.maxInboundCertificateChainLength" },
	};
	struct certpath_chain_limit lim;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		certpath_chain_limit(t[i].profile, t[i].major, t[i].update,
		    t[i].global, t[i].client, &lim);
		CHECK_INT(lim.limited, t[i].limited);
		if (!t[i].limited)
			continue;
		CHECK_INT(lim.max, t[i].max);
		CHECK_STR(lim.property, t[i].property);
	}
}

static void
test_certpath(void)
{
	check_cert(P17, "RSA", 2048, "SHA256withRSA", 1, NULL);
	check_cert(P17, "RSA", 1024, "SHA256withRSA", 1, NULL);
	check_cert(P17, "RSA", 512, "SHA256withRSA", 0,
	    "jdk.certpath.disabledAlgorithms: RSA keySize < 1024");
	check_cert(P17, "RSA", 2048, "SHA1withRSA", 1,
	    "jdk.certpath.disabledAlgorithms: SHA1 jdkCA & usage TLSServer");
	check_cert(P17, "RSA", 2048, "SHA1withRSA", 0, NULL);
	check_cert(P17, "RSA", 2048, "MD5withRSA", 0,
	    "jdk.certpath.disabledAlgorithms: MD5");
	check_cert(P17, "EC", 256, "SHA256withECDSA", 1, NULL);
	check_cert(P17, "EC", 192, "SHA256withECDSA", 1,
	    "jdk.certpath.disabledAlgorithms: EC keySize < 224");
	check_cert(P17, "DSA", 512, NULL, 0,
	    "jdk.certpath.disabledAlgorithms: DSA keySize < 1024");
	check_cert(P8u202, "RSA", 2048, "SHA1withRSA", 1,
	    "jdk.certpath.disabledAlgorithms: SHA1 jdkCA & usage TLSServer");
	check_cert(P8u202, "RSA", 2048, "MD2withRSA", 0,
	    "jdk.certpath.disabledAlgorithms: MD2");
}

static void
test_misc(void)
{
	struct javaprof *p = NULL;
	struct sw_error err = { 0 };
	uint16_t g[16];
	size_t n;
	const char *bad = "profile.name=x\nprofile.title=x\nprofile.jsse=tls13"
	    "\nprofile.wildcards=true\nprofile.securityFile=x\n"
	    "profile.protocols.known=TLSv1.2\nprofile.protocols.client=TLSv1.2\n"
	    "profile.suites.default=TLS_NOPE\nprofile.suites.supported=\n"
	    "profile.groups=x25519\n";

	n = javaprof_groups(prof[P17], g, 16);
	CHECK(n == 10 && g[0] == 29 && g[1] == 23 && g[4] == 30 &&
	    g[9] == 260);
	CHECK_INT(javaprof_groups(prof[P8u202], g, 16), 10);
	CHECK_INT(javaprof_load(reg, "9", &p, &err), SW_EUSAGE);
	CHECK(strstr(err.msg, "8u202, 8u291, 11, 17, 21") != NULL);
	sw_error_clear(&err);
	CHECK_INT(javaprof_parse(reg, bad, strlen(bad), "bad.profile", &p,
	    &err), SW_EASSET);
	CHECK_STR(err.msg, "bad.profile: unknown name in "
	    "profile.suites.default: TLS_NOPE");
	CHECK_STR(javaprof_security_file(prof[P8u291]),
	    "jre/lib/security/java.security");
	CHECK(javaprof_legacy_jsse(prof[P8u202]) &&
	    !javaprof_legacy_jsse(prof[P8u291]));
	CHECK_STR(javaprof_verdict_name(JAVAPROF_NO_SUITE), "no-suite");
	CHECK_STR(javaprof_why_name(JAVAPROF_WHY_UNKNOWN), "not-implemented");
}

int
main(void)
{
	struct sw_error err = { 0 };
	const char *const *names;
	size_t n, i;

	setenv("SMTPWIZ_ASSETS", "assets", 0);
	if (suites_load(&reg, &err) != SW_OK) {
		printf("# %s\n", sw_error_text(&err));
		CHECK(0);
		return tap_done();
	}
	names = javaprof_names(&n);
	CHECK_INT(n, 5);
	for (i = 0; i < 5; i++) {
		sw_error_clear(&err);
		if (javaprof_load(reg, names[i], &prof[i], &err) != SW_OK) {
			printf("# %s\n", sw_error_text(&err));
			CHECK(0);
			return tap_done();
		}
		CHECK_STR(javaprof_name(prof[i]), names[i]);
	}
	test_defaults();
	test_versions();
	test_negotiate();
	test_recommend();
	test_security_files();
	test_groups();
	test_dh_min();
	test_certpath();
	test_chain_limit();
	test_misc();
	for (i = 0; i < 5; i++)
		javaprof_free(prof[i]);
	suites_free(reg);
	return tap_done();
}
