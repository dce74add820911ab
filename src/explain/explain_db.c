/*
 * The error decoder's database: explain_db_load() reads the asset files
 * (assets/errors-java.txt, assets/errors-smtp.txt; the format is
 * described at the top of each) through explain_db_parse(), a reader of
 * "key: value" records that compiles each entry's patterns once and
 * names file and line for every mistake.  Also the lookups of loaded
 * entries and the step tokens the files use.  Searching text with the
 * database is explain.c's.
 */
#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assets.h"
#include "explain.h"
#include "explain_int.h"
#include "replycode.h"

#define VALUE_MAX	4000		/* bytes of one value */
#define ID_MAX		39
#define MATCH_MAX	255

static const char *const step_tokens[] = {
	"?", "1", "2", "3", "4", "5", "NET", "LOG",
};

static const char *const step_titles[] = {
	"?", "Step 1: Protocol and port", "Step 2: Certificates",
	"Step 3: TLS protocol version", "Step 4: Cipher suites",
	"Step 5: Authentication",
	"Network, DNS or firewall", "Logging",
};

const char *
explain_step_token(int step)
{
	return step >= 1 && step <= EXPLAIN_STEP_LOG ? step_tokens[step] : "?";
}

const char *
explain_step_title(int step)
{
	return step >= 1 && step <= EXPLAIN_STEP_LOG ? step_titles[step] : "?";
}

/* ---- the database ------------------------------------------------- */

struct explain_db *
explain_db_new(void)
{
	return calloc(1, sizeof(struct explain_db));
}

static void
xentry_free(struct xentry *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nmatch; i++) {
		if (x->match[i].lit == NULL)
			regfree(&x->match[i].re);
		free(x->match[i].lit);
	}
	for (i = 0; i < x->ntext; i++)
		free(x->text[i]);
	for (i = 0; i < x->pub.nset; i++) {
		free((char *)x->pub.set[i].key);
		free((char *)x->pub.set[i].value);
	}
	for (i = 0; i < x->nown; i++)
		free(x->own[i]);
	free(x);
}

void
explain_db_free(struct explain_db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->n; i++)
		xentry_free(db->v[i]);
	for (i = 0; i < db->nenh; i++) {
		free(db->enh[i].text);
		free(db->enh[i].ref);
	}
	free(db->enh);
	for (i = 0; i < db->nnames; i++)
		free(db->names[i]);
	free(db->names);
	free(db->v);
	free(db);
}

size_t
explain_db_count(const struct explain_db *db)
{
	return db->n;
}

const struct explain_entry *
explain_db_entry(const struct explain_db *db, size_t i)
{
	return i < db->n ? &db->v[i]->pub : NULL;
}

const struct explain_entry *
explain_db_find(const struct explain_db *db, const char *id)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		if (strcmp(db->v[i]->pub.id, id) == 0)
			return &db->v[i]->pub;
	return NULL;
}

/* ---- the asset format --------------------------------------------- */

/* One "key: value" of the record being read. */
struct field {
	char	key[12];
	char	*value;
	size_t	 len;
	int	 line;
};

struct record {
	struct field	f[64];
	size_t		n;
	int		line;		/* of the first field */
};

struct parser {
	struct explain_db	*db;
	const char		*name;
	struct sw_error		*err;
	struct record		 rec;
};

static const char *const keys[] = {
	"id", "title", "step", "source", "cause", "fix", "set", "match",
	"reply", "text", "temporary", "retry", NULL,
};

static void
record_clear(struct record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->f[i].value);
	memset(r, 0, sizeof(*r));
}

static enum sw_err bad(struct parser *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* A malformed asset: "errors-java.txt:12: what is wrong". */
static enum sw_err
bad(struct parser *p, int line, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return sw_fail(p->err, SW_EASSET, "%s:%d: %s", p->name, line, what);
}

static char *
lower_dup(const char *s)
{
	char *d = strdup(s), *q;

	if (d != NULL)
		for (q = d; *q != '\0'; q++)
			*q = (char)tolower((unsigned char)*q);
	return d;
}

/* The value of single-valued key k, or NULL. */
static struct field *
field(struct record *r, const char *k)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->f[i].key, k) == 0)
			return &r->f[i];
	return NULL;
}

