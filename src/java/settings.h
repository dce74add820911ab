/*
 * The settings model: the mail.smtp.* properties a Java mail client
 * will run with, held as an ordered .properties list (props.h), and a
 * table of every key smtpwiz knows -- its type, its default in
 * JavaMail 1.6.2 (what JS7 runs) and in Jakarta Mail 2.x with Angus
 * Mail, and one line saying what it does.  Accessors answer the way
 * Java would read the values (PropUtil: booleans ignore case and
 * anything but "true" is false, a number that does not parse is
 * ignored in favour of the default).  Validation is stricter and says
 * why: a value Java would misread is an error, one that is odd but
 * harmless a warning.
 *
 * Decisions:
 *  - mail.smtps.* is not an alias: the smtps transport reads only
 *    mail.smtps.* and the smtp transport (JS7 notifications) only
 *    mail.smtp.*.  Such keys are kept, checked by the same table, and
 *    warned about.
 *  - Unknown keys are kept (a loaded file is tested as it is) and
 *    warned about, with the closest known key ("did you mean").
 *  - Only .properties files are read; JS7 Job Resource JSON is not.
 *
 * A struct settings belongs to one thread at a time; probes read it
 * through a const pointer while nothing writes it.
 */
#ifndef SW_SETTINGS_H
#define SW_SETTINGS_H

#include <stddef.h>

#include "err.h"
#include "props.h"

enum mail_lib {
	MAIL_LIB_JAVAMAIL16,	/* com.sun.mail javax.mail 1.6.2 (JS7) */
	MAIL_LIB_ANGUS2		/* Jakarta Mail 2.1+ with Angus Mail */
};

enum settings_type {
	SETTINGS_BOOL,		/* true or false, any case */
	SETTINGS_INT,		/* decimal within min..max */
	SETTINGS_MS,		/* milliseconds; 0 or unset: forever */
	SETTINGS_STRING,
	SETTINGS_LIST,		/* separated by spaces, never commas */
	SETTINGS_OBJECT		/* a Java object, not from a file */
};

#define SETTINGS_SECRET		0x01	/* a password: shown if asked */
#define SETTINGS_CORE		0x02	/* smtpwiz probes or writes it */
#define SETTINGS_ANGUS_ONLY	0x04	/* JavaMail 1.6.2 ignores it */
#define SETTINGS_NOT_MAIL	0x08	/* JS7 reads it, not the library */
#define SETTINGS_STEP5		0x10	/* read by step 5 (the login) alone */

struct settings_key {
	const char		*name;		/* "mail.smtp.port" */
	enum settings_type	 type;
	long			 min, max;	/* SETTINGS_INT and _MS */
	const char		*def16;		/* JavaMail 1.6.2, or NULL */
	const char		*def2;		/* Angus 2.x, or NULL */
	const char		*def_text;	/* the default in words */
	unsigned		 flags;		/* SETTINGS_* above */
	const char		*desc;		/* one line, plain words */
};

struct settings {
	struct props	*p;		/* the pairs, in given order */
	enum mail_lib	 lib;		/* whose defaults apply */
	char		*source;	/* file loaded (messages), or NULL */
};

enum settings_level {
	SETTINGS_OK,
	SETTINGS_WARN,		/* kept: Java runs with it, but look */
	SETTINGS_ERROR		/* Java would misread or reject it */
};

/*
 * Makes s empty, with lib's defaults.  Free with settings_free().
 * Errors: SW_ENOMEM.
 */
enum sw_err	 settings_init(struct settings *s, enum mail_lib lib);

/* Frees what s holds (not s itself). */
void		 settings_free(struct settings *s);

/*
 * A copy of src in dst (initialised here; free with settings_free())
 * that keeps every pair exactly as written, even where settings_set()
 * would refuse a value.  Errors: SW_ENOMEM.
 */
enum sw_err	 settings_copy(struct settings *dst,
		    const struct settings *src, struct sw_error *);

/* "JavaMail 1.6.2" or "Jakarta Mail 2.x (Angus)", for headers. */
const char	*settings_lib_name(enum mail_lib lib);

/*
 * --mail-lib's value (check and the wizard): javamail, angus or
 * jakarta into *lib.  Errors: SW_EUSAGE, with the message to show.
 */
enum sw_err	 settings_lib_parse(const char *arg, enum mail_lib *lib,
		    struct sw_error *err);

/* The value set for key (any key), or NULL when none is set. */
const char	*settings_get(const struct settings *s, const char *key);

/*
 * The value Java will work with, as text: the one set, else the
 * library's default (NULL when there is none, e.g. timeouts, which
 * then wait forever).  Computed like the library: mail.smtp.port is
 * 465 when ssl.enable is true and 25 otherwise, the socket factory
 * ports follow it, host falls back to mail.host and "localhost", user
 * to mail.user.  A number Java cannot parse yields the default.  The
 * string belongs to s or is static.
 */
const char	*settings_effective(const struct settings *s,
		    const char *key);

/*
 * The effective value of a boolean key read as Java does: PropUtil's
 * getBooleanProperty() against the library's default (a default-true
 * key is false only for "false", a default-false key true only for
 * "true", both case-blind and compared whole, blanks included: "true "
 * is false, "false " leaves a default-true key true).
 */
int		 settings_bool(const struct settings *s, const char *key);

