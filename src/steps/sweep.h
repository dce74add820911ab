/*
 * The raw-hello sweep behind steps 3 and 4: many short dialogues
 * (connect, the SMTP preamble for STARTTLS, one ClientHello, read until
 * the server's ServerHello or alert, close) multiplexed on one poll(),
 * with a bound on the connections in flight.
 *
 * Two halves, kept apart so that the clever half is testable without a
 * socket:
 *
 *  - The plan (pure: no I/O, no clock of its own, no globals) decides
 *    which hellos to send.  Per version it first offers every candidate
 *    suite in one hello (the version probe: accepted only when the
 *    ServerHello names exactly that version), then enumerates: offer
 *    every candidate not yet seen, drop the suite the server chose,
 *    repeat until it refuses -- n + 1 connections for n suites.  It
 *    finds whether the server imposes its own order, and then that
 *    order, which is the order of the enumeration (the order test is
 *    the first offer reversed, sent beside the second hello).  When
 *    the server honours the client's order and connections are slow
 *    (a greeting delay, a long round trip), it splits the remaining
 *    candidates over parallel chains until every allowed connection
 *    is busy, and re-plans as answers arrive; the versions that take
 *    TLS 1.2's suites (cfg.exhaustive off) go as soon as TLS 1.2 has
 *    only its last hellos out.  Version probes go newest first.
 *    Transient failures (421, refused, reset, timeout) are retried; a
 *    refusal our own connections explain teaches the plan the server's
 *    connection limit and how long it counts a closed connection, and
 *    later probes are paced to both (sweep_counts reports them); any
 *    other is retried with back-off and a lower bound on concurrency.
 *    A probe that keeps failing (attempts) leaves its answer unknown,
 *    never "no".
 *
 *  - The runner (sweep_run) owns the sockets: named states
 *    HS_CONNECTING -> HS_PREAMBLE -> HS_SENT -> HS_DONE per connection,
 *    every transition traced to the transcript, every wait bounded by
 *    the probe_env timeouts and the cancel fd.
 *
 * Both run on the probing thread; nothing here is shared.
 */
#ifndef SW_SWEEP_H
#define SW_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "hello.h"
#include "net.h"
#include "probe.h"
#include "tri.h"

/* SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3: index = version - 0x0300. */
#define SWEEP_NVERS		5
#define SWEEP_VIDX(v)		((int)(v) - 0x0300)
#define SWEEP_VERSION(i)	((uint16_t)(0x0300 + (i)))
#define SWEEP_ALL_VERSIONS	0x1fu

/* Defaults of the plan (struct sweep_cfg fields left 0). */
#define SWEEP_CONCURRENCY	6	/* connections in flight */
#define SWEEP_ATTEMPTS		5	/* tries of one probe before "unknown" */
#define SWEEP_BACKOFF_MS	1000	/* first retry delay, doubled each time */
#define SWEEP_BACKOFF_MAX_MS	8000
#define SWEEP_SPLIT_MS		150	/* split chains when a probe takes this */

struct sweep_plan;

/*
 * What to probe.  Arrays are the caller's, read during sweep_plan_new()
 * only (the plan copies them).
 *
 * versions	bit i: probe version SWEEP_VERSION(i).
 * enumerate	0: version probes only (step 3); 1: all suites (step 4).
 * suites	per version, the candidates in the order offered (strongest
 *		first: a server that honours the client's order then picks
 *		the strongest it has).
 * max_offer	per version, the most suites one ClientHello may carry
 *		(sweep_max_offer()); longer lists are split over several
 *		hellos.  0: no limit.
 * concurrency	connections in flight at most; 0: SWEEP_CONCURRENCY.
 * attempts, backoff_ms	retry policy; 0: the defaults above.
 * split_ms	split a chain over free connections only when a probe
 *		takes at least this long (greeting delays); 0: the
 *		default; < 0: never split.
 * known, first	what an earlier sweep found (step 3 for step 4):
 *		known[i] != TRI_UNKNOWN skips version i's version probe;
 *		with TRI_YES, first[i] is the suite it chose.  known_why[i]
 *		(may be NULL) is kept as the reason for TRI_NO.
 * first_inferred	per version: first[i] was inferred (a downgraded
 *		answer), not chosen from this version's own offer.
 * server_limit, hold_ms	what an earlier sweep learnt of the
 *		server's connection limit (sweep_counts): the plan starts
 *		paced, as if its connections had just closed.  0: nothing.
 * exhaustive	1: a full, literal scan -- every answer from a hello of
 *		its own; 0: the plan also infers answers the protocol
 *		implies (see "Inference" in sweep_plan.c): a
 *		protocol_version alert rules out the older versions, a
 *		downgraded ServerHello accepts the lower version and its
 *		suite, and a suite accepted for TLS 1.2 is counted for TLS
 *		1.0 and 1.1 (one suite list below TLS 1.3), the rest of
 *		their candidates offered literally.
 */
