/*
 * Certificates over mbedTLS: what a certificate says (names, dates,
 * key, signature, fingerprint), trust-anchor sets, and the path a Java
 * PKIX validator would build from the chain a server sent to one of
 * those anchors.  With tls.c the only mbedTLS user; every difference
 * between mbedTLS 2.28 and 3.6 for certificates lives in x509*.c, and
 * this header names no mbedTLS type.
 *
 * Path building follows Java (sun.security.validator.PKIXValidator and
 * the PKIX CertPathBuilder), not mbedTLS: the chain may come in any
 * order; a sent certificate equal to an anchor ends the path there
 * (also the leaf itself); an anchor need not be self-signed (an
 * intermediate in the trust store is enough); anchors are tried before
 * sent certificates; nothing is fetched (Java's AIA fetching is off by
 * default), so a missing intermediate is missing.  Issuers are found by
 * name and confirmed by checking the signature.  Validity dates, key
 * sizes and algorithms are reported, not used to choose the path.
 *
 * All functions are re-entrant; sets and results belong to the caller.
 */
#ifndef SW_X509_H
#define SW_X509_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "chain.h"
#include "err.h"
#include "hostname.h"

#define X509_DNS_MAX		32	/* dNSName entries kept */
#define X509_IP_MAX		8	/* iPAddress entries kept */

enum x509_key { X509_KEY_UNKNOWN, X509_KEY_RSA, X509_KEY_EC, X509_KEY_DSA,
	X509_KEY_ED };

/* Signature digests, as far as Java's certpath rules care. */
enum x509_md { X509_MD_UNKNOWN, X509_MD_MD2, X509_MD_MD5, X509_MD_SHA1,
	X509_MD_SHA224, X509_MD_SHA256, X509_MD_SHA384, X509_MD_SHA512 };

/* What one certificate says.  Strings are as parsed, not sanitised. */
struct x509_info {
	char		subject[512];		/* "CN=..., O=..." */
	char		issuer[512];
	char		cn[256];		/* most specific CN; "" */
	size_t		ndns, dns_dropped;
	char		dns[X509_DNS_MAX][256];
	size_t		nips, ips_dropped;
	struct host_ip	ips[X509_IP_MAX];
	time_t		not_before, not_after;
	enum x509_key	key;
	unsigned	key_bits;		/* RSA modulus, EC field size */
	char		curve[32];		/* "secp256r1"; "" */
	char		key_text[48];		/* "RSA 2048",
						   "EC 256 secp256r1" */
	enum x509_md	sig_md;
	char		signature[48];		/* "sha256WithRSAEncryption" */
	unsigned char	sha256[32];
	int		version;		/* 1, 2, 3 */
	int		is_ca;			/* basicConstraints cA */
	int		self_issued;		/* subject == issuer */
	int		self_signed;		/* ... its own key signs it */
	int		server_auth_ok;		/* EKU absent or serverAuth */
	int		key_cert_sign;		/* keyUsage absent or
						   keyCertSign */
};

/*
 * Reads a DER certificate into out.  When mbedTLS cannot parse it (an
 * unknown curve, a DSA key, MD2 in 3.x) the fingerprint is still
 * filled and the error says why.
 * Errors: SW_EFILE (not a certificate mbedTLS can read), SW_ENOMEM.
 */
enum sw_err	x509_info_parse(const unsigned char *der, size_t len,
		    struct x509_info *out, struct sw_error *err);

/* "AB:CD:..." (95 characters + NUL) of a 32-byte digest. */
void		x509_fingerprint_text(const unsigned char sha256[32],
		    char out[96]);

/* "2026-01-01T00:00:00Z". */
void		x509_time_text(time_t t, char out[24]);

/* The SHA-256 and SHA-1 digests of data.  Errors: SW_ETLS. */
enum sw_err	x509_sha256(const void *data, size_t len,
		    unsigned char out[32], struct sw_error *err);
enum sw_err	x509_sha1(const void *data, size_t len, unsigned char out[20],
		    struct sw_error *err);

