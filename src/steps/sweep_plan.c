/*
 * The sweep's pure half: the plan that decides which ClientHellos to
 * send -- one version probe per version, then the enumeration ("offer
 * every candidate not yet seen, drop the suite chosen, repeat"),
 * whether the server imposes its own order, chains split over idle
 * connections when probes are slow, retries after transient failures
 * -- together with what a server's answer means for it
 * (sweep_classify()) and how many suites one hello can carry
 * (sweep_max_offer()).  How many connections may be open and when the
 * next may start is sweep_pace.c's.  No I/O, no clock of its own, no
 * globals: tests/unit/test_sweep.c drives it on a simulated clock.  The
 * sockets are sweep_run.c's.  See sweep.h for the contract; the why of
 * each rule is next to it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "sweep_int.h"

#define SPLIT_MIN	2	/* candidates each half keeps at least */
#define SPLIT_EST_MIN	1	/* suites a chain must still expect */

/* ======================================================================
 * The plan
 * ====================================================================== */

enum order { ORD_UNKNOWN, ORD_CLIENT, ORD_SERVER, ORD_CONFLICT };
enum slot_state { SLOT_FREE, SLOT_WAITING, SLOT_INFLIGHT };

/*
 * A chain enumerates one slice of a version's candidates: offer what is
 * left, drop the suite chosen, repeat until the server refuses or
 * nothing is left.  Chains of one version hold disjoint candidates; a
 * sorting chain re-enumerates suites already found, only to learn the
 * server's order across chains (needed only when the candidates did not
 * fit one hello).
 */
struct chain {
	int		 ver;
	uint16_t	*cand;
	size_t		 ncand;
	uint16_t	*picked;	/* chosen, in the order chosen */
	size_t		 npicked;
	int		 started;
	int		 version_probe;	/* first answer decides the version */
	int		 busy;
	int		 done;
	int		 incomplete;	/* ended without a refusal */
	int		 sorting;
	int		 waiting;	/* for its version's source (infer) */
	int		 tail;		/* offers what its source did not
					   find: expects its refusal */
	unsigned	 hits, seen;	/* picks / candidates settled, for
					   the density estimate */
};

struct slot {
	enum slot_state	 state;
	unsigned	 id;
	enum sweep_kind	 kind;
	int		 ver;
	int		 chain;		/* -1 for order probes */
	uint16_t	*suites;
	size_t		 nsuites;
	int		 attempt;
	int		 closes;	/* deaths right after the hello */
	int64_t		 not_before;
	int64_t		 started;	/* when issued */
	int		 open;		/* ours in flight then */
	uint16_t	 pair_a;	/* order probe: the suite the
					   forward offer chose */
};

struct vstate {
	struct sweep_vresult r;
	int		 probe;		/* this version is probed */
	uint16_t	*all;		/* candidates, offer order */
	size_t		 nall;
	uint16_t	*found;		/* accepted, discovery order */
	size_t		 nfound;
	int		 vprobes, vanswers, vrefused, vunknown;
	enum order	 order;
	int		 order_probe;	/* 0 none, 1 out, 2 answered */
	int		 finalized;
	int		 sorted;	/* a sorting chain was made */
	int		 src;		/* infer suites from this version's
					   (apply_sources()); -1: none */
	int		 src_applied;
	uint16_t	*refused;	/* offered in a hello it refused */
	size_t		 nrefused;
};

struct sweep_plan {
	struct sweep_cfg cfg;
	struct vstate	 v[SWEEP_NVERS];
	struct chain	*chains;
	size_t		 nchains, chains_cap;
	struct slot	*slots;
	size_t		 nslots;
	unsigned	 next_id;
	int		 inflight;
	int		 healthy;	/* the server accepted some hello */
	int64_t		 lat_ms;	/* smoothed duration of a probe */
	int		 splits;	/* chains added for speed */
	struct sweep_pace pace;		/* sweep_pace.c */
	int		 seeded;	/* cfg's pacing applied */
	char		 fatal[160];
	struct sweep_counts counts;
};

static void	finalize(struct sweep_plan *, int);
static void	order_probe(struct sweep_plan *, int);

static int
suite_index(const struct vstate *vs, uint16_t s)
{
	size_t i;

	for (i = 0; i < vs->nall; i++)
		if (vs->all[i] == s)
			return (int)i;
	return -1;
}

static void
remove_suite(uint16_t *list, size_t *n, uint16_t s)
{
	size_t i, o = 0;

	for (i = 0; i < *n; i++)
		if (list[i] != s)
			list[o++] = list[i];
	*n = o;
}

static uint16_t *
dup_suites(const uint16_t *s, size_t n)
{
	uint16_t *d = malloc((n ? n : 1) * sizeof(*d));

	if (d != NULL && n > 0)
		memcpy(d, s, n * sizeof(*d));
	return d;
}

/* Appends a chain; returns its index or -1 (no memory). */
static int
chain_add(struct sweep_plan *pl, int ver, const uint16_t *cand, size_t n)
{
	struct chain *c;

	if (pl->nchains == pl->chains_cap) {
		size_t cap = pl->chains_cap ? pl->chains_cap * 2 : 16;
		struct chain *nc = realloc(pl->chains, cap * sizeof(*nc));

		if (nc == NULL)
			return -1;
		pl->chains = nc;
		pl->chains_cap = cap;
	}
	c = &pl->chains[pl->nchains];
	memset(c, 0, sizeof(*c));
	c->ver = ver;
	c->cand = dup_suites(cand, n);
	c->picked = malloc((n ? n : 1) * sizeof(uint16_t));
	if (c->cand == NULL || c->picked == NULL) {
		free(c->cand);
		free(c->picked);
		return -1;
	}
	c->ncand = n;
	return (int)pl->nchains++;
}