struct sweep_cfg {
	unsigned	 versions;
	int		 enumerate;
	const uint16_t	*suites[SWEEP_NVERS];
	size_t		 nsuites[SWEEP_NVERS];
	size_t		 max_offer[SWEEP_NVERS];
	int		 concurrency;
	int		 attempts;
	int		 backoff_ms;
	int		 split_ms;
	enum tri	 known[SWEEP_NVERS];
	uint16_t	 first[SWEEP_NVERS];
	const char	*known_why[SWEEP_NVERS];
	int		 first_inferred[SWEEP_NVERS];
	int		 server_limit;
	int64_t		 hold_ms;
	int		 exhaustive;
};

/* What one probe sends.  suites belong to the plan and stay valid until
 * the probe is fed back. */
enum sweep_kind { SWEEP_K_VERSION, SWEEP_K_CHAIN, SWEEP_K_ORDER };

struct sweep_probe {
	unsigned	 id;
	enum sweep_kind	 kind;
	uint16_t	 version;
	const uint16_t	*suites;
	size_t		 nsuites;
	int		 attempt;		/* 1 on the first try */
};

/*
 * How one dialogue ended.
 *
 * ACCEPT	a ServerHello (or, for TLS 1.3, a HelloRetryRequest) with
 *		the offered version and one of the offered suites.
 * REFUSE	the server said no: an alert, another version, or (after
 *		retries, see below) a close right after the hello.
 * RETRY	could not find out this time: 421 or another 4xx, refused,
 *		reset, closed, timed out.  after_hello: the connection died
 *		after the hello was sent (some servers, SChannel among
 *		them, refuse a version that way).
 * BROKEN	an answer that makes no sense (not TLS, malformed, a suite
 *		that was not offered): this probe's answer is unknown.
 * FATAL	the server will not let any probe through (5xx greeting, no
 *		STARTTLS): the whole plan stops, undecided answers stay
 *		unknown with this reason.
 */
enum sweep_outcome {
	SWEEP_ACCEPT, SWEEP_REFUSE, SWEEP_RETRY, SWEEP_BROKEN, SWEEP_FATAL
};

struct sweep_answer {
	enum sweep_outcome	 outcome;
	uint16_t		 version;	/* negotiated (ACCEPT, REFUSE) */
	uint16_t		 suite;		/* chosen (ACCEPT) */
	uint16_t		 group;		/* TLS 1.3 key_share group */
	uint16_t		 downgrade;	/* RFC 8446 sentinel seen */
	int			 hrr;		/* HelloRetryRequest */
	uint8_t			 alert;		/* REFUSE by alert: its number */
	int			 after_hello;	/* RETRY: died after the hello */
	int			 timeout;	/* RETRY: a wait timed out */
	int64_t			 ms;		/* connect to answer */
	char			 reason[160];	/* plain words, sanitised */
};

/*
 * Classifies the server's answer to probe p, as hello_parse() gave it
 * (kind must not be HELLO_NEED_MORE).  Pure.
 */
void		sweep_classify(const struct sweep_probe *p,
		    enum hello_kind kind, const struct hello_reply *r,
		    struct sweep_answer *a);

/* Per version, after the plan: what the server accepts. */
struct sweep_vresult {
	enum tri	 accepted;
	char		 why[160];	/* for TRI_NO and TRI_UNKNOWN */
	uint16_t	 first;		/* suite the version probe chose */
	uint16_t	 downgrade;	/* sentinel in that ServerHello */
	int		 hrr;		/* TLS 1.3 answered with an HRR */
	int		 inferred;	/* accepted/first from another
					   version's answer, no hello of
					   its own (why says which) */
	/* Step 4 (enumerate): */
	uint16_t	*suites;	/* accepted; server order when it
					   imposes one, else offer order */
	size_t		 nsuites;
	enum tri	 complete;	/* every candidate settled */
	char		 incomplete_why[160];
	enum tri	 server_order;	/* UNKNOWN: fewer than two suites
					   or could not tell */
	char		 order_why[160];
	size_t		 ninferred;	/* of suites: counted because the
					   inferred_from version accepted
					   them (one suite list) */
	uint16_t	 inferred_from;	/* 0: none */
	int		 order_inferred;	/* server_order is
					   inferred_from's */
};

