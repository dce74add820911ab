/*
 * The cipher-suite registry: a strict loader for assets/
 * ciphersuites.tsv and the lookups over it.  The file text is kept and
 * split in place, so every string of a struct suite points into it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assets.h"
#include "suites.h"

#define NFIELDS	13

struct suites {
	char		*text;
	struct suite	*v;		/* file order */
	size_t		 n;
	size_t		*by_id;		/* indexes into v, ascending id */
};

static const char *const kx_names[] = { "-", "TLS13", "ECDHE", "DHE",
	"RSA", "ECDH", "DH", "PSK", "SRP", "ECJPAKE" };
static const char *const auth_names[] = { "-", "TLS13", "RSA", "DSS",
	"ECDSA", "PSK", "SRP", "ECJPAKE", "anon" };
static const char *const grade_names[] = { "strong", "acceptable", "weak",
	"insecure", "-" };
static const char *const version_names[] = { "SSLv3", "TLSv1", "TLSv1.1",
	"TLSv1.2", "TLSv1.3" };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const char *
suite_kx_name(enum suite_kx kx)
{
	return (unsigned)kx < NELEM(kx_names) ? kx_names[kx] : "?";
}

const char *
suite_auth_name(enum suite_auth a)
{
	return (unsigned)a < NELEM(auth_names) ? auth_names[a] : "?";
}

const char *
suite_grade_name(enum suite_grade g)
{
	return (unsigned)g < NELEM(grade_names) ? grade_names[g] : "?";
}

const char *
suite_version_name(uint16_t v)
{
	if (v < SUITE_SSL3 || v > SUITE_TLS13)
		return "unknown";
	return version_names[v - SUITE_SSL3];
}

uint16_t
suite_version_parse(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NELEM(version_names); i++)
		if (strcmp(name, version_names[i]) == 0)
			return (uint16_t)(SUITE_SSL3 + i);
	return 0;
}

/* Index of word in names[], or -1. */
static int
keyword(const char *word, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(word, names[i]) == 0)
			return (int)i;
	return -1;
}