static enum sw_err
parse_steps(struct parser *p, struct field *f, struct explain_entry *e)
{
	char *s = f->value, *tok, *save = NULL;
	int st;

	for (tok = strtok_r(s, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		for (st = 1; st <= EXPLAIN_STEP_LOG; st++)
			if (strcasecmp(tok, step_tokens[st]) == 0)
				break;
		if (st > EXPLAIN_STEP_LOG)
			return bad(p, f->line, "step \"%s\" is not 1-5, NET "
			    "or LOG", tok);
		if (e->step == 0)
			e->step = st;
		e->steps |= 1u << st;
	}
	if (e->step == 0)
		return bad(p, f->line, "%s", "empty step");
	return SW_OK;
}

static enum sw_err
add_match(struct parser *p, struct field *f, struct xentry *x)
{
	struct xmatch *m = &x->match[x->nmatch];
	char msg[128];
	int rc;

	if (x->nmatch == NMATCH_MAX)
		return bad(p, f->line, "more than %s match: lines", "16");
	if (f->len > MATCH_MAX || f->len < 3)
		return bad(p, f->line, "%s", "a match must be 3 to 255 bytes");
	if (strncmp(f->value, "re:", 3) == 0) {
		rc = regcomp(&m->re, f->value + 3,
		    REG_EXTENDED | REG_ICASE | REG_NEWLINE);
		if (rc != 0) {
			regerror(rc, &m->re, msg, sizeof(msg));
			return bad(p, f->line, "bad regex: %s", msg);
		}
		m->lit = NULL;
	} else {
		if ((m->lit = lower_dup(f->value)) == NULL)
			return sw_fail(p->err, SW_ENOMEM, "out of memory");
		m->len = f->len;
	}
	x->nmatch++;
	return SW_OK;
}

static enum sw_err
add_set(struct parser *p, struct field *f, struct xentry *x)
{
	struct explain_set *s = &x->pub.set[x->pub.nset];
	char *eq = strchr(f->value, '=');
	size_t i, klen;

	if (x->pub.nset == EXPLAIN_SET_MAX)
		return bad(p, f->line, "more than %s set: lines", "4");
	klen = eq != NULL ? (size_t)(eq - f->value) : 0;
	for (i = 0; i < klen; i++)
		if (!isalnum((unsigned char)f->value[i]) &&
		    strchr("._-", f->value[i]) == NULL)
			break;
	if (klen == 0 || i < klen)
		return bad(p, f->line, "set \"%s\" is not KEY=VALUE", f->value);
	if ((s->key = strndup(f->value, klen)) == NULL ||
	    (s->value = strdup(eq + 1)) == NULL) {
		free((char *)s->key);
		return sw_fail(p->err, SW_ENOMEM, "out of memory");
	}
	x->pub.nset++;
	return SW_OK;
}

static enum sw_err
check_id(struct parser *p, struct field *f)
{
	const struct explain_entry *dup;
	size_t i;

	if (f->len == 0 || f->len > ID_MAX || !isalnum((unsigned char)
	    f->value[0]))
		return bad(p, f->line, "id \"%s\" is empty, too long or does "
		    "not start with a letter or digit", f->value);
	for (i = 0; i < f->len; i++)
		if (!islower((unsigned char)f->value[i]) &&
		    !isdigit((unsigned char)f->value[i]) &&
		    f->value[i] != '.' && f->value[i] != '-')
			return bad(p, f->line, "id \"%s\" may only hold a-z, "
			    "0-9, '.' and '-'", f->value);
	if ((dup = explain_db_find(p->db, f->value)) != NULL) {
		char where[160];

		snprintf(where, sizeof(where), "%s (first at %s:%d)",
		    f->value, dup->file, dup->line);
		return bad(p, f->line, "duplicate id %s", where);
	}
	return SW_OK;
}

/* "a.  B" -> "a. B": prose is re-wrapped by whoever shows it. */
static void
collapse_blanks(char *s)
{
	char *d = s, *start = s;

	for (; *s != '\0'; s++)
		if (*s != ' ' || d == start || d[-1] != ' ')
			*d++ = *s;
	*d = '\0';
}

/* Moves the single-valued strings into x (x->own frees them). */
static const char *
take(struct xentry *x, struct field *f)
{
	char *v;

	if (f == NULL)
		return NULL;
	v = f->value;
	f->value = NULL;
	x->own[x->nown++] = v;
	collapse_blanks(v);
	return v;
}

static enum sw_err
add_field(struct parser *p, struct field *f, struct xentry *x)
{
	struct sw_error *err = p->err;

	if (strcmp(f->key, "match") == 0)
		return add_match(p, f, x);
	if (strcmp(f->key, "set") == 0)
		return add_set(p, f, x);
	if (strcmp(f->key, "reply") == 0) {
		if (x->nreply == NREPLY_MAX)
			return bad(p, f->line, "more than %s reply: lines",
			    "8");
		if (replycode_pat_parse(f->value, &x->reply[x->nreply],
		    err) != SW_OK) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			sw_error_clear(err);
			return bad(p, f->line, "%s", msg);
		}
		x->nreply++;
	} else if (strcmp(f->key, "text") == 0) {
		if (x->ntext == NTEXT_MAX)
			return bad(p, f->line, "more than %s text: lines", "16");
		if ((x->text[x->ntext] = lower_dup(f->value)) == NULL)
			return sw_fail(err, SW_ENOMEM, "out of memory");
		x->ntext++;
	}
	return SW_OK;
}

