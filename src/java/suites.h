/*
 * The cipher-suite registry: every TLS cipher suite smtpwiz can name,
 * loaded at run time from assets/ciphersuites.tsv (its header
 * documents the columns, the sources and the grading rule).  For each
 * suite: IANA id and name, OpenSSL and Java names, key exchange,
 * authentication, cipher, MAC, the protocol versions it is defined
 * for, a strength grade and flags.
 *
 * Users of the registry:
 *   - the prober (sweep_plan.c, tls_steps.c) asks suites_for_version() what
 *     to offer, in the registry's offer order (strongest first), and
 *     suites_by_id() what the server picked;
 *   - reports name suites by IANA name, show OpenSSL name, key exchange
 *     and grade;
 *   - javaprof.c reads the Java names and classifies suites the way the
 *     JDK does;
 *   - settings checks turn a mail.smtp.ssl.ciphersuites value written
 *     with OpenSSL names or commas into a valid Java value with
 *     suites_java_value().
 *
 * A registry is immutable after suites_load(): any number of threads
 * may read it at once.  Every string and struct suite it hands out
 * lives until suites_free().
 */
#ifndef SW_SUITES_H
#define SW_SUITES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SUITES_FILE	"ciphersuites.tsv"

/* Protocol versions by their wire numbers, as tls.h and hello.h. */
#define SUITE_SSL3	0x0300
#define SUITE_TLS10	0x0301
#define SUITE_TLS11	0x0302
#define SUITE_TLS12	0x0303
#define SUITE_TLS13	0x0304

enum suite_kx {
	SUITE_KX_NONE,		/* signalling values */
	SUITE_KX_TLS13,		/* negotiated apart (key_share) */
	SUITE_KX_ECDHE,
	SUITE_KX_DHE,
	SUITE_KX_RSA,
	SUITE_KX_ECDH,		/* static ECDH: no forward secrecy */
	SUITE_KX_DH,		/* static DH */
	SUITE_KX_PSK,
	SUITE_KX_SRP,
	SUITE_KX_ECJPAKE
};

enum suite_auth {
	SUITE_AUTH_NONE,	/* signalling values */
	SUITE_AUTH_TLS13,	/* certificate of any type */
	SUITE_AUTH_RSA,
	SUITE_AUTH_DSS,
	SUITE_AUTH_ECDSA,
	SUITE_AUTH_PSK,
	SUITE_AUTH_SRP,
	SUITE_AUTH_ECJPAKE,
	SUITE_AUTH_ANON
};

/* Best first, so that "grade <= SUITE_ACCEPTABLE" reads naturally. */
enum suite_grade {
	SUITE_STRONG,
	SUITE_ACCEPTABLE,
	SUITE_WEAK,
	SUITE_INSECURE,
	SUITE_SIGNAL		/* not a cipher suite: SCSVs */
};

/* Flags: the file's four, then three derived at load time. */
#define SUITE_F_EXPORT	0x0001
#define SUITE_F_ANON	0x0002
#define SUITE_F_NULL	0x0004	/* no encryption */
#define SUITE_F_SCSV	0x0008	/* signalling value (RFC 5746, 7507) */
#define SUITE_F_AEAD	0x0010	/* GCM, CCM, ChaCha20-Poly1305 */
#define SUITE_F_FS	0x0020	/* forward secrecy: TLS13 ECDHE DHE SRP
				   ECJPAKE */
#define SUITE_F_SECRET	0x0040	/* needs a shared secret the prober has
				   not got: auth PSK, SRP, ECJPAKE */

struct suite {
	uint16_t	 id;
	const char	*iana;		/* "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
	const char	*openssl;	/* "ECDHE-RSA-AES128-GCM-SHA256"; "" none */
	const char	*openssl_alias;	/* older accepted names, comma-
					   separated ("EDH-RSA-DES-CBC3-SHA");
					   "" none */
	const char	*java;		/* SunJSSE's name when some Java 8-21
					   implements it; "" none */
	enum suite_kx	 kx;
	enum suite_auth	 auth;
	const char	*enc;		/* "AES_128_GCM", "3DES_EDE_CBC", "NULL" */
	unsigned	 bits;		/* effective key bits: 3DES 112 */
	const char	*mac;		/* "SHA1" "SHA256" "SHA384" "MD5" "AEAD" */
	uint16_t	 min_version;	/* SUITE_SSL3 ..; 0 for signalling */
	uint16_t	 max_version;
	enum suite_grade grade;
	unsigned	 flags;		/* SUITE_F_* */
};

