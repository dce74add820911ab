/*
 * Java client profiles (assets/java/NAME.profile), the ClientHello a
 * profile sends, the negotiation against a probed server, and the
 * advice.  javaprof.h describes the model; javasec.c does the
 * java.security matching.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assets.h"
#include "javaprof.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define VBIT(v)		(1u << ((v) - SUITE_SSL3))
#define WS		" \t\r\n\f"

struct javaprof {
	const struct suites	*reg;
	struct javasec		*sec;		/* the profile file */
	char			 name[16], title[128], secfile[64];
	char			 source[300];	/* of the jdk.* keys */
	unsigned		 tls_line;	/* of JAVASEC_TLS there; 0 */
	int			 legacy, wildcards;
	unsigned		 known, client;	/* VBIT() sets */
	size_t			 ndef, nsup, ngroups;
	uint16_t		 def[JAVAPROF_SUITES_MAX];
	uint16_t		 sup[JAVAPROF_SUITES_MAX];
	uint16_t		 groups[JAVAPROF_GROUPS_MAX];
	struct javasec_list	 tls, cert;
};

static const char *const names[] = { "8u202", "8u291", "11", "17", "21" };

static const struct { const char *name; uint16_t id; } group_ids[] = {
	{ "sect283k1", 9 }, { "sect283r1", 10 }, { "sect409k1", 11 },
	{ "sect409r1", 12 }, { "sect571k1", 13 }, { "sect571r1", 14 },
	{ "secp256k1", 22 }, { "secp256r1", 23 }, { "secp384r1", 24 },
	{ "secp521r1", 25 }, { "x25519", 29 }, { "x448", 30 },
	{ "ffdhe2048", 256 }, { "ffdhe3072", 257 }, { "ffdhe4096", 258 },
	{ "ffdhe6144", 259 }, { "ffdhe8192", 260 },
};

const char *const *
javaprof_names(size_t *n)
{
	*n = NELEM(names);
	return names;
}

static unsigned
mode(const struct javaprof *p)
{
	return (p->wildcards ? JAVASEC_M_WILDCARDS : 0) |
	    (p->legacy ? JAVASEC_M_LEGACY_JSSE : 0);
}

/* "TLSv1.2 TLSv1.3" -> VBIT set; -1 on an unknown word. */
static int
parse_versions(const char *s, unsigned *set)
{
	char w[16];
	size_t n;
	uint16_t v;

	for (*set = 0; *(s += strspn(s, WS)) != '\0'; s += n) {
		n = strcspn(s, WS);
		snprintf(w, sizeof(w), "%.*s", (int)n, s);
		if ((v = suite_version_parse(w)) == 0)
			return -1;
		*set |= VBIT(v);
	}
	return 0;
}

/* A comma list of suite (Java) or group names into ids; 0, or -1 with
 * the offending word in bad. */
static int
parse_ids(const struct javaprof *p, const char *s, uint16_t *out,
    size_t *n, int groups, char *bad, size_t badcap)
{
	const struct suite *su;
	size_t len, i, max = groups ? JAVAPROF_GROUPS_MAX : JAVAPROF_SUITES_MAX;

	for (*n = 0; *(s += strspn(s, WS ",")) != '\0'; s += len) {
		len = strcspn(s, ",");
		while (len > 0 && strchr(WS, s[len - 1]) != NULL)
			len--;
		snprintf(bad, badcap, "%.*s", (int)len, s);
		for (i = 0; groups && i < NELEM(group_ids) &&
		    strcmp(group_ids[i].name, bad) != 0; i++)
			;
		su = groups ? NULL : suites_by_java(p->reg, bad);
		if (*n == max || (groups ? i == NELEM(group_ids) : su == NULL))
			return -1;
		out[(*n)++] = groups ? group_ids[i].id : su->id;
	}
	bad[0] = '\0';
	return 0;
}

/* (Re)reads the two constraint lists from sec. */
static enum sw_err
load_lists(struct javaprof *p, const struct javasec *sec,
    struct sw_error *err)
{
	enum sw_err rc;