/*
 * PropUtil.getBoolean(): value (NULL: unset) read against the default
 * dflt, as settings_bool() does for a key.
 */
int		 settings_java_bool(const char *value, int dflt);

/*
 * 1 when mail.smtp.socketFactory.class names, exactly as Class.forName()
 * sees it (a blank makes it another, unknown class), a class whose
 * static getDefault() gives an SSLSocketFactory:
 * javax.net.ssl.SSLSocketFactory, or the MailSSLSocketFactory of
 * JavaMail (com.sun.mail.util) or Angus Mail (org.eclipse.angus.mail.
 * util), which inherit that method.  JavaMail's SocketFetcher then
 * makes every connection TLS from the first byte, whatever ssl.enable
 * says; settings_mode() (probe.h) counts it as implicit TLS.
 */
int		 settings_socket_factory_ssl(const struct settings *s);

/*
 * Stores in *v the effective value of a number key as Java reads it
 * (Integer.parseInt, "0x" hex).  Returns 1, or 0 (and leaves *v) when
 * it has no value, e.g. an unset timeout.
 */
int		 settings_int(const struct settings *s, const char *key,
		    long *v);

/*
 * Checks one pair without storing it: key known (mail.smtps.* and
 * unknown keys: a warning naming the closest known key), value of the
 * key's type and range, lists without commas and with names Java
 * knows.  Returns the level; msg (may be NULL) gets the explanation,
 * code SW_EUSAGE, which never quotes a secret's value.
 * Errors: none (the result is the level).
 */
enum settings_level settings_check(enum mail_lib lib, const char *key,
		    const char *value, struct sw_error *msg);

/*
 * Sets key to value (NULL removes it) after settings_check().  An
 * error-level problem leaves s unchanged and returns SW_EUSAGE.  A
 * warning stores the pair, returns SW_OK and still fills err with the
 * warning (code SW_EUSAGE): the command line treats it as fatal, a
 * screen may show it and go on.  Pass a fresh err per call.
 * Errors: SW_EUSAGE (message says what Java would do and what to
 * write), SW_ENOMEM.
 */
enum sw_err	 settings_set(struct settings *s, const char *key,
		    const char *value, struct sw_error *err);

/*
 * settings_set() from "mail.smtp.KEY=VALUE" (split at the first '=';
 * blanks around KEY are dropped, VALUE is taken literally).
 * Errors: as settings_set(); SW_EUSAGE when there is no '=' or no key.
 */
enum sw_err	 settings_assign(struct settings *s, const char *assignment,
		    struct sw_error *err);

/* Removes key; returns 1 when it was set. */
int		 settings_unset(struct settings *s, const char *key);

/*
 * Adds the pairs of the .properties file at path to s, exactly as
 * written, unchecked (a deployed file is tested as it is; see
 * settings_validate()).  Later keys override earlier ones.  All or
 * nothing.
 * Errors: SW_EFILE (the message names the file and line), SW_ENOMEM.
 */
enum sw_err	 settings_load(struct settings *s, const char *path,
		    struct sw_error *err);

/* Receives one problem found by settings_validate(). */
typedef void	(*settings_issue_fn)(void *arg, enum settings_level level,
		    const char *key, const char *msg);

/*
 * Runs settings_check() on every pair in order and reports each
 * problem to fn (may be NULL), also a key a loaded file set twice.
 * Messages start "FILE:LINE: " for pairs read from a file.  Returns the
 * worst level found.
 * Errors: none.
 */
enum settings_level settings_validate(const struct settings *s,
		    settings_issue_fn fn, void *arg);

/* The table entry for key ("mail.smtp.port"), or NULL when unknown. */
const struct settings_key *settings_key_info(const char *key);

/* The whole table, in a sensible reading order; *count gets its size. */
const struct settings_key *settings_keys(size_t *count);

/*
 * The default of key in lib as the table has it (not computed), or
 * NULL when there is none or key is unknown.
 */
const char	*settings_default(enum mail_lib lib, const char *key);

/* 1 when key holds a password (mail.smtp[s].password, .proxy.password). */
int		 settings_is_secret(const char *key);

/*
 * Is key read by step 5 (the login) alone, so that changing it leaves
 * steps 1-4 valid?  The table's SETTINGS_STEP5 rows, the passwords,
 * mail.user (JavaMail's fallback for mail.smtp.user), and an unknown
 * mail.smtp.auth* or mail.smtp.sasl.* key (a misspelt login key).
 */
int		 settings_step5_only(const char *key);

/* Where the proxy's password comes from: never the command line. */
#define PROXY_PASSWORD_ENV	"SMTPWIZ_PROXY_PASSWORD"

/*
 * --socks and --proxy: arg is [USER@]HOST[:PORT] (an IPv6 address in
 * brackets).  Sets mail.smtp.socks.host/port (socks) or
 * mail.smtp.proxy.host/port/user; a SOCKS user, which Java takes from
 * java.net.socks.username and no mail.smtp key holds, goes to user
 * (cap bytes; "" when none).
 * Errors: SW_EUSAGE (an empty host, a bad port), SW_ENOMEM.
 */
enum sw_err	 settings_proxy_arg(struct settings *s, int socks,
		    const char *arg, char *user, size_t cap,
		    struct sw_error *err);

#endif
