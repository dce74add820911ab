/*
 * Negotiation, reasons and advice: javaprof_negotiate() and
 * javaprof_recommend() on top of the offer javaprof.c builds.  Given
 * what the prober found on the server, it says what Java would
 * negotiate, or exactly why nothing (with the exception text Java
 * throws), and the one mail.smtp.* setting -- or, last, the
 * java.security edit -- that makes it work.  Pure, like javaprof.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "javaprof_int.h"

const char *
javaprof_verdict_name(enum javaprof_verdict v)
{
	static const char *const w[] = { "ok", "bad-setting", "no-protocol",
		"no-version", "no-suite", "unknown" };

	return (unsigned)v < NELEM(w) ? w[v] : "?";
}

const char *
javaprof_why_name(enum javaprof_why why)
{
	static const char *const w[] = { "disabled", "not-implemented",
		"not-enabled", "no-suite" };

	return (unsigned)why < NELEM(w) ? w[why] : "?";
}

/* Appends printf output to buf (cap bytes), truncating quietly. */
static void __attribute__((format(printf, 3, 4)))
cat(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

static const char *
sname(const struct javaprof *p, uint16_t id)
{
	const struct suite *s = suites_by_id(p->reg, id);

	return s ? s->iana : "unknown suite";
}

/* Records why version v (suite 0) or suite at v is out. */
static void
add_reason(const struct javaprof *p, const struct javaprof_client *c,
    struct javaprof_result *r, uint16_t v, uint16_t suite)
{
	struct javaprof_reason *x;
	const struct javasec_entry *e = NULL;
	const struct suite *s = suites_by_id(p->reg, suite);
	struct javaprof_offer scratch;
	uint16_t ids[JAVAPROF_SUITES_MAX];
	size_t n;

	if (r->nreasons == JAVAPROF_REASONS_MAX)
		return;
	x = memset(&r->reasons[r->nreasons++], 0, sizeof(*x));
	x->version = v;
	x->suite = suite;
	memset(&scratch, 0, sizeof(scratch));
	if (suite == 0 ? !javaprof_version_known(p, v) :
	    s == NULL || !javaprof_suite_known(p, suite) || !java_usable(s, v))
		x->why = JAVAPROF_WHY_UNKNOWN;
	else if (suite == 0 ? javasec_match_name(&p->tls,
	    suite_version_name(v), &e, 1) : javasec_match_suite(&p->tls, s,
	    mode(p), &e, 1)) {
		x->why = JAVAPROF_WHY_DISABLED;
		snprintf(x->token, sizeof(x->token), "%s", e->text);
		snprintf(x->property, sizeof(x->property), "%s", JAVASEC_TLS);
	} else if (suite == 0)
		x->why = javaprof_enabled_versions(p, c, &scratch) & VBIT(v) ?
		    JAVAPROF_WHY_NO_SUITE : JAVAPROF_WHY_NOT_ENABLED;
	else {
		n = javaprof_enabled_suites(p, c, &scratch, ids);
		x->why = in_ids(ids, n, suite) ? JAVAPROF_WHY_NO_SUITE :
		    JAVAPROF_WHY_NOT_ENABLED;
	}
}

/* Why one reason holds, in words: "disabled by \"TLSv1\" in ...". */
static void
why_text(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_reason *x, char *buf, size_t cap)
{
	int set = c != NULL && (x->suite ? c->ciphersuites : c->protocols);

	switch (x->why) {
	case JAVAPROF_WHY_DISABLED:
		cat(buf, cap, "disabled by \"%s\" in %s (%s", x->token,
		    x->property, p->source);
		if (p->tls_line != 0)
			cat(buf, cap, ", line %u", p->tls_line);
		cat(buf, cap, ")");
		break;
	case JAVAPROF_WHY_UNKNOWN:
		cat(buf, cap, "not implemented by Java %s", p->name);
		break;
	case JAVAPROF_WHY_NOT_ENABLED:
		cat(buf, cap, set ? "not in mail.smtp.ssl.%s" : "not enabled by "
		    "default (mail.smtp.ssl.%s can enable it)",
		    x->suite ? "ciphersuites" : "protocols");
		break;
	default:
		cat(buf, cap, "no enabled cipher suite works with it");
	}
}

/* The reasons, those with the same cause grouped: "A, B: disabled by
 * \"TLS_RSA_*\" in ...; C: not implemented by Java 17." */
static void
reasons_text(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_result *r, char *buf, size_t cap)
{
	const struct javaprof_reason *x, *y;
	size_t i, j;

	for (i = 0; i < r->nreasons; i = j) {
		x = &r->reasons[i];
		cat(buf, cap, i ? "; " : " ");
		for (j = i; j < r->nreasons; j++) {
			y = &r->reasons[j];
			if (y->why != x->why || strcmp(y->token, x->token))
				break;
			cat(buf, cap, "%s%s", j > i ? ", " : "", y->suite ?
			    sname(p, y->suite) : suite_version_name(y->version));
		}
		cat(buf, cap, ": ");
		why_text(p, c, x, buf, cap);
	}
	cat(buf, cap, ".");
}

static void
versions_text(const uint16_t *v, size_t n, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; i < n; i++)
		cat(buf, cap, "%s%s", i ? ", " : "", suite_version_name(v[i]));
	if (n == 0)
		cat(buf, cap, "none");
}