	javasec_list_free(&p->tls);
	javasec_list_free(&p->cert);
	if ((rc = javasec_list_parse(javasec_get(sec, JAVASEC_TLS),
	    JAVASEC_TLS, sec, &p->tls, err)) != SW_OK)
		return rc;
	return javasec_list_parse(javasec_get(sec, JAVASEC_CERTPATH),
	    JAVASEC_CERTPATH, sec, &p->cert, err);
}

static const char *
need(const struct javaprof *p, const char *key, const char **bad)
{
	const char *v = javasec_get(p->sec, key);

	if (v == NULL && *bad == NULL)
		*bad = key;
	return v ? v : "";
}

static enum sw_err
read_profile(struct javaprof *p, const char *file, struct sw_error *err)
{
	const char *bad = NULL;
	char word[96] = "";

	snprintf(p->name, sizeof(p->name), "%s", need(p, "profile.name", &bad));
	snprintf(p->title, sizeof(p->title), "%s",
	    need(p, "profile.title", &bad));
	snprintf(p->secfile, sizeof(p->secfile), "%s",
	    need(p, "profile.securityFile", &bad));
	p->legacy = strcmp(need(p, "profile.jsse", &bad), "legacy") == 0;
	p->wildcards = strcmp(need(p, "profile.wildcards", &bad), "true") == 0;
	if (parse_versions(need(p, "profile.protocols.known", &bad),
	    &p->known) < 0 && bad == NULL)
		bad = "profile.protocols.known";
	if (parse_versions(need(p, "profile.protocols.client", &bad),
	    &p->client) < 0 && bad == NULL)
		bad = "profile.protocols.client";
	if (bad == NULL && parse_ids(p, need(p, "profile.suites.default",
	    &bad), p->def, &p->ndef, 0, word, sizeof(word)) < 0)
		bad = "profile.suites.default";
	if (bad == NULL && parse_ids(p, need(p, "profile.suites.supported",
	    &bad), p->sup, &p->nsup, 0, word, sizeof(word)) < 0)
		bad = "profile.suites.supported";
	if (bad == NULL && parse_ids(p, need(p, "profile.groups", &bad),
	    p->groups, &p->ngroups, 1, word, sizeof(word)) < 0)
		bad = "profile.groups";
	if (bad != NULL)
		return sw_fail(err, SW_EASSET, "%s: %s %s%s%s", file,
		    word[0] ? "unknown name in" : "missing or bad", bad,
		    word[0] ? ": " : "", word);
	snprintf(p->source, sizeof(p->source), "built-in profile %s", p->name);
	return load_lists(p, p->sec, err);
}

enum sw_err
javaprof_parse(const struct suites *reg, const char *text, size_t len,
    const char *name, struct javaprof **out, struct sw_error *err)
{
	struct javaprof *p;
	enum sw_err rc;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	p->reg = reg;
	if ((rc = javasec_parse(text, len, name, &p->sec, err)) != SW_OK) {
		free(p);
		return rc == SW_EFILE ? SW_EASSET : rc;
	}
	if ((rc = read_profile(p, name, err)) != SW_OK) {
		javaprof_free(p);
		return rc;
	}
	*out = p;
	return SW_OK;
}

enum sw_err
javaprof_load(const struct suites *reg, const char *name,
    struct javaprof **out, struct sw_error *err)
{
	char file[64], *text;
	size_t i, len;
	enum sw_err rc;

	*out = NULL;
	for (i = 0; i < NELEM(names) && strcmp(names[i], name) != 0; i++)
		;
	if (i == NELEM(names))
		return sw_fail(err, SW_EUSAGE, "no Java profile \"%s\" (known: "
		    "8u202, 8u291, 11, 17, 21)", name);
	snprintf(file, sizeof(file), "java/%s.profile", name);
	if ((rc = assets_read(file, &text, &len, err)) != SW_OK)
		return rc;
	rc = javaprof_parse(reg, text, len, file, out, err);
	free(text);
	return rc;
}

void
javaprof_free(struct javaprof *p)
{
	if (p == NULL)
		return;
	javasec_list_free(&p->tls);
	javasec_list_free(&p->cert);
	javasec_free(p->sec);
	free(p);
}

