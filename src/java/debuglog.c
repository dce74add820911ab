/*
 * The Java TLS debug log reader (see debuglog.h).  One pass over the
 * lines with a small state: which handshake message is being printed
 * (ClientHello, ServerHello, Certificate) and which extension inside
 * it.  Field names are those of OpenJDK's SSLLogger output
 * ("client version", "cipher suites", "supported_versions (43)") and
 * of the legacy JSSE's println() lines ("*** ClientHello, TLSv1.2",
 * "Cipher Suites: [...]", "RECV TLSv1.2 ALERT:  fatal, ...").
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "debuglog.h"
#include "sanitize.h"

#define LINE_MAX_USED	8192	/* bytes of one line looked at */

enum ctx { CTX_NONE, CTX_CLIENT, CTX_SERVER, CTX_CERT };
enum ext { EXT_NONE, EXT_SNI, EXT_GROUPS, EXT_VERSIONS, EXT_SELECTED };

struct rd {
	struct debuglog	*dl;
	enum ctx	 ctx;
	enum ext	 ext;
	char		 issuer[160];	/* SSLLogger: issuer before subject */
};

/* Groups javaprof knows (profile.groups must name only these). */
static const char *const known_groups[] = {
	"sect283k1", "sect283r1", "sect409k1", "sect409r1", "sect571k1",
	"sect571r1", "secp256k1", "secp256r1", "secp384r1", "secp521r1",
	"x25519", "x448", "ffdhe2048", "ffdhe3072", "ffdhe4096",
	"ffdhe6144", "ffdhe8192",
};

static void
copy(char *dst, size_t cap, const char *s, size_t n)
{
	sanitize(s, n, dst, cap, 0);
}

static int
starts(const char *s, size_t n, const char *with)
{
	size_t k = strlen(with);

	return n >= k && memcmp(s, with, k) == 0;
}

static const char *
find(const char *s, size_t n, const char *what)
{
	return memmem(s, n, what, strlen(what));
}

