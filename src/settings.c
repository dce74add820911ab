/*
 * The mail.smtp.* table and the settings model on top of props.c.
 * Defaults and parsing rules come from JavaMail 1.6.2 and Angus Mail
 * (SMTPTransport, SocketFetcher, PropUtil) as summarised in
 * /work/shared/reference/jakarta-mail-smtp-properties.md; descriptions
 * are our own words.  The checks explain what Java would do with a
 * value, because the usual failure is silent: "587 " or "TRUE " or
 * "TLSv1.2,TLSv1.3" is accepted by the file format and misread later.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"

#define P_SMTP		"mail.smtp."
#define P_SMTPS		"mail.smtps."
#define CORE		SETTINGS_CORE

#define ROW(n, t, lo, hi, d16, d2, dt, fl, ds) {			\
	.name = P_SMTP n, .type = t, .min = lo, .max = hi,		\
	.def16 = d16, .def2 = d2, .def_text = dt, .flags = fl,		\
	.desc = ds }
#define BOOL_ROW(n, d, fl, ds)						\
	ROW(n, SETTINGS_BOOL, 0, 0, d, d, d, fl, ds)
#define PORT_ROW(n, d, dt, fl, ds)					\
	ROW(n, SETTINGS_INT, 1, 65535, d, d, dt, fl, ds)
#define MS_ROW(n, ds)							\
	ROW(n, SETTINGS_MS, 0, INT_MAX, NULL, NULL, "infinite", CORE, ds)
#define STR_ROW(n, dt, fl, ds)						\
	ROW(n, SETTINGS_STRING, 0, 0, NULL, NULL, dt, fl, ds)
#define OBJ_ROW(n, fl, ds)						\
	ROW(n, SETTINGS_OBJECT, 0, 0, NULL, NULL, "none", fl, ds)

static const struct settings_key settings_table[] = {
	/* Connection */
	ROW("host", SETTINGS_STRING, 0, 0, "localhost", "localhost",
	    "mail.host, else localhost", CORE,
	    "Name or address of the SMTP server."),
	PORT_ROW("port", "25", "25; 465 when ssl.enable is true", CORE,
	    "TCP port of the server."),
	MS_ROW("connectiontimeout",
	    "How long to wait for the TCP connection, in milliseconds."),
	MS_ROW("timeout", "How long to wait for each reply, the greeting "
	    "and the TLS handshake included, in milliseconds."),
	MS_ROW("writetimeout", "How long one write may block, in "
	    "milliseconds (costs a thread per connection)."),
	STR_ROW("localhost", "this machine's host name", CORE,
	    "Name sent with EHLO; some servers refuse one that is not "
	    "fully qualified."),
	STR_ROW("localaddress", "chosen by the system", CORE,
	    "Local address to connect from, on hosts with several."),
	BOOL_ROW("ehlo", "true", CORE, "false sends HELO instead of EHLO, "
	    "which rules out STARTTLS and AUTH."),
	BOOL_ROW("quitwait", "true", CORE,
	    "Wait for the reply to QUIT before closing."),
	/* TLS */
	BOOL_ROW("ssl.enable", "false", CORE, "Start TLS right after "
	    "connecting (implicit TLS, usually port 465)."),
	BOOL_ROW("starttls.enable", "false", CORE, "Switch to TLS with "
	    "STARTTLS when the server offers it; else stay in clear text."),
	BOOL_ROW("starttls.required", "false", CORE, "Fail instead of "
	    "going on in clear text when STARTTLS is missing or fails."),
	ROW("ssl.protocols", SETTINGS_LIST, 0, 0, NULL, NULL,
	    "the JDK's enabled protocols without SSLv3", CORE,
	    "TLS versions to enable, e.g. \"TLSv1.2\" or "
	    "\"TLSv1.2 TLSv1.3\"."),
	ROW("ssl.ciphersuites", SETTINGS_LIST, 0, 0, NULL, NULL,
	    "the JDK's enabled suites", CORE,
	    "Cipher suites to enable, by their Java (IANA) names."),
	ROW("ssl.trust", SETTINGS_LIST, 0, 0, NULL, NULL,
	    "none: the trust store decides", CORE, "\"*\" or host names "
	    "whose certificates are accepted without any validation."),
	ROW("ssl.checkserveridentity", SETTINGS_BOOL, 0, 0, "false", "true",
	    "false in JavaMail 1.6.2, true in Angus Mail", CORE,
	    "Check that the certificate names the host connected to."),
	STR_ROW("ssl.socketFactory.class", "none", CORE,
	    "Class of the SSLSocketFactory that makes TLS sockets."),
	PORT_ROW("ssl.socketFactory.port", NULL, "the port in use", CORE,
	    "Port to use with ssl.socketFactory."),
	STR_ROW("socketFactory.class", "none", CORE, "Class of the factory "
	    "for new sockets; an SSLSocketFactory means implicit TLS."),
	PORT_ROW("socketFactory.port", NULL, "the port in use", CORE,
	    "Port to use with socketFactory."),
	BOOL_ROW("socketFactory.fallback", "true", CORE, "When the socket "
	    "factory fails, try again with a plain socket."),
	/* Authentication */
	BOOL_ROW("auth", "false", CORE, "Log in with AUTH (JS7 sets it "
	    "itself: true when a user is given)."),
	STR_ROW("user", "mail.user, else none", CORE,
	    "Account to log in with."),
	STR_ROW("password", "none",
	    CORE | SETTINGS_SECRET | SETTINGS_NOT_MAIL, "Password for "
	    "mail.smtp.user; JS7 reads it, the mail library does not."),
	ROW("auth.mechanisms", SETTINGS_LIST, 0, 0,
	    "LOGIN PLAIN DIGEST-MD5 NTLM", "LOGIN PLAIN DIGEST-MD5 NTLM",
	    "LOGIN PLAIN DIGEST-MD5 NTLM", CORE, "AUTH mechanisms to try, "
	    "most preferred first, separated by spaces."),
	BOOL_ROW("auth.login.disable", "false", CORE,
	    "Never use AUTH LOGIN."),
	BOOL_ROW("auth.plain.disable", "false", CORE,
	    "Never use AUTH PLAIN."),
	BOOL_ROW("auth.ntlm.disable", "false", CORE, "Never use NTLM "
	    "(Exchange offers it first)."),
	BOOL_ROW("auth.xoauth2.disable", "true", CORE, "Keep XOAUTH2 off "
	    "unless this is false or auth.mechanisms names it."),
	BOOL_ROW("sasl.enable", "false", CORE,
	    "Pick the mechanism through Java's SASL framework."),
	/* Envelope */
	STR_ROW("from", "the message's From address", CORE,
	    "Envelope sender (MAIL FROM)."),
	/* Proxies */
	STR_ROW("socks.host", "none", CORE,
	    "SOCKS5 proxy to connect through."),
	PORT_ROW("socks.port", "1080", "1080", CORE,
	    "Port of the SOCKS proxy."),
	STR_ROW("proxy.host", "none", CORE,
	    "HTTP proxy to tunnel through with CONNECT."),
	PORT_ROW("proxy.port", "80", "80", CORE,
	    "Port of the HTTP proxy."),
	STR_ROW("proxy.user", "none", 0, "User name for the HTTP proxy."),
	STR_ROW("proxy.password", "none", SETTINGS_SECRET,
	    "Password for the HTTP proxy."),
	/* Known and passed through, not probed */
	PORT_ROW("localport", NULL, "chosen by the system", 0,
	    "Local port to connect from."),
	BOOL_ROW("quitonsessionreject", "false", SETTINGS_ANGUS_ONLY,
	    "Send QUIT even when the greeting rejects the session."),
	BOOL_ROW("userset", "false", 0,
	    "Test the connection with RSET instead of NOOP."),
	BOOL_ROW("noop.strict", "true", 0,
	    "Only a 250 reply to NOOP means the connection is alive."),
	BOOL_ROW("usesocketchannels", "false", 0,
	    "Create sockets through SocketChannel."),
	STR_ROW("ssl.hostnameverifier.class", "none", SETTINGS_ANGUS_ONLY,
	    "Class or alias of the host name verifier."),
	BOOL_ROW("auth.digest-md5.disable", "false", 0,
	    "Never use DIGEST-MD5."),
	STR_ROW("auth.ntlm.domain", "none", 0, "NTLM domain."),
	ROW("auth.ntlm.flags", SETTINGS_INT, INT_MIN, INT_MAX, "0", "0", "0",
	    0, "NTLM flags."),
	BOOL_ROW("auth.ntlm.v2", "true", 0, "Use NTLMv2."),
	STR_ROW("auth.ntlm.unicode", "none", 0, "Documented, no effect."),
	STR_ROW("auth.ntlm.lmcompat", "none", 0, "Documented, no effect."),
	STR_ROW("sasl.mechanisms", "none", 0,
	    "SASL mechanisms to try (spaces or commas)."),
	STR_ROW("sasl.authorizationid", "the user name", 0,
	    "SASL authorization identity."),
	STR_ROW("sasl.realm", "none", 0, "Realm for DIGEST-MD5."),
	STR_ROW("saslrealm", "none", 0, "Old name of sasl.realm."),
	BOOL_ROW("sasl.usecanonicalhostname", "false", 0,
	    "Give SASL the server's canonical host name."),
	STR_ROW("submitter", "none", 0, "AUTH= parameter of MAIL FROM."),
	STR_ROW("dsn.notify", "none", 0, "NOTIFY= parameter of RCPT TO."),
	STR_ROW("dsn.ret", "none", 0, "RET= parameter of MAIL FROM."),
	BOOL_ROW("allow8bitmime", "false", 0, "Send text parts as 8bit "
	    "when the server offers 8BITMIME."),
	BOOL_ROW("sendpartial", "false", 0,
	    "Send even when some recipients are refused."),
	BOOL_ROW("reportsuccess", "false", 0,
	    "Report accepted recipients too, as exceptions."),
	STR_ROW("mailextension", "none", 0, "Text added to MAIL FROM."),
	ROW("chunksize", SETTINGS_INT, INT_MIN, INT_MAX, "-1", "-1",
	    "-1 (off)", 0, "Send with BDAT in chunks of this size."),
	STR_ROW("class", "the built-in SMTP transport", 0,
	    "Transport class for smtp; JS7 sets it itself."),
	/* Objects: only Java code can set them */
	OBJ_ROW("ssl.socketFactory", 0, "SSLSocketFactory object."),
	OBJ_ROW("socketFactory", 0, "SocketFactory object."),
	OBJ_ROW("ssl.hostnameverifier", SETTINGS_ANGUS_ONLY,
	    "HostnameVerifier object."),
	OBJ_ROW("executor.writetimeout", SETTINGS_ANGUS_ONLY,
	    "ScheduledExecutorService for write timeouts."),
};

