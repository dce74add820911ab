/*
 * settings_findings(): Java's reading of the user's settings, as
 * findings (settings_findings.h says what is found and why).  The
 * words about a value's type come from settings_check(); what JavaMail
 * does with a blank, a "yes" or a misspelt key, and what its
 * SocketFetcher and MailSSLSocketFactory make of the socket factory
 * keys and ssl.trust, is written here (SocketFetcher.getSocket(),
 * createSocket(), startTLS(), configureSSLSocket(); JavaMail 1.6.2 and
 * Angus Mail 2.x do the same).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sanitize.h"
#include "settings_findings.h"
#include "settings_int.h"

struct sf {
	const struct settings	*s;
	struct finding		*out;
	size_t			 max, n;
	size_t			 i;		/* the pair at hand */
	const char		*key, *value;
	const char		*tail;		/* key after "mail.smtp." */
};

/*
 * v as a message shows it: sanitised, with tabs and the other blanks
 * Java keeps written as \t \r \n \f, so that they can be seen.
 */
static void
shown(const char *v, char *out, size_t cap)
{
	char tmp[256];
	size_t n = 0;

	for (; *v != '\0' && n + 3 < sizeof(tmp); v++) {
		const char *e = *v == '\t' ? "\\t" : *v == '\r' ? "\\r" :
		    *v == '\n' ? "\\n" : *v == '\f' ? "\\f" : NULL;

		if (e != NULL) {
			memcpy(tmp + n, e, 2);
			n += 2;
		} else
			tmp[n++] = *v;
	}
	tmp[n] = '\0';
	if (*v != '\0')
		memcpy(tmp + (n > 3 ? n - 3 : 0), "...", 4);	/* cut visibly */
	sanitize_str(tmp, out, cap, 0);
}

/* The pair at hand as the message quotes it: FILE:LINE: "key=value". */
static void
where(const struct sf *c, char *buf, size_t cap)
{
	unsigned line = props_line(c->s->p, c->i);
	char key[160], val[200], src[200], loc[240] = "";

	sanitize_str(c->key, key, sizeof(key), 0);
	if (settings_is_secret(c->key) && *c->value != '\0')
		snprintf(val, sizeof(val), "****");
	else
		shown(c->value, val, sizeof(val));
	if (line > 0 && c->s->source != NULL) {
		sanitize_str(c->s->source, src, sizeof(src), 0);
		snprintf(loc, sizeof(loc), "%s:%u: ", src, line);
	} else if (line > 0)
		snprintf(loc, sizeof(loc), "line %u: ", line);
	snprintf(buf, cap, "%s\"%s=%s\"", loc, key, val);
}

/* A finding on the pair at hand; NULL (counted) when out is full. */
static struct finding *
add(struct sf *c, const char *id, enum severity sev, const char *fmt, ...)
{
	struct finding *f;
	char loc[700];
	va_list ap;
	int n;

	if (c->n++ >= c->max)
		return NULL;
	f = &c->out[c->n - 1];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->sev = sev;
	where(c, loc, sizeof(loc));
	n = snprintf(f->message, sizeof(f->message), "%s: ", loc);
	if (n < 0 || (size_t)n >= sizeof(f->message))
		return f;
	va_start(ap, fmt);
	vsnprintf(f->message + n, sizeof(f->message) - (size_t)n, fmt, ap);
	va_end(ap);
	return f;
}

/* v without the blanks around it. */
static void
trimmed(const char *v, char *out, size_t cap)
{
	size_t n;

	while (isspace((unsigned char)*v))
		v++;
	n = strlen(v);
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	snprintf(out, cap, "%.*s", (int)n, v);
}

/* "blank" or "blanks": how many trail v (and lead it, from --set). */
static const char *
blanks(const char *v)
{
	size_t n = strlen(v), k = 0;

	while (k < n && isspace((unsigned char)v[n - 1 - k]))
		k++;
	return k + strspn(v, " \t\r\n\f\v") > 1 ? "blanks" : "blank";
}

