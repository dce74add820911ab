/*
 * The error decoder: finds every known error in pasted text and
 * decodes single SMTP replies, with the tables explain_db.c loads from
 * assets/.  Text patterns are matched as lower-case literals (memmem
 * over a lower-cased copy of the input) or POSIX extended regexes; SMTP
 * replies are found by replycode_scan() and decoded by the most
 * specific reply entry.  Nesting depth comes from the way Java prints
 * exception chains: "Caused by:", JavaMail's "nested exception is:",
 * and "outer.Exception: inner.Exception: ..." on one line.
 */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "explain_int.h"
#include "replycode.h"
#include "sanitize.h"

#define OCC_MAX		1000		/* occurrences of one pattern used */
#define EXCERPT_LINE	160		/* bytes of a line shown as the match */

/* ---- SMTP replies -------------------------------------------------- */

/* Case-insensitive search for a lower-case needle. */
static int
ci_contains(const char *h, size_t hlen, const char *needle)
{
	size_t n = strlen(needle), i, j;

	for (i = 0; n <= hlen && i <= hlen - n; i++) {
		for (j = 0; j < n; j++)
			if (tolower((unsigned char)h[i + j]) != needle[j])
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

/* Is the detail of e in the registry (RFC 3463 and later RFCs)? */
static int
enh_registered(const struct explain_db *db, const struct replycode_enh *e)
{
	size_t i;

	for (i = 0; i < db->nenh; i++)
		if (db->enh[i].cls < 0 && db->enh[i].subj == e->subj &&
		    db->enh[i].detail == e->detail)
			return 1;
	return 0;
}

/*
 * The most specific entry for a reply.  Wording (text:) usually
 * decides, because the registry's codes are broad ("5.7.1": any policy
 * refusal).  A provider's own code outside the registry (Microsoft's
 * 5.7.139, 5.7.57, 5.7.60) names one cause, so an entry for exactly
 * that code wins over wording.
 */
static const struct xentry *
reply_lookup(const struct explain_db *db, int code,
    const struct replycode_enh *enh, const char *text, size_t tlen)
{
	const struct xentry *best = NULL, *x;
	int best_score = -1, s, sc, tmp, vendor;
	size_t i, k;

	/* RFC 5321 §4.2.1: the first digit says transient or permanent. */
	tmp = code != 0 ? code / 100 == 4 : enh != NULL && enh->cls == 4;
	vendor = enh != NULL && enh->cls != 0 && !enh_registered(db, enh);
	for (i = 0; i < db->n; i++) {
		x = db->v[i];
		if (x->pub.temporary == (tmp ? EXPLAIN_TEMP_NO :
		    EXPLAIN_TEMP_YES))
			continue;
		for (s = -1, k = 0; k < x->nreply; k++) {
			sc = replycode_pat_score(&x->reply[k], code, enh);
			if (sc >= 0 && vendor && x->reply[k].has_enh &&
			    x->reply[k].edetail >= 0)
				sc += 64;
			if (sc > s)
				s = sc;
		}
		if (s < 0)
			continue;
		if (x->ntext > 0) {
			for (k = 0; k < x->ntext; k++)
				if (text != NULL && ci_contains(text, tlen,
				    x->text[k]))
					break;
			if (k == x->ntext)
				continue;
			s += 32;
		}
		if (s > best_score) {
			best = x;
			best_score = s;
		}
	}
	return best;
}

const struct explain_entry *
explain_reply(const struct explain_db *db, int code, const char *enhanced,
    const char *text)
{
	struct replycode_enh e = { 0, 0, 0 };
	const struct xentry *x;

	if (code != 0 && (code < 400 || code > 599))
		return NULL;
	if (enhanced != NULL)
		replycode_enh_parse(enhanced, strlen(enhanced), &e);
	if (code == 0 && e.cls != 4 && e.cls != 5)
		return NULL;	/* nothing, or a success code alone */
	x = reply_lookup(db, code, &e, text, text ? strlen(text) : 0);
	return x != NULL ? &x->pub : NULL;
}

const struct explain_entry *
explain_smtp_reply(const struct explain_db *db, const struct smtp_reply *r)
{
	struct replycode_enh e = { 0, 0, 0 };
	const struct xentry *x;

	if (r->code < 400 || r->code > 599)
		return NULL;
	if (r->enhanced[0] != '\0')
		replycode_enh_parse(r->enhanced, strlen(r->enhanced), &e);
	x = reply_lookup(db, r->code, &e, r->text, r->text ? r->len : 0);
	return x != NULL ? &x->pub : NULL;
}

/* ---- finding errors in text ---------------------------------------- */

/* One occurrence of an entry in the text. */
struct raw {
	size_t			 start, end;
	const struct xentry	*x;
	int			 code;
	struct replycode_enh	 enh;
	int			 depth;
	int			 dropped;
	unsigned		 incident;	/* 1-based; 0: before any */
	unsigned		 count;		/* incidents, after dedupe */
};

/* Where an incident's time stamp is in the text (len 0: none). */
struct stamp {
	size_t	off, len;
};

struct scan {
	const char	*text;		/* as given */
	char		*w;		/* lower case, NUL and CR made blank */
	size_t		 len;
	struct raw	*raw;
	size_t		 n, cap;
	struct stamp	*inc;		/* inc[k - 1]: incident k */
	unsigned	 ninc, inccap;
	struct sw_error	*err;
};

static enum sw_err
raw_add(struct scan *sc, const struct raw *r)
{
	struct raw *v;
	size_t cap;

	if (sc->n == sc->cap) {
		cap = sc->cap ? sc->cap * 2 : 256;
		if ((v = realloc(sc->raw, cap * sizeof(*v))) == NULL)
			return sw_fail(sc->err, SW_ENOMEM, "out of memory");
		sc->raw = v;
		sc->cap = cap;
	}
	sc->raw[sc->n++] = *r;
	return SW_OK;
}

/*
 * The working copy: ASCII lower case so literals match with memmem;
 * NUL becomes a blank so regexec sees one string; CR before LF
 * becomes a blank and a lone CR ends a line.  Offsets stay the same.
 */
static char *
working_copy(const char *t, size_t len)
{
	char *w = malloc(len + 1);
	size_t i;

	if (w == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == '\0')
			c = ' ';
		else if (c == '\r')
			c = i + 1 < len && t[i + 1] == '\n' ? ' ' : '\n';
		w[i] = (char)tolower(c);
	}
	w[len] = '\0';
	return w;
}

static enum sw_err
find_literal(struct scan *sc, const struct xentry *x, const struct xmatch *m)
{
	const char *p = sc->w, *end = sc->w + sc->len;
	struct raw r = { .x = x };
	size_t k;

	for (k = 0; k < OCC_MAX && p < end; k++) {
		p = memmem(p, (size_t)(end - p), m->lit, m->len);
		if (p == NULL)
			break;
		r.start = (size_t)(p - sc->w);
		r.end = r.start + m->len;
		if (raw_add(sc, &r) != SW_OK)
			return SW_ENOMEM;
		p += m->len;
	}
	return SW_OK;
}

static enum sw_err
find_regex(struct scan *sc, const struct xentry *x, const struct xmatch *m)
{
	struct raw r = { .x = x };
	regmatch_t rm;
	size_t off = 0, k;
	int flags;

	for (k = 0; k < OCC_MAX && off < sc->len; k++) {
		flags = off > 0 && sc->w[off - 1] != '\n' ? REG_NOTBOL : 0;
		if (regexec(&m->re, sc->w + off, 1, &rm, flags) != 0)
			break;
		r.start = off + (size_t)rm.rm_so;
		r.end = off + (size_t)rm.rm_eo;
		if (raw_add(sc, &r) != SW_OK)
			return SW_ENOMEM;
		off = r.end > r.start ? r.end : r.start + 1;
	}
	return SW_OK;
}

static enum sw_err
find_replies(struct scan *sc, const struct explain_db *db)
{
	struct replycode_span sp;
	struct raw r;
	size_t pos = 0, k = 0;

	while (k++ < OCC_MAX * 20 && replycode_scan(sc->w, sc->len, &pos,
	    &sp)) {
		memset(&r, 0, sizeof(r));
		r.x = reply_lookup(db, sp.code, &sp.enh, sc->w + sp.text,
		    sp.end - sp.text);
		if (r.x == NULL)
			continue;
		r.start = sp.start;
		r.end = sp.end;
		r.code = sp.code;
		r.enh = sp.enh;
		if (raw_add(sc, &r) != SW_OK)
			return SW_ENOMEM;
	}
	return SW_OK;
}

static int
by_start(const void *a, const void *b)
{
	const struct raw *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;	/* longer first */
	return 0;
}

/*
 * A text match inside a longer one is the same message read less
 * precisely ("could not connect to smtp host" inside "... response:
 * -1"): only the longer counts.  Replies are kept: they decode a
 * different thing (the server's words).
 */
static void
drop_contained(struct scan *sc)
{
	size_t i, kept = SIZE_MAX;

	for (i = 0; i < sc->n; i++) {
		struct raw *r = &sc->raw[i];

		if (r->x->pub.is_reply)
			continue;
		if (kept != SIZE_MAX && r->end <= sc->raw[kept].end &&
		    r->x != sc->raw[kept].x)
			r->dropped = 1;
		else if (kept == SIZE_MAX || r->end > sc->raw[kept].end)
			kept = i;
	}
}

/* Nesting events on one line, in text order. */
enum ev_kind { EV_NEST, EV_CLASS };

struct ev {
	size_t		pos;
	enum ev_kind	kind;
};

struct depth_state {
	int	depth;
	int	class_seen;	/* an exception class seen in this chain */
	int	fresh;		/* a nesting marker since the last class */
};

static void
depth_event(struct depth_state *d, enum ev_kind k)
{
	if (k == EV_NEST) {
		d->depth++;
		d->fresh = 1;
		return;
	}
	/* "outer.FooException: inner.BarException: ...": one level more. */
	if (d->class_seen && !d->fresh)
		d->depth++;
	d->class_seen = 1;
	d->fresh = 0;
}

static int
starts(const char *s, size_t n, const char *with)
{
	size_t k = strlen(with);

	return n >= k && memcmp(s, with, k) == 0;
}

/*
 * A line that starts at column 0 with something other than "Caused
 * by:", a stack frame or "... 5 more" begins a new exception chain (a
 * new log record).  Indented lines continue the current one.
 */
static int
chain_start(const char *w, size_t n)
{
	return n > 0 && w[0] != ' ' && w[0] != '\t' &&
	    !starts(w, n, "caused by:") && !starts(w, n, "at ") &&
	    !starts(w, n, "...") && !starts(w, n, "suppressed:");
}

static int
ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '$';
}

