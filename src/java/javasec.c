/*
 * java.security properties and the JDK's algorithm constraints over
 * them: the lists, and which TLS versions and suites they disable; the
 * certificate checks (key sizes, signatures) are javasec_cert.c's.
 * Each function below names the OpenJDK method it reproduces;
 * tests/data/javasec/tokens-jdk*.txt hold what the JDK itself answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "javasec_int.h"
#include "props.h"

struct javasec {
	struct props	*p;
	char		 name[256];
};

static enum sw_err
javasec_new(const char *name, struct javasec **out, struct sw_error *err)
{
	struct javasec *sec;

	if ((sec = calloc(1, sizeof(*sec))) == NULL ||
	    (sec->p = props_new()) == NULL) {
		free(sec);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	snprintf(sec->name, sizeof(sec->name), "%s", name);
	*out = sec;
	return SW_OK;
}

enum sw_err
javasec_parse(const char *text, size_t len, const char *name,
    struct javasec **out, struct sw_error *err)
{
	enum sw_err rc;

	*out = NULL;
	if ((rc = javasec_new(name, out, err)) != SW_OK)
		return rc;
	if ((rc = props_parse((*out)->p, text, len, name, err)) != SW_OK) {
		javasec_free(*out);
		*out = NULL;
	}
	return rc;
}

enum sw_err
javasec_load_file(const char *path, struct javasec **out,
    struct sw_error *err)
{
	enum sw_err rc;

	*out = NULL;
	if ((rc = javasec_new(path, out, err)) != SW_OK)
		return rc;
	if ((rc = props_load_file((*out)->p, path, err)) != SW_OK) {
		javasec_free(*out);
		*out = NULL;
	}
	return rc;
}

void
javasec_free(struct javasec *sec)
{
	if (sec == NULL)
		return;
	props_free(sec->p);
	free(sec);
}

const char *
javasec_name(const struct javasec *sec)
{
	return sec->name;
}

const char *
javasec_get(const struct javasec *sec, const char *key)
{
	return sec != NULL ? props_get(sec->p, key) : NULL;
}

unsigned
javasec_line(const struct javasec *sec, const char *key)
{
	size_t i;

	for (i = 0; sec != NULL && i < props_count(sec->p); i++)
		if (strcmp(props_key(sec->p, i), key) == 0)
			return props_line(sec->p, i);
	return 0;
}

enum sw_err
javasec_set(struct javasec *sec, const char *key, const char *value,
    struct sw_error *err)
{
	return props_set(sec->p, key, value, err);
}

enum sw_err
javasec_merge(struct javasec *dst, const struct javasec *src,
    struct sw_error *err)
{
	enum sw_err rc;
	size_t i;

	for (i = 0; i < props_count(src->p); i++)
		if ((rc = props_set(dst->p, props_key(src->p, i),
		    props_value(src->p, i), err)) != SW_OK)
			return rc;
	return SW_OK;
}

/* String.trim(): every byte <= ' ' at both ends. */
static void
trim_copy(char *out, size_t cap, const char *s, size_t n)
{
	while (n > 0 && (unsigned char)*s <= ' ')
		s++, n--;
	while (n > 0 && (unsigned char)s[n - 1] <= ' ')
		n--;
	snprintf(out, cap, "%.*s", (int)n, s);
}

static int
parse_op(const char *s, enum javasec_op *op)
{
	static const char *const ops[] = { "<", "<=", "==", "!=", ">=", ">" };
	size_t i;

	for (i = 0; i < NELEM(ops); i++)
		if (strcmp(s, ops[i]) == 0) {
			*op = (enum javasec_op)i;
			return 0;
		}
	return -1;
}

/* "keySize < 1024": the first three tokens, as the JDK's
 * StringTokenizer and Integer.parseInt() take them (more are ignored). */
static int
parse_keysize(const char *s, struct javasec_cond *c)
{
	char w[3][32];
	char *end;

	if (sscanf(s, "%31s %31s %31s", w[0], w[1], w[2]) != 3 ||
	    strcmp(w[0], "keySize") != 0 || parse_op(w[1], &c->op) < 0)
		return -1;
	c->size = strtol(w[2], &end, 10);
	if (*end != '\0' || end == w[2])
		return -1;
	c->kind = JAVASEC_KEYSIZE;
	return 0;
}

/* The JDK's "(\\d{4})-(\\d{2})-(\\d{2})" to the end of s. */
static int
is_date(const char *s)
{
	static const char pat[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; i < 10; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != '-')
			return 0;
	return s[10] == '\0';
}

