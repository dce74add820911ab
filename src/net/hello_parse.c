/*
 * The reader of the server's answer to a raw ClientHello: the
 * ServerHello/HelloRetryRequest/alert/Certificate parser hello_parse(),
 * hello_cert(), and the names of alerts, versions and verdicts.  The
 * parser walks whole records, appends handshake fragments to a bounded
 * buffer inside the reply and reads messages from there; every length
 * is checked against what is actually present before it is used.  The
 * hellos it answers are hello_build.c's.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hello.h"
#include "hello_int.h"

/* RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello whose random
 * is SHA-256("HelloRetryRequest"). */
static const unsigned char hello_hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11,
	0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
	0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static size_t
get24(const unsigned char *p)
{
	return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
}

static enum hello_kind
fault(struct hello_reply *out, enum hello_kind kind, const char *why)
{
	out->reason = why;
	return kind;
}

#define MALFORMED(out, why)	fault((out), HELLO_MALFORMED, (why))

/*
 * ServerHello extensions (RFC 8446 §4.1.3, RFC 5246 §7.4.1.4).  Each
 * known extension may appear once (RFC 8446 §4.2); unknown ones are
 * skipped, as RFC 5246 lets a client do for those it offered.
 */
static enum hello_kind
parse_extensions(struct hello_reply *out, const unsigned char *p, size_t n,
    int hrr)
{
	size_t off = 0, elen;
	unsigned type, seen = 0, bit;
	const unsigned char *e;

	while (off < n) {
		if (n - off < 4)
			return MALFORMED(out, "truncated ServerHello "
			    "extension header");
		type = get16(p + off);
		elen = get16(p + off + 2);
		off += 4;
		if (elen > n - off)
			return MALFORMED(out, "ServerHello extension longer "
			    "than the extension block");
		e = p + off;
		off += elen;
		switch (type) {
		case EXT_SUPPORTED_VERSIONS:	bit = 1; break;
		case EXT_KEY_SHARE:		bit = 2; break;
		case EXT_RENEGOTIATION_INFO:	bit = 4; break;
		case EXT_EXTENDED_MS:		bit = 8; break;
		default:			continue;
		}
		if (seen & bit)
			return MALFORMED(out, "ServerHello repeats an "
			    "extension (RFC 8446 §4.2)");
		seen |= bit;
		switch (type) {
		case EXT_SUPPORTED_VERSIONS:
			/* RFC 8446 §4.2.1: selected_version, two bytes. */
			if (elen != 2)
				return MALFORMED(out, "supported_versions in "
				    "ServerHello is not 2 bytes");
			out->version = (uint16_t)get16(e);
			out->has_supported_versions = 1;
			break;
		case EXT_KEY_SHARE:
			/* RFC 8446 §4.2.8: HRR names a group; ServerHello
			 * carries group + key_exchange<1..2^16-1>. */
			if (hrr ? elen != 2 :
			    (elen < 5 || get16(e + 2) != elen - 4))
				return MALFORMED(out, "key_share in "
				    "ServerHello has a bad length");
			out->group = (uint16_t)get16(e);
			break;
		case EXT_RENEGOTIATION_INFO:
			/* RFC 5746 §3.2: renegotiated_connection<0..255>. */
			if (elen < 1 || e[0] != elen - 1)
				return MALFORMED(out, "renegotiation_info has "
				    "a bad length");
			out->has_renego_info = 1;
			break;
		case EXT_EXTENDED_MS:
			if (elen != 0)
				return MALFORMED(out, "extended_master_secret "
				    "is not empty (RFC 7627 §5.1)");
			out->extended_master_secret = 1;
			break;
		}
	}
	return HELLO_SERVER_HELLO;
}

/* ServerHello body (RFC 5246 §7.4.1.3, RFC 6101 §5.6.1.3, RFC 8446
 * §4.1.3); p holds exactly n bytes. */