/*
 * Is w[k..colon) an exception class name?  "javax.mail.Messaging
 * Exception", "SSLHandshakeException"; "java.lang.Error"-like names
 * only with a package (a bare "Error:" is ordinary text).
 */
static int
class_name(const char *w, size_t k, size_t colon)
{
	size_t n = colon - k;

	if (n > 9 && memcmp(w + colon - 9, "exception", 9) == 0)
		return 1;
	return n > 5 && memcmp(w + colon - 5, "error", 5) == 0 &&
	    memchr(w + k, '.', n) != NULL;
}

/* Appends the nesting events of line [ls, le) to *ev. */
static enum sw_err
line_events(struct scan *sc, size_t ls, size_t le, struct ev **ev,
    size_t *nev, size_t *cap)
{
	const char *w = sc->w;
	struct ev e, *v;
	size_t i, k;

	*nev = 0;
	for (i = ls; i < le; i++) {
		e.kind = EV_NEST;
		if (w[i] == 'c' && starts(w + i, le - i, "caused by:"))
			e.pos = i;
		else if (w[i] == 'n' && starts(w + i, le - i,
		    "nested exception is"))
			e.pos = i;
		else if (w[i] == ':') {
			for (k = i; k > ls && ident_char(w[k - 1]); k--)
				;
			if (!class_name(w, k, i))
				continue;
			e.pos = k;
			e.kind = EV_CLASS;
		} else
			continue;
		if (*nev == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			if ((v = realloc(*ev, *cap * sizeof(*v))) == NULL)
				return sw_fail(sc->err, SW_ENOMEM,
				    "out of memory");
			*ev = v;
		}
		(*ev)[(*nev)++] = e;
	}
	return SW_OK;
}