static void
set_why(char *dst, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_why(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (dst[0] != '\0')
		return;			/* the first reason wins */
	va_start(ap, fmt);
	vsnprintf(dst, cap, fmt, ap);
	va_end(ap);
}

/* Version i as an earlier sweep left it, or its chunked chains. */
static int
plan_version(struct sweep_plan *pl, int i)
{
	const struct sweep_cfg *cfg = &pl->cfg;
	struct vstate *vs = &pl->v[i];
	size_t max = cfg->max_offer[i] ? cfg->max_offer[i] : vs->nall;
	size_t off;
	int probed = (cfg->versions >> i) & 1;

	vs->r.complete = TRI_UNKNOWN;
	vs->r.server_order = TRI_UNKNOWN;
	if (!probed || cfg->known[i] == TRI_NO) {
		vs->r.accepted = cfg->known[i];
		if (cfg->known_why[i] != NULL)
			snprintf(vs->r.why, sizeof(vs->r.why), "%s",
			    cfg->known_why[i]);
		else if (!probed)
			snprintf(vs->r.why, sizeof(vs->r.why), "not probed");
		vs->finalized = 1;
		return 0;
	}
	if (vs->nall == 0) {
		vs->r.accepted = TRI_UNKNOWN;
		snprintf(vs->r.why, sizeof(vs->r.why), "no cipher suite to "
		    "offer for %s", hello_version_name(SWEEP_VERSION(i)));
		vs->finalized = 1;
		return 0;
	}
	vs->probe = 1;
	if (max == 0)
		max = vs->nall;
	/* Candidate lists longer than one hello holds become several
	 * chains; each one's first hello is a version probe. */
	for (off = 0; off < vs->nall; off += max) {
		size_t n = vs->nall - off < max ? vs->nall - off : max;
		int c = chain_add(pl, i, vs->all + off, n);

		if (c < 0)
			return -1;
		pl->chains[c].version_probe = cfg->known[i] != TRI_YES;
		vs->vprobes += pl->chains[c].version_probe;
		if (cfg->known[i] == TRI_YES && cfg->first_inferred[i] &&
		    hello_list_has(vs->all + off, n, cfg->first[i])) {
			struct chain *ch = &pl->chains[c];

			/* Found, but not from this version's own offer:
			 * no pick of the chain (the order test needs
			 * one). */
			remove_suite(ch->cand, &ch->ncand, cfg->first[i]);
			vs->found[vs->nfound++] = cfg->first[i];
			if (!cfg->enumerate || ch->ncand == 0)
				ch->done = 1;
		} else if (cfg->known[i] == TRI_YES &&
		    hello_list_has(vs->all + off, n, cfg->first[i])) {
			struct chain *ch = &pl->chains[c];

			/* The version probe of an earlier sweep is this
			 * chain's first step. */
			ch->started = 1;
			remove_suite(ch->cand, &ch->ncand, cfg->first[i]);
			ch->picked[ch->npicked++] = cfg->first[i];
			vs->found[vs->nfound++] = cfg->first[i];
			if (!cfg->enumerate || ch->ncand == 0)
				ch->done = 1;
		}
	}
	if (cfg->known[i] == TRI_YES) {
		vs->r.accepted = TRI_YES;
		vs->r.first = cfg->first[i];
		vs->r.inferred = cfg->first_inferred[i];
		pl->healthy = 1;
	}
	return 0;
}

/* ======================================================================
 * Inference (none with cfg.exhaustive)
 *
 * Answers the protocol implies, so that no hello is spent on them.
 * Each is reported (sweep_vresult's inferred, ninferred, inferred_from;
 * sweep_counts.inferred) and documented in the man page and README:
 *
 *  - protocol_version.  A server that answers a version probe with the
 *    alert protocol_version (RFC 5246 7.2.2, RFC 8446 6.2) does not
 *    take that version, and -- servers take one contiguous range of
 *    versions (OpenSSL's, GnuTLS's, SChannel's, JSSE's min/max) -- no
 *    older one: the older versions' probes not sent yet are answered
 *    "no" (the version probes go newest first).
 *  - A downgraded ServerHello.  A server that answers a version probe
 *    with a lower version (RFC 5246 E.1) accepts that version and the
 *    suite it names for it: when the lower version's own probe was not
 *    sent yet, it is accepted and the suite found, no hello of its own.
 *  - One suite list below TLS 1.3.  A server picks its TLS 1.0, 1.1 and
 *    1.2 suites from one list (OpenSSL, GnuTLS, SChannel, JSSE, mbedTLS
 *    have no per-version list; what exists for a version is our
 *    candidate lists' business).  So when step 3 found TLS 1.2 (the
 *    highest accepted version up to 1.2: the source) and an older
 *    version accepted, the older one's enumeration waits for the
 *    source's and counts every suite the source accepted that is one
 *    of its candidates; then it offers the rest of its candidates as
 *    usual, so a suite only the older version accepts is still found,
 *    and ends with its refusal.  Its order is the source's.  Found by
 *    the source and refused by the older version is the case this
 *    cannot see; --exhaustive scans every version literally.
 * ====================================================================== */

/* The source of each older version (one suite list); its chains wait. */
static void
plan_sources(struct sweep_plan *pl)
{
	const struct sweep_cfg *cfg = &pl->cfg;
	int k, j;
	size_t c;

	if (cfg->exhaustive || !cfg->enumerate)
		return;
	for (k = 0; k < SWEEP_VIDX(HELLO_TLS12); k++) {
		if (!pl->v[k].probe || cfg->known[k] != TRI_YES)
			continue;
		for (j = SWEEP_VIDX(HELLO_TLS12); j > k; j--)
			if (pl->v[j].probe && cfg->known[j] == TRI_YES)
				break;
		if (j == k)
			continue;
		pl->v[k].src = j;
		for (c = 0; c < pl->nchains; c++)
			if (pl->chains[c].ver == k && !pl->chains[c].done)
				pl->chains[c].waiting = 1;
	}
}

/* The sources that are complete lend their suites to the older
 * versions waiting for them. */
static void
apply_sources(struct sweep_plan *pl)
{
	int k;
	size_t i, c;

	for (k = 0; k < SWEEP_NVERS; k++) {
		struct vstate *vs = &pl->v[k];
		const struct vstate *src;

		if (vs->src < 0 || vs->src_applied ||
		    !pl->v[vs->src].finalized)
			continue;
		src = &pl->v[vs->src];
		vs->src_applied = 1;
		vs->r.inferred_from = SWEEP_VERSION(vs->src);
		for (i = 0; i < src->nfound; i++) {
			uint16_t x = src->found[i];

			/* What this version refused itself stays refused:
			 * its own answer beats the inference. */
			if (suite_index(vs, x) < 0 ||
			    hello_list_has(vs->found, vs->nfound, x) ||
			    hello_list_has(vs->refused, vs->nrefused, x))
				continue;
			vs->found[vs->nfound++] = x;
			vs->r.ninferred++;
			pl->counts.inferred++;
			for (c = 0; c < pl->nchains; c++)
				if (pl->chains[c].ver == k)
					remove_suite(pl->chains[c].cand,
					    &pl->chains[c].ncand, x);
		}
		for (c = 0; c < pl->nchains; c++)
			if (pl->chains[c].ver == k) {
				pl->chains[c].waiting = 0;
				pl->chains[c].tail = 1;
				pl->chains[c].hits = 0;	/* density: its own */
				pl->chains[c].seen = 0;
			}
	}
}

/*
 * Connections would idle while a source's last hellos are out: the
 * older versions waiting for it go now, offering their candidates
 * less what the source found so far -- the source's later finds are
 * then in their offer, and a refusal of it covers the smaller offer
 * they would have made after it.  Saves the round they would wait.
 * Returns 1 when some chain was released.
 */
static int
release_early(struct sweep_plan *pl)
{
	int k, out = 0;
	size_t c, i;

	for (k = 0; k < SWEEP_NVERS; k++) {
		struct vstate *vs = &pl->v[k];
		const struct vstate *src;
		int idle = 0;

		if (vs->src < 0 || vs->src_applied)
			continue;
		src = &pl->v[vs->src];
		/* The source's chains all out, each on a short offer
		 * (its last steps): else the early offer would only find
		 * what the source is about to find. */
		for (c = 0; c < pl->nchains; c++) {
			const struct chain *ch = &pl->chains[c];

			idle |= ch->ver == vs->src && !ch->done && (!ch->busy ||
			    ch->ncand > 2 * SPLIT_MIN);
		}
		if (idle || src->order == ORD_UNKNOWN)
			continue;
		for (c = 0; c < pl->nchains; c++) {
			struct chain *ch = &pl->chains[c];

			if (ch->ver != k || !ch->waiting)
				continue;
			for (i = 0; i < src->nfound; i++)
				remove_suite(ch->cand, &ch->ncand,
				    src->found[i]);
			ch->waiting = 0;
			ch->tail = 1;
			ch->hits = ch->seen = 0;
			out = 1;
		}
	}
	return out;
}

/* Version k's probe was not sent, nor anything else of it. */
static int
untouched(const struct sweep_plan *pl, int k)
{
	const struct vstate *vs = &pl->v[k];
	size_t c;

	if (k < 0 || !vs->probe || vs->finalized ||
	    vs->r.accepted != TRI_UNKNOWN)
		return 0;
	for (c = 0; c < pl->nchains; c++)
		if (pl->chains[c].ver == k && (pl->chains[c].started ||
		    pl->chains[c].busy))
			return 0;
	for (c = 0; c < pl->nslots; c++)
		if (pl->slots[c].state != SLOT_FREE && pl->slots[c].ver == k)
			return 0;
	return 1;
}

/* What version ver's refusal a implies for the older versions. */
static void
infer_versions(struct sweep_plan *pl, int ver, const struct sweep_answer *a)
{
	int k, j = a->version ? SWEEP_VIDX(a->version) : -1;
	size_t c;

	if (pl->cfg.exhaustive)
		return;
	if (a->alert == 70)		/* protocol_version */
		for (k = ver - 1; k >= 0; k--) {
			if (!untouched(pl, k))
				continue;
			pl->v[k].r.accepted = TRI_NO;
			pl->v[k].r.inferred = 1;
			snprintf(pl->v[k].r.why, sizeof(pl->v[k].r.why),
			    "inferred: %s was refused with alert "
			    "protocol_version, so no older version is taken",
			    hello_version_name(SWEEP_VERSION(ver)));
			for (c = 0; c < pl->nchains; c++)
				if (pl->chains[c].ver == k)
					pl->chains[c].done = 1;
			pl->counts.inferred++;
			finalize(pl, k);
		}
	if (j < 0 || j >= ver || !untouched(pl, j) ||
	    suite_index(&pl->v[j], a->suite) < 0)
		return;
	pl->v[j].r.accepted = TRI_YES;
	pl->v[j].r.first = a->suite;
	pl->v[j].r.inferred = 1;
	pl->v[j].found[pl->v[j].nfound++] = a->suite;
	pl->counts.inferred++;
	pl->healthy = 1;
	for (c = 0; c < pl->nchains; c++) {
		struct chain *ch = &pl->chains[c];

		if (ch->ver != j)
			continue;
		pl->v[j].vprobes -= ch->version_probe;
		ch->version_probe = 0;
		remove_suite(ch->cand, &ch->ncand, a->suite);
		if (!pl->cfg.enumerate)
			ch->done = 1;
	}
	finalize(pl, j);
}

struct sweep_plan *
sweep_plan_new(const struct sweep_cfg *cfg, struct sw_error *err)
{
	struct sweep_plan *pl;
	int i;

	if (cfg->concurrency < 0 || cfg->concurrency > SWEEP_CONN_MAX) {
		sw_fail(err, SW_EUSAGE, "concurrency %d outside 1-%d",
		    cfg->concurrency, SWEEP_CONN_MAX);
		return NULL;
	}
	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		goto nomem;
	pl->cfg = *cfg;
	if (pl->cfg.concurrency == 0)
		pl->cfg.concurrency = SWEEP_CONCURRENCY;
	if (pl->cfg.attempts <= 0)
		pl->cfg.attempts = SWEEP_ATTEMPTS;
	if (pl->cfg.backoff_ms <= 0)
		pl->cfg.backoff_ms = SWEEP_BACKOFF_MS;
	if (pl->cfg.split_ms == 0)
		pl->cfg.split_ms = SWEEP_SPLIT_MS;
	for (i = 0; i < SWEEP_NVERS; i++)
		pl->cfg.suites[i] = NULL;	/* borrowed: not kept */
	pace_init(&pl->pace, pl->cfg.concurrency, pl->cfg.backoff_ms);
	for (i = 0; i < SWEEP_NVERS; i++) {
		struct vstate *vs = &pl->v[i];

		vs->src = -1;
		vs->nall = cfg->nsuites[i];
		vs->all = dup_suites(cfg->suites[i], vs->nall);
		vs->found = malloc((vs->nall ? vs->nall : 1) *
		    sizeof(uint16_t));
		vs->refused = malloc((vs->nall ? vs->nall : 1) *
		    sizeof(uint16_t));
		if (vs->all == NULL || vs->found == NULL ||
		    vs->refused == NULL)
			goto nomem;
		if (plan_version(pl, i) < 0)
			goto nomem;
	}
	plan_sources(pl);
	for (i = 0; i < (int)pl->nchains; i++)
		order_probe(pl, i);
	return pl;
nomem:
	sweep_plan_free(pl);
	sw_fail(err, SW_ENOMEM, "out of memory for the sweep plan");
	return NULL;
}

void
sweep_plan_free(struct sweep_plan *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	for (i = 0; i < pl->nchains; i++) {
		free(pl->chains[i].cand);
		free(pl->chains[i].picked);
	}
	for (i = 0; i < pl->nslots; i++)
		free(pl->slots[i].suites);
	for (i = 0; i < SWEEP_NVERS; i++) {
		free(pl->v[i].all);
		free(pl->v[i].found);
		free(pl->v[i].refused);
		free(pl->v[i].r.suites);
	}
	free(pl->chains);
	free(pl->slots);
	free(pl);
}

/* A free slot (grown on demand); NULL without memory. */
static struct slot *
slot_new(struct sweep_plan *pl, enum sweep_kind kind, int ver, int chain,
    const uint16_t *suites, size_t n)
{
	struct slot *s = NULL;
	size_t i;

	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].state == SLOT_FREE) {
			s = &pl->slots[i];
			break;
		}
	if (s == NULL) {
		struct slot *ns = realloc(pl->slots,
		    (pl->nslots + 8) * sizeof(*ns));

		if (ns == NULL)
			return NULL;
		memset(ns + pl->nslots, 0, 8 * sizeof(*ns));
		pl->slots = ns;
		s = &pl->slots[pl->nslots];
		pl->nslots += 8;
	}
	memset(s, 0, sizeof(*s));
	if ((s->suites = dup_suites(suites, n)) == NULL)
		return NULL;
	s->nsuites = n;
	s->state = SLOT_WAITING;
	s->id = ++pl->next_id;
	s->kind = kind;
	s->ver = ver;
	s->chain = chain;
	s->attempt = 1;
	return s;
}

