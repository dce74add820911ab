/*
 * The error decoder: known Java, JDK and JavaMail messages and SMTP
 * replies, each mapped to a cause in plain words, the wizard step that
 * fixes it, the fix and the mail.smtp.* settings to change.  The
 * knowledge is data (assets/errors-java.txt, assets/errors-smtp.txt,
 * format described at the top of each); this module loads it, finds
 * every known error in pasted text (a whole log or stack trace), and
 * decodes single SMTP replies for the probes.
 *
 * A loaded database is read-only: any number of threads may use it at
 * once.  Nothing here prints; cmd_explain.c and the UI render results.
 */
#ifndef SW_EXPLAIN_H
#define SW_EXPLAIN_H

#include <stddef.h>

#include "err.h"
#include "smtp.h"

/* Steps beyond the five of the wizard (1-5 are enum step's values). */
#define EXPLAIN_STEP_NET	6	/* network, DNS, firewall (before 1) */
#define EXPLAIN_STEP_LOG	7	/* turn on logging to learn more */

#define EXPLAIN_SET_MAX		4
#define EXPLAIN_HITS_MAX	64
#define EXPLAIN_INPUT_MAX	(4u << 20)	/* bytes explain_text() takes */

/* The files explain_db_load() reads from the assets directory. */
#define EXPLAIN_FILES		{ "errors-java.txt", "errors-smtp.txt" }
/* The enhanced status code registry (RFC 3463, RFC 5248): class,
 * subject and detail texts, read by explain_db_load() as well. */
#define EXPLAIN_ENH_FILE	"smtp-enhanced-codes.txt"

/* Is an error temporary (RFC 5321 §4.2.1: 4xx, "try again later")? */
#define EXPLAIN_TEMP_NO		0	/* permanent, or not a server refusal */
#define EXPLAIN_TEMP_YES	1	/* transient: retry, wait, lower the rate */
#define EXPLAIN_TEMP_EITHER	2	/* reply entries for 4xx and 5xx alike */

/* A setting that fixes the error; value "" means: remove the key. */
struct explain_set {
	const char	*key;		/* "mail.smtp.ssl.protocols" */
	const char	*value;		/* "TLSv1.2" */
};

/* One known error.  All strings are owned by the database. */
struct explain_entry {
	const char		*id;	/* stable: "pkix-path" */
	const char		*title;	/* one line */
	const char		*source; /* who prints it; NULL: unknown */
	const char		*cause;	/* plain words */
	const char		*fix;
	int			 step;	/* primary: 1-5 or EXPLAIN_STEP_* */
	unsigned		 steps;	/* bit (1u << s) for every step named */
	size_t			 nset;
	struct explain_set	 set[EXPLAIN_SET_MAX];
	int			 is_reply;	/* decodes SMTP replies */
	int			 temporary;	/* EXPLAIN_TEMP_* */
	int			 no_retry;	/* 4xx, but retrying cannot help */
	const char		*file;	/* where it is defined, for messages */
	int			 line;
};

struct explain_db;

/* The registry's words for the three parts of an enhanced code. */
struct explain_enh_text {
	const char	*cls;		/* "Persistent transient failure" */
	const char	*subject;	/* "Security or policy status" */
	const char	*detail;	/* "Delivery not authorized, ..." */
	const char	*ref;		/* "RFC 3463" (of the detail) */
};

/* One error found in text. */
struct explain_hit {
	const struct explain_entry *entry;
	size_t		offset;		/* of the latest occurrence */
	int		depth;		/* nesting: 0 is the outermost */
	int		code;		/* SMTP reply code; 0: not a reply */
	char		enhanced[16];	/* "5.7.8" or "" */
	char		match[256];	/* the line seen: sanitised, cut */
	int		temporary;	/* 1: a 4xx reply or a transient error */
	struct explain_enh_text enh;	/* NULLs when unknown or no code */
	unsigned	count;		/* incidents it occurred in (>= 1) */
	unsigned	incident;	/* of the latest occurrence, 1-based */
	char		when[40];	/* that incident's time stamp, or "" */
};

/*
 * What explain_text() found: the latest incident first (a log record
 * with a time stamp; without time stamps each exception chain), and
 * within one incident the innermost cause first.
 */
struct explain_result {
	size_t			n;
	size_t			dropped; /* distinct hits beyond the array */
	unsigned		incidents; /* incidents holding a hit */
	struct explain_hit	hits[EXPLAIN_HITS_MAX];
};

/* An empty database, or NULL when out of memory. */
struct explain_db	*explain_db_new(void);
void			 explain_db_free(struct explain_db *);

