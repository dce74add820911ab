/*
 * The user's own Java runtime: where it is, what version it is, the
 * java.security it really reads (with its include lines and the
 * -Djava.security.properties override), the system properties a
 * running application was started with, and which built-in profile
 * (assets/java) models it.
 *
 * Where a runtime comes from, in this order:
 *   --java-home DIR, else --java-pid PID (a running Java process: its
 *   /proc/PID/exe, command line and working directory), else JAVA_HOME,
 *   else the `java` on PATH with its symlinks resolved.
 * java.home is that directory, or its jre/ for a Java 8 JDK.  The
 * version is JAVA_VERSION of the release file ("17.0.15", "1.8.0_402").
 *
 * java.security, as java.security.Security.initialize() reads it:
 *   - conf/security/java.security (9+), lib/security/java.security (8);
 *   - on JDK 24+ a line "include FILE" reads FILE in its place
 *     (relative names against the including file's directory; a
 *     ${java.home} or ${user.home} in it expanded; a cycle or a
 *     missing file is an error the JDK fails with) -- older JDKs keep
 *     "include" as an ordinary key;
 *   - when security.overridePropertiesFile is true (the default),
 *     -Djava.security.properties=FILE merges FILE's keys over it and
 *     ==FILE replaces it (a relative FILE against the process's working
 *     directory; a file: URL is taken as its path).
 * The command line also gives -Djavax.net.ssl.trustStore (and its type
 * and password, which is used but never kept in text), and
 * -Djdk.tls.client.protocols; -Dhttps.protocols is recorded to be
 * named as not for mail (only HttpsURLConnection reads it).
 *
 * Everything here reads files and /proc; nothing is executed.  Struct
 * javart is a plain value (no pointers): copy it freely.
 */
#ifndef SW_JAVART_H
#define SW_JAVART_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define JAVART_PATH	512
#define JAVART_NOTES	8

struct javaprof;
struct javasec;

struct javart {
	int	 found;			/* 0: no runtime (the rest empty) */
	char	 home[JAVART_PATH];	/* java.home (jre/ of a Java 8 JDK) */
	char	 java[JAVART_PATH];	/* its bin/java */
	char	 source[48];		/* "--java-home", "--java-pid",
					   "JAVA_HOME", "java on PATH" */
	pid_t	 pid;			/* a running process; 0: none */
	char	 name[96];		/* what that process is: "JS7 JOC
					   Cockpit", "Tomcat", "app.jar" */
	char	 command[256];		/* its command line, shortened,
					   passwords masked */
	char	 cwd[JAVART_PATH];	/* its working directory */
	char	 classpath[2048];	/* its -cp value; "" */
	char	 version[32];		/* "17.0.15", "1.8.0_402"; "" */
	int	 major, update;		/* 17, 15; 8, 402; 0 unknown */
	char	 profile[16];		/* the built-in profile: "17" */
	char	 profile_why[160];	/* "Java 25 is newer than the
					   newest profile (21)" ... */
	char	 security[JAVART_PATH];	/* its java.security */
	int	 override_allowed;	/* security.overridePropertiesFile */
	char	 security_props[JAVART_PATH]; /* -Djava.security.properties
					   file, resolved; "" */
	int	 security_replace;	/* given with "==" */
	char	 truststore[JAVART_PATH]; /* -Djavax.net.ssl.trustStore */
	char	 truststore_type[32];	/* -Djavax.net.ssl.trustStoreType */
	int	 truststore_password;	/* a trustStorePassword was given */
	char	 client_protocols[128];	/* -Djdk.tls.client.protocols */
	char	 client_suites[512];	/* -Djdk.tls.client.cipherSuites */
	char	 https_protocols[128];	/* -Dhttps.protocols */
	char	 chain_max[16];		/* -Djdk.tls.maxCertificateChainLength */
	char	 client_chain_max[16];	/* -Djdk.tls.client.
					   maxInboundCertificateChainLength */
	size_t	 nnotes;		/* what the report should say */
	char	 notes[JAVART_NOTES][320];
};