static size_t
digits(const char *s, size_t i, size_t n, size_t want)
{
	size_t k;

	for (k = 0; k < want; k++)
		if (i + k >= n || !isdigit((unsigned char)s[i + k]))
			return 0;
	return want;
}

/* "HH:MM:SS" with optional ",123"/".123" and zone; its length or 0. */
static size_t
clock_at(const char *s, size_t i, size_t n)
{
	size_t k = i;

	if (!digits(s, k, n, 2) || k + 2 >= n || s[k + 2] != ':' ||
	    !digits(s, k + 3, n, 2) || k + 5 >= n || s[k + 5] != ':' ||
	    !digits(s, k + 6, n, 2))
		return 0;
	k += 8;
	if (k + 1 < n && (s[k] == '.' || s[k] == ',') &&
	    isdigit((unsigned char)s[k + 1]))
		for (k++; k < n && isdigit((unsigned char)s[k]); k++)
			;
	if (k < n && s[k] == 'Z')
		k++;
	else if (k + 4 < n && (s[k] == '+' || s[k] == '-') &&
	    digits(s, k + 1, n, 2) && (digits(s, k + 3, n, 2) ||
	    (s[k + 3] == ':' && digits(s, k + 4, n, 2))))
		k += s[k + 3] == ':' ? 6 : 5;
	return k - i;
}

