/*
 * The raw TLS prober's pure core.  hello_build() writes a ClientHello
 * for any protocol version from SSLv3 to TLS 1.3 with any suite list,
 * including suites no library offers; hello_parse() reads what the
 * server answers up to the point where a verdict is possible: its
 * ServerHello or HelloRetryRequest, an alert, and for TLS <= 1.2 the
 * Certificate message.  No handshake is ever completed, so no key is
 * ever computed.  No I/O, no allocation, no mbedTLS, no globals: bytes
 * in, structs out, safe on any thread.  The parser is fuzzed and
 * assumes that every length field lies.  The sockets belong to the
 * callers (conn_probe.c, sweep_run.c).
 */
#ifndef SW_HELLO_H
#define SW_HELLO_H

#include <stddef.h>
#include <stdint.h>

#include "chain.h"
#include "err.h"

/* Protocol versions as they appear on the wire. */
#define HELLO_SSL3		0x0300
#define HELLO_TLS10		0x0301
#define HELLO_TLS11		0x0302
#define HELLO_TLS12		0x0303
#define HELLO_TLS13		0x0304

/* Named groups (RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7). */
#define HELLO_GROUP_SECP256R1	0x0017
#define HELLO_GROUP_SECP384R1	0x0018
#define HELLO_GROUP_SECP521R1	0x0019
#define HELLO_GROUP_X25519	0x001d
#define HELLO_GROUP_X448	0x001e
#define HELLO_GROUP_FFDHE2048	0x0100

/* TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3). */
#define HELLO_SUITE_RENEGO_SCSV	0x00ff

/* Largest ClientHello hello_build() writes: one record of 2^14 bytes. */
#define HELLO_BUILD_MAX		(5 + 16384)
/* Handshake bytes hello_parse() reassembles across records. */
#define HELLO_HS_MAX		65536
/* Certificates of the server's chain whose place is recorded: CHAIN_MAX. */

/*
 * What to offer.  The arrays are the caller's and only read.
 *
 * version	HELLO_SSL3 .. HELLO_TLS13, the one version to probe.  The
 *		hello offers that version only, so the answer says exactly
 *		whether the server accepts it.
 * suites	offered in this order, exactly; hello_build() adds only
 *		TLS_EMPTY_RENEGOTIATION_INFO_SCSV to an SSLv3 hello (which
 *		cannot carry extensions) unless it is already listed.
 * sni		host name for server_name; NULL, "" or an IP literal: none.
 * groups	supported_groups in order; NULL: the Java default list
 *		x25519, secp256r1, secp384r1, secp521r1, x448, ffdhe2048..8192.
 * random	the client random; all zero: a fixed pattern.  The
 *		session id and the x25519 share are derived from it.
 */
struct hello_spec {
	uint16_t		 version;
	const uint16_t		*suites;
	size_t			 nsuites;
	const char		*sni;
	const uint16_t		*groups;
	size_t			 ngroups;
	unsigned char		 random[32];
};

/*
 * Fills spec for version with a broad built-in suite list (static
 * storage, never freed): for TLS 1.3 the five TLS 1.3 suites; below it
 * every suite defined for that version that a real server might still
 * pick — ECDHE, DHE and static RSA with AES-GCM, ChaCha20, CCM and
 * CBC, Camellia, SEED, static ECDH, 3DES, RC4, DES — strongest first,
 * because OpenSSL servers honour the client's order by default.  No
 * NULL, EXPORT or anonymous suites.  groups is NULL (the default),
 * random is zero.  sni is stored, not copied.  Used to ask "does this
 * port speak TLS at all?".
 */
void		hello_spec_default(struct hello_spec *spec, uint16_t version,
		    const char *sni);

/*
 * Writes into out (cap bytes) one complete TLS record (content type 22)
 * carrying the ClientHello described by spec, and sets *len.  The same
 * spec gives the same bytes.  A buffer of HELLO_BUILD_MAX bytes is
 * always large enough; the default specs need about 520.
 * Errors: SW_EUSAGE (version outside SSLv3..TLS 1.3, no suites, an SNI
 * name that is too long or not ASCII, a hello larger than one record,
 * or cap too small — the message says how many bytes were needed).
 */
enum sw_err	hello_build(const struct hello_spec *spec, unsigned char *out,
		    size_t cap, size_t *len, struct sw_error *err);

/* Whether list (n suite or version codes) holds v. */
int		hello_list_has(const uint16_t *list, size_t n, uint16_t v);

enum hello_kind {
	HELLO_NEED_MORE,	/* no verdict yet: read more, call again */
	HELLO_SERVER_HELLO,	/* a ServerHello: version and suite set */
	HELLO_RETRY,		/* HelloRetryRequest: TLS 1.3 is accepted */
	HELLO_ALERT,		/* an alert instead of a ServerHello */
	HELLO_NOT_TLS,		/* plain text (SMTP, HTTP), SSLv2, ... */
	HELLO_MALFORMED		/* TLS-looking but broken; see reason */
};

