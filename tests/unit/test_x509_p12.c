/*
 * The PKCS#12 trust-store reader against keytool's files in every
 * certificate protection Java has written (tests/data/jks, see
 * make-fixtures.sh): PBES2 AES-256 (Java 17's default), 3DES, RC2-40
 * (old Java), none (password-less, JDK 18+ cacerts style); a key entry;
 * OpenSSL's file without Java's trusted-usage attribute; wrong and
 * missing passwords; every truncation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509.h"
#include "x509_p12.h"
#include "tap.h"

#define FIXTURES	"tests/data/jks/"
#define FP_CA	"19:AC:BC:33:9D:EE:1F:34:91:58:23:15:8E:2F:62:72:23:A7:49:CC:" \
		"2F:CA:9E:C1:4C:93:F6:0F:D2:13:17:54"
#define FP_TWO	"4D:33:82:1A:9E:82:97:C0:60:57:8C:58:91:66:5F:68:9A:19:2F:8D:" \
		"0B:57:2A:A1:7B:1F:C0:EB:AC:95:63:21"

struct got {
	size_t	n;
	char	alias[8][64];
	char	fp[8][96];
	int	key_entry[8];
};

static enum sw_err
collect(void *arg, const char *alias, const unsigned char *der, size_t len,
    int key_entry)
{
	struct got *g = arg;
	unsigned char fp[32];

	if (g->n >= 8)
		return SW_OK;
	snprintf(g->alias[g->n], sizeof(g->alias[0]), "%s", alias);
	if (x509_sha256(der, len, fp, NULL) == SW_OK)
		x509_fingerprint_text(fp, g->fp[g->n]);
	g->key_entry[g->n] = key_entry;
	g->n++;
	return SW_OK;
}

static unsigned char *
slurp(const char *name, size_t *len)
{
	char path[256];
	unsigned char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int
has_fp(const struct got *g, const char *fp, const char *alias)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->fp[i], fp) == 0 &&
		    strcmp(g->alias[i], alias) == 0 && !g->key_entry[i])
			return 1;
	return 0;
}

/* One protected store: read right, wrong password, no password. */
static void
protected_store(const char *name, const char *protection, const char *mac)
{
	struct keystore_info info;
	struct sw_error e = { 0 };
	struct got g = { 0 };
	unsigned char *data;
	size_t len;

	printf("# %s\n", name);
	if ((data = slurp(name, &len)) == NULL) {
		CHECK(!"fixture missing");
		return;
	}
	CHECK(x509_p12_sniff(data, len));
	CHECK_INT(x509_p12_read(data, len, "changeit", collect, &g, &info,
	    &e), SW_OK);
	if (e.msg[0])
		printf("#   %s\n", e.msg);
	CHECK_STR(info.format, "PKCS12");
	CHECK_STR(info.protection, protection);
	CHECK_STR(info.mac, mac);
	CHECK_INT(info.integrity, KS_INTEGRITY_OK);
	CHECK(g.n >= 1);
	CHECK(has_fp(&g, FP_CA, "fixture-ca"));

	memset(&g, 0, sizeof(g));
	sw_error_clear(&e);
	CHECK_INT(x509_p12_read(data, len, "wrong", collect, &g, &info, &e),
	    SW_EFILE);
	CHECK_INT(info.integrity, KS_INTEGRITY_BAD);
	CHECK(strstr(e.msg, "password is wrong") != NULL);
	CHECK_INT(g.n, 0);

	memset(&g, 0, sizeof(g));
	sw_error_clear(&e);
	CHECK_INT(x509_p12_read(data, len, NULL, collect, &g, &info, &e),
	    SW_EFILE);
	CHECK(strstr(e.msg, "encrypted") != NULL);
	free(data);
}