/*
 * A time stamp at the start of a log line: "2024-03-14 09:12:44.118+0100"
 * (also with T or /), "14.03.2024 09:12:44", "14-Mar-2024 09:12:44.118"
 * (Tomcat), "Mar 14 09:12:44" (syslog), optionally in "[...]".  Returns
 * its length from s (the bracket included), 0 when there is none.
 */
static size_t
stamp_at(const char *s, size_t n)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	size_t i = s[0] == '[' ? 1 : 0, c = 0, k;

	if (digits(s, i, n, 4) && i + 10 < n && (s[i + 4] == '-' ||
	    s[i + 4] == '/') && digits(s, i + 5, n, 2) &&
	    s[i + 7] == s[i + 4] && digits(s, i + 8, n, 2) &&
	    (s[i + 10] == ' ' || s[i + 10] == 'T'))
		c = clock_at(s, i + 11, n) ? i + 11 : 0;
	else if (digits(s, i, n, 2) && i + 10 < n && s[i + 2] == '.' &&
	    digits(s, i + 3, n, 2) && s[i + 5] == '.' &&
	    digits(s, i + 6, n, 4) && s[i + 10] == ' ')
		c = i + 11;
	else if (digits(s, i, n, 2) && i + 11 < n && s[i + 2] == '-' &&
	    s[i + 6] == '-' && digits(s, i + 7, n, 4) && s[i + 11] == ' ')
		c = i + 12;
	else if (i + 7 < n && isalpha((unsigned char)s[i]) && s[i + 3] ==
	    ' ') {
		for (k = 0; k < 36; k += 3)
			if (strncasecmp(s + i, months + k, 3) == 0)
				break;
		if (k < 36 && (s[i + 4] == ' ' || isdigit((unsigned char)
		    s[i + 4])) && isdigit((unsigned char)s[i + 5]) &&
		    s[i + 6] == ' ')
			c = i + 7;
	}
	if (c == 0 || (k = clock_at(s, c, n)) == 0)
		return 0;
	c += k;
	if (i == 1 && c < n && s[c] == ']')
		c++;
	return c;
}

