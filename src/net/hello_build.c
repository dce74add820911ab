/*
 * The raw ClientHello builder: hello_build() and hello_spec_default()
 * with its built-in suite lists.  Everything mbedTLS cannot do for the
 * prober — SSLv3, TLS 1.3 on 2.28, suites no library implements — is
 * done here at the byte level.  The builder writes through a cursor
 * that keeps counting past the end of the buffer, so a short buffer
 * yields the size that was needed, and back-fills each length once its
 * contents are known (sslscan's approach).  What the server answers is
 * read by hello_parse.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hello.h"
#include "hello_int.h"

/*
 * The secp256r1 share is the curve's generator, 04 || Gx || Gy
 * (SEC 2 §2.4.2): a valid point that every server accepts, which a
 * made-up 65 bytes would not be (servers check that the point is on
 * the curve and answer illegal_parameter).  We never use the secret.
 */
static const unsigned char hello_p256_share[65] = {
	0x04,
	0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47,
	0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
	0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0,
	0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b,
	0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
	0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce,
	0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

/* Java's default named groups (SunJSSE NamedGroup, JDK 11+). */
static const uint16_t hello_groups_default[] = {
	0x001d, 0x0017, 0x0018, 0x0019, 0x001e,	/* x25519 P-256/384/521 x448 */
	0x0100, 0x0101, 0x0102, 0x0103, 0x0104,	/* ffdhe2048 .. ffdhe8192 */
};

/*
 * signature_algorithms, one broad list for TLS 1.2 and 1.3: modern
 * schemes first, then the SHA-1/SHA-224 and DSA pairs of RFC 5246
 * §7.4.1.4.1 so that an old server with an old certificate still
 * answers.  A TLS 1.3 server ignores what is not valid there.
 */
static const uint16_t hello_sigalgs[] = {
	0x0403, 0x0503, 0x0603,	/* ecdsa_secp256r1_sha256 .. 521/512 */
	0x0807, 0x0808,		/* ed25519, ed448 */
	0x0804, 0x0805, 0x0806,	/* rsa_pss_rsae_sha256/384/512 */
	0x0809, 0x080a, 0x080b,	/* rsa_pss_pss_sha256/384/512 */
	0x0401, 0x0501, 0x0601,	/* rsa_pkcs1_sha256/384/512 */
	0x0303, 0x0301, 0x0302,	/* sha224 with ecdsa, rsa, dsa */
	0x0402, 0x0502, 0x0602,	/* dsa with sha256/384/512 */
	0x0203, 0x0201, 0x0202,	/* ecdsa_sha1, rsa_pkcs1_sha1, dsa_sha1 */
};

/* The five TLS 1.3 suites (RFC 8446 §B.4), in Java's order first. */
static const uint16_t hello_suites_tls13[] = {
	0x1302, 0x1301, 0x1303, 0x1304, 0x1305,
};

/*
 * TLS 1.2: every suite of assets/ciphersuites.tsv a real server may
 * still choose, plus the AES-CCM ones of RFC 6655; strongest first.
 */
static const uint16_t hello_suites_tls12[] = {
	0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc02b, 0xc02f, /* ECDHE AEAD */
	0xc0ad, 0xc0ac,
	0x009f, 0x009e, 0xccaa, 0xc09f, 0xc09e,	/* DHE_RSA AEAD */
	0x00a3, 0x00a2,				/* DHE_DSS GCM */
	0xc024, 0xc028, 0xc023, 0xc027,		/* ECDHE CBC SHA-2 */
	0xc00a, 0xc014, 0xc009, 0xc013,		/* ECDHE CBC SHA-1 */
	0x006b, 0x0067, 0x006a, 0x0040,		/* DHE CBC SHA-2 */
	0x0039, 0x0033, 0x0038, 0x0032,		/* DHE CBC SHA-1 */
	0x00c4, 0x00be, 0x0088, 0x0045,		/* DHE_RSA Camellia */
	0x009d, 0x009c, 0xc09d, 0xc09c,		/* RSA AEAD */
	0x003d, 0x003c, 0x0035, 0x002f,		/* RSA CBC */
	0x00c0, 0x00ba, 0x0084, 0x0041, 0x0096,	/* RSA Camellia, SEED */
	0xc032, 0xc02e, 0xc031, 0xc02d,		/* static ECDH GCM */
	0xc02a, 0xc026, 0xc029, 0xc025,		/* static ECDH CBC SHA-2 */
	0xc00f, 0xc005, 0xc00e, 0xc004,		/* static ECDH CBC SHA-1 */
	0xc008, 0xc012, 0x0016, 0x0013, 0x000a,	/* 3DES */
	0xc003, 0xc00d,
	0xc007, 0xc011, 0x0005, 0x0004,		/* RC4 */
	0x0015, 0x0012, 0x0009,			/* DES */
};

/* TLS 1.0 and 1.1: the suites defined before TLS 1.2 (SSLv3's and the
 * ECC ones of RFC 4492). */
static const uint16_t hello_suites_tls10[] = {
	0xc00a, 0xc014, 0xc009, 0xc013,
	0x0039, 0x0033, 0x0038, 0x0032, 0x0088, 0x0045,
	0x0035, 0x002f, 0x0084, 0x0041, 0x0096,
	0xc00f, 0xc005, 0xc00e, 0xc004,
	0xc008, 0xc012, 0x0016, 0x0013, 0x000a, 0xc003, 0xc00d,
	0xc007, 0xc011, 0x0005, 0x0004,
	0x0015, 0x0012, 0x0009,
};

/* SSLv3: no ECC (RFC 4492 is TLS only). */
static const uint16_t hello_suites_ssl3[] = {
	0x0039, 0x0033, 0x0038, 0x0032, 0x0088, 0x0045,
	0x0035, 0x002f, 0x0084, 0x0041, 0x0096,
	0x0016, 0x0013, 0x000a,
	0x0005, 0x0004,
	0x0015, 0x0012, 0x0009,
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

void
hello_spec_default(struct hello_spec *spec, uint16_t version, const char *sni)
{
	memset(spec, 0, sizeof(*spec));
	spec->version = version;
	spec->sni = sni;
	if (version >= HELLO_TLS13) {
		spec->suites = hello_suites_tls13;
		spec->nsuites = NELEM(hello_suites_tls13);
	} else if (version == HELLO_TLS12) {
		spec->suites = hello_suites_tls12;
		spec->nsuites = NELEM(hello_suites_tls12);
	} else if (version >= HELLO_TLS10) {
		spec->suites = hello_suites_tls10;
		spec->nsuites = NELEM(hello_suites_tls10);
	} else {
		spec->suites = hello_suites_ssl3;
		spec->nsuites = NELEM(hello_suites_ssl3);
	}
}

/* ---- builder ---- */

/* A write cursor: len keeps counting past cap, nothing is written there. */
struct wbuf {
	unsigned char	*p;
	size_t		 cap;
	size_t		 len;
};

static void
w_u8(struct wbuf *w, unsigned v)
{
	if (w->len < w->cap)
		w->p[w->len] = (unsigned char)(v & 0xff);
	w->len++;
}

static void
w_u16(struct wbuf *w, unsigned v)
{
	w_u8(w, v >> 8);
	w_u8(w, v);
}

static void
w_bytes(struct wbuf *w, const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		w_u8(w, b[i]);
}

/* Reserves a width-byte length field; returns where it is. */
static size_t
w_open(struct wbuf *w, size_t width)
{
	size_t at = w->len, i;

	for (i = 0; i < width; i++)
		w_u8(w, 0);
	return at;
}

/* Back-fills the length field at `at` with the bytes written since.
 * hello_build() bounds the whole hello to 2^14 bytes before it trusts
 * the result, so a length never needs more than its width. */
static void
w_close(struct wbuf *w, size_t at, size_t width)
{
	size_t n = w->len - at - width, i;

	for (i = 0; i < width; i++)
		if (at + i < w->cap)
			w->p[at + i] =
			    (unsigned char)(n >> (8 * (width - 1 - i)));
}

/* Starts an extension; returns the place of its length field. */
static size_t
w_ext(struct wbuf *w, unsigned type)
{
	w_u16(w, type);
	return w_open(w, 2);
}

/* splitmix64: derives the session id and the x25519 share from the
 * client random, so that the builder stays pure and repeatable. */
static uint64_t
mix_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
mix_fill(uint64_t *s, unsigned char *b, size_t n)
{
	size_t i;
	uint64_t v = 0;

	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			v = mix_next(s);
		b[i] = (unsigned char)(v >> (8 * (i % 8)));
	}
}

/*
 * RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in
 * HostName."  Anything of digits and dots only, or with a colon or a
 * bracket, is taken for a literal.
 */
static int
sni_is_literal(const char *s)
{
	size_t i;
	int digits_dots = 1;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == ':' || s[i] == '[')
			return 1;
		if (!(s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
			digits_dots = 0;
	}
	return digits_dots;
}

int
hello_list_has(const uint16_t *list, size_t n, uint16_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return 1;
	return 0;
}

/* server_name (RFC 6066 §3): one host_name entry, no trailing dot. */
static void
put_sni(struct wbuf *w, const char *name, size_t n)
{
	size_t ext = w_ext(w, EXT_SERVER_NAME), list;

	list = w_open(w, 2);
	w_u8(w, 0);				/* name_type host_name */
	w_u16(w, (unsigned)n);
	w_bytes(w, (const unsigned char *)name, n);
	w_close(w, list, 2);
	w_close(w, ext, 2);
}

static void
put_u16_list(struct wbuf *w, unsigned type, const uint16_t *v, size_t n)
{
	size_t ext = w_ext(w, type), list = w_open(w, 2), i;

	for (i = 0; i < n; i++)
		w_u16(w, v[i]);
	w_close(w, list, 2);
	w_close(w, ext, 2);
}

/*
 * key_share (RFC 8446 §4.2.8): a share for x25519 and for secp256r1
 * when they are among the groups, in the groups' order, as the RFC
 * asks.  Any other group the server prefers costs a HelloRetryRequest,
 * which hello_parse() recognises and which still means "TLS 1.3 is
 * accepted".  No share at all is legal too (the server then always
 * retries).
 */
static void
put_key_share(struct wbuf *w, const uint16_t *groups, size_t n,
    const unsigned char x25519[32])
{
	size_t ext = w_ext(w, EXT_KEY_SHARE), list = w_open(w, 2), i;
	int done_x = 0, done_p = 0;

	for (i = 0; i < n; i++) {
		if (groups[i] == HELLO_GROUP_X25519 && !done_x) {
			w_u16(w, HELLO_GROUP_X25519);
			w_u16(w, 32);
			w_bytes(w, x25519, 32);
			done_x = 1;
		} else if (groups[i] == HELLO_GROUP_SECP256R1 && !done_p) {
			w_u16(w, HELLO_GROUP_SECP256R1);
			w_u16(w, sizeof(hello_p256_share));
			w_bytes(w, hello_p256_share, sizeof(hello_p256_share));
			done_p = 1;
		}
	}
	w_close(w, list, 2);
	w_close(w, ext, 2);
}

/*
 * RFC 7685 §4 and the F5 bug it was made for: some servers hang on a
 * ClientHello whose handshake message is 256..511 bytes long.  Pad it
 * to 512 as OpenSSL and BoringSSL do, keeping the padding non-empty
 * (a few servers choke on an empty last extension).
 */
static void
put_padding(struct wbuf *w, size_t hs_start)
{
	size_t now = w->len - hs_start, pad, ext, i;

	if (now <= 0xff || now >= 0x200)
		return;
	pad = 0x200 - now;
	pad = pad >= 4 + 1 ? pad - 4 : 1;
	ext = w_ext(w, EXT_PADDING);
	for (i = 0; i < pad; i++)
		w_u8(w, 0);
	w_close(w, ext, 2);
}

static enum sw_err
check_spec(const struct hello_spec *spec, size_t *sni_len,
    struct sw_error *err)
{
	size_t i, n;

	*sni_len = 0;
	if (spec->version < HELLO_SSL3 || spec->version > HELLO_TLS13)
		return sw_fail(err, SW_EUSAGE, "cannot build a ClientHello "
		    "for protocol version 0x%04x (SSLv3..TLS 1.3 only)",
		    spec->version);
	if (spec->nsuites == 0 || spec->suites == NULL)
		return sw_fail(err, SW_EUSAGE, "no cipher suite to offer");
	/* Bound the counts before any arithmetic on them; the record
	 * limit below is the real bound. */
	if (spec->nsuites > REC_PLAIN_MAX / 2)
		return sw_fail(err, SW_EUSAGE, "%zu cipher suites do not fit "
		    "in one record (at most %d)", spec->nsuites,
		    REC_PLAIN_MAX / 2);
	if (spec->groups != NULL && spec->ngroups > REC_PLAIN_MAX / 2)
		return sw_fail(err, SW_EUSAGE, "%zu groups do not fit in one "
		    "record", spec->ngroups);
	if (spec->sni == NULL || spec->sni[0] == '\0' ||
	    sni_is_literal(spec->sni))
		return SW_OK;
	n = strnlen(spec->sni, 257);
	if (n <= 256 && spec->sni[n - 1] == '.')
		n--;		/* RFC 6066 §3: no trailing dot */
	if (n == 0 || n > 255)
		return sw_fail(err, SW_EUSAGE, "SNI host name is empty or "
		    "longer than 255 bytes");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)spec->sni[i];

		if (c <= 0x20 || c >= 0x7f)
			return sw_fail(err, SW_EUSAGE, "SNI host name has a "
			    "byte 0x%02x at %zu: ASCII only (use the IDNA "
			    "A-label, xn--...)", c, i);
	}
	*sni_len = n;
	return SW_OK;
}