struct suites;

/*
 * Loads the registry from the asset SUITES_FILE (assets.h says where
 * it is looked for).  *out is freed with suites_free().
 * Errors: SW_EASSET (missing file, or a malformed line: the message
 * names file, line and field), SW_ENOMEM.
 */
enum sw_err	 suites_load(struct suites **out, struct sw_error *err);

/*
 * The same from text (len bytes, copied; need not be NUL-terminated);
 * name is used in messages.  Checks every line: 13 fields, a unique
 * hex id, unique IANA, OpenSSL and Java names, known keywords,
 * min <= max.
 * Errors: SW_EASSET, SW_ENOMEM.
 */
enum sw_err	 suites_parse(const char *text, size_t len, const char *name,
		    struct suites **out, struct sw_error *err);

/* Frees reg; NULL is fine. */
void		 suites_free(struct suites *reg);

/* Number of suites, signalling values included. */
size_t		 suites_count(const struct suites *reg);

/* Suite i (0 <= i < suites_count()) in file order, which is the offer
 * order: TLS 1.3 first, then strongest first. */
const struct suite *suites_at(const struct suites *reg, size_t i);

/*
 * Lookups; NULL when not found.  by_id is a binary search; the name
 * lookups scan (a few hundred entries).
 *   by_iana     exact IANA name (Java and JavaMail are case-sensitive)
 *   by_java     exact name as Java accepts it: SunJSSE's name or the
 *               IANA alias Java 11+ and 8u261+ also accept
 *   by_openssl  OpenSSL name or alias, case-insensitive
 *   by_name     any of the three, case-insensitive, for user input
 */
const struct suite *suites_by_id(const struct suites *reg, uint16_t id);
const struct suite *suites_by_iana(const struct suites *reg,
		    const char *name);
const struct suite *suites_by_java(const struct suites *reg,
		    const char *name);
const struct suite *suites_by_openssl(const struct suites *reg,
		    const char *name);
const struct suite *suites_by_name(const struct suites *reg,
		    const char *name);

/*
 * The suites defined for version (min_version <= version <=
 * max_version), in offer order, signalling values left out, and also
 * every suite with one of the exclude flags (e.g. SUITE_F_SECRET |
 * SUITE_F_EXPORT).  Writes at most cap ids to out (out may be NULL
 * when cap is 0) and returns how many there are in all, so that a
 * caller can size its array with a first call.  An unknown version
 * gives 0.
 */
size_t		 suites_for_version(const struct suites *reg,
		    uint16_t version, unsigned exclude, uint16_t *out,
		    size_t cap);

/* 1 when s may be offered in a hello of version (its range holds it). */
int		 suite_usable_at(const struct suite *s, uint16_t version);

/*
 * Rewrites a mail.smtp.ssl.ciphersuites value into what Java accepts:
 * tokens separated by spaces, commas, colons or semicolons, each an
 * IANA, Java or OpenSSL name in any case, become the suites' Java
 * names (IANA names for suites no Java implements), space-separated,
 * duplicates dropped, order kept, in out (cap bytes; always
 * terminated).  Tokens that name no suite are copied to bad (badcap
 * bytes, space-separated; may be NULL).  Returns the number of such
 * unknown tokens; *changed (may be NULL) is set when out differs from
 * in.
 */
size_t		 suites_java_value(const struct suites *reg, const char *in,
		    char *out, size_t cap, char *bad, size_t badcap,
		    int *changed);

/*
 * The grade the registry's documented rule gives s from its other
 * fields (kx, enc, bits, mac, flags).  The registry's grade column is
 * data and may be tuned; tests check the shipped file against this.
 */
enum suite_grade suite_grade_rule(const struct suite *s);

/* Names as the file spells them: "ECDHE", "anon", "strong", ...; "?"
 * for values out of range. */
const char	*suite_kx_name(enum suite_kx);
const char	*suite_auth_name(enum suite_auth);
const char	*suite_grade_name(enum suite_grade);

/* "SSLv3" "TLSv1" "TLSv1.1" "TLSv1.2" "TLSv1.3" (Java's names) or
 * "unknown"; and back, exact match, 0 when it is none of them. */
const char	*suite_version_name(uint16_t version);
uint16_t	 suite_version_parse(const char *name);

#endif
