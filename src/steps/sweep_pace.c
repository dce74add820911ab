/*
 * The sweep's pacing: how many of the plan's connections may be open at
 * once, and when the next may start.  The bound starts at the
 * configured concurrency, is halved after refusals nothing of ours
 * explains (another client, a rate limit) and grows back additively;
 * refusals our own connections explain teach the server's connection
 * limit and how long it keeps counting a closed connection (the hold),
 * and the gate then waits for a slot instead of meeting a 421.  Pure
 * like the plan (sweep_plan.c), which owns one struct sweep_pace and
 * calls these at issue, answer and retry time.  See sweep_int.h.
 */
#include <stdint.h>
#include <string.h>

#include "sweep.h"
#include "sweep_int.h"

#define SWEEP_PACE_MS	100	/* first pause of a paced retry */

void
pace_init(struct sweep_pace *pc, int concurrency, int backoff_ms)
{
	memset(pc, 0, sizeof(*pc));
	pc->concurrency = concurrency;
	pc->backoff_ms = backoff_ms;
	pc->limit = concurrency;
	pc->min_limit = concurrency;
	pc->last_cut = INT64_MIN / 2;
}

/* Our closed connections the server may still count at now. */
int
pace_held(const struct sweep_pace *pc, int64_t now, int64_t *free_at)
{
	int i, n = 0;

	for (i = 0; i < SWEEP_CONN_MAX && pc->hold_ms > 0; i++) {
		int64_t until = pc->closed[i] + pc->hold_ms;

		if (pc->closed[i] > 0 && until > now) {
			n++;
			if (free_at != NULL && (*free_at < 0 || until < *free_at))
				*free_at = until;
		}
	}
	return n;
}

void
pace_close(struct sweep_pace *pc, int64_t now)
{
	pc->closed[pc->nclosed] = now > 0 ? now : 1;
	pc->nclosed = (pc->nclosed + 1) % SWEEP_CONN_MAX;
}

/* An earlier sweep met a limit and closed just now: start paced, with
 * what worked there (no probing below it). */
void
pace_seed(struct sweep_pace *pc, int64_t now, int server_limit,
    int64_t hold_ms)
{
	int i;

	if (server_limit <= 0)
		return;
	pc->server_limit = server_limit;
	pc->hold_ms = pc->hold_hi = pc->hold_lo = hold_ms;
	if (pc->limit > pc->server_limit)
		pc->limit = pc->server_limit;
	for (i = 0; i < server_limit && i < SWEEP_CONN_MAX; i++)
		pace_close(pc, now);
}

int
pace_gate(const struct sweep_pace *pc, int inflight, int64_t now,
    int64_t *wake_ms)
{
	if (inflight >= pc->limit)
		return 0;
	/* Slots the server still holds after our closes count too. */
	if (pc->server_limit > 0 && pc->hold_ms > 0 &&
	    inflight + pace_held(pc, now, NULL) >= pc->limit) {
		pace_held(pc, now, wake_ms);
		return 0;
	}
	return 1;
}

/* The bound after a transient failure: halve it, at most once per
 * back-off period (a burst of 421s is one event). */
static void
cut_limit(struct sweep_pace *pc, int64_t now)
{
	if (now - pc->last_cut < pc->backoff_ms)
		return;
	pc->last_cut = now;
	pc->limit = pc->limit > 1 ? pc->limit / 2 : 1;
	if (pc->limit < pc->min_limit)
		pc->min_limit = pc->limit;
	pc->ok_streak = 0;
}

/* The k-th most recent of our closes at or before t (k >= 1), equal
 * times counted apart; 0: none. */
static int64_t
kth_close(const struct sweep_pace *pc, int64_t t, int k)
{
	int64_t v[SWEEP_CONN_MAX], x;
	int i, j, n = 0;

	for (i = 0; i < SWEEP_CONN_MAX; i++) {
		if (pc->closed[i] <= 0 || pc->closed[i] > t)
			continue;
		x = pc->closed[i];
		for (j = n++; j > 0 && v[j - 1] < x; j--)
			v[j] = v[j - 1];	/* newest first */
		v[j] = x;
	}
	return k >= 1 && k <= n ? v[k - 1] : 0;
}

/* Closes at or before t within span ms of it. */
static int
closes_within(const struct sweep_pace *pc, int64_t t, int64_t span)
{
	int i, n = 0;

	for (i = 0; i < SWEEP_CONN_MAX; i++)
		n += pc->closed[i] > 0 && pc->closed[i] <= t &&
		    t - pc->closed[i] < span;
	return n;
}