/*
 * "temporary: yes|no|either"; without it a reply entry is temporary
 * when all its patterns need a 4xx code, permanent when all need 5xx,
 * either otherwise ("* x.7.1"); a message entry is permanent.  A 4xx
 * reply is never decoded by a permanent entry, nor a 5xx one by a
 * temporary entry (RFC 5321 §4.2.1: the first digit decides).
 */
static enum sw_err
parse_temporary(struct parser *p, struct field *f, struct xentry *x)
{
	const struct replycode_pat *q;
	struct field *r;
	int can4 = 0, can5 = 0, c;
	size_t i;

	if ((r = field(&p->rec, "retry")) != NULL) {
		if (strcasecmp(r->value, "no") != 0 &&
		    strcasecmp(r->value, "yes") != 0)
			return bad(p, r->line, "retry \"%s\" is not yes or no",
			    r->value);
		x->pub.no_retry = strcasecmp(r->value, "no") == 0;
	}
	if (f != NULL) {
		if (strcasecmp(f->value, "yes") == 0)
			x->pub.temporary = EXPLAIN_TEMP_YES;
		else if (strcasecmp(f->value, "no") == 0)
			x->pub.temporary = EXPLAIN_TEMP_NO;
		else if (strcasecmp(f->value, "either") == 0 && x->nreply)
			x->pub.temporary = EXPLAIN_TEMP_EITHER;
		else
			return bad(p, f->line, "temporary \"%s\" is not yes, "
			    "no%s", f->value, x->nreply ? " or either" : "");
		return SW_OK;
	}
	for (i = 0; i < x->nreply; i++) {
		q = &x->reply[i];
		c = q->code ? q->code / 100 : q->cls ? q->cls : q->ecls;
		can4 |= c == 0 || c == 4;
		can5 |= c == 0 || c == 5;
	}
	x->pub.temporary = can4 && can5 ? EXPLAIN_TEMP_EITHER : can4 ?
	    EXPLAIN_TEMP_YES : EXPLAIN_TEMP_NO;
	return SW_OK;
}

static enum sw_err
db_append(struct parser *p, struct xentry *x)
{
	struct explain_db *db = p->db;
	struct xentry **v;

	if (db->n == db->cap) {
		v = realloc(db->v, (db->cap ? db->cap * 2 : 64) * sizeof(*v));
		if (v == NULL)
			return sw_fail(p->err, SW_ENOMEM, "out of memory");
		db->v = v;
		db->cap = db->cap ? db->cap * 2 : 64;
	}
	db->v[db->n++] = x;
	return SW_OK;
}