enum sw_err
javaprof_apply_security(struct javaprof *p, const struct javasec *sec,
    int replace, struct sw_error *err)
{
	static const char *const keys[] = { JAVASEC_TLS, JAVASEC_CERTPATH,
		JAVASEC_LEGACY, JAVASEC_CURVES };
	const char *v;
	enum sw_err rc;
	size_t i;

	for (i = 0; i < NELEM(keys); i++) {
		v = javasec_get(sec, keys[i]);
		if ((v != NULL || replace) && (rc = javasec_set(p->sec,
		    keys[i], v ? v : "", err)) != SW_OK)
			return rc;
	}
	snprintf(p->source, sizeof(p->source), "%s", javasec_name(sec));
	p->tls_line = javasec_line(sec, JAVASEC_TLS);
	return load_lists(p, p->sec, err);
}

const char *
javaprof_name(const struct javaprof *p)
{
	return p->name;
}

const char *
javaprof_title(const struct javaprof *p)
{
	return p->title;
}

const char *
javaprof_source(const struct javaprof *p)
{
	return p->source;
}

const char *
javaprof_security_file(const struct javaprof *p)
{
	return p->secfile;
}

const char *
javaprof_property(const struct javaprof *p, const char *key)
{
	const char *v = javasec_get(p->sec, key);

	return v ? v : "";
}

int
javaprof_legacy_jsse(const struct javaprof *p)
{
	return p->legacy;
}

static int
vok(uint16_t v)
{
	return v >= SUITE_SSL3 && v <= SUITE_TLS13;
}

int
javaprof_version_known(const struct javaprof *p, uint16_t v)
{
	return vok(v) && (p->known & VBIT(v));
}

int
javaprof_version_default(const struct javaprof *p, uint16_t v)
{
	return vok(v) && (p->client & VBIT(v));
}

const char *
javaprof_version_disabled_by(const struct javaprof *p, uint16_t v)
{
	const struct javasec_entry *e;

	return javasec_match_name(&p->tls, suite_version_name(v), &e, 1) ?
	    e->text : NULL;
}

static int
in_ids(const uint16_t *ids, size_t n, uint16_t id)
{
	while (n-- > 0)
		if (ids[n] == id)
			return 1;
	return 0;
}

int
javaprof_suite_default(const struct javaprof *p, uint16_t id)
{
	return in_ids(p->def, p->ndef, id);
}

int
javaprof_suite_known(const struct javaprof *p, uint16_t id)
{
	return in_ids(p->def, p->ndef, id) || in_ids(p->sup, p->nsup, id);
}

const char *
javaprof_suite_disabled_by(const struct javaprof *p, uint16_t id)
{
	const struct suite *s = suites_by_id(p->reg, id);
	const struct javasec_entry *e;

	if (s == NULL || !javaprof_suite_known(p, id))
		return NULL;
	return javasec_match_suite(&p->tls, s, mode(p), &e, 1) ? e->text :
	    NULL;
}

int
javaprof_tls13_client(const struct javaprof *p)
{
	return javaprof_version_default(p, SUITE_TLS13) &&
	    javaprof_version_disabled_by(p, SUITE_TLS13) == NULL;
}

size_t
javaprof_default_suites(const struct javaprof *p, uint16_t *out, size_t cap)
{
	size_t i, n = 0;
	const struct suite *s;

	for (i = 0; i < p->ndef; i++) {
		s = suites_by_id(p->reg, p->def[i]);
		if (s == NULL || (s->flags & SUITE_F_SCSV))
			continue;
		if (n < cap)
			out[n] = p->def[i];
		n++;
	}
	return n;
}

size_t
javaprof_groups(const struct javaprof *p, uint16_t *out, size_t cap)
{
	size_t i;

	for (i = 0; i < p->ngroups && i < cap; i++)
		out[i] = p->groups[i];
	return p->ngroups;
}

/* The JDK's CipherSuite.supportedProtocols: the registry's range, but
 * single DES ends at TLS 1.1 (PROTOCOLS_TO_11). */
static int
java_usable(const struct suite *s, uint16_t v)
{
	if (strcmp(s->enc, "DES_CBC") == 0 && v > SUITE_TLS11)
		return 0;
	return suite_usable_at(s, v);
}

