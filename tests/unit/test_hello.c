/*
 * Unit tests of hello_build.c and hello_parse.c.  The builder's output is taken apart by an
 * independent ClientHello walker written here from RFC 5246 §7.4.1.2
 * and RFC 8446 §4.1.2, so that a bug in the builder cannot hide behind a
 * matching bug in its own reader.  The parser is fed hand-written
 * server answers, the same answers cut into records at every place,
 * every prefix of each, broken variants (lying lengths), and real
 * answers of OpenSSL 3.0 captured once (tests/data/hello/README.md).
 * Finally a deterministic mutation loop throws damaged copies of all
 * samples at the parser: under `make asan-test` that is a small fuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "tap.h"

static struct hello_reply rep;		/* 64 KiB: not on the stack */

/* ---- a ClientHello walker, independent of hello_build.c ---- */

#define CH_EXT_MAX	64
#define CH_SUITES_MAX	9000

struct ch_ext {
	unsigned		 type;
	const unsigned char	*data;
	size_t			 len;
};

struct ch {
	unsigned	 rec_type, rec_version, client_version;
	size_t		 rec_len, hs_len;
	const unsigned char *random;
	size_t		 sid_len;
	uint16_t	 suites[CH_SUITES_MAX];
	size_t		 nsuites;
	unsigned	 ncomp, comp0;
	int		 has_ext_block;
	struct ch_ext	 ext[CH_EXT_MAX];
	size_t		 next;
};

static struct ch ch;

static unsigned
rd16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static size_t
rd24(const unsigned char *p)
{
	return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
}

/* 1 when b[0..n) is exactly one record holding exactly one ClientHello
 * whose every length adds up. */
static int
ch_walk(const unsigned char *b, size_t n, struct ch *c)
{
	size_t off, end, l, i;

	memset(c, 0, sizeof(*c));
	if (n < 5 + 4)
		return 0;
	c->rec_type = b[0];
	c->rec_version = rd16(b + 1);
	c->rec_len = rd16(b + 3);
	if (c->rec_len != n - 5 || b[5] != 1)
		return 0;
	c->hs_len = rd24(b + 6);
	if (c->hs_len != c->rec_len - 4)
		return 0;
	off = 9;
	end = n;
	if (end - off < 2 + 32 + 1)
		return 0;
	c->client_version = rd16(b + off);
	c->random = b + off + 2;
	c->sid_len = b[off + 34];
	off += 35;
	if (c->sid_len > 32 || end - off < c->sid_len + 2)
		return 0;
	off += c->sid_len;
	l = rd16(b + off);
	off += 2;
	if (l % 2 != 0 || l / 2 > CH_SUITES_MAX || end - off < l + 1)
		return 0;
	for (i = 0; i < l / 2; i++)
		c->suites[c->nsuites++] = (uint16_t)rd16(b + off + 2 * i);
	off += l;
	c->ncomp = b[off++];
	if (c->ncomp == 0 || end - off < c->ncomp)
		return 0;
	c->comp0 = b[off];
	off += c->ncomp;
	if (off == end)
		return 1;
	if (end - off < 2 || rd16(b + off) != end - off - 2)
		return 0;
	c->has_ext_block = 1;
	off += 2;
	while (off < end) {
		if (end - off < 4 || c->next == CH_EXT_MAX)
			return 0;
		l = rd16(b + off + 2);
		if (end - off - 4 < l)
			return 0;
		c->ext[c->next].type = rd16(b + off);
		c->ext[c->next].data = b + off + 4;
		c->ext[c->next].len = l;
		c->next++;
		off += 4 + l;
	}
	return 1;
}

static const struct ch_ext *
ch_find(const struct ch *c, unsigned type)
{
	size_t i;

	for (i = 0; i < c->next; i++)
		if (c->ext[i].type == type)
			return &c->ext[i];
	return NULL;
}

static int
ch_count(const struct ch *c, unsigned type)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->next; i++)
		n += c->ext[i].type == type;
	return n;
}

/* The host name in server_name, copied into buf; NULL when absent. */
static const char *
ch_sni(const struct ch *c, char *buf, size_t cap)
{
	const struct ch_ext *e = ch_find(c, 0);
	size_t l;

	if (e == NULL || e->len < 5 || rd16(e->data) != e->len - 2 ||
	    e->data[2] != 0)
		return NULL;
	l = rd16(e->data + 3);
	if (l != e->len - 5 || l >= cap)
		return NULL;
	memcpy(buf, e->data + 5, l);
	buf[l] = '\0';
	return buf;
}

/* Groups of the key_share extension, in order; -1: malformed. */
static int
ch_key_shares(const struct ch *c, unsigned *groups, size_t *lens, int max)
{
	const struct ch_ext *e = ch_find(c, 51);
	size_t off = 2, l;
	int n = 0;

	if (e == NULL || e->len < 2 || rd16(e->data) != e->len - 2)
		return -1;
	while (off < e->len) {
		if (e->len - off < 4 || n == max)
			return -1;
		l = rd16(e->data + off + 2);
		if (e->len - off - 4 < l)
			return -1;
		groups[n] = rd16(e->data + off);
		lens[n] = l;
		n++;
		off += 4 + l;
	}
	return n;
}

/* ---- builder tests ---- */

static const uint16_t tls13_suites[] = { 0x1302, 0x1301, 0x1303, 0x1304,
	0x1305 };

struct build_case {
	const char	*name;
	uint16_t	 version;
	const char	*sni;
	unsigned	 rec_version, client_version;
	size_t		 sid_len;
	int		 ext_block;
	/* extensions that must be present (1) or absent (0), -1: any */
	int		 sni_ext, sv, ks, psk, sigalgs, groups, points, ems,
			 ticket, renego;
};

static const struct build_case build_cases[] = {
	{ "SSLv3",   HELLO_SSL3,  "mail.example.org", 0x0300, 0x0300, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "TLSv1",   HELLO_TLS10, "mail.example.org", 0x0301, 0x0301, 0, 1,
	  1, 0, 0, 0, 0, 1, 1, 1, 1, 1 },
	{ "TLSv1.1", HELLO_TLS11, "mail.example.org", 0x0301, 0x0302, 0, 1,
	  1, 0, 0, 0, 0, 1, 1, 1, 1, 1 },
	{ "TLSv1.2", HELLO_TLS12, "mail.example.org", 0x0301, 0x0303, 0, 1,
	  1, 0, 0, 0, 1, 1, 1, 1, 1, 1 },
	{ "TLSv1.3", HELLO_TLS13, "mail.example.org", 0x0301, 0x0303, 32, 1,
	  1, 1, 1, 1, 1, 1, 0, 0, 0, 0 },
	{ "TLSv1.2 IPv4", HELLO_TLS12, "192.0.2.25", 0x0301, 0x0303, 0, 1,
	  0, 0, 0, 0, 1, 1, 1, 1, 1, 1 },
	{ "TLSv1.3 IPv6", HELLO_TLS13, "2001:db8::25", 0x0301, 0x0303, 32, 1,
	  0, 1, 1, 1, 1, 1, 0, 0, 0, 0 },
	{ "TLSv1.2 [::1]", HELLO_TLS12, "[::1]", 0x0301, 0x0303, 0, 1,
	  0, 0, 0, 0, 1, 1, 1, 1, 1, 1 },
	{ "TLSv1 no SNI", HELLO_TLS10, NULL, 0x0301, 0x0301, 0, 1,
	  0, 0, 0, 0, 0, 1, 1, 1, 1, 1 },
	{ "TLSv1.3 empty SNI", HELLO_TLS13, "", 0x0301, 0x0303, 32, 1,
	  0, 1, 1, 1, 1, 1, 0, 0, 0, 0 },
};