/*
 * Incidents: with time stamps, each stamped log line starts one (lines
 * after it without a stamp, such as a stack trace, belong to it; the
 * same stamp twice in a row is one incident); until the first stamp,
 * each new exception chain starts one.
 */
static enum sw_err
incident_line(struct scan *sc, size_t ls, size_t le, int chain)
{
	struct stamp *v, *last;
	size_t n = stamp_at(sc->text + ls, le - ls);

	/* A JDK debug log line ("javax.net.ssl|DEBUG|...") is not a log
	 * record: -Djavax.net.debug output interleaves with the log. */
	if ((le - ls > 14 && memcmp(sc->text + ls, "javax.net.ssl|", 14) ==
	    0) || memmem(sc->w + ls, le - ls, ", handling exception: ", 22))
		return SW_OK;	/* the legacy format's "main, handling ..." */
	last = sc->ninc ? &sc->inc[sc->ninc - 1] : NULL;
	if (n == 0 && (!chain || (last != NULL && last->len > 0)))
		return SW_OK;
	if (n > 0 && last != NULL && last->len == n &&
	    memcmp(sc->text + last->off, sc->text + ls, n) == 0)
		return SW_OK;
	if (sc->ninc == sc->inccap) {
		unsigned cap = sc->inccap ? sc->inccap * 2 : 64;

		if ((v = realloc(sc->inc, cap * sizeof(*v))) == NULL)
			return sw_fail(sc->err, SW_ENOMEM, "out of memory");
		sc->inc = v;
		sc->inccap = cap;
	}
	sc->inc[sc->ninc++] = (struct stamp){ ls, n };
	return SW_OK;
}

/*
 * Gives every occurrence (sorted by start) its nesting depth and its
 * incident: one pass over the lines up to the last occurrence,
 * replaying the chain's events.
 */
static enum sw_err
assign_depths(struct scan *sc)
{
	struct depth_state d = { 0, 0, 1 };
	struct ev *ev = NULL;
	size_t nev = 0, cap = 0, ls = 0, le, i = 0, k;
	const char *nl;
	int chain;
	enum sw_err rc = SW_OK;

	while (i < sc->n && ls <= sc->len) {
		nl = memchr(sc->w + ls, '\n', sc->len - ls);
		le = nl ? (size_t)(nl - sc->w) : sc->len;
		if ((chain = chain_start(sc->w + ls, le - ls)))
			d = (struct depth_state){ 0, 0, 1 };
		if ((rc = line_events(sc, ls, le, &ev, &nev, &cap)) != SW_OK)
			break;
		/* Without time stamps an incident starts with an exception
		 * at column 0, not with any unindented line. */
		for (k = 0; chain && k < nev && ev[k].kind != EV_CLASS; k++)
			;
		if ((rc = incident_line(sc, ls, le, chain && k < nev)) !=
		    SW_OK)
			break;
		for (k = 0; i < sc->n && sc->raw[i].start <= le; i++) {
			for (; k < nev && ev[k].pos <= sc->raw[i].start; k++)
				depth_event(&d, ev[k].kind);
			sc->raw[i].depth = d.depth;
			sc->raw[i].incident = sc->ninc;
		}
		for (; k < nev; k++)
			depth_event(&d, ev[k].kind);
		ls = le + 1;
	}
	free(ev);
	return rc;
}