static void
slot_release(struct slot *s)
{
	free(s->suites);
	memset(s, 0, sizeof(*s));
}

static int
slot_issue(struct sweep_plan *pl, int64_t now, struct slot *s,
    struct sweep_probe *p)
{
	s->started = now;
	s->open = pl->inflight;
	s->state = SLOT_INFLIGHT;
	pl->inflight++;
	p->id = s->id;
	p->kind = s->kind;
	p->version = SWEEP_VERSION(s->ver);
	p->suites = s->suites;
	p->nsuites = s->nsuites;
	p->attempt = s->attempt;
	return 1;
}

/* Is any work of version i still open (chains, order probe)? */
static int
version_busy(const struct sweep_plan *pl, int i)
{
	size_t k;

	for (k = 0; k < pl->nchains; k++)
		if (pl->chains[k].ver == i && !pl->chains[k].done)
			return 1;
	for (k = 0; k < pl->nslots; k++)
		if (pl->slots[k].state != SLOT_FREE && pl->slots[k].ver == i)
			return 1;
	return 0;
}

static int
cmp_by_index(const struct vstate *vs, uint16_t a, uint16_t b)
{
	return suite_index(vs, a) - suite_index(vs, b);
}

/* found[] in offer order (insertion sort: lists are short). */
static void
sort_by_offer(const struct vstate *vs, uint16_t *list, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint16_t x = list[i];

		for (j = i; j > 0 && cmp_by_index(vs, list[j - 1], x) > 0; j--)
			list[j] = list[j - 1];
		list[j] = x;
	}
}

