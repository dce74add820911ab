/*
 * Unit tests of the sweep's pure half: the plan that decides which
 * ClientHellos to send, driven by a fake server model on a simulated
 * clock (each probe takes `lat` ms; the earliest answer comes first),
 * and sweep_classify() on hand-made replies.  No sockets: the runner
 * is exercised by tests/integration/test_check_tls.py.
 *
 * The fake server knows which versions and suites it accepts, whether
 * it imposes its own order, and how it misbehaves: 421 for the first N
 * connections or above a concurrency limit, refused connections, a
 * reset instead of an alert (SChannel), a lower version instead of a
 * refusal, no STARTTLS.  Every case checks the plan's findings against
 * the model exactly, and the number of connections against n + 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "sweep.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- the fake server ---- */

struct fake {
	unsigned	 versions;		/* bit i: accepted */
	const uint16_t	*pref[SWEEP_NVERS];	/* accepted, its preference */
	size_t		 npref[SWEEP_NVERS];
	int		 server_order;
	int		 reset_refuse;		/* close instead of an alert */
	int		 lower_version;		/* answer with a lower one */
	int		 proto_alert;		/* refuse versions with 70 */
	int		 busy_first;		/* 421 for the first N */
	int		 max_conc;		/* 421 above this many */
	int64_t		 hold;			/* a close counts this long */
	int64_t		 closes[256];		/* when answered ones closed */
	unsigned	 ncloses;
	int64_t		 now;			/* the driver's clock */
	int		 refuse_this;		/* hold: decided at connect */
	int		 down;			/* every connect refused */
	int		 no_starttls;
	int64_t		 lat;			/* ms per probe */
	unsigned	 conns;
	unsigned	 busy;			/* 421s given */
	int		 peak;
};

static void
fake_answer(struct fake *f, const struct sweep_probe *p, int inflight,
    struct sweep_answer *a)
{
	int v = SWEEP_VIDX(p->version), k;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->ms = f->lat;
	f->conns++;
	if (inflight > f->peak)
		f->peak = inflight;
	if (f->down) {
		a->outcome = SWEEP_RETRY;
		snprintf(a->reason, sizeof(a->reason), "connect: refused");
		return;
	}
	if (f->no_starttls) {
		a->outcome = SWEEP_FATAL;
		snprintf(a->reason, sizeof(a->reason), "the server does not "
		    "offer STARTTLS");
		return;
	}
	if ((f->busy_first > 0 && f->conns <= (unsigned)f->busy_first) ||
	    (f->max_conc > 0 && f->hold == 0 && inflight > f->max_conc) ||
	    f->refuse_this) {
		f->busy++;
		a->outcome = SWEEP_RETRY;
		snprintf(a->reason, sizeof(a->reason), "greeting answered 421");
		return;
	}
	if (f->hold > 0)
		f->closes[f->ncloses++ % NELEM(f->closes)] = f->now;
	if (!((f->versions >> v) & 1)) {
		for (k = v - 1; f->lower_version && k >= 0; k--)
			if ((f->versions >> k) & 1) {
				a->outcome = SWEEP_REFUSE;
				a->version = SWEEP_VERSION(k);
				for (i = 0; i < p->nsuites; i++)
					if (hello_list_has(f->pref[k],
					    f->npref[k], p->suites[i]))
						break;
				a->suite = i < p->nsuites ? p->suites[i] : 0;
				snprintf(a->reason, sizeof(a->reason),
				    "answered with %s instead",
				    hello_version_name(a->version));
				return;
			}
		if (f->proto_alert) {
			a->outcome = SWEEP_REFUSE;
			a->alert = 70;
			snprintf(a->reason, sizeof(a->reason),
			    "alert protocol_version (70)");
			return;
		}
		goto refuse;
	}
	if (f->server_order) {
		for (i = 0; i < f->npref[v]; i++)
			if (hello_list_has(p->suites, p->nsuites,
			    f->pref[v][i]))
				goto accept;
	} else {
		for (k = 0; k < (int)p->nsuites; k++)
			if (hello_list_has(f->pref[v], f->npref[v],
			    p->suites[k])) {
				a->outcome = SWEEP_ACCEPT;
				a->version = p->version;
				a->suite = p->suites[k];
				return;
			}
	}
refuse:
	if (f->reset_refuse) {
		a->outcome = SWEEP_RETRY;
		a->after_hello = 1;
		snprintf(a->reason, sizeof(a->reason), "the server reset "
		    "the connection after the ClientHello");
		return;
	}
	a->outcome = SWEEP_REFUSE;
	a->alert = 40;
	snprintf(a->reason, sizeof(a->reason), "alert handshake_failure (40)");
	return;
accept:
	a->outcome = SWEEP_ACCEPT;
	a->version = p->version;
	a->suite = f->pref[v][i];
}

