/*
 * Java client profiles (assets/java/NAME.profile), the ClientHello a
 * profile sends, and the certpath check of a certificate against the
 * profile.  The negotiation against a probed server and the advice are
 * javaneg.c's.  javaprof.h describes the model; javasec.c does the
 * java.security matching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <time.h>

#include "assets.h"
#include "javaprof_int.h"

#define WS		" \t\r\n\f"

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

int
javaprof_known(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(names); i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

enum sw_err
javaprof_check_arg(const char *arg, struct sw_error *err)
{
	char list[128];

	if (javaprof_known(arg) || (strchr(arg, '/') != NULL &&
	    access(arg, R_OK) == 0))
		return SW_OK;
	return sw_fail(err, SW_EUSAGE, "must be one of %s or a profile file "
	    "(with a /), not \"%s\"", javaprof_list(list, sizeof(list),
	    ", "), arg);
}

const char *
javaprof_list(char *buf, size_t cap, const char *sep)
{
	size_t i, o = 0;

	if (cap > 0)
		buf[0] = '\0';
	for (i = 0; i < NELEM(names) && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? sep : "",
		    names[i]);
	return buf;
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
	/* Optional: a profile from a debug log has no certificate rules. */
	snprintf(p->curves, sizeof(p->curves), "%s",
	    javasec_get(p->sec, "profile.certpath.curves") ?
	    javasec_get(p->sec, "profile.certpath.curves") : "any");
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
	char file[64], list[64], *text;
	size_t len;
	enum sw_err rc;

	*out = NULL;
	/* A profile file of the user's (explain --profile-out). */
	if (strchr(name, '/') != NULL) {
		if (strlen(name) >= sizeof((*out)->path))
			return sw_fail(err, SW_EUSAGE, "profile path too long");
		if ((rc = assets_read_path(name, &text, &len, err)) != SW_OK)
			return rc;
		rc = javaprof_parse(reg, text, len, name, out, err);
		free(text);
		if (rc == SW_OK)
			snprintf((*out)->path, sizeof((*out)->path), "%s",
			    name);
		return rc;
	}
	if (!javaprof_known(name))
		return sw_fail(err, SW_EUSAGE, "no Java profile \"%s\" (known: "
		    "%s)", name, javaprof_list(list, sizeof(list), ", "));
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

void
javaprof_runtime_version(struct javaprof *p, int major, int update)
{
	if (major <= 0)
		return;
	/* The LTS lines it was backported to; 22, 23 and the others
	 * between ended before it. */
	p->wildcards = major >= 24 || (major == 21 && update >= 10) ||
	    (major == 17 && update >= 18) || (major == 11 && update >= 30);
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
	return p->path[0] != '\0' ? p->path : p->name;
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

/* Wire version of a Java protocol name, 0 when none. */
static uint16_t
proto_version(const char *name, size_t n)
{
	static const struct {
		const char	*name;
		uint16_t	 v;
	} tab[] = { { "SSLv3", SUITE_SSL3 }, { "TLSv1", SUITE_TLS10 },
	    { "TLSv1.1", SUITE_TLS11 }, { "TLSv1.2", SUITE_TLS12 },
	    { "TLSv1.3", SUITE_TLS13 } };
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].name) == n && strncmp(tab[i].name, name, n) ==
		    0)
			return tab[i].v;
	return 0;
}

const char *
javaprof_default_suites_for(const struct javaprof *p, const char *protocols,
    char *out, size_t cap)
{
	const struct suite *s;
	const char *w;
	size_t i, n, o = 0;
	uint16_t v;
	int fits;

	out[0] = '\0';
	for (i = 0; i < p->ndef; i++) {
		s = suites_by_id(p->reg, p->def[i]);
		if (s == NULL || (s->flags & SUITE_F_SCSV) || !s->java[0])
			continue;
		fits = 0;
		for (w = protocols; *w != '\0'; w += n) {
			w += strspn(w, " \t");
			n = strcspn(w, " \t");
			v = proto_version(w, n);
			fits |= v != 0 && v >= s->min_version &&
			    v <= s->max_version;
		}
		if (fits && o + strlen(s->java) + 2 < cap)
			o += (size_t)snprintf(out + o, cap - o, "%s%s",
			    o ? " " : "", s->java);
	}
	return out;
}

const char *
javaprof_group_name(uint16_t id)
{
	size_t i;

	for (i = 0; i < NELEM(group_ids); i++)
		if (group_ids[i].id == id)
			return group_ids[i].name;
	return NULL;
}

size_t
javaprof_groups(const struct javaprof *p, uint16_t *out, size_t cap)
{
	size_t i, n = 0;

	for (i = 0; i < p->ngroups; i++) {
		if (javasec_match_name(&p->tls,
		    javaprof_group_name(p->groups[i]), NULL, 0) > 0)
			continue;
		if (n++ < cap)
			out[n - 1] = p->groups[i];
	}
	return n;
}

/* Enabled protocols from the setting or the defaults, as a VBIT set;
 * the first word the runtime does not know goes to o->bad_setting. */
unsigned
javaprof_enabled_versions(const struct javaprof *p,
    const struct javaprof_client *c, struct javaprof_offer *o)
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
size_t
javaprof_enabled_suites(const struct javaprof *p,
    const struct javaprof_client *c, struct javaprof_offer *o, uint16_t *ids)
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
	vset = javaprof_enabled_versions(p, c, o);
	n = javaprof_enabled_suites(p, c, o, ids);
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

/* The smallest key_type key the "keySize <" and "keySize <=" entries
 * of the lists leave, in bits; 0 when they set none.  alias: the
 * JDK's other name of the algorithm ("DiffieHellman" for "DH"), or
 * NULL. */
static unsigned
key_min(const struct javasec_list *const *lists, size_t nlists,
    const char *key_type, const char *alias)
{
	const struct javasec_entry *e;
	unsigned min = 0, m;
	size_t i, j;

	for (i = 0; i < nlists; i++)
		for (j = 0; j < lists[i]->n; j++) {
			e = &lists[i]->v[j];
			if ((strcasecmp(e->alg, key_type) != 0 && (alias ==
			    NULL || strcasecmp(e->alg, alias) != 0)) ||
			    (e->flags & JAVASEC_E_BAD) || e->ncond != 1 ||
			    e->cond[0].kind != JAVASEC_KEYSIZE ||
			    (e->cond[0].op != JAVASEC_LT &&
			    e->cond[0].op != JAVASEC_LE) ||
			    e->cond[0].size < 0 || e->cond[0].size > 65536)
				continue;
			m = (unsigned)e->cond[0].size +
			    (e->cond[0].op == JAVASEC_LE);
			if (m > min)
				min = m;
		}
	return min;
}

unsigned
javaprof_certpath_key_min(const struct javaprof *p, const char *key_type)
{
	const struct javasec_list *lists[] = { &p->cert, &p->tls };

	return key_min(lists, NELEM(lists), key_type, NULL);
}

unsigned
javaprof_dh_min(const struct javaprof *p)
{
	const struct javasec_list *lists[] = { &p->tls };

	return key_min(lists, NELEM(lists), "DH", "DiffieHellman");
}

int
javaprof_curve_verifiable(const struct javaprof *p, const char *curve)
{
	const char *s = p->curves;
	size_t n;

	if (strcmp(s, "any") == 0)
		return 1;
	for (; *(s += strspn(s, WS ",")) != '\0'; s += n) {
		n = strcspn(s, WS ",");
		if (strlen(curve) == n && strncmp(s, curve, n) == 0)
			return 1;
	}
	return 0;
}
