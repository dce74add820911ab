/*
 * Reads a Java TLS debug log (-Djavax.net.debug=ssl, ssl:handshake or
 * all) in both formats the JDK prints: the legacy one of JDK 8 before
 * 8u261 ("*** ClientHello, TLSv1.2", "Cipher Suites: [...]") and the
 * SSLLogger one of 8u261+ and 11+ ("javax.net.ssl|DEBUG|...", then
 * "\"ClientHello\": {" with quoted fields).  It takes from the last
 * handshake in the log what this Java offered (versions, cipher suites,
 * groups, server name), what the server chose or the alert that ended
 * it, and the certificate chain it received -- and writes that as a
 * Java profile (assets/java/NAME.profile syntax) so that steps 3 and 4
 * judge with what the user's Java really offers.  Pure: no I/O.
 */
#ifndef SW_DEBUGLOG_H
#define SW_DEBUGLOG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "suites.h"

#define DEBUGLOG_SUITES_MAX	128
#define DEBUGLOG_GROUPS_MAX	16
#define DEBUGLOG_CHAIN_MAX	8
#define DEBUGLOG_NAME_MAX	64

enum debuglog_format {
	DEBUGLOG_NONE,		/* no handshake found */
	DEBUGLOG_LEGACY,	/* JDK 8 before 8u261 */
	DEBUGLOG_SSLLOGGER,	/* JDK 8u261+, 11, 17, 21 */
};

/* One handshake as the log shows it; strings sanitised, cut. */
struct debuglog_hs {
	char		 sni[128];		/* "" when not sent */
	size_t		 nversions;
	uint16_t	 versions[5];		/* offered, highest first */
	int		 versions_listed;	/* 1: supported_versions seen;
						   0: only the hello's version */
	size_t		 nsuites;
	char		 suites[DEBUGLOG_SUITES_MAX][DEBUGLOG_NAME_MAX];
	size_t		 ngroups;
	char		 groups[DEBUGLOG_GROUPS_MAX][24];
	uint16_t	 server_version;	/* 0: no ServerHello */
	char		 server_suite[DEBUGLOG_NAME_MAX];
	char		 alert[40];		/* "handshake_failure" or "" */
	int		 alert_received;	/* 1: from the server */
	size_t		 nchain;
	char		 subject[DEBUGLOG_CHAIN_MAX][160];
	char		 issuer[DEBUGLOG_CHAIN_MAX][160];
};

struct debuglog {
	enum debuglog_format	format;
	unsigned		nhandshakes;	/* ClientHellos seen */
	struct debuglog_hs	last;		/* the last one */
};

/*
 * Reads text[0..len) (any bytes; lines of any length).  Returns 1 when
 * a ClientHello was found (dl filled), 0 when the text is not a TLS
 * debug log.  dl is the caller's (about 12 KiB).
 */
int		debuglog_parse(const char *text, size_t len,
		    struct debuglog *dl);

/*
 * Writes the Java profile of the runtime that wrote the log into
 * buf[0..cap) (NUL-terminated): profile.name "debug-log", the offered
 * versions as protocols.client and the offered suites (those reg
 * knows, in order) as suites.default; no jdk.tls.disabledAlgorithms,
 * because the offer already reflects them.  label names the log in
 * the title.  Returns the length.
 * Errors: SW_EUSAGE (no handshake, no known suite), SW_ENOMEM (cap too
 * small).
 */
enum sw_err	debuglog_profile(const struct debuglog *dl,
		    const struct suites *reg, const char *label, char *buf,
		    size_t cap, size_t *len, struct sw_error *err);

#define DEBUGLOG_FILE_MAX	(64u << 20)	/* bytes of a log read */

/*
 * For `check --java-from-debug-log LOG`: reads LOG (at most
 * DEBUGLOG_FILE_MAX bytes: with -Djavax.net.debug=all logs grow
 * fast), writes its Java profile to a new temporary file (mode 0600,
 * in $TMPDIR or /tmp) and puts that file's path into path[0..cap).
 * The caller unlinks it when done.
 * Errors: SW_EFILE (cannot read or write), SW_EUSAGE (not a debug log,
 * or too large), SW_EASSET (the suite registry), SW_ENOMEM.
 */
enum sw_err	debuglog_profile_file(const char *log, char *path,
		    size_t cap, struct sw_error *err);

#endif
