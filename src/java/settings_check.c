/*
 * settings_check(): what Java would make of one pair.  A known key's
 * value is checked against its type and range, lists against the names
 * Java knows, strings for blanks, quotes and ports where Java would
 * keep them; an unknown or misspelt key gets the closest known one
 * ("did you mean").  Each message says what Java would do and what to
 * write instead.  The keys are settings_keys.c's table.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "settings.h"
#include "settings_int.h"

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
const char *
settings_closest(const char *key)
{
	const struct settings_key *table;
	const char *best = NULL, *tail;
	int d, bestd = 99, len = (int)strlen(key);
	size_t i, ntable;

	tail = strstr(key, P_SMTP);
	/* spring...mail.smtp.X */
	if (tail != NULL && tail != key && settings_lookup(tail, &d) != NULL)
		return settings_lookup(tail, &d)->name;
	table = settings_keys(&ntable);
	for (i = 0; i < ntable + GENERIC_LEN; i++) {
		const char *name = i < ntable ? table[i].name :
		    generic_keys[i - ntable];

		if ((d = distance(key, name)) < bestd) {
			bestd = d;
			best = name;
		}
	}
	if (bestd <= 2 || bestd * 6 <= len)
		return best;
	if (!settings_starts(key, "mail.") && len < 60) {
		char buf[80];

		snprintf(buf, sizeof(buf), "mail.%s", key);
		if (settings_lookup(buf, &d) != NULL)	/* "smtp.host" */
			return settings_lookup(buf, &d)->name;
	}
	return NULL;
}

static enum settings_level
check_unknown(const char *key, struct sw_error *msg)
{
	const char *near = settings_closest(key);
	size_t i;

	if (settings_starts(key, P_SMTP) || settings_starts(key, P_SMTPS)) {
		sw_fail(msg, SW_EUSAGE, "%.80s is not a key the mail library "
		    "reads%s%s%s", key, near ? "; did you mean " : "",
		    near ? near : "", near ? "?" : "");
		return SETTINGS_WARN;
	}
	for (i = 0; i < GENERIC_LEN; i++)
		if (strcmp(key, generic_keys[i]) == 0)
			return SETTINGS_OK;
	/* Other protocols' keys (mail.imap.host) are not our business. */
	if (settings_starts(key, "mail.") && (near == NULL ||
	    (settings_starts(near, P_SMTP) && !smtp_typo(key))))
		return SETTINGS_OK;
	if (settings_starts(key, "mail."))
		sw_fail(msg, SW_EUSAGE, "%.80s is not a key the mail library "
		    "reads; did you mean %s?", key, near);
	else
		sw_fail(msg, SW_EUSAGE, "%.80s is not a mail.* property: the "
		    "mail library ignores it%s%s%s", key,
		    near ? "; did you mean " : "", near ? near : "",
		    near ? "?" : "");
	return SETTINGS_WARN;
}

int
settings_blank_edge(const char *v)
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
	if (settings_blank_edge(v))
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
	if (!settings_java_int(v, &n)) {
		sw_fail(msg, SW_EUSAGE, "%s: \"%.40s\" is not a number%s; Java "
		    "ignores it and uses the default (%s)", key, v,
		    settings_blank_edge(v) ? " (blanks around it)" : "",
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
		if (strchr(w, '-') == NULL && (settings_starts(w, "TLS_") ||
		    settings_starts(w, "SSL_")))
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
void
settings_spaced(const char *v, char *out, size_t cap)
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
		settings_spaced(v, fixed, sizeof(fixed));
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
	if (settings_blank_edge(v)) {
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

	if ((k = settings_lookup(key, &smtps)) == NULL)
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