/* Position of x in list, or n. */
static size_t
pos_in(const uint16_t *list, size_t n, uint16_t x)
{
	size_t k;

	for (k = 0; k < n && list[k] != x; k++)
		;
	return k;
}

/*
 * Version i took suites from its source (apply_sources()): its order is
 * the source's, one preference list; under the server's order its
 * suites go in the source's order (those only it accepts after them),
 * so no sorting chain is needed.
 */
static void
order_from_source(struct sweep_plan *pl, int i)
{
	struct vstate *vs = &pl->v[i];
	const struct sweep_vresult *sr = &pl->v[vs->src].r;
	size_t a, b;

	if (vs->order != ORD_UNKNOWN || vs->r.ninferred == 0)
		return;
	if (sr->server_order == TRI_YES)
		vs->order = ORD_SERVER;
	else if (sr->server_order == TRI_NO)
		vs->order = ORD_CLIENT;
	else
		return;
	vs->r.order_inferred = 1;
	vs->sorted = 1;
	if (vs->order != ORD_SERVER || sr->suites == NULL)
		return;
	for (a = 1; a < vs->nfound; a++) {	/* stable insertion sort */
		uint16_t x = vs->found[a];
		size_t px = pos_in(sr->suites, sr->nsuites, x);

		for (b = a; b > 0 && pos_in(sr->suites, sr->nsuites,
		    vs->found[b - 1]) > px; b--)
			vs->found[b] = vs->found[b - 1];
		vs->found[b] = x;
	}
}

/*
 * All work of version i is over: write its result.  Under server order
 * the enumeration order is the server's, but only within one chain;
 * when the candidates were spread over several chains, one more chain
 * re-enumerates the suites found to learn the order across them.
 */
static void
finalize(struct sweep_plan *pl, int i)
{
	struct vstate *vs = &pl->v[i];
	struct sweep_vresult *r = &vs->r;
	size_t k, nwith = 0, out = 0;
	int incomplete = 0, sorter = -1;

	if (vs->finalized || version_busy(pl, i))
		return;
	if (vs->src >= 0 && !vs->src_applied && pl->fatal[0] == '\0' &&
	    !pl->v[vs->src].finalized)
		return;			/* released early: the source's
					   suites are still to come */
	if (vs->src >= 0 && !vs->src_applied && pl->fatal[0] == '\0') {
		apply_sources(pl);
		if (version_busy(pl, i))
			return;
	}
	if (vs->src_applied)
		order_from_source(pl, i);
	for (k = 0; k < pl->nchains; k++) {
		const struct chain *c = &pl->chains[k];

		if (c->ver != i)
			continue;
		if (c->sorting)
			sorter = (int)k;
		else {
			nwith += c->npicked > 0;
			incomplete |= c->incomplete;
		}
	}
	if (pl->cfg.enumerate && vs->order == ORD_SERVER && nwith > 1 &&
	    !vs->sorted && pl->fatal[0] == '\0' &&
	    (pl->cfg.max_offer[i] == 0 || vs->nfound <= pl->cfg.max_offer[i])) {
		sort_by_offer(vs, vs->found, vs->nfound);
		if (chain_add(pl, i, vs->found, vs->nfound) >= 0) {
			pl->chains[pl->nchains - 1].sorting = 1;
			vs->sorted = 1;
			return;
		}
	}
	vs->finalized = 1;
	if (r->accepted == TRI_UNKNOWN && vs->vanswers == vs->vprobes &&
	    vs->vprobes > 0 && vs->vunknown == 0)
		r->accepted = TRI_NO;
	if (r->accepted == TRI_UNKNOWN && pl->fatal[0] != '\0')
		set_why(r->why, sizeof(r->why), "%s", pl->fatal);
	if (!pl->cfg.enumerate || r->accepted != TRI_YES)
		return;
	r->suites = malloc((vs->nfound ? vs->nfound : 1) * sizeof(uint16_t));
	if (r->suites == NULL) {
		r->complete = TRI_UNKNOWN;
		set_why(r->incomplete_why, sizeof(r->incomplete_why),
		    "out of memory");
		return;
	}
	if (vs->order == ORD_SERVER && sorter >= 0) {
		const struct chain *c = &pl->chains[sorter];

		for (k = 0; k < c->npicked; k++)
			r->suites[out++] = c->picked[k];
		if (c->incomplete)
			set_why(r->order_why, sizeof(r->order_why), "the "
			    "order of the last %zu suites is unknown",
			    vs->nfound - out);
		/* What the sorting chain did not reach: offer order. */
		sort_by_offer(vs, vs->found, vs->nfound);
		for (k = 0; k < vs->nfound; k++)
			if (!hello_list_has(r->suites, out, vs->found[k]))
				r->suites[out++] = vs->found[k];
	} else {
		memcpy(r->suites, vs->found, vs->nfound * sizeof(uint16_t));
		out = vs->nfound;
		if (vs->order != ORD_SERVER)
			sort_by_offer(vs, r->suites, out);
	}
	r->nsuites = out;
	r->complete = incomplete ? TRI_UNKNOWN : TRI_YES;
	if (incomplete && pl->fatal[0] != '\0')
		set_why(r->incomplete_why, sizeof(r->incomplete_why), "%s",
		    pl->fatal);
	/* The reversed offer answers like a server's own order when the
	 * server has one suite only: then there is none to find. */
	if (vs->nfound < 2)
		set_why(r->order_why, sizeof(r->order_why), "fewer than two "
		    "suites: no order to find");
	else if (vs->order == ORD_SERVER)
		r->server_order = TRI_YES;
	else if (vs->order == ORD_CLIENT)
		r->server_order = TRI_NO;
	else if (vs->order == ORD_CONFLICT)
		set_why(r->order_why, sizeof(r->order_why), "the server's "
		    "choices follow neither its own order nor the client's");
}