/*
 * The server's answer.  Fields parsed before a fault keep their values
 * when the verdict is HELLO_MALFORMED.
 *
 * version	the negotiated version: supported_versions when the server
 *		sent it (RFC 8446 §4.2.1), else server_version.  The
 *		caller compares it (and suite) with what it offered: a
 *		TLS 1.0-only server answers a TLS 1.2 hello with a TLS 1.0
 *		ServerHello (RFC 5246 §E.1), which means "1.2 refused".
 * group	key_share: the server's group in a TLS 1.3 ServerHello, the
 *		group it asks for in a HelloRetryRequest; 0: none.
 * downgrade	the RFC 8446 §4.1.3 sentinel in the server random of a
 *		TLS <= 1.2 ServerHello: 0x0304 when the server also speaks
 *		TLS 1.3 ("DOWNGRD\1"), 0x0303 when it speaks TLS 1.2 and
 *		chose less ("DOWNGRD\0"); 0: none.
 * alert_*	with HELLO_ALERT the alert the server sent (level 1
 *		warning, 2 fatal).  With HELLO_SERVER_HELLO a non-zero
 *		level is an alert that came after the ServerHello.
 * warning_*	a warning alert sent before the ServerHello — typically
 *		unrecognized_name (112), which Java takes as fatal.  When
 *		the data ends right after a warning, the verdict is
 *		HELLO_ALERT with alert_level 1: the server may go on, so
 *		the caller may read more (except after close_notify).
 * certs	TLS <= 1.2 and SSLv3 only (TLS 1.3 encrypts them): the
 *		Certificate message when it is in the data.  Certificate i
 *		(DER) is hs[cert_off[i]] .. + cert_len[i], i < ncerts; see
 *		hello_cert().  certs_dropped counts those beyond
 *		CHAIN_MAX.  cert_complete: the whole message was
 *		seen.  cert_absent: ServerKeyExchange, CertificateRequest
 *		or ServerHelloDone came first, so none will come (anon and
 *		PSK suites, RFC 5246 §7.4.2).
 * consumed	bytes of data making up the records parsed so far.
 * reason	why HELLO_NOT_TLS or HELLO_MALFORMED (static text), or NULL.
 * hs		the reassembled handshake bytes, hs_len of them.
 */
struct hello_reply {
	uint16_t		 record_version;
	uint16_t		 server_version;
	uint16_t		 version;
	uint16_t		 suite;
	uint16_t		 group;
	uint16_t		 downgrade;
	uint8_t			 compression;
	uint8_t			 alert_level, alert_desc;
	uint8_t			 warning_desc;
	int			 has_warning;
	int			 has_supported_versions;
	int			 has_renego_info;
	int			 extended_master_secret;
	unsigned char		 random[32];
	size_t			 ncerts, certs_dropped;
	size_t			 cert_off[CHAIN_MAX];
	size_t			 cert_len[CHAIN_MAX];
	int			 cert_complete, cert_absent;
	size_t			 consumed;
	const char		*reason;
	size_t			 hs_len;
	unsigned char		 hs[HELLO_HS_MAX];
};

/*
 * Parses the first len bytes the server sent.  Pure and stateless:
 * the caller appends what it reads to one buffer and passes all of it
 * every time; out is rewritten from scratch on each call.  Records are
 * taken whole; handshake messages are reassembled across records (at
 * most HELLO_HS_MAX bytes) and several may share a record.
 *
 * HELLO_NEED_MORE is returned only while the ServerHello (or the alert
 * replacing it) is incomplete.  Once a ServerHello is in, the verdict
 * is HELLO_SERVER_HELLO whether or not the certificates are: a caller
 * that wants them reads on while version <= TLS 1.2 and neither
 * cert_complete nor cert_absent is set nor alert_level, and calls
 * again.  After a TLS 1.3 ServerHello or a HelloRetryRequest nothing
 * more is parsed: the rest is encrypted or needs a second hello.
 *
 * out is large (HELLO_HS_MAX bytes): keep it off small stacks.
 */
enum hello_kind	hello_parse(const unsigned char *data, size_t len,
		    struct hello_reply *out);

/* Certificate i of reply (DER) and its length; NULL when i >= ncerts. */
const unsigned char *hello_cert(const struct hello_reply *reply, size_t i,
		    size_t *len);

/* The RFC name of an alert description ("handshake_failure"), or
 * "unknown_alert". */
const char	*hello_alert_name(uint8_t desc);

/* "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (Java's names),
 * or "unknown". */
const char	*hello_version_name(uint16_t version);

/* "need-more", "server-hello", "retry", "alert", "not-tls", "malformed". */
const char	*hello_kind_name(enum hello_kind kind);

#endif