/* Active suite: not a signalling value, not disabled. */
static const struct suite *
suite_ok(const struct javaprof *p, uint16_t id)
{
	const struct suite *s = suites_by_id(p->reg, id);

	if (s == NULL || (s->flags & SUITE_F_SCSV) ||
	    javasec_match_suite(&p->tls, s, mode(p), NULL, 0) != 0)
		return NULL;
	return s;
}

/* Enabled protocols from the setting or the defaults, as a VBIT set;
 * the first word the runtime does not know goes to o->bad_setting. */
static unsigned
enabled_versions(const struct javaprof *p, const struct javaprof_client *c,
    struct javaprof_offer *o)
{
	unsigned set = 0;
	const char *s;
	char w[128];
	size_t n;
	uint16_t v;

	if (c == NULL || c->protocols == NULL)
		return c != NULL && c->old_javamail ? VBIT(SUITE_TLS10) :
		    p->client & ~VBIT(SUITE_SSL3);
	for (s = c->protocols; *(s += strspn(s, WS)) != '\0'; s += n) {
		n = strcspn(s, WS);
		snprintf(w, sizeof(w), "%.*s", (int)n, s);
		v = suite_version_parse(w);
		if (v != 0 && javaprof_version_known(p, v))
			set |= VBIT(v);
		else if (strcmp(w, "SSLv2Hello") != 0 &&
		    o->bad_setting[0] == '\0')
			snprintf(o->bad_setting, sizeof(o->bad_setting),
			    "%s", w);
	}
	return set;
}

/* Enabled suites from the setting or the defaults, into ids. */
static size_t
enabled_suites(const struct javaprof *p, const struct javaprof_client *c,
    struct javaprof_offer *o, uint16_t *ids)
{
	const struct suite *su;
	const char *s;
	char w[128];
	size_t n, k = 0;

	if (c == NULL || c->ciphersuites == NULL) {
		memcpy(ids, p->def, p->ndef * sizeof(*ids));
		return p->ndef;
	}
	for (s = c->ciphersuites; *(s += strspn(s, WS)) != '\0'; s += n) {
		n = strcspn(s, WS);
		snprintf(w, sizeof(w), "%.*s", (int)n, s);
		su = suites_by_java(p->reg, w);
		if (su != NULL && p->legacy && strcmp(su->java, w) != 0)
			su = NULL;	/* old JSSE: SSL_* names only */
		if (su != NULL && javaprof_suite_known(p, su->id)) {
			if (k < JAVAPROF_SUITES_MAX)
				ids[k++] = su->id;
		} else if (o->bad_setting[0] == '\0') {
			snprintf(o->bad_setting, sizeof(o->bad_setting),
			    "%s", w);
			o->bad_suite = 1;
		}
	}
	return k;
}

enum sw_err
javaprof_offer(const struct javaprof *p, const struct javaprof_client *c,
    struct javaprof_offer *o, struct sw_error *err)
{
	uint16_t ids[JAVAPROF_SUITES_MAX], v;
	unsigned vset, active = 0;
	const struct suite *s;
	size_t i, n;

	if (p == NULL || o == NULL)
		return sw_fail(err, SW_EUSAGE, "javaprof_offer: NULL");
	memset(o, 0, sizeof(*o));
	vset = enabled_versions(p, c, o);
	n = enabled_suites(p, c, o, ids);
	if (o->bad_setting[0] != '\0')
		return SW_OK;
	for (v = SUITE_TLS13; v >= SUITE_SSL3; v--) {
		if (!(vset & VBIT(v)) || javaprof_version_disabled_by(p, v))
			continue;
		for (i = 0; i < n; i++)
			if ((s = suite_ok(p, ids[i])) && java_usable(s, v))
				break;
		if (i < n) {
			active |= VBIT(v);
			o->versions[o->nversions++] = v;
		}
	}
	for (i = 0; i < n; i++) {
		if ((s = suite_ok(p, ids[i])) == NULL)
			continue;
		for (v = SUITE_SSL3; v <= SUITE_TLS13; v++)
			if ((active & VBIT(v)) && java_usable(s, v))
				break;
		if (v <= SUITE_TLS13 && !in_ids(o->suites, o->nsuites, s->id))
			o->suites[o->nsuites++] = s->id;
	}
	return SW_OK;
}

