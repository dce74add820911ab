/*
 * Java client profiles and negotiation: what a given Java runtime,
 * through JavaMail/Jakarta Mail, offers in its ClientHello and what it
 * would negotiate with a server whose accepted versions and suites the
 * prober found -- or exactly why nothing -- and the one setting to
 * write so that it works.  Pure: no sockets, no globals; only
 * javaprof_certpath_check() reads the clock (denyAfter).
 *
 * A profile is data: assets/java/NAME.profile (8u202, 8u291, 11, 17,
 * 21; each file's header names its sources) holds the default client
 * protocols and cipher-suite order and the java.security properties
 * of that runtime.  --java-security FILE replaces the properties with
 * the user's own (javaprof_apply_security()), since vendors and
 * updates differ.
 *
 * The model, from OpenJDK's SSLContextImpl/HandshakeContext and
 * JavaMail's SocketFetcher:
 *   - enabled protocols: mail.smtp.ssl.protocols split at whitespace,
 *     else the runtime's default client protocols without SSL* (JavaMail
 *     1.5.3+) -- or only TLSv1 (JavaMail <= 1.5.2);
 *     enabled suites: mail.smtp.ssl.ciphersuites, else the defaults.
 *     A name the runtime does not know throws IllegalArgumentException
 *     (8u202 knows the legacy suites only by their SSL_* names).
 *   - active protocols: enabled, not disabled by
 *     jdk.tls.disabledAlgorithms, and usable by an active suite; active
 *     suites: enabled, not disabled, usable by an active protocol.
 *     None: "No appropriate protocol".
 *   - the server picks the highest version both have (no fallback),
 *     then the first common suite in its own order when it imposes
 *     one, else in the client's.
 * Not modelled: key sizes (DH keySize < 1024 ...), named groups and
 * signature schemes, which need facts the prober does not give here
 * (certificates go through javaprof_certpath_check()); the system
 * properties -Djdk.tls.client.protocols/-cipherSuites (pass their
 * effect as the mail.smtp.ssl.* values below).
 *
 * Ownership: a struct javaprof keeps a pointer to the registry it was
 * loaded with, which must outlive it.  Results are plain structs the
 * caller owns.  Use a profile from one thread at a time (negotiation
 * only reads it: several threads may negotiate with one profile).
 */
#ifndef SW_JAVAPROF_H
#define SW_JAVAPROF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "javasec.h"
#include "suites.h"

#define JAVAPROF_DEFAULT	"17"
#define JAVAPROF_SUITES_MAX	128	/* suites one profile can list */
#define JAVAPROF_GROUPS_MAX	16
#define JAVAPROF_REASONS_MAX	48

struct javaprof;

/* The built-in profile names, oldest first: "8u202", "8u291", "11",
 * "17", "21"; *n gets the count.  Static. */
const char *const *javaprof_names(size_t *n);

/* Is name one of them? */
int		 javaprof_known(const char *name);

/* --java's value: one of them, or a readable profile file (a path with
 * a '/', as explain --profile-out writes).  Errors: SW_EUSAGE. */
enum sw_err	 javaprof_check_arg(const char *arg, struct sw_error *err);

/* Their names joined by sep ("8u202, 8u291, 11, 17, 21") into buf;
 * returns buf. */
const char	*javaprof_list(char *buf, size_t cap, const char *sep);

/*
 * Loads profile name from assets/java/NAME.profile, resolving suite
 * names against reg; a name with a '/' is the path of a profile file
 * (smtpwiz explain --profile-out), and javaprof_name() then gives
 * that path.
 * Errors: SW_EUSAGE (no such profile: the message lists the names),
 * SW_EASSET (missing or malformed file: names the key and the value),
 * SW_ENOMEM.
 */
enum sw_err	 javaprof_load(const struct suites *reg, const char *name,
		    struct javaprof **out, struct sw_error *err);

/* The same from profile text (java.security syntax); for tests. */
enum sw_err	 javaprof_parse(const struct suites *reg, const char *text,
		    size_t len, const char *name, struct javaprof **out,
		    struct sw_error *err);

void		 javaprof_free(struct javaprof *p);