static enum hello_kind
parse_server_hello(struct hello_reply *out, const unsigned char *p, size_t n)
{
	static const unsigned char downgrd[7] = {
		'D', 'O', 'W', 'N', 'G', 'R', 'D'
	};
	size_t off, sid, elen;
	int hrr;

	if (n < 2 + 32 + 1)
		return MALFORMED(out, "ServerHello shorter than version, "
		    "random and session id length");
	out->server_version = (uint16_t)get16(p);
	out->version = out->server_version;
	memcpy(out->random, p + 2, 32);
	sid = p[34];
	if (sid > 32)
		return MALFORMED(out, "ServerHello session id longer than "
		    "32 bytes");
	off = 35 + sid;
	if (off > n || n - off < 3)
		return MALFORMED(out, "ServerHello ends before its cipher "
		    "suite and compression method");
	out->suite = (uint16_t)get16(p + off);
	out->compression = p[off + 2];
	off += 3;
	hrr = memcmp(out->random, hello_hrr_random, 32) == 0;
	/* Extensions are optional below TLS 1.3 (RFC 5246 §7.4.1.3: "the
	 * presence of extensions can be detected by determining whether
	 * there are bytes following the compression_method"). */
	if (off < n) {
		if (n - off < 2)
			return MALFORMED(out, "ServerHello has one stray byte "
			    "after the compression method");
		elen = get16(p + off);
		off += 2;
		if (elen != n - off)
			return MALFORMED(out, "ServerHello extensions length "
			    "disagrees with the message length");
		if (parse_extensions(out, p + off, elen, hrr) ==
		    HELLO_MALFORMED)
			return HELLO_MALFORMED;
	}
	if (hrr) {
		/* RFC 8446 §4.1.4: an HRR must carry supported_versions. */
		if (!out->has_supported_versions)
			return MALFORMED(out, "HelloRetryRequest without "
			    "supported_versions");
		return HELLO_RETRY;
	}
	if (out->version < HELLO_TLS13 &&
	    memcmp(out->random + 24, downgrd, sizeof(downgrd)) == 0 &&
	    out->random[31] <= 1)
		out->downgrade = out->random[31] ? HELLO_TLS13 : HELLO_TLS12;
	return HELLO_SERVER_HELLO;
}

/* Certificate (RFC 5246 §7.4.2, RFC 6101 §5.6.2): certificate_list
 * <0..2^24-1> of ASN.1Cert<1..2^24-1>.  body is an offset into out->hs. */
static enum hello_kind
parse_certificate(struct hello_reply *out, size_t body, size_t n)
{
	const unsigned char *p = out->hs + body;
	size_t off = 3, clen;

	if (n < 3 || get24(p) != n - 3)
		return MALFORMED(out, "certificate_list length disagrees "
		    "with the Certificate message length");
	while (off < n) {
		if (n - off < 3)
			return MALFORMED(out, "truncated certificate length");
		clen = get24(p + off);
		off += 3;
		if (clen == 0)
			return MALFORMED(out, "empty certificate in the "
			    "certificate_list");
		if (clen > n - off)
			return MALFORMED(out, "certificate longer than the "
			    "certificate_list");
		if (out->ncerts < CHAIN_MAX) {
			out->cert_off[out->ncerts] = body + off;
			out->cert_len[out->ncerts] = clen;
			out->ncerts++;
		} else
			out->certs_dropped++;
		off += clen;
	}
	out->cert_complete = 1;
	return HELLO_SERVER_HELLO;
}

/*
 * Reads the complete handshake messages in out->hs from *msg on.
 * *kind is NEED_MORE until the ServerHello, then its verdict; *stop is
 * set once nothing further is of interest.  Returns HELLO_MALFORMED or
 * the (possibly new) verdict.
 */