static void
check_presence(const char *name, unsigned type, int want)
{
	char what[128];
	int n = ch_count(&ch, type);

	if (want < 0)
		return;
	snprintf(what, sizeof(what), "%s: extension %u %s", name, type,
	    want ? "present once" : "absent");
	tap_result(want ? n == 1 : n == 0, __FILE__, __LINE__, what);
}

static void
test_build_table(void)
{
	unsigned char buf[HELLO_BUILD_MAX];
	size_t i, j, len, hs_msg;
	struct hello_spec spec;
	struct sw_error err;
	char sni[300], what[128];

	for (i = 0; i < sizeof(build_cases) / sizeof(build_cases[0]); i++) {
		const struct build_case *t = &build_cases[i];

		hello_spec_default(&spec, t->version, t->sni);
		sw_error_clear(&err);
		CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, &err),
		    SW_OK);
		snprintf(what, sizeof(what), "%s: ClientHello walks cleanly",
		    t->name);
		tap_result(ch_walk(buf, len, &ch), __FILE__, __LINE__, what);
		CHECK_INT(ch.rec_type, 22);
		CHECK_INT(ch.rec_version, t->rec_version);
		CHECK_INT(ch.client_version, t->client_version);
		CHECK_INT(ch.sid_len, t->sid_len);
		CHECK_INT(ch.has_ext_block, t->ext_block);
		CHECK_INT(ch.ncomp, 1);
		CHECK_INT(ch.comp0, 0);
		/* The suites exactly as given; SSLv3 adds the SCSV. */
		CHECK_INT(ch.nsuites, spec.nsuites +
		    (t->version == HELLO_SSL3));
		for (j = 0; j < spec.nsuites && j < ch.nsuites; j++)
			if (ch.suites[j] != spec.suites[j])
				break;
		CHECK_INT(j, spec.nsuites);
		if (t->version == HELLO_SSL3)
			CHECK_INT(ch.suites[ch.nsuites - 1], 0x00ff);
		else
			for (j = 0; j < ch.nsuites; j++)
				CHECK(ch.suites[j] != 0x00ff);
		check_presence(t->name, 0, t->sni_ext);
		check_presence(t->name, 43, t->sv);
		check_presence(t->name, 51, t->ks);
		check_presence(t->name, 45, t->psk);
		check_presence(t->name, 13, t->sigalgs);
		check_presence(t->name, 10, t->groups);
		check_presence(t->name, 11, t->points);
		check_presence(t->name, 23, t->ems);
		check_presence(t->name, 35, t->ticket);
		check_presence(t->name, 0xff01, t->renego);
		/* No TLS_FALLBACK_SCSV ever (RFC 7507). */
		for (j = 0; j < ch.nsuites; j++)
			CHECK(ch.suites[j] != 0x5600);
		/* RFC 7685: never 256..511 bytes. */
		hs_msg = ch.hs_len + 4;
		CHECK(hs_msg < 256 || hs_msg >= 512);
		/* No duplicate extension (RFC 8446 §4.2). */
		for (j = 0; j < ch.next; j++)
			CHECK_INT(ch_count(&ch, ch.ext[j].type), 1);
		if (t->sni_ext == 1)
			CHECK_STR(ch_sni(&ch, sni, sizeof(sni)),
			    "mail.example.org");
		else
			CHECK(ch_sni(&ch, sni, sizeof(sni)) == NULL);
		/* The last extension is never empty (server bugs). */
		if (ch.next > 0)
			CHECK(ch.ext[ch.next - 1].len > 0);
	}
}

static void
test_build_tls13(void)
{
	unsigned char buf[HELLO_BUILD_MAX];
	const struct ch_ext *e;
	struct hello_spec spec;
	unsigned groups[8];
	size_t lens[8], len, i;
	int n, pss = 0, ecdsa = 0, ed25519 = 0;
	static const uint16_t only_448[] = { HELLO_GROUP_X448,
		HELLO_GROUP_SECP384R1 };
	static const uint16_t p256_first[] = { HELLO_GROUP_SECP256R1,
		HELLO_GROUP_X25519 };

	hello_spec_default(&spec, HELLO_TLS13, "mail.example.org");
	CHECK_INT(spec.nsuites, 5);
	for (i = 0; i < spec.nsuites && i < 5; i++)
		CHECK_INT(spec.suites[i], tls13_suites[i]);
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK(ch_walk(buf, len, &ch));
	/* supported_versions = [0x0304] only. */
	e = ch_find(&ch, 43);
	CHECK(e != NULL && e->len == 3 && e->data[0] == 2 &&
	    rd16(e->data + 1) == 0x0304);
	/* psk_key_exchange_modes = [psk_dhe_ke]. */
	e = ch_find(&ch, 45);
	CHECK(e != NULL && e->len == 2 && e->data[0] == 1 &&
	    e->data[1] == 1);
	/* key_share: x25519 (32 bytes) then secp256r1 (65, uncompressed). */
	n = ch_key_shares(&ch, groups, lens, 8);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(groups[0], 0x001d);
		CHECK_INT(lens[0], 32);
		CHECK_INT(groups[1], 0x0017);
		CHECK_INT(lens[1], 65);
	}
	/* Default groups begin with x25519, secp256r1, secp384r1. */
	e = ch_find(&ch, 10);
	CHECK(e != NULL && e->len >= 8 && rd16(e->data) == e->len - 2 &&
	    rd16(e->data + 2) == 0x001d && rd16(e->data + 4) == 0x0017 &&
	    rd16(e->data + 6) == 0x0018);
	/* signature_algorithms has rsa_pss_rsae_*, ecdsa_*, ed25519. */
	e = ch_find(&ch, 13);
	CHECK(e != NULL && e->len >= 2 && rd16(e->data) == e->len - 2);
	for (i = 2; e != NULL && i + 1 < e->len; i += 2) {
		unsigned s = rd16(e->data + i);

		pss += s >= 0x0804 && s <= 0x0806;
		ecdsa += s == 0x0403 || s == 0x0503 || s == 0x0603;
		ed25519 += s == 0x0807;
	}
	CHECK_INT(pss, 3);
	CHECK_INT(ecdsa, 3);
	CHECK_INT(ed25519, 1);

	/* Groups without x25519 or P-256: an empty client_shares. */
	spec.groups = only_448;
	spec.ngroups = 2;
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK(ch_walk(buf, len, &ch));
	CHECK_INT(ch_key_shares(&ch, groups, lens, 8), 0);
	/* Shares follow the order of the groups (RFC 8446 §4.2.8). */
	spec.groups = p256_first;
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK(ch_walk(buf, len, &ch));
	n = ch_key_shares(&ch, groups, lens, 8);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(groups[0], 0x0017);
		CHECK_INT(groups[1], 0x001d);
	}
}