/*
 * The runtime read is this version (major 0: unknown, nothing
 * changes): what its JSSE can do that the profile of its family may
 * not match -- TLS_* wildcards in jdk.tls.disabledAlgorithms only from
 * JDK-8341964 on (11.0.30, 17.0.18, 21.0.10, 24); an older runtime
 * takes "TLS_RSA_*" as a name no suite has.  Found when Debian's
 * 17.0.15, told to disable TLS_RSA_*, still connected with one.
 */
void		 javaprof_runtime_version(struct javaprof *p, int major,
		    int update);

/*
 * Takes the security properties jdk.tls.disabledAlgorithms,
 * jdk.certpath.disabledAlgorithms, jdk.tls.legacyAlgorithms and
 * jdk.disabled.namedCurves from sec.  replace: sec is a whole
 * java.security (--java-security FILE, or -Djava.security.properties==
 * FILE): a key it lacks is unset.  !replace: sec is an override file
 * (-Djava.security.properties=FILE): only the keys it has change.
 * Messages then name sec's file and line as where a token comes from.
 * Errors: SW_ENOMEM.
 */
enum sw_err	 javaprof_apply_security(struct javaprof *p,
		    const struct javasec *sec, int replace,
		    struct sw_error *err);

const char	*javaprof_name(const struct javaprof *p);	/* "17", path */
const char	*javaprof_title(const struct javaprof *p);
/* Where the security properties come from: "built-in profile 17" or
 * the java.security path. */
const char	*javaprof_source(const struct javaprof *p);
/* The java.security path inside JAVA_HOME for this version. */
const char	*javaprof_security_file(const struct javaprof *p);
/* Current value of a jdk.* property ("" when unset). */
const char	*javaprof_property(const struct javaprof *p, const char *key);
/* "Unsupported protocol" / "IllegalArgumentException" flavour: 1 for
 * the pre-8u261 JSSE. */
int		 javaprof_legacy_jsse(const struct javaprof *p);

/* Versions (wire numbers, SUITE_TLS12 ...). */
int		 javaprof_version_known(const struct javaprof *p, uint16_t v);
int		 javaprof_version_default(const struct javaprof *p,
		    uint16_t v);
/* The jdk.tls.disabledAlgorithms entry that disables v, or NULL. */
const char	*javaprof_version_disabled_by(const struct javaprof *p,
		    uint16_t v);
/* TLS 1.3 in the default client protocols and not disabled. */
int		 javaprof_tls13_client(const struct javaprof *p);

/* Suites. */
int		 javaprof_suite_known(const struct javaprof *p, uint16_t id);
int		 javaprof_suite_default(const struct javaprof *p,
		    uint16_t id);
/* The first jdk.tls.disabledAlgorithms entry that disables suite id,
 * or NULL (also for suites this runtime does not implement). */
const char	*javaprof_suite_disabled_by(const struct javaprof *p,
		    uint16_t id);
/* The default suite list in ClientHello order, before filtering, SCSV
 * left out; returns the count, writes at most cap. */
size_t		 javaprof_default_suites(const struct javaprof *p,
		    uint16_t *out, size_t cap);
/*
 * The default suites usable by one of protocols (space-separated Java
 * names), as space-separated Java names in out (cap bytes): what the
 * JDK enables by default when -Djdk.tls.client.protocols narrows its
 * client protocols (SSLContextImpl derives the default suites from
 * them, so TLSv1.2 alone leaves no TLS 1.3 suite even where
 * mail.smtp.ssl.protocols later enables TLSv1.3).  Returns out.
 */
const char	*javaprof_default_suites_for(const struct javaprof *p,
		    const char *protocols, char *out, size_t cap);

/*
 * The named groups (IANA ids) this Java offers, in order: the profile's
 * default supported_groups less those a jdk.tls.disabledAlgorithms
 * entry names, directly or through "include jdk.disabled.namedCurves"
 * (NamedGroup.isPermitted checks the group's name).  Writes at most
 * cap into out and returns the total.
 */
size_t		 javaprof_groups(const struct javaprof *p, uint16_t *out,
		    size_t cap);

/* Java's name of named group id ("x25519", "secp256r1"), or NULL. */
const char	*javaprof_group_name(uint16_t id);