/*
 * Adds the records in buf[0..len) to db; name is used in messages
 * ("errors-java.txt:12: unknown key \"foo\"").  The first malformed
 * line, unknown key, bad regex or duplicate id stops it with an error
 * (records before it stay in db: discard db then).
 * Errors: SW_EASSET (file:line and what is wrong), SW_ENOMEM.
 */
enum sw_err	explain_db_parse(struct explain_db *db, const char *name,
		    const char *buf, size_t len, struct sw_error *err);

/*
 * Reads the asset file at path into db (assets_read_path(): at most
 * ASSETS_MAX_FILE bytes, no NUL).
 * Errors: SW_EFILE (cannot read), SW_EASSET, SW_ENOMEM.
 */
enum sw_err	explain_db_load_file(struct explain_db *db, const char *path,
		    struct sw_error *err);

/*
 * Loads EXPLAIN_FILES into a new database (*dbp; the caller frees it)
 * from dir, or when dir is NULL from where assets_path() finds them
 * ($SMTPWIZ_ASSETS, ../assets or ../share/smtpwiz next to the binary).
 * Errors: SW_EASSET (missing or malformed: file:line and what is
 * wrong), SW_EFILE, SW_ENOMEM.
 */
enum sw_err	explain_db_load(struct explain_db **dbp, const char *dir,
		    struct sw_error *err);

/*
 * Reads the enhanced status code registry (EXPLAIN_ENH_FILE's format)
 * in buf[0..len) into db.
 * Errors: SW_EASSET (file:line and what is wrong), SW_ENOMEM.
 */
enum sw_err	explain_db_parse_enh(struct explain_db *db, const char *name,
		    const char *buf, size_t len, struct sw_error *err);

/*
 * The registry's texts for an enhanced code "4.7.1" (NULL members
 * where the registry has none; all NULL when enhanced is not a code).
 */
void		explain_enh_describe(const struct explain_db *db,
		    const char *enhanced, struct explain_enh_text *out);

size_t		explain_db_count(const struct explain_db *);
const struct explain_entry *explain_db_entry(const struct explain_db *,
		    size_t i);
const struct explain_entry *explain_db_find(const struct explain_db *,
		    const char *id);

/*
 * Finds every known error in text[0..len): Java exceptions with their
 * "Caused by:" and "nested exception is:" chains, JDK alerts, JavaMail
 * messages and SMTP replies quoted anywhere (with the enhanced code).
 * Each error is reported once with the number of incidents it occurred
 * in: the latest incident's errors first (with its time stamp when the
 * log has them), within an incident the innermost cause first, then the
 * outer ones; at the same depth a quoted server reply comes before the
 * exception around it, then text order.  text may hold any bytes
 * (NUL, escapes, invalid UTF-8) and lines of any length; match
 * excerpts are sanitised.  res is the caller's (about 20 KiB).
 * Errors: SW_EUSAGE (len > EXPLAIN_INPUT_MAX), SW_ENOMEM.
 */
enum sw_err	explain_text(const struct explain_db *db, const char *text,
		    size_t len, struct explain_result *res,
		    struct sw_error *err);

/*
 * Decodes one SMTP reply: the most specific entry for code (0 when
 * unknown), the enhanced code ("5.7.8", "" or NULL when none) and the
 * reply text (may be NULL; matched case-insensitively against the
 * entries that look at the wording, e.g. "TLS not available" vs
 * "Temporary authentication failure" for 454 4.7.0).  Falls back to the
 * enhanced code's subject (x.7.*), then the basic code, then its class
 * (5xx).  NULL for success replies and unknown classes.
 */
const struct explain_entry *explain_reply(const struct explain_db *db,
		    int code, const char *enhanced, const char *text);

/* explain_reply() for a reply the SMTP client assembled. */
const struct explain_entry *explain_smtp_reply(const struct explain_db *db,
		    const struct smtp_reply *r);

/*
 * "Step 3: TLS protocol version", "Network, DNS or firewall" (before
 * step 1), "Logging".
 */
const char	*explain_step_title(int step);

/* "1".."5", "NET", "LOG": the token the asset files and JSON use. */
const char	*explain_step_token(int step);

/*
 * `smtpwiz explain ...` (cmd_explain.c): argv[0] is "explain".  Returns
 * the exit status: 0 something recognised, 1 nothing, 64 usage error
 * or input over EXPLAIN_INPUT_MAX, 70 tables missing or broken.
 */
int		cmd_explain(int argc, char **argv);

#endif