/* ---- the driver: a discrete-event clock ---- */

struct flight {
	struct sweep_probe	 p;
	int64_t			 done_at;
	int			 refused;	/* hold: full when it came */
};

/* With a hold, the server decides at connect: ours open (not refused)
 * and the closes it still counts, against its limit. */
static int
fake_full(const struct fake *f, const struct flight *q, int nq, int64_t now)
{
	int i, n = 0;

	if (f->hold == 0 || f->max_conc == 0)
		return 0;
	for (i = 0; i < nq; i++)
		n += !q[i].refused;
	for (i = 0; i < (int)NELEM(f->closes); i++)
		n += f->closes[i] > 0 && now - f->closes[i] < f->hold;
	return n >= f->max_conc;
}

struct run {
	unsigned	 probes;
	int64_t		 wall;		/* simulated ms */
	int		 stuck;		/* the plan stalled */
	unsigned	 kinds[3];
};

static struct run
drive(struct sweep_plan *pl, struct fake *f)
{
	struct flight q[64];
	struct run out;
	int nq = 0, r, i, best, guard = 0;
	int64_t now = 0, wake;

	memset(&out, 0, sizeof(out));
	for (;;) {
		struct sweep_probe p;
		struct sweep_answer a;

		while (nq < 64 &&
		    (r = sweep_plan_next(pl, now, &p, &wake)) == 1) {
			q[nq].p = p;
			q[nq].done_at = now + f->lat;
			q[nq].refused = fake_full(f, q, nq, now);
			out.kinds[p.kind]++;
			nq++;
		}
		if (nq == 0) {
			if (r == -1)
				break;
			if (wake < 0 || ++guard > 100000) {
				out.stuck = 1;
				break;
			}
			now = wake;
			continue;
		}
		best = 0;
		for (i = 1; i < nq; i++)
			if (q[i].done_at < q[best].done_at ||
			    (q[i].done_at == q[best].done_at &&
			    q[i].p.id < q[best].p.id))
				best = i;
		if (q[best].done_at > now)
			now = q[best].done_at;
		f->now = now;
		f->refuse_this = q[best].refused;
		fake_answer(f, &q[best].p, nq, &a);
		sweep_plan_feed(pl, now, &q[best].p, &a);
		out.probes++;
		q[best] = q[--nq];
		if (out.probes > 20000) {
			out.stuck = 1;
			break;
		}
	}
	out.wall = now;
	return out;
}

/* ---- fixtures: the lists hello_spec_default() offers ---- */

struct cands {
	const uint16_t	*s[SWEEP_NVERS];
	size_t		 n[SWEEP_NVERS];
};

static void
default_cands(struct cands *c)
{
	struct hello_spec spec;
	int i;

	for (i = 0; i < SWEEP_NVERS; i++) {
		hello_spec_default(&spec, SWEEP_VERSION(i), NULL);
		c->s[i] = spec.suites;
		c->n[i] = spec.nsuites;
	}
}

static void
cfg_init(struct sweep_cfg *cfg, const struct cands *c, int enumerate)
{
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->versions = SWEEP_ALL_VERSIONS;
	cfg->enumerate = enumerate;
	for (i = 0; i < SWEEP_NVERS; i++) {
		cfg->suites[i] = c->s[i];
		cfg->nsuites[i] = c->n[i];
	}
}

/* What an OpenSSL server with an RSA certificate accepts (client order
 * in its own list: that of `openssl ciphers`). */
static const uint16_t modern12[] = {
	0xc030, 0xcca8, 0xc02f, 0xc028, 0xc027, 0xc014, 0xc013,
	0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f,
};
static const uint16_t modern13[] = { 0x1302, 0x1303, 0x1301 };
static const uint16_t legacy10[] = {
	0xc014, 0xc013, 0x0039, 0x0033, 0x0035, 0x002f, 0x000a,
};

static const char *
tri_s(enum tri t)
{
	return tri_name(t);
}

/* The plan found exactly the model's set for version v. */
static int
same_set(const struct sweep_vresult *r, const uint16_t *want, size_t n)
{
	size_t i;

	if (r->nsuites != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!hello_list_has(r->suites, r->nsuites, want[i]))
			return 0;
	return 1;
}

static int
same_order(const struct sweep_vresult *r, const uint16_t *want, size_t n)
{
	return r->nsuites == n &&
	    memcmp(r->suites, want, n * sizeof(*want)) == 0;
}