static const struct javaprof_server_version *
server_at(const struct javaprof_server *s, uint16_t v)
{
	size_t i;

	for (i = 0; i < s->nv; i++)
		if (s->v[i].version == v)
			return &s->v[i];
	return NULL;
}

/* ProtocolVersion's enum names, which its exception texts print. */
static const char *
jdk_enum(uint16_t v)
{
	static const char *const w[] = { "SSL30", "TLS10", "TLS11", "TLS12",
		"TLS13" };

	return vok(v) ? w[v - SUITE_SSL3] : "NONE";
}

static void
no_protocol(const struct javaprof *p, const struct javaprof_client *c,
    struct javaprof_result *r)
{
	struct javaprof_offer scratch;
	unsigned set;
	uint16_t v;

	r->verdict = JAVAPROF_NO_PROTOCOL;
	snprintf(r->java_error, sizeof(r->java_error), "javax.net.ssl."
	    "SSLHandshakeException: No appropriate protocol (protocol is "
	    "disabled or cipher suites are inappropriate)");
	memset(&scratch, 0, sizeof(scratch));
	set = javaprof_enabled_versions(p, c, &scratch);
	for (v = SUITE_TLS13; v >= SUITE_SSL3; v--)
		if (set & VBIT(v))
			add_reason(p, c, r, v, 0);
	snprintf(r->message, sizeof(r->message), "Java %s has no protocol "
	    "it can use, so it fails before the server answers:", p->name);
	reasons_text(p, c, r, r->message, sizeof(r->message));
}

/* The exception Java throws when no version is in common: sv holds
 * the n versions the server accepts, highest first. */
static void
version_error(const struct javaprof *p, const uint16_t *sv, size_t n,
    struct javaprof_result *r)
{
	char *je = r->java_error;
	size_t i;

	if (n > 0 && sv[0] > r->offer.versions[0])
		snprintf(je, sizeof(r->java_error), "javax.net.ssl."
		    "SSLHandshakeException: Received fatal alert: "
		    "protocol_version");
	else if (n > 0 && p->legacy)
		snprintf(je, sizeof(r->java_error), "javax.net.ssl."
		    "SSLHandshakeException: Server chose %s, but that protocol "
		    "version is not enabled or not supported by the client.",
		    suite_version_name(sv[0]));
	else if (n > 0) {
		/* A server that reads supported_versions (OpenSSL 1.1.1+)
		 * answers with an alert; an older one picks its version. */
		snprintf(je, sizeof(r->java_error), "javax.net.ssl."
		    "SSLHandshakeException: Received fatal alert: "
		    "protocol_version (from servers that ignore "
		    "supported_versions: The server selected protocol version "
		    "%s is not accepted by client preferences [", jdk_enum(sv[0]));
		for (i = 0; i < r->offer.nversions; i++)
			cat(je, sizeof(r->java_error), "%s%s", i ? ", " : "",
			    jdk_enum(r->offer.versions[i]));
		cat(je, sizeof(r->java_error), "])");
	}
}

static void
no_version(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_server *s, struct javaprof_result *r)
{
	uint16_t sv[5], v;
	size_t n = 0;

	r->verdict = JAVAPROF_NO_VERSION;
	for (v = SUITE_TLS13; v >= SUITE_SSL3; v--)
		if (server_at(s, v) != NULL) {
			sv[n++] = v;
			add_reason(p, c, r, v, 0);
		}
	version_error(p, sv, n, r);
	snprintf(r->message, sizeof(r->message), "No TLS version in common. "
	    "The server accepts ");
	versions_text(sv, n, r->message, sizeof(r->message));
	cat(r->message, sizeof(r->message), "; Java %s offers ", p->name);
	versions_text(r->offer.versions, r->offer.nversions, r->message,
	    sizeof(r->message));
	cat(r->message, sizeof(r->message), ".");
	reasons_text(p, c, r, r->message, sizeof(r->message));
}