/* What JavaMail is told; NULL strings: the key is not set. */
struct javaprof_client {
	const char	*protocols;	/* mail.smtp.ssl.protocols */
	const char	*ciphersuites;	/* mail.smtp.ssl.ciphersuites */
	int		 old_javamail;	/* JavaMail <= 1.5.2: unset
					   protocols mean TLSv1 only */
};

/* What the client sends.  bad_setting non-empty: the JDK throws
 * IllegalArgumentException before connecting (java_error says what). */
struct javaprof_offer {
	size_t		 nversions;
	uint16_t	 versions[5];		/* active, highest first */
	size_t		 nsuites;
	uint16_t	 suites[JAVAPROF_SUITES_MAX]; /* active, in order */
	char		 bad_setting[128];	/* the offending token */
	int		 bad_suite;		/* 1: in ciphersuites, 0: in
						   protocols */
};

/*
 * Computes the offer for client settings c (NULL: nothing set).
 * Errors: none besides SW_EUSAGE for NULL p; a bad setting is a
 * result, not an error.
 */
enum sw_err	 javaprof_offer(const struct javaprof *p,
		    const struct javaprof_client *c,
		    struct javaprof_offer *out, struct sw_error *err);

/* One version the server accepts, with what the prober learnt. */
struct javaprof_server_version {
	uint16_t	 version;
	const uint16_t	*suites;	/* accepted there; in the server's
					   order when server_order is 1 */
	size_t		 nsuites;	/* 0: not enumerated */
	int		 server_order;	/* 1 imposes its order, 0 follows
					   the client's, -1 unknown (taken
					   as the client's) */
};

struct javaprof_server {
	const struct javaprof_server_version *v;
	size_t		 nv;		/* the accepted versions, any order */
};

enum javaprof_verdict {
	JAVAPROF_OK,		/* version and suite are set */
	JAVAPROF_BAD_SETTING,	/* IllegalArgumentException */
	JAVAPROF_NO_PROTOCOL,	/* client has no active protocol */
	JAVAPROF_NO_VERSION,	/* no version in common */
	JAVAPROF_NO_SUITE,	/* at the version the server picks */
	JAVAPROF_UNKNOWN	/* the server's suites there are unknown */
};

/* Why one version or suite is out. */
enum javaprof_why {
	JAVAPROF_WHY_DISABLED,		/* token in a java.security list */
	JAVAPROF_WHY_UNKNOWN,		/* this Java does not implement it */
	JAVAPROF_WHY_NOT_ENABLED,	/* implemented, not enabled (not a
					   default, or not in the
					   mail.smtp.ssl.* setting) */
	JAVAPROF_WHY_NO_SUITE		/* version: no active suite for it */
};

struct javaprof_reason {
	uint16_t	 version;	/* the version concerned */
	uint16_t	 suite;		/* 0: the reason is about version */
	enum javaprof_why why;
	char		 token[160];	/* JAVAPROF_WHY_DISABLED: the entry */
	char		 property[40];	/* ... and its property */
};

struct javaprof_result {
	enum javaprof_verdict verdict;
	uint16_t	 version, suite;	/* JAVAPROF_OK */
	struct javaprof_offer offer;		/* what the client sent */
	size_t		 nreasons;		/* why not (all verdicts but
						   OK): every server version
						   or suite that is out */
	struct javaprof_reason reasons[JAVAPROF_REASONS_MAX];
	char		 java_error[320];	/* the exception text Java
						   would log, "" when OK */
	char		 message[768];		/* the verdict in plain words */
};

/*
 * What runtime p with settings c negotiates with server s.  res is
 * large (a few KB): keep it off small stacks.
 * Errors: SW_EUSAGE (NULL arguments).
 */
enum sw_err	 javaprof_negotiate(const struct javaprof *p,
		    const struct javaprof_client *c,
		    const struct javaprof_server *s,
		    struct javaprof_result *res, struct sw_error *err);