static void
set_order(struct vstate *vs, enum order o)
{
	if (vs->order == ORD_UNKNOWN)
		vs->order = o;
	else if (vs->order != o)
		vs->order = ORD_CONFLICT;
}

/*
 * Honouring the client's order, a server passed over every candidate
 * before the one it chose: none of them is accepted.  Drops them from
 * chain c (all of c's offers were in offer order).
 */
static void
prune_before(const struct vstate *vs, struct chain *c, uint16_t chosen)
{
	int at = suite_index(vs, chosen);
	size_t k, o = 0;

	for (k = 0; k < c->ncand; k++)
		if (suite_index(vs, c->cand[k]) > at)
			c->cand[o++] = c->cand[k];
	c->seen += (unsigned)(c->ncand - o);
	c->ncand = o;
}

/* Client order just became known for version i: prune its chains. */
static void
client_order_known(struct sweep_plan *pl, int i)
{
	size_t k;

	for (k = 0; k < pl->nchains; k++) {
		struct chain *c = &pl->chains[k];

		if (c->ver == i && !c->sorting && c->npicked > 0 && !c->done)
			prune_before(&pl->v[i], c, c->picked[c->npicked - 1]);
	}
}

/*
 * The order test, from the offer already made.  A chain's first hello
 * offered its candidates in our order and the server chose a.  One
 * hello offering the same candidates in the reverse order decides: a
 * server that imposes its own order chooses a again; one that honours
 * the client's chooses the last of them it accepts, z -- a suite found
 * (the enumeration does not offer it again), and every candidate after
 * z in our order is then known refused (feed_order()).  A server that
 * accepts only a also answers a: with fewer than two suites there is
 * no order to find (finalize()).  That is sslscan's "two suites in
 * both orders", at no extra connection when the server honours the
 * client's order, and sent with the chain's second hello, so the order
 * is known after one round and chains can be split from the second.
 */
static void
order_probe(struct sweep_plan *pl, int ci)
{
	struct chain *c = &pl->chains[ci];
	struct vstate *vs = &pl->v[c->ver];
	uint16_t *rev;
	size_t n = c->ncand + 1, k;
	struct slot *s;

	if (c->sorting || c->npicked != 1 || c->ncand == 0 ||
	    !pl->cfg.enumerate || vs->order_probe != 0 ||
	    vs->order != ORD_UNKNOWN || vs->src >= 0)
		return;
	if ((rev = malloc(n * sizeof(*rev))) == NULL)
		return;
	memcpy(rev, c->cand, c->ncand * sizeof(*rev));
	rev[c->ncand] = c->picked[0];
	sort_by_offer(vs, rev, n);
	for (k = 0; k < n / 2; k++) {
		uint16_t t = rev[k];

		rev[k] = rev[n - 1 - k];
		rev[n - 1 - k] = t;
	}
	s = slot_new(pl, SWEEP_K_ORDER, c->ver, -1, rev, n);
	free(rev);
	if (s == NULL)
		return;
	s->pair_a = pl->chains[ci].picked[0];
	vs->order_probe = 1;
}

/*
 * The next two suites a chain found, a then b: b was in the offer that
 * chose a (it was not seen yet), so if b comes first in our order, the
 * server skipped the client's preference -- it imposes its own.  Free.
 */
static void
order_evidence(struct sweep_plan *pl, struct chain *c)
{
	struct vstate *vs = &pl->v[c->ver];

	if (c->sorting || c->npicked < 2 || !pl->cfg.enumerate)
		return;
	if (suite_index(vs, c->picked[c->npicked - 1]) <
	    suite_index(vs, c->picked[c->npicked - 2]))
		set_order(vs, ORD_SERVER);
}

/*
 * Decides what a RETRY answer becomes.  Returns 1 when the probe was
 * queued again; 0 when a is final (possibly turned into a REFUSE).
 */
static int
retry(struct sweep_plan *pl, int64_t now, struct slot *s,
    struct sweep_answer *a)
{
	int max = a->timeout ? 2 : pl->cfg.attempts, paced = 0;

	if (a->after_hello) {
		/* A close (or silence) right after the hello, twice, from
		 * a server that accepts other hellos, is its way to say
		 * no: SChannel resets, some servers never answer an SSLv3
		 * hello.  Before any hello was accepted it stays unknown. */
		if (++s->closes >= 2 && pl->healthy) {
			char why[sizeof(a->reason)];

			snprintf(why, sizeof(why), "%s", a->reason);
			a->outcome = SWEEP_REFUSE;
			snprintf(a->reason, sizeof(a->reason), "%.100s, "
			    "without an alert (%d times)", why, s->closes);
			return 0;
		}
	} else
		paced = pace_refused(&pl->pace, now, s->started, s->open);
	if (s->attempt >= max)
		return 0;
	s->attempt++;
	s->state = SLOT_WAITING;
	s->not_before = pace_retry_at(&pl->pace, now, s->attempt, paced);
	pl->counts.retries++;
	return 1;
}