static enum sw_err
record_end(struct parser *p)
{
	static const char *const need[] = { "id", "title", "step", "cause",
	    "fix" };
	struct record *r = &p->rec;
	struct xentry *x;
	size_t i;
	enum sw_err rc = SW_OK;

	if (r->n == 0)
		return SW_OK;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (field(r, need[i]) == NULL)
			return bad(p, r->line, "record has no %s: line",
			    need[i]);
	if (check_id(p, field(r, "id")) != SW_OK)
		return p->err->code;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return sw_fail(p->err, SW_ENOMEM, "out of memory");
	x->pub.file = p->db->names[p->db->nnames - 1];
	x->pub.line = r->line;
	if ((rc = parse_steps(p, field(r, "step"), &x->pub)) != SW_OK)
		goto fail;
	for (i = 0; i < r->n && rc == SW_OK; i++)
		rc = add_field(p, &r->f[i], x);
	if (rc != SW_OK)
		goto fail;
	if ((x->nmatch > 0) == (x->nreply > 0)) {
		rc = bad(p, r->line, "%s", "a record needs match: lines or "
		    "reply: lines (not both)");
		goto fail;
	}
	if (x->ntext > 0 && x->nreply == 0) {
		rc = bad(p, r->line, "%s", "text: goes with reply: only");
		goto fail;
	}
	x->pub.is_reply = x->nreply > 0;
	if ((rc = parse_temporary(p, field(r, "temporary"), x)) != SW_OK)
		goto fail;
	x->pub.id = take(x, field(r, "id"));
	x->pub.title = take(x, field(r, "title"));
	x->pub.source = take(x, field(r, "source"));
	x->pub.cause = take(x, field(r, "cause"));
	x->pub.fix = take(x, field(r, "fix"));
	if ((rc = db_append(p, x)) != SW_OK)
		goto fail;
	record_clear(r);
	return SW_OK;
fail:
	xentry_free(x);
	return rc;
}

/* A continuation line: appends " text" to the last value. */
static enum sw_err
record_continue(struct parser *p, const char *s, size_t n, int line)
{
	struct field *f;
	char *v;

	if (p->rec.n == 0)
		return bad(p, line, "%s", "continuation line outside a record");
	f = &p->rec.f[p->rec.n - 1];
	if (f->len + 1 + n > VALUE_MAX)
		return bad(p, line, "value of %s: is too long", f->key);
	if ((v = realloc(f->value, f->len + n + 2)) == NULL)
		return sw_fail(p->err, SW_ENOMEM, "out of memory");
	v[f->len] = ' ';
	memcpy(v + f->len + 1, s, n);
	f->len += n + 1;
	v[f->len] = '\0';
	f->value = v;
	return SW_OK;
}

static enum sw_err
record_field(struct parser *p, const char *s, size_t n, int line)
{
	const char *colon = memchr(s, ':', n), *v;
	struct record *r = &p->rec;
	struct field *f;
	size_t klen, i;

	klen = colon != NULL ? (size_t)(colon - s) : 0;
	for (i = 0; keys[i] != NULL; i++)
		if (strlen(keys[i]) == klen && memcmp(keys[i], s, klen) == 0)
			break;
	if (colon == NULL || keys[i] == NULL) {
		char k[40];

		snprintf(k, sizeof(k), "%.*s", (int)(colon ? klen : n), s);
		return bad(p, line, colon ? "unknown key \"%s\"" :
		    "\"%s\" is not \"key: value\"", k);
	}
	if (strcmp(keys[i], "set") && strcmp(keys[i], "match") &&
	    strcmp(keys[i], "reply") && strcmp(keys[i], "text") &&
	    field(r, keys[i]) != NULL)
		return bad(p, line, "second %s: line in one record", keys[i]);
	if (r->n == sizeof(r->f) / sizeof(r->f[0]))
		return bad(p, line, "%s", "record has too many lines");
	for (v = colon + 1; v < s + n && *v == ' '; v++)
		;
	f = &r->f[r->n];
	snprintf(f->key, sizeof(f->key), "%s", keys[i]);
	f->len = (size_t)(s + n - v);
	f->line = line;
	if (f->len > VALUE_MAX)
		return bad(p, line, "value of %s: is too long", keys[i]);
	if ((f->value = strndup(v, f->len)) == NULL)
		return sw_fail(p->err, SW_ENOMEM, "out of memory");
	if (r->n++ == 0)
		r->line = line;
	return SW_OK;
}