/* "TLSv1.2" and the SSLLogger's "TLS12"/"TLS13" spellings. */
static uint16_t
version_word(const char *s, size_t n)
{
	static const struct { const char *w; uint16_t v; } t[] = {
		{ "TLSv1.3", 0x0304 }, { "TLSv1.2", 0x0303 },
		{ "TLSv1.1", 0x0302 }, { "TLSv1", 0x0301 }, { "SSLv3", 0x0300 },
		{ "TLS13", 0x0304 }, { "TLS12", 0x0303 }, { "TLS11", 0x0302 },
		{ "TLS10", 0x0301 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (n == strlen(t[i].w) && memcmp(s, t[i].w, n) == 0)
			return t[i].v;
	return 0;
}

/*
 * Calls fn for every item of the list after the first of "[{" in
 * s[0..n): items separated by commas, blanks trimmed, a "(0x1302)"
 * suffix dropped.
 */
static void
each_item(const char *s, size_t n, void (*fn)(struct rd *, const char *,
    size_t), struct rd *r)
{
	const char *p = s, *end = s + n, *q, *a, *b, *paren;

	while (p < end && *p != '[' && *p != '{')
		p++;
	for (p++; p < end; p = q + 1) {
		for (q = p; q < end && *q != ',' && *q != ']' && *q != '}'; q++)
			;
		for (a = p; a < q && (*a == ' ' || *a == '"'); a++)
			;
		for (b = q; b > a && (b[-1] == ' ' || b[-1] == '"'); b--)
			;
		if (b > a && (paren = memchr(a, '(', (size_t)(b - a))) != NULL)
			b = paren;
		while (b > a && b[-1] == ' ')
			b--;
		if (b > a)
			fn(r, a, (size_t)(b - a));
		if (q >= end || *q != ',')
			break;
	}
}

static void
add_suite(struct rd *r, const char *s, size_t n)
{
	struct debuglog_hs *h = &r->dl->last;

	if (h->nsuites < DEBUGLOG_SUITES_MAX)
		copy(h->suites[h->nsuites++], DEBUGLOG_NAME_MAX, s, n);
}

static void
add_group(struct rd *r, const char *s, size_t n)
{
	struct debuglog_hs *h = &r->dl->last;

	if (h->ngroups < DEBUGLOG_GROUPS_MAX)
		copy(h->groups[h->ngroups++], sizeof(h->groups[0]), s, n);
}

static void
add_version(struct rd *r, const char *s, size_t n)
{
	struct debuglog_hs *h = &r->dl->last;
	uint16_t v = version_word(s, n);

	if (v == 0)
		return;
	if (r->ext == EXT_SELECTED) {
		h->server_version = v;
		return;
	}
	if (!h->versions_listed) {
		h->nversions = 0;
		h->versions_listed = 1;
	}
	if (h->nversions < 5)
		h->versions[h->nversions++] = v;
}

/* The value of an SSLLogger field line "\"key\" : \"value\"". */
static int
quoted_field(const char *s, size_t n, const char *key, const char **v,
    size_t *vn)
{
	size_t k = strlen(key);
	const char *p, *q, *end = s + n;

	if (n < k + 2 || s[0] != '"' || memcmp(s + 1, key, k) != 0 ||
	    s[k + 1] != '"')
		return 0;
	for (p = s + k + 2; p < end && (*p == ' ' || *p == ':'); p++)
		;
	if (p < end && *p == '"')
		p++;
	for (q = end; q > p && (q[-1] == ',' || q[-1] == ' '); q--)
		;
	if (q > p && q[-1] == '"')
		q--;
	*v = p;
	*vn = (size_t)(q - p);
	return 1;
}

static void
new_hello(struct rd *r, enum debuglog_format f)
{
	memset(&r->dl->last, 0, sizeof(r->dl->last));
	r->dl->format = f;
	r->dl->nhandshakes++;
	r->ctx = CTX_CLIENT;
	r->ext = EXT_NONE;
	r->issuer[0] = '\0';
}

static void
set_alert(struct rd *r, const char *s, size_t n, int received)
{
	struct debuglog_hs *h = &r->dl->last;
	size_t k;

	for (k = 0; k < n && (isalnum((unsigned char)s[k]) || s[k] == '_');
	    k++)
		;
	if (k == 0 || r->dl->nhandshakes == 0)
		return;
	copy(h->alert, sizeof(h->alert), s, k);
	for (k = 0; h->alert[k] != '\0'; k++)
		h->alert[k] = (char)tolower((unsigned char)h->alert[k]);
	h->alert_received = received;
}

/*
 * A certificate's subject or issuer.  The legacy format prints the
 * subject first, the SSLLogger the issuer first: an issuer waits in
 * r->issuer for the subject that follows it.
 */
static void
cert_line(struct rd *r, const char *key, const char *v, size_t vn)
{
	struct debuglog_hs *h = &r->dl->last;
	size_t k;

	if (strcmp(key, "subject") == 0) {
		if (h->nchain == DEBUGLOG_CHAIN_MAX)
			return;
		k = h->nchain++;
		copy(h->subject[k], sizeof(h->subject[0]), v, vn);
		memcpy(h->issuer[k], r->issuer, sizeof(h->issuer[k]));
		r->issuer[0] = '\0';
	} else if (r->dl->format == DEBUGLOG_SSLLOGGER)
		copy(r->issuer, sizeof(r->issuer), v, vn);
	else if (h->nchain > 0 && h->issuer[h->nchain - 1][0] == '\0')
		copy(h->issuer[h->nchain - 1], sizeof(h->issuer[0]), v, vn);
}

/* Alerts, in the exception text or the legacy RECV/SEND lines. */
static void
alert_line(struct rd *r, const char *s, size_t n)
{
	const char *p;

	if ((p = find(s, n, "Received fatal alert: ")) != NULL)
		set_alert(r, p + 22, n - (size_t)(p + 22 - s), 1);
	else if ((p = find(s, n, "RECV ")) != NULL &&
	    (p = find(s, n, "ALERT:  fatal, ")) != NULL)
		set_alert(r, p + 15, n - (size_t)(p + 15 - s), 1);
	else if (find(s, n, "SEND ") != NULL &&
	    (p = find(s, n, "ALERT:  fatal, description = ")) != NULL)
		set_alert(r, p + 29, n - (size_t)(p + 29 - s), 0);
	else if ((p = find(s, n, "|Fatal (")) != NULL)
		set_alert(r, p + 8, n - (size_t)(p + 8 - s), 0);
}

static void
legacy_line(struct rd *r, const char *s, size_t n)
{
	struct debuglog_hs *h = &r->dl->last;
	const char *p;

	if (starts(s, n, "*** ClientHello, ")) {
		new_hello(r, DEBUGLOG_LEGACY);
		h->versions[0] = version_word(s + 17, n - 17);
		h->nversions = h->versions[0] != 0;
	} else if (starts(s, n, "*** ServerHello, ")) {
		r->ctx = CTX_SERVER;
		h->server_version = version_word(s + 17, n - 17);
	} else if (starts(s, n, "*** Certificate chain"))
		r->ctx = CTX_CERT;
	else if (starts(s, n, "***"))
		r->ctx = r->ctx == CTX_CERT ? CTX_NONE : r->ctx;
	else if (r->ctx == CTX_CLIENT && starts(s, n, "Cipher Suites: "))
		each_item(s, n, add_suite, r);
	else if (r->ctx == CTX_CLIENT && starts(s, n,
	    "Extension elliptic_curves"))
		each_item(s, n, add_group, r);
	else if (r->ctx == CTX_CLIENT && starts(s, n,
	    "Extension server_name") && (p = find(s, n, "value=")) != NULL)
		copy(h->sni, sizeof(h->sni), p + 6, (size_t)(s + n - p - 6) -
		    (s[n - 1] == ']'));
	else if (r->ctx == CTX_SERVER && starts(s, n, "Cipher Suite: "))
		copy(h->server_suite, sizeof(h->server_suite), s + 14, n - 14);
	else if (r->ctx == CTX_CERT && starts(s, n, "Subject: "))
		cert_line(r, "subject", s + 9, n - 9);
	else if (r->ctx == CTX_CERT && starts(s, n, "Issuer: "))
		cert_line(r, "issuer", s + 8, n - 8);
}

static void
logger_line(struct rd *r, const char *s, size_t n)
{
	struct debuglog_hs *h = &r->dl->last;
	const char *v, *p;
	size_t vn;

	if (starts(s, n, "\"ClientHello\": {")) {
		new_hello(r, DEBUGLOG_SSLLOGGER);
		return;
	}
	if (r->dl->nhandshakes == 0)
		return;
	if (starts(s, n, "\"ServerHello\": {")) {
		r->ctx = CTX_SERVER;
		r->ext = EXT_NONE;
	} else if (starts(s, n, "\"Certificates\": [") ||
	    starts(s, n, "\"Certificate\": {"))
		r->ctx = CTX_CERT;
	else if (starts(s, n, "\"supported_versions (43)\""))
		r->ext = r->ctx == CTX_SERVER ? EXT_SELECTED : EXT_VERSIONS;
	else if (starts(s, n, "\"supported_groups (10)\""))
		r->ext = EXT_GROUPS;
	else if (starts(s, n, "\"server_name (0)\""))
		r->ext = EXT_SNI;
	else if (starts(s, n, "\"") && find(s, n, " (") != NULL &&
	    s[n - 1] == '{')
		r->ext = EXT_NONE;	/* another extension */
	else if (r->ctx == CTX_CLIENT && quoted_field(s, n, "client version",
	    &v, &vn)) {
		if (!h->versions_listed && (h->versions[0] =
		    version_word(v, vn)) != 0)
			h->nversions = 1;
	} else if (r->ctx == CTX_CLIENT && quoted_field(s, n, "cipher suites",
	    &v, &vn))
		each_item(v, vn, add_suite, r);
	else if (r->ctx == CTX_CLIENT && r->ext == EXT_VERSIONS &&
	    starts(s, n, "\"versions\""))
		each_item(s, n, add_version, r);
	else if (r->ctx == CTX_CLIENT && r->ext == EXT_GROUPS &&
	    starts(s, n, "\"versions\""))
		each_item(s, n, add_group, r);
	else if (r->ctx == CTX_CLIENT && r->ext == EXT_SNI &&
	    (p = find(s, n, "value=")) != NULL)
		copy(h->sni, sizeof(h->sni), p + 6, (size_t)(s + n - p - 6));
	else if (r->ctx == CTX_SERVER && quoted_field(s, n, "server version",
	    &v, &vn)) {
		if (h->server_version == 0)
			h->server_version = version_word(v, vn);
	} else if (r->ctx == CTX_SERVER && r->ext == EXT_SELECTED &&
	    starts(s, n, "\"selected version\""))
		each_item(s, n, add_version, r);
	else if (r->ctx == CTX_SERVER && quoted_field(s, n, "cipher suite",
	    &v, &vn)) {
		if ((p = memchr(v, '(', vn)) != NULL)
			vn = (size_t)(p - v);
		copy(h->server_suite, sizeof(h->server_suite), v, vn);
	} else if (r->ctx == CTX_CERT && (quoted_field(s, n, "subject", &v,
	    &vn)))
		cert_line(r, "subject", v, vn);
	else if (r->ctx == CTX_CERT && (quoted_field(s, n, "issuer", &v,
	    &vn)))
		cert_line(r, "issuer", v, vn);
}

int
debuglog_parse(const char *text, size_t len, struct debuglog *dl)
{
	struct rd r = { .dl = dl };
	const char *s = text, *end = text + len, *nl;
	size_t n;

	memset(dl, 0, sizeof(*dl));
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = (size_t)((nl ? nl : end) - s);
		if (n > LINE_MAX_USED)
			n = LINE_MAX_USED;
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		alert_line(&r, s, n);
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n > 0) {
			legacy_line(&r, s, n);
			logger_line(&r, s, n);
		}
		s = nl ? nl + 1 : end;
	}
	if (dl->nhandshakes == 0) {
		dl->format = DEBUGLOG_NONE;
		return 0;
	}
	return 1;
}