/* The suite the server picks at its version sv, or 0. */
static uint16_t
pick(const struct javaprof *p, const struct javaprof_offer *o,
    const struct javaprof_server_version *sv)
{
	const struct suite *s;
	size_t i;

	if (sv->server_order == 1) {
		for (i = 0; i < sv->nsuites; i++)
			if (in_ids(o->suites, o->nsuites, sv->suites[i]) &&
			    (s = suites_by_id(p->reg, sv->suites[i])) &&
			    java_usable(s, sv->version))
				return sv->suites[i];
		return 0;
	}
	for (i = 0; i < o->nsuites; i++)
		if (in_ids(sv->suites, sv->nsuites, o->suites[i]) &&
		    (s = suites_by_id(p->reg, o->suites[i])) &&
		    java_usable(s, sv->version))
			return o->suites[i];
	return 0;
}

static void
bad_setting(const struct javaprof *p, struct javaprof_result *r)
{
	const char *w = r->offer.bad_setting;

	r->verdict = JAVAPROF_BAD_SETTING;
	if (r->offer.bad_suite)
		snprintf(r->java_error, sizeof(r->java_error), p->legacy ?
		    "java.lang.IllegalArgumentException: Unsupported "
		    "ciphersuite %s" : "java.lang.IllegalArgumentException: "
		    "Unsupported CipherSuite: %s", w);
	else
		snprintf(r->java_error, sizeof(r->java_error), p->legacy ?
		    "java.lang.IllegalArgumentException: %s" :
		    "java.lang.IllegalArgumentException: Unsupported "
		    "protocol%s", w);
	snprintf(r->message, sizeof(r->message), "mail.smtp.ssl.%s names "
	    "\"%s\", which Java %s does not know, so it stops before "
	    "connecting.%s", r->offer.bad_suite ? "ciphersuites" : "protocols",
	    w, p->name, strpbrk(w, ",;:") ? " Separate values with spaces, "
	    "not commas." : "");
}

static void
no_suite(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_server_version *sv, struct javaprof_result *r)
{
	size_t i;

	r->verdict = JAVAPROF_NO_SUITE;
	r->version = sv->version;
	for (i = 0; i < sv->nsuites; i++)
		add_reason(p, c, r, sv->version, sv->suites[i]);
	snprintf(r->java_error, sizeof(r->java_error), "javax.net.ssl."
	    "SSLHandshakeException: Received fatal alert: handshake_failure");
	snprintf(r->message, sizeof(r->message), "No cipher suite in common "
	    "at %s, the version the server picks. The server accepts %zu "
	    "there:", suite_version_name(sv->version), sv->nsuites);
	reasons_text(p, c, r, r->message, sizeof(r->message));
}

enum sw_err
javaprof_negotiate(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_server *s, struct javaprof_result *r,
    struct sw_error *err)
{
	const struct javaprof_server_version *sv = NULL;
	size_t i;

	if (p == NULL || s == NULL || r == NULL)
		return sw_fail(err, SW_EUSAGE, "javaprof_negotiate: NULL");
	memset(r, 0, sizeof(*r));
	javaprof_offer(p, c, &r->offer, err);
	if (r->offer.bad_setting[0] != '\0') {
		bad_setting(p, r);
		return SW_OK;
	}
	if (r->offer.nversions == 0) {
		no_protocol(p, c, r);
		return SW_OK;
	}
	for (i = 0; i < r->offer.nversions && sv == NULL; i++)
		sv = server_at(s, r->offer.versions[i]);
	if (sv == NULL)
		no_version(p, c, s, r);
	else if (sv->nsuites == 0) {
		r->verdict = JAVAPROF_UNKNOWN;
		r->version = sv->version;
		snprintf(r->message, sizeof(r->message), "Java %s would use %s; "
		    "the server's cipher suites there are not known.", p->name,
		    suite_version_name(sv->version));
	} else if ((r->suite = pick(p, &r->offer, sv)) == 0)
		no_suite(p, c, sv, r);
	else {
		r->version = sv->version;
		snprintf(r->message, sizeof(r->message), "Java %s negotiates "
		    "%s with %s (%s).", p->name, suite_version_name(r->version),
		    sname(p, r->suite), sv->server_order == 1 ? "the server's "
		    "preference" : "the first of Java's list the server takes");
	}
	return SW_OK;
}

/* Java names of the suites at sv that p implements and does not
 * disable, space-separated: a mail.smtp.ssl.ciphersuites value. */
