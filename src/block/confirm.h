/*
 * The user's own Java confirms the block (`check --confirm-with-java`):
 * the runtime javart.c found runs assets/java/MailConfirm (compiled
 * for Java 8 into BUILD/java, installed beside the assets; a JDK 11+
 * can run its source instead) with the application's mail library on
 * the class path, and connects, logs in and issues MAIL FROM (RCPT TO
 * when given) with the block exactly as the application would.
 *
 * The mail jar: --mail-jar FILE; else, for a running process, the
 * jars named *mail*.jar (with their *activation*.jar) on its class
 * path, else below its working directory; else Debian's in
 * /usr/share/java (javax.mail.jar for JavaMail 1.6, jakarta-mail.jar
 * for Jakarta Mail 2).
 *
 * Secrets: the block, the password and the system properties the
 * application was started with reach the program through a pipe on its
 * stdin (a Properties text), never argv or the environment; the buffer
 * is wiped after writing.  The child is started by fork/exec and, past
 * the deadline or on cancel, killed by its pid.
 */
#ifndef SW_CONFIRM_H
#define SW_CONFIRM_H

#include <stdint.h>

#include "err.h"
#include "settings.h"

struct javart;
struct json;

struct confirm_opts {
	const struct javart	*rt;		/* the runtime; NULL: none */
	const char		*mail_jar;	/* --mail-jar; NULL: search */
	const char		*password;	/* NULL: none */
	const char		*from;		/* MAIL FROM (the verification's) */
	const char		*to;		/* RCPT TO; NULL: none */
	const char		*truststore;	/* --truststore: given to Java
						   as javax.net.ssl.trustStore */
	const char		*storepass;
	int			 deadline_s;	/* whole run */
	int			 cancel_fd;	/* -1: none */
};

enum confirm_outcome {
	CONFIRM_NOT_RUN,	/* no java, no jar, no class: detail says */
	CONFIRM_OK,		/* the real Java logged in and MAIL FROM */
	CONFIRM_FAILED		/* exception says what it threw */
};

struct confirm_result {
	enum confirm_outcome	 result;
	char			 java[600];	/* "17.0.15 at /usr/lib/jvm/..." */
	char			 lib[600];	/* "javax.mail 1.6.5 (JAR)" */
	char			 classpath[1024]; /* the mail jars used */
	char			 jar_source[64]; /* "--mail-jar", "the process's
						   class path", ... */
	char			 exception[1200]; /* the chain, one line */
	char			 detail[600];	/* why not run, plain words */
	int			 step;		/* the step the decoder names
						   for the exception; 0 */
	char			 explain_id[48]; /* the decoder's entry; "" */
	int64_t			 elapsed_ms;
};

/*
 * Runs final (the block's settings) through the user's Java.  A
 * missing java, jar or program is a result (NOT_RUN), not an error.
 * Errors: SW_ECANCEL, SW_ENOMEM.
 */
enum sw_err	 confirm_run(const struct confirm_opts *o,
		    const struct settings *final, enum mail_lib lib,
		    struct confirm_result *res, struct sw_error *err);

/*
 * The whole run's deadline in seconds for these timeouts: room for the
 * two connections the program may make, each with its answers.
 */
int		 confirm_deadline_s(int connect_timeout_ms, int read_timeout_ms);

/* "confirmed", "failed", "not-run" (the JSON words). */
const char	*confirm_outcome_name(enum confirm_outcome);

#endif