/* A chain's answer: the enumeration step. */
static void
feed_chain(struct sweep_plan *pl, struct slot *s, const struct sweep_answer *a)
{
	struct chain *c = &pl->chains[s->chain];
	struct vstate *vs = &pl->v[c->ver];
	int first = c->version_probe && c->npicked == 0 && !c->incomplete;
	size_t k;

	c->busy = 0;
	if (first) {
		vs->vanswers++;
		if (a->outcome == SWEEP_REFUSE)
			vs->vrefused++;
		else if (a->outcome != SWEEP_ACCEPT)
			vs->vunknown++;
	}
	switch (a->outcome) {
	case SWEEP_ACCEPT:
		/* Found already by the order test running beside this
		 * hello: a pick all the same, counted once. */
		remove_suite(c->cand, &c->ncand, a->suite);
		c->picked[c->npicked++] = a->suite;
		c->hits++;
		c->seen++;
		if (!c->sorting &&
		    !hello_list_has(vs->found, vs->nfound, a->suite))
			vs->found[vs->nfound++] = a->suite;
		if (vs->r.accepted != TRI_YES) {
			vs->r.accepted = TRI_YES;
			vs->r.why[0] = '\0';
			vs->r.first = a->suite;
			vs->r.downgrade = a->downgrade;
			vs->r.hrr = a->hrr;
		}
		if (vs->order == ORD_CLIENT && !c->sorting)
			prune_before(vs, c, a->suite);
		order_evidence(pl, c);
		order_probe(pl, s->chain);
		if (c->ncand == 0 || (!pl->cfg.enumerate && !c->sorting))
			c->done = 1;
		break;
	case SWEEP_REFUSE:
		c->done = 1;
		if (!c->sorting)
			for (k = 0; k < s->nsuites; k++)
				if (!hello_list_has(vs->refused, vs->nrefused,
				    s->suites[k]))
					vs->refused[vs->nrefused++] =
					    s->suites[k];
		if (first && vs->r.accepted != TRI_YES)
			set_why(vs->r.why, sizeof(vs->r.why), "%s", a->reason);
		if (first)
			infer_versions(pl, c->ver, a);
		break;
	default:
		c->done = c->incomplete = 1;
		if (first && vs->r.accepted != TRI_YES)
			set_why(vs->r.why, sizeof(vs->r.why), "%s", a->reason);
		set_why(vs->r.incomplete_why, sizeof(vs->r.incomplete_why),
		    "%s", a->reason);
		break;
	}
}

/*
 * Honouring the client's order, a server passed over every candidate
 * after z in our order when it chose z from the reversed offer: none of
 * them is accepted.  Drops them from version i's chains.
 */
static void
prune_after(struct sweep_plan *pl, int i, uint16_t z, const uint16_t *offer,
    size_t n)
{
	const struct vstate *vs = &pl->v[i];
	int at = suite_index(vs, z);
	size_t k, j, o;

	for (k = 0; k < pl->nchains; k++) {
		struct chain *c = &pl->chains[k];

		if (c->ver != i || c->sorting || c->done)
			continue;
		for (j = 0, o = 0; j < c->ncand; j++)
			if (suite_index(vs, c->cand[j]) < at ||
			    !hello_list_has(offer, n, c->cand[j]))
				c->cand[o++] = c->cand[j];
		c->ncand = o;	/* not "seen": outside the accepted
				   stretch, they say nothing of its
				   density (expect_left()) */
	}
}

/* The reversed offer's answer (order_probe()). */
static void
feed_order(struct sweep_plan *pl, struct slot *s, const struct sweep_answer *a)
{
	struct vstate *vs = &pl->v[s->ver];
	size_t k;

	vs->order_probe = 2;
	if (a->outcome != SWEEP_ACCEPT) {
		set_why(vs->r.order_why, sizeof(vs->r.order_why), "the order "
		    "test got no answer: %s", a->reason[0] ? a->reason :
		    "refused");
		return;
	}
	if (a->suite == s->pair_a) {
		set_order(vs, ORD_SERVER);
		return;
	}
	set_order(vs, ORD_CLIENT);
	/* z is found: no chain offers it again. */
	if (!hello_list_has(vs->found, vs->nfound, a->suite))
		vs->found[vs->nfound++] = a->suite;
	for (k = 0; k < pl->nchains; k++)
		if (pl->chains[k].ver == s->ver && !pl->chains[k].sorting)
			remove_suite(pl->chains[k].cand, &pl->chains[k].ncand,
			    a->suite);
	if (vs->order == ORD_CLIENT) {
		prune_after(pl, s->ver, a->suite, s->suites, s->nsuites);
		client_order_known(pl, s->ver);
	}
}

static struct slot *
slot_by_id(struct sweep_plan *pl, unsigned id)
{
	size_t i;

	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].state == SLOT_INFLIGHT &&
		    pl->slots[i].id == id)
			return &pl->slots[i];
	return NULL;
}

static void
go_fatal(struct sweep_plan *pl, const char *why)
{
	size_t i;

	set_why(pl->fatal, sizeof(pl->fatal), "%s", why);
	snprintf(pl->counts.fatal, sizeof(pl->counts.fatal), "%s", pl->fatal);
	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].state == SLOT_WAITING) {
			struct slot *s = &pl->slots[i];

			if (s->chain >= 0) {
				pl->chains[s->chain].busy = 0;
				pl->chains[s->chain].done = 1;
				pl->chains[s->chain].incomplete = 1;
			}
			slot_release(s);
		}
	for (i = 0; i < pl->nchains; i++)
		if (!pl->chains[i].done && !pl->chains[i].busy)
			pl->chains[i].done = pl->chains[i].incomplete = 1;
}

void
sweep_plan_feed(struct sweep_plan *pl, int64_t now, const struct sweep_probe *p,
    const struct sweep_answer *ans)
{
	struct slot *s = slot_by_id(pl, p->id), mine;
	struct sweep_answer a = *ans;

	if (s == NULL)
		return;
	pl->inflight--;
	pl->counts.probes++;
	if (a.outcome == SWEEP_ACCEPT || a.outcome == SWEEP_REFUSE) {
		int64_t ms = a.ms > 0 ? a.ms : 0;

		pl->lat_ms = pl->lat_ms ? (pl->lat_ms * 3 + ms) / 4 : ms;
		pace_answered(&pl->pace, s->started, s->open);
	}
	if (a.outcome == SWEEP_ACCEPT)
		pl->healthy = 1;
	/* A connection answered 421 or refused held no slot. */
	if (a.outcome != SWEEP_RETRY || a.after_hello || a.timeout)
		pace_close(&pl->pace, now);
	if (a.outcome == SWEEP_RETRY && pl->fatal[0] == '\0' &&
	    retry(pl, now, s, &a))
		return;
	if (a.outcome == SWEEP_RETRY && a.reason[0] == '\0')
		snprintf(a.reason, sizeof(a.reason), "no answer");
	/* The slot is freed before feeding: feeding may add slots and
	 * move the array. */
	mine = *s;
	s->suites = NULL;
	slot_release(s);
	if (a.outcome == SWEEP_FATAL)
		go_fatal(pl, a.reason);
	if (mine.kind == SWEEP_K_ORDER)
		feed_order(pl, &mine, &a);
	else
		feed_chain(pl, &mine, &a);
	if (pl->fatal[0] != '\0' && mine.chain >= 0 &&
	    !pl->chains[mine.chain].done)
		pl->chains[mine.chain].done =
		    pl->chains[mine.chain].incomplete = 1;
	free(mine.suites);
	finalize(pl, mine.ver);
}