static void
usable_names(const struct javaprof *p,
    const struct javaprof_server_version *sv, char *out, size_t cap)
{
	const struct suite *s;
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sv->nsuites; i++)
		if ((s = suite_ok(p, sv->suites[i])) != NULL &&
		    javaprof_suite_known(p, s->id) &&
		    java_usable(s, sv->version))
			cat(out, cap, "%s%s", out[0] ? " " : "", s->java);
}

/* Negotiates with protocols = v and ciphersuites = cs; 1 when Java then
 * uses v (suites unknown counts: the version is what step 3 needs). */
static int
works(const struct javaprof *p, uint16_t v, const char *cs,
    const struct javaprof_server *s, struct javaprof_result *r)
{
	struct javaprof_client t = { suite_version_name(v), cs, 0 };

	javaprof_negotiate(p, &t, s, r, NULL);
	return (r->verdict == JAVAPROF_OK || r->verdict == JAVAPROF_UNKNOWN) &&
	    r->version == v;
}

/* Settings only: protocols = v, ciphersuites kept, dropped or set. */
static int
try_settings(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_server *s, uint16_t v, struct javaprof_advice *a,
    struct javaprof_result *r)
{
	const char *cur = c != NULL ? c->ciphersuites : NULL;
	const struct javaprof_server_version *sv = server_at(s, v);

	if (works(p, v, cur, s, r))
		;
	else if (cur != NULL && works(p, v, NULL, s, r))
		a->remove_ciphersuites = 1;
	else {
		usable_names(p, sv, a->ciphersuites, sizeof(a->ciphersuites));
		if (a->ciphersuites[0] == '\0' ||
		    !works(p, v, a->ciphersuites, s, r)) {
			a->ciphersuites[0] = '\0';
			return 0;
		}
	}
	return 1;
}

/* Marks in drop[] the tls entries that disable version v or suite s
 * and returns how many are marked. */
static size_t
mark(const struct javaprof *p, uint16_t v, const struct suite *s,
    unsigned char *drop)
{
	const struct javasec_entry *hits[16];
	size_t i, n, k = 0;

	memset(drop, 0, p->tls.n);
	n = javasec_match_name(&p->tls, suite_version_name(v), hits, 16);
	for (i = 0; i < n && i < 16; i++)
		drop[hits[i] - p->tls.v] = 1;
	n = javasec_match_suite(&p->tls, s, mode(p), hits, 16);
	for (i = 0; i < n && i < 16; i++)
		drop[hits[i] - p->tls.v] = 1;
	for (i = 0; i < p->tls.n; i++)
		k += drop[i];
	return k;
}

/* The suite at v needing the fewest entries removed (then the best
 * grade, then the server's order); its mask in drop.  NULL: none. */
static const struct suite *
cheapest(const struct javaprof *p, const struct javaprof_server_version *sv,
    unsigned char *drop, unsigned char *tmp)
{
	const struct suite *s, *best = NULL;
	size_t i, cost, bcost = 0;

	for (i = 0; i < sv->nsuites; i++) {
		s = suites_by_id(p->reg, sv->suites[i]);
		if (s == NULL || !javaprof_suite_known(p, s->id) ||
		    !java_usable(s, sv->version))
			continue;
		cost = mark(p, sv->version, s, tmp);
		if (best == NULL || cost < bcost || (cost == bcost &&
		    s->grade < best->grade)) {
			best = s;
			bcost = cost;
			memcpy(drop, tmp, p->tls.n);
		}
	}
	return best;
}

/* Negotiates with the tls entries marked in drop removed (and su
 * enabled when it is not a default); 1 when Java then uses v.  Fills
 * a's security_value and security_removed. */
static int
try_without(const struct javaprof *p, const struct javaprof_server *s,
    uint16_t v, const struct suite *su, const unsigned char *drop,
    struct javaprof_advice *a, struct javaprof_result *r)
{
	struct javaprof q;
	size_t i;
	int ok = 0;

	q = *p;
	javasec_list_value(&p->tls, drop, a->security_value,
	    sizeof(a->security_value));
	if (javasec_list_parse(a->security_value, JAVASEC_TLS, p->sec,
	    &q.tls, NULL) == SW_OK) {
		if (!javaprof_suite_default(p, su->id))
			snprintf(a->ciphersuites, sizeof(a->ciphersuites),
			    "%s", su->java);
		ok = works(&q, v, a->ciphersuites[0] ? a->ciphersuites : NULL,
		    s, r);
		javasec_list_free(&q.tls);
	}
	for (i = 0; ok && i < p->tls.n; i++)
		if (drop[i])
			cat(a->security_removed, sizeof(a->security_removed),
			    "%s%s", a->security_removed[0] ? ", " : "",
			    p->tls.v[i].text);
	return ok;
}