/* In offer order: increasing positions in the candidate list. */
static int
in_offer_order(const struct sweep_vresult *r, const uint16_t *cand, size_t n)
{
	size_t i, k, last = 0;

	for (i = 0; i < r->nsuites; i++) {
		for (k = 0; k < n && cand[k] != r->suites[i]; k++)
			;
		if (k == n || (i > 0 && k <= last))
			return 0;
		last = k;
	}
	return 1;
}

static struct fake
modern_fake(int server_order)
{
	struct fake f;

	memset(&f, 0, sizeof(f));
	f.versions = 1u << 3 | 1u << 4;
	f.pref[3] = modern12;
	f.npref[3] = NELEM(modern12);
	f.pref[4] = modern13;
	f.npref[4] = NELEM(modern13);
	f.server_order = server_order;
	f.lat = 10;
	return f;
}

static struct sweep_plan *
plan(const struct sweep_cfg *cfg)
{
	struct sw_error e = { 0 };
	struct sweep_plan *pl = sweep_plan_new(cfg, &e);

	if (pl == NULL)
		printf("# sweep_plan_new: %s\n", sw_error_text(&e));
	return pl;
}

/* ---- cases ---- */

static void
test_modern_client_order(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	const struct sweep_vresult *r12, *r13;
	struct run run;
	int i;

	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK(!run.stuck);
	for (i = 0; i < 3; i++) {
		CHECK_STR(tri_s(sweep_plan_result(pl, SWEEP_VERSION(i))->
		    accepted), "no");
	}
	r12 = sweep_plan_result(pl, 0x0303);
	r13 = sweep_plan_result(pl, 0x0304);
	CHECK_STR(tri_s(r12->accepted), "yes");
	CHECK_STR(tri_s(r13->accepted), "yes");
	CHECK(same_set(r12, modern12, NELEM(modern12)));
	CHECK(same_set(r13, modern13, NELEM(modern13)));
	CHECK_STR(tri_s(r12->complete), "yes");
	CHECK_STR(tri_s(r12->server_order), "no");
	CHECK_STR(tri_s(r13->server_order), "no");
	CHECK(in_offer_order(r12, c->s[3], c->n[3]));
	/* n + 1 per accepted version, one hello per refused version, at
	 * most one order hello per version with two suites or more. */
	CHECK(run.probes <= 3 + (13 + 1) + (3 + 1) + 2);
	printf("# modern, client order: %u connections\n", run.probes);
	CHECK_STR(strstr(sweep_plan_result(pl, 0x0300)->why, "alert") ?
	    "alert" : sweep_plan_result(pl, 0x0300)->why, "alert");
	sweep_plan_free(pl);
}

static void
test_modern_server_order(const struct cands *c)
{
	/* The server prefers AES-128 and CBC before GCM: an order that is
	 * not the offer order, so enumeration must reproduce it. */
	static const uint16_t pref12[] = {
		0xc02f, 0xc027, 0xc030, 0xc013, 0x009c, 0x002f,
	};
	static const uint16_t pref13[] = { 0x1301, 0x1303, 0x1302 };
	struct sweep_cfg cfg;
	struct fake f = modern_fake(1);
	struct sweep_plan *pl;
	const struct sweep_vresult *r12, *r13;
	struct run run;

	f.pref[3] = pref12;
	f.npref[3] = NELEM(pref12);
	f.pref[4] = pref13;
	f.npref[4] = NELEM(pref13);
	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	r12 = sweep_plan_result(pl, 0x0303);
	r13 = sweep_plan_result(pl, 0x0304);
	CHECK(!run.stuck);
	CHECK_STR(tri_s(r12->server_order), "yes");
	CHECK(same_order(r12, pref12, NELEM(pref12)));
	CHECK_STR(tri_s(r13->server_order), "yes");
	CHECK(same_order(r13, pref13, NELEM(pref13)));
	CHECK(run.probes <= 3 + (6 + 1) + (3 + 1) + 2);
	printf("# modern, server order: %u connections, %u order hellos\n",
	    run.probes, run.kinds[SWEEP_K_ORDER]);
	sweep_plan_free(pl);
}

/* A server order that agrees with the offer order needs the order
 * hello to be told from client order. */
static void
test_server_order_like_offer(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(1);
	struct sweep_plan *pl;
	uint16_t pref12[8];
	size_t i, n = 0;
	struct run run;

	for (i = 0; i < c->n[3] && n < NELEM(pref12); i++)
		if (hello_list_has(modern12, NELEM(modern12), c->s[3][i]))
			pref12[n++] = c->s[3][i];
	f.pref[3] = pref12;
	f.npref[3] = n;
	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->server_order), "yes");
	CHECK(same_order(sweep_plan_result(pl, 0x0303), pref12, n));
	CHECK(run.kinds[SWEEP_K_ORDER] >= 1);
	sweep_plan_free(pl);
}