static int
group_known(const char *g)
{
	size_t i;

	for (i = 0; i < sizeof(known_groups) / sizeof(known_groups[0]); i++)
		if (strcmp(known_groups[i], g) == 0)
			return 1;
	return 0;
}

/* Appends to buf; 0, or -1 when it does not fit. */
static int
put(char *buf, size_t cap, size_t *o, const char *s)
{
	size_t n = strlen(s);

	if (*o + n + 1 > cap)
		return -1;
	memcpy(buf + *o, s, n + 1);
	*o += n;
	return 0;
}

enum sw_err
debuglog_profile(const struct debuglog *dl, const struct suites *reg,
    const char *label, char *buf, size_t cap, size_t *len,
    struct sw_error *err)
{
	const struct debuglog_hs *h = &dl->last;
	const int legacy = dl->format == DEBUGLOG_LEGACY;
	char line[700];
	size_t o = 0, i, nsuites = 0, ngroups = 0;
	int bad = 0;

	*len = 0;
	if (dl->nhandshakes == 0 || h->nversions == 0)
		return sw_fail(err, SW_EUSAGE, "no ClientHello in the debug "
		    "log");
	snprintf(line, sizeof(line), "# Generated by smtpwiz from a Java "
	    "TLS debug log (%s):\n# what that Java offered in its last "
	    "ClientHello.\nprofile.name=debug-log\nprofile.title=The Java "
	    "of %.100s (%s debug log)\nprofile.jsse=%s\n"
	    "profile.wildcards=true\nprofile.securityFile=%s\n"
	    "profile.protocols.known=SSLv3 TLSv1 TLSv1.1 TLSv1.2%s\n"
	    "profile.protocols.client=", label, label,
	    legacy ? "JDK 8" : "JDK 8u261+/11+", legacy ? "legacy" : "tls13",
	    legacy ? "jre/lib/security/java.security" :
	    "conf/security/java.security", legacy ? "" : " TLSv1.3");
	bad |= put(buf, cap, &o, line);
	for (i = 0; i < h->nversions; i++) {
		bad |= put(buf, cap, &o, i ? " " : "");
		bad |= put(buf, cap, &o, suite_version_name(h->versions[i]));
	}
	bad |= put(buf, cap, &o, "\nprofile.suites.default=");
	for (i = 0; i < h->nsuites; i++) {
		if (strstr(h->suites[i], "SCSV") != NULL ||
		    suites_by_java(reg, h->suites[i]) == NULL)
			continue;
		bad |= put(buf, cap, &o, nsuites++ ? ", \\\n    " : "\\\n    ");
		bad |= put(buf, cap, &o, h->suites[i]);
	}
	bad |= put(buf, cap, &o, "\nprofile.suites.supported=\n"
	    "profile.groups=");
	for (i = 0; i < h->ngroups; i++)
		if (group_known(h->groups[i])) {
			bad |= put(buf, cap, &o, ngroups++ ? ", " : "");
			bad |= put(buf, cap, &o, h->groups[i]);
		}
	if (ngroups == 0)
		bad |= put(buf, cap, &o, "secp256r1, secp384r1, secp521r1");
	/* The offer is already what survived jdk.tls.disabledAlgorithms;
	 * the certificate rules are not in the log: current defaults. */
	bad |= put(buf, cap, &o, "\n\njdk.tls.disabledAlgorithms=\n"
	    "jdk.certpath.disabledAlgorithms=MD2, MD5, SHA1 jdkCA & usage "
	    "TLSServer, \\\n    RSA keySize < 1024, DSA keySize < 1024, "
	    "EC keySize < 224\njdk.tls.legacyAlgorithms=\n");
	if (bad)
		return sw_fail(err, SW_ENOMEM, "the profile is larger than "
		    "%zu bytes", cap);
	if (nsuites == 0)
		return sw_fail(err, SW_EUSAGE, "none of the %zu cipher suites "
		    "in the debug log's ClientHello is known", h->nsuites);
	*len = o;
	return SW_OK;
}