#define TABLE_LEN	(sizeof(settings_table) / sizeof(settings_table[0]))

/* Session-wide keys outside mail.smtp that the library reads. */
static const char *const generic_keys[] = {
	"mail.debug", "mail.debug.auth", "mail.debug.auth.username",
	"mail.debug.auth.password", "mail.debug.quote", "mail.host",
	"mail.user", "mail.from", "mail.transport.protocol",
	"mail.mime.allowutf8",
};

#define GENERIC_LEN	(sizeof(generic_keys) / sizeof(generic_keys[0]))

static const char *const tls_names[] = {
	"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello",
};

static const char *const auth_names[] = {
	"LOGIN", "PLAIN", "DIGEST-MD5", "NTLM", "XOAUTH2",
};

/* ---- the table --------------------------------------------------- */

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The entry for key; mail.smtps.X finds X's entry and sets *smtps. */
static const struct settings_key *
lookup(const char *key, int *smtps)
{
	const char *tail;
	size_t i;

	*smtps = starts(key, P_SMTPS);
	if (!*smtps && !starts(key, P_SMTP))
		return NULL;
	tail = key + (*smtps ? strlen(P_SMTPS) : strlen(P_SMTP));
	for (i = 0; i < TABLE_LEN; i++)
		if (strcmp(settings_table[i].name + strlen(P_SMTP), tail) == 0)
			return &settings_table[i];
	return NULL;
}