/* Candidate lists longer than one hello holds: split over chains; the
 * server's order across them needs the sorting chain. */
static void
test_big_offers(const struct cands *c)
{
	static const uint16_t pref12[] = {
		0x002f, 0xc013, 0xc030, 0x009c, 0xc028, 0xcca8,
	};
	struct sweep_cfg cfg;
	struct fake f = modern_fake(1);
	struct sweep_plan *pl;
	struct run run;
	int so;

	for (so = 0; so < 2; so++) {
		f = modern_fake(so);
		f.pref[3] = pref12;
		f.npref[3] = NELEM(pref12);
		cfg_init(&cfg, c, 1);
		cfg.max_offer[3] = 7;
		pl = plan(&cfg);
		run = drive(pl, &f);
		CHECK(!run.stuck);
		CHECK(run.kinds[SWEEP_K_VERSION] >= c->n[3] / 7);
		CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->accepted),
		    "yes");
		if (so) {
			CHECK(same_order(sweep_plan_result(pl, 0x0303), pref12,
			    NELEM(pref12)));
			CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->
			    server_order), "yes");
		} else
			CHECK(same_set(sweep_plan_result(pl, 0x0303), pref12,
			    NELEM(pref12)));
		printf("# max_offer 7, server order %d: %u connections\n",
		    so, run.probes);
		sweep_plan_free(pl);
	}
}

/* A legacy server: TLSv1 to TLSv1.2, client order. */
static void
test_legacy(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f;
	struct sweep_plan *pl;
	struct run run;

	memset(&f, 0, sizeof(f));
	f.versions = 0x0e;
	f.pref[1] = f.pref[2] = legacy10;
	f.npref[1] = f.npref[2] = NELEM(legacy10);
	f.pref[3] = modern12;
	f.npref[3] = NELEM(modern12);
	f.lat = 10;
	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0300)->accepted), "no");
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0301)->accepted), "yes");
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0302)->accepted), "yes");
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0304)->accepted), "no");
	CHECK(same_set(sweep_plan_result(pl, 0x0301), legacy10,
	    NELEM(legacy10)));
	CHECK(same_set(sweep_plan_result(pl, 0x0302), legacy10,
	    NELEM(legacy10)));
	CHECK(run.probes <= 2 + 3 * 1 + (7 + 1) * 2 + 14 + 3);
	sweep_plan_free(pl);
}

/* Step 3 alone: one hello per version, nothing more. */
static void
test_versions_only(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct run run;

	cfg_init(&cfg, c, 0);
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK_INT(run.probes, 5);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->accepted), "yes");
	CHECK(sweep_plan_result(pl, 0x0303)->first == 0xc030);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0302)->accepted), "no");
	sweep_plan_free(pl);
}

/* Step 4 after step 3: the version answers are reused. */
static void
test_seeded(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct run run;
	int i;

	cfg_init(&cfg, c, 1);
	for (i = 0; i < 3; i++) {
		cfg.known[i] = TRI_NO;
		cfg.known_why[i] = "alert protocol_version (70)";
	}
	cfg.known[3] = cfg.known[4] = TRI_YES;
	cfg.first[3] = 0xc030;
	cfg.first[4] = 0x1302;
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK(same_set(sweep_plan_result(pl, 0x0303), modern12,
	    NELEM(modern12)));
	CHECK(same_set(sweep_plan_result(pl, 0x0304), modern13,
	    NELEM(modern13)));
	CHECK_STR(sweep_plan_result(pl, 0x0301)->why,
	    "alert protocol_version (70)");
	CHECK_INT(run.kinds[SWEEP_K_VERSION], 0);
	CHECK(run.probes <= 13 + 3 + 2 + 2);
	sweep_plan_free(pl);
}

/* 421 for the first connections: back off, retry, same findings. */
static void
test_busy_then_fine(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct sweep_counts n;
	struct run run;
	int i;

	f.busy_first = 8;
	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	sweep_plan_counts(pl, &n);
	CHECK(!run.stuck);
	for (i = 0; i < 3; i++)
		CHECK_STR(tri_s(sweep_plan_result(pl, SWEEP_VERSION(i))->
		    accepted), "no");
	CHECK(same_set(sweep_plan_result(pl, 0x0303), modern12,
	    NELEM(modern12)));
	CHECK(same_set(sweep_plan_result(pl, 0x0304), modern13,
	    NELEM(modern13)));
	CHECK(n.retries >= 8);
	CHECK(n.min_limit < SWEEP_CONCURRENCY);
	CHECK(run.wall >= SWEEP_BACKOFF_MS);
	sweep_plan_free(pl);
}

