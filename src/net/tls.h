/*
 * The TLS client over mbedTLS: one handshake on a struct link, with the
 * conn's deadline and cancel fd honoured at every wait, and a summary of
 * what happened that a probe can turn into findings (version, suite,
 * the fatal alert, why it failed, the peer chain as sent).  Verification
 * runs with VERIFY_OPTIONAL and its flags are reported, never enforced:
 * judging the chain is x509.c's job.  The tls*.c and x509*.c files are
 * the only mbedTLS users; every difference between mbedTLS 2.28 and 3.6
 * lives in tls*.c, and this header names no mbedTLS type but an opaque
 * one.
 */
#ifndef SW_TLS_H
#define SW_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "chain.h"
#include "link.h"
#include "err.h"

/* TLS versions by their wire numbers (RFC 8446 §4.2.1). */
#define TLS_SSL3	0x0300
#define TLS_V10		0x0301
#define TLS_V11		0x0302
#define TLS_V12		0x0303
#define TLS_V13		0x0304

#define TLS_VERIFY_UNKNOWN 0xffffffffu	/* verification did not run */

struct mbedtls_x509_crt;		/* x509.c builds trust anchors */

struct tls_params {
	const char	*sni;		/* SNI and verified name; NULL or an
					   IP literal: no SNI */
	uint16_t	 min_version;	/* TLS_V10...; 0: lowest this build can */
	uint16_t	 max_version;	/* 0: highest this build can do */
	const uint16_t	*suites;	/* IANA ids to offer, in order; */
	size_t		 nsuites;	/* NULL/0: the library's default */
	const uint16_t	*groups;	/* named groups (supported_groups, */
	size_t		 ngroups;	/* key shares), in order; NULL: the
					   library's default; those this
					   build cannot offer are left out */
	unsigned	 dh_min_bits;	/* smallest DHE group taken; 0: the
					   library's default (1024) */
	const struct mbedtls_x509_crt *ca_chain; /* NULL: no trust anchors */
};

enum tls_failure {
	TLS_FAIL_NONE,			/* the handshake completed */
	TLS_FAIL_ALERT,			/* the server sent a fatal alert */
	TLS_FAIL_CLOSED,		/* closed or reset mid-handshake */
	TLS_FAIL_NOT_TLS,		/* the answer was not a TLS record */
	TLS_FAIL_VERSION,		/* no version in common */
	TLS_FAIL_OTHER			/* timeout, cancel, anything else */
};

/*
 * What a handshake found.  Filled on success, and on failure as far as
 * it got: failure, alert and, once the server's Certificate message was
 * parsed, the chain and verify_flags.  version and suite are 0 unless the
 * handshake completed.
 */
struct tls_info {
	uint16_t	 version;	/* TLS_V12... */
	uint16_t	 suite;		/* IANA id */
	char		 suite_name[80]; /* IANA name, "" if unknown */
	int		 alert;		/* fatal alert from the server; -1 */
	enum tls_failure failure;
	uint32_t	 verify_flags;	/* MBEDTLS_X509_BADCERT_* bits;
					   TLS_VERIFY_UNKNOWN */
	size_t		 nchain;	/* peer chain as sent, leaf first */
	size_t		 chain_dropped;	/* sent beyond CHAIN_MAX */
	unsigned char	*chain_der[CHAIN_MAX];	/* owned (malloc) */
	size_t		 chain_len[CHAIN_MAX];
	unsigned	 dh_bits, dh_min; /* the server's DHE group refused
					   as smaller than dh_min_bits:
					   its size and the least taken;
					   0 otherwise */
};

/*
 * "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" as Java names them;
 * "unknown" for other numbers.  Errors: none.
 */
const char	*tls_version_name(uint16_t version);

/* The wire number of a Java version name.  Errors: 0 if it is none. */
uint16_t	 tls_version_parse(const char *name);

/*
 * "mbed TLS 2.28.3", "Mbed TLS 3.6.6": the linked library's own version
 * string, asked at run time.  Thread-safe; the string is static.
 * Errors: none.
 */
const char	*tls_library_version(void);