static void
test_build_details(void)
{
	unsigned char buf[HELLO_BUILD_MAX], buf2[HELLO_BUILD_MAX];
	static uint16_t many[9000];
	static const uint16_t odd[] = { 0xc02f, 0x1301, 0x0a0a, 0x0000,
		0xffff, 0x00ff };
	static const uint16_t plain[] = { 0xc02f, 0x002f };
	struct hello_spec spec;
	struct sw_error err;
	size_t len, len2, i, hs_msg;
	char sni[300], longname[300];
	int inband = 0;

	/* Any suite list goes out as given, unknown values included; an
	 * explicit SCSV replaces the renegotiation_info extension. */
	hello_spec_default(&spec, HELLO_TLS12, "mx.example");
	spec.suites = odd;
	spec.nsuites = 6;
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK(ch_walk(buf, len, &ch));
	CHECK_INT(ch.nsuites, 6);
	for (i = 0; i < 6 && i < ch.nsuites; i++)
		CHECK_INT(ch.suites[i], odd[i]);
	CHECK(ch_find(&ch, 0xff01) == NULL);
	spec.suites = plain;
	spec.nsuites = 2;
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK(ch_walk(buf, len, &ch));
	CHECK(ch_find(&ch, 0xff01) != NULL);
	/* TLS suites in a TLS 1.0 hello: offered all the same. */
	spec.version = HELLO_TLS10;
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK(ch_walk(buf, len, &ch) && ch.nsuites == 2);
	CHECK(ch_find(&ch, 13) == NULL);	/* RFC 5246 §7.4.1.4.1 */

	/* The trailing dot of a FQDN is dropped (RFC 6066 §3). */
	hello_spec_default(&spec, HELLO_TLS12, "mail.example.org.");
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK(ch_walk(buf, len, &ch));
	CHECK_STR(ch_sni(&ch, sni, sizeof(sni)), "mail.example.org");

	/* Same spec, same bytes; zero random becomes a pattern; another
	 * random changes random, session id and the x25519 share. */
	hello_spec_default(&spec, HELLO_TLS13, "mail.example.org");
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK_INT(hello_build(&spec, buf2, sizeof(buf2), &len2, NULL), SW_OK);
	CHECK(len == len2 && memcmp(buf, buf2, len) == 0);
	CHECK(ch_walk(buf, len, &ch));
	for (i = 0; i < 32 && ch.random[i] == 0; i++)
		;
	CHECK(i < 32);
	spec.random[0] = 1;
	CHECK_INT(hello_build(&spec, buf2, sizeof(buf2), &len2, NULL), SW_OK);
	CHECK(len == len2);
	CHECK(memcmp(buf + 11, buf2 + 11, 32) != 0);
	CHECK(buf2[11] == 1);
	CHECK(memcmp(buf + 44, buf2 + 44, 32) != 0);	/* session id */

	/* The padding rule holds for every suite count (RFC 7685). */
	for (i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		many[i] = (uint16_t)(0x0100 + i);
	for (i = 1; i <= 200; i++) {
		static const uint16_t versions[] = { HELLO_SSL3, HELLO_TLS10,
			HELLO_TLS12, HELLO_TLS13 };
		size_t v;

		for (v = 0; v < 4; v++) {
			hello_spec_default(&spec, versions[v], "a.example");
			spec.suites = many;
			spec.nsuites = i;
			if (hello_build(&spec, buf, sizeof(buf), &len, NULL) !=
			    SW_OK || !ch_walk(buf, len, &ch))
				inband = -1000;
			hs_msg = ch.hs_len + 4;
			/* SSLv3 cannot pad: no extensions. */
			if (versions[v] != HELLO_SSL3 &&
			    hs_msg >= 256 && hs_msg < 512)
				inband++;
		}
	}
	CHECK_INT(inband, 0);

	/* Too small a buffer: SW_EUSAGE with the size needed. */
	hello_spec_default(&spec, HELLO_TLS12, "mail.example.org");
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	sw_error_clear(&err);
	CHECK_INT(hello_build(&spec, buf2, len - 1, &len2, &err), SW_EUSAGE);
	CHECK_INT(len2, 0);
	snprintf(sni, sizeof(sni), "ClientHello needs %zu bytes, the buffer "
	    "holds %zu", len, len - 1);
	CHECK_STR(err.msg, sni);
	memset(buf2, 0xee, sizeof(buf2));
	CHECK_INT(hello_build(&spec, buf2, len - 1, &len2, NULL), SW_EUSAGE);
	CHECK(buf2[len - 1] == 0xee);		/* nothing past cap */
	CHECK_INT(hello_build(&spec, buf2, len, &len2, NULL), SW_OK);
	CHECK(len2 == len && memcmp(buf, buf2, len) == 0);
	CHECK_INT(hello_build(&spec, NULL, 0, &len2, NULL), SW_EUSAGE);

	/* Bad specs. */
	hello_spec_default(&spec, 0x0200, "a.example");
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_EUSAGE);
	hello_spec_default(&spec, 0x0305, "a.example");
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_EUSAGE);
	hello_spec_default(&spec, HELLO_TLS12, "a.example");
	spec.nsuites = 0;
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_EUSAGE);
	hello_spec_default(&spec, HELLO_TLS12, "a.example");
	spec.suites = many;
	spec.nsuites = 9000;
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_EUSAGE);
	spec.nsuites = 8150;		/* fits the vector, not the record */
	sw_error_clear(&err);
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, &err), SW_EUSAGE);
	CHECK(strstr(err.msg, "one record") != NULL);
	memset(longname, 'a', 256);
	longname[256] = '\0';
	hello_spec_default(&spec, HELLO_TLS12, longname);
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_EUSAGE);
	longname[255] = '.';		/* 255 + trailing dot: fine */
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	hello_spec_default(&spec, HELLO_TLS12, "mail example.org");
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_EUSAGE);
	hello_spec_default(&spec, HELLO_TLS12, "m\xc3\xa4il.example");
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_EUSAGE);

	/* Our own ClientHello is not a server's answer. */
	hello_spec_default(&spec, HELLO_TLS12, "a.example");
	CHECK_INT(hello_build(&spec, buf, sizeof(buf), &len, NULL), SW_OK);
	CHECK_INT(hello_parse(buf, len, &rep), HELLO_MALFORMED);
}

/* ---- parser: hand-written answers ---- */

/* TLS 1.2 ServerHello: no session id, ECDHE-RSA-AES128-GCM-SHA256,
 * renegotiation_info, extended_master_secret, ec_point_formats. */