static enum hello_kind
parse_messages(struct hello_reply *out, size_t *msg, enum hello_kind kind,
    int *stop)
{
	const unsigned char *m;
	size_t mlen, body;
	unsigned type;

	while (out->hs_len - *msg >= HS_HDR) {
		m = out->hs + *msg;
		type = m[0];
		mlen = get24(m + 1);
		if (mlen > HELLO_HS_MAX - HS_HDR)
			return MALFORMED(out, "handshake message longer than "
			    "the 64 KiB reassembly limit");
		if (out->hs_len - *msg - HS_HDR < mlen)
			break;			/* rest in a later record */
		body = *msg + HS_HDR;
		*msg = body + mlen;
		if (kind == HELLO_NEED_MORE) {
			/* RFC 5246 §7.4.1.1: a HelloRequest now is ignored. */
			if (type == HS_HELLO_REQUEST && mlen == 0)
				continue;
			if (type != HS_SERVER_HELLO)
				return MALFORMED(out, "first handshake message "
				    "is not a ServerHello");
			kind = parse_server_hello(out, out->hs + body, mlen);
			if (kind == HELLO_MALFORMED)
				return kind;
			out->alert_level = out->alert_desc = 0;
			/* TLS 1.3 encrypts everything after the
			 * ServerHello; an HRR waits for a second hello. */
			if (kind == HELLO_RETRY ||
			    out->version >= HELLO_TLS13) {
				*stop = 1;
				return kind;
			}
			continue;
		}
		switch (type) {
		case HS_CERTIFICATE:
			*stop = 1;
			return parse_certificate(out, body, mlen);
		case HS_SERVER_KEY_EXCHANGE:
		case HS_CERTIFICATE_REQUEST:
		case HS_SERVER_HELLO_DONE:
			out->cert_absent = 1;
			*stop = 1;
			return kind;
		case HS_SERVER_HELLO:
			return MALFORMED(out, "a second ServerHello");
		default:
			break;			/* not ours to judge */
		}
	}
	return kind;
}

enum hello_kind
hello_parse(const unsigned char *data, size_t len, struct hello_reply *out)
{
	enum hello_kind kind = HELLO_NEED_MORE;
	size_t pos = 0, msg = 0, avail, rlen, next;
	const unsigned char *frag;
	int stop = 0;

	memset(out, 0, offsetof(struct hello_reply, hs));
	while (pos < len && !stop) {
		avail = len - pos;
		/*
		 * Content types 20..23 and major version 3 (RFC 5246 §6.2.1).
		 * Anything else at the very start is not TLS: "220 " of an
		 * SMTP greeting, "HTTP/", an SSLv2 record (high bit set).
		 */
		if (data[pos] < REC_CCS || data[pos] > REC_APPDATA ||
		    (avail >= 2 && data[pos + 1] != 3)) {
			if (pos == 0)
				return fault(out, HELLO_NOT_TLS, "not a TLS "
				    "record: bad content type or version");
			return MALFORMED(out, "a TLS record is followed by "
			    "bytes that are not one");
		}
		if (avail < REC_HDR)
			break;
		rlen = get16(data + pos + 3);
		if (pos == 0)
			out->record_version = (uint16_t)get16(data + 1);
		if (rlen > REC_WIRE_MAX)
			return MALFORMED(out, "record longer than 2^14+2048 "
			    "bytes (RFC 5246 §6.2.3)");
		if (avail - REC_HDR < rlen)
			break;			/* records are taken whole */
		frag = data + pos + REC_HDR;
		next = pos + REC_HDR + rlen;

		switch (data[pos]) {
		case REC_HANDSHAKE:
			/* RFC 5246 §6.2.1: no empty handshake fragments. */
			if (rlen == 0)
				return MALFORMED(out, "empty handshake record");
			if (rlen > HELLO_HS_MAX - out->hs_len)
				return MALFORMED(out, "more than 64 KiB of "
				    "handshake data");
			memcpy(out->hs + out->hs_len, frag, rlen);
			out->hs_len += rlen;
			out->consumed = next;
			kind = parse_messages(out, &msg, kind, &stop);
			if (kind == HELLO_MALFORMED)
				return kind;
			break;
		case REC_ALERT:
			/* RFC 5246 §7.2: level and description. */
			if (rlen != 2 || frag[0] < 1 || frag[0] > 2)
				return MALFORMED(out, "alert record is not "
				    "level (1 or 2) and description");
			out->alert_level = frag[0];
			out->alert_desc = frag[1];
			out->consumed = next;
			if (kind != HELLO_NEED_MORE)
				return kind;	/* aborted after ServerHello */
			if (frag[0] == 2)
				return HELLO_ALERT;
			/* A warning (unrecognized_name, RFC 6066 §3) may be
			 * followed by a ServerHello: note it, go on. */
			if (!out->has_warning) {
				out->has_warning = 1;
				out->warning_desc = frag[1];
			}
			if (next == len)
				return HELLO_ALERT;
			break;
		default:
			/* ChangeCipherSpec (TLS 1.3 middlebox compatibility)
			 * or application data: encrypted from here on. */
			if (kind == HELLO_NEED_MORE)
				return MALFORMED(out, "ChangeCipherSpec or "
				    "application data before the ServerHello");
			out->consumed = next;
			return kind;
		}
		pos = next;
	}
	return kind;
}

