/*
 * A Java runtime's security properties -- what $JAVA_HOME/conf/
 * security/java.security (Java 8: jre/lib/security/java.security)
 * says -- and the JDK's algorithm-constraint rules over them: which
 * protocol version, cipher suite, certificate key or signature a
 * jdk.tls.disabledAlgorithms or jdk.certpath.disabledAlgorithms value
 * rejects, and because of which entry.
 *
 * The rules are those of OpenJDK's AbstractAlgorithmConstraints.
 * getAlgorithms(), DisabledAlgorithmConstraints and
 * SSLAlgorithmDecomposer (read in JDK 25; the same in 11-21), checked
 * against the JDK itself by tests/data/javasec/JsseOracle.java:
 *   - the value (quotes around the whole value stripped) is split at
 *     commas, each entry trimmed, compared case-insensitively;
 *   - "include jdk.disabled.namedCurves" is replaced by that
 *     property's list -- the only include the JDK resolves; any other
 *     "include X" makes the JDK fail ("Constraint unknown: X");
 *   - an entry with a space is a constraint ("DH keySize < 1024",
 *     "SHA1 jdkCA & usage TLSServer", "... & denyAfter 2019-01-01"):
 *     it never disables a name outright;
 *   - a cipher suite is disabled when an entry equals its Java name,
 *     or one of its components (key exchange, cipher, MAC and PRF hash
 *     names, e.g. "RSA", "3DES_EDE_CBC", "SHA1", "anon"), or -- on JDKs
 *     with JDK-8341964 (11.0.30+, 17.0.18+, 21.0.10+, 24+) -- a TLS_*
 *     wildcard matches its Java name (case-sensitively).
 *
 * Property files are read with props.c (java.util.Properties rules:
 * continuation lines, escapes, comments).  Two JDK features are not
 * modelled: a top-level "include FILE" line (JDK 24+: the key
 * "include" is kept, unexpanded) and the system property
 * -Djava.security.properties, whose effect javasec_merge() reproduces
 * when the caller has the file:
 *   -Djava.security.properties=FILE    FILE's keys override single keys
 *                                      of java.security (merge);
 *   -Djava.security.properties==FILE   FILE replaces java.security
 *                                      entirely (use FILE alone).
 * (Both only when security.overridePropertiesFile=true, the default.)
 *
 * Nothing here allocates behind the caller's back or keeps state: one
 * struct javasec per thread at a time, lists are values.
 */
#ifndef SW_JAVASEC_H
#define SW_JAVASEC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "suites.h"

#define JAVASEC_TLS		"jdk.tls.disabledAlgorithms"
#define JAVASEC_CERTPATH	"jdk.certpath.disabledAlgorithms"
#define JAVASEC_LEGACY		"jdk.tls.legacyAlgorithms"
#define JAVASEC_CURVES		"jdk.disabled.namedCurves"

struct javasec;

/* Parses java.security text (len bytes); name is used in messages.
 * Errors: SW_EFILE (a syntax error props.c rejects), SW_ENOMEM. */
enum sw_err	 javasec_parse(const char *text, size_t len, const char *name,
		    struct javasec **out, struct sw_error *err);

/* Reads and parses the file at path.
 * Errors: SW_EFILE (missing, unreadable, too big, syntax), SW_ENOMEM. */
enum sw_err	 javasec_load_file(const char *path, struct javasec **out,
		    struct sw_error *err);

/* Frees sec; NULL is fine. */
void		 javasec_free(struct javasec *sec);

/* The name given to javasec_parse() or the path loaded. */
const char	*javasec_name(const struct javasec *sec);

/* The value of key, as Security.getProperty() returns it, or NULL. */
const char	*javasec_get(const struct javasec *sec, const char *key);

/* The line key's value was read from; 0 when set in code or absent. */
unsigned	 javasec_line(const struct javasec *sec, const char *key);

/* Sets key (both copied).  Errors: SW_EUSAGE (too long), SW_ENOMEM. */
enum sw_err	 javasec_set(struct javasec *sec, const char *key,
		    const char *value, struct sw_error *err);

/* Every key of src replaces dst's: what -Djava.security.properties=
 * src (one '=') does to dst.  Errors: as javasec_set(). */
enum sw_err	 javasec_merge(struct javasec *dst, const struct javasec *src,
		    struct sw_error *err);

/* Constraint conditions of an entry, joined by '&'. */
enum javasec_cond_kind {
	JAVASEC_KEYSIZE,	/* keySize OP N */
	JAVASEC_JDKCA,		/* the chain ends at a JDK cacerts CA */
	JAVASEC_DENYAFTER,	/* after a date (arg "YYYY-MM-DD") */
	JAVASEC_USAGE		/* in one of these uses (arg, spaces) */
};

enum javasec_op { JAVASEC_LT, JAVASEC_LE, JAVASEC_EQ, JAVASEC_NE,
	JAVASEC_GE, JAVASEC_GT };

#define JAVASEC_COND_MAX	4

struct javasec_cond {
	enum javasec_cond_kind	 kind;
	enum javasec_op		 op;		/* JAVASEC_KEYSIZE */
	long			 size;
	char			 arg[64];	/* date or usage words */
};