/* A server that 421s above two connections (Postfix anvil). */
static void
test_connection_limit(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct sweep_counts n;
	struct run run;

	f.max_conc = 2;
	cfg_init(&cfg, c, 1);
	cfg.concurrency = 8;
	pl = plan(&cfg);
	run = drive(pl, &f);
	sweep_plan_counts(pl, &n);
	CHECK(!run.stuck);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0302)->accepted), "no");
	CHECK(same_set(sweep_plan_result(pl, 0x0303), modern12,
	    NELEM(modern12)));
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->complete), "yes");
	CHECK(same_set(sweep_plan_result(pl, 0x0304), modern13,
	    NELEM(modern13)));
	CHECK(n.min_limit <= 2);
	printf("# limit 2: %u connections, %u refused with 421, "
	    "lowest bound %d\n", run.probes, f.busy, n.min_limit);
	sweep_plan_free(pl);
}

/*
 * Two connections at once, and a closed one counted 500 ms more (the
 * server notices a close late): the plan learns both from the 421s and
 * paces to them, so that few probes meet a 421 and none stays unknown;
 * step 4's plan, seeded with what step 3's learnt, starts paced.
 */
static void
test_connection_hold(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct sweep_counts n;
	struct run run;
	unsigned busy;
	int64_t floor_ms;

	f.max_conc = 2;
	f.hold = 500;
	f.lat = 10;
	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	sweep_plan_counts(pl, &n);
	CHECK(!run.stuck);
	CHECK(same_set(sweep_plan_result(pl, 0x0303), modern12,
	    NELEM(modern12)));
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->complete), "yes");
	CHECK(same_set(sweep_plan_result(pl, 0x0304), modern13,
	    NELEM(modern13)));
	CHECK_INT(n.server_limit, 2);
	CHECK(n.hold_ms >= 500);
	/* Paced: 421s while the limit and the hold are learnt (the order
	 * test goes out with the second hellos, inside that phase), not
	 * one per probe, and on the simulated clock within 1.3 x the slot
	 * floor (the answers needed, two at a time, each holding its slot
	 * lat + hold). */
	CHECK(f.busy <= run.probes / 2);
	floor_ms = (int64_t)((run.probes - f.busy + 1) / 2) * (f.lat + f.hold);
	CHECK(run.wall * 10 <= floor_ms * 13);
	printf("# limit 2, hold 500 ms: %u answers, %u refused with 421, "
	    "%lld ms simulated (floor %lld), hold learnt %lld ms\n",
	    run.probes, f.busy, (long long)run.wall, (long long)floor_ms,
	    (long long)n.hold_ms);
	sweep_plan_free(pl);
	/* A second plan seeded with it meets (almost) no 421. */
	busy = f.busy;
	cfg.server_limit = n.server_limit;
	cfg.hold_ms = n.hold_ms;
	pl = plan(&cfg);
	f.conns = 0;
	memset(f.closes, 0, sizeof(f.closes));	/* a new clock */
	f.closes[0] = f.closes[1] = 1;		/* step 3 just closed */
	run = drive(pl, &f);
	CHECK(!run.stuck);
	printf("# seeded: %u answers, %u refused with 421, %lld ms\n",
	    run.probes, f.busy - busy, (long long)run.wall);
	CHECK(f.busy - busy <= 2);
	floor_ms = (int64_t)((run.probes - (f.busy - busy) + 1) / 2) *
	    (f.lat + f.hold);
	CHECK(run.wall * 10 <= floor_ms * 13);
	CHECK(same_set(sweep_plan_result(pl, 0x0303), modern12,
	    NELEM(modern12)));
	sweep_plan_free(pl);
}

/* Nothing listens: unknown everywhere, never "no". */
static void
test_down(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct run run;
	int i;

	f.down = 1;
	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK(!run.stuck);
	for (i = 0; i < SWEEP_NVERS; i++) {
		const struct sweep_vresult *r =
		    sweep_plan_result(pl, SWEEP_VERSION(i));

		CHECK_STR(tri_s(r->accepted), "unknown");
		CHECK(strstr(r->why, "refused") != NULL);
	}
	CHECK_INT(run.probes, SWEEP_NVERS * SWEEP_ATTEMPTS);
	sweep_plan_free(pl);
}