/* The one thing to write, or to change in java.security. */
struct javaprof_advice {
	int		 works;		/* some advice below makes it work */
	uint16_t	 version, suite;	/* negotiated after the advice */
	char		 protocols[16];	/* mail.smtp.ssl.protocols value */
	int		 insecure;	/* protocols names TLSv1.1 or lower */
	char		 ciphersuites[512]; /* mail.smtp.ssl.ciphersuites;
					   "" not needed */
	int		 remove_ciphersuites; /* the current value stops it:
					   remove the key */
	char		 security_key[40];   /* "" or the property to edit */
	char		 security_value[1024]; /* its new value */
	char		 security_removed[256]; /* entries removed, ", " */
	char		 message[1024];	/* plain words, with the edit and
					   "this lowers security" */
};

/*
 * The smallest change that makes p negotiate with s, preferring in
 * order: settings only, the highest version that works (so a secure
 * TLSv1.3/TLSv1.2 before an insecure one, which sets insecure); then a
 * java.security edit, again the highest version first, with the
 * fewest jdk.tls.disabledAlgorithms entries removed at that version
 * (ties: the better-graded suite, then the server's order).  Settings
 * only means ONE mail.smtp.ssl.protocols value, and
 * mail.smtp.ssl.ciphersuites only when the defaults (or the current
 * value) leave no common suite.  Every advice is checked by
 * negotiating with it.  works is 0 when nothing in Java can help
 * (e.g. a TLS 1.3-only server and Java 8u202); message then says what
 * must change (the runtime or the server).  A version whose suites the
 * prober did not enumerate counts as working for the version (suite 0,
 * "not checked" in message).
 * Errors: SW_EUSAGE (NULL arguments), SW_ENOMEM.
 */
enum sw_err	 javaprof_recommend(const struct javaprof *p,
		    const struct javaprof_client *c,
		    const struct javaprof_server *s,
		    struct javaprof_advice *adv, struct sw_error *err);

/*
 * Would this runtime's certpath limits (jdk.certpath.disabledAlgorithms
 * with usage TLSServer, then jdk.tls.disabledAlgorithms, both applied
 * to a server chain during the handshake) accept a certificate with a
 * key_type ("RSA", "EC", "DSA") key of key_bits bits, signed with
 * sig_alg ("SHA256withRSA", "SHA1withECDSA", ...; NULL: skip the
 * signature), in a chain ending at a CA of the JDK's cacerts when
 * anchored_at_jdk_ca?  Returns 1 when allowed; 0 with why (why_cap
 * bytes) set to "jdk.certpath.disabledAlgorithms: SHA1 jdkCA & usage
 * TLSServer" style text.  Call it per certificate, not for the trust
 * anchor's own signature (the JDK does not check that).  Named-curve
 * limits (include jdk.disabled.namedCurves) need the curve and are not
 * checked here.  denyAfter compares with the current date.
 */
int		 javaprof_certpath_check(const struct javaprof *p,
		    const char *key_type, unsigned key_bits,
		    const char *sig_alg, int anchored_at_jdk_ca, char *why,
		    size_t why_cap);

/*
 * The smallest key_type ("RSA", "DSA", "EC") key, in bits, the
 * certpath limits accept: from their "keySize <" and "keySize <="
 * entries; 0 when they set none.
 */
unsigned	 javaprof_certpath_key_min(const struct javaprof *p,
		    const char *key_type);

/*
 * The smallest finite-field Diffie-Hellman group, in bits, this Java
 * takes in a DHE ServerKeyExchange: from jdk.tls.disabledAlgorithms'
 * "DH keySize <" entries (DHKeyExchange checks the server's key
 * against them); 0 when it sets none.
 */
unsigned	 javaprof_dh_min(const struct javaprof *p);

/*
 * Can this JDK verify an EC key on curve ("secp256r1", "brainpoolP256r1")
 * at all (profile.certpath.curves: SunEC implements only P-256, P-384
 * and P-521 since JDK 16)?  The curves java.security disables
 * (include jdk.disabled.namedCurves) are a separate question.
 */
int		 javaprof_curve_verifiable(const struct javaprof *p,
		    const char *curve);

/* "ok", "bad-setting", "no-protocol", "no-version", "no-suite",
 * "unknown"; and the why words "disabled", "not-implemented",
 * "not-enabled", "no-suite". */
const char	*javaprof_verdict_name(enum javaprof_verdict);
const char	*javaprof_why_name(enum javaprof_why);

#endif
