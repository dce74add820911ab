/*
 * The TLS wire constants both halves of the raw prober speak:
 * hello_build.c writes them into a ClientHello, hello_parse.c reads
 * them in the server's answer.  Not part of the engine API: callers
 * include hello.h.
 */
#ifndef SW_HELLO_INT_H
#define SW_HELLO_INT_H

/* Record layer: RFC 5246 §6.2.1, RFC 6101 §5.2.1 (SSLv3). */
#define REC_CCS			20
#define REC_ALERT		21
#define REC_HANDSHAKE		22
#define REC_APPDATA		23
#define REC_HDR			5
#define REC_PLAIN_MAX		16384			/* 2^14 */
#define REC_WIRE_MAX		(16384 + 2048)		/* §6.2.3 */

/* Handshake message types: RFC 5246 §7.4, RFC 8446 §4. */
#define HS_HDR			4
#define HS_HELLO_REQUEST	0
#define HS_CLIENT_HELLO		1
#define HS_SERVER_HELLO		2
#define HS_CERTIFICATE		11
#define HS_SERVER_KEY_EXCHANGE	12
#define HS_CERTIFICATE_REQUEST	13
#define HS_SERVER_HELLO_DONE	14

/* Extension types (IANA "TLS ExtensionType Values"). */
#define EXT_SERVER_NAME		0	/* RFC 6066 §3 */
#define EXT_SUPPORTED_GROUPS	10	/* RFC 8422 §5.1.1 */
#define EXT_EC_POINT_FORMATS	11	/* RFC 8422 §5.1.2 */
#define EXT_SIGNATURE_ALGS	13	/* RFC 5246 §7.4.1.4.1 */
#define EXT_PADDING		21	/* RFC 7685 */
#define EXT_EXTENDED_MS		23	/* RFC 7627 */
#define EXT_SESSION_TICKET	35	/* RFC 5077 */
#define EXT_SUPPORTED_VERSIONS	43	/* RFC 8446 §4.2.1 */
#define EXT_PSK_MODES		45	/* RFC 8446 §4.2.9 */
#define EXT_KEY_SHARE		51	/* RFC 8446 §4.2.8 */
#define EXT_RENEGOTIATION_INFO	0xff01	/* RFC 5746 §3.2 */

#endif