/* SChannel: a reset instead of an alert.  Once the server accepted
 * something, two resets for a version mean no. */
static void
test_reset_refusal(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct run run;

	f.reset_refuse = 1;
	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK(!run.stuck);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0300)->accepted), "no");
	CHECK(strstr(sweep_plan_result(pl, 0x0300)->why, "without an alert")
	    != NULL);
	CHECK(same_set(sweep_plan_result(pl, 0x0303), modern12,
	    NELEM(modern12)));
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->complete), "yes");
	/* Nothing accepted at all: the resets prove nothing. */
	sweep_plan_free(pl);
	f = modern_fake(0);
	f.reset_refuse = 1;
	f.versions = 0;
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK(!run.stuck);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->accepted), "unknown");
	sweep_plan_free(pl);
}

/* A TLS 1.0-only server answering higher hellos with TLS 1.0. */
static void
test_lower_version(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f;
	struct sweep_plan *pl;

	memset(&f, 0, sizeof(f));
	f.versions = 0x02;
	f.pref[1] = legacy10;
	f.npref[1] = NELEM(legacy10);
	f.lower_version = 1;
	f.lat = 5;
	cfg_init(&cfg, c, 0);
	pl = plan(&cfg);
	drive(pl, &f);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->accepted), "no");
	CHECK_STR(sweep_plan_result(pl, 0x0303)->why,
	    "answered with TLSv1 instead");
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0301)->accepted), "yes");
	sweep_plan_free(pl);
}

/* No STARTTLS: the plan stops at once, everything unknown. */
static void
test_fatal(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct run run;

	f.no_starttls = 1;
	cfg_init(&cfg, c, 1);
	pl = plan(&cfg);
	run = drive(pl, &f);
	CHECK(!run.stuck);
	CHECK(run.probes <= SWEEP_CONCURRENCY);
	CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->accepted), "unknown");
	CHECK_STR(sweep_plan_result(pl, 0x0303)->why,
	    "the server does not offer STARTTLS");
	sweep_plan_free(pl);
}

/* A 2 s greeting delay: chains split over free connections, so the
 * wall time drops well below one connection per suite in a row. */
static void
test_split_when_slow(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct run fast, slow;

	f.lat = 2000;
	cfg_init(&cfg, c, 1);
	cfg.split_ms = -1;
	pl = plan(&cfg);
	fast = drive(pl, &f);		/* no split: the reference */
	sweep_plan_free(pl);
	f = modern_fake(0);
	f.lat = 2000;
	cfg.split_ms = 0;
	pl = plan(&cfg);
	slow = drive(pl, &f);
	CHECK(same_set(sweep_plan_result(pl, 0x0303), modern12,
	    NELEM(modern12)));
	CHECK(in_offer_order(sweep_plan_result(pl, 0x0303), c->s[3],
	    c->n[3]));
	CHECK(slow.wall < fast.wall * 3 / 4);
	CHECK(slow.probes <= fast.probes + SWEEP_CONCURRENCY);
	CHECK(f.peak <= SWEEP_CONCURRENCY);
	printf("# 2 s per connection: %lld ms unsplit (%u connections), "
	    "%lld ms split (%u)\n", (long long)fast.wall, fast.probes,
	    (long long)slow.wall, slow.probes);
	sweep_plan_free(pl);
}

/* ---- inference (cfg.exhaustive off) against the literal scan ---- */

/* A legacy server, step 4 seeded with step 3: TLS 1.0 and 1.1 take
 * their suites from TLS 1.2's enumeration plus one refusal each, and
 * find the same lists as the literal scan, in either order. */