static const unsigned char sh12[] = {
	0x16, 0x03, 0x03, 0x00, 0x3b,
	0x02, 0x00, 0x00, 0x37,
	0x03, 0x03,
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	0x00,
	0xc0, 0x2f,
	0x00,
	0x00, 0x0f,
	0xff, 0x01, 0x00, 0x01, 0x00,
	0x00, 0x17, 0x00, 0x00,
	0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
};

/* TLS 1.3 ServerHello: echoed session id, TLS_AES_128_GCM_SHA256,
 * supported_versions 0x0304, key_share x25519. */
static const unsigned char sh13[] = {
	0x16, 0x03, 0x03, 0x00, 0x7a,
	0x02, 0x00, 0x00, 0x76,
	0x03, 0x03,
	0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
	0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
	0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
	0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
	0x20,
	0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
	0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
	0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
	0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
	0x13, 0x01,
	0x00,
	0x00, 0x2e,
	0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
	0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20,
	0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
	0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
	0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
	0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
	/* middlebox-compatibility ChangeCipherSpec, then encrypted data */
	0x14, 0x03, 0x03, 0x00, 0x01, 0x01,
	0x17, 0x03, 0x03, 0x00, 0x03, 0xaa, 0xbb, 0xcc,
};

/* HelloRetryRequest (RFC 8446 §4.1.4) asking for secp384r1. */
static const unsigned char hrr[] = {
	0x16, 0x03, 0x03, 0x00, 0x38,
	0x02, 0x00, 0x00, 0x34,
	0x03, 0x03,
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11,
	0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
	0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
	0x00,
	0x13, 0x02,
	0x00,
	0x00, 0x0c,
	0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
	0x00, 0x33, 0x00, 0x02, 0x00, 0x18,
};

static const unsigned char alert40[] = { 0x15, 0x03, 0x03, 0x00, 0x02,
	0x02, 0x28 };
static const unsigned char alert70[] = { 0x15, 0x03, 0x01, 0x00, 0x02,
	0x02, 0x46 };

/* Handshake messages for the multi-record cases. */
static const unsigned char cert_msg[] = {
	0x0b, 0x00, 0x00, 0x12,
	0x00, 0x00, 0x0f,
	0x00, 0x00, 0x05, 0x30, 0x03, 0x02, 0x01, 0x07,
	0x00, 0x00, 0x04, 0x30, 0x02, 0x05, 0x00,
};
static const unsigned char done_msg[] = { 0x0e, 0x00, 0x00, 0x00 };

/* Wraps a handshake byte stream into records cut at cuts[]. */
static size_t
frame(unsigned char *out, size_t cap, const unsigned char *hs, size_t n,
    const size_t *cuts, size_t ncuts)
{
	size_t from = 0, to, i, len = 0;

	for (i = 0; i <= ncuts; i++) {
		to = i < ncuts ? cuts[i] : n;
		if (len + 5 + (to - from) > cap)
			return 0;
		out[len++] = 0x16;
		out[len++] = 0x03;
		out[len++] = 0x03;
		out[len++] = (unsigned char)((to - from) >> 8);
		out[len++] = (unsigned char)(to - from);
		memcpy(out + len, hs + from, to - from);
		len += to - from;
		from = to;
	}
	return len;
}

static void
test_parse_basic(void)
{
	size_t len;

	CHECK_INT(hello_parse(sh12, sizeof(sh12), &rep), HELLO_SERVER_HELLO);
	CHECK_INT(rep.record_version, 0x0303);
	CHECK_INT(rep.server_version, 0x0303);
	CHECK_INT(rep.version, 0x0303);
	CHECK_INT(rep.suite, 0xc02f);
	CHECK_INT(rep.compression, 0);
	CHECK_INT(rep.has_supported_versions, 0);
	CHECK_INT(rep.has_renego_info, 1);
	CHECK_INT(rep.extended_master_secret, 1);
	CHECK_INT(rep.downgrade, 0);
	CHECK_INT(rep.ncerts, 0);
	CHECK_INT(rep.cert_complete, 0);
	CHECK_INT(rep.cert_absent, 0);
	CHECK_INT(rep.consumed, sizeof(sh12));
	CHECK(rep.random[0] == 0x11);

	CHECK_INT(hello_parse(sh13, sizeof(sh13), &rep), HELLO_SERVER_HELLO);
	CHECK_INT(rep.server_version, 0x0303);
	CHECK_INT(rep.version, 0x0304);
	CHECK_INT(rep.has_supported_versions, 1);
	CHECK_INT(rep.suite, 0x1301);
	CHECK_INT(rep.group, 0x001d);
	CHECK_INT(rep.consumed, 0x7a + 5); /* stops after the ServerHello */

	CHECK_INT(hello_parse(hrr, sizeof(hrr), &rep), HELLO_RETRY);
	CHECK_INT(rep.version, 0x0304);
	CHECK_INT(rep.group, 0x0018);
	CHECK_INT(rep.suite, 0x1302);

	CHECK_INT(hello_parse(alert40, sizeof(alert40), &rep), HELLO_ALERT);
	CHECK_INT(rep.alert_level, 2);
	CHECK_INT(rep.alert_desc, 40);
	CHECK_STR(hello_alert_name(rep.alert_desc), "handshake_failure");
	CHECK_INT(hello_parse(alert70, sizeof(alert70), &rep), HELLO_ALERT);
	CHECK_INT(rep.alert_desc, 70);
	CHECK_INT(rep.record_version, 0x0301);
	CHECK_STR(hello_alert_name(rep.alert_desc), "protocol_version");
	CHECK_INT(rep.consumed, 7);

	/* Plain text and other protocols. */
	{
		static const char *const texts[] = {
			"220 mail.example ESMTP\r\n",
			"HTTP/1.1 400 Bad Request\r\n\r\n",
			"SSH-2.0-OpenSSH_9.6\r\n",
			"2", "\r\n", "-ERR\r\n",
		};
		size_t i;

		for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
			CHECK_INT(hello_parse((const unsigned char *)texts[i],
			    strlen(texts[i]), &rep), HELLO_NOT_TLS);
			CHECK(rep.reason != NULL);
			CHECK_INT(rep.consumed, 0);
		}
	}
	{
		/* SSLv2 server hello (high bit set), TLS type + major 2. */
		static const unsigned char v2[] = { 0x80, 0x2e, 0x04, 0x00 };
		static const unsigned char maj2[] = { 0x16, 0x02, 0x00 };
		static const unsigned char hb[] = { 0x18, 0x03, 0x03, 0x00 };

		CHECK_INT(hello_parse(v2, sizeof(v2), &rep), HELLO_NOT_TLS);
		CHECK_INT(hello_parse(maj2, sizeof(maj2), &rep), HELLO_NOT_TLS);
		CHECK_INT(hello_parse(maj2, 1, &rep), HELLO_NEED_MORE);
		CHECK_INT(hello_parse(hb, sizeof(hb), &rep), HELLO_NOT_TLS);
	}
	CHECK_INT(hello_parse(sh12, 0, &rep), HELLO_NEED_MORE);
	CHECK_INT(hello_parse(NULL, 0, &rep), HELLO_NEED_MORE);

	/* Every truncation of a valid answer: NEED_MORE, never a crash. */
	for (len = 0; len < sizeof(sh12); len++)
		if (hello_parse(sh12, len, &rep) != HELLO_NEED_MORE)
			break;
	CHECK_INT(len, sizeof(sh12));
	for (len = 0; len < 0x7a + 5; len++)
		if (hello_parse(sh13, len, &rep) != HELLO_NEED_MORE)
			break;
	CHECK_INT(len, 0x7a + 5);
	for (len = 0; len < sizeof(hrr); len++)
		if (hello_parse(hrr, len, &rep) != HELLO_NEED_MORE)
			break;
	CHECK_INT(len, sizeof(hrr));
	for (len = 0; len < sizeof(alert40); len++)
		if (hello_parse(alert40, len, &rep) != HELLO_NEED_MORE)
			break;
	CHECK_INT(len, sizeof(alert40));
}