static int
parse_flags(char *s, unsigned *flags)
{
	static const char *const names[] = { "export", "anon", "null",
		"scsv" };
	char *tok, *save = NULL;
	int k;

	*flags = 0;
	if (strcmp(s, "-") == 0)
		return 0;
	for (tok = strtok_r(s, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((k = keyword(tok, names, NELEM(names))) < 0)
			return -1;
		*flags |= 1u << k;
	}
	return 0;
}

static int
parse_version(const char *s, uint16_t *v)
{
	*v = 0;
	return strcmp(s, "-") == 0 || (*v = suite_version_parse(s)) != 0 ?
	    0 : -1;
}

static void
derive_flags(struct suite *s)
{
	if (strstr(s->enc, "GCM") || strstr(s->enc, "CCM") ||
	    strstr(s->enc, "CHACHA20"))
		s->flags |= SUITE_F_AEAD;
	if (s->kx == SUITE_KX_TLS13 || s->kx == SUITE_KX_ECDHE ||
	    s->kx == SUITE_KX_DHE || s->kx == SUITE_KX_SRP ||
	    s->kx == SUITE_KX_ECJPAKE)
		s->flags |= SUITE_F_FS;
	if (s->auth == SUITE_AUTH_PSK || s->auth == SUITE_AUTH_SRP ||
	    s->auth == SUITE_AUTH_ECJPAKE || s->kx == SUITE_KX_PSK ||
	    s->kx == SUITE_KX_SRP || s->kx == SUITE_KX_ECJPAKE)
		s->flags |= SUITE_F_SECRET;
}

/* "NAME,ALIAS,ALIAS": the primary name and the aliases, split. */
static void
split_openssl(char *f, struct suite *s)
{
	char *comma;

	s->openssl = strcmp(f, "-") == 0 ? "" : f;
	s->openssl_alias = "";
	if ((comma = strchr(f, ',')) != NULL) {
		*comma = '\0';
		s->openssl_alias = comma + 1;
	}
}

/* Fills s from the fields of one line; the name of a bad field or NULL. */
static const char *
parse_row(char **f, struct suite *s)
{
	char *end;
	unsigned long id;
	int k;

	id = strtoul(f[0], &end, 16);
	if (strncmp(f[0], "0x", 2) != 0 || *end != '\0' || id > 0xffff)
		return "id";
	s->id = (uint16_t)id;
	if (strncmp(f[1], "TLS_", 4) != 0)
		return "iana";
	s->iana = f[1];
	split_openssl(f[2], s);
	s->java = strcmp(f[3], "-") == 0 ? "" : f[3];
	if ((k = keyword(f[4], kx_names, NELEM(kx_names))) < 0)
		return "kx";
	s->kx = (enum suite_kx)k;
	if ((k = keyword(f[5], auth_names, NELEM(auth_names))) < 0)
		return "auth";
	s->auth = (enum suite_auth)k;
	s->enc = f[6];
	s->bits = (unsigned)strtoul(f[7], &end, 10);
	if (*end != '\0' || end == f[7] || s->bits > 256)
		return "bits";
	s->mac = f[8];
	if (parse_version(f[9], &s->min_version) < 0)
		return "min";
	if (parse_version(f[10], &s->max_version) < 0 ||
	    s->max_version < s->min_version)
		return "max";
	if ((k = keyword(f[11], grade_names, NELEM(grade_names))) < 0)
		return "grade";
	s->grade = (enum suite_grade)k;
	if (parse_flags(f[12], &s->flags) < 0)
		return "flags";
	derive_flags(s);
	return NULL;
}

/* Sorts the id index (insertion sort: a few hundred entries, once per
 * load, mostly in order) and returns a duplicated id's index or -1. */
static long
index_ids(struct suites *reg)
{
	size_t i, j, t;

	for (i = 0; i < reg->n; i++)
		reg->by_id[i] = i;
	for (i = 1; i < reg->n; i++) {
		t = reg->by_id[i];
		for (j = i; j > 0 && reg->v[reg->by_id[j - 1]].id >
		    reg->v[t].id; j--)
			reg->by_id[j] = reg->by_id[j - 1];
		reg->by_id[j] = t;
	}
	for (i = 1; i < reg->n; i++)
		if (reg->v[reg->by_id[i]].id == reg->v[reg->by_id[i - 1]].id)
			return (long)reg->by_id[i];
	return -1;
}

/* A name used twice (IANA, OpenSSL or Java), or NULL. */
static const char *
dup_name(const struct suites *reg)
{
	size_t i, j;
	const struct suite *a, *b;

	for (i = 0; i < reg->n; i++)
		for (j = i + 1; j < reg->n; j++) {
			a = &reg->v[i];
			b = &reg->v[j];
			if (strcmp(a->iana, b->iana) == 0)
				return a->iana;
			if (a->openssl[0] && strcasecmp(a->openssl,
			    b->openssl) == 0)
				return a->openssl;
			if (a->java[0] && strcmp(a->java, b->java) == 0)
				return a->java;
		}
	return NULL;
}

static enum sw_err
parse_lines(struct suites *reg, const char *name, struct sw_error *err)
{
	char *line, *f[NFIELDS];
	const char *bad;
	size_t pos = 0, nf, cap = 0;
	unsigned lineno = 0;
	int header = 1;

	while ((line = assets_next_line(reg->text, &pos, &lineno)) != NULL) {
		if ((nf = assets_fields(line, f, NFIELDS)) != NFIELDS)
			return sw_fail(err, SW_EASSET, "%s:%u: %zu fields, "
			    "want %d", name, lineno, nf, NFIELDS);
		if (header && strcmp(f[0], "id") == 0) {
			header = 0;
			continue;
		}
		if (reg->n == cap) {
			struct suite *nv;

			cap = cap ? cap * 2 : 256;
			if ((nv = realloc(reg->v, cap * sizeof(*nv))) == NULL)
				return sw_fail(err, SW_ENOMEM, "out of memory");
			reg->v = nv;
		}
		memset(&reg->v[reg->n], 0, sizeof(reg->v[0]));
		if ((bad = parse_row(f, &reg->v[reg->n])) != NULL)
			return sw_fail(err, SW_EASSET, "%s:%u: bad %s field",
			    name, lineno, bad);
		reg->n++;
	}
	return SW_OK;
}

/* Indexes and cross-checks a registry read by parse_lines(). */
static enum sw_err
check(struct suites *reg, const char *name, struct sw_error *err)
{
	const char *dup;
	long d;

	if (reg->n == 0)
		return sw_fail(err, SW_EASSET, "%s: no cipher suites", name);
	if ((reg->by_id = malloc(reg->n * sizeof(size_t))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	if ((d = index_ids(reg)) >= 0)
		return sw_fail(err, SW_EASSET, "%s: id 0x%04X listed twice",
		    name, reg->v[d].id);
	if ((dup = dup_name(reg)) != NULL)
		return sw_fail(err, SW_EASSET, "%s: name %s listed twice",
		    name, dup);
	return SW_OK;
}

enum sw_err
suites_parse(const char *text, size_t len, const char *name,
    struct suites **out, struct sw_error *err)
{
	struct suites *reg;
	enum sw_err rc;

	*out = NULL;
	if ((reg = calloc(1, sizeof(*reg))) == NULL ||
	    (reg->text = malloc(len + 1)) == NULL) {
		free(reg);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	memcpy(reg->text, text, len);
	reg->text[len] = '\0';
	if ((rc = parse_lines(reg, name, err)) != SW_OK ||
	    (rc = check(reg, name, err)) != SW_OK) {
		suites_free(reg);
		return rc;
	}
	*out = reg;
	return SW_OK;
}

enum sw_err
suites_load(struct suites **out, struct sw_error *err)
{
	char *text;
	size_t len;
	enum sw_err rc;

	*out = NULL;
	if ((rc = assets_read(SUITES_FILE, &text, &len, err)) != SW_OK)
		return rc;
	rc = suites_parse(text, len, SUITES_FILE, out, err);
	free(text);
	return rc;
}

void
suites_free(struct suites *reg)
{
	if (reg == NULL)
		return;
	free(reg->by_id);
	free(reg->v);
	free(reg->text);
	free(reg);
}

size_t
suites_count(const struct suites *reg)
{
	return reg->n;
}

const struct suite *
suites_at(const struct suites *reg, size_t i)
{
	return i < reg->n ? &reg->v[i] : NULL;
}

const struct suite *
suites_by_id(const struct suites *reg, uint16_t id)
{
	size_t lo = 0, hi = reg->n, mid;
	const struct suite *s;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		s = &reg->v[reg->by_id[mid]];
		if (s->id == id)
			return s;
		if (s->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct suite *
suites_by_iana(const struct suites *reg, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < reg->n; i++)
		if (strcmp(reg->v[i].iana, name) == 0)
			return &reg->v[i];
	return NULL;
}

const struct suite *
suites_by_java(const struct suites *reg, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < reg->n; i++)
		if (reg->v[i].java[0] != '\0' &&
		    (strcmp(reg->v[i].java, name) == 0 ||
		    strcmp(reg->v[i].iana, name) == 0))
			return &reg->v[i];
	return NULL;
}

/* name is one of the comma-separated words of list (any case). */
static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = list; *p != '\0'; p += strcspn(p, ","), p += *p == ',')
		if (strncasecmp(p, name, n) == 0 &&
		    (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

const struct suite *
suites_by_openssl(const struct suites *reg, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && name[0] != '\0' && i < reg->n; i++)
		if (strcasecmp(reg->v[i].openssl, name) == 0 ||
		    in_list(reg->v[i].openssl_alias, name))
			return &reg->v[i];
	return NULL;
}

const struct suite *
suites_by_name(const struct suites *reg, const char *name)
{
	const struct suite *s;
	size_t i;

	if (name == NULL || name[0] == '\0')
		return NULL;
	if ((s = suites_by_openssl(reg, name)) != NULL)
		return s;
	for (i = 0; i < reg->n; i++)
		if (strcasecmp(reg->v[i].iana, name) == 0 ||
		    strcasecmp(reg->v[i].java, name) == 0)
			return &reg->v[i];
	return NULL;
}

int
suite_usable_at(const struct suite *s, uint16_t version)
{
	return s->min_version != 0 && s->min_version <= version &&
	    version <= s->max_version;
}

size_t
suites_for_version(const struct suites *reg, uint16_t version,
    unsigned exclude, uint16_t *out, size_t cap)
{
	size_t i, n = 0;
	const struct suite *s;

	for (i = 0; i < reg->n; i++) {
		s = &reg->v[i];
		if ((s->flags & (exclude | SUITE_F_SCSV)) != 0 ||
		    !suite_usable_at(s, version))
			continue;
		if (n < cap)
			out[n] = s->id;
		n++;
	}
	return n;
}

/* Appends word to out (space-separated) unless it is there already. */
static void
add_word(char *out, size_t cap, const char *word)
{
	size_t len = strlen(out), wl = strlen(word);
	const char *p;

	for (p = out; (p = strstr(p, word)) != NULL; p += wl)
		if ((p == out || p[-1] == ' ') && (p[wl] == ' ' || !p[wl]))
			return;
	if (len + (len > 0) + wl + 1 > cap)
		return;
	if (len > 0)
		out[len++] = ' ';
	memcpy(out + len, word, wl + 1);
}

size_t
suites_java_value(const struct suites *reg, const char *in, char *out,
    size_t cap, char *bad, size_t badcap, int *changed)
{
	char tok[128];
	const struct suite *s;
	size_t n, nbad = 0;
	const char *seps = " \t\r\n\f,:;", *orig = in;

	if (cap > 0)
		out[0] = '\0';
	if (bad != NULL && badcap > 0)
		bad[0] = '\0';
	while (in != NULL && *(in += strspn(in, seps)) != '\0') {
		n = strcspn(in, seps);
		snprintf(tok, sizeof(tok), "%.*s", (int)n, in);
		in += n;
		if ((s = suites_by_name(reg, tok)) == NULL) {
			nbad++;
			if (bad != NULL)
				add_word(bad, badcap, tok);
			continue;
		}
		add_word(out, cap, s->java[0] ? s->java : s->iana);
	}
	if (changed != NULL)
		*changed = orig == NULL || strcmp(out, orig) != 0;
	return nbad;
}

enum suite_grade
suite_grade_rule(const struct suite *s)
{
	const char *e = s->enc;

	if (s->flags & SUITE_F_SCSV)
		return SUITE_SIGNAL;
	if ((s->flags & (SUITE_F_NULL | SUITE_F_ANON | SUITE_F_EXPORT)) ||
	    strncmp(e, "RC4", 3) == 0 || strncmp(e, "RC2", 3) == 0 ||
	    strncmp(e, "DES_", 4) == 0 || strncmp(e, "DES40", 5) == 0 ||
	    strcmp(s->mac, "MD5") == 0 || s->bits < 112)
		return SUITE_INSECURE;
	if (strncmp(e, "3DES", 4) == 0 || strncmp(e, "IDEA", 4) == 0 ||
	    !(s->flags & SUITE_F_FS))
		return SUITE_WEAK;
	if ((s->flags & SUITE_F_AEAD) && strstr(e, "CCM_8") == NULL)
		return SUITE_STRONG;
	return SUITE_ACCEPTABLE;
}