/* One line of an asset file, without its end of line. */
static enum sw_err
parse_line(struct parser *p, const char *s, size_t n, int line)
{
	size_t i;
	int cont;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return bad(p, line, "%s", "control character");
		else if (s[i] == 0x7f)
			return bad(p, line, "%s", "control character");
	if (n > 0 && s[0] == '#')
		return SW_OK;
	cont = n > 0 && (s[0] == ' ' || s[0] == '\t');
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	if (n == 0)
		return record_end(p);
	if (memchr(s, '\t', n) != NULL)
		return bad(p, line, "%s", "tab inside a value (use spaces)");
	return cont ? record_continue(p, s, n, line) :
	    record_field(p, s, n, line);
}

enum sw_err
explain_db_parse(struct explain_db *db, const char *name, const char *buf,
    size_t len, struct sw_error *err)
{
	struct parser p = { .db = db, .name = name, .err = err };
	const char *s = buf, *end = buf + len, *nl;
	char **names;
	int line = 0;
	enum sw_err rc = SW_OK;

	names = realloc(db->names, (db->nnames + 1) * sizeof(*names));
	if (names == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	db->names = names;
	if ((db->names[db->nnames] = strdup(name)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	db->nnames++;
	if (memchr(buf, '\0', len) != NULL)
		return sw_fail(err, SW_EASSET, "%s: NUL byte in the file",
		    name);
	while (s < end && rc == SW_OK) {
		nl = memchr(s, '\n', (size_t)(end - s));
		line++;
		rc = parse_line(&p, s, (size_t)((nl ? nl : end) - s), line);
		s = nl ? nl + 1 : end;
	}
	if (rc == SW_OK)
		rc = record_end(&p);
	record_clear(&p.rec);
	return rc;
}

/* ---- the enhanced status code registry ---------------------------- */

/* "4.X.X", "X.7.X", "X.7.1": -1 stands for X.  0 when malformed. */
static int
enh_key(const char *s, size_t n, struct xenh *e)
{
	int v[3], k, d;
	size_t i = 0;

	for (k = 0; k < 3; k++) {
		if (k > 0 && (i >= n || s[i++] != '.'))
			return 0;
		if (i < n && (s[i] == 'X' || s[i] == 'x')) {
			v[k] = -1;
			i++;
			continue;
		}
		for (v[k] = 0, d = 0; i < n && isdigit((unsigned char)s[i]) &&
		    d < 3; i++, d++)
			v[k] = v[k] * 10 + (s[i] - '0');
		if (d == 0)
			return 0;
	}
	if (i != n || (v[0] != -1 && v[0] != 2 && v[0] != 4 && v[0] != 5))
		return 0;
	/* A class line, a subject line or a detail line: nothing else. */
	if (!((v[0] >= 0 && v[1] < 0 && v[2] < 0) ||
	    (v[0] < 0 && v[1] >= 0 && v[2] < 0) ||
	    (v[0] < 0 && v[1] >= 0 && v[2] >= 0)))
		return 0;
	e->cls = v[0];
	e->subj = v[1];
	e->detail = v[2];
	return 1;
}

/* One registry line: "X.7.1  text [RFC 3463]". */
static enum sw_err
enh_line(struct parser *p, const char *s, size_t n, int line)
{
	struct explain_db *db = p->db;
	struct xenh e = { 0 }, *v;
	const char *sp, *ref;
	size_t klen, tlen;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || s[0] == '#')
		return SW_OK;
	sp = memchr(s, ' ', n);
	klen = sp ? (size_t)(sp - s) : n;
	if (!enh_key(s, klen, &e) || sp == NULL)
		return bad(p, line, "%s", "not \"CODE  text\" with CODE 4.X.X, "
		    "X.7.X or X.7.1");
	while (sp < s + n && *sp == ' ')
		sp++;
	tlen = (size_t)(s + n - sp);
	ref = NULL;
	if (tlen > 2 && sp[tlen - 1] == ']' &&
	    (ref = memchr(sp, '[', tlen)) != NULL) {
		tlen = (size_t)(ref - sp);
		while (tlen > 0 && sp[tlen - 1] == ' ')
			tlen--;
	}
	if (tlen == 0 || tlen > 200)
		return bad(p, line, "%s", "text missing or over 200 bytes");
	if (db->nenh == db->enhcap) {
		size_t cap = db->enhcap ? db->enhcap * 2 : 64;

		if ((v = realloc(db->enh, cap * sizeof(*v))) == NULL)
			return sw_fail(p->err, SW_ENOMEM, "out of memory");
		db->enh = v;
		db->enhcap = cap;
	}
	if ((e.text = strndup(sp, tlen)) == NULL || (ref != NULL &&
	    (e.ref = strndup(ref + 1, (size_t)(s + n - ref) - 2)) == NULL)) {
		free(e.text);
		return sw_fail(p->err, SW_ENOMEM, "out of memory");
	}
	db->enh[db->nenh++] = e;
	return SW_OK;
}

enum sw_err
explain_db_parse_enh(struct explain_db *db, const char *name,
    const char *buf, size_t len, struct sw_error *err)
{
	struct parser p = { .db = db, .name = name, .err = err };
	const char *s = buf, *end = buf + len, *nl;
	size_t i, n;
	int line = 0;
	enum sw_err rc = SW_OK;

	while (s < end && rc == SW_OK) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = (size_t)((nl ? nl : end) - s);
		line++;
		for (i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x20 && s[i] != '\r')
				return bad(&p, line, "%s", "control character");
		rc = enh_line(&p, s, n, line);
		s = nl ? nl + 1 : end;
	}
	return rc;
}

void
explain_enh_describe(const struct explain_db *db, const char *enhanced,
    struct explain_enh_text *out)
{
	struct replycode_enh e;
	const struct xenh *x;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (enhanced == NULL || replycode_enh_parse(enhanced,
	    strlen(enhanced), &e) == 0)
		return;
	for (i = 0; i < db->nenh; i++) {
		x = &db->enh[i];
		if (x->cls == e.cls)
			out->cls = x->text;
		else if (x->cls < 0 && x->subj == e.subj && x->detail < 0)
			out->subject = x->text;
		else if (x->cls < 0 && x->subj == e.subj &&
		    x->detail == e.detail) {
			out->detail = x->text;
			out->ref = x->ref;
		}
	}
}

enum sw_err
explain_db_load_file(struct explain_db *db, const char *path,
    struct sw_error *err)
{
	char *buf;
	size_t n;
	enum sw_err rc;

	if ((rc = assets_read_path(path, &buf, &n, err)) != SW_OK)
		return rc;
	rc = explain_db_parse(db, path, buf, n, err);
	free(buf);
	return rc;
}

/*
 * Reads data file name: from dir, or (dir NULL) where assets_path()
 * finds it, else the copy compiled into the binary (make static).
 * where (cap bytes) names it for messages.
 */
static enum sw_err
read_db_file(const char *dir, const char *name, char *where, size_t cap,
    char **buf, size_t *n, struct sw_error *err)
{
	struct sw_error e = { 0 };

	if (dir != NULL)
		snprintf(where, cap, "%s/%s", dir, name);
	else if (assets_path(name, where, cap, &e) != SW_OK) {
		snprintf(where, cap, "%s", name);
		return assets_read(name, buf, n, err);
	}
	return assets_read_path(where, buf, n, err);
}

static enum sw_err
load_enh(struct explain_db *db, const char *dir, struct sw_error *err)
{
	char path[ASSETS_PATH_MAX], *buf;
	size_t n;
	enum sw_err rc;

	rc = read_db_file(dir, EXPLAIN_ENH_FILE, path, sizeof(path), &buf, &n,
	    err);
	if (rc != SW_OK)
		return rc;
	rc = explain_db_parse_enh(db, path, buf, n, err);
	free(buf);
	return rc;
}

enum sw_err
explain_db_load(struct explain_db **dbp, const char *dir,
    struct sw_error *err)
{
	static const char *const files[] = EXPLAIN_FILES;
	char path[ASSETS_PATH_MAX], *buf;
	struct explain_db *db;
	size_t i, n;
	enum sw_err rc = SW_OK;

	*dbp = NULL;
	if ((db = explain_db_new()) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (i = 0; i < sizeof(files) / sizeof(files[0]) && rc == SW_OK;
	    i++) {
		rc = read_db_file(dir, files[i], path, sizeof(path), &buf, &n,
		    err);
		if (rc != SW_OK)
			break;
		rc = explain_db_parse(db, path, buf, n, err);
		free(buf);
	}
	if (rc == SW_OK)
		rc = load_enh(db, dir, err);
	if (rc != SW_OK) {
		explain_db_free(db);
		return rc;
	}
	*dbp = db;
	return SW_OK;
}