static void
test_parse_records(void)
{
	unsigned char hs[512], rec[1024];
	size_t n = 0, len, a, b, bad = 0, cuts[2];
	size_t shlen = sizeof(sh12) - 5;

	/* The ServerHello split across two records. */
	memcpy(hs, sh12 + 5, shlen);
	cuts[0] = 20;
	len = frame(rec, sizeof(rec), hs, shlen, cuts, 1);
	CHECK_INT(hello_parse(rec, len, &rep), HELLO_SERVER_HELLO);
	CHECK_INT(rep.suite, 0xc02f);
	CHECK_INT(hello_parse(rec, len - 1, &rep), HELLO_NEED_MORE);
	CHECK_INT(hello_parse(rec, 5 + 20, &rep), HELLO_NEED_MORE);
	/* ... and at every byte. */
	for (a = 1; a < shlen; a++) {
		cuts[0] = a;
		len = frame(rec, sizeof(rec), hs, shlen, cuts, 1);
		if (hello_parse(rec, len, &rep) != HELLO_SERVER_HELLO ||
		    rep.suite != 0xc02f || rep.consumed != len)
			bad++;
	}
	CHECK_INT(bad, 0);

	/* ServerHello + Certificate + ServerHelloDone in one record. */
	memcpy(hs + shlen, cert_msg, sizeof(cert_msg));
	memcpy(hs + shlen + sizeof(cert_msg), done_msg, sizeof(done_msg));
	n = shlen + sizeof(cert_msg) + sizeof(done_msg);
	len = frame(rec, sizeof(rec), hs, n, NULL, 0);
	CHECK_INT(hello_parse(rec, len, &rep), HELLO_SERVER_HELLO);
	CHECK_INT(rep.cert_complete, 1);
	CHECK_INT(rep.cert_absent, 0);
	CHECK_INT(rep.ncerts, 2);
	{
		const unsigned char *c;
		size_t clen;

		c = hello_cert(&rep, 0, &clen);
		CHECK(c != NULL && clen == 5 &&
		    memcmp(c, "\x30\x03\x02\x01\x07", 5) == 0);
		c = hello_cert(&rep, 1, &clen);
		CHECK(c != NULL && clen == 4 && memcmp(c, "\x30\x02\x05\x00",
		    4) == 0);
		CHECK(hello_cert(&rep, 2, &clen) == NULL && clen == 0);
	}
	/* The record holding SH + Certificate, cut short: no verdict. */
	CHECK_INT(hello_parse(rec, len - 1, &rep), HELLO_NEED_MORE);

	/* The same stream in three records, cut at every pair of places:
	 * the ServerHello is found as soon as its record is complete, the
	 * certificates once theirs is. */
	for (a = 1; a < n - 1; a++) {
		for (b = a + 1; b < n; b++) {
			size_t k, first_full;
			enum hello_kind got;

			cuts[0] = a;
			cuts[1] = b;
			len = frame(rec, sizeof(rec), hs, n, cuts, 2);
			if (hello_parse(rec, len, &rep) != HELLO_SERVER_HELLO ||
			    rep.ncerts != 2 || !rep.cert_complete ||
			    rep.cert_len[0] != 5 || rep.cert_len[1] != 4) {
				bad++;
				continue;
			}
			/* Prefixes: NEED_MORE until the record that completes
			 * the ServerHello, SERVER_HELLO after. */
			first_full = a >= shlen ? 5 + a :
			    b >= shlen ? 10 + b : len;
			for (k = 0; k < len; k += 7) {
				got = hello_parse(rec, k, &rep);
				if (got != (k < first_full ? HELLO_NEED_MORE :
				    HELLO_SERVER_HELLO))
					bad++;
			}
		}
	}
	CHECK_INT(bad, 0);

	/* SH + ServerKeyExchange: no certificate will come. */
	memcpy(hs + shlen, "\x0c\x00\x00\x01\x00", 5);
	len = frame(rec, sizeof(rec), hs, shlen + 5, NULL, 0);
	CHECK_INT(hello_parse(rec, len, &rep), HELLO_SERVER_HELLO);
	CHECK_INT(rep.cert_absent, 1);
	CHECK_INT(rep.cert_complete, 0);

	/* HelloRequest before the ServerHello is ignored. */
	memcpy(hs, "\x00\x00\x00\x00", 4);
	memcpy(hs + 4, sh12 + 5, shlen);
	len = frame(rec, sizeof(rec), hs, shlen + 4, NULL, 0);
	CHECK_INT(hello_parse(rec, len, &rep), HELLO_SERVER_HELLO);

	/* A warning alert, then the ServerHello (RFC 6066 §3 servers). */
	memcpy(rec, "\x15\x03\x03\x00\x02\x01\x70", 7);
	memcpy(rec + 7, sh12, sizeof(sh12));
	CHECK_INT(hello_parse(rec, 7, &rep), HELLO_ALERT);
	CHECK_INT(rep.alert_level, 1);
	CHECK_INT(rep.alert_desc, 112);
	CHECK_INT(hello_parse(rec, 7 + 10, &rep), HELLO_NEED_MORE);
	CHECK_INT(hello_parse(rec, 7 + sizeof(sh12), &rep),
	    HELLO_SERVER_HELLO);
	CHECK_INT(rep.has_warning, 1);
	CHECK_INT(rep.warning_desc, 112);
	CHECK_INT(rep.alert_level, 0);

	/* A fatal alert after the ServerHello. */
	memcpy(rec, sh12, sizeof(sh12));
	memcpy(rec + sizeof(sh12), alert40, sizeof(alert40));
	CHECK_INT(hello_parse(rec, sizeof(sh12) + 7, &rep),
	    HELLO_SERVER_HELLO);
	CHECK_INT(rep.alert_level, 2);
	CHECK_INT(rep.alert_desc, 40);
	CHECK_INT(rep.consumed, sizeof(sh12) + 7);
}