static int
parse_cond(const char *s, struct javasec_cond *c)
{
	memset(c, 0, sizeof(*c));
	if (strncmp(s, "keySize", 7) == 0)
		return parse_keysize(s, c);
	if (strcasecmp(s, "jdkCA") == 0) {
		c->kind = JAVASEC_JDKCA;
		return 0;
	}
	if (strncmp(s, "denyAfter", 9) == 0 && (s[9] == ' ' || s[9] == '\t') &&
	    is_date(s + 9 + strspn(s + 9, " \t"))) {
		c->kind = JAVASEC_DENYAFTER;
		snprintf(c->arg, sizeof(c->arg), "%.10s",
		    s + 9 + strspn(s + 9, " \t"));
		return 0;
	}
	if (strncmp(s, "usage", 5) == 0) {
		c->kind = JAVASEC_USAGE;
		trim_copy(c->arg, sizeof(c->arg), s + 5, strlen(s + 5));
		return 0;
	}
	return -1;
}

/* DisabledAlgorithmConstraints.Constraints(): the conditions after the
 * first space, joined by '&'. */
static void
parse_entry(struct javasec_entry *e)
{
	const char *sp = strchr(e->text, ' '), *p, *amp;
	char part[128];
	unsigned seen = 0, kind;

	snprintf(e->alg, sizeof(e->alg), "%.*s",
	    (int)(sp ? (size_t)(sp - e->text) : strlen(e->text)), e->text);
	if (strchr(e->text, '*') != NULL)
		e->flags |= JAVASEC_E_STAR;
	if (sp == NULL || (e->flags & JAVASEC_E_INCLUDED))
		return;		/* a name, or a curve like "X9.62 c2tnb191v1" */
	e->flags |= JAVASEC_E_COND;
	for (p = sp + 1; p != NULL; p = amp ? amp + 1 : NULL) {
		amp = strchr(p, '&');
		trim_copy(part, sizeof(part), p, amp ? (size_t)(amp - p) :
		    strlen(p));
		if (e->ncond == JAVASEC_COND_MAX ||
		    parse_cond(part, &e->cond[e->ncond]) < 0) {
			e->flags |= JAVASEC_E_BAD;
			snprintf(e->bad, sizeof(e->bad), "Error in security "
			    "property. Constraint unknown: %.70s", part);
			return;
		}
		kind = 1u << e->cond[e->ncond++].kind;
		if (seen & kind & (1u << JAVASEC_JDKCA | 1u << JAVASEC_DENYAFTER)) {
			e->flags |= JAVASEC_E_BAD;
			snprintf(e->bad, sizeof(e->bad), "Only one %s entry "
			    "allowed in property", kind == 1u << JAVASEC_JDKCA ?
			    "jdkCA" : "denyAfter");
			return;
		}
		seen |= kind;
	}
}

static enum sw_err
add_entry(struct javasec_list *l, const char *s, size_t n, unsigned flags,
    struct sw_error *err)
{
	struct javasec_entry *e, *nv;

	if ((nv = realloc(l->v, (l->n + 1) * sizeof(*nv))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	l->v = nv;
	e = memset(&l->v[l->n], 0, sizeof(*e));
	trim_copy(e->text, sizeof(e->text), s, n);
	if (e->text[0] == '\0')
		return SW_OK;		/* "a,,b": an empty name, harmless */
	e->flags = flags;
	l->n++;
	if (!(flags & JAVASEC_E_INCLUDE))
		parse_entry(e);
	return SW_OK;
}

/* getAlgorithms(): strip one pair of quotes around the whole value,
 * split at commas.  At the top level (top) the first "include
 * jdk.disabled.namedCurves" is kept as a marker and followed by that
 * property's list from sec (NULL: empty), read the same way. */
static enum sw_err
add_value(struct javasec_list *l, const char *v, unsigned flags, int top,
    const struct javasec *sec, struct sw_error *err)
{
	char word[160];
	const char *curves;
	size_t n = strlen(v), len;
	enum sw_err rc;

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
		v++, n -= 2;
	while (n > 0) {
		len = strcspn(v, ",");
		len = len < n ? len : n;
		trim_copy(word, sizeof(word), v, len);
		if (top && strcasecmp(word, "include " JAVASEC_CURVES) == 0) {
			top = 0;
			curves = javasec_get(sec, JAVASEC_CURVES);
			if ((rc = add_entry(l, v, len, JAVASEC_E_INCLUDE,
			    err)) != SW_OK || (rc = add_value(l, curves ?
			    curves : "", JAVASEC_E_INCLUDED, 0, NULL,
			    err)) != SW_OK)
				return rc;
		} else if ((rc = add_entry(l, v, len, flags, err)) != SW_OK)
			return rc;
		v += len + (len < n);
		n -= len + (len < n);
	}
	return SW_OK;
}

enum sw_err
javasec_list_parse(const char *value, const char *property,
    const struct javasec *sec, struct javasec_list *out,
    struct sw_error *err)
{
	enum sw_err rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->property, sizeof(out->property), "%s", property);
	rc = add_value(out, value ? value : "", 0, 1, sec, err);
	if (rc != SW_OK)
		javasec_list_free(out);
	return rc;
}

void
javasec_list_free(struct javasec_list *list)
{
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

void
javasec_list_value(const struct javasec_list *list,
    const unsigned char *drop, char *out, size_t cap)
{
	size_t i, len = 0, tl;

	if (cap > 0)
		out[0] = '\0';
	for (i = 0; i < list->n; i++) {
		if ((drop != NULL && drop[i]) ||
		    (list->v[i].flags & JAVASEC_E_INCLUDED))
			continue;
		tl = strlen(list->v[i].text);
		if (len + 2 + tl + 1 > cap)
			continue;
		if (len > 0) {
			memcpy(out + len, ", ", 2);
			len += 2;
		}
		memcpy(out + len, list->v[i].text, tl + 1);
		len += tl;
	}
}

const struct javasec_entry *
javasec_list_bad(const struct javasec_list *list, unsigned mode,
    const char **why)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		*why = list->v[i].bad;
		if (list->v[i].flags & JAVASEC_E_BAD)
			return &list->v[i];
		*why = "Wildcard pattern must start with \"TLS_\"";
		if ((mode & JAVASEC_M_WILDCARDS) &&
		    (list->v[i].flags & JAVASEC_E_STAR) &&
		    strncmp(list->v[i].text, "TLS_", 4) != 0)
			return &list->v[i];
	}
	*why = NULL;
	return NULL;
}