/* Entry flags. */
#define JAVASEC_E_COND		0x01	/* has conditions: never disables
					   a name outright */
#define JAVASEC_E_STAR		0x02	/* contains '*' */
#define JAVASEC_E_INCLUDED	0x04	/* came from jdk.disabled.namedCurves */
#define JAVASEC_E_BAD		0x08	/* the JDK rejects it; see bad */
#define JAVASEC_E_INCLUDE	0x10	/* "include jdk.disabled.namedCurves"
					   itself: a marker, matches nothing;
					   its curves follow it */

struct javasec_entry {
	char			 text[160];	/* trimmed, as written */
	char			 alg[64];	/* first word ("DH") */
	unsigned		 flags;
	size_t			 ncond;
	struct javasec_cond	 cond[JAVASEC_COND_MAX];
	char			 bad[128];	/* why the JDK rejects it */
};

/* One property's value as the JDK's constraint set. */
struct javasec_list {
	char			 property[64];
	size_t			 n;
	struct javasec_entry	*v;		/* malloc'ed */
};

/*
 * Parses value (may be NULL: an empty list) as the value of property,
 * resolving "include jdk.disabled.namedCurves" against sec (may be
 * NULL: nothing to include).  Entries the JDK would reject are kept
 * with JAVASEC_E_BAD.  Free with javasec_list_free().
 * Errors: SW_ENOMEM.
 */
enum sw_err	 javasec_list_parse(const char *value, const char *property,
		    const struct javasec *sec, struct javasec_list *out,
		    struct sw_error *err);

void		 javasec_list_free(struct javasec_list *list);

/*
 * Writes the list's value without the entries whose index has a
 * non-zero drop[i] (drop may be NULL), joined by ", ", into out (cap
 * bytes, terminated; truncated entries are dropped whole).  Entries
 * that came from an include are written as the one include entry.
 * This is what a java.security edit should put after the '='.
 */
void		 javasec_list_value(const struct javasec_list *list,
		    const unsigned char *drop, char *out, size_t cap);

/* How a JDK evaluates lists; javaprof.c takes these from a profile. */
#define JAVASEC_M_WILDCARDS	0x01	/* TLS_* patterns (JDK-8341964) */
#define JAVASEC_M_LEGACY_JSSE	0x02	/* 8u202 and older: no PRF-hash
					   components */

/*
 * The first entry the JDK rejects when it reads the list (an unknown
 * constraint, a bad keySize, a wildcard not starting with "TLS_"), or
 * NULL; *why gets the JDK's IllegalArgumentException message (static
 * or in the entry).  Such a JDK fails every TLS connection with an
 * ExceptionInInitializerError; callers report it first.
 */
const struct javasec_entry *javasec_list_bad(const struct javasec_list *list,
		    unsigned mode, const char **why);

/*
 * The entries that disable name -- a protocol version ("TLSv1.1") or
 * any plain algorithm name -- or, with javasec_match_suite(), suite s
 * as jdk.tls.disabledAlgorithms does (see the top of this file).  Up to
 * cap of them go to hits (may be NULL when cap is 0); the return value
 * is how many there are.  Zero: not disabled.
 */
size_t		 javasec_match_name(const struct javasec_list *list,
		    const char *name, const struct javasec_entry **hits,
		    size_t cap);
size_t		 javasec_match_suite(const struct javasec_list *list,
		    const struct suite *s, unsigned mode,
		    const struct javasec_entry **hits, size_t cap);

/*
 * The names SSLAlgorithmDecomposer gives suite s (static strings, at
 * most 16); returns how many.  The suite's own Java name is not among
 * them.  Signalling values and suites no Java implements have none.
 */
size_t		 javasec_components(const struct suite *s, unsigned mode,
		    const char **out, size_t cap);

/*
 * Certificate checks as CertPath validation (and, with the TLS list,
 * the handshake's extra chain check) does them.  ctx says where the
 * chain is checked: JAVASEC_CTX_TLS_SERVER for a server certificate in
 * jdk.certpath.disabledAlgorithms (usage TLSServer), JAVASEC_CTX_TLS
 * for jdk.tls.disabledAlgorithms (usage CertificateSignature).
 *
 * javasec_check_key: key_alg "RSA", "EC", "DSA" of bits bits -- the
 * first entry that rejects it ("RSA keySize < 1024", or a plain "DSA"),
 * or NULL.
 * javasec_check_sig: a signature algorithm "SHA1withRSA",
 * "SHA256withECDSA" on a certificate whose chain ends at a JDK cacerts
 * CA when jdk_ca, checked on date now -- the first entry that rejects
 * it ("MD5", "SHA1 jdkCA & usage TLSServer"), or NULL.
 */
#define JAVASEC_CTX_TLS_SERVER	1
#define JAVASEC_CTX_TLS		2

const struct javasec_entry *javasec_check_key(const struct javasec_list *list,
		    const char *key_alg, unsigned bits);
const struct javasec_entry *javasec_check_sig(const struct javasec_list *list,
		    const char *sig_alg, int jdk_ca, int ctx, time_t now);

#endif
