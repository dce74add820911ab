/*
 * The JKS/JCEKS reader: keystores made by keytool (tests/data/jks,
 * see make-fixtures.sh there), keystores built here byte by byte (version
 * 1, absurd lengths, unknown tags), a wrong password, and every
 * truncation of a good file -- each must end in a clean error, never a
 * crash or a read past the end (run under ASan by `make asan-test`).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jks.h"
#include "x509.h"
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

/* ---- keytool's files --------------------------------------------------- */

static void
test_trust_jks(void)
{
	struct keystore_info info;
	struct sw_error e = { 0 };
	struct got g = { 0 };
	unsigned char *data;
	size_t len;

	data = slurp("trust.jks", &len);
	CHECK(data != NULL);
	if (data == NULL)
		return;
	CHECK(jks_sniff(data, len));
	CHECK_INT(jks_read(data, len, "changeit", collect, &g, &info, &e),
	    SW_OK);
	CHECK_STR(info.format, "JKS");
	CHECK_INT(info.version, 2);
	CHECK_INT(info.nentries, 2);
	CHECK_INT(info.ncerts, 2);
	CHECK_INT(info.integrity, KS_INTEGRITY_OK);
	CHECK_INT(g.n, 2);
	/* keytool keeps entries in a hash table: either order. */
	CHECK((strcmp(g.alias[0], "fixture-ca") == 0 &&
	    strcmp(g.fp[0], FP_CA) == 0 &&
	    strcmp(g.alias[1], "fixture-two") == 0 &&
	    strcmp(g.fp[1], FP_TWO) == 0) ||
	    (strcmp(g.alias[1], "fixture-ca") == 0 &&
	    strcmp(g.fp[1], FP_CA) == 0 &&
	    strcmp(g.alias[0], "fixture-two") == 0 &&
	    strcmp(g.fp[0], FP_TWO) == 0));
	CHECK(!g.key_entry[0] && !g.key_entry[1]);

	/* No password: read, not checked (Java's load(in, null)). */
	memset(&g, 0, sizeof(g));
	CHECK_INT(jks_read(data, len, NULL, collect, &g, &info, &e), SW_OK);
	CHECK_INT(info.integrity, KS_INTEGRITY_UNCHECKED);
	CHECK_INT(g.n, 2);

	/* Wrong password: the certificates, then an integrity error. */
	memset(&g, 0, sizeof(g));
	sw_error_clear(&e);
	CHECK_INT(jks_read(data, len, "changeme", collect, &g, &info, &e),
	    SW_EFILE);
	CHECK_INT(info.integrity, KS_INTEGRITY_BAD);
	CHECK(strstr(e.msg, "integrity check failed") != NULL);
	CHECK(strstr(e.msg, "password is wrong") != NULL);
	CHECK_INT(g.n, 2);

	/* One flipped bit in a certificate: the same error. */
	data[100] ^= 1;
	sw_error_clear(&e);
	CHECK_INT(jks_read(data, len, "changeit", collect, &g, &info, &e),
	    SW_EFILE);
	CHECK_INT(info.integrity, KS_INTEGRITY_BAD);
	free(data);
}

static void
test_key_entry(void)
{
	struct keystore_info info;
	struct sw_error e = { 0 };
	struct got g = { 0 };
	unsigned char *data;
	size_t len, i;
	int keys = 0, trusted = 0;

	if ((data = slurp("keyentry.jks", &len)) == NULL) {
		CHECK(!"keyentry.jks missing");
		return;
	}
	CHECK_INT(jks_read(data, len, "changeit", collect, &g, &info, &e),
	    SW_OK);
	CHECK_INT(info.nkeys, 1);
	CHECK_INT(info.nentries, 2);
	CHECK_INT(g.n, 2);
	for (i = 0; i < g.n; i++) {
		keys += g.key_entry[i] && strcmp(g.alias[i], "server") == 0;
		trusted += !g.key_entry[i] && strcmp(g.fp[i], FP_CA) == 0;
	}
	/* Java trusts a key entry's own certificate too. */
	CHECK_INT(keys, 1);
	CHECK_INT(trusted, 1);
	free(data);

	memset(&g, 0, sizeof(g));
	if ((data = slurp("trust.jceks", &len)) == NULL) {
		CHECK(!"trust.jceks missing");
		return;
	}
	CHECK(jks_sniff(data, len));
	CHECK_INT(jks_read(data, len, "changeit", collect, &g, &info, &e),
	    SW_OK);
	CHECK_STR(info.format, "JCEKS");
	CHECK_INT(info.integrity, KS_INTEGRITY_OK);
	CHECK_INT(g.n, 1);
	CHECK_STR(g.fp[0], FP_CA);
	free(data);
}