/* A java.security edit that reaches v; fills a's security_* fields. */
static int
try_edit(const struct javaprof *p, const struct javaprof_server *s,
    uint16_t v, struct javaprof_advice *a, struct javaprof_result *r)
{
	const struct javaprof_server_version *sv = server_at(s, v);
	unsigned char *drop, *tmp;
	const struct suite *su;
	int ok = 0;

	if (!javaprof_version_known(p, v) || sv == NULL || p->tls.n == 0 ||
	    (drop = calloc(2, p->tls.n)) == NULL)
		return 0;
	tmp = drop + p->tls.n;
	if ((su = cheapest(p, sv, drop, tmp)) != NULL)
		ok = try_without(p, s, v, su, drop, a, r);
	free(drop);
	if (ok)
		snprintf(a->security_key, sizeof(a->security_key), "%s",
		    JAVASEC_TLS);
	else
		a->ciphersuites[0] = a->security_value[0] = '\0';
	return ok;
}

static void
advice_text(const struct javaprof *p, struct javaprof_advice *a)
{
	char *m = a->message;
	size_t cap = sizeof(a->message);

	if (a->security_key[0] != '\0')
		cat(m, cap, "No mail.smtp.* setting is enough: Java %s disables "
		    "what the server needs. Editing java.security makes it "
		    "work but LOWERS SECURITY for every TLS connection of "
		    "this Java: in $JAVA_HOME/%s set\n  %s=%s\n(removes %s), "
		    "or put that line in a file and start Java with "
		    "-Djava.security.properties=FILE (one '=': only this key "
		    "changes). Better: have the server %s.\n", p->name,
		    p->secfile, a->security_key, a->security_value,
		    a->security_removed, a->insecure ? "enable TLS 1.2 or 1.3" :
		    "offer a suite Java accepts, e.g. "
		    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	cat(m, cap, "Set mail.smtp.ssl.protocols=%s", a->protocols);
	if (a->ciphersuites[0] != '\0')
		cat(m, cap, " and mail.smtp.ssl.ciphersuites=%s",
		    a->ciphersuites);
	if (a->remove_ciphersuites)
		cat(m, cap, " and remove mail.smtp.ssl.ciphersuites");
	if (a->suite != 0)
		cat(m, cap, ": Java %s then negotiates %s with %s.", p->name,
		    a->protocols, sname(p, a->suite));
	else
		cat(m, cap, " (the server's cipher suites were not checked).");
	if (a->insecure && a->security_key[0] == '\0')
		cat(m, cap, " %s is not secure (RFC 8996): have the server "
		    "enable TLS 1.2 or 1.3.", a->protocols);
}

/* Nothing helps: say what the server has and Java lacks. */
static void
no_advice(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_server *s, struct javaprof_advice *a,
    struct javaprof_result *r)
{
	javaprof_negotiate(p, c, s, r, NULL);
	snprintf(a->message, sizeof(a->message), "Nothing on the Java side "
	    "makes Java %s work with this server; the server or the Java "
	    "runtime must change. %s", p->name, r->message);
	if (server_at(s, SUITE_TLS13) != NULL &&
	    !javaprof_version_known(p, SUITE_TLS13))
		cat(a->message, sizeof(a->message), " Java %s does not "
		    "implement TLS 1.3 (8u261 and later do): upgrade Java or "
		    "enable TLS 1.2 on the server.", p->name);
}

enum sw_err
javaprof_recommend(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_server *s, struct javaprof_advice *a,
    struct sw_error *err)
{
	static const uint16_t order[] = { SUITE_TLS13, SUITE_TLS12,
		SUITE_TLS11, SUITE_TLS10, SUITE_SSL3 };
	struct javaprof_result *r;
	size_t i, pass;
	int ok = 0;

	if (p == NULL || s == NULL || a == NULL)
		return sw_fail(err, SW_EUSAGE, "javaprof_recommend: NULL");
	memset(a, 0, sizeof(*a));
	if ((r = malloc(sizeof(*r))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (pass = 0; pass < 2 && !ok; pass++)
		for (i = 0; i < NELEM(order) && !ok; i++)
			if (server_at(s, order[i]) != NULL)
				ok = pass == 0 ? try_settings(p, c, s,
				    order[i], a, r) : try_edit(p, s, order[i],
				    a, r);
	if (ok) {
		a->works = 1;
		a->version = r->version;
		a->suite = r->suite;
		a->insecure = r->version < SUITE_TLS12;
		snprintf(a->protocols, sizeof(a->protocols), "%s",
		    suite_version_name(r->version));
		advice_text(p, a);
	} else
		no_advice(p, c, s, a, r);
	free(r);
	return SW_OK;
}