static void
test_infer_one_list(const struct cands *c)
{
	static const uint16_t pref12[] = {
		0xc013, 0x002f, 0xc030, 0xc014, 0x0035, 0xc02f, 0x000a,
	};
	struct sweep_cfg cfg;
	struct sweep_counts n;
	struct fake f;
	struct sweep_plan *pl;
	struct run lit = { 0 }, inf = { 0 };
	int so, ex, i, slow;

	/* Fast, then slow (2 s a probe: chains split, and the older
	 * versions go before TLS 1.2's last answers, release_early()). */
	for (slow = 0; slow < 2; slow++)
	for (so = 0; so < 2; so++) {
		const uint16_t *res[2][SWEEP_NVERS];
		size_t nres[2][SWEEP_NVERS];
		struct sweep_plan *keep[2];

		for (ex = 1; ex >= 0; ex--) {
			memset(&f, 0, sizeof(f));
			f.versions = 0x0e;
			f.pref[1] = f.pref[2] = legacy10;
			f.npref[1] = f.npref[2] = NELEM(legacy10);
			f.pref[3] = so ? pref12 : modern12;
			f.npref[3] = so ? NELEM(pref12) : NELEM(modern12);
			f.server_order = so;
			f.lat = slow ? 2000 : 10;
			if (so) {	/* one list, the server's order */
				f.pref[1] = f.pref[2] = pref12;
				f.npref[1] = f.npref[2] = NELEM(pref12);
			}
			/* Step 3 first, as check runs them. */
			cfg_init(&cfg, c, 0);
			cfg.exhaustive = ex;
			pl = plan(&cfg);
			drive(pl, &f);
			cfg.enumerate = 1;
			for (i = 0; i < SWEEP_NVERS; i++) {
				const struct sweep_vresult *r =
				    sweep_plan_result(pl, SWEEP_VERSION(i));

				cfg.known[i] = r->accepted;
				cfg.first[i] = r->first;
				cfg.first_inferred[i] = r->inferred;
			}
			sweep_plan_free(pl);
			pl = keep[ex] = plan(&cfg);
			if (ex)
				lit = drive(pl, &f);
			else
				inf = drive(pl, &f);
			for (i = 1; i <= 3; i++) {
				const struct sweep_vresult *r =
				    sweep_plan_result(pl, SWEEP_VERSION(i));

				res[ex][i] = r->suites;
				nres[ex][i] = r->nsuites;
				CHECK_STR(tri_s(r->complete), "yes");
			}
			sweep_plan_counts(pl, &n);
			CHECK(ex ? n.inferred == 0 : n.inferred > 0);
		}
		CHECK(!lit.stuck && !inf.stuck);
		for (i = 1; i <= 3; i++) {
			CHECK_INT(nres[0][i], nres[1][i]);
			CHECK(nres[0][i] == nres[1][i] && memcmp(res[0][i],
			    res[1][i], nres[0][i] * sizeof(uint16_t)) == 0);
		}
		CHECK_INT(sweep_plan_result(keep[0], 0x0301)->inferred_from,
		    0x0303);
		CHECK(sweep_plan_result(keep[0], 0x0301)->ninferred > 0);
		CHECK_STR(tri_s(sweep_plan_result(keep[0], 0x0302)->
		    server_order), so ? "yes" : "no");
		CHECK(inf.probes + (so ? 8 : slow ? 3 : 5) <= lit.probes);
		/* The older versions' refusals wait for TLS 1.2's answers:
		 * on a one-list server (so: every version from pref12) at
		 * most one probe's time more, for fewer connections; the
		 * client-order model gives TLS 1.0 suites TLS 1.2 lacks,
		 * enumerated after TLS 1.2's, one round each. */
		CHECK(!so || inf.wall <= lit.wall + f.lat);
		printf("# one suite list, server order %d, %d ms a probe: %u "
		    "connections literal (%lld ms), %u with inference "
		    "(%lld ms)\n", so, (int)f.lat, lit.probes,
		    (long long)lit.wall, inf.probes, (long long)inf.wall);
		sweep_plan_free(keep[0]);
		sweep_plan_free(keep[1]);
	}
}

/* One hello at a time: TLS 1.1's protocol_version alert answers TLS
 * 1.0 and SSLv3; a downgraded answer accepts the lower version. */
static void
test_infer_versions(const struct cands *c)
{
	struct sweep_cfg cfg;
	struct fake f = modern_fake(0);
	struct sweep_plan *pl;
	struct run run;
	int ex;

	for (ex = 0; ex < 2; ex++) {
		f = modern_fake(0);
		f.proto_alert = 1;
		cfg_init(&cfg, c, 0);
		cfg.concurrency = 1;
		cfg.exhaustive = ex;
		pl = plan(&cfg);
		run = drive(pl, &f);
		CHECK_INT(run.probes, ex ? 5 : 3);
		CHECK_STR(tri_s(sweep_plan_result(pl, 0x0301)->accepted),
		    "no");
		CHECK_INT(sweep_plan_result(pl, 0x0300)->inferred, !ex);
		CHECK_STR(tri_s(sweep_plan_result(pl, 0x0303)->accepted),
		    "yes");
		sweep_plan_free(pl);

		memset(&f, 0, sizeof(f));
		f.versions = 0x02;
		f.pref[1] = legacy10;
		f.npref[1] = NELEM(legacy10);
		f.lower_version = 1;
		f.lat = 5;
		pl = plan(&cfg);
		run = drive(pl, &f);
		CHECK_INT(run.probes, ex ? 5 : 4);
		CHECK_STR(tri_s(sweep_plan_result(pl, 0x0301)->accepted),
		    "yes");
		CHECK_INT(sweep_plan_result(pl, 0x0301)->inferred, !ex);
		CHECK(hello_list_has(legacy10, NELEM(legacy10),
		    sweep_plan_result(pl, 0x0301)->first));
		sweep_plan_free(pl);
	}
}

