/*
 * The trust store a check is judged against, and where the user's Java
 * keeps its own.
 *
 * Sources, in the order they are chosen:
 *  - --truststore FILE: a Java keystore (JKS, JCEKS or PKCS12, told by
 *    its content), read with --storepass or "changeit";
 *  - --cafile FILE: PEM certificates (or one DER certificate);
 *    both may be given: the anchors are then the union;
 *  - neither: the trust store Java itself reads by default -- the
 *    cacerts of the Java runtime found here, as JSSE's
 *    TrustStoreManager picks it: java.home/lib/security/jssecacerts
 *    when it exists, else .../cacerts, where java.home is JAVA_HOME
 *    (Java 8 JDK: JAVA_HOME/jre), else the home of the `java` on PATH
 *    with its symlinks resolved;
 *  - neither, and no Java runtime to be found: the system bundle at the
 *    usual place of Debian/Ubuntu, RHEL/Fedora, Alpine or SUSE,
 *    whichever exists first, marked not_java: Java never reads it, so
 *    a verdict against it says nothing sure about Java.
 * A store Java does not read by itself (any --cafile, a keystore that
 * is not the runtime's cacerts) is marked needs_java_setting, with the
 * way to give it to Java in java_setting.  The runtime's cacerts
 * entries whose alias contains " [jdk" are the CAs the JDK ships
 * ("jdkCA"); they are recorded for the SHA-1 rule (certpath.h), also
 * when that cacerts is not the store judged.
 *
 * Loading never fails for a bad file: what went wrong is recorded in
 * the struct for the probe to report (a finding, not an error).
 */
#ifndef SW_TRUSTSTORE_H
#define SW_TRUSTSTORE_H

#include <stddef.h>

#include "err.h"
#include "keystore.h"
#include "x509.h"

#define TRUSTSTORE_MAX_FILE	(32 * 1024 * 1024)
/* Certificates read from one source: finding a duplicate and parsing
 * each costs more as the store grows (a 32 MiB file of 27000 took
 * 10 s); real stores hold 100 to 500. */
#define TRUSTSTORE_MAX_CERTS	10000

enum truststore_kind {
	TS_NONE,		/* nothing usable found */
	TS_SYSTEM,		/* the system's PEM bundle (no Java) */
	TS_PEM,			/* --cafile */
	TS_KEYSTORE		/* --truststore, or the runtime's cacerts */
};

struct truststore_source {
	enum truststore_kind	 kind;
	char			 path[512];
	char			 what[96];	/* "system bundle
						   (Debian/Ubuntu)", "JKS
						   keystore", "PEM file" */
	size_t			 ncerts;	/* anchors taken from it */
	size_t			 nbad;		/* blocks or certificates
						   that could not be read */
	size_t			 over;		/* left out: beyond
						   TRUSTSTORE_MAX_CERTS */
	struct keystore_info	 ks;		/* TS_KEYSTORE */
	int			 loaded;	/* read (perhaps partly) */
	int			 is_java;	/* the runtime's own cacerts */
	char			 error[256];	/* why not, or what went wrong;
						   "" when all is well */
};

struct truststore {
	size_t			 nsrc;
	struct truststore_source src[2];
	struct x509_anchors	*anchors;	/* the union; never NULL after
						   a successful load */
	int			 password_given; /* --storepass */
	/* The user's Java runtime, when one is found. */
	char			 java_home[512];
	char			 java_source[48]; /* "JAVA_HOME",
						   "java on PATH" */
	char			 java_cacerts[512]; /* the file Java opens */
	char			 java_cacerts_real[512]; /* symlinks resolved */
	int			 java_cacerts_used; /* it is a source above */
	int			 java_jsse;	/* java_cacerts is a
						   jssecacerts: JSSE reads it
						   instead of cacerts */
	char			 java_version[32]; /* JAVA_VERSION of its
						   release file; "" */
	/* How the store judged relates to the one Java reads. */
	int			 java_default;	/* neither --cafile nor
						   --truststore: src[0] is
						   java_cacerts, the store
						   Java reads by default */
	int			 not_java;	/* neither, and no Java
						   runtime found: src[0] (if
						   any) is the system bundle,
						   which Java never reads */
	int			 needs_java_setting; /* a --cafile, or a
						   keystore that is not
						   java_cacerts: Java trusts
						   it only when told */
	char			 java_setting[1024]; /* then how, one phrase
						   to follow "Java must be
						   given this trust store: ":
						   "import FILE into CACERTS:
						   keytool ..." or "start Java
						   with -Djavax.net.ssl.
						   trustStore=..."; "" */
	/* What that cacerts holds, when it could be read (jdk: an alias
	 * with " [jdk", a CA the JDK ships). */
	int			 java_known;
	size_t			 njava;
	struct truststore_fp {
		unsigned char	 sha256[32];
		int		 jdk;
	}			*java;
};

/*
 * Fills ts from the arguments (each may be NULL; storepass NULL means
 * "changeit") and looks for the user's Java, whose cacerts is the store
 * when both are NULL (the system bundle when there is no Java; see the
 * top).  ts is reset first; free it with truststore_free() also after
 * an error.  Reads JAVA_HOME and PATH.
 * Errors: SW_ENOMEM only; unreadable files are recorded in ts->src[].
 */
enum sw_err	truststore_load(struct truststore *ts, const char *cafile,
		    const char *keystore, const char *storepass,
		    struct sw_error *err);

/*
 * The same for the Java runtime rt (NULL: found as above): its home
 * gives the cacerts, and the trust store named on its command line
 * (-Djavax.net.ssl.trustStore) is the store Java reads by default.
 * Errors: SW_ENOMEM only.
 */
struct javart;
enum sw_err	truststore_load_rt(struct truststore *ts, const char *cafile,
		    const char *keystore, const char *storepass,
		    const struct javart *rt, struct sw_error *err);

void		truststore_free(struct truststore *ts);

/*
 * The system bundle of this machine: its path (static) and the
 * distribution family in *label, or NULL when none of the known paths
 * exists.
 */
const char	*truststore_system_bundle(const char **label);

/*
 * The trust store file of the Java runtime in JAVA_HOME, else of the
 * `java` found on PATH (symlinks resolved): lib/security/jssecacerts,
 * else lib/security/cacerts, else the same under jre/ (Java 8).
 * Returns 1 and fills the strings (cap bytes each), 0 when there is no
 * Java to be found.
 */
int		truststore_java_cacerts(char *home, char *cacerts,
		    char *source, size_t cap);

/* 1: a CA the JDK ships; 0: not one; -1: unknown (no JDK cacerts read). */
int		truststore_is_jdk_ca(const struct truststore *ts,
		    const unsigned char sha256[32]);

/* 1: the Java runtime's cacerts holds it; 0: it does not; -1: unknown. */
int		truststore_java_has(const struct truststore *ts,
		    const unsigned char sha256[32]);

/* "system", "pem", "keystore", "none" (the JSON report's words; the
 * runtime's cacerts is a "keystore", told apart by java_default). */
const char	*truststore_kind_name(enum truststore_kind);

#endif