static void
test_stores(void)
{
	struct keystore_info info;
	struct sw_error e = { 0 };
	struct got g = { 0 };
	unsigned char *data;
	size_t len, i;
	int key = 0;

	protected_store("trust-aes.p12", "PBES2 PBKDF2-HmacSHA256 AES-256-CBC",
	    "HmacPBESHA256");
	protected_store("trust-3des.p12", "PBEWithSHA1AndDESede",
	    "HmacPBESHA1");
	protected_store("trust-rc2.p12", "PBEWithSHA1AndRC2_40",
	    "HmacPBESHA1");

	if ((data = slurp("trust-aes.p12", &len)) != NULL) {
		CHECK_INT(x509_p12_read(data, len, "changeit", collect, &g,
		    &info, &e), SW_OK);
		CHECK_INT(g.n, 2);
		CHECK(has_fp(&g, FP_TWO, "fixture-two"));
		free(data);
	}

	/* Password-less: readable with any password or none. */
	if ((data = slurp("trust-nopass.p12", &len)) != NULL) {
		memset(&g, 0, sizeof(g));
		CHECK_INT(x509_p12_read(data, len, NULL, collect, &g, &info,
		    &e), SW_OK);
		CHECK_INT(info.integrity, KS_INTEGRITY_NONE);
		CHECK_STR(info.protection, "none");
		CHECK_INT(g.n, 1);
		CHECK(has_fp(&g, FP_CA, "fixture-ca"));
		memset(&g, 0, sizeof(g));
		CHECK_INT(x509_p12_read(data, len, "changeit", collect, &g,
		    &info, &e), SW_OK);
		CHECK_INT(g.n, 1);
		free(data);
	}

	/* A key entry: its certificate counts, marked as a key entry. */
	if ((data = slurp("keyentry.p12", &len)) != NULL) {
		memset(&g, 0, sizeof(g));
		CHECK_INT(x509_p12_read(data, len, "changeit", collect, &g,
		    &info, &e), SW_OK);
		CHECK_INT(info.nkeys, 1);
		CHECK_INT(g.n, 2);
		CHECK(has_fp(&g, FP_CA, "fixture-ca"));
		for (i = 0; i < g.n; i++)
			key += g.key_entry[i] &&
			    strcmp(g.alias[i], "server") == 0;
		CHECK_INT(key, 1);
		free(data);
	}

	/* OpenSSL's truststore: Java ignores its certificate. */
	if ((data = slurp("openssl.p12", &len)) != NULL) {
		memset(&g, 0, sizeof(g));
		CHECK_INT(x509_p12_read(data, len, "changeit", collect, &g,
		    &info, &e), SW_OK);
		CHECK_INT(g.n, 0);
		CHECK_INT(info.nignored, 1);
		free(data);
	}

	/* Not PKCS12. */
	memset(&g, 0, sizeof(g));
	sw_error_clear(&e);
	CHECK(!x509_p12_sniff((const unsigned char *)"\xfe\xed\xfe\xed", 4));
	CHECK_INT(x509_p12_read((const unsigned char *)"\x30\x03\x02\x01\x02",
	    5, "changeit", collect, &g, &info, &e), SW_EFILE);
	CHECK(strstr(e.msg, "version 2 is unknown") != NULL);
}

static void
test_truncated(const char *name)
{
	struct keystore_info info;
	unsigned char *data, *copy;
	size_t len, cut, clean = 0;

	if ((data = slurp(name, &len)) == NULL) {
		CHECK(!"fixture missing");
		return;
	}
	for (cut = 0; cut < len; cut++) {
		struct sw_error e = { 0 };
		struct got g = { 0 };
		enum sw_err rc;

		copy = malloc(cut ? cut : 1);
		memcpy(copy, data, cut);
		rc = x509_p12_read(copy, cut, "changeit", collect, &g, &info,
		    &e);
		clean += rc == SW_EFILE && e.msg[0] != '\0';
		free(copy);
	}
	printf("# %s: %zu of %zu truncations rejected cleanly\n", name, clean,
	    len);
	CHECK_INT(clean, len);
	free(data);
}

/*
 * A flipped byte: an error or (in bytes nothing reads) success.  Every
 * stride-th byte: each read of a protected store costs two 10000-round
 * key derivations.
 */
static void
test_flipped(const char *name, size_t stride)
{
	struct keystore_info info;
	unsigned char *data;
	size_t len, i, sane = 0;

	if ((data = slurp(name, &len)) == NULL) {
		CHECK(!"fixture missing");
		return;
	}
	for (i = 0; i < len; i += stride) {
		struct sw_error e = { 0 };
		struct got g = { 0 };
		enum sw_err rc;

		data[i] ^= 0x55;
		rc = x509_p12_read(data, len, "changeit", collect, &g, &info,
		    &e);
		sane += (rc == SW_EFILE && e.msg[0] != '\0') ||
		    (rc == SW_OK && g.n <= 2);
		data[i] ^= 0x55;
	}
	CHECK_INT(sane, (len + stride - 1) / stride);
	free(data);
}

int
main(void)
{
	test_stores();
	test_truncated("trust-aes.p12");
	test_truncated("trust-nopass.p12");
	test_truncated("trust-rc2.p12");
	test_flipped("trust-aes.p12", 7);
	test_flipped("trust-nopass.p12", 1);
	return tap_done();
}