/* The wait after a close the gate uses: the bounds found so far. */
static void
set_hold(struct sweep_pace *pc)
{
	int64_t close_enough = pc->hold_hi / 8 > 50 ? pc->hold_hi / 8 : 50;

	/* Narrow by halves while the bounds are far apart; each try below
	 * the true hold costs a 421, so stop within an eighth. */
	if (pc->hold_hi > 0 && pc->hold_hi - pc->hold_lo <= close_enough)
		pc->hold_ms = pc->hold_hi;
	else if (pc->hold_hi > 0)
		pc->hold_ms = (pc->hold_lo + pc->hold_hi + 1) / 2;
	else if (pc->hold_lo > 0)	/* no answer yet: overshoot, then
					   narrow on answers (no 421s) */
		pc->hold_ms = pc->hold_lo * 2 > 250 ? pc->hold_lo * 2 : 250;
}

/*
 * Pacing from evidence.  The server counts our open connections and,
 * for a while after each close (hold), the closed ones; beyond its
 * limit it answers 421 (or refuses, or resets).
 *  - A refusal that met `open` of ours open and none closed in the
 *    longest back-off bounds the limit by open: on a first wave that is
 *    exactly the limit, and the report says it (a Java application that
 *    opens more at once meets the same 421).
 *  - With the limit L known, a probe started with none of ours open
 *    was decided by our L-th most recent close: a refusal proves the
 *    hold longer than the gap since it, an answer proves it no longer.
 *    (With some open, one of them may itself be refused and hold
 *    nothing, so those starts prove nothing.)
 * The gate (pace_gate()) waits the estimate between the two after a
 * close, instead of meeting a 421 and a back-off.  Returns 0 when our
 * own connections do not explain the refusal (nothing of ours open or
 * recently closed: another client, a rate limit): the bound is then
 * halved and the retry backs off.
 */
int
pace_refused(struct sweep_pace *pc, int64_t now, int64_t started, int open)
{
	int recent = closes_within(pc, started, SWEEP_BACKOFF_MAX_MS);
	int64_t c;

	if (open == 0 && recent == 0) {
		cut_limit(pc, now);
		return 0;
	}
	if (recent == 0 && (pc->server_limit == 0 ||
	    open < pc->server_limit))
		pc->server_limit = open;
	if (pc->server_limit == 0)
		pc->server_limit = pc->limit;	/* a hold, no count seen */
	if (open == 0 &&
	    (c = kth_close(pc, started, pc->server_limit)) > 0 &&
	    started - c + 1 > pc->hold_lo) {
		pc->hold_lo = started - c + 1;
		if (pc->hold_hi > 0 && pc->hold_hi < pc->hold_lo)
			pc->hold_hi = 0;	/* it changed: learn again */
		set_hold(pc);
	}
	if (pc->limit > pc->server_limit)
		pc->limit = pc->server_limit;
	if (pc->limit < pc->min_limit)
		pc->min_limit = pc->limit;
	pc->ok_streak = 0;
	return 1;
}

/*
 * An answer (accept or refusal by the TLS layer) to a probe started at
 * started with open of ours open.  Started with none open, it bounds
 * the hold from above.  Then additive increase of the bound: after
 * 2 x limit answers without trouble (4 x beyond a limit the server has
 * shown).
 */
void
pace_answered(struct sweep_pace *pc, int64_t started, int open)
{
	int64_t c;
	int need = 2 * pc->limit;

	if (pc->server_limit > 0 && open == 0) {
		c = kth_close(pc, started, pc->server_limit);
		if (c > 0 && (pc->hold_hi == 0 || started - c < pc->hold_hi) &&
		    started - c >= pc->hold_lo) {
			pc->hold_hi = started - c;
			set_hold(pc);
		}
	}
	if (pc->limit >= pc->concurrency)
		return;
	if (pc->server_limit > 0 && pc->limit >= pc->server_limit)
		need *= 2;
	if (++pc->ok_streak >= need) {
		pc->limit++;
		pc->ok_streak = 0;
	}
}

/*
 * When the attempt-th try of a refused probe may start.  Explained by
 * our own connections (paced): due at once, the bound and the hold
 * decide when it starts; again refused (or no hold known yet), a short
 * pause that doubles -- not the back-off meant for servers that refuse
 * whatever we do, which doubles from backoff_ms up to
 * SWEEP_BACKOFF_MAX_MS.
 */
int64_t
pace_retry_at(const struct sweep_pace *pc, int64_t now, int attempt,
    int paced)
{
	int64_t ms = pc->backoff_ms;
	int a = attempt;

	if (paced)
		return now + (pc->hold_ms > 0 && attempt == 2 ? 0 :
		    (int64_t)SWEEP_PACE_MS << (attempt - 2));
	while (--a > 1 && ms < SWEEP_BACKOFF_MAX_MS)
		ms *= 2;
	return now + (ms < SWEEP_BACKOFF_MAX_MS ? ms : SWEEP_BACKOFF_MAX_MS);
}