/*
 * Suites chain k can still be expected to find: its candidates times
 * the share of the candidates it settled so far that were accepted.
 * Local, because accepted suites cluster (a server's ECDHE-RSA block,
 * its Camellia block): a dense stretch is what makes a chain long.
 */
static double
expect_left(const struct sweep_plan *pl, size_t k)
{
	const struct chain *c = &pl->chains[k];

	return (double)c->ncand * (double)(c->hits + 1) /
	    (double)(c->seen + 2);
}

/*
 * Connections are slow (a greeting delay, a long round trip) and one
 * would idle: split the idle chain that expects the most suites still
 * in two, so that the enumerations -- the wall time -- shrink and the
 * allowed connections stay busy (called again while one is free, so a
 * whole round fills at once).  The halves take every other candidate,
 * not the first and second half: accepted suites cluster in the offer
 * order, and a cluster split this way is shared evenly instead of
 * staying with one chain.  Each split costs one connection (the second
 * chain's final refusal), so only a server that honours the client's
 * order is split (the enumeration order means nothing there), only
 * chains that expect SPLIT_EST_MIN suites or more, and at most twice
 * concurrency times per sweep.  A busy chain is split when its answer
 * is in.
 */
static void
split_best(struct sweep_plan *pl, int idle_chains)
{
	size_t k, best = 0, half;
	double est, best_est = 0;
	uint16_t *odd;
	struct chain *c;
	int n, found = 0;

	if (!pl->cfg.enumerate || pl->cfg.split_ms < 0 ||
	    pl->lat_ms < pl->cfg.split_ms ||
	    pl->splits >= 3 * pl->cfg.concurrency ||
	    pl->pace.limit - pl->inflight - idle_chains < 1)
		return;
	for (k = 0; k < pl->nchains; k++) {
		c = &pl->chains[k];
		if (c->done || c->sorting || c->waiting || c->busy ||
		    !c->started || pl->v[c->ver].order != ORD_CLIENT ||
		    c->ncand < 2 * SPLIT_MIN)
			continue;
		est = expect_left(pl, k);
		if (!found || est > best_est) {
			best = k;
			best_est = est;
			found = 1;
		}
	}
	if (!found || best_est < SPLIT_EST_MIN)
		return;
	if ((odd = calloc(pl->chains[best].ncand, sizeof(*odd))) == NULL)
		return;
	c = &pl->chains[best];
	for (k = 0, half = 0; k < c->ncand; k++)
		if (k % 2)
			odd[half++] = c->cand[k];
		else
			c->cand[k / 2] = c->cand[k];
	n = chain_add(pl, c->ver, odd, half);
	c = &pl->chains[best];		/* chain_add may move the array */
	if (n < 0) {			/* no memory: undo */
		for (k = 0; k < half; k++)
			c->cand[c->ncand - half + k] = odd[k];
		sort_by_offer(&pl->v[c->ver], c->cand, c->ncand);
		free(odd);
		return;
	}
	free(odd);
	c->ncand -= half;
	pl->chains[n].started = 1;
	pl->chains[n].hits = pl->chains[best].hits;	/* same prior */
	pl->chains[n].seen = pl->chains[best].seen;
	pl->splits++;
}

int
sweep_plan_next(struct sweep_plan *pl, int64_t now, struct sweep_probe *p,
    int64_t *wake_ms)
{
	struct slot *best = NULL;
	size_t i;
	int idle = 0, pass;

	*wake_ms = -1;
	if (!pl->seeded) {
		/* An earlier sweep met a limit and closed just now. */
		pl->seeded = 1;
		pace_seed(&pl->pace, now, pl->cfg.server_limit,
		    pl->cfg.hold_ms);
	}
	if (!pace_gate(&pl->pace, pl->inflight, now, wake_ms))
		return 0;
	/* Retries that are due, oldest first, then new order probes. */
	for (i = 0; i < pl->nslots; i++) {
		struct slot *s = &pl->slots[i];

		if (s->state != SLOT_WAITING)
			continue;
		if (s->not_before > now) {
			if (*wake_ms < 0 || s->not_before < *wake_ms)
				*wake_ms = s->not_before;
			continue;
		}
		if (best == NULL || s->id < best->id)
			best = s;
	}
	if (best != NULL) {
		if (best->chain >= 0)
			pl->chains[best->chain].busy = 1;
		return slot_issue(pl, now, best, p);
	}
	if (pl->fatal[0] != '\0') {
		for (i = 0; i < SWEEP_NVERS; i++)
			finalize(pl, (int)i);
		return pl->inflight > 0 ? 0 : -1;
	}
	apply_sources(pl);
	for (i = 0; i < pl->nchains; i++)
		idle += !pl->chains[i].done && !pl->chains[i].busy &&
		    !pl->chains[i].waiting;
	split_best(pl, idle);
	/* Chains: first hellos (the version probes, newest version first:
	 * its protocol_version alert may answer the older ones) before
	 * the rest. */
	for (pass = 0; pass <= SWEEP_NVERS; pass++)
		for (i = 0; i < pl->nchains; i++) {
			struct chain *c = &pl->chains[i];
			struct slot *s;

			if (c->done || c->busy || c->waiting ||
			    (pass < SWEEP_NVERS && (c->started ||
			    c->ver != SWEEP_NVERS - 1 - pass)))
				continue;
			if (c->ncand == 0) {
				/* Pruned empty: every candidate is settled,
				 * no refusal needed. */
				c->done = 1;
				finalize(pl, c->ver);
				continue;
			}
			s = slot_new(pl, c->npicked == 0 && c->version_probe ?
			    SWEEP_K_VERSION : SWEEP_K_CHAIN, c->ver, (int)i,
			    c->cand, c->ncand);
			if (s == NULL) {
				c->done = c->incomplete = 1;
				set_why(pl->v[c->ver].r.incomplete_why,
				    sizeof(pl->v[c->ver].r.incomplete_why),
				    "out of memory");
				finalize(pl, c->ver);
				continue;
			}
			c->started = c->busy = 1;
			return slot_issue(pl, now, s, p);
		}
	/* Nothing else to send and a connection free: the versions
	 * waiting for a source go now. */
	if (pl->fatal[0] == '\0' && release_early(pl))
		return sweep_plan_next(pl, now, p, wake_ms);
	for (i = 0; i < SWEEP_NVERS; i++)
		finalize(pl, (int)i);
	/* A source just completed: its older versions may go now. */
	for (i = 0; i < SWEEP_NVERS; i++)
		if (pl->v[i].src >= 0 && !pl->v[i].src_applied &&
		    pl->v[pl->v[i].src].finalized)
			return sweep_plan_next(pl, now, p, wake_ms);
	if (pl->inflight > 0 || *wake_ms >= 0)
		return 0;
	for (i = 0; i < pl->nchains; i++)
		if (!pl->chains[i].done)
			return 0;
	return -1;
}