/* ---- sweep_classify ---- */

static struct hello_reply rep;

static void
test_classify(void)
{
	static const uint16_t offer[] = { 0xc02f, 0xc030 };
	struct sweep_probe p = { .id = 1, .version = 0x0303,
	    .suites = offer, .nsuites = 2 };
	struct sweep_answer a;

	memset(&rep, 0, sizeof(rep));
	rep.version = 0x0303;
	rep.suite = 0xc030;
	sweep_classify(&p, HELLO_SERVER_HELLO, &rep, &a);
	CHECK(a.outcome == SWEEP_ACCEPT && a.suite == 0xc030);
	rep.version = 0x0301;
	sweep_classify(&p, HELLO_SERVER_HELLO, &rep, &a);
	CHECK(a.outcome == SWEEP_REFUSE);
	CHECK_STR(a.reason, "answered with TLSv1 instead");
	rep.version = 0x0303;
	rep.suite = 0x002f;
	sweep_classify(&p, HELLO_SERVER_HELLO, &rep, &a);
	CHECK(a.outcome == SWEEP_BROKEN);
	rep.alert_level = 2;
	rep.alert_desc = 70;
	sweep_classify(&p, HELLO_ALERT, &rep, &a);
	CHECK(a.outcome == SWEEP_REFUSE && a.alert == 70);
	CHECK_STR(a.reason, "alert protocol_version (70)");
	rep.reason = "plain text";
	sweep_classify(&p, HELLO_NOT_TLS, &rep, &a);
	CHECK(a.outcome == SWEEP_BROKEN);
	sweep_classify(&p, HELLO_NEED_MORE, &rep, &a);
	CHECK(a.outcome == SWEEP_RETRY && a.after_hello);
	/* TLS 1.3: an HRR is a yes and names the suite. */
	{
		static const uint16_t o13[] = { 0x1302, 0x1301 };
		struct sweep_probe p13 = { .id = 2, .version = 0x0304,
		    .suites = o13, .nsuites = 2 };

		memset(&rep, 0, sizeof(rep));
		rep.version = 0x0304;
		rep.suite = 0x1301;
		sweep_classify(&p13, HELLO_RETRY, &rep, &a);
		CHECK(a.outcome == SWEEP_ACCEPT && a.hrr && a.suite == 0x1301);
		rep.version = 0x0303;	/* a TLS 1.2 ServerHello: no 1.3 */
		rep.suite = 0x1301;
		sweep_classify(&p13, HELLO_SERVER_HELLO, &rep, &a);
		CHECK(a.outcome == SWEEP_REFUSE);
	}
}

/* sweep_max_offer: the hello with that many suites fits, one more
 * does not. */
static void
test_max_offer(void)
{
	static uint16_t many[9000];
	static unsigned char buf[HELLO_BUILD_MAX];
	struct hello_spec spec;
	size_t n, len, i;
	int v;

	for (i = 0; i < NELEM(many); i++)
		many[i] = (uint16_t)(0x0a00 + i);
	for (v = 0x0300; v <= 0x0304; v++) {
		n = sweep_max_offer((uint16_t)v, "mail.example.com");
		memset(&spec, 0, sizeof(spec));
		spec.version = (uint16_t)v;
		spec.sni = "mail.example.com";
		spec.suites = many;
		spec.nsuites = n;
		CHECK(n > 7000);
		CHECK(hello_build(&spec, buf, sizeof(buf), &len, NULL) ==
		    SW_OK && len <= HELLO_BUILD_MAX);
		spec.nsuites = n + 1;
		CHECK(hello_build(&spec, buf, sizeof(buf), &len, NULL) !=
		    SW_OK);
	}
}

int
main(void)
{
	struct cands c;

	default_cands(&c);
	test_classify();
	test_max_offer();
	test_modern_client_order(&c);
	test_modern_server_order(&c);
	test_server_order_like_offer(&c);
	test_big_offers(&c);
	test_legacy(&c);
	test_versions_only(&c);
	test_seeded(&c);
	test_busy_then_fine(&c);
	test_connection_limit(&c);
	test_connection_hold(&c);
	test_down(&c);
	test_reset_refusal(&c);
	test_lower_version(&c);
	test_fatal(&c);
	test_split_when_slow(&c);
	test_infer_one_list(&c);
	test_infer_versions(&c);
	return tap_done();
}