/* Every prefix of a good file is a clean error, never a crash. */
static void
test_truncated(void)
{
	struct keystore_info info;
	unsigned char *data, *copy;
	size_t len, cut, clean = 0;

	if ((data = slurp("keyentry.jks", &len)) == NULL) {
		CHECK(!"keyentry.jks missing");
		return;
	}
	for (cut = 0; cut < len; cut++) {
		struct sw_error e = { 0 };
		struct got g = { 0 };
		enum sw_err rc;

		/* An exact-size copy, so ASan sees any over-read. */
		copy = malloc(cut ? cut : 1);
		memcpy(copy, data, cut);
		rc = jks_read(copy, cut, "changeit", collect, &g, &info, &e);
		clean += rc == SW_EFILE && e.msg[0] != '\0';
		free(copy);
	}
	CHECK_INT(clean, len);
	free(data);
}

/* ---- hand-made keystores ---------------------------------------------- */

struct buf {
	unsigned char	b[4096];
	size_t		n;
};

static void
put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void
put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { v >> 24, v >> 16, v >> 8, v };

	put(b, x, 4);
}

static void
put_utf(struct buf *b, const char *s)
{
	unsigned char x[2] = { strlen(s) >> 8, strlen(s) & 0xff };

	put(b, x, 2);
	put(b, s, strlen(s));
}

/* Appends the digest for password (ASCII only here). */
static void
seal(struct buf *b, const char *pw)
{
	unsigned char tmp[8192], d[20];
	size_t n = 0, i;

	for (i = 0; pw[i] != '\0'; i++) {
		tmp[n++] = 0;
		tmp[n++] = (unsigned char)pw[i];
	}
	memcpy(tmp + n, "Mighty Aphrodite", 16);
	n += 16;
	memcpy(tmp + n, b->b, b->n);
	n += b->n;
	x509_sha1(tmp, n, d, NULL);
	put(b, d, 20);
}

static const unsigned char fake_cert[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };

static void
header(struct buf *b, uint32_t version, uint32_t count)
{
	b->n = 0;
	put32(b, JKS_MAGIC);
	put32(b, version);
	put32(b, count);
}

static void
trusted_entry(struct buf *b, uint32_t version, const char *alias,
    uint32_t certlen)
{
	static const unsigned char date[8] = { 0 };

	put32(b, 2);
	put_utf(b, alias);
	put(b, date, 8);
	if (version == 2)
		put_utf(b, "X.509");
	put32(b, certlen);
	put(b, fake_cert, sizeof(fake_cert));
}

static enum sw_err
run(struct buf *b, const char *pw, struct got *g, struct keystore_info *info,
    struct sw_error *e)
{
	memset(g, 0, sizeof(*g));
	sw_error_clear(e);
	return jks_read(b->b, b->n, pw, collect, g, info, e);
}