/* Orders occurrences by what they are, then by position. */
static int
by_hit(const void *a, const void *b)
{
	const struct raw *x = a, *y = b;
	int kx[4] = { x->code, x->enh.cls, x->enh.subj, x->enh.detail };
	int ky[4] = { y->code, y->enh.cls, y->enh.subj, y->enh.detail };
	int i;

	if (x->x != y->x)
		return (uintptr_t)x->x < (uintptr_t)y->x ? -1 : 1;
	for (i = 0; i < 4; i++)
		if (kx[i] != ky[i])
			return kx[i] < ky[i] ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

static int
hit_order(const void *a, const void *b)
{
	const struct raw *x = a, *y = b;

	if (x->incident != y->incident)
		return x->incident > y->incident ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth > y->depth ? -1 : 1;
	if (x->x->pub.is_reply != y->x->pub.is_reply)
		return x->x->pub.is_reply ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/*
 * Keeps one raw per distinct hit (entry, reply code, enhanced code):
 * its latest occurrence, with the deepest depth any occurrence had and
 * the number of incidents it occurred in.
 */
static size_t
dedupe(struct scan *sc)
{
	size_t i, n = 0;
	struct raw *last;
	int depth;

	qsort(sc->raw, sc->n, sizeof(*sc->raw), by_hit);
	for (i = 0; i < sc->n; i++) {
		struct raw *r = &sc->raw[i];

		if (r->dropped)
			continue;
		last = n > 0 ? &sc->raw[n - 1] : NULL;
		if (last != NULL && last->x == r->x &&
		    last->code == r->code &&
		    memcmp(&last->enh, &r->enh, sizeof(r->enh)) == 0) {
			depth = r->depth > last->depth ? r->depth :
			    last->depth;
			/* The first line of the latest incident: the fullest
			 * text, usually, before "Caused by:" repeats it. */
			/* Text before the first incident (a debug log's
			 * lines) belongs to the incident that follows. */
			if (r->incident != last->incident) {
				last->count += last->incident != 0;
				last->start = r->start;
				last->end = r->end;
			}
			last->incident = r->incident;
			last->depth = depth;
			continue;
		}
		sc->raw[n] = *r;
		sc->raw[n++].count = 1;
	}
	return n;
}

/* Incidents that hold at least one hit (raw sorted by start). */
static unsigned
count_incidents(const struct scan *sc)
{
	unsigned n = 0, cur = 0;
	size_t i;

	for (i = 0; i < sc->n; i++)
		if (!sc->raw[i].dropped && (n == 0 ||
		    sc->raw[i].incident != cur)) {
			n += n == 0 || cur != 0;
			cur = sc->raw[i].incident;
		}
	return n;
}

/* A transient failure: a 4xx reply, or an entry that says so. */
static int
hit_temporary(const struct raw *r)
{
	if (r->code != 0)
		return r->code / 100 == 4;
	if (r->enh.cls != 0)
		return r->enh.cls == 4;
	return r->x->pub.temporary == EXPLAIN_TEMP_YES;
}

static void
hit_fill(const struct explain_db *db, const struct scan *sc,
    const struct raw *r, struct explain_hit *h)
{
	const struct stamp *st;

	h->entry = &r->x->pub;
	h->offset = r->start;
	h->depth = r->depth;
	h->code = r->code;
	replycode_enh_format(&r->enh, h->enhanced, sizeof(h->enhanced));
	explain_enh_describe(db, h->enhanced, &h->enh);
	h->temporary = hit_temporary(r);
	h->count = r->count;
	h->incident = r->incident;
	h->when[0] = '\0';
	if (r->incident > 0 && r->incident <= sc->ninc) {
		st = &sc->inc[r->incident - 1];
		sanitize(sc->text + st->off, st->len, h->when,
		    sizeof(h->when), 0);
		if (h->when[0] == '[')
			memmove(h->when, h->when + 1, strlen(h->when));
		if (h->when[0] != '\0' && h->when[strlen(h->when) - 1] == ']')
			h->when[strlen(h->when) - 1] = '\0';
	}
}

static int
utf8_cont(const char *t, size_t i)
{
	return ((unsigned char)t[i] & 0xc0) == 0x80;
}

/*
 * The line around an occurrence, for people: leading and trailing
 * blanks trimmed, a long line cut to a window around the match with
 * "..." where it was cut, sanitised.
 */
static void
excerpt(const struct scan *sc, size_t start, char *out, size_t cap)
{
	const char *w = sc->w;
	size_t ls = start, le, a, b, o = 0;
	const char *nl;

	while (ls > 0 && w[ls - 1] != '\n')
		ls--;
	nl = memchr(w + start, '\n', sc->len - start);
	le = nl ? (size_t)(nl - w) : sc->len;
	while (ls < le && (w[ls] == ' ' || w[ls] == '\t'))
		ls++;
	while (le > ls && (w[le - 1] == ' ' || w[le - 1] == '\t'))
		le--;
	a = ls;
	b = le;
	if (le - ls > EXCERPT_LINE) {
		/* Keep the start of the line (the exception class) when the
		 * match is near it; else begin at a word before the match. */
		a = start > ls + 100 ? start - 40 : ls;
		while (a > ls && a < start && w[a - 1] != ' ')
			a++;
		b = a + EXCERPT_LINE < le ? a + EXCERPT_LINE : le;
		while (a > ls && a < b && utf8_cont(sc->text, a))
			a++;
		while (b < le && b > a && utf8_cont(sc->text, b))
			b--;
	}
	if (a > ls)
		o = (size_t)snprintf(out, cap, "...");
	o += sanitize(sc->text + a, b - a, out + o, cap - o - 4, 0);
	if (b < le && o + 4 <= cap)
		memcpy(out + o, "...", 4);
}

enum sw_err
explain_text(const struct explain_db *db, const char *text, size_t len,
    struct explain_result *res, struct sw_error *err)
{
	struct scan sc = { .text = text, .len = len, .err = err };
	const struct xentry *x;
	struct explain_hit *h;
	size_t i, k, n;
	enum sw_err rc = SW_OK;

	memset(res, 0, sizeof(*res));
	if (len > EXPLAIN_INPUT_MAX)
		return sw_fail(err, SW_EUSAGE, "the text is %zu bytes; the "
		    "limit is %u MiB: pass the part around the error",
		    len, EXPLAIN_INPUT_MAX >> 20);
	if ((sc.w = working_copy(text, len)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	for (i = 0; i < db->n && rc == SW_OK; i++) {
		x = db->v[i];
		for (k = 0; k < x->nmatch && rc == SW_OK; k++)
			rc = x->match[k].lit != NULL ?
			    find_literal(&sc, x, &x->match[k]) :
			    find_regex(&sc, x, &x->match[k]);
	}
	if (rc == SW_OK)
		rc = find_replies(&sc, db);
	if (rc != SW_OK || sc.n == 0)
		goto out;
	qsort(sc.raw, sc.n, sizeof(*sc.raw), by_start);
	drop_contained(&sc);
	if ((rc = assign_depths(&sc)) != SW_OK)
		goto out;
	res->incidents = count_incidents(&sc);
	n = dedupe(&sc);
	qsort(sc.raw, n, sizeof(*sc.raw), hit_order);
	for (i = 0; i < n; i++) {
		if (res->n == EXPLAIN_HITS_MAX) {
			res->dropped = n - i;
			break;
		}
		h = &res->hits[res->n++];
		hit_fill(db, &sc, &sc.raw[i], h);
		excerpt(&sc, sc.raw[i].start, h->match, sizeof(h->match));
	}
out:
	free(sc.inc);
	free(sc.raw);
	free(sc.w);
	return rc;
}