enum sw_err
hello_build(const struct hello_spec *spec, unsigned char *out, size_t cap,
    size_t *len, struct sw_error *err)
{
	struct wbuf w = { out, out != NULL ? cap : 0, 0 };
	unsigned char random[32], sid[32], x25519[32];
	const uint16_t *groups = hello_groups_default;
	size_t ngroups = NELEM(hello_groups_default);
	size_t sni_len, rec, hs, body, list, ext, exts, i;
	uint16_t v = spec->version;
	int tls13 = v == HELLO_TLS13, has_scsv;
	uint64_t seed;
	enum sw_err rc;

	*len = 0;
	if ((rc = check_spec(spec, &sni_len, err)) != SW_OK)
		return rc;
	if (spec->groups != NULL) {
		groups = spec->groups;
		ngroups = spec->ngroups;
	}
	memcpy(random, spec->random, sizeof(random));
	for (i = 0; i < sizeof(random) && random[i] == 0; i++)
		;
	if (i == sizeof(random)) {
		seed = 0x736d747077697aULL;		/* "smtpwiz" */
		mix_fill(&seed, random, sizeof(random));
	}
	for (seed = 0, i = 0; i < sizeof(random); i++)
		seed = seed * 131 + random[i];
	mix_fill(&seed, sid, sizeof(sid));
	mix_fill(&seed, x25519, sizeof(x25519));
	has_scsv = hello_list_has(spec->suites, spec->nsuites,
	    HELLO_SUITE_RENEGO_SCSV);

	/*
	 * Record header.  RFC 5246 App. E.1: a client may put any {03,xx}
	 * there, and 0x0301 is what servers expect; RFC 8446 §5.1 allows
	 * 0x0301 for a first TLS 1.3 ClientHello.  SSLv3 servers may not
	 * know 0x0301 (RFC 6101 §5.2.1), so SSLv3 gets 0x0300.
	 */
	w_u8(&w, REC_HANDSHAKE);
	w_u16(&w, v == HELLO_SSL3 ? HELLO_SSL3 : HELLO_TLS10);
	rec = w_open(&w, 2);
	hs = w.len;
	w_u8(&w, HS_CLIENT_HELLO);
	body = w_open(&w, 3);

	/* RFC 8446 §4.1.2: legacy_version is 0x0303 and the real offer is
	 * in supported_versions; below 1.3 client_version is the offer
	 * (RFC 5246 §7.4.1.2). */
	w_u16(&w, tls13 ? HELLO_TLS12 : v);
	w_bytes(&w, random, sizeof(random));
	/* RFC 8446 §D.4: a non-empty legacy_session_id (middlebox
	 * compatibility mode); below 1.3 none, we never resume. */
	if (tls13) {
		w_u8(&w, sizeof(sid));
		w_bytes(&w, sid, sizeof(sid));
	} else
		w_u8(&w, 0);

	/*
	 * Suites exactly as given.  RFC 5746 §3.4: a client signals secure
	 * renegotiation by the SCSV or the empty renegotiation_info
	 * extension, not both; SSLv3 has no extensions, so it gets the
	 * SCSV.  TLS_FALLBACK_SCSV (RFC 7507) is never added: probing a
	 * lower version on purpose would draw inappropriate_fallback and
	 * hide the answer we want.
	 */
	list = w_open(&w, 2);
	for (i = 0; i < spec->nsuites; i++)
		w_u16(&w, spec->suites[i]);
	if (v == HELLO_SSL3 && !has_scsv)
		w_u16(&w, HELLO_SUITE_RENEGO_SCSV);
	w_close(&w, list, 2);
	w_u8(&w, 1);				/* compression_methods: null */
	w_u8(&w, 0);

	if (v == HELLO_SSL3)
		goto done;		/* RFC 6101 knows no extensions */

	exts = w_open(&w, 2);
	if (sni_len > 0)
		put_sni(&w, spec->sni, sni_len);
	if (!tls13) {
		/* RFC 8422 §5.1.2: uncompressed points only. */
		ext = w_ext(&w, EXT_EC_POINT_FORMATS);
		w_u8(&w, 1);
		w_u8(&w, 0);
		w_close(&w, ext, 2);
	}
	/* Also carries the ffdhe groups (RFC 7919) for DHE suites. */
	put_u16_list(&w, EXT_SUPPORTED_GROUPS, groups, ngroups);
	if (!tls13) {
		ext = w_ext(&w, EXT_SESSION_TICKET);	/* RFC 5077: empty */
		w_close(&w, ext, 2);
		ext = w_ext(&w, EXT_EXTENDED_MS);	/* RFC 7627: empty */
		w_close(&w, ext, 2);
		if (!has_scsv) {
			/* RFC 5746 §3.4: renegotiated_connection empty. */
			ext = w_ext(&w, EXT_RENEGOTIATION_INFO);
			w_u8(&w, 0);
			w_close(&w, ext, 2);
		}
	}
	if (tls13) {
		/* RFC 8446 §4.2.1: 0x0304 only, so a ServerHello is a yes
		 * and anything else a no. */
		ext = w_ext(&w, EXT_SUPPORTED_VERSIONS);
		w_u8(&w, 2);
		w_u16(&w, HELLO_TLS13);
		w_close(&w, ext, 2);
		/* RFC 8446 §4.2.9: psk_dhe_ke, as every browser sends. */
		ext = w_ext(&w, EXT_PSK_MODES);
		w_u8(&w, 1);
		w_u8(&w, 1);
		w_close(&w, ext, 2);
		put_key_share(&w, groups, ngroups, x25519);
	}
	/*
	 * RFC 5246 §7.4.1.4.1: signature_algorithms is for TLS 1.2 ("Clients
	 * MUST NOT offer it if they are offering prior versions"); RFC 8446
	 * §4.2.3 requires it for 1.3.  Kept late so that the last extension
	 * is never empty.
	 */
	if (v >= HELLO_TLS12)
		put_u16_list(&w, EXT_SIGNATURE_ALGS, hello_sigalgs,
		    NELEM(hello_sigalgs));
	put_padding(&w, hs);
	w_close(&w, exts, 2);

done:
	w_close(&w, body, 3);
	w_close(&w, rec, 2);
	if (w.len - REC_HDR > REC_PLAIN_MAX)
		return sw_fail(err, SW_EUSAGE, "ClientHello of %zu bytes does "
		    "not fit in one record (%d)", w.len - REC_HDR,
		    REC_PLAIN_MAX);
	if (w.len > w.cap)
		return sw_fail(err, SW_EUSAGE, "ClientHello needs %zu bytes, "
		    "the buffer holds %zu", w.len, cap);
	*len = w.len;
	return SW_OK;
}
