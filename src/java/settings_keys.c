/*
 * The mail.smtp.* table: every key smtpwiz knows, with its type, its
 * defaults in both libraries and one line on what it does, and the
 * lookups on it.  Defaults come from JavaMail 1.6.2 and Angus Mail
 * (SMTPTransport, SocketFetcher, PropUtil: their sources); descriptions
 * are our own words.  What the values may be is settings_check.c's
 * business, the model settings.c's.
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "settings.h"
#include "settings_int.h"

#define CORE		SETTINGS_CORE
#define STEP5		SETTINGS_STEP5

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
	BOOL_ROW("auth", "false", STEP5 | CORE, "Log in with AUTH (JS7 sets it "
	    "itself: true when a user is given)."),
	STR_ROW("user", "mail.user, else none", STEP5 | CORE,
	    "Account to log in with."),
	STR_ROW("password", "none",
	    STEP5 | CORE | SETTINGS_SECRET | SETTINGS_NOT_MAIL, "Password for "
	    "mail.smtp.user; JS7 reads it, the mail library does not."),
	ROW("auth.mechanisms", SETTINGS_LIST, 0, 0,
	    "LOGIN PLAIN DIGEST-MD5 NTLM", "LOGIN PLAIN DIGEST-MD5 NTLM",
	    "LOGIN PLAIN DIGEST-MD5 NTLM", STEP5 | CORE, "AUTH mechanisms to "
	    "try, most preferred first, separated by spaces."),
	BOOL_ROW("auth.login.disable", "false", STEP5 | CORE,
	    "Never use AUTH LOGIN."),
	BOOL_ROW("auth.plain.disable", "false", STEP5 | CORE,
	    "Never use AUTH PLAIN."),
	BOOL_ROW("auth.ntlm.disable", "false", STEP5 | CORE, "Never use NTLM "
	    "(Exchange offers it first)."),
	BOOL_ROW("auth.xoauth2.disable", "true", STEP5 | CORE, "Keep XOAUTH2 "
	    "off unless this is false or auth.mechanisms names it."),
	BOOL_ROW("sasl.enable", "false", STEP5 | CORE,
	    "Pick the mechanism through Java's SASL framework."),
	/* Envelope */
	STR_ROW("from", "the message's From address", STEP5 | CORE,
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
	BOOL_ROW("auth.digest-md5.disable", "false", STEP5,
	    "Never use DIGEST-MD5."),
	STR_ROW("auth.ntlm.domain", "none", STEP5, "NTLM domain."),
	ROW("auth.ntlm.flags", SETTINGS_INT, INT_MIN, INT_MAX, "0", "0", "0",
	    STEP5, "NTLM flags."),
	BOOL_ROW("auth.ntlm.v2", "true", STEP5, "Use NTLMv2."),
	STR_ROW("auth.ntlm.unicode", "none", STEP5, "Documented, no effect."),
	STR_ROW("auth.ntlm.lmcompat", "none", STEP5, "Documented, no effect."),
	STR_ROW("sasl.mechanisms", "none", STEP5,
	    "SASL mechanisms to try (spaces or commas)."),
	STR_ROW("sasl.authorizationid", "the user name", STEP5,
	    "SASL authorization identity."),
	STR_ROW("sasl.realm", "none", STEP5, "Realm for DIGEST-MD5."),
	STR_ROW("saslrealm", "none", STEP5, "Old name of sasl.realm."),
	BOOL_ROW("sasl.usecanonicalhostname", "false", STEP5,
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

/* ---- the table --------------------------------------------------- */

int
settings_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The entry for key; mail.smtps.X finds X's entry and sets *smtps. */
const struct settings_key *
settings_lookup(const char *key, int *smtps)
{
	const char *tail;
	size_t i;

	*smtps = settings_starts(key, P_SMTPS);
	if (!*smtps && !settings_starts(key, P_SMTP))
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
	const struct settings_key *k = settings_lookup(key, &smtps);

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
	const struct settings_key *k = settings_lookup(key, &smtps);

	return k != NULL && (k->flags & SETTINGS_SECRET) != 0;
}

int
settings_step5_only(const char *key)
{
	const struct settings_key *k = settings_key_info(key);

	if (settings_is_secret(key) || strcmp(key, "mail.user") == 0)
		return 1;
	if (k != NULL)
		return (k->flags & SETTINGS_STEP5) != 0;
	return strncmp(key, P_SMTP "auth", strlen(P_SMTP "auth")) == 0 ||
	    strncmp(key, P_SMTP "sasl.", strlen(P_SMTP "sasl.")) == 0;
}

const char *
settings_lib_name(enum mail_lib lib)
{
	return lib == MAIL_LIB_ANGUS2 ? "Jakarta Mail 2.x (Angus Mail)" :
	    "JavaMail 1.6.2";
}

enum sw_err
settings_lib_parse(const char *arg, enum mail_lib *lib, struct sw_error *err)
{
	if (strcmp(arg, "javamail") == 0)
		*lib = MAIL_LIB_JAVAMAIL16;
	else if (strcmp(arg, "angus") == 0 || strcmp(arg, "jakarta") == 0)
		*lib = MAIL_LIB_ANGUS2;
	else
		return sw_fail(err, SW_EUSAGE, "--mail-lib must be javamail "
		    "(1.6, what JS7 runs) or angus (Jakarta Mail 2.x), not "
		    "\"%s\"", arg);
	return SW_OK;
}