const struct sweep_vresult *
sweep_plan_result(const struct sweep_plan *pl, uint16_t version)
{
	int i = SWEEP_VIDX(version);

	return i >= 0 && i < SWEEP_NVERS ? &pl->v[i].r : NULL;
}

unsigned
sweep_plan_estimate(const struct sweep_plan *pl)
{
	unsigned n = pl->counts.probes + (unsigned)pl->inflight;
	double rest = 0;
	size_t k;
	int i;

	for (k = 0; k < pl->nslots; k++)
		n += pl->slots[k].state == SLOT_WAITING;
	for (k = 0; k < pl->nchains; k++) {
		const struct chain *c = &pl->chains[k];
		double more;

		if (c->done)
			continue;
		if (c->waiting || (c->tail && c->hits == 0)) {
			rest += 1 - (c->busy != 0);	/* its refusal */
			continue;
		}
		/* The picks to come and the closing refusal; a version
		 * probe alone in step 3. */
		more = pl->cfg.enumerate || c->sorting ?
		    expect_left(pl, k) + 1 : 1;
		if (c->busy)
			more -= 1;	/* in flight: counted above */
		rest += more > 0 ? more : 0;
	}
	for (i = 0; i < SWEEP_NVERS; i++) {
		const struct vstate *vs = &pl->v[i];

		if (pl->cfg.enumerate && vs->probe && !vs->finalized &&
		    vs->order_probe == 0 && vs->order == ORD_UNKNOWN &&
		    vs->src < 0 && vs->r.accepted != TRI_NO)
			rest += 1;	/* the order test to come */
	}
	return n + (unsigned)(rest + 0.5);
}

void
sweep_plan_counts(const struct sweep_plan *pl, struct sweep_counts *c)
{
	*c = pl->counts;
	c->planned = sweep_plan_estimate(pl);
	c->min_limit = pl->pace.min_limit;
	c->server_limit = pl->pace.server_limit;
	c->hold_ms = pl->pace.hold_ms;
}

/* ======================================================================
 * Classifying an answer
 * ====================================================================== */

static const char *
vname(uint16_t v, char *buf, size_t cap)
{
	const char *n = hello_version_name(v);

	if (strcmp(n, "unknown") != 0)
		return n;
	snprintf(buf, cap, "version 0x%04x", v);
	return buf;
}

void
sweep_classify(const struct sweep_probe *p, enum hello_kind kind,
    const struct hello_reply *r, struct sweep_answer *a)
{
	char vb[32];

	memset(a, 0, sizeof(*a));
	switch (kind) {
	case HELLO_SERVER_HELLO:
	case HELLO_RETRY:
		a->version = r->version;
		a->suite = r->suite;
		a->group = r->group;
		a->downgrade = r->downgrade;
		a->hrr = kind == HELLO_RETRY;
		/*
		 * A server that cannot do the version asked for may answer
		 * with a lower one (RFC 5246 §E.1) instead of refusing:
		 * only the version asked for counts as accepted.
		 */
		if (r->version != p->version) {
			a->outcome = SWEEP_REFUSE;
			snprintf(a->reason, sizeof(a->reason), "answered with "
			    "%s instead", vname(r->version, vb, sizeof(vb)));
			return;
		}
		if (!hello_list_has(p->suites, p->nsuites, r->suite)) {
			a->outcome = SWEEP_BROKEN;
			snprintf(a->reason, sizeof(a->reason), "the server "
			    "chose cipher suite 0x%04X, which was not offered",
			    r->suite);
			return;
		}
		a->outcome = SWEEP_ACCEPT;
		return;
	case HELLO_ALERT:
		a->outcome = SWEEP_REFUSE;
		a->alert = r->alert_desc;
		snprintf(a->reason, sizeof(a->reason), "%salert %s (%u)",
		    r->alert_level == 1 ? "warning " : "",
		    hello_alert_name(r->alert_desc), r->alert_desc);
		return;
	case HELLO_NOT_TLS:
		a->outcome = SWEEP_BROKEN;
		snprintf(a->reason, sizeof(a->reason), "the answer is not "
		    "TLS: %s", r->reason ? r->reason : "unknown bytes");
		return;
	case HELLO_MALFORMED:
		a->outcome = SWEEP_BROKEN;
		snprintf(a->reason, sizeof(a->reason), "malformed answer: %s",
		    r->reason ? r->reason : "?");
		return;
	case HELLO_NEED_MORE:
	default:
		a->outcome = SWEEP_RETRY;
		a->after_hello = 1;
		snprintf(a->reason, sizeof(a->reason), "the connection ended "
		    "in the middle of the server's answer");
		return;
	}
}

/* ======================================================================
 * How many suites one hello holds
 * ====================================================================== */

size_t
sweep_max_offer(uint16_t version, const char *sni)
{
	struct hello_spec spec;
	uint16_t *fake;
	size_t n, len, lo = 1, hi = HELLO_BUILD_MAX / 2;
	unsigned char *buf = malloc(HELLO_BUILD_MAX);

	fake = malloc(hi * sizeof(*fake));
	if (buf == NULL || fake == NULL) {
		free(buf);
		free(fake);
		return 0;
	}
	for (n = 0; n < hi; n++)
		fake[n] = (uint16_t)(0x0a00 + n);	/* unassigned: fine */
	memset(&spec, 0, sizeof(spec));
	spec.version = version;
	spec.sni = sni;
	spec.suites = fake;
	/* Largest n whose hello fits: binary search, the padding makes
	 * the length not quite linear. */
	spec.nsuites = 1;
	if (hello_build(&spec, buf, HELLO_BUILD_MAX, &len, NULL) != SW_OK)
		lo = 0;
	while (lo > 0 && lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		spec.nsuites = mid;
		if (hello_build(&spec, buf, HELLO_BUILD_MAX, &len, NULL) ==
		    SW_OK)
			lo = mid;
		else
			hi = mid - 1;
	}
	free(buf);
	free(fake);
	return lo;
}