const struct settings_key *
settings_key_info(const char *key)
{
	int smtps;
	const struct settings_key *k = lookup(key, &smtps);

	return smtps ? NULL : k;
}

const struct settings_key *
settings_keys(size_t *count)
{
	*count = TABLE_LEN;
	return settings_table;
}

const char *
settings_default(enum mail_lib lib, const char *key)
{
	const struct settings_key *k = settings_key_info(key);

	if (k == NULL)
		return NULL;
	return lib == MAIL_LIB_ANGUS2 ? k->def2 : k->def16;
}

int
settings_is_secret(const char *key)
{
	int smtps;
	const struct settings_key *k = lookup(key, &smtps);

	return k != NULL && (k->flags & SETTINGS_SECRET) != 0;
}

const char *
settings_lib_name(enum mail_lib lib)
{
	return lib == MAIL_LIB_ANGUS2 ? "Jakarta Mail 2.x (Angus Mail)" :
	    "JavaMail 1.6.2";
}

/* ---- the model ----------------------------------------------------- */

enum sw_err
settings_init(struct settings *s, enum mail_lib lib)
{
	s->lib = lib;
	s->source = NULL;
	if ((s->p = props_new()) == NULL)
		return SW_ENOMEM;
	return SW_OK;
}

void
settings_free(struct settings *s)
{
	props_free(s->p);
	free(s->source);
	s->p = NULL;
	s->source = NULL;
}