/* Patches a copy of src and parses it. */
static enum hello_kind
parse_patched(const unsigned char *src, size_t n, size_t at,
    const unsigned char *with, size_t wn)
{
	static unsigned char b[4096];

	memcpy(b, src, n);
	memcpy(b + at, with, wn);
	return hello_parse(b, n, &rep);
}

static void
test_parse_malformed(void)
{
	static unsigned char big[5 * (5 + 16384)];
	unsigned char hs[512], rec[1024], b[64];
	size_t shlen = sizeof(sh12) - 5, len, i;

	/* Absurd record lengths. */
	memcpy(b, "\x16\x03\x03\xff\xff", 5);
	CHECK_INT(hello_parse(b, 5, &rep), HELLO_MALFORMED);
	CHECK(rep.reason != NULL);
	memcpy(b, "\x16\x03\x03\x48\x01", 5);	/* 2^14 + 2048 + 1 */
	CHECK_INT(hello_parse(b, 5, &rep), HELLO_MALFORMED);
	memcpy(b, "\x16\x03\x03\x48\x00", 5);	/* 2^14 + 2048: wait */
	CHECK_INT(hello_parse(b, 5, &rep), HELLO_NEED_MORE);
	memcpy(b, "\x16\x03\x03\x00\x00", 5);	/* empty handshake */
	CHECK_INT(hello_parse(b, 5, &rep), HELLO_MALFORMED);
	/* Handshake message length 2^24-1: can never fit. */
	memcpy(b, "\x16\x03\x03\x00\x04\x02\xff\xff\xff", 9);
	CHECK_INT(hello_parse(b, 9, &rep), HELLO_MALFORMED);
	/* Alerts that are not two bytes, or of level 3. */
	memcpy(b, "\x15\x03\x03\x00\x03\x02\x28\x00", 8);
	CHECK_INT(hello_parse(b, 8, &rep), HELLO_MALFORMED);
	memcpy(b, "\x15\x03\x03\x00\x02\x03\x28", 7);
	CHECK_INT(hello_parse(b, 7, &rep), HELLO_MALFORMED);
	/* ChangeCipherSpec or application data first. */
	memcpy(b, "\x14\x03\x03\x00\x01\x01", 6);
	CHECK_INT(hello_parse(b, 6, &rep), HELLO_MALFORMED);
	memcpy(b, "\x17\x03\x03\x00\x01\x01", 6);
	CHECK_INT(hello_parse(b, 6, &rep), HELLO_MALFORMED);
	/* A record then junk. */
	memcpy(b, "\x15\x03\x03\x00\x02\x01\x70" "220 ", 11);
	CHECK_INT(hello_parse(b, 11, &rep), HELLO_MALFORMED);

	/* ServerHello fields that lie. */
	CHECK_INT(parse_patched(sh12, sizeof(sh12), 43, (const unsigned char *)
	    "\x21", 1), HELLO_MALFORMED);		/* session id 33 */
	CHECK_INT(parse_patched(sh12, sizeof(sh12), 43, (const unsigned char *)
	    "\x0a", 1), HELLO_MALFORMED);	/* session id too long */
	CHECK_INT(parse_patched(sh12, sizeof(sh12), 47, (const unsigned char *)
	    "\x00\x10", 2), HELLO_MALFORMED);		/* extensions length */
	CHECK_INT(parse_patched(sh12, sizeof(sh12), 47, (const unsigned char *)
	    "\x00\x0e", 2), HELLO_MALFORMED);
	CHECK_INT(parse_patched(sh12, sizeof(sh12), 51, (const unsigned char *)
	    "\x00\x05", 2), HELLO_MALFORMED);		/* renego_info len */
	CHECK_INT(parse_patched(sh12, sizeof(sh12), 53, (const unsigned char *)
	    "\x05", 1), HELLO_MALFORMED);		/* renego_info inner */
	CHECK_INT(parse_patched(sh12, sizeof(sh12), 58, (const unsigned char *)
	    "\xff\x01", 2), HELLO_MALFORMED);		/* duplicate */
	CHECK_INT(parse_patched(sh13, sizeof(sh13), 83, (const unsigned char *)
	    "\x00\x03", 2), HELLO_MALFORMED);		/* supported_versions */
	CHECK_INT(parse_patched(sh13, sizeof(sh13), 93, (const unsigned char *)
	    "\x00\x21", 2), HELLO_MALFORMED);		/* key_exchange len */
	CHECK_INT(parse_patched(hrr, sizeof(hrr), 49, (const unsigned char *)
	    "\x00\x2c", 2), HELLO_MALFORMED);		/* HRR w/o versions */
	CHECK_INT(parse_patched(hrr, sizeof(hrr), 57, (const unsigned char *)
	    "\x00\x03", 2), HELLO_MALFORMED);		/* HRR key_share len */
	/* A ServerHello too short for its fixed fields. */
	memcpy(b, "\x16\x03\x03\x00\x08\x02\x00\x00\x04\x03\x03\x00\x00", 13);
	CHECK_INT(hello_parse(b, 13, &rep), HELLO_MALFORMED);
	/* Not a ServerHello first. */
	memcpy(b, "\x16\x03\x03\x00\x04\x0e\x00\x00\x00", 9);
	CHECK_INT(hello_parse(b, 9, &rep), HELLO_MALFORMED);

	/* Certificate lists that lie. */
	memcpy(hs, sh12 + 5, shlen);
	{
		static const struct {
			const char *name;
			unsigned char msg[24];
			size_t len;
		} lies[] = {
			{ "list longer than message",
			  { 0x0b, 0, 0, 0x12, 0, 0, 0x10, 0, 0, 5, 0x30, 3, 2,
			    1, 7, 0, 0, 4, 0x30, 2, 5, 0 }, 22 },
			{ "list shorter than message",
			  { 0x0b, 0, 0, 0x12, 0, 0, 0x0e, 0, 0, 5, 0x30, 3, 2,
			    1, 7, 0, 0, 4, 0x30, 2, 5, 0 }, 22 },
			{ "certificate longer than list",
			  { 0x0b, 0, 0, 0x12, 0, 0, 0x0f, 0, 0, 5, 0x30, 3, 2,
			    1, 7, 0, 0, 5, 0x30, 2, 5, 0 }, 22 },
			{ "certificate of 2^24-1",
			  { 0x0b, 0, 0, 0x12, 0, 0, 0x0f, 0xff, 0xff, 0xff,
			    0x30, 3, 2, 1, 7, 0, 0, 4, 0x30, 2, 5, 0 }, 22 },
			{ "empty certificate",
			  { 0x0b, 0, 0, 0x06, 0, 0, 3, 0, 0, 0 }, 10 },
			{ "truncated certificate length",
			  { 0x0b, 0, 0, 0x05, 0, 0, 2, 0, 0 }, 9 },
			{ "message shorter than list length",
			  { 0x0b, 0, 0, 0x02, 0, 0 }, 6 },
		};

		for (i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
			memcpy(hs + shlen, lies[i].msg, lies[i].len);
			len = frame(rec, sizeof(rec), hs, shlen + lies[i].len,
			    NULL, 0);
			tap_result(hello_parse(rec, len, &rep) ==
			    HELLO_MALFORMED && rep.suite == 0xc02f,
			    __FILE__, __LINE__, lies[i].name);
		}
		/* An empty certificate_list is legal: complete, no certs. */
		memcpy(hs + shlen, "\x0b\x00\x00\x03\x00\x00\x00", 7);
		len = frame(rec, sizeof(rec), hs, shlen + 7, NULL, 0);
		CHECK_INT(hello_parse(rec, len, &rep), HELLO_SERVER_HELLO);
		CHECK(rep.cert_complete && rep.ncerts == 0);
	}

	/* More than 64 KiB of handshake data: a message that claims 65532
	 * bytes after the ServerHello, fed in full records. */
	{
		size_t pos = 0, k, total = shlen + 4 + 65532;
		static unsigned char stream[70000];

		memcpy(stream, sh12 + 5, shlen);
		memcpy(stream + shlen, "\x0b\x00\xff\xfc", 4);
		memset(stream + shlen + 4, 0, 65532);
		for (k = 0; k < total; k += 16384) {
			size_t part = total - k < 16384 ? total - k : 16384;

			if (pos + 5 + part > sizeof(big))
				break;
			big[pos++] = 0x16;
			big[pos++] = 0x03;
			big[pos++] = 0x03;
			big[pos++] = (unsigned char)(part >> 8);
			big[pos++] = (unsigned char)part;
			memcpy(big + pos, stream + k, part);
			pos += part;
		}
		CHECK_INT(hello_parse(big, pos, &rep), HELLO_MALFORMED);
		CHECK_INT(rep.suite, 0xc02f);	/* parsed before the fault */
		CHECK_INT(hello_parse(big, 5 + 16384, &rep),
		    HELLO_SERVER_HELLO);
	}

	/* More certificates than CHAIN_MAX: counted, not stored. */
	{
		size_t k, off;

		memcpy(hs, sh12 + 5, shlen);
		off = shlen;
		hs[off++] = 0x0b;
		hs[off++] = 0;
		hs[off++] = 0;
		hs[off++] = (unsigned char)(3 + 20 * 5);
		hs[off++] = 0;
		hs[off++] = 0;
		hs[off++] = (unsigned char)(20 * 5);
		for (k = 0; k < 20; k++) {
			memcpy(hs + off, "\x00\x00\x02\x30\x00", 5);
			off += 5;
		}
		len = frame(rec, sizeof(rec), hs, off, NULL, 0);
		CHECK_INT(hello_parse(rec, len, &rep), HELLO_SERVER_HELLO);
		CHECK_INT(rep.ncerts, CHAIN_MAX);
		CHECK_INT(rep.certs_dropped, 20 - CHAIN_MAX);
		CHECK_INT(rep.cert_complete, 1);
	}

	/* A second ServerHello is a protocol violation. */
	memcpy(hs, sh12 + 5, shlen);
	memcpy(hs + shlen, sh12 + 5, shlen);
	len = frame(rec, sizeof(rec), hs, 2 * shlen, NULL, 0);
	CHECK_INT(hello_parse(rec, len, &rep), HELLO_MALFORMED);

	/* The downgrade sentinel (RFC 8446 §4.1.3). */
	memcpy(rec, sh12, sizeof(sh12));
	memcpy(rec + 11 + 24, "DOWNGRD\x01", 8);
	CHECK_INT(hello_parse(rec, sizeof(sh12), &rep), HELLO_SERVER_HELLO);
	CHECK_INT(rep.downgrade, 0x0304);
	rec[11 + 31] = 0;
	CHECK_INT(hello_parse(rec, sizeof(sh12), &rep), HELLO_SERVER_HELLO);
	CHECK_INT(rep.downgrade, 0x0303);
	rec[11 + 31] = 2;
	CHECK_INT(hello_parse(rec, sizeof(sh12), &rep), HELLO_SERVER_HELLO);
	CHECK_INT(rep.downgrade, 0);
}