/* settings_check()'s message, sanitised, without a leading "KEY: ". */
static void
check_words(const struct sf *c, const struct sw_error *msg, char *out,
    size_t cap)
{
	const char *m = msg->msg;
	size_t n = strlen(c->key);

	if (strncmp(m, c->key, n) == 0 && m[n] == ':' && m[n + 1] == ' ')
		m += n + 2;
	sanitize_str(m, out, cap, 0);
}

/* ---- booleans --------------------------------------------------------- */

/* What a boolean's text says: 1, 0, or -1 when it says neither. */
static int
meant_bool(const char *v)
{
	static const char *const yes[] = { "true", "yes", "y", "on", "1",
	    "enable", "enabled" };
	static const char *const no[] = { "false", "no", "n", "off", "0",
	    "disable", "disabled" };
	char t[16];
	size_t i;

	trimmed(v, t, sizeof(t));
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(t, yes[i]) == 0)
			return 1;
		if (strcasecmp(t, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* What Java then does, for the keys where the difference hurts. */
static const char *
bool_effect(const char *tail, int java)
{
	static const struct {
		const char	*tail;
		int		 java;
		const char	*text;
	} fx[] = {
		{ "starttls.enable", 0, " Java does not use STARTTLS: mail "
		    "and password go in clear text, or a server that requires "
		    "TLS refuses them (530 Must issue a STARTTLS command "
		    "first)." },
		{ "starttls.required", 0, " Java goes on in clear text when "
		    "STARTTLS is missing or stripped." },
		{ "ssl.enable", 0, " Java speaks plain SMTP to the port; on "
		    "an implicit-TLS port it waits for a greeting that never "
		    "comes." },
		{ "auth", 0, " Java does not log in, and the server refuses "
		    "to relay (554 Relay access denied)." },
		{ "ssl.checkserveridentity", 0, " Java does not check that "
		    "the certificate names the host." },
		{ "socketFactory.fallback", 1, " A failed socket factory "
		    "connect still falls back to a plain socket." },
	};
	size_t i;

	for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++)
		if (strcmp(tail, fx[i].tail) == 0 && java == fx[i].java)
			return fx[i].text;
	return "";
}

static void
bool_finding(struct sf *c, const struct settings_key *k)
{
	const char *def = settings_default(c->s->lib, k->name);
	int dflt = def != NULL && strcmp(def, "true") == 0;
	int java = settings_java_bool(c->value, dflt);
	int meant = meant_bool(c->value);
	int blank = settings_blank_edge(c->value);
	const char *rd = java ? "true" : "false";
	struct finding *f;
	char t[64];

	trimmed(c->value, t, sizeof(t));
	if (meant < 0) {
		add(c, "setting-not-boolean", SEV_WARN, "Java takes only true "
		    "or false (any case) and reads anything else as the "
		    "default, %s.", rd);
		return;
	}
	if (blank && (strcasecmp(t, "true") == 0 ||
	    strcasecmp(t, "false") == 0))
		f = add(c, "setting-blank-value", meant == java ? SEV_WARN :
		    SEV_FAIL, "Properties.load() keeps the %s after a value "
		    "and JavaMail (PropUtil) compares the whole text with "
		    "equalsIgnoreCase(\"%s\"), so Java reads it as %s%s.%s",
		    blanks(c->value), dflt ? "false" : "true", rd,
		    meant == java ? " (its default)" : ", the opposite of "
		    "what the line says", meant == java ? "" :
		    bool_effect(c->tail, java));
	else
		f = add(c, "setting-not-boolean", meant == java ? SEV_WARN :
		    SEV_FAIL, "JavaMail (PropUtil) takes only \"%s\" (any "
		    "case) to change this key's default, so Java reads it as "
		    "%s%s.%s", dflt ? "false" : "true", rd, meant == java ?
		    " (its default)" : ", the opposite of what the line says",
		    meant == java ? "" : bool_effect(c->tail, java));
	finding_suggest(f, c->key, meant ? "true" : "false");
}

/* ---- numbers, strings, lists ---------------------------------------- */

static void
number_finding(struct sf *c, const struct settings_key *k,
    enum settings_level lv, const char *words)
{
	int port = k->type == SETTINGS_INT && strstr(k->name, "port");
	const char *eff = settings_effective(c->s, c->key);
	enum severity sev = lv == SETTINGS_ERROR && k->type == SETTINGS_INT ?
	    SEV_FAIL : SEV_WARN;
	struct finding *f;
	char t[64], num[32], v[80];
	const char *p;
	long n;

	trimmed(c->value, t, sizeof(t));
	if (!settings_java_int(c->value, &n) && settings_blank_edge(c->value) &&
	    settings_java_int(t, &n)) {
		shown(c->value, v, sizeof(v));
		f = add(c, "setting-blank-value", port ? SEV_FAIL : SEV_WARN,
		    "Properties.load() keeps the %s after a value, "
		    "Integer.parseInt() refuses \"%s\", and JavaMail "
		    "(PropUtil) then uses the default, %s, not %s.",
		    blanks(c->value), v, eff != NULL ? eff :
		    k->def_text, t);
		finding_suggest(f, c->key, t);
		return;
	}
	f = add(c, "setting-bad-value", sev, "%s", words);
	p = c->value + (*c->value == '-' || *c->value == '+');
	/* "0x24b", "+587", "0587": Java's number is certain, write it so. */
	if (settings_java_int(c->value, &n) && lv == SETTINGS_WARN &&
	    strspn(p, "0123456789") != strlen(p)) {
		snprintf(num, sizeof(num), "%ld", n);
		finding_suggest(f, c->key, num);
	}
}

static void
string_finding(struct sf *c, enum settings_level lv, const char *words)
{
	int host = strcmp(c->tail, "host") == 0 ||
	    strcmp(c->tail, "proxy.host") == 0 ||
	    strcmp(c->tail, "socks.host") == 0;
	size_t n = strlen(c->value);
	const char *colon = strchr(c->value, ':');
	struct finding *f;
	char t[256];

	if (host && colon != NULL && strchr(colon + 1, ':') == NULL) {
		f = add(c, "setting-bad-value", SEV_FAIL, "%s. Java takes the "
		    "whole text as a host name, which does not resolve "
		    "(UnknownHostException).", words);
		snprintf(t, sizeof(t), "%.*s", (int)(colon - c->value),
		    c->value);
		trimmed(t, t, sizeof(t));
		if (*t != '\0')
			finding_suggest(f, c->key, t);
		return;
	}
	trimmed(c->value, t, sizeof(t));
	if (settings_blank_edge(c->value)) {
		f = add(c, "setting-blank-value", host ? SEV_FAIL : SEV_WARN,
		    "Java keeps the %s: Properties.load() drops blanks only "
		    "before a value, and JavaMail uses the text as it is%s.",
		    blanks(c->value), host ? ", so the name does not resolve "
		    "(java.net.UnknownHostException)" : ", blanks included");
		if (*t != '\0')
			finding_suggest(f, c->key, t);
		return;
	}
	f = add(c, "setting-bad-value", host && lv != SETTINGS_OK ? SEV_FAIL :
	    lv == SETTINGS_ERROR ? SEV_FAIL : SEV_WARN, "%s.", words);
	if (n >= 2 && (c->value[0] == '"' || c->value[0] == '\'') &&
	    c->value[n - 1] == c->value[0] && n - 2 < sizeof(t)) {
		snprintf(t, sizeof(t), "%.*s", (int)(n - 2), c->value + 1);
		finding_suggest(f, c->key, t);
	}
}

static void
list_finding(struct sf *c, enum settings_level lv, const char *words)
{
	struct finding *f;
	char fixed[192];

	f = add(c, "setting-bad-value", lv == SETTINGS_ERROR ? SEV_FAIL :
	    SEV_WARN, "%s.", words);
	if (strspn(c->value, " \t\r\n\f") == strlen(c->value))
		finding_suggest(f, c->key, "");		/* the default */
	else if (strchr(c->value, ',') != NULL && strlen(c->value) <
	    sizeof(fixed)) {
		settings_spaced(c->value, fixed, sizeof(fixed));
		finding_suggest(f, c->key, fixed);
	}
}

/* ---- keys Java ignores ------------------------------------------------ */

/* "is set to \"v\"" or "is not set, so Java uses its default (d)". */
static void
state_of(const struct sf *c, const char *key, char *out, size_t cap)
{
	const char *v = settings_get(c->s, key), *e;
	char val[120];

	if (v != NULL) {
		sanitize_str(settings_is_secret(key) ? "****" : v, val,
		    sizeof(val), 0);
		snprintf(out, cap, "is set to \"%s\"", val);
		return;
	}
	e = settings_effective(c->s, key);
	sanitize_str(e != NULL ? e : "none", val, sizeof(val), 0);
	snprintf(out, cap, "is not set, so Java uses %s", val);
}

/* Would Java, reading value under key near, do other than it does now? */
static int
near_differs(const struct sf *c, const char *near)
{
	const struct settings_key *k = settings_key_info(near);
	const char *eff = settings_effective(c->s, near);
	int dflt;

	if (k == NULL || settings_get(c->s, near) != NULL)
		return 0;
	if (k->type == SETTINGS_BOOL) {
		dflt = settings_bool(c->s, near);
		return settings_java_bool(c->value, dflt) != dflt;
	}
	return eff == NULL || strcmp(eff, c->value) != 0;
}

static void
unknown_finding(struct sf *c, const char *words)
{
	const char *near = settings_closest(c->key);
	struct finding *f;
	char state[200];

	if (!settings_starts(c->key, "mail.")) {
		add(c, "setting-unknown-key", near ? SEV_WARN : SEV_INFO,
		    "%s.", words);
		return;
	}
	if (near == NULL) {
		f = add(c, "setting-unknown-key", SEV_WARN, "%s: Java ignores "
		    "this line.", words);
		finding_suggest(f, c->key, "");
		return;
	}
	state_of(c, near, state, sizeof(state));
	f = add(c, "setting-unknown-key", near_differs(c, near) ? SEV_FAIL :
	    SEV_WARN, "%s Java ignores this line; %s %s.", words, near, state);
	finding_suggest(f, c->key, "");
}

static void
smtps_finding(struct sf *c, const struct settings_key *k)
{
	struct finding *f;
	char state[200];

	state_of(c, k->name, state, sizeof(state));
	f = add(c, "setting-smtps-key", SEV_WARN, "Only the smtps transport "
	    "reads mail.smtps.* keys; the smtp transport (the one JS7 "
	    "notifications use) ignores this line, and %s %s. For implicit "
	    "TLS write mail.smtp.ssl.enable=true.", k->name, state);
	finding_suggest(f, c->key, "");
}

/* ---- socket factories and ssl.trust --------------------------------- */

static const char *
sget(const struct sf *c, const char *tail)
{
	char key[80];

	snprintf(key, sizeof(key), P_SMTP "%s", tail);
	return settings_get(c->s, key);
}

static int
sset(const struct sf *c, const char *tail)
{
	const char *v = sget(c, tail);

	return v != NULL && *v != '\0';
}

/* mail.smtp.socketFactory.class: how SocketFetcher.getSocket() uses it. */
static void
socket_factory(struct sf *c)
{
	int ssl = settings_ssl_factory_class(c->value), fb =
	    settings_bool(c->s, P_SMTP "socketFactory.fallback");
	const char *port = settings_effective(c->s, P_SMTP "port");
	const char *sfport = sget(c, "socketFactory.port");
	char t[200], fall[400];
	struct finding *f;
	long n;

	trimmed(c->value, t, sizeof(t));
	snprintf(fall, sizeof(fall), fb ? " With socketFactory.fallback "
	    "true (%s), a TLS connect that fails -- a handshake error, an "
	    "untrusted certificate -- is silently retried as a plain "
	    "connection to port %s: the real error is lost, and Java waits "
	    "for a greeting that a TLS port never sends (\"Could not connect "
	    "to SMTP host\" or \"Read timed out\"), or talks in clear text "
	    "to a port that allows it." : " socketFactory.fallback is "
	    "false: a failed connect fails at once.", sset(c,
	    "socketFactory.fallback") ? "as set" : "the default", port);
	if (ssl)
		f = add(c, "setting-socketfactory", SEV_WARN, "JavaMail's "
		    "SocketFetcher makes the connection with this factory, so "
		    "it is TLS from the first byte (implicit TLS, as with "
		    "ssl.enable=true; STARTTLS is then skipped), to port %s."
		    "%s mail.smtp.ssl.trust is ignored on such a socket. Use "
		    "mail.smtp.ssl.enable=true instead and drop the "
		    "socketFactory keys.", sfport && settings_java_int(sfport,
		    &n) ? sfport : port, fall);
	else if (settings_ssl_factory_class(t))
		f = add(c, "setting-socketfactory", SEV_FAIL, "The class name "
		    "has blanks around it, which Class.forName() keeps: it "
		    "finds no such class.%s Use mail.smtp.ssl.enable=true "
		    "instead and drop the socketFactory keys.", fb ?
		    " With socketFactory.fallback true, Java silently makes a "
		    "plain connection instead: no TLS at all." : " With "
		    "socketFactory.fallback false, connect() fails (\"Using "
		    "socket factory class ...\").");
	else {
		add(c, "setting-socketfactory", SEV_WARN, "JavaMail makes the "
		    "connection with this factory (its static getDefault()); "
		    "smtpwiz cannot tell what its sockets do and probes as "
		    "the other settings say.%s", fall);
		return;
	}
	finding_suggest(f, c->key, "");
	if (sget(c, "socketFactory.fallback") != NULL)
		finding_suggest(f, P_SMTP "socketFactory.fallback", "");
	if (sfport != NULL) {
		finding_suggest(f, P_SMTP "socketFactory.port", "");
		if (ssl && settings_java_int(sfport, &n))
			finding_suggest(f, P_SMTP "port", sfport);
	}
	/* ssl.enable makes the default port 465: keep the one in use. */
	if (settings_get(c->s, P_SMTP "port") == NULL && (sfport == NULL ||
	    !ssl || !settings_java_int(sfport, &n)))
		finding_suggest(f, P_SMTP "port", port);
	finding_suggest(f, P_SMTP "ssl.enable", "true");
}

/* socketFactory.port/.fallback without a factory; ssl.socketFactory.port. */
static void
factory_extra(struct sf *c)
{
	struct finding *f;

	if (strcmp(c->tail, "ssl.socketFactory.port") == 0) {
		if (sset(c, "ssl.socketFactory.class") &&
		    settings_bool(c->s, P_SMTP "ssl.enable")) {
			add(c, "setting-ssl-socketfactory", SEV_INFO, "Java "
			    "connects the ssl.socketFactory's socket to this "
			    "port instead of mail.smtp.port.");
			return;
		}
		f = add(c, "setting-socketfactory-ignored", SEV_WARN, "Java "
		    "reads it only with mail.smtp.ssl.enable=true and an "
		    "ssl.socketFactory.class; here it ignores the line.");
	} else {
		if (sset(c, "socketFactory.class"))
			return;		/* socket_factory() tells */
		f = add(c, "setting-socketfactory-ignored", SEV_WARN, "Java "
		    "reads it only together with mail.smtp.socketFactory."
		    "class, which is not set: it ignores the line.");
	}
	finding_suggest(f, c->key, "");
}

/* mail.smtp.ssl.socketFactory.class: SocketFetcher's TLS sockets. */
static void
ssl_socket_factory(struct sf *c)
{
	int jdk = strcmp(c->value, "javax.net.ssl.SSLSocketFactory") == 0;
	int trust = sget(c, "ssl.trust") != NULL;
	char t[200];
	struct finding *f;

	trimmed(c->value, t, sizeof(t));
	if (*c->value == '\0')
		return;
	if (!jdk && !settings_ssl_factory_class(c->value) &&
	    settings_ssl_factory_class(t)) {
		add(c, "setting-ssl-socketfactory", SEV_FAIL, "The class name "
		    "has blanks around it, which Class.forName() keeps: it "
		    "finds no such class, and STARTTLS fails with \"Exception "
		    "in startTLS using ...\" (implicit TLS falls back to a "
		    "plain socket).");
		return;
	}
	f = add(c, "setting-ssl-socketfactory", SEV_WARN, "JavaMail makes "
	    "its TLS sockets with this factory, for STARTTLS and implicit "
	    "TLS alike, and then ignores mail.smtp.ssl.trust%s. %s",
	    trust ? " (which is set here)" : "", jdk ? "It is the JDK's "
	    "default factory, so the line changes nothing else." :
	    "smtpwiz cannot tell what this class checks and probes with the "
	    "JDK's default instead.");
	if (jdk && !trust)
		finding_suggest(f, c->key, "");
}

/* mail.smtp.ssl.trust: MailSSLSocketFactory's trusted hosts. */
static void
ssl_trust(struct sf *c)
{
	const char *host = settings_effective(c->s, P_SMTP "host"), *p;
	int star = strcmp(c->value, "*") == 0, listed = 0;
	size_t n, hl = strlen(host);
	char h[160];

	sanitize_str(host, h, sizeof(h), 0);
	/*
	 * SocketFetcher reads ssl.trust only when it wraps a plain socket
	 * in TLS itself: not with an ssl.socketFactory, nor when
	 * socketFactory.class already gave a TLS socket.
	 */
	if (sset(c, "ssl.socketFactory.class") ||
	    settings_socket_factory_ssl(c->s) ||
	    settings_mode(c->s) == MODE_PLAIN) {
		add(c, "setting-ssl-trust", SEV_INFO, "Java ignores it here: "
		    "%s.", settings_mode(c->s) == MODE_PLAIN ? "the settings "
		    "use no TLS" : "the TLS socket comes from a socket factory "
		    "set in the settings");
		return;
	}
	if (star) {
		add(c, "setting-ssl-trust", SEV_WARN, "JavaMail's "
		    "MailSSLSocketFactory then trusts every server without "
		    "checking its certificate chain at all -- expired, "
		    "self-signed, issued by anyone: whoever can intercept the "
		    "connection can pose as the server and read mail and "
		    "password. Import the server's CA into the trust store "
		    "Java uses (step 2 says how) and remove this line.");
		return;
	}
	/* Java: trusted.split("\\s+"), then List.contains(host). */
	for (p = c->value; *(p += strspn(p, " \t\r\n\f\v")) != '\0'; p += n) {
		n = strcspn(p, " \t\r\n\f\v");
		listed |= n == hl && strncmp(p, host, n) == 0;
	}
	if (!listed)
		add(c, "setting-ssl-trust", SEV_FAIL, "With a list, JavaMail's "
		    "MailSSLSocketFactory skips the certificate chain check "
		    "and then accepts only the names listed, compared exactly "
		    "(case too) with mail.smtp.host; %s is not among them, so "
		    "Java fails with \"Server is not trusted: %s\".%s", h, h,
		    strchr(c->value, '*') != NULL ? " Only the value * alone "
		    "means every host." : "");
	else
		add(c, "setting-ssl-trust", SEV_WARN, "For %s JavaMail's "
		    "MailSSLSocketFactory skips the whole certificate chain "
		    "check (expired, self-signed, any issuer accepted); names "
		    "not listed are refused (\"Server is not trusted\"). "
		    "Importing the server's CA into the trust store Java uses "
		    "is the safe way.", h);
}

/* ---- one pair --------------------------------------------------------- */

static void
value_finding(struct sf *c, const struct settings_key *k,
    enum settings_level lv, const struct sw_error *msg)
{
	char words[600];

	check_words(c, msg, words, sizeof(words));
	if (k->type == SETTINGS_BOOL)
		bool_finding(c, k);
	else if (k->type == SETTINGS_INT || k->type == SETTINGS_MS)
		number_finding(c, k, lv, words);
	else if (k->type == SETTINGS_LIST)
		list_finding(c, lv, words);
	else if (strstr(c->tail, "socketFactory.class") == NULL)
		string_finding(c, lv, words);	/* factories: below */
}

static void
pair_findings(struct sf *c)
{
	const struct settings_key *k;
	struct sw_error msg = { 0 };
	enum settings_level lv;
	int smtps;

	lv = settings_check(c->s->lib, c->key, c->value, &msg);
	if ((k = settings_lookup(c->key, &smtps)) == NULL) {
		if (strcmp(c->key, "mail.transport.protocol") == 0 &&
		    strcmp(c->value, "smtps") == 0)
			add(c, "setting-protocol-smtps", SEV_WARN, "Java then "
			    "reads mail.smtps.* keys and ignores every "
			    "mail.smtp.* key; smtpwiz checks the smtp "
			    "transport, the one JS7 uses.");
		else if (lv != SETTINGS_OK) {
			char words[600];

			check_words(c, &msg, words, sizeof(words));
			unknown_finding(c, words);
		}
		return;
	}
	c->tail = k->name + strlen(P_SMTP);
	if (smtps) {
		smtps_finding(c, k);
		return;
	}
	if (k->type == SETTINGS_OBJECT) {
		finding_suggest(add(c, "setting-not-a-string", SEV_WARN,
		    "Only Java code can set it (Properties.put() of an "
		    "object); as text Java ignores it. Use %s.class for a "
		    "class name.", c->key), c->key, "");
		return;
	}
	if (lv != SETTINGS_OK && (k->flags & SETTINGS_ANGUS_ONLY) &&
	    c->s->lib == MAIL_LIB_JAVAMAIL16)
		add(c, "setting-angus-only", SEV_WARN, "Only Angus Mail reads "
		    "it; JavaMail 1.6.2 ignores this line.");
	else if (lv != SETTINGS_OK)
		value_finding(c, k, lv, &msg);
	if (strcmp(c->tail, "socketFactory.class") == 0 && *c->value != '\0')
		socket_factory(c);
	else if (strcmp(c->tail, "socketFactory.port") == 0 ||
	    strcmp(c->tail, "socketFactory.fallback") == 0 ||
	    strcmp(c->tail, "ssl.socketFactory.port") == 0)
		factory_extra(c);
	else if (strcmp(c->tail, "ssl.socketFactory.class") == 0)
		ssl_socket_factory(c);
	else if (strcmp(c->tail, "ssl.trust") == 0)
		ssl_trust(c);
}

size_t
settings_findings(const struct settings *s, struct finding *out,
    size_t max)
{
	struct sf c = { .s = s, .out = out, .max = out != NULL ? max : 0 };
	const char *proto = settings_get(s, "mail.transport.protocol");
	unsigned first;

	for (c.i = 0; c.i < props_count(s->p); c.i++) {
		c.key = props_key(s->p, c.i);
		c.value = props_value(s->p, c.i);
		c.tail = "";
		/* With protocol smtps the smtps keys are the ones Java reads. */
		if (proto != NULL && strcmp(proto, "smtps") == 0 &&
		    settings_starts(c.key, P_SMTPS))
			continue;
		pair_findings(&c);
		if ((first = props_first_line(s->p, c.i)) != 0)
			add(&c, "setting-duplicate", SEV_WARN, "The key is set "
			    "twice (lines %u and %u); Java uses the later "
			    "value, this one.", first, props_line(s->p, c.i));
	}
	return c.n;
}

void
settings_findings_result(const struct settings *s, struct step_result *r)
{
	size_t n, i;

	memset(r, 0, sizeof(*r));
	n = settings_findings(s, r->findings, STEP_FINDINGS_MAX);
	r->nfindings = n < STEP_FINDINGS_MAX ? n : STEP_FINDINGS_MAX;
	r->verdict = VERDICT_PASS;
	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].sev == SEV_FAIL)
			r->verdict = VERDICT_FAIL;
		else if (r->findings[i].sev == SEV_WARN &&
		    r->verdict != VERDICT_FAIL)
			r->verdict = VERDICT_WARN;
}