/*
 * Finds the runtime: java_home (may be NULL), else pid (0: none), else
 * JAVA_HOME, else PATH; see the top.  rt->found is 0 when there is
 * none (not an error: the built-in profile is then used).
 * Errors: SW_EUSAGE (java_home is not a Java runtime; pid is not a
 * Java process this user may read).
 */
enum sw_err	 javart_find(struct javart *rt, const char *java_home,
		    pid_t pid, struct sw_error *err);

/* The same from a process's /proc/PID files under procdir (tests
 * pass a fake tree; "/proc" otherwise). */
enum sw_err	 javart_from_process(struct javart *rt, const char *procdir,
		    pid_t pid, struct sw_error *err);

/*
 * The value of -Dkey= on the command line of rt's process, read again
 * from /proc (for a secret such as javax.net.ssl.trustStorePassword,
 * which rt never keeps): 1 and out filled (cap bytes), 0 when absent.
 * The caller wipes out after use.
 */
int		 javart_process_property(const struct javart *rt,
		    const char *key, char *out, size_t cap);

/*
 * The running Java processes this user may read, up to cap of them,
 * each described as by javart_find(..., pid); returns how many.
 */
size_t		 javart_processes(struct javart *out, size_t cap);

/* The built-in profile for a version: "8u202" (8 before update 261),
 * "8u291", "11" (9-16), "17" (17-20), "21" (21 and newer); NULL when
 * major is 0. */
const char	*javart_profile_for(int major, int update);

/*
 * The java.security the runtime reads, with includes and the override
 * applied (see the top); *out is NULL when rt has no java.security.
 * Errors: SW_EFILE (a file missing or unreadable, an include cycle:
 * the JDK fails then too), SW_ENOMEM.
 */
enum sw_err	 javart_security(const struct javart *rt,
		    struct javasec **out, struct sw_error *err);

/*
 * What the probes judge with: file (--java-security) when given, else
 * rt's java.security (rt may be NULL), else *out NULL (the profile's
 * own).  Errors: as javart_security().
 */
enum sw_err	 javart_security_for(const char *file, const struct javart *rt,
		    struct javasec **out, struct sw_error *err);

/*
 * Makes profile p the runtime the user runs: rt's version
 * (javaprof_runtime_version()) and the java.security that
 * javart_security_for(file, rt) finds, in place of the profile's own
 * properties.  *applied: 1 when a java.security was applied, 0 when
 * there is none to apply (file and rt NULL, or rt reads none).  The
 * one place the probes and the verification make a profile a runtime.
 * Errors: as javart_security_for(), SW_ENOMEM (p then half-made:
 * discard it).
 */
enum sw_err	 javart_apply(struct javaprof *p, const char *file,
		    const struct javart *rt, int *applied,
		    struct sw_error *err);

/*
 * What JavaMail enables when mail.smtp.ssl.protocols (suites: 0) or
 * mail.smtp.ssl.ciphersuites (1) is not set and the process was started
 * with -Djdk.tls.client.protocols / -cipherSuites: that list, its
 * commas as spaces (the form javaprof_client takes), in buf; NULL when
 * the runtime sets none (rt may be NULL).
 */
const char	*javart_client_default(const struct javart *rt, int suites,
		    char *buf, size_t cap);

/* One line: "Java 17.0.15 at /usr/lib/jvm/java-17 (java on PATH)". */
void		 javart_describe(const struct javart *rt, char *buf,
		    size_t cap);

/* Sets rt->override_allowed from its java.security and notes when the
 * -Djava.security.properties file is ignored (javart_sec.c). */
void		 javart_read_override(struct javart *rt);

/* JAVA_VERSION of home/release (or ../release), "" when none. */
void		 javart_release_version(const char *home, char *out,
		    size_t cap);

#endif