/*
 * PEM text ("-----BEGIN CERTIFICATE-----", 64-column base64) of the n
 * DER certificates, malloc'ed and NUL-terminated into *out, *outlen
 * bytes.  Errors: SW_ENOMEM.
 */
enum sw_err	x509_pem(const unsigned char *const *der, const size_t *len,
		    size_t n, char **out, size_t *outlen,
		    struct sw_error *err);

/*
 * Every "-----BEGIN CERTIFICATE-----" (also "X509 CERTIFICATE" and
 * "TRUSTED CERTIFICATE") block of text[0..len) decoded to DER and
 * passed to fn (alias NULL); text outside the blocks is ignored.  A
 * block that is not valid base64 is counted in *bad (may be NULL).
 * Returns SW_OK or what fn returned.  *found (may be NULL) gets the
 * number of blocks delivered.
 */
enum sw_err	x509_pem_each(const char *text, size_t len,
		    enum sw_err (*fn)(void *arg, const unsigned char *der,
		    size_t dlen), void *arg, size_t *found, size_t *bad);

/* ---- trust anchors ---------------------------------------------------- */

struct x509_anchors;

/* An empty set, or NULL when out of memory. */
struct x509_anchors *x509_anchors_new(void);
void		x509_anchors_free(struct x509_anchors *);

/*
 * Adds a certificate.  label (may be NULL) is the keystore alias or
 * the file it came from; jdk marks an anchor Java counts as a "jdkCA"
 * (its alias in the JDK's own cacerts contains " [jdk", see
 * sun.security.util.AnchorCertificates).  A certificate mbedTLS cannot
 * parse is counted as skipped, not added; a duplicate (same SHA-256)
 * is ignored.
 * Errors: SW_ENOMEM only (an unreadable certificate is not an error).
 */
enum sw_err	x509_anchors_add(struct x509_anchors *,
		    const unsigned char *der, size_t len, const char *label,
		    int jdk, struct sw_error *err);

size_t		x509_anchors_count(const struct x509_anchors *);
size_t		x509_anchors_skipped(const struct x509_anchors *);

/* 1 when an anchor has this SHA-256 fingerprint; its label to *label. */
int		x509_anchors_has(const struct x509_anchors *,
		    const unsigned char sha256[32], const char **label);

/* ---- the path a Java client would build ------------------------------ */

struct x509_path {
	size_t		nsent;			/* certificates sent */
	int		parsed[CHAIN_MAX];	/* 1: mbedTLS read it */
	size_t		len;			/* certificates on the path */
	int		idx[CHAIN_MAX];	/* path -> sent index */
	int		trusted;		/* it ends at an anchor */
	int		anchor_sent;		/* the last path certificate
						   is itself an anchor */
	struct x509_info anchor;		/* the anchor, when trusted */
	char		anchor_label[128];
	int		anchor_jdk;
	int		ordered;		/* sent in path order */
	size_t		unused;			/* sent, not on the path and
						   not the anchor itself */
	int		top_self_signed;	/* untrusted: the path ends at
						   a self-signed certificate */
	char		missing_issuer[512];	/* untrusted, not self-signed:
						   the issuer nobody sent */
	int		not_ca;			/* path index of a certificate
						   used as a CA but not one;
						   -1 */
};

/*
 * Builds the path from the n DER certificates the server sent (leaf
 * first) to anchors (may be NULL: no anchors), as described at the top.
 * Errors: SW_EUSAGE (n is 0), SW_EFILE (the leaf cannot be parsed),
 * SW_ENOMEM.
 */
enum sw_err	x509_build_path(const unsigned char *const *der,
		    const size_t *len, size_t n,
		    const struct x509_anchors *anchors, struct x509_path *out,
		    struct sw_error *err);

/* "RSA", "EC", "DSA", "EdDSA", "unknown". */
const char	*x509_key_name(enum x509_key);

/* "MD2", "MD5", "SHA-1" ... as Java's algorithm names; "unknown". */
const char	*x509_md_name(enum x509_md);

#endif