/*
 * The versions this build can complete a handshake with: TLSv1 to
 * TLSv1.2 with Debian's 2.28, TLSv1.2 to TLSv1.3 with 3.6.  What is
 * outside goes to the raw prober (hello.h).  Errors: none.
 */
void		 tls_library_range(uint16_t *min, uint16_t *max);

/*
 * The suites the linked mbedTLS can negotiate, as IANA ids in its
 * preference order: writes at most cap into out and returns the total.
 * Thread-safe; no allocation.  (The registry test checks each is known.)
 */
size_t		 tls_library_suites(uint16_t *out, size_t cap);

/*
 * The named groups (IANA ids) this build offers when asked for none:
 * all it can use for key exchange, in its preference order.  Writes at
 * most cap into out and returns the total.  Errors: none.
 */
size_t		 tls_library_groups(uint16_t *out, size_t cap);

/* mbedTLS's own name of suite id, or NULL when it does not know it. */
const char	*tls_library_suite_name(uint16_t id);

/* The RFC 8446 §6 name of an alert ("handshake_failure").
 * Errors: "unknown" for numbers no RFC assigns. */
const char	*tls_alert_name(int alert);

/* A short word for a failure: "none", "alert", "closed", "not-tls",
 * "version", "other" (the batch report's and the test driver's).
 * Errors: none. */
const char	*tls_failure_name(enum tls_failure);

/*
 * Runs a TLS client handshake on c (a connected plain conn; for STARTTLS
 * after the server's 220), waiting at most until c->deadline and
 * stopping when c->cancel_fd becomes readable.  Bytes still buffered in
 * c (link_pending) are discarded first: they were not protected (RFC 3207
 * §6); callers that want to report them check link_pending() before.
 * The version range asked for is narrowed to what this build can do
 * (empty: SW_EUSAGE, nothing sent); a suite list with no TLS 1.3 suite
 * caps it at TLSv1.2, one with only TLS 1.3 suites raises it to TLSv1.3.
 * params is copied except ca_chain, which is borrowed until link_close().
 * info (may be NULL) is overwritten, so free a used one first, and filled
 * as described above; free it with tls_info_free().  A transcript note
 * ("TLS handshake: TLSv1.2 TLS_ECDHE_...", or "TLS handshake failed:
 * <message>") is sent through link_note().
 * On success c->ops are the TLS ops: reads and writes are protected and
 * link_close() sends close_notify and frees everything.  On failure c is
 * left as a plain conn, good for link_close() only.  Call from the worker
 * thread; handshakes on different conns may run in parallel.
 * Errors: SW_ETLS (alert, not TLS, no common version, ...: the message
 * says which), SW_ECLOSED, SW_ETIMEOUT, SW_ECANCEL, SW_EUSAGE (a version
 * range or suite list this build cannot offer), SW_ENOMEM.
 */
enum sw_err	 tls_start(struct link *c, const struct tls_params *params,
		    struct tls_info *info, struct sw_error *err);

/*
 * HMAC-MD5 of msg under key into out (CRAM-MD5, RFC 2195), from mbedTLS.
 * Errors: SW_ETLS (this mbedTLS has no MD5).
 */
enum sw_err	 tls_hmac_md5(const void *key, size_t keylen, const void *msg,
		    size_t msglen, unsigned char out[16], struct sw_error *);

/*
 * Loads the PEM certificates of the file at path as trust anchors for
 * tls_params.ca_chain -- for a peer smtpwiz must verify before sending
 * it anything secret (then a handshake's verify_flags must be 0).
 * Certificates mbedTLS cannot read are skipped.  Free with
 * tls_ca_free().
 * Errors: SW_EFILE (unreadable, or no certificate in it: names the
 * file), SW_ENOMEM.
 */
enum sw_err	 tls_ca_load(const char *path, struct mbedtls_x509_crt **out,
		    struct sw_error *err);
void		 tls_ca_free(struct mbedtls_x509_crt *crt);

/* A handshake's verify_flags in words ("not issued by a trusted CA,
 * expired") into buf; returns buf.  Errors: none. */
const char	*tls_verify_text(uint32_t flags, char *buf, size_t cap);

/* Frees the chain copies in info; info may then be reused.  NULL is ok.
 * Errors: none. */
void		 tls_info_free(struct tls_info *info);

#endif