/*
 * Makes a plan; NULL with err set on bad arguments or no memory.
 * Errors: SW_EUSAGE, SW_ENOMEM.
 */
struct sweep_plan *sweep_plan_new(const struct sweep_cfg *,
		    struct sw_error *);
void		sweep_plan_free(struct sweep_plan *);

/*
 * The next probe to run at time now (ms, any monotonic clock).
 * Returns 1 and fills *p; 0 when nothing may start now (the bound on
 * connections, or back-off: *wake_ms is then the time to ask again, or
 * -1 when only answers can unblock it); -1 when the plan is complete
 * (nothing in flight, nothing left).  Errors: none.
 */
int		sweep_plan_next(struct sweep_plan *, int64_t now,
		    struct sweep_probe *p, int64_t *wake_ms);

/* Feeds back the answer to a probe sweep_plan_next() gave.  Errors:
 * none (an unknown id is ignored). */
void		sweep_plan_feed(struct sweep_plan *, int64_t now,
		    const struct sweep_probe *p, const struct sweep_answer *a);

/* Results per version; NULL for a version outside 0x0300..0x0304. */
const struct sweep_vresult *sweep_plan_result(const struct sweep_plan *,
		    uint16_t version);

/* Counters the plan keeps: probes fed, retries, lowest bound used. */
struct sweep_counts {
	unsigned	 probes;	/* answers fed, retries included */
	unsigned	 retries;	/* probes re-queued after RETRY */
	int		 min_limit;	/* lowest concurrency bound reached */
	int		 server_limit;	/* connections the server allowed
					   at once, learnt from refusals;
					   0: no limit met */
	int64_t		 hold_ms;	/* how long it kept counting a
					   closed one (estimate) */
	unsigned	 inferred;	/* answers inferred (versions and
					   suites), no hello of their own */
	unsigned	 planned;	/* hellos the plan expects to send
					   in all (sweep_plan_estimate()) */
	char		 fatal[160];	/* the FATAL reason, "" if none */
};
void		sweep_plan_counts(const struct sweep_plan *,
		    struct sweep_counts *);

/*
 * How many hellos the plan expects to have sent when it is complete:
 * those fed so far, those in flight and an estimate of those still to
 * come (per open chain, its candidates times the share accepted so far
 * plus its closing refusal; the version probes and order tests not yet
 * sent).  It changes as answers re-plan the sweep; never below the
 * hellos already sent.  Errors: none.
 */
unsigned	sweep_plan_estimate(const struct sweep_plan *);

/* Where the runner connects and how it gets to the hello. */
struct sweep_target {
	struct net_addr	 addr;
	int		 starttls;	/* 0: implicit TLS */
	const char	*sni;		/* host name (IP literals send none) */
	const char	*ehlo_name;
};

struct sweep_stats {
	unsigned	 connections;	/* TCP connections opened */
	unsigned	 refused;	/* connect failed */
	unsigned	 greeting_4xx;	/* 421 and friends */
	unsigned	 resets;	/* reset or closed before an answer */
	unsigned	 timeouts;
	unsigned	 max_parallel;
	int64_t		 elapsed_ms;
};

/*
 * The most suites a ClientHello for version (with this SNI) can carry
 * in one 16 KiB record.  Errors: none (0 if none fit).
 */
size_t		sweep_max_offer(uint16_t version, const char *sni);

/*
 * Runs plan to completion against t: connects, does the preamble,
 * sends each hello, classifies, feeds.  Uses env's connect and read
 * timeouts (per wait), cancel fd and note (one NOTE_TLS line per state
 * transition and per answer).  stats may be NULL.
 * Errors: SW_ECANCEL, SW_ENOMEM.  Network failures are not errors:
 * they become answers.
 */
enum sw_err	sweep_run(struct sweep_plan *, const struct sweep_target *t,
		    const struct probe_env *env, struct sweep_stats *stats,
		    struct sw_error *);

#endif