static void
test_names(void)
{
	CHECK_STR(hello_alert_name(0), "close_notify");
	CHECK_STR(hello_alert_name(40), "handshake_failure");
	CHECK_STR(hello_alert_name(42), "bad_certificate");
	CHECK_STR(hello_alert_name(50), "decode_error");
	CHECK_STR(hello_alert_name(70), "protocol_version");
	CHECK_STR(hello_alert_name(71), "insufficient_security");
	CHECK_STR(hello_alert_name(86), "inappropriate_fallback");
	CHECK_STR(hello_alert_name(112), "unrecognized_name");
	CHECK_STR(hello_alert_name(120), "no_application_protocol");
	CHECK_STR(hello_alert_name(255), "unknown_alert");
	CHECK_STR(hello_version_name(0x0300), "SSLv3");
	CHECK_STR(hello_version_name(0x0301), "TLSv1");
	CHECK_STR(hello_version_name(0x0304), "TLSv1.3");
	CHECK_STR(hello_version_name(0x7f1c), "unknown");
	CHECK_STR(hello_kind_name(HELLO_RETRY), "retry");
	CHECK_STR(hello_kind_name(HELLO_NOT_TLS), "not-tls");
}

/* ---- real answers of OpenSSL 3.0 (tests/data/hello/README.md) ---- */

struct capture {
	const char	*file;
	enum hello_kind	 kind;
	unsigned	 record_version, version, suite, group, downgrade;
	size_t		 ncerts;
	int		 cert_complete;
	unsigned	 alert_desc, warning_desc;
};

static const struct capture captures[] = {
	{ "tls13-x25519.bin", HELLO_SERVER_HELLO, 0x0303, 0x0304, 0x1302,
	  0x001d, 0, 0, 0, 0, 0 },
	{ "tls13-p256.bin", HELLO_SERVER_HELLO, 0x0303, 0x0304, 0x1302,
	  0x0017, 0, 0, 0, 0, 0 },
	{ "tls13-hrr-secp384r1.bin", HELLO_RETRY, 0x0303, 0x0304, 0x1302,
	  0x0018, 0, 0, 0, 0, 0 },
	{ "tls12-downgrade.bin", HELLO_SERVER_HELLO, 0x0303, 0x0303, 0xc030,
	  0, 0x0304, 2, 1, 0, 0 },
	{ "tls12-frag512.bin", HELLO_SERVER_HELLO, 0x0303, 0x0303, 0xc030,
	  0, 0, 2, 1, 0, 0 },
	{ "tls11.bin", HELLO_SERVER_HELLO, 0x0302, 0x0302, 0xc014,
	  0, 0, 2, 1, 0, 0 },
	{ "tls10.bin", HELLO_SERVER_HELLO, 0x0301, 0x0301, 0xc014,
	  0, 0, 2, 1, 0, 0 },
	{ "sni-warning.bin", HELLO_SERVER_HELLO, 0x0303, 0x0303, 0xc030,
	  0, 0x0304, 2, 1, 0, 112 },
	{ "alert-protocol-version.bin", HELLO_ALERT, 0x0301, 0, 0,
	  0, 0, 0, 0, 70, 0 },
	{ "alert-handshake-failure.bin", HELLO_ALERT, 0x0303, 0, 0,
	  0, 0, 0, 0, 40, 0 },
	{ "alert-internal-error-tls10.bin", HELLO_ALERT, 0x0301, 0, 0,
	  0, 0, 0, 0, 80, 0 },
	{ "alert-ssl3.bin", HELLO_ALERT, 0x0300, 0, 0,
	  0, 0, 0, 0, 40, 0 },
};