/*
 * ---- Negotiation, reasons and advice: javaprof_negotiate() and
 * javaprof_recommend() on top of the offer above.
 */

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
		x->why = enabled_versions(p, c, &scratch) & VBIT(v) ?
		    JAVAPROF_WHY_NO_SUITE : JAVAPROF_WHY_NOT_ENABLED;
	else {
		n = enabled_suites(p, c, &scratch, ids);
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
	set = enabled_versions(p, c, &scratch);
	for (v = SUITE_TLS13; v >= SUITE_SSL3; v--)
		if (set & VBIT(v))
			add_reason(p, c, r, v, 0);
	snprintf(r->message, sizeof(r->message), "Java %s has no protocol "
	    "it can use, so it fails before the server answers:", p->name);
	reasons_text(p, c, r, r->message, sizeof(r->message));
}

static void
no_version(const struct javaprof *p, const struct javaprof_client *c,
    const struct javaprof_server *s, struct javaprof_result *r)
{
	char *je = r->java_error;
	uint16_t sv[5], v;
	size_t n = 0, i;

	r->verdict = JAVAPROF_NO_VERSION;
	for (v = SUITE_TLS13; v >= SUITE_SSL3; v--)
		if (server_at(s, v) != NULL) {
			sv[n++] = v;
			add_reason(p, c, r, v, 0);
		}
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

/* A java.security edit that reaches v; fills a's security_* fields. */
static int
try_edit(const struct javaprof *p, const struct javaprof_server *s,
    uint16_t v, struct javaprof_advice *a, struct javaprof_result *r)
{
	const struct javaprof_server_version *sv = server_at(s, v);
	unsigned char *drop, *tmp;
	const struct suite *su;
	struct javaprof q;
	size_t i;
	int ok = 0;

	if (!javaprof_version_known(p, v) || sv == NULL || p->tls.n == 0 ||
	    (drop = calloc(2, p->tls.n)) == NULL)
		return 0;
	tmp = drop + p->tls.n;
	if ((su = cheapest(p, sv, drop, tmp)) != NULL) {
		q = *p;
		javasec_list_value(&p->tls, drop, a->security_value,
		    sizeof(a->security_value));
		if (javasec_list_parse(a->security_value, JAVASEC_TLS, p->sec,
		    &q.tls, NULL) == SW_OK) {
			if (!javaprof_suite_default(p, su->id))
				snprintf(a->ciphersuites,
				    sizeof(a->ciphersuites), "%s", su->java);
			ok = works(&q, v, a->ciphersuites[0] ? a->ciphersuites :
			    NULL, s, r);
			javasec_list_free(&q.tls);
		}
		for (i = 0; ok && i < p->tls.n; i++)
			if (drop[i])
				cat(a->security_removed,
				    sizeof(a->security_removed), "%s%s",
				    a->security_removed[0] ? ", " : "",
				    p->tls.v[i].text);
	}
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

int
javaprof_certpath_check(const struct javaprof *p, const char *key_type,
    unsigned key_bits, const char *sig_alg, int anchored_at_jdk_ca,
    char *why, size_t why_cap)
{
	const struct javasec_list *lists[] = { &p->cert, &p->tls };
	const int ctx[] = { JAVASEC_CTX_TLS_SERVER, JAVASEC_CTX_TLS };
	const struct javasec_entry *e;
	size_t i;

	for (i = 0; i < 2; i++) {
		e = key_type ? javasec_check_key(lists[i], key_type, key_bits) :
		    NULL;
		if (e == NULL && sig_alg != NULL)
			e = javasec_check_sig(lists[i], sig_alg,
			    anchored_at_jdk_ca, ctx[i], time(NULL));
		if (e != NULL) {
			snprintf(why, why_cap, "%s: %s", lists[i]->property,
			    e->text);
			return 0;
		}
	}
	if (why_cap > 0)
		why[0] = '\0';
	return 1;
}