static void
test_handmade(void)
{
	struct keystore_info info;
	struct sw_error e = { 0 };
	struct got g;
	struct buf b;

	/* Version 1: no certificate type strings. */
	header(&b, 1, 1);
	trusted_entry(&b, 1, "v1", sizeof(fake_cert));
	seal(&b, "changeit");
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_OK);
	CHECK_INT(info.version, 1);
	CHECK_INT(g.n, 1);
	CHECK_STR(g.alias[0], "v1");

	/* An empty keystore is fine. */
	header(&b, 2, 0);
	seal(&b, "s3cret");
	CHECK_INT(run(&b, "s3cret", &g, &info, &e), SW_OK);
	CHECK_INT(info.integrity, KS_INTEGRITY_OK);
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_EFILE);
	CHECK_INT(info.integrity, KS_INTEGRITY_BAD);

	/* Absurd numbers. */
	header(&b, 2, 0x7fffffff);
	seal(&b, "changeit");
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_EFILE);
	CHECK(strstr(e.msg, "claims 2147483647 entries") != NULL);

	header(&b, 2, 1);
	trusted_entry(&b, 2, "huge", 0xffffffffu);
	seal(&b, "changeit");
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_EFILE);
	CHECK(strstr(e.msg, "needs 4294967295 bytes") != NULL);
	CHECK_INT(g.n, 0);

	header(&b, 2, 1);
	put32(&b, 1);			/* a key entry ... */
	put_utf(&b, "key");
	put(&b, "\0\0\0\0\0\0\0\0", 8);
	put32(&b, 3);
	put(&b, "abc", 3);
	put32(&b, 1000000);		/* ... with a million certificates */
	seal(&b, "changeit");
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_EFILE);
	CHECK(strstr(e.msg, "a chain of 1000000 certificates") != NULL);

	header(&b, 3, 0);
	seal(&b, "changeit");
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_EFILE);
	CHECK(strstr(e.msg, "version 3 is unknown") != NULL);

	header(&b, 2, 1);
	put32(&b, 7);
	put_utf(&b, "odd");
	put(&b, "\0\0\0\0\0\0\0\0", 8);
	seal(&b, "changeit");
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_EFILE);
	CHECK(strstr(e.msg, "unknown tag 7") != NULL);

	/* A JCEKS secret key cannot be skipped: said so. */
	b.n = 0;
	put32(&b, JCEKS_MAGIC);
	put32(&b, 2);
	put32(&b, 1);
	put32(&b, 3);
	put_utf(&b, "secret");
	put(&b, "\0\0\0\0\0\0\0\0", 8);
	put(&b, "\xac\xed\x00\x05", 4);	/* Java serialisation */
	seal(&b, "changeit");
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_EFILE);
	CHECK(strstr(e.msg, "secret key") != NULL);

	/* Not a keystore at all. */
	b.n = 0;
	put(&b, "-----BEGIN CERTIFICATE-----\n", 28);
	CHECK(!jks_sniff(b.b, b.n));
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_EFILE);
	CHECK(strstr(e.msg, "not a JKS keystore") != NULL);

	/* A modified-UTF-8 NUL in an alias stays visible. */
	header(&b, 2, 1);
	trusted_entry(&b, 2, "a\xc0\x80z", sizeof(fake_cert));
	seal(&b, "changeit");
	CHECK_INT(run(&b, "changeit", &g, &info, &e), SW_OK);
	CHECK_STR(g.alias[0], "a?z");

	/* The password is hashed as UTF-16: a non-ASCII one. */
	{
		unsigned char tmp[256], d[20];
		size_t n = 0;

		header(&b, 2, 0);
		tmp[n++] = 0x00;	/* "é" = U+00E9 */
		tmp[n++] = 0xe9;
		tmp[n++] = 0xd8;	/* U+1F600: a surrogate pair */
		tmp[n++] = 0x3d;
		tmp[n++] = 0xde;
		tmp[n++] = 0x00;
		memcpy(tmp + n, "Mighty Aphrodite", 16);
		n += 16;
		memcpy(tmp + n, b.b, b.n);
		n += b.n;
		x509_sha1(tmp, n, d, NULL);
		put(&b, d, 20);
		CHECK_INT(run(&b, "\xc3\xa9\xf0\x9f\x98\x80", &g, &info, &e),
		    SW_OK);
		CHECK_INT(info.integrity, KS_INTEGRITY_OK);
		CHECK_INT(run(&b, "\xff", &g, &info, &e), SW_EUSAGE);
	}
}

int
main(void)
{
	test_trust_jks();
	test_key_entry();
	test_truncated();
	test_handmade();
	return tap_done();
}