static char data_dir[1024];

static void
find_data_dir(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	FILE *f;

	/* tests/run.sh runs from the top of the tree; a test started by
	 * hand from elsewhere finds the data next to its binary's tree
	 * (build/tests/test_hello -> ../../tests/data/hello). */
	snprintf(data_dir, sizeof(data_dir), "tests/data/hello");
	if ((f = fopen("tests/data/hello/tls10.bin", "rb")) != NULL) {
		fclose(f);
		return;
	}
	if (slash != NULL)
		snprintf(data_dir, sizeof(data_dir), "%.*s/../../tests/data/"
		    "hello", (int)(slash - argv0), argv0);
}

static size_t
load(const char *name, unsigned char *buf, size_t cap)
{
	char path[1200];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	if ((f = fopen(path, "rb")) == NULL) {
		printf("# cannot open %s\n", path);
		return 0;
	}
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void
test_captures(void)
{
	static unsigned char buf[65536];
	size_t i, k, n, clen, first, bad;
	const unsigned char *c;
	char what[160];

	for (i = 0; i < sizeof(captures) / sizeof(captures[0]); i++) {
		const struct capture *t = &captures[i];
		enum hello_kind got;

		n = load(t->file, buf, sizeof(buf));
		snprintf(what, sizeof(what), "%s: loaded", t->file);
		tap_result(n > 0, __FILE__, __LINE__, what);
		if (n == 0)
			continue;
		got = hello_parse(buf, n, &rep);
		snprintf(what, sizeof(what), "%s: %s (got %s, %s)", t->file,
		    hello_kind_name(t->kind), hello_kind_name(got),
		    rep.reason ? rep.reason : "-");
		tap_result(got == t->kind, __FILE__, __LINE__, what);
		CHECK_INT(rep.record_version, t->record_version);
		CHECK_INT(rep.version, t->version);
		CHECK_INT(rep.suite, t->suite);
		CHECK_INT(rep.group, t->group);
		CHECK_INT(rep.downgrade, t->downgrade);
		CHECK_INT(rep.ncerts, t->ncerts);
		CHECK_INT(rep.cert_complete, t->cert_complete);
		CHECK_INT(rep.has_warning, t->warning_desc != 0);
		CHECK_INT(rep.warning_desc, t->warning_desc);
		if (t->kind == HELLO_ALERT) {
			CHECK_INT(rep.alert_level, 2);
			CHECK_INT(rep.alert_desc, t->alert_desc);
		}
		/* Each certificate is one DER SEQUENCE of exactly its
		 * length (30 82 LL LL). */
		for (k = 0; k < rep.ncerts; k++) {
			c = hello_cert(&rep, k, &clen);
			CHECK(c != NULL && clen > 4 && c[0] == 0x30 &&
			    c[1] == 0x82 && (size_t)(c[2] << 8 | c[3]) + 4 ==
			    clen);
		}
		/* Every prefix: NEED_MORE until the first record carrying
		 * a verdict is whole; later the same verdict (or, for the
		 * warning capture, the warning alone as an ALERT). */
		first = 0;
		bad = 0;
		for (k = 0; k < n; k++) {
			got = hello_parse(buf, k, &rep);
			if (rep.consumed > k)
				bad++;
			if (got == HELLO_NEED_MORE)
				continue;
			if (got == HELLO_ALERT && rep.alert_level == 1 &&
			    t->warning_desc != 0)
				continue;
			if (got != t->kind)
				bad++;
			if (first == 0)
				first = k;
		}
		snprintf(what, sizeof(what), "%s: every prefix parses "
		    "consistently", t->file);
		tap_result(bad == 0, __FILE__, __LINE__, what);
	}
}

/* ---- a small deterministic fuzzer over every sample ---- */

static uint64_t fz_state = 0x2545f4914f6cdd1dULL;

static uint32_t
fz_next(void)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 7;
	fz_state ^= fz_state << 17;
	return (uint32_t)(fz_state >> 11);
}

static int
fz_one(const unsigned char *src, size_t n)
{
	static unsigned char b[70000];
	enum hello_kind k;
	size_t len = n, i, edits;

	if (n == 0 || n > sizeof(b))
		return 1;
	memcpy(b, src, n);
	edits = 1 + fz_next() % 4;
	for (i = 0; i < edits; i++) {
		size_t at = fz_next() % len;

		switch (fz_next() % 5) {
		case 0:	b[at] = (unsigned char)fz_next(); break;
		case 1:	b[at] ^= (unsigned char)(1u << (fz_next() % 8)); break;
		case 2:	b[at] = 0xff; break;
		case 3:	b[at] = 0x00; break;
		case 4:	len = at + 1; break;		/* truncate */
		}
	}
	k = hello_parse(b, len, &rep);
	if (k > HELLO_MALFORMED || rep.consumed > len ||
	    rep.ncerts > CHAIN_MAX || rep.hs_len > HELLO_HS_MAX)
		return 0;
	if ((k == HELLO_MALFORMED || k == HELLO_NOT_TLS) && rep.reason == NULL)
		return 0;
	for (i = 0; i < rep.ncerts; i++)
		if (rep.cert_off[i] + rep.cert_len[i] > rep.hs_len)
			return 0;
	return 1;
}

static void
test_fuzz(void)
{
	static unsigned char buf[65536];
	size_t i, j, n, bad = 0, runs = 0;
	const struct { const unsigned char *p; size_t n; } hand[] = {
		{ sh12, sizeof(sh12) }, { sh13, sizeof(sh13) },
		{ hrr, sizeof(hrr) }, { alert40, sizeof(alert40) },
	};

	for (i = 0; i < sizeof(hand) / sizeof(hand[0]); i++)
		for (j = 0; j < 3000; j++, runs++)
			bad += !fz_one(hand[i].p, hand[i].n);
	for (i = 0; i < sizeof(captures) / sizeof(captures[0]); i++) {
		n = load(captures[i].file, buf, sizeof(buf));
		for (j = 0; n > 0 && j < 1000; j++, runs++)
			bad += !fz_one(buf, n);
	}
	printf("# %zu mutated inputs\n", runs);
	CHECK_INT(bad, 0);
}

int
main(int argc, char **argv)
{
	(void)argc;
	find_data_dir(argv[0]);
	test_build_table();
	test_build_tls13();
	test_build_details();
	test_parse_basic();
	test_parse_records();
	test_parse_malformed();
	test_names();
	test_captures();
	test_fuzz();
	return tap_done();
}