const char *
settings_get(const struct settings *s, const char *key)
{
	return props_get(s->p, key);
}

/*
 * Integer.parseInt() as PropUtil calls it: optional sign, digits,
 * within int; a "0x" prefix reads the rest as hex.  No blanks.
 */
static int
java_int(const char *s, long *out)
{
	int base = 10, neg = 0, any = 0;
	long v = 0;

	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s != '\0'; s++, any = 1) {
		int d = isdigit((unsigned char)*s) ? *s - '0' :
		    base == 16 && isxdigit((unsigned char)*s) ?
		    tolower((unsigned char)*s) - 'a' + 10 : -1;

		if (d < 0)
			return 0;
		v = v * base + d;
		if (v > (long)INT_MAX + neg)
			return 0;
	}
	if (!any)
		return 0;
	*out = neg ? -v : v;
	return 1;
}

static int
is_number_type(const struct settings_key *k)
{
	return k != NULL && (k->type == SETTINGS_INT || k->type == SETTINGS_MS);
}

/* The default of key in s, computed where the library computes it. */
static const char *
computed_default(const struct settings *s, const struct settings_key *k)
{
	const char *tail = k->name + strlen(P_SMTP);

	if (strcmp(tail, "port") == 0)
		return settings_bool(s, P_SMTP "ssl.enable") ? "465" : "25";
	if (strcmp(tail, "socketFactory.port") == 0 ||
	    strcmp(tail, "ssl.socketFactory.port") == 0)
		return settings_effective(s, P_SMTP "port");
	return s->lib == MAIL_LIB_ANGUS2 ? k->def2 : k->def16;
}

const char *
settings_effective(const struct settings *s, const char *key)
{
	const char *v = settings_get(s, key);
	const struct settings_key *k = settings_key_info(key);
	long n;

	if (strcmp(key, P_SMTP "host") == 0) {
		/* Service.connect(): mail.smtp.host, mail.host, localhost */
		if (v == NULL)
			v = settings_get(s, "mail.host");
		return v != NULL && *v != '\0' ? v : "localhost";
	}
	if (strcmp(key, P_SMTP "user") == 0 && v == NULL)
		return settings_get(s, "mail.user");
	if (v != NULL && (!is_number_type(k) || java_int(v, &n)))
		return v;
	return k != NULL ? computed_default(s, k) : v;
}

int
settings_bool(const struct settings *s, const char *key)
{
	const struct settings_key *k = settings_key_info(key);
	const char *def = k ? settings_default(s->lib, key) : NULL;
	const char *v = settings_get(s, key);
	int dflt = def != NULL && strcmp(def, "true") == 0;

	/* PropUtil.getBoolean(): the default decides what junk means. */
	if (v == NULL)
		return dflt;
	if (dflt)
		return strcasecmp(v, "false") != 0;
	return strcasecmp(v, "true") == 0;
}

int
settings_int(const struct settings *s, const char *key, long *v)
{
	const char *e = settings_effective(s, key);

	return e != NULL && java_int(e, v);
}

int
settings_unset(struct settings *s, const char *key)
{
	return props_unset(s->p, key);
}

/* ---- checks ------------------------------------------------------------ */

/*
 * Case-blind edit distance of two short strings (insert, delete,
 * change, swap of neighbours: "smpt" is one from "smtp"); 99 when
 * either is longer than 80.
 */