const unsigned char *
hello_cert(const struct hello_reply *reply, size_t i, size_t *len)
{
	if (i >= reply->ncerts || i >= CHAIN_MAX ||
	    reply->cert_off[i] > reply->hs_len ||
	    reply->cert_len[i] > reply->hs_len - reply->cert_off[i]) {
		*len = 0;
		return NULL;
	}
	*len = reply->cert_len[i];
	return reply->hs + reply->cert_off[i];
}

const char *
hello_alert_name(uint8_t desc)
{
	/* RFC 8446 §6 plus the values older RFCs defined and retired. */
	switch (desc) {
	case 0:		return "close_notify";
	case 10:	return "unexpected_message";
	case 20:	return "bad_record_mac";
	case 21:	return "decryption_failed";		/* RFC 5246 */
	case 22:	return "record_overflow";
	case 30:	return "decompression_failure";		/* RFC 5246 */
	case 40:	return "handshake_failure";
	case 41:	return "no_certificate";		/* SSLv3 */
	case 42:	return "bad_certificate";
	case 43:	return "unsupported_certificate";
	case 44:	return "certificate_revoked";
	case 45:	return "certificate_expired";
	case 46:	return "certificate_unknown";
	case 47:	return "illegal_parameter";
	case 48:	return "unknown_ca";
	case 49:	return "access_denied";
	case 50:	return "decode_error";
	case 51:	return "decrypt_error";
	case 60:	return "export_restriction";		/* RFC 4346 */
	case 70:	return "protocol_version";
	case 71:	return "insufficient_security";
	case 80:	return "internal_error";
	case 86:	return "inappropriate_fallback";	/* RFC 7507 */
	case 90:	return "user_canceled";
	case 100:	return "no_renegotiation";		/* RFC 5246 */
	case 109:	return "missing_extension";
	case 110:	return "unsupported_extension";
	case 111:	return "certificate_unobtainable";	/* RFC 6066 */
	case 112:	return "unrecognized_name";
	case 113:	return "bad_certificate_status_response";
	case 114:	return "bad_certificate_hash_value";	/* RFC 6066 */
	case 115:	return "unknown_psk_identity";
	case 116:	return "certificate_required";
	case 120:	return "no_application_protocol";
	default:	return "unknown_alert";
	}
}

const char *
hello_version_name(uint16_t version)
{
	switch (version) {
	case HELLO_SSL3:	return "SSLv3";
	case HELLO_TLS10:	return "TLSv1";
	case HELLO_TLS11:	return "TLSv1.1";
	case HELLO_TLS12:	return "TLSv1.2";
	case HELLO_TLS13:	return "TLSv1.3";
	default:		return "unknown";
	}
}

const char *
hello_kind_name(enum hello_kind kind)
{
	switch (kind) {
	case HELLO_NEED_MORE:		return "need-more";
	case HELLO_SERVER_HELLO:	return "server-hello";
	case HELLO_RETRY:		return "retry";
	case HELLO_ALERT:		return "alert";
	case HELLO_NOT_TLS:		return "not-tls";
	case HELLO_MALFORMED:		return "malformed";
	}
	return "unknown";
}
