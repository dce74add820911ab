/*
 * The trust store a check is judged against, and where the user's Java
 * keeps its own.
 *
 * Sources, in the order they are chosen:
 *  - --truststore FILE: a Java keystore (JKS, JCEKS or PKCS12, told by
 *    its content), read with --storepass or "changeit";
 *  - --cafile FILE: PEM certificates (or one DER certificate);
 *    both may be given: the anchors are then the union;
 *  - neither: the system bundle at the usual place of Debian/Ubuntu,
 *    RHEL/Fedora, Alpine or SUSE, whichever exists first.
 * Java does not read the system bundle: it uses its own cacerts
 * ($JAVA_HOME/lib/security/cacerts, jre/lib/... on Java 8, a
 * jssecacerts beside it first) unless -Djavax.net.ssl.trustStore says
 * otherwise.  truststore_java_cacerts() finds that file for JAVA_HOME
 * or the `java` on PATH, so the report can name it and the check can
 * be repeated with --truststore pointing at it.  Its entries whose
 * alias contains " [jdk" are the CAs the JDK ships ("jdkCA"); they are
 * recorded for the SHA-1 rule (certpath.h).
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

enum truststore_kind {
	TS_NONE,		/* nothing usable found */
	TS_SYSTEM,		/* the system's PEM bundle */
	TS_PEM,			/* --cafile */
	TS_KEYSTORE		/* --truststore */
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
 * "changeit") and looks for the user's Java.  ts is reset first; free
 * it with truststore_free() also after an error.
 * Errors: SW_ENOMEM only; unreadable files are recorded in ts->src[].
 */
enum sw_err	truststore_load(struct truststore *ts, const char *cafile,
		    const char *keystore, const char *storepass,
		    struct sw_error *err);

void		truststore_free(struct truststore *ts);

/*
 * The system bundle of this machine: its path (static) and the
 * distribution family in *label, or NULL when none of the known paths
 * exists.
 */
const char	*truststore_system_bundle(const char **label);

/*
 * The cacerts file of the Java runtime in JAVA_HOME, else of the
 * `java` found on PATH.  Returns 1 and fills the strings (cap bytes
 * each), 0 when there is no Java to be found.
 */
int		truststore_java_cacerts(char *home, char *cacerts,
		    char *source, size_t cap);

/* 1: a CA the JDK ships; 0: not one; -1: unknown (no JDK cacerts read). */
int		truststore_is_jdk_ca(const struct truststore *ts,
		    const unsigned char sha256[32]);

/* 1: the Java runtime's cacerts holds it; 0: it does not; -1: unknown. */
int		truststore_java_has(const struct truststore *ts,
		    const unsigned char sha256[32]);

/* "system", "pem", "keystore", "none" (the JSON report's words). */
const char	*truststore_kind_name(enum truststore_kind);

#endif