/* The JDK's wildcard: '*' is ".*", everything else literal, anchored,
 * case-sensitive. */
static int
glob(const char *p, const char *s)
{
	const char *star = NULL, *mark = s;

	/*
	 * Iterative, with one backtrack point: the last '*' seen.  The
	 * recursive form took exponential time on "TLS_*********R", which
	 * a hostile java.security could hang us with.
	 */
	while (*s != '\0') {
		if (*p == '*') {
			star = p++;
			mark = s;
		} else if (*p == *s) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star + 1;
			s = ++mark;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

size_t
javasec_match_name(const struct javasec_list *list, const char *name,
    const struct javasec_entry **hits, size_t cap)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		if (plain(&list->v[i]) && strcasecmp(list->v[i].text,
		    name) == 0) {
			if (n < cap)
				hits[n] = &list->v[i];
			n++;
		}
	return n;
}

struct kx_parts {
	const char	*kx;
	const char	*parts[7];
};

/* SSLAlgorithmDecomposer.decomposes(KeyExchange); the EXPORT variants
 * of DHE and DH_anon have none. */
static const struct kx_parts kx_table[] = {
	{ "RSA", { "RSA" } },
	{ "RSA_EXPORT", { "RSA", "RSA_EXPORT" } },
	{ "DH_RSA", { "RSA", "DH", "DiffieHellman", "DH_RSA" } },
	{ "DH_DSS", { "DSA", "DSS", "DH", "DiffieHellman", "DH_DSS" } },
	{ "DHE_DSS", { "DSA", "DSS", "DH", "DHE", "DiffieHellman",
	    "DHE_DSS" } },
	{ "DHE_RSA", { "RSA", "DH", "DHE", "DiffieHellman", "DHE_RSA" } },
	{ "DH_anon", { "ANON", "DH", "DiffieHellman", "DH_ANON" } },
	{ "ECDH_ECDSA", { "ECDH", "ECDSA", "ECDH_ECDSA" } },
	{ "ECDH_RSA", { "ECDH", "RSA", "ECDH_RSA" } },
	{ "ECDHE_ECDSA", { "ECDHE", "ECDSA", "ECDHE_ECDSA" } },
	{ "ECDHE_RSA", { "ECDHE", "RSA", "ECDHE_RSA" } },
	{ "ECDH_anon", { "ECDH", "ANON", "ECDH_ANON" } },
};

/* decomposes(SSLCipher): the JCE transformation's parts plus the
 * cipher's own name; TLS 1.3 GCM (B_AES_*_GCM_IV) has no own name. */
static const struct kx_parts enc_table[] = {
	{ "AES_128_CBC", { "AES", "CBC", "NoPadding", "AES_128_CBC" } },
	{ "AES_256_CBC", { "AES", "CBC", "NoPadding", "AES_256_CBC" } },
	{ "AES_128_GCM", { "AES", "GCM", "NoPadding", "AES_128_GCM" } },
	{ "AES_256_GCM", { "AES", "GCM", "NoPadding", "AES_256_GCM" } },
	{ "TLS13_GCM", { "AES", "GCM", "NoPadding" } },
	{ "CHACHA20_POLY1305", { "ChaCha20-Poly1305" } },
	{ "3DES_EDE_CBC", { "DESede", "CBC", "NoPadding", "3DES_EDE_CBC" } },
	{ "DES_CBC", { "DES", "CBC", "NoPadding", "DES_CBC" } },
	{ "DES40_CBC", { "DES", "CBC", "NoPadding", "DES40_CBC",
	    "DES_CBC_40" } },
	{ "RC4_128", { "RC4", "RC4_128" } },
	{ "RC4_40", { "RC4", "RC4_40" } },
	{ "NULL", { "NULL", "C_NULL" } },
};

/* decomposes(MacAlg) and decomposes(HashAlg). */
static const struct kx_parts hash_table[] = {
	{ "SHA1", { "SHA1", "SHA-1", "HmacSHA1" } },
	{ "SHA256", { "SHA256", "SHA-256", "HmacSHA256" } },
	{ "SHA384", { "SHA384", "SHA-384", "HmacSHA384" } },
	{ "MD5", { "MD5", "HmacMD5" } },
};

static size_t
add_parts(const struct kx_parts *t, size_t nt, const char *key,
    const char **out, size_t n, size_t cap)
{
	size_t i, j;

	for (i = 0; i < nt; i++) {
		if (strcmp(t[i].kx, key) != 0)
			continue;
		for (j = 0; j < NELEM(t[i].parts) && t[i].parts[j]; j++)
			if (n < cap)
				out[n++] = t[i].parts[j];
		break;
	}
	return n;
}

/* The key exchange as the JDK's enum has it: the name between the
 * prefix and "_WITH_".  0x0017 is a JDK quirk: its enum entry says
 * K_DH_ANON, not K_DH_ANON_EXPORT. */
static void
java_kx(const struct suite *s, char *out, size_t cap)
{
	const char *w = strstr(s->iana, "_WITH_");

	out[0] = '\0';
	if (s->id == 0x0017)
		snprintf(out, cap, "DH_anon");
	else if (w != NULL)
		snprintf(out, cap, "%.*s", (int)(w - s->iana - 4),
		    s->iana + 4);
}

/* The PRF hash of the JDK 11+ enum: none for suites that end before
 * TLS 1.2 (DES, EXPORT), SHA-384 for *_SHA384, SHA-256 otherwise. */
static const char *
java_hash(const struct suite *s)
{
	size_t n = strlen(s->iana);

	if ((s->flags & SUITE_F_EXPORT) || strcmp(s->enc, "DES_CBC") == 0)
		return "";
	return n > 6 && strcmp(s->iana + n - 6, "SHA384") == 0 ?
	    "SHA384" : "SHA256";
}

size_t
javasec_components(const struct suite *s, unsigned mode, const char **out,
    size_t cap)
{
	char kx[32];
	size_t n = 0;

	if (s->java[0] == '\0' || (s->flags & SUITE_F_SCSV))
		return 0;
	java_kx(s, kx, sizeof(kx));
	n = add_parts(kx_table, NELEM(kx_table), kx, out, n, cap);
	n = add_parts(enc_table, NELEM(enc_table), s->kx == SUITE_KX_TLS13 &&
	    strstr(s->enc, "GCM") != NULL ? "TLS13_GCM" : s->enc, out, n, cap);
	n = add_parts(hash_table, NELEM(hash_table), s->mac, out, n, cap);
	if (!(mode & JAVASEC_M_LEGACY_JSSE))
		n = add_parts(hash_table, NELEM(hash_table), java_hash(s),
		    out, n, cap);
	return n;
}

/* DisabledAlgorithmConstraints.permits(): the Java name or a component
 * in the set, or a wildcard matching the Java name. */
static int
suite_hit(const struct javasec_entry *e, const struct suite *s,
    unsigned mode, const char **parts, size_t np)
{
	size_t i;

	if (!plain(e))
		return 0;
	if ((mode & JAVASEC_M_WILDCARDS) && (e->flags & JAVASEC_E_STAR))
		return strncmp(e->text, "TLS_", 4) == 0 &&
		    glob(e->text, s->java);
	if (strcasecmp(e->text, s->java) == 0)
		return 1;
	for (i = 0; i < np; i++)
		if (strcasecmp(e->text, parts[i]) == 0)
			return 1;
	return 0;
}

size_t
javasec_match_suite(const struct javasec_list *list, const struct suite *s,
    unsigned mode, const struct javasec_entry **hits, size_t cap)
{
	const char *parts[16];
	size_t i, np, n = 0;

	if (s->java[0] == '\0' || (s->flags & SUITE_F_SCSV))
		return 0;
	np = javasec_components(s, mode, parts, NELEM(parts));
	for (i = 0; i < list->n; i++)
		if (suite_hit(&list->v[i], s, mode, parts, np)) {
			if (n < cap)
				hits[n] = &list->v[i];
			n++;
		}
	return n;
}