static int
distance(const char *a, const char *b)
{
	int d[81][81], i, j, la = (int)strlen(a), lb = (int)strlen(b), c, v;

	if (la > 80 || lb > 80)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			v = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* "mail.X.rest": is X a misspelt smtp (mail.smpt.host)? */
static int
smtp_typo(const char *key)
{
	const char *p = key + strlen("mail."), *dot = strchr(p, '.');
	char part[16];

	if (dot == NULL || dot - p >= (long)sizeof(part))
		return 0;
	snprintf(part, sizeof(part), "%.*s", (int)(dot - p), p);
	return distance(part, "smtp") <= 1 || distance(part, "smtps") <= 1;
}

/* The known key closest to key, if it is close enough to be a typo. */
static const char *
closest(const char *key)
{
	const char *best = NULL, *tail;
	int d, bestd = 99, len = (int)strlen(key);
	size_t i;

	tail = strstr(key, P_SMTP);
	if (tail != NULL && tail != key && lookup(tail, &d) != NULL)
		return lookup(tail, &d)->name;	/* spring...mail.smtp.X */
	for (i = 0; i < TABLE_LEN + GENERIC_LEN; i++) {
		const char *name = i < TABLE_LEN ? settings_table[i].name :
		    generic_keys[i - TABLE_LEN];

		if ((d = distance(key, name)) < bestd) {
			bestd = d;
			best = name;
		}
	}
	if (bestd <= 2 || bestd * 6 <= len)
		return best;
	if (!starts(key, "mail.") && len < 60) {
		char buf[80];

		snprintf(buf, sizeof(buf), "mail.%s", key);
		if (lookup(buf, &d) != NULL)
			return lookup(buf, &d)->name;	/* "smtp.host" */
	}
	return NULL;
}

static enum settings_level
check_unknown(const char *key, struct sw_error *msg)
{
	const char *near = closest(key);
	size_t i;

	if (starts(key, P_SMTP) || starts(key, P_SMTPS)) {
		sw_fail(msg, SW_EUSAGE, "%.80s is not a key the mail library "
		    "reads%s%s%s", key, near ? "; did you mean " : "",
		    near ? near : "", near ? "?" : "");
		return SETTINGS_WARN;
	}
	for (i = 0; i < GENERIC_LEN; i++)
		if (strcmp(key, generic_keys[i]) == 0)
			return SETTINGS_OK;
	/* Other protocols' keys (mail.imap.host) are not our business. */
	if (starts(key, "mail.") && (near == NULL ||
	    (starts(near, P_SMTP) && !smtp_typo(key))))
		return SETTINGS_OK;
	if (starts(key, "mail."))
		sw_fail(msg, SW_EUSAGE, "%.80s is not a key the mail library "
		    "reads; did you mean %s?", key, near);
	else
		sw_fail(msg, SW_EUSAGE, "%.80s is not a mail.* property: the "
		    "mail library ignores it%s%s%s", key,
		    near ? "; did you mean " : "", near ? near : "",
		    near ? "?" : "");
	return SETTINGS_WARN;
}

static int
has_blank_edge(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && (isspace((unsigned char)v[0]) ||
	    isspace((unsigned char)v[n - 1]));
}

static enum settings_level
check_bool(const struct settings_key *k, const char *key, const char *v,
    struct sw_error *msg)
{
	int dflt = k->def16 != NULL && strcmp(k->def16, "true") == 0;
	const char *reads = dflt ? "true" : "false";

	if (*v == '\0' || strcasecmp(v, "true") == 0 ||
	    strcasecmp(v, "false") == 0)
		return SETTINGS_OK;	/* "" is read as the default */
	if (has_blank_edge(v))
		sw_fail(msg, SW_EUSAGE, "%s: \"%.40s\" has blanks around it; "
		    "Java compares the whole text and reads it as %s", key, v,
		    reads);
	else
		sw_fail(msg, SW_EUSAGE, "%s must be true or false, not "
		    "\"%.40s\"; Java reads it as %s", key, v, reads);
	return SETTINGS_ERROR;
}

/* Milliseconds that are legal but probably not what was meant. */
static enum settings_level
check_ms(const char *key, long n, struct sw_error *msg)
{
	if (n == 0) {
		sw_fail(msg, SW_EUSAGE, "%s: 0 makes Java wait forever; give "
		    "milliseconds, e.g. 30000", key);
		return SETTINGS_WARN;
	}
	if (n < 1000) {
		sw_fail(msg, SW_EUSAGE, "%s: %ld ms is less than a second; the "
		    "unit is milliseconds (30 s is 30000)", key, n);
		return SETTINGS_WARN;
	}
	return SETTINGS_OK;
}

static enum settings_level
check_int(const struct settings_key *k, const char *key, const char *v,
    struct sw_error *msg)
{
	const char *p = v + (*v == '-');
	long n;

	if (*v == '\0')
		return SETTINGS_OK;	/* Java uses the default */
	if (!java_int(v, &n)) {
		sw_fail(msg, SW_EUSAGE, "%s: \"%.40s\" is not a number%s; Java "
		    "ignores it and uses the default (%s)", key, v,
		    has_blank_edge(v) ? " (blanks around it)" : "",
		    k->def_text);
		return SETTINGS_ERROR;
	}
	if (k->type == SETTINGS_MS && n < 0) {
		sw_fail(msg, SW_EUSAGE, "%s: %ld is negative, which makes Java "
		    "wait forever; give milliseconds, e.g. 30000", key, n);
		return SETTINGS_ERROR;
	}
	if (n < k->min || n > k->max) {
		sw_fail(msg, SW_EUSAGE, "%s must be %ld-%ld, not %ld", key,
		    k->min, k->max, n);
		return SETTINGS_ERROR;
	}
	if (strspn(p, "0123456789") != strlen(p)) {
		sw_fail(msg, SW_EUSAGE, "%s: Java reads \"%.40s\" as %ld; "
		    "write %ld", key, v, n, n);
		return SETTINGS_WARN;
	}
	return k->type == SETTINGS_MS ? check_ms(key, n, msg) : SETTINGS_OK;
}

/* A known name of names[] equal to, or else close to, word. */
static const char *
known_name(const char *const *names, size_t n, const char *word,
    int *exact)
{
	size_t i, best = 0;
	int d, bestd = 99;

	for (i = 0; i < n; i++) {
		if (strcmp(word, names[i]) == 0) {
			*exact = 1;
			return names[i];
		}
		if ((d = distance(word, names[i])) < bestd) {
			bestd = d;
			best = i;
		}
	}
	*exact = 0;
	return bestd <= 2 ? names[best] : NULL;
}

/* One protocol name of ssl.protocols. */
static enum settings_level
check_protocol(const char *key, const char *w, struct sw_error *msg)
{
	int exact;
	const char *near = known_name(tls_names, 6, w, &exact);

	if (!exact) {
		sw_fail(msg, SW_EUSAGE, "%s: Java knows no protocol \"%.30s\" "
		    "and fails the handshake%s%s%s (names: TLSv1.2, TLSv1.3)",
		    key, w, near ? "; did you mean " : "", near ? near : "",
		    near ? "?" : "");
		return SETTINGS_ERROR;
	}
	if (strcmp(w, "TLSv1.2") != 0 && strcmp(w, "TLSv1.3") != 0) {
		sw_fail(msg, SW_EUSAGE, "%s: %s is insecure and disabled in "
		    "current JDKs; use TLSv1.2 or TLSv1.3", key, w);
		return SETTINGS_WARN;
	}
	return SETTINGS_OK;
}

/* One name of ssl.ciphersuites or auth.mechanisms. */
static enum settings_level
check_word(const char *key, const char *w, struct sw_error *msg)
{
	char up[32];
	size_t i;
	int exact;

	if (strstr(key, "ssl.protocols") != NULL)
		return check_protocol(key, w, msg);
	if (strstr(key, "ssl.ciphersuites") != NULL) {
		if (strchr(w, '-') == NULL && (starts(w, "TLS_") ||
		    starts(w, "SSL_")))
			return SETTINGS_OK;
		sw_fail(msg, SW_EUSAGE, "%s: \"%.50s\" is not a Java suite "
		    "name; Java wants IANA names such as TLS_ECDHE_RSA_WITH_"
		    "AES_128_GCM_SHA256, not OpenSSL's", key, w);
		return SETTINGS_ERROR;
	}
	if (strstr(key, "auth.mechanisms") == NULL)
		return SETTINGS_OK;
	for (i = 0; w[i] != '\0' && i < sizeof(up) - 1; i++)
		up[i] = (char)toupper((unsigned char)w[i]);
	up[i] = '\0';
	if (known_name(auth_names, 5, up, &exact) != NULL && exact)
		return SETTINGS_OK;
	sw_fail(msg, SW_EUSAGE, "%s: the mail library has no \"%.30s\" "
	    "mechanism and skips it (it knows LOGIN PLAIN DIGEST-MD5 NTLM "
	    "XOAUTH2)", key, w);
	return SETTINGS_WARN;
}

/* The list with each run of commas and blanks made one space. */
static void
spaced(const char *v, char *out, size_t cap)
{
	size_t n = 0;

	for (; *v != '\0' && n + 1 < cap; v++) {
		if (*v == ',' || isspace((unsigned char)*v)) {
			if (n > 0 && out[n - 1] != ' ')
				out[n++] = ' ';
		} else
			out[n++] = *v;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static enum settings_level
check_list(const char *key, const char *v, struct sw_error *msg)
{
	enum settings_level lv = SETTINGS_OK, w;
	char fixed[64], word[64];
	const char *p = v;
	size_t n;

	if (strchr(v, ',') != NULL && strlen(v) > 60) {
		sw_fail(msg, SW_EUSAGE, "%s has commas, but Java splits this "
		    "list on spaces only and would take \"%.30s...\" as one "
		    "name; separate the names with spaces", key, v);
		return SETTINGS_ERROR;
	}
	if (strchr(v, ',') != NULL) {
		spaced(v, fixed, sizeof(fixed));
		sw_fail(msg, SW_EUSAGE, "%s: \"%s\" has a comma, but Java "
		    "splits this list on spaces only and would take it as one "
		    "name; write \"%s\"", key, v, fixed);
		return SETTINGS_ERROR;
	}
	if (strspn(v, " \t\r\n\f") == strlen(v)) {
		sw_fail(msg, SW_EUSAGE, "%s is empty, which enables nothing; "
		    "remove it to get the default", key);
		return strstr(key, "ssl.trust") ? SETTINGS_WARN :
		    SETTINGS_ERROR;
	}
	while (*(p += strspn(p, " \t\r\n\f")) != '\0' && lv != SETTINGS_ERROR) {
		n = strcspn(p, " \t\r\n\f");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		w = check_word(key, word, msg);
		lv = w > lv ? w : lv;
		p += n;
	}
	return lv;
}

static enum settings_level
check_string(const struct settings_key *k, const char *key, const char *v,
    struct sw_error *msg)
{
	size_t n = strlen(v);
	int is_host = strcmp(k->name, P_SMTP "host") == 0 ||
	    strstr(k->name, "proxy.host") || strstr(k->name, "socks.host");
	const char *colon = strchr(v, ':');

	if (k->flags & SETTINGS_SECRET)
		return SETTINGS_OK;	/* a password may hold anything */
	if (is_host && colon != NULL && strchr(colon + 1, ':') == NULL) {
		sw_fail(msg, SW_EUSAGE, "%s: \"%.60s\" has a port in it; give "
		    "the name alone and the port in its own key", key, v);
		return SETTINGS_ERROR;
	}
	if (has_blank_edge(v)) {
		sw_fail(msg, SW_EUSAGE, "%s: \"%.60s\" has blanks around it, "
		    "and Java keeps them%s", key, v,
		    is_host ? ": the name will not resolve" : "");
		return is_host ? SETTINGS_ERROR : SETTINGS_WARN;
	}
	if (n >= 2 && ((v[0] == '"' && v[n - 1] == '"') ||
	    (v[0] == '\'' && v[n - 1] == '\''))) {
		sw_fail(msg, SW_EUSAGE, "%s: the quotes are part of the value "
		    "in a .properties file (only JS7 Job Resource arguments "
		    "drop them)", key);
		return SETTINGS_WARN;
	}
	return SETTINGS_OK;
}

static enum settings_level
check_value(const struct settings_key *k, const char *key, const char *v,
    struct sw_error *msg)
{
	switch (k->type) {
	case SETTINGS_BOOL:
		return check_bool(k, key, v, msg);
	case SETTINGS_INT:
	case SETTINGS_MS:
		return check_int(k, key, v, msg);
	case SETTINGS_LIST:
		return check_list(key, v, msg);
	case SETTINGS_STRING:
		return check_string(k, key, v, msg);
	case SETTINGS_OBJECT:
		break;
	}
	return SETTINGS_OK;
}

/* What is wrong with a known key whatever its value. */
static enum settings_level
check_key(enum mail_lib lib, const struct settings_key *k, const char *key,
    int smtps, struct sw_error *msg)
{
	if (k->type == SETTINGS_OBJECT) {
		sw_fail(msg, SW_EUSAGE, "%s must be a Java object set from "
		    "code (Properties.put); as text it is ignored: use "
		    "%s.class", key, key);
		return SETTINGS_WARN;
	}
	if (smtps) {
		sw_fail(msg, SW_EUSAGE, "%s is read only by the smtps "
		    "transport; the smtp transport (used by JS7 notifications) "
		    "reads %s: write that (with ssl.enable=true for implicit "
		    "TLS)", key, k->name);
		return SETTINGS_WARN;
	}
	if ((k->flags & SETTINGS_ANGUS_ONLY) && lib == MAIL_LIB_JAVAMAIL16) {
		sw_fail(msg, SW_EUSAGE, "%s is read only by Angus Mail; "
		    "JavaMail 1.6.2 ignores it", key);
		return SETTINGS_WARN;
	}
	return SETTINGS_OK;
}

enum settings_level
settings_check(enum mail_lib lib, const char *key, const char *value,
    struct sw_error *msg)
{
	struct sw_error vmsg = { 0 }, kmsg = { 0 };
	enum settings_level vl, kl;
	const struct settings_key *k;
	int smtps;

	if ((k = lookup(key, &smtps)) == NULL)
		return check_unknown(key, msg);
	vl = check_value(k, key, value, &vmsg);
	kl = check_key(lib, k, key, smtps, &kmsg);
	/* One message: a value error first, then what is wrong with the key. */
	if (vl == SETTINGS_ERROR ||
	    (vl == SETTINGS_WARN && kl == SETTINGS_OK)) {
		sw_fail(msg, SW_EUSAGE, "%s", vmsg.msg);
		return vl;
	}
	if (kl != SETTINGS_OK)
		sw_fail(msg, SW_EUSAGE, "%s", kmsg.msg);
	return kl;
}

enum sw_err
settings_set(struct settings *s, const char *key, const char *value,
    struct sw_error *err)
{
	struct sw_error msg = { 0 };
	enum settings_level lv;
	enum sw_err rc;

	if (value == NULL) {
		props_unset(s->p, key);
		return SW_OK;
	}
	lv = settings_check(s->lib, key, value, &msg);
	if (lv == SETTINGS_ERROR)
		return sw_fail(err, SW_EUSAGE, "%s", msg.msg);
	if ((rc = props_set(s->p, key, value, err)) != SW_OK)
		return rc;
	if (lv == SETTINGS_WARN)
		sw_fail(err, SW_EUSAGE, "%s", msg.msg);
	return SW_OK;
}

enum sw_err
settings_assign(struct settings *s, const char *assignment,
    struct sw_error *err)
{
	const char *eq = strchr(assignment, '='), *k = assignment, *e;
	char key[PROPS_MAX_KEY + 1];

	if (eq == NULL)
		return sw_fail(err, SW_EUSAGE, "\"%.60s\" is not KEY=VALUE "
		    "(e.g. mail.smtp.port=587)", assignment);
	e = eq;
	while (k < e && isspace((unsigned char)*k))
		k++;
	while (e > k && isspace((unsigned char)e[-1]))
		e--;
	if (e == k || (size_t)(e - k) > PROPS_MAX_KEY)
		return sw_fail(err, SW_EUSAGE, "\"%.60s\" has no key before "
		    "'=' (e.g. mail.smtp.port=587)", assignment);
	memcpy(key, k, (size_t)(e - k));
	key[e - k] = '\0';
	return settings_set(s, key, eq + 1, err);
}

/* 1 when some pair of p was read from a file. */
static int
has_file_lines(const struct props *p)
{
	size_t i;

	for (i = 0; i < props_count(p); i++)
		if (props_line(p, i) != 0)
			return 1;
	return 0;
}

enum sw_err
settings_load(struct settings *s, const char *path, struct sw_error *err)
{
	int earlier = has_file_lines(s->p);
	enum sw_err rc = props_load_file(s->p, path, err);

	if (rc != SW_OK)
		return rc;
	/* Line numbers of two files cannot both be named: name none. */
	if (!earlier) {
		free(s->source);
		s->source = strdup(path);  /* NULL: messages say "line N" */
	} else if (s->source != NULL && strcmp(s->source, path) != 0) {
		free(s->source);
		s->source = NULL;
	}
	return SW_OK;
}

/* Reports msg for pair i, prefixed with where the pair came from. */
static void
report(const struct settings *s, unsigned line, settings_issue_fn fn,
    void *arg, enum settings_level lv, const char *key, const char *msg)
{
	char buf[512];

	if (fn == NULL)
		return;
	if (line > 0)
		snprintf(buf, sizeof(buf), "%s%s%u: %s", s->source ?
		    s->source : "line ", s->source ? ":" : "", line, msg);
	else
		snprintf(buf, sizeof(buf), "%s", msg);
	fn(arg, lv, key, buf);
}

enum settings_level
settings_validate(const struct settings *s, settings_issue_fn fn, void *arg)
{
	enum settings_level worst = SETTINGS_OK, lv;
	struct sw_error msg;
	const char *key;
	size_t i;

	for (i = 0; i < props_count(s->p); i++) {
		key = props_key(s->p, i);
		sw_error_clear(&msg);
		lv = settings_check(s->lib, key, props_value(s->p, i), &msg);
		if (lv != SETTINGS_OK)
			report(s, props_line(s->p, i), fn, arg, lv, key,
			    msg.msg);
		worst = lv > worst ? lv : worst;
		if (props_first_line(s->p, i) == 0)
			continue;
		snprintf(msg.msg, sizeof(msg.msg), "%.80s is set twice (lines "
		    "%u and %u); Java uses the later value", key,
		    props_first_line(s->p, i), props_line(s->p, i));
		report(s, props_line(s->p, i), fn, arg, SETTINGS_WARN, key,
		    msg.msg);
		worst = worst > SETTINGS_WARN ? worst : SETTINGS_WARN;
	}
	return worst;
}
